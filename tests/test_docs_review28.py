"""Docs pages whose code prints a figure show the figure that code prints."""

import contextlib
import io
import re
import warnings
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _code_block_with(page, marker):
    """The ``.. code-block:: python`` block of ``page`` that contains ``marker``, dedented."""
    lines = (DOCS / page).read_text().splitlines()
    for start, line in enumerate(lines):
        if line.strip() != ".. code-block:: python":
            continue
        block = []
        for line in lines[start + 1:]:
            if line.strip() and not line.startswith("    "):
                break
            block.append(line[4:])
        code = "\n".join(block).strip("\n")
        if marker in code:
            return code
    raise AssertionError(f"no code block with {marker!r} on {page}")


def test_linear_page_sparse_block_prints_the_difference_the_page_states():
    code = _code_block_with("linear.rst", "theirs = Lasso(alpha=1e-4)")
    shown = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    assert shown, "the block shows no output"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Lasso's ConvergenceWarning at its default tolerance is not the point
        exec(compile(code, "docs/linear.rst", "exec"), {})
    assert printed.getvalue().splitlines() == shown
    n_ours, n_theirs, difference = shown[-1].split()
    text = " ".join((DOCS / "linear.rst").read_text().split())
    stated = re.search(r"the same (\d+) nonzero coefficients \(largest difference ([0-9.e+-]+)", text)
    assert stated and stated.group(1) == n_ours == n_theirs, stated and stated.group(0)
    assert float(stated.group(2)) == float(difference), (stated.group(0), difference)


def _literal_blocks_after(page, marker, count):
    """The first ``count`` ``::`` literal blocks after ``marker`` on ``page``, each as its dedented lines."""
    text = (DOCS / page).read_text()
    lines = text[text.index(marker):].splitlines()
    blocks, position = [], 0
    while len(blocks) < count:
        position = next(i for i in range(position, len(lines)) if lines[i].rstrip().endswith("::")) + 1
        block = []
        for line in lines[position:]:
            if line.strip() and not line.startswith("    "):
                break
            block.append(line[4:].rstrip())
        blocks.append([line for line in block if line.strip()])
    return blocks


def test_rule_list_page_opening_shows_the_whole_printout_and_its_warning():
    harness = pytest.importorskip("benchmarks.harness")
    datasets = pytest.importorskip("benchmarks.datasets")
    try:
        data = harness.load_dataset("compas")
    except (FileNotFoundError, OSError, datasets.DatasetsUnavailable):
        pytest.skip("the shared datasets are not here")
    from sklearn.exceptions import ConvergenceWarning

    import glassbox

    marker = "On the training part of the COMPAS"
    text = (DOCS / "rule_list.rst").read_text()
    named = re.search(r"``(BayesianRuleListClassifier\([^`]*\))``", text[text.index(marker):]).group(1)
    code = _code_block_with("rule_list.rst", "print(clf.explain_global())            # the list above")
    assert f"clf = {named}.fit(X_train, y_train)" in code  # the code fits the model the prose names
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = eval(named, {"BayesianRuleListClassifier": glassbox.BayesianRuleListClassifier})
        model.fit(data.X_train, data.y_train)
    printed, shown_warning = _literal_blocks_after("rule_list.rst", marker, 2)
    assert printed == str(model.explain_global()).splitlines()  # header and R-hat line included
    emitted = [f"{w.category.__name__}: {w.message}" for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert emitted == [" ".join(shown_warning)]
