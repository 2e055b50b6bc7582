"""Plots of glassbox explanations, in scikit-learn's Display style.

Each display has ``from_estimator(estimator, X=None, ...)``,
``from_explanation(explanation, ...)`` and ``plot(ax=None, ...)``, and keeps
the axes and figure it drew on in ``ax_`` and ``figure_``.  matplotlib is
imported only when something is drawn: importing this package does not import
it.

Families add displays as modules of this package (``linear.py``,
``rules.py``, ...) with an ``__all__``; every public module found here is
imported and its ``__all__`` re-exported, so a new display needs no edit of
this file.  Such modules must import matplotlib inside functions only.
"""

import importlib
import pkgutil

from .local import LocalContributionDisplay
from .shape import ShapeFunctionDisplay

__all__ = ["LocalContributionDisplay", "ShapeFunctionDisplay"]


def _export_family_displays():
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_") or module_info.name in ("local", "shape"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name in getattr(module, "__all__", ()):
            globals()[name] = getattr(module, name)
            if name not in __all__:
                __all__.append(name)


_export_family_displays()
del _export_family_displays
