"""Global explanation of linear models: the coefficient table."""

from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

import numpy as np
from scipy.sparse import issparse

from ._checks import check_limit, require_length, require_shape
from ._class_weight import FittedWithClassWeights
from ._columns import RawColumns, as_float, flags_as_float, is_missing
from ._hand_edits import warn_hand_edited
from ._render import class_text, count_text, factor_text, format_number, html_block, html_lines, html_table, text_table
from ._serialize import decode_array, decode_optional_array, encode_array, encode_optional_array, frozen_array
from ._text_escape import name_text
from .base import INTERCEPT_TERM, GlobalExplanation, register_kind
from .shapes import unique_term_names
from ._untrained import WarnsOfUntrainedValues
from .terms import Condition, format_value


@dataclass(frozen=True)
class LinearTerm:
    """One column of a linear model's design: a numeric feature, an indicator
    ``feature == category`` for a level of a categorical feature, or a step
    ``feature >= threshold`` (1 at and above the threshold, else 0) of a numeric one.
    ``boolean`` marks a numeric feature fitted as a flag (0/1): its values must be
    False / True (0 / 1) or missing, as the estimator requires.

    Examples
    --------
    >>> import pandas as pd
    >>> from glassbox import SparseLinearRegressor
    >>> from glassbox.explain import LinearTerm
    >>> X = pd.DataFrame({"rooms": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "city": ["a", "b", "a", "b", "a", "b"]})
    >>> model = SparseLinearRegressor(alpha=0.0).fit(X, 10 + 2 * X["rooms"] + 3 * (X["city"] == "b"))
    >>> [term.name for term in model.explain_global().terms]
    ['rooms', 'city == a', 'city == b']
    >>> model.explain_global().terms[1] == LinearTerm("city", category="a")
    True
    >>> LinearTerm("income", threshold=50_000).name
    'income >= 50000'
    """

    feature: str
    category: object = None
    threshold: object = None
    boolean: bool = False

    @property
    def condition(self):
        """The 0/1 condition this term indicates, or None for a numeric feature used as it is."""
        if self.category is not None:
            return Condition(self.feature, "==", self.category)
        if self.threshold is not None:
            return Condition(self.feature, ">=", self.threshold)
        return None

    @property
    def name(self):
        # A numeric feature's name prints as a condition's does (name_text), so a column named 'Alter >= 65'
        # is not read as the step term of a feature 'Alter' in a table that lists both kinds of term.
        condition = self.condition
        return name_text(self.feature) if condition is None else str(condition)

    def values(self, columns):
        raw = columns.column(self.feature)
        condition = self.condition
        if condition is None:
            return (flags_as_float(raw, self.feature) if self.boolean
                    else as_float(raw, self.feature, position=columns.array_position(self.feature)))
        return condition.evaluate_column(raw, columns.array_position(self.feature)).astype(np.float64)

    def to_dict(self):
        condition = self.condition
        if condition is not None:
            return condition.to_dict()
        # written only for flags, so payloads of other models (and older ones) read as before
        return {"feature": self.feature, "boolean": True} if self.boolean else {"feature": self.feature}

    @classmethod
    def from_dict(cls, payload):
        if "value" in payload and "op" not in payload:  # a condition's term that lost its test, not a plain feature
            raise KeyError("op")
        if "op" in payload:
            condition = Condition.from_dict(payload)
            if condition.op == ">=":
                return cls(condition.feature, threshold=condition.value)
            return cls(condition.feature, condition.value)
        return cls(payload["feature"], boolean=bool(payload.get("boolean", False)))


class _TermLayout(NamedTuple):
    """Where a coefficient table's terms read their values, worked out once per table (see ``_layout``)."""

    positions: np.ndarray  # each term's feature's position in feature_names
    plain: np.ndarray  # the terms that are a numeric feature used as it is (no condition, not a flag)
    plain_features: tuple  # their features, in the order of ``plain``
    others: np.ndarray  # the remaining terms: indicators, steps and flags
    conditioned: bool  # whether any term is an indicator or a step (else a sparse X is one product)
    most_levels: int  # the most indicator terms of one categorical feature (0 without any)


# A table with a categorical of at least this many levels recomputes its decision by one lookup per row
# (a model of so many indicators is stored and predicted sparse by its estimator too).
_LOOKUP_MIN_LEVELS = 64


@register_kind
@dataclass(frozen=True, kw_only=True, eq=False)
class CoefficientTable(FittedWithClassWeights, WarnsOfUntrainedValues, GlobalExplanation):
    """Coefficients of a linear model in the units of the original features.

    ``decision_function(X) = base_value + sum_j coefficients[j] * term_j(X)``.

    Attributes
    ----------
    terms : tuple of LinearTerm
    coefficients : ndarray of shape (n_terms,) or (n_terms, n_classes)
        Coefficients in original units.
    standardized_coefficients : ndarray, same shape
        Coefficients per standard deviation of each term (comparable sizes).
    constraints : ndarray of int8, shape (n_terms,)
        Sign constraint of each term: +1 (>= 0), -1 (<= 0) or 0 (free).  A
        table read from JSON whose coefficient breaks its term's constraint
        is refused.
    term_means : ndarray of shape (n_terms,) or None
        Weighted training mean of each term, for contributions reported
        relative to an average row.
    reference_terms : ndarray of bool, shape (n_terms,), or None
        The levels named as their feature's base (the estimator's
        ``reference_levels``): held at coefficient 0 (relativity 1) in the
        fit, so the feature's other levels read against them.  None when no
        level was named (each categorical's reference level is then the one
        the fit holds at 0, chosen by the data).
    term_scales : ndarray of shape (n_terms,) or None
        Training standard deviation of each term, the factor from a
        coefficient to its standardized size: ``standardized_coefficients``
        is ``coefficients * term_scales`` (per class).  A table read from JSON
        recomputes the standardized coefficients from it, so a coefficient
        edited in the file ranks by its edited size, with a warning naming it.
        None in payloads written before it was recorded: an edit is then found
        only where the stored standardized coefficient cannot be the edited
        coefficient's (another sign, zero beside a nonzero coefficient, or an
        indicator's scale read from its mean), and a standardized size that
        cannot be recomputed is NaN (printed ``n/a``).
    loss : str or None
        The log-link loss the model was fitted with (``"poisson"``,
        ``"gamma"`` or ``"tweedie"``), None for squared error and classifiers.
        With the log link the coefficients are log-relativities: the table
        also shows ``relativity = exp(coefficient)``, the factor on the
        predicted mean per unit of a numeric term (for the level, flag or step
        of an indicator term), and ``exp(intercept)`` as the base rate.
    power : float or None
        The Tweedie power (``loss="tweedie"`` only).
    training_values : tuple of TrainingValues or None
        The levels each categorical feature had in training, so that the
        table (a model loaded from JSON, say) warns of a level it has no
        indicator for, a number sent as text included, as the estimator does
        and in the same words (None in payloads written before it was
        recorded: no warning).  A missing value in any feature is refused, as
        by the estimator, whatever the payload's age.
    class_weights : ndarray or None
        Factor each class's rows were weighted by in the fit (``class_weight``),
        in the order of ``classes``; None without class weights (and in
        payloads written before it was recorded).  When set, the table says
        that its probabilities are those of the class-weighted sample.

    Examples
    --------
    >>> import pandas as pd
    >>> from glassbox import SparseLinearRegressor
    >>> X = pd.DataFrame({"rooms": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "city": ["a", "b", "a", "b", "a", "b"]})
    >>> model = SparseLinearRegressor(alpha=0.0).fit(X, 10 + 2 * X["rooms"] + 3 * (X["city"] == "b"))
    >>> table = model.explain_global()
    >>> print(table)
    SparseLinearRegressor: coefficient table
    intercept: 13
    intercept and coefficient x term add up to the prediction, in the units of the target
    2 of 3 terms nonzero (sorted by standardized size)
    <BLANKLINE>
    term       coefficient  standardized  constraint  nonzero
    ---------  -----------  ------------  ----------  -------
    rooms      2            3.416                     yes
    city == a  -3           -1.5                      yes
    city == b  0            0                         no
    >>> table.to_frame()[["term", "coefficient", "nonzero"]].round(6)  # the intercept first: every number
              term  coefficient  nonzero
    0  (intercept)         13.0     True
    1        rooms          2.0     True
    2    city == a         -3.0     True
    3    city == b          0.0    False
    """

    # the one-line summary, not the dataclass repr of every array (the decorator would write one)
    __repr__ = GlobalExplanation.__repr__

    kind = "coefficient_table"
    unseen_level_effect = "they score zero on every indicator of that feature"

    terms: tuple
    coefficients: np.ndarray
    standardized_coefficients: np.ndarray
    constraints: np.ndarray
    term_means: np.ndarray = None
    reference_terms: np.ndarray = None
    term_scales: np.ndarray = None
    loss: str = None
    power: float = None

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "terms", tuple(self.terms))
        object.__setattr__(self, "coefficients", frozen_array(self.coefficients, np.float64))
        object.__setattr__(
            self, "standardized_coefficients", frozen_array(self.standardized_coefficients, np.float64)
        )
        object.__setattr__(self, "constraints", frozen_array(self.constraints, np.int8))
        object.__setattr__(self, "term_means", frozen_array(self.term_means, np.float64))
        object.__setattr__(self, "reference_terms", frozen_array(self.reference_terms, bool))
        object.__setattr__(self, "term_scales", frozen_array(self.term_scales, np.float64))
        if self.power is not None:
            object.__setattr__(self, "power", float(self.power))
        n_terms = len(self.terms)  # arrays of other lengths would load, then crash the printout and to_frame
        require_shape(self.coefficients, (n_terms,) + self.base_value.shape, "coefficients",
                      f"{n_terms} terms and base_value of shape {self.base_value.shape}")
        require_shape(self.standardized_coefficients, self.coefficients.shape, "standardized_coefficients",
                      "coefficients")
        for name in ("constraints", "term_means", "reference_terms", "term_scales"):
            require_length(getattr(self, name), n_terms, name, "terms")

    def _check_loaded(self):
        super()._check_loaded()
        # the printout gives each constraint (">= 0"): the coefficients must keep it, as the fit keeps it exactly
        signs = np.asarray(self.constraints, dtype=np.int64)
        coefficients = self.coefficients.reshape(len(self.terms), -1)
        for name, sign, row in zip(self.term_names, signs, coefficients):
            if sign not in (-1, 0, 1):
                raise ValueError(f"the constraint of term {name!r} is {int(sign)}, where it must be -1, 0 or +1")
            if np.any(sign * row < 0):
                bound = ">= 0" if sign > 0 else "<= 0"
                raise ValueError(f"term {name!r} is constrained to a coefficient {bound}, but its coefficient is "
                                 f"{format_number(row[0]) if row.size == 1 else row.tolist()}")
        if self.term_scales is not None and not np.all(np.isfinite(self.term_scales) & (self.term_scales >= 0)):
            raise ValueError(f"term_scales holds {self.term_scales[~(self.term_scales >= 0)][:1].tolist() or 'inf'}, "
                             "where a term's training standard deviation is a finite number >= 0")
        if self.term_scales is not None:  # a coefficient near 1e308: a row one scale from another overflows
            with np.errstate(over="ignore", invalid="ignore"):
                sizes = np.abs(coefficients) * self.term_scales[:, None]
            if not np.isfinite(sizes).all():
                j = int(np.flatnonzero(~np.isfinite(sizes).all(axis=1))[0])
                raise ValueError(f"the coefficient of term {self.term_names[j]!r} ({coefficients[j].tolist()}) times "
                                 f"its training scale ({float(self.term_scales[j])!r}) overflows float64: predictions "
                                 "of ordinary rows would be infinite; a coefficient of ordinary size is needed")

    def _reconciled(self):
        """The table with the standardized coefficients of coefficients edited in the file recomputed, and one
        warning naming them.  With ``term_scales`` every edit is found and recomputed; a payload written
        before them shows only edits no scale can explain (another sign, zero beside a nonzero coefficient,
        classes that disagree), recomputed for indicators (scale from the training mean), else NaN."""
        n_terms = len(self.terms)
        coefficients = self.coefficients.reshape(n_terms, -1)
        stored = self.standardized_coefficients.reshape(n_terms, -1)
        if self.term_scales is not None:
            expected = coefficients * self.term_scales[:, None]
            edited = ~np.isclose(stored, expected, rtol=1e-12, atol=0.0).all(axis=1)
        else:
            edited = _cannot_be_standardized(coefficients, stored)
            with np.errstate(invalid="ignore"):
                expected = np.where(coefficients == 0, 0.0, coefficients * _indicator_scales(self)[:, None])
        if not edited.any():
            return self
        rebuilt = np.where(edited[:, None], expected, stored)
        lost = edited & np.isnan(rebuilt).any(axis=1)
        warn_hand_edited(self, "coefficient table", "the coefficients of " + ", ".join(
                             repr(self.term_names[j]) for j in np.flatnonzero(edited)),
                         recomputed=["standardized_coefficients (and the order of the printed terms)"]
                         if (edited & ~lost).any() else (),
                         unavailable=["the standardized coefficients of " + ", ".join(
                             repr(self.term_names[j]) for j in np.flatnonzero(lost)) + " (n/a: no term_scales)"]
                         if lost.any() else ())
        return replace(self, standardized_coefficients=rebuilt.reshape(self.coefficients.shape))

    @cached_property
    def _layout(self):
        """The terms' positions and kinds, found once per table (a name lookup per term and call would cost
        a table of p features O(p^2) on every prediction).  Derived from the fields: not part of equality,
        pickle or JSON."""
        position = {name: j for j, name in enumerate(self.feature_names)}
        plain = [t for t, term in enumerate(self.terms) if term.condition is None and not term.boolean]
        return _TermLayout(
            positions=np.array([position[term.feature] for term in self.terms], dtype=np.intp),
            plain=np.array(plain, dtype=np.intp),
            plain_features=tuple(self.terms[t].feature for t in plain),
            others=np.setdiff1d(np.arange(len(self.terms)), plain).astype(np.intp),
            conditioned=any(term.condition is not None for term in self.terms),
            most_levels=max(Counter(t.feature for t in self.terms if t.category is not None).values(), default=0),
        )

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_layout", None)  # derived: rebuilt on first use
        return state

    @property
    def relativities(self):
        """``exp(coefficients)`` of a log-link model (the factor each term puts on the mean), else None."""
        return np.exp(self.coefficients) if self.link.name == "log" else None

    @property
    def reference_levels(self):
        """``{feature: level}`` of the named base levels (empty when none was named)."""
        if self.reference_terms is None:
            return {}
        return {t.feature: t.category for t, held in zip(self.terms, self.reference_terms) if held}

    @property
    def term_names(self):
        """One unique name per term (a numeric column named ``c == u`` beside level ``u`` of ``c``
        gets ``c == u (2)``), as the model's ``term_names_``."""
        return unique_term_names([(t.name,) for t in self.terms])

    def design(self, X_or_columns):
        """The model's design matrix ``(n_samples, n_terms)`` for raw input."""
        columns = X_or_columns if isinstance(X_or_columns, RawColumns) else RawColumns(X_or_columns, self.feature_names)
        layout = self._layout
        design = np.empty((columns.n_samples, len(self.terms)))
        if len(layout.plain):  # the numeric features, read as one block
            design[:, layout.plain] = columns.numbers(layout.plain_features)
        for t in layout.others:
            design[:, t] = self.terms[t].values(columns)
        return design

    def decision_function(self, X):
        """Recompute the model's decision function from this table alone.

        A scipy.sparse ``X`` on a table of plain numeric terms (a model fitted on
        sparse input) is one sparse product, without the dense
        ``(n_samples, n_terms)`` table of contributions.
        """
        if issparse(X) and not self._layout.conditioned:
            RawColumns(X[:1], self.feature_names)  # the shape check and its message
            X = X.tocsc()
            if not np.isfinite(X.data).all():
                self._refuse_sparse_non_finite(X)
            return self.base_value + np.asarray(X[:, self._layout.positions] @ self.coefficients)
        if self._layout.most_levels < _LOOKUP_MIN_LEVELS:
            return super().decision_function(X)  # the estimator's own sum of the dense table, bit for bit
        columns = X if isinstance(X, RawColumns) else RawColumns(X, self.feature_names)
        self._refuse_missing(columns)
        self._warn_of_untrained_values(columns)
        return self.base_value + self._summed_terms(columns)

    def _summed_terms(self, columns):
        """``sum_j coefficients[j] * term_j`` without the ``(n_samples, n_terms)`` design (its sum up to rounding).

        A categorical feature's indicators add the coefficient of each row's own
        level, found by one lookup per row (``utils.binning.level_codes``, the
        estimator's own lookup): a feature of 1,000 levels would otherwise cost a
        dense column and a comparison over every row per level.
        """
        from ..utils.binning import level_codes  # glassbox.utils imports this package

        total = np.zeros((columns.n_samples,) + self.coefficients.shape[1:])
        layout = self._layout
        if len(layout.plain):
            total += columns.numbers(layout.plain_features) @ self.coefficients[layout.plain]
        levels = {}
        for t in layout.others:
            term = self.terms[t]
            if term.category is not None:
                levels.setdefault(term.feature, []).append(t)
                continue
            values = term.values(columns)
            total += values[:, None] * self.coefficients[t] if total.ndim == 2 else values * self.coefficients[t]
        for feature, terms in levels.items():
            codes = level_codes([self.terms[t].category for t in terms], columns.column(feature), -1)
            hit = codes >= 0
            total[hit] += self.coefficients[np.asarray(terms)[codes[hit]]]
        return total

    def term_contributions(self, X):
        """Per-term contributions; refuses missing values and warns of unseen levels as the estimator does."""
        columns = X if isinstance(X, RawColumns) else RawColumns(X, self.feature_names)
        self._refuse_missing(columns)
        return super().term_contributions(columns)

    def _refuse_missing(self, columns):
        # The coefficients give a missing value no meaning: NaN times a coefficient would make a NaN
        # prediction (and argmax a label) without a word, where the estimator refuses the row.
        from ..utils.validation import missing_values_error  # glassbox.utils imports this package

        layout = self._layout
        # a zero coefficient too: 0 * NaN is NaN; the numeric features are checked in their block, as read
        missing = set()
        if len(layout.plain):
            gaps = np.isnan(columns.numbers(layout.plain_features)).any(axis=0)
            missing = {name for name, gap in zip(layout.plain_features, gaps) if gap}
        others = {self.terms[t].feature for t in layout.others} - set(layout.plain_features)
        missing |= {name for name in others if is_missing(columns.column(name)).any()}
        bad = [name for name in self.feature_names if name in missing]
        if bad:
            raise missing_values_error(self.model, bad)

    def _refuse_sparse_non_finite(self, X):
        """Refuse infinity, then missing values (:meth:`_refuse_missing`), in a CSC matrix, naming the columns
        from its stored entries (not densified), as the estimator and the dense path do."""
        from ..utils.tabular import raise_bad_values, sparse_columns_where  # glassbox.utils imports this package

        read = np.zeros(len(self.feature_names), dtype=bool)
        read[self._layout.positions] = True  # a column no term reads may hold anything
        raise_bad_values(self.model, sparse_columns_where(X, np.isinf(X.data)) & read,
                         sparse_columns_where(X, np.isnan(X.data)) & read, self.feature_names, allow_missing=False)

    def _contributions(self, columns):
        design = self.design(columns)
        if self.coefficients.ndim == 1:
            return design * self.coefficients
        return design[:, :, None] * self.coefficients[None, :, :]

    def _output_numbers(self):
        yield from super()._output_numbers()
        yield "coefficients", self.coefficients

    def _payload(self):
        return {
            "terms": [t.to_dict() for t in self.terms],
            "coefficients": encode_array(self.coefficients),
            "standardized_coefficients": encode_array(self.standardized_coefficients),
            "constraints": encode_array(self.constraints),
            "term_means": encode_optional_array(self.term_means),
            # written only when base levels were named, so other (and older) payloads read as before
            **({"reference_terms": encode_array(self.reference_terms)} if self.reference_terms is not None else {}),
            # written when known, so payloads written before it (and tables built by hand) read as before
            **({"term_scales": encode_array(self.term_scales)} if self.term_scales is not None else {}),
            # written only for a log-link loss, so other (and older) payloads read as before
            **({"loss": self.loss} if self.loss is not None else {}),
            **({"power": self.power} if self.power is not None else {}),
            **self._training_values_payload(),
            **self._class_weights_payload(),
        }

    @classmethod
    def _from_payload(cls, payload, common):
        return cls(
            **common,
            terms=tuple(LinearTerm.from_dict(t) for t in payload["terms"]),
            coefficients=decode_array(payload["coefficients"]),
            standardized_coefficients=decode_array(payload["standardized_coefficients"]),
            constraints=decode_array(payload["constraints"]),
            term_means=decode_optional_array(payload["term_means"]),
            reference_terms=decode_optional_array(payload.get("reference_terms")),
            term_scales=decode_optional_array(payload.get("term_scales")),
            loss=payload.get("loss"),
            power=payload.get("power"),
            training_values=cls._training_values_of_payload(payload),
            **cls._class_weights_of_payload(payload),
        )

    def _output_labels(self, printed=False):
        """The coefficient columns' names: ``coef[<class>]`` per class, the label as the printout's other
        mentions of the classes (``printed``) or as it is (to_frame's columns)."""
        if self.coefficients.ndim == 1:
            return ["coefficient"]
        return [f"coef[{class_text(c) if printed else c}]" for c in self.classes]

    def _rows(self):
        coefs = self.coefficients.reshape(len(self.terms), -1)
        std = self.standardized_coefficients.reshape(len(self.terms), -1)
        order = np.argsort(-np.abs(std).max(axis=1), kind="stable")
        sign = {1: ">= 0", -1: "<= 0", 0: ""}
        names = self.term_names
        rows = []
        relativity = self.relativities
        for i in order:
            rows.append(
                [names[i]]
                + [format_number(v) for v in coefs[i]]
                + ([] if relativity is None else [f"x{factor_text(relativity[i])}"])
                + ["n/a" if np.isnan(v) else format_number(v) for v in std[i]]
                + [sign[int(self.constraints[i])], self._nonzero_text(i, coefs[i])]
            )
        return rows

    def _nonzero_text(self, i, coefs):
        if self.reference_terms is not None and self.reference_terms[i]:
            return "base (named)"
        return "yes" if np.any(coefs != 0) else "no"

    def _relativity_labels(self):
        return [] if self.relativities is None else ["relativity"]

    def _standardized_labels(self, printed=False):
        if self.coefficients.ndim == 1:
            return ["standardized"]
        return [f"std[{class_text(c) if printed else c}]" for c in self.classes]

    def _header_row(self):
        return (["term"] + self._output_labels(printed=True) + self._relativity_labels()
                + self._standardized_labels(printed=True) + ["constraint", "nonzero"])

    def to_frame(self):
        """The intercept, then one row per term: coefficients, (log link) relativities, standardized
        coefficients, constraint, nonzero.

        The first row, term ``"(intercept)"``, holds ``base_value`` (one per
        class, in each class's column, for a multiclass model; its
        relativity, with a log link, is the base rate ``exp(intercept)``), so
        the frame holds every number of the model:
        ``decision_function(X) = intercept + sum(coefficient * term(X))``.
        The intercept has no standardized size (NaN) and no constraint.
        With named base levels (``reference_levels``), a ``base_level``
        column marks them (True) too.
        """
        import pandas as pd

        coefs = self.coefficients.reshape(len(self.terms), -1)
        std = self.standardized_coefficients.reshape(len(self.terms), -1)
        intercept = np.atleast_1d(self.base_value).reshape(1, -1)
        data = {"term": [INTERCEPT_TERM, *self.term_names]}
        for k, label in enumerate(self._output_labels()):
            data[label] = np.concatenate([intercept[:, k], coefs[:, k]])
        if self.relativities is not None:
            data["relativity"] = np.concatenate([np.exp(intercept[:, 0]), self.relativities])
        for k, label in enumerate(self._standardized_labels()):
            data[label] = np.concatenate([[np.nan], std[:, k]])
        data["constraint"] = np.concatenate([[0], self.constraints.astype(int)])
        data["nonzero"] = np.concatenate([np.any(intercept != 0, axis=1), np.any(coefs != 0, axis=1)])
        if self.reference_terms is not None:
            data["base_level"] = np.concatenate([[False], np.asarray(self.reference_terms, dtype=bool)])
        return pd.DataFrame(data)

    def _summary_lines(self):
        base = np.atleast_1d(self.base_value)
        n_nonzero = int(np.sum(np.any(self.coefficients.reshape(len(self.terms), -1) != 0, axis=1)))
        lines = [*self.weight_notes(), f"intercept: {', '.join(format_number(b) for b in base)}"]
        if self.link.name == "log":
            lines += [
                f"loss: {self.loss}" + (f" (power {format_number(self.power)})" if self.power is not None else "")
                if self.loss is not None else "log link",
                f"base rate exp(intercept): {format_number(float(np.exp(base[0])))}",
                "coefficients are on the log scale; relativity = exp(coefficient) multiplies the predicted "
                "mean per unit of a numeric term, or for the level / flag / step of an indicator term",
            ]
        if self.reference_levels:
            factor = "relativity 1" if self.link.name == "log" else "coefficient 0"
            named = ", ".join(f"{feature} == {format_value(level)}" for feature, level in self.reference_levels.items())
            lines.append(f"base levels (named; held at {factor}, the feature's other levels read against them): "
                         f"{named}")
        if np.isnan(self.standardized_coefficients).any():
            lines.append("standardized n/a: the coefficient was edited after fitting in a file without the terms' "
                         "training scales (term_scales); refit the model on its training data to see its size")
        return lines + [
            self._units_line("intercept and coefficient x term"),
            f"{n_nonzero} of {len(self.terms)} terms nonzero (sorted by standardized size)",
        ]

    def _shortened_note(self, n_rows, max_terms):
        if max_terms is None or n_rows <= max_terms:
            return None
        return (f"... {count_text(n_rows - max_terms, 'more term')} (to_text(max_terms=None) lists all; to_frame() "
                "tabulates them)")

    def to_text(self, max_terms=30):
        """The readable text of :func:`str`, with its limit chosen.

        Parameters
        ----------
        max_terms : int or None, default=30
            Terms listed, largest standardized coefficient first; ``None``
            lists all.
        """
        check_limit(max_terms, "max_terms")
        rows = self._rows()
        lines = [self._header(), *self._summary_lines(), "",
                 text_table(self._header_row(), rows if max_terms is None else rows[:max_terms])]
        note = self._shortened_note(len(rows), max_terms)
        return "\n".join(lines + ([note] if note else []))

    def __str__(self):
        return self.to_text()

    def _repr_html_(self, max_terms=30):
        check_limit(max_terms, "max_terms")
        rows = self._rows()
        table = html_table(self._header_row(), rows if max_terms is None else rows[:max_terms],
                           caption="Coefficients, largest standardized size first", row_header=0)
        note = self._shortened_note(len(rows), max_terms)
        return html_block(self._header(), html_lines(self._summary_lines()) + table + html_lines([note]))


def _indicator_scales(table):
    """Each indicator's (0/1 values) training standard deviation from its training mean ``m``,
    ``sqrt(m (1 - m))``; NaN for other terms, and for all without ``term_means``."""
    scales = np.full(len(table.terms), np.nan)
    if table.term_means is not None:
        for j, term in enumerate(table.terms):
            if term.condition is not None or term.boolean:
                mean = table.term_means[j]
                scales[j] = np.sqrt(max(mean * (1.0 - mean), 0.0))
    return scales


def _cannot_be_standardized(coefficients, stored):
    """Per term, whether its stored standardized coefficients cannot be its coefficients times one scale >= 0:
    another sign, zero beside a nonzero coefficient (a term the fit held at 0 and the file set), or classes
    that disagree on the scale."""
    finite = ~np.isnan(stored)
    signs = finite & (np.sign(stored) != np.sign(coefficients))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where((coefficients != 0) & finite, stored / coefficients, np.nan)
    spread = np.fmax.reduce(ratios, axis=1) > np.fmin.reduce(ratios, axis=1) * (1 + 1e-9)  # fmax: NaN skipped
    return signs.any(axis=1) | spread
