"""DecisionSetClassifier: fits that do not depend on how the labels are called, probabilities of the rows
each rule decides, and ``pos_label``."""

import warnings

import numpy as np
import pytest

from glassbox import DecisionSetClassifier
from glassbox.rules._decision_set_tuning import row_groups, validation_folds
from glassbox.rules.mining import bitset_from_mask

@pytest.fixture(scope="module")
def heart(read_shared_csv):
    frame = read_shared_csv("heart.csv")
    return frame.drop(columns="heart_disease"), frame["heart_disease"].to_numpy()


def _fitted_form(model, event):
    """The rules with their class read as 'the event or not', the trials' accuracies and the event's probabilities."""
    rules = [(str(rule), rule.predicted_class == event) for rule in model.rules_]
    trials = [(t["rule_classes"], t["validation_accuracy"]) for t in model.weight_search_]
    return rules, trials, model.rule_classes_


@pytest.mark.parametrize("names", [(1, 0), ("healthy", "disease"), ("b_healthy", "a_disease")])
def test_the_fitted_set_does_not_depend_on_the_labels_names(heart, names):
    # Renaming the labels reorders the class codes; the folds, candidates and ties must not follow them.
    X, y = heart
    reference = DecisionSetClassifier(random_state=0).fit(X, y)
    healthy, disease = names
    renamed = np.where(y == 1, disease, healthy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = DecisionSetClassifier(random_state=0).fit(X, renamed)
    assert _fitted_form(model, disease) == _fitted_form(reference, 1)
    event = list(model.classes_).index(disease)
    np.testing.assert_allclose(model.predict_proba(X)[:, event], reference.predict_proba(X)[:, 1], rtol=1e-12)


def test_validation_folds_do_not_follow_the_class_codes():
    rng = np.random.RandomState(3)
    y = rng.randint(0, 3, 300)
    weights = rng.randint(0, 3, 300).astype(float)
    bits = bitset_from_mask(rng.rand(12, 300) < 0.3)
    for recode in ([2, 0, 1], [1, 2, 0], [2, 1, 0]):
        recoded = np.asarray(recode)[y]
        for n_folds in (1, 2):
            same = validation_folds(y, weights, n_folds, 0, row_groups(bits, y, 300))
            renamed = validation_folds(recoded, weights, n_folds, 0, row_groups(bits, recoded, 300))
            np.testing.assert_array_equal(same, renamed)


@pytest.fixture(scope="module")
def labelled_heart(heart):
    X, y = heart
    return X, np.where(y == 1, "disease", "healthy")


def test_each_rule_gives_the_rate_among_the_rows_it_decides(heart):
    # The printout, frame and JSON give a rule's precision and support over the rows it covers beside the
    # rows it decides and their rate, which is what predict_proba gives those rows.
    X, y = heart
    model = DecisionSetClassifier(random_state=0, tune_weights=False, overlap_penalty=0.0).fit(X, y)
    explanation = model.explain_global()
    decider = explanation.deciding_rule(X)
    proba = model.predict_proba(X)[:, 1]
    for i, rule in enumerate(model.rules_ + (model.default_rule_,)):
        rows = decider == i
        assert rule.decides == rows.sum()
        assert proba[rows] == pytest.approx(np.full(rows.sum(), (y[rows].sum() + 1) / (rows.sum() + 2)), rel=1e-12)
    assert any(rule.decides < rule.support for rule in model.rules_)
    text = str(explanation)
    assert "decides" in text.splitlines()[3] and "P(1)" in text.splitlines()[3]
    assert "decides" in explanation._repr_html_()
    frame = explanation.to_frame()
    assert frame["decides"].tolist()[:-1] == [rule.decides for rule in model.rules_]
    local = model.explain_local(X.iloc[:20])
    np.testing.assert_array_equal(local.prediction, model.predict(X.iloc[:20]))
    np.testing.assert_array_equal(local.decision, model.decision_function(X.iloc[:20]))
    assert "decides" in local.notes[0]


def test_a_set_saved_before_decided_rows_were_recorded_still_loads(heart):
    import json

    from glassbox import from_json

    X, y = heart
    model = DecisionSetClassifier(random_state=0).fit(X, y)
    payload = json.loads(model.to_json())
    old = json.loads(model.to_json())
    for rule in old["content"]["rules"] + [old["content"]["default"]]:
        del rule["decides"]
    assert from_json(json.dumps(payload)) == model.explain_global()
    loaded = from_json(json.dumps(old))
    assert all(rule.decides is None for rule in loaded.rules)
    np.testing.assert_array_equal(loaded.decision_function(X), model.decision_function(X))
    header = next(line for line in str(loaded).splitlines() if line.startswith("rank"))
    assert "precision" in header and "decides" not in header  # its P describe the covered rows: not printed as decided


def test_pos_label_reads_the_set_toward_the_event(labelled_heart):
    X, y = labelled_heart
    plain = DecisionSetClassifier(random_state=0).fit(X, y)
    model = DecisionSetClassifier(random_state=0, pos_label="disease").fit(X, y)
    np.testing.assert_array_equal(model.decision_function(X), plain.decision_function(X))
    text = str(model.explain_global())
    assert "P(disease)" in text and "P(healthy)" not in text and "P(healthy)" in str(plain.explain_global())
    disease_row = X.iloc[[int(np.argmax(model.predict_proba(X)[:, 0]))]]
    local = model.explain_local(disease_row)
    assert local.pos_label == "disease" and "log-odds of disease" in str(local)
    from glassbox import from_json

    loaded = from_json(model.to_json())
    assert loaded.pos_label == "disease" and str(loaded) == text


def test_pos_label_is_refused_when_it_names_no_single_event(labelled_heart):
    X, y = labelled_heart
    with pytest.raises(ValueError, match="not a class of y"):
        DecisionSetClassifier(pos_label="sick").fit(X, y)
    three = np.where(X["age"] > 60, "old", y)
    with pytest.raises(ValueError, match="3 classes"):
        DecisionSetClassifier(pos_label="disease").fit(X, three)
