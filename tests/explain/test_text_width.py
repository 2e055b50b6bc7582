"""Printed tables pad by display width: wide and combining characters keep the columns in line."""

import numpy as np
import pandas as pd
import pytest

import glassbox as gb
from glassbox.explain._render import text_table
from glassbox.explain._text_width import display_width

NAMES = ["年龄", "age", "\N{GRINNING FACE} score", "Cafe\u0301", "城市 == 上海"]


def _column_starts(line, cells):
    """Display column where each cell of ``line`` starts."""
    starts, at = [], 0
    for cell in cells:
        at = line.index(cell, at)
        starts.append(display_width(line[:at]))
        at += len(cell)
    return starts


@pytest.mark.parametrize("name", NAMES)
def test_columns_start_at_the_same_display_column(name):
    rows = [["age", "-0.296", "yes"], [name, "+2.773", "no"]]
    lines = text_table(["term", "coefficient", "nonzero"], rows).splitlines()
    assert _column_starts(lines[2], rows[0]) == _column_starts(lines[3], rows[1])
    assert display_width(lines[1].split("  ")[0]) == max(display_width("term"), display_width(name), 3)


def test_display_width_counts_wide_as_two_and_combining_as_none():
    assert [display_width(n) for n in NAMES] == [4, 3, 8, 4, 12]


def test_a_fitted_models_printout_keeps_its_numbers_under_the_header():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"年龄": rng.normal(size=200), "age": rng.normal(size=200)})
    y = (X["年龄"] - X["age"] + rng.normal(scale=0.5, size=200) > 0).astype(int)
    lines = str(gb.SparseLinearClassifier(alpha=0.01).fit(X, y).explain_global()).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("term"))
    at = display_width(lines[header][:lines[header].index("coefficient")])
    for line in lines[header + 2:header + 4]:
        name = line.split("  ")[0]
        rest = line[len(name):]
        assert display_width(name) + len(rest) - len(rest.lstrip()) == at
