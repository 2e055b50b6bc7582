# Inline logistic helpers shared by the risk-score kernels (cimported, never imported).

from libc.math cimport exp, log1p


cdef inline double softplus(double t) noexcept nogil:
    """log(1 + exp(t)) without overflow."""
    if t > 0:
        return t + log1p(exp(-t))
    return log1p(exp(t))


cdef inline double expit(double t) noexcept nogil:
    """1 / (1 + exp(-t)) without overflow."""
    cdef double e
    if t >= 0:
        return 1.0 / (1.0 + exp(-t))
    e = exp(t)
    return e / (1.0 + e)
