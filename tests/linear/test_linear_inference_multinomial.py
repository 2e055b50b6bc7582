"""Wald tables of multinomial models: contrasts against a reference class, checked against statsmodels' MNLogit."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearClassifier, coefficient_inference
from glassbox.explain import CoefficientInference

def _wine(read_shared_csv):
    frame = read_shared_csv("wine_quality_red.csv")
    grade = np.where(frame["quality"] <= 5, "low", np.where(frame["quality"] == 6, "mid", "high"))
    return frame.drop(columns=["quality"]), grade


def _synthetic(n=900, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(2, 3, size=n),
                      "zone": pd.Categorical(rng.choice(["N", "S", "W"], n))})
    eta = np.column_stack([np.zeros(n), 0.8 * X["a"] - 0.2 * X["b"] + 0.5 * (X["zone"] == "S"),
                           -0.6 * X["a"] + 0.3 * X["b"] - 0.4 * (X["zone"] == "W")])
    p = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    y = np.array(["bad", "fair", "good"])[[rng.choice(3, p=row) for row in p]]
    return X, y


def _mnlogit(X, y, classes, reference, **fit):
    """statsmodels' MNLogit of ``y`` on ``X`` (with a constant), ``reference`` its base class."""
    sm = pytest.importorskip("statsmodels.api")
    order = [reference] + [c for c in classes if c != reference]
    codes = pd.Categorical(y, categories=order).codes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sm.MNLogit(codes, sm.add_constant(np.asarray(X, dtype=float), has_constant="add")).fit(
            disp=0, method="newton", maxiter=100, tol=1e-10, **fit)
    return order[1:], result


def _central_hessian(f, x, step=1e-4):
    """Central second differences of ``f`` at ``x``, each step scaled to its coordinate's size."""
    h = step * np.maximum(np.abs(x), 1.0)
    shifts = np.diag(h)
    hessian = np.empty((len(x), len(x)))
    for i in range(len(x)):
        for j in range(i, len(x)):
            a, b = shifts[i], shifts[j]
            hessian[i, j] = hessian[j, i] = (f(x + a + b) - f(x + a - b) - f(x - a + b) + f(x - a - b)) / (4 * h[i] * h[j])
    return hessian


def _design(model, X):
    """The model's design in original units (categorical levels as 0/1 columns, the reference level included)."""
    return np.asarray(model._validated_design(X)[1], dtype=float)


def _sm_rows(result, kept):
    """statsmodels' params and standard errors in the table's order (class blocks, intercept then terms)."""
    columns = np.r_[0, 1 + np.asarray(kept)]
    return (np.asarray(result.params)[columns].T.ravel(), np.asarray(result.bse)[columns].T.ravel(),
            np.asarray(result.pvalues)[columns].T.ravel())


@pytest.mark.parametrize("reference", [None, "low"])
def test_wine_contrasts_equal_statsmodels_mnlogit(reference, read_shared_csv):
    X, y = _wine(read_shared_csv)
    model = SparseLinearClassifier(alpha=0, tol=1e-10).fit(X, y)
    table = coefficient_inference(model, X, y, reference_class=reference)
    base = model.classes_[0] if reference is None else reference
    others, result = _mnlogit(X, y, list(model.classes_), base)
    assert table.reference_class == base and list(dict.fromkeys(table.classes)) == others
    params, se, p_values = _sm_rows(result, np.arange(X.shape[1]))
    # measured: coefficients 1.6e-7, standard errors 1.7e-8 relative
    np.testing.assert_allclose(table.coefficients, params, rtol=1e-5)
    np.testing.assert_allclose(table.std_errors, se, rtol=1e-4)
    np.testing.assert_allclose(table.p_values, p_values, rtol=1e-3, atol=1e-12)
    lower = np.asarray(result.conf_int()).reshape(-1, 2)[:, 0]  # (classes, params, 2): class blocks
    np.testing.assert_allclose(table.lower, lower, rtol=1e-4)


def test_wine_cluster_robust_errors_equal_statsmodels(read_shared_csv):
    X, y = _wine(read_shared_csv)
    groups = np.arange(len(y)) // 20  # 80 batches of neighbouring rows
    model = SparseLinearClassifier(alpha=0, tol=1e-10).fit(X, y)
    table = coefficient_inference(model, X, y, groups=groups)
    _, result = _mnlogit(X, y, list(model.classes_), model.classes_[0], cov_type="cluster",
                         cov_kwds={"groups": groups})
    # measured: 3.9e-8 relative
    np.testing.assert_allclose(table.std_errors, _sm_rows(result, np.arange(X.shape[1]))[1], rtol=1e-4)
    assert table.n_groups == 80 and "over 80 groups" in str(table)


def test_categorical_levels_and_weights_match_statsmodels_and_duplicated_rows():
    X, y = _synthetic()
    model = SparseLinearClassifier(alpha=0, tol=1e-10).fit(X, y)
    table = coefficient_inference(model, X, y)
    design = _design(model, X)
    # centred across the classes, no zone level is at 0 in every class: the table reads them against the first
    assert not np.any(np.all(model.coef_ == 0, axis=0))
    assert table.dropped_terms == () and table.reference_levels == {"zone": "N"} and "zone == N" not in table.terms
    kept = [j for j, name in enumerate(model.term_names_) if name != "zone == N"]
    _, result = _mnlogit(design[:, kept], y, list(model.classes_), "bad")
    params, se, _ = _sm_rows(result, np.arange(len(kept)))
    np.testing.assert_allclose(table.coefficients, params, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(table.std_errors, se, rtol=1e-4)
    # a weight of 2 is two identical rows
    twice = np.where(np.arange(len(y)) % 3 == 0, 2.0, 1.0)
    weighted = SparseLinearClassifier(alpha=0, tol=1e-10).fit(X, y, sample_weight=twice)
    rows = np.repeat(np.arange(len(y)), twice.astype(int))
    repeated = SparseLinearClassifier(alpha=0, tol=1e-10).fit(X.iloc[rows], y[rows])
    by_weight = coefficient_inference(weighted, X, y, sample_weight=twice)
    by_rows = coefficient_inference(repeated, X.iloc[rows], y[rows])
    np.testing.assert_allclose(by_weight.std_errors, by_rows.std_errors, rtol=1e-6)
    assert by_weight.df_resid == by_rows.df_resid


def test_best_subset_keeps_terms_per_class_and_reads_the_constraint():
    """An L0 fit keeps a term in some classes only: the covariance is that of the constrained likelihood."""
    X, y = _synthetic(n=1200, seed=3)
    X = X.assign(c=np.random.RandomState(4).normal(size=len(X)))
    model = SparseLinearClassifier(alpha=0.016, penalty="l0", ridge_alpha=0, tol=1e-10).fit(X, y)
    coef = model.coef_
    partial = [j for j in range(coef.shape[1]) if 0 < np.sum(coef[:, j] != 0) < coef.shape[0]]
    assert partial, coef  # the case this test is about
    table = coefficient_inference(model, X, y)
    # the constrained log-likelihood in its free parameters: every nonzero class coefficient (the classes
    # without a term share its coefficient 0) and the intercepts against class 0
    design, codes = _design(model, X), np.searchsorted(model.classes_, y)
    free = [(k, j) for j in range(coef.shape[1]) for k in range(coef.shape[0]) if coef[k, j] != 0]
    assert not np.any(np.all(coef != 0, axis=0))  # else softmax's shift would leave the Hessian singular

    def loglik(theta):
        B = np.zeros_like(coef)
        for value, (k, j) in zip(theta[2:], free):
            B[k, j] = value
        eta = design @ B.T + np.r_[0.0, theta[:2]]
        return np.sum(eta[np.arange(len(codes)), codes] - np.log(np.exp(eta).sum(axis=1)))

    theta = np.r_[model.intercept_[1:] - model.intercept_[0], [coef[k, j] for k, j in free]]
    covariance = np.linalg.inv(-_central_hessian(loglik, theta))
    frame = table.to_frame().set_index(["class", "term"])
    names = model.term_names_
    # every free coefficient here is a contrast against class 0, which lacks each kept term
    assert all(k != 0 and coef[0, j] == 0 for k, j in free) and len(free) == 3
    for index, (k, j) in enumerate(free):
        row = frame.loc[(model.classes_[k], names[j])]
        assert row["coefficient"] == pytest.approx(coef[k, j], rel=1e-12)
        assert row["std_error"] == pytest.approx(np.sqrt(covariance[2 + index, 2 + index]), rel=1e-4)
    intercepts = frame.xs("(intercept)", level="term")["std_error"].to_numpy(float)
    np.testing.assert_allclose(intercepts, np.sqrt(np.diag(covariance)[:2]), rtol=1e-4)
    for j in partial:
        absent = [k for k in range(coef.shape[0]) if coef[k, j] == 0]
        if 0 in absent:
            for k in absent[1:]:
                assert f"{names[j]} ({model.classes_[k]})" in table.fixed_contrasts
                assert (model.classes_[k], names[j]) not in frame.index


def test_a_term_absent_from_two_classes_ties_their_contrasts(read_shared_csv):
    X, y = _wine(read_shared_csv)
    model = SparseLinearClassifier(alpha=0.01, penalty="l0", ridge_alpha=0).fit(X, y)
    # sulphates is kept for 'low' only: against 'low', 'high' and 'mid' share one coefficient
    assert list(model.coef_[:, list(X.columns).index("sulphates")] != 0) == [False, True, False]
    table = coefficient_inference(model, X, y, reference_class="low").to_frame().set_index(["class", "term"])
    high, mid = table.loc[("high", "sulphates")], table.loc[("mid", "sulphates")]
    columns = ["coefficient", "std_error"]
    np.testing.assert_allclose(high[columns].to_numpy(float), mid[columns].to_numpy(float), rtol=1e-12)
    against_high = coefficient_inference(model, X, y)
    assert "sulphates (mid)" in against_high.fixed_contrasts and "sulphates (mid)" in str(against_high)
    assert "Held at zero by the selection" in str(against_high)
    assert CoefficientInference.from_json(against_high.to_json()) == against_high


def test_report_names_the_reference_class_and_round_trips():
    X, y = _synthetic()
    model = SparseLinearClassifier(alpha=0).fit(X, y)
    table = coefficient_inference(model, X, y, reference_class="good")
    text = str(table)
    assert text.startswith("Coefficient inference: SparseLinearClassifier (multinomial, softmax link), Wald")
    assert "against the reference class good" in text and "log(P(class) / P(good))" in text
    assert "class vs good" in text and "odds ratio" in text and "Not valid after selection" not in text
    assert "class vs good" in table._repr_html_()
    frame = table.to_frame()
    assert list(frame.columns[:3]) == ["class", "reference_class", "term"] and set(frame["reference_class"]) == {
        "good"}
    assert list(frame["class"].unique()) == ["bad", "fair"]
    np.testing.assert_allclose(frame["odds_ratio_upper"], np.exp(table.upper))
    restored = CoefficientInference.from_json(table.to_json())
    assert restored == table and json.loads(table.to_json())["reference_class"] == "good"
    assert restored.relativity_name == "odds ratio"


def test_bootstrap_reads_the_same_contrasts_when_a_reference_class_is_named():
    X, y = _synthetic(n=400)
    model = SparseLinearClassifier(alpha=0).fit(X, y)
    wald = coefficient_inference(model, X, y, reference_class="fair")
    boot = coefficient_inference(model, X, y, method="bootstrap", n_resamples=30, random_state=0,
                                 reference_class="fair")
    shown = [(c, t) for c, t in zip(boot.classes, boot.terms)]
    index = [shown.index(row) for row in zip(wald.classes, wald.terms)]
    np.testing.assert_allclose(boot.coefficients[index], wald.coefficients, rtol=1e-12)
    # the two spreads estimate one quantity (30 refits: within a factor of 1.6)
    ratio = boot.std_errors[index] / wald.std_errors
    assert np.all((ratio > 1 / 1.6) & (ratio < 1.6)), ratio
    assert boot.reference_class == "fair" and "against the reference class fair" in str(boot)
    # unnamed, the bootstrap shows each class's own (centred) coefficients and says so
    own = coefficient_inference(model, X, y, method="bootstrap", n_resamples=5, random_state=0)
    assert own.reference_class is None and "Each class's own coefficients" in str(own)
    assert own.relativity_name is None and "odds_ratio" not in own.to_frame()


def test_multiclass_separation_is_warned_of_by_the_class_a_level_lacks():
    X, y = _synthetic(n=600, seed=5)
    X = X.assign(rare=pd.Categorical(np.where(np.arange(len(y)) % 40 == 0, "R", "common")))
    y = np.where((X["rare"] == "R") & (y == "good"), "fair", y)  # no 'good' wine in level R
    model = SparseLinearClassifier(alpha=0).fit(X, y)
    with pytest.warns(UserWarning, match=r"Quasi-complete separation: the rows of rare == R \(no 'good'\) lack a "
                                         r"class"):
        coefficient_inference(model, X, y)


def test_refusals_name_the_problem():
    X, y = _synthetic(n=500)
    model = SparseLinearClassifier(alpha=0).fit(X, y)
    with pytest.raises(ValueError, match="class_weight"):
        coefficient_inference(SparseLinearClassifier(alpha=0, class_weight="balanced").fit(X, y), X, y)
    with pytest.raises(ValueError, match="without shrinkage.*method='bootstrap'"):
        coefficient_inference(SparseLinearClassifier(alpha=0.01).fit(X, y), X, y)
    with pytest.raises(ValueError, match="labels the model was not fitted on: 'poor'"):
        coefficient_inference(model, X, np.where(y == "bad", "poor", y))
    with pytest.raises(ValueError, match="not the maximum-likelihood fit on these rows"):
        coefficient_inference(model, X, np.random.RandomState(0).permutation(y))
    with pytest.raises(ValueError, match="dispersion does not apply to a multinomial model"):
        coefficient_inference(model, X, y, dispersion="pearson")
    with pytest.raises(ValueError, match=r"reference_class='ok' is not one of the model's classes \('bad', "):
        coefficient_inference(model, X, y, reference_class="ok")
    binary = SparseLinearClassifier(alpha=0).fit(X, y == "good")
    with pytest.raises(ValueError, match="reference_class applies to a multiclass classifier"):
        coefficient_inference(binary, X, y == "good", reference_class=True)
    assert coefficient_inference(binary, X, y == "good", reference_class=False).reference_class is None
    twin = X.assign(a2=2 * X["a"])
    with pytest.raises(ValueError, match="collinear.*a, .*a2"):
        coefficient_inference(SparseLinearClassifier(alpha=0).fit(twin, y), twin, y)


def test_rows_of_zero_weight_change_nothing_even_with_a_label_of_their_own():
    X, y = _synthetic(n=500, seed=7)
    model = SparseLinearClassifier(alpha=0, tol=1e-10).fit(X, y)
    extra = X.iloc[:40].reset_index(drop=True)
    X_all, y_all = pd.concat([X, extra], ignore_index=True), np.r_[y, ["unrated"] * 40]
    weight = np.r_[np.ones(len(y)), np.zeros(40)]
    with pytest.warns(UserWarning, match="Class 'unrated' has sample_weight 0 in every row"):
        padded = SparseLinearClassifier(alpha=0, tol=1e-10).fit(X_all, y_all, sample_weight=weight)
    assert list(padded.classes_) == ["bad", "fair", "good"]
    plain, with_zeros = coefficient_inference(model, X, y), coefficient_inference(padded, X_all, y_all, weight)
    np.testing.assert_allclose(with_zeros.std_errors, plain.std_errors, rtol=1e-6)
    assert with_zeros.n_samples == plain.n_samples == 500
