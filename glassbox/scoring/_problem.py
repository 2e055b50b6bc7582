"""From generated conditions to the search problem: bounds, complements, usable columns."""

from numbers import Integral

import numpy as np

from ._sparse_search import Problem


def check_points_range(points_range):
    """Validate ``points_range``; return ``(low, high)`` as ints with low <= 0 <= high, low < high."""
    try:
        values = list(points_range)
    except TypeError:
        values = None
    if values is None or len(values) != 2 or not all(isinstance(v, (Integral, np.integer)) and not isinstance(v, bool) for v in values):
        raise ValueError(f"points_range must be a pair of integers (low, high) such as (-5, 5), got {points_range!r}.")
    low, high = int(values[0]), int(values[1])
    if low >= high or (low == 0 and high == 0):
        raise ValueError(f"points_range {points_range!r} is empty; give low < high, e.g. (-5, 5).")
    if low > 0 or high < 0:
        raise ValueError(
            f"points_range {points_range!r} must contain 0 (a condition with 0 points is simply left out); "
            "e.g. use (0, 5) for positive points only."
        )
    return low, high


def condition_bounds(generator, points_range, constraints):
    """Per-condition points box, narrowed to one sign on monotone-constrained features.

    With constraint +1 on ``x``, ``x >= t`` may only add points and ``x < t`` only
    subtract them; then every step of the total score at a threshold is
    ``points(x >= t) - points(x < t) >= 0``, so the score never falls as ``x``
    grows, whatever else is in the card.  (-1 mirrors it.)  ``is missing`` is
    not on the axis and stays free.
    """
    low, high = points_range
    p = len(generator.conditions_)
    lower = np.full(p, float(low))
    upper = np.full(p, float(high))
    for j, condition in enumerate(generator.conditions_):
        sign = constraints[generator.condition_feature_[j]]
        if sign == 0 or condition.op not in (">=", "<"):
            continue
        rising = sign if condition.op == ">=" else -sign
        if rising > 0:
            lower[j] = 0.0
        else:
            upper[j] = 0.0
    return lower, upper


def complements(generator):
    """Index of ``x < t`` for ``x >= t`` and back (-1 when there is none)."""
    where = {}
    for j, c in enumerate(generator.conditions_):
        if c.op in (">=", "<"):
            where[(c.feature, c.op, c.value)] = j
    out = np.full(len(generator.conditions_), -1, dtype=np.intp)
    for j, c in enumerate(generator.conditions_):
        if c.op in (">=", "<"):
            other = "<" if c.op == ">=" else ">="
            out[j] = where.get((c.feature, other, c.value), -1)
    return out


def usable_conditions(Z, weight, lower, upper):
    """Conditions that split the weighted rows and may take nonzero points; duplicates dropped."""
    rows = weight > 0
    covered = _weighted_column_sums(Z, np.flatnonzero(rows), weight)
    total = weight[rows].sum()
    usable = (covered > 1e-12 * total) & (covered < total * (1 - 1e-12)) & ((lower < 0) | (upper > 0))
    seen = set()
    for j in np.flatnonzero(usable):
        key = np.packbits(Z[rows, j]).tobytes()
        if key in seen:
            usable[j] = False
        seen.add(key)
    return usable.astype(np.uint8)


#: Rows of float64 products :func:`_weighted_column_sums` forms at a time (about 32 MB over 400 conditions).
_CHUNK_ROWS = 10_000


def _weighted_column_sums(Z, index, weight):
    """``(Z[index] * weight[index, None]).sum(axis=0)``, bit for bit, a chunk of rows at a time.

    The whole product is 8 bytes per row and condition, twice (the float copy and the product): 650 MB on
    100,000 rows x 408 conditions, most of the fit's peak.  numpy sums a C-ordered array along axis 0 one
    row after another, so carrying the running sum in as the first row of the next chunk adds in the same
    order as the whole.
    """
    covered = np.zeros((1, Z.shape[1]))
    for start in range(0, len(index), _CHUNK_ROWS):
        part = index[start:start + _CHUNK_ROWS]
        products = np.ascontiguousarray(Z[part], dtype=np.float64) * weight[part, None]
        covered = np.concatenate([covered, products]).sum(axis=0, keepdims=True)
    return covered[0]


def build_problem(generator, Z, encoded, weight, points_range, constraints, n_threads):
    lower, upper = condition_bounds(generator, points_range, constraints)
    return Problem(
        Z=np.asfortranarray(Z, dtype=np.uint8),
        y=np.where(encoded == 1, 1.0, -1.0),
        weight=weight / weight.sum(),
        lower=lower,
        upper=upper,
        complement=complements(generator),
        usable=usable_conditions(Z, weight, lower, upper),
        # threads only pay off on large designs; small ones lose more to start-up than they gain
        n_threads=n_threads if Z.size >= 4_000_000 else 1,
    )
