"""The Metropolis-Hastings chain of Bayesian rule lists (Letham et al. 2015).

A list is a sequence of candidate rules; each row is decided by the first rule
that covers it, else by the default.  On bitsets, the rows left undecided
before position p (``rem[p]``) are the AND-NOT chain of the rules above it, so
a move that changes the list from position p0 on leaves every term above p0
untouched: the log-posterior is updated by recomputing only positions >= p0
(scalable BRL, Yang et al. 2017, keeps the same prefix structure).  The terms
are in _brl_model_fast.pxd; ``run_chains`` (_brl_fast.pyx) runs the chains on threads.
"""

from libc.math cimport INFINITY, exp, log
from libc.stdint cimport uint64_t

from ._bitsets cimport uniform01, uniform_index
from ._brl_model_fast cimport Model, _adopt_list, _likelihood_from, _likelihood_span, _log_prior, uint8
from ..utils._interrupt cimport Interrupt, _interrupted


# How far (in the tempered log acceptance ratio) a partial sum must fall below the acceptance bound
# before a proposal's scoring stops early: far above the rounding of a sum of log-posterior terms
# (about 1e-10 at a million rows), so early stops never reject a proposal the full sum accepts.
cdef double _EARLY_REJECT_MARGIN = 1e-6
# Iterations between two looks for Ctrl-C: an iteration takes from a tenth of a microsecond (a chain
# that rejects its proposals early, on small data) to about a millisecond on a million rows, and a
# look (a clock read in the calling thread) some 30 ns.
cdef enum:
    INTERRUPT_STRIDE = 128  # a power of two: the test below is a mask, not a division


cdef void _track(const Model* M, PointTracker* T, const int* lst, int m, double lp) noexcept nogil:
    cdef int p, width_sum = 0
    cdef Py_ssize_t slot
    for p in range(m):
        width_sum += M.widths[lst[p]]
    T.sums[0] += m
    T.sums[1] += width_sum
    T.sums[2] += 1.0
    slot = <Py_ssize_t>m * T.stride + width_sum
    if lp > T.bucket_lp[slot]:
        T.bucket_lp[slot] = lp
        for p in range(m):
            T.bucket_lists[slot * M.cap + p] = lst[p]


cdef void _keep_sample(const Model* M, PointTracker* T, const int* lst, int m, Py_ssize_t it) noexcept nogil:
    """Store the list as a posterior draw when iteration ``it`` (counted from burn-in) is on the thinning grid."""
    cdef Py_ssize_t s
    cdef int p
    if it % T.thin != 0:
        return
    s = it // T.thin
    if s >= T.n_keep:
        return
    T.sample_lengths[s] = m
    for p in range(m):
        T.samples[s * M.cap + p] = lst[p]


cdef void _move_probabilities(int m, int cap, Py_ssize_t n_cand, double* probs) noexcept nogil:
    """Probabilities of (add, remove, swap, replace) from a list of length m: uniform over the
    moves that exist (add needs room, swap two rules, remove one, replace one by an unused
    candidate)."""
    cdef int k, n = 0
    probs[0] = 1.0 if m < cap else 0.0
    probs[1] = 1.0 if m >= 1 else 0.0
    probs[2] = 1.0 if m >= 2 else 0.0
    probs[3] = 1.0 if m >= 1 and m < n_cand else 0.0
    for k in range(4):
        n += <int>probs[k]
    for k in range(4):
        probs[k] /= n


cdef double _propose(const Model* M, const int* lst, int m, const uint8* used, int* prop, int* m_new,
                     int* p0, int* p_last, uint64_t* rng) noexcept nogil:
    """Draw a neighbour of the list into prop; return the log Hastings ratio q(old|new) / q(new|old).

    The neighbour agrees with the list above ``p0``; below ``p_last`` it decides the same rows
    (``p_last`` is the end of the list except for a swap, where it is the lower position)."""
    cdef double probs[4]
    cdef double back[4]
    cdef double u
    cdef int i, j, pos, tmp
    cdef Py_ssize_t cand
    _move_probabilities(m, M.cap, M.n_cand, probs)
    for i in range(m):
        prop[i] = lst[i]
    u = uniform01(rng)
    p_last[0] = m + 1  # every position after p0 (add, remove, replace)
    if u < probs[0]:  # add an unused candidate at a random position
        cand = uniform_index(rng, M.n_cand)
        while used[cand]:
            cand = uniform_index(rng, M.n_cand)
        pos = <int>uniform_index(rng, m + 1)
        for i in range(m, pos, -1):
            prop[i] = prop[i - 1]
        prop[pos] = <int>cand
        m_new[0] = m + 1
        p0[0] = pos
        _move_probabilities(m + 1, M.cap, M.n_cand, back)
        return log(back[1]) - log(probs[0]) + log(<double>(M.n_cand - m))
    if u < probs[0] + probs[1]:  # remove a rule
        pos = <int>uniform_index(rng, m)
        for i in range(pos, m - 1):
            prop[i] = prop[i + 1]
        m_new[0] = m - 1
        p0[0] = pos
        _move_probabilities(m - 1, M.cap, M.n_cand, back)
        return log(back[0]) - log(<double>(M.n_cand - m + 1)) - log(probs[1])
    if probs[3] > 0.0 and u >= probs[0] + probs[1] + probs[2]:  # replace by an unused candidate (symmetric)
        cand = uniform_index(rng, M.n_cand)
        while used[cand]:
            cand = uniform_index(rng, M.n_cand)
        pos = <int>uniform_index(rng, m)
        prop[pos] = <int>cand
        m_new[0] = m
        p0[0] = pos
        return 0.0
    i = <int>uniform_index(rng, m)  # swap two rules
    j = <int>uniform_index(rng, m - 1)
    if j >= i:
        j += 1
    if j < i:
        i, j = j, i
    tmp = prop[i]
    prop[i] = prop[j]
    prop[j] = tmp
    m_new[0] = m
    p0[0] = i
    p_last[0] = j
    return 0.0


cdef void _run_chain(const Model* M, Py_ssize_t n_iter, int* lst, int* length, uint8* used,
                     uint64_t* rem, double* terms, uint64_t* scratch, double* counts, int* prop,
                     double* trace, int* best, int* best_length, double* best_lp,
                     long long* n_accept, uint64_t* rng, PointTracker* tracker,
                     double log_temperature, Interrupt* interrupt) noexcept nogil:
    """``n_iter`` iterations of one chain, fewer if ``interrupt`` asks to stop (the chain's
    outputs are then partial)."""
    cdef Py_ssize_t it, w
    cdef int m = length[0], m_new = 0, p0 = 0, p_last = 0, p
    cdef double prefix, lp_new, log_h, log_u, base, floor
    cdef double lp, inverse_temperature = 1.0
    for w in range(M.n_words):
        rem[w] = M.valid[w]
    lp = _log_prior(M, lst, m) + _likelihood_from(M, lst, m, 0, rem, terms, True, scratch, counts)
    best_lp[0] = lp
    best_length[0] = m
    for p in range(m):
        best[p] = lst[p]
    for it in range(n_iter):
        if (it & (INTERRUPT_STRIDE - 1)) == 0 and _interrupted(interrupt):
            break
        log_h = _propose(M, lst, m, used, prop, &m_new, &p0, &p_last, rng)
        log_u = log(uniform01(rng))  # drawn before the proposal is scored, as it always came next
        # Simulated annealing during burn-in: the target is the posterior to the power 1 / T, with
        # log T falling linearly from log_temperature to 0; from burn-in on T = 1 (plain MH).
        if it < tracker.burn_in:
            inverse_temperature = exp(-log_temperature * (1.0 - <double>it / <double>tracker.burn_in))
        else:
            inverse_temperature = 1.0
        prefix = 0.0
        for p in range(p0):
            prefix += terms[p]
        base = _log_prior(M, prop, m_new) + prefix
        # A proposal is accepted iff lp_new > lp + (log u - log h) / (1 / T).  The likelihood terms
        # are summed from p0 down and only lower the sum, so scoring stops once it falls below
        # that bound; the margin keeps rounding from rejecting a proposal the full sum accepts
        # (the decisions, and so the chains, are those of the full computation).
        floor = lp + (log_u - log_h - _EARLY_REJECT_MARGIN) / inverse_temperature - base
        lp_new = base + _likelihood_span(M, prop, m_new, p0, p_last, rem, terms, False, scratch, counts, floor)
        if log_u < (lp_new - lp) * inverse_temperature + log_h:
            _adopt_list(lst, m, prop, m_new, used)
            m = m_new
            _likelihood_span(M, lst, m, p0, p_last, rem, terms, True, scratch, counts, -INFINITY)
            lp = lp_new
            n_accept[0] += 1
            if lp > best_lp[0]:
                best_lp[0] = lp
                best_length[0] = m
                for p in range(m):
                    best[p] = lst[p]
        trace[it] = lp
        if it >= tracker.burn_in:
            _track(M, tracker, lst, m, lp)
            _keep_sample(M, tracker, lst, m, it - tracker.burn_in)
    length[0] = m
