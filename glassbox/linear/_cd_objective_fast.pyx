"""The objective of the coordinate-descent solver: datafits and penalties.

The solver (``_cd_fast``) minimizes ``datafit(eta) + sum_k sum_j penalty(coef[k, j])``
and knows the loss and the penalty only through these two small classes, so
each new loss or penalty is one class here:

* a **datafit** (:class:`SquaredDatafit`, :class:`LogisticDatafit`,
  :class:`MultinomialDatafit`, and the log-link :class:`PoissonDatafit`,
  :class:`GammaDatafit`, :class:`TweedieDatafit`) knows its value and, at the current linear
  predictor, its local quadratic model: Hessian weights ``h`` and the
  weighted working residual ``s = h * r`` whose dot product with a column is
  minus the gradient;
* a **penalty** (:class:`L1Penalty`, :class:`ElasticNetPenalty`,
  :class:`L0Penalty`) knows the exact minimizer of one coordinate's quadratic
  model under a sign constraint, its value, and an optimality violation
  (distance to the subdifferential for convex penalties, coordinate-wise
  fixed-point residual for L0).

Their declarations, and the sign projection the solvers share, are in
``_cd_objective_fast.pxd``; the kernels call them through the classes' C
method tables.  Conventions are the solver's: ``Y``/``eta`` are
``(n_blocks, n_samples)`` and ``w`` are row weights that sum to one.  The
NumPy reference is ``glassbox.linear._reference``.
"""

from libc.math cimport exp, fabs, log, log1p, pow

import numpy as np

# the log-link families' half deviance and the clip of the log-mean, shared with the GAM's kernels
from glassbox.gam._gam_losses cimport LOSS_GAMMA, LOSS_POISSON, LOSS_TWEEDIE, _clip_log_mean, _half_deviance

# Smallest Hessian weight p(1 - p) used in the logistic quadratic models; it keeps
# the working response bounded when a probability saturates (as glmnet does).
cdef double MIN_CURVATURE = 1e-5


cdef inline double _soft_threshold(double x, double t) noexcept nogil:
    if x > t:
        return x - t
    if x < -t:
        return x + t
    return 0.0


cdef inline double _l1_violation(double b, double grad, double alpha_l1, signed char sign) noexcept nogil:
    """Distance from -grad to the subdifferential of alpha_l1 |b| + the sign cone at b."""
    if b > 0.0:
        return fabs(grad + alpha_l1)
    if b < 0.0:
        return fabs(grad - alpha_l1)
    if sign > 0:
        return max(0.0, -grad - alpha_l1)
    if sign < 0:
        return max(0.0, grad - alpha_l1)
    return max(0.0, fabs(grad) - alpha_l1)


# -- penalties ------------------------------------------------------------------
cdef class Penalty:
    """Separable penalty on each coefficient of the standardized problem."""

    cdef double minimize(self, double z, double lipschitz, signed char sign) noexcept nogil:
        """argmin_b lipschitz / 2 (b - z)^2 + penalty(b) subject to the sign constraint."""
        return _project_sign(z, sign)

    cdef double value(self, double b) noexcept nogil:
        return 0.0

    cdef double violation(self, double b, double grad, double lipschitz, signed char sign) noexcept nogil:
        """Optimality violation of coefficient b given the datafit gradient."""
        return fabs(lipschitz * (self.minimize(b - grad / lipschitz, lipschitz, sign) - b))

    def py_minimize(self, double z, double lipschitz, int sign):
        return self.minimize(z, lipschitz, <signed char>sign)

    def py_value(self, double b):
        return self.value(b)

    def py_violation(self, double b, double grad, double lipschitz, int sign):
        return self.violation(b, grad, lipschitz, <signed char>sign)


cdef class L1Penalty(Penalty):
    """alpha * |b| (the lasso)."""

    def __init__(self, double alpha):
        self.alpha = alpha
        self.convex = True

    cdef double minimize(self, double z, double lipschitz, signed char sign) noexcept nogil:
        return _project_sign(_soft_threshold(z, self.alpha / lipschitz), sign)

    cdef double value(self, double b) noexcept nogil:
        return self.alpha * fabs(b)

    cdef double violation(self, double b, double grad, double lipschitz, signed char sign) noexcept nogil:
        return _l1_violation(b, grad, self.alpha, sign)


cdef class ElasticNetPenalty(Penalty):
    """alpha * (l1_ratio |b| + (1 - l1_ratio) / 2 b^2), scikit-learn's ElasticNet form."""

    def __init__(self, double alpha, double l1_ratio):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.convex = True

    cdef double minimize(self, double z, double lipschitz, signed char sign) noexcept nogil:
        cdef double ridge = self.alpha * (1.0 - self.l1_ratio)
        return _project_sign(
            _soft_threshold(lipschitz * z, self.alpha * self.l1_ratio) / (lipschitz + ridge), sign)

    cdef double value(self, double b) noexcept nogil:
        return self.alpha * (self.l1_ratio * fabs(b) + 0.5 * (1.0 - self.l1_ratio) * b * b)

    cdef double violation(self, double b, double grad, double lipschitz, signed char sign) noexcept nogil:
        return _l1_violation(b, grad + self.alpha * (1.0 - self.l1_ratio) * b, self.alpha * self.l1_ratio, sign)


cdef class L0Penalty(Penalty):
    """lambda0 * [b != 0] + lambda2 * b^2 (best subset with an optional ridge term).

    The coordinate minimizer is a hard threshold (Hazimeh & Mazumder 2020):
    the ridge-shrunk value ``b = L z / (L + 2 lambda2)`` is kept when the loss
    it saves, ``(L + 2 lambda2) b^2 / 2``, exceeds ``lambda0``.
    """

    def __init__(self, double lambda0, double lambda2):
        self.lambda0 = lambda0
        self.lambda2 = lambda2
        self.convex = False

    cdef double minimize(self, double z, double lipschitz, signed char sign) noexcept nogil:
        cdef double curvature = lipschitz + 2.0 * self.lambda2
        cdef double b = _project_sign(lipschitz * z / curvature, sign)
        if 0.5 * curvature * b * b > self.lambda0:
            return b
        return 0.0

    cdef double value(self, double b) noexcept nogil:
        if b == 0.0:
            return 0.0
        return self.lambda0 + self.lambda2 * b * b


# -- datafits -------------------------------------------------------------------
cdef class Datafit:
    """A loss averaged with row weights that sum to one."""

    cdef double value(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta) noexcept nogil:
        return 0.0

    cdef double constant_size(self, const double[:, ::1] Y, const double[::1] w) noexcept nogil:
        """Size of the parts of ``value`` that do not depend on ``eta`` (a deviance's saturated model).

        They cancel against the rest row by row, so ``value`` is exact only to
        about eps times this plus its own size: the line search allows for it.
        """
        return 0.0

    cdef void quadratic_model(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                              Py_ssize_t k, double[::1] h, double[::1] s) noexcept nogil:
        """Fill Hessian weights h and weighted working residual s (= -gradient in eta_k)."""
        pass

    cdef double value_rows(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                           double[::1] rows) noexcept nogil:
        """``value``, also leaving in ``rows`` (``2 * n_samples`` values) what the quadratic models can reuse.

        Only the multinomial loss has such quantities (each row's softmax
        normaliser); the other losses leave ``rows`` untouched.
        """
        return self.value(Y, w, eta)

    cdef void quadratic_model_from(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                                   Py_ssize_t k, double[::1] h, double[::1] s, const double[::1] rows) noexcept nogil:
        """``quadratic_model`` given ``rows`` from ``value_rows`` at the same ``eta``."""
        self.quadratic_model(Y, w, eta, k, h, s)

    def py_value(self, Y, w, eta):
        return self.value(Y, w, eta)

    def py_quadratic_model(self, Y, w, eta, Py_ssize_t k):
        h = np.empty(Y.shape[1])
        s = np.empty(Y.shape[1])
        self.quadratic_model(Y, w, eta, k, h, s)
        return h, s


cdef class SquaredDatafit(Datafit):
    """sum_i w_i (y_i - eta_i)^2 / 2."""

    def __init__(self):
        self.exact_quadratic = True

    cdef double value(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta) noexcept nogil:
        cdef double total = 0.0, r
        cdef Py_ssize_t i
        for i in range(Y.shape[1]):
            r = Y[0, i] - eta[0, i]
            total += w[i] * r * r
        return 0.5 * total

    cdef void quadratic_model(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                              Py_ssize_t k, double[::1] h, double[::1] s) noexcept nogil:
        cdef Py_ssize_t i
        for i in range(Y.shape[1]):
            h[i] = w[i]
            s[i] = w[i] * (Y[0, i] - eta[0, i])


cdef inline double _log1pexp(double x) noexcept nogil:
    if x > 0.0:
        return x + log1p(exp(-x))
    return log1p(exp(x))


cdef class LogisticDatafit(Datafit):
    """sum_i w_i (log(1 + exp(eta_i)) - y_i eta_i), y in {0, 1}."""

    def __init__(self):
        self.exact_quadratic = False

    cdef double value(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta) noexcept nogil:
        cdef double total = 0.0
        cdef Py_ssize_t i
        for i in range(Y.shape[1]):
            if w[i] != 0.0:
                total += w[i] * (_log1pexp(eta[0, i]) - Y[0, i] * eta[0, i])
        return total

    cdef void quadratic_model(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                              Py_ssize_t k, double[::1] h, double[::1] s) noexcept nogil:
        cdef Py_ssize_t i
        cdef double p
        for i in range(Y.shape[1]):
            p = 1.0 / (1.0 + exp(-eta[0, i]))
            h[i] = w[i] * max(p * (1.0 - p), MIN_CURVATURE)
            s[i] = w[i] * (Y[0, i] - p)


cdef inline double _row_loss(const double[:, ::1] Y, const double[:, ::1] eta, Py_ssize_t i, double* top,
                             double* total) noexcept nogil:
    """Row i's loss ``logsumexp_k eta_ik - sum_k y_ik eta_ik``.

    Also returns the row's largest ``eta`` in ``top`` and ``sum_k exp(eta_ik - top)`` in ``total``
    (the shift keeps every term finite).
    """
    cdef Py_ssize_t k, n_classes = eta.shape[0]
    cdef double acc = 0.0, dot = 0.0
    top[0] = eta[0, i]
    for k in range(1, n_classes):
        top[0] = max(top[0], eta[k, i])
    for k in range(n_classes):
        acc += exp(eta[k, i] - top[0])
        dot += Y[k, i] * eta[k, i]
    total[0] = acc
    return top[0] + log(acc) - dot


cdef class MultinomialDatafit(Datafit):
    """sum_i w_i (logsumexp_k eta_ik - sum_k y_ik eta_ik), Y one-hot (n_classes, n).

    ``value_rows`` keeps each row's normaliser (``rows[i]`` its largest
    ``eta``, ``rows[n + i]`` the sum of ``exp(eta - rows[i])``): with it a
    class's probability costs one exp instead of one per class, so a cycle over
    the K classes' models (and the optimality scan) costs K exps per row, not K^2.
    """

    def __init__(self):
        self.exact_quadratic = False

    cdef double value(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta) noexcept nogil:
        cdef double total = 0.0, top, acc
        cdef Py_ssize_t i
        for i in range(Y.shape[1]):
            if w[i] != 0.0:
                total += w[i] * _row_loss(Y, eta, i, &top, &acc)
        return total

    cdef double value_rows(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                           double[::1] rows) noexcept nogil:
        cdef double total = 0.0, loss
        cdef Py_ssize_t i, n = Y.shape[1]
        for i in range(n):
            loss = _row_loss(Y, eta, i, &rows[i], &rows[n + i])
            if w[i] != 0.0:
                total += w[i] * loss
        return total

    cdef void quadratic_model(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                              Py_ssize_t k, double[::1] h, double[::1] s) noexcept nogil:
        cdef Py_ssize_t i
        cdef double top, acc
        for i in range(Y.shape[1]):
            _row_loss(Y, eta, i, &top, &acc)
            _class_model(Y, w, eta, k, i, top, acc, h, s)

    cdef void quadratic_model_from(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                                   Py_ssize_t k, double[::1] h, double[::1] s, const double[::1] rows) noexcept nogil:
        cdef Py_ssize_t i, n = Y.shape[1]
        for i in range(n):
            _class_model(Y, w, eta, k, i, rows[i], rows[n + i], h, s)


cdef inline void _class_model(const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta, Py_ssize_t k,
                              Py_ssize_t i, double top, double total, double[::1] h, double[::1] s) noexcept nogil:
    cdef double p = exp(eta[k, i] - top) / total
    h[i] = w[i] * max(p * (1.0 - p), MIN_CURVATURE)
    s[i] = w[i] * (Y[k, i] - p)


cdef class LogLinkDatafit(Datafit):
    """sum_i w_i d(y_i, exp(eta_i)) / 2, the half unit deviance of a log-link family.

    ``eta`` is the log of the mean, clipped to +-300 before ``exp`` (as in the
    GAM) so that no step overflows.  The quadratic model is the exact second
    order expansion in ``eta`` (each family's half deviance is convex in it).
    """

    def __init__(self, int loss, double power):
        self.exact_quadratic = False
        self.loss = loss
        self.power = power

    cdef double value(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta) noexcept nogil:
        cdef double total = 0.0
        cdef Py_ssize_t i
        for i in range(Y.shape[1]):
            if w[i] != 0.0:
                total += w[i] * _half_deviance(eta[0, i], Y[0, i], self.loss, self.power)
        return total

    cdef double constant_size(self, const double[:, ::1] Y, const double[::1] w) noexcept nogil:
        # the saturated model's term: Poisson y log(y) - y, Gamma -log(y) - 1, Tweedie y^(2-p) / ((1-p)(2-p))
        cdef double total = 0.0, y, p = self.power
        cdef Py_ssize_t i
        for i in range(Y.shape[1]):
            y = Y[0, i]
            if self.loss == LOSS_POISSON:
                total += w[i] * fabs((y * log(y) if y > 0 else 0.0) - y)
            elif self.loss == LOSS_GAMMA:
                total += w[i] * fabs(log(y) + 1.0)
            else:
                total += w[i] * fabs(pow(y, 2.0 - p) / ((1.0 - p) * (2.0 - p)))
        return total


cdef class PoissonDatafit(LogLinkDatafit):
    """Poisson: ``y log(y / mu) - y + mu``; h = w mu, s = w (y - mu)."""

    def __init__(self):
        LogLinkDatafit.__init__(self, LOSS_POISSON, 1.0)

    cdef void quadratic_model(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                              Py_ssize_t k, double[::1] h, double[::1] s) noexcept nogil:
        cdef Py_ssize_t i
        cdef double mu
        for i in range(Y.shape[1]):
            mu = exp(_clip_log_mean(eta[0, i]))
            h[i] = w[i] * mu
            s[i] = w[i] * (Y[0, i] - mu)


cdef class GammaDatafit(LogLinkDatafit):
    """Gamma: ``log(mu / y) + y / mu - 1``; h = w y / mu, s = w (y / mu - 1)."""

    def __init__(self):
        LogLinkDatafit.__init__(self, LOSS_GAMMA, 2.0)

    cdef void quadratic_model(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                              Py_ssize_t k, double[::1] h, double[::1] s) noexcept nogil:
        cdef Py_ssize_t i
        cdef double ratio
        for i in range(Y.shape[1]):
            ratio = Y[0, i] * exp(-_clip_log_mean(eta[0, i]))
            h[i] = w[i] * ratio
            s[i] = w[i] * (ratio - 1.0)


cdef class TweedieDatafit(LogLinkDatafit):
    """Tweedie, 1 < power < 2: h = w ((p-1) y mu^(1-p) + (2-p) mu^(2-p)), s = w (y mu^(1-p) - mu^(2-p))."""

    def __init__(self, double power):
        LogLinkDatafit.__init__(self, LOSS_TWEEDIE, power)

    cdef void quadratic_model(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                              Py_ssize_t k, double[::1] h, double[::1] s) noexcept nogil:
        cdef Py_ssize_t i
        cdef double f, pulled, mean_part, p = self.power
        for i in range(Y.shape[1]):
            f = _clip_log_mean(eta[0, i])
            pulled = Y[0, i] * exp((1.0 - p) * f)
            mean_part = exp((2.0 - p) * f)
            h[i] = w[i] * ((p - 1.0) * pulled + (2.0 - p) * mean_part)
            s[i] = w[i] * (pulled - mean_part)
