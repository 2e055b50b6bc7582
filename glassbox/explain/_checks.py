"""Checks that an explanation's numbers make a model: finite outputs, arrays whose lengths agree.

A model loaded from JSON recomputes its predictions from these fields alone, so
a NaN among its scores or an array one entry short (a damaged or edited file)
must be refused when it is read, not met later as NaN probabilities or a crash
of its printout.  The messages name the field; ``GlobalExplanation.from_dict``
wraps them in its message about a damaged file.
"""

import numpy as np


def require_finite(values, what):
    """Refuse NaN and infinity in ``values``, numbers the model's output is made of (``what`` names them).

    Thresholds and interval bounds may be infinite and are not checked here.
    """
    values = np.asarray(values)
    if values.dtype.kind not in "fc":
        return
    bad = ~np.isfinite(values)
    if bad.any():
        kinds = " and ".join(name for name, mask in (("NaN", np.isnan(values)), ("infinity", np.isinf(values)))
                             if mask.any())
        raise ValueError(f"{what}: {kinds} in {int(bad.sum())} of {values.size} values, where the model's output "
                         "needs finite numbers")


def require_shape(values, expected, what, counted):
    """Refuse an array not of shape ``expected`` (``counted`` says what fixes it)."""
    if values is not None and np.shape(values) != tuple(expected):
        raise ValueError(f"{what} has shape {np.shape(values)} where {counted} needs {tuple(expected)}")


def require_length(values, expected, what, counted):
    """Refuse an array whose first axis is not ``expected`` long (``counted`` says what it should match)."""
    if values is None:
        return
    length = np.shape(values)[0] if np.ndim(values) else None
    if length != expected:
        given = "a scalar" if length is None else f"{length} entries"
        raise ValueError(f"{what} has {given} where {counted} has {expected}")


def is_number(value):
    """Whether ``value`` read from JSON is a number: an int or a float, a boolean not (``True`` is an int)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def require_class_labels(classes, link, n_outputs, what="classes"):
    """Refuse class labels that do not fit the link: a logit model has two, a softmax one one per output
    column (``n_outputs``, the length of its base value); and labels listed twice or NaN, which no fitted
    classifier has.  A third label beside a logit model would be printed but never predicted, one too few
    would fail the first prediction, one listed twice would be predicted for two different outputs."""
    if classes is None or not link.is_classification:
        return
    expected = 2 if link.name == "logit" else n_outputs
    if len(classes) != expected:
        reason = ("a binary (logit) model has two" if link.name == "logit"
                  else f"the model has {expected} output columns (the length of its base_value), one per class")
        raise ValueError(f"{what} lists {len(classes)} labels {list(classes)[:10]}, where {reason}")
    labels = list(classes)
    if any(isinstance(c, float) and c != c for c in labels):
        raise ValueError(f"{what} holds NaN, which is no class label: a fitted classifier's classes are "
                         f"the distinct labels of its training targets")
    repeated = [c for k, c in enumerate(labels) if c in labels[:k]]
    if repeated:
        raise ValueError(f"{what} lists {repeated[0]!r} more than once ({labels[:10]}); each class is listed once, "
                         f"in the order of the model's outputs")


def require_counts(values, what):
    """Refuse counts (or weights) of training rows that are NaN, infinite or negative: a printed support or
    count the fit could not have written (nor to_json() write again, for NaN and infinity)."""
    values = np.asarray(values, dtype=np.float64)
    bad = ~(np.isfinite(values) & (values >= 0))
    if bad.any():
        raise ValueError(f"{what} holds {float(values[bad].ravel()[0])!r}, where counts of training rows are finite "
                         "numbers >= 0")


def require_shares(values, what):
    """Refuse shares (probabilities, precisions, observed rates) outside [0, 1] or NaN."""
    values = np.asarray(values, dtype=np.float64)
    bad = ~((values >= 0) & (values <= 1))
    if bad.any():
        raise ValueError(f"{what} holds {float(values[bad].ravel()[0])!r}, where a share of rows is a number in [0, 1]")


def require_bounded_total(parts, what):
    """Refuse numbers the model adds up (``parts``: one array per term, and the base value) whose largest
    possible total or a term's spread overflows float64: every one may be finite (a score of 1e308) while a
    prediction adding two of them is infinity, and a plot of the term cannot span it."""
    with np.errstate(over="ignore", invalid="ignore"):
        largest = sum(float(np.max(np.abs(values), initial=0.0)) for values in parts)
        spread = max((float(np.ptp(values)) for values in parts if np.size(values)), default=0.0)
    if not (np.isfinite(largest) and np.isfinite(2.0 * spread)):
        raise ValueError(f"{what}: their largest total ({largest!r}) or spread overflows float64 (a score near "
                         "1e308?), where a prediction adds them up: scores of ordinary size are needed")


# The range of each figure a distilled copy's ``fidelity`` holds (glassbox.surrogate's metrics): shares of rows
# and AUCs in [0, 1], R^2 at most 1, correlations in [-1, 1], mean and largest differences >= 0.
_FIDELITY_RANGES = {
    **dict.fromkeys(("agreement", "balanced_agreement", "rank_auc"), (0.0, 1.0)),
    **dict.fromkeys(("r2", "probability_r2", "logit_r2"), (-np.inf, 1.0)),
    **dict.fromkeys(("mae", "probability_mae", "logit_mae", "max_abs_difference"), (0.0, np.inf)),
    "spearman": (-1.0, 1.0),
}


def require_fidelity_figures(fidelity):
    """Refuse a copy's fidelity figures that no measurement gives: a figure that is no number, infinite or out of
    its range (an agreement of 1.3), a row count that is no whole number >= 0.  NaN is kept (a figure that is
    undefined on the rows, a correlation with a constant), as are entries of other names."""
    if fidelity is None:
        return
    n = fidelity.get("n_samples")
    if n is not None and not (is_number(n) and float(n) >= 0 and float(n) == int(n)):
        raise ValueError(f"fidelity's n_samples is {n!r}, where it counts the rows the figures were measured on")
    for name, (low, high) in _FIDELITY_RANGES.items():
        value = fidelity.get(name)
        if value is None or (is_number(value) and value != value):  # absent, or NaN: undefined on those rows
            continue
        if not is_number(value) or not low <= value <= high:
            raise ValueError(f"fidelity's {name} is {value!r}, where it is a number in [{low}, {high}]")


def check_limit(value, name, minimum=0):
    """Refuse a limit on the rows, terms, bins or values a printout or plot shows that is not a count of at
    least ``minimum`` (None: no limit): a float (``2.5``; a whole ``3.0`` too, as ``range`` refuses it), a
    smaller number, a bool, text.  ``name`` is the parameter's name, which the ValueError gives."""
    if value is None or (isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
                         and value >= minimum):
        return
    wanted = "a positive integer or None" if minimum == 1 else f"a whole number >= {minimum} or None (no limit)"
    raise ValueError(f"{name} must be {wanted}, got {value!r}.")
