"""The multinomial lasso on a categorical of many levels: the flat directions of classes and levels together."""

import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from glassbox import SparseLinearClassifier
from glassbox.linear._solver import _lowest_penalty_step, _settle_class_shifts, _settle_classes_and_levels


def _merchants(n, n_levels, seed=0):
    """A categorical of many levels, a numeric feature and a three-level one; three ordered classes."""
    rng = np.random.RandomState(seed)
    codes = rng.randint(0, n_levels, n)
    X = pd.DataFrame({"merchant": pd.Categorical([f"m{c:04d}" for c in codes]), "amount": rng.normal(size=n),
                      "region": rng.choice(["north", "south", "east"], n)})
    linear = rng.normal(scale=0.7, size=n_levels)[codes] + 0.5 * X["amount"] + (X["region"] == "north") - 1.5
    return X, np.digitize(linear + rng.logistic(size=n), [-2.0, -1.0])


def _penalty(coef):
    return np.abs(coef).sum()


def test_many_levels_converge_in_few_outer_iterations():
    # The loss is flat along a level shift within a class and along a term's shift in every class, and
    # the one-dimensional settlings of each stopped where a combination of the two still lowered the
    # penalty: the cycle over the classes crept there, 1,738 outer iterations on 60 levels (90 now).
    X, y = _merchants(1500, 60)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = SparseLinearClassifier(alpha=3e-4).fit(X, y)
    assert model.n_iter_ <= 200
    tight = SparseLinearClassifier(alpha=3e-4, tol=1e-10, max_iter=20_000).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), tight.predict_proba(X), atol=5e-5)


def test_joint_settling_lowers_the_penalty_and_moves_only_along_flat_directions():
    # Median polish (each class along the levels, each level along the classes, each exact) stops here;
    # the linear programme over both shifts together does not.
    rng = np.random.default_rng(3)
    n_classes, n_levels = 3, 40
    direction = rng.uniform(0.3, 0.6, n_levels)
    coef = rng.normal(size=(n_classes, n_levels)) * direction
    coef[rng.uniform(size=coef.shape) < 0.3] = 0.0
    signs = np.zeros(n_levels, dtype=np.int8)
    polished = coef.copy()
    for _ in range(50):
        _polish(polished, direction, signs)
    moved = polished.copy()
    _settle_classes_and_levels(moved, np.arange(n_levels), direction)
    assert _penalty(moved) < _penalty(polished) * (1 - 1e-6)
    # the move is (a_k + c_j) d_j: a two-way additive fit of the change over d is exact
    change = (moved - polished) / direction
    rows, cols = np.divmod(np.arange(change.size), n_levels)
    design = np.zeros((change.size, n_classes + n_levels))
    design[np.arange(change.size), rows] = 1.0
    design[np.arange(change.size), n_classes + cols] = 1.0
    shifts = np.linalg.lstsq(design, change.ravel(), rcond=None)[0]
    np.testing.assert_allclose(design @ shifts, change.ravel(), atol=1e-13)
    # the cells the optimum puts at zero are exactly zero, and at least one per level
    assert np.all((moved == 0.0).any(axis=0))


def _polish(coef, direction, signs):
    """One round of the one-dimensional settlings: every class along the levels, every level along the classes."""
    for k in range(coef.shape[0]):
        step = _lowest_penalty_step(coef[k], direction, 1.0, 0.0, signs)
        coef[k] += step * direction
    _settle_class_shifts(coef, 1.0, 0.0, np.array([], dtype=np.intp))
