"""The regressor's last stage: main effects and pairs boosted together, starting from the staged fit.

The stages fit the main effects first and the pairs on their residual
(Lou et al. 2013), so a main effect keeps whatever share of an interaction
it absorbed before any pair existed, and a pair can only add to it.  One
more cyclic stage over all terms at once, starting from the staged fit and
early-stopped on the same validation rows, lets mains and pairs share the
signal between them.  On inner 70/30 splits of the bike sharing training
part it lowered the test RMSE from 52.05 to 50.96 (two splits); on the wine
sets it keeps no round (the staged fit is already where the validation rows
want it), so it costs a few dozen rounds there and changes nothing.
"""

import numpy as np

from ._boosting import run_stage
from ._terms import _layout


def joint_layout(layouts):
    """One layout holding the terms of all ``layouts`` in order (scores stay in the same order)."""
    def field(name):
        return np.concatenate([getattr(layout, name) for layout in layouts])

    return _layout(
        features=[f for layout in layouts for f in layout.features],
        kind=field("kind"), rows=field("rows"), cols=field("cols"),
        ordered1=field("ordered1"), ordered2=field("ordered2"), cst1=field("cst1"), cst2=field("cst2"),
        code_maps=[m for layout in layouts for m in layout.code_maps],
        bins=[b for layout in layouts for b in layout.bins],
    )


def stage_rows(bags, n_samples):
    """The rows the bags use and the bags' positions among them; ``(None, bags)`` if they use every row.

    On large data the pair stage, and so the joint stage, boosts on a capped
    share of each bag's rows (``_pairs.PAIR_STAGE_MAX_ROWS``): its code columns
    (mains and every pair) are then stacked for those rows only, not for all.
    """
    rows = np.unique(np.concatenate([part for bag in bags for part in bag]))
    if len(rows) == n_samples:
        return None, bags
    return rows, [tuple(np.searchsorted(rows, part) for part in bag) for bag in bags]


def boost_jointly(parts, Y, weights, bags, base_raw, settings, reference_loss):
    """Boost all terms of ``parts`` together from their current fit; returns the new bag scores.

    Parameters
    ----------
    parts : list of (layout, term_codes, bag_scores)
        Every stage's layout, its code columns and its bags' (uncentred) scores.
    base_raw : callable
        ``base_raw(b)``: bag ``b``'s raw scores of the current fit (rows x outputs).

    Returns
    -------
    scores : list of ndarray (n_bags, total_cells, n_outputs)
        Each part's bag scores plus the joint stage's early-stopped steps.
    rounds : ndarray (n_bags,)
    """
    layout = joint_layout([part[0] for part in parts])
    rows, local_bags = stage_rows(bags, Y.shape[0])
    codes = np.empty((Y.shape[0] if rows is None else len(rows), layout.n_terms), dtype=np.uint16, order="F")
    start = 0
    for _, part_codes, _ in parts:
        stop = start + part_codes.shape[1]
        codes[:, start:stop] = part_codes if rows is None else part_codes[rows]
        start = stop
    if rows is not None:
        Y, weights, full_raw = Y[rows], weights[rows], base_raw
        base_raw = lambda b: full_raw(b)[rows]  # noqa: E731
    steps, rounds = run_stage(layout, codes, Y, weights, local_bags, base_raw, settings, reference_loss)
    out, start = [], 0
    for part_layout, _, part_scores in parts:
        stop = start + part_layout.total_cells
        out.append(part_scores + steps[:, start:stop])
        start = stop
    return out, rounds
