"""glassbox benchmark harness (not part of the installed package)."""
