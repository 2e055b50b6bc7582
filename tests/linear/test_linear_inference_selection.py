"""Wald figures after a best-subset selection on the same rows: too narrow, and said so."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearClassifier, SparseLinearRegressor, coefficient_inference
from glassbox.explain import CoefficientInference

_CAVEAT = "Not valid after selection"


def test_best_subset_noise_terms_look_significant_and_the_table_says_so():
    # 20 candidates, one true effect, k = 3 fixed in advance: the two noise terms kept in each fit are the
    # two that fit this sample's noise best, so their Wald p-values fall below 0.05 far more often than 5%
    rng = np.random.RandomState(1)
    significant, n_noise = 0, 0
    for _ in range(100):
        X = rng.normal(size=(200, 20))
        y = 0.5 * X[:, 0] + rng.normal(size=200)
        model = SparseLinearRegressor(penalty="l0", alpha=0, max_features=3).fit(X, y)
        with pytest.warns(UserWarning, match="chosen among 20 candidates.*too narrow.*split the rows"):
            table = coefficient_inference(model, X, y)
        assert table.n_candidates == 20
        assert _CAVEAT in str(table) and "refit them with alpha=0 on the other half" in str(table)
        frame = table.to_frame().set_index("term").drop(index=["(intercept)", "x0"], errors="ignore")
        significant += int(np.sum(frame["p_value"] < 0.05))
        n_noise += len(frame)
    share = significant / n_noise
    assert n_noise >= 150 and share > 0.2, share  # 0.38 here (76 of 200) against the nominal 0.05
    assert CoefficientInference.from_json(table.to_json()).n_candidates == 20
    assert table.to_dict()["n_candidates"] == 20


def test_sample_splitting_gives_figures_without_the_caveat():
    rng = np.random.RandomState(2)
    X = pd.DataFrame(rng.normal(size=(400, 10)), columns=[f"x{j}" for j in range(10)])
    y = 0.6 * X["x0"] - 0.4 * X["x1"] + rng.normal(size=400)
    choose, infer = np.arange(200), np.arange(200, 400)
    chosen = SparseLinearRegressor(penalty="l0", alpha=0, max_features=2).fit(X.iloc[choose], y.iloc[choose])
    terms = [name for name, c in zip(chosen.term_names_, chosen.coef_) if c != 0]
    refit = SparseLinearRegressor(alpha=0).fit(X.iloc[infer][terms], y.iloc[infer])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = coefficient_inference(refit, X.iloc[infer][terms], y.iloc[infer])
    assert table.n_candidates is None and _CAVEAT not in str(table)


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_a_capped_lasso_at_alpha_0_selects_and_is_flagged(penalty):
    # alpha=0 leaves no shrinkage, but max_features=3 still chooses 3 of the 20 terms on these rows
    rng = np.random.RandomState(1)
    X = rng.normal(size=(200, 20))
    y = 0.5 * X[:, 0] + rng.normal(size=200)
    model = SparseLinearRegressor(penalty=penalty, alpha=0, max_features=3).fit(X, y)
    assert model.n_nonzero_ == 3
    with pytest.warns(UserWarning, match="chosen among 20 candidates.*max_features cap"):
        table = coefficient_inference(model, X, y)
    assert table.n_candidates == 20 and _CAVEAT in str(table)


def test_a_capped_lasso_classifier_is_flagged_too():
    rng = np.random.RandomState(4)
    X = rng.normal(size=(400, 8))
    y = (X[:, 0] + rng.logistic(size=400) > 0).astype(int)
    model = SparseLinearClassifier(alpha=0, max_features=2).fit(X, y)
    with pytest.warns(UserWarning, match="chosen among 8 candidates"):
        table = coefficient_inference(model, X, y)
    assert table.n_candidates == 8 and _CAVEAT in str(table)


@pytest.mark.parametrize("params", [{"alpha": 0}, {"alpha": 0, "penalty": "l0"},
                                    {"alpha": 0, "penalty": "l0", "max_features": 4},
                                    {"alpha": 0, "max_features": 4}])
def test_a_fit_that_kept_every_candidate_has_no_caveat(params):
    # max_features=4 of five terms: the five are a categorical's three levels beside an intercept (one is its
    # reference, no choice) and two numbers, so every candidate is kept
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300),
                      "zone": pd.Categorical(rng.choice(list("pqr"), 300))})
    y = X["a"] + 0.5 * (X["zone"] == "q") + rng.normal(size=300)
    if params.get("penalty") == "l0" and "max_features" not in params:
        X = X.drop(columns="zone")  # best subset with no cap keeps every level beside the intercept: collinear
    model = SparseLinearRegressor(**params).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = coefficient_inference(model, X, y)
    assert table.n_candidates is None and _CAVEAT not in str(table)
    assert "Conditional on" not in str(table)


def test_a_multinomial_best_subset_is_flagged_too():
    rng = np.random.RandomState(3)
    X = rng.normal(size=(600, 6))
    y = np.array(["a", "b", "c"])[np.argmax(np.column_stack([X[:, 0], -X[:, 0], X[:, 1]])
                                            + rng.gumbel(size=(600, 3)), axis=1)]
    model = SparseLinearClassifier(penalty="l0", alpha=0.02, ridge_alpha=0).fit(X, y)
    assert np.any(np.all(model.coef_ == 0, axis=0))  # some candidate dropped in every class
    with pytest.warns(UserWarning, match="chosen among 6 candidates"):
        table = coefficient_inference(model, X, y)
    assert table.n_candidates == 6 and _CAVEAT in str(table)


def test_the_caveat_agrees_in_number_with_one_kept_term():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 5))
    y = X[:, 0] + rng.normal(size=200)
    model = SparseLinearRegressor(penalty="l0", alpha=0, max_features=1).fit(X, y)
    with pytest.warns(UserWarning, match="The 1 kept term was chosen among 5 candidates"):
        table = coefficient_inference(model, X, y)
    assert "the 1 term shown was chosen among 5 candidates" in str(table)


def test_a_cap_that_left_room_is_no_selection():
    # max_features equals the number of terms, so the cap never binds: x0's coefficient is 0 because the
    # increasing constraint clips its negative effect, a zero the uncapped fit has too and is not warned of
    # as a selection (only as a constraint that binds against the data)
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    y = -1.0 * X[:, 0] + X[:, 1] + rng.normal(size=300)
    tables = []
    for cap in (None, 3):
        model = SparseLinearRegressor(alpha=0, max_features=cap, monotonic_cst=[1, 0, 0]).fit(X, y)
        assert model.coef_[0] == 0 and np.all(model.coef_[1:] != 0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tables.append(coefficient_inference(model, X, y))
        assert len(caught) == 1, [str(w.message) for w in caught]
        assert str(caught[0].message).startswith("The sign constraint on x0 (monotonic_cst +1; score test z = -")
    assert [table.n_candidates for table in tables] == [None, None]
    assert _CAVEAT not in str(tables[1])


def test_a_capped_multinomial_counts_a_term_kept_for_any_class():
    # the cap counts a term once when it is nonzero for some class: two kept terms of six candidates bind
    # max_features=2 even though each class row holds its own two coefficients
    rng = np.random.RandomState(3)
    X = rng.normal(size=(600, 6))
    y = np.array(["a", "b", "c"])[np.argmax(np.column_stack([X[:, 0], -X[:, 0], X[:, 1]])
                                            + rng.gumbel(size=(600, 3)), axis=1)]
    model = SparseLinearClassifier(alpha=0, max_features=2).fit(X, y)
    assert np.sum(np.any(model.coef_ != 0, axis=0)) == 2
    with pytest.warns(UserWarning, match="The 2 kept terms were chosen among 6 candidates"):
        table = coefficient_inference(model, X, y)
    assert table.n_candidates == 6
