"""A per-class ``alpha`` that is refused says what is wrong with it: its length, or a value that is not a
positive pseudo-count."""

import numpy as np
import pandas as pd
import pytest

from glassbox import BayesianRuleListClassifier


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.integers(18, 80, 200).astype(float)})
    return X, (X["age"] > 40).astype(int)


@pytest.mark.parametrize("alpha, bad", [([1.0, -1.0], "-1"), ([0.0, 2.0], "0"), ([1.0, np.inf], "inf"),
                                        ([np.nan, 1.0], "nan")])
def test_a_value_that_is_no_pseudo_count_is_named(data, alpha, bad):
    X, y = data
    with pytest.raises(ValueError) as raised:
        BayesianRuleListClassifier(alpha=alpha, n_iter=100, random_state=0).fit(X, y)
    message = str(raised.value)
    assert "shape" not in message  # the shape (2,) is right for two classes
    assert f"alpha[{np.flatnonzero(~(np.isfinite(alpha) & (np.asarray(alpha) > 0)))[0]}] is {bad}" in message
    assert "positive" in message


def test_a_wrong_length_is_named(data):
    X, y = data
    with pytest.raises(ValueError, match=r"alpha has 3 entries but the target has 2 classes"):
        BayesianRuleListClassifier(alpha=[1.0, 1.0, 1.0], n_iter=100, random_state=0).fit(X, y)


@pytest.mark.parametrize("alpha", [{0: 1.0, 1: 5.0}, ["a", "b"], [[1.0], [1.0, 2.0]]],
                         ids=["class-mapping", "text", "ragged"])
def test_an_alpha_that_is_no_numbers_is_named(data, alpha):
    # a class -> pseudo-count dict (as class_weight takes) failed in float() without naming alpha
    X, y = data
    with pytest.raises(ValueError, match=r"alpha must be a positive number or one positive pseudo-count per class"):
        BayesianRuleListClassifier(alpha=alpha, n_iter=100, random_state=0).fit(X, y)
