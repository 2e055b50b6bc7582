"""GAM and sparse linear models fitted with ``class_weight`` say so in their explanation, text, HTML and JSON.

Their probabilities are those of the reweighted sample; the coefficient table
and the shape functions carry the class factors and print the same line as the
scorecard and the rule list, so a model shipped as JSON keeps the caveat.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.class_weight import compute_class_weight

import glassbox
from glassbox import GAMClassifier, SparseLinearClassifier, SparseLinearClassifierCV

FAST = {
    GAMClassifier: {"outer_bags": 2, "interactions": 0, "max_rounds": 40, "random_state": 0},
    SparseLinearClassifier: {"alpha": 0.01},
    SparseLinearClassifierCV: {"n_alphas": 4, "cv": 3},
}
NOTE = "are those of the class-weighted sample"


def _data(n_classes=2, n=300, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"age": rng.randint(20, 80, size=n).astype(float),
                      "region": pd.Categorical(rng.choice(["north", "south"], size=n))})
    logit = 0.08 * (X["age"] - 65) + rng.logistic(size=n)
    y = (logit > 0).astype(int) if n_classes == 2 else np.digitize(logit, [-1.5, 1.0])
    return X, y


def _fit(cls, X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(**FAST[cls], **params).fit(X, y)


@pytest.mark.parametrize("cls", list(FAST), ids=lambda c: c.__name__)
def test_a_class_weighted_fit_is_noted_in_text_html_and_json(cls):
    X, y = _data()
    model = _fit(cls, X, y, class_weight="balanced")
    explanation = model.explain_global()
    expected = compute_class_weight("balanced", classes=np.unique(y), y=y)
    np.testing.assert_allclose(explanation.class_weights, expected, rtol=1e-12)
    assert y.mean() < 0.5  # the rare class is weighted up: its probability is overstated
    line = next(line for line in str(explanation).splitlines() if NOTE in line)
    assert line.startswith("probabilities are those of the class-weighted sample (class_weight {0: ")
    assert "they overstate the real rate of 1" in line
    assert NOTE in explanation._repr_html_()
    payload = json.loads(model.to_json())
    assert "class_weights" in payload["content"]
    loaded = glassbox.from_json(model.to_json())
    assert loaded == explanation and str(loaded) == str(explanation)
    np.testing.assert_array_equal(loaded.class_weights, explanation.class_weights)


@pytest.mark.parametrize("cls", list(FAST), ids=lambda c: c.__name__)
def test_an_unweighted_fit_and_an_older_payload_say_nothing_of_class_weights(cls):
    X, y = _data()
    plain = _fit(cls, X, y).explain_global()
    assert plain.class_weights is None and NOTE not in str(plain) and "class_weights" not in plain.to_json()
    noted = _fit(cls, X, y, class_weight={0: 1, 1: 3}).explain_global()
    older = noted.to_dict()
    del older["content"]["class_weights"]  # written before the weights were recorded
    loaded = type(noted).from_dict(older)
    assert loaded.class_weights is None and NOTE not in str(loaded)
    np.testing.assert_array_equal(loaded.decision_function(X), noted.decision_function(X))


def test_refitting_without_class_weight_drops_the_note():
    X, y = _data()
    model = _fit(GAMClassifier, X, y, class_weight="balanced")
    model.set_params(class_weight=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    assert model.explain_global().class_weights is None


@pytest.mark.parametrize("cls", [GAMClassifier, SparseLinearClassifier], ids=lambda c: c.__name__)
def test_a_multiclass_fit_names_every_class_factor(cls):
    X, y = _data(n_classes=3)
    explanation = _fit(cls, X, y, class_weight={0: 2, 1: 1, 2: 1}).explain_global()
    line = next(line for line in str(explanation).splitlines() if NOTE in line)
    assert "class_weight {0: " in line and "a class weighted more than the others is overstated" in line


@pytest.mark.parametrize("cls", [GAMClassifier, SparseLinearClassifier], ids=lambda c: c.__name__)
def test_equal_class_weights_leave_the_rates_real_and_name_no_counts(cls):
    X, y = _data()
    explanation = _fit(cls, X, y, class_weight={0: 2, 1: 2}).explain_global()
    line = next(line for line in str(explanation).splitlines() if NOTE in line)
    assert line == ("probabilities are those of the class-weighted sample (class_weight {0: 2, 1: 2}): "
                    "the same factor on every class leaves the rates real")
    assert line in explanation._repr_html_()


@pytest.mark.parametrize("cls", [GAMClassifier, SparseLinearClassifier], ids=lambda c: c.__name__)
def test_tables_without_counts_carry_no_sample_weight_flag(cls):
    X, y = _data()
    explanation = _fit(cls, X, y, class_weight="balanced").explain_global()
    assert not hasattr(explanation, "sample_weighted") and not hasattr(explanation, "counts_are_weights")
    payload = explanation.to_dict()
    assert "sample_weighted" not in payload["content"] and type(explanation).from_dict(payload) == explanation
