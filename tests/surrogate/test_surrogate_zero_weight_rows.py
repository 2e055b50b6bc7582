"""A distilled copy fits on rows of weight zero as it does with those rows dropped.

A row of weight zero is as good as absent (docs/inputs.rst).  The default
teacher (HistGradientBoosting) would still bin its features over such rows, the
default teacher's encoder count their levels, the augmentation draw from them:
the copy hands all of them the rows of positive weight only.
"""

import hashlib

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassbox import GAMClassifier, GAMRegressor
from glassbox.surrogate import DistilledClassifier, DistilledRegressor, fidelity_report


def _frame(n=240, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({
        "age": rng.gamma(4.0, 10.0, n).round(1),
        "income": rng.lognormal(3.0, 0.8, n),
        "region": rng.choice(["north", "south", "east"], n, p=[0.5, 0.3, 0.2]).astype(object),
    })
    signal = 0.05 * X["age"] - 0.3 * np.log(X["income"]) + (X["region"] == "south") + rng.normal(0, 0.7, n)
    dropped = rng.rand(n) < 0.25
    X.loc[np.flatnonzero(dropped)[:3], "region"] = "west"  # a level that only rows of weight zero hold
    return X, signal.to_numpy(), dropped


def _fingerprint(model, X):
    """The copy's explanation (hashed) and its outputs on every row."""
    text = model.explain_global().to_json()
    outputs = model.predict_proba(X) if hasattr(model, "predict_proba") else model.predict(X)
    return hashlib.sha256(text.encode()).hexdigest(), outputs


def _assert_same_copy(weighted, dropped, X):
    hash_w, out_w = _fingerprint(weighted, X)
    hash_d, out_d = _fingerprint(dropped, X)
    assert hash_w == hash_d
    np.testing.assert_array_equal(out_w, out_d)
    teacher_w, teacher_d = weighted.teacher_, dropped.teacher_
    method = "predict_proba" if hasattr(teacher_w, "predict_proba") else "predict"
    np.testing.assert_array_equal(getattr(teacher_w, method)(X), getattr(teacher_d, method)(X))


def _small_gam(kind):
    model = GAMClassifier if kind == "classifier" else GAMRegressor
    return model(interactions=2, outer_bags=2, max_rounds=300, random_state=0)


@pytest.mark.parametrize("augment, n_augment", [("copula", 0), ("copula", 100), ("neighbors", 0.5)])
def test_default_teacher_classifier_weight_zero_is_dropping_the_row(augment, n_augment):
    X, signal, dropped = _frame()
    y = (signal > np.median(signal)).astype(int)
    weights = np.where(dropped, 0.0, 1.0)
    kept = ~dropped

    def copy():
        return DistilledClassifier(student=_small_gam("classifier"), n_augment=n_augment, augment=augment,
                                   random_state=0)

    weighted = copy().fit(X, y, sample_weight=weights)
    alone = copy().fit(X[kept], y[kept])
    _assert_same_copy(weighted, alone, X[kept])


def test_default_teacher_classifier_with_other_weights_is_dropping_the_row():
    X, signal, dropped = _frame(seed=1)
    y = (signal > np.median(signal)).astype(int)
    weights = np.where(dropped, 0.0, np.random.RandomState(2).choice([1.0, 2.5], len(y)))
    kept = ~dropped
    weighted = DistilledClassifier(student=_small_gam("classifier"), random_state=0).fit(X, y, sample_weight=weights)
    alone = DistilledClassifier(student=_small_gam("classifier"), random_state=0).fit(
        X[kept], y[kept], sample_weight=weights[kept])
    _assert_same_copy(weighted, alone, X[kept])


def test_default_teacher_regressor_weight_zero_is_dropping_the_row():
    X, signal, dropped = _frame(seed=3)
    kept = ~dropped
    weighted = DistilledRegressor(student=_small_gam("regressor"), n_augment=50, random_state=0).fit(
        X, signal, sample_weight=np.where(dropped, 0.0, 1.0))
    alone = DistilledRegressor(student=_small_gam("regressor"), n_augment=50, random_state=0).fit(X[kept], signal[kept])
    _assert_same_copy(weighted, alone, X[kept])


def test_a_teacher_passed_to_fit_learns_from_the_rows_of_positive_weight():
    X, signal, dropped = _frame(seed=4)
    X = X[["age", "income"]].to_numpy()
    y = (signal > np.median(signal)).astype(int)
    kept = ~dropped
    # the scaler is fitted unweighted: it would read the rows of weight zero
    teacher = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=5000))
    weighted = DistilledClassifier(teacher, _small_gam("classifier"), random_state=0).fit(
        X, y, sample_weight=np.where(dropped, 0.0, 1.0))
    alone = DistilledClassifier(teacher, _small_gam("classifier"), random_state=0).fit(X[kept], y[kept])
    _assert_same_copy(weighted, alone, X[kept])
    # with weights of 0 and 1 the teacher needs no weights: one that takes none is fitted on the rows kept
    boosting = HistGradientBoostingClassifier(max_iter=30, random_state=0)
    weighted = DistilledClassifier(boosting, _small_gam("classifier"), random_state=0).fit(
        X, y, sample_weight=np.where(dropped, 0.0, 1.0))
    alone = DistilledClassifier(boosting, _small_gam("classifier"), random_state=0).fit(X[kept], y[kept])
    _assert_same_copy(weighted, alone, X[kept])


def test_a_given_forest_votes_out_of_bag_on_the_rows_it_was_fitted_on():
    X, signal, dropped = _frame(seed=5)
    X = X[["age", "income"]].to_numpy()
    y = (signal > np.median(signal)).astype(int)
    weights = np.where(dropped, 0.0, 1.0)
    forest = RandomForestClassifier(n_estimators=30, min_samples_leaf=3, random_state=0).fit(X, y)
    # its draws index every row it was given, weighted zero or not
    copy = DistilledClassifier(forest, _small_gam("classifier"), out_of_bag=True, random_state=0).fit(
        X, y, sample_weight=weights)
    assert copy.intercept_aligned_with_ == "out-of-bag votes"
    # one fitted here is fitted on the rows kept, and votes on them
    def fitted_here():
        return DistilledClassifier(RandomForestClassifier(n_estimators=30, min_samples_leaf=3, random_state=0),
                                   _small_gam("classifier"), out_of_bag=True, random_state=0)

    alone = fitted_here().fit(X[~dropped], y[~dropped])
    weighted = fitted_here().fit(X, y, sample_weight=weights)
    _assert_same_copy(weighted, alone, X[~dropped])


def test_fidelity_report_leaves_rows_of_weight_zero_out_of_every_figure_and_segment():
    X, signal, dropped = _frame(seed=6)
    y = (signal > np.median(signal)).astype(int)
    teacher = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(X[["age", "income"]], y)
    student = LogisticRegression(max_iter=5000).fit(X[["age", "income"]], teacher.predict(X[["age", "income"]]))
    data = X[["age", "income"]].to_numpy()
    weighted = fidelity_report(teacher, student, data, sample_weight=np.where(dropped, 0.0, 1.0))
    alone = fidelity_report(teacher, student, data[~dropped])
    assert weighted.metrics == alone.metrics and weighted.segments == alone.segments
    assert weighted.n_samples == alone.n_samples == np.count_nonzero(~dropped)
    assert weighted.total_weight is None
    # the worst rows keep their positions among the rows given
    positions = np.flatnonzero(~dropped)
    assert [row[0] for row in weighted.worst_rows] == [int(positions[row[0]]) for row in alone.worst_rows]
    assert [row[1:] for row in weighted.worst_rows] == [row[1:] for row in alone.worst_rows]
