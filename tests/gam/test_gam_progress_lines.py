"""verbose lines of a GAM fit: counts take the noun's number (1 feature, 1 bag, 1 group, 1 pair)."""

import warnings

import numpy as np

from glassbox import GAMRegressor


def test_counts_of_one_read_in_the_singular(capsys):
    X = np.random.RandomState(0).normal(size=(200, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        GAMRegressor(outer_bags=1, interactions=1, max_rounds=20, verbose=1, random_state=0).fit(
            X, X[:, 0] * X[:, 1])
    out = capsys.readouterr().out
    assert "binned 2 features" in out and "200 rows, 1 outer bag (about" in out
    assert "mains: 2 terms boosted on 1 bag," in out and "pairs: 1 term boosted on 1 bag," in out
    assert "pairs: 1 chosen (interactions=1) in 1 group " in out
    assert "fitted 3 terms (1 pair)" in out
    assert "(s)" not in out and "1 bags" not in out and "1 pairs" not in out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        GAMRegressor(outer_bags=1, interactions=0, max_rounds=20, verbose=1, random_state=0).fit(X[:, :1], X[:, 0])
    out = capsys.readouterr().out
    assert "binned 1 feature into" in out and "mains: 1 term boosted" in out and "fitted 1 term (0 pairs)" in out
