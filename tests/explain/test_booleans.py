"""Boolean features (flags such as ``smoker``) read as booleans in every explanation.

The models fit a bool column as the number 0/1; only what the explanations
print changes: ``smoker`` / ``not smoker`` conditions, ``False`` / ``True``
GAM bins, ``smoker=False`` inputs.  Fits and predictions stay those of the
0/1 column, monotone constraints keep working, and JSON keeps the fact.
"""

import json
import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import (
    BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier, SparseLinearClassifier,
)
from glassbox.explain import Condition, FeatureBins


def _flags(n=600, seed=0, nullable=False):
    """Risk is high for smokers over 50; ``smoker`` a bool column (nullable ``boolean`` with pd.NA)."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"smoker": rng.rand(n) < 0.35, "age": rng.randint(20, 80, n)})
    y = ((X["smoker"] & (X["age"] > 50)) | (rng.rand(n) < 0.08)).astype(int).to_numpy()
    if nullable:
        X["smoker"] = X["smoker"].astype("boolean")
        X.loc[::25, "smoker"] = pd.NA
    return X, y


def _as_numbers(X):
    """The same frame with every boolean column as float 0/1 (pd.NA as NaN)."""
    return X.assign(**{c: X[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
                       for c in X.columns if str(X[c].dtype) in ("bool", "boolean")})


def _brl():
    return BayesianRuleListClassifier(n_chains=2, n_iter=2000, random_state=0)


def _quiet_fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of the short rule-list chains
        return model.fit(X, y)


FAMILIES = {
    "rule list": _brl,
    "decision set": lambda: DecisionSetClassifier(pool_size=200, n_restarts=1, random_state=0),
    "risk score": RiskScoreClassifier,
    "GAM": lambda: GAMClassifier(interactions=1, outer_bags=2, random_state=0),
    "sparse linear": SparseLinearClassifier,
}


def test_condition_on_a_boolean_prints_the_flag():
    assert str(Condition("smoker", ">=", True)) == "smoker"
    assert str(Condition("smoker", "<", True)) == "not smoker"
    assert str(Condition("smoker", ">=", 1.0)) == "smoker >= 1"  # a number (an older payload) prints as before
    values = np.array([0.0, 1.0, np.nan])
    assert Condition("smoker", ">=", True).evaluate_column(values).tolist() == [False, True, False]
    assert Condition("smoker", "<", True).evaluate_column(values).tolist() == [True, False, False]


def test_feature_bins_of_a_boolean():
    bins = FeatureBins("smoker", "numeric", thresholds=[1.0], boolean=True)
    assert bins.bin_labels() == ["False", "True", "missing"]
    assert bins.codes(np.array([False, True, np.nan], dtype=object)).tolist() == [0, 1, 2]
    assert FeatureBins.from_dict(json.loads(json.dumps(bins.to_dict()))) == bins
    assert bins != FeatureBins("smoker", "numeric", thresholds=[1.0])
    assert "boolean" not in FeatureBins("age", "numeric", thresholds=[40.0]).to_dict()
    with pytest.raises(ValueError, match="threshold 1"):
        FeatureBins("smoker", "numeric", thresholds=[0.5], boolean=True)


def test_rule_list_text_and_why_note():
    X, y = _flags()
    model = _quiet_fit(_brl(), X, y)
    text = str(model.explain_global())
    assert ">= 1" not in text and "< 1" not in text
    assert "smoker" in text
    local = model.explain_local(X.iloc[:40])
    printed = local.to_text(max_rows=None)
    assert "smoker=False" in printed and "smoker=True" in printed
    assert "smoker=0" not in printed and "smoker = 0" not in printed
    notes = " ".join(local.notes)
    assert "smoker is false (smoker = False)" in notes or "not smoker is false (smoker = True)" in notes


def test_decision_set_and_scorecard_text():
    X, y = _flags()
    rules = str(_quiet_fit(FAMILIES["decision set"](), X, y).explain_global())
    card = RiskScoreClassifier().fit(X, y).explain_global()
    for text in (rules, str(card), card._repr_html_()):
        assert "smoker >= 1" not in text and "smoker < 1" not in text
    assert "smoker" in rules
    assert "smoker" in card.term_names
    assert card.to_frame()["condition"].tolist() == ["(intercept)", *card.term_names]
    assert "+1 points" not in str(card) and "-1 points" not in str(card)


def test_gam_bins_text_frame_and_plot():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from glassbox.plotting import ShapeFunctionDisplay

    X, y = _flags(nullable=True)
    model = GAMClassifier(interactions=0, outer_bags=1, random_state=0).fit(X, y)
    shapes = model.explain_global()
    frame = shapes.to_frame()
    assert frame.loc[frame["term"] == "smoker", "bin"].tolist() == ["False", "True", "missing"]
    text = shapes.to_text(max_bins=None, max_terms=None)
    assert "  False" in text and "  True" in text and "< 1" not in text and ">= 1" not in text
    display = ShapeFunctionDisplay.from_estimator(model, term="smoker", show_density=False)
    assert display.bars_ is not None and display.line_ is None  # two bars, not steps over 0..1
    assert [t.get_text() for t in display.ax_.get_xticklabels()] == ["False", "True"]
    local = model.explain_local(X.iloc[[1, 25]])  # row 25 holds pd.NA
    assert type(local.feature_values[0, 0]) is bool
    assert f"smoker={X['smoker'].iloc[1]}" in str(local) and "smoker=missing" in str(local)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_predictions_are_those_of_the_numeric_encoding(family):
    X, y = _flags()
    numbers = _as_numbers(X)
    model = _quiet_fit(FAMILIES[family](), X, y)
    twin = _quiet_fit(FAMILIES[family](), numbers, y)
    assert model.is_boolean_.tolist() == [True, False] and not twin.is_boolean_.any()
    expected = twin.decision_function(numbers)
    np.testing.assert_array_equal(model.decision_function(X), expected)
    # a flag that arrives as 0/1 numbers or True/False objects predicts the same
    np.testing.assert_array_equal(model.decision_function(numbers), expected)
    np.testing.assert_array_equal(model.decision_function(X.astype({"smoker": object})), expected)
    np.testing.assert_array_equal(model.explain_global().decision_function(X), expected)
    np.testing.assert_array_equal(model.explain_local(X.iloc[:30]).contributions,
                                  twin.explain_local(numbers.iloc[:30]).contributions)
    local = model.explain_local(numbers.iloc[:5])  # numbers in, the fitted flag shown
    assert set(local.feature_values[:, 0].tolist()) <= {False, True}
    assert all(type(v) is bool for v in local.feature_values[:, 0])


def test_integer_zero_one_column_is_a_number():
    X, y = _flags()
    counts = X.assign(smoker=X["smoker"].astype(int))
    model = RiskScoreClassifier().fit(counts, y)
    assert not model.is_boolean_.any()
    assert "smoker >= 1" in model.explain_global().term_names
    assert "input: smoker=0" in str(model.explain_local(counts.iloc[[int(np.flatnonzero(~X["smoker"])[0])]]))


def test_monotone_constraint_on_a_boolean_stays_exact():
    X, y = _flags()  # smokers are at higher risk: a decreasing constraint must flatten the flag
    gam = GAMClassifier(interactions=0, outer_bags=1, random_state=0, monotonic_cst={"smoker": -1}).fit(X, y)
    term = gam.explain_global().terms[gam.explain_global().term_names.index("smoker")]
    assert term.scores[1] <= term.scores[0]
    rising = GAMClassifier(interactions=0, outer_bags=1, random_state=0, monotonic_cst={"smoker": 1}).fit(X, y)
    term = rising.explain_global().terms[rising.explain_global().term_names.index("smoker")]
    assert term.scores[1] >= term.scores[0] and term.bins[0].boolean
    grid = pd.DataFrame({"smoker": [False, True] * 60, "age": np.repeat(np.arange(20, 80), 2)})
    decision = gam.decision_function(grid).reshape(-1, 2)
    assert np.all(decision[:, 1] <= decision[:, 0])
    if term.scores[0] == term.scores[1]:  # flattened: False and True print as one row
        assert "  all values" in gam.explain_global().to_text(max_bins=None, max_terms=None)
    card = RiskScoreClassifier(monotonic_cst={"smoker": -1}).fit(X, y).explain_global()
    for condition, points in zip(card.conditions, card.points):
        if condition.feature == "smoker":
            assert (points <= 0) if condition.op == ">=" else (points >= 0)


@pytest.mark.parametrize("family", ["rule list", "decision set", "risk score", "GAM"])
def test_json_keeps_the_flag_and_the_text(family):
    X, y = _flags(nullable=True)
    model = _quiet_fit(FAMILIES[family](), X, y)
    payload = model.to_json()
    # the fact is in the payload: a boolean GAM bin, or a condition's threshold True
    assert '"boolean": true' in payload if family == "GAM" else '"value": true' in payload
    restored = glassbox.from_json(payload)
    assert str(restored) == str(model.explain_global())
    assert restored.to_json() == payload
    np.testing.assert_array_equal(restored.decision_function(X), model.decision_function(X))


def _strip_boolean(node):
    """An older payload: no ``boolean`` field on bins, and boolean thresholds written as the number 1."""
    if isinstance(node, dict):
        if node.get("op") in (">=", "<") and node.get("value") is True:
            node = {**node, "value": 1.0}
        return {k: _strip_boolean(v) for k, v in node.items() if k != "boolean"}
    if isinstance(node, list):
        return [_strip_boolean(v) for v in node]
    return node


@pytest.mark.parametrize("family", ["risk score", "GAM"])
def test_payload_without_the_flag_loads_as_before(family):
    X, y = _flags()
    model = FAMILIES[family]().fit(X, y)
    old = json.dumps(_strip_boolean(json.loads(model.to_json())))
    assert old != model.to_json()
    restored = glassbox.from_json(old)
    np.testing.assert_array_equal(restored.decision_function(X), model.decision_function(X))
    text = str(restored) if family == "risk score" else restored.to_text(max_bins=None, max_terms=None)
    assert "smoker >= 1" in text if family == "risk score" else ">= 1" in text


def test_model_pickled_before_the_flag_still_predicts():
    X, y = _flags()
    model = RiskScoreClassifier().fit(X, y)
    old = pickle.loads(pickle.dumps(model))
    del old.is_boolean_
    np.testing.assert_array_equal(old.decision_function(X), model.decision_function(X))
    assert "smoker=0" in str(old.explain_local(X.iloc[[int(np.flatnonzero(~X["smoker"])[0])]]))


def test_polars_and_numpy_booleans():
    X, y = _flags()
    on_array = RiskScoreClassifier().fit(np.column_stack([X["smoker"], X["age"] > 50]), y)
    assert on_array.is_boolean_.tolist() == [True, True]
    assert all(">=" not in name and "<" not in name for name in on_array.explain_global().term_names)
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"smoker": X["smoker"].to_numpy(), "age": X["age"].to_numpy()})
    model = RiskScoreClassifier().fit(frame, y)
    assert model.is_boolean_.tolist() == [True, False]
    assert model.explain_global().term_names == RiskScoreClassifier().fit(X, y).explain_global().term_names


def test_boolean_named_categorical_is_a_categorical():
    X, y = _flags()
    model = RiskScoreClassifier(categorical_features=["smoker"]).fit(X, y)
    assert model.is_categorical_.tolist() == [True, False] and not model.is_boolean_.any()


def _odd_flags(X):
    """``X`` with smoker = 2, -1 and 0.5 in its first three rows (the rest stays 0/1)."""
    odd = _as_numbers(X)
    odd.loc[:2, "smoker"] = [2.0, -1.0, 0.5]
    return odd


FIX = "The model was fitted on a boolean column 'smoker'; pass True/False (or 0/1)"


@pytest.mark.parametrize("family", list(FAMILIES))
def test_a_flag_refuses_other_values_in_every_family(family):
    X, y = _flags()
    model = _quiet_fit(FAMILIES[family](), X, y)
    odd = _odd_flags(X)
    # a linear model would count 2 as twice the coefficient, the binned ones read it as True: all refuse
    for method in (model.predict, model.predict_proba, model.decision_function, model.explain_local):
        with pytest.raises(ValueError, match=r"'smoker' \(-1, 0\.5, 2\)") as error:
            method(odd)
        assert FIX in str(error.value)
    with pytest.raises(ValueError, match=r"'smoker' \(2\)"):
        model.predict(X.astype({"smoker": object}).assign(smoker=[True, 2] + [False] * (len(X) - 2)))
    # 0/1 numbers, True/False objects and missing values are a flag's values
    np.testing.assert_array_equal(model.decision_function(_as_numbers(X)), model.decision_function(X))


@pytest.mark.parametrize("family", ["rule list", "decision set", "risk score", "GAM", "sparse linear"])
def test_a_flag_refuses_other_values_after_json(family):
    # the sparse linear models refuse missing values, so their flags have none
    X, y = _flags(nullable=family != "sparse linear")
    model = _quiet_fit(FAMILIES[family](), X, y)
    for loaded in (glassbox.from_json(model.to_json()), model.explain_global()):
        with pytest.raises(ValueError, match=r"'smoker' \(-1, 0\.5, 2\)") as error:
            loaded.decision_function(_odd_flags(X))
        assert FIX in str(error.value)
        np.testing.assert_array_equal(loaded.decision_function(_as_numbers(X)), model.decision_function(X))


def test_condition_and_bins_of_a_flag_refuse_other_values():
    with pytest.raises(ValueError, match=r"'smoker' \(3\)"):
        Condition("smoker", ">=", True).evaluate_column(np.array([0.0, 1.0, 3.0]))
    assert Condition("smoker", ">=", 1.0).evaluate_column(np.array([0.0, 3.0])).tolist() == [False, True]
    bins = FeatureBins("smoker", "numeric", thresholds=[1.0], boolean=True)
    assert bins.codes(np.array([True, False, None], dtype=object)).tolist() == [1, 0, 2]
    with pytest.raises(ValueError, match=r"'smoker' \(0\.5\)"):
        bins.codes(np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="was a boolean column when the model was fitted but now holds text"):
        bins.codes(np.array(["True", "False"], dtype=object))


@pytest.mark.parametrize("family", ["risk score", "GAM"])
def test_text_true_false_is_refused_as_a_flag(family):
    X, y = _flags()
    model = FAMILIES[family]().fit(X, y)
    text = X.assign(smoker=X["smoker"].astype(str))
    with pytest.raises(ValueError, match=r"'smoker' was a boolean column .* holds text \('False', 'True'\)") as error:
        model.predict(text)
    assert "X['smoker'].map({'True': True, 'False': False})" in str(error.value)
    fixed = text.assign(smoker=text["smoker"].map({"True": True, "False": False}))
    np.testing.assert_array_equal(model.decision_function(fixed), model.decision_function(X))


@pytest.mark.parametrize("family", ["rule list", "decision set", "risk score", "GAM", "sparse linear"])
def test_boolean_named_categorical_has_levels_false_and_true(family):
    X, y = _flags()
    model = _quiet_fit(FAMILIES[family]().set_params(categorical_features=["smoker"]), X, y)
    numbers = _as_numbers(X)
    twin = _quiet_fit(FAMILIES[family]().set_params(categorical_features=["smoker"]), numbers, y)
    expected = twin.decision_function(numbers)
    # levels False / True instead of 0 / 1; fit and predictions are those of the 0/1 column, in any form
    for form in (X, numbers, X.astype({"smoker": object})):
        np.testing.assert_array_equal(model.decision_function(form), expected)
    restored = glassbox.from_json(model.to_json())
    np.testing.assert_array_equal(restored.decision_function(numbers), expected)
    np.testing.assert_array_equal(restored.decision_function(X), expected)
    if family == "GAM":
        bins = model.explain_global().terms[model.explain_global().term_names.index("smoker")].bins[0]
        assert [type(v) for v in bins.categories] == [bool, bool]
        assert bins.bin_labels()[:2] == ["False", "True"]
    else:
        text, before = str(model.explain_global()), str(twin.explain_global())
        assert "smoker == 0" in before or "smoker == 1" in before  # the 0/1 column's levels are numbers
        renamed = before.replace("smoker == 0", "smoker == False").replace("smoker == 1", "smoker == True")
        assert re.sub(r"[ -]+", " ", text) == re.sub(r"[ -]+", " ", renamed)  # the same, up to column widths
    assert "input: smoker=False" in str(model.explain_local(X.loc[~X["smoker"]].iloc[:1]))


@pytest.mark.parametrize("family", ["decision set", "risk score", "GAM"])
def test_object_true_false_column_is_the_bool_column(family):
    X, y = _flags(nullable=True)
    objects = X.astype({"smoker": object})  # True / False / pd.NA objects, as a CSV reader or a concat leaves them
    model = _quiet_fit(FAMILIES[family](), objects, y)
    twin = _quiet_fit(FAMILIES[family](), X, y)
    assert model.is_boolean_.tolist() == [True, False] and not model.is_categorical_.any()
    np.testing.assert_array_equal(model.decision_function(objects), twin.decision_function(X))
    assert str(model.explain_global()) == str(twin.explain_global())
