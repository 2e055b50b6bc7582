"""Values a feature never had in training: what a saved model needs to warn about them as its estimator does.

A model saved as its global explanation (JSON) recomputes predictions from the
explanation alone; it keeps, per feature it reads, whether training had missing
values and which categories it saw, so that a new level or a new missing value
(a category sent as text where integers were fitted, say) draws the estimator's
warning instead of a silent zero contribution.
"""

from dataclasses import dataclass

import numpy as np

from ._columns import RawColumns, is_missing
from ._equality import same_fields
from ._serialize import decode_array, encode_array, frozen_array

#: What a row with a value the rules' feature never had in training gets (the estimators' wording).
UNTRAINED_VALUE_EFFECT = "they satisfy no condition on it, so no rule that tests it fires for them"


def warn_untrained_values(feature, unexpected_missing, unseen_values, effect=UNTRAINED_VALUE_EFFECT,
                          unseen_effect=None, trained=None):
    """The warnings about values a feature never had in training (``effect``: what such rows get;
    ``unseen_effect``, if given, for unseen levels instead).

    ``unexpected_missing``: the feature has missing values now but had none in
    training; ``unseen_values``: the categories not seen in training (empty if
    none); ``trained``: the training levels, to name those the unseen values
    spell another way (``1`` for ``'1'``).  One ``UserWarning`` each, worded
    by the shared helpers of :mod:`glassbox.utils.binning`, pointing at the
    user's line; none inside
    :func:`~glassbox.utils.validation.untrained_values_already_warned`.
    """
    import warnings

    # Imported here: glassbox.utils.binning imports this package at its own import.
    from ..utils.binning import (
        respelled_levels_hint, unseen_categories_message, user_stacklevel, warn_missing_not_in_training,
    )
    from ..utils.validation import warns_of_untrained_values

    if not warns_of_untrained_values():
        return
    if unexpected_missing:
        warn_missing_not_in_training(feature, effect)
    if len(unseen_values):
        message = unseen_categories_message(feature, unseen_values)
        hint = respelled_levels_hint(feature, unseen_values, trained)
        warnings.warn(f"{message}; {unseen_effect or effect}.{hint}", UserWarning, stacklevel=user_stacklevel())


@dataclass(frozen=True)
class TrainingValues:
    """What one feature a model reads held in training, so a saved model warns as the estimator does.

    A value missing in a feature that had no missing value in training, or a
    category not seen in training, satisfies no condition on the feature:
    every rule testing it fails for that row, silently unless someone says so.

    Attributes
    ----------
    feature : str
    had_missing : bool
        Whether training rows (of positive weight) had missing values in it.
    categories : ndarray of object or None
        The levels seen in training (categorical features); None for numeric ones.
    """

    feature: str
    had_missing: bool
    categories: np.ndarray = None

    def __post_init__(self):
        object.__setattr__(self, "had_missing", bool(self.had_missing))
        if self.categories is not None:
            levels = np.empty(len(self.categories), dtype=object)
            levels[:] = list(self.categories)
            object.__setattr__(self, "categories", frozen_array(levels))

    def untrained(self, values):
        """``(unexpected_missing, unseen_values)`` of a raw column (see :func:`warn_untrained_values`)."""
        missing = is_missing(values)
        unexpected_missing = bool(not self.had_missing and missing.any())
        if self.categories is None:
            return unexpected_missing, values[:0]
        present = np.asarray(values, dtype=object)[~missing]
        return unexpected_missing, present[~_is_level_of(present, self.categories)]

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return same_fields(self, other)

    __hash__ = None

    def to_dict(self):
        return {
            "feature": self.feature,
            "had_missing": self.had_missing,
            "categories": None if self.categories is None else encode_array(self.categories, levels_of=self.feature),
        }

    @classmethod
    def from_dict(cls, payload):
        categories = payload["categories"]
        levels = None if categories is None else decode_array(categories)
        # a JSON object or list among the levels is no level to_json() writes (nor could write again)
        odd = [] if levels is None else [level for level in levels.tolist() if isinstance(level, (dict, list))]
        if odd:
            raise ValueError(f"the training levels of {payload['feature']!r} hold {odd[0]!r:.80}, which is not a "
                             "category level (a string, number, bool, bytes or interval)")
        return cls(payload["feature"], payload["had_missing"], levels)


def _is_level_of(values, levels):
    """Bool per value: equal to one of ``levels`` (as ``x == level`` conditions compare)."""
    try:
        import pandas as pd

        index = pd.Index(levels, dtype=object)
        if index.is_unique:
            return index.get_indexer(values) >= 0
    except (ImportError, TypeError, ValueError):  # unhashable or exotic levels: the plain comparison
        pass
    return np.array([any(v == level for level in levels) for v in values], dtype=bool)



def training_values_of(binner, features, had_missing):
    """:class:`TrainingValues` of ``features`` (indices into ``binner.bins_``); ``had_missing[j]``: whether
    training rows of positive weight had feature ``j`` missing."""
    return tuple(
        TrainingValues(binner.bins_[j].feature, had_missing[j],
                       binner.bins_[j].categories if binner.bins_[j].kind == "categorical" else None)
        for j in features
    )


def warn_untrained_codes(binner, table, codes, features, had_missing, effect=UNTRAINED_VALUE_EFFECT,
                         unseen_effect=None):
    """The warnings of :func:`warn_untrained_values` for ``features``, read from ``binner``'s bin ``codes`` of
    ``table`` (a missing value lands in the missing bin, an unseen level in the unseen bin), feature by feature
    in order, as a saved model's :meth:`WarnsOfUntrainedValues.term_contributions` gives them."""
    for j in features:
        bins, column = binner.bins_[j], codes[:, j]
        unexpected_missing = not had_missing[j] and bool(np.any(column == bins.missing_bin))
        categorical = bins.kind == "categorical"
        unseen = table.categorical[j][column == bins.unseen_bin] if categorical else ()
        warn_untrained_values(bins.feature, unexpected_missing, unseen, effect, unseen_effect,
                              trained=bins.categories if categorical else None)

@dataclass(frozen=True, kw_only=True, eq=False)
class WarnsOfUntrainedValues:
    """Mixin of global explanations that warn, as their estimator does, of values unseen in training.

    ``training_values`` holds a :class:`TrainingValues` per feature the model
    reads; None (payloads written before they were recorded): no warning.
    ``untrained_value_effect`` words what such rows get from the model
    (``unseen_level_effect``, if not None, for unseen levels instead).
    """

    training_values: tuple = None
    untrained_value_effect = UNTRAINED_VALUE_EFFECT
    unseen_level_effect = None

    def __post_init__(self):
        super().__post_init__()
        if self.training_values is not None:
            object.__setattr__(self, "training_values", tuple(self.training_values))

    def term_contributions(self, X):
        """Per-term contributions; warns, as the estimator does, of values its features never had in training."""
        columns = X if isinstance(X, RawColumns) else RawColumns(X, self.feature_names)
        self._warn_of_untrained_values(columns)
        return self._contributions(columns)

    def _warn_of_untrained_values(self, columns):
        for seen in self.training_values or ():
            warn_untrained_values(seen.feature, *seen.untrained(columns.column(seen.feature)),
                                  effect=self.untrained_value_effect, unseen_effect=self.unseen_level_effect,
                                  trained=seen.categories)

    def _training_values_payload(self):
        """``{"training_values": [...]}``, or nothing when none were recorded (older payloads read the same)."""
        if self.training_values is None:
            return {}
        return {"training_values": [seen.to_dict() for seen in self.training_values]}

    @staticmethod
    def _training_values_of_payload(payload):
        seen = payload.get("training_values")  # absent in payloads written before it was recorded
        return None if seen is None else tuple(TrainingValues.from_dict(v) for v in seen)
