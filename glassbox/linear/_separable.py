"""Whether some linear predictor splits the classes without error: a linear programme's feasibility.

An unpenalized logistic fit of separable classes diverges, and one stopped
by ``max_iter`` may still misclassify a few rows next to the boundary (two of
20,000 rows at coefficients near 480), so its fitted predictor alone does not
show the separation.  The classes are separable exactly when some predictor
has a margin of at least 1 on every row of positive weight (a strict split
scales to one), which a linear programme decides: two classes,
``s_i (x_i b + c) >= 1`` with ``s_i = +-1``; more, ``x_i (B_own - B_k) >= 1``
for each row's every other class ``k``.  Quasi-complete separation (rows on
the boundary) is infeasible here, as it should be: it leaves the fit finite
in the other directions.
"""

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

# The programme holds (rows x (classes - 1)) constraints of 2 x columns entries (columns for two classes);
# beyond this many it is not built (a dense block of 20,000 rows by 6 columns is decided in 0.06 s).
MAX_ENTRIES = 5_000_000
# An undecided programme says nothing: the fitted predictor alone decides then.
TIME_LIMIT_SECONDS = 5.0


def separable(columns, labels, w, n_classes, free_shift=True):
    """Whether a linear predictor on ``columns`` splits the classes on the rows of positive weight.

    ``columns`` (n_samples, n_terms) is the design, ``labels`` the class
    index of each row (0/1 for two classes); ``free_shift`` adds an intercept.
    True or False when the programme decides, None when it is too large to
    build or undecided within the time limit.
    """
    positive = w > 0
    X, own = columns[positive], np.asarray(labels)[positive].astype(np.intp)
    if np.unique(own).size < 2:
        return False
    if free_shift:
        X = np.column_stack([X, np.ones(len(X))])
    n_rows, width = X.shape
    if n_rows * max(n_classes - 1, 1) * width * (1 if n_classes == 2 else 2) > MAX_ENTRIES:
        return None
    if n_classes == 2:
        constraints = -(np.where(own == 1, 1.0, -1.0)[:, None] * X)  # -s_i x_i b <= -1
    else:
        constraints = _rival_constraints(X, own, n_classes)
    result = linprog(np.zeros(constraints.shape[1]), A_ub=constraints, b_ub=-np.ones(constraints.shape[0]),
                     bounds=(None, None), method="highs", options={"time_limit": TIME_LIMIT_SECONDS})
    return {0: True, 2: False}.get(result.status)


def _rival_constraints(X, own, n_classes):
    """``x_i B_k - x_i B_own <= -1`` for each row and each class ``k`` other than its own, sparse."""
    n_rows, width = X.shape
    blocks = []
    for rival in range(n_classes):
        rows = np.flatnonzero(own != rival)
        count = len(rows)
        line = np.repeat(np.arange(count), width)
        term = np.tile(np.arange(width), count)
        values = X[rows].ravel()
        own_columns = own[rows].repeat(width) * width + term
        blocks.append(sparse.coo_matrix(
            (np.concatenate([-values, values]),
             (np.concatenate([line, line]), np.concatenate([own_columns, rival * width + term]))),
            shape=(count, n_classes * width)))
    return sparse.vstack(blocks).tocsr()


# The programme is asked only of a fit whose predictor gets at most this share of the rows of positive
# weight wrong: a diverging fit of separable classes misclassifies a few boundary rows, overlapping classes
# more, and their finite fit needs no check.
NEAR_SPLIT_SHARE = 0.01


def separable_despite_errors(problem, coef, eta, labels, n_classes, free_shift=True):
    """Whether classes the fitted predictor ``eta`` splits with a few errors are separable all the same.

    ``problem`` holds the fit's design and weights, ``coef`` (n_blocks,
    n_terms) its coefficients: the terms it kept are the ones checked.
    ``eta`` and ``labels`` are as for ``completely_separated``.
    """
    positive = problem.w > 0
    wrong = (eta > 0) != (labels == 1) if eta.ndim == 1 else np.argmax(eta, axis=1) != labels
    if np.count_nonzero(wrong & positive) > NEAR_SPLIT_SHARE * np.count_nonzero(positive):
        return False
    kept = np.flatnonzero(np.any(np.atleast_2d(coef) != 0, axis=0))
    return bool(separable(problem.columns(kept), labels, problem.w, n_classes, free_shift=free_shift))
