"""GAMRegressor's own behaviour: pairs boosted in groups by FAST rank, its validation share, exact bin means."""

import numpy as np
import pytest

from glassbox import GAMClassifier, GAMRegressor


def _additive_with_pair(n, seed, n_features=7):
    """A smooth curve, a parabola and one product pair, plus noise features; returns X, f(X), noisy y."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, n_features))
    f = np.sin(3 * X[:, 0]) + X[:, 1] ** 2 + 2 * X[:, 2] * X[:, 3]
    return X, f, f + 0.2 * rng.randn(n)


@pytest.fixture(scope="module")
def grouped_fit():
    X, _, y = _additive_with_pair(3000, 0)
    return X, y, GAMRegressor(outer_bags=2, random_state=0).fit(X, y)


def test_known_additive_function_with_a_pair_is_recovered(grouped_fit):
    _, _, model = grouped_fit
    X_test, f_test, _ = _additive_with_pair(4000, 1)
    # noise sd 0.2; main effects alone cannot express 2 x2 x3 (RMSE ~0.67 against f)
    rmse = np.sqrt(np.mean((model.predict(X_test) - f_test) ** 2))
    assert rmse < 0.12
    assert model.interaction_pairs_[0] == ("x2", "x3")
    mains_only = GAMRegressor(interactions=0, outer_bags=2, random_state=0).fit(*grouped_fit[:2])
    assert np.sqrt(np.mean((mains_only.predict(X_test) - f_test) ** 2)) > 0.5


def test_auto_pairs_are_boosted_in_groups_of_ten_in_rank_order(grouped_fit):
    X, _, model = grouped_fit
    # 7 features: "auto" asks for 35 pairs, all 21 rank; groups of 10, 10 and 1 unless a group is of no use
    pair_keys = [k for k in model.n_rounds_ if k.startswith("pairs")]
    assert pair_keys[:2] == ["pairs", "pairs 2"]
    n_pairs = len(model.interaction_pairs_)
    assert n_pairs == min(21, 10 * len(pair_keys)) or np.median(model.n_rounds_[pair_keys[-1]]) == 0
    assert model.term_names_[7:] == [" x ".join(p) for p in model.interaction_pairs_]
    # the grouped model stays exactly additive and its explanation recomputes it
    np.testing.assert_allclose(model.explain_global().decision_function(X), model.predict(X), atol=1e-9)
    local = model.explain_local(X[:5])
    np.testing.assert_allclose(local.contributions.sum(axis=1) + local.base_value, model.predict(X[:5]), atol=1e-9)


def test_a_later_group_starts_from_the_residual_of_the_earlier_ones():
    X, _, y = _additive_with_pair(2000, 3, n_features=5)
    pair = [(2, 3)]
    first = GAMRegressor(interactions=pair, outer_bags=1, random_state=0).fit(X, y)
    # the top two FAST pairs as groups of one: the second boosts on the residual of the first, which has
    # fitted the true interaction already, so little is left for it
    model = GAMRegressor(interactions=pair, outer_bags=1, random_state=0)
    model._pair_group_size = 1
    model.set_params(interactions=2).fit(X, y)
    assert model.interaction_pairs_[0] == ("x2", "x3")
    assert "pairs 2" in model.n_rounds_
    names = model.term_names_
    second = model.term_importances_[names.index(" x ".join(model.interaction_pairs_[1]))]
    assert second < 0.1 * model.term_importances_[names.index("x2 x x3")]
    np.testing.assert_allclose(first.term_importances_[-1], model.term_importances_[names.index("x2 x x3")], rtol=0.05)


def test_explicit_pairs_and_ten_pairs_boost_as_one_group():
    X, _, y = _additive_with_pair(1500, 4)
    listed = GAMRegressor(interactions=[(i, j) for i in range(4) for j in range(i + 1, 7)][:12], outer_bags=1,
                          max_rounds=80, random_state=0).fit(X, y)
    assert [k for k in listed.n_rounds_ if k.startswith("pairs")] == ["pairs"]
    assert len(listed.interaction_pairs_) == 12
    ten = GAMRegressor(interactions=10, outer_bags=1, max_rounds=80, random_state=0).fit(X, y)
    assert [k for k in ten.n_rounds_ if k.startswith("pairs")] == ["pairs"]


def test_classifier_auto_interactions_is_ten_pairs_in_one_stage():
    rng = np.random.RandomState(5)
    X = rng.uniform(-1, 1, size=(800, 6))
    y = (X[:, 0] * X[:, 1] + 0.3 * rng.randn(800) > 0).astype(int)
    params = dict(outer_bags=2, max_rounds=60, random_state=0)
    auto = GAMClassifier(**params).fit(X, y)
    ten = GAMClassifier(interactions=10, **params).fit(X, y)
    assert len(auto.interaction_pairs_) == 10 and "pairs 2" not in auto.n_rounds_ and "joint" not in auto.n_rounds_
    np.testing.assert_array_equal(auto.decision_function(X), ten.decision_function(X))


def test_regressor_auto_validation_share_is_fifteen_percent_below_ten_thousand_rows():
    X, _, y = _additive_with_pair(1200, 6, n_features=4)
    params = dict(interactions=0, outer_bags=2, max_rounds=60, random_state=0)
    auto = GAMRegressor(**params).fit(X, y)
    np.testing.assert_array_equal(auto.predict(X), GAMRegressor(validation_fraction=0.15, **params).fit(X, y).predict(X))
    assert not np.array_equal(auto.predict(X),
                              GAMRegressor(validation_fraction=0.25, **params).fit(X, y).predict(X))


def test_one_feature_fit_reaches_the_weighted_bin_means():
    # squared loss, Newton steps of rate 1, a leaf per bin, no penalty: every bin's score is the
    # weighted mean of its targets, the least-squares step function on the bins
    rng = np.random.RandomState(7)
    x = rng.randint(0, 12, size=600).astype(float)
    y = np.sin(x) + rng.randn(600)
    w = rng.uniform(0.1, 3.0, size=600)
    model = GAMRegressor(interactions=0, outer_bags=1, validation_fraction=None, learning_rate=1.0, max_rounds=5,
                         max_leaves=16, min_samples_leaf=1, l2_regularization=0.0, smoothing_rounds=0,
                         random_state=0).fit(x[:, None], y, sample_weight=w)
    means = np.bincount(x.astype(int), weights=w * y) / np.bincount(x.astype(int), weights=w)
    np.testing.assert_allclose(model.predict(np.arange(12, dtype=float)[:, None]), means, atol=1e-10)


def _product_data(n, seed):
    """exp(x0 + x1) is a product of two mains: the mains absorb part of it before the pair exists."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 4))
    f = 3 * np.exp(X[:, 0] + X[:, 1]) + np.sin(3 * X[:, 2]) * (X[:, 3] > 0)
    return X, f, f + 0.3 * rng.randn(n)


def test_joint_last_stage_lets_mains_and_pairs_share_the_signal():
    X, _, y = _product_data(3000, 0)
    X_test, f_test, _ = _product_data(4000, 1)
    joint = GAMRegressor(outer_bags=2, random_state=0).fit(X, y)
    staged = GAMRegressor(outer_bags=2, random_state=0)
    staged._joint_final_stage = False
    staged.fit(X, y)
    assert "joint" in joint.n_rounds_ and "joint" not in staged.n_rounds_
    assert joint.n_rounds_["joint"].min() > joint.smoothing_rounds
    # both stages fit the same terms; the joint one is closer to the truth (0.204 vs 0.246 when written)
    assert joint.term_names_ == staged.term_names_
    rmse = [np.sqrt(np.mean((m.predict(X_test) - f_test) ** 2)) for m in (joint, staged)]
    assert rmse[0] < 0.9 * rmse[1]
    np.testing.assert_allclose(joint.explain_global().decision_function(X_test), joint.predict(X_test), atol=1e-9)
    # shapes stay centred on the training data after the joint steps
    for term in joint.explain_global().terms:
        assert abs(np.sum(term.scores * term.density) / term.density.sum()) < 1e-9


@pytest.mark.parametrize("loss, power", [("poisson", 1.0), ("gamma", 2.0), ("tweedie", 1.5)])
def test_score_of_a_log_link_gam_is_the_deviance_explained_as_the_linear_family(loss, power):
    from sklearn.metrics import d2_tweedie_score, r2_score

    from glassbox import SparseLinearRegressor

    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(400, 2))
    mean = np.exp(0.5 + X[:, 0] - 0.5 * X[:, 1] ** 2)
    y = rng.gamma(2.0, mean / 2.0) if loss == "gamma" else rng.poisson(mean).astype(float)
    w = rng.uniform(0.5, 2.0, 400)
    w[:20] = 0.0
    if loss == "gamma":
        y[:20] = 0.0  # rows of zero weight are not scored (a Gamma target of 0 has no deviance)
    gam = GAMRegressor(loss=loss, power=1.5, interactions=0, random_state=0).fit(X, y, sample_weight=w)
    kept = w > 0
    expected = d2_tweedie_score(y[kept], gam.predict(X[kept]), sample_weight=w[kept], power=power)
    assert gam.score(X, y, sample_weight=w) == pytest.approx(expected, rel=1e-12)
    assert gam.score(X[kept], y[kept]) == pytest.approx(
        d2_tweedie_score(y[kept], gam.predict(X[kept]), power=power), rel=1e-12)
    assert gam.score(X[kept], y[kept]) != pytest.approx(r2_score(y[kept], gam.predict(X[kept])), rel=1e-3)
    # one scale for the two families: the same predictions score the same
    glm = SparseLinearRegressor(alpha=0, loss=loss, power=1.5).fit(X, y, sample_weight=w)
    glm.predict = gam.predict
    assert glm.score(X, y, sample_weight=w) == gam.score(X, y, sample_weight=w)


def test_score_of_a_squared_error_gam_stays_r2():
    from sklearn.metrics import r2_score

    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 2))
    y = X[:, 0] + rng.normal(size=300)
    gam = GAMRegressor(interactions=0, random_state=0).fit(X, y)
    assert gam.score(X, y) == pytest.approx(r2_score(y, gam.predict(X)), rel=1e-12)
