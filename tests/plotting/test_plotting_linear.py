"""CoefficientDisplay(relativity=True) and the factor axis it shares with the shape display."""

import numpy as np
import pandas as pd
import pytest
from plotting_fixtures import assert_reads_as_factors

from glassbox import SparseLinearRegressor
from glassbox.plotting import CoefficientDisplay
from glassbox.plotting._factor_axis import factor_ticks


@pytest.mark.parametrize("low, high", [(0.81, 1.56), (0.48, 1.55), (0.97, 1.04), (0.2, 12.0), (0.01, 50.0),
                                       (1e-3, 1e4), (0.95, 3.0), (0.6, 0.95), (1.5, 40.0), (0.999, 1.001)])
def test_factor_ticks_are_round_factors_with_one_on_each_side_of_one(low, high):
    ticks = factor_ticks(low, high)
    assert 4 <= len(ticks) <= 10 and np.all(np.diff(ticks) > 0)
    assert np.all((ticks >= low) & (ticks <= high))
    assert np.all(np.round(ticks, 6) == ticks), ticks  # round factors, labels of few digits
    if low <= 1.0 <= high:
        assert 1.0 in ticks
    if low < 1.0 < high:
        assert ticks.min() < 1.0 < ticks.max()


@pytest.fixture(scope="module")
def poisson_model():
    rng = np.random.RandomState(0)
    n = 2000
    X = pd.DataFrame(rng.normal(size=(n, 3)), columns=list("abc"))
    X["region"] = rng.choice(["north", "south", "east"], n)
    exposure = rng.uniform(0.1, 1, n)
    mean = np.exp(0.3 + 0.4 * X.a - 0.2 * X.b + 0.3 * (X.region == "south"))
    y = rng.poisson(mean * exposure) / exposure
    return SparseLinearRegressor(loss="poisson", alpha=0.001).fit(X, y, sample_weight=exposure)


def test_relativity_bars_are_the_tables_factors_per_unit(poisson_model):
    # a tariff is read per unit, an indicator for its level: the coefficient table's relativity column
    table = poisson_model.explain_global()
    display = CoefficientDisplay.from_estimator(poisson_model, relativity=True)
    ends = {label.get_text(): bar.get_x() + bar.get_width()
            for label, bar in zip(display.ax_.get_yticklabels(), display.bars_)}
    expected = dict(zip(table.term_names, table.relativities))
    assert set(ends) == {name for name, coef in zip(table.term_names, table.coefficients) if coef != 0}
    for name, end in ends.items():
        assert end == pytest.approx(expected[name], rel=1e-12), name
    assert all(bar.get_x() == 1.0 for bar in display.bars_)
    assert "per unit" in display.ax_.get_xlabel() and "standard deviation" not in display.ax_.get_xlabel()
    # per standard deviation only when asked, and the axis says so
    per_sd = CoefficientDisplay.from_estimator(poisson_model, relativity=True, standardized=True)
    ends = sorted(bar.get_x() + bar.get_width() for bar in per_sd.bars_)
    standardized = table.standardized_coefficients[table.coefficients != 0]
    np.testing.assert_allclose(ends, np.sort(np.exp(standardized)), rtol=1e-12)
    assert "per standard deviation" in per_sd.ax_.get_xlabel()
    # without relativities the default stays the standardized coefficient
    assert CoefficientDisplay.from_estimator(poisson_model).ax_.get_xlabel().startswith("standardized")


@pytest.mark.parametrize("standardized", [False, True])
def test_relativity_axis_reads_in_factors_and_its_label_fits_the_saved_figure(poisson_model, standardized, tmp_path):
    display = CoefficientDisplay.from_estimator(poisson_model, relativity=True, standardized=standardized)
    assert display.ax_.get_xscale() == "log"
    low, high = display.ax_.get_xlim()
    assert low < 0.95 and high > 1.05  # bars on both sides of 1
    assert_reads_as_factors(display.ax_.xaxis)
    figure = display.figure_
    figure.savefig(tmp_path / "relativities.png")
    box = display.ax_.xaxis.label.get_window_extent(figure.canvas.get_renderer())
    assert 0 <= box.x0 and box.x1 <= figure.bbox.width and 0 <= box.y0, (box, figure.bbox)


def test_the_path_legend_covers_no_line_of_a_figure_the_display_makes():
    from glassbox import SparseLinearClassifier
    from glassbox.plotting import RegularizationPathDisplay

    rng = np.random.default_rng(1)
    X = pd.DataFrame({"applicant age, a very long column name that goes on and on": rng.normal(size=600),
                      "debt ratio": rng.normal(size=600), "tiny x": rng.normal(size=600),
                      "region_N": rng.random(600) > 0.5, "region_S": rng.random(600) > 0.5}).astype(float)
    y = np.where(X.iloc[:, 0] * 1.5 + 0.6 * X["debt ratio"] + 0.8 * X["region_S"] + rng.normal(size=600) > 0,
                 "bad", "good")
    display = RegularizationPathDisplay.from_estimator(SparseLinearClassifier(), X, y, n_alphas=30)
    figure = display.figure_
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = display.ax_.get_legend().get_window_extent(renderer)
    for line in display.lines_:
        points = line.get_transform().transform(np.column_stack(line.get_data()))
        inside = ((points[:, 0] > legend.x0) & (points[:, 0] < legend.x1)
                  & (points[:, 1] > legend.y0) & (points[:, 1] < legend.y1))
        assert not inside.any(), line.get_label()
    assert legend.x1 <= figure.bbox.width + 1  # and the legend is inside the figure
    assert display.ax_.get_window_extent(renderer).width >= 3.0 * figure.dpi - 1


def test_a_relativity_bar_off_the_scale_runs_to_the_edge_with_an_arrow():
    import warnings

    from glassbox.plotting import CoefficientDisplay

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning
        display = CoefficientDisplay(term_names=["tiny unit", "b", "c"], coefficients=[1000.0, 0.5, -2000.0],
                                     relativity=True).plot()
    low, high = display.ax_.get_xlim()
    assert np.isfinite([low, high]).all() and 0 < low < 1 < high
    ends = sorted(bar.get_x() + bar.get_width() for bar in display.bars_)
    assert ends[0] == pytest.approx(low) and ends[-1] == pytest.approx(high)
    assert sorted(x for arrows in display.open_ends_ for x in arrows.get_offsets()[:, 0]) == pytest.approx([low, high])
    assert "tiny unit: exp(1000), off the scale" in display.alt_text_
