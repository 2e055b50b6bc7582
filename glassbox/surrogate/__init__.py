"""Surrogates: distill black boxes into glass boxes and measure how faithful the copy is.

- :func:`fidelity_report` compares any student with any teacher;
- :class:`DistilledClassifier` / :class:`DistilledRegressor` train a glassbox
  student on a teacher's outputs;
- :func:`fidelity_frontier` maps fidelity against complexity across families;
- :class:`LocalSurrogate` explains single predictions with a sparse local
  linear model (LIME-style), with its local fidelity.
"""

from .distill import DistilledClassifier, DistilledRegressor
from .fidelity import FidelityReport, fidelity_report
from .frontier import FidelityFrontier, complexity_of, fidelity_frontier
from .local import LocalFits, LocalSurrogate
from ._students import DISTILLATION_SETTINGS, distillation_student

__all__ = [
    "DistilledClassifier",
    "DistilledRegressor",
    "FidelityFrontier",
    "FidelityReport",
    "LocalFits",
    "LocalSurrogate",
    "DISTILLATION_SETTINGS",
    "complexity_of",
    "distillation_student",
    "fidelity_frontier",
    "fidelity_report",
]
