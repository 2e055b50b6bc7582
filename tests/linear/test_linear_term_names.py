"""A sparse linear model names every term once, even when a column's name reads like a level's."""

import numpy as np
import pandas as pd

from glassbox import SparseLinearRegressor
from glassbox.explain import CoefficientTable
from glassbox.linear import sparse_linear_path


def _colliding_table(n=120, seed=0):
    # a numeric column literally named "c == u" beside level "u" of the categorical column "c"
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"c": pd.Categorical(rng.choice(["u", "v"], n)), "c == u": rng.normal(size=n)})
    y = 2.0 * (X["c"] == "u") + X["c == u"] + 0.1 * rng.normal(size=n)
    return X, y


def test_a_column_named_like_an_indicator_gets_its_own_term_name():
    X, y = _colliding_table()
    model = SparseLinearRegressor(alpha=0.001).fit(X, y)
    # term order: c's levels, then the column, named in backticks as every printout names it
    assert model.term_names_ == ["c == u", "c == v", "`c == u`"]
    table = model.explain_global()
    assert table.term_names == model.term_names_
    assert sorted(table.to_frame()["term"].iloc[1:]) == sorted(model.term_names_)  # after the intercept
    printed_terms = [line.split("  ")[0] for line in str(table).splitlines() if line.startswith(("c == ", "`c == "))]
    assert sorted(printed_terms) == sorted(model.term_names_)
    assert list(model.explain_local(X[:1]).to_frame()["term"]) == model.term_names_
    reloaded = CoefficientTable.from_dict(table.to_dict())
    assert reloaded.term_names == model.term_names_
    assert list(sparse_linear_path(model, X, y, n_alphas=3).term_names) == model.term_names_


def test_names_without_a_collision_are_unchanged():
    X, y = _colliding_table()
    X = X.rename(columns={"c == u": "dose"})
    model = SparseLinearRegressor(alpha=0.001).fit(X, y)
    assert model.term_names_ == ["c == u", "c == v", "dose"]
    assert model.explain_global().term_names == model.term_names_
