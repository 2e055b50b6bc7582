"""Explanation objects: typed, immutable, serialisable, and complete.

Global explanations recompute their model from their own content; local
explanations add up to the model's output row by row.
"""

from .base import GlobalExplanation
from .decision_path import DecisionPath
from .inference import CoefficientInference
from .linear import CoefficientTable, LinearTerm
from .links import Link
from .local import LocalExplanation
from .reasons import ReasonCodes, reason_codes
from .rules import Rule, RuleList, RuleSet
from .scorecard import Scorecard
from .shapes import ShapeEdit, ShapeFunctions, ShapeTerm
from .terms import Condition, FeatureBins

__all__ = [
    "CoefficientInference",
    "CoefficientTable",
    "Condition",
    "DecisionPath",
    "FeatureBins",
    "GlobalExplanation",
    "LinearTerm",
    "Link",
    "LocalExplanation",
    "ReasonCodes",
    "Rule",
    "RuleList",
    "RuleSet",
    "Scorecard",
    "ShapeEdit",
    "ShapeFunctions",
    "ShapeTerm",
    "reason_codes",
]
