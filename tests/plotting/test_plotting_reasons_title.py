"""ReasonCodesDisplay: the row's label and the gap in the title read apart on one line (the alt text)."""

import numpy as np
import pandas as pd

from glassbox import GAMClassifier, reason_codes
from glassbox.plotting import ReasonCodesDisplay


def test_row_label_and_gap_are_not_run_together():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"debt_ratio": rng.uniform(0, 1, 300), "years": rng.integers(0, 30, 300)})
    y = np.where(rng.random(300) < 1 / (1 + np.exp(-(3 * X.debt_ratio - 0.1 * X.years))), "bad", "good")
    model = GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, y)
    codes = reason_codes(model, X.iloc[:3], reference=X, adverse="bad")
    display = ReasonCodesDisplay.from_reason_codes(codes, row=1)
    title = display.ax_.get_title()
    first, second = title.split("\n")
    assert first == "Reasons for row 1:"  # "row 1 1.83 log-odds short" read as row 11.83 once on one line
    assert second.endswith("short of the best reference profile")
    assert display.alt_text_.startswith(f"Reasons for row 1: {second}.")
