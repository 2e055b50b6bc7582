"""A pair's cells in to_frame() carry their two coordinates; pair_grid gives the two-way table in bin order."""

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, GAMRegressor

LEVELS = ["Commute & Errands", "Holiday", "Leisure & Sport"]


def _data(n=1500, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"usage": pd.Categorical(rng.choice(LEVELS, n), categories=LEVELS),
                      "hr": rng.integers(0, 24, n).astype(float)})
    mean = np.exp(1.0 + 0.3 * (X.usage == "Holiday") * (X.hr > 12) + 0.02 * X.hr)
    return X, rng.poisson(mean).astype(float)


@pytest.fixture(scope="module")
def poisson_model():
    X, y = _data()
    return GAMRegressor(loss="poisson", interactions=[("usage", "hr")], outer_bags=2, random_state=0).fit(X, y)


def test_pair_cells_have_one_column_per_coordinate_even_when_a_level_holds_the_separator(poisson_model):
    shapes = poisson_model.explain_global()
    frame = shapes.to_frame()
    term = [t for t in shapes.terms if t.name == "usage x hr"][0]
    first, second = term.bins
    pair = frame[frame.term == "usage x hr"]
    expected = [(a, b) for a in first.bin_labels() for b in second.bin_labels()]
    assert list(zip(pair.bin_1, pair.bin_2)) == expected
    assert (pair.bin == pair.bin_1 + " & " + pair.bin_2).all()  # the label as before
    grid = pair.pivot(index="bin_1", columns="bin_2", values="relativity")
    for i, a in enumerate(first.bin_labels()):
        for j, b in enumerate(second.bin_labels()):
            assert grid.loc[a, b] == np.exp(term.scores[i, j])
    main = frame[frame.term == "hr"]
    assert (main.bin_1 == main.bin).all() and main.bin_2.isna().all()


def test_pair_grid_is_the_two_way_table_in_bin_order(poisson_model):
    shapes = poisson_model.explain_global()
    term = [t for t in shapes.terms if t.name == "usage x hr"][0]
    first, second = term.bins
    grid = shapes.pair_grid("usage x hr", "relativity")
    assert list(grid.index) == first.bin_labels() and list(grid.columns) == second.bin_labels()
    assert grid.index.name == "usage" and grid.columns.name == "hr"
    np.testing.assert_array_equal(grid.to_numpy(), np.exp(term.scores))
    np.testing.assert_array_equal(shapes.pair_grid(-1, "density").to_numpy(), term.density)
    np.testing.assert_array_equal(shapes.pair_grid("usage x hr").to_numpy(), term.scores)
    with pytest.raises(ValueError, match="main effect"):
        shapes.pair_grid("hr")
    with pytest.raises(ValueError, match="No term"):
        shapes.pair_grid("hr x usage")
    with pytest.raises(ValueError, match="values must be one of"):
        shapes.pair_grid("usage x hr", "odds")


def test_pair_grid_of_a_multiclass_model_picks_a_class():
    X, y = _data(n=900)
    labels = pd.cut(y, [-1, 1, 4, 100], labels=["few", "some", "many"])
    shapes = GAMClassifier(interactions=[("usage", "hr")], outer_bags=1, random_state=0).fit(X, labels).explain_global()
    term = [t for t in shapes.terms if t.name == "usage x hr"][0]
    k = list(shapes.classes).index("some")
    np.testing.assert_array_equal(shapes.pair_grid("usage x hr", target_class="some").to_numpy(), term.scores[..., k])
    with pytest.raises(ValueError, match="pass target_class"):
        shapes.pair_grid("usage x hr")
    with pytest.raises(ValueError, match="needs a log-link model"):
        shapes.pair_grid("usage x hr", "relativity", target_class="some")
