"""Input validation: constraints, weights, targets and tabular conversion."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from glassbox.utils.tabular import validate_tabular
from glassbox.utils.validation import (
    check_classification_target,
    check_monotonic_cst,
    check_regression_target,
    check_sample_weight,
)

NAMES = ["age", "income", "purpose"]


def test_monotonic_cst_by_index_name_and_array():
    np.testing.assert_array_equal(check_monotonic_cst(None, NAMES), [0, 0, 0])
    np.testing.assert_array_equal(check_monotonic_cst([1, 0, -1], NAMES), [1, 0, -1])
    np.testing.assert_array_equal(check_monotonic_cst({"income": -1, 0: 1}, NAMES), [1, -1, 0])


@pytest.mark.parametrize(
    "cst, message",
    [
        ([1, 0], "2 entries but X has 3 features"),
        ({"agee": 1}, "Unknown feature 'agee'"),
        ({7: 1}, "neither a feature name nor an index"),
        ([2, 0, 0], "use -1"),
        ({"age": 0.5}, "use -1"),
    ],
)
def test_monotonic_cst_errors(cst, message):
    with pytest.raises(ValueError, match=message):
        check_monotonic_cst(cst, NAMES)


def test_monotonic_cst_on_categorical_is_rejected():
    with pytest.raises(ValueError, match=r"categorical features \['purpose'\]"):
        check_monotonic_cst({"purpose": 1}, NAMES, is_categorical=np.array([False, False, True]))


def test_sample_weight():
    np.testing.assert_array_equal(check_sample_weight(None, 3), [1, 1, 1])
    np.testing.assert_array_equal(check_sample_weight([0, 1, 2], 3), [0, 1, 2])
    for bad, message in [([1, 2], "expected \\(3,\\)"), ([1, -1, 1], "Negative"), ([0, 0, 0], "zero for every row"), ([1, np.nan, 1], "NaN")]:
        with pytest.raises(ValueError, match=message):
            check_sample_weight(bad, 3)


def test_targets():
    classes, encoded = check_classification_target(["b", "a", "b"])
    assert list(classes) == ["a", "b"] and list(encoded) == [1, 0, 1]
    with pytest.raises(ValueError, match="only one class"):
        check_classification_target([1, 1, 1])
    with pytest.raises(ValueError, match=r"Only binary classification .* but the target has 3 classes \[0, 1, 2\]"):
        check_classification_target([0, 1, 2], binary_only=True)
    with pytest.raises(ValueError, match="Unknown label type"):
        check_classification_target([0.5, 1.5, 2.25])
    with pytest.raises(ValueError, match="target y is None"):
        check_classification_target(None)
    with pytest.raises(ValueError, match="3 rows but y has 2"):
        check_regression_target([1.0, 2.0], 3)
    with pytest.raises(ValueError, match="NaN"):
        check_regression_target([1.0, np.nan])


class _Holder(BaseEstimator):
    pass


def test_validate_tabular_splits_numeric_and_categorical():
    frame = pd.DataFrame({"age": [30, 40], "income": [1.5, np.nan], "purpose": pd.Categorical(["car", None])})
    holder = _Holder()
    table = validate_tabular(holder, frame, reset=True)
    np.testing.assert_array_equal(holder.is_categorical_, [False, False, True])
    assert table.feature_names == NAMES
    assert list(table.categorical[2][:1]) == ["car"]
    rows = table.rows_as_objects()
    assert rows[0, 2] == "car" and rows[0, 0] == 30
    with pytest.raises(ValueError, match=r"NaN \(missing values\) in columns \['income', 'purpose'\]"):
        validate_tabular(_Holder(), frame, reset=True, allow_missing=False)
    with pytest.raises(ValueError, match="does not accept categorical columns"):
        validate_tabular(_Holder(), frame, reset=True, allow_categorical=False)


def test_validate_tabular_object_arrays_and_names():
    X = np.array([[1, "a"], [2, "b"]], dtype=object)
    holder = _Holder()
    table = validate_tabular(holder, X, reset=True)
    np.testing.assert_array_equal(holder.is_categorical_, [False, True])
    assert table.feature_names == ["x0", "x1"]
    with pytest.raises(ValueError, match="now holds non-numeric values"):
        validate_tabular(holder, np.array([["z", "a"]], dtype=object), reset=False)
    with pytest.raises(ValueError, match="Unknown feature 'nope' in categorical_features"):
        validate_tabular(_Holder(), pd.DataFrame({"a": [1.0]}), reset=True, categorical_features=["nope"])
    with pytest.raises(TypeError, match="sparse"):
        import scipy.sparse

        validate_tabular(_Holder(), scipy.sparse.csr_matrix(np.eye(2)), reset=True)


def test_a_non_finite_regression_target_is_counted_and_its_usual_cause_named():
    from glassbox import SparseLinearRegressor
    from glassbox.utils.validation import check_finite_target

    with pytest.raises(ValueError, match=r"contains NaN in 2 and infinity in 1 of 5 rows; drop or impute"):
        check_finite_target(np.array([1.0, np.nan, np.inf, np.nan, 0.0]))
    check_finite_target(np.array([0.0, 1.0]))  # finite: nothing to say
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    exposure = rng.uniform(0.5, 1.0, 50)
    exposure[:3] = 0.0
    counts = rng.poisson(exposure)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = counts / exposure  # 0/0 where a policy had no exposure
    with pytest.raises(ValueError, match=r"NaN in 3 of 50 rows.*exposure is 0: drop those rows"):
        SparseLinearRegressor(loss="poisson").fit(X, rate, sample_weight=exposure)


def test_monotonic_cst_as_a_series_is_read_by_its_index_not_by_position():
    # A Series keyed by name in another order than the columns once constrained the wrong features.
    by_name = pd.Series({"purpose": 0, "income": -1, "age": 1})
    np.testing.assert_array_equal(check_monotonic_cst(by_name, NAMES), [1, -1, 0])
    np.testing.assert_array_equal(check_monotonic_cst(pd.Series({"income": 1}), NAMES), [0, 1, 0])
    # An integer index names positions, as a dict's integer keys do.
    np.testing.assert_array_equal(check_monotonic_cst(pd.Series([1, -1], index=[2, 0]), NAMES), [-1, 0, 1])
    with pytest.raises(ValueError, match="Unknown feature 'agee'"):
        check_monotonic_cst(pd.Series({"agee": 1}), NAMES)


def test_monotonic_cst_count_takes_the_nouns_number():
    with pytest.raises(ValueError, match="has 1 entry but X has 3 features"):
        check_monotonic_cst([1], NAMES)
