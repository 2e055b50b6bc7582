"""One model, one printed card: spellings of a card that give every row the same risk resolve one way."""

import numpy as np

from glassbox import RiskScoreClassifier
from glassbox.scoring._integer_search import IntegerSolution
from glassbox.scoring._search_driver import _simplest


def _card(support, points, intercept, loss):
    return IntegerSolution(support=tuple(support), points=np.array(points), intercept=intercept, multiplier=1.0,
                           loss=loss)


def test_complement_spellings_tied_in_their_points_resolve_the_same_whichever_comes_first():
    # "x >= t: +3, z >= s: -2" and "x < t: -3, z < s: +2" with moved intercepts: one model, losses a few bits apart
    one = _card([0, 5], [3, -2], -1, 0.52000000000000002)
    other = _card([1, 4], [-3, 2], 0, 0.52000000000000013)
    complement_of_both = _card([0, 4], [3, 2], -3, 0.52000000000000005)
    for order in ([one, other, complement_of_both], [other, complement_of_both, one],
                  [complement_of_both, one, other]):
        assert _simplest(order) is complement_of_both  # no negative points
    assert _simplest([one, other]).key == _simplest([other, one]).key
    # smaller points still come first, as before
    smaller = _card([2], [1], 0, 0.52000000000000009)
    assert _simplest([one, other, smaller]) is smaller


def test_integer_weights_and_repeated_rows_print_the_same_card(read_shared_csv):
    frame = read_shared_csv("heart.csv").dropna().reset_index(drop=True)
    y = frame.pop("heart_disease").to_numpy()
    weights = np.random.RandomState(1).randint(1, 4, len(y))
    repeated = np.repeat(np.arange(len(y)), weights)
    weighted = RiskScoreClassifier().fit(frame, y, sample_weight=weights.astype(float)).explain_global()
    copies = RiskScoreClassifier().fit(frame.iloc[repeated].reset_index(drop=True), y[repeated]).explain_global()
    assert [str(c) for c in weighted.conditions] == [str(c) for c in copies.conditions]
    assert list(weighted.points) == list(copies.points)
