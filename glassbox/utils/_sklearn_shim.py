"""The only module that touches scikit-learn's private API.

Everything glassbox needs from private scikit-learn modules is imported here,
so a scikit-learn upgrade that moves them breaks one file.
"""

import contextvars
from itertools import takewhile
from numbers import Complex, Integral, Number, Real

import numpy as np
import sklearn
from sklearn.utils._param_validation import (  # noqa: F401
    HasMethods,
    Hidden,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    make_constraint,
)
from sklearn.utils.validation import _get_feature_names
from sklearn.utils.validation import validate_data as _validate_data

from ._context import set_within

__all__ = [
    "HasMethods", "Interval", "Options", "StrOptions", "feature_names_checked_by", "forest_draws_skip_zero_weight_rows",
    "forest_fitted_rows", "harness_check_bugs", "sklearn_release", "validate_data", "validate_parameters",
]

#: The estimator that has just checked the rows' columns, while its inner model reads them (per thread and task).
_COLUMNS_CHECKED_BY = contextvars.ContextVar("glassbox_columns_checked_by", default=None)


def feature_names_checked_by(estimator):
    """Within this block (calling thread or asyncio task only), ``validate_data(inner, X, reset=False)`` of an
    ``inner`` estimator fitted on the same columns as ``estimator`` does not check them again.

    A model that delegates to an inner one (a distilled copy to its student)
    checks names and column count itself, naming itself in scikit-learn's
    feature-names warning; the inner model's check would repeat that warning
    naming a model the user never called.  A context variable, where
    ``warnings.catch_warnings`` would swap the process-wide filter list:
    concurrent calls could then leave the warning silenced for the process.
    """
    return set_within(_COLUMNS_CHECKED_BY, estimator)


def _same_fitted_columns(checked, estimator):
    if checked is None or getattr(checked, "n_features_in_", None) != getattr(estimator, "n_features_in_", None):
        return False
    names, own = getattr(checked, "feature_names_in_", None), getattr(estimator, "feature_names_in_", None)
    return (names is None) == (own is None) and (names is None or np.array_equal(names, own))


def validate_parameters(estimator):
    """Check ``estimator``'s parameters against its ``_parameter_constraints``.

    Raises scikit-learn's ``InvalidParameterError`` (a ``ValueError``) naming the
    parameter and the allowed values.  A boolean is refused where the
    constraints take numbers but no boolean: scikit-learn's intervals take
    ``True`` for the integer 1 (``n_iter=True`` ran one iteration, or crashed
    deep in compiled code), while NumPy's ``np.True_`` is refused.
    """
    estimator._validate_params()
    params = estimator.get_params(deep=False)
    for name, constraints in estimator._parameter_constraints.items():
        value = params.get(name)
        if isinstance(value, (bool, np.bool_)) and constraints != "no_validation" and not _takes_booleans(constraints):
            shown = [make_constraint(c) for c in constraints if not isinstance(c, Hidden)]
            allowed = (", ".join(str(c) for c in shown[:-1]) + " or " if len(shown) > 1 else "") + str(shown[-1])
            raise InvalidParameterError(
                f"The {name!r} parameter of {type(estimator).__name__} must be {allowed}. Got {value!r} instead: "
                "a boolean is not read as a number here; give the number itself."
            )


#: Types a boolean is an instance of only as a number (True == 1).
_NUMBER_TYPES = (Integral, Real, Complex, Number, int, float, complex)


def _takes_booleans(constraints):
    """Whether a parameter with these constraints takes True and False as booleans, not as the numbers 1 and 0."""
    for constraint in constraints:
        constraint = constraint.constraint if isinstance(constraint, Hidden) else constraint
        if isinstance(constraint, str):
            if constraint in ("boolean", "verbose"):
                return True
            continue  # "random_state", "array-like", "cv_object", ...: an int or an array, not a flag
        if isinstance(constraint, type):
            if constraint not in _NUMBER_TYPES and isinstance(True, constraint):
                return True
            continue
        if isinstance(constraint, Interval) or constraint is None:
            continue
        if make_constraint(constraint).is_satisfied_by(True):
            return True
    return False


def forest_fitted_rows(forest):
    """How many rows a fitted bagged forest was fitted on (what its trees' draws index), or None.

    scikit-learn records it only privately (``_n_samples``); None when a
    release does not, and callers then fall back on the draws themselves.
    """
    n_samples = getattr(forest, "_n_samples", None)
    return int(n_samples) if isinstance(n_samples, (int, np.integer)) else None


def forest_draws_skip_zero_weight_rows(forest):
    """Whether a fitted bagged forest's draws (``estimators_samples_``) leave out the rows of zero weight.

    Releases whose forests draw each tree's rows in proportion to
    ``sample_weight`` (they keep the weights as the private ``_sample_weight``)
    never draw a row of zero weight, so every drawn row is one its tree counted.
    Older releases (scikit-learn < 1.9) draw uniformly and hand the tree the
    weights: a drawn row of zero weight is in the draws but not in the tree.
    """
    return hasattr(forest, "_sample_weight")


class _ColumnNames:
    """A polars frame's shape and column names, as the dataframe interchange protocol that
    scikit-learn < 1.9 reads names from (newer polars releases no longer have ``__dataframe__``)."""

    def __init__(self, frame):
        self.shape = frame.shape
        self._names = list(frame.columns)

    def __dataframe__(self, nan_as_null=False, allow_copy=True):
        return self

    def column_names(self):
        return self._names


def validate_data(estimator, X, **kwargs):
    """scikit-learn's ``validate_data`` (``skip_check_array=True``: names and feature count only).

    scikit-learn < 1.9 reads a polars frame's column names only through the
    interchange protocol, which newer polars releases dropped; without it the names would go unrecorded at fit and
    unchecked at predict, so a frame with reordered columns would be read
    silently wrong. Such a frame is handed over as its names.  Inside
    :func:`feature_names_checked_by`, an estimator of the same fitted columns
    as the one that checked them returns ``X`` at once.
    """
    if (kwargs.get("skip_check_array") and kwargs.get("reset") is False
            and _same_fitted_columns(_COLUMNS_CHECKED_BY.get(), estimator)):
        return X
    checked = X
    if kwargs.get("skip_check_array") and type(X).__module__.startswith("polars.") and hasattr(X, "columns"):
        if X.shape[1] and _get_feature_names(X) is None:
            checked = _ColumnNames(X)
    try:
        validated = _validate_data(estimator, checked, **kwargs)
    except ValueError as error:
        fix = _column_mismatch_fix(estimator, checked, kwargs.get("reset", True), error)
        if not fix:
            raise
        raise ValueError(f"{str(error).rstrip()}\n{fix}") from None
    _check_column_labels(estimator, X, kwargs.get("reset", True))
    return X if checked is not X else validated


#: Where a model fitted on a pandas frame of non-string column labels keeps them (private: not a feature name).
_LABELS_AT_FIT = "_column_labels_at_fit"


def _non_string_labels(X):
    """A pandas frame's column labels when none is a string (scikit-learn then records no feature names and
    checks none at predict), else None.  Frames of mixed labels never get here: scikit-learn refuses them."""
    if not hasattr(X, "iloc") or not hasattr(X, "columns") or type(X).__module__.startswith("polars"):
        return None
    labels = list(X.columns)
    return None if not labels or any(isinstance(label, str) for label in labels) else labels


def _check_column_labels(estimator, X, reset):
    """Record (``reset``) or check the non-string column labels of a pandas frame.

    scikit-learn checks only string names, so a frame of integer or tuple
    labels (``pd.DataFrame(array)`` with columns picked by label, a pivot or an
    aggregation's MultiIndex) with its columns in another order, or others of
    the same count, was read by position, silently wrong.  At fit, labels
    other than the positions 0, 1, ... are warned of (once: not by the models
    another glassbox estimator fits): the model's features are named
    ``x0, x1, ...`` by position, which the user's labels do not say.
    """
    labels = _non_string_labels(X)
    if reset:
        if labels is None:
            estimator.__dict__.pop(_LABELS_AT_FIT, None)
            return
        setattr(estimator, _LABELS_AT_FIT, labels)
        from .tabular import _inside_another_fit  # (imports this module)

        if labels != list(range(len(labels))) and not _inside_another_fit(estimator):
            import warnings

            from .validation import user_stacklevel

            shown = ", ".join(f"x{j} is column {label!r}" for j, label in enumerate(labels[:3]))
            tuples = " (tuples: ['_'.join(map(str, c)) for c in X.columns])" if isinstance(labels[0], tuple) else ""
            warnings.warn(
                f"X's column labels are not strings ({_listed(labels)}), so {type(estimator).__name__} records no "
                f"feature names: its explanations and messages name the features by position ({shown}"
                f"{', ...' if len(labels) > 3 else ''}).  To see your names, give X string labels before fitting: "
                f"X.columns = [str(c) for c in X.columns]{tuples}.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        return
    fitted = getattr(estimator, _LABELS_AT_FIT, None)
    if fitted is None or labels is None or labels == fitted:
        return
    missing = [label for label in fitted if label not in labels]
    unseen = [label for label in labels if label not in fitted]
    if missing or unseen:
        found = "; ".join(part for part in (missing and f"missing now: {_listed(missing)}",
                                            unseen and f"unseen at fit: {_listed(unseen)}") if part)
    else:
        found = "the same labels in another order"
    raise ValueError(
        f"X's column labels are not those {type(estimator).__name__} was fitted on ({found}).  Fitted on "
        f"{_listed(fitted)}, got {_listed(labels)}; the model reads its columns by position, so it would read "
        f"these wrongly.  Select the fitted columns, in their order: X[{_listed(fitted, 20)}]."
    )


def _listed(labels, most=10):
    return repr(list(labels)) if len(labels) <= most else f"[{', '.join(map(repr, labels[:most]))}, ...]"


def _column_mismatch_fix(estimator, X, reset, error):
    """What to do when a frame's columns are not the fitted ones (scikit-learn's message only lists them);
    ``""`` for any other error.  A batch scored in production is often read with its columns in another
    order or with extra ones, which a selection of the fitted columns fixes."""
    fitted = getattr(estimator, "feature_names_in_", None)
    if reset or fitted is None or not str(error).startswith("The feature names should match"):
        return ""
    given = _get_feature_names(X)
    if given is None:
        return ""
    present = set(given)
    missing = [name for name in fitted if name not in present]
    if missing:
        return (f"The model reads every column it was fitted on: add {missing[:10]!r}"
                f"{' and the others listed' if len(missing) > 10 else ''} to X (as missing values if the model's "
                "family handles them), or refit the model without them.")
    return ("Select the fitted columns, in their order: X[model.feature_names_in_] (it also drops the columns "
            "the model does not read).")


def sklearn_release():
    """The running scikit-learn's ``(major, minor, micro)`` (a pre-release's micro is its leading digits:
    "1.8.0rc1" is (1, 8, 0), "1.9.dev0" (1, 9, 0)); compares with ``(major, minor)`` as expected."""
    parts = (sklearn.__version__.split(".") + ["0", "0"])[:3]
    return tuple(int("".join(takewhile(str.isdigit, part)) or 0) for part in parts)


def harness_check_bugs(estimator):
    """``{check name: reason}`` for scikit-learn estimator checks that are wrong in the running release.

    Older checks have bugs of their own that later releases fixed; an estimator
    that passes the fixed check is not at fault there.
    """
    tags, release, bugs = estimator.__sklearn_tags__(), sklearn_release(), {}
    if release < (1, 7, 1) and tags.input_tags.categorical and not tags.input_tags.allow_nan:
        bugs["check_positive_only_tag_during_fit"] = (
            "scikit-learn < 1.7.1's check casts X to int32 for a categorical estimator, then subtracts a float "
            "mean in place and fails before fitting"
        )
    if release < (1, 7) and tags.classifier_tags is not None and not tags.classifier_tags.multi_class:
        bugs["check_sample_weight_equivalence_on_dense_data"] = (
            "scikit-learn 1.6's check binarises the weighted and the repeated targets by their first label, "
            "which its shuffle changes, so the two fits see different labels"
        )
    return bugs
