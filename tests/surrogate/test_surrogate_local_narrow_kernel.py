"""LocalSurrogate with a kernel too narrow for its perturbations: warned, and no perfect held-out figure."""

import warnings

import numpy as np
import pytest

from glassbox.explain import LocalExplanation
from glassbox.surrogate import LocalSurrogate


def _model(X):
    return np.sin(X[:, 0]) + X[:, 1] ** 2


@pytest.fixture(scope="module")
def rows():
    return np.random.RandomState(0).normal(size=(300, 3))


def test_a_kernel_weighing_no_held_out_perturbation_gives_no_held_out_figure(rows):
    explainer = LocalSurrogate(_model, task="regression", kernel_width=1e-6, random_state=0).fit(rows)
    with pytest.warns(UserWarning, match=r"kernel_width=1e-06 weighs so few perturbations that 2 of 2 rows") as info:
        explanation = explainer.explain_local(rows[:2])
    assert info[0].filename == __file__  # the warning points at the caller's line
    assert "Widen kernel_width (None: LIME's 0.75 * sqrt(n_features) = 1.299)" in str(info[0].message)
    # every held-out perturbation weighs 0: there is no held-out figure, not a perfect one
    assert explanation.fidelity["holdout_r2"] == [None, None]
    assert "median_holdout_r2" not in explanation.fidelity
    assert "no held-out perturbation weighs anything under the kernel" in explanation.notes[0]
    assert LocalExplanation.from_json(explanation.to_json()) == explanation


def test_no_runtime_warning_and_no_kernel_warning_at_the_default_width(rows):
    explainer = LocalSurrogate(_model, task="regression", random_state=0).fit(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fits = explainer.local_fits(rows[:3])
    assert np.all(np.isfinite(fits.holdout_r2))


def test_a_narrow_kernel_stops_no_computation_and_says_so(rows):
    explainer = LocalSurrogate(_model, task="regression", kernel_width=1e-6, random_state=0).fit(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(UserWarning, match="kernel_width"):
            fits = explainer.local_fits(rows[:2])
    assert np.all(np.isnan(fits.holdout_r2))


def test_too_few_samples_name_n_samples_not_the_width():
    wide = np.random.RandomState(0).normal(size=(200, 40))

    def total(X):
        return np.asarray(X, dtype=float).sum(axis=1)

    # 30 perturbations for a local model of 6 coefficients at most (max_features=5) suffice at a wide kernel
    explainer = LocalSurrogate(total, task="regression", n_samples=30, kernel_width=1e6, random_state=0).fit(wide)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explainer.local_fits(wide[:2])
    # 10 perturbations cannot determine 21 coefficients (max_features=20), whatever the width: n_samples is named
    few = LocalSurrogate(total, task="regression", n_samples=10, max_features=20, kernel_width=1e6,
                         random_state=0).fit(wide)
    with pytest.warns(UserWarning, match=r"n_samples=10 perturbations per row are fewer than the 21 coefficients .*"
                                         r"Raise n_samples") as info:
        few.local_fits(wide[:2])
    assert "kernel_width" not in str(info[0].message)
