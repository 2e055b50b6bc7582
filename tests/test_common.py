"""Every registered estimator keeps scikit-learn's contract and glassbox's.

Families join automatically when they add themselves to
``glassbox/utils/registry.py``.  An estimator may set ``_test_params`` (a dict
of cheaper parameters for these checks, which must seed ``random_state`` where
the estimator takes one) and ``_expected_failed_checks`` (a dict ``{check name:
reason}``; each entry must say why).
"""

import warnings

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassbox.utils import all_estimators
from glassbox.utils._sklearn_shim import harness_check_bugs
from glassbox.utils.checks import GLASSBOX_CHECKS

ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]


def _expected_failures(estimator):
    failures = dict(getattr(estimator, "_expected_failed_checks", {}))
    failures.update(harness_check_bugs(estimator))  # bugs of an older scikit-learn's own checks
    for check, reason in failures.items():
        assert isinstance(reason, str) and len(reason) > 10, f"{check}: an expected failure needs a written reason"
    return failures


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failures)
def test_sklearn_contract(estimator, check):
    with warnings.catch_warnings():
        if getattr(check, "func", check).__name__ == "check_class_weight_classifiers":
            # the check weighs one class 1000 times the others, so a decision set predicts it for every
            # row and says so at fit, as it should
            warnings.filterwarnings("ignore", "The decision set keeps", UserWarning)
        check(estimator)


@pytest.mark.parametrize("check", GLASSBOX_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_glassbox_contract(estimator, check):
    check(type(estimator).__name__, estimator)


def test_test_params_seed_every_estimator_that_takes_random_state():
    # many tests build their estimators from _test_params and compare fits, count calls or check
    # thresholds: an unseeded fit draws from NumPy's global RNG, which the tests that ran before it in
    # the same worker have moved, so its outcome would depend on the test order
    for name, cls in all_estimators():
        params = getattr(cls, "_test_params", {})
        if "random_state" in cls(**params).get_params(deep=False):
            assert params.get("random_state") is not None, f"{name}._test_params must set random_state"


def test_registry_lists_public_estimators():
    import glassbox

    for name, cls in all_estimators():
        assert name in glassbox.__all__, f"{name} is registered but not exported from glassbox"
        assert cls.__doc__ and "Examples" in cls.__doc__, f"{name} needs a numpydoc docstring with Examples"
