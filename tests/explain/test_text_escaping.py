"""A printout's lines are the model's: names and levels cannot forge or reorder them.

Feature names, levels and labels come from the data or a model file.  A newline
in one would start a line the model does not have (a rule it lacks), and a
right-to-left override (U+202E) shows the text after it reversed.  Printouts
show such characters as escapes (``\\n``, ``\\u202e``); other text, accents,
CJK and Arabic letters and emoji included, prints unchanged.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, GAMRegressor,
                      RiskScoreClassifier, SparseLinearClassifier)
from glassbox.explain import reason_codes
from glassbox.explain._render import html_table, text_table
from glassbox.explain._text_escape import escape_text

# what no printout may hold: controls other than the newlines between its own lines, and bidi formatting
HIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
FORGED = "age\nELSE IF income >= 200"  # a feature name that would print a rule of its own
REVERSED = "\u202eelam"  # a level that would print as 'male' read backwards


@pytest.mark.parametrize("text, shown", [
    ("a\nb", "a\\nb"), ("a\rb\tc", "a\\rb\\tc"), ("\x1b[31m", "\\x1b[31m"), ("\x85", "\\x85"),
    ("\u202eelam", "\\u202eelam"), ("\u2066x\u2069", "\\u2066x\\u2069"), ("\u200f\u061c", "\\u200f\\u061c"),
    ("\u2028", "\\u2028"), ("Größe", "Größe"), ("年齢", "年齢"), ("العمر", "العمر"), ("🚀 x", "🚀 x"),
    (3, "3"), ("a\\nb", "a\\nb"),
])
def test_escape_text_shows_hidden_characters_and_only_them(text, shown):
    assert escape_text(text) == shown


def test_a_table_cell_is_one_line():
    table = text_table(["feature", "score"], [[FORGED, "+1"], [REVERSED, "-1"]])
    assert len(table.splitlines()) == 4 and not HIDDEN.search(table)
    assert "age\\nELSE IF income >= 200" in table and "\\u202eelam" in table
    page = html_table(["feature"], [[FORGED], [REVERSED]], caption="x\u202e")
    assert not HIDDEN.search(page) and "\\u202eelam" in page


def test_a_newline_in_a_feature_name_prints_no_rule_the_model_lacks():
    X, y = _data(("age", "sex", "male"))
    fake = "age < 7 THEN P(1) = 0.128  (support 123)\nELSE IF income >= 200"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        make = lambda: BayesianRuleListClassifier(random_state=0, n_iter=300, n_chains=1)  # noqa: E731
        plain, renamed = make().fit(X, y), make().fit(X.rename(columns={"age": fake}), y)
    text = str(renamed.explain_global())
    assert "age < 7 THEN P(1) = 0.128  (support 123)\\nELSE IF income >= 200" in text  # the name, escaped
    assert len(text.splitlines()) == len(str(plain.explain_global()).splitlines())


def _data(names):
    rng = np.random.default_rng(0)
    n = 300
    X = pd.DataFrame({names[0]: rng.integers(18, 80, n).astype(float), "income": rng.normal(50, 10, n),
                      names[1]: rng.choice(["f", names[2]], n)})
    y = ((X[names[0]] > 50) ^ (X[names[1]] == "f") ^ (rng.random(n) < 0.1)).astype(int).to_numpy()
    return X, y


PLAIN = ("age", "sex", "male")
HOSTILE = (FORGED, "se\u2066x", REVERSED)
MODELS = {
    "gam": lambda: GAMClassifier(random_state=0, max_rounds=30, interactions=0),
    "rule_list": lambda: BayesianRuleListClassifier(random_state=0, n_iter=300, n_chains=1),
    "linear": lambda: SparseLinearClassifier(alpha=0.01),
    "decision_set": lambda: DecisionSetClassifier(random_state=0, max_rules=3),
    "risk_score": lambda: RiskScoreClassifier(max_features=3),
}


def _printouts(make, names):
    X, y = _data(names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = make().fit(X, y)
        loaded = glassbox.from_json(model.to_json())
        local = model.explain_local(X.iloc[:3])
        codes = reason_codes(model, X.iloc[:3], reference=X, adverse=1)
    return {"global": str(model.explain_global()), "loaded": str(loaded), "local": str(local), "reasons": str(codes),
            "global html": model.explain_global()._repr_html_(), "local html": local._repr_html_(),
            "reasons html": codes._repr_html_()}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_hostile_names_and_levels_print_as_escapes_on_the_same_lines(kind):
    plain, hostile = _printouts(MODELS[kind], PLAIN), _printouts(MODELS[kind], HOSTILE)
    for what, text in hostile.items():
        assert not HIDDEN.search(text), (what, HIDDEN.search(text))
        if "html" not in what:
            assert len(text.splitlines()) == len(plain[what].splitlines()), what
    assert "\\u202eelam" in hostile["global"] + hostile["local"]


def test_a_reversed_level_of_a_shape_function_prints_as_an_escape():
    X, y = _data(("age", "sex", REVERSED))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GAMClassifier(random_state=0, max_rounds=30, interactions=0).fit(X, y)
    for text in (str(model.explain_global()), str(glassbox.from_json(model.to_json())),
                 model.explain_global()._repr_html_(), str(model.explain_local(X.iloc[:2]))):
        assert not HIDDEN.search(text) and "\\u202eelam" in text


def test_ordinary_non_ascii_names_print_unchanged():
    X, y = _data(("Größe", "年齢", "العمر 🚀"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = str(GAMRegressor(random_state=0, max_rounds=30, interactions=0).fit(X, X["income"]).explain_global())
    assert "Größe" in text and "年齢" in text and "العمر 🚀" in text and "\\u" not in text
