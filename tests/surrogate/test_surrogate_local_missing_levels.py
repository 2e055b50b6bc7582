"""LocalSurrogate on rows whose categorical value is missing: held as it is, as a missing number is."""

import numpy as np
import pandas as pd
import pytest

from glassbox.surrogate import LocalSurrogate


def _frame(missing, dtype):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"x": rng.normal(size=300), "colour": rng.choice(["red", "blue", "green"], 300)})
    frame["colour"] = frame["colour"].astype(dtype)
    frame.loc[:4, "colour"] = missing
    return frame


def _teacher(X):
    red = pd.Series(X["colour"]).astype(object).eq("red").to_numpy()
    return 3.0 * np.asarray(X["x"], dtype=float) + np.where(red, 2.0, 0.0)


@pytest.mark.parametrize("missing, dtype", [(np.nan, object), (None, object), (pd.NA, "string"),
                                            (np.nan, "category")])
def test_a_missing_level_is_held_not_varied(missing, dtype):
    frame = _frame(missing, dtype)
    explainer = LocalSurrogate(_teacher, max_features=2, task="regression", random_state=0).fit(frame)
    fits = explainer.local_fits(frame.iloc[:8])
    # rows 0-4 miss their colour: it stays missing in every perturbation, so the model's
    # output there is exactly linear in x and the local model reproduces it
    np.testing.assert_allclose(fits.coefficients[:5, 0], 3.0, atol=1e-8)
    assert np.all(fits.coefficients[:5, 1] == 0)
    assert not fits.selected[:5, 1].any()
    np.testing.assert_allclose(fits.local_prediction[:5], fits.model_output[:5], atol=1e-8)
    np.testing.assert_allclose(fits.weighted_r2[:5], 1.0)
    explanation = explainer.explain_local(frame.iloc[:8])
    np.testing.assert_allclose(explanation.contributions[:5, 1], 0.0)
    np.testing.assert_allclose(explanation.base_value + explanation.contributions.sum(axis=1), fits.local_prediction)


def test_rows_with_a_level_still_vary_it():
    frame = _frame(np.nan, object)
    fits = LocalSurrogate(_teacher, max_features=2, task="regression", random_state=0).fit(frame).local_fits(
        frame.iloc[5:40])
    red = (frame["colour"].iloc[5:40] == "red").to_numpy()
    assert red.sum() >= 3
    np.testing.assert_allclose(fits.coefficients[red, 1], 2.0, atol=1e-8)
