"""Which class a card's or a rule list's figures are about, and the class weights they were fitted with.

A binary risk score or rule list describes the risk of one class, the event
(``pos_label``; ``classes[1]`` by default): its printout, table and JSON name it,
and so do its local explanations.

A model fitted with ``class_weight`` learns the risks of the reweighted sample
(with ``"balanced"``, a population where every class is equally common), not
the real-world rates: the printed card, the rule list, the shape functions and
the coefficient table, and the JSON handed to a scoring engine, say so, since
they are what a reader sees.
"""

from dataclasses import dataclass

import numpy as np

from ._render import class_text, format_number
from ._serialize import decode_array, decode_scalar, encode_array, encode_scalar, frozen_array
from ._equality import label_position  # one reading of "this label is that class" (True is not 1)

# What the local explanation of a card about classes[0] adds up to: the decision function, in
# scikit-learn's orientation (positive for classes[1]), is the card's total negated.
NEGATED_CARD_TOTAL = "-(SCORE + intercept)"


def event_class_index(pos_label, classes, estimator_name):
    """Position in ``classes`` of the event class ``pos_label`` (None: ``classes[1]``, the last).

    Binary targets only: a multiclass model has no single event, so a
    ``pos_label`` given with more classes is refused, as is a label that is not a class.
    """
    if pos_label is None:
        return len(classes) - 1
    shown = list(np.asarray(classes).tolist())
    if len(classes) != 2:
        raise ValueError(
            f"pos_label={pos_label!r} names the event of a binary target, but y has {len(classes)} classes "
            f"({shown}); leave pos_label=None (the list gives every class's probability), or reduce y to two classes."
        )
    position = label_position(classes, pos_label)
    if position is None:
        raise ValueError(
            f"pos_label={pos_label!r} is not a class of y (classes: {shown}); {estimator_name} describes the "
            f"risk of pos_label: pass one of the classes, e.g. pos_label={shown[0]!r}, or None for {shown[1]!r}."
        )
    return position


@dataclass(frozen=True, kw_only=True, eq=False)
class DescribesEventClass:
    """Mixin of explanations of binary models that describe the risk of one class, the event.

    ``pos_label`` is that class (None: ``classes[1]``, as in payloads written
    before it was recorded).  The decision function keeps scikit-learn's
    orientation whatever the event: it is positive for ``classes[1]``.
    """

    pos_label: object = None

    def __post_init__(self):
        super().__post_init__()
        self._settle_pos_label()

    def _settle_pos_label(self):
        """Check ``pos_label`` and hold the class's own label (a JSON payload gives a plain one back)."""
        if self.pos_label is None:
            return
        if self.classes is None:
            raise ValueError(f"pos_label={self.pos_label!r} names an event class, but this explanation of "
                             f"{self.model} has no classes (a regressor's): leave pos_label=None.")
        index = event_class_index(self.pos_label, self.classes, self.model)
        object.__setattr__(self, "pos_label", self.classes[index])

    @property
    def event_index(self):
        """Position of the event class in ``classes`` (1 when ``pos_label`` is None)."""
        if self.classes is None:
            return 1
        return event_class_index(self.pos_label, self.classes, self.model)

    @property
    def event_class(self):
        """The class whose risk the figures are (``pos_label``, else ``classes[1]``; "event" without classes)."""
        return "event" if self.classes is None else self.classes[self.event_index]

    def _event_payload(self):
        """``{"pos_label": ...}``, or nothing for the default event (older payloads read the same)."""
        return {} if self.pos_label is None else {"pos_label": encode_scalar(self.pos_label)}

    @staticmethod
    def _event_of_payload(payload):
        label = payload.get("pos_label")  # absent for the default event and in older payloads
        return None if label is None else decode_scalar(label)


def class_weight_factors(class_weight, y_codes, sample_weight, weights):
    """Each class's factor on its rows' weights, or None when ``class_weight`` changes nothing.

    Read back from the weights :func:`glassbox.utils.validation.apply_class_weight`
    returned (``weights = sample_weight * factor[y_codes]``), so the factors are
    the ones the fit used: each class's total weight over its total sample weight
    (1 for a class whose rows all weigh zero).
    """
    if class_weight is None:
        return None
    n_classes = int(y_codes.max()) + 1 if len(y_codes) else 0
    before = np.bincount(y_codes, weights=sample_weight, minlength=n_classes)
    after = np.bincount(y_codes, weights=weights, minlength=n_classes)
    factors = np.ones(n_classes)
    np.divide(after, before, out=factors, where=before > 0)
    return None if np.allclose(factors, 1.0, rtol=1e-12, atol=0) else factors


def sample_weighted(sample_weight):
    """True when the fit's row weights are not all 1 or 0: its counts are then sums of weights, not numbers of rows.

    A row of weight 0 is as good as absent (0/1 weights mask rows, as a fold
    or an exclusion does): the counts are then numbers of the other rows.
    """
    if sample_weight is None:
        return False
    weights = np.asarray(sample_weight)
    return not bool(np.all(weights[weights > 0] == 1))


def class_weight_text(classes, factors):
    """``class_weight {disease: 0.5, healthy: 2}``: each class's factor, as the notes print it."""
    shown = ", ".join(f"{class_text(c)}: {format_number(w)}" for c, w in zip(classes, factors))
    return f"class_weight {{{shown}}}"


@dataclass(frozen=True, kw_only=True, eq=False)
class FittedWithClassWeights:
    """Mixin of global explanations whose figures are those of a class-weighted sample.

    ``class_weights`` holds the factor each class's rows were weighted by, in the
    order of ``classes`` (None: fitted without class weights, or a payload written
    before they were recorded).  ``weighted_figures`` names the figures the
    weights change, in the kind's own words.  Kinds that also print counts take
    :class:`FittedWithWeightedCounts`.
    """

    class_weights: np.ndarray = None
    weighted_figures = "probabilities"
    equal_factors_effect = "the same factor on every class leaves the rates real"

    def __post_init__(self):
        super().__post_init__()
        if self.class_weights is not None:
            object.__setattr__(self, "class_weights", frozen_array(self.class_weights, np.float64))

    def weight_notes(self):
        """The lines a printout gives about the fit's weights."""
        return [line for line in (self.class_weight_note(),) if line]

    def class_weight_note(self):
        """One line saying the figures are those of the class-weighted sample (None without class weights)."""
        if self.class_weights is None:
            return None
        weighted = (f"{self.weighted_figures} are those of the class-weighted sample "
                    f"({class_weight_text(self.classes, self.class_weights)})")
        weights = self.class_weights
        if np.all(weights == weights[0]):  # the rates are real: nothing to refit for
            return f"{weighted}: {self.equal_factors_effect}"
        return f"{weighted}: {self._unequal_factors_effect()}; refit without class_weight for real-world rates"

    def _unequal_factors_effect(self):
        weights, labels = self.class_weights, [str(c) for c in self.classes]
        if len(labels) == 2:
            event = getattr(self, "event_index", 1)  # the class whose rate the figures are
            verb = "overstate" if weights[event] > weights[1 - event] else "understate"
            return f"they {verb} the real rate of {labels[event]}"
        return "they differ from the real rates: a class weighted more than the others is overstated"

    def _class_weights_payload(self):
        """``{"class_weights": ...}`` when set (older payloads read the same)."""
        return {} if self.class_weights is None else {"class_weights": encode_array(self.class_weights)}

    @staticmethod
    def _class_weights_of_payload(payload):
        """The ``class_weights`` keyword argument read from a payload."""
        weights = payload.get("class_weights")  # absent without class weights and in older payloads
        return {"class_weights": None if weights is None else decode_array(weights)}


@dataclass(frozen=True, kw_only=True, eq=False)
class FittedWithWeightedCounts(FittedWithClassWeights):
    """Mixin of global explanations that print counts (a card's counts, a rule's support) and may be class-weighted.

    ``sample_weighted`` is True when the fit's ``sample_weight`` was not all 1
    or 0 (:func:`sample_weighted`): the ``counted_figures`` are then sums of
    weights, not numbers of rows.  Either weighting heads a count "weighted
    count" (:attr:`counts_are_weights`).
    """

    sample_weighted: bool = False
    counted_figures = "counts"
    equal_factors_effect = "the same factor on every class scales the counts and leaves the rates real"

    @property
    def counts_are_weights(self):
        """True when the counts sum weights that are not all 1 (``sample_weight`` or ``class_weight``)."""
        return self.class_weights is not None or self.sample_weighted

    def sample_weight_note(self):
        """One line saying the counts are sums of sample weights (None when every row weighed 1)."""
        if not self.sample_weighted:
            return None
        # with class weights too, a row weighs its sample_weight times its class's factor (the line above it)
        weights = "sample_weight" if self.class_weights is None else "sample_weight times their class weight"
        return f"{self.counted_figures} are training weights (sums of the rows' {weights}), not numbers of rows"

    def weight_notes(self):
        """The lines a printout gives about the fit's weights: class weights, then sample weights."""
        return [line for line in (self.class_weight_note(), self.sample_weight_note()) if line]

    def _class_weights_payload(self):
        """``{"class_weights": ..., "sample_weighted": true}``, each only when set (older payloads read the same)."""
        payload = super()._class_weights_payload()
        return {**payload, "sample_weighted": True} if self.sample_weighted else payload

    @staticmethod
    def _class_weights_of_payload(payload):
        """``class_weights`` and ``sample_weighted`` keyword arguments read from a payload."""
        return {**FittedWithClassWeights._class_weights_of_payload(payload),
                "sample_weighted": bool(payload.get("sample_weighted", False))}
