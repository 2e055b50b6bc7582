"""Figures read in greyscale, by colour-blind readers and under WCAG 2.1 AA.

Meaning is never carried by colour alone (WCAG 1.4.1): the signs of bars
differ in hatching too, lines a legend names differ in marker and line style.
Graphics a reader needs stand out from the white background at a contrast of
at least 3:1 (WCAG 1.4.11), by WCAG's relative-luminance formula.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LogisticRegression

from glassbox import SparseLinearClassifier, SparseLinearRegressor
from glassbox.explain._render import format_number
from glassbox.plotting import (CoefficientDisplay, CoefficientIntervalDisplay, FidelityDisplay, LocalContributionDisplay,
                               ReasonCodesDisplay, RegularizationPathDisplay, RiskCurveDisplay, ShapeFunctionDisplay)
from glassbox.plotting._palette import (LINE_COLORS, NEGATIVE_COLOR, NEUTRAL_COLOR, POSITIVE_COLOR, contrast_ratio,
                                        relative_luminance)
from glassbox.surrogate import fidelity_frontier, fidelity_report

from plotting_fixtures import PAIR_SCORES, binary_shapes

GRAPHICS_CONTRAST = 3.0  # WCAG 2.1 1.4.11, non-text contrast


def _seen_on_white(color, alpha=None):
    """The colour a reader sees: ``color`` at its own (or ``alpha``) opacity over a white background."""
    red, green, blue, own_alpha = to_rgba(color)
    alpha = own_alpha if alpha is None else alpha
    return tuple(alpha * c + (1.0 - alpha) for c in (red, green, blue))


def test_contrast_ratio_follows_the_wcag_formula():
    assert contrast_ratio("black") == pytest.approx(21.0)
    assert contrast_ratio("white") == pytest.approx(1.0)
    assert relative_luminance("#808080") == pytest.approx(0.2159, abs=1e-4)
    # WCAG's own worked figure: #767676 is the lightest grey with 4.5:1 on white
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("color", [POSITIVE_COLOR, NEGATIVE_COLOR, NEUTRAL_COLOR, *LINE_COLORS])
def test_every_palette_colour_stands_out_from_white(color):
    assert contrast_ratio(color) >= GRAPHICS_CONTRAST


def _waterfall(**plot_kwargs):
    return LocalContributionDisplay(term_names=["age", "income", "debt"], contributions=[0.8, -0.3, 0.1],
                                    base_value=-1.0, decision=-0.4).plot(**plot_kwargs)


def test_waterfall_hatches_the_terms_that_lower_the_output_and_names_both_in_a_legend():
    display = _waterfall()
    hatches = dict(zip(display.bar_labels_, (bar.get_hatch() for bar in display.bars_)))
    assert hatches["income"]  # lowers: hatched
    assert hatches["age"] is None and hatches["debt"] is None  # raise: solid
    assert hatches["base value"] is None and hatches["= decision function"] is None
    assert [t.get_text() for t in display.legend_.get_texts()] == ["raises", "lowers"]
    handles = display.legend_.legend_handles
    assert handles[0].get_hatch() is None and handles[1].get_hatch() == hatches["income"]


def test_waterfall_gap_is_hatched_unlike_a_lowering_term():
    display = LocalContributionDisplay(term_names=["a", "b"], contributions=[0.5, -0.2], base_value=0.0,
                                       decision=1.0).plot()
    hatches = dict(zip(display.bar_labels_, (bar.get_hatch() for bar in display.bars_)))
    assert hatches["not explained (approximation)"] and hatches["b"]
    assert hatches["not explained (approximation)"] != hatches["b"]


def test_waterfall_overrides_still_apply():
    display = _waterfall(positive_color="green", negative_color="purple", hatch=None, show_legend=False)
    assert all(bar.get_hatch() is None for bar in display.bars_)
    assert display.legend_ is None and display.ax_.get_legend() is None
    faces = dict(zip(display.bar_labels_, (bar.get_facecolor() for bar in display.bars_)))
    assert faces["age"] == to_rgba("green") and faces["income"] == to_rgba("purple")


def test_waterfall_with_every_term_raising_names_only_that_sign():
    display = LocalContributionDisplay(term_names=["a"], contributions=[0.5], base_value=0.0, decision=0.5).plot()
    assert [t.get_text() for t in display.legend_.get_texts()] == ["raises"]


def test_coefficient_bars_hatch_negative_coefficients():
    display = CoefficientDisplay(term_names=["up", "down"], coefficients=[0.7, -0.4]).plot()
    by_width = {bar.get_width() > 0: bar.get_hatch() for bar in display.bars_}
    assert by_width[True] is None and by_width[False]


def test_reason_bars_hatch_the_favourable_factors():
    display = ReasonCodesDisplay(names=["debt", "age", "income"], shortfall=[0.9, 0.2, -0.1], reasons=[0],
                                 units="log-odds", adverse="bad").plot(show="all")
    hatches = [bar.get_hatch() for bar in display.bars_]  # largest shortfall first
    assert hatches[0] is None and hatches[1] is None and hatches[2]


def _labelled(lines):
    return [line for line in lines if not line.get_label().startswith("_")]


def test_regularization_path_lines_differ_in_marker_and_style_not_colour_alone():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    display = RegularizationPathDisplay.from_estimator(SparseLinearRegressor(), X, y, n_alphas=12)
    named = _labelled(display.lines_)
    assert len(named) == 8  # label_top
    markers = [line.get_marker() for line in named]
    assert len(set(markers)) == len(markers) and "None" not in markers
    styles = [line.get_linestyle() for line in named]
    assert all(a != b for a, b in zip(styles, styles[1:]))
    for line in named:
        assert contrast_ratio(_seen_on_white(line.get_color(), line.get_alpha())) >= GRAPHICS_CONTRAST
    # the legend shows the markers too, so a reader matches a line with its name without the colour
    legend_markers = [handle.get_marker() for handle in display.ax_.get_legend().legend_handles]
    assert legend_markers == markers


def test_frontier_families_differ_in_marker():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    teacher = LogisticRegression().fit(X, y)
    frontier = fidelity_frontier(teacher, X, task="classification", students={
        "lasso": SparseLinearClassifier(alpha=0.05), "best subset": SparseLinearClassifier(penalty="l0", alpha=0.0)})
    display = frontier.plot()
    families = [line for line in display.ax_.get_lines() if line.get_label() in ("lasso", "best subset")]
    assert len(families) == 2
    assert families[0].get_marker() != families[1].get_marker()
    assert families[0].get_linestyle() != families[1].get_linestyle()


def test_shape_band_edges_and_density_strip_stand_out_from_white():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), term="age")
    edge = display.band_.get_edgecolor()
    assert display.band_.get_linewidth() > 0 and contrast_ratio(_seen_on_white(edge)) >= GRAPHICS_CONTRAST
    strip = [p for p in display.ax_density_.patches if p.get_fill() and p.get_facecolor()[3] > 0]
    assert strip
    for patch in strip:
        assert contrast_ratio(_seen_on_white(patch.get_facecolor())) >= GRAPHICS_CONTRAST


def test_risk_curve_observed_rates_differ_from_the_curve_in_shape_and_stand_out():
    display = RiskCurveDisplay(scores=[0, 1, 2], predicted=[0.1, 0.4, 0.8], observed=[0.12, 0.35, 0.9],
                               count=[10, 20, 5]).plot()
    face = display.points_.get_facecolors()[0]
    assert contrast_ratio(_seen_on_white(face)) >= GRAPHICS_CONTRAST
    observed_marker = display.points_.get_paths()[0]
    from matplotlib.markers import MarkerStyle

    assert len(observed_marker.vertices) != len(MarkerStyle(display.line_.get_marker()).get_path().vertices)
    plt.close("all")


def test_regularization_path_of_a_classifier_says_what_its_coefficients_measure():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    binary = RegularizationPathDisplay.from_estimator(SparseLinearClassifier(), X, (X[:, 0] > 0).astype(int),
                                                      n_alphas=5)
    assert binary.ax_.get_ylabel() == "standardized coefficient (log-odds of 1)"
    three = np.digitize(X[:, 0], [-0.5, 0.5])
    multiclass = RegularizationPathDisplay.from_estimator(SparseLinearClassifier(), X, three, n_alphas=5,
                                                          target_class=2, standardized=False)
    assert multiclass.ax_.get_ylabel() == "coefficient (decision score of class 2)"


def test_regularization_path_of_a_regressor_keeps_its_plain_label():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    display = RegularizationPathDisplay.from_estimator(SparseLinearRegressor(), X, y, n_alphas=5)
    assert display.ax_.get_ylabel() == "standardized coefficient"


def test_pair_heatmap_hatches_the_cells_below_zero_and_the_colour_bar_below_zero():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age x color", show_missing=True)
    first, second = display.bins
    drawn = PAIR_SCORES[: first.n_value_bins, : second.n_value_bins]
    heatmap = display.hatched_cells_[0]
    assert heatmap.get_hatch() and len(heatmap.get_paths()) == int((drawn < 0).sum()) > 0
    # each hatched rectangle sits on a negative cell of the mesh
    x_edges, y_edges = display.mesh_.get_coordinates()[0, :, 0], display.mesh_.get_coordinates()[:, 0, 1]
    for path in heatmap.get_paths():
        x0, y0 = path.vertices.min(axis=0)  # the rectangle's lower-left corner names its cell
        column, row = int(np.searchsorted(x_edges, x0)), int(np.searchsorted(y_edges, y0))
        assert drawn[column, row] < 0
    missing = [PAIR_SCORES[first.missing_bin, : second.n_value_bins],  # age missing: a strip along color
               PAIR_SCORES[: first.n_value_bins, second.missing_bin]]
    assert [len(c.get_paths()) for c in display.hatched_cells_[1:]] == [int((m < 0).sum()) for m in missing]
    assert any(p.get_hatch() for p in display.colorbar_.ax.patches)


def test_pair_heatmap_hatching_can_be_turned_off():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age x color", hatch=None)
    assert display.hatched_cells_ == []
    assert not any(p.get_hatch() for p in display.colorbar_.ax.patches)


def test_bar_charts_carry_a_text_alternative_of_what_they_draw():
    waterfall = LocalContributionDisplay(term_names=["age", "income", "debt"], contributions=[0.8, -0.3, 0.1],
                                         base_value=-1.0, decision=-0.4, title="Row 3").plot(max_terms=1)
    assert waterfall.alt_text_ == ("Row 3. Bars (decision function), top to bottom: base value: -1; age: +0.8; "
                                   "2 other terms: -0.2; = decision function: -0.4.")
    coefficients = CoefficientDisplay(term_names=["small", "large", "zero"], coefficients=[0.1, -0.9, 0.0],
                                      title="Model").plot()
    assert coefficients.alt_text_ == "Model. Bars (standardized coefficient), top to bottom: large: -0.9; small: +0.1."
    reasons = ReasonCodesDisplay(names=["debt", "age"], shortfall=[0.2, 0.9], reasons=[1], units="log-odds",
                                 adverse="bad").plot()
    assert reasons.alt_text_ == "Reasons. Bars (shortfall toward bad (log-odds)), top to bottom: 1. age: 0.9; debt: 0.2."


def test_relativity_waterfall_text_gives_the_factors_it_writes():
    display = LocalContributionDisplay(term_names=["area"], contributions=[np.log(2.0)], base_value=0.0,
                                       decision=np.log(2.0), relativity=True).plot()
    assert "area: x2;" in display.alt_text_
    assert [t.get_text() for t in display.ax_.texts][1] == "x2"


def test_forest_plot_and_fidelity_bars_carry_a_text_alternative():
    forest = CoefficientIntervalDisplay(term_names=["age", "debt"], estimates=[0.2, -1.5], lower=[0.1, -2.0],
                                        upper=[0.3, -1.0], title="Wald intervals").plot()
    assert forest.alt_text_ == ("Wald intervals. Bars (coefficient), top to bottom: debt: -1.5 [-2, -1]; "
                                "age: 0.2 [0.1, 0.3].")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    report = fidelity_report(lambda Z: Z[:, 0] > 0, lambda Z: Z[:, 0] > 0.3, X, task="classification")
    display = FidelityDisplay.from_report(report).plot(max_segments=2)
    overall = format_number(1.0 - report.agreement)
    assert display.alt_text_.endswith("top to bottom: x0: [-0.13, 0.162) (n=30): 0.5333; "
                                      f"x0: [0.162, 0.5) (n=30): 0.3333. Dashed line: overall {overall}.")


def test_a_fidelity_plot_with_no_segment_says_why_on_the_plot_and_in_its_text():
    import pandas as pd

    X = np.arange(8.0).reshape(-1, 1)
    report = fidelity_report(lambda Z: Z[:, 0] > 3, lambda Z: Z[:, 0] > 4, X, task="classification",
                             min_segment_rows=50)
    display = FidelityDisplay.from_report(report).plot()
    note = display.empty_note_.get_text()
    assert note.startswith("No segment to draw") and "min_segment_rows" in note
    assert display.ax_.get_xlim()[0] <= 0.0  # the overall line is read against zero, not a made-up span
    text = display.alt_text_
    assert "none" not in text and "No bars (disagreement rate): no segment to draw" in text
    assert "min_segment_rows" in text
    assert text.endswith("Dashed line: overall 0.125.")
    dates = pd.DataFrame({"when": pd.date_range("2020-01-01", periods=8)})
    report = fidelity_report(lambda Z: np.arange(len(Z)) > 3, lambda Z: np.arange(len(Z)) > 4, dates,
                             task="classification")
    display = FidelityDisplay.from_report(report).plot()
    assert "when" in display.empty_note_.get_text() and "not segmented" in display.alt_text_
    drawn = FidelityDisplay.from_report(fidelity_report(lambda Z: Z[:, 0] > 3, lambda Z: Z[:, 0] > 4, X,
                                                        task="classification", min_segment_rows=1)).plot()
    assert drawn.empty_note_ is None


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_a_fidelity_plot_of_a_perfect_copy_says_so_and_draws_no_negative_axis(task):
    X = np.arange(80.0).reshape(-1, 1)
    model = (lambda Z: Z[:, 0] > 30) if task == "classification" else (lambda Z: Z[:, 0])
    display = FidelityDisplay.from_report(fidelity_report(model, model, X, task=task)).plot()
    assert display.ax_.get_xlim()[0] == 0.0 and display.ax_.get_xlim()[1] > 0.0
    assert "every row" in display.empty_note_.get_text()
    assert "every row" in display.alt_text_
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(300, 2))
    drawn = FidelityDisplay.from_report(fidelity_report(lambda Z: Z[:, 0] > 0, lambda Z: Z[:, 0] > 0.3, Z,
                                                        task="classification")).plot()
    assert drawn.ax_.get_xlim()[0] == 0.0 and drawn.empty_note_ is None  # a disagreement is never negative


def test_the_fidelity_legend_covers_no_bar():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 3))
    coin = lambda Z: rng.random(len(Z)) > 0.5  # noqa: E731  every segment about as bad: all bars long
    display = FidelityDisplay.from_report(fidelity_report(coin, coin, X, task="classification")).plot()
    display.figure_.canvas.draw()
    renderer = display.figure_.canvas.get_renderer()
    legend = display.ax_.get_legend().get_window_extent(renderer)
    assert not any(legend.overlaps(bar.get_window_extent(renderer)) for bar in display.ax_.patches)
