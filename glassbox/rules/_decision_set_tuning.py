"""Choosing the IDS objective weights by accuracy on held-out training rows.

The IDS objective is not accuracy: with the paper's balance of terms it often
settles on very small sets (a conflict costs as much as a correct cover earns),
and Lakkaraju et al. tuned its weights on validation data.  This module does
that cheaply.  The candidates are mined once, on all training rows; a
stratified quarter of the training rows is held out by giving it zero weight
(zero-weight rows take no part in the pool, the objective or the rules'
frequencies), each setting of a small grid of weight scalings is optimized on
the rest, and the setting whose set predicts the held-out rows best (ties: the
fewer conditions, then the earlier setting) is returned.  Only training data
is used; the caller then refits on all training rows with the chosen weights.
"""

import numpy as np
from sklearn.utils import check_random_state

from ._decision_set_objective import build_problem, optimize
from ._decision_set_rules import candidate_pool, conflict_order
from .mining import bitset_from_mask, mask_from_bitset

#: Multipliers of the user's weights (f1..f7) tried by ``tune_weights=True``; the first is the user's own.
WEIGHT_GRID = np.array([
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],      # the weights as given
    [1.0, 1.0, 0.25, 0.1, 1.0, 1.0, 1.0],     # tolerate overlaps and conflicts
    [0.25, 0.25, 0.25, 0.1, 1.0, 1.0, 1.0],   # ... and cheaper rules: larger sets
    [1.0, 1.0, 0.25, 0.1, 1.0, 2.0, 1.0],     # tolerate conflicts, demand precise rules
    [0.25, 0.25, 0.0, 0.0, 1.0, 1.0, 1.0],    # accuracy-like: overlaps free, rules cheap
])
#: Share of every class's training weight held out for validation.
HOLDOUT = 0.25


def holdout_mask(y, weights, n_classes, random_state):
    """Stratified validation rows: ``HOLDOUT`` of each class's positive-weight rows (at least one)."""
    rng = check_random_state(random_state)
    held = np.zeros(len(y), dtype=bool)
    for k in range(n_classes):
        rows = np.flatnonzero((y == k) & (weights > 0))
        if len(rows) >= 2:
            held[rng.choice(rows, size=max(1, int(round(HOLDOUT * len(rows)))), replace=False)] = True
    return held


def predict_codes(pool, chosen, fit_weights, y, n_classes, n_samples):
    """Class codes the set ``chosen`` predicts for every training row (first covering rule
    in conflict order, else the fit rows' default), as the estimator would."""
    counts = pool.class_weights[chosen]
    support = counts.sum(axis=1)
    precision = counts[np.arange(len(chosen)), pool.rule_class[chosen]] / np.maximum(support, 1e-300)
    chosen = chosen[conflict_order(precision, support, pool.length[chosen], [pool.text[c] for c in chosen])]
    covered = mask_from_bitset(pool.coverage[chosen], n_samples) if len(chosen) else np.zeros((0, n_samples), bool)
    uncovered = ~covered.any(axis=0)
    default_rows = uncovered if np.any(fit_weights[uncovered] > 0) else np.ones(n_samples, dtype=bool)
    default = int(np.argmax(np.bincount(y[default_rows], weights=fit_weights[default_rows], minlength=n_classes)))
    predicted = np.full(n_samples, default, dtype=np.intp)
    if len(chosen):
        first = np.argmax(covered, axis=0)
        predicted[~uncovered] = pool.rule_class[chosen][first[~uncovered]]
    return predicted


def choose_weights(mined, generator, y, weights, n_classes, link, lambdas, *, pool_kwargs, optimize_kwargs,
                   n_threads, random_state):
    """Scale ``lambdas`` by the :data:`WEIGHT_GRID` row that predicts held-out training rows best.

    Returns ``(lambdas, table)`` where ``table`` lists, per grid row, the
    validation accuracy and total conditions.
    """
    n_samples = len(y)
    held = holdout_mask(y, weights, n_classes, random_state)
    if not held.any() or held.all():
        return lambdas, []
    fit_weights = np.where(held, 0.0, weights)
    fit_rows = np.flatnonzero(~held)
    table, best = [], None
    for factors in WEIGHT_GRID:
        trial = lambdas * factors
        pool = candidate_pool(mined, generator, y, fit_weights, n_classes, link, trial, **pool_kwargs)
        if len(pool.items) == 0:
            return lambdas, []
        # The objective on the fit rows only: repacked, equal weights keep the kernels' popcount path.
        fit_cover = bitset_from_mask(mask_from_bitset(pool.coverage, n_samples)[:, fit_rows])
        problem = build_problem(fit_cover, y[fit_rows], weights[fit_rows], pool.rule_class, pool.length, trial,
                                n_classes, n_threads)
        chosen = optimize(problem, n_threads=n_threads, **optimize_kwargs).selected
        predicted = predict_codes(pool, chosen, fit_weights, y, n_classes, n_samples)
        accuracy = float(np.sum(weights[held] * (predicted[held] == y[held])) / np.sum(weights[held]))
        size = int(pool.length[chosen].sum())
        table.append({"weights": trial, "validation_accuracy": accuracy, "conditions": size})
        if best is None or accuracy > best[0] + 1e-12 or (abs(accuracy - best[0]) <= 1e-12 and size < best[1]):
            best = (accuracy, size, trial)
    return best[2], table
