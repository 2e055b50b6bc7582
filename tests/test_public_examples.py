"""Every public class and function has a docstring example, and the suite runs it.

The examples themselves run as doctests: pyproject.toml's pytest options collect
``glassbox/`` with ``--doctest-modules`` (ELLIPSIS, NORMALIZE_WHITESPACE).  This
file checks the part that collection cannot: that each public name *has* an
Examples section, and that doctest finds it in the module the name is defined in
(a docstring doctest does not find, e.g. of an object re-exported under another
module, would never run).
"""

import doctest
import importlib
import inspect
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PUBLIC_MODULES = (
    "glassbox", "glassbox.explain", "glassbox.plotting", "glassbox.surrogate", "glassbox.linear",
    "glassbox.gam", "glassbox.rules", "glassbox.scoring", "glassbox.utils", "glassbox.base",
)
# Allow-list of names whose example is still being written (xfail while missing,
# reported XPASS once it lands; then remove them here).  Empty: every name has one.
EXAMPLES_PENDING = set()


def _public_objects():
    """``{qualified public name: object}`` of every class and function in a public ``__all__``, first name kept."""
    found, seen = {}, set()
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if id(obj) in seen or not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            seen.add(id(obj))
            found[f"{module_name}.{name}"] = obj
    return found


PUBLIC = _public_objects()


def _marks(name):
    short = name.rsplit(".", 1)[1]
    if short in EXAMPLES_PENDING:
        return [pytest.mark.xfail(reason=f"{short}'s example is pending", strict=False)]
    return []


def test_the_suite_runs_docstring_examples_of_the_package():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    options = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "glassbox" in options["testpaths"]
    assert "--doctest-modules" in options["addopts"].split()
    assert {"ELLIPSIS", "NORMALIZE_WHITESPACE"} <= set(options["doctest_optionflags"])


def test_the_public_names_are_collected():
    # the 57 public objects less the constants (DISTILLATION_SETTINGS): a shrinking list would hide names
    assert len(PUBLIC) >= 56, sorted(PUBLIC)


@pytest.mark.parametrize("name", [pytest.param(n, marks=_marks(n)) for n in sorted(PUBLIC)])
def test_public_name_has_an_example_the_suite_runs(name):
    obj = PUBLIC[name]
    docstring = inspect.getdoc(obj) or ""
    assert "\nExamples\n--------\n" in docstring and ">>>" in docstring, f"{name} has no Examples section"
    module = importlib.import_module(obj.__module__)
    source = Path(module.__file__).resolve()
    assert source.is_relative_to(REPO / "glassbox") and source.name != "__main__.py", source
    tests = doctest.DocTestFinder().find(module)
    qualified = f"{module.__name__}.{obj.__qualname__}"
    assert any(test.name == qualified and test.examples for test in tests), (
        f"doctest does not collect {qualified}'s example from {source.relative_to(REPO)}"
    )
