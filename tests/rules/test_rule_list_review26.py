"""Rule list findings of review 26: printed bounds, refusals that count what overflowed."""

import numpy as np
import pandas as pd

from glassbox import BayesianRuleListClassifier
from glassbox.explain._render import format_open_probability


def test_probabilities_strictly_inside_0_1_never_print_as_0_or_1():
    assert [format_open_probability(p) for p in (0.99977, 0.991, 6.68e-05, 0.99995, 0.9999999, 0.0, 1.0)] == [
        "0.9998", "0.991", "6.68e-05", "0.99995", ">0.999999", "0", "1"]
    # a rule that decides 120 rows, all of class 1: posterior Beta(121, 1), 97.5% bound 0.99979
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": np.r_[np.full(120, 5.0), rng.normal(size=180)], "b": rng.normal(size=300)})
    y = np.r_[np.ones(120, int), (rng.random(180) < 0.3).astype(int)]
    model = BayesianRuleListClassifier(random_state=0).fit(X, y)
    highs = model.rule_intervals_[:, 1, 1]
    assert (highs > 0.9995).any() and (highs < 1).all(), highs
    explanation = model.explain_global()
    for text in (str(explanation), explanation._repr_html_()):
        assert "0.9998]" in text and ", 1]" not in text, text
