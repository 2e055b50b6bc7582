"""A rating level with exposure but no claims: its log-link coefficient runs to minus infinity, and is warned of."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearRegressor, SparseLinearRegressorCV, coefficient_inference

NO_CLAIMS = "No claims on the rows of region == E"


def _book(claims_in_e=0, seed=0, n=4000):
    """Claim rates with exposure; region E (60 policies, about 3 claims expected) has ``claims_in_e`` claims."""
    rng = np.random.RandomState(seed)
    region = rng.choice(list("ABCD"), size=n)
    region[:60] = "E"
    power = rng.uniform(0, 10, size=n)
    exposure = rng.uniform(0.2, 1.0, size=n)
    rate = 0.1 * np.exp(0.05 * power + pd.Series(region).map({"A": 0, "B": 0.2, "C": -0.2, "D": 0.4, "E": 0}))
    claims = rng.poisson(exposure * rate.to_numpy())
    claims[:60] = 0
    claims[:claims_in_e] = 1
    X = pd.DataFrame({"region": pd.Categorical(region), "power": power})
    return X, claims / exposure, exposure


def _messages(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def _no_claims_warnings(messages):
    return [m for m in messages if m.startswith("No claims")]


@pytest.mark.parametrize("loss", ["poisson", "tweedie"])
def test_an_unpenalized_fit_warns_of_a_level_without_claims_naming_it_the_cause_and_the_remedies(loss):
    X, y, exposure = _book()
    model, messages = _messages(lambda: SparseLinearRegressor(alpha=0, loss=loss).fit(X, y, sample_weight=exposure))
    (message,) = _no_claims_warnings(messages)
    assert message.startswith(NO_CLAIMS)
    assert "minus infinity" in message
    for remedy in ("Merge the level", "L2 penalty", "credibility-weighted"):
        assert remedy in message
    assert model.coef_[model.term_names_.index("region == E")] < -8  # the coefficient did run off


@pytest.mark.parametrize("loss", ["poisson", "tweedie"])
def test_a_wald_table_warns_of_a_level_without_claims(loss):
    X, y, exposure = _book()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SparseLinearRegressor(alpha=0, loss=loss).fit(X, y, sample_weight=exposure)
    table, messages = _messages(lambda: coefficient_inference(model, X, y, sample_weight=exposure,
                                                              weights="variance"))
    (message,) = _no_claims_warnings(messages)
    assert message.startswith(NO_CLAIMS) and "Wald standard error" in message
    assert table.to_frame().set_index("term").loc["region == E", "p_value"] > 0.5  # the figure warned of


def test_a_level_with_one_claim_is_not_warned_of_at_fit_or_in_the_table():
    X, y, exposure = _book(claims_in_e=1)
    model, messages = _messages(lambda: SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y,
                                                                                           sample_weight=exposure))
    _, table_messages = _messages(lambda: coefficient_inference(model, X, y, sample_weight=exposure,
                                                                weights="variance"))
    assert _no_claims_warnings(messages + table_messages) == []
    assert model.coef_[model.term_names_.index("region == E")] > -5  # finite: a claim holds it


@pytest.mark.parametrize("penalty", [{"penalty": "l1"}, {"penalty": "elasticnet", "l1_ratio": 0.0}])
def test_a_penalty_that_holds_the_level_is_not_warned_of_and_a_negligible_one_is(penalty):
    X, y, exposure = _book()
    held, messages = _messages(lambda: SparseLinearRegressor(alpha=1e-2, loss="poisson", **penalty).fit(
        X, y, sample_weight=exposure))
    assert _no_claims_warnings(messages) == []
    assert np.exp(held.coef_[held.term_names_.index("region == E")]) > 0.05
    _, messages = _messages(lambda: SparseLinearRegressor(alpha=1e-7, loss="poisson", **penalty).fit(
        X, y, sample_weight=exposure))
    assert len(_no_claims_warnings(messages)) == 1


def test_a_reference_level_without_claims_is_warned_of():
    # held at 0, it sends the intercept to minus infinity and every other level to plus infinity
    X, y, exposure = _book()
    _, messages = _messages(lambda: SparseLinearRegressor(alpha=0, loss="poisson", reference_levels={"region": "E"})
                            .fit(X, y, sample_weight=exposure))
    (message,) = _no_claims_warnings(messages)
    assert message.startswith(NO_CLAIMS)


def test_a_cross_validated_fit_warns_at_a_chosen_alpha_of_zero_only():
    X, y, exposure = _book()
    _, messages = _messages(lambda: SparseLinearRegressorCV(alphas=[0.0], loss="poisson", cv=3).fit(
        X, y, sample_weight=exposure))
    assert len(_no_claims_warnings(messages)) == 1
    _, messages = _messages(lambda: SparseLinearRegressorCV(alphas=[1e-2], loss="poisson", cv=3).fit(
        X, y, sample_weight=exposure))
    assert _no_claims_warnings(messages) == []


def test_gamma_amounts_are_never_zero_and_are_not_checked():
    X, y, exposure = _book()
    amounts = np.random.RandomState(1).gamma(2.0, 500.0, size=len(y))
    model, messages = _messages(lambda: SparseLinearRegressor(alpha=0, loss="gamma").fit(X, amounts,
                                                                                         sample_weight=exposure))
    _, table_messages = _messages(lambda: coefficient_inference(model, X, amounts, sample_weight=exposure,
                                                                weights="variance"))
    assert _no_claims_warnings(messages + table_messages) == []
