"""The whole FasterRisk-style search: beam, swap pool, star rays, local search."""

import numpy as np

from ._integer_search import MIN_MULTIPLIER, MIN_SCALE, local_search, star_ray_search
from ._sparse_search import beam_search, swap_pool

N_POLISH = 10  # distinct integer scorecards improved by local search
LOSS_TIE = 1e-12  # relative loss difference below which two spellings of one model tie


def search_scorecards(problem, params, progress=None):
    """Return ``(integer pool sorted by loss, continuous solutions used)``.

    ``progress`` (a :class:`~glassbox.utils._progress.Progress`, optional) says
    each stage's end with the best loss so far.
    """
    history = beam_search(problem, params.max_features, params.beam_width, params.n_expand)
    if progress:  # the summary first: it carries the search's seconds, the steps are read from its history
        progress.say(f"beam search (sparse logistic, beam_width={params.beam_width}): up to {len(history) - 1} "
                     f"conditions, best continuous loss {history[-1][0].loss:.6f}")
        for size, level in enumerate(history[1:], start=1):
            progress.say(f"beam search, {size} conditions: {len(level)} supports kept, best continuous loss "
                         f"{level[0].loss:.6f}", level=2)
    final = history[-1]
    sparse = swap_pool(problem, final, params.n_expand, params.gap_tolerance, params.pool_size)
    if progress:
        progress.say(f"swaps: {len(sparse)} continuous solutions within gap_tolerance={params.gap_tolerance} "
                     f"of the best")
    # smaller scorecards too, so the pool offers simpler alternatives
    for level in history[1:-1]:
        sparse += level[:2]
    found = {}
    for solution in sparse:
        for candidate in star_ray_search(problem, solution, params.n_multipliers):
            _keep(found, candidate)
    ranked = _ranked(found)
    if progress:
        progress.say(f"star-ray rounding ({params.n_multipliers} multipliers): {len(found)} integer scorecards, "
                     f"best loss {ranked[0].loss:.6f}")
    for candidate in ranked[:N_POLISH]:
        _keep(found, local_search(problem, candidate))
    pool = _distinct(problem, _ranked(found), params.pool_size)
    if progress:
        progress.say(f"local search of the best {min(N_POLISH, len(ranked))}: best loss {pool[0].loss:.6f}; "
                     f"{len(pool)} distinct scorecards pooled")
    return pool, sparse


def _keep(found, candidate):
    old = found.get(candidate.key)
    if old is None or candidate.loss < old.loss:
        found[candidate.key] = candidate


def _rank(card):
    return (card.loss, len(card.support), card.key)


def _ranked(found):
    return sorted(found.values(), key=_rank)


def _distinct(problem, ranked, pool_size):
    """One scorecard per model, at most ``pool_size`` models, best first.

    Cards that give every training row the same risk are one model:
    ``x >= t: +k`` against ``x < t: -k`` with the intercept moved by ``k`` (a
    complement), or every point and the intercept doubled with the multiplier
    doubled (see ``_model_key``).  The pool lists a model once, spelled with the
    smallest points among its spellings at its best loss; the next distinct
    models fill the places the repeats would have taken.
    """
    groups, last_best = {}, None
    for card in ranked:
        if len(groups) == pool_size and card.loss > last_best + _tie(last_best):
            break  # later spellings of the pooled models fit worse
        key = _model_key(problem, card)
        if key not in groups:
            if len(groups) == pool_size:
                continue
            groups[key], last_best = [], card.loss
        groups[key].append(card)
    return sorted((_simplest(spellings) for spellings in groups.values()), key=_rank)


def _model_key(problem, card):
    """What decides the card's risks on the training rows: ``sigmoid(total / multiplier)`` per row.

    The totals (points earned + intercept) divided by their greatest common
    divisor, and the divisor itself when the multiplier sits on a bound of its
    range.  Cards with proportional totals ``g * r`` each take the multiplier
    that is best for ``r``, so ``g / multiplier`` is the same for all of them
    and so are the risks -- unless the multiplier is held at a bound (mostly
    ``MIN_MULTIPLIER``, on data separable on one side): then ``g / multiplier``
    differs with ``g`` and so do the risks (mammo with Age_geq_60 as the event:
    ``Age_geq_45 >= 1`` at points 2, 3, 4 and 5, each at multiplier 0.5, are
    four models).  Rounding ``g / multiplier`` into the key would not do:
    separately optimised multipliers differ in late digits.
    """
    support = list(card.support)
    total = problem.Z[:, support].astype(np.int64) @ card.points + card.intercept if support else np.full(problem.Z.shape[0], card.intercept)
    total = np.asarray(total, dtype=np.int64)
    divisor = int(np.gcd.reduce(np.abs(total))) or 1
    return (total // divisor).tobytes(), divisor if _multiplier_on_bound(card.multiplier) else None


def _multiplier_on_bound(multiplier):
    """Whether the multiplier was held at a bound of the range the search allows, so it could not scale with the points."""
    return multiplier <= MIN_MULTIPLIER * (1 + 1e-9) or multiplier >= (1 / MIN_SCALE) * (1 - 1e-9)


def _tie(loss):
    """Losses this close are one model's spellings differing by the rounding of their multipliers."""
    return LOSS_TIE * max(abs(loss), 1.0)


def _simplest(spellings):
    """Of one model's spellings (best loss first), the one with the smallest points among those at its best loss.

    Spellings that tie on their points too (``x >= t: +k`` and ``x < t: -k``,
    the intercept moved by ``k``) are settled without their losses, which differ
    in their last bits only (integer weights and the same rows repeated sum the
    loss in another order): fewest negative points (a card that adds points
    toward the event), then the card's key (conditions and points), so that one
    model prints one card however its rows arrive.
    """
    best = spellings[0].loss
    tied = [card for card in spellings if card.loss <= best + _tie(best)]
    return min(tied, key=_spelling_rank)


def _spelling_rank(card):
    points = np.abs(card.points)
    return (int(points.max(initial=0)), int(points.sum()), int(np.count_nonzero(card.points < 0)), card.key)
