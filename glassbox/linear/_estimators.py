"""SparseLinearRegressor and SparseLinearClassifier: one penalized fit at a given alpha."""

import warnings
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from ..base import GlassBoxClassifierMixin, GlassBoxRegressorMixin
from ..explain._class_weight import class_weight_factors
from ..explain.links import Link
from ..utils._fit_state import restores_state_on_failure
from ..utils._sklearn_shim import Interval, StrOptions, validate_parameters
from ..utils.validation import (
    CLASS_WEIGHT_CONSTRAINT, apply_class_weight, capped_list, check_classification_target, check_finite_target,
    check_log_link_target, check_sample_weight, check_target_scale, check_tweedie_power, deviance_explained,
    user_stacklevel,
)
from ._base import COMMON_CONSTRAINTS, SparseLinearBase, effective_alpha, is_unpenalized
from ._separable import separable_despite_errors
from ._separation import (ZERO_BOUNDED_LOSSES, complete_separation_text, completely_separated, prices_a_row_near_zero,
                          runaway_zero_target_terms, warn_separated_classes, warn_zero_target)

_PARAMETERS_DOC = """
    penalty : {"l1", "elasticnet", "l0"}, default="l1"
        ``"l1"``: ``alpha * sum |b_j|`` (the lasso).  ``"elasticnet"``:
        ``alpha * sum (l1_ratio |b_j| + (1 - l1_ratio) / 2 b_j^2)``.  ``"l0"``:
        ``alpha * #{j : b_j != 0} + ridge_alpha * sum b_j^2`` (best subset),
        solved by coordinate descent with hard thresholding and a local swap
        search (Hazimeh & Mazumder 2020).
    l1_ratio : float in [0, 1], default=0.5
        Share of the L1 part of the elastic net (``penalty="elasticnet"`` only;
        0 is a pure ridge, which zeroes no coefficient: a path or
        cross-validation then needs explicit ``alphas``).
    ridge_alpha : float >= 0, default=0.0
        Ridge term added to the L0 penalty (``penalty="l0"`` only).
    max_features : int or None, default=None
        Hard cap on the number of nonzero terms: at most this many
        coefficients (terms nonzero in any class) are ever nonzero.  Once the
        cap is reached, other terms cannot enter; with ``penalty="l0"`` the
        swap search still exchanges terms.
    monotonic_cst : array-like of {-1, 0, 1}, dict or None, default=None
        Exact sign constraints: +1 keeps a numeric feature's coefficient >= 0,
        -1 keeps it <= 0 (a dict may be keyed by feature name).  Enforced by
        projection inside every coordinate update, so they hold exactly.
        Categorical features take no constraint.  Refused for a multiclass
        target (a class's score rising with a feature does not make its
        probability rise): fit one-vs-rest binary models instead.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    standardize : bool, default=True
        Penalize coefficients per weighted standard deviation of each term
        (the reported ``coef_`` are always in original units).  With False,
        the penalty acts on the original-unit coefficients, as in
        scikit-learn's linear models.
    categorical_features : "auto", None, mask, indices or names, default="auto"
        Categorical features (pandas ``category``/object columns by default);
        each level seen in training becomes an indicator term ``feature == level``.
    reference_levels : dict or None, default=None
        The base level of categorical features, ``{feature name: level}``
        (e.g. ``{"weathersit": "1"}``, the level a tariff is filed against).
        A named level's indicator is held at exactly 0 in the fit, at every
        ``alpha``, so every other level of the feature is read against it:
        with a log link its relativity is 1 and the others' relativities are
        factors against it.  At ``alpha=0`` the predictions are those of the
        fit without a named base (the same optimum, re-expressed: treatment
        coding, as ``statsmodels`` with that reference level); with a
        penalty the other levels are shrunk towards the named level.
        None (and a feature left out) keeps the default: every level has an
        indicator, and an intercept model holds at 0 a level chosen by the
        data.  Needs ``fit_intercept=True``; each key must be a categorical
        feature and each value one of its training levels (same type: the
        level ``"1"`` of a text column, ``1`` of an integer one).  Example::

            SparseLinearRegressor(alpha=0, loss="poisson",
                                  reference_levels={"weathersit": "1", "season": "2"})
    basis : {"linear", "steps"}, default="linear"
        Terms of a numeric feature.  ``"linear"``: the feature itself.
        ``"steps"``: the feature plus 0/1 steps ``feature >= t`` at up to
        ``max_thresholds`` weighted quantiles of its training values (short
        decimals between training values, the values themselves on integer
        data; none for a feature with two values), each a term of its own
        with its own coefficient, so the model can jump where the response does
        (``capital_gain >= 7298``).  Each step counts as one term against
        ``max_features``; a sign constraint applies to the feature's steps too,
        so a constrained feature stays monotone.
    max_thresholds : int in [1, 254], default=32
        Steps per numeric feature at most (``basis="steps"`` only).
    local_search : bool, default=True
        Run the swap search after coordinate descent (``penalty="l0"`` only;
        regression and binary classification).
    max_iter : int, default=1000
        Coordinate sweeps per quadratic model, and proximal-Newton steps.
    tol : float, default=1e-6
        Tolerance on the optimality (KKT) violation of the standardized
        problem, relative to the target's standard deviation for regression.
        A ``ConvergenceWarning`` is raised when it is not reached."""

_CLASS_WEIGHT_DOC = """class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in scikit-learn: a row weighs
        ``class_weight[its class] * sample_weight``.  A dict maps labels to
        weights (classes it leaves out weigh 1); ``"balanced"`` weighs class
        ``k`` by ``sum(w) / (n_classes * w_k)``, ``w_k`` its total sample
        weight, so every class carries the same share of the loss.  The loss
        is a weighted *mean*, so only the ratios between class weights count:
        ``{0: 10, 1: 10}`` fits the same model as None (in
        ``LogisticRegression`` it would act like a 10 times larger ``C``).
        Up-weighting a rare class moves the intercept towards it, so
        ``predict_proba`` then describes the reweighted population, not the
        observed class frequencies."""

_ATTRIBUTES_DOC = """
    terms_ : list of LinearTerm
        The model's terms: numeric features, ``feature == level`` indicators
        and (``basis="steps"``) ``feature >= t`` steps.
    term_names_ : list of str
    term_constraints_ : ndarray of int8
        Sign constraint of each term.
    term_means_, term_stds_ : ndarray of float
        Weighted training mean and standard deviation of each term.
    reference_levels_ : dict
        The named base levels held at 0, ``{feature: training level}``
        (empty when ``reference_levels`` is None).
    n_nonzero_ : int
        Number of terms with a nonzero coefficient.
    n_iter_ : int
        Proximal-Newton iterations used (summed over working-set rounds).
    n_swaps_ : int
        Swaps made by the L0 local search.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X is a DataFrame with string column names."""


class SingleFitParams:
    """The parameters of the single-alpha estimators (one ``__init__`` for both)."""

    def __init__(self, alpha=0.01, *, penalty="l1", l1_ratio=0.5, ridge_alpha=0.0, max_features=None,
                 monotonic_cst=None, fit_intercept=True, standardize=True, categorical_features="auto",
                 reference_levels=None, basis="linear", max_thresholds=32, local_search=True, max_iter=1000,
                 tol=1e-6):
        self.alpha = alpha
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


_LOSS_DOC = """loss : {"squared_error", "poisson", "gamma", "tweedie"}, default="squared_error"
        ``"squared_error"``: any real target, identity link.  The others model
        the log of the mean (log link): ``predict(X) = exp(intercept + X b)``,
        so each coefficient is a log-relativity and ``exp(coef)`` multiplies
        the predicted mean per unit of a numeric term (for the level, flag or
        step of an indicator term).  ``"poisson"``: counts or rates
        (``y >= 0``, not all zero).  ``"gamma"``: strictly positive amounts.
        ``"tweedie"``: non-negative amounts with exact zeros, such as pure
        premium (``power``).  The datafit is then the weighted mean half
        deviance, as in :class:`sklearn.linear_model.PoissonRegressor`,
        ``GammaRegressor`` and ``TweedieRegressor(link="log")``.  Exposure:
        fit the rate ``y / exposure`` with ``sample_weight=exposure`` (for
        Poisson the same fit as a count model with offset ``log(exposure)``).
    power : float, default=1.5
        The Tweedie variance power, ``1 < power < 2``; used and checked only by
        ``loss="tweedie"`` (``power=1`` and ``2`` are refused with a pointer to
        ``loss="poisson"`` and ``loss="gamma"``)."""

# loss parameter -> the solver's datafit name
_REGRESSION_LOSSES = {"squared_error": "squared", "poisson": "poisson", "gamma": "gamma", "tweedie": "tweedie"}

REGRESSION_LOSS_CONSTRAINTS = {
    "loss": [StrOptions(set(_REGRESSION_LOSSES))],
    # any number here: its range is checked in fit, with loss="tweedie" only (the other losses ignore it)
    "power": [Interval(Real, None, None, closed="neither")],
}


class RegressorTarget:
    """Regression-specific target handling: the loss, its target checks and its link."""

    def _validate_fit_input(self, X, y, sample_weight):
        table, y, w = super()._validate_fit_input(X, y, sample_weight)
        y = regression_target(y)
        if self.loss != "squared_error":
            if self.loss == "tweedie":
                check_tweedie_power(self.power)
            check_log_link_target(y, w, self.loss)
            # A row of zero weight does not enter the fit, whatever its y (a Gamma severity weighted by claim
            # count has amount 0 where there is no claim); its deviance at such a y is infinite or NaN, and
            # 0 * inf is NaN in the solver's sums, so it gets a harmless stand-in: the weighted mean.
            y = np.where(w > 0, y, np.average(y, weights=w))
        return table, y, w

    def _target_blocks(self, y):
        return None, np.asarray(y, dtype=np.float64)[None, :]  # checked by _validate_fit_input

    def _problem_loss(self, Y):
        return _REGRESSION_LOSSES[self.loss]

    def _loss_power(self):
        return float(self.power) if self.loss == "tweedie" else 0.0

    def _make_problem(self, table, Y, w, *, warn_constant=True, whole_data=True):
        fitted = super()._make_problem(table, Y, w, warn_constant=warn_constant, whole_data=whole_data)
        if whole_data and self.loss in ZERO_BOUNDED_LOSSES:  # a fold's problem is never stored
            fitted.table = table  # the rows, for the check of terms without claims once the fit is stored
        return fitted

    def _store(self, fitted, state, n_iter):
        super()._store(fitted, state, n_iter)
        # the loss the coefficients were fitted for (set_params after fit must not change the link)
        self._fitted_loss_ = (self.loss, self._loss_power())
        if self.loss in ZERO_BOUNDED_LOSSES:
            self._warn_terms_without_claims(fitted, state.eta[0])
        self._warn_undetermined(fitted)

    def _warn_undetermined(self, fitted):
        """Warn of an unpenalized fit with more coefficients than rows: many fit the rows alike."""
        rows = int(np.count_nonzero(fitted.problem.w > 0))
        kept = self.n_nonzero_ + bool(self.fit_intercept)
        if not (is_unpenalized(self) and kept > rows):
            return
        intercept = " and an intercept" if self.fit_intercept else ""
        warnings.warn(
            f"The fit keeps {self.n_nonzero_} terms{intercept} on {rows} rows of positive weight, without a "
            "penalty on their size: more coefficients than rows are not determined by the data (infinitely many "
            "fit the rows alike, and these are where the solver stopped), so neither they nor their signs can be "
            "read. Fit with a penalty (alpha > 0, e.g. chosen by SparseLinearRegressorCV), cap the terms "
            "(max_features below the rows), or fit on more rows.", UserWarning, stacklevel=user_stacklevel())

    def _warn_terms_without_claims(self, fitted, eta):
        """Warn of a 0/1 term whose rows have y == 0 throughout and whose coefficient ran to minus infinity."""
        problem = fitted.problem
        if np.all(problem.Y[0][problem.w > 0] > 0):  # every row has claims: no term can lack them
            return
        unpenalized = is_unpenalized(self)
        if not (unpenalized or prices_a_row_near_zero(eta, problem.w)):
            return  # no row priced near zero: no term ran off, and the design is not built again
        design = self._design.matrix(fitted.table)
        runaway = runaway_zero_target_terms(self, design, problem.Y[0], problem.w, self.coef_, eta, unpenalized)
        if runaway:
            priced = capped_list([f"{self.term_names_[j]} {ratio:.2g}" for j, ratio in runaway], render=", ".join)
            warn_zero_target(self, [j for j, _ in runaway], "the fit prices those rows at next to nothing (their "
                                                            f"fitted mean over the book's: {priced})")

    def _link(self):
        loss, _ = getattr(self, "_fitted_loss_", ("squared_error", 0.0))  # models pickled before the losses
        return Link("identity") if loss == "squared_error" else Link("log")

    def _explained_loss(self):
        loss, power = getattr(self, "_fitted_loss_", ("squared_error", 0.0))
        if loss == "squared_error":
            return None, None
        return loss, (power if loss == "tweedie" else None)

    def score(self, X, y, sample_weight=None):
        """R^2 for squared error; for a log-link loss D^2, the fraction of its deviance explained.

        As :class:`sklearn.linear_model.PoissonRegressor`, ``GammaRegressor``
        and ``TweedieRegressor`` score: ``1 - D(y, predict(X)) / D(y, mean y)``
        with the (weighted) deviance of the loss the model was fitted with,
        i.e. :func:`sklearn.metrics.d2_tweedie_score` at power 1 (Poisson),
        2 (Gamma) or ``power`` (Tweedie); the quantity
        :class:`~glassbox.SparseLinearRegressorCV` chooses ``alpha`` by, so a
        search with the default scoring ranks models the same way.  Rows of
        zero ``sample_weight`` do not count (nor is their ``y`` checked); a
        ``y`` the loss has no deviance for (negative, for Gamma <= 0, or 0
        in every row) is refused with the reason, as ``fit`` refuses it.

        Parameters
        ----------
        X : array-like, DataFrame or scipy.sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        float
            1 for a perfect fit, 0 for no better than predicting the (weighted) mean of ``y``,
            negative for worse.
        """
        loss, power = getattr(self, "_fitted_loss_", ("squared_error", 0.0))
        if loss == "squared_error":
            return super().score(X, y, sample_weight=sample_weight)
        target = regression_target(y)
        weights = np.ones(len(target)) if sample_weight is None else check_sample_weight(sample_weight, len(target))
        try:  # the loss has no deviance for such a target: said as fit says it, not by the metric's error
            check_log_link_target(target, weights, loss)
        except ValueError as exc:
            if np.all(target[weights > 0] == 0):  # all zero: the deviance of y's mean, D^2's denominator, is 0
                raise ValueError("Cannot score this model on y: y is 0 in every row of positive weight, where D^2 "
                                 "is 0 / 0 (the deviance of y's mean is 0); score it on rows with some positive y, "
                                 "or compare deviances (sklearn.metrics.mean_tweedie_deviance).") from None
            raise ValueError(f"Cannot score this model on y: {exc}") from None
        return deviance_explained(target, self.predict(X), sample_weight, loss, power)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # the log-link losses take y >= 0 (gamma y > 0): scikit-learn's checks then feed a positive target
        tags.target_tags.positive_only = self.loss != "squared_error"
        return tags


class SparseLinearRegressor(RegressorTarget, GlassBoxRegressorMixin, SparseLinearBase, SingleFitParams,
                            RegressorMixin, BaseEstimator):
    __doc__ = f"""Sparse linear regression: lasso, elastic net or best subset (L0), also for counts and amounts.

    Minimizes ``sum_i w_i (y_i - b0 - x_i b)^2 / (2 sum_i w_i) + penalty(b)``
    by coordinate descent (compiled) on standardized terms, with working sets,
    exact sign constraints and a hard cap on the number of nonzero terms.
    With ``standardize=False`` and ``penalty="l1"`` it solves the same problem
    as :class:`sklearn.linear_model.Lasso` at the same ``alpha``.  With
    ``loss="poisson"``, ``"gamma"`` or ``"tweedie"`` the squared error is
    replaced by the weighted mean half deviance of that family on the log of
    the mean (a sparse GLM, fitted by proximal Newton); with
    ``penalty="elasticnet"``, ``l1_ratio=0`` and ``standardize=False`` it then
    solves the problem of :class:`sklearn.linear_model.PoissonRegressor`,
    ``GammaRegressor`` or ``TweedieRegressor(link="log")`` at the same ``alpha``.

    Parameters
    ----------
    alpha : float >= 0, default=0.01
        Strength of the penalty (``lambda0`` of the L0 penalty).
    {_LOSS_DOC}
    {_PARAMETERS_DOC}

    Attributes
    ----------
    coef_ : ndarray of shape (n_terms,)
        Coefficients in the original units of each term.
    intercept_ : float
    {_ATTRIBUTES_DOC}

    See Also
    --------
    SparseLinearRegressorCV : picks ``alpha`` by cross-validation.
    sparse_linear_path : the whole regularization path.

    Examples
    --------
    >>> import numpy as np
    >>> from glassbox import SparseLinearRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 5))
    >>> y = 3 * X[:, 0] - 2 * X[:, 3] + 0.1 * rng.normal(size=200)
    >>> model = SparseLinearRegressor(alpha=0.05, monotonic_cst=[1, 0, 0, -1, 0]).fit(X, y)
    >>> model.n_nonzero_
    2
    >>> print(model.explain_global().to_frame()[["term", "nonzero"]].head(3))
              term  nonzero
    0  (intercept)     True
    1           x0     True
    2           x1    False

    Sparse input (text counts, one-hot codes) is fitted as it is, never densified:

    >>> import scipy.sparse as sp
    >>> X_sparse = sp.random(2000, 500, density=0.01, format="csr", random_state=0)
    >>> y_sparse = 4 * X_sparse[:, 0].toarray().ravel() + 0.01 * rng.normal(size=2000)
    >>> sparse_model = SparseLinearRegressor(alpha=0.01).fit(X_sparse, y_sparse)
    >>> sparse_model.term_names_[np.argmax(np.abs(sparse_model.coef_))]
    'x0'
    >>> bool(np.allclose(sparse_model.predict(X_sparse[:3]), sparse_model.predict(X_sparse[:3].toarray())))
    True

    Counts: a sparse Poisson GLM, whose coefficients are log-relativities.

    >>> counts = rng.poisson(np.exp(0.5 + 0.4 * X[:, 0] - 0.3 * X[:, 2]))
    >>> poisson = SparseLinearRegressor(alpha=0.01, loss="poisson").fit(X, counts)
    >>> total = poisson.explain_global().decision_function(X)  # log of the predicted mean
    >>> bool(np.allclose(poisson.predict(X), np.exp(total)))
    True
    >>> round(float(np.exp(poisson.coef_[0])), 1)  # x0 one unit higher: the count x1.5 (true: exp(0.4))
    1.5
    """

    _parameter_constraints = {
        **COMMON_CONSTRAINTS, **REGRESSION_LOSS_CONSTRAINTS, "alpha": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, alpha=0.01, *, loss="squared_error", power=1.5, penalty="l1", l1_ratio=0.5, ridge_alpha=0.0,
                 max_features=None, monotonic_cst=None, fit_intercept=True, standardize=True,
                 categorical_features="auto", reference_levels=None, basis="linear", max_thresholds=32,
                 local_search=True, max_iter=1000, tol=1e-6):
        super().__init__(alpha, penalty=penalty, l1_ratio=l1_ratio, ridge_alpha=ridge_alpha, max_features=max_features,
                         monotonic_cst=monotonic_cst, fit_intercept=fit_intercept, standardize=standardize,
                         categorical_features=categorical_features, reference_levels=reference_levels, basis=basis,
                         max_thresholds=max_thresholds, local_search=local_search, max_iter=max_iter, tol=tol)
        self.loss = loss
        self.power = power

    @restores_state_on_failure
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : array-like, DataFrame or scipy.sparse matrix of shape (n_samples, n_features)
            No missing values (impute them first).
        y : array-like of shape (n_samples,)
            Any real value for ``loss="squared_error"``; ``y >= 0`` (not all
            zero) for ``"poisson"`` and ``"tweedie"``; ``y > 0`` for ``"gamma"``; rows of
            zero ``sample_weight`` do not enter the fit, and their ``y`` is not checked.
            A level, flag or step whose rows all have ``y == 0`` is warned of
            when the fit is unpenalized or too weakly penalized to hold it: its
            maximum-likelihood coefficient is minus infinity.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights (zeros allowed); the exposure of a rate.

        Returns
        -------
        self
        """
        validate_parameters(self)
        table, y, w = self._validate_fit_input(X, y, sample_weight)
        _, Y = self._target_blocks(y)
        fitted = self._make_problem(table, Y, w)
        state, n_iter, self.n_swaps_ = self._solve_at(fitted, self.alpha)
        self._store(fitted, state, n_iter)
        return self


def regression_target(y):
    """A finite float64 regression target, or a clear error."""
    try:
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("The regression target y must be numeric.") from exc
    check_finite_target(y)
    return check_target_scale(y)


def classification_blocks(y):
    """``(classes, Y)``: the target as one 0/1 row (binary) or a one-hot (n_classes, n) block."""
    classes, encoded = check_classification_target(y)
    if len(classes) == 2:
        return classes, encoded[None, :].astype(np.float64)
    return classes, (encoded[None, :] == np.arange(len(classes))[:, None]).astype(np.float64)


class ClassifierStorage:
    """Classifier-specific storage: sklearn's coef_ (n_outputs, n_terms) layout."""

    def _problem_loss(self, Y):
        return "logistic" if Y.shape[0] == 1 else "multinomial"

    def _target_blocks(self, y):
        return classification_blocks(y)

    def _class_weighted(self, y, weights):
        # a label only rows of weight zero hold is no class: its rows take a class's label, which they do not change
        classes, y_codes = check_classification_target(y, sample_weight=weights)
        weighted = apply_class_weight(self.class_weight, classes, y_codes, weights)
        # the coefficient table says its probabilities are those of the class-weighted sample
        self._class_weight_factors = class_weight_factors(self.class_weight, y_codes, weights, weighted)
        return classes[y_codes], weighted

    def _store(self, fitted, state, n_iter):
        super()._store(fitted, state, n_iter)
        problem = fitted.problem
        # recorded for the Wald table: separation is a fact of the rows fitted on, and other rows (a test split
        # the model happens to classify without error) must not be taken for it
        self._separated_at_fit = False
        if not is_unpenalized(self):
            return  # a penalty holds the coefficients finite
        binary = problem.Y.shape[0] == 1
        eta, labels = (state.eta[0], problem.Y[0]) if binary else (state.eta.T, np.argmax(problem.Y, axis=0))
        self._separated_at_fit = (completely_separated(eta, labels, problem.w, free_shift=self.fit_intercept)
                                  or separable_despite_errors(problem, state.coef, eta, labels, len(self.classes_),
                                                              free_shift=self.fit_intercept))
        if self._separated_at_fit:
            warnings.warn(complete_separation_text(self, "the fit stopped at large values set by its tolerance "
                                                         "(probabilities of 0 and 1)"),
                          UserWarning, stacklevel=user_stacklevel())
        elif fitted.table is not None:
            # a level (flag, step) whose rows lack a class: its coefficient ran off, which a convergence
            # warning alone does not say
            design = self._design.matrix(fitted.table)
            warn_separated_classes(self, design, np.asarray(labels, dtype=np.intp), problem.w, self.coef_,
                                   at_fit=True)

    def _make_problem(self, table, Y, w, *, warn_constant=True, whole_data=True):
        fitted = super()._make_problem(table, Y, w, warn_constant=warn_constant, whole_data=whole_data)
        if whole_data:  # a fold's problem is never stored
            fitted.table = table  # the rows, for the check of quasi-separated terms once the fit is stored
        return fitted

    def _store_coefficients(self, coef, intercept):
        self.coef_, self.intercept_ = centred_classes(coef, intercept, self._penalty_centred_across_classes())

    def _penalty_centred_across_classes(self, alpha=None):
        """Whether the fit's penalty leaves each term's class coefficients free to be centred across the classes.

        Softmax ignores an amount added to every class's coefficient of a
        term, so the loss does not pick one: an unpenalized fit (``alpha=0``)
        would leave it to the solver's path, and each class's coefficient
        read alone (a local contribution, a coefficient's rank) would depend on
        it.  Where the penalty is 0 or a pure ridge (minimal at the centred
        coefficients) the coefficients are centred (each term's sum to 0 over
        the classes), which changes no probability.  An L1 or L0 penalty
        picks its own point (the lasso's: each term's median class
        coefficient 0) and centring would change the penalized objective, so
        those fits are kept as found.  ``alpha``: the fit's (None: the model's,
        a CV model's ``alpha_``), e.g. a point of a regularization path.
        """
        alpha = effective_alpha(self) if alpha is None else alpha
        return alpha == 0 or (self.penalty == "elasticnet" and self.l1_ratio == 0)


def centred_classes(coef, intercept, centre_coef):
    """A multinomial solution ``(n_classes, n_terms)`` as stored: intercepts centred across the classes
    (softmax is unchanged by a common shift of them), and the coefficients too where ``centre_coef`` (the
    penalty leaves their shared shift free); one output is returned as it is."""
    if coef.shape[0] > 1:
        intercept = intercept - intercept.mean()
        if centre_coef:
            coef = coef - coef.mean(axis=0)
    return coef, intercept


class SparseLinearClassifier(GlassBoxClassifierMixin, ClassifierStorage, SparseLinearBase, SingleFitParams,
                             ClassifierMixin, BaseEstimator):
    __doc__ = f"""Sparse logistic regression: lasso, elastic net or best subset (L0).

    Binary targets use the logistic loss; more classes use the **multinomial**
    (softmax) loss with one coefficient per term and class, each penalized on
    its own (a plain, ungrouped penalty): one model whose probabilities are
    coherent, where one-vs-rest would fit unrelated binary models.  A term
    counts against ``max_features`` when it is nonzero for any class;
    ``monotonic_cst`` is refused (a class score rising with a feature does
    not make its probability rise).  Unpenalized (``alpha=0``), each term's
    class coefficients are centred across the classes (softmax leaves that
    shift free; see the linear guide, "Multiclass").  The loss is
    ``sum_i w_i logloss_i / sum_i w_i + penalty(b)``, minimized by a
    proximal-Newton outer loop around compiled coordinate descent.  With
    ``standardize=False`` and ``penalty="l1"`` it matches
    ``sklearn.linear_model.LogisticRegression(penalty="l1", C=C)`` at
    ``alpha = 1 / (C * sum_i w_i)`` (``1 / (C n)`` without weights), with
    ``class_weight`` too (``w_i`` then includes the class weights).

    Parameters
    ----------
    alpha : float >= 0, default=0.01
        Strength of the penalty (``lambda0`` of the L0 penalty).
    {_PARAMETERS_DOC}
    {_CLASS_WEIGHT_DOC}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_terms) or (n_classes, n_terms)
        Coefficients in original units (binary: of ``classes_[1]``).
    intercept_ : ndarray of shape (1,) or (n_classes,)
    {_ATTRIBUTES_DOC}

    See Also
    --------
    SparseLinearClassifierCV : picks ``alpha`` by cross-validation.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from glassbox import SparseLinearClassifier
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> model = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=5).fit(X, y)
    >>> model.n_nonzero_
    5
    >>> round(model.score(X, y), 2) > 0.9
    True

    ``class_weight="balanced"`` makes the smaller class (0, malignant: 37 %)
    weigh as much as the other, so the model finds more of its rows:

    >>> from sklearn.metrics import recall_score
    >>> balanced = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=5, class_weight="balanced").fit(X, y)
    >>> bool(recall_score(y, balanced.predict(X), pos_label=0) > recall_score(y, model.predict(X), pos_label=0))
    True
    """

    _parameter_constraints = {
        **COMMON_CONSTRAINTS, "alpha": [Interval(Real, 0, None, closed="left")], "class_weight": CLASS_WEIGHT_CONSTRAINT,
    }

    def __init__(self, alpha=0.01, *, penalty="l1", l1_ratio=0.5, ridge_alpha=0.0, max_features=None,
                 monotonic_cst=None, fit_intercept=True, standardize=True, categorical_features="auto",
                 reference_levels=None, basis="linear", max_thresholds=32, local_search=True, max_iter=1000, tol=1e-6,
                 class_weight=None):
        super().__init__(alpha, penalty=penalty, l1_ratio=l1_ratio, ridge_alpha=ridge_alpha, max_features=max_features,
                         monotonic_cst=monotonic_cst, fit_intercept=fit_intercept, standardize=standardize,
                         categorical_features=categorical_features, reference_levels=reference_levels, basis=basis,
                         max_thresholds=max_thresholds, local_search=local_search, max_iter=max_iter, tol=tol)
        self.class_weight = class_weight

    @restores_state_on_failure
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : array-like, DataFrame or scipy.sparse matrix of shape (n_samples, n_features)
            No missing values (impute them first).
        y : array-like of shape (n_samples,)
            Class labels (two or more classes).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights (zeros allowed).

        Returns
        -------
        self
        """
        validate_parameters(self)
        table, y, w = self._validate_fit_input(X, y, sample_weight)
        self.classes_, Y = self._target_blocks(y)
        fitted = self._make_problem(table, Y, w)
        state, n_iter, self.n_swaps_ = self._solve_at(fitted, self.alpha)
        self._store(fitted, state, n_iter)
        return self
