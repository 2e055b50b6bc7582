"""The notebook view of reason codes carries what their text says, in a table a screen reader can follow."""

import html
import re
import warnings
from html.parser import HTMLParser

import pytest

from glassbox import BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier
from glassbox.explain import reason_codes


@pytest.fixture(scope="module")
def heart(read_shared_csv):
    frame = read_shared_csv("heart.csv")
    return frame.drop(columns="heart_disease"), frame["heart_disease"].to_numpy()


class _Cells(HTMLParser):
    """The text of each table row's cells, and the tags met."""

    def __init__(self):
        super().__init__()
        self.rows, self.tags, self._cell = [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parsed(markup):
    parser = _Cells()
    parser.feed(markup)
    return parser


def _text_content(markup):
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _fitted(name, X, y):
    make = {"risk score": lambda: RiskScoreClassifier(),
            "rule list": lambda: BayesianRuleListClassifier(random_state=0),
            "decision set": lambda: DecisionSetClassifier(random_state=0),
            "GAM": lambda: GAMClassifier(interactions=1, random_state=0)}[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make().fit(X, y)


@pytest.mark.parametrize("name", ["risk score", "rule list", "decision set", "GAM"])
def test_every_word_and_figure_of_the_text_is_in_the_html(heart, name):
    X, y = heart
    model = _fitted(name, X, y)
    rows = X.loc[[87, 166, 302, 0, 1]]  # 87, 166 and 302 miss ca or thal
    codes = reason_codes(model, rows, reference=X, adverse=1)
    text, markup = codes.to_text(), codes._repr_html_()
    content = _text_content(markup)
    for line in text.splitlines():
        line = re.sub(r"^\s*\d+\. ", "", line.strip())  # the rank is a column of its own
        line = line.replace(" compared with the ", " ")  # the sentence's glue: the column heads say it
        for word in re.split(r"[\s;,()]+", line):
            assert word.rstrip(":") in content, (word, line)
    cells = _parsed(markup).rows
    for i in range(len(codes)):  # every row is in the table, with its prediction, reasons or not
        label = str(codes.explanation.row_label(i))
        lines = [row for row in cells[1:] if row[0] == label]
        assert lines and all(row[1] == f"predicted {codes.explanation.prediction[i]}" for row in lines)
        if not (codes.ranked[i] >= 0).any():
            assert len(lines) == 1 and lines[0][3].startswith("no adverse reason")


def test_the_risk_scores_missing_value_notes_and_the_rule_lists_why_are_in_their_rows(heart):
    X, y = heart
    card = _fitted("risk score", X, y)
    codes = reason_codes(card, X.loc[[166]], reference=X, adverse=1)
    cells = _parsed(codes._repr_html_()).rows
    assert "ca is missing: scored as not ca >= 1" in cells[1][-1]
    rules = _fitted("rule list", X, y)
    codes = reason_codes(rules, X.loc[[87, 166]], reference=X, adverse=1)
    cells = _parsed(codes._repr_html_()).rows
    assert all(any(cell.startswith("why: ") for cell in row) for row in cells[1:])
    assert any("(ca is missing)" in row[-1] for row in cells[1:])


def test_the_table_has_a_caption_and_column_headers(heart):
    X, y = heart
    codes = reason_codes(_fitted("risk score", X, y), X.iloc[:8], reference=X, adverse=1)
    parsed = _parsed(codes._repr_html_())
    tags = [tag for tag, _ in parsed.tags]
    assert tags.count("table") == 1 and "caption" in tags and "pre" not in tags
    assert sum(tag == "th" and attrs.get("scope") == "col" for tag, attrs in parsed.tags) == len(parsed.rows[0])
    headers = parsed.rows[0]
    assert headers[:4] == ["row", "prediction", "rank", "reason"] and headers[-3:] == ["this row", "best", "notes"]
    assert "3 more" in _text_content(codes._repr_html_())  # 8 rows, 5 shown: the caption says where the rest are
    assert all(len(row) == len(headers) for row in parsed.rows)
