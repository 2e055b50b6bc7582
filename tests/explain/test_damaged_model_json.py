"""A model file whose numbers were damaged is refused at load, not met later as a NaN prediction or a crash.

NaN or infinity among the numbers the output is made of (base value,
coefficients, term scores, rule scores, points) would make every prediction NaN
and every label the first class; an array one entry short (a rule's
probabilities, a coefficient table's column, the risk table) loads and then
crashes the printout; a rule's probabilities edited apart from its scores print
one probability while the model predicts another.
"""

import copy
import json

import numpy as np
import pytest

import glassbox
from explain_fixtures import QUICK_MODELS, fitted_quick_models, mixed_applicants


MODELS = QUICK_MODELS


@pytest.fixture(scope="module")
def payloads():
    return {name: json.loads(model.to_json()) for name, model in fitted_quick_models(MODELS).items()}


def _output_arrays(name, payload):
    """``{what the message names: array payload}`` of the numbers a ``name`` model's output is made of."""
    content = payload["content"]
    arrays = {"base_value": payload["base_value"]}
    if name.startswith("gam"):
        arrays["the scores of term"] = content["terms"][0]["scores"]
    elif name.startswith("linear"):
        arrays["coefficients"] = content["coefficients"]
    elif name == "risk_score":
        arrays["the points"] = content["points"]
    else:
        arrays["the scores of rule 1"] = content["rules"][0]["scores"]
        arrays["the scores of the default"] = content["default"]["scores"]
    return arrays


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("marker", ["nan", "inf", "-inf"])
def test_non_finite_output_numbers_are_refused(payloads, name, marker):
    for what in _output_arrays(name, payloads[name]):
        edited = copy.deepcopy(payloads[name])
        target = _output_arrays(name, edited)[what]
        target["dtype"] = "<f8"  # points are integers: the edit writes a float array, as a hand edit would
        target["data"] = [marker] + target["data"][1:]
        kind = "NaN" if marker == "nan" else "infinity"
        with pytest.raises(ValueError, match=rf"damaged or incomplete: .*{what}.*: {kind} in 1 of"):
            glassbox.from_json(json.dumps(edited))


def test_points_must_be_whole_numbers(payloads):
    edited = copy.deepcopy(payloads["risk_score"])
    edited["content"]["points"]["dtype"] = "<f8"
    edited["content"]["points"]["data"][0] += 0.5
    with pytest.raises(ValueError, match="damaged or incomplete: .*the points must be whole numbers"):
        glassbox.from_json(json.dumps(edited))


@pytest.mark.parametrize("name", MODELS)
def test_the_written_files_load_and_predict_as_written(payloads, name):
    X, _ = mixed_applicants()
    loaded = glassbox.from_json(json.dumps(payloads[name]))
    assert loaded.to_dict() == payloads[name]
    assert np.all(np.isfinite(loaded.decision_function(X)))


def _one_short(array_payload):
    array_payload["data"] = array_payload["data"][:-1]
    array_payload["shape"] = [array_payload["shape"][0] - 1] + array_payload["shape"][1:]


def _one_short_edits():
    """(model, path to an array in the content, what the message names)."""
    return [
        ("rule_list", ("rules", 0, "probabilities"), r"the probabilities of rule 1 has shape \(1,\) where classes"),
        ("rule_list", ("rules", 0, "interval_high"), r"the interval_high of rule 1 has shape \(1,\)"),
        ("rule_list", ("default", "probabilities"), r"the probabilities of the default has shape \(1,\)"),
        ("decision_set", ("default", "probabilities"), r"the probabilities of the default has shape \(1,\)"),
        ("linear_classifier", ("standardized_coefficients",), r"standardized_coefficients has shape .* where "
                                                              r"coefficients needs"),
        ("linear_classifier", ("constraints",), r"constraints has \d+ entries where terms has"),
        ("linear_classifier", ("term_means",), r"term_means has \d+ entries where terms has"),
        ("linear_classifier", ("coefficients",), r"coefficients has shape .* where \d+ terms"),
        ("risk_score", ("risk_scores",), r"risk_predicted has shape .* where risk_scores needs"),
        ("risk_score", ("risk_count",), r"risk_count has shape .* where risk_scores needs"),
        ("risk_score", ("points",), r"points has \d+ entries where conditions has"),
    ]


@pytest.mark.parametrize("name, path, message", _one_short_edits(), ids=lambda v: "-".join(map(str, v))
                         if isinstance(v, tuple) else str(v)[:20])
def test_an_array_one_entry_short_is_refused_at_load(payloads, name, path, message):
    edited = copy.deepcopy(payloads[name])
    target = edited["content"]
    for key in path:
        target = target[key]
    _one_short(target)
    with pytest.raises(ValueError, match=rf"damaged or incomplete: ValueError: {message}"):
        glassbox.from_json(json.dumps(edited))


def test_a_multiclass_term_without_its_class_axis_is_refused(payloads):
    edited = copy.deepcopy(payloads["gam_regressor"])
    edited["base_value"] = {"dtype": "<f8", "shape": [3], "data": [0.0, 0.0, 0.0]}
    with pytest.raises(ValueError, match=r"the scores of term 'age' has shape \(\d+,\) where its bins and base_value"):
        glassbox.from_json(json.dumps(edited))


@pytest.mark.parametrize("name", ["rule_list", "decision_set"])
def test_probabilities_edited_apart_from_the_scores_are_refused(payloads, name):
    # the printout reads the probabilities, predict_proba the scores: the file would print one, predict another
    edited = copy.deepcopy(payloads[name])
    rule = edited["content"]["rules"][0] if edited["content"]["rules"] else edited["content"]["default"]
    rule["probabilities"]["data"] = [0.1, 0.9]
    with pytest.raises(ValueError, match=r"the probabilities of (rule 1|the default) \[0.1, 0.9\] are not those of "
                                         r"its scores"):
        glassbox.from_json(json.dumps(edited))
