"""refit_intercept warns when it is given weights unlike the fit's (an exposure model refitted without exposure)."""

import copy
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, GAMRegressor


def _claims(n=1500, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"power": rng.randint(4, 15, n).astype(float), "region": rng.choice(list("ABCD"), n)})
    exposure = rng.uniform(0.05, 1.0, n)
    rate = np.exp(-1.5 + 0.08 * (X["power"] - 4) + X["region"].map({"A": 0, "B": 0.3, "C": 0.6, "D": -0.4}))
    claims = rng.poisson(rate * exposure)
    return X, claims / exposure, exposure


@pytest.fixture(scope="module")
def exposure_model():
    X, y, exposure = _claims()
    model = GAMRegressor(loss="poisson", interactions=0, outer_bags=2, random_state=0).fit(
        X, y, sample_weight=exposure)
    return model, X, y, exposure


def _refit_warnings(model, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        copy.deepcopy(model).refit_intercept(*args, **kwargs)
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def test_an_exposure_model_refitted_without_its_weights_warns(exposure_model):
    model, X, y, exposure = exposure_model
    messages = _refit_warnings(model, X, y)
    assert len(messages) == 1
    assert "without sample_weight" in messages[0] and "unequal sample_weight" in messages[0]
    # and the warning is right: the unweighted intercept leaves the exposure-weighted book off balance
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        refitted = copy.deepcopy(model).refit_intercept(X, y)
    ratio = np.sum(refitted.predict(X) * exposure) / np.sum(y * exposure)
    assert abs(ratio - 1) > 1e-3


def test_the_fit_weights_or_a_multiple_of_them_refit_silently(exposure_model):
    model, X, y, exposure = exposure_model
    assert _refit_warnings(model, X, y, sample_weight=exposure) == []
    # exposure in days rather than years: every weight times 365 gives the same intercept
    assert _refit_warnings(model, X, y, sample_weight=365 * exposure) == []


def test_other_weights_on_the_training_rows_warn(exposure_model):
    model, X, y, exposure = exposure_model
    messages = _refit_warnings(model, X, y, sample_weight=np.sqrt(exposure))
    assert len(messages) == 1 and "unlike the fit's" in messages[0] and "sample_weight=" in messages[0]


def test_an_unweighted_fit_warns_only_for_unequal_weights_on_its_rows():
    X, y, exposure = _claims(seed=1)
    model = GAMRegressor(loss="poisson", interactions=0, outer_bags=2, random_state=0).fit(X, y)
    assert _refit_warnings(model, X, y) == []
    assert _refit_warnings(model, X, y, sample_weight=np.full(len(y), 2.0)) == []
    messages = _refit_warnings(model, X, y, sample_weight=exposure)
    assert len(messages) == 1 and "equal weights (no sample_weight)" in messages[0]
    # other rows are another data set, which the caller chose: no check
    assert _refit_warnings(model, X.iloc[:700], y[:700], sample_weight=exposure[:700]) == []


def test_class_weight_is_not_mistaken_for_sample_weight():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=600), "b": rng.normal(size=600)})
    y = (X["a"] + rng.logistic(size=600) > 1.5).astype(int)
    model = GAMClassifier(interactions=0, outer_bags=2, class_weight="balanced", random_state=0).fit(X, y)
    assert _refit_warnings(model, X, y) == []


def test_the_record_survives_a_pickle_and_older_models_refit_unchecked(exposure_model):
    model, X, y, _ = exposure_model
    restored = pickle.loads(pickle.dumps(model))
    assert restored._fit_weight_summary_ == model._fit_weight_summary_
    assert restored._fit_weight_summary_.n_rows == len(y)
    assert len(_refit_warnings(restored, X, y)) == 1
    older = copy.deepcopy(model)
    del older._fit_weight_summary_  # as pickled before fit recorded its weights
    assert _refit_warnings(older, X, y) == []


@pytest.fixture(scope="module")
def rows_selected_by_weight():
    # weights of 0 and 1 only select rows: a fifth of the book is left out
    X, y, exposure = _claims(seed=2)
    kept = np.random.RandomState(2).rand(len(y)) > 0.2
    return X, y, exposure, kept


def test_a_fit_whose_weights_only_selected_rows_refits_silently_on_the_kept_rows(rows_selected_by_weight):
    X, y, _, kept = rows_selected_by_weight
    selection = kept.astype(float)
    model = GAMRegressor(loss="poisson", interactions=0, outer_bags=2, random_state=0).fit(
        X, y, sample_weight=selection)
    assert _refit_warnings(model, X[kept], y[kept]) == []
    assert _refit_warnings(model, X[kept], y[kept], sample_weight=np.ones(kept.sum())) == []
    assert _refit_warnings(model, X, y, sample_weight=selection) == []
    # the same intercept as the weighted refit on every row
    on_kept = copy.deepcopy(model).refit_intercept(X[kept], y[kept])
    weighted = copy.deepcopy(model).refit_intercept(X, y, sample_weight=selection)
    np.testing.assert_allclose(on_kept.intercept_, weighted.intercept_, rtol=1e-13)
    # every row without weights: the rows the fit left out would count
    messages = _refit_warnings(model, X, y)
    assert len(messages) == 1 and "weight zero" in messages[0]
    # unequal weights on the kept rows are not the fit's
    messages = _refit_warnings(model, X[kept], y[kept], sample_weight=np.sqrt(np.arange(1.0, kept.sum() + 1)))
    assert len(messages) == 1 and "unlike the fit's" in messages[0] and "of positive weight" in messages[0]


def test_unequal_positive_weights_with_zeros_still_warn_without_weights(rows_selected_by_weight):
    X, y, exposure, kept = rows_selected_by_weight
    weights = np.where(kept, exposure, 0.0)
    model = GAMRegressor(loss="poisson", interactions=0, outer_bags=2, random_state=0).fit(
        X, y, sample_weight=weights)
    messages = _refit_warnings(model, X[kept], y[kept])
    assert len(messages) == 1 and "unequal sample_weight" in messages[0]
    assert _refit_warnings(model, X[kept], y[kept], sample_weight=exposure[kept]) == []
    assert _refit_warnings(model, X, y, sample_weight=weights) == []


@pytest.mark.parametrize("kind", ["poisson", "binary", "multiclass"])
def test_rows_of_weight_zero_take_no_part_and_raise_no_warning(kind):
    # the fit's rows of weight zero hold a level and a missing value no counted row has: the documented refit
    # on the training rows with the fit's weights neither warns of them nor reads them
    X, y, exposure = _claims(n=900, seed=3)
    X.loc[:9, "region"] = "Z"
    X.loc[10:19, "power"] = np.nan
    weights = exposure.copy()
    weights[:20] = 0.0
    if kind == "poisson":
        model = GAMRegressor(loss="poisson", interactions=[("power", "region")], outer_bags=2, random_state=0)
    else:
        y = np.digitize(y, [0.0, 0.5])[:, None].ravel() if kind == "multiclass" else (y > 0).astype(int)
        model = GAMClassifier(interactions=[("power", "region")], outer_bags=2, random_state=0)
    model.fit(X, y, sample_weight=weights)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        refitted = copy.deepcopy(model).refit_intercept(X, y, sample_weight=weights)
    kept = weights > 0
    on_kept = copy.deepcopy(model).refit_intercept(X[kept], y[kept], sample_weight=weights[kept])
    np.testing.assert_allclose(refitted.intercept_, on_kept.intercept_, rtol=1e-12, atol=1e-14)
    assert refitted.edits_[-1].parameters["n_samples"] == kept.sum()
