"""CoefficientIntervalDisplay: the note naming the terms at zero stays apart from the axis label in the alt text."""

import numpy as np
import pandas as pd

from glassbox import SparseLinearRegressor
from glassbox.plotting import CoefficientIntervalDisplay


def _report_with_a_dropped_term():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"temp": rng.uniform(size=400), "season": pd.Categorical(rng.choice(["fall", "spring", "summer"], 400))})
    counts = rng.poisson(np.exp(1.0 + 1.5 * X["temp"] + 0.4 * (X["season"] == "fall")))
    model = SparseLinearRegressor(loss="poisson", alpha=0.0).fit(X, counts)
    return model, X, counts


def test_relativity_axis_and_dropped_note_read_as_two_statements():
    model, X, counts = _report_with_a_dropped_term()
    display = CoefficientIntervalDisplay.from_estimator(model, X, counts, relativity=True)
    dropped = [term for term in model.explain_global().term_names if term not in display.terms_]
    assert dropped  # the reference level, at zero in the fit
    # the axis says "log scale"; the note under it must not read as "log scale at zero"
    assert "log scale at zero" not in display.alt_text_
    assert f"(at zero, no interval: {', '.join(dropped)})" in display.alt_text_
    assert f"(at zero, no interval: {', '.join(dropped)})" in display.ax_.get_xlabel()
