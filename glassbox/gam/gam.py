"""Generalized additive models fitted by cyclic gradient boosting: GAMClassifier, GAMRegressor."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from ..base import GlassBoxClassifierMixin, GlassBoxRegressorMixin
from ..explain._class_weight import class_weight_factors
from ..explain.links import Link
from ..utils._sklearn_shim import Interval, StrOptions
from ..utils.validation import (CLASS_WEIGHT_CONSTRAINT, apply_class_weight, check_classification_target,
                                check_log_link_target, check_regression_target, check_tweedie_power,
                                deviance_explained)
from ._base import _COMMON_CONSTRAINTS, BaseGAM
from ._boosting import LOSS_GAMMA, LOSS_LOGISTIC, LOSS_POISSON, LOSS_SOFTMAX, LOSS_SQUARED, LOSS_TWEEDIE

# GAMRegressor's loss names and their kernel codes; all but squared_error have a log link
_REGRESSION_LOSSES = {"squared_error": LOSS_SQUARED, "poisson": LOSS_POISSON, "gamma": LOSS_GAMMA,
                      "tweedie": LOSS_TWEEDIE}

_PARAMETERS_DOC = """
    Parameters
    ----------
    max_bins : int, default=256
        Bins per numeric feature, the missing-value bin included (so at most
        255 value bins, cut at weighted quantiles).  Categorical features get
        one bin per level plus a missing and an unseen bin.
    interactions : int, list of pairs or "auto", default="auto"
        Pairwise terms fitted on the residual of the main effects: a number of
        pairs chosen by the FAST ranking, or an explicit list of pairs of
        feature names or indices, each kept in the order written
        (``("alcohol", "sulphates")`` is the term ``"alcohol x sulphates"``,
        its grid's rows alcohol's bins; both spellings fit one model).
        ``0`` fits main effects only (``True`` and ``False`` are refused, as
        for every count: give the number).  ``"auto"``
        is 10 pairs for a classifier and ``5 * n_features`` (at most every
        pair, and at most 100) for a regressor.  A regressor boosts its FAST-ranked pairs in
        groups of ten in rank order, each group on the residual of the mains
        and of the groups before it, and stops after a group that most bags'
        validation rows find no use for: the strong pairs are not stopped by
        the overfitting of weak ones, and weak groups cost a few rounds.  A
        last stage then boosts the regressor's mains and pairs together from
        that fit, so that they share the signal (``n_rounds_["joint"]``).
    max_interaction_bins : int, default=32
        Bins per numeric feature inside pair terms (missing bin excluded).
    learning_rate : float, default=0.1
        Shrinkage of every boosting step.
    max_rounds : int, default=5000
        Maximum number of cycles over all terms per bag.
    early_stopping_rounds : int, default=30
        Stop a bag after this many cycles without improvement of its internal
        validation loss; the best cycle's shapes are kept.
    early_stopping_tolerance : float, default=1e-4
        Improvement of the validation loss that counts as progress, as a
        share of the bag's intercept-only validation loss, in both stages (the
        pairs too, although they start from the mains' much smaller loss).
        Measuring it against that fixed loss rather than the current one lets
        boosting stop when a separable validation part drives the log-loss
        towards zero.
    validation_fraction : float, "auto" or None, default="auto"
        Share of the rows each bag holds out for early stopping (stratified by
        class for classifiers).  ``"auto"`` holds out 25% of fewer than 10,000
        rows and 10% of more (a small set needs the rows for a steady stopping
        signal; a large one gets a steady signal from fewer and learns from
        the rest).  25% rather than 15% won an inner 70/30 split of the
        training parts of heart, breastcancer, compas and telco_churn at the
        defaults (mean AUC +0.0018) and with main effects only (+0.0011), and
        stops earlier.  A regressor holds out 15% of fewer than 10,000 rows
        (inner splits of the wine training parts, main effects only: RMSE
        -0.7% red, -0.1% white).  ``None`` or ``0`` boosts ``max_rounds`` cycles on all rows.
        A fit warns (``ConvergenceWarning``) when a bag's validation part holds
        fewer than 10 rows, or for a classifier fewer than 3 outside its most
        common class: early stopping on so few rows is close to chance (see
        the GAM guide, "Early stopping").
    outer_bags : int or "auto", default="auto"
        Number of bags (different validation splits).  Their shapes are
        averaged; their spread gives the ``lower``/``upper`` bands.
        ``"auto"`` takes 8 bags up to 125,000 rows and ``1,000,000 //
        n_samples`` above (4 at 250,000 rows, 1 from a million rows on, so
        without bands): a bag costs time in proportion to the rows, while
        the variance that averaging removes shrinks with them.  A number of
        bags whose rows alone outgrow the machine's memory (about 24 bytes
        per bag and row) is refused before any bag is drawn.
    max_leaves : int, default=4
        Leaves of the shallow tree fitted to a numeric feature's histogram at
        each step, at least 2 (one leaf is a constant step, which centring
        removes).  Categorical features take one Newton step per level.
    min_samples_leaf : int, default=2
        Minimum rows of a leaf (or level, or pair quadrant) to receive an update.
    l2_regularization : float, default=0.1
        Added to the hessian sum of every leaf: shrinks the steps of leaves
        with little curvature (small or near-certain groups of rows).  It is
        in units of ``sample_weight`` (as scikit-learn's
        HistGradientBoosting's): weights multiplied by ``c`` fit as the
        weights did with ``l2_regularization`` times ``c``, so scale the penalty
        with the weights when they are far from 1 (exposures in days rather
        than years: weights times 365, penalty times 365).  With
        ``loss="poisson"`` or ``"tweedie"`` the hessian also grows with the
        predicted mean, so the penalty is in units of the target too: ``y``
        times ``c`` fits as ``y`` did with the penalty times ``c ** (2 - p)``
        (``p`` 1 for Poisson, ``power`` for Tweedie; Gamma's fit does not
        depend on the target's unit).  Scale it with rates in small units
        (Poisson rates of mean 1e-7 rather than 1e-3: penalty times 1e-4;
        at the default the shapes fitted 25 times the rounds and followed
        the true ones less closely, correlation 0.89 instead of 0.96).  A fit
        whose penalty outweighs the curvature of more than a quarter of its
        rows (and of 10) at that scale warns and names the scaled penalty.
    monotonic_cst : array-like of int, dict or None, default=None
        -1, 0 or +1 per feature (or a dict keyed by feature name): the shape
        of a constrained feature is non-increasing / non-decreasing over its
        values, exactly (every boosting step is projected by weighted
        pool-adjacent-violators).  Pairs with a constrained feature stay
        monotone along it; a pair of two constrained features is not fitted.
        The missing bin is outside the order.  Not available for categorical
        features or multiclass targets.
    categorical_features : "auto", None, array-like of bool, int or str, default="auto"
        Which features are categorical; ``"auto"`` takes pandas ``category``,
        ``object`` and string columns.
    smoothing : float or "auto", default=0.0
        Width, in bins, of a Gaussian kernel that smooths numeric main
        effects after fitting (weighted by training density, re-projected
        when constrained).  ``0`` keeps the boosted shapes as they are.
        ``"auto"`` lets every bag choose, per numeric main effect in turn,
        no smoothing, a width of 0.5, 1, 2 or 4 bins or the shape's
        density-weighted least-squares line in the feature's values,
        whichever gives the lowest loss on the bag's validation rows (as a penalised spline's
        smoothness is chosen by a validation score): jagged shapes of noisy
        curves are smoothed, sharp steps the data support are kept; pairs
        are then fitted on the residual of the smoothed mains.  Without
        validation rows (``validation_fraction=None``) there is nothing to
        choose by: the shapes are left unsmoothed, with a warning.
        Features with fewer than three value bins (binary flags) are not
        smoothed: their shape is one step, which a kernel over bin positions
        would only flatten.
    smoothing_rounds : int, default=25
        First cycles of every bag (mains and pairs) whose trees are cut at
        random points instead of the best ones, with Newton leaf values: many
        small steps on random intervals add up to smooth shapes before the
        greedy cycles add the sharp features the data support (the
        Explainable Boosting design).  ``0`` cuts greedily from the start.
        A bag does not stop early before these rounds are done.
    mains_rescaling : float or None, default=None
        After boosting (and ``smoothing="auto"``'s choice; a fixed width
        smooths the rescaled shapes), each bag refits one multiplier per
        main effect, and a constant, on its own validation rows by penalised
        Newton steps, and folds them into its shapes: cyclic boosting stops
        all terms at once, so a strong term can stop short of its fit while a
        weak one fits noise, where a penalised likelihood converges them
        jointly.  The value is the strength of the penalty that holds each
        multiplier at 1, as a multiple of the validation rows' information
        (10: a multiplier moves about a tenth of the way to the rows' own
        estimate).  Multipliers stay >= 0, so monotone shapes stay monotone;
        the model stays additive.  ``None`` keeps the boosted shapes.  Binary
        classification and regression; a multiclass fit, and bags without
        validation rows (``validation_fraction=None``), are left as boosted,
        with a warning.
        Pairs are fitted on the residual of the rescaled mains.
    n_jobs : int or None, default=None
        Threads for bags, binning and prediction.
        None: the OpenMP limit (``OMP_NUM_THREADS``, ``threadpoolctl``), else
        every usable core; -1 likewise, -2 one fewer (see :ref:`threads`).
    random_state : int, RandomState or None, default=None
        Seeds the binning subsample and the bags.
    verbose : int, default=0
        Progress lines on standard output while fitting: 0 prints nothing; 1 a
        line per stage (binning, each stage's boosting with the bags' rounds,
        the pairs chosen, the total time); 2 also a line per bag (its rounds
        and validation loss).  The fitted model does not depend on it.
"""

_ATTRIBUTES_DOC = """
    binner_ : FeatureBinner
        The fitted binner; ``binner_.bins_[j]`` are feature ``j``'s bins.
    intercept_ : ndarray of shape (n_outputs,)
        The base value: shapes are centred on the training data (with a log
        link, each term's factors ``exp(f)`` average 1 over the training rows,
        so ``exp(intercept_)`` is the base rate and an unseen level gets the
        term's average factor).  On a multiclass model the intercepts, and
        every bin's class scores, are centred across the classes (softmax
        ignores a shift shared by all classes).
    term_features_ : list of tuple of int
        Feature indices of every term (main effects first, then pairs).
    term_names_ : list of str
    term_importances_ : ndarray
        Mean absolute contribution of every term on the training data.
    interaction_pairs_ : list of tuple of str
        The pairs fitted, by name.
    monotonic_cst_ : ndarray of int8
        Validated constraint of every feature.
    n_rounds_ : dict
        Early-stopped number of cycles of each bag, per stage.
    smoothing_widths_ : ndarray of shape (n_bags, n_features)
        Smoothing width (bins) of each bag's main effect of each feature;
        ``0`` where not smoothed (categorical features, binary flags, and
        shapes ``smoothing="auto"`` kept as boosted); ``inf`` where the shape
        was replaced by its straight line.
    mains_multipliers_ : ndarray of shape (n_bags, n_features)
        The multiplier ``mains_rescaling`` gave each bag's main effect of each
        feature (ones without it).
    edits_ : tuple of ShapeEdit
        The edits made after fitting, in order (empty after ``fit``): the
        editing methods (``remove_terms``, ``make_monotone``,
        ``replace_scores``, ``flatten_range``, ``clip_scores``,
        ``refit_intercept``) edit the model in place and append a record.  The
        explanation, its JSON and the shape plot show them; see "Editing a
        fitted GAM" in the user guide.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has string column names.
"""


class _GAMParams:
    """Parameters, test/demo settings and ``fit`` shared by the GAM classifier and regressor."""

    _parameter_constraints = dict(_COMMON_CONSTRAINTS)
    _demo_params = {"outer_bags": 2, "interactions": 3}
    # cheaper settings for the common checks; without a validation split and with
    # min_samples_leaf=1, weighting a row equals repeating it exactly; seeded, so that a test's fit does
    # not depend on the global RNG (which the tests run before it in the same process have moved)
    _test_params = {"outer_bags": 2, "interactions": 2, "max_rounds": 100, "validation_fraction": None,
                    "min_samples_leaf": 1, "random_state": 0}
    def fit(self, X, y, sample_weight=None):
        """Fit the shape functions.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric and categorical features; NaN / None are missing values.
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.  The losses, bin quantiles, densities,
            importances and the penalty (in units of weight, see
            ``l2_regularization``) read an integer weight as copies of the
            row; the fit equals the fit on repeated rows only with
            ``validation_fraction=None`` and ``min_samples_leaf=1``, since the
            validation split and ``min_samples_leaf`` count rows.  Pass the
            counts of aggregated data as weights rather than repeating rows
            (repeated rows land on both sides of the validation split).
            A row of weight zero is as good as absent: it is never drawn for
            a bag's validation rows, and a level only such rows hold is an
            unseen level.

        Returns
        -------
        self
        """
        return self._fit(X, y, sample_weight)

    def __init__(
        self,
        *,
        max_bins=256,
        interactions="auto",
        max_interaction_bins=32,
        learning_rate=0.1,
        max_rounds=5000,
        early_stopping_rounds=30,
        early_stopping_tolerance=1e-4,
        validation_fraction="auto",
        outer_bags="auto",
        max_leaves=4,
        min_samples_leaf=2,
        l2_regularization=0.1,
        monotonic_cst=None,
        categorical_features="auto",
        smoothing=0.0,
        smoothing_rounds=25,
        mains_rescaling=None,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.max_bins = max_bins
        self.interactions = interactions
        self.max_interaction_bins = max_interaction_bins
        self.learning_rate = learning_rate
        self.max_rounds = max_rounds
        self.early_stopping_rounds = early_stopping_rounds
        self.early_stopping_tolerance = early_stopping_tolerance
        self.validation_fraction = validation_fraction
        self.outer_bags = outer_bags
        self.max_leaves = max_leaves
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.monotonic_cst = monotonic_cst
        self.categorical_features = categorical_features
        self.smoothing = smoothing
        self.smoothing_rounds = smoothing_rounds
        self.mains_rescaling = mains_rescaling
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose


class GAMClassifier(GlassBoxClassifierMixin, ClassifierMixin, _GAMParams, BaseGAM, BaseEstimator):
    __doc__ = (
        """Generalized additive classifier (binary or multiclass) with exact monotone shapes.

    ``logit P(y | x) = intercept + sum_j f_j(x_j) + sum_(j,k) f_jk(x_j, x_k)``,
    each ``f`` a lookup table over bins, fitted by cyclic gradient boosting
    with shallow per-feature trees on gradient / hessian histograms (Lou,
    Caruana and Gehrke 2012; Lou et al. 2013).  Multiclass models have one
    shape per class (softmax link).
"""
        + _PARAMETERS_DOC
        + """    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, as in scikit-learn: a row weighs
        ``class_weight[its class] * sample_weight`` in the boosting loss, the
        early-stopping loss of the validation rows, the bins' quantiles and
        the starting intercept.  A dict maps labels to weights (classes it
        leaves out weigh 1); ``"balanced"`` weighs class ``k`` by
        ``sum(w) / (n_classes * w_k)``, ``w_k`` its total sample weight,
        which keeps the total weight.  Like ``sample_weight``, class weights
        are in the units of ``l2_regularization``: a dict scaling every class
        by 10 weakens the penalty tenfold.  The shapes and probabilities then
        describe the reweighted population (up-weighting a rare class raises
        its predicted probability everywhere).

    Attributes
    ----------
    classes_ : ndarray
"""
        + _ATTRIBUTES_DOC
        + """
    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from glassbox import GAMClassifier
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> model = GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, y)
    >>> round(model.score(X, y), 2) >= 0.95
    True
    >>> shapes = model.explain_global()
    >>> bool(abs(shapes.decision_function(X) - model.decision_function(X)).max() < 1e-9)
    True
    """
    )

    _parameter_constraints = {**_GAMParams._parameter_constraints, "class_weight": CLASS_WEIGHT_CONSTRAINT}

    def __init__(
        self,
        *,
        max_bins=256,
        interactions="auto",
        max_interaction_bins=32,
        learning_rate=0.1,
        max_rounds=5000,
        early_stopping_rounds=30,
        early_stopping_tolerance=1e-4,
        validation_fraction="auto",
        outer_bags="auto",
        max_leaves=4,
        min_samples_leaf=2,
        l2_regularization=0.1,
        monotonic_cst=None,
        categorical_features="auto",
        smoothing=0.0,
        smoothing_rounds=25,
        mains_rescaling=None,
        n_jobs=None,
        random_state=None,
        verbose=0,
        class_weight=None,
    ):
        super().__init__(
            max_bins=max_bins, interactions=interactions, max_interaction_bins=max_interaction_bins,
            learning_rate=learning_rate, max_rounds=max_rounds, early_stopping_rounds=early_stopping_rounds,
            early_stopping_tolerance=early_stopping_tolerance, validation_fraction=validation_fraction,
            outer_bags=outer_bags, max_leaves=max_leaves, min_samples_leaf=min_samples_leaf,
            l2_regularization=l2_regularization, monotonic_cst=monotonic_cst,
            categorical_features=categorical_features, smoothing=smoothing, smoothing_rounds=smoothing_rounds,
            mains_rescaling=mains_rescaling, n_jobs=n_jobs, random_state=random_state, verbose=verbose,
        )
        self.class_weight = class_weight

    def _encode_target(self, y, weights, n_samples):
        self.classes_, encoded = check_classification_target(y, n_samples, sample_weight=weights)
        weighted = apply_class_weight(self.class_weight, self.classes_, encoded, weights)
        # the explanation says its probabilities are those of the class-weighted sample
        self._class_weight_factors = class_weight_factors(self.class_weight, encoded, weights, weighted)
        weights = weighted
        n_classes = len(self.classes_)
        prior = np.bincount(encoded, weights=weights, minlength=n_classes) / weights.sum()
        prior = np.clip(prior, 1e-12, 1.0)
        if n_classes == 2:
            targets = encoded.astype(np.float64)[:, None]
            return targets, LOSS_LOGISTIC, encoded, np.array([np.log(prior[1] / prior[0])]), weights
        targets = np.zeros((n_samples, n_classes))
        targets[np.arange(n_samples), encoded] = 1.0
        log_prior = np.log(prior)
        return targets, LOSS_SOFTMAX, encoded, log_prior - log_prior.mean(), weights


class GAMRegressor(GlassBoxRegressorMixin, RegressorMixin, _GAMParams, BaseGAM, BaseEstimator):
    __doc__ = (
        """Generalized additive regressor with exact monotone shapes: squared error, or counts and positive amounts.

    ``y = intercept + sum_j f_j(x_j) + sum_(j,k) f_jk(x_j, x_k)``, each ``f`` a
    lookup table over bins, fitted by cyclic gradient boosting with shallow
    per-feature trees (Lou, Caruana and Gehrke 2012; Lou et al. 2013).  With
    ``loss="poisson"``, ``"gamma"`` or ``"tweedie"`` the sum is the log of the
    predicted mean (log link): ``predict(X) = exp(total)``, so every term
    multiplies the prediction by ``exp(f)``, and the model is fitted by the
    deviance of that family (claim counts, claim amounts, pure premium).  The
    total is ``explain_local(X).decision`` and
    ``explain_global().decision_function(X)`` (a regressor has no public
    ``decision_function`` in scikit-learn's contract).

    Parameters
    ----------
    loss : {"squared_error", "poisson", "gamma", "tweedie"}, default="squared_error"
        ``"squared_error"``: any real target, identity link.  ``"poisson"``:
        counts or rates (``y >= 0``, not all zero).  ``"gamma"``: strictly
        positive amounts (``y > 0``).  ``"tweedie"``: non-negative amounts with
        exact zeros, e.g. pure premium (compound Poisson-Gamma, ``power``).
        The last three boost the half deviance on the log of the mean, start
        from the log of the weighted mean of ``y``, stop early on the
        validation rows' deviance, and end balanced: the intercept is moved so
        that the weighted predicted total over the training rows equals the
        weighted total of ``y`` (before that step, early-stopped fits fell
        short of it: Tweedie 1.4-2.7%, Gamma 0.35-0.9%, Poisson 0.3%; see
        the user guide).  Exposure (time at risk, policy years):
        fit the rate ``y / exposure`` with ``sample_weight=exposure`` for
        ``"poisson"`` -- the same fit as a count model with offset
        ``log(exposure)`` -- and multiply ``predict`` by the exposure to get
        counts; see the user guide for ``"gamma"`` (weight by the number of
        claims) and ``"tweedie"``.
    power : float, default=1.5
        The Tweedie variance power, ``1 < power < 2`` (closer to 1: more like
        Poisson, to 2: more like Gamma).  Used and checked only by
        ``loss="tweedie"`` (so a grid may pair it with other losses);
        ``power=1`` and ``2`` are refused with a pointer to ``loss="poisson"``
        and ``loss="gamma"``.
"""
        + _PARAMETERS_DOC.replace("    Parameters\n    ----------\n", "", 1)
        + """
    Attributes
    ----------"""
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    sklearn.metrics.mean_poisson_deviance, sklearn.metrics.mean_gamma_deviance,
    sklearn.metrics.mean_tweedie_deviance : the test scores of the log-link
        losses (``score`` is D², the share of the loss's deviance explained).

    Examples
    --------
    >>> import numpy as np
    >>> from glassbox import GAMRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-2, 2, size=(2000, 2))
    >>> y = X[:, 0] ** 2 + np.sin(X[:, 1]) + 0.1 * rng.randn(2000)
    >>> model = GAMRegressor(interactions=0, monotonic_cst=[0, 1], random_state=0).fit(X, y)
    >>> bool(model.score(X, y) > 0.98)
    True
    >>> scores = model.explain_global().terms[1].scores[:-1]  # x1's value bins
    >>> bool(np.all(np.diff(scores) >= 0))
    True

    Counts: a Poisson GAM predicts ``exp`` of its additive log-mean.

    >>> counts = rng.poisson(np.exp(0.5 * X[:, 0] + 0.3 * np.sin(X[:, 1])))
    >>> poisson = GAMRegressor(loss="poisson", interactions=0, random_state=0).fit(X, counts)
    >>> total = poisson.explain_global().decision_function(X)  # log of the predicted mean
    >>> bool(np.allclose(poisson.predict(X), np.exp(total)))
    True
    >>> bool(poisson.predict(X).min() > 0)
    True
    """
    )

    _parameter_constraints = {
        **_GAMParams._parameter_constraints,
        "loss": [StrOptions(set(_REGRESSION_LOSSES))],
        # any number here: its range is checked in fit, with loss="tweedie" only (the other losses ignore it)
        "power": [Interval(Real, None, None, closed="neither")],
    }

    # squared loss: many pairs in groups, a smaller validation share (see interactions, validation_fraction)
    _auto_interactions_per_feature = 5
    _pair_group_size = 10
    _small_validation_fraction = 0.15
    _joint_final_stage = True

    def __init__(
        self,
        *,
        loss="squared_error",
        power=1.5,
        max_bins=256,
        interactions="auto",
        max_interaction_bins=32,
        learning_rate=0.1,
        max_rounds=5000,
        early_stopping_rounds=30,
        early_stopping_tolerance=1e-4,
        validation_fraction="auto",
        outer_bags="auto",
        max_leaves=4,
        min_samples_leaf=2,
        l2_regularization=0.1,
        monotonic_cst=None,
        categorical_features="auto",
        smoothing=0.0,
        smoothing_rounds=25,
        mains_rescaling=None,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            max_bins=max_bins, interactions=interactions, max_interaction_bins=max_interaction_bins,
            learning_rate=learning_rate, max_rounds=max_rounds, early_stopping_rounds=early_stopping_rounds,
            early_stopping_tolerance=early_stopping_tolerance, validation_fraction=validation_fraction,
            outer_bags=outer_bags, max_leaves=max_leaves, min_samples_leaf=min_samples_leaf,
            l2_regularization=l2_regularization, monotonic_cst=monotonic_cst,
            categorical_features=categorical_features, smoothing=smoothing, smoothing_rounds=smoothing_rounds,
            mains_rescaling=mains_rescaling, n_jobs=n_jobs, random_state=random_state, verbose=verbose,
        )
        self.loss = loss
        self.power = power

    def _link(self):
        return Link("identity") if self._fitted_loss_ == "squared_error" else Link("log")

    def _loss_power(self):
        return float(self.power) if self.loss == "tweedie" else 0.0

    def score(self, X, y, sample_weight=None):
        """R^2 for squared error; for a log-link loss D^2, the fraction of its deviance explained.

        As :class:`~glassbox.SparseLinearRegressor` and scikit-learn's
        ``PoissonRegressor`` / ``GammaRegressor`` / ``TweedieRegressor``
        score: ``1 - D(y, predict(X)) / D(y, mean y)`` with the (weighted)
        deviance of the loss the model was fitted with, i.e.
        :func:`sklearn.metrics.d2_tweedie_score` at power 1 (Poisson), 2
        (Gamma) or ``power`` (Tweedie): the quantity the boosting minimizes,
        so a search with the default scoring ranks models by it, and a GAM and
        a GLM of the same loss are compared on one scale.  Rows of zero
        ``sample_weight`` do not count (nor is their ``y`` checked).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        float
            1 for a perfect fit, 0 for no better than predicting the (weighted) mean of ``y``,
            negative for worse.
        """
        loss = self._fitted_loss_ if hasattr(self, "_fitted_loss_") else self.loss  # unfitted: predict says so
        if loss == "squared_error":
            return super().score(X, y, sample_weight=sample_weight)
        return deviance_explained(y, self.predict(X), sample_weight, loss, self.power)

    def _encode_target(self, y, weights, n_samples):
        # 1-D, numeric, one per row, finite (NaN and infinity counted, with the zero-exposure cause), on a scale
        # float64 can square
        y = check_regression_target(y, n_samples, estimator_name=type(self).__name__)
        targets = np.ascontiguousarray(y[:, None])
        self._fitted_loss_ = self.loss
        mean = np.average(y, weights=weights)
        if self.loss == "squared_error":
            return targets, LOSS_SQUARED, None, np.array([mean]), weights
        if self.loss == "tweedie":
            check_tweedie_power(self.power)
        check_log_link_target(y, weights, self.loss)
        return targets, _REGRESSION_LOSSES[self.loss], None, np.array([np.log(mean)]), weights

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # the log-link losses take y >= 0 (gamma y > 0): scikit-learn's checks then feed a positive target
        tags.target_tags.positive_only = self.loss != "squared_error"
        return tags

