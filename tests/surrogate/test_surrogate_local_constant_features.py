"""LocalSurrogate holds a numeric feature that is constant in training: no scale to vary it on."""

import numpy as np
import pandas as pd
import pytest

from glassbox.surrogate import LocalSurrogate


def _frame(constant=7.0):
    rng = np.random.RandomState(0)
    return pd.DataFrame({"x": rng.normal(size=300), "batch": np.full(300, constant), "z": rng.normal(size=300)})


def _model(X):
    # reacts strongly to a column the training rows never vary (a model can: a network's weight on it is
    # never trained away, a function reads it)
    return 2.0 * np.asarray(X["x"], dtype=float) + 50.0 * np.nan_to_num(np.asarray(X["batch"], dtype=float))


def test_a_constant_feature_is_not_varied_and_never_takes_a_slot():
    frame = _frame()
    explainer = LocalSurrogate(_model, max_features=1, task="regression", random_state=0).fit(frame)
    assert explainer.scale_[1] == 0.0  # its standard deviation, as documented
    fits = explainer.local_fits(frame.iloc[:5])
    # the only slot goes to x, the feature that varies, and the local model is exact
    np.testing.assert_allclose(fits.coefficients[:, 0], 2.0, rtol=1e-5)
    assert np.all(fits.coefficients[:, 1:] == 0) and not fits.selected[:, 1].any()
    np.testing.assert_allclose(fits.local_prediction, fits.model_output, rtol=1e-8)
    np.testing.assert_allclose(fits.weighted_r2, 1.0, atol=1e-9)


@pytest.mark.parametrize("constant, weighted", [(0.1, False), (2.2, False), (0.3, True)])
def test_a_constant_whose_computed_spread_is_rounding_is_held_too(constant, weighted):
    # the standard deviation of 0.1 repeated computes as 1e-17, and weighted 0.3 as about 1e-16: not 0
    frame = _frame(constant)
    weights = np.random.RandomState(1).uniform(0.5, 2.0, len(frame)) if weighted else None
    explainer = LocalSurrogate(_model, max_features=1, task="regression", random_state=0).fit(
        frame, sample_weight=weights)
    assert explainer.scale_[1] == 0.0
    rows = frame.iloc[:3].assign(batch=[constant, constant + 0.4, np.nan])
    fits = explainer.local_fits(rows)
    assert np.all(fits.coefficients[:, 1] == 0) and not fits.selected[:, 1].any()
    np.testing.assert_allclose(fits.coefficients[:, 0], 2.0, rtol=1e-5)


def test_a_row_off_the_constant_keeps_its_value():
    frame = _frame()
    explainer = LocalSurrogate(_model, max_features=2, task="regression", random_state=0).fit(frame)
    rows = frame.iloc[:3].assign(batch=[7.0, 8.0, np.nan])
    fits = explainer.local_fits(rows)
    assert np.all(np.isfinite(fits.coefficients)) and np.all(fits.coefficients[:, 1] == 0)
    # the model is asked about the row's own batch in every perturbation: exact local model
    np.testing.assert_allclose(fits.local_prediction, fits.model_output, rtol=1e-8)
    explanation = explainer.explain_local(rows)
    np.testing.assert_allclose(explanation.base_value + explanation.contributions.sum(axis=1), fits.local_prediction)


def _with_levels():
    rng = np.random.RandomState(0)
    return pd.DataFrame({"x": rng.normal(size=300), "site": ["only"] * 300,
                         "grade": pd.Categorical([None] * 300, categories=["a", "b"])})


def _site_model(X):
    site = pd.Series(X["site"]).astype(object).to_numpy()
    return 2.0 * np.asarray(X["x"], dtype=float) + np.where(site == "only", 30.0, 0.0)


def test_a_categorical_feature_with_one_training_level_or_none_is_held():
    frame = _with_levels()  # "site" has one level, "grade" is missing in every training row
    explainer = LocalSurrogate(_site_model, max_features=3, task="regression", random_state=0).fit(frame)
    rows = frame.iloc[:4].assign(site=["only", "only", "other", "only"],
                                 grade=pd.Categorical([None, "a", None, "b"], categories=["a", "b"]))
    fits = explainer.local_fits(rows)
    np.testing.assert_allclose(fits.coefficients[:, 0], 2.0, rtol=1e-5)
    assert np.all(fits.coefficients[:, 1:] == 0) and not fits.selected[:, 1:].any()
    np.testing.assert_allclose(fits.local_prediction, fits.model_output, rtol=1e-8)
    explanation = explainer.explain_local(rows)
    np.testing.assert_allclose(explanation.contributions[:, 1:3], 0.0)
