"""Steepest ascent over the neighbours of a Bayesian rule list (the polish after the chains).

Every add / remove / swap / replace neighbour of the list is scored; the
scan over candidates runs on threads and is reduced in candidate order, so the
result does not depend on the number of threads.  With unit weights (or one weight per class) the
add / replace neighbours are scored from the rows' flows between levels (the
comment above ``_counts_term`` below; the structs are in _brl_polish_fast.pxd).  ``polish``
(_brl_fast.pyx) allocates the buffers and calls ``_polish_steps``.
"""

from cython.parallel cimport prange, threadid
from libc.math cimport INFINITY
from libc.stdint cimport uint64_t

from ._bitsets cimport gb_ctz64, gb_popcount64
from ._brl_model_fast cimport (
    Model, _adopt_list, _captured_term, _levels_term, _likelihood_from, _likelihood_span, _log_prior, uint8,
)


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


cdef inline double _counts_term(const Model* M, const long long* counts) noexcept nogil:
    """Dirichlet-multinomial log marginal of integer class counts (the same operations, in the
    same order, as ``_captured_term``'s unit-weight and per-class-weight paths)."""
    cdef int k
    cdef long long total = 0
    cdef double term = -M.dm_const
    if not M.uniform:  # rows of one weight per class: their weights, as _captured_term_levels
        return _levels_term(M, counts)
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
        n = gb_popcount64(mask & M.count_bits[k * M.n_words + w])
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
                T.hit[F.pair_label[i] * K + k] += gb_popcount64(both & M.count_bits[k * M.n_words + w])
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
    best in scan order) does not depend on the number of threads.  With unit weights (or one weight
    per class) the add / replace neighbours are scored from the rows' flows between levels (see ``Flows``).
    """
    cdef double best_lp
    cdef int q, width_sum = 0, t
    cdef Py_ssize_t c, c_best = -1
    cdef Py_ssize_t scratch_size = 2 * M.n_words, prop_size = M.cap + 1
    for q in range(m):
        width_sum += M.widths[lst[q]]
    best_lp = _best_reordering(M, lst, m, width_sum, rem, terms, scratch, counts, prop, best, best_m, best_p0, S)
    if M.counted:
        _build_flows(M, lst, m, rem, terms, F)
    for c in prange(M.n_cand, schedule="static", num_threads=n_threads):
        t = threadid()
        if used[c]:
            cand_lp[c] = -1e300
        elif M.counted:
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
        _adopt_list(lst, m, best, best_m, used)
        m = best_m
        _likelihood_from(M, lst, m, best_p0, rem, terms, True, scratch, counts)
        lp = candidate_lp
    length[0] = m
    log_posterior[0] = lp
