"""On tiny problems the search finds the enumerated optimum and the certificate bounds it."""

import itertools
from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from glassbox.scoring import RiskScoreClassifier, _certify
from glassbox.scoring._integer_search import MIN_MULTIPLIER
from glassbox.scoring._problem import complements


def _tiny(seed):
    rng = np.random.default_rng(seed)
    n = 250
    X = rng.normal(size=(n, 3))
    logit = 1.2 * (X[:, 0] > 0.3) - 0.8 * (X[:, 1] > -0.2) + 0.5 * X[:, 2]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


def _best_offset_and_scale(pos, neg, scores):
    """Independent brute force: every integer intercept in a wide range, multiplier >= MIN_MULTIPLIER on a grid then refined."""
    a_grid = np.geomspace(1e-4, 1.0 / MIN_MULTIPLIER, 700)
    b_grid = np.arange(-40, 41)
    f = (scores[None, None, :] + b_grid[:, None, None]) * a_grid[None, :, None]
    table = (pos * np.logaddexp(0, -f) + neg * np.logaddexp(0, f)).sum(axis=2)
    best = table.min()
    for bi, ai in zip(*np.unravel_index(np.argsort(table, axis=None)[:3], table.shape)):
        b = b_grid[bi]
        lo, hi = a_grid[max(ai - 1, 0)], a_grid[min(ai + 1, len(a_grid) - 1)]

        def loss_at(a):
            g = (scores + b) * a
            return pos @ np.logaddexp(0, -g) + neg @ np.logaddexp(0, g)

        best = min(best, minimize_scalar(loss_at, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13}).fun)
    return best


def _enumerate(model, X, y, k, low, high):
    generator = model.condition_generator_
    Z = generator.transform(X).astype(np.int64)
    w = np.full(len(y), 1.0 / len(y))
    partner = complements(generator)
    best = np.inf
    p = Z.shape[1]
    for size in range(k + 1):
        for support in itertools.combinations(range(p), size):
            if any(partner[a] == b for a, b in itertools.combinations(support, 2)):
                continue
            values = [v for v in range(low, high + 1) if v != 0]
            for points in itertools.product(values, repeat=size):
                scores = Z[:, list(support)] @ np.array(points, dtype=np.int64) if size else np.zeros(len(y))
                distinct, inverse = np.unique(scores, return_inverse=True)
                pos = np.bincount(inverse, weights=w * y)
                neg = np.bincount(inverse, weights=w * (1 - y))
                best = min(best, _best_offset_and_scale(pos, neg, distinct.astype(float)))
    return best


@pytest.mark.parametrize("seed, k, method", [(0, 1, "enumeration"), (1, 2, "enumeration"), (2, 2, "enumeration"),
                                             (1, 2, "cutting planes"), (2, 2, "cutting planes")])
def test_search_finds_enumerated_optimum_and_bound_is_valid(seed, k, method, monkeypatch):
    if method == "cutting planes":  # as when the supports are too many to enumerate in time
        monkeypatch.setattr(_certify, "enumerate_bound", lambda *args: None)
    X, y = _tiny(seed)
    model = RiskScoreClassifier(
        max_features=k, points_range=(-2, 2), max_thresholds=3 - k, certify=True, certify_time_limit=5
    ).fit(X, y)
    optimum = _enumerate(model, X, y, k, -2, 2)
    assert model.loss_ <= optimum + 1e-7
    assert model.loss_ >= optimum - 1e-6  # the brute force is exhaustive: nothing beats it
    certificate = model.certificate_
    assert certificate["method"] == method
    assert certificate["lower_bound"] <= optimum + 1e-9
    assert certificate["upper_bound"] == pytest.approx(model.loss_)
    assert 0 <= certificate["gap"] == pytest.approx((model.loss_ - certificate["lower_bound"]) / model.loss_)


def test_enumeration_gives_up_when_over_its_time_budget():
    from glassbox.scoring._support_enumeration import enumerate_bound

    X, y = _tiny(0)
    model = RiskScoreClassifier(max_features=2, points_range=(-2, 2), max_thresholds=3).fit(X, y)
    from glassbox.scoring._problem import build_problem

    generator = model.condition_generator_
    Z = generator.transform(X)
    problem = build_problem(generator, Z, y, np.ones(len(y)), (-2, 2), np.zeros(3, dtype=int), 1)
    # the relaxation of scorecards with multiplier >= MIN_MULTIPLIER
    problem = replace(problem, lower=problem.lower / MIN_MULTIPLIER, upper=problem.upper / MIN_MULTIPLIER)
    wide = (-50.0, 50.0)
    assert enumerate_bound(problem, 2, problem.usable, wide, time_budget=0.0) is None
    finished = enumerate_bound(problem, 2, problem.usable, wide, time_budget=60.0)
    assert finished is not None and finished["supports"] >= 1
    assert len(finished["support"]) <= 2 and finished["bound"] <= model.loss_ + 1e-9


def test_a_time_limit_spent_before_the_cutting_planes_still_gets_a_bound(monkeypatch):
    """The first master solve runs whatever the limit: its bound is about the dense fit's loss, cheap and real,
    where a certificate with no solve bounded nothing (lower bound 0, gap 1) and said nothing."""
    import time as time_module

    X, y = _tiny(1)
    real = _certify._cutting_planes

    def slow_setup(master, upper_bound, start_points, time_limit, tolerance):
        time_module.sleep(0.05)  # as the setup of a large problem (cuts at the start points, dense fit) takes
        return real(master, upper_bound, start_points, time_limit - 0.05, tolerance)

    monkeypatch.setattr(_certify, "enumerate_bound", lambda *args: None)
    monkeypatch.setattr(_certify, "_cutting_planes", slow_setup)
    model = RiskScoreClassifier(max_features=2, points_range=(-2, 2), max_thresholds=3, certify=True,
                                certify_time_limit=0.01).fit(X, y)
    certificate = model.certificate_
    assert certificate["iterations"] >= 1
    assert 0 < certificate["lower_bound"] <= model.loss_ and model.optimality_gap_ < 1
