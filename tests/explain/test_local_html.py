"""The notebook view of a local explanation is table markup carrying what its text says, not a <pre> of it."""

import html
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import (
    BayesianRuleListClassifier, GAMRegressor, RiskScoreClassifier, SparseLinearClassifier, SparseLinearRegressor,
)
from glassbox.surrogate import LocalSurrogate


def _data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.uniform(20, 70, 300), "debt": rng.uniform(0, 1, 300),
                      "city": rng.choice(["a", "b", "c"], 300)})
    score = 0.05 * (X["age"] - 45) - 3 * (X["debt"] - 0.5) + (X["city"] == "b")
    return X, (score + rng.logistic(size=300) > 0).astype(int).to_numpy(), np.exp(1 + 0.3 * score.to_numpy())


def _explanations():
    X, y, counts = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield "linear", SparseLinearClassifier().fit(X, y).explain_local(X.iloc[:7])
        yield "card", RiskScoreClassifier().fit(X, y).explain_local(X.iloc[:3])
        yield "rule list", BayesianRuleListClassifier(random_state=0, n_iter=500).fit(X, y).explain_local(X.iloc[:3])
        yield "poisson", SparseLinearRegressor(loss="poisson").fit(X, counts).explain_local(X.iloc[:2])
        yield "GAM", GAMRegressor(loss="poisson", random_state=0, outer_bags=2).fit(X, counts).explain_local(X.iloc[:2])
        teacher = SparseLinearRegressor().fit(X, counts)
        surrogate = LocalSurrogate(teacher, random_state=0, n_samples=200, n_holdout=50).fit(X)
        yield "local surrogate", surrogate.explain_local(X.iloc[:2])


@pytest.mark.parametrize("name, local", list(_explanations()), ids=lambda v: v if isinstance(v, str) else "")
def test_the_html_is_tables_with_headers_and_says_what_the_text_says(name, local):
    markup = local._repr_html_()
    assert "<pre" not in markup
    n_shown = min(len(local), 5)
    assert markup.count("<caption") == n_shown + (local.decision_path is not None)
    assert markup.count('<th scope="col"') >= 2 * n_shown
    content = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    for line in local.to_text().splitlines():
        if set(line.strip()) <= {"-", " "}:  # the text table's rule
            continue
        for word in line.split():
            assert word in content, (word, line)
    if len(local) > 5:
        assert f"{len(local) - 5} more rows" in content
