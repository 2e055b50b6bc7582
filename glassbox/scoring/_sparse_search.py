"""Sparse continuous logistic solutions: beam search and a diverse pool by swaps.

This is the first half of FasterRisk (Liu, Zhong, Seltzer & Rudin, 2022):

1. *Beam search* grows supports one condition at a time.  Every condition
   outside a beam member's support is screened by the loss decrease of its
   best single-coordinate move (compiled kernel, all conditions at once); the
   most promising ones are added and the whole support is re-fitted, box
   constraints included.  The best ``beam_width`` supports go on.
2. *Swaps* turn the final beam into a diverse pool: for each solution and each
   condition in its support, the condition is removed and the best
   replacements (again by screening) are fitted; every solution within
   ``gap_tolerance`` of the best loss joins the pool.

Supports of at most a few dozen conditions are fitted on *patterns* (the
distinct rows of the chosen columns), so a re-fit costs one pass over the data
to compress it and then microseconds.
"""

from dataclasses import dataclass, field

import numpy as np

from ._logistic_fast import add_to_margin, fit_patterns, pattern_codes, screen_conditions

N_NEWTON = 2  # Newton steps per screened coordinate
FIT_SWEEPS = 200
FIT_TOL = 1e-10


@dataclass
class Problem:
    """Binary design and targets shared by every stage of the search.

    ``weight`` sums to one, so losses are weighted mean log losses.
    ``lower``/``upper`` bound each condition's coefficient (the points range,
    narrowed to one sign by monotonic constraints).  ``blocked[j]`` lists the
    conditions that may not sit beside ``j`` in a support (its complement,
    which would duplicate the intercept).
    """

    Z: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    complement: np.ndarray
    usable: np.ndarray
    n_threads: int = 1
    _patterns: dict = field(default_factory=dict, repr=False)

    @property
    def n_conditions(self):
        return self.Z.shape[1]

    def patterns(self, support):
        """Distinct rows of ``Z[:, support]`` with their positive and negative weight."""
        support = tuple(support)
        cached = self._patterns.get(support)
        if cached is not None:
            return cached
        codes = np.empty(self.Z.shape[0], dtype=np.int64)
        pattern_codes(self.Z, np.asarray(support, dtype=np.intp), codes)
        positive = self.y > 0
        if len(support) <= 16:
            # one bincount for both classes: even slots negative, odd slots positive
            size = 1 << len(support)
            both = np.bincount(2 * codes + positive, weights=self.weight, minlength=2 * size)
            neg, pos = both[0::2], both[1::2]
            present = np.flatnonzero((pos + neg) > 0)
            pos, neg, codes_present = pos[present], neg[present], present
        else:
            codes_present, inverse = np.unique(codes, return_inverse=True)
            pos = np.bincount(inverse, weights=self.weight * positive)
            neg = np.bincount(inverse, weights=self.weight * ~positive)
        bits = (codes_present[:, None] >> np.arange(len(support))[None, :]) & 1
        result = (np.ascontiguousarray(bits, dtype=np.uint8), pos, neg)
        if len(self._patterns) > 20000:  # bound the cache on long searches
            self._patterns.clear()
        self._patterns[support] = result
        return result

    def margin(self, support, beta, intercept):
        margin = self.y * intercept
        for j, b in zip(support, beta):
            add_to_margin(self.Z, int(j), float(b), self.y, margin)
        return margin


@dataclass
class SparseSolution:
    """A continuous solution on a support (sorted condition indices)."""

    support: tuple
    beta: np.ndarray
    intercept: float
    loss: float


def fit_support(problem, support, beta0=None, intercept0=None):
    """Best box-constrained continuous coefficients on ``support`` (warm-started)."""
    support = tuple(sorted(support))
    P, pos, neg = problem.patterns(support)
    idx = np.asarray(support, dtype=np.intp)
    beta = np.zeros(len(support)) if beta0 is None else np.array(beta0, dtype=np.float64)
    beta = np.clip(beta, problem.lower[idx], problem.upper[idx])
    if intercept0 is None:
        rate = np.clip(pos.sum() / (pos.sum() + neg.sum()), 1e-12, 1 - 1e-12)
        intercept0 = np.log(rate / (1 - rate))
    intercept = np.array([intercept0], dtype=np.float64)
    loss = fit_patterns(P, pos, neg, beta, intercept, problem.lower[idx].copy(), problem.upper[idx].copy(), FIT_SWEEPS, FIT_TOL)
    return SparseSolution(support, beta, float(intercept[0]), float(loss))


def _allowed(problem, support):
    allowed = problem.usable.copy()
    for j in support:
        allowed[j] = 0
        if problem.complement[j] >= 0:
            allowed[problem.complement[j]] = 0
    return allowed


def screen(problem, solution, exclude=(), shortlist=20):
    """Loss decrease and step of the best single move of every condition outside the support.

    A quadratic model ranks all conditions first; only the ``shortlist`` best get
    exact guarded Newton steps (the others keep their model estimate, ranked below).
    """
    margin = problem.margin(solution.support, solution.beta, solution.intercept)
    allowed = _allowed(problem, tuple(solution.support) + tuple(exclude))
    step = np.zeros(problem.n_conditions)
    decrease = np.zeros(problem.n_conditions)
    args = (problem.Z, problem.y, problem.weight, margin, problem.lower, problem.upper)
    screen_conditions(*args, allowed, 0, step, decrease, problem.n_threads)
    decrease[allowed == 0] = -np.inf
    if np.count_nonzero(allowed) > shortlist:
        short = np.zeros_like(allowed)
        short[np.argsort(-decrease, kind="stable")[:shortlist]] = 1
        exact_step, exact = np.zeros_like(step), np.zeros_like(decrease)
        screen_conditions(*args, short, N_NEWTON, exact_step, exact, problem.n_threads)
        keep = short.astype(bool)
        decrease = np.where(keep, exact, -np.inf)
        step = np.where(keep, exact_step, 0.0)
    else:
        screen_conditions(*args, allowed, N_NEWTON, step, decrease, problem.n_threads)
        decrease[allowed == 0] = -np.inf
    return decrease, step


def _top(decrease, n):
    order = np.argsort(-decrease, kind="stable")[:n]
    return [int(j) for j in order if np.isfinite(decrease[j]) and decrease[j] > 0]


def _extend(problem, parent, j, step_j):
    support = tuple(parent.support) + (j,)
    beta = np.append(parent.beta, step_j)
    order = np.argsort(support)
    return fit_support(problem, np.asarray(support)[order], beta[order], parent.intercept)


def beam_search(problem, max_features, beam_width, n_expand):
    """Grow supports to ``max_features`` conditions; return every beam, smallest first."""
    beam = [fit_support(problem, ())]
    history = [beam]
    for _ in range(max_features):
        candidates = {}
        for parent in beam:
            decrease, step = screen(problem, parent)
            for j in _top(decrease, n_expand):
                key = tuple(sorted(parent.support + (j,)))
                if key not in candidates:
                    candidates[key] = _extend(problem, parent, j, step[j])
        if not candidates:
            break
        beam = sorted(candidates.values(), key=lambda s: (s.loss, s.support))[:beam_width]
        history.append(beam)
    return history


def swap_pool(problem, parents, n_children, gap_tolerance, pool_size):
    """Diverse near-optimal supports of the same size by swapping one condition at a time."""
    best = min(s.loss for s in parents)
    limit = best * (1.0 + gap_tolerance) + 1e-12
    pool = {s.support: s for s in parents if s.loss <= limit}
    for parent in parents:
        for position, j in enumerate(parent.support):
            keep = [i for i in range(len(parent.support)) if i != position]
            reduced = fit_support(
                problem,
                tuple(parent.support[i] for i in keep),
                parent.beta[keep],
                parent.intercept,
            )
            decrease, step = screen(problem, reduced, exclude=(j,))
            for new in _top(decrease, n_children):
                key = tuple(sorted(reduced.support + (new,)))
                if key in pool:
                    continue
                child = _extend(problem, reduced, new, step[new])
                if child.loss <= limit:
                    pool[key] = child
    return sorted(pool.values(), key=lambda s: (s.loss, s.support))[:pool_size]
