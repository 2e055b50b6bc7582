"""SparseLinearRegressor with the log-link losses: Poisson, Gamma and Tweedie deviances."""

import warnings
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import GammaRegressor, PoissonRegressor, TweedieRegressor
from sklearn.metrics import mean_poisson_deviance
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassbox import from_json
from glassbox.linear import SparseLinearRegressor, SparseLinearRegressorCV, sparse_linear_path
from glassbox.linear._cd_objective_fast import GammaDatafit, PoissonDatafit, TweedieDatafit
from glassbox.linear._reference import log_link_lasso, log_link_row_terms
from glassbox.utils._sklearn_shim import harness_check_bugs
from glassbox.utils.checks import GLASSBOX_CHECKS

LOSSES = {"poisson": None, "gamma": None, "tweedie": 1.5, "tweedie-1.2": 1.2, "tweedie-1.8": 1.8}


def _loss_and_power(name):
    return name.split("-")[0], LOSSES[name] if LOSSES[name] is not None else 1.5


def _target(loss, mu, rng, power=1.5):
    """A draw of the loss's family with mean ``mu`` (Tweedie: compound Poisson-Gamma, exact zeros)."""
    if loss == "poisson":
        return rng.poisson(mu).astype(float)
    if loss == "gamma":
        return rng.gamma(3.0, mu / 3.0)
    # compound Poisson-Gamma with mean mu and variance phi mu^p (phi = 1)
    lam = mu ** (2 - power) / (2 - power)
    shape = (2 - power) / (power - 1)
    scale = (power - 1) * mu ** (power - 1)
    return rng.gamma(shape * rng.poisson(lam), scale)  # shape 0: exactly 0


def _data(loss, power=1.5, seed=0, n=300, p=6):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 2.0, size=p) + rng.normal(size=p)
    eta = 0.3 + 0.4 * (X[:, 0] - X[:, 0].mean()) - 0.3 * (X[:, 2] - X[:, 2].mean()) + 0.1 * X[:, 1]
    return X, _target(loss, np.exp(eta), rng, power), rng.uniform(0.2, 2.0, size=n)


def _model(name, alpha, **params):
    loss, power = _loss_and_power(name)
    return SparseLinearRegressor(alpha, loss=loss, power=power, tol=1e-12, max_iter=10_000, **params)


def _gradient(model, X, y, w):
    """Gradient of the mean half deviance in (intercept, coef) at the fitted model, original units."""
    loss, power = model.loss, model.power
    _, grad_eta, _ = log_link_row_terms(loss, y, model.intercept_ + X @ model.coef_, power)
    w = w / w.sum()
    return float(w @ grad_eta), X.T @ (w * grad_eta)


# -- kernels -------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(LOSSES))
def test_datafit_value_gradient_and_hessian_match_reference_and_finite_differences(name):
    loss, power = _loss_and_power(name)
    rng = np.random.RandomState(1)
    eta = rng.normal(size=50)
    eta[:3] = [0.0, 40.0, -40.0]
    y = _target(loss, np.exp(rng.normal(size=50) * 0.5), rng, power)
    w = rng.uniform(0, 1, size=50)
    w[5] = 0.0
    w /= w.sum()
    datafit = {"poisson": PoissonDatafit, "gamma": GammaDatafit}.get(loss, lambda: TweedieDatafit(power))()
    Y, E = y[None, :], eta[None, :]
    value = datafit.py_value(Y, w, E)
    h, s = datafit.py_quadratic_model(Y, w, E, 0)
    ref_value, ref_grad, ref_hess = log_link_row_terms(loss, y, eta, power)
    np.testing.assert_allclose(value, w @ ref_value, rtol=1e-12)
    np.testing.assert_allclose(s, -w * ref_grad, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(h, w * ref_hess, rtol=1e-12, atol=1e-300)
    # finite differences of the compiled value, row by row, without the extreme rows (whose values
    # of order exp(40) would swamp a difference of order 1e-5)
    E[0, :3] = 0.0
    value = datafit.py_value(Y, w, E)
    h, s = datafit.py_quadratic_model(Y, w, E, 0)
    step = 1e-5
    for i in range(5, 15):
        up, down = E.copy(), E.copy()
        up[0, i] += step
        down[0, i] -= step
        f_up, f_down = datafit.py_value(Y, w, up), datafit.py_value(Y, w, down)
        np.testing.assert_allclose((f_up - f_down) / (2 * step), -s[i], rtol=1e-5, atol=1e-10)
        up[0, i] += 9 * step  # a wider step for the second difference, whose rounding error is eps / step^2
        down[0, i] -= 9 * step
        f_up, f_down = datafit.py_value(Y, w, up), datafit.py_value(Y, w, down)
        np.testing.assert_allclose((f_up - 2 * value + f_down) / (10 * step) ** 2, h[i], rtol=1e-4, atol=1e-7)


def test_datafits_stay_finite_at_extreme_linear_predictors():
    y = np.array([[0.0, 2.0, 5.0]])
    eta = np.array([[1000.0, -1000.0, 0.5]])
    w = np.full(3, 1 / 3)
    for datafit in (PoissonDatafit(), TweedieDatafit(1.5)):
        h, s = datafit.py_quadratic_model(y, w, eta, 0)
        assert np.isfinite(datafit.py_value(y, w, eta)) and np.all(np.isfinite(h)) and np.all(np.isfinite(s))
    h, s = GammaDatafit().py_quadratic_model(y + 1, w, eta, 0)
    assert np.all(np.isfinite(h)) and np.all(np.isfinite(s))


def test_line_search_reaches_tight_tolerances_of_small_deviances():
    # the mean Gamma deviance here is 1e-3 while its rows' terms are of order 1 and cancel: a line
    # search that allowed for rounding relative to the objective alone refused every late Newton step
    X = np.repeat([[1.0, 3.0], [2.0, 1.0], [3.0, 3.0], [4.0, 1.0]], 4, axis=0)
    y = np.repeat([3.0, 4.0, 3.0, 4.0], 4)
    weights = np.ones(16)
    weights[0] = 10.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        for loss in ("poisson", "gamma", "tweedie"):
            SparseLinearRegressor(loss=loss, tol=1e-10).fit(X, y, sample_weight=weights)


# -- parity with scikit-learn's GLMs -------------------------------------------------
def _sklearn_glm(name, alpha):
    loss, power = _loss_and_power(name)
    params = {"alpha": alpha, "solver": "newton-cholesky", "tol": 1e-12, "max_iter": 1000}
    if loss == "poisson":
        return PoissonRegressor(**params)
    if loss == "gamma":
        return GammaRegressor(**params)
    return TweedieRegressor(power=power, link="log", **params)


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.2])
@pytest.mark.parametrize("name", list(LOSSES))
def test_ridge_parity_with_sklearn_glms(name, alpha):
    # both minimize sum_i w_i halfdev_i / sum_i w_i + alpha / 2 |b|^2: the same alpha
    loss, power = _loss_and_power(name)
    X, y, w = _data(loss, power)
    ours = _model(name, alpha, penalty="elasticnet", l1_ratio=0.0, standardize=False).fit(X, y, sample_weight=w)
    ref = _sklearn_glm(name, alpha).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert abs(ours.intercept_ - ref.intercept_) < 1e-6
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-6)


# -- lasso: KKT conditions, brute-force reference, sign constraints --------------------
@pytest.mark.parametrize("name", list(LOSSES))
@pytest.mark.parametrize("alpha", [0.005, 0.05])
def test_lasso_meets_kkt_and_matches_lbfgs_reference(name, alpha):
    loss, power = _loss_and_power(name)
    X, y, w = _data(loss, power, seed=3, n=120, p=5)
    model = _model(name, alpha, standardize=False).fit(X, y, sample_weight=w)
    g0, g = _gradient(model, X, y, w)
    b = model.coef_
    assert abs(g0) < 1e-7
    nonzero = b != 0
    np.testing.assert_allclose(g[nonzero] + alpha * np.sign(b[nonzero]), 0.0, atol=1e-7)
    assert np.all(np.abs(g[~nonzero]) <= alpha + 1e-7)
    coef, intercept = log_link_lasso(X, y, w, loss, alpha, power=power)
    np.testing.assert_allclose(b, coef, atol=1e-6)
    assert abs(model.intercept_ - intercept) < 1e-6


@pytest.mark.parametrize("name", ["poisson", "gamma", "tweedie"])
def test_sign_constraints_are_exact_and_optimal(name):
    loss, power = _loss_and_power(name)
    X, y, w = _data(loss, power, seed=4, n=150, p=4)
    signs = [-1, 0, 1, 1]  # the data pull x0 up and x2 down: both constraints bind
    model = _model(name, 0.001, standardize=False, monotonic_cst=signs).fit(X, y, sample_weight=w)
    assert model.coef_[0] <= 0.0 and model.coef_[2] >= 0.0
    assert model.coef_[0] == 0.0 and model.coef_[2] == 0.0  # exactly at the bound, not -1e-17
    coef, _ = log_link_lasso(X, y, w, loss, 0.001, power=power, signs=signs)
    np.testing.assert_allclose(model.coef_, coef, atol=1e-6)


@pytest.mark.parametrize("name", ["poisson", "gamma", "tweedie"])
def test_l0_with_max_features_finds_the_best_support(name):
    loss, power = _loss_and_power(name)
    rng = np.random.RandomState(7)
    n, p, k = 200, 6, 2
    X = rng.normal(size=(n, p))
    X[:, 1] = X[:, 0] + 0.3 * rng.normal(size=n)  # correlated: a greedy start can pick the wrong one
    y = _target(loss, np.exp(0.2 + 0.5 * X[:, 0] - 0.4 * X[:, 3] + 0.2 * X[:, 5]), rng, power)
    w = np.ones(n)

    def deviance(support):
        coef, intercept = log_link_lasso(X[:, support], y, w, loss, 0.0, power=power)
        return np.mean(log_link_row_terms(loss, y, intercept + X[:, support] @ coef, power)[0])

    best = min(combinations(range(p), k), key=lambda s: deviance(list(s)))
    model = _model(name, 0.0, penalty="l0", max_features=k).fit(X, y)
    assert tuple(np.flatnonzero(model.coef_)) == best


# -- the model's form ----------------------------------------------------------------
def _frame(seed=0, n=400):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"age": rng.uniform(18, 80, n), "power": rng.uniform(50, 200, n),
                      "young": rng.rand(n) < 0.25, "region": pd.Categorical(rng.choice(["n", "s", "e"], n))})
    eta = -1.0 + 0.01 * X["age"] + 0.6 * X["young"] + 0.4 * (X["region"] == "s")
    return X, rng.poisson(np.exp(eta.to_numpy())).astype(float)


def test_predict_is_exp_of_the_decision_and_local_explanations_add_up_on_the_log_scale():
    X, y = _frame()
    model = SparseLinearRegressor(0.002, loss="poisson").fit(X, y)
    local = model.explain_local(X)
    decision = local.base_value + local.contributions.sum(axis=1)
    np.testing.assert_allclose(decision, local.decision, rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X), np.exp(local.decision))
    np.testing.assert_allclose(model.explain_global().decision_function(X), local.decision, rtol=1e-12)
    assert "prediction = exp(" in str(local)


def test_coefficient_table_shows_relativities_and_the_base_rate():
    X, y = _frame()
    model = SparseLinearRegressor(0.002, loss="poisson").fit(X, y)
    table = model.explain_global()
    frame = table.to_frame()
    np.testing.assert_array_equal(frame["relativity"], np.exp(frame["coefficient"]))
    text = str(table)
    assert "log scale" in text and "relativity" in text and "base rate exp(intercept)" in text
    assert "relativity" in table._repr_html_()
    young = frame.set_index("term").loc["young", "relativity"]
    assert f"x{young:.4g}"[:5] in text
    squared = SparseLinearRegressor(0.002).fit(X, y).explain_global()
    assert "relativity" not in squared.to_frame() and "relativity" not in str(squared)


@pytest.mark.parametrize("loss,power", [("poisson", 1.5), ("tweedie", 1.3)])
def test_json_round_trip_is_exact_and_keeps_loss_and_power(loss, power):
    X, y = _frame()
    model = SparseLinearRegressor(0.002, loss=loss, power=power).fit(X, y)
    restored = from_json(model.to_json())
    assert restored == model.explain_global()
    assert restored.link.name == "log" and restored.loss == loss
    assert restored.power == (power if loss == "tweedie" else None)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    # a squared-error payload carries no loss: it reads as the ones written before the losses existed
    assert "loss" not in SparseLinearRegressor(0.002).fit(X, y).explain_global().to_dict()["content"]


def test_fits_are_deterministic_and_sparse_input_equals_dense():
    X, y, w = _data("poisson", seed=5, n=400, p=8)
    X[np.abs(X) < 0.8] = 0.0
    dense = SparseLinearRegressor(0.003, loss="poisson", tol=1e-10).fit(X, y, sample_weight=w)
    again = SparseLinearRegressor(0.003, loss="poisson", tol=1e-10).fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(dense.coef_, again.coef_)
    sparse = SparseLinearRegressor(0.003, loss="poisson", tol=1e-10).fit(sp.csr_matrix(X), y, sample_weight=w)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-8)
    np.testing.assert_allclose(sparse.predict(sp.csr_matrix(X)), dense.predict(X), rtol=1e-8)


def test_exposure_idiom_equals_the_count_model_with_log_exposure_offset():
    # fitting the rate counts / exposure with sample_weight=exposure minimizes the Poisson deviance
    # of the counts with offset log(exposure), divided by sum(exposure) instead of n
    rng = np.random.RandomState(2)
    n = 300
    X = rng.normal(size=(n, 4))
    exposure = rng.uniform(0.1, 3.0, size=n)
    counts = rng.poisson(exposure * np.exp(-0.5 + 0.4 * X[:, 0] - 0.2 * X[:, 1])).astype(float)
    alpha = 0.01
    model = SparseLinearRegressor(alpha, loss="poisson", standardize=False, tol=1e-12)
    model.fit(X, counts / exposure, sample_weight=exposure)
    coef, intercept = log_link_lasso(X, counts, np.ones(n), "poisson", alpha * exposure.sum() / n,
                                     offset=np.log(exposure))
    np.testing.assert_allclose(model.coef_, coef, atol=1e-6)
    assert abs(model.intercept_ - intercept) < 1e-6
    np.testing.assert_allclose((model.predict(X) * exposure).sum(), counts.sum(), rtol=1e-9)


def test_null_model_and_alpha_max_of_the_path():
    X, y, w = _data("poisson", seed=6)
    path = sparse_linear_path(SparseLinearRegressor(loss="poisson"), X, y, sample_weight=w, n_alphas=5)
    assert path.n_nonzero[0] == 0 and path.n_nonzero[-1] > 0
    np.testing.assert_allclose(path.intercepts[0], np.log(np.average(y, weights=w)), rtol=1e-12)
    # just below alpha_max a coefficient enters
    below = SparseLinearRegressor(path.alphas[0] * 0.99, loss="poisson").fit(X, y, sample_weight=w)
    assert below.n_nonzero_ == 1


def test_cv_scores_alphas_by_held_out_mean_deviance():
    X, y, w = _data("poisson", seed=8)
    train, test = np.arange(200), np.arange(200, 300)
    cv = SparseLinearRegressorCV(loss="poisson", alphas=[0.05, 0.005], cv=[(train, test)], tol=1e-10)
    cv.fit(X, y)
    for a, alpha in enumerate(cv.alphas_):
        fold = SparseLinearRegressor(alpha, loss="poisson", tol=1e-10).fit(X[train], y[train])
        np.testing.assert_allclose(cv.cv_losses_[a, 0], mean_poisson_deviance(y[test], fold.predict(X[test])),
                                   rtol=1e-7)


def test_pure_ridge_path_needs_explicit_alphas():
    X, y, _ = _data("poisson")
    with pytest.raises(ValueError, match="pass alphas explicitly"):
        sparse_linear_path(SparseLinearRegressor(loss="poisson", penalty="elasticnet", l1_ratio=0.0), X, y)
    path = sparse_linear_path(SparseLinearRegressor(loss="poisson", penalty="elasticnet", l1_ratio=0.0), X, y,
                              alphas=[1.0, 0.1])
    assert path.n_nonzero[-1] == X.shape[1]


# -- score -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(LOSSES))
@pytest.mark.parametrize("cv", [False, True])
def test_score_of_a_log_link_model_is_the_fraction_of_deviance_explained(name, cv):
    from sklearn.metrics import d2_tweedie_score, r2_score

    loss, power = _loss_and_power(name)
    X, y, w = _data(loss, power)
    model = (SparseLinearRegressorCV(loss=loss, power=power, n_alphas=5, cv=3) if cv
             else SparseLinearRegressor(loss=loss, power=power, alpha=0.01)).fit(X, y, sample_weight=w)
    family_power = {"poisson": 1.0, "gamma": 2.0}.get(loss, power)
    d2 = d2_tweedie_score(y, model.predict(X), sample_weight=w, power=family_power)
    assert model.score(X, y, sample_weight=w) == pytest.approx(d2, rel=1e-12)
    assert model.score(X, y) == pytest.approx(d2_tweedie_score(y, model.predict(X), power=family_power), rel=1e-12)
    assert model.score(X, y, sample_weight=w) != pytest.approx(r2_score(y, model.predict(X), sample_weight=w))
    w_zero = w.copy()
    w_zero[:40] = 0.0  # rows of zero weight do not count, whatever their y
    y_zero = y.copy()
    y_zero[:40] = 0.0 if loss == "gamma" else -1.0
    kept = slice(40, None)
    assert model.score(X, y_zero, sample_weight=w_zero) == pytest.approx(
        d2_tweedie_score(y[kept], model.predict(X[kept]), sample_weight=w[kept], power=family_power), rel=1e-12)


def test_score_equals_sklearn_glm_score_and_squared_error_keeps_r2():
    from sklearn.metrics import r2_score

    X, y, w = _data("poisson")
    ours = SparseLinearRegressor(loss="poisson", alpha=0.01, penalty="elasticnet", l1_ratio=0.0, standardize=False,
                                 tol=1e-12).fit(X, y, sample_weight=w)
    theirs = PoissonRegressor(alpha=0.01, tol=1e-12, max_iter=10_000).fit(X, y, sample_weight=w)
    assert ours.score(X, y, sample_weight=w) == pytest.approx(theirs.score(X, y, sample_weight=w), abs=1e-8)
    squared = SparseLinearRegressor(alpha=0.01).fit(X, y, sample_weight=w)
    assert squared.score(X, y, sample_weight=w) == r2_score(y, squared.predict(X), sample_weight=w)


# -- bad input -------------------------------------------------------------------------
@pytest.mark.parametrize("loss,y,message", [
    ("poisson", [1.0, -1.0, 2.0, 0.0], "non-negative target"),
    ("tweedie", [1.0, -1.0, 2.0, 0.0], "non-negative target"),
    ("gamma", [1.0, 0.0, 2.0, 3.0], "strictly positive target"),
    ("poisson", [0.0, 0.0, 0.0, 0.0], "not zero in every row"),
])
def test_targets_a_loss_cannot_model_are_refused_naming_one_that_can(loss, y, message):
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=message):
        SparseLinearRegressor(loss=loss).fit(X, y)


def _severity_book(n=600, seed=0):
    """One row per policy: y = mean claim amount, 0 where there is no claim; weight = the claim count."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"age": rng.randint(18, 80, n).astype(float), "region": rng.choice(["a", "b", "c"], n)})
    claims = rng.poisson(0.5, n)
    severity = np.where(claims > 0, rng.gamma(2.0, 500.0, n) * np.exp(0.01 * X["age"]), 0.0)
    return X, severity, claims


@pytest.mark.parametrize("loss", ["gamma", "poisson", "tweedie"])
def test_rows_of_zero_weight_do_not_enter_the_target_check_nor_the_fit(loss):
    # Gamma severity weighted by claim count: the zero-claim rows (amount 0, weight 0) are the same fit as dropped
    X, severity, claims = _severity_book()
    y = severity if loss != "poisson" else severity / 100.0
    y = np.where(claims > 0, y, -1.0 if loss != "gamma" else 0.0)  # invalid for the loss, but weight 0
    kept = claims > 0
    model = SparseLinearRegressor(loss=loss, alpha=1e-3, tol=1e-10).fit(X, y, sample_weight=claims)
    dropped = SparseLinearRegressor(loss=loss, alpha=1e-3, tol=1e-10).fit(X[kept], y[kept], sample_weight=claims[kept])
    # equal up to the solver's tolerance (the row sums reach it in another order)
    np.testing.assert_allclose(model.coef_, dropped.coef_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(model.intercept_, dropped.intercept_, rtol=1e-9)
    assert np.all(np.isfinite(model.predict(X)))


def test_invalid_targets_in_rows_of_positive_weight_say_drop_them_or_use_tweedie():
    X, severity, claims = _severity_book()
    claims = np.where(np.arange(len(claims)) < 3, 1, claims)  # three zero amounts now weigh
    with pytest.raises(ValueError, match=r"y has 3 value\(s\) <= 0 in rows of positive sample_weight .*"
                                         r"Drop those rows .* or use loss='tweedie'"):
        SparseLinearRegressor(loss="gamma").fit(X, np.where(np.arange(len(claims)) < 3, 0.0, severity + 1),
                                                sample_weight=claims)


@pytest.mark.parametrize("power,hint", [(1.0, "loss='poisson'"), (2.0, "loss='gamma'"), (0.5, "not available"),
                                        (3.0, "not available")])
def test_tweedie_power_out_of_range_is_refused(power, hint):
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=hint):
        SparseLinearRegressor(loss="tweedie", power=power).fit(X, [1.0, 0.0, 2.0, 3.0])
    SparseLinearRegressor(loss="poisson", power=power).fit(X, [1.0, 0.0, 2.0, 3.0])  # ignored by other losses


def test_nan_target_is_refused():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="NaN"):
        SparseLinearRegressor(loss="poisson").fit(X, [1.0, np.nan, 2.0, 3.0])


# -- scikit-learn's and glassbox's contracts -------------------------------------------
LOG_LINK_ESTIMATORS = [SparseLinearRegressor(loss=loss, tol=1e-10) for loss in ("poisson", "gamma", "tweedie")]


@parametrize_with_checks(LOG_LINK_ESTIMATORS + [SparseLinearRegressorCV(loss="poisson", n_alphas=5, cv=3, tol=1e-10)],
                         expected_failed_checks=harness_check_bugs)
def test_sklearn_contract_log_link_losses(estimator, check):
    check(estimator)


@pytest.mark.parametrize("check", GLASSBOX_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("estimator", LOG_LINK_ESTIMATORS, ids=lambda e: e.loss)
def test_glassbox_contract_of_the_log_link_losses(estimator, check):
    check(f"SparseLinearRegressor(loss={estimator.loss!r})", estimator)


def test_coefficient_plot_draws_relativities_on_a_log_axis():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from glassbox.plotting import CoefficientDisplay

    X, y = _frame()
    model = SparseLinearRegressor(0.002, loss="poisson").fit(X, y)
    display = CoefficientDisplay.from_estimator(model, relativity=True, standardized=False)
    assert display.ax_.get_xscale() == "log" and "relativity" in display.ax_.get_xlabel()
    ends = sorted(bar.get_x() + bar.get_width() for bar in display.bars_)
    nonzero = model.coef_[model.coef_ != 0]
    np.testing.assert_allclose(ends, np.sort(np.exp(nonzero)), rtol=1e-12)
    assert all(bar.get_x() == 1.0 for bar in display.bars_)
    with pytest.raises(ValueError, match="log-link"):
        CoefficientDisplay.from_estimator(SparseLinearRegressor(0.002).fit(X, y), relativity=True)
    plt.close("all")


def test_cv_skips_a_fold_whose_training_counts_are_all_zero():
    X = np.arange(40.0).reshape(20, 2)
    y = np.r_[np.zeros(10), np.arange(1.0, 11.0)]
    folds = [(np.arange(10), np.arange(10, 20)), (np.arange(5, 20), np.arange(5))]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        model = SparseLinearRegressorCV(loss="poisson", alphas=[1.0, 0.1], cv=folds).fit(X, y)
    assert np.all(np.isnan(model.cv_losses_[:, 0])) and np.all(np.isfinite(model.cv_losses_[:, 1]))


@pytest.mark.parametrize("loss, bad, named", [("poisson", -1.0, "non-negative"), ("gamma", 0.0, "strictly positive"),
                                              ("tweedie", -1.0, "non-negative")])
def test_score_on_a_target_the_loss_has_no_deviance_for_names_it(loss, bad, named):
    """As fit does, not with scikit-learn's metric error from deep inside; rows of weight zero are not checked."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 2))
    y = rng.poisson(np.exp(0.5 * X[:, 0])) + 1.0
    model = SparseLinearRegressor(alpha=0.01, loss=loss).fit(X, y)
    y_bad = y.copy()
    y_bad[0] = bad
    with pytest.raises(ValueError, match=f"score.*loss='{loss}' needs a {named} target"):
        model.score(X, y_bad)
    weights = np.ones(100)
    weights[0] = 0.0
    assert np.isfinite(model.score(X, y_bad, sample_weight=weights))
    with pytest.raises(ValueError, match=r"y is 0 in every row of positive weight, where D\^2 is 0 / 0"):
        model.score(X, np.zeros(100))


def test_a_relativity_close_to_1_keeps_the_digits_that_part_it_from_1():
    # a per-dollar relativity printed "x1", a factor of no effect, beside a coefficient of 2.958e-05
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"income": rng.uniform(0, 20000, 3000), "age": rng.uniform(18, 80, 3000)})
    y = rng.poisson(np.exp(-1 + 3e-5 * X["income"] + 0.01 * X["age"]))
    table = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y).explain_global()
    rows = {line.split()[0]: line.split() for line in str(table).splitlines() if line.startswith(("income", "age"))}
    income = float(np.exp(table.to_frame().set_index("term").loc["income", "coefficient"]))
    assert rows["income"][2] != "x1" and float(rows["income"][2][1:]) == pytest.approx(income, rel=1e-7)
    assert rows["age"][2] == "x" + format(float(np.exp(table.to_frame().set_index("term").loc["age", "coefficient"])),
                                          ".4g")
