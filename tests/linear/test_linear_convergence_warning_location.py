"""A sparse linear fit's ConvergenceWarning points at the user's line, whichever entry point ran the solver.

The solvers sit at different depths below the public calls (fit, a CV fit, a path, a
multinomial fit), so a fixed ``stacklevel`` lands inside glassbox for some of them, where
users can neither see which of their calls warned nor filter it by module.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from glassbox.linear import (SparseLinearClassifier, SparseLinearRegressor, SparseLinearRegressorCV,
                             sparse_linear_path)


def _data(n=200, p=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) + 0.8 * rng.normal(size=(n, 1))  # correlated: slow to converge
    return X, X[:, 0] - 2 * X[:, 1] + rng.normal(size=n)


def _fit_regressor(X, y):
    SparseLinearRegressor(alpha=1e-4, max_iter=1, tol=1e-12).fit(X, y)


def _fit_cv(X, y):
    SparseLinearRegressorCV(n_alphas=5, cv=2, max_iter=1, tol=1e-12).fit(X, y)


def _path(X, y):
    sparse_linear_path(SparseLinearRegressor(max_iter=1, tol=1e-12), X, y, n_alphas=5, eps=1e-4)


def _fit_multinomial(X, y):
    classes = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    SparseLinearClassifier(alpha=1e-4, max_iter=1, tol=1e-12).fit(X, classes)


@pytest.mark.parametrize("call", [_fit_regressor, _fit_cv, _path, _fit_multinomial],
                         ids=["fit", "cv-fit", "path", "multinomial-fit"])
def test_convergence_warning_names_the_callers_file(call):
    X, y = _data()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(X, y)
    convergence = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert convergence, "the fit was meant not to converge"
    assert {w.filename for w in convergence} == {__file__}
