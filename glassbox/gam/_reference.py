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


def gradients_reference(raw, y, w, loss):
    """Gradient and hessian of squared (0), logistic (1) or softmax (2) loss per row."""
    if loss == 0:
        return w[:, None] * (raw - y), np.repeat(w[:, None], raw.shape[1], axis=1)
    if loss == 1:
        p = 1.0 / (1.0 + np.exp(-raw))
    else:
        e = np.exp(raw - raw.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
    return w[:, None] * (p - y), w[:, None] * np.maximum(p * (1 - p), 1e-16)


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
