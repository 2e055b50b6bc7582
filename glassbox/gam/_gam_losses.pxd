# Losses of the GAM kernels row by row, and the exponentials and sigmoid of their gradients.
#
# Everything here is ``cdef inline``: there is no compiled module behind this file, each
# kernel module that cimports it gets its own copy, so the loops over rows keep them inlined
# and vectorised (and the AVX2 build, _gam_avx2_fast, compiles them with AVX2).  The block
# gradient kernels of the boosting passes stay plain ``cdef`` functions in _gam_fast.pyx: as
# ``inline`` (a stronger hint to the C compiler) the SSE2 build's mains fit on adult took 8%
# longer.  NumPy references are in ``_reference.py`` (tests only).

from libc.math cimport exp, fabs, log, log1p, pow

ctypedef unsigned short uint16
ctypedef Py_ssize_t intp

cdef enum:
    LOSS_SQUARED = 0
    LOSS_LOGISTIC = 1
    LOSS_SOFTMAX = 2
    # log link (raw score f = log of the mean): Poisson, Gamma and Tweedie(power) deviances
    LOSS_POISSON = 3
    LOSS_GAMMA = 4
    LOSS_TWEEDIE = 5

cdef enum:
    ROW_BLOCK = 256   # rows whose gradients one block computes (sizes the block buffers)

cdef extern from *:
    """
    #define GLASSBOX_HESSIAN_FLOOR 1e-16
    #define GLASSBOX_NEWTON_EPS 1e-12
    #define GLASSBOX_MAX_LOG_MEAN 300.0
    """
    # the smallest hessian of a row; the smallest L2 penalty of a Newton step
    const double HESSIAN_FLOOR "GLASSBOX_HESSIAN_FLOOR"
    const double NEWTON_EPS "GLASSBOX_NEWTON_EPS"
    # the log-link losses clip the raw score to +-this before exponentiating: exp(300) ~ 1e130, so even
    # y * exp((2 - p) * 300) stays finite, where an unclipped Poisson step past f = 709 overflowed
    const double MAX_LOG_MEAN "GLASSBOX_MAX_LOG_MEAN"


cdef inline double _clip_log_mean(double f) noexcept nogil:
    return min(max(f, -MAX_LOG_MEAN), MAX_LOG_MEAN)


cdef inline double _half_deviance(double f, double y, int loss, double power) noexcept nogil:
    """Half the unit deviance of target ``y`` at mean ``exp(f)``: zero at ``exp(f) == y``.

    The saturated model's constant is kept (unlike the gradient, which does not
    need it) so that the early-stopping tolerance, a share of the intercept-only
    loss, is a share of a loss that is zero for a perfect fit.
    Poisson ``y log(y / mu) - y + mu``; Gamma ``log(mu / y) + y / mu - 1``;
    Tweedie ``y^(2-p) / ((1-p)(2-p)) - y mu^(1-p) / (1-p) + mu^(2-p) / (2-p)``.
    """
    f = _clip_log_mean(f)
    if loss == LOSS_POISSON:
        return (y * (log(y) - f) if y > 0 else 0.0) - y + exp(f)
    if loss == LOSS_GAMMA:
        return f - log(y) + y * exp(-f) - 1.0
    return (pow(y, 2.0 - power) / ((1.0 - power) * (2.0 - power)) - y * exp((1.0 - power) * f) / (1.0 - power)
            + exp((2.0 - power) * f) / (2.0 - power))


cdef inline double _row_loss(const double* raw, const double* y, double w, intp K, int loss,
                             double power) noexcept nogil:
    cdef double m, s, d, r
    cdef intp k
    if loss == LOSS_SQUARED:
        d = raw[0] - y[0]
        return 0.5 * w * d * d
    if loss == LOSS_LOGISTIC:
        r = raw[0]
        return w * (log1p(exp(-fabs(r))) + max(r, 0.0) - y[0] * r)
    if loss >= LOSS_POISSON:
        return w * _half_deviance(raw[0], y[0], loss, power)
    m = raw[0]
    for k in range(1, K):
        if raw[k] > m:
            m = raw[k]
    s = 0.0
    d = 0.0
    for k in range(K):
        s = s + exp(raw[k] - m)
        d = d + y[k] * raw[k]
    return w * (m + log(s) - d)


cdef union DoubleBits:
    double d
    unsigned long long u


cdef inline double _exp_nonpositive(double x) noexcept nogil:
    """exp(x) for -700 <= x <= 0 in plain arithmetic (no call, so loops over it vectorise).

    x = n ln2 + r with |r| <= ln2 / 2 (n rounded by the 1.5 * 2**52 shift, the
    Cody-Waite split of ln2 keeps r exact), exp(r) by its Taylor series to r**9
    (relative error below 1e-11, evaluated by Estrin's scheme), times 2**n built
    in the exponent bits.
    """
    cdef DoubleBits shifted, scale
    cdef double kd, r, r2, r4, poly
    shifted.d = x * 1.4426950408889634 + 6755399441055744.0
    kd = shifted.d - 6755399441055744.0
    r = x - kd * 0.6931471803691238 - kd * 1.9082149292705877e-10
    # Estrin's scheme: the same polynomial as Horner's rule in a dependency chain of depth
    # 7 operations instead of 18; a loop over rows is bound by that chain, not by throughput
    r2 = r * r
    r4 = r2 * r2
    poly = (((1.0 + r) + (0.5 + r * (1.0 / 6)) * r2)
            + ((1.0 / 24 + r * (1.0 / 120)) + (1.0 / 720 + r * (1.0 / 5040)) * r2) * r4
            + ((1.0 / 40320 + r * (1.0 / 362880)) * (r4 * r4)))
    # the low bits of the shifted value hold n (two's complement): 2**n = (n + 1023) << 52
    scale.u = (shifted.u - <unsigned long long> 0x4338000000000000ULL + 1023ULL) << 52
    return poly * scale.d


cdef inline double _sigmoid(double x) noexcept nogil:
    """1 / (1 + exp(-x)) from exp(-|x|), which cannot overflow.

    Selects of plain values only and the clamp in arithmetic: the compiler
    if-converts them and vectorises loops over this function (a select of a
    computed product, or a clamp feeding the exponential, leaves them scalar).
    """
    cdef double a = fabs(x), m
    a = -0.5 * ((a + 700.0) - fabs(a - 700.0))  # -min(|x|, 700): exp(-700) ~ 1e-304
    m = _exp_nonpositive(a)
    return (1.0 if x >= 0 else m) / (1.0 + m)


cdef inline double _exp_log_mean(double f) noexcept nogil:
    """exp(f) of a raw score clipped to +-MAX_LOG_MEAN, from exp(-|f|) in plain arithmetic (loops vectorise).

    As :func:`_sigmoid`: the clamp in arithmetic and a select of constants, so the
    compiler keeps a loop over rows free of calls and branches.  For f >= 0 the
    result is 1 / exp(-f) = m + (1 / m - m), within a rounding of 1 / m; the
    relative error is that of :func:`_exp_nonpositive` (below 1e-11).
    """
    cdef double a = fabs(f), m, s
    a = -0.5 * ((a + MAX_LOG_MEAN) - fabs(a - MAX_LOG_MEAN))  # -min(|f|, MAX_LOG_MEAN)
    m = _exp_nonpositive(a)
    s = 1.0 if f >= 0 else 0.0
    return m + s * (1.0 / m - m)


cdef union FloatBits:
    float f
    unsigned int u


cdef inline float _expf_nonpositive(float x) noexcept nogil:
    """exp(x) for -87 <= x <= 0 in single precision, as :func:`_exp_nonpositive`: x = n ln2 + r,
    exp(r) by its Taylor series to r**6 (relative error ~1e-7), times 2**n in the exponent bits."""
    cdef FloatBits shifted, scale
    cdef float kf, r, r2
    shifted.f = x * <float> 1.4426950408889634 + <float> 12582912.0
    kf = shifted.f - <float> 12582912.0
    r = x - kf * <float> 0.693359375 + kf * <float> 2.12194440e-4
    r2 = r * r
    scale.u = (shifted.u - <unsigned int> 0x4B400000U + 127U) << 23
    return (((<float> 1.0 + r) + (<float> 0.5 + r * <float> (1.0 / 6)) * r2)
            + ((<float> (1.0 / 24) + r * <float> (1.0 / 120)) + r2 * <float> (1.0 / 720)) * (r2 * r2)) * scale.f
