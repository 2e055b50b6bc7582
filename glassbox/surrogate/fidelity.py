"""How faithful is a copy?  :func:`fidelity_report` compares a student with its teacher."""

import html
import re
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from ..explain._checks import is_number
from ..explain._columns import generated_names
from ..explain._equality import same_fields
from ..explain._render import count_text, format_number, html_block, html_table, text_table
from ..explain._row_labels import decode_labels, encode_labels, label_text, row_labels_of
from ..explain._serialize import JsonText, decode_scalar, encode_scalar, reads_report_payload
from ..utils.binning import MAX_NUMERIC_BINS, FeatureBinner
from ..utils.tabular import polars_as_pandas
from ..utils.validation import check_sample_weight, plain_value
from ._metrics import mean_abs_difference, per_class_agreement, r2, r2_per_column, rank_auc, spearman
from ._outputs import check_classes_for_task, check_classes_of_model, infer_task, model_name, model_outputs, n_rows
from ._weighted_rows import take_rows_as_given

__all__ = ["FidelityReport", "fidelity_report"]

_CLASSIFICATION_METRICS = (
    "agreement",
    "balanced_agreement",
    "probability_r2",
    "probability_mae",
    "logit_r2",
    "logit_mae",
    "rank_auc",
    "spearman",
)
_REGRESSION_METRICS = ("r2", "mae", "max_abs_difference", "spearman")
# Differences between the two models: a faithful copy has a small one.  Every other metric is higher-is-better.
LOWER_IS_BETTER = frozenset({"probability_mae", "logit_mae", "mae", "max_abs_difference"})


def metrics_of(task):
    """The names of the metrics a :class:`FidelityReport` holds for ``task``."""
    return _CLASSIFICATION_METRICS if task == "classification" else _REGRESSION_METRICS


def json_scalar(value):
    """A JSON-safe scalar for the reports' payloads.

    Numbers as :func:`~glassbox.explain._serialize.encode_scalar` writes them,
    but a string stays the plain string (a class or bin labelled "nan" is
    ``"nan"``, not ``{"str": "nan"}``): the loaders know from its place
    whether a value is a label (:func:`json_label`) or a number
    (:func:`json_number`).
    """
    if isinstance(value, str):
        return str(value)
    return encode_scalar(value)


def json_label(value):
    """A class, bin or name written by :func:`json_scalar`: a string as written, tagged values decoded."""
    return value if isinstance(value, str) else decode_scalar(value)


def json_number(value):
    """A number (or ``None``) written by :func:`json_scalar`: ``"nan"``, ``"inf"`` and ``"-inf"`` read as floats."""
    return decode_scalar(value)


@dataclass(frozen=True, eq=False)
class FidelityReport(JsonText):
    """Fidelity of a student model to its teacher on a set of rows.

    Attributes
    ----------
    task : {"classification", "regression"}
    teacher, student : str
        Names of the compared models.
    n_samples : int
        Rows compared (with ``sample_weight``: rows of positive weight).
    metrics : dict of str -> float or None
        Classification: ``agreement`` (share of rows where the labels agree;
        a model's labels are what its ``predict`` decides, which a tuned
        threshold moves away from its most probable classes, and a function's
        or a model's without ``predict`` its most probable classes),
        ``balanced_agreement`` (mean over the teacher's classes of the agreement
        within the class: plain agreement flatters a copy on imbalanced data),
        ``probability_r2`` / ``probability_mae`` (probability of the second
        class for binary tasks), ``logit_r2`` / ``logit_mae`` (log-odds: a
        model's decision function when it reproduces its probabilities,
        unclipped, else from probabilities clipped at 1e-7), ``rank_auc`` (AUC
        of the student's score against the teacher's labels) and ``spearman``
        (rank correlation of the two scores).  Regression: ``r2``, ``mae``,
        ``max_abs_difference``, ``spearman``.  ``None`` where undefined (e.g. a
        model without probabilities, or a constant teacher).  With ``K > 2``
        classes, ``P`` and ``Q`` the teacher's and the student's ``(n, K)``
        probabilities (the student's columns in the teacher's class order):
        ``probability_r2`` is ``1 - sum((P - Q)**2) / sum((P - P.mean(axis=0))**2)``,
        each class column centred on its own mean, i.e. scikit-learn's
        ``r2_score(P, Q, multioutput="variance_weighted")`` (the per-class R²
        of :attr:`class_probability_r2` averaged with the teacher's
        per-class variances as weights, not ``r2_score(P.ravel(),
        Q.ravel())``); ``probability_mae`` is ``abs(P - Q).mean()``;
        ``logit_r2`` / ``logit_mae`` are the same two figures on the centred
        log-probabilities (each row's log-probabilities minus their mean over
        the classes); ``spearman`` is the mean over the classes of the Spearman
        correlation of ``P[:, k]`` with ``Q[:, k]`` (a class whose probability
        is constant for either model is skipped); ``rank_auc`` is the mean
        over the classes of the one-vs-rest AUC of ``Q[:, k]`` against "the
        teacher predicts class k" (a class the teacher predicts on no row or
        on every row is skipped; when it predicts every class, what
        ``roc_auc_score(teacher_labels, Q, multi_class="ovr")`` gives).
        With ``sample_weight`` each figure is weighted by the rows' weights
        (``sample_weight=`` of the same scikit-learn and scipy functions;
        Spearman of weighted mid-ranks).
    per_class : tuple of (class, n_rows, agreement)
        Agreement on the rows the teacher assigns to each class.
    class_probability_r2 : tuple of (class, r2)
        The R² of each class's probability (``r2_score(P[:, k], Q[:, k])``,
        on all rows, weighted as the metrics), in the teacher's class order,
        ``None`` for a class whose probability the teacher holds constant;
        empty when a model gives no probabilities.  Printed beside the
        agreement per class when there are more than two classes (with two,
        both equal ``probability_r2``): a single ``probability_r2`` can hide a
        class the copy follows poorly.
    class_probability_mae : tuple of (class, mae)
        The mean absolute difference of each class's probability, on all
        rows, weighted as the metrics, printed beside its R²: the R² of a
        class the teacher almost never gives any probability divides by that
        probability's tiny variance (-1000 for a copy whose probabilities
        differ by 0.001), the difference says how far apart they are.
    segments : tuple of (feature, bin, n_rows, disagreement)
        Fidelity per feature bin, worst first.  ``disagreement`` is the share of
        rows whose labels differ (classification) or the mean absolute
        difference of the predictions (regression).
    worst_rows : tuple of (row, teacher, student, gap)
        The rows where the copy is furthest from the teacher: labels and the gap
        in the probability of the teacher's class (classification) or the two
        predictions and their absolute difference (regression).  ``row`` is the
        row's index label when ``X`` is a pandas DataFrame (``X.loc[row]`` finds
        it, as the ``row_labels`` of ``explain_local`` do) and its position
        otherwise (``X[row]`` for an array; a polars frame has no index).
    unsegmented : tuple of (feature, reason)
        Columns left out of ``segments`` because no glassbox binning reads
        them (dates; a categorical column with more than 254 levels, such as
        an identifier): the models compared may read or drop them, so they do
        not stop the report.
    total_weight : float or None
        The total ``sample_weight`` of the compared rows when the weights of
        the rows kept (weight > 0) were not all 1 (None: unweighted, 0/1
        weights included, which only leave rows out).  The printout, the HTML
        and the JSON then say that the figures are weighted; the ``rows`` of
        the per-class and segment tables stay numbers of rows.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from glassbox import SparseLinearClassifier
    >>> from glassbox.surrogate import FidelityReport, fidelity_report
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> X = X.iloc[:, :5]
    >>> teacher = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> student = SparseLinearClassifier(max_features=3).fit(X, teacher.predict(X))
    >>> report = fidelity_report(teacher, student, X)
    >>> print(report)
    Fidelity of SparseLinearClassifier to RandomForestClassifier on 569 rows (classification)
    metric              value
    ------------------  -------
    agreement           0.935
    ...
    agreement per teacher class:
    ...
    where the copy disagrees most:
    ...
    >>> report.agreement == report.metrics["agreement"] == report.headline
    True
    >>> report.segments_frame().columns.tolist()
    ['feature', 'bin', 'n_rows', 'disagreement']
    >>> FidelityReport.from_json(report.to_json()) == report
    True
    """

    task: str
    teacher: str
    student: str
    n_samples: int
    metrics: dict
    per_class: tuple
    segments: tuple
    worst_rows: tuple
    unsegmented: tuple = ()
    class_probability_r2: tuple = ()
    total_weight: float = None
    class_probability_mae: tuple = ()

    def __getattr__(self, name):
        # Metrics read as attributes: ``report.agreement``.
        metrics = self.__dict__.get("metrics", {})
        if name in metrics:
            return metrics[name]
        raise AttributeError(name)

    @property
    def headline(self):
        """The one number to quote: agreement (classification) or R² (regression; None for a constant teacher)."""
        return self.metrics["agreement"] if self.task == "classification" else self.metrics["r2"]

    def summary(self):
        """The metrics as a plain dict of floats (``None`` where undefined)."""
        return dict(self.metrics)

    # -- tables --------------------------------------------------------------------
    def to_frame(self):
        """One row per metric: ``metric``, ``value``."""
        import pandas as pd

        return pd.DataFrame({"metric": list(self.metrics), "value": [self.metrics[k] for k in self.metrics]})

    def per_class_frame(self):
        """One row per teacher class: ``class``, ``n_rows``, ``agreement`` (and ``probability_r2`` and
        ``probability_mae`` when known).

        With :attr:`class_probability_r2`, a class the teacher predicts on no
        row is listed too (0 rows, agreement ``None``).
        """
        import pandas as pd

        if not self.class_probability_r2:
            return pd.DataFrame(list(self.per_class), columns=["class", "n_rows", "agreement"])
        columns = ["class", "n_rows", "agreement", "probability_r2"]
        columns += ["probability_mae"] * bool(self.class_probability_mae)
        return pd.DataFrame(self._classes_with_r2(), columns=columns)

    def _classes_with_r2(self):
        """``[(class, n_rows, agreement, probability_r2[, probability_mae])]`` over the classes of
        :attr:`class_probability_r2` (the difference where the report has it: older files lack it)."""
        rows = []
        for k, (label, value) in enumerate(self.class_probability_r2):
            found = [(n, a) for c, n, a in self.per_class if c == label]
            n_rows, agreement = found[0] if found else (0, None)
            mae = self.class_probability_mae[k][1:] if self.class_probability_mae else ()
            rows.append((label, n_rows, agreement, value, *mae))
        return rows

    def segments_frame(self):
        import pandas as pd

        return pd.DataFrame(list(self.segments), columns=["feature", "bin", "n_rows", "disagreement"])

    def worst_rows_frame(self):
        import pandas as pd

        return pd.DataFrame(list(self.worst_rows), columns=["row", "teacher", "student", "gap"])

    # -- serialisation -------------------------------------------------------------
    def __eq__(self, other):
        if not isinstance(other, FidelityReport):
            return NotImplemented
        return same_fields(self, other)

    __hash__ = None

    def to_dict(self):
        """JSON-safe dictionary of everything in the report (:meth:`from_dict` reads it back)."""

        def clean(rows):
            return [[json_scalar(v) for v in row] for row in rows]

        # a row label may be a timestamp or a tuple (MultiIndex): written as explain_local writes labels
        labels, _ = encode_labels([row[0] for row in self.worst_rows])
        worst = [[label, *[json_scalar(v) for v in row[1:]]] for label, row in zip(labels, self.worst_rows)]

        return {
            "kind": "fidelity_report",
            "task": self.task,
            "teacher": self.teacher,
            "student": self.student,
            "n_samples": self.n_samples,
            "metrics": {k: json_scalar(v) for k, v in self.metrics.items()},
            "per_class": clean(self.per_class),
            "segments": clean(self.segments),
            "worst_rows": worst,
            "unsegmented": clean(self.unsegmented),
            "class_probability_r2": clean(self.class_probability_r2),
            "class_probability_mae": clean(self.class_probability_mae),
            **({} if self.total_weight is None else {"total_weight": json_scalar(self.total_weight)}),
        }

    @classmethod
    @reads_report_payload("fidelity_report", "a fidelity report")
    def from_dict(cls, payload):
        """The report written by :meth:`to_dict`: equal to it (``==``) and printing the same text.

        Row labels without an exact JSON form (see
        :meth:`glassbox.LocalExplanation.to_dict`) come back as their text.
        """
        _check_report_fields(payload)
        value = json_number if payload["task"] == "regression" else json_label  # the teacher and student columns
        rows = payload["worst_rows"]
        labels = decode_labels([row[0] for row in rows])
        return cls(
            task=payload["task"],
            teacher=payload["teacher"],
            student=payload["student"],
            n_samples=payload["n_samples"],
            metrics={name: json_number(v) for name, v in payload["metrics"].items()},
            per_class=tuple((json_label(c), n, json_number(a)) for c, n, a in payload["per_class"]),
            segments=tuple((json_label(f), json_label(b), n, json_number(d)) for f, b, n, d in payload["segments"]),
            worst_rows=tuple((label, value(t), value(s), json_number(g)) for label, (_, t, s, g) in zip(labels, rows)),
            unsegmented=tuple((json_label(f), reason) for f, reason in payload.get("unsegmented", ())),
            class_probability_r2=tuple((json_label(c), json_number(v))
                                       for c, v in payload.get("class_probability_r2", ())),
            total_weight=json_number(payload.get("total_weight")),  # absent: unweighted (and in older payloads)
            class_probability_mae=tuple((json_label(c), json_number(v))  # absent in older payloads
                                        for c, v in payload.get("class_probability_mae", ())),
        )

    # -- presentation --------------------------------------------------------------
    def _metric_rows(self):
        return [[k, format_number(v) if v is not None else "n/a"] for k, v in self.metrics.items()]

    def _per_class_table(self):
        """``(header, rows)`` of the agreement per teacher class, with each class's probability R² beside it
        when there are more than two classes."""
        if len(self.class_probability_r2) > 2:
            rows = [[c, n, *("n/a" if v is None else format_number(v) for v in figures)]
                    for c, n, *figures in self._classes_with_r2()]
            header = ["class", "rows", "agreement", "probability_r2 (all rows)"]
            return header + ["probability_mae (all rows)"] * bool(self.class_probability_mae), rows
        return ["class", "rows", "agreement"], [[c, n, format_number(a)] for c, n, a in self.per_class]

    def _segment_rows(self, limit):
        return [[f, b, n, format_number(d)] for f, b, n, d in self.segments[:limit]]

    def _worst_row_cells(self, limit):
        """The worst rows as printed: a regression's predictions in the report's short number format."""
        shown = format_number if self.task == "regression" else label_text
        return [[label_text(r), shown(t), shown(s), format_number(g)] for r, t, s, g in self.worst_rows[:limit]]

    def __str__(self):
        return self.to_text()

    def to_text(self, max_segments=5, max_rows=5):
        """The report as text: ``max_segments`` of the segments where the copy disagrees most and ``max_rows``
        of the worst rows (``to_frame()`` tabulates every one)."""
        lines = [f"Fidelity of {self.student} to {self.teacher} on {count_text(self.n_samples, 'row')} ({self.task})"]
        lines += [self._weight_line()] if self.total_weight is not None else []
        lines.append(text_table(["metric", "value"], self._metric_rows()))
        if self.per_class or self.class_probability_r2:
            lines += ["", "agreement per teacher class:", text_table(*self._per_class_table())]
        if self.segments:
            header = ["feature", "bin", "rows", "disagreement"]
            lines += ["", "where the copy disagrees most:", text_table(header, self._segment_rows(max_segments))]
        if self.unsegmented:
            lines += ["", "not segmented (no binning reads them):"]
            lines += [f"  {feature}: {reason}" for feature, reason in self.unsegmented]
        if self.worst_rows:
            header = ["row", "teacher", "student", "gap"]
            lines += ["", "worst rows:", text_table(header, self._worst_row_cells(max_rows))]
        return "\n".join(lines)

    def _weight_line(self):
        """Under the header of a weighted report: the figures weigh each row, the tables' rows are counts."""
        return (f"weighted by sample_weight: total weight {format_number(self.total_weight)} over "
                f"{count_text(self.n_samples, 'row')}; every figure weighs a row by its weight (the 'rows' columns count rows)")

    def _repr_html_(self):
        parts = [html_table(["metric", "value"], self._metric_rows(), caption="metrics", row_header=0)]
        if self.total_weight is not None:
            parts.insert(0, f"<p>{html.escape(self._weight_line())}</p>")
        if self.per_class or self.class_probability_r2:
            parts.append(html_table(*self._per_class_table(), caption="per teacher class", row_header=0))
        if self.segments:
            parts.append(html_table(["feature", "bin", "rows", "disagreement"], self._segment_rows(10),
                                    caption="worst segments"))
        if self.worst_rows:
            parts.append(html_table(["row", "teacher", "student", "gap"], self._worst_row_cells(10),
                                    caption="worst rows", row_header=0))
        return html_block(f"Fidelity of {self.student} to {self.teacher} ({count_text(self.n_samples, 'row')})", "".join(parts))

    def __repr__(self):
        headline = "n/a" if self.headline is None else format_number(self.headline)  # n/a as the table prints it
        return f"<FidelityReport {self.student} vs {self.teacher}: {self.task}, headline={headline}>"

    def plot(self, ax=None, **kwargs):
        """Plot the worst segments (see :class:`glassbox.plotting.FidelityDisplay`)."""
        from ..plotting.surrogate import FidelityDisplay

        return FidelityDisplay.from_report(self).plot(ax=ax, **kwargs)


def _check_report_fields(payload):
    """Refuse (TypeError, ValueError naming the field) the header fields of a report's JSON that its printout
    and to_json() could not use: a task other than the two, names that are no text, a row count that is no
    whole number (NaN would load, then not save), figures that are no numbers."""
    if payload["task"] not in ("classification", "regression"):
        raise ValueError(f"task is {payload['task']!r:.80}, where a report's task is 'classification' or 'regression'")
    for key in ("teacher", "student"):
        if not isinstance(payload[key], str):
            raise TypeError(f"{key} is {payload[key]!r:.80}, where the report names the model in words")
    if type(payload["n_samples"]) is not int or payload["n_samples"] < 0:
        raise TypeError(f"n_samples is {payload['n_samples']!r:.80}, where a count of rows is a whole number >= 0")
    for name, figure in payload["metrics"].items():
        if not _is_figure(json_number(figure)):
            raise TypeError(f"metrics[{name!r}] is {figure!r:.80}, where a fidelity figure is a number")
    headline = "agreement" if payload["task"] == "classification" else "mae"  # the plot's overall line
    if json_number(payload["metrics"][headline]) is None:
        raise ValueError(f"metrics[{headline!r}] is null, where every {payload['task']} report measures it")
    # the segments' and classes' rows: (feature, bin, rows, difference) and (class, rows, agreement)
    for table, width in (("segments", 4), ("per_class", 3)):
        for k, row in enumerate(payload[table]):
            if not isinstance(row, list) or len(row) != width:
                raise TypeError(f"{table}[{k}] is {row!r:.80}, where each entry lists {width} values")
            n, figure = row[-2], json_number(row[-1])
            absent = figure is None and table == "segments"  # a segment is listed for its difference
            if not is_number(n) or not n >= 0 or not _is_figure(figure) or absent:
                raise TypeError(f"{table}[{k}] is {row!r:.80}, where its last two values are a count of rows "
                                f"(>= 0) and a number")
    # each class's probability difference is printed beside its R²: the same classes, in the same order
    r2_classes = [row[0] for row in payload.get("class_probability_r2", ())]
    mae_classes = [row[0] for row in payload.get("class_probability_mae", ())]
    if mae_classes and mae_classes != r2_classes:
        raise ValueError(f"class_probability_mae lists the classes {mae_classes!r:.80}, where it lists those of "
                         f"class_probability_r2 in their order ({r2_classes!r:.80})")


def _is_figure(value):
    """Whether ``value`` is a figure a report holds: a number (NaN where undefined) or None."""
    return value is None or is_number(value)


def _student_order(student_out, teacher_classes):
    """Positions of the teacher's classes among the student's (None when the student does not name its classes)."""
    if student_out.classes is None:
        return None
    position = {c: k for k, c in enumerate(student_out.classes)}
    missing = [c for c in teacher_classes if c not in position]
    if missing or len(student_out.classes) != len(teacher_classes):
        raise ValueError(
            f"The student predicts classes {[plain_value(c) for c in student_out.classes]} "
            f"but the teacher {[plain_value(c) for c in teacher_classes]}; "
            "fit the student on the teacher's labels so both know the same classes."
        )
    return [position[c] for c in teacher_classes]


def _aligned_student_proba(student_out, teacher_classes):
    """The student's probabilities with columns in the teacher's class order."""
    if student_out.proba is None:
        return None
    order = _student_order(student_out, teacher_classes)
    return student_out.proba if order is None else student_out.proba[:, order]


def _log_odds(score, n_classes):
    """A model's score as log-odds of the second class (binary) or centred log-probabilities (multiclass).

    ``score`` is the model's decision function when it reproduces its
    probabilities (so a very sure prediction keeps its full log-odds, beyond
    what probabilities clipped at 1e-7 can express), else the log-odds of its
    clipped probabilities (see ``model_outputs``).
    """
    score = np.asarray(score, dtype=np.float64)
    if score.ndim == 2 and n_classes == 2:
        return score[:, 1] - score[:, 0]
    return score - score.mean(axis=1, keepdims=True) if score.ndim == 2 else score


def _aligned_student_log_odds(student_out, teacher_classes):
    """The student's log-odds with classes in the teacher's order (the same set: checked with the probabilities)."""
    if student_out.score is None:
        return None
    score = np.asarray(student_out.score, dtype=np.float64)
    order = _student_order(student_out, teacher_classes)
    if order is not None and len(teacher_classes) > 1:
        if score.ndim == 2:
            score = score[:, order]
        elif order != [0, 1]:  # binary, classes listed the other way round: the log-odds of the other class
            score = -score
    return _log_odds(score, len(teacher_classes))


def _classification_figures(teacher_out, student_out, weights=None):
    t_labels, s_labels = np.asarray(teacher_out.labels), np.asarray(student_out.labels)
    classes = teacher_out.classes
    if classes is None:
        classes = np.unique(np.concatenate([t_labels, s_labels]))
    per_class = per_class_agreement(t_labels, s_labels, classes, weights)
    metrics = dict.fromkeys(_CLASSIFICATION_METRICS)
    metrics["agreement"] = float(np.average(t_labels == s_labels, weights=weights))
    metrics["balanced_agreement"] = float(np.mean([a for _, _, a in per_class]))
    s_proba = _aligned_student_proba(student_out, classes)
    t_proba = teacher_out.proba
    # a model without probabilities (a margin) still ranks rows: its score serves rank_auc and spearman
    s_logit = _aligned_student_log_odds(student_out, classes)
    t_logit = None if teacher_out.score is None else _log_odds(teacher_out.score, len(classes))
    s_score = s_logit if len(classes) == 2 or s_proba is None else s_proba
    both_proba = t_proba is not None and s_proba is not None
    class_r2 = class_mae = ()
    if both_proba:
        pick = slice(1, 2) if len(classes) == 2 else slice(None)
        class_r2 = tuple(zip(classes, r2_per_column(t_proba, s_proba, weights)))
        class_mae = tuple((c, mean_abs_difference(t_proba[:, k], s_proba[:, k], weights))
                          for k, c in enumerate(classes))
        metrics["probability_r2"] = r2(t_proba[:, pick], s_proba[:, pick], weights)
        metrics["probability_mae"] = mean_abs_difference(t_proba[:, pick], s_proba[:, pick], weights)
        metrics["logit_r2"] = r2(t_logit, s_logit, weights)
        metrics["logit_mae"] = mean_abs_difference(t_logit, s_logit, weights)
    if t_logit is not None and s_logit is not None:
        multiclass_proba = both_proba and len(classes) > 2
        metrics["spearman"] = spearman(t_proba if multiclass_proba else t_logit,
                                       s_proba if multiclass_proba else s_logit, weights)
    metrics["rank_auc"] = rank_auc(t_labels, s_score, classes, weights)
    # Per-row error for segments and the worst rows.
    disagree = (t_labels != s_labels).astype(np.float64)
    if t_proba is not None and s_proba is not None:
        index = np.searchsorted(classes, t_labels) if _sortable(classes) else _index_of(classes, t_labels)
        rows = np.arange(len(t_labels))
        gap = np.abs(t_proba[rows, index] - s_proba[rows, index])
    else:
        gap = disagree
    worst_key = disagree + gap  # disagreements first, then by probability gap
    return metrics, (tuple(per_class), class_r2, class_mae), disagree, worst_key, gap, t_labels, s_labels


def _sortable(classes):
    return bool(np.all(classes[:-1] < classes[1:])) if len(classes) > 1 else True


def _index_of(classes, labels):
    position = {c: k for k, c in enumerate(classes)}
    return np.array([position[v] for v in labels], dtype=np.intp)


def _regression_figures(teacher_out, student_out, weights=None):
    t, s = teacher_out.score, student_out.score
    difference = np.abs(t - s)
    counted = slice(None) if weights is None else weights > 0
    metrics = {
        "r2": r2(t, s, weights),
        "mae": mean_abs_difference(t, s, weights),
        "max_abs_difference": float(difference[counted].max()),
        "spearman": spearman(t, s, weights),
    }
    return metrics, ((), (), ()), difference, difference, difference, t, s


def _array_binner(n_bins):
    """A :class:`FeatureBinner` whose codes are an array whatever ``set_config(transform_output=)`` says.

    The binner is public and follows the user's global output setting; the
    segment table indexes its codes as an array (``codes[:, j]``), which a
    pandas frame does not take.
    """
    return FeatureBinner(max_bins=n_bins, subsample=None).set_output(transform="default")


def _binned_columns(X, n_bins):
    """``[(feature, codes, bins)]`` for the columns a :class:`FeatureBinner` reads, and ``[(feature, reason)]`` for the rest.

    The models compared may read columns no glassbox binning does (an
    identifier with thousands of levels, dates: a pipeline can drop them), so
    a column that cannot be binned is left out of the segment table instead
    of failing the report; it is tried alone only when binning all columns at
    once fails.
    """
    try:
        binner = _array_binner(n_bins)
        codes = binner.fit_transform(X)
        return [(bins.feature, codes[:, j], bins) for j, bins in enumerate(binner.bins_)], []
    except (ValueError, TypeError):
        pass
    X = X if hasattr(X, "iloc") or hasattr(X, "tocsr") else np.asarray(X, dtype=object)
    binned, skipped = [], []
    names = [str(c) for c in X.columns] if hasattr(X, "columns") else generated_names(X.shape[1])
    for j, name in enumerate(names):
        try:
            binner = _array_binner(n_bins)
            codes = binner.fit_transform(X.iloc[:, [j]] if hasattr(X, "iloc") else X[:, [j]])
        except (ValueError, TypeError) as exc:
            skipped.append((name, _first_clause(str(exc))))
            continue
        binned.append((name, codes[:, 0], binner.bins_[0]))
    return binned, skipped


def _first_clause(message):
    """The reason in an error message, without its advice (about glassbox models, not the ones compared)."""
    return re.split(r"[.;]\s", message.strip().splitlines()[0] if message.strip() else "", maxsplit=1)[0]


def _segments(X, error, n_bins, min_rows, weights=None):
    """Segments worst first, and the columns left out of them (feature, reason).

    A segment's rows are those of positive weight; its disagreement is their
    weighted mean error.
    """
    binned, skipped = _binned_columns(X, n_bins)
    w = np.ones(len(error)) if weights is None else weights
    found = []
    for feature, codes, bins in binned:
        labels = bins.bin_labels()
        counts = np.bincount(codes, weights=(w > 0).astype(np.float64), minlength=len(labels))
        mass = np.bincount(codes, weights=w, minlength=len(labels))
        totals = np.bincount(codes, weights=w * error, minlength=len(labels))
        for b in np.flatnonzero((counts >= min_rows) & (mass > 0)):
            found.append((feature, labels[b], int(counts[b]), float(totals[b] / mass[b])))
    found.sort(key=lambda row: (-row[3], -row[2]))
    return tuple(found), tuple(skipped)


def fidelity_report(teacher, student, X, *, task=None, classes=None, sample_weight=None, n_bins=10,
                    min_segment_rows=None, n_worst=10):
    """Compare a student model with its teacher on the rows ``X``.

    Parameters
    ----------
    teacher, student : fitted model or callable
        Anything with ``predict_proba`` / ``decision_function`` / ``predict``, or
        a function ``f(X)`` (for classification returning probabilities as a
        2-D array or labels as a 1-D array; for regression the predictions).
    X : array-like or DataFrame of shape (n_samples, n_features)
        The rows to compare on: held-out rows give an honest figure.  The
        worst rows are named by a DataFrame's index labels (positions for
        other input).
    task : {"classification", "regression"} or None
        Inferred from the teacher when ``None``: a function ``f(X)`` is
        taken for a classifier when ``classes`` is given, and otherwise
        needs ``task``.
    classes : array-like or None
        Classification: the class labels of the teacher's probability columns,
        in column order, for a teacher that does not know them (a function
        ``f(X)`` returning probabilities, or an object with ``predict_proba``
        but no ``classes_``).  Without them such a teacher's columns are the
        classes ``0 .. K-1``.  A model with ``classes_`` keeps its own
        (``classes`` other than those, or in another order, are refused).
        Refused for a regression (``task="regression"``, or a teacher read
        as a regressor): a regressor's predictions have no classes to name.
    sample_weight : array-like of shape (n_samples,) or None
        Row weights: every figure, per-class agreement and segment weighs a
        row by its weight (a weight counts as copies of the row, as in
        ``fit``); rows of weight zero are left out (not counted in
        ``n_samples``, never a worst row, no segment's bin edges read them:
        the report is the one on the other rows alone, its worst rows named
        by their place among the rows given).
    n_bins : int, default=10
        Quantile bins per numeric feature for the segment table.
    min_segment_rows : int or None
        Segments with fewer rows are left out (default: 1% of rows, at least 5).
    n_worst : int, default=10
        How many worst rows to keep.

    Returns
    -------
    FidelityReport

    Examples
    --------
    >>> import numpy as np
    >>> from glassbox.surrogate import fidelity_report
    >>> X = np.arange(8.0).reshape(-1, 1)
    >>> teacher = lambda X: (X[:, 0] > 3).astype(int)
    >>> student = lambda X: (X[:, 0] > 4).astype(int)
    >>> report = fidelity_report(teacher, student, X, task="classification")
    >>> report.agreement
    0.875
    """
    X = polars_as_pandas(X)  # a third-party model reads a polars frame as the pandas frame it stands for
    task_given = task is not None
    if task is None:
        task = infer_task(teacher, who="teacher", classes=classes)
        if task == "regression" and hasattr(student, "predict_proba") and infer_task(student) == "classification":
            raise ValueError(
                f"The teacher {model_name(teacher)} is a regressor but the student {model_name(student)} a "
                "classifier: their outputs cannot be compared. Fit a regressor student on the teacher's "
                "predictions, or pass task= to say how to compare them."
            )
    if task not in ("classification", "regression"):
        raise ValueError(f"task must be 'classification' or 'regression', got {task!r}.")
    check_classes_for_task(task, classes, who="teacher", task_given=task_given)
    check_classes_of_model(teacher, classes, who="teacher")
    _check_counts(n_bins, min_segment_rows, n_worst)
    weights = None if sample_weight is None else check_sample_weight(sample_weight, n_rows(X))
    labels, _ = row_labels_of(X)  # of the rows given: a worst row is named as it is in X
    X, weights, kept = _rows_that_count(X, weights)
    teacher_out = model_outputs(teacher, X, task=task, who="teacher", classes=classes)
    student_out = model_outputs(student, X, task=task, who="student", classes=teacher_out.classes)
    if task == "classification":
        figures = _classification_figures(teacher_out, student_out, weights)
    else:
        figures = _regression_figures(teacher_out, student_out, weights)
    metrics, (per_class, class_r2, class_mae), error, worst_key, gap, t_values, s_values = figures
    n = len(error)
    min_rows = max(5, int(np.ceil(0.01 * n))) if min_segment_rows is None else int(min_segment_rows)
    order = np.argsort(-worst_key, kind="stable")[:n_worst]
    segments, unsegmented = _segments(X, error, n_bins, min_rows, weights)
    given = np.arange(n) if kept is None else kept  # each row's position in the rows given
    worst = tuple((int(given[i]) if labels is None else labels[given[i]], plain_value(t_values[i]),
                   plain_value(s_values[i]), float(gap[i]))
                  for i in order if worst_key[i] > 0)
    return FidelityReport(
        task=task,
        teacher=model_name(teacher),
        student=model_name(student),
        n_samples=n,
        metrics=metrics,
        per_class=tuple((plain_value(c), n_c, a) for c, n_c, a in per_class),
        segments=segments,
        worst_rows=worst,
        unsegmented=unsegmented,
        class_probability_r2=tuple((plain_value(c), value) for c, value in class_r2),
        class_probability_mae=tuple((plain_value(c), value) for c, value in class_mae),
        # rows of weight 0 are left out: 0/1 weights leave a plain count of the rows kept
        total_weight=None if weights is None else float(weights.sum()),
    )


def _check_counts(n_bins, min_segment_rows, n_worst):
    """Refuse counts that would quietly change the report (``n_worst=-1`` would slice off the last row)."""
    checks = [("n_bins", n_bins, 1, MAX_NUMERIC_BINS, "quantile bins per numeric feature for the segment table"),
              ("n_worst", n_worst, 0, None, "how many worst rows to keep")]
    if min_segment_rows is not None:
        checks.append(("min_segment_rows", min_segment_rows, 1, None, "the fewest rows a segment may have, or None"))
    for name, value, least, most, meaning in checks:
        if (isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral) or value < least
                or (most is not None and value > most)):
            bounds = f"from {least} to {most}" if most is not None else f">= {least}"
            raise ValueError(f"{name} ({meaning}) must be an int {bounds}, got {value!r}.")


def _rows_that_count(X, weights):
    """``(X, weights, kept)``: the rows of positive weight, their weights (None when all 1) and their positions.

    A row of weight zero is as good as absent: it is compared on no figure,
    no segment and no bin edge, so a report on rows weighted 0 or 1 is the
    report on the rows of weight 1 alone.  ``kept`` is None when every row counts.
    """
    if weights is None:
        return X, None, None
    kept = None
    if not np.all(weights > 0):
        kept = np.flatnonzero(weights > 0)
        X, weights = take_rows_as_given(X, kept), weights[kept]
    return X, None if np.all(weights == 1.0) else weights, kept


