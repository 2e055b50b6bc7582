"""A local explanation keeps the rows x terms table its model computed, not a copy, and to_frame copies it once."""

import tracemalloc

import numpy as np
import pandas as pd

from glassbox import SparseLinearRegressor


def _peak(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_explain_local_and_to_frame_hold_no_extra_copy_of_the_contributions():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(20000, 50)), columns=[f"f{i}" for i in range(50)])
    model = SparseLinearRegressor(alpha=0.0).fit(X, X.sum(axis=1))
    table = X.shape[0] * X.shape[1] * 8
    model.explain_local(X.iloc[:10])  # imports and caches out of the measure
    local, peak = _peak(lambda: model.explain_local(X))
    # the design and the table (and the object rows' share) are needed; a read-only copy of the table was 4.2x
    assert peak < 3.6 * table, peak / table
    assert not local.contributions.flags.writeable
    frame, peak = _peak(local.to_frame)
    assert peak < 3.9 * table, peak / table  # the rows, the terms, the values: 4.5x while pandas copied them
    np.testing.assert_array_equal(frame["contribution"].to_numpy(), local.contributions.reshape(-1))
