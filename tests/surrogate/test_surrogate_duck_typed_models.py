"""Surrogates of duck-typed models and of fitted estimators with plain attributes; one-way reports
print labels, NaN and inf as plain strings."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from glassbox.surrogate import DistilledClassifier, LocalSurrogate
from glassbox.surrogate._outputs import is_fitted_model
from surrogate_toys import ToyLogisticClassifier


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=200, n_features=4, n_informative=3, n_redundant=0, random_state=0)


class DuckModel:
    """A model with fit and predict that is not a scikit-learn estimator."""

    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.asarray(X)[:, 0] * 2.0


class PlainAttributesClassifier(BaseEstimator):
    """A scikit-learn estimator whose fitted attributes do not end in '_'."""

    def fit(self, X, y):
        self.weights = np.array([1.0, -1.0, 0.5, 0.0])
        self.labels = np.unique(y)
        return self

    @property
    def classes_(self):  # a property: check_is_fitted does not see it among the instance's attributes
        return self.labels

    def predict_proba(self, X):
        p = 1.0 / (1.0 + np.exp(-np.asarray(X) @ self.weights))
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        return self.labels[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]


def test_duck_typed_model_is_explained(data):
    X, _ = data
    surrogate = LocalSurrogate(DuckModel().fit(X, None), task="regression", n_samples=100, random_state=0).fit(X)
    explanation = surrogate.explain_local(X[:2])
    np.testing.assert_allclose(explanation.decision, X[:2, 0] * 2.0, rtol=1e-6, atol=1e-6)


def test_fitted_estimator_with_plain_attributes_is_used_as_it_is(data):
    X, y = data
    model = PlainAttributesClassifier().fit(X, y)
    assert is_fitted_model(model)
    assert not is_fitted_model(PlainAttributesClassifier())
    LocalSurrogate(model, n_samples=100, random_state=0).fit(X).explain_local(X[:1])
    # the same rule for a prefit teacher: taken as it is, not refitted (y is None)
    copy = DistilledClassifier(model, ToyLogisticClassifier()).fit(X)
    assert copy.teacher_ is model
    with pytest.raises(ValueError, match="is not fitted"):
        LocalSurrogate(PlainAttributesClassifier()).fit(X)
    with pytest.raises(ValueError, match="is not fitted"):
        DistilledClassifier(LogisticRegression(), ToyLogisticClassifier(), teacher_prefit=True).fit(X)


def test_one_way_reports_keep_labels_nan_and_inf_as_plain_strings():
    import json

    from glassbox.surrogate.fidelity import FidelityReport
    from glassbox.surrogate.frontier import FidelityFrontier

    report = FidelityReport(task="classification", teacher="T", student="S", n_samples=4,
                            metrics={"agreement": 0.75, "log_loss": float("nan")},
                            per_class=((np.str_("nan"), 2, 1.0), ("inf", 2, 0.5)),
                            segments=(("colour", "nan", 2, 0.5),), worst_rows=((3, "inf", "-inf", 1.0),))
    payload = json.loads(report.to_json())
    assert payload["per_class"] == [["nan", 2, 1.0], ["inf", 2, 0.5]]
    assert payload["segments"] == [["colour", "nan", 2, 0.5]]
    assert payload["worst_rows"] == [[3, "inf", "-inf", 1.0]]
    assert payload["metrics"] == {"agreement": 0.75, "log_loss": "nan"}  # numbers as before
    frontier = FidelityFrontier(teacher="T", metric="agreement", target=None, evaluated_on="held-out rows",
                                rows=({"family": "nan", "complexity": 3, "fidelity": 0.9, "error": None},),
                                models=(None,))
    assert json.loads(frontier.to_json())["rows"] == [{"family": "nan", "complexity": 3, "fidelity": 0.9,
                                                       "error": None}]


class ProbabilitiesOnly:
    """A booster's wrapper: predict_proba and nothing else (no classes_, no predict), as the docs describe."""

    def __init__(self, weights):
        self.weights = np.asarray(weights, dtype=float)

    def predict_proba(self, X):
        logits = np.asarray(X, dtype=float)[:, :self.weights.shape[1]] @ self.weights.T
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_a_model_with_only_predict_proba_names_its_columns_0_to_k(data, n_classes):
    from glassbox.surrogate import fidelity_report

    X, _ = data
    model = ProbabilitiesOnly(np.random.RandomState(0).normal(size=(n_classes, 4)))
    labels = np.argmax(model.predict_proba(X), axis=1)
    from glassbox import SparseLinearClassifier

    copy = DistilledClassifier(model, SparseLinearClassifier()).fit(X)
    assert copy.classes_.tolist() == list(range(n_classes))
    report = fidelity_report(model, copy, X)
    np.testing.assert_allclose(report.agreement, np.mean(copy.predict(X) == labels))
    explainer = LocalSurrogate(model, n_samples=100, n_holdout=0, random_state=0).fit(X)
    assert explainer.classes_.tolist() == list(range(n_classes))
    assert explainer.explain_local(X[:2]).prediction.tolist() == labels[:2].tolist()


def test_a_margin_without_class_labels_is_refused_naming_classes(data):
    X, _ = data

    class MarginOnly:
        def decision_function(self, X):
            return np.asarray(X)[:, 0]

    with pytest.raises(TypeError, match=r"classes=\["):
        LocalSurrogate(MarginOnly(), task="classification", n_samples=100, random_state=0).fit(X)
