"""Working-set driver around the compiled coordinate-descent kernel.

``solve`` minimizes ``datafit + penalty`` on a standardized problem: it solves
on a small working set of columns (the current support plus the columns that
violate optimality most, or the strong-rule set on a path), checks the
optimality conditions on every column, grows the set with the violators and
repeats.  Penalty ``l0`` then runs the local swap search of Hazimeh &
Mazumder (2020) from ``_l0_swaps``.
"""

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from . import _cd_fast

# Working sets start at this many columns and at least double when they grow.
_MIN_WORKING_SET = 16


@dataclass
class Problem:
    """A standardized penalized GLM.

    Attributes
    ----------
    Z : ndarray (n_samples, n_terms), Fortran order
        Standardized (centred when there is an intercept) design.
    Y : ndarray (n_blocks, n_samples), C order
        Targets: values, 0/1 labels, or one-hot classes.
    w : ndarray (n_samples,)
        Row weights summing to one.
    signs : ndarray of int8 (n_terms,)
    fit_intercept : bool
    loss : {"squared", "logistic", "multinomial"}
    """

    Z: np.ndarray
    Y: np.ndarray
    w: np.ndarray
    signs: np.ndarray
    fit_intercept: bool
    loss: str

    @property
    def n_terms(self):
        return self.Z.shape[1]

    @property
    def n_blocks(self):
        return self.Y.shape[0]

    def datafit(self):
        return {
            "squared": _cd_fast.SquaredDatafit,
            "logistic": _cd_fast.LogisticDatafit,
            "multinomial": _cd_fast.MultinomialDatafit,
        }[self.loss]()

    def tolerance_scale(self):
        """Size of the gradient at zero, so ``tol`` is relative for any target scale."""
        if self.loss != "squared":
            return 1.0
        y = self.Y[0]
        mean = y @ self.w if self.fit_intercept else 0.0
        return max(float(np.sqrt(self.w @ (y - mean) ** 2)), 1e-12)


def make_penalty(penalty, alpha, l1_ratio=1.0, ridge_alpha=0.0):
    """The compiled penalty object for a penalty name and its strengths."""
    if penalty == "l1":
        return _cd_fast.L1Penalty(alpha)
    if penalty == "elasticnet":
        return _cd_fast.ElasticNetPenalty(alpha, l1_ratio)
    if penalty == "l0":
        return _cd_fast.L0Penalty(alpha, ridge_alpha)
    raise ValueError(f"Unknown penalty {penalty!r}.")


@dataclass
class State:
    """Iterate of the solver: coefficients, intercepts and linear predictor."""

    coef: np.ndarray  # (n_blocks, n_terms)
    intercept: np.ndarray  # (n_blocks,)
    eta: np.ndarray  # (n_blocks, n_samples)

    def copy(self):
        return State(self.coef.copy(), self.intercept.copy(), self.eta.copy())


def null_state(problem):
    """All coefficients zero; intercepts at the weighted null-model optimum."""
    n_blocks, n = problem.Y.shape
    intercept = np.zeros(n_blocks)
    if problem.fit_intercept:
        means = problem.Y @ problem.w
        if problem.loss == "squared":
            intercept = means
        elif problem.loss == "logistic":
            p = np.clip(means, 1e-12, 1 - 1e-12)
            intercept = np.log(p / (1 - p))
        else:
            logp = np.log(np.clip(means, 1e-12, None))
            intercept = logp - logp.mean()
    eta = np.ascontiguousarray(np.repeat(intercept[:, None], n, axis=1))
    return State(np.zeros((n_blocks, problem.n_terms)), intercept, eta)


def optimality(problem, penalty, state, columns=None):
    """Violation per column and the gradients / curvatures (see ``_cd_fast.violations``)."""
    if columns is None:
        columns = np.arange(problem.n_terms, dtype=np.int32)
    return _cd_fast.violations(
        problem.datafit(), penalty, problem.Z, problem.Y, problem.w, state.eta, state.coef, problem.signs, columns
    )


def _support_count(coef):
    return np.ascontiguousarray((coef != 0).sum(axis=0), dtype=np.int32)


def _grow_working_set(working_set, violation, tol, blocked, size):
    """Add the worst violators outside the set, largest violation first."""
    candidates = np.flatnonzero((violation > tol) & ~blocked)
    candidates = candidates[~np.isin(candidates, working_set)]
    order = candidates[np.argsort(-violation[candidates], kind="stable")]
    room = max(size - len(working_set), 1)
    return np.concatenate([working_set, order[:room]]).astype(np.int32)


def solve(problem, penalty, state, *, max_nonzero, tol, max_iter, initial_columns=None, warn=True):
    """Minimize on ``problem`` from ``state`` (updated in place); return ``(n_iter, converged)``.

    Parameters
    ----------
    max_nonzero : int
        Hard cap on the number of terms with any nonzero coefficient.
    tol : float
        Optimality tolerance, relative to ``problem.tolerance_scale()``.
    max_iter : int
        Coordinate sweeps per block model (and outer Newton iterations).
    initial_columns : ndarray of int, optional
        Columns to start the working set with (e.g. the strong-rule set).
    """
    tol_abs = tol * problem.tolerance_scale()
    datafit = problem.datafit()
    support = np.flatnonzero(np.any(state.coef != 0, axis=0))
    violation = optimality(problem, penalty, state)[0]
    working_set = support.astype(np.int32)
    if initial_columns is not None:
        extra = np.setdiff1d(initial_columns, working_set)
        extra = extra[np.argsort(-violation[extra], kind="stable")]
        working_set = np.concatenate([working_set, extra]).astype(np.int32)
    size = max(_MIN_WORKING_SET, 2 * len(working_set))
    n_iter, converged = 0, False
    for _ in range(max(problem.n_terms, 1) + 1):
        blocked = _blocked_columns(state.coef, max_nonzero)
        working_set = _grow_working_set(working_set, violation, tol_abs, blocked, size)
        outer, inner_ok = _cd_fast.prox_newton(
            datafit, penalty, problem.Z, problem.Y, problem.w, state.coef, state.intercept, state.eta,
            problem.signs, working_set, _support_count(state.coef), max_nonzero, problem.fit_intercept,
            max_iter, max_iter, tol_abs,
        )
        n_iter += outer
        violation = optimality(problem, penalty, state)[0]
        blocked = _blocked_columns(state.coef, max_nonzero)
        outside = (violation > tol_abs) & ~blocked
        outside[working_set] = False
        if not outside.any():
            converged = bool(inner_ok)
            break
        size = max(2 * len(working_set), _MIN_WORKING_SET)
    if warn and not converged:
        warnings.warn(
            f"The coordinate descent did not reach the optimality tolerance tol={tol:g} within "
            f"max_iter={max_iter} iterations; increase max_iter, raise tol, or increase alpha.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return n_iter, converged


def _blocked_columns(coef, max_nonzero):
    """Columns that may not enter because the hard cap on nonzero terms is reached."""
    in_support = np.any(coef != 0, axis=0)
    if in_support.sum() < max_nonzero:
        return np.zeros(coef.shape[1], dtype=bool)
    return ~in_support


def objective(problem, penalty, state):
    """datafit + penalty at ``state`` (for tests, swaps and path bookkeeping)."""
    value = problem.datafit().py_value(problem.Y, problem.w, state.eta)
    return value + sum(penalty.py_value(b) for b in state.coef.ravel() if b != 0)
