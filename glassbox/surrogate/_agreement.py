"""Two distillation steps for probability students that aim at agreeing with the teacher.

A student of fixed complexity (a GAM with a fixed number of terms, a linear
model with ``k`` terms) cannot copy the teacher's probabilities everywhere, and
the cross-entropy to them spends its capacity evenly over the probability
scale.  Agreement, the headline fidelity figure, depends only on which side of
the teacher's decision boundary each row falls.  So:

* **sharpened soft labels**: the soft labels are the teacher's probabilities at
  a temperature ``T`` below one, ``softmax(log p / T)`` (binary:
  ``expit(logit(p) / T)``).  Rows the teacher decides clearly become nearly
  hard labels, rows near its boundary keep some of the teacher's doubt, so the
  student's loss concentrates on the boundary while its output stays a
  probability.  ``T = 1`` is the teacher's probabilities, ``T -> 0`` its labels.
* **intercept alignment** (binary tasks): after fitting, the student's intercept
  is moved to the value at which its decisions agree most often with the
  teacher's labels on the (weighted) training rows.  One number, no extra
  term; the smallest such move is taken.
* **log-odds scale** (binary tasks, sharpened labels): the student learnt
  log-odds about ``1 / T`` times the teacher's, so the copy reads the student's
  log-odds times one positive number, the least-squares fit of the teacher's
  log-odds on the training rows.  Decisions are unchanged (the sign is kept);
  the copy's probabilities are back on the teacher's scale.
"""

import dataclasses

import numpy as np
from scipy.special import expit, softmax
from sklearn.base import clone
from sklearn.utils import check_random_state

from ..explain import CoefficientTable, ShapeFunctions
from ._outputs import PROBABILITY_CLIP, n_rows, take_rows

# Students that learn sharpened soft labels and get their intercept aligned by
# default: GAMs and sparse linear models (likelihood-based, with an intercept).
# Measured on held-out training rows (75/25 split of each training set; see
# docs/surrogate.rst).
AGREEMENT_FAMILIES = ("glassbox.gam", "glassbox.linear")
# Temperature of the soft labels for those families ("auto").
SHARP_TEMPERATURE = 0.25
_NEGLIGIBLE = 1e-12


def is_agreement_family(student):
    return type(student).__module__.startswith(AGREEMENT_FAMILIES)


def resolve_temperature(temperature, student):
    """The temperature of the soft labels: ``"auto"`` is 0.25 for GAMs and sparse linear models, else 1."""
    if temperature != "auto":
        return float(temperature)
    return SHARP_TEMPERATURE if is_agreement_family(student) else 1.0


def sharpened_probabilities(outputs, temperature):
    """The teacher's class probabilities at ``temperature`` (its own probabilities at 1).

    Uses the teacher's log-odds (``outputs.score``), which a boosting or logistic
    teacher reports beyond what clipped probabilities can express.
    """
    if temperature == 1.0 or outputs.score is None:
        return outputs.proba
    score = np.asarray(outputs.score, dtype=np.float64) / temperature
    if score.ndim == 1:
        positive = expit(score)
        proba = np.column_stack([1.0 - positive, positive])
    else:
        proba = softmax(score, axis=1)
    # A class this unlikely adds a duplicated row of no weight: leave it out.
    proba[proba < _NEGLIGIBLE] = 0.0
    return proba / proba.sum(axis=1, keepdims=True)


def best_intercept_shift(decision, positive, weights):
    """The shift ``b`` of ``decision`` whose signs agree most with ``positive``, and that agreement.

    Decisions ``decision + b > 0`` are read as the positive class.  Among the
    shifts of highest weighted agreement the one closest to zero is returned
    (0.0 when no shift agrees more than none).  Exact: every cut between two
    consecutive distinct decision values is tried.
    """
    decision = np.asarray(decision, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    weights = np.asarray(weights, dtype=np.float64)
    total = weights.sum()
    if total <= 0 or len(decision) == 0:
        return 0.0, float("nan")
    order = np.argsort(decision, kind="stable")
    d, pos, w = decision[order], positive[order], weights[order]
    # Cut i puts sorted rows < i on the negative side and rows >= i on the positive side.
    negatives_below = np.concatenate([[0.0], np.cumsum(w * ~pos)])
    positives_above = np.concatenate([np.cumsum((w * pos)[::-1])[::-1], [0.0]])
    agreement = negatives_below + positives_above
    cuts = np.concatenate([[d[0] - 1.0], 0.5 * (d[:-1] + d[1:]), [d[-1] + 1.0]])
    distinct = np.concatenate([[True], d[1:] > d[:-1], [True]])
    agreement[~distinct] = -np.inf  # no cut between equal values
    unshifted = float(weights @ (positive == (decision > 0)))
    best = agreement.max()
    if best <= unshifted * (1.0 + 1e-12):
        return 0.0, unshifted / total
    candidates = cuts[agreement >= best * (1.0 - 1e-12)]
    threshold = candidates[np.argmin(np.abs(candidates))]
    return float(-threshold), float(best / total)


def _student_decision(student, X):
    if hasattr(student, "classes_") and hasattr(student, "decision_function"):
        return np.asarray(student.decision_function(X), dtype=np.float64)
    return np.asarray(student.predict(X), dtype=np.float64)  # a regressor on the teacher's log-odds


def align_intercept(student, X, labels, classes, weights):
    """Move a binary GAM or sparse linear student's intercept to where it agrees most with ``labels``.

    Returns the shift applied (0.0 when the student is not such a model, the
    task is not binary, or no shift agrees more often).
    """
    intercept = getattr(student, "intercept_", None)
    if not is_agreement_family(student) or len(classes) != 2 or intercept is None or np.size(intercept) != 1:
        return 0.0
    decision = _student_decision(student, X)
    if decision.ndim != 1:
        return 0.0
    shift, _ = best_intercept_shift(decision, np.asarray(labels) == classes[1], weights)
    if shift != 0.0:
        if np.ndim(intercept) == 0:
            student.intercept_ = float(intercept) + shift
        else:
            student.intercept_ = np.asarray(intercept, dtype=np.float64) + shift
    return shift


def log_odds_scale(student, X, teacher_log_odds, weights):
    """The positive factor ``a`` minimising ``sum w (t - a d)^2`` for the student's log-odds ``d``.

    ``t`` are the teacher's log-odds, clipped as the fidelity report clips them.
    1.0 for a student outside the GAM and sparse linear families (their
    explanations are rescaled with the copy), or when no positive factor fits.
    """
    if not is_agreement_family(student) or teacher_log_odds is None or np.ndim(teacher_log_odds) != 1:
        return 1.0
    decision = _student_decision(student, X)
    if decision.ndim != 1:
        return 1.0
    bound = np.log((1.0 - PROBABILITY_CLIP) / PROBABILITY_CLIP)
    target = np.clip(np.asarray(teacher_log_odds, dtype=np.float64), -bound, bound)
    weights = np.asarray(weights, dtype=np.float64)
    denominator = weights @ decision**2
    scale = (weights @ (target * decision)) / denominator if denominator > 0 else 0.0
    return float(scale) if np.isfinite(scale) and scale > 0 else 1.0


def scaled_explanation(explanation, scale):
    """A coefficient table or shape functions whose decision function is ``scale`` times the original."""
    if scale == 1.0:
        return explanation
    base_value = np.asarray(explanation.base_value, dtype=np.float64) * scale
    if isinstance(explanation, CoefficientTable):
        return dataclasses.replace(
            explanation, base_value=base_value, coefficients=np.asarray(explanation.coefficients) * scale,
            standardized_coefficients=np.asarray(explanation.standardized_coefficients) * scale)
    if isinstance(explanation, ShapeFunctions):
        terms = tuple(dataclasses.replace(
            term, scores=np.asarray(term.scores) * scale,
            lower=None if term.lower is None else np.asarray(term.lower) * scale,
            upper=None if term.upper is None else np.asarray(term.upper) * scale,
            importance=term.importance * scale) for term in explanation.terms)
        return dataclasses.replace(explanation, base_value=base_value, terms=terms)
    raise TypeError(f"Cannot rescale a {type(explanation).__name__}; only GAM and sparse linear copies are rescaled.")


def _agreement_with(student, X, positive, weights, aligned):
    """Weighted agreement of a binary student's decisions with ``positive``, after the best shift if ``aligned``."""
    decision = _student_decision(student, X)
    if aligned:
        return best_intercept_shift(decision, positive, weights)[1]
    return float(weights @ (positive == (decision > 0))) / float(weights.sum())


# Share of the training rows held out to choose a sparse linear student's basis.
BASIS_CHECK_FRACTION = 0.25


def fit_basis_for_agreement(student, X, fit_rows, labels, classes, weights, aligned, random_state):
    """Fit ``student``; a stepped sparse linear student is first checked against its plain twin.

    ``fit_rows`` is ``(rows, y_rows, row_weights)``: the student is fitted on
    ``X[rows]`` (soft-label rows, each an index into ``X``).  A binary
    GAM-or-linear student whose ``basis`` is ``"steps"`` and its twin with
    ``basis="linear"`` (the same ``max_features``: equal complexity) are both
    fitted on the soft-label rows of a random 75% of the training rows; the
    one whose decisions agree more with the teacher's ``labels`` on the other
    25% (after the best intercept shift when ``aligned``) is refitted on all
    rows and returned; ties keep the plain one.  Steps let the L0 search place
    a jump where the teacher has one, but with few terms a step can also fit
    the rows it learns from better and new rows worse (a forest teacher's
    labels on its own training rows are partly memorised), so the choice is
    made on rows the candidates did not learn from.
    """
    rows, y_rows, row_weights = fit_rows
    params = student.get_params()
    if not is_agreement_family(student) or params.get("basis") != "steps" or len(classes) != 2:
        return student.fit(take_rows(X, rows), y_rows, sample_weight=row_weights)
    held_out = check_random_state(random_state).random_sample(n_rows(X)) < BASIS_CHECK_FRACTION
    learn = ~held_out[rows]
    positive = np.asarray(labels)[held_out] == classes[1]
    check_weights = np.asarray(weights, dtype=np.float64)[held_out]
    agreement = {}
    for basis in ("steps", "linear"):
        candidate = clone(student).set_params(basis=basis)
        try:
            candidate.fit(take_rows(X, rows[learn]), y_rows[learn], sample_weight=row_weights[learn])
        except ValueError:  # e.g. more terms asked for than the plain basis has: the steps stay
            agreement[basis] = -np.inf
            continue
        agreement[basis] = _agreement_with(candidate, take_rows(X, np.flatnonzero(held_out)), positive,
                                           check_weights, aligned)
    chosen = "steps" if agreement["steps"] > agreement["linear"] else "linear"
    return student.set_params(basis=chosen).fit(take_rows(X, rows), y_rows, sample_weight=row_weights)
