"""The decision set's candidate coverage is never held whole, only built a block of candidates at a time;
rows are grouped without unpacking their conditions; the pairwise compatibility of conditions is built per
feature and refused before it outgrows its budget."""

import pickle
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from glassbox import DecisionSetClassifier
from glassbox.rules import _decision_set_rules, decision_set, mining
from glassbox.rules._decision_set_tuning import row_groups
from glassbox.rules.mining import bitset_from_mask, compatible_conditions
from glassbox.utils.conditions import ConditionGenerator


def _data(n=600):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + 0.5 * rng.normal(size=n) > 0).astype(int)
    return X, y


def test_blocked_coverage_gives_the_same_model(monkeypatch):
    X, y = _data()
    whole = DecisionSetClassifier(random_state=0, max_rules=5).fit(X, y)
    # a block of a single candidate: every block boundary is crossed
    monkeypatch.setattr(mining, "_BLOCK_BYTES", 1)
    blocked = DecisionSetClassifier(random_state=0, max_rules=5).fit(X, y)
    assert pickle.dumps(blocked.explain_global()) == pickle.dumps(whole.explain_global())
    np.testing.assert_array_equal(blocked.predict_proba(X), whole.predict_proba(X))


def test_the_fit_never_holds_every_candidates_coverage(monkeypatch):
    # 500,000 rows x 21 columns mined 46,912 candidates, 2.8 GiB of coverage held whole: a 4.3 GB peak.
    X, y = _data(20_000)
    X = np.column_stack([X, np.random.default_rng(1).normal(size=(len(X), 2))])
    mined_sizes = []
    mine = _decision_set_rules.mine_per_class

    def recording(*args, **kwargs):
        mined, counts = mine(*args, **kwargs)
        mined_sizes.append(len(mined) * args[1].shape[1] * 8)  # args: generator, condition bitsets, ...
        return mined, counts

    monkeypatch.setattr(decision_set, "mine_per_class", recording)
    monkeypatch.setattr(mining, "_BLOCK_BYTES", 1 << 20)
    tracemalloc.start()
    DecisionSetClassifier(random_state=0, pool_size=100, max_candidates=50_000).fit(X, y)  # the miner's buffers: 0.8 MB
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert mined_sizes[0] > 8 << 20
    assert peak < 0.6 * mined_sizes[0]


def test_row_groups_rank_rows_by_class_and_conditions():
    # The ranks of the rows' (class, condition bits) in lexicographic order, the classes ranked by their first
    # row (not their codes): the folds are drawn over them, so they must not depend on how the bits are read.
    rng = np.random.default_rng(2)
    for n_conditions in (0, 29, 30, 31, 75):
        masks = rng.random((n_conditions, 500)) < rng.random((n_conditions, 1)) ** 3
        y = rng.choice([0, 2, 3], 500)
        bits = bitset_from_mask(masks) if n_conditions else np.zeros((0, 8), dtype=np.uint64)
        first_row = {k: np.flatnonzero(y == k)[0] for k in np.unique(y)}
        rows = np.column_stack([[first_row[k] for k in y], masks.T.astype(int)])
        expected = np.unique(rows, axis=0, return_inverse=True)[1].ravel()
        np.testing.assert_array_equal(row_groups(bits, y, 500), expected)


def _dense_compatibility(generator):
    """Every pair at once, by broadcasting: the definition the per-feature blocks must equal."""
    feature = np.asarray(generator.condition_feature_)
    lo, hi = np.asarray(generator._lo), np.asarray(generator._hi)
    overlap = np.maximum(lo[:, None], lo[None, :]) < np.minimum(hi[:, None], hi[None, :])
    a_in_b = (lo[:, None] >= lo[None, :]) & (hi[:, None] <= hi[None, :])
    return (feature[:, None] != feature[None, :]) | (overlap & ~(a_in_b | a_in_b.T))


def _wide(n_rows, n_features):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(n_rows, n_features)), columns=[f"f{j}" for j in range(n_features)])
    X["colour"] = pd.Categorical(rng.choice(["red", "green", "blue"], n_rows))
    return X, (X.f0 + X.f1 > 0).astype(int)


def test_compatibility_of_a_subset_equals_the_dense_definition():
    X, _ = _wide(300, 6)
    generator = ConditionGenerator(max_thresholds=5).fit(X)
    dense = _dense_compatibility(generator)
    np.testing.assert_array_equal(compatible_conditions(generator), dense)
    items = np.random.default_rng(1).permutation(len(dense))[: len(dense) // 2]
    np.testing.assert_array_equal(compatible_conditions(generator, items), dense[np.ix_(items, items)])


def test_compatibility_of_a_wide_table_takes_one_byte_per_pair():
    # 2,000 columns x 16 conditions needed 3.8 GiB of int32 plus bool temporaries: a MemoryError on 4 GB.
    X, _ = _wide(100, 150)
    generator = ConditionGenerator(max_thresholds=8).fit(X)
    n = len(generator.conditions_)
    tracemalloc.start()
    compatible_conditions(generator)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1.5 * n * n


def test_too_many_frequent_conditions_are_refused_before_the_table(monkeypatch):
    X, y = _wide(200, 30)
    monkeypatch.setattr(mining, "_MAX_COMPATIBLE_BYTES", 100**2)
    with pytest.raises(ValueError, match=r"conditions reach min_support; combining them .* GiB\)\. Lower "
                                         r"max_thresholds .* select fewer features, or set max_rule_len=1"):
        DecisionSetClassifier(random_state=0).fit(X, y)
    DecisionSetClassifier(random_state=0, max_rule_len=1, max_rules=3).fit(X, y)


def test_thirty_dense_numeric_columns_fit_with_the_defaults():
    # 16 conditions per column make about 110,000 two-condition candidates: the former default cap of
    # 100,000 refused the table; the refusal now also says how many single conditions and pairs there are.
    X, y = _wide(1_000, 30)
    model = DecisionSetClassifier(random_state=0).fit(X, y)
    assert len(model.rules_) >= 1
    with pytest.raises(ValueError, match=r"max_candidates=100000 .* Mining one class: \d+ single conditions reach "
                                         r"min_support .*; \d+ pairs of them may share a rule"):
        DecisionSetClassifier(random_state=0, max_candidates=100_000).fit(X, y)


def test_a_pool_whose_overlap_table_exceeds_memory_is_refused_naming_pool_size(monkeypatch):
    # pool_size=10**9 asked numpy for a 96,136 x 96,136 float64 table (68.9 GiB) in a bare MemoryError
    from glassbox.rules import _decision_set_objective

    X, y = _data()
    monkeypatch.setattr(_decision_set_objective, "physical_memory", lambda: 8 * 100 * 100)
    with pytest.raises(MemoryError) as raised:
        DecisionSetClassifier(random_state=0, pool_size=300, tune_weights=False).fit(X, y)
    message = str(raised.value)
    assert "compares every pair of its 300 pooled candidates: a 300 x 300 table of their overlaps (703.1 KiB); " \
           "this machine has 78.1 KiB. Lower pool_size (the default 1000 takes 7.6 MiB; at most about 50 would " \
           "fit)" in message
    DecisionSetClassifier(random_state=0, pool_size=50, tune_weights=False).fit(X, y)  # as it says: fits
