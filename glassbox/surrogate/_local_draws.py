"""Whole-number draws of LocalSurrogate(round_whole_numbers=True): which columns hold whole numbers, and how a
Gaussian draw becomes one."""

import numpy as np

from ._augment import _whole_numbers


def integer_columns(numeric, weights, is_categorical, is_boolean, scale):
    """The numeric columns holding whole numbers only, as a boolean mask.

    Whole numbers as augmentation reads them (:func:`~glassbox.surrogate._augment._whole_numbers`: an
    ``int`` column, or floats such as ``3.0``), among the present values of rows of positive weight; flags
    (perturbed as True / False) and columns constant in training (not varied) are left out.
    """
    is_integer = np.zeros(numeric.shape[1], dtype=bool)
    counted = ~np.isnan(numeric) if weights is None else ~np.isnan(numeric) & (weights[:, None] > 0)
    for j in np.flatnonzero(~is_categorical & ~is_boolean & (scale > 0)):
        is_integer[j] = _whole_numbers(numeric[counted[:, j], j])
    return is_integer


def zero_one_columns(numeric, weights, is_integer):
    """The integer columns holding only 0 and 1 in training (rows of positive weight): flags stored as numbers."""
    counted = ~np.isnan(numeric) if weights is None else ~np.isnan(numeric) & (weights[:, None] > 0)
    zero_one = np.zeros(numeric.shape[1], dtype=bool)
    for j in np.flatnonzero(is_integer):
        values = numeric[counted[:, j], j]
        zero_one[j] = bool(np.all((values == 0) | (values == 1)))
    return zero_one


def whole_draws(drawn, uniform):
    """Real-valued draws ``drawn`` of integer columns as whole numbers, rounded at random by ``uniform``.

    Each draw goes to one of its two neighbouring whole numbers, the nearer
    the likelier (``2.3``: 2 with chance 0.7, 3 with chance 0.3), so the draws
    keep their mean (the row's value) and a column spread over less than one
    unit (a 0/1 count) is still varied, where rounding to the nearest would
    keep it at the row's value.  A missing value (NaN) stays NaN.  ``drawn``
    is overwritten (it holds the fractions afterwards): one array less per batch.
    """
    below = np.floor(drawn)
    drawn -= below
    with np.errstate(invalid="ignore"):
        below += uniform < drawn
    return below
