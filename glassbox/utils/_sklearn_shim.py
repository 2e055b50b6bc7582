"""The only module that touches scikit-learn's private API.

Everything glassbox needs from private scikit-learn modules is imported here,
so a scikit-learn upgrade that moves them breaks one file.
"""

import numpy as np
from sklearn.utils._param_validation import (  # noqa: F401
    HasMethods,
    Interval,
    Options,
    StrOptions,
)

__all__ = ["HasMethods", "Interval", "Options", "StrOptions", "forest_fitted_rows", "validate_parameters"]


def validate_parameters(estimator):
    """Check ``estimator``'s parameters against its ``_parameter_constraints``.

    Raises scikit-learn's ``InvalidParameterError`` (a ``ValueError``) naming the
    parameter and the allowed values.
    """
    estimator._validate_params()


def forest_fitted_rows(forest):
    """How many rows a fitted bagged forest was fitted on (what its trees' draws index), or None.

    scikit-learn records it only privately (``_n_samples``); None when a
    release does not, and callers then fall back on the draws themselves.
    """
    n_samples = getattr(forest, "_n_samples", None)
    return int(n_samples) if isinstance(n_samples, (int, np.integer)) else None
