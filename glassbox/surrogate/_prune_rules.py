"""Backward elimination of a distilled rule list's rules for agreement with the teacher.

A Bayesian rule list's posterior favours pure rules, so a long list distilled
from a teacher's labels spends many rules on regions already of the default's
class: they change no prediction, while a tree of as many leaves spends its
leaves on the teacher's boundary.  Removing such a rule lowers the complexity
and can even raise agreement: its rows fall to later rules, whose class
probabilities are re-estimated from the rows they then decide.

Everything runs on coverage bitsets of the training rows.  For the current list
of ``m`` rules, the rows each rule decides are ``D_j``; removing rule ``j``
moves ``D_j`` to the next kept rule covering each row (or the default).  The
moved parts of every ``D_j`` are built together, one AND/ANDNOT sweep over the
``m`` rules of an ``(m, n_words)`` array, and one weighted class count of the
``m * (m + 1)`` parts gives every candidate list's class weights: a step costs
``O(m^2 * n_words)`` word operations plus one pass over the rows.
"""

import copy

import numpy as np

from ..rules._rule_model import decided_bitsets, list_class_counts
from ..rules.mining import bitset_from_mask, class_counts


def rule_list_agreement(counts, alpha):
    """Weight of the rows whose deciding rule predicts their label, from each rule's class weights.

    A rule predicts the class of highest posterior mean ``alpha + counts``
    (the first of ties, like ``argmax`` of ``predict_proba``).  ``counts`` is
    ``(..., n_rules + 1, n_classes)``; returns the sum over rules.
    """
    predicted = np.argmax(counts + alpha, axis=-1)
    return np.take_along_axis(counts, predicted[..., None], axis=-1)[..., 0].sum(axis=-1)


def _moved_parts(coverage, decided):
    """``moved[j, k]``: rows rule ``j`` decides that rule ``k > j`` (or the default, ``k = m``) gets without it."""
    m, n_words = coverage.shape
    moved = np.zeros((m, m + 1, n_words), dtype=np.uint64)
    pending = np.zeros((m, n_words), dtype=np.uint64)  # row j: rows of D_j no later rule took yet
    for k in range(m):
        moved[:k, k] = pending[:k] & coverage[k]
        pending[:k] &= ~coverage[k]
        pending[k] = decided[k]
    moved[:, m] = pending
    return moved


def removal_agreements(coverage, y, weights, alpha, n_samples):
    """Agreement of the list without each one of its rules: ``(m,)``, and of the list itself.

    ``coverage`` holds the rules' training coverage bitsets ``(m, n_words)`` in
    list order, ``y`` the class index of each row.
    """
    m = len(coverage)
    n_classes = len(alpha)
    decided = decided_bitsets(coverage, n_samples)
    counts = class_counts(decided, y, weights, n_classes)
    current = float(rule_list_agreement(counts, alpha))
    if m == 0:
        return np.zeros(0), current
    moved = class_counts(_moved_parts(coverage, decided).reshape(m * (m + 1), -1), y, weights, n_classes)
    candidates = counts[None] + moved.reshape(m, m + 1, n_classes)  # candidate j: the list without rule j
    candidates[np.arange(m), np.arange(m)] = 0.0  # rule j decides nothing there: it adds no agreement
    return rule_list_agreement(candidates, alpha), current


def backward_eliminate(coverage, y, weights, alpha, n_samples):
    """Positions of the rules kept by backward elimination (agreement never falls; ties: remove).

    Each step removes the rule whose removal leaves the highest agreement (the
    last such rule of ties, so the most specific exceptions go first), while that
    agreement is at least the current one.
    """
    kept = np.arange(len(coverage))
    while len(kept):
        agreements, current = removal_agreements(coverage[kept], y, weights, alpha, n_samples)
        best = len(agreements) - 1 - int(np.argmax(agreements[::-1]))
        if agreements[best] < current - 1e-9 * max(1.0, abs(current)):
            break
        kept = np.delete(kept, best)
    return kept


def prune_rule_list(student, X, labels, weights):
    """Drop the rules of a fitted rule list whose removal keeps (or raises) its agreement with ``labels``.

    ``student`` needs ``coverage(X)`` and ``keep_rules(indices, X, y,
    sample_weight)`` (:class:`~glassbox.BayesianRuleListClassifier`).  The
    estimate runs on the class weights; a student fitted to other rows or
    labels (its rules' class weights differ from these) is left as it is.  The pruned student's labels are then
    checked against the teacher's, and the original list is returned if its
    agreement fell (floating-point ties of two classes could differ).
    """
    weights = np.asarray(weights, dtype=np.float64)
    labels = np.asarray(labels)
    classes = np.asarray(student.classes_)
    codes = np.searchsorted(classes, labels)
    if weights.sum() <= 0 or np.any(codes >= len(classes)) or np.any(classes[codes] != labels):
        return student  # labels outside the student's classes: nothing to re-estimate from
    covered = student.coverage(X)
    n_samples = len(labels)
    coverage = bitset_from_mask(covered.T) if covered.shape[1] else np.zeros((0, (n_samples + 63) // 64), np.uint64)
    alpha = np.broadcast_to(np.asarray(student.alpha, dtype=np.float64), (len(classes),))
    fitted_counts = list_class_counts(coverage, n_samples, codes, weights, len(classes))
    if not np.allclose(fitted_counts, student.rule_class_weights_, rtol=1e-9, atol=1e-9 * weights.sum()):
        # The student learnt other rows (e.g. soft labels): re-estimating its rules from these
        # labels would replace what it learnt, not only drop rules.
        return student
    kept = backward_eliminate(coverage, codes, weights, alpha, n_samples)
    if len(kept) == covered.shape[1]:
        return student
    before = (student.predict(X) == labels) @ weights
    pruned = copy.copy(student).keep_rules(kept, X, labels, sample_weight=weights)
    return pruned if (pruned.predict(X) == labels) @ weights >= before else student
