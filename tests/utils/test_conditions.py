"""Generated conditions read well and their compiled evaluation matches the raw one."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassbox.explain._columns import RawColumns
from glassbox.utils import ConditionGenerator


def _frame(rng, n):
    age = rng.randint(18, 90, size=n).astype(float)
    age[rng.rand(n) < 0.1] = np.nan
    purpose = rng.choice(["car", "tv", "education"], size=n).astype(object)
    purpose[rng.rand(n) < 0.1] = None
    return pd.DataFrame({"age": age, "income": rng.lognormal(10, 1, size=n), "purpose": pd.Categorical(purpose)})


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n_train=st.integers(2, 120), max_thresholds=st.integers(1, 8))
def test_compiled_evaluation_matches_raw_evaluation(seed, n_train, max_thresholds):
    rng = np.random.RandomState(seed)
    train, test = _frame(rng, n_train), _frame(rng, 50)
    test.loc[0, "age"] = 1e6  # outside the training range
    generator = ConditionGenerator(max_thresholds=max_thresholds).fit(train)
    for data in (train, test):
        dense = generator.transform(data)
        columns = RawColumns(data, generator.binner_.bins_[0].feature and list(data.columns))
        reference = np.column_stack([c.evaluate(columns) for c in generator.conditions_])
        np.testing.assert_array_equal(dense.astype(bool), reference)
        bits = generator.transform_bitsets(data)
        unpacked = np.unpackbits(bits.view(np.uint8), axis=1, bitorder="little")[:, : len(data)]
        np.testing.assert_array_equal(unpacked.T.astype(bool), reference)


def test_conditions_read_naturally():
    X = pd.DataFrame({"age": [20.0, 45.0, 60.0, np.nan], "purpose": pd.Categorical(["car", "tv", "car", "tv"])})
    names = ConditionGenerator(max_thresholds=1).fit(X).condition_names_
    assert names == ["age >= 60", "age < 60", "age is missing", "purpose == car", "purpose == tv"]


def test_missing_values_satisfy_only_is_missing():
    X = pd.DataFrame({"age": [20.0, 45.0, np.nan]})
    generator = ConditionGenerator(max_thresholds=1).fit(X)
    np.testing.assert_array_equal(generator.transform(X)[2], [0, 0, 1])


def test_directions_and_missing_switches():
    X = np.array([[1.0], [2.0], [np.nan]])
    assert ConditionGenerator(directions="ge", missing=False).fit(X).condition_names_ == ["x0 >= 2"]
    assert ConditionGenerator(directions="lt").fit(X).condition_names_ == ["x0 < 2", "x0 is missing"]


def test_degenerate_columns_give_no_threshold_conditions():
    X = np.column_stack([np.full(4, np.nan), np.full(4, 3.0)])
    assert ConditionGenerator().fit(X).condition_names_ == ["x0 is missing"]


def test_unseen_category_satisfies_no_equality():
    X = pd.DataFrame({"purpose": ["car", "tv"]})
    generator = ConditionGenerator().fit(X)
    with pytest.warns(UserWarning, match="not seen"):
        out = generator.transform(pd.DataFrame({"purpose": ["boat"]}))
    assert out.sum() == 0


def test_wrong_number_of_columns():
    generator = ConditionGenerator().fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="2 features"):
        generator.transform(np.ones((3, 3)))


@parametrize_with_checks([ConditionGenerator()])
def test_generator_follows_the_sklearn_contract(estimator, check):
    check(estimator)
