"""Batched weighted least squares with greedy forward selection, for local surrogates.

Every explained row has its own small weighted regression on its own
perturbations.  Fitting them one by one is dominated by Python overhead, so
the sufficient statistics (weighted Gram matrix and cross products) of all
rows are formed with one ``einsum`` and the selection and solves run on
stacks of small systems.
"""

import numpy as np
from threadpoolctl import ThreadpoolController

# Relative ridge added to the Gram matrix so that a feature that does not vary
# in a row's perturbations (e.g. a missing value held fixed) cannot make the
# system singular; small enough to leave well-posed fits unchanged.
_RIDGE = 1e-10

# A slope moving the local model by at most this share of the output's spread in the neighbourhood is 0: the
# solve's relative ridge (1e-10) and rounding leave ~1e-11 on features the model does not read, while a real
# effect this small is far below what the perturbations' sampling noise (~1/sqrt(n_samples)) can resolve.
_NUMERICAL_ZERO = 1e-8


_CONTROLLER = []


def blas_controller():
    """One controller per process: finding the loaded BLAS libraries is slow."""
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0]


def weighted_statistics(design, targets, weights):
    """Gram matrices, cross products and weighted target sums of stacked fits.

    Parameters
    ----------
    design : ndarray (n_rows, n_samples, n_columns)
        The first column is the intercept (all ones).
    targets : ndarray (n_rows, n_samples, n_outputs)
    weights : ndarray (n_rows, n_samples)

    Returns
    -------
    gram : (n_rows, n_columns, n_columns)
    cross : (n_rows, n_columns, n_outputs)
    """
    # One BLAS product per row: a stacked matmul over transposed views, or an
    # einsum, runs without BLAS and is several times slower.  The products are
    # small (a few thousand by ~20): one BLAS thread is fastest, and on a busy
    # machine a threaded BLAS is ten times slower than one thread.
    weighted = design * weights[:, :, None]
    gram = np.empty((design.shape[0], design.shape[2], design.shape[2]))
    cross = np.empty((design.shape[0], design.shape[2], targets.shape[2]))
    with blas_controller().limit(limits=1, user_api="blas"):
        for r in range(design.shape[0]):
            gram[r] = weighted[r].T @ design[r]
            cross[r] = weighted[r].T @ targets[r]
    return gram, cross


def _solve(gram, cross):
    size = gram.shape[-1]
    scale = np.trace(gram, axis1=-2, axis2=-1)[..., None, None] / size
    regularised = gram + _RIDGE * (scale + 1e-300) * np.eye(size)
    return np.linalg.solve(regularised, cross)


def forward_selection(gram, cross, max_features):
    """Greedy forward selection of up to ``max_features`` columns (besides the intercept).

    At each step every row adds the column that most increases the explained
    weighted sum of squares (pooled over outputs), which is what LIME's
    forward selection does one row at a time.

    Returns
    -------
    support : ndarray of int (n_rows, n_selected + 1)
        Column indices, the intercept (0) first.
    """
    n_rows, n_columns = gram.shape[:2]
    rows = np.arange(n_rows)[:, None]
    support = np.zeros((n_rows, 1), dtype=np.intp)
    candidates = np.arange(1, n_columns)
    for _ in range(min(max_features, n_columns - 1)):
        trial = np.concatenate(
            [np.repeat(support[:, None, :], len(candidates), axis=1), np.broadcast_to(candidates[None, :, None], (n_rows, len(candidates), 1))],
            axis=2,
        )  # (n_rows, n_candidates, size)
        sub_gram = gram[rows[:, :, None, None], trial[:, :, :, None], trial[:, :, None, :]]
        sub_cross = cross[rows[:, :, None], trial]
        beta = _solve(sub_gram, sub_cross)
        explained = np.sum(beta * sub_cross, axis=(2, 3))
        taken = (support[:, None, 1:] == candidates[None, :, None]).any(axis=2)
        explained[taken] = -np.inf
        best = candidates[np.argmax(explained, axis=1)]
        support = np.concatenate([support, best[:, None]], axis=1)
    return support


def _explained(gram, cross, support):
    """Weighted sum of squares explained by each row's least-squares fit on ``support``."""
    rows = np.arange(gram.shape[0])[:, None]
    if support.ndim == 3:
        rows = rows[:, :, None]
    sub_gram = gram[rows[..., None], support[..., :, None], support[..., None, :]]
    sub_cross = cross[rows, support]
    return np.sum(_solve(sub_gram, sub_cross) * sub_cross, axis=(-2, -1))


def swap_search(gram, cross, support, max_rounds=50):
    """Improve each row's support by single swaps until no swap helps (an L0 local optimum).

    The L0-capped least-squares problem ``min SSE s.t. |support| <= k`` is
    attacked as in best-subset local search: starting from ``support``, every
    row tries replacing each selected column by each unselected one and takes
    the swap that explains the most weighted sum of squares, while one
    improves.  All rows and all candidate swaps are solved as one stack.

    Parameters
    ----------
    gram, cross : from :func:`weighted_statistics`
    support : ndarray of int (n_rows, size)
        Starting supports, the intercept (column 0) first; it is never swapped.

    Returns
    -------
    support : ndarray of int (n_rows, size)
    """
    support = support.copy()
    n_rows, n_columns = gram.shape[:2]
    size = support.shape[1]
    if size <= 1 or size - 1 >= n_columns - 1:
        return support  # nothing to swap, or every column already in
    positions = np.repeat(np.arange(1, size), n_columns - 1)
    columns = np.tile(np.arange(1, n_columns), size - 1)
    current = _explained(gram, cross, support)
    active = np.arange(n_rows)
    for _ in range(max_rounds):
        trial = np.repeat(support[active, None, :], len(positions), axis=1)
        trial[:, np.arange(len(positions)), positions] = columns
        gain = _explained(gram[active], cross[active], trial)
        taken = (support[active][:, None, 1:] == columns[None, :, None]).any(axis=2)
        gain[taken] = -np.inf
        best = np.argmax(gain, axis=1)
        best_gain = gain[np.arange(len(active)), best]
        # Relative threshold: a swap must beat rounding noise to count.
        better = best_gain > current[active] + 1e-10 * np.abs(current[active]) + 1e-300
        if not better.any():
            break
        improved = active[better]
        support[improved] = trial[better, best[better]]
        current[improved] = best_gain[better]
        active = improved
    return support


def fit_on_support(gram, cross, support, n_columns):
    """Coefficients ``(n_rows, n_columns, n_outputs)``, zero off the support."""
    rows = np.arange(gram.shape[0])[:, None]
    sub_gram = gram[rows[:, :, None], support[:, :, None], support[:, None, :]]
    sub_cross = cross[rows, support]
    beta = _solve(sub_gram, sub_cross)
    full = np.zeros((gram.shape[0], n_columns, cross.shape[2]))
    full[rows, support] = beta
    return full


def fit_on_mask(gram, cross, mask):
    """Coefficients ``(n_rows, n_columns, n_outputs)`` of each output's fit on its own columns, zero elsewhere.

    ``mask`` ``(n_rows, n_columns, n_outputs)`` marks the columns each row's
    fit of each output uses.  Each (row, output) system is as small as its
    largest set of columns: the columns it uses come first, and the places
    left over hold an identity of their mean diagonal (whose right-hand side
    is 0), so its solution is the least-squares fit on those columns, with
    the ridge :func:`fit_on_support` gives it.
    """
    n_rows, n_columns, n_outputs = cross.shape
    used = np.swapaxes(mask, 1, 2)  # (n_rows, n_outputs, n_columns)
    size = max(int(used.sum(axis=-1).max()), 1)
    # each system's columns, those it uses first (a stable sort keeps them in order), the rest as padding
    order = np.argsort(~used, axis=-1, kind="stable")[..., :size]
    inside = np.take_along_axis(used, order, axis=-1).astype(np.float64)
    rows = np.arange(n_rows)[:, None, None]
    systems = gram[rows[..., None], order[..., :, None], order[..., None, :]] * inside[..., :, None] * inside[..., None, :]
    level = np.diagonal(systems, axis1=-2, axis2=-1).sum(axis=-1) / np.maximum(inside.sum(axis=-1), 1.0)
    systems = systems + (1.0 - inside)[..., :, None] * level[..., None, None] * np.eye(size)
    right = cross[rows, order, np.arange(n_outputs)[None, :, None]] * inside
    solution = _solve(systems, right[..., None])[..., 0] * inside
    beta = np.zeros((n_rows, n_outputs, n_columns))
    np.put_along_axis(beta, order, solution, axis=-1)  # order is a permutation: padding lands on unused columns
    return np.swapaxes(beta, 1, 2)


def weighted_mean(targets, weights, fallback):
    """Per row and output, the kernel-weighted mean of ``targets`` (``fallback`` where nothing weighs anything)."""
    total = weights.sum(axis=1)
    weighed = total > 0
    mean = np.einsum("rs,rso->ro", weights, targets) / np.where(weighed, total, 1.0)[:, None]
    return np.where(weighed[:, None], mean, fallback)


def numerically_nonzero(beta, gram, cross, targets, weights, magnitude):
    """Where ``beta`` is not numerically zero: the intercepts, and the slopes that move the local model.

    A slope is numerically zero when the local model's change along its
    feature, the slope times the feature's (kernel-weighted) spread in the
    perturbations, is at most ``_NUMERICAL_ZERO`` of the output's own spread
    there, or within the rounding of outputs of that ``magnitude``: the solve's
    ridge and rounding leave slopes of ~1e-11 of the output's spread on
    features the model does not read, and the selection would otherwise list
    them among the explanation's features, at a contribution that prints as 0.
    The features' weighted sums come from the fit's own ``gram`` and ``cross``
    (:func:`weighted_statistics` of the design with its column of ones first),
    not from a second pass over the perturbations.  ``targets`` are centred;
    ``beta`` is ``(n_rows, 1 + n_features, n_outputs)``.
    """
    total = gram[:, 0, 0]  # the weights' sum: the column of ones against itself
    scale = 1.0 / np.where(total > 0, total, 1.0)[:, None]
    mean = gram[:, 0, 1:] * scale
    spread = np.sqrt(np.maximum(np.diagonal(gram, axis1=1, axis2=2)[:, 1:] * scale - mean**2, 0.0))
    output_spread = np.sqrt(np.maximum(np.einsum("rs,rso->ro", weights, targets**2) * scale
                                       - (cross[:, 0, :] * scale) ** 2, 0.0))
    tolerance = np.maximum(_NUMERICAL_ZERO * output_spread, np.finfo(np.float64).eps * magnitude)
    kept = np.ones(beta.shape, dtype=bool)
    kept[:, 1:, :] = np.abs(beta[:, 1:, :]) * spread[:, :, None] > tolerance[:, None, :]
    return kept


def weighted_r2(design, targets, weights, coefficients):
    """Weighted R² of each row's fit on its samples (pooled over outputs)."""
    fitted = np.einsum("rsi,rio->rso", design, coefficients)
    total_weight = weights.sum(axis=1)
    weighed = total_weight > 0  # a kernel too narrow for any of a row's samples: no figure (NaN), not a perfect one
    mean = (weights[:, :, None] * targets).sum(axis=1, keepdims=True) / np.where(weighed, total_weight, 1.0)[:, None, None]
    residual = np.einsum("rs,rso->r", weights, (targets - fitted) ** 2)
    spread = np.einsum("rs,rso->r", weights, (targets - mean) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(spread > 0, 1.0 - residual / np.where(spread > 0, spread, 1.0), np.where(residual <= 1e-24, 1.0, 0.0))
    return np.where(weighed, r2, np.nan)
