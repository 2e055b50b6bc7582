"""ReasonCodesDisplay draws one row's exact shortfalls, its reasons first and highlighted."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier

from glassbox import all_estimators, reason_codes
from glassbox.plotting import ReasonCodesDisplay
from glassbox.plotting._palette import NEGATIVE_COLOR, NEUTRAL_COLOR, POSITIVE_COLOR
from glassbox.utils.checks import make_check_data

ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]


def _fitted(estimator):
    X, y = make_check_data(estimator, n_classes=2, n_samples=120)
    return clone(estimator).fit(X, y), X


def _adverse(model):
    return model.classes_[0] if is_classifier(model) else "higher"


def _color(bar):
    from matplotlib.colors import to_hex

    return to_hex(bar.get_facecolor())


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_bars_are_the_rows_shortfalls_with_the_reasons_first(estimator):
    model, X = _fitted(estimator)
    if type(model).__name__.startswith("Distilled") or not hasattr(model, "explain_local"):
        pytest.skip("explained through its student (tested in tests/explain/test_reasons.py)")
    codes = reason_codes(model, X.iloc[:8], reference=X, adverse=_adverse(model), n_reasons=3)
    row = int(np.argmax((codes.shortfall > 0).sum(axis=1)))
    display = ReasonCodesDisplay.from_reason_codes(codes, row=row, show="all", max_bars=100)
    widths = np.array([bar.get_width() for bar in display.bars_])
    np.testing.assert_array_equal(widths, np.sort(codes.shortfall[row])[::-1])
    reasons = [j for j in codes.ranked[row] if j >= 0]
    assert display.reason_bars_ == list(range(len(reasons)))  # the largest shortfalls are the reasons
    for k, bar in enumerate(display.bars_):
        expected = POSITIVE_COLOR if k < len(reasons) else (NEGATIVE_COLOR if widths[k] < 0 else NEUTRAL_COLOR)
        assert _color(bar) == expected
    if not codes.one_hot:  # the shortfalls of all terms add up to the gap the title states
        gap = codes.sign * (codes.reference_decision - codes.decision[row])
        assert widths.sum() == pytest.approx(gap, rel=1e-9, abs=1e-9)


@pytest.fixture
def credit():
    import glassbox

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"debt_ratio": rng.uniform(0, 1, 400), "years_employed": rng.integers(0, 30, 400),
                      "grade": pd.Categorical(rng.choice(list("ABCD"), 400)), "noise": rng.normal(size=400)})
    logit = 3 * X.debt_ratio - 0.1 * X.years_employed + (X.grade == "D") - 0.5
    y = np.where(rng.random(400) < 1 / (1 + np.exp(-logit)), "bad", "good")
    model = glassbox.GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, y)
    return model, X


def test_adverse_view_keeps_the_reasons_when_bars_are_capped(credit):
    model, X = credit
    display = ReasonCodesDisplay.from_estimator(model, X.iloc[:5], reference=X, adverse="bad", row=1,
                                                n_reasons=2, max_bars=2)
    codes = reason_codes(model, X.iloc[:5], reference=X, adverse="bad", n_reasons=2)
    reasons = [j for j in codes.ranked[1] if j >= 0]
    assert len(display.bars_) == len(reasons) == 2
    assert [label.split(". ", 1)[1].split(" = ")[0] for label in display.bar_labels_] == [codes.names[j] for j in reasons]
    assert all(bar.get_width() > 0 for bar in display.bars_)
    assert "short of the best reference profile" in display.ax_.get_title()
    assert display.ax_.get_xlabel() == "shortfall toward bad (log-odds)"
    # the applicant's value is printed beside the factor, as the letter's text gives it
    assert display.bar_labels_[0].startswith("1. ") and " = " in display.bar_labels_[0]


def test_the_labels_are_inside_the_figure_saved_as_created(credit, tmp_path):
    model, X = credit
    display = ReasonCodesDisplay.from_estimator(model, X.iloc[:3], reference=X, adverse="bad", show="all")
    display.figure_.savefig(tmp_path / "reasons.png")
    renderer = display.figure_.canvas.get_renderer()
    labels = [t for t in display.ax_.get_yticklabels() if t.get_text()]
    assert labels and all(t.get_window_extent(renderer).x0 >= 0 for t in labels)
    title = display.ax_.title.get_window_extent(renderer)
    assert 0 <= title.x0 and title.x1 <= display.figure_.bbox.width


def test_bad_arguments_are_refused_with_the_reason(credit):
    model, X = credit
    codes = reason_codes(model, X.iloc[:3], reference=X, adverse="bad")
    with pytest.raises(IndexError, match="3 rows"):
        ReasonCodesDisplay.from_reason_codes(codes, row=3)
    with pytest.raises(ValueError, match="show must be"):
        ReasonCodesDisplay.from_reason_codes(codes, show="some")
    with pytest.raises(ValueError, match="max_bars"):
        ReasonCodesDisplay.from_reason_codes(codes, max_bars=0)
    with pytest.raises(TypeError, match="ReasonCodes"):
        ReasonCodesDisplay.from_reason_codes(model.explain_local(X.iloc[:3]))
    with pytest.raises(ValueError, match="one value per name"):
        ReasonCodesDisplay(names=["a", "b"], shortfall=[1.0], reasons=[0])


def test_a_row_without_adverse_factor_says_so():
    display = ReasonCodesDisplay(names=["a", "b"], shortfall=[-0.5, 0.0], reasons=[-1, -1]).plot()
    assert len(display.bars_) == 0 and display.reason_bars_ == []
    assert any(t.get_text() == "no adverse factor" for t in display.ax_.texts)


def test_title_and_labels_stay_inside_the_saved_figure():
    # long pair labels push the axes into the right half; the centred title and x label ran off the
    # right edge ("16.12 log-odds short of the best refer", "shortfall toward low (log-odds")
    import matplotlib.pyplot as plt

    names = [f"total_sulfur_dioxide x sulphates {k}" for k in range(6)] + ["alcohol"]
    values = ["total_sulfur_dioxide = 34, sulphates = 0.56"] * 6 + ["9.4"]
    display = ReasonCodesDisplay(names=names, shortfall=np.linspace(2.0, 0.5, 7), reasons=[0, 1, 2, 3],
                                 values=values, units="log-odds", adverse="low", row_label=0, gap=16.12,
                                 compared="best").plot()
    figure = display.figure_
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    texts = [display.ax_.title, display.ax_.xaxis.label, *display.ax_.get_yticklabels()]
    assert "16.12 log-odds short of the best reference profile" in display.ax_.get_title()
    for text in texts:
        extent = text.get_window_extent(renderer)
        assert extent.x0 >= 0 and extent.x1 <= figure.bbox.width, text.get_text()
    plt.close("all")


def test_a_figure_passed_in_is_not_resized():
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(4.0, 3.0))
    ReasonCodesDisplay(names=["a very long candidate name " * 3], shortfall=[1.0], reasons=[0], gap=1.0,
                       units="log-odds").plot(ax=ax)
    assert tuple(figure.get_size_inches()) == (4.0, 3.0)
    plt.close("all")


def test_conditions_on_one_long_feature_keep_their_thresholds_apart_on_the_plot():
    from glassbox import RiskScoreClassifier

    rng = np.random.default_rng(1)
    name = "applicant age in years at the date of the application as recorded"
    X = pd.DataFrame({name: rng.normal(40, 10, 600), "debt": rng.random(600)})
    y = np.where(rng.random(600) < 1 / (1 + np.exp(-(X[name] - 40) / 5 - X.debt)), "bad", "good")
    model = RiskScoreClassifier().fit(X, y)
    codes = reason_codes(model, X, reference=X, adverse="bad", n_reasons=4)
    row = int(np.argmax((codes.shortfall > 0).sum(axis=1)))
    display = ReasonCodesDisplay.from_reason_codes(codes, row=row, show="all")
    drawn = [t.get_text() for t in display.ax_.get_yticklabels()]
    on_age = [label for label in drawn if "applicant" in label]
    assert len(on_age) >= 2 and len(set(on_age)) == len(on_age)  # each condition's threshold still shows
    assert all(any(sign in label for sign in "<>") for label in on_age)
    assert all(len(label) <= 60 for label in drawn)
    assert all(name in label for label in display.bar_labels_ if "applicant" in label)  # kept whole ...
    assert name in display.alt_text_ and "\u2026" not in display.alt_text_  # ... and read out whole


def test_a_row_without_adverse_factor_says_so_on_the_plot_and_in_its_text():
    display = ReasonCodesDisplay(names=["age", "income"], shortfall=[0.0, -0.2], reasons=[], units="log-odds",
                                 adverse="bad").plot()
    assert display.empty_note_.get_text() == "no adverse factor"
    assert display.alt_text_ == "Reasons. No bars (shortfall toward bad (log-odds)): no adverse factor."
    assert ReasonCodesDisplay(names=["age"], shortfall=[0.3], reasons=[0]).plot().empty_note_ is None
