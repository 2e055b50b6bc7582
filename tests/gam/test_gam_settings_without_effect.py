"""Settings that a fit cannot apply say so: smoothing="auto" and mains_rescaling read the bags' validation rows,
and mains_rescaling is for one output; a fit without them leaves the shapes as boosted, which it now warns of."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, GAMRegressor


def _data(n=500, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "c": rng.choice(list("pq"), n)})
    return X, np.sin(2 * X["a"]) + (X["c"] == "p") + 0.3 * rng.normal(size=n), rng


def _messages(model, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


@pytest.mark.parametrize("validation_fraction", [None, 0])
def test_auto_smoothing_without_validation_rows_warns_and_names_the_fix(validation_fraction):
    X, y, _ = _data()
    model = GAMRegressor(outer_bags=2, interactions=0, max_rounds=100, smoothing="auto",
                         validation_fraction=validation_fraction, random_state=0)
    messages = _messages(model, X, y)
    assert len(messages) == 1
    assert "smoothing='auto'" in messages[0] and "validation rows" in messages[0]
    assert "smoothing=1.0" in messages[0] and "unsmoothed" in messages[0]
    assert not model.smoothing_widths_.any()


@pytest.mark.parametrize("validation_fraction", [None, 0])
def test_mains_rescaling_without_validation_rows_warns(validation_fraction):
    X, y, _ = _data()
    model = GAMRegressor(outer_bags=2, interactions=0, max_rounds=100, mains_rescaling=10.0,
                         validation_fraction=validation_fraction, random_state=0)
    messages = _messages(model, X, y)
    assert len(messages) == 1 and "mains_rescaling=10.0" in messages[0] and "validation rows" in messages[0]
    assert np.all(model.mains_multipliers_ == 1)


def test_mains_rescaling_on_a_multiclass_target_warns():
    X, _, rng = _data()
    model = GAMClassifier(outer_bags=2, interactions=0, max_rounds=100, mains_rescaling=10.0, random_state=0)
    messages = _messages(model, X, rng.choice(list("xyz"), len(X)))
    assert len(messages) == 1 and "multiclass" in messages[0] and "mains_rescaling=None" in messages[0]


def test_the_settings_applied_raise_no_such_warning():
    X, y, rng = _data()
    for model, target in [(GAMRegressor(smoothing="auto", mains_rescaling=10.0), y),
                          (GAMClassifier(smoothing="auto", mains_rescaling=10.0), (y > 0.5).astype(int)),
                          (GAMClassifier(smoothing="auto"), rng.choice(list("xyz"), len(X)))]:
        model.set_params(outer_bags=2, interactions=0, random_state=0)
        assert _messages(model, X, target) == []
