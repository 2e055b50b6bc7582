"""Complete separation: a binary target that the terms split without error has no finite logistic fit.

Unpenalized, the likelihood keeps rising as the coefficients grow, so the
fit stops at large values set by its tolerance (a coefficient of about 200
below), and no Wald figure exists.  The fit says so, and the inference names
the separation instead of asking for the rows the model was fitted on.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

from glassbox import SparseLinearClassifier, coefficient_inference
from glassbox.linear._separable import separable


def _separable(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"income": rng.normal(size=n), "age": rng.normal(size=n),
                      "region": pd.Categorical(rng.choice(["x", "y", "z"], n))})
    y = np.where(X["income"] > 0, "repaid", "default")
    return X, y


def test_unpenalized_fit_warns_of_complete_separation():
    X, y = _separable()
    with pytest.warns(UserWarning, match="completely separated") as caught:
        model = SparseLinearClassifier(alpha=0).fit(X, y)
    message = str(next(w.message for w in caught if "completely separated" in str(w.message)))
    assert "'repaid'" in message and "'default'" in message and "alpha > 0" in message
    assert np.abs(model.coef_).max() > 50  # the fit did stop at a large value


@pytest.mark.parametrize("params", [{"alpha": 0.01}, {"penalty": "elasticnet", "l1_ratio": 0.0, "alpha": 0.01}])
def test_penalized_fit_of_separable_data_is_not_warned(params):
    X, y = _separable()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SparseLinearClassifier(**params).fit(X, y)


def test_unpenalized_fit_of_overlapping_classes_is_not_warned():
    X, y = _separable()
    y = y.copy()
    y[:10] = np.where(y[:10] == "repaid", "default", "repaid")  # ten rows on the wrong side
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SparseLinearClassifier(alpha=0).fit(X, y)


def test_wald_inference_names_the_separation():
    X, y = _separable()
    with pytest.warns(UserWarning, match="completely separated"):
        model = SparseLinearClassifier(alpha=0).fit(X, y)
    with pytest.raises(ValueError, match="completely separated") as raised:
        coefficient_inference(model, X, y)
    assert "method='bootstrap'" in str(raised.value)
    assert "fitted on" not in str(raised.value)  # the rows are the right ones


def test_multiclass_separation_is_named_at_fit_and_in_the_wald_table():
    X, _ = _separable()
    y = np.array(["low", "mid", "high"])[np.digitize(X["income"], [-0.5, 0.5])]
    with pytest.warns(UserWarning, match="completely separated: the fitted terms can score every row's own class"):
        model = SparseLinearClassifier(alpha=0).fit(X, y)
    with pytest.raises(ValueError, match="completely separated"):
        coefficient_inference(model, X, y)


def test_without_an_intercept_only_a_split_at_zero_separates():
    # a threshold of 0.7 splits the classes, but a fit without an intercept can only split at 0: its fit is finite
    X, _ = _separable()
    X = X[["income"]]
    y = (X["income"] > 0.7).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = SparseLinearClassifier(alpha=0, fit_intercept=False).fit(X, y)
    assert np.abs(model.coef_).max() < 10
    with pytest.warns(UserWarning, match="completely separated"):
        SparseLinearClassifier(alpha=0, fit_intercept=True).fit(X, y)


def _overlapping_fit_and_rows_it_classifies(n_classes, seed=0):
    """An unpenalized fit of overlapping classes (finite, not warned of) and new rows it happens to get right."""
    rng = np.random.default_rng(seed)
    cuts = [0.0] if n_classes == 2 else [-0.5, 0.5]

    def draw(n):
        X = rng.normal(size=(n, 2))
        return X, np.digitize(X[:, 0] + rng.normal(scale=0.5, size=n), cuts)

    X, y = draw(300)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = SparseLinearClassifier(alpha=0).fit(X, y)
    X_new, y_new = draw(300)
    right = np.flatnonzero(model.predict(X_new) == y_new)[:30]
    return model, X, y, X_new[right], y_new[right]


@pytest.mark.parametrize("n_classes", [2, 3])
def test_rows_a_finite_fit_classifies_without_error_are_not_called_separated(n_classes):
    # the separation is the fit's: other rows split without error ask for the fitted rows, as before
    model, X, y, X_other, y_other = _overlapping_fit_and_rows_it_classifies(n_classes)
    with pytest.raises(ValueError, match="pass the rows and sample_weight the model was fitted on") as raised:
        coefficient_inference(model, X_other, y_other)
    assert "separated" not in str(raised.value)
    assert coefficient_inference(model, X, y).std_errors.size > 0  # the fitted rows give the table


def test_the_separation_record_survives_pickling_and_an_older_model_without_it_still_works():
    import pickle

    X, y = _separable()
    with pytest.warns(UserWarning, match="completely separated"):
        separated = SparseLinearClassifier(alpha=0).fit(X, y)
    with pytest.raises(ValueError, match="completely separated"):
        coefficient_inference(pickle.loads(pickle.dumps(separated)), X, y)
    model, X_fit, y_fit, _, _ = _overlapping_fit_and_rows_it_classifies(2)
    for fitted in (separated, model):
        del fitted._separated_at_fit  # as a model pickled before the record was kept
    with pytest.raises(ValueError, match="completely separated"):
        coefficient_inference(separated, X, y)
    assert coefficient_inference(model, X_fit, y_fit).std_errors.size > 0


def test_the_multiclass_separation_message_names_the_classes():
    X, _ = _separable()
    y = np.array(["low", "mid", "high"])[np.digitize(X["income"], [-0.5, 0.5])]
    with pytest.warns(UserWarning, match="completely separated") as caught:
        SparseLinearClassifier(alpha=0).fit(X, y)
    message = str(next(w.message for w in caught if "completely separated" in str(w.message)))
    assert all(repr(name) in message for name in ["low", "mid", "high"])


def _near_boundary(n_classes, noise, seed=0, n=2000):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    score = X[:, 0] + 0.5 * X[:, 1] + (rng.normal(scale=noise, size=n) if noise else 0.0)
    return X, np.digitize(score, [0.2] if n_classes == 2 else [-0.5, 0.5])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_a_fit_stopped_short_of_the_split_is_still_named_separated(n_classes):
    # a diverging fit stopped by max_iter misclassifies a few rows by the boundary: the classes are separable all
    # the same, and the Wald table names that rather than blaming the rows or tol
    X, y = _near_boundary(n_classes, noise=0)
    with pytest.warns(UserWarning, match="completely separated"), pytest.warns(ConvergenceWarning):
        model = SparseLinearClassifier(alpha=0, max_iter=10).fit(X, y)
    assert 0 < np.count_nonzero(model.predict(X) != y) <= 0.01 * len(y)
    if n_classes == 2:  # nor does any threshold of the fitted predictor split them
        scores = model.decision_function(X)
        assert scores[y == 1].min() < scores[y == 0].max()
    with pytest.raises(ValueError, match="completely separated"):
        coefficient_inference(model, X, y)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_classes_overlapping_by_a_few_rows_are_not_named_separated(n_classes):
    X, y = _near_boundary(n_classes, noise=0.01, seed=1, n=3000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = SparseLinearClassifier(alpha=0).fit(X, y)
    assert 0 < np.count_nonzero(model.predict(X) != y) <= 0.01 * len(y)  # near a split: the check did run


def test_rows_tied_across_classes_are_not_separable():
    # quasi-complete: a row of each class at the same point leaves no strict split, however the rest lie
    X = np.array([[0.0], [1.0], [2.0], [2.0], [3.0], [4.0]])
    labels, w = np.array([0, 0, 0, 1, 1, 1]), np.ones(6)
    assert separable(X, labels, w, 2) is False
    assert separable(X[[0, 1, 2, 4, 5]], labels[[0, 1, 2, 4, 5]], w[:5], 2) is True
    assert separable(X, labels, np.array([1, 1, 1, 0, 1, 1.0]), 2) is True  # the tie has weight 0
    assert separable(X, np.array([0, 0, 1, 1, 2, 2]), w, 3) is True  # one interval of the line per class
    assert separable(X[[0, 1, 2, 4, 5]], np.array([0, 1, 0, 2, 2]), w[:5], 3) is False  # class 0 on both sides
    assert separable(X, np.array([0, 0, 1, 2, 2, 2]), w, 3) is False  # 2.0 is in class 1 and class 2
    assert separable(X[[0, 1, 2, 4, 5]], np.array([0, 0, 1, 2, 2]), w[:5], 3) is True


def _quasi_separated(n_classes, n=400, seed=0):
    """A level whose rows are all of one class (binary) or lack a class (three classes); the rest overlap."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"x": rng.normal(size=n), "zone": pd.Categorical(rng.choice(["A", "B", "C"], n,
                                                                                  p=[.45, .45, .1]))})
    score = X["x"].to_numpy() + rng.normal(size=n)
    if n_classes == 2:
        y = np.where(score > 0, "yes", "no")
        y[X["zone"] == "C"] = "no"
    else:
        y = np.array(["low", "mid", "top"])[np.digitize(score, [-0.5, 0.5])]
        y[(X["zone"] == "C") & (y == "top")] = "mid"
    return X, y


@pytest.mark.parametrize("n_classes, named", [(2, r"zone == C \(all 'no'\)"), (3, r"zone == C \(no 'top'\)")])
def test_unpenalized_fit_names_a_quasi_separated_level(n_classes, named):
    """The fit says which level's coefficient ran off, not only that it did not converge."""
    X, y = _quasi_separated(n_classes)
    with pytest.warns(UserWarning, match=f"Quasi-complete separation: the rows of {named}") as caught:
        SparseLinearClassifier(alpha=0).fit(X, y)
    message = str(next(w.message for w in caught if "Quasi-complete" in str(w.message)))
    assert "alpha > 0" in message and "Merge the level" in message and "Wald" not in message
    # a penalty holds the coefficient: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SparseLinearClassifier(alpha=0.01).fit(X, y)
