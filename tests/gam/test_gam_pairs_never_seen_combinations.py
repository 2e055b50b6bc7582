"""A pair of two categoricals: a level combination no training row had scores 0, not its code-order neighbours'."""

import copy

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, GAMRegressor
from glassbox.gam import _boosting

LEVELS_A = list("ABCDE")
LEVELS_B = ["p", "q", "r", "s"]
NEVER_SEEN = {("B", "q"), ("C", "r"), ("D", "p"), ("E", "s"), ("A", "s")}


def _data(n=3000, seed=0):
    """Two categoricals with five combinations never seen, a numeric feature, and a target with an interaction."""
    rng = np.random.default_rng(seed)
    pairs = [(a, b) for a in LEVELS_A for b in LEVELS_B if (a, b) not in NEVER_SEEN]
    drawn = [pairs[i] for i in rng.integers(0, len(pairs), n)]
    X = pd.DataFrame({
        "a": pd.Categorical([a for a, _ in drawn], categories=LEVELS_A),
        "b": pd.Categorical([b for _, b in drawn], categories=LEVELS_B),
        "x": rng.normal(size=n),
    })
    effect = np.array([LEVELS_A.index(a) * (LEVELS_B.index(b) - 1.5) for a, b in drawn]) / 4
    mean = np.exp(0.5 + effect + 0.3 * X.x)
    return X, rng.poisson(mean).astype(float), effect


def _old_unreachable_cells(layout, t, term_mass):
    """The rule before: only empty missing rows/columns and the unseen bins score zero."""
    shape = layout.term_shape(t)
    grid_mass = term_mass.reshape(shape)
    unreachable = np.zeros(shape, dtype=bool)
    for axis, bins in enumerate(layout.bins[t]):
        axis_mass = grid_mass.sum(axis=tuple(a for a in range(len(shape)) if a != axis))
        for cell in (bins.missing_bin, bins.unseen_bin):
            if cell >= 0 and axis_mass[cell] == 0:
                unreachable[(slice(None),) * axis + (cell,)] = True
    return unreachable.ravel()


def _pair(model):
    return [t for t in model.explain_global().terms if t.name == "a x b"][0]


def _empty_value_cells(term):
    density = np.asarray(term.density)
    empty = np.zeros(density.shape, dtype=bool)
    for a, b in NEVER_SEEN:
        empty[LEVELS_A.index(a), LEVELS_B.index(b)] = True
    assert np.all(density[empty] == 0)
    return empty


MODELS = [
    ("poisson", lambda: GAMRegressor(loss="poisson", interactions=[("a", "b")], outer_bags=3, random_state=0)),
    ("squared_error", lambda: GAMRegressor(interactions=[("a", "b")], outer_bags=3, random_state=0)),
    ("multiclass", lambda: GAMClassifier(interactions=[("a", "b")], outer_bags=2, random_state=0)),
]


@pytest.mark.parametrize("name, make", MODELS, ids=[m[0] for m in MODELS])
def test_never_seen_level_combinations_score_zero_and_the_pair_stays_centred(name, make):
    X, counts, effect = _data()
    noisy = effect + np.random.default_rng(0).normal(0, 0.3, len(effect))
    y = counts if name != "multiclass" else pd.cut(noisy, [-9, -0.3, 0.3, 9], labels=["lo", "mid", "hi"])
    model = make().fit(X, y)
    term = _pair(model)
    empty = _empty_value_cells(term)
    scores = np.asarray(term.scores)
    assert np.all(scores[empty] == 0.0)  # every class of a multiclass model
    if term.lower is not None:
        assert np.all(np.asarray(term.lower)[empty] == 0.0) and np.all(np.asarray(term.upper)[empty] == 0.0)
    # still centred on the training rows (a log link: relativities average 1)
    density = np.asarray(term.density)
    weights = density / density.sum()
    if name == "poisson":
        assert np.einsum("ij,ij->", weights, np.exp(scores)) == pytest.approx(1.0, abs=1e-12)
    else:
        np.testing.assert_allclose(np.einsum("ij,ij...->...", weights, scores), 0.0, atol=1e-12)
    # a row at a never-seen combination gets no pair contribution
    row = X.iloc[[0]].copy()
    row["a"] = pd.Categorical(["B"], categories=LEVELS_A)
    row["b"] = pd.Categorical(["q"], categories=LEVELS_B)
    local = model.explain_local(row)
    k = list(local.term_names).index("a x b")
    assert np.all(np.asarray(local.contributions)[0, k] == 0.0)


def test_predictions_of_seen_combinations_are_unchanged(monkeypatch):
    X, counts, _ = _data()
    new = GAMRegressor(loss="poisson", interactions=[("a", "b")], outer_bags=3, random_state=0).fit(X, counts)
    monkeypatch.setattr(_boosting, "unreachable_cells", _old_unreachable_cells)
    old = GAMRegressor(loss="poisson", interactions=[("a", "b")], outer_bags=3, random_state=0).fit(X, counts)
    empty = _empty_value_cells(_pair(new))
    # the old fit scored some never-seen combinations by their code-order neighbours
    assert np.any(np.asarray(_pair(old).scores)[empty] != 0.0)
    np.testing.assert_array_equal(new.predict(X), old.predict(X))
    np.testing.assert_array_equal(new.intercept_, old.intercept_)
    np.testing.assert_array_equal(np.asarray(_pair(new).scores)[~empty], np.asarray(_pair(old).scores)[~empty])


def test_replace_scores_refuses_a_nonzero_score_for_a_never_seen_combination():
    X, counts, _ = _data(n=1500)
    model = GAMRegressor(loss="poisson", interactions=[("a", "b")], outer_bags=1, random_state=0).fit(X, counts)
    scores = np.asarray(_pair(model).scores).copy()
    copy.deepcopy(model).replace_scores("a x b", scores)  # the model's own scores are accepted
    scores[LEVELS_A.index("B"), LEVELS_B.index("q")] = 0.4
    with pytest.raises(ValueError, match="no training row fell in"):
        copy.deepcopy(model).replace_scores("a x b", scores)


def test_an_edit_keeps_never_seen_combinations_at_zero():
    X, counts, _ = _data(n=1500)
    model = GAMRegressor(loss="poisson", interactions=[("a", "b")], outer_bags=1, random_state=0).fit(X, counts)
    model.clip_scores("a x b", -0.1, 0.1)
    term = _pair(model)
    assert np.all(np.asarray(term.scores)[_empty_value_cells(term)] == 0.0)
