"""LocalSurrogate: recovers linear teachers, batched fits equal slow references, fidelity."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox.surrogate import LocalSurrogate
from glassbox.surrogate._local_fit import fit_on_support, forward_selection, swap_search, weighted_r2, weighted_statistics

COEF = np.array([2.0, 0.0, -1.0, 0.0, 0.5, 0.0])


@pytest.fixture(scope="module")
def X():
    return np.random.RandomState(0).normal(loc=3.0, scale=[1, 2, 3, 1, 0.5, 4], size=(300, 6))


@pytest.mark.parametrize("selection", ["l0", "forward"])
def test_recovers_coefficients_of_linear_regression_teacher(X, selection):
    teacher = lambda X: X @ COEF + 7.0  # noqa: E731
    explainer = LocalSurrogate(teacher, max_features=3, selection=selection, task="regression", random_state=0)
    explainer.fit(X)
    fits = explainer.local_fits(X[:20])
    np.testing.assert_allclose(fits.coefficients, np.tile(COEF, (20, 1)), atol=1e-8)
    assert np.all(fits.selected == (COEF != 0))
    np.testing.assert_allclose(fits.weighted_r2, 1.0)
    np.testing.assert_allclose(fits.holdout_r2, 1.0)
    np.testing.assert_allclose(fits.local_prediction, teacher(X[:20]), atol=1e-8)


def test_recovers_logistic_teacher_on_the_logit_scale(X):
    y = (X @ COEF + np.random.RandomState(1).normal(size=len(X)) > np.median(X @ COEF)).astype(int)
    teacher = LogisticRegression(C=100.0, max_iter=1000).fit(X, y)
    explainer = LocalSurrogate(teacher, max_features=6, random_state=0).fit(X)
    explanation = explainer.explain_local(X[:5])
    fits = explainer.local_fits(X[:5])
    np.testing.assert_allclose(fits.coefficients, np.tile(teacher.coef_[0], (5, 1)), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(explanation.decision, teacher.decision_function(X[:5]), atol=1e-6)
    assert explanation.approximate and explanation.link.name == "logit"
    np.testing.assert_array_equal(explanation.prediction, teacher.predict(X[:5]))
    # additivity of the approximate explanation: to the local model's value
    np.testing.assert_allclose(explanation.base_value + explanation.contributions.sum(axis=1), explanation.decision)
    assert explanation.term_names[-1] == "(local offset)"
    assert explanation.fidelity["median_weighted_r2"] == pytest.approx(1.0)


def test_probability_scale_and_multiclass(X):
    y = np.digitize(X[:, 0], [2.5, 3.5])
    teacher = LogisticRegression(max_iter=1000).fit(X, y)
    explanation = LocalSurrogate(teacher, max_features=2, random_state=0).fit(X).explain_local(X[:4])
    assert explanation.contributions.shape == (4, 7, 3) and explanation.link.name == "softmax"
    proba = LocalSurrogate(teacher, output="probability", random_state=0).fit(X).explain_local(X[:4])
    assert proba.link.name == "identity" and proba.contributions.shape == (4, 7, 3)


def _slow_forward_selection(D, y, w, k):
    """One row, plain loops: add the column that minimises weighted SSE."""
    chosen = [0]
    for _ in range(k):
        best, best_sse = None, np.inf
        for j in range(1, D.shape[1]):
            if j in chosen:
                continue
            cols = chosen + [j]
            A = D[:, cols] * np.sqrt(w)[:, None]
            beta = np.linalg.lstsq(A, y * np.sqrt(w), rcond=None)[0]
            sse = np.sum(w * (y - D[:, cols] @ beta) ** 2)
            if sse < best_sse:
                best, best_sse = j, sse
        chosen.append(best)
    cols = chosen
    beta = np.linalg.lstsq(D[:, cols] * np.sqrt(w)[:, None], y * np.sqrt(w), rcond=None)[0]
    full = np.zeros(D.shape[1])
    full[cols] = beta
    return chosen, full


def test_batched_selection_matches_slow_reference():
    rng = np.random.RandomState(3)
    n_rows, n, p = 4, 200, 7
    D = np.concatenate([np.ones((n_rows, n, 1)), rng.normal(size=(n_rows, n, p))], axis=2)
    y = np.einsum("rsj,rj->rs", D, rng.normal(size=(n_rows, p + 1))) + rng.normal(size=(n_rows, n))
    w = rng.uniform(0.1, 1.0, size=(n_rows, n))
    gram, cross = weighted_statistics(D, y[:, :, None], w)
    support = forward_selection(gram, cross, 3)
    beta = fit_on_support(gram, cross, support, p + 1)
    r2 = weighted_r2(D, y[:, :, None], w, beta)
    for r in range(n_rows):
        chosen, full = _slow_forward_selection(D[r], y[r], w[r], 3)
        assert list(support[r]) == chosen
        np.testing.assert_allclose(beta[r, :, 0], full, rtol=1e-7, atol=1e-9)
        mean = np.average(y[r], weights=w[r])
        expected = 1 - np.sum(w[r] * (y[r] - D[r] @ full) ** 2) / np.sum(w[r] * (y[r] - mean) ** 2)
        assert r2[r] == pytest.approx(expected)


def test_categorical_and_missing_features_in_a_frame():
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"x": rng.normal(size=300), "colour": rng.choice(["red", "blue", "green"], 300)})
    frame.loc[:9, "x"] = np.nan

    def teacher(X):
        x = np.nan_to_num(np.asarray(X["x"], dtype=float))
        return 3.0 * x + np.where(X["colour"] == "red", 2.0, 0.0)

    explainer = LocalSurrogate(teacher, max_features=2, task="regression", random_state=0).fit(frame)
    fits = explainer.local_fits(frame.iloc[:20])
    red = (frame["colour"].iloc[:20] == "red").to_numpy()
    exact = red & (np.arange(20) >= 10)
    assert exact.sum() >= 2
    # For a red row "same colour as the row" is exactly the teacher's red indicator.
    np.testing.assert_allclose(fits.coefficients[exact, 0], 3.0, atol=1e-8)
    np.testing.assert_allclose(fits.coefficients[exact, 1], 2.0, atol=1e-8)
    np.testing.assert_allclose(fits.local_prediction[exact], teacher(frame.iloc[:20])[exact], atol=1e-8)
    # For other rows leaving their colour sometimes means red: only approximately linear.
    np.testing.assert_allclose(fits.coefficients[10:, 0], 3.0, atol=0.1)
    assert np.all(fits.coefficients[:10, 0] == 0)  # missing x is held, not varied


def test_deterministic_and_validated(X):
    teacher = lambda X: X @ COEF  # noqa: E731
    a = LocalSurrogate(teacher, task="regression", random_state=4).fit(X).explain_local(X[:3])
    b = LocalSurrogate(teacher, task="regression", random_state=4).fit(X).explain_local(X[:3])
    assert a == b
    with pytest.raises(ValueError, match="max_features"):
        LocalSurrogate(teacher, max_features=0, task="regression").fit(X)
    with pytest.raises(TypeError, match="plain callable"):
        LocalSurrogate(teacher).fit(X)
    with pytest.raises(ValueError, match="NaN or infinite"):
        LocalSurrogate(lambda X: np.full(len(X), np.nan), task="regression").fit(X)
    with pytest.raises(ValueError, match="features"):
        LocalSurrogate(teacher, task="regression").fit(X).explain_local(X[:2, :3])


def _weighted_sse(D, y, w, cols):
    beta = np.linalg.lstsq(D[:, cols] * np.sqrt(w)[:, None], y * np.sqrt(w), rcond=None)[0]
    return np.sum(w * (y - D[:, cols] @ beta) ** 2)


def test_swap_search_reaches_best_subset_where_forward_selection_is_fooled():
    # y = x1 + x2 exactly; x3 is a noisy copy of y, so forward selection takes x3
    # first and never recovers; swaps find {x1, x2} (the exhaustive best subset).
    rng = np.random.RandomState(0)
    n = 400
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    y = x1 + x2
    x3 = y + 0.3 * rng.normal(size=n)
    D = np.column_stack([np.ones(n), x1, x2, x3, rng.normal(size=n)])[None]
    w = rng.uniform(0.2, 1.0, size=(1, n))
    gram, cross = weighted_statistics(D, y[None, :, None], w)
    forward = forward_selection(gram, cross, 2)
    assert 3 in forward[0]
    swapped = swap_search(gram, cross, forward)
    assert sorted(swapped[0]) == [0, 1, 2]


def test_swap_search_is_swap_optimal_and_no_worse_than_forward():
    from itertools import combinations

    rng = np.random.RandomState(5)
    n_rows, n, p, k = 6, 150, 6, 3
    D = np.concatenate([np.ones((n_rows, n, 1)), rng.normal(size=(n_rows, n, p))], axis=2)
    D[:, :, 3] = D[:, :, 1] + D[:, :, 2] + 0.5 * rng.normal(size=(n_rows, n))  # correlated columns
    y = np.einsum("rsj,rj->rs", D, rng.normal(size=(n_rows, p + 1))) + rng.normal(size=(n_rows, n))
    w = rng.uniform(0.1, 1.0, size=(n_rows, n))
    gram, cross = weighted_statistics(D, y[:, :, None], w)
    forward = forward_selection(gram, cross, k)
    swapped = swap_search(gram, cross, forward)
    for r in range(n_rows):
        chosen = list(swapped[r])
        sse = _weighted_sse(D[r], y[r], w[r], chosen)
        assert sse <= _weighted_sse(D[r], y[r], w[r], list(forward[r])) * (1 + 1e-9)
        for position in range(1, k + 1):  # brute force: no single swap lowers the error
            for j in set(range(1, p + 1)) - set(chosen):
                trial = chosen.copy()
                trial[position] = j
                assert _weighted_sse(D[r], y[r], w[r], trial) >= sse * (1 - 1e-9)
        best = min(_weighted_sse(D[r], y[r], w[r], [0, *c]) for c in combinations(range(1, p + 1), k))
        assert sse <= best * (1 + 1e-6) + 1e-9  # here every local optimum found is the best subset


def test_kernel_follows_lime_convention(X):
    # lime weighs a perturbation at standardised distance d by sqrt(exp(-d^2 / w^2)), w = 0.75 sqrt(p)
    # by default: the same kernel_width must give the same weights here.
    model = lambda X: X[:, 0]  # noqa: E731
    default = LocalSurrogate(model, task="regression").fit(X)
    distance = np.array([0.0, 0.5, 1.0, 3.0])
    lime_width = 0.75 * np.sqrt(X.shape[1])
    np.testing.assert_allclose(default._kernel(distance), np.sqrt(np.exp(-(distance**2) / lime_width**2)))
    wide = LocalSurrogate(model, kernel_width=2.0, task="regression").fit(X)
    np.testing.assert_allclose(wide._kernel(distance), np.sqrt(np.exp(-(distance**2) / 4.0)))


class _CountingLogistic(LogisticRegression):
    """Counts the rows it is asked for probabilities of."""

    def predict_proba(self, X):
        self.proba_rows = getattr(self, "proba_rows", 0) + len(X)
        return super().predict_proba(X)


class _MarginClassifier(_CountingLogistic):
    """Its decision function is a margin on another scale than its probabilities (like an SVM)."""

    def decision_function(self, X):
        return 3.0 * LogisticRegression.decision_function(self, X)

    def predict_proba(self, X):
        self.proba_rows = getattr(self, "proba_rows", 0) + len(X)
        p1 = 1.0 / (1.0 + np.exp(-LogisticRegression.decision_function(self, X)))
        return np.column_stack([1.0 - p1, p1])


def test_decision_function_is_checked_once_at_fit_and_trusted_only_when_it_gives_the_probabilities(X):
    y = (X[:, 0] - X[:, 2] > 0).astype(int)
    for model_class, trusted in ((_CountingLogistic, True), (_MarginClassifier, False)):
        model = model_class().fit(X, y)
        explainer = LocalSurrogate(model, n_samples=200, n_holdout=0, output="probability", random_state=0).fit(X)
        assert explainer.decision_function_used_ is trusted
        model.proba_rows = 0
        fits = explainer.local_fits(X[:7])
        # Trusted: no probabilities asked for (not even the consistency check's rows);
        # otherwise: exactly the perturbations.
        assert model.proba_rows == (0 if trusted else 7 * 200)
        perturbed_row = X[:7]  # the row itself is its first perturbation
        np.testing.assert_allclose(fits.model_output, model.predict_proba(perturbed_row)[:, 1], rtol=1e-12)


def _model_line(text, row):
    block = text.split(f"row {row}:")[1].split("\nrow ")[0]
    # the output line (a classifier's probabilities line, which gives both sets, is checked in test_surrogate_local_batches_and_classes)
    return block.splitlines()[0].strip(), [line for line in block.splitlines()
                                           if "; local approximation " in line and "probabilities:" not in line]


@pytest.mark.parametrize("kind", ["regressor", "classifier", "probability", "multiclass"])
def test_each_row_prints_the_models_own_output_beside_the_approximation(X, kind):
    # the text once showed only the local model's value, as "predicted", so a row's gap went unseen
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from glassbox.explain._render import format_number

    frame = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    rows = frame.iloc[:3]
    if kind == "regressor":
        teacher = lambda Z: np.sin(np.asarray(Z, dtype=float)[:, 0]) * 10.0 + np.asarray(Z, dtype=float)[:, 1] ** 2  # noqa: E731
        explainer = LocalSurrogate(teacher, max_features=1, task="regression", n_samples=300, random_state=0)
        own = teacher(rows)
    else:
        target = frame.a * frame.b - frame.c
        y = np.digitize(target, np.quantile(target, [1 / 3, 2 / 3])) if kind == "multiclass" else (target > target.median())
        pipeline = make_pipeline(FunctionTransformer(np.square), LogisticRegression(max_iter=1000)).fit(frame, y)
        output = "probability" if kind == "probability" else "auto"
        explainer = LocalSurrogate(pipeline, max_features=1, output=output, n_samples=300, random_state=0)
    explanation = explainer.fit(frame).explain_local(rows)
    fits = explainer.local_fits(rows)
    if kind == "regressor":
        np.testing.assert_allclose(fits.model_output, own)
    text = str(explanation)
    assert text == str(explanation) and "local approximation" in explanation._repr_html_()
    for i, label in enumerate(rows.index):
        head, lines = _model_line(text, label)
        if kind in ("regressor", "probability"):  # the model's own value is under the table
            assert head.startswith("local approximation predicts"), head
        else:  # a classifier's row is headed by the model's decision, then the approximation's
            assert head.startswith("model predicts ") and "; local approximation predicts" in head, head
        lines = [line for line in lines if "predicts" not in line]  # the output line under the table
        assert len(lines) == 1, text
        model, approximation = np.atleast_1d(fits.model_output[i]), np.atleast_1d(explanation.decision[i])
        j = int(np.argmax(approximation))
        gap = abs(model[j] - approximation[j])
        assert gap > 1e-3, (kind, gap)  # a nonlinear teacher and one feature: the approximation misses
        assert (f"model {format_number(model[j])}; local approximation {format_number(approximation[j])} "
                f"(gap {format_number(gap)}; the terms add up to the approximation)") in lines[0], lines[0]
