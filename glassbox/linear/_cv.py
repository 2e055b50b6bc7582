"""Cross-validated choice of alpha: SparseLinearRegressorCV and SparseLinearClassifierCV.

One grid of alphas is built on the whole training set; each fold fits the
whole path with warm starts on its training part and scores every alpha on
its held-out part (weighted squared error, weighted mean deviance of the
log-link losses, or weighted log-loss).  The alpha
with the lowest mean held-out loss wins, and the final model is the full-data
path stopped at that alpha (so an L0 model is the same local solution the
path reaches, not a cold start).
"""

import time
import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
from sklearn.metrics import mean_tweedie_deviance
from sklearn.model_selection import check_cv

from ..base import GlassBoxClassifierMixin, GlassBoxRegressorMixin
from ..utils._fit_state import restores_state_on_failure
from ..utils._progress import VERBOSE_CONSTRAINT, progress_of
from ..utils._sklearn_shim import Interval, validate_parameters
from ..utils.validation import (CLASS_WEIGHT_CONSTRAINT, N_JOBS_CONSTRAINT, capped_list, check_groups, deviance_power,
                                plain_value, user_stacklevel)
from ._base import COMMON_CONSTRAINTS, SparseLinearBase
from ._estimators import _CLASS_WEIGHT_DOC, _LOSS_DOC, REGRESSION_LOSS_CONSTRAINTS, ClassifierStorage, RegressorTarget
from ._path import alpha_grid, checked_alphas, run_path
from ._solver import LOG_LINK_LOSSES

# the log-mean is clipped to +-this before exp, as the datafits do
_MAX_LOG_MEAN = 300.0

CV_CONSTRAINTS = {
    **COMMON_CONSTRAINTS,
    "alphas": ["array-like", None],
    "n_alphas": [Interval(Integral, 2, None, closed="left")],
    "eps": [Interval(Real, 0, 1, closed="neither")],
    "cv": ["cv_object"],
    "n_jobs": N_JOBS_CONSTRAINT,
    "verbose": VERBOSE_CONSTRAINT,
}


def _held_out_loss(decision, Y, weights, loss, power=0.0):
    """Weighted mean loss of a decision function on held-out rows.

    The log-link losses score the mean deviance of their family
    (``sklearn.metrics.mean_tweedie_deviance`` at the family's power).
    """
    if loss in LOG_LINK_LOSSES:
        mean = np.exp(np.clip(decision, -_MAX_LOG_MEAN, _MAX_LOG_MEAN))
        return float(mean_tweedie_deviance(Y[0], mean, sample_weight=weights, power=deviance_power(loss, power)))
    if loss == "squared":
        values = (Y[0] - decision) ** 2
    elif loss == "logistic":
        values = np.logaddexp(0.0, decision) - Y[0] * decision
    else:
        top = decision.max(axis=1, keepdims=True)
        log_norm = top[:, 0] + np.log(np.exp(decision - top).sum(axis=1))
        values = log_norm - (Y.T * decision).sum(axis=1)
    return float(weights @ values / weights.sum())


def _timed_fold_losses(*args):
    """:func:`_fold_losses` and its seconds (timed in the worker that fits the fold)."""
    started = time.perf_counter()
    losses = _fold_losses(*args)
    return losses, time.perf_counter() - started


def _fold_losses(model, table, Y, w, train, test, alphas):
    """Held-out loss of every alpha for one fold."""
    w_train = w[train]
    if not np.any(w_train > 0) or not np.any(w[test] > 0):
        return np.full(len(alphas), np.nan)
    if model._problem_loss(Y) in LOG_LINK_LOSSES and not w_train @ Y[0, train] > 0:
        return np.full(len(alphas), np.nan)  # a fold of zero counts has no log-mean to start from
    fitted = model._make_problem(table.take(train), Y[:, train], w_train / w_train.sum(),
                                 warn_constant=False, whole_data=False)
    states, _ = run_path(model, fitted, alphas, warn=False)
    raw = fitted.design.matrix(table.take(test))
    losses = []
    for state in states:
        coef, intercept = fitted.original_units(state.coef, state.intercept)
        decision = raw @ coef.T + intercept
        decision = decision[:, 0] if coef.shape[0] == 1 else decision
        losses.append(_held_out_loss(decision, Y[:, test], w[test], fitted.problem.loss, fitted.problem.power))
    return np.asarray(losses)


def _folds_lacking_classes(Y, w, folds, classes, name):
    """``{fold: labels}``: the folds whose training rows hold no row of a class their held-out rows hold.

    Such a fold's model gives the class no probability (its intercept runs
    off toward minus infinity), so the fold's held-out log-loss measures how
    far the fit went, not alpha: the fold is left out of the choice, with a
    warning, and every fold so is refused.  Rows of weight zero count as absent.
    """
    codes = Y[0].astype(np.intp) if Y.shape[0] == 1 else np.argmax(Y, axis=0)
    present = w > 0
    lacking, lacking_codes = {}, set()
    for f, (train, test) in enumerate(folds):
        trained = np.unique(codes[train][present[train]])
        missing = np.setdiff1d(np.unique(codes[test][present[test]]), trained)
        if missing.size:
            lacking[f] = [plain_value(classes[k]) for k in missing]
            lacking_codes.update(missing.tolist())
    if not lacking:
        return lacking
    said = capped_list([f"fold {f + 1} of {len(folds)} (class{'es' if len(labels) > 1 else ''} "
                        f"{', '.join(repr(label) for label in labels)})" for f, labels in lacking.items()],
                       render="; ".join)
    why = ("so the fold's model gives that class no probability and its held-out log-loss measures how far the fit "
           "drove the class's intercept, not alpha. ")
    # a class of one row (of positive weight) is missing from the training rows of the fold that holds it out,
    # however the rows are split: stratified folds (already the default) cannot help, so the advice is the class's
    counts = np.bincount(codes[present], minlength=len(classes))
    lone = [plain_value(classes[k]) for k in sorted(lacking_codes) if counts[k] == 1]
    if lone:
        which = f"Class {lone[0]!r} has" if len(lone) == 1 else f"Classes {capped_list(lone)} have"
        why += (f"{which} a single row of positive weight, so the fold that holds it out trains without it however "
                "the rows are split: give it more rows, or merge it into another class.")
    else:
        why += ("Use stratified folds (cv=5, or StratifiedKFold(n_splits, shuffle=True, random_state=0)), shuffle a "
                "KFold over rows sorted by class, or give a rare class more rows.")
    if len(lacking) == len(folds):
        raise ValueError(f"{name} cannot choose alpha: the training rows of every fold lack a class that its "
                         f"held-out rows hold ({said}), {why}")
    warnings.warn(f"{name}: the training rows of {said} hold no row of a class that the fold's held-out rows hold, "
                  f"{why} {'That fold is' if len(lacking) == 1 else 'Those folds are'} left out of the choice of "
                  "alpha (NaN in cv_losses_).", UserWarning, stacklevel=user_stacklevel())
    return lacking


def _say_folds(progress, timed, alphas, lacking=None):
    """A line per fold (its path's seconds, its best alpha), printed once all folds have returned."""
    if not progress:
        return
    for f, (losses, seconds) in enumerate(timed):
        if lacking and f in lacking:
            progress.say(f"fold {f + 1}/{len(timed)}: skipped (its training rows lack a class its held-out rows "
                         "hold)", seconds=seconds)
            continue
        if np.all(np.isnan(losses)):
            progress.say(f"fold {f + 1}/{len(timed)}: skipped (no weighted rows to fit or score)", seconds=seconds)
            continue
        best = int(np.nanargmin(losses))
        progress.say(f"fold {f + 1}/{len(timed)}: path of {len(alphas)} alphas, best held-out loss "
                     f"{losses[best]:.6g} at alpha={alphas[best]:.6g}", seconds=seconds)
    progress.say(f"cross-validated {len(alphas)} alphas on {len(timed)} folds")


class SparseLinearCVBase(SparseLinearBase):
    """The cross-validation procedure shared by both CV estimators."""

    @restores_state_on_failure
    def fit(self, X, y, sample_weight=None, groups=None):
        """Pick alpha by cross-validation, then fit on all of ``X``.

        Parameters
        ----------
        X : array-like, DataFrame or scipy.sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Rows of weight zero are as good as absent: the folds are dealt
            out among the rows of positive weight, as they would be without
            the others, and the rows of weight zero join no fold.
        groups : array-like of shape (n_samples,), default=None
            Group label of every row (customer, patient, policy), passed to
            the splitter: with ``cv=GroupKFold(5)`` all the rows of a group
            are held out together, so that alpha is not chosen on rows whose
            group the fold also trained on.  Splitters without groups ignore it.

        Returns
        -------
        self
        """
        validate_parameters(self)
        progress = progress_of(self)
        table, y, w = self._validate_fit_input(X, y, sample_weight)
        classes, Y = self._target_blocks(y)
        if classes is not None:
            self.classes_ = classes
        fitted = self._make_problem(table, Y, w)
        if self.alphas is None:
            alphas = alpha_grid(self, fitted, self.n_alphas, self.eps)
        else:
            alphas = checked_alphas(self.alphas)
        folds = self._folds(table, y, w, groups)
        lacking = {} if classes is None else _folds_lacking_classes(Y, w, folds, classes, type(self).__name__)
        run = Parallel(n_jobs=self.n_jobs)(
            delayed(_timed_fold_losses)(self, table, Y, w, train, test, alphas)
            for f, (train, test) in enumerate(folds) if f not in lacking
        )
        run = iter(run)
        timed = [(np.full(len(alphas), np.nan), 0.0) if f in lacking else next(run) for f in range(len(folds))]
        losses = [fold for fold, _ in timed]
        _say_folds(progress, timed, alphas, lacking)
        self.alphas_ = alphas
        self.cv_losses_ = np.column_stack(losses)
        mean = np.nanmean(self.cv_losses_, axis=1)
        best = int(np.nanargmin(mean))
        self.alpha_ = float(alphas[best])
        progress.say(f"chose alpha={self.alpha_:.6g} (number {best + 1} of {len(alphas)}), mean held-out loss "
                     f"{mean[best]:.6g}")
        states, n_iters = run_path(self, fitted, alphas[: best + 1])
        self._store(fitted, states[-1], sum(n_iters))
        progress.done(f"refitted on all rows at alpha_: {self.n_nonzero_} nonzero terms")
        return self

    def _folds(self, table, y, w, groups):
        """The ``(train, test)`` row indices of every fold, or an error saying what to change.

        The splitter deals out the rows of positive weight only, by the same
        draws as if the rows of weight zero were absent, and those rows join no
        fold: dealt out with the others, they moved the fold boundaries of the
        rows that count, and so alpha_ (the GAM draws its validation rows the
        same way).  With every weight positive the folds are those of all rows.
        Folds given as an iterable of index pairs are used as given.
        """
        name = type(self).__name__
        groups = check_groups(groups, table.n_samples, f"{name}.fit")
        if not hasattr(self.cv, "split") and not isinstance(self.cv, Integral) and self.cv is not None:
            return list(check_cv(self.cv).split())  # the caller's own (train, test) indices of every row
        positive = np.flatnonzero(w > 0)
        counted = positive if len(positive) < table.n_samples else slice(None)
        splitter = check_cv(self.cv, y[counted], classifier=is_classifier(self))
        try:
            folds = list(splitter.split(table.numeric[counted], y[counted],
                                        None if groups is None else groups[counted]))
        except ValueError as exc:
            if groups is None and "groups" in str(exc):  # a group splitter (GroupKFold, ...) called without them
                raise ValueError(
                    f"{name} cannot split the data for cross-validation: cv={self.cv!r} splits by groups; "
                    "pass each row's group label as fit(X, y, groups=...). Inside a search or cross_validate, "
                    "which pass groups to their own splitter only, enable metadata routing "
                    "(sklearn.set_config(enable_metadata_routing=True)) and call set_fit_request(groups=True) on "
                    f"the {name}: the groups given to the search then reach its fit too."
                ) from exc
            raise ValueError(  # e.g. fewer rows (or groups) than folds: say what to change
                f"{name} cannot split the data for cross-validation ({exc}; the {len(positive)} rows of positive "
                "sample_weight are split); use fewer folds (e.g. cv=2), more rows, or the estimator without CV "
                "at a chosen alpha."
            ) from exc
        return folds if isinstance(counted, slice) else [(positive[train], positive[test]) for train, test in folds]


_CV_PARAMETERS_DOC = """
    Parameters
    ----------
    alphas : array-like or None, default=None
        Grid of penalty strengths; None builds ``n_alphas`` log-spaced values
        from the smallest alpha that zeroes every coefficient down to ``eps`` times it.
    n_alphas : int, default=50
        Length of the grid built when ``alphas`` is None.
    eps : float in (0, 1), default=1e-3
        Smallest alpha of that grid, as a share of the largest.
    cv : int, cross-validation generator or iterable, default=5
        Folds (stratified for classifiers), as in scikit-learn; a group
        splitter such as ``GroupKFold(5)`` takes the rows' groups as
        ``fit(X, y, groups=...)``, as ``LassoCV`` does.
    n_jobs : int or None, default=None
        Folds fitted in parallel (joblib).
    verbose : int, default=0
        Progress lines on standard output while fitting: 0 prints nothing;
        1 a line per fold (its path's seconds and best alpha), the alpha
        chosen and the final fit, printed once all folds have returned
        (they may run in parallel).  The fitted model does not depend on it.
    penalty, l1_ratio, ridge_alpha, max_features, monotonic_cst, fit_intercept
        As in the non-CV estimator, with the same defaults.
    standardize, categorical_features, basis, max_thresholds, local_search, max_iter, tol
        As in the non-CV estimator, with the same defaults.
    reference_levels : dict or None, default=None
        As in the non-CV estimator: ``{feature name: level}``, each named
        level held at 0 (the feature's base) in every fold's path and in the
        final fit.  A fold without the named level's rows holds none for
        that feature (its predictions are the same either way at ``alpha=0``)."""

_CV_ATTRIBUTES_DOC = """
    Attributes
    ----------
    alpha_ : float
        The chosen penalty strength.
    alphas_ : ndarray of shape (n_alphas,)
    cv_losses_ : ndarray of shape (n_alphas, n_folds)
        Held-out weighted loss per alpha and fold: squared error, log-loss,
        or for the log-link losses the mean deviance of the family (as
        ``sklearn.metrics.mean_poisson_deviance``, ``mean_gamma_deviance``,
        ``mean_tweedie_deviance(power=power)``; not R² of the mean).  NaN
        for a fold left out of the choice: one with no weighted rows to fit
        or score, or (classifiers, with a warning) one whose training rows
        hold no row of a class its held-out rows hold.
    coef_, intercept_, terms_, term_names_, n_nonzero_, n_iter_
        As in the non-CV estimator, for the model refitted at ``alpha_``.
    term_constraints_, term_means_, term_stds_, reference_levels_
        As in the non-CV estimator.
    n_features_in_, feature_names_in_, is_categorical_
        As in the non-CV estimator (the classifier also has ``classes_``)."""


class _CVParams:
    def __init__(self, *, alphas=None, n_alphas=50, eps=1e-3, cv=5, n_jobs=None, penalty="l1", l1_ratio=0.5,
                 ridge_alpha=0.0, max_features=None, monotonic_cst=None, fit_intercept=True, standardize=True,
                 categorical_features="auto", reference_levels=None, basis="linear", max_thresholds=32,
                 local_search=True, max_iter=1000, tol=1e-6, verbose=0):
        self.alphas = alphas
        self.n_alphas = n_alphas
        self.eps = eps
        self.cv = cv
        self.n_jobs = n_jobs
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.ridge_alpha = ridge_alpha
        self.max_features = max_features
        self.monotonic_cst = monotonic_cst
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.categorical_features = categorical_features
        self.reference_levels = reference_levels
        self.basis = basis
        self.max_thresholds = max_thresholds
        self.local_search = local_search
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose


class SparseLinearRegressorCV(RegressorTarget, GlassBoxRegressorMixin, SparseLinearCVBase, _CVParams,
                              RegressorMixin, BaseEstimator):
    __doc__ = f"""Sparse linear regression with alpha chosen by cross-validation.

    Each fold fits the regularization path with warm starts; the alpha with
    the lowest mean held-out loss is refitted on all the data: squared error,
    or for ``loss="poisson"``, ``"gamma"`` and ``"tweedie"`` the mean
    deviance of that family (the loss the model minimizes, which R² of the
    predicted mean is not).
    {_CV_PARAMETERS_DOC}
    {_LOSS_DOC}
    {_CV_ATTRIBUTES_DOC}

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from glassbox import SparseLinearRegressorCV
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> model = SparseLinearRegressorCV(n_alphas=20, cv=3).fit(X, y)
    >>> model.alpha_ > 0
    True

    Counts: alpha chosen by the held-out mean Poisson deviance.

    >>> import numpy as np
    >>> rng = np.random.RandomState(0)
    >>> X_counts = rng.normal(size=(300, 6))
    >>> counts = rng.poisson(np.exp(1 + 0.5 * X_counts[:, 0]))
    >>> poisson = SparseLinearRegressorCV(loss="poisson", n_alphas=10, cv=3).fit(X_counts, counts)
    >>> bool(poisson.coef_[0] > 0.4)
    True
    """

    _parameter_constraints = {**CV_CONSTRAINTS, **REGRESSION_LOSS_CONSTRAINTS}

    def __init__(self, *, alphas=None, n_alphas=50, eps=1e-3, cv=5, n_jobs=None, loss="squared_error", power=1.5,
                 penalty="l1", l1_ratio=0.5, ridge_alpha=0.0, max_features=None, monotonic_cst=None,
                 fit_intercept=True, standardize=True, categorical_features="auto", reference_levels=None,
                 basis="linear", max_thresholds=32, local_search=True, max_iter=1000, tol=1e-6, verbose=0):
        super().__init__(alphas=alphas, n_alphas=n_alphas, eps=eps, cv=cv, n_jobs=n_jobs, penalty=penalty,
                         l1_ratio=l1_ratio, ridge_alpha=ridge_alpha, max_features=max_features,
                         monotonic_cst=monotonic_cst, fit_intercept=fit_intercept, standardize=standardize,
                         categorical_features=categorical_features, reference_levels=reference_levels, basis=basis,
                         max_thresholds=max_thresholds, local_search=local_search, max_iter=max_iter, tol=tol,
                         verbose=verbose)
        self.loss = loss
        self.power = power
    # a tight tolerance makes weighted and repeated rows agree to sklearn's rtol=1e-7
    _test_params = {"tol": 1e-10}


class SparseLinearClassifierCV(GlassBoxClassifierMixin, ClassifierStorage, SparseLinearCVBase, _CVParams,
                               ClassifierMixin, BaseEstimator):
    __doc__ = f"""Sparse logistic regression with alpha chosen by cross-validation.

    Each (stratified) fold fits the regularization path with warm starts; the
    alpha with the lowest mean held-out log-loss is refitted on all the data.
    Multiclass targets use the multinomial loss, as in
    :class:`SparseLinearClassifier`.
    {_CV_PARAMETERS_DOC}
    {_CLASS_WEIGHT_DOC}
        The same row weights enter each fold's fit and its held-out log-loss
        (as ``sample_weight`` does); ``"balanced"`` is computed once, on all
        the rows.
    {_CV_ATTRIBUTES_DOC}

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from glassbox import SparseLinearClassifierCV
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> model = SparseLinearClassifierCV(n_alphas=10, cv=3).fit(X, y)
    >>> model.n_nonzero_ < X.shape[1]
    True
    """

    _parameter_constraints = {**CV_CONSTRAINTS, "class_weight": CLASS_WEIGHT_CONSTRAINT}

    def __init__(self, *, alphas=None, n_alphas=50, eps=1e-3, cv=5, n_jobs=None, penalty="l1", l1_ratio=0.5,
                 ridge_alpha=0.0, max_features=None, monotonic_cst=None, fit_intercept=True, standardize=True,
                 categorical_features="auto", reference_levels=None, basis="linear", max_thresholds=32,
                 local_search=True, max_iter=1000, tol=1e-6, verbose=0, class_weight=None):
        super().__init__(alphas=alphas, n_alphas=n_alphas, eps=eps, cv=cv, n_jobs=n_jobs, penalty=penalty,
                         l1_ratio=l1_ratio, ridge_alpha=ridge_alpha, max_features=max_features,
                         monotonic_cst=monotonic_cst, fit_intercept=fit_intercept, standardize=standardize,
                         categorical_features=categorical_features, reference_levels=reference_levels, basis=basis,
                         max_thresholds=max_thresholds, local_search=local_search, max_iter=max_iter, tol=tol,
                         verbose=verbose)
        self.class_weight = class_weight

