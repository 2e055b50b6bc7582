"""Wald intervals accept the labels of rows that weigh nothing, as the fit does."""

import numpy as np
import pytest

from glassbox import SparseLinearClassifier
from glassbox.linear import coefficient_inference


def test_wald_intervals_read_a_weightless_label_as_the_fit_does():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    y = np.where(X[:, 0] + rng.logistic(size=300) > 0, "bad", "good").astype(object)
    y[:20] = "excluded"
    weights = np.ones(300)
    weights[:20] = 0.0
    with pytest.warns(UserWarning, match="excluded"):
        model = SparseLinearClassifier(alpha=0.0).fit(X, y, sample_weight=weights)
    assert list(model.classes_) == ["bad", "good"]
    with_rows = coefficient_inference(model, X, y, sample_weight=weights, method="wald")
    without = coefficient_inference(model, X[20:], y[20:], method="wald")
    np.testing.assert_allclose(with_rows.std_errors, without.std_errors, rtol=1e-10)
    np.testing.assert_allclose(with_rows.lower, without.lower, rtol=1e-10)
