"""Shape, path, risk-curve and frontier plots keep a text alternative (WCAG 1.1.1) of what they draw.

Each test reads the drawn artists back from the axes and checks that the text
states the same values, as the plot shows them.
"""

import numpy as np
import pandas as pd
import pytest

from glassbox.explain import FeatureBins
from glassbox.explain._render import format_number
from glassbox.plotting import (FrontierDisplay, RegularizationPathDisplay, RiskCurveDisplay,
                               ShapeFunctionDisplay)
from glassbox.plotting._display import bar_chart_text, figure_text
from glassbox.surrogate import FidelityFrontier

from plotting_fixtures import COLOR, PAIR_SCORES, binary_shapes


def test_numeric_shape_text_gives_the_constrained_direction_and_the_drawn_extremes():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age")
    values, _, _ = display.line_.get_data()
    text = display.alt_text_
    assert text.startswith("age. Steps of log-odds of yes over age (training range not recorded: end bins open), "
                           "5 bins: increasing, under a monotone increasing constraint.")
    assert f"Lowest {format_number(values.min())} at age < 25; highest {format_number(values.max())} at age >= 60." \
        in text
    missing = display.missing_bar_.patches[0].get_height()
    assert f"Missing values: {format_number(missing)} (" in text
    assert "Band drawn: uncertainty band. A strip below shows the share of rows in each bin." in text


def test_numeric_shape_text_says_when_the_steps_go_both_ways_and_names_a_run_of_equal_bins():
    bins = FeatureBins("age", "numeric", thresholds=[30.0, 50.0, 60.0])
    display = ShapeFunctionDisplay(bins=bins, scores=[0.4, -0.2, 0.7, 0.7, 0.0], value_ranges=(18, 90)).plot()
    assert display.alt_text_ == ("age. Steps of score over age (from 18 to 90), 4 bins: not monotone. "
                                 "Lowest -0.2 at age in [30, 50); highest 0.7 at age >= 50.")


def test_relativity_shape_text_writes_factors():
    bins = FeatureBins("area", "numeric", thresholds=[1.0])
    display = ShapeFunctionDisplay(bins=bins, scores=np.log([0.5, 2.0, 1.0]), value_ranges=(0, 2))
    display = display._as_relativities().plot()
    assert "Lowest x0.5 at area < 1; highest x2 at area >= 1." in display.alt_text_
    assert "not monotone" not in display.alt_text_ and "increasing" in display.alt_text_


def test_categorical_shape_text_lists_levels_in_drawn_order():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "color")
    shown = display.ax_density_ if display.ax_density_ is not None else display.ax_
    levels = [t.get_text() for t in shown.get_xticklabels()]
    heights = [bar.get_height() for bar in display.bars_]
    listed = "; ".join(f"{level}: {format_number(h)}" for level, h in zip(levels, heights))
    assert f"Bars of log-odds of yes for each level of color, left to right: {listed}." in display.alt_text_
    assert levels == ["blue", "green", "red"]


def test_a_long_categorical_shape_text_is_capped_and_keeps_its_extremes():
    levels = np.array([f"z{i:02d}" for i in range(25)], dtype=object)
    scores = np.r_[np.linspace(1.0, -1.0, 25), 0.0, 0.0]
    display = ShapeFunctionDisplay(bins=FeatureBins("zip", "categorical", categories=levels), scores=scores).plot()
    text = display.alt_text_
    assert "z19: -0.5833 ... and 5 more." in text and "z20" not in text.split("more.")[0]
    assert text.endswith("Lowest -1 at zip = z24; highest 1 at zip = z00.")


def test_pair_text_names_the_features_and_the_extreme_cells():
    display = ShapeFunctionDisplay.from_explanation(binary_shapes(), "age x color")
    drawn = np.concatenate([display.mesh_.get_array().ravel()]
                           + [mesh.get_array().ravel() for mesh in display.missing_strips_.values()])
    text = display.alt_text_
    assert "Heatmap of log-odds of yes over age (across, training range not recorded: end bins open) and color (up, " \
           "3 levels)." in text
    low, high = format_number(drawn.min()), format_number(drawn.max())
    assert f"Cells: lowest {low} at age < 25 and color = blue; highest {high} at " in text
    assert low == format_number(PAIR_SCORES.min())
    assert "Cells below 0 are hatched." in text


def test_shape_text_names_the_missing_cells_of_a_pair_and_the_edits():
    bins = FeatureBins("age", "numeric", thresholds=[30.0])
    scores = np.array([[0.1, 0.2, 0.0, 0.0, 0.0], [0.3, -0.4, 0.0, 0.0, 0.0], [0.5, 0.6, 0.9, 0.0, 0.0]])
    display = ShapeFunctionDisplay(bins=(bins, COLOR), scores=scores, value_ranges=((20, 40), None),
                                   edits=["clipped to [-1, 1]"]).plot()
    text = display.alt_text_
    assert text.startswith("age x color (edited).")
    assert "highest 0.9 at age missing and color = red" in text
    assert "Missing age (right strip): from 0.5 to 0.9." in text
    assert text.endswith("Edited after fitting: clipped to [-1, 1].")


def _path_display(**plot_kwargs):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 4)), columns=["noise", "strong", "weak", "none"])
    y = 3.0 * X["strong"] + 0.5 * X["weak"] + rng.normal(0, 0.3, 300)
    from glassbox import SparseLinearRegressor

    display = RegularizationPathDisplay.from_estimator(SparseLinearRegressor(), X, y, n_alphas=15)
    return display.plot(**plot_kwargs) if plot_kwargs else display


def test_path_text_names_the_first_term_to_enter_and_each_named_term():
    display = _path_display(label_top=2, selected_alpha=0.05)
    alphas = display.lines_[0].get_xdata()
    lines = {line.get_label(): line.get_ydata() for line in display.lines_ if not line.get_label().startswith("_")}
    assert set(lines) == {"strong", "weak"}
    enters = {name: alphas[np.flatnonzero(values)[0]] for name, values in lines.items()}
    text = display.alt_text_
    assert f"First to enter: strong, at alpha {format_number(enters['strong'])}." in text
    assert (f"Terms in the order they enter: strong: enters at alpha {format_number(enters['strong'])}, "
            f"{format_number(lines['strong'][-1])} at the smallest alpha; weak: enters at alpha "
            f"{format_number(enters['weak'])}, {format_number(lines['weak'][-1])} at the smallest alpha.") in text
    assert "2 other terms drawn in grey, not named." in text
    assert text.endswith("Dashed line at the selected alpha 0.05.")


def test_risk_curve_text_gives_the_ends_and_a_short_table():
    display = RiskCurveDisplay(scores=[0, 1, 2], predicted=[0.1, 0.5, 0.99996], observed=[0.0, np.nan, 1.0],
                               count=[10, 0, 5], positive_class="default", title="Card").plot()
    x, y = display.line_.get_data()
    assert list(x) == [0, 1, 2] and y[-1] == 0.99996
    assert display.alt_text_ == (
        "Card. Predicted risk of default (line) at each total score from 0 to 2 points: 0.1 at 0, 0.99996 at 2. "
        "Squares: the observed rate among training rows with that score (size: count). Score: predicted risk: "
        "0: 0.1 (observed 0, count 10); 1: 0.5; 2: 0.99996 (observed 1, count 5).")


def test_risk_curve_text_of_a_long_card_says_where_the_risk_reaches_one_half():
    scores = np.arange(-10, 11)
    display = RiskCurveDisplay(scores=scores, predicted=1 / (1 + np.exp(-(scores - 2.5))),
                               observed=np.full(21, np.nan), count=np.zeros(21)).plot()
    assert display.alt_text_.endswith("The risk first reaches 0.5 at score 3 (0.622).")
    assert "Score: predicted risk" not in display.alt_text_


def _frontier_row(family, complexity, unit, fidelity, error=None):
    return {"family": family, "student": "defaults", "complexity": complexity, "unit": unit, "fidelity": fidelity,
            "balanced_agreement": fidelity, "fit_seconds": 0.1, "converged": True, "error": error}


def test_frontier_text_names_the_simplest_student_meeting_the_target():
    rows = (_frontier_row("linear", 1, "terms", 0.82), _frontier_row("linear", 3, "terms", 0.93),
            _frontier_row("linear", 5, "terms", 0.95), _frontier_row("rules", None, None, None, error="no rows"))
    frontier = FidelityFrontier(teacher="Forest", metric="agreement", target=0.9, evaluated_on="held-out rows",
                                rows=rows, models=(None,) * 4)
    display = FrontierDisplay.from_frontier(frontier).plot()
    ringed = display.ax_.collections[0].get_offsets()[0]
    assert tuple(ringed) == (3, 0.93)
    assert display.alt_text_ == (
        "Fidelity frontier: copies of Forest. Lines of agreement against complexity (terms), one per family; "
        "dashed line at the target 0.9. Points: linear: 0.82 at 1 term, 0.93 at 3 terms, 0.95 at 5 terms. "
        "Ringed: the simplest student reaching agreement >= 0.9: linear with 3 terms (0.93). "
        "Not drawn, failed to fit: rules.")


def test_frontier_text_rings_one_student_per_unit_and_names_the_chosen_one():
    rows = (_frontier_row("linear", 2, "terms", 0.91), _frontier_row("rules", 4, "rules", 0.95))
    frontier = FidelityFrontier(teacher="Forest", metric="agreement", target=0.9, evaluated_on="held-out rows",
                                rows=rows, models=(None,) * 2)
    text = FrontierDisplay.from_frontier(frontier).plot().alt_text_
    assert text.endswith("Ringed: the simplest student reaching agreement >= 0.9 in each unit: linear with 2 terms "
                         "(0.91); rules with 4 rules (0.95), the most faithful of these, chosen (thicker ring).")


def test_figure_text_ends_each_sentence_once_and_bar_text_caps_its_rows():
    assert figure_text("Done.", ["one", "two."]) == "Done. one. two."
    assert bar_chart_text(None, "score", ["a", "b", "c"], ["1", "2", "3"], order="left to right", limit=2) == (
        "Bars (score), left to right: a: 1; b: 2 ... and 1 more.")


@pytest.mark.parametrize("term", ["age", "color", "age x color"])
def test_every_shape_has_a_text_alternative_after_plot(term):
    assert ShapeFunctionDisplay.from_explanation(binary_shapes(), term).alt_text_.startswith(term)


def test_a_training_range_is_written_as_the_bin_labels_round_it():
    bins = FeatureBins("age", "numeric", thresholds=[0.0, 1.0])
    display = ShapeFunctionDisplay(bins=bins, scores=[0.1, 0.2, 0.3, 0.0], value_ranges=(-2.7112854374347726, 3.10004229891))
    assert "over age (from -2.711 to 3.1)" in display.plot().alt_text_


def test_the_frontier_legend_says_what_the_rings_mean():
    rows = (_frontier_row("linear", 2, "terms", 0.91), _frontier_row("linear", 1, "terms", 0.8),
            _frontier_row("rules", 4, "rules", 0.95))
    frontier = FidelityFrontier(teacher="Forest", metric="agreement", target=0.9, evaluated_on="held-out rows",
                                rows=rows, models=(None,) * 3)
    legend = FrontierDisplay.from_frontier(frontier).plot().ax_.get_legend()
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels == ["linear", "rules", "target", "simplest reaching the target in its unit", "chosen"]
    one = FidelityFrontier(teacher="Forest", metric="agreement", target=0.9, evaluated_on="held-out rows",
                           rows=rows[:2], models=(None,) * 2)
    labels = [text.get_text() for text in FrontierDisplay.from_frontier(one).plot().ax_.get_legend().get_texts()]
    assert labels == ["linear", "target", "chosen: the simplest reaching the target"]


def test_a_flat_shape_says_every_bin_scores_the_same_instead_of_lowest_and_highest_at_every_value():
    bins = FeatureBins("age", "numeric", thresholds=[30.0, 50.0])
    text = ShapeFunctionDisplay(bins=bins, scores=[0.0, 0.0, 0.0, 0.0], value_ranges=(18, 80)).plot().alt_text_
    assert "3 bins: flat. All at 0." in text and "lowest" not in text.lower()
    levels = ShapeFunctionDisplay(bins=COLOR, scores=np.full(5, 0.25)).plot().alt_text_
    assert "blue: 0.25; green: 0.25; red: 0.25." in levels
