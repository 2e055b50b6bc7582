"""The row labels glassbox's own tables use, which no feature may take as its name.

A leaf module: the estimators' input checks (``utils.tabular``) and the model
loader (``explain.base``) both refuse these names, so a frame never holds a
feature's row under the label of the intercept or base row it sits beside.
"""

#: The ``term`` (or ``condition``) a global explanation's ``to_frame()`` names its intercept row by, as
#: :class:`~glassbox.explain.CoefficientInference` does: the frame holds every number the model adds up.
INTERCEPT_TERM = "(intercept)"

#: The ``term`` of the base row ``LocalExplanation.to_frame(include_base=True)`` puts first in each row.
BASE_TERM = "base value"

#: The last term of a LocalSurrogate's explanation: the local fit's offset, which reads no feature.
LOCAL_OFFSET_TERM = "(local offset)"

RESERVED_FEATURE_NAMES = (INTERCEPT_TERM, BASE_TERM, LOCAL_OFFSET_TERM)


def check_no_reserved_names(names, loaded=False):
    """Refuse feature names equal to a row label of glassbox's tables, naming them and the fix.

    A column called ``(intercept)`` would give a coefficient table two
    ``(intercept)`` rows, one called ``base value`` would be summed with the
    base row by ``local.to_frame(include_base=True).groupby("term")``, and one
    called ``(local offset)`` with a local surrogate's offset term.  Names
    that only resemble them (``intercept``, patsy's ``Intercept``) are kept.

    Examples
    --------
    >>> check_no_reserved_names(["age", "Intercept"])
    >>> check_no_reserved_names(["age", "(intercept)"])
    Traceback (most recent call last):
    ...
    ValueError: X has a column named '(intercept)', a label glassbox's tables keep ...
    """
    clashes = [name for name in names if name in RESERVED_FEATURE_NAMES]
    if not clashes:
        return
    listed = " and ".join(repr(name) for name in clashes)
    one = len(clashes) == 1
    holder = "The model's feature_names hold" if loaded else "X has"
    renames = ", ".join(f"{name!r}: {name.strip('()').replace(' ', '_') + '_feature'!r}" for name in clashes)
    noun, label = ("a column", "a label") if one else ("columns", "labels")
    raise ValueError(
        f"{holder} {noun} named {listed}, {label} glassbox's tables keep for their own rows "
        f"({INTERCEPT_TERM!r}: the intercept row of coefficient, shape and inference tables; {BASE_TERM!r}: the "
        f"base row of local tables; {LOCAL_OFFSET_TERM!r}: the offset term of a local surrogate), so the feature's rows could not be told from that row. Rename the "
        f"{'column' if one else 'columns'}, e.g. X.rename(columns={{{renames}}}), and fit again."
        + (" A model file names its features as the fitted estimator did: refit on "
           "the renamed column and write it again with to_json()." if loaded else "")
    )
