"""Minimal glassbox students for the surrogate tests: exact weighted least squares
and a Newton-fitted logistic regression, numeric input only.  They keep the
glassbox contract, so the surrogate code is tested on the same API the
families expose."""

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from glassbox.base import GlassBoxClassifierMixin, GlassBoxRegressorMixin
from glassbox.explain import CoefficientTable, LinearTerm
from glassbox.utils.tabular import feature_names_of, validate_tabular
from glassbox.utils.validation import check_classification_target, check_sample_weight


def _weighted_design(table, weights):
    X = table.numeric
    means = np.average(X, axis=0, weights=weights)
    return X, means


class _ToyLinear:
    def _prepare(self, X):
        table = validate_tabular(self, X, reset=False, allow_categorical=False, allow_missing=False)
        return table.numeric, table.rows_as_objects()

    def _term_contributions(self, X):
        return X * self.coef_

    def _base_value(self):
        return np.asarray(self.intercept_, dtype=np.float64)

    def explain_global(self):
        names = feature_names_of(self)
        return CoefficientTable(
            model=type(self).__name__, feature_names=names, link=self._link(),
            classes=getattr(self, "classes_", None), base_value=self._base_value(),
            terms=tuple(LinearTerm(n) for n in names), coefficients=self.coef_,
            standardized_coefficients=self.coef_, constraints=np.zeros(len(names), dtype=np.int8),
        )


class ToyLinearRegressor(_ToyLinear, GlassBoxRegressorMixin, RegressorMixin, BaseEstimator):
    def __init__(self, alpha=1e-10):
        self.alpha = alpha

    def fit(self, X, y, sample_weight=None):
        table = validate_tabular(self, X, reset=True, allow_categorical=False, allow_missing=False)
        w = check_sample_weight(sample_weight, table.n_samples)
        A = np.column_stack([np.ones(table.n_samples), table.numeric])
        gram = A.T @ (A * w[:, None]) + self.alpha * np.eye(A.shape[1])
        beta = np.linalg.solve(gram, A.T @ (w * np.asarray(y, dtype=float)))
        self.intercept_, self.coef_ = beta[0], beta[1:]
        self.term_names_ = feature_names_of(self)
        return self


class ToyLogisticClassifier(_ToyLinear, GlassBoxClassifierMixin, ClassifierMixin, BaseEstimator):
    def __init__(self, alpha=1e-6):
        self.alpha = alpha

    def fit(self, X, y, sample_weight=None):
        table = validate_tabular(self, X, reset=True, allow_categorical=False, allow_missing=False)
        w = check_sample_weight(sample_weight, table.n_samples)
        self.classes_, encoded = check_classification_target(y, binary_only=True)
        A = np.column_stack([np.ones(table.n_samples), table.numeric])
        beta = np.zeros(A.shape[1])
        for _ in range(50):
            p = expit(A @ beta)
            gradient = A.T @ (w * (p - encoded)) + self.alpha * beta
            hessian = A.T @ (A * (w * p * (1 - p))[:, None]) + self.alpha * np.eye(A.shape[1])
            step = np.linalg.solve(hessian, gradient)
            beta -= step
            if np.abs(step).max() < 1e-10:
                break
        self.intercept_, self.coef_ = beta[0], beta[1:]
        self.term_names_ = feature_names_of(self)
        return self
