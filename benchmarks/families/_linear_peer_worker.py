"""Runs skglm and abess inside their own virtual environment for benchmarks/families/linear.py.

Standalone (no glassbox import).  Usage: ``python _linear_peer_worker.py in.npz out.npz``.
``in.npz`` holds X, y, alphas, task ("squared" / "logistic"), solver ("skglm" /
"abess"), tol and, for abess, k.  Writes the wall time of the whole path (after
one untimed warm-up on a small slice, so numba compilation is not timed), the
coefficients and intercepts.
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
