"""FAST ranking of pairs for the GAM (Lou et al. 2013): on the residual gradients of the
main-effects model, the gain of the best one-cut-per-axis fit of each pair's coarse grid.

``pair_gains`` is imported by ``_pairs.py`` through ``_gam_fast``.
"""

from cython.parallel cimport prange
from libc.stdlib cimport calloc, free, malloc

from ._gam_losses cimport NEWTON_EPS, intp, uint16
from ._gam_split_fast cimport _best_quadrants, _prefix_2d
from ..utils._interrupt cimport Interrupt, _interrupt_init, _interrupted, _raise_if_interrupted


def pair_gains(const uint16[::1, :] coarse_codes,
               const double[:, ::1] g, const double[:, ::1] h, const double[::1] w,
               const intp[::1] n_coarse, const intp[::1] first, const intp[::1] second,
               double min_leaf, double[::1] gains, int n_threads):
    """FAST: gain of the best one-cut-per-axis fit of each pair on the residual gradients.

    ``coarse_codes[:, j]`` are feature ``j``'s coarse interaction bins (``n_coarse[j]`` of them).
    Ctrl-C stops the ranking after the pairs under way (each one pass over the rows) and raises here.
    """
    cdef intp n = coarse_codes.shape[0], K = g.shape[1], n_pairs = first.shape[0]
    cdef intp p, max_cells = 1, max_prefix = 1
    cdef Interrupt interrupt
    _interrupt_init(&interrupt)
    for p in range(n_pairs):
        max_cells = max(max_cells, n_coarse[first[p]] * n_coarse[second[p]])
        max_prefix = max(max_prefix, (n_coarse[first[p]] + 1) * (n_coarse[second[p]] + 1))
    for p in prange(n_pairs, nogil=True, schedule="dynamic", num_threads=n_threads):
        if _interrupted(&interrupt):
            continue
        gains[p] = _pair_gain(&coarse_codes[0, 0], n, &g[0, 0], &h[0, 0], &w[0], K,
                              first[p], second[p], n_coarse[first[p]], n_coarse[second[p]],
                              min_leaf, max_cells, max_prefix)
    _raise_if_interrupted(&interrupt)


cdef double _pair_gain(const uint16* codes, intp n, const double* g, const double* h, const double* w,
                       intp K, intp j1, intp j2, intp rows, intp cols, double min_leaf,
                       intp max_cells, intp max_prefix) noexcept nogil:
    cdef double* hg = <double*> calloc(max_cells * K, sizeof(double))
    cdef double* hh = <double*> calloc(max_cells * K, sizeof(double))
    cdef double* hc = <double*> calloc(max_cells, sizeof(double))
    cdef double* pg = <double*> malloc(max_prefix * K * sizeof(double))
    cdef double* ph = <double*> malloc(max_prefix * K * sizeof(double))
    cdef double* pc = <double*> malloc(max_prefix * sizeof(double))
    cdef double* sg = <double*> malloc(K * sizeof(double))
    cdef double* sh = <double*> malloc(K * sizeof(double))
    cdef intp i, k, c, a, b
    cdef double gain = -1.0
    if hg != NULL and hh != NULL and hc != NULL and pg != NULL and ph != NULL and pc != NULL and sg != NULL and sh != NULL:
        for i in range(n):
            c = codes[j1 * n + i] * cols + codes[j2 * n + i]
            for k in range(K):
                hg[c * K + k] = hg[c * K + k] + g[i * K + k]
                hh[c * K + k] = hh[c * K + k] + h[i * K + k]
            if w[i] > 0:
                hc[c] = hc[c] + 1.0
        _prefix_2d(hg, hh, hc, rows, cols, K, pg, ph, pc)
        gain = _best_quadrants(pg, ph, pc, rows, cols, K, min_leaf, NEWTON_EPS, sg, sh, &a, &b)
    free(hg)
    free(hh)
    free(hc)
    free(pg)
    free(ph)
    free(pc)
    free(sg)
    free(sh)
    return gain
