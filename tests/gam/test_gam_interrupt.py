"""Ctrl-C stops a GAM fit within a moment: in the main effects' and the pairs' boosting, and in the
FAST ranking of pairs.

The kernels run without the GIL; the calling thread looks for a pending
signal every tenth of a second, so KeyboardInterrupt arrives after at most a
term update or two (a pair or two of the ranking), not when the stage ends
(minutes on large data).  A fit stopped so leaves the estimator as it was
before the call.

Each test sends the interrupt 0.5 s into a kernel (the timer starts when the
Python function that calls it does, not when ``fit`` does, so slow validation
and binning on a loaded machine cannot take the interrupt instead), and checks
that KeyboardInterrupt comes out of that kernel.  The kernels are given about
25 s of work here: a build whose kernel did not look for signals fails after
that time, it does not hang.
"""

import _thread
import dataclasses
import threading
import time
import traceback

import numpy as np
import pytest

from glassbox import GAMClassifier
from glassbox.gam import _base, _pairs

# SIGINT handled by Python even when the suite runs in the background (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("ctrl_c_raises")

# Rounds of 20,000 x 10 rows that take about 25 s here (0.35 ms a round for one bag on two
# threads; four bags share the two threads, 0.7 ms a round)
MAIN_ROUNDS = {1: 70_000, 4: 35_000}
# Rounds of the pair stage (one pair, 0.07 ms a round) and of 2,000 rows' main effects (0.06 ms): ~25 s
PAIR_ROUNDS = 350_000
SMALL_ROUNDS = 400_000
# Times the FAST ranking is asked for each of the 4,950 pairs of 100 features (0.13 s for all): ~25 s
PAIR_REPEATS = 200
# Seconds from the interrupt to KeyboardInterrupt that the test accepts (it takes ~0.1 s).
PROMPT = 5.0


def _data(n=20_000, n_features=10, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, n_features)
    y = (X[:, 0] + X[:, 1] * X[:, 2] + rng.randn(n) > 0).astype(int)
    return X, y


def _long_running(max_rounds, outer_bags=1, **params):
    return GAMClassifier(validation_fraction=None, max_rounds=max_rounds, outer_bags=outer_bags, random_state=0,
                         **params)


class _Interrupter:
    """Sends ``_thread.interrupt_main`` 0.5 s after ``arm()``, called where the kernel is about to run."""

    def __init__(self):
        self.timer = threading.Timer(0.5, self._interrupt)
        self.sent = None

    def _interrupt(self):
        self.sent = time.perf_counter()
        _thread.interrupt_main()

    def arm(self):
        self.timer.start()

    def seconds_to_interrupt(self, fit, kernel):
        """Run ``fit()``; the seconds from the interrupt to KeyboardInterrupt, which must be raised
        by the compiled function ``kernel`` (a failure if the fit ends without one)."""
        try:
            fit()
        except KeyboardInterrupt as stop:
            seconds = time.perf_counter() - self.sent
            innermost = traceback.extract_tb(stop.__traceback__)[-1]
            assert innermost.name.endswith("." + kernel), f"KeyboardInterrupt came from {innermost.name}"
            return seconds
        finally:
            self.timer.cancel()
        pytest.fail("the fit ended without KeyboardInterrupt")


def _arm_in_stage(monkeypatch, interrupter, pairs_stage, other_rounds=None):
    """Start ``interrupter`` when the main effects' (or the pairs') ``run_stage`` starts; the other
    stage runs ``other_rounds`` rounds (None: as set)."""
    run_stage = _base.run_stage

    def staged(layout, term_codes, Y, weights, bags, base_raw, settings, *rest, **kwargs):
        if any(len(features) == 2 for features in layout.features) == pairs_stage:
            interrupter.arm()
        elif other_rounds is not None:
            settings = dataclasses.replace(settings, max_rounds=other_rounds)
        return run_stage(layout, term_codes, Y, weights, bags, base_raw, settings, *rest, **kwargs)

    monkeypatch.setattr(_base, "run_stage", staged)


@pytest.mark.parametrize("outer_bags", [1, 4])
def test_ctrl_c_stops_the_main_effects_boosting(monkeypatch, outer_bags):
    # one bag: the calling thread boosts it (threads share its rows); four: each thread takes bags
    X, y = _data()
    model = _long_running(MAIN_ROUNDS[outer_bags], interactions=0, outer_bags=outer_bags)
    interrupter = _Interrupter()
    _arm_in_stage(monkeypatch, interrupter, pairs_stage=False)
    assert interrupter.seconds_to_interrupt(lambda: model.fit(X, y), "boost_bags") < PROMPT
    assert not hasattr(model, "binner_") and not hasattr(model, "classes_")  # not half fitted


def test_ctrl_c_stops_the_pair_boosting(monkeypatch):
    # the main effects boost 5 rounds; the timer starts with the pair stage
    X, y = _data()
    model = _long_running(PAIR_ROUNDS, interactions=[(1, 2)])
    interrupter = _Interrupter()
    _arm_in_stage(monkeypatch, interrupter, pairs_stage=True, other_rounds=5)
    assert interrupter.seconds_to_interrupt(lambda: model.fit(X, y), "boost_bags") < PROMPT


def test_ctrl_c_stops_the_ranking_of_pairs(monkeypatch):
    # interactions=<int> ranks every pair (FAST) after 5 rounds of main effects; the ranking is
    # asked for each pair PAIR_REPEATS times so that it lasts, and the timer starts with it
    X, y = _data(n_features=100)
    model = _long_running(5, interactions=1)
    interrupter = _Interrupter()
    pair_gains = _pairs.pair_gains

    def repeated(coarse_codes, g, h, weights, n_coarse, first, second, min_leaf, gains, n_threads):
        interrupter.arm()
        first, second = np.tile(first, PAIR_REPEATS), np.tile(second, PAIR_REPEATS)
        pair_gains(coarse_codes, g, h, weights, n_coarse, first, second, min_leaf, np.zeros(len(first)), n_threads)

    monkeypatch.setattr(_pairs, "pair_gains", repeated)
    assert interrupter.seconds_to_interrupt(lambda: model.fit(X, y), "pair_gains") < PROMPT
    assert not hasattr(model, "classes_")


def test_an_interrupted_refit_keeps_the_previous_fit(monkeypatch):
    X, y = _data(2_000)
    model = GAMClassifier(outer_bags=1, interactions=0, random_state=0).fit(X, y)
    before = model.predict_proba(X)
    model.set_params(validation_fraction=None, max_rounds=SMALL_ROUNDS)
    interrupter = _Interrupter()
    _arm_in_stage(monkeypatch, interrupter, pairs_stage=False)
    assert interrupter.seconds_to_interrupt(lambda: model.fit(X[::-1], y[::-1]), "boost_bags") < PROMPT
    assert model.max_rounds == SMALL_ROUNDS  # parameters are the caller's, as set
    np.testing.assert_array_equal(model.predict_proba(X), before)
