"""Ctrl-C stops the Bayesian rule list's sampler within a moment, not when every chain has run.

The chains run without the GIL; the calling thread looks for a pending signal
every tenth of a second (between iterations), also while the other threads
finish their chains, so KeyboardInterrupt arrives at once.  A fit stopped so
leaves the estimator as it was before the call.

The interrupt is sent 0.5 s into the sampler (the timer starts with
``ListPosterior.sample``, not with ``fit``), and KeyboardInterrupt must come out
of the compiled chains.  The chains are given about 25 s of work here: a build
whose chains did not look for signals fails after that time, it does not hang.
"""

import _thread
import threading
import time
import traceback

import numpy as np
import pytest

from glassbox import BayesianRuleListClassifier
from glassbox.rules import _brl_sampler

# SIGINT handled by Python even when the suite runs in the background (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("ctrl_c_raises")

# Iterations per chain that take about 25 s here: one chain runs 120,000 a second; three chains
# on two threads, 40,000 each
ITERATIONS = {1: 3_000_000, 3: 1_000_000}
# Seconds from the interrupt to KeyboardInterrupt that the test accepts (it takes ~0.1 s).
PROMPT = 5.0


def _data(n=50_000, seed=0):
    # on a few rows a chain that rejects its proposals early runs millions of iterations a second
    rng = np.random.RandomState(seed)
    X = rng.randn(n, 8)
    y = (X[:, 0] + X[:, 1] * X[:, 2] + rng.randn(n) > 0).astype(int)
    return X, y


def _seconds_to_interrupt(model, X, y, monkeypatch):
    """Fit ``model`` with ``_thread.interrupt_main`` sent 0.5 s into the sampler; the seconds from
    the interrupt to KeyboardInterrupt, which must be raised by the compiled ``run_chains`` (a failure
    if the fit ends without one)."""
    sent = []

    def interrupt():
        sent.append(time.perf_counter())
        _thread.interrupt_main()

    timer = threading.Timer(0.5, interrupt)
    sample = _brl_sampler.ListPosterior.sample

    def sample_interrupted(self, *args, **kwargs):
        timer.start()
        return sample(self, *args, **kwargs)

    monkeypatch.setattr(_brl_sampler.ListPosterior, "sample", sample_interrupted)
    try:
        model.fit(X, y)
    except KeyboardInterrupt as stop:
        seconds = time.perf_counter() - sent[0]
        innermost = traceback.extract_tb(stop.__traceback__)[-1]
        assert innermost.name.endswith(".run_chains"), f"KeyboardInterrupt came from {innermost.name}"
        return seconds
    finally:
        timer.cancel()
    pytest.fail("the fit ended without KeyboardInterrupt")


@pytest.mark.parametrize("n_chains", [1, 3])
def test_ctrl_c_stops_the_sampler(monkeypatch, n_chains):
    # one chain: the other thread has none; three on two threads: one thread runs two
    X, y = _data()
    model = BayesianRuleListClassifier(n_iter=ITERATIONS[n_chains], n_chains=n_chains, random_state=0)
    assert _seconds_to_interrupt(model, X, y, monkeypatch) < PROMPT
    assert not hasattr(model, "classes_") and not hasattr(model, "rules_")  # not half fitted


def test_an_interrupted_refit_keeps_the_previous_fit(monkeypatch):
    X, y = _data()
    model = BayesianRuleListClassifier(n_iter=2_000, n_chains=1, random_state=0).fit(X, y)
    before, rules = model.predict_proba(X), model.rules_
    model.set_params(n_iter=ITERATIONS[1])
    assert _seconds_to_interrupt(model, X[::-1], y[::-1], monkeypatch) < PROMPT
    assert model.rules_ == rules
    np.testing.assert_array_equal(model.predict_proba(X), before)
