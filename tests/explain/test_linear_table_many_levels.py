"""A coefficient table recomputes a categorical's indicators by one lookup per row, not a dense design."""

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import SparseLinearClassifier, SparseLinearRegressor


def merchants(n=20_000, n_levels=500, seed=0):
    rng = np.random.default_rng(seed)
    levels = np.array([f"m{k:04d}" for k in range(n_levels)])
    frame = pd.DataFrame({"merchant": levels[rng.integers(0, n_levels, n)], "amount": rng.gamma(2.0, 50.0, n),
                          "flag": rng.random(n) < 0.3, "region": rng.choice(["north", "south", "east"], n)})
    signal = rng.normal(size=n_levels)[rng.integers(0, n_levels, n)] + frame["amount"].to_numpy() / 100
    return frame, signal, rng


@pytest.mark.parametrize("kind", ["regression", "binary", "multiclass"])
def test_recomputed_decision_equals_the_estimator_and_the_terms(kind):
    X, signal, rng = merchants(n=3_000, n_levels=80)  # 64 levels or more: the lookup
    if kind == "regression":
        model = SparseLinearRegressor(alpha=1e-3).fit(X, signal + rng.normal(size=len(X)))
    else:
        y = np.digitize(signal + rng.logistic(size=len(X)), [0.5] if kind == "binary" else [0.0, 1.0])
        model = SparseLinearClassifier(alpha=1e-3).fit(X, y)
    table = glassbox.from_json(model.to_json())
    fresh = X.sample(500, random_state=1)
    direct = model.predict(fresh) if kind == "regression" else model.decision_function(fresh)
    np.testing.assert_allclose(table.decision_function(fresh), direct, rtol=0, atol=1e-12)
    summed = table.base_value + table.term_contributions(fresh).sum(axis=1)
    np.testing.assert_allclose(table.decision_function(fresh), summed, rtol=0, atol=1e-12)
    assert sum(t.feature == "merchant" and t.category is not None for t in table.terms) >= 64


def test_unseen_levels_still_warn_and_score_zero():
    X, signal, rng = merchants(n=2_000, n_levels=80)
    table = glassbox.from_json(SparseLinearRegressor(alpha=1e-3).fit(X, signal).to_json())
    row = X.iloc[:1].copy()
    row["merchant"] = "never seen"
    with pytest.warns(UserWarning, match="merchant"):
        unseen = table.decision_function(row)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert unseen[0] == pytest.approx(table.base_value + table.term_contributions(row).sum())


def test_many_levels_are_scored_without_a_rows_by_levels_array():
    X, signal, _ = merchants()  # 20,000 rows x 500 levels: a dense design would take 80 MB
    table = glassbox.from_json(SparseLinearRegressor(alpha=1e-4).fit(X, signal).to_json())
    assert sum(t.category is not None for t in table.terms) > 400
    tracemalloc.start()
    table.decision_function(X)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20e6, f"peak {peak / 1e6:.0f} MB"
