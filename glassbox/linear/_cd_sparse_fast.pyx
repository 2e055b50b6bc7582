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
kernels' (``_cd_objective_fast.pxd``): same quadratic models, minimizers and
violations, so a sparse fit solves the same problem as a dense one.  The
proximal Newton driver and the violation scan are the dense module's too
(``_cd_fast.solve`` / ``violations_of``): this module only supplies the
column access, as :class:`SparseDesign`.  A column stored in every row of
positive weight comes here already centred (offset zero; see
``glassbox.linear._design.centre_stored_columns``).  The
NumPy reference is ``glassbox.linear._reference`` on ``X.toarray()``.
"""

from libc.math cimport fabs

import numpy as np

from ._cd_fast cimport Design, _capped_out, _coordinate_update
from ._cd_objective_fast cimport Datafit, Penalty
from ._cd_fast import solve, violations_of


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
    cdef int* counts = &support_count[0]
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
            if _capped_out(old, j, counts, n_support[0], max_nonzero):
                continue  # this term may not enter, so it cannot violate
            grad = -_gradient(data, indices, indptr, offsets[j], inverse[j], j, s, h, shift, s_total)
            worst = max(worst, penalty.violation(old, grad, L, signs[j]))
            new = _coordinate_update(penalty, old, grad, L, signs[j], j, counts, n_support)
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


cdef class SparseDesign(Design):
    """A CSC design ``(data, indices, indptr)`` standardized implicitly by ``offsets`` and ``inverse``."""

    cdef const double[::1] data
    cdef const int[::1] indices
    cdef const long long[::1] indptr
    cdef const double[::1] offsets
    cdef const double[::1] inverse

    def __init__(self, const double[::1] data, const int[::1] indices, const long long[::1] indptr,
                 const double[::1] offsets, const double[::1] inverse):
        self.data = data
        self.indices = indices
        self.indptr = indptr
        self.offsets = offsets
        self.inverse = inverse
        self.n_columns = indptr.shape[0] - 1

    cdef void curvatures(self, const double[::1] h, const int[::1] columns, double[::1] out) noexcept nogil:
        _curvatures(self.data, self.indices, self.indptr, self.offsets, self.inverse, h, columns, out)

    cdef double gradient(self, Py_ssize_t j, const double[::1] s, double s_total) noexcept nogil:
        # _gradient with no shift, reading the attributes in place (the violation scan calls it once
        # per column: passing them on as memoryview arguments would copy their structs each time)
        cdef long long q
        cdef double acc = 0.0
        for q in range(self.indptr[j], self.indptr[j + 1]):
            acc += self.data[q] * s[self.indices[q]]
        return self.inverse[j] * (acc - self.offsets[j] * s_total)

    cdef int cd_block(self, const double[::1] h, double[::1] s, double[::1] beta, double* intercept,
                      const double[::1] lipschitz, Penalty penalty, const signed char[::1] signs,
                      const int[::1] working_set, int[::1] support_count, int* n_support, int max_nonzero,
                      bint fit_intercept, int max_sweeps, double tol) noexcept nogil:
        return _cd_block(self.data, self.indices, self.indptr, self.offsets, self.inverse, h, s, beta, intercept,
                         lipschitz, penalty, signs, working_set, support_count, n_support, max_nonzero,
                         fit_intercept, max_sweeps, tol)

    cdef void update_eta(self, double[:, ::1] eta, Py_ssize_t k, const double[::1] old_beta,
                         const double[:, ::1] coef, double old_intercept, double new_intercept,
                         const int[::1] working_set) noexcept nogil:
        _update_eta(self.data, self.indices, self.indptr, self.offsets, self.inverse, eta, k, old_beta, coef,
                    old_intercept, new_intercept, working_set)


def prox_newton(Datafit datafit, Penalty penalty, const double[::1] data, const int[::1] indices,
                const long long[::1] indptr, const double[::1] offsets, const double[::1] inverse,
                const double[:, ::1] Y, const double[::1] w,
                double[:, ::1] coef, double[::1] intercept, double[:, ::1] eta,
                const signed char[::1] signs, const int[::1] working_set,
                int[::1] support_count, int max_nonzero, bint fit_intercept,
                int max_outer, int max_sweeps, double tol):
    """The dense ``_cd_fast.prox_newton`` on a CSC design ``(data, indices, indptr)`` (see the module).

    The same driver (``_cd_fast.solve``): same damped proximal Newton outer
    loop, same hard cap and sign constraints; returns ``(n_outer, converged)``.
    """
    return solve(datafit, penalty, SparseDesign(data, indices, indptr, offsets, inverse), Y, w, coef, intercept,
                 eta, signs, working_set, support_count, max_nonzero, fit_intercept, max_outer, max_sweeps, tol)


def violations(Datafit datafit, Penalty penalty, const double[::1] data, const int[::1] indices,
               const long long[::1] indptr, const double[::1] offsets, const double[::1] inverse,
               const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta, const double[:, ::1] coef,
               const signed char[::1] signs, const int[::1] columns):
    """The dense ``_cd_fast.violations`` on a CSC design: ``(violation, gradient, curvature)`` of ``columns``."""
    return violations_of(datafit, penalty, SparseDesign(data, indices, indptr, offsets, inverse), Y, w, eta, coef,
                         signs, columns)


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
