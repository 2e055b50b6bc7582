"""The maximum-likelihood intercept of a GAM with its shapes held fixed (``refit_intercept``).

Given every row's sum of term contributions ``s_i``, the intercept ``c``
solves the loss's likelihood equation in ``c`` alone:

- squared error: ``c = sum w (y - s) / sum w``;
- log link, Tweedie deviance of power ``p`` (Poisson ``p = 1``, Gamma
  ``p = 2``, Tweedie ``1 < p < 2``): ``sum w (y - mu) mu^(1-p) = 0`` with
  ``mu = exp(c + s)``.  Each term factors as ``exp((1-p) c)`` times a sum
  free of ``c``, so ``exp(c) = sum w y exp((1-p) s) / sum w exp((2-p) s)``,
  in closed form; the deviance is convex in ``c`` for ``1 <= p <= 2``, so
  this root is its minimum.  Poisson's is ``log(sum w y) - log(sum w
  exp(s))``: the weighted mean prediction equals the weighted mean of ``y``.
  Gamma and Tweedie do not balance the mean (their score weights the rows by
  ``mu^(1-p)``); ``balance=True`` takes Poisson's formula for them, the
  intercept of weighted predicted total equal to the weighted observed total;
- logistic: ``sum w sigmoid(c + s) = sum w y``, increasing in ``c`` (Brent's
  root finding on a bracket);
- softmax: ``sum w p_k(c + s) = sum w y_k`` for every class ``k``, by cyclic
  exact updates of one class at a time (each a one-dimensional increasing
  equation), which converge as coordinate ascent on a concave likelihood.
"""

import warnings
from typing import NamedTuple

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit, logsumexp

from ..utils.tabular import validate_tabular
from ..utils.validation import (apply_class_weight, check_log_link_target, check_regression_target,
                                check_sample_weight, deviance_power, labels_as_numpy, user_stacklevel)

_TOLERANCE = 1e-13
_MAX_SWEEPS = 500
# relative tolerance within which two effective sizes are one (rounding moves them by ~1e-16)
_EFFECTIVE_SIZE_RTOL = 1e-9


class FitWeightSummary(NamedTuple):
    """What ``fit`` keeps of its ``sample_weight`` (before any class weight) for ``refit_intercept``'s check.

    ``n_positive`` counts the rows of positive weight, the rows the fit
    learned from (weights of 0 and 1 only select rows).  ``effective_size``,
    ``(sum w)^2 / sum w^2``, is ``n_positive`` when the positive weights are
    equal and smaller when they are not, and does not change when every
    weight is multiplied by one factor, which leaves the intercept unchanged
    too (exposures in days or years).  Plain floats: cheap, and a pickle
    carries them.
    """

    n_rows: float
    n_positive: float
    effective_size: float


def summarize_weights(weights):
    """The :class:`FitWeightSummary` of one weight per row."""
    # not np.dot: a BLAS call on this many rows wakes OpenBLAS's threads, which then spin for a while on
    # the cores the boosting kernel's OpenMP threads are about to use (a Poisson mains fit ran 20-30% longer)
    # read relative to the largest weight: the size is the same for any unit, and squares of weights
    # of 1e-300 (or 1e300) would underflow to 0 (overflow to inf) in float64
    top = float(np.max(weights, initial=0.0))
    scaled = weights / top if top > 0 else weights
    total, squares = float(np.sum(scaled)), float(np.sum(np.square(scaled)))
    return FitWeightSummary(n_rows=float(len(weights)), n_positive=float(np.count_nonzero(weights)),
                            effective_size=total * total / squares if squares > 0 else 0.0)


def warn_other_weights(model, sample_weight, weights):
    """Warn when ``refit_intercept`` is given weights unlike the fit's on what look like its rows.

    An exposure-weighted model refitted without its weights balances a book in
    which every policy counts alike (2.5% off on a motor book whose exposures
    run from 0.05 to 1 years).  A call without weights warns when the fit's
    positive weights were unequal, or when it passes as many rows as the fit
    had and the fit weighted some of them zero (they would now count).  A
    fit whose weights only selected rows (0 or 1) refits silently without
    weights on the rows it kept.  A call with weights on as many rows as the
    fit had, or as it had of positive weight, warns when they are not the
    fit's (another count of positive weights or another effective size).
    Rows of another count are another data set, which the caller chose.
    """
    summary = getattr(model, "_fit_weight_summary_", None)  # a model pickled before it was recorded has none
    if summary is None:
        return
    n_rows, n_positive, effective = summary.n_rows, summary.n_positive, summary.effective_size
    fitted_unequal = effective < n_positive * (1 - _EFFECTIVE_SIZE_RTOL)
    name = type(model).__name__
    if sample_weight is None:
        if fitted_unequal:
            warnings.warn(
                f"{name}.refit_intercept was called without sample_weight, but the model was fitted with unequal "
                "sample_weight (exposures, counts or other weights): every row now counts alike, so the intercept "
                "does not restore the fitted balance. Pass sample_weight=, the weights given to fit.",
                UserWarning, stacklevel=user_stacklevel(),
            )
        elif n_positive < n_rows and len(weights) == n_rows:
            warnings.warn(
                f"{name}.refit_intercept was called without sample_weight on as many rows ({int(n_rows)}) as the fit "
                f"had, but the fit gave {int(n_rows - n_positive)} of them weight zero: they now count. Pass "
                "sample_weight=, the weights given to fit, or only the rows of positive weight.",
                UserWarning, stacklevel=user_stacklevel(),
            )
        return
    if len(weights) not in (n_rows, n_positive):
        return
    now = summarize_weights(weights)
    if now.n_positive != n_positive or abs(now.effective_size - effective) > _EFFECTIVE_SIZE_RTOL * effective:
        if fitted_unequal:
            fitted = "unequal sample_weight"
        elif n_positive < n_rows:
            fitted = f"equal weights on {int(n_positive)} rows and weight zero on the other {int(n_rows - n_positive)}"
        else:
            fitted = "equal weights (no sample_weight)"
        which = "" if len(weights) == n_rows else " of positive weight"
        warnings.warn(
            f"{name}.refit_intercept was given sample_weight unlike the fit's on as many rows ({len(weights)}) as the "
            f"fit had{which}: the model was fitted with {fitted}. Pass sample_weight=, the weights given to fit "
            "(or none if fit had none), to refit the intercept on the training rows.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def refitted_intercept(model, X, y, sample_weight, balance=False):
    """``(intercept, n_counted)``: ``model``'s intercept refitted on ``(X, y, sample_weight)``.

    ``n_counted`` is the number of rows of positive weight (the record's
    "refitted on n rows"): a row of weight zero takes no part in the refit.

    ``balance``: on a log link, the intercept of weighted predicted total equal
    to the weighted observed total (Poisson's maximum-likelihood intercept, for
    every power); the other losses' maximum-likelihood intercepts balance already.
    """
    table = validate_tabular(model, X, reset=False)
    n_samples = table.n_samples
    weights = check_sample_weight(sample_weight, n_samples)
    warn_other_weights(model, sample_weight, weights)
    # a row of weight zero takes no part: its values are not read (nor warned of as unseen in training, as the
    # fit's own rows of weight zero would be when the training rows are passed with the fit's weights)
    counted = np.flatnonzero(weights > 0)
    n_counted = len(counted)
    if n_counted < n_samples:
        table = table.take(counted)
    sums = model._decision_of_codes(model._binned(table)) - model._base_value()
    if not hasattr(model, "classes_"):
        y = check_regression_target(y, n_samples, estimator_name=type(model).__name__)[counted]
        weights = weights[counted]
        if model._link().name == "identity":
            return np.array([np.average(y - sums, weights=weights)]), n_counted
        check_log_link_target(y, weights, model._fitted_loss_)
        power = 1.0 if balance else deviance_power(model._fitted_loss_, model.power)
        return np.array([log_link_intercept(sums, y, weights, power)]), n_counted
    codes = _class_codes(model, y, n_samples)[counted]
    weights = weights[counted]
    weights = apply_class_weight(getattr(model, "class_weight", None), model.classes_, codes, weights)
    totals = np.bincount(codes, weights=weights, minlength=len(model.classes_))
    absent = [model.classes_[k] for k in np.flatnonzero(totals <= 0)]
    if absent:
        raise ValueError(
            f"refit_intercept needs rows of every class with positive weight; y has none of {absent}, so that "
            "class's intercept would go to minus infinity. Pass data holding every class (e.g. the training rows)."
        )
    if sums.ndim == 1:
        return np.array([_logistic_intercept(sums, weights, totals[1])]), n_counted
    return _softmax_intercept(sums, weights, totals, model.intercept_), n_counted


def log_link_intercept(sums, y, weights, power):
    """The ``c`` minimising the Tweedie deviance of ``power`` of ``mu = exp(c + s)`` (see the module docstring)."""
    positive = weights > 0
    if power == 1.0:  # Poisson: the mean-balancing intercept
        return np.log(np.sum(weights[positive] * y[positive])) - logsumexp(sums[positive], b=weights[positive])
    observed = positive & (y > 0)  # Tweedie rows with y = 0 add nothing to the first sum
    return (logsumexp((1.0 - power) * sums[observed], b=weights[observed] * y[observed])
            - logsumexp((2.0 - power) * sums[positive], b=weights[positive]))


def _class_codes(model, y, n_samples):
    y = np.asarray(labels_as_numpy(y))
    if y.ndim != 1 or y.shape[0] != n_samples:
        raise ValueError(f"y must hold one label per row of X ({n_samples}), got shape {y.shape}.")
    lookup = {label: k for k, label in enumerate(model.classes_.tolist())}
    codes = np.array([lookup.get(label, -1) for label in y.tolist()], dtype=np.intp)
    if np.any(codes < 0):
        unknown = sorted({repr(label) for label, code in zip(y.tolist(), codes) if code < 0})[:5]
        raise ValueError(f"y holds labels the model was not fitted on ({', '.join(unknown)}); its classes are "
                         f"{model.classes_.tolist()}.")
    return codes


def _logistic_intercept(sums, weights, positive_total):
    """The ``c`` with ``sum w sigmoid(c + s) = positive_total`` (found between widening brackets)."""
    def excess(c):
        return np.dot(weights, expit(sums + c)) - positive_total

    low, high = -1.0, 1.0
    while excess(low) > 0:
        low *= 2
    while excess(high) < 0:
        high *= 2
    return brentq(excess, low, high, xtol=_TOLERANCE, rtol=4 * np.finfo(float).eps, maxiter=500)


def _softmax_intercept(sums, weights, totals, start):
    """Every class's ``c_k`` with ``sum w p_k = totals[k]``, one class at a time until no update moves."""
    intercept = np.array(start, dtype=np.float64)
    for _ in range(_MAX_SWEEPS):
        largest = 0.0
        for k in range(len(intercept)):
            raw = sums + intercept
            others = np.delete(raw, k, axis=1)
            # p_k = 1 / (1 + sum_j exp(raw_j - raw_k)); its weighted sum is increasing in c_k
            rest = logsumexp(others, axis=1)
            base = sums[:, k]

            def excess(c):
                return np.dot(weights, expit(base + c - rest)) - totals[k]

            low, high = intercept[k] - 1.0, intercept[k] + 1.0
            while excess(low) > 0:
                low -= 2 * (high - low)
            while excess(high) < 0:
                high += 2 * (high - low)
            updated = brentq(excess, low, high, xtol=_TOLERANCE, rtol=4 * np.finfo(float).eps, maxiter=500)
            largest = max(largest, abs(updated - intercept[k]))
            intercept[k] = updated
        if largest < 1e-12 * max(1.0, np.abs(intercept).max()):
            break
    return intercept
