"""A feature may not take the label of a row glassbox's tables add themselves."""

import dataclasses
import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox as gb
from glassbox.explain import Link, LocalExplanation


def _data(name):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({name: rng.normal(size=120), "age": rng.normal(size=120)})
    y = np.where(X[name] + X["age"] + rng.normal(scale=0.5, size=120) > 0, "yes", "no")
    return X, y


@pytest.mark.parametrize("name", ["(intercept)", "base value"])
@pytest.mark.parametrize("make", [
    lambda: gb.SparseLinearClassifier(alpha=0.01),
    lambda: gb.GAMClassifier(interactions=0, max_rounds=20, random_state=0),
    lambda: gb.DecisionSetClassifier(random_state=0),
])
def test_fit_refuses_a_column_named_like_a_table_row(name, make):
    X, y = _data(name)
    with pytest.raises(ValueError, match=rf"X has a column named '{re.escape(name)}'.*Rename the column"):
        make().fit(X, y)


@pytest.mark.parametrize("name", ["intercept", "Intercept", "(Intercept)", "base_value", "default"])
def test_names_that_only_resemble_a_row_label_are_kept(name):
    X, y = _data(name)
    model = gb.SparseLinearClassifier(alpha=0.01).fit(X, y)
    frame = model.explain_global().to_frame()
    assert (frame.term == "(intercept)").sum() == 1
    local = model.explain_local(X.iloc[:2]).to_frame(include_base=True)
    assert isinstance(local.term.dtype, pd.CategoricalDtype)


def test_a_local_surrogate_refuses_a_column_named_like_its_offset_term():
    from glassbox.surrogate import LocalSurrogate
    X, y = _data("(local offset)")
    teacher = gb.SparseLinearClassifier(alpha=0.01).fit(X.rename(columns={"(local offset)": "x"}), y)
    with pytest.raises(ValueError, match=r"X has a column named '\(local offset\)'.*local surrogate.*Rename"):
        LocalSurrogate(teacher.predict_proba).fit(X)


def test_loading_refuses_a_feature_named_like_a_table_row():
    X, y = _data("x")
    payload = json.loads(gb.SparseLinearClassifier(alpha=0.01).fit(X, y).explain_global().to_json())
    text = json.dumps(payload).replace('"x"', '"(intercept)"')
    with pytest.raises(ValueError, match=r"feature_names hold a column named '\(intercept\)'.*refit"):
        gb.from_json(text)


def test_local_frame_says_when_its_terms_cannot_stay_categorical():
    local = LocalExplanation(
        model="Toy", term_names=("a", "a"), base_value=0.0, contributions=np.array([[1.0, 2.0]]),
        feature_names=("a",), feature_values=np.array([[1.0]]), decision=np.array([3.0]),
        prediction=np.array([3.0]), link=Link("identity"))
    with pytest.warns(UserWarning, match=r"Terms \['a'\] print alike.*plain strings"):
        frame = local.to_frame()
    assert list(frame.term) == ["a", "a"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LocalExplanation(
            model="Toy", term_names=("a", "b"), base_value=0.0, contributions=np.array([[1.0, 2.0]]),
            feature_names=("a", "b"), feature_values=np.array([[1.0, 0.0]]), decision=np.array([3.0]),
            prediction=np.array([3.0]), link=Link("identity")).to_frame(include_base=True)


def test_a_hand_built_explanation_refuses_a_feature_named_like_a_table_row():
    X, y = _data("x")
    table = gb.SparseLinearClassifier(alpha=0.01).fit(X, y).explain_global()
    with pytest.raises(ValueError, match=r"feature_names hold a column named 'base value'"):
        dataclasses.replace(table, feature_names=("base value", "age"))
