"""Coordinate descent for penalized generalized linear models.

The solver is split into three composable parts, so each new loss or penalty
is one small class:

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
  fixed-point residual for L0);
* :func:`solve` runs cyclic coordinate descent on the quadratic model of
  each output block (proximal Newton; one exact pass for the squared loss)
  over a working set of columns, and damps the model until the true objective
  decreases.  It reads the design only through a :class:`Design`
  (curvatures, one column's gradient, a block's sweeps, the linear predictor's
  update): :class:`DenseDesign` here, ``SparseDesign`` in ``_cd_sparse_fast``,
  so the driver and the violation scan (:func:`violations_of`) are written once.

Conventions: ``Z`` is the standardized design (Fortran order, one contiguous
column per term), ``Y``/``eta`` are ``(n_blocks, n_samples)``, ``w`` are row
weights that sum to one, ``coef`` is ``(n_blocks, n_terms)``.  The objective is
``datafit(eta) + sum_k sum_j penalty(coef[k, j])`` with
``eta[k] = Z @ coef[k] + intercept[k]``.  Kernels trust their inputs; the
NumPy reference is ``glassbox.linear._reference``.
"""

from libc.math cimport exp, fabs, log, log1p, pow, sqrt
from libc.stdlib cimport free, malloc

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


cdef inline double _project_sign(double b, signed char sign) noexcept nogil:
    """Projection onto {b >= 0} (sign +1), {b <= 0} (sign -1) or the real line (0)."""
    if sign > 0 and b < 0.0:
        return 0.0
    if sign < 0 and b > 0.0:
        return 0.0
    return b


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


# -- coordinate descent on one block's quadratic model ----------------------------
cdef inline double _dot(const double[::1, :] Z, Py_ssize_t j, const double[::1] s) noexcept nogil:
    cdef Py_ssize_t i, n = s.shape[0]
    cdef double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
    # four accumulators let the compiler pipeline the reduction (indexing the memoryviews
    # compiles to a faster loop here than raw pointers do)
    for i in range(0, n - 3, 4):
        a0 += Z[i, j] * s[i]
        a1 += Z[i + 1, j] * s[i + 1]
        a2 += Z[i + 2, j] * s[i + 2]
        a3 += Z[i + 3, j] * s[i + 3]
    for i in range(n - n % 4, n):
        a0 += Z[i, j] * s[i]
    return (a0 + a1) + (a2 + a3)


cdef int _cd_block(const double[::1, :] Z, const double[::1] h, double[::1] s, double[::1] beta,
                   double* intercept, const double[::1] lipschitz, Penalty penalty,
                   const signed char[::1] signs, const int[::1] working_set,
                   int[::1] support_count, int* n_support, int max_nonzero,
                   bint fit_intercept, int max_sweeps, double tol) noexcept nogil:
    """Cyclic coordinate descent on sum_i (s_i / h_i - dEta_i)^2 h_i / 2 + penalty.

    Updates ``beta`` (one block's coefficients), ``intercept`` and the
    weighted residual ``s`` in place.  A term outside the support may not
    enter once ``max_nonzero`` terms are nonzero (the hard cap).  Returns the
    number of sweeps, negated when ``tol`` was not reached.
    """
    cdef Py_ssize_t n = s.shape[0], i, t, j, n_ws = working_set.shape[0]
    cdef double h_total = 0.0, grad, old, new, delta, worst, L
    cdef int sweep, stored = 0, result = -max_sweeps
    cdef int* counts = &support_count[0]
    # Anderson extrapolation (as in skglm) of every ANDERSON_DEPTH + 1 sweeps; only for convex
    # penalties without a binding cap, where any projected point is feasible
    cdef bint accelerate = penalty.convex and max_nonzero >= Z.shape[1] and n_ws > 0
    cdef double* history = NULL
    cdef double* scratch = NULL
    if accelerate:
        history = <double*> malloc((ANDERSON_DEPTH + 1) * n_ws * sizeof(double))
        scratch = <double*> malloc((n + n_ws) * sizeof(double))
        if history == NULL or scratch == NULL:
            accelerate = False
    for i in range(n):
        h_total += h[i]
    for sweep in range(max_sweeps):
        worst = 0.0
        if fit_intercept and h_total > 0.0:
            delta = 0.0
            for i in range(n):
                delta += s[i]
            worst = fabs(delta)
            delta /= h_total
            intercept[0] += delta
            for i in range(n):
                s[i] -= delta * h[i]
        for t in range(working_set.shape[0]):
            j = working_set[t]
            L = lipschitz[j]
            if L <= 0.0:
                continue
            old = beta[j]
            if _capped_out(old, j, counts, n_support[0], max_nonzero):
                continue  # this term may not enter, so it cannot violate
            grad = -_dot(Z, j, s)
            worst = max(worst, penalty.violation(old, grad, L, signs[j]))
            new = _coordinate_update(penalty, old, grad, L, signs[j], j, counts, n_support)
            if new != old:
                delta = new - old
                beta[j] = new
                for i in range(n):
                    s[i] -= delta * h[i] * Z[i, j]
        if worst <= tol:
            result = sweep + 1
            break
        if accelerate:
            for t in range(n_ws):
                history[stored * n_ws + t] = beta[working_set[t]]
            stored += 1
            if stored == ANDERSON_DEPTH + 1:
                _anderson_step(Z, h, s, beta, penalty, signs, working_set, support_count, n_support,
                               history, scratch)
                stored = 0
    free(history)
    free(scratch)
    return result


cdef int ANDERSON_DEPTH = 5


cdef double _quadratic_objective(const double[::1] h, const double* s, const double[::1] beta,
                                 Penalty penalty, const int[::1] working_set) noexcept nogil:
    """Quadratic model value (up to a constant) from the weighted residual s = h * r."""
    cdef Py_ssize_t i, t
    cdef double total = 0.0
    for i in range(h.shape[0]):
        if h[i] > 0.0:
            total += s[i] * s[i] / h[i]
    total *= 0.5
    for t in range(working_set.shape[0]):
        total += penalty.value(beta[working_set[t]])
    return total


cdef void _anderson_step(const double[::1, :] Z, const double[::1] h, double[::1] s, double[::1] beta,
                         Penalty penalty, const signed char[::1] signs, const int[::1] working_set,
                         int[::1] support_count, int* n_support, const double* history,
                         double* scratch) noexcept nogil:
    """Extrapolate the last iterates; keep the point only if the quadratic model decreases."""
    cdef Py_ssize_t n = s.shape[0], n_ws = working_set.shape[0], t, i, j
    cdef double before, after, delta
    cdef double* candidate = scratch + n
    if not _extrapolate(history, n_ws, candidate):
        return
    for t in range(n_ws):
        candidate[t] = _project_sign(candidate[t], signs[working_set[t]])
    # weighted residual at the candidate: s - h * Z (candidate - beta)
    for i in range(n):
        scratch[i] = s[i]
    for t in range(n_ws):
        j = working_set[t]
        delta = candidate[t] - beta[j]
        if delta != 0.0:
            for i in range(n):
                scratch[i] -= delta * h[i] * Z[i, j]
    before = _quadratic_objective(h, &s[0], beta, penalty, working_set)
    after = 0.0
    for i in range(n):
        if h[i] > 0.0:
            after += scratch[i] * scratch[i] / h[i]
    after *= 0.5
    for t in range(n_ws):
        after += penalty.value(candidate[t])
    if not after < before:
        return
    for i in range(n):
        s[i] = scratch[i]
    for t in range(n_ws):
        j = working_set[t]
        _move_support(beta[j], candidate[t], j, &support_count[0], n_support)
        beta[j] = candidate[t]


cdef bint _extrapolate(const double* history, Py_ssize_t n_vars, double* out) noexcept nogil:
    """Anderson extrapolation of ``ANDERSON_DEPTH + 1`` stored iterates of ``n_vars`` values into ``out``.

    The weights ``c`` (summing to one) minimise the norm of the combined
    successive differences (Bertrand & Massias 2021); ``out`` is the same
    combination of the iterates.  False when the system is singular.
    """
    cdef Py_ssize_t a, b, t, K = ANDERSON_DEPTH
    cdef double G[5][5]
    cdef double z[5]
    cdef double acc, total
    for a in range(K):
        for b in range(a, K):
            acc = 0.0
            for t in range(n_vars):
                acc += ((history[(a + 1) * n_vars + t] - history[a * n_vars + t])
                        * (history[(b + 1) * n_vars + t] - history[b * n_vars + t]))
            G[a][b] = acc
            G[b][a] = acc
        z[a] = 1.0
    if not _solve_small(G, z, K):
        return False
    total = 0.0
    for a in range(K):
        total += z[a]
    if total == 0.0:
        return False
    for t in range(n_vars):
        acc = 0.0
        for a in range(K):
            acc += z[a] / total * history[(a + 1) * n_vars + t]
        out[t] = acc
    return True


cdef bint _solve_small(double G[5][5], double* z, Py_ssize_t K) noexcept nogil:
    """Solve G x = z in place (Gaussian elimination, partial pivoting); False if singular."""
    cdef Py_ssize_t col, row, pivot, k
    cdef double scale = 0.0, factor, swap
    for col in range(K):
        scale = max(scale, fabs(G[col][col]))
    if scale == 0.0:
        return False
    for col in range(K):
        G[col][col] += 1e-10 * scale  # a little ridge: successive differences are nearly collinear
    for col in range(K):
        pivot = col
        for row in range(col + 1, K):
            if fabs(G[row][col]) > fabs(G[pivot][col]):
                pivot = row
        if fabs(G[pivot][col]) <= 1e-300:
            return False
        if pivot != col:
            for k in range(K):
                swap = G[col][k]
                G[col][k] = G[pivot][k]
                G[pivot][k] = swap
            swap = z[col]
            z[col] = z[pivot]
            z[pivot] = swap
        for row in range(col + 1, K):
            factor = G[row][col] / G[col][col]
            for k in range(col, K):
                G[row][k] -= factor * G[col][k]
            z[row] -= factor * z[col]
    for col in range(K - 1, -1, -1):
        for k in range(col + 1, K):
            z[col] -= G[col][k] * z[k]
        z[col] /= G[col][col]
    return True


cdef void _lipschitz(const double[::1, :] Z, const double[::1] h, const int[::1] working_set,
                     double[::1] out) noexcept nogil:
    cdef Py_ssize_t t, i, j
    cdef double acc
    for t in range(working_set.shape[0]):
        j = working_set[t]
        acc = 0.0
        for i in range(Z.shape[0]):
            acc += h[i] * Z[i, j] * Z[i, j]
        out[j] = acc


cdef double _penalty_total(Penalty penalty, const double[:, ::1] coef, const int[::1] working_set) noexcept nogil:
    cdef double total = 0.0
    cdef Py_ssize_t k, t
    for k in range(coef.shape[0]):
        for t in range(working_set.shape[0]):
            total += penalty.value(coef[k, working_set[t]])
    return total


cdef void _update_eta(const double[::1, :] Z, double[:, ::1] eta, Py_ssize_t k, const double[::1] old_beta,
                      const double[:, ::1] coef, double old_intercept, double new_intercept,
                      const int[::1] working_set) noexcept nogil:
    cdef Py_ssize_t t, i, j
    cdef double delta = new_intercept - old_intercept
    if delta != 0.0:
        for i in range(eta.shape[1]):
            eta[k, i] += delta
    for t in range(working_set.shape[0]):
        j = working_set[t]
        delta = coef[k, j] - old_beta[j]
        if delta != 0.0:
            for i in range(eta.shape[1]):
                eta[k, i] += delta * Z[i, j]


cdef class Design:
    """Column access of the standardized design ``Z`` (see ``_cd_fast.pxd``); abstract."""

    cdef void curvatures(self, const double[::1] h, const int[::1] columns, double[::1] out) noexcept nogil:
        """``out[j] = sum_i h_i z_ij^2`` for the listed columns."""
        pass

    cdef double gradient(self, Py_ssize_t j, const double[::1] s, double s_total) noexcept nogil:
        """``z_j . s`` (minus the gradient); ``s_total = sum(s)``."""
        return 0.0

    cdef int cd_block(self, const double[::1] h, double[::1] s, double[::1] beta, double* intercept,
                      const double[::1] lipschitz, Penalty penalty, const signed char[::1] signs,
                      const int[::1] working_set, int[::1] support_count, int* n_support, int max_nonzero,
                      bint fit_intercept, int max_sweeps, double tol) noexcept nogil:
        """Coordinate descent on one block's quadratic model (see the dense ``_cd_block``)."""
        return 0

    cdef void update_eta(self, double[:, ::1] eta, Py_ssize_t k, const double[::1] old_beta,
                         const double[:, ::1] coef, double old_intercept, double new_intercept,
                         const int[::1] working_set) noexcept nogil:
        """``eta[k] += (intercept change) + sum_j (coef change)_j z_j``."""
        pass


cdef class DenseDesign(Design):
    """A dense standardized design, Fortran order (one contiguous column per term)."""

    cdef const double[::1, :] Z

    def __init__(self, const double[::1, :] Z):
        self.Z = Z
        self.n_columns = Z.shape[1]

    cdef void curvatures(self, const double[::1] h, const int[::1] columns, double[::1] out) noexcept nogil:
        _lipschitz(self.Z, h, columns, out)

    cdef double gradient(self, Py_ssize_t j, const double[::1] s, double s_total) noexcept nogil:
        return _dot(self.Z, j, s)

    cdef int cd_block(self, const double[::1] h, double[::1] s, double[::1] beta, double* intercept,
                      const double[::1] lipschitz, Penalty penalty, const signed char[::1] signs,
                      const int[::1] working_set, int[::1] support_count, int* n_support, int max_nonzero,
                      bint fit_intercept, int max_sweeps, double tol) noexcept nogil:
        return _cd_block(self.Z, h, s, beta, intercept, lipschitz, penalty, signs, working_set, support_count,
                         n_support, max_nonzero, fit_intercept, max_sweeps, tol)

    cdef void update_eta(self, double[:, ::1] eta, Py_ssize_t k, const double[::1] old_beta,
                         const double[:, ::1] coef, double old_intercept, double new_intercept,
                         const int[::1] working_set) noexcept nogil:
        _update_eta(self.Z, eta, k, old_beta, coef, old_intercept, new_intercept, working_set)


def prox_newton(Datafit datafit, Penalty penalty,
                const double[::1, :] Z, const double[:, ::1] Y, const double[::1] w,
                double[:, ::1] coef, double[::1] intercept, double[:, ::1] eta,
                const signed char[::1] signs, const int[::1] working_set,
                int[::1] support_count, int max_nonzero, bint fit_intercept,
                int max_outer, int max_sweeps, double tol):
    """:func:`solve` on a dense Fortran-order design ``Z``."""
    return solve(datafit, penalty, DenseDesign(Z), Y, w, coef, intercept, eta, signs, working_set, support_count,
                 max_nonzero, fit_intercept, max_outer, max_sweeps, tol)


def solve(Datafit datafit, Penalty penalty, Design design, const double[:, ::1] Y, const double[::1] w,
          double[:, ::1] coef, double[::1] intercept, double[:, ::1] eta,
          const signed char[::1] signs, const int[::1] working_set,
          int[::1] support_count, int max_nonzero, bint fit_intercept,
          int max_outer, int max_sweeps, double tol):
    """Minimize datafit + penalty over the columns in ``working_set``.

    Each outer iteration builds every block's quadratic model at the current
    ``eta`` and solves it by coordinate descent; when the true objective does
    not decrease, the model's curvature is doubled (a damped Newton step that
    keeps the hard cap and exact sign constraints) and the block is solved
    again.  Columns outside the working set must have zero coefficients.

    Returns
    -------
    n_outer : int
        Outer iterations used.
    converged : bool
        Whether the optimality violation fell below ``tol`` on the working set.
    """
    cdef Py_ssize_t n = Y.shape[1], p = design.n_columns, n_blocks = coef.shape[0]
    cdef Py_ssize_t k, i, t, j
    cdef double[::1] h = np.empty(n)
    cdef double[::1] s = np.empty(n)
    cdef double[::1] lipschitz = np.zeros(p)
    cdef double[::1] old_beta = np.zeros(p)
    cdef double[::1] old_eta = np.empty(n)
    # per-row quantities of the loss at the current eta (value_rows), and at a candidate step
    cdef double[::1] rows = np.empty(2 * n)
    cdef double[::1] new_rows = np.empty(2 * n)
    cdef double old_intercept, objective, candidate, damping, slack
    cdef int n_support = 0, outer = 0, sweeps, attempt, stored = 0
    cdef bint converged = False
    cdef double worst
    # Anderson extrapolation of the outer iterates when there are several blocks: each outer
    # iteration is one cycle of per-class Newton steps, and that cycle converges only linearly
    # (the classes' Hessians are coupled), from 7 outer iterations for a binary fit of white wine
    # to 1,334 for its seven classes; the extrapolated point is kept only if the objective decreases
    cdef Py_ssize_t n_ws = working_set.shape[0], n_vars = n_blocks * (n_ws + 1)
    cdef bint accelerate = (n_blocks > 1 and not datafit.exact_quadratic and penalty.convex
                            and max_nonzero >= p and n_ws > 0)
    cdef double[::1] history = np.empty((ANDERSON_DEPTH + 1) * n_vars if accelerate else 0)
    cdef double[::1] saved = np.empty(2 * n_vars if accelerate else 0)
    cdef double[:, ::1] saved_eta = np.empty((n_blocks if accelerate else 0, n))
    for j in range(p):
        n_support += support_count[j] > 0
    with nogil:
        objective = datafit.value_rows(Y, w, eta, rows) + _penalty_total(penalty, coef, working_set)
        # rounding allowance of the objective's comparison: eps-sized relative to what it sums
        slack = datafit.constant_size(Y, w)
        for outer in range(max_outer):
            worst = 0.0
            for k in range(n_blocks):
                damping = 1.0
                for i in range(n):
                    old_eta[i] = eta[k, i]
                for t in range(working_set.shape[0]):
                    old_beta[working_set[t]] = coef[k, working_set[t]]
                old_intercept = intercept[k]
                for attempt in range(40):
                    datafit.quadratic_model_from(Y, w, eta, k, h, s, rows)
                    if damping != 1.0:
                        for i in range(n):
                            h[i] *= damping
                    design.curvatures(h, working_set, lipschitz)
                    sweeps = design.cd_block(h, s, coef[k], &intercept[k], lipschitz, penalty, signs, working_set,
                                             support_count, &n_support, max_nonzero, fit_intercept, max_sweeps, tol)
                    if attempt == 0:
                        worst = max(worst, _first_sweep_flag(sweeps, datafit.exact_quadratic))
                    design.update_eta(eta, k, old_beta, coef, old_intercept, intercept[k], working_set)
                    candidate = datafit.value_rows(Y, w, eta, new_rows) + _penalty_total(penalty, coef, working_set)
                    if datafit.exact_quadratic or candidate <= objective + 1e-15 * (fabs(objective) + slack):
                        objective = candidate
                        rows[:] = new_rows
                        break
                    # revert and retry with a more conservative model
                    for i in range(n):
                        eta[k, i] = old_eta[i]
                    _restore_block(coef, k, old_beta, working_set, support_count, &n_support)
                    intercept[k] = old_intercept
                    damping *= 2.0
            if datafit.exact_quadratic:
                converged = worst == 0.0
                outer += 1
                break
            if _max_violation(datafit, penalty, design, Y, w, eta, rows, coef, signs, working_set, fit_intercept,
                              h, s, lipschitz, support_count, n_support, max_nonzero) <= tol:
                converged = True
                outer += 1
                break
            if accelerate:
                _store_iterate(coef, intercept, working_set, &history[stored * n_vars])
                stored += 1
                if stored == ANDERSON_DEPTH + 1:
                    objective = _extrapolate_outer(datafit, penalty, design, Y, w, coef, intercept, eta, signs,
                                                   working_set, support_count, &n_support, fit_intercept,
                                                   &history[0], &saved[0], saved_eta, old_beta, rows, new_rows,
                                                   objective, slack)
                    stored = 0
        else:
            outer = max_outer
    return outer, bool(converged)


cdef void _store_iterate(const double[:, ::1] coef, const double[::1] intercept, const int[::1] working_set,
                         double* out) noexcept nogil:
    """Every block's working-set coefficients, then its intercept, into ``out``."""
    cdef Py_ssize_t k, t, n_ws = working_set.shape[0]
    for k in range(coef.shape[0]):
        for t in range(n_ws):
            out[k * (n_ws + 1) + t] = coef[k, working_set[t]]
        out[k * (n_ws + 1) + n_ws] = intercept[k]


cdef double _extrapolate_outer(Datafit datafit, Penalty penalty, Design design, const double[:, ::1] Y,
                               const double[::1] w, double[:, ::1] coef, double[::1] intercept,
                               double[:, ::1] eta, const signed char[::1] signs, const int[::1] working_set,
                               int[::1] support_count, int* n_support, bint fit_intercept,
                               const double* history, double* saved, double[:, ::1] saved_eta,
                               double[::1] old_beta, double[::1] rows, double[::1] new_rows, double objective,
                               double slack) noexcept nogil:
    """Move to the Anderson extrapolation of the stored outer iterates if it lowers the objective.

    Returns the objective at the point kept.  ``saved`` holds the current
    iterate and then the candidate (``2 * n_vars`` values).
    """
    cdef Py_ssize_t k, t, j, i, n_ws = working_set.shape[0], n_vars = coef.shape[0] * (n_ws + 1)
    cdef double* candidate = saved + n_vars
    cdef double value
    if not _extrapolate(history, n_vars, candidate):
        return objective
    _store_iterate(coef, intercept, working_set, saved)
    for k in range(coef.shape[0]):
        for i in range(eta.shape[1]):
            saved_eta[k, i] = eta[k, i]
        for t in range(n_ws):
            j = working_set[t]
            old_beta[j] = coef[k, j]
            _set_coefficient(coef, k, j, _project_sign(candidate[k * (n_ws + 1) + t], signs[j]),
                             support_count, n_support)
        if fit_intercept:
            intercept[k] = candidate[k * (n_ws + 1) + n_ws]
        design.update_eta(eta, k, old_beta, coef, saved[k * (n_ws + 1) + n_ws], intercept[k], working_set)
    value = datafit.value_rows(Y, w, eta, new_rows) + _penalty_total(penalty, coef, working_set)
    if value < objective - 1e-15 * (fabs(objective) + slack):
        rows[:] = new_rows
        return value
    # not better: back to the last iterate
    for k in range(coef.shape[0]):
        for i in range(eta.shape[1]):
            eta[k, i] = saved_eta[k, i]
        for t in range(n_ws):
            _set_coefficient(coef, k, working_set[t], saved[k * (n_ws + 1) + t], support_count, n_support)
        intercept[k] = saved[k * (n_ws + 1) + n_ws]
    return objective


cdef inline void _set_coefficient(double[:, ::1] coef, Py_ssize_t k, Py_ssize_t j, double value,
                                  int[::1] support_count, int* n_support) noexcept nogil:
    _move_support(coef[k, j], value, j, &support_count[0], n_support)
    coef[k, j] = value


cdef inline double _first_sweep_flag(int sweeps, bint exact) noexcept nogil:
    """1 when an exact (squared-loss) block hit the sweep limit, else 0."""
    if exact and sweeps < 0:
        return 1.0
    return 0.0


cdef void _restore_block(double[:, ::1] coef, Py_ssize_t k, const double[::1] old_beta,
                         const int[::1] working_set, int[::1] support_count, int* n_support) noexcept nogil:
    cdef Py_ssize_t t, j
    for t in range(working_set.shape[0]):
        j = working_set[t]
        # the change back from coef to old_beta, in the support's books
        _move_support(coef[k, j], old_beta[j], j, &support_count[0], n_support)
        coef[k, j] = old_beta[j]


cdef double _sum(const double[::1] s) noexcept nogil:
    cdef double total = 0.0
    cdef Py_ssize_t i
    for i in range(s.shape[0]):
        total += s[i]
    return total


cdef double _max_violation(Datafit datafit, Penalty penalty, Design design, const double[:, ::1] Y,
                           const double[::1] w, const double[:, ::1] eta, const double[::1] rows,
                           const double[:, ::1] coef, const signed char[::1] signs, const int[::1] columns,
                           bint fit_intercept, double[::1] h, double[::1] s, double[::1] lipschitz,
                           const int[::1] support_count, int n_support, int max_nonzero) noexcept nogil:
    """The largest optimality violation over blocks and ``columns``; ``rows`` as ``value_rows`` left them at ``eta``."""
    cdef Py_ssize_t k, t, j
    cdef double worst = 0.0, grad, total
    for k in range(coef.shape[0]):
        datafit.quadratic_model_from(Y, w, eta, k, h, s, rows)
        design.curvatures(h, columns, lipschitz)
        total = _sum(s)
        if fit_intercept:
            worst = max(worst, fabs(total))
        for t in range(columns.shape[0]):
            j = columns[t]
            if lipschitz[j] <= 0.0 or (support_count[j] == 0 and n_support >= max_nonzero):
                continue
            grad = -design.gradient(j, s, total)
            worst = max(worst, penalty.violation(coef[k, j], grad, lipschitz[j], signs[j]))
    return worst


def violations(Datafit datafit, Penalty penalty, const double[::1, :] Z, const double[:, ::1] Y,
               const double[::1] w, const double[:, ::1] eta, const double[:, ::1] coef,
               const signed char[::1] signs, const int[::1] columns):
    """:func:`violations_of` on a dense Fortran-order design ``Z``."""
    return violations_of(datafit, penalty, DenseDesign(Z), Y, w, eta, coef, signs, columns)


def violations_of(Datafit datafit, Penalty penalty, Design design, const double[:, ::1] Y,
                  const double[::1] w, const double[:, ::1] eta, const double[:, ::1] coef,
                  const signed char[::1] signs, const int[::1] columns):
    """Optimality violation of every column in ``columns`` (max over blocks), and the gradients.

    Returns ``(violation (n_columns,), gradient (n_blocks, n_columns), lipschitz (n_blocks, n_columns))``.
    """
    cdef Py_ssize_t n = Y.shape[1], k, t, j
    cdef double[::1] h = np.empty(n)
    cdef double[::1] s = np.empty(n)
    cdef double[::1] lip = np.zeros(design.n_columns)
    cdef double[::1] rows = np.empty(2 * n)
    cdef double total
    out = np.zeros(columns.shape[0])
    grads = np.zeros((coef.shape[0], columns.shape[0]))
    lips = np.zeros((coef.shape[0], columns.shape[0]))
    cdef double[::1] out_v = out
    cdef double[:, ::1] grad_v = grads
    cdef double[:, ::1] lip_v = lips
    with nogil:
        if coef.shape[0] > 1:
            # several blocks (the multinomial): their models share each row's normaliser
            datafit.value_rows(Y, w, eta, rows)
        for k in range(coef.shape[0]):
            if coef.shape[0] > 1:
                datafit.quadratic_model_from(Y, w, eta, k, h, s, rows)
            else:
                datafit.quadratic_model(Y, w, eta, k, h, s)
            design.curvatures(h, columns, lip)
            total = _sum(s)
            for t in range(columns.shape[0]):
                j = columns[t]
                grad_v[k, t] = -design.gradient(j, s, total)
                lip_v[k, t] = lip[j]
                if lip[j] > 0.0:
                    out_v[t] = max(out_v[t], penalty.violation(coef[k, j], grad_v[k, t], lip[j], signs[j]))
    return out, grads, lips


# -- covariance (Gram) mode for the squared loss ------------------------------------
def gram_cd(Penalty penalty, const double[::1, :] G, double[::1] c, const double[::1] zw,
            double[::1] beta, double[::1] state, const double[::1] diag,
            const signed char[::1] signs, const int[::1] working_set, int[::1] support_count,
            int max_nonzero, bint fit_intercept, int max_sweeps, double tol):
    """Cyclic coordinate descent for the squared loss from covariances only.

    ``G = Z^T W Z`` (only the columns of ``working_set`` are read, every row of
    them), ``c = Z^T W r`` (minus the gradient, every column) and
    ``zw = Z^T w``; ``state = [intercept, sum_i w_i r_i]``.  A coefficient
    change ``delta`` costs ``p`` operations (``c -= delta G[:, j]``) instead
    of ``n``, and ``c`` stays exact for every column, so the optimality check
    outside the working set needs no pass over the data.  Same updates, cap
    and sign projection as the row-space kernel.  Returns the number of
    sweeps, negated when ``tol`` was not reached.
    """
    cdef Py_ssize_t p = c.shape[0], t, j, i, n_ws = working_set.shape[0]
    cdef double grad, old, new, delta, worst, L
    cdef int sweep, n_support = 0, result = -max_sweeps, stored = 0
    cdef int* counts = &support_count[0]
    # Anderson extrapolation of the intercept and the working set's coefficients, as in the row-space
    # kernel: on collinear columns (every level of a one-hot feature beside an intercept) plain sweeps
    # crawl along the nearly flat valley for thousands of sweeps
    cdef Py_ssize_t n_vars = n_ws + 1
    cdef bint accelerate = penalty.convex and max_nonzero >= p and n_ws > 0
    cdef double* history = NULL
    cdef double* candidate = NULL
    for j in range(p):
        n_support += support_count[j] > 0
    if accelerate:
        history = <double*> malloc((ANDERSON_DEPTH + 1) * n_vars * sizeof(double))
        candidate = <double*> malloc(n_vars * sizeof(double))
        if history == NULL or candidate == NULL:
            accelerate = False
    with nogil:
        for sweep in range(max_sweeps):
            worst = 0.0
            if fit_intercept:
                delta = state[1]  # the weights sum to one
                worst = fabs(delta)
                state[0] += delta
                state[1] = 0.0
                if delta != 0.0:
                    for i in range(p):
                        c[i] -= delta * zw[i]
            for t in range(n_ws):
                j = working_set[t]
                L = diag[j]
                if L <= 0.0:
                    continue
                old = beta[j]
                if _capped_out(old, j, counts, n_support, max_nonzero):
                    continue
                grad = -c[j]
                worst = max(worst, penalty.violation(old, grad, L, signs[j]))
                new = _coordinate_update(penalty, old, grad, L, signs[j], j, counts, &n_support)
                if new != old:
                    delta = new - old
                    beta[j] = new
                    state[1] -= delta * zw[j]
                    for i in range(p):
                        c[i] -= delta * G[i, j]
            if worst <= tol:
                result = sweep + 1
                break
            if accelerate:
                history[stored * n_vars] = state[0]
                for t in range(n_ws):
                    history[stored * n_vars + 1 + t] = beta[working_set[t]]
                stored += 1
                if stored == ANDERSON_DEPTH + 1:
                    _gram_anderson_step(penalty, G, c, zw, beta, state, signs, working_set, counts, &n_support,
                                        fit_intercept, history, candidate)
                    stored = 0
    free(history)
    free(candidate)
    return result


cdef void _gram_anderson_step(Penalty penalty, const double[::1, :] G, double[::1] c, const double[::1] zw,
                              double[::1] beta, double[::1] state, const signed char[::1] signs,
                              const int[::1] working_set, int* support_count, int* n_support,
                              bint fit_intercept, const double* history, double* candidate) noexcept nogil:
    """``gram_cd``'s extrapolation: keep the extrapolated point only if the objective decreases.

    The change of the objective ``sum_i w_i r_i^2 / 2 + penalty`` for a step
    ``d0`` of the intercept and ``d`` of the coefficients comes from the
    covariances alone (the weights sum to one):
    ``-d0 sum(w r) - d.c + d0^2 / 2 + d0 d.zw + d.G.d / 2`` plus the change
    of the penalty.
    """
    cdef Py_ssize_t n_ws = working_set.shape[0], p = c.shape[0], t, u, i, j
    cdef double d0, dt, change, quadratic
    if not _extrapolate(history, n_ws + 1, candidate):
        return
    d0 = candidate[0] - state[0] if fit_intercept else 0.0
    change = -d0 * state[1] + 0.5 * d0 * d0
    for t in range(n_ws):
        j = working_set[t]
        candidate[1 + t] = _project_sign(candidate[1 + t], signs[j])
        dt = candidate[1 + t] - beta[j]
        quadratic = 0.0
        for u in range(t):  # the cross terms of d.G.d / 2, each pair once
            quadratic += G[j, working_set[u]] * (candidate[1 + u] - beta[working_set[u]])
        change += dt * (-c[j] + d0 * zw[j] + quadratic + 0.5 * G[j, j] * dt)
        change += penalty.value(candidate[1 + t]) - penalty.value(beta[j])
    if not change < 0.0:
        return
    state[0] += d0
    state[1] -= d0
    for i in range(p):
        c[i] -= d0 * zw[i]
    for t in range(n_ws):
        j = working_set[t]
        dt = candidate[1 + t] - beta[j]
        if dt == 0.0:
            continue
        state[1] -= dt * zw[j]
        for i in range(p):
            c[i] -= dt * G[i, j]
        _move_support(beta[j], candidate[1 + t], j, support_count, n_support)
        beta[j] = candidate[1 + t]


def violations_from_gradient(Penalty penalty, const double[::1] grad, const double[::1] lipschitz,
                             const double[::1] beta, const signed char[::1] signs):
    """Optimality violation of every column given its gradient and curvature (one block)."""
    cdef Py_ssize_t j, p = grad.shape[0]
    out = np.zeros(p)
    cdef double[::1] out_v = out
    for j in range(p):
        if lipschitz[j] > 0.0:
            out_v[j] = penalty.violation(beta[j], grad[j], lipschitz[j], signs[j])
    return out


# -- design statistics in one pass ---------------------------------------------------
def column_statistics(const double[:, ::1] X, const double[::1] w, const double[::1] shift,
                      const double[::1] wv, double[:, ::1] out):
    """Weighted moments, range and one target covariance of every column, one pass over the rows.

    With ``d = X[i, j] - shift[j]`` over the rows with ``w_i > 0`` (the
    others are skipped; ``wv`` must be zero there): ``out[0] = sum w_i d``,
    ``out[1] = sum w_i d^2``, ``out[2] = sum wv_i d`` (left alone when ``wv``
    is empty), ``out[3]`` / ``out[4]`` the smallest / largest ``X[i, j]``.
    A shift near the means keeps ``out[1] - out[0]^2`` free of cancellation.
    ``out`` is ``(5, p)``, rows 0-2 zero and rows 3-4 at +inf / -inf on entry.
    """
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], i, j
    cdef bint with_target = wv.shape[0] > 0
    cdef double wi, vi, x, d
    cdef double[::1] s1 = out[0], s2 = out[1], s3 = out[2], low = out[3], high = out[4]
    with nogil:
        for i in range(n):
            wi = w[i]
            if wi <= 0.0:
                continue
            if with_target:
                vi = wv[i]
                for j in range(p):
                    d = X[i, j] - shift[j]
                    s1[j] += wi * d
                    s2[j] += wi * d * d
                    s3[j] += vi * d
            else:
                for j in range(p):
                    d = X[i, j] - shift[j]
                    s1[j] += wi * d
                    s2[j] += wi * d * d
            for j in range(p):
                x = X[i, j]
                low[j] = x if x < low[j] else low[j]
                high[j] = x if x > high[j] else high[j]
