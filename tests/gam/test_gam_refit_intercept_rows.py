"""refit_intercept's record counts the rows that weigh in the refit, not rows of weight zero."""
import numpy as np

from glassbox import GAMClassifier, GAMRegressor


def _data(n=300):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 2))
    return X, rng


def test_regressor_record_counts_rows_of_positive_weight():
    X, rng = _data()
    y = X[:, 0] + rng.normal(scale=0.1, size=len(X))
    weights = np.ones(len(X))
    weights[:40] = 0.0
    model = GAMRegressor(interactions=0, outer_bags=1, random_state=0).fit(X, y, sample_weight=weights)
    model.refit_intercept(X, y, sample_weight=weights)
    record = model.edits_[-1]
    assert record.parameters["n_samples"] == 260
    assert "refitted on 260 rows" in record.describe()
    assert "refitted on 260 rows" in str(model.explain_global())


def test_classifier_record_counts_rows_of_positive_weight():
    X, rng = _data()
    y = np.where(X[:, 0] + rng.normal(size=len(X)) > 0, "yes", "no")
    weights = rng.uniform(0.5, 2.0, len(X))
    weights[-25:] = 0.0
    model = GAMClassifier(interactions=0, outer_bags=1, random_state=0).fit(X, y, sample_weight=weights)
    model.refit_intercept(X, y, sample_weight=weights)
    assert model.edits_[-1].parameters["n_samples"] == 275


def test_unweighted_record_counts_every_row():
    X, rng = _data()
    y = X[:, 1] + rng.normal(scale=0.1, size=len(X))
    model = GAMRegressor(interactions=0, outer_bags=1, random_state=0).fit(X, y)
    model.refit_intercept(X, y)
    assert model.edits_[-1].parameters["n_samples"] == 300
