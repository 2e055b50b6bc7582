"""The notebook (HTML) view of every global explanation is real table markup a screen reader can follow.

Each table has a caption, column headers ``<th scope="col">`` and row headers
``<th scope="row">``; no view is a ``<pre>`` of aligned text (its dash rules
and the scorecard's ``____`` blanks would be read aloud character by
character).  Every figure of ``to_frame()`` is in a cell.  The plain text is
unchanged.
"""

import warnings
from html.parser import HTMLParser

import numpy as np
import pytest

from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, GAMRegressor,
                      RiskScoreClassifier, SparseLinearClassifier)
from glassbox.explain._render import format_number, format_open_probability, html_table

from explain_fixtures import credit_applicants


class _Tables(HTMLParser):
    """The tables of a page: caption, column headers and rows of ``(tag, scope, text)`` cells; and every tag seen."""

    def __init__(self, page):
        super().__init__()
        self.tables, self.tags, self._cell, self._in_caption = [], [], None, False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": None, "header": [], "rows": [], "in_head": False})
        elif tag == "caption":
            self._in_caption, self.tables[-1]["caption"] = True, ""
        elif tag == "thead":
            self.tables[-1]["in_head"] = True
        elif tag == "tbody":
            self.tables[-1]["in_head"] = False
        elif tag == "tr" and not self.tables[-1]["in_head"]:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = [tag, attrs.get("scope"), ""]

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td"):
            table = self.tables[-1]
            (table["header"] if table["in_head"] else table["rows"][-1]).append(tuple(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data
        elif self._in_caption:
            self.tables[-1]["caption"] += data


def _accessible_tables(explanation, **options):
    """The explanation's HTML tables, checked for a caption, column headers and a row header per row."""
    page = explanation._repr_html_(**options)
    parsed = _Tables(page)
    assert "pre" not in parsed.tags and "--  --" not in page and "____" not in page
    assert parsed.tables
    for table in parsed.tables:
        assert table["caption"]
        assert table["header"] and all(tag == "th" and scope == "col" for tag, scope, _ in table["header"])
        for row in table["rows"]:
            assert len(row) == len(table["header"])
            assert [(tag, scope) for tag, scope, _ in row].count(("th", "row")) == 1
    return parsed.tables


def _column(table, name):
    return [row[[h[2] for h in table["header"]].index(name)][2] for row in table["rows"]]


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y)


def test_the_scorecard_is_two_tables_with_a_points_earned_column_to_fill_in():
    X, y = credit_applicants()
    card = _fit(RiskScoreClassifier(max_features=3), X, y).explain_global()
    points, risk = _accessible_tables(card)
    frame = card.to_frame().iloc[1:]  # the conditions; the intercept (row 0) is in the risk formula
    assert card.to_frame().loc[0, "condition"] == "(intercept)"
    assert _column(points, "condition") == list(frame["condition"])
    assert [int(p) for p in _column(points, "points")] == list(frame["points"])
    assert _column(points, "points earned (fill in)") == [""] * len(frame)  # empty cells, not "____"
    assert [row[1] for row in points["rows"]] == [("th", "row", c) for c in frame["condition"]]
    risk_frame = card.risk_frame()
    assert _column(risk, "SCORE") == [str(s) for s in risk_frame["score"]]
    assert _column(risk, "count") == [format_number(n) for n in risk_frame["count"]]
    assert "... ____" in str(card)  # the printed card keeps its blanks


def test_gam_shapes_are_one_captioned_table_per_term_with_every_score():
    X, y = credit_applicants()
    shapes = _fit(GAMClassifier(interactions=1, outer_bags=2, max_rounds=80, random_state=0), X, y).explain_global()
    tables = _accessible_tables(shapes, max_bins=None)
    frame = shapes.to_frame()
    captions = [table["caption"] for table in tables]
    assert sorted(caption.split("  (importance")[0] for caption in captions) == sorted(shapes.term_names)
    for name in shapes.term_names:
        table = next(t for t in tables if t["caption"].split("  (importance")[0] == name)
        cells = {text for row in table["rows"] for _, _, text in row}
        scores = frame.loc[frame["term"] == name, "score"]
        assert {format_number(s) for s in scores if s != 0} <= cells
    pair = next(t for t in tables if " x " in t["caption"])
    first, second = pair["caption"].split("  (importance")[0].split(" x ")
    assert pair["header"][0][2] == f"{first} (rows) by {second} (columns)"


def test_a_log_link_gams_table_has_relativities():
    X, _ = credit_applicants()
    counts = np.random.default_rng(0).poisson(np.exp(X["debt"]))
    shapes = _fit(GAMRegressor(loss="poisson", interactions=0, outer_bags=2, max_rounds=60, random_state=0),
                  X, counts).explain_global()
    for table in _accessible_tables(shapes, max_bins=None):
        assert [h[2] for h in table["header"]] == ["bin", "score", "relativity"]


def test_the_rule_list_is_a_table_of_its_rules_in_order():
    X, y = credit_applicants()
    rule_list = _fit(BayesianRuleListClassifier(max_rules=3, n_iter=300, random_state=0), X, y).explain_global()
    (table,) = _accessible_tables(rule_list)
    frame = rule_list.to_frame()
    rules = list(rule_list.rules) + [rule_list.default]
    assert _column(table, "rule") == [str(i + 1) for i in range(len(rule_list.rules))] + ["default"]
    for cell, conditions in zip(_column(table, "conditions")[:-1], frame["conditions"][:-1]):
        assert cell.endswith(conditions) and cell.split(" ")[0] in ("IF", "ELSE")
    event = rule_list.classes[1]
    probability = next(h[2] for h in table["header"] if h[2].startswith(f"P({event})"))
    assert [cell.split(" [")[0] for cell in _column(table, probability)] == [
        format_open_probability(r.probabilities[1]) for r in rules]
    assert _column(table, "support") == [format_number(s) for s in frame["support"]]


def test_the_coefficient_table_and_the_decision_set_head_their_rows():
    X, y = credit_applicants()
    table = _fit(SparseLinearClassifier(alpha=0.01), X, y).explain_global()
    (coefficients,) = _accessible_tables(table)
    frame = table.to_frame().set_index("term")
    for row in coefficients["rows"]:
        assert row[0][:2] == ("th", "row") and format_number(frame.loc[row[0][2], "coefficient"]) == row[1][2]
    rule_set = _fit(DecisionSetClassifier(max_rules=3, random_state=0, class_weight="balanced"), X, y).explain_global()
    (rules,) = _accessible_tables(rule_set)
    assert _column(rules, "IF") == [str(rule) for rule in rule_set.rules]


@pytest.mark.parametrize("row_header", [None, 0])
def test_the_table_helper_escapes_cells_and_heads_rows_only_when_asked(row_header):
    page = html_table(["level", "points"], [["a<b & c", "+1"], ["", "-2"]], caption="x < y", row_header=row_header)
    parsed = _Tables(page)
    (table,) = parsed.tables
    assert table["caption"] == "x < y" and "a&lt;b &amp; c" in page
    assert [text for _, _, text in table["rows"][0]] == ["a<b & c", "+1"]
    assert table["rows"][1][0][2] == ""
    expected = ("th", "row") if row_header == 0 else ("td", None)
    assert [cell[:2] for cell in table["rows"][0]] == [expected, ("td", None)]
