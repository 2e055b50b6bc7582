"""LocalSurrogate: slopes that are numerically zero are exactly 0, and a model's level does not bend its slopes."""

import numpy as np
import pytest

from glassbox.surrogate import LocalSurrogate


def _rows(n=300, p=5, seed=0):
    return np.random.RandomState(seed).normal(size=(n, p))


@pytest.mark.parametrize("selection", ["l0", "forward"])
def test_features_the_model_does_not_read_are_not_listed(selection):
    X = _rows()
    model = lambda X: 2 * X[:, 0] - X[:, 2]  # noqa: E731
    explainer = LocalSurrogate(model, max_features=4, selection=selection, task="regression", random_state=0).fit(X)
    fits = explainer.local_fits(X[:5])
    assert fits.selected.tolist() == [[True, False, True, False, False]] * 5
    assert np.all(fits.coefficients[:, [1, 3, 4]] == 0.0)
    assert np.all(fits.contributions[:, [1, 3, 4]] == 0.0)
    np.testing.assert_allclose(fits.coefficients[:, [0, 2]], [[2.0, -1.0]] * 5, rtol=1e-8)
    text = str(explainer.explain_local(X[:1]))
    assert "3 terms at zero, not shown: x1, x3, x4" in text
    for name in ("x1", "x3", "x4"):
        assert f"  {name} " not in text


@pytest.mark.parametrize("level", [1e6, 1e9, 1e12])
def test_a_large_level_of_the_output_leaves_the_slopes_exact(level):
    # prices around a million: the level used to leave the fit an error spread over the slopes, which picked the
    # wrong features (local R2 0.2 at 1e6, negative at 1e12)
    X = _rows()
    model = lambda X: level + 2 * X[:, 0] - X[:, 2]  # noqa: E731
    explainer = LocalSurrogate(model, max_features=2, task="regression", random_state=0).fit(X)
    fits = explainer.local_fits(X[:5])
    assert fits.selected.tolist() == [[True, False, True, False, False]] * 5
    resolution = 1e-8 + 1e-14 * level  # the outputs' own rounding: 1e-4 at 1e12
    np.testing.assert_allclose(fits.coefficients[:, [0, 2]], [[2.0, -1.0]] * 5, rtol=resolution)
    np.testing.assert_allclose(fits.weighted_r2, 1.0, atol=resolution)
    np.testing.assert_allclose(fits.local_prediction - level, fits.model_output - level, atol=resolution)


@pytest.mark.parametrize("size", [1e-9, 1.0, 1e9])
def test_the_threshold_is_relative_to_the_output_and_the_features_spread(size):
    # a real but small effect (1e-3 of the output's spread) of a feature in tiny units is kept, and the slopes
    # of an output of any size, while the features the model does not read are dropped
    X = _rows() * np.array([1.0, 1e-6, 1.0, 1.0, 1.0])
    model = lambda X: size * (X[:, 0] + 1e3 * X[:, 1])  # noqa: E731   x1's effect: 1e-3 of x0's
    explainer = LocalSurrogate(model, max_features=3, task="regression", random_state=0).fit(X)
    fits = explainer.local_fits(X[:3])
    assert fits.selected.tolist() == [[True, True, False, False, False]] * 3
    np.testing.assert_allclose(fits.coefficients[:, :2], [[size, 1e3 * size]] * 3, rtol=1e-6)


def test_each_class_drops_its_own_numerical_zeros():
    # centred log-probabilities of a softmax linear in x0 and x1, whose last class does not read x0
    X = _rows()

    def proba(X):
        logits = np.stack([X[:, 0] + X[:, 1], X[:, 1] - X[:, 0], -2 * X[:, 1]], axis=1)
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    explainer = LocalSurrogate(proba, max_features=4, classes=["a", "b", "c"], random_state=0).fit(X)
    fits = explainer.local_fits(X[:3])
    assert fits.selected.tolist() == [[True, True, False, False, False]] * 3
    assert np.all(fits.coefficients[:, 2:, :] == 0.0)
    expected = np.array([[1.0, -1.0, 0.0], [1.0, 1.0, -2.0]])  # slopes on x0, x1 per class (the logits are centred)
    np.testing.assert_allclose(fits.coefficients[:, :2, :], np.broadcast_to(expected, (3, 2, 3)), atol=1e-8)
    assert np.all(fits.coefficients[:, 0, 2] == 0.0)
    explanation = explainer.explain_local(X[:3])
    total = explanation.base_value + explanation.contributions.sum(axis=1)
    np.testing.assert_allclose(total, fits.local_prediction, rtol=1e-12, atol=1e-12)


def test_a_flat_neighbourhood_keeps_no_feature_with_forward_selection():
    X = _rows()
    explainer = LocalSurrogate(lambda X: np.full(len(X), 3.5), max_features=3, selection="forward",
                               task="regression", random_state=0).fit(X)
    fits = explainer.local_fits(X[:2])
    assert not fits.selected.any()
    assert np.all(fits.local_prediction == 3.5)


@pytest.mark.parametrize("selection", ["l0", "forward"])
def test_local_and_held_out_r2_recomputed_from_the_perturbations_the_model_was_asked(selection):
    X = np.random.RandomState(1).normal(size=(400, 4)) * [1, 10, 0.1, 3] + [0, 100, 5, -2]
    asked = []

    def model(Z):
        asked.append(np.array(Z, dtype=float))
        return 1e5 + np.sin(Z[:, 0]) + 0.01 * Z[:, 1] ** 2 + 4 * np.tanh(Z[:, 2] - 5)

    explainer = LocalSurrogate(model, max_features=2, selection=selection, task="regression", n_samples=300,
                               n_holdout=100, random_state=3).fit(X)
    asked.clear()
    rows = X[:3]
    fits = explainer.local_fits(rows)
    asked = np.concatenate(asked).reshape(3, 400, 4)
    outputs = 1e5 + np.sin(asked[..., 0]) + 0.01 * asked[..., 1] ** 2 + 4 * np.tanh(asked[..., 2] - 5)
    distance = np.sqrt((((asked - rows[:, None]) / explainer.scale_) ** 2).sum(axis=2))
    weights = np.exp(-distance**2 / (2 * (0.75 * np.sqrt(4)) ** 2))
    for r in range(3):
        local = fits.intercepts[r] + ((asked[r] - explainer.mean_) * fits.coefficients[r]).sum(axis=1)

        def r2(part):
            w, y = weights[r, part], outputs[r, part]
            mean = (w * y).sum() / w.sum()
            return 1 - (w * (y - local[part]) ** 2).sum() / (w * (y - mean) ** 2).sum()

        np.testing.assert_allclose(fits.weighted_r2[r], r2(slice(0, 300)), rtol=1e-9)
        np.testing.assert_allclose(fits.holdout_r2[r], r2(slice(300, 400)), rtol=1e-9)
        np.testing.assert_allclose(fits.local_prediction[r], local[0], rtol=1e-12)
        # the slopes are the weighted least-squares fit on the features selected
        used = np.flatnonzero(fits.selected[r])
        design = np.column_stack([np.ones(300), asked[r, :300, used].T - explainer.mean_[used]])
        root = np.sqrt(weights[r, :300])
        solution = np.linalg.lstsq(design * root[:, None], outputs[r, :300] * root, rcond=None)[0]
        np.testing.assert_allclose(fits.coefficients[r, used], solution[1:], rtol=1e-7)
