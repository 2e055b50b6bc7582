"""Local combinatorial search for L0-penalized models (Hazimeh & Mazumder 2020).

Coordinate descent with the hard-threshold update stops at a coordinate-wise
minimum, which can still be improved by *swapping* one term of the support
for one outside it.  For every term ``i`` in the support we take it out and
find, in closed form, the best single term ``j`` to put in with its optimal
coefficient (the ridge-shrunk, sign-projected, hard-thresholded value); the
first swap that lowers the objective is made, coordinate descent is re-run
from there, and the search repeats until no swap helps (their "PSI(1)"
local minimum).  For the logistic loss the swap is scored on the local
quadratic model and kept only if the true objective decreases.
"""

import numpy as np

from ._solver import objective, solve


def _best_swap(problem, penalty, state, max_nonzero, tol_abs):
    """First improving (out, in, new_value) swap on the quadratic model, or None."""
    datafit = problem.datafit()
    h, s = datafit.py_quadratic_model(problem.Y, problem.w, state.eta, 0)
    Z = problem.Z
    beta = state.coef[0]
    support = np.flatnonzero(beta)
    lipschitz = np.einsum("i,ij,ij->j", h, Z, Z)
    curvature = lipschitz + 2.0 * penalty.lambda2
    correlation = Z.T @ s  # minus the gradient of the quadratic model
    outside = beta == 0
    outside &= lipschitz > 0
    # the weakest terms are the likeliest to be worth swapping out
    for i in support[np.argsort(np.abs(beta[support]), kind="stable")]:
        b_i = beta[i]
        removal = b_i * correlation[i] + 0.5 * lipschitz[i] * b_i**2 - penalty.py_value(b_i)
        a = correlation + b_i * (Z.T @ (h * Z[:, i]))
        value = np.where(outside, a / np.where(curvature > 0, curvature, 1.0), 0.0)
        value = np.where(problem.signs > 0, np.maximum(value, 0.0), value)
        value = np.where(problem.signs < 0, np.minimum(value, 0.0), value)
        gain = 0.5 * curvature * value**2  # loss saved by adding j at its best value
        keep = outside & (gain > penalty.lambda0)
        if not keep.any():
            continue
        change = np.where(keep, penalty.lambda0 - gain, np.inf)
        j = int(np.argmin(change))
        if removal + change[j] < -tol_abs:
            return i, j, float(value[j])
    return None


def swap_search(problem, penalty, state, *, max_nonzero, tol, max_iter, max_swaps=100):
    """Improve an L0 solution by single swaps; ``state`` is updated in place.

    Returns the number of swaps made.  Only single-block problems (regression,
    binary classification) are searched.
    """
    if problem.n_blocks != 1:
        return 0
    tol_abs = tol * problem.tolerance_scale()
    current = objective(problem, penalty, state)
    n_swaps = 0
    for _ in range(max_swaps):
        swap = _best_swap(problem, penalty, state, max_nonzero, tol_abs)
        if swap is None:
            break
        i, j, value = swap
        trial = state.copy()
        trial.eta[0] += problem.Z[:, j] * value - problem.Z[:, i] * trial.coef[0, i]
        trial.coef[0, i] = 0.0
        trial.coef[0, j] = value
        solve(problem, penalty, trial, max_nonzero=max_nonzero, tol=tol, max_iter=max_iter, warn=False)
        trial_objective = objective(problem, penalty, trial)
        if trial_objective >= current - tol_abs * 1e-3:
            break
        state.coef[...], state.intercept[...], state.eta[...] = trial.coef, trial.intercept, trial.eta
        current = trial_objective
        n_swaps += 1
    return n_swaps
