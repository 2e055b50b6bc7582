"""LocalContributionDisplay: a numeric term whose name printouts quote is labelled with the row's value too."""

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMRegressor, SparseLinearRegressor
from glassbox.plotting import LocalContributionDisplay


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"income >50K": rng.normal(size=200), "age": rng.normal(size=200)})
    y = 2.0 * X["income >50K"] + X["age"] + rng.normal(scale=0.1, size=200)
    return X, y


def test_linear_term_in_backticks_shows_the_rows_value(data):
    X, y = data
    model = SparseLinearRegressor(alpha=0.0).fit(X, y)
    explanation = model.explain_local(X.iloc[:3])
    assert "`income >50K`" in explanation.term_names  # the linear printout quotes the name
    display = LocalContributionDisplay.from_explanation(explanation, row=1)
    value = explanation.row(1).feature_values[0][0]
    labels = [label for label in display.bar_labels_ if "income" in label]
    assert labels == [f"`income >50K` = {value:.4g}"]
    assert [label for label in display.bar_labels_ if label.startswith("age")] == [f"age = {X['age'].iloc[1]:.4g}"]
    assert f"`income >50K` = {value:.4g}:" in display.alt_text_


def test_gam_term_keeps_its_plain_name_and_value(data):
    X, y = data
    model = GAMRegressor(interactions=0).fit(X, y)
    display = LocalContributionDisplay.from_estimator(model, X.iloc[:3], row=2)
    value = X["income >50K"].iloc[2]
    assert f"income >50K = {value:.4g}" in display.bar_labels_


def test_a_categorical_indicator_gets_no_value(data):
    X, y = data
    north = np.arange(200) % 2 == 1
    X = X.assign(**{"region <code>": pd.Categorical(np.where(north, "north", "south"))})
    model = SparseLinearRegressor(alpha=0.0).fit(X, y + 3.0 * north)
    explanation = model.explain_local(X.iloc[:3])
    display = LocalContributionDisplay.from_explanation(explanation, row=1, max_terms=None)  # a north row
    indicators = [name for name, c in zip(explanation.term_names, explanation.contributions[1])
                  if name.startswith("`region <code>` == ") and c != 0]
    assert indicators
    assert set(indicators) <= set(display.bar_labels_)  # the level is in the name: no "= north" after it
