"""Input checks shared by the estimators and the models loaded with ``glassbox.from_json``.

Duplicated column names, text in a numeric feature (refused, naming the rows and the fix),
integer ids declared categorical (kept exact above 2**53) and damaged JSON.
"""

import decimal
import json
import pathlib
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

import glassbox
from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier,
                      SparseLinearClassifier)
from glassbox.utils.tabular import validate_tabular

FAMILIES = {
    "SparseLinearClassifier": lambda: SparseLinearClassifier(alpha=0.01),
    "GAMClassifier": lambda: GAMClassifier(outer_bags=1, interactions=0, max_rounds=50, random_state=0),
    "RiskScoreClassifier": lambda: RiskScoreClassifier(),
    "BayesianRuleListClassifier": lambda: BayesianRuleListClassifier(n_iter=300, n_chains=2, random_state=0),
    "DecisionSetClassifier": lambda: DecisionSetClassifier(random_state=0),
}


def _frame(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "sex": rng.choice(["f", "m"], n).astype(object),
        "hours": rng.integers(10, 60, n).astype(float),
    })
    y = ((X["age"] > 45) ^ (rng.random(n) < 0.15)).astype(int).to_numpy()
    return X, y


def _fitted(name, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FAMILIES[name]().fit(X, y)


def _message(call, X):
    with pytest.raises(ValueError) as error:
        call(X)
    return str(error.value)


# -- b1: duplicated column names -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["SparseLinearClassifier", "GAMClassifier", "RiskScoreClassifier"])
def test_duplicated_column_names_are_refused_alike_by_the_estimator_and_its_json(name):
    X, y = _frame()
    model = _fitted(name, X, y)
    loaded = glassbox.from_json(model.to_json())
    joined = pd.concat([X, (X[["age"]] * 12)], axis=1)  # a join that left the age in months beside the years
    renamed = X.rename(columns={"hours": "age"})
    for bad in (joined, renamed):
        said = _message(model.predict, bad)
        assert "X has duplicated column names: 'age' (2 times)" in said
        assert "Give each column a unique name" in said
        assert _message(loaded.predict, bad) == said  # one check, one text (was an AttributeError)


# -- b8: damaged or mistaken JSON -----------------------------------------------------------------

@pytest.fixture(scope="module")
def model_json():
    X, y = _frame()
    return SparseLinearClassifier(alpha=0.01).fit(X, y).to_json()


def test_from_json_names_the_mistake_and_the_fix(model_json, tmp_path):
    path = tmp_path / "model.json"
    path.write_text(model_json)
    payload = json.loads(model_json)
    cases = [
        (str(path), ValueError, r"takes the JSON text, not a file name .*read_text\(\)", json.JSONDecodeError),
        (path, TypeError, r"takes the JSON text, not a file name", None),
        (payload, TypeError, r"not a dict: pass the parsed dict to GlobalExplanation.from_dict", None),
        (model_json[: len(model_json) // 2], ValueError, r"not JSON .*truncated or hand-edited", json.JSONDecodeError),
        ("[1, 2]", ValueError, r"Not a glassbox model: the JSON holds a list", None),
        (json.dumps({k: v for k, v in payload.items() if k != "content"}), ValueError,
         r"'coefficient_table' model is damaged or incomplete: it has no 'content'.*format version 1", None),
        (json.dumps({k: v for k, v in payload.items() if k != "kind"}), ValueError, r"has no 'kind'", None),
        (json.dumps({**payload, "content": {}}), ValueError, r"damaged or incomplete: the field '\w+' is missing",
         KeyError),
        (json.dumps({**payload, "content": [1]}), ValueError, r"damaged or incomplete: (TypeError|AttributeError)",
         (TypeError, AttributeError)),
    ]
    for given, kind, pattern, cause in cases:
        with pytest.raises(kind, match=pattern) as error:
            glassbox.from_json(given)
        if cause is not None:
            assert isinstance(error.value.__cause__, cause)
    assert glassbox.from_json(pathlib.Path(path).read_text()) == glassbox.from_json(model_json)
