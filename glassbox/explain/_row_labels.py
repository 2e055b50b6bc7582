"""Row labels of a local explanation: taken from a DataFrame's index, written to JSON.

A label is what ``X.index`` holds for the row (an int, a string, a
``pandas.Timestamp``, ...), or a tuple of those for a MultiIndex; when the
index repeats a label, every row is named ``"<label> (position <i>)"``.  JSON keeps
ints, floats (NaN and infinities too), bools, strings, ``None``, timestamps
(with their time zone), dates, time deltas and tuples of these exactly; any
other label (a ``pandas.Period``, an ``Interval``, an arbitrary object) is
written as its text with a warning and reads back as that string.
"""

import contextvars
import datetime
import warnings

import numpy as np

from ..utils._context import set_within
from ._serialize import decode_scalar, encode_scalar

# Tagged JSON objects for labels that are not plain JSON scalars.  "str" is
# _serialize's escape for strings that read like float markers.
_TAGS = ("tuple", "timestamp", "date", "timedelta", "text")

#: True while glassbox reads rows whose labels nobody is shown (per thread and asyncio task).
_LABELS_UNSHOWN = contextvars.ContextVar("glassbox_row_labels_unshown", default=False)


def row_labels_unshown():
    """Within this block, in the calling thread (or asyncio task) only, a repeated index is not warned of.

    For rows whose labels are never shown (the reference rows of reason
    codes).  A context variable, not ``warnings.catch_warnings``, whose
    process-wide filter list concurrent calls would restore over each other.
    """
    return set_within(_LABELS_UNSHOWN, True)


def row_labels_of(X):
    """``(labels, names)`` of the rows of ``X``: from its index when it is a DataFrame, else ``(None, None)``.

    An index that repeats a label (two batches concatenated, each numbered
    from 0) cannot name a row: ``X.loc[21]`` finds two.  Each row is then named
    ``"<label> (position <i>)"`` (``X.iloc[i]`` finds it), one text per row
    whatever the number of levels (names: the index's name, None for a
    MultiIndex), with a warning (none inside :func:`row_labels_unshown`).
    """
    index = getattr(X, "index", None)
    if index is None or not hasattr(X, "iloc"):
        return None, None
    labels = tuple(index.tolist())
    if index.is_unique:
        return labels, tuple(index.names)
    labels = tuple(f"{label_text(label)} (position {i})" for i, label in enumerate(labels))
    if not _LABELS_UNSHOWN.get():
        _warn_repeated(index)
    return labels, (index.name if index.nlevels == 1 else None,)


def _warn_repeated(index):
    from ..utils.validation import user_stacklevel  # lazy: utils.validation imports glassbox.explain

    repeated = index[index.duplicated()]
    example = label_text(repeated[0])
    warnings.warn(
        f"X.index repeats labels ({repeated.nunique()} label(s) name more than one row, e.g. {example}), so a "
        "label cannot name a row: rows are named '<label> (position <i>)', found by X.iloc[i]. Give X a "
        "unique index (e.g. X.reset_index(drop=True), or pd.concat(..., ignore_index=True)) to name rows "
        "by label.",
        UserWarning,
        stacklevel=user_stacklevel(),
    )


def label_text(label):
    """A row label as the printout shows it: ``512``, ``alice``, ``(north, 3)``, ``2024-01-05``."""
    if isinstance(label, tuple):
        return "(" + ", ".join(label_text(part) for part in label) + ")"
    if isinstance(label, np.datetime64):
        import pandas as pd

        label = pd.Timestamp(label)
    if isinstance(label, datetime.datetime) and not _is_nat(label):
        # midnight timestamps (a daily index) read as dates
        moment = str(label)
        return moment[:10] if moment.endswith(" 00:00:00") else moment
    return str(label)


def encode_labels(labels):
    """JSON-safe list for ``labels`` and the sorted names of the label types written as text (lossy)."""
    lossy = set()
    return [_encode(label, lossy) for label in labels], sorted(lossy)


def decode_labels(payload):
    return tuple(_decode(item) for item in payload)


def warn_lossy(lossy):
    if lossy:
        warnings.warn(
            f"Row labels of type {', '.join(lossy)} have no exact JSON form: they are written as their text "
            "and read back as str. Relabel the rows (e.g. X.index.astype(str) before explain_local, or "
            "dataclasses.replace(explanation, row_labels=...)) to choose what the JSON keeps.",
            UserWarning,
            stacklevel=3,
        )


def _is_nat(value):
    return type(value).__name__ == "NaTType"


def _encode(label, lossy):
    if isinstance(label, tuple):
        return {"tuple": [_encode(part, lossy) for part in label]}
    if label is None or isinstance(label, (bool, np.bool_, int, np.integer, float, np.floating, str)):
        return encode_scalar(label)
    if isinstance(label, np.datetime64):
        import pandas as pd

        label = pd.Timestamp(label)
    if isinstance(label, datetime.datetime):
        return _encode_timestamp(label)
    if isinstance(label, datetime.date):
        return {"date": label.isoformat()}
    if isinstance(label, (datetime.timedelta, np.timedelta64)):
        import pandas as pd

        return {"timedelta": int(pd.Timedelta(label).value)}
    lossy.add(type(label).__name__)
    return {"text": str(label)}


def _encode_timestamp(label):
    import pandas as pd

    if _is_nat(label):
        return {"timestamp": "NaT"}
    stamp = pd.Timestamp(label)
    encoded = {"timestamp": stamp.isoformat()}  # nanoseconds and the UTC offset included
    if stamp.tz is not None:
        encoded["tz"] = str(stamp.tz)
        # a zone pandas cannot name back (a bare offset) is kept as the offset the text already carries
        if str(_decode_timestamp(encoded).tz) != encoded["tz"]:
            del encoded["tz"]
    return encoded


def _decode_timestamp(item):
    import pandas as pd

    stamp = pd.Timestamp(item["timestamp"])
    if item.get("tz") is not None:
        try:
            stamp = stamp.tz_convert(item["tz"])
        except (ValueError, TypeError, KeyError):
            pass
    return stamp


def _decode(item):
    if isinstance(item, dict) and len(set(item) & set(_TAGS)) == 1:
        if "tuple" in item:
            return tuple(_decode(part) for part in item["tuple"])
        if "timestamp" in item:
            return _decode_timestamp(item)
        if "date" in item:
            return datetime.date.fromisoformat(item["date"])
        if "timedelta" in item:
            import pandas as pd

            return pd.Timedelta(item["timedelta"], unit="ns")
        return item["text"]
    return decode_scalar(item)
