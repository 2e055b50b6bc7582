"""The warning naming classes no rule predicts writes number labels as numbers: [9], not ['9']."""

import numpy as np
import pytest

from glassbox import DecisionSetClassifier


@pytest.mark.parametrize("rare, shown", [(9, r"\[9\]"), (-1, r"\[-1\]"), ("total loss", r"\['total loss'\]")])
def test_the_rare_class_is_named_as_its_label(rare, shown):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    common = (5, 6) if not isinstance(rare, str) else ("none", "small")
    y = np.where(X[:, 0] > 0, common[0], common[1]).astype(object)
    y[:6] = rare  # 2 % of the rows: below min_support, so no rule can predict it
    y = y.astype(type(common[0]))
    with pytest.warns(UserWarning, match=r"Classes " + shown + " can only be predicted as the default"):
        DecisionSetClassifier(min_support=0.05, max_rules=5, random_state=0).fit(X, y)


def test_constant_features_are_named_as_the_reason_no_rule_predicts_a_class():
    # the warning blamed min_support ("no conjunction of conditions covers min_support=0.05") and advised lowering
    # it, when no feature yields a condition at all
    X = np.column_stack([np.ones(40), np.zeros(40)])
    y = np.tile([0, 1], 20)
    with pytest.warns(UserWarning, match="Classes") as record:
        DecisionSetClassifier(random_state=0).fit(X, y)
    text = str(record[0].message)
    assert "no feature yields a condition" in text and "constant" in text
    assert "Lower min_support" not in text
