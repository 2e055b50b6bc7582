"""Compiled kernel of the feature binner: numeric values to uint8 bin codes.

The Python layer (``binning.py``) validates inputs and chooses thresholds; this
kernel trusts them.  Its NumPy reference is ``FeatureBins.codes``.
"""

from cython.parallel cimport prange

ctypedef unsigned char uint8


cdef inline int _count_at_most(const double[::1] thresholds, Py_ssize_t start,
                               Py_ssize_t stop, double x) noexcept nogil:
    """Number of thresholds[start:stop] that are <= x (binary search)."""
    cdef Py_ssize_t lo = start, hi = stop, mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if thresholds[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return <int>(lo - start)


def map_numeric_to_bins(const double[:, :] X,
                        const Py_ssize_t[::1] columns,
                        const double[::1] thresholds,
                        const Py_ssize_t[::1] offsets,
                        uint8[::1, :] codes,
                        int n_threads):
    """Write the bin code of ``X[i, columns[k]]`` into ``codes[i, columns[k]]``.

    Feature ``columns[k]`` has thresholds ``thresholds[offsets[k]:offsets[k+1]]``;
    a value falls in bin = number of thresholds <= value, and NaN falls in the
    missing bin, one past the last value bin.
    """
    cdef Py_ssize_t n_samples = X.shape[0]
    cdef Py_ssize_t n_columns = columns.shape[0]
    cdef Py_ssize_t k, i, col, start, stop
    cdef double x
    cdef uint8 missing
    for k in prange(n_columns, nogil=True, schedule="static", num_threads=n_threads):
        col = columns[k]
        start = offsets[k]
        stop = offsets[k + 1]
        missing = <uint8>(stop - start + 1)
        for i in range(n_samples):
            x = X[i, col]
            if x != x:
                codes[i, col] = missing
            else:
                codes[i, col] = <uint8>_count_at_most(thresholds, start, stop, x)
