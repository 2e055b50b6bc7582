"""fidelity_report: every figure against a hand computation on small cases."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy.special import logit

from glassbox.surrogate import fidelity_report


class FixedProba:
    """A 'model' that returns fixed probabilities for the rows it is given (by row id)."""

    def __init__(self, proba, classes=(0, 1)):
        self.proba = np.asarray(proba, dtype=float)
        self.classes_ = np.asarray(classes)

    def predict_proba(self, X):
        return self.proba[np.asarray(X)[:, 0].astype(int)]


X_IDS = np.arange(6.0).reshape(-1, 1)
TEACHER_P1 = np.array([0.9, 0.8, 0.3, 0.2, 0.6, 0.1])
STUDENT_P1 = np.array([0.7, 0.4, 0.2, 0.3, 0.9, 0.2])


def _binary(p1):
    return FixedProba(np.column_stack([1 - p1, p1]))


def test_binary_figures_match_hand_computation():
    report = fidelity_report(_binary(TEACHER_P1), _binary(STUDENT_P1), X_IDS)
    # teacher labels 1 1 0 0 1 0 ; student labels 1 0 0 0 1 0 -> 5 of 6 agree
    assert report.agreement == pytest.approx(5 / 6)
    # class 0: rows 2,3,5 all agree; class 1: rows 0,1,4 -> 2 of 3
    assert report.per_class == ((0, 3, 1.0), (1, 3, pytest.approx(2 / 3)))
    assert report.balanced_agreement == pytest.approx((1 + 2 / 3) / 2)
    ss_res = np.sum((TEACHER_P1 - STUDENT_P1) ** 2)
    ss_tot = np.sum((TEACHER_P1 - TEACHER_P1.mean()) ** 2)
    assert report.probability_r2 == pytest.approx(1 - ss_res / ss_tot)
    assert report.probability_mae == pytest.approx(np.mean(np.abs(TEACHER_P1 - STUDENT_P1)))
    lt, ls = logit(TEACHER_P1), logit(STUDENT_P1)
    assert report.logit_r2 == pytest.approx(1 - np.sum((lt - ls) ** 2) / np.sum((lt - lt.mean()) ** 2))
    assert report.logit_mae == pytest.approx(np.mean(np.abs(lt - ls)))
    # AUC of the student's score for "teacher says 1": positives {0,1,4} scores .7 .4 .9,
    # negatives {2,3,5} scores .2 .3 .2 -> every positive above every negative.
    assert report.rank_auc == 1.0
    # Spearman: ranks of teacher 6 5 3 2 4 1, student 5 4 1.5 3 6 1.5
    t_rank = np.array([6, 5, 3, 2, 4, 1.0])
    s_rank = np.array([5, 4, 1.5, 3, 6, 1.5])
    expected = np.corrcoef(t_rank, s_rank)[0, 1]
    assert report.spearman == pytest.approx(expected)
    # worst rows: the disagreement (row 1, gap |.8-.4|) first, then the largest gaps
    assert report.worst_rows[0] == (1, 1, 0, pytest.approx(0.4))
    assert [r[0] for r in report.worst_rows[1:3]] == [4, 0]


def test_rank_auc_counts_ties_as_half():
    teacher = _binary(np.array([0.9, 0.8, 0.1, 0.2]))
    student = _binary(np.array([0.6, 0.3, 0.6, 0.1]))
    report = fidelity_report(teacher, student, np.arange(4.0).reshape(-1, 1))
    # pairs (pos, neg): (.6,.6)=.5 (.6,.1)=1 (.3,.6)=0 (.3,.1)=1 -> 2.5 / 4
    assert report.rank_auc == pytest.approx(2.5 / 4)


def test_multiclass_agreement_and_pooled_probability_r2():
    t = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1]])
    s = np.array([[0.6, 0.3, 0.1], [0.5, 0.4, 0.1], [0.1, 0.2, 0.7], [0.4, 0.5, 0.1]])
    report = fidelity_report(FixedProba(t, list("abc")), FixedProba(s, list("abc")), np.arange(4.0).reshape(-1, 1))
    assert report.agreement == 0.5  # rows 0 and 2
    assert report.per_class == (("a", 2, 0.5), ("b", 1, 0.0), ("c", 1, 1.0))
    assert report.balanced_agreement == pytest.approx(0.5)
    expected = 1 - np.sum((t - s) ** 2) / np.sum((t - t.mean(axis=0)) ** 2)
    assert report.probability_r2 == pytest.approx(expected)


def test_regression_figures_and_segments():
    X = pd.DataFrame({"x": np.arange(10.0), "colour": ["a"] * 5 + ["b"] * 5})
    teacher = lambda X: np.asarray(X["x"], dtype=float)  # noqa: E731
    student = lambda X: np.asarray(X["x"], dtype=float) + np.where(X["colour"] == "b", 2.0, 0.0)  # noqa: E731
    report = fidelity_report(teacher, student, X, task="regression", n_bins=2, min_segment_rows=1)
    t = np.arange(10.0)
    s = t + np.r_[np.zeros(5), np.full(5, 2.0)]
    assert report.r2 == pytest.approx(1 - np.sum((t - s) ** 2) / np.sum((t - t.mean()) ** 2))
    assert report.mae == pytest.approx(1.0)
    assert report.max_abs_difference == pytest.approx(2.0)
    assert report.spearman == pytest.approx(1.0)
    # colour == b has mean gap 2; numeric bin x >= 5 holds the same rows: both on top, then 0s
    top = {(f, b) for f, b, _, d in report.segments if d == 2.0}
    assert ("colour", "b") in top and report.segments[0][3] == 2.0
    assert report.segments[-1][3] == 0.0
    assert report.segments_frame().shape[1] == 4


def test_report_outputs_are_readable_and_json_safe():
    report = fidelity_report(_binary(TEACHER_P1), _binary(STUDENT_P1), X_IDS, min_segment_rows=1)
    text = str(report)
    assert "balanced_agreement" in text and "worst rows" in text
    assert "<table" in report._repr_html_()
    frame = report.to_frame()
    assert frame.set_index("metric").loc["agreement", "value"] == pytest.approx(5 / 6)
    payload = json.loads(report.to_json())
    assert payload["metrics"]["agreement"] == pytest.approx(5 / 6)
    with pytest.raises(Exception):
        report.n_samples = 3  # frozen


def test_plot_draws_the_segments():
    import matplotlib

    matplotlib.use("Agg")
    report = fidelity_report(_binary(TEACHER_P1), _binary(STUDENT_P1), X_IDS, min_segment_rows=1)
    display = report.plot()
    assert len(display.ax_.patches) == min(12, len(report.segments))


def test_bad_teachers_are_rejected_clearly():
    with pytest.raises(TypeError, match="no predict_proba"):
        fidelity_report(object(), _binary(STUDENT_P1), X_IDS, task="classification")
    nan_teacher = lambda X: np.full((len(X), 2), np.nan)  # noqa: E731
    with pytest.raises(ValueError, match="NaN or infinite"):
        fidelity_report(nan_teacher, _binary(STUDENT_P1), X_IDS, task="classification")
    with pytest.raises(ValueError, match="one per row"):
        fidelity_report(lambda X: np.zeros(3), lambda X: np.zeros(len(X)), X_IDS, task="regression")
    with pytest.raises(ValueError, match="task must be"):
        fidelity_report(_binary(TEACHER_P1), _binary(STUDENT_P1), X_IDS, task="ranking")
    with pytest.raises(ValueError, match="student predicts classes"):
        fidelity_report(_binary(TEACHER_P1), FixedProba(np.column_stack([1 - STUDENT_P1, STUDENT_P1]), (0, 2)), X_IDS)
