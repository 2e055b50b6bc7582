"""Integer scorecards from continuous solutions: star-ray search with multipliers.

The second half of FasterRisk (Liu et al., 2022).  A continuous solution
``beta`` is scaled by multipliers ``M`` along the ray from the origin (the
"star ray"), from 1 up to the largest ``M`` that keeps ``M * beta`` inside the
points box (or down to ``MIN_MULTIPLIER`` when ``beta`` is on the box
already); at each ``M`` the scaled coefficients are rounded *sequentially*
(each step fixes the coordinate and direction whose rounding hurts the loss
least), and the integer intercept and the multiplier are then re-optimised for
the integer points.  The risk model is ``sigmoid((score + intercept) / M)``.

Everything here runs on the support's pattern table (at most ``2^k`` distinct
rows), so an exact loss evaluation costs microseconds.
"""

from dataclasses import dataclass

import numpy as np

from ._logistic_fast import best_offset, best_scale, scaled_loss, sequential_round

MIN_SCALE = 1e-4  # 1 / largest multiplier considered
MIN_MULTIPLIER = 0.5  # smallest multiplier considered (see star_ray_search)


@dataclass
class IntegerSolution:
    """An integer scorecard: points on conditions, integer intercept, multiplier >= MIN_MULTIPLIER."""

    support: tuple
    points: np.ndarray
    intercept: int
    multiplier: float
    loss: float

    @property
    def key(self):
        return (self.support, tuple(int(p) for p in self.points))


def fit_intercept_and_multiplier(pos, neg, scores, multiplier=1.0):
    """Best integer intercept and multiplier (>= MIN_MULTIPLIER) for fixed integer scores per pattern.

    For a fixed intercept ``b`` the loss is convex in ``a = 1 / multiplier``; for a
    fixed ``a`` it is convex in the continuous offset ``c = b * a``, so the best
    integer ``b`` is next to ``c / a``.  Alternate until ``b`` settles.
    Returns ``(intercept, multiplier, loss)``.
    """
    scores = np.ascontiguousarray(scores, dtype=np.float64)
    total = pos.sum() + neg.sum()
    rate = min(max(pos.sum() / total, 1e-12), 1 - 1e-12)
    a = 1.0 / multiplier
    c = float(np.log(rate / (1 - rate)) - a * (scores @ (pos + neg)) / total)
    best = None
    tried = set()
    for _ in range(8):
        c = best_offset(pos, neg, scores, a, c)
        centre = c / a
        improved = False
        for b in (int(np.floor(centre)), int(np.ceil(centre))):
            if b in tried:
                continue
            tried.add(b)
            a_b, loss = best_scale(pos, neg, scores, float(b), a, MIN_SCALE, 1.0 / MIN_MULTIPLIER)
            if best is None or loss < best[2] - 1e-15:
                best = (b, a_b, loss)
                improved = True
        a = best[1]
        if not improved:
            break
    b, a, loss = best
    return b, 1.0 / a, loss


def integer_loss(pos, neg, scores, intercept, multiplier):
    scores = np.ascontiguousarray(scores, dtype=np.float64)
    return scaled_loss(pos, neg, scores, float(intercept), 1.0 / multiplier)


def round_sequentially(P, pos, neg, gamma, offset, multiplier, lower, upper):
    """Round ``gamma`` one coordinate at a time, always the least harmful rounding first."""
    values = np.array(gamma, dtype=np.float64)
    sequential_round(P, pos, neg, values, float(offset), float(multiplier), lower, upper)
    return np.rint(values).astype(np.int64)


def make_solution(problem, support, points, multiplier=1.0):
    """Integer solution on ``support`` with optimised intercept and multiplier; None if degenerate."""
    points = np.asarray(points, dtype=np.int64)
    keep = points != 0
    support = tuple(int(j) for j in np.asarray(support)[keep])
    points = points[keep]
    P, pos, neg = problem.patterns(support)
    scores = P.astype(np.int64) @ points if len(support) else np.zeros(len(pos), dtype=np.int64)
    intercept, multiplier, loss = fit_intercept_and_multiplier(pos, neg, scores, multiplier)
    return IntegerSolution(support, points, intercept, multiplier, loss)


def star_ray_search(problem, solution, n_multipliers):
    """Integer scorecards along the star ray of one continuous solution."""
    idx = np.asarray(solution.support, dtype=np.intp)
    beta = solution.beta
    if len(idx) == 0 or not np.any(beta != 0):
        return [make_solution(problem, (), [])]
    lower, upper = problem.lower[idx], problem.upper[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(beta > 0, upper / beta, np.where(beta < 0, lower / beta, np.inf))
    largest = float(np.min(room))
    P, pos, neg = problem.patterns(solution.support)
    found = []
    for multiplier in _ray_multipliers(largest, n_multipliers):
        gamma = multiplier * beta
        points = round_sequentially(P, pos, neg, gamma, multiplier * solution.intercept, multiplier, lower, upper)
        found.append(make_solution(problem, solution.support, points, multiplier))
    return found


def _ray_multipliers(largest, n_multipliers):
    """Multipliers along the star ray.

    From 1 up to the largest that keeps ``M * beta`` in the box.  When the
    continuous solution already sits on the box (``largest <= 1``, typical of
    nearly separable data), from 1 *down* to ``MIN_MULTIPLIER``: rounding a
    shrunk ``M * beta`` and dividing by ``M < 1`` reaches coefficients just
    beyond the box, as FasterRisk's ray does (Liu et al., 2022).
    """
    if largest > 1.0:
        return np.linspace(1.0, largest, n_multipliers)
    if MIN_MULTIPLIER < 1.0:
        return np.linspace(1.0, MIN_MULTIPLIER, n_multipliers)
    return np.ones(1)


def local_search(problem, solution, max_rounds=20):
    """Improve an integer scorecard by moving one or two points by one (best improvement)."""
    current = solution
    idx_of = {}
    for _ in range(max_rounds):
        best = current
        support, points = current.support, current.points
        idx = np.asarray(support, dtype=np.intp)
        lower, upper = problem.lower[idx], problem.upper[idx]
        moves = [(j, d) for j in range(len(points)) for d in (-1, 1)]
        moves += [((i, d), (j, -d)) for i in range(len(points)) for j in range(i + 1, len(points)) for d in (-1, 1)]
        for move in moves:
            trial = points.copy()
            for j, d in (move if isinstance(move[0], tuple) else (move,)):
                trial[j] += d
            if np.any(trial < lower) or np.any(trial > upper):
                continue
            key = (support, tuple(int(t) for t in trial))
            if key not in idx_of:
                idx_of[key] = make_solution(problem, support, trial, current.multiplier)
            candidate = idx_of[key]
            if candidate.loss < best.loss - 1e-12:
                best = candidate
        if best is current:
            break
        current = best
    return current
