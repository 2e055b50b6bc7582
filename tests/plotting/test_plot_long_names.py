"""Figures a display makes hold long feature names: title, axis labels, tick labels and legend inside the figure,
the plot area not squeezed by the names, very long names wrapped or cut in the middle and kept whole on the display."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, SparseLinearClassifier
from glassbox.plotting import (
    CoefficientDisplay,
    CoefficientIntervalDisplay,
    FidelityDisplay,
    LocalContributionDisplay,
    ReasonCodesDisplay,
    RegularizationPathDisplay,
    ShapeFunctionDisplay,
)
from glassbox.plotting._display import wrap_label

WORDS = ("Durchschnittliches monatliches Haushaltsnettoeinkommen in Euro inklusive Sozialleistungen im Jahr 2019 "
         "laut Befragung und amtlichem Register der Gemeinde")


def _named(length):
    """A column name of ``length`` characters made of words, as a survey's would be."""
    return WORDS[:length].rstrip()


@pytest.fixture(scope="module", params=[80, 120], ids=["80 chars", "120 chars"])
def survey(request):
    income, area = _named(request.param), "Wohnort " + _named(request.param - 8)
    rng = np.random.default_rng(0)
    n = 300
    X = pd.DataFrame({income: rng.normal(0, 1, n), "b": rng.normal(0, 1, n),
                      area: rng.choice(["Stadt", "Land", "Vorort"], n)})
    y = np.where(X[income] - X["b"] + (X[area] == "Land") + rng.logistic(0, 1, n) > 0, "ja", "nein")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gam = GAMClassifier(interactions=[(income, area)], outer_bags=2, max_rounds=200, random_state=0).fit(X, y)
    return {"X": X, "y": y, "income": income, "area": area, "linear": SparseLinearClassifier().fit(X, y),
            "unpenalized": SparseLinearClassifier(alpha=0.0).fit(X, y), "gam": gam}


def _coefficients(s):
    return CoefficientDisplay.from_estimator(s["linear"])


def _intervals(s):
    return CoefficientIntervalDisplay.from_estimator(s["unpenalized"], s["X"], s["y"])


def _path(s):
    return RegularizationPathDisplay.from_estimator(SparseLinearClassifier(), s["X"], s["y"], n_alphas=6)


def _local_gam(s):
    return LocalContributionDisplay.from_estimator(s["gam"], s["X"], row=0)


def _local_linear(s):
    return LocalContributionDisplay.from_estimator(s["linear"], s["X"], row=0)


def _shape_numeric(s):
    return ShapeFunctionDisplay.from_estimator(s["gam"], term=s["income"])


def _shape_levels(s):
    return ShapeFunctionDisplay.from_estimator(s["gam"], term=s["area"])


def _shape_pair(s):
    return ShapeFunctionDisplay.from_estimator(s["gam"], term=f"{s['income']} x {s['area']}")


def _reasons(s):
    return ReasonCodesDisplay.from_estimator(s["linear"], s["X"].iloc[:3], reference=s["X"], adverse="nein")


def _fidelity(s):
    codes = pd.get_dummies(s["X"], dtype=float)
    teacher = GAMClassifier(interactions=0, outer_bags=1, max_rounds=50, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        teacher.fit(codes, s["y"])
    student = SparseLinearClassifier().fit(codes, teacher.predict(codes))
    return FidelityDisplay.from_models(teacher, student, codes).plot()


ALL_DISPLAYS = [_coefficients, _intervals, _path, _local_gam, _local_linear, _shape_numeric, _shape_levels,
                _shape_pair, _reasons, _fidelity]
BAR_CHARTS = [_coefficients, _intervals, _local_gam, _local_linear, _reasons, _fidelity]


def _drawn(display):
    figure = display.figure_
    figure.canvas.draw()
    return figure, figure.canvas.get_renderer()


@pytest.mark.parametrize("make", ALL_DISPLAYS, ids=lambda make: make.__name__.strip("_"))
def test_everything_drawn_lies_inside_the_figure(survey, make):
    figure, renderer = _drawn(make(survey))
    width, height = figure.get_size_inches()
    tight = figure.get_tightbbox(renderer)  # inches: every drawn artist, ticks outside the view left out
    assert tight.x0 >= -0.01 and tight.y0 >= -0.01, tight
    assert tight.x1 <= width + 0.01 and tight.y1 <= height + 0.01, (tight, width, height)
    for ax in figure.axes:  # and by name, for a clear failure
        for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
            if text.get_text():
                box = text.get_window_extent(renderer)
                assert 0 <= box.x0 and box.x1 <= figure.bbox.width, (text.get_text(), box)
                assert 0 <= box.y0 and box.y1 <= figure.bbox.height, (text.get_text(), box)


@pytest.mark.parametrize("make", BAR_CHARTS, ids=lambda make: make.__name__.strip("_"))
def test_long_term_names_leave_the_bars_room(survey, make):
    display = make(survey)
    figure, renderer = _drawn(display)
    assert display.ax_.get_window_extent(renderer).width >= 3.0 * figure.dpi - 1
    assert figure.get_figwidth() <= 20.0


@pytest.mark.parametrize("make", [_shape_numeric, _shape_levels, _shape_pair], ids=["numeric", "levels", "pair"])
def test_a_shape_titled_by_a_long_name_wraps_it_onto_two_lines(survey, make):
    display = make(survey)
    title = display.ax_.get_title()
    assert title.count("\n") <= 1 and all(len(line) <= 60 for line in title.split("\n"))
    assert display.term_name.startswith(title[:15])  # the name begins the title, and the display keeps it whole
    assert len(display.term_name) >= 80


def test_a_pair_title_names_both_features():
    from glassbox.explain import FeatureBins, Link, ShapeFunctions, ShapeTerm

    first, second = _named(90), "Wohnort " + _named(90)
    bins = (FeatureBins(first, "numeric", thresholds=[0.0]), FeatureBins(second, "categorical", categories=["a", "b"]))
    term = ShapeTerm(bins=bins, scores=np.arange(12.0).reshape(3, 4) / 10)
    shapes = ShapeFunctions(model="M", feature_names=[first, second], link=Link("identity"), base_value=0.0,
                            terms=(term,))
    title = ShapeFunctionDisplay.from_explanation(shapes, 0).ax_.get_title()
    parts = title.replace("\n", " ").split(" x ")
    assert len(parts) == 2 and parts[0].startswith("Durchschnittliches") and parts[1].startswith("Wohnort")


def test_short_names_keep_the_figure_as_created():
    X = pd.DataFrame({"age": np.arange(40.0) % 7, "income": np.arange(40.0) % 5})
    y = np.where(X["age"] + X["income"] + np.arange(40) % 3 > 6, "yes", "no")
    figure = CoefficientDisplay.from_estimator(SparseLinearClassifier().fit(X, y)).figure_
    assert tuple(figure.get_size_inches()) == (6.4, 4.8)


def test_the_title_of_a_figure_the_user_passed_is_wrapped_but_the_figure_is_left_alone(survey):
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(5, 3))
    display = ShapeFunctionDisplay.from_estimator(survey["gam"], term=survey["income"], ax=ax)
    assert tuple(figure.get_size_inches()) == (5, 3)
    assert display.ax_.get_title().count("\n") == 1


@pytest.mark.parametrize("text", [_named(80), _named(130), "x" * 150, "a " * 90, "short", "two\nlines"])
def test_wrap_label_gives_two_lines_at_most_with_the_ends_of_each(text):
    wrapped = wrap_label(text)
    for original, lines in zip(text.split("\n"), [wrap_label(line).split("\n") for line in text.split("\n")]):
        assert 1 <= len(lines) <= 2 and all(len(line) <= 60 for line in lines)
        joined = " ".join(lines)
        assert joined.startswith(original.strip()[:10]) and joined.endswith(original.strip()[-10:])
    if len(text) <= 60:
        assert wrapped == text
