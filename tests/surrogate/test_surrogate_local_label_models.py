"""LocalSurrogate refuses a model that gives class labels only, saying what to pass instead."""

import numpy as np
import pytest

from glassbox.surrogate import LocalSurrogate


def test_a_function_returning_labels_is_refused_with_the_fix():
    X = np.random.RandomState(0).normal(size=(100, 2))

    def labels(X):
        return np.where(X[:, 0] > 0, "yes", "no")

    with pytest.raises(TypeError, match=r"labels gives class labels only") as info:
        LocalSurrogate(labels, task="classification").fit(X)
    message = str(info.value)
    assert "predict_proba or decision_function" in message
    assert "a function returning class probabilities (2-D, one column per class" in message
