"""Standard errors and intervals of sparse linear models (``coefficient_inference``).

Wald figures are checked against references computed here independently of the
library's formulas: weighted least squares in closed form, and the inverse of a
finite-difference Hessian of the weighted negative log-likelihood (expected
information: the Hessian with y set to the fitted mean, which is exact because
the GLM Hessian is linear in y).  Coverage is checked by simulation.
"""

import json

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy import stats
from sklearn.linear_model import LinearRegression

from glassbox import (SparseLinearClassifier, SparseLinearClassifierCV, SparseLinearRegressor, coefficient_inference)
from glassbox.explain import CoefficientInference


def _frame(n, seed):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({
        "a": rng.normal(size=n),
        "b": rng.normal(size=n) * 100,
        "zone": pd.Categorical(rng.choice(list("pqrs"), n)),
    })
    eta = 0.3 + 0.5 * X["a"] + 0.002 * X["b"] + X["zone"].map({"p": 0, "q": 0.2, "r": -0.3, "s": 0.5}).astype(float)
    return X, np.asarray(eta), rng


def _kept_design(model, X):
    """The intercept and the kept terms' columns, in the table's order."""
    design = model._validated_design(X)[1]
    kept = np.flatnonzero(np.ravel(model.coef_) != 0)
    return np.column_stack([np.ones(len(X)), np.asarray(design[:, kept], dtype=float)])


def _nll(loss, y, eta, power=1.5):
    """Per-row negative log-likelihood (up to terms free of eta), unit dispersion."""
    if loss == "poisson":
        return np.exp(eta) - y * eta
    if loss == "gamma":
        return y * np.exp(-eta) + eta
    if loss == "tweedie":
        return -y * np.exp((1 - power) * eta) / (1 - power) + np.exp((2 - power) * eta) / (2 - power)
    if loss == "logistic":
        return np.logaddexp(0, eta) - y * eta
    raise AssertionError(loss)


def _numerical_information(loss, A, w, y_ref, beta, step=1e-4):
    """Central second differences of sum_i w_i nll(y_ref_i, A beta)."""
    k = len(beta)
    scale = 1 / np.sqrt(np.sum(w[:, None] * A**2, axis=0) / w.sum())  # steps in standardized units
    f = lambda b: float(np.sum(w * _nll(loss, y_ref, A @ b)))
    H = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            ei, ej = np.eye(k)[i] * step * scale[i], np.eye(k)[j] * step * scale[j]
            H[i, j] = (f(beta + ei + ej) - f(beta + ei - ej) - f(beta - ei + ej) + f(beta - ei - ej)) / (
                4 * step**2 * scale[i] * scale[j])
    return H


# -- Wald --------------------------------------------------------------------------------------------
def test_wald_matches_weighted_least_squares_in_closed_form():
    X, eta, rng = _frame(400, 0)
    y = eta + rng.normal(size=len(X))
    w = rng.uniform(0.5, 2, len(X))
    model = SparseLinearRegressor(alpha=0, tol=1e-10).fit(X, y, sample_weight=w)
    result = coefficient_inference(model, X, y, sample_weight=w)
    A = _kept_design(model, X)
    reference = LinearRegression(fit_intercept=False).fit(A, y, sample_weight=w)
    residual = y - A @ reference.coef_
    df = w.sum() - A.shape[1]
    sigma2 = np.sum(w * residual**2) / df
    covariance = sigma2 * np.linalg.inv(A.T @ (w[:, None] * A))
    se = np.sqrt(np.diag(covariance))
    np.testing.assert_allclose(result.coefficients, reference.coef_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(result.std_errors, se, rtol=1e-8)
    np.testing.assert_allclose(result.p_values, 2 * stats.t.sf(np.abs(reference.coef_ / se), df), rtol=1e-5, atol=1e-12)
    np.testing.assert_allclose(result.upper, reference.coef_ + stats.t.ppf(0.975, df) * se, rtol=1e-7, atol=1e-9)
    assert result.distribution == "t" and result.dispersion == pytest.approx(sigma2)
    assert result.terms[0] == "(intercept)" and result.dropped_terms == ()
    # the level the fit holds at 0 is the one the others are read against, said so, not called a term at zero
    (feature, level), = result.reference_levels.items()
    assert f"{feature} == {level}" not in result.terms
    assert f"Levels read against the reference level of each categorical ({feature} == {level})." in str(result)
    assert "At zero, not shown" not in str(result)


@pytest.mark.parametrize("loss", ["poisson", "gamma", "tweedie", "logistic"])
def test_wald_standard_errors_are_the_inverse_expected_information(loss):
    X, eta, rng = _frame(600, 1)
    w = rng.uniform(0.5, 2, len(X))
    if loss == "poisson":
        y = rng.poisson(np.exp(eta)).astype(float)
    elif loss == "gamma":
        y = rng.gamma(2.0, np.exp(eta) / 2.0)
    elif loss == "tweedie":
        y = rng.poisson(np.exp(eta)) * rng.gamma(3.0, 1.0, len(X))
    else:
        y = (rng.uniform(size=len(X)) < 1 / (1 + np.exp(-eta + 0.3))).astype(float)
    if loss == "logistic":
        model = SparseLinearClassifier(alpha=0, tol=1e-10).fit(X, y, sample_weight=w)
    else:
        model = SparseLinearRegressor(alpha=0, loss=loss, power=1.5, tol=1e-10).fit(X, y, sample_weight=w)
    result = coefficient_inference(model, X, y, sample_weight=w)
    A = _kept_design(model, X)
    beta = result.coefficients
    fitted_eta = A @ beta
    mu = 1 / (1 + np.exp(-fitted_eta)) if loss == "logistic" else np.exp(fitted_eta)
    power = {"poisson": 1.0, "gamma": 2.0, "tweedie": 1.5}.get(loss)
    if loss in ("poisson", "logistic"):
        phi = 1.0
    else:
        phi = np.sum(w * (y - mu) ** 2 / mu**power) / (w.sum() - A.shape[1])
    information = _numerical_information(loss, A, w, mu, beta) / phi
    np.testing.assert_allclose(result.std_errors, np.sqrt(np.diag(np.linalg.inv(information))), rtol=2e-5)
    np.testing.assert_allclose(result.dispersion, phi, rtol=1e-10)
    assert result.distribution == ("normal" if loss in ("poisson", "logistic") else "t")  # t: estimated dispersion


@pytest.mark.parametrize("loss, dispersion, distribution", [
    ("gamma", None, "t"), ("tweedie", None, "t"), ("poisson", "pearson", "t"), ("poisson", None, "normal"),
    ("poisson", 2.0, "normal"), ("squared_error", None, "t"), ("squared_error", 1.0, "normal")])
def test_an_estimated_dispersion_reads_t_quantiles_on_the_residual_degrees_of_freedom(loss, dispersion,
                                                                                      distribution):
    # as R's summary.glm: an estimated dispersion is not known, and normal quantiles would take it as known
    rng = np.random.RandomState(3)
    X = rng.normal(size=(30, 3))
    mean = np.exp(0.5 + X @ [0.3, -0.2, 0.1])
    y = {"gamma": lambda: rng.gamma(2.0, mean / 2.0), "tweedie": lambda: rng.poisson(mean) * rng.gamma(3.0, 1.0, 30),
         "poisson": lambda: rng.poisson(mean).astype(float), "squared_error": lambda: np.log(mean) + rng.normal(
             size=30)}[loss]()
    model = SparseLinearRegressor(alpha=0, loss=loss, power=1.5, tol=1e-10).fit(X, y)
    result = coefficient_inference(model, X, y, dispersion=dispersion, level=0.9)
    assert result.distribution == distribution and result.df_resid == 26
    law = stats.t(26) if distribution == "t" else stats.norm()
    np.testing.assert_allclose((result.upper - result.coefficients) / result.std_errors, law.ppf(0.95), rtol=1e-12)
    np.testing.assert_allclose(result.p_values, 2 * law.sf(np.abs(result.statistics)), rtol=1e-12)
    assert f"{'t' if distribution == 't' else 'normal'} quantiles" in str(result)


def test_gamma_table_equals_statsmodels_read_with_t():
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.RandomState(3)
    X = rng.normal(size=(60, 3))
    y = rng.gamma(2.0, np.exp(0.5 + X @ [0.3, -0.2, 0.1]) / 2.0)
    result = coefficient_inference(SparseLinearRegressor(alpha=0, loss="gamma", tol=1e-12).fit(X, y), X, y)
    family = sm.families.Gamma(sm.families.links.Log())
    reference = sm.GLM(y, sm.add_constant(X), family=family).fit(scale="X2", use_t=True, tol=1e-12)
    np.testing.assert_allclose(result.std_errors, reference.bse, rtol=1e-8)
    np.testing.assert_allclose(result.p_values, reference.pvalues, rtol=1e-8)
    np.testing.assert_allclose(np.column_stack([result.lower, result.upper]), reference.conf_int(), rtol=1e-8)


def test_gamma_intervals_with_t_quantiles_cover_at_their_level_in_small_samples():
    # 20 rows, 4 coefficients: with normal quantiles (the dispersion taken as known) 95% intervals covered
    # 91.3% here; t on 16 degrees of freedom: 93.6% (the standard errors themselves are approximate at 20 rows)
    rng, truth, covered = np.random.RandomState(0), np.array([1.0, 0.5, 0.3, -0.2]), []
    for _ in range(200):
        X = rng.normal(size=(20, 3))
        y = rng.gamma(2.0, np.exp(truth[0] + X @ truth[1:]) / 2.0)
        model = SparseLinearRegressor(alpha=0, loss="gamma", tol=1e-10, max_iter=100000).fit(X, y)
        result = coefficient_inference(model, X, y)
        covered.append((result.lower <= truth) & (truth <= result.upper))
    coverage = np.mean(covered)  # 800 intervals: binomial sd 0.008
    assert 0.925 < coverage < 0.975, coverage


def test_wald_intervals_cover_the_true_coefficients_at_their_level():
    # 300 simulated Poisson books: a 90% interval must miss the truth about 10% of the time
    covered, rng = [], np.random.RandomState(5)
    truth = np.array([-0.5, 0.4, -0.25])
    for _ in range(300):
        X = rng.normal(size=(250, 2))
        y = rng.poisson(np.exp(truth[0] + X @ truth[1:]))
        model = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y)
        result = coefficient_inference(model, X, y, level=0.9)
        covered.append((result.lower <= truth) & (truth <= result.upper))
    coverage = np.mean(covered, axis=0)
    # binomial sd at 300 draws is 0.017: 0.86..0.94 is within 2.4 sd of 0.9
    assert np.all((coverage > 0.86) & (coverage < 0.94)), coverage


def test_best_subset_is_inferred_on_its_kept_terms():
    X, eta, rng = _frame(500, 2)
    X["noise"] = rng.normal(size=len(X))
    y = rng.poisson(np.exp(eta))
    model = SparseLinearRegressor(alpha=0, loss="poisson", penalty="l0", max_features=3).fit(X, y)
    result = coefficient_inference(model, X, y)
    assert len(result.terms) == 1 + model.n_nonzero_
    at_zero = {name for name, c in zip(model.term_names_, model.coef_) if c == 0}
    bases = {f"{feature} == {level}" for feature, level in (result.reference_levels or {}).items()}
    assert bases <= at_zero and set(result.dropped_terms) == at_zero - bases
    assert "At zero, not shown" in str(result)


def test_frequency_weights_equal_duplicated_rows_and_variance_weights_ignore_their_scale():
    X, eta, rng = _frame(300, 3)
    y = eta + rng.normal(size=len(X))
    w = rng.randint(1, 3, len(X)).astype(float)
    weighted = SparseLinearRegressor(alpha=0, tol=1e-12).fit(X, y, sample_weight=w)
    repeat = np.repeat(np.arange(len(X)), w.astype(int))
    X_dup, y_dup = X.iloc[repeat].reset_index(drop=True), y[repeat]
    duplicated = SparseLinearRegressor(alpha=0, tol=1e-12).fit(X_dup, y_dup)
    np.testing.assert_allclose(coefficient_inference(weighted, X, y, sample_weight=w).std_errors,
                               coefficient_inference(duplicated, X_dup, y_dup).std_errors, rtol=1e-6)
    small = coefficient_inference(weighted, X, y, sample_weight=w, weights="variance")
    large = coefficient_inference(weighted, X, y, sample_weight=10 * w, weights="variance")
    np.testing.assert_allclose(small.std_errors, large.std_errors, rtol=1e-8)
    assert small.df_resid == len(X) - len(small.terms)
    # "300 rows, 447 residual degrees of freedom" left a reader to guess: the rows' frequency weights are said
    frequency = coefficient_inference(weighted, X, y, sample_weight=w)
    assert frequency.n_observations == w.sum() and frequency.df_resid == w.sum() - len(frequency.terms)
    assert (f"; 300 rows (frequency weights summing to {w.sum():g}), {frequency.df_resid:g} residual degrees of "
            "freedom;") in str(frequency)
    assert CoefficientInference.from_json(frequency.to_json()) == frequency
    assert small.n_observations == len(X) and "300 rows, " in str(small) and "summing" not in str(small)
    unweighted = coefficient_inference(duplicated, X_dup, y_dup)
    assert "summing" not in str(unweighted) and unweighted.n_observations == len(X_dup)


def test_pearson_dispersion_widens_overdispersed_poisson_intervals():
    rng = np.random.RandomState(4)
    X = rng.normal(size=(800, 2))
    y = rng.negative_binomial(2, 2 / (2 + np.exp(0.5 + X @ [0.3, -0.2])))  # variance well above the mean
    model = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y)
    plain, quasi = coefficient_inference(model, X, y), coefficient_inference(model, X, y, dispersion="pearson")
    assert quasi.dispersion > 1.5 and quasi.dispersion_estimated and not plain.dispersion_estimated
    np.testing.assert_allclose(quasi.std_errors, plain.std_errors * np.sqrt(quasi.dispersion), rtol=1e-12)
    fixed = coefficient_inference(model, X, y, dispersion=4.0)
    np.testing.assert_allclose(fixed.std_errors, plain.std_errors * 2, rtol=1e-12)


def test_sparse_input_gives_the_dense_figures():
    rng = np.random.RandomState(6)
    X = sp.random(500, 6, density=0.3, format="csr", random_state=0)
    y = rng.poisson(np.exp(0.2 + X @ np.array([1.0, -0.5, 0, 0.3, 0, 0.8])))
    sparse = SparseLinearRegressor(alpha=0, loss="poisson", tol=1e-10).fit(X, y)
    dense = SparseLinearRegressor(alpha=0, loss="poisson", tol=1e-10).fit(X.toarray(), y)
    np.testing.assert_allclose(coefficient_inference(sparse, X, y).std_errors,
                               coefficient_inference(dense, X.toarray(), y).std_errors, rtol=1e-6)


# -- refusals --------------------------------------------------------------------------------------
def test_wald_refuses_shrunk_coefficients_and_names_the_ways_out():
    X, eta, rng = _frame(300, 7)
    y = eta + rng.normal(size=len(X))
    for model in (SparseLinearRegressor(alpha=0.05), SparseLinearRegressor(alpha=0, penalty="l0", ridge_alpha=0.1)):
        model.fit(X, y)
        with pytest.raises(ValueError, match="shrinks them.*method='bootstrap'.*alpha=0.*split the rows"):
            coefficient_inference(model, X, y)


def test_wald_refuses_rows_the_model_was_not_fitted_on():
    X, eta, rng = _frame(300, 8)
    y = rng.poisson(np.exp(eta))
    model = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y)
    with pytest.raises(ValueError, match="not the maximum-likelihood fit on these rows"):
        coefficient_inference(model, X, rng.permutation(y))
    with pytest.raises(ValueError, match="not the maximum-likelihood fit on these rows"):
        coefficient_inference(model, X, y, sample_weight=rng.uniform(0.1, 3, len(y)))
    with pytest.raises(ValueError, match="NaN in 1 of 300 rows"):
        coefficient_inference(model, X, np.where(np.arange(len(y)) == 3, np.nan, y))


def test_wald_refuses_class_weight_and_foreign_models():
    X, eta, rng = _frame(300, 9)
    y = (eta + rng.normal(size=len(X)) > 0).astype(int)
    weighted = SparseLinearClassifier(alpha=0, class_weight="balanced").fit(X, y)
    with pytest.raises(ValueError, match="class_weight"):
        coefficient_inference(weighted, X, y)
    with pytest.raises(TypeError, match="sparse linear model.*Pipeline"):
        coefficient_inference(LinearRegression().fit(X[["a", "b"]], y), X, y)
    with pytest.raises(ValueError, match="labels the model was not fitted on"):
        coefficient_inference(SparseLinearClassifier(alpha=0).fit(X, y), X, y + 5)


def test_collinear_kept_terms_are_refused_by_name():
    rng = np.random.RandomState(10)
    a = rng.normal(size=300)
    X = pd.DataFrame({"a": a, "a_twice": 2 * a + 1e-15 * rng.normal(size=300), "c": rng.normal(size=300)})
    y = a + X["c"] + rng.normal(size=300)
    model = SparseLinearRegressor(alpha=0, penalty="elasticnet", l1_ratio=0.0).fit(X, y)  # keeps both
    assert np.all(model.coef_ != 0)
    with pytest.raises(ValueError, match="collinear.*a, a_twice"):
        coefficient_inference(model, X, y)


@pytest.mark.parametrize("kwargs, match", [
    ({"method": "profile"}, "method must be"),
    ({"level": 1.0}, "level must be"),
    ({"weights": "precision"}, "weights must be"),
    ({"dispersion": -1.0}, "dispersion must be"),
    ({"dispersion": "deviance"}, "dispersion must be"),
    ({"method": "bootstrap", "dispersion": 2.0}, "dispersion applies to method='wald' only"),
    ({"method": "bootstrap", "n_resamples": 1}, "n_resamples must be"),
    # the bootstrap's settings given without method="bootstrap": the user meant to resample, and got Wald figures
    ({"n_resamples": 1000}, "n_resamples applies to method='bootstrap' only"),
    ({"random_state": 0}, "random_state applies to method='bootstrap' only"),
    ({"n_resamples": 500, "random_state": np.random.RandomState(0)}, "n_resamples and random_state apply to"),
])
def test_bad_arguments_are_named(kwargs, match):
    rng = np.random.RandomState(11)
    X = rng.normal(size=(100, 2))
    y = X[:, 0] + rng.normal(size=100)
    with pytest.raises(ValueError, match=match):
        coefficient_inference(SparseLinearRegressor(alpha=0).fit(X, y), X, y, **kwargs)


@pytest.mark.parametrize("n_resamples", [200, np.int64(200)])
def test_wald_takes_the_default_count_of_resamples_given_explicitly(n_resamples):
    rng = np.random.RandomState(11)
    X = rng.normal(size=(100, 2))
    y = X[:, 0] + rng.normal(size=100)
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    assert coefficient_inference(model, X, y, n_resamples=n_resamples) == coefficient_inference(model, X, y)


@pytest.mark.parametrize("level", [np.float32(0.9), np.float16(0.9)])
def test_a_numpy_level_is_taken(level):
    rng = np.random.RandomState(11)
    X = rng.normal(size=(100, 2))
    y = X[:, 0] + rng.normal(size=100)
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    table = coefficient_inference(model, X, y, level=level)
    assert table.to_frame()["upper"].equals(coefficient_inference(model, X, y, level=float(level)).to_frame()["upper"])
    with pytest.raises(ValueError, match="level must be"):
        coefficient_inference(model, X, y, level=True)


# -- bootstrap ---------------------------------------------------------------------------------------
def test_bootstrap_agrees_with_wald_on_an_unpenalized_fit_and_is_deterministic():
    X, eta, rng = _frame(1500, 12)
    y = rng.poisson(np.exp(eta))
    model = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y)
    wald = coefficient_inference(model, X, y)
    boot = coefficient_inference(model, X, y, method="bootstrap", n_resamples=150, random_state=0)
    frame = boot.to_frame().set_index("term")
    reference = model.term_names_[list(model.coef_).index(0.0)]
    assert frame.loc[reference, "std_error"] == 0 and np.isnan(frame.loc[reference, "selected"])
    shown = frame.drop(index=reference)
    np.testing.assert_allclose(shown["std_error"], wald.std_errors, rtol=0.2)
    again = coefficient_inference(model, X, y, method="bootstrap", n_resamples=150, random_state=0)
    assert again == boot
    assert boot.reference_levels == {"zone": reference.split(" == ")[1]}


def test_bootstrap_selection_shares_separate_signal_from_noise():
    rng = np.random.RandomState(13)
    X = rng.normal(size=(400, 6))
    y = 2 * X[:, 0] - X[:, 1] + rng.normal(size=400)
    model = SparseLinearRegressor(alpha=0.2).fit(X, y)
    boot = coefficient_inference(model, X, y, method="bootstrap", n_resamples=60, random_state=1)
    assert np.isnan(boot.selected[0])  # the intercept
    assert np.all(boot.selected[1:3] == 1) and np.all(boot.selected[3:] < 0.5)
    assert boot.statistics is None and boot.p_values is None


def test_bootstrap_of_a_cv_model_refits_at_its_chosen_alpha():
    rng = np.random.RandomState(14)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] - X[:, 1] + rng.normal(size=300) > 0).astype(int)
    cv = SparseLinearClassifierCV(cv=3, n_alphas=8).fit(X, y)
    single = SparseLinearClassifier(alpha=cv.alpha_).fit(X, y)
    from_cv = coefficient_inference(cv, X, y, method="bootstrap", n_resamples=20, random_state=2)
    from_single = coefficient_inference(single, X, y, method="bootstrap", n_resamples=20, random_state=2)
    np.testing.assert_allclose(from_cv.std_errors, from_single.std_errors, rtol=1e-10)
    assert from_cv.model == "SparseLinearClassifierCV"


def test_multiclass_bootstrap_has_one_block_per_class():
    rng = np.random.RandomState(15)
    X = rng.normal(size=(300, 3))
    y = np.digitize(X[:, 0] + 0.5 * rng.normal(size=300), [-0.5, 0.5])
    model = SparseLinearClassifier(alpha=0.01).fit(X, y)
    boot = coefficient_inference(model, X, y, method="bootstrap", n_resamples=20, random_state=3)
    frame = boot.to_frame()
    assert list(frame["class"].unique()) == [0, 1, 2] and len(frame) == 3 * 4
    np.testing.assert_allclose(frame["coefficient"].to_numpy().reshape(3, 4)[:, 1:], model.coef_)


# -- the report ---------------------------------------------------------------------------------------
def test_report_round_trips_and_reads_relativities_by_link():
    X, eta, rng = _frame(300, 16)
    y = rng.poisson(np.exp(eta))
    poisson = coefficient_inference(SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y), X, y)
    restored = CoefficientInference.from_json(poisson.to_json())
    assert restored == poisson and json.loads(poisson.to_json())["kind"] == "coefficient_inference"
    frame = poisson.to_frame()
    np.testing.assert_allclose(frame["relativity_upper"], np.exp(poisson.upper))
    text = str(poisson)
    assert text.startswith("Coefficient inference: SparseLinearRegressor (poisson, log link), Wald 95% intervals")
    assert "relativity" in text and "<table" in poisson._repr_html_()
    yb = (y > 1).astype(int)
    odds = coefficient_inference(SparseLinearClassifier(alpha=0).fit(X, yb), X, yb)
    assert "odds_ratio" in odds.to_frame() and "odds ratio" in str(odds)
    y_plain = eta + rng.normal(size=len(eta))
    plain = coefficient_inference(SparseLinearRegressor(alpha=0).fit(X, y_plain), X, y_plain)
    assert not any(c.startswith(("relativity", "odds")) for c in plain.to_frame().columns)
    boot = coefficient_inference(SparseLinearRegressor(alpha=0.01, loss="poisson").fit(X, y), X, y,
                                 method="bootstrap", n_resamples=10, random_state=0)
    assert CoefficientInference.from_json(boot.to_json()) == boot
    assert "reference" in str(boot)


def test_an_odds_ratio_close_to_one_keeps_the_digits_that_part_it_from_one():
    # a per-dollar odds ratio, significant at z > 20, printed "1" with an interval "1" to "1": no effect, known
    # exactly, to a reader of the table
    rng = np.random.RandomState(3)
    income = rng.uniform(0, 20000, 2000)
    y = (rng.logistic(size=2000) < -2 + 3e-4 * income).astype(int)
    X = pd.DataFrame({"income": income})
    table = coefficient_inference(SparseLinearClassifier(alpha=0).fit(X, y), X, y)
    row = next(line for line in str(table).splitlines() if line.startswith("income"))
    estimate, lower, upper = np.exp([table.coefficients[1], table.lower[1], table.upper[1]])
    shown = row.split()[-3:]
    assert "1" not in shown, row
    assert [float(text) for text in shown] == pytest.approx([estimate, lower, upper], rel=1e-6)
    assert shown[1] != shown[2]  # the interval's ends differ as its coefficients' do
    assert row.split()[-3:] == [t for t in row.split()[-3:] if t.startswith("1.000")]
    # a factor far from 1 keeps its four significant digits; one below 1 keeps the digits of its distance too
    from glassbox.explain._render import factor_text

    assert [factor_text(v) for v in (2.0, 1.5034, 0.99998712, 1.0, 1e-30, np.inf)] == \
        ["2", "1.503", "0.99998712", "1", "1e-30", "inf"]
    # both ends of an interval about 1 alike: not 0.9999 (four digits of 0.99991025) beside 1.0000315
    assert [factor_text(v) for v in (0.99991025, 1.0000315, 0.9674, 1.0012)] == \
        ["0.99991025", "1.0000315", "0.9674", "1.001"]
    # a bound of rounding noise (a bootstrap quantile of -3.5e-16) is 1, not 0.99999999999999967
    assert [factor_text(np.exp(v)) for v in (-3.5e-16, -1.146e-12, 2e-10)] == ["1", "1", "1.0000000002"]


@pytest.mark.parametrize("method", ["wald", "bootstrap"])
def test_a_binary_table_says_whose_odds_its_coefficients_are(method):
    # with classes bad and good, nothing said whether an odds ratio above 1 favoured good or bad
    rng = np.random.RandomState(5)
    X = pd.DataFrame({"duration": rng.uniform(6, 60, 400)})
    y = np.where(rng.logistic(size=400) < 1 - 0.04 * X["duration"], "good", "bad")
    kwargs = {} if method == "wald" else {"n_resamples": 10, "random_state": 0}
    table = coefficient_inference(SparseLinearClassifier(alpha=0).fit(X, y), X, y, method=method, **kwargs)
    assert table.binary_classes == ("bad", "good")
    assert ("Coefficients are changes in the log-odds of good against bad: an odds ratio above 1 raises the odds "
            "of good.") in str(table)
    assert CoefficientInference.from_json(table.to_json()) == table
    older = json.loads(table.to_json())
    del older["binary_classes"]  # a payload written before the classes were recorded
    assert CoefficientInference.from_dict(older).binary_classes is None
    regressor = coefficient_inference(SparseLinearRegressor(alpha=0).fit(X, X["duration"] + rng.normal(size=400)), X,
                                      X["duration"] + rng.normal(size=400) * 0, method="bootstrap", n_resamples=4,
                                      random_state=0)
    assert regressor.binary_classes is None and "log-odds" not in str(regressor)
