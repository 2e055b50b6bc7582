# The Bayesian rule list model shared by the sampler (_brl_mcmc_fast) and the polish
# (_brl_polish_fast): the struct of pointers a fit scores lists against, and the
# log-posterior terms of a list (Letham et al. 2015), inline so that the hot loops of every
# module that cimports them keep them inlined.  ``_make_model`` (_brl_model_fast.pyx) fills
# the struct.
#
# Per rule the likelihood is the Dirichlet-multinomial marginal of the class counts it
# captures; the prior is a truncated Poisson on the length, a truncated Poisson on each
# rule's width among widths with unused candidates, and a uniform choice among the unused
# candidates of that width.  The NumPy reference is
# ``glassbox.rules._reference.log_posterior_reference``.

from libc.math cimport INFINITY, exp, lgamma, log
from libc.stdint cimport uint64_t

from ._bitsets cimport gb_ctz64, gb_popcount64

ctypedef unsigned char uint8


cdef enum:
    MAX_WIDTH = 16  # widths 0..15; the miner caps rules at 10 conditions
    MAX_WEIGHT_LEVELS = 64  # most classes a weighted fit counts by popcount (one weight per class)


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
    # Weighted fits in which every row of a class has the same weight (class_weight, one weight for
    # every row): the weight of a class's captured rows is read from a popcount, not summed row by row.
    const uint64_t* level_bits    # (K, n_words): the rows of positive weight of each class
    const double* level_sums      # class k's count c -> level_sums[level_starts[k] + c]
    const double* level_lgamma    # lgamma(alpha_k + level_sums[i]), the same index i
    const Py_ssize_t* level_starts  # (K + 1,)
    int n_levels                  # K, or 0: weighted rows are summed one by one
    const uint64_t* count_bits    # the bitsets popcounts are taken of: class_bits, or level_bits
    bint counted                  # unit weights, or weights read from popcounts (n_levels > 0)
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


cdef Model _make_model(const uint64_t[:, ::1] coverage, const uint64_t[:, ::1] class_bits,
                       const uint64_t[::1] valid, const Py_ssize_t[::1] y, const double[::1] weights,
                       bint uniform, const uint64_t[::1] level_bits, const double[::1] level_sums,
                       const Py_ssize_t[::1] level_starts,
                       const int[::1] widths, const double[::1] log_pois_width,
                       const int[::1] width_totals, const double[::1] log_pois_len, const double[::1] alpha,
                       int cap, list keep)


cdef inline void _adopt_list(int* lst, int m, const int* new, int m_new, uint8* used) noexcept nogil:
    """Make ``new`` (``m_new`` rules) the current list ``lst`` (``m`` rules), keeping ``used`` in step."""
    cdef int p
    for p in range(m):
        used[lst[p]] = 0
    for p in range(m_new):
        lst[p] = new[p]
        used[lst[p]] = 1


cdef inline double _weighted_term(const Model* M, const double* counts) noexcept nogil:
    """Dirichlet-multinomial log marginal of fractional class counts."""
    cdef int k
    cdef double total = 0.0, term = -M.dm_const
    for k in range(M.n_classes):
        term += lgamma(M.alpha[k] + counts[k])
        total += counts[k]
    return term - lgamma(M.alpha_sum + total)


cdef inline double _levels_term(const Model* M, const long long* n_in_level) noexcept nogil:
    """``_weighted_term`` of the weights of ``n_in_level[k]`` rows of each class (one weight per class),
    with lgamma(alpha_k + count) from a table: the same values, summed in the same order."""
    cdef int k
    cdef Py_ssize_t i
    cdef double total = 0.0, term = -M.dm_const
    for k in range(M.n_classes):
        i = M.level_starts[k] + n_in_level[k]
        term += M.level_lgamma[i]
        total += M.level_sums[i]
    return term - lgamma(M.alpha_sum + total)


cdef inline double _captured_term_levels(const Model* M, const uint64_t* cov, const uint64_t* rem_in,
                                         uint64_t* rem_out, double* counts) noexcept nogil:
    """``_captured_term`` of a weighted fit with one weight per class: a popcount per class, then each
    count turned into a weight by a table summed in row order (bit for bit the row-by-row loop's sum)."""
    cdef long long n_in_level[MAX_WEIGHT_LEVELS]
    cdef Py_ssize_t w
    cdef int l, L = M.n_levels
    cdef uint64_t captured
    for l in range(L):
        n_in_level[l] = 0
    for w in range(M.n_words):
        captured = cov[w] & rem_in[w]
        rem_out[w] = rem_in[w] & ~cov[w]
        if captured == 0:
            continue
        for l in range(L):
            n_in_level[l] += gb_popcount64(captured & M.level_bits[l * M.n_words + w])
    return _levels_term(M, n_in_level)


cdef inline double _captured_term(const Model* M, const uint64_t* cov, const uint64_t* rem_in,
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
    if not M.uniform and M.n_levels > 0:
        return _captured_term_levels(M, cov, rem_in, rem_out, counts)
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
    return _weighted_term(M, counts)


cdef inline double _log_prior(const Model* M, const int* lst, int m) noexcept nogil:
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


cdef inline double _likelihood_span(const Model* M, const int* lst, int m, int p0, int p_last, uint64_t* rem,
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


cdef inline double _likelihood_from(const Model* M, const int* lst, int m, int p0, uint64_t* rem, double* terms,
                                    bint write, uint64_t* scratch, double* counts) noexcept nogil:
    """Sum of the likelihood terms of positions p0..m (m = default), starting from rem[p0].

    With ``write`` the new rem[p + 1] and terms[p] are stored; otherwise two
    scratch bitsets roll along and the state is left untouched.
    """
    return _likelihood_span(M, lst, m, p0, m, rem, terms, write, scratch, counts, -INFINITY)
