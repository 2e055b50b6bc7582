"""The sparse relaxation solved exactly by enumerating supports (when that fits the time).

The cutting-plane master of :mod:`._certify` approximates the loss by tangent
planes; with a few dozen conditions it stalls near the *dense* box-constrained
fit, because the cardinality constraint only enters through the planes.  When
the offered conditions are few enough, every support of at most ``k`` of them
can be fitted instead: each fit costs one pass over the distinct rows and a
Newton solve on at most ``2^k`` pattern cells (compiled), and each is turned
into a certified lower bound of its support's optimum (the convexity inequality
minimised over the box), so the minimum over all supports is a valid lower
bound of the relaxation, and is its optimum up to the fits' tolerance.

The enumeration runs one first condition at a time, the conditions with the
fewest supports first, and is given up (returning ``None``) as soon as the
time it has taken, extrapolated to all supports, exceeds its budget (judged
once a tenth of the budget or a twentieth of the supports is spent); the
caller then falls back to cutting planes.
"""

import time
from math import comb

import numpy as np

from ._enumeration_fast import enumerate_supports

MAX_ENUMERATED_K = 12
MAX_SUPPORTS = 10**8  # beyond this, do not even start


def distinct_rows(problem, columns):
    """Distinct rows of ``Z[:, columns]`` among rows with weight, with their positive/negative weight."""
    rows = problem.weight > 0
    R = np.ascontiguousarray(problem.Z[rows][:, columns])
    keys = np.packbits(R, axis=1) if R.shape[1] else np.zeros((R.shape[0], 1), dtype=np.uint8)
    keys = np.ascontiguousarray(keys).view(np.dtype((np.void, keys.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    weight, positive = problem.weight[rows], problem.y[rows] > 0
    pos = np.bincount(inverse, weights=weight * positive, minlength=len(first))
    neg = np.bincount(inverse, weights=weight * ~positive, minlength=len(first))
    return np.asfortranarray(R[first]), pos, neg


def _partners(problem, columns):
    """Position (among ``columns``) of each column's complement, -1 when it is not offered."""
    where = {int(j): i for i, j in enumerate(columns)}
    return np.array([where.get(int(problem.complement[j]), -1) for j in columns], dtype=np.intp)


def leaves_from(q, k, first):
    """Upper bound on the supports whose smallest condition is ``first`` (partners ignored)."""
    return comb(q - 1 - first, min(k, q - first) - 1)


def enumerate_bound(problem, max_features, offered, intercept_range, time_budget):
    """Certified lower bound of the relaxation over all supports, or None when it would not finish in time.

    Returns ``{"bound", "support", "supports"}`` with the best support's
    condition indices and the number of supports fitted.
    """
    started = time.perf_counter()
    columns = np.flatnonzero(offered)
    q, k = len(columns), min(max_features, len(columns))
    if q == 0 or k > MAX_ENUMERATED_K:
        return None
    R, pos, neg = distinct_rows(problem, columns)
    partner = _partners(problem, columns)
    lower = np.ascontiguousarray(problem.lower[columns])
    upper = np.ascontiguousarray(problem.upper[columns])
    total = sum(leaves_from(q, k, first) for first in range(q))
    if total > MAX_SUPPORTS:
        return None
    best, best_support, done, fitted = np.inf, (), 0, 0
    support = np.full(k, -1, dtype=np.intp)
    for first in range(q - 1, -1, -1):  # small groups first: a cheap estimate of the time per support
        bound, n_leaves = enumerate_supports(R, pos, neg, partner, lower, upper, *intercept_range, first, k, support)
        fitted += n_leaves
        done += leaves_from(q, k, first)
        if bound < best:
            best, best_support = bound, tuple(int(columns[j]) for j in support if j >= 0)
        elapsed = time.perf_counter() - started
        # the first groups are tiny and their fixed costs dominate: judge the pace after a while
        settled = elapsed > 0.1 * time_budget or done > 0.05 * total
        if elapsed > time_budget or (done < total and settled and elapsed * total / done > time_budget):
            return None
    return {"bound": float(best), "support": best_support, "supports": int(fitted)}
