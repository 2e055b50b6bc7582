"""Category levels that are not plain strings survive JSON exactly, or JSON refuses them.

A level written as its text (``"(30.0, 45.0]"`` for a ``pd.cut`` band) no longer
equals the data's values: the loaded model would score every such row as an
unseen level, with no error.  Intervals and bytes have an exact tagged form;
other objects (an Enum member) are refused with an error naming the feature.
"""

import enum
import json
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import (BayesianRuleListClassifier, GAMClassifier, RiskScoreClassifier, SparseLinearClassifier)
from glassbox.explain import Condition, FeatureBins, GlobalExplanation
from glassbox.explain._serialize import decode_scalar, encode_level, encode_scalar


def _banded_data(n=240, seed=29):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n)})
    X["age_band"] = pd.cut(rng.uniform(18, 80, n), [18, 30, 45, 60, 80], include_lowest=True)
    y = ((X["a"] + (X["age_band"].cat.codes >= 2)) > 0.5).astype(int)
    return X, y


ESTIMATORS = [
    GAMClassifier(outer_bags=1, interactions=0, max_rounds=200, random_state=0),
    SparseLinearClassifier(),
    RiskScoreClassifier(max_features=3),
    BayesianRuleListClassifier(random_state=0),
]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_interval_levels_round_trip_through_json(estimator):
    X, y = _banded_data()
    # the band column as object values too (not only as a pandas category column)
    X_object = X.assign(age_band=X["age_band"].astype(object))
    model = estimator.fit(X, y)
    text = model.to_json()
    assert '"interval"' in text, "the model uses no band level: the test would not exercise intervals"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        restored = glassbox.from_json(text)
        reloaded = GlobalExplanation.from_dict(json.loads(json.dumps(model.explain_global().to_dict())))
    for data in (X, X_object):
        expected = model.decision_function(data)
        assert np.array_equal(restored.decision_function(data), expected)
        assert np.array_equal(reloaded.decision_function(data), expected)
    assert reloaded == model.explain_global()


@pytest.mark.parametrize("level", [
    pd.Interval(30.0, 45.0), pd.Interval(0, 5, closed="left"), pd.Interval(-np.inf, 1.5, closed="both"),
    pd.Interval(np.int64(2), np.int64(7), closed="neither"), b"north", b"\xff\x00", "nan", "inf", 3, 2.5, True,
])
def test_levels_encode_exactly(level):
    encoded = json.loads(json.dumps(encode_level(level, "f"), allow_nan=False))
    decoded = decode_scalar(encoded)
    assert type(decoded) is type(level) or isinstance(level, (np.integer,)) or type(level) in (int, float, bool)
    assert decoded == level and hash(decoded) == hash(level)
    if isinstance(level, pd.Interval):
        assert decoded.closed == level.closed


def test_bytes_levels_round_trip():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "k": rng.choice([b"north", b"south", b"east"], 300).astype(object)})
    y = ((X["a"] + (X["k"] == b"east")) > 0.5).astype(int)
    model = SparseLinearClassifier().fit(X, y)
    assert np.array_equal(glassbox.from_json(model.to_json()).decision_function(X), model.decision_function(X))


class Grade(enum.Enum):
    A = "A"
    B = "B"
    C = "C"


class Size(enum.IntEnum):
    SMALL = 1
    LARGE = 2


def _enum_frame(levels):
    rng = np.random.default_rng(1)
    column = np.empty(300, dtype=object)
    column[:] = [levels[i] for i in rng.integers(0, len(levels), 300)]
    X = pd.DataFrame({"a": rng.normal(size=300), "k": column})
    return X, ((X["a"] + (X["k"] == levels[0])) > 0.5).astype(int)


def test_levels_without_exact_json_form_are_refused():
    # (IntEnum members are ints: a column of them reads as numbers, below; encode_level refuses them as levels)
    X, y = _enum_frame(list(Grade))
    for model in (SparseLinearClassifier().fit(X, y),
                  GAMClassifier(outer_bags=1, interactions=0, max_rounds=50, random_state=0).fit(X, y)):
        assert any("k ==" in name or name == "k" for name in model.explain_global().term_names)
        with pytest.raises(TypeError, match=r"feature 'k' is a (Grade|Size) \(an Enum\).*astype\(str\)"):
            model.to_json()
        with pytest.raises(TypeError, match="feature 'k'"):
            model.explain_global().to_dict()


def test_an_object_column_of_int_enum_members_reads_as_their_numbers():
    X, y = _enum_frame(list(Size))
    model = SparseLinearClassifier().fit(X, y)
    assert model.explain_global().term_names == ["a", "k"]  # one numeric term, as the object array gives
    as_array = SparseLinearClassifier().fit(X.to_numpy(), y)
    assert np.array_equal(model.decision_function(X), as_array.decision_function(X.to_numpy()))
    assert np.array_equal(glassbox.from_json(model.to_json()).decision_function(X), model.decision_function(X))


def test_refusal_spares_values_that_round_trip():
    for value in ("a", "nan", 1, np.int64(3), 0.1, np.float32(0.5), np.nan, True, np.bool_(False), None,
                  np.str_("x")):
        assert encode_level(value, "f") == encode_scalar(value)
        decoded = decode_scalar(json.loads(json.dumps(encode_level(value, "f"))))
        assert decoded == value or (value != value and decoded != decoded)
    for value in (Grade.A, Size.SMALL, (1, 2), pd.Interval(pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-01"))):
        with pytest.raises(TypeError, match="no exact JSON form"):
            encode_level(value, "f")
    # display values (a row's inputs in a local explanation) are still written as their text
    assert encode_scalar(Grade.A) == "Grade.A"


def test_older_payloads_still_load():
    # written before intervals had a tag: a level that was a string stays that string
    condition = Condition.from_dict({"feature": "k", "op": "==", "value": "(30.0, 45.0]"})
    assert condition.value == "(30.0, 45.0]"
    bins = FeatureBins.from_dict({"feature": "k", "kind": "categorical", "thresholds": None,
                                  "categories": {"dtype": "object", "shape": [2], "data": ["a", {"str": "nan"}]}})
    assert list(bins.categories) == ["a", "nan"]
