"""Reason-code tables of scoring batches: any batch size tabulates alike, and fast on large batches."""

import warnings

import numpy as np
import pandas as pd
import pytest
from explain_fixtures import QUICK_MODELS, credit_applicants

from glassbox.explain import _reasons_render, reason_codes
from glassbox.explain._render import value_text
from glassbox.explain._reused_texts import ReusedTexts

CLASSIFIERS = ["gam_classifier", "linear_classifier", "risk_score", "rule_list", "decision_set"]


def _fitted(name):
    X, y = credit_applicants()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence remarks of the rule list's short chains
        return QUICK_MODELS[name]().fit(X, y), X


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_a_batch_without_reasons_tabulates_with_the_columns_of_any_other(name):
    # a daily batch in which nobody has an adverse reason is appended to the same table as the other days'
    model, X = _fitted(name)
    some = reason_codes(model, X, reference=X, adverse="bad").to_frame()
    assert len(some) > 0
    # against itself as the reference, a row falls short of nothing: no reasons
    none = reason_codes(model, X.iloc[[0]], reference=X.iloc[[0]], adverse="bad").to_frame()
    assert len(none) == 0
    assert list(none.columns) == list(some.columns)
    assert none.dtypes.to_dict() == some.dtypes.to_dict()
    assert pd.concat([some, none]).dtypes.to_dict() == some.dtypes.to_dict()


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_each_distinct_value_of_a_large_batch_is_formatted_once(name, monkeypatch):
    model, X = _fitted(name)
    batch = X.iloc[np.arange(20000) % len(X)].reset_index(drop=True)  # a large batch repeats its applicants' values
    codes = reason_codes(model, batch, reference=X, adverse="bad")
    calls = []
    monkeypatch.setattr(_reasons_render, "value_text", lambda value: calls.append(value) or value_text(value))
    frame = codes.to_frame()
    assert len(calls) <= X.nunique().sum(), f"{len(calls)} values formatted for {len(frame)} reasons"
    # and the table reads as formatting each cell on its own would
    expected = reason_codes(model, X, reference=X, adverse="bad").to_frame()
    assert frame["value"].iloc[:len(expected)].tolist() == expected["value"].tolist()


def test_equal_values_of_different_types_keep_their_own_text():
    # True == 1 == 1.0 as keys, yet they print as 'True' and '1'; NaN never equals itself
    values = [True, 1, 1.0, np.int64(1), np.float64("nan"), float("nan"), pd.NA, None, "1", "a", np.bool_(True)]
    texts = ReusedTexts()

    def shown(value):
        return _reasons_render._shown(texts, value)

    assert [shown(v) for v in values] == [value_text(v) for v in values]
    assert [shown(v) for v in reversed(values)] == [value_text(v) for v in reversed(values)]
    assert shown({"not hashable"}) == value_text({"not hashable"})


def test_the_cache_of_value_texts_is_bounded():
    # a continuous feature of a million rows has a million values: they are formatted, not all kept
    texts = ReusedTexts(max_kept=100)
    values = np.random.default_rng(0).normal(size=1000)
    assert [_reasons_render._shown(texts, v) for v in values] == [value_text(v) for v in values]
    assert len(texts._texts) == 100
