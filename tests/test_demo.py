"""``python -m glassbox demo`` fits every registered estimator and writes its outputs."""

import subprocess
import sys

import pytest

from glassbox.utils import all_estimators


def test_demo_runs_every_estimator(tmp_path):
    pytest.importorskip("matplotlib")
    result = subprocess.run(
        [sys.executable, "-m", "glassbox", "demo", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for name, _ in all_estimators():
        assert name in result.stdout
        assert (tmp_path / f"{name}.json").exists()
        assert (tmp_path / f"{name}_local.png").exists()
    assert "Output folder" in result.stdout


def test_demo_rejects_unknown_commands():
    result = subprocess.run([sys.executable, "-m", "glassbox", "nonsense"], capture_output=True, text=True)
    assert result.returncode != 0 and "invalid choice" in result.stderr
