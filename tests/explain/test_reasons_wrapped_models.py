"""A scikit-learn wrapper that moves a glassbox model's decision (a threshold, a calibration) has no explanation
of its own: reason codes and the displays refuse it naming the model inside and how to pass it."""

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import FixedThresholdClassifier, TunedThresholdClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassbox import SparseLinearClassifier, reason_codes


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    y = (X["a"] + rng.normal(scale=0.5, size=60) > 0).astype(int)
    return X, y


@pytest.mark.parametrize("Wrapper", [
    lambda model: FixedThresholdClassifier(model, threshold=0.2),
    lambda model: TunedThresholdClassifierCV(model, cv=2, random_state=0),
], ids=["fixed", "tuned"])
@pytest.mark.parametrize("in_pipeline", [False, True], ids=["model", "pipeline"])
def test_a_threshold_wrapper_names_its_estimator(data, Wrapper, in_pipeline):
    X, y = data
    model = make_pipeline(StandardScaler(), SparseLinearClassifier()) if in_pipeline else SparseLinearClassifier()
    wrapper = Wrapper(model).fit(X, y)
    with pytest.raises(TypeError, match=r"wraps a fitted glassbox model: pass its estimator_.*not this wrapper's "
                                        r"decisions at its threshold"):
        reason_codes(wrapper, X.iloc[:3], reference=X, adverse=1)
    codes = reason_codes(wrapper.estimator_, X.iloc[:3], reference=X, adverse=1)
    assert len(codes.to_frame()) > 0


def test_a_calibration_names_the_one_model_to_explain(data):
    X, y = data
    averaged = CalibratedClassifierCV(SparseLinearClassifier(), cv=2).fit(X, y)
    with pytest.raises(TypeError, match=r"averages 2 glassbox models, one per fold.*ensemble=False"):
        reason_codes(averaged, X.iloc[:3], reference=X, adverse=1)
    single = CalibratedClassifierCV(SparseLinearClassifier(), cv=2, ensemble=False).fit(X, y)
    with pytest.raises(TypeError, match=r"calibrates one fitted glassbox model: pass "
                                        r"model\.calibrated_classifiers_\[0\]\.estimator"):
        reason_codes(single, X.iloc[:3], reference=X, adverse=1)
    reason_codes(single.calibrated_classifiers_[0].estimator, X.iloc[:3], reference=X, adverse=1)


def test_the_displays_name_the_model_inside_too(data):
    pytest.importorskip("matplotlib")
    from glassbox.plotting import LocalContributionDisplay

    X, y = data
    wrapper = FixedThresholdClassifier(SparseLinearClassifier(), threshold=0.2).fit(X, y)
    with pytest.raises(TypeError, match=r"got FixedThresholdClassifier\. This FixedThresholdClassifier wraps a fitted "
                                        r"glassbox model: pass its estimator_"):
        LocalContributionDisplay.from_estimator(wrapper, X.iloc[:1])


def test_a_model_per_class_or_output_is_named(data):
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.multioutput import MultiOutputClassifier

    X, y = data
    three = np.digitize(X["a"], [-0.5, 0.5])
    per_class = OneVsRestClassifier(SparseLinearClassifier()).fit(X, three)
    with pytest.raises(TypeError, match=r"holds one glassbox model per class against the rest: pass the one to "
                                        r"explain, model\.estimators_\[k\]"):
        reason_codes(per_class, X.iloc[:3], reference=X, adverse=1)
    reason_codes(per_class.estimators_[1], X.iloc[:3], reference=X, adverse=1)
    per_output = MultiOutputClassifier(SparseLinearClassifier()).fit(X, np.c_[y, 1 - y])
    with pytest.raises(TypeError, match=r"holds one glassbox model per output"):
        reason_codes(per_output, X.iloc[:3], reference=X, adverse=1)


def test_other_models_get_no_note(data):
    from sklearn.ensemble import BaggingClassifier, VotingClassifier
    from sklearn.linear_model import LogisticRegression

    X, y = data
    # an ensemble's estimator_ is its unfitted template, and no one of its models explains it
    for model in (LogisticRegression().fit(X, y), BaggingClassifier(SparseLinearClassifier(), n_estimators=2).fit(X, y),
                  VotingClassifier([("linear", SparseLinearClassifier())]).fit(X, y)):
        with pytest.raises(TypeError) as info:
            reason_codes(model, X.iloc[:3], reference=X, adverse=1)
        assert "wraps" not in str(info.value) and "glassbox model per" not in str(info.value)
