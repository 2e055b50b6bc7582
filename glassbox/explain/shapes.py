"""Global explanation of additive models: one shape function per term."""

from dataclasses import dataclass

import numpy as np

from ._checks import check_limit, require_bounded_total, require_counts, require_finite, require_shape
from ._class_weight import FittedWithClassWeights
from ._columns import plain_value
from ._equality import label_position, same_fields
from ._render import class_text, count_text, exact_number, format_number, html_block, html_lines, html_table, text_table
from ._serialize import (decode_array, decode_nested, decode_optional_array, encode_array, encode_nested,
                         encode_optional_array, frozen_array)
from ._text_escape import escape_text
from ._untrained import WarnsOfUntrainedValues
from .base import INTERCEPT_TERM, GlobalExplanation, register_kind
from .terms import FeatureBins


# joins the feature names of a pair into its term name (the name explanations give it too)
PAIR_SEPARATOR = " x "


def unique_term_names(feature_names_of_terms):
    """A unique name for every term, given each term's tuple of feature names.

    A main effect is named by its feature, a pair by its two features joined
    by ``PAIR_SEPARATOR`` ("age x income").  Feature names may themselves
    hold the separator (an engineered column "age x income" beside the pair
    of age and income), and then two terms would share a name: the local
    table would show two rows of one name and a lookup by name would take
    the first.  Only then, each pair whose name is taken writes its features
    in brackets ("[age] x [income]"); a name still taken gets " (2)", " (3)",
    ... in term order.  Without a collision the names are the plain ones.
    """
    names = [PAIR_SEPARATOR.join(features) for features in feature_names_of_terms]
    if len(set(names)) == len(names):
        return names
    counts = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    names = [PAIR_SEPARATOR.join(f"[{f}]" for f in features) if len(features) > 1 and counts[name] > 1 else name
             for name, features in zip(names, feature_names_of_terms)]
    unique, taken = [], set()
    for name in names:
        candidate, k = name, 1
        while candidate in taken:
            k += 1
            candidate = f"{name} ({k})"
        taken.add(candidate)
        unique.append(candidate)
    return unique


@dataclass(frozen=True)
class ShapeTerm:
    """A main effect (one feature) or a pairwise interaction (two features).

    Attributes
    ----------
    bins : tuple of FeatureBins
        One entry per feature of the term.
    scores : ndarray
        Score of each bin (``(n_bins,)`` for a main effect, ``(n_bins_1,
        n_bins_2)`` for a pair), with a trailing class axis for multiclass
        models.  Missing and unseen bins are included; an unseen category
        scores zero.
    lower, upper : ndarray or None
        Uncertainty band of each score (e.g. spread across bags;
        ``ShapeFunctions.band`` says what it is).
    density : ndarray or None
        Training weight in each bin (same shape as ``scores`` without the
        class axis).
    importance : float
        Mean absolute contribution on the training data.
    constraints : tuple of int
        Monotonic constraint of each feature of the term (+1, -1 or 0): the
        scores of the feature's value bins (the missing bin aside) rise (fall)
        or stay, in every slice of a pair and exactly, as the fit keeps them.
        Shape functions read from JSON whose scores break a constraint, or
        that constrain a categorical feature, are refused.
    value_ranges : tuple or None
        One entry per feature of the term: ``(minimum, maximum)`` of its
        values in the training rows of positive weight for a numeric feature,
        None for a categorical one.  The shape plot draws the end bins to
        them.  None when not recorded (terms built by hand, payloads written
        before it was): the plot then draws the open end bins over a pad and
        says so.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"floor": rng.integers(0, 4, 300), "view": rng.choice(["park", "street"], 300)})
    >>> y = 100 + 10 * np.minimum(X["floor"], 2) + 20 * (X["view"] == "park") + rng.normal(0, 1, 300)
    >>> from glassbox import GAMRegressor
    >>> floor = GAMRegressor(interactions=0, random_state=0).fit(X, y).explain_global().terms[0]
    >>> floor.name, floor.bins[0].kind, floor.bins[0].thresholds
    ('floor', 'numeric', array([1., 2., 3.]))
    >>> floor.scores.round(1)  # bins < 1, [1, 2), [2, 3), >= 3, then missing
    array([-13.3,  -3.1,   7.1,   6.7,   0. ])
    >>> floor.density  # training rows in each bin
    array([69., 68., 72., 91.,  0.])
    """

    bins: tuple
    scores: np.ndarray
    lower: np.ndarray = None
    upper: np.ndarray = None
    density: np.ndarray = None
    importance: float = 0.0
    constraints: tuple = None
    value_ranges: tuple = None

    def __post_init__(self):
        object.__setattr__(self, "bins", tuple(self.bins))
        if len(self.bins) not in (1, 2):
            raise ValueError("A shape term covers one feature (main effect) or two (pair).")
        expected = tuple(b.n_bins for b in self.bins)
        scores = frozen_array(self.scores, np.float64)
        if scores.shape[: len(expected)] != expected:
            raise ValueError(f"Scores of shape {scores.shape} do not match the bins {expected}.")
        object.__setattr__(self, "scores", scores)
        for name in ("lower", "upper", "density"):
            object.__setattr__(self, name, frozen_array(getattr(self, name), np.float64))
        # the frame and the plots read them bin by bin beside the scores: another shape fails there
        if (self.lower is None) != (self.upper is None):  # a band has two edges: the plots draw both or none
            given, lost = ("lower", "upper") if self.upper is None else ("upper", "lower")
            raise ValueError(f"the {lost} of term {self.name!r} is null while its {given} is given; an uncertainty "
                             "band has both edges or neither")
        for name, shape, counted in (("lower", scores.shape, "its scores"), ("upper", scores.shape, "its scores"),
                                     ("density", expected, "its bins")):
            require_shape(getattr(self, name), shape, f"the {name} of term {self.name!r}", counted)
        constraints = self.constraints if self.constraints is not None else (0,) * len(self.bins)
        object.__setattr__(self, "constraints", tuple(int(c) for c in constraints))
        object.__setattr__(self, "importance", float(self.importance))
        if self.value_ranges is not None:
            object.__setattr__(self, "value_ranges", _checked_ranges(self.value_ranges, self.bins))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return same_fields(self, other)

    __hash__ = None

    @property
    def name(self):
        """The plain name: the feature, or the pair's features joined ("age x income"); within a model
        ``ShapeFunctions.term_names`` makes names unique when feature names hold the separator."""
        return PAIR_SEPARATOR.join(b.feature for b in self.bins)

    @property
    def features(self):
        return tuple(b.feature for b in self.bins)

    def contributions(self, columns):
        codes = tuple(b.codes(columns.column(b.feature), columns.array_position(b.feature)) for b in self.bins)
        return self.scores[codes]

    def _check_constraints(self, name=None):
        """Refuse (ValueError naming the term, ``name`` or :attr:`name`) constraints its scores break.

        A constrained axis must be a numeric feature's, and along it the
        scores of the value bins must be in order (every slice of a pair, every
        class), exactly, as the fit and the editing methods keep them; the
        missing bin lies outside the order.
        """
        name = self.name if name is None else name
        if len(self.constraints) != len(self.bins) or not set(self.constraints) <= {-1, 0, 1}:
            raise ValueError(f"the constraints of term {name!r} are {list(self.constraints)}, where the term needs "
                             f"one of -1, 0, +1 per feature ({len(self.bins)})")
        for axis, (sign, bins) in enumerate(zip(self.constraints, self.bins)):
            if not sign:
                continue
            if bins.kind != "numeric":
                raise ValueError(f"term {name!r} is marked monotone in {bins.feature!r}, a categorical feature, "
                                 "whose levels have no order")
            values = np.take(self.scores, np.arange(bins.n_value_bins), axis=axis)
            steps = sign * np.diff(values, axis=axis)
            if np.all(steps >= 0):
                continue
            broken = np.flatnonzero(np.any(np.moveaxis(steps, axis, 0) < 0, axis=tuple(range(1, steps.ndim))))[0]
            labels = bins.bin_labels()
            direction, order, move = (("increasing", "non-decreasing", "fall") if sign > 0
                                      else ("decreasing", "non-increasing", "rise"))
            raise ValueError(f"term {name!r} is marked monotone {direction} in {bins.feature!r}, but its scores are "
                             f"not {order} over the value bins: from bin {labels[broken]} to {labels[broken + 1]} "
                             f"they {move}")

    def to_dict(self):
        payload = {
            "bins": [b.to_dict() for b in self.bins],
            "scores": encode_array(self.scores),
            "lower": encode_optional_array(self.lower),
            "upper": encode_optional_array(self.upper),
            "density": encode_optional_array(self.density),
            "importance": self.importance,
            "constraints": list(self.constraints),
        }
        if self.value_ranges is not None:  # finite floats: JSON keeps them exactly
            payload["value_ranges"] = [None if r is None else list(r) for r in self.value_ranges]
        return payload

    @classmethod
    def from_dict(cls, payload):
        return cls(
            bins=tuple(FeatureBins.from_dict(b) for b in payload["bins"]),
            scores=decode_array(payload["scores"]),
            lower=decode_optional_array(payload["lower"]),
            upper=decode_optional_array(payload["upper"]),
            density=decode_optional_array(payload["density"]),
            importance=payload["importance"],
            constraints=tuple(payload["constraints"]),
            value_ranges=payload.get("value_ranges"),  # absent in payloads written before it was recorded
        )

    def text(self, classes=None, max_bins=None):
        """Readable table of a main effect: adjacent bins with equal scores merged.

        With ``max_bins``, a term with more value rows than that shows its
        first and last ones and a line saying how many are left out (the
        missing and unseen bins are always shown).
        """
        check_limit(max_bins, "max_bins")
        return self._text(classes, max_bins)[0]

    def _text(self, classes=None, max_bins=None, name=None, edits=(), relativity=False):
        """``(text, shortened)``: the text of :meth:`text` (headed ``name``, by default :attr:`name`, and
        an ``edited: ...`` line per :class:`ShapeEdit` in ``edits``), and whether ``max_bins`` left rows out.
        ``relativity`` (a log-link model's main effect) adds each bin's factor ``x exp(score)``."""
        head = self._title(name) + "".join(f"\n  edited: {edit.describe(classes)}" for edit in edits)
        header, rows, shortened = self._table(classes, max_bins, relativity)
        if header is None:
            return f"{head}\n  {rows}", shortened
        indent = (lambda cells: ["  " + cells[0], *cells[1:]])
        return f"{head}\n{text_table(indent(header), [indent(row) for row in rows])}", shortened

    def _html(self, classes=None, max_bins=None, name=None, edits=(), relativity=False):
        """``(html, shortened)``: the term as :meth:`_text` prints it, as a captioned table (a pair too
        big to read, as its one summary line); each bin (a pair's: each row's and column's) heads its row."""
        notes = html_lines([f"{self._title(name)}: edited: {edit.describe(classes)}" for edit in edits])
        header, rows, shortened = self._table(classes, max_bins, relativity)
        if header is None:
            return notes + html_lines([f"{self._title(name)}: {rows}"]), shortened
        if len(self.bins) == 2:  # the corner cell says which feature runs down and which across
            header = [f"{self.bins[0].feature} (rows) by {self.bins[1].feature} (columns)", *header[1:]]
        return notes + html_table(header, rows, caption=self._title(name), row_header=0), shortened

    def _title(self, name=None):
        """``age  (importance 0.41, monotone increasing)``: the term's name, importance and constraints."""
        head = f"{escape_text(self.name if name is None else name)}  (importance {format_number(self.importance)}"
        if any(self.constraints):
            pair = len(self.bins) == 2
            head += ", monotone " + ", ".join(
                ("increasing" if c > 0 else "decreasing") + (f" in {escape_text(b.feature)}" if pair else "")
                for c, b in zip(self.constraints, self.bins)
                if c
            )
        return head + ")"

    def _table(self, classes, max_bins, relativity):
        """``(header, rows, shortened)`` of the term's table, its bins heading the rows; a pair too big
        to read gives ``(None, summary line, shortened)``."""
        if len(self.bins) == 2:
            return self._pair_table(max_bins)
        labels = self.bins[0].bin_labels()
        scores = self.scores.reshape(len(labels), -1)
        rows = []
        start = 0
        n_value = self.bins[0].n_value_bins
        for i in range(1, len(labels) + 1):
            boundary = i == len(labels) or i >= n_value or not np.array_equal(scores[i], scores[start])
            if boundary:
                label = labels[start] if i - 1 == start else _merge_labels(labels[start], labels[i - 1], self.bins[0])
                rows.append([label] + [format_number(v) for v in scores[start]]
                            + ([f"x{format_number(np.exp(scores[start][0]))}"] if relativity else []))
                start = i
        n_rows = len(rows)
        rows = _elide_rows(rows, n_rows - (len(labels) - n_value), max_bins, len(scores[0]) + int(relativity))
        score_head = ["score"] if scores.shape[1] == 1 else [f"score[{class_text(c)}]" for c in classes]
        score_head += ["relativity"] if relativity else []
        return ["bin"] + score_head, rows, len(rows) < n_rows

    def _pair_table(self, max_bins, max_columns=8):
        """A pair's grid of scores when it is small enough to read, else its range and where to see it."""
        first, second = self.bins
        flat = self.scores.reshape(-1)
        summary = (f"pair term on {first.n_bins} x {second.n_bins} bins, "
                   f"scores from {format_number(flat.min())} to {format_number(flat.max())}")
        too_big = max_bins is not None and (first.n_value_bins > max_bins or second.n_value_bins > max_columns)
        if self.scores.ndim != 2 or too_big:
            return None, summary + " (ShapeFunctionDisplay draws it; to_frame() lists every cell)", too_big
        # value bins always; the missing and unseen bins only where they score something
        rows = [i for i in range(first.n_bins) if i < first.n_value_bins or np.any(self.scores[i] != 0)]
        cols = [j for j in range(second.n_bins) if j < second.n_value_bins or np.any(self.scores[:, j] != 0)]
        first_labels, second_labels = first.bin_labels(), second.bin_labels()
        header = [f"{first.feature} \\ {second.feature}"] + [second_labels[j] for j in cols]
        table = [[first_labels[i]] + [format_number(self.scores[i, j]) for j in cols] for i in rows]
        return header, table, False


def _checked_ranges(value_ranges, bins):
    """``value_ranges`` as a tuple of ``(float, float)`` (numeric features) or None (categorical ones)."""
    value_ranges = tuple(value_ranges)
    if len(value_ranges) != len(bins):
        raise ValueError(f"value_ranges needs one entry per feature of the term ({len(bins)}), got "
                         f"{len(value_ranges)}.")
    checked = []
    for entry, feature_bins in zip(value_ranges, bins):
        if entry is None:
            checked.append(None)
            continue
        low, high = (float(v) for v in entry)
        if feature_bins.kind != "numeric" or not (np.isfinite(low) and np.isfinite(high) and low <= high):
            raise ValueError(f"The value range of {feature_bins.feature!r} must be finite (minimum, maximum) with "
                             f"minimum <= maximum, and only for a numeric feature; got {entry!r}.")
        checked.append((low, high))
    return tuple(checked)


def _elide_rows(rows, n_value_rows, max_bins, n_scores):
    """Keep the first and last value rows of a long shape table, and every missing/unseen row.

    A table one row longer than ``max_bins`` is kept whole: the line saying a
    row is left out would take that row's place and hide its score.
    """
    if max_bins is None or n_value_rows <= max_bins + 1:
        return rows
    keep_head = (max_bins + 1) // 2
    keep_tail = max_bins - keep_head
    hidden = n_value_rows - keep_head - keep_tail
    gap = [[f"... {count_text(hidden, 'more bin')}"] + [""] * n_scores]
    return rows[:keep_head] + gap + rows[n_value_rows - keep_tail :]


def bin_range_label(bins, first, last):
    """The label of value bins ``first`` to ``last`` of ``bins`` taken together (``"[60, 66)"``)."""
    labels = bins.bin_labels()
    return labels[first] if first == last else _merge_labels(labels[first], labels[last], bins)


def _merge_labels(first, last, bins):
    if bins.kind == "categorical":
        return f"{first} .. {last}"
    if bins.boolean:  # its two value bins, False and True, scored alike
        return "all values"
    low = first.split(",")[0].lstrip("[") if first.startswith("[") else None
    high = last.split(",")[1].rstrip(")").strip() if last.startswith("[") else None
    if first.startswith("<"):
        return f"< {high}" if high is not None else "all values"
    if last.startswith(">="):
        return f">= {low}"
    return f"[{low}, {high})"


# what each kind of edit of a fitted additive model does, in the words of its record (ShapeEdit.describe)
EDIT_ACTIONS = ("remove", "monotone", "replace", "flatten", "clip", "refit_intercept", "file")


@dataclass(frozen=True)
class ShapeEdit:
    """One edit of a fitted additive model, as its audit trail records it.

    The editing methods of :class:`~glassbox.GAMClassifier` and
    :class:`~glassbox.GAMRegressor` (``remove_terms``, ``make_monotone``,
    ``replace_scores``, ``flatten_range``, ``clip_scores``,
    ``refit_intercept``) each append one to the model's ``edits_``;
    ``ShapeFunctions.edits`` carries them into the explanation, its text, its
    table and its JSON.  A record holds no time stamp: editing a model twice
    the same way gives equal records.

    Attributes
    ----------
    action : str
        One of ``"remove"``, ``"monotone"``, ``"replace"``, ``"flatten"``,
        ``"clip"``, ``"refit_intercept"``, or ``"file"``: scores edited in the
        model's JSON text, found when it was loaded (:func:`glassbox.from_json`).
    terms : tuple of str
        The names of the terms whose scores the edit changed (none for
        ``"refit_intercept"``).
    parameters : dict
        What the edit was asked to do, JSON-safe (bounds, direction, class,
        the bins a value range covers, ...).
    intercept_shift : ndarray
        What the edit moved into the intercept (one value per output): the
        edited shapes are re-centred, so this is the change of the base value.

    Examples
    --------
    >>> from glassbox.explain.shapes import ShapeEdit
    >>> ShapeEdit("clip", ("age",), {"lower": None, "upper": 0.5}, [0.01]).describe()
    'scores capped at 0.5'
    """

    action: str
    terms: tuple
    parameters: dict
    intercept_shift: np.ndarray

    def __post_init__(self):
        if self.action not in EDIT_ACTIONS:
            raise ValueError(f"Unknown edit action {self.action!r}; expected one of {EDIT_ACTIONS}.")
        object.__setattr__(self, "terms", tuple(str(t) for t in self.terms))
        # held in its JSON form, so that a record equals the one read back from JSON
        object.__setattr__(self, "parameters", decode_nested(encode_nested(dict(self.parameters))))
        object.__setattr__(self, "intercept_shift", frozen_array(np.atleast_1d(self.intercept_shift), np.float64))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return same_fields(self, other)

    __hash__ = None

    def describe(self, classes=None):
        """What the edit did to its terms, in words (``classes`` names a multiclass model's classes)."""
        p = self.parameters
        target = p.get("target_class")
        for_class = f" for class {class_text(target)}" if target is not None else ""
        if self.action == "remove":
            return "removed (scores set to 0)"
        if self.action == "monotone":
            return f"made monotone {p['direction']} (isotonic fit weighted by training weight)"
        if self.action == "replace":
            return f"scores replaced{for_class}"
        if self.action == "file":  # found on load (ShapeFunctions._reconciled): the file's scores are not the fit's
            return ("scores edited in the model file after fitting (as typed, not re-centred; importance "
                    "recomputed from them and the training density; band dropped)")
        if self.action == "flatten":
            source = f"like {exact_number(p['like'])}" if p.get("like") is not None else exact_number(p["score"])
            return (f"values {exact_number(p['low'])} to {exact_number(p['high'])} (the bins {p['bins']}) "
                    f"scored {source}{for_class}")
        if self.action == "clip":
            lower, upper = p.get("lower"), p.get("upper")
            if lower is None:
                return f"scores capped at {exact_number(upper)}{for_class}"
            if upper is None:
                return f"scores floored at {exact_number(lower)}{for_class}"
            return f"scores clipped to [{exact_number(lower)}, {exact_number(upper)}]{for_class}"
        balanced = ", balanced: predicted total = observed total" if p.get("balance") else ""
        return f"intercept refitted on {p['n_samples']} rows{balanced} (shapes unchanged)"

    def summary(self, classes=None):
        """One line for the model's list of edits: the terms, what was done, the intercept's change."""
        if self.action == "file":  # nothing was moved into the intercept: the file's scores are as typed
            return f"{', '.join(self.terms)}: {self.describe(classes)}"
        shift = ", ".join(format_number(v, sign=True) for v in self.intercept_shift)
        where = ", ".join(self.terms) + ": " if self.terms else ""
        return f"{where}{self.describe(classes)}; intercept {shift}"

    def to_dict(self):
        return {"action": self.action, "terms": list(self.terms), "parameters": encode_nested(self.parameters),
                "intercept_shift": encode_array(self.intercept_shift)}

    @classmethod
    def from_dict(cls, payload):
        return cls(payload["action"], tuple(payload["terms"]), decode_nested(payload["parameters"]),
                   decode_array(payload["intercept_shift"]))


@register_kind
@dataclass(frozen=True, kw_only=True, eq=False)
class ShapeFunctions(FittedWithClassWeights, WarnsOfUntrainedValues, GlobalExplanation):
    """An additive model: ``decision = base_value + sum_t f_t(x)``.

    Each term's shape function is a lookup table over the bins of its
    feature(s); shapes are centred so that ``base_value`` carries the mean.

    Attributes
    ----------
    terms : tuple of ShapeTerm
    band : str or None
        What the terms' ``lower``/``upper`` bands are (e.g. ``"±1 SD across
        8 bags"``): printed with the explanation and used as the band's label
        by :class:`~glassbox.plotting.ShapeFunctionDisplay`.  None when
        unknown (payloads written before it existed load with None).
    edits : tuple of ShapeEdit
        The edits made to the fitted model, in order (its ``edits_``): each
        edited term prints an ``edited: ...`` line, ``to_frame()`` has an
        ``edited`` column, and the shape plot marks the term.  Empty for a
        model as fitted (payloads written before edits existed load with none).
    training_values : tuple of TrainingValues or None
        What each feature the terms read held in training, so that the
        explanation (a GAM loaded from JSON, say) warns of a new missing value
        or level as the estimator does, in the same words (None in payloads
        written before it was recorded: no warning).
    class_weights : ndarray or None
        Factor each class's rows were weighted by in the fit (``class_weight``),
        in the order of ``classes``; None without class weights (and in
        payloads written before it was recorded).  When set, the explanation
        says that its probabilities are those of the class-weighted sample.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"floor": rng.integers(0, 4, 300), "view": rng.choice(["park", "street"], 300)})
    >>> y = 100 + 10 * np.minimum(X["floor"], 2) + 20 * (X["view"] == "park") + rng.normal(0, 1, 300)
    >>> from glassbox import GAMRegressor
    >>> from glassbox.explain import ShapeFunctions
    >>> shapes = GAMRegressor(interactions=0, random_state=0).fit(X, y).explain_global()
    >>> isinstance(shapes, ShapeFunctions), [term.name for term in shapes.terms]
    (True, ['floor', 'view'])
    >>> print(shapes)  # terms by importance
    GAMRegressor: shape functions
    intercept: 122.5
    scores add up to the prediction, in the units of the target
    lower/upper bands (to_frame()): ±1 SD across 8 bags
    <BLANKLINE>
    view  (importance 9.934)
      bin      score
    ---------  ------
      park     10.57
      street   -9.372
      missing  0
      unseen   0
    <BLANKLINE>
    floor  (importance 7.498)
      bin      score
    ---------  ------
      < 1      -13.25
      [1, 2)   -3.091
      [2, 3)   7.118
      >= 3     6.727
      missing  0
    >>> rows = pd.DataFrame({"floor": [0, 3], "view": ["street", "park"]})
    >>> shapes.term_contributions(rows).round(1)  # f_floor(x), f_view(x) per row
    array([[-13.3,  -9.4],
           [  6.7,  10.6]])
    >>> bool(np.allclose(shapes.decision_function(rows), shapes.base_value + shapes.term_contributions(rows).sum(axis=1)))
    True
    """

    # the one-line summary, not the dataclass repr of every array (the decorator would write one)
    __repr__ = GlobalExplanation.__repr__

    kind = "shape_functions"
    untrained_value_effect = "they score zero in every term of it (its main effect and its pairs)"
    unseen_level_effect = "they score zero in every term of it (its main effect and its pairs)"

    terms: tuple
    band: str = None
    edits: tuple = ()

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "terms", tuple(self.terms))
        if self.band is not None and not isinstance(self.band, str):
            raise TypeError(f"band describes the terms' bands in words (a str), got {type(self.band).__name__}.")
        object.__setattr__(self, "edits", tuple(self.edits))
        if not all(isinstance(edit, ShapeEdit) for edit in self.edits):
            raise TypeError("edits holds ShapeEdit records (a model's edits_).")
        for name, term in zip(self.term_names, self.terms):  # a class axis per base value, or none
            require_shape(term.scores, term.scores.shape[:len(term.bins)] + self.base_value.shape,
                          f"the scores of term {name!r}", f"its bins and base_value of shape {self.base_value.shape}")

    def edits_of(self, term):
        """The :class:`ShapeEdit` records that changed the term named ``term``, in order."""
        return tuple(edit for edit in self.edits if term in edit.terms)

    @property
    def term_names(self):
        return unique_term_names([t.features for t in self.terms])

    @property
    def importances(self):
        return np.array([t.importance for t in self.terms])

    def _contributions(self, columns):
        if not self.terms:
            shape = (columns.n_samples, 0) + self.base_value.shape
            return np.zeros(shape)
        return np.stack([t.contributions(columns) for t in self.terms], axis=1)

    def _output_numbers(self):
        yield from super()._output_numbers()
        for name, term in zip(self.term_names, self.terms):
            yield f"the scores of term {name!r}", term.scores

    def _check_loaded(self):
        super()._check_loaded()
        for name, term in zip(self.term_names, self.terms):  # the printout says "monotone": the scores must be
            term._check_constraints(name)
            # printed and written again by to_json(), which holds no NaN: a bare NaN would load, then not save
            require_finite(term.importance, f"the importance of term {name!r}")
            if term.density is not None:  # training weight per bin: the importance (and the plot's strip) reads it
                require_counts(term.density, f"the density of term {name!r}")
        require_bounded_total([self.base_value, *(term.scores for term in self.terms)],
                              "the intercept and the terms' scores")

    def _reconciled(self):
        """Terms whose scores were edited in the file recorded in ``edits`` (see :mod:`._shape_file_edits`)."""
        from ._shape_file_edits import with_file_edits_recorded  # it builds ShapeEdit records of this module

        return with_file_edits_recorded(self)

    def _payload(self):
        payload = {"terms": [t.to_dict() for t in self.terms]}
        if self.band is not None:
            payload["band"] = self.band
        if self.edits:  # written only for an edited model, so other payloads are unchanged
            payload["edits"] = [edit.to_dict() for edit in self.edits]
        return {**payload, **self._training_values_payload(), **self._class_weights_payload()}

    @classmethod
    def _from_payload(cls, payload, common):
        return cls(**common, terms=tuple(ShapeTerm.from_dict(t) for t in payload["terms"]), band=payload.get("band"),
                   edits=tuple(ShapeEdit.from_dict(e) for e in payload.get("edits", ())),
                   training_values=cls._training_values_of_payload(payload),
                   **cls._class_weights_of_payload(payload))

    def to_frame(self):
        """Long table: one row per (term, bin[, class]) with score, band, density and the term's edits.

        ``bin`` labels the bin (a pair's cell as ``"row-bin & column-bin"``);
        ``bin_1`` and ``bin_2`` give its coordinates on the term's first and
        second feature (``bin_2`` is None for a main effect), so a pair's
        grid pivots whatever its level names hold (:meth:`pair_grid` returns
        it in bin order).  ``edited`` lists what the model's edits did to the
        term (``"; "`` between them), None for a term as fitted.  A log-link
        model's table also has ``relativity``, ``exp(score)``: the factor the
        bin puts on the predicted mean.

        The first rows, term ``"(intercept)"`` (one per class for a
        multiclass model, its ``class`` named), hold ``base_value``, with no
        bin, band or density: with them the frame holds every number of the
        model, ``decision = intercept + the sum of the row's bin scores``
        (a log-link model's intercept relativity is the base rate).
        """
        import pandas as pd

        intercepts = np.atleast_1d(self.base_value)
        records = [
            {"term": INTERCEPT_TERM, "bin": None, "bin_1": None, "bin_2": None,
             "class": None if self.classes is None or len(intercepts) == 1 else self.classes[k],
             "score": float(b), "lower": None, "upper": None, "density": None, "edited": None}
            for k, b in enumerate(intercepts)
        ]
        for t, name in zip(self.terms, self.term_names):
            grids = [b.bin_labels() for b in t.bins]
            edited = "; ".join(edit.describe(self.classes) for edit in self.edits_of(name)) or None
            for index in np.ndindex(*[b.n_bins for b in t.bins]):
                score = np.atleast_1d(t.scores[index])
                for k, s in enumerate(score):
                    records.append(
                        {
                            "term": name,
                            "bin": " & ".join(grids[d][i] for d, i in enumerate(index)),
                            "bin_1": grids[0][index[0]],
                            "bin_2": grids[1][index[1]] if len(index) > 1 else None,
                            "class": None if self.classes is None or len(score) == 1 else self.classes[k],
                            "score": float(s),
                            "lower": None if t.lower is None else float(np.atleast_1d(t.lower[index])[k]),
                            "upper": None if t.upper is None else float(np.atleast_1d(t.upper[index])[k]),
                            "density": None if t.density is None else float(t.density[index]),
                            "edited": edited,
                        }
                    )
        columns = ["term", "bin", "bin_1", "bin_2", "class", "score", "lower", "upper", "density", "edited"]
        frame = pd.DataFrame.from_records(records, columns=columns)
        if self.link.name == "log":
            frame.insert(columns.index("score") + 1, "relativity", np.exp(frame["score"].to_numpy(dtype=np.float64)))
        return frame

    def pair_grid(self, term, values="score", *, target_class=None):
        """A pair's two-way table: rows the first feature's bins, columns the second's, in bin order.

        Parameters
        ----------
        term : str or int
            The pair, by name (``"usage x hr"``, as in ``term_names``) or position.
        values : {"score", "relativity", "lower", "upper", "density"}, default="score"
            What the cells hold; ``"relativity"`` (``exp(score)``, the factor on
            the predicted mean) needs a log-link model.
        target_class : label or None, default=None
            The class whose scores a multiclass model's grid holds (required
            there; not used otherwise).

        Returns
        -------
        pandas.DataFrame
            Indexed by the first feature's bin labels, one column per bin label
            of the second feature (the axes named after the features), missing
            and unseen bins last, as ``to_frame()`` lists the cells.
        """
        import pandas as pd

        names = self.term_names
        if isinstance(term, (int, np.integer)) and not isinstance(term, bool) and -len(names) <= term < len(names):
            index = int(term) % len(names)
        elif isinstance(term, str) and term in names:
            index = names.index(term)
        else:
            raise ValueError(f"No term {term!r}; the terms are {names} (a name or a position).")
        shape_term = self.terms[index]
        if len(shape_term.bins) != 2:
            raise ValueError(f"{names[index]!r} is a main effect; pair_grid tabulates a pair (to_frame() lists "
                             "every term's bins).")
        grid = self._grid_values(shape_term, names[index], values)
        if grid.ndim == 3:
            grid = grid[..., self._class_column(target_class, grid.shape[-1])]
        elif target_class is not None:
            raise ValueError("target_class applies to a multiclass model's terms only (a binary model's scores "
                             "are the log-odds of its second class).")
        first, second = shape_term.bins
        return pd.DataFrame(grid, index=pd.Index(first.bin_labels(), name=first.feature),
                            columns=pd.Index(second.bin_labels(), name=second.feature))

    def _grid_values(self, shape_term, name, values):
        choices = ("score", "relativity", "lower", "upper", "density")
        if values not in choices:
            raise ValueError(f"values must be one of {list(choices)}, got {values!r}.")
        if values == "relativity":
            if self.link.name != "log":
                raise ValueError(f"values='relativity' needs a log-link model; this one's link is {self.link.name!r} "
                                 "(use values='score').")
            return np.exp(shape_term.scores)
        array = shape_term.scores if values == "score" else getattr(shape_term, values)
        if array is None:
            raise ValueError(f"The term {name!r} has no {values} (none was recorded for this model).")
        return np.asarray(array, dtype=np.float64)

    def _class_column(self, target_class, n_columns):
        labels = list(self.classes) if self.classes is not None else list(range(n_columns))
        shown = [plain_value(label) for label in labels]  # 'setosa', not np.str_('setosa')
        if target_class is None:
            raise ValueError(f"This model has {n_columns} classes; pass target_class=<one of {shown}>.")
        position = label_position(labels, target_class)
        if position is not None:
            return position
        raise ValueError(f"target_class={plain_value(target_class)!r} is not one of the model's classes "
                         f"{shown}.")

    def to_text(self, max_bins=20, max_terms=None):
        """The readable text of :func:`str`, with its limits chosen.

        Parameters
        ----------
        max_bins : int or None, default=20
            Value rows shown per term (first and last ones; missing and unseen
            bins always); ``None`` shows every bin.
        max_terms : int or None, default=None
            Terms shown, most important first; ``None`` shows all.
        """
        lines = [self._header(), *self._preamble_lines(), ""]
        terms, shortened, more = self._shown_terms(max_bins, max_terms, "_text")
        for term_text in terms:
            lines += [term_text, ""]
        lines += [more] if more else []
        text = "\n".join(lines).rstrip()
        if shortened:
            text += "\n" + _SHORTENED_NOTE
        return text

    def _preamble_lines(self):
        """The lines above the terms: weights, intercept, units, relativities, band and edits."""
        base = np.atleast_1d(self.base_value)
        lines = [*self.weight_notes(), f"intercept: {', '.join(format_number(b) for b in base)}", self._units_line()]
        if self.link.name == "log":
            lines += [f"base rate exp(intercept): {format_number(float(np.exp(base[0])))}",
                      "relativity = exp(score) multiplies the predicted mean (a term's relativities average 1 "
                      "over the training rows)"]
        if self.band is not None and any(t.lower is not None for t in self.terms):
            lines.append(f"lower/upper bands (to_frame()): {self.band}")
        if self.edits:
            # a score typed into the file is kept as typed: only the methods' edits re-centre
            typed = any(edit.action == "file" for edit in self.edits)
            how = ("shapes edited by the model's methods re-centred, the shift moved to the intercept; scores edited "
                   "in the file as typed" if typed else "edited shapes re-centred, the shift moved to the intercept")
            lines.append(f"edited after fitting ({len(self.edits)} edit{'s' if len(self.edits) > 1 else ''}, in order; "
                         f"{how}; edited terms have no band):")
            lines += [f"  {i}. {edit.summary(self.classes)}" for i, edit in enumerate(self.edits, 1)]
        return lines

    def _shown_terms(self, max_bins, max_terms, render):
        """``(rendered terms, shortened, more-terms line or None)``: the terms most important first, each
        rendered by the :class:`ShapeTerm` method named ``render`` (``"_text"`` or ``"_html"``)."""
        check_limit(max_bins, "max_bins")
        check_limit(max_terms, "max_terms")
        order = np.argsort(-self.importances, kind="stable")
        shown = order if max_terms is None else order[:max_terms]
        names = self.term_names
        rendered, shortened = [], len(shown) < len(order)
        for i in shown:
            term, term_shortened = getattr(self.terms[i], render)(self.classes, max_bins, names[i],
                                                                  self.edits_of(names[i]), self.link.name == "log")
            rendered.append(term)
            shortened = shortened or term_shortened
        more = f"... {count_text(len(order) - len(shown), 'more term')}" if len(shown) < len(order) else None
        return rendered, shortened, more

    def __str__(self):
        return self.to_text()

    def _repr_html_(self, max_bins=20, max_terms=None):
        """The text of :meth:`to_text` as HTML: its lines as paragraphs and each term as a captioned table
        (bins heading the rows), which a screen reader can follow."""
        terms, shortened, more = self._shown_terms(max_bins, max_terms, "_html")
        body = html_lines(self._preamble_lines()) + "".join(terms)
        return html_block(self._header(), body + html_lines([more, _SHORTENED_NOTE if shortened else None]))


_SHORTENED_NOTE = "(shortened: to_text(max_bins=None, max_terms=None) shows everything; to_frame() tabulates it)"
