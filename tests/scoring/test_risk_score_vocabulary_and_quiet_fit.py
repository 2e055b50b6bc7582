"""RiskScoreClassifier: one vocabulary for SCORE across card, local text and notes; quiet fit."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from glassbox.explain._render import format_risk_percent
from glassbox.scoring import RiskScoreClassifier


@pytest.fixture(scope="module")
def cancer_card():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return RiskScoreClassifier(max_features=5).fit(X, y), X


def _card_table(card_text):
    """The card's printed SCORE -> risk rows."""
    return {int(s): r for s, r in re.findall(r"^(-?\d+)\s+([<>]?\d+\.\d%)", card_text, flags=re.M)}


def test_the_note_names_the_card_row_that_gives_the_model_risk(cancer_card):
    # The local total is SCORE + intercept; looked up in the card's table it gave the wrong
    # risk for most patients. Each note names the SCORE whose row is the model's risk.
    model, X = cancer_card
    card = str(model.explain_global())
    assert "SCORE = total of points earned" in card and re.search(r"^SCORE\s+risk of 1", card, flags=re.M)
    table = _card_table(card)
    local = model.explain_local(X)
    points = local.contributions.sum(axis=1)
    proba = model.predict_proba(X)[:, 1]
    assert np.any(points + model.intercept_ != points)  # the two numbers differ: the test can fail
    for i, note in enumerate(local.notes):
        score = int(re.search(r"the scorecard's row for SCORE ([-+]\d+)", note).group(1))
        assert score == points[i]
        assert table[score] == format_risk_percent(proba[i])
        assert f"SCORE + intercept ({model.intercept_:+d}) = {int(local.decision[i]):+d} " in note


@pytest.mark.parametrize("pos_label", [None, 0])
def test_a_card_whose_intercept_is_0_adds_no_intercept_in_its_notes(pos_label):
    # "SCORE + intercept (+0) = +5" repeated the SCORE with a +0 a reader took for another number
    X = pd.DataFrame({"d": np.arange(20.0)})
    model = RiskScoreClassifier(pos_label=pos_label).fit(X, [0, 1] * 10)
    assert model.intercept_ == 0  # the test is about such a card
    local = model.explain_local(X)
    for i, note in enumerate(local.notes):
        assert "intercept (+0)" not in note and "(the intercept is 0) -> risk" in note
        score = int(round(model._decision_sign() * local.contributions[i].sum()))
        assert note.startswith(f"SCORE (points earned) {score:+d} (the intercept is 0) -> ")
        assert f"(the scorecard's row for SCORE {score:+d})" in note


def test_the_local_text_calls_the_total_score_plus_intercept(cancer_card):
    model, X = cancer_card
    text = str(model.explain_local(X.iloc[[0]]))
    lines = [line.strip() for line in text.splitlines()]
    base = next(line for line in lines if line.startswith("base value"))
    total = next(line for line in lines if line.startswith("="))
    assert base.split()[:3] == ["base", "value", "(intercept)"] and int(base.split()[-1]) == model.intercept_
    assert total.rsplit(None, 1)[0] == "= SCORE + intercept"
    assert "= score" not in text
    # Exactness is unchanged: base value + contributions == decision_function.
    local = model.explain_local(X)
    np.testing.assert_array_equal(local.base_value + local.contributions.sum(axis=1), model.decision_function(X))



def test_levels_held_only_by_zero_weight_rows_do_not_warn_in_fit():
    rng = np.random.default_rng(0)
    n = 300
    region = rng.choice(["north", "south", "east"], n)
    x = rng.normal(size=n)
    y = (x + (region == "north") + rng.normal(size=n) > 0.5).astype(int)
    X = pd.DataFrame({"x": x, "region": pd.Categorical(region)})
    weight = np.where(region == "east", 0.0, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = RiskScoreClassifier(max_features=3).fit(X, y, sample_weight=weight)
    # At predict time the level is unseen, and the user is told so.
    with pytest.warns(UserWarning, match="not seen in training"):
        model.predict(X)


def test_too_many_levels_names_the_cap_not_a_parameter_the_model_lacks():
    # A risk-score (or GAM) user was told "more than max_categories=254": a parameter they do not have.
    from glassbox.utils import FeatureBinner

    rng = np.random.default_rng(19)
    X = pd.DataFrame({"a": rng.normal(size=1200), "zip": [f"z{i:04d}" for i in range(300)] * 4})
    y = (X.a > 0).astype(int)
    assert "max_categories" not in RiskScoreClassifier().get_params()
    with pytest.raises(ValueError, match=r"'zip' has 300 levels; .*at most 254 levels per categorical feature") as caught:
        RiskScoreClassifier(max_features=2).fit(X, y)
    assert "more than max_categories" not in str(caught.value) and "encode the feature as a number" in str(caught.value)
    # Where the user set a smaller cap, the message names their parameter.
    with pytest.raises(ValueError, match=r"'zip' has 300 levels, more than max_categories=100\. Raise max_categories"):
        FeatureBinner(max_categories=100).fit(X)


def test_the_risk_score_page_shows_the_local_printout_the_code_prints(cancer_card):
    from pathlib import Path

    model, X = cancer_card
    page = (Path(__file__).parents[2] / "docs" / "risk_score.rst").read_text(encoding="utf-8")
    block = page.split("for the first patient of the card\nabove::\n\n", 1)[1].split("\n\n", 1)[0]
    shown = [line.strip() for line in block.splitlines()]
    printed = [line.strip() for line in str(model.explain_local(X.iloc[[0]])).splitlines()]
    start = printed.index(shown[0])
    assert printed[start:start + len(shown)] == shown
