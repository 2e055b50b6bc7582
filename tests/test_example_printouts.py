"""What the teaching examples print shows what they promise: tables in full (pandas does not cut them to
``...``), and the decision-set example's conflicts section a real conflict between rules of different classes."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# pandas' marks of a table it shortened: "[3 rows x 8 columns]" under it, a "..." column between columns
_CUT_TABLE = re.compile(r"\[\d+ rows x \d+ columns\]|\S {2,}\.\.\. {2,}\S", re.MULTILINE)


def _printout(name, tmp_path):
    pytest.importorskip("matplotlib")
    env = {**os.environ, "MPLBACKEND": "Agg", "GLASSBOX_EXAMPLES_OUTPUT": str(tmp_path), "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, str(EXAMPLES / name)], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_decision_set_example_shows_a_conflict_and_its_whole_rule_table(tmp_path):
    text = _printout("plot_decision_set.py", tmp_path)
    counted = re.search(r"(\d+) of \d+ training wines are covered by rules of different classes, e\.g\.", text)
    assert counted and int(counted.group(1)) > 0, text
    assert "they conflict" in text
    assert "overlap other classes" in text and "conditions" in text  # the rule table's columns, all printed
    assert not _CUT_TABLE.search(text), _CUT_TABLE.search(text)


def test_the_explanations_example_prints_its_frame_whole(tmp_path):
    text = _printout("plot_explanations.py", tmp_path)
    assert re.search(r"^ +term +bin +score +density$", text, re.MULTILINE)  # the frame's columns, all printed
    assert not _CUT_TABLE.search(text), _CUT_TABLE.search(text)
