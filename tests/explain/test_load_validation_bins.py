"""A GAM's bins, as a model file gives them, must be the bins its predictions use.

Bins are found by a sorted search of the thresholds and a lookup of the
levels: thresholds out of order, repeated or NaN, and levels equal as values
(``1``, ``1.0`` and ``True``; a level given twice) would print one table and
score by another, so they are refused when the file is read, naming the
feature.  Levels of mixed types that an estimator fits (the string ``"1"`` and
the number ``1``) load, and print apart.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import GAMClassifier, SparseLinearClassifier
from glassbox.explain import FeatureBins, Link, ShapeFunctions, ShapeTerm


def _shapes(bins):
    return ShapeFunctions(model="Demo", feature_names=[bins.feature], link=Link("identity"), base_value=0.0,
                          terms=[ShapeTerm(bins=[bins], scores=np.arange(float(bins.n_bins)))])


def _payload_with(edit):
    payload = _shapes(FeatureBins("age", "numeric", thresholds=[30.0, 35.0, 40.0])).to_dict()
    edit(payload["content"]["terms"][0]["bins"][0])
    return json.dumps(payload)


@pytest.mark.parametrize("thresholds, named", [
    ([35.0, 30.0, 40.0], "not strictly increasing: 35 (position 0) is followed by 30"),
    ([30.0, 35.0, 35.0], "not strictly increasing: 35 (position 1) is followed by 35"),
    ([30.0, "nan", 40.0], "include [nan]"),
    ([30.0, 35.0, "inf"], "include [inf]"),
])
def test_thresholds_out_of_order_repeated_or_not_finite_are_refused_at_load(thresholds, named):
    def edit(bins):
        bins["thresholds"]["data"] = thresholds

    with pytest.raises(ValueError, match="thresholds of 'age'") as raised:
        glassbox.from_json(_payload_with(edit))
    assert named in str(raised.value)


def test_unsorted_thresholds_are_refused_where_bins_are_made():
    # a swapped pair would put age 31 in "[30, 40)" while the printout's "< 35" row gives it another score
    with pytest.raises(ValueError, match="'age' are not strictly increasing"):
        FeatureBins("age", "numeric", thresholds=[35.0, 30.0, 40.0])
    with pytest.raises(ValueError, match="'age' have shape"):
        FeatureBins("age", "numeric", thresholds=[[30.0, 35.0]])


@pytest.mark.parametrize("levels", [[1, True], ["m", "m"], [1, 1.0], [2.0, "x", 2]])
def test_levels_equal_as_values_are_refused_at_load(levels):
    payload = _shapes(FeatureBins("sex", "categorical", categories=[f"l{i}" for i in range(len(levels))])).to_dict()
    payload["content"]["terms"][0]["bins"][0]["categories"] = {"dtype": "object", "shape": [len(levels)],
                                                                 "data": levels}
    with pytest.raises(ValueError, match="levels of 'sex' hold .* which are equal as values"):
        glassbox.from_json(json.dumps(payload))


def test_an_unhashable_level_is_refused_naming_the_feature():
    with pytest.raises(ValueError, match=r"Level \[1\] of 'sex' \(position 1\) is not a category level"):
        FeatureBins("sex", "categorical", categories=["f", [1]])


def test_levels_that_print_alike_print_apart():
    bins = FeatureBins("code", "categorical", categories=[2, "2", "True", True, "a"])
    assert bins.bin_labels() == ["2", "'2'", "'True'", "True", "a", "missing", "unseen"]
    # a text level that reads as a number prints quoted even with no number beside it: "3" is not 3
    assert FeatureBins("code", "categorical", categories=["1", "2", 3]).bin_labels()[:3] == ["'1'", "'2'", "3"]
    assert FeatureBins("code", "categorical", categories=["a", "b c"]).bin_labels()[:2] == ["a", "b c"]


@pytest.mark.parametrize("make", [
    lambda: GAMClassifier(random_state=0, max_rounds=20, interactions=0, outer_bags=1),
    lambda: SparseLinearClassifier(alpha=0.01),
])
def test_a_model_fitted_on_levels_of_mixed_types_round_trips(make):
    rng = np.random.default_rng(0)
    # the string "1" and the number 1 are two levels, as are b"x" and "x"; a flag column besides
    levels = np.array([1, "1", "a", 2.5, b"x", "x"], dtype=object)
    code = pd.Series(levels[np.arange(300) % len(levels)], dtype=object)
    X = pd.DataFrame({"code": code, "flag": rng.random(300) < 0.5, "x": rng.normal(size=300)})
    if make().__class__ is GAMClassifier:  # a GAM bins missing levels too (a linear model refuses them)
        X.loc[::23, "code"] = None
    y = ((code.map(str) == "1") ^ (rng.random(300) < 0.2)).astype(int).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = make().fit(X, y)
    loaded = glassbox.from_json(model.to_json())
    assert loaded == model.explain_global()
    np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X), rtol=1e-12)
    if isinstance(model, GAMClassifier):
        term = next(t for t in loaded.terms if t.features == ("code",))
        labels = term.bins[0].bin_labels()
        assert "1" in labels and "'1'" in labels and len(set(labels)) == len(labels)
