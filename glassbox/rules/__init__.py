from .bayesian_rule_list import BayesianRuleListClassifier  # noqa: F401
from .decision_set import DecisionSetClassifier  # noqa: F401
