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
    # each class's weights as shares of its total: the product of two totals under- or overflows for weights
    # of 1e-200 or 1e200, whose scale leaves the AUC as it is
    pos, neg = pos / pos.sum(), neg / neg.sum()
    below = np.concatenate([[0.0], np.cumsum(neg)[:-1]])
    return float((pos * (below + 0.5 * neg)).sum())


# A SCORE group holding less of the training weight than this share is left out of the
# max calibration error: one row alone is off by at least min(p, 1 - p) whatever the card.
MIN_GROUP_SHARE = 0.01


def calibration_summary(table, train_risk, y01, weight):
    """How well predicted risks match observed rates on the training data (see ``calibration_``).

    ``table`` is :func:`risk_table`'s ``(scores, predicted, observed, count)``:
    the groups are the card's SCOREs (one per reachable total, not probability
    bins), each weighted by its training weight ``count``.
    """
    scores, predicted, observed, count = table
    total = weight.sum()
    seen = count > 0
    gaps = np.abs(predicted - observed)
    eps = 1e-15
    risk = np.clip(train_risk, eps, 1 - eps)
    return {
        "expected_calibration_error": float((count[seen] * gaps[seen]).sum() / total),
        **_max_calibration_error(scores, gaps, count, total),
        "brier_score": float((weight * (train_risk - y01) ** 2).sum() / total),
        "log_loss": float(-(weight * (y01 * np.log(risk) + (1 - y01) * np.log(1 - risk))).sum() / total),
        "auc": weighted_auc(train_risk, y01, weight),
        "mean_predicted_risk": float((weight * train_risk).sum() / total),
        "observed_rate": float((weight * y01).sum() / total),
    }


def _max_calibration_error(scores, gaps, count, total):
    """The largest gap among SCORE groups holding at least MIN_GROUP_SHARE of the weight, and its group."""
    min_weight = MIN_GROUP_SHARE * total
    large = np.flatnonzero((count > 0) & (count >= min_weight))
    if large.size == 0:  # more than 100 groups, none holding 1%: no gap rests on enough rows
        worst_gap, worst_score, worst_weight = float("nan"), None, 0.0
    else:
        worst = large[np.argmax(gaps[large])]
        worst_gap, worst_score, worst_weight = float(gaps[worst]), int(scores[worst]), float(count[worst])
    return {
        "max_calibration_error": worst_gap,
        "max_calibration_error_score": worst_score,
        "max_calibration_error_weight": worst_weight,
        "max_calibration_error_min_weight": float(min_weight),
    }
