"""LocalContributionDisplay: the waterfall draws exactly the explanation's numbers."""

import matplotlib.pyplot as plt
from matplotlib.colors import same_color
import numpy as np
import pandas as pd
import pytest
from plotting_fixtures import (
    ROWS,
    FixedShapesClassifier,
    FixedShapesRegressor,
    binary_shapes,
    local_from,
    multiclass_shapes,
    regression_shapes,
)

from glassbox.plotting import LocalContributionDisplay


def widths(display):
    return np.array([bar.get_width() for bar in display.bars_])


def lefts(display):
    return np.array([bar.get_x() for bar in display.bars_])


def test_waterfall_bars_are_base_sorted_terms_and_decision():
    explanation = local_from(binary_shapes())
    display = LocalContributionDisplay.from_explanation(explanation, row=0, max_terms=None)
    c = explanation.contributions[0]
    order = np.argsort(-np.abs(c), kind="stable")
    assert len(display.bars_) == len(c) + 2
    assert widths(display)[0] == explanation.base_value
    np.testing.assert_array_equal(widths(display)[1:-1], c[order])
    assert widths(display)[-1] == pytest.approx(explanation.decision[0], rel=1e-12)
    assert lefts(display)[-1] == 0.0
    # Each term bar starts where the previous bar ended: a true waterfall.
    ends = lefts(display)[:-2] + widths(display)[:-2]
    np.testing.assert_allclose(lefts(display)[1:-1], ends, rtol=1e-12)
    assert display.bar_labels_[0] == "base value"
    assert display.bar_labels_[-1] == "= log-odds of yes"
    assert display.ax_.get_xlabel() == "log-odds of yes"
    assert [t.get_text() for t in display.ax_.get_yticklabels()] == display.bar_labels_


def test_labels_show_the_rows_feature_values():
    display = LocalContributionDisplay.from_explanation(local_from(binary_shapes()), row=0, max_terms=None)
    assert "age = 30" in display.bar_labels_
    assert "color = red" in display.bar_labels_
    assert "age x color" in display.bar_labels_  # pair terms are named, not valued
    missing_age = LocalContributionDisplay.from_explanation(local_from(binary_shapes()), row=1, max_terms=None)
    assert "age = missing" in missing_age.bar_labels_


def test_smallest_terms_fold_into_one_bar_with_their_sum():
    explanation = local_from(binary_shapes())
    c = explanation.contributions[2]
    order = np.argsort(-np.abs(c), kind="stable")
    display = LocalContributionDisplay.from_explanation(explanation, row=2, max_terms=1)
    assert display.bar_labels_[2] == "2 other terms"
    assert widths(display)[1] == c[order[0]]
    assert widths(display)[2] == pytest.approx(c[order[1:]].sum(), rel=1e-12)
    assert widths(display)[-1] == pytest.approx(explanation.decision[2], rel=1e-12)
    # Folding a single term would only hide it: it is shown instead.
    unfolded = LocalContributionDisplay.from_explanation(explanation, row=2, max_terms=2)
    assert len(unfolded.bars_) == 5 and not any("other" in label for label in unfolded.bar_labels_)


def test_zero_contributions_are_left_out():
    display = LocalContributionDisplay(
        term_names=["rule 1", "rule 2", "rule 3"], contributions=[0.0, 1.5, 0.0], base_value=0.0, decision=1.5
    ).plot()
    assert display.bar_labels_ == ["base value", "rule 2", "= decision function"]


def test_colours_follow_the_sign():
    display = LocalContributionDisplay(
        term_names=["up", "down"], contributions=[1.0, -2.0], base_value=0.0, decision=-1.0
    ).plot(positive_color="green", negative_color="purple")
    bars = dict(zip(display.bar_labels_, display.bars_))
    up, down = bars["up"], bars["down"]
    assert display.bar_labels_.index("down") < display.bar_labels_.index("up")  # larger |contribution| first
    assert same_color(up.get_facecolor(), "green")
    assert same_color(down.get_facecolor(), "purple")


def test_gap_of_an_approximation_gets_its_own_bar():
    display = LocalContributionDisplay(
        term_names=["a", "b"], contributions=[1.0, 0.5], base_value=0.0, decision=2.0
    ).plot()
    assert display.bar_labels_[-2] == "not explained (approximation)"
    assert widths(display)[-2] == pytest.approx(0.5)
    assert widths(display)[-1] == 2.0


def test_binary_other_class_flips_every_sign():
    explanation = local_from(binary_shapes())
    positive = LocalContributionDisplay.from_explanation(explanation, row=0, max_terms=None)
    negative = LocalContributionDisplay.from_explanation(explanation, row=0, target_class="no", max_terms=None)
    np.testing.assert_array_equal(widths(negative), -widths(positive))
    assert negative.ax_.get_xlabel() == "log-odds of no"
    p_no = explanation.probabilities[0, 0]
    assert f"P(no) = {p_no:.3f}" in negative.ax_.get_title()


def test_multiclass_defaults_to_predicted_class_and_accepts_any_class():
    explanation = local_from(multiclass_shapes())
    for row in range(len(explanation)):
        predicted = explanation.prediction[row]
        display = LocalContributionDisplay.from_explanation(explanation, row=row, max_terms=None)
        k = list(explanation.classes).index(predicted)
        assert widths(display)[-1] == pytest.approx(explanation.decision[row, k], rel=1e-12)
        assert widths(display)[0] == explanation.base_value[k]
    other = LocalContributionDisplay.from_explanation(explanation, row=0, target_class=0, max_terms=None)
    c = explanation.contributions[0, :, 0]
    np.testing.assert_array_equal(np.sort(widths(other)[1:-1]), np.sort(c[c != 0]))
    assert other.ax_.get_xlabel() == "decision score of class 0"


def test_regression_prediction_scale():
    explanation = local_from(regression_shapes())
    display = LocalContributionDisplay.from_explanation(explanation, row=3)
    assert widths(display)[-1] == pytest.approx(explanation.decision[3], rel=1e-12)
    assert display.ax_.get_xlabel() == "prediction"
    with pytest.raises(ValueError, match="only applies to classifiers"):
        LocalContributionDisplay.from_explanation(explanation, target_class=1)


def test_from_estimator_explains_the_requested_row_and_draws_on_given_axes():
    model = FixedShapesClassifier(binary_shapes()).fit()
    fig, ax = plt.subplots()
    display = LocalContributionDisplay.from_estimator(model, ROWS, row=-2, ax=ax, max_terms=None)
    assert display.ax_ is ax and display.figure_ is fig
    assert widths(display)[-1] == pytest.approx(model.decision_function(ROWS)[2], rel=1e-12)
    assert "row 2" in display.ax_.get_title()
    regressor = FixedShapesRegressor(regression_shapes()).fit()
    display = LocalContributionDisplay.from_estimator(regressor, ROWS, row=1)
    assert widths(display)[-1] == pytest.approx(regressor.predict(ROWS)[1], rel=1e-12)


@pytest.mark.parametrize("kind", ["polars", "sparse", "list", "array"])
def test_from_estimator_takes_every_input_the_estimators_take(kind):
    # A polars frame once reached the model as a list holding a one-row frame ("dim 3").
    import scipy.sparse as sp

    from glassbox import SparseLinearRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    model = SparseLinearRegressor(alpha=0.0).fit(X, X @ [1.0, -2.0, 0.5] + 3.0)
    if kind == "polars":
        pl = pytest.importorskip("polars")
        rows = pl.DataFrame({f"x{j}": X[:, j] for j in range(3)})
        model.fit(rows, X @ [1.0, -2.0, 0.5] + 3.0)
    else:
        rows = {"sparse": sp.csr_matrix(X), "list": X.tolist(), "array": X}[kind]
    display = LocalContributionDisplay.from_estimator(model, rows, row=7, max_terms=None)
    assert widths(display)[-1] == pytest.approx(model.predict(X[7:8] if kind != "polars" else rows[7:8])[0])
    assert widths(display)[-1] != pytest.approx(model.predict(X[6:7] if kind != "polars" else rows[6:7])[0])


def test_clear_errors():
    explanation = local_from(binary_shapes())
    with pytest.raises(ValueError, match="out of range"):
        LocalContributionDisplay.from_explanation(explanation, row=4)
    with pytest.raises(ValueError, match="not one of the model's classes"):
        LocalContributionDisplay.from_explanation(explanation, target_class="maybe")
    with pytest.raises(TypeError, match="explain_local"):
        LocalContributionDisplay.from_explanation(binary_shapes())
    with pytest.raises(ValueError, match="max_terms"):
        LocalContributionDisplay.from_explanation(explanation, max_terms=0)
    model = FixedShapesClassifier(binary_shapes()).fit()
    with pytest.raises(ValueError, match="pass X"):
        LocalContributionDisplay.from_estimator(model)
    with pytest.raises(TypeError, match="glassbox estimator"):
        LocalContributionDisplay.from_estimator(object(), ROWS)
    with pytest.raises(ValueError, match="one value per term"):
        LocalContributionDisplay(term_names=["a"], contributions=[1.0, 2.0], base_value=0, decision=3).plot()


def test_matplotlib_keywords_reach_the_bars():
    display = LocalContributionDisplay(
        term_names=["a"], contributions=[1.0], base_value=0.0, decision=1.0
    ).plot(height=0.3, edgecolor="black")
    assert all(bar.get_height() == pytest.approx(0.3) for bar in display.bars_)
    assert same_color(display.bars_[1].get_edgecolor(), "black")


@pytest.mark.parametrize("missing", [np.float32("nan"), pd.NA, None, float("nan")])
def test_missing_values_of_any_kind_read_as_missing_in_labels(missing):
    import dataclasses

    explanation = local_from(binary_shapes())
    values = np.array(explanation.feature_values, dtype=object)
    values[0, list(explanation.feature_names).index("age")] = missing
    explanation = dataclasses.replace(explanation, feature_values=values)
    display = LocalContributionDisplay.from_explanation(explanation, row=0, max_terms=None)
    assert "age = missing" in display.bar_labels_
    assert "age=missing" in str(explanation.row(0))  # the text and the plot say the same


@pytest.mark.parametrize("name, expected", [("P({class})", "P(mid)"), ("P(class)", "P(mid)"), ("share", "share [mid]")])
def test_output_name_placeholder_names_the_chosen_class(name, expected):
    from glassbox.explain import LocalExplanation, Link

    contributions = np.array([[[0.1, 0.2, -0.3], [0.05, -0.05, 0.0]]])
    base = np.array([0.3, 0.4, 0.3])
    explanation = LocalExplanation(
        model="m", term_names=["a", "b"], base_value=base, contributions=contributions, feature_names=["a", "b"],
        feature_values=[[1.0, 2.0]], decision=base + contributions.sum(axis=1), prediction=["mid"],
        link=Link("identity"), classes=np.array(["low", "mid", "high"]), approximate=True, output_name=name,
    )
    display = LocalContributionDisplay.from_explanation(explanation, row=0, target_class="mid")
    assert display.ax_.get_xlabel() == expected
    assert explanation._output_name(1) == expected
    assert "{class}" not in str(explanation)


def test_target_class_on_a_single_probability_output_names_that_output():
    from glassbox.explain import LocalExplanation, Link

    explanation = LocalExplanation(
        model="m", term_names=["a"], base_value=0.5, contributions=[[0.2]], feature_names=["a"],
        feature_values=[[1.0]], decision=[0.7], prediction=["yes"], link=Link("identity"),
        classes=np.array(["no", "yes"]), approximate=True, output_name="P(yes)",
    )
    with pytest.raises(ValueError, match=r"one output \(P\(yes\)\)") as error:
        LocalContributionDisplay.from_explanation(explanation, row=0, target_class="yes")
    assert "regressor" not in str(error.value)


def test_plotting_one_row_of_a_deferred_table_reads_only_that_row(monkeypatch):
    # explain_local defers building one Python object per cell on big inputs; drawing
    # one row's waterfall must not build every row's objects to label that row
    from glassbox.linear import SparseLinearClassifier
    from glassbox.utils import tabular

    monkeypatch.setattr(tabular, "LAZY_ROWS_MIN_CELLS", 1)
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "c"])
    explanation = SparseLinearClassifier().fit(X, (X.a > 0).astype(int)).explain_local(X)
    assert "_lazy_values" in vars(explanation)
    display = LocalContributionDisplay.from_explanation(explanation, row=5)
    assert "_lazy_values" in vars(explanation)
    labels = [t.get_text() for t in display.ax_.get_yticklabels()]
    assert any(f"{X.a[5]:.3g}"[:4] in label for label in labels), labels


def test_a_new_figure_keeps_long_term_labels_inside_when_saved_as_created(tmp_path):
    # a figure the display makes lays itself out: savefig without bbox_inches="tight" shows every label
    import glassbox

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a_rather_long_feature_name": rng.normal(size=300), "smoker": rng.random(300) < 0.3})
    y = X["a_rather_long_feature_name"] + X["smoker"] + rng.normal(size=300)
    model = glassbox.SparseLinearRegressor(alpha=0.01).fit(X, y)
    display = LocalContributionDisplay.from_estimator(model, X.iloc[[0]])
    figure = display.figure_
    figure.savefig(tmp_path / "waterfall.png")
    renderer = figure.canvas.get_renderer()
    labels = [t for t in display.ax_.get_yticklabels() if t.get_text()]
    assert labels
    assert all(t.get_window_extent(renderer).x0 >= 0 for t in labels), [t.get_text() for t in labels]
    plt.close(figure)


def test_card_about_the_first_class_draws_its_own_points_toward_the_event():
    """pos_label=classes_[0]: the waterfall reads as the card, like the recoded target's."""
    from sklearn.datasets import load_breast_cancer

    from glassbox import RiskScoreClassifier

    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X, y = X.iloc[:, :8], y.map({0: "malignant", 1: "benign"})
    card = RiskScoreClassifier(max_features=3, pos_label="benign").fit(X, y)
    recoded = RiskScoreClassifier(max_features=3).fit(X, y == "benign")
    assert (card.points_ < 0).any() and (card.points_ > 0).any()  # protective and risk-raising points both drawn
    rows = [int(np.argmax(card.predict_proba(X)[:, 0])), int(np.argmin(card.predict_proba(X)[:, 0]))]
    for row in rows:
        ours = LocalContributionDisplay.from_estimator(card, X, row=row)
        theirs = LocalContributionDisplay.from_estimator(recoded, X, row=row)
        np.testing.assert_array_equal(widths(ours), widths(theirs))
        assert widths(ours)[0] == card.intercept_  # the base value is the card's intercept
        assert [bar.get_facecolor() for bar in ours.bars_] == [bar.get_facecolor() for bar in theirs.bars_]
        assert ours.ax_.get_xlabel() == ("points toward benign\n(decision_function = -(SCORE + intercept): "
                                         "scikit-learn's orientation, positive for malignant)")
        assert f"P(benign) = {card.predict_proba(X.iloc[[row]])[0, 0]:.3f}" in ours.ax_.get_title()
        # the explanation's numbers are unchanged: they add up to decision_function, the card's total negated
        local = card.explain_local(X.iloc[[row]])
        assert local.base_value + local.contributions.sum() == card.decision_function(X.iloc[[row]])[0]
        # the explanation alone (as written to JSON and read back) says which class its card is about
        again = LocalContributionDisplay.from_explanation(type(local).from_json(local.to_json()))
        np.testing.assert_array_equal(widths(again), widths(ours))


def test_relativity_waterfall_multiplies_the_base_rate_out_to_the_prediction_on_a_log_axis():
    from glassbox import GAMRegressor

    rng = np.random.RandomState(0)
    X = pd.DataFrame({"age": rng.uniform(18, 80, 400), "zone": rng.choice(["A", "B"], 400)})
    y = rng.poisson(np.exp(-1 + 0.02 * (X["age"] - 50) + 0.5 * (X["zone"] == "A")))
    model = GAMRegressor(loss="poisson", interactions=0, random_state=0).fit(X, y)
    explanation = model.explain_local(X.iloc[[5]])
    display = LocalContributionDisplay.from_explanation(explanation, relativity=True)
    assert display.ax_.get_xscale() == "log"
    base_rate, prediction = float(np.exp(explanation.base_value)), float(model.predict(X.iloc[[5]])[0])
    assert (lefts(display)[0], widths(display)[0]) == pytest.approx((1.0, base_rate - 1.0), rel=1e-12)
    ends = lefts(display) + widths(display)
    # each term's bar starts where the running product stands and ends at that times its relativity
    factors = ends[1:-1] / lefts(display)[1:-1]
    c = explanation.contributions[0]
    np.testing.assert_allclose(np.sort(factors), np.sort(np.exp(c[c != 0])), rtol=1e-12)
    assert ends[-2] == pytest.approx(prediction, rel=1e-12) and ends[-1] == pytest.approx(prediction, rel=1e-12)
    labels = [text.get_text() for text in display.ax_.texts]
    assert labels[0] == f"{base_rate:.4g}" and labels[-1] == f"{prediction:.4g}"
    assert all(label.startswith("x") for label in labels[1:-1])
    assert "base rate" in display.ax_.get_title() and display.bar_labels_[-1] == "= predicted mean"
    plain = LocalContributionDisplay.from_estimator(model, X, row=5)
    assert plain.ax_.get_xscale() == "linear"
    np.testing.assert_allclose(np.log(ends[:-1]), (lefts(plain) + widths(plain))[:-1], rtol=1e-9, atol=1e-12)


def test_relativity_needs_a_log_link():
    explanation = local_from(regression_shapes())
    with pytest.raises(ValueError, match=r"relativity=True .* log-link .* link is 'identity'"):
        LocalContributionDisplay.from_explanation(explanation, relativity=True)


def test_a_relativity_waterfall_whose_product_overflows_says_to_use_the_log_scale():
    import pandas as pd

    from glassbox import SparseLinearRegressor

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    model = SparseLinearRegressor(loss="poisson", alpha=0).fit(X, rng.poisson(np.exp(0.5 * X["a"])))
    far = pd.DataFrame({"a": [5000.0], "b": [0.0]})  # far outside the training range: exp(~2500)
    with np.errstate(over="ignore"), pytest.raises(ValueError, match="relativity=False"):
        LocalContributionDisplay.from_estimator(model, far, relativity=True)
    LocalContributionDisplay.from_estimator(model, far)  # the log scale draws it


@pytest.mark.parametrize("relativity", [False, True])
def test_long_value_labels_stay_inside_the_axes_clear_of_the_term_names(relativity):
    from glassbox.explain import Link, LocalExplanation

    contributions = np.array([[-1122497524.0]]) if not relativity else np.array([[-7.3]])
    base = 38948149.0 if not relativity else 0.123456789
    link = Link("log" if relativity else "identity")
    decision = base + contributions.sum(axis=1)
    explanation = LocalExplanation(model="M", feature_names=("only",), term_names=("only",), link=link,
                                   base_value=base, contributions=contributions,
                                   feature_values=np.array([[-1.105]]), decision=decision,
                                   prediction=link.inverse(decision) if relativity else decision)
    display = LocalContributionDisplay.from_explanation(explanation, relativity=relativity)
    display.figure_.canvas.draw()
    renderer = display.figure_.canvas.get_renderer()
    axes = display.ax_.get_window_extent(renderer)
    for text in display.ax_.texts:
        box = text.get_window_extent(renderer)
        assert axes.x0 <= box.x0 and box.x1 <= axes.x1, text.get_text()
