"""scipy.sparse input for the sparse linear models: same fits as dense X, never densified."""

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso

from glassbox.linear import (
    SparseLinearClassifier,
    SparseLinearClassifierCV,
    SparseLinearRegressor,
    SparseLinearRegressorCV,
    sparse_linear_path,
)
from glassbox.linear import _cd_fast, _cd_objective_fast, _cd_sparse_fast
from glassbox.linear._design import csc_arrays
from glassbox.linear._reference import proximal_gradient
from glassbox.linear._solver import make_penalty, null_state

TIGHT = dict(tol=1e-12, max_iter=20000)


def _sparse_problem(n=240, p=30, density=0.15, seed=0):
    """A sparse design with shifted nonzeros (so centring matters), a weighted target and zero weights."""
    rng = np.random.default_rng(seed)
    X = sp.random(n, p, density=density, format="csr", random_state=seed, data_rvs=lambda k: rng.normal(2.0, 1.5, k))
    beta = np.zeros(p)
    beta[:6] = [1.5, -2.0, 3.0, 0.7, -1.0, 0.4]
    signal = X @ beta
    weights = rng.integers(0, 3, n).astype(float)  # a third of the rows weigh zero
    return X, signal, weights, rng


def _targets(kind, signal, rng):
    noise = rng.standard_normal(signal.shape[0])
    if kind == "regression":
        return signal + 0.3 * noise + 2.0
    if kind == "binary":
        return (signal + noise > np.median(signal)).astype(int)
    return np.digitize(signal + noise, np.quantile(signal, [0.33, 0.66]))


def _model(kind, **params):
    return SparseLinearRegressor(**params) if kind == "regression" else SparseLinearClassifier(**params)


def _alpha(kind, penalty):
    if penalty == "l0":  # (a smaller one leaves the multinomial L0 search cycling, dense or sparse)
        return 0.002 if kind == "binary" else 0.02
    return 0.02 if kind == "regression" else 0.004


def _assert_relative(actual, expected, rtol):
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    scale = max(float(np.max(np.abs(expected), initial=0.0)), 1e-300)
    assert np.max(np.abs(actual - expected), initial=0.0) <= rtol * scale, (actual, expected)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("penalty", ["l1", "elasticnet", "l0"])
@pytest.mark.parametrize("kind", ["regression", "binary", "multinomial"])
def test_sparse_fit_equals_dense_fit(kind, penalty, fit_intercept):
    X, signal, weights, rng = _sparse_problem()
    y = _targets(kind, signal, rng)
    params = dict(alpha=_alpha(kind, penalty), penalty=penalty, fit_intercept=fit_intercept, **TIGHT)
    if kind == "multinomial" and penalty == "l0" and not fit_intercept:
        # this L0 search never settles to tol=1e-12 (dense or sparse): compare the same number of sweeps
        params["max_iter"] = 200
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        dense = _model(kind, **params).fit(X.toarray(), y, sample_weight=weights)
        sparse = _model(kind, **params).fit(X, y, sample_weight=weights)
    assert sparse.n_nonzero_ > 0
    _assert_relative(sparse.coef_, dense.coef_, 1e-10)
    _assert_relative(sparse.intercept_, dense.intercept_, 1e-10)
    assert_array_equal(sparse.coef_ != 0, dense.coef_ != 0)
    if kind == "regression":
        assert_allclose(sparse.predict(X), dense.predict(X.toarray()), rtol=1e-10, atol=1e-10)
    else:
        assert_allclose(sparse.decision_function(X), dense.decision_function(X.toarray()), rtol=1e-9, atol=1e-10)
        assert_allclose(sparse.predict_proba(X), dense.predict_proba(X.toarray()), atol=1e-10)
        assert_array_equal(sparse.predict(X), dense.predict(X.toarray()))


def test_zero_weight_rows_do_not_count_and_unit_weights_match_no_weights():
    X, signal, weights, rng = _sparse_problem(seed=1)
    y = _targets("regression", signal, rng)
    keep = weights > 0
    weighted = SparseLinearRegressor(alpha=0.02, **TIGHT).fit(X, y, sample_weight=weights)
    dropped = SparseLinearRegressor(alpha=0.02, **TIGHT).fit(X[keep], y[keep], sample_weight=weights[keep])
    _assert_relative(weighted.coef_, dropped.coef_, 1e-10)
    # a zero-weight row's wild value changes nothing, as in the dense fit
    X_wild = X.tolil()
    X_wild[np.flatnonzero(~keep)[0], 0] = 1e6
    wild = SparseLinearRegressor(alpha=0.02, **TIGHT).fit(X_wild.tocsr(), y, sample_weight=weights)
    _assert_relative(wild.coef_, weighted.coef_, 1e-10)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_matches_scikit_learn_lasso_on_the_same_sparse_matrix(fit_intercept):
    X, signal, weights, rng = _sparse_problem(n=400, p=60, seed=2)
    y = _targets("regression", signal, rng)
    ours = SparseLinearRegressor(alpha=0.05, standardize=False, fit_intercept=fit_intercept, **TIGHT).fit(X, y)
    theirs = Lasso(alpha=0.05, fit_intercept=fit_intercept, tol=1e-14, max_iter=200000).fit(X, y)
    assert_allclose(ours.coef_, theirs.coef_, atol=1e-9)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-9)


def test_every_sparse_format_gives_the_same_model():
    X, signal, weights, rng = _sparse_problem(seed=3)
    y = _targets("binary", signal, rng)
    reference = SparseLinearClassifier(alpha=0.004, **TIGHT).fit(X, y)
    wide_indices = X.copy()
    wide_indices.indices = wide_indices.indices.astype(np.int64)
    wide_indices.indptr = wide_indices.indptr.astype(np.int64)
    for variant in (X.tocsc(), X.tocoo(), sp.csr_array(X), sp.csc_array(X), X.astype(np.float32), wide_indices):
        model = SparseLinearClassifier(alpha=0.004, **TIGHT).fit(variant, y)
        tol = 1e-6 if variant.dtype == np.float32 else 1e-10
        _assert_relative(model.coef_, reference.coef_, tol)
        assert_allclose(model.predict_proba(variant), reference.predict_proba(X), atol=1e-6)


def _with_duplicates(X, fmt):
    """``X`` with every entry stored as two halves, plus ten stored zeros: built from its index arrays,
    since scipy's (data, (row, col)) constructor would sum the duplicates away."""
    coo = X.tocoo()
    rows = np.concatenate([coo.row, coo.row, np.arange(10)])
    cols = np.concatenate([coo.col, coo.col, np.arange(10)])
    vals = np.concatenate([coo.data / 2, coo.data / 2, np.zeros(10)])
    major, minor = (cols, rows) if fmt == "csc" else (rows, cols)
    order = np.lexsort((minor, major))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(major, minlength=X.shape[fmt == "csc"]))])
    matrix = (sp.csc_matrix if fmt == "csc" else sp.csr_matrix)((vals[order], minor[order], indptr), shape=X.shape)
    assert matrix.nnz == 2 * X.nnz + 10 and not matrix.has_canonical_format
    return matrix


@pytest.mark.parametrize("fmt", ["csc", "csr"])
def test_explicit_zeros_and_duplicate_entries_read_as_their_values(fmt):
    X, signal, weights, rng = _sparse_problem(seed=4)
    y = _targets("regression", signal, rng)
    reference = SparseLinearRegressor(alpha=0.02, **TIGHT).fit(X, y)
    duplicated = _with_duplicates(X, fmt)
    model = SparseLinearRegressor(alpha=0.02, **TIGHT).fit(duplicated, y)
    _assert_relative(model.coef_, reference.coef_, 1e-10)
    assert_allclose(model.predict(duplicated), reference.predict(X), rtol=1e-10, atol=1e-10)
    assert duplicated.nnz == 2 * X.nnz + 10  # the caller's matrix is left as it was


@pytest.mark.parametrize("kind", ["regression", "binary", "multinomial"])
def test_explain_local_on_sparse_rows_adds_up_exactly(kind):
    X, signal, weights, rng = _sparse_problem(seed=5)
    y = _targets(kind, signal, rng)
    model = _model(kind, alpha=_alpha(kind, "l1")).fit(X, y)
    explanation = model.explain_local(X[:7])
    total = explanation.base_value + explanation.contributions.sum(axis=1)
    assert_array_equal(total, explanation.decision)  # additive by construction, bit for bit
    decision = model.predict(X[:7]) if kind == "regression" else model.decision_function(X[:7])
    assert_allclose(explanation.decision, decision, rtol=1e-13, atol=1e-13)
    dense = model.explain_local(X[:7].toarray())
    assert_array_equal(explanation.contributions, dense.contributions)
    assert explanation.term_names == tuple(f"x{j}" for j in range(X.shape[1]))
    assert "x0" in str(explanation)
    relative = model.explain_local(X[:7], relative_to="mean")
    assert_allclose(relative.base_value + relative.contributions.sum(axis=1), decision, rtol=1e-12, atol=1e-12)


def test_cross_validated_models_and_paths_accept_sparse_input():
    X, signal, weights, rng = _sparse_problem(seed=6)
    y = _targets("regression", signal, rng)
    dense = SparseLinearRegressorCV(n_alphas=5, cv=3, tol=1e-10).fit(X.toarray(), y, sample_weight=weights)
    sparse = SparseLinearRegressorCV(n_alphas=5, cv=3, tol=1e-10).fit(X.tocsc(), y, sample_weight=weights)
    assert sparse.alpha_ == pytest.approx(dense.alpha_, rel=1e-12)
    _assert_relative(sparse.coef_, dense.coef_, 1e-8)
    labels = _targets("binary", signal, rng)
    clf_dense = SparseLinearClassifierCV(n_alphas=4, cv=3, tol=1e-9).fit(X.toarray(), labels)
    clf_sparse = SparseLinearClassifierCV(n_alphas=4, cv=3, tol=1e-9).fit(X, labels)
    assert clf_sparse.alpha_ == pytest.approx(clf_dense.alpha_, rel=1e-12)
    _assert_relative(clf_sparse.coef_, clf_dense.coef_, 1e-7)
    path_dense = sparse_linear_path(SparseLinearRegressor(tol=1e-10), X.toarray(), y, n_alphas=6)
    path_sparse = sparse_linear_path(SparseLinearRegressor(tol=1e-10), X, y, n_alphas=6)
    assert_allclose(path_sparse.alphas, path_dense.alphas, rtol=1e-12)
    assert_array_equal(path_sparse.n_nonzero, path_dense.n_nonzero)


def test_sparse_kernels_match_their_references():
    """Column statistics against NumPy, gradients and curvatures against the dense kernel on the centred copy."""
    X, signal, weights, rng = _sparse_problem(seed=7)
    X = X.tocsc()
    X[:, 3] = 0.0  # an empty column: constant
    X.eliminate_zeros()
    w = weights / weights.sum()
    dense = X.toarray()
    stats = np.zeros((4, X.shape[1]))
    _cd_sparse_fast.column_statistics(*csc_arrays(X), w, stats)
    mean = w @ dense
    assert_allclose(stats[0], mean, rtol=1e-13, atol=1e-15)
    assert_allclose(stats[1], w @ (dense - mean) ** 2, rtol=1e-12, atol=1e-15)
    positive = dense[w > 0]
    assert_array_equal(stats[2], positive.min(axis=0))
    assert_array_equal(stats[3], positive.max(axis=0))
    scales = np.where(stats[1] > 0, np.sqrt(stats[1]), 1.0)
    inverse = np.where(stats[1] > 0, 1.0 / scales, 0.0)
    Z = np.asfortranarray((dense - mean) * inverse)
    y = _targets("binary", signal, rng).astype(float)[None, :]
    eta = np.ascontiguousarray(0.3 * rng.standard_normal((1, X.shape[0])))
    coef = np.zeros((1, X.shape[1]))
    coef[0, :4] = [0.5, -0.2, 0.0, 0.1]
    signs = np.zeros(X.shape[1], dtype=np.int8)
    columns = np.arange(X.shape[1], dtype=np.int32)
    penalty = make_penalty("l1", 0.01)
    datafit = _cd_objective_fast.LogisticDatafit()
    expected = _cd_fast.violations(datafit, penalty, Z, y, w, eta, coef, signs, columns)
    got = _cd_sparse_fast.violations(datafit, penalty, *csc_arrays(X), mean, inverse, y, w, eta, coef, signs, columns)
    for a, b in zip(got, expected):
        assert_allclose(a, b, rtol=1e-11, atol=1e-14)


def test_sparse_solution_matches_the_reference_solver():
    X, signal, weights, rng = _sparse_problem(seed=8)
    y = _targets("binary", signal, rng)
    model = SparseLinearClassifier(alpha=0.004, penalty="elasticnet", **TIGHT)
    model.fit(X, y, sample_weight=weights)
    table, labels, w = model._validate_fit_input(X, y, weights)
    fitted = model._make_problem(table, model._target_blocks(labels)[1], w)
    state, _, _ = model._solve_at(fitted, model.alpha, null_state(fitted.problem))
    coef, intercept = proximal_gradient(
        fitted.problem.standardized(), fitted.problem.Y, w, "logistic", "elasticnet", 0.004, l1_ratio=0.5
    )
    assert_allclose(state.coef, coef, atol=1e-7)
    assert_allclose(state.intercept, intercept, atol=1e-7)


def test_options_that_need_dense_input_say_what_to_change():
    X, signal, weights, rng = _sparse_problem(seed=9)
    y = _targets("regression", signal, rng)
    with pytest.raises(TypeError, match="basis='steps' needs dense X.*basis='linear'"):
        SparseLinearRegressor(basis="steps").fit(X, y)
    with pytest.raises(TypeError, match="categorical_features.*sparse X.*OneHotEncoder"):
        SparseLinearRegressor(categorical_features=[0, 2]).fit(X, y)
    with_nan = X.copy()
    with_nan.data[0] = np.nan
    dense_nan = with_nan.toarray()
    with pytest.raises(ValueError) as dense_error:
        SparseLinearRegressor().fit(dense_nan, y)
    with pytest.raises(ValueError) as sparse_error:
        SparseLinearRegressor().fit(with_nan, y)
    assert str(sparse_error.value) == str(dense_error.value)  # NaN is missing, as in dense X
    model = SparseLinearRegressor().fit(X, y)
    with pytest.raises(ValueError, match="NaN"):
        model.predict(with_nan.tocsc())
    with_inf = X.copy()
    with_inf.data[1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        SparseLinearRegressor().fit(with_inf, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :-1])


def test_feature_names_follow_array_input():
    X, signal, weights, rng = _sparse_problem(seed=10)
    y = _targets("regression", signal, rng)
    frame = pd.DataFrame(X.toarray(), columns=[f"word_{j}" for j in range(X.shape[1])])
    model = SparseLinearRegressor(alpha=0.02).fit(frame, y)
    assert hasattr(model, "feature_names_in_")
    model.fit(X, y)
    assert not hasattr(model, "feature_names_in_")
    assert model.n_features_in_ == X.shape[1]
    assert model.explain_global().feature_names[:2] == ("x0", "x1")


def test_constant_sparse_columns_keep_a_zero_coefficient():
    X, signal, weights, rng = _sparse_problem(seed=11)
    y = _targets("regression", signal, rng)
    X = sp.hstack([X, sp.csr_matrix((X.shape[0], 1))]).tocsr()  # an all-zero column
    with pytest.warns(UserWarning, match="constant"):
        model = SparseLinearRegressor(alpha=0.001).fit(X, y)
    assert model.coef_[-1] == 0.0 and model.term_stds_[-1] == 0.0


def test_large_very_sparse_matrix_fits_without_densifying():
    """200,000 x 100,000 at density 1e-4: the dense copy alone would take 149 GiB."""
    script = textwrap.dedent(
        """
        import resource, numpy as np, scipy.sparse as sp
        from glassbox.linear import SparseLinearRegressor
        rng = np.random.default_rng(0)
        n, p = 200_000, 100_000
        nnz = int(n * p * 1e-4)
        X = sp.csr_matrix((rng.random(nnz) + 0.5, (rng.integers(0, n, nnz), rng.integers(0, p, nnz))), shape=(n, p))
        beta = np.zeros(p)
        beta[:50] = rng.standard_normal(50) * 5
        y = X @ beta + 0.1 * rng.standard_normal(n)
        model = SparseLinearRegressor(alpha=1e-3).fit(X, y)
        r2 = 1 - np.mean((model.predict(X) - y) ** 2) / np.var(y)
        print(model.n_nonzero_, r2, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300)
    n_nonzero, r2, peak_kib = result.stdout.split()
    assert 50 <= int(n_nonzero) <= 200  # finds the true support (plus few spurious terms)
    assert float(r2) > 0.9
    # generous: the sparse matrix itself is ~48 MB; one dense column block of 4096 would be 6.5 GB
    assert int(peak_kib) < 1.5 * 1024**2


def test_constraints_and_the_hard_cap_hold_on_sparse_input():
    X, signal, weights, rng = _sparse_problem(seed=12)
    y = _targets("regression", signal, rng)
    signs = np.zeros(X.shape[1], dtype=int)
    signs[:3] = [-1, 1, 1]  # the first fights its true (positive) coefficient
    params = dict(alpha=0.005, monotonic_cst=list(signs), max_features=4, **TIGHT)
    sparse = SparseLinearRegressor(**params).fit(X, y, sample_weight=weights)
    dense = SparseLinearRegressor(**params).fit(X.toarray(), y, sample_weight=weights)
    assert sparse.n_nonzero_ == dense.n_nonzero_ <= 4
    assert sparse.coef_[0] <= 0.0 and np.all(sparse.coef_[1:3] >= 0.0)
    _assert_relative(sparse.coef_, dense.coef_, 1e-10)


def test_dense_fitted_models_read_sparse_rows_and_the_reverse():
    X, signal, weights, rng = _sparse_problem(seed=13)
    y = _targets("binary", signal, rng)
    dense_fit = SparseLinearClassifier(alpha=0.004).fit(X.toarray(), y)
    assert_allclose(dense_fit.predict_proba(X), dense_fit.predict_proba(X.toarray()), atol=1e-14)
    sparse_fit = SparseLinearClassifier(alpha=0.004).fit(X, y)
    assert_allclose(sparse_fit.predict_proba(X.toarray()), sparse_fit.predict_proba(X), atol=1e-14)
    # a model with categorical indicators cannot take its terms from sparse rows: it says so
    frame = pd.DataFrame(X[:, :3].toarray(), columns=["a", "b", "c"])
    frame["colour"] = np.where(signal > np.median(signal), "red", "blue")
    categorical = SparseLinearClassifier(alpha=0.004).fit(frame.to_numpy(dtype=object), y)
    with pytest.raises(TypeError, match="categorical indicator or step terms.*dense"):
        categorical.predict(sp.csr_matrix(np.ones((2, 4))))


@pytest.mark.parametrize("as_sparse", [False, True])
def test_the_constant_feature_warning_points_at_the_callers_line(as_sparse):
    X = np.c_[np.ones(50), np.arange(50.0)]
    with pytest.warns(UserWarning, match="constant") as record:
        SparseLinearRegressor(alpha=0.1).fit(sp.csr_matrix(X) if as_sparse else X, np.arange(50.0))
    assert [w.filename for w in record if "constant" in str(w.message)] == [__file__]
