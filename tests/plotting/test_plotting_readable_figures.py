"""Figures a reader can read: level names that do not overlap, integer score ticks, labels inside the figure."""

import numpy as np
import pytest

from glassbox.explain import FeatureBins, Link, ShapeFunctions, ShapeTerm
from glassbox.plotting import ShapeFunctionDisplay

OCCUPATIONS = ["Adm-clerical", "Armed-Forces", "Craft-repair", "Exec-managerial", "Farming-fishing",
               "Handlers-cleaners", "Machine-op-inspct", "Other-service", "Priv-house-serv", "Prof-specialty",
               "Protective-serv", "Sales", "Tech-support", "Transport-moving"]


def _shown_labels(display):
    figure = display.figure_
    figure.canvas.draw()
    shown = display.ax_density_ if display.ax_density_ is not None else display.ax_
    renderer = figure.canvas.get_renderer()
    labels = [t for t in shown.get_xticklabels() if t.get_visible() and t.get_text()]
    return labels, [t.get_window_extent(renderer) for t in labels]


def _occupation_shapes(density=True, pair=False):
    bins = FeatureBins("occupation", "categorical", categories=OCCUPATIONS)
    n = len(OCCUPATIONS)
    if pair:
        other = FeatureBins("sex", "categorical", categories=["Female", "Male"])
        term = ShapeTerm(bins=(bins, other), scores=np.linspace(-1, 1, (n + 2) * 4).reshape(n + 2, 4))
    else:
        term = ShapeTerm(bins=(bins,), scores=np.r_[np.linspace(-1, 1, n), 0.3, 0.0],
                         density=np.r_[np.arange(1.0, n + 1), 2.0, 0.0] if density else None)
    names = ["occupation", "sex"] if pair else ["occupation"]
    return ShapeFunctions(model="M", feature_names=names, link=Link("identity"), base_value=0.0, terms=(term,))


@pytest.mark.parametrize("density", [True, False])
def test_many_level_names_are_shown_upright_apart_and_inside_the_figure(density):
    display = ShapeFunctionDisplay.from_explanation(_occupation_shapes(density), "occupation")
    assert (display.ax_density_ is not None) == density
    labels, boxes = _shown_labels(display)
    assert [t.get_text() for t in labels] == OCCUPATIONS  # the names under the bars are the shown ones
    assert {t.get_rotation() for t in labels} == {90.0}
    assert not any(left.overlaps(right) for left, right in zip(boxes, boxes[1:]))
    figure_box = display.figure_.bbox
    assert all(b.y0 >= 0 and b.x0 >= 0 and b.x1 <= figure_box.width for b in boxes)


def test_a_pair_with_many_levels_names_them_apart_inside_the_figure():
    display = ShapeFunctionDisplay.from_explanation(_occupation_shapes(pair=True), 0)
    labels, boxes = _shown_labels(display)
    assert [t.get_text() for t in labels] == OCCUPATIONS
    assert not any(left.overlaps(right) for left, right in zip(boxes, boxes[1:]))
    assert all(b.y0 >= 0 for b in boxes)


def test_a_few_short_level_names_stay_level():
    bins = FeatureBins("sex", "categorical", categories=["Female", "Male"])
    term = ShapeTerm(bins=(bins,), scores=[0.2, -0.2, 0.0, 0.0], density=[5.0, 5.0, 0.0, 0.0])
    shapes = ShapeFunctions(model="M", feature_names=["sex"], link=Link("identity"), base_value=0.0, terms=(term,))
    labels, _ = _shown_labels(ShapeFunctionDisplay.from_explanation(shapes))
    assert [t.get_text() for t in labels] == ["Female", "Male"] and {t.get_rotation() for t in labels} == {0.0}


def test_risk_curve_ticks_the_score_at_whole_points_only():
    from glassbox.plotting import RiskCurveDisplay

    scores = np.array([-8, -4, -3, -1, 0, 1, 3, 4, 5, 7, 8, 9, 12])
    predicted = 1 / (1 + np.exp(-(scores - 4) / 2.0))
    display = RiskCurveDisplay(scores=scores, predicted=predicted, observed=predicted, count=np.ones(len(scores)))
    display.plot().figure_.canvas.draw()
    low, high = display.ax_.get_xlim()
    ticks = [t for t in display.ax_.get_xticks() if low <= t <= high]
    assert len(ticks) >= 4 and all(float(t).is_integer() for t in ticks)
    assert all("." not in t.get_text() for t in display.ax_.get_xticklabels() if t.get_text())


def _long_label_report():
    import pandas as pd

    from glassbox.surrogate import fidelity_report

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"workclass_of_the_applicant_as_recorded": rng.normal(size=400),
                      "hours_per_week_worked_last_year": rng.normal(size=400)})
    return fidelity_report(lambda X: np.asarray(X)[:, 0] > 0, lambda X: np.asarray(X)[:, 0] + 0.3 * np.asarray(X)[:, 1] > 0.2,
                           X, task="classification")


def test_fidelity_segment_labels_and_title_lie_inside_the_figure():
    from glassbox.plotting import FidelityDisplay

    report = _long_label_report()
    display = FidelityDisplay.from_report(report).plot()
    figure = display.figure_
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    texts = [t for t in display.ax_.get_yticklabels() if t.get_text()] + [display.ax_.title]
    assert len(texts) > 5 and all(t.get_text().startswith(("workclass_of", "hours_per")) for t in texts[:-1])
    for text in texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width and box.y0 >= 0 and box.y1 <= figure.bbox.height, (
            text.get_text(), box)


def test_fidelity_plot_on_a_given_axes_keeps_its_figure():
    import matplotlib.pyplot as plt

    from glassbox.plotting import FidelityDisplay

    figure, ax = plt.subplots(figsize=(5, 3))
    display = FidelityDisplay.from_report(_long_label_report()).plot(ax=ax)
    assert display.ax_ is ax and display.figure_ is figure and tuple(figure.get_size_inches()) == (5, 3)


def test_frontier_ticks_complexity_at_whole_numbers():
    from sklearn.linear_model import LogisticRegression

    from glassbox import SparseLinearClassifier
    from glassbox.plotting import FrontierDisplay
    from glassbox.surrogate import fidelity_frontier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    teacher = LogisticRegression().fit(X, (X @ [1.0, 0.5, 0.3, 0.0] > 0).astype(int))
    students = [SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=k) for k in (1, 3)]
    display = FrontierDisplay.from_frontier(fidelity_frontier(teacher, X, students=students, target=0.9)).plot()
    display.figure_.canvas.draw()
    low, high = display.ax_.get_xlim()
    ticks = [t for t in display.ax_.get_xticks() if low <= t <= high]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
