"""Ctrl-C stops a GAM fit within a moment, in the main effects' and in the pairs' boosting.

The boosting runs without the GIL; the calling thread looks for a pending
signal every tenth of a second, so KeyboardInterrupt arrives after at most a
term update or two, not when the stage ends (minutes on large data).  A fit
stopped so leaves the estimator as it was before the call.
"""

import _thread
import dataclasses
import threading
import time

import numpy as np
import pytest

from glassbox import GAMClassifier
from glassbox.gam import _base

# Rounds these fits would run without an interrupt: about 1 ms each here, some 15 minutes in all.
ENDLESS_ROUNDS = 1_000_000
# Seconds from the interrupt to KeyboardInterrupt that the test accepts (it takes ~0.1 s).
PROMPT = 5.0


def _data(n=20_000, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, 10)
    y = (X[:, 0] + X[:, 1] * X[:, 2] + rng.randn(n) > 0).astype(int)
    return X, y


def _endless(**params):
    return GAMClassifier(validation_fraction=None, max_rounds=ENDLESS_ROUNDS, outer_bags=1, random_state=0,
                         **params)


def _seconds_to_interrupt(fit, armed):
    """Run ``fit()``, with ``_thread.interrupt_main`` sent 0.5 s after ``armed`` is set; the seconds
    from the interrupt to KeyboardInterrupt (a failure if the fit ends without one)."""
    sent = []

    def interrupt():
        sent.append(time.perf_counter())
        _thread.interrupt_main()

    timer = threading.Timer(0.5, interrupt)
    armed.append(timer)
    try:
        fit()
    except KeyboardInterrupt:
        return time.perf_counter() - sent[0]
    finally:
        timer.cancel()
    pytest.fail("the fit ended without KeyboardInterrupt")



@pytest.mark.parametrize("outer_bags", [1, 4])
def test_ctrl_c_stops_the_main_effects_boosting(outer_bags):
    # one bag: the calling thread boosts it (threads share its rows); four: each thread takes bags
    X, y = _data()
    model = _endless(interactions=0)
    model.set_params(outer_bags=outer_bags)
    armed = []

    def fit():
        armed[0].start()
        model.fit(X, y)

    assert _seconds_to_interrupt(fit, armed) < PROMPT
    assert not hasattr(model, "binner_") and not hasattr(model, "classes_")  # not half fitted


def test_ctrl_c_stops_the_pair_boosting(monkeypatch):
    # the main effects boost 5 rounds; the timer starts with the pair stage, which would run endlessly
    X, y = _data()
    armed = []
    run_stage = _base.run_stage

    def staged(layout, term_codes, Y, weights, bags, base_raw, settings, *rest, **kwargs):
        if any(len(features) == 2 for features in layout.features):
            armed[0].start()
        else:
            settings = dataclasses.replace(settings, max_rounds=5)
        return run_stage(layout, term_codes, Y, weights, bags, base_raw, settings, *rest, **kwargs)

    monkeypatch.setattr(_base, "run_stage", staged)
    model = _endless(interactions=[(1, 2)])
    assert _seconds_to_interrupt(lambda: model.fit(X, y), armed) < PROMPT


def test_an_interrupted_refit_keeps_the_previous_fit():
    X, y = _data(2_000)
    model = GAMClassifier(outer_bags=1, interactions=0, random_state=0).fit(X, y)
    before = model.predict_proba(X)
    model.set_params(validation_fraction=None, max_rounds=ENDLESS_ROUNDS)
    armed = []

    def fit():
        armed[0].start()
        model.fit(X[::-1], y[::-1])

    assert _seconds_to_interrupt(fit, armed) < PROMPT
    assert model.max_rounds == ENDLESS_ROUNDS  # parameters are the caller's, as set
    np.testing.assert_array_equal(model.predict_proba(X), before)
