"""A model loaded from JSON refuses infinity as its estimator does, in the same words."""

import numpy as np
import pytest
from sklearn.base import clone, is_classifier

from glassbox import all_estimators, from_json
from glassbox.utils.checks import make_check_data

ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]


def _message(call):
    with pytest.raises(ValueError) as info:
        call()
    return str(info.value)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_a_model_loaded_from_json_refuses_infinity_as_its_estimator_does(estimator):
    X, y = make_check_data(estimator, n_classes=2, n_samples=120)
    model = clone(estimator).fit(X, y)
    explanation = model.explain_global()
    if not hasattr(explanation, "to_json"):
        pytest.skip("no JSON form")
    loaded = from_json(explanation.to_json())
    numeric = [c for c in X.columns if X[c].dtype.kind == "f"]
    # infinity in every numeric column the model reads: a JSON model reads only its terms' features
    bad = X.head(3).copy()
    bad[numeric] = np.inf
    method = "decision_function" if is_classifier(model) and hasattr(loaded, "decision_function") else "predict"
    expected = _message(lambda: getattr(model, method if hasattr(model, method) else "predict")(bad))
    got = _message(lambda: getattr(loaded, method if hasattr(loaded, method) else "decision_function")(bad))
    assert "contains infinity" in got
    assert got.split(" in columns")[0] == expected.split(" in columns")[0]
    assert got.split("];")[1] == expected.split("];")[1]  # same advice
