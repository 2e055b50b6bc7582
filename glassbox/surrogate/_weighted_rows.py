"""The rows a distilled copy learns from: those of positive ``sample_weight``.

A row of weight zero is as good as absent (docs/inputs.rst, "Targets and
weights").  A glassbox student honours that by itself, but a teacher need not:
scikit-learn's HistGradientBoosting (the default teacher) bins its features,
holds out its early-stopping rows and counts its categories over every row it is
given, whatever their weights, and the default teacher's encoder and the
augmentation's copula and neighbours read every row too.  So the copy hands the
teacher it fits, the augmentation and the student the rows of positive weight
only: with rows of weight zero it fits as it does with those rows dropped.
"""

from dataclasses import dataclass

import numpy as np

from ..utils.tabular import Table
from ._outputs import take_rows

__all__ = ["WeightedRows", "metadata_of_rows", "rows_of_positive_weight", "take_rows_as_given"]


@dataclass
class WeightedRows:
    """The rows a copy learns from, with what the teacher is fitted with.

    Attributes
    ----------
    X, y, weights, table :
        The rows of positive weight (all rows when no weight is zero) in the
        container they came in, their labels, weights and validated table.
    teacher_weight : array-like or None
        The ``sample_weight`` a teacher fitted here gets: the user's, or, when
        rows were left out, the weights of the rows kept, None when those are
        all 1 (rows weighted 0 or 1 only select rows: the teacher is fitted as
        on those rows alone, and a teacher that takes no weights can be).
    kept : ndarray of int or None
        Positions of the rows kept among those given; None when all are.
    """

    X: object
    y: object
    weights: np.ndarray
    table: Table
    teacher_weight: object
    kept: np.ndarray = None


def rows_of_positive_weight(X, y, weights, table, sample_weight):
    """The rows of ``X`` (validated as ``table``) whose ``weights`` are positive, as :class:`WeightedRows`."""
    if np.all(weights > 0):
        return WeightedRows(X, y, weights, table, sample_weight)
    kept = np.flatnonzero(weights > 0)
    weights = weights[kept]
    return WeightedRows(
        X=take_rows_as_given(X, kept), y=None if y is None else np.asarray(y)[kept], weights=weights,
        table=table.take(kept), teacher_weight=None if np.all(weights == 1.0) else weights, kept=kept)


def take_rows_as_given(X, rows):
    """``X``'s ``rows`` in ``X``'s container; a nested list stays a list (as the user would drop its rows)."""
    if hasattr(X, "shape"):
        return take_rows(X, rows)
    X = list(X)  # np.asarray would read a list of mixed rows as one array of text
    return [X[i] for i in rows]


def metadata_of_rows(metadata, n_given, kept):
    """``metadata`` (fit parameters) for the rows ``kept`` of the ``n_given`` given (None: all of them).

    A value with one entry per given row (``groups``, a Pipeline step's
    weights) follows the rows, as scikit-learn's meta-estimators index fit
    parameters of ``X``'s length; any other value (a scalar, a string, a
    per-class array) is passed on as it is.
    """
    if kept is None:
        return dict(metadata)
    return {name: take_rows_as_given(value, kept) if _one_entry_per_row(value, n_given) else value
            for name, value in metadata.items()}


def _one_entry_per_row(value, n_given):
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        return False
    # a list is not read as an array: its entries may be lists of different lengths (one per row)
    return getattr(value, "ndim", 1) >= 1 and len(value) == n_given
