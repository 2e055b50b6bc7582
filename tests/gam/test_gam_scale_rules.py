"""Rules that keep large GAM fits affordable: outer_bags="auto" and the pair stage's row cap."""

import numpy as np
import pytest

import glassbox.gam._pairs as pairs_module
from glassbox import GAMClassifier
from glassbox.gam._base import auto_outer_bags
from glassbox.gam._pairs import pair_stage_bags


@pytest.mark.parametrize(
    "n_samples, expected",
    [(1, 8), (30_000, 8), (125_000, 8), (125_001, 7), (250_000, 4), (499_999, 2), (500_000, 2),
     (999_999, 1), (1_000_000, 1), (10_000_000, 1)],
)
def test_auto_outer_bags_keeps_bags_times_rows_near_a_million(n_samples, expected):
    assert auto_outer_bags(n_samples) == expected


def _pair_data(n, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 3))
    logit = 2 * np.sign(X[:, 1] * X[:, 2]) + X[:, 0]
    return X, (rng.rand(n) < 1 / (1 + np.exp(-logit))).astype(int)


def test_auto_outer_bags_fits_eight_bags_on_small_data_as_before():
    X, y = _pair_data(600)
    auto = GAMClassifier(interactions=1, max_rounds=60, random_state=0).fit(X, y)
    eight = GAMClassifier(interactions=1, max_rounds=60, outer_bags=8, random_state=0).fit(X, y)
    assert len(auto.n_rounds_["mains"]) == len(auto.n_rounds_["pairs"]) == 8
    np.testing.assert_array_equal(auto.decision_function(X), eight.decision_function(X))


def test_pair_stage_bags_leave_bags_within_the_cap_untouched():
    bags = [(np.arange(0, 90), np.arange(90, 100)), (np.arange(10, 100), np.arange(0, 10))]
    out = pair_stage_bags(bags, seed=3, max_rows=90)
    for (train, valid), (train_out, valid_out) in zip(bags, out):
        assert train_out is train and valid_out is valid


def test_pair_stage_bags_subsample_a_sorted_share_of_both_parts():
    rng = np.random.RandomState(0)
    order = rng.permutation(1000)
    bags = [(np.sort(order[:900]), np.sort(order[900:])), (np.sort(order[100:]), np.sort(order[:100]))]
    out = pair_stage_bags(bags, seed=5, max_rows=300)
    for (train, valid), (train_out, valid_out) in zip(bags, out):
        assert len(train_out) == 300 and len(valid_out) == round(100 * 300 / 900)
        for part, sub in ((train, train_out), (valid, valid_out)):
            assert np.all(np.diff(sub) > 0)  # sorted, no repeats
            assert np.isin(sub, part).all()
    assert not np.array_equal(out[0][0], out[1][0])  # each bag draws its own rows
    again = pair_stage_bags(bags, seed=5, max_rows=300)
    for a, b in zip(out, again):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])


def test_capped_pair_stage_still_learns_the_pair_and_keeps_the_model_exact(monkeypatch):
    X, y = _pair_data(4000)
    X_test, y_test = _pair_data(4000, seed=1)
    params = dict(interactions=[(1, 2)], outer_bags=2, random_state=0)
    full = GAMClassifier(**params).fit(X, y)
    monkeypatch.setattr(pairs_module, "PAIR_STAGE_MAX_ROWS", 1500)
    capped = GAMClassifier(**params).fit(X, y)
    # the cap applies to the pairs only: the mains are the same, the pair differs
    np.testing.assert_array_equal(capped.n_rounds_["mains"], full.n_rounds_["mains"])
    assert not np.array_equal(capped.decision_function(X), full.decision_function(X))
    # the pair is learnt from the share, and densities still count every training row
    assert capped.term_importances_[-1] > capped.term_importances_[:3].max()
    pair_term = capped.explain_global().terms[-1]
    assert pair_term.density.sum() == pytest.approx(len(X))
    accuracy = np.mean(capped.predict(X_test) == y_test)
    assert accuracy > np.mean(full.predict(X_test) == y_test) - 0.01
    explanation = capped.explain_global()
    np.testing.assert_allclose(explanation.decision_function(X_test), capped.decision_function(X_test), atol=1e-12)


# -- the regressor's joint stage on large data: stacked for the pair stage's rows only ------------------
def _joint_problem(n=3000, seed=0):
    from glassbox.gam._pairs import interaction_bins
    from glassbox.gam._terms import main_layout, pair_layout
    from glassbox.utils.binning import FeatureBinner

    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 4))
    y = np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2] + X[:, 3] + 0.2 * rng.randn(n)
    binner = FeatureBinner(max_bins=63).fit(X)
    fine = binner.transform(X)
    mains = main_layout(binner.bins_, np.zeros(4, dtype=np.int8))
    main_codes = mains.codes(fine)
    mass = np.concatenate([np.bincount(main_codes[:, t].astype(np.intp), minlength=mains.rows[t])
                           for t in range(4)]).astype(float)
    coarse, code_maps = interaction_bins(mains, mass, 8)
    pairs = pair_layout([(1, 2), (0, 3)], coarse, code_maps, np.zeros(4, dtype=np.int8))
    rng_scores = np.random.RandomState(1)
    parts = [(mains, main_codes, 0.01 * rng_scores.randn(2, mains.total_cells, 1)),
             (pairs, pairs.codes(fine), 0.01 * rng_scores.randn(2, pairs.total_cells, 1))]
    return parts, y[:, None], np.ones(n)


def test_joint_stage_on_a_share_of_the_rows_equals_the_stage_stacked_for_all_rows():
    from glassbox.gam._boosting import BoostingSettings, reference_losses, run_stage, split_bags
    from glassbox.gam._joint import boost_jointly, joint_layout, stage_rows

    parts, Y, weights = _joint_problem()
    bags = pair_stage_bags(split_bags(len(Y), None, weights, 2, 0.15, np.random.RandomState(0)), seed=4,
                           max_rows=1200)
    rows, local = stage_rows(bags, len(Y))
    assert rows is not None and len(rows) == sum(len(t) + len(v) for t, v in bags) - len(
        np.intersect1d(np.concatenate(bags[0]), np.concatenate(bags[1])))
    for (train, valid), (train_local, valid_local) in zip(bags, local):
        np.testing.assert_array_equal(rows[train_local], train)
        np.testing.assert_array_equal(rows[valid_local], valid)
    start = np.full((len(Y), 1), Y.mean())
    raw = [start + 0.1 * b for b in range(2)]
    settings = BoostingSettings(loss=0, learning_rate=0.1, max_rounds=200, patience=20, tolerance=0.0, min_leaf=2.0,
                                max_leaves=3, l2_regularization=0.0, n_threads=2, smoothing_rounds=5, seed=3)
    reference = reference_losses(start, Y, weights, bags, 0)
    totals, rounds = boost_jointly(parts, Y, weights, bags, lambda b: raw[b], settings, reference)
    # the stage stacked for every row (as before the row share) boosts exactly the same steps
    layout = joint_layout([p[0] for p in parts])
    codes = np.asfortranarray(np.hstack([p[1] for p in parts]))
    steps, expected_rounds = run_stage(layout, codes, Y, weights, bags, lambda b: raw[b], settings, reference)
    np.testing.assert_array_equal(rounds, expected_rounds)
    assert rounds.min() > 0
    cells = parts[0][0].total_cells
    np.testing.assert_array_equal(totals[0], parts[0][2] + steps[:, :cells])
    np.testing.assert_array_equal(totals[1], parts[1][2] + steps[:, cells:])


def test_joint_stage_rows_are_all_rows_when_the_bags_cover_them():
    from glassbox.gam._joint import stage_rows

    bags = [(np.array([0, 2, 3]), np.array([1, 4])), (np.array([1, 2, 4]), np.array([0, 3]))]
    rows, local = stage_rows(bags, 5)
    assert rows is None and local is bags


# -- interactions="auto" of a regressor: 5 pairs per feature, at most AUTO_MAX_INTERACTIONS ---------------
@pytest.mark.parametrize("n_features, expected", [(2, 10), (11, 55), (13, 65), (20, 100), (21, 100), (200, 100)])
def test_regressor_auto_interactions_are_five_per_feature_up_to_the_cap(n_features, expected):
    from glassbox import GAMRegressor
    from glassbox.gam._base import AUTO_MAX_INTERACTIONS, auto_interactions

    assert AUTO_MAX_INTERACTIONS == 100
    assert auto_interactions(GAMRegressor._auto_interactions_per_feature, n_features) == expected
    assert auto_interactions(GAMClassifier._auto_interactions_per_feature, n_features) == 10


def test_the_pair_cap_limits_the_pairs_asked_of_fast_and_keeps_the_fit_deterministic(monkeypatch):
    import glassbox.gam._base as base_module
    import glassbox.gam._pairs as pairs_mod
    from glassbox import GAMRegressor

    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(1500, 8))
    y = X[:, 0] * X[:, 1] + X[:, 2] * X[:, 3] + X[:, 4] + 0.1 * rng.randn(1500)
    asked = []
    choose = pairs_mod.choose_pairs

    def spy(interactions, *args):
        asked.append(interactions)
        return choose(interactions, *args)

    monkeypatch.setattr(base_module, "choose_pairs", spy)
    monkeypatch.setattr(base_module, "AUTO_MAX_INTERACTIONS", 12)
    params = dict(outer_bags=2, max_rounds=300, random_state=0)
    model = GAMRegressor(**params).fit(X, y)
    assert asked == [12]  # 5 x 8 = 40 without the cap
    assert len(model.interaction_pairs_) <= 12
    assert {("x0", "x1"), ("x2", "x3")} <= set(model.interaction_pairs_)
    again = GAMRegressor(**params).fit(X, y)
    assert again.interaction_pairs_ == model.interaction_pairs_
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    # an explicit number is not capped
    GAMRegressor(**dict(params, interactions=15)).fit(X, y)
    assert asked[-1] == 15
