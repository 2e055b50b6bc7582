"""The tabular layer records which columns are boolean, at fit, and shows their rows as False / True."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from glassbox.explain._columns import ObjectRows
from glassbox.utils import tabular
from glassbox.utils.binning import FeatureBinner
from glassbox.utils.conditions import ConditionGenerator
from glassbox.utils.tabular import validate_tabular


class Reader(BaseEstimator):
    """The smallest estimator validate_tabular can record fitted attributes on."""


def _frame():
    return pd.DataFrame({
        "smoker": [True, False, True, False],
        "insured": pd.array([True, None, False, True], dtype="boolean"),
        "visits": [0, 1, 1, 0],  # integers 0/1: a count, not a flag
        "group": pd.Categorical(["a", "b", "a", "b"]),
    })


def test_boolean_dtypes_are_recorded_at_fit_only():
    reader = Reader()
    table = validate_tabular(reader, _frame(), reset=True)
    assert reader.is_boolean_.tolist() == [True, True, False, False]
    assert table.is_boolean.tolist() == [True, True, False, False]
    # at predict time the fitted fact holds, whatever dtype the flag arrives in
    as_numbers = _frame().astype({"smoker": float, "insured": object})
    later = validate_tabular(reader, as_numbers, reset=False)
    assert later.is_boolean.tolist() == [True, True, False, False]
    np.testing.assert_array_equal(later.numeric[:, :3], table.numeric[:, :3])


@pytest.mark.parametrize("lazy", [False, True])
def test_rows_show_flags_as_booleans(monkeypatch, lazy):
    if lazy:
        monkeypatch.setattr(tabular, "LAZY_ROWS_MIN_CELLS", 1)
    table = validate_tabular(Reader(), _frame(), reset=True)
    rows = table.rows_as_objects()
    values = np.asarray(rows[:, :3].tolist() if not lazy else rows[:, :3], dtype=object)
    assert [type(v) for v in values[0]] == [bool, bool, float]
    assert values[:, 0].tolist() == [True, False, True, False]
    assert values[0, 1] is True and pd.isna(values[1, 1]) and values[2, 1] is False
    assert values[:, 2].tolist() == [0.0, 1.0, 1.0, 0.0]
    assert rows[:, 3].tolist() == ["a", "b", "a", "b"]


def test_object_rows_single_row_and_cells_match_the_table():
    numeric = np.array([[1.0, 2.0], [0.0, np.nan], [np.nan, 3.0]])
    rows = ObjectRows(numeric, {}, boolean=[0])
    whole = rows.to_objects()
    assert whole[:, 0][:2].tolist() == [True, False] and np.isnan(whole[2, 0])
    assert rows.take(1)[0] is False and rows.take(1)[1] != rows.take(1)[1]
    cells = rows.take_cells([0, 1, 2, 0], [0, 0, 1, 1])
    assert cells[0] is True and cells[1] is False and cells[2:].tolist() == [3.0, 2.0]


def test_binner_and_conditions_of_a_flag():
    X = _frame()
    binner = FeatureBinner().fit(X)
    assert [b.boolean for b in binner.bins_] == [True, True, False, False]
    assert binner.bins_[0].bin_labels() == ["False", "True", "missing"]
    assert binner.bins_[2].bin_labels() == ["< 1", ">= 1", "missing"]
    names = ConditionGenerator().fit(X).condition_names_
    assert names[:5] == ["smoker", "not smoker", "insured", "not insured", "insured is missing"]
    assert "visits >= 1" in names
