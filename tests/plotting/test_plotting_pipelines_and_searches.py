"""Displays given a Pipeline or a search: those that draw one fitted model take what reason_codes takes,
the others refuse it naming what to pass."""

import numpy as np
import pytest

from glassbox.plotting import ShapeFunctionDisplay


@pytest.fixture(scope="module")
def scaled_rows():
    import pandas as pd

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(40, 10, 240), "income": rng.normal(50, 15, 240),
                      "hours": rng.normal(38, 8, 240)}, index=np.arange(100, 340))
    y = ((X["age"] - 40) / 10 + (X["income"] - 50) / 15 + rng.logistic(size=240) > 0).astype(int)
    return X, y


def _scaled_pipeline(model, X, y):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler().set_output(transform="pandas"), model).fit(X, y)


def _small_gam():
    from glassbox import GAMClassifier

    return GAMClassifier(outer_bags=1, interactions=0, max_rounds=100, random_state=0)


def test_waterfall_of_a_pipeline_is_its_last_steps_on_the_transformed_row(scaled_rows):
    from glassbox.plotting import LocalContributionDisplay

    X, y = scaled_rows
    pipe = _scaled_pipeline(_small_gam(), X, y)
    display = LocalContributionDisplay.from_estimator(pipe, X, row=3)
    direct = LocalContributionDisplay.from_estimator(pipe[-1], pipe[:-1].transform(X), row=3)
    np.testing.assert_array_equal(display.contributions, direct.contributions)
    assert display.decision == direct.decision and "row 103" in display.title  # the row keeps its label
    assert "after the pipeline's standardscaler" in display.ax_.get_xlabel()


def test_shape_of_a_pipeline_is_its_last_steps_with_the_density_of_the_transformed_rows(scaled_rows):
    X, y = scaled_rows
    pipe = _scaled_pipeline(_small_gam(), X, y)
    shown = ShapeFunctionDisplay.from_estimator(pipe, X.iloc[:50], term="age")
    direct = ShapeFunctionDisplay.from_estimator(pipe[-1], pipe[:-1].transform(X.iloc[:50]), term="age")
    np.testing.assert_array_equal(shown.scores, direct.scores)
    np.testing.assert_array_equal(shown.density, direct.density)
    assert shown.density.sum() == 50
    stored = ShapeFunctionDisplay.from_estimator(pipe, term="age")  # no rows: the training density
    np.testing.assert_array_equal(stored.density, ShapeFunctionDisplay.from_estimator(pipe[-1], term="age").density)


def test_a_fitted_search_is_plotted_through_its_best_estimator(scaled_rows):
    from sklearn.model_selection import GridSearchCV

    from glassbox.plotting import LocalContributionDisplay

    X, y = scaled_rows
    search = GridSearchCV(_small_gam(), {"max_leaves": [2, 3]}, cv=2).fit(X, y)
    shown = LocalContributionDisplay.from_estimator(search, X, row=0)
    np.testing.assert_array_equal(
        shown.contributions, LocalContributionDisplay.from_estimator(search.best_estimator_, X, row=0).contributions)
    unrefitted = GridSearchCV(_small_gam(), {"max_leaves": [2, 3]}, cv=2, refit=False).fit(X, y)
    with pytest.raises(ValueError, match="refit=False"):
        ShapeFunctionDisplay.from_estimator(unrefitted, term="age")


def test_coefficients_and_risk_curve_of_a_pipeline_are_its_last_steps(scaled_rows):
    from glassbox import RiskScoreClassifier, SparseLinearClassifier
    from glassbox.plotting import CoefficientDisplay, RiskCurveDisplay

    X, y = scaled_rows
    linear = _scaled_pipeline(SparseLinearClassifier(), X, y)
    np.testing.assert_array_equal(CoefficientDisplay.from_estimator(linear).coefficients,
                                  CoefficientDisplay.from_estimator(linear[-1]).coefficients)
    card = _scaled_pipeline(RiskScoreClassifier(max_features=2), X, y)
    shown, direct = RiskCurveDisplay.from_estimator(card), RiskCurveDisplay.from_estimator(card[-1])
    np.testing.assert_array_equal(shown.scores, direct.scores)
    np.testing.assert_array_equal(shown.predicted, direct.predicted)


def test_a_pipeline_without_a_glassbox_last_step_is_refused_with_what_is_accepted(scaled_rows):
    from sklearn.linear_model import LogisticRegression

    from glassbox.plotting import CoefficientDisplay, LocalContributionDisplay

    X, y = scaled_rows
    pipe = _scaled_pipeline(LogisticRegression(), X, y)
    with pytest.raises(TypeError, match="last step LogisticRegression has no explain_local"):
        LocalContributionDisplay.from_estimator(pipe, X, row=0)
    with pytest.raises(TypeError, match="a fitted Pipeline whose last step is one, or a fitted GridSearchCV"):
        CoefficientDisplay.from_estimator(pipe[-1])


@pytest.mark.parametrize("display_name", ["CoefficientDisplay", "LocalContributionDisplay", "ShapeFunctionDisplay"])
def test_an_unfitted_search_is_told_it_is_not_fitted(scaled_rows, display_name):
    from sklearn.exceptions import NotFittedError
    from sklearn.model_selection import GridSearchCV

    import glassbox.plotting
    from glassbox import SparseLinearClassifier

    X, _ = scaled_rows
    display = getattr(glassbox.plotting, display_name)
    search = GridSearchCV(SparseLinearClassifier(), {"alpha": [0.01, 0.1]}, cv=2)
    rows = (X,) if display_name == "LocalContributionDisplay" else ()
    with pytest.raises(NotFittedError, match=r"This GridSearchCV is not fitted: .*Call fit\(X, y\) on it first"):
        display.from_estimator(search, *rows)


@pytest.mark.parametrize("display_name", ["CoefficientIntervalDisplay", "RegularizationPathDisplay"])
def test_the_displays_that_refit_or_test_a_model_refuse_a_pipeline_or_search_naming_what_to_pass(scaled_rows,
                                                                                                 display_name):
    from sklearn.model_selection import GridSearchCV

    import glassbox.plotting
    from glassbox import SparseLinearClassifier

    X, y = scaled_rows
    display = getattr(glassbox.plotting, display_name)
    pipe = _scaled_pipeline(SparseLinearClassifier(alpha=0.0), X, y)  # unpenalized: Wald intervals exist
    told = r"got a Pipeline: .*from_estimator\(pipe\[-1\], pipe\[:-1\]\.transform\(X\), y\)"
    with pytest.raises(TypeError, match=told):
        display.from_estimator(pipe, X, y)
    search = GridSearchCV(SparseLinearClassifier(), {"alpha": [0.01, 0.1]}, cv=2).fit(X, y)
    with pytest.raises(TypeError, match=r"got a GridSearchCV: .*from_estimator\(search\.best_estimator_, X, y\)"):
        display.from_estimator(search, X, y)
    direct = display.from_estimator(pipe[-1], pipe[:-1].transform(X), y)  # what the message says works
    assert direct.ax_ is not None


def test_the_path_display_refuses_an_estimator_that_is_not_glassbox_sparse_linear(scaled_rows):
    from sklearn.linear_model import LogisticRegression

    from glassbox.plotting import RegularizationPathDisplay

    X, y = scaled_rows
    with pytest.raises(TypeError, match="needs a glassbox sparse linear model .*got LogisticRegression"):
        RegularizationPathDisplay.from_estimator(LogisticRegression(), X, y)


def test_an_explanation_given_as_the_model_is_pointed_to_from_explanation(scaled_rows):
    from glassbox import RiskScoreClassifier, SparseLinearClassifier, from_json
    from glassbox.plotting import CoefficientDisplay, LocalContributionDisplay, RiskCurveDisplay

    X, y = scaled_rows
    card = RiskScoreClassifier(max_features=2).fit(X, y)
    with pytest.raises(TypeError, match=r"got Scorecard\. That is an explanation .*not a model: "
                                        r"RiskCurveDisplay\.from_explanation\(\.\.\.\) draws it"):
        RiskCurveDisplay.from_estimator(from_json(card.to_json()))
    assert RiskCurveDisplay.from_explanation(from_json(card.to_json())).figure_ is not None
    linear = SparseLinearClassifier().fit(X, y)
    with pytest.raises(TypeError, match=r"CoefficientDisplay\.from_explanation"):
        CoefficientDisplay.from_estimator(linear.explain_global())
    with pytest.raises(TypeError, match=r"got LocalExplanation\. .*LocalContributionDisplay\.from_explanation"):
        LocalContributionDisplay.from_estimator(linear.explain_local(X[:1]), X)
    # another display's kind is sent to the display that draws it; a kind no display draws says so
    with pytest.raises(TypeError, match=r"got Scorecard\. .*not a model: RiskCurveDisplay\.from_explanation"):
        CoefficientDisplay.from_estimator(card.explain_global())
    from glassbox import DecisionSetClassifier

    rules = DecisionSetClassifier(random_state=0).fit(X, y).explain_global()
    with pytest.raises(TypeError, match=r"no display draws this kind; print it, or use its to_frame\(\)"):
        RiskCurveDisplay.from_estimator(rules)
    with pytest.raises(TypeError, match=r"needs a fitted glassbox estimator.*got object") as info:
        CoefficientDisplay.from_estimator(object())
    assert "an explanation" not in str(info.value)
