"""Fidelity figures: how closely a student's outputs follow a teacher's.

Every function takes the teacher's output as the reference (the "truth") and
the student's as the estimate, and is simple enough to check by hand.
"""

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score


def r2(reference, estimate):
    """Coefficient of determination of ``estimate`` against ``reference``.

    Multi-column input is pooled after centring each column on its own mean,
    so the figure says how much of the reference's variation the estimate
    reproduces.  ``None`` when the reference is constant.
    """
    reference = np.asarray(reference, dtype=np.float64)
    estimate = np.asarray(estimate, dtype=np.float64)
    residual = np.sum((reference - estimate) ** 2)
    total = np.sum((reference - reference.mean(axis=0)) ** 2)
    if total <= 0:
        return None
    return float(1.0 - residual / total)


def mean_abs_difference(reference, estimate):
    return float(np.mean(np.abs(np.asarray(reference, dtype=np.float64) - np.asarray(estimate, dtype=np.float64))))


def spearman(reference, estimate):
    """Spearman rank correlation (mean over columns for multi-column input)."""
    reference = np.asarray(reference, dtype=np.float64).reshape(len(reference), -1)
    estimate = np.asarray(estimate, dtype=np.float64).reshape(len(estimate), -1)
    values = []
    for k in range(reference.shape[1]):
        if np.ptp(reference[:, k]) == 0 or np.ptp(estimate[:, k]) == 0:
            continue
        values.append(spearmanr(reference[:, k], estimate[:, k]).statistic)
    return float(np.mean(values)) if values else None


def per_class_agreement(teacher_labels, student_labels, classes):
    """``[(class, n_rows, agreement), ...]`` over the classes the teacher predicts."""
    rows = []
    for c in classes:
        mine = teacher_labels == c
        if mine.any():
            rows.append((c, int(mine.sum()), float(np.mean(student_labels[mine] == c))))
    return rows


def rank_auc(teacher_labels, student_score, classes):
    """AUC of the student's score for the teacher's labels.

    Binary: the student's score for the second class against "the teacher
    says the second class".  Multiclass: macro average of one-vs-rest AUCs of
    the student's per-class scores.  ``None`` unless the teacher predicts at
    least two classes.
    """
    if student_score is None or len(np.unique(teacher_labels)) < 2:
        return None
    if np.ndim(student_score) == 1:
        return float(roc_auc_score(teacher_labels == classes[1], student_score))
    aucs = [
        roc_auc_score(teacher_labels == c, student_score[:, k])
        for k, c in enumerate(classes)
        if 0 < np.sum(teacher_labels == c) < len(teacher_labels)
    ]
    return float(np.mean(aucs))
