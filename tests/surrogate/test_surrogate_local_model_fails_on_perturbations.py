"""A model that reads the training rows but fails on LocalSurrogate's perturbations is named with the fix.

LocalSurrogate varies numeric columns by Gaussian amounts (whole-number columns by
whole numbers only with round_whole_numbers=True): a pipeline that one-hot encodes
a column of codes with gaps (1, 2, 50, 100) meets values it never saw (3, 4, ...).  The refusal quotes the
model's own error (shortened: scikit-learn lists every unknown value), says why
and how to pass such a column; glassbox's own checks of a model's outputs keep
their messages.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from glassbox.surrogate import LocalSurrogate


@pytest.fixture(scope="module")
def graded():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"grade": rng.choice([1, 2, 50, 100], 600), "x": rng.normal(size=600)})
    y = (X["grade"] > 2).astype(int)
    return X, y


def _one_hot_pipeline(X, y, **encoder):
    encode = make_column_transformer((OneHotEncoder(**encoder), ["grade"]), ("passthrough", ["x"]))
    return make_pipeline(encode, LogisticRegression()).fit(X, y)


def test_a_model_that_reads_an_integer_column_as_categories_is_named_with_the_fix(graded):
    X, y = graded
    explainer = LocalSurrogate(_one_hot_pipeline(X, y), random_state=0).fit(X)
    with pytest.raises(ValueError, match=r"failed on the perturbed rows .*Found unknown categories.* \.\.\.\)\. "
                                         r"LocalSurrogate varies each numeric column by Gaussian amounts.*round_whole_numbers=True.*"
                                         r"'category'.*handle_unknown='ignore'") as info:
        explainer.explain_local(X.iloc[:2])
    assert len(str(info.value)) < 1200  # the model's list of every unknown value is cut
    # both fixes the message names work
    as_category = X.astype({"grade": "category"})
    local = LocalSurrogate(_one_hot_pipeline(X, y), random_state=0).fit(as_category).explain_local(as_category[:2])
    assert np.all(np.isfinite(local.contributions))
    ignoring = _one_hot_pipeline(X, y, handle_unknown="ignore")
    assert np.all(np.isfinite(LocalSurrogate(ignoring, random_state=0).fit(X).explain_local(X[:2]).contributions))


def test_glassbox_checks_of_the_outputs_keep_their_own_message(graded):
    X, _ = graded
    calls = {"n": 0}

    def nan_away_from_the_data(rows):  # reads the training rows, returns NaN on perturbations
        rows = np.asarray(rows, dtype=float)
        calls["n"] += 1
        out = rows[:, 1] if calls["n"] == 1 else np.full(len(rows), np.nan)
        return out

    explainer = LocalSurrogate(nan_away_from_the_data, task="regression", random_state=0).fit(X)
    with pytest.raises(ValueError) as info:
        explainer.explain_local(X.iloc[:2])
    assert "NaN" in str(info.value) and "failed on the perturbed rows" not in str(info.value)
