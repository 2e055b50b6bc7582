"""A linear model loaded from JSON scores a wide table as its estimator does, without a lookup per feature.

The table finds where its terms read once per table, and reads a block of
numeric features at once: a name lookup per term and call cost a loaded model
of 20,000 sparse features a second per prediction (O(p^2)), whatever the rows.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import glassbox
from glassbox import SparseLinearClassifier, SparseLinearRegressor
from glassbox.explain import CoefficientTable
from glassbox.explain import _columns
from glassbox.explain import linear as linear_module

N_FEATURES = 600


class _NoIndexTuple(tuple):
    """Feature names whose ``index`` (a scan of every name) must not be called."""

    def index(self, *args):
        raise AssertionError("a term's column was looked up by scanning the names")


@pytest.fixture(scope="module")
def sparse_model():
    X = sp.random(400, N_FEATURES, density=0.02, format="csr", random_state=0)
    y = (np.asarray(X[:, :20].sum(axis=1)).ravel() > 0.2).astype(int)
    model = SparseLinearClassifier(alpha=0.001).fit(X, y)
    return model, X, glassbox.from_json(model.to_json())


@pytest.fixture(scope="module")
def dense_model():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, N_FEATURES)), columns=[f"f{j}" for j in range(N_FEATURES)])
    X["count"] = rng.integers(0, 5, len(X))
    X["flag"] = rng.random(len(X)) < 0.5
    X["city"] = rng.choice(["a", "b", "c"], len(X))
    y = X["f0"] + X["f1"] - X["count"] + 2 * X["flag"] + (X["city"] == "b") + rng.normal(size=len(X))
    model = SparseLinearRegressor(alpha=0.01).fit(X, y)
    return model, X, glassbox.from_json(model.to_json())


def test_the_loaded_sparse_model_finds_its_columns_without_scanning_the_names(sparse_model):
    model, X, loaded = sparse_model
    table = CoefficientTable.from_dict(loaded.to_dict())
    object.__setattr__(table, "feature_names", _NoIndexTuple(table.feature_names))
    np.testing.assert_array_equal(table.predict_proba(X[:1]), model.predict_proba(X[:1]))
    np.testing.assert_array_equal(table.predict_proba(X), model.predict_proba(X))


def test_where_the_terms_read_is_worked_out_once_per_table(sparse_model, dense_model, monkeypatch):
    built = []
    layout = linear_module._TermLayout
    monkeypatch.setattr(linear_module, "_TermLayout", lambda **fields: built.append(1) or layout(**fields))
    for model, X, loaded in (sparse_model, dense_model):
        table = CoefficientTable.from_dict(loaded.to_dict())
        for rows in (X[:1], X[:5], X):
            table.decision_function(rows)
            table.term_contributions(rows)
        np.testing.assert_array_equal(table.decision_function(X), model.decision_function(X)
                                      if hasattr(model, "decision_function") else model.predict(X))
    assert len(built) == 2  # one per table, not one per call


def _count_column_reads(monkeypatch):
    read = []
    column = _columns.RawColumns._column
    monkeypatch.setattr(_columns.RawColumns, "_column", lambda self, name: read.append(name) or column(self, name))
    return read


def test_numeric_features_of_a_frame_are_read_as_one_block(dense_model, monkeypatch):
    model, X, loaded = dense_model
    read = _count_column_reads(monkeypatch)
    np.testing.assert_array_equal(loaded.predict(X.iloc[:3]), model.predict(X.iloc[:3]))
    # one column at a time only for the flag and the levels (their own checks); the numbers in one block
    assert set(read) <= {"flag", "city"}, sorted(set(read))[:5]


def test_an_array_is_read_as_one_block(dense_model, monkeypatch):
    _, X, _ = dense_model
    numbers = X.drop(columns=["flag", "city"]).to_numpy()
    model = SparseLinearRegressor(alpha=0.01).fit(numbers, X["f0"] - X["count"])
    loaded = glassbox.from_json(model.to_json())
    read = _count_column_reads(monkeypatch)
    np.testing.assert_array_equal(loaded.predict(numbers[:3]), model.predict(numbers[:3]))
    assert read == []


def test_a_table_that_scored_pickles_and_compares_as_before(sparse_model):
    _, X, loaded = sparse_model
    fresh = CoefficientTable.from_dict(loaded.to_dict())
    loaded.predict(X[:2])
    assert "_layout" in vars(loaded)
    assert loaded == fresh and loaded.to_dict() == fresh.to_dict()
    assert len(pickle.dumps(loaded)) == len(pickle.dumps(fresh))
    assert pickle.loads(pickle.dumps(loaded)) == fresh


def _forbid_densifying(monkeypatch, X):
    """Make every ``toarray`` / ``todense`` of the sparse classes ``X`` reads through raise."""

    def densified(*args, **kwargs):
        raise AssertionError("the sparse input was made dense")

    for kind in {type(X), type(X.tocsc()), type(X.tocoo())}:
        for owner in kind.__mro__:
            for name in ("toarray", "todense"):
                if name in vars(owner):
                    monkeypatch.setattr(owner, name, densified)


def test_missing_values_in_sparse_input_are_named_without_densifying(sparse_model, monkeypatch):
    _, X, loaded = sparse_model
    X = X[:5].tocsr(copy=True)
    X.data[0] = np.nan
    column = loaded.feature_names[X.indices[0]]
    _forbid_densifying(monkeypatch, X)
    with pytest.raises(ValueError, match=rf"contains NaN \(missing values\) in columns \['{column}'\]"):
        loaded.predict(X)


def test_infinity_in_sparse_input_is_refused_as_by_the_estimator_without_densifying(sparse_model, monkeypatch):
    model, X, loaded = sparse_model
    X = X[:5].tocsr(copy=True)
    X.data[0] = np.inf
    column = loaded.feature_names[X.indices[0]]
    _forbid_densifying(monkeypatch, X)
    for scorer in (model, loaded):  # the loaded model gave the row a certain probability
        with pytest.raises(ValueError, match=rf"contains infinity in columns \['{column}'\]"):
            scorer.predict_proba(X)
