"""Boosting stages of a GAM: bags, the compiled boosting loop, averaging and centring.

A stage boosts a list of terms (first the main effects, then the pairs on the
residual of the mains) on every outer bag.  A bag is one random split of the
training rows into a part that is boosted and an internal validation part
that decides when to stop (Lou et al. 2012; the Explainable Boosting design).
The shapes of the bags are averaged; their spread gives uncertainty bands.
"""

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ..utils.binning import user_stacklevel

from ._gam_fast import cpu_has_avx2, lookup_contributions, mean_loss, pava

# The boosting loop built for AVX2 where the CPU has it: the same arithmetic to the bit (no fused
# multiply-add), about a quarter less time (adult's mains fit 1.38 -> 1.05 s CPU on one core, load 3.5-4.8).
if cpu_has_avx2():
    from ._gam_avx2_fast import boost_bags
else:
    from ._gam_fast import boost_bags
from ._terms import TERM_ORDERED

# the loss codes of the kernels (_gam_losses.pxd); the last three have a log link (raw score = log of the mean)
LOSS_SQUARED, LOSS_LOGISTIC, LOSS_SOFTMAX, LOSS_POISSON, LOSS_GAMMA, LOSS_TWEEDIE = 0, 1, 2, 3, 4, 5
LOG_LINK_LOSSES = (LOSS_POISSON, LOSS_GAMMA, LOSS_TWEEDIE)

# A main effect with fewer value bins is a step, not a curve: a kernel over bin
# positions would only average a binary feature's two scores towards each other.
MIN_SMOOTHED_BINS = 3

# smoothing="auto": the Gaussian widths (in bins) each bag may choose per numeric main effect.  Widths
# up to 4 bins won inner 70/30 splits of the training parts over adding 8 (see docs/gam.rst).  The
# infinite width is the shape's straight line in the feature's values (see smooth_shape).
AUTO_SMOOTHING_WIDTHS = (0.5, 1.0, 2.0, 4.0, np.inf)
# The line is offered only to shapes of at least this many value bins.  A feature of a few distinct values
# (a count, a rating) has a well-estimated score per value, which a line would only bend towards
# extrapolation: on inner splits compas' juvenile counts (7-11 values) took it and lost 0.0006 AUC, 0.0002
# with this floor, while heart's measurements (36-128 values) kept their gain.
MIN_LINE_BINS = 16


@dataclass(frozen=True)
class BoostingSettings:
    loss: int
    learning_rate: float
    max_rounds: int
    patience: int
    tolerance: float
    min_leaf: float
    max_leaves: int
    l2_regularization: float
    n_threads: int
    smoothing_rounds: int = 0
    seed: int = 0
    power: float = 0.0  # the Tweedie loss's power; other losses ignore it


def split_bags(n_samples, strata, weights, n_bags, validation_fraction, rng):
    """Random train / validation splits, one per bag, stratified on ``strata`` (or None).

    The split is drawn among the rows of positive weight, by the same draws
    as if the rows of weight zero were absent: those rows go to the training
    part, where they change nothing (drawn into the validation part they took
    the place of rows that could measure progress, and bags of mostly
    zero-weight data were left without a weighted validation part).  With
    every weight positive the split is the one drawn before.  A split whose
    validation part would be empty or weightless falls back to boosting on
    all rows without early stopping (see :func:`warn_without_validation`).
    """
    bags = []
    levels = None if strata is None else np.unique(strata)  # the same for every bag
    positive = np.flatnonzero(weights > 0)  # every row when all weights are positive: the draws of old
    for _ in range(n_bags):
        order = positive[rng.permutation(len(positive))]
        is_valid = np.zeros(n_samples, dtype=bool)
        if validation_fraction:
            groups = [order] if strata is None else [order[strata[order] == s] for s in levels]
            for rows in groups:
                take = int(np.floor(validation_fraction * len(rows)))
                take = min(take, len(rows) - 1)  # every stratum keeps a training row
                is_valid[rows[:max(take, 0)]] = True
        if not is_valid.any() or weights[is_valid].sum() <= 0 or weights[~is_valid].sum() <= 0:
            is_valid[:] = False
        bags.append((np.flatnonzero(~is_valid), np.flatnonzero(is_valid)))
    return bags


def warn_without_validation(estimator, bags, validation_fraction, weights, stratified):
    """Warn once when bags fell back to boosting without early stopping for want of validation rows."""
    empty = [b for b, (_, valid) in enumerate(bags) if not len(valid)]
    if not validation_fraction or not empty:
        return
    rows = "each class's rows" if stratified else "the rows"
    warnings.warn(
        f"{type(estimator).__name__}: {_bag_list(empty, len(bags))} {'has' if len(empty) == 1 else 'have'} no "
        f"validation rows: validation_fraction={validation_fraction} of {rows} of positive weight "
        f"({np.count_nonzero(weights > 0)} rows in all) is less than one row, so boosting runs up to "
        f"max_rounds={estimator.max_rounds} cycles on all rows without early stopping. Give more rows a positive "
        "weight, raise validation_fraction, or set max_rounds to the number of cycles wanted.",
        ConvergenceWarning, stacklevel=user_stacklevel(),
    )


# Early stopping decided on fewer validation rows than this, or (classifiers) on fewer rows outside the
# validation part's most common class than MIN_VALIDATION_MINORITY_ROWS, was worse than no model: default
# GAMClassifier, 20 seeds, held-out log-loss against predicting the training base rate (docs/gam.rst,
# "Early stopping"): 15 rows (3 validation rows, 1 of the minority class) worse in 16/20 and 11/20 of two
# designs, 30 rows (6-7, 2-3) in 9/20 and 4/20, 60 rows (14-15, 5-7) in 2/20 and 0/20; 100 rows at a 6%
# positive rate (25 validation rows, 0-2 positives) in 10/16.
MIN_VALIDATION_ROWS = 10
MIN_VALIDATION_MINORITY_ROWS = 3


def warn_small_validation(estimator, bags, strata, validation_fraction):
    """Warn once when some bag's validation part is too small for its early stopping to be trusted.

    A bag stops at the round of least loss on its validation rows; on a handful
    of rows (or a handful outside the most common class) that round is close to
    a draw, and bags of tiny tables boosted for hundreds of rounds into
    confident, wrong probabilities.  Bags without validation rows are
    :func:`warn_without_validation`'s.
    """
    sizes, minority = [], []
    for _, valid in bags:
        if not len(valid):
            continue
        sizes.append(len(valid))
        if strata is not None:
            minority.append(len(valid) - np.bincount(strata[valid]).max())
    if not sizes:
        return
    few_rows = min(sizes) < MIN_VALIDATION_ROWS
    few_minority = bool(minority) and min(minority) < MIN_VALIDATION_MINORITY_ROWS
    if not (few_rows or few_minority):
        return
    what = f"as few as {min(sizes)} rows"
    if minority:
        what += f", {min(minority)} of them outside the most common class"
    linear = "SparseLinearClassifier" if strata is not None else "SparseLinearRegressor"
    warnings.warn(
        f"{type(estimator).__name__}: early stopping cannot be trusted on this table: a bag's validation part "
        f"holds {what} (validation_fraction={validation_fraction:g}; at least {MIN_VALIDATION_ROWS} rows"
        + (f" and {MIN_VALIDATION_MINORITY_ROWS} outside the most common class" if minority else "")
        + " are wanted), so each bag stops at a nearly random round and the probabilities can be overconfident. "
        "Boost without early stopping, validation_fraction=None with max_rounds chosen by cross-validation on "
        f"the training data, or fit a linear model ({linear}).",
        ConvergenceWarning, stacklevel=user_stacklevel(),
    )


# a penalty as heavy as the curvature of more than this share of the rows flattens the fit: it holds a leaf of
# that share of the rows (a typical leaf of a four-leaf tree) to half its step or less (Poisson rates of mean
# 1e-7: 0.89 correlation with the true shape against 0.96, 25 times the rounds).  Weights normalised to sum to 1
# make the default penalty a tenth of the rows' curvature: slower (5 times the rounds), hardly worse, not warned.
HEAVY_PENALTY_SHARE = 0.25
# ... and of more rows than this: on a few dozen rows a penalty of a few rows is the regularisation asked for
HEAVY_PENALTY_MIN_ROWS = 10.0


def warn_heavy_penalty(estimator, intercept, weights, loss, power):
    """Warn when ``l2_regularization`` outweighs the curvature of more than a quarter of the rows (and of 10).

    A leaf's step is ``-G / (H + l2)``: ``l2`` counts as the curvature of
    ``l2 / h`` rows, ``h`` a row's curvature (hessian) at the start of
    boosting in the units the data come in: the rows' mean weight, times the
    mean of the target for Poisson and its ``2 - power`` power for Tweedie
    (squared error's and Gamma's curvature is 1; a class's ``p (1 - p)`` is
    left out, as it depends on no unit).  Weights or log-link targets in
    small units shrink ``h`` and so make the default penalty swamp every
    leaf; the warning names the penalty of the same weight in rows.
    """
    l2 = float(estimator.l2_regularization)
    positive = weights[weights > 0]
    if l2 <= 0 or len(positive) == 0:
        return
    mean_weight = float(np.mean(positive))
    causes = []
    if loss == LOSS_POISSON or loss == LOSS_TWEEDIE:
        mean = float(np.exp(intercept[0]))
        curvature = mean if loss == LOSS_POISSON else mean ** (2.0 - power)
        causes.append(f"a {'Poisson' if loss == LOSS_POISSON else 'Tweedie'} loss's curvature is the mean of the target"
                      + ("" if loss == LOSS_POISSON else f" to the power 2 - power = {2.0 - power:g}")
                      + f", here {mean:.2g}")
    else:  # squared error and Gamma: 1; a class's p (1 - p) is no matter of units (a rare class is meant to be
        # shrunk more, see l2_regularization), so the classifiers are judged by their weights alone
        curvature = 1.0
    per_row = mean_weight * curvature
    rows = l2 / per_row
    if rows <= max(HEAVY_PENALTY_SHARE * len(positive), HEAVY_PENALTY_MIN_ROWS):
        return
    if not np.isclose(mean_weight, 1.0, rtol=0.5):
        causes.insert(0, f"the mean sample_weight is {mean_weight:.2g}")
    cause = "; ".join(causes)
    rows_text = f"{rows:,.0f}" if rows < 1e9 else f"{rows:.2g}"  # not a hundred digits for weights of 1e-100
    warnings.warn(
        f"{type(estimator).__name__}: l2_regularization={l2:g} outweighs the curvature (hessian) of about "
        f"{rows_text} rows at the start of boosting, more than a quarter of the {len(positive):,} rows of positive "
        "weight, so it holds every leaf's step well short of what its rows support: the shapes come out flattened "
        f"and take many more rounds. The rows' mean curvature is {per_row:.2g} ({cause}). Scale the penalty by it, "
        f"e.g. l2_regularization={l2 * per_row:.2g}, or express the weights or the target in larger units.",
        UserWarning, stacklevel=user_stacklevel(),
    )


def warn_settings_without_effect(estimator, n_outputs):
    """Warn when ``smoothing="auto"`` or ``mains_rescaling`` cannot apply, and the shapes stay as boosted.

    Both read the bags' validation rows, which ``validation_fraction=None``
    (or 0) leaves none of; ``mains_rescaling`` fits one output (binary
    classification, regression), not a multiclass model's.
    """
    name, fraction = type(estimator).__name__, estimator.validation_fraction
    without_validation = fraction is None or (not isinstance(fraction, str) and fraction == 0)
    hold_out = (f"no bag has any (validation_fraction={fraction!r}): hold out validation rows "
                "(validation_fraction='auto')")
    if isinstance(estimator.smoothing, str) and without_validation:
        warnings.warn(
            f"{name}: smoothing='auto' chooses each shape's smoothing on a bag's validation rows, and {hold_out} "
            "or give a fixed width, e.g. smoothing=1.0; as it is, every shape is left unsmoothed.",
            UserWarning, stacklevel=user_stacklevel(),
        )
    rescaling = estimator.mains_rescaling
    if rescaling is None:
        return
    if n_outputs > 1:
        warnings.warn(
            f"{name}: mains_rescaling={rescaling!r} applies to binary classification and regression; a multiclass "
            "fit leaves the main effects as boosted. Set mains_rescaling=None (or fit one-vs-rest binary models).",
            UserWarning, stacklevel=user_stacklevel(),
        )
    elif without_validation:
        warnings.warn(
            f"{name}: mains_rescaling={rescaling!r} refits the main effects' multipliers on a bag's validation rows, "
            f"and {hold_out} or set mains_rescaling=None; as it is, the main effects are left as boosted.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def warn_unstopped_bags(estimator, bags):
    """Warn once per fit about bags that ran out of ``max_rounds`` while their validation loss still improved.

    Such a bag kept a round within ``early_stopping_rounds`` of its last one
    (``n_rounds_``), so early stopping did not end it: its shapes may be
    short of their fit.  Bags without validation rows are not counted here
    (:func:`warn_without_validation` names them).
    """
    max_rounds, patience = int(estimator.max_rounds), int(estimator.early_stopping_rounds)
    has_validation = np.array([len(valid) > 0 for _, valid in bags])
    parts = []
    for stage, rounds in estimator.n_rounds_.items():
        rounds = np.asarray(rounds)
        if rounds.shape != has_validation.shape:
            continue
        hit = np.flatnonzero(has_validation & (rounds > 0) & (rounds > max_rounds - patience))
        if len(hit):
            parts.append(f"{'main effects' if stage == 'mains' else stage}: {_bag_list(hit, len(bags))}")
    if parts:
        warnings.warn(
            f"{type(estimator).__name__}: early stopping did not end some bags; they ran all max_rounds={max_rounds} "
            f"cycles while their validation loss was still improving ({'; '.join(parts)}), so their shapes may be "
            "short of their fit. Raise max_rounds or learning_rate.",
            ConvergenceWarning, stacklevel=user_stacklevel(),
        )


def warn_empty_bags(estimator, n_bags):
    """Warn when boosting kept nothing: no bag kept a cycle of any stage, or most bags kept none of the mains.

    A bag keeps the cycles up to the best of its validation loss; one that
    keeps none has flat shapes.  If every bag of every stage keeps none, the
    model is its intercept, a constant; if most bags' main effects are flat,
    the average of the bags shrinks every main effect towards zero.
    """
    name, rounds = type(estimator).__name__, {stage: np.asarray(r) for stage, r in estimator.n_rounds_.items()}
    advice = ("If the features should matter, hold out more rows for early stopping (validation_fraction) or fit on "
              "more data, or boost without early stopping: validation_fraction=None and max_rounds set to the cycles "
              "wanted (chosen by cross-validation on the training data).")
    if not any(np.any(r) for r in rounds.values()):
        warnings.warn(
            f"{name}: no bag kept a boosting cycle (n_rounds_ is 0 in every stage): no cycle improved a bag's "
            f"validation loss by early_stopping_tolerance={estimator.early_stopping_tolerance} of its intercept-only "
            "loss, so every shape is flat and the model is its intercept: it predicts one value for every row. "
            + advice,
            ConvergenceWarning, stacklevel=user_stacklevel(),
        )
        return
    empty = np.flatnonzero(rounds["mains"] == 0)
    if len(empty) == n_bags:  # the pairs kept cycles: no other bag's mains to average with
        warnings.warn(
            f"{name}: {'the bag' if n_bags == 1 else f'every bag (all {n_bags})'} kept no boosting cycle of the "
            "main effects (n_rounds_['mains'] is 0): every main effect is flat, and the model is its intercept "
            "and its interaction pairs. " + advice,
            ConvergenceWarning, stacklevel=user_stacklevel(),
        )
    elif 2 * len(empty) > n_bags:
        warnings.warn(
            f"{name}: {_bag_list(empty, n_bags)} kept no boosting cycle of the main effects (n_rounds_): their flat "
            f"shapes are averaged with the other bags', which shrinks every main effect to about "
            f"{n_bags - len(empty)}/{n_bags} of those bags' average. " + advice,
            ConvergenceWarning, stacklevel=user_stacklevel(),
        )


def _bag_list(bags, n_bags):
    """``"bags 0, 3 of 8"`` / ``"bag 2 of 8"``."""
    bags = [int(b) for b in bags]
    return f"bag{'' if len(bags) == 1 else 's'} {', '.join(map(str, bags))} of {n_bags}"


def _padded(index_lists):
    width = max(1, max(len(rows) for rows in index_lists))
    out = np.zeros((len(index_lists), width), dtype=np.intp)
    for b, rows in enumerate(index_lists):
        out[b, : len(rows)] = rows
    return out, np.array([len(rows) for rows in index_lists], dtype=np.intp)


def _raw_of_rows(base_raw, index_lists, n_outputs):
    width = max(1, max(len(rows) for rows in index_lists))
    out = np.zeros((len(index_lists), width, n_outputs), dtype=np.float64)
    for b, rows in enumerate(index_lists):
        out[b, : len(rows)] = base_raw(b)[rows]
    return out


def reference_losses(intercept_raw, Y, weights, bags, loss, power=0.0):
    """Every bag's intercept-only validation loss: the scale of the early-stopping tolerance.

    For the log-link losses, half the intercept-only *Pearson* statistic
    ``mean w (y - mu)^2 / V(mu) / 2`` with the family's variance ``V(mu) = mu^p``
    (p = 1 Poisson, 2 Gamma, ``power`` Tweedie): the second-order approximation
    of the null deviance, and for squared error (``V = 1``) the same loss as
    there.  The deviance itself is no scale when Tweedie's power nears 2: a row
    with ``y = 0`` has the half deviance ``mu^(2-p) / (2-p)``, about
    ``1 / (2-p)`` whatever the fit, which swamped the tolerance (at p = 1.9999
    no bag kept a round).
    """
    out = np.full(len(bags), -1.0)
    for b, (_, valid) in enumerate(bags):
        if not len(valid):
            continue
        raw, y, w = (np.ascontiguousarray(a[valid]) for a in (intercept_raw, Y, weights))
        if loss in LOG_LINK_LOSSES:
            p = {LOSS_POISSON: 1.0, LOSS_GAMMA: 2.0}.get(loss, power)
            mu = np.exp(raw)
            out[b] = 0.5 * np.average((y - mu) ** 2 / mu**p, weights=w, axis=0).sum() if w.sum() > 0 else 0.0
        else:
            out[b] = mean_loss(raw, y, w, loss, power)
    return out


def run_stage(layout, term_codes, Y, weights, bags, base_raw, settings, reference_loss=None):
    """Boost the terms of ``layout`` on every bag, starting from ``base_raw(bag)`` (rows x outputs).

    ``reference_loss[b]`` (see :func:`reference_losses`) scales bag ``b``'s
    early-stopping tolerance; None scales it by the stage's starting loss.

    Returns
    -------
    scores : ndarray (n_bags, total_cells, n_outputs)
        Early-stopped shapes of every bag (not centred).
    rounds : ndarray (n_bags,)
    """
    n_bags, K = len(bags), Y.shape[1]
    train_rows, n_train = _padded([tr for tr, _ in bags])
    valid_rows, n_valid = _padded([va for _, va in bags])
    raw_train = _raw_of_rows(base_raw, [tr for tr, _ in bags], K)
    raw_valid = _raw_of_rows(base_raw, [va for _, va in bags], K)
    scores = np.zeros((n_bags, layout.total_cells, K), dtype=np.float64)
    best = np.zeros_like(scores)
    rounds = np.zeros(n_bags, dtype=np.intp)
    boost_bags(
        term_codes, Y, weights, train_rows, n_train, valid_rows, n_valid, raw_train, raw_valid,
        layout.kind, layout.offset, layout.rows, layout.cols, layout.ordered1, layout.ordered2,
        layout.cst1, layout.cst2, scores, best, rounds,
        settings.loss, settings.learning_rate, settings.max_rounds, settings.patience,
        settings.tolerance, settings.min_leaf, settings.max_leaves, settings.l2_regularization, settings.n_threads,
        settings.smoothing_rounds, settings.seed, reference_loss, settings.power,
    )
    if np.any(rounds < 0):
        raise MemoryError("Not enough memory for the boosting workspace; reduce max_bins or the number of pairs.")
    return best, rounds


def add_terms(raw, term_codes, flat_scores, offset, n_threads):
    """``raw`` plus the contributions of all terms (rows x outputs)."""
    contributions = np.empty((term_codes.shape[0], term_codes.shape[1], flat_scores.shape[1]))
    lookup_contributions(term_codes, np.ascontiguousarray(flat_scores), offset, contributions, n_threads)
    return raw + contributions.sum(axis=1)


def smooth_shape(scores, mass, n_value, width, constraint, positions=None, smoother=None):
    """Mass-weighted Gaussian smoothing of the value bins of a main effect (then re-projected).

    Bin ``i`` gets ``sum_j k(i - j) m_j s_j / sum_j k(i - j) m_j`` with a
    Gaussian ``k`` of ``width`` bins: one convolution with the untruncated
    kernel per output, so the cost is the kernel's length times the bins,
    without an ``n_value x n_value`` matrix.  An infinite ``width`` gives the
    shape's mass-weighted least-squares line in the bins' ``positions`` (the
    feature's values, see :func:`bin_positions`; bin numbers if None): the
    limit a penalised spline reaches as its smoothness penalty grows.
    ``smoother`` is ``ShapeSmoother(mass, n_value, width, positions)``, built
    once when many shapes share the mass and the width.
    """
    if smoother is None:
        smoother = ShapeSmoother(mass, n_value, width, positions)
    out = smoother.apply(scores)
    if constraint:
        column = np.ascontiguousarray(out[:n_value, 0])
        pava(column, np.ascontiguousarray(mass[:n_value], dtype=np.float64), int(constraint))
        out[:n_value, 0] = column
    return out


class ShapeSmoother:
    """What smoothing a main effect of ``n_value`` value bins by ``width`` needs beside the scores.

    The kernel, the weights and the normaliser depend on the training mass
    and the width only, so :func:`choose_smoothing` builds them once per term
    and width for all bags.  Only the ``n_value`` fully overlapping outputs of
    each convolution are computed ("valid" mode: the same products in the same
    order as the middle of the full convolution).
    """

    def __init__(self, mass, n_value, width, positions=None):
        self.n_value = n_value
        self.weight = mass[:n_value] + 1e-12
        self.is_line = bool(np.isinf(width))
        if self.is_line:
            positions = np.arange(n_value, dtype=np.float64) if positions is None else positions
            self.x = positions - np.average(positions, weights=self.weight)
            self.spread = np.sum(self.weight * self.x * self.x)
        else:
            reach = np.arange(-(n_value - 1), n_value)
            self.kernel = np.exp(-0.5 * (reach / width) ** 2)
            self.norm = np.convolve(self.weight, self.kernel, mode="valid")

    def apply(self, scores):
        """The smoothed copy of ``scores`` (cells x outputs); cells past the value bins are kept."""
        n_value, weight = self.n_value, self.weight
        out = scores.copy()
        for k in range(scores.shape[1]):
            if self.is_line:  # each output's weighted least-squares line a + b x through the value bins
                level = np.average(scores[:n_value, k], weights=weight)
                slope = np.sum(weight * self.x * scores[:n_value, k]) / self.spread if self.spread > 0 else 0.0
                out[:n_value, k] = level + slope * self.x
            else:
                out[:n_value, k] = np.convolve(weight * scores[:n_value, k], self.kernel, mode="valid") / self.norm
        return out


def bin_positions(bins, n_value):
    """A value for each of a numeric feature's ``n_value`` value bins: the midpoint of its thresholds.

    The two end bins, open on one side, sit one neighbouring bin width out.
    Bin numbers where the thresholds do not describe the bins.
    """
    thresholds = np.asarray(bins.thresholds if bins.thresholds is not None else [], dtype=np.float64)
    if n_value < 3 or len(thresholds) != n_value - 1:
        return np.arange(n_value, dtype=np.float64)
    edges = np.concatenate([[2 * thresholds[0] - thresholds[1]], thresholds, [2 * thresholds[-1] - thresholds[-2]]])
    return 0.5 * (edges[:-1] + edges[1:])


def smoothable(layout, t):
    """Whether term ``t`` is a numeric main effect with enough value bins to be smoothed."""
    return layout.kind[t] == TERM_ORDERED and len(layout.features[t]) == 1 and layout.ordered1[t] >= MIN_SMOOTHED_BINS


def choose_smoothing(layout, bag_scores, mass, term_codes, base_raw, Y, weights, bags, loss,
                     widths=AUTO_SMOOTHING_WIDTHS, power=0.0):
    """Smooth each bag's numeric main effects by the widths its own validation rows prefer.

    For every bag, the numeric main effects are visited in order; each keeps
    its boosted shape or takes the Gaussian smoothing (:func:`smooth_shape`)
    of the width in ``widths`` (``inf``: the shape's straight line in the
    feature's values) whose bag validation loss, with the terms already
    visited as chosen, is lowest (ties keep the boosted shape).  The line is
    offered to shapes of at least ``MIN_LINE_BINS`` value bins.  The
    validation rows score whole shapes here, as they scored whole rounds for
    early stopping; pygam chooses its spline penalty by a validation score in
    the same spirit (generalised cross-validation).  ``power`` is the Tweedie
    loss's.

    Returns
    -------
    scores : ndarray (n_bags, total_cells, n_outputs)
        The bags' shapes, smoothed where chosen.
    chosen : ndarray (n_bags, n_terms)
        The width each bag chose for each term (0: not smoothed).
    """
    scores = bag_scores.copy()
    chosen = np.zeros((len(bags), layout.n_terms))
    terms = [t for t in range(layout.n_terms) if smoothable(layout, t)]
    # the smoothers depend on the training mass and the width only: the same for every bag
    smoothers = {t: [(width, ShapeSmoother(mass[layout.cell_slice(t)], layout.ordered1[t], width,
                                           bin_positions(layout.bins[t][0], layout.ordered1[t])))
                     for width in widths if not (np.isinf(width) and layout.ordered1[t] < MIN_LINE_BINS)]
                 for t in terms}
    starts = layout.offset[:-1]
    for b, (_, valid) in enumerate(bags):
        if not len(valid) or not terms:
            continue
        codes = np.asarray(term_codes[valid], dtype=np.intp)
        y, w = np.ascontiguousarray(Y[valid]), np.ascontiguousarray(weights[valid])
        contributions = np.take(scores[b], starts[None, :] + codes, axis=0)  # (rows, terms, outputs)
        raw = base_raw[valid] + contributions.sum(axis=1)
        best_loss = mean_loss(np.ascontiguousarray(raw), y, w, loss, power)
        for t in terms:
            cells = layout.cell_slice(t)
            pick = None
            for width, smoother in smoothers[t]:
                shape = smooth_shape(scores[b, cells], mass[cells], layout.ordered1[t], width, layout.cst1[t],
                                     smoother=smoother)
                trial = raw + shape[codes[:, t]] - contributions[:, t]
                trial_loss = mean_loss(np.ascontiguousarray(trial), y, w, loss, power)
                if trial_loss < best_loss:
                    best_loss, pick = trial_loss, (width, shape, trial)
            if pick is not None:
                chosen[b, t], scores[b, cells], raw = pick
                contributions[:, t] = pick[1][codes[:, t]]
    return scores, chosen


@dataclass
class FittedTerms:
    """Averaged, centred shapes of all terms, with bands and training density."""

    scores: np.ndarray  # (total_cells, K)
    lower: np.ndarray  # (total_cells, K) or None
    upper: np.ndarray
    mass: np.ndarray  # (total_cells,)
    intercept: np.ndarray  # (K,)


def centre_terms(layout, bag_scores, mass, intercept, *, smoothing=0.0, log_link=False):
    """Average the bags, optionally smooth, centre every term and move the means to the intercept.

    A term's centre is its training-weighted mean score, or on a ``log_link``
    the log of its weighted mean *relativity* ``exp(score)``: each term's
    factors on the predicted mean then average 1 over the training rows (the
    insurance convention of relativities balanced on the book), so a value
    scoring zero (an unseen level, a missing value never seen in training)
    gets the term's average factor, and ``exp(intercept)`` is a base rate, not
    the geometric-type mean that centring the log scores would leave.

    Empty missing bins and the unseen-category bin score zero, in main effects and in
    every pair row or column they head, so a value never seen in training contributes
    nothing (:func:`_zero_empty_bins`).
    """
    bag_scores = bag_scores.copy()
    intercept = np.array(intercept, dtype=np.float64)
    for t in range(layout.n_terms):
        cells = layout.cell_slice(t)
        if smoothing > 0 and smoothable(layout, t):
            for b in range(bag_scores.shape[0]):
                bag_scores[b, cells] = smooth_shape(
                    bag_scores[b, cells], mass[cells], layout.ordered1[t], smoothing, layout.cst1[t],
                    bin_positions(layout.bins[t][0], layout.ordered1[t]),
                )
        bag_means = _weighted_means(bag_scores[:, cells], mass[cells], log_link)
        bag_scores[:, cells] -= bag_means[:, None, :]
        intercept += bag_means.mean(axis=0)
        _zero_empty_bins(layout, t, bag_scores[:, cells], mass[cells])
    scores = bag_scores.mean(axis=0)
    for t in range(layout.n_terms):
        # centre the average exactly: the bag means cancel only up to rounding
        cells = layout.cell_slice(t)
        shift = _weighted_means(scores[None, cells], mass[cells], log_link)[0]
        scores[cells] -= shift
        intercept += shift
        _zero_empty_bins(layout, t, scores[None, cells], mass[cells])
    lower = upper = None
    if bag_scores.shape[0] > 1:
        spread = bag_scores.std(axis=0)
        lower, upper = scores - spread, scores + spread
    return FittedTerms(scores=scores, lower=lower, upper=upper, mass=mass, intercept=intercept)


def _weighted_means(term_scores, term_mass, log_link=False):
    """Training-weighted mean of each bag's term scores, (n_bags, K); on a log link the log of the weighted mean
    of ``exp(scores)`` (computed from the largest score of the cells with mass, so it cannot overflow).

    A term that scores the same on every cell with mass (a bag that kept no
    boosting round, a removed term) has that score as its mean exactly: the
    weighted sums round (the log-link mean of an all-zero term came to
    -2.2e-16), and a flat term must centre to exactly 0.
    """
    total = term_mass.sum()
    if total <= 0:
        return np.zeros((term_scores.shape[0], term_scores.shape[2]))
    reached = term_mass > 0
    top = np.where(reached[None, :, None], term_scores, -np.inf).max(axis=1)  # (n_bags, K)
    flat = np.all(term_scores[:, reached, :] == top[:, None, :], axis=1)
    if not log_link:
        means = np.einsum("c,bck->bk", term_mass, term_scores) / total
    else:
        relativity = np.einsum("c,bck->bk", term_mass, np.exp(term_scores - top[:, None, :])) / total
        means = top + np.log(relativity)
    return np.where(flat, top, means)


def _zero_empty_bins(layout, t, term_scores, term_mass):
    """Zero the cells of term ``t`` that no training row can reach: they score nothing at predict time.

    A main effect's missing bin without training weight and its unseen-category bin.  For a pair,
    every cell whose row or column is such a bin of its feature: the pair's trees cut on bin codes,
    and those bins come after the value bins, so without this a value never seen in training would
    take the score of the largest value or the last category.  Also every pair cell without
    training weight that is a combination of categories (or of a category and a missing value):
    the trees' cuts on codes would give it the score of the levels whose codes sort next to it
    (Federal-gov & Priv-house-serv scored like Local-gov & Priv-house-serv); along a numeric axis
    an empty cell keeps the score of its neighbouring values.  The cells have no training weight,
    so centring is unchanged, and they lie outside the value bins of any numeric feature, the only
    ones a monotone projection orders.
    """
    term_scores[:, unreachable_cells(layout, t, term_mass)] = 0.0


def unreachable_cells(layout, t, term_mass):
    """Flat mask of the cells of term ``t`` that no training row reached and that score zero by design.

    A main effect's missing bin without training weight and its unseen-category bin, every
    pair cell whose row or column is such a bin, and every cell without training weight whose
    coordinate on each axis is a category, a missing or an unseen bin (see :func:`_zero_empty_bins`).
    """
    shape = layout.term_shape(t)
    grid_mass = term_mass.reshape(shape)
    unreachable = np.zeros(shape, dtype=bool)
    unordered = np.ones(shape, dtype=bool)  # no numeric value on any axis: code order means nothing there
    for axis, bins in enumerate(layout.bins[t]):
        axis_mass = grid_mass.sum(axis=tuple(a for a in range(len(shape)) if a != axis))
        for cell in (bins.missing_bin, bins.unseen_bin):
            if cell >= 0 and axis_mass[cell] == 0:
                unreachable[(slice(None),) * axis + (cell,)] = True
        first_unordered = 0 if bins.kind == "categorical" else bins.n_value_bins
        along_axis = [np.newaxis] * len(shape)
        along_axis[axis] = slice(None)
        unordered &= (np.arange(bins.n_bins) >= first_unordered)[tuple(along_axis)]
    unreachable |= unordered & (grid_mass == 0)
    return unreachable.ravel()
