"""Wald intervals of a multinomial (softmax) model's coefficients, read against a reference class.

Softmax ignores an amount added to every class's coefficient of a term, so
only differences between classes are estimable.  The table reads each
class ``k`` against a reference class ``r`` (baseline-category logits,
Agresti 2013, ch. 8): ``log P(k) / P(r) = x^T (b_k - b_r)``, as statsmodels'
MNLogit does.  The Fisher information of these ``(K-1) q`` contrasts couples
the classes:

    I = sum_i w_i  (diag(p_i) - p_i p_i^T)  kron  a_i a_i^T

over the non-reference classes (``a_i`` the row's intercept and kept
terms), and the score is ``sum_i w_i (y_i - p_i) kron a_i``.

A best-subset (``penalty="l0"``) fit may keep a term in some classes and not
in others: its coefficients are then the maximum-likelihood fit under the
constraint that the classes without the term share one coefficient (0 up
to softmax's shift).  The information is read in the free directions of
that constraint only (``N^T I N``, with ``N`` a basis of them), and a
contrast the constraint fixes (the term absent from both the class and the
reference class) is listed as held at zero, not given an interval.
"""

import numpy as np
from scipy import stats
from scipy.special import softmax

from ..explain.inference import CoefficientInference
from ._inference import (NO_WALD_FIGURES, _NO_LEVEL, _SCORE_LIMIT, _Collinear, _clustered, _collinear_message,
                         _design_block, _inverse, _names, _warn_if_not_counts, selection_candidates, warn_if_selected)
from ._class_contrasts import levels_against_first
from ._separation import complete_separation_text, separated_at_fit, warn_separated_classes


def multinomial_wald(model, design, y, w, level, dispersion, weights, codes, reference):
    """Wald table of a multinomial model's contrasts against class index ``reference`` (see the module)."""
    if dispersion is not None:
        raise ValueError(f"dispersion does not apply to a multinomial model (its dispersion is 1), got "
                         f"{dispersion!r}: leave it at None.")
    n_classes = len(model.classes_)
    others = [k for k in range(n_classes) if k != reference]
    positive = w > 0
    coef, intercept = model.coef_, model.intercept_                      # (classes, terms), (classes,)
    levels = dict(getattr(model, "reference_levels_", None) or {})  # held at 0 in every class by the fit
    if model._penalty_centred_across_classes():  # a best-subset fit's zeros are its selection: kept as they are
        coef, intercept, bases = levels_against_first(model, coef, intercept)
        levels.update(bases)
    kept = np.flatnonzero(np.any(coef != 0, axis=0))
    n_candidates = selection_candidates(model, coef)
    warn_if_selected(n_candidates, kept.size)
    A = _design_block(design, kept, model.fit_intercept)
    B = np.column_stack([intercept, coef[:, kept]]) if model.fit_intercept else coef[:, kept]
    labels = np.full(len(y), -1)  # a row of weight 0 may hold any label, even one no class is
    labels[positive] = np.searchsorted(model.classes_, y[positive])
    warn_separated_classes(model, design, labels, w, coef)
    eta = A @ B.T if A.shape[1] else np.zeros((len(y), n_classes))
    if separated_at_fit(model, eta, labels, w):
        # the information vanishes with the fitted probabilities, so the score check below would blame the rows
        raise ValueError(complete_separation_text(model, NO_WALD_FIGURES))
    P = softmax(eta, axis=1)
    residual = (labels[:, None] == np.arange(n_classes)) - P              # (rows, classes): y - p
    free, fixed = _free_directions(model, coef, kept, others, reference)
    information = free.T @ _information(A, P, w, others) @ free
    try:
        covariance = _inverse(information)
    except _Collinear:
        raise ValueError(_singular_message(model, kept, A, w)) from None
    scores = np.concatenate([A * (w * residual[:, k])[:, None] for k in others], axis=1) @ free
    gradient = scores.sum(axis=0)
    statistic = float(gradient @ covariance @ gradient)
    if not statistic <= _SCORE_LIMIT:
        raise ValueError(
            f"The coefficients are not the maximum-likelihood fit on these rows (score statistic {statistic:.3g}, "
            "expected about 0): pass the rows and sample_weight the model was fitted on, or refit it with a "
            "smaller tol if it stopped short of convergence."
        )
    n_rows = float(w.sum()) if weights == "frequency" else float(positive.sum())
    df = n_rows - free.shape[1]
    if weights == "frequency":
        _warn_if_not_counts(w, positive)
    if codes is not None:
        covariance, df = _clustered(covariance, scores[positive], codes[positive], n_rows)
    contrasts = (B[others] - B[reference]).ravel()                         # class-major, as the directions
    se = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", free, covariance, free), 0.0))
    shown = ~fixed
    names = _names(model, kept)
    row_terms = np.tile(np.asarray(names, dtype=object), len(others))
    row_classes = np.repeat(model.classes_[others], len(names))
    beta, se, z = contrasts[shown], se[shown], contrasts[shown] / se[shown]
    quantile = stats.norm.ppf(0.5 + level / 2)
    return CoefficientInference(
        model=type(model).__name__, method="wald", level=float(level), terms=tuple(row_terms[shown]),
        classes=tuple(row_classes[shown]), reference_class=model.classes_[reference], coefficients=beta,
        std_errors=se, lower=beta - quantile * se, upper=beta + quantile * se, statistics=z,
        p_values=2 * stats.norm.sf(np.abs(z)), distribution="normal", link=model._link().name, loss="multinomial",
        dispersion=1.0, dispersion_estimated=False, df_resid=df, n_samples=int(positive.sum()),
        n_groups=None if codes is None else int(codes.max()) + 1,
        dropped_terms=_dropped_terms(model, coef, levels), reference_levels=levels or None,
        fixed_contrasts=tuple(f"{term} ({label})" for term, label in zip(row_terms[fixed], row_classes[fixed])),
        n_candidates=n_candidates, n_observations=n_rows,
    )


def _dropped_terms(model, coef, levels):
    """The names of the terms at 0 in every class, but the levels each categorical is read against."""
    return tuple(str(model.term_names_[j]) for j in np.flatnonzero(np.all(coef == 0, axis=0))
                 if levels.get(model.terms_[j].feature, _NO_LEVEL) != model.terms_[j].category)


def _information(A, P, w, others):
    """Fisher information of the contrasts, ``(K-1) q`` square, class-major (one q x q block per class pair)."""
    q = A.shape[1]
    blocks = np.empty((len(others) * q, len(others) * q))
    for a, k in enumerate(others):
        for b, m in enumerate(others[a:], start=a):
            weight = w * (P[:, k] * (k == m) - P[:, k] * P[:, m])
            block = A.T @ (A * weight[:, None])
            blocks[a * q:(a + 1) * q, b * q:(b + 1) * q] = block
            blocks[b * q:(b + 1) * q, a * q:(a + 1) * q] = block.T
    return blocks


def _free_directions(model, coef, kept, others, reference):
    """``(N, fixed)``: a basis of the contrasts the fit left free (columns), and the contrasts it fixed at 0.

    An unpenalized fit leaves every contrast free.  A best-subset fit holds
    each class's coefficient of a term it does not keep at 0: where two or
    more classes lack a term, their coefficients are tied (one free
    direction, the sum of theirs), and a class that lacks it as the
    reference class does has its contrast fixed at 0.
    """
    q = len(kept) + model.fit_intercept
    size = len(others) * q
    position = {k: a for a, k in enumerate(others)}
    selective = model.penalty == "l0" and not model._penalty_centred_across_classes()
    columns, fixed = [], np.zeros(size, dtype=bool)
    for s in range(q):
        j = s - model.fit_intercept
        absent = [] if j < 0 or not selective else list(np.flatnonzero(coef[:, kept[j]] == 0))
        if len(absent) <= 1:  # a class without the term is just softmax's free shift
            absent = []
        for k in others:
            if k not in absent:
                columns.append([position[k] * q + s])
        if absent and reference not in absent:
            columns.append([position[k] * q + s for k in absent])
        elif absent:
            for k in absent:
                if k != reference:
                    fixed[position[k] * q + s] = True
    basis = np.zeros((size, len(columns)))
    for c, rows in enumerate(columns):
        basis[rows, c] = 1.0
    return basis, fixed


def _singular_message(model, kept, A, w):
    """The refusal of a singular information: collinear kept terms by name, else a class without information."""
    positive = w > 0
    try:
        _inverse(A[positive].T @ (A[positive] * w[positive, None]))
    except _Collinear as collinear:
        return _collinear_message(model, kept, A[positive], collinear.null)
    return ("The information about some class's coefficients is singular although the kept terms are not "
            "collinear: a class with (nearly) no rows, or whose rows the kept terms separate completely, has "
            "no finite maximum-likelihood coefficients. Merge rare classes, or fit with a penalty (alpha > 0) "
            "and use method='bootstrap'.")
