"""Minimal glassbox estimators for testing the foundation: a correct toy linear
model and deliberately broken variants, one per glassbox check."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from glassbox.base import GlassBoxClassifierMixin, GlassBoxRegressorMixin
from glassbox.explain import CoefficientTable, LinearTerm
from glassbox.explain.base import register_kind
from glassbox.utils._sklearn_shim import validate_parameters
from glassbox.utils.tabular import feature_names_of, validate_tabular
from glassbox.utils.validation import check_classification_target, check_monotonic_cst, check_regression_target, check_sample_weight


class _ToyLinear:
    """Weighted ridge least squares on the raw features, with sign constraints by clipping."""

    _parameter_constraints = {"alpha": [float, int], "monotonic_cst": ["array-like", dict, None]}

    def __init__(self, alpha=1.0, monotonic_cst=None):
        self.alpha = alpha
        self.monotonic_cst = monotonic_cst

    def _solve(self, X, targets, weights):
        names = feature_names_of(self)
        signs = check_monotonic_cst(self.monotonic_cst, names)
        Xc = np.column_stack([X, np.ones(len(X))])
        gram = Xc.T @ (Xc * weights[:, None]) + self.alpha * np.diag(np.r_[np.ones(X.shape[1]), 0.0])
        coef = np.linalg.solve(gram, Xc.T @ (targets * weights[:, None]))
        coef[:-1][signs > 0, :] = np.maximum(coef[:-1][signs > 0, :], 0)
        coef[:-1][signs < 0, :] = np.minimum(coef[:-1][signs < 0, :], 0)
        return coef, signs

    def _fit_table(self, X, y, sample_weight):
        validate_parameters(self)
        table = validate_tabular(self, X, reset=True, allow_missing=False, allow_categorical=False)
        weights = check_sample_weight(sample_weight, table.n_samples)
        self.term_names_ = feature_names_of(self)
        return table.numeric, weights

    def _prepare(self, X):
        table = validate_tabular(self, X, reset=False, allow_missing=False)
        return table.numeric, table.rows_as_objects()

    def _term_contributions(self, X):
        if self.coef_.ndim == 1:
            return X * self.coef_
        return X[:, :, None] * self.coef_[None, :, :]

    def _base_value(self):
        return np.asarray(self.intercept_, dtype=np.float64)

    def explain_global(self):
        names = feature_names_of(self)
        return CoefficientTable(
            model=type(self).__name__,
            feature_names=names,
            link=self._link(),
            classes=getattr(self, "classes_", None),
            base_value=self.intercept_,
            terms=[LinearTerm(n) for n in names],
            coefficients=self.coef_,
            standardized_coefficients=self.coef_,
            constraints=self.signs_,
        )


class ToyLinearRegressor(GlassBoxRegressorMixin, _ToyLinear, RegressorMixin, BaseEstimator):
    def fit(self, X, y, sample_weight=None):
        X, weights = self._fit_table(X, y, sample_weight)
        y = check_regression_target(y, X.shape[0])
        coef, self.signs_ = self._solve(X, y[:, None], weights)
        self.coef_, self.intercept_ = coef[:-1, 0], coef[-1, 0]
        return self


class ToyLinearClassifier(GlassBoxClassifierMixin, _ToyLinear, ClassifierMixin, BaseEstimator):
    def fit(self, X, y, sample_weight=None):
        X, weights = self._fit_table(X, y, sample_weight)
        self.classes_, encoded = check_classification_target(y, X.shape[0])
        if len(self.classes_) == 2:
            targets = (2.0 * encoded - 1.0)[:, None]
        else:
            targets = 2.0 * np.eye(len(self.classes_))[encoded] - 1.0
        coef, self.signs_ = self._solve(X, targets, weights)
        self.coef_ = coef[:-1, 0] if len(self.classes_) == 2 else coef[:-1]
        self.intercept_ = coef[-1, 0] if len(self.classes_) == 2 else coef[-1]
        return self


class BrokenAdditivity(ToyLinearRegressor):
    """Its prediction is not the sum of its contributions."""

    def predict(self, X):
        return super().predict(X) + 1e-3


class BrokenCompleteness(ToyLinearRegressor):
    """Its global explanation reports slightly wrong coefficients."""

    def explain_global(self):
        table = super().explain_global()
        return CoefficientTable(
            model=table.model, feature_names=table.feature_names, link=table.link, base_value=table.base_value,
            terms=table.terms, coefficients=table.coefficients * 1.0001,
            standardized_coefficients=table.standardized_coefficients, constraints=table.constraints,
        )


@register_kind
class _LossyTable(CoefficientTable):
    kind = "lossy_coefficient_table_for_tests"

    def _payload(self):
        payload = super()._payload()
        payload["coefficients"]["data"] = [round(v, 3) for v in payload["coefficients"]["data"]]
        return payload


class BrokenRoundTrip(ToyLinearRegressor):
    """Its explanation loses precision in JSON."""

    def explain_global(self):
        table = super().explain_global()
        return _LossyTable(
            model=table.model, feature_names=table.feature_names, link=table.link, base_value=table.base_value,
            terms=table.terms, coefficients=table.coefficients,
            standardized_coefficients=table.standardized_coefficients, constraints=table.constraints,
        )


class BrokenMonotonicity(ToyLinearRegressor):
    """It enforces each sign constraint the wrong way round."""

    def _solve(self, X, targets, weights):
        coef, signs = super()._solve(X, targets, weights)
        mask = signs != 0
        coef[:-1][mask, :] = -signs[mask][:, None] * (np.abs(coef[:-1][mask, :]) + 0.1)
        return coef, signs
