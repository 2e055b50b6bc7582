"""A model fitted on a NumPy array predicts bit for bit like its JSON copy, in every family.

A NumPy array's design is column-major where a DataFrame's is row-ordered, and
numpy sums the rows of the two layouts in different orders; the estimator must
still sum its terms as the model loaded from JSON does.  Twelve features: numpy
sums fewer than eight numbers in one order whatever the layout.
"""

import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_classifier

import glassbox
from glassbox.utils import all_estimators
from glassbox.utils.checks import _class_counts, _tags

ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]
CASES = [(e, k) for e in ESTIMATORS for k in _class_counts(e)]


def _case_id(case):
    estimator, n_classes = case
    return f"{type(estimator).__name__}-{n_classes}" if is_classifier(estimator) else type(estimator).__name__


def _numbers(estimator, n_classes, n_samples=240, n_features=12):
    """Twelve numeric columns as a column-major float array (as ``DataFrame.to_numpy()`` gives), and a target."""
    rng = np.random.RandomState(0)
    X = np.asfortranarray(rng.normal(size=(n_samples, n_features)) * rng.lognormal(0, 1, size=n_features))
    score = X @ (rng.normal(size=n_features) / X.std(axis=0)) + 0.3 * rng.normal(size=n_samples)
    if _tags(estimator).input_tags.allow_nan:
        X[rng.rand(n_samples) < 0.05, 3] = np.nan
    if not is_classifier(estimator):
        return X, np.exp(0.3 * score) if getattr(_tags(estimator).target_tags, "positive_only", False) else score
    return X, np.searchsorted(np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]), score)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_a_model_fitted_on_an_array_predicts_as_its_json_copy_bit_for_bit(case):
    estimator, n_classes = case
    X, y = _numbers(estimator, n_classes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence and small-data notes are not the point here
        model = clone(estimator).fit(X, y)
    loaded = glassbox.from_json(model.to_json())
    rows = np.asfortranarray(np.random.RandomState(1).permutation(X))  # new order, same layout
    name = type(model).__name__
    methods = ["decision_function", "predict_proba", "predict"] if is_classifier(model) else ["predict"]
    for method in methods:
        ours, theirs = getattr(model, method)(rows), getattr(loaded, method)(rows)
        np.testing.assert_array_equal(ours, theirs, err_msg=f"{name}.{method} against its JSON copy")
    explained = model.explain_local(rows).decision
    np.testing.assert_array_equal(explained, loaded.decision_function(rows), err_msg=f"{name}.explain_local's decision")
