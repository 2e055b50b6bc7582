"""Slow NumPy references of the rule kernels, used only by tests."""

from itertools import combinations

import numpy as np


def mine_reference(masks, compatible, weights, min_support, max_rule_len):
    """Frequent conjunctions by brute force over boolean masks ``(n_conditions, n_samples)``.

    Same rules as the compiled miner: items with support in [min_support, total),
    pairwise compatible conditions, and no conjunction equal (in covered weight)
    to its prefix or to its last condition.  Returns ``{items: weight}``.
    """
    total = weights.sum()
    item_weight = masks.astype(float) @ weights
    frequent = [i for i in range(len(masks)) if min_support * total * (1 - 1e-12) <= item_weight[i] < total * (1 - 1e-12)]
    found = {(i,): item_weight[i] for i in frequent}
    for width in range(2, max_rule_len + 1):
        for combo in combinations(frequent, width):
            if not all(compatible[a, b] for a, b in combinations(combo, 2)):
                continue
            if combo[:-1] not in found:  # every prefix must itself be emitted
                continue
            weight = np.logical_and.reduce(masks[list(combo)]).astype(float) @ weights
            if weight < min_support * total * (1 - 1e-12):
                continue
            if weight == found[combo[:-1]] or weight == item_weight[combo[-1]]:
                continue
            found[combo] = weight
    return found


def log_posterior_reference(rule_masks, y, weights, n_classes, alpha, widths, width_totals, lam, eta, max_length):
    """Log-posterior (up to a constant) of a rule list, computed directly.

    ``rule_masks`` are the coverage masks of the list's rules in order,
    ``widths`` their widths, ``width_totals[w]`` the number of candidates of
    width ``w``.  Mirrors Letham et al. (2015): truncated Poisson(lam) on the
    length, truncated Poisson(eta) on each width among widths still available,
    uniform among unused candidates of that width, Dirichlet-multinomial
    marginal likelihood per rule and for the default.
    """
    from scipy.special import gammaln

    m = len(rule_masks)
    log_prior = m * np.log(lam) - gammaln(m + 1) - np.log(sum(lam**j / np.exp(gammaln(j + 1)) for j in range(max_length + 1)))
    remaining = dict(width_totals)
    for w in widths:
        available = [v for v, n in remaining.items() if n > 0]
        norm = sum(eta**v / np.exp(gammaln(v + 1)) for v in available)
        log_prior += w * np.log(eta) - gammaln(w + 1) - np.log(norm) - np.log(remaining[w])
        remaining[w] -= 1
    free = np.ones(len(y), dtype=bool)
    log_lik = 0.0
    for mask in list(rule_masks) + [np.ones(len(y), dtype=bool)]:
        captured = free & mask
        free &= ~mask
        counts = np.bincount(y[captured], weights=weights[captured], minlength=n_classes)
        log_lik += gammaln(alpha.sum()) - gammaln(alpha.sum() + counts.sum()) + np.sum(gammaln(alpha + counts) - gammaln(alpha))
    return log_prior + log_lik
