"""Squared-loss paths from the covariances of a working set, verified in batches.

When rows outnumber terms (covariance mode), one coordinate update costs as
many operations as there are columns in the Gram matrix it reads.  Computing
``Z^T W Z`` for every column that ever enters (``n p`` per column) would cost
more than the whole path, so this driver keeps the Gram matrix of a working
set ``S`` only (``G_SS``, ``n |S|`` per new column) and solves the whole
grid on ``S`` with warm starts.

The optimality conditions of the columns outside ``S`` are then checked for
many alphas at once: the linear predictors ``Z_S B`` of all unverified
solutions and their correlations ``Z^T W (y - eta)`` are two matrix products,
which run at matrix-multiply speed instead of one pass over the data per alpha
(the sequential strong rule of Tibshirani et al. 2012 needs that pass).  The
first alpha with a violator outside ``S`` is where the path is wrong: the
violators found there and beyond enter ``S`` and the path is solved again from
that alpha.  Solutions before it are final (their KKT conditions hold on
every column), so the loop ends after a few rounds with every alpha verified
on every column, as glmnet's KKT check would.
"""

import warnings

import numpy as np
from scipy.linalg.blas import dsyrk
from sklearn.exceptions import ConvergenceWarning

from . import _cd_gram_fast
from ..utils.validation import user_stacklevel

# Initial room for working-set columns; it doubles when full.
_INITIAL_CAPACITY = 64
# Alphas solved and then verified together (one pair of matrix products per window).
_WINDOW = 12
# Columns the working set starts with at least (largest gradients at the null model).
_MIN_START = 16


class WorkingGram:
    """Columns ``Z_S`` and the Gram matrix ``G_SS = Z_S^T W Z_S`` of a growing working set ``S``."""

    def __init__(self, problem, capacity):
        self.problem, self.w = problem, problem.w
        self.columns = np.empty(0, dtype=np.intp)
        self.ZS = np.empty((len(problem.w), capacity), order="F")
        self.G = np.zeros((capacity, capacity), order="F")

    @property
    def size(self):
        return len(self.columns)

    def add(self, new):
        """Append columns ``new`` (not in the set yet): ``n (|S| + |new|) |new|`` operations."""
        m, k = self.size, len(new)
        if not k:
            return  # BLAS refuses an empty matrix (its leading dimension must be at least 1)
        if m + k > self.G.shape[0]:
            # room for as many again: one copy of ``Z_S`` per doubling of the set, not per addition
            capacity = min(self.problem.n_terms, max(2 * self.G.shape[0], 2 * (m + k)))
            ZS, G = np.empty((len(self.w), capacity), order="F"), np.zeros((capacity, capacity), order="F")
            ZS[:, :m], G[:m, :m] = self.ZS[:, :m], self.G[:m, :m]
            self.ZS, self.G = ZS, G
        block = self.problem.columns(new)
        self.ZS[:, m:m + k] = block
        root = np.sqrt(self.w)[:, None]
        block *= root  # W^(1/2) Z_new: its own Gram block is symmetric, half the product (syrk)
        inner = dsyrk(1.0, block, trans=1)
        self.G[m:m + k, m:m + k] = np.triu(inner) + np.triu(inner, 1).T
        if m:
            block *= root
            cross = self.ZS[:, :m].T @ block
            self.G[:m, m:m + k] = cross
            self.G[m:m + k, :m] = cross.T
        self.columns = np.concatenate([self.columns, np.asarray(new, dtype=np.intp)])


class _LocalSolver:
    """Coordinate descent at one alpha on the working set (the compiled ``gram_cd``), warm-started."""

    def __init__(self, problem, gram, working, beta, intercept):
        columns = working.columns
        self.working, self.beta = working, np.ascontiguousarray(beta[columns])
        self.zw, self.diag = np.ascontiguousarray(gram.zw[columns]), np.ascontiguousarray(gram.diag[columns])
        self.signs = np.ascontiguousarray(problem.signs[columns])
        m = len(columns)
        G = working.G[:m, :m]
        self.c = np.ascontiguousarray(gram.q[columns] - intercept * self.zw - G @ self.beta)
        self.scalars = np.array([intercept, gram.wy - intercept * gram.wsum - self.zw @ self.beta])
        self.order = np.arange(m, dtype=np.int32)

    def run(self, penalty, problem, max_nonzero, max_iter, tol_abs):
        support_count = (self.beta != 0).astype(np.int32)
        return _cd_gram_fast.gram_cd(penalty, self.working.G, self.c, self.zw, self.beta, self.scalars, self.diag,
                                     self.signs, self.order, support_count, max_nonzero, problem.fit_intercept,
                                     max_iter, tol_abs)


def _start_columns(problem, gram, penalty_first, alpha_first, intercept, l1_share):
    """Strong-rule set of the first alpha (from the null model), at least the ``_MIN_START`` largest gradients."""
    pull = _pull(problem.signs, gram.q - intercept * gram.zw)
    top = pull.max(initial=0.0) / l1_share
    strong = np.flatnonzero(pull >= l1_share * (2.0 * alpha_first - top))
    largest = np.argsort(-pull, kind="stable")[:_MIN_START]
    candidates = np.union1d(strong, largest)
    return candidates[(gram.diag[candidates] > 0) & (pull[candidates] > 0)]


def _pull(signs, correlation):
    """How strongly each zero coefficient is pulled in its allowed direction."""
    return np.where(signs > 0, np.maximum(correlation, 0), np.where(signs < 0, np.maximum(-correlation, 0),
                                                                     np.abs(correlation)))


def _verify(problem, gram, working, coefs, intercepts, penalties, window, max_nonzero, tol_abs):
    """Check the alphas of ``window`` on every column; return the linear predictors, first failing index, violators."""
    m, first = working.size, window.start
    local = coefs[window][:, working.columns].T  # (|S|, n_window)
    fitted = working.ZS[:, :m] @ local if m else np.zeros((len(problem.w), len(local.T)))
    correlation = problem.correlate(fitted * problem.w[:, None])
    correlation = gram.q[:, None] - gram.zw[:, None] * intercepts[None, window] - correlation
    inside = np.zeros(problem.n_terms, dtype=bool)
    inside[working.columns] = True
    zeros = np.zeros(problem.n_terms)
    failing, violators = None, []
    for offset, penalty in enumerate(penalties[window]):
        if np.count_nonzero(coefs[first + offset]) >= max_nonzero:
            continue  # the cap is reached: no other column may enter
        violation = _cd_gram_fast.violations_from_gradient(penalty, -correlation[:, offset], gram.diag, zeros,
                                                           problem.signs)
        bad = np.flatnonzero((violation > tol_abs) & ~inside)
        if bad.size:
            failing = first + offset if failing is None else failing
            violators.append(bad[np.argsort(-violation[bad], kind="stable")])
    return fitted, failing, violators


def gram_path(problem, penalties, alphas, l1_share, *, max_nonzero, tol, max_iter, warn=True, all_etas=False):
    """Solve the squared loss at every alpha (decreasing); return ``(coefs, intercepts, etas, n_iters)``.

    ``coefs`` is ``(n_alphas, n_terms)``, ``etas`` ``(n_alphas, n_samples)`` with ``all_etas``, else
    ``(1, n_samples)``: the linear predictor at the last alpha only;
    every solution meets ``tol`` on every column (a ``ConvergenceWarning``
    names the ones where the sweep limit came first).
    """
    from ._solver import null_state, settle_flat_directions

    gram = problem.gram()
    tol_abs = tol * problem.tolerance_scale()
    n_alphas, p = len(penalties), problem.n_terms
    coefs, intercepts = np.zeros((n_alphas, p)), np.zeros(n_alphas)
    etas = np.empty((n_alphas if all_etas else 1, len(problem.w)))
    n_iters, converged = np.zeros(n_alphas, dtype=int), np.ones(n_alphas, dtype=bool)
    null_intercept = float(null_state(problem).intercept[0])
    working = WorkingGram(problem, min(p, _INITIAL_CAPACITY))
    working.add(_start_columns(problem, gram, penalties[0], alphas[0], null_intercept, l1_share))
    first = 0
    width = _WINDOW
    while first < n_alphas:
        window = slice(first, min(first + width, n_alphas))
        beta = coefs[first - 1] if first else np.zeros(p)
        local = _LocalSolver(problem, gram, working, beta, intercepts[first - 1] if first else null_intercept)
        for a in range(window.start, window.stop):
            sweeps = local.run(penalties[a], problem, max_nonzero, max_iter, tol_abs)
            n_iters[a] += abs(sweeps)
            converged[a] = sweeps > 0
            coefs[a, working.columns] = local.beta
            intercepts[a] = local.scalars[0]
        fitted, failing, violators = _verify(problem, gram, working, coefs, intercepts, penalties, window,
                                             max_nonzero, tol_abs)
        last = window.stop if failing is None else failing
        if all_etas:
            etas[first:last] = (fitted[:, : last - first] + intercepts[first:last]).T
        elif last == n_alphas:
            etas[0] = fitted[:, last - first - 1] + intercepts[last - 1]
        first = last
        if failing is not None:
            # the violators of the whole window: solutions past the first failure, although
            # computed on too small a set, point at the columns their alphas will need
            new = np.unique(np.concatenate(violators))
            working.add(new[~np.isin(new, working.columns)])
    for a, penalty in enumerate(penalties):
        settle_flat_directions(problem, penalty, coefs[a:a + 1])  # predictions (etas) do not move
    if warn and not converged.all():
        warnings.warn(
            f"The coordinate descent did not reach the optimality tolerance tol={tol:g} within "
            f"max_iter={max_iter} sweeps at {int((~converged).sum())} of {n_alphas} alphas; increase max_iter, "
            "raise tol, or increase alpha.",
            ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    return coefs, intercepts, etas, n_iters
