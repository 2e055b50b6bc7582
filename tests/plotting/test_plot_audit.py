"""Every display on every explanation kind it accepts, as a reader's figure.

Names with matplotlib's math markers (``$``), long names, 60-term waterfalls
and large values; figures draw without warnings, honour ``ax=`` and print
their labels literally.
"""

import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier

import glassbox.plotting as gp
from glassbox import all_estimators
from glassbox.explain import LocalExplanation, Link, ShapeFunctions
from glassbox.plotting import CoefficientDisplay, LocalContributionDisplay, ShapeFunctionDisplay

DOLLARS = "cost in $ per $unit^2"
BROKEN_MATH = "a$b^$c_{"
ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]


def _frame(n=200, seed=0, missing=True):
    rng = np.random.default_rng(seed)
    cost = rng.normal(50, 10, n)
    level = rng.choice(["a", "b", "c"], n).astype(object)
    if missing:
        cost[:10] = np.nan
        level[10:15] = None
    X = pd.DataFrame({DOLLARS: cost, BROKEN_MATH: pd.Categorical(level), "hours": rng.uniform(10, 60, n)})
    y = ((np.nan_to_num(cost, nan=50) - 50) / 10 + (level == "b") + rng.logistic(size=n) > 0).astype(int)
    return X, y, 1e5 * X["hours"].to_numpy()


def _fit(estimator):
    X, y, value = _frame(missing=not type(estimator).__name__.startswith("SparseLinear"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter of short test fits
        return clone(estimator).fit(X, y if is_classifier(estimator) else value), X


def _texts(figure):
    return [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def _draws_cleanly(make):
    """Run ``make(ax)``, draw the figure, and return the display; any warning fails."""
    figure, ax = plt.subplots()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        display = make(ax)
        figure.canvas.draw()
    assert display.ax_ is ax and display.figure_ is figure
    return display


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_every_display_draws_names_with_dollars_literally(estimator):
    model, X = _fit(estimator)
    glob, local = model.explain_global(), model.explain_local(X.iloc[:3])
    displays = [_draws_cleanly(lambda ax: LocalContributionDisplay.from_explanation(local, row=1, ax=ax, max_terms=None))]
    if isinstance(glob, ShapeFunctions):
        for index, term in enumerate(glob.terms):
            displays.append(_draws_cleanly(lambda ax: ShapeFunctionDisplay.from_explanation(glob, term=index, ax=ax)))
    for name in gp.__all__:
        display = getattr(gp, name)
        if name in ("LocalContributionDisplay", "ShapeFunctionDisplay") or not hasattr(display, "from_explanation"):
            continue
        try:
            displays.append(_draws_cleanly(lambda ax: display.from_explanation(glob, ax=ax)))
        except TypeError as error:  # a display for another kind says which one it needs
            assert "needs a" in str(error)
    for display in displays:
        texts = _texts(display.figure_)
        assert not [t for t in texts if re.search(r"(?<!\\)\$", t)]  # every dollar escaped: printed as is
        plt.close(display.figure_)
    ticks = [t.get_text() for t in displays[0].ax_.get_yticklabels()]
    shown = [name for name in local.term_names if np.any(local.contributions[1, local.term_names.index(name)] != 0)]
    assert any("\\$" in t for t in ticks) == any("$" in name for name in shown)


def _local(n_terms, scale=1.0, names=None):
    rng = np.random.default_rng(1)
    names = names or [f"feature_{i}_with_a_long_descriptive_name_for_the_regulator" for i in range(n_terms)]
    contributions = rng.normal(size=(1, n_terms)) * scale
    decision = np.array([5e4 + contributions.sum()])
    return LocalExplanation(
        model="M", term_names=names, base_value=np.array(5e4), contributions=contributions, feature_names=names,
        feature_values=np.ones((1, n_terms)), decision=decision, prediction=decision, link=Link("identity"),
    )


def _bar_ends(display):
    return [bar.get_x() + bar.get_width() for bar in display.bars_]


@pytest.mark.parametrize("max_terms", [None, 10])
def test_waterfall_of_sixty_terms_adds_up_and_stays_legible(max_terms):
    local = _local(60, scale=1000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        display = LocalContributionDisplay.from_explanation(local, max_terms=max_terms)
        display.figure_.canvas.draw()
    widths = [bar.get_width() for bar in display.bars_]
    assert display.bars_[-1].get_width() == pytest.approx(local.decision[0], rel=1e-12)
    assert sum(widths[:-1]) == pytest.approx(local.decision[0], rel=1e-12)  # base + every term (+ others)
    assert _bar_ends(display)[-2] == pytest.approx(local.decision[0], rel=1e-12)
    if max_terms == 10:
        assert display.bar_labels_[-2] == "50 other terms"
    labels = display.ax_.get_yticklabels()
    assert all(len(label.get_text()) <= 60 for label in labels)
    renderer = display.figure_.canvas.get_renderer()
    boxes = sorted((label.get_window_extent(renderer) for label in labels), key=lambda b: b.y0)
    assert all(low.y1 <= high.y0 + 0.5 for low, high in zip(boxes, boxes[1:]))  # no overlapping labels
    values = [t.get_text() for t in display.ax_.texts]
    assert "50000" in values and not any("e+0" in v for v in values)


def test_waterfall_keeps_the_given_axes_and_figure_size():
    figure, ax = plt.subplots(figsize=(4, 3))
    display = LocalContributionDisplay.from_explanation(_local(60), ax=ax, max_terms=None)
    assert display.ax_ is ax and tuple(figure.get_size_inches()) == (4, 3)


def test_waterfall_labels_keep_the_value_when_shortened():
    names = ["x" * 80 + "_end"]
    display = LocalContributionDisplay.from_explanation(_local(1, names=names))
    label = display.ax_.get_yticklabels()[1].get_text()
    assert len(label) <= 60 and label.endswith("_end = 1") and "\u2026" in label
    assert display.bar_labels_[1] == names[0] + " = 1"  # the full label stays on the display


def test_coefficient_bars_of_many_terms_get_a_tall_figure():
    from glassbox.explain import CoefficientTable, LinearTerm

    n = 40
    names = [f"x{i} {DOLLARS}" for i in range(n)]
    table = CoefficientTable(
        model="M", feature_names=names, link=Link("identity"), base_value=0.0,
        terms=[LinearTerm(name) for name in names], coefficients=np.arange(1.0, n + 1),
        standardized_coefficients=np.arange(1.0, n + 1), constraints=np.zeros(n),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        display = CoefficientDisplay.from_explanation(table, max_terms=None)
        display.figure_.canvas.draw()
    assert display.figure_.get_size_inches()[1] >= 0.3 * n
    assert all(label.get_text().count("\\$") == 2 for label in display.ax_.get_yticklabels())


def test_waterfall_axis_names_the_output_the_explanation_names():
    base = _local(3)
    named = LocalExplanation(**{f: getattr(base, f) for f in (
        "model", "term_names", "base_value", "contributions", "feature_names", "feature_values", "decision",
        "prediction", "link")}, output_name="P(yes)")
    display = LocalContributionDisplay.from_explanation(named)
    assert display.ax_.get_xlabel() == "P(yes)" and display.bar_labels_[-1] == "= P(yes)"
    assert LocalContributionDisplay.from_explanation(base).ax_.get_xlabel() == "prediction"


def test_a_categorical_shape_of_fifty_long_levels_gets_a_wide_figure_and_short_ticks():
    from glassbox.explain import FeatureBins, ShapeTerm

    levels = [f"level {i:02d} of a very long categorical description" for i in range(50)]
    bins = FeatureBins("kind", "categorical", categories=levels)
    term = ShapeTerm(bins=(bins,), scores=np.r_[np.linspace(-1, 1, 50), 0.3, 0.0])
    shapes = ShapeFunctions(model="M", feature_names=["kind"], link=Link("identity"), base_value=0.0, terms=(term,))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        display = ShapeFunctionDisplay.from_explanation(shapes, "kind", show_missing=True)
        display.figure_.canvas.draw()
    assert display.figure_.get_size_inches()[0] >= 0.25 * 50
    ticks = [t.get_text() for t in display.ax_.get_xticklabels()]
    assert len(ticks) == 50 and all(len(t) <= 30 for t in ticks) and ticks[7].startswith("level 07")
    np.testing.assert_array_equal([bar.get_height() for bar in display.bars_], term.scores[:50])
    assert display.missing_bar_[0].get_height() == 0.3  # the missing bin has its panel


def test_coefficient_bars_say_when_terms_are_left_out():
    from glassbox.explain import CoefficientTable, LinearTerm

    def table(coefficients):
        n = len(coefficients)
        return CoefficientTable(
            model="M", feature_names=[f"x{i}" for i in range(n)], link=Link("identity"), base_value=0.0,
            terms=[LinearTerm(f"x{i}") for i in range(n)], coefficients=coefficients,
            standardized_coefficients=coefficients, constraints=np.zeros(n),
        )

    display = CoefficientDisplay.from_explanation(table(np.r_[np.arange(1.0, 41.0), 0.0]), max_terms=30)
    assert len(display.bars_) == 30 and "largest 30 of 40 nonzero terms" in display.ax_.get_xlabel()
    display = CoefficientDisplay.from_explanation(table(np.arange(1.0, 6.0)))
    assert "nonzero terms" not in display.ax_.get_xlabel()
    display = CoefficientDisplay.from_explanation(table(np.zeros(3)))
    assert len(display.bars_) == 0 and "every coefficient is zero" in display.ax_.get_xlabel()


def test_a_waterfall_of_class_probabilities_picks_a_class_and_names_it():
    # A local surrogate of a three-class model's probabilities: a column per class on an
    # identity link.  It must plot like any multiclass explanation, not as a regressor's output.
    from sklearn.linear_model import LogisticRegression

    from glassbox.surrogate import LocalSurrogate

    X = pd.DataFrame(np.random.RandomState(1).normal(size=(300, 3)), columns=list("abc"))
    y = np.array(["low", "mid", "high"])[np.digitize(X["a"], [-0.5, 0.5])]
    model = LogisticRegression().fit(X, y)
    surrogate = LocalSurrogate(model, output="probability", n_samples=200, random_state=0).fit(X)
    explanation = surrogate.explain_local(X.iloc[:1])
    predicted = LocalContributionDisplay.from_explanation(explanation)
    assert predicted.ax_.get_xlabel() == f"P({explanation.prediction[0]})"
    chosen = LocalContributionDisplay.from_explanation(explanation, target_class="mid")
    mid = list(explanation.classes).index("mid")
    assert chosen.ax_.get_xlabel() == "P(mid)"
    assert np.allclose(chosen.contributions, explanation.contributions[0, :, mid])
    with pytest.raises(ValueError, match="one of"):
        LocalContributionDisplay.from_explanation(explanation, target_class="none of them")
    plt.close("all")
