"""The build: every listed extension is compiled, and a missing one is explained."""

import ast
import importlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from glassbox import _check_build

ROOT = Path(__file__).resolve().parents[1]


def _extension_table():
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "EXTENSIONS":
            return [row[0] for row in ast.literal_eval(node.value)]
    raise AssertionError("setup.py has no EXTENSIONS table")


def test_every_extension_is_checked_at_import():
    assert sorted(_extension_table()) == sorted(_check_build._COMPILED)


@pytest.mark.parametrize("module", _check_build._COMPILED)
def test_every_extension_is_compiled(module):
    # An *_avx2_fast build runs AVX2 instructions as it loads, so it is only located, never
    # imported, here: CI machines without AVX2 must still pass (the GAM checks the CPU first).
    if module.endswith("_avx2_fast"):
        location = importlib.util.find_spec(module).origin
    else:
        location = importlib.import_module(module).__file__
    assert Path(location).suffix in (".so", ".pyd"), f"{module} is not a compiled module"
    source = ROOT / (module.replace(".", "/") + ".pyx")
    assert source.exists(), f"{module} has no .pyx source beside it"


def test_missing_extension_says_how_to_build(tmp_path):
    # Simulate a source tree that was never built: the .so files are hidden.
    code = (
        "import sys\n"
        "class HideCompiled:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.startswith('glassbox.') and name.endswith('_fast'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}')\n"
        "sys.meta_path.insert(0, HideCompiled())\n"
        "import glassbox\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0
    assert "pip install -e ." in result.stderr and "C compiler" in result.stderr


def _tracked_files(*paths):
    """The files git tracks under ``paths`` (all when none), or a skip where git cannot say.

    An unpacked sdist, which docs/install.rst tells users to test, is no git
    checkout, and its build box often has no git at all.
    """
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tracked = subprocess.run(["git", "ls-files", *paths], capture_output=True, text=True, cwd=ROOT).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    return tracked


def test_no_generated_files_are_tracked():
    tracked = _tracked_files()
    generated = [f for f in tracked if f.endswith((".c", ".so", ".pyd", ".cpp"))]
    assert not generated, f"generated build files are committed: {generated}"


def _setup_module():
    """setup.py as a module: its helpers, without running setup()."""
    pytest.importorskip("Cython")  # in the test extra; an isolated build leaves it out of the environment
    spec = importlib.util.spec_from_file_location("glassbox_setup", ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the OpenMP probe is tried on Linux only")
def test_a_compiler_without_openmp_builds_serial_kernels(tmp_path, monkeypatch, capsys):
    # a C compiler that rejects -fopenmp, as clang does without its OpenMP runtime
    compiler = tmp_path / "cc-without-openmp"
    compiler.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do [ "$arg" = -fopenmp ] && { echo "unsupported option -fopenmp" >&2; exit 1; }; done\n'
        'exec cc "$@"\n'
    )
    compiler.chmod(0o755)
    setup = _setup_module()
    monkeypatch.setenv("CC", str(compiler))
    monkeypatch.delenv("GLASSBOX_NO_OPENMP", raising=False)
    assert setup.openmp_supported(["-fopenmp"]) is False
    assert setup.openmp_flags() == []
    assert "cannot build OpenMP code" in capsys.readouterr().out


def test_openmp_can_be_switched_off(monkeypatch, capsys):
    setup = _setup_module()
    monkeypatch.setenv("GLASSBOX_NO_OPENMP", "1")
    assert setup.openmp_flags() == []
    assert "GLASSBOX_NO_OPENMP" in capsys.readouterr().out


def test_the_debug_build_regenerates_the_c_files(monkeypatch):
    # Cython does not count directives in its up-to-date check: an existing .c from an
    # optimised build would otherwise be compiled again, without the bounds checks.
    argv = ["setup.py", "build_ext", "--inplace"]
    monkeypatch.setenv("GLASSBOX_DEBUG", "1")
    debug = _setup_module().cythonize_options(argv=argv)
    assert debug["force"] is True
    assert debug["compiler_directives"]["boundscheck"] is True
    monkeypatch.delenv("GLASSBOX_DEBUG")
    setup = _setup_module()
    normal = setup.cythonize_options(argv=argv)
    assert normal["force"] is False and normal["compiler_directives"]["boundscheck"] is False
    # going back to the optimised build: --force reaches cythonize too
    assert setup.cythonize_options(argv=argv + ["--force"])["force"] is True


def test_the_sdist_carries_the_tests_and_no_build_products(tmp_path):
    # egg_info writes the file list an sdist is made from (.ci/run builds the sdist itself)
    pytest.importorskip("Cython")
    tracked = _tracked_files("tests", "docs", "examples", "conftest.py")
    result = subprocess.run([sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    listed = set(next(tmp_path.glob("*.egg-info")).joinpath("SOURCES.txt").read_text().split())
    built = sorted(name for name in listed if name.endswith((".c", ".so", ".pyd", ".pyc")))
    assert not built, f"build products would go into the sdist: {built[:10]}"
    missing = sorted(set(tracked) - listed)
    assert not missing, f"the sdist would lack {len(missing)} tracked files: {missing[:10]}"


@pytest.mark.parametrize("run_git_test", [
    lambda tmp_path: test_no_generated_files_are_tracked(),
    test_the_sdist_carries_the_tests_and_no_build_products,
], ids=["tracked", "sdist"])
def test_the_git_reading_tests_skip_where_git_is_not_installed(run_git_test, tmp_path, monkeypatch):
    pytest.importorskip("Cython")  # the sdist test skips first without it, which would prove nothing
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no git on PATH
    with pytest.raises(pytest.skip.Exception, match="git is not installed"):
        run_git_test(tmp_path)
