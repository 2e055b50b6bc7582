"""A model file is refused when it is read if its first prediction could not use it.

Each term, condition and record of training values reads a feature by name: one
that is not among ``feature_names`` would fail on the first row with a bare
KeyError, or read an undeclared column of a wider frame.  Feature names given
twice, a ``>=`` / ``<`` threshold that is no number and a classifier without
classes fail likewise.  One check in the base class serves every kind of model;
each message names the field.
"""

import copy
import json
import warnings

import numpy as np
import pytest

import glassbox
from glassbox.explain import Condition
from explain_fixtures import QUICK_MODELS, mixed_applicants


MODELS = {name: make for name, make in QUICK_MODELS.items() if not name.endswith("_regressor")}


@pytest.fixture(scope="module")
def payloads():
    X, y = mixed_applicants()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {name: json.loads(make().fit(X, y).to_json()) for name, make in MODELS.items()}


def _feature_fields(name, content):
    """The dicts in ``content`` whose "feature" a ``name`` model's first term reads."""
    if name == "gam_classifier":
        return [content["terms"][0]["bins"][0]]
    if name == "linear_classifier":
        return [content["terms"][0]]
    if name == "risk_score":
        return [content["conditions"][0]]
    return [next(rule for rule in content["rules"] if rule["conditions"])["conditions"][0]]


def _load(payload):
    return glassbox.from_json(json.dumps(payload))


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("feature", ["agee", 1.5, None, ["age"]])
def test_a_term_reading_an_undeclared_feature_is_refused(payloads, name, feature):
    edited = copy.deepcopy(payloads[name])
    _feature_fields(name, edited["content"])[0]["feature"] = feature
    with pytest.raises(ValueError, match=r"(term 1 .*not among the feature_names|where feature names are strings)"):
        _load(edited)


@pytest.mark.parametrize("name", ["gam_classifier", "linear_classifier", "rule_list"])
def test_training_values_of_an_undeclared_feature_are_refused(payloads, name):
    edited = copy.deepcopy(payloads[name])
    if not edited["content"].get("training_values"):
        pytest.skip("this model records no training values")
    edited["content"]["training_values"][0]["feature"] = "agee"
    with pytest.raises(ValueError, match="training_values entry 1 reads the feature 'agee'"):
        _load(edited)


def test_a_term_reading_an_undeclared_column_of_a_wide_frame_is_refused(payloads):
    # with a frame holding "agee" as well, the file would have scored by a column the model never declared
    edited = copy.deepcopy(payloads["risk_score"])
    edited["content"]["conditions"][0]["feature"] = "agee"
    with pytest.raises(ValueError, match="reads the feature 'agee', which is not among the feature_names"):
        _load(edited)


@pytest.mark.parametrize("name", MODELS)
def test_feature_names_given_twice_or_not_as_names_are_refused(payloads, name):
    edited = copy.deepcopy(payloads[name])
    edited["feature_names"][1] = edited["feature_names"][0]
    with pytest.raises(ValueError, match=r"feature_names names \['age'\] more than once"):
        _load(edited)
    edited["feature_names"] = "age"
    with pytest.raises(ValueError, match="feature_names must be a list or tuple of feature names"):
        _load(edited)


@pytest.mark.parametrize("name", MODELS)
def test_a_classifier_without_classes_is_refused(payloads, name):
    edited = copy.deepcopy(payloads[name])
    edited["classes"] = None
    with pytest.raises(ValueError, match="classes is null, where a classifier"):
        _load(edited)


@pytest.mark.parametrize("name", ["rule_list", "decision_set", "risk_score"])
@pytest.mark.parametrize("value", [None, "abc", {}, pytest.param(10**400, id="10**400"), "nan"])
def test_a_threshold_that_is_no_finite_number_is_refused(payloads, name, value):
    edited = copy.deepcopy(payloads[name])
    condition = next(c for c in _conditions(name, edited["content"]) if c["op"] in (">=", "<"))
    condition["value"] = value
    with pytest.raises(ValueError, match=f"threshold of the condition on {condition['feature']!r}"):
        _load(edited)


def _conditions(name, content):
    if name == "risk_score":
        return content["conditions"]
    return [c for rule in content["rules"] for c in rule["conditions"]]


def test_conditions_refuse_what_they_cannot_compare():
    for value in (None, "45", float("nan"), float("inf"), False, 10**400):
        with pytest.raises(ValueError, match="is not a finite number or True"):
            Condition("age", ">=", value)
    for value in (None, ["a"], {"a": 1}):
        with pytest.raises(ValueError, match="is not a category level"):
            Condition("city", "==", value)
    # what estimators write still builds: numbers, numpy numbers, the flag threshold True, any level
    for value in (45, 45.5, np.float64(45.5), np.int64(3), True, np.True_):
        Condition("age", "<", value)
    for value in ("a", 1, 2.5, True, b"x"):
        Condition("city", "==", value)
