"""pytest settings that depend on the installed numpy (pyproject.toml cannot say "if")."""

import numpy as np


def pytest_configure(config):
    # ragged-array warnings are errors; numpy >= 1.25 keeps the class in numpy.exceptions, the
    # numpy floor (1.24) only at the top level, and a filter naming a missing module is ignored
    where = "numpy.exceptions" if hasattr(np, "exceptions") else "numpy"
    config.addinivalue_line("filterwarnings", f"error::{where}.VisibleDeprecationWarning")
