"""Every examples/plot_*.py runs as a script, quickly, and saves its figures.

Select these with ``python -m pytest tests/test_examples.py`` or ``-k example_scripts``.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("plot_*.py"))
TIME_LIMIT = 60.0  # seconds per example


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_scripts_run(script, tmp_path):
    pytest.importorskip("matplotlib")
    # one OpenMP thread for the peers' code (scikit-learn's gradient boosting): under pytest -n 2 the
    # other worker already holds a core, and OpenMP threads that spin-wait on a busy machine took a
    # 4-second example past a minute; glassbox's own kernels take their thread count from n_jobs
    env = {**os.environ, "MPLBACKEND": "Agg", "GLASSBOX_EXAMPLES_OUTPUT": str(tmp_path / "figures"),
           "OMP_NUM_THREADS": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=5 * TIME_LIMIT
    )
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, f"{script.name} failed:\n{result.stderr[-3000:]}"
    assert elapsed < TIME_LIMIT, f"{script.name} took {elapsed:.0f} s; examples must run in under {TIME_LIMIT:.0f} s"
    figures = list((tmp_path / "figures").glob("*.png"))
    assert figures, (
        f"{script.name} saved no figure to $GLASSBOX_EXAMPLES_OUTPUT; save figures there so the docs gallery shows them"
    )
