"""Separation: a 0/1 term whose rows leave its maximum-likelihood coefficient infinite.

A 0/1 term (a level, a flag, a step) whose rows of positive weight are all
of one class (logistic), or lack a class (multinomial), or whose target is
0 on all of them (Poisson or Tweedie counts and amounts: a rating level
with exposure but no claims) has no finite maximum-likelihood
coefficient: the likelihood keeps rising as it runs to infinity (minus
infinity for the zero counts).  A fit stops at a large value set by its
tolerance, and a Wald table reads an enormous standard error and a p-value
near 1.  One check of the term's rows serves the logistic and multinomial
tables and the log-link fits and tables.  Gamma targets are positive, so
the check does not apply to them.
"""

import warnings

import numpy as np

from ..utils.validation import capped_list, plain_value, user_stacklevel

# A penalized log-link fit whose term without claims prices its rows below this fraction of the book's
# fitted mean is warned of too: the penalty is too weak to hold the coefficient.  A motor region with 21
# policy-years and no claims (2.6 expected) stopped, under the lasso, at 0.0002 of the book's mean at
# alpha=1e-6, 0.0019 at 1e-5, 0.019 at 1e-4 (about the alpha cross-validation chose) and 0.19 at 1e-3.
RUNAWAY_RATIO = 1e-2
# The losses whose target may be 0 and whose log link sends the coefficient of a term with no
# positive target on its rows to minus infinity.
ZERO_BOUNDED_LOSSES = ("poisson", "tweedie")


def design_column(design, t):
    """Column ``t`` of a dense or sparse design as a flat float64 array."""
    column = design[:, [t]]
    return np.ravel(column.toarray() if hasattr(column, "toarray") else column).astype(np.float64, copy=False)


def binary_term_rows(model, design, w, coef):
    """``(term, rows)`` of each 0/1 term of the fit: the rows of positive weight where the term is 1.

    A term of the fit is one with a nonzero coefficient (``coef`` holds one
    row per output, or is 1-D for a single output), or a level whose feature
    has levels in the fit: a reference level (held at 0) separated in its
    turn sends the levels read against it, and the intercept, to infinity.
    """
    positive = w > 0
    in_any = np.any(np.atleast_2d(coef) != 0, axis=0)
    levels_kept = {term.feature for term, b in zip(model.terms_, in_any) if term.category is not None and b}
    for j, term in enumerate(model.terms_):
        if not (in_any[j] or (term.category is not None and term.feature in levels_kept)):
            continue
        column = design_column(design, j)
        if np.all((column[positive] == 0) | (column[positive] == 1)):
            yield j, positive & (column == 1)


def zero_target_terms(model, design, y, w, coef):
    """``(term, rows)`` of the 0/1 terms of the fit with rows of positive weight, all of them with ``y == 0``.

    ``rows`` is the term's mask of :func:`binary_term_rows`.
    """
    return [(j, rows) for j, rows in binary_term_rows(model, design, w, coef)
            if rows.any() and not np.any(y[rows] > 0)]


def runaway_zero_target_terms(model, design, y, w, coef, eta, unpenalized):
    """``(term, ratio)`` of the terms of :func:`zero_target_terms` whose coefficient ran off in a fit.

    ``eta`` is the fit's linear predictor (the log of each row's fitted
    mean).  ``ratio`` is the fitted mean on the term's rows over the book's
    (both weighted).  Unpenalized, every such term ran off (its estimate is
    wherever the solver stopped).  Penalized, those whose ratio is below
    ``RUNAWAY_RATIO``: a penalty that holds the coefficient at a sensible
    value is not warned of.
    """
    terms = zero_target_terms(model, design, y, w, coef)
    if not terms:
        return []
    positive = w > 0
    mu = np.exp(eta)
    book = np.average(mu[positive], weights=w[positive])
    ratios = [(j, np.average(mu[rows], weights=w[rows]) / book) for j, rows in terms]
    return [(j, ratio) for j, ratio in ratios if unpenalized or ratio < RUNAWAY_RATIO]


def prices_a_row_near_zero(eta, w):
    """Whether a row of positive weight has a fitted mean below ``RUNAWAY_RATIO`` times the book's.

    From the fit's linear predictor ``eta``, without the design: a penalized
    fit that prices no row that low has no term that ran off, so its design
    need not be built again to look for one.
    """
    positive = w > 0
    eta = eta[positive]
    shifted = np.exp(eta - eta.max())  # the ratio is unchanged by the shift, and exp cannot overflow
    return bool(shifted.min() < RUNAWAY_RATIO * np.average(shifted, weights=w[positive]))


def warn_zero_target(model, terms, consequence):
    """Warn that ``terms`` have no claims on their rows, so their estimates run to minus infinity."""
    names = capped_list([str(model.term_names_[j]) for j in terms], render=", ".join)  # a thin book has many
    warnings.warn(
        f"No claims on the rows of {names}: y is 0 on every row of positive weight where the term is 1, so "
        "its maximum-likelihood coefficient is minus infinity (a relativity of 0; for a reference level, the levels "
        f"read against it run to plus infinity) and {consequence}. Merge the level with a neighbouring one, "
        "add an L2 penalty (penalty='elasticnet' with l1_ratio=0 and alpha > 0, or ridge_alpha with "
        "penalty='l0'), or use a credibility-weighted estimate (a penalty chosen by SparseLinearRegressorCV "
        "shrinks a thin level towards the book).", UserWarning, stacklevel=user_stacklevel(),
    )


def separated_class_terms(model, design, labels, w, coef):
    """The 0/1 terms in the model whose rows lack a class, each described for a message: ``"zone == C (all
    'no')"`` (binary: all one class) or ``"zone == C (no 'top')"`` (multinomial: the classes it lacks).

    ``labels`` holds each row's class index, ``coef`` one row per output
    (1-D for a binary model).
    """
    n_classes = len(model.classes_)
    separated = []
    for j, rows in binary_term_rows(model, design, w, coef):
        outcomes = np.unique(labels[rows])
        if outcomes.size == 1:
            separated.append(f"{model.term_names_[j]} (all {plain_value(model.classes_[int(outcomes[0])])!r})")
        elif 1 < outcomes.size < n_classes:
            lacking = ", ".join(repr(plain_value(model.classes_[k])) for k in np.setdiff1d(np.arange(n_classes),
                                                                                          outcomes))
            separated.append(f"{model.term_names_[j]} (no {lacking})")
    return separated


def warn_separated_classes(model, design, labels, w, coef, at_fit=False):
    """Warn of quasi-complete separation: a 0/1 term in the model whose rows lack a class (all events, or all
    non-events, for a binary model).

    ``labels`` holds each row's class index, ``coef`` one row per output
    (1-D for a binary model).
    The maximum-likelihood coefficient of such a term (against the class it
    lacks; or, for a reference level, those of the levels read against it)
    is infinite: the fit stops at a large value and the Wald figures of such
    a term are meaningless (an enormous standard error and a p-value near 1
    for a level with no events at all).  ``at_fit``: the warning of the
    unpenalized fit itself, which names the cause of its large coefficient
    (and of a convergence warning) rather than the Wald figures.
    """
    separated = separated_class_terms(model, design, labels, w, coef)
    if not separated:
        return
    lack = "are all of one class" if len(model.classes_) == 2 else "lack a class"
    if at_fit:
        consequence = ("the fit stopped at a large value set by its tolerance (probabilities of 0 or 1 on those "
                       "rows; for a reference level, the levels read against it ran off instead)")
        fix = ("Merge the level with a neighbouring one or drop its rows, or fit with a penalty (alpha > 0, or "
               "ridge_alpha with penalty='l0'), which holds the coefficient finite.")
    else:
        consequence = ("the fit stopped at a large value, and the Wald standard error, interval and p-value of "
                       "such a term (and of the levels read against a reference level) mean nothing")
        fix = ("Merge the level with a neighbouring one or drop its rows, or fit with a penalty (alpha > 0) and "
               "use method='bootstrap'.")
    warnings.warn(
        f"Quasi-complete separation: the rows of {', '.join(separated)} {lack}, so the maximum-likelihood "
        f"coefficient is infinite; {consequence}. {fix}", UserWarning, stacklevel=user_stacklevel(),
    )


def completely_separated(eta, labels, w, free_shift=True):
    """Whether the fitted linear predictor splits the classes without error on the rows of positive weight.

    ``eta`` is 1-D, the log-odds of class 1 with ``labels`` 0/1, or
    ``(n_samples, n_classes)`` class scores with ``labels`` the class
    indices.  A predictor that splits the classes shows the data separable,
    and then no finite maximum-likelihood fit exists (scaling the predictor
    up keeps raising the likelihood); overlapping classes have a finite one,
    which no linear predictor splits.  Binary: with an intercept
    (``free_shift``) any threshold may split, without one only 0 can.
    Multiclass: every row's own class scores above every other class.
    """
    positive = w > 0
    if np.unique(labels[positive]).size < 2:
        return False
    if eta.ndim == 1:
        events, others = eta[positive & (labels == 1)], eta[positive & (labels == 0)]
        return bool(events.min() > others.max() if free_shift else (events.min() > 0 and others.max() < 0))
    scores, own = eta[positive], labels[positive].astype(np.intp)
    rows = np.arange(len(own))
    rivals = scores.copy()
    rivals[rows, own] = -np.inf
    return bool(np.all(scores[rows, own] > rivals.max(axis=1)))


def separated_at_fit(model, eta, labels, w, free_shift=True):
    """Whether the fit of ``model`` separated its classes completely, as recorded when it was fitted.

    The record reads the rows the model was fitted on: rows passed later may
    be split without error by a finite fit (a small test split), which is no
    separation.  A model pickled before the record was kept is judged on the
    given rows (``eta``, ``labels`` and ``w`` as for ``completely_separated``).
    """
    recorded = getattr(model, "_separated_at_fit", None)
    if recorded is not None:
        return bool(recorded)
    return completely_separated(eta, labels, w, free_shift=free_shift)


def complete_separation_text(model, consequence):
    """The message of a classifier whose classes its terms separate completely."""
    if len(model.classes_) == 2:
        event, other = (repr(plain_value(label)) for label in model.classes_[::-1])
        split = f"can put every row of {event} above every row of {other}"
    else:
        names = ", ".join(repr(plain_value(label)) for label in model.classes_)
        split = f"can score every row's own class ({names}) above the other classes"
    return (f"The classes are completely separated: the fitted terms {split} (rows of positive weight), so the "
            f"maximum-likelihood coefficients are infinite and {consequence}. Fit with a penalty (alpha > 0, or "
            "ridge_alpha with penalty='l0'), or drop the terms that split the classes, such as a feature recorded "
            "after the outcome.")
