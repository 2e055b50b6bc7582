"""Class weights that make the classes' totals equal (``class_weight="balanced"``) tie them exactly.

The totals are sums of floating-point weights, so equal totals can differ in
their last bit (six rows of weight 2/3 sum to 3.9999999999999996, two of
weight 2 to 4).  A tie must still be settled as documented, by the class whose
first row comes first, not by that rounding.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import DecisionSetClassifier
from glassbox.rules._decision_set_rules import class_preference, likeliest_class


def _no_rules_data(n_first, n_second):
    """A constant feature (no rule can split it), ``n_first`` rows of "yes" before ``n_second`` of "no"."""
    X = pd.DataFrame({"x": np.zeros(n_first + n_second)})
    y = np.array(["yes"] * n_first + ["no"] * n_second)
    return X, y


@pytest.mark.parametrize("n_first, n_second", [(6, 2), (7, 2), (2, 6), (5, 3), (10, 3)])
def test_balanced_default_goes_to_the_class_met_first(n_first, n_second):
    X, y = _no_rules_data(n_first, n_second)
    with pytest.warns(UserWarning):  # the set keeps no rule
        model = DecisionSetClassifier(class_weight="balanced", random_state=0).fit(X, y)
    assert list(model.classes_[model.class_order_]) == ["yes", "no"]
    assert model.default_rule_.predicted_class == "yes"
    assert np.all(model.predict(X) == "yes")
    assert np.array_equal(model.predict_proba(X[:1]), [[0.5, 0.5]])


def test_class_preference_ignores_rounding_of_equal_totals():
    for n_first in range(2, 40):
        for n_second in range(2, 40):
            y = np.r_[np.ones(n_first, dtype=np.intp), np.zeros(n_second, dtype=np.intp)]
            weights = np.where(y == 1, (n_first + n_second) / (2 * n_first), (n_first + n_second) / (2 * n_second))
            assert class_preference(y, weights, 2)[0] == 1, (n_first, n_second)


def test_likeliest_class_reads_totals_equal_but_for_rounding_as_tied():
    counts = np.array([4.0, 6 * (2 / 3)])  # 4 and 3.9999999999999996
    assert likeliest_class(counts, np.array([1, 0])) == 1
    assert likeliest_class(np.array([4.0, 3.9]), np.array([1, 0])) == 0


def test_candidate_covering_balanced_classes_equally_is_dropped(monkeypatch):
    # 12 rows of "yes" (weight 2/3 each under balanced) and 4 of "no" (weight 2); each level of "risky" covers 6
    # and 2: 3.9999999999999996 against 4, an exact tie, so no class is the candidate's own and it is dropped
    import glassbox.rules.decision_set as decision_set

    pools = []
    build = decision_set.candidate_pool
    monkeypatch.setattr(decision_set, "candidate_pool", lambda *a, **k: pools.append(build(*a, **k)) or pools[-1])
    y = np.array(["yes"] * 6 + ["no"] * 2 + ["yes"] * 6 + ["no"] * 2)
    X = pd.DataFrame({"risky": ["yes"] * 8 + ["no"] * 8})
    model = DecisionSetClassifier(class_weight="balanced", random_state=0, min_support=0.01, max_rule_len=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the set keeps no rule, and may say so
        model.fit(X, y)
    assert pools and all(len(pool.index) == 0 for pool in pools), [pool.class_weights for pool in pools]
    assert model.rules_ == ()


def test_conflict_order_reads_precisions_equal_but_for_rounding_as_tied():
    from glassbox.rules._decision_set_rules import conflict_order

    # a rule covering 2 rows of weight 2/3 and 5 of weight 2 has precision 2/17 for the first class, which the
    # weights' sums give as 0.1176470588235294 and the counts as 0.11764705882352941
    precision = [(2 / 3 + 2 / 3) / (2 / 3 + 2 / 3 + 5 * 2.0), 2 / 17]
    assert precision[0] != precision[1]
    # a tie in precision and support goes to fewer conditions, then to the text
    assert list(conflict_order(precision, [8.0, 8.0], [1, 1], ["age >= 30", "income < 10"])) == [0, 1]
    assert list(conflict_order(precision, [8.0, 8.0], [2, 1], ["age >= 30", "income < 10"])) == [1, 0]
    assert list(conflict_order([0.1, 2 / 17], [8.0, 8.0], [1, 1], ["age >= 30", "income < 10"])) == [1, 0]
