"""A log-link GAM's shapes read as a tariff: each bin's relativity exp(score) and the base rate exp(intercept)."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, GAMRegressor


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 20000  # a book large enough for early stopping to keep the region effect
    X = pd.DataFrame({"age": rng.uniform(18, 80, n), "region": pd.Categorical(rng.choice(list("NSEW"), n))})
    exposure = rng.uniform(0.2, 1.0, n)
    counts = rng.poisson(np.exp(-1.5 + 0.5 * (X.region == "S")) * exposure)
    return X, counts / exposure, exposure


def test_log_link_shapes_show_relativities(data):
    X, rate, exposure = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GAMRegressor(loss="poisson", interactions=0, outer_bags=2, random_state=0).fit(
            X, rate, sample_weight=exposure)
    shapes = model.explain_global()
    frame = shapes.to_frame()
    np.testing.assert_array_equal(frame["relativity"], np.exp(frame["score"]))
    assert list(frame.columns).index("relativity") == list(frame.columns).index("score") + 1
    text = shapes.to_text(max_bins=None)
    assert "base rate exp(intercept): " in text
    rate_line = next(line for line in text.splitlines() if line.startswith("base rate"))
    assert float(rate_line.split(": ")[1]) == pytest.approx(np.exp(model.intercept_), rel=1e-3)
    south = next(line for line in text.splitlines() if re.match(r"\s+S\s", line))
    score_text, factor_text = south.split()[1:3]
    assert factor_text.startswith("x") and float(factor_text[1:]) == pytest.approx(np.exp(float(score_text)), rel=1e-3)
    assert float(factor_text[1:]) > 1.2  # the +0.5 log effect of region S reads as a factor (about 1.4)


def test_other_links_have_no_relativity(data):
    X, rate, exposure = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        regressor = GAMRegressor(interactions=0, outer_bags=2, random_state=0).fit(X, rate)
        classifier = GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, rate > 0)
    for model in (regressor, classifier):
        shapes = model.explain_global()
        assert "relativity" not in shapes.to_frame().columns
        assert "relativity" not in shapes.to_text()
