"""Candidate-rule mining: the compiled Eclat against brute force, bitset helpers, caps."""

import numpy as np
import pandas as pd
import pytest

from glassbox.rules._reference import mine_reference
from glassbox.rules.mining import (
    and_count,
    bitset_from_mask,
    class_counts,
    compatible_conditions,
    coverage_blocks,
    mask_from_bitset,
    mine_candidate_rules,
    popcount,
    weighted_counts,
)
from glassbox.utils.conditions import ConditionGenerator


def _data(n=157, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(
        {
            "age": rng.randint(18, 80, n).astype(float),
            "income": np.where(rng.rand(n) < 0.1, np.nan, rng.gamma(2.0, 20.0, n)),
            "color": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
        }
    )
    return X


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("max_rule_len", [1, 2, 3])
def test_mining_matches_brute_force(weighted, max_rule_len):
    X = _data()
    gen = ConditionGenerator(max_thresholds=4).fit(X)
    bits = gen.transform_bitsets(X)
    weights = np.random.RandomState(1).choice([0.0, 0.5, 1.0, 3.0], len(X)) if weighted else None
    found = mine_candidate_rules(
        gen, bits, len(X), sample_weight=weights, min_support=0.05, max_rule_len=max_rule_len
    )
    masks = gen.transform(X).T.astype(bool)
    expected = mine_reference(
        masks, compatible_conditions(gen), np.ones(len(X)) if weights is None else weights, 0.05, max_rule_len
    )
    assert dict(zip(found.items, found.weight)) == pytest.approx(expected)
    assert len(set(found.items)) == len(found.items)
    # coverage is the AND of the conditions, support the covered fraction
    for c, items in enumerate(found.items):
        np.testing.assert_array_equal(mask_from_bitset(found.coverage[c], len(X))[0], masks[list(items)].all(axis=0))
    total = len(X) if weights is None else weights.sum()
    np.testing.assert_allclose(found.support, found.weight / total)


def test_same_feature_conditions_only_form_narrower_ranges():
    X = _data()
    gen = ConditionGenerator(max_thresholds=4).fit(X)
    found = mine_candidate_rules(gen, gen.transform_bitsets(X), len(X), min_support=0.01, max_rule_len=3)
    for items in found.items:
        conds = [gen.conditions_[i] for i in items]
        for feature in {c.feature for c in conds}:
            ops = sorted(c.op for c in conds if c.feature == feature)
            assert ops in (["<"], [">="], ["=="], ["is missing"], ["<", ">="]), (feature, ops)
        if sum(c.feature == "age" for c in conds) == 2:
            lo = next(c.value for c in conds if c.feature == "age" and c.op == ">=")
            hi = next(c.value for c in conds if c.feature == "age" and c.op == "<")
            assert lo < hi


def test_max_candidates_message_names_parameters():
    X = _data()
    gen = ConditionGenerator(max_thresholds=8).fit(X)
    with pytest.raises(ValueError, match="max_candidates=20.*min_support.*max_rule_len"):
        mine_candidate_rules(gen, gen.transform_bitsets(X), len(X), min_support=0.01, max_candidates=20)


def test_max_candidates_message_counts_the_conditions_and_their_pairs():
    X = _data()
    gen = ConditionGenerator(max_thresholds=8).fit(X)
    bits = gen.transform_bitsets(X)
    singles = mine_candidate_rules(gen, bits, len(X), min_support=0.01, max_rule_len=1, max_candidates=10**6)
    n = len(singles)
    compatible = compatible_conditions(gen)[np.ix_(singles.table[:, 0], singles.table[:, 0])]
    n_pairs = int(np.triu(compatible, 1).sum())
    with pytest.raises(ValueError, match=rf" {n} single conditions reach min_support \(max_rule_len=1 keeps just "
                                         rf"these\); {n_pairs} pairs of them may share a rule"):
        mine_candidate_rules(gen, bits, len(X), min_support=0.01, max_candidates=n + 5)
    with pytest.raises(ValueError, match=rf" {n} single conditions reach min_support \(max_rule_len=1 keeps just "
                                         r"these\)\.$"):
        mine_candidate_rules(gen, bits, len(X), min_support=0.01, max_candidates=n - 1)


def test_bitset_helpers_against_numpy():
    rng = np.random.RandomState(3)
    masks = rng.rand(5, 200) < 0.4
    y = rng.randint(0, 3, 200)
    w = rng.rand(200)
    bits = bitset_from_mask(masks)
    assert bits.shape == (5, 4) and bits.dtype == np.uint64
    np.testing.assert_array_equal(mask_from_bitset(bits, 200), masks)
    np.testing.assert_array_equal(popcount(bits), masks.sum(axis=1))
    assert and_count(bits[0], bits[1]) == int((masks[0] & masks[1]).sum())
    np.testing.assert_allclose(weighted_counts(bits, w), masks.astype(float) @ w)
    expected = np.stack([[w[m & (y == k)].sum() for k in range(3)] for m in masks])
    np.testing.assert_allclose(class_counts(bits, y, w, 3), expected)
    np.testing.assert_allclose(class_counts(bits, y, None, 3), np.stack([np.bincount(y[m], minlength=3) for m in masks]))


@pytest.mark.parametrize("n_classes", [2, 10, 17])
def test_class_counts_by_class_masks_equal_the_walk_over_set_rows(n_classes):
    # Unit weights count by per-class masks (a popcount per 64 rows); the counts are those of walking the
    # set rows one at a time, exactly.  Past 16 classes the walk is used.
    rng = np.random.RandomState(4)
    masks = rng.rand(40, 1000) < rng.rand(40, 1)
    y = rng.randint(0, n_classes, 1000)
    expected = np.stack([np.bincount(y[m], minlength=n_classes) for m in masks]).astype(float)
    bits = bitset_from_mask(masks)
    np.testing.assert_array_equal(class_counts(bits, y, None, n_classes), expected)
    np.testing.assert_array_equal(class_counts(bits, y, np.ones(1000), n_classes), expected)
    # a weight other than 1 anywhere takes the weighted walk
    w = np.ones(1000)
    w[7] = 2.0
    expected[:, y[7]] += masks[:, 7]
    np.testing.assert_array_equal(class_counts(bits, y, w, n_classes), expected)


def test_candidates_without_held_coverage_build_it_block_by_block(monkeypatch):
    X = _data()
    gen = ConditionGenerator(max_thresholds=4).fit(X)
    bits = gen.transform_bitsets(X)
    y = np.random.RandomState(2).randint(0, 3, len(X))
    held = mine_candidate_rules(gen, bits, len(X), min_support=0.05, max_rule_len=2)
    # blocks of 3 candidates, so that the counts cross block boundaries
    monkeypatch.setattr("glassbox.rules.mining._BLOCK_BYTES", 3 * 8 * bits.shape[1])
    assert [b.stop - b.start for b in coverage_blocks(7, bits.shape[1])] == [3, 3, 1]
    lazy = mine_candidate_rules(gen, bits, len(X), min_support=0.05, max_rule_len=2, keep_coverage=False)
    assert lazy.coverage is None and len(lazy) == len(held) > 3
    np.testing.assert_array_equal(lazy.class_counts(y, None, 3), class_counts(held.coverage, y, None, 3))
    index = np.array([4, 0, len(held) - 1])
    np.testing.assert_array_equal(lazy.coverage_rows(index), held.coverage[index])


# -- the search's buffers grow with the candidates found, not to max_candidates at once ----------------------------

import tracemalloc  # noqa: E402

from glassbox.rules import mining  # noqa: E402


def _mined(max_candidates, **kwargs):
    X = _data(400, seed=3)
    gen = ConditionGenerator(max_thresholds=8).fit(X)
    return mine_candidate_rules(gen, gen.transform_bitsets(X), len(X), min_support=0.02, max_rule_len=3,
                                max_candidates=max_candidates, **kwargs)


def test_a_large_max_candidates_allocates_for_the_candidates_found():
    # max_candidates=10**8 allocated buffers for 10**8 candidates before the search (1.6 GB for pairs, a
    # bare MemoryError asking for 7.28 TiB at 10**12)
    tracemalloc.start()
    try:
        huge = _mined(10**12)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, peak
    np.testing.assert_array_equal(huge.table, _mined(100_000).table)


def test_buffers_that_grow_find_the_candidates_one_buffer_finds(monkeypatch):
    whole = _mined(100_000)
    assert len(whole.table) > 100
    monkeypatch.setattr(mining, "_FIRST_BUFFER", 3)  # grows 3, 12, 48, ... rerunning the search each time
    grown = _mined(100_000)
    np.testing.assert_array_equal(grown.table, whole.table)
    np.testing.assert_array_equal(grown.weight, whole.weight)
    # the cap still stops the search, with the count of what reached min_support
    with pytest.raises(ValueError, match="More than max_candidates=50 candidate rules reach min_support"):
        _mined(50)


def test_buffers_memory_cannot_hold_name_what_to_change(monkeypatch):
    class ShortOfMemory:  # numpy for the mining module, whose np.full fails as a huge allocation does
        def __getattr__(self, name):
            return getattr(np, name)

        @staticmethod
        def full(*args, **kwargs):
            raise MemoryError("Unable to allocate 7.28 TiB")

    monkeypatch.setattr(mining, "np", ShortOfMemory())
    with pytest.raises(MemoryError, match=r"candidate rules reach min_support=0\.02 with max_rule_len=3, and holding "
                                          r"\d+ of them takes more memory than could be allocated\. Raise min_support"):
        _mined(10**6)
