"""Quantile binning of numeric and categorical features into uint8 codes.

GAMs fit shape functions over bins and rule/score models build conditions on
them.  Each fitted feature is described by a
:class:`~glassbox.explain.FeatureBins`, the same object explanations use, so
the estimator and its explanation cannot disagree on what a bin is.

Bin layout per feature: value bins first, then one bin for missing values, and
for categorical features one more bin for levels not seen in training.
"""

import warnings
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._release_stamp import StampsRelease
from ..explain._text_escape import name_text
from ..explain.terms import FeatureBins
from ._binning_fast import map_numeric_to_bins
from ._fit_state import restores_state_on_failure
from ._sklearn_shim import Interval, StrOptions, validate_parameters
from ._threads import threads_for_work
from .tabular import validate_tabular
from .validation import (
    N_JOBS_CONSTRAINT, capped_list, check_sample_weight, numbers_written_as_text, user_stacklevel,
    warns_of_untrained_values,
)

MAX_NUMERIC_BINS = 255  # value bins; the missing bin makes 256 codes in a uint8
MAX_CATEGORIES = 254  # levels; missing and unseen bins make 256 codes


def quantile_thresholds(values, weights, max_bins):
    """Thresholds that cut ``values`` into at most ``max_bins`` bins of similar weight.

    Each threshold lies between the training value below it and the training
    value it starts a bin at, so it splits the training rows exactly as that
    value would, and is the shortest decimal that does so safely
    (:func:`shortest_decimal_between`): conditions read ``age >= 45`` rather
    than ``age >= 44.5``, ``bmi >= 25.3`` rather than
    ``bmi >= 25.301957846874807``, and float32 copies of the training values
    fall in the bins their float64 originals did.  With at most ``max_bins``
    distinct values every value gets its own bin.

    Parameters
    ----------
    values : ndarray of float, no NaN
    weights : ndarray of float, same length, non-negative
    max_bins : int >= 1
    """
    order = np.argsort(values, kind="stable")
    values = values[order]
    # first position of every distinct value of the sorted values (np.unique would sort again)
    starts = np.empty(len(values), dtype=bool)
    starts[:1] = True
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    distinct = values[first]
    if len(distinct) <= max_bins:
        return _readable_cuts(distinct, np.arange(1, len(distinct)))
    weights = weights[order]
    mass = np.add.reduceat(weights, first)
    if mass.sum() <= 0:
        mass = np.ones_like(mass)
    below = np.concatenate([[0.0], np.cumsum(mass)[:-1]])  # weight strictly below each value
    targets = mass.sum() * np.arange(1, max_bins) / max_bins
    right = np.clip(np.searchsorted(below, targets, side="left"), 1, len(distinct) - 1)
    left = right - 1
    choose_left = (targets - below[left]) < (below[right] - targets)
    picks = np.where(choose_left & (left >= 1), left, right)
    return _readable_cuts(distinct, np.unique(picks))


def _readable_cuts(distinct, positions):
    """For each position ``i >= 1`` of the sorted distinct values, the cut between ``distinct[i-1]`` and
    ``distinct[i]``."""
    positions = np.asarray(positions, dtype=np.intp)
    lows, highs = distinct[positions - 1], distinct[positions]
    columns = (lows, highs, _float32_copies(lows), _float32_copies(highs),
               _float32_rounding_bounds(lows)[1], _float32_rounding_bounds(highs)[0])
    return np.array([_safe_cut(*pair) for pair in zip(*(column.tolist() for column in columns))], dtype=np.float64)


def shortest_decimal_between(low, high):
    """The cut between two training values ``low < high``: the shortest decimal that keeps them apart safely.

    ``x >= cut`` holds for ``high`` and not for ``low``, so the cut splits the
    training rows as ``high`` would.  It also stays clear of every number that
    float32 rounds as either value (its float32 copy, and variants in the last
    digits such as ``0.3 - 0.1`` for ``0.2``): float32 input, and values
    recomputed to within their last bits, land in the bins of the training
    values they copy, whichever of the two was float32.  The one exception is
    ``high`` itself, allowed when it is exactly a float32 (integers up to
    2**24, halves, quarters...), whose float32 copy is itself: conditions on
    integer features read ``ca >= 2`` (a number a hair below, such as
    ``2 - 1e-16``, falls below that cut).

    Among the allowed numbers the one of fewest significant digits is taken;
    of several equally short, ``high`` if it is one of them, else the one
    nearest the middle of the gap: ``(44, 45)`` gives 45, ``(3.7, 4.2)`` gives
    4, ``(0.22, 0.24)`` gives 0.23, ``(0.2, 0.21)`` gives 0.205.  Values about
    one float32 spacing apart (seven significant digits or more) leave no room
    between those ranges: the cut then keeps only their float32 copies apart,
    and for values float32 cannot tell apart it is the shortest decimal in
    ``(low, high]``.  Each candidate is checked as the float it becomes, so
    none falls outside.

    Examples
    --------
    >>> from glassbox.utils.binning import shortest_decimal_between
    >>> shortest_decimal_between(1, 2), shortest_decimal_between(0.22, 0.24), shortest_decimal_between(0.2, 0.21)
    (2.0, 0.23, 0.205)
    """
    return float(_readable_cuts(np.array([low, high], dtype=np.float64), [1])[0])


def _safe_cut(low, high, low_float32, high_float32, above_low, below_high):
    """:func:`shortest_decimal_between`, given the values' float32 copies and float32 rounding bounds."""
    high_is_float32 = high_float32 == high
    if (high_is_float32 and above_low < 0.0 <= high) or above_low < 0.0 < below_high:
        return 0.0
    inside = _shortest_inside(above_low, below_high, low, high) if above_low < below_high else None
    if high_is_float32 and high > above_low:
        if inside is None or _significant_digits(high) <= _significant_digits(inside):
            return high
    if inside is not None:
        return inside
    # values about one float32 spacing apart: keep at least their float32 copies apart, when float32 tells them apart
    lower, upper = max(low, low_float32), min(high, high_float32)
    return _shortest_up_to(lower, upper) if lower < upper else _shortest_up_to(low, high)


def _float32_copies(values):
    """Each value's float32 copy, as a float64; NaN beyond the float32 range (it then neither equals nor bounds a
    value)."""
    with np.errstate(over="ignore"):
        copies = values.astype(np.float32).astype(np.float64)
    return np.where(np.isfinite(copies), copies, np.nan)


def _float32_rounding_bounds(values):
    """``(lowest, highest)``: the range of numbers float32 rounds as each value (the value alone beyond float32)."""
    with np.errstate(over="ignore", invalid="ignore"):
        nearest = values.astype(np.float32)
        centre = nearest.astype(np.float64)
        # half a float32 spacing on either side of the nearest float32 (exact in float64)
        lowest = centre - (centre - np.nextafter(nearest, np.float32(-np.inf)).astype(np.float64)) / 2
        highest = centre + (np.nextafter(nearest, np.float32(np.inf)).astype(np.float64) - centre) / 2
    lowest = np.where(np.isfinite(lowest), np.minimum(lowest, values), values)
    highest = np.where(np.isfinite(highest), np.maximum(highest, values), values)
    return lowest, highest


def _significant_digits(value):
    """How many significant digits ``value`` prints with (45 -> 2, 0.25 -> 2, 300 -> 1)."""
    return len(Decimal(repr(value)).normalize().as_tuple().digits)


def _shortest_inside(lower, upper, low, high):
    """The multiple of the coarsest power of ten strictly inside ``(lower, upper)`` (so of fewest digits).

    Of several, the one nearest the middle of ``low`` and ``high``; ``None``
    when no float lies strictly between ``lower`` and ``upper``.
    """
    lower_exact, upper_exact = Decimal(lower), Decimal(upper)
    top = max(abs(lower_exact), abs(upper_exact)).adjusted() + 1
    for exponent in range(top, top - 20, -1):
        step = Decimal(1).scaleb(exponent)
        first = lower_exact.quantize(step, rounding=ROUND_FLOOR) + step  # smallest multiple above ``lower``
        last = upper_exact.quantize(step, rounding=ROUND_CEILING) - step  # largest multiple below ``upper``
        if first > last:
            continue
        if first == last:
            nearest = first
        else:
            middle = (Decimal(low) + Decimal(high)) / 2
            nearest = min(max(middle.quantize(step, rounding=ROUND_HALF_UP), first), last)
        for candidate in (nearest, nearest - step, nearest + step):  # its float may round onto a bound
            value = float(candidate)
            if first <= candidate <= last and lower < value < upper:
                return value
    return None


def _shortest_up_to(low, high):
    """The number of fewest significant digits in ``(low, high]``, the one nearest ``high`` among those as short."""
    if low < 0.0 <= high:
        return 0.0
    exact = Decimal(high)
    for digits in range(1, 18):
        step = Decimal(1).scaleb(exact.adjusted() - digits + 1)
        # ``high`` rounded to this many digits (its own decimal when it is that short), else rounded down
        for rounding in (ROUND_HALF_EVEN, ROUND_FLOOR):
            candidate = float(exact.quantize(step, rounding=rounding))
            if low < candidate <= high:
                return candidate
    return high


def sorted_levels(values, declared=None):
    """Distinct non-missing levels in a stable, readable order.

    ``declared`` is a pandas ``category`` column's categories: its levels keep
    that order (days Mon..Sun, bands "0-2", "3-5", "10+"), which its author
    chose and a table is read in; otherwise they are sorted.
    """
    levels = set(values.tolist() if isinstance(values, np.ndarray) else values)
    if declared is not None:
        position = {}
        for k, level in enumerate(declared.tolist()):
            position.setdefault(level, k)
        if all(level in position for level in levels):
            return sorted(levels, key=position.__getitem__)
    try:
        return sorted(levels)
    except TypeError:  # mixed types such as ints and strings
        return sorted(levels, key=lambda v: (type(v).__name__, str(v)))


def declared_categories(table, j):
    """The categories of column ``j`` in their declared order when it is a pandas ``category`` column, else None."""
    pair = table.category_codes.get(j)
    return None if pair is None else pair[1]


def too_many_levels_message(feature, n_levels, max_categories):
    """Why a categorical feature with ``n_levels`` levels cannot be binned, and what to do.

    It reaches GAM and risk-score users too, who have no ``max_categories``: the
    parameter is named only when it is below the hard cap, that is when an
    estimator that has it (``FeatureBinner``, ``ConditionGenerator``, the rule
    models) was given a smaller one.
    """
    remedy = ("Group rare levels into one (e.g. 'other'), or encode the feature as a number "
              "(ordered codes, or each level's frequency) so that it is split by thresholds")
    if max_categories < MAX_CATEGORIES:
        return (f"Categorical feature {feature!r} has {n_levels} levels, more than max_categories={max_categories}. "
                f"Raise max_categories (at most {MAX_CATEGORIES}), or: {remedy[0].lower()}{remedy[1:]}.")
    return (f"Categorical feature {feature!r} has {n_levels} levels; the binned models (GAMs, risk scores, rule "
            f"models) take at most {MAX_CATEGORIES} levels per categorical feature (a bin code is one byte, "
            f"and the missing and unseen bins take two of its 256 values). {remedy}; the sparse linear "
            "models have no such cap. (Estimators with a max_categories parameter, such as the rule "
            "models, can only lower the cap.)")


def numbers_as_text_hint(feature, levels, position=None):
    """A hint when the levels are numbers written as text (:func:`~glassbox.utils.validation.numbers_written_as_text`):
    the usual cause is a numeric column read from a file with a text marker for missing values ("N/A", "?"), which
    makes the whole column text.  ``position``: the column's index when X has no column names (an array)."""
    others = numbers_written_as_text(levels)
    if others is None:
        return ""
    column = f"X[{feature!r}]" if position is None else f"X[:, {position}]"
    return (f" Most of its levels are numbers{'' if not others else ', the others ' + repr(others[:5])}: if it is "
            f"numeric, convert it with pd.to_numeric({column}, errors='coerce') (text markers become missing "
            "values) before fitting.")


def unseen_categories_message(feature, values):
    """``"Feature 'f' has categories not seen in training: [...]"``, the first ten levels of ``values``
    and the count of the others (:func:`~glassbox.utils.validation.capped_list`)."""
    return f"Feature {feature!r} has categories not seen in training: {capped_list(sorted_levels(values))}"


def _level_key(level):
    """A level as a reader would say it: numbers by value (``1``, ``1.0`` and ``'1'`` alike), text without
    case or surrounding spaces; None for a level that has no other spelling (flags, other objects)."""
    if isinstance(level, (bool, np.bool_)):
        return None
    if isinstance(level, str):
        text = level.strip().casefold()
        try:
            level = float(text)
        except ValueError:
            return text
    if isinstance(level, (Integral, float, np.floating)):
        number = float(level)
        return int(number) if number.is_integer() else number
    return None


def respelled_levels_hint(feature, values, trained):
    """A hint when unseen ``values`` are levels of ``trained`` written another way: another type (``1`` where
    training had ``'1'``, after a file was read with other dtypes) or another case or spacing (``'male '`` for
    ``'Male'``).  Each such value lands in the unseen bin though the model knows its level; ``""`` if none does.
    """
    if trained is None or not len(trained) or not len(values):
        return ""
    known = {}
    for level in trained.tolist() if isinstance(trained, np.ndarray) else trained:
        key = _level_key(level)
        if key is not None:
            known.setdefault(key, level)
    pairs = []
    for value in sorted_levels(values):
        key = _level_key(value)
        if key is not None and key in known:
            pairs.append(f"{value!r} for {known[key]!r}")
    if not pairs:
        return ""
    shown = capped_list(pairs, limit=3, render=", ".join)
    which = "is a training level" if len(pairs) == 1 else "are training levels"
    return (f" {len(pairs)} of them {which} written another way ({shown}): pass X[{feature!r}] as "
            "it was at fit (the levels' type, case and spacing).")


def warn_missing_not_in_training(feature, effect):
    """Warn that ``feature`` has missing values at predict time although it had none in training.

    ``effect`` says what such rows get from the model (each family words it).
    Silent inside :func:`~glassbox.utils.validation.untrained_values_already_warned`.
    """
    if not warns_of_untrained_values():
        return
    warnings.warn(
        f"Feature {feature!r} has missing values, but none in training: {effect}. "
        "Impute them if that is not what you want.",
        UserWarning, stacklevel=user_stacklevel(),
    )


def _flag_levels(categories):
    """Whether the levels are a flag's: False / True, or the numbers 0 and 1 (a model fitted before bool
    levels were kept as such)."""
    return all(isinstance(c, (bool, np.bool_, Integral, float, np.floating)) and c in (0, 1) for c in categories)


def level_codes(categories, values, unseen_bin):
    """Position of each value among ``categories`` (``unseen_bin`` if absent), vectorised by pandas.

    A flag's levels are looked up by Python equality (``True == 1 == 1.0``),
    so that 0/1 numbers and False / True find the same level whatever pandas
    makes of booleans among numbers.
    """
    if not (len(categories) and _flag_levels(categories)):
        try:
            import pandas as pd

            index = pd.Index(categories, dtype=object)
            if not index.is_unique:  # levels equal under Python equality, such as 1 and True
                raise ValueError("levels are not unique")
            codes = index.get_indexer(np.asarray(values, dtype=object)).astype(np.intp)
            codes[codes < 0] = unseen_bin
            return codes
        except (ImportError, TypeError, ValueError):  # unhashable or exotic levels: the plain lookup
            pass
    lookup = {level: code for code, level in enumerate(categories)}
    return np.fromiter((lookup.get(v, unseen_bin) for v in values), dtype=np.intp, count=len(values))


def _present_levels(table, j, rows, values, present):
    """The values of ``rows`` of categorical column ``j`` that are present, or for string
    categories of a pandas ``category`` column just the categories those rows use (same set)."""
    pair = table.category_codes.get(j)
    if pair is None or not all(type(v) is str for v in pair[1]):
        return values[present]
    used = np.flatnonzero(np.bincount(pair[0][rows] + 1, minlength=len(pair[1]) + 1)[1:])
    return pair[1][used]


def few_level_codes(categories, values, unseen_bin):
    """:func:`level_codes` of a few values (such as a pandas column's categories).

    Strings compare the same in a dict as in a pandas index, and for a few
    values a dict skips the cost of building two indexes.
    """
    if all(type(v) is str for v in categories) and all(type(v) is str for v in values):
        lookup = {level: code for code, level in enumerate(categories)}
        return np.array([lookup.get(v, unseen_bin) for v in values], dtype=np.intp)
    return level_codes(categories, values, unseen_bin)


class FeatureBinner(StampsRelease, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Bin numeric features by weighted quantiles and categorical features by level.

    Parameters
    ----------
    max_bins : int, default=255
        Maximum number of value bins of a numeric feature (at most 255); missing
        values always get a bin of their own on top.
    categorical_features : "auto", None, array-like of bool, int or str, default="auto"
        Which features are categorical. ``"auto"`` takes pandas ``category``,
        ``object`` and string columns (and non-numeric columns of object arrays).
    max_categories : int, default=254
        A categorical feature with more levels than this is rejected with an
        error that names it: group rare levels first.
    handle_unknown : {"warn", "ignore", "error"}, default="warn"
        What ``transform`` does with a category not seen in ``fit``: map it to the
        feature's unseen bin with a warning, silently, or raise.
    subsample : int or None, default=200_000
        Thresholds are computed on at most this many rows, drawn at random.
    random_state : int, RandomState or None, default=None
        Seeds the subsample.
    n_jobs : int or None, default=None
        Threads for the compiled transform.
        None: the OpenMP limit (``OMP_NUM_THREADS``, ``threadpoolctl``), else
        every usable core; -1 likewise, -2 one fewer (see :ref:`threads`).

    Attributes
    ----------
    bins_ : list of FeatureBins
        The bins of each feature.
    n_bins_ : ndarray of int
        Number of codes of each feature (value bins, missing, unseen).
    is_categorical_ : ndarray of bool
    is_boolean_ : ndarray of bool
        Features that were boolean columns (binned as 0/1; their bins print
        ``False`` / ``True``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has string column names.

    Notes
    -----
    Edge cases, by design:

    - NaN (and ``None``/``pd.NA`` in categorical columns) always falls in the
      feature's missing bin, also when training had no missing values.
    - Values below or above the training range fall in the first or last value bin.
    - A numeric column that is constant, or entirely missing, in training gets a
      single value bin (plus the missing bin).
    - Rows with zero ``sample_weight`` are ignored when choosing thresholds and
      levels, exactly as if they were absent.
    - ``transform`` on data with a different number of columns, or different
      column names than in ``fit``, raises a ``ValueError``.

    Examples
    --------
    >>> import numpy as np
    >>> from glassbox.utils import FeatureBinner
    >>> X = np.array([[1.0], [2.0], [np.nan], [3.0]])
    >>> binner = FeatureBinner(max_bins=2).fit(X)
    >>> binner.bins_[0].bin_labels()
    ['< 3', '>= 3', 'missing']
    >>> binner.transform(X).ravel().tolist()
    [0, 0, 2, 1]
    """

    _parameter_constraints = {
        "max_bins": [Interval(Integral, 1, MAX_NUMERIC_BINS, closed="both")],
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "max_categories": [Interval(Integral, 1, MAX_CATEGORIES, closed="both")],
        "handle_unknown": [StrOptions({"warn", "ignore", "error"})],
        "subsample": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        max_bins=255,
        categorical_features="auto",
        max_categories=MAX_CATEGORIES,
        handle_unknown="warn",
        subsample=200_000,
        random_state=None,
        n_jobs=None,
    ):
        self.max_bins = max_bins
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.handle_unknown = handle_unknown
        self.subsample = subsample
        self.random_state = random_state
        self.n_jobs = n_jobs

    @restores_state_on_failure
    def fit(self, X, y=None, sample_weight=None):
        """Learn the bins of every feature."""
        validate_parameters(self)
        table = validate_tabular(self, X, reset=True, categorical_features=self.categorical_features)
        return self._fit_table(table, sample_weight)

    def _fit_table(self, table, sample_weight=None):
        """Fit on an already validated :class:`~glassbox.utils.tabular.Table`."""
        weights = check_sample_weight(sample_weight, table.n_samples)
        # A row of zero weight counts as absent: it creates no bin and no level.
        rows = np.flatnonzero(weights > 0)
        if self.subsample is not None and len(rows) > self.subsample:
            rng = check_random_state(self.random_state)
            rows = np.sort(rng.choice(rows, self.subsample, replace=False))
        self.bins_ = [self._fit_feature(table, j, rows, weights[rows]) for j in range(table.n_features)]
        self.is_categorical_ = table.is_categorical.copy()
        self.n_bins_ = np.array([b.n_bins for b in self.bins_], dtype=np.intp)
        weighted = weights > 0
        self.has_missing_ = np.array([table.missing(j)[weighted].any() for j in range(table.n_features)], dtype=bool)
        return self

    def _fit_feature(self, table, j, rows, weights):
        name = table.feature_names[j]
        values = table.column(j)[rows]
        present = ~table.missing(j)[rows]
        if table.is_categorical[j]:
            levels = sorted_levels(_present_levels(table, j, rows, values, present), declared_categories(table, j))
            if len(levels) > self.max_categories:
                raise ValueError(too_many_levels_message(name, len(levels), self.max_categories)
                                 + numbers_as_text_hint(name, levels, j if table.positional_names else None))
            return FeatureBins(name, "categorical", categories=levels)
        thresholds = quantile_thresholds(values[present].astype(np.float64), weights[present], self.max_bins)
        return FeatureBins(name, "numeric", thresholds=thresholds, boolean=table.is_boolean[j])

    def transform(self, X):
        """Bin codes, uint8 of shape (n_samples, n_features), column-major."""
        check_is_fitted(self)
        table = validate_tabular(self, X, reset=False)
        return self._transform_table(table)

    #: What rows holding a category not seen in training get, as the warning tells the user (``{code}``: the
    #: feature's bin code for them, ``{feature}``: its name); a ConditionGenerator's binner says it in conditions.
    _unseen_effect = "they are coded {code}, the feature's code for categories not seen in training"

    def _transform_table(self, table, warn_unseen=True):
        """Transform an already validated :class:`~glassbox.utils.tabular.Table`.

        ``warn_unseen=False`` leaves out the unseen-level warning of
        ``handle_unknown="warn"``: on the table the binner was fitted on (a
        level that only rows of weight zero hold is no fitted level, so it falls
        in the unseen bin, and warning that the training data hold "categories
        not seen in training" would tell the user nothing true), or where the
        caller words the warning itself (a model warns only of the features it
        reads).
        """
        n_samples, n_features = table.n_samples, table.n_features
        codes = np.empty((n_samples, n_features), dtype=np.uint8, order="F")
        numeric = np.flatnonzero(~self.is_categorical_)
        if numeric.size:
            thresholds = [self.bins_[j].thresholds for j in numeric]
            offsets = np.concatenate([[0], np.cumsum([len(t) for t in thresholds])]).astype(np.intp)
            flat = np.concatenate(thresholds) if offsets[-1] else np.zeros(0)
            map_numeric_to_bins(
                table.numeric,
                numeric.astype(np.intp),
                np.ascontiguousarray(flat, dtype=np.float64),
                offsets,
                codes,
                threads_for_work(self.n_jobs, n_samples * numeric.size),
            )
        for j in np.flatnonzero(self.is_categorical_):
            codes[:, j] = self._categorical_codes(self.bins_[j], table, j, warn_unseen)
        return codes

    def _categorical_codes(self, bins, table, j, warn_unseen=True):
        values, missing = table.categorical[j], table.missing(j)
        pandas_codes = table.category_codes.get(j)
        if pandas_codes is None:
            codes = level_codes(bins.categories, values, bins.unseen_bin)
        else:  # map each pandas category once; its code -1 (missing) takes the last entry
            category_codes, categories = pandas_codes
            lookup = np.append(few_level_codes(bins.categories, categories, bins.unseen_bin), bins.missing_bin)
            codes = lookup[category_codes]
        codes[missing] = bins.missing_bin
        unseen = codes == bins.unseen_bin
        if unseen.any() and warn_unseen:
            message = unseen_categories_message(bins.feature, values[unseen])
            effect = self._unseen_effect.format(code=bins.unseen_bin, feature=name_text(bins.feature))
            if self.handle_unknown == "error":
                raise ValueError(f"{message}; set handle_unknown='warn' or 'ignore' to accept them: {effect}."
                                 + respelled_levels_hint(bins.feature, values[unseen], bins.categories))
            if self.handle_unknown == "warn" and warns_of_untrained_values():
                hint = respelled_levels_hint(bins.feature, values[unseen], bins.categories)
                warnings.warn(f"{message}; {effect}." + hint, UserWarning, stacklevel=user_stacklevel())
        return codes.astype(np.uint8)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.transformer_tags.preserves_dtype = []  # always uint8 codes
        return tags
