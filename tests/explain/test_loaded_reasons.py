"""A service that loads only the JSON gives the same reasons, and the same records, as the fitted estimator."""

import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import GAMClassifier, RiskScoreClassifier, SparseLinearClassifier, reason_codes


def _data():
    rng = np.random.default_rng(0)
    n = 300
    X = pd.DataFrame({
        "visits": rng.integers(0, 6, n),  # int64: the estimator records it as float64 numbers
        "age": rng.integers(18, 80, n).astype(float),
        "plan": rng.choice(["basic", "plus", "pro"], n),
        "member": rng.random(n) < 0.4,  # bool: the estimator records it as False / True
    })
    y = ((X["visits"] > 2) ^ (X["plan"] == "pro") ^ X["member"] ^ (rng.random(n) < 0.15)).astype(int).to_numpy()
    X.loc[[3, 10, 50], "age"] = np.nan  # a risk score leaves its age conditions unearned there, and says so
    return X, y


MODELS = {
    "risk_score": lambda: RiskScoreClassifier(max_features=3),
    "risk_score_about_class_0": lambda: RiskScoreClassifier(max_features=3, pos_label=0, class_weight={0: 1, 1: 2}),
    "gam": lambda: GAMClassifier(random_state=0, max_rounds=30, interactions=0),
    "linear": lambda: SparseLinearClassifier(alpha=0.01),
}


@pytest.mark.parametrize("name", MODELS)
def test_reasons_of_the_loaded_model_are_the_estimators(name):
    X, y = _data()
    if name == "linear":  # linear models refuse missing values
        X = X.fillna({"age": 40.0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MODELS[name]().fit(X, y)
    loaded = glassbox.from_json(model.to_json())
    rows = X.iloc[[0, 3, 10, 20]]
    ours = reason_codes(model, rows, reference=X, adverse=0)
    theirs = reason_codes(loaded, rows, reference=X, adverse=0)
    assert theirs == ours
    assert theirs.to_json() == ours.to_json()
    assert str(theirs) == str(ours)
    values = theirs.explanation.feature_values
    assert all(type(v) is int for v in values[:, 0])  # int64 input recorded as the estimator records it
    assert all(isinstance(v, bool) for v in values[:, 3])  # and a bool column as flags


FLAG_INPUTS = {  # every way a column arrives as flags at fit, and the plain bools of a nested list (numbers)
    "pandas nullable boolean": lambda b, f: pd.DataFrame({"b": pd.array(np.where(_gap(b), None, b), "boolean"),
                                                          "f": f}),
    "pandas object bools": lambda b, f: pd.DataFrame({"b": np.where(_gap(b), None, b).astype(object), "f": f}),
    "numpy object array": lambda b, f: np.column_stack([np.where(_gap(b), None, b).astype(object), f]),
    "numpy bool array": lambda b, f: np.column_stack([b, ~b]),
    "nested list": lambda b, f: np.column_stack([b, ~b]).tolist(),
}


def _gap(b):
    gap = np.zeros(len(b), dtype=bool)
    gap[1] = True  # one missing flag
    return gap


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("kind", FLAG_INPUTS)
def test_a_loaded_model_records_flags_as_its_estimator(kind):
    rng = np.random.default_rng(1)
    b, f = rng.random(200) < 0.5, rng.random(200)
    X = FLAG_INPUTS[kind](b, f)
    model = GAMClassifier(random_state=0, max_rounds=10, interactions=0).fit(X, (b ^ (f > 0.7)).astype(int))
    loaded = glassbox.from_json(model.to_json())
    ours = reason_codes(model, X, reference=X, adverse=0)
    theirs = reason_codes(loaded, X, reference=X, adverse=0)
    assert theirs.to_json() == ours.to_json()
    assert str(theirs) == str(ours)
    recorded = theirs.explanation.feature_values[:3, 0].tolist()
    assert [repr(v) for v in recorded] == [repr(v) for v in ours.explanation.feature_values[:3, 0].tolist()]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", MODELS)
def test_a_loaded_model_records_0_and_1_of_a_fitted_flag_as_its_estimator(name):
    """Fitted on a bool column, given 0/1 integers later (a database without booleans): still flags."""
    X, y = _data()
    X = X.fillna({"age": 40.0})
    model = MODELS[name]().fit(X, y)
    loaded = glassbox.from_json(model.to_json())
    rows = X.iloc[:6].assign(member=X["member"].iloc[:6].astype(int))
    ours = reason_codes(model, rows, reference=X, adverse=0)
    theirs = reason_codes(loaded, rows, reference=X, adverse=0)
    assert [repr(v) for v in theirs.explanation.feature_values[:, 3]] == \
        [repr(v) for v in ours.explanation.feature_values[:, 3]] == [repr(bool(v)) for v in rows["member"]]
    assert theirs.to_json() == ours.to_json()


def test_a_loaded_card_gives_each_row_its_score_and_risk_line():
    X, y = _data()
    model = RiskScoreClassifier(max_features=3).fit(X, y)
    loaded = glassbox.from_json(model.to_json())
    rows = X.iloc[:4]
    explanation = reason_codes(loaded, rows, reference=X, adverse=0).explanation
    notes = explanation.notes
    assert notes == model.explain_local(rows).notes
    assert all(note.startswith("SCORE (points earned)") and "the scorecard's row for SCORE" in note for note in notes)
    assert "not earned: age is missing" in notes[3]  # row 3's age is missing
    card = model.explain_global()
    assert notes == card.local_notes(card.term_contributions(rows), explanation.unearned_missing)


def _data_without_a_member_signal():
    """``member`` (bool) carries no signal, so a card of two conditions reads only ``age``."""
    rng = np.random.default_rng(2)
    n = 300
    X = pd.DataFrame({"age": rng.integers(20, 80, n).astype(float), "member": rng.random(n) < 0.5,
                      "plan": rng.choice(["basic", "plus", "pro"], n)})
    y = ((X["age"] > 50) ^ (rng.random(n) < 0.1)).astype(int).to_numpy()
    return X, y


@pytest.mark.parametrize("pos_label", [1, 0])
@pytest.mark.parametrize("given", ["0/1 integers", "bools"])
def test_a_loaded_card_records_a_flag_it_does_not_read_as_its_estimator(given, pos_label):
    """A flag the card dropped is recorded as False / True too: the form lists the fitted flags, not only
    those its conditions read."""
    X, y = _data_without_a_member_signal()
    model = RiskScoreClassifier(max_features=2, pos_label=pos_label).fit(X, y)
    assert "member" not in {condition.feature for condition in model.explain_global().conditions}
    loaded = glassbox.from_json(model.to_json())
    rows = X.iloc[:6]
    if given == "0/1 integers":
        rows = rows.assign(member=rows["member"].astype(int))
    ours = reason_codes(model, rows, reference=X, adverse=0)
    theirs = reason_codes(loaded, rows, reference=X, adverse=0)
    assert [repr(v) for v in theirs.explanation.feature_values[:, 1]] == \
        [repr(v) for v in ours.explanation.feature_values[:, 1]] == [repr(bool(v)) for v in rows["member"]]
    assert theirs.to_json() == ours.to_json()


FAMILIES = {
    **MODELS,
    "rule_list": lambda: glassbox.BayesianRuleListClassifier(n_iter=200, random_state=0),
    "decision_set": lambda: glassbox.DecisionSetClassifier(random_state=0),
}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", FAMILIES)
def test_every_form_lists_the_features_fitted_as_flags(name):
    X, y = _data_without_a_member_signal()
    model = FAMILIES[name]().fit(X, y)
    form = model.explain_global()
    assert form.flag_features == ("member",)
    assert glassbox.from_json(model.to_json()).flag_features == ("member",)
    numbers = FAMILIES[name]().fit(X.assign(member=X["member"].astype(int)), y)  # 0/1 at fit: a number
    assert numbers.explain_global().flag_features == ()
    assert "flag_features" not in numbers.explain_global().to_dict()  # payloads without flags are as before


def test_a_form_written_before_flag_features_loads_with_those_its_terms_read():
    X, y = _data()
    model = RiskScoreClassifier(max_features=3).fit(X, y)
    payload = model.explain_global().to_dict()
    del payload["flag_features"]
    older = glassbox.GlobalExplanation.from_dict(payload)
    assert older.flag_features == ()
    read = {condition.feature for condition in older.conditions if condition.on_boolean}
    assert read == {"member"}
    rows = X.iloc[:6].assign(member=X["member"].iloc[:6].astype(int))
    recorded = reason_codes(older, rows, reference=X, adverse=0).explanation.feature_values[:, 3]
    assert [repr(v) for v in recorded] == [repr(bool(v)) for v in rows["member"]]


@pytest.mark.parametrize("edited, problem", [
    ("ab", "a list or tuple of feature names"),  # a bare string would read as the flags 'a' and 'b'
    (["member", "member"], "more than once"),
    ([1], "a list or tuple of feature names"),
    ({"member": True}, "a list or tuple of feature names"),
])
def test_a_damaged_list_of_flag_features_is_refused_naming_the_field(edited, problem):
    X, y = _data()
    payload = RiskScoreClassifier(max_features=3).fit(X, y).explain_global().to_dict()
    assert payload["flag_features"] == ["member"]
    payload["flag_features"] = edited
    with pytest.raises(ValueError, match=problem) as refused:
        glassbox.GlobalExplanation.from_dict(payload)
    assert "flag_features" in str(refused.value) and "to_json()" in str(refused.value)


def test_a_form_is_built_only_with_a_list_of_distinct_flag_features():
    from dataclasses import replace

    X, y = _data()
    form = RiskScoreClassifier(max_features=3).fit(X, y).explain_global()
    with pytest.raises(TypeError, match="flag_features must be a list or tuple of feature names"):
        replace(form, flag_features="member")
    with pytest.raises(ValueError, match=r"flag_features names \['member'\] more than once"):
        replace(form, flag_features=("member", "member"))
    assert replace(form, flag_features=["member"]).flag_features == ("member",)
