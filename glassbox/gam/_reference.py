"""Slow NumPy references of the compiled GAM kernels (used only by tests)."""

import numpy as np


def pava_reference(values, weights, direction):
    """Weighted isotonic regression by repeated pooling of the first violating pair of blocks."""
    blocks = [[direction * v, w + 1e-12, 1] for v, w in zip(values, weights)]
    merged = True
    while merged:
        merged = False
        for i in range(len(blocks) - 1):
            if blocks[i][0] > blocks[i + 1][0]:
                (v1, w1, n1), (v2, w2, n2) = blocks[i], blocks[i + 1]
                blocks[i : i + 2] = [[(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, n1 + n2]]
                merged = True
                break
    return np.concatenate([[direction * v] * n for v, _, n in blocks])


def gradients_reference(raw, y, w, loss, power=0.0):
    """Gradient and hessian per row: squared (0), logistic (1), softmax (2), or with a log link
    (raw = log of the mean) Poisson (3), Gamma (4), Tweedie of ``power`` (5)."""
    if loss == 0:
        return w[:, None] * (raw - y), np.repeat(w[:, None], raw.shape[1], axis=1)
    if loss >= 3:
        return _log_link_gradients_reference(np.clip(raw, -300.0, 300.0), y, w[:, None], loss, power)
    if loss == 1:
        p = 1.0 / (1.0 + np.exp(-raw))
    else:
        e = np.exp(raw - raw.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
    return w[:, None] * (p - y), w[:, None] * np.maximum(p * (1 - p), 1e-16)


def _log_link_gradients_reference(f, y, w, loss, power):
    # the derivatives of half_deviance_reference in f (the mean is exp(f))
    if loss == 3:
        g, h = np.exp(f) - y, np.exp(f)
    elif loss == 4:
        g, h = 1.0 - y * np.exp(-f), y * np.exp(-f)
    else:
        a, b = y * np.exp((1.0 - power) * f), np.exp((2.0 - power) * f)
        g, h = b - a, (power - 1.0) * a + (2.0 - power) * b
    return w * g, w * np.maximum(h, 1e-16)


def half_deviance_reference(raw, y, loss, power=0.0):
    """Half the unit deviance per row of the log-link losses (raw = log of the mean), after scikit-learn's
    mean_poisson_deviance / mean_gamma_deviance / mean_tweedie_deviance (which are twice its weighted mean)."""
    mu = np.exp(np.clip(raw, -300.0, 300.0))
    if loss == 3:
        return np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0) - y + mu
    if loss == 4:
        return np.log(mu / y) + y / mu - 1.0
    return (y ** (2 - power) / ((1 - power) * (2 - power)) - y * mu ** (1 - power) / (1 - power)
            + mu ** (2 - power) / (2 - power))


def histogram_reference(codes, g, h, n_bins):
    """Sums of gradient and hessian per bin of one code column."""
    out_g = np.zeros((n_bins, g.shape[1]))
    out_h = np.zeros((n_bins, g.shape[1]))
    np.add.at(out_g, codes, g)
    np.add.at(out_h, codes, h)
    return out_g, out_h


def pair_gain_reference(codes1, codes2, g, h, w, rows, cols, min_leaf):
    """Brute-force FAST gain: every pair of cuts, four quadrants, against no cut."""
    def leaf(mask):
        G, H = g[mask].sum(axis=0), h[mask].sum(axis=0)
        return (G * G / (H + 1e-12)).sum()

    parent = leaf(np.ones(len(codes1), dtype=bool))
    best = 0.0
    for a in range(1, rows):
        for b in range(1, cols):
            gain = 0.0
            for q1 in (codes1 < a, codes1 >= a):
                for q2 in (codes2 < b, codes2 >= b):
                    mask = q1 & q2
                    if np.count_nonzero(mask & (w > 0)) >= min_leaf:
                        gain += leaf(mask)
            best = max(best, gain - parent)
    return best


def lookup_reference(term_codes, scores, offset):
    """Contribution of every term for every row: ``scores[offset[t] + code]``."""
    return np.stack([scores[offset[t] + term_codes[:, t]] for t in range(term_codes.shape[1])], axis=1)


# -- one round of boosting a pair term (``_update_pair`` / ``_fill_pair_tree`` / ``_apply_update``) ----------

_MASK64 = (1 << 64) - 1


def splitmix64_reference(state):
    """The next draw of the kernels' splitmix64 generator: ``(new_state, draw)`` as Python ints."""
    state = (state + 0x9E3779B97F4A7C15) & _MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return state, z ^ (z >> 31)


def _leaf_value_gain(G, H, lam):
    return float(np.sum(G * G / (H + lam)))


class _PairGrid:
    """Gradient, hessian and row-count sums of a pair's grid, addressed by primary/secondary ranges.

    The primary axis is the grid's rows, or its columns when ``transposed``.
    """

    def __init__(self, G, H, C):
        self.G, self.H, self.C = G, H, C  # (rows, cols, K), (rows, cols, K), (rows, cols)

    def rect(self, transposed, p0, p1, s0, s1):
        """``(G, H, count)`` of the rectangle primary [p0, p1) x secondary [s0, s1)."""
        index = (slice(s0, s1), slice(p0, p1)) if transposed else (slice(p0, p1), slice(s0, s1))
        return self.G[index].sum(axis=(0, 1)), self.H[index].sum(axis=(0, 1)), self.C[index].sum()

    def n_primary(self, transposed):
        return self.C.shape[1] if transposed else self.C.shape[0]


def _best_half_reference(grid, transposed, p0, p1, min_leaf, lam):
    """Best cut of the slice primary [p0, p1) along the secondary axis: ``(gain, cut)``, cut -1 = whole."""
    n_secondary = grid.n_primary(not transposed)
    G, H, count = grid.rect(transposed, p0, p1, 0, n_secondary)
    best, cut = (_leaf_value_gain(G, H, lam) if count >= min_leaf else 0.0), -1
    for s in range(1, n_secondary):
        left, right = grid.rect(transposed, p0, p1, 0, s), grid.rect(transposed, p0, p1, s, n_secondary)
        if left[2] < min_leaf or right[2] < min_leaf:
            continue
        gain = _leaf_value_gain(left[0], left[1], lam) + _leaf_value_gain(right[0], right[1], lam)
        if gain > best:
            best, cut = gain, s
    return best, cut


def _greedy_pair_tree(grid, min_leaf, lam):
    """The best tree of either axis order: ``(transposed, primary cut, cut of each half)``; cut -1 = none."""
    G, H, _ = grid.rect(False, 0, grid.C.shape[0], 0, grid.C.shape[1])
    parent = _leaf_value_gain(G, H, lam)
    best, tree = 0.0, (False, -1, -1, -1)
    for transposed in (False, True):
        n_primary = grid.n_primary(transposed)
        for a in range(1, n_primary):
            low_gain, low_cut = _best_half_reference(grid, transposed, 0, a, min_leaf, lam)
            high_gain, high_cut = _best_half_reference(grid, transposed, a, n_primary, min_leaf, lam)
            if low_gain + high_gain - parent > best:
                best, tree = low_gain + high_gain - parent, (transposed, a, low_cut, high_cut)
    return tree


def _random_cut_reference(grid, transposed, p0, p1, min_leaf, state):
    """A cut of primary [p0, p1) along the secondary axis drawn uniformly among the valid ones."""
    n_secondary = grid.n_primary(not transposed)
    valid = [s for s in range(1, n_secondary)
             if grid.rect(transposed, p0, p1, 0, s)[2] >= min_leaf
             and grid.rect(transposed, p0, p1, s, n_secondary)[2] >= min_leaf]
    if not valid:
        return -1, state
    state, draw = splitmix64_reference(state)
    return valid[draw % len(valid)], state


def _random_pair_tree(grid, min_leaf, state):
    """The random tree of a smoothing round: axis order and every cut drawn (see ``_update_pair``)."""
    state, draw = splitmix64_reference(state)
    transposed = bool(draw & 1)
    n_primary, n_secondary = grid.n_primary(transposed), grid.n_primary(not transposed)
    a, state = _random_cut_reference(grid, not transposed, 0, n_secondary, min_leaf, state)
    low = high = -1
    if a > 0:
        low, state = _random_cut_reference(grid, transposed, 0, a, min_leaf, state)
        high, state = _random_cut_reference(grid, transposed, a, n_primary, min_leaf, state)
    return (transposed, a, low, high), state


def _pair_tree_step(grid, tree, learning_rate, lam, min_leaf):
    """Newton step of every leaf of ``tree`` on the grid (rows, cols, K); leaves under ``min_leaf`` rows keep 0."""
    transposed, a, low, high = tree
    delta = np.zeros_like(grid.G)
    if a < 0:
        return delta
    n_primary, n_secondary = grid.n_primary(transposed), grid.n_primary(not transposed)
    for p0, p1, cut in ((0, a, low), (a, n_primary, high)):
        for s0, s1 in ([(0, n_secondary)] if cut < 0 else [(0, cut), (cut, n_secondary)]):
            G, H, count = grid.rect(transposed, p0, p1, s0, s1)
            if count >= min_leaf:
                index = (slice(s0, s1), slice(p0, p1)) if transposed else (slice(p0, p1), slice(s0, s1))
                delta[index] = -learning_rate * G / (H + lam)
    return delta


def _project_pair(scores, mass, ordered, constraints):
    """Project every slice along a constrained axis onto its monotone cone (value bins only, K = 1)."""
    out = scores.copy()
    if constraints[0]:
        for b in range(out.shape[1]):
            out[: ordered[0], b, 0] = pava_reference(out[: ordered[0], b, 0], mass[: ordered[0], b], constraints[0])
    if constraints[1]:
        for a in range(out.shape[0]):
            out[a, : ordered[1], 0] = pava_reference(out[a, : ordered[1], 0], mass[a, : ordered[1]], constraints[1])
    return out


def pair_rounds_reference(codes, y, w, shape, loss, rounds, *, learning_rate, l2, min_leaf,
                          ordered=None, constraints=(0, 0), smoothing_rounds=0, seed=0):
    """Scores (rows, cols, K) after ``rounds`` rounds of boosting one pair term from zero on all rows.

    ``codes`` are the cells ``row * cols + col``; ``y`` is (n, K) (one-hot for the softmax loss).
    Each round sums gradients per cell, grows the pair tree (random in the first
    ``smoothing_rounds``, seeded like the kernel's first bag), adds its Newton
    steps and projects constrained axes.  Returns the scores and each round's tree.
    """
    rows, cols = shape
    K = y.shape[1]
    lam = max(l2, 1e-12)
    ordered = (rows, cols) if ordered is None else ordered
    counts = np.bincount(codes, weights=(w > 0).astype(float), minlength=rows * cols).reshape(rows, cols)
    mass = np.bincount(codes, weights=w, minlength=rows * cols).reshape(rows, cols)
    scores, raw, state, trees = np.zeros((rows, cols, K)), np.zeros((len(codes), K)), seed & _MASK64, []
    for r in range(rounds):
        g, h = gradients_reference(raw, y, w, loss)
        G, H = histogram_reference(codes, g, h, rows * cols)
        grid = _PairGrid(G.reshape(rows, cols, K), H.reshape(rows, cols, K), counts)
        if r < smoothing_rounds:
            tree, state = _random_pair_tree(grid, min_leaf, state)
        else:
            tree = _greedy_pair_tree(grid, min_leaf, lam)
        trees.append(tree)
        updated = _project_pair(scores + _pair_tree_step(grid, tree, learning_rate, lam, min_leaf), mass, ordered,
                                constraints)
        raw = raw + (updated - scores).reshape(rows * cols, K)[codes]
        scores = updated
    return scores, trees
