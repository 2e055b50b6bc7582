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
