"""Printed counts take the noun's number: ``1 more row``, ``2 more rows``; a card's ``+1 point``, ``1 point``."""

import numpy as np
import pandas as pd
import pytest

from glassbox import RiskScoreClassifier
from glassbox.explain import CoefficientTable, Link, LinearTerm, LocalExplanation, reason_codes


def _local(n_rows, n_terms):
    names = [f"x{i}" for i in range(n_terms)]
    return LocalExplanation(
        model="M", term_names=names, base_value=np.array(0.0), contributions=np.ones((n_rows, n_terms)),
        feature_names=names, feature_values=np.ones((n_rows, n_terms)), decision=np.full(n_rows, float(n_terms)),
        prediction=np.full(n_rows, float(n_terms)), link=Link("identity"))


@pytest.mark.parametrize("hidden, rows, terms, features", [(1, "1 more row ", "1 more term ", "1 more feature)"),
                                                           (2, "2 more rows ", "2 more terms ", "2 more features)")])
def test_the_lines_that_say_what_is_not_shown(hidden, rows, terms, features):
    text = _local(n_rows=5 + hidden, n_terms=12 + hidden).to_text(max_rows=5, max_terms=12, max_features=12)
    assert rows in text and terms in text and features in text, text
    n = 30 + hidden
    table = CoefficientTable(
        model="M", feature_names=[f"x{i}" for i in range(n)], link=Link("identity"), base_value=1.0,
        terms=[LinearTerm(f"x{i}") for i in range(n)], coefficients=np.arange(1.0, n + 1),
        standardized_coefficients=np.arange(1.0, n + 1), constraints=np.zeros(n))
    assert f"... {terms}(to_text(max_terms=None)" in table.to_text(max_terms=30)


def test_a_card_of_one_point_conditions_says_point():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.integers(0, 3, 400).astype(float), "b": rng.normal(size=400)})
    y = np.where(rng.random(400) < 1 / (1 + np.exp(-(X["a"] - 1 + X["b"]))), "yes", "no")
    X.loc[::5, "a"] = np.nan
    card = RiskScoreClassifier(max_features=2, points_range=(-1, 1), pos_label="yes").fit(X, y)
    assert set(np.abs(card.points_)) == {1}, card.points_
    rows = X.iloc[:20]
    codes = reason_codes(card, rows, reference=X, adverse="no")
    text = codes.to_text(max_rows=None)
    assert ": 1 point toward no compared with" in text, text
    assert "1 points" not in text
    missing = [line for line in text.splitlines() if "not earned; had it held" in line]
    notes = " ".join(card.explain_local(rows).notes)
    # a missing value left the one-point condition on a unearned where no reason named it
    assert missing and all("-1 point not earned; had it held, 1 point toward no" in line for line in missing), missing
    assert "point) not earned: a is missing" in notes and "points) not earned" not in notes
