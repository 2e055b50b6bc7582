"""RiskScoreClassifier: sparse integer scorecards learned from raw data."""

from numbers import Integral, Real

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ..base import GlassBoxClassifierMixin, decision_in_blocks
from ..explain import Scorecard
from ..explain._class_weight import NEGATED_CARD_TOTAL, class_weight_factors, event_class_index, sample_weighted
from ..explain._term_features import unearned_missing
from ..explain.links import Link
from ..rules._rule_model import prediction_codes, training_values
from ..utils._fit_state import restores_state_on_failure
from ..utils._progress import VERBOSE_CONSTRAINT, progress_of
from ..utils._sklearn_shim import Interval, StrOptions, validate_parameters
from ..utils._threads import effective_n_threads
from ..utils.conditions import ConditionGenerator
from ..utils.tabular import feature_names_of, flag_feature_names, has_positional_names, validate_tabular
from ..utils.validation import (
    CLASS_WEIGHT_CONSTRAINT,
    N_JOBS_CONSTRAINT,
    apply_class_weight,
    check_classification_target,
    check_monotonic_cst,
    check_sample_weight,
    labels_as_numpy,
)
from ._certify import certify
from ._problem import build_problem, check_points_range
from ._risk_table import achievable_scores, calibration_summary, risk_table, weighted_auc
from ._search_driver import search_scorecards


def selected_conditions(generator, codes, selected):
    """0/1 values (uint8) of only the conditions in ``selected``, from bin codes.

    Prediction needs the scorecard's few conditions, not all candidates: each is
    "bin code of its feature in [lo, hi)", evaluated column by column.
    """
    selected = np.asarray(selected, dtype=np.intp)
    columns = np.asarray(codes)[:, generator.condition_feature_[selected]]
    inside = (columns >= generator._lo[selected]) & (columns < generator._hi[selected])
    return inside.astype(np.uint8)


class RiskScoreClassifier(GlassBoxClassifierMixin, ClassifierMixin, BaseEstimator):
    """Sparse integer risk score (scorecard) learned from raw numeric and categorical data.

    The model adds integer points for the conditions a row meets (``age >= 60``,
    ``purpose == car``, ``income is missing``) and maps the total to a risk::

        risk = 1 / (1 + exp(-(score + intercept) / multiplier))

    The search follows FasterRisk (Liu, Zhong, Seltzer & Rudin, 2022): beam
    search for sparse continuous logistic solutions, a diverse pool by swaps,
    and star-ray search with multipliers (sequential rounding) for integer
    ones, followed by a local search.  The pool of near-optimal scorecards is
    kept (:attr:`scorecards_`, :meth:`scorecards_frame`, :meth:`use_scorecard`).
    With ``certify=True`` a RiskSLIM-style lower bound (Ustun & Rudin, 2019)
    certifies how far the chosen scorecard can be from the best one: the
    k-sparse continuous relaxation, solved by enumerating supports when they
    are few enough, else by cutting planes with HiGHS.

    Parameters
    ----------
    max_features : int, default=5
        At most this many conditions carry points (1 to 50).  The search's
        cost grows steeply with it, about as its third or fourth power: on
        heart (303 rows) 0.2 s at 5, 1.8 s at 10, 16 s at 15, 38 s at 20,
        80 s at 25 and 214 s at 30.  It also grows about linearly with the
        rows of numeric data (each re-fit passes over the distinct rows of its
        conditions): 9.6 s at 5 on adult's 32,561 rows.  See "Search cost" in
        the user guide.
    points_range : tuple of two int, default=(-5, 5)
        Smallest and largest points of a condition; must contain 0 and more.
    monotonic_cst : array-like of int, dict or None, default=None
        Per numeric feature, +1: more of the feature never lowers the score
        (the risk of ``pos_label``), -1: never raises it.  Enforced as sign
        constraints (``x >= t`` gets points of the constraint's sign, ``x < t``
        of the opposite sign), so the total score is monotone in the feature
        for every value of the others.
    max_thresholds : int, default=10
        Candidate thresholds per numeric feature (weighted quantiles); each
        gives ``x >= t`` and ``x < t``.
    categorical_features : "auto", None or array-like, default="auto"
        Which features are categorical (conditions ``feature == level``):
        ``"auto"`` takes pandas ``category``, ``object`` and string columns; a
        boolean mask, indices or names declare more features categorical,
        beside those; None declares none (a column holding text is then
        refused).
    beam_width : int, default=10
        Supports kept at each step of the beam search.
    n_expand : int, default=10
        Conditions tried when growing each beam member.
    pool_size : int, default=50
        Near-optimal scorecards kept in :attr:`scorecards_`, each a different
        model: cards that give every training row the same risk (a condition
        swapped for its complement with the intercept moved, or all points,
        the intercept and the multiplier scaled alike) are listed once, and
        further models take the places of the repeats.  Fewer when the
        search finds fewer different models.
    gap_tolerance : float, default=0.05
        Continuous solutions within this relative loss of the best join the pool.
    n_multipliers : int, default=20
        Multipliers tried along each star ray.
    certify : bool, default=False
        Compute a lower bound on the best achievable loss and the optimality gap.
    certify_time_limit : float, default=60.0
        Seconds for the certificate.  Its first cutting-plane solve runs even
        when setting the problem up (a large one's takes seconds) has spent
        them, so the certificate always has a lower bound (at first about the
        loss of the logistic fit on every condition); more time tightens it.
    n_jobs : int or None, default=None
        Threads of the compiled screening kernel.
        None: the OpenMP limit (``OMP_NUM_THREADS``, ``threadpoolctl``), else
        every usable core; -1 likewise, -2 one fewer (see :ref:`threads`).
    verbose : int, default=0
        Progress lines on standard output while fitting: 0 prints nothing; 1 a
        line per stage of the search (the conditions, the beam search, the
        swaps, the star-ray rounding, the local search, the certificate), each
        with its seconds and the best loss so far, and the total time; 2 also
        a line per step of the beam search.  The scorecard does not depend on
        it.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, as in scikit-learn: a row weighs
        ``class_weight[its class] * sample_weight`` in the logistic loss the
        search minimizes, in the thresholds' quantiles, and in everything
        reported about the training rows.  A dict maps labels to weights
        (a class it leaves out weighs 1); ``"balanced"`` weighs class ``k``
        by ``sum(w) / (n_classes * w_k)``, ``w_k`` its total sample weight,
        so both classes carry the same total.  The loss is a weighted mean:
        only the ratio of the two weights counts.  The card is then fitted
        to the reweighted population, and its risks are that population's:
        under ``"balanced"`` the risk table's predicted *and* observed
        columns, ``calibration_`` and ``loss_`` are computed with the class
        weights, as if both classes were equally common, so a well
        calibrated table still overstates the rare class's real-world risk
        (the AUC is the same either way: class weights scale every pair of
        rows alike).  For risks of the population as it is, fit
        without ``class_weight``.  The weights belong to the classes, not to
        the event: ``pos_label`` changes which class's risk the card gives,
        not how the rows are weighted.
    pos_label : int, float, bool, str or None, default=None
        The event: the class whose risk the card gives (scikit-learn's name,
        as in its metrics).  None: ``classes_[1]``, the second label in sorted
        order.  The card's points raise the risk of ``pos_label``, its risk
        table and ``calibration_`` are that class's, its printout reads "risk
        of <pos_label>", and its JSON records it.  The fit is the one a target
        recoded so that ``pos_label`` sorts last would give (the same
        conditions, points and intercept).  ``classes_`` stays sorted and
        ``predict_proba``'s columns follow it, and ``decision_function`` keeps
        scikit-learn's orientation, positive for ``classes_[1]``: when
        ``pos_label`` is ``classes_[0]`` it is ``-(SCORE + intercept)``, exactly
        (integers), so ``roc_auc_score(y, decision_function(X))`` is right, and
        local explanations, which add up to it, carry the card's points with
        the opposite sign (their "why" line gives the card's SCORE and risk);
        reason codes and ``LocalContributionDisplay`` read them back as the
        card's own points toward ``pos_label``.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    conditions_ : list of Condition
        Conditions with nonzero points of the chosen scorecard.
    points_ : ndarray of int64
    intercept_ : int
    multiplier_ : float
        At least 0.5 (below 1 when the card needs log-odds steps beyond the points box).
    scorecards_ : list of dict
        The pool, best first, one entry per model (each spelled with its
        smallest points): ``conditions``, ``points``, ``intercept``,
        ``multiplier``, ``loss`` (weighted mean log loss), ``auc`` and ``size``.
    scorecard_index_ : int
        Which pool entry is in use.
    loss_ : float
    calibration_ : dict
        Calibration of the scorecard in use on its training rows (optimistic),
        each row weighted by its sample weight times its class weight.  The
        groups are the card's SCOREs, one per total a training row reaches.
        ``expected_calibration_error``: mean ``|predicted - observed|`` over the
        groups, weighted by their training weight.  ``max_calibration_error``:
        the largest gap among groups holding at least 1% of the training weight
        (``max_calibration_error_min_weight``; a smaller group, such as one row,
        is left out), from the group ``max_calibration_error_score`` of weight
        ``max_calibration_error_weight`` (NaN and None when no group is that
        large).  ``brier_score``, ``log_loss``, ``auc``, ``mean_predicted_risk``
        and ``observed_rate``: weighted over the training rows.
    certificate_ : dict or None
        ``lower_bound``, ``upper_bound``, ``gap``, ``seconds``, ... (``certify=True``).
    optimality_gap_ : float or None
    selected_ : ndarray of int
        Column indices, among the condition generator's conditions, of ``conditions_``.
    risk_scores_ : ndarray
        Every total score the card can reach (the risk table's rows; see
        :class:`~glassbox.plotting.RiskCurveDisplay`).
    condition_generator_ : ConditionGenerator
    term_names_ : list of str
    n_features_in_, feature_names_in_, is_categorical_

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from glassbox import RiskScoreClassifier
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> model = RiskScoreClassifier(max_features=3).fit(X, y)
    >>> len(model.points_) <= 3
    True
    >>> card = model.explain_global()
    >>> bool((card.decision_function(X) == model.decision_function(X)).all())
    True

    The risk of the other class (here 0, malignant) is ``pos_label=0``: the
    card of the target recoded so that 0 sorts last, while the decision
    function still favours ``classes_[1]``:

    >>> malignant = RiskScoreClassifier(max_features=3, pos_label=0).fit(X, y)
    >>> str(malignant.explain_global()).count("risk of 0")
    2
    >>> recoded = RiskScoreClassifier(max_features=3).fit(X, y == 0)
    >>> bool((malignant.points_ == recoded.points_).all())
    True
    >>> bool((malignant.decision_function(X) == -recoded.decision_function(X)).all())
    True
    """

    _parameter_constraints = {
        "max_features": [Interval(Integral, 1, 50, closed="both")],
        "points_range": ["array-like"],
        "monotonic_cst": ["array-like", dict, None],
        "max_thresholds": [Interval(Integral, 1, 254, closed="both")],
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "beam_width": [Interval(Integral, 1, None, closed="left")],
        "n_expand": [Interval(Integral, 1, None, closed="left")],
        "pool_size": [Interval(Integral, 1, None, closed="left")],
        "gap_tolerance": [Interval(Real, 0, None, closed="left")],
        "n_multipliers": [Interval(Integral, 1, None, closed="left")],
        "certify": ["boolean"],
        "certify_time_limit": [Interval(Real, 0, None, closed="neither")],
        "n_jobs": N_JOBS_CONSTRAINT,
        "class_weight": CLASS_WEIGHT_CONSTRAINT,
        "pos_label": [Real, str, "boolean", None],
        "verbose": VERBOSE_CONSTRAINT,
    }

    _demo_params = {"max_features": 5}

    def __init__(
        self,
        max_features=5,
        points_range=(-5, 5),
        monotonic_cst=None,
        max_thresholds=10,
        categorical_features="auto",
        beam_width=10,
        n_expand=10,
        pool_size=50,
        gap_tolerance=0.05,
        n_multipliers=20,
        certify=False,
        certify_time_limit=60.0,
        n_jobs=None,
        class_weight=None,
        pos_label=None,
        verbose=0,
    ):
        self.max_features = max_features
        self.points_range = points_range
        self.monotonic_cst = monotonic_cst
        self.max_thresholds = max_thresholds
        self.categorical_features = categorical_features
        self.beam_width = beam_width
        self.n_expand = n_expand
        self.pool_size = pool_size
        self.gap_tolerance = gap_tolerance
        self.n_multipliers = n_multipliers
        self.certify = certify
        self.certify_time_limit = certify_time_limit
        self.n_jobs = n_jobs
        self.class_weight = class_weight
        self.pos_label = pos_label
        self.verbose = verbose

    # -- fitting ---------------------------------------------------------------
    @restores_state_on_failure
    def fit(self, X, y, sample_weight=None):
        """Search for the best sparse integer scorecard.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Raw numeric and categorical features; missing values allowed.
        y : array-like of shape (n_samples,), two classes
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        validate_parameters(self)
        progress = progress_of(self)
        low, high = check_points_range(self.points_range)
        table = validate_tabular(self, X, reset=True, categorical_features=self.categorical_features)
        y = column_or_1d(labels_as_numpy(y), warn=True)  # boolean / Int64 labels keep their type
        if y.shape[0] != table.n_samples:
            raise ValueError(f"X has {table.n_samples} rows but y has {y.shape[0]} labels; give one label per row.")
        classes, encoded = check_classification_target(
            y, sample_weight=sample_weight, binary_only=True, estimator_name=type(self).__name__)
        self.classes_ = classes
        self._event_index = event_class_index(self.pos_label, classes, type(self).__name__)
        row_weight = check_sample_weight(sample_weight, table.n_samples)
        weight = apply_class_weight(self.class_weight, classes, encoded, row_weight)
        # the card says its risks are the reweighted sample's (None: no class weights, or all 1)
        self._class_weight_factors = class_weight_factors(self.class_weight, encoded, row_weight, weight)
        self._sample_weighted = sample_weighted(row_weight)  # the card heads its counts "weighted count"
        if weight[encoded == 1].sum() <= 0 or weight[encoded == 0].sum() <= 0:
            raise ValueError("Only one class has positive sample weight; the scorecard needs weighted rows of both classes.")
        # the card is fitted to the event: 1 for pos_label, 0 for the other class
        event = encoded if self._event_index == 1 else 1 - encoded
        names = feature_names_of(self)
        constraints = check_monotonic_cst(self.monotonic_cst, names, is_categorical=self.is_categorical_,
                                          positional_names=has_positional_names(self))
        # The card's conditions warn of untrained values (prediction_codes), not the binner of every feature.
        generator = ConditionGenerator(max_thresholds=self.max_thresholds, handle_unknown="ignore", n_jobs=self.n_jobs)
        generator.n_features_in_ = self.n_features_in_
        if hasattr(self, "feature_names_in_"):
            generator.feature_names_in_ = self.feature_names_in_
        generator.is_categorical_ = self.is_categorical_
        generator._fit_table(table, weight)
        self.condition_generator_ = generator
        Z = generator.transform_codes(generator.binner_._transform_table(table, warn_unseen=False))
        problem = build_problem(generator, Z, event, weight, (low, high), constraints, effective_n_threads(self.n_jobs))
        if not problem.usable.any():
            raise ValueError(
                "No condition separates any rows: every feature is constant (among rows with positive weight). "
                "A scorecard needs at least one feature that varies."
            )
        progress.say(f"{int(problem.usable.sum())} usable conditions from {self.n_features_in_} features, "
                     f"{table.n_samples} rows")
        pool, sparse = search_scorecards(problem, self, progress)
        self.scorecards_ = [self._describe(s, Z, event, weight) for s in pool]
        self.certificate_ = None
        self.optimality_gap_ = None
        if self.certify:
            starts = [self._full(problem, s.support, s.beta, s.intercept) for s in sparse]
            starts += [self._full(problem, s.support, s.points / s.multiplier, s.intercept / s.multiplier) for s in pool[:10]]
            self.certificate_ = certify(problem, self.max_features, pool[0].loss, starts, self.certify_time_limit)
            self.optimality_gap_ = self.certificate_["gap"]
            progress.say(f"certificate ({self.certificate_['method']}): lower bound "
                         f"{self.certificate_['lower_bound']:.6f}, optimality gap {self.optimality_gap_:.4f}")
        self.use_scorecard(0)
        progress.done(f"kept a scorecard of {len(pool[0].support)} conditions, loss {pool[0].loss:.6f}")
        return self

    @staticmethod
    def _full(problem, support, values, intercept):
        beta = np.zeros(problem.n_conditions)
        beta[list(support)] = values
        return beta, float(intercept)

    def _describe(self, solution, Z, encoded, weight):
        """A pool entry: the scorecard, its training loss and AUC, its risk table (``encoded``: 1 for the event)."""
        support = list(solution.support)
        conditions = [self.condition_generator_.conditions_[j] for j in support]
        points = np.asarray(solution.points, dtype=np.int64)
        scores = Z[:, support].astype(np.int64) @ points if support else np.zeros(len(encoded), dtype=np.int64)
        y01 = encoded.astype(np.float64)
        achievable = achievable_scores(self.condition_generator_, support, points)
        table = (achievable, *risk_table(achievable, solution.intercept, solution.multiplier, scores, y01, weight))
        train_risk = expit((scores + solution.intercept) / solution.multiplier)
        return {
            "conditions": conditions,
            "condition_index": np.asarray(support, dtype=np.intp),
            "points": points,
            "intercept": int(solution.intercept),
            "multiplier": float(solution.multiplier),
            "loss": float(solution.loss),
            "auc": weighted_auc(scores.astype(np.float64), y01, weight),
            "size": len(support),
            "risk_table": table,
            "calibration": calibration_summary(table, train_risk, y01, weight),
        }

    def use_scorecard(self, index):
        """Make pool entry ``index`` of :attr:`scorecards_` the model in use; returns self."""
        check_is_fitted(self, "scorecards_")
        if not (isinstance(index, (int, np.integer)) and not isinstance(index, bool)
                and 0 <= index < len(self.scorecards_)):
            raise ValueError(f"index must be an integer in [0, {len(self.scorecards_)}), got {index!r}.")
        card = self.scorecards_[index]
        self.scorecard_index_ = int(index)
        self.selected_ = card["condition_index"]
        self.conditions_ = list(card["conditions"])
        self.points_ = card["points"].copy()
        self.intercept_ = card["intercept"]
        self.multiplier_ = card["multiplier"]
        self.loss_ = card["loss"]
        self.calibration_ = dict(card["calibration"])
        self.term_names_ = [str(c) for c in self.conditions_]
        self.risk_scores_, self._risk_predicted, self._risk_observed, self._risk_count = card["risk_table"]
        return self

    def pool_predict(self, X):
        """Predicted labels of every scorecard of the pool, from one pass over ``X``.

        Row ``i`` is what :meth:`predict` returns after ``use_scorecard(i)``;
        the rows are binned once for the whole pool, so choosing among the
        scorecards by a criterion of your own (e.g. agreement with another
        model) costs about one prediction.

        Returns
        -------
        ndarray of shape (n_scorecards, n_samples)
            One row per entry of :attr:`scorecards_`.
        """
        check_is_fitted(self)
        table, codes = prediction_codes(self, X, [card["condition_index"] for card in self.scorecards_],
                                        effect=Scorecard.untrained_value_effect)
        generator = self.condition_generator_
        predictions = np.empty((len(self.scorecards_), table.n_samples), dtype=self.classes_.dtype)
        for i, card in enumerate(self.scorecards_):
            inside = selected_conditions(generator, codes, card["condition_index"]).astype(np.float64)
            # Integer points: the sum is exact in any order, so the signs are those of predict().
            decision = self._decision_sign() * (float(card["intercept"]) + inside @ card["points"].astype(np.float64))
            predictions[i] = self.classes_[Link("logit", scale=card["multiplier"]).predict_index(decision)]
        return predictions

    def scorecards_frame(self):
        """The pool of near-optimal scorecards as a DataFrame (one row each, best first)."""
        import pandas as pd

        check_is_fitted(self, "scorecards_")
        rows = []
        for i, card in enumerate(self.scorecards_):
            rows.append(
                {
                    "index": i,
                    "loss": card["loss"],
                    "auc": card["auc"],
                    "size": card["size"],
                    "intercept": card["intercept"],
                    "multiplier": card["multiplier"],
                    "scorecard": "; ".join(f"{c}: {int(p):+d}" for c, p in zip(card["conditions"], card["points"])),
                    "in_use": i == self.scorecard_index_,
                }
            )
        return pd.DataFrame(rows).set_index("index")

    # -- the explanation contract ----------------------------------------------------
    def _link(self):
        check_is_fitted(self, "multiplier_")
        return Link("logit", scale=float(self.multiplier_))

    def _prepare(self, X):
        table, codes = self._card_codes(X)
        return selected_conditions(self.condition_generator_, codes, self.selected_), table.rows_as_objects()

    def _card_codes(self, X):
        """The validated table and its bin codes (warning of values the card's features never had in training)."""
        return prediction_codes(self, X, [self.selected_], effect=Scorecard.untrained_value_effect)

    def _decision_only(self, X, scale=None):
        """Points earned plus the intercept, without the display rows."""
        met = selected_conditions(self.condition_generator_, self._card_codes(X)[1], self.selected_)
        return decision_in_blocks(self._base_value(), met, self._points_earned, scale)

    def _decision_sign(self):
        """+1: the decision function is the card's SCORE + intercept; -1 (pos_label is classes_[0]): its negative."""
        return 1 if getattr(self, "_event_index", 1) == 1 else -1  # models pickled before pos_label: classes_[1]

    def _term_contributions(self, met):
        return self._points_earned(met)

    def _points_earned(self, met):
        """Each condition's points where it is met (``met``: 0/1 per row and condition), toward the decision."""
        points = met.astype(np.float64) * self.points_.astype(np.float64)
        return points if self._decision_sign() == 1 else -points

    def _base_value(self):
        return np.asarray(float(self._decision_sign() * self.intercept_), dtype=np.float64)

    def _local_notes(self, contributions, unearned_missing):
        # the card's own lines, from the conditions a missing value left unearned as the explanation records
        # them, so that a card loaded from JSON gives its rows the same notes
        return self.explain_global().local_notes(contributions, unearned_missing)

    def _term_features(self):
        """The feature each condition of the card reads."""
        return tuple((str(condition.feature),) for condition in self.conditions_)

    def _unearned_missing(self, X):
        """Per row of ``X``, the card's conditions a missing value left unearned (as its scorecard records them)."""
        return unearned_missing(self.conditions_, self.points_, feature_names_of(self), X)

    def explain_local(self, X, relative_to=None):
        """Explain each row of ``X``: the points it earned, adding up to its decision function.

        As :meth:`GlassBoxMixin.explain_local <glassbox.base.GlassBoxMixin.explain_local>`;
        each row's "why" line gives the card's SCORE and the risk of the
        event class.  When ``pos_label`` is ``classes_[0]`` the contributions
        are the card's points negated and add up to ``-(SCORE + intercept)``,
        the decision function (positive for ``classes_[1]``); the
        explanation's ``pos_label`` says so, and its printout, plots and
        reason codes show the card's own points toward the event.
        """
        return super().explain_local(X, relative_to=relative_to)

    def _local_explanation_fields(self):
        # a card about classes_[0]: its contributions add up to the negated card total, named so
        return {} if self._decision_sign() == 1 else {"output_name": NEGATED_CARD_TOTAL}

    def explain_global(self):
        """The scorecard: conditions, points, intercept, multiplier and score -> risk table."""
        check_is_fitted(self)
        return Scorecard(
            model=type(self).__name__,
            feature_names=tuple(feature_names_of(self)),
            flag_features=flag_feature_names(self),
            link=self._link(),
            classes=self.classes_,
            base_value=self._base_value(),
            conditions=tuple(self.conditions_),
            points=self.points_,
            risk_scores=self.risk_scores_,
            risk_predicted=self._risk_predicted,
            risk_observed=self._risk_observed,
            risk_count=self._risk_count,
            table_points=self.points_,
            training_values=training_values(self, [self.selected_]),
            class_weights=getattr(self, "_class_weight_factors", None),
            sample_weighted=getattr(self, "_sample_weighted", False),
            pos_label=self._event_read_first(),
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.classifier_tags.multi_class = False
        return tags
