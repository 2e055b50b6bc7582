"""RiskScoreClassifier with missing values: the local notes name the conditions a missing value left
unearned from the rows the explanation bins once, and reason codes say when a missing value moved the score."""

import numpy as np
import pandas as pd
import pytest

import glassbox.scoring.risk_score as risk_score_module
from glassbox import RiskScoreClassifier
from glassbox.explain.scorecard import points_text
from glassbox.explain import reason_codes


@pytest.fixture(scope="module")
def card_with_missing():
    rng = np.random.RandomState(0)
    n = 600
    X = pd.DataFrame({"age": rng.uniform(30, 80, n), "vessels": rng.randint(0, 4, n).astype(float),
                      "chest_pain": rng.randint(1, 5, n).astype(float)})
    logit = 0.06 * (X["age"] - 55) + 0.9 * X["vessels"] + 0.8 * (X["chest_pain"] == 4) - 1.2
    y = np.where(rng.rand(n) < 1 / (1 + np.exp(-logit)), "disease", "healthy")
    for column in X:
        X.loc[rng.rand(n) < 0.1, column] = np.nan
    model = RiskScoreClassifier(max_features=4, pos_label="disease").fit(X, y)
    return model, X, y


def _expected_notes(model, X):
    """The note's missing-value part of each row, read from the raw values and the card."""
    texts = []
    for _, row in X.iterrows():
        text = ""
        for condition, points in zip(model.conditions_, model.points_):
            if condition.op != "is missing" and pd.isna(row[condition.feature]):
                text += f"; {condition} ({points_text(points)}) not earned: {condition.feature} is missing"
        texts.append(text)
    return texts


def test_notes_name_the_conditions_a_missing_value_left_unearned(card_with_missing):
    model, X, _ = card_with_missing
    notes = model.explain_local(X).notes
    expected = _expected_notes(model, X)
    assert any(expected)
    for note, missing in zip(notes, expected):
        # what follows "(the scorecard's row for SCORE ...)"
        assert note[note.index("(the scorecard's row"):].split(")", 1)[1] == missing


def _count_calls(monkeypatch, name):
    """Wrap ``risk_score_module.<name>`` so that each call is recorded; returns the list of calls."""
    calls = []
    original = getattr(risk_score_module, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(risk_score_module, name, counting)
    return calls


def test_explain_local_bins_the_rows_once(card_with_missing, monkeypatch):
    # the notes read the conditions a missing value left unearned from the prepared rows, not from X again
    model, X, _ = card_with_missing
    calls = _count_calls(monkeypatch, "prediction_codes")
    explanation = model.explain_local(X)
    assert len(calls) == 1
    np.testing.assert_array_equal(explanation.decision, model.decision_function(X))


def test_explain_local_reads_the_unearned_conditions_once(card_with_missing, monkeypatch):
    # the explanation and its notes share one reading of which conditions a missing value left unearned
    model, X, _ = card_with_missing
    calls = _count_calls(monkeypatch, "unearned_missing")
    explanation = model.explain_local(X)
    assert len(calls) == 1
    assert explanation.unearned_missing == _expected_unearned(model, X)
    assert [note[note.index("(the scorecard's row"):].split(")", 1)[1] for note in explanation.notes] == (
        _expected_notes(model, X))


def _expected_unearned(model, X):
    return tuple(
        tuple((str(c), c.feature, int(p)) for c, p in zip(model.conditions_, model.points_)
              if c.op != "is missing" and pd.isna(row[c.feature]))
        for _, row in X.iterrows())


@pytest.mark.parametrize("adverse", ["disease", "healthy"])
def test_reason_codes_say_when_a_missing_value_moved_the_score(card_with_missing, adverse):
    from glassbox.explain import ReasonCodes

    model, X, _ = card_with_missing
    codes = reason_codes(model, X, reference=X, adverse=adverse)
    assert codes.unearned_missing == _expected_unearned(model, X)
    text = codes.to_text(max_rows=None)
    assert "a missing value earns no points for its conditions" in text
    frame = codes.to_frame()
    named_in_a_reason = 0
    for i, unearned in enumerate(codes.unearned_missing):
        block = text.split(f"row {i}: ")[1].split("\nrow ")[0]
        reasons = [codes.names[j] for j in codes.ranked[i] if j >= 0]
        for condition, feature, points in unearned:
            said = f"{feature} is missing: scored as not {condition}"
            if condition in reasons:  # a reason it made: said beside the reason, and in the frame
                named_in_a_reason += 1
                assert any(line.startswith(f"  {reasons.index(condition) + 1}. ") and line.endswith("; " + said)
                           for line in block.splitlines())
                assert said in frame.loc[frame["row"] == i, "missing"].tolist()
            else:  # the score it held down or up, on a line of its own
                toward = "toward" if codes.sign * points < 0 else "away from"
                assert f"  {said} ({points_text(points)} not earned; had it held, " \
                       f"{points_text(abs(points), signed=False)} {toward} " \
                       f"{adverse})" in block
    assert named_in_a_reason > 0 and sum(map(len, codes.unearned_missing)) > named_in_a_reason
    assert ReasonCodes.from_json(codes.to_json()) == codes


def test_reason_codes_of_rows_without_missing_values_are_unchanged(card_with_missing):
    from glassbox.explain import reason_codes

    model, X, _ = card_with_missing
    complete = X.dropna().iloc[:20]
    codes = reason_codes(model, complete, reference=X, adverse="disease")
    assert codes.unearned_missing == ((),) * 20
    assert "is missing" not in codes.to_text(max_rows=None)
    # reasons read from explanations alone say the same: a card's explanation carries what missing values left unearned
    alone = model.explain_local(complete).reason_codes(model.explain_local(X), adverse="disease")
    assert alone.unearned_missing == ((),) * 20 and alone == codes


def test_reason_frame_keeps_unearned_conditions_no_reason_names(card_with_missing):
    model, X, _ = card_with_missing
    codes = reason_codes(model, X, reference=X, adverse="disease")
    frame = codes.to_frame()
    text = codes.to_text(max_rows=None)
    seen = 0
    for i in np.unique(frame["row"]):
        block = text.split(f"row {i}: ")[1].split("\nrow ")[0]
        own_lines = [line.strip() for line in block.splitlines() if line.startswith("  ") and " is missing: " in line
                     and not line.lstrip()[0].isdigit()]
        column = frame.loc[frame["row"] == i, "missing_elsewhere"]
        assert column.nunique() == 1
        assert column.iloc[0] == "; ".join(own_lines)
        seen += bool(own_lines)
    assert seen > 0
