"""Access raw input columns by feature name, for explanations that recompute a model."""

import numpy as np


def _is_dataframe(X):
    return hasattr(X, "columns") and hasattr(X, "iloc")


class RawColumns:
    """Column-wise view of raw tabular input (DataFrame, ndarray or nested list).

    Explanation objects use this to evaluate their own content on new data,
    independently of the estimator that produced them.
    """

    def __init__(self, X, feature_names):
        self.feature_names = tuple(feature_names)
        self._frame = X if _is_dataframe(X) else None
        if self._frame is None:
            array = np.asarray(X)
            if array.ndim != 2:
                raise ValueError(f"Expected a 2-D table of features, got an array of shape {array.shape}.")
            if array.shape[1] != len(self.feature_names):
                raise ValueError(
                    f"X has {array.shape[1]} columns but the model was fitted on "
                    f"{len(self.feature_names)} features {list(self.feature_names)}."
                )
            self._array = array
            self.n_samples = array.shape[0]
        else:
            missing = [name for name in self.feature_names if name not in self._frame.columns]
            if missing:
                raise ValueError(f"X lacks the columns {missing} that the model uses.")
            self.n_samples = len(self._frame)

    def column(self, feature):
        """Return the values of ``feature`` (name) as a 1-D numpy array."""
        if self._frame is not None:
            series = self._frame[feature]
            if str(series.dtype) == "category" or series.dtype == object or str(series.dtype).startswith("str"):
                return series.astype(object).to_numpy()
            return series.to_numpy(dtype=np.float64, na_value=np.nan)
        return self._array[:, self.feature_names.index(feature)]


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
        return np.array([v is None or (isinstance(v, float) and v != v) for v in values], dtype=bool)
    return np.asarray(pd.isna(values), dtype=bool)


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


def as_float(values, feature):
    """Convert a numeric column to float64, naming the feature if it is not numeric."""
    try:
        return float_or_missing(values)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"Feature {feature!r} must be numeric for this model but holds non-numeric values."
        ) from exc
