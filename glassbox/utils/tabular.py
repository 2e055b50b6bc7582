"""Turn user input (DataFrame, ndarray, nested list) into numeric and categorical columns.

Estimators that take raw mixed-type data (GAMs, rules, scores, and linear
models with categorical expansion) validate their input here, once, so that
every family treats pandas ``category``/``object`` columns, missing values and
feature names the same way.
"""

import sys
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import issparse
from sklearn.utils.validation import check_array

from ..explain._columns import (
    ObjectRows, as_float, check_unique_columns, declares_levels, empty_error, exact_integers, flags_as_objects,
    float_or_missing, generated_names, holds_text, infinity_error, is_boolean_dtype, is_missing, holds_only_bools, is_polars_frame,
    non_flag_values, not_flags_error, pandas_column_reading, polars_column, text_in_flag_error, unreadable_kinds,
)
from ..explain._reserved_names import check_no_reserved_names
from ..explain._unreadable import objects_to_probe, refuse_unreadable
from ._feature_keys import check_integer_key, non_positional_labels, unknown_feature_error
from ._sklearn_shim import validate_data
from .validation import missing_values_error, warn_of_numbers_written_as_text


#: cells per slab when a row-major table's boolean features are checked for values other than 0/1
_FLAG_CHECK_CELLS = 1 << 15

#: Table.rows_as_objects defers the object table from this many cells on (below, it costs at most 8 MiB)
LAZY_ROWS_MIN_CELLS = 1 << 18


@dataclass
class Table:
    """Validated tabular input.

    Attributes
    ----------
    numeric : ndarray of float64, shape (n_samples, n_features)
        Values of numeric columns (NaN = missing); categorical columns hold NaN.
    categorical : dict of int -> ndarray of object
        Raw values of each categorical column.
    is_categorical : ndarray of bool, shape (n_features,)
    feature_names : list of str
    category_codes : dict of int -> (ndarray of int, ndarray of object)
        For columns that came as a pandas ``category`` dtype: the integer codes
        (-1 = missing) and the categories, so that binning can map levels once
        per category instead of once per row. Optional: must agree with
        ``categorical`` when given.
    is_boolean : ndarray of bool, shape (n_features,), optional
        Numeric columns that were boolean when the model was fitted (held as
        0/1 in ``numeric``); explanations show their values as False / True.
        None: no boolean column.
    """

    numeric: np.ndarray
    categorical: dict
    is_categorical: np.ndarray
    feature_names: list
    category_codes: dict = field(default_factory=dict)
    is_boolean: np.ndarray = None
    #: numeric columns that arrived with an integer dtype: local explanations show their values as ints
    is_integer: np.ndarray = None
    #: the model was fitted without column names: messages name a column by its position, not as X[name]
    positional_names: bool = False
    #: a frame's integer column labels that are not positions (``non_positional_labels``): an integer in a
    #: parameter (``interactions``) that is also another column's label is refused as ambiguous
    column_labels: tuple = None
    _missing: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.is_boolean is None:
            self.is_boolean = np.zeros(len(self.is_categorical), dtype=bool)
        if self.is_integer is None:
            self.is_integer = np.zeros(len(self.is_categorical), dtype=bool)

    @property
    def n_samples(self):
        return self.numeric.shape[0]

    @property
    def n_features(self):
        return self.numeric.shape[1]

    def column(self, j):
        return self.categorical[j] if self.is_categorical[j] else self.numeric[:, j]

    def take(self, rows):
        """The table of the rows ``rows`` (a NumPy index) of this one, with its column kinds (a fold, a subsample)."""
        return Table(
            numeric=self.numeric[rows],
            categorical={j: values[rows] for j, values in self.categorical.items()},
            is_categorical=self.is_categorical,
            feature_names=self.feature_names,
            category_codes={j: (codes[rows], levels) for j, (codes, levels) in self.category_codes.items()},
            is_boolean=self.is_boolean,
            is_integer=self.is_integer,
            positional_names=self.positional_names,
            column_labels=self.column_labels,
        )

    def missing(self, j):
        """Boolean mask of missing entries of column ``j``, computed once per categorical column."""
        if not self.is_categorical[j]:
            return np.isnan(self.numeric[:, j])
        if j not in self._missing:  # pandas' isna on object arrays costs a pass in Python per call
            pair = self.category_codes.get(j)
            self._missing[j] = pair[0] < 0 if pair is not None else is_missing(self.categorical[j])
        return self._missing[j]

    def rows_as_objects(self, rows=None):
        """The given rows (all by default) as an object table for local explanations.

        From :data:`LAZY_ROWS_MIN_CELLS` cells on, an
        :class:`~glassbox.explain._columns.ObjectRows` that the explanation
        builds on first access: a copy of this table's arrays (8 bytes a cell)
        instead of one Python object per cell (32 bytes; 610 MiB for 100,000
        rows x 200 numbers).  Smaller tables are built at once.
        """
        rows = slice(None) if rows is None else rows
        numeric = self.numeric[rows]
        categorical = {j: values[rows] for j, values in self.categorical.items()}
        boolean = np.flatnonzero(self.is_boolean)
        integer = np.flatnonzero(self.is_integer & ~self.is_boolean & ~self.is_categorical)
        if numeric.size < LAZY_ROWS_MIN_CELLS:
            return ObjectRows(numeric, categorical, boolean, integer).take(slice(None))
        # kept for later: copies of views, since the table's arrays may be the caller's (a float64 X is not copied)
        if np.may_share_memory(numeric, self.numeric):
            numeric = numeric.copy()
        categorical = {
            j: values.copy() if np.may_share_memory(values, self.categorical[j]) else values
            for j, values in categorical.items()
        }
        return ObjectRows(numeric, categorical, boolean, integer)


def _is_dataframe(X):
    # looked up on the type: on an instance, hasattr would build the frame's dtypes Series
    kind = type(X)
    return hasattr(kind, "columns") and hasattr(kind, "iloc") and hasattr(kind, "dtypes")


def feature_names_of(estimator):
    """Feature names for explanations: the DataFrame's, else ``x0, x1, ...``."""
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None:
        return [str(n) for n in names]
    return list(generated_names(estimator.n_features_in_))


def has_positional_names(estimator):
    """Whether ``estimator`` was fitted without column names: its features are ``x0, x1, ...`` by position."""
    return getattr(estimator, "feature_names_in_", None) is None


def resolve_categorical(categorical_features, n_features, feature_names, auto_mask, *, positional_names=False,
                        column_labels=None):
    """Boolean mask of categorical features from the ``categorical_features`` parameter.

    ``"auto"`` uses the input's dtypes; ``None`` means no categorical feature;
    otherwise a boolean mask, or a list of indices or feature names.
    ``column_labels``: a frame's integer labels that are not positions, which
    make an index that is also another column's label ambiguous (refused).
    """
    if isinstance(categorical_features, str) and categorical_features == "auto":
        return auto_mask
    if categorical_features is None:
        if auto_mask.any():
            names = [feature_names[j] for j in np.flatnonzero(auto_mask)]
            raise ValueError(
                f"Columns {names} hold non-numeric values but categorical_features=None; "
                "use categorical_features='auto' or encode them as numbers."
            )
        return auto_mask
    values = list(np.asarray(categorical_features).ravel()) if not isinstance(categorical_features, (list, tuple)) else list(categorical_features)
    mask = np.zeros(n_features, dtype=bool)
    if values and all(isinstance(v, (bool, np.bool_)) for v in values):
        if len(values) != n_features:
            raise ValueError(f"categorical_features has {len(values)} booleans but X has {n_features} features.")
        return np.asarray(values, dtype=bool) | auto_mask
    for v in values:
        if isinstance(v, str):
            if v not in feature_names:
                raise unknown_feature_error(v, "categorical_features", feature_names,
                                            positional_names=positional_names)
            mask[feature_names.index(v)] = True
        elif isinstance(v, (int, np.integer)) and -n_features <= v < n_features:
            check_integer_key(v, "categorical_features", column_labels)
            mask[v] = True
        else:
            check_integer_key(v, "categorical_features", column_labels)  # a label of a column: say where it is
            raise ValueError(f"categorical_features entry {v!r} is neither a feature name nor an index below {n_features}.")
    return mask | auto_mask


def _is_plain_number(dtype):
    return isinstance(dtype, np.dtype) and dtype.kind in "iufb"


def _boolean_columns(X, polars, columns, n_features):
    """Which columns of ``X`` are boolean: by dtype (a NumPy array of bools: all of them), and object
    columns (``columns``: as read, None for a dense table) of nothing but True / False and missing values."""
    if polars:
        dtypes = list(X.schema.values())
    elif _is_dataframe(X):
        dtypes = list(X.dtypes)
    else:
        dtypes = [getattr(X, "dtype", None)] * n_features
    boolean = np.array([is_boolean_dtype(dtype) for dtype in dtypes], dtype=bool)
    if columns is not None and getattr(X, "dtype", None) == object:  # a NumPy object array, read as numbers
        boolean |= [holds_only_bools(np.asarray(X)[:, j]) for j in range(n_features)]
    elif columns is not None:  # a frame's object columns (a pandas category of bools stays a category)
        boolean |= [str(dtype) in ("object", "Object") and holds_only_bools(values)
                    for dtype, values in zip(dtypes, columns)]
    return boolean


def _integer_columns(X, polars, n_features):
    """Which columns of ``X`` arrive with an integer dtype (NumPy's, pandas' nullable Int64, polars' Int32, ...)."""
    if polars:
        return np.array([dtype.is_integer() for dtype in X.schema.values()], dtype=bool)
    if _is_dataframe(X):
        return np.array([getattr(dtype, "kind", "O") in "iu" for dtype in X.dtypes], dtype=bool)
    return np.full(n_features, getattr(getattr(X, "dtype", None), "kind", "O") in "iu", dtype=bool)


def _frame_columns(X):
    """Per-column numpy arrays (or one dense float array) of a DataFrame, and the categorical mask.

    Columns of plain NumPy number dtypes are converted together in one call
    (per-column conversion costs most of a small fit's validation); a frame of
    only such columns comes back as one dense array, as ``_array_columns`` does.
    """
    plain = np.array([_is_plain_number(dtype) for dtype in X.dtypes], dtype=bool)
    if plain.all():  # a writable copy in the layout the per-column path produced
        return None, np.array(X.to_numpy(dtype=np.float64), dtype=np.float64, order="C", copy=True), ~plain, {}
    # before any column is read: read as numbers, a date's unit follows its column's resolution (ns, us, s:
    # a model fitted on one silently misreads another) and NaT becomes -9.2e18 rather than a missing value
    refuse_unreadable([str(name) for name in X.columns], list(X.dtypes), lambda j: objects_to_probe(X.iloc[:, j]))
    block = None
    if plain.any():
        block = np.array(X.iloc[:, np.flatnonzero(plain)].to_numpy(dtype=np.float64), order="F", copy=True)
    columns, auto, position, category_codes = [], [], 0, {}
    for j, name in enumerate(X.columns):
        if plain[j]:
            columns.append(block[:, position])
            position += 1
            auto.append(False)
            continue
        series = X.iloc[:, j]
        reading = pandas_column_reading(series.dtype, name)
        categorical = reading == "levels"
        if reading == "objects":  # read by its contents, as the same values in a NumPy object array
            values, categorical = _frame_object_column(series)
            columns.append(values)
        elif categorical:
            pair = _category_codes(series)
            if pair is not None:
                category_codes[j] = pair
            if pair is not None and pair[0].min(initial=0) >= 0:  # no missing value: take the levels by code
                columns.append(pair[1].take(pair[0]))
            else:
                columns.append(series.astype(object).to_numpy())
        else:  # numbers and booleans (as 0/1); nullable dtypes turn pd.NA into NaN
            columns.append(series.to_numpy(dtype=np.float64, na_value=np.nan))
        auto.append(categorical)
    return columns, None, np.array(auto, dtype=bool), category_codes


def _frame_object_column(series):
    """``(values, categorical)`` of a pandas object column, read by its contents as :func:`_object_column`
    reads a NumPy object column: numbers and missing values (floats and None from a database fetch) are
    numbers, text is categorical.

    True / False objects stay objects here, as the flag reading of every object column of bools takes
    them; objects that are neither numbers nor text (tuples, say) are levels, as they always were in a frame.
    """
    import pandas as pd  # already imported by whoever built the frame

    values = series.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "bytes", "boolean"):  # one pass in C
        return values, True
    try:
        return _object_column(values, series.name)
    except TypeError:
        return values, True


def _category_codes(series):
    """Codes (-1 = missing) and categories as objects of a pandas ``category`` column, else None."""
    if str(series.dtype) != "category":
        return None
    levels = series.array  # a pandas Categorical: its codes and categories come without a pass over rows
    return levels.codes.astype(np.intp), np.asarray(levels.categories, dtype=object)


def _array_columns(X):
    """:func:`_frame_columns` for a NumPy array or nested list; also the checked array (its exact values)."""
    array = check_array(X, dtype=None, ensure_all_finite=False, ensure_min_samples=1)
    if array.dtype.kind in "US" and not isinstance(X, np.ndarray):
        # a nested list of numbers beside text: NumPy makes every value text ('40.5'), so the numbers would be
        # read as categories; as objects, they stay the numbers they were
        array = check_array(X, dtype=object, ensure_all_finite=False, ensure_min_samples=1)
    names = generated_names(array.shape[1])
    refuse_unreadable(list(names), [array.dtype] * array.shape[1], lambda j: array[:, j])
    if array.dtype.kind in "iufb":
        return None, array.astype(np.float64, copy=False), np.zeros(array.shape[1], dtype=bool), array
    pairs = [_object_column(array[:, j], names[j]) for j in range(array.shape[1])]
    return ([values for values, _ in pairs], None, np.array([categorical for _, categorical in pairs], dtype=bool),
            array)


def _object_column(column, name):
    """``(values, categorical)`` of a column of objects: numbers (None / NaN / pd.NA missing), else categories.

    A column holding any text is categorical, also when the text reads as numbers ("1000"), as a pandas
    text column is: glassbox never reads text as a number (the fit warns of numbers written as text).
    """
    if holds_text(column):
        return column.astype(object), True
    try:
        return float_or_missing(column), False
    except ValueError:  # objects float() refuses with a ValueError: categories
        return column.astype(object), True
    except TypeError as exc:  # objects float() cannot read and that are not text either (a dict, a custom class)
        kinds = unreadable_kinds(column, errors=TypeError)
        raise TypeError(
            f"Column {name!r} holds objects that are neither numbers nor text ({', '.join(kinds[:3])}): {exc}. "
            "glassbox models read numbers and categories; convert the column to numbers, or to strings to use "
            "it as a category."
        ) from exc


def _refuse_polars_unreadable(X, objects=True):
    """Name every Date/Datetime/Duration/Time column of a polars frame at once, before any is read; with
    ``objects``, then its Object columns of dates (which would read as categories, a level per date)."""
    names, dtypes = [str(name) for name in X.columns], list(X.schema.values())
    object_values = (lambda j: polars_column(X.to_series(j))[0]) if objects else None
    refuse_unreadable(names, dtypes, object_values, polars=True)


def _polars_columns(X):
    """:func:`_frame_columns` for a polars DataFrame: one column at a time, so pyarrow is not needed."""
    import polars as pl  # already imported by whoever built X

    _refuse_polars_unreadable(X)
    columns, auto, category_codes = [], [], {}
    for series in X.iter_columns():
        values, categorical = polars_column(series)
        if categorical is None:  # an Object column: as a NumPy object column reads
            values, categorical = _object_column(values, series.name)
        if isinstance(series.dtype, pl.Enum):  # its declared levels, as a pandas category column's (-1: null)
            codes = series.to_physical().cast(pl.Int64).fill_null(-1).to_numpy().astype(np.intp)
            category_codes[len(columns)] = codes, np.asarray(series.dtype.categories.to_list(), dtype=object)
        columns.append(values)
        auto.append(categorical)
    return columns, None, np.array(auto, dtype=bool), category_codes


def _reject_lazy(X):
    kind = type(X)
    if kind.__module__.startswith("polars.") and kind.__name__ == "LazyFrame":
        raise TypeError("X is a polars LazyFrame; glassbox models read data in memory: pass X.collect().")


def validate_tabular(
    estimator,
    X,
    *,
    reset,
    categorical_features="auto",
    allow_missing=True,
    allow_categorical=True,
    accept_sparse=False,
):
    """Validate ``X`` for ``estimator`` and split it into numeric and categorical columns.

    With ``reset=True`` (in ``fit``) this records ``n_features_in_``,
    ``feature_names_in_``, ``is_categorical_`` and ``is_boolean_`` (numeric
    columns of a boolean dtype, read as 0/1 and shown as False / True) on the
    estimator; afterwards (``reset=False``) the input must match them, and
    a boolean feature may arrive as 0/1 numbers or True/False objects, but
    any other value (2, -1, 0.5, the text ``'True'``) raises a ValueError.

    Parameters
    ----------
    estimator : BaseEstimator
    X : DataFrame (pandas or polars), ndarray or nested list, shape (n_samples, n_features)
    reset : bool
    categorical_features : "auto", None, mask, indices or names
        Only used when ``reset=True``.
    allow_missing : bool
        Whether NaN / None are accepted; if not, the error names the columns.
    allow_categorical : bool
        Whether categorical columns are accepted at all.
    accept_sparse : bool
        Whether scipy.sparse input is accepted (every column numeric); the
        returned table's ``numeric`` is then the CSR or CSC matrix in float64.

    Returns
    -------
    Table
    """
    if accept_sparse and issparse(X):
        return _sparse_table(estimator, X, reset, categorical_features, allow_missing)
    if hasattr(X, "tocsr") or hasattr(X, "toarray"):
        raise TypeError(
            f"{type(estimator).__name__} does not accept sparse input; convert it with X.toarray()."
        )
    _reject_lazy(X)
    polars = is_polars_frame(X)
    is_frame = polars or _is_dataframe(X)
    if not is_frame:
        # sklearn's own checks first, for its standard messages (1-D input, complex data, ...)
        check_array(X, dtype=None, ensure_all_finite=False, ensure_min_samples=1)
    elif not polars:  # the message models loaded from JSON give too (a polars frame has unique names)
        check_unique_columns(X)
    validate_data(estimator, X, reset=reset, skip_check_array=True)
    if is_frame:
        if X.shape[0] == 0:
            raise empty_error(X.shape)
        columns, dense, auto, category_codes = _polars_columns(X) if polars else _frame_columns(X)
        array = None
    else:
        columns, dense, auto, array = _array_columns(X)
        category_codes = {}
    n_features = len(auto)
    if n_features == 0:
        raise ValueError("Found array with 0 feature(s) while a minimum of 1 is required.")
    names = feature_names_of(estimator)
    column_labels = non_positional_labels(X) if reset else None
    arrived_boolean = _boolean_columns(X, polars, columns, n_features)  # as the columns arrive now
    for j in np.flatnonzero(arrived_boolean & auto):  # True / False objects: a flag, as a bool column
        columns[j], auto[j] = float_or_missing(columns[j]), False
    if reset:
        check_no_reserved_names(names)
        mask = resolve_categorical(categorical_features, n_features, names, auto,
                                   positional_names=has_positional_names(estimator), column_labels=column_labels)
        if mask.any() and not allow_categorical:
            bad = [names[j] for j in np.flatnonzero(mask)]
            raise ValueError(f"{type(estimator).__name__} does not accept categorical columns {bad}; encode them as numbers.")
        estimator.is_categorical_ = mask
        estimator.is_boolean_ = arrived_boolean & ~mask
        _warn_of_undeclared_numbers(estimator, X, polars, columns, auto, categorical_features, names)
    mask, boolean = estimator.is_categorical_, fitted_boolean(estimator)
    exact = _ExactLevels(X, polars, array, columns)
    numeric, categorical = _split_columns(columns, dense, auto, mask, boolean, arrived_boolean, names,
                                          None if polars else _row_labels(X), exact, array_columns=not is_frame)
    _check_values(estimator, numeric, categorical, mask, names, allow_missing)
    if not reset:  # a column of a boolean dtype (always so at fit) holds nothing but 0/1 and missing
        _check_dense_flags(numeric, np.flatnonzero(boolean & ~arrived_boolean), names)
    category_codes = {j: pair for j, pair in category_codes.items() if mask[j]}
    return Table(
        numeric=numeric, categorical=categorical, is_categorical=mask, feature_names=names,
        category_codes=category_codes, is_boolean=boolean,
        is_integer=_integer_columns(X if array is None else array, polars, n_features),
        positional_names=has_positional_names(estimator), column_labels=column_labels,
    )


def _warn_of_undeclared_numbers(estimator, X, polars, columns, auto, categorical_features, names):
    """Warn (at fit) of each text column whose levels are numbers (``validation.numbers_written_as_text``).

    Only columns that became categorical by their type alone: a pandas ``category``
    or polars ``Categorical`` / ``Enum`` column, or one named in
    ``categorical_features``, was declared so by its author.  Checked here, once
    per fit, so every family warns alike and none per fold or bag; a model that
    another glassbox estimator fits (a distilled copy's teacher encoder and
    student) leaves the warning to that estimator.
    """
    candidates = np.array(auto, dtype=bool)
    if columns is None or not candidates.any() or _inside_another_fit(estimator):
        return
    candidates &= ~resolve_categorical(categorical_features, len(candidates), names, np.zeros_like(candidates))
    dtypes = list(X.schema.values()) if polars else list(X.dtypes) if _is_dataframe(X) else [None] * len(candidates)
    for j in np.flatnonzero(candidates):
        if declares_levels(dtypes[j]):
            continue
        levels = list(set(columns[j].tolist()))
        present = ~is_missing(np.fromiter(levels, dtype=object, count=len(levels)))  # 1-D even for tuple levels
        warn_of_numbers_written_as_text(names[j], [level for level, kept in zip(levels, present) if kept],
                                        position=j if has_positional_names(estimator) else None)


def _inside_another_fit(estimator):
    """Whether ``estimator`` is being fitted by the ``fit`` of another glassbox estimator.

    Read from the call stack (walked through any scikit-learn Pipeline in between), so that
    a meta-estimator's inner fits need no flag of their own to stay quiet.
    """
    frame = sys._getframe(2)
    while frame is not None:
        owner = frame.f_locals.get("self") if frame.f_code.co_name == "fit" else None
        if owner is not None and owner is not estimator and frame.f_globals.get("__name__", "").startswith("glassbox."):
            return True
        frame = frame.f_back
    return False


def _split_columns(columns, dense, auto, mask, boolean, arrived_boolean, names, row_labels, exact,
                   array_columns=False):
    """The fitted numeric features as one float64 block and the categorical ones as object columns.

    ``row_labels`` (a frame's index, or None) names rows in the error for text in a numeric
    feature; ``array_columns`` (X is an array) names the column there by position.  A categorical feature that arrived as numbers takes its values from ``exact``
    (an :class:`_ExactLevels`), so that integer levels are the integers themselves.
    """
    numeric = dense if dense is not None else np.full((len(columns[0]), len(mask)), np.nan)
    categorical = {}
    for j in range(len(mask)):
        if mask[j]:
            source = dense[:, j] if dense is not None else columns[j]
            if arrived_boolean[j]:  # a boolean column named categorical: its levels False / True (0/1 match them)
                categorical[j] = flags_as_objects(source)
            elif not auto[j]:
                categorical[j] = exact.levels(j, source)
            else:
                categorical[j] = np.asarray(source, dtype=object)
        elif dense is None:
            numeric[:, j] = (_as_numbers(columns[j], names[j], boolean[j], row_labels, j if array_columns else None)
                             if auto[j] else columns[j])
    return numeric, categorical


class _ExactLevels:
    """The values of a categorical feature that arrived as numbers, with its integers kept exact.

    The readers convert every numeric column to float64, which holds integers
    exactly only up to 2**53: ids 2**53 and 2**53 + 1 would become one level
    (named after the float), and a level could be named after an id that is not
    in the data.  Read from ``X`` itself, and only for the columns that need it.
    """

    def __init__(self, X, polars, array, columns):
        self._X, self._polars, self._array, self._columns = X, polars, array, columns

    def levels(self, j, numbers):
        """Column ``j`` as objects: Python ints for an integer column, else ``numbers`` (its float64 reading)."""
        exact = self._integers(j)
        return np.asarray(numbers, dtype=object) if exact is None else exact.astype(object)

    def _integers(self, j):
        if self._polars:
            series = self._X.to_series(j)
            return exact_integers(series, polars=True) if series.dtype.is_integer() else None
        if self._array is None:  # pandas
            series = self._X.iloc[:, j]
            if str(series.dtype) == "object":
                return self._object_integers(j, series.to_numpy(dtype=object))
            return exact_integers(series) if getattr(series.dtype, "kind", None) in ("i", "u") else None
        column = self._array[:, j]
        if column.dtype.kind in "iu":
            return column
        return self._object_integers(j, column) if column.dtype == object else None

    def _object_integers(self, j, column):
        """An object column: its Python / NumPy integers as they are, every other value as its float64 reading."""
        integers = np.fromiter((isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
                                for v in column), dtype=bool, count=len(column))
        if not integers.any():
            return None
        out = np.asarray(self._columns[j], dtype=object).copy()
        out[integers] = [int(v) for v in column[integers]]
        return out


def _row_labels(X):
    """A pandas frame's index when it is not the positions 0, 1, ... (errors name rows by both), else None."""
    index = getattr(X, "index", None)
    if index is None or (type(index).__name__ == "RangeIndex" and index.start == 0 and index.step == 1):
        return None
    return index


def flag_feature_names(estimator):
    """The names of the features the estimator was fitted on as flags, for its global explanation's
    ``flag_features``: a model loaded from JSON then records 0/1 given for them as False / True, as it does."""
    names = feature_names_of(estimator)
    return tuple(names[j] for j in np.flatnonzero(fitted_boolean(estimator)))


def fitted_boolean(estimator):
    """The estimator's ``is_boolean_``; all False for a model fitted before it was recorded (a pickle)."""
    boolean = getattr(estimator, "is_boolean_", None)
    return np.zeros(estimator.n_features_in_, dtype=bool) if boolean is None else boolean


def _sparse_table(estimator, X, reset, categorical_features, allow_missing):
    """A scipy.sparse ``X`` as a table of numbers: CSR or CSC float64 (other formats become CSR), never densified."""
    X = check_array(X, accept_sparse=("csr", "csc"), dtype=np.float64, ensure_all_finite=False, ensure_min_samples=1)
    validate_data(estimator, X, reset=reset, skip_check_array=True)
    n_features = X.shape[1]
    names = feature_names_of(estimator)
    if reset:
        check_no_reserved_names(names)
        mask = resolve_categorical(categorical_features, n_features, names, np.zeros(n_features, dtype=bool),
                                   positional_names=has_positional_names(estimator))
        if mask.any():
            raise TypeError(
                f"categorical_features names columns {[names[j] for j in np.flatnonzero(mask)]} of a sparse X; "
                "sparse input is numeric only: one-hot encode those columns (e.g. sklearn.preprocessing."
                "OneHotEncoder, which returns a sparse matrix) and use categorical_features=None."
            )
        estimator.is_categorical_ = mask
        estimator.is_boolean_ = np.zeros(n_features, dtype=bool)
    bad = ~np.isfinite(X.data)
    if bad.any():
        infinite = sparse_columns_where(X, np.isinf(X.data))
        missing = sparse_columns_where(X, np.isnan(X.data))
        raise_bad_values(type(estimator).__name__, infinite, missing, names, allow_missing)
    boolean = fitted_boolean(estimator)
    if not reset and boolean.any():  # a model fitted on a dense frame of flags, given sparse rows
        columns = _entry_columns(X)  # the implicit zeros are False
        if not _holds_only_flags(X.data[boolean[columns]]):
            _raise_not_flags(lambda j: X.data[columns == j], np.flatnonzero(boolean), names)
    return Table(numeric=X, categorical={}, is_categorical=estimator.is_categorical_, feature_names=names)


def sparse_columns_where(X, entry_mask):
    """Per column of a CSR or CSC matrix, whether a stored entry with ``entry_mask`` True lies in it."""
    found = np.zeros(X.shape[1], dtype=bool)
    found[_entry_columns(X)[entry_mask]] = True
    return found


def _entry_columns(X):
    """The column of each stored entry of a CSR or CSC matrix: CSR keeps it in indices, CSC in the indptr segment."""
    return X.indices if X.format == "csr" else np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))


def _as_numbers(values, name, boolean=False, row_labels=None, position=None):
    """A column fitted as numeric that arrives as object/text: its values as float64 if they are numbers.

    ``X.iloc[i].to_frame().T`` and ``pd.DataFrame([record])`` of a mixed frame hold every column as
    object; numbers (and None / NaN / pd.NA for missing) in such a column are read as numbers, and
    text is refused (:func:`~glassbox.explain._columns.as_float`, whose error names the rows, by
    position and by ``row_labels``; ``position``: the column's index in an array). ``boolean``: the column
    was boolean at fit, which the error for text says.
    """
    if boolean:
        try:
            return as_float(values, name)
        except ValueError:
            raise text_in_flag_error(values, name) from None
    return as_float(values, name, row_labels, position)


def _holds_only_flags(block):
    """Whether ``block`` holds nothing but 0, 1 and NaN."""
    with np.errstate(all="ignore"):
        if not np.any(block * (block - 1.0)):  # x (x - 1) is 0 at 0 and 1 only (NaN is not 0): two passes
            return True
    return not len(non_flag_values(block))


def _check_dense_flags(numeric, columns, names):
    """Refuse values other than 0, 1 (False, True) and missing in the boolean features ``columns``.

    Read as a number, a 2 would count a linear model's coefficient twice while
    a binned model reads it as True: a flag has no such value, so no model guesses.
    A row-major table is read in slabs of rows that stay in cache, not by its
    strided columns (20,000 rows x 100 flags given as floats: 2.7 ms against
    9.8 ms).  Columns that arrive with a boolean dtype are not passed here.
    """
    if not len(columns):
        return
    if numeric.flags.f_contiguous:
        clean = all(_holds_only_flags(numeric[:, j]) for j in columns)
    else:
        step = max(1, _FLAG_CHECK_CELLS // len(columns))
        clean = all(_holds_only_flags(numeric[start:start + step, columns]) for start in range(0, len(numeric), step))
    if not clean:
        _raise_not_flags(lambda j: numeric[:, j], columns, names)


def _raise_not_flags(column, columns, names):
    """The error naming every boolean feature among ``columns`` that holds other values, with a few of them."""
    bad = {names[j]: values for j in columns if len(values := non_flag_values(column(j)))}
    raise not_flags_error(bad)


def _check_values(estimator, numeric, categorical, mask, names, allow_missing):
    if not categorical and numeric.size:
        with np.errstate(all="ignore"):  # an overflow only sends the check down the slow path
            total = numeric.sum()
        if np.isfinite(total):
            return  # a finite sum has no NaN nor infinity: one streaming reduction, no temporaries
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(numeric).any(axis=0)
    missing = None
    if not allow_missing:
        missing = np.isnan(numeric).any(axis=0) & ~mask
        for j, values in categorical.items():
            missing[j] = is_missing(values).any()
    raise_bad_values(type(estimator).__name__, infinite, missing, names, allow_missing)


def raise_bad_values(model_name, infinite, missing, names, allow_missing):
    """The errors for columns holding infinity, and (unless allowed) missing values, in a model ``model_name``
    (``infinite`` and ``missing``: a flag per column of ``names``)."""
    if infinite.any():
        raise infinity_error([names[j] for j in np.flatnonzero(infinite)])
    if allow_missing:
        return
    if missing.any():
        raise missing_values_error(model_name, [names[j] for j in np.flatnonzero(missing)])


def polars_as_pandas(X):
    """A polars DataFrame as a pandas one that glassbox reads the same way; other input as it is.

    Built column by column, so pyarrow (which ``X.to_pandas()`` needs) is not:
    text and categories become object columns (None for null), numbers and
    booleans keep their NumPy dtype, or where null become float64 with NaN
    (numbers) or pandas' nullable ``boolean`` with ``pd.NA`` (booleans, so
    that the frame's flags stay boolean features).  For code that hands rows
    to a third-party model (a distillation teacher).
    """
    if not is_polars_frame(X):
        return X
    import pandas as pd

    _refuse_polars_unreadable(X, objects=False)
    data = {}
    for series in X.iter_columns():
        # integers, floats and booleans without nulls keep their NumPy dtype; a Decimal's to_numpy()
        # gives Decimal objects, which would read as categories, so it goes through polars_column
        dtype = series.dtype
        flag = str(dtype) == "Boolean"
        plain = series.null_count() == 0 and (dtype.is_integer() or dtype.is_float() or flag)
        data[series.name] = series.to_numpy() if plain else polars_column(series)[0]
        if flag and not plain:  # 0/1 with NaN: as a pandas nullable boolean, pd.NA where null
            values = data[series.name]
            data[series.name] = pd.arrays.BooleanArray(values == 1, np.isnan(values))
    return pd.DataFrame(data, columns=list(X.columns))
