"""Local combinatorial search for L0-penalized models (Hazimeh & Mazumder 2020).

Coordinate descent with the hard-threshold update stops at a coordinate-wise
minimum, which can still be improved by *swapping* one term of the support
for one outside it.  For every term ``i`` in the support we take it out and
find, in closed form, the best single term ``j`` to put in with its optimal
coefficient (the ridge-shrunk, sign-projected, hard-thresholded value).
The most promising swaps are re-optimized by coordinate descent and the
first that lowers the true objective is kept; the search repeats until no
proposed swap helps (their "PSI(1)" local minimum, with re-optimization).
For the logistic loss candidates are scored on the local quadratic model.
"""

import numpy as np

from ._solver import objective, solve


def _swap_candidates(problem, penalty, state, tol_abs, per_term):
    """Promising (out, in, new_value) swaps on the quadratic model, most promising first per term.

    For each support term ``i`` (weakest first) the ``per_term`` outside terms
    whose best single-coordinate value saves the most are proposed; a swap the
    model already scores as improving comes first.
    """
    datafit = problem.datafit()
    h, s = datafit.py_quadratic_model(problem.Y, problem.w, state.eta, 0)
    Z = problem.Z
    beta = state.coef[0]
    support = np.flatnonzero(beta)
    lipschitz = np.einsum("i,ij,ij->j", h, Z, Z)
    curvature = lipschitz + 2.0 * penalty.lambda2
    correlation = Z.T @ s  # minus the gradient of the quadratic model
    outside = (beta == 0) & (lipschitz > 0)
    improving, others = [], []
    for i in support[np.argsort(np.abs(beta[support]), kind="stable")]:
        b_i = beta[i]
        removal = b_i * correlation[i] + 0.5 * lipschitz[i] * b_i**2 - penalty.py_value(b_i)
        a = correlation + b_i * (Z.T @ (h * Z[:, i]))
        value = np.where(outside, a / np.where(curvature > 0, curvature, 1.0), 0.0)
        value = np.where(problem.signs > 0, np.maximum(value, 0.0), value)
        value = np.where(problem.signs < 0, np.minimum(value, 0.0), value)
        gain = 0.5 * curvature * value**2  # loss saved by adding j at its best value
        keep = outside & (gain > penalty.lambda0)
        change = np.where(keep, penalty.lambda0 - gain, np.inf)
        for j in np.argsort(change, kind="stable")[:per_term]:
            if not np.isfinite(change[j]):
                break
            target = improving if removal + change[j] < -tol_abs else others
            target.append((int(i), int(j), float(value[j])))
    return improving + others


def swap_search(problem, penalty, state, *, max_nonzero, tol, max_iter, max_swaps=100, candidates_per_term=3):
    """Improve an L0 solution by single swaps; ``state`` is updated in place.

    Each proposed swap is re-optimized (coordinate descent from the swapped
    point) and kept only if the true objective drops, which also finds swaps
    whose gain shows only once correlated coefficients adjust.  Returns the
    number of swaps made.  Only single-block problems (regression,
    binary classification) are searched.
    """
    if problem.n_blocks != 1:
        return 0
    tol_abs = tol * problem.tolerance_scale()
    current = objective(problem, penalty, state)
    n_swaps = 0
    for _ in range(max_swaps):
        for i, j, value in _swap_candidates(problem, penalty, state, tol_abs, candidates_per_term):
            trial = state.copy()
            trial.eta[0] += problem.Z[:, j] * value - problem.Z[:, i] * trial.coef[0, i]
            trial.coef[0, i] = 0.0
            trial.coef[0, j] = value
            solve(problem, penalty, trial, max_nonzero=max_nonzero, tol=tol, max_iter=max_iter, warn=False)
            trial_objective = objective(problem, penalty, trial)
            if trial_objective < current - 1e-9 * max(abs(current), 1e-12):
                state.coef[...], state.intercept[...], state.eta[...] = trial.coef, trial.intercept, trial.eta
                current = trial_objective
                n_swaps += 1
                break
        else:
            break
    return n_swaps
