"""Standard errors and confidence intervals of a linear model's coefficients, as a readable table."""

from dataclasses import dataclass, fields

import numpy as np

from ._checks import is_number, require_length
from ._equality import same_fields
from ._render import (class_text, factor_text, format_number, html_block, html_lines, html_table, percent_text,
                      text_table)
from ._serialize import (JsonText, PrintedWhole, decode_array, decode_nested, decode_optional_array, encode_array,
                         encode_nested, encode_optional_array, frozen_array, reads_report_payload)
from .base import INTERCEPT_TERM
from .links import LINK_NAMES

_ARRAYS = ("coefficients", "std_errors", "lower", "upper")
_OPTIONAL_ARRAYS = ("statistics", "p_values", "selected", "n_estimable")
_MAX_NAMED = 8  # terms at zero named in a Wald table's notes
_LOSS_WORDS = {"squared_error": "squared error", "logistic": "logistic"}


@dataclass(frozen=True, kw_only=True, eq=False)
class CoefficientInference(PrintedWhole, JsonText):
    """Coefficients with standard errors and intervals (from :func:`glassbox.coefficient_inference`).

    One row per coefficient, the intercept first; a multiclass model has
    one block of rows per class (``classes``), read against
    ``reference_class`` when it is set.

    Attributes
    ----------
    model : str
    method : {"wald", "bootstrap"}
    level : float
        Coverage of the intervals ``[lower, upper]``.
    terms : tuple of str
        ``"(intercept)"`` and the term names (Wald: the kept terms only).
    classes : tuple or None
        Each row's class (a multiclass model), else None.
    reference_class : label or None
        A multiclass table whose rows are contrasts: each class's
        coefficient minus the reference class's, the change in
        ``log P(class) / P(reference_class)`` (a baseline-category logit, as
        statsmodels' MNLogit reports; Wald always, bootstrap when a reference
        class is named), whose ``exp`` is an odds ratio against the
        reference class.  None: each class's own coefficient as the model
        holds it (a multiclass bootstrap by default), or one output.
    coefficients, std_errors, lower, upper : ndarray of shape (n_rows,)
        On the decision scale (log of the mean, log-odds, or the target's units).
    statistics, p_values : ndarray or None
        Wald only: ``coefficient / std_error`` and its two-sided p-value
        (``distribution``: t with ``df_resid`` degrees of freedom wherever the
        dispersion was estimated, as R's ``summary.glm``; else normal).
    selected : ndarray or None
        Bootstrap only: the fraction of refits that kept each term, among
        those that could estimate it.
    n_estimable : ndarray or None
        Bootstrap only: the refits that could estimate each coefficient.  A
        resample with no row (of positive weight) of a level, or in which a
        term's column does not vary, says nothing about it: it is left out
        of that term's interval and selection share (NaN if no refit could).
    link : str
        ``"identity"``, ``"logit"``, ``"softmax"`` or ``"log"``: with a log
        link the table also shows relativities ``exp(coefficient)`` (odds
        ratios with logit, and with softmax read against a reference class)
        and their intervals.
    loss, power, dispersion, dispersion_estimated, df_resid, n_samples, dropped_terms
        The fit's loss (and Tweedie power); Wald: the dispersion used and
        whether it was estimated, the residual degrees of freedom, the rows of
        positive weight, and the terms the fit set to zero (not shown: they
        are fixed, with no interval).
    fixed_contrasts : tuple of str
        Wald, multiclass: ``"term (class)"`` for each contrast a best-subset
        selection fixed at 0 (the term kept neither in that class nor in
        the reference class), not shown.
    n_resamples, n_failed, n_not_converged, reference_levels
        Bootstrap: refits used, refits that failed (dropped), refits that
        warned of non-convergence, and the level of each categorical feature
        the levels are read against (held at 0 in every refit).
    n_groups : int or None
        With ``groups``: the groups (bootstrap: resampled whole; Wald:
        cluster-robust standard errors over them).  None: the rows are taken
        as independent.
    n_observations : float or None
        Wald: the observations the residual degrees of freedom count, the
        sum of frequency weights (a weight of 2 is two identical rows), or
        the rows of positive weight with ``weights="variance"``; the notes
        give it beside the rows when they differ.  None in payloads written
        before it was recorded, and for a bootstrap.
    binary_classes : tuple or None
        A binary classifier's two classes, ``classes_`` in order: its
        coefficients are log-odds of the second against the first (the
        notes say so).  None: a regressor, a multiclass model, or a payload
        written before it was recorded.
    n_candidates : int or None
        Wald: the candidate terms a best-subset fit, or one capped by
        ``max_features``, chose its kept terms among on the same rows, when
        it kept fewer.  The figures then ignore
        that selection: the intervals are too narrow and the p-values too
        small, and the notes say so and name sample splitting (choose the
        terms on one half of the rows, refit them with ``alpha=0`` on the
        other half, infer there).  None: no selection (the fit kept every
        candidate), or a bootstrap, which repeats the selection.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from glassbox import SparseLinearRegressor, coefficient_inference
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"debt": rng.uniform(0, 1, 200), "years": rng.uniform(0, 20, 200)})
    >>> y = 5 + 3 * X["debt"] - 0.2 * X["years"] + rng.normal(0, 0.5, 200)
    >>> model = SparseLinearRegressor(alpha=0.0).fit(X, y)
    >>> inference = coefficient_inference(model, X, y)
    >>> inference.method, inference.level, inference.terms
    ('wald', 0.95, ('(intercept)', 'debt', 'years'))
    >>> inference.to_frame()[["term", "coefficient", "std_error", "lower", "upper"]].round(3)
              term  coefficient  std_error  lower  upper
    0  (intercept)        4.970      0.099  4.775  5.164
    1         debt        2.982      0.117  2.751  3.213
    2        years       -0.195      0.006 -0.207 -0.182
    """

    model: str
    method: str
    level: float
    terms: tuple
    coefficients: np.ndarray
    std_errors: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    link: str
    loss: str
    classes: tuple = None
    reference_class: object = None
    statistics: np.ndarray = None
    p_values: np.ndarray = None
    distribution: str = None
    selected: np.ndarray = None
    power: float = None
    dispersion: float = None
    dispersion_estimated: bool = None
    df_resid: float = None
    n_samples: int = None
    dropped_terms: tuple = ()
    fixed_contrasts: tuple = ()
    n_resamples: int = None
    n_failed: int = 0
    n_not_converged: int = 0
    reference_levels: dict = None
    n_estimable: np.ndarray = None
    n_groups: int = None
    n_candidates: int = None
    binary_classes: tuple = None
    n_observations: float = None

    def __post_init__(self):
        object.__setattr__(self, "terms", tuple(str(t) for t in self.terms))
        for name in _ARRAYS:
            object.__setattr__(self, name, frozen_array(np.asarray(getattr(self, name), np.float64) + 0.0))
        for name in _OPTIONAL_ARRAYS:
            if getattr(self, name) is not None:
                object.__setattr__(self, name, frozen_array(getattr(self, name), np.float64))
        if self.classes is not None:
            object.__setattr__(self, "classes", tuple(self.classes))
        if self.binary_classes is not None:
            object.__setattr__(self, "binary_classes", tuple(self.binary_classes))
            if len(self.binary_classes) != 2:
                raise ValueError(f"binary_classes holds a binary classifier's two classes, got "
                                 f"{self.binary_classes!r:.80}")
        object.__setattr__(self, "dropped_terms", tuple(str(t) for t in self.dropped_terms))
        object.__setattr__(self, "fixed_contrasts", tuple(str(t) for t in self.fixed_contrasts))
        shapes = {getattr(self, name).shape for name in _ARRAYS}
        if shapes != {(len(self.terms),)} or (self.classes is not None and len(self.classes) != len(self.terms)):
            raise ValueError("every column needs one entry per term.")
        self._check_printed_fields()

    def _check_printed_fields(self):
        """Refuse what the printout and the frame would fail on (a file edited by hand or merged badly): an
        optional column of another length, a test statistic without its p-value, a level or name of another type."""
        for name in _OPTIONAL_ARRAYS:
            require_length(getattr(self, name), len(self.terms), name, "terms")
        if (self.statistics is None) != (self.p_values is None):
            raise ValueError("statistics and p_values come together (a Wald or likelihood test gives both), "
                             f"but only {'statistics' if self.p_values is None else 'p_values'} is given")
        if not is_number(self.level) or not 0 < self.level < 1:
            raise ValueError(f"level is {self.level!r:.80}, where a confidence level is a number between 0 and 1")
        for name in ("model", "method", "link", "loss"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} is {getattr(self, name)!r:.80}, where the table names it with a string")
        if self.link not in LINK_NAMES:  # the relativity column and the interval plot read their scale from it
            raise ValueError(f"link is {self.link!r:.80}, where a linear model's link is one of {list(LINK_NAMES)}")
        for name in ("n_samples", "n_resamples", "n_failed", "n_not_converged", "n_groups", "n_candidates"):
            count = getattr(self, name)
            if count is not None and (type(count) not in (int, np.int64) or count < 0):
                raise TypeError(f"{name} is {count!r:.80}, where a count is a whole number >= 0 (or null)")
        for name in ("power", "dispersion", "df_resid", "n_observations"):
            figure = getattr(self, name)
            if figure is not None and (not is_number(figure) or not np.isfinite(figure)):
                raise ValueError(f"{name} is {figure!r:.80}, where the table's {name} is a finite number (or null)")

    def __eq__(self, other):
        if not isinstance(other, CoefficientInference):
            return NotImplemented
        return same_fields(self, other)

    __hash__ = None

    def __len__(self):
        return len(self.terms)

    @property
    def relativity_name(self):
        """``"relativity"`` (log link), ``"odds ratio"`` (logit, or softmax read against a reference class) or
        None (identity, or a multiclass model's own class coefficients)."""
        if self.link == "softmax":
            return None if self.reference_class is None else "odds ratio"
        return {"log": "relativity", "logit": "odds ratio"}.get(self.link)

    # -- tables -------------------------------------------------------------------------------------
    def to_frame(self):
        """One row per coefficient: estimate, std_error, lower, upper (and statistic, p_value or selected;
        relativity or odds ratio columns ``exp(...)`` for log and logit links; a multiclass table's ``class``,
        and the ``reference_class`` its rows are read against)."""
        import pandas as pd

        columns = {} if self.classes is None else {"class": list(self.classes)}
        if self.reference_class is not None:
            columns["reference_class"] = [self.reference_class] * len(self.terms)
        columns.update(term=list(self.terms), coefficient=self.coefficients, std_error=self.std_errors,
                       lower=self.lower, upper=self.upper)
        if self.statistics is not None:
            columns.update(statistic=self.statistics, p_value=self.p_values)
        if self.selected is not None:
            columns["selected"] = self.selected
        if self.n_estimable is not None:
            columns["n_estimable"] = self.n_estimable.astype(np.int64)
        name = self.relativity_name
        if name is not None:
            key = name.replace(" ", "_")
            columns.update({key: np.exp(self.coefficients), f"{key}_lower": np.exp(self.lower),
                            f"{key}_upper": np.exp(self.upper)})
        return pd.DataFrame(columns)

    def _partly_estimable(self):
        """Whether some coefficient could not be estimated in every refit (its count is then shown)."""
        return self.n_estimable is not None and bool(np.any(self.n_estimable < self.n_resamples))

    def _header(self):
        loss = _LOSS_WORDS.get(self.loss, self.loss)
        if self.power is not None:
            loss = f"{loss} power {format_number(self.power)}"
        method = "Wald" if self.method == "wald" else "bootstrap percentile"
        return (f"Coefficient inference: {self.model} ({loss}, {self.link} link), "
                f"{method} {percent_text(self.level)}% intervals")

    def _notes(self):
        lines = self._class_notes() + self._binary_notes()
        if self.method == "wald":
            estimated = "estimated (Pearson)" if self.dispersion_estimated else "fixed"
            kept = len({term for term in self.terms if term != INTERCEPT_TERM})  # a multiclass table repeats them
            if self.n_candidates is not None:
                verb = "was" if kept == 1 else "were"
                lines.append(
                    f"Not valid after selection: the {_count(kept, 'term')} shown {verb} chosen among "
                    f"{self.n_candidates} candidates on these same rows, which these figures ignore: the intervals "
                    "are too narrow and the p-values too small. For valid figures split the rows: choose the terms "
                    "on one half, refit them with alpha=0 on the other half and infer there.")
            # frequency weights count as that many rows: 303 rows weighing 618 have 604 residual degrees of freedom
            weighing = ("" if self.n_observations is None or self.n_observations == self.n_samples
                        else f" (frequency weights summing to {format_number(self.n_observations)})")
            lines += [
                f"Dispersion {format_number(self.dispersion)} ({estimated}); {self.n_samples} rows{weighing}, "
                f"{format_number(self.df_resid)} residual degrees of freedom; "
                f"{'t' if self.distribution == 't' else 'normal'} quantiles.",
            ]
            if self.n_groups is not None:
                lines.append(f"Cluster-robust (sandwich) standard errors over {self.n_groups} groups: rows within a "
                             "group may be correlated (the dispersion cancels); degrees of freedom: groups - 1.")
            if self.dropped_terms:
                shown = ", ".join(self.dropped_terms[:_MAX_NAMED])
                more = len(self.dropped_terms) - _MAX_NAMED
                lines.append(f"At zero, not shown: {shown}{f' and {more} more' if more > 0 else ''}.")
            lines += self._reference_level_notes()
            if self.fixed_contrasts:
                shown = ", ".join(self.fixed_contrasts[:_MAX_NAMED])
                more = len(self.fixed_contrasts) - _MAX_NAMED
                lines.append(f"Held at zero by the selection (a term kept neither in the class nor in the reference "
                             f"class), not shown: {shown}{f' and {more} more' if more > 0 else ''}.")
        else:
            resampled = (f"resampled rows ({self.n_samples} rows, taken as independent)" if self.n_groups is None
                         else f"resampled groups ({self.n_groups} groups drawn whole, {self.n_samples} rows)")
            lines += [
                f"{self.n_resamples} refits on {resampled}; 'selected' is the share of refits that kept the term. "
                "Penalized estimates are shrunk: the intervals show their spread, not the penalty's bias.",
            ]
            lines += self._reference_level_notes()
            if self._partly_estimable():
                lines.append("'estimable' counts the refits whose rows could estimate the term (a level or step "
                             "no resampled row holds cannot be); the others are left out of its interval and share.")
            if self.n_failed or self.n_not_converged:
                lines.append(f"{self.n_failed} refits failed and were dropped; "
                             f"{self.n_not_converged} stopped at max_iter.")
        return lines

    def _reference_level_notes(self):
        if not self.reference_levels:
            return []
        levels = ", ".join(f"{f} == {v}" for f, v in self.reference_levels.items())
        return [f"Levels read against the reference level of each categorical ({levels})."]

    def _binary_notes(self):
        """Which class a binary classifier's log-odds are of: an odds ratio read the wrong way round inverts it."""
        if self.binary_classes is None:
            return []
        other, event = (class_text(c) for c in self.binary_classes)
        return [f"Coefficients are changes in the log-odds of {event} against {other}: an odds ratio above 1 raises "
                f"the odds of {event}."]

    def _class_notes(self):
        """How a multiclass table's rows read: against the reference class, or each class's own coefficients."""
        if self.classes is None:
            return []
        if self.reference_class is None:
            return ["Each class's own coefficients as the model holds them (softmax leaves a shift common to all "
                    "classes free: the model centres them at alpha=0); a Wald table, or reference_class=, reads "
                    "them against a reference class instead."]
        reference = class_text(self.reference_class)
        kept = " ('selected': kept in any class)" if self.selected is not None else ""
        return [f"Multinomial contrasts against the reference class {reference}: each row is the change in "
                f"log(P(class) / P({reference})) per unit, and its odds ratio the factor on that ratio{kept}."]

    def _rows(self):
        low, high = (100 - 100 * self.level) / 2, (100 + 100 * self.level) / 2
        bounds = [f"{format_number(low)}%", f"{format_number(high)}%"]
        header = ([] if self.classes is None else [
            "class" if self.reference_class is None else f"class vs {class_text(self.reference_class)}"])
        header += ["term", "coefficient", "std. error"]
        if self.statistics is not None:
            header += ["t" if self.distribution == "t" else "z", "p-value"]
        header += bounds
        if self.selected is not None:
            header.append("selected")
        if self._partly_estimable():
            header.append("estimable")
        if self.relativity_name is not None:
            header += [self.relativity_name, *bounds]
        rows = []
        for i, term in enumerate(self.terms):
            row = ([class_text(self.classes[i])] if self.classes is not None else []) + [
                term, format_number(self.coefficients[i]), format_number(self.std_errors[i])]
            if self.statistics is not None:
                row += [format_number(self.statistics[i], 3), _p_value_text(self.p_values[i])]
            row += [format_number(self.lower[i]), format_number(self.upper[i])]
            if self.selected is not None:
                row.append(_selected_text(term, self.selected[i]))
            if self._partly_estimable():
                row.append(f"{int(self.n_estimable[i])}")
            if self.relativity_name is not None:
                row += [factor_text(np.exp(v)) for v in (self.coefficients[i], self.lower[i], self.upper[i])]
            rows.append(row)
        return header, rows

    def __str__(self):
        header, rows = self._rows()
        return "\n".join([self._header(), *self._notes(), "", text_table(header, rows)])

    def _repr_html_(self):
        header, rows = self._rows()
        if self.relativity_name is not None:  # a screen reader announces a cell's column: name both bounds' scale
            header = header[:-2] + [f"{self.relativity_name} {bound}" for bound in header[-2:]]
        # the notes name terms, which are the user's text: escaped like every cell
        table = html_table(header, rows, caption="Coefficients with their intervals", row_header=header.index("term"))
        return html_block(self._header(), html_lines(self._notes()) + table)

    # -- serialisation ------------------------------------------------------------------------------
    def to_dict(self):
        """JSON-safe dict; :meth:`from_dict` reads it back exactly."""
        payload = {"kind": "coefficient_inference"}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name in _ARRAYS:
                value = encode_array(value)
            elif field.name in _OPTIONAL_ARRAYS:
                value = encode_optional_array(value)
            elif field.name in ("classes", "terms", "dropped_terms", "fixed_contrasts", "binary_classes"):
                value = None if value is None else encode_nested(list(value))
            elif field.name == "reference_levels":
                value = None if value is None else [[k, encode_nested(v)] for k, v in value.items()]
            elif field.name == "reference_class":
                value = None if value is None else encode_nested(value)
            payload[field.name] = value
        return payload

    @classmethod
    @reads_report_payload("coefficient_inference", "a coefficient inference table")
    def from_dict(cls, payload):
        """The table written by :meth:`to_dict`."""
        values = {}
        for field in fields(cls):
            value = payload.get(field.name)
            if field.name in _ARRAYS:
                value = decode_array(value)
            elif field.name in _OPTIONAL_ARRAYS:
                value = decode_optional_array(value)
            elif field.name == "fixed_contrasts":  # absent from payloads written before it existed
                value = () if value is None else tuple(decode_nested(value))
            elif field.name in ("classes", "terms", "dropped_terms", "binary_classes"):  # binary_classes: absent
                value = None if value is None else tuple(decode_nested(value))       # from older payloads
            elif field.name == "reference_levels":
                value = None if value is None else {k: decode_nested(v) for k, v in value}
            elif field.name == "reference_class":
                value = None if value is None else decode_nested(value)
            values[field.name] = value
        return cls(**values)


def _p_value_text(p):
    return "<0.0001" if p < 1e-4 else f"{p:.4f}"


def _count(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _selected_text(term, share):
    if share == share:
        return f"{share:.0%}"
    return "" if term == INTERCEPT_TERM else "reference"
