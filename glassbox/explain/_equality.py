"""Equality of explanation objects: field by field, arrays by value.

Explanations once compared their JSON payloads, so two explanations of a model
whose levels JSON refuses (an Enum member) could not be compared at all: ``==``
raised the refusal's TypeError.  Comparing the fields themselves needs no JSON
form, and the refusal stays where JSON is written.
"""

from dataclasses import fields

import numpy as np


def same_fields(first, second, ignore=()):
    """Whether two objects of one dataclass hold equal fields (other than ``ignore``).

    Arrays compare by shape, value and the dtype JSON keeps (numbers their own,
    text and objects ``object``), a NaN equal to a NaN, as their JSON payloads
    did; nested explanation objects compare with their own ``==``.
    """
    if type(first) is not type(second):
        return False
    return all(same_value(getattr(first, f.name), getattr(second, f.name))
               for f in fields(first) if f.name not in ignore)


def same_value(first, second):
    """``first == second`` for values held by explanations (arrays, tuples, dicts, scalars, objects)."""
    if first is second:
        return True
    if isinstance(first, np.ndarray) or isinstance(second, np.ndarray):
        return _same_array(first, second)
    if isinstance(first, (tuple, list)) and isinstance(second, (tuple, list)):
        return len(first) == len(second) and all(map(same_value, first, second))
    if isinstance(first, dict) and isinstance(second, dict):
        return first.keys() == second.keys() and all(same_value(first[k], second[k]) for k in first)
    missing = _missing_kind(first), _missing_kind(second)
    if any(missing):
        return missing[0] == missing[1]
    try:
        return bool(first == second)
    except (TypeError, ValueError):  # an ambiguous comparison (an array-like level): not equal
        return False


def _same_array(first, second):
    if not (isinstance(first, np.ndarray) and isinstance(second, np.ndarray)):
        return False
    if _stored_dtype(first) != _stored_dtype(second) or first.shape != second.shape:
        return False
    if first.dtype.kind in "fc":
        return bool(np.array_equal(first, second, equal_nan=True))
    if first.dtype.kind != "O":
        return bool(np.array_equal(first, second))
    return all(map(same_value, first.ravel(), second.ravel()))


def _stored_dtype(array):
    """The dtype an array keeps through JSON: numbers and flags their own, anything else ``object``."""
    return array.dtype.str if array.dtype.kind in "fciub" else "object"


def _missing_kind(value):
    """``"nan"`` for a float NaN, the type's name for ``pandas.NA`` / ``pandas.NaT``, else None.

    pandas is not imported here: its markers are recognised by their type's name.
    """
    if isinstance(value, (float, np.floating)):
        return "nan" if np.isnan(value) else None
    name = type(value).__name__
    return name if name in ("NAType", "NaTType") else None


def _is_array(value):
    """A list, array or Series: several values, never one label (a tuple can be a category level)."""
    return isinstance(value, list) or (hasattr(value, "__array__") and np.ndim(value) != 0)


def label_position(labels, wanted):
    """Index of the first of ``labels`` that is ``wanted`` (:func:`same_label`), or None when none is."""
    return next((k for k, label in enumerate(labels) if same_label(label, wanted)), None)


def same_label(label, other):
    """Whether a class label is ``other``: ``==``, except that a boolean is never a number (True is not 1)
    and a list or array is no label (``[1] == 1`` holds element-wise)."""
    if isinstance(other, (bool, np.bool_)) != isinstance(label, (bool, np.bool_)):
        return False
    if _is_array(other) or _is_array(label):
        return False
    try:
        return bool(label == other)
    except (TypeError, ValueError):
        return False
