"""The decision set's candidate coverage is built in chunks and its size is explained when it cannot be held."""

import pickle
import sys

import numpy as np
import pytest

from glassbox import DecisionSetClassifier
from glassbox.rules import _decision_set_rules


def _data(n=600):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + 0.5 * rng.normal(size=n) > 0).astype(int)
    return X, y


def test_chunked_union_gives_the_same_model(monkeypatch):
    X, y = _data()
    whole = DecisionSetClassifier(random_state=0, max_rules=5).fit(X, y)
    # a chunk of a single candidate: every chunk boundary is crossed
    monkeypatch.setattr(_decision_set_rules, "_CHUNK_BYTES", 1)
    chunked = DecisionSetClassifier(random_state=0, max_rules=5).fit(X, y)
    assert pickle.dumps(chunked.explain_global()) == pickle.dumps(whole.explain_global())
    np.testing.assert_array_equal(chunked.predict_proba(X), whole.predict_proba(X))


def test_coverage_too_large_names_its_size_and_the_fix(monkeypatch):
    X, y = _data()

    numpy_empty = np.empty

    def no_memory_for_the_coverage(*args, **kwargs):  # as numpy fails on a too large array
        if sys._getframe(1).f_code.co_name == "_allocate_coverage":
            raise MemoryError("Unable to allocate")
        return numpy_empty(*args, **kwargs)

    monkeypatch.setattr(np, "empty", no_memory_for_the_coverage)
    with pytest.raises(MemoryError, match=r"candidate rules' coverage of 600 rows needs .* GiB\. Raise min_support"):
        DecisionSetClassifier(random_state=0).fit(X, y)
