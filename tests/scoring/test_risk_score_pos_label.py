"""pos_label names the event of a risk score: the card gives the risk of that class, whichever way it sorts."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import roc_auc_score

from glassbox import RiskScoreClassifier, from_json, reason_codes


@pytest.fixture(scope="module")
def tumours():
    """Labels as a clinic writes them: "benign" sorts first, so classes_[1] is "malignant"."""
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :8]
    return X, y.map({0: "malignant", 1: "benign"})


@pytest.fixture(scope="module")
def benign_card(tumours):
    X, y = tumours
    return RiskScoreClassifier(max_features=3, pos_label="benign").fit(X, y)


@pytest.fixture(scope="module")
def recoded_card(tumours):
    X, y = tumours
    return RiskScoreClassifier(max_features=3).fit(X, y == "benign")  # the workaround: benign -> True, sorted last


def test_first_class_as_event_is_the_fit_of_the_recoded_target(tumours, benign_card, recoded_card):
    X, y = tumours
    assert list(benign_card.classes_) == ["benign", "malignant"]  # still sorted
    assert [str(c) for c in benign_card.conditions_] == [str(c) for c in recoded_card.conditions_]
    assert np.array_equal(benign_card.points_, recoded_card.points_)
    assert benign_card.intercept_ == recoded_card.intercept_ and benign_card.multiplier_ == recoded_card.multiplier_
    ours, theirs = benign_card.explain_global(), recoded_card.explain_global()
    for name in ("risk_scores", "risk_predicted", "risk_observed", "risk_count"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name)), name
    assert benign_card.calibration_ == recoded_card.calibration_ and benign_card.loss_ == recoded_card.loss_
    # the decision function keeps scikit-learn's orientation (positive for classes_[1]): the card's total negated
    assert np.array_equal(benign_card.decision_function(X), -recoded_card.decision_function(X))
    # predict_proba's columns follow classes_: column 0 is P(benign), the recoded model's column 1
    proba, recoded = benign_card.predict_proba(X), recoded_card.predict_proba(X)
    np.testing.assert_allclose(proba, recoded[:, ::-1], rtol=0, atol=2e-16)
    predicted = benign_card.predict(X)
    assert set(predicted) <= {"benign", "malignant"}
    assert np.array_equal(predicted, benign_card.classes_[np.argmax(proba, axis=1)])
    decided = recoded_card.decision_function(X) != 0  # a total of exactly 0 goes to classes_[0], as argmax's ties
    assert np.array_equal(predicted[decided] == "benign", recoded_card.predict(X)[decided])


def test_card_row_risk_is_the_probability_of_the_event_column(tumours, benign_card):
    X, _ = tumours
    card = benign_card.explain_global()
    earned = card.decision_sign * (card.decision_function(X) - card.base_value)
    risk = expit((earned + card.intercept) / card.multiplier)
    np.testing.assert_allclose(benign_card.predict_proba(X)[:, 0], risk, rtol=1e-15)
    assert card.intercept == benign_card.intercept_ and card.decision_sign == -1


def test_auc_of_the_decision_function_is_scikit_learns(tumours, benign_card, recoded_card):
    X, y = tumours
    auc = roc_auc_score(y, benign_card.decision_function(X))  # roc_auc_score scores classes_[1], malignant
    assert auc > 0.9
    assert auc == roc_auc_score(y, benign_card.predict_proba(X)[:, 1])
    assert auc == pytest.approx(roc_auc_score(y == "benign", recoded_card.decision_function(X)), rel=1e-14)


def test_card_and_explanations_read_as_the_risk_of_the_event(tumours, benign_card):
    X, _ = tumours
    text = str(benign_card.explain_global())
    assert "risk of benign" in text and "risk of malignant" not in text
    assert "decision_function = -(SCORE + intercept), positive for malignant" in text
    assert benign_card.explain_global().risk_frame().attrs["event"] == "benign"
    local = benign_card.explain_local(X.iloc[:20])
    # exact additivity to the model's own decision function, the card's points negated
    assert np.array_equal(local.base_value + local.contributions.sum(axis=1), benign_card.decision_function(X.iloc[:20]))
    assert local.base_value == -benign_card.intercept_
    assert "risk of benign" in local.notes[0] and "negated" not in local.notes[0]
    # the printout reads the card: its own points and intercept, totalled as SCORE + intercept
    first = [" ".join(line.split()) for line in str(local.row(0)).splitlines()]  # cells joined by one space
    earned = {name: -value for name, value in zip(local.term_names, local.contributions[0]) if value != 0}
    assert earned and all(f"{name} {int(points):+d}" in first for name, points in earned.items())
    assert f"base value (intercept) {benign_card.intercept_}" in first
    assert f"= SCORE + intercept {int(-local.decision[0])}" in first
    assert f"decision_function = -(SCORE + intercept) = {int(local.decision[0])}: scikit-learn's" in str(local)
    for row, note in zip(benign_card.predict_proba(X.iloc[:20])[:, 0], local.notes):
        assert f"risk of benign {100 * row:.1f}%" in note or "<0.1%" in note or ">99.9%" in note, note
    assert "risk of benign" in benign_card.explain_global()._repr_html_()


def test_json_records_the_event_and_round_trips_exactly(tumours, benign_card):
    X, _ = tumours
    card = benign_card.explain_global()
    payload = json.loads(card.to_json())
    assert payload["content"]["pos_label"] == "benign"
    loaded = from_json(card.to_json())
    assert loaded == card and loaded.pos_label == "benign" and loaded.event_class == "benign"
    assert np.array_equal(loaded.decision_function(X), benign_card.decision_function(X))
    assert np.array_equal(loaded.predict_proba(X), benign_card.predict_proba(X))
    assert np.array_equal(loaded.predict(X), benign_card.predict(X))
    assert str(loaded) == str(card)


def test_default_event_is_the_second_class_and_writes_no_field(tumours, recoded_card):
    X, y = tumours
    default = RiskScoreClassifier(max_features=3).fit(X, y)
    named = RiskScoreClassifier(max_features=3, pos_label="malignant").fit(X, y)
    assert default.explain_global().to_json() == named.explain_global().to_json()
    assert np.array_equal(default.decision_function(X), named.decision_function(X))
    payload = json.loads(default.explain_global().to_json())
    assert "pos_label" not in payload["content"]  # older payloads read the same: the event is classes[1]
    loaded = from_json(json.dumps(payload))
    assert loaded.pos_label is None and loaded.event_class == "malignant" and "risk of malignant" in str(loaded)


@pytest.mark.parametrize("pos_label, expected", [
    ("tumour", r"pos_label='tumour' is not a class of y \(classes: \['benign', 'malignant'\]\)"),
    (1, r"pos_label=1 is not a class of y"),
])
def test_unknown_event_is_refused_naming_the_classes(tumours, pos_label, expected):
    X, y = tumours
    with pytest.raises(ValueError, match=expected):
        RiskScoreClassifier(max_features=1, pos_label=pos_label).fit(X, y)


def test_boolean_event_is_not_a_number(tumours):
    X, y = tumours
    with pytest.raises(ValueError, match=r"pos_label=True is not a class of y \(classes: \[0, 1\]\)"):
        RiskScoreClassifier(max_features=1, pos_label=True).fit(X, (y == "benign").astype(int))
    with pytest.raises(ValueError, match="pos_label"):  # a list is no label: the parameter check names it
        RiskScoreClassifier(max_features=1, pos_label=["benign"]).fit(X, y)


def test_reasons_for_the_first_class_as_event_match_the_recoded_model(tumours, benign_card, recoded_card):
    X, _ = tumours
    rows = X.iloc[:30]
    ours = reason_codes(benign_card, rows, reference=X, adverse="benign", n_reasons=2)
    theirs = reason_codes(recoded_card, rows, reference=X, adverse=True, n_reasons=2)
    assert ours.names == theirs.names
    assert np.array_equal(ours.ranked, theirs.ranked) and np.array_equal(ours.shortfall, theirs.shortfall)
    assert (ours.ranked[:, 0] >= 0).any()  # some rows have reasons: the comparison is not vacuous


def test_monotone_constraint_holds_for_the_risk_of_the_event(tumours):
    X, y = tumours
    cst = {"mean texture": -1}  # more texture never raises the risk of benign
    model = RiskScoreClassifier(max_features=3, pos_label="benign", monotonic_cst=cst).fit(X, y)
    recoded = RiskScoreClassifier(max_features=3, monotonic_cst=cst).fit(X, y == "benign")
    assert np.array_equal(model.points_, recoded.points_)
    assert any(c.feature == "mean texture" for c in model.conditions_), "the card uses the constrained feature"
    grid = pd.concat([X.iloc[:5]] * 40, ignore_index=True)
    grid["mean texture"] = np.repeat(np.linspace(X["mean texture"].min(), X["mean texture"].max(), 40), 5)
    benign = model.predict_proba(grid)[:, 0].reshape(40, 5)
    assert np.all(np.diff(benign, axis=0) <= 0)
    assert np.any(np.diff(benign, axis=0) < 0)


def test_class_weight_note_speaks_of_the_event_class(tumours):
    X, y = tumours
    model = RiskScoreClassifier(max_features=2, pos_label="malignant", class_weight="balanced").fit(X, y)
    flipped = RiskScoreClassifier(max_features=2, pos_label="benign", class_weight="balanced").fit(X, y)
    # malignant is the rarer class (212 of 569): balanced weights overstate its rate, understate benign's
    assert "they overstate the real rate of malignant" in str(model.explain_global())
    assert "they understate the real rate of benign" in str(flipped.explain_global())


def test_class_weighted_risks_say_so_in_the_why_line_and_the_risk_frame(tumours):
    X, y = tumours
    model = RiskScoreClassifier(max_features=2, class_weight="balanced").fit(X, y)
    card = model.explain_global()
    for note in model.explain_local(X.iloc[:3]).notes:
        assert "a risk of the class-weighted sample (class_weight {benign: " in note and "not the real-world rate" in note
    frame = card.risk_frame()
    assert list(frame.columns) == ["score", "predicted_risk", "observed_rate", "weighted_count"]
    assert frame.attrs["note"] == card.class_weight_note() and "class-weighted sample" in frame.attrs["note"]
    plain = RiskScoreClassifier(max_features=2).fit(X, y)
    assert "class-weighted" not in plain.explain_local(X.iloc[:3]).notes[0]
    assert "count" in plain.explain_global().risk_frame().columns and "note" not in plain.explain_global().risk_frame().attrs


def test_risk_curve_names_the_event_class(benign_card):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from glassbox.plotting import RiskCurveDisplay

    display = RiskCurveDisplay.from_estimator(benign_card)
    assert display.ax_.get_ylabel() == "risk of benign"
    matplotlib.pyplot.close("all")


def test_reasons_of_the_loaded_card_read_as_the_estimators(tumours, benign_card):
    """The model loaded from JSON names the total it explains as the estimator does, in points."""
    X, _ = tumours
    rows = X.iloc[:6]
    ours = reason_codes(benign_card, rows, reference=X, adverse="malignant")
    loaded = reason_codes(from_json(benign_card.to_json()), rows, reference=X, adverse="malignant")
    assert str(loaded) == str(ours)
    assert np.array_equal(loaded.shortfall, ours.shortfall) and np.array_equal(loaded.contributions, ours.contributions)
    assert (ours.ranked[:, 0] >= 0).any()  # reasons are printed: the lines are compared, not just the header
    assert " points toward malignant compared with the best" in str(ours)


def test_risk_curve_of_a_class_weighted_card_says_so(tumours, benign_card):
    """The plot carries the class-weight mark the printout and risk_frame() carry."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from glassbox.plotting import RiskCurveDisplay

    X, y = tumours
    weighted = RiskScoreClassifier(max_features=2, pos_label="benign", class_weight={"benign": 5, "malignant": 1})
    weighted.fit(X, y)
    for card in (weighted.explain_global(), from_json(weighted.to_json())):
        display = RiskCurveDisplay.from_explanation(card)
        assert display.ax_.get_ylabel() == "risk of benign (class-weighted sample)"
        legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
        assert legend == ["predicted risk", "observed rate (size: weighted count)"]
    plain = RiskCurveDisplay.from_estimator(benign_card)
    assert [t.get_text() for t in plain.ax_.get_legend().get_texts()][1] == "observed rate (size: training count)"
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize("adverse", ["benign", "malignant"])
def test_reasons_read_in_the_cards_own_points_toward_the_event(tumours, benign_card, recoded_card, adverse):
    """pos_label=classes_[0]: reasons quote the points the card prints, as the recoded target's do."""
    X, _ = tumours
    rows = X.iloc[:40]
    ours = reason_codes(benign_card, rows, reference=X, adverse=adverse)
    theirs = reason_codes(recoded_card, rows, reference=X, adverse=adverse == "benign")
    local, reference = benign_card.explain_local(rows), benign_card.explain_local(X)
    for codes in (ours, local.reason_codes(reference, adverse=adverse),
                  reason_codes(from_json(benign_card.to_json()), rows, reference=X, adverse=adverse)):
        for name in ("contributions", "reference", "shortfall", "ranked", "decision"):
            assert np.array_equal(getattr(codes, name), getattr(theirs, name)), name
        assert codes.reference_decision == theirs.reference_decision and codes.orientation == -1
    assert (ours.ranked[:, 0] >= 0).any()
    # the exact identity of the shortfalls, in the card's orientation; decision_function is its negative
    np.testing.assert_array_equal(ours.shortfall.sum(axis=1), ours.sign * (ours.reference_decision - ours.decision))
    assert np.array_equal(ours.decision, -benign_card.decision_function(rows))
    text = str(ours)
    assert "contributions add up to SCORE + intercept; shortfalls are measured toward" in text
    assert "decision_function = -(SCORE + intercept): scikit-learn's orientation, positive for malignant" in text
    assert type(ours).from_json(ours.to_json()) == ours


def test_local_frame_says_its_numbers_are_the_decision_functions(tumours, benign_card):
    """The printout reads the card's points; the exported frame keeps decision_function's and says so."""
    X, _ = tumours
    local = benign_card.explain_local(X.iloc[:5])
    frame = local.to_frame()
    assert np.array_equal(frame["contribution"].to_numpy(), local.contributions.reshape(-1))
    assert frame.attrs["event"] == "benign"
    assert "positive for malignant: the negatives of the printed figures" in frame.attrs["note"]
    assert "toward benign (SCORE + intercept)" in frame.attrs["note"]
    # the card loaded from JSON explains its rows with the same event (reason codes build them from the card)
    loaded = reason_codes(from_json(benign_card.to_json()), X.iloc[:5], reference=X, adverse="benign").explanation
    assert loaded.pos_label == "benign" and loaded.to_frame().attrs == frame.attrs



def test_a_risk_of_exactly_one_half_goes_to_the_first_class_as_scikit_learn_decides(tumours, benign_card, recoded_card):
    """A tie keeps scikit-learn's rule (predict is argmax of predict_proba and decision_function > 0 for classes_[1]):
    classes_[0], here the event; the recoded target's card gives it to its non-event (documented)."""
    X, _ = tumours
    tie = benign_card.decision_function(X) == 0
    assert tie.sum() >= 10  # whole SCORE bands sit at minus the intercept
    predicted = benign_card.predict(X)
    assert np.array_equal(predicted, benign_card.classes_[np.argmax(benign_card.predict_proba(X), axis=1)])
    assert (predicted[tie] == "benign").all() and not recoded_card.predict(X)[tie].any()
    assert np.array_equal((predicted == "benign")[~tie], recoded_card.predict(X)[~tie])
    assert np.array_equal(from_json(benign_card.to_json()).predict(X), predicted)
    assert np.array_equal(benign_card.pool_predict(X)[0], predicted)
