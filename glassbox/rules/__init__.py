from .bayesian_rule_list import BayesianRuleListClassifier  # noqa: F401
