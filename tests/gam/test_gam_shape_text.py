"""The shape table of a term in the GAM printout: a long table elides its middle rows only when that shortens it."""

import numpy as np
import pytest

from glassbox.explain import FeatureBins, ShapeTerm


def _term(n_value_bins):
    bins = FeatureBins("age", "numeric", thresholds=np.arange(1.0, n_value_bins))
    return ShapeTerm(bins=(bins,), scores=np.r_[np.arange(n_value_bins) * 0.5, 0.0])


def _value_lines(text):
    return [line for line in text.splitlines()[3:] if "missing" not in line]


@pytest.mark.parametrize("n_value_bins", [4, 5])
def test_a_table_one_row_longer_than_max_bins_is_shown_whole(n_value_bins):
    # hiding a single row behind a line "... 1 more bins" saves nothing and hides a score
    text = _term(n_value_bins).text(max_bins=n_value_bins - 1)
    assert "more bin" not in text
    assert len(_value_lines(text)) == n_value_bins


def test_a_longer_table_says_how_many_rows_it_hides_in_words_of_the_right_number():
    text = _term(6).text(max_bins=3)
    assert "... 3 more bins" in text and len(_value_lines(text)) == 4
    assert len(_value_lines(_term(6).text(max_bins=None))) == 6


@pytest.mark.parametrize("limits", [{"max_bins": -1}, {"max_bins": 2.5}, {"max_bins": True}, {"max_terms": -2},
                                    {"max_terms": 1.0}])
def test_limits_that_are_not_counts_are_refused_by_name(limits):
    # max_bins=-1 dropped the missing row and counted one bin too many; a float failed deep in a slice
    from glassbox.explain import ShapeFunctions
    from glassbox.explain.links import Link

    shapes = ShapeFunctions(model="GAMRegressor", feature_names=("age",), link=Link("identity"), classes=None,
                            base_value=0.0, terms=(_term(6),))
    (name, value), = limits.items()
    for show in (shapes.to_text, shapes._repr_html_):
        with pytest.raises(ValueError, match=rf"{name} must be a whole number >= 0 or None.*got {value!r}"):
            show(**limits)
    if name == "max_bins":
        with pytest.raises(ValueError, match="max_bins must be a whole number"):
            _term(6).text(max_bins=value)
    assert "... 6 more bins" in shapes.to_text(max_bins=0) and "missing" in shapes.to_text(max_bins=0)
