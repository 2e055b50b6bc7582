"""Hand-edited, merged or truncated JSON of models and reports: refused at load, with the field named.

A model file whose classes do not fit its link (a third label beside a binary
model, a label listed twice), a rule model whose base value was edited apart
from its printed probabilities, a shape term whose band or density lost an
entry, a printed count that is negative: each loaded before and then printed one
model while predicting another, or crashed its printout or its next
``to_json()``.  The JSON of a report (a local explanation, reason codes, a
coefficient inference table, a fidelity report or frontier) that lost a key or
holds a value of another type failed with a bare KeyError, IndexError or
AttributeError; it is now a ValueError saying the file is damaged.
"""

import copy
import json
import warnings

import numpy as np
import pytest

import glassbox
from glassbox import DistilledClassifier, GAMClassifier, SparseLinearClassifier, fidelity_frontier, fidelity_report
from glassbox.explain import LocalExplanation
from glassbox.explain.inference import CoefficientInference
from glassbox.explain.reasons import ReasonCodes
from glassbox.surrogate import FidelityFrontier, FidelityReport
from explain_fixtures import fitted_quick_models, mixed_applicants


@pytest.fixture(scope="module")
def fitted():
    return fitted_quick_models()


@pytest.fixture(scope="module")
def payloads(fitted):
    return {name: json.loads(model.to_json()) for name, model in fitted.items()}


def _refused(payload, *fragments):
    with pytest.raises(ValueError, match="damaged or incomplete") as caught:
        glassbox.from_json(json.dumps(payload))
    for fragment in fragments:
        assert fragment in str(caught.value), str(caught.value)


def _edited(payloads, name, edit):
    payload = copy.deepcopy(payloads[name])
    edit(payload)
    return payload


def _set_array(array_payload, data):
    array_payload["data"] = list(data)
    array_payload["shape"] = [len(data)] if array_payload["shape"] else []


# -- models ------------------------------------------------------------------------------------------------------
CLASS_EDITS = {
    # (how the classes are edited, what the message says)
    "one label": (lambda data: data[:1], "classes lists 1 labels"),
    "a third label": (lambda data: data + [7], "classes lists 3 labels"),
    "a label twice": (lambda data: [data[0], data[0]], "more than once"),
}


# (rule models and cards refused labels one short or one too many already: their printed figures have a class axis)
CLASS_CASES = [(name, edit) for name in ("gam_classifier", "linear_classifier") for edit in CLASS_EDITS] + [
    ("rule_list", "a label twice"), ("risk_score", "a label twice")]


@pytest.mark.parametrize("name, edit", CLASS_CASES)
def test_classes_that_do_not_fit_a_binary_model_are_refused(payloads, name, edit):
    # one label failed the first prediction (IndexError); three printed a class never predicted; a label twice
    # was predicted for both outputs
    change, fragment = CLASS_EDITS[edit]
    payload = _edited(payloads, name, lambda p: _set_array(p["classes"], change(p["classes"]["data"])))
    _refused(payload, fragment)


def test_classes_of_a_multiclass_model_are_one_per_output(fitted):
    X, y = mixed_applicants()
    model = SparseLinearClassifier(alpha=0.01).fit(X, np.where(X["city"] == "c", 2, y))
    payload = json.loads(model.to_json())
    _set_array(payload["classes"], payload["classes"]["data"][:2])
    with pytest.raises(ValueError, match="classes lists 2 labels .* the model has 3 output columns"):
        glassbox.from_json(json.dumps(payload))


def test_a_nan_class_label_is_refused(payloads):
    payload = copy.deepcopy(payloads["linear_classifier"])
    payload["classes"] = {"dtype": "<f8", "shape": [2], "data": ["nan", 1.0]}
    _refused(payload, "classes holds NaN")


@pytest.mark.parametrize("name", ["rule_list", "decision_set"])
def test_a_rule_model_with_a_base_value_is_refused(payloads, fitted, name):
    # the base value shifted every prediction while the printout kept the rules' probabilities
    X, _ = mixed_applicants()
    payload = _edited(payloads, name, lambda p: _set_array(p["base_value"], [0.5]) or p["base_value"].update(shape=[]))
    _refused(payload, "base_value is 0.5, where a rule model's is zero")


@pytest.mark.parametrize("field", ["lower", "upper", "density"])
def test_a_shape_term_band_or_density_one_short_is_refused(payloads, field):
    # loaded, then crashed to_frame() and the plots with an IndexError
    def cut(payload):
        array = payload["content"]["terms"][0][field]
        _set_array(array, array["data"][:-1])
    _refused(_edited(payloads, "gam_classifier", cut), f"the {field} of term 'age' has shape")


@pytest.mark.parametrize("field, other", [("lower", "upper"), ("upper", "lower")])
def test_a_shape_term_band_with_one_edge_is_refused(payloads, field, other):
    # loaded and printed, then the shape plot refused it
    payload = _edited(payloads, "gam_classifier", lambda p: p["content"]["terms"][0].update({field: None}))
    _refused(payload, f"the {field} of term 'age' is null while its {other} is given")


def test_a_shape_term_importance_must_be_finite(payloads):
    # loaded, printed NaN, and then failed to_json() (strict JSON holds no NaN)
    payload = _edited(payloads, "gam_classifier", lambda p: p["content"]["terms"][0].update(importance=float("nan")))
    _refused(payload, "the importance of term 'age': NaN")


RULE_FIGURES = {
    "support NaN": ("rule_list", "support", float("nan"), "the support of rule 1 holds nan"),
    "support negative": ("rule_list", "support", -3.0, "the support of rule 1 holds -3.0"),
    "precision above 1": ("decision_set", "precision", 1.5, "the precision of rule 1 holds 1.5"),
    "precision a list": ("decision_set", "precision", [0.9], "the precision of a rule is [0.9]"),
}


@pytest.mark.parametrize("edit", RULE_FIGURES)
def test_printed_rule_figures_a_fit_cannot_give_are_refused(payloads, edit):
    name, field, value, fragment = RULE_FIGURES[edit]
    payload = _edited(payloads, name, lambda p: p["content"]["rules"][0].update({field: value}))
    _refused(payload, fragment)


def test_a_credible_level_outside_0_1_is_refused(payloads):
    payload = _edited(payloads, "rule_list", lambda p: p["content"].update(credible_level=95))
    _refused(payload, "credible_level is 95.0")


def test_a_linear_indicator_that_lost_its_test_is_refused(payloads):
    # without its 'op' the term "city == a" was read as the numeric feature city: the file loaded and every
    # prediction then failed on the text of the column
    def drop_op(payload):
        term = next(t for t in payload["content"]["terms"] if "op" in t)
        del term["op"]
    _refused(_edited(payloads, "linear_classifier", drop_op), "the field 'op' is missing")


@pytest.mark.parametrize("field, value, fragment", [
    ("risk_count", -1.0, "risk_count holds -1.0"),
    ("risk_observed", 1.5, "risk_observed holds 1.5"),
])
def test_a_risk_table_count_or_rate_a_fit_cannot_give_is_refused(payloads, field, value, fragment):
    def edit(payload):
        array = payload["content"][field]
        array["data"] = [value] + array["data"][1:]
    _refused(_edited(payloads, "risk_score", edit), fragment)


def test_a_training_level_with_no_json_form_is_refused(payloads):
    # loaded, then failed its own to_json() with a TypeError
    def edit(payload):
        seen = next(v for v in payload["content"]["training_values"] if v["categories"] is not None)
        seen["categories"]["data"][0] = {"weird": 1}
    _refused(_edited(payloads, "gam_classifier", edit), "is not a category level")


@pytest.mark.parametrize("value", [None, 3, ["GAMClassifier"]])
def test_the_model_name_must_be_text(payloads, value):
    _refused(_edited(payloads, "gam_classifier", lambda p: p.update(model=value)), "model is")


# -- a legitimate hand edit still loads and predicts as the printout says ------------------------------------------
def test_a_shape_value_edited_by_hand_predicts_and_prints_the_edit(payloads, fitted):
    X, _ = mixed_applicants()
    payload = copy.deepcopy(payloads["gam_regressor"])
    term = payload["content"]["terms"][0]
    age_bin = int(np.searchsorted(term["bins"][0]["thresholds"]["data"], X["age"].iloc[0], side="right"))
    term["scores"]["data"][age_bin] += 5.0
    edited = glassbox.from_json(json.dumps(payload))
    assert edited.predict(X.iloc[:1])[0] == pytest.approx(fitted["gam_regressor"].predict(X.iloc[:1])[0] + 5.0)
    assert str(edited) != str(fitted["gam_regressor"].explain_global())


# -- reports -------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reports(fitted):
    """``{name: (loader class, payload)}`` of each report type."""
    X, y = mixed_applicants()
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("gam_classifier", "rule_list", "risk_score"):
            out[f"local {name}"] = (LocalExplanation, fitted[name].explain_local(X.iloc[:3]))
        out["reasons"] = (ReasonCodes, glassbox.reason_codes(fitted["risk_score"], X.iloc[:3], reference=X, adverse=1))
        unpenalized = SparseLinearClassifier(alpha=0.0).fit(X, y)
        out["inference"] = (CoefficientInference, glassbox.coefficient_inference(unpenalized, X, y))
        teacher = GAMClassifier(random_state=0, max_rounds=20, interactions=0).fit(X, y)
        student = DistilledClassifier(teacher, student=SparseLinearClassifier(alpha=0.05), random_state=0).fit(X)
        out["fidelity report"] = (FidelityReport, fidelity_report(teacher, student, X))
        frontier = fidelity_frontier(teacher, X, students=[SparseLinearClassifier(alpha=0.05)], random_state=0)
        out["frontier"] = (FidelityFrontier, frontier)
    return {name: (loader, json.loads(report.to_json())) for name, (loader, report) in out.items()}


def _report_refused(loader, payload, *fragments):
    with pytest.raises(ValueError) as caught:
        loader.from_json(json.dumps(payload))
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize("name", ["local gam_classifier", "local rule_list", "reasons", "inference",
                                  "fidelity report", "frontier"])
def test_a_report_missing_any_key_is_refused_as_damaged(reports, name):
    # each lost key was a bare KeyError (or a crash of the printout later)
    loader, payload = reports[name]
    for key in payload:
        if key == "kind":
            continue
        edited = {k: v for k, v in payload.items() if k != key}
        try:
            loaded = loader.from_json(json.dumps(edited))
        except ValueError as exc:
            assert "damaged or incomplete" in str(exc), (key, str(exc))
            continue
        str(loaded), loaded._repr_html_()  # an optional key: what loads must print


REPORT_EDITS = {
    # name: (report, edit of the payload, what the message names)
    "local prediction cut short": ("local gam_classifier", lambda p: p["prediction"].update(
        data=p["prediction"]["data"][:-1], shape=[len(p["prediction"]["data"]) - 1]), "prediction has 2 entries"),
    "local notes cut short": ("local risk_score", lambda p: p.update(notes=p["notes"][:-1]), "notes has 2 entries"),
    "local classes cut short": ("local gam_classifier", lambda p: p["classes"].update(
        data=p["classes"]["data"][:1], shape=[1]), "classes lists 1 labels"),
    "local fidelity a number": ("local gam_classifier", lambda p: p.update(fidelity=3), "fidelity is a dict"),
    "local a feature name more": ("local gam_classifier", lambda p: p["feature_names"].append("extra"),
                                  "feature_values has 3 columns where feature_names has 4"),
    "local path reads an undeclared feature": ("local rule_list", lambda p: p.update(
        feature_names=[f"{f}_renamed" for f in p["feature_names"]]), "decision_path reads the features"),
    "local row label names one too many": ("local gam_classifier", lambda p: p.update(
        row_labels=p.get("row_labels", [0, 1, 2]), row_label_names=["a", "b"]), "row_label_names"),
    "reasons one_hot a number": ("reasons", lambda p: p.update(one_hot=2), "one_hot is True or False"),
    "inference p_values null": ("inference", lambda p: p.update(p_values=None), "statistics and p_values"),
    "inference statistics cut short": ("inference", lambda p: p["statistics"].update(
        data=p["statistics"]["data"][:-1], shape=[len(p["statistics"]["data"]) - 1]), "statistics has"),
    "inference level null": ("inference", lambda p: p.update(level=None), "level is None"),
    "inference array without shape": ("inference", lambda p: p.update(coefficients={"dtype": "<f8", "data": []}),
                                      "the field 'shape' is missing"),
    "report n_samples NaN": ("fidelity report", lambda p: p.update(n_samples=float("nan")), "n_samples is nan"),
    "report worst row empty": ("fidelity report", lambda p: p["worst_rows"].__setitem__(0, []), "damaged"),
    "report segment difference null": ("fidelity report", lambda p: p["segments"][0].__setitem__(3, None),
                                       "segments[0] is"),
    "report agreement lost": ("fidelity report", lambda p: p["metrics"].pop("agreement"),
                              "the field 'agreement' is missing"),
    "frontier unit null": ("frontier", lambda p: p["rows"][0].update(unit=None), "rows[0]['unit'] is None"),
    "frontier fidelity lost": ("frontier", lambda p: p["rows"][0].pop("fidelity"), "the field 'fidelity' is missing"),
    "frontier target text": ("frontier", lambda p: p.update(target="high"), "target is 'high'"),
    "frontier without rows": ("frontier", lambda p: p.update(rows=[]), "rows is empty"),
    "inference unknown link": ("inference", lambda p: p.update(link="LOGIT"), "link is 'LOGIT'"),
}


@pytest.mark.parametrize("edit", REPORT_EDITS)
def test_a_damaged_report_is_refused_naming_the_field(reports, edit):
    name, change, fragment = REPORT_EDITS[edit]
    loader, payload = reports[name]
    payload = copy.deepcopy(payload)
    change(payload)
    _report_refused(loader, payload, "damaged or incomplete", fragment)


def test_a_report_of_another_kind_names_the_expected_kind(reports):
    loader, payload = reports["local gam_classifier"]
    _report_refused(ReasonCodes, payload,
                    "Expected a reason-code table payload (kind 'reason_codes'), got kind 'local'")
    _report_refused(LocalExplanation, [payload], "got a list")
