"""The README's commands and quickstart stay true."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _bash_blocks():
    return re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def test_readme_has_exactly_two_setup_commands():
    blocks = [b.strip() for b in _bash_blocks()]
    assert len(blocks) == 2, "the README promises exactly two set-up commands"
    assert "python -m glassbox demo" in blocks[0]
    assert "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = _bash_blocks()[1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_quickstart_runs(tmp_path, monkeypatch):
    code = re.findall(r"```python\n(.*?)```", README, flags=re.S)[0]
    import glassbox

    needed = re.findall(r"from glassbox import (\w+)", code)
    missing = [name for name in needed if not hasattr(glassbox, name)]
    if missing:
        pytest.fail(f"the README quickstart uses {missing}, which glassbox does not export")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README quickstart", "exec"), {})
