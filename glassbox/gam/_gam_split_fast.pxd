# Split search on gradient histograms and the weighted pool-adjacent-violators projection
# (_gam_split_fast.pyx), cimported by the term updates (_gam_terms_fast) and the FAST ranking
# of pairs (_gam_pairs_fast).

from ._gam_losses cimport intp


cdef inline double _leaf_gain(const double* G, const double* H, intp K, double lam) noexcept nogil:
    cdef double gain = 0.0
    cdef intp k
    for k in range(K):
        gain = gain + G[k] * G[k] / (H[k] + lam)
    return gain


cdef void _pava(double* values, intp stride, const double* weights, intp wstride, intp n,
                int direction, double* block_value, double* block_weight,
                intp* block_length) noexcept nogil
cdef double _best_split(const double* pg, const double* ph, const double* pc, intp start, intp stop,
                        intp K, double min_leaf, double lam, double* sg, double* sh, intp* cut) noexcept nogil
cdef double _best_quadrants(const double* pg, const double* ph, const double* pc, intp rows, intp cols,
                            intp K, double min_leaf, double lam, double* sg, double* sh,
                            intp* best_row, intp* best_col) noexcept nogil
cdef void _prefix_1d(const double* hg, const double* hh, const double* hc, intp n, intp K,
                     double* pg, double* ph, double* pc) noexcept nogil
cdef void _prefix_2d(const double* hg, const double* hh, const double* hc, intp rows, intp cols, intp K,
                     double* pg, double* ph, double* pc) noexcept nogil
