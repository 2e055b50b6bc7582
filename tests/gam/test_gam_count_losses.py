"""GAMRegressor's log-link losses: Poisson (counts), Gamma (positive amounts), Tweedie (pure premium)."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassbox import GAMRegressor, from_json
from glassbox.gam._boosting import LOSS_GAMMA, LOSS_POISSON, LOSS_TWEEDIE
from glassbox.gam._gam_fast import gradients, mean_loss
from glassbox.gam._reference import gradients_reference, half_deviance_reference
from glassbox.explain.links import Link
from glassbox.utils.checks import GLASSBOX_CHECKS, check_explanation_round_trip, check_local_additivity

LOSSES = {"poisson": (LOSS_POISSON, 0.0), "gamma": (LOSS_GAMMA, 0.0), "tweedie": (LOSS_TWEEDIE, 1.5)}
# boosting to convergence on all rows: one categorical feature's levels reach their closed-form MLE
CONVERGED = dict(interactions=0, validation_fraction=None, outer_bags=1, learning_rate=0.5, max_rounds=400,
                 smoothing_rounds=0, min_samples_leaf=1, random_state=0)


def _target(loss, mean, rng):
    if loss == "poisson":
        return rng.poisson(mean).astype(float)
    if loss == "gamma":
        return rng.gamma(2.0, mean / 2.0)
    return rng.poisson(mean) * rng.gamma(2.0, 1.0, size=len(mean))  # compound Poisson-Gamma, exact zeros


def _level_data(loss, seed=0, n=900):
    rng = np.random.RandomState(seed)
    level = rng.choice(["a", "b", "c", "d"], size=n, p=[0.4, 0.3, 0.2, 0.1])
    mean = pd.Series(level).map({"a": 0.5, "b": 1.5, "c": 4.0, "d": 9.0}).to_numpy()
    X = pd.DataFrame({"level": pd.Categorical(level)})
    return X, _target(loss, mean, rng), rng.uniform(0.2, 3.0, size=n)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_one_categorical_feature_fits_the_weighted_mean_of_each_level(loss):
    # the MLE of every loss here is the level's weighted mean of y (the deviances' score equations
    # sum_i w_i mu^(1-p) (y_i - mu) = 0 for Tweedie's power p; 1 for Poisson, 2 for Gamma)
    X, y, w = _level_data(loss)
    model = GAMRegressor(loss=loss, **CONVERGED).fit(X, y, sample_weight=w)
    frame = pd.DataFrame({"level": X["level"], "wy": w * y, "w": w})
    sums = frame.groupby("level", observed=True).sum()
    closed_form = sums["wy"] / sums["w"]
    fitted = model.predict(pd.DataFrame({"level": pd.Categorical(closed_form.index)}))
    np.testing.assert_allclose(fitted, closed_form.to_numpy(), rtol=1e-7)


def test_exposure_idiom_rate_with_exposure_weights_is_the_counts_per_exposure_mle():
    # counts over exposures (policy years): fitting the rate y / exposure with sample_weight=exposure
    # is the Poisson likelihood of the counts with offset log(exposure)
    rng = np.random.RandomState(1)
    n = 1200
    level = rng.choice(["north", "south", "east"], size=n)
    exposure = rng.uniform(0.05, 2.0, size=n)
    rate = pd.Series(level).map({"north": 0.1, "south": 0.3, "east": 0.8}).to_numpy()
    counts = rng.poisson(rate * exposure)
    X = pd.DataFrame({"region": pd.Categorical(level)})
    model = GAMRegressor(loss="poisson", **CONVERGED).fit(X, counts / exposure, sample_weight=exposure)
    frame = pd.DataFrame({"region": level, "counts": counts, "exposure": exposure}).groupby("region").sum()
    fitted = model.predict(pd.DataFrame({"region": pd.Categorical(frame.index)}))
    np.testing.assert_allclose(fitted, (frame["counts"] / frame["exposure"]).to_numpy(), rtol=1e-7)
    # the expected counts of a row are the predicted rate times its exposure
    np.testing.assert_allclose((model.predict(X) * exposure).sum(), counts.sum(), rtol=1e-7)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_gradients_match_reference_and_finite_differences_of_the_row_loss(loss):
    code, power = LOSSES[loss]
    rng = np.random.RandomState(0)
    raw = rng.randn(400, 1) * 2
    raw[:4, 0] = [0.0, 30.0, -30.0, 1000.0]  # large raw scores stay finite (clipped before exp)
    y = _target(loss, np.exp(rng.randn(400) * 0.5), rng)[:, None]
    w = rng.uniform(0.0, 2.0, size=400)
    g, h = np.empty_like(raw), np.empty_like(raw)
    gradients(raw, y, w, g, h, code, 1, power)
    g_ref, h_ref = gradients_reference(raw, y, w, code, power)
    assert np.all(np.isfinite(g)) and np.all(h > 0)
    # the kernels' exp is a polynomial (so their loops vectorise), good to ~1e-11
    np.testing.assert_allclose(g, g_ref, rtol=1e-10, atol=1e-9)  # atol: a difference of near-equal terms
    np.testing.assert_allclose(h, h_ref, rtol=1e-10, atol=1e-300)
    # the gradient and hessian are the derivatives of the row loss the early stopping measures
    step = 1e-5
    for i in range(5, 40):
        one = dict(y=y[i : i + 1], w=np.array([1.0]))

        def loss_at(f):
            return mean_loss(np.array([[f]]), one["y"], one["w"], code, power)

        f = raw[i, 0]
        np.testing.assert_allclose(loss_at(f), half_deviance_reference(raw[i], y[i], code, power)[0], rtol=1e-12,
                                   atol=1e-14)
        fd_g = (loss_at(f + step) - loss_at(f - step)) / (2 * step)
        fd_h = (loss_at(f + step) - 2 * loss_at(f) + loss_at(f - step)) / step**2
        np.testing.assert_allclose(fd_g * w[i], g[i, 0], rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(fd_h * w[i], h[i, 0], rtol=1e-3, atol=1e-5)


def test_half_deviance_is_half_of_sklearns_mean_deviances():
    from sklearn.metrics import mean_gamma_deviance, mean_poisson_deviance, mean_tweedie_deviance

    rng = np.random.RandomState(3)
    mu = np.exp(rng.randn(300) * 0.5)
    w = rng.uniform(0.1, 2.0, size=300)
    raw = np.log(mu)[:, None]
    for loss, metric in [("poisson", mean_poisson_deviance), ("gamma", mean_gamma_deviance),
                         ("tweedie", lambda *a, **k: mean_tweedie_deviance(*a, power=1.5, **k))]:
        code, power = LOSSES[loss]
        y = _target(loss, mu, rng)
        ours = mean_loss(raw, y[:, None], w, code, power)
        np.testing.assert_allclose(2 * ours, metric(y, mu, sample_weight=w), rtol=1e-12)


def _count_data(n=1500, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"age": rng.uniform(18, 80, size=n), "power": rng.uniform(0, 10, size=n),
                      "area": pd.Categorical(rng.choice(list("ABCD"), size=n))})
    X.loc[rng.rand(n) < 0.05, "power"] = np.nan
    log_mean = -1.0 + 0.02 * (X["age"] - 50) + 0.15 * np.nan_to_num(X["power"].to_numpy()) \
        + X["area"].map({"A": 0.0, "B": 0.3, "C": -0.2, "D": 0.6}).astype(float)
    return X, rng.poisson(np.exp(log_mean.to_numpy())).astype(float)


@pytest.fixture(scope="module", params=list(LOSSES))
def fitted(request):
    X, counts = _count_data()
    loss = request.param
    y = counts + 0.5 if loss == "gamma" else counts  # gamma needs y > 0
    model = GAMRegressor(loss=loss, interactions=2, outer_bags=2, monotonic_cst={"power": 1}, random_state=0)
    return model.fit(X, y), X, y


def test_log_link_additivity_and_prediction_is_exp_of_the_total(fitted):
    model, X, _ = fitted
    local = model.explain_local(X)
    total = local.base_value + local.contributions.sum(axis=1)
    np.testing.assert_allclose(total, local.decision, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(model.predict(X), np.exp(local.decision))
    np.testing.assert_array_equal(local.prediction, model.predict(X))
    shapes = model.explain_global()
    assert shapes.link.name == "log"
    np.testing.assert_allclose(shapes.decision_function(X), local.decision, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(shapes.predict(X), model.predict(X), rtol=1e-12)


def test_log_link_json_round_trip_is_exact(fitted):
    model, X, _ = fitted
    text = model.to_json()
    loaded = from_json(text)
    assert loaded == model.explain_global()
    assert json.loads(loaded.to_json()) == json.loads(text)
    np.testing.assert_array_equal(loaded.predict(X), model.explain_global().predict(X))
    local = model.explain_local(X.iloc[:5])
    again = type(local).from_json(local.to_json())
    np.testing.assert_array_equal(again.prediction, local.prediction)
    assert again.link == local.link


def test_log_link_monotone_constraint_is_exact_on_a_grid(fitted):
    model, X, _ = fitted
    grid = pd.DataFrame({"age": 40.0, "power": np.linspace(-1, 11, 400), "area": pd.Categorical(["B"] * 400,
                                                                                                 categories=list("ABCD"))})
    predictions = model.predict(grid)
    assert np.all(np.diff(predictions) >= 0)
    scores = model.explain_global().terms[1].scores[:-1]  # power's value bins
    assert np.all(np.diff(scores) >= 0)


def test_log_link_fit_is_deterministic(fitted):
    model, X, y = fitted
    again = GAMRegressor(**model.get_params()).fit(X, y)
    np.testing.assert_array_equal(again.predict(X), model.predict(X))


def test_log_link_text_and_plot_labels(fitted):
    model, X, _ = fitted
    assert "add up to the log of the predicted mean: prediction = exp(total)" in str(model.explain_global())
    text = str(model.explain_local(X.iloc[:1]))
    assert "= log of predicted mean" in text and "prediction = exp(" in text
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from glassbox.plotting import LocalContributionDisplay, ShapeFunctionDisplay

    display = LocalContributionDisplay.from_estimator(model, X, row=0)
    assert display.ax_.get_xlabel() == "log of predicted mean"
    assert " = exp(" in display.ax_.get_title()
    assert ShapeFunctionDisplay.from_estimator(model, term="age").ax_.get_ylabel() == "log of predicted mean"
    plt.close("all")


def test_poisson_beats_squared_error_on_counts_and_never_predicts_negative():
    from sklearn.metrics import mean_poisson_deviance

    X, y = _count_data(3000, seed=5)
    X_test, y_test = _count_data(2000, seed=6)
    poisson = GAMRegressor(loss="poisson", interactions=0, random_state=0).fit(X, y)
    squared = GAMRegressor(interactions=0, random_state=0).fit(X, y)
    assert poisson.predict(X_test).min() > 0
    clipped = np.clip(squared.predict(X_test), 1e-3, None)
    assert mean_poisson_deviance(y_test, poisson.predict(X_test)) < mean_poisson_deviance(y_test, clipped)


@pytest.mark.parametrize("params, y, message", [
    ({"loss": "poisson"}, [0.0, 1.0, -1.0, 2.0], "loss='poisson' needs a non-negative target"),
    ({"loss": "tweedie"}, [0.0, 1.0, -0.5, 2.0], "loss='tweedie' needs a non-negative target"),
    ({"loss": "poisson"}, [0.0, 0.0, 0.0, 0.0], "not zero in every row"),
    ({"loss": "gamma"}, [0.0, 1.0, 3.0, 2.0], "loss='gamma' needs a strictly positive target"),
    ({"loss": "gamma"}, [0.0, 1.0, 3.0, 2.0], "loss='tweedie'"),
    ({"loss": "tweedie", "power": 2.0}, [0.0, 1.0, 3.0, 2.0], "power=2 is the Gamma loss: use loss='gamma'"),
    ({"loss": "tweedie", "power": 1}, [0.0, 1.0, 3.0, 2.0], "power=1 is the Poisson loss: use loss='poisson'"),
    ({"loss": "tweedie", "power": 3.0}, [0.0, 1.0, 3.0, 2.0], "takes 1 < power < 2"),
    ({"loss": "tweedie", "power": "1.5"}, [0.0, 1.0, 3.0, 2.0], "'power' parameter of GAMRegressor must be"),
    ({"loss": "huber"}, [0.0, 1.0, 3.0, 2.0], "'loss' parameter of GAMRegressor must be"),
])
def test_bad_target_or_parameters_are_refused_by_name(params, y, message):
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        GAMRegressor(**params, outer_bags=1).fit(X, y)


def test_gamma_severity_with_zero_weight_rows_of_amount_zero_fits_as_if_they_were_dropped():
    # one row per policy, y = mean claim amount (0 without a claim), sample_weight = claim count: the zero-claim
    # rows weigh nothing; one bag and no validation split, so that dropping them changes no random draw
    rng = np.random.RandomState(0)
    n = 600
    X = pd.DataFrame({"age": rng.randint(18, 80, n).astype(float), "region": rng.choice(["a", "b", "c"], n)})
    claims = rng.poisson(0.5, n)
    severity = np.where(claims > 0, rng.gamma(2.0, 500.0, n) * np.exp(0.01 * X["age"]), 0.0)
    kept = claims > 0
    params = dict(loss="gamma", outer_bags=1, validation_fraction=None, interactions=0, max_rounds=100,
                  random_state=0)
    model = GAMRegressor(**params).fit(X, severity, sample_weight=claims)
    dropped = GAMRegressor(**params).fit(X[kept], severity[kept], sample_weight=claims[kept])
    np.testing.assert_allclose(model.predict(X), dropped.predict(X), rtol=1e-12)
    with pytest.raises(ValueError, match="in rows of positive sample_weight.*Drop those rows.*loss='tweedie'"):
        GAMRegressor(**params).fit(X, severity, sample_weight=np.ones(n))


@pytest.mark.parametrize("params", [{"loss": "poisson", "power": 1}, {"power": 0}, {"loss": "gamma", "power": 3.0}])
def test_power_is_ignored_by_the_losses_that_do_not_use_it(params):
    # a grid such as {"loss": ["poisson", "tweedie"], "power": [1, 1.5]} fits every combination it means
    X = np.arange(8.0).reshape(4, 2)
    GAMRegressor(**params, outer_bags=1).fit(X, [1.0, 1.0, 3.0, 2.0])


@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
def test_a_nan_target_from_zero_exposure_is_counted_with_the_fix(loss):
    # the exposure idiom y = claims / exposure gives 0/0 = NaN where a policy has no exposure
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    exposure = rng.uniform(0.1, 1, 200)
    exposure[[3, 50, 199]] = 0.0
    claims = rng.poisson(exposure)
    with np.errstate(invalid="ignore"):
        y = claims / exposure
    with pytest.raises(ValueError, match=r"y contains NaN in 3 of 200 rows.*exposure is 0: drop those rows"):
        GAMRegressor(loss=loss, outer_bags=1).fit(X, y, sample_weight=exposure)
    y[3] = np.inf
    with pytest.raises(ValueError, match="NaN in 2 and infinity in 1 of 200 rows"):
        GAMRegressor(loss=loss, outer_bags=1).fit(X, pd.Series(y), sample_weight=exposure)


def test_zero_weight_rows_do_not_decide_the_intercept():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="not zero in every row of positive weight"):
        GAMRegressor(loss="poisson", outer_bags=1).fit(X, [0.0, 3.0, 0.0, 0.0], sample_weight=[1, 0, 1, 1])


@parametrize_with_checks([GAMRegressor(loss=loss, **GAMRegressor._test_params)
                          for loss in ("poisson", "gamma", "tweedie")])
def test_sklearn_contract_log_link_losses(estimator, check):
    check(estimator)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_intercept_starts_at_the_log_of_the_weighted_mean(loss):
    # a feature with one value gets no step: the model is its starting intercept, whose exp is the weighted mean
    X, y, w = _level_data(loss, seed=2)
    constant = pd.DataFrame({"one": np.ones(len(y))})
    model = GAMRegressor(loss=loss, interactions=0, outer_bags=2, random_state=0).fit(constant, y, sample_weight=w)
    np.testing.assert_allclose(model.intercept_, [np.log(np.average(y, weights=w))], rtol=1e-12)
    np.testing.assert_allclose(model.predict(constant[:3]), np.average(y, weights=w), rtol=1e-12)


@pytest.mark.parametrize("check", GLASSBOX_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("loss", list(LOSSES))
def test_glassbox_contract_of_the_log_link_losses(loss, check):
    # the glassbox checks feed a positive target (positive_only tag) and compare on the log scale
    check(f"GAMRegressor(loss={loss!r})", GAMRegressor(loss=loss, **GAMRegressor._test_params))


class _PredictsTheExpOfAnIdentityExplanation(GAMRegressor):
    """Broken: predicts exp of the total while its explanations say the total is the prediction."""

    def _link(self):
        return Link("identity")

    def predict(self, X):
        return np.exp(self._decision(X))


def test_glassbox_checks_catch_a_broken_log_link_explanation():
    broken = _PredictsTheExpOfAnIdentityExplanation(loss="poisson", **GAMRegressor._test_params)
    with pytest.raises(AssertionError, match="do not add up"):
        check_local_additivity("broken", broken)
    with pytest.raises(AssertionError, match="predicts differently"):
        check_explanation_round_trip("broken", broken)


def test_demo_shows_the_gam_regressor_with_a_gamma_loss(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from glassbox.demo import main

    assert main(["demo", "--only", "GAMRegressor", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "GAMRegressor_gamma  (fitted in" in out and "prediction = exp(" in out
    assert (tmp_path / "GAMRegressor_gamma.json").exists() and (tmp_path / "GAMRegressor_gamma_local.png").exists()


@pytest.mark.parametrize("loss", list(LOSSES))
def test_smoothing_auto_and_mains_rescaling_work_on_the_deviance(loss):
    # both score candidate shapes by the validation rows' deviance (mean_loss with the loss and power)
    X, counts = _count_data(2000, seed=4)
    y = counts + 0.5 if loss == "gamma" else counts
    model = GAMRegressor(loss=loss, interactions=0, outer_bags=2, smoothing="auto", mains_rescaling=10.0,
                         random_state=0).fit(X, y)
    assert np.any(model.mains_multipliers_ != 1.0) and np.all(model.mains_multipliers_ >= 0)
    assert np.any(model.smoothing_widths_ > 0)
    local = model.explain_local(X)
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), local.decision, rtol=1e-12)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_log_link_terms_average_a_factor_of_one_so_an_unseen_level_gets_the_book_rate(loss):
    # every term is centred on its training-weighted mean relativity exp(f) = 1; with one feature the unseen level
    # (scoring 0) then predicts exp(intercept), the weighted mean of the fitted rates, i.e. of y at the MLE
    X, y, w = _level_data(loss, seed=3)
    model = GAMRegressor(loss=loss, **CONVERGED).fit(X, y, sample_weight=w)
    for term in model.explain_global().terms:
        np.testing.assert_allclose(np.average(np.exp(term.scores), weights=term.density), 1.0, rtol=1e-12)
    unseen = pd.DataFrame({"level": pd.Categorical(["e (new)", None])})
    with pytest.warns(UserWarning):
        predicted = model.predict(unseen)
    np.testing.assert_allclose(predicted, np.average(y, weights=w), rtol=1e-7)


def test_tweedie_near_power_two_still_boosts_zero_heavy_targets():
    # a zero row's half deviance is about 1 / (2 - p) whatever the fit: the tolerance's scale is the Pearson
    # statistic instead, so bags keep their rounds (before: none at p = 1.9999, a flat prediction)
    rng = np.random.RandomState(0)
    level = rng.choice(list("abcd"), 3000)
    mean = pd.Series(level).map({"a": 0.5, "b": 1.0, "c": 2.0, "d": 4.0}).to_numpy()
    y = np.where(rng.rand(3000) < 0.6, 0.0, rng.gamma(2.0, mean / 0.8))
    X = pd.DataFrame({"level": pd.Categorical(level)})
    model = GAMRegressor(loss="tweedie", power=1.9999, interactions=0, outer_bags=4, random_state=0).fit(X, y)
    assert np.all(model.n_rounds_["mains"] > 0)
    levels = pd.DataFrame({"level": pd.Categorical(list("abcd"))})
    means = pd.Series(y).groupby(level).mean().to_numpy()
    np.testing.assert_allclose(model.predict(levels), means, rtol=0.15)
