"""Prediction in blocks of rows: the same bits as the whole rows x terms table, in bounded memory."""

import tracemalloc

import numpy as np
import pandas as pd
import pytest

import glassbox.base

from glassbox import GAMClassifier, GAMRegressor
from glassbox.gam import _base
from glassbox.utils.tabular import Table

FAST = dict(outer_bags=2, max_rounds=200, random_state=0)


def _frame(n, seed=0):
    """Numeric and categorical columns with missing values in both."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({
        "age": rng.uniform(20, 70, n),
        "city": pd.Categorical(rng.choice(["north", "south", "east", "west"], n)),
        "income": rng.lognormal(3, 0.5, n),
        "hours": rng.uniform(0, 60, n),
    })
    for j in range(6):  # more than 8 terms: numpy sums them pairwise (8 partial sums), not one by one
        X[f"noise{j}"] = rng.randn(n)
    X.loc[rng.rand(n) < 0.1, "income"] = np.nan
    X.loc[rng.rand(n) < 0.05, "city"] = np.nan
    signal = 0.05 * (X["age"] - 45) + (X["city"] == "north") + 0.02 * X["hours"] * (X["income"].fillna(20) > 20)
    return X, signal.to_numpy() + rng.logistic(size=n)


def _models():
    X, signal = _frame(800)
    multiclass = np.digitize(signal, np.quantile(signal, [1 / 3, 2 / 3]))
    return [
        ("multiclass", GAMClassifier(interactions=3, **FAST).fit(X, multiclass)),
        ("binary", GAMClassifier(interactions=3, **FAST).fit(X, (signal > np.median(signal)).astype(int))),
        ("regression", GAMRegressor(interactions=3, **FAST).fit(X, signal)),
    ]


def _whole_table_decision(model, X):
    """The decision function as the rows x terms table summed at once (the contract's definition)."""
    term_codes, _ = model._prepare(X)
    return model._base_value() + model._term_contributions(term_codes).sum(axis=1)


@pytest.fixture(scope="module")
def models():
    return _models()


@pytest.mark.filterwarnings("ignore:Feature 'city' has categories not seen")
@pytest.mark.parametrize("chunk", [1, 7, 64, 10_000])
def test_blocks_of_rows_give_the_bits_of_the_whole_table(models, chunk, monkeypatch):
    X, _ = _frame(301, seed=1)  # 301 = 43 x 7: with 7 and 64 the last block is ragged (1 and 45 rows)
    X["city"] = X["city"].astype("object")
    X.loc[3, "city"] = "unseen"  # the unseen-category bin
    monkeypatch.setattr(glassbox.base, "DECISION_BLOCK_ROWS", chunk)
    for name, model in models:
        assert len(model.interaction_pairs_) > 0 and len(model.term_names_) > 8, name
        expected = _whole_table_decision(model, X)
        if isinstance(model, GAMRegressor):
            np.testing.assert_array_equal(model.predict(X), expected, err_msg=name)
            continue
        np.testing.assert_array_equal(model.decision_function(X), expected, err_msg=name)
        np.testing.assert_array_equal(model.predict_proba(X), model._link().inverse(expected), err_msg=name)
        np.testing.assert_array_equal(model.predict(X), model._output_from_decision(expected), err_msg=name)


def test_local_contributions_add_up_to_the_blocked_decision_exactly(models, monkeypatch):
    X, _ = _frame(150, seed=2)
    monkeypatch.setattr(glassbox.base, "DECISION_BLOCK_ROWS", 16)
    for name, model in models:
        local = model.explain_local(X)
        output = model.predict(X) if isinstance(model, GAMRegressor) else model.decision_function(X)
        np.testing.assert_array_equal(local.base_value + local.contributions.sum(axis=1), output, err_msg=name)
        np.testing.assert_array_equal(local.decision, output, err_msg=name)
        one = model.predict(X.iloc[[5]]) if isinstance(model, GAMRegressor) else model.decision_function(X.iloc[[5]])
        np.testing.assert_array_equal(one, output[5:6], err_msg=name)


def test_prediction_builds_neither_display_rows_nor_the_whole_table(models, monkeypatch):
    def no_rows(self, rows=None):
        raise AssertionError("prediction built the display rows")

    looked_up = []
    lookup = _base.lookup_contributions

    def spy(term_codes, scores, offset, out, n_threads):
        looked_up.append(out.shape[0])
        return lookup(term_codes, scores, offset, out, n_threads)

    monkeypatch.setattr(Table, "rows_as_objects", no_rows)
    monkeypatch.setattr(_base, "lookup_contributions", spy)
    monkeypatch.setattr(glassbox.base, "DECISION_BLOCK_ROWS", 50)
    X, _ = _frame(420, seed=3)
    for _, model in models:
        model.predict(X)
        if isinstance(model, GAMClassifier):
            model.predict_proba(X)
            model.decision_function(X)
    assert looked_up and max(looked_up) == 50 and sum(looked_up) == 420 * 7  # 3 models + 2 x 2 more calls


def test_peak_memory_of_predict_is_far_below_the_rows_x_terms_table():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(1000, 40))
    model = GAMRegressor(interactions=10, outer_bags=1, max_rounds=50, random_state=0)
    model.fit(X, X[:, 0] + X[:, 1] * X[:, 2] + 0.1 * rng.randn(1000))
    X_big = rng.uniform(-1, 1, size=(60_000, 40))
    table_bytes = X_big.shape[0] * len(model.term_names_) * 8  # 24 MB, and the display rows ~77 MB more
    tracemalloc.start()
    try:
        model.predict(X_big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < table_bytes / 4, (peak, table_bytes)


def test_explain_local_keeps_the_tables_it_is_handed_and_copies_writable_ones(models, monkeypatch):
    X, _ = _frame(40, seed=4)
    _, model = models[0]
    handed = {}
    contributions, prepare = model._term_contributions, model._prepare
    monkeypatch.setattr(model, "_term_contributions", lambda c: handed.setdefault("table", contributions(c)))
    monkeypatch.setattr(model, "_prepare", lambda X: handed.setdefault("prepared", prepare(X)))
    local = model.explain_local(X)
    assert local.contributions is handed["table"] and local.feature_values is handed["prepared"][1]
    with pytest.raises(ValueError, match="read-only"):
        local.contributions[0, 0, 0] = 1.0
    # an explanation built from writable arrays still copies them: changing them later changes nothing
    values = np.asarray(X, dtype=object)
    table = np.array(local.contributions)
    built = type(local)(model="m", term_names=local.term_names, base_value=local.base_value, contributions=table,
                        feature_names=local.feature_names, feature_values=values, decision=local.decision,
                        prediction=local.prediction, link=local.link, classes=local.classes)
    table[:] = 0.0
    values[:] = None
    np.testing.assert_array_equal(built.contributions, local.contributions)
    assert built.feature_values[0, 0] == X.iloc[0, 0]
