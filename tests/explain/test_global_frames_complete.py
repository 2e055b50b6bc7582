"""A global explanation's ``to_frame()`` holds every number of the model: two fits that differ only in their
intercept (a scorecard: or in its multiplier) give different frames, and the model's output is recomputed
from the frame alone."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.datasets import load_iris

from glassbox import GAMClassifier, GAMRegressor, RiskScoreClassifier, SparseLinearClassifier
from glassbox.explain import GlobalExplanation
from explain_fixtures import credit_applicants


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y)


def _moved(explanation, base_shift=0.0, scale=None):
    """The same form loaded back with its intercept moved by ``base_shift`` (and its link's scale set)."""
    payload = explanation.to_dict()
    payload["base_value"]["data"] = (np.asarray(payload["base_value"]["data"]) + base_shift).tolist()
    if scale is not None:
        payload["link"]["scale"] = scale
    if payload["kind"] == "scorecard":  # a card's risk table is its formula's: it moves with the intercept and scale
        scores = np.asarray(payload["content"]["risk_scores"]["data"])
        intercept = explanation.decision_sign * payload["base_value"]["data"][0]
        risk = expit((scores + intercept) / payload["link"]["scale"])
        payload["content"]["risk_predicted"]["data"] = risk.tolist()
    return GlobalExplanation.from_dict(payload)


def _term_value(X, term):
    """The value of a coefficient table's term, read from its name: ``feature == level`` or a numeric feature."""
    if " == " in term:
        feature, level = term.split(" == ")
        return (X[feature] == level).to_numpy(dtype=float)
    return X[term].to_numpy(dtype=float)


@pytest.fixture(scope="module")
def credit():
    return credit_applicants()


def test_a_coefficient_tables_frame_starts_with_its_intercept_and_recomputes_the_model(credit):
    X, y = credit
    model = _fit(SparseLinearClassifier(alpha=0.01), X, y)
    table = model.explain_global()
    frame = table.to_frame().set_index("term")
    assert frame.index[0] == "(intercept)" and frame.loc["(intercept)", "coefficient"] == table.base_value
    terms = frame.drop(index="(intercept)")
    decision = frame.loc["(intercept)", "coefficient"] + sum(
        coefficient * _term_value(X, term) for term, coefficient in terms["coefficient"].items())
    np.testing.assert_allclose(decision, model.decision_function(X), rtol=1e-12)
    moved = _moved(table, 0.5)
    assert not moved.to_frame().equals(table.to_frame())
    assert moved.to_frame().drop(index=0).equals(table.to_frame().drop(index=0))  # only the intercept moved


def test_a_multiclass_coefficient_table_has_one_intercept_per_class():
    X, y = load_iris(return_X_y=True, as_frame=True)
    model = _fit(SparseLinearClassifier(alpha=0.01), X, y)
    table = model.explain_global()
    frame = table.to_frame().set_index("term")
    decision = np.column_stack([
        frame.loc["(intercept)", f"coef[{c}]"]
        + sum(frame.loc[term, f"coef[{c}]"] * X[term].to_numpy() for term in frame.index[1:])
        for c in model.classes_])
    np.testing.assert_allclose(decision, model.decision_function(X), rtol=1e-10)
    moved = _moved(table, np.array([0.0, 0.3, 0.0]))
    assert not moved.to_frame().equals(table.to_frame())


def _categorical_gam_data(seed=0, n=300):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"floor": rng.choice(["low", "mid", "high"], n), "view": rng.choice(["park", "street"], n)})
    y = 100 + 10 * (X["floor"] == "high") + 20 * (X["view"] == "park") + rng.normal(0, 1, n)
    return X, y


def _gam_decision_from_frame(frame, X, target_class=None):
    """A GAM's decision recomputed from its frame: the intercept plus each main term's score at the row's bin
    (the bins of a categorical feature are named by its levels)."""
    if target_class is not None:
        frame = frame[frame["class"] == target_class]
    scores = frame.set_index(["term", "bin"])["score"]
    decision = frame.loc[frame["term"] == "(intercept)", "score"].item()
    return decision + sum(scores.loc[list(zip([feature] * len(X), X[feature]))].to_numpy() for feature in X.columns)


def test_a_gams_frame_starts_with_its_intercept_and_recomputes_the_model():
    X, y = _categorical_gam_data()
    model = _fit(GAMRegressor(interactions=0, outer_bags=2, random_state=0), X, y)
    shapes = model.explain_global()
    frame = shapes.to_frame()
    assert frame.loc[0, "term"] == "(intercept)" and frame.loc[0, "score"] == shapes.base_value
    np.testing.assert_allclose(_gam_decision_from_frame(frame, X), model.predict(X), rtol=1e-12)
    moved = _moved(shapes, 0.7)
    assert not moved.to_frame().equals(frame)
    assert moved.to_frame().drop(index=0).equals(frame.drop(index=0))


def test_a_multiclass_gams_frame_has_one_intercept_per_class():
    X, _ = _categorical_gam_data()
    y = np.where(X["view"] == "park", "a", np.where(X["floor"] == "high", "b", "c"))
    model = _fit(GAMClassifier(interactions=0, outer_bags=2, max_rounds=50, random_state=0), X, y)
    shapes = model.explain_global()
    frame = shapes.to_frame()
    intercepts = frame[frame["term"] == "(intercept)"]
    assert list(intercepts["class"]) == list(model.classes_)
    np.testing.assert_array_equal(intercepts["score"], shapes.base_value)
    decision = np.column_stack([_gam_decision_from_frame(frame, X, c) for c in model.classes_])
    np.testing.assert_allclose(decision, model.decision_function(X), rtol=1e-12)
    assert not _moved(shapes, np.array([0.0, 0.0, 0.4])).to_frame().equals(frame)


def test_a_scorecards_frame_holds_its_intercept_and_multiplier_and_recomputes_the_risk(credit):
    X, y = credit
    X = X[["age", "debt"]]
    model = _fit(RiskScoreClassifier(max_features=2), X, y)
    card = model.explain_global()
    frame = card.to_frame()
    assert list(frame.columns) == ["condition", "points", "multiplier"]
    assert frame["points"].dtype == np.int64 and frame["multiplier"].dtype == np.float64
    assert frame.loc[0, "condition"] == "(intercept)" and frame.loc[0, "points"] == card.intercept
    conditions = frame.iloc[1:]
    score = sum(points * X.eval(condition).to_numpy() for condition, points in
                zip(conditions["condition"], conditions["points"]))
    risk = expit((score + frame.loc[0, "points"]) / frame.loc[0, "multiplier"])
    np.testing.assert_allclose(risk, model.predict_proba(X)[:, card.event_index], rtol=1e-12)
    assert not _moved(card, -1.0).to_frame().equals(frame)  # another intercept
    assert not _moved(card, scale=card.multiplier * 1.1).to_frame().equals(frame)  # another multiplier
