"""The glassbox checks pass on a correct estimator and fail on broken ones."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassbox.utils.checks import (
    check_explanation_round_trip,
    check_global_completeness,
    check_glassbox_estimator,
    check_local_additivity,
    check_monotonicity,
)

from toy_glassbox_models import (
    BrokenAdditivity,
    BrokenCompleteness,
    BrokenMonotonicity,
    BrokenRoundTrip,
    ToyLinearClassifier,
    ToyLinearRegressor,
)


@pytest.mark.parametrize("estimator", [ToyLinearRegressor(), ToyLinearClassifier()])
def test_checks_pass_on_a_correct_estimator(estimator):
    check_glassbox_estimator(estimator)


@pytest.mark.parametrize(
    "broken, check, message",
    [
        (BrokenAdditivity(), check_local_additivity, "do not add up"),
        (BrokenCompleteness(), check_global_completeness, "does not recompute"),
        (BrokenRoundTrip(), check_explanation_round_trip, "changed in JSON"),
        (BrokenMonotonicity(), check_monotonicity, "not monotone"),
    ],
)
def test_each_check_catches_its_broken_estimator(broken, check, message):
    with pytest.raises(AssertionError, match=message):
        check(type(broken).__name__, broken)


@pytest.mark.parametrize(
    "broken, passing_checks",
    [
        (BrokenCompleteness(), [check_local_additivity, check_monotonicity]),
        (BrokenMonotonicity(), [check_local_additivity, check_global_completeness, check_explanation_round_trip]),
    ],
)
def test_checks_are_specific(broken, passing_checks):
    # a defect is reported by its own check, not by every check
    for check in passing_checks:
        check(type(broken).__name__, broken)


@parametrize_with_checks([ToyLinearRegressor(), ToyLinearClassifier()])
def test_toy_models_follow_the_sklearn_contract(estimator, check):
    # The base mixin and validate_tabular must let a plain family pass sklearn's checks.
    check(estimator)
