"""The bootstrap of :func:`coefficient_inference` (``method="bootstrap"``): the whole fit repeated on resampled rows.

Each refit (selection, shrinkage, constraints) on rows drawn with replacement
(Efron & Tibshirani 1993, percentile intervals) is read against the model's
own fit: its categorical levels against the model's reference levels, its
terms aligned to the model's, NaN where a resample could not estimate a
term.  The spread of those refits is the interval; how often a term is
nonzero, its selection share.
"""

import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from ..explain.base import INTERCEPT_TERM
from ..explain.inference import CoefficientInference
from ..explain.linear import LinearTerm
from ..utils.binning import user_stacklevel
from ._class_contrasts import bootstrap_contrasts, levels_against_first
from ._inference import _NO_LEVEL, _loss_of, _whole_numbers, binary_classes
from ._separation import design_column

# A kept term that cannot be estimated in more than this share of the resamples is warned of.
_ABSENT_SHARE = 0.1


def _resampled_weights(rng, w, codes, n_resamples, weights):
    """Each resample's weight per row, as the refit reads it.

    Frequency weights stand for copies of their rows (a weight of 3 is three
    identical observations), so a resample draws copies with replacement: as
    many as the weights sum to, a row's copies with probability proportional to
    its weight, each weighing 1 (rescaled so that the resample weighs as much
    as the data when the weights are not whole numbers).  Drawing the weighted
    rows instead would move a row's copies in and out as one block, which
    widened red wine's intervals 1.5-1.7 times against the same rows written
    out.  Variance weights are a row's precision: rows are drawn with
    replacement and keep their weights.  With ``codes`` whole groups are drawn,
    each keeping its rows' weights: the copies of a row belong to its group.
    """
    rows = np.flatnonzero(w > 0)
    if codes is not None:
        n_groups = int(codes.max()) + 1
        draws = []
        for _ in range(n_resamples):
            per_group = np.bincount(rng.randint(0, n_groups, n_groups), minlength=n_groups)
            draws.append(w * np.where(codes >= 0, per_group[codes], 0))
        return draws
    if weights == "variance" or np.all(w[rows] == 1):  # rows of weight 1: the copies are the rows
        return [w * np.bincount(rng.choice(rows, size=rows.size), minlength=w.size) for _ in range(n_resamples)]
    total = float(w.sum())
    n_copies = max(int(round(total)), 1)
    share = w[rows] / total
    return [np.bincount(rng.choice(rows, size=n_copies, p=share), minlength=w.size) * (total / n_copies)
            for _ in range(n_resamples)]


def _warn_if_fractional_copies(w):
    """Warn when frequency weights to resample are not whole numbers: the draws then depend on their scale.

    A resample draws as many copies as the weights sum to, so exposures in
    (0.1, 1), summing to about half the rows, give resamples of half the
    data: intervals about 1.4 times too wide, whatever band their sum is in.
    """
    if _whole_numbers(w):
        return
    total, rows = float(w.sum()), int(np.count_nonzero(w > 0))
    warnings.warn(
        f"sample_weight is not whole numbers, but weights='frequency' resamples a weight as that many identical "
        f"rows: each resample draws {max(int(round(total)), 1)} copies (the weights' sum) where there are {rows} "
        f"rows of positive weight, so the intervals depend on the weights' scale (weights summing to half the rows "
        f"widen them about 1.4 times). If the weights are exposures or precisions, pass weights='variance', "
        "which draws rows that keep their weights.", UserWarning, stacklevel=user_stacklevel(),
    )


def bootstrap(model, X, y, w, level, n_resamples, random_state, n_jobs, codes, contrast_to=None,
              weights="frequency"):
    if not (isinstance(n_resamples, (int, np.integer)) and n_resamples >= 2):
        raise ValueError(f"n_resamples must be an integer >= 2, got {n_resamples!r}.")
    base, X_fit, renamed = _fixed_basis(model, X, _refit_estimator(model))
    rng = check_random_state(random_state)
    rows = np.flatnonzero(w > 0)
    if weights == "frequency" and codes is None:
        _warn_if_fractional_copies(w)
    draws = _resampled_weights(rng, w, codes, n_resamples, weights)
    classes = getattr(model, "classes_", None)
    results = Parallel(n_jobs=n_jobs)(delayed(_refit)(base, X_fit, y, weight, renamed, classes) for weight in draws)
    reference = _coefficient_frame(model)
    fitted = [r for r in results if r is not None]
    if len(fitted) < 0.9 * n_resamples:
        raise ValueError(f"{n_resamples - len(fitted)} of {n_resamples} refits on resampled rows failed (e.g. a "
                         "resample that lacks a class); the data are too small for a bootstrap of this model: "
                         "merge a rare class with another, or fit on more rows.")
    values = np.stack([_aligned(reference, r) for r in fitted])            # (resamples, rows, 2), NaN: not estimable
    if contrast_to is not None:
        reference, values = bootstrap_contrasts(reference, values, contrast_to)
    estimates, kept = values[..., 0], values[..., 1]
    n_estimable = np.sum(~np.isnan(estimates), axis=0)
    # a term no resample could estimate has NaN figures, said in the report
    low, high = _over_present(lambda v: np.nanquantile(v, [0.5 - level / 2, 0.5 + level / 2], axis=0), estimates)
    spread = _over_present(lambda v: np.nanstd(v, axis=0, ddof=1), estimates, at_least=2)
    selected = _over_present(lambda v: np.nanmean(v, axis=0), kept)
    selected[_reference_rows(reference)] = np.nan  # 0 in every fit by construction: not a selection
    _warn_rarely_estimable(reference, n_estimable, len(fitted))
    loss, power = _loss_of(model)
    return CoefficientInference(
        model=type(model).__name__, method="bootstrap", level=float(level), terms=reference["names"],
        classes=reference["classes"], reference_class=None if contrast_to is None else model.classes_[contrast_to],
        coefficients=reference["values"], std_errors=spread,
        lower=low, upper=high, selected=selected, link=model._link().name, loss=loss,
        power=power if loss == "tweedie" else None, n_samples=int(rows.size), n_resamples=len(fitted),
        n_failed=n_resamples - len(fitted), reference_levels=reference["reference_levels"],
        n_not_converged=sum(r["not_converged"] for r in fitted), n_estimable=n_estimable,
        n_groups=None if codes is None else int(codes.max()) + 1, binary_classes=binary_classes(model),
    )


def _over_present(reduce, values, at_least=1):
    """``reduce(values)`` (a reduction over axis 0) on the columns with at least ``at_least`` values that are not
    NaN, NaN on the others: NumPy's nan-functions warn of such columns, and changing the warning filters is
    not thread safe.  The other columns are reduced as zeros, so each column is reduced as before."""
    enough = np.sum(~np.isnan(values), axis=0) >= at_least
    out = np.array(reduce(np.where(enough, values, 0.0)), dtype=np.float64)
    out[..., ~enough] = np.nan
    return out


def _warn_rarely_estimable(reference, n_estimable, n_fitted):
    """Warn of kept terms that many resamples could not estimate (a rare level, a step few rows reach)."""
    rare = (reference["values"] != 0) & (n_estimable < (1 - _ABSENT_SHARE) * n_fitted)
    if not rare.any():
        return
    listed = ", ".join(f"{reference['names'][i]} ({n_estimable[i]} of {n_fitted})" for i in np.flatnonzero(rare))
    warnings.warn(
        f"Some kept terms could not be estimated in many resamples, which held no row (of positive weight) that "
        f"varies them: {listed}. Their intervals and selection shares come from the other resamples only; they "
        "rest on few rows: merge rare levels, or read them with care.", UserWarning, stacklevel=user_stacklevel(),
    )


def _fixed_basis(model, X, base):
    """``(estimator, X, renamed)`` to refit: a model whose terms come from the data is refitted on its own terms.

    ``basis="steps"`` places the thresholds at quantiles of the rows it is
    fitted on, so a refit on resampled rows would have other step terms than
    the model's.  The refits then take the model's own step terms (and
    numeric terms) as fixed numeric columns, beside its categorical columns
    as they are (their levels are read against the reference level), so each
    interval is that of one of the model's terms.  ``renamed`` maps such a
    column's name back to the model's term.
    """
    if getattr(model, "basis", "linear") != "steps":
        return base, X, {}
    table, design = model._validated_design(X)
    columns, renamed, signs, categorical = {}, {}, {}, []
    for j, feature in enumerate(table.feature_names):
        if table.is_categorical[j]:
            columns[feature] = np.asarray(table.categorical[j], dtype=object)
            categorical.append(feature)
            continue
        for t in np.flatnonzero(model._design.sources == j):
            name = str(model.term_names_[t])
            columns[name], renamed[name] = design_column(design, t), model.terms_[t]
            if model.term_constraints_[t]:
                signs[name] = int(model.term_constraints_[t])
    import pandas as pd

    frame = pd.DataFrame(columns, index=getattr(X, "index", None))
    base = clone(base).set_params(basis="linear", monotonic_cst=signs or None,
                                  categorical_features=categorical or None)
    return base, frame, renamed


def _reference_rows(reference):
    """Rows of the reference levels (per class), in the order :func:`_reference_layout` lists them."""
    levels = reference["reference_levels"]
    per_class = [False] * reference["fit_intercept"] + [
        term.category is not None and levels.get(term.feature, _NO_LEVEL) == term.category
        for term in reference["terms"]]
    return np.tile(np.asarray(per_class, dtype=bool), len(reference["labels"]))


def _refit_estimator(model):
    """The single-alpha estimator to refit: the model itself, or a CV model's refit at its chosen ``alpha_``."""
    if not hasattr(model, "alpha_"):
        return clone(model)
    from ._estimators import SparseLinearClassifier, SparseLinearRegressor

    single = SparseLinearClassifier() if is_classifier(model) else SparseLinearRegressor()
    shared = {k: v for k, v in model.get_params(deep=False).items() if k in single.get_params(deep=False)}
    return single.set_params(**shared, alpha=model.alpha_)


def _refit(base, X, y, weights, renamed, classes=None):
    """The refit's coefficient frame, or None when it failed: a fit error (a binary resample of one class), or
    a classifier's resample that lacks one of the model's ``classes`` (a multinomial refit on fewer classes
    has other coefficients, none of them the model's)."""
    estimator = clone(base)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            estimator.fit(X, y, sample_weight=weights)
        except ValueError:
            return None
    if classes is not None and not np.array_equal(estimator.classes_, classes):
        return None
    frame = _coefficient_frame(estimator)
    frame["terms"] = [renamed.get(term.feature, term) if term.category is None else term for term in frame["terms"]]
    # a term whose column does not vary over the resample's rows has no estimate there (its coefficient stays 0)
    frame["estimable"] = np.asarray(estimator.term_stds_) > 0
    frame["not_converged"] = any(issubclass(c.category, ConvergenceWarning) for c in caught)
    return frame


def _coefficient_frame(model):
    """A fit's coefficients keyed by (class, term), categorical levels against the reference level.

    A categorical's levels beside an intercept can all move by one amount,
    the intercept the other way, without changing a prediction; the fit
    holds one level (its reference) at 0.  Each refit may hold another, so
    every fit is read against the reference level of ``model``'s own fit
    (the first of its levels at 0), which makes the refits comparable.
    """
    coef = np.atleast_2d(np.asarray(model.coef_, dtype=np.float64))            # (outputs, terms)
    intercept = np.atleast_1d(np.asarray(model.intercept_, dtype=np.float64)).copy()
    classes = getattr(model, "classes_", None)
    labels = [None] if coef.shape[0] == 1 else list(classes)
    terms = list(model.terms_)
    return {"coef": coef, "intercept": intercept, "terms": terms, "labels": labels,
            "fit_intercept": bool(model.fit_intercept), **_reference_layout(model, coef, intercept, terms, labels)}


def _reference_layout(model, coef, intercept, terms, labels):
    """Row names, values and reference levels of the model's own fit (the refits are aligned to them).

    A level named in ``reference_levels`` is its feature's reference (every refit holds it at 0 too); for
    the other categoricals, the first level the fit holds at 0.
    """
    levels = dict(getattr(model, "reference_levels_", None) or {})
    for j, term in enumerate(terms):
        if term.category is not None and model.fit_intercept and term.feature not in levels and \
                np.all(coef[:, j] == 0):
            levels[term.feature] = term.category
    if len(labels) > 1:
        coef, intercept, bases = levels_against_first(model, coef, intercept)
        levels.update(bases)
    names, row_classes, values = [], [], []
    for k, label in enumerate(labels):
        if model.fit_intercept:
            names.append(INTERCEPT_TERM), row_classes.append(label), values.append(intercept[k])
        for j, term in enumerate(terms):
            names.append(str(model.term_names_[j])), row_classes.append(label), values.append(coef[k, j])
    return {"names": tuple(names), "classes": None if labels == [None] else tuple(row_classes),
            "values": np.asarray(values), "reference_levels": levels}


def _aligned(reference, fit):
    """``(rows, 2)``: each reference row's coefficient in ``fit``, levels read against the reference levels,
    and whether that coefficient is nonzero (NaN for the intercept, which every fit keeps).

    Both are NaN where ``fit`` could not estimate the coefficient: a term
    absent from its rows (a level no resampled row holds) or constant over
    them, and every level of a categorical (and the intercept) whose
    reference level is absent: its levels cannot be read against it.  Such a
    resample says nothing about the term, and a 0 would drag its interval
    and selection share toward 0.
    """
    coef, intercept = fit["coef"].copy(), fit["intercept"].copy()
    position = {term: j for j, term in enumerate(fit["terms"])}
    estimable = dict(zip(fit["terms"], fit["estimable"]))
    unreadable = set()
    if fit["fit_intercept"]:
        for feature, level in reference["reference_levels"].items():
            base = position.get(LinearTerm(feature, level))
            if base is None or not estimable[LinearTerm(feature, level)]:
                unreadable.add(feature)
                continue
            # the levels present still add up to 1 on the resample's rows: read them against the reference
            own = [j for j, term in enumerate(fit["terms"]) if term.feature == feature and term.category is not None]
            shift = coef[:, base].copy()
            coef[:, own] -= shift[:, None]
            intercept += shift
    out = np.full((len(reference["labels"]) * (len(reference["terms"]) + reference["fit_intercept"]), 2), np.nan)
    row = 0
    for k in range(len(reference["labels"])):
        if reference["fit_intercept"]:
            if not unreadable:
                out[row, 0] = intercept[k]
            row += 1
        for term in reference["terms"]:
            j = position.get(term)
            if j is not None and estimable[term] and term.feature not in unreadable:
                out[row] = coef[k, j], float(coef[k, j] != 0)
            row += 1
    return out
