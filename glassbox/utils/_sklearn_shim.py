"""The only module that touches scikit-learn's private API.

Everything glassbox needs from private scikit-learn modules is imported here,
so a scikit-learn upgrade that moves them breaks one file.
"""

from sklearn.utils._param_validation import (  # noqa: F401
    HasMethods,
    Interval,
    Options,
    StrOptions,
)

__all__ = ["HasMethods", "Interval", "Options", "StrOptions", "validate_parameters"]


def validate_parameters(estimator):
    """Check ``estimator``'s parameters against its ``_parameter_constraints``.

    Raises scikit-learn's ``InvalidParameterError`` (a ``ValueError``) naming the
    parameter and the allowed values.
    """
    estimator._validate_params()
