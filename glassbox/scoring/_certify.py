"""A certified lower bound on the best scorecard's loss (enumeration or cutting planes + HiGHS).

After Ustun & Rudin (2019, RiskSLIM).  Every scorecard with at most ``k``
conditions, points ``lambda`` in the box, integer intercept ``b`` and
multiplier ``M >= M_min`` (``MIN_MULTIPLIER``, 0.5) is the logistic model with
coefficients ``beta = lambda / M``, inside the box widened by ``1 / M_min``,
and intercept ``b / M``.  So the best loss over the *relaxation*

    min L(beta, beta_0)  s.t.  at most k nonzero beta_j,
                               beta_j in [lower_j, upper_j] / M_min,
                               beta_0 in [intercept bounds]

is a lower bound on the best scorecard's loss.

When the supports are few enough to fit them all within the time limit
(:mod:`._support_enumeration`), the relaxation is solved by enumeration, each
support's fit certified by convexity.  Otherwise cutting planes: L is convex,
so it lies above each of its tangent planes (cuts); the master problem

    min theta  s.t.  theta >= L(b_t) + g_t . (beta - b_t)  for every cut t,
                     lower_j z_j <= beta_j <= upper_j z_j,  sum z_j <= k,  z binary

under-approximates the relaxation, and its optimum (or HiGHS' dual bound when
the time runs out) is a valid lower bound.  We add a cut at each master
solution and at the fitted optimum of the support the master picked (the
tightest cut for that support), then re-solve, until the gap closes or the
time limit is reached.

Intercept bounds: for fixed slopes whose scores lie in ``[s_min, s_max]``,
the best continuous intercept lies in ``[logit(rate) - s_max,
logit(rate) - s_min]``; the best integer ``b`` is within ``1/M <= 1/M_min`` of it.
"""

import time
from dataclasses import replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from ._logistic_fast import condition_gradient, logistic_loss
from ._integer_search import MIN_MULTIPLIER
from ._sparse_search import fit_support
from ._support_enumeration import enumerate_bound

SAFETY = 1e-7  # absolute slack for solver tolerances, subtracted from every bound
FIRST_SOLVE_SECONDS = 1.0  # the first master solve's time limit when the setup spent the certificate's


def _loss_and_gradient(problem, beta, intercept):
    support = np.flatnonzero(beta)
    margin = problem.margin(support, beta[support], intercept)
    loss = logistic_loss(margin, problem.weight)
    gradient = np.empty(problem.n_conditions)
    condition_gradient(problem.Z, problem.y, problem.weight, margin, gradient, problem.n_threads)
    p = 1.0 / (1.0 + np.exp(np.clip(margin, -700, 700)))
    g0 = float(-(problem.weight * problem.y) @ p)
    return loss, gradient, g0


def dense_optimum(problem, max_iter=200):
    """Box-constrained logistic fit on *every* usable condition (L-BFGS-B).

    Its tangent plane is nearly flat at the dense optimum, so the first master
    problem already bounds the loss below by about the dense loss; the point only
    needs to be near optimal, since the cut is recomputed exactly there.
    """
    from scipy.optimize import minimize

    columns = np.flatnonzero(problem.usable)
    Z = problem.Z[:, columns].astype(np.float32)
    yw = (problem.y * problem.weight).astype(np.float64)

    def objective(theta):
        f = Z @ theta[:-1].astype(np.float32) + theta[-1]
        margin = problem.y * f
        loss = float(problem.weight @ np.logaddexp(0.0, -margin))
        r = -yw / (1.0 + np.exp(np.clip(margin, -700, 700)))
        return loss, np.append((Z.T @ r.astype(np.float32)).astype(np.float64), r.sum())

    bounds = list(zip(problem.lower[columns], problem.upper[columns])) + [(None, None)]
    result = minimize(objective, np.zeros(len(columns) + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                      options={"maxiter": max_iter})
    beta = np.zeros(problem.n_conditions)
    beta[columns] = result.x[:-1]
    return beta, float(result.x[-1])


def intercept_bounds(problem, max_features):
    rate = float(problem.weight @ (problem.y > 0))
    base = np.log(rate / (1.0 - rate))
    s_max = max_features * max(float(problem.upper.max()), 0.0)
    s_min = max_features * min(float(problem.lower.min()), 0.0)
    rounding = 1.0 / MIN_MULTIPLIER  # |b / M - best continuous intercept| <= 1 / M
    return base - s_max - rounding, base - s_min + rounding


class CuttingPlaneBound:
    """Master problem of the cutting-plane lower bound."""

    def __init__(self, problem, max_features):
        self.problem = problem
        self.k = max_features
        self.p = problem.n_conditions
        self.rows, self.rhs = [], []
        self.b0_lo, self.b0_hi = intercept_bounds(problem, max_features)
        self.offered = problem.usable.astype(np.float64)
        self._drop_mirrored_complements(max_features)

    def _drop_mirrored_complements(self, k):
        """Leave out ``x < t`` when it is exactly ``1 - [x >= t]`` and its box mirrors that of ``x >= t``.

        Then ``lam [x < t]`` equals ``-lam [x >= t]`` with the intercept moved by
        ``lam``, so every scorecard using it has a twin of equal loss without it;
        the intercept bounds widen to hold the twins.  This halves the master
        problem on binary features.
        """
        problem, rows = self.problem, self.problem.weight > 0
        shift = 0.0
        for j, c in enumerate(problem.complement):
            if c <= j or not (problem.usable[j] and problem.usable[c]):
                continue
            mirrored = problem.lower[c] == -problem.upper[j] and problem.upper[c] == -problem.lower[j]
            if mirrored and np.all(problem.Z[rows, j] + problem.Z[rows, c] == 1):
                self.offered[c] = 0.0
                shift = max(shift, abs(problem.lower[c]), abs(problem.upper[c]))
        self.b0_lo -= k * shift
        self.b0_hi += k * shift

    def add_cut(self, beta, intercept):
        loss, g, g0 = _loss_and_gradient(self.problem, beta, intercept)
        # theta - g.beta - g0.b0 >= loss - g.beta_t - g0.b0_t
        self.rows.append(np.concatenate([-g, [-g0], np.zeros(self.p), [1.0]]))
        self.rhs.append(loss - g @ beta - g0 * intercept)
        return loss

    def solve(self, time_limit, gap=1e-6):
        p, k = self.p, self.k
        n_var = 2 * p + 2  # beta, beta_0, z, theta
        cost = np.zeros(n_var)
        cost[-1] = 1.0
        lower = np.concatenate([self.problem.lower, [self.b0_lo], np.zeros(p), [0.0]])
        upper = np.concatenate([self.problem.upper, [self.b0_hi], self.offered, [np.inf]])
        integrality = np.concatenate([np.zeros(p + 1), np.ones(p), [0]])
        eye = np.eye(p)
        link_hi = np.hstack([eye, np.zeros((p, 1)), -np.diag(self.problem.upper), np.zeros((p, 1))])
        link_lo = np.hstack([eye, np.zeros((p, 1)), -np.diag(self.problem.lower), np.zeros((p, 1))])
        cardinality = np.concatenate([np.zeros(p + 1), np.ones(p), [0.0]])[None, :]
        constraints = [
            LinearConstraint(link_hi, -np.inf, 0.0),
            LinearConstraint(link_lo, 0.0, np.inf),
            LinearConstraint(cardinality, 0.0, k),
            LinearConstraint(np.array(self.rows), np.array(self.rhs), np.inf),
        ]
        pairs = [(j, c) for j, c in enumerate(self.problem.complement) if c > j]
        if pairs:
            # a scorecard never holds a condition and its complement (that only moves the intercept)
            exclusive = np.zeros((len(pairs), n_var))
            for row, (j, c) in enumerate(pairs):
                exclusive[row, p + 1 + j] = exclusive[row, p + 1 + c] = 1.0
            constraints.append(LinearConstraint(exclusive, 0.0, 1.0))
        result = milp(
            cost,
            integrality=integrality,
            bounds=Bounds(lower, upper),
            constraints=constraints,
            options={"time_limit": max(time_limit, 0.05), "mip_rel_gap": gap, "disp": False},
        )
        bound = getattr(result, "mip_dual_bound", None)
        if bound is None or not np.isfinite(bound):
            bound = result.fun if result.status == 0 else None
        x = result.x
        return (None if bound is None else float(bound)), x


def certify(problem, max_features, upper_bound, start_points, time_limit, tolerance=1e-4):
    """Lower bound on the best scorecard loss; returns a dict with bound, gap and effort.

    ``upper_bound`` is the loss of the best scorecard found; ``start_points`` are
    ``(beta, intercept)`` pairs (full length) where the first cuts are placed.
    """
    started = time.perf_counter()
    # scorecards with multiplier M >= MIN_MULTIPLIER have slopes in the box / MIN_MULTIPLIER
    relaxed = replace(problem, lower=problem.lower / MIN_MULTIPLIER, upper=problem.upper / MIN_MULTIPLIER)
    master = CuttingPlaneBound(relaxed, max_features)
    enumerated = enumerate_bound(relaxed, max_features, master.offered, (master.b0_lo, master.b0_hi), time_limit)
    if enumerated is not None:
        lower_bound, iterations, solved, method = enumerated["bound"], 0, True, "enumeration"
    else:
        remaining = time_limit - (time.perf_counter() - started)
        lower_bound, iterations, solved = _cutting_planes(master, upper_bound, start_points, remaining, tolerance)
        method = "cutting planes"
    lower_bound = max(lower_bound - SAFETY, 0.0) if np.isfinite(lower_bound) else 0.0
    return {
        "lower_bound": float(lower_bound),
        "upper_bound": float(upper_bound),
        "gap": float(max(upper_bound - lower_bound, 0.0) / upper_bound) if upper_bound > 0 else 0.0,
        "method": method,
        "iterations": iterations,
        "supports_enumerated": 0 if enumerated is None else enumerated["supports"],
        "seconds": float(time.perf_counter() - started),
        "relaxation_solved": solved,
    }


def _cutting_planes(master, upper_bound, start_points, time_limit, tolerance):
    """Cutting-plane loop; returns ``(lower bound, master solves, relaxation solved)``."""
    started = time.perf_counter()
    problem = master.problem
    for beta, intercept in start_points:
        master.add_cut(np.asarray(beta, dtype=np.float64), float(intercept))
    best_beta, best_intercept = (np.asarray(start_points[0][0], dtype=np.float64), float(start_points[0][1]))
    master.add_cut(*dense_optimum(problem))
    lower_bound, iterations, solved = -np.inf, 0, False
    while True:
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0 and iterations:
            break
        # the first master solve runs whatever the time left: the cuts above (a large problem's take seconds)
        # may have spent it, and without a solve nothing is bounded, while the first bound, about the dense
        # fit's loss, is cheap
        remaining = max(remaining, 0.0 if iterations else FIRST_SOLVE_SECONDS)
        # short master solves: HiGHS' dual bound is valid at any time, and more cuts help more
        gap = max(tolerance, 0.2 * (upper_bound - lower_bound) / upper_bound) if np.isfinite(lower_bound) else 0.01
        bound, x = master.solve(min(remaining, max(2.0, 0.1 * time_limit)), gap=gap)
        iterations += 1
        if bound is not None:
            lower_bound = max(lower_bound, bound)
        if x is None or upper_bound - lower_bound <= tolerance * upper_bound:
            break
        beta, intercept, theta = x[: master.p], x[master.p], x[-1]
        beta = np.where(np.abs(beta) > 1e-12, beta, 0.0)
        loss = master.add_cut(beta, intercept)
        support = tuple(int(j) for j in np.flatnonzero(beta))
        fitted = fit_support(problem, support, beta[list(support)], intercept)
        full = np.zeros(master.p)
        full[list(support)] = fitted.beta
        master.add_cut(full, fitted.intercept)
        # a stabilising cut between the master point and the incumbent (in-out cutting planes)
        master.add_cut(0.5 * (beta + best_beta), 0.5 * (intercept + best_intercept))
        if loss - theta <= tolerance * max(loss, 1e-12) and bound is not None and abs(bound - theta) <= 1e-9:
            solved = True  # the master optimum is exact: the relaxation is solved
            break
    return lower_bound, iterations, solved
