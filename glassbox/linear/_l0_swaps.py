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

from . import _cd_sparse_fast
from ._solver import State, objective, solve

# Swap candidates whose Gram columns are computed together (covariance mode).
_GRAM_BATCH = 8


def _swap_candidates(problem, penalty, state, tol_abs, per_term):
    """Promising (out, in, new_value) swaps on the quadratic model, most promising first per term.

    For each support term ``i`` (weakest first) the ``per_term`` outside terms
    whose best single-coordinate value saves the most are proposed; a swap the
    model already scores as improving comes first.
    """
    beta = state.coef[0]
    support = np.flatnonzero(beta)
    lipschitz, correlation, column_covariance = _quadratic_model(problem, state, support)
    curvature = lipschitz + 2.0 * penalty.lambda2
    outside = (beta == 0) & (lipschitz > 0)
    improving, others = [], []
    for i in support[np.argsort(np.abs(beta[support]), kind="stable")]:
        b_i = beta[i]
        removal = b_i * correlation[i] + 0.5 * lipschitz[i] * b_i**2 - penalty.py_value(b_i)
        a = correlation + b_i * column_covariance(i)
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


def _quadratic_model(problem, state, support):
    """Curvatures ``Z_j^T H Z_j``, correlations ``Z^T s`` (minus the gradient) and ``i -> Z^T H Z_i``.

    In covariance mode all three come from the Gram cache (no pass over the rows).
    """
    if problem.uses_gram():
        gram = problem.gram()
        gram.ensure(support)
        return gram.diag, gram.residual_covariance(state)[0], lambda i: gram.G[:, i]
    h, s = problem.datafit().py_quadratic_model(problem.Y, problem.w, state.eta, 0)
    if problem.csc is not None:  # sparse: the same three from the implicitly standardized columns
        every = np.arange(problem.n_terms, dtype=np.int32)
        curvatures = _cd_sparse_fast.curvatures(*problem.sparse_design(), h, every)
        return curvatures, problem.correlate(s), lambda i: problem.correlate(h * problem.columns([i])[:, 0])
    Z = problem.Z
    return np.einsum("i,ij,ij->j", h, Z, Z), Z.T @ s, lambda i: Z.T @ (h * Z[:, i])


class _RowTrials:
    """Swap trials on the design itself: each trial carries its own linear predictor."""

    update_eta = True

    def __init__(self, problem, penalty, state):
        self.problem, self.penalty = problem, penalty

    def prepare(self, candidates):
        pass

    def start(self, state, i, j, value):
        """``state`` with coefficient ``i`` swapped for ``j`` at ``value``."""
        trial = state.copy()
        pair = self.problem.columns([j, i])  # dense or sparse alike
        trial.eta[0] += pair[:, 0] * value - pair[:, 1] * trial.coef[0, i]
        trial.coef[0, i], trial.coef[0, j] = 0.0, value
        return trial

    def score(self, trial, current):
        return objective(self.problem, self.penalty, trial)

    def accept(self, state, trial):
        state.coef[...], state.intercept[...], state.eta[...] = trial.coef, trial.intercept, trial.eta

    def finish(self, state):
        pass


class _GramTrials:
    """Swap trials of the squared loss scored from covariances, exact for a quadratic (no pass over the rows).

    Trials leave the linear predictor alone; it is recomputed once, by :meth:`finish`.
    """

    update_eta = False

    def __init__(self, problem, penalty, state):
        self.problem, self.gram, self.penalty = problem, problem.gram(), penalty
        self.anchor(state)

    def anchor(self, state):
        self.coef, self.intercept = state.coef[0].copy(), float(state.intercept[0])
        self.c, self.residual_sum = self.gram.residual_covariance(state)

    def prepare(self, candidates):
        # Gram columns of the next candidates in one matrix product rather than one pass each
        self.gram.ensure(np.array([c[1] for c in candidates]))

    def start(self, state, i, j, value):
        trial = State(state.coef.copy(), state.intercept.copy(), state.eta)
        trial.coef[0, i], trial.coef[0, j] = 0.0, value
        return trial

    def change(self, trial):
        """objective(trial) - objective(anchor)."""
        d = trial.coef[0] - self.coef
        changed = np.flatnonzero(d)
        d0 = float(trial.intercept[0]) - self.intercept
        self.gram.ensure(changed)
        dd, gram = d[changed], self.gram
        quadratic = dd @ gram.G[np.ix_(changed, changed)] @ dd + 2.0 * d0 * (dd @ gram.zw[changed]) + d0 * d0 * gram.wsum
        loss = -(dd @ self.c[changed]) - d0 * self.residual_sum + 0.5 * quadratic
        value = self.penalty.py_value
        return loss + sum(value(b) for b in trial.coef[0, changed]) - sum(value(b) for b in self.coef[changed])

    def score(self, trial, current):
        """objective(trial), from ``current`` = objective(anchor)."""
        return current + self.change(trial)

    def accept(self, state, trial):
        state.coef[...], state.intercept[...] = trial.coef, trial.intercept
        self.anchor(state)

    def finish(self, state):
        support = np.flatnonzero(state.coef[0])
        state.eta[0] = state.intercept[0] + self.problem.columns(support) @ state.coef[0, support]


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
    trials = (_GramTrials if problem.uses_gram() else _RowTrials)(problem, penalty, state)
    n_swaps = 0
    for _ in range(max_swaps):
        candidates = _swap_candidates(problem, penalty, state, tol_abs, candidates_per_term)
        for position, (i, j, value) in enumerate(candidates):
            if position % _GRAM_BATCH == 0:
                trials.prepare(candidates[position:position + _GRAM_BATCH])
            trial = trials.start(state, i, j, value)
            solve(problem, penalty, trial, max_nonzero=max_nonzero, tol=tol, max_iter=max_iter, warn=False,
                  update_eta=trials.update_eta)
            trial_objective = trials.score(trial, current)
            if trial_objective < current - 1e-9 * max(abs(current), 1e-12):
                trials.accept(state, trial)
                current = trial_objective
                n_swaps += 1
                break
        else:
            break
    if n_swaps:
        trials.finish(state)
    return n_swaps
