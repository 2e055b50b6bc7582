"""Ties between classes that leave out the default's class, and who settles them.

With three classes, the rows a rule decides can hold two classes other than the
default's equally.  Such a tie goes to the tied class earliest in the order
recorded at fit (``class_order_``: most training weight, then the class met
first), never to the lower class code, which renaming the labels changes; the
estimator, its RuleSet, the set's JSON, the row notes and a distilled copy with
a decision-set student all settle it alike.
"""

import json
import pickle

import numpy as np
import pandas as pd
import pytest

from glassbox import DecisionSetClassifier, DistilledClassifier, from_json
from glassbox.rules import _brl_sampler
from glassbox.rules._decision_set_rules import class_preference

# d: the default's class (most weight); c outweighs b (55 to 40); rule "a == q" decides 20 b and 20 c rows
_NAMES = ["d"] * 60 + ["b"] * 30 + ["c"] * 20 + ["c"] * 5 + ["d"] * 25 + ["b"] * 10 + ["c"] * 30
_PARAMS = dict(max_rule_len=1, tune_weights=False, random_state=0, rule_classes="all", min_precision=0.0,
               coverage_bonus=3.0)
# b before c, and c before b, in the codes' order
CODINGS = [{"d": 0, "b": 1, "c": 2}, {"d": 0, "b": 2, "c": 1}, {"d": "x", "b": "a", "c": "m"}]


def _table():
    a = np.array(["p"] * 60 + ["q"] * 50 + ["r"] * 40 + ["s"] * 30)
    z = np.zeros(len(a))
    z[60:70] = 1  # 10 of q's b rows, taken by a precise rule "z >= 1" ranked above "a == q"
    z[140:150] = 1
    return pd.DataFrame({"a": pd.Categorical(a), "z": z}), a == "q"


def _labels(coding):
    return np.array([coding[name] for name in _NAMES], dtype=object if isinstance(coding["d"], str) else int)


def _tied_rule_index(model):
    index = [i for i, rule in enumerate(model.rules_) if str(rule) == "a == q"]
    assert index, "the data no longer give the rule whose decided rows tie"
    rule = model.rules_[index[0]]
    default = list(model.classes_).index(model.default_rule_.predicted_class)
    assert np.sum(rule.probabilities == rule.probabilities.max()) == 2
    assert rule.probabilities[default] < rule.probabilities.max()  # the default's class is not in the tie
    return index[0]


def test_a_tie_without_the_default_goes_alike_whatever_the_labels():
    X, in_q = _table()
    tied_rows = in_q & (X["z"].to_numpy() == 0)
    for coding in CODINGS:
        model = DecisionSetClassifier(**_PARAMS).fit(X, _labels(coding))
        _tied_rule_index(model)
        predicted = model.predict(X)
        assert model.default_rule_.predicted_class == coding["d"]
        # c holds more training weight than b: it takes the tie, whether its code is the lower or not
        assert np.all(predicted[tied_rows] == coding["c"])
        np.testing.assert_array_equal(model.explain_global().predict(X), predicted)
        np.testing.assert_array_equal(model.explain_local(X).prediction, predicted)
        order = [model.classes_[k] for k in model.class_order_]
        assert order == [coding["d"], coding["c"], coding["b"]]


def test_the_class_order_survives_json():
    X, _ = _table()
    model = DecisionSetClassifier(**_PARAMS).fit(X, _labels(CODINGS[0]))
    explanation = model.explain_global()
    loaded = from_json(explanation.to_json())
    assert loaded.class_order == explanation.class_order == tuple(model.class_order_)
    assert loaded == explanation
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_a_set_saved_without_a_class_order_sends_such_a_tie_to_the_lower_code():
    X, in_q = _table()
    model = DecisionSetClassifier(**_PARAMS).fit(X, _labels(CODINGS[0]))
    payload = json.loads(model.explain_global().to_json())
    content = payload["content"]
    assert content.pop("class_order") == [0, 2, 1]
    old = from_json(json.dumps(payload))
    assert old.class_order is None
    tied_rows = in_q & (X["z"].to_numpy() == 0)
    assert np.all(old.predict(X)[tied_rows] == 1)  # b: the lower code of the tied b (1) and c (2)
    np.testing.assert_array_equal(old.predict(X)[~tied_rows], model.predict(X)[~tied_rows])


def test_the_row_note_names_the_rule_that_settled_the_tie():
    X, in_q = _table()
    model = DecisionSetClassifier(**_PARAMS).fit(X, _labels(CODINGS[0]))
    row = int(np.flatnonzero(in_q & (X["z"].to_numpy() == 0))[0])
    note = model.explain_local(X.iloc[[row]]).notes[0]
    assert "classes 1, 2 are equally frequent and the likeliest" in note
    assert "the default's class is not among the tied, so the tie goes to the one of them with the most " \
           "training weight" in note
    assert note.endswith("so 2 is predicted")
    assert "a tie goes to the default's class" not in note


def test_a_model_pickled_without_a_class_order_still_predicts():
    X, _ = _table()
    model = DecisionSetClassifier(**_PARAMS).fit(X, _labels(CODINGS[0]))
    old = pickle.loads(pickle.dumps(model))
    del old.class_order_
    assert old.explain_global().class_order is None
    np.testing.assert_array_equal(old.predict(X), old.explain_global().predict(X))


def test_a_distilled_copy_breaks_ties_as_its_decision_set_student():
    X, in_q = _table()
    labels = _labels(CODINGS[0])  # b = 1 below c = 2: the lower code is not the one the set predicts
    one_hot = np.eye(3)[labels]
    copy = DistilledClassifier(teacher=lambda rows: one_hot[rows.index.to_numpy()],
                               student=DecisionSetClassifier(**_PARAMS), target="labels", classes=[0, 1, 2],
                               n_augment=0).fit(X, labels)
    _tied_rule_index(copy.student_)
    tied_rows = in_q & (X["z"].to_numpy() == 0)
    predicted = copy.predict(X)
    assert np.all(predicted[tied_rows] == 2)
    np.testing.assert_array_equal(predicted, copy.student_.predict(X))
    np.testing.assert_array_equal(predicted, copy.explain_global().predict(X))


@pytest.mark.parametrize("seed", range(5))
def test_class_preference_takes_each_class_first_row(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, size=300)
    weights = rng.choice([0.0, 1.0, 2.0], size=300)
    weights[:40] = 0.0
    total = np.bincount(y, weights=weights, minlength=5)
    first = [next((i for i in range(300) if y[i] == k and weights[i] > 0), 300) for k in range(5)]
    expected = sorted(range(5), key=lambda k: (-total[k], first[k]))
    np.testing.assert_array_equal(class_preference(y, weights, 5), expected)


def _posterior():
    from glassbox.rules.mining import bitset_from_mask

    rng = np.random.default_rng(0)
    coverage = bitset_from_mask(rng.uniform(size=(6, 100)) < 0.3)
    y = rng.integers(0, 2, 100)
    lists = [[0, 2], [1], [3, 4, 5]]
    return _brl_sampler.PosteriorPredictive(lists, [3, 2, 1], coverage, y, None, 2, np.ones(2)), coverage, y, lists


_TABLES = ("candidates", "starts", "rules", "weights", "probabilities")


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_an_unpickled_posterior_keeps_its_tables_read_only(protocol):
    posterior = _posterior()[0]
    loaded = pickle.loads(pickle.dumps(posterior, protocol=protocol))
    for name in _TABLES:
        assert not getattr(loaded, name).flags.writeable, name
        np.testing.assert_array_equal(getattr(loaded, name), getattr(posterior, name))


def test_a_posterior_pickled_by_an_older_release_loads_read_only():
    posterior, coverage, y, lists = _posterior()
    local = {c: i for i, c in enumerate(posterior.candidates.tolist())}
    old_state = {
        "candidates": posterior.candidates.copy(), "weights": posterior.weights.copy(), "_probabilities": None,
        "lists": [np.array([local[c] for c in rule_list], dtype=np.intp) for rule_list in lists],
        "_training": (coverage[posterior.candidates], y, None, 2, np.ones(2)),
    }
    loaded = _brl_sampler.PosteriorPredictive.__new__(_brl_sampler.PosteriorPredictive)
    loaded.__setstate__(old_state)
    for name in _TABLES:
        assert not getattr(loaded, name).flags.writeable, name
