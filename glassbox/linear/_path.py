"""Regularization paths with warm starts and strong-rule screening.

Along a decreasing grid of ``alpha`` each solution starts from the previous
one.  For the convex penalties the sequential strong rule (Tibshirani et al.
2012) seeds the working set with the columns whose gradient at the previous
solution exceeds ``l1_ratio * (2 alpha_k - alpha_{k-1})``; the KKT check in
the solver adds any column the rule wrongly discarded.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone

from ..utils._sklearn_shim import validate_parameters
from ._base import SparseLinearBase
from ._cd_objective_fast import L1Penalty
from ._estimators import centred_classes
from ._gram_path import gram_path
from ._solver import State, null_state, optimality, solve
from ._l0_swaps import swap_search


@dataclass(frozen=True)
class RegularizationPath:
    """Solutions along a grid of penalty strengths, in original units.

    Attributes
    ----------
    alphas : ndarray of shape (n_alphas,)
        Decreasing penalty strengths.
    coefs : ndarray of shape (n_alphas, n_terms) or (n_alphas, n_terms, n_classes)
    intercepts : ndarray of shape (n_alphas,) or (n_alphas, n_classes)
        A multiclass path holds each solution as the estimator fitted at
        that ``alpha`` stores it (``coef_.T``, ``intercept_``): intercepts
        centred across the classes, and coefficients too at ``alpha=0`` or
        with a pure ridge.
    standardized_coefs : ndarray, same shape as ``coefs``
        Coefficients per training standard deviation of each term.
    term_names : tuple of str
    n_nonzero : ndarray of int, shape (n_alphas,)
        Terms with a nonzero coefficient at each alpha.
    n_iter : ndarray of int, shape (n_alphas,)
    penalty : str
    classes : ndarray or None

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from glassbox import SparseLinearRegressor
    >>> from glassbox.linear import sparse_linear_path
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"debt": rng.uniform(0, 1, 200), "years": rng.uniform(0, 20, 200)})
    >>> y = 5 + 3 * X["debt"] - 0.2 * X["years"] + rng.normal(0, 0.5, 200)
    >>> path = sparse_linear_path(SparseLinearRegressor(), X, y, n_alphas=5)
    >>> path.term_names, path.n_nonzero
    (('debt', 'years'), array([0, 2, 2, 2, 2]))
    >>> path.alphas.round(4)  # decreasing: the first zeroes every coefficient
    array([1.1657, 0.2073, 0.0369, 0.0066, 0.0012])
    >>> path.coefs.round(3)  # one row per alpha, in the features' units
    array([[ 0.   ,  0.   ],
           [ 2.327, -0.16 ],
           [ 2.866, -0.188],
           [ 2.961, -0.193],
           [ 2.978, -0.194]])
    """

    alphas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    standardized_coefs: np.ndarray
    term_names: tuple
    n_nonzero: np.ndarray
    n_iter: np.ndarray
    penalty: str
    classes: np.ndarray = None

    def to_frame(self):
        """Long table: one row per (alpha, term[, class]) with its coefficient."""
        import pandas as pd

        coefs = self.coefs.reshape(len(self.alphas), len(self.term_names), -1)
        rows = []
        for a, alpha in enumerate(self.alphas):
            for t, name in enumerate(self.term_names):
                for k in range(coefs.shape[2]):
                    row = {"alpha": alpha, "term": name, "coefficient": coefs[a, t, k]}
                    if coefs.shape[2] > 1:
                        row["class"] = self.classes[k]
                    rows.append(row)
        return pd.DataFrame(rows)


def _l1_share(model):
    return model.l1_ratio if model.penalty == "elasticnet" else 1.0


def alpha_max(model, fitted):
    """Smallest alpha at which every coefficient is zero (sign constraints respected)."""
    problem = fitted.problem
    _, grads, lips = optimality(problem, L1Penalty(0.0), null_state(problem))
    signs = problem.signs[None, :]
    # a coefficient can only move in its allowed direction, pulled by -gradient
    pull = np.where(signs > 0, np.maximum(-grads, 0), np.where(signs < 0, np.maximum(grads, 0), np.abs(grads)))
    if model.penalty == "l0":
        curvature = lips + 2.0 * model.ridge_alpha
        ratio = np.divide(pull**2, 2.0 * curvature, out=np.zeros_like(pull), where=curvature > 0)
        top = float(ratio.max(initial=0.0))
    elif _l1_share(model) == 0.0:
        raise ValueError(
            "A pure ridge (penalty='elasticnet', l1_ratio=0) zeroes no coefficient at any alpha, so there is "
            "no grid starting from an all-zero model: pass alphas explicitly, or use l1_ratio > 0."
        )
    else:
        top = float(pull.max(initial=0.0)) / _l1_share(model)
    return top if top > 0 else 1.0


def alpha_grid(model, fitted, n_alphas, eps):
    """``n_alphas`` values from ``alpha_max`` down to ``eps * alpha_max``, log-spaced."""
    top = alpha_max(model, fitted)
    return top * np.logspace(0, np.log10(eps), n_alphas)


def run_path(model, fitted, alphas, *, warn=True, all_etas=False):
    """Solve at every alpha with warm starts; return ``(states, n_iters)``.

    Only the last state holds its linear predictor (``eta``, rows x blocks) unless ``all_etas``: the
    others' are None.  Every alpha's would be alphas x rows x classes floats (2.7 GB for a 10-class
    path of 50 alphas on 670,000 rows, per fold of a cross-validation), where the callers read only
    the coefficients along the path and the linear predictor at its end.
    """
    problem = fitted.problem
    max_nonzero = model._max_nonzero(problem.n_terms)
    if problem.uses_gram() and model.penalty != "l0" and len(alphas):
        coefs, intercepts, etas, n_iters = gram_path(
            problem, [model._penalty(a) for a in alphas], alphas, _l1_share(model), max_nonzero=max_nonzero,
            tol=model.tol, max_iter=model.max_iter, warn=warn, all_etas=all_etas)
        etas = list(etas) if all_etas else [None] * (len(alphas) - 1) + [etas[0]]
        states = [State(c[None, :], np.array([b]), None if e is None else e[None, :])
                  for c, b, e in zip(coefs, intercepts, etas)]
        return states, list(n_iters)
    state = null_state(problem)
    states, n_iters, previous = [], [], None
    for a, alpha in enumerate(alphas):
        penalty = model._penalty(alpha)
        initial = None
        if model.penalty != "l0" and previous is not None:
            _, grads, _ = optimality(problem, penalty, state)
            threshold = _l1_share(model) * (2.0 * alpha - previous)
            initial = np.flatnonzero(np.abs(grads).max(axis=0) >= threshold).astype(np.int32)
        n_iter, _ = solve(problem, penalty, state, max_nonzero=max_nonzero, tol=model.tol,
                          max_iter=model.max_iter, initial_columns=initial, warn=warn)
        if model.penalty == "l0" and model.local_search:
            swap_search(problem, penalty, state, max_nonzero=max_nonzero, tol=model.tol, max_iter=model.max_iter)
        keep_eta = all_etas or a == len(alphas) - 1
        states.append(state.copy() if keep_eta else State(state.coef.copy(), state.intercept.copy(), None))
        n_iters.append(n_iter)
        previous = alpha
    return states, n_iters


def path_result(model, fitted, alphas, states, n_iters, classes=None):
    """Pack solutions into a :class:`RegularizationPath` in original units."""
    coefs, intercepts = [], []
    for alpha, state in zip(alphas, states):
        coef, intercept = fitted.original_units(state.coef, state.intercept)
        if coef.shape[0] > 1:  # multinomial: as the estimator stores its fit at this alpha
            coef, intercept = centred_classes(coef, intercept, model._penalty_centred_across_classes(alpha))
        coefs.append(coef[0] if coef.shape[0] == 1 else coef.T)
        intercepts.append(intercept[0] if intercept.shape[0] == 1 else intercept)
    coefs = np.asarray(coefs)
    stds = fitted.design.stds if coefs.ndim == 2 else fitted.design.stds[:, None]
    nonzero = (coefs != 0).reshape(len(alphas), fitted.design.n_terms, -1).any(axis=2).sum(axis=1)
    return RegularizationPath(
        alphas=np.asarray(alphas, dtype=np.float64),
        coefs=coefs,
        intercepts=np.asarray(intercepts),
        standardized_coefs=coefs * stds,
        term_names=tuple(fitted.design.term_names),
        n_nonzero=nonzero,
        n_iter=np.asarray(n_iters),
        penalty=model.penalty,
        classes=classes,
    )


def checked_alphas(alphas):
    """A grid of alphas given by the user, sorted decreasing, or an error naming what a grid must be."""
    message = f"alphas must be a non-empty list of finite values >= 0, got {alphas!r}."
    try:
        grid = np.asarray(alphas, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise ValueError(message) from None
    if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
        raise ValueError(message)
    return np.sort(grid)[::-1]


def sparse_linear_path(estimator, X, y, sample_weight=None, *, alphas=None, n_alphas=50, eps=1e-3):
    """Fit a sparse linear estimator along a decreasing grid of ``alpha``, with warm starts.

    Parameters
    ----------
    estimator : SparseLinearRegressor, SparseLinearClassifier or their CV versions
        Supplies every setting but ``alpha`` (loss, penalty, constraints, cap,
        ...); it is not modified.  The grid of a log-link loss starts from its
        gradient at the intercept-only model ``log(mean y)``.
    X : array-like, DataFrame or scipy.sparse matrix of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,), default=None
    alphas : array-like or None, default=None
        The grid (sorted decreasing here); None builds ``n_alphas`` log-spaced
        values from the smallest alpha giving an all-zero model down to
        ``eps`` times it.
    n_alphas : int, default=50
    eps : float, default=1e-3

    Returns
    -------
    RegularizationPath

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from glassbox.linear import SparseLinearRegressor, sparse_linear_path
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> path = sparse_linear_path(SparseLinearRegressor(), X, y, n_alphas=20)
    >>> int(path.n_nonzero[0]), int(path.n_nonzero[-1])
    (0, 10)
    """
    if not isinstance(estimator, SparseLinearBase):
        raise TypeError(
            f"sparse_linear_path needs a glassbox sparse linear model (SparseLinearRegressor, SparseLinearClassifier "
            f"or their CV versions) to take its settings from, got {type(estimator).__name__}; for a Pipeline pass "
            "its last step and the rows as that step receives them (pipe[:-1].transform(X)).")
    model = clone(estimator)
    validate_parameters(model)
    table, y, w = model._validate_fit_input(X, y, sample_weight)
    classes, Y = model._target_blocks(y)
    fitted = model._make_problem(table, Y, w)
    if alphas is None:
        alphas = alpha_grid(model, fitted, n_alphas, eps)
    alphas = checked_alphas(alphas)
    states, n_iters = run_path(model, fitted, alphas)
    return path_result(model, fitted, alphas, states, n_iters, classes)
