"""Reason codes name the adverse class by the model's own label, however it was spelled when asked."""

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearClassifier, reason_codes
from glassbox.explain.reasons import ReasonCodes


@pytest.fixture(scope="module")
def bands():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(size=300), "amount": rng.normal(size=300)})
    score = X["age"] + 0.5 * X["amount"] + rng.normal(0, 0.5, 300)
    y = np.where(score < -0.5, 10, np.where(score < 0.5, 20, 30))
    return X, SparseLinearClassifier().fit(X, y)


@pytest.mark.parametrize("asked", [30.0, np.int64(30), np.float32(30)], ids=["float", "np.int64", "np.float32"])
def test_the_printout_and_the_json_name_class_30(bands, asked):
    X, model = bands
    codes = reason_codes(model, X.iloc[:2], reference=X, adverse=asked)
    assert codes.adverse == 30 and type(codes.adverse) is int
    text = str(codes)
    assert "adverse outcome class 30\n" in text and "30.0" not in text
    assert codes == reason_codes(model, X.iloc[:2], reference=X, adverse=30)
    assert ReasonCodes.from_json(codes.to_json()) == codes
