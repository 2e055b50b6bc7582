"""The decision set's candidate coverage is built in chunks and its size is explained when it cannot be held;
the pairwise compatibility of conditions is built per feature and refused before it outgrows its budget."""

import pickle
import sys
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from glassbox import DecisionSetClassifier
from glassbox.rules import _decision_set_rules, mining
from glassbox.rules.mining import compatible_conditions
from glassbox.utils.conditions import ConditionGenerator


def _data(n=600):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + 0.5 * rng.normal(size=n) > 0).astype(int)
    return X, y


def test_chunked_union_gives_the_same_model(monkeypatch):
    X, y = _data()
    whole = DecisionSetClassifier(random_state=0, max_rules=5).fit(X, y)
    # a chunk of a single candidate: every chunk boundary is crossed
    monkeypatch.setattr(_decision_set_rules, "_CHUNK_BYTES", 1)
    chunked = DecisionSetClassifier(random_state=0, max_rules=5).fit(X, y)
    assert pickle.dumps(chunked.explain_global()) == pickle.dumps(whole.explain_global())
    np.testing.assert_array_equal(chunked.predict_proba(X), whole.predict_proba(X))


def test_coverage_too_large_names_its_size_and_the_fix(monkeypatch):
    X, y = _data()

    numpy_empty = np.empty

    def no_memory_for_the_coverage(*args, **kwargs):  # as numpy fails on a too large array
        if sys._getframe(1).f_code.co_name == "_allocate_coverage":
            raise MemoryError("Unable to allocate")
        return numpy_empty(*args, **kwargs)

    monkeypatch.setattr(np, "empty", no_memory_for_the_coverage)
    with pytest.raises(MemoryError, match=r"candidate rules' coverage of 600 rows needs .* GiB\. Raise min_support"):
        DecisionSetClassifier(random_state=0).fit(X, y)


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
