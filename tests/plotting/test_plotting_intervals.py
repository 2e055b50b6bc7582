"""CoefficientIntervalDisplay draws a CoefficientInference report's own numbers: estimates and interval bounds."""

import numpy as np
import pandas as pd
import pytest
from plotting_fixtures import assert_reads_as_factors

from glassbox import SparseLinearClassifier, SparseLinearRegressor, coefficient_inference
from glassbox.plotting import CoefficientIntervalDisplay


def _policies(n=1500, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"age": rng.normal(size=n), "power": rng.normal(size=n), "noise": rng.normal(size=n),
                      "region": pd.Categorical(rng.choice(["north", "south", "east"], n))})
    log_mean = -0.5 + 0.5 * X["age"] - 0.25 * X["power"] + 0.4 * (X["region"] == "south")
    return X, rng.poisson(np.exp(log_mean)), rng


@pytest.fixture(scope="module")
def poisson_reports():
    X, y, _ = _policies()
    glm = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y)
    lasso = SparseLinearRegressor(alpha=0.01, loss="poisson").fit(X, y)
    boot = coefficient_inference(lasso, X, y, method="bootstrap", n_resamples=20, random_state=0)
    return {"wald": coefficient_inference(glm, X, y), "bootstrap": boot, "model": glm, "X": X, "y": y}


def _rows_of(report):
    """The report's values keyed by term, the intercept left out (the display does not draw it)."""
    return report.to_frame().set_index("term").drop(index="(intercept)")


def _drawn(display):
    """``{term: (estimate x, lower x, upper x)}`` as drawn, checking each row's y is its position."""
    drawn = {}
    for row, (term, point, segment) in enumerate(zip(display.terms_, display.points_.get_offsets(),
                                                     display.intervals_.get_segments())):
        (low, y_low), (high, y_high) = segment
        assert point[1] == y_low == y_high == row, term
        drawn[term] = (float(point[0]), float(low), float(high))
    assert len(drawn) == len(display.points_.get_offsets()) == len(display.intervals_.get_segments())
    return drawn


@pytest.mark.parametrize("method", ["wald", "bootstrap"])
@pytest.mark.parametrize("relativity", [False, True])
def test_points_are_the_estimates_and_segments_the_interval_bounds(poisson_reports, method, relativity):
    report = poisson_reports[method]
    display = CoefficientIntervalDisplay.from_explanation(report, relativity=relativity)
    frame = _rows_of(report)
    drawn = _drawn(display)
    assert set(drawn) == set(frame.index)  # every term, the intercept not
    to_axis = np.exp if relativity else np.asarray
    for term, values in drawn.items():
        row = frame.loc[term]
        assert values == tuple(float(to_axis(row[c])) for c in ("coefficient", "lower", "upper")), term
        if relativity:  # what the report's relativity columns read
            assert values == (row["relativity"], row["relativity_lower"], row["relativity_upper"])
    assert display.ax_.get_xscale() == ("log" if relativity else "linear")
    no_effect = [line.get_xdata()[0] for line in display.ax_.get_lines()]
    assert no_effect == [1.0 if relativity else 0.0]
    if relativity:
        assert_reads_as_factors(display.ax_.xaxis)
        assert display.ax_.get_xlabel().startswith("relativity exp(coefficient)")


def test_title_names_the_method_and_level_and_from_estimator_passes_its_settings(poisson_reports):
    wald = CoefficientIntervalDisplay.from_explanation(poisson_reports["wald"])
    assert wald.ax_.get_title() == "SparseLinearRegressor: 95% Wald intervals"
    boot = CoefficientIntervalDisplay.from_explanation(poisson_reports["bootstrap"])
    assert boot.ax_.get_title().startswith("SparseLinearRegressor: 95% bootstrap intervals")
    assert "20 refits" in boot.ax_.get_title()
    model, X, y = poisson_reports["model"], poisson_reports["X"], poisson_reports["y"]
    display = CoefficientIntervalDisplay.from_estimator(model, X, y, level=0.8, relativity=True)
    assert display.ax_.get_title() == "SparseLinearRegressor: 80% Wald intervals"
    narrower = coefficient_inference(model, X, y, level=0.8)
    frame = _rows_of(narrower)
    for term, (_, low, high) in _drawn(display).items():
        assert (low, high) == (np.exp(frame.loc[term, "lower"]), np.exp(frame.loc[term, "upper"])), term


@pytest.mark.parametrize("method", ["wald", "bootstrap"])
def test_max_terms_keeps_the_largest_estimates_largest_on_top(poisson_reports, method):
    report = poisson_reports[method]
    magnitude = _rows_of(report)["coefficient"].abs().sort_values(ascending=False, kind="stable")
    display = CoefficientIntervalDisplay.from_explanation(report, max_terms=3)
    assert display.terms_ == list(magnitude.index[:3][::-1])  # bottom row first
    assert f"largest 3 of {len(magnitude)} terms" in display.ax_.get_xlabel()
    everything = CoefficientIntervalDisplay.from_explanation(report, max_terms=None)
    assert everything.terms_ == list(magnitude.index[::-1]) and "largest" not in everything.ax_.get_xlabel()


def test_bootstrap_labels_show_the_selection_share_and_the_reference_level(poisson_reports):
    report = poisson_reports["bootstrap"]
    assert report.reference_levels  # the fixture has a categorical read against one of its levels
    reference = {f"{feature} == {level}" for feature, level in report.reference_levels.items()}
    shares = _rows_of(report)["selected"]
    for relativity in (False, True):
        display = CoefficientIntervalDisplay.from_explanation(report, relativity=relativity, max_terms=None)
        labels = [label.get_text() for label in display.ax_.get_yticklabels()]
        faces = display.points_.get_facecolors()
        for term, label, face, (x, low, high) in zip(display.terms_, labels, faces, _drawn(display).values()):
            if term in reference:  # a hollow point at no effect, no interval
                assert label == f"{term} (reference)"
                assert x == low == high == (1.0 if relativity else 0.0)
                assert tuple(face) == (1.0, 1.0, 1.0, 1.0)
            else:
                assert label == f"{term} (selected {shares[term]:.0%})"
                assert tuple(face) != (1.0, 1.0, 1.0, 1.0)
        assert reference <= set(display.terms_)


def test_wald_names_the_terms_at_zero_it_leaves_out(poisson_reports):
    X, y = poisson_reports["X"], poisson_reports["y"]
    subset = SparseLinearRegressor(alpha=0, loss="poisson", penalty="l0", max_features=3).fit(X, y)
    with pytest.warns(UserWarning, match="chosen among"):
        report = coefficient_inference(subset, X, y)
    assert report.dropped_terms  # the terms the best-subset fit left out
    display = CoefficientIntervalDisplay.from_explanation(report)
    assert not set(report.dropped_terms) & set(display.terms_)
    assert f"at zero, no interval: {', '.join(report.dropped_terms)}" in display.ax_.get_xlabel()
    labels = [label.get_text() for label in display.ax_.get_yticklabels()]
    assert labels == display.terms_  # no selection shares on a Wald report


def test_wald_names_the_level_a_categorical_is_read_against(poisson_reports):
    # the base level is no term at zero (it is what the other levels are read against) and has no row
    report = poisson_reports["wald"]
    base = "region == " + report.reference_levels["region"]
    assert report.dropped_terms == () and base not in report.terms
    display = CoefficientIntervalDisplay.from_explanation(report)
    assert f"(levels read against {base})" in display.ax_.get_xlabel() and "at zero" not in display.ax_.get_xlabel()


def test_relativity_refuses_an_identity_link_report_and_draws_odds_ratios_for_logistic():
    X, counts, _ = _policies(n=600)
    regression = SparseLinearRegressor(alpha=0).fit(X, counts.astype(float))
    report = coefficient_inference(regression, X, counts.astype(float))
    with pytest.raises(ValueError, match="link is 'identity': use relativity=False"):
        CoefficientIntervalDisplay.from_explanation(report, relativity=True)
    assert CoefficientIntervalDisplay.from_explanation(report).ax_.get_xlabel().startswith("coefficient")
    event = (counts > 0).astype(int)
    logistic = SparseLinearClassifier(alpha=0).fit(X, event)
    report = coefficient_inference(logistic, X, event)
    display = CoefficientIntervalDisplay.from_explanation(report, relativity=True)
    assert display.ax_.get_xlabel().startswith("odds ratio exp(coefficient)")
    frame = _rows_of(report)
    for term, values in _drawn(display).items():
        assert values == tuple(frame.loc[term, ["odds_ratio", "odds_ratio_lower", "odds_ratio_upper"]]), term


def test_multiclass_bootstrap_needs_a_target_class_and_draws_its_rows():
    X, counts, _ = _policies(n=600)
    labels = np.array(["low", "mid", "high"])[np.minimum(counts, 2)]
    model = SparseLinearClassifier(alpha=0.01).fit(X, labels)
    report = coefficient_inference(model, X, labels, method="bootstrap", n_resamples=5, random_state=0)
    with pytest.raises(ValueError, match="3 classes; pass target_class"):
        CoefficientIntervalDisplay.from_explanation(report)
    with pytest.raises(ValueError, match="softmax"):
        CoefficientIntervalDisplay.from_explanation(report, target_class="mid", relativity=True)
    frame = report.to_frame()
    frame = frame[(frame["class"] == "mid") & (frame["term"] != "(intercept)")].set_index("term")
    display = CoefficientIntervalDisplay.from_explanation(report, target_class="mid", max_terms=None)
    assert "class mid" in display.ax_.get_xlabel()
    drawn = _drawn(display)
    assert set(drawn) == set(frame.index)
    for term, values in drawn.items():
        assert values == tuple(frame.loc[term, ["coefficient", "lower", "upper"]]), term


@pytest.mark.parametrize("relativity", [False, True])
def test_multiclass_wald_draws_a_class_against_the_reference_class(relativity):
    X, counts, _ = _policies(n=600)
    labels = np.array(["low", "mid", "high"])[np.minimum(counts, 2)]
    model = SparseLinearClassifier(alpha=0).fit(X, labels)
    report = coefficient_inference(model, X, labels)
    display = CoefficientIntervalDisplay.from_explanation(report, target_class="mid", relativity=relativity,
                                                          max_terms=None)
    reference = report.reference_class
    assert f"odds of mid against {reference}" in display.ax_.get_xlabel()
    assert display.ax_.get_xlabel().startswith("odds ratio" if relativity else "coefficient (log of")
    frame = report.to_frame()
    frame = frame[(frame["class"] == "mid") & (frame["term"] != "(intercept)")].set_index("term")
    columns = ["odds_ratio", "odds_ratio_lower", "odds_ratio_upper"] if relativity else ["coefficient", "lower", "upper"]
    drawn = _drawn(display)
    assert set(drawn) == set(frame.index)
    for term, values in drawn.items():
        assert values == tuple(frame.loc[term, columns]), term


def test_target_class_on_a_single_output_report_is_refused(poisson_reports):
    with pytest.raises(ValueError, match="only applies to a multiclass report"):
        CoefficientIntervalDisplay.from_explanation(poisson_reports["wald"], target_class=1)


def test_other_inputs_get_a_clear_error(poisson_reports):
    model = poisson_reports["model"]
    for wrong in (model, model.explain_global(), poisson_reports["wald"].to_frame()):
        with pytest.raises(TypeError, match="CoefficientIntervalDisplay needs a CoefficientInference, got .* "
                                            r"Use glassbox.coefficient_inference\(model, X, y\)"):
            CoefficientIntervalDisplay.from_explanation(wrong)


@pytest.mark.parametrize("relativity", [False, True])
def test_an_interval_with_an_end_off_the_scale_runs_to_the_edge_with_an_arrow(relativity):
    # exp(-1000) is 0 and exp(1000) overflows: on a log axis neither can be drawn, and the interval vanished,
    # leaving a bare point that read as an exact estimate
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning either
        display = CoefficientIntervalDisplay(term_names=["a", "b"], estimates=[1.0, 2.0], lower=[0.0, -1000.0 if relativity else -np.inf],
                                             upper=[2.0, np.inf if not relativity else 1000.0],
                                             relativity=relativity).plot()
    low, high = display.ax_.get_xlim()
    (b_low, _), (b_high, _) = display.intervals_.get_segments()[-1]  # b: the largest estimate, on top
    assert b_low == pytest.approx(low) and b_high == pytest.approx(high)  # the whole width of the axes
    assert np.isfinite([low, high]).all() and (low > 0 or not relativity)
    ends = sorted(x for arrows in display.open_ends_ for x in arrows.get_offsets()[:, 0])
    assert ends == pytest.approx([low, high])
    assert "[0, inf]" in display.alt_text_ or "[-inf, inf]" in display.alt_text_
