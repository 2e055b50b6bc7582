"""RiskScoreClassifier: exact integer explanations, constraints, pool, bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from glassbox import from_json
from glassbox.explain import Scorecard
from glassbox.scoring import RiskScoreClassifier


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X.iloc[:, :10], y


@pytest.fixture(scope="module")
def mixed():
    rng = np.random.default_rng(1)
    n = 600
    age = rng.integers(20, 80, n).astype(float)
    income = rng.normal(50, 15, n)
    income[rng.random(n) < 0.1] = np.nan
    purpose = rng.choice(["car", "home", "education", "other"], n)
    logit = 0.06 * (age - 50) - 0.04 * np.nan_to_num(income - 50) + (purpose == "car") * 1.2 + np.isnan(income) * 1.0
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    X = pd.DataFrame({"age": age, "income": income, "purpose": pd.Categorical(purpose)})
    return X, y


@pytest.fixture(scope="module")
def fitted(mixed):
    X, y = mixed
    return RiskScoreClassifier(max_features=4, points_range=(-3, 4)).fit(X, y)


def test_additivity_is_bit_exact_integers(fitted, mixed):
    X, _ = mixed
    local = fitted.explain_local(X)
    assert np.array_equal(local.contributions, np.round(local.contributions))
    total = local.base_value + local.contributions.sum(axis=1)
    assert np.array_equal(total, fitted.decision_function(X))
    assert float(local.base_value) == fitted.intercept_
    proba = fitted.predict_proba(X)[:, 1]
    expected = 1 / (1 + np.exp(-(fitted.decision_function(X)) / fitted.multiplier_))
    np.testing.assert_allclose(proba, expected, rtol=1e-12)


def test_points_in_range_and_at_most_k(fitted):
    assert 1 <= len(fitted.points_) <= 4
    assert np.all(fitted.points_ != 0)
    assert np.all((fitted.points_ >= -3) & (fitted.points_ <= 4))
    assert fitted.multiplier_ >= 1
    assert isinstance(fitted.intercept_, int)
    for card in fitted.scorecards_:
        assert card["size"] <= 4 and np.all((card["points"] >= -3) & (card["points"] <= 4))


def test_uses_raw_categorical_and_missing(fitted):
    ops = {c.op for card in fitted.scorecards_ for c in card["conditions"]}
    assert "==" in ops or "is missing" in ops


def test_global_explanation_recomputes_and_round_trips(fitted, mixed):
    X, _ = mixed
    card = fitted.explain_global()
    assert isinstance(card, Scorecard)
    assert np.array_equal(card.decision_function(X), fitted.decision_function(X))
    loaded = from_json(fitted.to_json())
    assert loaded == card
    assert np.array_equal(loaded.decision_function(X), fitted.decision_function(X))
    assert card.link.scale == fitted.multiplier_
    text = str(card)
    for condition in fitted.term_names_:
        assert condition in text
    assert list(card.to_frame().columns) == ["condition", "points", "multiplier"]


def test_risk_table_lists_every_achievable_score(fitted, mixed):
    X, y = mixed
    card = fitted.explain_global()
    train_scores = fitted.decision_function(X) - fitted.intercept_
    assert set(np.unique(train_scores).astype(int)) <= set(card.risk_scores.tolist())
    for s, predicted, observed, count in zip(card.risk_scores, card.risk_predicted, card.risk_observed, card.risk_count):
        here = train_scores == s
        assert count == here.sum()
        if count:
            assert observed == pytest.approx(y[here].mean())
        assert predicted == pytest.approx(1 / (1 + np.exp(-(s + fitted.intercept_) / fitted.multiplier_)))
    assert set(fitted.calibration_) >= {"expected_calibration_error", "brier_score", "auc", "log_loss"}
    assert fitted.calibration_["log_loss"] == pytest.approx(fitted.loss_, rel=1e-9)


def test_pool_and_choosing_another_scorecard(fitted, mixed):
    X, _ = mixed
    frame = fitted.scorecards_frame()
    assert len(frame) == len(fitted.scorecards_) >= 2
    assert frame["loss"].is_monotonic_increasing
    first = fitted.decision_function(X)
    try:
        fitted.use_scorecard(1)
        assert fitted.scorecard_index_ == 1
        assert fitted.loss_ == fitted.scorecards_[1]["loss"]
        card = fitted.explain_global()
        assert np.array_equal(card.decision_function(X), fitted.decision_function(X))
    finally:
        fitted.use_scorecard(0)
    assert np.array_equal(fitted.decision_function(X), first)
    with pytest.raises(ValueError, match="index"):
        fitted.use_scorecard(len(fitted.scorecards_))


@pytest.mark.parametrize("sign", [1, -1])
def test_monotonic_constraint_holds_for_the_total_score(sign):
    rng = np.random.default_rng(3)
    n = 500
    x = rng.uniform(0, 10, n)
    other = rng.normal(size=n)
    # the truth is non-monotone in x (a bump), so an unconstrained card would use both directions
    logit = -sign * 2.0 * np.sin(x) + other
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    X = np.column_stack([x, other])
    model = RiskScoreClassifier(max_features=5, monotonic_cst=[sign, 0]).fit(X, y)
    grid = np.linspace(-1, 11, 2001)
    for fixed in (-2.0, 0.0, 2.0):
        scores = model.decision_function(np.column_stack([grid, np.full_like(grid, fixed)]))
        steps = np.diff(scores)
        assert np.all(sign * steps >= 0)
    for c, p in zip(model.conditions_, model.points_):
        if c.feature == "x0":
            assert (p > 0) == ((c.op == ">=") == (sign > 0))


def test_sample_weight_zero_equals_dropping(mixed):
    X, y = mixed
    weight = np.ones(len(y))
    weight[::3] = 0
    keep = weight > 0
    a = RiskScoreClassifier(max_features=3).fit(X, y, sample_weight=weight)
    b = RiskScoreClassifier(max_features=3).fit(X[keep], y[keep])
    assert a.term_names_ == b.term_names_
    assert np.array_equal(a.points_, b.points_)


def test_deterministic(cancer):
    X, y = cancer
    a = RiskScoreClassifier(max_features=3).fit(X, y)
    b = RiskScoreClassifier(max_features=3).fit(X, y)
    assert a.to_json() == b.to_json()
    assert [c["loss"] for c in a.scorecards_] == [c["loss"] for c in b.scorecards_]


def test_local_explanation_text(fitted, mixed):
    X, _ = mixed
    local = fitted.explain_local(X.iloc[:2])
    assert "risk" in local.notes[0]
    assert "base value" in str(local)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"max_features": 0}, "max_features"),
        ({"points_range": (0, 0)}, "empty"),
        ({"points_range": (3, -3)}, "empty"),
        ({"points_range": (1, 5)}, "contain 0"),
        ({"points_range": (-1.5, 2)}, "pair of integers"),
    ],
)
def test_bad_parameters(params, match, cancer):
    X, y = cancer
    with pytest.raises(ValueError, match=match):
        RiskScoreClassifier(**params).fit(X, y)


def test_bad_data(cancer):
    X, y = cancer
    with pytest.raises(ValueError, match="one class"):
        RiskScoreClassifier().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="constant"):
        RiskScoreClassifier().fit(np.ones((20, 3)), np.arange(20) % 2)
    with pytest.raises(ValueError, match="binary"):
        RiskScoreClassifier().fit(X, np.arange(len(y)) % 3)
    with pytest.raises(ValueError, match="categorical"):
        Xc = pd.DataFrame({"a": pd.Categorical(["u", "v"] * 10), "b": np.arange(20.0)})
        RiskScoreClassifier(monotonic_cst={"a": 1}).fit(Xc, np.arange(20) % 2)


def test_risk_curve_display(fitted):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from glassbox.plotting import RiskCurveDisplay

    display = RiskCurveDisplay.from_estimator(fitted)
    np.testing.assert_array_equal(display.line_.get_xdata(), fitted.risk_scores_)
    np.testing.assert_allclose(display.line_.get_ydata(), fitted.explain_global().risk_predicted)
    with pytest.raises(TypeError, match="Scorecard"):
        RiskCurveDisplay.from_explanation(object())
    matplotlib.pyplot.close("all")


def test_prediction_evaluates_only_selected_conditions_exactly(fitted, mixed):
    # the prediction path evaluates only the card's conditions; it must equal the
    # compiled full transform on every candidate condition, with missing and unseen levels
    from glassbox.scoring.risk_score import selected_conditions

    X, _ = mixed
    X = X.copy()
    X["purpose"] = X["purpose"].cat.add_categories(["boat"])
    X.loc[X.index[:5], "purpose"] = "boat"
    X.loc[X.index[5:10], "age"] = np.nan
    generator = fitted.condition_generator_
    codes = generator._codes(X)
    every = np.arange(len(generator.conditions_))
    assert np.array_equal(selected_conditions(generator, codes, every), generator.transform_codes(codes))
    assert np.array_equal(selected_conditions(generator, codes, every[::-3]), generator.transform_codes(codes)[:, ::-3])
