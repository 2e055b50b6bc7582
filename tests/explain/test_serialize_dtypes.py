"""A model file's arrays load as written or not at all.

The ``dtype`` tag of an encoded array is read, not trusted: a tag that
to_json() never writes (a NumPy sub-array dtype, which makes each value
millions of values, a string or date dtype) is refused before anything is
allocated, as is a shape whose size is not the number of values.  A value the
tagged dtype would change (``0.9`` in an integer array, ``30.03`` rounded by
``float16``) is refused too: otherwise the loaded model scores differently from
the numbers a reader sees in the file.  JSON nested deeper than Python reads is
a ValueError like any other text that is not a model.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import SparseLinearClassifier
from glassbox.explain._serialize import decode_array, decode_nested, encode_array


@pytest.fixture(scope="module")
def linear_payload():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(50, 10, 200), "income": rng.normal(5, 1, 200)})
    y = (X["age"] + rng.normal(0, 5, 200) > 50).astype(int).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return json.loads(SparseLinearClassifier(alpha=0.01).fit(X, y).to_json())


@pytest.mark.parametrize("array", [
    np.array([0.1, np.nan, -np.inf, 1e300]), np.array([0.1, 2.5], dtype=np.float32), np.arange(6).reshape(2, 3),
    np.array([0, 255], dtype=np.uint8), np.array([-2**63, 2**63 - 1]), np.array([True, False]),
    np.array(["a", "nan", 3], dtype=object), np.zeros((0, 3)), np.float64(3.0),
])
def test_what_encode_array_writes_reads_back_exactly(array):
    back = decode_array(json.loads(json.dumps(encode_array(array))))
    assert back.dtype == array.dtype and back.shape == np.shape(array)
    assert np.array_equal(back, array, equal_nan=array.dtype.kind == "f")


@pytest.mark.parametrize("dtype", ["(250000000,)f8", "U8", "M8[ns]", "V8", "<c16", "f8,i8", "<f3", "O", [1], None])
def test_a_dtype_to_json_never_writes_is_refused(dtype):
    with pytest.raises(ValueError, match="'dtype'"):
        decode_array({"dtype": dtype, "shape": [1], "data": [0.5]})


def test_a_sub_array_dtype_cannot_ask_for_gigabytes(linear_payload):
    # 67 bytes of JSON once allocated 1.86 GiB (8 values: a MemoryError asking for 14.9 GiB)
    payload = dict(linear_payload, base_value={"dtype": "(250000000,)f8", "shape": [8, 250000000], "data": [0.5] * 8})
    with pytest.raises(ValueError, match="'shape'"):
        glassbox.from_json(json.dumps(payload))


@pytest.mark.parametrize("shape, data", [([3], [1.0, 2.0]), ([10**9], [1.0]), ([2, -1], [1.0, 2.0]),
                                         ([1.5], [1.0]), ("3", [1.0, 2.0, 3.0])])
def test_a_shape_that_does_not_hold_the_values_is_refused(shape, data):
    with pytest.raises(ValueError, match="'shape'"):
        decode_array({"dtype": "<f8", "shape": shape, "data": data})


def test_floats_tagged_as_integers_are_refused_not_truncated(linear_payload):
    payload = json.loads(json.dumps(linear_payload))
    payload["content"]["coefficients"]["dtype"] = "<i8"  # its values 0.90, 0.48, ... once loaded as 0
    with pytest.raises(ValueError, match=r"dtype '<i8' holds .* \(of type float\)"):
        glassbox.from_json(json.dumps(payload))


@pytest.mark.parametrize("dtype, value, stored", [("<f2", 30.03, "30.03125"), ("<f4", 0.1, "0.10000000149"),
                                                  ("<f8", 2**53 + 1, "9007199254740992.0")])
def test_a_value_the_dtype_would_round_is_refused(dtype, value, stored):
    with pytest.raises(ValueError, match=f"holds {value}, which it would store as {stored}"):
        decode_array({"dtype": dtype, "shape": [1], "data": [value]})


@pytest.mark.parametrize("dtype, value", [("<f8", 10**400), ("<i8", 2**64), ("|u1", -1), ("|u1", 256)],
                         ids=["1e400-float", "2**64-int64", "-1-uint8", "256-uint8"])
def test_a_number_past_the_dtype_range_is_a_value_error(dtype, value):
    with pytest.raises(ValueError, match="out of its range"):
        decode_array({"dtype": dtype, "shape": [1], "data": [value]})


@pytest.mark.parametrize("dtype, value", [("<f8", None), ("<f8", True), ("<f8", "0.5"), ("<i8", 1.0), ("|b1", 1)])
def test_a_value_of_another_type_is_refused(dtype, value):
    with pytest.raises(ValueError, match="where to_json\\(\\) writes only"):
        decode_array({"dtype": dtype, "shape": [1], "data": [value]})


def test_json_nested_too_deep_to_read_is_a_value_error():
    with pytest.raises(ValueError, match="nested too deep"):
        glassbox.from_json("[" * 100_000 + "]" * 100_000)


def test_figures_nested_deeper_than_any_written_are_refused(linear_payload):
    deep = json.loads("[" * 900 + "]" * 900)
    with pytest.raises(ValueError, match="nested more than"):
        decode_nested(deep)
    with pytest.raises(ValueError, match="nested more than"):
        glassbox.from_json(json.dumps(dict(linear_payload, fidelity=deep)))
    figures = decode_nested({"agreement": [0.5, "inf"], "n_samples": 3})
    assert figures == {"agreement": [0.5, np.inf], "n_samples": 3}
