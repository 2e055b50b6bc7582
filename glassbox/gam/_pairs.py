"""Which pairs a GAM boosts: explicit lists, or the top pairs by FAST.

FAST (Lou, Caruana, Gehrke and Hooker, KDD 2013) ranks a pair by how much the
residual of the main-effect model drops when the pair's grid is cut once along
each axis and each quadrant gets its own constant (a Newton step on the
gradient / hessian histograms of the residual).  Pairs are binned coarser than
main effects (``max_interaction_bins``) so the grid stays small.

On large data the pair stage boosts on a random share of every bag's rows
(:data:`PAIR_STAGE_MAX_ROWS`): a pair's grid has at most about a thousand
cells, which a quarter of a million rows estimate well, so the stage then
costs the same at ten million rows as at a quarter of a million.
"""

from itertools import combinations

import numpy as np

from ._boosting import add_terms
from ._gam_fast import gradients, pair_gains
from ..utils._feature_keys import check_integer_key, unknown_feature_error
from ._terms import coarse_bins

# Training rows per bag the pair stage boosts on at most (its validation part shrinks in step).
PAIR_STAGE_MAX_ROWS = 250_000


def pair_stage_bags(bags, seed, max_rows=None):
    """The bags' rows for the pair stage: unchanged, or a random ``max_rows`` of a larger training part.

    The validation part keeps its share of the bag.  Rows stay in increasing
    order (the boosting passes read the data in that order).  Drawn from
    ``seed`` alone, so the bags of smaller data use no random numbers here.
    """
    max_rows = PAIR_STAGE_MAX_ROWS if max_rows is None else max_rows
    out = []
    for b, (train, valid) in enumerate(bags):
        if len(train) <= max_rows:
            out.append((train, valid))
            continue
        rng = np.random.RandomState((seed + 7919 * (b + 1)) % 2**32)
        n_valid = int(round(len(valid) * max_rows / len(train)))
        out.append((np.sort(rng.choice(train, max_rows, replace=False)),
                    np.sort(rng.choice(valid, n_valid, replace=False))))
    return out


def interaction_bins(mains, main_mass, max_bins):
    """Coarse interaction bins and fine-to-coarse code maps of every feature."""
    coarse, code_maps = [], []
    for t in range(mains.n_terms):
        bins, code_map = coarse_bins(mains.bins[t][0], main_mass[mains.cell_slice(t)], max_bins)
        coarse.append(bins)
        code_maps.append(code_map)
    return coarse, code_maps


def resolve_pairs(interactions, feature_names, constraints, positional_names=False, column_labels=None):
    """Validate an explicit list of pairs (names or indices) into index tuples, in the order written.

    ``column_labels``: the training frame's integer labels that are not positions (an index that is also
    another column's label is refused as ambiguous).

    The order is kept so that ``("alcohol", "sulphates")`` is the term ``"alcohol x sulphates"``,
    found under the name the user wrote; a pair given twice (in either order) is fitted once.
    """
    pairs = []
    for given in interactions:
        entry = list(given) if np.ndim(given) == 1 else None
        if entry is None or len(entry) != 2:
            raise ValueError(
                f"interactions entry {given!r} is not a pair of two features; interactions must be a number of pairs "
                "or a list of pairs such as [('age', 'income'), (0, 3)]."
            )
        index = tuple(_feature_index(f, feature_names, positional_names, column_labels) for f in entry)
        if index[0] == index[1]:
            raise ValueError(f"The interaction {tuple(entry)} pairs a feature with itself; name two different features.")
        if constraints[index[0]] and constraints[index[1]]:
            raise ValueError(
                f"The interaction {tuple(entry)} joins two monotone-constrained features; a pair may involve at "
                "most one constrained feature (it is then kept monotone along that feature)."
            )
        if index not in pairs and index[::-1] not in pairs:
            pairs.append(index)
    return pairs


def _feature_index(feature, feature_names, positional_names, column_labels):
    check_integer_key(feature, "interactions", column_labels)
    if isinstance(feature, (str, np.str_)):
        if feature not in feature_names:
            raise unknown_feature_error(feature, "interactions", feature_names, positional_names=positional_names)
        return feature_names.index(feature)
    if isinstance(feature, (int, np.integer)) and not isinstance(feature, bool) and 0 <= feature < len(feature_names):
        return int(feature)
    raise ValueError(
        f"interactions entry {feature!r} is neither a feature name nor an index in [0, {len(feature_names)})."
    )


def choose_pairs(interactions, feature_names, constraints, coarse, code_maps, codes, fitted_mains, mains,
                 targets, weights, loss, min_leaf, n_threads, power=0.0, positional_names=False, column_labels=None):
    """The pairs to boost: index tuples in decreasing FAST gain, or the given pairs as written.

    ``power`` is the Tweedie loss's (other losses ignore it); ``positional_names``: the model was fitted
    without column names (``feature_names`` are ``x0, x1, ...``), which an unknown name's error says.
    """
    if not isinstance(interactions, (int, np.integer)):
        return resolve_pairs(interactions, feature_names, constraints, positional_names, column_labels)
    candidates = [
        (a, b) for a, b in combinations(range(len(feature_names)), 2) if not (constraints[a] and constraints[b])
    ]
    if interactions == 0 or not candidates:
        return []
    n_samples, K = targets.shape
    main_codes = mains.codes(codes)
    raw = add_terms(np.broadcast_to(fitted_mains.intercept, (n_samples, K)), main_codes,
                    fitted_mains.scores, mains.offset, n_threads)
    g = np.empty((n_samples, K))
    h = np.empty((n_samples, K))
    gradients(np.ascontiguousarray(raw), targets, weights, g, h, loss, n_threads, power)
    coarse_codes = np.empty(codes.shape, dtype=np.uint16, order="F")
    for j, code_map in enumerate(code_maps):
        coarse_codes[:, j] = code_map[codes[:, j]]
    n_coarse = np.array([b.n_bins for b in coarse], dtype=np.intp)
    first = np.array([a for a, _ in candidates], dtype=np.intp)
    second = np.array([b for _, b in candidates], dtype=np.intp)
    gains = np.zeros(len(candidates))
    pair_gains(coarse_codes, g, h, weights, n_coarse, first, second, min_leaf, gains, n_threads)
    order = np.argsort(-gains, kind="stable")
    return [candidates[i] for i in order[:interactions] if gains[i] > 0]
