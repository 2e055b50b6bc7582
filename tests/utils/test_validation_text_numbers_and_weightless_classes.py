"""Numbers written as text are warned of at fit, once; a class whose rows all weigh zero is no class."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from glassbox.utils.tabular import validate_tabular
from glassbox.utils.validation import check_classification_target, numbers_written_as_text


@pytest.mark.parametrize("levels, others", [
    (["0.0", "1.0", "2.0", "3.0", "?"], ["?"]),          # heart's ca as UCI ships it
    (["3.0", "6.0", "7.0", "?"], ["?"]),                  # heart's thal
    (["1", "2", "3"], []),                                # the marker's rows dropped: still text
    ([1, 2.5, "n/a", "<5"], None),                        # two markers beside two numbers: no more others than numbers
    ([str(v) for v in range(30)] + ["n/a", "<5", ">1000"], ["<5", ">1000", "n/a"]),  # a tenth of 33 is 3
    ([str(v) for v in range(20)] + ["n/a", "<5", ">1000"], None),  # three markers: more than two and a tenth
    (["north", "south", "1"], None),
    (["1", "?"], None),                                   # one number is no numeric column
    (["1", "2", "3", "nan", "inf"], ["inf", "nan"]),           # not finite: markers
    ([True, False, 1.0], None),
])
def test_numbers_written_as_text_rule(levels, others):
    assert numbers_written_as_text(levels) == others


class _Model(BaseEstimator):
    pass


def _fit_warnings(X, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validate_tabular(_Model(), X, reset=True, **kwargs)
    return [str(w.message) for w in caught if "numbers written as text" in str(w.message)]


def test_a_text_column_of_numbers_is_warned_of_naming_the_levels_and_the_fix():
    X = pd.DataFrame({"ca": ["0.0", "1.0", "?", "2.0", None] * 4, "purpose": ["car", "tv", "?", "radio", "car"] * 4})
    messages = _fit_warnings(X)
    assert len(messages) == 1
    assert "'ca' looks like numbers written as text: its levels are numbers but for ['?']" in messages[0]
    assert "pd.to_numeric(X['ca'], errors='coerce')" in messages[0] and "astype('category')" in messages[0]
    assert _fit_warnings(X.to_numpy()) and "'x0'" in _fit_warnings(X.to_numpy())[0]  # a NumPy object array too


def test_a_declared_categorical_is_not_warned_of():
    X = pd.DataFrame({"ca": ["0.0", "1.0", "?", "2.0"] * 5})
    assert not _fit_warnings(X.astype("category"))
    assert not _fit_warnings(X, categorical_features=["ca"])


def test_polars_string_warns_and_categorical_does_not():
    pl = pytest.importorskip("polars")
    X = pl.DataFrame({"ca": ["0.0", "1.0", "?", "2.0"] * 5})
    assert len(_fit_warnings(X)) == 1
    assert not _fit_warnings(X.with_columns(pl.col("ca").cast(pl.Categorical)))
    assert not _fit_warnings(X.with_columns(pl.col("ca").cast(pl.Enum(["0.0", "1.0", "2.0", "?"]))))


def test_a_class_of_zero_weight_is_no_class():
    y = np.array(["A", "B", "D", "A", "B", "D"], dtype=object)
    with pytest.warns(UserWarning, match=r"Class 'D' has sample_weight 0 in every row \(2 rows\).*left out of classes_"):
        classes, codes = check_classification_target(y, sample_weight=[1, 1, 0, 2, 1, 0])
    assert classes.tolist() == ["A", "B"] and codes.tolist() == [0, 1, 0, 0, 1, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        classes, codes = check_classification_target(y)  # without weights: every label is a class
    assert classes.tolist() == ["A", "B", "D"]
    with pytest.raises(ValueError, match=r"only one class \('A'\) among the rows of positive sample_weight"):
        check_classification_target(y, sample_weight=[1, 0, 0, 1, 0, 0])
    with pytest.warns(UserWarning, match="Class 'D'"):
        classes, _ = check_classification_target(y, sample_weight=[1, 1, 0, 1, 1, 0], binary_only=True)
    assert classes.tolist() == ["A", "B"]  # binary among the weighted rows


@pytest.mark.parametrize("y, kinds", [
    (np.array([1, "a"] * 5, dtype=object), r"\['int', 'str'\]"),
    (pd.Series([1.5, "no", 2.0, "yes"] * 3), r"\['float', 'str'\]"),
])
def test_labels_of_mixed_types_are_named_with_the_fix(y, kinds):
    # scikit-learn's "Unknown label type: unknown. Maybe you are trying to fit a classifier ... on a regression
    # target with continuous values" said nothing of a column that mixes numbers and text
    with pytest.raises(ValueError, match=r"Unknown label type.* y mixes labels of types " + kinds + r".*astype\(str\)"):
        check_classification_target(y)


@pytest.mark.parametrize("y, kinds", [
    (np.array([1, 2.0] * 5, dtype=object), r"\['float', 'int'\]"),
    (np.array([True, 2] * 5, dtype=object), r"\['bool', 'int'\]"),
])
def test_an_object_target_of_numbers_only_is_told_to_become_numbers(y, kinds):
    # no text among them: the advice of text labels (1 and '1', y.astype(str)) did not apply
    with pytest.raises(ValueError, match=r"Unknown label type.* y is an object array of numbers only \(types "
                                         + kinds + r"\).*astype\(int\).*astype\(float\)") as info:
        check_classification_target(y)
    assert "'1'" not in str(info.value)
