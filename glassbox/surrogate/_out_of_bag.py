"""Out-of-bag votes of a bagged forest teacher on the rows it was fitted on.

A random forest's votes on its *own* training rows are partly memorised: every
tree that drew a row has seen its true label, so on those rows the forest
repeats the labels more often than it decides new rows alike (bank, forest with
``min_samples_leaf=2``: 5.9% of its training rows called positive against 3.35%
of new rows).  A student copying those votes learns the memorised labels.  The
out-of-bag votes, each row voted on only by the trees that did not draw it, are
what the forest says about rows it has not seen (3.5% positive there).
``DistilledClassifier(out_of_bag=True)`` lets the student learn them;
``align_intercept="out-of-bag"`` keeps the in-sample targets and places only
the student's intercept by them.
"""

import numpy as np
from sklearn.utils import check_array

from ..utils._sklearn_shim import forest_draws_skip_zero_weight_rows, forest_fitted_rows


def _last_step(teacher):
    steps = getattr(teacher, "steps", None)
    return steps[-1][1] if isinstance(steps, list) and steps else teacher


def _not_a_forest(name):
    return TypeError(
        "Out-of-bag votes (out_of_bag=True, align_intercept='out-of-bag') need a fitted bagged forest as teacher "
        f"(RandomForestClassifier or ExtraTreesClassifier, alone or as the last step of a Pipeline), got {name}; "
        "use out_of_bag=False and align_intercept=True for other teachers."
    )


def _check_bootstrap(forest):
    if not forest.bootstrap:
        raise ValueError(
            f"Out-of-bag votes need a forest fitted with bootstrap=True: this {type(forest).__name__} fitted every "
            "tree on every row, so no row has out-of-bag votes. Refit it with bootstrap=True or use out_of_bag=False "
            "and align_intercept=True."
        )


def check_out_of_bag_teacher(teacher):
    """Refuse, before any teacher is fitted, a teacher that cannot give out-of-bag votes.

    ``teacher=None`` (the default gradient boosting) and models with no
    ``bootstrap`` parameter are refused here, so the error does not wait for a
    teacher to be trained only to be thrown away.
    """
    forest = _last_step(teacher)
    if forest is None:
        raise _not_a_forest("teacher=None (the default HistGradientBoostingClassifier)")
    if not hasattr(forest, "bootstrap"):
        raise _not_a_forest(type(forest).__name__)
    _check_bootstrap(forest)


def _forest_and_inputs(teacher, X):
    """The bagged forest inside ``teacher`` and ``X`` as that forest reads it."""
    forest, rows = _last_step(teacher), X
    if forest is not teacher and len(teacher.steps) > 1:
        rows = teacher[:-1].transform(X)
    if not (hasattr(forest, "estimators_") and hasattr(forest, "bootstrap") and hasattr(forest, "predict_proba")
            and not hasattr(forest, "estimators_features_")):
        raise _not_a_forest(type(forest).__name__)
    _check_bootstrap(forest)
    return forest, rows


def out_of_bag_proba(teacher, X):
    """Class probabilities of each row of ``X`` from the trees that did not draw it.

    ``X`` must be the rows the forest was fitted on, in the same order (the
    trees' draws are indices into them).  Each row's probabilities are the mean
    of ``predict_proba`` over its out-of-bag trees, as scikit-learn's
    ``oob_decision_function_``; a row every tree drew (rare with many trees)
    keeps the whole forest's probabilities.
    """
    forest, rows = _forest_and_inputs(teacher, X)
    rows = _as_tree_rows(rows)
    n = rows.shape[0]
    draws = forest.estimators_samples_
    fitted_rows = forest_fitted_rows(forest)
    if (fitted_rows is not None and fitted_rows != n) or any(len(d) and d.max() >= n for d in draws):
        raise ValueError(
            f"Out-of-bag votes (out_of_bag=True, align_intercept='out-of-bag') read the forest's draws as indices "
            f"into X, but X has {n} rows and the forest was fitted on "
            f"{fitted_rows if fitted_rows is not None else 'more'}; "
            "pass the rows it was fitted on, in the same order, or use out_of_bag=False and align_intercept=True."
        )
    if not _fitted_on(forest, rows, draws):
        raise ValueError(
            f"The forest's trees were not grown on these {n} rows (their leaves hold other rows than the ones each "
            "tree drew from X): out-of-bag votes need the rows the forest was fitted on, in the same order. Pass "
            "those rows, or use out_of_bag=False and align_intercept=True."
        )
    return _out_of_bag_votes(forest, rows, draws)


def _as_tree_rows(rows):
    # the trees read what the forest hands them: float32 rows, CSR when sparse (a OneHotEncoder's
    # output), no feature names
    return check_array(rows, dtype=np.float32, accept_sparse="csr", ensure_all_finite=False)


def _out_of_bag_votes(forest, rows, draws):
    n = rows.shape[0]
    drew = np.zeros(n)
    for drawn in draws:
        drew[np.unique(drawn)] += 1
    counts = len(draws) - drew
    # A row every tree drew (rare with many trees) takes every tree's vote: the whole forest's
    # probabilities, summed in tree order as its predict_proba does.
    never = counts == 0
    totals = np.zeros((n, len(forest.classes_)))
    for tree, drawn in zip(forest.estimators_, draws):
        voters = np.ones(n, dtype=bool)
        voters[drawn] = False
        voters |= never
        if voters.any():
            totals[voters] += tree.predict_proba(rows[voters])
    return totals / np.where(never, len(draws), counts)[:, None]


# Trees whose leaves are checked against the rows they drew before a forest counts as fitted on X.
FINGERPRINT_TREES = 3


def _fitted_on(forest, rows, draws):
    """Whether the forest's first trees were grown on exactly the rows of ``rows`` they drew (the count checked).

    A fitted tree counts, in each leaf, the distinct training rows of nonzero
    weight that reached it (``n_node_samples``); the draws are indices into the
    forest's training rows.  When the draws, read as indices into ``rows``, put
    those same counts in every leaf of each checked tree, ``rows`` are the
    training rows in order (another set of rows of the same length would put
    other counts somewhere, with near certainty).  Where the draws may hold rows
    of zero weight that the tree left out (scikit-learn < 1.9), a leaf may
    receive more drawn rows than it counted, never fewer; with no such row the
    totals are equal, and "never fewer" is then "equal in every leaf".
    """
    exact = forest_draws_skip_zero_weight_rows(forest)
    for tree, drawn in list(zip(forest.estimators_, draws))[:FINGERPRINT_TREES]:
        structure = tree.tree_
        leaf = structure.children_left == -1
        reached = np.bincount(tree.apply(rows[np.unique(drawn)]), minlength=structure.node_count)[leaf]
        counted = structure.n_node_samples[leaf]
        if not (np.array_equal(reached, counted) if exact else np.all(reached >= counted)):
            return False
    return True
