"""From validated tabular input to the linear model's design matrix.

Numeric features are used as they are; each categorical feature becomes one
0/1 indicator term per level seen (with positive weight) in training, named
``feature == level``.  The solver works on standardized columns; the design
remembers the weighted means and standard deviations to report coefficients
in the original units.
"""

from dataclasses import dataclass

import numpy as np

from ..explain import LinearTerm
from ..explain._columns import is_missing

# Rows per block when statistics are accumulated over the design.
_ROW_BLOCK = 256


@dataclass
class Design:
    """The terms of a linear model and their training statistics.

    Attributes
    ----------
    terms : list of LinearTerm
    sources : ndarray of int (n_terms,)
        Input feature of each term.
    means, stds : ndarray (n_terms,)
        Weighted training mean and standard deviation of each term.
    constant : ndarray of bool (n_terms,)
        Terms without variation among rows of positive weight; they keep a zero coefficient.
    """

    terms: list
    sources: np.ndarray
    means: np.ndarray = None
    stds: np.ndarray = None
    constant: np.ndarray = None

    @property
    def n_terms(self):
        return len(self.terms)

    def matrix(self, table):
        """Raw design ``(n_samples, n_terms)`` in original units (float64, C order)."""
        numeric = np.array([term.category is None for term in self.terms], dtype=bool)
        if numeric.all():
            if np.array_equal(self.sources, np.arange(table.numeric.shape[1])):
                # the validated numbers as they are: no copy (callers never write to it)
                return np.asarray(table.numeric, dtype=np.float64)
            return np.ascontiguousarray(table.numeric[:, self.sources], dtype=np.float64)
        out = np.empty((table.n_samples, self.n_terms))
        out[:, numeric] = table.numeric[:, self.sources[numeric]]
        for t, (term, j) in enumerate(zip(self.terms, self.sources)):
            if term.category is not None:
                values = table.categorical[j]
                out[:, t] = (values == term.category) & ~is_missing(values)
        return out


def _levels(values, weights):
    """Levels of a categorical column among rows of positive weight, in a stable order."""
    seen = {}
    for v in values[weights > 0]:
        seen.setdefault(v, None)
    levels = list(seen)
    try:
        return sorted(levels)
    except TypeError:  # mixed types: order by their text
        return sorted(levels, key=lambda v: (type(v).__name__, str(v)))


def build_design(table, weights):
    """Terms for ``table``: numeric features, then one indicator per categorical level."""
    terms, sources = [], []
    names = table.feature_names
    for j in range(table.n_features):
        if table.is_categorical[j]:
            for level in _levels(table.categorical[j], weights):
                terms.append(LinearTerm(names[j], level))
                sources.append(j)
        else:
            terms.append(LinearTerm(names[j]))
            sources.append(j)
    return Design(terms=terms, sources=np.asarray(sources, dtype=np.intp))


def fit_statistics(design, raw, w):
    """Record weighted means, standard deviations and constant terms (``w`` sums to one).

    Row blocks keep the temporaries small (the design is read twice, never copied whole).
    """
    positive = w > 0
    every_row = bool(positive.all())
    design.means = w @ raw
    variance = np.zeros(raw.shape[1])
    low = np.full(raw.shape[1], np.inf)
    high = np.full(raw.shape[1], -np.inf)
    for start in range(0, raw.shape[0], _ROW_BLOCK):
        rows = slice(start, start + _ROW_BLOCK)
        block = raw[rows] - design.means
        variance += w[rows] @ (block * block)
        kept = raw[rows] if every_row else raw[rows][positive[rows]]
        if kept.shape[0]:
            np.minimum(low, kept.min(axis=0), out=low)
            np.maximum(high, kept.max(axis=0), out=high)
    design.stds = np.sqrt(variance)
    design.constant = low == high  # equal over the rows of positive weight
    design.stds[design.constant] = 0.0


def standardize(design, raw, *, center, scale, order="F"):
    """The solver's design: centred and/or scaled, constant terms zeroed.

    ``order="F"`` (one contiguous column per term) serves the row-space
    coordinate descent; the covariance mode only multiplies matrices and takes
    ``"C"``, which from row-major input is a plain streaming pass.

    Returns ``(Z, offsets, scales)`` with ``Z[:, t] = (raw[:, t] - offsets[t]) / scales[t]``.
    """
    offsets = design.means.copy() if center else np.zeros(design.n_terms)
    scales = design.stds.copy() if scale else np.ones(design.n_terms)
    scales[design.constant] = 1.0
    Z = np.empty(raw.shape, order=order)  # written once, straight into the solver's layout
    inverse = 1.0 / scales
    step = _ROW_BLOCK if order == "C" else raw.shape[0]  # row blocks stay in cache for the second step
    for start in range(0, raw.shape[0], step):
        rows = slice(start, start + step)
        np.subtract(raw[rows], offsets, out=Z[rows])
        if scale:
            Z[rows] *= inverse
    if design.constant.any():
        Z[:, design.constant] = 0.0
    return Z, offsets, scales


def column_moments(design, offsets, scales, weight_sum):
    """``(Z^T w, diag(Z^T W Z))`` of the standardized design, from the training statistics alone."""
    shift = (design.means - offsets) / scales
    diag = (design.stds / scales) ** 2 + shift**2 * weight_sum
    zw = shift * weight_sum
    zw[design.constant], diag[design.constant] = 0.0, 0.0
    return zw, diag
