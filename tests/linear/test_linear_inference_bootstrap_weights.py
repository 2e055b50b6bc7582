"""The bootstrap reads sample_weight as weights= says: frequency weights are copies, variance weights precisions."""

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearRegressor, coefficient_inference


@pytest.fixture(scope="module")
def weighted_book():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(300, 3)), columns=["a", "b", "c"])
    y = 1.0 + X["a"] - 0.5 * X["b"] + rng.normal(size=300)
    w = rng.randint(1, 4, size=300).astype(float)
    return X, y.to_numpy(), w


def _std_errors(model, X, y, w=None, **kwargs):
    report = coefficient_inference(model, X, y, sample_weight=w, method="bootstrap", n_resamples=300,
                                   random_state=0, **kwargs)
    return report.to_frame().set_index("term")["std_error"]


def test_frequency_weights_are_resampled_as_the_copies_they_stand_for(weighted_book):
    X, y, w = weighted_book
    weighted = SparseLinearRegressor(alpha=0).fit(X, y, sample_weight=w)
    copies = np.repeat(np.arange(len(y)), w.astype(int))
    X_rep, y_rep = X.iloc[copies].reset_index(drop=True), y[copies]
    repeated = SparseLinearRegressor(alpha=0).fit(X_rep, y_rep)
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-6)
    ratio = _std_errors(weighted, X, y, w) / _std_errors(repeated, X_rep, y_rep)
    # Monte Carlo error of 300 resamples is about 4% per standard error; drawing whole weighted rows
    # (a weight of 3 in or out as a block) gave ratios of 1.3-1.5 here.
    assert ratio.between(0.85, 1.18).all(), ratio
    wald = coefficient_inference(weighted, X, y, sample_weight=w).to_frame().set_index("term")["std_error"]
    assert (_std_errors(weighted, X, y, w) / wald).between(0.8, 1.25).all()


def test_variance_weights_draw_rows_that_keep_their_weights(weighted_book):
    X, y, w = weighted_book
    model = SparseLinearRegressor(alpha=0).fit(X, y, sample_weight=w)
    as_rows = _std_errors(model, X, y, w, weights="variance")
    as_copies = _std_errors(model, X, y, w)
    # Rows of weight 1..3 drawn as blocks vary more than their copies drawn one by one.
    assert (as_rows / as_copies).between(1.15, 2.0).all(), as_rows / as_copies


def test_unit_weights_keep_the_row_bootstrap(weighted_book):
    X, y, _ = weighted_book
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    ones = np.ones(len(y))
    np.testing.assert_array_equal(_std_errors(model, X, y), _std_errors(model, X, y, ones, weights="variance"))


def test_frequency_weights_that_are_not_whole_numbers_are_warned_of_whatever_their_sum():
    # exposures in (0.1, 1) sum to about 0.55 of the rows: each resample would draw about half the rows
    rng = np.random.RandomState(1)
    X = pd.DataFrame(rng.normal(size=(300, 2)), columns=["a", "b"])
    exposure = rng.uniform(0.1, 1.0, 300)
    rate = rng.poisson(np.exp(0.5 + 0.3 * X["a"]) * exposure) / exposure
    model = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, rate, sample_weight=exposure)
    assert 0.5 < exposure.sum() / len(rate) < 2  # inside the band the Wald table's weaker check leaves alone
    with pytest.warns(UserWarning, match=r"not whole numbers.*each resample draws 1\d\d copies .* 300 rows.*"
                                         r"pass weights='variance'"):
        coefficient_inference(model, X, rate, sample_weight=exposure, method="bootstrap", n_resamples=5,
                              random_state=0)
    import warnings

    counts = np.round(3 * exposure) + 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        coefficient_inference(model, X, rate, sample_weight=exposure, method="bootstrap", n_resamples=5,
                              random_state=0, weights="variance")
        refit = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, rate, sample_weight=counts)
        coefficient_inference(refit, X, rate, sample_weight=counts, method="bootstrap", n_resamples=5,
                              random_state=0)
