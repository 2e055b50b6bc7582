"""Reason-code sentences name a number class as a class, and say what a multiclass column adds up to."""

import warnings

import matplotlib
import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris

from glassbox import SparseLinearClassifier, reason_codes
from glassbox.plotting import ReasonCodesDisplay

matplotlib.use("Agg")


def _fit(X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SparseLinearClassifier().fit(X, y)


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True, as_frame=True)


def test_an_integer_class_reads_as_a_class_not_an_amount(iris):
    X, y = iris
    codes = reason_codes(_fit(X, y), X.iloc[[60]], reference=X, adverse=1)
    text = str(codes)
    assert text.splitlines()[0].endswith("adverse outcome class 1")
    assert "softmax units toward class 1 compared with the best" in text
    assert "shortfalls are measured toward class 1" in text
    assert " toward 1 " not in text
    display = ReasonCodesDisplay.from_estimator(_fit(X, y), X.iloc[[60]], reference=X, adverse=1)
    assert display.ax_.get_xlabel() == "shortfall toward class 1 (softmax units)"
    display.figure_.clf()


def test_a_text_class_prints_as_it_is(iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    text = str(reason_codes(_fit(X, names), X.iloc[[60]], reference=X, adverse=np.str_("versicolor")))
    assert "softmax units toward versicolor compared with the best" in text
    assert "class versicolor compared" not in text


def test_multiclass_header_says_the_column_is_relative_to_the_mean_of_the_classes(iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    text = str(reason_codes(_fit(X, names), X.iloc[[60]], reference=X, adverse="versicolor"))
    assert ("contributions add up to the score of class versicolor relative to the mean of the classes; "
            "shortfalls are measured toward versicolor") in text


def test_binary_number_classes_keep_their_log_odds_header():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :5]
    text = str(reason_codes(_fit(X, y), X.iloc[[0]], reference=X, adverse=0))
    assert "contributions add up to log-odds of 1; shortfalls are measured toward class 0" in text
    assert "log-odds toward class 0 compared with the best" in text
