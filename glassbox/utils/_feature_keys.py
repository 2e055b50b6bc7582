r"""The error for a feature name a parameter gives that X does not have, with the name it was likely meant as.

Names are matched exactly, as pandas does: a model keeps ``Gr\u00f6\u00dfe``
and ``Gro\u0308\u00dfe`` (Größe with its accent composed, and decomposed)
apart.  So a key typed or read in another Unicode normalization (NFD, as files
from macOS often hold) or with a trailing space is unknown, though it prints
like a known name.  The message names that known feature and how the two
differ, with both spelled out in escapes, so the reader sees the difference.
"""

import unicodedata


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
