"""target_class errors list a multiclass model's classes as plain values, not NumPy reprs."""

import warnings

import numpy as np
import pytest

from glassbox import GAMClassifier, SparseLinearClassifier
from glassbox.plotting import CoefficientDisplay, RegularizationPathDisplay, ShapeFunctionDisplay

LISTED = "['setosa', 'versicolor', 'virginica']"


@pytest.fixture(scope="module")
def models(iris_species, iris_lasso):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GAMClassifier(interactions=0, random_state=0).fit(*iris_species), iris_lasso


def _message(call):
    with pytest.raises(ValueError) as caught:
        call()
    message = str(caught.value)
    assert "np.str_" not in message and LISTED in message
    return message


def test_a_missing_target_class_lists_the_classes_as_plain_values(iris_species, models):
    X, y = iris_species
    gam, lasso = models
    assert "pass target_class=<one of " + LISTED in _message(
        lambda: ShapeFunctionDisplay.from_estimator(gam, term="petal width (cm)"))
    _message(lambda: CoefficientDisplay.from_estimator(lasso))
    _message(lambda: gam.explain_global()._class_column(None, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _message(lambda: RegularizationPathDisplay.from_estimator(SparseLinearClassifier(), X, y, n_alphas=3))


def test_an_unknown_target_class_names_itself_and_lists_the_classes(iris_species, models):
    X, y = iris_species
    gam, lasso = models
    for call in (
        lambda: ShapeFunctionDisplay.from_estimator(gam, term="petal width (cm)", target_class=np.str_("Setosa")),
        lambda: CoefficientDisplay.from_estimator(lasso, target_class="Setosa"),
        lambda: gam.explain_global()._class_column(np.str_("Setosa"), 3),
    ):
        assert "target_class='Setosa' is not one of the model's classes " + LISTED in _message(call)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        message = _message(lambda: RegularizationPathDisplay.from_estimator(
            SparseLinearClassifier(), X, y, n_alphas=3, target_class="Setosa"))
    assert "target_class='Setosa'" in message
