"""The lookup tables of a Bayesian rule list model (the struct and its terms: _brl_model_fast.pxd)."""

from libc.math cimport exp, lgamma, log
from libc.stdint cimport uint64_t

from ._bitsets cimport gb_popcount64


cdef Model _make_model(const uint64_t[:, ::1] coverage, const uint64_t[:, ::1] class_bits,
                       const uint64_t[::1] valid, const Py_ssize_t[::1] y, const double[::1] weights,
                       bint uniform, const uint64_t[::1] level_bits, const double[::1] level_sums,
                       const Py_ssize_t[::1] level_starts,
                       const int[::1] widths, const double[::1] log_pois_width,
                       const int[::1] width_totals, const double[::1] log_pois_len, const double[::1] alpha,
                       int cap, list keep):
    """The model's pointers; lookup tables are allocated here and kept alive in ``keep``."""
    import numpy as np
    cdef Model M
    cdef int k, v
    cdef Py_ssize_t c, n_rows = 0, w
    cdef double norm = 0.0
    cdef double[:, ::1] lg_alpha
    cdef double[::1] lg_alpha_sum, log_int, level_lgamma
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
    # Per-class weights (weighted fits only): the arrays are at least one element long even when unused.
    M.n_levels = <int>level_starts.shape[0] - 1
    if M.n_levels != 0 and (M.n_levels != M.n_classes or M.n_levels > MAX_WEIGHT_LEVELS):
        raise ValueError(f"{M.n_levels} weight levels for {M.n_classes} classes")
    M.level_bits = &level_bits[0]
    M.level_sums = &level_sums[0]
    M.level_starts = &level_starts[0]
    level_lgamma = np.zeros(level_sums.shape[0])
    keep.append(level_lgamma)
    for k in range(M.n_levels):
        for c in range(level_starts[k], level_starts[k + 1]):
            level_lgamma[c] = lgamma(alpha[k] + level_sums[c])
    M.level_lgamma = &level_lgamma[0]
    M.counted = uniform or M.n_levels > 0
    M.count_bits = M.class_bits if uniform else M.level_bits
    return M
