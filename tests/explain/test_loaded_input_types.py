"""A model loaded from JSON (and a global explanation) reads X as its estimator does: the same errors for
dates, durations, complex numbers and an empty batch, and the same warning texts for flags sent to a text
categorical feature."""

import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import (
    BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier, SparseLinearClassifier,
)

FAMILIES = {
    "sparse linear": lambda pair: SparseLinearClassifier(),
    "GAM with a pair": lambda pair: GAMClassifier(interactions=[pair], outer_bags=2, max_rounds=200, random_state=0),
    "risk score": lambda pair: RiskScoreClassifier(),
    "rule list": lambda pair: BayesianRuleListClassifier(n_iter=300, n_chains=2, random_state=0),
    "decision set": lambda pair: DecisionSetClassifier(random_state=0),
}


def _data():
    rng = np.random.default_rng(0)
    n = 300
    X = pd.DataFrame({"age": rng.integers(20, 70, n).astype(float), "hours": rng.normal(40, 5, n).round(1),
                      "member": rng.choice(["Y", "N"], n)})
    y = ((X.age > 45) ^ (X.member == "Y") ^ (rng.random(n) < 0.1)).astype(int)
    return X, y


def _fit(family, X, y, pair):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of the small fits
        return FAMILIES[family](pair).fit(X, y)


@pytest.fixture(scope="module")
def frame_models():
    X, y = _data()
    fitted = {family: _fit(family, X, y, ("age", "hours")) for family in FAMILIES}
    return X, fitted


@pytest.fixture(scope="module")
def array_models():
    X, y = _data()
    array = X.to_numpy(dtype=object)
    fitted = {family: _fit(family, array, y, (0, 1)) for family in ("sparse linear", "GAM with a pair", "risk score")}
    return array, fitted


def _outcome(call):
    """``("error", type, message)`` or ``("ok", warning texts)``: what a call gives a caller."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
            return ("error", type(exc), str(exc))
    return ("ok", [f"{w.category.__name__}: {w.message}" for w in caught])


def _assert_read_alike(estimator, X):
    """The estimator, its JSON copy and its global explanation give one outcome on ``X``."""
    loaded, explanation = glassbox.from_json(estimator.to_json()), estimator.explain_global()
    expected = _outcome(lambda: estimator.predict_proba(X))
    assert _outcome(lambda: loaded.predict_proba(X)) == expected
    assert _outcome(lambda: explanation.predict_proba(X)) == expected
    expected = _outcome(lambda: estimator.decision_function(X))
    assert _outcome(lambda: loaded.decision_function(X)) == expected
    return expected


def _stamps(age):
    return pd.Timestamp("2020-01-01") + pd.to_timedelta(age, unit="D")


DATE_INPUTS = {
    "datetime64": lambda Z: Z.assign(age=_stamps(Z.age)),
    "datetime64 with a time zone": lambda Z: Z.assign(age=_stamps(Z.age).dt.tz_localize("UTC")),
    "timedelta64": lambda Z: Z.assign(age=pd.to_timedelta(Z.age, unit="D")),
    "object column of Timestamps": lambda Z: Z.assign(age=pd.Series(list(_stamps(Z.age)), dtype=object,
                                                                      index=Z.index)),
    "object column of Timedeltas": lambda Z: Z.assign(age=pd.Series(list(pd.to_timedelta(Z.age, unit="D")),
                                                                      dtype=object, index=Z.index)),
    "period": lambda Z: Z.assign(age=pd.period_range("2020-01", periods=len(Z), freq="M")),
    "object column of Periods": lambda Z: Z.assign(age=pd.Series(list(pd.period_range("2020-01", periods=len(Z),
                                                                                        freq="M")), dtype=object,
                                                                   index=Z.index)),
    "dates in a categorical feature": lambda Z: Z.assign(member=pd.Timestamp("2020-01-01")),
    "two date columns": lambda Z: Z.assign(age=_stamps(Z.age), hours=pd.to_timedelta(Z.hours, unit="h")),
}


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("kind", DATE_INPUTS)
def test_dates_and_durations_get_the_estimators_error(frame_models, family, kind):
    X, fitted = frame_models
    estimator = fitted[family]
    if kind == "dates in a categorical feature" and "member" not in str(estimator.explain_global()):
        pytest.skip("the model reads no 'member': a loaded model reads only the features it uses")
    outcome = _assert_read_alike(estimator, DATE_INPUTS[kind](X.iloc[:5]))
    assert outcome[:2] == ("error", TypeError) and "hold dates or durations" in outcome[2]


@pytest.mark.parametrize("family", ["sparse linear", "GAM with a pair", "risk score"])
def test_a_numpy_object_array_of_datetime64_gets_the_estimators_error(array_models, family):
    array, fitted = array_models
    rows = array[:5].copy()
    rows[:, 0] = [np.datetime64("2020-01-01") + np.timedelta64(int(d), "D") for d in rows[:, 0]]
    outcome = _assert_read_alike(fitted[family], rows)
    assert outcome[:2] == ("error", TypeError) and "['x0'] hold dates" in outcome[2]


@pytest.mark.parametrize("family", FAMILIES)
def test_complex_numbers_get_the_estimators_error(frame_models, family):
    X, fitted = frame_models
    outcome = _assert_read_alike(fitted[family], X.iloc[:5].assign(age=X.age.iloc[:5] + 1j))
    assert outcome[:2] == ("error", ValueError) and outcome[2].startswith("Complex data not supported")


@pytest.mark.parametrize("family", ["sparse linear", "GAM with a pair", "risk score"])
def test_a_complex_array_gets_the_estimators_error(array_models, family):
    array, fitted = array_models
    complex_rows = np.array(array[:5, :2], dtype=np.float64) + 1j
    estimator = _fit(family, np.array(array[:, :2], dtype=np.float64), _data()[1], (0, 1))
    outcome = _assert_read_alike(estimator, complex_rows)
    assert outcome[:2] == ("error", ValueError) and outcome[2].startswith("Complex data not supported")


@pytest.mark.parametrize("family", ["sparse linear", "GAM with a pair", "rule list", "decision set"])
@pytest.mark.parametrize("nullable", [False, True], ids=["bool", "nullable boolean"])
def test_flags_sent_to_a_text_categorical_are_warned_of_as_flags(frame_models, family, nullable):
    X, fitted = frame_models
    Z = X.iloc[:5].assign(member=[True, False, True, True, False])
    if nullable:
        Z["member"] = pd.array([True, None, False, True, False], dtype="boolean")
    outcome = _assert_read_alike(fitted[family], Z)
    if nullable and family == "sparse linear":  # it refuses missing values, naming the column, as the estimator
        assert outcome[:2] == ("error", ValueError) and "['member']" in outcome[2]
    else:
        assert outcome[0] == "ok" and any("[False, True]" in text for text in outcome[1]), outcome


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("as_array", [False, True], ids=["frame", "array"])
def test_an_empty_batch_gets_the_estimators_error(frame_models, array_models, family, as_array):
    if as_array:
        if family not in array_models[1]:
            pytest.skip("fitted on a frame only")
        X, estimator = array_models[0], array_models[1][family]
    else:
        X, estimator = frame_models[0], frame_models[1][family]
    empty = X[:0]
    outcome = _assert_read_alike(estimator, empty)
    assert outcome == ("error", ValueError,
                       f"Found array with 0 sample(s) (shape={empty.shape}) while a minimum of 1 is required.")
    loaded = glassbox.from_json(estimator.to_json())
    assert _outcome(lambda: loaded.predict(empty)) == _outcome(lambda: estimator.predict(empty)) == outcome
    if family in ("rule list", "decision set"):
        return  # reason codes take additive models only
    reasons = [_outcome(lambda: glassbox.reason_codes(model, empty, reference=X[:20], adverse=1))
               for model in (estimator, loaded)]
    assert reasons[0] == reasons[1] == outcome
