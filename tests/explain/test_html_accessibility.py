"""Notebook views of coefficient inference and surrogate reports: named tables with row headers, escaped text.

A screen reader announces a cell with its column and row headers and lists a
page's tables by caption (WCAG 1.3.1); names the user chose are text, never
markup.
"""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox import SparseLinearClassifier
from glassbox.linear import coefficient_inference
from glassbox.surrogate import fidelity_frontier, fidelity_report

MARKUP_NAME = '<b>bold</b> & "x"'
# the selection these tables are built from is the subject of its own warning, tested with inference
pytestmark = pytest.mark.filterwarnings("ignore:The 1 kept term was chosen")


def _captions(page):
    return re.findall(r"<caption[^>]*>(.*?)</caption>", page)


def _row_headers(page):
    return re.findall(r'<th scope="row"[^>]*>(.*?)</th>', page)


def _column_headers(page):
    return re.findall(r'<th scope="col"[^>]*>(.*?)</th>', page)


def _inference():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({MARKUP_NAME: rng.normal(size=200), "x2": rng.normal(size=200), "z": rng.normal(size=200)})
    y = (X["x2"] + rng.logistic(size=200) > 0).astype(int)
    model = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=1).fit(X, y)
    return coefficient_inference(model, X, y)


def test_inference_notes_escape_the_term_names_they_list():
    inference = _inference()
    assert any(MARKUP_NAME in term for term in inference.dropped_terms)  # the premise: a note names it
    page = inference._repr_html_()
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;x&quot;" in page


def test_inference_table_has_a_caption_and_terms_as_row_headers():
    page = _inference()._repr_html_()
    assert _captions(page) == ["Coefficients with their intervals"]
    assert _row_headers(page) == ["(intercept)", "x2"]


def test_inference_columns_of_the_two_scales_have_distinct_names():
    headers = _column_headers(_inference()._repr_html_())
    assert len(headers) == len(set(headers))
    assert "odds ratio 2.5%" in headers and "odds ratio 97.5%" in headers


def test_frontier_table_has_a_caption_saying_what_the_star_marks_and_row_headers():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    teacher = LogisticRegression().fit(X, y)
    frontier = fidelity_frontier(teacher, X, task="classification",
                                 students=[SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=k)
                                           for k in (1, 2)])
    page = frontier._repr_html_()
    (caption,) = _captions(page)
    assert "*" in caption and "chosen" in caption
    assert len(_row_headers(page)) == len(frontier.rows)


def test_fidelity_report_tables_are_captioned_with_row_headers():
    X = np.arange(40.0).reshape(-1, 1)
    report = fidelity_report(lambda Z: Z[:, 0] > 20, lambda Z: Z[:, 0] > 25, X, task="classification")
    page = report._repr_html_()
    assert _captions(page)[0] == "metrics"
    assert "agreement" in _row_headers(page)
    assert page.count("<table") == len(_captions(page))
