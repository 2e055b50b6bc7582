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
        if numeric.all():  # one gather instead of a strided copy per column
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
    """Record weighted means, standard deviations and constant terms (``w`` sums to one)."""
    positive = w > 0
    design.means = w @ raw
    centred = raw - design.means
    design.stds = np.sqrt(w @ centred**2)
    reference = raw[np.argmax(positive)]
    design.constant = np.all(raw[positive] == reference, axis=0)
    design.stds[design.constant] = 0.0


def standardize(design, raw, *, center, scale):
    """The solver's design: Fortran-order, centred and/or scaled, constant terms zeroed.

    Returns ``(Z, offsets, scales)`` with ``Z[:, t] = (raw[:, t] - offsets[t]) / scales[t]``.
    """
    offsets = design.means.copy() if center else np.zeros(design.n_terms)
    scales = design.stds.copy() if scale else np.ones(design.n_terms)
    scales[design.constant] = 1.0
    Z = np.empty(raw.shape, order="F")  # written once, straight into the solver's column layout
    np.subtract(raw, offsets, out=Z)
    Z /= scales
    Z[:, design.constant] = 0.0
    return Z, offsets, scales
