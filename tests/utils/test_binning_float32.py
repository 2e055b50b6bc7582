"""float32 copies of the training values fall in the bins of their float64 originals, and the reverse.

A feature store, a Parquet float32 column or ``df.astype("float32")`` hands a
model ``float32(0.24) = 0.2399999946``; a recomputed value may be ``0.3 - 0.1 =
0.19999999999999998``.  A cut standing on the training value 0.24 or 0.2 sent
such copies to the bin below; cuts now lie strictly inside the gap between
training values (0.23, 0.205) unless the upper value is exactly a float32, as
integers are, so those keep their readable cuts (``ca >= 2``).
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import glassbox as gb
from glassbox.utils import ConditionGenerator, FeatureBinner
from glassbox.utils.binning import quantile_thresholds, shortest_decimal_between

def _bin(thresholds, values):
    return np.searchsorted(thresholds, values, side="right")  # bin = number of thresholds <= value


@pytest.mark.parametrize("low, high, cut", [
    (0.22, 0.24, 0.23), (0.2, 0.21, 0.205), (0.1, 0.2, 0.15), (25.2, 25.3, 25.25),  # strictly inside the gap
    (1, 2, 2.0), (44, 45, 45.0), (0.2, 0.25, 0.25), (-3, -2, -2.0), (0.5, 1.5, 1.0),  # exactly float32: may be the value
])
def test_a_cut_stands_on_the_upper_value_only_when_that_value_is_exactly_a_float32(low, high, cut):
    assert shortest_decimal_between(low, high) == cut


def test_float32_copies_and_last_digit_variants_keep_their_side_of_the_cut():
    cut = shortest_decimal_between(0.1, 0.2)
    for upper in (0.2, float(np.float32(0.2)), 0.3 - 0.1, 0.1 * 2, np.nextafter(0.2, 0)):
        assert upper >= cut
    for lower in (0.1, float(np.float32(0.1)), 0.3 - 0.2, np.nextafter(0.1, 1)):
        assert lower < cut


decimal_grid = st.sampled_from([30, 300, 99_999]).flatmap(  # dense grids put training values one step apart
    lambda bound: st.tuples(st.lists(st.integers(-bound, bound), min_size=2, max_size=80), st.integers(0, 4))
).map(lambda pair: np.array(pair[0], dtype=np.float64) / 10.0 ** pair[1])  # at most five significant digits


@settings(max_examples=150, deadline=None)
@given(decimal_grid, st.integers(2, 40))
def test_data_on_a_decimal_grid_bins_alike_in_float64_and_float32_either_way_round(values, max_bins):
    copies = values.astype(np.float32).astype(np.float64)
    weights = np.ones(len(values))
    fitted_on_float64 = quantile_thresholds(values, weights, max_bins)
    np.testing.assert_array_equal(_bin(fitted_on_float64, copies), _bin(fitted_on_float64, values))
    fitted_on_float32 = quantile_thresholds(copies, weights, max_bins)  # a float32 training extract
    np.testing.assert_array_equal(_bin(fitted_on_float32, values), _bin(fitted_on_float32, copies))
    np.testing.assert_array_equal(_bin(fitted_on_float32, copies), _bin(fitted_on_float64, values))


def test_integer_features_keep_cuts_on_their_values():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"ca": rng.integers(0, 4, 300).astype(float), "age": rng.integers(29, 78, 300).astype(float)})
    generator = ConditionGenerator(max_thresholds=6).fit(X)
    for bins in generator.binner_.bins_:
        assert set(bins.thresholds) <= set(X[bins.feature]), bins.feature
    assert {"ca >= 1", "ca >= 2", "ca >= 3"} <= set(generator.condition_names_)
    binner = FeatureBinner(max_bins=16).fit(X)
    assert all(float(t).is_integer() for bins in binner.bins_ for t in bins.thresholds)


def test_binner_codes_and_conditions_agree_on_float32_input():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"rate": np.round(rng.uniform(0, 1, 500), 2), "price": np.round(rng.gamma(2, 30, 500), 2)})
    X32 = X.astype("float32")
    binner = FeatureBinner(max_bins=64).fit(X)
    np.testing.assert_array_equal(binner.transform(X32), binner.transform(X))
    generator = ConditionGenerator(max_thresholds=12).fit(X)
    np.testing.assert_array_equal(generator.transform(X32), generator.transform(X))
    np.testing.assert_array_equal(FeatureBinner(max_bins=64).fit(X32).transform(X), binner.transform(X))


def _dataset(name):
    path = pytest.importorskip("benchmarks.datasets").datasets_dir() / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return pd.read_csv(path)


def _changed_rows(model, X, other):
    return int(np.sum(np.abs(np.asarray(model.decision_function(X)) - np.asarray(model.decision_function(other)))
                      > 1e-9))


def test_bike_sharing_gam_regressor_predicts_float32_rows_as_float64_rows():
    df = _dataset("bike_sharing_hour.csv").sample(3000, random_state=0)
    X = df[["hr", "temp", "hum", "windspeed", "weathersit"]].astype(float)
    y = df["cnt"].astype(float)
    X32 = X.astype("float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = gb.GAMRegressor(random_state=0, outer_bags=2).fit(X, y)
        assert np.array_equal(model.predict(X), model.predict(X32))  # was 73.6% of rows, up to 106 bikes/h
        loaded = gb.from_json(model.to_json())
        assert np.array_equal(loaded.predict(X), loaded.predict(X32))
        model = gb.GAMRegressor(random_state=0, outer_bags=2, interactions=0).fit(X32, y)
        assert np.array_equal(model.predict(X32), model.predict(X))


@pytest.mark.parametrize("make", [
    lambda: gb.GAMClassifier(random_state=0, outer_bags=2),
    lambda: gb.RiskScoreClassifier(),
    lambda: gb.BayesianRuleListClassifier(random_state=0, n_iter=400, n_chains=1),
    lambda: gb.DecisionSetClassifier(random_state=0),
], ids=["gam", "risk_score", "rule_list", "decision_set"])
def test_red_wine_binned_families_score_float32_rows_as_float64_rows_either_way_round(make):
    X = _dataset("wine_quality_red.csv")
    y = (X.pop("quality") >= 6).astype(int)
    X = X.astype(float)
    X32 = X.astype("float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _changed_rows(make().fit(X, y), X, X32) == 0  # fitted on float64, scored on float32 copies
        assert _changed_rows(make().fit(X32, y), X32, X) == 0  # fitted on a float32 extract, scored on the source


def test_step_basis_reads_float32_rows_as_float64_rows():
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"rate": np.round(rng.uniform(0, 1, 600), 2), "size": rng.normal(0, 1, 600)})
    y = (X["rate"] + 0.3 * rng.normal(size=600) > 0.5).astype(int)
    model = gb.SparseLinearClassifier(basis="steps", max_thresholds=24).fit(X, y)
    thresholds = [term.threshold for term in model.terms_ if term.feature == "rate" and term.threshold is not None]
    assert len(thresholds) > 10
    rate = X["rate"].to_numpy()
    copies = rate.astype(np.float32).astype(np.float64)  # compared as float64, as the model reads them
    for t in thresholds:  # every step indicator x >= t reads the float32 copies as their originals
        np.testing.assert_array_equal(copies >= t, rate >= t)
    np.testing.assert_array_equal(model.decision_function(X.astype("float32")) > 0, model.decision_function(X) > 0)
