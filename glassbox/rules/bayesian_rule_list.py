"""Bayesian rule lists on raw features (Letham et al. 2015; Yang, Rudin & Seltzer 2017)."""

from collections.abc import Iterable, Mapping
from numbers import Integral, Real

import numpy as np
from scipy.special import softmax
from scipy.stats import beta as beta_distribution
from scipy.stats import norm
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ..base import GlassBoxClassifierMixin
from ..explain._class_weight import class_weight_factors, event_class_index, sample_weighted
from ..explain._term_features import rule_features
from ..explain.rules import Rule, RuleList
from ..explain.terms import Condition
from ..utils._fit_state import restores_state_on_failure
from ..utils._progress import VERBOSE_CONSTRAINT, progress_of
from ..utils._sklearn_shim import Interval, StrOptions, validate_parameters
from ..utils._threads import effective_n_threads
from ..utils.binning import MAX_CATEGORIES
from ..utils.conditions import ConditionGenerator
from ..utils.tabular import feature_names_of, flag_feature_names, validate_tabular
from ..utils.validation import (CLASS_WEIGHT_CONSTRAINT, N_JOBS_CONSTRAINT, apply_class_weight,
                                check_classification_target, check_sample_weight, plain_value)
from ._brl_sampler import MAX_LIST_LENGTH, ListPosterior, PosteriorPredictive, gelman_rubin, warn_if_unconverged
from ._rule_model import (covering_rules, decision_path, fired_rule_decision, first_covering_rule, list_class_counts,
                          one_hot_contributions, rule_bitsets, rule_coverage, training_values,
                          warn_if_weights_read_as_few_counts)
from .mining import MAX_RULE_LEN, mine_candidate_rules

#: R-hat above this triggers the convergence warning.
RHAT_THRESHOLD = 1.1
#: Most greedy moves applied to each chain's best list.
_POLISH_STEPS = 10
#: Candidates x bitset words of a "small" search.  Below it a polish scan takes about a
#: millisecond (compas: 232 x 80): every chain's best list is polished, on one thread (waking a
#: second one costs more when the cores are shared: 16 starts on compas took 47 ms on one
#: thread, 219 ms on two at load 3).  Above it a scan grows in proportion (large data, many
#: candidates), so only the best start is polished, its scans split over the threads.
_SMALL_SEARCH = 200_000


def _say_chains(progress, chains, n_iter):
    """The chains' end: their overall acceptance and best list, then at ``verbose >= 2`` a line per chain."""
    if not progress:
        return
    n_chains = len(chains.best_lists)
    best = int(np.argmax(chains.best_log_posteriors))
    accepted = chains.n_accept.sum() / (n_chains * n_iter)
    # the summary first: it carries the sampling's seconds (the chains run together, none has a time of its own)
    progress.say(f"sampled {n_chains} chains x {n_iter} iterations: acceptance {accepted:.3f}, best list sampled "
                 f"{len(chains.best_lists[best])} rules, log-posterior {chains.best_log_posteriors[best]:.4f}")
    for c in range(n_chains):
        progress.say(f"chain {c + 1}/{n_chains}: acceptance {chains.n_accept[c] / n_iter:.3f}, best list "
                     f"{len(chains.best_lists[c])} rules, log-posterior {chains.best_log_posteriors[c]:.4f}", level=2)


def _conditions_of(rule):
    """The conditions of one rule given to ``set_rules``: a tuple of conditions, or a ``Rule``'s conditions."""
    if isinstance(rule, Rule):
        if not rule.conditions:
            raise ValueError("set_rules was given the default rule (it has no conditions): give the rules above it; "
                             "the rows none of them covers go to the default.")
        return tuple(rule.conditions)
    if isinstance(rule, (Condition, str)) or not isinstance(rule, Iterable):
        raise ValueError(
            f"set_rules takes a list of rules, each a tuple of conditions (or a Rule of explain_global().rules), "
            f"got {rule!r} as a rule; for a rule of one condition write [(condition,)]."
        )
    return tuple(rule)


def _best_polished(posterior, starts, n_threads, lengths=None, widths=None):
    """The best list reached by steepest ascent from each start (``[(list, lp), ...]``, best first).

    The chains rarely stop exactly on a mode, and on large data many lists lie within a
    fraction of a nat of each other: a chain's best list can lead uphill to a better list than
    the best sampled one does.  Each start is improved by at most ``_POLISH_STEPS`` greedy add /
    remove / swap / replace moves (each move scans about ``2 * n_candidates * (n_rules + 1)``
    neighbours); the result is never worse than the best start, and ties keep the earlier start.
    On large searches (see ``_SMALL_SEARCH``) only the best start is polished.
    """
    best, best_lp = starts[0]
    if posterior.n_candidates * posterior.coverage.shape[1] < _SMALL_SEARCH:
        n_threads = 1  # the result does not depend on the thread count, only the time does
    else:
        starts = starts[:1]
    for start, _ in starts:
        polished, lp = posterior.polish(start, max_steps=_POLISH_STEPS, lengths=lengths, widths=widths,
                                        n_threads=n_threads)
        if lp > best_lp:
            best, best_lp = polished, lp
    return best, best_lp


#: Beta parameters beyond which its quantiles are the normal approximation's: its skewness is then below 1e-4
#: of a standard deviation, and scipy's Beta quantile gives up on some (4e14 and 1e12: a RuntimeWarning from
#: boost's series, for weights of 1e12 per row)
_NORMAL_BETA = 1e8


def _beta_interval(tail, a, b):
    """The ``tail`` and ``1 - tail`` quantiles of Beta(a, b), elementwise."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    large = np.minimum(a, b) > _NORMAL_BETA
    low, high = np.empty_like(a), np.empty_like(a)
    if np.any(~large):
        low[~large] = beta_distribution.ppf(tail, a[~large], b[~large])
        high[~large] = beta_distribution.ppf(1.0 - tail, a[~large], b[~large])
    if np.any(large):
        total = a[large] + b[large]
        mean = a[large] / total
        spread = norm.ppf(1.0 - tail) * np.sqrt(mean * (b[large] / total) / (total + 1.0))
        low[large], high[large] = np.clip(mean - spread, 0.0, 1.0), np.clip(mean + spread, 0.0, 1.0)
    return low, high


class BayesianRuleListClassifier(GlassBoxClassifierMixin, ClassifierMixin, BaseEstimator):
    """Bayesian rule list: an IF / ELSE IF / ELSE list with class probabilities per rule.

    Candidate rules are frequent conjunctions of readable conditions on the
    raw features (``age >= 45``, ``priors < 3``, ``sex == male``), mined by
    Eclat on bitsets.  Lists are sampled by Metropolis-Hastings (Letham,
    Rudin, McCormick & Madigan 2015), with a Poisson prior on the length, a
    Poisson prior on each rule's width and a Dirichlet prior on each rule's
    class probabilities; the sampler runs on bitsets with incremental
    log-posterior updates (as in scalable BRL, Yang, Rudin & Seltzer 2017).
    The list kept is Letham et al.'s point estimate (the best list of about the
    posterior mean length and width) or the maximum a posteriori list: each
    chain's best list is improved by steepest ascent over single add / remove /
    swap / replace moves (up to 10 moves), and the best result is kept.

    Parameters
    ----------
    list_length_prior : float, default=3.0
        Prior mean ``lambda`` of the number of rules.
    list_width_prior : float, default=1.0
        Prior mean ``eta`` of the number of conditions per rule.
    alpha : float or array-like of shape (n_classes,), default=1.0
        Dirichlet prior pseudo-counts of each rule's class probabilities.
    min_support : float in (0, 1], default=0.1
        A candidate rule must cover at least this fraction of the training weight.
    max_rule_len : int, default=2
        Most conditions per rule.
    max_candidates : int, default=50000
        Fitting fails with an explanatory error when more candidate rules reach
        ``min_support``.
    max_thresholds : int, default=5
        Thresholds per numeric feature (each gives ``x >= t`` and ``x < t``).
    max_rules : int in [0, 64] or None, default=None
        Most rules in the list (the default rule aside); None: the length
        prior alone, up to 64 rules.  The sampler holds at most 64 rules (its
        buffers for BRL-point grow as the cube of the longest list), so a
        larger value is refused; the default ``list_length_prior=3`` gives
        such long lists a prior mass below 1e-60.
    n_chains : int, default=16
        Independent Metropolis-Hastings chains, each started from a random list
        (run in parallel).  BRL-point rounds the posterior mean length, so it
        needs that mean precisely: with many chains the list kept rarely
        depends on ``random_state``, and the convergence diagnostic is more
        trustworthy.
    n_iter : int, default=50000
        Iterations per chain (as in Letham et al.); the second half feeds the
        convergence diagnostic.
    burn_in_temperature : float >= 1, default=1.0
        Simulated annealing during the burn-in (first half): the chains target
        the posterior to the power ``1 / T``, with ``T`` falling geometrically
        from this value to 1, so they cross between modes before sampling.
        The second half samples the posterior itself.  1: plain
        Metropolis-Hastings.  10 lowered the classic R-hat on large data with
        many modes (adult: 3.8 to 1.5, mushroom: 2.2 to 1.3) at two to three
        times the fit time, because hot chains hold long lists.
    credible_level : float, default=0.95
        Mass of the reported equal-tailed credible interval of each class probability.
    point_estimate : {"brl-point", "map"}, default="brl-point"
        Which list to keep.  ``"brl-point"`` (Letham et al.'s point estimate):
        among lists sampled after burn-in whose length and mean rule width are
        the posterior means rounded down or up, the one with the highest
        posterior; each chain's best such list is improved by steepest ascent
        over lists of that length and width and the best is kept (falls back to
        ``"map"`` when none qualifies).  ``"map"``: the same from each chain's
        highest-posterior list, without the shape restriction.
        The MAP list is often shorter than typical posterior lists (the mass
        spreads over many longer ones), and fewer rules give fewer distinct
        probabilities to rank rows by.
    categorical_features : "auto", None or array-like, default="auto"
        Which features are categorical (conditions ``feature == level``):
        ``"auto"`` takes pandas ``category``, ``object`` and string columns; a
        boolean mask, indices or names declare more features categorical,
        beside those; None declares none (a column holding text is then
        refused).
    max_categories : int, default=254
        A categorical feature with more levels is rejected with a message.
    random_state : int, RandomState or None, default=None
        Seeds the chains' starting lists and their random streams.
    n_jobs : int or None, default=None
        Threads (chains run in parallel).
        None: the OpenMP limit (``OMP_NUM_THREADS``, ``threadpoolctl``), else
        every usable core; -1 likewise, -2 one fewer (see :ref:`threads`).
    verbose : int, default=0
        Progress lines on standard output while fitting: 0 prints nothing; 1 a
        line per stage (candidates mined, the chains' end with their acceptance
        rate, R-hat, the kept list's length and log-posterior, the total time);
        2 also a line per chain.  The chains run in parallel, so their lines
        come when all have ended.  The fitted list does not depend on it.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, as in scikit-learn: a row counts
        ``class_weight[its class] * sample_weight`` times in each rule's
        Dirichlet-multinomial (see Notes), in ``min_support`` and in the
        thresholds' quantiles.  A dict maps labels to weights (classes it
        leaves out weigh 1).  ``"balanced"`` weighs class ``k`` by
        ``sum(w) / (n_classes * w_k)``, ``w_k`` its total sample weight: the
        classes carry equal totals and the total stays ``sum(w)`` (the number
        of rows without ``sample_weight``), so the prior weighs as much as
        before.  A dict's weights are counts, so their scale matters:
        ``{0: 10, 1: 10}`` is not None but every row counted ten times, which
        sharpens the posterior (narrower credible intervals, room for longer
        lists); keep the weights' mean near 1 to change only the balance.
        The rules' probabilities and ``rule_class_weights_`` then describe the
        reweighted rows.  :meth:`keep_rules` and :meth:`set_rules` weigh
        their rows the same way.  The weights belong to the classes:
        ``pos_label`` does not change them.
    pos_label : int, float, bool, str or None, default=None
        Binary targets: the event, the class whose probability the printed
        list gives (``P(<pos_label>)`` with its credible interval) and its
        JSON records (scikit-learn's name, as in its metrics).  None:
        ``classes_[1]``, the second label in sorted order.  The posterior
        treats the classes alike (one Dirichlet pseudo-count each, ``alpha``
        in the order of ``classes_``), so the list is the one a target recoded
        so that ``pos_label`` sorts last gives; only what is printed about it
        changes.  ``classes_`` stays sorted, ``predict_proba``'s columns
        follow it, and ``decision_function`` stays the log-odds of
        ``classes_[1]`` (positive for ``classes_[1]``, as scikit-learn's
        metrics read it).  A multiclass list prints every class's
        probability and has no single event: ``pos_label`` must be None.

    Attributes
    ----------
    classes_ : ndarray
    rules_ : list of tuple of Condition
        The conditions of each rule in the list, in order.
    rule_scores_ : ndarray of shape (n_rules + 1,) or (n_rules + 1, n_classes)
        Decision function of each rule, default last: the log-odds of
        ``classes_[1]`` (binary) or log class probabilities (multiclass).
    rule_probabilities_ : ndarray of shape (n_rules + 1, n_classes)
        Posterior mean class probabilities given the rule decides; exactly what
        ``predict_proba`` returns for the rows it decides.
    rule_intervals_ : ndarray of shape (n_rules + 1, 2, n_classes)
        Credible interval (low, high) of each class probability.
    rule_class_weights_ : ndarray of shape (n_rules + 1, n_classes)
        Training weight of each class among the rows each rule decides.
    rule_support_ : ndarray of shape (n_rules + 1,)
        Training weight each rule decides (the row sums of ``rule_class_weights_``).
    log_posterior_ : float
        Log-posterior of the list (up to a constant); NaN after :meth:`keep_rules` removed a rule.
    posterior_mean_length_, posterior_mean_width_ : float
        Posterior mean number of rules and mean rule width, over the chains'
        second halves.
    rhat_ : float
        Rank-normalised split R-hat (Vehtari et al. 2021) of the log-posterior
        over the chains' second halves; above 1.1 a ``ConvergenceWarning`` says
        the chains disagree (common on small data too, see the user guide).
    acceptance_rate_ : float
    n_posterior_draws_ : int
        Thinned draws of the chains' second halves that
        ``predict_proba_posterior`` averages over.
    n_candidates_ : int
    condition_generator_ : ConditionGenerator
    term_names_ : list of str
    n_features_in_, feature_names_in_, is_categorical_ : as usual

    Notes
    -----
    Sample weights enter the Dirichlet-multinomial as fractional counts: the
    count of class k under a rule is the total weight of the class-k rows it
    decides, so an integer weight is the same as repeating the row, and
    zero-weight rows are ignored.  ``min_support`` is a share of the weight.
    The scale of the weights therefore matters: weights normalised to sum to
    1 count the whole data as one row against ``alpha``, and the probabilities
    collapse towards equal classes.  Weights are not rescaled (a count is a
    count); fitting warns when they sum to less than a tenth of the number of
    rows of positive weight, and relative weights should be multiplied by
    ``n / sum(w)``.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from glassbox import BayesianRuleListClassifier
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> clf = BayesianRuleListClassifier(n_iter=2000, random_state=0).fit(X, y)
    >>> len(clf.rules_) <= 10
    True
    >>> print(clf.explain_global())  # doctest: +SKIP

    The list printed as the probability of class 0 (malignant), with the same rules:

    >>> malignant = BayesianRuleListClassifier(n_iter=2000, random_state=0, pos_label=0).fit(X, y)
    >>> "P(0) = " in str(malignant.explain_global())
    True
    """

    _parameter_constraints = {
        "list_length_prior": [Interval(Real, 0, None, closed="neither")],
        "list_width_prior": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="neither"), "array-like"],
        "min_support": [Interval(Real, 0, 1, closed="right")],
        "max_rule_len": [Interval(Integral, 1, MAX_RULE_LEN, closed="both")],
        "max_candidates": [Interval(Integral, 1, None, closed="left")],
        "max_thresholds": [Interval(Integral, 1, 254, closed="both")],
        "max_rules": [Interval(Integral, 0, MAX_LIST_LENGTH, closed="both"), None],
        "n_chains": [Interval(Integral, 1, None, closed="left")],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "burn_in_temperature": [Interval(Real, 1, None, closed="left")],
        "credible_level": [Interval(Real, 0, 1, closed="neither")],
        "point_estimate": [StrOptions({"map", "brl-point"})],
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "max_categories": [Interval(Integral, 1, MAX_CATEGORIES, closed="both")],
        "random_state": ["random_state"],
        "n_jobs": N_JOBS_CONSTRAINT,
        "class_weight": CLASS_WEIGHT_CONSTRAINT,
        "pos_label": [Real, str, "boolean", None],
        "verbose": VERBOSE_CONSTRAINT,
    }

    # Single-condition rules at the default n_iter: the chains agree on the demo data (R-hat 1.016;
    # 1.015-1.055 over seeds 0-3), where pairs at n_iter=5000 gave 1.387 and a ConvergenceWarning.
    _demo_params = {"max_rule_len": 1, "random_state": 0}
    # The common checks fit dozens of times on tiny data: a short search keeps them quick; seeded, so
    # that the list a test gets does not depend on the global RNG.
    _test_params = {"n_iter": 2000, "random_state": 0}

    def __init__(
        self,
        list_length_prior=3.0,
        list_width_prior=1.0,
        alpha=1.0,
        min_support=0.1,
        max_rule_len=2,
        max_candidates=50_000,
        max_thresholds=5,
        max_rules=None,
        n_chains=16,
        n_iter=50_000,
        burn_in_temperature=1.0,
        credible_level=0.95,
        point_estimate="brl-point",
        categorical_features="auto",
        max_categories=MAX_CATEGORIES,
        random_state=None,
        n_jobs=None,
        class_weight=None,
        pos_label=None,
        verbose=0,
    ):
        self.list_length_prior = list_length_prior
        self.list_width_prior = list_width_prior
        self.alpha = alpha
        self.min_support = min_support
        self.max_rule_len = max_rule_len
        self.max_candidates = max_candidates
        self.max_thresholds = max_thresholds
        self.max_rules = max_rules
        self.n_chains = n_chains
        self.n_iter = n_iter
        self.burn_in_temperature = burn_in_temperature
        self.credible_level = credible_level
        self.point_estimate = point_estimate
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.class_weight = class_weight
        self.pos_label = pos_label
        self.verbose = verbose

    # -- fitting ------------------------------------------------------------------------
    def _validate_parameters(self):
        """Check the parameters; a list longer than the sampler holds is refused with what to give instead."""
        try:
            validate_parameters(self)
        except ValueError as error:
            if "'max_rules'" not in str(error) or not isinstance(self.max_rules, Integral) or self.max_rules < 0:
                raise
            raise type(error)(
                f"{error} The sampler holds at most {MAX_LIST_LENGTH} rules (its buffers grow as the cube of the "
                f"longest list): give max_rules <= {MAX_LIST_LENGTH}, or None to let list_length_prior alone "
                "set the length."
            ) from None

    @restores_state_on_failure
    def fit(self, X, y, sample_weight=None):
        """Mine candidate rules, search lists by MCMC and keep the MAP list.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Raw numeric and categorical features; missing values allowed.
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Fractional counts in each rule's Dirichlet-multinomial (see Notes):
            their scale matters.  Relative weights (e.g. summing to 1) let
            the prior swamp the data; multiply them by ``n / sum(w)``.  A
            ``UserWarning`` says so when they sum to less than a tenth of the
            number of rows of positive weight.

        Returns
        -------
        self
        """
        self._validate_parameters()
        progress = progress_of(self)
        table = validate_tabular(self, X, reset=True, categorical_features=self.categorical_features)
        self.classes_, y_codes = check_classification_target(y, table.n_samples, sample_weight=sample_weight)
        # the class the printed list gives the probability of (the last class of a multiclass list: none is named)
        self._event_index = event_class_index(self.pos_label, self.classes_, type(self).__name__)
        row_weights = check_sample_weight(sample_weight, table.n_samples)
        weights = apply_class_weight(self.class_weight, self.classes_, y_codes, row_weights)
        # the list says its probabilities are the reweighted sample's (None: no class weights, or all 1)
        self._class_weight_factors = class_weight_factors(self.class_weight, y_codes, row_weights, weights)
        self._sample_weighted = sample_weighted(row_weights)  # the list says its supports are weights
        alpha = self._alpha_vector(len(self.classes_))
        warn_if_weights_read_as_few_counts(weights, alpha.sum(), "the Dirichlet prior")
        bitsets = self._fit_conditions(table, weights)
        counted_weights = None if np.all(weights == 1.0) else weights
        candidates = self._mine(bitsets, table.n_samples, counted_weights)
        progress.say(f"mined {len(candidates)} candidate rules from {len(self.condition_generator_.conditions_)} "
                     f"conditions (max_rule_len={self.max_rule_len}, min_support={self.min_support})")
        max_length = MAX_LIST_LENGTH if self.max_rules is None else self.max_rules  # validated: at most 64
        posterior = ListPosterior(
            candidates.coverage, candidates.widths, y_codes, counted_weights, len(self.classes_), alpha,
            self.list_length_prior, self.list_width_prior, max_length, rebuild_coverage=candidates.rebuild_coverage,
        )
        chains = posterior.sample(
            self.n_chains, self.n_iter, check_random_state(self.random_state), effective_n_threads(self.n_jobs),
            initial_temperature=self.burn_in_temperature,
        )
        _say_chains(progress, chains, self.n_iter)
        self.posterior_mean_length_, self.posterior_mean_width_ = chains.posterior_means()
        best, self.log_posterior_ = self._point_estimate(posterior, chains, effective_n_threads(self.n_jobs))
        # A rule deciding no training row says nothing (its probabilities are the prior's) and may fire for
        # no input at all: the kept list drops such rules, which changes no training row's rule.
        best, self.log_posterior_ = posterior.without_dead_rules(best, self.log_posterior_)
        self.rhat_ = gelman_rubin(chains.trace[:, self.n_iter // 2 :])
        warn_if_unconverged(self.rhat_, RHAT_THRESHOLD, self.n_iter)
        self.acceptance_rate_ = float(chains.n_accept.sum() / (self.n_chains * self.n_iter))
        progress.say(f"R-hat {self.rhat_:.4f}; kept the {self.point_estimate} list of {len(best)} rules, "
                     f"log-posterior {self.log_posterior_:.4f}")
        draws, draw_counts = chains.posterior_draws()
        self._posterior = PosteriorPredictive(
            draws, draw_counts, candidates.coverage, y_codes, counted_weights, len(self.classes_), alpha
        )
        self._posterior_items = [candidates.items[c] for c in self._posterior.candidates]
        self.n_posterior_draws_ = int(draw_counts.sum())
        self.n_candidates_ = len(candidates)
        self._rule_items = [candidates.items[c] for c in best]
        self.rules_ = [candidates.conditions(self.condition_generator_, c) for c in best]
        self._summarise_rules(candidates.coverage[best], y_codes, weights, alpha, table.n_samples)
        self.term_names_ = [" AND ".join(str(c) for c in rule) for rule in self.rules_] + ["default"]
        progress.done(f"fitted a list of {len(self.rules_)} rules and a default")
        return self

    def _point_estimate(self, posterior, chains, n_threads):
        if self.point_estimate == "brl-point":
            starts = chains.brl_point_starts()
            if starts:
                # Each chain's best sampled list of the point estimate's length and width, each
                # improved by steepest ascent over the lists that keep that length and width.
                lengths, widths = chains.brl_point_shape()
                return _best_polished(posterior, starts, n_threads, lengths=lengths, widths=widths)
        return _best_polished(posterior, chains.map_starts(), n_threads)

    def _alpha_vector(self, n_classes):
        try:
            if isinstance(self.alpha, Mapping):
                raise TypeError("a mapping")
            alpha = np.asarray(self.alpha, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"alpha must be a positive number or one positive pseudo-count per class, in the order of "
                f"classes_ (a list or array of {n_classes} numbers); got {self.alpha!r} ({error})."
            ) from None
        if alpha.ndim == 0:
            return np.full(n_classes, float(alpha))
        if alpha.shape != (n_classes,):
            entries = f"{alpha.size} entries" if alpha.ndim == 1 else f"shape {alpha.shape}"
            raise ValueError(
                f"alpha has {entries} but the target has {n_classes} classes; give one positive "
                "pseudo-count per class (in the order of classes_) or a single positive number."
            )
        bad = np.flatnonzero(~(np.isfinite(alpha) & (alpha > 0)))
        if bad.size:
            k = int(bad[0])
            raise ValueError(
                f"alpha[{k}] is {alpha[k]:g} (the pseudo-count of class {plain_value(self.classes_[k])!r}); "
                "each class's pseudo-count must be a positive finite number, e.g. 1 (a uniform prior)."
            )
        return alpha

    def _fit_conditions(self, table, weights):
        generator = ConditionGenerator(
            max_thresholds=self.max_thresholds,
            categorical_features=table.is_categorical,
            max_categories=self.max_categories,
            handle_unknown="ignore",
            n_jobs=self.n_jobs,
        )
        # The generator shares our validated input, so it records what its own fit would have.
        generator.n_features_in_ = self.n_features_in_
        generator.is_categorical_ = self.is_categorical_
        if hasattr(self, "feature_names_in_"):
            generator.feature_names_in_ = self.feature_names_in_
        generator._fit_table(table, weights)
        self.condition_generator_ = generator
        return generator.bitsets_from_codes(generator.binner_._transform_table(table))

    def _mine(self, bitsets, n_samples, counted_weights):
        candidates = mine_candidate_rules(
            self.condition_generator_, bitsets, n_samples, sample_weight=counted_weights,
            min_support=self.min_support, max_rule_len=self.max_rule_len, max_candidates=self.max_candidates,
        )
        if len(candidates) == 0:
            raise ValueError(
                f"No candidate rule covers at least min_support={self.min_support} of the training weight "
                f"(from {len(self.condition_generator_.conditions_)} conditions). Lower min_support, or raise "
                "max_thresholds; features that are constant yield no condition."
            )
        return candidates

    def _summarise_rules(self, rule_coverage, y_codes, weights, alpha, n_samples):
        """Class weights, posterior means, credible intervals and scores of each rule and the default."""
        counts = list_class_counts(rule_coverage, n_samples, y_codes, weights, len(self.classes_))
        posterior = alpha + counts
        mean = posterior / posterior.sum(axis=1, keepdims=True)
        tail = (1.0 - self.credible_level) / 2.0
        # each class's Beta marginal: its pseudo-count and count against the other classes', summed without
        # it (the total minus it cancels a tiny alpha away: (69 + 1e-30) - 69 is 0, and the interval NaN)
        rest = np.stack([np.delete(posterior, k, axis=1).sum(axis=1) for k in range(posterior.shape[1])], axis=1)
        low, high = _beta_interval(tail, posterior, rest)
        if len(self.classes_) == 2:
            self.rule_scores_ = np.log(mean[:, 1]) - np.log(mean[:, 0])
            # The link's own inverse, so predict_proba reproduces these numbers bit for bit.
            self.rule_probabilities_ = self._link().inverse(self.rule_scores_)
        else:
            self.rule_scores_ = np.log(mean)
            self.rule_probabilities_ = softmax(self.rule_scores_, axis=1)
        self.rule_intervals_ = np.stack([low, high], axis=1)
        self.rule_class_weights_ = counts
        self.rule_support_ = counts.sum(axis=1)

    def coverage(self, X):
        """Which rules of the kept list cover each row (whether or not an earlier rule decides it).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of bool, shape (n_samples, n_rules)
            Column ``r`` is True where every condition of ``rules_[r]`` holds.
        """
        return covering_rules(self, X, self._rule_items)[0]

    def keep_rules(self, indices, X, y, sample_weight=None):
        """Keep only the rules at ``indices`` (in list order) and re-estimate every rule from ``(X, y)``.

        The rows a removed rule decided fall to the next kept rule covering
        them, or to the default.  Each rule's class weights, posterior mean
        probabilities, credible intervals, support and scores are recomputed
        from the rows it now decides, exactly as :meth:`fit` does for the list
        it keeps, so ``predict_proba``, :meth:`explain_global` and local
        explanations stay exact (additivity holds as after a fit).

        The list is then no longer the one the posterior search chose (the
        MAP or BRL-point list): when a rule is removed, ``log_posterior_``
        becomes NaN (the prior needs the candidate set, which is not kept
        after fitting).  :meth:`predict_proba_posterior` still averages the
        sampled lists.  Keeping every rule and passing the training data
        reproduces the fitted model.

        Parameters
        ----------
        indices : array-like of int
            Positions in ``rules_`` to keep, strictly increasing.
        X : array-like or DataFrame of shape (n_samples, n_features)
            Usually the training rows.
        y : array-like of shape (n_samples,)
            Labels among ``classes_``.
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        check_is_fitted(self)
        indices = np.asarray(indices)
        n_rules = len(self.rules_)
        if indices.size == 0:
            indices = indices.astype(np.intp)
        if indices.ndim != 1 or not np.issubdtype(indices.dtype, np.integer):
            raise TypeError(f"indices must be a 1-D array of integer positions in rules_, got {indices!r}.")
        if indices.size and n_rules == 0:
            raise ValueError(f"rules_ is empty: only [] can be kept (the default rule alone), got {indices.tolist()}.")
        if np.any(indices < 0) or np.any(indices >= n_rules) or np.any(np.diff(indices) <= 0):
            raise ValueError(
                f"indices must be strictly increasing positions in rules_ (0 to {n_rules - 1}), got "
                f"{indices.tolist()}; the kept rules keep their order."
            )
        items = [self._rule_items[i] for i in indices]
        return self._estimate_rules(items, [self.rules_[i] for i in indices], X, y, sample_weight)

    def set_rules(self, rules, X, y, sample_weight=None):
        """Use ``rules`` as the list and estimate every rule from ``(X, y)``, as :meth:`keep_rules` does.

        Each rule is a tuple of conditions of ``condition_generator_`` (the
        conditions the fit could choose from, e.g. those of ``rules_`` or of
        other conjunctions of its conditions), or a :class:`~glassbox.explain.Rule`
        of a list's explanation (``explain_global().rules``: its conditions),
        in list order; the rows no rule covers go to the default.  A list other than ``rules_`` is not the
        posterior search's choice: ``log_posterior_`` becomes NaN.

        Parameters
        ----------
        rules : sequence of tuple of Condition, or of Rule
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels among ``classes_``.
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        check_is_fitted(self)
        index = {condition: i for i, condition in enumerate(self.condition_generator_.conditions_)}
        rules = [_conditions_of(rule) for rule in rules]
        for rule in rules:
            unknown = [str(c) for c in rule if c not in index]
            if not rule or unknown:
                raise ValueError(
                    f"Every rule needs at least one condition, all of condition_generator_.conditions_ "
                    f"(the thresholds and levels the fit used); got {rule!r} (unknown: {unknown})."
                )
        return self._estimate_rules([tuple(index[c] for c in rule) for rule in rules], rules, X, y, sample_weight)

    def _estimate_rules(self, items, rules, X, y, sample_weight):
        """Make ``rules`` (with condition indices ``items``) the list; estimate each from the rows it decides."""
        covered, table = rule_bitsets(self, X, items)
        y = np.asarray(y)
        if y.shape != (table.n_samples,):
            raise ValueError(f"X has {table.n_samples} rows but y has shape {y.shape}; give one label per row.")
        codes = np.searchsorted(self.classes_, y)
        if np.any(codes >= len(self.classes_)) or np.any(self.classes_[np.minimum(codes, len(self.classes_) - 1)] != y):
            raise ValueError(f"y holds labels outside classes_ {list(self.classes_)}; the rules estimate only those.")
        row_weights = check_sample_weight(sample_weight, table.n_samples)
        weights = apply_class_weight(self.class_weight, self.classes_, codes, row_weights)
        alpha = self._alpha_vector(len(self.classes_))
        warn_if_weights_read_as_few_counts(weights, alpha.sum(), "the Dirichlet prior")
        fitted = (self.rules_, self.rule_class_weights_)
        # the list's notes describe the rows it is now estimated from (their class-weight factors, whether its
        # supports are weights), as fit's describe the training rows
        self._class_weight_factors = self._refreshed_factors(codes, row_weights, weights)
        self._sample_weighted = sample_weighted(row_weights)
        self._rule_items = items
        self.rules_ = rules
        self._summarise_rules(covered, codes, weights, alpha, table.n_samples)
        # The search's log-posterior (and the chains' R-hat beside it) describes the fitted list on the
        # training rows: other rules, or the same rules estimated on other rows, are not what it scored.
        if rules != fitted[0] or not np.array_equal(self.rule_class_weights_, fitted[1]):
            self.log_posterior_ = float("nan")
        self.term_names_ = [" AND ".join(str(c) for c in rule) for rule in self.rules_] + ["default"]
        return self

    def _refreshed_factors(self, codes, row_weights, weights):
        """The class-weight factors of the rows ``keep_rules`` / ``set_rules`` were given, one per class of
        ``classes_``: a class without rows of positive weight there keeps the fit's factor."""
        n_classes = len(self.classes_)
        # a zero-weight row of each class, so that every class has a factor, in the order of classes_
        every = np.arange(n_classes)
        factors = class_weight_factors(self.class_weight, np.r_[codes, every], np.r_[row_weights, np.zeros(n_classes)],
                                       np.r_[weights, np.zeros(n_classes)])
        if factors is None and self.class_weight is None:
            return None
        fitted = getattr(self, "_class_weight_factors", None)
        fitted = np.ones(n_classes) if fitted is None else fitted
        factors = np.ones(n_classes) if factors is None else factors
        present = np.bincount(codes, weights=row_weights, minlength=n_classes) > 0
        factors = np.where(present, factors, fitted)
        return None if np.allclose(factors, 1.0, rtol=1e-12, atol=0) else factors

    def predict_proba_posterior(self, X):
        """Posterior predictive class probabilities, averaged over the sampled lists.

        Letham et al.'s Bayesian model average: each thinned draw of the
        chains' second halves (about 1,000 over all chains) predicts with the
        posterior mean probabilities of the rule that decides the row in that
        list, and the draws are averaged.  This is not one rule list, so
        :meth:`explain_global` does not describe it: ``predict_proba`` (the
        kept list) is the interpretable model; this average often ranks rows
        better when many lists are about equally probable.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        covered, _ = covering_rules(self, X, self._posterior_items)
        return self._posterior.predict_proba(covered)

    # -- the explanation contract -------------------------------------------------------
    def _prepare(self, X):
        return rule_coverage(self, X, self._rule_items)

    def _decision_only(self, X, scale=None):
        return fired_rule_decision(self, X, self._rule_items, self.rule_scores_, self._base_value(), scale)

    def _deciding_rule(self, covered):
        """Index of the rule that decides each row (``len(rules_)`` = the default)."""
        return first_covering_rule(covered)

    def _term_contributions(self, covered):
        return one_hot_contributions(first_covering_rule(covered), self.rule_scores_)

    def _base_value(self):
        return np.zeros(() if len(self.classes_) == 2 else (len(self.classes_),))

    def _term_features(self):
        """The features each rule's conditions read (in order, once each); the default reads none."""
        return tuple(rule_features(conditions) for conditions in self.rules_) + ((),)

    def explain_global(self):
        """The rule list: ordered rules with class probabilities, credible intervals and support.

        Returns
        -------
        RuleList
            Prints as IF / ELSE IF / ELSE; its ``decision_function`` equals the estimator's.
        """
        check_is_fitted(self)
        rules = []
        for i, conditions in enumerate(list(self.rules_) + [()]):
            rules.append(
                Rule(
                    conditions=conditions,
                    scores=self.rule_scores_[i],
                    probabilities=self.rule_probabilities_[i],
                    support=self.rule_support_[i],
                    interval_low=self.rule_intervals_[i, 0],
                    interval_high=self.rule_intervals_[i, 1],
                )
            )
        return RuleList(
            model=type(self).__name__,
            feature_names=tuple(feature_names_of(self)),
            flag_features=flag_feature_names(self),
            link=self._link(),
            classes=self.classes_,
            base_value=self._base_value(),
            rules=tuple(rules[:-1]),
            default=rules[-1],
            credible_level=self.credible_level,
            # R-hat describes the search; a list edited by keep_rules (NaN log-posterior) is not its answer.
            rhat=self.rhat_ if np.isfinite(self.log_posterior_) else None,
            training_values=training_values(self, self._rule_items),
            class_weights=getattr(self, "_class_weight_factors", None),
            sample_weighted=getattr(self, "_sample_weighted", False),
            pos_label=self._event_read_first(),
        )

    def _decision_path(self, X):
        """The decision path: the rule that fired and, for each rule above it, the condition that failed.

        :class:`~glassbox.explain.LocalExplanation` takes it as its
        ``decision_path`` and writes each row's note from it when read.
        """
        return decision_path(self, X, self._rule_items, self.rules_, "list")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        return tags
