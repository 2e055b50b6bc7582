"""Compiled kernels of the risk-score search: logistic loss on binary conditions.

The search works with *margins* ``m_i = y_i * f_i`` (labels ``y_i`` in
{-1, +1}, ``f_i`` the current log-odds) on a dense 0/1 condition matrix.
Because every column is binary, moving coefficient ``j`` by ``d`` changes the
margin of the rows where condition ``j`` holds by ``y_i * d`` and leaves the
others alone, so one-dimensional Newton steps need only those rows.

Small supports are compressed to *patterns* (distinct 0/1 rows of the chosen
columns, with their positive and negative weight), on which a whole support is
fitted by coordinate descent in microseconds.

NumPy references of every kernel live in ``_reference.py`` (tests only).
"""

from cython.parallel cimport prange
from libc.math cimport exp, log, log1p, fabs

from ._logistic_math cimport expit, softplus

ctypedef unsigned char uint8


def logistic_loss(const double[::1] margin, const double[::1] weight):
    """sum_i weight_i * log(1 + exp(-margin_i))."""
    cdef Py_ssize_t i, n = margin.shape[0]
    cdef double total = 0.0
    with nogil:
        for i in range(n):
            total += weight[i] * softplus(-margin[i])
    return total


def screen_conditions(const uint8[::1, :] Z,
                      const double[::1] y,
                      const double[::1] weight,
                      const double[::1] margin,
                      const double[::1] lower,
                      const double[::1] upper,
                      const uint8[::1] allowed,
                      int n_newton,
                      double[::1] best_step,
                      double[::1] decrease,
                      int n_threads):
    """Best single-coordinate move for every allowed column.

    For column ``j`` minimise ``sum_{i: Z_ij=1} w_i log(1 + exp(-(m_i + y_i d)))``
    over ``d`` in ``[lower_j, upper_j]`` by guarded Newton steps, and report the
    step and the loss decrease (>= 0).  Columns with ``allowed[j] == 0`` get 0.
    With ``n_newton == 0`` report the step and decrease of the quadratic model
    at ``d = 0`` instead (no exponentials: a cheap first screen).  The loss, gradient and curvature at ``d = 0`` are per-row sums computed once.
    """
    import numpy
    cdef Py_ssize_t n = Z.shape[0], p = Z.shape[1]
    cdef Py_ssize_t j, i
    cdef int it
    cdef double d, d_best, loss, loss0, loss_best, g, h, s, t, e, proposal
    cdef double[::1] row_loss = numpy.empty(n)
    cdef double[::1] row_grad = numpy.empty(n)
    cdef double[::1] row_curv = numpy.empty(n)
    with nogil:
        for i in range(n):
            s = expit(-margin[i])
            row_loss[i] = weight[i] * softplus(-margin[i])
            row_grad[i] = -weight[i] * y[i] * s
            row_curv[i] = weight[i] * s * (1.0 - s)
    for j in prange(p, nogil=True, schedule="static", num_threads=n_threads):
        best_step[j] = 0.0
        decrease[j] = 0.0
        if allowed[j] == 0:
            continue
        d = 0.0
        d_best = 0.0
        loss0 = 0.0
        loss_best = 0.0
        for it in range(n_newton + 1):
            loss = 0.0
            g = 0.0
            h = 0.0
            if it == 0:
                for i in range(n):
                    if Z[i, j]:
                        loss = loss + row_loss[i]
                        g = g + row_grad[i]
                        h = h + row_curv[i]
            else:
                for i in range(n):
                    if Z[i, j]:
                        # one exp per row: e = exp(-|t|) gives expit(-t) and softplus(-t)
                        t = margin[i] + y[i] * d
                        e = exp(-fabs(t))
                        if t >= 0:
                            s = e / (1.0 + e)
                            loss = loss + weight[i] * log1p(e)
                        else:
                            s = 1.0 / (1.0 + e)
                            loss = loss + weight[i] * (log1p(e) - t)
                        g = g - weight[i] * y[i] * s
                        h = h + weight[i] * s * (1.0 - s)
            if it == 0:
                loss0 = loss
                loss_best = loss
            elif loss < loss_best:
                loss_best = loss
                d_best = d
            else:
                # the last step overshot: retreat halfway towards the best point
                d = 0.5 * (d + d_best)
                continue
            if h <= 1e-300:
                break
            proposal = d - g / h
            if proposal < lower[j]:
                proposal = lower[j]
            if proposal > upper[j]:
                proposal = upper[j]
            if n_newton == 0:
                # quadratic model only: its predicted decrease ranks columns cheaply
                d_best = proposal
                loss_best = loss0 + g * proposal + 0.5 * h * proposal * proposal
                break
            if fabs(proposal - d) < 1e-10:
                break
            d = proposal
        best_step[j] = d_best
        decrease[j] = loss0 - loss_best


def pattern_codes(const uint8[::1, :] Z, const Py_ssize_t[::1] columns, long long[::1] out):
    """out[i] = sum_c Z[i, columns[c]] << c: the row's pattern on the chosen columns."""
    cdef Py_ssize_t n = Z.shape[0], k = columns.shape[0]
    cdef Py_ssize_t i, c
    cdef long long code
    with nogil:
        for i in range(n):
            code = 0
            for c in range(k):
                if Z[i, columns[c]]:
                    code = code | (<long long>1 << c)
            out[i] = code


cdef double pattern_loss(const uint8[:, ::1] P, const double[::1] pos, const double[::1] neg,
                         const double[::1] beta, double intercept, double[::1] score) noexcept nogil:
    cdef Py_ssize_t r, c, m = P.shape[0], k = P.shape[1]
    cdef double f, total = 0.0
    for r in range(m):
        f = intercept
        for c in range(k):
            if P[r, c]:
                f = f + beta[c]
        score[r] = f
        total = total + pos[r] * softplus(-f) + neg[r] * softplus(f)
    return total


def fit_patterns(const uint8[:, ::1] P,
                 const double[::1] pos,
                 const double[::1] neg,
                 double[::1] beta,
                 double[::1] intercept,
                 const double[::1] lower,
                 const double[::1] upper,
                 int max_sweeps,
                 double tol):
    """Box-constrained logistic fit on patterns by cyclic coordinate Newton steps.

    ``beta`` (one per column of ``P``) and ``intercept`` (length-1 array, free)
    are updated in place; returns the final loss.  Each coordinate takes a
    guarded Newton step (halved until the loss does not increase).
    """
    cdef Py_ssize_t m = P.shape[0], k = P.shape[1]
    cdef Py_ssize_t r, c, sweep
    cdef int halvings
    cdef double g, h, s, step, old, loss, new_loss, start
    cdef double[::1] score = _scratch(m)
    with nogil:
        loss = pattern_loss(P, pos, neg, beta, intercept[0], score)
        for sweep in range(max_sweeps):
            start = loss
            for c in range(-1, k):
                g = 0.0
                h = 0.0
                for r in range(m):
                    if c < 0 or P[r, c]:
                        s = expit(score[r])
                        g = g + pos[r] * (s - 1.0) + neg[r] * s
                        h = h + (pos[r] + neg[r]) * s * (1.0 - s)
                if h <= 1e-300:
                    continue
                old = intercept[0] if c < 0 else beta[c]
                step = -g / h
                for halvings in range(30):
                    if c < 0:
                        intercept[0] = old + step
                    else:
                        beta[c] = old + step
                        if beta[c] < lower[c]:
                            beta[c] = lower[c]
                        if beta[c] > upper[c]:
                            beta[c] = upper[c]
                    new_loss = pattern_loss(P, pos, neg, beta, intercept[0], score)
                    if new_loss <= loss:
                        break
                    step = 0.5 * step
                if new_loss <= loss:
                    loss = new_loss
                else:
                    if c < 0:
                        intercept[0] = old
                    else:
                        beta[c] = old
                    loss = pattern_loss(P, pos, neg, beta, intercept[0], score)
            if start - loss <= tol * (1.0 + fabs(loss)):
                break
    return loss


cdef double[::1] _scratch(Py_ssize_t m):
    import numpy
    return numpy.empty(max(m, 1), dtype=numpy.float64)


def add_to_margin(const uint8[::1, :] Z, Py_ssize_t column, double step,
                  const double[::1] y, double[::1] margin):
    """margin_i += y_i * step where Z[i, column] == 1 (column -1: every row)."""
    cdef Py_ssize_t i, n = margin.shape[0]
    with nogil:
        for i in range(n):
            if column < 0 or Z[i, column]:
                margin[i] = margin[i] + y[i] * step


def condition_gradient(const uint8[::1, :] Z,
                       const double[::1] y,
                       const double[::1] weight,
                       const double[::1] margin,
                       double[::1] out,
                       int n_threads):
    """out[j] = d/d beta_j of sum_i w_i log(1 + exp(-m_i)) = -sum_{i: Z_ij=1} w_i y_i expit(-m_i)."""
    cdef Py_ssize_t n = Z.shape[0], p = Z.shape[1]
    cdef Py_ssize_t i, j
    cdef double total
    for j in prange(p, nogil=True, schedule="static", num_threads=n_threads):
        total = 0.0
        for i in range(n):
            if Z[i, j]:
                total = total - weight[i] * y[i] * expit(-margin[i])
        out[j] = total


# -- integer scorecards on a pattern table ---------------------------------------

cdef double _scaled_loss(const double[::1] pos, const double[::1] neg, const double[::1] s,
                         double offset, double a) noexcept nogil:
    cdef Py_ssize_t r
    cdef double f, total = 0.0
    for r in range(s.shape[0]):
        f = (s[r] + offset) * a
        total = total + pos[r] * softplus(-f) + neg[r] * softplus(f)
    return total


def scaled_loss(const double[::1] pos, const double[::1] neg, const double[::1] s, double offset, double a):
    """sum_r pos_r log(1 + exp(-(s_r + offset) a)) + neg_r log(1 + exp((s_r + offset) a))."""
    return _scaled_loss(pos, neg, s, offset, a)


def best_scale(const double[::1] pos, const double[::1] neg, const double[::1] s,
               double offset, double a0, double a_min, double a_max):
    """argmin over a in [a_min, a_max] of ``scaled_loss(offset, a)`` (convex): safeguarded Newton.

    Returns ``(a, loss)``.
    """
    cdef double lo = a_min, hi = a_max, a = a0, a_new, g, h, q, f, u
    cdef Py_ssize_t r
    cdef int it
    if a < lo:
        a = lo
    if a > hi:
        a = hi
    with nogil:
        for it in range(100):
            g = 0.0
            h = 0.0
            for r in range(s.shape[0]):
                u = s[r] + offset
                q = expit(u * a)
                g = g + u * (neg[r] * q - pos[r] * (1.0 - q))
                h = h + u * u * (pos[r] + neg[r]) * q * (1.0 - q)
            if g > 0:
                hi = a
            else:
                lo = a
            if h > 1e-300 and lo < a - g / h < hi:
                a_new = a - g / h
            else:
                a_new = 0.5 * (lo + hi)
            if fabs(a_new - a) <= 1e-13 * a or hi - lo <= 1e-13:
                a = a_new
                break
            a = a_new
        if a < a_min:
            a = a_min
        if a > a_max:
            a = a_max
        f = _scaled_loss(pos, neg, s, offset, a)
    return a, f


def best_offset(const double[::1] pos, const double[::1] neg, const double[::1] s, double a, double c0):
    """Continuous c minimising the loss of ``a * s_r + c`` (1-D Newton, steps capped)."""
    cdef double c = c0, g, h, q, step
    cdef Py_ssize_t r
    cdef int it
    with nogil:
        for it in range(100):
            g = 0.0
            h = 0.0
            for r in range(s.shape[0]):
                q = expit(a * s[r] + c)
                g = g + neg[r] * q - pos[r] * (1.0 - q)
                h = h + (pos[r] + neg[r]) * q * (1.0 - q)
            if h <= 1e-300:
                break
            step = g / h
            if step > 4.0:
                step = 4.0
            if step < -4.0:
                step = -4.0
            c = c - step
            if fabs(step) < 1e-13:
                break
    return c


def sequential_round(const uint8[:, ::1] P, const double[::1] pos, const double[::1] neg,
                     double[::1] values, double offset, double multiplier,
                     const double[::1] lower, const double[::1] upper):
    """Round ``values`` in place one coordinate at a time, least harmful rounding first.

    At each step every unrounded coordinate is tried at its floor and ceiling
    (clipped to its bounds) with the others as they are; the best is fixed.
    """
    import numpy
    cdef Py_ssize_t m = P.shape[0], k = P.shape[1]
    cdef Py_ssize_t r, c, j, best_j, step
    cdef int side
    cdef double v, best_v, loss, best_loss, delta, f
    cdef double[::1] score = numpy.empty(max(m, 1))
    cdef unsigned char[::1] done = numpy.zeros(max(k, 1), dtype=numpy.uint8)
    with nogil:
        for r in range(m):
            score[r] = offset
            for c in range(k):
                if P[r, c]:
                    score[r] = score[r] + values[c]
        for step in range(k):
            best_j = -1
            best_v = 0.0
            best_loss = 0.0
            for j in range(k):
                if done[j]:
                    continue
                for side in range(2):
                    v = _floor(values[j]) + side
                    if side == 1 and v - 1.0 == values[j]:
                        continue  # already an integer: floor == value
                    if v < lower[j]:
                        v = lower[j]
                    if v > upper[j]:
                        v = upper[j]
                    delta = v - values[j]
                    loss = 0.0
                    for r in range(m):
                        f = score[r]
                        if P[r, j]:
                            f = f + delta
                        f = f / multiplier
                        loss = loss + pos[r] * softplus(-f) + neg[r] * softplus(f)
                    if best_j < 0 or loss < best_loss - 1e-15:
                        best_j = j
                        best_v = v
                        best_loss = loss
            delta = best_v - values[best_j]
            for r in range(m):
                if P[r, best_j]:
                    score[r] = score[r] + delta
            values[best_j] = best_v
            done[best_j] = 1


cdef inline double _floor(double x) noexcept nogil:
    cdef double t = <double>(<long long>x)
    if t > x:
        t = t - 1.0
    return t
