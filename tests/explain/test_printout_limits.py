"""The limits a printout takes (max_rows, max_terms, max_features, max_bins) are counts: a float, a negative
number, a bool or text is refused by name, by every explanation's text and HTML alike (one check,
``glassbox.explain._checks.check_limit``), not met as a TypeError from a slice deep inside or taken as
"show nothing" (a negative slice bound)."""

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearClassifier, reason_codes


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    model = SparseLinearClassifier(alpha=0.01).fit(X, (X["a"] > 0).astype(int))
    return model, X


def _printers(model, X):
    local = model.explain_local(X.iloc[:3])
    table = model.explain_global()
    reasons = reason_codes(model, X.iloc[:3], reference=X, adverse=0)
    return [(local.to_text, ("max_rows", "max_terms", "max_features")),
            (local._repr_html_, ("max_rows", "max_terms", "max_features")),
            (table.to_text, ("max_terms",)), (table._repr_html_, ("max_terms",)),
            (reasons.to_text, ("max_rows",)), (reasons._repr_html_, ("max_rows",))]


@pytest.mark.parametrize("bad", [2.5, 3.0, -1, True, "3"])
def test_a_limit_that_is_no_count_is_refused_by_name(fitted, bad):
    for printer, names in _printers(*fitted):
        for name in names:
            with pytest.raises(ValueError, match=f"{name} must be a whole number >= 0 or None"):
                printer(**{name: bad})


def test_whole_numbers_numpy_integers_zero_and_none_are_accepted(fitted):
    for printer, names in _printers(*fitted):
        for name in names:
            for good in (0, 2, np.int64(1), None):
                assert printer(**{name: good})


def test_max_features_zero_counts_the_inputs_without_a_stray_comma(fitted):
    model, X = fitted
    text = model.explain_local(X.iloc[:1]).to_text(max_features=0)
    assert "  input: ... (2 more features)\n" in text
    assert "  input: a=" in model.explain_local(X.iloc[:1]).to_text(max_features=1)
