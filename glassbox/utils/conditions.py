"""Readable binary conditions generated from raw features, for rules and scorecards.

The generator bins each feature (quantile thresholds for numbers, levels for
categories) and offers, per feature, ``x >= t`` and ``x < t`` for each
threshold, ``x == level`` for each category, and ``x is missing`` when the
feature had missing values in training.  A missing value satisfies only
``is missing``.  A boolean feature's threshold is ``True``: its conditions
read ``smoker`` and ``not smoker``.

Each condition is "bin code in [lo, hi)" for one feature, which the compiled
kernels evaluate into a dense 0/1 matrix or into bitsets.
"""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._release_stamp import StampsRelease
from ..explain.terms import Condition
from ._conditions_fast import conditions_bitsets, conditions_dense
from ._fit_state import restores_state_on_failure
from ._sklearn_shim import Interval, StrOptions, validate_parameters
from ._threads import threads_for_work
from .binning import MAX_CATEGORIES, FeatureBinner
from .tabular import validate_tabular
from .validation import N_JOBS_CONSTRAINT


class ConditionGenerator(StampsRelease, TransformerMixin, BaseEstimator):
    """Generate readable binary conditions (``age >= 45``, ``purpose == car``).

    Parameters
    ----------
    max_thresholds : int, default=10
        Thresholds per numeric feature, at weighted quantiles (so at most
        ``2 * max_thresholds`` conditions per numeric feature).
    directions : {"both", "ge", "lt"}, default="both"
        Which threshold conditions to generate.
    categorical_features : "auto", None, array-like, default="auto"
        Which features are categorical (conditions ``feature == level``):
        ``"auto"`` takes pandas ``category``, ``object`` and string columns; a
        boolean mask, indices or names declare more features categorical,
        beside those; None declares none (a column holding text is then
        refused).
    max_categories : int, default=254
        A categorical feature with more levels is rejected with a message
        that names it (at most 254: a bin code is one byte).
    handle_unknown : {"warn", "ignore", "error"}, default="warn"
        A category unseen in training satisfies no ``==`` condition.
    missing : bool, default=True
        Generate ``x is missing`` for features with missing training values.
    n_jobs : int or None, default=None
        Threads for the compiled transform.
        None: the OpenMP limit (``OMP_NUM_THREADS``, ``threadpoolctl``), else
        every usable core; -1 likewise, -2 one fewer (see :ref:`threads`).

    Attributes
    ----------
    conditions_ : list of Condition
    binner_ : FeatureBinner
    condition_feature_ : ndarray of int
        Feature index of each condition.

    Examples
    --------
    >>> import numpy as np
    >>> from glassbox.utils import ConditionGenerator
    >>> X = np.array([[20.0], [35.0], [50.0], [65.0]])
    >>> gen = ConditionGenerator(max_thresholds=1).fit(X)
    >>> [str(c) for c in gen.conditions_]
    ['x0 >= 50', 'x0 < 50']
    >>> gen.transform(X).tolist()
    [[0, 1], [0, 1], [1, 0], [1, 0]]
    """

    _parameter_constraints = {
        "max_thresholds": [Interval(Integral, 1, 254, closed="both")],
        "directions": [StrOptions({"both", "ge", "lt"})],
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "max_categories": [Interval(Integral, 1, MAX_CATEGORIES, closed="both")],
        "handle_unknown": [StrOptions({"warn", "ignore", "error"})],
        "missing": ["boolean"],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        max_thresholds=10,
        directions="both",
        categorical_features="auto",
        max_categories=MAX_CATEGORIES,
        handle_unknown="warn",
        missing=True,
        n_jobs=None,
    ):
        self.max_thresholds = max_thresholds
        self.directions = directions
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.handle_unknown = handle_unknown
        self.missing = missing
        self.n_jobs = n_jobs

    @restores_state_on_failure
    def fit(self, X, y=None, sample_weight=None):
        """Choose thresholds and levels, and list the conditions."""
        validate_parameters(self)
        table = validate_tabular(self, X, reset=True, categorical_features=self.categorical_features)
        return self._fit_table(table, sample_weight)

    def _fit_table(self, table, sample_weight=None):
        self.binner_ = FeatureBinner(
            max_bins=self.max_thresholds + 1,
            max_categories=self.max_categories,
            handle_unknown=self.handle_unknown,
            subsample=None,
            n_jobs=self.n_jobs,
        )
        self.binner_.feature_names_in_ = getattr(self, "feature_names_in_", None)
        # the warning of unseen categories says what they do to the conditions, not to the bins a user never sees
        self.binner_._unseen_effect = "they satisfy no condition on it ({feature} == <level> is 0 at every level)"
        self.binner_._fit_table(table, sample_weight)
        conditions, feature, lo, hi = [], [], [], []

        def add(condition, j, a, b):
            conditions.append(condition)
            feature.append(j)
            lo.append(a)
            hi.append(b)

        for j, bins in enumerate(self.binner_.bins_):
            name = bins.feature
            if bins.kind == "categorical":
                for code, level in enumerate(bins.categories):
                    add(Condition(name, "==", level), j, code, code + 1)
            else:
                n_value = bins.n_value_bins
                for k, t in enumerate(bins.thresholds, start=1):
                    # a boolean feature's one threshold is True: the conditions print "smoker" / "not smoker"
                    value = True if bins.boolean else float(t)
                    if self.directions in ("both", "ge"):
                        add(Condition(name, ">=", value), j, k, n_value)
                    if self.directions in ("both", "lt"):
                        add(Condition(name, "<", value), j, 0, k)
            if self.missing and self.binner_.has_missing_[j]:
                add(Condition(name, "is missing"), j, bins.missing_bin, bins.missing_bin + 1)
        self.conditions_ = conditions
        self.condition_feature_ = np.asarray(feature, dtype=np.intp)
        self._lo = np.asarray(lo, dtype=np.intc)
        self._hi = np.asarray(hi, dtype=np.intc)
        return self

    @property
    def condition_names_(self):
        return [str(c) for c in self.conditions_]

    def _codes(self, X):
        check_is_fitted(self)
        table = validate_tabular(self, X, reset=False)
        return self.binner_._transform_table(table)

    def transform(self, X):
        """0/1 matrix (uint8, column-major) of shape (n_samples, n_conditions)."""
        return self.transform_codes(self._codes(X))

    def transform_codes(self, codes):
        """Evaluate the conditions on bin codes from ``binner_``."""
        out = np.zeros((codes.shape[0], len(self.conditions_)), dtype=np.uint8, order="F")
        conditions_dense(
            np.asfortranarray(codes), self.condition_feature_, self._lo, self._hi, out,
            threads_for_work(self.n_jobs, out.size),
        )
        return out

    def transform_bitsets(self, X):
        """Bitsets (uint64 of shape (n_conditions, ceil(n_samples / 64))): bit i = row i."""
        codes = self._codes(X)
        return self.bitsets_from_codes(codes)

    def bitsets_from_codes(self, codes):
        n_words = (codes.shape[0] + 63) // 64
        out = np.zeros((len(self.conditions_), n_words), dtype=np.uint64)
        conditions_bitsets(
            np.asfortranarray(codes), self.condition_feature_, self._lo, self._hi, out,
            threads_for_work(self.n_jobs, codes.shape[0] * len(self.conditions_)),
        )
        return out

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return np.asarray(self.condition_names_, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.transformer_tags.preserves_dtype = []  # always uint8 indicators
        return tags
