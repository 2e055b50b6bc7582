"""Explanation objects built by hand for the plotting tests, and a tiny additive
glassbox estimator that serves a fixed ShapeFunctions through the real mixin."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from glassbox.base import GlassBoxClassifierMixin, GlassBoxRegressorMixin
from glassbox.explain import FeatureBins, Link, LocalExplanation, ShapeFunctions, ShapeTerm
from glassbox.explain._columns import RawColumns

AGE = FeatureBins("age", "numeric", thresholds=[25.0, 35.0, 45.0, 60.0])  # 5 value bins + missing
COLOR = FeatureBins("color", "categorical", categories=["blue", "green", "red"])  # 3 levels + missing + unseen
FEATURES = ("age", "color")

AGE_SCORES = np.array([-1.0, -0.5, 0.2, 0.6, 0.9, 0.3])
COLOR_SCORES = np.array([0.3, -0.2, 0.1, -0.4, 0.0])
PAIR_SCORES = np.arange(30.0).reshape(6, 5) / 10 - 1.0

ROWS = np.array([[30.0, "red"], [np.nan, "blue"], [70.0, "green"], [20.0, None]], dtype=object)


def age_term(**extra):
    defaults = dict(
        bins=(AGE,),
        scores=AGE_SCORES,
        lower=AGE_SCORES - 0.2,
        upper=AGE_SCORES + 0.3,
        density=np.array([10.0, 20.0, 30.0, 20.0, 10.0, 10.0]),
        importance=0.6,
        constraints=(1,),
    )
    defaults.update(extra)
    return ShapeTerm(**defaults)


def color_term(**extra):
    defaults = dict(bins=(COLOR,), scores=COLOR_SCORES, density=np.array([5.0, 5.0, 8.0, 2.0, 0.0]), importance=0.3)
    defaults.update(extra)
    return ShapeTerm(**defaults)


def pair_term():
    return ShapeTerm(bins=(AGE, COLOR), scores=PAIR_SCORES, importance=0.1)


def binary_shapes():
    return ShapeFunctions(
        model="ToyGAM",
        feature_names=FEATURES,
        link=Link("logit"),
        classes=np.array(["no", "yes"], dtype=object),
        base_value=0.25,
        terms=(age_term(), color_term(), pair_term()),
    )


def regression_shapes():
    return ShapeFunctions(
        model="ToyGAM", feature_names=FEATURES, link=Link("identity"), base_value=10.0, terms=(age_term(), color_term())
    )


def multiclass_shapes():
    """Three classes: class k's scores are the binary scores times (k - 1)."""
    factors = np.array([-1.0, 0.0, 1.0])
    age = age_term(
        scores=AGE_SCORES[:, None] * factors,
        lower=(AGE_SCORES - 0.2)[:, None] * factors,
        upper=(AGE_SCORES + 0.3)[:, None] * factors,
        constraints=(0,),
    )
    color = color_term(scores=COLOR_SCORES[:, None] * factors)
    return ShapeFunctions(
        model="ToyGAM",
        feature_names=FEATURES,
        link=Link("softmax"),
        classes=np.array([0, 1, 2]),
        base_value=np.array([0.1, 0.0, -0.1]),
        terms=(age, color),
    )


def local_from(shapes, X=ROWS):
    """The local explanation a glassbox model with these shapes would give."""
    decision = shapes.decision_function(X)
    return LocalExplanation(
        model=shapes.model,
        term_names=shapes.term_names,
        base_value=shapes.base_value,
        contributions=shapes.term_contributions(X),
        feature_names=shapes.feature_names,
        feature_values=X,
        decision=decision,
        prediction=shapes.predict(X),
        link=shapes.link,
        classes=shapes.classes,
    )


class _FixedShapes:
    """Fit just stores the given explanation; everything else is the real contract."""

    def __init__(self, shapes=None):
        self.shapes = shapes

    def fit(self, X=None, y=None, sample_weight=None):
        self.shapes_ = self.shapes
        self.term_names_ = list(self.shapes.term_names)
        self.feature_names_in_ = np.array(self.shapes.feature_names, dtype=object)
        self.n_features_in_ = len(self.shapes.feature_names)
        if self.shapes.classes is not None:
            self.classes_ = np.asarray(self.shapes.classes)
        return self

    def _prepare(self, X):
        columns = RawColumns(X, self.shapes_.feature_names)
        rows = np.column_stack([columns.column(f) for f in self.shapes_.feature_names]).astype(object)
        return X, rows

    def _term_contributions(self, X):
        return self.shapes_.term_contributions(X)

    def _base_value(self):
        return self.shapes_.base_value

    def explain_global(self):
        return self.shapes_


class FixedShapesClassifier(GlassBoxClassifierMixin, _FixedShapes, ClassifierMixin, BaseEstimator):
    pass


class FixedShapesRegressor(GlassBoxRegressorMixin, _FixedShapes, RegressorMixin, BaseEstimator):
    pass


def shown_tick_labels(axis):
    """The (position, text) of the labelled ticks inside the axis's view, after drawing."""
    axis.axes.figure.canvas.draw()
    low, high = sorted(axis.get_view_interval())
    ticks = axis.get_ticklabels() + axis.get_ticklabels(minor=True)
    return sorted((float(t.get_position()[axis.axis_name == "y"]), t.get_text()) for t in ticks
                  if t.get_text() and low <= t.get_position()[axis.axis_name == "y"] <= high)


def _number(text):
    try:
        return float(text)
    except ValueError:  # e.g. matplotlib's "$\\mathdefault{9\\times10^{-1}}$"
        return None


def assert_reads_as_factors(axis):
    """A relativity axis labels plain factors, 1 among them, and one on each side of 1 it reaches."""
    labels = shown_tick_labels(axis)
    # plain numbers that say their own position: no 10^k mathtext, no exponent
    assert labels and all(_number(text) == pytest.approx(position, rel=1e-9) for position, text in labels), labels
    positions = [position for position, _ in labels]
    low, high = sorted(axis.get_view_interval())
    assert 1.0 in positions
    if low < 0.95:
        assert min(positions) < 1.0, f"nothing labelled below 1 on {low:.3g}..{high:.3g}: {labels}"
    if high > 1.05:
        assert max(positions) > 1.0, f"nothing labelled above 1 on {low:.3g}..{high:.3g}: {labels}"
