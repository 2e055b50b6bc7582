"""Float arrays of explanations and models encode to JSON without a per-value pass, exactly as before."""

import json

import numpy as np
import pytest

from glassbox.explain import _serialize
from glassbox.explain._serialize import decode_array, encode_array, encode_scalar


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_float_arrays_encode_as_each_value_would_and_load_bit_for_bit(dtype):
    values = np.array([[0.1, -0.0, np.nan, 6.0e4], [np.inf, -np.inf, 3.5, -2.25e-5]]).astype(dtype)
    encoded = encode_array(values)
    assert encoded["data"] == [encode_scalar(v) for v in values.ravel().tolist()]
    assert encoded["data"][2:5] == ["nan", float(values[0, 3]), "inf"]
    loaded = decode_array(json.loads(json.dumps(encoded)))
    assert loaded.dtype == values.dtype and loaded.shape == values.shape
    assert loaded.tobytes() == values.tobytes()


def test_only_the_non_finite_values_are_encoded_one_by_one(monkeypatch):
    calls = []
    monkeypatch.setattr(_serialize, "encode_scalar", lambda v: calls.append(v) or encode_scalar(v))
    values = np.random.default_rng(0).normal(size=(100000, 5))
    values[::1000, 1] = np.nan
    encoded = encode_array(values)
    assert len(calls) == 100
    assert encoded["data"][1] == "nan" and encoded["data"][0] == values[0, 0]
