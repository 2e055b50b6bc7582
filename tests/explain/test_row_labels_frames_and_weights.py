"""Row labels, frames and weights of local explanations and reason codes.

A repeated index is warned of once, where the labels are shown; a repeated
MultiIndex tabulates; a rule model's frame keeps the rule that decided at 0;
a risk score's frame keeps the unearned conditions no reason names; and 0/1
weights only leave rows out, so the counts stay numbers of rows.
"""

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import BayesianRuleListClassifier, GAMClassifier, RiskScoreClassifier, SparseLinearClassifier
from glassbox.explain import reason_codes
from glassbox.explain._class_weight import sample_weighted
from glassbox.surrogate import fidelity_report


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    n = 120
    X = pd.DataFrame({"age": rng.normal(45, 10, n), "income": rng.normal(50, 15, n)})
    y = ((X["age"] - 45) / 10 + (X["income"] - 50) / 15 + rng.logistic(size=n) > 0).astype(int).to_numpy()
    return SparseLinearClassifier().fit(X, y), X, y


def _repeated_label_warnings(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [w for w in caught if "repeats labels" in str(w.message)]


def test_reason_codes_warn_once_of_the_explained_rows_repeated_index(fitted):
    model, X, _ = fitted
    batches = pd.concat([X.iloc[:5], X.iloc[:5]])  # 5 labels twice
    codes, caught = _repeated_label_warnings(lambda: reason_codes(model, batches, reference=X, adverse=1))
    assert len(caught) == 1
    assert codes.explanation.row_labels[5] == "0 (position 5)"


def test_a_repeated_reference_index_is_not_warned_of(fitted):
    model, X, _ = fitted
    reference = pd.concat([X, X])  # a training set built with pd.concat: its labels are never shown
    codes, caught = _repeated_label_warnings(lambda: reason_codes(model, X.iloc[:3], reference=reference, adverse=1))
    assert caught == []
    assert codes.n_reference == 2 * len(X)
    # outside reason codes the switch is off again
    _, caught = _repeated_label_warnings(lambda: model.explain_local(reference))
    assert len(caught) == 1


def test_a_multiindex_that_repeats_a_label_tabulates(fitted):
    model, X, _ = fitted
    rows = X.iloc[:4].copy()
    rows.index = pd.MultiIndex.from_tuples([("n", 1), ("n", 1), ("s", 2), ("s", 3)], names=["region", "n"])
    with pytest.warns(UserWarning, match="repeats labels"):
        local = model.explain_local(rows)
    assert local.row_labels[1] == "(n, 1) (position 1)"
    frame = local.to_frame()
    assert frame.index.nlevels == 1 and frame.index.unique().size == 4
    assert frame.index[0] == "(n, 1) (position 0)"
    with pytest.warns(UserWarning, match="repeats labels"):
        codes = reason_codes(model, rows, reference=X, adverse=1)
    reasons = codes.to_frame()
    assert set(reasons.index) <= set(local.row_labels) and len(reasons) > 0
    # the position finds the row: join on it
    joined = frame.join(rows.reset_index(drop=True), on="row")
    assert joined["age"].notna().all()


def test_drop_zeros_keeps_the_rule_that_decided_at_probability_one_half():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"age": rng.integers(18, 80, 300).astype(float)})
    model = BayesianRuleListClassifier(max_rules=1, random_state=0).fit(X, X["age"] >= 50)
    local = model.explain_local(X.iloc[:6])
    fired = local.decision_path.fired
    contributions = local.contributions.copy()
    contributions[np.arange(len(fired)), fired] = 0.0  # every deciding rule at P = 0.5
    even = dataclasses.replace(local, contributions=contributions, decision=np.zeros(len(fired)))
    for include_base in (False, True):
        frame = even.to_frame(include_base=include_base, drop_zeros=True)
        deciding = frame[frame["term"] != "base value"]
        assert deciding["row"].tolist() == list(range(len(fired)))
        assert deciding["term"].tolist() == [even.term_names[j] for j in fired]
        assert (deciding["contribution"] == 0).all()
    # the other rules, at 0, are still dropped
    assert len(local.to_frame(drop_zeros=True)) == len(fired)


def test_zero_one_weights_are_unweighted(fitted):
    assert not sample_weighted(None)
    assert not sample_weighted(np.array([1.0, 0.0, 1.0, 0.0]))
    assert not sample_weighted(np.ones(3))
    assert sample_weighted(np.array([1.0, 0.0, 2.0]))
    assert not sample_weighted(np.zeros(3))

    model, X, y = fitted
    mask = (np.arange(len(y)) % 4 != 0).astype(float)  # a fold: every fourth row left out
    card = RiskScoreClassifier(max_features=2).fit(X, y, sample_weight=mask).explain_global()
    assert not card.sample_weighted and "weighted count" not in str(card)

    student = GAMClassifier(interactions=0, outer_bags=1, random_state=0).fit(X, y)
    report = fidelity_report(model, student, X, sample_weight=mask)
    assert report.total_weight is None and report.n_samples == int(mask.sum())
    weighted = fidelity_report(model, student, X, sample_weight=mask * 2)
    assert weighted.total_weight == pytest.approx(2 * mask.sum())
