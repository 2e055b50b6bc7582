"""The score -> risk table and the calibration summary of a fitted scorecard."""

import numpy as np
from scipy.special import expit


def achievable_scores(generator, selected, points):
    """Every total score some input can reach.

    Conditions on different features can hold in any combination, conditions on
    the same feature cannot (``age >= 60`` and ``age < 40``), so per feature we
    list the totals its bins give and add the per-feature sets together.
    """
    totals = {0}
    binner = generator.binner_
    by_feature = {}
    for j, p in zip(selected, points):
        by_feature.setdefault(int(generator.condition_feature_[j]), []).append((j, int(p)))
    lo, hi = generator._lo, generator._hi  # condition j holds when lo[j] <= code < hi[j]
    for feature, members in by_feature.items():
        codes = np.arange(binner.bins_[feature].n_bins)
        feature_totals = {int(sum(p for j, p in members if lo[j] <= c < hi[j])) for c in codes}
        totals = {t + f for t in totals for f in feature_totals}
    return np.array(sorted(totals), dtype=np.int64)


def risk_table(scores, intercept, multiplier, train_scores, y01, weight):
    """Predicted risk, observed event rate and training weight at each score."""
    predicted = expit((scores + intercept) / multiplier)
    position = np.searchsorted(scores, train_scores)
    count = np.bincount(position, weights=weight, minlength=len(scores))
    events = np.bincount(position, weights=weight * y01, minlength=len(scores))
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = np.where(count > 0, events / np.where(count > 0, count, 1.0), np.nan)
    return predicted, observed, count


def weighted_auc(scores, y01, weight):
    """Area under the ROC curve with weights; ties count one half."""
    order = np.argsort(scores, kind="stable")
    scores, y01, weight = scores[order], y01[order], weight[order]
    distinct, start = np.unique(scores, return_index=True)
    pos = np.add.reduceat(weight * y01, start)
    neg = np.add.reduceat(weight * (1 - y01), start)
    if pos.sum() <= 0 or neg.sum() <= 0:
        return float("nan")
    below = np.concatenate([[0.0], np.cumsum(neg)[:-1]])
    return float((pos * (below + 0.5 * neg)).sum() / (pos.sum() * neg.sum()))


def calibration_summary(predicted, observed, count, train_risk, y01, weight):
    """How well predicted risks match observed rates on the training data."""
    total = weight.sum()
    seen = count > 0
    gaps = np.abs(predicted[seen] - observed[seen])
    eps = 1e-15
    risk = np.clip(train_risk, eps, 1 - eps)
    return {
        "expected_calibration_error": float((count[seen] * gaps).sum() / total),
        "max_calibration_error": float(gaps.max()) if gaps.size else 0.0,
        "brier_score": float((weight * (train_risk - y01) ** 2).sum() / total),
        "log_loss": float(-(weight * (y01 * np.log(risk) + (1 - y01) * np.log(1 - risk))).sum() / total),
        "auc": weighted_auc(train_risk, y01, weight),
        "mean_predicted_risk": float((weight * train_risk).sum() / total),
        "observed_rate": float((weight * y01).sum() / total),
    }
