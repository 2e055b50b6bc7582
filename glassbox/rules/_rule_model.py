"""Plumbing shared by rule models that read raw features through condition bitsets.

A rule model validates its input once, turns it into readable conditions with a
:class:`~glassbox.utils.ConditionGenerator`, and decides each row by exactly one
rule (or the default), which carries the whole decision function.  These
helpers hold that plumbing so each model keeps only what is its own.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..utils.conditions import ConditionGenerator
from ..utils.tabular import validate_tabular
from .mining import bitset_from_mask, class_counts, coverage_of, mask_from_bitset


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


def rule_bitsets(estimator, X, rule_items):
    """Coverage bitsets ``(n_rules, n_words)`` of the rules on the rows of ``X``, and the validated table.

    ``rule_items`` holds each rule's condition indices into the estimator's
    ``condition_generator_``.
    """
    check_is_fitted(estimator)
    table = validate_tabular(estimator, X, reset=False)
    generator = estimator.condition_generator_
    bitsets = generator.bitsets_from_codes(generator.binner_._transform_table(table))
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
