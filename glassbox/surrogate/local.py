"""LocalSurrogate: a LIME-style local linear explanation of any model's single predictions."""

import hashlib
import os
import warnings
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._release_stamp import StampsRelease
from ..explain._columns import is_missing
from ..explain._row_labels import row_labels_of
from ..explain._reserved_names import LOCAL_OFFSET_TERM
from ..explain.links import Link, link_for_classes
from ..explain.local import LocalExplanation
from ..utils._fit_state import restores_state_on_failure
from ..utils._sklearn_shim import Interval, StrOptions, validate_parameters
from ..utils.tabular import feature_names_of, polars_as_pandas, validate_tabular
from ..utils.validation import check_sample_weight, user_stacklevel
from ._augment import rows_like
from ._local_draws import integer_columns, whole_draws, zero_one_columns
from ._local_fit import (blas_controller, fit_on_mask, fit_on_support, forward_selection, numerically_nonzero, swap_search,
                         weighted_mean, weighted_r2, weighted_statistics)
from ._outputs import (CLONE_NOTE, check_classes_for_task, check_classes_of_model, decision_matches_proba,
                       infer_task, is_fitted_model, model_name, model_outputs, take_rows)

__all__ = ["LocalFits", "LocalSurrogate"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # glassbox/

#: How much of a model's own error message the refusal quotes (sklearn's "unknown categories" lists every value).
_QUOTED_ERROR_CHARS = 300

# Perturbations handled (and sent to the model) in one batch.  Large, because
# every model call has a fixed cost (validation, and for tree ensembles one
# parallel region per tree, whose thread barrier is slow on a busy machine);
# bounded in cells (rows x features) so that the batch's few float arrays stay
# within tens of megabytes however wide the data.
_MAX_BATCH_ROWS = 100_000
_MAX_BATCH_CELLS = 2_000_000
_CHECK_ROWS = 1000  # training rows on which fit checks that the decision function gives the probabilities


@dataclass(frozen=True)
class LocalFits:
    """The local linear models of a batch of rows.

    Attributes
    ----------
    coefficients : ndarray (n_rows, n_features[, n_outputs])
        Local slope per feature in original units (per unit of a numeric
        feature; for a categorical feature, the effect of having the row's
        level rather than another); zero for features not selected.
    intercepts : ndarray (n_rows[, n_outputs])
        The local model's value at the training mean (categoricals at their
        training frequencies).
    contributions : ndarray (n_rows, n_features[, n_outputs])
        Slope times the row's distance from the training mean.
    local_prediction : ndarray (n_rows[, n_outputs])
        The local model at the row: intercept plus contributions.
    model_output : ndarray (n_rows[, n_outputs])
        The explained model's own output (same scale) at the row.
    weighted_r2 : ndarray (n_rows,)
        Kernel-weighted R² of the local model on the perturbations it was fitted on.
    holdout_r2 : ndarray (n_rows,)
        Kernel-weighted R² on fresh perturbations of the row not used in the fit.
    selected : ndarray of bool (n_rows, n_features)
        The features each row's local model uses (for any output).

    Examples
    --------
    >>> import numpy as np
    >>> from glassbox.surrogate import LocalSurrogate
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 3))
    >>> model = lambda X: 2 * X[:, 0] - X[:, 2]
    >>> explainer = LocalSurrogate(model, max_features=2, task="regression", random_state=0).fit(X)
    >>> fits = explainer.local_fits(X[:2])
    >>> fits.coefficients.shape, fits.selected[0].tolist()
    ((2, 3), [True, False, True])
    >>> np.allclose(fits.intercepts + fits.contributions.sum(axis=1), fits.local_prediction)
    True
    >>> np.allclose(fits.local_prediction, fits.model_output)  # a linear model is its own local fit
    True
    """

    coefficients: np.ndarray
    intercepts: np.ndarray
    contributions: np.ndarray
    local_prediction: np.ndarray
    model_output: np.ndarray
    weighted_r2: np.ndarray
    holdout_r2: np.ndarray
    selected: np.ndarray


def _numeric_statistics(numeric, weights):
    """Mean and standard deviation of each numeric column, missing values left out, optionally weighted.

    A column with no present value (or no weight) gets 0 and 0, computed
    without warnings rather than by silencing them: ``warnings.catch_warnings``
    swaps the process-wide filters, which concurrent fits could leave changed.
    A column holding one value (in the rows of positive weight) gets exactly 0:
    rounding makes the spread of 0.1 repeated 1e-17, not 0, and the feature
    would be varied by that much, with a huge slope.
    """
    mean, std = _raw_numeric_statistics(numeric, weights)
    counted = ~np.isnan(numeric) if weights is None else ~np.isnan(numeric) & (weights[:, None] > 0)
    if counted.any():
        low = np.min(np.where(counted, numeric, np.inf), axis=0)
        high = np.max(np.where(counted, numeric, -np.inf), axis=0)
        std = np.where(low == high, 0.0, std)
    return mean, std


def _raw_numeric_statistics(numeric, weights):
    present = ~np.isnan(numeric)
    if weights is None:
        with_values = present.any(axis=0)
        if with_values.all():
            return np.nan_to_num(np.nanmean(numeric, axis=0)), np.nan_to_num(np.nanstd(numeric, axis=0))
        mean, std = np.zeros(numeric.shape[1]), np.zeros(numeric.shape[1])
        if with_values.any():
            mean[with_values] = np.nan_to_num(np.nanmean(numeric[:, with_values], axis=0))
            std[with_values] = np.nan_to_num(np.nanstd(numeric[:, with_values], axis=0))
        return mean, std
    w = np.where(present, weights[:, None], 0.0)
    total = w.sum(axis=0)
    filled = np.where(present, numeric, 0.0)
    weighed = total > 0  # no weight, no mean: 0, as nan_to_num made the 0/0 of such a column
    mean = np.divide((w * filled).sum(axis=0), total, out=np.zeros_like(total), where=weighed)
    variance = np.divide((w * (filled - mean) ** 2).sum(axis=0), total, out=np.zeros_like(total), where=weighed)
    return np.nan_to_num(mean), np.nan_to_num(np.sqrt(variance))


def _at_float32(numeric):
    """``numeric`` rounded to float32 precision, as float64: the numbers that tell rows apart for the seeds.

    A float32 copy of a float64 row (``0.1`` stored as ``0.10000000149``) rounds
    to the same numbers as the row, so both get one random stream; numbers that
    float32 holds exactly (integers, codes, float32 inputs) are kept as they
    are, and so are their seeds.  Rows closer than float32 tells apart share a
    stream (their explanations are then as close as the model's outputs).  A
    number beyond float32's range is kept whole.
    """
    with np.errstate(over="ignore"):
        rounded = numeric.astype(np.float32).astype(np.float64)
    return np.where(np.isinf(rounded) & np.isfinite(numeric), numeric, rounded)


def _level_frequencies(values, weights):
    """``(levels, probabilities)`` of a categorical column: its levels' (weighted) shares of present rows."""
    present = ~is_missing(values)
    kept = values[present]
    text = kept.astype(str)
    levels, inverse, counts = np.unique(text, return_inverse=True, return_counts=True)
    if weights is not None:
        counts = np.bincount(inverse.ravel(), weights=weights[present], minlength=len(levels))
        keep = counts > 0  # a level seen only in rows of weight zero is never drawn
        levels, counts = levels[keep], counts[keep]
    originals = {str(v): v for v in kept}
    return np.array([originals[l] for l in levels], dtype=object), counts / counts.sum()


class LocalSurrogate(StampsRelease, BaseEstimator):
    """Explain single predictions of any model with a sparse, local linear model.

    For each explained row, perturbations are drawn around it using training
    statistics (numeric features: the row's value plus Gaussian noise scaled by
    the feature's training standard deviation, or, with
    ``round_whole_numbers=True``, whole numbers for a feature holding only
    whole numbers in training;
    categorical features: a level
    drawn from the training frequencies; a missing value, numeric or
    categorical, stays missing, and a feature constant in training, or with
    a single level, keeps the row's value), the model labels them, and a linear
    model weighted by an exponential proximity kernel is fitted with at most
    ``max_features`` features (by default chosen by best-subset local search,
    greedy forward selection then swaps; see ``selection``).  The result
    is an *approximate* explanation: it adds up to the local model's output,
    and its local fidelity is reported next to it.

    All rows of a call are perturbed together, the model is called once per
    batch, and the small regressions are solved as a stack, so explaining many
    rows costs little more than the model's own predictions.

    Parameters
    ----------
    model : fitted model or callable
        What to explain (``predict_proba`` / ``decision_function`` / ``predict``,
        or a function ``f(X)``).
    max_features : int, default=5
        Features per explanation (at most).  A selected feature whose slope
        moves the local model by no more than ``1e-8`` of the output's spread
        in the neighbourhood (slope times the feature's spread there), or
        within the rounding of the outputs, is numerically zero: it is left
        out and the local model refitted without it, so a model that reads
        fewer features is explained by those alone.
    selection : {"l0", "forward"}, default="l0"
        How the features are chosen.  ``"l0"``: least squares capped at
        ``max_features`` features (the L0 constraint of
        :class:`~glassbox.SparseLinearRegressor`), solved by best-subset local
        search: forward selection, then single swaps of a selected feature for
        an unselected one while a swap lowers the weighted error; per row and
        per output.  ``"forward"``: greedy forward selection only, with one
        support shared by all outputs (LIME's forward selection).  Both run
        for all rows at once on stacks of small systems.
    n_samples : int, default=2000
        Perturbations per row used for the fit.
    n_holdout : int, default=500
        Further perturbations per row, used only to measure ``holdout_r2``.
    kernel_width : float or None, default=None
        Width ``w`` of the proximity kernel ``sqrt(exp(-d² / w²))`` on the
        standardised distance ``d``, in LIME's convention (the same number
        gives the same neighbourhood as ``lime``); ``None`` uses LIME's
        default ``0.75 * sqrt(n_features)``.  A width so narrow that a row
        keeps fewer effectively weighted perturbations than its local model has
        coefficients (``max_features + 1``, or ``n_features + 1`` when fewer)
        warns (its local model is then not determined by the model's
        outputs; when ``n_samples`` itself is that small, the warning names
        ``n_samples`` instead); a row none of whose held-out perturbations weighs anything
        has no ``holdout_r2`` (NaN; None in the explanation).
    scale : float, default=1.0
        Standard deviation of numeric perturbations, in training standard deviations.
    output : {"auto", "logit", "probability"}, default="auto"
        For classifiers, the scale explained: log-odds (binary) or centred
        log-probabilities (multiclass) for ``"auto"``/``"logit"``, or
        probabilities.  Regressors: the prediction.
    task : {"classification", "regression"} or None
        Inferred from ``model`` when ``None``; a plain callable needs it, or
        ``classes`` (a callable given ``classes`` is taken for a classifier).
    classes : array-like or None, default=None
        Classification: the class labels of the model's probability columns,
        in column order, for a model that does not know them (a function
        ``f(X)`` returning probabilities, or an object with ``predict_proba``
        but no ``classes_``), as :func:`~glassbox.surrogate.fidelity_report`
        takes them.  Without them such a model's columns are the classes
        ``0 .. K-1``.  A model with ``classes_`` keeps its own (``classes``
        other than those, or in another order, are refused).  Refused for a
        regression (``task="regression"``, or a model read as a regressor):
        a regressor's predictions have no classes to name.
    round_whole_numbers : bool, default=False
        Perturb a numeric feature holding only whole numbers in training (an
        ``int`` column, or floats such as ``3.0``) by whole numbers: each
        Gaussian draw is rounded to one of its two neighbouring whole numbers
        at random, the nearer the likelier (the draws stay centred on the row,
        and a count spread over less than one unit still varies), and one
        holding only 0 and 1 is drawn as a flag.  For a model that needs
        integers (a served model's schema, an encoder of a grade), which then
        is never asked about an age of 37.4.  Off by default: the local model
        then fits the model on a lattice rather than the smooth neighbourhood
        lime and the default use, which lowered its local R² on adult (an MLP:
        median 0.653 -> 0.637, see docs/surrogate.rst).  Draws are not clipped
        to the training range either way.
    random_state : int, RandomState or None, default=None
        Seeds the perturbations.  Each row has its own random stream, derived
        from ``random_state`` and the row's values, so under a fixed
        ``random_state`` a row's explanation depends on that row only: the
        same alone as in any batch, in any position, and for the row's
        float32 copy (its numbers are read at float32 precision).

    Attributes
    ----------
    n_features_in_, feature_names_in_, is_categorical_
    is_boolean_ : ndarray of bool (n_features,)
        Flag columns (``bool``, pandas ``boolean``, polars ``Boolean``; as
        every glassbox estimator records them): perturbed by drawing
        True / False with the training share of True (distance 0 or 1, as a
        category's), never by Gaussian noise, and sent to the model as flags.
    is_integer_ : ndarray of bool (n_features,)
        With ``round_whole_numbers=True`` (all False otherwise): numeric columns
        holding only whole numbers in the training rows (of
        positive weight), flags and constant columns aside: perturbed by whole
        numbers, and sent to the model in their dtype (an ``int64`` column as
        ``int64``; values beyond a small dtype's range, -1 in a ``uint8``
        column, as floats rather than wrapped round to 255).  One holding
        only 0 and 1 is drawn as a flag instead (see ``is_flag_``).
    is_flag_ : ndarray of bool (n_features,)
        Columns perturbed as flags: ``is_boolean_``, and (with
        ``round_whole_numbers=True``) integer columns holding only 0 and 1 in training (dummies stored as ``int``), which
        Gaussian draws rounded to whole numbers would ask about -1 and 2.
    mean_, scale_ : ndarray (n_features,)
        Training mean and standard deviation of numeric features (a standard
        deviation of 0, a feature constant in training: it is not varied).
    frequencies_ : dict of int -> (levels, probabilities)
    base_value_ : ndarray
        The model's mean output on the training rows (on the explained scale):
        every row of ``X`` passed to ``fit`` (weighted by ``sample_weight``;
        rows of weight zero left out), one pass of the model over them.
    classes_ : ndarray or None
    has_probabilities_ : bool
        False for a classifier with only ``decision_function`` (``LinearSVC``,
        ``RidgeClassifier``): its margin is no probability, so that margin is
        explained on its own scale (identity link, labelled "decision
        function"), and ``output="probability"`` is refused.
    decision_function_used_ : bool
        Whether the model's probabilities are read from its decision function
        (it reproduced ``predict_proba`` on the training rows checked at fit),
        saving a second pass of the model over every batch.

    Examples
    --------
    >>> import numpy as np
    >>> from glassbox.surrogate import LocalSurrogate
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 3))
    >>> model = lambda X: 2 * X[:, 0] - X[:, 2]
    >>> explainer = LocalSurrogate(model, max_features=2, task="regression", random_state=0).fit(X)
    >>> fits = explainer.local_fits(X[:2])
    >>> np.round(fits.coefficients[0], 3).tolist()
    [2.0, 0.0, -1.0]
    """

    _parameter_constraints = {
        "model": "no_validation",
        "max_features": [Interval(Integral, 1, None, closed="left")],
        "selection": [StrOptions({"l0", "forward"})],
        "n_samples": [Interval(Integral, 10, None, closed="left")],
        "n_holdout": [Interval(Integral, 0, None, closed="left")],
        "kernel_width": [Interval(Real, 0, None, closed="neither"), None],
        "scale": [Interval(Real, 0, None, closed="neither")],
        "output": [StrOptions({"auto", "logit", "probability"})],
        "task": [StrOptions({"classification", "regression"}), None],
        "classes": ["array-like", None],
        "round_whole_numbers": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(self, model, *, max_features=5, selection="l0", n_samples=2000, n_holdout=500, kernel_width=None,
                 scale=1.0, output="auto", task=None, classes=None, round_whole_numbers=False, random_state=None):
        self.model = model
        self.max_features = max_features
        self.selection = selection
        self.n_samples = n_samples
        self.n_holdout = n_holdout
        self.kernel_width = kernel_width
        self.scale = scale
        self.output = output
        self.task = task
        self.classes = classes
        self.round_whole_numbers = round_whole_numbers
        self.random_state = random_state

    def __setstate__(self, state):
        # A pickle written before round_whole_numbers existed varied every numeric column by real amounts and drew
        # only bool columns as flags: that is what its explanations keep doing.
        state = dict(state)
        state.setdefault("round_whole_numbers", False)
        if "is_boolean_" in state:
            state.setdefault("is_integer_", np.zeros(len(state["is_boolean_"]), dtype=bool))
            state.setdefault("is_flag_", np.asarray(state["is_boolean_"], dtype=bool).copy())
        super().__setstate__(state)

    @restores_state_on_failure
    def fit(self, X, y=None, sample_weight=None):
        """Record the training statistics that perturbations are drawn from.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows: their means, standard deviations and category
            frequencies shape the perturbations.
        y : ignored
        sample_weight : array-like of shape (n_samples,) or None
            Row weights for those statistics (a row of weight 2 counts as two
            copies of it, a row of weight 0 is left out) and for ``base_value_``.
        """
        validate_parameters(self)
        if not is_fitted_model(self.model):
            raise ValueError(
                f"The model {model_name(self.model)} is not fitted: LocalSurrogate explains a fitted model, "
                f"fit it first. {CLONE_NOTE.format(what='model')}"
            )
        X = polars_as_pandas(X)  # the model reads a polars frame as the pandas frame it stands for
        self._X_template = X.iloc[:0] if hasattr(X, "iloc") else None
        table = validate_tabular(self, X, reset=True)  # records is_boolean_: flags are perturbed as True / False
        weights = None if sample_weight is None else check_sample_weight(sample_weight, table.n_samples)
        self.task_ = infer_task(self.model, who="model", classes=self.classes) if self.task is None else self.task
        check_classes_for_task(self.task_, self.classes, who="model", task_given=self.task is not None)
        check_classes_of_model(self.model, self.classes, who="model")
        self.mean_, self.scale_ = _numeric_statistics(table.numeric, weights)
        if self.round_whole_numbers:
            self.is_integer_ = integer_columns(table.numeric, weights, self.is_categorical_, self.is_boolean_,
                                                self.scale_)
        else:
            self.is_integer_ = np.zeros(table.n_features, dtype=bool)
        self.is_flag_ = self.is_boolean_ | zero_one_columns(table.numeric, weights, self.is_integer_)
        self.frequencies_ = {j: _level_frequencies(values, weights) for j, values in table.categorical.items()}
        # rows of weight zero are left out of base_value_ (and never sent to the model)
        used = np.arange(table.n_samples) if weights is None else np.flatnonzero(weights > 0)
        # Checked once here rather than in every batch: the check asks the model about a
        # few rows, and each call has a fixed cost (one parallel region per tree for
        # tree ensembles, slow on a busy machine).
        self.decision_function_used_ = bool(
            self.task_ == "classification" and hasattr(self.model, "predict_proba")
            and decision_matches_proba(self.model, take_rows(X, used[:_CHECK_ROWS]), who="model"))
        self.base_value_ = self._mean_output(X, used, None if weights is None else weights[used])
        blas_controller()  # found once here, not in the first explanation
        return self

    def _mean_output(self, X, used, weights):
        """The model's (weighted) mean output over the rows ``used`` of ``X``; sets ``classes_``.

        Every row counts, in batches of at most ``_MAX_BATCH_ROWS`` so that a
        large training set needs no more memory than an explanation's batch:
        the mean of the first rows alone is wrong for data ordered by date, id
        or a feature, and would not treat a weight as copies of its row.
        """
        total, weight_total = 0.0, 0.0
        # the labels of a function's probability columns, as the user names them (a model with classes_ keeps its own)
        self.classes_ = None if self.classes is None or self.task_ == "regression" else np.asarray(self.classes)
        for start in range(0, len(used), _MAX_BATCH_ROWS):
            batch = used[start:start + _MAX_BATCH_ROWS]
            outputs = model_outputs(self.model, take_rows(X, batch), task=self.task_, who="model",
                                    classes=self.classes_, decision_trusted=self.decision_function_used_,
                                    decisions=False)
            self.classes_ = outputs.classes
            self.has_probabilities_ = self.task_ == "regression" or outputs.proba is not None
            explained = np.asarray(self._explained_scale(outputs), dtype=np.float64)
            batch_weights = np.ones(len(batch)) if weights is None else weights[start:start + _MAX_BATCH_ROWS]
            total = total + np.tensordot(batch_weights, explained, axes=1)
            weight_total += batch_weights.sum()
        return np.asarray(total / weight_total, dtype=np.float64)

    # -- scale of the explanation ----------------------------------------------------
    def _uses_probability(self):
        return self.task_ == "classification" and self.output == "probability"

    def _explained_scale(self, outputs):
        if self.task_ == "regression":
            return outputs.score
        if outputs.proba is None:
            if outputs.score is None:
                raise TypeError(
                    f"LocalSurrogate explains a classifier's probabilities or decision function, and "
                    f"{model_name(self.model)} gives class labels only: a label does not move with a small change "
                    "of a row, so no local slope can be read from it. Pass a model with predict_proba or "
                    "decision_function, or a function returning class probabilities (2-D, one column per class; "
                    "classes= names the columns)."
                )
            if self._uses_probability():
                raise ValueError(
                    f"The model {model_name(self.model)} has no predict_proba: its decision function is a margin, "
                    "not a probability. Use output='logit' (or 'auto') to explain the decision function itself."
                )
            return outputs.score - outputs.score.mean(axis=1, keepdims=True) if outputs.score.ndim == 2 else outputs.score
        if self._uses_probability():
            return outputs.proba[:, 1] if outputs.proba.shape[1] == 2 else outputs.proba
        return outputs.score

    def _explains_margin(self):
        """A classifier without probabilities: its decision function (a margin) is explained, on its own scale."""
        return self.task_ == "classification" and not self.has_probabilities_

    def _explanation_link(self):
        if self.task_ == "regression" or self._uses_probability() or self._explains_margin():
            return Link("identity")
        return link_for_classes(len(self.classes_))

    # -- perturbations -----------------------------------------------------------------
    def _row_seeds(self, table):
        """One seed per row of ``table``, from ``random_state`` and the row's own values.

        Each row's perturbations come from its own random stream, so under a
        fixed ``random_state`` a row's explanation depends on the row alone,
        not on the other rows of the call, their order or the batch they fall
        in: a row explained in a nightly batch is explained the same alone.
        A row's numbers are read at float32 precision (:func:`_at_float32`), so
        that its float32 copy (from a float32 feature store) is the same row.
        """
        call_seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        numeric = _at_float32(table.numeric)
        numeric = np.where(np.isnan(numeric), np.nan, numeric)  # one bit pattern for every NaN
        numeric = np.ascontiguousarray(numeric + 0.0)  # -0.0 reads as 0.0
        columns = sorted(table.categorical)
        texts = [np.where(is_missing(table.categorical[j]), "\x00", table.categorical[j].astype(str)) for j in columns]
        seeds = []
        for i in range(table.n_samples):
            digest = hashlib.blake2b(numeric[i].tobytes(), digest_size=16)
            for text in texts:
                digest.update(b"\x1f" + str(text[i]).encode())
            seeds.append((call_seed, int.from_bytes(digest.digest(), "little")))
        return seeds

    def _draws(self, seeds, n_per_row, n_normal, n_uniform, n_rounding=0):
        """Each row's Gaussian noise and uniforms, drawn from that row's own stream (see :meth:`_row_seeds`).

        The ``n_rounding`` uniforms that round integer columns' draws come after the others in the
        stream, so that the flags' and categories' draws do not depend on which columns hold whole numbers.
        """
        noise = np.empty((len(seeds), n_per_row, n_normal))
        uniform = np.empty((len(seeds), n_per_row, n_uniform))
        rounding = np.empty((len(seeds), n_per_row, n_rounding), dtype=np.float32)  # a chance: float32 is ample
        for r, seed in enumerate(seeds):
            # a Generator: its ziggurat sampler is several times faster than RandomState's
            generator = np.random.default_rng(seed)
            generator.standard_normal(out=noise[r])
            generator.random(out=uniform[r])
            if n_rounding:
                generator.random(dtype=np.float32, out=rounding[r])
        return noise, uniform, rounding

    def _perturb(self, table, rows, n_per_row, seeds):
        """Standardised design ``(n_rows, n_per_row, n_features)`` and the raw perturbations.

        ``seeds`` holds the seed of each of ``rows`` (from :meth:`_row_seeds`).
        """
        n_rows, n_features = len(rows), table.n_features
        numeric_columns = np.flatnonzero(~self.is_categorical_)
        boolean = np.flatnonzero(self.is_flag_[numeric_columns])  # positions among the numeric columns
        categorical_columns = list(table.categorical)
        # positions among the numeric columns (a 0/1 column is drawn as a flag instead)
        integer = np.flatnonzero((self.is_integer_ & ~self.is_flag_)[numeric_columns])
        noise, uniform, rounding = self._draws(seeds, n_per_row, len(numeric_columns),
                                               boolean.size + len(categorical_columns), integer.size)
        noise *= self.scale
        at_rows = table.numeric[rows][:, numeric_columns]
        constant = self.scale_[numeric_columns] == 0
        unit = np.where(constant, 1.0, self.scale_[numeric_columns])
        centre = (at_rows - self.mean_[numeric_columns]) / unit
        # a missing value stays missing, and a feature constant in training keeps the row's value (the data give
        # no scale to vary it on): neither is varied, and its design column stays 0, so it is never selected
        held = np.isnan(centre) | constant
        if integer.size:
            # a count or an age is asked about as a whole number (a model may need integers: an encoder of a
            # grade, a served model's schema), and the design holds the values asked.  Not clipped to the
            # training range, as no numeric draw is: at capital gain 0 (most of adult's rows) a one-sided
            # neighbourhood bends the slope, and the local models' R2 on a symmetric one fell from 0.41 to -0.31
            drawn = noise[:, :, integer]
            drawn *= unit[integer]
            drawn += at_rows[:, None, integer]
            whole = whole_draws(drawn, rounding)
            whole -= at_rows[:, None, integer]
            whole /= unit[integer]
            noise[:, :, integer] = whole
        noise[:, 0, :] = 0.0  # the row itself is one of its perturbations
        if held.any():
            noise[np.broadcast_to(held[:, None, :], noise.shape)] = 0.0
        if boolean.size:
            # the row's own flags (a missing one read as False: it is held, so never varied)
            at_row = np.nan_to_num(table.numeric[rows][:, numeric_columns[boolean]])[:, None, :]
            flags = self._draw_flags(at_row, self.mean_[numeric_columns[boolean]], held[:, boolean],
                                     uniform[:, :, :boolean.size])
            noise[:, :, boolean] = 0.0  # a flag's distance is 0 or 1 (added below), as a category's
        squared_distance = np.einsum("rsj,rsj->rs", noise, noise)
        if boolean.size:
            squared_distance += np.sum(flags != at_row, axis=2)
            noise[:, :, boolean] = (flags - at_row) / unit[boolean]
        z = noise  # the noise becomes the standardised design in place: one array less per batch
        z += np.where(held, 0.0, centre)[:, None, :]
        values = z * unit
        values += self.mean_[numeric_columns]
        if boolean.size:
            values[:, :, boolean] = flags  # exactly 0 or 1: the model is asked about False or True
        if integer.size:
            # exact whole numbers again after their round trip through the scale (the row itself may hold 2.5)
            values[:, 1:, integer] = np.round(values[:, 1:, integer])
        if held.any():
            kept = np.broadcast_to(held[:, None, :], values.shape)
            values[kept] = np.broadcast_to(at_rows[:, None, :], values.shape)[kept]  # NaN where missing
        if len(numeric_columns) == n_features:  # no categoricals: no copies into wider arrays
            design, numeric = z, values
        else:
            design = np.zeros((n_rows, n_per_row, n_features))
            numeric = np.empty((n_rows, n_per_row, n_features))
            numeric[:] = table.numeric[rows][:, None, :]
            design[:, :, numeric_columns] = z
            numeric[:, :, numeric_columns] = values
        categorical = {}
        for k, j in enumerate(categorical_columns):
            at_row = table.categorical[j][rows]
            levels, probabilities = self.frequencies_[j]
            drawn = np.empty((n_rows, n_per_row), dtype=object)
            if len(levels):
                # a level with the training frequencies: the uniform's place among the cumulative shares
                cumulative = np.cumsum(probabilities)
                chosen = np.searchsorted(cumulative, uniform[:, :, boolean.size + k], side="right")
                drawn = levels[np.minimum(chosen, len(levels) - 1)]
            drawn[:, 0] = at_row
            # a missing level stays missing, as a missing number does, and a feature with fewer than two training
            # levels keeps the row's value, as a constant number does: not varied, at distance 0, its design
            # column 0 (never selected); a missing value equals no level (pd.NA cannot be compared)
            as_is = is_missing(at_row) | (len(levels) < 2)
            drawn[as_is] = at_row[as_is][:, None]
            same = np.zeros(drawn.shape, dtype=bool)
            same[~as_is] = drawn[~as_is] == at_row[~as_is][:, None]
            design[:, :, j] = same
            squared_distance += np.where(as_is[:, None], 0.0, 1.0 - same)
            categorical[j] = drawn.reshape(-1)
        numeric[:, 0, :] = table.numeric[rows]
        distance = np.sqrt(squared_distance)
        return design, numeric.reshape(-1, n_features), categorical, distance

    @staticmethod
    def _draw_flags(at_row, share, held, uniform):
        """Perturbations of boolean columns: True with the training ``share`` of True, the row itself first.

        ``at_row`` holds each row's own flags as 0 / 1, shape ``(n_rows, 1, n_flags)``;
        ``uniform`` the rows' uniform draws, shape ``(n_rows, n_per_row, n_flags)``.
        Gaussian noise would ask the model about a yes/no field at -0.57 or
        0.26; a flag is flipped or kept instead (a missing flag stays missing:
        drawn as the row's own, i.e. not varied).
        """
        flags = (uniform < share).astype(np.float64)
        flags[:, :1, :] = at_row
        if held.any():
            flags = np.where(held[:, None, :], at_row, flags)
        return flags

    def _model_scale(self, numeric, categorical, n_rows, n_per_row):
        template = self._X_template
        X = rows_like(template if template is not None else np.zeros((0, self.n_features_in_)), None, numeric, categorical)
        try:
            outputs = model_outputs(self.model, X, task=self.task_, who="model", classes=self.classes_,
                                    decision_trusted=self.decision_function_used_, decisions=False)
        except (ValueError, TypeError) as exc:  # it read the training rows in fit: the perturbations are what is new
            if _raised_here(exc):  # our own check of its outputs (NaN, shapes) already says what is wrong
                raise
            raise ValueError(_perturbations_refused_message(self.model, exc)) from exc
        values = self._explained_scale(outputs)
        return values.reshape(n_rows, n_per_row, -1)

    def _kernel(self, distance):
        # LIME's kernel, sqrt(exp(-d^2 / w^2)) = exp(-d^2 / (2 w^2)), so that a width means
        # the same neighbourhood here and in lime.
        width = self.kernel_width if self.kernel_width is not None else 0.75 * np.sqrt(self.n_features_in_)
        return np.exp(-(distance**2) / (2.0 * width**2))

    # -- fitting -------------------------------------------------------------------------
    def _fit_rows(self, table, rows, seeds):
        n_fit, n_hold = self.n_samples, self.n_holdout
        design, numeric, categorical, distance = self._perturb(table, rows, n_fit + n_hold, seeds)
        targets = self._model_scale(numeric, categorical, len(rows), n_fit + n_hold)
        weights = self._kernel(distance)
        with_intercept = np.concatenate([np.ones(design.shape[:2] + (1,)), design], axis=2)
        fit_part, hold_part = slice(0, n_fit), slice(n_fit, None)
        # The fits run on the outputs less their weighted mean in the neighbourhood: an output of 1e6 + x read
        # as it is leaves the solve's ridge on the intercept (and rounding) an error of ~1e-4 to spread over
        # the slopes, which picked the wrong features (local R2 0.2 for an exactly linear model)
        level = weighted_mean(targets[:, fit_part], weights[:, fit_part], targets[:, 0, :])
        centred = targets - level[:, None, :]
        gram, cross = weighted_statistics(with_intercept[:, fit_part], centred[:, fit_part], weights[:, fit_part])
        if self.selection == "forward":
            support = forward_selection(gram, cross, self.max_features)
            beta = fit_on_support(gram, cross, support, with_intercept.shape[2])
        else:
            beta = self._l0_coefficients(gram, cross, centred[:, fit_part])
        kept = numerically_nonzero(beta, gram, cross, centred[:, fit_part], weights[:, fit_part],
                                    np.max(np.abs(targets), axis=1))
        if not kept[:, 1:, :].all():  # the least-squares fit on the features that remain
            kept[:, 1:, :] &= beta[:, 1:, :] != 0
            beta = fit_on_mask(gram, cross, kept)
        fit_r2 = weighted_r2(with_intercept[:, fit_part], centred[:, fit_part], weights[:, fit_part], beta)
        if n_hold:
            hold_r2 = weighted_r2(with_intercept[:, hold_part], centred[:, hold_part], weights[:, hold_part], beta)
        else:
            hold_r2 = np.full(len(rows), np.nan)
        beta[:, 0, :] += level
        # Kish's effective number of the fit's perturbations under the kernel (the row itself weighs 1)
        fit_weights = weights[:, fit_part]
        effective = fit_weights.sum(axis=1) ** 2 / np.sum(fit_weights**2, axis=1)
        return (beta, design[:, 0, :], targets[:, 0, :], fit_r2, hold_r2, np.any(beta[:, 1:, :] != 0, axis=2),
                effective)

    def _l0_coefficients(self, gram, cross, targets):
        """Per row and output, the L0-capped least-squares fit: forward start, then swaps.

        Every (row, output) pair is its own problem (its own support); all of
        them are solved as one stack on the shared Gram matrices.
        """
        n_rows, n_columns, n_outputs = cross.shape
        stacked_gram = np.repeat(gram, n_outputs, axis=0)
        stacked_cross = np.swapaxes(cross, 1, 2).reshape(n_rows * n_outputs, n_columns, 1)
        support = forward_selection(stacked_gram, stacked_cross, self.max_features)
        support = swap_search(stacked_gram, stacked_cross, support)
        beta = fit_on_support(stacked_gram, stacked_cross, support, n_columns)
        beta = np.swapaxes(beta.reshape(n_rows, n_outputs, n_columns), 1, 2).copy()
        flat = np.ptp(targets, axis=1) == 0  # a flat neighbourhood: intercept only
        beta[:, 1:, :][np.broadcast_to(flat[:, None, :], beta[:, 1:, :].shape)] = 0.0
        beta[:, 0, :] = np.where(flat, targets[:, 0, :], beta[:, 0, :])
        return beta

    def local_fits(self, X):
        """Fit the local model of every row of ``X``; see :class:`LocalFits`."""
        check_is_fitted(self)
        return self._local_fits(validate_tabular(self, X, reset=False))

    def _local_fits(self, table):
        seeds = self._row_seeds(table)
        batch_rows = min(_MAX_BATCH_ROWS, _MAX_BATCH_CELLS // (self.n_features_in_ + 1))
        chunk = max(1, batch_rows // (self.n_samples + self.n_holdout))
        parts = [self._fit_rows(table, np.arange(start, min(start + chunk, table.n_samples)), seeds[start:start + chunk])
                 for start in range(0, table.n_samples, chunk)]
        beta, at_row, model_output, fit_r2, hold_r2, selected, effective = (np.concatenate(p) for p in zip(*parts))
        self._warn_of_a_narrow_kernel(effective)
        # Reference point: the training mean (standardised 0) for numeric features and
        # the chance of meeting the row's level for categorical ones.
        reference = np.zeros_like(at_row)
        for j, values in table.categorical.items():
            levels, probabilities = self.frequencies_[j]
            chance = dict(zip(levels.tolist(), probabilities))
            reference[:, j] = [chance.get(v, 0.0) for v in values]
        slopes = beta[:, 1:, :]
        contributions = slopes * (at_row - reference)[:, :, None]
        intercepts = beta[:, 0, :] + np.einsum("rjo,rj->ro", slopes, reference)
        units = np.where(self.is_categorical_ | (self.scale_ == 0), 1.0, self.scale_)  # slope 0 where held
        squeeze = (lambda a: a[..., 0]) if slopes.shape[2] == 1 else (lambda a: a)
        return LocalFits(
            coefficients=squeeze(slopes / units[None, :, None]),
            intercepts=squeeze(intercepts),
            contributions=squeeze(contributions),
            local_prediction=squeeze(intercepts + contributions.sum(axis=1)),
            model_output=squeeze(model_output),
            weighted_r2=fit_r2,
            holdout_r2=hold_r2,
            selected=selected,
        )

    def _warn_of_a_narrow_kernel(self, effective):
        """Warn when the kernel leaves some row fewer effective perturbations than its model has coefficients."""
        needed = min(self.max_features, self.n_features_in_) + 1
        few = np.flatnonzero(effective < needed)
        if not few.size:
            return
        if self.n_samples < needed:  # no width can help: there are not that many perturbations to weigh
            warnings.warn(
                f"n_samples={self.n_samples} perturbations per row are fewer than the {needed} coefficients of a local "
                f"model with max_features={self.max_features}: the local models are not determined by the model's "
                f"outputs and their R2 figures mean little. Raise n_samples (at least {needed}; the default is "
                "2000) or lower max_features.",
                UserWarning, stacklevel=user_stacklevel())
            return
        width = self.kernel_width if self.kernel_width is not None else 0.75 * np.sqrt(self.n_features_in_)
        warnings.warn(
            f"kernel_width={width:.4g} weighs so few perturbations that {few.size} of {len(effective)} rows (at "
            f"positions {few[:5].tolist()}{', ...' if few.size > 5 else ''}) keep fewer than {needed} of their "
            f"{self.n_samples} (as few as {effective[few].min():.3g}, counted by Kish's effective size): their local "
            "models are not determined by the model's outputs and their R2 figures mean little. Widen kernel_width "
            f"(None: LIME's 0.75 * sqrt(n_features) = {0.75 * np.sqrt(self.n_features_in_):.4g}).",
            UserWarning, stacklevel=user_stacklevel())

    def explain_local(self, X):
        """Approximate local explanations of the rows of ``X``.

        Returns
        -------
        LocalExplanation
            ``approximate=True``.  Terms are the features plus ``"(local
            offset)"``, the difference between the local model's value at the
            training mean and ``base_value`` (the model's mean output), so each
            row adds up to its local model's value at the row.  ``fidelity``
            holds the per-row ``weighted_r2`` and ``holdout_r2`` (lists; the
            latter only when ``n_holdout > 0``), their medians, the model's
            own output at each explained row (``model_output``, in the units
            the terms add up to; each printed row shows it beside the local
            model's value and the gap), the model's decision there
            (``model_prediction``: its label for a classifier; reason codes
            head each row with it) and the mean absolute gap between the
            two.  A DataFrame's index labels the rows (``row_labels``).
        """
        check_is_fitted(self)
        table = validate_tabular(self, X, reset=False)  # once: a second reading would warn twice
        fits = self._local_fits(table)
        base = self.base_value_
        offset = fits.intercepts - base
        contributions = np.concatenate([fits.contributions, offset[:, None, ...]], axis=1)
        link = self._explanation_link()
        decision = fits.local_prediction
        labels, label_names = row_labels_of(X)
        return LocalExplanation(
            model=f"local surrogate of {model_name(self.model)}",
            term_names=tuple(feature_names_of(self)) + (LOCAL_OFFSET_TERM,),
            base_value=base,
            contributions=contributions,
            feature_names=tuple(feature_names_of(self)),
            feature_values=table.rows_as_objects(),
            decision=decision,
            prediction=self._prediction_of(decision, link),
            link=link,
            classes=self.classes_ if self.task_ == "classification" else None,
            notes=tuple(self._fidelity_note(w, h) for w, h in zip(fits.weighted_r2, fits.holdout_r2)),
            approximate=True,
            fidelity=self._fidelity(fits, self._model_decisions(table, fits)),
            output_name=self._output_name(),
            row_labels=labels,
            row_label_names=label_names,
            # a term per feature, and the offset, which reads none (never a reason)
            term_features=tuple((name,) for name in feature_names_of(self)) + ((),),
        )

    def _prediction_of(self, decision, link):
        """The label (or value) that outputs ``decision`` on the explained scale predict."""
        if link.is_classification:
            return np.asarray(self.classes_)[link.predict_index(decision)]
        if self._uses_probability():  # the most probable class
            most_probable = decision > 0.5 if decision.ndim == 1 else np.argmax(decision, axis=1)
            return np.asarray(self.classes_)[most_probable.astype(np.intp)]
        if self._explains_margin():  # the side of the margin (binary) or the largest decision value
            winner = decision > 0 if decision.ndim == 1 else np.argmax(decision, axis=1)
            return np.asarray(self.classes_)[winner.astype(np.intp)]
        return decision

    def _model_decisions(self, table, fits):
        """The model's own decision at each explained row: a classifier's ``predict`` where it has one.

        A tuned decision threshold (``FixedThresholdClassifier``) makes it another class than the most
        probable one; without ``predict`` the decision is read from the model's output at the row.
        """
        if self.task_ != "classification" or not hasattr(self.model, "predict"):
            return self._prediction_of(fits.model_output, self._explanation_link())
        template = self._X_template
        X = rows_like(template if template is not None else np.zeros((0, self.n_features_in_)), None,
                      table.numeric, table.categorical)
        return model_outputs(self.model, X, task=self.task_, who="model", classes=self.classes_,
                             decision_trusted=self.decision_function_used_).labels

    def _fidelity(self, fits, decisions):
        held_out = bool(self.n_holdout)  # nothing held out: no figure rather than an empty one
        fidelity = {
            "median_weighted_r2": float(np.median(fits.weighted_r2)),
            # rows without a held-out perturbation under the kernel have no figure (NaN): none at all gives None
            "median_holdout_r2": (float(np.nanmedian(fits.holdout_r2))
                                  if held_out and not np.all(np.isnan(fits.holdout_r2)) else None),
            "mean_abs_gap_at_row": float(np.mean(np.abs(fits.local_prediction - fits.model_output))),
            # per row, so each printed row shows the model's own output beside its approximation
            "model_output": np.asarray(fits.model_output, dtype=np.float64).tolist(),
            # the model's own decision at each row (reason codes head a row with it, not the approximation's)
            "model_prediction": np.asarray(decisions).tolist(),
            "weighted_r2": [float(v) for v in fits.weighted_r2],
            "holdout_r2": [None if np.isnan(v) else float(v) for v in fits.holdout_r2] if held_out else None,
        }
        return {key: value for key, value in fidelity.items() if value is not None}

    def _fidelity_note(self, fit_r2, holdout_r2):
        if not self.n_holdout:
            return f"local R2 {fit_r2:.3f} (fit; none held out, n_holdout=0)"
        if np.isnan(holdout_r2):
            return f"local R2 {fit_r2:.3f} (fit; no held-out perturbation weighs anything under the kernel)"
        return f"local R2 {fit_r2:.3f} (fit), {holdout_r2:.3f} (held out)"

    def _output_name(self):
        """What a probability explanation adds up to (an identity link would otherwise call it 'prediction')."""
        if self._explains_margin():
            return f"decision function ({self.classes_[1]})" if len(self.classes_) == 2 else "decision function ({class})"
        if not self._uses_probability():
            return None  # log-odds, softmax inputs and predictions are named from their link
        return f"P({self.classes_[1]})" if len(self.classes_) == 2 else "P({class})"


def _raised_here(error):
    """Whether glassbox itself raised ``error`` (its innermost frame is in the package), not the model."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and os.path.dirname(frame.tb_frame.f_code.co_filename).startswith(_PACKAGE_DIR)


def _perturbations_refused_message(model, error):
    """Why ``model`` failed (``error``) on the perturbed rows when it read the training rows, and what to do."""
    text = str(error)
    if len(text) > _QUOTED_ERROR_CHARS:
        text = text[:_QUOTED_ERROR_CHARS] + " ..."
    return (
        f"The model {model_name(model)} failed on the perturbed rows around the rows explained ({text}). "
        "LocalSurrogate varies each numeric column by Gaussian amounts (in training standard deviations), so a "
        "column of whole numbers is asked about values such as 2.37 (LocalSurrogate(..., round_whole_numbers=True) "
        "varies it by whole numbers instead, for a model that needs integers), and draws the levels of categorical "
        "columns from the training rows. A model that reads a numeric column as categories (a OneHotEncoder on a "
        "code column) has not seen other values, whole or not: pass that column as a pandas category "
        "(X.astype({<column>: 'category'}), for fit and explain_local) so that its levels are drawn instead, or "
        "let the encoder ignore unknown values (OneHotEncoder(handle_unknown='ignore'))."
    )
