"""Candidate-rule mining shared by the rule families (rule lists, decision sets).

API
---
``mine_candidate_rules(generator, bitsets, *, sample_weight, min_support,
max_rule_len, max_candidates)`` -> :class:`CandidateRules`

    ``generator`` is a fitted :class:`~glassbox.utils.conditions.ConditionGenerator`
    and ``bitsets`` its ``bitsets_from_codes(codes)`` on the training rows
    (uint64, shape ``(n_conditions, n_words)``, bit i of a row = sample i).
    Frequent conjunctions of 1..``max_rule_len`` conditions are found by Eclat
    (compiled, popcount on uint64 words, ``nogil``).  Two conditions on the
    same feature share a rule only when together they form a strictly narrower,
    non-empty range (``age >= 30 AND age < 50``); redundant (``age >= 30 AND
    age >= 40``) or contradictory (``color == red AND color == blue``) pairs are
    never combined, nor conjunctions that cover exactly the rows of their prefix
    or of their last condition.  ``min_support`` is a fraction of the total
    sample weight; more than ``max_candidates`` frequent conjunctions raise a
    ``TooManyCandidates`` (a ``ValueError``) naming ``max_candidates`` /
    ``min_support`` / ``max_rule_len`` and counting the candidates of each
    width (mining on up to four times the cap), so that it can name a
    ``max_candidates`` that would do.  Which frequent conditions may share a
    rule is a table of one byte per pair; past 1 GiB (about 32,000 frequent
    conditions, e.g. 2,000 numeric features at 16 conditions each) a
    ``ValueError`` names ``max_thresholds`` / ``min_support`` / fewer features.

``CandidateRules``
    ``items`` (tuple of sorted tuples of condition indices into
    ``generator.conditions_``), ``coverage`` (uint64 ``(n_candidates, n_words)``,
    or None with ``keep_coverage=False``: ``coverage_rows(index)`` and
    ``class_counts(y, sample_weight, n_classes)`` build it a block at a time),
    ``weight`` (covered sample weight) and ``support`` (``weight / total weight``),
    ``widths``, ``conditions(generator, c)``.

Bitset helpers (all take uint64 rows of words):
``bitset_from_mask(mask)``, ``mask_from_bitset(bits, n_samples)``,
``popcount(bits)`` (per row), ``and_count(a, b)``,
``weighted_counts(bits, sample_weight)`` (per row) and
``class_counts(bits, y, sample_weight, n_classes)`` (per row and class).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._mining_fast import class_rows, class_weights, eclat_extend, intersection_of, row_weights

__all__ = [
    "CandidateRules",
    "mine_candidate_rules",
    "bitset_from_mask",
    "mask_from_bitset",
    "popcount",
    "and_count",
    "weighted_counts",
    "class_counts",
    "compatible_conditions",
    "TooManyCandidates",
    "candidate_counts_text",
    "coverage_of",
    "coverage_of_table",
    "coverage_blocks",
]

#: Longest conjunction the miner accepts (its compiled path buffer holds 64).
MAX_RULE_LEN = 10


@dataclass(frozen=True, eq=False)
class CandidateRules:
    """Frequent conjunctions of conditions and the training rows each covers.

    Attributes
    ----------
    table : ndarray of int, shape (n_candidates, max_rule_len)
        Condition indices (into the generator's ``conditions_``) of each
        candidate, sorted, padded with -1.
    items : sequence of tuple of int
        The same indices as tuples, built only for the candidates looked up
        (a fit keeps a handful of tens of thousands).
    coverage : ndarray of uint64, shape (n_candidates, n_words), or None
        Bit i of row c is set when training sample i satisfies candidate c.
        None when it is not kept whole (8 bytes per 64 rows and candidate:
        tens of thousands of candidates on a long table take gigabytes);
        :meth:`coverage_rows` and :meth:`class_counts` then build it a block
        of candidates at a time from ``bitsets``.
    weight : ndarray of float64, shape (n_candidates,)
        Sample weight covered by each candidate (row counts without weights).
    support : ndarray of float64, shape (n_candidates,)
        ``weight`` as a fraction of the total sample weight.
    n_samples : int
    bitsets : ndarray of uint64, shape (n_conditions, n_words), or None
        The conditions' bitsets the candidates are conjunctions of (needed
        only when ``coverage`` is None).
    """

    table: np.ndarray
    coverage: np.ndarray | None
    weight: np.ndarray
    support: np.ndarray
    n_samples: int
    bitsets: np.ndarray | None = None

    def __len__(self):
        return len(self.table)

    def coverage_rows(self, index):
        """Coverage bitsets of the candidates ``index`` (an array of positions)."""
        if self.coverage is not None:
            return np.ascontiguousarray(self.coverage[index])
        return coverage_of_table(self.bitsets, self.table[index])

    def rebuild_coverage(self, out):
        """Write every candidate's coverage, in the training rows' order, into ``out`` (as ``coverage``).

        Costs one AND of each candidate's conditions' bitsets: the way to put
        back a ``coverage`` whose rows a search reordered in place.
        """
        coverage_of_table(self.bitsets, self.table, out=out)

    def class_counts(self, y, sample_weight, n_classes):
        """:func:`class_counts` of every candidate's coverage, a block of candidates at a time."""
        if self.coverage is not None:
            return class_counts(self.coverage, y, sample_weight, n_classes)
        out = np.zeros((len(self), n_classes))
        for block in coverage_blocks(len(self), self.bitsets.shape[1]):
            out[block] = class_counts(self.coverage_rows(block), y, sample_weight, n_classes)
        return out

    @property
    def items(self):
        """Condition-index tuples of the candidates, built lazily from ``table``."""
        return _ItemTuples(self.table)

    @property
    def widths(self):
        """Number of conditions of each candidate (int array)."""
        return (self.table >= 0).sum(axis=1).astype(np.intc)

    def conditions(self, generator, c):
        """The :class:`~glassbox.explain.Condition` objects of candidate ``c``."""
        return tuple(generator.conditions_[i] for i in self.items[c])


class _ItemTuples(Sequence):
    """Read-only sequence view of a -1-padded index table: row c as a tuple of ints."""

    def __init__(self, table):
        self._table = table

    def __len__(self):
        return len(self._table)

    def __getitem__(self, c):
        if isinstance(c, slice):
            return [self[i] for i in range(*c.indices(len(self)))]
        row = self._table[c]
        return tuple(int(i) for i in row[row >= 0])


# -- bitset helpers -----------------------------------------------------------------


def bitset_from_mask(mask):
    """Pack a boolean array ``(n_samples,)`` or ``(n_rows, n_samples)`` into uint64 words."""
    mask = np.atleast_2d(np.asarray(mask, dtype=bool))
    n_words = (mask.shape[1] + 63) // 64
    padded = np.zeros((mask.shape[0], n_words * 64), dtype=bool)
    padded[:, : mask.shape[1]] = mask
    packed = np.packbits(padded, axis=1, bitorder="little")
    return np.ascontiguousarray(packed).view("<u8").astype(np.uint64)


def mask_from_bitset(bits, n_samples):
    """Unpack uint64 words ``(n_rows, n_words)`` into booleans ``(n_rows, n_samples)``."""
    bits = np.ascontiguousarray(np.atleast_2d(bits), dtype="<u8")
    unpacked = np.unpackbits(bits.view(np.uint8), axis=1, bitorder="little")
    return unpacked[:, :n_samples].astype(bool)


def popcount(bits):
    """Set bits of each row (int64 array)."""
    bits = np.ascontiguousarray(np.atleast_2d(bits), dtype=np.uint64)
    out = np.zeros(bits.shape[0])
    row_weights(bits, np.zeros(1), True, out)
    return out.astype(np.int64)


def and_count(a, b):
    """Number of rows set in both bitsets ``a`` and ``b`` (1-D word arrays)."""
    return int(popcount(np.bitwise_and(a, b))[0])


def weighted_counts(bits, sample_weight=None):
    """Weight of the rows set in each bitset row (popcount without weights)."""
    bits = np.ascontiguousarray(np.atleast_2d(bits), dtype=np.uint64)
    out = np.zeros(bits.shape[0])
    if sample_weight is None:
        row_weights(bits, np.zeros(1), True, out)
    else:
        row_weights(bits, _padded_weights(sample_weight, bits.shape[1]), False, out)
    return out


def class_counts(bits, y, sample_weight, n_classes):
    """Weight of the rows of each class set in each bitset row: ``(n_rows, n_classes)``.

    ``y`` holds class indices in ``[0, n_classes)``; ``sample_weight=None`` counts rows.
    """
    bits = np.ascontiguousarray(np.atleast_2d(bits), dtype=np.uint64)
    n_words = bits.shape[1]
    out = np.zeros((bits.shape[0], n_classes))
    if n_classes <= _MAX_CLASS_MASKS and (sample_weight is None or np.all(np.asarray(sample_weight) == 1.0)):
        # a row's class masks cost n_classes popcounts per 64 rows, where the weighted walk costs one step
        # per row set: at a candidate's typical cover, tens of times fewer operations (same counts exactly)
        class_bits = bitset_from_mask(np.asarray(y)[None, :] == np.arange(n_classes)[:, None])
        class_rows(bits, np.pad(class_bits, ((0, 0), (0, n_words - class_bits.shape[1]))), out)
        return out
    weights = np.ones(n_words * 64) if sample_weight is None else _padded_weights(sample_weight, n_words)
    codes = np.zeros(n_words * 64, dtype=np.intp)
    codes[: len(y)] = y
    class_weights(bits, codes, weights, out)
    return out


#: Most classes :func:`class_counts` counts by per-class masks (beyond, walking the set rows is cheaper).
_MAX_CLASS_MASKS = 16


def _padded_weights(sample_weight, n_words):
    weights = np.zeros(n_words * 64)
    weights[: len(sample_weight)] = sample_weight
    return weights


# -- mining ---------------------------------------------------------------------------


def compatible_conditions(generator, items=None):
    """``(n_items, n_items)`` uint8: may these two conditions share a rule?

    Conditions on different features always may.  Each condition is "bin code
    in [lo, hi)"; two on the same feature may only when their ranges overlap
    (not contradictory) and neither contains the other (not redundant).
    ``items`` (condition indices, all by default) selects the conditions.  Only
    same-feature blocks are computed, so the result's n_items**2 bytes is the
    whole footprint (no int or bool temporaries of that size).
    """
    items = np.arange(len(generator.condition_feature_)) if items is None else np.asarray(items)
    feature = np.asarray(generator.condition_feature_)[items]
    lo, hi = np.asarray(generator._lo)[items], np.asarray(generator._hi)[items]
    compatible = np.ones((len(items), len(items)), dtype=np.uint8)
    order = np.argsort(feature, kind="stable")
    starts = np.flatnonzero(np.r_[True, feature[order][1:] != feature[order][:-1]])
    for block in np.split(order, starts[1:]):
        b_lo, b_hi = lo[block], hi[block]
        overlap = np.maximum(b_lo[:, None], b_lo[None, :]) < np.minimum(b_hi[:, None], b_hi[None, :])
        a_in_b = (b_lo[:, None] >= b_lo[None, :]) & (b_hi[:, None] <= b_hi[None, :])
        compatible[np.ix_(block, block)] = overlap & ~(a_in_b | a_in_b.T)
    return compatible


#: Largest pairwise compatibility table (bytes, one per pair of frequent conditions) the miner builds.
_MAX_COMPATIBLE_BYTES = 1 << 30
# Candidates the first buffers of the search hold (1 MiB for pairs); they grow fourfold as needed up to max_candidates.
_FIRST_BUFFER = 1 << 16


def _candidate_buffers(size, max_rule_len, min_support, n_frequent):
    """The search's output buffers for ``size`` candidates, or a MemoryError naming what to change."""
    try:
        return np.full((size, max_rule_len), -1, dtype=np.intc), np.zeros(size)
    except MemoryError as error:
        raise MemoryError(
            f"More than {n_frequent + size // 4} candidate rules reach min_support={min_support} with "
            f"max_rule_len={max_rule_len}, and holding {n_frequent + size} of them takes more memory than could be "
            "allocated. Raise min_support, or lower max_rule_len or max_thresholds (conditions per numeric "
            "feature); max_candidates below that count stops the search with a count of the candidates instead."
        ) from error


class TooManyCandidates(ValueError):
    """More frequent conjunctions than ``max_candidates``."""


def mine_candidate_rules(
    generator, bitsets, n_samples, *, sample_weight=None, min_support=0.1, max_rule_len=2, max_candidates=10_000,
    keep_coverage=True,
):
    """Mine frequent conjunctions of the generator's conditions (Eclat on bitsets).

    Parameters
    ----------
    generator : fitted ConditionGenerator
    bitsets : ndarray of uint64, shape (n_conditions, n_words)
        ``generator.bitsets_from_codes(codes)`` of the training rows.
    n_samples : int
        Number of training rows (bits past it are zero).
    sample_weight : ndarray of shape (n_samples,) or None
        Support is measured in sample weight (row counts when None).
    min_support : float in (0, 1]
        Minimum covered fraction of the total weight.
    max_rule_len : int in [1, 10]
        Most conditions per candidate.
    max_candidates : int
        Cap on the number of candidates; exceeding it raises a ``ValueError``.
    keep_coverage : bool, default=True
        Hold every candidate's coverage (``coverage``); False leaves it None,
        to be built a block at a time from ``bitsets`` (see
        :class:`CandidateRules`).

    Returns
    -------
    CandidateRules
        Ordered by width: singletons (in condition order), then pairs, and so
        on, each width in Eclat's depth-first order; deterministic.  A condition that holds for all the
        weight is no candidate: it cannot tell rows apart.
    """
    if not 1 <= max_rule_len <= MAX_RULE_LEN:
        raise ValueError(f"max_rule_len={max_rule_len} must be between 1 and {MAX_RULE_LEN}.")
    bitsets = np.ascontiguousarray(bitsets, dtype=np.uint64)
    n_words = bitsets.shape[1]
    uniform = sample_weight is None
    weights = np.ones(n_words * 64) if uniform else _padded_weights(sample_weight, n_words)
    total = float(n_samples) if uniform else float(np.sum(sample_weight))
    min_weight = min_support * total
    item_weight = np.zeros(bitsets.shape[0])
    row_weights(bitsets, weights, uniform, item_weight)
    # Weighted sums are compared with a little slack so that a fraction such as 0.3 of 10 rows admits 3 rows.
    frequent = np.flatnonzero((item_weight >= min_weight * (1 - 1e-12)) & (item_weight < total * (1 - 1e-12)))
    if len(frequent) > max_candidates:
        raise _too_many(max_candidates, min_support, max_rule_len, len(frequent))
    table = frequent[:, None].astype(np.intc)
    weight = item_weight[frequent]
    if max_rule_len > 1 and len(frequent) > 1:
        if len(frequent) ** 2 > _MAX_COMPATIBLE_BYTES:
            raise _too_wide(len(frequent), max_rule_len)
        compatible = compatible_conditions(generator, frequent)
        cap = max_candidates - len(frequent)
        # The buffers grow (the search reruns) until the candidates fit or reach the cap: sized by the cap at once,
        # max_candidates=10**8 held 1.6 GB for the few thousand candidates a table has
        size = min(cap, _FIRST_BUFFER)
        while True:
            out_items, out_weight = _candidate_buffers(size, max_rule_len, min_support, len(frequent))
            n_found = eclat_extend(
                np.ascontiguousarray(bitsets[frequent]), np.ascontiguousarray(compatible), weights, uniform,
                min_weight * (1 - 1e-12), np.ascontiguousarray(item_weight[frequent]), max_rule_len, out_items,
                out_weight,
            )
            if n_found >= 0 or size >= cap:
                break
            size = min(cap, 4 * size)
        if n_found < 0:
            n_pairs = (int(compatible.sum(dtype=np.int64)) - int(np.trace(compatible))) // 2
            by_length, complete = _count_conjunctions(
                bitsets[frequent], compatible, weights, uniform, min_weight * (1 - 1e-12), item_weight[frequent],
                max_rule_len, max(_COUNT_FACTOR * max_candidates, _COUNT_AT_LEAST),
            )
            raise _too_many(max_candidates, min_support, max_rule_len, len(frequent), n_pairs, by_length, complete)
        found = out_items[:n_found]
        lengths = (found >= 0).sum(axis=1)
        order = np.argsort(lengths, kind="stable")  # by width, depth-first order within a width
        found = np.where(found >= 0, frequent[np.maximum(found, 0)], -1)[order]
        table = np.full((len(frequent) + n_found, max_rule_len), -1, dtype=np.intc)
        table[: len(frequent), 0] = frequent
        table[len(frequent) :] = found
        weight = np.concatenate([weight, out_weight[:n_found][order]])
    return CandidateRules(
        table=table,
        coverage=coverage_of_table(bitsets, table) if keep_coverage else None,
        weight=weight,
        support=weight / total if total > 0 else np.zeros_like(weight),
        n_samples=int(n_samples),
        bitsets=bitsets,
    )


def coverage_of_table(bitsets, table, out=None):
    """Coverage bitsets of each row of a -1-padded ``(n, max_len)`` table of condition indices.

    ``out`` (uint64, C-contiguous, ``(n, n_words)``), when given, receives them.
    """
    lengths = np.ascontiguousarray((table >= 0).sum(axis=1), dtype=np.intc)
    if out is None:
        out = np.zeros((len(table), bitsets.shape[1]), dtype=np.uint64)
    if len(table):
        intersection_of(bitsets, np.ascontiguousarray(np.maximum(table, 0), dtype=np.intc), lengths, out)
    return out


#: Bytes of candidate coverage built at a time when it is not kept whole.
_BLOCK_BYTES = 64 << 20


def coverage_blocks(n_candidates, n_words):
    """Slices of candidates whose coverage takes about :data:`_BLOCK_BYTES` each."""
    step = max(1, _BLOCK_BYTES // (8 * max(n_words, 1)))
    return [slice(start, min(start + step, n_candidates)) for start in range(0, n_candidates, step)]


def coverage_of(bitsets, items):
    """Coverage bitsets ``(len(items), n_words)``: the AND of each tuple's condition bitsets."""
    bitsets = np.ascontiguousarray(bitsets, dtype=np.uint64)
    table = np.full((len(items), max((len(t) for t in items), default=1)), -1, dtype=np.intc)
    for c, t in enumerate(items):
        table[c, : len(t)] = t
    return coverage_of_table(bitsets, table)


#: A refused mining counts the candidates up to this many times ``max_candidates`` (at least
#: ``_COUNT_AT_LEAST``), so that the refusal can name a ``max_candidates`` that would do.
_COUNT_FACTOR, _COUNT_AT_LEAST = 4, 1_000_000


def _count_conjunctions(bitsets, compatible, weights, uniform, min_weight, item_weight, max_rule_len, limit):
    """Candidates of each width (1..max_rule_len) up to ``limit`` in all, and whether that is all of them.

    The same Eclat as the mining with a larger cap; only the widths are kept.
    """
    cap = max(limit - len(bitsets), 1)
    out_items = np.full((cap, max_rule_len), -1, dtype=np.intc)
    n_found = eclat_extend(
        np.ascontiguousarray(bitsets), np.ascontiguousarray(compatible), weights, uniform, min_weight,
        np.ascontiguousarray(item_weight), max_rule_len, out_items, np.zeros(cap),
    )
    complete = n_found >= 0
    widths = (out_items[: n_found if complete else cap] >= 0).sum(axis=1)
    by_length = np.bincount(widths, minlength=max_rule_len + 1)[1:]
    by_length[0] = len(bitsets)
    return tuple(int(c) for c in by_length), complete


def _too_many(max_candidates, min_support, max_rule_len, n_frequent, n_pairs=None, by_length=None, complete=True):
    error = TooManyCandidates(
        f"More than max_candidates={max_candidates} candidate rules reach min_support={min_support} with "
        f"max_rule_len={max_rule_len}. Raise max_candidates, raise min_support, or lower max_rule_len "
        "(or max_thresholds, which sets how many conditions each numeric feature yields)."
        + candidate_counts_text(n_frequent, n_pairs, by_length, complete)
    )
    error.n_frequent, error.n_pairs = n_frequent, n_pairs
    error.n_by_length = by_length
    error.n_candidates = sum(by_length) if by_length is not None and complete else None
    return error


def candidate_counts_text(n_frequent, n_pairs, by_length=None, complete=True, whole=True):
    """What the settings produce: the frequent single conditions, the pairs of them that may share a rule,
    and (``by_length``: candidates of each width, all of them when ``complete``) how many candidates there are.
    ``whole=False``: the counts are part of the candidates (one class's), so their total is a floor.
    """
    text = f" {n_frequent} single conditions reach min_support (max_rule_len=1 keeps just these)"
    if n_pairs is not None:
        text += f"; {n_pairs} pairs of them may share a rule, each a candidate if it reaches min_support too"
    if by_length is None:
        return text + "."
    widths = ", ".join(f"{n} of {k} condition{'s' if k > 1 else ''}" for k, n in enumerate(by_length, 1))
    total = sum(by_length)
    if complete and not whole:
        return (text + f". In all {total} candidates reach min_support ({widths}): max_candidates must be at "
                f"least {total}.")
    if complete:
        return (text + f". In all {total} candidates reach min_support ({widths}): "
                f"max_candidates={total} would do.")
    return (text + f". Counting stopped at {total} candidates ({widths} so far): max_candidates would have to "
            "exceed that, so raise min_support or lower max_rule_len or max_thresholds instead.")


def _too_wide(n_frequent, max_rule_len):
    return ValueError(
        f"{n_frequent} conditions reach min_support; combining them into rules of up to "
        f"max_rule_len={max_rule_len} conditions needs a {n_frequent} x {n_frequent} table of which pairs may "
        f"share a rule ({n_frequent ** 2 / 2**30:.1f} GiB). Lower max_thresholds (conditions per numeric "
        "feature), raise min_support, select fewer features, or set max_rule_len=1."
    )
