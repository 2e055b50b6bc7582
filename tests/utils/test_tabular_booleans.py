"""The tabular layer records which columns are boolean, at fit, and shows their rows as False / True."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from glassbox.explain._columns import ObjectRows
from glassbox.utils import binning, tabular
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
    assert [type(v) for v in values[0]] == [bool, bool, int]  # an int column of 0/1: numbers, as it holds them
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


def _flag_frame(n=3000):
    return pd.DataFrame({"smoker": np.arange(n) % 3 == 0, "age": np.arange(n, dtype=float), "insured": np.arange(n) % 2 == 0})


@pytest.mark.parametrize("form", ["float", "object", "Int64", "C array", "F array"])
def test_values_other_than_flags_are_refused_by_name(monkeypatch, form):
    monkeypatch.setattr(tabular, "_FLAG_CHECK_CELLS", 64)  # many slabs: the bad rows are in later ones
    reader = Reader()
    X = _flag_frame()
    validate_tabular(reader, X, reset=True)
    odd = X.astype({"smoker": float, "insured": float})
    odd.loc[[2500, 2900], "smoker"] = [2.0, -1.0]
    odd.loc[2999, "insured"] = 0.5
    if form == "object":
        odd = odd.astype({"smoker": object})
    elif form == "Int64":
        odd = odd.assign(smoker=odd["smoker"].astype("Int64"))
    elif form.endswith("array"):
        reader = Reader()
        validate_tabular(reader, X.to_numpy().astype(bool), reset=True)  # NumPy bools: all three are flags
        odd = odd.assign(age=1.0).to_numpy(dtype=float)
        odd = np.asfortranarray(odd) if form == "F array" else np.ascontiguousarray(odd)
    with pytest.raises(ValueError) as error:
        validate_tabular(reader, odd, reset=False)
    smoker, insured = ("smoker", "insured") if "array" not in form else ("x0", "x2")
    assert f"'{smoker}' (-1, 2), '{insured}' (0.5)" in str(error.value)
    assert f"fitted on boolean columns '{smoker}', '{insured}'; pass True/False (or 0/1)" in str(error.value)


def test_forms_a_flag_accepts_and_text_it_refuses():
    reader = Reader()
    X = _flag_frame(6)
    reference = validate_tabular(reader, X, reset=True).numeric
    forms = [
        X.astype({"smoker": float}),
        X.astype({"smoker": object}),
        X.assign(smoker=X["smoker"].astype("Int64")),
        X.assign(smoker=pd.array(X["smoker"], dtype="boolean")),
    ]
    for form in forms:
        np.testing.assert_array_equal(validate_tabular(reader, form, reset=False).numeric, reference)
    missing = validate_tabular(reader, X.assign(smoker=[True, None, np.nan, pd.NA, False, 1]), reset=False)
    assert np.isnan(missing.numeric[1:4, 0]).all()
    with pytest.raises(ValueError, match=r"'smoker' was a boolean column .* holds text \('0', '1'\)"):
        validate_tabular(reader, X.assign(smoker=[1, 0, "0", "1", 0, "0"]), reset=False)  # text is never a number
    reader = Reader()
    validate_tabular(reader, _frame(), reset=True)
    with pytest.raises(ValueError, match=r"'smoker' was a boolean column when the model was fitted but now holds "
                                         r"text \('False', 'True'\)"):
        validate_tabular(reader, _frame().astype({"smoker": str}), reset=False)
    with pytest.raises(ValueError, match="'visits' was numeric when the model was fitted"):
        validate_tabular(reader, _frame().astype({"visits": str}).assign(visits="many"), reset=False)


def test_sparse_rows_of_a_model_fitted_on_flags():
    sparse = pytest.importorskip("scipy.sparse")
    reader = Reader()
    validate_tabular(reader, np.array([[True, 3.0], [False, 4.0]], dtype=object).astype(bool), reset=True)
    for fmt in ("csr", "csc"):
        good = sparse.random(50, 2, density=0.5, format=fmt, random_state=0)
        good.data[:] = 1.0
        validate_tabular(reader, good, reset=False, accept_sparse=True)
        bad = good.copy()
        bad.data[-1] = 2.0
        with pytest.raises(ValueError, match=r"'x\d' \(2\)"):
            validate_tabular(reader, bad, reset=False, accept_sparse=True)


def test_transformers_refuse_values_other_than_flags():
    X = _frame()
    odd = X.assign(smoker=[1.0, 0.0, 2.0, 1.0])
    for transformer in (FeatureBinner().fit(X), ConditionGenerator().fit(X)):
        with pytest.raises(ValueError, match=r"'smoker' \(2\)"):
            transformer.transform(odd)


def test_boolean_named_categorical_keeps_false_and_true_levels():
    X = _frame()
    binner = FeatureBinner(categorical_features=["smoker", "insured"]).fit(X)
    assert [type(v) for v in binner.bins_[0].categories] == [bool, bool]
    assert binner.bins_[0].bin_labels()[:2] == ["False", "True"]
    assert [type(v) for v in binner.bins_[1].categories] == [bool, bool]  # pd.NA is missing, not a level
    expected = binner.transform(X)
    for form in (X.astype({"smoker": float}), X.astype({"smoker": object}), X.assign(smoker=[1, 0, 1, 0])):
        np.testing.assert_array_equal(binner.transform(form), expected)
    assert ConditionGenerator(categorical_features=["smoker"]).fit(X).condition_names_[:2] == [
        "smoker == False", "smoker == True"]
    # a flag's levels are looked up by Python equality, whatever pandas makes of booleans among numbers
    values = np.array([True, False, 1.0, 0, np.nan, "1"], dtype=object)
    for categories in ([False, True], [0.0, 1.0]):  # the second: a model fitted before bool levels were kept
        codes = binning.level_codes(np.array(categories, dtype=object), values, unseen_bin=9)
        assert codes.tolist() == [1, 0, 1, 0, 9, 9]


def test_polars_as_pandas_keeps_a_flag_with_nulls_a_flag():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"smoker": [True, None, False, True], "plain": [True, False, False, True]})
    converted = tabular.polars_as_pandas(frame)
    assert str(converted["smoker"].dtype) == "boolean" and converted["plain"].dtype == bool
    assert converted["smoker"].isna().tolist() == [False, True, False, False]
    on_polars, on_pandas = Reader(), Reader()
    direct = validate_tabular(on_polars, frame, reset=True)
    through = validate_tabular(on_pandas, converted, reset=True)
    assert on_pandas.is_boolean_.tolist() == on_polars.is_boolean_.tolist() == [True, True]
    np.testing.assert_array_equal(through.numeric, direct.numeric)


def test_object_columns_of_true_false_are_flags():
    flags = [True, None, False, np.True_, np.nan, False]
    frame = pd.DataFrame({"smoker": pd.Series(flags, dtype=object), "kind": ["a", True, "b", "a", None, "b"],
                          "levels": pd.Categorical([True, False] * 3)})
    reader = Reader()
    table = validate_tabular(reader, frame, reset=True)
    # True / False objects read as a bool column does; mixed with text, or a declared category, stay categories
    assert reader.is_boolean_.tolist() == [True, False, False]
    assert reader.is_categorical_.tolist() == [False, True, True]
    np.testing.assert_array_equal(table.numeric[:, 0], [1.0, np.nan, 0.0, 1.0, np.nan, 0.0])
    array = np.array([[True, 1.5], [False, 2.5], [None, 3.5]], dtype=object)
    reader = Reader()
    np.testing.assert_array_equal(validate_tabular(reader, array, reset=True).numeric[:, 0], [1.0, 0.0, np.nan])
    assert reader.is_boolean_.tolist() == [True, False]
    named = Reader()
    levels = validate_tabular(named, frame[["smoker"]], reset=True, categorical_features=["smoker"]).categorical[0]
    assert [type(v) for v in levels if v is not None and v == v] == [bool] * 4
