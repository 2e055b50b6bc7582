"""The whole FasterRisk-style search: beam, swap pool, star rays, local search."""

import numpy as np

from ._integer_search import local_search, star_ray_search
from ._sparse_search import beam_search, swap_pool

N_POLISH = 10  # distinct integer scorecards improved by local search


def search_scorecards(problem, params):
    """Return ``(integer pool sorted by loss, continuous solutions used)``."""
    history = beam_search(problem, params.max_features, params.beam_width, params.n_expand)
    final = history[-1]
    sparse = swap_pool(problem, final, params.n_expand, params.gap_tolerance, params.pool_size)
    # smaller scorecards too, so the pool offers simpler alternatives
    for level in history[1:-1]:
        sparse += level[:2]
    found = {}
    for solution in sparse:
        for candidate in star_ray_search(problem, solution, params.n_multipliers):
            _keep(found, candidate)
    ranked = _ranked(found)
    for candidate in ranked[:N_POLISH]:
        _keep(found, local_search(problem, candidate))
    return _distinct(problem, _ranked(found), params.pool_size), sparse


def _keep(found, candidate):
    old = found.get(candidate.key)
    if old is None or candidate.loss < old.loss:
        found[candidate.key] = candidate


def _ranked(found):
    return sorted(found.values(), key=lambda s: (s.loss, len(s.support), s.key))


def _distinct(problem, ranked, pool_size):
    """Drop scorecards that predict exactly like a better one (e.g. ``x >= t: +5``
    against ``x < t: -5`` with the intercept moved by 5)."""
    kept, seen = [], set()
    for card in ranked:
        support = list(card.support)
        total = problem.Z[:, support].astype(np.int64) @ card.points + card.intercept if support else np.full(problem.Z.shape[0], card.intercept)
        key = (np.asarray(total, dtype=np.int64).tobytes(), round(card.multiplier, 9))
        if key in seen:
            continue
        seen.add(key)
        kept.append(card)
        if len(kept) == pool_size:
            break
    return kept
