"""What a GAM's ``verbose`` prints after each stage of the fit.

The compiled kernels boost all bags of a stage at once (in threads), so the
lines are printed by the calling thread once a stage has returned.  The
validation losses are recomputed from the stage's kept shapes only when a line
will show them; nothing here feeds back into the fit.
"""

import numpy as np

from ..explain._render import count_text
from ._boosting import add_terms
from ._gam_fast import mean_loss


def say_binned(progress, binner, n_samples, bags):
    """One line: the features binned, their largest bin count, the rows and the bags."""
    if not progress:
        return
    widest = max((bins.n_bins for bins in binner.bins_), default=0)
    n_valid = int(np.median([len(valid) for _, valid in bags])) if bags else 0
    progress.say(f"binned {count_text(len(binner.bins_), 'feature')} into at most {widest} bins; "
                 f"{count_text(n_samples, 'row')}, {count_text(len(bags), 'outer bag')} (about "
                 f"{count_text(n_valid, 'validation row')} each)")


def say_stage(progress, stage, layout, term_codes, data, bags, raw_of_bag, bag_scores, rounds):
    """The stage's summary line, then at ``verbose >= 2`` a line per bag (best round, validation loss).

    ``raw_of_bag(b)``: bag ``b``'s raw scores before the stage (all rows);
    ``bag_scores[b]``: its kept (early-stopped) cells.
    """
    if not progress:
        return
    losses = [_validation_loss(layout, term_codes, data, valid, raw_of_bag(b), bag_scores[b])
              for b, (_, valid) in enumerate(bags)]
    known = [loss for loss in losses if loss is not None]
    mean = _loss_text(float(np.mean(known)) if known else None)
    # the summary first: it carries the stage's seconds (the bags boost together, none has a time of its own)
    progress.say(f"{stage}: {count_text(layout.n_terms, 'term')} boosted on {count_text(len(bags), 'bag')}, "
                 f"best rounds {_rounds_text(rounds)}, mean validation loss {mean}")
    for b, (r, loss) in enumerate(zip(rounds, losses)):
        progress.say(f"{stage} bag {b + 1}/{len(bags)}: best round {int(r)}, validation loss {_loss_text(loss)}",
                     level=2)


def say_pairs(progress, pair_groups, asked):
    """One line: how many pairs were chosen (``asked``: the setting) and in how many boosting groups."""
    if not progress:
        return
    n_pairs = sum(layout.n_terms for layout in pair_groups)
    progress.say(f"pairs: {n_pairs} chosen (interactions={asked!r}) in {count_text(len(pair_groups), 'group')}")


def say_joint(progress, rounds):
    """One line: the joint stage's best rounds (mains and pairs boosted together)."""
    if progress:
        progress.say(f"joint stage: mains and pairs boosted together on the bags, best rounds {_rounds_text(rounds)}")


def _validation_loss(layout, term_codes, data, valid, raw, scores):
    """The bag's mean loss on its validation rows after the stage (None without validation rows)."""
    if not len(valid):
        return None
    after = add_terms(np.ascontiguousarray(raw[valid]), np.asfortranarray(term_codes[valid]),
                      scores, layout.offset, data.settings.n_threads)
    return float(mean_loss(np.ascontiguousarray(after), np.ascontiguousarray(data.targets[valid]),
                           np.ascontiguousarray(data.weights[valid]), data.loss, data.settings.power))


def _loss_text(loss):
    return "n/a (no validation rows)" if loss is None else f"{loss:.6g}"


def _rounds_text(rounds):
    rounds = np.asarray(rounds)
    if rounds.size == 0:
        return "none"
    low, high = int(rounds.min()), int(rounds.max())
    return f"{low}" if low == high else f"{low}-{high} (median {float(np.median(rounds)):g})"
