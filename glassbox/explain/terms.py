"""The vocabulary explanations are written in: binary conditions and feature bins.

A :class:`Condition` is a readable test on one feature (``age >= 45``,
``purpose == car``, ``income is missing``).  Rule lists, decision sets and
scorecards are made of them.  A :class:`FeatureBins` describes how one feature
is cut into bins (thresholds for numbers, levels for categories, plus a bin for
missing values); shape functions are tables indexed by these bins.

Both evaluate *raw* inputs, so an explanation can recompute its model without
the estimator.  The estimators evaluate the same definitions on binned codes
with compiled kernels; tests hold the two paths equal.
"""

import math
from collections import Counter
from dataclasses import dataclass
from numbers import Real

import numpy as np

from ._columns import as_float, flags_as_float, is_missing
from ._serialize import decode_array, decode_scalar, encode_array, encode_level, frozen_array
from ._text_escape import escape_text, name_text, text_level_text

CONDITION_OPS = (">=", "<", "==", "is missing")


# Below this size a threshold prints without an exponent, as a reader writes it (357961.76, not 3.5796176e+05);
# above it, and for tiny thresholds below _POSITIONAL_FLOOR, the exponent form is the readable one.
_POSITIONAL_LIMIT = 1e15
_POSITIONAL_FLOOR = 1e-4


def format_value(value):
    """Exact readable form of a threshold or category for printing.

    A float prints as the shortest decimal that reads back as the same double
    (``357961.76``, ``0.1``, ``1000178.87``), without an exponent between
    ``1e-4`` and ``1e15``, and a whole number without a decimal point, so a
    printed condition or bin edge is the model's own: a card scored by hand
    from its printout agrees with ``decision_function`` on every row, a value
    at a threshold included.  Other values (levels) print as ``str``.
    """
    if isinstance(value, (float, np.floating)) and not isinstance(value, (bool, np.bool_)):
        value = float(value)
        if value != value or value in (math.inf, -math.inf):
            return str(value)
        if value.is_integer() and abs(value) < _POSITIONAL_LIMIT:
            return str(int(value))
        if _POSITIONAL_FLOOR <= abs(value) < _POSITIONAL_LIMIT:
            return np.format_float_positional(value, unique=True, trim="-")
        # not repr: it writes 1024800000000000.0 up to 1e16, beside 973800000000000 and 1.0248e+16
        return np.format_float_scientific(value, unique=True, trim="-")
    return str(value)


@dataclass(frozen=True)
class Condition:
    """A binary condition on one feature.

    Parameters
    ----------
    feature : str
        Feature name.
    op : {">=", "<", "==", "is missing"}
        The test.  ``>=`` and ``<`` compare numbers; ``==`` compares a category.
        A missing value satisfies only ``is missing``.
    value : float, int, str, bool or None
        Threshold or category (``None`` for ``is missing``).  The threshold
        ``True`` marks a boolean feature (a flag, read as 0/1): ``smoker >= True``
        holds for True and prints ``smoker``, ``smoker < True`` prints
        ``not smoker``.  A threshold that is no finite number, or an ``==``
        level that is None or unhashable, is refused (ValueError).

    Examples
    --------
    >>> from glassbox.explain import Condition
    >>> str(Condition("age", ">=", 45.0)), str(Condition("smoker", "<", True))
    ('age >= 45', 'not smoker')
    """

    feature: str
    op: str
    value: object = None

    def __post_init__(self):
        if self.op not in CONDITION_OPS:
            raise ValueError(f"Unknown condition operator {self.op!r}; expected one of {CONDITION_OPS}.")
        if self.op == "is missing" and self.value is not None:
            raise ValueError("An 'is missing' condition takes no value.")
        if self.op in (">=", "<") and not _is_threshold(self.value):
            raise ValueError(
                f"The threshold of the condition on {self.feature!r} ({self.op} {self.value!r}) is not a finite "
                "number or True: '>=' and '<' compare a feature's numbers with a finite threshold, or a flag "
                "with True"
            )
        if self.op == "==" and (self.value is None or not _is_hashable(self.value)):
            raise ValueError(
                f"The level of the condition on {self.feature!r} (== {self.value!r}) is not a category level: "
                "'==' compares with one level (a string, number, bool, bytes or interval); a missing value is "
                "tested with 'is missing'"
            )

    def __str__(self):
        # a feature name or level from the data or a file prints quoted where it could be misread (a flag named
        # `Alter >= 65`, the level 'North AND South' or '3') and with its control and bidi characters escaped:
        # a newline in one would otherwise print a line (a rule) the model does not have
        feature = name_text(self.feature)
        if self.op == "is missing":
            return f"{feature} is missing"
        if self.on_boolean:
            return feature if self.op == ">=" else f"not {feature}"
        return f"{feature} {self.op} {escape_text(level_text(self.value))}"

    @property
    def on_boolean(self):
        """Whether this is a threshold at ``True`` of a boolean feature (it prints ``name`` / ``not name``)."""
        return self.op in (">=", "<") and isinstance(self.value, (bool, np.bool_)) and bool(self.value)

    def evaluate_column(self, values, position=None):
        """Evaluate on the raw values of this condition's feature (``position``: its column in an array, which
        the error for text in a numeric feature names)."""
        missing = is_missing(values)
        if self.op == "is missing":
            return missing
        if self.op == "==":
            out = np.zeros(len(values), dtype=bool)
            present = ~missing
            out[present] = np.asarray(values, dtype=object)[present] == self.value
            return out
        # a boolean feature's threshold True: a value other than False/True (0/1) or missing is refused
        numbers = (flags_as_float(values, self.feature) if self.on_boolean
                   else as_float(values, self.feature, position=position))
        with np.errstate(invalid="ignore"):
            out = numbers >= self.value if self.op == ">=" else numbers < self.value
        return out & ~missing

    def evaluate(self, columns):
        """Evaluate on a :class:`~glassbox.explain._columns.RawColumns` view."""
        return self.evaluate_column(columns.column(self.feature), columns.array_position(self.feature))

    def to_dict(self):
        return {"feature": self.feature, "op": self.op, "value": encode_level(self.value, self.feature)}

    @classmethod
    def from_dict(cls, payload):
        return cls(_feature_name(payload, "a condition"), payload["op"], decode_scalar(payload["value"]))


@dataclass(frozen=True)
class FeatureBins:
    """How one feature is cut into bins.

    Numeric features: ``thresholds`` ``t_1 < ... < t_m`` give ``m + 1`` value
    bins; a value ``x`` falls in bin ``b`` = number of thresholds ``<= x``, so bin
    ``b`` holds ``t_b <= x < t_{b+1}`` and values outside the training range
    fall in the end bins.  Categorical features: one value bin per level, in the
    order of ``categories``.  After the value bins comes one bin for missing
    values, and for categorical features one more for levels not seen in
    training.

    Parameters
    ----------
    feature : str
    kind : {"numeric", "categorical"}
    thresholds : ndarray of float, numeric features only
    categories : ndarray of object, categorical features only
    boolean : bool, default=False
        A numeric feature that was a boolean column in training (read as 0/1,
        so ``thresholds`` is empty or ``[1]``): its bins print ``False`` and
        ``True`` instead of ``< 1`` and ``>= 1``.

    Raises
    ------
    ValueError
        For thresholds that are not finite and strictly increasing, or levels
        equal as values (``1``, ``1.0`` and ``True``; a level given twice):
        a value would fall in another bin than the one its printed row names.
        Levels that only print alike (``"1"`` and ``1``) are distinct: their
        labels print the string's quotes.

    Examples
    --------
    >>> from glassbox.explain import FeatureBins
    >>> FeatureBins("age", "numeric", thresholds=[40.0]).bin_labels()
    ['< 40', '>= 40', 'missing']
    >>> FeatureBins("smoker", "numeric", thresholds=[1.0], boolean=True).bin_labels()
    ['False', 'True', 'missing']
    """

    feature: str
    kind: str
    thresholds: np.ndarray = None
    categories: np.ndarray = None
    boolean: bool = False

    def __post_init__(self):
        if self.kind == "numeric":
            if self.thresholds is None or self.categories is not None:
                raise ValueError("Numeric bins need thresholds and no categories.")
            object.__setattr__(self, "thresholds", frozen_array(self.thresholds, np.float64))
            _check_thresholds(self.feature, self.thresholds)
        elif self.kind == "categorical":
            if self.categories is None or self.thresholds is not None:
                raise ValueError("Categorical bins need categories and no thresholds.")
            cats = np.empty(len(self.categories), dtype=object)
            cats[:] = list(self.categories)
            _check_distinct_levels(self.feature, cats)
            object.__setattr__(self, "categories", frozen_array(cats))
        else:
            raise ValueError(f"Unknown feature kind {self.kind!r}.")
        object.__setattr__(self, "boolean", bool(self.boolean))
        if self.boolean and (self.kind != "numeric" or not set(self.thresholds.tolist()) <= {1.0}):
            raise ValueError(
                f"Boolean bins of {self.feature!r} are numeric bins with no threshold or the threshold 1 "
                "(False < 1 <= True)."
            )

    @property
    def n_value_bins(self):
        if self.kind == "numeric":
            return len(self.thresholds) + 1
        return len(self.categories)

    @property
    def missing_bin(self):
        return self.n_value_bins

    @property
    def unseen_bin(self):
        """Bin of categories not seen in training (-1 for numeric features)."""
        return self.n_value_bins + 1 if self.kind == "categorical" else -1

    @property
    def n_bins(self):
        """All bins: value bins, the missing bin and (categorical) the unseen bin."""
        return self.n_value_bins + (2 if self.kind == "categorical" else 1)

    def bin_labels(self):
        """Readable label of every bin, in bin order."""
        if self.kind == "categorical":
            return level_labels(self.categories) + ["missing", "unseen"]
        t = [format_value(v) for v in self.thresholds]
        if not t:
            return ["all values", "missing"]
        if self.boolean:
            return ["False", "True", "missing"]
        labels = [f"< {t[0]}"]
        labels += [f"[{a}, {b})" for a, b in zip(t[:-1], t[1:])]
        labels += [f">= {t[-1]}", "missing"]
        return labels

    def codes(self, values, position=None):
        """Bin index of each raw value (NumPy reference of the compiled binner); ``position``: the feature's
        column in an array, which the error for text in a numeric feature names."""
        missing = is_missing(values)
        if self.kind == "numeric":
            numbers = (flags_as_float(values, self.feature) if self.boolean
                       else as_float(values, self.feature, position=position))
            codes = np.searchsorted(self.thresholds, np.where(missing, 0.0, numbers), side="right")
        else:
            lookup = {c: i for i, c in enumerate(self.categories)}
            codes = np.array(
                [lookup.get(v, self.unseen_bin) for v in np.asarray(values, dtype=object)], dtype=np.intp
            )
        codes = np.asarray(codes, dtype=np.intp)
        codes[missing] = self.missing_bin
        return codes

    def to_dict(self):
        payload = {
            "feature": self.feature,
            "kind": self.kind,
            "thresholds": None if self.thresholds is None else encode_array(self.thresholds),
            "categories": None if self.categories is None else encode_array(self.categories, levels_of=self.feature),
        }
        if self.boolean:  # written only when set: other features' payloads stay as they were
            payload["boolean"] = True
        return payload

    @classmethod
    def from_dict(cls, payload):
        return cls(
            feature=_feature_name(payload, "a term's bins"),
            kind=payload["kind"],
            thresholds=None if payload["thresholds"] is None else decode_array(payload["thresholds"]),
            categories=None if payload["categories"] is None else decode_array(payload["categories"]),
            boolean=payload.get("boolean", False),  # payloads older than the field: not boolean
        )

    def __eq__(self, other):
        if not isinstance(other, FeatureBins):
            return NotImplemented
        return (
            self.feature == other.feature
            and self.kind == other.kind
            and self.boolean == other.boolean
            and _same(self.thresholds, other.thresholds)
            and _same(self.categories, other.categories)
        )

    __hash__ = None


def level_text(value):
    """A level or threshold as printouts show it: :func:`format_value`, a text level quoted as its literal
    where it could be misread (``'3'`` beside the number ``3``, ``'missing'``, ``'a, b'``; the rule is
    :func:`~glassbox.explain._text_escape.is_plain_token`).

    Examples
    --------
    >>> level_text(3), level_text("3"), level_text("Köln"), level_text("missing"), level_text(0.5)
    ('3', "'3'", 'Köln', "'missing'", '0.5')
    """
    return text_level_text(value) if isinstance(value, str) else format_value(value)


def level_labels(levels):
    """The printed form of each of one feature's ``levels``: :func:`level_text`, except that levels that
    would still print alike (a string and a value that prints as it, such as a date) print as their
    ``repr``, so a printout's rows name distinct levels (and none the missing or unseen bin)."""
    labels = [level_text(level) for level in levels]
    counts = Counter(labels)
    return [repr(level) if isinstance(level, str) and counts[label] > 1 else label
            for level, label in zip(levels, labels)]


def _feature_name(payload, what):
    """The "feature" of a condition's or bins' JSON ``payload``, refused unless a string (as feature names are)."""
    feature = payload["feature"]
    if not isinstance(feature, str):
        raise ValueError(f"the feature of {what} is {feature!r} (a {type(feature).__name__}), where "
                         "feature names are strings among the feature_names")
    return feature


def _is_threshold(value):
    """Whether ``value`` can be a ``>=`` / ``<`` threshold: a finite real number, or True (a flag)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if not isinstance(value, (Real, np.integer, np.floating)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer beyond the float range: a threshold no float64 input could be compared with
        return False


def _is_hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _check_thresholds(feature, thresholds):
    """Refuse thresholds that are not finite and strictly increasing: bins are found by a sorted search, so
    with an unsorted, repeated or NaN threshold the bin a value falls in is not the one its printed row names."""
    if thresholds.ndim != 1:
        raise ValueError(f"The thresholds of {feature!r} have shape {thresholds.shape}; they are one list of numbers")
    bad = thresholds[~np.isfinite(thresholds)]
    if bad.size:
        raise ValueError(f"The thresholds of {feature!r} include {bad.tolist()}: bin thresholds are finite numbers")
    steps = np.flatnonzero(np.diff(thresholds) <= 0)
    if steps.size:
        i = int(steps[0])
        raise ValueError(
            f"The thresholds of {feature!r} are not strictly increasing: {format_value(thresholds[i])} (position "
            f"{i}) is followed by {format_value(thresholds[i + 1])}; a value would fall in another bin than the "
            "one its printed row names"
        )


def _check_distinct_levels(feature, levels):
    """Refuse levels that are one key when a value is looked up (``1``, ``1.0`` and ``True``; a level given
    twice): only the last could ever score, while the printout would show each with its own score."""
    first = {}
    for position, level in enumerate(levels):
        if not _is_hashable(level):
            raise ValueError(f"Level {level!r} of {feature!r} (position {position}) is not a category level "
                             "(a string, number, bool, bytes or interval)")
        if level in first:
            other = levels[first[level]]
            raise ValueError(
                f"The levels of {feature!r} hold {other!r} (position {first[level]}) and {level!r} (position "
                f"{position}), which are equal as values ({other!r} == {level!r}): a row's value would find only "
                "one of them, so the other bin's score would never be used; list each level once"
            )
        first[level] = position


def _same(a, b):
    if a is None or b is None:
        return a is b
    return a.shape == b.shape and bool(np.all(a == b))
