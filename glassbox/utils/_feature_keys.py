r"""The error for a feature name a parameter gives that X does not have, with the name it was likely meant as.

Names are matched exactly, as pandas does: a model keeps ``Gr\u00f6\u00dfe``
and ``Gro\u0308\u00dfe`` (Größe with its accent composed, and decomposed)
apart.  So a key typed or read in another Unicode normalization (NFD, as files
from macOS often hold) or with a trailing space is unknown, though it prints
like a known name.  The message names that known feature and how the two
differ, with both spelled out in escapes, so the reader sees the difference.
"""

import unicodedata

import numpy as np


def _loose(name):
    return unicodedata.normalize("NFC", name).strip()


def _difference(key, name):
    """How ``key`` differs from the known ``name`` when only loosely (normalization, whitespace, case), else None."""
    if unicodedata.normalize("NFC", key) == unicodedata.normalize("NFC", name):
        return "Unicode normalization (composed vs decomposed accents)"
    if _loose(key) == _loose(name):
        return "leading/trailing whitespace" + ("" if key.strip() == name.strip() else " and Unicode normalization")
    if _loose(key).casefold() == _loose(name).casefold():
        return "letter case"
    return None


def unknown_feature_error(key, parameter, feature_names, *, positional_names=False):
    """The ValueError for ``key`` of ``parameter`` (``monotonic_cst``, ...) that is not among ``feature_names``.

    ``positional_names``: the model was fitted without column names (no
    ``feature_names_in_``), so ``feature_names`` are ``x0, x1, ...`` by
    position, and the message says so; a frame whose columns are named
    ``x0, x1`` had names.

    Examples
    --------
    >>> print(unknown_feature_error("Alter ", "monotonic_cst", ["Alter", "Ort"]))
    Unknown feature 'Alter ' in monotonic_cst; did you mean 'Alter' (differs by leading/trailing whitespace: \
'Alter ' vs 'Alter')? Known features are ['Alter', 'Ort'].
    >>> print(unknown_feature_error("wage", "monotonic_cst", ["Alter"]))
    Unknown feature 'wage' in monotonic_cst; known features are ['Alter'].
    """
    names = list(feature_names)
    for name in names:
        difference = _difference(key, name) if isinstance(name, str) and isinstance(key, str) else None
        if difference is not None:
            return ValueError(
                f"Unknown feature {key!r} in {parameter}; did you mean {name!r} (differs by {difference}: "
                f"{ascii(key)} vs {ascii(name)})? Known features are {names}."
            )
    return ValueError(_pipeline_hint(key, parameter, names, positional_names)
                      or f"Unknown feature {key!r} in {parameter}; known features are {names}.")


def _pipeline_hint(key, parameter, names, positional_names):
    """The message when what a step before the model did to the names explains why ``key`` is unknown, else "".

    In a Pipeline the model reads the names the step before it writes: a
    ColumnTransformer prefixes each with its transformer's name
    (``num__age``), and a step that outputs a NumPy array leaves none (the
    model then numbers the features ``x0``, ``x1``, ...).
    """
    if not isinstance(key, str):
        return ""
    prefixed = [name for name in names if isinstance(name, str) and name.endswith(f"__{key}")]
    if prefixed:
        return (f"Unknown feature {key!r} in {parameter}; did you mean {prefixed[0]!r}? A ColumnTransformer "
                "prefixes the names it outputs with its transformer's name (verbose_feature_names_out=False keeps "
                f"them as given). Known features are {names}.")
    if positional_names:
        return (f"Unknown feature {key!r} in {parameter}; X had no column names, so its features are named by "
                f"position: known features are {names}. In a Pipeline, a step before the model output a NumPy "
                "array: call set_output(transform='pandas') on the pipeline to keep the names.")
    return ""


def non_positional_labels(X):
    """A pandas frame's column labels when they hold integers that are not the positions 0, 1, ..., else None.

    Such a frame has no string names, so its model reads it by position (as
    scikit-learn does) and an integer in a parameter is a position; the labels
    let :func:`check_integer_key` refuse an integer that is also a label of
    another column.
    """
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "iloc"):  # polars names are strings
        return None
    labels = list(columns)
    if all(isinstance(label, str) for label in labels) or labels == list(range(len(labels))):
        return None
    if not any(_is_integer(label) for label in labels):
        return None
    return tuple(labels)


def _is_integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_integer_key(key, parameter, column_labels):
    """Refuse an integer ``key`` of ``parameter`` that is a position and also the label of another column.

    ``column_labels``: :func:`non_positional_labels` of the training frame
    (None: no ambiguity).  With labels ``[10, 13, 20]``, ``13`` in
    ``categorical_features`` would be read as position 13, not as the column
    labelled 13: a silent wrong answer, refused here with both readings.

    Examples
    --------
    >>> check_integer_key(1, "categorical_features", (10, 13, 20))  # not a label: the position
    >>> print(check_integer_key(13, "categorical_features", (10, 13, 20)))
    Traceback (most recent call last):
    ...
    ValueError: categorical_features gives 13, which the model reads as a column position, but X's column labels are integers that are not positions ([10, 13, 20]): 13 is the label of the column at position 1, and there is no position 13. Give positions (the column labelled 13 is position 1), or give X string column names (X.columns = X.columns.astype(str)) and name the columns ('13').
    """
    if column_labels is None or not _is_integer(key):
        return
    n = len(column_labels)
    labelled = [j for j, label in enumerate(column_labels) if _is_integer(label) and label == key]
    position = int(key) % n if -n <= key < n else None
    if not labelled or labelled == [position]:
        return
    shown = [repr(label) if isinstance(label, str) else str(label) for label in column_labels[:8]] + ["..."] * (n > 8)
    read = (f"the column at position {key} is labelled {column_labels[position]!r}" if position is not None
            else f"there is no position {key}")
    raise ValueError(
        f"{parameter} gives {key}, which the model reads as a column position, but X's column labels are integers "
        f"that are not positions ([{', '.join(shown)}]): {key} is the label of the column at "
        f"position {labelled[0]}, and {read}. Give positions (the column labelled {key} is position "
        f"{labelled[0]}), or give X string column names (X.columns = X.columns.astype(str)) and name the columns "
        f"('{key}')."
    )
