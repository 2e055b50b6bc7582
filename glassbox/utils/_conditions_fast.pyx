"""Compiled kernels of the condition generator: binary conditions on bin codes.

Every generated condition is "code of feature f lies in [lo, hi)".  These
kernels evaluate many such conditions at once, into a dense 0/1 matrix or into
bitsets (64 rows per word) for rule mining.  Their NumPy reference is
``Condition.evaluate_column`` on the raw values.
"""

from cython.parallel cimport prange
from libc.stdint cimport uint64_t

ctypedef unsigned char uint8


def conditions_dense(const uint8[::1, :] codes,
                     const Py_ssize_t[::1] feature,
                     const int[::1] lo,
                     const int[::1] hi,
                     uint8[::1, :] out,
                     int n_threads):
    """out[i, m] = lo[m] <= codes[i, feature[m]] < hi[m]."""
    cdef Py_ssize_t n_samples = codes.shape[0]
    cdef Py_ssize_t n_conditions = feature.shape[0]
    cdef Py_ssize_t m, i, f
    cdef int a, b, c
    for m in prange(n_conditions, nogil=True, schedule="static", num_threads=n_threads):
        f = feature[m]
        a = lo[m]
        b = hi[m]
        for i in range(n_samples):
            c = codes[i, f]
            out[i, m] = (c >= a) & (c < b)


def conditions_bitsets(const uint8[::1, :] codes,
                       const Py_ssize_t[::1] feature,
                       const int[::1] lo,
                       const int[::1] hi,
                       uint64_t[:, ::1] out,
                       int n_threads):
    """Bit i of out[m] is set when row i satisfies condition m (rows past n stay 0)."""
    cdef Py_ssize_t n_samples = codes.shape[0]
    cdef Py_ssize_t n_conditions = feature.shape[0]
    cdef Py_ssize_t m, i, f
    cdef int a, b, c
    cdef uint64_t one = 1
    for m in prange(n_conditions, nogil=True, schedule="static", num_threads=n_threads):
        f = feature[m]
        a = lo[m]
        b = hi[m]
        for i in range(out.shape[1]):
            out[m, i] = 0
        for i in range(n_samples):
            c = codes[i, f]
            if (c >= a) & (c < b):
                out[m, i >> 6] |= one << (i & 63)
