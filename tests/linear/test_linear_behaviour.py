"""Sign constraints, units, weights, categories, explanations, paths, CV and bad input."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

from glassbox.explain import CoefficientTable, LinearTerm
from glassbox.linear import (
    SparseLinearClassifier,
    SparseLinearClassifierCV,
    SparseLinearRegressor,
    SparseLinearRegressorCV,
    sparse_linear_path,
)


def _data(seed=0, n=300, p=8):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, p))
    y = 2 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2] + rng.normal(size=n)
    return X, y


def _frame(seed=0, n=300):
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame({"income": rng.normal(50, 10, n), "debt": rng.normal(10, 3, n),
                          "purpose": pd.Categorical(rng.choice(["car", "home", "other"], n))})
    score = 0.1 * frame["income"] - 0.3 * frame["debt"] + np.where(frame["purpose"] == "car", 1.0, 0.0)
    return frame, (score + rng.logistic(size=n) > np.median(score)).astype(int)


def test_sign_constraints_are_exact_against_the_data():
    X, y = _data()
    # the data want x0 > 0 and x1 < 0; force the opposite signs
    model = SparseLinearRegressor(0.0, monotonic_cst={0: -1, 1: 1}).fit(X, y)
    assert model.coef_[0] <= 0 and model.coef_[1] >= 0
    free = SparseLinearRegressor(0.0).fit(X, y)
    assert free.coef_[0] > 0 and free.coef_[1] < 0
    fitted = SparseLinearClassifier(0.001, monotonic_cst=[-1, 1] + [0] * 6).fit(X, y > 0)
    assert np.all(fitted.coef_[:, 0] <= 0) and np.all(fitted.coef_[:, 1] >= 0)
    grid = np.tile(X[:1], (50, 1))
    grid[:, 0] = np.linspace(-5, 5, 50)
    decision = fitted.decision_function(grid).reshape(50, -1)
    assert np.all(np.diff(decision, axis=0) <= 0)
    # a multiclass target refuses them (tests/linear/test_linear_multiclass_centred.py): no probability meaning


def test_coefficients_are_in_original_units():
    X, y = _data()
    scaled = X * np.array([1, 10, 0.1, 1, 1, 1, 1, 1]) + 5
    a = SparseLinearRegressor(0.05, tol=1e-10).fit(X, y)
    b = SparseLinearRegressor(0.05, tol=1e-10).fit(scaled, y)
    np.testing.assert_allclose(b.coef_ * [1, 10, 0.1, 1, 1, 1, 1, 1], a.coef_, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(a.predict(X), b.predict(scaled), rtol=1e-9)
    table = b.explain_global()
    np.testing.assert_allclose(table.standardized_coefficients, a.explain_global().standardized_coefficients,
                               rtol=1e-8, atol=1e-12)


def test_zero_and_integer_weights_equal_dropping_and_repeating_rows():
    X, y = _data(1)
    w = np.random.RandomState(0).randint(0, 3, size=len(y))
    weighted = SparseLinearRegressor(0.02, tol=1e-11).fit(X, y, sample_weight=w)
    repeated = SparseLinearRegressor(0.02, tol=1e-11).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-9)
    labels = y > 0
    weighted = SparseLinearClassifier(0.02, tol=1e-11).fit(X, labels, sample_weight=w)
    repeated = SparseLinearClassifier(0.02, tol=1e-11).fit(np.repeat(X, w, axis=0), np.repeat(labels, w))
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-9)


def test_categorical_columns_become_readable_indicator_terms():
    frame, y = _frame()
    model = SparseLinearClassifier(0.001).fit(frame, y)
    assert model.term_names_ == ["income", "debt", "purpose == car", "purpose == home", "purpose == other"]
    assert model.terms_[2] == LinearTerm("purpose", "car")
    table = model.explain_global()
    assert isinstance(table, CoefficientTable)
    np.testing.assert_allclose(table.decision_function(frame), model.decision_function(frame), rtol=1e-12)
    np.testing.assert_allclose(table.term_means[2:], frame["purpose"].value_counts(normalize=True).sort_index())
    unseen = frame.head(3).astype({"purpose": object})
    unseen["purpose"] = "boat"
    np.testing.assert_allclose(model.decision_function(unseen), model.intercept_[0] + unseen[["income", "debt"]] @ model.coef_[0, :2])
    text = str(table)
    assert "purpose == car" in text and "nonzero" in text


@pytest.mark.parametrize("classes", [2, 3])
def test_local_explanations_relative_to_mean_keep_additivity(classes):
    X, y = _data(2)
    target = np.digitize(y, np.quantile(y, np.linspace(0, 1, classes + 1)[1:-1]))
    model = SparseLinearClassifier(0.01).fit(X, target)
    plain = model.explain_local(X[:20])
    relative = model.explain_local(X[:20], relative_to="mean")
    decision = model.decision_function(X[:20])
    for explanation in (plain, relative):
        total = explanation.base_value + explanation.contributions.sum(axis=1)
        np.testing.assert_allclose(total, decision, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(plain.base_value, model._base_value())
    mean_row = model.decision_function(X.mean(axis=0, keepdims=True))[0]
    np.testing.assert_allclose(relative.base_value, mean_row, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="relative_to"):
        model.explain_local(X[:2], relative_to="median")


def test_fit_is_deterministic():
    X, y = _data(3)
    for penalty in ("l1", "elasticnet", "l0"):
        a = SparseLinearRegressor(0.01, penalty=penalty).fit(X, y)
        b = SparseLinearRegressor(0.01, penalty=penalty).fit(X, y)
        assert np.array_equal(a.coef_, b.coef_) and a.intercept_ == b.intercept_


def test_path_warm_starts_match_single_fits():
    X, y = _data(4)
    path = sparse_linear_path(SparseLinearRegressor(tol=1e-10), X, y, n_alphas=12)
    assert path.n_nonzero[0] == 0 and np.all(path.coefs[0] == 0)
    assert np.all(np.diff(path.alphas) < 0)
    for i in (3, 8, 11):
        single = SparseLinearRegressor(path.alphas[i], tol=1e-10).fit(X, y)
        np.testing.assert_allclose(path.coefs[i], single.coef_, atol=1e-8)
    frame = path.to_frame()
    assert set(frame.columns) == {"alpha", "term", "coefficient"} and len(frame) == 12 * 8
    # the first grid point is the smallest alpha with an empty model
    just_below = SparseLinearRegressor(path.alphas[0] * 0.99).fit(X, y)
    assert just_below.n_nonzero_ >= 1


def test_path_refuses_what_is_not_a_glassbox_sparse_linear_model():
    # a Pipeline or another library's model has no settings the path can take; it used to crash on a private method
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = _data(4)
    for estimator in (make_pipeline(StandardScaler(), SparseLinearRegressor()), LogisticRegression()):
        with pytest.raises(TypeError, match=r"glassbox sparse linear model .*got (Pipeline|LogisticRegression).*last step"):
            sparse_linear_path(estimator, X, y, n_alphas=3)


def test_cv_estimators_choose_alpha_and_parallel_runs_agree():
    X, y = _data(5)
    X = np.column_stack([X, np.random.RandomState(0).normal(size=(len(y), 12))])
    serial = SparseLinearRegressorCV(n_alphas=15, cv=4).fit(X, y)
    parallel = SparseLinearRegressorCV(n_alphas=15, cv=4, n_jobs=2).fit(X, y)
    assert serial.alpha_ == parallel.alpha_ and np.array_equal(serial.coef_, parallel.coef_)
    assert serial.cv_losses_.shape == (15, 4)
    assert serial.alpha_ < serial.alphas_[0] and {0, 1, 2} <= set(np.flatnonzero(serial.coef_))
    refit = SparseLinearRegressor(serial.alpha_).fit(X, y)
    np.testing.assert_allclose(refit.coef_, serial.coef_, atol=1e-5)
    clf = SparseLinearClassifierCV(n_alphas=8, cv=3).fit(X, y > 0)
    assert clf.score(X, y > 0) > 0.8


def test_convergence_warning_when_iterations_run_out():
    X, y = _data(6)
    X[:, 1] = X[:, 0] + 1e-3 * X[:, 1]  # strongly correlated columns converge slowly
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        SparseLinearRegressor(1e-6, max_iter=2, tol=1e-12).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        SparseLinearRegressor(0.01).fit(X, y)


def test_missing_and_infinite_values_are_rejected_by_column_name():
    frame, y = _frame()
    frame.loc[3, "debt"] = np.nan
    with pytest.raises(ValueError, match=r"NaN.*\['debt'\].*[Ii]mpute"):
        SparseLinearClassifier().fit(frame, y)
    frame.loc[3, "debt"] = np.inf
    with pytest.raises(ValueError, match=r"infinity.*\['debt'\]"):
        SparseLinearClassifier().fit(frame, y)
    X, target = _data()
    model = SparseLinearRegressor().fit(X, target)
    X[0, 2] = np.nan
    with pytest.raises(ValueError, match=r"NaN.*\['x2'\]"):
        model.predict(X)


def test_constant_column_warns_and_keeps_zero_coefficient():
    X, y = _data(7)
    with_constant = np.column_stack([X, np.full(len(y), 3.0)])
    with pytest.warns(UserWarning, match=r"\['x8'\] are constant"):
        model = SparseLinearRegressor(0.01, tol=1e-10).fit(with_constant, y)
    assert model.coef_[8] == 0.0
    np.testing.assert_allclose(model.coef_[:8], SparseLinearRegressor(0.01, tol=1e-10).fit(X, y).coef_, atol=1e-12)


def test_many_constant_columns_are_named_ten_and_counted_as_unseen_levels_are():
    # a one-hot sparse design of a many-level code has thousands of empty columns: listing every one
    # made a warning of 80 KB (8,974 names) at each fit, and at each fold of a cross-validation
    from scipy.sparse import csr_matrix, hstack

    X, y = _data(7)
    empty = csr_matrix((len(y), 40))  # 40 columns no row uses
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        SparseLinearRegressor(0.01).fit(hstack([csr_matrix(X), empty], format="csr"), y)
    texts = [str(w.message) for w in caught if "are constant" in str(w.message)]
    assert len(texts) == 1
    named = [f"x{j}" for j in range(8, 18)]
    assert texts[0].startswith(f"Features {named} ... and 30 more are constant")
    assert "x18" not in texts[0] and len(texts[0]) < 400
    # the unseen-level warning names its levels the same way, through the same helper
    model = SparseLinearRegressor(0.01).fit(pd.DataFrame({"code": list("ab") * 50, "x": np.arange(100.0)}),
                                            np.arange(100.0))
    with pytest.warns(UserWarning, match=re.escape("['c00', 'c01', 'c02', 'c03', 'c04', 'c05', 'c06', 'c07', "
                                                   "'c08', 'c09'] ... and 2 more; ")):
        model.predict(pd.DataFrame({"code": [f"c{i:02d}" for i in range(12)], "x": np.zeros(12)}))


def test_bad_parameters_name_the_problem():
    X, y = _data()
    with pytest.raises(ValueError, match="monotonic_cst has 9 entries but X has 8 features"):
        SparseLinearRegressor(monotonic_cst=[1] * 9).fit(X, y)
    with pytest.raises(ValueError, match="max_features=9 exceeds the 8 terms"):
        SparseLinearRegressor(max_features=9).fit(X, y)
    with pytest.raises(ValueError, match="one class"):
        SparseLinearClassifier().fit(X, np.ones(len(y)))
    frame, labels = _frame()
    with pytest.raises(ValueError, match="categorical"):
        SparseLinearClassifier(monotonic_cst={"purpose": 1}).fit(frame, labels)
    with pytest.raises(ValueError, match="penalty"):
        SparseLinearRegressor(penalty="l2").fit(X, y)


def test_plots_draw_coefficients_and_path():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from glassbox.plotting import CoefficientDisplay, RegularizationPathDisplay

    frame, y = _frame()
    model = SparseLinearClassifier(0.01).fit(frame, y)
    bars = CoefficientDisplay.from_estimator(model)
    assert len(bars.bars_) == model.n_nonzero_
    path = RegularizationPathDisplay.from_estimator(SparseLinearClassifier(), frame, y, n_alphas=10)
    assert len(path.lines_) == len(model.term_names_)
    assert path.ax_.get_xscale() == "log"


@pytest.mark.parametrize("params", [{"alpha": 0.0}, {"alpha": 0.0, "loss": "poisson"}, {"alpha": 0.0, "penalty": "l0"}])
def test_an_unpenalized_fit_of_more_terms_than_rows_is_warned_of(params):
    """Its coefficients are not determined by the data: the one returned is where the solver stopped."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 60))
    y = rng.poisson(np.exp(0.3 * X[:, 0])) + 1.0
    with pytest.warns(UserWarning, match=r"keeps \d+ terms and an intercept on 20 rows.*not determined by the data") \
            as caught:
        SparseLinearRegressor(**params).fit(X, y)
    assert "alpha > 0" in str(next(w.message for w in caught if "not determined" in str(w.message)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SparseLinearRegressor(alpha=0.0).fit(X[:, :5], y)  # fewer terms than rows
        SparseLinearRegressor(alpha=0.1).fit(X, y)  # a penalty picks one solution
