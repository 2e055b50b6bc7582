"""Fitted with sample weights not all 1, the counts a model prints are weights, and it says so.

A risk card's count column, a rule's support and a fidelity report's figures
sum the rows' weights; a validator recounting rows must be able to tell a
weighting from a defect, in the text, HTML, frames, plot legends and JSON.
"""

import html
import json

import matplotlib
import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer

from glassbox import BayesianRuleListClassifier, DecisionSetClassifier, RiskScoreClassifier, SparseLinearClassifier
from glassbox.explain import RuleList, RuleSet, Scorecard
from glassbox.plotting import RiskCurveDisplay
from glassbox.surrogate import FidelityReport, fidelity_report

matplotlib.use("Agg")

NOTE = "training weights (sums of the rows' sample_weight), not numbers of rows"
NOTE_HTML = html.escape(NOTE)


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[::2, :6].reset_index(drop=True)
    y = y.iloc[::2].to_numpy()
    weights = np.random.default_rng(0).integers(1, 4, len(y)).astype(float)
    return X, y, weights


def test_risk_card_heads_weighted_counts_and_keeps_it_in_json(data):
    X, y, w = data
    card = RiskScoreClassifier(max_features=3).fit(X, y, sample_weight=w).explain_global()
    text = str(card)
    assert "weighted count" in text and f"counts are {NOTE}" in text
    assert f"counts are {NOTE_HTML}" in card._repr_html_()
    frame = card.risk_frame()
    assert "weighted_count" in frame.columns and "count" not in frame.columns
    assert frame["weighted_count"].sum() == pytest.approx(w.sum())
    assert NOTE in frame.attrs["note"]
    loaded = Scorecard.from_json(card.to_json())
    assert loaded.sample_weighted and str(loaded) == text
    legend = RiskCurveDisplay.from_explanation(card).ax_.get_legend()
    assert "observed rate (size: weighted count)" in [t.get_text() for t in legend.get_texts()]


def test_counts_with_class_weights_too_are_said_to_sum_both_weights(data):
    # the counts are sums of sample_weight times the class weight: "sums of the rows' sample_weight" was wrong
    X, y, w = data
    card = RiskScoreClassifier(max_features=3, class_weight="balanced").fit(X, y, sample_weight=w).explain_global()
    both = "counts are training weights (sums of the rows' sample_weight times their class weight), not numbers of rows"
    assert both in str(card) and NOTE not in str(card) and both in card.risk_frame().attrs["note"]
    factors = np.where(y == 1, card.class_weights[1], card.class_weights[0])
    assert card.risk_frame()["weighted_count"].sum() == pytest.approx((w * factors).sum())


def test_unit_weights_keep_plain_counts(data):
    X, y, _ = data
    card = RiskScoreClassifier(max_features=3).fit(X, y, sample_weight=np.ones(len(y))).explain_global()
    assert not card.sample_weighted and "weighted" not in str(card)
    assert "count" in card.risk_frame().columns and "sample_weighted" not in json.loads(card.to_json())
    # numbers of rows are integers in the frame, as in the printout (1458, not 1458.0)
    counts = card.risk_frame()["count"]
    assert counts.dtype == np.int64 and counts.sum() == len(y)
    weighted = RiskScoreClassifier(max_features=3).fit(X, y, sample_weight=np.full(len(y), 0.5)).explain_global()
    assert weighted.risk_frame()["weighted_count"].dtype == np.float64


@pytest.mark.parametrize("model, kind, counted", [
    (BayesianRuleListClassifier(random_state=0, n_chains=1, n_iter=300), RuleList, "supports"),
    (DecisionSetClassifier(random_state=0), RuleSet, "support and decides"),
], ids=["rule list", "decision set"])
def test_rule_models_say_their_support_is_weight(data, model, kind, counted):
    X, y, w = data
    rules = model.fit(X, y, sample_weight=w).explain_global()
    assert f"{counted} are {NOTE}" in str(rules)
    assert NOTE_HTML in rules._repr_html_() and NOTE in rules.to_frame().attrs["note"]
    loaded = kind.from_json(rules.to_json())
    assert loaded.sample_weighted and str(loaded) == str(rules)
    unweighted = model.fit(X, y).explain_global()
    assert NOTE not in str(unweighted) and "note" not in unweighted.to_frame().attrs


def test_weighted_fidelity_report_says_so_and_keeps_it_in_json(data):
    X, y, w = data
    teacher = SparseLinearClassifier().fit(X, y)
    student = SparseLinearClassifier(max_features=2).fit(X, teacher.predict(X))
    w = np.where(np.arange(len(y)) % 7 == 0, 0.0, w)
    report = fidelity_report(teacher, student, X, sample_weight=w)
    line = (f"weighted by sample_weight: total weight {w.sum():g} over {np.count_nonzero(w)} rows; "
            "every figure weighs a row by its weight (the 'rows' columns count rows)")
    assert report.total_weight == w.sum() and str(report).splitlines()[1] == line
    assert "weighted by sample_weight" in report._repr_html_()
    loaded = FidelityReport.from_json(report.to_json())
    assert loaded == report and loaded.total_weight == w.sum() and str(loaded) == str(report)
    plain = fidelity_report(teacher, student, X)
    assert plain.total_weight is None and "weighted" not in str(plain)
    assert "total_weight" not in json.loads(plain.to_json())
