"""``mains_rescaling``: one multiplier per main effect, refitted jointly after boosting.

Cyclic boosting stops every term at once, when the bag's validation loss
stops improving: a strong term may still be short of its fit while a weak
one already fits noise.  A penalised likelihood (pygam) converges all terms
jointly instead.  The rescaling refits, on each bag's own validation rows,
the model ``c + sum_t s_t f_t(x)`` over the bag's boosted shapes ``f_t`` by
penalised Newton steps.  The penalty ``strength / 2 * sum_t d_t (s_t - 1)^2``
pulls every multiplier towards 1, with ``d_t`` the loss's mean curvature
along ``s_t``: a strength of 10 makes the prior ten times as informative as
the validation rows, so a multiplier moves about a tenth of the way to the
rows' own estimate.  The validation rows are used because the shapes' noise
is fitted to the training rows, which would push every multiplier above 1.

The multipliers are folded into the shapes, so the model stays exactly
additive and its shapes stay its explanation; ``s_t >= 0`` keeps monotone
shapes monotone, and ``c`` goes to the first term, whose centring then moves
it to the intercept.  Binary classification and regression (every loss of one
output); a multiclass fit is left as boosted.
"""

import numpy as np

from ._gam_fast import gradients, mean_loss

MAX_NEWTON_STEPS = 20
MAX_HALVINGS = 30


def fit_multipliers(contributions, base, y, w, loss, strength, power=0.0):
    """Penalised Newton fit of ``(c, s_1..s_T)`` for the raw score ``base + c + contributions @ s``.

    ``contributions`` is (rows, terms).  The curvature is taken once, at the
    start ``s = 1``, and kept for every step (with step halving): the
    penalty keeps the multipliers near 1, where it changes little, and the
    (parameters x parameters) product over the rows is the only costly one.
    The bound ``s >= 0`` is kept by projected Newton steps: a multiplier at
    zero whose gradient pushes it below stays out of the step, so the
    others still take their full Newton step (clipping it instead would
    halve every step and stall short of the optimum).  Losses and
    gradients are the boosting kernels'.  The products are written with
    ``einsum`` rather than BLAS: the matrices are tiny, and a threaded BLAS
    on a busy machine spent up to 50 ms on one.
    """
    n, T = contributions.shape
    Z = np.empty((T + 1, n))  # one row per parameter
    Z[0], Z[1:] = 1.0, contributions.T
    y = np.ascontiguousarray(y, dtype=np.float64).reshape(n, 1)
    w = np.ascontiguousarray(w, dtype=np.float64)
    g, h = np.empty((n, 1)), np.empty((n, 1))
    W = w.sum()

    def raw_of(t):
        return (base + np.einsum("tn,t->n", Z, t)).reshape(n, 1)

    theta = np.concatenate([[0.0], np.ones(T)])
    anchor = theta.copy()
    gradients(raw_of(theta), y, w, g, h, loss, 1, power)  # weighted per-row derivatives
    curvature = np.einsum("sn,tn->st", Z * (h[:, 0] / W), Z)
    penalty = np.concatenate([[0.0], strength * np.diag(curvature)[1:]])
    hess = curvature + np.diag(penalty) + 1e-10 * np.eye(T + 1)

    def objective(t):
        return mean_loss(raw_of(t), y, w, loss, power) + 0.5 * np.sum(penalty * (t - anchor) ** 2)

    current = objective(theta)
    for _ in range(MAX_NEWTON_STEPS):
        gradients(raw_of(theta), y, w, g, h, loss, 1, power)
        grad = np.einsum("tn,n->t", Z, g[:, 0]) / W + penalty * (theta - anchor)
        free = np.ones(T + 1, dtype=bool)
        free[1:] = (theta[1:] > 0.0) | (grad[1:] <= 0.0)  # held at the bound: a zero the gradient pushes below
        step = np.zeros(T + 1)
        step[free] = np.linalg.solve(hess[np.ix_(free, free)], grad[free])
        if grad @ step < 1e-9:  # the Newton decrement (about twice the loss still to gain): converged
            break
        for _ in range(MAX_HALVINGS):
            trial = theta - step
            trial[1:] = np.maximum(trial[1:], 0.0)
            value = objective(trial)
            if value <= current:
                break
            step *= 0.5
        else:
            break
        theta, current = trial, value
    return theta


def rescale_mains(layout, bag_scores, term_codes, base_raw, Y, weights, bags, loss, strength, power=0.0):
    """Every bag's main effects times the multipliers fitted on its validation rows (module docstring).

    Returns the rescaled scores ``(n_bags, total_cells, K)`` and the
    multipliers ``(n_bags, n_terms)`` (ones where nothing was refitted).
    """
    scores = bag_scores.copy()
    multipliers = np.ones((len(bags), layout.n_terms))
    if Y.shape[1] != 1 or layout.n_terms == 0:
        return scores, multipliers
    starts = layout.offset[:-1]
    for b, (_, valid) in enumerate(bags):
        if not len(valid) or weights[valid].sum() <= 0:
            continue
        codes = np.asarray(term_codes[valid], dtype=np.intp)
        contributions = np.take(scores[b, :, 0], starts[None, :] + codes)
        theta = fit_multipliers(contributions, base_raw[valid, 0], Y[valid, 0], weights[valid], loss, strength,
                                power)
        multipliers[b] = theta[1:]
        for t in range(layout.n_terms):
            scores[b, layout.cell_slice(t)] *= theta[1 + t]
        scores[b, layout.cell_slice(0)] += theta[0]
    return scores, multipliers
