"""Term names of a GAM are unique, and unchanged where no feature name collides with a pair's name."""

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import GAMClassifier
from glassbox.explain.shapes import unique_term_names as term_names


def _data(with_engineered_column):
    rng = np.random.default_rng(40)
    X = pd.DataFrame({"age": rng.normal(size=300), "income": rng.normal(size=300)})
    if with_engineered_column:
        X["age x income"] = X.age * X.income + rng.normal(size=300) * 0.01
    return X, ((X.age * X.income + X.age) > 0).astype(int)


def test_a_feature_named_like_a_pair_does_not_share_its_name():
    # the pair (age, income) and the column "age x income" were both named "age x income": the local table
    # had two rows of that name per row with different contributions
    X, y = _data(with_engineered_column=True)
    model = GAMClassifier(outer_bags=2, interactions=[("age", "income")], random_state=0).fit(X, y)
    assert model.term_names_ == ["age", "income", "age x income", "[age] x [income]"]
    frame = model.explain_local(X.iloc[:2]).to_frame()
    assert frame.groupby("row")["term"].nunique().tolist() == [4, 4]
    pair = frame.loc[frame["term"] == "[age] x [income]", "contribution"].to_numpy()
    np.testing.assert_array_equal(pair, model.explain_local(X.iloc[:2]).contributions[:, 3])
    # the global explanation, its table and text, and the model loaded from JSON name the terms alike
    explanation = model.explain_global()
    assert explanation.term_names == model.term_names_
    assert list(explanation.to_frame()["term"].unique()) == ["(intercept)", *model.term_names_]
    assert "[age] x [income]  (importance" in str(explanation)
    assert glassbox.from_json(model.to_json()).term_names == model.term_names_


def test_names_without_a_collision_are_the_plain_ones():
    X, y = _data(with_engineered_column=False)
    model = GAMClassifier(outer_bags=2, interactions=[("age", "income")], random_state=0).fit(X, y)
    assert model.term_names_ == ["age", "income", "age x income"]
    assert model.term_names_ == model.explain_global().term_names


def test_term_names_disambiguates_only_what_collides():
    assert term_names([("a",), ("b",), ("a", "b")]) == ["a", "b", "a x b"]
    assert term_names([("a",), ("b",), ("a x b",), ("c",), ("a", "b"), ("a", "c")]) == [
        "a", "b", "a x b", "c", "[a] x [b]", "a x c"]
    # a feature named like the bracketed pair too: numbered in term order
    assert term_names([("a",), ("b",), ("a x b",), ("[a] x [b]",), ("a", "b")]) == [
        "a", "b", "a x b", "[a] x [b]", "[a] x [b] (2)"]


def test_a_pair_keeps_the_order_it_was_written_in():
    # ("income", "age") was fitted as the column-ordered pair "age x income": the name the user wrote was then
    # refused by remove_terms and ShapeFunctionDisplay ("No term named 'income x age'")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from glassbox.plotting import ShapeFunctionDisplay

    X, y = _data(with_engineered_column=False)
    X["tenure"] = np.random.default_rng(41).normal(size=len(X))
    model = GAMClassifier(outer_bags=2, monotonic_cst={"age": 1}, random_state=0,
                          interactions=[("income", "age"), ("age", "tenure"), ("age", "income")]).fit(X, y)
    assert model.term_names_ == ["age", "income", "tenure", "income x age", "age x tenure"]  # repeat fitted once
    assert model.interaction_pairs_ == [("income", "age"), ("age", "tenure")]
    assert model.term_features_[3] == (1, 0)
    # the pair's table is laid out in that order too, and stays monotone along age (now its second axis)
    pair = model.explain_global().terms[3]
    assert pair.features == ("income", "age") and pair.constraints == (0, 1)
    grid = pd.DataFrame({"age": np.linspace(-3, 3, 200), "income": 0.7, "tenure": 0.0})
    assert np.all(np.diff(model.decision_function(grid)) >= 0)  # no tolerance
    ShapeFunctionDisplay.from_estimator(model, term="income x age")
    plt.close("all")
    model.remove_terms(["income x age"])
    assert not np.any(model.explain_global().terms[3].scores)


@pytest.mark.parametrize("estimator", ["classifier", "regressor"])
def test_a_pair_written_either_way_is_one_model(estimator):
    # The pair is boosted in column order and only read as written: ("income", "age") and ("age", "income")
    # predicted up to 0.07 apart on red wine quality when the written order laid out the boosted grid.
    X, y = _data(with_engineered_column=False)
    X["tenure"] = np.random.default_rng(42).normal(size=len(X))
    if estimator == "classifier":
        make = lambda pairs: GAMClassifier(outer_bags=2, interactions=pairs, random_state=0)  # noqa: E731
    else:
        y = X.age * X.income + X.tenure + np.random.default_rng(43).normal(size=len(X)) * 0.3
        make = lambda pairs: glassbox.GAMRegressor(outer_bags=2, interactions=pairs, random_state=0)  # noqa: E731
    written = make([("income", "age"), ("age", "tenure")]).fit(X, y)
    ordered = make([("age", "income"), ("age", "tenure")]).fit(X, y)
    assert written.term_names_[3] == "income x age" and ordered.term_names_[3] == "age x income"
    np.testing.assert_array_equal(written.predict(X), ordered.predict(X))
    np.testing.assert_array_equal(written.explain_local(X).contributions, ordered.explain_local(X).contributions)
    turned, pair = written.explain_global().terms[3], ordered.explain_global().terms[3]
    assert turned.features == ("income", "age") and pair.features == ("age", "income")
    np.testing.assert_array_equal(turned.scores, np.swapaxes(pair.scores, 0, 1))
    np.testing.assert_array_equal(turned.lower, np.swapaxes(pair.lower, 0, 1))
    np.testing.assert_array_equal(turned.density, np.swapaxes(pair.density, 0, 1))
    loaded = glassbox.from_json(written.to_json())
    np.testing.assert_array_equal(loaded.decision_function(X), ordered.explain_global().decision_function(X))
