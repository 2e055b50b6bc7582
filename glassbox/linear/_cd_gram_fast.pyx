"""Coordinate descent for the squared loss from covariances (the Gram mode).

When rows outnumber terms, the squared loss is cheaper to minimize from
``G = Z^T W Z`` and ``c = Z^T W r`` than from the rows: a coefficient change
costs ``p`` operations instead of ``n`` and the gradient of every column
stays exact, so checking optimality outside the working set needs no pass
over the data (``glassbox.linear._solver.covariance_mode`` decides when,
``glassbox.linear._solver.Gram`` builds the covariances).  The updates, the
hard cap, the sign projection and the Anderson extrapolation are the
row-space solver's (``_cd_fast.pxd``), and the penalties are the same objects
(``_cd_objective_fast.pxd``), so both modes solve the same problem.  The
NumPy reference is ``glassbox.linear._reference``.
"""

from libc.math cimport fabs
from libc.stdlib cimport free, malloc

import numpy as np

from ._cd_fast cimport ANDERSON_DEPTH, _capped_out, _coordinate_update, _extrapolate, _move_support
from ._cd_objective_fast cimport Penalty, _project_sign


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
