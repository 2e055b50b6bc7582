"""Printouts quote a feature name or a text level that could be misread, and only those.

A flag named ``Alter >= 65`` printed bare makes ``Alter < 56 AND Alter >= 65``
read as an empty rule; a level ``North AND South`` reads as two conditions; the
text level ``"3"`` and the number ``3`` print alike; a level ``"missing"`` reads
as the missing bin; a flag named ``default`` reads as the fall-back rule.  Such
names print in backticks and such levels as their literal, in every family's
text and HTML, global and local.
"""

import re

import numpy as np
import pandas as pd
import pytest

from explain_fixtures import PRINTOUT_FAMILIES

from glassbox import DecisionSetClassifier
from glassbox.explain import Condition, FeatureBins
from glassbox.explain._render import value_text
from glassbox.explain._text_escape import is_plain_token, name_text
from glassbox.explain.decision_path import failure_text

N = 400

FAMILIES = PRINTOUT_FAMILIES


def _printouts(make, X, y):
    model = make().fit(X, y)
    glob, local = model.explain_global(), model.explain_local(X.iloc[:6])
    return [str(glob), glob._repr_html_(), str(local), local._repr_html_()]


def _fit_data(column, values, signal):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"noise": rng.normal(size=N), column: values})
    y = np.where(signal ^ (rng.random(N) < 0.03), "yes", "no")
    return X, y


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_flag_named_like_a_condition_prints_in_backticks(family):
    rng = np.random.default_rng(1)
    flag = rng.random(N) < 0.5
    X, y = _fit_data("Alter >= 65", flag, flag)
    texts = _printouts(FAMILIES[family], X, y)
    # the input line of every family, and the conditions of the rule and card families
    assert "`Alter &gt;= 65`=" in texts[3] and "`Alter >= 65`=" in texts[2]
    if family in ("rule_list", "decision_set", "risk_score"):
        assert "`Alter >= 65`" in texts[0] and "`Alter &gt;= 65`" in texts[1]
        for text in texts[:1] + texts[2:3]:
            assert "Alter >= 65" not in text.replace("`Alter >= 65`", "")


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_levels_with_separators_or_reading_as_numbers_print_as_literals(family):
    rng = np.random.default_rng(2)
    levels = np.array(["North AND South", "3", 3, "Köln"], dtype=object)
    region = pd.Series(levels[rng.integers(0, 4, N)], dtype=object)
    signal = (region == "North AND South").to_numpy() | (region.map(lambda v: v == "3" and isinstance(v, str)))
    X, y = _fit_data("region", region, np.asarray(signal, dtype=bool))
    texts = _printouts(FAMILIES[family], X, y)
    text = texts[0] + texts[2]
    assert "== North AND South" not in text and "=North AND South" not in text
    if family == "gam":  # both 3s are bins of the shape, told apart
        assert "'3'" in texts[0] and "\n  3 " in texts[0]
    # a row holding the text "3" and a row holding the number 3, each on the input line as what it is
    model = FAMILIES[family]().fit(X, y)
    text_three = int(np.flatnonzero(region.map(lambda v: isinstance(v, str) and v == "3"))[0])
    number_three = int(np.flatnonzero(region.map(lambda v: not isinstance(v, str) and v == 3))[0])
    local = str(model.explain_local(X.iloc[[text_three, number_three]]))
    assert "region='3'" in local and re.search(r"region=3(,|\n)", local)
    north = int(np.flatnonzero(region == "North AND South")[0])
    assert "region='North AND South'" in str(model.explain_local(X.iloc[[north]]))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_level_named_missing_is_told_from_a_missing_value(family):
    rng = np.random.default_rng(3)
    levels = np.array(["missing", "rot", np.nan], dtype=object)
    colour = pd.Series(levels[rng.integers(0, 3, N)], dtype=object)
    X, y = _fit_data("Farbe", colour, (colour == "missing").to_numpy())
    if family == "linear":  # a linear model takes no missing values
        X["Farbe"] = X["Farbe"].fillna("rot")
    model = FAMILIES[family]().fit(X, y)
    rows = [int(np.flatnonzero(X["Farbe"].to_numpy() == "missing")[0])]
    if family != "linear":
        rows.append(int(np.flatnonzero(X["Farbe"].isna().to_numpy())[0]))
    local = str(model.explain_local(X.iloc[rows]))
    assert "Farbe='missing'" in local
    if family != "linear":
        assert "Farbe=missing" in local  # the NaN row
    glob = str(model.explain_global())
    assert "'missing'" in glob
    if family == "gam":
        labels = [line.split()[0] for line in glob.splitlines() if line.startswith("  ") and "Farbe" not in line]
        assert "'missing'" in labels and "missing" in labels


@pytest.mark.parametrize("family", ["rule_list", "decision_set", "risk_score"])
def test_a_flag_named_default_is_told_from_the_default_rule(family):
    rng = np.random.default_rng(4)
    flag = rng.random(N) < 0.4
    X, y = _fit_data("default", flag, flag)
    model = FAMILIES[family]().fit(X, y)
    glob, local = model.explain_global(), model.explain_local(X.iloc[:20])
    names = glob.term_names
    assert any("`default`" in name for name in names)
    if family != "risk_score":
        assert names[-1] == "default" and names.count("default") == 1
    assert "`default`" in str(glob) and "`default`=" in str(local)


def test_a_column_named_like_a_number_prints_in_backticks():
    rng = np.random.default_rng(5)
    year = rng.normal(size=N)
    X, y = _fit_data("2020", year, year > 0.3)
    text = str(DecisionSetClassifier(random_state=0).fit(X, y).explain_global())
    assert "`2020` >= " in text and "\n2020 " not in text


@pytest.mark.parametrize("name, shown", [
    ("age", "age"), ("Größe (cm)", "Größe (cm)"), ("年龄", "年龄"), ("hours per week", "hours per week"),
    ("notes", "notes"), ("Alter >= 65", "`Alter >= 65`"), ("income >50K", "`income >50K`"), ("2020", "`2020`"),
    ("default", "`default`"), ("(intercept)", "`(intercept)`"), ("base value", "`base value`"),
    ("a, b", "`a, b`"), ("x IF y", "`x IF y`"), ("not smoker", "`not smoker`"), ("a x b", "`a x b`"),
    (" age", "` age`"), ("", "``"), ("a`b", "`a``b`"), ("True", "`True`"), ("nan", "`nan`"),
])
def test_name_text_quotes_exactly_the_names_that_could_be_misread(name, shown):
    assert name_text(name) == shown


@pytest.mark.parametrize("level", ["3", "-1.5", "1e5", "nan", "inf", "True", "None", "missing", "unseen",
                                   "", " a", "a ", "x == y", "a, b", "A AND B", "a\nb"])
def test_text_levels_that_could_be_misread_print_as_literals(level):
    assert not is_plain_token(level)
    assert str(Condition("c", "==", level)) == f"c == {level!r}"
    assert value_text(level) == repr(level)


@pytest.mark.parametrize("quoted", ["'3'", '"3"', "'a", 'b"'])
def test_a_level_with_a_quote_mark_at_an_end_is_told_from_the_quoted_level(quoted):
    assert str(Condition("x", "==", quoted)) == f"x == {quoted!r}" != str(Condition("x", "==", quoted.strip("'\"")))
    assert value_text(quoted) == repr(quoted)
    assert str(Condition("name", "==", "O'Brien")) == "name == O'Brien"  # a quote inside misleads no one


def test_plain_levels_and_numbers_print_bare():
    assert str(Condition("Ort", "==", "Köln")) == "Ort == Köln"
    assert str(Condition("purpose", "==", "other")) == "purpose == other"  # no bin of the library is "other"
    assert str(Condition("c", "==", 3)) == "c == 3"
    assert FeatureBins("c", "categorical", categories=["3", 3, "missing", "rot"]).bin_labels() == [
        "'3'", "3", "'missing'", "rot", "missing", "unseen"]
    assert value_text(float("nan")) == "missing" and value_text("Mitte") == "Mitte"


def test_the_why_line_quotes_the_row_value():
    line = failure_text(Condition("Farbe", "==", "rot"), "missing", "false")
    assert line == "Farbe == rot is false (Farbe = 'missing')"
    assert failure_text(Condition("Farbe", "==", "rot"), np.nan, "missing") == "Farbe == rot is false (Farbe is missing)"
