"""Slow NumPy references for the compiled solver (used only by tests).

``proximal_gradient`` solves the same convex problems (squared, logistic or
multinomial loss; l1 or elastic-net penalty; sign constraints; unpenalized
intercept) by accelerated proximal gradient, a different algorithm from the
kernel's coordinate descent, so agreement is evidence both are right.
``coordinate_minimizer`` spells out each penalty's one-dimensional update and
``best_subset`` enumerates supports for L0 on tiny problems.
"""

from itertools import combinations

import numpy as np


def coordinate_minimizer(penalty, z, lipschitz, sign, alpha, l1_ratio=1.0, ridge_alpha=0.0):
    """argmin_b lipschitz/2 (b - z)^2 + penalty(b) with b's sign constrained."""
    if penalty in ("l1", "elasticnet"):
        l1 = alpha * (l1_ratio if penalty == "elasticnet" else 1.0)
        l2 = alpha * (1.0 - l1_ratio) if penalty == "elasticnet" else 0.0
        b = np.sign(z) * max(abs(lipschitz * z) - l1, 0.0) / (lipschitz + l2)
    else:
        curvature = lipschitz + 2.0 * ridge_alpha
        b = lipschitz * z / curvature
    if sign > 0:
        b = max(b, 0.0)
    elif sign < 0:
        b = min(b, 0.0)
    if penalty == "l0" and 0.5 * (lipschitz + 2.0 * ridge_alpha) * b * b <= alpha:
        return 0.0
    return float(b)


def _loss_and_gradient(loss, Y, w, eta):
    """Weighted loss and its gradient with respect to eta (both (n_blocks, n))."""
    if loss == "squared":
        r = eta - Y
        return 0.5 * float(w @ (r[0] ** 2)), w * r
    if loss == "logistic":
        p = 1.0 / (1.0 + np.exp(-eta))
        value = float(w @ (np.logaddexp(0.0, eta[0]) - Y[0] * eta[0]))
        return value, w * (p - Y)
    top = eta.max(axis=0)
    log_norm = top + np.log(np.exp(eta - top).sum(axis=0))
    p = np.exp(eta - log_norm)
    return float(w @ (log_norm - (Y * eta).sum(axis=0))), w * (p - Y)


def proximal_gradient(Z, Y, w, loss, penalty, alpha, *, l1_ratio=1.0, signs=None, fit_intercept=True,
                      n_iter=20000, tol=1e-13):
    """FISTA on the standardized problem; returns ``(coef (n_blocks, p), intercept (n_blocks,))``."""
    n_blocks, p = Y.shape[0], Z.shape[1]
    signs = np.zeros(p) if signs is None else np.asarray(signs)
    l1 = alpha * (l1_ratio if penalty == "elasticnet" else 1.0)
    l2 = alpha * (1.0 - l1_ratio) if penalty == "elasticnet" else 0.0
    scale = 1.0 if loss == "squared" else 0.5
    step = 1.0 / (scale * np.linalg.norm(np.sqrt(w)[:, None] * np.column_stack([Z, np.ones(len(w))]), 2) ** 2)
    x = np.zeros((n_blocks, p + 1))
    y_point, t = x.copy(), 1.0
    for _ in range(n_iter):
        eta = y_point[:, :p] @ Z.T + y_point[:, p:]
        _, grad_eta = _loss_and_gradient(loss, Y, w, eta)
        grad = np.column_stack([grad_eta @ Z, grad_eta.sum(axis=1)])
        moved = y_point - step * grad
        new = moved.copy()
        new[:, :p] = np.sign(moved[:, :p]) * np.maximum(np.abs(moved[:, :p]) - step * l1, 0) / (1 + step * l2)
        new[:, :p] = np.where(signs > 0, np.maximum(new[:, :p], 0), new[:, :p])
        new[:, :p] = np.where(signs < 0, np.minimum(new[:, :p], 0), new[:, :p])
        if not fit_intercept:
            new[:, p] = 0.0
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        y_point = new + (t - 1) / t_next * (new - x)
        if np.max(np.abs(new - x)) < tol:
            x = new
            break
        x, t = new, t_next
    return x[:, :p], x[:, p]


def best_subset(Z, y, w, k):
    """Exhaustive least squares over all supports of size k (centred data); returns the support."""
    best, best_loss = None, np.inf
    sw = np.sqrt(w)
    for support in combinations(range(Z.shape[1]), k):
        A = Z[:, support] * sw[:, None]
        coef, *_ = np.linalg.lstsq(A, y * sw, rcond=None)
        value = float(np.sum((y * sw - A @ coef) ** 2))
        if value < best_loss - 1e-12:
            best, best_loss = support, value
    return best


# -- log-link losses ------------------------------------------------------------------
def log_link_row_terms(loss, y, eta, power=1.5):
    """Per row: half deviance at mean ``exp(eta)``, its derivative and second derivative in ``eta``.

    Poisson ``y log(y / mu) - y + mu``; Gamma ``log(mu / y) + y / mu - 1``;
    Tweedie ``y^(2-p) / ((1-p)(2-p)) - y mu^(1-p) / (1-p) + mu^(2-p) / (2-p)``.
    """
    eta = np.clip(eta, -300.0, 300.0)
    if loss == "poisson":
        mu = np.exp(eta)
        value = np.where(y > 0, y * (np.log(np.where(y > 0, y, 1.0)) - eta), 0.0) - y + mu
        return value, mu - y, mu
    if loss == "gamma":
        ratio = y * np.exp(-eta)
        return eta - np.log(y) + ratio - 1.0, 1.0 - ratio, ratio
    p = power
    pulled, mean_part = y * np.exp((1 - p) * eta), np.exp((2 - p) * eta)
    value = y ** (2 - p) / ((1 - p) * (2 - p)) - pulled / (1 - p) + mean_part / (2 - p)
    return value, mean_part - pulled, (p - 1) * pulled + (2 - p) * mean_part


def log_link_lasso(X, y, w, loss, alpha, *, power=1.5, signs=None, offset=None):
    """L-BFGS-B on ``sum_i w_i halfdev(y_i, exp(b0 + x_i b + offset_i)) / sum w + alpha |b|_1``.

    The split ``b = b_plus - b_minus`` with both parts >= 0 makes the problem
    smooth with bounds; a sign constraint fixes one part at zero.  Returns
    ``(coef, intercept)``.
    """
    from scipy.optimize import minimize

    n, p = X.shape
    w = np.asarray(w, dtype=np.float64) / np.sum(w)
    offset = np.zeros(n) if offset is None else offset
    signs = np.zeros(p) if signs is None else np.asarray(signs)

    def fun(v):
        b = v[:p] - v[p:2 * p]
        value, grad_eta, _ = log_link_row_terms(loss, y, v[-1] + X @ b + offset, power)
        g = X.T @ (w * grad_eta)
        total = w @ value + alpha * v[:2 * p].sum()
        return total, np.concatenate([g + alpha, -g + alpha, [w @ grad_eta]])

    bounds = [(0, 0 if s < 0 else None) for s in signs] + [(0, 0 if s > 0 else None) for s in signs] + [(None, None)]
    start = np.zeros(2 * p + 1)
    start[-1] = np.log(w @ y) - np.average(offset, weights=w)
    result = minimize(fun, start, jac=True, method="L-BFGS-B", bounds=bounds,
                      options={"maxiter": 100_000, "ftol": 1e-16, "gtol": 1e-13, "maxcor": 50})
    return result.x[:p] - result.x[p:2 * p], result.x[-1]
