"""The multinomial Wald table names the level each categorical is read against, as the bootstrap does."""

import numpy as np
import pandas as pd

from glassbox import SparseLinearClassifier, coefficient_inference
from glassbox.explain import CoefficientInference


def _zones(n=600, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "zone": pd.Categorical(rng.choice(["N", "S", "W"], n))})
    eta = np.column_stack([np.zeros(n), 0.8 * X["a"] + 0.5 * (X["zone"] == "S"),
                           -0.6 * X["a"] - 0.4 * (X["zone"] == "W")])
    p = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    return X, np.array(["bad", "fair", "good"])[[rng.choice(3, p=row) for row in p]]


def test_multinomial_wald_records_the_base_level_and_does_not_call_it_dropped():
    X, y = _zones()
    model = SparseLinearClassifier(alpha=0, tol=1e-10).fit(X, y)
    wald = coefficient_inference(model, X, y)
    assert wald.reference_levels == {"zone": "N"}
    assert "zone == N" not in wald.dropped_terms and "zone == N" not in wald.terms
    assert "zone == S" in wald.terms and "zone == W" in wald.terms
    # the same base as the bootstrap reads the levels against
    boot = coefficient_inference(model, X, y, method="bootstrap", n_resamples=4, random_state=0)
    assert boot.reference_levels == wald.reference_levels
    assert CoefficientInference.from_json(wald.to_json()).reference_levels == {"zone": "N"}


def test_a_named_reference_level_is_recorded_not_dropped():
    X, y = _zones(seed=1)
    model = SparseLinearClassifier(alpha=0, tol=1e-10, reference_levels={"zone": "W"}).fit(X, y)
    wald = coefficient_inference(model, X, y)
    assert wald.reference_levels == {"zone": "W"} and wald.dropped_terms == ()
