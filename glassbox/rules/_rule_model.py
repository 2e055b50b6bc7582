"""Plumbing shared by rule models that read raw features through condition bitsets.

A rule model validates its input once, turns it into readable conditions with a
:class:`~glassbox.utils.ConditionGenerator`, and decides each row by exactly one
rule (or the default), which carries the whole decision function.  These
helpers hold that plumbing so each model keeps only what is its own.
"""

import warnings

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..explain.decision_path import COVERS, FAILED_REASONS, NOT_CHECKED, DecisionPath
from ..explain._untrained import UNTRAINED_VALUE_EFFECT, training_values_of, warn_untrained_codes
from ..utils.binning import user_stacklevel
from ..utils.conditions import ConditionGenerator
from ..utils.tabular import validate_tabular
from .mining import bitset_from_mask, class_counts, coverage_of, mask_from_bitset


#: ``sample_weight`` summing to less than this share of its positive entries' count draws a warning.
#: Count-like weights (repeats, class or inverse-probability weights) average 1 or more per row;
#: weights normalised to sum 1 average 1 / n.  Below a mean of 0.1, each pseudo-count of the
#: prior or smoothing weighs as much as ten or more average rows, so a rule deciding a few dozen
#: rows reports probabilities pulled far towards equal classes.
LOW_WEIGHT_SHARE = 0.1


def warn_if_weights_read_as_few_counts(weights, pseudo_counts, prior):
    """Warn when ``sample_weight`` is far below one per row: the weights are counts to a rule model.

    A rule's probabilities are ``(weight of class k + pseudo-count) / (weight + pseudo-counts)``, so
    rescaling all weights changes them.  That is the model's reading (an integer weight repeats the
    row), so nothing is rescaled: the warning says how to rescale relative weights.
    ``pseudo_counts`` is the total per rule (``sum(alpha)``, ``n_classes * smoothing``), ``prior``
    names it for the message.
    """
    positive = weights > 0
    n_positive, total = int(positive.sum()), float(weights.sum())
    if n_positive == 0 or total >= LOW_WEIGHT_SHARE * n_positive * (1.0 - 1e-12):  # (a sum's rounding)
        return
    warnings.warn(
        f"sample_weight sums to {total:.3g} over {n_positive} rows of positive weight: the weights are read as "
        f"counts (a weight of 2 counts a row twice), so {prior} (pseudo-counts {pseudo_counts:.3g} per rule) "
        f"weighs as much as {pseudo_counts * n_positive / total:.4g} average rows and pulls every rule's "
        "probabilities towards equal classes. If the weights are relative (e.g. normalised to sum to 1), "
        f"multiply them by n / sum(w) = {n_positive / total:.4g} (n: the rows of positive weight) before fitting.",
        UserWarning, stacklevel=user_stacklevel(),
    )


def fit_condition_bitsets(estimator, table, weights):
    """Fit ``estimator.condition_generator_`` on ``table``; return the training rows' condition bitsets.

    Reads ``max_thresholds``, ``max_categories`` and ``n_jobs`` from the
    estimator; categories unseen in training satisfy no ``==`` condition.
    """
    generator = ConditionGenerator(
        max_thresholds=estimator.max_thresholds,
        categorical_features=table.is_categorical,
        max_categories=estimator.max_categories,
        handle_unknown="ignore",
        n_jobs=estimator.n_jobs,
    )
    generator.feature_names_in_ = getattr(estimator, "feature_names_in_", None)
    generator._fit_table(table, weights)
    estimator.condition_generator_ = generator
    return generator.bitsets_from_codes(generator.binner_._transform_table(table))


def prediction_codes(estimator, X, rule_items, warn=True, effect=UNTRAINED_VALUE_EFFECT):
    """The validated table of ``X`` and its bin codes; warns of values the rules' features never had in training.

    A missing value in a feature never missing in training, or a category not
    seen in training, satisfies no condition on its feature, so every rule
    testing that feature fails on it: one ``UserWarning`` per feature the rules
    test (the GAM's wording; ``effect`` says what such rows get), none for features no rule reads.
    """
    check_is_fitted(estimator)
    table = validate_tabular(estimator, X, reset=False)
    generator = estimator.condition_generator_
    codes = generator.binner_._transform_table(table)
    if warn:
        binner = generator.binner_
        warn_untrained_codes(binner, table, codes, _rule_features(generator, rule_items), binner.has_missing_, effect)
    return table, codes


def _rule_features(generator, rule_items):
    """Indices of the features the rules' conditions read, in feature order."""
    return sorted({int(generator.condition_feature_[c]) for items in rule_items for c in items})


def training_values(estimator, rule_items):
    """:class:`~glassbox.explain._untrained.TrainingValues` of each feature the rules read, for the explanation.

    The saved explanation then warns of missing values and unseen categories
    exactly where :func:`prediction_codes` does.
    """
    generator = estimator.condition_generator_
    binner = generator.binner_
    return training_values_of(binner, _rule_features(generator, rule_items), binner.has_missing_)


def rule_bitsets(estimator, X, rule_items):
    """Coverage bitsets ``(n_rules, n_words)`` of the rules on the rows of ``X``, and the validated table.

    ``rule_items`` holds each rule's condition indices into the estimator's
    ``condition_generator_``.
    """
    table, codes = prediction_codes(estimator, X, rule_items)
    generator = estimator.condition_generator_
    bitsets = generator.bitsets_from_codes(codes)
    if not rule_items:
        return np.zeros((0, bitsets.shape[1]), dtype=np.uint64), table
    return coverage_of(bitsets, rule_items), table


def covering_rules(estimator, X, rule_items):
    """Which rules cover each row of ``X``: bool ``(n_samples, n_rules)`` (no display rows)."""
    bits, table = rule_bitsets(estimator, X, rule_items)
    if not rule_items:
        return np.zeros((table.n_samples, 0), dtype=bool), table
    return mask_from_bitset(bits, table.n_samples).T, table


def rule_coverage(estimator, X, rule_items):
    """Which rules cover each row of ``X``: ``(bool (n_samples, n_rules), raw rows)``."""
    covered, table = covering_rules(estimator, X, rule_items)
    return covered, table.rows_as_objects()


def fired_rule_decision(estimator, X, rule_items, scores, base_value, scale=None):
    """The decision function of a model decided by its first covering rule, without the rows x rules table.

    Bit for bit ``base_value + one_hot_contributions(...).sum(axis=1)``: a row's
    contributions are its deciding rule's scores and zeros, and adding zeros
    changes no value (a -0.0 score becomes +0.0 either way, as the base is +0.0).
    """
    decider = first_covering_rule(covering_rules(estimator, X, rule_items)[0])
    scores = np.asarray(scores, dtype=np.float64)
    if scale is None:
        return base_value + scores[decider]
    return base_value * scale + scores[decider] * scale


def decided_bitsets(rule_bitsets, n_samples):
    """Bitsets of the rows each rule of a list decides (the first rule covering them).

    ``rule_bitsets`` holds the rules' coverage in list order; the default
    rule's row (the rows no rule covers) comes last: ``(n_rules + 1, n_words)``.
    """
    remaining = bitset_from_mask(np.ones(n_samples, dtype=bool))[0]  # no padding bits: they would count
    decided = np.empty((len(rule_bitsets) + 1, len(remaining)), dtype=np.uint64)
    for j, coverage in enumerate(rule_bitsets):
        decided[j] = coverage & remaining
        remaining &= ~coverage
    decided[-1] = remaining
    return decided


def list_class_counts(rule_bitsets, n_samples, y, sample_weight, n_classes):
    """Class weights of the rows each rule of a list decides, the default last: ``(n_rules + 1, n_classes)``.

    ``sample_weight=None`` counts rows.
    """
    return class_counts(decided_bitsets(rule_bitsets, n_samples), y, sample_weight, n_classes)


def first_covering_rule(covered):
    """Index of the first rule covering each row (``n_rules`` when none does)."""
    if covered.shape[1] == 0:
        return np.zeros(covered.shape[0], dtype=np.intp)
    return np.where(covered.any(axis=1), np.argmax(covered, axis=1), covered.shape[1])


def one_hot_contributions(decider, scores):
    """Contributions ``(n_samples, n_rules + 1[, n_classes])``: the deciding rule's scores, zeros elsewhere.

    ``scores`` has one row per rule, the default last.
    """
    out = np.zeros((len(decider),) + scores.shape)
    out[np.arange(len(decider)), decider] = scores[decider]
    return out


def decision_path(estimator, X, rule_items, rules, kind):
    """The :class:`~glassbox.explain.DecisionPath` of the rows of ``X`` (no warnings: prediction gave them).

    Evaluates each rule's conditions on the bin codes as the compiled kernels do
    (``lo <= code < hi`` on the condition's feature), so the rule that fires is
    the one that decides ``predict``.  ``kind`` is ``"list"`` or ``"set"``.
    """
    table, codes = prediction_codes(estimator, X, rule_items, warn=False)
    generator = estimator.condition_generator_
    n_rows, n_rules = table.n_samples, len(rule_items)
    failed = np.full((n_rows, n_rules), COVERS, dtype=np.int8)
    reasons = np.zeros((n_rows, n_rules), dtype=np.int8)
    bins = generator.binner_.bins_
    for i, items in enumerate(rule_items):
        first_false = failed[:, i]
        for k in reversed(range(len(items))):  # the last write wins: the first condition that fails
            c = items[k]
            column = codes[:, generator.condition_feature_[c]]
            first_false[(column < generator._lo[c]) | (column >= generator._hi[c])] = k
        for k, c in enumerate(items):
            here = first_false == k
            feature_bins = bins[generator.condition_feature_[c]]
            column = codes[here, generator.condition_feature_[c]]
            reasons[here, i] = np.where(
                column == feature_bins.missing_bin, FAILED_REASONS.index("missing"),
                np.where(column == feature_bins.unseen_bin, FAILED_REASONS.index("unseen"), 0),
            )
    fired = first_covering_rule(failed == COVERS)
    if kind == "list":
        failed[np.arange(n_rules)[None, :] > fired[:, None]] = NOT_CHECKED
        reasons[failed == NOT_CHECKED] = 0
    return DecisionPath(kind=kind, rules=rules, fired=fired, failed=failed, reasons=reasons)
