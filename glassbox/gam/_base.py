"""The fitting pipeline shared by :class:`GAMClassifier` and :class:`GAMRegressor`.

1. validate the input, bin every feature (``FeatureBinner``: uint8 codes, a
   missing bin, an unseen-category bin);
2. boost the main effects cyclically on every outer bag with early stopping;
3. rank candidate pairs with FAST on the residual of the averaged mains and
   boost the chosen pairs on that residual (mains fixed);
4. average the bags, centre every shape (the intercept carries the means);
   on a multiclass model, also centre every bin's class scores across the
   classes (:func:`centred_across_classes`).

Monotone constraints are enforced inside the compiled boosting loop: after
every update a constrained shape is projected onto the monotone cone by
weighted pool-adjacent-violators.  A pair that involves a constrained feature
stays monotone along that feature (each slice is projected); a pair of two
constrained features is not allowed.
"""

import dataclasses
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from ..base import decision_in_blocks
from ..explain import ShapeFunctions, ShapeTerm
from ..explain._render import count_text
from ..explain.shapes import unique_term_names
from ..utils._sklearn_shim import Interval, StrOptions, validate_parameters
from ..utils._fit_state import restores_state_on_failure
from ..utils._memory import physical_memory, size_text
from ..utils._progress import VERBOSE_CONSTRAINT, progress_of
from ..utils._threads import effective_n_threads
from ..explain._untrained import training_values_of, warn_untrained_codes
from ..utils.binning import FeatureBinner
from ..utils.tabular import flag_feature_names, has_positional_names, validate_tabular
from ..utils.validation import MULTICLASS_MONOTONIC_REFUSAL, check_monotonic_cst, check_sample_weight
from ._edit import ShapeEditingMixin
from ._boosting import (
    LOG_LINK_LOSSES, BoostingSettings, FittedTerms, add_terms, centre_terms, choose_smoothing, reference_losses,
    run_stage, smoothable, split_bags, warn_empty_bags, warn_heavy_penalty, warn_settings_without_effect,
    warn_small_validation, warn_unstopped_bags, warn_without_validation,
)
from ._gam_fast import bin_statistics, lookup_contributions
from ._joint import boost_jointly
from ._refit import log_link_intercept, summarize_weights
from ._rescale import rescale_mains
from ._pairs import choose_pairs, interaction_bins, pair_stage_bags
from ._progress_lines import say_binned, say_joint, say_pairs, say_stage
from ._terms import main_layout, pair_layout, transpose_pairs

_COMMON_CONSTRAINTS = {
    "max_bins": [Interval(Integral, 3, 256, closed="both")],
    "max_interaction_bins": [Interval(Integral, 2, 256, closed="both")],
    "interactions": [Interval(Integral, 0, None, closed="left"), "array-like", StrOptions({"auto"})],
    "learning_rate": [Interval(Real, 0, 1, closed="right")],
    "max_rounds": [Interval(Integral, 1, None, closed="left")],
    "early_stopping_rounds": [Interval(Integral, 1, None, closed="left")],
    "early_stopping_tolerance": [Interval(Real, 0, None, closed="left")],
    "validation_fraction": [Interval(Real, 0, 1, closed="left"), StrOptions({"auto"}), None],
    "outer_bags": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    # a one-leaf tree is a constant step, which centring removes: numeric shapes would stay flat
    "max_leaves": [Interval(Integral, 2, None, closed="left")],
    "min_samples_leaf": [Interval(Integral, 1, None, closed="left")],
    "l2_regularization": [Interval(Real, 0, None, closed="left")],
    "monotonic_cst": ["array-like", dict, None],
    "categorical_features": ["array-like", StrOptions({"auto"}), None],
    "smoothing": [Interval(Real, 0, None, closed="left"), StrOptions({"auto"})],
    "smoothing_rounds": [Interval(Integral, 0, None, closed="left")],
    "mains_rescaling": [Interval(Real, 0, None, closed="left"), None],
    "n_jobs": [Interval(Integral, None, -1, closed="right"), Interval(Integral, 1, None, closed="left"), None],
    "random_state": ["random_state"],
    "verbose": VERBOSE_CONSTRAINT,
}

# outer_bags="auto": 8 bags, fewer on large data so that bags x rows stays within this budget
AUTO_BAGS_ROW_BUDGET = 1_000_000
# interactions="auto" of a classifier (a regressor takes _auto_interactions_per_feature per feature)
AUTO_INTERACTIONS = 10
# ... but at most this many pairs (the count of 20 features): every group of pairs is one more boosting stage
# on all bags and the joint stage grows with the pairs, while on wide data most of the extra pairs fit noise
# (50,000 x 200 synthetic rows with three true pairs: 1,000 pairs asked, 22 groups kept 0-90 rounds each)
AUTO_MAX_INTERACTIONS = 100


def auto_interactions(per_feature, n_features):
    """The number of FAST pairs of ``interactions="auto"``."""
    if per_feature is None:
        return AUTO_INTERACTIONS
    return int(min(per_feature * n_features, AUTO_MAX_INTERACTIONS))


# Bytes each bag holds per training row while boosting: its row indices as drawn and as padded for the
# kernels (8 + 8) and its rows' starting scores (8 per output; one counted), whatever the model's other needs.
_BAG_BYTES_PER_ROW = 24


def _refuse_bags_beyond_memory(n_bags, n_samples):
    """Refuse, before any bag is drawn, ``outer_bags`` whose bags' rows alone outgrow the machine's memory.

    Drawing 10**7 bags took a minute before numpy's bare MemoryError; the message names the parameter and the
    most bags that fit.
    """
    available = physical_memory()
    need = n_bags * n_samples * _BAG_BYTES_PER_ROW
    if available is None or need <= available:
        return
    most = max(1, available // (n_samples * _BAG_BYTES_PER_ROW) // 2)
    raise MemoryError(
        f"outer_bags={n_bags} bags of {n_samples} rows need {size_text(need)} for the bags' rows alone; this "
        f"machine has {size_text(available)}. Lower outer_bags (at most about {most} here; 'auto' chooses 8, "
        "fewer on large data)."
    )


def auto_outer_bags(n_samples):
    """Bags of ``outer_bags="auto"``: 8 up to 125,000 rows, then ``1,000,000 // n_samples`` (at least 1).

    A bag costs time in proportion to the rows, while the variance its
    averaging removes shrinks with them; the budget keeps the bagged rows at
    about a million (four bags of 250,000 rows, one of a million or more).
    """
    return int(min(8, max(1, AUTO_BAGS_ROW_BUDGET // max(n_samples, 1))))


@dataclass
class _FitData:
    """What every stage of one fit shares: the training rows' fine codes, targets, weights, loss and bags."""

    codes: np.ndarray  # (n_samples, n_features) uint8 fine codes of the binner
    targets: np.ndarray  # (n_samples, K)
    weights: np.ndarray
    loss: int
    bags: list  # (training rows, validation rows) per bag
    settings: BoostingSettings
    intercept: np.ndarray  # (K,) the target's intercept before any term
    base_raw: np.ndarray  # (n_samples, K) that intercept on every row
    reference: np.ndarray = None  # each bag's intercept-only validation loss (set by the mains stage)
    progress: object = None  # the fit's Progress (verbose lines); reads the stages' results, changes none

    @property
    def log_link(self):
        """Whether the raw score is the log of the mean (terms are then centred on their mean factor)."""
        return self.loss in LOG_LINK_LOSSES


@dataclass
class _Mains:
    """The main-effects stage: layout, codes, every bag's scores and rounds, training mass, centred fit."""

    layout: object
    codes: np.ndarray
    scores: np.ndarray  # (n_bags, total_cells, K), smoothed where chosen, not centred
    rounds: np.ndarray
    mass: np.ndarray
    smoothing: float  # the width still applied by centre_terms (0 after smoothing="auto")
    fitted: FittedTerms


@dataclass
class _Stages:
    layouts: list  # (layout, codes) of every stage, mains first
    fitted: list  # FittedTerms of every stage


def _as_written(stages, spelled):
    """``stages`` with each pair in ``spelled`` (written ``(b, a)``, boosted as ``(a, b)``) turned to read as written:
    its grid transposed, rows the first feature's bins, the same cells and so the same predictions."""
    if not spelled:
        return stages
    layouts, fitted = list(stages.layouts), list(stages.fitted)
    for i in range(1, len(layouts)):
        layout, codes = layouts[i]
        terms = [t for t, features in enumerate(layout.features) if tuple(features)[::-1] in spelled]
        if not terms:
            continue
        turned, cells = transpose_pairs(layout, terms)
        codes = codes.copy(order="F")
        for t in terms:  # a row's cell (r, c) of the boosted grid is (c, r) of the turned one
            rows, cols = int(layout.rows[t]), int(layout.cols[t])
            codes[:, t] = (codes[:, t] % cols) * rows + codes[:, t] // cols
        part = fitted[i]
        layouts[i] = (turned, codes)
        fitted[i] = FittedTerms(scores=part.scores[cells], mass=part.mass[cells], intercept=part.intercept,
                                lower=None if part.lower is None else part.lower[cells],
                                upper=None if part.upper is None else part.upper[cells])
    return _Stages(layouts, fitted)


class BaseGAM(ShapeEditingMixin):
    """Fitting, prediction, explanation and editing (:class:`ShapeEditingMixin`) shared by the GAM estimators."""

    # the classifier's settings; GAMRegressor overrides them (see its interactions / validation_fraction docs)
    _auto_interactions_per_feature = None  # None: interactions="auto" is AUTO_INTERACTIONS pairs
    _pair_group_size = None  # None: all pairs boost together in one stage
    _small_validation_fraction = 0.25  # validation_fraction="auto" below 10,000 rows
    _joint_final_stage = False  # True: mains and pairs boost together after the staged fit (_joint.py)

    # -- fitting ---------------------------------------------------------------------
    @restores_state_on_failure
    def _fit(self, X, y, sample_weight):
        validate_parameters(self)
        progress = progress_of(self)
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        table = validate_tabular(self, X, reset=True, categorical_features=self.categorical_features)
        weights = check_sample_weight(sample_weight, table.n_samples)
        self._fit_weight_summary_ = summarize_weights(weights)  # refit_intercept checks its weights against it
        # the target may reweigh the rows (a classifier's class_weight) before the bins and bags read the weights
        targets, loss, strata, intercept, weights = self._encode_target(y, weights, table.n_samples)
        warn_heavy_penalty(self, intercept, weights, loss, self._loss_power())
        self.monotonic_cst_ = self._check_constraints(table, targets)
        rng = check_random_state(self.random_state)
        n_threads = effective_n_threads(self.n_jobs)
        codes = self._bin_features(table, weights, rng)
        # the seed of the random cuts is drawn before the bags, whose draws depend on the row count
        settings = self._boosting_settings(loss, n_threads, seed=int(rng.randint(2**31 - 1)))
        bags = self._outer_bags(table.n_samples, strata, weights, rng)
        warn_settings_without_effect(self, targets.shape[1])
        data = _FitData(codes, targets, weights, loss, bags, settings, intercept,
                        np.broadcast_to(intercept, (table.n_samples, targets.shape[1])).astype(np.float64),
                        progress=progress)
        say_binned(progress, self.binner_, table.n_samples, bags)
        mains = self._fit_mains(data)
        pair_groups, spelled = self._pairs_to_fit(table, codes, mains.mass, mains.layout, mains.fitted, targets,
                                                  weights, loss, n_threads)
        say_pairs(progress, pair_groups, self.interactions)
        self.n_rounds_ = {"mains": mains.rounds}
        stages = _as_written(self._fit_pair_groups(data, mains, pair_groups), spelled)
        self.interaction_pairs_ = [tuple(table.feature_names[j] for j in f)
                                   for layout, _ in stages.layouts[1:] for f in layout.features]
        self._store(stages.layouts, stages.fitted, table.feature_names)
        if loss in LOG_LINK_LOSSES:
            self._balance_the_book(codes, targets[:, 0], weights)
        warn_unstopped_bags(self, bags)
        warn_empty_bags(self, len(bags))
        progress.done(f"fitted {count_text(len(self.term_features_), 'term')} "
                      f"({count_text(len(self.interaction_pairs_), 'pair')})")
        return self

    def _check_constraints(self, table, targets):
        """The validated ``monotonic_cst`` (one int per feature); refused for multiclass targets."""
        constraints = check_monotonic_cst(self.monotonic_cst, table.feature_names,
                                          is_categorical=table.is_categorical,
                                          positional_names=has_positional_names(self))
        if constraints.any() and targets.shape[1] > 1:
            raise ValueError(MULTICLASS_MONOTONIC_REFUSAL)
        return constraints

    def _bin_features(self, table, weights, rng):
        """Fit ``binner_`` (its seed is the first draw of ``rng``) and return the training rows' codes."""
        self.binner_ = FeatureBinner(max_bins=self.max_bins - 1, random_state=rng.randint(2**31 - 1))
        self.binner_._fit_table(table, weights)
        _reject_all_missing(self.binner_, table)
        self._value_ranges_ = _value_ranges(table, weights)
        return self.binner_._transform_table(table, warn_unseen=False)

    def _boosting_settings(self, loss, n_threads, seed):
        return BoostingSettings(
            loss=loss, learning_rate=float(self.learning_rate), max_rounds=int(self.max_rounds),
            patience=int(self.early_stopping_rounds), tolerance=float(self.early_stopping_tolerance),
            min_leaf=float(self.min_samples_leaf), max_leaves=int(self.max_leaves),
            l2_regularization=float(self.l2_regularization), n_threads=n_threads,
            smoothing_rounds=int(self.smoothing_rounds), seed=seed, power=self._loss_power(),
        )

    def _loss_power(self):
        """The Tweedie power the kernels get with the loss (a classifier's losses ignore it)."""
        return 0.0

    def _outer_bags(self, n_samples, strata, weights, rng):
        """Every bag's (training rows, validation rows), see :func:`split_bags`."""
        validation_fraction = self.validation_fraction
        if validation_fraction == "auto":
            validation_fraction = self._small_validation_fraction if n_samples < 10_000 else 0.1
        n_bags = auto_outer_bags(n_samples) if self.outer_bags == "auto" else int(self.outer_bags)
        _refuse_bags_beyond_memory(n_bags, n_samples)
        bags = split_bags(n_samples, strata, weights, n_bags, validation_fraction, rng)
        warn_without_validation(self, bags, validation_fraction, weights, strata is not None)
        warn_small_validation(self, bags, strata, validation_fraction)
        return bags

    def _fit_mains(self, data):
        """Boost the main effects on every bag, smooth them (``smoothing``), rescale them (``mains_rescaling``).

        Returns the stage with the bags' average, centred.
        """
        layout = main_layout(self.binner_.bins_, self.monotonic_cst_)
        codes = layout.codes(data.codes)
        # both stages measure progress against the intercept-only validation loss (see early_stopping_tolerance)
        data.reference = reference_losses(data.base_raw, data.targets, data.weights, data.bags, data.loss,
                                          data.settings.power)
        scores, rounds = run_stage(layout, codes, data.targets, data.weights, data.bags, lambda b: data.base_raw,
                                   data.settings, data.reference)
        say_stage(data.progress, "mains", layout, codes, data, data.bags, lambda b: data.base_raw, scores, rounds)
        mass = _cell_mass(codes, data.weights, layout, data.settings.n_threads)
        scores, smoothing = self._smooth_mains(layout, scores, mass, codes, data)
        self.mains_multipliers_ = np.ones((len(data.bags), layout.n_terms))
        if self.mains_rescaling is not None:
            scores, self.mains_multipliers_ = rescale_mains(layout, scores, codes, data.base_raw, data.targets,
                                                            data.weights, data.bags, data.loss,
                                                            float(self.mains_rescaling), data.settings.power)
        fitted = centre_terms(layout, scores, mass, data.intercept, smoothing=smoothing, log_link=data.log_link)
        return _Mains(layout, codes, scores, rounds, mass, smoothing, fitted)

    def _fit_pair_groups(self, data, mains, pair_groups):
        """Boost each group of pairs in turn on the residual of the mains and of the groups before it.

        Then, for ``_joint_final_stage``, boost mains and pairs together
        (:func:`boost_jointly`).  Returns the layouts (with their codes) and
        fitted terms of every stage, mains first.
        """
        n_threads = data.settings.n_threads
        layouts, fitted = [(mains.layout, mains.codes)], [mains.fitted]
        boosted = []  # (codes, bag scores, layout) of the pair groups boosted so far
        # each bag's raw scores of its own fit so far (mains, then every boosted group): its pairs start from
        # its own mains, so its validation rows stay unseen.  Kept up to date group by group: recomputing all
        # terms before each of many groups (a wide regressor has up to 5 x n_features pairs) grew quadratically.
        bag_raw = []

        def bag_residual(b):
            return bag_raw[b]

        reference, pair_bags = data.reference, data.bags
        if pair_groups:
            bag_raw = [add_terms(data.base_raw, mains.codes, mains.scores[b], mains.layout.offset, n_threads)
                       for b in range(len(data.bags))]
            # on large data the pairs boost on a random share of each bag's rows (see PAIR_STAGE_MAX_ROWS)
            pair_bags = pair_stage_bags(data.bags, data.settings.seed)
            if any(sub[0] is not full[0] for sub, full in zip(pair_bags, data.bags)):
                reference = reference_losses(data.base_raw, data.targets, data.weights, pair_bags, data.loss,
                                             data.settings.power)
        for g, layout in enumerate(pair_groups):
            if boosted:
                bag_raw = _with_group(bag_raw, boosted[-1], n_threads)
            pair_codes = layout.codes(data.codes)
            pair_scores, pair_rounds = run_stage(layout, pair_codes, data.targets, data.weights, pair_bags,
                                                 bag_residual, data.settings, reference)
            say_stage(data.progress, "pairs" if len(pair_groups) == 1 else f"pairs group {g + 1}/{len(pair_groups)}",
                      layout, pair_codes, data, pair_bags, bag_residual, pair_scores, pair_rounds)
            mass = _cell_mass(pair_codes, data.weights, layout, n_threads)
            fitted.append(centre_terms(layout, pair_scores, mass, fitted[-1].intercept, smoothing=0.0,
                                       log_link=data.log_link))
            layouts.append((layout, pair_codes))
            self.n_rounds_["pairs" if g == 0 else f"pairs {g + 1}"] = pair_rounds
            boosted.append((pair_codes, pair_scores, layout))
            if np.median(pair_rounds) == 0:
                break  # most bags' validation rows found no use for this group; later groups rank lower
        if self._joint_final_stage and boosted:
            bag_raw = _with_group(bag_raw, boosted[-1], n_threads)
            parts = [(mains.layout, mains.codes, mains.scores)] + [(layout, c, s) for c, s, layout in boosted]
            totals, self.n_rounds_["joint"] = boost_jointly(parts, data.targets, data.weights, pair_bags,
                                                            bag_residual, data.settings, reference)
            say_joint(data.progress, self.n_rounds_["joint"])
            fitted = [centre_terms(mains.layout, totals[0], mains.mass, data.intercept, smoothing=mains.smoothing,
                                   log_link=data.log_link)]
            for (layout, layout_codes, _), scores in zip(parts[1:], totals[1:]):
                mass = _cell_mass(layout_codes, data.weights, layout, n_threads)
                fitted.append(centre_terms(layout, scores, mass, fitted[-1].intercept, smoothing=0.0,
                                           log_link=data.log_link))
        return _Stages(layouts, fitted)

    def _smooth_mains(self, mains, main_scores, main_mass, main_codes, data):
        """``smoothing="auto"``: each bag smooths its numeric shapes by the widths its validation rows prefer.

        Sets ``smoothing_widths_`` and returns the bags' shapes with the
        smoothing still to apply by :func:`centre_terms` (none after "auto").
        """
        if self.smoothing == "auto":
            main_scores, widths = choose_smoothing(mains, main_scores, main_mass, main_codes, data.base_raw,
                                                   data.targets, data.weights, data.bags, data.loss,
                                                   power=data.settings.power)
            self.smoothing_widths_ = widths
            return main_scores, 0.0
        width = float(self.smoothing)
        self.smoothing_widths_ = np.array([[width if smoothable(mains, t) else 0.0 for t in range(mains.n_terms)]
                                           for _ in data.bags])
        return main_scores, width

    def _pairs_to_fit(self, table, codes, main_mass, mains, fitted_mains, targets, weights, loss, n_threads):
        """Layouts of the pair terms to boost: one per group, boosted in turn (see ``_pair_group_size``).

        Pairs are boosted in column order, so that ``("b", "a")`` and ``("a", "b")`` fit one model; also
        returns the set of pairs written the other way round, which :func:`_as_written` turns after the fit.
        """
        interactions = self.interactions
        if isinstance(interactions, str):  # "auto"
            interactions = auto_interactions(self._auto_interactions_per_feature, table.n_features)
        if isinstance(interactions, Integral) and interactions == 0:
            return [], set()
        coarse, code_maps = interaction_bins(mains, main_mass, self.max_interaction_bins)
        pairs = choose_pairs(
            interactions, table.feature_names, self.monotonic_cst_, coarse, code_maps, codes,
            fitted_mains, mains, targets, weights, loss, float(self.min_samples_leaf), n_threads,
            self._loss_power(), has_positional_names(self), table.column_labels,
        )
        spelled = {tuple(pair) for pair in pairs if tuple(pair) != tuple(sorted(pair))}
        pairs = [tuple(sorted(pair)) for pair in pairs]
        # FAST-ranked pairs are grouped by rank; an explicit list boosts together
        size = self._pair_group_size if self._pair_group_size and isinstance(interactions, Integral) else len(pairs)
        return [pair_layout(pairs[i : i + size], coarse, code_maps, self.monotonic_cst_)
                for i in range(0, len(pairs), max(size, 1))], spelled

    def _store(self, layouts, fitted, names):
        fitted = centred_across_classes(fitted)
        self._layouts_ = [layout for layout, _ in layouts]
        self.intercept_ = fitted[-1].intercept.copy()
        self.term_features_ = [f for layout, _ in layouts for f in layout.features]
        self.term_names_ = unique_term_names([tuple(names[j] for j in f) for f in self.term_features_])
        self._flat_scores_ = np.concatenate([f.scores for f in fitted])
        self._fitted_parts_ = fitted
        offsets, start = [], 0
        for layout, _ in layouts:
            offsets.append(layout.offset[:-1] + start)
            start += layout.total_cells
        self._offsets_ = np.concatenate(offsets).astype(np.intp)
        self.term_importances_ = self._term_importances()
        self.edits_ = ()  # a new fit is as fitted: no edits

    def _balance_the_book(self, fine_codes, y, weights):
        """Move a log-link model's intercept so that its weighted predicted total is the weighted observed total.

        Boosting stopped early does not keep the total: a Gamma or Tweedie
        leaf's Newton step, scaled by ``learning_rate``, is
        ``(r - 1) / (1 + (p - 1)(r - 1))`` for a leaf whose observed total is
        ``r`` times its predicted one (the hessian grows with ``y``), below
        ``log r`` on either side, so the steps that lower the total outweigh
        those that raise it; and averaging the bags' log scores is a
        geometric mean of their predictions, below their mean.  Before this
        step, on zero-heavy pure-premium books, Tweedie (power 1.5) fits fell
        1.4-2.7% short of the book's total, Gamma 0.35-0.9%, Poisson 0.3% on
        average (see docs/gam.rst, "Balance").  The shift is Poisson's
        maximum-likelihood intercept for every power (for Gamma and Tweedie
        not theirs), the first check of a tariff; on held-out books it left the
        deviance unchanged (within 0.01%) and took the Tweedie totals from 2%
        under the truth to within 0.5% of it (see docs/gam.rst).
        """
        decision = self._decision_of_codes(fine_codes)
        self.intercept_ = np.array([log_link_intercept(decision - self.intercept_[0], y, weights, 1.0)])

    def _term_importances(self):
        return np.array([_importance(part, layout.cell_slice(t))
                         for layout, part in zip(self._layouts_, self._fitted_parts_) for t in range(layout.n_terms)])

    # -- prediction ------------------------------------------------------------------
    def _prepare(self, X):
        table = validate_tabular(self, X, reset=False)
        rows = table.rows_as_objects()
        rows.setflags(write=False)  # handed over to the LocalExplanation, which then keeps it without a copy
        return self._term_codes(self._binned(table)), rows

    def _binned(self, table):
        """The fine bin codes of ``table``; warns of values the model's features never had in training.

        A missing value in a feature never missing in training falls in a
        missing bin without training weight, which scores zero in every term
        of the feature (its main effect and its pairs); a level not seen in
        training falls in the unseen-category bin, which scores zero too.  The
        warnings are the explanation's (:class:`~glassbox.explain.ShapeFunctions`,
        a model loaded from JSON): the same texts, feature by feature in the
        same order, found here from the bin codes already computed.
        """
        # no unseen-level warning from the binner: the loop below words it as the explanation does
        fine_codes = self.binner_._transform_table(table, warn_unseen=False)
        warn_untrained_codes(self.binner_, table, fine_codes, self._features_read(), self._had_missing(),
                             ShapeFunctions.untrained_value_effect, ShapeFunctions.unseen_level_effect)
        return fine_codes

    def _features_read(self):
        """The features the terms read, in input order (every feature with a main effect)."""
        return sorted({j for features in self.term_features_ for j in features})

    def _had_missing(self):
        """Per feature read, whether training rows of positive weight had it missing (its main effect's missing
        bin has weight)."""
        mains, mass = self._layouts_[0], self._fitted_parts_[0].mass
        return {j: bool(mass[mains.offset[j] + self.binner_.bins_[j].missing_bin] > 0) for j in self._features_read()}

    def _training_values(self):
        """What each feature the terms read held in training, for the explanation to warn as :meth:`_binned` does."""
        return training_values_of(self.binner_, self._features_read(), self._had_missing())

    def _term_codes(self, fine_codes):
        """uint16 code of every term for the rows of ``fine_codes``, column-major ``(n_samples, n_terms)``."""
        term_codes = np.empty((fine_codes.shape[0], len(self.term_features_)), dtype=np.uint16, order="F")
        start = 0
        for layout in self._layouts_:
            term_codes[:, start : start + layout.n_terms] = layout.codes(fine_codes)
            start += layout.n_terms
        return term_codes

    def _term_contributions(self, term_codes):
        n_samples, n_terms, K = term_codes.shape[0], term_codes.shape[1], self._flat_scores_.shape[1]
        table = np.empty((n_samples, n_terms) if K == 1 else (n_samples, n_terms, K), dtype=np.float64)
        lookup_contributions(term_codes, self._flat_scores_, self._offsets_, table.reshape(n_samples, n_terms, K),
                             effective_n_threads(self.n_jobs))
        return table

    def _decision_only(self, X, scale=None):
        """The decision function from the binned rows, a block of rows at a time (:func:`decision_in_blocks`).

        Neither the raw rows (an object per cell) nor the whole rows x terms
        table are built: only one block's term codes and contributions exist
        at a time.
        """
        return self._decision_of_codes(self._binned(validate_tabular(self, X, reset=False)), scale)

    def _decision_of_codes(self, fine_codes, scale=None):
        """The decision function of binned rows (fine bin codes), a block of rows at a time."""
        return decision_in_blocks(self._base_value(), fine_codes,
                                  lambda block: self._term_contributions(self._term_codes(block)), scale)

    def _base_value(self):
        return self.intercept_[0].copy() if self.intercept_.shape[0] == 1 else self.intercept_.copy()

    # -- explanation -----------------------------------------------------------------
    def _shape_terms(self):
        """The terms as ShapeTerms; an edited term has no band, a term made monotone by an edit says so."""
        edited = {name for edit in getattr(self, "edits_", ()) if edit.action != "refit_intercept"
                  for name in edit.terms}
        ranges = getattr(self, "_value_ranges_", None)  # a model pickled before they were recorded has none
        terms = []
        for layout, part in zip(self._layouts_, self._fitted_parts_):
            for t in range(layout.n_terms):
                index = len(terms)
                constraints = tuple(self._axis_constraint(index, axis) for axis in range(len(layout.features[t])))
                term_ranges = None if ranges is None else tuple(ranges[j] for j in layout.features[t])
                terms.append(_shape_term(layout, part, t, constraints, band=self.term_names_[index] not in edited,
                                         value_ranges=term_ranges))
        return terms

    def explain_global(self):
        """The fitted model as shape functions: one lookup table per term.

        Returns
        -------
        ShapeFunctions
            Bins (edges or categories, a missing bin, an unseen bin), scores,
            bag bands (``band`` says what they are), training density,
            importance (mean absolute contribution) and constraints of every term.
            ``explain_global().decision_function(X)`` recomputes this model.
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        return ShapeFunctions(
            model=type(self).__name__,
            feature_names=tuple(self.binner_.bins_[j].feature for j in range(self.n_features_in_)),
            flag_features=flag_feature_names(self),
            link=self._link(),
            classes=getattr(self, "classes_", None),
            base_value=self._base_value(),
            terms=tuple(self._shape_terms()),
            band=self._band_description(),
            edits=tuple(getattr(self, "edits_", ())),
            training_values=self._training_values(),
            class_weights=getattr(self, "_class_weight_factors", None),
        )

    def _term_features(self):
        """The features each term reads (its feature, or the pair's two), named as ``explain_global`` names them."""
        bins = self.binner_.bins_
        return tuple(tuple(str(bins[j].feature) for j in features) for features in self.term_features_)

    def _band_description(self):
        """What ``lower``/``upper`` are: the bags' population standard deviation around their mean."""
        n_bags = len(self.n_rounds_["mains"])
        return f"±1 SD across {n_bags} bags" if n_bags > 1 else None

    @property
    def shape_functions_(self):
        """Alias of :meth:`explain_global` for attribute-style access."""
        return self.explain_global()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags


def centred_across_classes(fitted):
    """The fitted parts with every cell's class scores (and the intercepts) centred across the classes.

    Softmax ignores an amount added to every class's score, so a multiclass
    fit leaves that amount to chance (the boosting start, the bags): the same
    probabilities come with many score tables, and one class's column read
    alone (a local contribution, a reason) would depend on which one the fit
    happened to reach.  Subtracting each cell's mean over the classes picks
    the one table whose class scores sum to zero in every bin and cell; the
    probabilities are unchanged (to rounding), the training-weighted centring
    of every class column is kept (a mean of centred columns is centred), and
    empty bins stay 0.  A class's score is then its effect on
    ``log P(class)`` minus the mean of ``log P`` over the classes.  The bag
    bands move with the scores.  One output (a binary or regression model):
    returned as it is.
    """
    if fitted[0].scores.shape[1] == 1:
        return fitted
    centred = []
    for part in fitted:
        shift = part.scores.mean(axis=1, keepdims=True)
        bands = {} if part.lower is None else {"lower": part.lower - shift, "upper": part.upper - shift}
        centred.append(dataclasses.replace(part, scores=part.scores - shift, **bands,
                                           intercept=part.intercept - part.intercept.mean()))
    return centred


def _shape_term(layout, part, t, constraints, band=True, value_ranges=None):
    cells = layout.cell_slice(t)
    shape = layout.term_shape(t)
    K = part.scores.shape[1]

    def reshape(values):
        if values is None:
            return None
        values = values[cells]
        return values.reshape(shape) if K == 1 else values.reshape(shape + (K,))

    mass = part.mass[cells]
    importance = _importance(part, cells)
    return ShapeTerm(
        bins=layout.bins[t],
        scores=reshape(part.scores),
        lower=reshape(part.lower) if band else None,
        upper=reshape(part.upper) if band else None,
        density=mass.reshape(shape),
        importance=importance,
        constraints=constraints,
        value_ranges=value_ranges,
    )


def _importance(part, cells):
    """Mean absolute contribution of a term on the training data (averaged over outputs)."""
    mass = part.mass[cells]
    total = mass.sum()
    return float(mass @ np.abs(part.scores[cells]).mean(axis=1) / total) if total > 0 else 0.0


def _with_group(bag_raw, group, n_threads):
    """Every bag's raw scores plus its own scores of one boosted group ``(codes, bag scores, layout)``."""
    group_codes, group_scores, layout = group
    return [add_terms(raw, group_codes, group_scores[b], layout.offset, n_threads) for b, raw in enumerate(bag_raw)]


def _cell_mass(term_codes, weights, layout, n_threads):
    mass = np.zeros(layout.total_cells, dtype=np.float64)
    bin_statistics(term_codes, weights, layout.offset, mass, n_threads)
    return mass


def _value_ranges(table, weights):
    """Per feature, ``(minimum, maximum)`` of a numeric column over the rows of positive weight (the rows the
    binner reads), None for a categorical column or one with no such value: where the shape plot's end bins end."""
    rows = weights > 0
    every_row = bool(rows.all())
    ranges = []
    for j in range(table.n_features):
        values = None if table.is_categorical[j] else table.numeric[:, j]
        if values is not None and not every_row:
            values = values[rows]
        low = np.fmin.reduce(values) if values is not None and len(values) else np.nan  # fmin: NaN is missing
        ranges.append(None if np.isnan(low) else (float(low), float(np.fmax.reduce(values))))
    return ranges


def _reject_all_missing(binner, table):
    for j, bins in enumerate(binner.bins_):
        values = table.column(j)
        if bins.kind == "numeric":
            empty = np.isnan(values).all()
        else:
            empty = len(bins.categories) == 0
        if empty:
            raise ValueError(
                f"Feature {bins.feature!r} is missing in every training row, so a GAM can learn nothing "
                "about it. Drop the column, or impute it if missingness should mean something."
            )
