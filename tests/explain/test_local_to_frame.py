"""LocalExplanation.to_frame sized for batch exports: categorical terms, no -0.0, zeros left out on request."""

import numpy as np
import pandas as pd
import pytest

from glassbox import BayesianRuleListClassifier, GAMClassifier, SparseLinearClassifier
from glassbox.explain import Link, LocalExplanation


def _frame(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "debt": rng.uniform(0, 1, n),
        "noise": rng.normal(size=n),
        "purpose": rng.choice(["car", "tv", "edu", "boat"], n),
    })
    logit = -1 + 3 * X["debt"] - 0.03 * (X["age"] - 40) + (X["purpose"] == "edu") * 1.0
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


@pytest.fixture(scope="module")
def sparse_linear():
    X, y = _frame()
    model = SparseLinearClassifier(alpha=0.05).fit(X, y)
    assert np.any(model.coef_ == 0) and np.any(model.coef_ < 0)
    return model, X


def test_terms_are_categorical_in_model_order_and_zeros_are_positive(sparse_linear):
    model, X = sparse_linear
    local = model.explain_local(X)
    frame = local.to_frame()
    assert isinstance(frame["term"].dtype, pd.CategoricalDtype)
    assert list(frame["term"].cat.categories) == list(local.term_names)
    assert frame["term"].tolist() == list(local.term_names) * len(X)
    zeros = frame["contribution"].to_numpy()[frame["contribution"].to_numpy() == 0]
    assert np.signbit(np.asarray(local.contributions)[np.asarray(local.contributions) == 0]).any()  # the model's -0.0
    assert not np.signbit(zeros).any()
    np.testing.assert_array_equal(frame["contribution"].to_numpy(), np.asarray(local.contributions).ravel())


def test_drop_zeros_keeps_every_row_and_its_sum(sparse_linear):
    model, X = sparse_linear
    local = model.explain_local(X)
    full = local.to_frame(include_base=True)
    sparse = local.to_frame(include_base=True, drop_zeros=True)
    assert len(sparse) < len(full) / 2
    assert (sparse["contribution"] != 0).sum() == (full["contribution"] != 0).sum()
    sums = sparse.groupby("row", observed=True)["contribution"].sum()
    assert sums.index.tolist() == list(range(len(X)))  # every row, through its base line
    np.testing.assert_allclose(sums.to_numpy(), model.decision_function(X), rtol=1e-12, atol=1e-12)
    assert sparse.index.tolist() == full.index[full["contribution"].ne(0) | full["term"].eq("base value")].tolist()
    zero_terms = {name for name, c in zip(local.term_names, model.coef_.ravel()) if c == 0}
    assert zero_terms and not zero_terms & set(sparse["term"])


def test_a_rule_list_keeps_only_the_rule_that_decided():
    X, y = _frame(n=200)
    model = BayesianRuleListClassifier(max_rules=3, n_iter=500, n_chains=2, random_state=0).fit(X, y)
    local = model.explain_local(X.iloc[:20])
    frame = local.to_frame(drop_zeros=True)
    decided = np.asarray(local.contributions) != 0
    assert len(frame) == decided.sum() <= 20


def test_multiclass_class_column_is_categorical_and_drops_per_class():
    X, _ = _frame(n=240)
    y = np.digitize(X["debt"], [0.33, 0.66])
    model = GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, y)
    local = model.explain_local(X.iloc[:10])
    frame = local.to_frame(drop_zeros=True)
    assert isinstance(frame["class"].dtype, pd.CategoricalDtype)
    assert list(frame["class"].cat.categories) == list(model.classes_)
    assert len(frame) == int((np.asarray(local.contributions) != 0).sum())


def test_a_term_named_base_value_keeps_plain_names():
    local = LocalExplanation(
        model="Toy", term_names=("base value", "debt"), base_value=0.5,
        contributions=np.array([[0.25, -0.0]]), feature_names=("base value", "debt"),
        feature_values=np.array([[1.0, 2.0]]), decision=np.array([0.75]), prediction=np.array([0.75]),
        link=Link("identity"))
    frame = local.to_frame(include_base=True)
    assert frame["term"].tolist() == ["base value", "base value", "debt"]
    assert not np.signbit(frame["contribution"].to_numpy()).any()
