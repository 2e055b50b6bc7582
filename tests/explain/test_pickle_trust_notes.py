"""Where glassbox points to a pickle, it says to load one only from a source you trust.

Unpickling runs whatever code the file holds, before glassbox sees the model;
the JSON form runs none.  Every place that recommends keeping a pickled
estimator says so, and names the JSON as the form to exchange.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import DecisionSetClassifier
from glassbox.explain import reason_codes

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("page", ["explanations.rst", "inputs.rst"])
def test_the_docs_that_recommend_a_pickle_say_to_trust_its_source(page):
    text = " ".join((DOCS / page).read_text().split())
    assert "pickle" in text
    assert "only from a source you trust: unpickling can run any code" in text
    assert "glassbox.from_json" in text


def test_the_rule_model_reason_codes_error_says_to_trust_the_pickle_source():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(50, 10, 200), "income": rng.normal(5, 1, 200)})
    y = np.where(X["age"] > 50, "bad", "good")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = glassbox.from_json(DecisionSetClassifier(random_state=0, max_rules=2).fit(X, y).to_json())
    with pytest.raises(TypeError, match=r"pickled with joblib.*only from a source you trust.*the JSON"):
        reason_codes(loaded, X.iloc[:3], reference=X, adverse="bad")


def test_the_version_warning_says_reading_a_pickle_runs_its_code():
    doc = " ".join(glassbox.InconsistentVersionWarning.__doc__.split())
    assert "reading a pickle can run any code it holds: load pickles only from a source you trust" in doc
    assert "exchange models with others as ``to_json()`` text" in doc
