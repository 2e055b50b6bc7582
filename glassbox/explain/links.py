"""Link functions: how a model's decision function becomes its output.

Every glassbox model computes a *decision function* (an additive score) and
maps it to its output with one of four links:

``identity``
    regression; the prediction is the decision function.
``logit``
    binary classification; ``P(class 1) = expit(decision / scale)``.  Risk
    scores use ``scale`` (their multiplier) so that the decision function stays
    the integer point total.
``softmax``
    multiclass; one decision column per class.
``log``
    regression of a positive mean (counts, amounts: a GAM's Poisson, Gamma
    and Tweedie losses); the decision function is the log of the predicted
    mean, ``prediction = exp(decision)``, so each term multiplies it.
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, log_expit, log_softmax, softmax

LINK_NAMES = ("identity", "logit", "softmax", "log")
_CLASSIFICATION_LINKS = ("logit", "softmax")


@dataclass(frozen=True)
class Link:
    """Map a decision function to probabilities or values.

    Parameters
    ----------
    name : {"identity", "logit", "softmax", "log"}
        The link's name.
    scale : float, default=1.0
        Positive divisor applied to the decision function before the inverse
        link (only meaningful for ``logit``).

    Examples
    --------
    >>> from glassbox.explain import Link
    >>> Link("logit").inverse([0.0, 2.0]).round(3)  # P(classes[0]), P(classes[1]) per row
    array([[0.5  , 0.5  ],
           [0.119, 0.881]])
    >>> Link("logit").predict_index([-1.0, 0.5])
    array([0, 1])
    >>> Link("log").inverse([0.0, 1.0]).round(3)  # a count model's mean
    array([1.   , 2.718])
    """

    name: str
    scale: float = 1.0

    def __post_init__(self):
        if self.name not in LINK_NAMES:
            raise ValueError(f"Unknown link {self.name!r}; expected one of {LINK_NAMES}.")
        if not (self.scale > 0 and np.isfinite(self.scale)):
            raise ValueError(f"The link scale must be a positive finite number, got {self.scale!r}.")

    @property
    def is_classification(self):
        return self.name in _CLASSIFICATION_LINKS

    def inverse(self, decision):
        """Return class probabilities ``(n_samples, n_classes)`` or values (``exp(decision)`` for ``log``)."""
        decision = np.asarray(decision, dtype=np.float64)
        if self.name == "identity":
            return decision
        if self.name == "log":
            return np.exp(decision)
        if self.name == "logit":
            p1 = expit(decision / self.scale)
            return np.column_stack([1.0 - p1, p1])
        return softmax(decision, axis=1)

    def log_inverse(self, decision):
        """Return log-probabilities, computed stably."""
        decision = np.asarray(decision, dtype=np.float64)
        if self.name == "logit":
            z = decision / self.scale
            return np.column_stack([log_expit(-z), log_expit(z)])
        if self.name == "softmax":
            return log_softmax(decision, axis=1)
        raise ValueError("log_inverse is only defined for classification links.")

    def predict_index(self, decision):
        """Index of the predicted class for each row (classification links)."""
        decision = np.asarray(decision, dtype=np.float64)
        if self.name == "logit":
            return (decision > 0).astype(np.intp)
        if self.name == "softmax":
            return np.argmax(decision, axis=1)
        raise ValueError("predict_index is only defined for classification links.")

    def to_dict(self):
        return {"name": self.name, "scale": float(self.scale)}

    @classmethod
    def from_dict(cls, payload):
        return cls(name=payload["name"], scale=float(payload["scale"]))


def link_for_classes(n_classes, scale=1.0):
    """The natural link for a classifier with ``n_classes`` classes."""
    if n_classes < 2:
        raise ValueError("A classifier needs at least two classes.")
    return Link("logit", scale) if n_classes == 2 else Link("softmax")
