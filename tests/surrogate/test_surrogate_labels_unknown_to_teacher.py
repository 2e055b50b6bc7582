"""A copy of a fitted teacher warns when y holds a class the teacher does not know.

The copy learns the teacher's classes; a rare class added to y after the teacher was fitted
(a 'total loss' band) used to vanish from the copy without a word.
"""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox.surrogate import DistilledClassifier
from banded_targets import age_amount_score, banded


@pytest.fixture(scope="module")
def claims():
    X, score = age_amount_score(500, seed=0, amount_weight=1.0, noise=0.3)
    y = banded(score, [-0.5, 2.0], ["none", "small", "total loss"])
    return X, y


def test_a_class_only_y_holds_is_named(claims):
    X, y = claims
    known = y != "total loss"
    teacher = LogisticRegression().fit(X[known], y[known])
    with pytest.warns(UserWarning, match=r"y holds the label \['total loss'\] \((\d+) of 500 rows\), which the "
                                         r"teacher LogisticRegression does not know \(its classes: \['none', 'small'\]\)"
                      ) as caught:
        copy = DistilledClassifier(teacher=teacher, random_state=0).fit(X, y)
    assert copy.classes_.tolist() == ["none", "small"]
    n_rows = int(np.sum(~known))
    assert any(f"({n_rows} of 500 rows)" in str(w.message) for w in caught)


def test_zero_weight_rows_of_that_class_count_for_nothing(claims):
    X, y = claims
    known = y != "total loss"
    teacher = LogisticRegression().fit(X[known], y[known])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DistilledClassifier(teacher=teacher, random_state=0).fit(X, y, sample_weight=known.astype(float))


def test_a_teacher_knowing_every_class_of_y_fits_quietly(claims):
    X, y = claims
    teacher = LogisticRegression().fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        copy = DistilledClassifier(teacher=teacher, random_state=0).fit(X, y)
    assert copy.classes_.tolist() == ["none", "small", "total loss"]
