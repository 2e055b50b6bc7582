"""LocalSurrogate: a row's explanation depends on the row only, reason codes head a row with the
model's decision, and a function model's probability columns can be named (classes=)."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

import glassbox.surrogate.local as local_module
from glassbox.explain import reason_codes
from glassbox.surrogate import LocalSurrogate


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    n = 400
    X = pd.DataFrame({
        "income": rng.normal(50, 15, n),
        "debt": rng.gamma(2.0, 3.0, n),
        "region": rng.choice(["north", "south", "east"], n),
        "owner": rng.rand(n) < 0.4,
    })
    return X


def _log_odds(X):
    """A row-wise nonlinear score: each row's output depends on that row alone, bit for bit."""
    x = np.asarray(X["income"], dtype=float), np.asarray(X["debt"], dtype=float)
    region = np.asarray(X["region"]) == "south"
    return 0.08 * (x[0] - 50) - 0.02 * x[1] ** 2 + 1.5 * region - 1.0 * np.asarray(X["owner"], dtype=float)


def _proba(X):
    p = expit(_log_odds(X))
    return np.column_stack([1 - p, p])


def _explain(explainer, X):
    e = explainer.explain_local(X)
    return e.contributions, e.decision, np.asarray(e.fidelity["weighted_r2"]), np.asarray(e.fidelity["holdout_r2"])


def test_a_rows_explanation_is_the_same_alone_and_in_any_batch(data, monkeypatch):
    explainer = LocalSurrogate(_proba, max_features=3, n_samples=300, n_holdout=100, task="classification",
                               random_state=0).fit(data)
    alone = _explain(explainer, data.iloc[[1]])
    for batch, position in [([1, 4], 0), ([4, 1], 1), ([4, 5, 10, 1, 7], 3), ([1, 1], 1)]:
        in_batch = _explain(explainer, data.iloc[batch])
        for a, b in zip(alone, in_batch):
            np.testing.assert_array_equal(a[0], b[position])
    # rows split into several batches (a small batch size) draw the same as in one
    monkeypatch.setattr(local_module, "_MAX_BATCH_ROWS", 900)
    assert 900 // 400 < 3  # fewer rows per batch than explained: the rows fall in different batches
    split = _explain(explainer, data.iloc[[4, 5, 1]])
    for a, b in zip(alone, split):
        np.testing.assert_array_equal(a[0], b[2])


def test_the_seed_still_decides_the_draws(data):
    def fit(seed):
        return LocalSurrogate(_proba, n_samples=200, n_holdout=50, task="classification", random_state=seed).fit(data)

    first, again, other = (fit(s).explain_local(data.iloc[:3]).contributions for s in (0, 0, 1))
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
    # a RandomState advances between calls, as before
    explainer = fit(np.random.RandomState(0))
    assert not np.allclose(explainer.explain_local(data.iloc[:3]).contributions,
                           explainer.explain_local(data.iloc[:3]).contributions)


def test_reason_codes_of_a_local_surrogate_head_a_row_with_the_models_decision(data):
    X = data[["income", "debt"]]
    y = np.where(_log_odds(data) > 0, "good", "bad")
    model = LogisticRegression(max_iter=1000).fit(X, y)
    # an approximation far from the model at some rows: a very wide neighbourhood of a sharp model
    explainer = LocalSurrogate(lambda Z: model.predict_proba(Z) ** 4 / (model.predict_proba(Z) ** 4).sum(1)[:, None],
                               classes=model.classes_, task="classification", scale=3.0, max_features=1,
                               n_samples=300, n_holdout=0, random_state=1).fit(X)
    rows = X.iloc[:40]  # with this seed, 2 of them near the model's boundary are approximated on the other side
    explanation = explainer.explain_local(rows)
    model_says = model.predict(rows)
    np.testing.assert_array_equal(explanation.fidelity["model_prediction"], model_says)
    assert np.any(explanation.prediction != model_says)  # the case that matters: the two disagree somewhere
    text = reason_codes(explainer, rows, reference=X, adverse="bad", allow_approximate=True).to_text(max_rows=None)
    for i in range(len(rows)):
        head = f"row {rows.index[i]}: model predicts {model_says[i]}; local approximation predicts {explanation.prediction[i]}"
        assert head in text
    assert "predicted" not in text


def test_a_function_models_columns_are_named_by_classes(data):
    # a served model whose client returns the columns [good, bad]
    reversed_columns = lambda Z: _proba(Z)[:, ::-1]  # noqa: E731
    named = LocalSurrogate(reversed_columns, classes=["good", "bad"], task="classification", n_samples=200,
                           n_holdout=50, random_state=0).fit(data)
    sorted_columns = LocalSurrogate(_proba, classes=["bad", "good"], task="classification", n_samples=200,
                                    n_holdout=50, random_state=0).fit(data)
    assert named.classes_.tolist() == ["good", "bad"]
    e_named, e_sorted = named.explain_local(data.iloc[:5]), sorted_columns.explain_local(data.iloc[:5])
    # the same perturbations: log-odds of bad are minus the log-odds of good, and the labels agree
    np.testing.assert_allclose(e_named.decision, -e_sorted.decision, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(e_named.prediction, e_sorted.prediction)
    truth = np.where(_log_odds(data.iloc[:5]) > 0, "good", "bad")
    np.testing.assert_array_equal(e_named.fidelity["model_prediction"], truth)
    with pytest.raises(ValueError, match="probabilities for 2 classes, but 3 class labels"):
        LocalSurrogate(reversed_columns, classes=["a", "b", "c"], task="classification").fit(data)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_the_printed_probabilities_say_whose_they_are(data, n_classes):
    from glassbox.explain._render import probability_pairs

    X = data[["income", "debt"]]
    y = np.digitize(_log_odds(data), [-0.5, 0.5][: n_classes - 1])
    model = LogisticRegression(max_iter=1000).fit(X, y)
    explainer = LocalSurrogate(model, max_features=1, scale=3.0, n_samples=300, n_holdout=0, random_state=0).fit(X)
    explanation = explainer.explain_local(X.iloc[:5])
    text = str(explanation).splitlines()
    for i in range(5):
        model_pairs = probability_pairs(model.classes_, np.log(model.predict_proba(X.iloc[[i]])[0]))
        approximation = probability_pairs(model.classes_, explanation.link.log_inverse(explanation.decision[i:i + 1])[0])
        assert f"  probabilities: model {model_pairs}; local approximation {approximation}" in text
