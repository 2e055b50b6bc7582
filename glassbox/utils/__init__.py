"""Shared machinery: binning, conditions, validation, registry and checks."""

from .binning import FeatureBinner
from .conditions import ConditionGenerator
from .registry import all_estimators

__all__ = ["ConditionGenerator", "FeatureBinner", "all_estimators"]
