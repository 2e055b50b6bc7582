"""A risk score's calibration summary says what it measures, and the max error rests on a real group."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

from glassbox import RiskScoreClassifier
from glassbox.scoring._risk_table import calibration_summary


@pytest.fixture(scope="module")
def cancer_card():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    y = np.where(y == 0, "malignant", "benign")
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    return RiskScoreClassifier(max_features=5).fit(X_train, y_train), X_train, y_train


def _recomputed(frame, min_share=0.01):
    seen = frame["count"] > 0
    gap = (frame["predicted_risk"] - frame["observed_rate"]).abs()
    total = frame["count"].sum()
    ece = float((frame["count"][seen] * gap[seen]).sum() / total)
    large = seen & (frame["count"] >= min_share * total)
    worst = gap[large].idxmax()
    return ece, float(gap[worst]), int(frame["score"][worst]), float(frame["count"][worst]), gap[seen].max()


def test_max_calibration_error_leaves_out_groups_below_one_percent_and_names_its_group(cancer_card):
    model, _, _ = cancer_card
    cal = model.calibration_
    ece, max_gap, score, weight, gap_of_any_group = _recomputed(model.explain_global().risk_frame())
    # the card has a SCORE holding one patient, predicted 50% and observed 100%: it no longer sets the max
    assert gap_of_any_group == pytest.approx(0.5)
    assert cal["expected_calibration_error"] == pytest.approx(ece, rel=1e-12)
    assert cal["max_calibration_error"] == pytest.approx(max_gap, rel=1e-12) and max_gap < 0.1
    assert cal["max_calibration_error_score"] == score
    assert cal["max_calibration_error_weight"] == weight >= cal["max_calibration_error_min_weight"]
    assert cal["max_calibration_error_min_weight"] == pytest.approx(0.01 * 398)


def test_calibration_groups_are_weighted_by_sample_weight():
    scores = np.array([0, 1, 2])
    predicted = np.array([0.1, 0.5, 0.9])
    observed = np.array([0.1, 1.0, 0.8])
    count = np.array([60.0, 0.5, 39.5])  # the SCORE-1 group holds 0.5% of the weight
    y01 = np.array([0.0, 1.0, 1.0])
    weight = np.array([60.0, 0.5, 39.5])
    cal = calibration_summary((scores, predicted, observed, count), predicted, y01, weight)
    assert cal["max_calibration_error"] == pytest.approx(0.1)
    assert (cal["max_calibration_error_score"], cal["max_calibration_error_weight"]) == (2, 39.5)
    assert cal["max_calibration_error_min_weight"] == pytest.approx(1.0)
    assert cal["expected_calibration_error"] == pytest.approx((0.5 * 0.5 + 39.5 * 0.1) / 100)


def test_no_group_large_enough_gives_nan_not_a_one_row_gap():
    n = 150
    scores = np.arange(n)
    predicted = np.full(n, 0.5)
    count = np.ones(n)
    observed = np.ones(n)
    cal = calibration_summary((scores, predicted, observed, count), predicted, observed, count)
    assert np.isnan(cal["max_calibration_error"]) and cal["max_calibration_error_score"] is None
    assert cal["expected_calibration_error"] == pytest.approx(0.5)


@pytest.mark.parametrize("scale", [1e-200, 1e-300, 1e200, 1e300])
def test_sample_weights_of_any_scale_give_the_unweighted_auc_without_warnings(scale):
    # the pool's and calibration_'s AUC multiplied the two classes' total weights, which under- or
    # overflowed: NaN and RuntimeWarnings from deep inside, for weights whose scale changes nothing
    X = pd.DataFrame({"c": np.arange(100.0)})
    y = (np.arange(100) % 3 == 0).astype(int)
    plain = RiskScoreClassifier(max_features=2).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaled = RiskScoreClassifier(max_features=2).fit(X, y, sample_weight=np.full(100, scale))
    assert np.array_equal(scaled.points_, plain.points_) and scaled.intercept_ == plain.intercept_
    assert scaled.calibration_["auc"] == pytest.approx(plain.calibration_["auc"], rel=1e-12)
    assert scaled.scorecards_[0]["auc"] == pytest.approx(plain.scorecards_[0]["auc"], rel=1e-12)
