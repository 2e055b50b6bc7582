"""Printed thresholds are the model's own: a card or rule read from its printout scores exactly like the model.

Thresholds sit at observed training values (amounts in dollars and cents,
balances near a million, full-precision measurements); printed with 6
significant digits, ``357961.76`` read ``357962`` and a hand-scored card
disagreed with ``decision_function`` on the rows at the threshold.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, GAMRegressor, RiskScoreClassifier,
                      SparseLinearRegressor)
from glassbox.explain import Condition, FeatureBins
from glassbox.explain.terms import format_value


def _money(n=1500, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "loan_amount": np.round(rng.uniform(50_000, 900_000, n), 2),
        "income": np.round(rng.uniform(20_000, 200_000, n), 2),
        "balance": np.round(rng.uniform(1_000_000, 1_000_500, n), 2),
        "ratio": rng.normal(size=n),  # full-precision doubles
    })
    y = ((X["loan_amount"] / X["income"] + (X["balance"] - 1_000_250) / 100 + X["ratio"]
          + rng.normal(0, 1.5, n)) > 6).astype(int)
    return X, y


def _at_and_next_to(X, feature, threshold):
    """Rows of X with ``feature`` set to the threshold and to the doubles just below and above it."""
    values = [np.nextafter(threshold, -np.inf), threshold, np.nextafter(threshold, np.inf)]
    rows = pd.concat([X.iloc[:3]] * len(values), ignore_index=True)
    rows[feature] = np.repeat(values, 3)
    return rows


def _hand_scores(text, X):
    """Score rows from a printed risk-score card, as a credit officer would."""
    lines = re.findall(r"^\d+\.\s+(\S+) (>=|<) (\S+)\s+([+-]\d+) points", text, flags=re.M)
    intercept = int(re.search(r"exp\(-\(SCORE ([+-]\d+)\)", text).group(1))
    assert lines, text
    total = np.full(len(X), float(intercept))
    for feature, op, threshold, points in lines:
        values = X[feature].to_numpy(dtype=np.float64)
        met = values >= float(threshold) if op == ">=" else values < float(threshold)
        total += np.where(met, int(points), 0)
    return total, lines


def test_a_printed_risk_score_card_scores_exactly_like_the_model():
    X, y = _money()
    model = RiskScoreClassifier(max_features=4).fit(X, y)
    text = str(model.explain_global())
    hand, lines = _hand_scores(text, X)
    assert np.array_equal(hand, model.decision_function(X))
    for feature, _, threshold, _ in lines:
        # the printed threshold is the model's double, and at / next to it the card still agrees
        assert float(threshold) in [c.value for c in model.conditions_ if c.feature == feature]
        rows = _at_and_next_to(X, feature, float(threshold))
        assert np.array_equal(_hand_scores(text, rows)[0], model.decision_function(rows))


@pytest.mark.parametrize("estimator", [
    BayesianRuleListClassifier(random_state=0), DecisionSetClassifier(random_state=0),
    SparseLinearRegressor(basis="steps", max_thresholds=16), RiskScoreClassifier(max_features=4),
], ids=lambda e: type(e).__name__)
def test_printed_conditions_read_back_as_the_model_thresholds(estimator):
    X, y = _money()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = estimator.fit(X, y if not isinstance(estimator, SparseLinearRegressor) else y + X["ratio"])
    explanation = model.explain_global()
    text = explanation.to_text(max_terms=None) if hasattr(explanation, "terms") else str(explanation)
    conditions = {c for c in _conditions_of(explanation) if c.op in (">=", "<")}
    assert conditions, "no numeric condition: the test would check nothing"
    for condition in conditions:
        printed = str(condition)
        assert printed in text
        feature, op, number = printed.rsplit(" ", 2)
        assert (feature, op) == (condition.feature, condition.op)
        assert float(number) == condition.value, printed
        assert "e" not in number.lower() or abs(condition.value) >= 1e15
        # a condition read from its printout decides every value at and next to the threshold alike
        parsed = Condition(feature, op, float(number))
        values = np.array([np.nextafter(condition.value, -np.inf), condition.value,
                           np.nextafter(condition.value, np.inf)])
        assert np.array_equal(parsed.evaluate_column(values), condition.evaluate_column(values))


def _conditions_of(explanation):
    if hasattr(explanation, "rules"):
        return [c for rule in explanation.rules for c in rule.conditions]
    if hasattr(explanation, "terms"):
        return [t.condition for t in explanation.terms if t.condition is not None]
    return list(explanation.conditions)


def test_step_term_names_are_distinct_and_exact():
    X, y = _money()
    model = SparseLinearRegressor(basis="steps", max_thresholds=32).fit(X[["balance"]], X["balance"] % 7)
    names = model.term_names_
    assert len(set(names)) == len(names)
    for term in model.explain_global().terms:
        if term.threshold is not None:
            assert float(term.name.rsplit(" ", 1)[1]) == term.threshold


def test_bin_labels_show_the_exact_edges():
    X, y = _money()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a short fit is enough: only its bin edges are read
        model = GAMRegressor(interactions=0, outer_bags=1, max_rounds=30, random_state=0).fit(X, y)
    for term in model.explain_global().terms:
        bins = term.bins[0]
        if bins.kind != "numeric" or len(bins.thresholds) < 2:
            continue
        labels = bins.bin_labels()
        inner = [re.fullmatch(r"\[(\S+), (\S+)\)", label).groups() for label in labels[1:-2]]
        ends = [float(labels[0][2:])] + [float(b) for _, b in inner]
        assert np.array_equal(ends, bins.thresholds)
        assert all(float(a) < float(b) for a, b in inner), "a bin whose printed ends are equal"


@pytest.mark.parametrize("value, text", [
    (357961.76, "357961.76"), (1000178.87, "1000178.87"), (0.1, "0.1"), (2.0, "2"), (-3.0, "-3"),
    (1 / 3, "0.3333333333333333"), (123456789012.5, "123456789012.5"), (0.00012345, "0.00012345"),
    (1e-05, "1e-05"), (2e20, "2e+20"), (np.float64(85082.18), "85082.18"), (7, "7"), ("a", "a"),
    # from 1e15 on the exponent form, as above 1e16 (repr alone wrote 1024800000000000.0 below 1e16)
    (1.0248e15, "1.0248e+15"), (-1e15, "-1e+15"), (9007199254740994.0, "9.007199254740994e+15"),
    (973800000000000.0, "973800000000000"),
])
def test_format_value_is_exact_and_plain(value, text):
    assert format_value(value) == text
    if not isinstance(value, str):
        assert float(format_value(value)) == value


def test_feature_bins_with_close_thresholds_print_distinct_edges():
    bins = FeatureBins("balance", "numeric", thresholds=np.array([1000006.33, 1000006.34, 1000013.96]))
    assert bins.bin_labels() == ["< 1000006.33", "[1000006.33, 1000006.34)", "[1000006.34, 1000013.96)",
                                 ">= 1000013.96", "missing"]
