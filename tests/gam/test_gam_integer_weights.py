"""What an integer sample_weight means in a GAM, as docs/gam.rst states it.

The docs said "an integer weight equals repeating the row", which holds only
without a validation split and with min_samples_leaf=1: the split and the leaf
minimum count rows.  At the defaults, repeated rows leak copies into each bag's
validation rows (heart, weights 1..3: 10.4 log-odds apart, 19-241 rounds per
bag against 6-23).
"""

import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from glassbox import GAMClassifier

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def weighted_and_repeated(read_shared_csv):
    X = read_shared_csv("heart.csv")
    y = X.pop("heart_disease").to_numpy()
    w = np.random.default_rng(0).integers(1, 4, len(y))
    return X, y, w, X.loc[X.index.repeat(w)].reset_index(drop=True), np.repeat(y, w)


def _pair_of_fits(data, **params):
    X, y, w, X_repeated, y_repeated = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weighted = GAMClassifier(random_state=0, interactions=0, outer_bags=2, **params).fit(X, y, sample_weight=w)
        repeated = GAMClassifier(random_state=0, interactions=0, outer_bags=2, **params).fit(X_repeated, y_repeated)
    return weighted, repeated


def test_weights_equal_repeated_rows_without_a_validation_split_and_with_leaves_of_one_row(weighted_and_repeated):
    weighted, repeated = _pair_of_fits(weighted_and_repeated, validation_fraction=None, min_samples_leaf=1,
                                       max_rounds=80)
    X = weighted_and_repeated[0]
    np.testing.assert_allclose(weighted.decision_function(X), repeated.decision_function(X), rtol=0, atol=1e-12)


def test_at_the_defaults_repeated_rows_leak_into_the_validation_split(weighted_and_repeated):
    # the copies of a row land on both sides of a bag's split: early stopping scores rows the bag trains on
    weighted, repeated = _pair_of_fits(weighted_and_repeated)
    assert sum(repeated.n_rounds_["mains"]) > 3 * sum(weighted.n_rounds_["mains"])
    X = weighted_and_repeated[0]
    assert np.abs(weighted.decision_function(X) - repeated.decision_function(X)).max() > 1.0


def test_the_docs_state_when_weights_are_repeated_rows():
    text = re.sub(r"\s+", " ", (ROOT / "docs" / "gam.rst").read_text())
    bullet = text[text.index("* ``sample_weight`` (zeros allowed)"):]
    bullet = bullet[: bullet.index(" * ")]
    assert "An integer weight equals repeating the row" not in bullet
    for fact in ("``validation_fraction=None``", "``min_samples_leaf=1``", "pass the counts as ``sample_weight``",
                 "rather than expanding the rows"):
        assert fact in bullet
