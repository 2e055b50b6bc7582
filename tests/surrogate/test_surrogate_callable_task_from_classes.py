"""A function teacher returning probabilities, given ``classes=``, is taken for a classifier without ``task=``."""
import numpy as np
import pytest

from glassbox.surrogate import LocalSurrogate, fidelity_report


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(200, 3))


def _proba(X):
    p = 1.0 / (1.0 + np.exp(-2.0 * np.asarray(X)[:, 0]))
    return np.column_stack([1.0 - p, p])


def test_fidelity_report_infers_classification_from_classes():
    X = _data()
    student = lambda X: np.where(np.asarray(X)[:, 0] > 0.1, "yes", "no")  # noqa: E731
    report = fidelity_report(_proba, student, X, classes=["no", "yes"])
    explicit = fidelity_report(_proba, student, X, task="classification", classes=["no", "yes"])
    assert report.task == "classification"
    assert report.agreement == explicit.agreement
    assert report.agreement < 1.0  # the student's threshold differs


def test_local_surrogate_infers_classification_from_classes():
    X = _data()
    explainer = LocalSurrogate(_proba, max_features=2, classes=["no", "yes"], random_state=0).fit(X)
    assert explainer.task_ == "classification"
    assert list(explainer.classes_) == ["no", "yes"]
    explicit = LocalSurrogate(_proba, max_features=2, task="classification", classes=["no", "yes"],
                              random_state=0).fit(X)
    np.testing.assert_array_equal(explainer.local_fits(X[:2]).coefficients, explicit.local_fits(X[:2]).coefficients)


def test_plain_callable_without_classes_still_asks_for_task():
    with pytest.raises(TypeError, match="pass task='classification' or task='regression'"):
        fidelity_report(_proba, _proba, _data())
