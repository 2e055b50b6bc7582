"""Named base levels of categorical features (``reference_levels``): held at exactly 0, read against.

Without the parameter an intercept model holds at 0 a level the data choose
(bike sharing's weathersit 2, where level 1 has 2.5 times its
exposure), and a filed tariff is read against the level the actuary names.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import (SparseLinearClassifier, SparseLinearClassifierCV, SparseLinearRegressor,
                      SparseLinearRegressorCV, coefficient_inference)

LEVELS = ["a", "b", "c", "d"]
EFFECTS = {"a": 0.0, "b": 0.4, "c": -0.3, "d": 0.7}


def _book(seed=0, n=800, effects=EFFECTS):
    """Rows of a numeric term, a four-level zone (the largest level 'c') and a two-level flag; exposures."""
    rng = np.random.RandomState(seed)
    zone = rng.choice(LEVELS, size=n, p=[0.2, 0.15, 0.45, 0.2])
    X = pd.DataFrame({"age": rng.normal(40, 10, n), "zone": pd.Categorical(zone, categories=LEVELS),
                      "urban": rng.choice(["no", "yes"], size=n)})
    eta = -1.0 + 0.02 * (X.age - 40) + np.array([effects[z] for z in zone]) + 0.3 * (X.urban == "yes")
    exposure = rng.uniform(0.5, 2.0, n)
    counts = rng.poisson(np.exp(eta) * exposure)
    return X, counts, exposure, eta


def _treatment_design(X, reference):
    """Intercept, age and one dummy per non-reference level, as a GLM with treatment coding reads them."""
    columns = {"const": np.ones(len(X)), "age": X.age.to_numpy()}
    for feature, base in reference.items():
        for level in sorted(set(X[feature].astype(str))):
            if level != base:
                columns[f"{feature} == {level}"] = (X[feature].astype(str) == level).to_numpy(dtype=float)
    return pd.DataFrame(columns)


def _coefficients_by_name(model):
    return dict(zip(model.term_names_, np.ravel(model.coef_)))


@pytest.mark.parametrize("task", ["poisson", "logistic"])
def test_matches_statsmodels_treatment_coding(task):
    sm = pytest.importorskip("statsmodels.api")
    X, counts, exposure, eta = _book()
    reference = {"zone": "c", "urban": "yes"}
    design = _treatment_design(X, reference)
    if task == "poisson":
        rate = counts / exposure
        model = SparseLinearRegressor(alpha=0, loss="poisson", tol=1e-10, reference_levels=reference)
        model.fit(X, rate, sample_weight=exposure)
        glm = sm.GLM(counts, design, family=sm.families.Poisson(), exposure=exposure).fit(tol=1e-12)
        inference = coefficient_inference(model, X, rate, sample_weight=exposure)
    else:
        y = (counts > 0).astype(int)
        model = SparseLinearClassifier(alpha=0, tol=1e-10, reference_levels=reference).fit(X, y)
        glm = sm.GLM(y, design, family=sm.families.Binomial()).fit(tol=1e-12)
        inference = coefficient_inference(model, X, y)
    ours = _coefficients_by_name(model)
    assert ours["zone == c"] == 0.0 and ours["urban == yes"] == 0.0
    frame = inference.to_frame().set_index("term")
    for name in design.columns:
        term = "(intercept)" if name == "const" else name
        expected = glm.params[name]
        got = float(np.ravel(model.intercept_)[0]) if name == "const" else ours[name]
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7, err_msg=name)
        np.testing.assert_allclose(frame.loc[term, "std_error"], glm.bse[name], rtol=1e-5, err_msg=name)
    # the named levels are not free terms: not among the Wald table's rows
    assert "zone == c" not in frame.index and "urban == yes" not in frame.index


def _zone_coefficients(model):
    coef = _coefficients_by_name(model)
    return {level: coef[f"zone == {level}"] for level in LEVELS}


@pytest.mark.parametrize("alpha", [0.0, 0.003, 0.03])
@pytest.mark.parametrize("Estimator", [SparseLinearRegressor, SparseLinearClassifier])
def test_named_level_is_exactly_zero_at_every_alpha(Estimator, alpha):
    X, counts, exposure, _ = _book(seed=1)
    kwargs = {"loss": "poisson"} if Estimator is SparseLinearRegressor else {}
    y = counts / exposure if Estimator is SparseLinearRegressor else (counts > 0).astype(int)
    model = Estimator(alpha=alpha, reference_levels={"zone": "b"}, **kwargs).fit(X, y, sample_weight=exposure)
    zone = _zone_coefficients(model)
    assert zone["b"] == 0.0
    if alpha < 0.01:  # the other levels are read against b, not another level at 0
        assert all(zone[level] != 0.0 for level in ("a", "c", "d"))
    assert model.reference_levels_ == {"zone": "b"}
    if alpha < 0.01:  # the data-chosen base of the default fit is another level, not b
        default = Estimator(alpha=alpha, **kwargs).fit(X, y, sample_weight=exposure)
        assert _zone_coefficients(default)["b"] != 0.0


def test_multiclass_holds_the_named_level_in_every_class():
    X, counts, _, _ = _book(seed=2)
    y = np.minimum(counts, 2)
    model = SparseLinearClassifier(alpha=0, tol=1e-9, reference_levels={"zone": "d"}).fit(X, y)
    column = model.term_names_.index("zone == d")
    assert np.all(model.coef_[:, column] == 0.0)
    default = SparseLinearClassifier(alpha=0, tol=1e-9).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), default.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("task", ["poisson", "squared_error", "logistic"])
def test_unpenalised_predictions_are_the_unconstrained_optimum(task):
    X, counts, exposure, _ = _book(seed=3)
    reference = {"zone": "a", "urban": "no"}
    if task == "logistic":
        y = (counts > 0).astype(int)
        fit = lambda **kw: SparseLinearClassifier(alpha=0, tol=1e-9, **kw).fit(X, y, sample_weight=exposure)  # noqa: E731
        predict = lambda m: m.predict_proba(X)[:, 1]  # noqa: E731
    else:
        y = counts / exposure
        fit = lambda **kw: SparseLinearRegressor(alpha=0, loss=task, tol=1e-9, **kw).fit(  # noqa: E731
            X, y, sample_weight=exposure)
        predict = lambda m: m.predict(X)  # noqa: E731
    named, default = fit(reference_levels=reference), fit()
    np.testing.assert_allclose(predict(named), predict(default), rtol=1e-6, atol=1e-8)
    # the same fit re-expressed: each level's coefficient is the default's minus the named level's
    got, base = _zone_coefficients(named), _zone_coefficients(default)
    for level in LEVELS:
        np.testing.assert_allclose(got[level], base[level] - base["a"], atol=1e-5)


def test_default_is_unchanged():
    X, counts, exposure, _ = _book(seed=4)
    y = counts / exposure
    a = SparseLinearRegressor(alpha=0.001, loss="poisson").fit(X, y, sample_weight=exposure)
    b = SparseLinearRegressor(alpha=0.001, loss="poisson", reference_levels=None).fit(X, y, sample_weight=exposure)
    c = SparseLinearRegressor(alpha=0.001, loss="poisson", reference_levels={}).fit(X, y, sample_weight=exposure)
    for other in (b, c):
        np.testing.assert_array_equal(a.coef_, other.coef_)
    table = a.explain_global()
    assert table.reference_terms is None and table.reference_levels == {}
    assert "reference_terms" not in json.loads(table.to_json())
    assert "base_level" not in table.to_frame().columns and "base levels" not in str(table)


def test_table_names_the_base_and_round_trips_exactly():
    X, counts, exposure, _ = _book(seed=5)
    model = SparseLinearRegressor(alpha=0, loss="poisson", reference_levels={"zone": "c"})
    model.fit(X, counts / exposure, sample_weight=exposure)
    table = model.explain_global()
    frame = table.to_frame().set_index("term")
    assert frame.loc["zone == c", "relativity"] == 1.0 and frame.loc["zone == c", "coefficient"] == 0.0
    assert frame["base_level"].tolist() == [name == "zone == c" for name in frame.index]
    text = str(table)
    assert "base levels (named; held at relativity 1, the feature's other levels read against them): zone == c" in text
    assert "base (named)" in next(line for line in text.splitlines() if line.startswith("zone == c"))
    loaded = glassbox.from_json(model.to_json())
    assert loaded == table and loaded.to_json() == table.to_json()
    assert loaded.reference_levels == {"zone": "c"}
    np.testing.assert_array_equal(loaded.decision_function(X), table.decision_function(X))


def test_integer_levels_and_errors():
    X, counts, exposure, _ = _book(seed=6)
    y = counts / exposure
    X_int = X.assign(band=np.arange(len(X)) % 3)
    model = SparseLinearRegressor(alpha=0, loss="poisson", categorical_features=["zone", "urban", "band"],
                                  reference_levels={"band": 2}).fit(X_int, y, sample_weight=exposure)
    assert _coefficients_by_name(model)["band == 2"] == 0.0

    def refused(reference, match, data=X, error=ValueError, **kwargs):
        with pytest.raises(error, match=match):
            SparseLinearRegressor(alpha=0, loss="poisson", reference_levels=reference, **kwargs).fit(
                data, y, sample_weight=exposure)

    refused({"region": "a"}, r"Unknown feature 'region' in reference_levels; known features are \['age', 'zone'")
    refused({"age": 40}, r"'age', which is numeric: only a categorical feature has levels")
    refused({"zone": "e"}, r"reference_levels\['zone'\] = 'e' is not a training level of 'zone'.*'a', 'b', 'c', 'd'")
    refused({"band": "2"}, r"'2' is not a training level of 'band'.*its levels are: 0, 1, 2", data=X_int,
            categorical_features=["zone", "urban", "band"])
    refused([("zone", "a")], r"'reference_levels' parameter .* must be an instance of 'dict'", error=Exception)
    refused({"zone": "a"}, r"needs fit_intercept=True", fit_intercept=False)
    # a level present in X only on rows of zero weight is not a training level
    weights = np.where(X.zone == "d", 0.0, exposure)
    with pytest.raises(ValueError, match="'d' is not a training level"):
        SparseLinearRegressor(alpha=0, loss="poisson", reference_levels={"zone": "d"}).fit(X, y, sample_weight=weights)


def test_unknown_feature_gets_the_did_you_mean_hint():
    # a name that differs from a feature only by a stray space or its case is pointed at that feature, as
    # monotonic_cst and categorical_features do
    X, counts, exposure, _ = _book(seed=6)
    for typed, difference in [("zone ", "leading/trailing whitespace"), ("Zone", "letter case")]:
        model = SparseLinearRegressor(alpha=0, loss="poisson", reference_levels={typed: "a"})
        with pytest.raises(ValueError, match=rf"Unknown feature '{typed}' in reference_levels; did you mean 'zone' "
                                             rf"\(differs by {difference}"):
            model.fit(X, counts / exposure, sample_weight=exposure)
    # a key that is not a string cannot be a misspelt name: it is refused as such, not compared as text
    with pytest.raises(ValueError, match=r"keyed by feature name, a string; got the key 1\. X's features are \['age'"):
        SparseLinearRegressor(alpha=0, loss="poisson", reference_levels={1: "a"}).fit(X, counts / exposure)


@pytest.mark.parametrize("Estimator", [SparseLinearRegressorCV, SparseLinearClassifierCV])
def test_cv_passes_it_through(Estimator):
    X, counts, exposure, _ = _book(seed=7)
    regression = Estimator is SparseLinearRegressorCV
    y = counts / exposure if regression else (counts > 0).astype(int)
    kwargs = {"loss": "poisson"} if regression else {}
    model = Estimator(n_alphas=5, cv=3, reference_levels={"zone": "b"}, **kwargs).fit(X, y, sample_weight=exposure)
    assert model.get_params()["reference_levels"] == {"zone": "b"}
    assert _zone_coefficients(model)["b"] == 0.0 and model.reference_levels_ == {"zone": "b"}
    assert model.explain_global().reference_levels == {"zone": "b"}
    with pytest.raises(ValueError, match="not a training level"):
        Estimator(n_alphas=5, cv=3, reference_levels={"zone": "z"}, **kwargs).fit(X, y, sample_weight=exposure)


def test_bootstrap_reads_against_the_named_level():
    # 'a' has the effect of 'd': the lasso puts it at 0 too, and it comes first, but 'd' is the named base
    X, counts, exposure, _ = _book(seed=8, n=400, effects={"a": 0.7, "b": 0.0, "c": -0.3, "d": 0.7})
    y = counts / exposure
    model = SparseLinearRegressor(alpha=0.01, loss="poisson", reference_levels={"zone": "d"})
    model.fit(X, y, sample_weight=exposure)
    assert _zone_coefficients(model)["a"] == 0.0 == _zone_coefficients(model)["d"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = coefficient_inference(model, X, y, sample_weight=exposure, method="bootstrap", n_resamples=20,
                                       random_state=0)
    assert report.reference_levels["zone"] == "d"
    frame = report.to_frame().set_index("term")
    assert frame.loc["zone == d", "lower"] == 0.0 and frame.loc["zone == d", "upper"] == 0.0
    assert frame.loc["zone == c", "upper"] < 0  # c (effect -0.3) against d (0.7)
