"""JSON-safe encoding of arrays and scalars with an exact round trip.

Floats are written with ``repr`` precision by :mod:`json`, which round-trips
IEEE doubles exactly.  Non-finite floats are not valid JSON, so they are
written as the strings ``"nan"``, ``"inf"`` and ``"-inf"``; a *string* that
reads like one of those markers (a category level ``"nan"``) is written as
``{"str": "nan"}`` so that it comes back a string, not a float.

Two more level types have an exact tagged form: ``bytes`` (``{"bytes": text}``,
the bytes read as Latin-1) and ``pandas.Interval``, the bands of ``pd.cut`` /
``pd.qcut`` (``{"interval": [left, right, closed]}``).  A category level of any
other type (an Enum, a Decimal, a tuple, an arbitrary object) has no exact JSON
form: :func:`encode_level` refuses it, because a level written as its text
would no longer equal the data's values and the loaded model would score every
such row as unseen.
"""

import enum
import functools
import json
import math
import os
import re

import numpy as np

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _is_interval(value):
    """Whether ``value`` is a ``pandas.Interval`` (looked up on the type: pandas is not imported here)."""
    kind = type(value)
    return kind.__name__ == "Interval" and kind.__module__.split(".")[0] == "pandas"


def _plain_scalar(value):
    """``(True, encoded)`` for a value JSON holds exactly (numbers, str, bool, None), else ``(False, None)``."""
    if value is None:
        return True, None
    if isinstance(value, enum.Enum):  # an IntEnum / str Enum member would come back as a plain int / str
        return False, None
    if isinstance(value, (bool, np.bool_)):
        return True, bool(value)
    if isinstance(value, (int, np.integer)):
        return True, int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value):
            return True, "nan"
        if math.isinf(value):
            return True, "inf" if value > 0 else "-inf"
        return True, value
    if isinstance(value, str):
        return True, {"str": str(value)} if value in _NON_FINITE else str(value)
    if isinstance(value, bytes):
        return True, {"bytes": bytes(value).decode("latin-1")}
    if _is_interval(value):
        ends = [_plain_scalar(value.left), _plain_scalar(value.right)]
        if all(exact for exact, _ in ends):
            return True, {"interval": [ends[0][1], ends[1][1], value.closed]}
    return False, None


def encode_level(value, feature):
    """:func:`encode_scalar` for a category level or threshold of ``feature``, refusing what JSON cannot hold.

    Raises
    ------
    TypeError
        For a level that would come back as something else (its text): an
        Enum member, a Decimal, a tuple, an Interval of dates, any other object.
    """
    exact, encoded = _plain_scalar(value)
    if exact:
        return encoded
    kind = type(value).__name__ + (" (an Enum)" if isinstance(value, enum.Enum) else "")
    raise TypeError(
        f"Level {value!r} of feature {feature!r} is a {kind}, which has no exact JSON form: written as its text it "
        f"would no longer equal the data's values and the loaded model would score those rows as unseen. JSON keeps "
        f"str, int, float, bool, bytes and pandas Interval (pd.cut) levels. Convert the column before fitting, "
        f"e.g. X[{feature!r}] = X[{feature!r}].astype(str), and pass the converted column to the model as well."
    )


def encode_scalar(value):
    """Return a JSON-safe Python scalar for ``value`` (numpy or Python).

    Values without an exact JSON form are written as their text (display
    values, such as a row's inputs in a local explanation); model levels go
    through :func:`encode_level`, which refuses them instead.
    """
    exact, encoded = _plain_scalar(value)
    if exact:
        return encoded
    # pandas.NA, pandas.NaT and other missing markers
    try:
        if value != value or bool(value is getattr(value, "NA", object())):
            return None
    except (TypeError, ValueError):
        return None
    return str(value)


def decode_scalar(value):
    """Inverse of :func:`encode_scalar` for float markers, escaped strings, bytes and intervals."""
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, dict) and len(value) == 1:
        if "str" in value:
            return value["str"]
        if "bytes" in value:
            return value["bytes"].encode("latin-1")
        if "interval" in value:
            import pandas as pd  # only pandas data hold intervals

            left, right, closed = value["interval"]
            return pd.Interval(decode_scalar(left), decode_scalar(right), closed=closed)
    return value


def encode_array(array, levels_of=None):
    """Encode a numeric or object ndarray as ``{"dtype", "shape", "data"}``.

    With ``levels_of`` (a feature name), the values are that feature's levels
    and go through :func:`encode_level`: one without an exact JSON form raises.
    """
    array = np.asarray(array)
    if array.dtype.kind == "f":
        # Python floats are JSON numbers as they are: only NaN and infinities need their markers. A million
        # rows' contributions took seconds encoded one by one.
        flat = array.ravel()
        data = flat.tolist()
        for k in np.flatnonzero(~np.isfinite(flat)).tolist():
            data[k] = encode_scalar(data[k])
    elif array.dtype.kind == "c":
        data = [encode_scalar(v) for v in array.ravel().tolist()]
    elif array.dtype.kind in "iub":
        data = array.ravel().tolist()
    else:
        encode = encode_scalar if levels_of is None else (lambda v: encode_level(v, levels_of))
        data = [encode(v) for v in array.ravel()]
        return {"dtype": "object", "shape": list(array.shape), "data": data}
    return {"dtype": array.dtype.str, "shape": list(array.shape), "data": data}


# The dtypes encode_array writes: a byte order and a float, signed or unsigned integer or boolean code with
# its size, or "object".  Anything else np.dtype() would parse (a sub-array "(250000000,)f8", a structured,
# void, date or string dtype) is no array this module wrote, and a sub-array one can ask for gigabytes.
_NUMERIC_DTYPE = re.compile(r"[<>|=]?[fiub][1-9][0-9]?")


def decode_array(payload):
    """Inverse of :func:`encode_array`, for text it wrote, whole and unedited.

    Raises
    ------
    ValueError
        For a dtype :func:`encode_array` does not write, a shape whose size is
        not the number of values, or a value the dtype does not hold exactly
        (``0.9`` in an integer array, ``30.03`` in a ``float16`` one): read on,
        such a file would load as a model other than the one its text shows.
        Nothing is allocated before the sizes are checked.
    """
    shape, data = _checked_layout(payload)
    if payload["dtype"] == "object":
        out = np.empty(len(data), dtype=object)
        out[:] = [decode_scalar(v) for v in data]
        return out.reshape(shape)
    dtype = _checked_dtype(payload["dtype"])
    values = [decode_scalar(v) for v in data] if dtype.kind == "f" else data
    return _exact_array(values, dtype).reshape(shape)


def _checked_layout(payload):
    """The ``shape`` (a tuple) and ``data`` (a list) of an encoded array, the size of one matching the other."""
    shape, data = payload["shape"], payload["data"]
    if not isinstance(data, list):
        raise ValueError(f"An array's 'data' must be a list of values, not a {type(data).__name__}.")
    if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape) or len(shape) > 32:
        raise ValueError(f"An array's 'shape' must be a list of at most 32 whole numbers >= 0, not {shape!r:.80}.")
    if math.prod(shape) != len(data):
        raise ValueError(f"An array's 'shape' {shape!r:.80} holds {math.prod(shape):,} values, but its 'data' "
                         f"lists {len(data):,}.")
    return tuple(shape), data


def _checked_dtype(text):
    """``np.dtype(text)`` for a dtype :func:`encode_array` writes, else a ValueError naming it."""
    if not isinstance(text, str) or _NUMERIC_DTYPE.fullmatch(text) is None:
        raise ValueError(f"An array's 'dtype' {text!r:.80} is not one to_json() writes: those are a float, "
                         f"integer or boolean code such as '<f8', '<i8', '|b1', or 'object'.")
    try:
        return np.dtype(text)
    except TypeError as exc:  # a size the code does not come in, such as '<f3'
        raise ValueError(f"An array's 'dtype' {text!r} is not a NumPy dtype: {exc}") from exc


def _exact_array(values, dtype):
    """``values`` as an array of ``dtype``, refusing any value the dtype would change."""
    allowed = {"b": {bool}, "f": {float, int}}.get(dtype.kind, {int})  # exact types: bool is no int here
    types = set(map(type, values))
    if not types <= allowed:
        wrong = next(v for v in values if type(v) not in allowed)
        kind = {"b": "booleans", "f": "numbers"}.get(dtype.kind, "whole numbers")
        raise ValueError(f"An array of dtype {dtype.str!r} holds {wrong!r:.80} (of type {type(wrong).__name__}), "
                         f"where to_json() writes only {kind}.")
    if dtype.kind in "iu":  # checked here: NumPy 2 refuses such an integer, NumPy 1.x wraps it (-1 -> 255)
        info = np.iinfo(dtype)
        outside = next((v for v in values if not info.min <= v <= info.max), None)
        if outside is not None:
            raise ValueError(f"An array of dtype {dtype.str!r} holds a number out of its range ({outside!r:.80} "
                             f"is not in [{info.min}, {info.max}]).")
    try:
        out = np.array(values, dtype=dtype)
    except OverflowError as exc:  # a whole number too large for a float
        raise ValueError(f"An array of dtype {dtype.str!r} holds a number out of its range ({exc}).") from exc
    if dtype.kind == "f" and (int in types or dtype.itemsize < 8):
        # a float64 read from JSON is exact; a narrower float, or a whole number past 2**53, may be rounded
        for v, stored in zip(values, out.tolist()):
            if v != stored and v == v:  # Python compares int and float exactly; NaN reads back as NaN
                raise ValueError(f"An array of dtype {dtype.str!r} holds {v!r:.80}, which it would store as "
                                 f"{stored!r}: the loaded model would differ from the file.")
    return out


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


# Deepest nesting decode_nested reads: the dicts of figures encode_nested writes are two or three levels deep.
_MAX_NESTING = 32


def decode_nested(value, depth=0):
    """Inverse of :func:`encode_nested`; ValueError for nesting deeper than ``_MAX_NESTING`` (no such figures)."""
    if depth > _MAX_NESTING:
        raise ValueError(f"A dict or list of figures is nested more than {_MAX_NESTING} levels deep; to_json() writes "
                         f"a few levels at most.")
    if isinstance(value, dict) and set(value) != {"str"}:
        return {k: decode_nested(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_nested(v, depth + 1) for v in value]
    return decode_scalar(value)


#: what reading a damaged payload raises: a key lost (KeyError), a list cut short (IndexError), a value of another
#: type (AttributeError, TypeError), a value out of its range (ValueError, OverflowError)
PAYLOAD_ERRORS = (KeyError, IndexError, AttributeError, TypeError, ValueError, OverflowError)


def payload_problem(exc):
    """What a :data:`PAYLOAD_ERRORS` error met while reading a payload says about it, for a message."""
    return f"the field {exc.args[0]!r} is missing" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"


def reads_report_payload(kind, what):
    """Decorator of a report's ``from_dict``: a payload of another kind, or one damaged, refused with a ValueError.

    ``kind`` is the payload's ``"kind"`` and ``what`` names the report in the
    messages ("a local explanation").  A file cut short, merged badly or edited
    by hand fails somewhere inside ``from_dict`` (a key lost, a list one entry
    short, a number where a list was); whatever fails, the caller gets one
    ValueError that names the problem and the fix, the original error as its
    ``__cause__``.  An error raised by a nested report's ``from_dict`` (the
    explanation inside reason codes) has said so already and passes through.
    """
    def decorate(from_dict):
        @functools.wraps(from_dict)
        def reading(cls, payload):
            loader = f"{cls.__name__}.from_json"
            if not isinstance(payload, dict):
                raise ValueError(f"Expected {what} payload (a JSON object of kind {kind!r}), got a "
                                 f"{type(payload).__name__}: {loader} reads the text to_json() wrote.")
            if payload.get("kind") != kind:
                raise ValueError(f"Expected {what} payload (kind {kind!r}), got kind {payload.get('kind')!r}.")
            try:
                return from_dict(cls, payload)
            except PAYLOAD_ERRORS as exc:
                if str(exc).startswith("The JSON of "):
                    raise
                raise ValueError(f"The JSON of {what} is damaged or incomplete: {payload_problem(exc)}. {loader} "
                                 f"reads the text to_json() wrote, whole and unedited: write it again with "
                                 f"to_json() from the object that wrote it.") from exc
        return reading
    return decorate


class PrintedWhole:
    """``to_text()`` for a kind that always prints whole (a scorecard, a rule list): what ``print`` shows.

    The kinds that shorten long output (shape functions, coefficient tables,
    local explanations, reason codes, fidelity reports) have their own
    ``to_text`` with arguments that say how much to show.
    """

    def to_text(self):
        """The printout as text: what ``print`` shows."""
        return str(self)


class JsonText:
    """``to_json`` / ``from_json`` over a class's ``to_dict`` / ``from_dict``: an exact round trip.

    ``allow_nan=False``: the payloads encode non-finite numbers themselves, so
    the text is strict JSON that any reader parses.
    """

    #: what the messages of a load that fails call ``from_json`` (None: ``<class>.from_json``)
    _json_loader = None

    def to_json(self, **kwargs):
        """Serialise to a JSON string (keyword arguments go to ``json.dumps``); :meth:`from_json` reads it back."""
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)

    @classmethod
    def from_json(cls, text):
        """Rebuild the object :meth:`to_json` wrote (its text: a ``str``, ``bytes`` or ``bytearray``).

        Raises
        ------
        TypeError
            For anything but text (an already parsed dict: use ``from_dict``).
        ValueError
            For text that is not JSON (a file path, a truncated or edited file).
        """
        return cls.from_dict(parse_json_text(text, cls._json_loader or f"{cls.__name__}.from_json",
                                             f"{cls.__name__}.from_dict"))


def parse_json_text(text, loader, dict_loader):
    """``json.loads(text)``, with a message naming the mistake and the fix for what is not JSON text.

    ``loader`` and ``dict_loader`` (the functions that read text and a dict) are
    named in the messages.  A file path, a parsed dict and text that is not JSON
    (a truncated upload, a hand edit that broke it, bytes that are not text at
    all) are the usual mistakes of a load step; the JSON or decoding error is
    kept as the ``__cause__``.
    """
    if isinstance(text, dict):
        raise TypeError(f"{loader} takes the JSON text that to_json() wrote, not a dict: pass the parsed "
                        f"dict to {dict_loader}, or the text to {loader}.")
    if isinstance(text, os.PathLike):
        raise TypeError(_path_message(loader, os.fspath(text)))
    if not isinstance(text, (str, bytes, bytearray)):
        raise TypeError(f"{loader} takes the JSON text that to_json() wrote (a str), not a value of "
                        f"type {type(text).__name__}.")
    unit = "characters" if isinstance(text, str) else "bytes"
    try:
        return json.loads(text)
    except UnicodeDecodeError as exc:  # json.loads decodes bytes as UTF-8, -16 or -32 before it parses them
        problem = (f"bytes that are not UTF-8, UTF-16 or UTF-32 text ({exc.reason} at byte {exc.start:,} "
                   f"of {len(text):,})")
        raise ValueError(_not_json_message(loader, problem)) from exc
    except RecursionError as exc:  # arrays or objects nested thousands deep, which no to_json() writes
        problem = f"JSON nested too deep to read ({len(text):,} {unit})"
        raise ValueError(_not_json_message(loader, problem)) from exc
    except json.JSONDecodeError as exc:
        head = text.strip()[:200] if isinstance(text, str) else ""
        if head and head[0] not in "{[" and "\n" not in head and (os.path.exists(head) or head.endswith(".json")):
            raise ValueError(_path_message(loader, head)) from exc
        problem = f"text that is not JSON ({exc.msg}: line {exc.lineno}, column {exc.colno} of {len(text):,} {unit})"
        raise ValueError(_not_json_message(loader, problem)) from exc


def _not_json_message(loader, problem):
    return (f"{loader} was given {problem}. It reads the text estimator.to_json() wrote, whole and unedited; a "
            "truncated or hand-edited file fails here: write it again with to_json() from the fitted estimator.")


def _path_message(loader, path):
    return (f"{loader} takes the JSON text, not a file name ({path!r}): read the file first, "
            f"{loader}(pathlib.Path({path!r}).read_text()).")

