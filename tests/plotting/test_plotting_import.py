"""Importing glassbox (and its plotting package) must not import matplotlib."""

import subprocess
import sys

import glassbox.plotting


def test_import_does_not_load_matplotlib():
    code = "import sys, glassbox, glassbox.plotting; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_every_exported_name_is_a_display():
    assert {"LocalContributionDisplay", "ShapeFunctionDisplay"} <= set(glassbox.plotting.__all__)
    for name in glassbox.plotting.__all__:
        display = getattr(glassbox.plotting, name)
        assert name.endswith("Display") and hasattr(display, "plot"), name
