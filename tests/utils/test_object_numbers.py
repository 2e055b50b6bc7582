"""A pandas object column is read by what it holds, as the same values in a NumPy object array are.

Numbers with None / NaN / pd.NA (what a database fetch gives) are numbers with
missing values; text makes a column categorical; True / False alone are flags.
"""

import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import GAMClassifier, RiskScoreClassifier


def _frame(n_samples=300, seed=0):
    rng = np.random.RandomState(seed)
    counts = rng.randint(0, 4, size=n_samples).astype(float)
    counts[rng.rand(n_samples) < 0.05] = np.nan
    X = pd.DataFrame({"age": rng.normal(50, 10, size=n_samples), "ca": counts})
    y = (0.8 * np.nan_to_num(counts, nan=1.0) + 0.05 * (X["age"] - 50) + rng.logistic(size=n_samples) > 1.2)
    return X, y.astype(int).to_numpy()


def _as_objects(numbers, missing=None, kind=float):
    """A float column as an object column of ``kind`` numbers, ``missing`` where it is NaN."""
    return pd.Series([missing if np.isnan(v) else kind(v) for v in numbers], dtype=object)


def _fit(model, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    return model, [str(w.message) for w in caught if "written as text" in str(w.message)]


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
@pytest.mark.parametrize("kind", [float, int, Decimal])
def test_an_object_column_of_numbers_fits_as_the_float_column(missing, kind):
    X, y = _frame()
    objects = X.assign(ca=_as_objects(X["ca"], missing, kind))
    model, text_warnings = _fit(RiskScoreClassifier(), objects, y)
    assert not model.is_categorical_.any() and not text_warnings  # no value is text: no "numbers as text"
    reference = RiskScoreClassifier().fit(X, y)
    assert str(model.explain_global()) == str(reference.explain_global())
    np.testing.assert_array_equal(model.predict_proba(objects), reference.predict_proba(X))
    # the frame and its .to_numpy() (an object array) give the same model
    as_array = RiskScoreClassifier().fit(objects.to_numpy(), y)
    np.testing.assert_array_equal(as_array.predict_proba(objects.to_numpy()), model.predict_proba(objects))
    # the model loaded from JSON reads the object column as the estimator does
    loaded = glassbox.from_json(model.to_json())
    np.testing.assert_array_equal(loaded.predict_proba(objects), model.predict_proba(objects))


def test_numbers_written_as_text_stay_categorical_and_warned_of():
    X, y = _frame()
    text = X.assign(ca=pd.Series([None if np.isnan(v) else str(int(v)) for v in X["ca"]], dtype=object))
    model, text_warnings = _fit(RiskScoreClassifier(), text, y)
    assert model.is_categorical_.tolist() == [False, True] and len(text_warnings) == 1


def test_text_among_numbers_makes_the_column_categorical():
    X, y = _frame()
    mixed = X.assign(ca=_as_objects(X["ca"]))
    mixed.loc[3, "ca"] = "unknown"
    model, _ = _fit(GAMClassifier(outer_bags=1, interactions=0, max_rounds=30, random_state=0), mixed, y)
    assert model.is_categorical_.tolist() == [False, True]


def test_integers_named_categorical_keep_their_integer_levels():
    X, y = _frame()
    objects = X.assign(ca=_as_objects(X["ca"], kind=int))
    levels = {}
    for form, data in (("frame", objects), ("array", objects.to_numpy())):
        card = RiskScoreClassifier(categorical_features=[1]).fit(data, y).explain_global()
        levels[form] = [c.value for c in card.conditions if c.op == "=="]
    assert levels["frame"] and all(type(v) is int for v in levels["frame"]), levels  # 1, not 1.0
    assert levels["frame"] == levels["array"]


def test_object_flags_stay_flags():
    X, y = _frame()
    flags = X.assign(ca=pd.Series([None if np.isnan(v) else bool(v >= 2) for v in X["ca"]], dtype=object))
    model = GAMClassifier(outer_bags=1, interactions=0, max_rounds=30, random_state=0).fit(flags, y)
    assert model.is_boolean_.tolist() == [False, True] and not model.is_categorical_.any()


def test_a_record_with_a_missing_category_scores_as_a_missing_value():
    X, y = _frame()
    X["colour"] = pd.Series(np.array(["red", "green", "blue"], dtype=object)[np.arange(len(X)) % 3], dtype=object)
    X.loc[::17, "colour"] = None
    model = GAMClassifier(outer_bags=1, interactions=0, max_rounds=30, random_state=0).fit(X, y)
    record = pd.DataFrame([{"age": 40.0, "ca": 1.0, "colour": None}])  # colour: an object column of None alone
    assert str(record["colour"].dtype) == "object"
    expected = model.predict_proba(X.iloc[[0]].assign(age=40.0, ca=1.0, colour=np.nan).astype({"colour": object}))
    np.testing.assert_array_equal(model.predict_proba(record), expected)
    np.testing.assert_array_equal(glassbox.from_json(model.to_json()).predict_proba(record), expected)



def test_the_default_teacher_reads_an_object_column_of_numbers_as_the_students_do():
    from glassbox.surrogate import DistilledClassifier

    X, y = _frame()
    objects = X.assign(ca=_as_objects(X["ca"], pd.NA))  # HistGradientBoosting cannot read pd.NA in an object column
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = DistilledClassifier(random_state=0).fit(objects, y)
        reference = DistilledClassifier(random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.predict_proba(objects), reference.predict_proba(X))
