"""basis="steps": numeric features plus readable 0/1 steps ``feature >= t``, counted as one term each."""

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassbox.explain import CoefficientTable, LinearTerm
from glassbox.linear import SparseLinearClassifier, SparseLinearClassifierCV, SparseLinearRegressor
from glassbox.linear._design import step_thresholds
from glassbox.utils._sklearn_shim import harness_check_bugs
from glassbox.utils.binning import quantile_thresholds, shortest_decimal_between
from glassbox.utils.checks import GLASSBOX_CHECKS

STEP_ESTIMATORS = [SparseLinearClassifier(basis="steps", max_thresholds=4, tol=1e-8),
                   SparseLinearRegressor(basis="steps", max_thresholds=4, tol=1e-10)]


@parametrize_with_checks(STEP_ESTIMATORS, expected_failed_checks=harness_check_bugs)
def test_steps_keep_the_sklearn_contract(estimator, check):
    check(estimator)


@pytest.mark.parametrize("check", GLASSBOX_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("estimator", STEP_ESTIMATORS, ids=lambda e: type(e).__name__)
def test_steps_keep_the_glassbox_contract(estimator, check):
    check(type(estimator).__name__, estimator)


def _frame(seed=0, n=400):
    rng = np.random.RandomState(seed)
    return pd.DataFrame({"gain": np.round(rng.exponential(1000, n)), "flag": rng.randint(0, 2, n).astype(float),
                         "kind": pd.Categorical(rng.choice(["a", "b"], n))})


def test_step_terms_are_observed_quantile_thresholds_after_the_raw_feature():
    X = _frame()
    model = SparseLinearRegressor(0.01, basis="steps", max_thresholds=5).fit(X, X["gain"])
    expected = quantile_thresholds(X["gain"].to_numpy(), np.ones(len(X)), 6)
    assert model.term_names_[0] == "gain"
    steps = [t for t in model.terms_ if t.threshold is not None]
    assert [t.threshold for t in steps] == list(expected) and len(steps) == 5
    gain = X["gain"].to_numpy()
    for t in expected:  # the shortest decimal between the observed values on either side: reads as the data
        assert t == shortest_decimal_between(gain[gain < t].max(), gain[gain >= t].min())
    assert model.term_names_[1] == f"gain >= {int(expected[0])}"
    # a two-valued feature has no step (it would be itself), categoricals keep their indicators
    assert [t.name for t in model.terms_ if t.feature != "gain"] == ["flag", "kind == a", "kind == b"]


def test_steps_use_rows_of_positive_weight_only():
    values = np.array([1.0, 2.0, 3.0, 4.0, 100.0, 200.0])
    weights = np.array([1.0, 1.0, 1.0, 1.0, 0.0, 0.0])
    assert list(step_thresholds(values, weights, 10)) == [2.0, 3.0, 4.0]
    assert step_thresholds(np.array([0.0, 1.0, 0.0]), np.ones(3), 10).size == 0


def test_max_thresholds_1_gives_one_step_per_feature_of_more_than_two_values():
    """One step at the weighted median; only a feature of two values (the step would be itself) has none."""
    values = np.arange(10.0)
    assert list(step_thresholds(values, np.ones(10), 1)) == [5.0]
    assert step_thresholds(np.array([0.0, 1.0, 0.0]), np.ones(3), 1).size == 0
    X = pd.DataFrame({"age": np.arange(40.0), "flag": np.arange(40) % 2})
    model = SparseLinearRegressor(0.0, basis="steps", max_thresholds=1).fit(X, (X["age"] >= 20).astype(float))
    assert model.term_names_ == ["age", "age >= 20", "flag"]


def test_a_step_target_is_recovered_by_one_term():
    X = _frame()
    threshold = step_thresholds(X["gain"].to_numpy(), np.ones(len(X)), 8)[4]
    y = 3.0 * (X["gain"] >= threshold) + 0.5
    model = SparseLinearRegressor(0.0, penalty="l0", max_features=1, basis="steps", max_thresholds=8).fit(X, y)
    (nonzero,) = np.flatnonzero(model.coef_)
    assert model.terms_[nonzero] == LinearTerm("gain", threshold=float(threshold))
    np.testing.assert_allclose(model.coef_[nonzero], 3.0, rtol=1e-8)
    np.testing.assert_allclose(model.predict(X), y, atol=1e-8)
    # with the raw feature alone, one term cannot make the jump
    raw = SparseLinearRegressor(0.0, penalty="l0", max_features=1).fit(X, y)
    assert np.abs(raw.predict(X) - y).max() > 0.5


def test_steps_explanation_is_exact_and_round_trips():
    X = _frame(1)
    y = ((X["gain"] > 700) ^ (X["kind"] == "a")).astype(int)
    model = SparseLinearClassifier(0.0, penalty="l0", max_features=4, basis="steps", max_thresholds=10).fit(X, y)
    table = model.explain_global()
    assert any(t.threshold is not None for t, c in zip(table.terms, table.coefficients) if c != 0)
    np.testing.assert_array_equal(table.decision_function(X), model.decision_function(X))
    copy = CoefficientTable.from_json(table.to_json())
    assert copy.terms == table.terms
    np.testing.assert_array_equal(copy.decision_function(X), model.decision_function(X))
    local = model.explain_local(X.iloc[:5])
    np.testing.assert_allclose(local.contributions.sum(axis=1) + local.base_value,
                               model.decision_function(X.iloc[:5]), rtol=1e-12, atol=1e-12)


def test_old_payloads_and_plain_terms_are_unchanged():
    assert LinearTerm.from_dict({"feature": "age"}) == LinearTerm("age")
    level = LinearTerm("kind", "a")
    assert LinearTerm.from_dict(level.to_dict()) == level and level.name == "kind == a"
    step = LinearTerm("gain", threshold=7298.0)
    assert step.name == "gain >= 7298" and LinearTerm.from_dict(step.to_dict()) == step


def test_a_sign_constraint_keeps_a_stepped_feature_monotone():
    X = _frame(2)
    y = np.sin(X["gain"].to_numpy() / 400.0)
    model = SparseLinearRegressor(1e-4, basis="steps", max_thresholds=12, monotonic_cst={"gain": 1}).fit(X, y)
    steps = [c for t, c in zip(model.terms_, model.coef_) if t.feature == "gain"]
    assert np.all(np.asarray(steps) >= 0) and np.count_nonzero(steps) >= 2
    grid = pd.DataFrame({"gain": np.linspace(0, 5000, 400), "flag": 0.0,
                         "kind": pd.Categorical(["a"] * 400, categories=["a", "b"])})
    assert np.all(np.diff(model.predict(grid)) >= 0)


def test_max_features_counts_steps_and_the_error_says_so():
    X = _frame()
    with pytest.raises(ValueError, match="numeric ones into steps"):
        SparseLinearRegressor(basis="steps", max_thresholds=2, max_features=7).fit(X, X["gain"])
    model = SparseLinearClassifierCV(basis="steps", max_thresholds=3, n_alphas=5, cv=2).fit(X, X["flag"])
    assert len(model.terms_) == 7  # gain, its 3 steps, flag, kind == a, kind == b
