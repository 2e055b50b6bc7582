"""CoefficientIntervalDisplay: the note naming the terms at zero stays apart from the axis label in the alt text."""

import numpy as np
import pandas as pd
import pytest

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
    assert dropped == ["season == spring"]  # the reference level, at zero in the fit, read against
    # the axis says "log scale"; the note under it must not read as "log scale levels read against"
    assert "log scale levels" not in display.alt_text_ and "at zero" not in display.alt_text_
    assert "(levels read against season == spring)" in display.alt_text_
    assert "(levels read against season == spring)" in display.ax_.get_xlabel()


def test_a_term_at_zero_and_a_base_level_are_two_notes():
    model, X, counts = _report_with_a_dropped_term()
    X = X.assign(noise=np.random.default_rng(1).uniform(size=len(X)))
    subset = SparseLinearRegressor(loss="poisson", alpha=0.0, penalty="l0", max_features=2).fit(X, counts)
    with pytest.warns(UserWarning, match="chosen among"):
        display = CoefficientIntervalDisplay.from_estimator(subset, X, counts, relativity=True)
    # summer, left out by the selection, is at zero beside the base level spring; the base is read against
    assert "(at zero, no interval: season == summer, noise)" in display.alt_text_
    assert "(levels read against season == spring)" in display.alt_text_
