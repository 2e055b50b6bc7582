"""Explanations read the scipy.sparse input their models accept."""

import numpy as np
import pytest
import scipy.sparse as sp

import glassbox
from glassbox import SparseLinearClassifier, SparseLinearRegressor
from glassbox.explain._columns import RawColumns


@pytest.fixture(scope="module")
def sparse_data():
    X = sp.random(300, 10, density=0.3, format="csr", random_state=0)
    return X, np.asarray(X @ np.arange(10.0)).ravel()


def test_raw_columns_read_a_sparse_column_as_its_dense_values(sparse_data):
    X, _ = sparse_data
    columns = RawColumns(X, [f"x{j}" for j in range(10)])
    np.testing.assert_array_equal(columns.column("x3"), X.toarray()[:, 3])
    assert columns.n_samples == 300


def test_coefficient_table_recomputes_a_sparse_fit_on_sparse_rows(sparse_data):
    X, y = sparse_data
    model = SparseLinearRegressor(tol=1e-10).fit(X, y)
    table = model.explain_global()
    np.testing.assert_allclose(table.decision_function(X), model.predict(X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(table.decision_function(X.tocsc()), table.decision_function(X.toarray()),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(table.term_contributions(X).sum(axis=1) + table.base_value, model.predict(X),
                               rtol=1e-12, atol=1e-12)
    reloaded = glassbox.from_json(model.to_json())
    np.testing.assert_allclose(reloaded.predict(X), model.predict(X), rtol=1e-12, atol=1e-12)


def test_multinomial_table_on_sparse_rows(sparse_data):
    X, y = sparse_data
    labels = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    model = SparseLinearClassifier(tol=1e-10).fit(X, labels)
    table = model.explain_global()
    np.testing.assert_allclose(table.predict_proba(X), model.predict_proba(X), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(table.predict(X), model.predict(X))


def test_sparse_rows_of_the_wrong_width_are_named(sparse_data):
    X, y = sparse_data
    table = SparseLinearRegressor().fit(X, y).explain_global()
    with pytest.raises(ValueError, match="X has 9 columns but the model was fitted on 10 features"):
        table.decision_function(X[:, :9])
