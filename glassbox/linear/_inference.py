"""Standard errors and confidence intervals of a sparse linear model's coefficients.

Two methods, for two different questions:

- **Wald** (``method="wald"``): the textbook GLM intervals (McCullagh &
  Nelder 1989, ch. 2 and 4) from the Fisher information of the terms the
  model kept, ``A^T diag(w_i W_i) A / phi``, with ``A`` the intercept and the
  kept terms in original units (a multinomial model: contrasts against a
  reference class, see ``_inference_multinomial``).  They need a fit that is
  the maximum-likelihood estimate on those terms, no shrinkage: ``alpha=0``,
  or best subset (``penalty="l0"`` without a ridge term).  They are valid
  only when the terms were fixed before looking at the rows: a best-subset
  fit, or a lasso at ``alpha=0`` whose ``max_features`` cap bound, that
  chose its terms among more candidates on the same rows gets
  figures that ignore the selection (intervals too narrow, p-values too
  small, conditionally on the selection too: with 20 candidates, one true
  effect and ``max_features=3``, 38% of the kept noise terms had p < 0.05
  in 100 simulated samples of 200 rows), which the table
  records (``n_candidates``) and warns of, naming sample splitting: choose
  the terms on one half of the rows, refit them with ``alpha=0`` on the
  other half and infer there.  Checked here: the score of the kept terms
  must vanish on the rows given, otherwise the rows are not the ones the
  model was fitted on (or the fit did not converge) and the intervals would
  be silently wrong.
- **Bootstrap** (``method="bootstrap"``): the whole fit (selection,
  shrinkage, constraints) repeated on resampled rows (Efron & Tibshirani
  1993, percentile intervals), for any penalty: the spread of the
  *procedure's* estimates and how often each term is selected.  For a
  penalized fit the intervals are centred on shrunk estimates: they measure
  variability, not the penalty's bias (``_inference_bootstrap``).
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import stats
from scipy.special import expit
from sklearn.base import is_classifier
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d

from ..explain.base import INTERCEPT_TERM
from ..explain.inference import CoefficientInference
from ..explain._columns import is_missing
from ..utils.binning import user_stacklevel
from ..utils.validation import (capped_list, check_finite_target, check_groups, check_log_link_target,
                                check_sample_weight, deviance_power, labels_as_numpy, plain_value)
from ._base import SparseLinearBase, effective_alpha, effective_ridge, is_unpenalized
from ._class_contrasts import reference_index
from ._separation import (ZERO_BOUNDED_LOSSES, complete_separation_text, separated_at_fit, warn_separated_classes,
                          warn_zero_target, zero_target_terms)

# Why a separated fit has no Wald table, after complete_separation_text's "the coefficients are infinite and".
NO_WALD_FIGURES = ("no Wald standard error, interval or p-value exists; a penalized fit's method='bootstrap' gives "
                   "intervals")
# A score statistic (g^T I^-1 g, in chi-square units) above this means the coefficients are not the
# maximum-likelihood fit on the rows given: the intervals would be centred on the wrong point.
_SCORE_LIMIT = 1e-3
# Eigenvalue ratio of the equilibrated information below which the kept terms are collinear.
_RANK_LIMIT = 1e-12
# Residuals whose Pearson spread is below this share of the target's spread around its mean (R^2 above
# 1 - 1e-14): a fit that reproduces y, whose estimated dispersion is rounding error.
_EXACT_FIT = 1e-7
_KNOWN_DISPERSION = {"logistic": "binomial", "poisson": "Poisson"}
_NO_LEVEL = object()
# Frequency weights that are not whole numbers and sum to more than this factor above (or below) the rows
# are warned of: normalised weights (sum 1, or a mean far from 1), not counts.
_COUNT_FACTOR = 2.0
# Where the dispersion is estimated, its degrees of freedom are counted from the weights' sum, so the standard
# errors scale by about sqrt(rows / sum): frequency weights that are not whole numbers and sum to more than this
# factor away from the rows (5% on the standard errors) are warned of.  Exposures in (0, 1) sum to about half.
_ESTIMATED_COUNT_FACTOR = 1.1
# A Poisson fit read at dispersion 1 is warned of when its Pearson statistic per residual degree of freedom
# exceeds this ratio AND the Poisson model itself would give so large a statistic with probability below
# _OVERDISPERSION_P.  At 1.5 the standard errors are sqrt(1.5) = 1.22 times too small (a 95% interval covers
# about 89%), the point where an actuary would read an interval differently; the p-value keeps small samples
# (where chi2(df)/df exceeds 1.5 by chance: p = 0.13 at 10 df) quiet, and the ratio keeps huge books, where a
# dispersion of 1.05 is already "significant" but harmless, quiet too.
_OVERDISPERSION_RATIO = 1.5
_OVERDISPERSION_P = 1e-3


def coefficient_inference(model, X, y, sample_weight=None, *, method="wald", level=0.95, dispersion=None,
                          weights="frequency", n_resamples=200, random_state=None, n_jobs=None, groups=None,
                          reference_class=None):
    """Standard errors and confidence intervals of a fitted sparse linear model's coefficients.

    Parameters
    ----------
    model : fitted SparseLinearRegressor, SparseLinearClassifier or their CV versions
    X, y, sample_weight : the rows the model was fitted on, and their weights
        Wald intervals refuse rows on which the coefficients are not the
        maximum-likelihood fit (other rows, or a fit short of convergence).
    method : {"wald", "bootstrap"}, default="wald"
        ``"wald"``: Fisher-information standard errors, z statistics and
        p-values (t on the residual degrees of freedom wherever the
        dispersion is estimated: squared error, Gamma, Tweedie,
        ``dispersion="pearson"``), for a fit with no penalty on its kept
        terms (``alpha=0``, or ``penalty="l0"`` with ``ridge_alpha=0``),
        valid for terms fixed before looking at the rows: a best-subset fit
        that chose its terms on them is warned of (its figures ignore the
        selection: use sample splitting); regressors and classifiers, without
        ``class_weight``.  A term a sign constraint (``monotonic_cst``) holds
        at 0 against the data (its score test beyond the table's level) is
        warned of: the table is then that of the model without it.  A multiclass (multinomial) model gives each
        class's coefficients against ``reference_class`` from the full
        Fisher information of the multinomial likelihood, which couples the
        classes (as statsmodels' MNLogit).  ``"bootstrap"``: percentile intervals and
        selection frequencies from ``n_resamples`` refits on resampled rows,
        for any model (a CV model is refitted at its ``alpha_``).
    level : float in (0, 1), default=0.95
        Coverage of the intervals.
    dispersion : None, "pearson" or float > 0, default=None
        Wald only.  None: 1 for the binomial, multinomial and Poisson losses,
        else the Pearson estimate ``sum w (y - mu)^2 / V(mu) / (n - k)``
        (``k`` = kept terms plus intercept); ``"pearson"`` estimates it for
        Poisson too (over-dispersed counts: quasi-Poisson); a number fixes it.
        A multinomial model takes None only.
    weights : {"frequency", "variance"}, default="frequency"
        What ``sample_weight`` means for the count of rows ``n``: a weight of 2
        is two identical rows (scikit-learn's meaning; ``n = sum of weights``),
        or a row's precision (exposures, claim counts; ``n`` = rows of positive
        weight, the weights' scale then cancels).  Wald: matters only where
        the dispersion is estimated.  Bootstrap: frequency weights are resampled
        as the copies they stand for (as many draws as the weights sum to),
        variance weights by drawing rows, each keeping its weight.
    n_resamples : int, default=200
        Bootstrap refits (a Wald table refuses another count: it resamples nothing).
    random_state : int, RandomState or None, default=None
        Bootstrap resampling (a Wald table refuses one).
    n_jobs : int or None, default=None
        Bootstrap refits in parallel (joblib).
    groups : array-like of shape (n_samples,), default=None
        Each row's group (a policy over its years, a patient's visits).
        Without groups the rows are taken as independent.  With groups the
        bootstrap resamples whole groups (a cluster bootstrap), and Wald
        standard errors are cluster-robust (sandwich, with the small-sample
        factor ``G/(G-1) (N-1)/(N-K)``; t quantiles on ``G - 1`` degrees of
        freedom where the dispersion is estimated), so rows of a group that move together
        widen the intervals as they should.
    reference_class : label or None, default=None
        Multiclass models: the class the others are read against.  Softmax
        fixes only differences between classes, so each row is a contrast,
        class minus reference class: the change in
        ``log P(class) / P(reference_class)`` per unit, whose ``exp`` is the
        odds ratio of the class against the reference.  None: Wald reads
        against ``classes_[0]`` (as statsmodels' MNLogit does); the bootstrap
        shows each class's own coefficients as ``coef_`` holds them, and
        reads the same contrasts as Wald when a class is named.  A
        categorical's levels are read against one level in every class: a
        level the fit holds at 0 in every class (or named in
        ``reference_levels``), else its first level.

    Returns
    -------
    CoefficientInference
        Per term (intercept first): coefficient, standard error, interval;
        Wald also statistic and p-value, bootstrap the fraction of refits
        that kept the term.  Log-link models show relativities and logistic
        ones odds ratios with their intervals; a multiclass table has a
        ``class`` per row (and the ``reference_class`` its contrasts are
        read against, with their odds ratios).

    Examples
    --------
    >>> import numpy as np
    >>> from glassbox import SparseLinearRegressor, coefficient_inference
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(500, 3))
    >>> claims = rng.poisson(np.exp(-1 + 0.4 * X[:, 0]))
    >>> glm = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, claims)
    >>> inference = coefficient_inference(glm, X, claims)
    >>> frame = inference.to_frame().set_index("term")
    >>> bool(frame.loc["x0", "lower"] < 0.4 < frame.loc["x0", "upper"])
    True
    >>> print(str(inference).splitlines()[0])
    Coefficient inference: SparseLinearRegressor (poisson, log link), Wald 95% intervals

    Three grades: each grade against the reference grade, ``low``.

    >>> from glassbox import SparseLinearClassifier
    >>> grade = np.array(["low", "mid", "top"])[np.digitize(X[:, 1] + rng.logistic(size=500), [-1, 1])]
    >>> clf = SparseLinearClassifier(alpha=0).fit(X, grade)
    >>> table = coefficient_inference(clf, X, grade).to_frame().set_index(["class", "term"])
    >>> row = table.loc[("top", "x1")]
    >>> print(row["reference_class"], round(row["coefficient"], 2), round(row["std_error"], 2))
    low 1.59 0.17
    """
    _check_model(model)
    if method not in ("wald", "bootstrap"):
        raise ValueError(f"method must be 'wald' or 'bootstrap', got {method!r}.")
    if not (isinstance(level, Real) and not isinstance(level, bool) and 0 < level < 1):
        raise ValueError(f"level must be a number strictly between 0 and 1 (e.g. 0.95), got {level!r}.")
    level = float(level)
    if weights not in ("frequency", "variance"):
        raise ValueError(f"weights must be 'frequency' or 'variance', got {weights!r}.")
    table, design = model._validated_design(X)
    y = column_or_1d(labels_as_numpy(y), warn=True)
    check_consistent_length(design, y)
    w = check_sample_weight(sample_weight, len(y))
    reference = reference_index(model, reference_class, method)
    if method == "wald":
        _check_no_resampling(n_resamples, random_state)
        return _wald(model, design, y, w, level, dispersion, weights, _group_codes(groups, w), reference)
    if dispersion is not None:
        raise ValueError("dispersion applies to method='wald' only; the bootstrap estimates the spread from refits.")
    from ._inference_bootstrap import bootstrap

    return bootstrap(model, X, y, w, level, n_resamples, random_state, n_jobs, _group_codes(groups, w), reference,
                     weights)


def _check_no_resampling(n_resamples, random_state):
    """Refuse the bootstrap's settings given to a Wald table, which would ignore them: the user meant to resample."""
    default_count = isinstance(n_resamples, Integral) and not isinstance(n_resamples, bool) and n_resamples == 200
    given = [name for name, default in (("n_resamples", default_count), ("random_state", random_state is None))
             if not default]
    if given:
        raise ValueError(f"{' and '.join(given)} appl{'ies' if len(given) == 1 else 'y'} to method='bootstrap' only; "
                         "a Wald table is computed from the fit's information, without resampling. Pass "
                         "method='bootstrap' to resample, or leave them out for Wald figures.")


def _check_model(model):
    if not isinstance(model, SparseLinearBase):
        raise TypeError(
            f"coefficient_inference needs a fitted glassbox sparse linear model (SparseLinearRegressor, "
            f"SparseLinearClassifier or their CV versions), got {type(model).__name__}; for a Pipeline pass its "
            "last step and the rows as that step receives them."
        )
    check_is_fitted(model, "coef_")


def _loss_of(model):
    """``(loss, power)``: "squared_error", "logistic", "multinomial", "poisson", "gamma" or "tweedie"."""
    if is_classifier(model):
        return ("logistic" if len(model.classes_) <= 2 else "multinomial"), 0.0
    return getattr(model, "_fitted_loss_", ("squared_error", 0.0))


# -- Wald -----------------------------------------------------------------------------------------------
def _wald(model, design, y, w, level, dispersion, weights, codes=None, reference=None):
    loss, power = _loss_of(model)
    _check_unpenalized(model)
    if loss == "multinomial":
        _check_class_rows(model, y, w)
        from ._inference_multinomial import multinomial_wald

        return multinomial_wald(model, design, y, w, level, dispersion, weights, codes, reference)
    if loss == "logistic":
        _check_class_rows(model, y, w)
        target = (y == model.classes_[1]).astype(np.float64)
    else:
        target = np.asarray(y, dtype=np.float64)
        check_finite_target(target)
        if loss != "squared_error":
            check_log_link_target(target, w, loss)
    coef, intercept = np.ravel(model.coef_), float(np.ravel(model.intercept_)[0])
    kept = np.flatnonzero(coef != 0)
    n_candidates = selection_candidates(model, coef)
    warn_if_selected(n_candidates, kept.size)
    A = _design_block(design, kept, model.fit_intercept)
    if loss == "logistic":
        warn_separated_classes(model, design, target.astype(np.intp), w, coef)
    elif loss in ZERO_BOUNDED_LOSSES:
        zero = [j for j, _ in zero_target_terms(model, design, target, w, coef)]
        if zero:
            warn_zero_target(model, zero, "the fit stopped at a large negative value; the Wald standard error, "
                                          "interval and p-value of such a term mean nothing")
    beta = np.concatenate([[intercept], coef[kept]]) if model.fit_intercept else coef[kept]
    eta = A @ beta if A.shape[1] else np.zeros(len(target))
    if loss == "logistic" and separated_at_fit(model, eta, target, w, free_shift=model.fit_intercept):
        # the information vanishes with the fitted variances, so the score check below would blame the rows
        raise ValueError(complete_separation_text(model, NO_WALD_FIGURES))
    positive = w > 0
    fisher, score, variance, mu = _glm_parts(loss, power, eta, target)
    n_rows = float(w.sum()) if weights == "frequency" else float(positive.sum())
    df = n_rows - A.shape[1]
    checked = loss == "poisson" and dispersion is None and codes is None  # dispersion 1, checked against the data
    fractional = weights == "frequency" and not _whole_numbers(w)
    if weights == "frequency" and not checked:
        _warn_if_not_counts(w, positive, _estimated(loss, dispersion))
    phi = _dispersion(loss, dispersion, w, target, mu, variance, df, weights)
    if checked:
        rows_df = float(positive.sum()) - A.shape[1] if fractional else None
        said = _warn_if_overdispersed(w, target, mu, variance, df, rows_df)
        if weights == "frequency" and not said:
            _warn_if_not_counts(w, positive)
    exact = _exact_fit_text(loss, dispersion, w, target, mu, variance, model.tol)
    if exact and not phi > 0:
        raise ValueError(exact)
    information = A.T @ (A * (w * fisher)[:, None]) / phi
    try:
        covariance = _inverse(information)
    except _Collinear as collinear:
        raise ValueError(_collinear_message(model, kept, A[positive], collinear.null)) from None
    gradient = A.T @ (w * score) / phi
    statistic = float(gradient @ covariance @ gradient)
    if not statistic <= _SCORE_LIMIT:
        if exact:  # the score is then measured in units of rounding errors
            raise ValueError(exact)
        raise ValueError(
            f"The coefficients are not the maximum-likelihood fit on these rows (score statistic {statistic:.3g}, "
            f"expected about 0): pass the rows and sample_weight the model was fitted on, or refit it with a "
            "smaller tol if it stopped short of convergence."
        )
    _warn_binding_constraints(model, design, coef, A, w * fisher / phi, w * score / phi, covariance, level)
    bases = _base_levels(model, coef)
    if codes is not None:
        covariance, df = _clustered(covariance, A[positive] * (w * score)[positive, None] / phi, codes[positive],
                                    n_rows)
    se = np.sqrt(np.diag(covariance))
    # an estimated dispersion (squared error, Gamma, Tweedie, quasi-Poisson) is read with t quantiles on the
    # residual degrees of freedom, as R's summary.glm: normal ones treat it as known, and a Gamma table's 95%
    # intervals covered 91% at 20 rows
    use_t = _estimated(loss, dispersion)
    z = beta / se
    if use_t:
        quantile, p_values = stats.t.ppf(0.5 + level / 2, df), 2 * stats.t.sf(np.abs(z), df)
    else:
        quantile, p_values = stats.norm.ppf(0.5 + level / 2), 2 * stats.norm.sf(np.abs(z))
    return CoefficientInference(
        model=type(model).__name__, method="wald", level=float(level), terms=_names(model, kept),
        coefficients=beta, std_errors=se, lower=beta - quantile * se, upper=beta + quantile * se,
        statistics=z, p_values=p_values, distribution="t" if use_t else "normal",
        link=model._link().name, loss=loss, power=power if loss == "tweedie" else None,
        dispersion=phi, dispersion_estimated=_estimated(loss, dispersion), df_resid=df,
        n_samples=int(positive.sum()), n_groups=None if codes is None else int(codes.max()) + 1,
        dropped_terms=tuple(str(model.term_names_[j]) for j in np.flatnonzero(coef == 0)
                            if bases.get(model.terms_[j].feature, _NO_LEVEL) != model.terms_[j].category),
        reference_levels=bases or None, n_candidates=n_candidates, binary_classes=binary_classes(model),
        n_observations=n_rows,
    )


def binary_classes(model):
    """A binary classifier's two classes as plain values (its coefficients are log-odds of the second), else None."""
    classes = getattr(model, "classes_", None)
    if not is_classifier(model) or classes is None or len(classes) != 2:
        return None
    return tuple(plain_value(c) for c in classes)


def _base_levels(model, coef):
    """The level each categorical's others are read against: ``{feature: level}``.

    Beside an intercept a categorical's levels are contrasts against one of
    them, held at 0: a level named in ``reference_levels``, else the first
    the fit holds at 0 (as the bootstrap reads them).  The table says so
    rather than listing that level among the terms at zero, which reads as a
    level without effect.  Without an intercept no level is a base.
    """
    levels = dict(getattr(model, "reference_levels_", None) or {})
    if not model.fit_intercept:
        return levels
    for j, term in enumerate(model.terms_):
        if term.category is not None and term.feature not in levels and coef[j] == 0:
            levels[term.feature] = term.category
    return levels


def _warn_binding_constraints(model, design, coef, A, fisher, score, covariance, level):
    """Warn of sign constraints that hold a coefficient at 0 against the data.

    Such a term is left out of the table, which is then that of the model
    without it: its effect goes into the kept terms it correlates with, and
    nothing says the fit wanted it.  For each term at 0 under a constraint,
    the score test of adding it (``u^2 / v``, ``u`` its log-likelihood's
    slope at 0 and ``v`` the information left once the kept terms are
    fitted) tells whether the data pull it beyond the constraint more than
    chance at the table's level would.  ``fisher`` and ``score`` are per-row
    weights (sample weight over the dispersion included).
    """
    signs = np.asarray(model.term_constraints_)
    held = np.flatnonzero((coef == 0) & (signs != 0))
    if not held.size:
        return
    quantile = stats.norm.ppf(0.5 + level / 2)
    binding = []
    for j in held:
        column = np.ravel(design[:, [j]].toarray() if hasattr(design, "toarray") else design[:, j]).astype(np.float64)
        u = float(column @ score)
        cross = A.T @ (fisher * column)
        v = float(column @ (fisher * column) - cross @ covariance @ cross)
        if not v > 0:
            continue  # the kept terms already span the column: adding it changes nothing
        z = u / np.sqrt(v)
        if signs[j] * z < -quantile:
            binding.append(f"{model.term_names_[j]} (monotonic_cst {int(signs[j]):+d}; score test z = {z:.3g})")
    if binding:
        one = len(binding) == 1
        warnings.warn(
            f"The sign constraint{'' if one else 's'} on {capped_list(binding, render=', '.join)} "
            f"{'holds its coefficient' if one else 'hold their coefficients'} at 0 against the data, which pull "
            f"{'it' if one else 'them'} the other way: the Wald figures are those of the model without "
            f"{'that term' if one else 'those terms'}, whose effect the kept terms correlated with "
            f"{'it' if one else 'them'} absorb. Check the constraint's sign, or infer on the model without "
            f"{'it' if one else 'them'}.", UserWarning, stacklevel=user_stacklevel(),
        )


def _check_class_rows(model, y, w):
    """Refuse a class_weight fit and labels the model was not fitted on (a Wald table reads the rows as data)."""
    if getattr(model, "class_weight", None) is not None:
        raise ValueError(
            "Wald intervals read the weights as the data's own; a class_weight fit reweights the classes, "
            "which makes them wrong. Fit without class_weight for inference, or use method='bootstrap'."
        )
    unknown = ~np.isin(y, model.classes_) & (w > 0)  # a label whose rows all weigh 0 is no class of the fit
    if unknown.any():
        unseen = ", ".join(repr(plain_value(v)) for v in np.unique(y[unknown])[:5])
        classes = ", ".join(repr(plain_value(v)) for v in model.classes_)
        raise ValueError(f"y holds labels the model was not fitted on: {unseen} (the model's classes: "
                         f"{classes}); pass the rows the model was fitted on.")


def _clustered(covariance, scores, codes, n_rows):
    """Cluster-robust (sandwich) covariance over groups, and its degrees of freedom (groups - 1).

    ``C (sum_g u_g u_g^T) C`` with ``u_g`` the sum of the group's score
    contributions and ``C`` the model-based covariance (the dispersion
    cancels), times the small-sample factor ``G/(G-1) (N-1)/(N-K)`` that
    Stata and statsmodels apply (Cameron & Miller 2015).
    """
    n_groups, k = int(codes.max()) + 1, scores.shape[1]
    if n_groups < 2:
        raise ValueError("Cluster-robust intervals need at least 2 groups; groups holds 1.")
    per_group = np.zeros((n_groups, k))
    np.add.at(per_group, codes, scores)
    factor = n_groups / (n_groups - 1) * (n_rows - 1) / (n_rows - k)
    return factor * covariance @ (per_group.T @ per_group) @ covariance, float(n_groups - 1)


def _check_unpenalized(model):
    if not is_unpenalized(model):
        alpha, ridge = effective_alpha(model), effective_ridge(model)
        raise ValueError(
            f"Wald intervals need coefficients without shrinkage, and this model's penalty shrinks them "
            f"(penalty={model.penalty!r}, alpha={alpha:g}{f', ridge_alpha={ridge:g}' if ridge else ''}). "
            "Use method='bootstrap' for this model, or refit unpenalized (alpha=0) on terms fixed without "
            "looking at these rows. To choose the terms from the data and still get valid Wald figures, split "
            "the rows: choose the terms on one half (this fit, or best subset), refit them with alpha=0 on the "
            "other half and infer there; Wald figures of terms chosen on the same rows are too narrow."
        )


def selection_candidates(model, coef):
    """The candidate terms a fit chose its kept terms among, or None when it kept every candidate.

    ``coef`` holds one row per output.  Two fits select at an unpenalized
    point: best subset (``penalty="l0"``), and a lasso or elastic net at
    ``alpha=0`` whose ``max_features`` cap bound (one at ``alpha > 0`` is
    refused).  Without penalty the lasso drops a term only when the cap
    makes it, so it chose only when it kept exactly ``max_features`` terms
    (a term counts when it is nonzero for some class, as the cap counts
    it); fewer kept terms mean the cap left room and the zeros come from
    elsewhere (a sign constraint that clips a coefficient to 0), which is
    no choice among candidates.  The candidates are the terms whose column
    varies, less one level of each categorical beside an intercept (the
    reference level the fit holds at 0 is no choice).
    """
    n_kept = int(np.sum(np.any(np.atleast_2d(coef) != 0, axis=0)))
    if model.penalty != "l0" and (model.max_features is None or n_kept < model.max_features):
        return None
    varies = np.asarray(model.term_stds_) > 0
    categorical = {term.feature for term, v in zip(model.terms_, varies) if term.category is not None and v}
    n_candidates = int(varies.sum()) - (len(categorical) if model.fit_intercept else 0)
    return n_candidates if n_kept < n_candidates else None


def warn_if_selected(n_candidates, n_kept):
    """Warn that Wald figures of terms a fit chose from the same rows ignore that choice (see the module)."""
    if n_candidates is None:
        return
    kept = "The 1 kept term was" if n_kept == 1 else f"The {n_kept} kept terms were"
    warnings.warn(
        f"{kept} chosen among {n_candidates} candidates on these same rows (best subset or a "
        "max_features cap): the Wald figures ignore that selection, so the intervals are too narrow and the p-values "
        "too small (noise terms that win the selection look significant far more often than the level says). For "
        "valid figures split the rows: choose the terms on one half, refit them with alpha=0 on the other half and "
        "infer there.",
        UserWarning, stacklevel=user_stacklevel(),
    )


def _design_block(design, kept, fit_intercept):
    """Dense ``(n, [1 +] k)`` block of the kept terms (their columns only, also from a sparse design)."""
    block = design[:, kept]
    block = block.toarray() if hasattr(block, "toarray") else np.asarray(block, dtype=np.float64)
    if fit_intercept:
        block = np.column_stack([np.ones(block.shape[0]), block])
    return block


def _glm_parts(loss, power, eta, y):
    """Per-row Fisher weight, score factor (the log-likelihood's d/d eta), variance function V(mu), and mu."""
    if loss == "squared_error":
        ones = np.ones_like(eta)
        return ones, y - eta, ones, eta
    if loss == "logistic":
        p = expit(eta)
        v = p * (1 - p)
        return v, y - p, v, p
    mu = np.exp(eta)
    p = deviance_power(loss, power)
    # log link: d mu / d eta = mu, so the Fisher weight is mu^2 / V(mu) = mu^(2 - p)
    return mu ** (2 - p), (y - mu) * mu ** (1 - p), mu**p, mu


def _estimated(loss, dispersion):
    if dispersion is None:
        return loss not in _KNOWN_DISPERSION
    return dispersion == "pearson"


def _whole_numbers(w):
    return bool(np.all(w == np.round(w)))


def _warn_if_not_counts(w, positive, dispersion_estimated=False):
    """Warn when frequency weights are not counts: not whole numbers, and either their sum is far from the rows
    they weigh, or the dispersion is estimated, whose degrees of freedom are counted from that sum.

    Exposures in (0, 1) sum to about half the rows, inside the factor-2
    band, yet an estimated dispersion read over ``sum(w) - k`` degrees of
    freedom comes out about ``rows / sum(w)`` times too large: with an
    estimated dispersion the band is 1.1.
    """
    total, rows = float(w.sum()), int(positive.sum())
    far = not rows / _COUNT_FACTOR <= total <= rows * _COUNT_FACTOR
    off = not rows / _ESTIMATED_COUNT_FACTOR <= total <= rows * _ESTIMATED_COUNT_FACTOR
    if _whole_numbers(w) or not (far or (dispersion_estimated and off)):
        return
    counted = ("the table is computed as if there were" if far else
               "the estimated dispersion is read over residual degrees of freedom counted from")
    warnings.warn(
        f"sample_weight is not whole numbers (it sums to {total:.4g} over {rows} rows of positive weight), but "
        f"weights='frequency' reads a weight as that many identical rows (a weight of 0.5 as half a row): "
        f"{counted} {total:.4g} rows. If the weights are not counts of identical rows (normalised weights, "
        "exposures, precisions), pass weights='variance'.", UserWarning, stacklevel=user_stacklevel(),
    )


def _pearson_statistic(w, y, mu, variance):
    """Pearson's chi-square ``sum w (y - mu)^2 / V(mu)``; over the residual degrees of freedom, the dispersion."""
    return float(np.sum(w * (y - mu) ** 2 / variance))


def _warn_if_overdispersed(w, y, mu, variance, df, rows_df=None):
    """Warn when a Poisson fit read at dispersion 1 has a Pearson statistic per residual df far above 1.

    Aggregated counts (claims per rating cell, rentals per hour) vary more
    than Poisson as a rule; at dispersion 1 every standard error is then
    ``sqrt(X2 / df)`` times too small.  Only when the user left
    ``dispersion`` at None: an explicit ``dispersion=1`` is a choice.

    ``rows_df``: the residual degrees of freedom counted in rows, given when
    frequency weights are not whole numbers.  Exposures passed so (a rate
    weighted by its exposure) give a Pearson statistic of about one per
    row, over the exposures' sum: a ratio of ``rows / sum(w)`` from clean
    Poisson data, whose cause is the weights' reading, not the data.

    Returns whether the warning named the weights' reading.
    """
    if df <= 0:
        return False
    chi2 = _pearson_statistic(w, y, mu, variance)
    ratio = chi2 / df
    if not (ratio > _OVERDISPERSION_RATIO and stats.chi2.sf(chi2, df) < _OVERDISPERSION_P):
        return False
    if rows_df is not None and rows_df > 0:
        _warn_weights_read_as_copies(chi2, df, rows_df)
        return True
    warnings.warn(
        f"Over-dispersion: the Pearson statistic of this Poisson fit is {ratio:.4g} per residual degree of freedom "
        f"({df:g} df), where Poisson counts give about 1, but the table reads the dispersion as 1: its standard "
        f"errors are about {np.sqrt(ratio):.3g} times too small and its intervals and p-values overstate the "
        "evidence as much. Pass dispersion='pearson' (quasi-Poisson: the standard errors scaled by the Pearson "
        "estimate), or give groups for cluster-robust errors; pass dispersion=1 to keep the Poisson figures "
        "without this warning.", UserWarning, stacklevel=user_stacklevel(),
    )
    return False


def _warn_weights_read_as_copies(chi2, df, rows_df):
    """The over-dispersion warning when frequency weights are not whole numbers: the reading of the weights first."""
    ratio, per_row = chi2 / df, chi2 / rows_df
    message = (
        f"sample_weight is not whole numbers, but weights='frequency' reads a weight as that many identical rows "
        f"(a weight of 0.5 as half a row): the over-dispersion check counts {df:g} residual degrees of freedom from "
        f"the weights' sum, where the rows give {rows_df:g}. The Pearson statistic of this Poisson fit is "
        f"{ratio:.4g} per degree of freedom so counted, {per_row:.4g} per row. ")
    if per_row > _OVERDISPERSION_RATIO and stats.chi2.sf(chi2, rows_df) < _OVERDISPERSION_P:
        message += (f"Over-dispersed either way: read as exposures the standard errors are about "
                    f"{np.sqrt(per_row):.3g} times too small. Pass weights='variance' if the weights are exposures "
                    "or precisions, and dispersion='pearson' (quasi-Poisson) or groups for cluster-robust errors.")
    else:
        message += ("If the weights are exposures or precisions (a rate weighted by its exposure), pass "
                    "weights='variance', which reads them so: the counts are then not over-dispersed. Only if they "
                    "are fractional copies of rows are the counts over-dispersed (then dispersion='pearson').")
    warnings.warn(message, UserWarning, stacklevel=user_stacklevel())


def _exact_fit_text(loss, dispersion, w, y, mu, variance, tol):
    """The refusal of a fit whose residuals are too small to estimate the dispersion from, or None.

    An estimated dispersion is the residuals' spread.  When ``y`` is fitted
    exactly (a target computed from the features), that spread is rounding
    error and the solver's tolerance, and so are the standard errors and the
    score check, whose units it sets: its failure must not be blamed on the
    rows.  Exact means a Pearson residual sum below ``_EXACT_FIT ** 2`` of
    the spread of ``y`` around its weighted mean (or zero for a constant ``y``).
    """
    if not _estimated(loss, dispersion):
        return None
    positive = w > 0
    w, y, mu, variance = w[positive], y[positive], mu[positive], variance[positive]
    residual = _pearson_statistic(w, y, mu, variance)
    spread = float(np.sum(w * (y - np.average(y, weights=w)) ** 2 / variance))
    if not residual <= _EXACT_FIT**2 * spread:
        return None
    known = "dispersion a value if it is known (e.g. dispersion=1.0)"
    if spread == 0:
        return (f"y takes one value in every row of positive weight, so there is no spread to estimate the "
                f"dispersion from and no Wald standard error, interval or p-value exists; give {known}.")
    way_out = (f"If y does hold noise that small, refit with a smaller tol (e.g. tol=1e-14) so that the fit resolves "
               f"it, or give {known}." if tol > 1e-13 else f"Give {known}.")
    return (f"y is fitted exactly by the kept terms: the residuals' spread is {np.sqrt(residual / spread):.2g} of "
            f"y's around its mean, rounding errors and the solver's tolerance (tol={tol:g}), so an estimated "
            "dispersion, and every Wald standard error, would be made of them. A target computed from the features "
            f"(a derived column, a test fixture) has no sampling error to infer. {way_out}")


def _dispersion(loss, dispersion, w, y, mu, variance, df, weights):
    if dispersion is not None and dispersion != "pearson":
        if isinstance(dispersion, str) or not (np.isfinite(dispersion) and dispersion > 0):
            raise ValueError(f"dispersion must be None, 'pearson' or a positive number, got {dispersion!r}.")
        return float(dispersion)
    if not _estimated(loss, dispersion):
        return 1.0
    if df <= 0:
        counts = ""
        if weights == "frequency":
            counts = (f"sample_weight sums to {float(w.sum()):.4g} over {int(np.sum(w > 0))} rows, and "
                      "weights='frequency' counts a weight as that many identical rows: if the weights are not "
                      "such counts, pass weights='variance'; else ")
        raise ValueError(f"Estimating the dispersion needs more rows than terms (here {df:g} degrees of freedom "
                         f"left); {counts}give dispersion a value, or fit fewer terms.")
    return _pearson_statistic(w, y, mu, variance) / df


class _Collinear(Exception):
    """The information matrix is singular; ``null`` holds its near-null directions (equilibrated units)."""

    def __init__(self, null):
        super().__init__()
        self.null = null


def _inverse(information):
    """The inverse of the information matrix, equilibrated first; collinear kept terms raise :class:`_Collinear`."""
    scale = np.sqrt(np.diag(information))
    if np.any(~np.isfinite(scale) | (scale == 0)):
        raise ValueError("The information about some kept terms is zero (no rows vary in them); "
                         "they cannot have a standard error.")
    equilibrated = information / np.outer(scale, scale)
    values, vectors = np.linalg.eigh(equilibrated)
    if values[0] <= _RANK_LIMIT * values[-1]:
        raise _Collinear(vectors[:, values <= _RANK_LIMIT * values[-1]])
    return (vectors / values) @ vectors.T / np.outer(scale, scale)


# A term whose unit vector projects onto the near-null space with at least this length is named as involved.
_NULL_LOADING = 0.05
_MAX_LISTED = 20


def _collinear_message(model, kept, A, null):
    """The refusal of collinear kept terms: every term in the near-null directions, one-hot groups named as such."""
    names = _names(model, kept)
    loading = np.sqrt(np.sum(null**2, axis=1))
    involved = [j for j in np.argsort(-loading, kind="stable") if loading[j] >= _NULL_LOADING]
    if len([j for j in involved if names[j] != INTERCEPT_TERM]) == 0:  # never a lone intercept: the largest loadings
        involved = list(np.argsort(-loading, kind="stable")[:min(len(names), 6)])
    involved = sorted(involved)
    terms = dict(zip(range(model.fit_intercept, len(names)), (model.terms_[j] for j in kept)))
    groups = _one_hot_groups(A, names, [j for j in involved if j in terms])
    directions = "one direction" if null.shape[1] == 1 else f"{null.shape[1]} directions"
    grouped = {j for g in groups for j in g}
    if all(j in grouped for j in involved if names[j] != INTERCEPT_TERM):  # the groups below name them all
        message = f"The kept terms are collinear ({directions} with no information), so their coefficients have " \
                  "no standard errors."
    else:
        listed = ", ".join(names[j] for j in involved[:_MAX_LISTED])
        more = len(involved) - _MAX_LISTED
        message = (f"The kept terms are collinear ({listed}{f' and {more} more' if more > 0 else ''} are, nearly "
                   f"exactly, linear in each other: {directions} with no information), so their coefficients have "
                   "no standard errors.")
    levels = [g for g in groups if all(terms[j].category is not None for j in g)]
    one_hot = [g for g in groups if g not in levels]
    if one_hot:
        shown = "; ".join("[" + ", ".join(names[j] for j in g) + "]" for g in one_hot)
        message += (f" Each of these groups of 0/1 columns sums to 1 on every row (one-hot), as the intercept "
                    f"does: {shown}. Drop one column per group, or pass each original column as one categorical "
                    "feature (the fit then holds one of its levels at 0 as the reference).")
    for group in levels:
        feature = terms[group[0]].feature
        if model.penalty == "l0":
            message += (f" All the levels of {feature} are kept beside the intercept (best subset may keep them "
                        "all): fit penalty='l1' with alpha=0, which holds one level at 0 as the reference.")
        else:
            message += (f" All the levels of {feature} are kept beside the intercept, where the fit holds one "
                        "at 0 as the reference: a level within rounding of 0 (about 1e-16) is that reference.")
    if not groups:
        message += " Drop one of them."
    return message


def _one_hot_groups(A, names, candidates):
    """Groups of 0/1 columns of ``A`` (among ``candidates``) whose sum is 1 on every row.

    Greedy: from each column, add the columns of the most similar names that
    share no row with the group until every row is covered.
    """
    binary = [j for j in candidates if np.all((A[:, j] == 0) | (A[:, j] == 1))]
    groups = []
    while binary:
        seed = binary.pop(0)
        group, total = [seed], A[:, seed].copy()
        for j in sorted(binary, key=lambda j: -_shared_prefix(names[seed], names[j])):
            if not np.any(total + A[:, j] > 1):
                group.append(j)
                total += A[:, j]
            if np.all(total == 1):
                break
        if len(group) > 1 and np.all(total == 1):
            groups.append(sorted(group))
            binary = [j for j in binary if j not in group]
    return groups


def _shared_prefix(a, b):
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _names(model, kept):
    names = [str(model.term_names_[j]) for j in kept]
    return tuple([INTERCEPT_TERM] + names if model.fit_intercept else names)


def _group_codes(groups, w):
    """Each row's group as an integer code (-1 for rows of zero weight), or None without groups."""
    if groups is None:
        return None
    groups = check_groups(groups, w.size, "coefficient_inference")
    positive = w > 0
    if groups.dtype.kind in "fO" and is_missing(groups[positive]).any():
        raise ValueError("groups holds missing values (NaN / None); give every row of positive weight a group.")
    codes = np.full(w.size, -1, dtype=np.intp)
    codes[positive] = np.unique(groups[positive], return_inverse=True)[1].ravel()
    return codes
