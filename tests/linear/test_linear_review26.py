"""Review 26: memory held by the sparse linear models' cross-validation and categorical designs."""

import gc
import weakref

import numpy as np

from glassbox.linear import SparseLinearRegressorCV
from glassbox.linear import _cv


def test_a_finished_folds_problem_is_freed_without_the_cyclic_collector(monkeypatch):
    # Covariance mode keeps a Gram cache on the problem; a strong reference from the cache back to the
    # problem made a cycle, so each fold's copy of the data lived until the cyclic collector ran
    # (which a few huge arrays do not trigger): cv=10 held nine copies of X at its end.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 12))
    y = X[:, 0] - X[:, 3] + rng.normal(size=400)
    problems, alive_at_fold_start = [], []
    run_path = _cv.run_path

    def recording_run_path(model, fitted, alphas, **kwargs):
        alive_at_fold_start.append(sum(ref() is not None for ref in problems))
        assert fitted.problem.uses_gram()  # the covariance mode is the one under test
        problems.append(weakref.ref(fitted.problem))
        return run_path(model, fitted, alphas, **kwargs)

    monkeypatch.setattr(_cv, "run_path", recording_run_path)
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()  # only reference counting frees memory, as between two collections of a long fit
    try:
        SparseLinearRegressorCV(n_alphas=5, cv=4).fit(X, y)
        left = [ref() is not None for ref in problems]
    finally:
        if was_enabled:
            gc.enable()
    assert len(problems) == 5  # four folds, then the whole data's path to alpha_
    assert alive_at_fold_start == [0, 0, 0, 0, 0]
    assert not any(left)
