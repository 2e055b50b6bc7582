"""Displays refuse an ``ax`` that is not one matplotlib Axes, and a ``max_terms`` that is not a positive count,
with a message that names the fix, before drawing anything."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from plotting_fixtures import binary_shapes, local_from

from glassbox import SparseLinearRegressor
from glassbox.plotting import (
    CoefficientDisplay,
    CoefficientIntervalDisplay,
    LocalContributionDisplay,
    ShapeFunctionDisplay,
)


@pytest.fixture(scope="module")
def linear_model():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    y = X @ np.array([3.0, -2.0, 1.0, 0.5]) + rng.normal(scale=0.1, size=200)
    return SparseLinearRegressor(alpha=0.0).fit(X, y), X, y


@pytest.mark.parametrize("max_terms", [0, -1, 2.5])
def test_coefficient_display_refuses_a_max_terms_that_is_not_a_positive_count(linear_model, max_terms):
    model, _, _ = linear_model
    plt.close("all")
    with pytest.raises(ValueError, match=r"max_terms must be a positive integer or None"):
        CoefficientDisplay.from_estimator(model, max_terms=max_terms)
    assert plt.get_fignums() == []  # refused before a figure was made


def test_waterfall_refuses_a_fractional_max_terms():
    with pytest.raises(ValueError, match=r"max_terms must be a positive integer or None, got 2.5"):
        LocalContributionDisplay.from_explanation(local_from(binary_shapes()), row=0, max_terms=2.5)


def test_interval_display_refuses_max_terms_zero(linear_model):
    model, X, y = linear_model
    with pytest.raises(ValueError, match=r"max_terms must be a positive integer or None, got 0"):
        CoefficientIntervalDisplay.from_estimator(model, X, y, max_terms=0)


def test_coefficient_display_max_terms_one_and_none_still_draw(linear_model):
    model, _, _ = linear_model
    assert len(CoefficientDisplay.from_estimator(model, max_terms=1).bars_) == 1
    assert len(CoefficientDisplay.from_estimator(model, max_terms=np.int64(2)).bars_) == 2
    assert len(CoefficientDisplay.from_estimator(model, max_terms=None).bars_) == 4
    plt.close("all")


def test_a_grid_of_axes_is_refused_with_the_fix():
    _, axes = plt.subplots(2, 2)
    with pytest.raises(TypeError, match=r"ax must be one matplotlib Axes.*axes\[0, 1\]"):
        LocalContributionDisplay.from_explanation(local_from(binary_shapes()), row=0, ax=axes)
    with pytest.raises(TypeError, match=r"ax must be one matplotlib Axes.*got str"):
        ShapeFunctionDisplay.from_explanation(binary_shapes(), term="age", ax="left")
    plt.close("all")


@pytest.mark.parametrize("max_segments", [0, -1, 2.5])
def test_fidelity_display_refuses_a_max_segments_that_is_not_a_positive_count(max_segments):
    from glassbox.surrogate import fidelity_report
    from glassbox.plotting import FidelityDisplay

    X = np.arange(400.0).reshape(-1, 2)
    report = fidelity_report(lambda X: X[:, 0] > 150, lambda X: X[:, 1] > 260, X, task="classification")
    assert len(report.segments) > 1  # -1 silently dropped the last of them
    with pytest.raises(ValueError, match=r"max_segments must be a positive integer or None"):
        FidelityDisplay.from_report(report).plot(max_segments=max_segments)
