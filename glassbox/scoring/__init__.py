"""Risk scores: sparse integer scorecards learned from raw data."""

from .risk_score import RiskScoreClassifier

__all__ = ["RiskScoreClassifier"]
