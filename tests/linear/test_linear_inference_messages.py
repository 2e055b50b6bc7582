"""coefficient_inference's refusals and warnings: what they name and the way out they give."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearRegressor, coefficient_inference


def _one_hot_frame(n=400, seed=0):
    rng = np.random.RandomState(seed)
    colour = rng.choice(["red", "green", "blue"], n)
    size = rng.choice(["S", "L"], n)
    X = pd.DataFrame({"x": rng.normal(size=n)})
    for level in ("red", "green", "blue"):
        X[f"colour_{level}"] = (colour == level).astype(float)
    for level in ("S", "L"):
        X[f"size_{level}"] = (size == level).astype(float)
    y = X["x"] + (colour == "red") - 0.5 * (size == "L") + rng.normal(size=n)
    return X, y.to_numpy()


def test_collinear_one_hot_groups_are_named_with_the_fix():
    X, y = _one_hot_frame()
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    assert np.all(model.coef_ != 0)  # every one-hot column kept beside the intercept
    with pytest.raises(ValueError) as refused:
        coefficient_inference(model, X, y)
    message = str(refused.value)
    assert "2 directions with no information" in message
    assert "[colour_red, colour_green, colour_blue]" in message and "[size_S, size_L]" in message
    assert "one-hot" in message and "drop one column per group" in message.lower()
    assert "categorical" in message and "alpha=0" not in message
    assert "(intercept) are" not in message


def test_collinear_refusal_never_recommends_the_fit_already_made():
    rng = np.random.RandomState(1)
    X = pd.DataFrame({"x": rng.normal(size=300), "zone": pd.Categorical(rng.choice(list("ab"), 300))})
    y = X["x"].to_numpy() + (X["zone"] == "b") + rng.normal(size=300)
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    reference = int(np.flatnonzero(model.coef_ == 0)[0])
    model.coef_[reference] = 4e-16  # a reference level left at a rounding residue, not at 0
    with pytest.raises(ValueError) as refused:
        coefficient_inference(model, X, y)
    message = str(refused.value)
    assert "All the levels of zone are kept beside the intercept" in message
    assert "penalty='l1' with alpha=0" not in message


def _weighted_rows(n=1000, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    return X, X["a"].to_numpy() + rng.normal(size=n), rng.uniform(0.5, 1.5, n)


def test_normalised_frequency_weights_are_refused_naming_variance_weights():
    X, y, w = _weighted_rows()
    w = w / w.sum()
    model = SparseLinearRegressor(alpha=0).fit(X, y, sample_weight=w)
    with pytest.warns(UserWarning, match="sums to 1 over 1000 rows"), \
            pytest.raises(ValueError, match=r"degrees of freedom left\); sample_weight sums to 1 over 1000 rows.*"
                                            r"pass weights='variance'"):
        coefficient_inference(model, X, y, sample_weight=w)
    table = coefficient_inference(model, X, y, sample_weight=w, weights="variance")
    assert table.df_resid == 1000 - 3


def test_frequency_weights_that_are_not_counts_are_warned_of():
    X, y, w = _weighted_rows()
    scaled = 50 * w / w.sum()
    model = SparseLinearRegressor(alpha=0).fit(X, y, sample_weight=scaled)
    with pytest.warns(UserWarning, match=r"sums to 50 over 1000 rows.*as if there were 50 rows.*weights='variance'"):
        coefficient_inference(model, X, y, sample_weight=scaled)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # weights near 1 per row, or whole counts, or variance weights: no warning
        coefficient_inference(SparseLinearRegressor(alpha=0).fit(X, y, sample_weight=w), X, y, sample_weight=w)
        counts = np.round(3 * w)
        coefficient_inference(SparseLinearRegressor(alpha=0).fit(X, y, sample_weight=counts), X, y,
                              sample_weight=counts)
        coefficient_inference(model, X, y, sample_weight=scaled, weights="variance")


def test_unseen_labels_are_printed_plainly_beside_the_model_s_classes():
    from glassbox import SparseLinearClassifier

    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=300)})
    y = np.where(X["a"] + rng.normal(size=300) > 0, "bad", "good")
    model = SparseLinearClassifier(alpha=0).fit(X, y)
    with pytest.raises(ValueError) as refused:
        coefficient_inference(model, X, np.where(y == "bad", "BAD", "good"))
    message = str(refused.value)
    assert "not fitted on: 'BAD' (the model's classes: 'bad', 'good')" in message and "np.str_" not in message


def test_glassbox_from_json_names_the_loader_of_an_inference_report():
    import glassbox
    from glassbox.explain import CoefficientInference

    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=200)})
    y = X["a"].to_numpy() + rng.normal(size=200)
    text = coefficient_inference(SparseLinearRegressor(alpha=0).fit(X, y), X, y).to_json()
    with pytest.raises(ValueError, match=r"'coefficient_inference' report, not a model: load it with "
                                         r"glassbox\.explain\.CoefficientInference\.from_json"):
        glassbox.from_json(text)
    assert CoefficientInference.from_json(text).terms == ("(intercept)", "a")


def test_quasi_separation_in_a_wald_table_is_warned_of_by_term():
    from glassbox import SparseLinearClassifier

    rng = np.random.RandomState(0)
    n = 500
    zone = rng.choice(["A", "B", "C"], n, p=[.49, .49, .02])
    X = pd.DataFrame({"x": rng.normal(size=n), "zone": pd.Categorical(zone)})
    y = np.where(zone == "C", "no", np.where(X["x"] + rng.normal(size=n) > 0, "yes", "no"))
    model = SparseLinearClassifier(alpha=0).fit(X, y)
    with pytest.warns(UserWarning, match=r"Quasi-complete separation: the rows of zone == C \(all 'no'\).*"
                                         r"alpha > 0.*method='bootstrap'"):
        coefficient_inference(model, X, y)
    import warnings

    y_mixed = np.where(X["x"] + rng.normal(size=n) > 0, "yes", "no")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        coefficient_inference(SparseLinearClassifier(alpha=0).fit(X, y_mixed), X, y_mixed)


def _counts(overdispersed, n=400, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"x": rng.normal(size=n)})
    mean = np.exp(1.5 + 0.3 * X["x"].to_numpy())
    if overdispersed:  # negative binomial with shape 2: variance mu + mu^2 / 2, about 3.4 times the mean here
        mean = mean * rng.gamma(2.0, 0.5, n)
    return X, rng.poisson(mean).astype(float)


def test_an_overdispersed_poisson_table_read_at_dispersion_1_is_warned_of_naming_pearson():
    import warnings

    X, y = _counts(overdispersed=True)
    model = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y)
    with pytest.warns(UserWarning, match=r"Over-dispersion: the Pearson statistic of this Poisson fit is [\d.]+ per "
                                         r"residual degree of freedom \(398 df\).*dispersion='pearson'"):
        report = coefficient_inference(model, X, y)
    assert report.dispersion == 1.0
    with warnings.catch_warnings():  # the user's explicit choices are not second-guessed
        warnings.simplefilter("error")
        pearson = coefficient_inference(model, X, y, dispersion="pearson")
        coefficient_inference(model, X, y, dispersion=1.0)
        coefficient_inference(model, X, y, groups=np.arange(len(y)) // 4)  # sandwich: no dispersion enters
    assert pearson.dispersion > 1.5


def test_poisson_counts_are_not_warned_of_overdispersion():
    import warnings

    X, y = _counts(overdispersed=False)
    model = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        coefficient_inference(model, X, y)
    small = slice(0, 12)  # chi2(10)/10 exceeds 1.5 by chance 13% of the time: few rows need the p-value as well
    Xs, ys = X.iloc[small], y[small]
    ys = ys.copy()
    ys[:3] = ys[:3] * 2  # a ratio above 1.5 that 10 df cannot tell from chance
    small_model = SparseLinearRegressor(alpha=0, loss="poisson").fit(Xs, ys)
    mu = small_model.predict(Xs)
    ratio = np.sum((ys - mu) ** 2 / mu) / 10
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        coefficient_inference(small_model, Xs, ys)
    assert ratio > 1.5


def _exposure_book(n=5000, seed=0):
    """Clean Poisson claims over exposures in (0.1, 1): the rate fitted with the exposure as weight."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"driver_age": rng.uniform(18, 80, n).round(), "urban": rng.randint(0, 2, n)})
    exposure = rng.uniform(0.1, 1.0, n)
    claims = rng.poisson(np.exp(-2.3 - 0.012 * (X["driver_age"] - 45) + 0.3 * X["urban"]) * exposure)
    rate = claims / exposure
    return X, rate, exposure, SparseLinearRegressor(alpha=0, loss="poisson").fit(X, rate, sample_weight=exposure)


def test_exposures_read_as_frequency_weights_are_named_as_the_cause_not_overdispersion():
    # the exposures sum to about 0.55 of the rows: counted from that sum, the Pearson statistic of clean
    # Poisson data is about 1.8 per degree of freedom, about 1 per row
    import warnings

    X, rate, exposure, model = _exposure_book()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        coefficient_inference(model, X, rate, sample_weight=exposure)
    messages = [str(c.message) for c in caught]
    assert len(messages) == 1, messages
    assert messages[0].startswith("sample_weight is not whole numbers")
    assert "pass weights='variance'" in messages[0] and "the counts are then not over-dispersed" in messages[0]
    with pytest.warns(UserWarning, match=r"sample_weight is not whole numbers.*estimated dispersion.*"
                                         r"pass weights='variance'"):
        coefficient_inference(model, X, rate, sample_weight=exposure, dispersion="pearson")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quasi = coefficient_inference(model, X, rate, sample_weight=exposure, dispersion="pearson",
                                      weights="variance")
        coefficient_inference(model, X, rate, sample_weight=exposure, weights="variance")
    assert 0.9 < quasi.dispersion < 1.15


def test_overdispersed_counts_with_exposures_are_warned_of_under_either_reading():
    X, rate, exposure, _ = _exposure_book(seed=1)
    rng = np.random.RandomState(2)
    claims = rng.poisson(rate * exposure * rng.gamma(0.5, 2.0, len(rate)))  # negative binomial, shape 0.5
    rate = claims / exposure
    model = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, rate, sample_weight=exposure)
    with pytest.warns(UserWarning, match=r"not whole numbers.*Over-dispersed either way.*weights='variance'.*"
                                         r"dispersion='pearson'"):
        coefficient_inference(model, X, rate, sample_weight=exposure)


@pytest.mark.parametrize("tol", [1e-6, 1e-14])
def test_a_target_fitted_exactly_is_refused_as_such_not_blamed_on_the_rows(tol):
    """y computed from the features: the residuals are rounding errors, so is an estimated dispersion; the
    refusal says so, and does not send the user to pass other rows or a smaller tol, which cannot help."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 5))
    y = X @ [1.0, 2.0, 0.5, -1.0, 3.0] + 10
    model = SparseLinearRegressor(alpha=0, tol=tol).fit(X, y)
    with pytest.raises(ValueError, match="fitted exactly") as refused:
        coefficient_inference(model, X, y)
    assert "pass the rows" not in str(refused.value)
    assert "no sampling error" in str(refused.value)


def test_a_constant_target_is_refused_without_a_division_by_zero():
    X = np.arange(8.0)[:, None]
    y = np.full(8, 3.0)
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    with np.errstate(all="raise"), pytest.raises(ValueError, match="takes one value") as refused:
        coefficient_inference(model, X, y)
    assert "no rows vary" not in str(refused.value) and "dispersion=" in str(refused.value)
    # a known dispersion gives the intercept's figures
    frame = coefficient_inference(model, X, y, dispersion=1.0).to_frame()
    assert frame["std_error"].iloc[0] == pytest.approx(1 / np.sqrt(8))


def test_a_tiny_but_real_noise_keeps_its_wald_table():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 2))
    y = X @ [1.0, 2.0] + 10 + 1e-9 * rng.normal(size=100)
    model = SparseLinearRegressor(alpha=0, tol=1e-14).fit(X, y)
    frame = coefficient_inference(model, X, y).to_frame()
    assert np.all((frame["std_error"] > 5e-11) & (frame["std_error"] < 5e-10))


def test_a_sign_constraint_held_at_zero_against_the_data_is_warned_of_by_term():
    """A constraint that binds makes the table that of the model without the term: the warning names it."""
    from glassbox import SparseLinearClassifier

    rng = np.random.RandomState(10)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    logit = -X["a"] + 0.5 * X["b"] + rng.logistic(size=400)
    y = (logit > 0).astype(int)
    model = SparseLinearClassifier(alpha=0, monotonic_cst={"a": 1}).fit(X, y)
    assert model.coef_[0, 0] == 0
    with pytest.warns(UserWarning, match=r"sign constraint on a \(monotonic_cst \+1; score test z = -\d.*\) holds "
                                         r"its coefficient at 0 against the data"):
        coefficient_inference(model, X, y)
    # a constraint the data agree with, and one that binds on a term with no effect, are no news
    for cst in ({"a": -1}, {"b": 1}):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            coefficient_inference(SparseLinearClassifier(alpha=0, monotonic_cst=cst).fit(X, y), X, y)
    noise = X.assign(c=rng.normal(size=400))
    fitted = SparseLinearRegressor(alpha=0, monotonic_cst={"c": 1}).fit(noise, logit)
    if fitted.coef_[2] == 0:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            coefficient_inference(fitted, noise, logit)


def test_the_level_prints_as_the_percentage_it_is_in_the_table_and_the_plot():
    # four significant digits printed 0.9999999 as "100%", the level of the whole line
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from glassbox.plotting import CoefficientIntervalDisplay

    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 2))
    y = X @ [1.0, 2.0] + rng.normal(size=200)
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    for level, shown in ((0.9999999, "99.99999%"), (0.12345, "12.345%")):
        inference = coefficient_inference(model, X, y, level=level)
        assert f"Wald {shown} intervals" in str(inference)
        title = CoefficientIntervalDisplay.from_explanation(inference).ax_.get_title()
        assert f"{shown} Wald intervals" in title, title
