"""ShapeFunctionDisplay: steps, bars, band, density, missing bin and heatmap match the term."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from plotting_fixtures import (
    AGE,
    AGE_SCORES,
    COLOR,
    COLOR_SCORES,
    PAIR_SCORES,
    ROWS,
    FixedShapesClassifier,
    age_term,
    assert_reads_as_factors,
    binary_shapes,
    color_term,
    multiclass_shapes,
    regression_shapes,
)

from glassbox.explain import FeatureBins
from glassbox.plotting import ShapeFunctionDisplay


def bar_heights(container):
    return np.array([bar.get_height() for bar in container])


def test_numeric_main_effect_is_a_step_at_the_thresholds():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age")
    values, edges, baseline = display.line_.get_data()
    np.testing.assert_array_equal(values, AGE_SCORES[:5])
    np.testing.assert_array_equal(edges[1:-1], AGE.thresholds)
    assert edges[0] < AGE.thresholds[0] and edges[-1] > AGE.thresholds[-1]
    assert baseline is None
    assert display.ax_.get_ylabel() == "log-odds of yes"
    assert display.ax_density_.get_xlabel() == "age"
    assert display.ax_.get_title() == "age"
    assert display.bars_ is None and display.mesh_ is None


def test_band_spans_lower_to_upper():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age")
    upper, edges, lower = display.band_.get_data()
    np.testing.assert_allclose(upper, AGE_SCORES[:5] + 0.3)
    np.testing.assert_allclose(lower, AGE_SCORES[:5] - 0.2)
    hidden = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age", show_band=False)
    assert hidden.band_ is None


def test_missing_bin_gets_its_own_panel():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age")
    assert display.ax_missing_ is not None
    np.testing.assert_array_equal(bar_heights(display.missing_bar_), [AGE_SCORES[5]])
    assert display.ax_missing_.get_xticklabels()[0].get_text() == "missing\n10.0%"
    # No training weight in the missing bin: "auto" leaves the panel out.
    unseen = ShapeFunctionDisplay(bins=AGE, scores=AGE_SCORES, density=[1, 1, 1, 1, 1, 0]).plot()
    assert unseen.ax_missing_ is None
    forced = ShapeFunctionDisplay(bins=AGE, scores=AGE_SCORES, density=[1, 1, 1, 1, 1, 0]).plot(show_missing=True)
    assert forced.ax_missing_ is not None
    # Without a density, a non-zero missing score is worth showing.
    assert ShapeFunctionDisplay(bins=AGE, scores=AGE_SCORES).plot().ax_missing_ is not None
    assert ShapeFunctionDisplay(bins=AGE, scores=np.r_[AGE_SCORES[:5], 0.0]).plot().ax_missing_ is None


def test_density_strip_is_a_histogram_of_the_bins():
    # no training range recorded: the open end bins' shares are written, not divided by the drawn pad
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age")
    heights, edges, _ = display.ax_density_.patches[0].get_data()
    shares = np.array([10.0, 20.0, 30.0, 20.0, 10.0]) / 100.0
    np.testing.assert_allclose(heights * np.diff(edges), np.r_[0.0, shares[1:-1], 0.0])
    assert [note.get_text().split() for note in display.density_notes_] == [["10.0%", "open"]] * 2
    assert "training range not recorded" in display.range_note_.get_text()
    ranged = ShapeFunctionDisplay.from_explanation(age_term(value_ranges=((18.0, 80.0),)))
    heights, edges, _ = ranged.ax_density_.patches[0].get_data()
    np.testing.assert_allclose(heights * np.diff(edges), shares)
    assert ranged.density_notes_ == [] and ranged.range_note_ is None
    assert ShapeFunctionDisplay.from_explanation(binary_shapes(), "age", show_density=False).ax_density_ is None


def test_monotone_constraint_is_annotated():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age")
    assert "monotone increasing" in display.constraint_text_.get_text()
    flipped = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age", target_class="no")
    assert "monotone decreasing" in flipped.constraint_text_.get_text()
    assert ShapeFunctionDisplay.from_explanation(binary_shapes(), "color").constraint_text_ is None


def test_categorical_main_effect_is_one_bar_per_level():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "color")
    np.testing.assert_array_equal(bar_heights(display.bars_), COLOR_SCORES[:3])
    # The level names label the bottom-most axes: the density strip below the bars.
    assert [t.get_text() for t in display.ax_density_.get_xticklabels()] == ["blue", "green", "red"]
    bare = ShapeFunctionDisplay.from_explanation(binary_shapes(), "color", show_density=False)
    assert [t.get_text() for t in bare.ax_.get_xticklabels()] == ["blue", "green", "red"]
    np.testing.assert_array_equal(bar_heights(display.missing_bar_), [COLOR_SCORES[3]])
    strip_heights = bar_heights(display.ax_density_.patches)
    np.testing.assert_allclose(strip_heights, np.array([5.0, 5.0, 8.0]) / 20.0)
    assert display.line_ is None


def test_categorical_band_is_error_bars():
    term = color_term(lower=COLOR_SCORES - 0.1, upper=COLOR_SCORES + 0.2)
    display = ShapeFunctionDisplay.from_explanation(term)
    segments = display.band_.lines[2][0].get_segments()
    np.testing.assert_allclose([s[0][1] for s in segments], COLOR_SCORES[:3] - 0.1)
    np.testing.assert_allclose([s[1][1] for s in segments], COLOR_SCORES[:3] + 0.2)


def test_pair_is_a_heatmap_of_value_bins():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age x color")
    np.testing.assert_array_equal(display.mesh_.get_array().reshape(3, 5), PAIR_SCORES[:5, :3].T)
    assert display.ax_.get_xlabel() == "age" and display.ax_.get_ylabel() == "color"
    assert [t.get_text() for t in display.ax_.get_yticklabels()] == ["blue", "green", "red"]
    assert display.colorbar_.ax.get_ylabel() == "log-odds of yes"
    assert "bins not drawn" in display.ax_.get_title()  # the unseen colour's column
    low, high = display.mesh_.get_clim()
    assert low == -high  # centred colour scale: zero is neutral


def test_a_pairs_missing_bins_are_strips_on_the_heatmaps_colour_scale():
    from glassbox.explain import ShapeTerm

    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age x color")
    age_missing, color_missing = display.missing_strips_["age"], display.missing_strips_["color"]
    # age missing: a column beside the grid, one cell per colour; colour missing: a row on top, one cell per age bin
    np.testing.assert_array_equal(np.asarray(age_missing.get_array()).ravel(), PAIR_SCORES[5, :3])
    np.testing.assert_array_equal(np.asarray(color_missing.get_array()).ravel(), PAIR_SCORES[:5, 3])
    for strip in (age_missing, color_missing):
        assert strip.get_clim() == display.mesh_.get_clim() and strip.axes is not display.ax_
    assert [t.get_text() for t in age_missing.axes.get_xticklabels()] == ["missing"]
    low, high = display.mesh_.get_clim()
    drawn = np.r_[PAIR_SCORES[:5, :3].ravel(), PAIR_SCORES[5, :3], PAIR_SCORES[:5, 3]]
    assert high == -low == np.abs(drawn).max()
    # without training weight in a feature's missing bin, "auto" draws no strip for it
    density = np.ones(PAIR_SCORES.shape)
    density[5, :] = 0.0
    weighted = ShapeTerm(bins=(AGE, COLOR), scores=PAIR_SCORES, density=density, importance=0.1)
    display = ShapeFunctionDisplay.from_explanation(weighted)
    assert list(display.missing_strips_) == ["color"]
    assert not ShapeFunctionDisplay.from_explanation(weighted).plot(show_missing=False).missing_strips_
    plt.close("all")


def test_a_pairs_missing_strips_and_title_stay_inside_the_figure():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age x color")
    figure = display.figure_
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    title = display.ax_.title.get_window_extent(renderer)
    top_strip = display.missing_strips_["color"].axes.get_window_extent(renderer)
    assert title.y0 >= top_strip.y1  # the title clears the strip on top
    for axes in figure.axes:
        box = axes.get_tightbbox(renderer)
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width and box.y1 <= figure.bbox.height
    plt.close("all")


def test_panels_in_a_constrained_figure_get_cells_of_their_own_and_keep_their_labels_inside_it():
    # the user's figure, laid out by constrained layout: the colour bar, the missing-value strips and panels and
    # the density strip are placed by the layout (each in a cell of ax's grid cell), so none of their labels
    # runs off the figure or under another's, and ax stays the axes the user passed
    from glassbox import GAMRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 2))
    y = X[:, 0] * X[:, 1] + X[:, 0]
    X[rng.random(600) < 0.1, 0] = np.nan
    X[rng.random(600) < 0.1, 1] = np.nan
    model = GAMRegressor(interactions=[(0, 1)], outer_bags=1, random_state=0).fit(X, y)
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8), layout="constrained")
    main = ShapeFunctionDisplay.from_estimator(model, term="x0", X=X, ax=left)
    pair = ShapeFunctionDisplay.from_estimator(model, term="x0 x x1", ax=right)
    assert main.ax_ is left and pair.ax_ is right
    assert set(pair.missing_strips_) == {"x0", "x1"} and main.ax_missing_ is not None
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = {"colour bar": pair.colorbar_.ax, "x0 strip": pair.missing_strips_["x0"].axes,
             "x1 strip": pair.missing_strips_["x1"].axes, "heatmap": right, "shape": left,
             "missing panel": main.ax_missing_, "density": main.ax_density_}
    for name, axes in boxes.items():
        box = axes.get_tightbbox(renderer)
        assert box.x0 >= 0 and box.y0 >= 0, name
        assert box.x1 <= figure.bbox.width and box.y1 <= figure.bbox.height, name
    # the title stands above the strip of x1's missing values, not between it and the heatmap
    top = pair.missing_strips_["x1"].axes
    assert top.get_title().startswith("x0 x x1") and right.get_title() == ""
    assert top.get_window_extent(renderer).y0 >= right.get_window_extent(renderer).y1
    assert pair.colorbar_.ax.get_window_extent(renderer).x0 >= pair.missing_strips_["x0"].axes.get_window_extent(
        renderer).x1  # the colour bar beside the group, not between the heatmap and its strip
    plt.close("all")


def test_term_by_index_and_binary_other_class_negates():
    by_index = ShapeFunctionDisplay.from_explanation(binary_shapes(), 0)
    np.testing.assert_array_equal(by_index.line_.get_data()[0], AGE_SCORES[:5])
    negative = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age", target_class="no")
    np.testing.assert_array_equal(negative.line_.get_data()[0], -AGE_SCORES[:5])
    upper, _, lower = negative.band_.get_data()
    np.testing.assert_allclose(upper, -(AGE_SCORES[:5] - 0.2))
    np.testing.assert_allclose(lower, -(AGE_SCORES[:5] + 0.3))
    assert negative.ax_.get_ylabel() == "log-odds of no"


def test_multiclass_needs_and_uses_target_class():
    shapes = multiclass_shapes()
    with pytest.raises(ValueError, match="pass target_class"):
        ShapeFunctionDisplay.from_explanation(shapes, "age")
    for k, factor in enumerate([-1.0, 0.0, 1.0]):
        display = ShapeFunctionDisplay.from_explanation(shapes, "age", target_class=k)
        np.testing.assert_array_equal(display.line_.get_data()[0], factor * AGE_SCORES[:5])
        assert display.ax_.get_ylabel() == f"decision score of class {k}"
    lone = ShapeFunctionDisplay.from_explanation(shapes.terms[1], target_class=2)
    np.testing.assert_array_equal(bar_heights(lone.bars_), COLOR_SCORES[:3])
    with pytest.raises(ValueError, match="class index"):
        ShapeFunctionDisplay.from_explanation(shapes.terms[1])


def test_from_estimator_with_X_draws_the_data_density():
    model = FixedShapesClassifier(binary_shapes()).fit()
    fig, ax = plt.subplots()
    display = ShapeFunctionDisplay.from_estimator(model, ROWS, term="color", ax=ax)
    assert display.ax_ is ax and display.figure_ is fig
    np.testing.assert_array_equal(bar_heights(display.bars_), COLOR_SCORES[:3])
    # ROWS holds one each of red, blue, green and one missing colour.
    np.testing.assert_allclose(bar_heights(display.ax_density_.patches), [0.25, 0.25, 0.25])
    assert display.ax_missing_.get_xticklabels()[0].get_text() == "missing\n25.0%"
    without_X = ShapeFunctionDisplay.from_estimator(model, term="color")
    np.testing.assert_allclose(bar_heights(without_X.ax_density_.patches), np.array([5.0, 5.0, 8.0]) / 20.0)


def test_regression_and_single_threshold_edges():
    display = ShapeFunctionDisplay.from_explanation(regression_shapes(), "age")
    assert display.ax_.get_ylabel() == "prediction"
    flat = FeatureBins("x", "numeric", thresholds=[])
    one = ShapeFunctionDisplay(bins=flat, scores=[0.5, 0.0]).plot()
    values, edges, _ = one.line_.get_data()
    assert values.tolist() == [0.5] and len(edges) == 2
    single = ShapeFunctionDisplay(bins=FeatureBins("x", "numeric", thresholds=[3.0]), scores=[1.0, 2.0, 0.0]).plot()
    assert single.line_.get_data()[1].tolist() == [2.0, 3.0, 4.0]


def test_clear_errors():
    shapes = binary_shapes()
    with pytest.raises(ValueError, match="pass term"):
        ShapeFunctionDisplay.from_explanation(shapes)
    with pytest.raises(ValueError, match="No term named 'height'"):
        ShapeFunctionDisplay.from_explanation(shapes, "height")
    with pytest.raises(ValueError, match="out of range"):
        ShapeFunctionDisplay.from_explanation(shapes, 3)
    with pytest.raises(TypeError, match="ShapeFunctions"):
        ShapeFunctionDisplay.from_explanation("age")
    with pytest.raises(ValueError, match="scores has shape"):
        ShapeFunctionDisplay(bins=AGE, scores=[1.0, 2.0]).plot()
    with pytest.raises(ValueError, match="both lower and upper"):
        ShapeFunctionDisplay(bins=AGE, scores=AGE_SCORES, lower=AGE_SCORES).plot()
    with pytest.raises(ValueError, match="show_missing"):
        ShapeFunctionDisplay(bins=AGE, scores=AGE_SCORES).plot(show_missing="yes")
    with pytest.raises(TypeError, match="lone ShapeTerm"):
        ShapeFunctionDisplay.from_explanation(age_term(), "age")
    with pytest.raises(ValueError, match="feature names"):
        ShapeFunctionDisplay.from_explanation(age_term(), X=ROWS)


def test_from_estimator_rejects_non_additive_models():
    class NotAdditive(FixedShapesClassifier):
        def explain_global(self):
            return "a coefficient table"

    model = NotAdditive(binary_shapes()).fit()
    with pytest.raises(TypeError, match="not shape functions"):
        ShapeFunctionDisplay.from_estimator(model, term="age")


def test_many_bins_regrid_the_density_strip_and_keep_its_mass():
    thresholds = np.sort(np.random.RandomState(0).normal(size=99))
    bins = FeatureBins("x", "numeric", thresholds=thresholds)
    weights = np.r_[np.random.RandomState(1).randint(1, 5, size=100), 3].astype(float)
    value_range = (thresholds[0] - 1.0, thresholds[-1] + 1.0)
    display = ShapeFunctionDisplay(bins=bins, scores=np.zeros(101), density=weights, value_ranges=value_range).plot()
    heights, edges, _ = display.ax_density_.patches[0].get_data()
    assert len(heights) == 40
    np.testing.assert_allclose(np.diff(edges), np.diff(edges)[0])  # a regular grid
    np.testing.assert_allclose((heights * np.diff(edges)).sum(), weights[:100].sum() / weights.sum())


def test_matplotlib_keywords_reach_the_main_artist():
    steps = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age", linestyle="--", linewidth=4)
    assert steps.line_.get_linestyle() == "--" and steps.line_.get_linewidth() == 4
    bars = ShapeFunctionDisplay.from_explanation(binary_shapes(), "color", width=0.3)
    assert bars.bars_[0].get_width() == pytest.approx(0.3)
    pair = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age x color", vmin=-5, vmax=5)
    assert pair.mesh_.get_clim() == (-5, 5)


@pytest.fixture(scope="module")
def poisson_gam():
    import warnings

    import pandas as pd

    from glassbox import GAMRegressor

    rng = np.random.default_rng(0)
    n = 20000
    X = pd.DataFrame({"age": rng.uniform(18, 80, n), "region": pd.Categorical(rng.choice(list("NSEW"), n))})
    exposure = rng.uniform(0.2, 1.0, n)
    counts = rng.poisson(np.exp(-1.5 + 0.5 * (X.region == "S") + 0.01 * (X.age - 50)) * exposure)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GAMRegressor(loss="poisson", interactions=0, random_state=0).fit(X, counts / exposure,
                                                                                sample_weight=exposure)


def test_relativity_draws_exp_scores_from_one_on_a_log_axis(poisson_gam):
    frame = poisson_gam.explain_global().to_frame().set_index(["term", "bin"])
    display = ShapeFunctionDisplay.from_estimator(poisson_gam, term="region", relativity=True)
    tops = np.array([bar.get_y() + bar.get_height() for bar in display.bars_])
    np.testing.assert_allclose(tops, [frame.loc[("region", level), "relativity"] for level in "ENSW"], rtol=1e-12)
    assert all(bar.get_y() == 1.0 for bar in display.bars_)  # from 1: a factor that changes nothing has no bar
    assert display.ax_.get_yscale() == "log" and "relativity" in display.ax_.get_ylabel()
    numeric = ShapeFunctionDisplay.from_estimator(poisson_gam, term="age", relativity=True)
    values, _, _ = numeric.line_.get_data()
    n_values = poisson_gam.explain_global().terms[poisson_gam.term_names_.index("age")].bins[0].n_value_bins
    np.testing.assert_allclose(values, frame.loc["age", "relativity"].to_numpy()[:n_values], rtol=1e-12)
    plt.close("all")


def test_relativity_is_refused_where_it_has_no_meaning(poisson_gam):
    import pandas as pd

    from glassbox import GAMRegressor

    X = pd.DataFrame({"a": np.arange(200.0), "b": np.arange(200.0) % 7})
    squared = GAMRegressor(interactions=0, outer_bags=1, random_state=0).fit(X, X["a"] + X["b"])
    with pytest.raises(ValueError, match="log-link model.*use relativity=False"):
        ShapeFunctionDisplay.from_estimator(squared, term="a", relativity=True)
    with pytest.raises(ValueError, match="needs the ShapeFunctions explanation"):
        term = poisson_gam.explain_global().terms[0]
        ShapeFunctionDisplay.from_explanation(term, relativity=True)
    plt.close("all")


def test_the_density_strip_keeps_its_labels_inside_the_figure(poisson_gam, tmp_path):
    # the strip and missing panel are carved off with axes_grid1: a constrained layout pushed their labels out
    display = ShapeFunctionDisplay.from_estimator(poisson_gam, term="region")
    figure = display.figure_
    figure.savefig(tmp_path / "shape.png")
    renderer = figure.canvas.get_renderer()
    labels = [t for t in display.ax_density_.get_xticklabels() if t.get_text()]
    assert [t.get_text() for t in labels] == list("ENSW")
    height = figure.bbox.height
    assert all(0 <= t.get_window_extent(renderer).y0 and t.get_window_extent(renderer).y1 <= height for t in labels)
    plt.close(figure)


@pytest.mark.parametrize("low, high", [(0.55, 1.6), (1.1, 1.9), (0.55, 0.9)])
def test_relativity_axis_labels_factors_on_the_side_of_one_the_shape_reaches(low, high):
    # relativities below 2 (above 0.5): the log locator put no tick between 1 and 2 (0.1 and 1)
    relativities = np.r_[np.geomspace(low, high, 5), 1.0]  # 5 value bins and the missing bin
    display = ShapeFunctionDisplay(bins=AGE, scores=relativities, relativity=True).plot()
    assert display.ax_.get_yscale() == "log"
    assert_reads_as_factors(display.ax_.yaxis)


def test_a_pairs_relativities_are_a_heatmap_on_a_log_scale_centred_on_one():
    import warnings

    from matplotlib.colors import LogNorm

    from glassbox import GAMRegressor

    import pandas as pd

    rng = np.random.default_rng(1)

    n = 20000
    data = pd.DataFrame({"age": rng.uniform(18, 80, n), "region": pd.Categorical(rng.choice(list("NSEW"), n))})
    exposure = rng.uniform(0.2, 1.0, n)
    rate = np.exp(-1.5 + 0.5 * (data.region == "S") * (data.age > 50))
    counts = rng.poisson(rate * exposure)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GAMRegressor(loss="poisson", interactions=[("age", "region")], outer_bags=2,
                             random_state=0).fit(data, counts / exposure, sample_weight=exposure)
    term = model.explain_global().terms[-1]
    first, second = term.bins
    display = ShapeFunctionDisplay.from_estimator(model, term="age x region", relativity=True)
    drawn = np.asarray(display.mesh_.get_array()).reshape(second.n_value_bins, first.n_value_bins)
    np.testing.assert_allclose(drawn.T, np.exp(term.scores[: first.n_value_bins, : second.n_value_bins]), rtol=1e-12)
    norm = display.mesh_.norm
    assert isinstance(norm, LogNorm) and norm.vmin * norm.vmax == pytest.approx(1.0)  # 1 in the middle
    labels = [t.get_text() for t in display.colorbar_.ax.get_yticklabels()]
    assert "1" in labels and all("10^" not in label and "times" not in label for label in labels)
    plt.close("all")


def test_a_pair_scoring_zero_everywhere_says_so_instead_of_a_blank_grid():
    bins = FeatureBins("income", "numeric", thresholds=[10.0, 20.0])
    display = ShapeFunctionDisplay(bins=(AGE, bins), scores=np.zeros((6, 4))).plot()
    assert "every cell scores 0: this pair changes no prediction" in display.flat_note_.get_text()
    assert display.colorbar_ is None  # no made-up -1..1 scale for colours nothing uses
    text = display.alt_text_
    assert "Cells: every cell scores 0: this pair changes no prediction." in text
    assert "hatched" not in text and "lowest" not in text
    # a pair that scores something keeps its colour bar and has no such note
    assert ShapeFunctionDisplay.from_explanation(binary_shapes(), "age x color").flat_note_ is None


def test_a_pair_as_relativities_all_one_says_the_factor_is_one():
    bins = FeatureBins("income", "numeric", thresholds=[10.0])
    display = ShapeFunctionDisplay(bins=(AGE, bins), scores=np.ones((6, 3)), relativity=True).plot()
    assert "every cell scores x1: this pair changes no prediction" in display.flat_note_.get_text()


def test_a_pair_constrained_monotone_is_marked_as_a_main_effect_is():
    from glassbox.explain import Link, ShapeFunctions, ShapeTerm

    term = ShapeTerm(bins=(AGE, COLOR), scores=np.repeat(np.arange(6.0)[:, None], 5, axis=1) / 10,
                     importance=0.1, constraints=(1, 0))
    shapes = ShapeFunctions(model="ToyGAM", feature_names=("age", "color"), link=Link("logit"),
                            classes=np.array(["no", "yes"], dtype=object), base_value=0.0, terms=(term,))
    assert "monotone increasing in age" in str(shapes)  # the printout says it ...
    display = ShapeFunctionDisplay.from_explanation(shapes)
    assert display.constraint_text_.get_text() == "monotone increasing in age"  # ... and so does the plot
    assert "Under a monotone increasing constraint in age." in display.alt_text_
    flipped = ShapeFunctionDisplay.from_explanation(shapes, target_class="no")  # the other class: signs flip
    assert flipped.constraint_text_.get_text() == "monotone decreasing in age"
    income = FeatureBins("income", "numeric", thresholds=[10.0])
    scores = np.subtract.outer(np.arange(6.0), np.arange(3.0))
    both = ShapeFunctionDisplay(bins=(AGE, income), scores=scores, constraint=(1, -1)).plot()
    assert both.constraint_text_.get_text() == "monotone increasing in age\nmonotone decreasing in income"
    with pytest.raises(ValueError, match="one constraint per feature"):
        ShapeFunctionDisplay(bins=(AGE, COLOR), scores=np.zeros((6, 5)), constraint=1).plot()


@pytest.mark.parametrize("pair", [False, True], ids=["main effect", "pair"])
def test_the_edits_and_the_open_end_note_do_not_cover_each_other(pair):
    income = FeatureBins("annual income of the household in euros before taxes", "numeric",
                         thresholds=[1e4, 2e4, 5e4])
    edits = ["set to 0 where income missing", "clipped to [-1, 1]"]
    if pair:
        display = ShapeFunctionDisplay(bins=(income, COLOR), scores=np.zeros((5, 5)) + 0.1, edits=edits).plot()
    else:
        display = ShapeFunctionDisplay(bins=income, scores=np.arange(5.0) / 10, edits=edits).plot()
    display.figure_.canvas.draw()
    renderer = display.figure_.canvas.get_renderer()
    boxes = [text.get_bbox_patch().get_window_extent(renderer) for text in (display.range_note_, display.edits_text_)]
    assert not boxes[0].overlaps(boxes[1])
    axes = display.ax_.get_window_extent(renderer)
    assert all(axes.y0 <= box.y0 and box.y1 <= axes.y1 for box in boxes)  # both still on the plot


@pytest.mark.parametrize("slope", [1.0, -1.0], ids=["increasing", "decreasing"])
def test_the_band_legend_covers_no_step_of_a_monotone_shape(slope):
    bins = FeatureBins("age", "numeric", thresholds=np.arange(1.0, 20.0))
    scores = np.r_[slope * np.linspace(-3.0, 3.0, 20), 0.0]
    display = ShapeFunctionDisplay(bins=bins, scores=scores, lower=scores - 0.2, upper=scores + 0.2,
                                   constraint=int(slope), value_ranges=(0.0, 20.0)).plot()
    display.figure_.canvas.draw()
    renderer = display.figure_.canvas.get_renderer()
    legend = display.legend_.get_window_extent(renderer)
    values, edges, _ = display.line_.get_data()
    points = np.column_stack([np.repeat(edges, 2)[1:-1], np.repeat(values, 2)])  # both ends of every step
    for band in (scores - 0.2, scores + 0.2):
        points = np.vstack([points, np.column_stack([np.repeat(edges, 2)[1:-1], np.repeat(band[:20], 2)])])
    pixels = display.ax_.transData.transform(points)
    inside = (pixels[:, 0] > legend.x0) & (pixels[:, 0] < legend.x1) & (pixels[:, 1] > legend.y0) & (
        pixels[:, 1] < legend.y1)
    assert not inside.any()
    assert not legend.overlaps(display.constraint_text_.get_window_extent(renderer))


def test_the_band_legend_leaves_the_top_of_a_fitted_rising_shape_free():
    import warnings

    import pandas as pd

    from glassbox import GAMClassifier

    rng = np.random.default_rng(7)
    X = pd.DataFrame({"age": rng.uniform(18, 90, 3000), "b": rng.normal(size=3000)})
    X.loc[::10, "age"] = np.nan
    y = (rng.random(3000) < 1 / (1 + np.exp(-(np.nan_to_num(X.age, nan=50) - 50) / 10 - X.b))).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GAMClassifier(monotonic_cst={"age": 1}, interactions=[("age", "b")], outer_bags=4,
                              random_state=0).fit(X, y)
    display = ShapeFunctionDisplay.from_estimator(model, term="age")
    display.figure_.canvas.draw()
    renderer = display.figure_.canvas.get_renderer()
    legend = display.legend_.get_window_extent(renderer).padded(5)  # a legend touching the steps hides them too
    pixels = display.line_.get_transform().transform(display.line_.get_path().vertices)
    inside = (pixels[:, 0] > legend.x0) & (pixels[:, 0] < legend.x1) & (pixels[:, 1] > legend.y0) & (
        pixels[:, 1] < legend.y1)
    assert not inside.any()  # matplotlib's "best" set it on the top of the steps


def test_a_pair_with_many_levels_up_the_side_keeps_their_names_apart():
    across = FeatureBins("district", "categorical", categories=[f"district {i}" for i in range(40)])
    up = FeatureBins("car model", "categorical", categories=[f"model {i:02d} long name" for i in range(35)])
    scores = np.random.default_rng(0).normal(size=(42, 37)) / 3
    display = ShapeFunctionDisplay(bins=(across, up), scores=scores).plot()
    display.figure_.canvas.draw()
    renderer = display.figure_.canvas.get_renderer()
    y_boxes = sorted((t.get_window_extent(renderer) for t in display.ax_.get_yticklabels() if t.get_text()),
                     key=lambda box: box.y0)
    assert len(y_boxes) == 35 and all(a.y1 <= b.y0 + 0.5 for a, b in zip(y_boxes, y_boxes[1:]))
    x_boxes = sorted((t.get_window_extent(renderer) for t in display.ax_.get_xticklabels() if t.get_text()),
                     key=lambda box: box.x0)
    assert len(x_boxes) == 40 and all(a.x1 <= b.x0 + 0.5 for a, b in zip(x_boxes, x_boxes[1:]))


def test_the_missing_strips_label_clears_the_last_tick_of_the_heatmap():
    display = ShapeFunctionDisplay(bins=(AGE, COLOR), scores=PAIR_SCORES, value_ranges=((18, 80), None)).plot()
    display.figure_.canvas.draw()
    renderer = display.figure_.canvas.get_renderer()
    strip = display.missing_strips_["age"].axes
    (label,) = [t.get_window_extent(renderer) for t in strip.get_xticklabels() if t.get_text()]
    ticks = [t.get_window_extent(renderer) for t in display.ax_.get_xticklabels() if t.get_text()]
    assert "80" in [t.get_text() for t in display.ax_.get_xticklabels()]
    assert not any(label.overlaps(tick) for tick in ticks)
    assert label.y0 >= 0  # inside the figure
