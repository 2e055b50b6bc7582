"""Runs skglm and abess inside their own virtual environment for benchmarks/families/linear.py.

Standalone (no glassbox import).  Usage: ``python _linear_peer_worker.py in.npz out.npz``.
``in.npz`` holds X, y, alphas, task ("squared" / "logistic"), solver ("skglm" /
"abess"), tol and, for abess, k.  Writes the wall time of the whole path (after
one untimed warm-up on a small slice, so numba compilation is not timed), the
coefficients and intercepts.

It is also a worker module of the benchmark harness (``benchmarks/_venv_worker.py``,
``make_model(params)``): skglm's sparse Poisson GLM,
``GeneralizedLinearEstimator(Poisson(), L1(alpha), ProxNewton(fit_intercept=True))``,
for the count rows of ``benchmarks/families/linear.py``.
"""

import sys
import time

import numpy as np


def skglm_path(X, y, alphas, task, tol):
    import skglm

    if task == "squared":
        model = skglm.Lasso(alpha=alphas[0], tol=tol, warm_start=True, max_iter=1000)
    else:
        model = skglm.SparseLogisticRegression(alpha=alphas[0], tol=tol, warm_start=True, max_iter=1000)
    coefs, intercepts = [], []
    for alpha in alphas:
        model.set_params(alpha=alpha)
        model.fit(X, y)
        coefs.append(np.ravel(model.coef_).copy())
        intercepts.append(float(np.ravel(model.intercept_)[0]))
    return np.array(coefs), np.array(intercepts)


def abess_fit(X, y, task, k):
    import abess

    cls = abess.LinearRegression if task == "squared" else abess.LogisticRegression
    model = cls(support_size=[int(k)])
    model.fit(X, y)
    return np.ravel(model.coef_)[None, :], np.array([float(np.ravel(model.intercept_)[0])])


class SkglmPoisson:
    """skglm's L1 Poisson GLM: ``mean(exp(eta) - y eta) + alpha |b|_1``, unpenalized intercept."""

    def __init__(self, alpha, tol=1e-6):
        self.alpha, self.tol = alpha, tol

    def fit(self, X, y):
        from skglm import GeneralizedLinearEstimator
        from skglm.datafits import Poisson
        from skglm.penalties import L1
        from skglm.solvers import ProxNewton

        solver = ProxNewton(fit_intercept=True, tol=self.tol, max_iter=1000)
        self.model_ = GeneralizedLinearEstimator(Poisson(), L1(self.alpha), solver)
        self.model_.fit(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64))
        return self

    def predict(self, X):
        coef, intercept = np.ravel(self.model_.coef_), float(np.ravel(self.model_.intercept_)[0])
        return np.exp(np.asarray(X, dtype=np.float64) @ coef + intercept)


def make_model(params):
    return SkglmPoisson(**params)


def size(model):
    return int(np.count_nonzero(model.model_.coef_))


def version():
    import importlib.metadata as metadata

    return metadata.version("skglm")


def main(source, target):
    data = np.load(source, allow_pickle=False)
    X, y, task, solver = data["X"], data["y"], str(data["task"]), str(data["solver"])
    if solver == "skglm":
        alphas, tol = data["alphas"], float(data["tol"])
        skglm_path(X[:200], y[:200], alphas[:3], task, tol)  # numba compilation, untimed
        start = time.perf_counter()
        coefs, intercepts = skglm_path(X, y, alphas, task, tol)
    else:
        abess_fit(X[:200], y[:200], task, int(data["k"]))
        start = time.perf_counter()
        coefs, intercepts = abess_fit(X, y, task, int(data["k"]))
    elapsed = time.perf_counter() - start
    import importlib.metadata as metadata

    np.savez(target, time=elapsed, coefs=coefs, intercepts=intercepts, version=metadata.version(solver))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
