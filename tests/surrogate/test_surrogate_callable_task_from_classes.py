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


# classes= with a regression: refused, not ignored (it names a classifier's columns; a regressor has none)

def _regression(X):
    return np.asarray(X)[:, 0] * 2.0


def test_local_surrogate_refuses_classes_with_task_regression():
    X = _data()
    with pytest.raises(ValueError, match=r"classes=.*task='regression'.*Drop classes=.*task='classification'"):
        LocalSurrogate(_regression, task="regression", classes=["no", "yes"]).fit(X)


def test_local_surrogate_refuses_classes_for_a_model_read_as_a_regressor():
    from sklearn.linear_model import LinearRegression

    X = _data()
    model = LinearRegression().fit(X, X[:, 0])
    with pytest.raises(ValueError, match=r"classes=.*reads as a regressor.*Drop classes=.*task='classification'"):
        LocalSurrogate(model, classes=[0, 1]).fit(X)


def test_fidelity_report_refuses_classes_with_task_regression():
    X = _data()
    with pytest.raises(ValueError, match=r"classes=.*task='regression'.*Drop classes=.*task='classification'"):
        fidelity_report(_regression, _regression, X, task="regression", classes=["no", "yes"])
    from sklearn.linear_model import LinearRegression

    model = LinearRegression().fit(X, X[:, 0])
    with pytest.raises(ValueError, match=r"classes=.*reads as a regressor.*Drop classes="):
        fidelity_report(model, model, X, classes=["no", "yes"])
    # without classes= both still work
    assert fidelity_report(_regression, _regression, X, task="regression").metrics["r2"] == 1.0


def test_distilled_regressor_report_refuses_classes_and_a_second_task():
    from glassbox import SparseLinearRegressor
    from glassbox.surrogate import DistilledRegressor

    X = _data()
    copy = DistilledRegressor(_regression, SparseLinearRegressor()).fit(X)
    with pytest.raises(ValueError, match=r"DistilledRegressor.*regressor.*no classes.*drop classes="):
        copy.fidelity_report(X, classes=["no", "yes"])
    with pytest.raises(ValueError, match=r"task='classification'.*DistilledRegressor.*regression.*drop task="):
        copy.fidelity_report(X, task="classification")
    assert copy.fidelity_report(X, task="regression").task == "regression"
    assert copy.fidelity_report(X, task=None).task == "regression"  # fidelity_report's own default: inferred


# classes= that contradict a model's own classes_: refused, not ignored

def test_classes_that_differ_from_a_models_own_classes_are_refused():
    from sklearn.linear_model import LogisticRegression

    from glassbox import SparseLinearClassifier
    from glassbox.surrogate import DistilledClassifier, fidelity_frontier

    X = _data()
    model = LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))
    message = r"classes=\['bad', 'good'\] differs from the {}'s own classes_ \[0, 1\].*Drop classes="
    with pytest.raises(ValueError, match=message.format("model")):
        LocalSurrogate(model, classes=["bad", "good"]).fit(X)
    with pytest.raises(ValueError, match=message.format("teacher")):
        fidelity_report(model, model, X, classes=["bad", "good"])
    with pytest.raises(ValueError, match=message.format("teacher")):
        DistilledClassifier(model, SparseLinearClassifier(), classes=["bad", "good"]).fit(X)
    with pytest.raises(ValueError, match=message.format("teacher")):
        fidelity_frontier(model, X, students=[SparseLinearClassifier()], classes=["bad", "good"])
    with pytest.raises(ValueError, match=r"classes=\[1, 0\] differs .* in order"):
        fidelity_report(model, model, X, classes=[1, 0])  # the same labels in another order name other columns
    # the model's own labels, in its order, are accepted
    assert list(LocalSurrogate(model, classes=[0, 1]).fit(X).classes_) == [0, 1]
    copy = DistilledClassifier(model, SparseLinearClassifier(), classes=np.array([0, 1])).fit(X)
    assert copy.fidelity_report(X).agreement > 0.9
