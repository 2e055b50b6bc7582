"""Reason codes for adverse decisions, read from a model's exact local explanations.

A lender who declines an applicant owes them the *principal reasons* for the
decision (US Regulation B, 12 CFR 1002.9(a)(2) and (b)(2)).  For a scoring
system its Official Staff Commentary (comment 9(b)(2)-5) prescribes no one
method: it names two that rank the factors where the applicant's points fall
furthest below the *average* points on that factor (of all applicants, or of
those who scored at or just above the passing score) and accepts any method
with substantially similar results.  Lenders also commonly compare with the
*maximum* points attainable on each factor.  Both are here:

- ``method="max"``: shortfall from the best contribution of each term over
  reference rows;
- ``method="mean"``: shortfall from the (weighted) mean contribution over
  reference rows (all applicants, or those just above the cut-off).

glassbox's models are additive in their decision function
(``base_value + contributions.sum(axis=1) == decision``), so a term's
contribution *is* its points, in the model's own units (log-odds, scorecard
points, log of the mean, ...).  The reference is computed from the same
``explain_local`` on rows the user passes, so every figure here is exactly
the model's.  Rule models are one-hot (the rule that fires carries the whole
decision): their reason is that rule, its shortfall the gap between the
reference's decision and the row's.

The rendering (text, tables, HTML) lives in :mod:`._reasons_render`.
"""

import dataclasses
import numbers
from dataclasses import dataclass

import numpy as np

from ._columns import RawColumns, plain_value
from ._equality import label_position, same_fields
from ._row_labels import row_labels_of, row_labels_unshown
from ._reasons_render import ReasonsRendering
from ._term_features import (
    check_term_features, features_from_names, flag_features_of, term_features_of, unearned_missing_of,
)
from ._serialize import (JsonText, decode_array, decode_scalar, encode_array, encode_scalar, frozen_array,
                         reads_report_payload)
from .base import GlobalExplanation
from .local import LocalExplanation
from .shapes import PAIR_SEPARATOR
from ._wrapped_models import wrapped_model_note

__all__ = ["ReasonCodes", "reason_codes"]

METHODS = ("max", "mean")
GROUPINGS = ("term", "feature")
REGRESSION_DIRECTIONS = ("higher", "lower")
# evenly spaced reference rows explained again to check that a reference explanation is the model's current one
_CHECKED_ROWS = 64


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)  # the repr is ReasonsRendering's one-line summary
class ReasonCodes(JsonText, ReasonsRendering):
    """The principal reasons for each explained row's decision, ranked, with their exact shortfalls.

    A *candidate* is a term of the model (``by="term"``) or the sum of the
    terms that read one feature (``by="feature"``).  For each row and
    candidate, ``shortfall = sign * (reference - contribution)``, where
    ``sign`` is +1 when a larger decision is good for the applicant and -1
    when it is adverse; a positive shortfall moves the decision toward the
    adverse outcome.  Candidates with a positive shortfall are the row's
    adverse factors; the ``n_reasons`` largest are its reasons.

    A risk score whose event is ``classes[0]`` (``pos_label``) is read in its
    card's own points toward the event (``orientation=-1``): its local
    explanation carries the points negated, adding up to the decision
    function ``-(SCORE + intercept)`` in scikit-learn's orientation, and the
    reasons negate them back, so ``contributions`` and ``reference`` are the
    points the card prints and ``decision`` is ``SCORE + intercept``.  The
    shortfalls are the same either way.

    Attributes
    ----------
    explanation : LocalExplanation
        The explained rows' local explanation (``explain_local(X)``).
    method : {"max", "mean"}
        ``"max"``: each candidate's reference is its best contribution over
        the reference rows; ``"mean"``: its (weighted) mean contribution.
    adverse : object
        The adverse outcome: a class label, or ``"higher"`` / ``"lower"``
        for a regressor.
    by : {"term", "feature"}
    names : tuple of str
        The candidates' names.
    features : tuple of (tuple of str or None)
        The features each candidate reads (``()``: none, such as a local
        surrogate's offset, never a reason; None: not known).
    reference : ndarray of shape (n_candidates,)
        Each candidate's reference contribution, in decision units.  For a
        rule model, the reference *decision* (same for every rule).
    contributions : ndarray of shape (n_rows, n_candidates)
        Each row's contribution of each candidate (the adverse class's column
        for a multiclass model; times ``orientation``).  For a rule model, the
        fired rule holds the row's decision and the other rules 0.
    shortfall : ndarray of shape (n_rows, n_candidates)
        How far each candidate moves the row toward the adverse outcome,
        compared with the reference (positive: adverse).
    ranked : ndarray of int, shape (n_rows, min(n_reasons, n_candidates))
        Each row's reasons, as candidate positions, largest shortfall first
        (ties: the model's term order); -1 fills the places of a row with
        fewer adverse candidates than ``n_reasons``.
    sign : int
        +1 when a larger (oriented) decision is good for the applicant, -1 otherwise.
    n_reference : int
        Reference rows that count (a positive weight).
    one_hot : bool
        True for rule models: the fired rule is the only candidate of a row.
    transformed_by : tuple of str or None
        For a pipeline's reasons, the names of the steps before the model:
        the values shown are the model's inputs after them (an imputed value
        shows as the value imputed).  None when the model read the rows as given.
    orientation : {1, -1}
        -1 for a risk score whose event is ``classes[0]``: ``contributions``,
        ``reference`` and ``decision`` are the explanation's negated, the card's
        own points toward its event; +1 otherwise.
    unearned_missing : tuple or None
        For a risk score, per explained row, the card's conditions a missing
        value left unearned: ``(condition, feature, points)`` each (the
        condition's text, its feature, the card's points it would have earned).
        A missing value meets no condition but ``is missing``, so it is scored
        as not meeting them, whichever side that favours; the text says so
        beside a reason it made and lists the others.  Read from the
        explanation (:attr:`LocalExplanation.unearned_missing`); None for
        other models.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from glassbox import SparseLinearClassifier, reason_codes
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"debt_ratio": rng.uniform(0, 1, 500), "years_employed": rng.uniform(0, 20, 500)})
    >>> y = np.where(2 * X.debt_ratio - 0.1 * X.years_employed + rng.logistic(size=500) > 0, "default", "repaid")
    >>> model = SparseLinearClassifier().fit(X, y)
    >>> codes = reason_codes(model, X.iloc[[0, 1]], reference=X, adverse="default", n_reasons=2)
    >>> codes.names
    ('debt_ratio', 'years_employed')
    >>> [[codes.names[i] for i in row] for row in codes.ranked]  # each row's reasons, worst first
    [['years_employed', 'debt_ratio'], ['debt_ratio', 'years_employed']]
    >>> codes.to_frame()[["rank", "reason", "shortfall"]].round(3)
       rank          reason  shortfall
    0     1  years_employed      1.363
    0     2      debt_ratio      0.812
    1     1      debt_ratio      0.344
    1     2  years_employed      0.184
    """

    explanation: LocalExplanation
    method: str
    adverse: object
    by: str
    names: tuple
    features: tuple
    reference: np.ndarray
    contributions: np.ndarray
    shortfall: np.ndarray
    ranked: np.ndarray
    sign: int
    n_reference: int
    one_hot: bool = False
    transformed_by: tuple = None
    orientation: int = 1

    def __post_init__(self):
        if self.transformed_by is not None:
            object.__setattr__(self, "transformed_by", tuple(str(step) for step in self.transformed_by))
        object.__setattr__(self, "names", tuple(str(n) for n in self.names))
        object.__setattr__(self, "features", tuple(None if f is None else tuple(map(str, f)) for f in self.features))
        for name in ("reference", "contributions", "shortfall"):
            # + 0.0 turns -0.0 (the best of negated zeros, a negated zero shortfall) into 0.0, which
            # tables and CSV files would otherwise print as "-0.0"
            object.__setattr__(self, name, frozen_array(np.asarray(getattr(self, name), np.float64) + 0.0))
        object.__setattr__(self, "ranked", frozen_array(self.ranked, np.int64))
        object.__setattr__(self, "sign", int(self.sign))
        object.__setattr__(self, "n_reference", int(self.n_reference))
        if self.orientation not in (1, -1):
            raise ValueError(f"orientation must be 1 or -1, got {self.orientation!r}.")
        object.__setattr__(self, "orientation", int(self.orientation))
        n_rows, n_candidates = len(self.explanation), len(self.names)
        for name in ("contributions", "shortfall"):
            if getattr(self, name).shape != (n_rows, n_candidates):
                raise ValueError(f"{name} has shape {getattr(self, name).shape}; expected ({n_rows}, {n_candidates}): "
                                 "one row per explained row, one column per candidate.")
        if self.reference.shape != (n_candidates,) or len(self.features) != n_candidates:
            raise ValueError("reference and features need one entry per candidate.")
        if self.ranked.shape[0] != n_rows or np.any(self.ranked >= n_candidates) or np.any(self.ranked < -1):
            raise ValueError("ranked holds, per explained row, candidate positions or -1.")
        if not isinstance(self.one_hot, (bool, np.bool_)):
            raise TypeError(f"one_hot is True or False (whether the reasons are a rule model's), got {self.one_hot!r}.")
        if self.one_hot and self.explanation.decision_path is None:  # the printout names the rule of each reason
            raise ValueError("one_hot reasons are a rule model's, read from its explanation's decision_path, which "
                             "is missing.")
        if self.sign not in (1, -1):
            raise ValueError(f"sign must be 1 or -1, got {self.sign!r}.")

    @property
    def unearned_missing(self):
        """For a risk score, per explained row, the card's conditions a missing value left unearned (the
        explanation's :attr:`~LocalExplanation.unearned_missing`); None for other models."""
        return self.explanation.unearned_missing

    # -- serialisation: a decision's reasons are kept with the decision ---------------------------
    def to_dict(self):
        """JSON-safe dict, the explanation of the rows included (``ReasonCodes.from_dict`` reads it back)."""
        return {
            "kind": "reason_codes",
            "explanation": self.explanation.to_dict(),
            "method": self.method,
            "adverse": encode_scalar(self.adverse),
            "by": self.by,
            "names": list(self.names),
            "features": [None if f is None else list(f) for f in self.features],
            "reference": encode_array(self.reference),
            "contributions": encode_array(self.contributions),
            "shortfall": encode_array(self.shortfall),
            "ranked": encode_array(self.ranked),
            "sign": self.sign,
            "n_reference": self.n_reference,
            "one_hot": self.one_hot,
            **({} if self.transformed_by is None else {"transformed_by": list(self.transformed_by)}),
            **({} if self.orientation == 1 else {"orientation": self.orientation}),  # older payloads: +1
        }

    @classmethod
    @reads_report_payload("reason_codes", "a reason-code table")
    def from_dict(cls, payload):
        """The reason codes written by ``to_dict``."""
        explanation = LocalExplanation.from_dict(payload["explanation"])
        if explanation.unearned_missing is None and payload.get("unearned_missing") is not None:
            # written when the reason codes, not yet their explanation, carried a card's unearned conditions
            explanation = dataclasses.replace(explanation, unearned_missing=payload["unearned_missing"])
        return cls(
            explanation=explanation,
            method=payload["method"], adverse=decode_scalar(payload["adverse"]), by=payload["by"],
            names=tuple(payload["names"]),
            features=tuple(None if f is None else tuple(f) for f in payload["features"]),
            reference=decode_array(payload["reference"]), contributions=decode_array(payload["contributions"]),
            shortfall=decode_array(payload["shortfall"]), ranked=decode_array(payload["ranked"]),
            sign=payload["sign"], n_reference=payload["n_reference"], one_hot=payload["one_hot"],
            transformed_by=payload.get("transformed_by"), orientation=payload.get("orientation", 1),
        )

    def __eq__(self, other):
        if not isinstance(other, ReasonCodes):
            return NotImplemented
        return same_fields(self, other)

    __hash__ = None

    def __len__(self):
        return self.contributions.shape[0]

    @property
    def reference_decision(self):
        """The decision of the reference profile: base value plus every candidate's reference contribution.

        ``sign * (reference_decision - decision)`` equals the sum of a row's
        shortfalls over all candidates (for a rule model, its one shortfall).
        With ``method="max"`` on an additive model whose terms read separate
        features, it is the best decision attainable from values in the
        reference.
        """
        if self.one_hot:
            return float(self.reference[0]) if self.reference.size else float("nan")
        base = self.orientation * float(_adverse_column(self.explanation.base_value, self._column))
        return base + float(self.reference.sum())

    @property
    def decision(self):
        """Each row's decision function (for a multiclass model the adverse class's column minus the mean of the
        classes' columns; for a card about ``classes[0]``, ``orientation=-1``, its ``SCORE + intercept``, the
        decision function negated)."""
        return self.orientation * _adverse_column(self.explanation.decision, self._column)

    @property
    def _column(self):
        classes = self.explanation.classes
        if self.explanation.contributions.ndim == 3:
            return _class_position(classes, self.adverse)
        return None


def reason_codes(model, X, *, reference, adverse, method="max", n_reasons=4, by="term", sample_weight=None,
                 allow_approximate=False):
    """The principal reasons for each row's decision, from the model's exact local explanations.

    Each term's contribution to the decision function is compared with a
    reference: its best contribution over the reference rows
    (``method="max"``) or its mean (``method="mean"``: the methods of comment
    9(b)(2)-5 to US Regulation B, with reference rows of all applicants or of
    those scoring at or just above the cut-off).  The terms that move the decision furthest
    toward the adverse outcome are the row's reasons.  Contributions come from
    ``model.explain_local`` on ``X`` and on ``reference``, so reasons and
    shortfalls are exactly the model's, in its decision units.

    Parameters
    ----------
    model : fitted glassbox estimator, Pipeline, search, loaded model or LocalSurrogate
        GAMs, sparse linear models and risk scores (additive terms), rule
        lists and decision sets (the fired rule is the reason), distilled
        copies (their student's reasons, labelled with the copy's fidelity).
        A fitted ``Pipeline`` whose last step is one of them gives that
        step's reasons on the rows transformed by the steps before it (the
        values shown are the transformed ones, e.g. imputed; name its columns
        with ``set_output(transform="pandas")``; a reference explanation is
        the last step's, of the transformed rows); a fitted ``GridSearchCV`` /
        ``RandomizedSearchCV`` its ``best_estimator_``'s.  A model loaded with
        :func:`glassbox.from_json` (a GAM's shape functions, a coefficient
        table, a scorecard) gives the same reasons as its estimator; a loaded
        rule model is refused (keep its estimator: the reasons need the
        decision path).  A :class:`~glassbox.surrogate.LocalSurrogate` gives
        approximate explanations: refused unless ``allow_approximate=True``.
    X : array-like or DataFrame of shape (n_samples, n_features)
        The rows to explain (e.g. the declined applicants).  A DataFrame's
        index labels the rows.
    reference : array-like, DataFrame or LocalExplanation
        Rows with the model's columns that define the reference (usually the
        training rows, or the approved applicants), or their
        ``model.explain_local(...)`` computed once and reused while the model
        is unchanged (after an edit such as ``remove_terms`` or
        ``use_scorecard`` it is refused: some of its rows are explained again
        and must give the same contributions).
    adverse : object
        Which outcome is bad for the applicant, with no default: a class label
        of ``model.classes_`` for a classifier (``"default"``, ``1``; for a
        multiclass model, the adverse class's column is read), ``"higher"``
        or ``"lower"`` for a regressor (e.g. ``"higher"`` for a predicted
        loss).
    method : {"max", "mean"}, default="max"
        ``"max"``: shortfall from the best contribution observed in the
        reference; ``"mean"``: from the (weighted) mean contribution.
    n_reasons : int, default=4
        Reasons per row, at most; a row has fewer when fewer candidates are
        adverse (a shortfall of 0 or less is never a reason).
    by : {"term", "feature"}, default="term"
        ``"term"``: each model term is a candidate.  ``"feature"``: the terms
        reading the same feature are summed first (a categorical's levels, a
        linear model's steps, a scorecard's conditions on one feature), and the
        reference is taken of the sum; a pair term stays a candidate of its
        own, named by the pair.  Rule models are unaffected.
    sample_weight : array-like of shape (n_reference,), default=None
        Weights of the reference rows: the mean is weighted, and rows of zero
        weight are left out of the maximum.
    allow_approximate : bool, default=False
        Accept approximate explanations (a local surrogate's): their reasons
        are those of per-row approximations, not of the model.

    Returns
    -------
    ReasonCodes
        ``str()`` for a letter-ready list per row, ``to_frame()`` for a table
        (indexed like ``X``), ``_repr_html_`` for notebooks.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from glassbox import SparseLinearClassifier
    >>> from glassbox.explain import reason_codes
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"debt_ratio": rng.uniform(0, 1, 500), "years_employed": rng.uniform(0, 20, 500)})
    >>> y = np.where(2 * X.debt_ratio - 0.1 * X.years_employed + rng.logistic(size=500) > 0, "default", "repaid")
    >>> model = SparseLinearClassifier().fit(X, y)
    >>> codes = reason_codes(model, X.iloc[[0, 1]], reference=X, adverse="default", n_reasons=2)
    >>> print(codes)
    Reason codes of SparseLinearClassifier: adverse outcome 'default'
    each term against its best contribution over 500 reference rows
    contributions add up to log-odds of repaid; shortfalls are measured toward 'default'
    row 0: predicted 'default'
      1. years_employed = 1.626: 1.363 log-odds toward 'default' compared with the best (this row +0.121, best +1.484)
      2. debt_ratio = 0.637: 0.812 log-odds toward 'default' compared with the best (this row -0.812, best 0)
    row 1: predicted repaid
      1. debt_ratio = 0.2698: 0.344 log-odds toward 'default' compared with the best (this row -0.344, best 0)
      2. years_employed = 17.5: 0.184 log-odds toward 'default' compared with the best (this row +1.299, best +1.484)
    >>> codes.to_frame()[["rank", "reason", "value", "shortfall"]].round(3)
       rank          reason   value  shortfall
    0     1  years_employed   1.626      1.363
    0     2      debt_ratio   0.637      0.812
    1     1      debt_ratio  0.2698      0.344
    1     2  years_employed    17.5      0.184

    The shortfalls of all terms add up to the gap between the reference
    profile's decision and the row's, in the adverse direction:

    >>> total = codes.shortfall.sum(axis=1)
    >>> bool(np.allclose(total, codes.sign * (codes.reference_decision - codes.decision), rtol=1e-12))
    True
    """
    _check_allow_approximate(allow_approximate)
    given = X
    if reference is None or np.ndim(reference) == 0 and not isinstance(reference, LocalExplanation):
        # a label where rows belong (reference="good", the approved class) failed inside the model's input check
        raise TypeError(
            f"reference={reference!r} is not rows: pass the rows that define the reference (usually the training "
            "rows, or approved applicants), with the model's columns, or their LocalExplanation. The adverse "
            "class is given by adverse=."
        )
    model, X, reference, steps = _final_estimator(model, X, reference)
    _check_fitted(model)
    explanation = _explain(model, X)
    if steps is not None and explanation.row_labels is None:  # the steps gave an array: the labels are the input's
        labels, label_names = row_labels_of(given)
        if labels is not None:
            explanation = dataclasses.replace(explanation, row_labels=labels, row_label_names=label_names)
    student = _is_distilled(model)
    if explanation.approximate and not (student or allow_approximate):
        raise ValueError(_approximate_message(explanation))
    if isinstance(reference, LocalExplanation):
        reference_explanation = reference
        _check_same_model(explanation, reference)
        _check_reference_is_current(model, reference)
    else:
        if steps is None:
            _check_reference_columns(model, reference)
        with row_labels_unshown():  # the reference rows' labels are never shown: a repeated index is no matter
            try:
                reference_explanation = _explain(model, reference)
            except ValueError as exc:  # the model's message speaks of "X": say which rows it refused
                raise ValueError(f"The reference rows cannot be explained: {exc}") from exc
    # the explanation carries what each term reads (term_features) and a card's conditions a missing value
    # left unearned (unearned_missing), as one kept and reused does
    codes = reasons_from_explanations(
        explanation, reference_explanation, adverse=adverse, method=method, n_reasons=n_reasons, by=by,
        sample_weight=sample_weight, allow_approximate=True,
    )
    return codes if steps is None else dataclasses.replace(codes, transformed_by=steps)


def _final_estimator(model, X, reference):
    """(glassbox model, X, reference, steps): a fitted search's best estimator; a pipeline's last step, with ``X``
    and the reference rows transformed by the steps before it (``steps``: their names; None without a pipeline).
    ``X`` or ``reference`` None: no rows.  reason_codes passes both; the displays (plotting's explain_through)
    pass reference=None always, and X=None when they draw the global form (CoefficientDisplay, RiskCurveDisplay,
    ShapeFunctionDisplay given no X) and in LocalContributionDisplay's first call, which checks the model before
    it asks for X."""
    from sklearn.pipeline import Pipeline

    if hasattr(model, "cv_results_") and hasattr(model, "estimator") and not hasattr(model, "explain_local"):
        if not hasattr(model, "best_estimator_"):
            raise ValueError(f"{type(model).__name__} was fitted with refit=False and holds no best_estimator_ "
                             "to explain: fit it with refit=True, or fit the chosen estimator on the training rows.")
        model = model.best_estimator_
    if not isinstance(model, Pipeline):
        return model, X, reference, None
    final = model.steps[-1][1]
    if not hasattr(final, "explain_local") and not isinstance(final, GlobalExplanation):
        raise TypeError(f"The pipeline's last step {type(final).__name__} has no explain_local: reason codes and "
                        "plots need a glassbox estimator as the last step.")
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(model)
    if reference is not None and not isinstance(reference, LocalExplanation):
        _check_reference_columns(model, reference)
        reference = model[:-1].transform(reference)
    rows = None if X is None else model[:-1].transform(X)
    return final, rows, reference, tuple(name for name, _ in model.steps[:-1])


def reasons_from_explanations(explanation, reference, *, adverse, method="max", n_reasons=4, by="term",
                              sample_weight=None, allow_approximate=False, term_features=None):
    """:func:`reason_codes` from local explanations already computed (``explanation.reason_codes`` calls it).

    ``term_features`` lists the features each term reads (None: the
    explanation's own ``term_features``, which glassbox's estimators set;
    without them, read from the term names where a term is named by its
    feature, unknown otherwise, and ``by="feature"`` needs them all known).
    """
    _check_options(method, n_reasons, by)
    _check_allow_approximate(allow_approximate)
    if explanation.approximate and not allow_approximate:
        raise ValueError(_approximate_message(explanation))
    _check_same_model(explanation, reference)
    weights = _reference_weights(sample_weight, len(reference))
    column, sign = _orientation(explanation, adverse)
    if explanation.classes is not None:  # the model's own label: adverse=30.0 names the class 30, as the model does
        adverse = plain_value(explanation.classes[_class_position(explanation.classes, adverse)])
    # a model about classes[0] (a card, a rule list) is read toward its event: the explanation's negated
    orientation = explanation.orientation
    sign *= orientation
    if term_features is None:
        term_features = explanation.term_features
    features = (features_from_names(explanation.term_names, explanation.feature_names) if term_features is None
                else check_term_features(term_features, len(explanation.term_names)))
    one_hot = explanation.decision_path is not None
    rows = orientation * _adverse_column(explanation.contributions, column)
    reference_rows = orientation * _adverse_column(reference.contributions, column)
    names = explanation.term_names
    if one_hot:
        values, reference_values, candidate = _one_hot_candidates(explanation, rows, reference_rows)
    else:
        if by == "feature":
            names, features, rows, reference_rows = _group_by_feature(names, features, rows, reference_rows)
        values, reference_values, candidate = rows, reference_rows, None
    reference_value = _reference_value(reference_values, weights, method, sign)
    if one_hot:
        shortfall = np.zeros_like(rows)
        np.put_along_axis(shortfall, candidate[:, None], sign * (reference_value[0] - values[:, :1]), axis=1)
        reference_value = np.full(rows.shape[1], reference_value[0])
    else:
        shortfall = sign * (reference_value[None, :] - values)
    eligible = np.array([f != () or one_hot for f in features], dtype=bool)
    return ReasonCodes(
        explanation=explanation, method=method, adverse=adverse, by=by, names=tuple(names), features=features,
        reference=reference_value, contributions=rows, shortfall=shortfall,
        ranked=_rank(shortfall, eligible, n_reasons), sign=sign, n_reference=int(np.count_nonzero(weights)),
        one_hot=one_hot, orientation=orientation,
    )


# -- the arithmetic -------------------------------------------------------------------------------

def _reference_value(reference_values, weights, method, sign):
    """Each column's reference: best oriented value among rows of positive weight, or the weighted mean."""
    if method == "mean":
        return np.average(reference_values, axis=0, weights=weights)
    counted = reference_values[weights > 0]
    return sign * np.max(sign * counted, axis=0)


def _rank(shortfall, eligible, n_reasons):
    """Positions of each row's largest positive shortfalls, ties in term order; -1 where no more are adverse."""
    keyed = np.where(eligible[None, :], shortfall, -np.inf)
    order = np.argsort(-keyed, axis=1, kind="stable")[:, :n_reasons]
    adverse = np.take_along_axis(keyed, order, axis=1) > 0
    return np.where(adverse, order, -1)


def _one_hot_candidates(explanation, rows, reference_rows):
    """A rule model's row value is its decision (the fired rule's score); the candidate is the fired rule."""
    fired = np.asarray(explanation.decision_path.fired, dtype=np.intp)
    values = rows.sum(axis=1, keepdims=True)
    return values, reference_rows.sum(axis=1, keepdims=True), fired


def _group_by_feature(names, features, rows, reference_rows):
    """Sum the terms that read the same features; groups in the order of their first term."""
    if any(f is None for f in features):
        unknown = [n for n, f in zip(names, features) if f is None]
        raise ValueError(
            f"by='feature' needs the features each term reads, unknown for {unknown[:3]} (the explanation does not "
            "carry them: one written before term_features were kept): explain the rows again with the model "
            "(model.explain_local(X), or "
            "glassbox.explain.reason_codes(model, X, ...)), or give the explanation them with "
            "dataclasses.replace(explanation, term_features=...), one tuple of feature names per term."
        )
    groups = {}
    for j, key in enumerate(features):
        groups.setdefault(key, []).append(j)
    keys = list(groups)
    group_names = [PAIR_SEPARATOR.join(key) if key else names[groups[key][0]] for key in keys]

    def summed(table):
        return np.stack([table[:, groups[key]].sum(axis=1) for key in keys], axis=1) if keys else table

    return tuple(group_names), tuple(keys), summed(rows), summed(reference_rows)


def _adverse_column(values, column):
    """The adverse class's column of ``values`` (last axis: the classes), centred across the classes.

    Softmax ignores an amount added to every class, so only a column relative
    to the others says how a term moves the class's probability.  A GAM's or
    ridge fit's columns are centred already; a multinomial lasso's are not
    (each term's median class coefficient is 0, so with three classes one
    class's column is all zeros whatever the row's probability of it).
    """
    values = np.asarray(values)
    if column is None:
        return values
    return values[..., column] - values.mean(axis=-1)


# -- reading the model and the options ----------------------------------------------------------

def _orientation(explanation, adverse):
    """(class column or None, sign): sign is +1 when a larger decision is good for the applicant."""
    classes = explanation.classes
    if classes is None:
        if isinstance(adverse, str) and adverse in REGRESSION_DIRECTIONS:
            return None, -1 if adverse == "higher" else 1
        raise ValueError(
            f"adverse={adverse!r} is not a direction for {explanation.model}, a regressor: pass "
            "adverse='higher' when a higher prediction is bad for the applicant (a loss, a risk), "
            "adverse='lower' when a lower one is (a credit limit)."
        )
    position = _class_position(classes, adverse)
    if explanation.contributions.ndim == 3:
        return position, -1
    return None, -1 if position == len(classes) - 1 else 1


def _class_position(classes, adverse):
    position = label_position(classes, adverse)
    if position is None:
        raise ValueError(
            f"adverse={adverse!r} is not a class of the model (classes: {list(np.asarray(classes).tolist())}); "
            # no class is suggested: which label is adverse (a default, a decline) only the user knows, and
            # the last one is as often the favourable outcome ('good' after 'bad')
            "pass the one of them that is the adverse outcome for the applicant (a default, a decline), "
            "written as it is in the classes."
        )
    return position


def _check_options(method, n_reasons, by):
    if method not in METHODS:
        raise ValueError(f"method={method!r} is not one of {METHODS}: 'max' compares with the best contribution "
                         "in the reference, 'mean' with the average one.")
    if isinstance(n_reasons, (bool, np.bool_)) or not isinstance(n_reasons, numbers.Integral) or n_reasons < 1:
        raise ValueError(f"n_reasons={n_reasons!r} must be a whole number of at least 1 (e.g. n_reasons=4, "
                         "the number of principal reasons a notice usually gives).")
    if by not in GROUPINGS:
        raise ValueError(f"by={by!r} is not one of {GROUPINGS}.")


def _check_allow_approximate(allow_approximate):
    # any other value would be read for its truth: allow_approximate="no" would accept a surrogate's reasons
    if not isinstance(allow_approximate, (bool, np.bool_)):
        raise TypeError(f"allow_approximate={allow_approximate!r} must be True or False: True accepts the reasons "
                        "of approximate explanations (a local surrogate's), False refuses them.")


def _reference_weights(sample_weight, n_reference):
    if n_reference == 0:
        raise ValueError("The reference has no rows; pass the training rows or an approved-applicants sample.")
    if sample_weight is None:
        return np.ones(n_reference)
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.shape != (n_reference,):
        raise ValueError(f"sample_weight has shape {weights.shape}; pass one weight per reference row "
                         f"({n_reference}).")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("sample_weight must be finite and non-negative.")
    if not np.any(weights > 0):
        raise ValueError("sample_weight gives every reference row a zero weight; at least one must count.")
    return weights


def _check_same_model(explanation, reference):
    if not isinstance(reference, LocalExplanation):
        raise TypeError(f"reference must be a LocalExplanation of the reference rows, got {type(reference).__name__}.")
    differences = _differences(reference, explanation)
    if not differences:
        return
    kin = (reference.model == explanation.model and tuple(reference.term_names) == tuple(explanation.term_names)
           and tuple(reference.feature_names) == tuple(explanation.feature_names))
    if kin:  # the same estimator's terms, its figures changed since (refit_intercept, clip_scores, ...)
        raise ValueError(_changed_model_message(reference.model, "; ".join(differences)))
    raise ValueError(
        f"The reference explanation is of another model ({reference.model}, {len(reference.term_names)} terms) "
        f"than the explained rows ({explanation.model}, {len(explanation.term_names)} terms): "
        f"{'; '.join(differences)}; explain the reference rows with the same fitted model, as it is now (an edit "
        "such as keep_rules or use_scorecard after the reference was explained changes the model)."
    )


def _differences(reference, explanation):
    """What tells the reference explanation's model from the explained rows' one, in words (empty: nothing)."""
    from ..utils.validation import capped_list  # lazy: glassbox.utils imports this package

    def listed(names):
        return capped_list([str(name) for name in names])

    def link_text(link):  # a scorecard's multiplier is its link's scale
        return link.name if link.scale == 1 else f"{link.name} scale {float(link.scale)!r}"

    differences = []
    if tuple(reference.term_names) != tuple(explanation.term_names):
        differences.append(f"its terms differ (the reference's {listed(reference.term_names)}, now "
                           f"{listed(explanation.term_names)})")
    if tuple(reference.feature_names) != tuple(explanation.feature_names):
        differences.append("its features differ")
    if reference.link != explanation.link:
        differences.append(f"its link differs (the reference's {link_text(reference.link)}, now "
                           f"{link_text(explanation.link)})")
    if not np.array_equal(reference.base_value, explanation.base_value):
        differences.append("its base value differs")
    if (reference.classes is None) != (explanation.classes is None) or (
            explanation.classes is not None and not np.array_equal(reference.classes, explanation.classes)):
        differences.append("its classes differ")
    return differences


def _changed_model_message(model_name, what):
    return (
        f"The reference explanation is not what {model_name} gives now: {what} (the model was changed after the "
        "reference was explained, e.g. by remove_terms, clip_scores, make_monotone, refit_intercept, keep_rules or "
        "use_scorecard).  Explain the reference rows again (reference=model.explain_local(X_train)) or pass the "
        "rows themselves (reference=X_train)."
    )


def _check_reference_is_current(model, reference):
    """Refuse a reference explanation that the model no longer gives (it was edited since it was computed).

    ``remove_terms`` and the other edits keep the model's name, terms and
    (most) its base value, so the checks of :func:`_check_same_model` pass a
    stale reference, whose removed term would then be a reason.  The rows that
    hold each term's largest and smallest reference contribution (the rows that
    set a "max" reference, and those an edit of a term's extremes changes) and
    up to 64 evenly spaced ones are explained again and must give the same
    contributions; the same model gives them to the last bit.
    """
    if not (hasattr(model, "explain_global") or isinstance(model, GlobalExplanation)) or len(reference) == 0:
        # a local surrogate: fitted anew per row
        return
    contributions = reference.contributions
    flat = contributions.reshape(len(reference), -1)
    evenly = np.linspace(0, len(reference) - 1, min(len(reference), _CHECKED_ROWS)).astype(np.intp)
    rows = np.unique(np.concatenate([flat.argmax(axis=0), flat.argmin(axis=0), evenly]))
    from ..utils.validation import untrained_values_already_warned  # lazy: glassbox.utils imports this package

    try:
        # the rows' untrained values were warned of when they were explained (a context switch, not the
        # process-wide filters, which concurrent calls would leave set)
        with untrained_values_already_warned():
            again = _explain(model, _rows_as_input(model, reference.feature_names, reference._values_of(rows)))
    except (ValueError, TypeError):  # rows that cannot be read back as input: nothing to compare with
        return
    expected = contributions[rows]
    if again.contributions.shape != expected.shape:
        changed = list(reference.term_names)
    else:
        scale = max(float(np.max(np.abs(expected), initial=0.0)), 1.0)
        close = np.isclose(again.contributions, expected, rtol=1e-9, atol=1e-12 * scale)
        changed = [name for name, ok in zip(reference.term_names, close.reshape(len(rows), len(reference.term_names),
                                                                            -1).all(axis=(0, 2))) if not ok]
    if changed:
        raise ValueError(_changed_model_message(reference.model, f"the contributions of {changed[:5]} differ on "
                                                                 "its rows"))
    if not np.allclose(again.base_value, reference.base_value, rtol=1e-12, atol=0):
        raise ValueError(_changed_model_message(reference.model, "its base value differs"))


def _rows_as_input(model, feature_names, values):
    """Explained rows (an object table) as input again: a DataFrame when the model was fitted on one."""
    if getattr(model, "feature_names_in_", None) is None and hasattr(model, "explain_local"):
        return np.asarray(values)
    import pandas as pd

    return pd.DataFrame(np.asarray(values), columns=list(feature_names)).infer_objects()


def _explain(model, X):
    if isinstance(model, GlobalExplanation):
        return _explain_with_form(model, X)
    return model.explain_local(X)


def _explain_with_form(form, X):
    """The local explanation of a loaded model (a global explanation), as its estimator's explain_local gives it."""
    from .rules import _DecidingRules

    if isinstance(form, _DecidingRules):
        raise TypeError(
            f"Reason codes of a rule model ({form.model}) read its decision path (the rule that decided and why the "
            "others did not), which the JSON form does not compute: keep the fitted estimator (pickled with joblib, "
            "beside the JSON) where the reasons are produced and pass it. Load that pickle only from a source you "
            "trust (unpickling can run any code the file holds); the JSON, which runs none, is what to exchange."
        )
    contributions = form.term_contributions(X)
    base_value = np.asarray(form.base_value, dtype=np.float64)
    decision = base_value + contributions.sum(axis=1)
    link = form.link
    prediction = form.classes[link.predict_index(decision)] if link.is_classification else link.inverse(decision)
    columns = RawColumns(X, form.feature_names)
    rows = np.empty((columns.n_samples, len(form.feature_names)), dtype=object)
    flags = flag_features_of(form)
    for j, feature in enumerate(form.feature_names):
        rows[:, j] = columns.recorded_column(feature, fitted_flag=feature in flags)
    labels, label_names = row_labels_of(X)
    unearned = unearned_missing_of(form, X, len(form.term_names))
    notes = form.local_notes(contributions, unearned) if hasattr(form, "local_notes") else None
    return LocalExplanation(
        model=form.model, term_names=form.term_names, base_value=base_value, contributions=contributions,
        feature_names=form.feature_names, feature_values=rows, decision=decision, prediction=prediction, link=link,
        classes=form.classes, approximate=form.fidelity is not None, fidelity=form.fidelity, row_labels=labels,
        row_label_names=label_names, term_features=term_features_of(form, form.term_names, form.feature_names),
        unearned_missing=unearned, notes=notes,  # a card's "why" line per row (SCORE, risk), as its estimator's
        # a card about classes[0] names its negated total as its estimator does (None: the link's name)
        output_name=getattr(form, "local_output_name", None), pos_label=getattr(form, "pos_label", None),
    )


def _check_fitted(model):
    from sklearn.utils.validation import check_is_fitted

    if isinstance(model, GlobalExplanation):  # a loaded model: complete by construction
        return
    if not hasattr(model, "explain_local"):
        raise TypeError(
            f"{type(model).__name__} has no explain_local: pass a fitted glassbox estimator, a fitted Pipeline "
            "whose last step is one, a fitted GridSearchCV / RandomizedSearchCV of one, or a model loaded with "
            f"glassbox.from_json.{wrapped_model_note(model)}"
        )
    check_is_fitted(model)


def _check_reference_columns(model, reference):
    expected = getattr(model, "feature_names_in_", None)
    columns = getattr(reference, "columns", None)
    if expected is not None and columns is not None:
        expected, columns = [str(c) for c in expected], [str(c) for c in columns]
        if columns != expected:
            missing = [c for c in expected if c not in columns]
            extra = [c for c in columns if c not in expected]
            raise ValueError(
                "The reference rows do not have the model's columns"
                + (f"; missing {missing[:5]}" if missing else "") + (f"; not in the model {extra[:5]}" if extra else "")
                + ("; same columns in another order" if not missing and not extra else "")
                + ". Pass the rows the model was trained on (or a sample with its columns): "
                "reference=X_train[model.feature_names_in_]."
            )
    n_features = getattr(model, "n_features_in_", None)
    shape = getattr(reference, "shape", None)
    if n_features is not None and shape is not None and len(shape) == 2 and shape[1] != n_features:
        raise ValueError(f"The reference rows have {shape[1]} columns; the model reads {n_features}. "
                         "Pass rows with the model's columns, e.g. the training rows.")


def _is_distilled(model):
    from ..surrogate._distilled_base import DistilledBase

    if isinstance(model, GlobalExplanation):  # a loaded copy keeps its fidelity to its teacher
        return model.fidelity is not None
    return isinstance(model, DistilledBase)


def _approximate_message(explanation):
    return (
        f"The explanation of {explanation.model} is approximate: its contributions add up to an approximation "
        "(a local surrogate fits one per row), so reasons read from it are not the model's.  Pass "
        "allow_approximate=True to take them as the approximation's reasons, or explain a glassbox model "
        "(a distilled copy, whose reasons are exactly its student's)."
    )
