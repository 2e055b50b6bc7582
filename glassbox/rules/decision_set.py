"""Interpretable decision sets on raw features (Lakkaraju, Bach & Leskovec, 2016)."""

import dataclasses
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ..base import GlassBoxClassifierMixin
from ..explain._class_weight import class_weight_factors, event_class_index, sample_weighted
from ..explain._term_features import rule_features
from ..explain.rules import Rule, RuleSet, settle_ties_to_default
from ..utils._fit_state import restores_state_on_failure
from ..utils._progress import VERBOSE_CONSTRAINT, progress_of
from ..utils._sklearn_shim import Interval, StrOptions, validate_parameters
from ..utils._threads import effective_n_threads
from ..utils.binning import MAX_CATEGORIES
from ..utils.tabular import feature_names_of, flag_feature_names, validate_tabular
from ..utils.validation import (CLASS_WEIGHT_CONSTRAINT, N_JOBS_CONSTRAINT, apply_class_weight,
                                check_classification_target, check_sample_weight, plain_value, user_stacklevel)
from ._decision_set_objective import LAMBDA_NAMES, build_problem, objective_terms, optimize
from ._decision_set_tuning import choose_setting, row_groups
from ._decision_set_rules import (
    RowNotes, candidate_pool, class_preference, conflict_order, likeliest_class, majority_class, mine_per_class,
    settled_totals, smoothed_scores,
)
from ._rule_model import (decided_bitsets, decision_path, fired_rule_decision, first_covering_rule,
                          fit_condition_bitsets, one_hot_contributions, rule_coverage, training_values,
                          warn_if_weights_read_as_few_counts)
from .mining import MAX_RULE_LEN, bitset_from_mask, class_counts, mask_from_bitset, mine_candidate_rules


#: What ``rule_classes="auto"`` means when the choice is not tuned.
UNTUNED_RULE_CLASSES = "all"

#: Classes whose (weighted) totals differ by less than this factor count as balanced: weighting them equal
#: (class_weight='balanced') barely changes the objective, so it is not the advice when the set predicts one class.
IMBALANCE_RATIO = 1.5


class DecisionSetClassifier(GlassBoxClassifierMixin, ClassifierMixin, BaseEstimator):
    """Interpretable decision set: unordered IF-THEN rules, each predicting a class, plus a default.

    Candidate rules are frequent conjunctions of readable conditions on the
    raw features (``age >= 45``, ``purpose == car``), mined on bitsets; each
    predicts the class most of its covered training weight belongs to.  The
    set is chosen by maximising the objective of Lakkaraju, Bach & Leskovec
    (2016), a weighted sum of seven submodular terms: few rules, few
    conditions, little overlap between rules of one class, few conflicts
    between rules of different classes, every class predicted by some rule,
    few wrongly covered rows and many correctly covered rows.  Instead of the
    paper's smooth local search, a fast optimizer maximises the same
    objective: a greedy start and randomized double-greedy starts (Buchbinder
    et al., 2012), each improved by local search over add / remove / swap
    moves, all scored by exact incremental deltas on bitsets in compiled code.

    Prediction: when rules of different classes cover a row, the most precise
    one decides (ties: the larger support, then fewer conditions); rows no
    rule covers get the default class.  Rules are stored in that order, so
    the first covering rule decides.  The deciding rule carries the whole
    output: the Laplace-smoothed class frequencies of the training rows it
    *decides* (covers, with no higher-ranked rule covering them) are the
    predicted probabilities, so they are the rate among the rows given them.
    Its precision and support describe all the rows it covers.

    Parameters
    ----------
    max_rules : int or None, default=10
        Most rules in the set (the default aside); None: no limit.
    max_rule_len : int, default=2
        Most conditions per rule.
    min_support : float in (0, 1], default=0.05
        A candidate rule must cover at least this share of the training
        weight of some class (``support_scope="class"``) or of all of it
        (``"data"``).
    support_scope : {"class", "data"}, default="class"
        What ``min_support`` is a share of.  ``"class"`` keeps the precise,
        narrow rules a small class needs (5 % of a class of 10 % is 0.5 % of
        the data); it finds every candidate ``"data"`` finds and more.
    min_precision : float in [0, 1], default=0.0
        A candidate rule must predict its class for at least this share of
        the weight it covers.
    rule_classes : {"auto", "all", "minority"}, default="auto"
        Which classes get rules.  ``"all"``: every class, as in the paper,
        and the default class is the most frequent among the rows no rule
        covers.  ``"minority"``: every class but the most frequent, which is
        left to the default (RIPPER's convention); for two classes the
        correct- and incorrect-cover terms then add up to the accuracy
        gained over predicting the majority.  ``"auto"``: chosen with the
        weights when ``tune_weights`` is on, else ``"all"``.
    rule_penalty : float >= 0, default=0.01
        Weight of ``f1``: cost of each rule.
    condition_penalty : float >= 0, default=0.002
        Weight of ``f2``: cost of each condition.
    overlap_penalty : float >= 0, default=0.2
        Weight of ``f3``: cost of the weight share covered by two rules of the same class.
    conflict_penalty : float >= 0, default=1.0
        Weight of ``f4``: cost of the weight share covered by two rules of different classes.
    class_coverage_bonus : float >= 0, default=0.01
        Weight of ``f5``: reward for each class some rule predicts.
    error_penalty : float >= 0, default=1.0
        Weight of ``f6``: cost of the weight share rules cover outside their class.
    coverage_bonus : float >= 0, default=1.0
        Weight of ``f7``: reward for the weight share covered by a rule of its own class.
    smoothing : float > 0, default=1.0
        Laplace pseudo-count added to each class when turning a rule's class
        weights into probabilities.
    max_thresholds : int, default=8
        Thresholds per numeric feature (each gives ``x >= t`` and ``x < t``).
    max_candidates : int, default=1000000
        Fitting fails with an explanatory error when more conjunctions reach
        ``min_support`` (it says how many single conditions do, and how many
        pairs of them may share a rule).  Their coverage is never held whole,
        so the cap bounds time more than memory: with the default
        ``max_thresholds``, dense numeric tables of up to about 70 columns
        fit (2,000 x 60: 1.3 s; 100,000 x 30: 10 s, 306 MB peak).
    pool_size : int, default=1000
        The optimizer chooses among the candidates that score best on their own.
    n_restarts : int, default=2
        Randomized double-greedy starts (besides the greedy one).
    tune_weights : bool, default=True
        Choose the objective weights (and, with ``rule_classes="auto"``, the
        classes that get rules) by validation, as Lakkaraju et al. did: split
        the training rows into two stratified folds; fitting on one and
        scoring on the other in turn, optimize the objective under a few
        scalings of the weights above (the weights as given; overlaps and
        conflicts cheaper; rules cheaper too; precision dearer; overlaps
        free), each with rules for all classes and for the minority classes
        only; keep the smallest set whose mean held-out accuracy is within
        half a standard error of the best, and refit on all rows with it.  Candidates are
        mined once; the fit costs about twenty optimizations.  The trials
        are in ``weight_search_``.  Off, the set maximises the objective
        under the weights as given.
    categorical_features : "auto", None or array-like, default="auto"
        Which features are categorical (conditions ``feature == level``):
        ``"auto"`` takes pandas ``category``, ``object`` and string columns; a
        boolean mask, indices or names declare more features categorical,
        beside those; None declares none (a column holding text is then
        refused).
    max_categories : int, default=254
        A categorical feature with more levels is rejected with a message
        that names it (at most 254: a bin code is one byte).
    random_state : int, RandomState or None, default=None
        Seeds the double-greedy starts.
    n_jobs : int or None, default=None
        Threads for the compiled kernels.
        None: the OpenMP limit (``OMP_NUM_THREADS``, ``threadpoolctl``), else
        every usable core; -1 likewise, -2 one fewer (see :ref:`threads`).
    verbose : int, default=0
        Progress lines on standard output while fitting: 0 prints nothing; 1 a
        line per stage (candidates mined, each fold of the weight search and
        the setting chosen, the pool, each optimizer start's objective, the
        chosen set's size and objective, the total time); 2 also a line per
        setting of the weight search in each fold.  The fitted set does not
        depend on it.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, as in scikit-learn: a row weighs
        ``class_weight[its class] * sample_weight`` wherever a weight is
        read: every term of the objective, ``min_support``, each rule's
        class frequencies (so the class a rule and the default predict),
        and the held-out accuracy ``tune_weights`` compares.  A dict maps
        labels to weights (classes it leaves out weigh 1).  Up-weighting a
        rare class makes covering it worth more and missing it cost more, so
        more rules predict it.  ``"balanced"`` weighs class ``k`` by
        ``sum(w) / (n_classes * w_k)``, ``w_k`` its total sample weight: the
        classes carry equal totals, the total stays ``sum(w)``, and
        ``tune_weights`` compares balanced accuracy.  Which class is the
        most frequent (left to the default by ``rule_classes="minority"``) is
        decided by ``sample_weight`` alone: class weights change how much the
        classes count, not which one is common.  Rule precision, support and
        probabilities describe the reweighted rows.
    pos_label : int, float, bool, str or None, default=None
        Binary targets: the event, the class whose probability the printed
        set gives (``P(<pos_label>)`` per rule) and its JSON records
        (scikit-learn's name, as in its metrics); local explanations read
        toward it (``log-odds of <pos_label>``).  None: ``classes_[1]``, the
        second label in sorted order.  The fit does not depend on it (nor on
        how the labels sort): only what is printed about the set changes.
        ``classes_`` stays sorted, ``predict_proba``'s columns follow it, and
        ``decision_function`` stays the log-odds of ``classes_[1]``.  A
        multiclass set prints each rule's probability of its own class and
        has no single event: ``pos_label`` must be None.

    Attributes
    ----------
    classes_ : ndarray
    rules_ : tuple of Rule
        The chosen rules in conflict-resolution order: class, conditions,
        precision and support over the training rows each covers, and
        ``decides``, the training weight of the rows it decides, whose
        smoothed class frequencies are its probabilities and scores.
    default_rule_ : Rule
        Decides rows no rule covers: the most frequent class among them.
    class_order_ : ndarray of int
        Positions in ``classes_`` in the order a tie between classes goes when
        the default's class is not among the tied: the most training weight
        first, then the class whose first training row comes first.
    rule_overlap_ : ndarray of shape (n_rules, n_rules)
        Training weight covered by both rules (diagonal: each rule's support).
    objective_ : float
        IDS objective of the set, as a gain over the empty set.
    objective_terms_ : dict
        The seven IDS quantities of the set (keys are the parameter names).
    objective_trace_ : ndarray
        Objective before and after each local-search move (non-decreasing).
    optimizer_start_ : str
        Which start led to the chosen set.
    objective_weights_ : dict
        The weights of the objective the set maximises (the parameters, or
        the scaling ``tune_weights`` chose).
    rule_classes_ : str
        ``"all"`` or ``"minority"``: which classes got rules.
    weight_search_ : list of dict
        With ``tune_weights``: per setting tried, its ``weights``,
        ``rule_classes``, mean held-out ``validation_accuracy`` and mean
        ``conditions``; else empty.
    n_candidates_ : int
        Candidates the optimizer chose from (after ``min_precision`` and ``pool_size``).
    condition_generator_ : ConditionGenerator
    term_names_ : list of str
    n_features_in_, feature_names_in_ : as usual

    Notes
    -----
    Row quantities (overlaps, errors, coverage) are shares of the total
    sample weight, so the penalties read as "a rule must earn this share of
    the data".  Zero-weight rows are ignored.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from glassbox import DecisionSetClassifier
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> clf = DecisionSetClassifier(max_rules=5, random_state=0).fit(X, y)
    >>> len(clf.rules_) <= 5
    True
    >>> bool(clf.score(X, y) > 0.85)
    True
    >>> print(clf.explain_global())  # doctest: +SKIP
    """

    _parameter_constraints = {
        "max_rules": [Interval(Integral, 1, None, closed="left"), None],
        "max_rule_len": [Interval(Integral, 1, MAX_RULE_LEN, closed="both")],
        "min_support": [Interval(Real, 0, 1, closed="right")],
        "support_scope": [StrOptions({"class", "data"})],
        "min_precision": [Interval(Real, 0, 1, closed="both")],
        "rule_classes": [StrOptions({"auto", "all", "minority"})],
        **{name: [Interval(Real, 0, None, closed="left")] for name in LAMBDA_NAMES},
        "smoothing": [Interval(Real, 0, None, closed="neither")],
        "max_thresholds": [Interval(Integral, 1, 254, closed="both")],
        "max_candidates": [Interval(Integral, 1, None, closed="left")],
        "pool_size": [Interval(Integral, 1, None, closed="left")],
        "n_restarts": [Interval(Integral, 0, None, closed="left")],
        "tune_weights": ["boolean"],
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "max_categories": [Interval(Integral, 1, MAX_CATEGORIES, closed="both")],
        "random_state": ["random_state"],
        "n_jobs": N_JOBS_CONSTRAINT,
        "class_weight": CLASS_WEIGHT_CONSTRAINT,
        "pos_label": [Real, str, "boolean", None],
        "verbose": VERBOSE_CONSTRAINT,
    }

    _demo_params = {"max_rules": 8}
    # seeded: the search's restarts and tuning folds would otherwise draw from the global RNG
    _test_params = {"pool_size": 200, "n_restarts": 1, "random_state": 0}

    def __init__(
        self,
        max_rules=10,
        max_rule_len=2,
        min_support=0.05,
        support_scope="class",
        min_precision=0.0,
        rule_classes="auto",
        rule_penalty=0.01,
        condition_penalty=0.002,
        overlap_penalty=0.2,
        conflict_penalty=1.0,
        class_coverage_bonus=0.01,
        error_penalty=1.0,
        coverage_bonus=1.0,
        smoothing=1.0,
        max_thresholds=8,
        max_candidates=1_000_000,
        pool_size=1000,
        n_restarts=2,
        tune_weights=True,
        categorical_features="auto",
        max_categories=MAX_CATEGORIES,
        random_state=None,
        n_jobs=None,
        class_weight=None,
        pos_label=None,
        verbose=0,
    ):
        self.max_rules = max_rules
        self.max_rule_len = max_rule_len
        self.min_support = min_support
        self.support_scope = support_scope
        self.min_precision = min_precision
        self.rule_classes = rule_classes
        self.rule_penalty = rule_penalty
        self.condition_penalty = condition_penalty
        self.overlap_penalty = overlap_penalty
        self.conflict_penalty = conflict_penalty
        self.class_coverage_bonus = class_coverage_bonus
        self.error_penalty = error_penalty
        self.coverage_bonus = coverage_bonus
        self.smoothing = smoothing
        self.max_thresholds = max_thresholds
        self.max_candidates = max_candidates
        self.pool_size = pool_size
        self.n_restarts = n_restarts
        self.tune_weights = tune_weights
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.class_weight = class_weight
        self.pos_label = pos_label
        self.verbose = verbose

    # -- fitting ------------------------------------------------------------------------
    @restores_state_on_failure
    def fit(self, X, y, sample_weight=None):
        """Mine candidate rules and choose the set that maximises the IDS objective.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Raw numeric and categorical features; missing values allowed.
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Weights of the rows in every term of the objective and in each
            rule's class frequencies (zeros allowed).  The objective reads
            shares of the total weight, but the class frequencies add
            ``smoothing`` to weights read as counts, so their scale matters:
            relative weights (e.g. summing to 1) let the smoothing swamp the
            data; multiply them by ``n / sum(w)``.  A ``UserWarning`` says so
            when they sum to less than a tenth of the number of rows of
            positive weight.

        Returns
        -------
        self
        """
        validate_parameters(self)
        progress = progress_of(self)
        lambdas = self._objective_weights()
        table = validate_tabular(self, X, reset=True, categorical_features=self.categorical_features)
        self.classes_, y_codes = check_classification_target(y, table.n_samples, sample_weight=sample_weight)
        # the class the printed set gives the probability of (the last class of a multiclass set: none is named)
        self._event_index = event_class_index(self.pos_label, self.classes_, type(self).__name__)
        # the most frequent class (left to the default by rule_classes="minority") is decided before class weights
        sample_weights = check_sample_weight(sample_weight, table.n_samples)
        weights = apply_class_weight(self.class_weight, self.classes_, y_codes, sample_weights)
        # the set says its precision and probabilities are the reweighted sample's (None: no class weights, or all 1)
        self._class_weight_factors = class_weight_factors(self.class_weight, y_codes, sample_weights, weights)
        self._sample_weighted = sample_weighted(sample_weights)  # the set says its supports are weights
        warn_if_weights_read_as_few_counts(weights, len(self.classes_) * self.smoothing, "the smoothing")
        counted = None if np.all(weights == weights[0]) else weights
        n_threads = effective_n_threads(self.n_jobs)
        bitsets = fit_condition_bitsets(self, table, weights)
        mined, counts = self._mine(bitsets, y_codes, weights, counted)
        progress.say(f"mined {len(mined)} candidate rules (max_rule_len={self.max_rule_len}, "
                     f"min_support={self.min_support} per {self.support_scope})")
        pool_kwargs = {"smoothing": self.smoothing, "min_precision": self.min_precision, "pool_size": self.pool_size}
        optimize_kwargs = {"max_rules": self.max_rules, "n_restarts": self.n_restarts}
        self.weight_search_ = []
        rule_classes = UNTUNED_RULE_CLASSES if self.rule_classes == "auto" else self.rule_classes
        if self.tune_weights:
            options = ("all", "minority") if self.rule_classes == "auto" else (self.rule_classes,)
            # One seed for the folds and every trial, so the search is deterministic; the greedy
            # start and its local search are enough to rank the settings.
            seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
            lambdas, rule_classes, trials, chosen = choose_setting(
                mined, self.condition_generator_, y_codes, weights, len(self.classes_), self._link(), lambdas, options,
                pool_kwargs=pool_kwargs,
                optimize_kwargs={**optimize_kwargs, "n_restarts": 0, "random_state": seed},
                n_threads=n_threads, random_state=seed, groups=row_groups(bitsets, y_codes, table.n_samples, weights),
                counts=counts, majority_weights=sample_weights, progress=progress,
            )
            self.weight_search_ = [{**t, "weights": dict(zip(LAMBDA_NAMES, map(float, t["weights"])))} for t in trials]
        self.objective_weights_ = dict(zip(LAMBDA_NAMES, map(float, lambdas)))
        self.rule_classes_ = rule_classes
        if progress and self.weight_search_:
            progress.say(_chosen_setting_line(self.weight_search_, chosen))
        pool = candidate_pool(
            mined, self.condition_generator_, y_codes, weights, len(self.classes_), self._link(), lambdas,
            rule_classes=rule_classes, counts=counts, majority_weights=sample_weights, **pool_kwargs,
        )
        self._warn_about_missing_classes(pool, len(mined), y_codes, sample_weights)
        progress.say(f"pool of {len(pool.index)} candidates (pool_size={self.pool_size}); optimizing from "
                     f"{self.n_restarts + 1} starts")
        problem = build_problem(
            pool.coverage, y_codes, weights, pool.rule_class, pool.length, lambdas, len(self.classes_), n_threads
        )
        result = optimize(problem, random_state=self.random_state, n_threads=n_threads, progress=progress,
                          **optimize_kwargs)
        self._set_result(result, problem, pool, y_codes, weights, table.n_samples)
        self._warn_if_one_class_for_all(pool, y_codes, weights)
        progress.done(f"chose {len(self.rules_)} rules ({sum(len(r.conditions) for r in self.rules_)} conditions) "
                      f"from the {result.start} start, objective {self.objective_:.6g}")
        return self

    def _mine(self, bitsets, y_codes, weights, counted):
        if self.support_scope == "class":
            return mine_per_class(
                self.condition_generator_, bitsets, y_codes, weights, len(self.classes_),
                min_support=self.min_support, max_rule_len=self.max_rule_len, max_candidates=self.max_candidates,
            )
        mined = mine_candidate_rules(
            self.condition_generator_, bitsets, len(y_codes), sample_weight=counted,
            min_support=self.min_support, max_rule_len=self.max_rule_len, max_candidates=self.max_candidates,
            keep_coverage=False,
        )
        return mined, mined.class_counts(y_codes, weights, len(self.classes_))

    def _objective_weights(self):
        lambdas = np.array([getattr(self, name) for name in LAMBDA_NAMES], dtype=np.float64)
        if not np.any(lambdas > 0):
            raise ValueError(
                f"All objective weights ({', '.join(LAMBDA_NAMES)}) are zero, so every rule set scores "
                "the same. Give at least coverage_bonus a positive value (the defaults work well)."
            )
        return lambdas

    def _warn_about_missing_classes(self, pool, n_mined, y_codes, sample_weights):
        # With rules for the minority classes only, the majority is the default by design.
        skip = majority_class(y_codes, sample_weights, len(self.classes_)) if self.rule_classes_ == "minority" else -1
        absent = [plain_value(self.classes_[k]) for k in range(len(self.classes_))  # 3, not '3'
                  if k != skip and not np.any(pool.rule_class == k)]
        if not absent:
            return
        if len(self.condition_generator_.conditions_) == 0:
            warnings.warn(
                f"Classes {list(absent)} can only be predicted as the default class: no feature yields a condition "
                "(each is constant in the training rows, so no threshold or level tells rows apart). Give features "
                "whose values differ between rows.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
            return
        if n_mined == 0:
            reason = f"no conjunction of conditions covers min_support={self.min_support} of the training weight"
        elif len(pool.rule_class) == 0 and self.min_precision > 0:
            reason = f"none of the {n_mined} mined candidate rules reaches min_precision={self.min_precision}"
        else:
            # (min_precision=0 drops no candidate: none holds more of their weight than of another class's)
            reason = "no candidate rule reaching min_support and min_precision predicts them"
        warnings.warn(
            f"Classes {list(absent)} can only be predicted as the default class: {reason}. Lower min_support "
            "or min_precision, raise max_rule_len or max_thresholds, or weight those classes up "
            "(class_weight).",
            UserWarning,
            stacklevel=user_stacklevel(),
        )

    def _warn_if_one_class_for_all(self, pool, y_codes, weights):
        """Warn when the set predicts one class for every row (the target has two or more: fit refuses one)
        although the pool held rules of other classes (without any, the warning of missing classes said so).

        On imbalanced classes the objective's coverage and error terms, and the
        held-out accuracy that chooses its weights, are best served by
        predicting the majority: the set keeps no rule (or only rules of the
        default's class) and every row gets the default, a constant model
        whose reason codes name no rule that tells applicants apart; weighting
        the classes equal is the fix.  On classes that weigh about the same
        (within :data:`IMBALANCE_RATIO`) that advice does nothing: no rule
        beat predicting one class, and the warning says what the fit saw.
        """
        default = self.default_rule_.predicted_class
        if any(rule.predicted_class != default for rule in self.rules_):
            return
        k_default = int(np.flatnonzero(self.classes_ == default)[0])
        others = np.flatnonzero(pool.rule_class != k_default)
        if others.size == 0:
            return
        kept = ("keeps no rule" if not self.rules_
                else f"keeps only rules of class {default}, the default's ({len(self.rules_)})")
        head = (f"The decision set {kept}: it predicts class {default} for every row, although {others.size} of "
                f"the {len(pool.rule_class)} candidate rules predict another class.  ")
        totals = np.bincount(y_codes, weights=weights, minlength=len(self.classes_))
        present = totals[totals > 0]
        if present.max() > IMBALANCE_RATIO * present.min():
            advice = (
                "On imbalanced classes, predicting the majority scores best on the coverage and error terms and on "
                "the held-out accuracy that chooses the weights.  Pass class_weight='balanced' (or weight the rare "
                "classes up) so that each class counts the same; a lower min_support widens the candidates when "
                "few rules of a rare class reach it."
            )
        else:
            share = totals[k_default] / totals.sum()
            weighed = "with their class weights, " if self._class_weight_factors is not None else ""
            if self.weight_search_:
                best = max(trial["validation_accuracy"] for trial in self.weight_search_)
                relation = ("below" if best < share - 5e-4 else "above" if best > share + 5e-4 else "the same as")
                record = (f"the best setting of the weight search was right on {best:.3f} of the held-out weight, "
                          f"{relation} the {share:.3f} of predicting class {default} for every row")
            else:
                record = (f"the objective scores no set with rules of another class above predicting class "
                          f"{default} for every row ({share:.3f} of the weight)")
            advice = (
                f"The classes weigh about the same ({weighed}"
                f"{', '.join(f'{plain_value(c)!r}: {t:.4g}' for c, t in zip(self.classes_, totals))}), so "
                "weighting them equal (class_weight='balanced') is no fix: the candidate rules do not beat the majority ("
                f"{record}).  The features show no rule that tells the classes apart at this min_support and "
                "max_rule_len; if they should, look for features that carry the signal, or widen the candidates "
                "(lower min_support, higher max_rule_len or max_thresholds)."
            )
        warnings.warn(head + advice, UserWarning, stacklevel=user_stacklevel())

    def _set_result(self, result, problem, pool, y_codes, weights, n_samples):
        chosen = result.selected
        counts = pool.class_weights[chosen]
        precision = counts[np.arange(len(chosen)), pool.rule_class[chosen]] / counts.sum(axis=1)
        order = conflict_order(precision, counts.sum(axis=1), pool.length[chosen], pool.text(chosen))
        chosen = chosen[order]
        self._rule_items = [pool.mined.items[pool.index[c]] for c in chosen]
        covered = mask_from_bitset(pool.coverage[chosen], n_samples) if len(chosen) else np.zeros((0, n_samples), bool)
        uncovered = ~covered.any(axis=0)
        default_rows = uncovered if np.any(weights[uncovered] > 0) else np.ones(n_samples, dtype=bool)
        default_counts = class_counts(bitset_from_mask(default_rows), y_codes, weights, len(self.classes_))[0]
        decided = class_counts(decided_bitsets(pool.coverage[chosen], n_samples), y_codes, weights, len(self.classes_))
        self.rules_ = tuple(self._make_rule(pool, c, decided[i]) for i, c in enumerate(chosen))
        # the default's class: a tie between classes goes as the tuning's held-out default settles it
        self.class_order_ = class_preference(y_codes, weights, len(self.classes_))
        default_class = likeliest_class(default_counts, self.class_order_)
        # rates tied but for rounding are made equal, so that predict_proba ties them too and the tie goes
        # to the default's class, as its row says
        self.default_rule_ = self._rule_from_counts((), default_counts, support=weights[uncovered].sum(),
                                                    decides=weights[uncovered].sum(), k=default_class,
                                                    rates=settled_totals(default_counts))
        self._scores = np.stack([r.scores for r in self.rules_ + (self.default_rule_,)])
        self.rule_overlap_ = (covered * weights) @ covered.T.astype(np.float64)
        self._shared_weight = _weight_shared_by_class(covered, weights, [r.predicted_class for r in self.rules_])
        self.objective_ = float(result.objective)
        terms = objective_terms(problem, result.selected)
        self.objective_terms_ = {name: float(v) for name, v in zip(LAMBDA_NAMES, terms)}
        self.objective_trace_ = np.concatenate([[result.start_objective], result.trace])
        self.optimizer_start_ = result.start
        self.n_candidates_ = len(pool.index)
        self.term_names_ = [str(rule) for rule in self.rules_] + ["default"]

    def _make_rule(self, pool, c, decided_counts):
        """Rule ``c`` of the pool: its class, precision and support from the rows it covers, its
        probabilities from the rows it decides (``decided_counts``)."""
        conditions = tuple(self.condition_generator_.conditions_[i] for i in pool.mined.items[pool.index[c]])
        covered = pool.class_weights[c]
        # A rule deciding no training row has no rows of its own to read: it keeps its covered rows' frequencies.
        rates = decided_counts if decided_counts.sum() > 0 else covered
        return self._rule_from_counts(conditions, covered, support=covered.sum(), decides=decided_counts.sum(),
                                      rates=rates, k=int(pool.rule_class[c]))

    def _rule_from_counts(self, conditions, counts, support, decides, k, rates=None):
        """A rule predicting class ``k`` whose precision is read from ``counts`` and whose probabilities
        are the smoothed frequencies of ``rates`` (default ``counts``)."""
        scores = smoothed_scores((counts if rates is None else rates)[None, :], self.smoothing)
        total = counts.sum()
        return Rule(
            conditions=conditions,
            scores=scores[0],
            # The link's own inverse, so predict_proba reproduces these numbers bit for bit.
            probabilities=self._link().inverse(scores)[0],
            support=support,
            predicted_class=self.classes_[k],
            precision=float(counts[k] / total) if total > 0 else 0.0,
            decides=decides,
        )

    # -- the explanation contract -------------------------------------------------------
    def _prepare(self, X):
        return rule_coverage(self, X, self._rule_items)

    def _decision_only(self, X, scale=None):
        return fired_rule_decision(self, X, self._rule_items, self._scores, self._base_value(), scale)

    def _term_contributions(self, covered):
        return one_hot_contributions(first_covering_rule(covered), self._scores)

    def _base_value(self):
        return np.zeros(() if len(self.classes_) == 2 else (len(self.classes_),))

    def _output_from_decision(self, decision):
        # A row whose classes tie goes to the default's class (else by class_order_), as the set's explanation
        # and JSON predict it.
        default_index = list(self.classes_).index(self.default_rule_.predicted_class)
        return self.classes_[settle_ties_to_default(self._link(), decision, default_index, self._class_order())]

    def _class_order(self):
        # None for a model pickled before the order was kept: ties then go to the lower position
        order = getattr(self, "class_order_", None)
        return None if order is None else tuple(int(k) for k in order)

    def _term_features(self):
        """The features each rule's conditions read (in order, once each); the default reads none."""
        return tuple(rule_features(rule.conditions) for rule in self.rules_) + ((),)

    def explain_global(self):
        """The decision set: rules in conflict-resolution order, each with its class,
        precision and support (rows covered), decided weight and probabilities
        (rows decided), and the default.

        Returns
        -------
        RuleSet
            Prints as a table; its ``decision_function`` equals the estimator's.
        """
        check_is_fitted(self)
        return RuleSet(
            model=type(self).__name__,
            feature_names=tuple(feature_names_of(self)),
            flag_features=flag_feature_names(self),
            link=self._link(),
            classes=self.classes_,
            base_value=self._base_value(),
            rules=self.rules_,
            default=self.default_rule_,
            training_values=training_values(self, self._rule_items),
            class_weights=getattr(self, "_class_weight_factors", None),
            sample_weighted=getattr(self, "_sample_weighted", False),
            pos_label=self._event_read_first(),
            class_order=self._class_order(),
        )

    def rule_table(self):
        """The rules as a DataFrame in rank (conflict-resolution) order, default last.

        Besides the explanation's columns (``rule``, conditions, class, precision,
        support, probabilities), ``rank`` is the number the text and local notes
        use (the same label as ``rule``), and
        ``overlap same class`` / ``overlap other classes`` give the training
        weight of the rule's rows that another rule of its own / of another
        class also covers (each row counted once, so at most the rule's
        support; ``rule_overlap_`` has the pairwise overlaps).
        """
        frame = self.explain_global().to_frame()
        frame.insert(0, "rank", [str(i + 1) for i in range(len(self.rules_))] + ["default"])
        frame["overlap same class"] = list(self._shared_weight[:, 0]) + [np.nan]
        frame["overlap other classes"] = list(self._shared_weight[:, 1]) + [np.nan]
        return frame

    def _decision_path(self, X):
        """The decision path (every rule checked, the condition each failing one failed on), with a note per
        row naming every rule that covers it, which one decided and why, or the default."""
        path = decision_path(self, X, self._rule_items, [rule.conditions for rule in self.rules_], "set")
        # written when read: no string per row until someone looks
        return dataclasses.replace(path, notes=RowNotes(path.failed, self.rules_, self.default_rule_, self.classes_,
                                                    self._class_order()))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        return tags


def _chosen_setting_line(trials, chosen):
    """What the weight search kept (``trials[chosen]``): its class choice, held-out accuracy and conditions."""
    kept = trials[chosen]
    return (f"weight search kept rule_classes={kept['rule_classes']!r} of {len(trials)} settings: held-out accuracy "
            f"{kept['validation_accuracy']:.4f}, {kept['conditions']:g} conditions")


def _weight_shared_by_class(covered, weights, classes):
    """Per rule, the training weight of its rows another rule of the same / another class covers: ``(n_rules, 2)``.

    A row covered by several other rules counts once (a sum of pairwise
    overlaps would count it once per rule and could exceed the rule's support).
    """
    classes = np.asarray(classes, dtype=object)
    shared = np.zeros((len(covered), 2))
    for i in range(len(covered)):
        others = np.arange(len(covered)) != i
        for column, kin in enumerate((classes == classes[i], classes != classes[i])):
            by_others = covered[others & kin].any(axis=0)
            shared[i, column] = weights[covered[i] & by_others].sum()
    return shared
