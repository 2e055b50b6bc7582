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
