"""What both distilled estimators share: the teacher, the augmentation, delegation to the student.

:class:`~glassbox.surrogate.DistilledClassifier` and
:class:`~glassbox.surrogate.DistilledRegressor` (``distill.py``) add their fit
and what is particular to a classification or regression copy.
"""

import dataclasses
from numbers import Integral, Real

import numpy as np
from sklearn.base import is_classifier, is_regressor
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.validation import check_array, check_is_fitted

from ..utils._progress import VERBOSE_CONSTRAINT
from ..utils._sklearn_shim import Interval, StrOptions, feature_names_checked_by, validate_data
from ..utils.tabular import polars_as_pandas
from ._agreement import scaled_explanation
from ._augment import AUGMENT_METHODS, augment, concatenate_rows
from ._distill_progress import say_student, say_teacher
from ._outputs import model_name
from ._students import check_student, default_student
from ._teacher import fit_teacher, teacher_routing
from ._weighted_rows import metadata_of_rows
from .fidelity import fidelity_report

__all__ = ["DistilledBase", "as_rows"]

TEACHER_PREFIT = [StrOptions({"auto"}), "boolean"]


def as_rows(X):
    """DataFrames as they are (the teacher may need column names); anything else as an array.

    A polars frame becomes the pandas frame glassbox reads it as, so that the
    teacher and the student see its column names and categories.
    """
    X = polars_as_pandas(X)
    return X if hasattr(X, "iloc") else np.asarray(X)


def _teacher_kind(teacher):
    """``"classifier"``, ``"regressor"`` or None (a callable, or a model that does not say)."""
    if teacher is None or not hasattr(teacher, "__sklearn_tags__"):
        return None
    if is_classifier(teacher):
        return "classifier"
    if is_regressor(teacher):
        return "regressor"
    return None


def _student_reads_checked_rows(copy):
    """The student reads rows ``copy`` has just checked: the feature-names warning is not given twice.

    The rows reach the student as the user gave them (its reading of object
    columns and missing values must not change), so a NumPy array after a
    DataFrame fit would warn twice, once naming the student the user never called.
    """
    return feature_names_checked_by(copy)


# A distilled card's "observed" column: the rates of what its student learned from the teacher.
_OBSERVED_SOURCE = {"probabilities": "teacher probabilities", "labels": "teacher labels"}


class _CheapParams:
    """Class attribute computed on access, so no family is imported with glassbox; ``fixed`` is added."""

    def __init__(self, **fixed):
        self.fixed = fixed

    def __get__(self, instance, owner):
        return {**owner._cheap_params(), **self.fixed}


class DistilledBase:
    """What both distilled estimators share: teacher, augmentation, delegation."""

    # Small teacher and student for tests/test_common.py and the demo; the tests' copy is seeded, so that
    # its student's fit does not depend on the global RNG.
    _test_params = _CheapParams(random_state=0)
    _demo_params = _CheapParams()

    _parameter_constraints = {
        "teacher": "no_validation",
        "student": "no_validation",
        "teacher_prefit": TEACHER_PREFIT,
        "n_augment": [Interval(Integral, 0, None, closed="left"), Interval(Real, 0, None, closed="neither")],
        "augment": [StrOptions(set(AUGMENT_METHODS))],
        "random_state": ["random_state"],
        "verbose": VERBOSE_CONSTRAINT,
    }

    # -- teacher -------------------------------------------------------------------
    @classmethod
    def _teacher_class(cls):
        import sklearn.ensemble

        return getattr(sklearn.ensemble, cls._teacher_name)

    @classmethod
    def _cheap_params(cls):
        """Small teacher and student for the common tests and the demo."""
        from ._students import registered_glassbox_estimators

        student = registered_glassbox_estimators()[cls._cheap_student_name](interactions=0, outer_bags=2)
        return {"teacher": cls._teacher_class()(max_iter=30, random_state=0), "student": student}

    def _default_teacher(self):
        return self._teacher_class()(random_state=0)

    def _check_teacher_kind(self):
        """A regressor cannot teach a classifier copy, nor a classifier a regressor copy: say which to use."""
        kind = _teacher_kind(self.teacher)
        if kind is None or kind == self._kind:
            return
        other = "DistilledRegressor" if kind == "regressor" else "DistilledClassifier"
        what = "predictions are numbers, not class labels" if kind == "regressor" else (
            "predictions are class labels, which a regression copy would learn as numbers")
        raise ValueError(
            f"The teacher {model_name(self.teacher)} is a {kind}, but {type(self).__name__} copies a {self._kind}: "
            f"its {what}. Use {other} to copy a {kind}."
        )

    def get_metadata_routing(self):
        """How ``fit`` routes its metadata when metadata routing is enabled.

        ``sample_weight`` to the copy itself (its student and ``fidelity_``); to a teacher it fits, whatever
        the teacher requests (``sample_weight``, ``groups`` for a search that splits by groups, ...); a
        teacher taken as given, or the default one, routes nothing.

        Returns
        -------
        routing : sklearn.utils.metadata_routing.MetadataRouter
        """
        return teacher_routing(self)

    def _fit_teacher(self, rows, n_given, metadata, progress):
        """The teacher fitted on ``rows`` (:class:`WeightedRows` of the ``n_given`` rows ``fit`` was given), with
        ``metadata`` (the teacher's fit parameters), per-row values of which follow the rows kept."""
        metadata = {name: value for name, value in metadata.items() if value is not None}  # None: not given
        rows_note = ("" if rows.kept is None or not metadata else
                     f" Their per-row values were cut to the {len(rows.kept)} rows of positive weight (of {n_given}).")
        metadata = metadata_of_rows(metadata, n_given, rows.kept)
        teacher = fit_teacher(self, rows.X, rows.y, rows.teacher_weight, rows.table, metadata, rows_note)
        say_teacher(progress, teacher, fitted_here=teacher is not self.teacher)
        return teacher

    def _student(self, kind):
        student = check_student(default_student(kind) if self.student is None else self.student, kind)
        # A seeded copy is a reproducible copy: hand our seed to a student left unseeded.
        if "random_state" in student.get_params() and student.get_params()["random_state"] is None:
            seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
            student.set_params(random_state=seed)
        return student

    # -- augmentation --------------------------------------------------------------
    def _augmented(self, X, table, weights):
        n = table.n_samples
        n_new = int(self.n_augment) if isinstance(self.n_augment, Integral) else int(round(self.n_augment * n))
        if n_new == 0:
            return X, weights
        rng = check_random_state(self.random_state)
        extra = augment(X, table, n_new, self.augment, rng)
        # New rows count as much as an average training row.
        extra_weights = np.full(n_new, weights.mean())
        return concatenate_rows(X, extra), np.concatenate([weights, extra_weights])

    # -- delegation to the student (the glassbox contract) ---------------------------
    def _prepare(self, X):
        self._check_features(X)
        with _student_reads_checked_rows(self):
            return self.student_._prepare(X)

    def _check_features(self, X):
        # our own feature checks first, so that a message names this estimator, not its student
        if not hasattr(X, "columns"):  # sklearn's own messages for 1-D (a Series: one row) or complex input
            check_array(X, dtype=None, ensure_all_finite=False)
        validate_data(self, X, reset=False, skip_check_array=True)

    def _decision_only(self, X, scale=None):
        """The student's decision function alone (no display rows), times the output scale term by term."""
        own = self._output_scale()
        if scale is not None or not hasattr(self.student_, "_decision_only"):
            # a student without the hook, or a copy of this copy: (contribution * own) * scale, as the table is
            prepared, _ = self._prepare(X)
            base, contributions = self._base_value(), self._term_contributions(prepared)
            if scale is not None:
                base, contributions = base * scale, contributions * scale
            return base + contributions.sum(axis=1)
        self._check_features(X)
        with _student_reads_checked_rows(self):
            return self.student_._decision_only(X, scale=None if own == 1.0 else own)  # x * 1.0 is x, bit for bit

    def _term_contributions(self, prepared):
        return self.student_._term_contributions(prepared) * self._output_scale()

    def _base_value(self):
        return self.student_._base_value() * self._output_scale()

    def _output_scale(self):
        return getattr(self, "output_scale_", 1.0)

    def _link(self):
        # the copy is its student: a log-link student (GAMRegressor(loss="poisson")) predicts exp of the sum
        return self.student_._link()

    def _features_of_terms(self, term_names, feature_names):  # the copy's terms are its student's
        return self.student_._features_of_terms(term_names, feature_names)

    def _unearned_missing(self, X):  # a card's conditions a missing value left unearned; None for other students
        student = self.student_
        return student._unearned_missing(X) if hasattr(student, "_unearned_missing") else None

    def _local_notes(self, contributions, unearned_missing):  # the student's notes read no rows
        return self.student_._local_notes(contributions, unearned_missing)

    def _decision_path(self, X):
        with _student_reads_checked_rows(self):
            return self.student_._decision_path(X)

    def _label(self):
        return f"{type(self).__name__} ({type(self.student_).__name__} distilled from {model_name(self.teacher_)})"

    def _fidelity_summary(self):
        """``fidelity_``'s figures, with the rows they were measured on (the training rows: optimistic)."""
        summary = {"measured_on": "training rows", "n_samples": self.fidelity_.n_samples}
        summary.update((k, v) for k, v in self.fidelity_.metrics.items() if v is not None)
        return summary

    def explain_global(self):
        """The student's global explanation, labelled as a copy of the teacher.

        It recomputes this estimator's decision function exactly.  Its
        ``fidelity`` (printed under the first line, kept in the JSON) holds the
        figures of ``fidelity_``, measured on the training rows (optimistic:
        :meth:`fidelity_report` on held-out rows gives an honest figure).  A
        risk-score student's table names its observed column for what it
        holds (``Scorecard.observed_source``): the teacher's mean probability
        of the event at each SCORE (or the share of rows the teacher labels
        it), not outcomes.
        """
        check_is_fitted(self)
        explanation = scaled_explanation(self.student_.explain_global(), self._output_scale())
        changes = {"model": self._label(), "fidelity": self._fidelity_summary()}
        if hasattr(explanation, "observed_source"):  # a card's observed column: what the student learned
            changes["observed_source"] = _OBSERVED_SOURCE.get(getattr(self, "target_", None))
        if self._student_link_differs():
            changes.update(link=self._link(), classes=self.classes_)
        return dataclasses.replace(explanation, **changes)

    def _student_link_differs(self):
        return False

    def explain_local(self, X, relative_to=None):
        """Per-term contributions of the student, marked approximate and carrying its fidelity.

        They add up exactly to this estimator's (the student's) output, which
        approximates the teacher's; ``fidelity`` says how closely (on the
        training rows).  A student about ``classes_[0]`` (``pos_label``) gives
        the explanation its ``pos_label``, so that the printout, reason codes
        and plots read it toward that event, as the student's own do (a card's
        points with the card's signs).  ``relative_to`` is accepted for the
        common signature; only ``None`` is supported.
        """
        return super().explain_local(X, relative_to=relative_to)

    def _local_explanation_fields(self):
        # the student's own fields (a card's name for its total about classes_[0], "-(SCORE + intercept)", so
        # that the copy reads toward the event as its student does), then the copy's: approximate, with fidelity
        return {**self.student_._local_explanation_fields(), "model": self._label(), "approximate": True,
                "fidelity": self._fidelity_summary()}

    def _event_read_first(self):
        """The student's event when it describes the risk of ``classes_[0]`` (its ``pos_label``), else None."""
        return self.student_._event_read_first()

    def fidelity_report(self, X, **kwargs):
        """Fidelity of this copy to its teacher on the rows ``X`` (use held-out rows)."""
        check_is_fitted(self)
        kind = type(self).__name__
        if kwargs.get("task") not in (None, self._task):  # None: fidelity_report's own default, inferred
            raise ValueError(
                f"task={kwargs['task']!r}: a {kind} copies its teacher's {self._task}, and its report compares "
                f"the two as one; drop task= (or pass task={self._task!r})."
            )
        kwargs.pop("task", None)
        if self._task == "regression" and kwargs.get("classes") is not None:
            raise ValueError(
                f"A {kind} copies a regressor, whose predictions have no classes: drop classes= (it names a "
                "classifier's probability columns, for a DistilledClassifier's report)."
            )
        if self._task == "classification":
            # a teacher that does not know its classes (a function, a served model's client) has the copy's:
            # fit read its probability columns as those labels (classes=, in the teacher's column order)
            kwargs.setdefault("classes", getattr(self, "_teacher_columns", self.classes_))
        report = fidelity_report(self.teacher_, self, X, task=self._task, **kwargs)
        return dataclasses.replace(report, student=f"{type(self.student_).__name__} (student)")

    def _finish(self, X, progress, sample_weight=None):
        self.term_names_ = list(self.student_.term_names_)
        # weighted as the fit was: rows the copy was told to ignore do not count in its figure
        self.fidelity_ = self.fidelity_report(X, sample_weight=sample_weight)
        say_student(progress, self.student_, self.fidelity_)
        return self

    def _student_tags(self):
        student = self.student
        if student is None:
            try:
                student = default_student(self._kind)
            except ValueError:
                return None
        return get_tags(student) if hasattr(student, "__sklearn_tags__") else None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        student_tags = self._student_tags()
        teacher = self._default_teacher() if self.teacher is None else self.teacher
        teacher_nan = get_tags(teacher).input_tags.allow_nan if hasattr(teacher, "__sklearn_tags__") else False
        tags.input_tags.allow_nan = bool(student_tags and student_tags.input_tags.allow_nan and teacher_nan)
        return tags


