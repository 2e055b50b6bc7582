"""Compiled optimizer of the interpretable-decision-set (IDS) objective.

The objective (Lakkaraju, Bach & Leskovec, 2016) scores a set ``R`` of
candidate rules.  Without its constant offsets (which only make it
non-negative) it is::

    F(R) = - l1 |R| - l2 sum_len(R) - l3 overlap_same(R) - l4 overlap_diff(R)
           + l5 classes_covered(R) - l6 incorrect_cover(R) + l7 correct_cover(R)

where overlaps sum the training weight covered by both rules of each pair, the
incorrect cover of a rule is the weight it covers outside its class and the
correct cover is the weight of rows covered by at least one rule of their own
class.  ``F`` is submodular and non-monotone.

A :class:`SetState` holds one set and the per-candidate and per-row counters
that turn every single-rule move into an O(words) or O(1) delta:

* ``overlap_same[e]`` / ``overlap_diff[e]``: weight ``e`` shares with members
  of its own / other classes (from the precomputed pairwise overlap matrix);
* ``correct_count[i]``: members of row ``i``'s class that cover it, mirrored in
  two bitsets, ``covered`` (count >= 1) and ``once`` (count == 1), so that the
  coverage delta of adding or removing ``e`` is one popcount over
  ``correct_cover[e] & ~covered`` or ``correct_cover[e] & once``.

The optimizers (randomized double greedy, greedy and best-improvement local
search over add / remove / swap moves) only ever accept moves through these
deltas.  ``glassbox.rules._decision_set_objective`` holds the slow NumPy
reference the tests compare against.
"""

from cython.parallel cimport prange
from libc.stdint cimport uint64_t
from libc.string cimport memcpy

from ._bitsets cimport gb_ctz64, gb_popcount64

import numpy as np

ctypedef unsigned char uint8

# Index of each weight in the ``lambdas`` vector.
cdef enum:
    L_RULES = 0
    L_CONDITIONS = 1
    L_OVERLAP_SAME = 2
    L_OVERLAP_DIFF = 3
    L_CLASSES = 4
    L_INCORRECT = 5
    L_CORRECT = 6


cdef inline double masked_weight(const uint64_t* a, const uint64_t* b, bint complement_b,
                                 Py_ssize_t n_words, const double* weights, bint uniform) noexcept nogil:
    """Weight of the rows in ``a & b`` (or ``a & ~b``): a popcount when rows weigh 1."""
    cdef Py_ssize_t w
    cdef uint64_t word
    cdef long long count = 0
    cdef double total = 0.0
    for w in range(n_words):
        word = a[w] & (~b[w] if complement_b else b[w])
        if uniform:
            count += gb_popcount64(word)
        else:
            while word:
                total += weights[(w << 6) + gb_ctz64(word)]
                word &= word - 1
    return <double>count if uniform else total


def pairwise_overlap(const uint64_t[:, ::1] cover, const double[::1] weights, bint uniform,
                     double[:, ::1] out, int n_threads):
    """out[a, b] = weight of the rows both rules cover (zero diagonal)."""
    cdef Py_ssize_t n_rules = cover.shape[0]
    cdef Py_ssize_t n_words = cover.shape[1]
    cdef Py_ssize_t a, b
    cdef double value
    for a in prange(n_rules, nogil=True, schedule="dynamic", num_threads=n_threads):
        out[a, a] = 0.0
        for b in range(a + 1, n_rules):
            value = masked_weight(&cover[a, 0], &cover[b, 0], False, n_words, &weights[0], uniform)
            out[a, b] = value
            out[b, a] = value


def cover_weights(const uint64_t[:, ::1] cover, const uint64_t[:, ::1] masks, const Py_ssize_t[::1] mask_of_rule,
                  const double[::1] weights, bint uniform, double[::1] out, int n_threads):
    """out[r] = weight of rows in cover[r] & masks[mask_of_rule[r]]."""
    cdef Py_ssize_t r
    for r in prange(cover.shape[0], nogil=True, schedule="static", num_threads=n_threads):
        out[r] = masked_weight(&cover[r, 0], &masks[mask_of_rule[r], 0], False, cover.shape[1],
                               &weights[0], uniform)


cdef class SetState:
    """A set of candidate rules and the counters that give exact move deltas.

    Parameters
    ----------
    correct_cover : uint64 (n_rules, n_words)
        Rows each rule covers *and* that belong to its class.
    overlap : float64 (n_rules, n_rules)
        Pairwise covered weight, zero diagonal.
    rule_class, rule_length : per-rule class index and number of conditions.
    incorrect : float64 (n_rules,)
        Weight each rule covers outside its class.
    weights : float64 (n_samples,), uniform : bool
        Row weights (``uniform``: every row weighs 1 and popcounts are used).
    lambdas : float64 (7,)
        Objective weights l1..l7, as in the module docstring.
    n_classes : int
    """

    cdef readonly const uint64_t[:, ::1] correct_cover
    cdef readonly const double[:, ::1] overlap
    cdef readonly const Py_ssize_t[::1] rule_class
    cdef readonly const double[::1] rule_length
    cdef readonly const double[::1] incorrect
    cdef readonly const double[::1] weights
    cdef readonly bint uniform
    cdef readonly const double[::1] lambdas
    cdef readonly uint8[::1] member
    cdef readonly double[::1] overlap_same
    cdef readonly double[::1] overlap_diff
    cdef readonly int[::1] correct_count
    cdef readonly uint64_t[::1] covered
    cdef readonly uint64_t[::1] once
    cdef readonly Py_ssize_t[::1] class_count
    cdef readonly Py_ssize_t size
    cdef readonly double value
    cdef Py_ssize_t n_rules, n_words

    def __init__(self, correct_cover, overlap, rule_class, rule_length, incorrect, weights,
                 bint uniform, lambdas, Py_ssize_t n_classes):
        self.correct_cover = correct_cover
        self.overlap = overlap
        self.rule_class = rule_class
        self.rule_length = rule_length
        self.incorrect = incorrect
        self.weights = weights
        self.uniform = uniform
        self.lambdas = lambdas
        self.n_rules = correct_cover.shape[0]
        self.n_words = correct_cover.shape[1]
        self.member = np.zeros(self.n_rules, dtype=np.uint8)
        self.overlap_same = np.zeros(self.n_rules)
        self.overlap_diff = np.zeros(self.n_rules)
        self.correct_count = np.zeros(max(64 * self.n_words, 1), dtype=np.intc)
        self.covered = np.zeros(max(self.n_words, 1), dtype=np.uint64)
        self.once = np.zeros(max(self.n_words, 1), dtype=np.uint64)
        self.class_count = np.zeros(n_classes, dtype=np.intp)
        self.size = 0
        self.value = 0.0

    def members(self):
        """Indices of the rules in the set, ascending."""
        return np.flatnonzero(np.asarray(self.member)).astype(np.intp)

    # -- deltas ------------------------------------------------------------------
    cdef double delta_add(self, Py_ssize_t e) noexcept nogil:
        cdef const double* lam = &self.lambdas[0]
        cdef double d = -lam[L_RULES] - lam[L_CONDITIONS] * self.rule_length[e]
        d -= lam[L_OVERLAP_SAME] * self.overlap_same[e] + lam[L_OVERLAP_DIFF] * self.overlap_diff[e]
        d -= lam[L_INCORRECT] * self.incorrect[e]
        if self.class_count[self.rule_class[e]] == 0:
            d += lam[L_CLASSES]
        if lam[L_CORRECT] != 0.0 and self.n_words > 0:
            d += lam[L_CORRECT] * masked_weight(&self.correct_cover[e, 0], &self.covered[0], True,
                                                self.n_words, &self.weights[0], self.uniform)
        return d

    cdef double delta_remove(self, Py_ssize_t e) noexcept nogil:
        cdef const double* lam = &self.lambdas[0]
        cdef double d = lam[L_RULES] + lam[L_CONDITIONS] * self.rule_length[e]
        d += lam[L_OVERLAP_SAME] * self.overlap_same[e] + lam[L_OVERLAP_DIFF] * self.overlap_diff[e]
        d += lam[L_INCORRECT] * self.incorrect[e]
        if self.class_count[self.rule_class[e]] == 1:
            d -= lam[L_CLASSES]
        if lam[L_CORRECT] != 0.0 and self.n_words > 0:
            d -= lam[L_CORRECT] * masked_weight(&self.correct_cover[e, 0], &self.once[0], False,
                                                self.n_words, &self.weights[0], self.uniform)
        return d

    # -- moves -------------------------------------------------------------------
    cdef void _shift_overlaps(self, Py_ssize_t e, double sign) noexcept nogil:
        cdef Py_ssize_t s
        cdef Py_ssize_t c = self.rule_class[e]
        for s in range(self.n_rules):
            if self.rule_class[s] == c:
                self.overlap_same[s] += sign * self.overlap[s, e]
            else:
                self.overlap_diff[s] += sign * self.overlap[s, e]

    cdef void apply_add(self, Py_ssize_t e, double delta) noexcept nogil:
        cdef Py_ssize_t w, i
        cdef uint64_t word, bit
        cdef int count
        self._shift_overlaps(e, 1.0)
        for w in range(self.n_words):
            word = self.correct_cover[e, w]
            while word:
                bit = word & (~word + 1)
                i = (w << 6) + gb_ctz64(word)
                count = self.correct_count[i] + 1
                self.correct_count[i] = count
                if count == 1:
                    self.covered[w] |= bit
                    self.once[w] |= bit
                elif count == 2:
                    self.once[w] &= ~bit
                word &= word - 1
        self.class_count[self.rule_class[e]] += 1
        self.member[e] = 1
        self.size += 1
        self.value += delta

    cdef void apply_remove(self, Py_ssize_t e, double delta) noexcept nogil:
        cdef Py_ssize_t w, i
        cdef uint64_t word, bit
        cdef int count
        self._shift_overlaps(e, -1.0)
        for w in range(self.n_words):
            word = self.correct_cover[e, w]
            while word:
                bit = word & (~word + 1)
                i = (w << 6) + gb_ctz64(word)
                count = self.correct_count[i] - 1
                self.correct_count[i] = count
                if count == 0:
                    self.covered[w] &= ~bit
                    self.once[w] &= ~bit
                elif count == 1:
                    self.once[w] |= bit
                word &= word - 1
        self.class_count[self.rule_class[e]] -= 1
        self.member[e] = 0
        self.size -= 1
        self.value += delta

    # -- Python access (tests, drivers) ------------------------------------------
    def add(self, Py_ssize_t e):
        """Add rule ``e`` (not a member); return the objective change."""
        cdef double d
        if self.member[e]:
            raise ValueError(f"rule {e} is already in the set")
        d = self.delta_add(e)
        self.apply_add(e, d)
        return d

    def remove(self, Py_ssize_t e):
        """Remove rule ``e`` (a member); return the objective change."""
        cdef double d
        if not self.member[e]:
            raise ValueError(f"rule {e} is not in the set")
        d = self.delta_remove(e)
        self.apply_remove(e, d)
        return d

    def gain_of_adding(self, Py_ssize_t e):
        return self.delta_add(e)

    def gain_of_removing(self, Py_ssize_t e):
        return self.delta_remove(e)


def fill(SetState state, const Py_ssize_t[::1] rules):
    """Add ``rules`` (none a member yet) to ``state``."""
    cdef Py_ssize_t k
    with nogil:
        for k in range(rules.shape[0]):
            state.apply_add(rules[k], state.delta_add(rules[k]))


def double_greedy(SetState low, SetState high, const Py_ssize_t[::1] order, const double[::1] coins,
                  double[::1] low_trace, double[::1] high_trace):
    """Randomized double greedy (Buchbinder, Feldman, Naor & Schwartz, 2012).

    ``low`` starts empty and ``high`` full.  Rule ``order[t]`` joins ``low`` with
    probability ``a+ / (a+ + b+)`` (``coins[t]`` is the uniform draw), where ``a``
    is its gain in ``low`` and ``b`` the gain of dropping it from ``high``;
    otherwise it leaves ``high``.  Submodularity gives ``a + b >= 0``, so neither
    set's objective ever decreases (the traces record them); at the end both
    hold the same rules.
    """
    cdef Py_ssize_t t, e
    cdef double a, b, a_pos, b_pos
    cdef bint take
    with nogil:
        for t in range(order.shape[0]):
            e = order[t]
            a = low.delta_add(e)
            b = high.delta_remove(e)
            a_pos = a if a > 0.0 else 0.0
            b_pos = b if b > 0.0 else 0.0
            if a_pos + b_pos <= 0.0:
                take = True
            else:
                take = coins[t] * (a_pos + b_pos) < a_pos
            if take:
                low.apply_add(e, a)
            else:
                high.apply_remove(e, b)
            low_trace[t] = low.value
            high_trace[t] = high.value


def greedy(SetState state, Py_ssize_t max_rules):
    """Add the best rule while that raises the objective and the set has room."""
    cdef Py_ssize_t e, best
    cdef double d, best_delta
    with nogil:
        while state.size < max_rules:
            best = -1
            best_delta = 0.0
            for e in range(state.n_rules):
                if not state.member[e]:
                    d = state.delta_add(e)
                    if d > best_delta:
                        best, best_delta = e, d
            if best < 0:
                break
            state.apply_add(best, best_delta)


def trim(SetState state, Py_ssize_t max_rules):
    """Drop the rule whose removal costs least until at most ``max_rules`` remain."""
    cdef Py_ssize_t e, best
    cdef double d, best_delta
    with nogil:
        while state.size > max_rules:
            best, best_delta = -1, 0.0
            for e in range(state.n_rules):
                if state.member[e]:
                    d = state.delta_remove(e)
                    if best < 0 or d > best_delta:
                        best, best_delta = e, d
            state.apply_remove(best, best_delta)


cdef void _add_deltas(SetState state, Py_ssize_t skip, double[::1] out, int n_threads) noexcept nogil:
    cdef Py_ssize_t e
    for e in prange(state.n_rules, schedule="static", num_threads=n_threads):
        if state.member[e] or e == skip:
            out[e] = -1e300
        else:
            out[e] = state.delta_add(e)


def local_search(SetState state, Py_ssize_t max_rules, Py_ssize_t max_moves, double tol,
                 double[::1] trace, Py_ssize_t[:, ::1] moves_made, int n_threads):
    """Best-improvement local search over add, remove and swap moves.

    A move is taken only when it raises the objective by more than ``tol``;
    ``trace[k]`` records the objective after move ``k`` and ``moves_made[k]``
    its ``(added, removed)`` rules (-1: none).  Returns the number of moves
    made (the search stops at a local optimum or after ``max_moves``).
    """
    cdef Py_ssize_t n = state.n_rules
    cdef double[::1] deltas = np.empty(n)
    cdef double[::1] saved_same = np.empty(n)
    cdef double[::1] saved_diff = np.empty(n)
    cdef Py_ssize_t moves = 0, e, s, kind, best_in, best_out
    cdef double best, d, d_out, saved_value
    with nogil:
        while moves < max_moves:
            best, kind, best_in, best_out = tol, 0, -1, -1
            if state.size < max_rules:
                _add_deltas(state, -1, deltas, n_threads)
                for e in range(n):
                    if deltas[e] > best:
                        best, kind, best_in = deltas[e], 1, e
            for s in range(n):
                if not state.member[s]:
                    continue
                d_out = state.delta_remove(s)
                if d_out > best:
                    best, kind, best_out = d_out, 2, s
                # A swap is scored exactly: take s out, score every entry, put s back.
                memcpy(&saved_same[0], &state.overlap_same[0], n * sizeof(double))
                memcpy(&saved_diff[0], &state.overlap_diff[0], n * sizeof(double))
                saved_value = state.value
                state.apply_remove(s, d_out)
                _add_deltas(state, s, deltas, n_threads)
                state.apply_add(s, 0.0)
                memcpy(&state.overlap_same[0], &saved_same[0], n * sizeof(double))
                memcpy(&state.overlap_diff[0], &saved_diff[0], n * sizeof(double))
                state.value = saved_value
                for e in range(n):
                    d = d_out + deltas[e]
                    if deltas[e] > -1e299 and d > best:
                        best, kind, best_in, best_out = d, 3, e, s
            if kind == 0:
                break
            if kind == 2 or kind == 3:
                state.apply_remove(best_out, state.delta_remove(best_out))
            if kind == 1 or kind == 3:
                state.apply_add(best_in, state.delta_add(best_in))
            trace[moves] = state.value
            moves_made[moves, 0] = best_in
            moves_made[moves, 1] = best_out
            moves += 1
    return moves
