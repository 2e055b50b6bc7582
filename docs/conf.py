"""Sphinx configuration of the glassbox documentation.

Build: ``python -m sphinx -b html docs docs/_build/html`` (or ``make -C docs html``).
The API reference, the list of family pages and the examples gallery are
written from the code at build time by ``_ext/glassbox_docs.py``.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

import glassbox  # noqa: E402  (the package must be installed: pip install -e ".[docs]")

project = "glassbox"
author = "glassbox developers"
copyright = "glassbox developers"
version = release = glassbox.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "glassbox_docs",
]

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]
root_doc = "index"

# The pages of each object are written by glassbox_docs; autosummary only draws the tables.
autosummary_generate = False
autodoc_default_options = {"member-order": "groupwise"}
autodoc_typehints = "none"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# Examples are run to show their figures; GLASSBOX_DOCS_RUN_EXAMPLES=0 skips that.
glassbox_run_examples = os.environ.get("GLASSBOX_DOCS_RUN_EXAMPLES", "1") != "0"

html_theme = "alabaster"
html_title = f"glassbox {version}"
html_theme_options = {
    "description": "Glass-box models for scikit-learn",
    "fixed_sidebar": True,
    "page_width": "1100px",
    "sidebar_width": "240px",
}
html_static_path = []
