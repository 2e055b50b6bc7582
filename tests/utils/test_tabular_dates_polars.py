"""validate_tabular on dates held as objects, and on polars DataFrames column by column."""

import datetime

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from glassbox.explain._columns import RawColumns, holds_dates
from glassbox.utils.tabular import polars_as_pandas, validate_tabular


class Reader(BaseEstimator):
    """The smallest estimator validate_tabular can record fitted attributes on."""


def read(X, reset=True, estimator=None):
    estimator = Reader() if estimator is None else estimator
    return estimator, validate_tabular(estimator, X, reset=reset)


DATE_VALUES = {
    "timestamp": [pd.Timestamp("1912-04-10 12:00"), pd.Timestamp("1912-04-11")],
    "timestamp_tz": [pd.Timestamp("1912-04-10", tz="UTC"), pd.Timestamp("1912-04-11", tz="UTC")],
    "datetime": [datetime.datetime(1912, 4, 10, 12), datetime.datetime(1912, 4, 11)],
    "date": [datetime.date(1912, 4, 10), datetime.date(1912, 4, 11)],
    "time": [datetime.time(12, 30), datetime.time(8, 0)],
    "timedelta": [datetime.timedelta(hours=3), pd.Timedelta(hours=5)],
    "numpy_datetime": [np.datetime64("1912-04-10"), np.datetime64("1912-04-11")],
}


def _object_column(kind, n=6, first_missing=True):
    """An object column of ``kind`` dates, its first entries missing (None, NaN, NaT) when asked."""
    values = [DATE_VALUES[kind][i % 2] for i in range(n)]
    if first_missing:
        values[:3] = [None, np.nan, pd.NaT]
    return np.array(values + [None], dtype=object)


@pytest.mark.parametrize("kind", sorted(DATE_VALUES))
def test_object_column_of_dates_is_rejected_not_read_as_categories(kind):
    # before: every date became a category level of its own, a silent wrong answer
    column = _object_column(kind)
    frame = pd.DataFrame({"fare": np.arange(7.0), "boarded": pd.Series(column, dtype=object)})
    assert frame["boarded"].dtype == object
    with pytest.raises(TypeError, match=r"\['boarded'\] hold dates or durations.*\.dt\."):
        read(frame)
    as_array = np.column_stack([np.array(["a"] * 7, dtype=object), column])
    with pytest.raises(TypeError, match=r"\['x1'\] hold dates or durations"):
        read(as_array)


def test_dates_after_a_long_missing_head_and_in_a_category_column():
    column = np.array([None] * 100 + [datetime.date(2020, 1, 1)] * 3, dtype=object)
    assert holds_dates(column)
    with pytest.raises(TypeError, match=r"\['when'\] hold dates"):
        read(pd.DataFrame({"when": column}))
    categories = pd.DataFrame({"when": pd.Categorical(pd.to_datetime(["2020-01-01", None, "2020-01-02"]))})
    with pytest.raises(TypeError, match=r"\['when'\] hold dates"):
        read(categories)


def test_every_date_column_is_named_once_and_predict_rejects_them_too():
    frame = pd.DataFrame({"a": _object_column("date"), "b": ["x"] * 7, "c": pd.Series(_object_column("timedelta"), dtype=object)})
    with pytest.raises(TypeError, match=r"\['a', 'c'\] hold dates"):
        read(frame)
    estimator, _ = read(frame.assign(a="x", c="y"))
    with pytest.raises(TypeError, match=r"\['a', 'c'\] hold dates"):
        read(frame, reset=False, estimator=estimator)


@pytest.mark.parametrize("values", [
    ["1912-04-10", "1912-04-11"],  # dates written as text stay text: the user chose that
    [1, "x"], [None, None],
])
def test_columns_that_are_not_dates_are_read_as_before(values):
    _, table = read(pd.DataFrame({"v": pd.Series(values, dtype=object)}))
    assert table.n_features == 1


# -- polars -------------------------------------------------------------------------------


@pytest.fixture
def pl():
    return pytest.importorskip("polars")


def _frames(pl):
    """The same table as a polars frame and as the pandas frame glassbox must read alike."""
    polars = pl.DataFrame({
        "int": pl.Series([1, 2, None, 4], dtype=pl.Int32),
        "uint": pl.Series([7, 8, 9, 10], dtype=pl.UInt8),
        "float": pl.Series([0.5, None, float("nan"), -1.0]),
        "flag": pl.Series([True, None, False, True]),
        "text": pl.Series(["a", None, "b", "a"]),
        "category": pl.Series(["lo", "hi", None, "lo"], dtype=pl.Categorical),
        "enum": pl.Series(["x", "y", "y", None], dtype=pl.Enum(["y", "x", "unused"])),
    })
    pandas = pd.DataFrame({
        "int": [1.0, 2.0, np.nan, 4.0], "uint": np.array([7, 8, 9, 10], dtype=np.uint8),
        "float": [0.5, np.nan, np.nan, -1.0], "flag": pd.array([True, None, False, True], dtype="boolean"),
        "text": pd.Series(["a", None, "b", "a"], dtype=object),
        "category": pd.Series(["lo", "hi", None, "lo"], dtype=object),
        "enum": pd.Series(["x", "y", "y", None], dtype=object),
    })
    return polars, pandas


def test_polars_frame_reads_like_the_pandas_frame(pl):
    polars, pandas = _frames(pl)
    from_polars, table = read(polars)
    from_pandas, expected = read(pandas)
    assert list(from_polars.feature_names_in_) == list(polars.columns)
    assert list(table.is_categorical) == [False] * 4 + [True] * 3
    np.testing.assert_array_equal(table.numeric, expected.numeric)
    for j in range(4, 7):
        np.testing.assert_array_equal(table.missing(j), expected.missing(j))
        present = ~table.missing(j)
        np.testing.assert_array_equal(table.categorical[j][present], expected.categorical[j][present])
    # predict-time reading checks the names against the fit's, whichever library fitted
    read(polars, reset=False, estimator=from_pandas)
    with pytest.raises(ValueError, match="same order"):
        read(polars.select(polars.columns[::-1]), reset=False, estimator=from_pandas)


def test_polars_columns_for_explanations(pl):
    polars, pandas = _frames(pl)
    on_polars, on_pandas = RawColumns(polars, polars.columns), RawColumns(pandas, pandas.columns)
    assert on_polars.n_samples == 4
    np.testing.assert_array_equal(on_polars.column("int"), on_pandas.column("int"))
    # flags read as flags, False / True with NaN missing (NaN != NaN, so compared by their reprs)
    assert [repr(v) for v in on_polars.column("flag")] == [repr(v) for v in on_pandas.column("flag")] == [
        "True", "nan", "False", "True"]
    assert list(on_polars.column("enum")) == ["x", "y", "y", None]
    with pytest.raises(ValueError, match=r"lacks the columns \['nope'\]"):
        RawColumns(polars, ["nope"])


@pytest.mark.parametrize("dtype", ["Date", "Datetime", "Duration", "Time"])
def test_polars_dates_get_the_date_error(pl, dtype):
    values = {
        "Date": pl.Series([datetime.date(2020, 1, 1), None]),
        "Datetime": pl.Series([datetime.datetime(2020, 1, 1, 5), None]),
        "Duration": pl.Series([datetime.timedelta(hours=1), None]),
        "Time": pl.Series([datetime.time(5), None]),
    }[dtype]
    frame = pl.DataFrame({"x": [1.0, 2.0], "when": values})
    with pytest.raises(TypeError, match=r"\['when'\] hold dates or durations.*pl\.col\('when'\)\.dt\."):
        read(frame)
    with pytest.raises(TypeError, match=r"\['when'\] hold dates"):
        polars_as_pandas(frame)


def test_polars_object_nested_and_lazy_input(pl):
    objects = pl.DataFrame({"o": pl.Series([1, None, 3.5], dtype=pl.Object)})
    _, table = read(objects)
    np.testing.assert_array_equal(table.numeric[:, 0], [1.0, np.nan, 3.5])
    dates = pl.DataFrame({"o": pl.Series([pd.Timestamp("2020-01-01")] * 2, dtype=pl.Object)})
    with pytest.raises(TypeError, match=r"\['o'\] hold dates"):
        read(dates)
    with pytest.raises(TypeError, match=r"'nested' has polars type List"):
        read(pl.DataFrame({"nested": [[1, 2], [3]]}))
    with pytest.raises(TypeError, match=r"LazyFrame.*X\.collect\(\)"):
        read(pl.DataFrame({"a": [1.0]}).lazy())


def test_polars_as_pandas_keeps_what_glassbox_reads(pl):
    polars, pandas = _frames(pl)
    converted = polars_as_pandas(polars)
    assert list(converted.columns) == list(polars.columns)
    assert converted["uint"].dtype == np.uint8 and converted["int"].dtype == np.float64
    np.testing.assert_array_equal(read(converted)[1].numeric, read(pandas)[1].numeric)
    assert polars_as_pandas(pandas) is pandas


def test_polars_as_pandas_reads_a_decimal_column_as_numbers(pl):
    # to_numpy() of a Decimal column gives decimal.Decimal objects, which read as categories
    from decimal import Decimal

    frame = pl.DataFrame({"amount": pl.Series([Decimal("1.25"), Decimal("2.50"), Decimal("-3.75")],
                                              dtype=pl.Decimal(10, 2)), "x": [1.0, 2.0, 3.0]})
    direct = read(frame)[1]
    converted = read(polars_as_pandas(frame))[1]
    assert not direct.is_categorical[0] and not converted.is_categorical[0]
    np.testing.assert_array_equal(converted.numeric, direct.numeric)
    np.testing.assert_array_equal(direct.numeric[:, 0], [1.25, 2.5, -3.75])


def test_a_period_column_is_rejected_not_read_as_one_category_per_period():
    frame = pd.DataFrame({"month": pd.period_range("2020-01", periods=6, freq="M"), "fare": np.arange(6.0)})
    assert isinstance(frame["month"].dtype, pd.PeriodDtype)
    with pytest.raises(TypeError, match=r"\['month'\] hold dates or durations"):
        read(frame)
    with pytest.raises(TypeError, match=r"\['month'\] hold dates or durations"):
        read(frame.astype({"month": object}))


def test_objects_that_are_neither_numbers_nor_text_name_their_column():
    class Basket:
        pass

    array = np.empty((5, 2), dtype=object)
    array[:, 0], array[:, 1] = np.arange(5.0), [Basket() for _ in range(5)]
    with pytest.raises(TypeError, match=r"Column 'x1' holds objects that are neither numbers nor text \(Basket\)"):
        read(array)


def test_a_polars_object_column_of_other_objects_names_its_column(pl):
    frame = pl.DataFrame({"a": [1.0, 2.0], "b": pl.Series([{1}, {2}], dtype=pl.Object)})
    with pytest.raises(TypeError, match=r"Column 'b' holds objects that are neither numbers nor text \(set\)"):
        read(frame)
