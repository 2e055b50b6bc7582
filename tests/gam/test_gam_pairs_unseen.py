"""Pair terms score exactly zero where training never went: unseen categories and new missing values.

A pair's trees cut on bin codes, and the missing and unseen bins come after the
value bins, so without zeroing they take the score of the largest value or the
last category: the prediction moves while the main effect says "nothing learnt".
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, GAMRegressor, from_json


def _frame(n=800, seed=0, n_classes=2):
    """``a`` and ``c`` are never missing in training; ``b`` is missing in about one row in nine."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({
        "a": rng.normal(size=n),
        "b": rng.normal(size=n),
        "c": pd.Categorical(rng.choice(["x", "y", "z"], n)),
        "d": rng.uniform(-1, 1, n),
    })
    X.loc[rng.rand(n) < 0.11, "b"] = np.nan
    logit = X["a"] * (1 + (X["c"] == "z")) + X["a"] * X["d"] - 0.8 * X["b"].isna() + X["b"].fillna(0)
    cuts = [0.0] if n_classes == 2 else [-1.0, 1.0]
    return X, np.digitize(logit + rng.logistic(size=n), cuts)


def _new_rows(X):
    """Four training rows: an unseen level of ``c`` in two, NaN in never-missing ``a`` in two."""
    new = X.iloc[:4].copy()
    new["c"] = new["c"].cat.add_categories(["w"])
    new.loc[new.index[[0, 1]], "c"] = "w"
    new.loc[new.index[[1, 2]], "a"] = np.nan
    return new


def _pair_terms(shapes):
    return [(i, term) for i, term in enumerate(shapes.terms) if len(term.features) == 2]


def _assert_untouched_terms_score_zero(model, new):
    with pytest.warns(UserWarning, match="w"):
        local = model.explain_local(new)
    contributions = local.contributions
    for i, features in enumerate(model.term_features_):
        names = {model.feature_names_in_[j] for j in features}
        if "c" in names:
            assert np.all(contributions[[0, 1], i] == 0.0), model.term_names_[i]
        if "a" in names:
            assert np.all(contributions[[1, 2], i] == 0.0), model.term_names_[i]
    return local


@pytest.mark.parametrize("make, n_classes", [
    (lambda: GAMClassifier(outer_bags=3, random_state=0), 2),  # default pairs ("auto")
    (lambda: GAMClassifier(outer_bags=2, random_state=1, interactions=[("a", "c"), ("c", "a"), ("a", "b")]), 2),
    (lambda: GAMRegressor(outer_bags=2, random_state=0, interactions=[("a", "c"), ("b", "a"), ("c", "d")]), 2),
    (lambda: GAMClassifier(outer_bags=2, random_state=0, interactions=[("a", "c"), ("b", "c")]), 3),
], ids=["auto-pairs", "binary-listed", "regression", "multiclass"])
def test_every_term_of_an_unseen_value_contributes_exactly_zero(make, n_classes):
    X, y = _frame(n_classes=n_classes)
    model = make()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    assert any(len(f) == 2 and 0 in f for f in model.term_features_)
    assert any(len(f) == 2 and 2 in f for f in model.term_features_)
    new = _new_rows(X)
    local = _assert_untouched_terms_score_zero(model, new)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unseen level warns again on every call
        output = model.predict(new) if isinstance(model, GAMRegressor) else model.decision_function(new)
        # exactly additive, and the global explanation (also after JSON) recomputes the same model
        np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), output, rtol=1e-12, atol=0)
        np.testing.assert_allclose(model.explain_global().decision_function(new), output, rtol=1e-12, atol=0)
        np.testing.assert_allclose(from_json(model.to_json()).decision_function(new), output, rtol=1e-12, atol=0)


def test_pair_grids_and_bands_are_zero_on_unreached_rows_and_columns():
    X, y = _frame()
    model = GAMClassifier(outer_bags=3, random_state=0, interactions=[("a", "c"), ("b", "c"), ("b", "a")]).fit(X, y)
    shapes = model.explain_global()
    pairs = _pair_terms(shapes)
    assert len(pairs) == 3
    for _, term in pairs:
        for axis, bins in enumerate(term.bins):
            reached = term.density.sum(axis=1 - axis)
            for cell in (bins.missing_bin, bins.unseen_bin):
                if cell < 0:
                    continue
                line = np.take(term.scores, cell, axis=axis)
                if reached[cell] == 0:
                    assert np.all(line == 0.0)
                    assert np.all(np.take(term.lower, cell, axis=axis) == 0.0)
                    assert np.all(np.take(term.upper, cell, axis=axis) == 0.0)
                else:  # b's missing bin had training rows: the pair learnt something there
                    assert term.features[axis] == "b" and cell == bins.missing_bin
                    assert np.any(line != 0.0)
        # zeroing cells without training weight leaves every term centred on the training rows
        assert abs(np.sum(term.density * term.scores)) < 1e-9 * term.density.sum()


def test_monotone_pairs_stay_monotone_with_zeroed_bins():
    X, y = _frame()
    model = GAMClassifier(outer_bags=2, random_state=0, monotonic_cst={"a": 1},
                          interactions=[("a", "c"), ("d", "a"), ("a", "b")]).fit(X, y)
    for _, term in _pair_terms(model.explain_global()):
        axis = term.features.index("a")
        bins = term.bins[axis]
        grid = np.moveaxis(term.scores, axis, 0)
        values = grid[: bins.n_value_bins]
        assert np.all(np.diff(values, axis=0) >= 0)  # exact, no tolerance
        assert np.all(grid[bins.missing_bin] == 0.0)  # a was never missing
    _assert_untouched_terms_score_zero(model, _new_rows(X))


def test_missing_values_new_at_predict_time_warn_once_per_feature():
    X, y = _frame()
    model = GAMClassifier(outer_bags=2, random_state=0, interactions=[("a", "b")]).fit(X, y)
    new = X.iloc[:4].copy()
    new.loc[new.index[:2], "a"] = np.nan  # never missing in training
    new.loc[new.index[2:], "b"] = np.nan  # missing in training: its bin has a learnt score, no warning
    for predict in (model.decision_function, model.explain_local):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            predict(new)
        messages = [str(w.message) for w in caught]
        assert len(messages) == 1 and "'a' has missing values, but none in training" in messages[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.predict(X)  # the training rows: nothing new, no warning
