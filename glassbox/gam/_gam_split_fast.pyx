"""Split search on the gradient histograms of the GAM kernels, and the weighted
pool-adjacent-violators projection of monotone shapes.

Histograms become prefix sums (``_prefix_1d`` over a main effect's bins,
``_prefix_2d`` over a pair's grid), from which every candidate cut's Newton
gain is a few subtractions.  NumPy references are in ``_reference.py``.
"""

from libc.stdlib cimport free, malloc
from libc.string cimport memset

from ._gam_losses cimport intp

cdef double PAVA_EPS = 1e-12


cdef void _pava(double* values, intp stride, const double* weights, intp wstride, intp n,
                int direction, double* block_value, double* block_weight,
                intp* block_length) noexcept nogil:
    """Project ``values`` (strided) onto the monotone cone, in place.

    Weighted least squares; ``direction`` +1 gives a non-decreasing result,
    -1 a non-increasing one.  The output is written from the pooled block
    values, so the ordering holds exactly in floating point.
    """
    cdef intp i, b, n_blocks = 0, length
    cdef double total
    for i in range(n):
        block_value[n_blocks] = direction * values[i * stride]
        block_weight[n_blocks] = weights[i * wstride] + PAVA_EPS
        block_length[n_blocks] = 1
        n_blocks = n_blocks + 1
        while n_blocks > 1 and block_value[n_blocks - 2] > block_value[n_blocks - 1]:
            total = block_weight[n_blocks - 2] + block_weight[n_blocks - 1]
            block_value[n_blocks - 2] = (block_value[n_blocks - 2] * block_weight[n_blocks - 2]
                                         + block_value[n_blocks - 1] * block_weight[n_blocks - 1]) / total
            block_weight[n_blocks - 2] = total
            block_length[n_blocks - 2] = block_length[n_blocks - 2] + block_length[n_blocks - 1]
            n_blocks = n_blocks - 1
    i = 0
    for b in range(n_blocks):
        for length in range(block_length[b]):
            values[i * stride] = direction * block_value[b]
            i = i + 1


def pava(double[::1] values, const double[::1] weights, int direction):
    """Weighted isotonic projection of ``values`` in place (``direction`` = +1 or -1)."""
    cdef intp n = values.shape[0]
    cdef double* bv = <double*> malloc((n + 1) * sizeof(double))
    cdef double* bw = <double*> malloc((n + 1) * sizeof(double))
    cdef intp* bl = <intp*> malloc((n + 1) * sizeof(intp))
    with nogil:
        _pava(&values[0], 1, &weights[0], 1, n, direction, bv, bw, bl)
    free(bv)
    free(bw)
    free(bl)


cdef double _best_split(const double* pg, const double* ph, const double* pc, intp start, intp stop,
                        intp K, double min_leaf, double lam, double* sg, double* sh, intp* cut) noexcept nogil:
    """Best single cut of bins [start, stop) from prefix sums; returns the gain (0 if none)."""
    cdef intp s, k
    cdef double best = 0.0, gain, parent
    for k in range(K):
        sg[k] = pg[stop * K + k] - pg[start * K + k]
        sh[k] = ph[stop * K + k] - ph[start * K + k]
    parent = _leaf_gain(sg, sh, K, lam)
    cut[0] = -1
    for s in range(start + 1, stop):
        if pc[s] - pc[start] < min_leaf or pc[stop] - pc[s] < min_leaf:
            continue
        gain = 0.0
        for k in range(K):
            gain = gain + (pg[s * K + k] - pg[start * K + k]) ** 2 / (ph[s * K + k] - ph[start * K + k] + lam)
            gain = gain + (pg[stop * K + k] - pg[s * K + k]) ** 2 / (ph[stop * K + k] - ph[s * K + k] + lam)
        gain = gain - parent
        if gain > best:
            best = gain
            cut[0] = s
    return best


cdef double _best_quadrants(const double* pg, const double* ph, const double* pc, intp rows, intp cols,
                            intp K, double min_leaf, double lam, double* sg, double* sh,
                            intp* best_row, intp* best_col) noexcept nogil:
    """Best pair of cuts (one per axis) of a grid from 2-D prefix sums; gain over no cut.

    Prefix arrays have shape (rows + 1, cols + 1[, K]).  A quadrant with fewer
    than ``min_leaf`` rows adds nothing to the gain (and gets no update).
    """
    cdef intp a, b, q, k, r0, r1, c0, c1
    cdef intp W = cols + 1
    cdef double best = 0.0, gain, parent, count
    for k in range(K):
        sg[k] = pg[(rows * W + cols) * K + k]
        sh[k] = ph[(rows * W + cols) * K + k]
    parent = _leaf_gain(sg, sh, K, lam)
    best_row[0] = -1
    best_col[0] = -1
    for a in range(1, rows):
        for b in range(1, cols):
            gain = 0.0
            for q in range(4):
                r0 = 0 if q < 2 else a
                r1 = a if q < 2 else rows
                c0 = 0 if q % 2 == 0 else b
                c1 = b if q % 2 == 0 else cols
                count = pc[r1 * W + c1] - pc[r0 * W + c1] - pc[r1 * W + c0] + pc[r0 * W + c0]
                if count < min_leaf:
                    continue
                for k in range(K):
                    sg[k] = (pg[(r1 * W + c1) * K + k] - pg[(r0 * W + c1) * K + k]
                             - pg[(r1 * W + c0) * K + k] + pg[(r0 * W + c0) * K + k])
                    sh[k] = (ph[(r1 * W + c1) * K + k] - ph[(r0 * W + c1) * K + k]
                             - ph[(r1 * W + c0) * K + k] + ph[(r0 * W + c0) * K + k])
                gain = gain + _leaf_gain(sg, sh, K, lam)
            gain = gain - parent
            if gain > best:
                best = gain
                best_row[0] = a
                best_col[0] = b
    return best


cdef void _prefix_1d(const double* hg, const double* hh, const double* hc, intp n, intp K,
                     double* pg, double* ph, double* pc) noexcept nogil:
    cdef intp i, k
    for k in range(K):
        pg[k] = 0.0
        ph[k] = 0.0
    pc[0] = 0.0
    for i in range(n):
        for k in range(K):
            pg[(i + 1) * K + k] = pg[i * K + k] + hg[i * K + k]
            ph[(i + 1) * K + k] = ph[i * K + k] + hh[i * K + k]
        pc[i + 1] = pc[i] + hc[i]


cdef void _prefix_2d(const double* hg, const double* hh, const double* hc, intp rows, intp cols, intp K,
                     double* pg, double* ph, double* pc) noexcept nogil:
    cdef intp a, b, k, W = cols + 1
    memset(pg, 0, (rows + 1) * W * K * sizeof(double))
    memset(ph, 0, (rows + 1) * W * K * sizeof(double))
    memset(pc, 0, (rows + 1) * W * sizeof(double))
    for a in range(rows):
        for b in range(cols):
            for k in range(K):
                pg[((a + 1) * W + b + 1) * K + k] = (hg[(a * cols + b) * K + k] + pg[(a * W + b + 1) * K + k]
                                                     + pg[((a + 1) * W + b) * K + k] - pg[(a * W + b) * K + k])
                ph[((a + 1) * W + b + 1) * K + k] = (hh[(a * cols + b) * K + k] + ph[(a * W + b + 1) * K + k]
                                                     + ph[((a + 1) * W + b) * K + k] - ph[(a * W + b) * K + k])
            pc[(a + 1) * W + b + 1] = hc[a * cols + b] + pc[a * W + b + 1] + pc[(a + 1) * W + b] - pc[a * W + b]
