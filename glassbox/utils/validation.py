"""Validation helpers shared by every family: constraints, weights and targets."""

import contextvars
import sys
import warnings
from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ..explain._columns import is_missing, plain_value  # noqa: F401 (plain_value: read from here too)
from ._context import set_within
from ._feature_keys import unknown_feature_error
from ._sklearn_shim import Interval, StrOptions

# n_jobs as scikit-learn reads it: None or -1 (the OpenMP thread limit, see utils/_threads.py), -2 (one
# fewer), ... or a positive count.
# 0 has no meaning; joblib refused it inside fit for some estimators while others ran it as 1.
N_JOBS_CONSTRAINT = [Interval(Integral, None, -1, closed="right"), Interval(Integral, 1, None, closed="left"), None]

# class_weight as scikit-learn's classifiers take it; apply_class_weight gives it its meaning.
CLASS_WEIGHT_CONSTRAINT = [dict, StrOptions({"balanced"}), None]


# the refusal of monotonic_cst on a multiclass target, GAM and multinomial linear model alike: softmax
# ignores what is added to every class, so a class score rising with a feature says nothing of the class's probability
MULTICLASS_MONOTONIC_REFUSAL = (
    "monotonic_cst is not supported for multiclass classification: a class score that rises "
    "with a feature does not make its probability rise. Fit one-vs-rest binary models instead."
)


def _is_glassbox_module(name):
    """Whether a frame's module is glassbox's own: a submodule, or the package (``glassbox.from_json``)."""
    return name == "glassbox" or name.startswith("glassbox.")


def user_stacklevel():
    """The ``stacklevel`` that makes a warning point at the first frame outside glassbox.

    Called from the function that warns: a fixed level would land inside glassbox,
    since the depth from the public method differs by entry point (predict,
    explain_local, a distilled model's student ...), and users could then neither
    see nor filter their own line.
    """
    frame, level = sys._getframe(1), 1
    while frame is not None and _is_glassbox_module(frame.f_globals.get("__name__", "")):
        frame, level = frame.f_back, level + 1
    return level


#: True while glassbox re-reads rows whose untrained values it has already warned of (per thread and task).
_UNTRAINED_VALUES_WARNED = contextvars.ContextVar("glassbox_untrained_values_warned", default=False)


def untrained_values_already_warned():
    """Within this block, in the calling thread (or asyncio task) only, values never seen in training are not warned of.

    For rows glassbox reads a second time (reason codes re-explain reference
    rows that were warned of when they were first explained).  A context
    variable, where ``warnings.catch_warnings`` would swap the process-wide
    filter list: concurrent calls could then restore each other's "ignore"
    and silence every later warning of the process.
    """
    return set_within(_UNTRAINED_VALUES_WARNED, True)


def warns_of_untrained_values():
    """False inside :func:`untrained_values_already_warned` (this thread or task), else True."""
    return not _UNTRAINED_VALUES_WARNED.get()


# Items a warning names before it gives the count of the rest: a wide one-hot design or a
# high-cardinality category would otherwise fill a log with thousands of names.
MAX_NAMED_IN_WARNING = 10


def capped_list(items, limit=MAX_NAMED_IN_WARNING, render=repr):
    """``items`` as a list for a message: the first ``limit``, then how many more there are.

    ``render`` writes the shown items (a list): ``repr`` by default, ``", ".join``
    for items already written as the message should show them.

    Examples
    --------
    >>> from glassbox.utils.validation import capped_list
    >>> capped_list(["a", "b"])
    "['a', 'b']"
    >>> capped_list([f"x{i}" for i in range(25)], limit=3)
    "['x0', 'x1', 'x2'] ... and 22 more"
    >>> capped_list(["'age' (2 times)", "'id' (3 times)"], limit=1, render=", ".join)
    "'age' (2 times) ... and 1 more"
    """
    items = list(items)
    shown = render(items[:limit])
    return shown if len(items) <= limit else f"{shown} ... and {len(items) - limit:,} more"


def numbers_written_as_text(levels):
    """The levels that are not numbers when ``levels`` are numbers written as text, else None.

    The usual cause is a numeric column read from a file with a text marker for
    missing values ("?", "N/A", "<5"), which makes the whole column text (and it
    stays text after those rows are dropped).  The rule: at least two levels are
    numbers, and the others are few: at most two (or a tenth of the levels, when
    that is more) and fewer than the numbers.  A level is a number when
    ``float()`` reads it as a finite value; ``True`` / ``False`` are not numbers.

    Parameters
    ----------
    levels : sequence
        The distinct non-missing levels of one categorical column.

    Returns
    -------
    list or None
        The non-numeric levels (sorted as text; empty when every level is a
        number), or None when the column is not numbers written as text.
    """
    numbers, others = 0, []
    allowed = max(2, len(levels) // 10)
    for level in levels:
        if _is_number(level):
            numbers += 1
        else:
            others.append(level)
            if len(others) > allowed:  # a text column: no need to read every level
                return None
    if numbers < 2 or len(others) >= numbers:
        return None
    return sorted(others, key=str)


def _is_number(level):
    if isinstance(level, (bool, np.bool_)):
        return False
    if isinstance(level, Real):
        return bool(np.isfinite(level))
    try:
        return bool(np.isfinite(float(level)))
    except (TypeError, ValueError, OverflowError):
        return False


def warn_of_numbers_written_as_text(feature, levels, position=None):
    """Warn at ``fit`` that the text column ``feature`` holds numbers (see :func:`numbers_written_as_text`).

    Read as text, each number is a level of its own: the model loses their order
    (no ``x >= 2`` condition, no trend) and a marker such as ``"?"`` is a level
    rather than a missing value.  Silenced by declaring the column categorical.
    ``position``: the column's index when X has no column names (an array, whose
    fix is no ``X[name]``).
    """
    others = numbers_written_as_text(levels)
    if others is None:
        return
    shown = repr(others[:5])[:-1] + (", ...]" if len(others) > 5 else "]")
    what = "all its levels are numbers" if not others else f"its levels are numbers but for {shown}"
    if position is None:
        fix = (f"convert it with pd.to_numeric(X[{feature!r}], errors='coerce') (text markers become missing values) "
               f"before fitting; if it is categorical, declare it (X[{feature!r}].astype('category'), or name it in "
               "categorical_features)")
    else:
        fix = (f"give column {position} as numbers before fitting (a NumPy array of text, as np.array makes of rows "
               "mixing numbers and text, holds text throughout: build it with dtype=object, or pass a DataFrame); "
               f"if it is categorical, declare it (categorical_features=[{position}])")
    warnings.warn(
        f"Categorical feature {feature!r} looks like numbers written as text: {what}. As text, each number is a "
        f"level of its own, with no order (no threshold such as {feature} >= 2)"
        + (", and a text marker is a level rather than a missing value" if others else "")
        + f". If it is numeric, {fix} to silence this warning.",
        UserWarning, stacklevel=user_stacklevel(),
    )


def check_monotonic_cst(monotonic_cst, feature_names, *, is_categorical=None, allow_categorical=False,
                        positional_names=False):
    """Validate ``monotonic_cst`` and return one int8 per feature (-1, 0 or +1).

    Parameters
    ----------
    monotonic_cst : None, array-like of int, dict or pandas Series
        ``None`` (no constraint); one entry per feature; or a dict keyed by
        feature name or index with values -1 (decreasing) or +1 (increasing).
        A pandas Series is read by its index, as a dict (its order need not be
        the columns').
    feature_names : list of str
    is_categorical : ndarray of bool, optional
        Constraints on categorical features have no direction and are rejected
        unless ``allow_categorical``.
    positional_names : bool, default=False
        The model was fitted without column names (``feature_names`` are
        ``x0, x1, ...``): an unknown name's error says so.
    """
    n_features = len(feature_names)
    out = np.zeros(n_features, dtype=np.int8)
    if monotonic_cst is None:
        return out
    pandas = sys.modules.get("pandas")  # optional: a Series can only exist once pandas is imported
    if pandas is not None and isinstance(monotonic_cst, pandas.Series):
        # A Series is keyed by its index: reading it by position would put the constraint of
        # "income" on whichever feature happens to come second in the Series.
        monotonic_cst = dict(monotonic_cst.items())
    if isinstance(monotonic_cst, Mapping):
        for key, value in monotonic_cst.items():
            if isinstance(key, str):
                if key not in feature_names:
                    raise unknown_feature_error(key, "monotonic_cst", feature_names,
                                                positional_names=positional_names)
                index = feature_names.index(key)
            elif isinstance(key, (int, np.integer)) and 0 <= key < n_features:
                index = int(key)
            else:
                raise ValueError(
                    f"monotonic_cst key {key!r} is neither a feature name nor an index in [0, {n_features})."
                )
            out[index] = _constraint_value(value, key)
    else:
        values = _flat_constraints(monotonic_cst, n_features)
        if values.shape[0] != n_features:
            raise ValueError(
                f"monotonic_cst has {values.size} entr{'y' if values.size == 1 else 'ies'} but X has {n_features} features; "
                "give one of -1, 0, +1 per feature, or a dict keyed by feature name."
            )
        for j, value in enumerate(values):
            out[j] = _constraint_value(value, feature_names[j])
    if is_categorical is not None and not allow_categorical:
        bad = [feature_names[j] for j in np.flatnonzero((out != 0) & np.asarray(is_categorical))]
        if bad:
            raise ValueError(
                f"monotonic_cst constrains the categorical features {bad}; categories have no order, "
                "so a monotonic constraint on them has no meaning. Remove those entries or encode "
                "the feature as an ordered number."
            )
    return out


def _flat_constraints(monotonic_cst, n_features):
    """``monotonic_cst`` as a 1-D array, or a ValueError that gives the shape it has.

    A nested list (``[[1, 0, 0]]``) was refused as "has 3 entries but X has 3
    features": the count was right and the shape was not.
    """
    expected = (f"a flat list of one value (-1, 0 or +1) per feature, {n_features} in all, "
                "or a dict keyed by feature name")
    try:
        values = np.asarray(monotonic_cst)
    except ValueError:  # ragged nesting: NumPy cannot make an array of it
        raise ValueError(f"monotonic_cst must be {expected}; got a nested list of uneven lengths.") from None
    if values.ndim != 1:
        got = "a single value" if values.ndim == 0 else f"shape {values.shape}"
        raise ValueError(f"monotonic_cst must be {expected}; got {got}.")
    return values


def _constraint_value(value, where):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or number != value or number not in (-1, 0, 1):
        raise ValueError(
            f"monotonic_cst for {plain_value(where)!r} is {plain_value(value)!r}; use -1 (decreasing), 0 or +1 (increasing)."
        )
    return number


def check_sample_weight(sample_weight, n_samples):
    """Validate ``sample_weight``: one finite, non-negative weight per row, not all zero.

    Returns float64 weights (ones when ``sample_weight`` is None).
    """
    if sample_weight is None:
        return np.ones(n_samples, dtype=np.float64)
    if np.isscalar(sample_weight):
        weights = np.full(n_samples, float(sample_weight))
    else:
        weights = np.asarray(sample_weight, dtype=np.float64)
        if weights.ndim != 1 or weights.shape[0] != n_samples:
            raise ValueError(
                f"sample_weight.shape == {weights.shape}, expected ({n_samples},): pass one weight per row of X."
            )
    if not np.all(np.isfinite(weights)):
        raise ValueError("sample_weight contains NaN or infinity; weights must be finite.")
    if np.any(weights < 0):
        raise ValueError("Negative values in sample_weight are not allowed; weights must be >= 0.")
    if not np.any(weights > 0):
        raise ValueError("sample_weight is zero for every row; at least one row needs a positive weight.")
    return weights


def apply_class_weight(class_weight, classes, y_codes, sample_weight):
    """Row weights with ``class_weight``: each row's sample weight times the weight of its class.

    scikit-learn's meaning, so a grid search over ``class_weight`` reads as it does for its
    classifiers: ``{class: weight}`` weighs the classes it names (the others weigh 1);
    ``"balanced"`` weighs class k by ``sum(w) / (n_classes * sum of w over class k)``
    (:func:`sklearn.utils.class_weight.compute_class_weight` with ``sample_weight``, computed
    here because scikit-learn 1.6 takes no ``sample_weight`` there), so every class carries the
    same total weight and the total stays ``sum(w)``.

    Parameters
    ----------
    class_weight : dict, "balanced" or None
    classes : ndarray of shape (n_classes,)
        The sorted labels (``classes_``).
    y_codes : ndarray of int of shape (n_samples,)
        Each row's index into ``classes``.
    sample_weight : ndarray of float64 of shape (n_samples,)
        As :func:`check_sample_weight` returns it.

    Returns
    -------
    ndarray of float64 of shape (n_samples,)
        ``sample_weight`` itself when ``class_weight`` is None.
    """
    if class_weight is None:
        return sample_weight
    class_totals = np.bincount(y_codes, weights=sample_weight, minlength=len(classes))
    if isinstance(class_weight, str):  # "balanced" (the parameter constraints allow no other string)
        # a class whose rows all weigh zero stays at zero whatever its factor: 1
        per_class = np.ones(len(classes))
        np.divide(class_totals.sum(), len(classes) * class_totals, out=per_class, where=class_totals > 0)
    else:
        per_class = _class_weight_vector(class_weight, classes)
    weights = sample_weight * per_class[y_codes]
    removed = (class_totals > 0) & (np.bincount(y_codes, weights=weights, minlength=len(classes)) <= 0)
    if removed.any():
        label = plain_value(classes[np.flatnonzero(removed)[0]])
        raise ValueError(
            f"class_weight removes every row of class {label!r} (its weight is {float(per_class[removed][0])!r}); "
            "the model would still predict that class without having learnt it. Give it a positive weight, "
            "or drop its rows from X and y."
        )
    return weights


def _class_weight_vector(class_weight, classes):
    """One weight per class from a ``{label: weight}`` dict; unnamed classes weigh 1."""
    labels = [plain_value(c) for c in classes]
    unknown = [plain_value(key) for key in class_weight if key not in labels]
    if unknown:
        raise ValueError(
            f"class_weight has keys {unknown} that are not classes of y; the classes are {labels}. "
            "Key the dict by the labels as they appear in y."
        )
    per_class = np.ones(len(classes), dtype=np.float64)
    for index, label in enumerate(labels):
        if label in class_weight:
            value = class_weight[label]
            try:
                per_class[index] = float(value)
            except (TypeError, ValueError):
                per_class[index] = np.nan
            if not (np.isfinite(per_class[index]) and per_class[index] >= 0):
                raise ValueError(
                    f"class_weight[{label!r}] is {plain_value(value)!r}; class weights must be finite numbers >= 0."
                )
    return per_class


def labels_as_numpy(y):
    """pandas ``boolean`` / ``Int64`` / ``Float64`` values without missing entries in their NumPy dtype.

    scikit-learn reads them as float64, so ``True``/``False`` labels came back as 1.0/0.0 and
    ``Int64`` labels as floats; with a missing entry they stay as they are (and are rejected).
    """
    dtype = getattr(y, "dtype", None)
    numpy_dtype = getattr(dtype, "numpy_dtype", None)
    if numpy_dtype is None or isinstance(dtype, np.dtype) or getattr(y, "ndim", 0) != 1 or not hasattr(y, "isna"):
        return y
    if np.asarray(y.isna()).any():
        return y
    return y.to_numpy(dtype=numpy_dtype)


def _target_1d(y, n_samples, estimator_name):
    if y is None:
        raise ValueError(f"{estimator_name} requires y to be passed, but the target y is None.")
    y = labels_as_numpy(y)
    if isinstance(getattr(y, "dtype", None), np.dtype) and y.dtype.kind in "iub" and getattr(y, "ndim", 0) == 1:
        y = np.asarray(y)  # a 1-D array or Series of integers: nothing for column_or_1d to do
    else:
        y = column_or_1d(y, warn=True)
    if n_samples is not None and y.shape[0] != n_samples:
        raise ValueError(f"X has {n_samples} rows but y has {y.shape[0]} entries; they must match.")
    return y


def check_regression_target(y, n_samples=None, *, estimator_name="This regressor"):
    """Check a regression target: 1-D, numeric, finite, one per row. Returns float64."""
    y = _target_1d(y, n_samples, estimator_name)
    try:
        y = y.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{estimator_name} needs a numeric target y; got values of type {y.dtype}.") from exc
    check_finite_target(y)
    return check_target_scale(y)


def check_finite_target(y):
    """Refuse a float target with NaN or infinity, counting the rows and naming the usual cause and the fix."""
    finite = np.isfinite(y)
    if finite.all():
        return
    n_nan = int(np.count_nonzero(np.isnan(y)))
    n_inf = int(y.shape[0] - finite.sum()) - n_nan
    found = " and ".join(part for part in (f"NaN in {n_nan}" if n_nan else "", f"infinity in {n_inf}" if n_inf else "")
                         if part)
    raise ValueError(
        f"Input y contains {found} of {y.shape[0]} rows; drop or impute those rows before fitting. A rate "
        "y = counts / exposure is NaN (0/0) or infinite where the exposure is 0: drop those rows, whose "
        "sample_weight=exposure is zero anyway."
    )


def check_groups(groups, n_samples, needed_by):
    """``groups`` as an array of one label per row, or None; ``needed_by`` names the caller in the message."""
    if groups is None:
        return None
    groups = np.asarray(groups)
    if groups.shape != (n_samples,):
        raise ValueError(f"groups has shape {groups.shape}; {needed_by} needs one group label per row of X, "
                         f"shape ({n_samples},).")
    return groups


def deviance_power(loss, power=None):
    """The Tweedie power of a log-link ``loss``'s deviance: 1 for Poisson, 2 for Gamma, ``power`` for Tweedie."""
    return {"poisson": 1.0, "gamma": 2.0}.get(loss, None if power is None else float(power))


def deviance_explained(y, prediction, sample_weight, loss, power=None):
    """D^2 of a log-link ``loss``: ``1 - D(y, prediction) / D(y, mean y)`` with the loss's (weighted) deviance.

    :func:`sklearn.metrics.d2_tweedie_score` at power 1 (Poisson), 2 (Gamma)
    or ``power`` (Tweedie), as ``PoissonRegressor.score`` and its siblings
    give; the score of every log-link regressor of the library.  Rows of zero
    ``sample_weight`` do not count (nor is their ``y`` checked: a Gamma
    severity weighted by claim count carries amount 0 where there is no claim).
    """
    from sklearn.metrics import d2_tweedie_score

    y, prediction = np.asarray(y, dtype=np.float64), np.asarray(prediction, dtype=np.float64)
    if sample_weight is not None:
        sample_weight = check_sample_weight(sample_weight, len(y))
        weighted = sample_weight > 0
        prediction, y, sample_weight = prediction[weighted], y[weighted], sample_weight[weighted]
    return float(d2_tweedie_score(y, prediction, sample_weight=sample_weight, power=deviance_power(loss, power)))


def check_tweedie_power(power):
    """Refuse a Tweedie power outside (1, 2), naming the loss the power stands for."""
    if 1 < power < 2:
        return
    equivalent = {1: " power=1 is the Poisson loss: use loss='poisson'.", 2: " power=2 is the Gamma loss: use "
                  "loss='gamma' (y > 0).", 0: " power=0 is squared error: use loss='squared_error'."}
    raise ValueError(
        f"loss='tweedie' takes 1 < power < 2 (compound Poisson-Gamma), got power={power!r}."
        + equivalent.get(power, " Powers outside (1, 2) are not available.")
    )


def missing_values_error(model_name, columns):
    """The ValueError for missing values given to ``model_name``, a model that does not handle them.

    ``columns``: the names of the features holding them.  Worded for the
    estimator and for its explanation loaded from JSON alike.
    """
    return ValueError(
        f"Input X contains NaN (missing values) in columns {list(columns)}; {model_name} "
        "does not handle missing values. Impute them first (e.g. sklearn.impute.SimpleImputer) "
        "or use a model family that handles them natively (GAM, rules, risk scores)."
    )


def check_log_link_target(y, weights, loss):
    """Refuse a target the log-link ``loss`` has no deviance for, naming a loss that takes it.

    Rows of zero weight do not enter the fit and are not checked: a Gamma
    severity model weighted by claim count may carry amount 0 on policies
    without a claim.
    """
    weights = np.asarray(weights)
    weighted = weights > 0
    y_fitted = y[weighted]
    if loss == "gamma" and np.any(y_fitted <= 0):
        raise ValueError(
            f"loss='gamma' needs a strictly positive target (amounts), but y has {np.count_nonzero(y_fitted <= 0)} "
            f"value(s) <= 0 in rows of positive sample_weight (smallest {float(y_fitted.min())!r}). Drop those rows "
            "(or give them sample_weight 0), or use loss='tweedie' (1 < power < 2) for amounts with exact zeros such "
            "as pure premium, loss='poisson' for counts, or loss='squared_error' for a target that can be negative."
        )
    if np.any(y_fitted < 0):
        raise ValueError(
            f"loss={loss!r} needs a non-negative target (counts or amounts), but y has "
            f"{np.count_nonzero(y_fitted < 0)} negative value(s) in rows of positive sample_weight (smallest "
            f"{float(y_fitted.min())!r}). Drop those rows (or give them sample_weight 0), or use "
            "loss='squared_error' for a target that can be negative."
        )
    if not np.sum(weights[weighted] * y_fitted) > 0:
        raise ValueError(
            f"loss={loss!r} needs a target that is not zero in every row of positive weight: the model is the "
            "log of the mean of y, and the log of a zero mean is -inf. Check the target column; "
            "loss='squared_error' fits a constant-zero target."
        )


def check_target_scale(y):
    """Refuse a float64 target that varies on a scale float64 arithmetic cannot square.

    As for a feature (docs/inputs.rst): ``y = +-1e300`` squares to infinity,
    and a squared-error fit then predicts a constant (or a BLAS routine
    prints an error) without a word; a spread that squares to zero is lost
    the same way.  Returns ``y``.
    """
    if y.size < 2 or np.all(y == y[0]):
        return y
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        spread = float(np.std(y))
    if not (np.isfinite(spread) and spread > 0):
        raise ValueError(
            f"The target y varies on a scale float64 arithmetic cannot square (values from {float(y.min())!r} "
            f"to {float(y.max())!r}, standard deviation {spread!r}); rescale it to ordinary magnitudes "
            "(e.g. change its units) before fitting, and scale the predictions back."
        )
    return y


def check_classification_target(y, n_samples=None, *, sample_weight=None, binary_only=False,
                                estimator_name="This classifier"):
    """Check a classification target; return ``(classes, encoded_y)``.

    Raises a clear error for a missing or continuous target, a single class,
    or (with ``binary_only``) more than two classes.

    With ``sample_weight`` the classes are those of the rows of positive
    weight, since a row of weight zero is as good as absent: a label that only
    such rows hold is no class (it is not in ``classes``, so a binary target
    stays binary), a ``UserWarning`` names it, and its rows get the code 0
    (they weigh nothing in any fit).  scikit-learn's classifiers keep such a
    label as a class that they never predict.
    """
    y = _target_1d(y, n_samples, estimator_name)
    if y.dtype.kind not in "iub":
        _check_no_missing_labels(y)
    if not (y.dtype.kind in "iub" and y.size):  # integer labels are always classes
        try:
            check_classification_targets(y)
        except ValueError as error:
            _raise_if_mixed_label_types(y, error)
            raise
    classes, encoded = np.unique(y, return_inverse=True)
    encoded = encoded.astype(np.intp)
    weightless = np.zeros(len(classes), dtype=bool)
    if sample_weight is not None:
        weights = check_sample_weight(sample_weight, y.shape[0])
        weightless = np.bincount(encoded, weights=weights, minlength=len(classes)) <= 0
    if len(classes) - weightless.sum() < 2:
        among = " among the rows of positive sample_weight" if weightless.any() else ""
        raise ValueError(
            f"The target has only one class ({plain_value(classes[~weightless][0])!r}){among}; a classifier needs "
            "at least two classes to learn from. Check the labels (or the rows selected) before fitting."
        )
    if weightless.any():
        classes, encoded = _without_weightless_classes(classes, encoded, weightless)
    if binary_only and len(classes) > 2:
        raise ValueError(  # scikit-learn's words first: its checks and searches recognise them
            f"Only binary classification is supported: {estimator_name} describes one event, but the target has "
            f"{len(classes)} classes {capped_list([plain_value(c) for c in classes])}; reduce it to two classes "
            "(the event against the rest), or use a multiclass model (GAMClassifier, SparseLinearClassifier, "
            "BayesianRuleListClassifier, DecisionSetClassifier)."
        )
    return classes, encoded


def _raise_if_mixed_label_types(y, error):
    """Name the types of an object target that mixes numbers and text (scikit-learn calls it "unknown",
    and suggests a regression target)."""
    if y.dtype != object:
        return
    kinds = sorted({type(v).__name__ for v in y})
    if len(kinds) > 1 and all(isinstance(v, (Real, np.bool_)) for v in y):
        raise ValueError(
            f"{error} Here y is an object array of numbers only (types {kinds}): store it as numbers, "
            "y.astype(int) for whole-number labels or y.astype(float), so that equal numbers are one class."
        ) from None
    if len(kinds) > 1:
        raise ValueError(
            f"{error} Here y mixes labels of types {kinds}, so 1 and '1' would be two classes and the labels "
            "cannot be sorted. Give labels of one type: y.astype(str) for text labels, or map the text ones to "
            "numbers."
        ) from None


def _without_weightless_classes(classes, encoded, weightless):
    """The classes and codes without the classes whose rows all weigh zero; their rows get code 0."""
    labels = [plain_value(c) for c in classes[weightless]]
    n_rows = int(np.isin(encoded, np.flatnonzero(weightless)).sum())
    which = f"Class {labels[0]!r} has" if len(labels) == 1 else f"Classes {labels} have"
    warnings.warn(
        f"{which} sample_weight 0 in every row ({n_rows} row{'s' if n_rows != 1 else ''}): "
        "as rows of weight zero are as good as absent, "
        f"{'it is' if len(labels) == 1 else 'they are'} left out of classes_ and never predicted. Give some of "
        "those rows a positive weight to keep the class, or drop them from X and y to silence this warning.",
        UserWarning, stacklevel=user_stacklevel(),
    )
    new_codes = np.cumsum(~weightless) - 1
    new_codes[weightless] = 0
    return classes[~weightless], new_codes[encoded].astype(np.intp)


def _check_no_missing_labels(y):
    # NaN / None among the labels: sklearn's message names no fix, and strings mixed with
    # None make np.unique raise a TypeError about comparing them.
    missing = is_missing(y) if y.dtype.kind in "fO" else None
    if missing is not None and missing.any():
        raise ValueError(
            f"Input y contains NaN (missing labels) in {int(missing.sum())} of {y.shape[0]} rows; "
            "drop those rows or fill in their labels before fitting."
        )
