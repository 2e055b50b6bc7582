"""What each term of a model reads of a row, as a local explanation carries it.

Reason codes name a term with the applicant's values of the features it
reads (``slope < 2 (slope = 3)``, ``rule 4: oldpeak >= 0.75 (oldpeak = 1.4)``)
and group terms by feature; a rule model's default reads none.  The features
come from the model's typed global form, so an explanation computed once and
kept (``reference=model.explain_local(X_train)``, a JSON payload) gives the same
reasons as the model itself.  A risk score's explanation also carries the card's
conditions a missing value left unearned, which its reasons name.
"""

import numpy as np

from ._columns import RawColumns, is_missing

__all__ = ["term_features_of", "check_features_read", "flag_features_of", "features_from_names",
           "check_term_features", "unearned_missing_of", "unearned_missing", "check_unearned_missing", "encode_unearned_missing"]


def term_features_of(overall, term_names, feature_names):
    """The features each term reads, from the model's global explanation ``overall`` (its typed terms).

    A tuple with one tuple of feature names per term of ``term_names``: a
    GAM's term its feature or pair, a linear term or a scorecard condition its
    feature, a rule its conditions' features (in order, once each) and a rule
    model's default ``()``.  A form of another kind, or one whose terms do not
    match ``term_names``, falls back to :func:`features_from_names`.
    """
    features = _typed_term_features(overall)
    if features is None or len(features) != len(term_names):
        return features_from_names(term_names, feature_names)
    return tuple(tuple(dict.fromkeys(map(str, f))) for f in features)  # a rule's features once each, in order


def _typed_term_features(overall):
    """The features each of ``overall``'s typed terms reads, as written in them (a list of tuples), or None
    for a form of another kind; a rule model's default is the last term and reads none."""
    from .linear import CoefficientTable
    from .rules import _DecidingRules
    from .scorecard import Scorecard
    from .shapes import ShapeFunctions

    if isinstance(overall, ShapeFunctions):
        return [t.features for t in overall.terms]
    if isinstance(overall, CoefficientTable):
        return [(t.feature,) for t in overall.terms]
    if isinstance(overall, Scorecard):
        return [(c.feature,) for c in overall.conditions]
    if isinstance(overall, _DecidingRules):
        return [tuple(c.feature for c in r.conditions) for r in overall.rules] + [()]
    return None


def check_features_read(overall):
    """Refuse a model whose terms (or its record of training values) read a feature that is not among its
    ``feature_names``: predicting would fail on the first row, or read an undeclared column of a wider frame.

    One check for every kind of model: the features come from the typed terms
    (:func:`term_features_of`'s source) and ``training_values``.  ValueError
    naming the term and the feature.
    """
    typed = _typed_term_features(overall) or []
    read = [(f"term {i + 1}", features) for i, features in enumerate(typed)]
    read += [(f"training_values entry {i + 1}", (seen.feature,))
             for i, seen in enumerate(getattr(overall, "training_values", None) or ())]
    for where, features in read:  # first the names' type: a term's name is made of them
        for feature in features:
            if not isinstance(feature, str):
                raise ValueError(f"{where} names the feature {feature!r} (a {type(feature).__name__}), where "
                                 "feature names are strings among the feature_names")
    names = overall.term_names
    if len(names) == len(typed):
        read[:len(typed)] = [(f"{where} ({name!r})", features) for (where, features), name in zip(read, names)]
    declared = set(overall.feature_names)
    for where, features in read:
        for feature in features:
            if feature not in declared:
                raise ValueError(f"{where} reads the feature {feature!r}, which is not among the feature_names "
                                 f"{list(overall.feature_names)[:20]}; a term can read only a declared feature")


def flag_features_of(overall):
    """The features ``overall`` was fitted on as flags (boolean columns in training).

    Its ``flag_features``: a loaded model then records 0/1 given for such a
    feature as False / True, as its estimator does.  A form written before
    they were recorded names those its terms read as flags: a GAM's boolean
    bins, a linear model's boolean terms and a card's conditions at ``True``.
    """
    from .linear import CoefficientTable
    from .scorecard import Scorecard
    from .shapes import ShapeFunctions

    if overall.flag_features:
        return frozenset(overall.flag_features)
    if isinstance(overall, ShapeFunctions):
        return frozenset(b.feature for t in overall.terms for b in t.bins if b.boolean)
    if isinstance(overall, CoefficientTable):
        return frozenset(t.feature for t in overall.terms if t.boolean)
    if isinstance(overall, Scorecard):
        return frozenset(c.feature for c in overall.conditions if c.on_boolean)
    return frozenset()


def rule_features(conditions):
    """The features a rule's conditions read, in order, each once."""
    return tuple(dict.fromkeys(str(c.feature) for c in conditions))


def features_from_names(term_names, feature_names):
    """A term named by a feature reads that feature; the others' are not known (None)."""
    names = set(feature_names)
    return tuple((name,) if name in names else None for name in term_names)


def check_term_features(term_features, n_terms):
    """``term_features`` as a tuple (one entry per term: a tuple of feature names, or None when unknown)."""
    if term_features is None:
        return None
    if isinstance(term_features, str):
        raise TypeError("term_features is one tuple of feature names per term, not a string.")
    checked = tuple(None if f is None else tuple(str(name) for name in f) for f in term_features)
    if len(checked) != n_terms:
        raise ValueError(f"term_features has {len(checked)} entries for {n_terms} terms; pass one tuple of "
                         "feature names per term (() for a term that reads none, such as a rule model's default).")
    return checked


def unearned_missing_of(overall, X, n_terms):
    """For a risk score's scorecard ``overall``, :func:`unearned_missing` of its card for the rows of ``X``;
    None for other models' forms."""
    from .scorecard import Scorecard

    if not isinstance(overall, Scorecard) or len(overall.conditions) != n_terms:
        return None
    return unearned_missing(overall.conditions, overall.points, overall.feature_names, X)


def unearned_missing(conditions, points, feature_names, X):
    """Per row of ``X``, the card's ``conditions`` (with their ``points``) a missing value left unearned:
    ``(condition, feature, points)`` each (the condition's text, its feature, the points it would have earned).
    A missing value meets no condition but ``is missing``, so it is scored as not meeting them, whichever side
    that favours."""
    columns = RawColumns(X, feature_names)
    # the condition a missing value meets ("is missing") is earned; each other condition's text is written once
    kept = [(str(condition), condition.feature, int(condition_points))
            for condition, condition_points in zip(conditions, points) if condition.op != "is missing"]
    unearned = [()] * columns.n_samples
    if kept:
        missing_of = {feature: is_missing(columns.column(feature)) for feature in {f for _, f, _ in kept}}
        missing = np.column_stack([missing_of[feature] for _, feature, _ in kept])
        for i in np.flatnonzero(missing.any(axis=1)):
            unearned[i] = tuple(entry for entry, hit in zip(kept, missing[i]) if hit)
    return tuple(unearned)


def check_unearned_missing(unearned_missing, n_rows):
    """``unearned_missing`` as tuples of ``(condition, feature, points)``, one entry per row (None stays None)."""
    if unearned_missing is None:
        return None
    unearned = tuple(tuple((str(c), str(f), int(p)) for c, f, p in row) for row in unearned_missing)
    if len(unearned) != n_rows:
        raise ValueError(f"unearned_missing has {len(unearned)} entries for {n_rows} explained rows; pass one "
                         "tuple of (condition, feature, points) per row (() for a row with none).")
    return unearned


def encode_unearned_missing(unearned_missing):
    """``unearned_missing`` as JSON: one list of ``[condition, feature, points]`` per row (None stays None)."""
    if unearned_missing is None:
        return None
    return [[list(entry) for entry in row] for row in unearned_missing]
