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
