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



@pytest.mark.parametrize("only", ["BayesianRuleList,DecisionSet", "NoSuchModel", ","])
def test_demo_rejects_unknown_estimator_names(only, tmp_path, capsys):
    # A misspelt or partial name used to run nothing and exit 0.
    from glassbox.demo import main

    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--only", only, "--out", str(out)])
    assert exit_info.value.code == 2
    message = capsys.readouterr().err
    assert "unknown estimator name" in message
    for name, _ in all_estimators():  # the message lists the valid names
        assert name in message
    assert not out.exists()  # rejected before anything is written
