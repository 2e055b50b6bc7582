"""The compiled pair-boosting path against its NumPy reference (``pair_rounds_reference``).

One pair term is boosted on its own from zero: each round's tree (a cut on one
axis, then a cut of each half on the other, the better of both axis orders),
its Newton leaf values, the ``min_leaf`` rule on rows with positive weight, the
projection of constrained slices and the random trees of smoothing rounds must
agree with the slow reference.
"""

import numpy as np
import pytest

from glassbox.gam._gam_fast import boost_bags
from glassbox.gam._reference import pair_rounds_reference

LOSS_SQUARED, LOSS_SOFTMAX = 0, 2


def _boost_pair(codes, y, w, shape, loss, rounds, *, learning_rate, l2, min_leaf, ordered=None,
                constraints=(0, 0), smoothing_rounds=0, seed=0):
    """The compiled kernel on one pair term, all rows boosted, no validation rows."""
    n, K = y.shape
    rows, cols = shape
    ordered = (rows, cols) if ordered is None else ordered
    scores, best, used = np.zeros((1, rows * cols, K)), np.zeros((1, rows * cols, K)), np.zeros(1, dtype=np.intp)
    raw_train = np.zeros((1, n, K))

    def one(v, dtype=np.intp):
        return np.array([v], dtype=dtype)

    boost_bags(np.asfortranarray(codes[:, None].astype(np.uint16)), np.ascontiguousarray(y, dtype=float), w,
               np.arange(n, dtype=np.intp)[None, :], one(n), np.zeros((1, 1), dtype=np.intp), one(0),
               raw_train, np.zeros((1, 1, K)), one(2), np.array([0, rows * cols], dtype=np.intp), one(rows),
               one(cols), one(ordered[0]), one(ordered[1]), one(constraints[0], np.int8),
               one(constraints[1], np.int8), scores, best, used, loss, learning_rate, rounds, 1000, 0.0,
               min_leaf, 3, l2, 1, smoothing_rounds, seed)
    assert used[0] == rounds
    grid = best[0].reshape(rows, cols, K)
    np.testing.assert_allclose(raw_train[0], best[0][codes], rtol=1e-12, atol=1e-14)  # rows follow the grid
    return grid


def _data(shape, K, along, seed, n=900):
    """Rows on a ``shape`` grid (every cell reached), targets driven mostly along one axis."""
    rng = np.random.RandomState(seed)
    rows, cols = shape
    first, second = rng.randint(rows, size=n), rng.randint(cols, size=n)
    first[: rows * cols], second[: rows * cols] = np.divmod(np.arange(rows * cols), cols)
    strong, weak = (first, second) if along == "rows" else (second, first)
    # each half of the strong axis has its own cut of the weak one (at 1 above 2, at 3 below)
    high = strong >= 2
    signal = 2.0 * high - 1.0 + 0.4 * (weak >= 1) * high - 0.4 * (weak >= 3) * ~high + 0.3 * rng.randn(n)
    w = rng.uniform(0.5, 2.0, size=n)
    w[rng.rand(n) < 0.1] = 0.0  # weightless rows count for no leaf
    if K == 1:
        y = signal[:, None]
    else:
        labels = np.digitize(signal + 0.5 * rng.randn(n), [-0.7, 0.7])
        y = np.eye(K)[labels]
    return first * cols + second, y, w


SETTINGS = dict(learning_rate=0.3, l2=0.5, min_leaf=15.0)
# the boosting passes take the softmax's exponentials in single precision (~1e-7 relative)
TOLERANCE = {LOSS_SQUARED: dict(rtol=1e-10, atol=1e-12), LOSS_SOFTMAX: dict(rtol=1e-6, atol=1e-9)}


@pytest.mark.parametrize("K, loss", [(1, LOSS_SQUARED), (3, LOSS_SOFTMAX)])
@pytest.mark.parametrize("along, expected_transposed", [("rows", False), ("cols", True)])
@pytest.mark.parametrize("rounds", [1, 4])
def test_greedy_pair_rounds_match_the_reference(K, loss, along, expected_transposed, rounds):
    shape = (6, 5)
    codes, y, w = _data(shape, K, along, seed=K + rounds)
    expected, trees = pair_rounds_reference(codes, y, w, shape, loss, rounds, **SETTINGS)
    assert trees[0][0] == expected_transposed  # the first cut is on the axis the signal runs along
    assert trees[0][1:] == (2, 3, 1)  # a primary cut, and its own cut of each half: four leaves
    got = _boost_pair(codes, y, w, shape, loss, rounds, **SETTINGS)
    np.testing.assert_allclose(got, expected, **TOLERANCE[loss])


def test_min_leaf_keeps_thin_leaves_at_zero():
    shape = (6, 5)
    codes, y, w = _data(shape, 1, "rows", seed=5, n=200)
    settings = dict(SETTINGS, min_leaf=60.0)
    expected, trees = pair_rounds_reference(codes, y, w, shape, LOSS_SQUARED, 2, **settings)
    assert trees[0][1] > 0 and np.any(expected == 0.0)  # some leaves were too thin to move
    np.testing.assert_allclose(_boost_pair(codes, y, w, shape, LOSS_SQUARED, 2, **settings), expected,
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("constraints, along", [((1, 0), "cols"), ((0, -1), "rows")])
def test_constrained_pair_rounds_match_the_projected_reference(constraints, along):
    """The last row and column are missing bins: outside the order, not projected."""
    shape = (7, 6)
    codes, y, w = _data(shape, 1, along, seed=11)
    rows, cols = np.divmod(codes, shape[1])
    y = y + 0.8 * np.sin(rows[:, None] * 1.3) - 0.8 * np.cos(cols[:, None])  # bends against either constraint
    settings = dict(SETTINGS, ordered=(6, 5), constraints=constraints)
    expected, _ = pair_rounds_reference(codes, y, w, shape, LOSS_SQUARED, 5, **settings)
    unprojected, _ = pair_rounds_reference(codes, y, w, shape, LOSS_SQUARED, 5, **SETTINGS)
    assert not np.allclose(expected, unprojected)  # the projection did something
    axis = 0 if constraints[0] else 1
    values = np.take(expected[..., 0], np.arange(6 if axis == 0 else 5), axis=axis)
    assert np.all(np.diff(values, axis=axis) * (constraints[0] or constraints[1]) >= 0)
    got = _boost_pair(codes, y, w, shape, LOSS_SQUARED, 5, **settings)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("K, loss", [(1, LOSS_SQUARED), (3, LOSS_SOFTMAX)])
def test_smoothing_rounds_draw_the_same_random_trees(K, loss):
    shape = (6, 5)
    codes, y, w = _data(shape, K, "rows", seed=21)
    orientations = set()
    for seed in range(6):
        expected, trees = pair_rounds_reference(codes, y, w, shape, loss, 3, **SETTINGS, smoothing_rounds=3,
                                                seed=seed)
        orientations |= {tree[0] for tree in trees}
        got = _boost_pair(codes, y, w, shape, loss, 3, **SETTINGS, smoothing_rounds=3, seed=seed)
        np.testing.assert_allclose(got, expected, **TOLERANCE[loss])
    assert orientations == {False, True}  # both axis orders were drawn
