"""Extra rows drawn from the training distribution, for a teacher to label.

A student copied only on the training rows learns the teacher where data is
dense and guesses elsewhere.  New rows that look like training rows, labelled
by the teacher, show the student more of the teacher's function without
leaving the data's support.  Two generators:

``"copula"``
    a Gaussian copula: each column's empirical distribution is kept exactly
    (new values are drawn from its quantiles) and the columns' dependence is a
    Gaussian correlation of their normal scores.  Categorical columns enter
    through their frequency-ordered codes; missing values reappear at each
    column's observed rate.  A numeric column with many distinct values is
    interpolated between its quantiles, unless it holds whole numbers only:
    integer columns stay integer.
``"neighbors"``
    nearest-neighbour jitter: a point on the segment between a training row and
    one of its ``k`` nearest neighbours (standardised numeric distance), with
    each categorical value taken from one of the two rows.  A column of whole
    numbers (integers, flags) moves by a whole number of units, so it stays
    whole and between the two rows' values.

Either way the new rows come back in the training rows' container and dtypes
(an ``int64`` column stays ``int64``, a nullable ``Int64`` one ``Int64`` with
``pd.NA`` where missing, a ``string`` one ``string``): a teacher reads them as
it reads the training rows.
"""

import numpy as np
from scipy.special import ndtr, ndtri
from scipy.stats import rankdata

from ..explain._columns import is_missing

AUGMENT_METHODS = ("copula", "neighbors")
_CONTINUOUS_LEVELS = 20  # more distinct values than this: interpolate between quantiles


def _column_values(table, j):
    """Present values of column ``j`` as floats, plus the categorical levels (or None)."""
    column = table.column(j)
    present = ~is_missing(column)
    if not table.is_categorical[j]:
        return column.astype(np.float64), present, None
    levels, inverse, counts = np.unique(column[present].astype(str), return_inverse=True, return_counts=True)
    # Frequency order makes neighbouring codes similar in mass, not in spelling.
    order = np.argsort(-counts, kind="stable")
    rank_of = np.empty_like(order)
    rank_of[order] = np.arange(len(order))
    codes = np.full(len(column), np.nan)
    codes[present] = rank_of[inverse]
    originals = {}
    for value in column[present]:
        originals.setdefault(str(value), value)
    return codes, present, [originals[levels[k]] for k in order]


def _quantile(sorted_values, u, continuous):
    n = len(sorted_values)
    if continuous:
        positions = np.clip(u * n - 0.5, 0, n - 1)
        return np.interp(positions, np.arange(n), sorted_values)
    return sorted_values[np.clip(np.ceil(u * n).astype(np.intp) - 1, 0, n - 1)]


def copula_sample(table, n_new, rng):
    """Draw ``n_new`` rows from a Gaussian copula fitted to ``table``.

    Returns ``(numeric, categorical)`` in :class:`~glassbox.utils.tabular.Table` layout.
    """
    n, p = table.n_samples, table.n_features
    columns = [_column_values(table, j) for j in range(p)]
    scores = np.zeros((n, p))
    for j, (values, present, _) in enumerate(columns):
        if present.sum() > 1:
            u = (rankdata(values[present]) - 0.5) / present.sum()
            scores[present, j] = ndtri(u)
    correlation = np.corrcoef(scores, rowvar=False) if p > 1 else np.ones((1, 1))
    correlation = np.nan_to_num(np.atleast_2d(correlation), nan=0.0)
    np.fill_diagonal(correlation, 1.0)
    eigenvalues, eigenvectors = np.linalg.eigh(correlation)
    root = eigenvectors * np.sqrt(np.clip(eigenvalues, 1e-9, None))
    uniforms = ndtr(rng.standard_normal((n_new, p)) @ root.T)
    numeric = np.full((n_new, p), np.nan)
    categorical = {}
    for j, (values, present, levels) in enumerate(columns):
        observed = np.sort(values[present])
        drawn = np.full(n_new, np.nan)
        if len(observed):
            # interpolating between an integer column's quantiles would ask the teacher about ages of 37.4
            # and give the student cuts between whole numbers: such a column keeps its observed values
            continuous = (levels is None and len(np.unique(observed)) > _CONTINUOUS_LEVELS
                          and not np.all(observed == np.round(observed)))
            drawn = _quantile(observed, uniforms[:, j], continuous)
            drawn[rng.random(n_new) < 1.0 - present.mean()] = np.nan
        if levels is None:
            numeric[:, j] = drawn
        else:
            out = np.full(n_new, None, dtype=object)
            ok = ~np.isnan(drawn)
            out[ok] = np.array(levels, dtype=object)[drawn[ok].astype(np.intp)]
            categorical[j] = out
    return numeric, categorical


def _whole_numbers(values):
    """Whether the present values of a numeric column are all whole numbers (and there are some)."""
    present = values[~np.isnan(values)]
    return len(present) > 0 and bool(np.all(present == np.round(present)))


def neighbor_sample(table, n_new, rng, n_neighbors=5):
    """Draw ``n_new`` rows between training rows and their nearest neighbours."""
    from sklearn.neighbors import NearestNeighbors

    n = table.n_samples
    numeric_columns = np.flatnonzero(~table.is_categorical)
    data = table.numeric[:, numeric_columns]
    with np.errstate(invalid="ignore"):
        centre = np.nan_to_num(np.nanmedian(data, axis=0)) if data.size else np.zeros(0)
        scale = np.nan_to_num(np.nanstd(data, axis=0), nan=1.0) if data.size else np.zeros(0)
    scale[scale == 0] = 1.0
    standardised = np.where(np.isnan(data), centre, data)
    standardised = (standardised - centre) / scale
    anchors = rng.randint(0, n, n_new)
    k = min(n_neighbors, n - 1)
    if k >= 1 and standardised.shape[1]:
        neighbours = NearestNeighbors(n_neighbors=k + 1).fit(standardised).kneighbors(standardised[anchors], return_distance=False)
        partners = neighbours[np.arange(n_new), rng.randint(1, k + 1, n_new)]
    else:
        partners = rng.randint(0, n, n_new)
    step = rng.random((n_new, 1))
    left, right = table.numeric[anchors], table.numeric[partners]
    moved = step * (right - left)
    # a grade of 2.6 or a flag of 0.4 is no value the teacher was trained on (an encoder of the grade refuses
    # it): a whole-number column moves by whole units, to a value between the two rows' (inclusive)
    whole = np.array([_whole_numbers(table.numeric[:, j]) for j in range(table.n_features)], dtype=bool)
    moved[:, whole] = np.round(moved[:, whole])
    numeric = np.where(np.isnan(right), left, left + moved)
    categorical = {}
    take_partner = rng.random((n_new, table.n_features)) < 0.5
    for j, values in table.categorical.items():
        categorical[j] = np.where(take_partner[:, j], values[partners], values[anchors])
    return numeric, categorical


def rows_like(X, table, numeric, categorical):
    """New rows in the same container as ``X`` (DataFrame, numeric or object array)."""
    if hasattr(X, "columns") and hasattr(X, "iloc"):
        import pandas as pd

        data = {}
        for j, name in enumerate(X.columns):
            dtype = X.dtypes.iloc[j]
            if j in categorical:
                values = categorical[j]
                if str(dtype) == "category":
                    values = pd.Categorical(values, categories=_with_new_levels(dtype.categories, values),
                                            ordered=dtype.ordered)
                elif isinstance(dtype, pd.StringDtype):
                    values = pd.array(values, dtype=dtype)
                data[name] = values
            else:
                data[name] = _in_dtype(numeric[:, j], dtype)
        return pd.DataFrame(data, columns=X.columns)
    if not categorical:
        dtype = getattr(X, "dtype", None)
        return _in_dtype(numeric, dtype) if isinstance(dtype, np.dtype) and dtype.kind in "iub" else numeric
    out = numeric.astype(object)
    for j, values in categorical.items():
        out[:, j] = values
    return out


def _in_dtype(values, dtype):
    """New numeric values (floats, NaN where missing) in the training column's ``dtype`` when they fit it.

    Flags stay flags, whole numbers of an integer column stay integers (a
    nullable one with ``pd.NA`` where missing), a nullable or ``float32``
    column keeps its dtype; values that do not fit stay floats (fractions,
    and whole numbers beyond the dtype's range: -1 in a ``uint8`` column).
    """
    kind = getattr(dtype, "kind", "")
    if kind == "b" or str(dtype) == "boolean":
        return _as_flags(values, dtype)
    present = ~np.isnan(values)
    if kind in "iu" and not _fits_integers(values[present], dtype):
        return values
    if isinstance(dtype, np.dtype):
        return values.astype(dtype) if kind == "f" or (kind in "iu" and present.all()) else values
    if kind in "iuf":  # pandas' nullable Int64, UInt8, Float64, ...: NaN becomes pd.NA
        import pandas as pd

        return pd.Series(values, copy=False).astype(dtype).array
    return values


def _fits_integers(values, dtype):
    """Whether ``values`` are whole numbers inside the range of the integer ``dtype`` (NumPy or pandas nullable).

    A cast of -1 to ``uint8`` gives 255 and of 300 to ``int8`` gives 44: a model
    would be asked about another value without a word, so such values stay floats.
    """
    info = np.iinfo(getattr(dtype, "numpy_dtype", dtype))
    return bool(np.all(values == np.round(values)) and np.all((values >= info.min) & (values <= info.max)))


def _as_flags(values, dtype):
    """A ``bool`` / ``boolean`` column's new values as flags again when they are all 0 or 1 (else as they are)."""
    is_flag = getattr(dtype, "kind", "") == "b" or str(dtype) == "boolean"
    present = ~np.isnan(values)
    if not is_flag or not np.all((values[present] == 0) | (values[present] == 1)):
        return values
    if str(dtype) == "boolean":
        import pandas as pd

        return pd.array([bool(v) if p else None for v, p in zip(values, present)], dtype="boolean")
    return values.astype(bool) if present.all() else values


def _with_new_levels(categories, values):
    """``categories`` plus any level of ``values`` outside them, appended so known codes stay put.

    Without them pandas turns an unseen level (say, of a row being explained) into a missing
    value, and the model would be asked about a missing value instead of that level.
    """
    import pandas as pd

    present = pd.unique(pd.Series(values, dtype=object).dropna())
    known = set(categories)
    extra = [level for level in present if level not in known]
    return categories.append(pd.Index(extra, dtype=object)) if extra else categories


def augment(X, table, n_new, method, rng):
    """``n_new`` new rows drawn by ``method`` from the rows ``X`` (validated as ``table``)."""
    if method == "copula":
        numeric, categorical = copula_sample(table, n_new, rng)
    else:
        numeric, categorical = neighbor_sample(table, n_new, rng)
    return rows_like(X, table, numeric, categorical)


def concatenate_rows(X, extra):
    """``X`` followed by ``extra`` in ``X``'s container."""
    if hasattr(X, "columns") and hasattr(X, "iloc"):
        import pandas as pd

        return pd.concat([X.reset_index(drop=True), extra], ignore_index=True)
    X = np.asarray(X)
    if X.dtype == extra.dtype:
        return np.vstack([X, extra])
    if X.dtype.kind in "iufb" and extra.dtype.kind in "iufb":
        return np.vstack([X.astype(np.float64), extra])
    return np.vstack([X.astype(object), extra.astype(object)])
