"""Shape plots draw a numeric term's end bins to its training minimum and maximum.

The end bins once ran over a made-up pad of a tenth of the threshold range:
heart's ``ca = 0`` was drawn over [0.8, 1) and ``oldpeak`` from -0.49, and the
density strip divided an end bin's share by that pad.  The explanation now
records each numeric feature's training range (rows of positive weight), the
plot draws the end bins to it, a bin holding one value gets its neighbour's
width with its share written instead of a density, and a model saved before
ranges were recorded still plots, saying its end bins are open.
"""

import dataclasses
import json
import pickle
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import glassbox  # noqa: E402
from glassbox import GAMClassifier  # noqa: E402
from glassbox.explain import FeatureBins, ShapeTerm  # noqa: E402
from glassbox.plotting import ShapeFunctionDisplay  # noqa: E402

@pytest.fixture(scope="module")
def heart(read_shared_csv):
    X = read_shared_csv("heart.csv")
    y = X.pop("heart_disease").to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GAMClassifier(random_state=0, outer_bags=2, interactions=[("oldpeak", "ca")], max_rounds=60)
        model.fit(X, y)
    return X, y, model


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _term(model, name):
    explanation = model.explain_global()
    return explanation.terms[explanation.term_names.index(name)]


def _strip(display):
    heights, edges, _ = display.ax_density_.patches[0].get_data()
    return heights, edges


def test_end_bins_run_to_the_training_minimum_and_maximum(heart):
    X, _, model = heart
    display = ShapeFunctionDisplay.from_estimator(model, term="oldpeak")
    _, edges, _ = display.line_.get_data()
    assert (edges[0], edges[-1]) == (X.oldpeak.min(), X.oldpeak.max())  # 0 and 6.2, not -0.49 and 6.6
    assert display.ax_.get_xlim() == (X.oldpeak.min(), X.oldpeak.max())
    np.testing.assert_array_equal(edges[1:-1], _term(model, "oldpeak").bins[0].thresholds)
    assert display.range_note_ is None and display.density_notes_ == []


def test_a_bin_of_one_value_gets_its_neighbours_width_and_its_share_written(heart):
    X, _, model = heart
    term = _term(model, "ca")
    assert term.value_ranges == ((0.0, 3.0),)
    display = ShapeFunctionDisplay.from_estimator(model, term="ca")
    _, edges, _ = display.line_.get_data()
    # ca = 0 from 0 (not 0.8); the bin of ca = 3 (the maximum is the last threshold) as wide as [2, 3)
    np.testing.assert_array_equal(edges, [0.0, 1.0, 2.0, 3.0, 4.0])
    heights, strip_edges = _strip(display)
    assert heights[-1] == 0.0  # no density per unit over a width the bin does not have
    share = term.density[3] / term.density.sum()
    assert display.density_notes_[0].get_text() == f"{100 * share:.1f}% at 3"
    assert np.isclose(share, np.mean(X.ca[X.ca.notna()] == 3) * X.ca.notna().mean())


@pytest.mark.parametrize("name", ["oldpeak", "ca", "age", "thalach"])
def test_density_strip_area_over_each_bin_is_its_share(heart, name):
    _, _, model = heart
    term = _term(model, name)
    display = ShapeFunctionDisplay.from_estimator(model, term=name)
    heights, edges = _strip(display)
    shares = term.density[: term.bins[0].n_value_bins] / term.density.sum()
    bin_edges = display.line_.get_data()[1]
    widthless = np.diff(np.r_[term.value_ranges[0][0], term.bins[0].thresholds, term.value_ranges[0][1]]) == 0
    written = [float(note.get_text().split("%")[0]) / 100 for note in display.density_notes_]
    np.testing.assert_allclose(written, shares[widthless], atol=5e-4)
    # the share of every bin with a width, spread evenly over it, summed over the strip's bars
    expected = np.zeros(len(heights))
    for low, high, share in zip(bin_edges[:-1][~widthless], bin_edges[1:][~widthless], shares[~widthless]):
        overlap = np.clip(np.minimum(edges[1:], high) - np.maximum(edges[:-1], low), 0.0, None)
        expected += share * overlap / (high - low)
    np.testing.assert_allclose(heights * np.diff(edges), expected, rtol=1e-9, atol=1e-15)
    if len(shares) <= 40:  # one bar per bin: its area is the bin's share
        np.testing.assert_array_equal(edges, bin_edges)
        np.testing.assert_allclose((heights * np.diff(edges))[~widthless], shares[~widthless], rtol=1e-12)


def test_pair_heatmap_cells_run_to_the_training_range(heart):
    X, _, model = heart
    display = ShapeFunctionDisplay.from_estimator(model, term="oldpeak x ca")
    x_edges = np.unique(display.mesh_.get_coordinates()[..., 0])
    y_edges = np.unique(display.mesh_.get_coordinates()[..., 1])
    assert (x_edges[0], x_edges[-1]) == (X.oldpeak.min(), X.oldpeak.max())
    assert (y_edges[0], y_edges[-2], y_edges[-1]) == (0.0, 3.0, 4.0)  # the cells of ca = 3 one unit high
    assert display.range_note_ is None


def test_ranges_survive_json_and_older_payloads_still_plot(heart):
    _, _, model = heart
    explanation = model.explain_global()
    text = model.to_json()
    assert glassbox.from_json(text) == explanation
    assert glassbox.from_json(text).terms[0].value_ranges == explanation.terms[0].value_ranges
    payload = json.loads(text)
    for term in payload["content"]["terms"]:
        term.pop("value_ranges")  # as written before the ranges were recorded
    older = glassbox.from_json(json.dumps(payload))
    assert all(term.value_ranges is None for term in older.terms)
    display = ShapeFunctionDisplay.from_explanation(older, "oldpeak")
    _, edges, _ = display.line_.get_data()
    assert edges[0] < 0.0  # the pad of the fallback, which the plot now states
    assert "training range not recorded" in display.range_note_.get_text()
    assert [note.get_text().split()[-1] for note in display.density_notes_] == ["open", "open"]
    assert _strip(display)[0][[0, -1]].tolist() == [0.0, 0.0]


def test_a_model_pickled_before_the_ranges_were_recorded_still_plots(heart):
    _, _, model = heart
    old = pickle.loads(pickle.dumps(model))
    del old._value_ranges_
    assert old.explain_global().terms[0].value_ranges is None
    assert ShapeFunctionDisplay.from_estimator(old, term="age").range_note_ is not None


def test_ranges_read_the_rows_of_positive_weight_only(heart):
    X, y, _ = heart
    w = np.ones(len(X))
    w[X.oldpeak.idxmax()] = 0.0  # the patient with oldpeak 6.2 weighs nothing
    model = GAMClassifier(random_state=0, outer_bags=1, interactions=0, max_rounds=20).fit(X, y, sample_weight=w)
    assert _term(model, "oldpeak").value_ranges == ((0.0, X.oldpeak[w > 0].max()),)
    assert _term(model, "oldpeak").value_ranges[0][1] < X.oldpeak.max()


def test_categorical_features_have_no_range_and_bad_ranges_are_refused():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x": rng.normal(size=200), "c": rng.choice(list("abc"), 200)})
    y = (X.x + (X.c == "a") > 0).astype(int)
    model = GAMClassifier(random_state=0, outer_bags=1, interactions=[("x", "c")], max_rounds=20).fit(X, y)
    ranges = {t.name: t.value_ranges for t in model.explain_global().terms}
    assert ranges["x"] == ((X.x.min(), X.x.max()),) and ranges["c"] == (None,)
    assert ranges["x x c"] == ((X.x.min(), X.x.max()), None)
    bins = FeatureBins("x", "numeric", thresholds=[0.0])
    with pytest.raises(ValueError, match="minimum <= maximum"):
        ShapeTerm(bins=(bins,), scores=[0.0, 0.0, 0.0], value_ranges=((1.0, -1.0),))
    with pytest.raises(ValueError, match="one entry per feature"):
        ShapeTerm(bins=(bins,), scores=[0.0, 0.0, 0.0], value_ranges=((1.0, 2.0), (1.0, 2.0)))


def test_a_constant_feature_is_drawn_one_unit_wide_around_its_value():
    bins = FeatureBins("x", "numeric", thresholds=[])
    display = ShapeFunctionDisplay(bins=bins, scores=[0.0, 0.0], density=[5.0, 0.0], value_ranges=(7.0, 7.0)).plot()
    assert display.line_.get_data()[1].tolist() == [6.5, 7.5]
    assert display.density_notes_[0].get_text() == "100.0% at 7"
    assert _strip(display)[0].tolist() == [0.0]
    widened = dataclasses.replace(ShapeTerm(bins=(bins,), scores=[0.0, 0.0]), value_ranges=((2.0, 5.0),))
    assert ShapeFunctionDisplay.from_explanation(widened).line_.get_data()[1].tolist() == [2.0, 5.0]
