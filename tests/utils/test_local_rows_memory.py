"""A local explanation's feature_values: built on first access, the same values as the eager table."""

import pickle
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from glassbox.explain._columns import ObjectRows
from glassbox.linear import SparseLinearClassifier
from glassbox.utils import tabular
from glassbox.utils.tabular import validate_tabular


class Reader(BaseEstimator):
    """The smallest estimator validate_tabular can record fitted attributes on."""


def _eager(table, rows=None):
    """What rows_as_objects built before: every cell a Python object."""
    rows = np.arange(table.n_samples) if rows is None else rows
    out = table.numeric[rows].astype(object)
    for j in np.flatnonzero(table.is_integer):  # a column of an integer dtype: its values as ints
        out[:, j] = [int(v) for v in table.numeric[rows, j]]
    for j, values in table.categorical.items():
        out[:, j] = values[rows]
    return out


def _same_objects(one, other):
    assert one.shape == other.shape and one.dtype == other.dtype == object
    for a, b in zip(one.ravel(), other.ravel()):
        assert type(a) is type(b) and (a == b or (pd.isna(a) and pd.isna(b))), (a, b)


@pytest.fixture
def lazy_from_one_cell(monkeypatch):
    """Every table deferred, however small (the default defers from 2**18 cells)."""
    monkeypatch.setattr(tabular, "LAZY_ROWS_MIN_CELLS", 1)


@pytest.fixture
def table(lazy_from_one_cell):
    frame = pd.DataFrame({
        "age": [30.0, np.nan, 51.5, 20.0], "city": pd.Categorical(["Oslo", None, "Rome", "Oslo"]),
        "count": [1, 2, 3, 4], "note": pd.Series(["a", None, "c", "d"], dtype=object),
    })
    return validate_tabular(Reader(), frame, reset=True)


def test_object_rows_read_like_the_eager_table(table):
    rows = table.rows_as_objects()
    assert isinstance(rows, ObjectRows) and rows.shape == (4, 4) and len(rows) == 4
    eager = _eager(table)
    _same_objects(rows.to_objects(), eager)
    _same_objects(np.asarray(rows), eager)
    _same_objects(rows[1:3], eager[1:3])
    _same_objects(rows[[3, 0]], eager[[3, 0]])
    _same_objects(rows[2], eager[2])
    assert rows[2, 1] == "Rome" and rows[0, 0] == 30.0 and pd.isna(rows[1, 3])
    _same_objects(rows[:, 1], eager[:, 1])
    picked = table.rows_as_objects(np.array([2, 0]))
    _same_objects(picked.to_objects(), eager[[2, 0]])
    assert not rows.to_objects().flags.writeable


def _toy_explanation(X, y):
    return SparseLinearClassifier(max_features=3).fit(X, y)


def test_small_tables_are_built_at_once():
    rows = validate_tabular(Reader(), np.ones((3, 2)), reset=True).rows_as_objects()
    assert isinstance(rows, np.ndarray) and rows.dtype == object and rows.shape == (3, 2)


def test_feature_values_are_built_once_on_access_and_equal_the_eager_table(lazy_from_one_cell):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] > 0).astype(int)
    model = _toy_explanation(X, y)
    local = model.explain_local(X)
    assert "_lazy_values" in vars(local)
    # a printout and one row's explanation read their rows without building the whole table
    text, single = str(local), local.row(7)
    assert "_lazy_values" in vars(local)
    _same_objects(single.feature_values, X[7:8].astype(object))
    assert f"x0={X[0, 0]:.4g}"[:6] in text
    # pickled before access, the copy builds the same table
    copy = pickle.loads(pickle.dumps(local))
    values = local.feature_values
    assert values is local.feature_values and "_lazy_values" not in vars(local)
    _same_objects(values, X.astype(object))
    _same_objects(copy.feature_values, values)
    assert copy == local and not values.flags.writeable
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        local.nothing  # noqa: B018


def test_changing_x_after_explaining_does_not_change_the_explanation(lazy_from_one_cell):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 3))
    model = _toy_explanation(X, (X[:, 0] > 0).astype(int))
    local = model.explain_local(X)
    before = X.astype(object)
    X[:] = 0.0  # the caller reuses their array
    _same_objects(local.feature_values, before)


def test_explain_local_does_not_hold_a_python_object_per_cell():
    # 20,000 x 50: contributions 7.6 MiB; the eager object table alone was 30.5 MiB (8-byte pointers + floats)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20_000, 50))
    model = _toy_explanation(X, (X[:, 0] + X[:, 1] > 0).astype(int))
    model.explain_local(X[:10])
    tracemalloc.start()
    try:
        local = model.explain_local(X)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    contributions = local.contributions.nbytes
    assert kept < 2.3 * contributions, (kept, contributions)  # contributions + the rows' float64 copy
    assert peak < 4.3 * contributions, (peak, contributions)


def test_threads_reading_feature_values_at_once_all_get_the_same_table(lazy_from_one_cell):
    import sys
    import threading

    rng = np.random.default_rng(2)
    X = rng.normal(size=(400, 20))
    model = _toy_explanation(X, (X[:, 0] > 0).astype(int))
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to hit the build from several at once
    try:
        for _ in range(5):
            local = model.explain_local(X)
            barrier, seen, errors = threading.Barrier(4), [], []

            def read():
                barrier.wait()
                try:
                    seen.append(local.feature_values)
                except Exception as error:  # noqa: BLE001 - the test reports whatever a reader hit
                    errors.append(repr(error))

            threads = [threading.Thread(target=read) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not errors
            assert all(values is local.feature_values for values in seen) and "_lazy_values" not in vars(local)
    finally:
        sys.setswitchinterval(interval)
