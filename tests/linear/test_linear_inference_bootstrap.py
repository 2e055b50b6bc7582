"""Bootstrap intervals of sparse linear models: resamples that cannot estimate a term, fixed step bases."""

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearClassifier, SparseLinearRegressor, coefficient_inference
from glassbox.explain import CoefficientInference


def _rare_level_data(seed=0, n=400):
    rng = np.random.RandomState(seed)
    zone = np.array(["A"] * (n // 2) + ["B"] * (n // 2 - 2) + ["Z"] * 2)
    X = pd.DataFrame({"x": rng.normal(size=n), "zone": pd.Categorical(zone)})
    y = X["x"].to_numpy() + 5.0 * (zone == "Z") + rng.normal(size=n)
    return X, y


def test_a_level_absent_from_a_resample_is_left_out_not_counted_as_zero():
    X, y = _rare_level_data()
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    with pytest.warns(UserWarning, match=r"could not be estimated in many resamples.*zone == Z \(\d+ of 200\)"):
        boot = coefficient_inference(model, X, y, method="bootstrap", n_resamples=200, random_state=0)
    frame = boot.to_frame().set_index("term")
    # about exp(-2) = 13.5% of the resamples hold no Z row: they are not zeros of the interval
    assert 150 < frame.loc["zone == Z", "n_estimable"] < 190
    assert frame.loc["zone == Z", "lower"] > 3 and frame.loc["zone == Z", "selected"] == 1
    assert frame.loc["x", "n_estimable"] == 200 and frame.loc["(intercept)", "n_estimable"] == 200
    assert "estimable" in str(boot).splitlines()[-4] or "estimable" in str(boot)
    assert CoefficientInference.from_json(boot.to_json()) == boot


def _rare_reference_fit():
    """A fit whose reference level (the first level held at 0) has a single row."""
    n = 300
    zone = np.array(["A"] * 1 + ["B"] * 150 + ["C"] * 149)
    for seed in range(50):
        rng = np.random.RandomState(seed)
        X = pd.DataFrame({"x": rng.normal(size=n), "zone": pd.Categorical(zone)})
        y = X["x"].to_numpy() + (zone == "C") + rng.normal(size=n)
        model = SparseLinearRegressor(alpha=0).fit(X, y)
        if model.coef_[1] == 0:
            return model, X, y
    raise AssertionError("no fit held the rare level at 0")


def test_a_resample_without_the_reference_level_cannot_read_the_levels():
    model, X, y = _rare_reference_fit()
    with pytest.warns(UserWarning, match="could not be estimated"):
        boot = coefficient_inference(model, X, y, method="bootstrap", n_resamples=100, random_state=0)
    frame = boot.to_frame().set_index("term")
    counts = frame["n_estimable"]
    assert counts["zone == B"] == counts["zone == C"] == counts["(intercept)"] < 80
    assert counts["x"] == 100
    # read against A in every resample that holds A: C - A near the fitted contrast, not dragged to 0
    assert frame.loc["zone == C", "lower"] > 0


def test_steps_are_refitted_on_the_model_s_own_thresholds():
    rng = np.random.RandomState(0)
    n = 500
    X = pd.DataFrame({"x": rng.normal(size=n)})
    y = 2.0 * (X["x"] > 0.3) + rng.normal(size=n)
    model = SparseLinearRegressor(alpha=0.01, basis="steps", max_thresholds=4).fit(X, y)
    boot = coefficient_inference(model, X, y, method="bootstrap", n_resamples=50, random_state=0)
    frame = boot.to_frame().set_index("term")
    assert list(frame.index[1:]) == list(model.term_names_)
    main = model.term_names_[int(np.argmax(np.abs(model.coef_)))]
    assert frame.loc[main, "lower"] > 1 and frame.loc[main, "upper"] < 2.5 and frame.loc[main, "selected"] == 1
    assert np.all(frame["n_estimable"] == 50)


def test_steps_refit_on_all_rows_reproduces_the_model():
    from glassbox.linear._inference_bootstrap import _aligned, _coefficient_frame, _fixed_basis, _refit, _refit_estimator

    rng = np.random.RandomState(2)
    n = 400
    X = pd.DataFrame({"x": rng.normal(size=n), "c": pd.Categorical(rng.choice(list("abc"), n))})
    y = (X["x"] > 0) + (X["c"] == "b") + rng.normal(size=n)
    model = SparseLinearRegressor(alpha=0.01, basis="steps", max_thresholds=4, monotonic_cst={"x": 1}).fit(X, y)
    base, X_fixed, renamed = _fixed_basis(model, X, _refit_estimator(model))
    refit = _refit(base, X_fixed, y, np.ones(n), renamed)
    reference = _coefficient_frame(model)
    np.testing.assert_allclose(_aligned(reference, refit)[:, 0], reference["values"], rtol=0, atol=1e-12)


def _grouped(n_groups=40, per=25, seed=0):
    rng = np.random.RandomState(seed)
    groups = np.repeat(np.arange(n_groups), per)
    X = pd.DataFrame({"z": np.repeat(rng.normal(size=n_groups), per), "x": rng.normal(size=n_groups * per)})
    y = 0.5 * X["z"] + X["x"] + np.repeat(rng.normal(size=n_groups), per) + 0.3 * rng.normal(size=groups.size)
    return X, y.to_numpy(), groups


def test_groups_are_resampled_whole():
    X, y, groups = _grouped()
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    rows = coefficient_inference(model, X, y, method="bootstrap", n_resamples=100, random_state=0)
    whole = coefficient_inference(model, X, y, method="bootstrap", n_resamples=100, random_state=0,
                                  groups=[f"g{g}" for g in groups])
    se_rows, se_groups = (r.to_frame().set_index("term")["std_error"] for r in (rows, whole))
    assert se_groups["z"] > 3 * se_rows["z"]  # a group-level feature: 40 groups, not 1,000 rows, of evidence
    assert 0.5 < se_groups["x"] / se_rows["x"] < 2  # a row-level one: about as before
    assert whole.n_groups == 40 and rows.n_groups is None
    assert "40 groups drawn whole, 1000 rows" in str(whole) and "taken as independent" in str(rows)
    assert CoefficientInference.from_json(whole.to_json()) == whole


def test_wald_with_groups_is_the_cluster_robust_sandwich():
    X, y, groups = _grouped()
    model = SparseLinearRegressor(alpha=0, tol=1e-10).fit(X, y)
    table = coefficient_inference(model, X, y, groups=groups)
    # the sandwich in closed form: (A'A)^-1 (sum_g A_g' e_g e_g' A_g) (A'A)^-1, Stata's small-sample factor
    A = np.column_stack([np.ones(len(y)), X[["z", "x"]].to_numpy()])
    bread = np.linalg.inv(A.T @ A)
    residual = y - A @ np.concatenate([[model.intercept_], model.coef_])
    per_group = np.stack([A[groups == g].T @ residual[groups == g] for g in range(40)])
    n, k, G = len(y), 3, 40
    expected = G / (G - 1) * (n - 1) / (n - k) * bread @ (per_group.T @ per_group) @ bread
    np.testing.assert_allclose(table.std_errors, np.sqrt(np.diag(expected)), rtol=1e-8)
    assert table.df_resid == 39 and table.n_groups == 40 and "over 40 groups" in str(table)
    plain = coefficient_inference(model, X, y)
    assert table.std_errors[1] > 3 * plain.std_errors[1]  # the group-level feature
    assert CoefficientInference.from_json(table.to_json()) == table


def test_groups_are_checked():
    X, y, groups = _grouped(10, 10)
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    with pytest.raises(ValueError, match="at least 2 groups"):
        coefficient_inference(model, X, y, groups=np.zeros(len(y)))
    with pytest.raises(ValueError, match=r"groups has shape \(99,\).*shape \(100,\)"):
        coefficient_inference(model, X, y, method="bootstrap", groups=groups[:99])
    with pytest.raises(ValueError, match="groups holds missing values"):
        coefficient_inference(model, X, y, method="bootstrap", groups=np.where(groups == 3, np.nan, groups))


def test_a_multiclass_resample_without_a_class_counts_as_a_failed_refit():
    """Its refit has fewer classes, whose coefficients are not the model's: dropped, counted, and said."""
    rng = np.random.RandomState(14)
    X = pd.DataFrame({"a": rng.normal(size=60)})
    y = np.array(["a"] * 29 + ["b"] * 28 + ["c"] * 3)  # (57/60)^60: about 5% of the resamples lack c
    model = SparseLinearClassifier(alpha=0.01).fit(X, y)
    table = coefficient_inference(model, X, y, method="bootstrap", n_resamples=100, random_state=0)
    assert 0 < table.n_failed <= 10 and table.n_resamples == 100 - table.n_failed
    assert f"{table.n_failed} refits failed" in str(table)
    few = y.copy()
    few[:58] = np.where(np.arange(58) % 2 == 0, "a", "b")
    few[58:] = ["c", "a"]  # one row of c: about a third of the resamples lack it
    model = SparseLinearClassifier(alpha=0.01).fit(X, few)
    with pytest.raises(ValueError, match="lacks a class"):
        coefficient_inference(model, X, few, method="bootstrap", n_resamples=50, random_state=0)
