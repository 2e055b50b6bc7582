"""Texts of values built once per distinct value within one pass over a batch.

A batch's printouts repeat a few values (a category, a rounded amount, the
failure of one condition on one value) across many rows: formatting each cell
anew made a million rows' reasons or notes take tens of seconds and hold a
string per cell.  One :class:`ReusedTexts` per pass keeps each distinct
value's text and lets it go with the pass.
"""

#: Distinct texts one pass keeps at most: a continuous feature's values rarely repeat, and past this many the
#: texts are built as they are read rather than held in the cache as well as in the output.
MAX_KEPT_TEXTS = 1 << 16


def _equals_itself(value):
    """Whether ``value`` can be found again as a dict key: not NaN, nor ``pandas.NA`` (whose ``==`` is NA)."""
    try:
        return bool(value == value)
    except (TypeError, ValueError):
        return False


class ReusedTexts:
    """``build()``'s text of a value, built once per distinct value (and context) and then reused.

    The value's type is part of the key, as ``True``, ``1`` and ``1.0`` are
    equal keys that print differently.  A value that is not equal to itself
    (NaN, ``pandas.NA``) or unhashable (a cell of an object column) is built
    each time: it could never be found again.

    Examples
    --------
    >>> texts = ReusedTexts()
    >>> texts.get(1, lambda: "one"), texts.get(1.0, lambda: "one point zero"), texts.get(1, lambda: "other")
    ('one', 'one point zero', 'one')
    """

    def __init__(self, max_kept=MAX_KEPT_TEXTS):
        self._texts = {}
        self._max_kept = max_kept

    def get(self, value, build, *context):
        """The text ``build()`` makes of ``value``; ``context`` (hashable) tells apart texts of one value."""
        if not _equals_itself(value):
            return build()
        key = (*context, type(value), value)
        try:
            text = self._texts.get(key)
        except TypeError:  # an unhashable cell of an object column
            return build()
        if text is None:
            text = build()
            if len(self._texts) < self._max_kept:
                self._texts[key] = text
        return text
