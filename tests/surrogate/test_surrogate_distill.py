"""DistilledClassifier / DistilledRegressor: training, delegation, labelling, bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from glassbox import SparseLinearClassifier
from glassbox.surrogate import DistilledClassifier, DistilledRegressor
from glassbox.utils.checks import GLASSBOX_CHECKS
from surrogate_toys import ToyLinearRegressor, ToyLogisticClassifier


@pytest.fixture(scope="module")
def binary_data():
    X, y = make_classification(400, n_features=5, n_informative=3, random_state=0)
    return X, y


@pytest.mark.parametrize("target", ["labels", "probabilities"])
def test_glass_box_teacher_copied_by_its_own_family_is_faithful(binary_data, target):
    X, y = binary_data
    teacher = ToyLogisticClassifier().fit(X, y)
    copy = DistilledClassifier(teacher, ToyLogisticClassifier(), target=target).fit(X)
    assert copy.target_ == target
    assert copy.fidelity_.agreement >= 0.99
    if target == "probabilities":  # soft labels recover the teacher itself
        np.testing.assert_allclose(copy.student_.coef_, teacher.coef_, rtol=1e-6)


def test_regressor_student_learns_logits_exactly(binary_data):
    X, y = binary_data
    teacher = LogisticRegression(C=10).fit(X, y)
    copy = DistilledClassifier(teacher, ToyLinearRegressor()).fit(X)
    assert copy.target_ == "logits"
    np.testing.assert_allclose(copy.decision_function(X), teacher.decision_function(X), atol=1e-8)
    np.testing.assert_allclose(copy.predict_proba(X), teacher.predict_proba(X), atol=1e-8)
    np.testing.assert_array_equal(copy.classes_, teacher.classes_)
    glob = copy.explain_global()
    assert glob.link.name == "logit" and "distilled from LogisticRegression" in glob.model
    np.testing.assert_allclose(glob.predict_proba(X), copy.predict_proba(X), rtol=1e-12)


def test_explanations_are_the_students_and_carry_fidelity(binary_data):
    X, y = binary_data
    copy = DistilledClassifier(DecisionTreeClassifier(max_depth=3, random_state=0), ToyLogisticClassifier()).fit(X, y)
    local = copy.explain_local(X[:3])
    assert local.approximate is True
    assert local.fidelity["agreement"] == copy.fidelity_.agreement
    assert "ToyLogisticClassifier distilled from DecisionTreeClassifier" in local.model
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), copy.decision_function(X[:3]))
    student_local = copy.student_.explain_local(X[:3])
    np.testing.assert_array_equal(local.contributions, student_local.contributions)
    assert "(approximate)" in str(local)
    assert type(local).from_json(local.to_json()) == local


def test_teacher_prefit_modes(binary_data):
    X, y = binary_data
    unfitted = LogisticRegression()
    with pytest.raises(ValueError, match="teacher_prefit=True but the teacher"):
        DistilledClassifier(unfitted, ToyLogisticClassifier(), teacher_prefit=True).fit(X, y)
    with pytest.raises(ValueError, match="y is None"):
        DistilledClassifier(unfitted, ToyLogisticClassifier()).fit(X)
    fitted = LogisticRegression().fit(X[:50], y[:50])
    kept = DistilledClassifier(fitted, ToyLogisticClassifier()).fit(X, y)
    assert kept.teacher_ is fitted
    refit = DistilledClassifier(fitted, ToyLogisticClassifier(), teacher_prefit=False).fit(X, y)
    assert refit.teacher_ is not fitted
    assert not np.allclose(refit.teacher_.coef_, fitted.coef_)
    frozen = DistilledClassifier(FrozenEstimator(fitted), ToyLogisticClassifier()).fit(X)
    np.testing.assert_array_equal(frozen.teacher_.predict(X), fitted.predict(X))


def test_callable_teacher_and_augmentation(binary_data):
    X, _ = binary_data
    def teacher(X):
        p1 = 1 / (1 + np.exp(-(X[:, 0] - 0.5 * X[:, 1])))
        return np.column_stack([1 - p1, p1])
    for method in ("copula", "neighbors"):
        copy = DistilledClassifier(teacher, ToyLogisticClassifier(), n_augment=2.0, augment=method, random_state=0).fit(X)
        assert copy.fidelity_.agreement >= 0.99
        np.testing.assert_array_equal(copy.classes_, [0, 1])
    again = DistilledClassifier(teacher, ToyLogisticClassifier(), n_augment=50, random_state=0).fit(X)
    same = DistilledClassifier(teacher, ToyLogisticClassifier(), n_augment=50, random_state=0).fit(X)
    np.testing.assert_array_equal(again.student_.coef_, same.student_.coef_)


def test_augmentation_keeps_marginals_and_types():
    from glassbox.surrogate._augment import augment
    from glassbox.utils.tabular import validate_tabular
    from sklearn.base import BaseEstimator

    rng = np.random.RandomState(0)
    age = rng.gamma(4, 10, 2000)
    frame = pd.DataFrame({"age": age, "income": 1000 * age + rng.normal(0, 5000, 2000),
                          "colour": pd.Categorical(rng.choice(["red", "blue"], 2000, p=[0.8, 0.2]))})
    frame.loc[:199, "income"] = np.nan
    table = validate_tabular(BaseEstimator(), frame, reset=True)
    new = augment(frame, table, 4000, "copula", np.random.RandomState(1))
    assert list(new.columns) == list(frame.columns) and str(new["colour"].dtype) == "category"
    assert set(new["colour"].dropna()) <= {"red", "blue"}
    assert abs((new["colour"] == "red").mean() - 0.8) < 0.03
    assert abs(new["income"].isna().mean() - 0.1) < 0.03
    assert new["age"].min() >= age.min() and new["age"].max() <= age.max()
    assert abs(np.median(new["age"]) - np.median(age)) < 0.05 * np.median(age)
    kept = new.dropna()
    assert np.corrcoef(kept["age"], kept["income"])[0, 1] > 0.8  # dependence survives


def test_regressor_copy(binary_data):
    X, y = make_regression(300, n_features=4, noise=1.0, random_state=0)
    teacher = LinearRegression().fit(X, y)
    copy = DistilledRegressor(teacher, ToyLinearRegressor()).fit(X)
    assert copy.fidelity_.r2 == pytest.approx(1.0)
    np.testing.assert_allclose(copy.predict(X), teacher.predict(X), rtol=1e-8, atol=1e-8)
    report = copy.fidelity_report(X[:100])
    assert report.task == "regression" and report.student == "ToyLinearRegressor (student)"
    assert copy.explain_local(X[:2]).approximate


def test_bad_input_is_named(binary_data):
    X, y = binary_data
    with pytest.raises(TypeError, match="must be a glassbox estimator"):
        DistilledClassifier(LogisticRegression(), LogisticRegression()).fit(X, y)
    with pytest.raises(TypeError, match="no predict_proba, decision_function or predict"):
        DistilledClassifier(object(), ToyLogisticClassifier()).fit(X, y)
    nan_teacher = lambda X: np.full((len(X), 2), np.nan)  # noqa: E731
    with pytest.raises(ValueError, match="NaN or infinite"):
        DistilledClassifier(nan_teacher, ToyLogisticClassifier()).fit(X)
    with pytest.raises(ValueError, match="needs a classifier student"):
        DistilledClassifier(LogisticRegression(), ToyLinearRegressor(), target="labels").fit(X, y)
    with pytest.raises(ValueError, match="is a classifier"):
        DistilledClassifier(LogisticRegression(), ToyLogisticClassifier(), target="logits").fit(X, y)
    with pytest.raises(TypeError, match="needs a regressor student"):
        DistilledRegressor(LinearRegression(), ToyLogisticClassifier()).fit(X, y)
    constant = lambda X: np.zeros(len(X), dtype=int)  # noqa: E731
    with pytest.raises(ValueError, match="single class"):
        DistilledClassifier(constant, ToyLogisticClassifier()).fit(X)
    X3, y3 = make_classification(300, n_classes=3, n_informative=3, random_state=0)
    with pytest.raises(ValueError, match="needs a binary task"):
        DistilledClassifier(LogisticRegression().fit(X3, y3), ToyLinearRegressor()).fit(X3)


@pytest.mark.filterwarnings("ignore:The MCMC chains disagree")
def test_soft_labels_of_a_certain_teacher_are_the_label_target(binary_data):
    # A teacher whose probabilities are 0 or 1: each row appears once, for its label,
    # with its own weight, so soft labels and labels give the very same student.
    from glassbox import BayesianRuleListClassifier

    X, y = binary_data
    certain = lambda rows: np.eye(2)[(np.asarray(rows)[:, 0] + np.asarray(rows)[:, 1] > 0).astype(int)]  # noqa: E731
    weights = np.random.RandomState(0).uniform(0.5, 2.0, len(X))
    for student in (ToyLogisticClassifier(), BayesianRuleListClassifier(n_iter=500, n_chains=2, random_state=0)):
        soft = DistilledClassifier(certain, student, target="probabilities").fit(X, sample_weight=weights)
        hard = DistilledClassifier(certain, student, target="labels").fit(X, sample_weight=weights)
        np.testing.assert_array_equal(soft.predict_proba(X), hard.predict_proba(X))
        assert str(soft.explain_global()) == str(hard.explain_global())


def test_distillation_student_applies_the_measured_settings():
    from glassbox import BayesianRuleListClassifier, GAMClassifier
    from glassbox.surrogate import DISTILLATION_SETTINGS, distillation_student
    from glassbox.surrogate.frontier import default_student_grid

    student = distillation_student("BayesianRuleListClassifier", n_iter=100, min_support=0.05)
    assert isinstance(student, BayesianRuleListClassifier)
    assert (student.max_thresholds, student.min_support, student.n_iter) == (20, 0.05, 100)
    assert distillation_student("GAMClassifier").get_params() == GAMClassifier().get_params()
    assert distillation_student("RiskScoreClassifier", max_features=3).get_params()["max_thresholds"] == 20
    linear = distillation_student("SparseLinearClassifier", penalty="l0", max_features=5)
    assert (linear.basis, linear.max_thresholds, linear.max_features) == ("steps", 128, 5)
    grid = [s for name, s in default_student_grid("classification", 5) if name == "BayesianRuleListClassifier"]
    assert grid and all(s.max_thresholds == DISTILLATION_SETTINGS["BayesianRuleListClassifier"]["max_thresholds"]
                        for s in grid)
    with pytest.raises(ValueError, match="Unknown glassbox estimator 'Nope'"):
        distillation_student("Nope")


@pytest.mark.parametrize("check", GLASSBOX_CHECKS, ids=lambda c: c.__name__)
def test_stepped_sparse_linear_student_keeps_the_glassbox_contract(check):
    # a student offered steps (basis="steps", as the distillation settings give it) and kept stepped or
    # plain by the held-out check: either way its contributions add up exactly and its explanation
    # recomputes the copy
    student = SparseLinearClassifier(penalty="l0", max_features=3, basis="steps", max_thresholds=4)
    teacher = DecisionTreeClassifier(max_depth=2, random_state=0)
    check("DistilledClassifier", DistilledClassifier(teacher, student=student, random_state=0))
