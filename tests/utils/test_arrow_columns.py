"""pandas columns backed by Arrow (``pd.ArrowDtype``, ``read_csv(dtype_backend="pyarrow")``) read as the
NumPy columns holding the same values, by the estimators and by the models loaded from JSON alike.

Every ``pd.ArrowDtype`` reports ``kind`` "O" for a decimal as for a dictionary or a list, and "U" for
``large_string``: the dtype's Arrow type decides how its column reads (``pandas_column_reading``).
"""

import datetime
import io
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import (
    BayesianRuleListClassifier, DecisionSetClassifier, DistilledClassifier, GAMClassifier, RiskScoreClassifier,
    SparseLinearClassifier,
)
from glassbox.explain._columns import declares_levels, pandas_column_reading

pa = pytest.importorskip("pyarrow")

ESTIMATORS = {
    "gam": lambda: GAMClassifier(random_state=0, interactions=0, outer_bags=2, max_rounds=300),
    "linear": lambda: SparseLinearClassifier(),
    "rule_list": lambda: BayesianRuleListClassifier(random_state=0, n_chains=2, n_iter=400),
    "decision_set": lambda: DecisionSetClassifier(random_state=0),
    "risk_score": lambda: RiskScoreClassifier(),
    "distilled": lambda: DistilledClassifier(random_state=0),
}


def _numpy_frame(n_samples=300, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n_samples),
        "income": rng.normal(50, 10, n_samples).round(2),
        "city": rng.choice(np.array(["paris", "lyon", "nice"], dtype=object), n_samples),
        "member": rng.random(n_samples) < 0.4,
    })
    y = ((X["age"] > 45) ^ (X["city"] == "lyon") ^ (rng.random(n_samples) < 0.15)).astype(int).to_numpy()
    return X, y


def _arrow(values, arrow_type):
    """``values`` as an Arrow column, a missing value (None, NaN, pd.NA) as null."""
    values = [None if value is None or (np.ndim(value) == 0 and pd.isna(value)) else value for value in values]
    return pd.Series(pd.array(values, dtype=pd.ArrowDtype(arrow_type)))


def _fit_and_score(make, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of the small fits: the same for both frames
        model = make().fit(X, y)
        loaded = glassbox.from_json(model.to_json())
        return model, model.predict_proba(X), loaded.predict_proba(X)


def _check_same_model(make, numpy_X, arrow_X, y):
    model, scores, loaded_scores = _fit_and_score(make, numpy_X, y)
    arrow_model, arrow_scores, arrow_loaded_scores = _fit_and_score(make, arrow_X, y)
    np.testing.assert_array_equal(arrow_scores, scores)
    np.testing.assert_array_equal(arrow_loaded_scores, arrow_scores)  # the JSON copy reads Arrow columns too
    np.testing.assert_array_equal(loaded_scores, scores)
    np.testing.assert_array_equal(arrow_model.is_categorical_, model.is_categorical_)
    assert str(arrow_model.explain_global()) == str(model.explain_global())
    # the fitted model scores the other frame alike: Arrow at fit, NumPy at predict and back
    np.testing.assert_array_equal(arrow_model.predict_proba(numpy_X), scores)
    np.testing.assert_array_equal(model.predict_proba(arrow_X), scores)


@pytest.mark.parametrize("name", ESTIMATORS)
def test_a_frame_read_by_pyarrow_fits_as_its_numpy_twin(name):
    X, y = _numpy_frame()
    buffer = io.StringIO()
    X.to_csv(buffer, index=False)
    arrow_X = pd.read_csv(io.StringIO(buffer.getvalue()), dtype_backend="pyarrow")
    assert all(isinstance(dtype, pd.ArrowDtype) for dtype in arrow_X.dtypes)
    _check_same_model(ESTIMATORS[name], X, arrow_X, y)


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("arrow_type", ["large_string", "dictionary", "string", "binary"])
def test_arrow_text_columns_are_categories(name, arrow_type):
    """large_string reports kind "U", dictionary and binary kind "O": each is the same categorical feature."""
    X, y = _numpy_frame()
    types = {"large_string": pa.large_string(), "dictionary": pa.dictionary(pa.int8(), pa.string()),
             "string": pa.string(), "binary": pa.binary()}
    city = X["city"].str.encode("ascii") if arrow_type == "binary" else X["city"]
    numpy_X = X.assign(city=city)
    _check_same_model(ESTIMATORS[name], numpy_X, numpy_X.assign(city=_arrow(city, types[arrow_type])), y)


@pytest.mark.parametrize("name", ESTIMATORS)
def test_an_arrow_decimal_column_is_a_number(name):
    """A decimal (SQL NUMERIC, money read with dtype_backend="pyarrow") reads as the float column, not as
    383 categories, as a column of Decimal objects does."""
    X, y = _numpy_frame()
    income = _arrow([str(v) for v in X["income"]], pa.string()).astype(pd.ArrowDtype(pa.decimal128(10, 2)))
    _check_same_model(ESTIMATORS[name], X, X.assign(income=income), y)


@pytest.mark.parametrize("name", ["gam", "rule_list", "decision_set", "risk_score", "distilled"])
def test_arrow_nulls_are_missing_values(name):
    X, y = _numpy_frame()
    rng = np.random.default_rng(1)
    numpy_X = X.assign(
        income=X["income"].mask(rng.random(len(X)) < 0.1),
        city=X["city"].mask(rng.random(len(X)) < 0.1, None),
        member=X["member"].astype(object).mask(rng.random(len(X)) < 0.1, None),
    )
    arrow_X = numpy_X.assign(
        income=_arrow(numpy_X["income"], pa.float64()),
        city=_arrow(numpy_X["city"], pa.string()),
        member=_arrow(numpy_X["member"], pa.bool_()),
    )
    _check_same_model(ESTIMATORS[name], numpy_X, arrow_X, y)


@pytest.mark.parametrize("name", ["gam", "risk_score"])
def test_arrow_integers_and_float32_read_as_numpy_ones(name):
    X, y = _numpy_frame()
    numpy_X = X.assign(age=X["age"].astype(np.uint8), income=X["income"].astype(np.float32))
    arrow_X = X.assign(age=_arrow(X["age"], pa.uint8()), income=_arrow(X["income"].astype(np.float32), pa.float32()))
    _check_same_model(ESTIMATORS[name], numpy_X, arrow_X, y)


@pytest.mark.parametrize("name", ["gam", "linear"])
def test_an_arrow_null_column_is_an_all_missing_column(name):
    X, y = _numpy_frame()
    arrow_X = X.assign(income=_arrow([None] * len(X), pa.null()))
    with pytest.raises(ValueError) as from_numpy:
        ESTIMATORS[name]().fit(X.assign(income=np.nan), y)
    with pytest.raises(ValueError) as from_arrow:
        ESTIMATORS[name]().fit(arrow_X, y)
    assert str(from_arrow.value) == str(from_numpy.value)
    assert "income" in str(from_arrow.value)


@pytest.mark.parametrize("arrow_type, values", [
    (pa.timestamp("us"), [datetime.datetime(2020, 1, 1), None]),
    (pa.date32(), [datetime.date(2020, 1, 1), None]),
    (pa.duration("s"), [datetime.timedelta(days=1), None]),
    (pa.time64("us"), [datetime.time(8, 30), None]),
    (pa.dictionary(pa.int8(), pa.date32()), [datetime.date(2020, 1, 1), None]),  # probed by its values
])
def test_arrow_dates_and_times_are_refused_at_fit_and_by_a_loaded_model(arrow_type, values):
    X, y = _numpy_frame()
    if pa.types.is_dictionary(arrow_type):  # built by encoding dates: pyarrow 14 casts no objects or dates to it
        encoded = pa.array(values * (len(X) // 2), arrow_type.value_type).dictionary_encode()
        when = pd.Series(pd.arrays.ArrowExtensionArray(encoded))
    else:
        when = _arrow(values * (len(X) // 2), arrow_type)
    with pytest.raises(TypeError, match=r"Columns \['when'\] hold dates or durations"):
        GAMClassifier(random_state=0).fit(X.assign(when=when), y)
    loaded = glassbox.from_json(SparseLinearClassifier().fit(X.assign(when=X["income"]), y).to_json())
    with pytest.raises(TypeError, match=r"Columns \['when'\] hold dates or durations"):
        loaded.predict_proba(X.assign(when=when))


@pytest.mark.parametrize("arrow_type, values", [
    (pa.list_(pa.float64()), [[1.0], [2.0, 3.0]]),
    (pa.struct([("a", pa.int64())]), [{"a": 1}, {"a": 2}]),
])
def test_nested_arrow_columns_are_refused_with_the_fix(arrow_type, values):
    X, y = _numpy_frame()
    nested = _arrow(values * (len(X) // 2), arrow_type)
    message = r"Column 'extra' has the Arrow type .*Flatten it"
    with pytest.raises(TypeError, match=message):
        RiskScoreClassifier().fit(X.assign(extra=nested), y)
    loaded = glassbox.from_json(SparseLinearClassifier().fit(X.assign(extra=X["income"]), y).to_json())
    with pytest.raises(TypeError, match=message):
        loaded.predict_proba(X.assign(extra=nested))


def test_an_arrow_dictionary_is_a_declared_category():
    """Numbers written as text warn unless the author declared the column a category, as an Arrow
    dictionary declares it (pandas' category does too)."""
    X, y = _numpy_frame()
    codes = X["age"].astype(str)
    with pytest.warns(UserWarning, match="numbers"):
        RiskScoreClassifier().fit(X.assign(code=_arrow(codes, pa.string())), y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        RiskScoreClassifier().fit(X.assign(code=_arrow(codes, pa.dictionary(pa.int16(), pa.string()))), y)
    assert declares_levels(pd.ArrowDtype(pa.dictionary(pa.int8(), pa.string())))
    assert not declares_levels(pd.ArrowDtype(pa.string()))


@pytest.mark.parametrize("dtype, reading", [
    (np.dtype(float), "numbers"), (np.dtype(bool), "numbers"), (pd.Int64Dtype(), "numbers"),
    (np.dtype(object), "objects"), (pd.CategoricalDtype(["a"]), "levels"), (np.dtype("U3"), "levels"),
    (pd.StringDtype("python"), "levels"), (pd.StringDtype("pyarrow"), "levels"),
    (pd.ArrowDtype(pa.decimal128(10, 2)), "numbers"), (pd.ArrowDtype(pa.bool_()), "numbers"),
    (pd.ArrowDtype(pa.large_string()), "levels"), (pd.ArrowDtype(pa.large_binary()), "levels"),
    (pd.ArrowDtype(pa.null()), "objects"),
])
def test_pandas_column_reading(dtype, reading):
    assert pandas_column_reading(dtype, "x") == reading
