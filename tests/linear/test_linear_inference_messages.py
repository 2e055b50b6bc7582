"""coefficient_inference's refusals and warnings: what they name and the way out they give."""

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearRegressor, coefficient_inference


def _one_hot_frame(n=400, seed=0):
    rng = np.random.RandomState(seed)
    colour = rng.choice(["red", "green", "blue"], n)
    size = rng.choice(["S", "L"], n)
    X = pd.DataFrame({"x": rng.normal(size=n)})
    for level in ("red", "green", "blue"):
        X[f"colour_{level}"] = (colour == level).astype(float)
    for level in ("S", "L"):
        X[f"size_{level}"] = (size == level).astype(float)
    y = X["x"] + (colour == "red") - 0.5 * (size == "L") + rng.normal(size=n)
    return X, y.to_numpy()


def test_collinear_one_hot_groups_are_named_with_the_fix():
    X, y = _one_hot_frame()
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    assert np.all(model.coef_ != 0)  # every one-hot column kept beside the intercept
    with pytest.raises(ValueError) as refused:
        coefficient_inference(model, X, y)
    message = str(refused.value)
    assert "2 directions with no information" in message
    assert "[colour_red, colour_green, colour_blue]" in message and "[size_S, size_L]" in message
    assert "one-hot" in message and "drop one column per group" in message.lower()
    assert "categorical" in message and "alpha=0" not in message
    assert "(intercept) are" not in message


def test_collinear_refusal_never_recommends_the_fit_already_made():
    rng = np.random.RandomState(1)
    X = pd.DataFrame({"x": rng.normal(size=300), "zone": pd.Categorical(rng.choice(list("ab"), 300))})
    y = X["x"].to_numpy() + (X["zone"] == "b") + rng.normal(size=300)
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    reference = int(np.flatnonzero(model.coef_ == 0)[0])
    model.coef_[reference] = 4e-16  # a reference level left at a rounding residue, not at 0
    with pytest.raises(ValueError) as refused:
        coefficient_inference(model, X, y)
    message = str(refused.value)
    assert "All the levels of zone are kept beside the intercept" in message
    assert "penalty='l1' with alpha=0" not in message
