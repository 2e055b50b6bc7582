"""sample_weight in the GAM: integer weights are repeated rows, the penalty is in units of weight, zero
weights are absent rows, and bags say when early stopping did not end them."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

from glassbox import GAMClassifier, GAMRegressor
from glassbox.gam._boosting import split_bags


def _data(n, seed):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "c": rng.choice(list("pqrs"), n)})
    f = np.sin(2 * X.a) + X.b + (X.c == "q")
    return X, f + 0.3 * rng.normal(size=n), (f + rng.normal(size=n) > 0.5).astype(int), rng


def _weighted(estimator, n, seed):
    """``(X, y, weights, rng)``: the estimator's target and positive weights on the synthetic data."""
    X, y_reg, y_clf, rng = _data(n, seed)
    return X, (y_clf if estimator is GAMClassifier else y_reg), rng.uniform(0.2, 3.0, len(X)), rng


def _scores(model, X):
    return model.decision_function(X) if hasattr(model, "classes_") else model.predict(X)


def test_integer_weights_are_repeated_rows_at_the_default_penalty():
    # the scikit-learn contract: l2_regularization is added to sums of weighted hessians, in units of weight
    X, _, y, rng = _data(300, 1)
    w = rng.integers(0, 4, len(X))
    params = dict(outer_bags=2, interactions=1, max_rounds=60, validation_fraction=None, min_samples_leaf=1,
                  random_state=0)
    repeated = X.loc[X.index.repeat(w)], np.repeat(y, w)
    weighted = GAMClassifier(**params).fit(X, y, sample_weight=w)
    unit = GAMClassifier(**params).fit(*repeated)
    np.testing.assert_array_equal(weighted.decision_function(X), unit.decision_function(X))


@pytest.mark.parametrize("estimator", [GAMClassifier, GAMRegressor])
def test_scaling_the_weights_is_scaling_the_penalty(estimator):
    # the penalty is in units of weight: weights times c fit as the weights with l2_regularization * c, so
    # weights of 1e-6 (exposures in small units) need a penalty of that order (docs/gam.rst, Input)
    X, y, w, _ = _weighted(estimator, 600, 0)
    reference = _scores(estimator(outer_bags=2, random_state=0).fit(X, y, sample_weight=w), X)
    scaled = estimator(outer_bags=2, random_state=0, l2_regularization=0.1 * 1e-3).fit(X, y, sample_weight=w * 1e-3)
    np.testing.assert_allclose(_scores(scaled, X), reference, rtol=1e-9, atol=1e-9 * np.abs(reference).max())


def test_unit_weights_are_the_unweighted_fit():
    X, y_reg, _, _ = _data(400, 2)
    plain = GAMRegressor(outer_bags=2, random_state=0).fit(X, y_reg)
    ones = GAMRegressor(outer_bags=2, random_state=0).fit(X, y_reg, sample_weight=np.ones(len(X)))
    np.testing.assert_array_equal(plain.predict(X), ones.predict(X))


@pytest.mark.parametrize("estimator", [GAMClassifier, GAMRegressor])
def test_zero_weight_rows_are_dropped_rows(estimator):
    # the bags' validation rows are drawn among the positive-weight rows by the draws of the data without
    # the zero-weight rows: they drew validation rows from all rows before, so the splits differed
    X, y, w, rng = _weighted(estimator, 500, 3)
    w[rng.random(len(X)) < 0.4] = 0.0
    keep = w > 0
    params = dict(outer_bags=3, interactions=1, random_state=0)
    with_zeros = estimator(**params).fit(X, y, sample_weight=w)
    dropped = estimator(**params).fit(X[keep], y[keep], sample_weight=w[keep])
    np.testing.assert_allclose(_scores(with_zeros, X[keep]), _scores(dropped, X[keep]), rtol=0, atol=1e-12)
    for stage, rounds in dropped.n_rounds_.items():
        np.testing.assert_array_equal(with_zeros.n_rounds_[stage], rounds)
    # every cell that training weight reaches scores alike (a pair cell only zero-weight rows reach can differ:
    # no training row constrains it, as for a cell no row reaches)
    for part, part_dropped in zip(with_zeros._fitted_parts_, dropped._fitted_parts_):
        np.testing.assert_array_equal(part.mass, part_dropped.mass)
        reached = part.mass > 0
        np.testing.assert_allclose(part.scores[reached], part_dropped.scores[reached], rtol=0, atol=1e-12)


def test_validation_rows_are_drawn_among_positive_weights():
    weights = np.zeros(200)
    weights[:10] = 1.0
    strata = np.arange(200) % 2
    bags = split_bags(200, strata, weights, 8, 0.25, np.random.RandomState(0))
    for train, valid in bags:
        assert len(valid) == 2 and np.all(weights[valid] > 0) and weights[train].sum() == 8
    # every weight positive: the split drawn before (a permutation of all rows per bag)
    rng = np.random.RandomState(1)
    orders = [rng.permutation(50) for _ in range(3)]
    for (train, valid), order in zip(split_bags(50, None, np.ones(50), 3, 0.2, np.random.RandomState(1)), orders):
        np.testing.assert_array_equal(valid, np.sort(order[:10]))


def test_a_bag_without_validation_rows_warns_once():
    # mostly zero-weight rows: 2 positive rows per class leave 25% of them less than one validation row
    X, _, y, _ = _data(40, 4)
    w = np.zeros(len(X))
    w[np.flatnonzero(y == 0)[:2]] = w[np.flatnonzero(y == 1)[:2]] = 1.0
    with pytest.warns(ConvergenceWarning, match=r"bags 0, 1 of 2 have no validation rows") as caught:
        GAMClassifier(outer_bags=2, interactions=0, max_rounds=50, random_state=0).fit(X, y, sample_weight=w)
    assert len([c for c in caught if c.category is ConvergenceWarning]) == 1
    with warnings.catch_warnings():  # asked for: no warning
        warnings.simplefilter("error", ConvergenceWarning)
        GAMClassifier(outer_bags=2, interactions=0, max_rounds=50, validation_fraction=None,
                      random_state=0).fit(X, y, sample_weight=w)


def test_bags_that_run_out_of_max_rounds_warn_once_and_name_the_stage():
    X, y_reg, _, _ = _data(500, 5)
    params = dict(outer_bags=2, interactions=1, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"max_rounds=20 .*main effects: bags 0, 1 of 2") as caught:
        model = GAMRegressor(max_rounds=20, **params).fit(X, y_reg)
    assert len(caught) == 1 and "Raise max_rounds" in str(caught[0].message)
    assert np.all(model.n_rounds_["mains"] > 20 - model.early_stopping_rounds)
    with warnings.catch_warnings():  # early stopping ended every bag: no warning
        warnings.simplefilter("error")
        model = GAMRegressor(**params).fit(X, y_reg)
    assert np.all(model.n_rounds_["mains"] < model.max_rounds - model.early_stopping_rounds)


def test_a_level_only_zero_weight_rows_hold_is_unseen_without_a_warning_at_fit():
    # fit warned that the training data had "categories not seen in training" for such a level
    X, _, y, rng = _data(400, 6)
    w = np.where(X.c == "s", 0.0, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = GAMClassifier(outer_bags=2, interactions=[("a", "c")], random_state=0).fit(X, y, sample_weight=w)
    assert "s" not in model.binner_.bins_[2].categories
    rows = X[X.c == "s"].iloc[:3]
    with pytest.warns(UserWarning, match=r"Feature 'c' has categories not seen in training: \['s'\]"):
        local = model.explain_local(rows)
    frame = local.to_frame()
    unseen = frame.loc[frame["term"].isin(["c", "a x c"]), "contribution"]
    assert len(unseen) == 2 * len(rows) and np.all(unseen == 0.0)


@pytest.mark.parametrize("loss, p", [("poisson", 1.0), ("tweedie", 1.5), ("gamma", 2.0)])
def test_a_log_link_target_in_other_units_is_the_penalty_scaled_by_the_unit_to_the_power_two_minus_p(loss, p):
    # as l2_regularization says: y times c fits as y did with the penalty times c ** (2 - p)
    rng = np.random.default_rng(4)
    X = pd.DataFrame({"a": rng.normal(size=1500), "c": rng.choice(list("pqr"), 1500)})
    mean = np.exp(0.5 * X["a"] + 0.3 * (X["c"] == "p"))
    y = {"poisson": rng.poisson(mean) * 1.0, "tweedie": rng.poisson(mean) * rng.gamma(2.0, 1.0, len(X)),
         "gamma": rng.gamma(2.0, mean / 2.0)}[loss]
    params = dict(loss=loss, power=1.5, outer_bags=2, interactions=[("a", "c")], random_state=0)
    c = 1e-4
    fitted = GAMRegressor(**params).fit(X, y)
    in_small_units = GAMRegressor(**params, l2_regularization=0.1 * c ** (2 - p)).fit(X, y * c)
    np.testing.assert_allclose(in_small_units.predict(X) / c, fitted.predict(X), rtol=1e-9)
    for stage, rounds in fitted.n_rounds_.items():
        np.testing.assert_array_equal(in_small_units.n_rounds_[stage], rounds)


def _penalty_warnings(model, X, y, sample_weight=None):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y, sample_weight=sample_weight)
    return [str(w.message) for w in caught if "l2_regularization" in str(w.message) and "curvature" in str(w.message)]


def test_a_penalty_that_outweighs_the_rows_curvature_warns_with_the_scaled_penalty():
    # Poisson rates in small units: the hessian is the mean, so the default penalty is the curvature of
    # hundreds of thousands of rows and flattens every shape (test_a_log_link_target_in_other_units...)
    rng = np.random.default_rng(5)
    X = pd.DataFrame({"a": rng.normal(size=2000), "b": rng.normal(size=2000)})
    rate = rng.poisson(np.exp(0.5 * X["a"]) * 2.0) / 2.0
    params = dict(outer_bags=2, interactions=0, random_state=0)
    assert _penalty_warnings(GAMRegressor(loss="poisson", **params), X, rate) == []
    messages = _penalty_warnings(GAMRegressor(loss="poisson", **params), X, rate * 1e-6)
    assert len(messages) == 1
    assert "l2_regularization=0.1" in messages[0] and "2,000 rows of positive weight" in messages[0]
    assert "mean of the target" in messages[0] and "l2_regularization=1.1e-07" in messages[0]
    # the penalty it names fits as the default penalty fits the rate in ordinary units: no warning
    assert _penalty_warnings(GAMRegressor(loss="poisson", l2_regularization=1.1e-7, **params), X, rate * 1e-6) == []
    # weights in small units: the same with squared error (the hessian is the weight)
    y = X["a"] + 0.1 * rng.normal(size=len(X))
    messages = _penalty_warnings(GAMRegressor(**params), X, y, sample_weight=np.full(len(X), 1e-6))
    assert len(messages) == 1 and "sample_weight" in messages[0] and "l2_regularization=1e-07" in messages[0]
    # a rare class is no such case: its curvature is that of few rows
    yc = (rng.random(len(X)) < 0.01).astype(int)
    assert _penalty_warnings(GAMClassifier(**params), X, yc) == []


def test_weights_normalised_to_sum_to_one_are_not_warned_of():
    # the default penalty is then a tenth of the rows' curvature: slower boosting, hardly another fit
    X, y, _, _ = _data(800, 7)
    assert _penalty_warnings(GAMRegressor(outer_bags=2, interactions=0, random_state=0), X, y,
                             sample_weight=np.full(len(X), 1 / len(X))) == []


@pytest.mark.parametrize("scale", [1e-300, 1e300])
def test_weights_of_any_magnitude_are_recorded_without_overflow(scale):
    # Weights of 1e-300 made the fit's record of its weights divide by their squares, 0 in float64
    # (ZeroDivisionError); weights of 1e300 overflowed them to inf (a RuntimeWarning, a NaN size)
    X, _, y, _ = _data(300, 11)
    params = dict(outer_bags=2, interactions=0, random_state=0, l2_regularization=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("error", RuntimeWarning)
        model = GAMClassifier(**params).fit(X, y, sample_weight=np.full(len(X), scale))
        model.refit_intercept(X, y, sample_weight=np.full(len(X), scale))  # the record is read: no warning
    summary = model._fit_weight_summary_
    assert summary.n_positive == len(X) and summary.effective_size == pytest.approx(len(X), rel=1e-12)
    assert np.isfinite(model.decision_function(X)).all()


def test_a_penalty_outweighing_billions_of_rows_is_written_in_powers_of_ten():
    # {rows:,.0f} of weights of 1e-100 printed a hundred digits: 999,999,999,999,999,967,336,168,...
    X, y, _, _ = _data(300, 12)
    messages = _penalty_warnings(GAMRegressor(outer_bags=2, interactions=0, random_state=0), X, y,
                                 sample_weight=np.full(len(X), 1e-100))
    assert len(messages) == 1 and "of about 1e+99 rows at the start of boosting" in messages[0], messages
