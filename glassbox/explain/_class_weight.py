"""Class weights a model was fitted with: the note its card or rule list carries wherever its figures are read.

A model fitted with ``class_weight`` learns the risks of the reweighted sample
(with ``"balanced"``, a population where every class is equally common), not
the real-world rates: the printed card, the rule list and the JSON handed to a
scoring engine say so, since they are what a reader sees.
"""

from dataclasses import dataclass

import numpy as np

from ._render import format_number
from ._serialize import decode_array, encode_array, frozen_array


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


@dataclass(frozen=True, kw_only=True, eq=False)
class FittedWithClassWeights:
    """Mixin of global explanations whose figures are those of a class-weighted sample.

    ``class_weights`` holds the factor each class's rows were weighted by, in the
    order of ``classes`` (None: fitted without class weights, or a payload written
    before they were recorded).  ``weighted_figures`` names the figures the
    weights change, in the kind's own words.
    """

    class_weights: np.ndarray = None
    weighted_figures = "probabilities"

    def __post_init__(self):
        super().__post_init__()
        if self.class_weights is not None:
            object.__setattr__(self, "class_weights", frozen_array(self.class_weights, np.float64))

    def class_weight_note(self):
        """One line saying the figures are those of the class-weighted sample (None without class weights)."""
        if self.class_weights is None:
            return None
        labels = [str(c) for c in self.classes]
        factors = ", ".join(f"{c}: {format_number(w)}" for c, w in zip(labels, self.class_weights))
        return (
            f"{self.weighted_figures} are those of the class-weighted sample (class_weight {{{factors}}}): "
            f"{self._class_weight_effect(labels)}; refit without class_weight for real-world rates"
        )

    def _class_weight_effect(self, labels):
        weights = self.class_weights
        if np.all(weights == weights[0]):
            return "the same factor on every class scales the counts and leaves the rates real"
        if len(labels) == 2:
            if weights[1] > weights[0]:
                return f"they overstate the real rate of {labels[1]}"
            return f"they understate the real rate of {labels[1]}"
        return "they differ from the real rates: a class weighted more than the others is overstated"

    def _class_weights_payload(self):
        """``{"class_weights": ...}``, or nothing without class weights (older payloads read the same)."""
        return {} if self.class_weights is None else {"class_weights": encode_array(self.class_weights)}

    @staticmethod
    def _class_weights_of_payload(payload):
        weights = payload.get("class_weights")  # absent without class weights and in older payloads
        return None if weights is None else decode_array(weights)
