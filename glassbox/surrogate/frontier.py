"""Fidelity against complexity: how simple can a faithful copy be?"""

import math
import numbers
import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import get_tags

from ..explain import CoefficientTable, RuleList, RuleSet, Scorecard, ShapeFunctions
from ..explain._checks import is_number
from ..explain._columns import generated_names, is_missing
from ..explain._equality import same_fields
from ..explain._render import format_number, html_block, html_table, text_table
from ..explain._serialize import JsonText, PrintedWhole, reads_report_payload
from ..utils.tabular import polars_as_pandas, sparse_columns_where
from ..utils._progress import Progress
from ..utils.validation import plain_value, user_stacklevel
from ._outputs import (CLONE_NOTE, check_classes_for_task, check_classes_of_model, infer_task, is_fitted_model,
                       model_name, model_outputs, n_rows, take_rows)
from .fidelity import LOWER_IS_BETTER, json_label, json_number, json_scalar, metrics_of
from ._students import distillation_student, registered_glassbox_estimators

__all__ = ["FidelityFrontier", "complexity_of", "default_student_grid", "fidelity_frontier"]

# Complexity knobs of each family: (parameter, values).  Only installed
# families are used.
_GRID = {
    "classification": (
        ("SparseLinearClassifier", {"penalty": "l0", "alpha": 0.0}, "max_features", (1, 2, 3, 5, 8, 12)),
        ("GAMClassifier", {}, "interactions", (0, 3, 10)),
        ("RiskScoreClassifier", {}, "max_features", (3, 5, 8)),
        ("DecisionSetClassifier", {}, "max_rules", (3, 5, 10, 20)),
        ("BayesianRuleListClassifier", {}, "max_rules", (3, 5, 10, 20)),
    ),
    "regression": (
        ("SparseLinearRegressor", {"penalty": "l0", "alpha": 0.0}, "max_features", (1, 2, 3, 5, 8, 12)),
        ("GAMRegressor", {}, "interactions", (0, 3, 10)),
    ),
}

_SCORECARD_UNIT = "conditions"  # conditions with nonzero points, as docs/surrogate.rst counts a risk score


def size_text(complexity, unit):
    """A student's size as the frontier writes it: ``"1 term"``, ``"3 terms"``, ``"1 shape function"``."""
    return f"{complexity} {unit[:-1] if complexity == 1 and unit.endswith('s') else unit}"


def complexity_of(estimator):
    """``(size, unit)`` of a fitted glassbox estimator's global explanation.

    Nonzero terms (``"terms"``) for linear models, nonzero shape functions
    (``"shape functions"``: a main effect or a pair's grid each count one) for
    GAMs, rules (default included) for rule models, conditions with nonzero
    points (``"conditions"``) for risk scores: on a scorecard "points" are what
    a condition is worth, not how many there are.  The units differ in what one of
    them asks of a reader, so sizes are compared only within a unit.

    Parameters
    ----------
    estimator : fitted glassbox estimator
        Any estimator with ``explain_global()`` (a distilled copy's student:
        ``copy.student_``).

    Returns
    -------
    size : int
    unit : {"terms", "shape functions", "rules", "conditions"}

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from glassbox import RiskScoreClassifier, SparseLinearClassifier
    >>> from glassbox.surrogate import complexity_of
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> X = X.iloc[:, :5]
    >>> complexity_of(SparseLinearClassifier(max_features=3).fit(X, y))
    (3, 'terms')
    >>> complexity_of(RiskScoreClassifier(max_features=3).fit(X, y))
    (3, 'conditions')
    """
    explanation = estimator.explain_global()
    if isinstance(explanation, CoefficientTable):
        coefficients = explanation.coefficients.reshape(len(explanation.terms), -1)
        return int(np.any(coefficients != 0, axis=1).sum()), "terms"
    if isinstance(explanation, ShapeFunctions):
        return int(sum(np.any(np.asarray(t.scores) != 0) for t in explanation.terms)), "shape functions"
    if isinstance(explanation, (RuleList, RuleSet)):
        return len(explanation.rules) + 1, "rules"
    if isinstance(explanation, Scorecard):
        return int(np.count_nonzero(explanation.points)), _SCORECARD_UNIT
    return len(explanation.term_names), "terms"


def default_student_grid(task, n_features, n_classes=2, missing_columns=()):
    """``[(family, estimator), ...]``: each installed family at several complexities.

    A family that cannot take the task (a binary-only classifier, such as a
    risk score, when ``n_classes`` is more than two; one that cannot take
    missing values when ``missing_columns`` names columns holding them) is
    left out: see :func:`families_left_out`.
    """
    available = registered_glassbox_estimators()
    left_out = dict(families_left_out(task, n_classes, missing_columns))
    grid = []
    for name, fixed, knob, values in _GRID[task]:
        if name not in available or name in left_out:
            continue
        for value in values:
            if knob == "max_features" and value > n_features:
                continue
            grid.append((name, distillation_student(name, **fixed, **{knob: value})))
    return grid


def families_left_out(task, n_classes, missing_columns=()):
    """``[(family, reason)]``: the installed families of the default grid that cannot copy the teacher.

    Two cases: a classifier family for binary tasks only (its scikit-learn tag
    ``classifier_tags.multi_class`` is False, e.g. risk scores) when the
    teacher predicts more than two classes; a family that cannot take missing
    values (tag ``input_tags.allow_nan`` False: sparse linear models) when
    ``missing_columns``, the columns of ``X`` or ``X_eval`` holding one, is
    not empty.  Each would fail on every student of its family, one row per
    student with the same error.
    """
    available = registered_glassbox_estimators()
    left_out = []
    for name, *_ in _GRID[task]:
        if name not in available:
            continue
        tags = get_tags(available[name]())
        if task == "classification" and n_classes > 2 and not tags.classifier_tags.multi_class:
            left_out.append((name, f"binary classification only; the teacher has {n_classes} classes"))
        elif len(missing_columns) and not tags.input_tags.allow_nan:
            left_out.append((name, _missing_values_reason(missing_columns)))
    return left_out


def _missing_values_reason(missing_columns, shown=5):
    names = ", ".join(missing_columns[:shown]) + (
        f" and {len(missing_columns) - shown} more" if len(missing_columns) > shown else "")
    return (f"takes no missing values, and the rows given have some in {names}: impute them, e.g. with "
            "sklearn.impute.SimpleImputer on X and X_eval alike, to include it")


def _array_columns_with_missing(X):
    """Per column of an array (or nested list), whether it holds a missing value; NumPy only, no pandas."""
    # a list goes in as objects, so that a NaN among text stays a NaN rather than the text "nan"
    array = X if isinstance(X, np.ndarray) else np.asarray(X, dtype=object)
    array = array[:, None] if array.ndim == 1 else array
    return is_missing(array.ravel()).reshape(array.shape).any(axis=0)


def _columns_with_missing(*datasets):
    """Names of the columns holding a missing value (NaN, None, pd.NA) in any of ``datasets`` (None: skipped).

    Columns are matched by name (a frame's labels; an array's are x0, x1, ...,
    the names a model fitted on it gives them), so an X_eval whose columns
    come in another order than X's, or are fewer, is read right.
    """
    missing = {}  # name -> whether a missing value was seen, in the order the names first appear
    for X in datasets:
        if X is None:
            continue
        X = polars_as_pandas(X)
        if hasattr(X, "tocsr"):  # scipy.sparse: the stored entries (absent ones are zeros)
            X = X if X.format in ("csr", "csc") else X.tocsr()
            found = sparse_columns_where(X, np.isnan(np.asarray(X.data, dtype=np.float64)))
        else:
            found = X.isna().to_numpy().any(axis=0) if hasattr(X, "columns") else _array_columns_with_missing(X)
        names = [str(c) for c in X.columns] if hasattr(X, "columns") else generated_names(len(found))
        for name, flag in zip(names, found):
            missing[name] = missing.get(name, False) or bool(flag)
    return [name for name, flag in missing.items() if flag]


@dataclass(frozen=True, eq=False)
class FidelityFrontier(PrintedWhole, JsonText):
    """Fidelity of a grid of students against their complexity.

    Attributes
    ----------
    teacher : str
    metric : str
        The fidelity figure (e.g. ``"agreement"`` or ``"r2"``).  For a
        difference (``mae``, ``max_abs_difference``, ``probability_mae``,
        ``logit_mae``: :attr:`lower_is_better`) a student reaches the target when
        its figure is at most ``target`` and the most faithful is the lowest.
    target : float or None
    evaluated_on : str
        ``"held-out rows"`` or ``"training rows"`` (optimistic).
    rows : tuple of dict
        One per student: ``family``, ``student`` (its parameters, with
        those the copy changed while fitting, e.g. ``(fitted with
        max_thresholds=14)`` for a rule student refitted with fewer
        thresholds), ``complexity``,
        ``unit``, ``fidelity``, ``balanced_agreement`` (classification),
        ``fit_seconds``, ``converged`` (False when the student's fit warned that
        it did not converge), ``error`` (why a student could not be fitted,
        else None).
    models : tuple
        The fitted :class:`DistilledClassifier` / :class:`DistilledRegressor`
        (``None`` where fitting failed), in the order of ``rows``.  Not in the
        JSON: a frontier read back with :meth:`from_json` has ``None`` for
        every model (and :attr:`best_model` is ``None``); ``==`` compares
        everything else.
    left_out : tuple of (family, reason)
        Families of the default grid left out because they cannot take the
        task (risk scores, binary only, for a teacher with more than two
        classes) or the rows (sparse linear models, which take no missing
        values, when ``X`` or ``X_eval`` has some); printed under the table.  Empty for a grid given with
        ``students=``: a student given there that cannot take the task keeps
        its error in its row.

    Notes
    -----
    Complexity is counted in the unit of each family (see
    :func:`complexity_of`): a coefficient, a GAM shape function, a rule and a
    scorecard point are not worth the same to a reader, so students are
    ranked by size only within a unit.  :attr:`best_by_unit` holds the
    simplest student reaching ``target`` in each unit, and :attr:`best` is one
    of those: the only one, or when several units reach the target, the most
    faithful of them (it is not "smaller" than the others in any shared unit).

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from glassbox import SparseLinearClassifier
    >>> from glassbox.surrogate import FidelityFrontier, fidelity_frontier
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> X = X.iloc[:, :5]
    >>> teacher = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> students = [SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=k) for k in (1, 3)]
    >>> frontier = fidelity_frontier(teacher, X, students=students, target=0.9)
    >>> print(frontier)
    Fidelity frontier of copies of RandomForestClassifier (agreement on training rows)
    family                    student                                complexity  agreement  balanced_agreement
    ------------------------  -------------------------------------  ----------  ---------  ------------------
    SparseLinearClassifier    alpha=0.0, max_features=1, penalty=l0  1 term      0.89...    0.87...
    * SparseLinearClassifier  alpha=0.0, max_features=3, penalty=l0  3 terms     0.93...    0.93...
    simplest student reaching agreement >= 0.9: SparseLinearClassifier with 3 terms (0.93..., balanced agreement 0.93...)
    >>> frontier.best["complexity"], frontier.best["unit"]
    (3, 'terms')
    >>> frontier.best_model.predict(X.iloc[:3]).shape
    (3,)
    >>> FidelityFrontier.from_json(frontier.to_json()) == frontier  # the table, without the fitted models
    True
    """

    teacher: str
    metric: str
    target: float
    evaluated_on: str
    rows: tuple
    models: tuple
    left_out: tuple = ()

    @property
    def lower_is_better(self):
        """Whether :attr:`metric` is a difference between the models (``mae``, ...): smaller is more faithful."""
        return self.metric in LOWER_IS_BETTER

    def _faithfulness(self, i):
        """The row's fidelity, oriented so that larger is more faithful."""
        fidelity = self.rows[i]["fidelity"]
        return -fidelity if self.lower_is_better else fidelity

    def _reaching(self):
        reaches = (lambda f: f <= self.target) if self.lower_is_better else (lambda f: f >= self.target)
        return [i for i, r in enumerate(self.rows) if r["fidelity"] is not None and reaches(r["fidelity"])]

    @property
    def best_by_unit(self):
        """``{unit: row index}``: the simplest student reaching ``target`` in each unit (ties: the more faithful)."""
        if self.target is None:
            return {}
        found = {}
        for i in self._reaching():
            unit = self.rows[i]["unit"]
            key = (self.rows[i]["complexity"], -self._faithfulness(i))
            if unit not in found or key < found[unit][0]:
                found[unit] = (key, i)
        return {unit: i for unit, (_, i) in found.items()}

    @property
    def best_index(self):
        """Index of :attr:`best`: of the per-unit simplest students, the most faithful (first in ties)."""
        candidates = sorted(self.best_by_unit.values())
        if not candidates:
            return None
        return max(candidates, key=self._faithfulness)

    @property
    def best(self):
        """The row of the simplest student reaching ``target`` (see the class notes on units), or ``None``."""
        index = self.best_index
        return None if index is None else self.rows[index]

    @property
    def best_model(self):
        index = self.best_index
        return None if index is None else self.models[index]

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(list(self.rows))

    def __eq__(self, other):
        if not isinstance(other, FidelityFrontier):
            return NotImplemented
        return same_fields(self, other, ignore=("models",))

    __hash__ = None

    def to_dict(self):
        """JSON-safe dictionary of the frontier without its fitted models (:meth:`from_dict` reads it back)."""
        return {
            "kind": "fidelity_frontier",
            "teacher": self.teacher,
            "metric": self.metric,
            "lower_is_better": self.lower_is_better,
            "target": self.target,
            "evaluated_on": self.evaluated_on,
            "rows": [{k: json_scalar(v) for k, v in r.items()} for r in self.rows],
            "best_index": self.best_index,
            "best_by_unit": self.best_by_unit,
            "left_out": [[family, reason] for family, reason in self.left_out],
        }

    @classmethod
    @reads_report_payload("fidelity_frontier", "a fidelity frontier")
    def from_dict(cls, payload):
        """The frontier written by :meth:`to_dict`: equal to it (``==``), printing the same text, without models.

        ``lower_is_better``, ``best_index`` and ``best_by_unit`` of the
        payload are derived figures: they are computed again from the rows.
        """
        rows = tuple(_checked_row({key: json_label(value) if key in _TEXT_ENTRIES else json_number(value)
                                   for key, value in row.items()}, i) for i, row in enumerate(payload["rows"]))
        if not rows:  # fidelity_frontier refuses a grid whose students all failed: a frontier has a row at least
            raise ValueError("rows is empty, where a frontier lists one row per student it fitted")
        for key in ("teacher", "metric", "evaluated_on"):
            if not isinstance(payload[key], str):
                raise TypeError(f"{key} is {payload[key]!r:.80}, where the frontier's printout names it in words")
        target = json_number(payload["target"])
        if target is not None and (not is_number(target) or not math.isfinite(target)):  # None: no target given
            raise TypeError(f"target is {payload['target']!r:.80}, where the frontier's target is a finite number "
                            "or null")
        for row in rows:  # payloads written before the unit was renamed counted a scorecard's conditions as "points"
            if row.get("unit") == "points":
                row["unit"] = _SCORECARD_UNIT
        return cls(
            teacher=payload["teacher"],
            metric=payload["metric"],
            target=target,
            evaluated_on=payload["evaluated_on"],
            rows=rows,
            models=(None,) * len(rows),
            left_out=tuple((family, reason) for family, reason in payload.get("left_out", ())),
        )

    @property
    def _shows_balanced(self):
        """Whether the table shows ``balanced_agreement`` beside ``agreement``.

        On imbalanced classes a copy that never predicts a rare class still
        agrees with its teacher on nearly every row: only the mean of the
        per-class agreements shows that it misses one.
        """
        return self.metric == "agreement" and any(r.get("balanced_agreement") is not None for r in self.rows)

    def _columns(self):
        return ["family", "student", "complexity", self.metric] + (
            ["balanced_agreement"] if self._shows_balanced else [])

    def _table_rows(self):
        best = self.best_index
        rows = [
            [("* " if i == best else "") + r["family"], r["student"],
             "-" if r["complexity"] is None else size_text(r["complexity"], r["unit"]),
             _failure(r) if r["fidelity"] is None else format_number(r["fidelity"])]
            for i, r in enumerate(self.rows)
        ]
        if self._shows_balanced:
            for cells, r in zip(rows, self.rows):
                cells.append("n/a" if r.get("balanced_agreement") is None else format_number(r["balanced_agreement"]))
        return rows

    def __str__(self):
        direction = ", lower is better" if self.lower_is_better else ""
        head = f"Fidelity frontier of copies of {self.teacher} ({self.metric} on {self.evaluated_on}{direction})"
        lines = [head, text_table(self._columns(), self._table_rows())]
        if self.left_out:
            lines.append("not in the default grid (they cannot take this task or these rows): "
                         + "; ".join(f"{family} ({reason})" for family, reason in self.left_out))
        if self.target is not None:
            lines += self._best_lines()
        return "\n".join(lines)

    def _best_lines(self):
        reached = f"{self.metric} {'<=' if self.lower_is_better else '>='} {self.target}"
        by_unit = self.best_by_unit
        if not by_unit:
            return [f"simplest student reaching {reached}: none"]

        def described(i):
            row = self.rows[i]
            figures = format_number(row["fidelity"])
            if self._shows_balanced and row.get("balanced_agreement") is not None:
                figures += f", balanced agreement {format_number(row['balanced_agreement'])}"
            return f"{row['family']} with {size_text(row['complexity'], row['unit'])} ({figures})"

        if len(by_unit) == 1:
            return [f"simplest student reaching {reached}: {described(self.best_index)}"]
        lines = [f"simplest student reaching {reached}, per unit (sizes in different units are not compared):"]
        lines += [f"  {described(i)}" + ("  <- most faithful of these (best)" if i == self.best_index else "")
                  for i in sorted(by_unit.values())]
        return lines

    def _repr_html_(self):
        # the caption says what the star before a family marks; the student's settings head its row
        table = html_table(self._columns(), self._table_rows(),
                           caption="Students (* marks the chosen one, frontier.best)", row_header=1)
        return html_block(f"Fidelity frontier of copies of {self.teacher}", table)

    def __repr__(self):
        return f"<FidelityFrontier of {self.teacher}: {len(self.rows)} students>"

    def plot(self, ax=None):
        """Fidelity against complexity (see :class:`glassbox.plotting.surrogate.FidelityFrontierDisplay`)."""
        from ..plotting.surrogate import FidelityFrontierDisplay

        return FidelityFrontierDisplay.from_frontier(self).plot(ax=ax)


# Entries of a frontier row that hold text (a family named "nan" stays a string); the others are numbers or flags.
_TEXT_ENTRIES = frozenset({"family", "student", "unit", "error"})
_FAILURE_WIDTH = 70  # characters of a student's error shown in the text table (the whole of it is in rows)


def _checked_row(row, position):
    """A row of a frontier's JSON, refused (KeyError, TypeError naming it) where its table could not print it:
    a student's texts (family, student, unit) that are no strings, a size that is no whole number, a figure
    that is no number."""
    where = f"rows[{position}]"
    complexity, fidelity = row["complexity"], row["fidelity"]
    for key in ("family", "student", "unit"):  # a student that failed to fit has no size, so no unit
        if not isinstance(row[key], str) and not (key == "unit" and row[key] is None and complexity is None):
            raise TypeError(f"{where}[{key!r}] is {row[key]!r:.80}, where the table prints it as text")
    if complexity is not None and (type(complexity) is not int or complexity < 0):
        raise TypeError(f"{where}['complexity'] is {complexity!r:.80}, where a student's size is a whole number >= 0")
    if fidelity is not None and not is_number(fidelity):
        raise TypeError(f"{where}['fidelity'] is {fidelity!r:.80}, where a student's fidelity is a number")
    if row.get("error") is not None and not isinstance(row["error"], str):
        raise TypeError(f"{where}['error'] is {row['error']!r:.80}, where a failed student's error is its message")
    return row


def _failure(row):
    """What the table shows for a student without a figure: the first line of its error, shortened."""
    if not row.get("error"):
        return "n/a"  # fitted, but the metric is undefined for it (e.g. a constant teacher's R²)
    first = row["error"].splitlines()[0]
    return "failed: " + (first if len(first) <= _FAILURE_WIDTH else first[:_FAILURE_WIDTH - 3] + "...")


def _check_teacher(teacher, X, task, classes=None):
    """Ask the teacher about a few rows before the grid: its problem is everyone's, so it is raised, not recorded.

    An unfitted teacher, one without a usable method, one that cannot read
    ``X`` or returns NaN would make every student of the grid fail with the
    same error.  Returns the number of classes of a classifier teacher (its
    ``classes_`` or probability columns; for a function returning labels,
    the labels among its answers on those rows), else 0.
    """
    if not is_fitted_model(teacher):
        raise ValueError(
            f"The teacher {model_name(teacher)} is not fitted: fidelity_frontier copies a fitted model, "
            f"fit it first. {CLONE_NOTE.format(what='teacher')}"
        )
    check_classes_of_model(teacher, classes, who="teacher")
    X = polars_as_pandas(X)
    outputs = model_outputs(teacher, take_rows(X, np.arange(min(n_rows(X), 100))), task=task, who="teacher",
                            classes=classes)
    if task != "classification":
        return 0
    return len(outputs.classes) if outputs.classes is not None else len(np.unique(outputs.labels))


def _n_columns(X):
    return X.shape[1] if hasattr(X, "shape") else len(X[0])


def _check_eval_columns(X, X_eval, n_features):
    """Refuse held-out rows without the columns of ``X`` (in their order) before the grid is fitted.

    Every student would learn ``X`` and then fail on ``X_eval`` alike, and the
    frontier would say that no student could be fitted.
    """
    if X_eval is None:
        return
    X, X_eval = polars_as_pandas(X), polars_as_pandas(X_eval)
    names, eval_names = getattr(X, "columns", None), getattr(X_eval, "columns", None)
    if names is not None and eval_names is not None:
        if list(names) != list(eval_names):
            raise ValueError(
                f"X_eval has {_shown_columns(eval_names)}, where X has {_shown_columns(names)}: the students "
                "learn the columns of X and are measured on those of X_eval. Give X_eval the columns of X, in "
                "their order (X_eval[X.columns])."
            )
    elif _n_columns(X_eval) != n_features:
        raise ValueError(
            f"X_eval has {_n_columns(X_eval)} columns, where X has {n_features}: the students learn the columns "
            "of X and are measured on those of X_eval. Give X_eval the columns of X, in their order "
            "(X_eval[X.columns] for frames)."
        )


def _shown_columns(columns, shown=10):
    names = [plain_value(c) for c in columns]
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"the columns {names[:shown]!r}{more}"


def _raise_if_all_failed(rows):
    """Every student failing is not a frontier: raise the first error (the rows' errors differ only in detail)."""
    if rows and all(r["error"] is not None for r in rows):
        raise ValueError(
            f"No student of the grid could be fitted ({len(rows)} tried); the first error, "
            f"{rows[0]['family']}({rows[0]['student']}): {rows[0]['error']}"
        )


def _described(estimator):
    changed = estimator.get_params(deep=False)
    defaults = type(estimator)().get_params(deep=False)
    shown = {k: v for k, v in changed.items() if defaults.get(k, object()) is not v and defaults.get(k) != v}
    return ", ".join(f"{k}={v}" for k, v in sorted(shown.items())) or "defaults"


def _fitted_differences(asked, fitted):
    """``" (fitted with k=v, ...)"`` for the parameters the copy changed while fitting (not its seed), else ``""``.

    A rule student that mines too many candidates is fitted with fewer
    thresholds, a stepped sparse linear student may be fitted with the plain
    basis: the table says what was fitted, not only what the grid asked for.
    """
    asked_params, fitted_params = asked.get_params(deep=False), fitted.get_params(deep=False)

    def same(a, b):
        try:
            return a is b or bool(a == b)
        except (TypeError, ValueError):  # an array-valued parameter: compared by identity only
            return False

    changed = {k: v for k, v in fitted_params.items() if k != "random_state" and not same(asked_params.get(k), v)}
    return f" (fitted with {', '.join(f'{k}={v}' for k, v in sorted(changed.items()))})" if changed else ""


def _normalise_students(students, task, n_features, n_classes, missing_columns=()):
    """``([(family, estimator)], left_out)``: the grid to fit and the default grid's families left out."""
    if students is None:
        grid = default_student_grid(task, n_features, n_classes, missing_columns)
        if not grid:
            raise ValueError("No glassbox family is installed to build a grid of students; pass students=.")
        return grid, tuple(families_left_out(task, n_classes, missing_columns))
    grid = list(students.items()) if isinstance(students, dict) else [(type(s).__name__, s) for s in students]
    unnamed = [name for name, _ in grid if not isinstance(name, str)]
    if unnamed:  # a key names its row in the table, its printout and its JSON
        raise TypeError(f"students' keys name the rows of the frontier and must be str, got {unnamed[0]!r}; "
                        f"write it as text (e.g. {str(unnamed[0])!r}).")
    if not grid:
        raise ValueError("students is empty: pass at least one glassbox estimator (a list, or a dict of named "
                         "ones), or students=None for the default grid of every installed family.")
    return grid, ()


def _checked_target(target):
    """``target`` as a plain float (None kept): checked before the grid is fitted, and JSON-safe in the frontier."""
    if target is None:
        return None
    if isinstance(target, (bool, np.bool_)) or not isinstance(target, numbers.Real) or not math.isfinite(target):
        raise ValueError(f"target must be a finite number (the fidelity to reach, e.g. 0.95) or None, got {target!r}.")
    return float(target)


def _fit_noting_convergence(copy, X):
    """Fit ``copy``; True unless its student warned that it did not converge (other warnings pass on).

    A grid fits many students; a sampler's convergence warning per student
    would flood the user, so they are gathered into one (:func:`_warn_unconverged`).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        copy.fit(X)
    converged = True
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            converged = False
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return converged


def _warn_unconverged(rows):
    names = [f"{r['family']}({r['student']})" for r in rows if r["converged"] is False]
    if names:
        warnings.warn(
            f"{len(names)} of {len(rows)} students warned that their fit did not converge: {', '.join(names)}. "
            "Their rows are kept (row['converged'] is False); fit one of them alone to read its warning, "
            "and give it more iterations before trusting its place on the frontier.",
            ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )


def _fitted_row(copy, family, student, X, X_eval, metric):
    """Fit one distilled copy of the grid; its table row and the fitted copy (None when it failed)."""
    row = {"family": family, "student": _described(student), "complexity": None, "unit": None,
           "fidelity": None, "balanced_agreement": None, "fit_seconds": None, "converged": None, "error": None}
    start = time.perf_counter()
    try:
        row["converged"] = _fit_noting_convergence(copy, X)
        row["fit_seconds"] = time.perf_counter() - start
        # X_eval may hold what X does not (a missing value): its error is the student's, in its row
        report = copy.fidelity_ if X_eval is None else copy.fidelity_report(X_eval)
    except (ValueError, TypeError, np.linalg.LinAlgError) as error:  # record, keep the rest of the grid
        row["error"] = f"{type(error).__name__}: {error}"
        return row, None
    row["student"] += _fitted_differences(student, copy.student_)
    row["complexity"], row["unit"] = complexity_of(copy.student_)
    row["fidelity"] = report.metrics.get(metric)
    row["balanced_agreement"] = report.metrics.get("balanced_agreement")
    return row, copy


def sized(size, unit):
    """``"1 term"``, ``"3 shape functions"``: a :func:`complexity_of` pair as words."""
    return f"{size} {unit[:-1] if size == 1 else unit}"  # every unit is a plural in -s


def _check_verbose(verbose):
    # the estimators' rule (scikit-learn's "verbose" constraint): a non-negative int, or a bool
    if isinstance(verbose, (bool, np.bool_)) or (isinstance(verbose, numbers.Integral) and verbose >= 0):
        return
    raise ValueError(f"verbose must be a non-negative int (0 silent, 1 a line per student), got {verbose!r}.")


def _progress_line(row, metric):
    """One line of verbose output for a fitted (or failed) student of the grid."""
    if row["error"] is not None:
        return f"{row['family']}({row['student']}): {row['error'].splitlines()[0]}"
    fidelity = "n/a" if row["fidelity"] is None else f"{row['fidelity']:.4f}"
    return (f"{row['family']}({row['student']}): {sized(row['complexity'], row['unit'])}, "
            f"fit {row['fit_seconds']:.2f} s, {metric} {fidelity}")


def fidelity_frontier(teacher, X, *, students=None, target=0.95, X_eval=None, metric=None, task=None,
                      classes=None, n_augment=0, random_state=None, verbose=0):
    """Fit a grid of glass-box students to a fitted teacher; fidelity against complexity.

    Parameters
    ----------
    teacher : fitted model or callable
        Asked about the first 100 rows of ``X`` before the grid: an unfitted
        teacher, one without a usable method, one that cannot read ``X`` or
        returns NaN raises its error at once.
    X : array-like or DataFrame
        Rows the students learn the teacher on.
    students : None, list of glassbox estimators, or dict name -> estimator
        ``None``: every installed family at several complexities (sparse linear
        models with 1 to 12 terms, GAMs with 0 to 10 pairs, risk scores with 3 to
        8 conditions, rule models with 3 to 20 rules), except the families that
        cannot take the task: risk scores (binary only) for a teacher with more
        than two classes (its ``classes_`` or probability columns; for a
        function returning labels, those among its answers on the first 100
        rows), and sparse linear models (no missing values) when ``X`` or
        ``X_eval`` has a missing value (impute both to include them).  They are
        named, with the reason, in :attr:`FidelityFrontier.left_out` and under
        the printed table.  A student given here that cannot take the task
        keeps its error in its row.
    target : float or None, default=0.95
        The fidelity to reach; :attr:`FidelityFrontier.best_by_unit` holds the
        simplest student reaching it in each unit of complexity and
        :attr:`FidelityFrontier.best` the most faithful of those (sizes in
        different units are not compared).  Students whose fit warns that it
        did not converge are named in one ``ConvergenceWarning``.  A student
        that cannot be fitted keeps its error in its row (the text table shows
        its first line); when no student can be fitted, the first error is
        raised.
    X_eval : array-like or None
        Held-out rows to measure fidelity on (recommended); ``X`` otherwise.
        They hold the columns of ``X``, in their order (other columns are
        refused before the grid is fitted).
    metric : str or None
        A :class:`FidelityReport` metric of the task; ``"agreement"`` for
        classification, ``"r2"`` for regression by default.  For a difference
        (``"mae"``, ``"max_abs_difference"``, ``"probability_mae"``,
        ``"logit_mae"``) lower is better: ``target`` is then the largest
        difference accepted and the most faithful student the one with the
        smallest.
    task : {"classification", "regression"} or None
        Inferred from the teacher when None (a classifier's methods or
        ``classes_``); a plain function ``f(X)`` needs it, or ``classes``
        (a function given ``classes`` is taken for a classifier).
    classes : array-like or None
        Classification: the class labels of the teacher's probability
        columns, in column order, for a teacher that does not know them (a
        function ``f(X)`` returning probabilities, or an object with
        ``predict_proba`` but no ``classes_``), passed to each
        :class:`DistilledClassifier`.  Without them such a teacher's columns
        are the classes ``0 .. K-1``.  Refused for a regression, and when
        they differ from a teacher's own ``classes_``.
    n_augment : int or float, default=0
        Passed to each :class:`DistilledClassifier` / :class:`DistilledRegressor`.
    random_state : int, RandomState or None
        Passed to each distilled copy, which seeds with it its extra rows
        (``n_augment``) and a student whose own ``random_state`` is None.
    verbose : int, default=0
        ``0``: silent.  ``1``: print the size of the grid at the start, then
        one line per student as it is fitted (its place in the grid, its
        fit time and fidelity, or its error), so that a long grid shows its
        progress, in the estimators' format (``[fidelity_frontier] ...
        (seconds)``).  ``2``: also each distilled copy's stages; ``3``: also
        its student's.

    Returns
    -------
    FidelityFrontier

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from glassbox import SparseLinearClassifier
    >>> from glassbox.surrogate import fidelity_frontier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> teacher = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, y)
    >>> students = [SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=k) for k in (1, 3)]
    >>> frontier = fidelity_frontier(teacher, X, students=students, target=0.9)
    >>> frontier.best["complexity"] <= 3
    True
    """
    from .distill import DistilledClassifier, DistilledRegressor

    _check_verbose(verbose)
    target = _checked_target(target)
    task_given = task is not None
    task = infer_task(teacher, classes=classes) if task is None else task
    if task not in ("classification", "regression"):
        raise ValueError(f"task must be 'classification' or 'regression', got {task!r}.")
    check_classes_for_task(task, classes, who="teacher", task_given=task_given)
    metric = metric or ("agreement" if task == "classification" else "r2")
    if metric not in metrics_of(task):
        raise ValueError(
            f"metric={metric!r} is not a fidelity metric for {task}; choose one of {list(metrics_of(task))}."
        )
    n_classes = _check_teacher(teacher, X, task, classes)
    n_features = _n_columns(X)
    _check_eval_columns(X, X_eval, n_features)
    meta = DistilledClassifier if task == "classification" else DistilledRegressor
    rows, models = [], []
    missing = _columns_with_missing(X, X_eval) if students is None else []
    grid, left_out = _normalise_students(students, task, n_features, n_classes, missing)
    progress = Progress(verbose, "fidelity_frontier")
    progress.say(f"{sized(len(grid), 'students')} on {n_rows(X)} rows")
    for position, (family, student) in enumerate(grid, start=1):
        # at verbose >= 2 each distilled copy says its stages too (and its student at 3), as a copy does alone
        named = {"classes": classes} if task == "classification" else {}
        copy = meta(teacher, clone(student), teacher_prefit=True, n_augment=n_augment, random_state=random_state,
                    verbose=max(verbose - 1, 0), **named)
        row, model = _fitted_row(copy, family, student, X, X_eval, metric)
        rows.append(row)
        models.append(model)
        progress.say(f"{position}/{len(grid)} {_progress_line(row, metric)}")
    progress.done(f"fitted {sized(len(grid), 'students')}")
    _raise_if_all_failed(rows)
    _warn_unconverged(rows)
    return FidelityFrontier(
        teacher=model_name(teacher),
        metric=metric,
        target=target,
        evaluated_on="training rows" if X_eval is None else "held-out rows",
        rows=tuple(rows),
        models=tuple(models),
        left_out=left_out,
    )
