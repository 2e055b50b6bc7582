"""Compiled Metropolis-Hastings sampler of Bayesian rule lists (Letham et al. 2015).

A list is a sequence of candidate rules; each row is decided by the first rule
that covers it, else by the default.  On bitsets, the rows left undecided
before position p (``rem[p]``) are the AND-NOT chain of the rules above it, so
a move that changes the list from position p0 on leaves every term above p0
untouched: the log-posterior is updated by recomputing only positions >= p0
(scalable BRL, Yang et al. 2017, keeps the same prefix structure).

Per rule the likelihood is the Dirichlet-multinomial marginal of the class
counts it captures; the prior is a truncated Poisson on the length, a
truncated Poisson on each rule's width among widths with unused candidates,
and a uniform choice among the unused candidates of that width.  The NumPy
reference is ``glassbox.rules._reference.log_posterior_reference``.
"""

from cython.parallel cimport prange, threadid
from libc.math cimport INFINITY, exp, lgamma, log
from libc.stdint cimport uint64_t
from libc.stdlib cimport free, malloc

from ._bitsets cimport gb_ctz64, gb_popcount64, uniform01, uniform_index

ctypedef unsigned char uint8

cdef enum:
    MAX_WIDTH = 16  # widths 0..15; the miner caps rules at 10 conditions

# How far (in the tempered log acceptance ratio) a partial sum must fall below the acceptance bound
# before a proposal's scoring stops early: far above the rounding of a sum of log-posterior terms
# (about 1e-10 at a million rows), so early stops never reject a proposal the full sum accepts.
cdef double _EARLY_REJECT_MARGIN = 1e-6


cdef struct Model:
    const uint64_t* coverage      # (n_cand, n_words)
    const uint64_t* class_bits    # (K, n_words), uniform weights only
    const uint64_t* valid         # (n_words,): every training row
    const Py_ssize_t* y           # (n_words * 64,)
    const double* weights         # (n_words * 64,)
    const int* widths             # (n_cand,)
    const double* log_pois_width  # (MAX_WIDTH,)
    const int* width_totals       # (MAX_WIDTH,)
    const double* log_pois_len    # (cap + 1,)
    const double* alpha           # (K,)
    const double* lg_alpha        # (K, n_rows + 1): lgamma(alpha_k + c), uniform weights only
    const double* lg_alpha_sum    # (n_rows + 1,): lgamma(alpha_sum + t), uniform weights only
    const double* log_int         # (max width total + 1,): log(k)
    double log_norm_all           # log of the width prior's normaliser while every width has candidates left
    Py_ssize_t n_rows
    double alpha_sum
    double dm_const               # sum_k lgamma(alpha_k) - lgamma(alpha_sum)
    Py_ssize_t n_cand
    Py_ssize_t n_words
    int n_classes
    int cap
    int max_width
    bint uniform


cdef struct PointTracker:
    # Letham et al.'s BRL-point needs, after burn-in, the posterior mean length and width and
    # the best list seen for each (length, total width): one slot per pair.
    Py_ssize_t burn_in
    int stride          # total widths per length (cap * max_width + 1)
    double* bucket_lp   # (cap + 1) * stride, -inf when unseen
    int* bucket_lists   # (cap + 1) * stride * cap
    double* sums        # [sum of lengths, sum of total widths, kept iterations]
    # Thinned posterior draws for the posterior predictive: every ``thin``-th list after burn-in.
    Py_ssize_t thin
    Py_ssize_t n_keep
    int* samples        # n_keep * cap
    int* sample_lengths # n_keep


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


cdef double _captured_term(const Model* M, const uint64_t* cov, const uint64_t* rem_in,
                           uint64_t* rem_out, double* counts) noexcept nogil:
    """Dirichlet-multinomial log marginal of the rows of rem_in that cov captures; rem_out = rem_in & ~cov."""
    cdef Py_ssize_t w, i
    cdef int k
    cdef uint64_t captured, word
    cdef double total = 0.0, term
    cdef long long n_captured = 0, n_positive = 0
    cdef const uint64_t* positive = &M.class_bits[M.n_words]
    for k in range(M.n_classes):
        counts[k] = 0.0
    if M.uniform and M.n_classes == 2:
        # Binary, unweighted: integer popcounts of all captured rows and of class 1 only.
        for w in range(M.n_words):
            captured = cov[w] & rem_in[w]
            rem_out[w] = rem_in[w] & ~cov[w]
            n_captured += gb_popcount64(captured)
            n_positive += gb_popcount64(captured & positive[w])
        counts[0] = <double>(n_captured - n_positive)
        counts[1] = <double>n_positive
        # Integer counts: lgamma comes from tables (the same values, without the call).
        return (-M.dm_const + M.lg_alpha[n_captured - n_positive] + M.lg_alpha[M.n_rows + 1 + n_positive]
                - M.lg_alpha_sum[n_captured])
    for w in range(M.n_words):
        captured = cov[w] & rem_in[w]
        rem_out[w] = rem_in[w] & ~cov[w]
        if captured == 0:
            continue
        if M.uniform:
            for k in range(M.n_classes):
                counts[k] += gb_popcount64(captured & M.class_bits[k * M.n_words + w])
        else:
            word = captured
            while word:
                i = (w << 6) + gb_ctz64(word)
                counts[M.y[i]] += M.weights[i]
                word &= word - 1
    term = -M.dm_const
    if M.uniform:
        for k in range(M.n_classes):
            term += M.lg_alpha[k * (M.n_rows + 1) + <Py_ssize_t>counts[k]]
            total += counts[k]
        return term - M.lg_alpha_sum[<Py_ssize_t>total]
    for k in range(M.n_classes):
        term += lgamma(M.alpha[k] + counts[k])
        total += counts[k]
    return term - lgamma(M.alpha_sum + total)


cdef double _log_prior(const Model* M, const int* lst, int m) noexcept nogil:
    """Log prior of the list (constants that do not depend on the list dropped)."""
    cdef int remaining[MAX_WIDTH]
    cdef int p, v, w
    cdef bint exhausted = False  # has some width run out of candidates (the normaliser shrinks)?
    cdef double norm, log_norm, out = M.log_pois_len[m]
    for v in range(M.max_width + 1):
        remaining[v] = M.width_totals[v]
    for p in range(m):
        w = M.widths[lst[p]]
        if exhausted:
            norm = 0.0
            for v in range(1, M.max_width + 1):
                if remaining[v] > 0:
                    norm += exp(M.log_pois_width[v])
            log_norm = log(norm)
        else:
            log_norm = M.log_norm_all
        out += M.log_pois_width[w] - log_norm - M.log_int[remaining[w]]
        remaining[w] -= 1
        if remaining[w] == 0:
            exhausted = True
    return out


cdef double _likelihood_from(const Model* M, const int* lst, int m, int p0, uint64_t* rem, double* terms,
                             bint write, uint64_t* scratch, double* counts) noexcept nogil:
    """Sum of the likelihood terms of positions p0..m (m = default), starting from rem[p0].

    With ``write`` the new rem[p + 1] and terms[p] are stored; otherwise two
    scratch bitsets roll along and the state is left untouched.
    """
    return _likelihood_span(M, lst, m, p0, m, rem, terms, write, scratch, counts, -INFINITY)


cdef double _likelihood_span(const Model* M, const int* lst, int m, int p0, int p_last, uint64_t* rem,
                             double* terms, bint write, uint64_t* scratch, double* counts,
                             double floor) noexcept nogil:
    """``_likelihood_from`` for a list whose positions after ``p_last`` decide the same rows as in the
    current state (a swap of p0 and p_last: the rules above p_last + 1 are the same set).

    Those positions' stored terms are added, in the same order, instead of being recomputed, so the
    sum is bit for bit the full recomputation's; with ``write`` only rem[p0 + 1 .. p_last + 1] and
    terms[p0 .. p_last] change.

    Every term is a log-probability (at most 0), so the running sum only falls: once it is below
    ``floor`` the rest cannot lift it back, and -inf is returned at once (-INFINITY: never).
    """
    cdef int p
    cdef double total = 0.0, term
    cdef const uint64_t* cur = &rem[p0 * M.n_words]
    cdef uint64_t* out
    cdef uint64_t* a = scratch
    cdef uint64_t* b = &scratch[M.n_words]
    for p in range(p0, m + 1):
        if total < floor:
            return -INFINITY
        if p > p_last:
            total += terms[p]
            continue
        out = &rem[(p + 1) * M.n_words] if write else a
        if p < m:
            term = _captured_term(M, &M.coverage[lst[p] * M.n_words], cur, out, counts)
        else:
            term = _captured_term(M, M.valid, cur, out, counts)
        if write:
            terms[p] = term
        total += term
        cur = out
        if not write:
            a, b = b, a
    return total


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
                     double log_temperature) noexcept nogil:
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
            for p in range(m):
                used[lst[p]] = 0
            for p in range(m_new):
                lst[p] = prop[p]
                used[lst[p]] = 1
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


cdef double _neighbour_lp(const Model* M, const int* prop, int m_new, int p0, int p_last, uint64_t* rem,
                          double* terms, uint64_t* scratch, double* counts) noexcept nogil:
    """Log-posterior of a neighbour that agrees with the current list above position p0 (and decides
    the same rows after ``p_last``, see ``_likelihood_span``)."""
    cdef double prefix = 0.0
    cdef int p
    for p in range(p0):
        prefix += terms[p]
    return (_log_prior(M, prop, m_new) + prefix
            + _likelihood_span(M, prop, m_new, p0, p_last, rem, terms, False, scratch, counts, -INFINITY))


cdef struct Shape:
    # Lists the polish may move to: length in [min_len, max_len], mean rule width in [min_width, max_width].
    int min_len
    int max_len
    double min_width
    double max_width


cdef inline bint _fits(const Shape* S, int m, int width_sum) noexcept nogil:
    if m < S.min_len or m > S.max_len:
        return False
    return m == 0 or (width_sum >= S.min_width * m - 1e-9 and width_sum <= S.max_width * m + 1e-9)


cdef double _best_reordering(const Model* M, const int* lst, int m, int width_sum, uint64_t* rem,
                             double* terms, uint64_t* scratch, double* counts, int* prop, int* best,
                             int* best_m, int* best_p0, const Shape* S) noexcept nogil:
    """Best remove / swap neighbour of the allowed shape ``S`` (copied into ``best``); its log-posterior."""
    cdef double lp, best_lp = -1e300
    cdef int i, j, pos, q
    for pos in range(m):  # remove
        if not _fits(S, m - 1, width_sum - M.widths[lst[pos]]):
            continue
        for q in range(pos):
            prop[q] = lst[q]
        for q in range(pos, m - 1):
            prop[q] = lst[q + 1]
        lp = _neighbour_lp(M, prop, m - 1, pos, m, rem, terms, scratch, counts)
        if lp > best_lp:
            best_lp = lp; best_m[0] = m - 1; best_p0[0] = pos
            for q in range(m - 1):
                best[q] = prop[q]
    for i in range(m):  # swap
        for j in range(i + 1, m):
            for q in range(m):
                prop[q] = lst[q]
            prop[i] = lst[j]
            prop[j] = lst[i]
            lp = _neighbour_lp(M, prop, m, i, j, rem, terms, scratch, counts)
            if lp > best_lp:
                best_lp = lp; best_m[0] = m; best_p0[0] = i
                for q in range(m):
                    best[q] = prop[q]
    return best_lp


cdef inline void _with_inserted(const int* lst, int m, int pos, int c, int* out) noexcept nogil:
    """``out``: the list ``lst`` of ``m`` rules with candidate ``c`` inserted at position ``pos``."""
    cdef int q
    for q in range(pos):
        out[q] = lst[q]
    out[pos] = c
    for q in range(pos, m):
        out[q + 1] = lst[q]


cdef inline void _with_replaced(const int* lst, int m, int pos, int c, int* out) noexcept nogil:
    """``out``: the list ``lst`` of ``m`` rules with candidate ``c`` in place of rule ``pos``."""
    cdef int q
    for q in range(m):
        out[q] = lst[q]
    out[pos] = c


cdef double _best_insertion(const Model* M, const int* lst, int m, int width_sum, Py_ssize_t c, uint64_t* rem,
                            double* terms, uint64_t* scratch, double* counts, int* prop, const Shape* S,
                            int* kind, int* where) noexcept nogil:
    """Best list that adds candidate ``c`` (``kind`` 0) or puts it in place of a rule (``kind`` 1) at
    position ``where``; its log-posterior (-1e300 when no such list has the allowed shape)."""
    cdef double lp, best_lp = -1e300
    cdef int pos
    for pos in range(m + 1):
        if m < M.cap and _fits(S, m + 1, width_sum + M.widths[c]):
            _with_inserted(lst, m, pos, <int>c, prop)
            lp = _neighbour_lp(M, prop, m + 1, pos, m + 1, rem, terms, scratch, counts)
            if lp > best_lp:
                best_lp = lp; kind[0] = 0; where[0] = pos
        if pos < m and _fits(S, m, width_sum - M.widths[lst[pos]] + M.widths[c]):
            _with_replaced(lst, m, pos, <int>c, prop)
            lp = _neighbour_lp(M, prop, m, pos, m, rem, terms, scratch, counts)
            if lp > best_lp:
                best_lp = lp; kind[0] = 1; where[0] = pos
    return best_lp


# The polish scans, for every unused candidate c and every position p, the list with c added at p
# and the list with c in place of rule p.  Evaluating each from scratch costs about
# n_candidates * (n_rules + 1)**2 passes over the row bitsets per step.  With unit weights the
# counts of every such list follow from one pass over c's rows, because both moves only move
# rows between the current list's levels:
#
# * every row i is decided at level lev(i) (rule lev(i), or the default at level m) and, were
#   that rule gone, would fall to nxt(i), the first later level that covers it;
# * adding c at p: c takes the rows of c decided at levels >= p; each later level q loses
#   A_q = |rows of c decided at q|;
# * replacing rule p by c: c takes the same rows; level q > p loses A_q and gains the rows
#   decided at p, outside c, that fall to q: F(p, q) - G(p, q), where F(p, q) counts all rows
#   with (lev, nxt) = (p, q) and G(p, q) those in c.
#
# So each step groups the rows of every bitset word by their (lev, nxt) label ("pairs": word,
# label, mask), once; each candidate then popcounts its coverage against the pairs (about one
# pass over the rows), and every add / replace neighbour is O(n_rules) table lookups.  Counts are
# integers and the terms are summed in the same order as a full evaluation, so every neighbour's
# log-posterior is bit for bit the one ``_neighbour_lp`` gives.

cdef struct Flows:
    int levels                # m + 1 (the rules, then the default)
    Py_ssize_t n_pairs
    Py_ssize_t* pair_word     # (<= n_rows,)
    int* pair_label           # lev * levels + nxt (the default's rows: m * levels + m)
    uint64_t* pair_mask
    long long* level_counts   # (levels, K): rows each level decides, by class
    long long* fall_counts    # (levels * levels, K): F(lev, nxt), by class
    double* prefix            # (levels + 1,): prefix[p] = terms[0] + ... + terms[p - 1], summed in order


cdef struct FlowScratch:
    long long* hit            # (levels * levels, K): G(lev, nxt) of one candidate
    long long* lost           # (levels, K): A_q
    long long* taken          # (levels + 1, K): rows of c decided at levels >= p
    long long* counts         # (K,)


cdef inline double _counts_term(const Model* M, const long long* counts) noexcept nogil:
    """Dirichlet-multinomial log marginal of integer class counts (the same operations, in the
    same order, as ``_captured_term``'s unit-weight paths)."""
    cdef int k
    cdef long long total = 0
    cdef double term = -M.dm_const
    for k in range(M.n_classes):
        term += M.lg_alpha[k * (M.n_rows + 1) + counts[k]]
        total += counts[k]
    return term - M.lg_alpha_sum[total]


cdef inline void _emit_pair(const Model* M, Flows* F, Py_ssize_t w, int label, uint64_t mask) noexcept nogil:
    cdef int k, lev = label // F.levels
    cdef long long n
    F.pair_word[F.n_pairs] = w
    F.pair_label[F.n_pairs] = label
    F.pair_mask[F.n_pairs] = mask
    F.n_pairs += 1
    for k in range(M.n_classes):
        n = gb_popcount64(mask & M.class_bits[k * M.n_words + w])
        F.fall_counts[label * M.n_classes + k] += n
        F.level_counts[lev * M.n_classes + k] += n


cdef void _build_flows(const Model* M, const int* lst, int m, const uint64_t* rem, const double* terms,
                       Flows* F) noexcept nogil:
    """Label every row of the list in its current state (rem holds its levels) by (lev, nxt)."""
    cdef int L = m + 1, p, q
    cdef Py_ssize_t w, i
    cdef uint64_t decided, left, falls
    F.levels = L
    F.n_pairs = 0
    for i in range(L * L * M.n_classes):
        F.fall_counts[i] = 0
    for i in range(L * M.n_classes):
        F.level_counts[i] = 0
    F.prefix[0] = 0.0
    for p in range(L):
        F.prefix[p + 1] = F.prefix[p] + terms[p]
    for w in range(M.n_words):
        for p in range(m):
            decided = rem[p * M.n_words + w] & M.coverage[lst[p] * M.n_words + w]
            left = decided
            q = p + 1
            while left != 0 and q < m:
                falls = left & M.coverage[lst[q] * M.n_words + w]
                if falls != 0:
                    _emit_pair(M, F, w, p * L + q, falls)
                    left &= ~falls
                q += 1
            if left != 0:
                _emit_pair(M, F, w, p * L + m, left)
        decided = rem[m * M.n_words + w]
        if decided != 0:
            _emit_pair(M, F, w, m * L + m, decided)


cdef void _candidate_flows(const Model* M, const Flows* F, Py_ssize_t c, FlowScratch* T) noexcept nogil:
    """G (rows of c per label), A (per level) and the rows of c decided at levels >= p."""
    cdef int L = F.levels, K = M.n_classes, k, q, nxt
    cdef Py_ssize_t i, w
    cdef uint64_t both
    cdef const uint64_t* cov = &M.coverage[c * M.n_words]
    for i in range(L * L * K):
        T.hit[i] = 0
    for i in range(F.n_pairs):
        w = F.pair_word[i]
        both = F.pair_mask[i] & cov[w]
        if both != 0:
            for k in range(K):
                T.hit[F.pair_label[i] * K + k] += gb_popcount64(both & M.class_bits[k * M.n_words + w])
    for q in range(L):
        for k in range(K):
            T.lost[q * K + k] = 0
        for nxt in range(L):
            for k in range(K):
                T.lost[q * K + k] += T.hit[(q * L + nxt) * K + k]
    for k in range(K):
        T.taken[L * K + k] = 0
    for q in range(L - 1, -1, -1):
        for k in range(K):
            T.taken[q * K + k] = T.taken[(q + 1) * K + k] + T.lost[q * K + k]


cdef double _best_insertion_flows(const Model* M, const int* lst, int m, int width_sum, Py_ssize_t c,
                                  const Flows* F, FlowScratch* T, int* prop, const Shape* S,
                                  int* kind, int* where) noexcept nogil:
    """``_best_insertion`` from the flows: the same neighbours, scores and choice."""
    cdef double lp, total, best_lp = -1e300
    cdef int pos, q, k, L = m + 1, K = M.n_classes
    cdef bint can_add = m < M.cap and _fits(S, m + 1, width_sum + M.widths[c]), can_replace = False
    for pos in range(m):
        can_replace = can_replace or _fits(S, m, width_sum - M.widths[lst[pos]] + M.widths[c])
    if not (can_add or can_replace):  # the shape allows no list with c: skip the pass over its rows
        return best_lp
    _candidate_flows(M, F, c, T)
    for pos in range(m + 1):
        if can_add:
            _with_inserted(lst, m, pos, <int>c, prop)
            total = 0.0
            total += _counts_term(M, &T.taken[pos * K])
            for q in range(pos, m + 1):
                for k in range(K):
                    T.counts[k] = F.level_counts[q * K + k] - T.lost[q * K + k]
                total += _counts_term(M, T.counts)
            lp = _log_prior(M, prop, m + 1) + F.prefix[pos] + total
            if lp > best_lp:
                best_lp = lp; kind[0] = 0; where[0] = pos
        if pos < m and _fits(S, m, width_sum - M.widths[lst[pos]] + M.widths[c]):
            _with_replaced(lst, m, pos, <int>c, prop)
            total = 0.0
            total += _counts_term(M, &T.taken[pos * K])
            for q in range(pos + 1, m + 1):
                for k in range(K):
                    T.counts[k] = (F.level_counts[q * K + k] - T.lost[q * K + k]
                                   + F.fall_counts[(pos * L + q) * K + k] - T.hit[(pos * L + q) * K + k])
                total += _counts_term(M, T.counts)
            lp = _log_prior(M, prop, m) + F.prefix[pos] + total
            if lp > best_lp:
                best_lp = lp; kind[0] = 1; where[0] = pos
    return best_lp


cdef double _best_neighbour(const Model* M, const int* lst, int m, const uint8* used, uint64_t* rem,
                            double* terms, uint64_t* scratch, double* counts, int* prop, int* best,
                            int* best_m, int* best_p0, const Shape* S, double* cand_lp, int* cand_kind,
                            int* cand_pos, Flows* F, FlowScratch* T, int n_threads) noexcept nogil:
    """Scan every add / remove / swap / replace neighbour of the allowed shape ``S``; copy the best
    into ``best``; return its log-posterior (-1e300 when no neighbour is allowed).

    The candidates are scanned in parallel (each thread with its own slice of ``scratch``,
    ``counts`` and ``prop``), then reduced in candidate order, so the neighbour chosen (the first
    best in scan order) does not depend on the number of threads.  With unit weights the add /
    replace neighbours are scored from the rows' flows between levels (see ``Flows``).
    """
    cdef double best_lp
    cdef int q, width_sum = 0, t
    cdef Py_ssize_t c, c_best = -1
    cdef Py_ssize_t scratch_size = 2 * M.n_words, prop_size = M.cap + 1
    for q in range(m):
        width_sum += M.widths[lst[q]]
    best_lp = _best_reordering(M, lst, m, width_sum, rem, terms, scratch, counts, prop, best, best_m, best_p0, S)
    if M.uniform:
        _build_flows(M, lst, m, rem, terms, F)
    for c in prange(M.n_cand, schedule="static", num_threads=n_threads):
        t = threadid()
        if used[c]:
            cand_lp[c] = -1e300
        elif M.uniform:
            cand_lp[c] = _best_insertion_flows(M, lst, m, width_sum, c, F, &T[t], &prop[t * prop_size], S,
                                               &cand_kind[c], &cand_pos[c])
        else:
            cand_lp[c] = _best_insertion(M, lst, m, width_sum, c, rem, terms, &scratch[t * scratch_size],
                                         &counts[t * M.n_classes], &prop[t * prop_size], S, &cand_kind[c],
                                         &cand_pos[c])
    for c in range(M.n_cand):
        if cand_lp[c] > best_lp:
            best_lp = cand_lp[c]
            c_best = c
    if c_best >= 0:
        if cand_kind[c_best] == 0:
            for q in range(cand_pos[c_best]):
                best[q] = lst[q]
            best[cand_pos[c_best]] = <int>c_best
            for q in range(cand_pos[c_best], m):
                best[q + 1] = lst[q]
            best_m[0] = m + 1
        else:
            for q in range(m):
                best[q] = lst[q]
            best[cand_pos[c_best]] = <int>c_best
            best_m[0] = m
        best_p0[0] = cand_pos[c_best]
    return best_lp


def polish(const uint64_t[:, ::1] coverage, const uint64_t[:, ::1] class_bits, const uint64_t[::1] valid,
           const Py_ssize_t[::1] y, const double[::1] weights, bint uniform, const int[::1] widths,
           const double[::1] log_pois_width, const int[::1] width_totals, const double[::1] log_pois_len,
           const double[::1] alpha, int[::1] lst, int length, int max_steps, int min_len=0, int max_len=-1,
           double min_width=0.0, double max_width=1e300, int n_threads=1):
    """Steepest ascent from a list: move to the best add / remove / swap / replace neighbour while it
    raises the log-posterior (at most ``max_steps`` moves).  Returns ``(length, log_posterior)``;
    ``lst`` (sized for the longest list) holds the result.  Only lists of length in
    ``[min_len, max_len]`` (``-1``: the capacity) and mean rule width in ``[min_width, max_width]``
    are visited.  The scan over candidates runs on ``n_threads`` threads (same result for any number)."""
    import numpy as np
    n_threads = max(n_threads, 1)
    cdef int cap = <int>lst.shape[0]
    cdef list keep = []  # the model's lookup tables
    cdef Model M = _make_model(coverage, class_bits, valid, y, weights, uniform, widths, log_pois_width,
                               width_totals, log_pois_len, alpha, cap, keep)
    cdef uint64_t[:, ::1] rem = np.zeros((cap + 2, coverage.shape[1]), dtype=np.uint64)
    cdef uint64_t[:, ::1] scratch = np.zeros((2 * n_threads, coverage.shape[1]), dtype=np.uint64)
    cdef double[::1] terms = np.zeros(cap + 1)
    cdef double[::1] counts = np.zeros(alpha.shape[0] * n_threads)
    cdef uint8[::1] used = np.zeros(coverage.shape[0], dtype=np.uint8)
    cdef int[::1] prop = np.zeros((cap + 1) * n_threads, dtype=np.intc)
    cdef int[::1] best = np.zeros(cap + 1, dtype=np.intc)
    cdef double[::1] cand_lp = np.zeros(coverage.shape[0])
    cdef int[::1] cand_kind = np.zeros(coverage.shape[0], dtype=np.intc)
    cdef int[::1] cand_pos = np.zeros(coverage.shape[0], dtype=np.intc)
    cdef int m = length, t
    cdef double lp = 0.0
    cdef Shape S
    # The flows of the add / replace scan (unit weights): at most one pair per row.
    cdef Py_ssize_t n_labels = (cap + 1) * (cap + 1), n_classes = alpha.shape[0]
    cdef Py_ssize_t[::1] pair_word = np.zeros(64 * coverage.shape[1] + 1, dtype=np.intp)
    cdef int[::1] pair_label = np.zeros(64 * coverage.shape[1] + 1, dtype=np.intc)
    cdef uint64_t[::1] pair_mask = np.zeros(64 * coverage.shape[1] + 1, dtype=np.uint64)
    cdef long long[::1] level_counts = np.zeros((cap + 1) * n_classes, dtype=np.longlong)
    cdef long long[::1] fall_counts = np.zeros(n_labels * n_classes, dtype=np.longlong)
    cdef double[::1] prefix = np.zeros(cap + 2)
    cdef long long[:, ::1] thread_counts = np.zeros(
        (n_threads, (n_labels + 2 * (cap + 2) + 1) * n_classes), dtype=np.longlong)
    cdef Flows F
    cdef FlowScratch* T = <FlowScratch*>malloc(n_threads * sizeof(FlowScratch))
    if T == NULL:
        raise MemoryError()
    F.pair_word = &pair_word[0]
    F.pair_label = &pair_label[0]
    F.pair_mask = &pair_mask[0]
    F.level_counts = &level_counts[0]
    F.fall_counts = &fall_counts[0]
    F.prefix = &prefix[0]
    for t in range(n_threads):
        T[t].hit = &thread_counts[t, 0]
        T[t].lost = &thread_counts[t, n_labels * n_classes]
        T[t].taken = &thread_counts[t, (n_labels + cap + 1) * n_classes]
        T[t].counts = &thread_counts[t, (n_labels + 2 * (cap + 2)) * n_classes]
    S.min_len = min_len
    S.max_len = cap if max_len < 0 else max_len
    S.min_width = min_width
    S.max_width = max_width
    cdef Model P = M
    cdef Py_ssize_t[::1] order
    cdef long long[::1] label_starts
    try:
        if uniform and m > 0:
            # Rows stored in the order of the start list's flow labels: a label's rows are then
            # contiguous and the flows hold a few pairs per word instead of one per label present
            # in it.  Every count, hence every score and the climb, is the same in any row order.
            with nogil:
                _evaluate_start(&M, &lst[0], m, &rem[0, 0], &terms[0], &scratch[0, 0], &counts[0])
                _build_flows(&M, &lst[0], m, &rem[0, 0], &terms[0], &F)
            order = np.empty(M.n_rows, dtype=np.intp)
            label_starts = np.zeros(n_labels + 1, dtype=np.longlong)
            with nogil:
                _flow_order(&F, &order[0], &label_starts[0])
            sorted_valid = np.zeros(coverage.shape[1], dtype=np.uint64)
            sorted_valid[: M.n_rows // 64] = ~np.uint64(0)
            if M.n_rows % 64:
                sorted_valid[M.n_rows // 64] = (np.uint64(1) << np.uint64(M.n_rows % 64)) - np.uint64(1)
            sorted_coverage = _gather_rows(coverage, order, n_threads)
            sorted_class_bits = _gather_rows(class_bits, order, 1)
            keep.extend([sorted_coverage, sorted_class_bits, sorted_valid])  # P points into them
            P = _make_model(sorted_coverage, sorted_class_bits, sorted_valid, y, weights, uniform, widths,
                            log_pois_width, width_totals, log_pois_len, alpha, cap, keep)
        with nogil:
            _polish_steps(&P, &lst[0], &m, &lp, max_steps, &used[0], &rem[0, 0], &terms[0], &scratch[0, 0],
                          &counts[0], &prop[0], &best[0], &S, &cand_lp[0], &cand_kind[0], &cand_pos[0], &F, T,
                          n_threads)
    finally:
        free(T)
    return m, lp


cdef void _evaluate_start(const Model* M, const int* lst, int m, uint64_t* rem, double* terms, uint64_t* scratch,
                          double* counts) noexcept nogil:
    """rem levels and terms of a list, from every row undecided."""
    cdef Py_ssize_t w
    for w in range(M.n_words):
        rem[w] = M.valid[w]
    _likelihood_from(M, lst, m, 0, rem, terms, True, scratch, counts)


cdef void _flow_order(const Flows* F, Py_ssize_t* order, long long* start) noexcept nogil:
    """The rows of the flows' pairs, label by label (a counting sort; rows keep their order within a
    label); ``start`` holds at least levels**2 + 1 counters."""
    cdef Py_ssize_t i, n_labels = F.levels * F.levels
    cdef uint64_t mask
    cdef int label
    for label in range(n_labels + 1):
        start[label] = 0
    for i in range(F.n_pairs):
        start[F.pair_label[i] + 1] += gb_popcount64(F.pair_mask[i])
    for label in range(n_labels):
        start[label + 1] += start[label]
    for i in range(F.n_pairs):
        mask = F.pair_mask[i]
        while mask:
            order[start[F.pair_label[i]]] = (F.pair_word[i] << 6) + gb_ctz64(mask)
            start[F.pair_label[i]] += 1
            mask &= mask - 1


def _gather_rows(const uint64_t[:, ::1] bits, const Py_ssize_t[::1] order, int n_threads):
    """Bitsets with row i taken from row ``order[i]`` of ``bits`` (every row of every bitset)."""
    import numpy as np
    cdef uint64_t[:, ::1] out = np.zeros((bits.shape[0], bits.shape[1]), dtype=np.uint64)
    cdef Py_ssize_t r, i, o, w, n = order.shape[0]
    cdef uint64_t word
    for r in prange(bits.shape[0], nogil=True, schedule="static", num_threads=max(n_threads, 1)):
        for w in range((n + 63) // 64):
            word = 0
            for i in range(w * 64, min(w * 64 + 64, n)):
                o = order[i]
                word = word | (((bits[r, o >> 6] >> (o & 63)) & 1) << (i - w * 64))
            out[r, w] = word
    return np.asarray(out)


cdef void _polish_steps(const Model* M, int* lst, int* length, double* log_posterior, int max_steps,
                        uint8* used, uint64_t* rem, double* terms, uint64_t* scratch, double* counts, int* prop,
                        int* best, const Shape* S, double* cand_lp, int* cand_kind, int* cand_pos, Flows* F,
                        FlowScratch* T, int n_threads) noexcept nogil:
    """The steepest ascent of ``polish`` (state buffers allocated by the caller)."""
    cdef int m = length[0], best_m = 0, best_p0 = 0, step, p
    cdef double lp, candidate_lp
    cdef Py_ssize_t w
    for w in range(M.n_words):
        rem[w] = M.valid[w]
    for p in range(m):
        used[lst[p]] = 1
    lp = _log_prior(M, lst, m) + _likelihood_from(M, lst, m, 0, rem, terms, True, scratch, counts)
    for step in range(max_steps):
        candidate_lp = _best_neighbour(M, lst, m, used, rem, terms, scratch, counts, prop, best, &best_m,
                                       &best_p0, S, cand_lp, cand_kind, cand_pos, F, T, n_threads)
        if not candidate_lp > lp + 1e-12:
            break
        for p in range(m):
            used[lst[p]] = 0
        for p in range(best_m):
            lst[p] = best[p]
            used[lst[p]] = 1
        m = best_m
        _likelihood_from(M, lst, m, best_p0, rem, terms, True, scratch, counts)
        lp = candidate_lp
    length[0] = m
    log_posterior[0] = lp


cdef Model _make_model(const uint64_t[:, ::1] coverage, const uint64_t[:, ::1] class_bits,
                       const uint64_t[::1] valid, const Py_ssize_t[::1] y, const double[::1] weights,
                       bint uniform, const int[::1] widths, const double[::1] log_pois_width,
                       const int[::1] width_totals, const double[::1] log_pois_len, const double[::1] alpha,
                       int cap, list keep):
    """The model's pointers; lookup tables are allocated here and kept alive in ``keep``."""
    import numpy as np
    cdef Model M
    cdef int k, v
    cdef Py_ssize_t c, n_rows = 0, w
    cdef double norm = 0.0
    cdef double[:, ::1] lg_alpha
    cdef double[::1] lg_alpha_sum, log_int
    if uniform:
        for w in range(valid.shape[0]):
            n_rows += gb_popcount64(valid[w])
    lg_alpha = np.empty((alpha.shape[0], n_rows + 1))
    lg_alpha_sum = np.empty(n_rows + 1)
    log_int = np.empty(max(np.max(width_totals), 0) + 1)
    keep.extend([lg_alpha, lg_alpha_sum, log_int])
    M.coverage = &coverage[0, 0]
    M.class_bits = &class_bits[0, 0]
    M.valid = &valid[0]
    M.y = &y[0]
    M.weights = &weights[0]
    M.widths = &widths[0]
    M.log_pois_width = &log_pois_width[0]
    M.width_totals = &width_totals[0]
    M.log_pois_len = &log_pois_len[0]
    M.alpha = &alpha[0]
    M.n_classes = <int>alpha.shape[0]
    M.alpha_sum = 0.0
    M.dm_const = 0.0
    for k in range(M.n_classes):
        M.alpha_sum += alpha[k]
        M.dm_const += lgamma(alpha[k])
    M.dm_const -= lgamma(M.alpha_sum)
    for k in range(M.n_classes):
        for c in range(n_rows + 1):
            lg_alpha[k, c] = lgamma(alpha[k] + <double>c)
    for c in range(n_rows + 1):
        lg_alpha_sum[c] = lgamma(M.alpha_sum + <double>c)
    for c in range(log_int.shape[0]):
        log_int[c] = log(<double>c)
    for v in range(1, log_pois_width.shape[0]):
        if width_totals[v] > 0:
            norm += exp(log_pois_width[v])
    M.log_norm_all = log(norm)
    M.lg_alpha = &lg_alpha[0, 0]
    M.lg_alpha_sum = &lg_alpha_sum[0]
    M.log_int = &log_int[0]
    M.n_rows = n_rows
    M.n_cand = coverage.shape[0]
    M.n_words = coverage.shape[1]
    M.cap = cap
    M.max_width = <int>log_pois_width.shape[0] - 1
    M.uniform = uniform
    return M


def run_chains(const uint64_t[:, ::1] coverage, const uint64_t[:, ::1] class_bits, const uint64_t[::1] valid,
               const Py_ssize_t[::1] y, const double[::1] weights, bint uniform, const int[::1] widths,
               const double[::1] log_pois_width, const int[::1] width_totals, const double[::1] log_pois_len,
               const double[::1] alpha, Py_ssize_t n_iter, uint64_t[::1] seeds,
               int[:, ::1] lists, int[::1] lengths, uint8[:, ::1] used, uint64_t[:, :, ::1] rem,
               double[:, ::1] terms, uint64_t[:, :, ::1] scratch, double[:, ::1] counts, int[:, ::1] prop,
               double[:, ::1] trace, int[:, ::1] best, int[::1] best_lengths, double[::1] best_lp,
               long long[::1] n_accept, Py_ssize_t burn_in, double[:, ::1] bucket_lp, int[:, ::1] bucket_lists,
               double[:, ::1] sums, Py_ssize_t thin, int[:, ::1] samples, int[:, ::1] sample_lengths,
               double initial_temperature, int n_threads):
    """Run one Metropolis-Hastings chain per row of ``lists`` (its starting list), in parallel.

    After ``burn_in`` iterations each chain also accumulates its length and
    width sums and the best list per (length, total width) for BRL-point, and
    keeps every ``thin``-th list in ``samples`` (``sample_lengths.shape[1]``
    draws per chain at most) for the posterior predictive.
    """
    cdef Py_ssize_t c, n_chains = lists.shape[0]
    cdef list keep = []  # the model's lookup tables
    cdef Model M = _make_model(coverage, class_bits, valid, y, weights, uniform, widths, log_pois_width,
                               width_totals, log_pois_len, alpha, <int>lists.shape[1], keep)
    cdef PointTracker* trackers = <PointTracker*>malloc(n_chains * sizeof(PointTracker))
    if trackers == NULL:
        raise MemoryError()
    for c in range(n_chains):
        trackers[c].burn_in = burn_in
        trackers[c].stride = M.cap * M.max_width + 1
        trackers[c].bucket_lp = &bucket_lp[c, 0]
        trackers[c].bucket_lists = &bucket_lists[c, 0]
        trackers[c].sums = &sums[c, 0]
        trackers[c].thin = thin
        trackers[c].n_keep = sample_lengths.shape[1]
        trackers[c].samples = &samples[c, 0]
        trackers[c].sample_lengths = &sample_lengths[c, 0]
    try:
        # Chains are handed out one at a time: on a busy machine a thread that falls behind runs
        # fewer chains instead of holding up the whole fit (each chain's result is the same).
        for c in prange(n_chains, nogil=True, schedule="dynamic", chunksize=1, num_threads=n_threads):
            _run_chain(&M, n_iter, &lists[c, 0], &lengths[c], &used[c, 0], &rem[c, 0, 0], &terms[c, 0],
                       &scratch[c, 0, 0], &counts[c, 0], &prop[c, 0], &trace[c, 0], &best[c, 0],
                       &best_lengths[c], &best_lp[c], &n_accept[c], &seeds[c], &trackers[c],
                       log(initial_temperature))
    finally:
        free(trackers)


def list_log_posterior(const uint64_t[:, ::1] coverage, const uint64_t[:, ::1] class_bits,
                       const uint64_t[::1] valid, const Py_ssize_t[::1] y, const double[::1] weights,
                       bint uniform, const int[::1] widths, const double[::1] log_pois_width,
                       const int[::1] width_totals, const double[::1] log_pois_len, const double[::1] alpha,
                       const int[::1] lst):
    """Log-posterior (same constants dropped as the sampler) of one list, for tests and diagnostics."""
    import numpy as np
    cdef int m = <int>lst.shape[0]
    cdef uint64_t[:, ::1] rem = np.zeros((m + 2, coverage.shape[1]), dtype=np.uint64)
    cdef uint64_t[:, ::1] scratch = np.zeros((2, coverage.shape[1]), dtype=np.uint64)
    cdef double[::1] terms = np.zeros(m + 1)
    cdef double[::1] counts = np.zeros(alpha.shape[0])
    cdef list keep = []  # the model's lookup tables
    cdef Model M = _make_model(coverage, class_bits, valid, y, weights, uniform, widths, log_pois_width,
                               width_totals, log_pois_len, alpha, m, keep)
    rem[0, :] = valid
    cdef const int* lp = &lst[0] if m > 0 else NULL
    return _log_prior(&M, lp, m) + _likelihood_from(&M, lp, m, 0, &rem[0, 0], &terms[0], True, &scratch[0, 0], &counts[0])
