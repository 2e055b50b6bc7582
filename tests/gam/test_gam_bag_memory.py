"""outer_bags whose bags outgrow the machine's memory are refused before any bag is drawn, naming the parameter."""

import time

import numpy as np
import pytest

import glassbox.gam._base as gam_base
from glassbox import GAMClassifier, GAMRegressor


def _data(n=1000):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    return X, (X[:, 0] > 0).astype(int)


def test_absurd_outer_bags_are_refused_at_once_naming_the_parameter():
    # 10**9 bags of 1,000 rows: drawing them ran for minutes before numpy's bare MemoryError
    X, y = _data()
    start = time.perf_counter()
    with pytest.raises(MemoryError, match=r"outer_bags=1000000000 bags of 1000 rows need .* TiB for the bags' rows "
                                          r"alone; this machine has .*Lower outer_bags \(at most about \d+ here"):
        GAMClassifier(outer_bags=10**9).fit(X, y)
    assert time.perf_counter() - start < 5.0


def test_the_check_reads_the_machines_memory(monkeypatch):
    X, y = _data()
    monkeypatch.setattr(gam_base, "physical_memory", lambda: 10 * 2**20)  # a machine of 10 MiB
    with pytest.raises(MemoryError, match=r"outer_bags=1000 bags of 1000 rows need 22.9 MiB .* has 10.0 MiB.*"
                                          r"at most about 218 here"):
        GAMRegressor(outer_bags=1000).fit(X, X[:, 0])
    assert GAMRegressor(outer_bags=8, interactions=0, random_state=0).fit(X, X[:, 0]).n_rounds_["mains"].size == 8
    monkeypatch.setattr(gam_base, "physical_memory", lambda: None)  # a system that does not say: no check
    assert GAMRegressor(outer_bags=2, interactions=0, random_state=0).fit(X, X[:, 0]).n_rounds_["mains"].size == 2
