"""The log link: a regressor of a positive mean (a GAM's Poisson, Gamma and Tweedie losses)."""

import numpy as np
import pandas as pd
import pytest

from glassbox.explain import FeatureBins, LocalExplanation, ShapeFunctions, ShapeTerm
from glassbox.explain.base import GlobalExplanation
from glassbox.explain.links import Link


def test_log_link_inverse_is_exp_and_it_is_not_a_classification_link():
    link = Link("log")
    decision = np.array([-2.0, 0.0, 1.5])
    np.testing.assert_array_equal(link.inverse(decision), np.exp(decision))
    assert not link.is_classification
    assert Link.from_dict(link.to_dict()) == link
    with pytest.raises(ValueError, match="classification links"):
        link.log_inverse(decision)
    with pytest.raises(ValueError, match="classification links"):
        link.predict_index(decision)


def _shapes():
    age = FeatureBins("age", "numeric", thresholds=[40.0, 60.0])
    return ShapeFunctions(model="Demo", feature_names=["age"], link=Link("log"), base_value=0.5,
                          terms=[ShapeTerm(bins=[age], scores=[-1.0, 0.25, 0.75, 0.0])])


def test_global_explanation_on_a_log_link_predicts_exp_of_its_total_and_says_so():
    shapes = _shapes()
    X = pd.DataFrame({"age": [30.0, 50.0, 70.0, np.nan]})
    total = shapes.decision_function(X)
    np.testing.assert_array_equal(total, [-0.5, 0.75, 1.25, 0.5])
    np.testing.assert_array_equal(shapes.predict(X), np.exp(total))
    assert "add up to the log of the predicted mean: prediction = exp(total)" in str(shapes)
    again = GlobalExplanation.from_json(shapes.to_json())
    assert again == shapes and again.link == Link("log")
    with pytest.raises(AttributeError, match="classification"):
        shapes.predict_proba(X)


def test_local_explanation_on_a_log_link_names_its_total_and_the_prediction():
    contributions = np.array([[0.25], [-1.0]])
    decision = 0.5 + contributions.sum(axis=1)
    local = LocalExplanation(
        model="Demo", term_names=["age"], base_value=np.float64(0.5), contributions=contributions,
        feature_names=["age"], feature_values=np.array([[50.0], [30.0]], dtype=object), decision=decision,
        prediction=np.exp(decision), link=Link("log"),
    )
    text = str(local)
    assert "= log of predicted mean" in text
    assert "prediction = exp(0.75) = 2.117" in text
    assert local.probabilities is None
    assert LocalExplanation.from_json(local.to_json()) == local
