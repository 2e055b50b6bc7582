"""Machinery shared by the sparse linear estimators: input, problem, fitted form.

A fit goes: validate the table (no missing values), build the design (numeric
terms and categorical indicators), standardize it with weighted statistics,
hand the standardized problem to the solver, and map the solution back to the
original units.  Predictions and explanations use the raw design times the
original-unit coefficients, so the global explanation (a
:class:`~glassbox.explain.CoefficientTable`) recomputes the model exactly.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.sparse import issparse
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d

from ..base import decision_in_blocks
from ..explain import CoefficientTable
from ..explain._equality import same_label
from ..explain._untrained import TrainingValues, warn_untrained_values
from ..utils._memory import physical_memory, size_text
from ..utils._sklearn_shim import Interval, StrOptions
from ..utils.tabular import Table, feature_names_of, flag_feature_names, has_positional_names, validate_tabular
from ..utils.validation import (
    MULTICLASS_MONOTONIC_REFUSAL, capped_list, check_monotonic_cst, check_sample_weight, labels_as_numpy,
    user_stacklevel,
)
from ._design import (build_design, centre_stored_columns, centring, check_reference_levels, column_moments,
                      csc_arrays, fit_statistics, flat_level_groups, sparse_fit_statistics,
                      standardize)
from ._l0_swaps import swap_search
from ._solver import Problem, covariance_mode, make_penalty, null_state, solve

# Largest |offset| / scale of a term for which the covariance mode multiplies the raw design
# (relative error about 2e-16 times it); beyond, it works on a centred copy.
_RAW_OFFSET_LIMIT = 1e4

COMMON_CONSTRAINTS = {
    "penalty": [StrOptions({"l1", "elasticnet", "l0"})],
    "l1_ratio": [Interval(Real, 0, 1, closed="both")],
    "ridge_alpha": [Interval(Real, 0, None, closed="left")],
    "max_features": [Interval(Integral, 1, None, closed="left"), None],
    "monotonic_cst": ["array-like", dict, None],
    "fit_intercept": ["boolean"],
    "standardize": ["boolean"],
    "categorical_features": ["array-like", StrOptions({"auto"}), None],
    "reference_levels": [dict, None],
    "basis": [StrOptions({"linear", "steps"})],
    "max_thresholds": [Interval(Integral, 1, 254, closed="both")],
    "local_search": ["boolean"],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="neither")],
}


def effective_alpha(model):
    """The ``alpha`` the model's coefficients were fitted at: a CV model's chosen ``alpha_``, else ``alpha``."""
    alpha = getattr(model, "alpha_", None)
    return float(model.alpha if alpha is None else alpha)


def effective_ridge(model):
    """The L2 strength ``ridge_alpha`` adds: it applies with ``penalty='l0'`` only (elastic net has ``l1_ratio``)."""
    return float(model.ridge_alpha) if model.penalty == "l0" else 0.0


def is_unpenalized(model):
    """Whether the fit leaves every kept coefficient unshrunk: no L2 part, and ``alpha`` 0 or an L0 penalty
    (which counts the terms but does not shrink a kept one)."""
    return (model.penalty == "l0" or effective_alpha(model) == 0) and effective_ridge(model) == 0


class FittedProblem:
    """A standardized problem plus what is needed to map solutions back."""

    # The validated rows, kept by a whole-data Poisson or Tweedie problem only: the check of terms without
    # claims builds the raw design from them once the fit is stored.
    table = None

    def __init__(self, problem, design, offsets, scales, signs):
        self.problem, self.design = problem, design
        self.offsets, self.scales, self.signs = offsets, scales, signs

    def original_units(self, coef, intercept):
        """Map standardized ``(n_blocks, n_terms)`` coefficients to original units."""
        original = coef / self.scales
        return original, intercept - original @ self.offsets


class SparseLinearBase:
    """Fitting and explanation code shared by the four sparse linear estimators."""

    _loss = "squared"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.categorical = True
        tags.input_tags.sparse = self.basis != "steps"  # step terms are dense columns
        return tags

    # -- input ----------------------------------------------------------------------
    def _validate_fit_input(self, X, y, sample_weight):
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        table = validate_tabular(
            self, X, reset=True, categorical_features=self.categorical_features, allow_missing=False,
            accept_sparse=True,
        )
        y = column_or_1d(labels_as_numpy(y), warn=True)  # boolean / Int64 labels keep their type
        check_consistent_length(table.numeric, y)
        y, weights = self._class_weighted(y, check_sample_weight(sample_weight, table.n_samples))
        return table, y, weights / weights.sum()

    def _class_weighted(self, y, weights):
        """``(y, weights)``: a classifier's classes of positive weight and ``class_weight`` (a regressor has none)."""
        return y, weights

    def _make_problem(self, table, Y, w, *, warn_constant=True, whole_data=True):
        """Design, standardization, constraints and solver problem for a validated table.

        ``whole_data=False`` for a cross-validation fold: a level or a
        step absent from the fold's rows shrinks its design, and a
        ``max_features`` valid for the whole data (checked there) is then
        capped at the fold's term count (:meth:`_max_nonzero`); a named
        reference level absent from the fold holds nothing there.
        """
        names = feature_names_of(self)
        positional_names = has_positional_names(self)
        feature_signs = check_monotonic_cst(self.monotonic_cst, names, is_categorical=self.is_categorical_,
                                            positional_names=positional_names)
        reference_levels = getattr(self, "reference_levels", None)
        if whole_data:
            reference_levels = check_reference_levels(reference_levels, table, w, self.fit_intercept,
                                                      positional_names)
        design = build_design(table, w, self.basis, self.max_thresholds, reference_levels)
        if design.n_terms == 0:
            raise ValueError("X has no usable term: every categorical column is empty.")
        if whole_data and self.max_features is not None and self.max_features > design.n_terms:
            raise ValueError(
                f"max_features={self.max_features} exceeds the {design.n_terms} terms of the model "
                f"({table.n_features} features, categorical ones expanded into one term per level"
                f"{', numeric ones into steps' if self.basis == 'steps' else ''}); "
                f"use max_features <= {design.n_terms} or None."
            )
        loss = self._problem_loss(Y)
        if loss == "multinomial" and feature_signs.any():
            raise ValueError(MULTICLASS_MONOTONIC_REFUSAL)
        Y = np.ascontiguousarray(Y, dtype=np.float64)
        # The row-space solver reads one contiguous column per term: the design is built in that layout
        # and standardized in place (one rows x terms array during the fit, not two); the covariance
        # mode reads the raw design as predictions do, in row order.
        covariance = covariance_mode(loss, Y.shape[0], table.n_samples, design.n_terms)
        raw = design.matrix(table, order="C" if covariance else "F")
        if issparse(raw):
            fitted = self._make_sparse_problem(design, raw, Y, w, loss, feature_signs)
        else:  # never overwrite the validated input itself (numeric features used as they are)
            fitted = self._make_dense_problem(design, raw, Y, w, loss, feature_signs, covariance,
                                              overwrite=not np.may_share_memory(raw, table.numeric))
        fitted.problem.power = self._loss_power()
        if self.fit_intercept and (fitted.problem.csc is None or design.sparse):  # sparse X: no indicators
            fitted.problem.flat_groups = flat_level_groups(design, fitted.offsets, fitted.scales)
        if warn_constant:
            _warn_constant_features(design)
        return fitted

    def _make_dense_problem(self, design, raw, Y, w, loss, feature_signs, covariance, overwrite=False):
        """The problem on a dense design: standardized (in place with ``overwrite``), or the raw design in
        covariance mode (``covariance``: the mode the caller chose the design's layout for, so the two agree)."""
        # the covariance mode takes X^T W y from the statistics pass, and the raw design as it is
        target = fit_statistics(design, raw, w, w * Y[0] if covariance else None)
        offsets, scales = self._checked_centring(design)
        # products with the raw design lose about eps * |offset| / scale: beyond the limit, a centred copy
        raw_products = covariance and np.max(np.abs(offsets) / scales, initial=0.0) <= _RAW_OFFSET_LIMIT
        if raw_products:
            Z = raw
        else:
            Z, offsets, scales = standardize(design, raw, center=self.fit_intercept, scale=self.standardize,
                                             overwrite=overwrite)
        signs = np.ascontiguousarray(feature_signs[design.sources], dtype=np.int8)
        zw, diag = column_moments(design, offsets, scales, w.sum())
        problem = Problem(Z=Z, Y=Y, w=w, signs=signs, fit_intercept=self.fit_intercept, loss=loss, moments=(zw, diag))
        if raw_products:
            problem.map_raw_design(offsets, scales, design.constant)
        if covariance:
            # sum_i w_i y_i (raw_ij - offset_j) / scale_j from the covariance about the means
            inverse = np.where(design.constant, 0.0, 1.0 / scales)
            problem.target_covariance = inverse * (target + (design.means - offsets) * float(w @ Y[0]))
        return FittedProblem(problem, design, offsets, scales, signs)

    def _make_sparse_problem(self, design, raw, Y, w, loss, feature_signs):
        """The problem on a sparse design: raw CSC columns, standardized implicitly by the sparse kernels."""
        raw = raw.tocsc()
        if not raw.has_canonical_format:  # duplicate entries would count twice in the column statistics
            raw = raw.copy()
            raw.sum_duplicates()
        sparse_fit_statistics(design, raw, w)
        offsets, scales = self._checked_centring(design)
        raw, kernel_offsets = centre_stored_columns(design, raw, w, offsets, scales)
        signs = np.ascontiguousarray(feature_signs[design.sources], dtype=np.int8)
        zw, diag = column_moments(design, offsets, scales, w.sum())
        problem = Problem(Z=raw, Y=Y, w=w, signs=signs, fit_intercept=self.fit_intercept, loss=loss,
                          moments=(zw, diag), csc=csc_arrays(raw))
        problem.map_raw_design(kernel_offsets, scales, design.constant)
        return FittedProblem(problem, design, offsets, scales, signs)

    def _checked_centring(self, design):
        """The solver's ``(offsets, scales)`` once the design's statistics are known sound."""
        _check_term_scales(design)
        return centring(design, center=self.fit_intercept, scale=self.standardize)

    def _problem_loss(self, Y):
        return self._loss

    def _loss_power(self):
        """The Tweedie power of the fitted loss (0 for the others)."""
        return 0.0

    def _explained_loss(self):
        """``(loss, power)`` recorded in the coefficient table: (None, None) unless a log-link loss."""
        return None, None

    def _max_nonzero(self, n_terms):
        return n_terms if self.max_features is None else min(int(self.max_features), n_terms)

    def _penalty(self, alpha):
        return make_penalty(self.penalty, alpha, self.l1_ratio, self.ridge_alpha)

    def _solve_at(self, fitted, alpha, state=None, *, warn=True):
        """Solve at one ``alpha`` (plus the L0 swap search); return ``(state, n_iter, n_swaps)``."""
        problem = fitted.problem
        state = null_state(problem) if state is None else state
        penalty = self._penalty(alpha)
        max_nonzero = self._max_nonzero(problem.n_terms)
        n_iter, _ = solve(problem, penalty, state, max_nonzero=max_nonzero, tol=self.tol,
                          max_iter=self.max_iter, warn=warn)
        n_swaps = 0
        if self.penalty == "l0" and self.local_search:
            n_swaps = swap_search(problem, penalty, state, max_nonzero=max_nonzero, tol=self.tol,
                                  max_iter=self.max_iter)
        return state, n_iter, n_swaps

    def _store(self, fitted, state, n_iter):
        """Fitted attributes from a standardized solution."""
        coef, intercept = fitted.original_units(state.coef, state.intercept)
        design = fitted.design
        self.terms_ = list(design.terms)
        self.term_names_ = design.term_names
        self.term_constraints_ = fitted.signs.copy()
        self.term_means_ = design.means.copy()
        self.term_stds_ = design.stds.copy()
        self.reference_levels_ = {term.feature: term.category for term, held in
                                  zip(design.terms, _reference_mask(design)) if held}
        self._design = design
        self.n_iter_ = int(n_iter)
        self._store_coefficients(coef, intercept)
        self.n_nonzero_ = int(np.any(np.atleast_2d(self.coef_) != 0, axis=0).sum())

    def _store_coefficients(self, coef, intercept):
        self.coef_ = coef[0]
        self.intercept_ = float(intercept[0])

    # -- the explanation contract ---------------------------------------------------
    def _coef_blocks(self):
        """Coefficients as (n_terms,) for one output or (n_terms, n_classes), C-ordered.

        C order, as a table restored from JSON holds them: ``coef_.T`` is a
        Fortran-ordered view, and NumPy sums the (rows, terms, classes)
        products in another order for it, so the model and its JSON copy
        differed in the last bits.
        """
        coef = np.asarray(self.coef_, dtype=np.float64)
        if coef.ndim == 2:
            return coef[0] if coef.shape[0] == 1 else np.ascontiguousarray(coef.T)
        return coef

    def _prepare(self, X):
        table, design = self._validated_design(X)
        if issparse(design):
            # a local explanation is a dense (rows x terms) table anyway
            check = _DenseTableCheck(self, design)
            check.refuse_beyond_memory()
            try:
                design = design.toarray()
            except MemoryError as error:
                raise MemoryError(check.message(None)) from error
            if issparse(table.numeric):  # sparse X: the explained rows are shown densely
                return design, Table(design, {}, table.is_categorical, table.feature_names).rows_as_objects()
        return design, table.rows_as_objects()

    def _validated_design(self, X):
        table = validate_tabular(self, X, reset=False, allow_missing=False, accept_sparse=True)
        design = self._design.matrix(table)
        self._warn_unseen_levels(table, design)
        return table, design

    def _decision_only(self, X, scale=None):
        """The decision function from the design a block of rows at a time: no display rows, no whole table.

        Sparse ``X``: one sparse product over its nonzeros, never a dense block (equal to
        ``explain_local``'s sum of dense contributions up to rounding, not bit for bit).
        """
        design = self._validated_design(X)[1]
        if issparse(design):
            coef, base = self._coef_blocks(), self._base_value()
            if scale is not None:
                coef, base = coef * scale, base * scale
            return base + design.tocsr() @ coef
        return decision_in_blocks(self._base_value(), design, self._term_contributions, scale)

    def _warn_unseen_levels(self, table, design):
        # A level without an indicator scores zero on all of the feature's indicators, as
        # the GAM scores its unseen bin zero; say so, as the GAM does, rather than stay silent
        # (in the words of the coefficient table, which warns so when loaded from JSON).
        terms, sources = self._design.terms, self._design.sources
        for j in np.flatnonzero(table.is_categorical):
            columns = [t for t, term in enumerate(terms) if term.category is not None and sources[t] == j]
            unseen = np.ones(table.n_samples, dtype=bool)
            if columns:
                block = design[:, columns]  # a row has at most one indicator of the feature set (sparse: stored)
                unseen = block.getnnz(axis=1) == 0 if issparse(block) else ~block.any(axis=1)
            warn_untrained_values(table.feature_names[j], False, table.categorical[j][unseen],
                                  unseen_effect=CoefficientTable.unseen_level_effect,
                                  trained=[terms[t].category for t in columns])

    def _training_values(self):
        """:class:`TrainingValues` of each categorical feature: the levels it has an indicator for.

        No feature had missing values in training (the estimator refuses them).
        """
        names = feature_names_of(self)
        return tuple(
            TrainingValues(names[j], False, [term.category for term in self.terms_
                                             if term.category is not None and term.feature == names[j]])
            for j in np.flatnonzero(self.is_categorical_)
        )

    def _term_contributions(self, prepared):
        coef = self._coef_blocks()
        return prepared * coef if coef.ndim == 1 else prepared[:, :, None] * coef[None, :, :]

    def _base_value(self):
        intercept = np.asarray(self.intercept_, dtype=np.float64)
        return intercept[0] if intercept.ndim == 1 and intercept.shape[0] == 1 else intercept

    def _relative_contributions(self, relative_to, base_value, contributions):
        """Contributions measured from the training mean of each term (``relative_to="mean"``).

        Takes over ``contributions`` when it owns its memory (``explain_local``'s, which it replaces
        with the result): shifted in place, so no second rows x terms array is made.
        """
        if relative_to != "mean":
            raise ValueError(f"relative_to must be None or 'mean', got {relative_to!r}.")
        coef = self._coef_blocks()
        shift = self.term_means_ * coef if coef.ndim == 1 else self.term_means_[:, None] * coef
        # _term_contributions returns a new array nothing else holds (glassbox/base.py): ours to shift
        if contributions.base is None and contributions.flags.writeable:
            relative = np.subtract(contributions, shift, out=contributions)
        else:
            relative = contributions - shift
        return base_value + shift.sum(axis=0), relative

    def _reference_terms(self):
        """Which terms are the named reference levels (``reference_levels_``), or None when none is named."""
        levels = getattr(self, "reference_levels_", None)  # models pickled before reference levels: none
        if not levels:
            return None
        return np.array([term.category is not None and term.feature in levels
                         and same_label(levels[term.feature], term.category) for term in self.terms_], dtype=bool)

    def explain_global(self):
        """The coefficient table: each term's coefficient in original units.

        Returns
        -------
        CoefficientTable
            Recomputes ``decision_function`` (``predict`` for regressors)
            exactly: ``intercept + sum_j coefficient_j * term_j(X)``.
        """
        check_is_fitted(self)
        coef = self._coef_blocks()
        stds = self.term_stds_ if coef.ndim == 1 else self.term_stds_[:, None]
        classes = getattr(self, "classes_", None)
        loss, power = self._explained_loss()
        return CoefficientTable(
            model=type(self).__name__,
            feature_names=tuple(feature_names_of(self)),
            flag_features=flag_feature_names(self),
            link=self._link(),
            classes=classes,
            base_value=self._base_value(),
            terms=tuple(self.terms_),
            coefficients=coef,
            standardized_coefficients=coef * stds,
            constraints=self.term_constraints_,
            term_means=self.term_means_,
            reference_terms=self._reference_terms(),
            term_scales=self.term_stds_,
            loss=loss,
            power=power,
            training_values=self._training_values(),
            class_weights=getattr(self, "_class_weight_factors", None),
        )

    def _term_features(self):
        """The feature each term reads (a level's term its categorical feature)."""
        return tuple((str(term.feature),) for term in self.terms_)


class _DenseTableCheck:
    """A local explanation of a sparse design (the indicators of a feature of many levels) is dense: the
    design as an array and the contributions beside it, rows x terms floats each (per class for the
    contributions of a multinomial model).  Refused before allocation when larger than the machine's
    memory, with the number of rows a batch can hold and the features whose levels make the terms."""

    def __init__(self, model, design):
        self.model, (self.n_rows, self.n_terms) = model, design.shape
        coef = np.asarray(model.coef_)
        self.n_outputs = coef.shape[0] if coef.ndim == 2 and coef.shape[0] > 1 else 1
        self.row_bytes = 8 * self.n_terms * (1 + self.n_outputs)
        self.total = self.n_rows * self.row_bytes

    def refuse_beyond_memory(self):
        available = physical_memory()
        if available is not None and self.total > available:
            raise MemoryError(self.message(available))

    def message(self, available):
        have = f"; this machine has {size_text(available)}" if available else ", more than could be allocated"
        batch = max(1, (available or self.total) // 4 // self.row_bytes)
        per_class = f" x {self.n_outputs} classes" if self.n_outputs > 1 else ""
        levels = {}
        for term in self.model._design.terms:
            if term.category is not None:
                levels[term.feature] = levels.get(term.feature, 0) + 1
        widest = sorted(levels.items(), key=lambda item: -item[1])[:3]
        named = ", ".join(f"{feature!r} {count} levels" for feature, count in widest)
        return (
            f"Explaining {self.n_rows} rows of {type(self.model).__name__} needs their contributions as a dense "
            f"{self.n_rows} x {self.n_terms}{per_class} table beside the design ({size_text(self.total)}){have}. "
            f"Explain the rows in batches of at most {batch} (and give reason codes a reference of at most that "
            "many rows); the model has a term per level of each categorical feature"
            + (f" ({named})" if named else "") + ": grouping rare levels makes fewer."
        )


def _reference_mask(design):
    """The named reference levels' terms (all False without any)."""
    return np.zeros(design.n_terms, dtype=bool) if design.reference is None else design.reference


def _check_term_scales(design):
    # A spread whose square overflows (or underflows to zero) in float64 would turn the
    # standardized design, and so every coefficient and prediction, into NaN without a word.
    bad = ~design.constant & ~(np.isfinite(design.stds) & (design.stds > 0) & np.isfinite(design.means))
    if bad.any():
        names = [term.name for term, b in zip(design.terms, bad) if b]
        ranges = getattr(design, "value_ranges", None)  # set by the dense statistics
        if ranges is None:
            spread = f"standard deviations {[float(s) for s in design.stds[bad]]}"
        else:  # their standard deviations came out 0 or NaN: the values say the scale
            spread = "values " + ", ".join(f"from {low:.3g} to {high:.3g}" for low, high in ranges[bad])
        raise ValueError(
            f"Features {names} vary on a scale float64 arithmetic cannot square ({spread}); rescale them to "
            "ordinary magnitudes (e.g. change their units, or use sklearn.preprocessing.StandardScaler) before "
            "fitting."
        )


def _warn_constant_features(design):
    # named as the unseen levels are, the first ten and a count: a wide one-hot sparse design often
    # has thousands of empty columns, which listed in full made a warning of tens of kilobytes per fit
    constant = [t.name for t, c in zip(design.terms, design.constant) if c and t.category is None]
    if constant:
        warnings.warn(
            f"Features {capped_list(constant)} are constant (among rows with positive weight); their coefficients "
            "stay at zero because the intercept already accounts for them. Drop them to silence this.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
