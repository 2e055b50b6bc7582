"""Behaviour of GAMClassifier / GAMRegressor: exactness, constraints, recovery, bad input."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.isotonic import IsotonicRegression

from glassbox import GAMClassifier, GAMRegressor, from_json
from glassbox.utils.checks import GLASSBOX_CHECKS

FAST = dict(outer_bags=2, max_rounds=300, random_state=0)


def _regression(n=3000, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(n, 3))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + 0.5 * X[:, 0] * X[:, 2] + 0.2 * rng.randn(n)
    return X, y


def _mixed_frame(n=1500, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(
        {
            "age": rng.uniform(20, 70, n),
            "city": pd.Categorical(rng.choice(["north", "south", "east"], n)),
            "income": rng.lognormal(3, 0.5, n),
        }
    )
    X.loc[rng.rand(n) < 0.1, "income"] = np.nan
    logit = 0.05 * (X["age"] - 45) + (X["city"] == "north") - 0.5 * X["income"].isna()
    y = (logit + rng.logistic(size=n) > 0).astype(int).to_numpy()
    return X, y


@pytest.mark.parametrize(
    "make",
    [
        lambda: (GAMRegressor(**FAST), *_regression()),
        lambda: (GAMClassifier(**FAST), *_mixed_frame()),
        lambda: (GAMClassifier(**FAST), _mixed_frame()[0], np.random.RandomState(1).randint(3, size=1500)),
    ],
    ids=["regression", "binary", "multiclass"],
)
def test_additivity_and_global_explanation_are_exact(make):
    model, X, y = make()
    model.fit(X, y)
    output = model.predict(X) if isinstance(model, GAMRegressor) else model.decision_function(X)
    local = model.explain_local(X)
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), output, rtol=1e-12, atol=0)
    shapes = model.explain_global()
    np.testing.assert_allclose(shapes.decision_function(X), output, rtol=1e-12, atol=0)
    again = from_json(model.to_json())
    np.testing.assert_allclose(again.decision_function(X), output, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(model)).predict(X), model.predict(X))
    assert [t.name for t in shapes.terms] == model.term_names_


def test_shapes_are_centred_and_importances_are_mean_absolute_contributions():
    X, y = _regression()
    model = GAMRegressor(**FAST).fit(X, y)
    contributions = model.explain_local(X).contributions
    np.testing.assert_allclose(contributions.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(model.term_importances_, np.abs(contributions).mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(model.intercept_[0], model.predict(X).mean(), rtol=1e-9)


def _grid_predictions(model, X, feature, n_grid=3000, rows=8):
    grid = np.linspace(X[:, feature].min() - 1, X[:, feature].max() + 1, n_grid)
    out = []
    for row in X[:rows]:
        Z = np.repeat(row[None, :], n_grid, axis=0)
        Z[:, feature] = grid
        out.append(model.decision_function(Z) if hasattr(model, "classes_") else model.predict(Z))
    return np.array(out)


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("smoothing", [0.0, 2.0, "auto"])
def test_monotone_constraint_is_exact_on_a_dense_grid_with_pairs(direction, smoothing):
    X, y = _regression()  # y rises and falls in x0 and interacts x0 x x2
    model = GAMRegressor(
        monotonic_cst={"x0": direction}, interactions=[("x0", "x2"), ("x0", "x1")], smoothing=smoothing, **FAST
    ).fit(X, y)
    steps = np.diff(_grid_predictions(model, X, 0), axis=1)
    assert np.all(direction * steps >= 0)  # no tolerance
    assert model.explain_global().terms[0].constraints == (direction,)


def test_monotone_classifier_is_exact_and_pairs_keep_it():
    X, _ = _regression(seed=1)
    rng = np.random.RandomState(1)
    y = (np.cos(2 * X[:, 0]) + X[:, 1] * X[:, 2] + rng.logistic(size=len(X)) > 0).astype(int)
    model = GAMClassifier(monotonic_cst=[0, -1, 0], interactions=3, **FAST).fit(X, y)
    assert any(1 in pair_index for pair_index in model.term_features_[3:])  # a pair with the constrained x1
    steps = np.diff(_grid_predictions(model, X, 1), axis=1)
    assert np.all(steps <= 0)


def test_one_feature_monotone_gam_equals_isotonic_regression():
    rng = np.random.RandomState(0)
    x = rng.randint(0, 120, size=600).astype(float)
    y = np.log1p(x) + rng.randn(600) + 2 * (x > 60)
    w = rng.uniform(0.5, 2, size=600)
    model = GAMRegressor(
        monotonic_cst=[1], interactions=0, outer_bags=1, validation_fraction=None, learning_rate=1.0,
        max_leaves=255, min_samples_leaf=1, max_rounds=5, l2_regularization=0.0, random_state=0,
    ).fit(x[:, None], y, sample_weight=w)
    iso = IsotonicRegression().fit(x, y, sample_weight=w)
    # every distinct value has its own bin, so the fit is the weighted isotonic regression itself
    np.testing.assert_allclose(model.predict(x[:, None]), iso.predict(x), atol=1e-8)


def test_known_additive_functions_are_recovered():
    rng = np.random.RandomState(0)
    X = rng.uniform(-2, 2, size=(20000, 3))
    truth = [np.sin(2 * X[:, 0]), X[:, 1] ** 2, np.zeros(len(X))]
    y = sum(truth) + 0.3 * rng.randn(len(X))
    model = GAMRegressor(interactions=0, outer_bags=4, random_state=0).fit(X, y)
    contributions = model.explain_local(X).contributions
    for j, f in enumerate(truth):
        error = np.sqrt(np.mean((contributions[:, j] - (f - f.mean())) ** 2))
        assert error < 0.06, (j, error)  # stated error: RMSE below 0.06 for noise sd 0.3


def test_classifier_recovers_a_logistic_additive_model():
    rng = np.random.RandomState(0)
    X = rng.uniform(-2, 2, size=(30000, 2))
    truth = [1.5 * np.tanh(2 * X[:, 0]), -0.5 * X[:, 1] ** 2]
    y = (truth[0] + truth[1] + rng.logistic(size=len(X)) > 0).astype(int)
    contributions = GAMClassifier(interactions=0, outer_bags=4, random_state=0).fit(X, y).explain_local(X).contributions
    for j, f in enumerate(truth):
        error = np.sqrt(np.mean((contributions[:, j] - (f - f.mean())) ** 2))
        assert error < 0.15, (j, error)  # stated error: RMSE below 0.15 on the logit scale


def test_determinism_under_random_state_and_threads():
    X, y = _mixed_frame()
    a = GAMClassifier(random_state=3, n_jobs=1, **{k: v for k, v in FAST.items() if k != "random_state"}).fit(X, y)
    b = GAMClassifier(random_state=3, n_jobs=2, **{k: v for k, v in FAST.items() if k != "random_state"}).fit(X, y)
    np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))
    assert a.explain_global() == b.explain_global()


def test_interactions_selected_by_fast_find_the_true_pair():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(5000, 4))
    y = X[:, 0] + X[:, 1] + 2 * np.sign(X[:, 2]) * np.sign(X[:, 3]) + 0.1 * rng.randn(5000)
    mains_only = GAMRegressor(interactions=0, **FAST).fit(X, y)
    # fine interaction bins, so the jump at zero falls on a bin edge
    model = GAMRegressor(interactions=1, max_interaction_bins=255, **FAST).fit(X, y)
    assert model.interaction_pairs_ == [("x2", "x3")]
    pair = model.explain_global().terms[-1]
    assert pair.scores.shape == tuple(b.n_bins for b in pair.bins)
    assert mains_only.score(X, y) < 0.5 < 0.98 < model.score(X, y)


def test_missing_values_and_unseen_categories():
    X, y = _mixed_frame()
    model = GAMClassifier(**FAST).fit(X, y)
    terms = model.explain_global().terms
    income = terms[2]
    assert income.bins[0].bin_labels()[-1] == "missing" and income.density[-1] > 0
    assert income.scores[-1] != 0  # missing income carries signal in the data
    new = X.iloc[:3].copy()
    new["city"] = new["city"].cat.add_categories(["west"])
    new.loc[new.index[0], "city"] = "west"
    with pytest.warns(UserWarning, match="west"):
        local = model.explain_local(new)
    assert local.contributions[0, 1] == 0.0  # an unseen category scores zero
    assert terms[1].scores[terms[1].bins[0].unseen_bin] == 0.0


def test_missing_values_only_at_predict_time_score_zero():
    X, y = _regression()
    model = GAMRegressor(**FAST).fit(X, y)
    Z = X[:5].copy()
    Z[:, 1] = np.nan
    assert np.all(model.explain_local(Z).contributions[:, 1] == 0.0)


def test_sample_weight_zero_rows_do_not_matter_to_the_loss():
    X, y = _regression()
    weights = np.ones(len(y))
    weights[::3] = 0
    y_noisy = y.copy()
    y_noisy[::3] += 100  # garbage targets on weightless rows
    model = GAMRegressor(**FAST).fit(X, y_noisy, sample_weight=weights)
    keep = weights > 0
    assert np.sqrt(np.mean((model.predict(X[keep]) - y[keep]) ** 2)) < 0.5


@pytest.mark.parametrize(
    "params, match",
    [
        ({"monotonic_cst": {"city": 1}}, "categorical"),
        ({"monotonic_cst": {"salary": 1}}, "Unknown feature 'salary'"),
        ({"interactions": [("age", "salary")]}, "Unknown feature 'salary'"),
        ({"interactions": [("age", "age")]}, "itself"),
        ({"interactions": [("age", 7)]}, "index"),
        ({"monotonic_cst": {"age": 1, "income": -1}, "interactions": [("age", "income")]}, "two monotone"),
        # a one-leaf tree is a constant, which centring removes: every numeric shape would stay flat
        ({"max_leaves": 1}, "max_leaves"),
        # an entry that is not a pair is named
        ({"interactions": [("age", "income"), ("age",)]}, r"entry \('age',\) is not a pair"),
        ({"interactions": ["ageincome"]}, r"entry 'ageincome' is not a pair"),
        # True reads as "with interactions" but would count as 1 pair: a boolean is no count, False neither
        ({"interactions": True}, r"'interactions' parameter.*Got True instead: a boolean is not read as a number"),
        ({"interactions": False}, r"'interactions' parameter.*Got False instead: a boolean is not read as a number"),
    ],
)
def test_bad_parameters_raise_clear_errors(params, match):
    X, y = _mixed_frame(300)
    with pytest.raises(ValueError, match=match):
        GAMClassifier(**params).fit(X, y)


def test_all_missing_column_is_rejected():
    X, y = _mixed_frame(300)
    X["empty"] = np.nan
    with pytest.raises(ValueError, match="'empty' is missing in every training row"):
        GAMClassifier().fit(X, y)


def test_monotone_multiclass_is_rejected():
    X, _ = _regression(300)
    with pytest.raises(ValueError, match="multiclass"):
        GAMClassifier(monotonic_cst=[1, 0, 0]).fit(X, np.arange(300) % 3)


def test_automatic_pairs_skip_two_constrained_features():
    X, y = _regression(1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = GAMRegressor(monotonic_cst=[1, 1, 0], interactions=3, **FAST).fit(X, y)
    assert ("x0", "x1") not in model.interaction_pairs_


def test_frame_and_array_input_fit_the_same_model():
    # all-number frames are converted in one block, mixed frames column by column:
    # both must give the model an ndarray (and a frame with an explicit categorical) gives
    rng = np.random.RandomState(3)
    X = rng.randint(0, 12, size=(400, 4))
    y = (X[:, 0] + rng.randint(0, 6, 400) > 8).astype(np.int64)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).astype({"b": np.int8, "c": np.float32, "d": bool})
    params = dict(interactions=1, **FAST)
    from_array = GAMClassifier(**params).fit(frame.to_numpy(dtype=np.float64), y)
    from_frame = GAMClassifier(**params).fit(frame, y)
    assert np.array_equal(from_frame.decision_function(frame), from_array.decision_function(frame.to_numpy(float)))
    mixed = frame.assign(b=frame["b"].astype(str))  # b becomes categorical
    from_mixed = GAMClassifier(**params).fit(mixed, y)
    explicit = GAMClassifier(categorical_features=["b"], **params).fit(frame.assign(b=frame["b"].astype(str)), y)
    assert list(from_mixed.is_categorical_) == [False, True, False, False]
    assert np.array_equal(from_mixed.decision_function(mixed), explicit.decision_function(mixed))
    for j in (0, 2, 3):  # the numeric columns of the mixed frame are binned as in the all-number frame
        assert np.array_equal(from_mixed.binner_.bins_[j].thresholds, from_frame.binner_.bins_[j].thresholds)


def test_integer_and_string_targets_encode_alike():
    X, _ = _regression(n=500)
    y = (X[:, 0] > 0).astype(np.int64)
    as_int = GAMClassifier(interactions=0, **FAST).fit(X, pd.Series(y))
    as_str = GAMClassifier(interactions=0, **FAST).fit(X, np.where(y == 1, "yes", "no"))
    assert list(as_int.classes_) == [0, 1]
    assert np.array_equal(as_int.decision_function(X), as_str.decision_function(X))
    with pytest.raises(ValueError, match="only one class"):
        GAMClassifier(interactions=0, **FAST).fit(X, np.zeros(500, dtype=np.int64))


def test_smoothing_leaves_binary_features_alone_and_smooths_numeric_ones():
    rng = np.random.default_rng(0)
    n = 2000
    X = np.column_stack([rng.integers(0, 2, n), rng.normal(size=n)]).astype(float)
    y = (X[:, 0] + np.sin(2 * X[:, 1]) + rng.normal(scale=0.5, size=n) > 0.5).astype(int)
    plain = GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, y)
    smooth = GAMClassifier(interactions=0, outer_bags=2, smoothing=2.0, random_state=0).fit(X, y)
    flag_plain, flag_smooth = plain.explain_global().terms[0], smooth.explain_global().terms[0]
    # the flag's step keeps its full height (it would shrink by a kernel over its two bins)
    np.testing.assert_array_equal(flag_smooth.scores, flag_plain.scores)
    assert not np.allclose(smooth.explain_global().terms[1].scores, plain.explain_global().terms[1].scores)


def _logistic_loss(raw, y, w):
    return float(np.sum(w * (np.logaddexp(0.0, raw) - y * raw)) / np.sum(w))


def test_auto_smoothing_takes_each_shapes_best_width_on_the_bag_validation_rows():
    from glassbox.gam._boosting import (
        AUTO_SMOOTHING_WIDTHS, LOSS_LOGISTIC, MIN_LINE_BINS, bin_positions, choose_smoothing, smooth_shape,
    )
    from glassbox.gam._terms import main_layout
    from glassbox.utils.binning import FeatureBinner

    rng = np.random.default_rng(3)
    n = 600
    X = np.column_stack([rng.normal(size=n), rng.normal(size=n), rng.integers(0, 2, n)]).astype(float)
    y = (np.sin(2 * X[:, 0]) + (X[:, 1] > 0) + rng.logistic(size=n) > 0.5).astype(float)
    binner = FeatureBinner(max_bins=20).fit(X)
    layout = main_layout(binner.bins_, np.zeros(3, dtype=np.int8))
    codes = layout.codes(binner.transform(X))
    mass = np.bincount((layout.offset[:-1] + codes).ravel(), minlength=layout.total_cells).astype(float)
    bag_scores = rng.normal(scale=0.5, size=(2, layout.total_cells, 1))  # rough shapes: smoothing pays
    bags = [(np.arange(0, 400), np.arange(400, 600)), (np.arange(200, 600), np.arange(0, 200))]
    weights, base = np.ones(n), np.zeros((n, 1))
    smoothed, chosen = choose_smoothing(layout, bag_scores, mass, codes, base, y[:, None], weights, bags,
                                        LOSS_LOGISTIC)

    def validation_loss(b, scores):
        raw = sum(scores[layout.offset[t] + codes[:, t], 0] for t in range(3))
        rows = bags[b][1]
        return _logistic_loss(raw[rows], y[rows], weights[rows])

    assert np.all(chosen[:, 2] == 0)  # the binary flag is never smoothed
    np.testing.assert_array_equal(smoothed[:, layout.cell_slice(2)], bag_scores[:, layout.cell_slice(2)])
    for b in range(2):
        # brute force, in term order: every width (or none) for term 0, then for term 1 given term 0's choice
        current = bag_scores[b].copy()
        for t in (0, 1):
            cells = layout.cell_slice(t)
            options = {0.0: current[cells]}
            positions = bin_positions(binner.bins_[t], layout.ordered1[t])
            for width in AUTO_SMOOTHING_WIDTHS:
                if np.isinf(width) and layout.ordered1[t] < MIN_LINE_BINS:
                    continue  # too few values for a line
                options[width] = smooth_shape(current[cells], mass[cells], layout.ordered1[t], width, 0, positions)
            losses = {}
            for width, shape in options.items():
                trial = current.copy()
                trial[cells] = shape
                losses[width] = validation_loss(b, trial)
            best = min(losses, key=lambda width: (losses[width], width))
            assert chosen[b, t] == best
            current[cells] = options[best]
        np.testing.assert_allclose(smoothed[b], current, rtol=0, atol=1e-12)
        assert validation_loss(b, smoothed[b]) < validation_loss(b, bag_scores[b])
    assert np.any(chosen[:, :2] > 0)
    assert layout.ordered1[0] >= MIN_LINE_BINS and np.isinf(AUTO_SMOOTHING_WIDTHS[-1])  # the line was on offer
    # a feature of five values (a rating) is never offered the line, even when its shape is exactly one
    rating = rng.integers(0, 5, n).astype(float)[:, None]
    few = main_layout(FeatureBinner(max_bins=20).fit(rating).bins_, np.zeros(1, dtype=np.int8))
    few_codes = few.codes(FeatureBinner(max_bins=20).fit(rating).transform(rating))
    few_mass = np.bincount((few.offset[:-1] + few_codes).ravel(), minlength=few.total_cells).astype(float)
    line_scores = np.zeros((2, few.total_cells, 1))
    line_scores[:, :5, 0] = np.linspace(-1, 1, 5) + rng.normal(scale=0.3, size=(2, 5))
    y_rating = (rating[:, 0] - 2 + rng.logistic(size=n) > 0).astype(float)[:, None]
    _, few_chosen = choose_smoothing(few, line_scores, few_mass, few_codes, base, y_rating, weights, bags,
                                     LOSS_LOGISTIC)
    assert few.ordered1[0] == 5 and not np.any(np.isinf(few_chosen))


def test_auto_smoothing_is_recorded_exact_and_deterministic():
    rng = np.random.default_rng(0)
    n = 3000
    X = np.column_stack([rng.integers(0, 2, n), rng.normal(size=n), rng.normal(size=n)]).astype(float)
    y = (X[:, 0] + np.sin(2 * X[:, 1]) + (X[:, 2] > 0.3) + rng.logistic(size=n) > 1.0).astype(int)
    model = GAMClassifier(interactions=1, outer_bags=3, smoothing="auto", random_state=0).fit(X, y)
    again = GAMClassifier(interactions=1, outer_bags=3, smoothing="auto", random_state=0).fit(X, y)
    assert model.smoothing_widths_.shape == (3, 3)
    assert np.all(model.smoothing_widths_[:, 0] == 0)  # a binary flag is a step, never smoothed
    assert np.any(model.smoothing_widths_[:, 1] > 0)  # the noisy sine is smoothed in some bag
    np.testing.assert_array_equal(model.smoothing_widths_, again.smoothing_widths_)
    np.testing.assert_array_equal(model.decision_function(X), again.decision_function(X))
    explanation = from_json(model.explain_global().to_json())
    np.testing.assert_allclose(explanation.decision_function(X), model.decision_function(X), rtol=0, atol=1e-12)
    fixed = GAMClassifier(interactions=0, outer_bags=2, smoothing=1.5, random_state=0).fit(X, y)
    np.testing.assert_array_equal(fixed.smoothing_widths_, [[0.0, 1.5, 1.5]] * 2)
    with pytest.raises(ValueError, match="smoothing"):
        GAMClassifier(smoothing="wide").fit(X, y)


@pytest.mark.parametrize("n_value", [3, 40, 255])
@pytest.mark.parametrize("width", [0.5, 2.0, 7.0])
def test_smooth_shape_equals_the_weighted_gaussian_kernel_matrix(n_value, width):
    from glassbox.gam._boosting import smooth_shape

    rng = np.random.default_rng(n_value)
    scores = rng.normal(size=(n_value + 2, 2))  # value bins, then the missing and unseen bins
    mass = rng.uniform(0, 5, n_value + 2)
    mass[1] = 0.0  # an empty bin takes its neighbours' values
    position = np.arange(n_value)
    kernel = np.exp(-0.5 * ((position[:, None] - position[None, :]) / width) ** 2) * (mass[None, :n_value] + 1e-12)
    expected = scores.copy()
    expected[:n_value] = kernel @ scores[:n_value] / kernel.sum(axis=1)[:, None]
    np.testing.assert_allclose(smooth_shape(scores, mass, n_value, width, 0), expected, rtol=0, atol=1e-13)


def test_infinite_smoothing_width_is_the_weighted_least_squares_line_in_the_bin_values():
    from glassbox.gam._boosting import bin_positions, smooth_shape
    from glassbox.utils.binning import FeatureBinner

    rng = np.random.default_rng(5)
    x = rng.exponential(size=400)  # skewed: equal-count bins of unequal widths
    bins = FeatureBinner(max_bins=12).fit(x[:, None]).bins_[0]
    n_value = len(bins.thresholds) + 1
    positions = bin_positions(bins, n_value)
    inner = 0.5 * (bins.thresholds[:-1] + bins.thresholds[1:])
    np.testing.assert_allclose(positions[1:-1], inner, rtol=0, atol=1e-12)  # midpoints between thresholds
    assert positions[0] < bins.thresholds[0] < positions[1] and positions[-2] < bins.thresholds[-1] < positions[-1]
    scores = rng.normal(size=(n_value + 1, 2))  # value bins, then the missing bin (left as it is)
    mass = rng.uniform(0, 5, n_value + 1)
    line = smooth_shape(scores, mass, n_value, np.inf, 0, positions)
    for k in range(2):
        slope, level = np.polyfit(positions, scores[:n_value, k], 1, w=np.sqrt(mass[:n_value] + 1e-12))
        np.testing.assert_allclose(line[:n_value, k], level + slope * positions, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(line[n_value:], scores[n_value:])
    straight = scores.copy()
    straight[:n_value, 0] = 0.3 - 2.0 * positions
    np.testing.assert_allclose(smooth_shape(straight, mass, n_value, np.inf, 0, positions)[:, 0], straight[:, 0],
                               rtol=0, atol=1e-12)  # a line stays itself
    # an increasing constraint against a falling line: the projection leaves it flat at its weighted mean
    flat = smooth_shape(straight, mass, n_value, np.inf, 1, positions)[:n_value, 0]
    np.testing.assert_allclose(flat, np.average(straight[:n_value, 0], weights=mass[:n_value]), rtol=0, atol=1e-9)


@pytest.mark.parametrize("check", GLASSBOX_CHECKS, ids=lambda c: c.__name__)
def test_auto_smoothing_keeps_the_glassbox_contract(check):
    # local contributions add up exactly, the global explanation recomputes the model, JSON round trip
    check("GAMClassifier", GAMClassifier(smoothing="auto", interactions=2, outer_bags=2, random_state=0))
