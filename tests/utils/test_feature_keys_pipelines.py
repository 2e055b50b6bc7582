"""A feature named in a parameter (monotonic_cst, interactions) that the step before the model renamed: the
error says what the step did and how to name the feature the model reads."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassbox import GAMClassifier, RiskScoreClassifier, SparseLinearClassifier


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"age": rng.normal(size=40), "income": rng.normal(size=40)})
    return X, (X["age"] > 0).astype(int)


MODELS = [SparseLinearClassifier(monotonic_cst={"age": 1}), RiskScoreClassifier(monotonic_cst={"age": 1}),
          GAMClassifier(monotonic_cst={"age": 1}, interactions=0, outer_bags=1, random_state=0),
          GAMClassifier(interactions=[("age", "income")], outer_bags=1, random_state=0)]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: type(model).__name__)
def test_a_column_transformer_prefix_is_named(data, model):
    X, y = data
    scale = ColumnTransformer([("num", StandardScaler(), ["age", "income"])]).set_output(transform="pandas")
    with pytest.raises(ValueError, match=r"Unknown feature 'age' in \w+; did you mean 'num__age'\? A "
                                         r"ColumnTransformer prefixes .*verbose_feature_names_out=False"):
        make_pipeline(scale, model).fit(X, y)
    as_given = ColumnTransformer([("num", StandardScaler(), ["age", "income"])],
                                 verbose_feature_names_out=False).set_output(transform="pandas")
    assert list(make_pipeline(as_given, model).fit(X, y)[-1].feature_names_in_) == ["age", "income"]


@pytest.mark.parametrize("model", MODELS[:3], ids=lambda model: type(model).__name__)
def test_a_step_that_drops_the_names_is_named(data, model):
    X, y = data
    scale = ColumnTransformer([("num", StandardScaler(), ["age", "income"])])
    with pytest.raises(ValueError, match=r"X had no column names, so its features are named by position: known "
                                         r"features are \['x0', 'x1'\]\. .*set_output\(transform='pandas'\)"):
        make_pipeline(scale, model).fit(X, y)


def test_other_unknown_names_keep_the_plain_message(data):
    X, y = data
    with pytest.raises(ValueError, match=r"^Unknown feature 'salary' in monotonic_cst; known features are "
                                         r"\['age', 'income'\]\.$"):
        SparseLinearClassifier(monotonic_cst={"salary": 1}).fit(X, y)


NAMING_AGE = MODELS + [SparseLinearClassifier(categorical_features=["age"]),
                       SparseLinearClassifier(reference_levels={"age": "a"})]


@pytest.mark.parametrize("model", NAMING_AGE, ids=lambda model: type(model).__name__)
def test_columns_really_named_like_positions_get_the_plain_message(data, model):
    X, y = data
    named = X.set_axis(["x0", "x1"], axis=1)
    with pytest.raises(ValueError, match=r"^Unknown feature 'age' in \w+; known features are \['x0', 'x1'\]\.$"):
        clone(model).fit(named, y)
    # the same names given by position (a NumPy X): the message says X had none
    with pytest.raises(ValueError, match=r"X had no column names, so its features are named by position"):
        clone(model).fit(named.to_numpy(), y)


def _integer_labelled(n=120):
    rng = np.random.RandomState(0)
    X = pd.DataFrame({10: rng.normal(size=n), 13: rng.randint(0, 3, n), 20: rng.normal(size=n)})
    return X, ((X[10] > 0) ^ (X[13] == 2)).astype(int)


@pytest.mark.parametrize("model", [GAMClassifier(categorical_features=[13], interactions=0, outer_bags=1),
                                   SparseLinearClassifier(categorical_features=[13]),
                                   RiskScoreClassifier(categorical_features=[13])], ids=lambda m: type(m).__name__)
def test_an_integer_label_given_as_a_position_is_refused_with_both_readings(model):
    # integer labels are not names (scikit-learn reads the frame by position): 13 is the second column's label
    X, y = _integer_labelled()
    with pytest.raises(ValueError, match=r"categorical_features gives 13, which the model reads as a column "
                                         r"position.*labels are integers that are not positions \(\[10, 13, 20\]\).*"
                                         r"the column labelled 13 is position 1.*X.columns.astype\(str\)"):
        clone(model).fit(X, y)


def test_a_position_that_is_another_columns_label_is_refused_not_read_silently():
    X, y = _integer_labelled()
    X = X[[20, 10, 13]].set_axis([1, 0, 2], axis=1)  # position 1 holds the column labelled 0
    with pytest.raises(ValueError, match=r"gives 1, .*1 is the label of the column at position 0, and the column at "
                                         r"position 1 is labelled 0"):
        GAMClassifier(categorical_features=[1], interactions=0, outer_bags=1).fit(X, y)
    with pytest.raises(ValueError, match=r"interactions gives 0, .*0 is the label of the column at position 1"):
        GAMClassifier(interactions=[(0, 2)], outer_bags=1, random_state=0).fit(X, y)


def test_positions_that_are_no_other_columns_label_still_work():
    X, y = _integer_labelled()
    model = GAMClassifier(categorical_features=[1], interactions=[(0, 2)], outer_bags=1, random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.is_categorical_, [False, True, False])
    assert model.interaction_pairs_ == [("x0", "x2")]
    default_labels = pd.DataFrame(X.to_numpy())  # 0, 1, 2: labels are the positions, nothing to refuse
    assert GAMClassifier(categorical_features=[1], interactions=0, outer_bags=1).fit(default_labels, y).is_categorical_[1]
