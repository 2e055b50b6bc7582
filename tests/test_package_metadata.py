"""The package metadata in pyproject.toml says what the package supports."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is in the standard library from 3.11")


def _project():
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_python_classifiers_list_each_minor_version_from_the_floor():
    project = _project()
    floor = re.fullmatch(r">=\s*3\.(\d+)", project["requires-python"])
    assert floor, f"requires-python {project['requires-python']!r} is not the '>=3.N' this test reads"
    minors = sorted(int(m) for c in project["classifiers"]
                    for m in re.findall(r"^Programming Language :: Python :: 3\.(\d+)$", c))
    # installers and indexes show these; they start at the floor and leave no gap
    assert minors and minors[0] == int(floor.group(1)), minors
    assert minors == list(range(minors[0], minors[-1] + 1)), minors
    assert minors[0] <= sys.version_info.minor <= minors[-1], (
        f"the tests run on Python 3.{sys.version_info.minor}, which the classifiers do not list")
    assert "Programming Language :: Python :: 3 :: Only" in project["classifiers"]


def test_license_is_an_spdx_expression_with_its_file_and_a_setuptools_that_reads_it():
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = pyproject["project"]
    # the table form ({text = ...}) is deprecated: setuptools stops building it after 2027-02-18
    assert project["license"] == "BSD-3-Clause"
    assert project["license-files"] == ["LICENSE"] and (ROOT / "LICENSE").is_file()
    floor = {"build": pyproject["build-system"]["requires"], "test extra": project["optional-dependencies"]["test"]}
    for where, requirements in floor.items():
        setuptools = [r for r in requirements if r.startswith("setuptools")]
        assert setuptools == ["setuptools>=77"], (where, setuptools)  # the first release to read the SPDX form
