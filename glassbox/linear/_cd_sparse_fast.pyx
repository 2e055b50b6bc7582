"""Coordinate descent on a sparse (CSC) design, standardized implicitly.

The solver's design is ``z_ij = (x_ij - o_j) v_j`` (``o`` the column offsets,
the training means when there is an intercept; ``v`` the inverse scales, zero
on constant columns), but only the raw nonzeros of ``X`` are ever read:
centring a sparse column would fill it in.  Every quantity the dense kernels
take from a column of ``Z`` folds the offset in:

* the gradient ``z_j . s = v_j (x_j . s - o_j sum(s))``;
* the curvature ``sum_i h_i z_ij^2 = v_j^2 (sum_nz h_i (x_ij - o_j)^2 + o_j^2 sum_zero h_i)``,
  summed about the offset, so it has no cancellation;
* a coefficient change ``delta`` moves the linear predictor by
  ``delta v_j x_ij`` on the column's nonzero rows plus the constant
  ``-delta v_j o_j`` on every row.  The constant part is not spread over the
  rows: it accumulates in one scalar ``shift``, and the true weighted
  residual is ``s_i - shift h_i``.  The intercept's updates are constants too.

So a sweep costs the nonzeros of the working set plus one pass over the rows,
as in scikit-learn's sparse coordinate descent (which folds ``X_mean`` into
its dot products the same way).  Datafits and penalties are the dense
kernels' (``_cd_fast.pxd``): same quadratic models, minimizers and
violations, so a sparse fit solves the same problem as a dense one.  The
NumPy reference is ``glassbox.linear._reference`` on ``X.toarray()``.
"""

from libc.math cimport fabs

import numpy as np

from ._cd_fast cimport Datafit, Penalty


cdef double _true_dot(const double[::1] data, const int[::1] indices, long long start, long long stop,
                      const double[::1] s, const double[::1] h, double shift) noexcept nogil:
    """``sum_nz x_ij (s_i - shift h_i)``: the raw column times the true weighted residual."""
    cdef long long q
    cdef Py_ssize_t i
    cdef double acc = 0.0
    for q in range(start, stop):
        i = indices[q]
        acc += data[q] * (s[i] - shift * h[i])
    return acc


cdef double _gradient(const double[::1] data, const int[::1] indices, const long long[::1] indptr,
                      double offset, double inverse, Py_ssize_t j, const double[::1] s,
                      const double[::1] h, double shift, double s_total) noexcept nogil:
    """Minus the gradient ``z_j . s_true`` (``s_total`` the sum of the true residual)."""
    return inverse * (_true_dot(data, indices, indptr[j], indptr[j + 1], s, h, shift) - offset * s_total)


cdef void _curvatures(const double[::1] data, const int[::1] indices, const long long[::1] indptr,
                      const double[::1] offsets, const double[::1] inverse, const double[::1] h,
                      const int[::1] columns, double[::1] out) noexcept nogil:
    """``out[j] = sum_i h_i z_ij^2`` for the listed columns, summed about the offsets."""
    cdef Py_ssize_t t, j
    cdef long long q
    cdef double h_total = 0.0, acc, h_nz, d, o
    for t in range(h.shape[0]):
        h_total += h[t]
    for t in range(columns.shape[0]):
        j = columns[t]
        o = offsets[j]
        acc = 0.0
        h_nz = 0.0
        for q in range(indptr[j], indptr[j + 1]):
            d = data[q] - o
            acc += h[indices[q]] * d * d
            h_nz += h[indices[q]]
        out[j] = inverse[j] * inverse[j] * (acc + o * o * (h_total - h_nz))


cdef int _cd_block(const double[::1] data, const int[::1] indices, const long long[::1] indptr,
                   const double[::1] offsets, const double[::1] inverse,
                   const double[::1] h, double[::1] s, double[::1] beta, double* intercept,
                   const double[::1] lipschitz, Penalty penalty, const signed char[::1] signs,
                   const int[::1] working_set, int[::1] support_count, int* n_support, int max_nonzero,
                   bint fit_intercept, int max_sweeps, double tol) noexcept nogil:
    """Cyclic coordinate descent on one block's quadratic model (the dense ``_cd_block``'s updates).

    Updates ``beta``, ``intercept`` and the weighted residual ``s`` in place;
    returns the number of sweeps, negated when ``tol`` was not reached.
    """
    cdef Py_ssize_t n = s.shape[0], i, t, j
    cdef long long q
    cdef double h_total = 0.0, s_stored, shift = 0.0, s_total, grad, old, new, delta, worst, L, step, moved
    cdef int sweep, result = -max_sweeps
    for i in range(n):
        h_total += h[i]
    for sweep in range(max_sweeps):
        worst = 0.0
        s_stored = 0.0  # summed afresh each sweep, so rounding does not drift
        for i in range(n):
            s_stored += s[i]
        s_total = s_stored - shift * h_total
        if fit_intercept and h_total > 0.0:
            worst = fabs(s_total)
            delta = s_total / h_total
            intercept[0] += delta
            shift += delta
            s_total = s_stored - shift * h_total
        for t in range(working_set.shape[0]):
            j = working_set[t]
            L = lipschitz[j]
            if L <= 0.0:
                continue
            old = beta[j]
            if old == 0.0 and support_count[j] == 0 and n_support[0] >= max_nonzero:
                continue  # capped out: this term may not enter, so it cannot violate
            grad = -_gradient(data, indices, indptr, offsets[j], inverse[j], j, s, h, shift, s_total)
            worst = max(worst, penalty.violation(old, grad, L, signs[j]))
            new = penalty.minimize(old - grad / L, L, signs[j])
            if old == 0.0 and new != 0.0:
                if support_count[j] == 0:
                    n_support[0] += 1
                support_count[j] += 1
            elif old != 0.0 and new == 0.0:
                support_count[j] -= 1
                if support_count[j] == 0:
                    n_support[0] -= 1
            if new != old:
                delta = new - old
                beta[j] = new
                step = delta * inverse[j]
                moved = 0.0
                for q in range(indptr[j], indptr[j + 1]):
                    i = indices[q]
                    s[i] -= step * h[i] * data[q]
                    moved += h[i] * data[q]
                s_stored -= step * moved
                shift -= step * offsets[j]
                s_total = s_stored - shift * h_total
        if worst <= tol:
            result = sweep + 1
            break
    for i in range(n):
        s[i] -= shift * h[i]
    return result


cdef double _penalty_total(Penalty penalty, const double[:, ::1] coef, const int[::1] working_set) noexcept nogil:
    cdef double total = 0.0
    cdef Py_ssize_t k, t
    for k in range(coef.shape[0]):
        for t in range(working_set.shape[0]):
            total += penalty.value(coef[k, working_set[t]])
    return total


cdef void _update_eta(const double[::1] data, const int[::1] indices, const long long[::1] indptr,
                      const double[::1] offsets, const double[::1] inverse, double[:, ::1] eta, Py_ssize_t k,
                      const double[::1] old_beta, const double[:, ::1] coef, double old_intercept,
                      double new_intercept, const int[::1] working_set) noexcept nogil:
    """``eta[k] += (intercept change) + sum_j (coef change)_j z_j``, the constant parts in one pass."""
    cdef Py_ssize_t t, i, j
    cdef long long q
    cdef double constant = new_intercept - old_intercept, step
    for t in range(working_set.shape[0]):
        j = working_set[t]
        step = (coef[k, j] - old_beta[j]) * inverse[j]
        if step != 0.0:
            constant -= step * offsets[j]
            for q in range(indptr[j], indptr[j + 1]):
                eta[k, indices[q]] += step * data[q]
    if constant != 0.0:
        for i in range(eta.shape[1]):
            eta[k, i] += constant


cdef void _restore_block(double[:, ::1] coef, Py_ssize_t k, const double[::1] old_beta,
                         const int[::1] working_set, int[::1] support_count, int* n_support) noexcept nogil:
    cdef Py_ssize_t t, j
    for t in range(working_set.shape[0]):
        j = working_set[t]
        if coef[k, j] != 0.0 and old_beta[j] == 0.0:
            support_count[j] -= 1
            if support_count[j] == 0:
                n_support[0] -= 1
        elif coef[k, j] == 0.0 and old_beta[j] != 0.0:
            if support_count[j] == 0:
                n_support[0] += 1
            support_count[j] += 1
        coef[k, j] = old_beta[j]


cdef double _sum(const double[::1] s) noexcept nogil:
    cdef double total = 0.0
    cdef Py_ssize_t i
    for i in range(s.shape[0]):
        total += s[i]
    return total


cdef double _max_violation(Datafit datafit, Penalty penalty, const double[::1] data, const int[::1] indices,
                           const long long[::1] indptr, const double[::1] offsets, const double[::1] inverse,
                           const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                           const double[:, ::1] coef, const signed char[::1] signs, const int[::1] columns,
                           bint fit_intercept, double[::1] h, double[::1] s, double[::1] lipschitz,
                           const int[::1] support_count, int n_support, int max_nonzero) noexcept nogil:
    cdef Py_ssize_t k, t, j
    cdef double worst = 0.0, grad, total
    for k in range(coef.shape[0]):
        datafit.quadratic_model(Y, w, eta, k, h, s)
        _curvatures(data, indices, indptr, offsets, inverse, h, columns, lipschitz)
        total = _sum(s)
        if fit_intercept:
            worst = max(worst, fabs(total))
        for t in range(columns.shape[0]):
            j = columns[t]
            if lipschitz[j] <= 0.0 or (support_count[j] == 0 and n_support >= max_nonzero):
                continue
            grad = -_gradient(data, indices, indptr, offsets[j], inverse[j], j, s, h, 0.0, total)
            worst = max(worst, penalty.violation(coef[k, j], grad, lipschitz[j], signs[j]))
    return worst


def prox_newton(Datafit datafit, Penalty penalty, const double[::1] data, const int[::1] indices,
                const long long[::1] indptr, const double[::1] offsets, const double[::1] inverse,
                const double[:, ::1] Y, const double[::1] w,
                double[:, ::1] coef, double[::1] intercept, double[:, ::1] eta,
                const signed char[::1] signs, const int[::1] working_set,
                int[::1] support_count, int max_nonzero, bint fit_intercept,
                int max_outer, int max_sweeps, double tol):
    """The dense ``_cd_fast.prox_newton`` on a CSC design ``(data, indices, indptr)`` (see the module).

    Same damped proximal Newton outer loop, same hard cap and sign
    constraints; returns ``(n_outer, converged)``.
    """
    cdef Py_ssize_t n = Y.shape[1], p = indptr.shape[0] - 1, n_blocks = coef.shape[0]
    cdef Py_ssize_t k, i, t, j
    cdef double[::1] h = np.empty(n)
    cdef double[::1] s = np.empty(n)
    cdef double[::1] lipschitz = np.zeros(p)
    cdef double[::1] old_beta = np.zeros(p)
    cdef double[::1] old_eta = np.empty(n)
    cdef double old_intercept, objective, candidate, damping
    cdef int n_support = 0, outer = 0, sweeps, attempt
    cdef bint converged = False
    cdef double worst
    for j in range(p):
        n_support += support_count[j] > 0
    with nogil:
        objective = datafit.value(Y, w, eta) + _penalty_total(penalty, coef, working_set)
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
                    datafit.quadratic_model(Y, w, eta, k, h, s)
                    if damping != 1.0:
                        for i in range(n):
                            h[i] *= damping
                    _curvatures(data, indices, indptr, offsets, inverse, h, working_set, lipschitz)
                    sweeps = _cd_block(data, indices, indptr, offsets, inverse, h, s, coef[k], &intercept[k],
                                       lipschitz, penalty, signs, working_set, support_count, &n_support,
                                       max_nonzero, fit_intercept, max_sweeps, tol)
                    if attempt == 0 and datafit.exact_quadratic and sweeps < 0:
                        worst = 1.0
                    _update_eta(data, indices, indptr, offsets, inverse, eta, k, old_beta, coef, old_intercept,
                                intercept[k], working_set)
                    candidate = datafit.value(Y, w, eta) + _penalty_total(penalty, coef, working_set)
                    if datafit.exact_quadratic or candidate <= objective + 1e-15 * fabs(objective):
                        objective = candidate
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
            if _max_violation(datafit, penalty, data, indices, indptr, offsets, inverse, Y, w, eta, coef, signs,
                              working_set, fit_intercept, h, s, lipschitz, support_count, n_support,
                              max_nonzero) <= tol:
                converged = True
                outer += 1
                break
        else:
            outer = max_outer
    return outer, bool(converged)


def violations(Datafit datafit, Penalty penalty, const double[::1] data, const int[::1] indices,
               const long long[::1] indptr, const double[::1] offsets, const double[::1] inverse,
               const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta, const double[:, ::1] coef,
               const signed char[::1] signs, const int[::1] columns):
    """The dense ``_cd_fast.violations`` on a CSC design: ``(violation, gradient, curvature)`` of ``columns``."""
    cdef Py_ssize_t n = Y.shape[1], k, t, j
    cdef double[::1] h = np.empty(n)
    cdef double[::1] s = np.empty(n)
    cdef double[::1] lip = np.zeros(indptr.shape[0] - 1)
    cdef double total
    out = np.zeros(columns.shape[0])
    grads = np.zeros((coef.shape[0], columns.shape[0]))
    lips = np.zeros((coef.shape[0], columns.shape[0]))
    cdef double[::1] out_v = out
    cdef double[:, ::1] grad_v = grads
    cdef double[:, ::1] lip_v = lips
    with nogil:
        for k in range(coef.shape[0]):
            datafit.quadratic_model(Y, w, eta, k, h, s)
            _curvatures(data, indices, indptr, offsets, inverse, h, columns, lip)
            total = _sum(s)
            for t in range(columns.shape[0]):
                j = columns[t]
                grad_v[k, t] = -_gradient(data, indices, indptr, offsets[j], inverse[j], j, s, h, 0.0, total)
                lip_v[k, t] = lip[j]
                if lip[j] > 0.0:
                    out_v[t] = max(out_v[t], penalty.violation(coef[k, j], grad_v[k, t], lip[j], signs[j]))
    return out, grads, lips


def curvatures(const double[::1] data, const int[::1] indices, const long long[::1] indptr,
               const double[::1] offsets, const double[::1] inverse, const double[::1] h,
               const int[::1] columns):
    """``sum_i h_i z_ij^2`` of every column (zero outside ``columns``)."""
    out = np.zeros(indptr.shape[0] - 1)
    cdef double[::1] out_v = out
    with nogil:
        _curvatures(data, indices, indptr, offsets, inverse, h, columns, out_v)
    return out


def column_statistics(const double[::1] data, const int[::1] indices, const long long[::1] indptr,
                      const double[::1] w, double[:, ::1] out):
    """Weighted mean, sum of squared deviations and range of every column (rows with ``w > 0``).

    ``out`` is ``(4, p)``: ``out[0] = sum_i w_i x_ij / sum w``,
    ``out[1] = sum_i w_i (x_ij - mean_j)^2`` (nonzeros about the mean, plus
    ``mean^2`` times the weight of the zero rows: no cancellation), ``out[2]``
    / ``out[3]`` the smallest / largest value, zero included when a row of
    positive weight holds an implicit zero.
    """
    cdef Py_ssize_t p = indptr.shape[0] - 1, i, j
    cdef long long q
    cdef double total = 0.0, w_nz, acc, mean, d, low, high, x
    cdef long long n_positive = 0, n_nz
    with nogil:
        for i in range(w.shape[0]):
            total += w[i]
            n_positive += w[i] > 0.0
        for j in range(p):
            acc = 0.0
            for q in range(indptr[j], indptr[j + 1]):
                acc += w[indices[q]] * data[q]
            mean = acc / total
            acc = 0.0
            w_nz = 0.0
            n_nz = 0
            low = 0.0
            high = 0.0
            for q in range(indptr[j], indptr[j + 1]):
                i = indices[q]
                if w[i] <= 0.0:
                    continue
                x = data[q]
                d = x - mean
                acc += w[i] * d * d
                w_nz += w[i]
                if n_nz == 0 or x < low:
                    low = x
                if n_nz == 0 or x > high:
                    high = x
                n_nz += 1
            if n_nz < n_positive:  # some row of positive weight holds an implicit zero
                low = min(low, 0.0)  # both start at zero when no nonzero counted
                high = max(high, 0.0)
            out[0, j] = mean
            out[1, j] = acc + mean * mean * (total - w_nz)
            out[2, j] = low
            out[3, j] = high
