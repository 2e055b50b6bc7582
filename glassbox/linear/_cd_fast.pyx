"""Proximal Newton coordinate descent for penalized generalized linear models.

:func:`solve` minimizes ``datafit(eta) + sum_k sum_j penalty(coef[k, j])``
(the datafits and penalties are the small classes of ``_cd_objective_fast``).
It runs cyclic coordinate descent on the quadratic model of each output
block (proximal Newton; one exact pass for the squared loss) over a working
set of columns, and damps the model until the true objective decreases.  It
reads the design only through a :class:`Design` (curvatures, one column's
gradient, a block's sweeps, the linear predictor's update):
:class:`DenseDesign` here, ``SparseDesign`` in ``_cd_sparse_fast``, so the
driver and the violation scan (:func:`violations_of`) are written once.  The
squared loss can also be solved from covariances alone: ``_cd_gram_fast``.

Conventions: ``Z`` is the standardized design (Fortran order, one contiguous
column per term), ``Y``/``eta`` are ``(n_blocks, n_samples)``, ``w`` are row
weights that sum to one, ``coef`` is ``(n_blocks, n_terms)``.  The objective is
``datafit(eta) + sum_k sum_j penalty(coef[k, j])`` with
``eta[k] = Z @ coef[k] + intercept[k]``.  Kernels trust their inputs; the
NumPy reference is ``glassbox.linear._reference``.
"""

from libc.math cimport fabs
from libc.stdlib cimport free, malloc

import numpy as np

from ._cd_objective_fast cimport Datafit, Penalty, _project_sign

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
