"""Access raw input columns by feature name, for explanations that recompute a model.

Also how a column of a polars DataFrame reads (polars is optional: it is never
imported here unless a polars object was passed in), shared with
:mod:`glassbox.utils.tabular`; the columns no model reads (dates, complex
numbers) are refused by :mod:`glassbox.explain._unreadable`.
"""

import decimal

import numpy as np
from scipy.sparse import issparse
from sklearn.utils.validation import check_array

from ._unreadable import (
    complex_error, date_error, holds_dates, is_date_or_duration, objects_to_probe, refuse_unreadable,
)


def _is_dataframe(X):
    return hasattr(X, "columns") and hasattr(X, "iloc")


def is_polars_frame(X):
    """Whether ``X`` is a polars DataFrame (looked up on the type: polars need not be installed)."""
    kind = type(X)
    return kind.__module__.startswith("polars.") and hasattr(kind, "get_column") and hasattr(kind, "schema")


def empty_error(shape):
    """The ValueError for an X of no rows: scikit-learn's words, which the estimators give, for every reader."""
    return ValueError(f"Found array with 0 sample(s) (shape={tuple(shape)}) while a minimum of 1 is required.")


def polars_column(series):
    """``(values, categorical)`` of a polars Series, read as the same pandas column would be.

    Numbers and booleans come as float64 with null as NaN (``categorical``
    False); String, Categorical and Enum columns as an object array of their
    text with None for null (True); an Object column as its objects (None:
    numbers or categories, decided as for a NumPy object column).  Dates,
    times and durations raise :func:`date_error`, nested types a TypeError.
    """
    import polars as pl  # already imported by whoever built the series

    dtype = series.dtype
    if dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum)):
        return series.cast(pl.String).to_numpy(), True
    if dtype.is_numeric() or dtype == pl.Boolean or dtype == pl.Null:
        return np.array(series.cast(pl.Float64).to_numpy(), dtype=np.float64, copy=True), False
    if dtype.is_temporal():
        raise date_error([series.name], polars=True)
    if dtype == pl.Object:
        return np.asarray(series.to_numpy(), dtype=object), None
    raise TypeError(
        f"Column {series.name!r} has polars type {dtype}; glassbox models read numbers, booleans and text or "
        "categories. Flatten it into such columns first (e.g. with .list.get(0) or .struct.field(...))."
    )


def is_boolean_dtype(dtype):
    """NumPy / pandas ``bool``, pandas' nullable ``boolean`` and polars' ``Boolean``.

    Only the dtype decides: an integer column of 0 and 1 is a number (a count
    may be 0 or 1 in training), not a flag.
    """
    return getattr(dtype, "kind", None) == "b" or str(dtype) in ("boolean", "Boolean")


def pandas_column_reading(dtype, column):
    """How the pandas column named ``column`` (for the error), of ``dtype``, is read, by its dtype alone.

    ``"levels"``: categories (pandas ``category`` and ``str`` / ``string``, NumPy text, and Arrow text,
    binary and dictionary columns); ``"objects"``: by its contents, as a NumPy object array is (``object``,
    and Arrow times and null columns, whose values come as Python objects); ``"numbers"``: numbers and
    flags (NumPy, pandas' nullable and Arrow integers, floats, booleans and decimals).  Dates and durations
    are refused before a column is read (:func:`~glassbox.explain._unreadable.refuse_unreadable`).

    The one reading of a pandas dtype for the estimators' validation and for models loaded from JSON:
    every ``pd.ArrowDtype`` reports ``kind`` "O" alike for a decimal, a dictionary and a list, so the
    Arrow type itself decides.  Nested Arrow types (lists, structs, maps) raise a TypeError that says
    how to flatten them.
    """
    arrow = getattr(dtype, "pyarrow_dtype", None)
    if arrow is not None:  # a pd.ArrowDtype: pyarrow is installed
        import pyarrow.types as arrow_types

        if arrow_types.is_nested(arrow):
            raise TypeError(
                f"Column {column!r} has the Arrow type {arrow}; glassbox models read numbers, booleans and text or "
                "categories. Flatten it into such columns first (e.g. with .list[0] or .struct.field(...))."
            )
        text = ("is_string", "is_large_string", "is_string_view", "is_binary", "is_large_binary",
                "is_fixed_size_binary", "is_binary_view", "is_dictionary")
        if any(getattr(arrow_types, test, lambda _: False)(arrow) for test in text):
            return "levels"
        if arrow_types.is_decimal(arrow) or getattr(dtype, "kind", None) in ("i", "u", "f", "b"):
            return "numbers"
        return "objects"
    name = str(dtype)
    if name == "object":
        return "objects"
    if name == "category" or name.startswith("string") or name == "str" or getattr(dtype, "kind", None) in ("O", "U", "S"):
        return "levels"
    return "numbers"


def declares_levels(dtype):
    """Whether a column's dtype says its author chose categories: a pandas ``category``, an Arrow
    dictionary, a polars ``Categorical`` or ``Enum`` (text columns are categories by default only)."""
    arrow = getattr(dtype, "pyarrow_dtype", None)
    if arrow is not None:
        import pyarrow.types as arrow_types

        return arrow_types.is_dictionary(arrow)
    return str(dtype).startswith(("category", "Categorical", "Enum"))


def generated_names(n_features):
    """The names a model fitted without string column names gives its features: ``("x0", "x1", ...)``."""
    return tuple(f"x{j}" for j in range(n_features))


def check_unique_columns(X):
    """Refuse a pandas frame whose column labels repeat, naming them and the fix.

    Models read their features by name, so of two columns called ``age`` (a join
    that left the months beside the years) none is the feature.  One check for
    the estimators and for the models loaded from JSON, so both say the same.
    """
    labels = list(X.columns)
    if len(set(labels)) == len(labels):
        return
    from ..utils.validation import capped_list  # lazy: utils.validation imports this module

    counts = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    repeated = [f"{label!r} ({n} times)" for label, n in counts.items() if n > 1]
    raise ValueError(
        f"X has duplicated column names: {capped_list(repeated, render=', '.join)}. The model "
        "reads its features by name and cannot tell which of them is the feature. Give each column a unique name "
        "(rename the other one) or drop the extra copy; X.loc[:, ~X.columns.duplicated()] keeps the first of each name."
    )


def exact_integers(series, polars=False):
    """An integer column (pandas, nullable ``Int64`` too, or polars) with its values kept exact.

    float64 holds every integer only up to 2**53: beyond it, ids such as
    2**53 and 2**53 + 1 would become one number.  Without missing values the
    column's own int64 / uint64 array; with some, an object array of Python
    ints with NaN where a value is missing.
    """
    if polars:
        if not series.null_count():
            return series.to_numpy()
        values = np.array(series.to_list(), dtype=object)
    else:
        if not series.hasnans:
            dtype = getattr(series.dtype, "numpy_dtype", series.dtype)  # pandas' nullable Int64 -> int64
            return series.to_numpy(dtype=dtype)
        return series.to_numpy(dtype=object, na_value=np.nan)
    values[is_missing(values)] = np.nan
    return values


def _integers(series, polars=False):
    """An integer column for an explanation: :func:`exact_integers`, as float64 (NaN missing) where that is
    exact too, so that a column with missing values reads as it always did unless its ids need the integers."""
    values = exact_integers(series, polars=polars)
    if values.dtype == object:
        numbers = float_or_missing(values)
        with np.errstate(invalid="ignore"):
            if not (np.abs(numbers) >= 2.0 ** 53).any():  # below 2**53 float64 holds every integer
                return numbers
    return values


def _flags_kept(numbers):
    """A boolean column read as 0/1 float64 (NaN missing), as flags again: a bool array, or objects
    False / True with NaN where a value is missing."""
    missing = np.isnan(numbers)
    return flags_as_objects(numbers) if missing.any() else numbers == 1


class RawColumns:
    """Column-wise view of raw tabular input (DataFrame, ndarray or nested list).

    Explanation objects use this to evaluate their own content on new data,
    independently of the estimator that produced them.
    """

    def __init__(self, X, feature_names):
        self.feature_names = tuple(feature_names)
        self._polars = X if is_polars_frame(X) else None
        self._frame = X if _is_dataframe(X) or self._polars is not None else None
        # scipy.sparse input (models that take it, e.g. sparse linear ones): read one column at a time
        self._sparse = X.tocsc() if issparse(X) else None
        # the dtype of a whole array as it arrived (a nested list has none), which decides its flags as at fit
        self._arrived_dtype = getattr(X, "dtype", None)
        if self._frame is None:
            array = self._sparse if self._sparse is not None else np.asarray(X)
            if array.ndim != 2:
                raise ValueError(f"Expected a 2-D table of features, got an array of shape {array.shape}.")
            if array.dtype.kind == "c":  # scikit-learn's error, which the estimators give (it shows the values)
                check_array(X, accept_sparse=True, dtype=None, ensure_all_finite=False, ensure_min_samples=0)
            if array.shape[0] == 0:
                raise empty_error(array.shape)
            if array.shape[1] != len(self.feature_names):
                raise ValueError(
                    f"X has {array.shape[1]} columns but the model was fitted on "
                    f"{len(self.feature_names)} features {list(self.feature_names)}."
                )
            if is_date_or_duration(array.dtype):
                raise date_error(list(self.feature_names))
            self._array = array
            self.n_samples = array.shape[0]
        else:
            if self._polars is None:  # a polars frame cannot hold two columns of one name
                check_unique_columns(X)
            self._positions = self._frame_positions(X)
            self.n_samples = len(self._frame)
            if self.n_samples == 0:  # an empty batch is refused as the estimators refuse it, not scored as nothing
                raise empty_error(X.shape)
        self._positions_of_names = None  # name -> column, built on first use (a wide table reads many)
        self._numbers = {}  # features -> their block of numbers, read once per view (see numbers())

    def _frame_positions(self, X):
        """None to read a DataFrame by column name; a dict name -> position to read it by position.

        A frame holding every feature's name is read by name.  A model fitted
        without string column names calls its features x0, x1, ...; as its
        estimator does (scikit-learn records names only when every column
        label is a string), it reads a frame with no string label
        (``pd.DataFrame(ndarray)``'s 0, 1, 2) like an array, by position.
        """
        labels = list(X.columns)
        n = len(self.feature_names)
        missing = [name for name in self.feature_names if name not in X.columns]
        if not missing:
            return None
        strings = [isinstance(label, str) for label in labels]
        if self._polars is not None or all(strings):
            raise ValueError(self._missing_message(missing))
        if any(strings):  # scikit-learn refuses mixed labels too
            raise TypeError(
                f"X lacks the columns {missing} that the model uses, and its column labels mix strings and other "
                f"types ({labels[:6]}); columns are read by name only when every label is a string. Convert them "
                "all, X.columns = X.columns.astype(str), or pass X.to_numpy() to read the columns by position."
            )
        if self.feature_names != generated_names(n):
            raise ValueError(
                f"X's columns are not named (labels {labels[:6]}) but the model was fitted on the named columns "
                f"{list(self.feature_names)}. Name X's columns so, or pass X.to_numpy() to read the columns by "
                "position."
            )
        if len(labels) != n:
            raise ValueError(f"X has {len(labels)} columns but the model was fitted on {n} features "
                             f"{list(self.feature_names)}.")
        return {name: j for j, name in enumerate(self.feature_names)}

    def _missing_message(self, missing):
        message = f"X lacks the columns {missing} that the model uses"
        if self.feature_names == generated_names(len(self.feature_names)):
            return (f"{message}: the model was fitted without column names (x0, x1, ... are the positions of its "
                    f"{len(self.feature_names)} columns). Pass X.to_numpy() to read X's columns by position, "
                    "or rename them to x0, x1, ...")
        return (f"{message}. Pass a frame holding every column the model was fitted on (by name; order and "
                "extra columns do not matter), or X.to_numpy() with the columns in the fitted order.")

    def column(self, feature):
        """Return the values of ``feature`` (name) as a 1-D numpy array.

        Infinity is refused with the estimators' message: an explanation
        loaded from JSON would otherwise give it the last bin's score, or a
        certain probability from a linear term.
        """
        values = self._column(feature)
        if values.dtype.kind == "f" and np.isinf(values).any():
            raise infinity_error([feature])
        return values

    def recorded_column(self, feature, fitted_flag=False):
        """The values of ``feature`` as a local explanation records them, so that a loaded model's record
        equals its estimator's: flags as False / True objects (NaN where missing) and a column of an integer
        dtype as Python ints, as the estimators' validated table records them; other values as :meth:`column`
        reads them (whole numbers of a float column as floats).

        A column holds flags as the estimators decide it when they validate X: by a boolean dtype, or
        an object column of nothing but True / False and missing values; or when ``fitted_flag`` says
        the model was fitted on it as flags (its global form's ``flag_features``), as the estimator
        records 0/1 given for such a feature.
        """
        values = self.column(feature)
        if fitted_flag or self._arrives_as_flags(feature, values):
            return flags_as_objects(float_or_missing(values))
        if self._arrives_as_integers(feature):  # Python ints (NaN where missing), as the estimators record them
            return whole_numbers_as_objects(float_or_missing(values))
        # bools of a nested list are numbers to the estimators too (a list has no dtype to call them flags)
        return values.astype(np.float64) if values.dtype.kind in "iub" else values

    def _arrives_as_integers(self, feature):
        """Whether ``feature`` arrives with an integer dtype (NumPy's, pandas' Int64, polars' Int32, ...): the
        estimators' validated table marks such columns (``Table.is_integer``) and records their values as ints."""
        if self._polars is not None:
            return self._polars.get_column(feature).dtype.is_integer()
        dtype = self._series(feature).dtype if self._frame is not None else self._arrived_dtype
        return getattr(dtype, "kind", "O") in "iu"

    def _arrives_as_flags(self, feature, values):
        if self._polars is not None:
            dtype = self._polars.get_column(feature).dtype
        elif self._frame is not None:
            dtype = self._series(feature).dtype
        else:
            dtype = self._arrived_dtype
        # a pandas category of bools stays a category, as in the estimators
        return is_boolean_dtype(dtype) or (str(dtype) in ("object", "Object") and holds_only_bools(values))

    def _series(self, feature):
        """A pandas frame's column of ``feature``, by name or by position (see :meth:`_frame_positions`)."""
        if self._positions is not None:
            return self._frame.iloc[:, self._positions[feature]]
        return self._frame[feature]

    def _column(self, feature):
        """The values of ``feature`` as read: numbers as float64 (integers exact), flags as bools (object
        False / True / NaN with missing values), anything else as objects.

        Dates, durations and complex numbers are refused with the estimators' errors
        (:meth:`_refuse_unreadable`): read as numbers, a date would be its nanoseconds and a complex number
        its real part.  Flags stay flags so that a categorical feature given them names the values
        False / True, as its estimator does, rather than 0.0 / 1.0.
        """
        if self._polars is not None:
            series = self._polars.get_column(feature)
            if series.dtype.is_integer():
                return _integers(series, polars=True)
            if series.dtype.is_temporal():
                self._refuse_unreadable()
            values, categorical = polars_column(series)
            if categorical is None and holds_dates(values):  # an Object column of dates
                self._refuse_unreadable()
            return _flags_kept(values) if is_boolean_dtype(series.dtype) else values
        if self._frame is not None:
            series = self._series(feature)
            dtype = series.dtype
            kind = getattr(dtype, "kind", None)
            if kind in ("c", "M", "m") or is_date_or_duration(dtype):
                self._refuse_unreadable()
            reading = pandas_column_reading(dtype, feature)
            if reading != "numbers":
                if holds_dates(objects_to_probe(series)):
                    self._refuse_unreadable()
                return series.astype(object).to_numpy()
            if kind in ("i", "u"):  # ids above 2**53 are not float64s
                return _integers(series)
            if isinstance(dtype, np.dtype) and kind == "b":  # (pandas' nullable boolean has kind "b" too)
                return series.to_numpy()
            values = series.to_numpy(dtype=np.float64, na_value=np.nan)
            return _flags_kept(values) if is_boolean_dtype(dtype) else values  # pandas' nullable boolean
        if self._sparse is not None:
            return self._sparse[:, [self._position(feature)]].toarray().ravel().astype(np.float64)
        values = self._array[:, self._position(feature)]
        if values.dtype == object and holds_dates(values):
            self._refuse_unreadable()
        return values

    def _refuse_unreadable(self):
        """Raise the estimators' error for the features that hold dates, durations or complex numbers.

        Called when a column read finds one; as the estimators' check of the whole table does
        (:func:`refuse_unreadable`, shared), the message names every such feature.
        """
        names = list(self.feature_names)
        if self._polars is not None:
            refuse_unreadable(names, [self._polars.schema[name] for name in names],
                              lambda j: polars_column(self._polars.get_column(names[j]))[0], polars=True)
        elif self._frame is None:
            refuse_unreadable(names, [self._array.dtype] * len(names), lambda j: self._array[:, self._position(names[j])])
        else:
            series = [self._series(name) for name in names]
            # a frame read by position is named by its own labels, as the estimators name it
            labels = names if self._positions is None else [str(self._frame.columns[self._positions[n]]) for n in names]
            refuse_unreadable(labels, [column.dtype for column in series], lambda j: objects_to_probe(series[j]))

    def array_position(self, feature):
        """The column of ``feature`` when X is an array (named in messages, having no ``X[name]``); None for a frame."""
        return None if self._frame is not None else self._position(feature)

    def _position(self, feature):
        """The column of ``feature`` in an array: one lookup in a map built once, not a scan of the names."""
        if self._positions_of_names is None:
            self._positions_of_names = {name: j for j, name in enumerate(self.feature_names)}
        return self._positions_of_names[feature]

    def numbers(self, features):
        """``(n_samples, len(features))`` float64: the values of ``features``, each read as numbers.

        The values of :func:`as_float` of each :meth:`column`, infinity refused
        alike; a numeric array, a sparse matrix or the numeric (NumPy dtype)
        columns of a DataFrame are read in one step instead of a column at a
        time, which costs a table of thousands of features more than its
        arithmetic.  Kept for the view's life, so that the checks and the sum
        of a model read the block once.
        """
        features = tuple(features)
        if features not in self._numbers:
            block = self._read_numbers(features)
            infinite = np.isinf(block).any(axis=0)
            if infinite.any():
                raise infinity_error([name for name, bad in zip(features, infinite) if bad])
            self._numbers[features] = block
        return self._numbers[features]

    def _read_numbers(self, features):
        block = np.empty((self.n_samples, len(features)))
        if self._frame is None:
            if self._sparse is not None or self._array.dtype.kind in "fiub":
                positions = [self._position(name) for name in features]
                source = self._sparse if self._sparse is not None else self._array
                selected = source[:, positions]
                block[:] = selected.toarray() if self._sparse is not None else selected
                return block
            at_once = []
        else:
            at_once = self._numpy_numeric(features)
        if at_once:
            names = [features[k] for k in at_once]
            frame = (self._frame[names] if self._positions is None
                     else self._frame.iloc[:, [self._positions[name] for name in names]])
            block[:, at_once] = frame.to_numpy(dtype=np.float64)
        done = set(at_once)
        for k, name in enumerate(features):
            if k not in done:
                block[:, k] = as_float(self._column(name), name, position=self.array_position(name))
        return block

    def _numpy_numeric(self, features):
        """Positions in ``features`` of the pandas columns of a NumPy number or bool dtype (none for polars)."""
        if self._polars is not None:
            return []
        if self._positions is not None:
            dtypes = list(self._frame.dtypes)
            dtype_of = {name: dtypes[j] for name, j in self._positions.items()}
        else:
            dtype_of = dict(zip(self._frame.columns, self._frame.dtypes))
        return [k for k, name in enumerate(features)
                if isinstance(dtype_of[name], np.dtype) and dtype_of[name].kind in "fiub"]


def infinity_error(columns):
    """The ValueError for infinite values in ``columns``, which no glassbox model reads."""
    return ValueError(
        f"Input X contains infinity in columns {list(columns)}; no glassbox model gives infinity a meaning. Replace "
        "those values (clip them to a finite bound, or set them to NaN where the model handles missing values)."
    )


def is_missing(values):
    """Boolean mask of missing entries (NaN, None, pandas.NA) in a 1-D array."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind in "iub":
        return np.zeros(values.shape, dtype=bool)
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is optional
        return np.array([_is_missing_value(v) for v in values], dtype=bool)
    return np.asarray(pd.isna(values), dtype=bool)


def _is_missing_value(value):
    """Whether one object is missing as ``pandas.isna`` says, for when pandas is not installed.

    Without pandas, the missing values an object column can hold are None and
    the values unequal to themselves: a NaN of any float or complex type (Python,
    NumPy, Decimal) and NumPy's NaT.  pandas.NA and pandas.NaT need pandas.  The
    same X must give the same model with or without pandas.
    """
    if value is None:
        return True
    if isinstance(value, decimal.Decimal):
        return value.is_nan()  # a signalling NaN raises on comparison
    if isinstance(value, (float, complex, np.inexact, np.datetime64, np.timedelta64)):
        return bool(value != value)
    return False


def float_or_missing(values):
    """float64 values of a column of numbers; NaN, None and pandas.NA among them become NaN.

    Raises what ``float()`` raises for the rest: ValueError for text, TypeError
    for other objects (a dict, a list).
    """
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return values.astype(np.float64, copy=False)
    missing = is_missing(values)
    out = np.full(values.shape, np.nan)
    out[~missing] = values[~missing].astype(np.float64)
    return out


#: pandas' inferred kinds of an object column that hold no text (a pass in C decides most columns)
_KINDS_WITHOUT_TEXT = frozenset({"empty", "floating", "integer", "mixed-integer-float", "decimal", "boolean"})


def holds_text(values):
    """Whether a 1-D column holds any text (``str`` or ``bytes``)."""
    return bool(_text_mask(np.asarray(values)).any())


def _text_mask(values):
    """Which entries of a 1-D column are text (``str`` or ``bytes``)."""
    if values.dtype.kind in "US":
        return np.ones(values.shape, dtype=bool)
    if values.dtype != object:
        return np.zeros(values.shape, dtype=bool)
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is optional
        pd = None
    if pd is not None and pd.api.types.infer_dtype(values, skipna=True) in _KINDS_WITHOUT_TEXT:
        return np.zeros(values.shape, dtype=bool)
    return np.fromiter((isinstance(v, (str, bytes)) for v in values), dtype=bool, count=len(values))


def plain_value(value):
    """A NumPy scalar (``np.str_``, ``np.int64``) as the Python value it holds, so that its repr reads plainly."""
    return value.item() if isinstance(value, np.generic) else value


def text_in_numbers_error(values, text, feature, row_labels=None, position=None):
    """The ValueError for text (mask ``text``) in the column of a feature the model reads as numbers.

    Names a few of the distinct texts, with how many rows hold each and the
    first such row (its position, and its index label when ``row_labels``
    is given), and the fixes: convert the column, or declare it categorical.
    ``position``: the column's index when X is an array, whose fixes are
    written for its column there (an array has no ``X[name]``).
    """
    seen = {}  # text -> [rows, first position]
    for row in np.flatnonzero(text):
        entry = seen.setdefault(plain_value(values[row]), [0, row])
        entry[0] += 1

    def where(row):
        label = "" if row_labels is None else f", index label {plain_value(row_labels[row])!r}"
        return f"row position {row}{label}"

    listed = ", ".join(
        f"{value!r} in {count} rows (first at {where(first)})" if count > 1 else f"{value!r} at {where(first)}"
        for value, (count, first) in list(seen.items())[:3]
    )
    more = f", and {len(seen) - 3} more distinct texts" if len(seen) > 3 else ""
    column = f"X[{feature!r}]" if position is None else f"X[:, {position}]"
    declare = ("categorical_features, or a pandas 'category' column" if position is None
               else f"categorical_features=[{position}]")
    return ValueError(
        f"Feature {feature!r}{'' if position is None else f' (column {position})'} was numeric when the model was "
        f"fitted but now holds non-numeric values: text in {int(text.sum()):,} of {len(values):,} rows: "
        f"{listed}{more}. Text is never read as a number (not even '1000' or 'nan'). Convert the column before "
        f"predicting, {column} = pd.to_numeric({column}, errors='coerce') (text that is not a number becomes a "
        "missing value, which GAMs, rule models and risk scores score as missing and the sparse linear models "
        f"refuse: impute it there), or correct those rows; if {feature!r} holds categories, declare it "
        f"categorical ({declare}) and fit again."
    )


def as_float(values, feature, row_labels=None, position=None):
    """The float64 values of a feature the model reads as numbers, from a column of any dtype.

    Numbers (NumPy, Python, ``Decimal``) are read, with None / NaN / ``pd.NA``
    as missing values; text is refused with :func:`text_in_numbers_error`
    (``row_labels``: the frame's index, named there; ``position``: the
    column's index in an array, named in its fixes), also text that
    ``float()`` would read ("1000", "1_000", "nan"): a model fitted on numbers
    takes numbers, and a text column is categorical at ``fit``.
    """
    values = np.asarray(values)
    if values.dtype.kind in "fiub":
        return values.astype(np.float64, copy=False)
    if is_date_or_duration(values.dtype) or holds_dates(values):  # read as numbers, a date is its nanoseconds
        raise date_error([feature])
    if values.dtype.kind == "c":  # read as numbers, the imaginary part would be dropped
        raise complex_error([feature])
    text = _text_mask(values)
    if text.any():
        raise text_in_numbers_error(values, text, feature, row_labels, position)
    try:
        return float_or_missing(values)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"Feature {feature!r} was numeric when the model was fitted but now holds non-numeric values: objects "
            f"that are neither numbers nor missing ({', '.join(unreadable_kinds(values)[:3])}). Convert the column "
            "to numbers."
        ) from exc


def unreadable_kinds(values, errors=(TypeError, ValueError)):
    """The sorted type names of the present values that ``float()`` refuses with one of ``errors``.

    Only the culprits: missing values (None, NaN, ``pd.NA``) and what reads as a
    number (NumPy scalars, ``Decimal``) are left out of the error messages that name them.
    """
    kinds = set()
    for value in values[~is_missing(values)].tolist():
        try:
            float(value)
        except errors:
            kinds.add(type(value).__name__)
    return sorted(kinds)


def holds_only_bools(values):
    """Whether an object column's present values are all True / False (Python or NumPy bools), at least one.

    The first present value of the head decides for text and numbers, so that
    a column of a million strings costs nothing to check.
    """
    if values.dtype != object or not len(values):
        return False
    head = values[:64]
    present = head[~is_missing(head)]
    if len(present) and not isinstance(present[0], (bool, np.bool_)):
        return False
    present = values[~is_missing(values)]
    return bool(len(present)) and all(isinstance(v, (bool, np.bool_)) for v in present)


def non_flag_values(numbers):
    """The distinct values of a boolean feature's column (as numbers) that are neither 0, 1 nor missing."""
    numbers = np.asarray(numbers, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        bad = (numbers != 0) & (numbers != 1) & ~np.isnan(numbers)
    return np.unique(numbers[bad]) if bad.any() else numbers[:0]


def not_flags_error(bad):
    """The ValueError for boolean features given other values; ``bad`` maps each feature to those values.

    A flag has no third value: read as 0/1, a 2 would count a linear model's
    coefficient twice and a binned model would read it as True, so it is refused.
    """
    listed = ", ".join(
        f"{name!r} ({', '.join(f'{v:g}' for v in values[:5])}{', ...' if len(values) > 5 else ''})"
        for name, values in bad.items()
    )
    names = ", ".join(repr(name) for name in bad)
    columns = "a boolean column" if len(bad) == 1 else "boolean columns"
    return ValueError(
        f"Boolean features hold values other than False/True (0/1) or missing: {listed}. The model was fitted "
        f"on {columns} {names}; pass True/False (or 0/1), and None / NaN / pd.NA for a missing value."
    )


def text_in_flag_error(values, feature):
    """The ValueError for a boolean feature that arrives as text (``'True'`` / ``'False'`` strings)."""
    text = sorted({v for v in np.asarray(values, dtype=object).tolist() if isinstance(v, (str, bytes))}, key=str)
    held = f"text ({', '.join(repr(v) for v in text[:3])}{', ...' if len(text) > 3 else ''})" if text else (
        "values that are not numbers")
    if text and all(v in ("True", "False") for v in text):
        example = f"e.g. X[{feature!r}].map({{'True': True, 'False': False}})"
    else:  # which text means True only its author knows
        example = f"mapping each text to the flag it stands for, e.g. X[{feature!r}].map({{'yes': True, 'no': False}})"
    return ValueError(
        f"Feature {feature!r} was a boolean column when the model was fitted but now holds {held}; text is not "
        f"read as a flag. Pass True/False (or 0/1), {example}."
    )


def flags_as_float(values, feature):
    """A boolean feature's raw values as 0/1 float64 (NaN missing), refusing any other value or text."""
    try:
        numbers = float_or_missing(values)
    except (TypeError, ValueError):  # text, or objects float() cannot read
        raise text_in_flag_error(values, feature) from None
    bad = non_flag_values(numbers)
    if len(bad):
        raise not_flags_error({feature: bad})
    return numbers


def whole_numbers_as_objects(numbers):
    """Numbers of an integer column (held as float64) as an object array of Python ints; NaN (a missing
    value) and anything not whole kept as floats."""
    numbers = np.asarray(numbers, dtype=np.float64)
    out = numbers.astype(object)
    whole = np.isfinite(numbers) & (numbers == np.round(numbers))
    small = whole & (np.abs(numbers) < 2.0**62)  # int64 holds them exactly; a uint64 beyond it one by one
    out[small] = numbers[small].astype(np.int64).astype(object)
    for k in np.flatnonzero(whole & ~small):
        out[k] = int(numbers[k])
    return out


def flags_as_objects(numbers):
    """0/1 numbers of a boolean feature as an object array of False / True; NaN and other numbers kept."""
    numbers = np.asarray(numbers, dtype=np.float64)
    out = numbers.astype(object)
    out[numbers == 0] = False
    out[numbers == 1] = True
    return out


class ObjectRows:
    """The explained rows as an object table, built only when asked for.

    A local explanation of 100,000 rows x 200 numeric features would hold 20
    million Python floats (610 MiB) for its ``feature_values``; this keeps the
    float64 block (150 MiB) and the categorical columns as they are, and
    :class:`~glassbox.explain.LocalExplanation` turns them into the object
    table on first access.  ``take(rows)`` gives a few rows (a printout, one
    row's plot) without building the rest; every value is the one the eager
    table would hold.

    Parameters
    ----------
    numeric : ndarray of float64, shape (n_rows, n_features)
        Numeric values; the columns in ``categorical`` are ignored here.
    categorical : dict of int -> ndarray of object, shape (n_rows,)
    boolean : sequence of int, default=()
        Numeric columns that hold flags as 0/1: their 0 and 1 come out as
        False and True (a missing value stays NaN, any other number as it is).
    integer : sequence of int, default=()
        Numeric columns of an integer dtype: their values come out as Python
        ints, as the data held them (``4``, not ``4.0``; a missing value stays NaN).
    """

    dtype = np.dtype(object)
    ndim = 2
    _integer = ()  # rows pickled before integer columns were recorded: every number as a float

    def __init__(self, numeric, categorical, boolean=(), integer=()):
        self._numeric = numeric
        self._categorical = dict(categorical)
        self._boolean = tuple(int(j) for j in boolean)
        self._integer = tuple(int(j) for j in integer)

    @property
    def shape(self):
        return self._numeric.shape

    def __len__(self):
        return self._numeric.shape[0]

    def setflags(self, write=None, **kwargs):
        """Nothing to do: the object table does not exist yet, and is read-only when built."""

    def take(self, rows):
        """Rows ``rows`` (an int, a slice or an index array) as an object array, as ``table[rows]`` would be."""
        out = self._numeric[rows].astype(object)
        for j in self._integer:
            out[..., j] = whole_numbers_as_objects(self._numeric[rows, j])
        for j in self._boolean:
            out[..., j] = flags_as_objects(self._numeric[rows, j])
        for j, values in self._categorical.items():
            out[..., j] = values[rows]
        return out

    def take_cells(self, rows, columns):
        """``table[rows[k], columns[k]]`` for each k, as an object array, as fancy indexing would give."""
        rows, columns = np.asarray(rows, dtype=np.intp), np.asarray(columns, dtype=np.intp)
        out = self._numeric[rows, columns].astype(object)
        for j in self._integer:
            here = columns == j
            out[here] = whole_numbers_as_objects(self._numeric[rows[here], j])
        for j in self._boolean:
            here = columns == j
            out[here] = flags_as_objects(self._numeric[rows[here], j])
        for j, values in self._categorical.items():
            here = columns == j
            out[here] = values[rows[here]]
        return out

    def to_objects(self):
        """The whole read-only object table."""
        out = self.take(slice(None))
        out.setflags(write=False)
        return out

    def __getitem__(self, key):
        if not isinstance(key, tuple):
            return self.take(key)
        selected = self.take(key[0])
        return selected[(slice(None),) + key[1:]] if selected.ndim == 2 else selected[key[1:]]

    def __array__(self, dtype=None, copy=None):
        out = self.take(slice(None))
        return out if dtype is None else out.astype(dtype)
