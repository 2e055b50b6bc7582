"""JSON-safe encoding of arrays and scalars with an exact round trip.

Floats are written with ``repr`` precision by :mod:`json`, which round-trips
IEEE doubles exactly.  Non-finite floats are not valid JSON, so they are
written as the strings ``"nan"``, ``"inf"`` and ``"-inf"``; a *string* that
reads like one of those markers (a category level ``"nan"``) is written as
``{"str": "nan"}`` so that it comes back a string, not a float.
"""

import math

import numpy as np

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def encode_scalar(value):
    """Return a JSON-safe Python scalar for ``value`` (numpy or Python)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, str):
        return {"str": str(value)} if value in _NON_FINITE else str(value)
    # pandas.NA, pandas.NaT and other missing markers
    try:
        if value != value or bool(value is getattr(value, "NA", object())):
            return None
    except (TypeError, ValueError):
        return None
    return str(value)


def decode_scalar(value):
    """Inverse of :func:`encode_scalar` for float markers and escaped strings."""
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, dict) and set(value) == {"str"}:
        return value["str"]
    return value


def encode_array(array):
    """Encode a numeric or object ndarray as ``{"dtype", "shape", "data"}``."""
    array = np.asarray(array)
    if array.dtype.kind in "fc":
        data = [encode_scalar(v) for v in array.ravel().tolist()]
    elif array.dtype.kind in "iub":
        data = array.ravel().tolist()
    else:
        data = [encode_scalar(v) for v in array.ravel()]
        return {"dtype": "object", "shape": list(array.shape), "data": data}
    return {"dtype": array.dtype.str, "shape": list(array.shape), "data": data}


def decode_array(payload):
    """Inverse of :func:`encode_array`."""
    shape = tuple(payload["shape"])
    if payload["dtype"] == "object":
        out = np.empty(len(payload["data"]), dtype=object)
        out[:] = [decode_scalar(v) for v in payload["data"]]
        return out.reshape(shape)
    dtype = np.dtype(payload["dtype"])
    if dtype.kind in "fc":
        data = [decode_scalar(v) for v in payload["data"]]
    else:
        data = payload["data"]
    return np.asarray(data, dtype=dtype).reshape(shape)


def encode_optional_array(array):
    return None if array is None else encode_array(array)


def decode_optional_array(payload):
    return None if payload is None else decode_array(payload)


def is_frozen(array, dtype=None):
    """Whether ``array`` is an ndarray (of ``dtype``) that owns its memory and is read-only."""
    return (isinstance(array, np.ndarray) and array.flags.owndata and not array.flags.writeable
            and (dtype is None or array.dtype == np.dtype(dtype)))


def frozen_array(array, dtype=None):
    """Return a read-only copy of ``array`` so explanation objects stay immutable.

    An ndarray that is read-only already and owns its memory (of ``dtype``) is
    returned as is: nothing can write to it, and a large one (a local
    explanation's rows x terms contributions) is not held twice.
    """
    if array is None:
        return None
    if is_frozen(array, dtype):
        return array
    out = np.array(array, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


def encode_nested(value):
    """JSON-safe copy of a small dict/list of numbers (NaN and inf become markers)."""
    if isinstance(value, dict):
        return {str(k): encode_nested(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [encode_nested(v) for v in value]
    return encode_scalar(value)


def decode_nested(value):
    """Inverse of :func:`encode_nested`."""
    if isinstance(value, dict) and set(value) != {"str"}:
        return {k: decode_nested(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_nested(v) for v in value]
    return decode_scalar(value)
