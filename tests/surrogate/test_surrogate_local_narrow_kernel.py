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
