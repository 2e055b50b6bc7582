"""Log-link GAMs end balanced on their training book, and refit_intercept(balance=True) restores the balance."""

import copy

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, GAMRegressor


def _book(n=6000, seed=0):
    """A zero-heavy pure-premium book: exposure, claim counts and compound Gamma amounts."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"power": rng.randint(4, 15, n).astype(float), "region": rng.choice(list("ABCD"), n)})
    exposure = rng.uniform(0.1, 1.0, n)
    rate = np.exp(-2.5 + 0.08 * (X["power"] - 4) + X["region"].map({"A": 0, "B": 0.3, "C": 0.6, "D": -0.4}))
    claims = rng.poisson(rate.to_numpy() * exposure)
    amount = np.zeros(n)
    amount[claims > 0] = [rng.gamma(1.5, 2000, k).sum() for k in claims[claims > 0]]
    return X, exposure, claims, amount


def _ratio(model, X, y, w):
    return np.sum(w * model.predict(X)) / np.sum(w * y)


@pytest.mark.parametrize("loss, power", [("tweedie", 1.5), ("tweedie", 1.8), ("poisson", None)])
def test_a_log_link_fit_ends_with_predicted_total_equal_to_observed(loss, power):
    # early-stopped Tweedie bags fell 1-4% short of the book's total (the observed hessian of a leaf grows with
    # y, so its Newton steps lower the total more than they raise it; averaging the bags' log scores lowers it too)
    X, exposure, claims, amount = _book()
    y = amount / exposure if loss == "tweedie" else claims / exposure
    params = {"power": power} if power else {}
    for seed in range(2):
        model = GAMRegressor(loss=loss, interactions=0, outer_bags=4, random_state=seed, **params)
        model.fit(X, y, sample_weight=exposure)
        assert _ratio(model, X, y, exposure) == pytest.approx(1.0, abs=1e-12)


def test_a_gamma_severity_fit_ends_balanced_and_zero_weight_rows_do_not_count():
    X, _, claims, amount = _book(seed=1)
    has = claims > 0
    severity, counts = amount[has] / claims[has], claims[has].astype(float)
    # rows of weight zero with wild targets: they weigh nothing in the fit, nor in its balance
    X_all = pd.concat([X[has], X[has].iloc[:50]], ignore_index=True)
    y_all = np.r_[severity, np.full(50, 1e9)]
    w_all = np.r_[counts, np.zeros(50)]
    model = GAMRegressor(loss="gamma", interactions=0, outer_bags=4, random_state=0).fit(X_all, y_all,
                                                                                         sample_weight=w_all)
    assert _ratio(model, X_all, y_all, w_all) == pytest.approx(1.0, abs=1e-12)
    alone = GAMRegressor(loss="gamma", interactions=0, outer_bags=4, random_state=0).fit(X[has], severity,
                                                                                         sample_weight=counts)
    assert model.intercept_[0] == pytest.approx(alone.intercept_[0], abs=1e-12)


def test_the_balanced_fit_keeps_the_explanation_adding_up():
    X, exposure, _, amount = _book(n=3000, seed=2)
    model = GAMRegressor(loss="tweedie", power=1.5, interactions=1, outer_bags=2, random_state=0)
    model.fit(X, amount / exposure, sample_weight=exposure)
    local = model.explain_local(X.iloc[:20])
    np.testing.assert_allclose(np.exp(local.base_value + local.contributions.sum(axis=1)),
                               model.predict(X.iloc[:20]), rtol=1e-12)
    np.testing.assert_allclose(model.explain_global().predict(X), model.predict(X), rtol=1e-12)


@pytest.fixture(scope="module")
def edited_tweedie():
    X, exposure, _, amount = _book(seed=3)
    y = amount / exposure
    model = GAMRegressor(loss="tweedie", power=1.6, interactions=0, outer_bags=2, random_state=0)
    model.fit(X, y, sample_weight=exposure)
    return model.remove_terms("region"), X, y, exposure


def test_refit_intercept_balance_restores_the_book_after_an_edit(edited_tweedie):
    edited, X, y, exposure = edited_tweedie
    likelihood = copy.deepcopy(edited).refit_intercept(X, y, sample_weight=exposure)
    # Tweedie's maximum-likelihood intercept weights the rows by mu^(1-p): 1.1% short of the book here
    assert _ratio(likelihood, X, y, exposure) < 0.995
    balanced = copy.deepcopy(edited).refit_intercept(X, y, sample_weight=exposure, balance=True)
    assert _ratio(balanced, X, y, exposure) == pytest.approx(1.0, abs=1e-12)
    assert balanced.edits_[-1].action == "refit_intercept"
    assert balanced.edits_[-1].parameters == {"n_samples": len(y), "balance": True}
    assert likelihood.edits_[-1].parameters == {"n_samples": len(y)}


def test_balance_changes_nothing_where_the_likelihood_intercept_balances_already():
    X, exposure, claims, _ = _book(n=2000, seed=4)
    poisson = GAMRegressor(loss="poisson", interactions=0, outer_bags=2, random_state=0)
    poisson.fit(X, claims / exposure, sample_weight=exposure).remove_terms("power")
    a = copy.deepcopy(poisson).refit_intercept(X, claims / exposure, sample_weight=exposure)
    b = copy.deepcopy(poisson).refit_intercept(X, claims / exposure, sample_weight=exposure, balance=True)
    assert a.intercept_[0] == pytest.approx(b.intercept_[0], abs=1e-12)
    y = (X["power"] + np.random.RandomState(0).normal(size=len(X)) > 10).astype(int)
    classifier = GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, y).remove_terms("power")
    a = copy.deepcopy(classifier).refit_intercept(X, y)
    b = copy.deepcopy(classifier).refit_intercept(X, y, balance=True)
    assert a.intercept_[0] == b.intercept_[0]


def test_balance_must_be_a_bool(edited_tweedie):
    edited, X, y, exposure = edited_tweedie
    with pytest.raises(TypeError, match="balance must be True or False"):
        copy.deepcopy(edited).refit_intercept(X, y, sample_weight=exposure, balance="yes")
