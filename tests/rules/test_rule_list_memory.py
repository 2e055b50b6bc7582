"""A sampler workspace larger than memory is refused before it is allocated, naming the parameters to lower
(it was a bare numpy MemoryError about an array of shape (n_chains, n_candidates), or the process was
killed while the chains filled memory the system had handed out unbacked)."""

import re
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from glassbox import BayesianRuleListClassifier
from glassbox.rules import _brl_sampler


def _data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.integers(0, 3, size=200)})
    return X, (X["a"] + rng.normal(scale=0.5, size=200) > 0).astype(int)


def test_too_many_chains_are_refused_naming_n_chains(monkeypatch):
    monkeypatch.setattr(_brl_sampler, "physical_memory", lambda: 4096)
    X, y = _data()
    with pytest.raises(MemoryError) as raised:
        BayesianRuleListClassifier(n_chains=200, n_iter=100, max_rules=4, random_state=0).fit(X, y)
    message = str(raised.value)
    assert re.search(r"Sampling n_chains=200 chains needs [\d.]+ KiB of memory; this machine has 4\.0 KiB", message)
    assert "Each chain holds" in message and "Lower n_chains (default 16) or max_rules." in message


def test_a_huge_n_iter_is_refused_before_the_trace_is_allocated():
    X, y = _data()
    with pytest.raises(MemoryError) as raised:  # 16 chains x 10**13 float64: 1.2 PiB
        BayesianRuleListClassifier(n_iter=10**13, random_state=0).fit(X, y)
    message = str(raised.value)
    assert "the trace of n_iter=10000000000000 iterations" in message
    assert message.endswith("Lower n_chains (default 16) or n_iter.")


def test_an_allocation_that_fails_is_named_with_the_parameters(monkeypatch):
    def short_of_memory(*args, **kwargs):
        raise MemoryError("Unable to allocate 300. GiB for an array with shape (10000000, 32175)")

    monkeypatch.setattr(_brl_sampler.ListPosterior, "_sample", short_of_memory)
    X, y = _data()
    with pytest.raises(MemoryError, match="Sampling n_chains=16 chains needs .* more than could be allocated"):
        BayesianRuleListClassifier(n_iter=100, random_state=0).fit(X, y)


def test_the_estimate_is_what_the_sampler_holds(monkeypatch):
    X, y = _data()
    measured = []
    sample = _brl_sampler.ListPosterior.sample

    def traced(posterior, n_chains, n_iter, *args, **kwargs):
        tracemalloc.start()
        try:
            return sample(posterior, n_chains, n_iter, *args, **kwargs)
        finally:
            measured.append((tracemalloc.get_traced_memory()[1], _brl_sampler._ChainWorkspace(posterior, n_chains,
                                                                                               n_iter).total))
            tracemalloc.stop()

    monkeypatch.setattr(_brl_sampler.ListPosterior, "sample", traced)
    BayesianRuleListClassifier(n_chains=64, n_iter=4000, max_rules=8, random_state=0).fit(X, y)
    peak, estimate = measured[0]
    assert 0.5 * estimate < peak < 1.2 * estimate + 2**20
