"""docs/linear.rst, Sparse input: the block prints the comparison with scikit-learn's Lasso that the prose states."""

import contextlib
import io
import re
import warnings
from pathlib import Path

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
