"""The weighted cover of each condition is summed a chunk of rows at a time: same bits, bounded memory."""

import tracemalloc

import numpy as np

from glassbox.scoring import _problem


def _design(n_rows=20_000, n_conditions=100, seed=0):
    rng = np.random.default_rng(seed)
    Z = np.asfortranarray((rng.random((n_rows, n_conditions)) < 0.3).astype(np.uint8))
    weight = rng.random(n_rows) * (rng.random(n_rows) < 0.8) * rng.choice([1e-6, 1.0, 1e6], n_rows)
    return Z, weight


def test_chunked_cover_equals_the_whole_product_bit_for_bit(monkeypatch):
    Z, weight = _design(5_003, 40)
    rows = weight > 0
    whole = (Z[rows].astype(np.float64) * weight[rows, None]).sum(axis=0)
    for chunk in (1, 7, 1_000, 10_000):
        monkeypatch.setattr(_problem, "_CHUNK_ROWS", chunk, raising=False)
        covered = _problem._weighted_column_sums(Z, np.flatnonzero(rows), weight)
        assert covered.tobytes() == whole.tobytes()


def test_usable_conditions_does_not_hold_a_float_copy_of_the_design(monkeypatch):
    # 100,000 rows x 408 conditions: the float copy and the product took 650 MB, most of the fit's peak.
    Z, weight = _design()
    lower, upper = -np.ones(Z.shape[1]), np.ones(Z.shape[1])
    monkeypatch.setattr(_problem, "_CHUNK_ROWS", 1_000, raising=False)
    tracemalloc.start()
    _problem.usable_conditions(Z, weight, lower, upper)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * Z.nbytes  # the whole product alone is 16 times the uint8 design
