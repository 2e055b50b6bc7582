"""Working-set driver around the compiled coordinate-descent kernel.

``solve`` minimizes ``datafit + penalty`` on a standardized problem: it solves
on a small working set of columns (the current support plus the columns that
violate optimality most, or the strong-rule set on a path), checks the
optimality conditions on every column, grows the set with the violators and
repeats.  Penalty ``l0`` then runs the local swap search of Hazimeh &
Mazumder (2020) from ``_l0_swaps``.
"""

import warnings
import weakref
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix
from sklearn.exceptions import ConvergenceWarning

from . import _cd_fast, _cd_gram_fast, _cd_objective_fast, _cd_sparse_fast
from ..utils.validation import user_stacklevel

# Working sets start at this many columns and at least double when they grow.
_MIN_WORKING_SET = 16
# Sweeps between two settlings of the flat directions (see _run_settling).
_SETTLE_SWEEPS = 20
# Covariance mode ("auto") when n_samples >= this x n_terms and n_terms is at most the cap
# (the Gram matrix takes 8 p^2 bytes).
_GRAM_MIN_RATIO = 2
_GRAM_MAX_TERMS = 4096
# Columns per block when the curvatures are computed from the design itself.
_GRAM_CHUNK = 64
# Losses whose linear predictor is the log of the mean (Poisson, Gamma, Tweedie deviances).
LOG_LINK_LOSSES = ("poisson", "gamma", "tweedie")


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
    loss : {"squared", "logistic", "multinomial", "poisson", "gamma", "tweedie"}
        The last three are log-link losses (``eta`` is the log of the mean).
    covariance : {"auto", True, False}
        Solve the squared loss from ``Z^T W Z`` (see :class:`Gram`); "auto"
        does so when rows outnumber terms at least twice and the Gram matrix is small.
    moments : tuple of two ndarrays (n_terms,) or None
        ``(Z^T w, diag(Z^T W Z))`` when the caller knows them from the
        standardization statistics (saves a pass over the rows); None computes them.
    offsets, inverse_scales : ndarray (n_terms,) or None
        Set by :meth:`map_raw_design`: ``Z`` then holds the raw design (no
        copy, row-major) and the solver's design is ``(Z - offsets) * inverse_scales``;
        read it only through :meth:`columns` and :meth:`correlate`.
    target_covariance : ndarray (n_terms,) or None
        ``Z^T W y`` when the caller knows it (squared loss), else computed.
    csc : tuple of three ndarrays or None
        For a scipy.sparse ``Z`` (CSC, raw, with :meth:`map_raw_design`):
        its ``(data, indices, indptr)`` for the sparse kernels, which fold the
        offsets and scales in (``_cd_sparse_fast``); never centred, never dense.
    flat_groups : tuple of (ndarray of int, ndarray) pairs
        Directions along which the loss is exactly flat: ``Z[:, columns] @
        direction == 0`` on every row (every level of a categorical beside an
        intercept, see ``_design.flat_level_groups``).  Solutions are moved to
        the lowest penalty along each (:func:`settle_flat_directions`).  The
        multinomial loss has more: it reads only differences between classes,
        so adding one value to a term's coefficient in every class is flat too.
    """

    Z: np.ndarray
    Y: np.ndarray
    w: np.ndarray
    signs: np.ndarray
    fit_intercept: bool
    loss: str
    covariance: object = "auto"
    power: float = 0.0  # the Tweedie power (loss "tweedie" only)
    moments: tuple = None
    offsets: np.ndarray = None
    inverse_scales: np.ndarray = None
    target_covariance: np.ndarray = None
    csc: tuple = None
    flat_groups: tuple = ()
    _gram: object = field(default=None, repr=False)
    _tolerance_scale: float = field(default=None, repr=False)

    @property
    def n_terms(self):
        return self.Z.shape[1]

    @property
    def n_blocks(self):
        return self.Y.shape[0]

    def datafit(self):
        if self.loss == "tweedie":
            return _cd_objective_fast.TweedieDatafit(self.power)
        return {
            "squared": _cd_objective_fast.SquaredDatafit,
            "logistic": _cd_objective_fast.LogisticDatafit,
            "multinomial": _cd_objective_fast.MultinomialDatafit,
            "poisson": _cd_objective_fast.PoissonDatafit,
            "gamma": _cd_objective_fast.GammaDatafit,
        }[self.loss]()

    def tolerance_scale(self):
        """Size of the gradient at the null model, so ``tol`` is relative for any target scale.

        Squared loss: the weighted standard deviation of ``y`` (its root mean
        square about the null model).  Log-link losses: the weighted root mean
        square of each row's gradient in ``eta`` at the null model (``mu0 - y``
        for Poisson, ``1 - y / mu0`` for Gamma), which scales with the target as
        the objective does.  The classification losses are scale-free already: 1.
        """
        if self.loss not in ("squared",) + LOG_LINK_LOSSES:
            return 1.0
        if self._tolerance_scale is None:
            if self.loss == "squared":
                y = self.Y[0]
                mean = y @ self.w if self.fit_intercept else 0.0
                self._tolerance_scale = max(float(np.sqrt(self.w @ (y - mean) ** 2)), 1e-12)
            else:
                _, s = self.datafit().py_quadratic_model(self.Y, self.w, null_state(self).eta, 0)
                rows = self.w > 0  # s_i = w_i * (minus the row's gradient)
                self._tolerance_scale = max(float(np.sqrt(np.sum(s[rows] ** 2 / self.w[rows]))), 1e-12)
        return self._tolerance_scale

    def __post_init__(self):
        if self.csc is None and not self.uses_gram() and not self.Z.flags.f_contiguous:
            self.Z = np.asfortranarray(self.Z)  # the row-space kernels read contiguous columns

    def map_raw_design(self, offsets, scales, constant):
        """Keep ``Z`` raw; the solver's design is ``(Z - offsets) / scales``, zero on ``constant`` terms."""
        self.offsets = np.asarray(offsets, dtype=np.float64)
        self.inverse_scales = np.where(constant, 0.0, 1.0 / np.asarray(scales, dtype=np.float64))

    def columns(self, index):
        """Columns ``index`` of the solver's design, ``(n_samples, k)`` in Fortran order."""
        if self.csc is not None:
            block = np.asfortranarray(self.Z[:, np.atleast_1d(np.arange(self.n_terms)[index])].toarray())
        else:
            block = np.array(self.Z[:, index], dtype=np.float64, order="F")  # always a copy: callers scale it
        if self.offsets is not None:
            block -= self.offsets[index]
            block *= self.inverse_scales[index]
        return block

    def correlate(self, M):
        """``Z^T M`` of the solver's design for ``M`` of shape (n_samples,) or (n_samples, k).

        From the raw design: ``(X^T M - offsets sum(M)) * inverse_scales``; the
        correction is small when ``M`` is centred (as weighted residuals are).
        """
        out = self.Z.T @ M
        if self.offsets is None:
            return out
        if out.ndim == 1:
            return (out - self.offsets * M.sum()) * self.inverse_scales
        out -= self.offsets[:, None] * M.sum(axis=0)
        out *= self.inverse_scales[:, None]
        return out

    def standardized(self):
        """The solver's design as a dense array (for tests and references)."""
        return self.columns(slice(None))

    def uses_gram(self):
        """Whether the squared loss is solved in covariance mode."""
        if self.csc is not None:
            return False  # the sparse kernels work on the rows: a Gram column would be dense
        if self.offsets is not None:
            return True  # the raw design is read through covariances only
        return covariance_mode(self.loss, self.n_blocks, *self.Z.shape, covariance=self.covariance)

    def sparse_design(self):
        """The sparse kernels' design arguments: ``(data, indices, indptr, offsets, inverse_scales)``."""
        return (*self.csc, self.offsets, self.inverse_scales)

    def gram(self):
        """The covariance cache, shared by every solve on this problem (a whole path)."""
        if self._gram is None:
            self._gram = Gram(self)
        return self._gram


def covariance_mode(loss, n_blocks, n_samples, n_terms, covariance="auto"):
    """Whether a problem of this loss and shape is solved from covariances (see ``Problem``)."""
    if loss != "squared" or n_blocks != 1 or covariance is False:
        return False
    return covariance is True or (n_samples >= _GRAM_MIN_RATIO * n_terms and n_terms <= _GRAM_MAX_TERMS)


def make_penalty(penalty, alpha, l1_ratio=1.0, ridge_alpha=0.0):
    """The compiled penalty object for a penalty name and its strengths."""
    if penalty == "l1":
        return _cd_objective_fast.L1Penalty(alpha)
    if penalty == "elasticnet":
        return _cd_objective_fast.ElasticNetPenalty(alpha, l1_ratio)
    if penalty == "l0":
        return _cd_objective_fast.L0Penalty(alpha, ridge_alpha)
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
        elif problem.loss in LOG_LINK_LOSSES:
            intercept = np.log(means)  # the fit checked the weighted mean of y is positive
        else:
            logp = np.log(np.clip(means, 1e-12, None))
            intercept = logp - logp.mean()
    eta = np.ascontiguousarray(np.repeat(intercept[:, None], n, axis=1))
    return State(np.zeros((n_blocks, problem.n_terms)), intercept, eta)


def optimality(problem, penalty, state, columns=None):
    """Violation per column and the gradients / curvatures (see ``_cd_fast.violations``)."""
    if problem.uses_gram():
        gram = problem.gram()
        grads = -gram.residual_covariance(state)[0]
        violation = _cd_gram_fast.violations_from_gradient(penalty, grads, gram.diag, state.coef[0], problem.signs)
        columns = slice(None) if columns is None else columns
        return violation[columns], grads[None, columns], gram.diag[None, columns]
    if columns is None:
        columns = np.arange(problem.n_terms, dtype=np.int32)
    if problem.csc is not None:
        return _cd_sparse_fast.violations(problem.datafit(), penalty, *problem.sparse_design(), problem.Y, problem.w,
                                          state.eta, state.coef, problem.signs, columns)
    return _cd_fast.violations(
        problem.datafit(), penalty, problem.Z, problem.Y, problem.w, state.eta, state.coef, problem.signs, columns
    )


class Gram:
    """Covariances of a squared-loss problem, computed once and shared along a path.

    ``q = Z^T W y``, ``zw = Z^T w``, the curvatures ``diag_j = Z_j^T W Z_j`` and,
    lazily, the columns of ``G = Z^T W Z`` of every term that enters a working
    set (one matrix product per batch of new columns).  Then
    ``Z^T W r = q - intercept zw - G beta`` for any coefficients, with no pass
    over the rows.

    The problem owns its Gram (``Problem.gram``) and the Gram reads the
    problem's design only weakly: a strong reference back made a cycle that
    only the cyclic collector frees, which a few huge arrays do not trigger,
    so every finished cross-validation fold's copy of the data stayed alive
    until the CV ended (cv=10 held nine copies of ``X``).
    """

    def __init__(self, problem):
        w, y = problem.w, problem.Y[0]
        p = problem.n_terms
        self._problem, self.w = weakref.ref(problem), w
        self.wy, self.wsum = float(w @ y), float(w.sum())
        if problem.target_covariance is not None:
            self.q = np.ascontiguousarray(problem.target_covariance, dtype=np.float64)
        else:
            self.q = np.ascontiguousarray(problem.correlate(w * y))
        if problem.moments is not None:
            self.zw, self.diag = (np.ascontiguousarray(m, dtype=np.float64) for m in problem.moments)
        else:
            self.zw = np.ascontiguousarray(problem.correlate(w))
            self.diag = np.zeros(p)
            for start in range(0, p, _GRAM_CHUNK):  # column chunks keep the temporaries small
                block = problem.columns(np.arange(start, min(start + _GRAM_CHUNK, p)))
                self.diag[start:start + block.shape[1]] = w @ block**2
        self.G = np.zeros((p, p), order="F")
        self.known = np.zeros(p, dtype=bool)

    @property
    def problem(self):
        return self._problem()

    def ensure(self, columns):
        """Compute the Gram columns of ``columns`` not known yet."""
        missing = np.unique(np.asarray(columns)[~self.known[columns]])
        if missing.size:
            block = self.problem.columns(missing) * self.w[:, None]
            self.G[:, missing] = self.problem.correlate(block)
            self.known[missing] = True

    def residual_covariance(self, state):
        """``(Z^T W r, sum_i w_i r_i)`` at ``state``."""
        beta = state.coef[0]
        support = np.flatnonzero(beta)
        self.ensure(support)
        intercept = state.intercept[0]
        c = self.q - intercept * self.zw - self.G[:, support] @ beta[support]
        return c, self.wy - intercept * self.wsum - self.zw[support] @ beta[support]


def _support_count(coef):
    return np.ascontiguousarray((coef != 0).sum(axis=0), dtype=np.int32)


def _grow_working_set(working_set, violation, tol, blocked, size):
    """Add the worst violators outside the set, largest violation first."""
    candidates = np.flatnonzero((violation > tol) & ~blocked)
    candidates = candidates[~np.isin(candidates, working_set)]
    order = candidates[np.argsort(-violation[candidates], kind="stable")]
    room = max(size - len(working_set), 1)
    return np.concatenate([working_set, order[:room]]).astype(np.int32)


def solve(problem, penalty, state, *, max_nonzero, tol, max_iter, initial_columns=None, warn=True,
          update_eta=True):
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
    update_eta : bool, default=True
        In covariance mode, ``False`` leaves ``state.eta`` as it was (a pass
        over the rows saved when only coefficients are wanted, as in the L0 swap trials).
    """
    tol_abs = tol * problem.tolerance_scale()
    engine = (_GramEngine if problem.uses_gram() else _RowEngine)(problem, penalty, state)
    support = np.flatnonzero(np.any(state.coef != 0, axis=0))
    violation = engine.violation()
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
        outer, inner_ok = _run_settling(engine, problem, penalty, working_set, max_nonzero, max_iter, tol_abs)
        n_iter += outer
        violation = engine.violation()
        blocked = _blocked_columns(state.coef, max_nonzero)
        outside = (violation > tol_abs) & ~blocked
        outside[working_set] = False
        if not outside.any():
            converged = bool(inner_ok)
            break
        size = max(2 * len(working_set), _MIN_WORKING_SET)
    engine.finish(update_eta)
    if warn and not converged:
        warnings.warn(
            f"The coordinate descent did not reach the optimality tolerance tol={tol:g} within "
            f"max_iter={max_iter} iterations; increase max_iter, raise tol, or increase alpha.",
            ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    return n_iter, converged


class _RowEngine:
    """Proximal Newton coordinate descent on the rows (any loss)."""

    def __init__(self, problem, penalty, state):
        self.problem, self.penalty, self.state = problem, penalty, state
        self.datafit = problem.datafit()

    def violation(self):
        return optimality(self.problem, self.penalty, self.state)[0]

    def run(self, working_set, max_nonzero, max_iter, tol_abs):
        problem, state = self.problem, self.state
        if problem.csc is not None:
            return _cd_sparse_fast.prox_newton(
                self.datafit, self.penalty, *problem.sparse_design(), problem.Y, problem.w, state.coef,
                state.intercept, state.eta, problem.signs, working_set, _support_count(state.coef), max_nonzero,
                problem.fit_intercept, max_iter, max_iter, tol_abs,
            )
        return _cd_fast.prox_newton(
            self.datafit, self.penalty, problem.Z, problem.Y, problem.w, state.coef, state.intercept, state.eta,
            problem.signs, working_set, _support_count(state.coef), max_nonzero, problem.fit_intercept,
            max_iter, max_iter, tol_abs,
        )

    def finish(self, update_eta):
        pass


class _GramEngine:
    """Coordinate descent for the squared loss on covariances (``Gram``); ``eta`` is refreshed at the end."""

    def __init__(self, problem, penalty, state):
        self.problem, self.penalty, self.state = problem, penalty, state
        self.gram = problem.gram()
        self.entry_coef, self.entry_intercept = state.coef[0].copy(), float(state.intercept[0])
        self.c, residual_sum = self.gram.residual_covariance(state)
        self.scalars = np.array([self.entry_intercept, residual_sum])

    def violation(self):
        return _cd_gram_fast.violations_from_gradient(
            self.penalty, -self.c, self.gram.diag, self.state.coef[0], self.problem.signs)

    def run(self, working_set, max_nonzero, max_iter, tol_abs):
        self.gram.ensure(working_set)
        sweeps = _cd_gram_fast.gram_cd(
            self.penalty, self.gram.G, self.c, self.gram.zw, self.state.coef[0], self.scalars, self.gram.diag,
            self.problem.signs, working_set, _support_count(self.state.coef), max_nonzero,
            self.problem.fit_intercept, max_iter, tol_abs,
        )
        return 1, sweeps > 0

    def finish(self, update_eta):
        state = self.state
        state.intercept[0] = self.scalars[0]
        if not update_eta:
            return
        change = state.coef[0] - self.entry_coef
        changed = np.flatnonzero(change)
        state.eta[0] += self.scalars[0] - self.entry_intercept
        if changed.size:
            state.eta[0] += self.problem.columns(changed) @ change[changed]


def _run_settling(engine, problem, penalty, working_set, max_nonzero, max_iter, tol_abs):
    """``engine.run``, settling the flat directions every ``_SETTLE_SWEEPS`` sweeps when the problem has any.

    Without the settling, coordinate descent spends its sweeps creeping along
    those directions (it ran out of the default 1,000 on six equally common
    zones); a design without them runs as one call, as before.
    """
    if not problem.flat_groups or not getattr(penalty, "convex", False):
        return engine.run(working_set, max_nonzero, max_iter, tol_abs)
    total, used = 0, 0
    while True:
        budget = min(_SETTLE_SWEEPS, max_iter - used)
        outer, converged = engine.run(working_set, max_nonzero, budget, tol_abs)
        total, used = total + outer, used + budget
        # the joint settling (a linear programme per categorical) only where the sweeps may be creeping
        settle_flat_directions(problem, penalty, engine.state.coef, jointly=not converged)
        if converged or used >= max_iter:
            return total, converged


def settle_flat_directions(problem, penalty, coef, jointly=True):
    """Move the coefficients (in place) to the lowest penalty along the loss's flat directions.

    With an intercept, the indicators of all levels of a categorical feature
    sum to one, so in the centred design ``sum_j scale_j z_j = 0``: adding
    ``t * scale_j`` to every level's coefficient leaves every prediction, and
    so the loss and its gradient, as they were.  The optimum is where the
    penalty is lowest along that line, which for the lasso puts one level at
    exactly 0 (a reference level chosen by the data).  Coordinate descent
    creeps along such lines (the loss gives it no curvature there), and its
    tolerance is met long before the penalty's minimum: on bike sharing's
    hours the lasso's level coefficients and intercept were 10.8 rentals off
    that point at ``tol=1e-6``, with predictions within 0.003.  The exact
    one-dimensional minimisation removes that arbitrariness; the optimality
    conditions, which read the unchanged gradient, still hold.  Convex
    penalties only (L0 keeps its own search).

    The multinomial loss is also flat along a term's coefficients in every
    class at once (the softmax reads differences between classes), and with
    a categorical the two kinds of direction combine: those one-dimensional
    minimisations, each exact, can all stop at a point where a combination of
    them still lowers the penalty, and coordinate descent crept towards it by
    4e-11 of objective per cycle over the classes (1,897 outer iterations on
    a 300-level categorical and three classes, 169 with the settling below).
    With ``jointly`` the lasso's minimum over a categorical's whole flat
    subspace is found (a small linear programme,
    :func:`_settle_classes_and_levels`; the solver asks for it between sweeps
    that have not converged, where the creeping is); every other term moves
    along its own class direction (:func:`_settle_class_shifts`).  A
    multinomial fit without a categorical is left to the kernel's
    extrapolation of the outer iterates, as before: splitting its sweeps for
    the settling changes their rounding, and an ill-posed fit (15 rows, 150
    step terms) then stopped elsewhere within its tolerance with and without
    repeated rows.
    """
    if not problem.flat_groups or not getattr(penalty, "convex", False):
        return
    if isinstance(penalty, _cd_objective_fast.ElasticNetPenalty):
        l1, ridge = penalty.alpha * penalty.l1_ratio, penalty.alpha * (1.0 - penalty.l1_ratio)
    elif isinstance(penalty, _cd_objective_fast.L1Penalty):
        l1, ridge = penalty.alpha, 0.0
    else:
        return
    if l1 == 0.0 and ridge == 0.0:
        # No penalty (alpha=0): every point of the line is optimal, and where the sweeps stopped depended
        # on their path (a logistic fit kept all four levels nonzero, a squared-error one happened to
        # hold one at 0).  Take the lasso's limit as alpha -> 0, the least sum |b_j|: one level at
        # exactly 0, as at any alpha > 0, so that the table and its standard errors have a reference level.
        l1 = 1.0
    joint = jointly and coef.shape[0] > 1 and ridge == 0.0  # the linear programme takes the lasso only
    for columns, direction in problem.flat_groups:
        signs = problem.signs[columns]
        if joint and coef[:, columns].any():
            _settle_classes_and_levels(coef, columns, direction)
        for k in range(coef.shape[0]):
            coef[k, columns] = _moved_to_lowest_penalty(coef[k, columns], direction, l1, ridge, signs)
    if coef.shape[0] > 1:
        settled = [columns for columns, _ in problem.flat_groups] if joint else []
        _settle_class_shifts(coef, l1, ridge, np.concatenate([[], *settled]).astype(np.intp))


def _settle_class_shifts(coef, l1, ridge, skip):
    """Move each term's coefficients in every class by the one value that lowers the penalty most.

    Adding ``t`` to ``coef[:, j]`` leaves the multinomial loss as it was.  A
    term nonzero in at most one class is at that line's minimum already (for
    three classes or more; with two, ``t = 0`` ends the flat stretch), so only
    the others are looked at.  ``skip``: terms the joint settling moved.  A
    multinomial fit takes no sign constraints (the estimators refuse them).
    """
    candidates = np.flatnonzero((coef != 0).sum(axis=0) >= 2)
    candidates = candidates[~np.isin(candidates, skip)]
    if ridge == 0.0:
        coef[:, candidates] = _moved_to_least_absolute_sum(coef[:, candidates])
        return
    ones = np.ones(coef.shape[0])
    free = np.zeros(coef.shape[0], dtype=np.int8)
    for j in candidates:
        coef[:, j] = _moved_to_lowest_penalty(coef[:, j], ones, l1, ridge, free)


def _moved_to_least_absolute_sum(block):
    """Each column of ``block`` plus the ``t`` that minimises its sum of absolute values (at once for all).

    The minimisers are ``-t`` between the column's two middle values (one, the
    median, for an odd count); as in :func:`_lowest_penalty_step`, the end
    of that stretch nearest ``t = 0`` is taken, so the chosen value becomes 0
    exactly and a column already at the minimum does not move.
    """
    ordered = np.sort(block, axis=0)
    low, high = -ordered[block.shape[0] // 2], -ordered[(block.shape[0] - 1) // 2]  # low <= high
    step = np.where(low >= 0.0, low, np.where(high <= 0.0, high, np.where(-low <= high, low, high)))
    moved = block + step
    moved[-block == step] = 0.0
    return moved


def _moved_to_lowest_penalty(beta, direction, l1, ridge, signs):
    """``beta + t * direction`` at the lowest penalty (see :func:`_lowest_penalty_step`)."""
    step = _lowest_penalty_step(beta, direction, l1, ridge, signs)
    if step == 0.0:
        return beta
    moved = beta + step * direction
    moved[-beta / direction == step] = 0.0  # the coefficient whose kink was chosen is 0 exactly, not 1e-17
    return moved


def _settle_classes_and_levels(coef, columns, direction):
    """Move one categorical's coefficients in every class (in place) to the least lasso penalty that predicts alike.

    Its flat directions are ``coef[k, j] += (a_k + c_j) d_j`` for any class
    shifts ``a`` and level shifts ``c`` (``d`` the levels' direction).  In
    ``r_kj = coef[k, j] / d_j`` the penalty is ``alpha sum d_j |r_kj + a_k + c_j|``:
    a weighted least-absolute-deviations fit of a two-way layout, a linear
    programme (solved by HiGHS) in the ``K + m`` free shifts and the positive
    and negative parts of every cell (its weights scaled to at most 1, which
    keeps them far above the solver's tolerances; ``alpha`` does not move the
    minimiser).  At the optimal vertex the zero cells tie the shifts together;
    the shifts are recomputed from them exactly, so those cells are exactly 0
    and the move stays on the flat subspace to rounding.  Kept only when the
    penalty decreases.  No sign constraints: a multinomial fit takes none.
    """
    scaled = coef[:, columns] / direction
    n_classes, n_levels = scaled.shape
    n_cells, n_shifts = scaled.size, n_classes + n_levels
    cell = np.arange(n_cells)
    klass, level = np.divmod(cell, n_levels)
    # r_kj = positive_kj - negative_kj = scaled_kj + a_k + c_j, one equation per cell
    equations = csr_matrix(
        (np.concatenate([-np.ones(2 * n_cells), np.ones(n_cells), -np.ones(n_cells)]),
         (np.tile(cell, 4), np.concatenate([klass, n_classes + level, n_shifts + cell, n_shifts + n_cells + cell]))),
        shape=(n_cells, n_shifts + 2 * n_cells))
    weight = np.tile(direction / direction.max(), n_classes)
    bounds = np.zeros((n_shifts + 2 * n_cells, 2))
    bounds[1:n_shifts, 0] = -np.inf  # a_0 = 0: (a + t, c - t) is the same move
    bounds[1:, 1] = np.inf
    result = linprog(np.concatenate([np.zeros(n_shifts), weight, weight]), A_eq=equations,
                     b_eq=scaled.ravel(), bounds=bounds, method="highs")
    if result.status != 0:
        return
    shifts, parts = result.x[:n_shifts].copy(), result.x[n_shifts:]
    size = max(1.0, float(np.abs(scaled).max()))
    zero = parts[:n_cells] + parts[n_cells:] <= 1e-9 * size
    _tie_shifts(shifts, klass[zero], n_classes + level[zero], -scaled.ravel()[zero])
    moved = scaled + shifts[:n_classes, None] + shifts[None, n_classes:]
    # the tied cells are 0 to rounding: exactly 0 (a cell closing a cycle keeps the little it holds)
    moved[zero.reshape(moved.shape) & (np.abs(moved) <= 1e-12 * size)] = 0.0
    moved *= direction
    if np.abs(moved).sum() < np.abs(coef[:, columns]).sum():
        coef[:, columns] = moved


def _tie_shifts(shifts, first, second, total):
    """Set ``shifts`` so that ``shifts[first] + shifts[second] == total`` along a spanning forest of those pairs.

    Each tree is walked from its lowest node, which keeps its value (``a_0 = 0``
    for the tree of the first class); a pair that closes a cycle is left to
    the linear programme's tolerance.
    """
    neighbours = [[] for _ in range(len(shifts))]
    for one, other, value in zip(first.tolist(), second.tolist(), total.tolist()):
        neighbours[one].append((other, value))
        neighbours[other].append((one, value))
    seen = np.zeros(len(shifts), dtype=bool)
    for root in range(len(shifts)):
        if seen[root]:
            continue
        seen[root] = True
        stack = [root]
        while stack:
            node = stack.pop()
            for other, value in neighbours[node]:
                if not seen[other]:
                    seen[other] = True
                    shifts[other] = value - shifts[node]
                    stack.append(other)


def _lowest_penalty_step(beta, direction, l1, ridge, signs):
    """``argmin_t sum_j l1 |beta_j + t d_j| + ridge / 2 (beta_j + t d_j)^2`` (all ``d_j > 0``), sign-feasible.

    The derivative is piecewise linear and increasing, with kinks where a
    coefficient crosses zero (``t = -beta_j / d_j``); of an interval of
    minimisers (the lasso's flat stretches) its end nearest ``t = 0`` is
    taken: a kink, so one coefficient is exactly 0 (a reference level), and a
    solution already at one does not move.  Taking ``t = 0`` itself kept both
    levels of a two-level categorical at ``alpha=0`` (their equal spreads make
    the stretch between their kinks flat), one of them at a residue of 1e-16.
    """
    kinks = -beta / direction
    order = np.argsort(kinks, kind="stable")
    kinks = kinks[order]
    # weight of the kinks passed, for each count of kinks passed (0 to all)
    passed_weight = np.concatenate([[0.0], np.cumsum(l1 * direction[order])])
    curvature = ridge * float(direction @ direction)
    offset = ridge * float(direction @ beta)

    def slope(t, side):
        """The derivative just left (``side="left"``) or right (``"right"``) of ``t`` (an array of points)."""
        passed = passed_weight[np.searchsorted(kinks, t, side=side)]
        return 2.0 * passed - passed_weight[-1] + offset + curvature * t

    low, high = -np.inf, np.inf
    # the right derivative at each kink rises with t: the first kink where it is >= 0 bounds the minimisers
    right = slope(kinks, "right")
    first = int(np.searchsorted(right, 0.0, side="left"))
    if first < len(kinks) and slope(kinks[first], "left") <= 0.0:
        low = kinks[first]
        # flat stretch: the derivative is 0 until the next kink (pure lasso)
        high = kinks[first + 1] if curvature == 0.0 and right[first] == 0.0 and first + 1 < len(kinks) else kinks[first]
    else:
        # the root lies between kinks (or beyond the last): solve the linear piece there
        # (only with a ridge part: without one the derivative is constant there, so the kink above is a minimiser)
        base = 2.0 * passed_weight[first] - passed_weight[-1] + offset
        low = high = -base / curvature if curvature > 0.0 else 0.0
    # the end of the minimisers nearest t = 0 (t = 0 itself only when it is an end)
    if low >= 0.0:
        step = low
    elif high <= 0.0:
        step = high
    else:
        step = low if -low <= high else high
    # a sign constraint bounds the line: constrained coefficients must keep their sign
    up = signs > 0
    down = signs < 0
    lower = np.max(-beta[up] / direction[up], initial=-np.inf)
    upper = np.min(-beta[down] / direction[down], initial=np.inf)
    if lower > upper:
        return 0.0
    step = min(max(step, lower), upper)
    return float(step) if np.isfinite(step) else 0.0


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
