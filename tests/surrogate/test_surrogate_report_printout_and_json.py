"""Fidelity report printout, multiclass figures, JSON read back, frontier grid."""

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import r2_score, roc_auc_score

import glassbox
from glassbox import RiskScoreClassifier, SparseLinearClassifier
from glassbox.explain._render import format_number
from glassbox.surrogate import FidelityFrontier, FidelityReport, fidelity_frontier, fidelity_report
from glassbox.surrogate import frontier as frontier_module


class FixedProba:
    """A 'model' that returns fixed probabilities for the rows it is given (by row id)."""

    def __init__(self, proba, classes):
        self.proba = np.asarray(proba, dtype=float)
        self.classes_ = np.asarray(classes)

    def predict_proba(self, X):
        return self.proba[np.asarray(X)[:, 0].astype(int)]


def _three_class_models(n=300, seed=0):
    rng = np.random.RandomState(seed)
    teacher = rng.dirichlet([2.0, 3.0, 1.0], size=n)
    student = 0.6 * teacher + 0.4 * rng.dirichlet([1.0, 1.0, 1.0], size=n)
    student[:, 2] = rng.dirichlet([1.0, 1.0, 1.0], size=n)[:, 2] * 0.5  # the last class copied poorly
    student /= student.sum(axis=1, keepdims=True)
    classes = ["high", "low", "mid"]
    return FixedProba(teacher, classes), FixedProba(student, classes), np.arange(n, dtype=float).reshape(-1, 1)


# -- b4: the worst rows of a regression report in the report's short number format --------------------------
def test_regression_worst_rows_print_predictions_in_the_short_number_format():
    X = pd.DataFrame({"x": np.linspace(0.0, 1.0, 50)}, index=np.arange(100, 150))
    report = fidelity_report(lambda Z: 13.257293019488356 + 100 * Z["x"].to_numpy() ** 2,
                             lambda Z: -175.32253090670017 + 90 * Z["x"].to_numpy(), X, task="regression")
    text = str(report)
    worst = text[text.index("worst rows:"):]
    assert not re.search(r"\d\.\d{6,}", worst), worst  # no long digit runs
    label, teacher, student, gap = report.worst_rows[0]
    assert f"{label}  {format_number(teacher)}" in worst and format_number(student) in worst
    html = report._repr_html_()
    assert format_number(teacher) in html and repr(float(teacher)) not in html
    # the values themselves are kept whole
    assert report.worst_rows_frame()["teacher"].iloc[0] == teacher


def test_classification_worst_rows_keep_their_labels():
    classes = [0.5, 1.5]  # float labels stay as they read, not reformatted as numbers
    teacher = FixedProba([[0.9, 0.1], [0.2, 0.8]], classes)
    student = FixedProba([[0.3, 0.7], [0.2, 0.8]], classes)
    text = str(fidelity_report(teacher, student, np.array([[0.0], [1.0]])))
    assert "0    0.5      1.5      0.6" in text


# -- b6: multiclass figures as defined, and the R² of each class's probability ----------------------------------
@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_figures_recompute_as_documented(weighted):
    teacher, student, X = _three_class_models()
    w = np.random.RandomState(1).randint(1, 4, size=len(X)) if weighted else None
    report = fidelity_report(teacher, student, X, sample_weight=w)
    P, Q = teacher.proba, student.proba
    assert report.probability_r2 == pytest.approx(r2_score(P, Q, multioutput="variance_weighted", sample_weight=w))
    per_class = r2_score(P, Q, multioutput="raw_values", sample_weight=w)
    assert [c for c, _ in report.class_probability_r2] == ["high", "low", "mid"]
    assert [r for _, r in report.class_probability_r2] == pytest.approx(per_class)
    assert [c for c, _ in report.class_probability_mae] == ["high", "low", "mid"]
    assert [m for _, m in report.class_probability_mae] == pytest.approx(
        [np.average(np.abs(P[:, k] - Q[:, k]), weights=w) for k in range(3)])
    assert report.probability_mae == pytest.approx(np.average(np.abs(P - Q).mean(axis=1), weights=w))
    labels = np.asarray(teacher.classes_)[P.argmax(axis=1)]
    assert report.rank_auc == pytest.approx(roc_auc_score(labels, Q, multi_class="ovr", sample_weight=w))
    if not weighted:
        assert report.spearman == pytest.approx(np.mean([spearmanr(P[:, k], Q[:, k]).statistic for k in range(3)]))
        centred_t = np.log(P) - np.log(P).mean(axis=1, keepdims=True)
        centred_s = np.log(Q) - np.log(Q).mean(axis=1, keepdims=True)
        assert report.logit_r2 == pytest.approx(r2_score(centred_t, centred_s, multioutput="variance_weighted"))
    assert per_class.min() < report.probability_r2  # the single figure hides the poorly copied class


def test_multiclass_printout_and_frame_show_each_class_probability_r2():
    teacher, student, X = _three_class_models()
    report = fidelity_report(teacher, student, X)
    text = str(report)
    table = text[text.index("agreement per teacher class:"):].split("\n\n")[0]
    assert "probability_r2 (all rows)" in table
    assert "probability_mae (all rows)" in table
    for (label, r2_value), (_, mae) in zip(report.class_probability_r2, report.class_probability_mae):
        figures = rf"{re.escape(format_number(r2_value))}\s+{re.escape(format_number(mae))}"
        assert re.search(rf"^{label}\s+\d+\s+\S+\s+{figures}$", table, re.M), table
    frame = report.per_class_frame()
    assert list(frame.columns) == ["class", "n_rows", "agreement", "probability_r2", "probability_mae"]
    assert frame["probability_r2"].tolist() == [r for _, r in report.class_probability_r2]
    assert frame["probability_mae"].tolist() == [m for _, m in report.class_probability_mae]
    assert "probability_r2 (all rows)" in report._repr_html_()
    assert "probability_mae (all rows)" in report._repr_html_()


def test_a_rare_class_has_its_probability_difference_beside_its_r2():
    """The R² of a class the teacher almost never gives any probability divides by a tiny variance: hugely
    negative for probabilities that differ by thousandths; the difference beside it says how near they are."""
    rare = np.r_[np.full(99, 1e-4), 0.01]  # the teacher's probability of the rare class
    P = np.column_stack([0.6 - rare, np.full(100, 0.4), rare])
    Q = np.column_stack([np.full(100, 0.6 - 0.002), np.full(100, 0.4), np.full(100, 0.002)])
    classes = ["large", "none", "total loss"]
    report = fidelity_report(FixedProba(P, classes), FixedProba(Q, classes), np.arange(100.0).reshape(-1, 1))
    (_, rare_r2), (_, rare_mae) = report.class_probability_r2[2], report.class_probability_mae[2]
    assert rare_r2 < -1 and rare_mae == pytest.approx(np.mean(np.abs(rare - 0.002)))
    assert rare_mae < 0.003


def test_a_report_written_without_class_differences_still_loads():
    teacher, student, X = _three_class_models()
    payload = fidelity_report(teacher, student, X).to_dict()
    del payload["class_probability_mae"]  # as written before the differences were kept
    older = FidelityReport.from_dict(payload)
    assert older.class_probability_mae == ()
    assert "probability_mae (all rows)" not in str(older) and "probability_r2 (all rows)" in str(older)
    assert list(older.per_class_frame().columns) == ["class", "n_rows", "agreement", "probability_r2"]


def test_binary_printout_keeps_its_per_class_table():
    teacher = FixedProba([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]], [0, 1])
    student = FixedProba([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]], [0, 1])
    report = fidelity_report(teacher, student, np.arange(3.0).reshape(-1, 1))
    assert "probability_r2 (all rows)" not in str(report)
    assert [r for _, r in report.class_probability_r2] == pytest.approx([report.probability_r2] * 2)


# -- b9: reports read back from their JSON ---------------------------------------------------------------------
def _assert_round_trip(report, loader):
    text = report.to_json()
    loaded = loader.from_json(text)
    assert loaded == report and loader.from_dict(json.loads(text)) == report
    assert loaded.to_json() == text and str(loaded) == str(report)
    assert loaded._repr_html_() == report._repr_html_()


def test_fidelity_reports_round_trip_through_json():
    teacher, student, X = _three_class_models(n=120)
    _assert_round_trip(fidelity_report(teacher, student, X), FidelityReport)
    # labels that read like numbers, a timestamp index and a regression report
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"x": rng.normal(size=200), "colour": rng.choice(["red", "nan"], size=200)},
                         index=pd.date_range("2024-01-01", periods=200, freq="D"))
    y = np.where(frame["x"] > 0, "nan", "inf")
    model = LogisticRegression().fit(frame[["x"]], y)
    other = LogisticRegression(C=0.001).fit(frame[["x"]], y)
    report = fidelity_report(lambda Z: model.predict_proba(Z[["x"]]), lambda Z: other.predict_proba(Z[["x"]]), frame,
                             task="classification", classes=model.classes_)
    assert report.worst_rows and isinstance(report.worst_rows[0][1], str)
    _assert_round_trip(report, FidelityReport)
    regression = fidelity_report(lambda Z: Z["x"].to_numpy() ** 2, lambda Z: Z["x"].to_numpy(), frame,
                                 task="regression")
    _assert_round_trip(regression, FidelityReport)
    assert regression != report


def test_glassbox_from_json_names_the_loader_of_a_report():
    teacher, student, X = _three_class_models(n=60)
    text = fidelity_report(teacher, student, X).to_json()
    with pytest.raises(ValueError, match=r"'fidelity_report' report, not a model: load it with "
                                         r"glassbox\.surrogate\.FidelityReport\.from_json"):
        glassbox.from_json(text)
    frontier = FidelityFrontier(teacher="T", metric="agreement", target=0.9, evaluated_on="held-out rows",
                                rows=(), models=())
    with pytest.raises(ValueError, match=r"glassbox\.surrogate\.FidelityFrontier\.from_json"):
        glassbox.from_json(frontier.to_json())
    with pytest.raises(ValueError, match="Expected a fidelity report payload"):
        FidelityReport.from_json(frontier.to_json())


def test_fidelity_frontier_round_trips_through_json_without_its_models():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    teacher = LogisticRegression().fit(X, X["a"] + 0.5 * X["b"] > 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frontier = fidelity_frontier(teacher, X, students={
            "one term": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=1),
            "nan": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=2),
            "broken": SparseLinearClassifier(max_features=-1)}, target=0.9, random_state=0)
    assert frontier.rows[2]["error"]  # a student that could not be fitted keeps its error
    loaded = FidelityFrontier.from_json(frontier.to_json())
    assert loaded == frontier and loaded.to_json() == frontier.to_json() and str(loaded) == str(frontier)
    assert loaded.models == (None, None, None) and loaded.best == frontier.best and loaded.best_model is None
    assert loaded.rows[1]["family"] == "nan" and loaded.rows[0]["converged"] is True


# -- b7: the default frontier grid leaves out the families that cannot take the task ---------------------------
def test_default_grid_leaves_out_risk_scores_for_a_multiclass_teacher(monkeypatch):
    grid = {"classification": (("SparseLinearClassifier", {"penalty": "l0", "alpha": 0.0}, "max_features", (1, 2)),
                               ("RiskScoreClassifier", {}, "max_features", (2,)))}
    monkeypatch.setattr(frontier_module, "_GRID", grid)
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    labels = np.digitize(X["a"] + X["b"], [-0.5, 0.5])
    teacher = LogisticRegression().fit(X, labels)
    frontier = fidelity_frontier(teacher, X, random_state=0)
    assert [r["family"] for r in frontier.rows] == ["SparseLinearClassifier"] * 2
    assert frontier.left_out == (("RiskScoreClassifier", "binary classification only; the teacher has 3 classes"),)
    assert "not in the default grid (they cannot take this task or these rows): RiskScoreClassifier" in str(frontier)
    assert FidelityFrontier.from_json(frontier.to_json()) == frontier
    # a binary teacher keeps them; a risk score given by the user still fails with its message
    binary = fidelity_frontier(LogisticRegression().fit(X, labels > 0), X, random_state=0)
    assert "RiskScoreClassifier" in [r["family"] for r in binary.rows] and binary.left_out == ()
    given = fidelity_frontier(teacher, X, students=[RiskScoreClassifier(max_features=2),
                                                    SparseLinearClassifier(max_features=1)], random_state=0)
    assert "Only binary classification is supported" in given.rows[0]["error"] and given.left_out == ()


def test_frontier_rows_say_which_parameters_the_copy_changed_while_fitting():
    from glassbox import BayesianRuleListClassifier

    asked = BayesianRuleListClassifier(max_thresholds=20, min_support=0.02)
    fitted = BayesianRuleListClassifier(max_thresholds=14, min_support=0.02, random_state=3)
    assert frontier_module._fitted_differences(asked, fitted) == " (fitted with max_thresholds=14)"
    assert frontier_module._fitted_differences(asked, asked.set_params(random_state=7)) == ""
    # in a frontier row: a stepped sparse linear student that the copy fits with the plain basis says so
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    teacher = LogisticRegression().fit(X, X["a"] + 0.5 * X["b"] > 0)
    student = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=2, basis="steps")
    frontier = fidelity_frontier(teacher, X, students=[student], random_state=0)
    assert frontier.models[0].student_.basis == "linear"  # on these rows the plain basis agrees as often
    assert frontier.rows[0]["student"] == "alpha=0.0, basis=steps, max_features=2, penalty=l0 (fitted with basis=linear)"


def test_a_report_on_one_row_says_one_row():
    teacher = FixedProba([[0.9, 0.1], [0.2, 0.8]], [0, 1])
    report = fidelity_report(teacher, teacher, np.array([[1.0]]))
    assert str(report).splitlines()[0].endswith("on 1 row (classification)")
    assert "(1 row)" in report._repr_html_()
    weighted = fidelity_report(teacher, teacher, np.array([[1.0]]), sample_weight=[2.0])
    assert "over 1 row;" in str(weighted)
    assert "on 2 rows (classification)" in str(fidelity_report(teacher, teacher, np.array([[0.0], [1.0]])))


def test_the_repr_of_a_report_without_a_headline_says_n_a():
    # a constant teacher has no R2: the repr says so, as the table does, instead of ending in 'headline='
    X = np.random.RandomState(0).normal(size=(50, 2))
    report = fidelity_report(lambda X: np.full(len(X), 3.0), lambda X: X[:, 0], X, task="regression")
    assert report.headline is None
    assert repr(report) == "<FidelityReport <lambda> vs <lambda>: regression, headline=n/a>"
    assert re.search(r"\nr2 +n/a\n", str(report))
