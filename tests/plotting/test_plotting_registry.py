"""The displays work on every registered glassbox estimator, drawing its exact numbers."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.base import clone, is_classifier

from glassbox import all_estimators
from glassbox.explain import ShapeFunctions
from glassbox.plotting import LocalContributionDisplay, ShapeFunctionDisplay
from glassbox.utils.checks import make_check_data

ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]


def _fit(estimator, n_classes=2):
    X, y = make_check_data(estimator, n_classes=n_classes, n_samples=120)
    return clone(estimator).fit(X, y), X


def _multiclass(estimator):
    tags = estimator.__sklearn_tags__()
    return is_classifier(estimator) and tags.classifier_tags is not None and tags.classifier_tags.multi_class


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_waterfall_of_every_estimator_ends_at_its_decision(estimator):
    model, X = _fit(estimator)
    decision = model.decision_function(X) if is_classifier(model) else model.predict(X)
    display = LocalContributionDisplay.from_estimator(model, X, row=5, max_terms=None)
    assert display.bars_[-1].get_width() == pytest.approx(decision[5], rel=1e-12, abs=1e-12)
    assert display.bars_[0].get_width() == pytest.approx(float(model.explain_local(X.iloc[[5]]).base_value))
    assert "not explained" not in " ".join(display.bar_labels_)  # exact models leave no gap
    if _multiclass(estimator):
        model, X = _fit(estimator, n_classes=3)
        predicted = model.predict(X.iloc[[0]])[0]
        k = list(model.classes_).index(predicted)
        display = LocalContributionDisplay.from_estimator(model, X, row=0)
        # the class's score relative to the mean of the classes (softmax ignores an amount added to every class)
        decision = model.decision_function(X)[0]
        assert display.bars_[-1].get_width() == pytest.approx(decision[k] - decision.mean(), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_shape_display_of_every_additive_estimator(estimator):
    model, X = _fit(estimator)
    explanation = model.explain_global()
    if not isinstance(explanation, ShapeFunctions):
        with pytest.raises(TypeError, match="not shape functions"):
            ShapeFunctionDisplay.from_estimator(model, term=0)
        return
    for index, term in enumerate(explanation.terms):
        display = ShapeFunctionDisplay.from_estimator(model, X, term=index)
        bins = term.bins[0]
        if len(term.bins) == 2:
            assert display.mesh_ is not None
        elif bins.kind == "numeric":
            np.testing.assert_array_equal(display.line_.get_data()[0], term.scores[: bins.n_value_bins])
        else:
            heights = [bar.get_height() for bar in display.bars_]
            np.testing.assert_array_equal(heights, term.scores[: bins.n_value_bins])
        plt.close("all")
