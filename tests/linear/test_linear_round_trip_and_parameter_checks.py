"""Sparse linear models: bit-identical JSON round trips of multiclass models, CV with max_features."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import glassbox
from glassbox import SparseLinearClassifier


def _three_classes(n=400, seed=17):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "c": rng.choice(["u", "v", "w"], n)})
    y = np.array(["lo", "mid", "hi"])[np.digitize(X.a - X.b + rng.normal(size=n) * 0.3, [-0.5, 0.5])]
    return X, y


@pytest.mark.parametrize(
    "params",
    [
        {"basis": "steps", "alpha": 0.01},
        # centred class coefficients (a pure ridge leaves the shift free; monotonic_cst is refused on 3 classes)
        {"basis": "steps", "alpha": 0.01, "penalty": "elasticnet", "l1_ratio": 0.0},
    ],
    ids=["steps", "steps-ridge-centred"],
)
def test_multiclass_json_round_trip_is_bit_identical(params):
    # coef_.T is Fortran-ordered: NumPy summed the model's products in another order than the
    # C-ordered table restored from JSON, and 338 of 400 rows differed by ~7e-15.
    X, y = _three_classes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence is not what is tested: the fitted model is
        model = SparseLinearClassifier(**params).fit(X, y)
    assert len(model.term_names_) > 20 and np.count_nonzero(model.coef_) > 20
    restored = glassbox.from_json(model.to_json())
    assert np.array_equal(model.decision_function(X), restored.decision_function(X))
    assert np.array_equal(model.predict_proba(X), restored.predict_proba(X))
    assert np.array_equal(model.explain_global().decision_function(X), model.decision_function(X))
    local = model.explain_local(X)
    assert np.array_equal(local.base_value + local.contributions.sum(axis=1), model.decision_function(X))


def test_multiclass_json_round_trip_is_bit_identical_on_many_numeric_terms():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 30))
    y = np.digitize(X[:, :10].sum(axis=1) + rng.normal(size=300), [-1.0, 1.0])
    model = SparseLinearClassifier(alpha=1e-4).fit(X, y)
    assert np.count_nonzero(np.any(model.coef_ != 0, axis=0)) > 20
    restored = glassbox.from_json(model.to_json())
    assert np.array_equal(model.decision_function(X), restored.decision_function(X))
    assert np.array_equal(model.decision_function(sparse.csr_matrix(X)), restored.decision_function(X))


def _rare_level(n=200, seed=11):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "c": rng.choice(["u", "v", "w"], n)})
    X.loc[5, "c"] = "rare"  # one row: absent from the training rows of one fold in three
    noisy = X.a + (X.c == "v") + rng.normal(size=n) * 0.5
    return X, noisy.to_numpy()


@pytest.mark.parametrize("cls", [glassbox.SparseLinearClassifierCV, glassbox.SparseLinearRegressorCV])
def test_cv_max_features_is_checked_on_the_whole_data_not_on_a_fold(cls):
    # A fold without the rare level has 4 terms: max_features=5 (the model's 5 terms) failed there.
    X, noisy = _rare_level()
    y = (noisy > 0).astype(int) if cls is glassbox.SparseLinearClassifierCV else noisy
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the rare level is unseen in a fold's held-out rows
        model = cls(max_features=5, cv=3, n_alphas=5).fit(X, y)
    assert model.term_names_ == ["a", "c == rare", "c == u", "c == v", "c == w"]
    assert np.count_nonzero(np.atleast_2d(model.coef_)) <= 5 and np.isfinite(model.cv_losses_).all()
    with pytest.raises(ValueError, match=r"max_features=6 exceeds the 5 terms of the model"):
        cls(max_features=6, cv=3, n_alphas=5).fit(X, y)


@pytest.mark.parametrize(
    "cst, message",
    [
        ([[1, 0, 0]], r"must be a flat list of one value \(-1, 0 or \+1\) per feature, 3 in all.*got shape \(1, 3\)"),
        ([[1, 0], [0]], r"must be a flat list.*got a nested list of uneven lengths"),
        (1, r"must be a flat list.*got a single value"),
    ],
    ids=["2-D", "ragged", "scalar"],
)
def test_a_monotonic_cst_that_is_not_flat_is_refused_for_its_shape(cst, message):
    # A 2-D list was refused as "has 3 entries but X has 3 features": the count was right, the shape not.
    from glassbox.scoring import RiskScoreClassifier
    from glassbox.utils.validation import check_monotonic_cst

    with pytest.raises(ValueError, match=message):
        check_monotonic_cst(cst, ["a", "b", "c"])
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    if isinstance(cst, int):
        return  # the estimators' parameter validation refuses a scalar before (not an array-like)
    for model in (glassbox.SparseLinearRegressor(monotonic_cst=cst), RiskScoreClassifier(monotonic_cst=cst)):
        with pytest.raises(ValueError, match=message):
            model.fit(X, y)


@pytest.mark.parametrize(
    "name", ["SparseLinearClassifierCV", "SparseLinearRegressorCV", "GAMClassifier", "GAMRegressor", "RiskScoreClassifier",
             "BayesianRuleListClassifier", "DecisionSetClassifier", "FeatureBinner", "ConditionGenerator"]
)
def test_n_jobs_zero_is_refused_alike_everywhere(name):
    # n_jobs=0 ran as one thread in some estimators and failed inside joblib in the CV ones.
    from sklearn.utils._param_validation import InvalidParameterError

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    estimator = getattr(glassbox, name)
    message = (rf"The 'n_jobs' parameter of {name} must be an int in the range \(-inf, -1\], "
               r"an int in the range \[1, inf\) or None\. Got 0 instead\.")
    with pytest.raises(InvalidParameterError, match=message):
        estimator(n_jobs=0).fit(X, y)
    assert estimator().set_params(n_jobs=-2).get_params()["n_jobs"] == -2


@pytest.mark.parametrize("cls", [glassbox.SparseLinearRegressor, glassbox.SparseLinearRegressorCV, glassbox.GAMRegressor])
@pytest.mark.parametrize("spread", [1e300, 1e-200], ids=["overflows", "underflows"])
def test_a_target_float64_cannot_square_is_refused(cls, spread):
    # y = +-1e300 was accepted and predicted a constant (the CV one printed a BLAS error to stderr).
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    y = np.zeros(50)
    y[:2] = spread, -spread
    with pytest.raises(ValueError, match="The target y varies on a scale float64 arithmetic cannot square.*rescale it"):
        cls().fit(X, y)
    model = cls().fit(X, y / spread)  # rescaled, it fits
    assert np.all(np.isfinite(model.predict(X)))


@pytest.mark.parametrize("cls", [glassbox.SparseLinearRegressor, glassbox.SparseLinearClassifier])
@pytest.mark.parametrize("spread", [1e300, 1e-300], ids=["overflows", "underflows"])
def test_a_feature_float64_cannot_square_is_refused_naming_its_values_without_overflow_warnings(cls, spread):
    # The refusal named standard deviations of [nan] or [0.0] for features that plainly vary, after
    # numpy's 'overflow encountered in multiply' and 'invalid value encountered in subtract'
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    X[:, 1] = np.linspace(-2.0, 3.0, 60) * spread
    y = (X[:, 0] > 0).astype(int) if cls is glassbox.SparseLinearClassifier else X[:, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError) as raised:
            cls().fit(X, y)
    message = str(raised.value)
    assert f"Features ['x1'] vary on a scale float64 arithmetic cannot square (values from {-2 * spread:.3g} to " \
           f"{3 * spread:.3g}); rescale them" in message
    assert "nan" not in message and "0.0" not in message


@pytest.mark.parametrize("alphas", [[np.nan, 0.1], [np.inf, 0.1], ["a", 0.1], [], [-0.1, 0.1]])
def test_cv_alphas_must_be_finite_numbers_at_least_zero(alphas):
    """As sparse_linear_path's: a NaN alpha was solved as an all-zero model and stored in alphas_."""
    from glassbox import SparseLinearRegressorCV

    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 2))
    y = X[:, 0] + rng.normal(size=60)
    with pytest.raises(ValueError, match="alphas must be a non-empty list of finite values >= 0"):
        SparseLinearRegressorCV(alphas=alphas, cv=3).fit(X, y)
