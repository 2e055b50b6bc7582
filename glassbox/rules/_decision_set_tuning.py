"""Choosing the IDS objective weights, and which classes get rules, on held-out training rows.

The IDS objective is not accuracy: with the paper's balance of terms it often
settles on very small sets (a conflict costs as much as a correct cover earns),
and Lakkaraju et al. tuned its weights on validation data.  This module does
that cheaply.  The candidates are mined once, on all training rows.  The
training rows are split into stratified folds; each fold in turn is held out
by giving it zero weight (zero-weight rows take no part in the pool, the
objective or the rules' frequencies), every setting of a small grid is
optimized on the other rows and scored by its accuracy on the held-out ones.
A setting is a scaling of the user's weights and a choice of the classes that
get rules: every class (the paper's sets), or all but the most frequent one,
which is then left to the default (RIPPER's convention; for two classes the
correct-cover and incorrect-cover terms then add up to the accuracy gained
over predicting the majority, so minority rules no longer compete with the
majority's broad, easy rules).  The smallest set whose mean held-out accuracy
is within half a standard error of the best wins (Breiman's one-standard-error
rule, halved: in 3-fold CV on the benchmarks' training parts it was about as
accurate as taking the best, 0.1 points lower on average, with smaller sets on
5 of 13 datasets, e.g. 4.3 instead of 9 conditions on pima).  Only
training data is used; the caller refits on all training rows with it.

Within one fold the settings of a class choice share one candidate pool,
ranked by the user's weights, so each costs one optimization.
"""

import numpy as np
from sklearn.utils import check_random_state

from ._decision_set_objective import build_problem, optimize, with_lambdas
from ._decision_set_rules import candidate_pool, class_preference, conflict_order, likeliest_class
from .mining import bitset_from_mask, mask_from_bitset

#: Multipliers of the user's weights (f1..f7) tried by ``tune_weights=True``; the first is the user's own.
WEIGHT_GRID = np.array([
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],      # the weights as given
    [1.0, 1.0, 0.25, 0.1, 1.0, 1.0, 1.0],     # tolerate overlaps and conflicts
    [0.25, 0.25, 0.25, 0.1, 1.0, 1.0, 1.0],   # ... and cheaper rules: larger sets
    [1.0, 1.0, 0.25, 0.1, 1.0, 2.0, 1.0],     # tolerate conflicts, demand precise rules
    [0.25, 0.25, 0.0, 0.0, 1.0, 1.0, 1.0],    # accuracy-like: overlaps free, rules cheap
])
#: Validation folds (each row is held out once).
N_FOLDS = 2
#: Standard errors of held-out accuracy a smaller set may give up (0: the most accurate setting wins).
SLACK_SE = 0.5
#: With a single fold, the share of every class's training weight held out.
HOLDOUT = 0.25


def row_groups(bitsets, y, n_samples, weights=None):
    """Group ids of the rows: equal for rows with the same class and the same conditions.

    Ids follow the sorted content, not the row order, so a row given weight 2
    and the same row twice land in one fold alike (weights act as repetitions).
    The classes rank in the order they first appear among the rows of positive
    ``weights`` (default: all rows), not by their codes, so that renaming the
    labels (which reorders the codes) leaves the ids, hence the folds and the
    fitted set, unchanged, as does giving rows zero weight instead of dropping them.
    """
    # The rank of each row's (class, condition bits) in lexicographic order, refined by blocks of conditions:
    # a rank times 2**30 plus the next 30 bits ranks the longer prefix.  A few int64 per row, where unpacking
    # every condition and sorting the rows peaked at 10.4 MB more on 20,000 rows of 96 conditions (2.0 MB now),
    # growing with both.
    y = np.asarray(y)
    counted = np.ones(len(y), dtype=bool) if weights is None else np.asarray(weights) > 0
    codes = np.unique(y, return_inverse=True)[1].ravel()
    first_row = np.full(codes.max() + 1 if len(codes) else 0, len(y))
    rows = np.flatnonzero(counted)[::-1]
    first_row[codes[rows]] = rows  # the last write wins: each class's first counted row
    ids = np.argsort(np.argsort(first_row, kind="stable"), kind="stable")[codes].astype(np.int64)
    for start in range(0, len(bitsets), _BITS_PER_STEP):
        value = np.zeros(n_samples, dtype=np.int64)
        for row in mask_from_bitset(bitsets[start:start + _BITS_PER_STEP], n_samples):
            value = (value << 1) | row
        ids = np.unique((ids << _BITS_PER_STEP) | value, return_inverse=True)[1].ravel()
    return ids


#: Condition bits :func:`row_groups` adds to a row's rank at a time (rank * 2**30 fits in int64).
_BITS_PER_STEP = 30


def validation_folds(y, weights, n_folds, random_state, groups=None):
    """Boolean held-out masks, stratified by class over the positive-weight rows.

    Rows of one group (``groups``, default: every row its own; a group holds
    one class) share a fold.  One permutation of all groups is drawn; each
    class's groups are dealt to the folds in that order, the classes taken in
    the order their first group comes and the count running on from one class
    to the next (so small classes do not all land in fold 0).  Nothing depends
    on the class codes, so renaming the labels gives the same folds.
    ``n_folds=1`` gives one mask holding out :data:`HOLDOUT` of each class's
    groups (at least one of every class with two or more).  The classes are
    read from ``y``.
    """
    rng = check_random_state(random_state)
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    positive = weights > 0
    members, first = np.unique(groups[positive], return_index=True)
    member_class = np.asarray(y)[positive][first]
    shuffled = rng.permutation(len(members))
    members, member_class = members[shuffled], member_class[shuffled]
    classes, first_seen, counts = np.unique(member_class, return_index=True, return_counts=True)
    held_classes = classes[counts >= 2]  # a class of one group cannot be held out and also fitted
    folds = np.zeros((n_folds, len(y)), dtype=bool)
    position = 0
    for k in classes[np.argsort(first_seen)]:
        if k not in held_classes:
            continue
        mine = members[member_class == k]
        if n_folds == 1:
            held = mine[: max(1, int(round(HOLDOUT * len(mine))))]
            folds[0] |= np.isin(groups, held) & positive
            continue
        fold_of = (position + np.arange(len(mine))) % n_folds
        position += len(mine)
        for f in range(n_folds):
            folds[f] |= np.isin(groups, mine[fold_of == f]) & positive
    return [held for held in folds if held.any() and not held[positive].all()]


def predict_codes(pool, chosen, fit_weights, y, n_classes, n_samples):
    """Class codes the set ``chosen`` predicts for every training row (first covering rule
    in conflict order, else the fit rows' default), as the estimator would."""
    counts = pool.class_weights[chosen]
    support = counts.sum(axis=1)
    precision = counts[np.arange(len(chosen)), pool.rule_class[chosen]] / np.maximum(support, 1e-300)
    chosen = chosen[conflict_order(precision, support, pool.length[chosen], pool.text(chosen))]
    covered = mask_from_bitset(pool.coverage[chosen], n_samples) if len(chosen) else np.zeros((0, n_samples), bool)
    uncovered = ~covered.any(axis=0)
    default_rows = uncovered if np.any(fit_weights[uncovered] > 0) else np.ones(n_samples, dtype=bool)
    default_counts = np.bincount(y[default_rows], weights=fit_weights[default_rows], minlength=n_classes)
    # Ties (common on the few rows no rule covers) go as the estimator's default settles them, never to the lower
    # code, which renaming the labels changes.
    default = likeliest_class(default_counts, class_preference(y, fit_weights, n_classes))
    predicted = np.full(n_samples, default, dtype=np.intp)
    if len(chosen):
        first = np.argmax(covered, axis=0)
        predicted[~uncovered] = pool.rule_class[chosen][first[~uncovered]]
    return predicted


def _held_out_counts(mined, y, weights, folds, n_classes):
    """Per fold, the class weights each candidate covers among its held-out rows: one scan
    of the coverage for all folds (row classes ``y + n_classes * fold``)."""
    fold_of = np.zeros(len(y), dtype=np.intp)
    for f, held in enumerate(folds):
        fold_of[held] = f
    counts = mined.class_counts(y + n_classes * fold_of, weights, n_classes * len(folds))
    return [counts[:, f * n_classes : (f + 1) * n_classes] for f in range(len(folds))]


def _fold_scores(mined, generator, y, weights, held, counts, n_classes, link, lambdas, options, *, pool_kwargs,
                 optimize_kwargs, n_threads, majority_weights, progress=None):
    """Held-out accuracy and total conditions of every setting, fitted without the rows ``held``
    (``counts``: each candidate's class weights on the other rows)."""
    n_samples = len(y)
    fit_weights = np.where(held, 0.0, weights)
    fit_majority_weights = np.where(held, 0.0, majority_weights)
    fit_rows = np.flatnonzero(~held)
    accuracy, size = [], []
    for rule_classes in options:
        pool = candidate_pool(mined, generator, y, fit_weights, n_classes, link, lambdas, counts=counts,
                              rule_classes=rule_classes, majority_weights=fit_majority_weights, **pool_kwargs)
        base = None
        if len(pool.index):
            # The objective on the fit rows only: repacked, equal weights keep the kernels' popcount path.
            fit_cover = rows_subset(pool.coverage, fit_rows, n_samples)
            base = build_problem(fit_cover, y[fit_rows], weights[fit_rows], pool.rule_class, pool.length, lambdas,
                                 n_classes, n_threads)
        for factors in WEIGHT_GRID:
            chosen = np.zeros(0, dtype=np.intp)
            if base is not None:
                chosen = optimize(with_lambdas(base, lambdas * factors), n_threads=n_threads, **optimize_kwargs).selected
            predicted = predict_codes(pool, chosen, fit_weights, y, n_classes, n_samples)
            accuracy.append(float(np.sum(weights[held] * (predicted[held] == y[held])) / np.sum(weights[held])))
            size.append(int(pool.length[chosen].sum()))
            if progress:
                progress.say(f"setting {len(accuracy)}/{len(options) * len(WEIGHT_GRID)} (rule_classes="
                             f"{rule_classes!r}): held-out accuracy {accuracy[-1]:.4f}, {size[-1]} conditions",
                             level=2)
    return np.array(accuracy), np.array(size)


def rows_subset(bits, rows, n_samples, block=64):
    """The bitsets of ``bits`` restricted to the sample positions ``rows``, repacked.

    Unpacked a ``block`` of bitsets at a time: all at once, a pool of 1,000
    rules on 500,000 rows unpacks to 0.5 GB of booleans, and its subset to as
    much again.
    """
    out = np.zeros((len(bits), (len(rows) + 63) // 64), dtype=np.uint64)
    for start in range(0, len(bits), block):
        out[start:start + block] = bitset_from_mask(mask_from_bitset(bits[start:start + block], n_samples)[:, rows])
    return out


def accuracy_floor(accuracy, weights):
    """Least held-out accuracy a setting needs to be chosen: the best minus :data:`SLACK_SE`
    standard errors (binomial; every positive-weight row is held out once).  A
    difference smaller than that is noise, and the smaller set is the better
    explanation.  The rows are counted with weights read as repetitions in units
    of the smallest positive weight, so that weight 2 counts as two rows and the
    scale of the weights does not matter."""
    used = weights[weights > 0]
    n_effective = used.sum() / used.min()
    best = float(np.max(accuracy))
    return best - SLACK_SE * np.sqrt(best * (1 - best) / n_effective) - 1e-10


def choose_setting(mined, generator, y, weights, n_classes, link, lambdas, options, *, pool_kwargs, optimize_kwargs,
                   n_threads, random_state, groups=None, counts=None, majority_weights=None, progress=None):
    """The weight scaling (a :data:`WEIGHT_GRID` row times ``lambdas``) and class choice (one of
    ``options``) of the smallest set (mean total conditions; ties: the more
    accurate, then the earlier setting) whose mean held-out accuracy over
    :data:`N_FOLDS` folds reaches :func:`accuracy_floor`.

    Rows of one ``groups`` id share a fold (see :func:`row_groups`); ``counts``
    may hold ``mined.class_counts(y, weights, n_classes)``;
    ``majority_weights`` decide the most frequent class (see :func:`candidate_pool`).
    ``progress`` (a :class:`~glassbox.utils._progress.Progress`, optional)
    says each fold's end.  Returns ``(lambdas, rule_classes, table, chosen)`` where ``table`` lists, per
    setting, its weights, class choice, mean validation accuracy and mean
    total conditions, and ``chosen`` is the index of the returned setting in
    it.  Without usable folds (a class of one row), returns the user's
    weights and the first option with an empty table and ``chosen=None``.
    """
    folds = validation_folds(y, weights, N_FOLDS, random_state, groups)
    if not folds:
        return lambdas, options[0], [], None
    accuracy = np.zeros(len(options) * len(WEIGHT_GRID))
    size = np.zeros(len(accuracy))
    if counts is None:
        counts = mined.class_counts(y, weights, n_classes)
    held_counts = _held_out_counts(mined, y, weights, folds, n_classes)
    for f, (held, held_out) in enumerate(zip(folds, held_counts)):
        fold_accuracy, fold_size = _fold_scores(
            mined, generator, y, weights, held, np.maximum(counts - held_out, 0.0), n_classes, link, lambdas,
            options, pool_kwargs=pool_kwargs, optimize_kwargs=optimize_kwargs, n_threads=n_threads,
            majority_weights=weights if majority_weights is None else majority_weights, progress=progress,
        )
        accuracy += fold_accuracy / len(folds)
        size += fold_size / len(folds)
        if progress:
            progress.say(f"weight search fold {f + 1}/{len(folds)}: {len(fold_accuracy)} settings optimized, "
                         f"best held-out accuracy {fold_accuracy.max():.4f}")
    settings = [(rule_classes, lambdas * factors) for rule_classes in options for factors in WEIGHT_GRID]
    table = [{"weights": trial, "rule_classes": rule_classes, "validation_accuracy": float(a), "conditions": float(s)}
             for (rule_classes, trial), a, s in zip(settings, accuracy, size)]
    eligible = np.flatnonzero(accuracy >= accuracy_floor(accuracy, weights))
    best = min(eligible, key=lambda i: (size[i], -round(accuracy[i], 10), i))
    return settings[best][1], settings[best][0], table, int(best)
