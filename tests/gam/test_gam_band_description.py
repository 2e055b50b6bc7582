"""A GAM's explanation says what its bands are (±1 SD across the bags), in print, JSON and plots."""

import json

import matplotlib
import numpy as np
import pytest

from glassbox import GAMClassifier, GAMRegressor, from_json
from glassbox.explain import ShapeFunctions
from glassbox.plotting import ShapeFunctionDisplay

matplotlib.use("Agg")


def _data(n=400, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 3))
    return X, X[:, 0] ** 2 + 0.5 * X[:, 1] + 0.3 * rng.randn(n)


def test_band_names_the_bag_spread_and_round_trips():
    X, y = _data()
    shapes = GAMRegressor(outer_bags=3, interactions=0, random_state=0).fit(X, y).explain_global()
    assert shapes.band == "±1 SD across 3 bags"
    term = shapes.terms[0]
    np.testing.assert_allclose(term.upper - term.scores, term.scores - term.lower, rtol=0, atol=1e-12)  # ± one spread
    assert "lower/upper bands (to_frame()): ±1 SD across 3 bags" in str(shapes)
    again = from_json(shapes.to_json())
    assert again.band == shapes.band and again == shapes
    older = json.loads(shapes.to_json())
    del older["content"]["band"]  # written before the description existed
    loaded = from_json(json.dumps(older))
    assert loaded.band is None and "bands" not in str(loaded)
    np.testing.assert_array_equal(loaded.decision_function(X), shapes.decision_function(X))


def test_one_bag_has_no_band_and_says_nothing():
    X, y = _data()
    shapes = GAMClassifier(outer_bags=1, interactions=0, random_state=0).fit(X, y > 1).explain_global()
    assert shapes.band is None and shapes.terms[0].lower is None
    assert "band" not in json.loads(shapes.to_json())["content"]


def test_band_must_be_words():
    X, y = _data()
    shapes = GAMRegressor(outer_bags=2, interactions=0, random_state=0).fit(X, y).explain_global()
    with pytest.raises(TypeError, match="band"):
        ShapeFunctions(model="m", feature_names=shapes.feature_names, link=shapes.link, base_value=0.0,
                       terms=shapes.terms, band=1.0)


def test_shape_plot_labels_its_band():
    X, y = _data()
    shapes = GAMRegressor(outer_bags=4, interactions=0, random_state=0).fit(X, y).explain_global()
    display = ShapeFunctionDisplay.from_explanation(shapes, "x0")
    assert [t.get_text() for t in display.legend_.get_texts()] == ["±1 SD across 4 bags"]
    lone = ShapeFunctionDisplay.from_explanation(shapes.terms[0])  # a lone term does not know its band
    assert [t.get_text() for t in lone.legend_.get_texts()] == ["uncertainty band"]
    hidden = ShapeFunctionDisplay.from_explanation(shapes, "x0", show_band=False)
    assert hidden.band_ is None and hidden.legend_ is None
    import matplotlib.pyplot as plt

    plt.close("all")
