"""A fit that fails part way leaves the estimator as it was before the call.

Every public ``fit`` is checked alike: a tracer raises at a call into
glassbox's own Python code four fifths of the way through the fit (the calls
counted on a fit of the same data just before), when the fit has set some of
its attributes already.  A new estimator is then still unfitted, and a fitted
one keeps its previous fit and predicts as before.
"""

import copy
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import is_classifier
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from glassbox import ConditionGenerator, FeatureBinner, LocalSurrogate, SparseLinearClassifier
from glassbox.utils import all_estimators


class _Stopped(BaseException):
    """Not an Exception, so that no fallback inside a fit takes it for a failure of its own."""


def _seeded(estimator):
    """``estimator`` with ``random_state=0`` where it takes one.

    The stop is placed by counting the calls of a first fit, so the stopped fit must make the same calls:
    a fit seeded afresh each time (the default ``random_state=None``) may search longer or shorter.
    """
    if "random_state" in estimator.get_params(deep=False):
        estimator.set_params(random_state=0)
    return estimator


def _local_surrogate():
    X, y = _data(is_classifier_=True, seed=2)
    return LocalSurrogate(SparseLinearClassifier(alpha=0.01).fit(X, y), random_state=0)


# every public class with a fit: the registered estimators (a family joins when it registers), the
# transformers the models bin and binarize with, and the local surrogate
BUILDERS = {name: (lambda cls=cls: _seeded(cls(**getattr(cls, "_test_params", {})))) for name, cls in all_estimators()}
BUILDERS.update({
    "FeatureBinner": lambda: _seeded(FeatureBinner()),
    "ConditionGenerator": ConditionGenerator,
    "LocalSurrogate": _local_surrogate,
})


def _data(is_classifier_, seed):
    if is_classifier_:
        return make_classification(120, 4, n_informative=3, n_redundant=0, random_state=seed)
    return make_regression(120, 4, noise=1.0, random_state=seed)


def _fit(estimator, seed):
    X, y = _data(is_classifier(estimator), seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of these small fits
        return estimator.fit(X, y)


def _fit_stopped(estimator, seed):
    """Fit ``estimator`` and stop it late; return the attributes the fit had set or replaced when stopped."""
    calls = _traced(lambda: _fit(copy.deepcopy(estimator), seed))
    before = dict(vars(estimator))
    changed = []

    def stop():
        changed.extend(k for k, v in vars(estimator).items() if before.get(k, stop) is not v)
        raise _Stopped

    with pytest.raises(_Stopped):
        _traced(lambda: _fit(estimator, seed), at_call=max(calls * 4 // 5, 2), then=stop)
    return changed


def _traced(fit, at_call=None, then=None):
    """Run ``fit()``, counting its calls of glassbox's Python functions; call ``then()`` at call ``at_call``."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "call" and frame.f_globals.get("__name__", "").startswith("glassbox."):
            count += 1
            if count == at_call:
                then()  # its exception unsets the tracer and enters the fit where the call was made
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        fit()
    finally:
        sys.settrace(previous)
    return count


def _output(estimator, seed):
    X, _ = _data(is_classifier(estimator), seed)
    if hasattr(estimator, "predict"):
        return estimator.predict(X)
    if hasattr(estimator, "transform"):
        return estimator.transform(X)
    return estimator.explain_local(X[:3]).contributions


@pytest.mark.parametrize("name", BUILDERS)
def test_a_new_estimator_stopped_late_is_still_unfitted(name):
    estimator = BUILDERS[name]()
    before = dict(vars(estimator))
    changed = _fit_stopped(estimator, seed=0)
    assert changed, "the fit was stopped before it set anything: the check would prove nothing"
    assert vars(estimator).keys() == before.keys()
    assert all(vars(estimator)[k] is v for k, v in before.items())
    with pytest.raises(NotFittedError):
        check_is_fitted(estimator)


@pytest.mark.parametrize("name", BUILDERS)
def test_a_fitted_estimator_stopped_late_keeps_its_previous_fit(name):
    estimator = _fit(BUILDERS[name](), seed=0)
    before = dict(vars(estimator))
    output = _output(estimator, seed=0)
    changed = _fit_stopped(estimator, seed=1)  # other data: its fit would replace every fitted attribute
    assert changed, "the refit was stopped before it replaced anything: the check would prove nothing"
    assert vars(estimator).keys() == before.keys()
    assert all(vars(estimator)[k] is v for k, v in before.items())
    np.testing.assert_array_equal(_output(estimator, seed=0), output)


def test_a_sparse_linear_fit_refused_after_validation_leaves_no_fitted_attributes():
    X, y = _data(is_classifier_=True, seed=0)  # 4 features: fewer terms than max_features
    model = SparseLinearClassifier(max_features=50)
    with pytest.raises(ValueError, match="max_features=50 exceeds the 4 terms"):
        model.fit(X[:, :4], y)
    assert not [k for k in vars(model) if k.endswith("_")]
    with pytest.raises(NotFittedError):
        model.predict(X)
