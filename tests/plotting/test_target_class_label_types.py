"""target_class names a class by its label: a boolean is not the number 1, a list is not a label.

With labels -1/0/1, ``target_class=True`` used to draw class 1 and ``target_class=[1]`` class 1 too
(``==`` said so), while the explanations' own lookups refused the boolean.
"""

import warnings

import numpy as np
import pytest

from glassbox import GAMClassifier, SparseLinearClassifier, reason_codes
from glassbox.plotting import (CoefficientDisplay, LocalContributionDisplay, RegularizationPathDisplay,
                               ShapeFunctionDisplay)
from banded_targets import ratings


@pytest.fixture(scope="module")
def claims():
    X, y = ratings(240, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gam = GAMClassifier(interactions=0, outer_bags=1, random_state=0).fit(X, y)
        lasso = SparseLinearClassifier().fit(X, y)
    return X, y, gam, lasso


def _draws(claims):
    X, y, gam, lasso = claims
    return {
        "local": lambda tc: LocalContributionDisplay.from_estimator(gam, X.iloc[:3], target_class=tc),
        "shape": lambda tc: ShapeFunctionDisplay.from_estimator(gam, term="age", target_class=tc),
        "coefficients": lambda tc: CoefficientDisplay.from_estimator(lasso, target_class=tc),
        "path": lambda tc: RegularizationPathDisplay.from_estimator(SparseLinearClassifier(), X, y, n_alphas=3,
                                                                    target_class=tc),
    }


@pytest.mark.parametrize("draw", ["local", "shape", "coefficients", "path"])
@pytest.mark.parametrize("target_class", [True, False, [1], np.array([1])], ids=["True", "False", "list", "array"])
def test_a_value_that_only_compares_equal_to_a_label_is_refused(claims, draw, target_class):
    with pytest.raises(ValueError, match=r"is not one of the model's classes \[-1, 0, 1\]"):
        _draws(claims)[draw](target_class)


@pytest.mark.parametrize("draw", ["local", "shape", "coefficients", "path"])
def test_the_label_itself_is_drawn_and_named(claims, draw):
    display = _draws(claims)[draw](np.int64(1))
    text = display.ax_.get_xlabel() + display.ax_.get_ylabel()
    assert "class 1" in text and "[1]" not in text


def test_a_float_equal_to_an_integer_label_still_picks_it(claims):
    display = _draws(claims)["path"](1.0)
    assert "class 1)" in display.ax_.get_ylabel()  # named by the model's label, not the value passed


def test_reason_codes_refuse_a_list_for_the_adverse_class(claims):
    X, _, gam, _ = claims
    with pytest.raises(ValueError, match=r"adverse=\[1\] is not a class of the model"):
        reason_codes(gam, X.iloc[:2], reference=X, adverse=[1])
