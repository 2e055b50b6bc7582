"""A teacher class that no training row of positive weight carries is refused by name."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from glassbox import DistilledClassifier, SparseLinearClassifier


@pytest.mark.parametrize("target", ["probabilities", "labels"])
def test_a_class_held_only_by_weightless_rows_is_named(target):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] > 0).astype(int)
    y[:10] = 7  # a label the teacher keeps in classes_ although its rows weigh nothing
    weights = np.ones(len(y))
    weights[:10] = 0.0
    model = DistilledClassifier(HistGradientBoostingClassifier(max_iter=20, random_state=0),
                                student=SparseLinearClassifier(), target=target)
    with pytest.raises(ValueError) as refusal:
        model.fit(X, y, sample_weight=weights)
    message = str(refusal.value)
    assert "knows the classes [0, 1, 7]" in message and "no weight to [7]" in message
    assert "np.int64" not in message
    # only a copy of labels is told to copy probabilities instead
    assert ("target='probabilities'" in message) == (target == "labels")
