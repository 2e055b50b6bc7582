"""Slow NumPy references of the compiled risk-score kernels (used by tests only)."""

import numpy as np
from scipy.optimize import minimize, minimize_scalar


def logistic_loss(margin, weight):
    return float(weight @ np.logaddexp(0.0, -margin))


def best_single_move(Z, y, weight, margin, lower, upper, j):
    """Exact 1-D optimum of moving coefficient j: returns (step, loss decrease)."""
    rows = Z[:, j].astype(bool)

    def loss(d):
        return weight[rows] @ np.logaddexp(0.0, -(margin[rows] + y[rows] * d))

    result = minimize_scalar(loss, bounds=(lower[j], upper[j]), method="bounded", options={"xatol": 1e-10})
    candidates = [(loss(0.0), 0.0), (loss(result.x), result.x), (loss(lower[j]), lower[j]), (loss(upper[j]), upper[j])]
    best_loss, step = min(candidates)
    return step, loss(0.0) - best_loss


def pattern_codes(Z, columns):
    return (Z[:, columns].astype(np.int64) << np.arange(len(columns))).sum(axis=1)


def fit_patterns(P, pos, neg, lower, upper):
    """Box-constrained logistic fit on patterns with L-BFGS-B: (beta, intercept, loss)."""
    k = P.shape[1]

    def objective(theta):
        f = P @ theta[:k] + theta[k]
        p = 1.0 / (1.0 + np.exp(-f))
        loss = pos @ np.logaddexp(0.0, -f) + neg @ np.logaddexp(0.0, f)
        r = neg * p - pos * (1 - p)
        return loss, np.append(P.T @ r, r.sum())

    bounds = list(zip(lower, upper)) + [(None, None)]
    result = minimize(objective, np.zeros(k + 1), jac=True, method="L-BFGS-B", bounds=bounds, options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000})
    return result.x[:k], result.x[k], float(result.fun)


def condition_gradient(Z, y, weight, margin):
    return -(Z.astype(np.float64).T @ (weight * y / (1.0 + np.exp(margin))))


def best_support_loss(Z, y, weight, partner, lower, upper, k):
    """Brute force of the sparse relaxation: L-BFGS-B fit of every support of at most ``k`` columns
    without a partner pair; returns ``(loss, support)``."""
    import itertools

    best = (np.inf, ())
    for size in range(1, k + 1):
        for support in itertools.combinations(range(Z.shape[1]), size):
            if any(partner[a] == b for a, b in itertools.combinations(support, 2)):
                continue
            columns = np.array(support, dtype=np.intp)
            distinct, inverse = np.unique(pattern_codes(Z, columns), return_inverse=True)
            pos = np.bincount(inverse, weights=weight * (y > 0))
            neg = np.bincount(inverse, weights=weight * (y < 0))
            P = ((distinct[:, None] >> np.arange(size)) & 1).astype(float)
            loss = fit_patterns(P, pos, neg, lower[columns], upper[columns])[2]
            best = min(best, (loss, support))
    return best
