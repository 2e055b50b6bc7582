"""max_rules beyond the 64 rules the sampler holds is refused, saying the limit and what to give instead."""

import re

import numpy as np
import pandas as pd
import pytest

from glassbox import BayesianRuleListClassifier
from glassbox.rules._brl_sampler import MAX_LIST_LENGTH


def _data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=120), "b": rng.integers(0, 3, size=120)})
    return X, (X["a"] + rng.normal(scale=0.5, size=120) > 0).astype(int)


@pytest.mark.parametrize("max_rules", [MAX_LIST_LENGTH + 1, 100])
def test_max_rules_above_the_sampler_limit_is_refused(max_rules):
    X, y = _data()
    with pytest.raises(ValueError, match=re.escape("must be an int in the range [0, 64] or None")) as raised:
        BayesianRuleListClassifier(max_rules=max_rules, n_iter=50).fit(X, y)
    message = str(raised.value)
    assert f"Got {max_rules} instead" in message
    assert "holds at most 64 rules" in message and "give max_rules <= 64, or None" in message


@pytest.mark.filterwarnings("ignore:The MCMC chains disagree")  # a short search: only the length cap is tested
def test_max_rules_at_the_limit_is_accepted():
    X, y = _data()
    model = BayesianRuleListClassifier(max_rules=MAX_LIST_LENGTH, n_iter=200, n_chains=2, random_state=0).fit(X, y)
    assert len(model.rules_) <= MAX_LIST_LENGTH


def test_an_invalid_max_rules_below_zero_gets_no_hint_about_the_limit():
    X, y = _data()
    with pytest.raises(ValueError, match="Got -1 instead") as raised:
        BayesianRuleListClassifier(max_rules=-1).fit(X, y)
    assert "holds at most" not in str(raised.value)


def test_docstring_states_the_limit():
    doc = BayesianRuleListClassifier.__doc__
    entry = doc[doc.index("max_rules :"):doc.index("n_chains :")]
    assert "int in [0, 64] or None" in entry and "larger value is refused" in entry
