"""Memory held by the sparse linear models' cross-validation and categorical designs."""

import gc
import weakref

import tracemalloc

import numpy as np
import pytest

from glassbox import SparseLinearClassifier, SparseLinearRegressor
from glassbox.linear import SparseLinearRegressorCV
from glassbox.linear import _cv, _path


def test_a_finished_folds_problem_is_freed_without_the_cyclic_collector(monkeypatch):
    # Covariance mode keeps a Gram cache on the problem; a strong reference from the cache back to the
    # problem made a cycle, so each fold's copy of the data lived until the cyclic collector ran
    # (which a few huge arrays do not trigger): cv=10 held nine copies of X at its end.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 12))
    y = X[:, 0] - X[:, 3] + rng.normal(size=400)
    problems, alive_at_fold_start = [], []
    run_path = _cv.run_path

    def recording_run_path(model, fitted, alphas, **kwargs):
        alive_at_fold_start.append(sum(ref() is not None for ref in problems))
        assert fitted.problem.uses_gram()  # the covariance mode is the one under test
        problems.append(weakref.ref(fitted.problem))
        return run_path(model, fitted, alphas, **kwargs)

    monkeypatch.setattr(_cv, "run_path", recording_run_path)
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()  # only reference counting frees memory, as between two collections of a long fit
    try:
        SparseLinearRegressorCV(n_alphas=5, cv=4).fit(X, y)
        left = [ref() is not None for ref in problems]
    finally:
        if was_enabled:
            gc.enable()
    assert len(problems) == 5  # four folds, then the whole data's path to alpha_
    assert alive_at_fold_start == [0, 0, 0, 0, 0]
    assert not any(left)


@pytest.mark.parametrize("route", ["covariances", "rows"])
def test_a_path_holds_the_linear_predictor_of_its_last_alpha_only(route):
    # Every alpha's linear predictor was kept: alphas x rows x classes floats per fold of a cross-validation
    # (2.7 GB for 10 classes, 50 alphas and 670,000 training rows a fold), read by no caller but at the end.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20_000, 6))
    if route == "covariances":
        model, y = SparseLinearRegressor(), X[:, 0] + rng.normal(size=len(X))
    else:
        model, y = SparseLinearClassifier(), (X[:, 0] + rng.logistic(size=len(X)) > 0).astype(int)
    table, y_checked, w = model._validate_fit_input(X, y, None)
    fitted = model._make_problem(table, model._target_blocks(y_checked)[1], w)
    assert fitted.problem.uses_gram() == (route == "covariances")
    alphas = np.geomspace(0.5, 1e-4, 300)
    tracemalloc.start()
    try:
        states, _ = _path.run_path(model, fitted, alphas)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(state.eta is None for state in states[:-1])
    eta = states[-1].eta[0]
    np.testing.assert_allclose(eta, fitted.problem.standardized() @ states[-1].coef[0] + states[-1].intercept[0],
                               atol=1e-9)
    every_eta = len(alphas) * len(X) * 8
    assert peak < every_eta / 4, peak / every_eta
    all_states, _ = _path.run_path(model, fitted, alphas, all_etas=True)
    for state, kept in zip(all_states, states):
        np.testing.assert_array_equal(state.coef, kept.coef)
    np.testing.assert_array_equal(all_states[-1].eta, states[-1].eta)


# -- a categorical of many levels: indicators by one lookup per row, stored sparse ---------------------------------

import pickle  # noqa: E402
import warnings  # noqa: E402

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from glassbox import SparseLinearClassifierCV  # noqa: E402
from glassbox.explain import CoefficientTable  # noqa: E402
from glassbox.linear import _design  # noqa: E402
from glassbox.linear._design import build_design  # noqa: E402
from glassbox.utils.tabular import validate_tabular  # noqa: E402


def _merchants(n=6000, n_levels=300, seed=0, as_category=True):
    rng = np.random.RandomState(seed)
    codes = rng.randint(0, n_levels, n)
    merchant = pd.Series([f"m{c:04d}" for c in codes])
    X = pd.DataFrame({"merchant": merchant.astype("category") if as_category else merchant.astype(object),
                      "amount": rng.normal(size=n), "region": rng.choice(["north", "south", "east"], n)})
    effect = rng.normal(scale=0.7, size=n_levels)
    linear = effect[codes] + 0.5 * X["amount"].to_numpy() + (X["region"] == "north").to_numpy() - 1.5
    return X, linear, rng


def _dense_route(monkeypatch):
    monkeypatch.setattr(_design, "sparse_layout", lambda terms, sources: False)


@pytest.mark.parametrize("kind", ["logistic", "multinomial", "squared", "poisson"])
def test_many_levels_fit_sparse_and_agree_with_the_dense_design(monkeypatch, kind):
    n_levels = 100 if kind == "multinomial" else 300  # the dense multinomial fit is the slow one
    X, linear, rng = _merchants(n=2500 if kind == "multinomial" else 6000, n_levels=n_levels)
    if kind == "logistic":
        y, model = (rng.uniform(size=len(X)) < 1 / (1 + np.exp(-linear))).astype(int), SparseLinearClassifier
    elif kind == "multinomial":
        y, model = np.digitize(linear + rng.logistic(size=len(X)), [-2.0, -1.0]), SparseLinearClassifier
    elif kind == "squared":
        y, model = linear + rng.normal(size=len(X)), SparseLinearRegressor
    else:
        y, model = rng.poisson(np.exp(linear)), lambda **kw: SparseLinearRegressor(loss="poisson", **kw)
    params = dict(alpha=3e-3, tol=1e-10, reference_levels={"region": "south"})
    sparse = model(**params).fit(X, y)
    assert sparse._design.sparse and sparse._design.n_terms == n_levels + 4
    with monkeypatch.context() as patch:
        _dense_route(patch)
        dense = model(**params).fit(X, y)
    assert not dense._design.sparse
    assert sparse.term_names_ == dense.term_names_ and sparse.reference_levels_ == dense.reference_levels_ == {
        "region": "south"}
    predict = (lambda m: m.predict_proba(X)) if hasattr(sparse, "classes_") else (lambda m: m.predict(X))
    np.testing.assert_allclose(predict(sparse), predict(dense), rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-5)
    # the explanation contract on the sparse layout: contributions add up, the table recomputes the model
    explanation = sparse.explain_local(X.iloc[:50])
    total = explanation.base_value + np.asarray(explanation.contributions).sum(axis=1)
    decision = sparse._decision(X.iloc[:50])  # the decision function (the linear predictor of a regressor)
    np.testing.assert_allclose(total, decision, rtol=1e-12, atol=1e-12)
    table = CoefficientTable.from_json(sparse.explain_global().to_json())
    np.testing.assert_allclose(table.decision_function(X.iloc[:50]), decision, rtol=1e-12, atol=1e-12)


def _reference_matrix(design, table):
    """The design as it was built before the lookups: one comparison of every row with every level."""
    from glassbox.explain._columns import is_missing

    out = np.zeros((table.n_samples, design.n_terms))
    for t, (term, j) in enumerate(zip(design.terms, design.sources)):
        if term.category is not None:
            values = table.categorical[j]
            out[:, t] = (values == term.category) & ~is_missing(values)
        elif term.threshold is not None:
            out[:, t] = table.numeric[:, j] >= term.threshold
        else:
            out[:, t] = table.numeric[:, j]
    return out


@pytest.mark.parametrize("n_levels", [4, 300])
@pytest.mark.parametrize("as_category", [True, False])
def test_the_design_by_lookup_equals_one_comparison_per_level(n_levels, as_category):
    X, _, rng = _merchants(n=2000, n_levels=n_levels, as_category=as_category)
    X["flag"] = np.where(rng.uniform(size=len(X)) < 0.5, 1, 0).astype(object)  # 0/1 read as a categorical
    X.loc[::7, "flag"] = True  # Python equality: True is the level 1
    model = SparseLinearRegressor(alpha=1e-3, categorical_features=["merchant", "region", "flag"], basis="steps",
                                  max_thresholds=3).fit(X, rng.normal(size=len(X)))
    new = X.iloc[:300].copy()
    new["region"] = new["region"].where(np.arange(300) % 5 != 0, "west")  # unseen: no indicator
    table = validate_tabular(model, new, reset=False, allow_missing=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        built = model._design.matrix(table)
    assert model._design.sparse == (n_levels == 300)
    built = built.toarray() if hasattr(built, "toarray") else built
    np.testing.assert_array_equal(built, _reference_matrix(model._design, table))


def test_a_high_cardinality_fit_and_predict_hold_no_dense_rows_by_levels_array():
    # 20,000 rows x 2,001 terms would be a 320 MB dense design; stored sparse the fit holds a few MB
    X, linear, rng = _merchants(n=20_000, n_levels=2000)
    y = (rng.uniform(size=len(X)) < 1 / (1 + np.exp(-linear))).astype(int)
    tracemalloc.start()
    try:
        model = SparseLinearClassifier(alpha=1e-3).fit(X, y)
        fit_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        model.predict_proba(X)
        predict_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert fit_peak < 40e6 and predict_peak < 20e6, (fit_peak, predict_peak)


def test_unseen_levels_warn_on_the_sparse_layout_and_older_pickles_predict_densely():
    X, linear, rng = _merchants()
    model = SparseLinearRegressor(alpha=1e-3).fit(X, linear + rng.normal(size=len(X)))
    new = X.iloc[:4].copy()
    new["merchant"] = new["merchant"].astype(object)
    new.loc[new.index[1], "merchant"] = "m9999"
    with pytest.warns(UserWarning, match="m9999"):
        predicted = model.predict(new)
    assert predicted[1] == pytest.approx(model.intercept_ + model.coef_[model.term_names_.index("amount")]
                                         * new["amount"].iloc[1] + model.coef_[model.term_names_.index(
                                             f"region == {new['region'].iloc[1]}")])
    older = pickle.loads(pickle.dumps(model))
    del older._design.__dict__["sparse"]  # a model pickled before the sparse layout
    np.testing.assert_allclose(older.predict(X.iloc[:100]), model.predict(X.iloc[:100]), rtol=1e-12)


def test_cross_validation_folds_read_the_category_codes():
    X, linear, rng = _merchants(n=3000, n_levels=150)
    y = (rng.uniform(size=len(X)) < 1 / (1 + np.exp(-linear))).astype(int)
    model = SparseLinearClassifierCV(n_alphas=4, cv=3).fit(X, y)
    assert model._design.sparse and np.isfinite(model.cv_losses_).all()


def test_wald_intervals_on_the_sparse_layout_equal_the_dense_designs(monkeypatch):
    from glassbox import coefficient_inference

    X, linear, rng = _merchants(n=4000, n_levels=80)
    y = linear + rng.normal(size=len(X))
    params = dict(alpha=0.0, tol=1e-10, reference_levels={"merchant": "m0000", "region": "south"})
    sparse = SparseLinearRegressor(**params).fit(X, y)
    with monkeypatch.context() as patch:
        _dense_route(patch)
        dense = SparseLinearRegressor(**params).fit(X, y)
    assert sparse._design.sparse and not dense._design.sparse
    frames = [coefficient_inference(m, X, y).to_frame() for m in (sparse, dense)]
    np.testing.assert_allclose(frames[0]["std_error"], frames[1]["std_error"], rtol=1e-6)
    np.testing.assert_allclose(frames[0]["coefficient"], frames[1]["coefficient"], rtol=1e-6, atol=1e-7)


# -- basis="steps": one dense rows x terms design during a fit ------------------------------------------------------

from glassbox.linear._design import fit_statistics  # noqa: E402


def _step_data(n=12000, p=10, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, p))
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-X[:, 0] + np.sin(2 * X[:, 1])))).astype(int)
    return X, y


def test_a_steps_fit_holds_one_rows_by_terms_design_not_a_raw_copy_beside_it():
    # The row-space solver reads one contiguous column per term: the design is built in that layout and
    # standardized in place. Built in row order and then copied into the solver's layout, a fit held two
    # rows x terms float64 arrays at once (2.6 GB for 250,000 rows x 611 terms, 74 times the data).
    X, y = _step_data()
    model = SparseLinearClassifier(alpha=1e-2, basis="steps", max_thresholds=24)
    tracemalloc.start()
    try:
        model.fit(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    design_bytes = X.shape[0] * len(model.terms_) * 8
    assert len(model.terms_) > 200  # a design much larger than the data, as the steps make it
    assert peak < 1.4 * design_bytes, (peak / design_bytes)


def test_steps_fit_in_place_gives_the_coefficients_of_a_standardized_copy(monkeypatch):
    X, y = _step_data(n=3000, p=6)
    in_place = SparseLinearClassifier(alpha=3e-3, basis="steps", max_thresholds=12).fit(X, y)
    standardize = _design.standardize
    from glassbox.linear import _base

    monkeypatch.setattr(_base, "standardize", lambda *a, **kw: standardize(*a, **{**kw, "overwrite": False}))
    copied = SparseLinearClassifier(alpha=3e-3, basis="steps", max_thresholds=12).fit(X, y)
    np.testing.assert_array_equal(in_place.coef_, copied.coef_)
    assert in_place.intercept_ == copied.intercept_


@pytest.mark.parametrize("order", ["C", "F"])
def test_a_fit_never_writes_into_the_callers_numeric_array(order):
    X, y = _step_data(n=500, p=4)
    X = np.asarray(X, order=order)
    before = X.copy()
    SparseLinearClassifier(alpha=1e-3).fit(X, y)
    np.testing.assert_array_equal(X, before)


def test_the_statistics_of_a_fortran_design_read_in_row_blocks_equal_one_row_order_pass(monkeypatch):
    rng = np.random.RandomState(3)
    raw = rng.normal(loc=5.0, size=(1000, 7)) * rng.uniform(0.1, 100.0, size=7)
    w = rng.uniform(size=1000)
    w[::7] = 0.0
    w /= w.sum()
    wy = w * rng.normal(size=1000)
    table = validate_tabular(SparseLinearRegressor(), raw, reset=True, allow_missing=False)
    whole, blocks = build_design(table, w), build_design(table, w)
    expected = fit_statistics(whole, np.ascontiguousarray(raw), w, wy)
    monkeypatch.setattr(_design, "_STATISTICS_BLOCK_BYTES", 8 * 7 * 37)  # 37 rows a block, the last one short
    got = fit_statistics(blocks, np.asfortranarray(raw), w, wy)
    np.testing.assert_array_equal(got, expected)  # bit for bit: the sums run over the rows in one order
    for name in ("means", "stds", "constant"):
        np.testing.assert_array_equal(getattr(blocks, name), getattr(whole, name))


@pytest.mark.parametrize("relative_to", [None, "mean"])
def test_a_local_explanation_holds_its_contributions_without_a_copy(relative_to):
    # explain_local needs the rows x terms design and the rows x terms contributions; the explanation
    # keeps the contributions as computed (read-only already), not a frozen copy of them: a third such
    # array (3.8 GB rather than 2.6 GB for 250,000 rows x 611 step terms)
    X, y = _step_data()
    model = SparseLinearClassifier(alpha=1e-2, basis="steps", max_thresholds=24).fit(X, y)
    tracemalloc.start()
    try:
        local = model.explain_local(X, relative_to=relative_to)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    design_bytes = X.shape[0] * len(model.terms_) * 8
    assert peak < 2.5 * design_bytes, (peak / design_bytes)
    assert not local.contributions.flags.writeable
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), model.decision_function(X),
                               rtol=1e-12, atol=1e-12)


# -- a local explanation of a sparse design is dense: refused beyond memory, naming batches -------------------------

from glassbox.linear import _base as _linear_base  # noqa: E402


def test_a_dense_explanation_larger_than_memory_is_refused_naming_a_batch_size(monkeypatch):
    # 200,000 rows of a feature of 86,412 levels asked numpy for 129 GiB in a bare MemoryError
    X, linear, rng = _merchants(n=3000, n_levels=300)
    y = (rng.uniform(size=len(X)) < 1 / (1 + np.exp(-linear))).astype(int)
    model = SparseLinearClassifier(alpha=1e-3).fit(X, y)
    assert model._design.sparse
    monkeypatch.setattr(_linear_base, "physical_memory", lambda: 2**22)  # 4 MiB
    n_terms = len(model.term_names_)
    with pytest.raises(MemoryError) as raised:
        model.explain_local(X)
    message = str(raised.value)
    batch = 2**22 // 4 // (16 * n_terms)
    assert f"Explaining 3000 rows of SparseLinearClassifier needs their contributions as a dense 3000 x {n_terms} " \
           "table beside the design" in message
    assert "this machine has 4.0 MiB" in message and f"in batches of at most {batch} " in message
    assert "'merchant' 300 levels" in message
    local = model.explain_local(X.iloc[:batch])  # a batch of that size is explained
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), model.decision_function(
        X.iloc[:batch]), rtol=1e-12, atol=1e-12)
    assert model.predict_proba(X).shape == (3000, 2)  # predictions never build the dense table


def test_a_dense_explanation_that_cannot_be_allocated_is_named(monkeypatch):
    X, linear, rng = _merchants(n=2000, n_levels=300)
    model = SparseLinearRegressor(alpha=1e-3).fit(X, linear + rng.normal(size=len(X)))

    def short_of_memory(self, *args, **kwargs):
        raise MemoryError("Unable to allocate 129. GiB for an array with shape (200000, 86438)")

    monkeypatch.setattr(type(_design_of(model)), "toarray", short_of_memory, raising=False)
    with pytest.raises(MemoryError, match=r"dense 2000 x \d+ table beside the design .* more than could be "
                                          r"allocated\. Explain the rows in batches"):
        model.explain_local(X)


def _design_of(model):
    table = validate_tabular(model, _merchants(n=5)[0], reset=False, allow_missing=False)
    return model._design.matrix(table)
