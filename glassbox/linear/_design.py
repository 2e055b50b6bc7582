"""From validated tabular input to the linear model's design matrix.

Numeric features are used as they are; each categorical feature becomes one
0/1 indicator term per level seen (with positive weight) in training, named
``feature == level``.  With ``basis="steps"`` each numeric feature also gets
0/1 step terms ``feature >= t`` at weighted quantile thresholds of its training
values: a sparse model can then pick a jump where the response has one (one
coefficient per step, read like one split of a tree).  The solver works on standardized columns; the design
remembers the weighted means and standard deviations to report coefficients
in the original units.
"""

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix, issparse

from ..explain import LinearTerm
from ..explain._equality import same_label  # a named level is a training level as a label is a class (True is not 1)
from ..explain.shapes import unique_term_names
from ..explain.terms import format_value
from ..utils._feature_keys import unknown_feature_error
from ..utils.binning import declared_categories, few_level_codes, level_codes, quantile_thresholds, sorted_levels
from . import _cd_fast, _cd_sparse_fast

# Rows whose mean is the shift of the one-pass moments.
_SHIFT_ROWS = 256
# Bytes of the row-order copy through which the moments read a block of a Fortran-order design.
_STATISTICS_BLOCK_BYTES = 4 << 20
# The raw design is stored sparse (CSC) when it has at least this many terms and at most this share of
# its cells can be nonzero: a row holds one indicator per categorical feature, so a feature of many levels
# makes a design of mostly zeros (1,000 levels beside a numeric column: 2 cells of 1,001 per row).
_SPARSE_MIN_TERMS = 64
_SPARSE_MAX_DENSITY = 0.1


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
        Terms held at a zero coefficient: those without variation among rows of
        positive weight, and the named reference levels (``reference``).
    reference : ndarray of bool (n_terms,) or None
        Indicators of the levels named as their feature's reference (base):
        the solver never moves them from 0, so the feature's other levels
        read against them.  Their means and standard deviations are the
        indicators' own.
    sparse : bool
        Whether :meth:`matrix` builds a scipy.sparse CSC design (mostly
        indicator cells, see :func:`sparse_layout`); the solver then takes
        its sparse path and predictions one sparse product.
    """

    terms: list
    sources: np.ndarray
    means: np.ndarray = None
    stds: np.ndarray = None
    constant: np.ndarray = None
    reference: np.ndarray = None
    sparse: bool = False  # also for designs pickled before the sparse layout

    @property
    def n_terms(self):
        return len(self.terms)

    @property
    def term_names(self):
        """One name per term, unique: a numeric column literally named ``c == u`` beside level
        ``u`` of a categorical ``c`` would share its name, and a lookup by name take the first."""
        return unique_term_names([(term.name,) for term in self.terms])

    def matrix(self, table, order="C"):
        """Raw design ``(n_samples, n_terms)`` in original units (float64; sparse input: its CSR/CSC matrix).

        ``order="C"`` (predictions: a row's terms are summed in one order
        whatever the batch) or ``"F"``, the row-space solver's layout (one
        contiguous column per term), in which a fit builds its design once
        and standardizes it in place (:func:`standardize`).  Numeric features
        used as they are come back as the validated input itself, not a copy.
        """
        raw_numeric = np.array([term.category is None and term.threshold is None for term in self.terms], dtype=bool)
        if issparse(table.numeric):
            if not (raw_numeric.all() and np.array_equal(self.sources, np.arange(table.n_features))):
                raise TypeError(
                    "This model was fitted with categorical indicator or step terms, which sparse X cannot "
                    "supply; pass X as a dense array or DataFrame (as in fit)."
                )
            return table.numeric  # one raw numeric term per feature, as build_design makes them for sparse X
        if raw_numeric.all():
            if np.array_equal(self.sources, np.arange(table.numeric.shape[1])):
                # the validated numbers as they are: no copy (callers never write to it)
                return np.asarray(table.numeric, dtype=np.float64)
            return np.asarray(table.numeric[:, self.sources], dtype=np.float64, order=order)
        if self.sparse:
            return self._sparse_matrix(table, raw_numeric)
        # column by column: no (rows x numeric features) temporary beside the design
        out = np.empty((table.n_samples, self.n_terms), order=order)
        for t in np.flatnonzero(raw_numeric):
            out[:, t] = table.numeric[:, self.sources[t]]
        for t in np.flatnonzero(self._step_terms()):
            out[:, t] = table.numeric[:, self.sources[t]] >= self.terms[t].threshold  # no missing values here
        out[:, self._indicator_terms()] = 0.0
        for j, columns in self._indicator_groups():
            positions = self.level_positions(table, j, columns)
            rows = np.flatnonzero(positions >= 0)
            out[rows, positions[rows]] = 1.0
        return out

    def _sparse_matrix(self, table, raw_numeric):
        """:meth:`matrix` as CSC: numeric terms store every row (zeros too), steps and indicators their ones."""
        n = table.n_samples
        rows, columns, values = [], [], []
        for t in np.flatnonzero(raw_numeric):
            rows.append(np.arange(n))
            columns.append(np.full(n, t))
            values.append(np.asarray(table.numeric[:, self.sources[t]], dtype=np.float64))
        for t in np.flatnonzero(self._step_terms()):
            hit = np.flatnonzero(table.numeric[:, self.sources[t]] >= self.terms[t].threshold)
            rows.append(hit)
            columns.append(np.full(hit.size, t))
            values.append(np.ones(hit.size))
        for j, group in self._indicator_groups():
            positions = self.level_positions(table, j, group)
            hit = np.flatnonzero(positions >= 0)
            rows.append(hit)
            columns.append(positions[hit])
            values.append(np.ones(hit.size))
        if not rows:
            return coo_matrix((n, self.n_terms)).tocsc()
        return coo_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
                          shape=(n, self.n_terms)).tocsc()

    def _step_terms(self):
        return np.array([term.threshold is not None for term in self.terms], dtype=bool)

    def _indicator_terms(self):
        return _indicator_mask(self.terms)

    def _indicator_groups(self):
        """``(feature, term positions)`` of each categorical feature with indicator terms."""
        indicator = self._indicator_terms()
        return [(j, np.flatnonzero(indicator & (self.sources == j))) for j in np.unique(self.sources[indicator])]

    def level_positions(self, table, j, columns):
        """The indicator term of each row's level of categorical feature ``j`` (-1: none, unseen or missing).

        One lookup per row (per category for a pandas ``category`` column),
        by Python equality as ``values == level`` compares, whatever the
        number of levels; ``columns`` are the feature's indicator terms.
        """
        levels = [self.terms[t].category for t in columns]
        pair = table.category_codes.get(j)
        if pair is None:
            codes = level_codes(levels, table.categorical[j], -1)
        else:  # each category once; code -1 (missing) takes the appended -1
            codes = np.append(few_level_codes(levels, pair[1], -1), -1)[pair[0]]
        codes[table.missing(j)] = -1
        return np.where(codes >= 0, columns[codes], -1)


def _levels(values, weights, declared=None):
    """Levels of a categorical column among rows of positive weight: a pandas category column's in its
    declared order (``declared``, its categories), others sorted."""
    seen = {}
    for v in values[weights > 0]:
        seen.setdefault(v, None)
    return sorted_levels(list(seen), declared)


def step_thresholds(values, weights, max_thresholds):
    """Thresholds ``t`` of the steps ``x >= t`` of one numeric feature (rows of positive weight).

    Weighted quantiles, each the shortest decimal between two training values (the
    value itself on integer data, so a step reads ``capital_gain >= 7298``);
    none for a feature with at most two distinct values, whose one step would be
    the feature itself up to scale and shift.
    """
    positive = weights > 0
    values = values[positive]
    thresholds = quantile_thresholds(values, weights[positive], max_thresholds + 1)
    if len(thresholds) == 1 and np.unique(values).size <= 2:
        return thresholds[:0]  # a two-valued feature (one threshold for another reason: max_thresholds=1)
    return thresholds


def build_design(table, weights, basis="linear", max_thresholds=32, reference_levels=None):
    """Terms for ``table``: numeric features (and their steps), then one indicator per categorical level.

    ``reference_levels`` (``{feature: level}``, checked by
    :func:`check_reference_levels`) marks each named level's indicator in
    ``Design.reference``; a named level without an indicator (absent from a
    cross-validation fold's rows) marks nothing.
    """
    terms, sources = [], []
    names = table.feature_names
    if issparse(table.numeric) and basis == "steps":
        # TypeError, as every refusal of sparse X (scikit-learn's convention; its checks expect it)
        raise TypeError(
            "basis='steps' needs dense X (its step terms x >= t are dense columns); use basis='linear' "
            "with sparse X, or pass X.toarray()."
        )
    for j in range(table.n_features):
        if table.is_categorical[j]:
            levels = _levels(table.categorical[j], weights, declared_categories(table, j))
            for level in levels:
                terms.append(LinearTerm(names[j], level))
                sources.append(j)
            continue
        terms.append(LinearTerm(names[j], boolean=bool(table.is_boolean[j])))
        sources.append(j)
        if basis == "steps":
            for threshold in step_thresholds(table.numeric[:, j], weights, max_thresholds):
                terms.append(LinearTerm(names[j], threshold=float(threshold)))
                sources.append(j)
    reference = None
    if reference_levels:
        reference = np.array([term.category is not None and term.feature in reference_levels
                              and same_label(reference_levels[term.feature], term.category) for term in terms],
                             dtype=bool)
    sources = np.asarray(sources, dtype=np.intp)
    return Design(terms=terms, sources=sources, reference=reference,
                  sparse=not issparse(table.numeric) and sparse_layout(terms, sources))


def _indicator_mask(terms):
    """Which terms are indicators of a categorical level."""
    return np.array([term.category is not None for term in terms], dtype=bool)


def sparse_layout(terms, sources):
    """Whether a design of these terms is stored sparse: at least ``_SPARSE_MIN_TERMS`` terms, and at most
    ``_SPARSE_MAX_DENSITY`` of its cells nonzero when every numeric and step term fills its column (a row
    holds one indicator per categorical feature).  Fixed by the terms, so a model predicts one row as it
    predicts many."""
    indicator = _indicator_mask(terms)
    per_row = np.count_nonzero(~indicator) + np.unique(sources[indicator]).size
    return len(terms) >= _SPARSE_MIN_TERMS and per_row <= _SPARSE_MAX_DENSITY * len(terms)


def check_reference_levels(reference_levels, table, weights, fit_intercept, positional_names=False):
    """The named reference levels checked against the training table: ``{feature: training level}``.

    Each key must be a categorical feature of ``X`` and each value one of its
    levels among rows of positive weight; the returned levels are the training
    values themselves (so the JSON holds the level as the terms do).
    """
    if reference_levels is None:
        return None
    if not isinstance(reference_levels, dict):  # the parameter constraints say so too; this guards direct calls
        raise TypeError(f"reference_levels must be a dict {{feature name: level}} or None, got "
                        f"{type(reference_levels).__name__}.")
    if reference_levels and not fit_intercept:
        raise ValueError("reference_levels needs fit_intercept=True: without an intercept every level of a "
                         "categorical has its own coefficient and none is a base.")
    names = list(table.feature_names)
    checked = {}
    for feature, level in reference_levels.items():
        if not isinstance(feature, str):  # feature names are strings (numpy X: 'x0', 'x1', ...)
            raise ValueError(f"reference_levels is keyed by feature name, a string; got the key {feature!r}. "
                             f"X's features are {names}.")
        if feature not in names:
            raise unknown_feature_error(feature, "reference_levels", names, positional_names=positional_names)
        j = names.index(feature)
        if not table.is_categorical[j]:
            raise ValueError(f"reference_levels names feature {feature!r}, which is numeric: only a categorical "
                             "feature has levels (pass it in categorical_features, or give it a category dtype).")
        levels = _levels(table.categorical[j], weights, declared_categories(table, j))
        matches = [seen for seen in levels if same_label(level, seen)]
        if not matches:
            shown = ", ".join(repr(v) if isinstance(v, str) else format_value(v) for v in levels[:30])
            shown += " ..." if len(levels) > 30 else ""
            alike = [v for v in levels if format_value(v) == format_value(level)]  # 2 for "2", "1" for 1
            hint = f" Pass the level as X holds it: {alike[0]!r}, not {level!r}." if alike else ""
            raise ValueError(f"reference_levels[{feature!r}] = {level!r} is not a training level of {feature!r} "
                             f"(among rows of positive weight); its levels are: {shown}.{hint}")
        checked[feature] = matches[0]
    return checked


def fit_statistics(design, raw, w, wy=None):
    """Record weighted means, standard deviations and constant terms (``w`` sums to one).

    One compiled pass over the rows (``column_statistics``), never a copy of
    the design: a design in the solver's (Fortran) layout is read a block of
    rows at a time, each block copied to row order, and the kernel's sums
    carry on from block to block in row order (the same numbers as one call
    on the whole design).  The sums are taken about a shift near the means
    (the mean of the first rows of positive weight), so the variance has no
    cancellation.  With ``wy`` (``w * y``, zero where ``w`` is), returns
    ``sum_i wy_i (raw_ij - mean_j)`` from the same pass, else None.
    """
    raw = np.asarray(raw, dtype=np.float64)
    n, p = raw.shape
    first = np.flatnonzero(w > 0)[:_SHIFT_ROWS]
    shift = np.ascontiguousarray(raw[first]).mean(axis=0) if first.size else np.zeros(p)
    sums = np.zeros((5, p))
    sums[3], sums[4] = np.inf, -np.inf
    block = n if raw.flags.c_contiguous else max(1, _STATISTICS_BLOCK_BYTES // (8 * max(p, 1)))
    for start in range(0, n, block):
        rows = slice(start, start + block)
        _cd_fast.column_statistics(np.ascontiguousarray(raw[rows]), w[rows], shift,
                                   np.empty(0) if wy is None else wy[rows], sums)
    weight_sum = float(w.sum())
    mean_shift = sums[0] / weight_sum
    design.means = shift + mean_shift
    design.constant = sums[3] == sums[4]  # equal over the rows of positive weight
    design.value_ranges = sums[3:5].T.copy()  # (lowest, highest): what a refusal of a spread names
    with np.errstate(over="ignore", invalid="ignore"):  # a spread float64 cannot square: refused by name
        design.stds = np.sqrt(np.maximum(sums[1] - mean_shift * sums[0], 0.0))
    design.stds[design.constant] = 0.0
    _hold_reference_levels(design)
    if wy is None:
        return None
    return sums[2] - mean_shift * float(wy.sum())


def sparse_fit_statistics(design, raw, w):
    """``fit_statistics`` for a CSC design (the weights sum to one): one pass over its nonzeros."""
    stats = np.zeros((4, raw.shape[1]))
    _cd_sparse_fast.column_statistics(*csc_arrays(raw), w, stats)
    design.means = stats[0]
    design.constant = stats[2] == stats[3]
    design.stds = np.sqrt(stats[1])
    design.stds[design.constant] = 0.0
    _hold_reference_levels(design)


def _hold_reference_levels(design):
    """Hold the named reference levels at 0: the solver zeroes the columns of ``constant`` terms.

    Their statistics stay the indicators' own (a base level varies; only its
    coefficient is fixed).  With the base held, the feature's levels no longer
    add up to a flat direction (``flat_level_groups`` skips the feature).
    """
    if design.reference is not None:
        design.constant = design.constant | design.reference


# Largest |offset| / scale the sparse kernels fold in implicitly: the gradient of such a column is a
# difference of two terms this many times its size, so rounding grows with it (and a fit diverges
# far beyond; see ``centre_stored_columns``).
SPARSE_OFFSET_LIMIT = 1e4


def centre_stored_columns(design, raw, w, offsets, scales):
    """Centre, in the stored values, the CSC columns with no implicit zero among positive-weight rows.

    The sparse kernels fold a column's offset into every product
    (``z_j . s = v_j (x_j . s - o_j sum(s))``), which cancels badly when the
    offset is large against the spread: a timestamp or a year stored beside
    TF-IDF columns lost accuracy and then diverged to NaN.  Such a column
    stores (almost) every row, so subtracting its offset from the stored
    values fills nothing in; its offset left for the kernels is then zero.
    (Implicit zeros of zero-weight rows stay zero: those rows do not enter
    the objective.)  A column that still has a large offset against its
    scale is refused.  Returns ``(raw, kernel_offsets)``; ``raw`` is a copy
    when anything was centred.
    """
    lengths = np.diff(raw.indptr)
    n_positive = np.count_nonzero(w > 0.0)
    full = (lengths >= n_positive) & (offsets != 0.0)  # candidates; count their positive-weight rows
    for j in np.flatnonzero(full):
        full[j] = np.count_nonzero(w[raw.indices[raw.indptr[j]:raw.indptr[j + 1]]] > 0.0) == n_positive
    kernel_offsets = np.where(full, 0.0, offsets)
    ratio = np.where(design.constant, 0.0, np.abs(kernel_offsets) / scales)
    if np.any(ratio > SPARSE_OFFSET_LIMIT):
        names = [term.name for term, r in zip(design.terms, ratio) if r > SPARSE_OFFSET_LIMIT]
        raise ValueError(
            f"Sparse features {names} have a mean more than {SPARSE_OFFSET_LIMIT:g} times their standard "
            "deviation while holding implicit zeros, which the sparse solver cannot centre without "
            "losing precision; subtract a typical value from them (or store them densely in every row), "
            "or pass X as a dense array."
        )
    if full.any():
        data = np.asarray(raw.data, dtype=np.float64) - np.repeat(np.where(full, offsets, 0.0), lengths)
        raw = type(raw)((data, raw.indices, raw.indptr), shape=raw.shape)
    return raw, kernel_offsets


def csc_arrays(X):
    """``(data, indices, indptr)`` of a CSC matrix as the sparse kernels read them (float64, int32, int64)."""
    return (
        np.ascontiguousarray(X.data, dtype=np.float64),
        np.ascontiguousarray(X.indices, dtype=np.int32),
        np.ascontiguousarray(X.indptr, dtype=np.int64),
    )


def centring(design, *, center, scale):
    """``(offsets, scales)`` of the solver's design ``(raw - offsets) / scales`` (constant terms: scale 1)."""
    offsets = design.means.copy() if center else np.zeros(design.n_terms)
    scales = design.stds.copy() if scale else np.ones(design.n_terms)
    scales[design.constant] = 1.0
    return offsets, scales


def standardize(design, raw, *, center, scale, overwrite=False):
    """The solver's design: centred and/or scaled, constant terms zeroed, in Fortran order.

    One contiguous column per term, as the row-space coordinate descent reads
    them.  (The covariance mode needs no copy: it maps products with the raw
    design, see ``Problem``.)  Returns ``(Z, offsets, scales)`` with
    ``Z[:, t] = (raw[:, t] - offsets[t]) / scales[t]``.  With ``overwrite``
    a float64 Fortran-order ``raw`` (``Design.matrix(table, order="F")``, built
    for the fit alone) becomes ``Z`` in place: a fit then holds one rows x terms
    array, not a raw design and its standardized copy.
    """
    offsets, scales = centring(design, center=center, scale=scale)
    in_place = (overwrite and raw.dtype == np.float64 and raw.flags.f_contiguous and raw.flags.writeable)
    # written once, straight into the solver's layout (the same operations whichever array holds it)
    Z = raw if in_place else np.empty(raw.shape, order="F")
    np.subtract(raw, offsets, out=Z)
    if scale:
        Z *= 1.0 / scales
    if design.constant.any():
        Z[:, design.constant] = 0.0
    return Z, offsets, scales


def flat_level_groups(design, offsets, scales):
    """The categorical features whose indicators, in the solver's design, add up to 0 on every row.

    With an intercept the design is centred, and when every row of positive
    weight holds one of a feature's levels (no missing value) the indicators
    sum to one, so ``sum_j scale_j z_j = 1 - sum_j mean_j = 0``: moving every
    level's coefficient by ``t * scale_j`` changes no prediction.  Returns a
    tuple of ``(term positions, scales)``, one per such feature (the
    solver's ``Problem.flat_groups``); features with a constant level or a
    single level have no such direction.
    """
    indicator = np.array([term.category is not None for term in design.terms], dtype=bool)
    groups = []
    for source in np.unique(design.sources[indicator]):
        columns = np.flatnonzero(indicator & (design.sources == source))
        if len(columns) < 2 or design.constant[columns].any():
            continue
        centred = np.array_equal(offsets[columns], design.means[columns])
        if centred and abs(design.means[columns].sum() - 1.0) <= 1e-9:
            groups.append((columns, np.asarray(scales[columns], dtype=np.float64).copy()))
    return tuple(groups)


def column_moments(design, offsets, scales, weight_sum):
    """``(Z^T w, diag(Z^T W Z))`` of the standardized design, from the training statistics alone."""
    shift = (design.means - offsets) / scales
    diag = (design.stds / scales) ** 2 + shift**2 * weight_sum
    zw = shift * weight_sum
    zw[design.constant], diag[design.constant] = 0.0, 0.0
    return zw, diag
