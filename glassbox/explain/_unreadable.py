"""The columns no glassbox model reads: dates, durations and complex numbers.

One ordered check (:func:`refuse_unreadable`) for the estimators' validation
(:mod:`glassbox.utils.tabular`) and for the models loaded from JSON
(:class:`~glassbox.explain._columns.RawColumns`), so that both refuse the same
columns with the same words.
"""

import datetime

import numpy as np

#: values of an object column that are dates, times or durations (pd.Timestamp / pd.Timedelta subclass these)
_DATE_TYPES = (datetime.date, datetime.time, datetime.timedelta, np.datetime64, np.timedelta64)


def _is_date_value(value):
    """A date, time or duration, or a pandas Period (a month, a quarter: no datetime type; pandas is optional)."""
    if isinstance(value, _DATE_TYPES):
        return True
    kind = type(value)
    return kind.__name__ == "Period" and kind.__module__.split(".")[0] == "pandas"


def date_error(names, polars=False):
    """The TypeError for columns of dates or durations: read as numbers, their unit would be a guess."""
    if polars:
        fix = ("pl.col('when').dt.year(), (pl.col('when') - pl.date(2020, 1, 1)).dt.total_days() or "
               "pl.col('duration').dt.total_seconds()")
    else:
        fix = ("X['when'].dt.year, (X['when'] - pd.Timestamp('2020-01-01')).dt.days or "
               "X['duration'].dt.total_seconds()")
    return TypeError(
        f"Columns {names} hold dates or durations (datetime64 / timedelta64, or date, time, timedelta and "
        f"period objects); glassbox models read numbers and categories. Convert them to a number in a unit you can "
        f"read, e.g. {fix} (a missing date then becomes NaN)."
    )


def is_date_or_duration(dtype):
    """Whether a column's dtype holds dates or durations: datetime64 (with or without a time zone),
    timedelta64, a pandas period (a month, a quarter), or an Arrow date, timestamp, duration or time of day."""
    return getattr(dtype, "kind", None) in ("M", "m") or str(dtype).startswith(("period[", "time32[", "time64["))


def complex_error(names):
    """The ValueError for columns of complex numbers: read as floats, their imaginary part would be dropped."""
    return ValueError(
        f"Complex data not supported: columns {names} hold complex numbers. Pass their real "
        "part, modulus or angle as numeric columns instead."
    )


def holds_dates(values):
    """Whether an object column's first present value is a date, a time or a duration.

    One value decides, so that a column of a million strings costs nothing to
    check; a column of dates is rejected before its values are read as categories.
    """
    from ._columns import is_missing  # lazy: _columns imports this module

    if values.dtype != object:
        return False
    head = values[:64]
    present = head[~is_missing(head)] if len(head) else head
    if not len(present) and len(values) > len(head):
        rest = values[len(head):]
        present = rest[~is_missing(rest)][:1]
    return bool(len(present)) and _is_date_value(present[0])


def refuse_unreadable(names, dtypes, object_values=None, polars=False):
    """Raise the error for the columns that hold dates, durations or complex numbers, if any.

    The one check of the estimators' validation and of the models loaded from
    JSON, so that both name the same columns in the same order: dates and
    durations by dtype first, then complex numbers (read as floats, their
    imaginary part would be dropped), then columns of objects whose values are
    dates (read as categories, every date would be its own level).

    Parameters
    ----------
    names : list of str
        How the error names each column.
    dtypes : list
        Each column's dtype: NumPy, pandas, or polars when ``polars``.
    object_values : callable or None
        ``object_values(j)``: the values of column ``j`` as an object array
        (:func:`objects_to_probe` for a pandas column), asked only for columns
        of objects once no dtype was refused.  None: the dtypes alone decide.
    polars : bool
        Whether the columns are a polars frame's (the fix the error suggests is written for polars).
    """
    temporal = [name for name, dtype in zip(names, dtypes)
                if (dtype.is_temporal() if polars else is_date_or_duration(dtype))]
    if temporal:
        raise date_error(temporal, polars=polars)
    complex_columns = [name for name, dtype in zip(names, dtypes) if getattr(dtype, "kind", None) == "c"]
    if complex_columns:
        raise complex_error(complex_columns)
    if object_values is None:
        return
    date_objects = [name for j, (name, dtype) in enumerate(zip(names, dtypes))
                    if _holds_objects(dtype) and holds_dates(object_values(j))]
    if date_objects:
        raise date_error(date_objects, polars=polars)


def _holds_objects(dtype):
    """A column of objects that may be dates: NumPy / pandas object, pandas category and string, polars
    Object, an Arrow dictionary (of dates, say).  Every other Arrow type says what it holds (a decimal's
    kind is "O" too, and reading a million of them as objects to probe them takes seconds)."""
    arrow = getattr(dtype, "pyarrow_dtype", None)
    if arrow is not None:
        import pyarrow.types as arrow_types

        return arrow_types.is_dictionary(arrow)
    return getattr(dtype, "kind", None) == "O" or str(dtype) == "Object"


def objects_to_probe(series):
    """The values of a pandas column of objects that say whether it holds dates: a category's levels
    (no pass over the rows), else its values as objects."""
    if str(series.dtype) == "category":
        return np.asarray(series.array.categories, dtype=object)
    return series.to_numpy(dtype=object)
