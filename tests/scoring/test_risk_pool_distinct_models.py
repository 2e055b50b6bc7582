"""The pool of near-optimal scorecards lists each model once.

``x >= t: +k`` and ``x < t: -k`` with the intercept moved by ``k`` are one
model, and so are a card and the card with every point, the intercept and the
multiplier scaled by the same factor: they give every row the same risk.  A
multiplier held at its floor (``MIN_MULTIPLIER``) cannot scale with the points,
so there scaled points are different models.
"""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from glassbox import RiskScoreClassifier
from glassbox.scoring._integer_search import MIN_MULTIPLIER, IntegerSolution
from glassbox.scoring._search_driver import _distinct


def _canonical(card):
    """The card with each condition written ``x >= t`` (the intercept moved) and points and intercept divided by
    their gcd: one spelling per model on data without missing values."""
    intercept = card["intercept"]
    terms = []
    for condition, points in zip(card["conditions"], card["points"]):
        points = int(points)
        if condition.op == "<":  # x < t  ==  1 - (x >= t)
            intercept += points
            terms.append((condition.feature, ">=", condition.value, -points))
        else:
            terms.append((condition.feature, condition.op, condition.value, points))
    divisor = math.gcd(intercept, *(t[3] for t in terms)) or 1
    return tuple(sorted((f, op, v, p // divisor) for f, op, v, p in terms)), intercept // divisor


def _grid(model, X):
    """Every combination of one value per interval between the pool's thresholds of each feature it uses
    (the thresholds themselves included); the other features at their median."""
    cuts = {}
    for card in model.scorecards_:
        for condition in card["conditions"]:
            cuts.setdefault(condition.feature, set()).add(float(condition.value))
    values = {}
    for feature, thresholds in cuts.items():
        t = np.array(sorted(thresholds))
        values[feature] = np.unique(np.r_[t, (t[:-1] + t[1:]) / 2, t[0] - 1, t[-1] + 1])
    base = X.median()
    rows = [dict(base, **dict(zip(values, combo))) for combo in itertools.product(*values.values())]
    return pd.DataFrame(rows, columns=X.columns)


@pytest.fixture(scope="module")
def pima_pool(read_shared_csv):
    data = read_shared_csv("pima.csv")
    X, y = data.drop(columns="diabetes"), data["diabetes"].to_numpy()
    return RiskScoreClassifier(max_features=4).fit(X, y), X, y


def test_pima_pool_holds_pool_size_different_models(pima_pool):
    model, X, _ = pima_pool
    assert not X.isna().any().any()  # complements are exact: no row misses a value
    assert len(model.scorecards_) == model.pool_size == 50  # repeats replaced by further models
    canonical = [_canonical(card) for card in model.scorecards_]
    assert len(set(canonical)) == len(canonical)
    grid = _grid(model, X)
    assert len(grid) >= 50
    risks = np.array([model.use_scorecard(i).predict_proba(grid)[:, 1] for i in range(len(model.scorecards_))])
    model.use_scorecard(0)
    gaps = np.abs(risks[:, None, :] - risks[None, :, :]).max(axis=2)
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() > 1e-9  # no two entries give the same risk on every grid row
    losses = [card["loss"] for card in model.scorecards_]
    assert losses == sorted(losses)


def test_pima_pool_spells_a_repeated_model_with_its_smallest_points(pima_pool):
    model, _, _ = pima_pool
    # one model, found as points +-1, +-2, +-3 and +-4 (multiplier 0.82 x k): listed once, at +-1
    spelling = ((("age", ">=", 31.0, 1), ("bmi", ">=", 29.65, 1), ("glucose", ">=", 101.0, 1),
                 ("glucose", ">=", 128.0, 1)), -3)
    entries = [card for card in model.scorecards_ if _canonical(card) == spelling]
    assert len(entries) == 1
    assert np.abs(entries[0]["points"]).max() == 1
    assert entries[0]["multiplier"] == pytest.approx(0.822845, abs=1e-6)


def test_pool_is_deterministic(pima_pool):
    model, X, y = pima_pool
    again = RiskScoreClassifier(max_features=4).fit(X, y)
    pd.testing.assert_frame_equal(model.scorecards_frame(), again.scorecards_frame())


class _Rows:
    """The search problem's training conditions (only ``Z`` is read)."""

    def __init__(self, Z):
        self.Z = np.asfortranarray(Z, dtype=np.uint8)


def _card(support, points, intercept, multiplier, loss):
    return IntegerSolution(tuple(support), np.array(points, dtype=np.int64), intercept, multiplier, loss)


def test_distinct_merges_complements_and_multiples_and_fills_the_pool():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 2, size=(2, 40))
    problem = _Rows(np.column_stack([a, b, 1 - b]))  # condition 2 is the complement of condition 1
    doubled = _card((0, 1), (2, 2), -2, 1.6, 0.3)
    smallest = _card((0, 1), (1, 1), -1, 0.8, 0.3 + 1e-16)
    complement = _card((0, 2), (1, -1), 0, 0.8, 0.3 + 2e-16)  # a + b - 1 == a - (1 - b)
    tripled_worse = _card((0, 1), (3, 3), -3, 2.4, 0.35)  # the same model, found with a worse loss
    other = _card((0,), (3,), -1, 1.0, 0.31)
    last = _card((1,), (1,), 0, 1.0, 0.32)
    ranked = [doubled, smallest, complement, other, last, tripled_worse]
    assert _distinct(problem, ranked, 2) == [smallest, other]
    assert _distinct(problem, ranked, 5) == [smallest, other, last]  # fewer models than places


def _risks(problem, card):
    total = problem.Z[:, list(card.support)].astype(np.int64) @ card.points + card.intercept
    return 1 / (1 + np.exp(-total / card.multiplier))


def test_distinct_keeps_multiples_whose_multiplier_sits_at_its_floor():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 2, size=40)
    problem = _Rows(np.column_stack([a, 1 - a]))  # condition 1 is the complement of condition 0
    # totals k * (a - 1), each at multiplier 0.5: risks sigmoid(2k (a - 1)), one model per k
    floored = [_card((0,), (k,), -k, MIN_MULTIPLIER, 0.2 + 0.01 * (5 - k)) for k in (5, 4, 3, 2)]
    floored_complement = _card((1,), (-5,), 0, MIN_MULTIPLIER, 0.2 + 1e-16)  # -5 (1 - a) == 5 (a - 1): floored[0]
    scaled = [_card((0,), (1,), -1, 0.9, 0.3), _card((0,), (2,), -2, 1.8, 0.3 + 1e-16)]  # one model
    ranked = [floored[0], floored_complement, *floored[1:], *scaled]
    pool = _distinct(problem, ranked, 10)
    assert pool == [*floored, scaled[0]]
    risks = {np.round(_risks(problem, card), 12).tobytes() for card in ranked}
    assert len(risks) == len(pool)  # one entry per risk vector the cards give the rows


@pytest.fixture(scope="module")
def age_pool(read_shared_csv):
    """mammo with Age_geq_60 as the event: ``Age_geq_45 >= 1`` holds for every positive row, so the data are
    separable on one side and single-condition cards want a multiplier below the floor."""
    data = read_shared_csv("mammo.csv")
    X, y = data.drop(columns="Age_geq_60"), data["Age_geq_60"].to_numpy()
    return RiskScoreClassifier().fit(X, y), X


def test_cards_at_the_multiplier_floor_are_different_models(age_pool):
    model, X = age_pool
    risks = {np.round(model.use_scorecard(i).predict_proba(X)[:, 1], 12).tobytes() for i in range(len(model.scorecards_))}
    model.use_scorecard(0)
    assert len(model.scorecards_) == len(risks) == 19  # 16 when points 2, 3 and 4 were merged into points 5
    single = sorted(int(card["points"][0]) for card in model.scorecards_
                    if [str(c) for c in card["conditions"]] == ["Age_geq_45 >= 1"])
    assert single == [2, 3, 4, 5]
    assert all(card["multiplier"] == pytest.approx(MIN_MULTIPLIER, rel=1e-9)
               for card in model.scorecards_ if len(card["conditions"]) == 1)
