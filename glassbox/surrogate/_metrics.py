"""Fidelity figures: how closely a student's outputs follow a teacher's.

Every function takes the teacher's output as the reference (the "truth") and
the student's as the estimate, and is simple enough to check by hand.
"""

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score


def _row_weights(weights, values):
    """Weights broadcast over a (n_rows, ...) array: ones when ``weights`` is None."""
    values = np.asarray(values)
    w = np.ones(len(values)) if weights is None else np.asarray(weights, dtype=np.float64)
    return w.reshape((-1,) + (1,) * (values.ndim - 1)) * np.ones_like(values, dtype=np.float64)


def r2(reference, estimate, weights=None):
    """Coefficient of determination of ``estimate`` against ``reference``.

    Multi-column input is pooled after centring each column on its own mean:
    ``1 - sum_k sum_i (r_ik - e_ik)^2 / sum_k sum_i (r_ik - mean_k)^2``, which
    is scikit-learn's ``r2_score(reference, estimate,
    multioutput="variance_weighted")`` (the per-column R² of
    :func:`r2_per_column` averaged with the columns' variances as weights), so
    the figure says how much of the reference's variation the estimate
    reproduces.  ``weights``: row weights (a weight counts as copies of the
    row).  ``None`` when the reference is constant.
    """
    reference = np.asarray(reference, dtype=np.float64)
    estimate = np.asarray(estimate, dtype=np.float64)
    if weights is None:
        residual = np.sum((reference - estimate) ** 2)
        total = np.sum((reference - reference.mean(axis=0)) ** 2)
    else:
        w = _row_weights(weights, reference)
        residual = np.sum(w * (reference - estimate) ** 2)
        total = np.sum(w * (reference - np.average(reference, axis=0, weights=w)) ** 2)
    if total <= 0:
        return None
    return float(1.0 - residual / total)


def r2_per_column(reference, estimate, weights=None):
    """:func:`r2` of each column on its own (``None`` for a column the reference holds constant)."""
    reference = np.asarray(reference, dtype=np.float64)
    estimate = np.asarray(estimate, dtype=np.float64)
    return [r2(reference[:, k], estimate[:, k], weights) for k in range(reference.shape[1])]


def mean_abs_difference(reference, estimate, weights=None):
    difference = np.abs(np.asarray(reference, dtype=np.float64) - np.asarray(estimate, dtype=np.float64))
    return float(np.mean(difference) if weights is None else np.average(difference, weights=_row_weights(weights, difference)))


def weighted_ranks(values, weights):
    """Mid-ranks of ``values`` when each row counts ``weights`` times (ties share their average rank)."""
    order = np.argsort(values, kind="stable")
    sorted_values, sorted_weights = values[order], weights[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    group_weight = np.add.reduceat(sorted_weights, starts)
    before = np.cumsum(group_weight) - group_weight
    group_rank = before + (group_weight + 1.0) / 2.0
    ranks = np.empty(len(values))
    ranks[order] = np.repeat(group_rank, np.diff(np.r_[starts, len(values)]))
    return ranks


def _weighted_correlation(a, b, w):
    a, b = a - np.average(a, weights=w), b - np.average(b, weights=w)
    return float(np.sum(w * a * b) / np.sqrt(np.sum(w * a * a) * np.sum(w * b * b)))


def spearman(reference, estimate, weights=None):
    """Spearman rank correlation (mean over columns for multi-column input).

    With ``weights``, the rank correlation of the data in which each row
    counts as that many copies (mid-ranks of the weighted rows, correlated
    with the same weights); rows of weight zero are left out.
    """
    reference = np.asarray(reference, dtype=np.float64).reshape(len(reference), -1)
    estimate = np.asarray(estimate, dtype=np.float64).reshape(len(estimate), -1)
    if weights is not None:
        kept = np.asarray(weights) > 0
        reference, estimate, weights = reference[kept], estimate[kept], np.asarray(weights, dtype=np.float64)[kept]
    values = []
    for k in range(reference.shape[1]):
        if np.ptp(reference[:, k]) == 0 or np.ptp(estimate[:, k]) == 0:
            continue
        if weights is None:
            values.append(spearmanr(reference[:, k], estimate[:, k]).statistic)
        else:
            values.append(_weighted_correlation(weighted_ranks(reference[:, k], weights),
                                                weighted_ranks(estimate[:, k], weights), weights))
    return float(np.mean(values)) if values else None


def per_class_agreement(teacher_labels, student_labels, classes, weights=None):
    """``[(class, n_rows, agreement), ...]`` over the classes the teacher predicts (on rows of positive weight).

    ``n_rows`` counts rows; with ``weights`` the agreement is weighted.
    """
    rows = []
    w = np.ones(len(teacher_labels)) if weights is None else np.asarray(weights, dtype=np.float64)
    for c in classes:
        mine = (teacher_labels == c) & (w > 0)
        if mine.any():
            agree = student_labels[mine] == c
            share = np.mean(agree) if weights is None else np.average(agree, weights=w[mine])
            rows.append((c, int(mine.sum()), float(share)))
    return rows


def rank_auc(teacher_labels, student_score, classes, weights=None):
    """AUC of the student's score for the teacher's labels.

    Binary: the student's score for the second class against "the teacher
    says the second class".  Multiclass: macro average of one-vs-rest AUCs of
    the student's per-class scores.  ``None`` unless the teacher predicts at
    least two classes.
    """
    if weights is not None:
        kept = np.asarray(weights) > 0
        teacher_labels, weights = teacher_labels[kept], np.asarray(weights, dtype=np.float64)[kept]
        student_score = None if student_score is None else np.asarray(student_score)[kept]
    if student_score is None or len(np.unique(teacher_labels)) < 2:
        return None
    if np.ndim(student_score) == 1:
        return float(roc_auc_score(teacher_labels == classes[1], student_score, sample_weight=weights))
    aucs = [
        roc_auc_score(teacher_labels == c, student_score[:, k], sample_weight=weights)
        for k, c in enumerate(classes)
        if 0 < np.sum(teacher_labels == c) < len(teacher_labels)
    ]
    return float(np.mean(aucs))
