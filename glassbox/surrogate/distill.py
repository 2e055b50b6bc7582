"""Distillation: a glass-box student trained to copy a black-box teacher."""

import functools
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_regressor
from sklearn.utils import get_tags

from ..base import GlassBoxClassifierMixin, GlassBoxRegressorMixin
from ..explain.links import link_for_classes
from ..utils._fit_state import restores_state_on_failure
from ..utils._progress import progress_of
from ..utils._sklearn_shim import Interval, StrOptions, validate_parameters
from ..utils.tabular import polars_as_pandas, validate_tabular
from ..utils.validation import (check_classification_target, check_regression_target, check_sample_weight,
                                labels_as_numpy, plain_value)
from ._agreement import (align_intercept, fit_basis_for_agreement, is_agreement_family, log_odds_scale,
                         resolve_temperature, sharpened_probabilities)
from ._distill_progress import fit_speaking, say_labelled
from ._distilled_base import DistilledBase, as_rows
from ._out_of_bag import check_out_of_bag_teacher, out_of_bag_proba
from ._outputs import (ModelOutputs, check_classes_of_model, in_sorted_class_order, logits_from_proba, model_name,
                       model_outputs, warn_of_column_order, warn_of_labels_unknown_to)
from ._students import (fit_within_candidate_limit, polish_for_agreement, refuse_log_odds_student, resolve_target,
                        soft_label_rows, warn_of_decisions_off_most_probable)
from ._teacher import uses_teacher_as_given
from ._weighted_rows import rows_of_positive_weight

__all__ = ["DistilledClassifier", "DistilledRegressor"]


class DistilledClassifier(DistilledBase, GlassBoxClassifierMixin, ClassifierMixin, BaseEstimator):
    """A glass-box student that copies a classifier, with a measured fidelity.

    The teacher (any classifier, or a function returning probabilities or
    labels) labels the training rows, plus optional extra rows drawn from the
    training distribution; the student, a glassbox estimator, learns those
    outputs.  The fitted copy predicts and explains itself exactly like its
    student; its explanations are labelled as the student's and carry the
    fidelity.

    Parameters
    ----------
    teacher : estimator, callable or None, default=None
        The model to copy.  ``None`` trains a scikit-learn
        ``HistGradientBoostingClassifier(random_state=0)`` on ``(X, y)``; it
        reads the columns the students read (object and string columns too,
        see ``teacher_``).  A function ``f(X)`` returns class probabilities
        (2-D) or labels (1-D).
    student : glassbox classifier or regressor, or None, default=None
        The glass box to train.  ``None`` takes the first installed of
        ``GAMClassifier``, ``SparseLinearClassifier``, ``RiskScoreClassifier``,
        ``DecisionSetClassifier``, ``BayesianRuleListClassifier``.
    target : {"auto", "labels", "probabilities", "logits"}, default="auto"
        What the student learns.  ``"labels"``: the teacher's predicted classes.
        ``"probabilities"``: the teacher's class probabilities as soft labels
        (each row repeated once per class, weighted by the teacher's probability;
        a likelihood-based student then minimises the cross-entropy to the
        teacher).  ``"logits"``: a glassbox *regressor* on the identity link
        fitted to the teacher's log-odds (binary tasks; e.g. ``GAMRegressor``),
        whose output is then read as log-odds (a log-link regressor is
        refused).  ``"auto"``: logits for a regressor student, probabilities
        for GAM, sparse linear and risk-score students (likelihood-based
        learners), labels for rule-list and decision-set students (their
        learners optimise decisions; soft labels measured less faithful).
        A teacher without probabilities (a function returning labels, or a
        model with only ``decision_function``, such as ``LinearSVC`` or
        ``RidgeClassifier``, whose margin is no probability) teaches its
        labels instead of probabilities; ``"logits"`` reads such a margin as
        log-odds.
    temperature : float > 0 or "auto", default="auto"
        Temperature of the soft labels (``target="probabilities"``): the
        student learns ``softmax(log p / temperature)`` of the teacher's
        probabilities ``p`` (binary: ``expit(logit(p) / temperature)``).  1:
        the teacher's probabilities; below 1: sharper, so the student's loss
        concentrates on the teacher's decision boundary (towards 0: its
        labels).  ``"auto"``: 0.25 for GAM and sparse linear students, 1 for
        others (measured on held-out training rows, see the user guide).
    align_intercept : bool or "out-of-bag", default=True
        Binary tasks with a GAM or sparse linear student (classifier, or
        regressor on logits): after fitting, move the student's intercept to
        the value at which its decisions agree most often with the teacher's
        labels on the training rows (the smallest such move).  One number, no
        extra term; probabilities shift with it.  ``"out-of-bag"``: for a
        bagged forest teacher fitted on ``X`` (as for ``out_of_bag``), agree
        instead with its out-of-bag votes on those rows (its whole votes on
        extra rows), while the student still learns the in-sample outputs: a
        forest repeats its own training rows' labels, so its in-sample votes
        can call more rows positive than it calls new ones.  Other teachers are
        refused before anything is fitted.
    teacher_prefit : "auto" or bool, default="auto"
        ``"auto"``: use the teacher as it is when it is fitted (or a callable),
        otherwise fit a clone on ``(X, y)``.  ``True``: the teacher must be
        fitted and ``y`` may be ``None``.  ``False``: always fit a clone.  Inside
        cross-validation a fitted teacher is cloned (hence unfitted) unless
        wrapped in ``sklearn.frozen.FrozenEstimator``.
    n_augment : int or float, default=0
        Extra rows labelled by the teacher: a count, or a multiple of the number
        of training rows when a float.
    augment : {"copula", "neighbors"}, default="copula"
        How extra rows are drawn (Gaussian copula of the columns, or points
        between nearest neighbours).
    random_state : int, RandomState or None, default=None
        Seeds the augmentation.
    out_of_bag : bool, default=False
        For a bagged forest teacher (``RandomForestClassifier``, or
        ``ExtraTreesClassifier`` fitted on bootstrap samples, alone or last in a
        ``Pipeline``) fitted on ``X``: on each training row the student learns
        the votes of the trees that did not draw it (scikit-learn's out-of-bag
        decision function) instead of the whole forest's, which has
        seen that row's label.  ``X`` must be the rows the forest was fitted
        on, in order (true when the copy fits the teacher; checked on the
        leaves of its first trees); extra rows
        (``n_augment``) get the whole forest's votes.  Other teachers
        (``teacher=None`` included) are refused before anything is fitted.
    classes : array-like or None, default=None
        The labels of the teacher's probability columns, in its column order,
        for a teacher that does not know them (a function ``f(X)`` returning
        probabilities, or an object with ``predict_proba`` but no ``classes_``,
        such as a served model's client that returns ``[good, bad]``).  None:
        the sorted labels of ``y`` (``0 .. K-1`` without ``y``).  A teacher
        with ``classes_`` keeps its own (``classes`` other than those, or in
        another order, are refused).  With ``y``, fit warns when the
        teacher's labels under that naming agree with ``y`` less often than
        chance while another naming of the columns agrees far more (a column
        order other than the one assumed).  ``classes_`` is sorted either way,
        and :meth:`fidelity_report` reads the teacher's columns in this order.
    verbose : int, default=0
        Progress lines on standard output while fitting: 0 prints nothing; 1
        the copy's own stages (the teacher fitted or taken, the rows it
        labels, the student's fit, the fidelity, the total time); 2 and more
        also the student's lines, fitted at ``verbose - 1`` when it has a
        ``verbose`` (its ``verbose`` is given back unchanged after the fit).
        The fitted copy does not depend on it.

    Attributes
    ----------
    teacher_ : estimator or callable
        The fitted teacher: the one given, or for ``teacher=None`` the
        HistGradientBoosting model itself when it reads ``X`` as given
        (numbers, booleans, pandas ``category`` columns), else a ``Pipeline``
        whose first step, ``TeacherEncoder``, turns categorical columns (object,
        string, text) into codes it reads as categorical (levels not seen in
        ``fit``: missing) and drops columns missing in every row;
        ``teacher_[-1]`` is then the model.  Either way ``teacher_.predict(X)``
        takes the rows this estimator takes.
    student_ : the fitted glassbox student
    target_ : str
        What the student learned (``"labels"`` where ``"probabilities"`` was
        asked of a teacher without probabilities).
    temperature_ : float
        Temperature of the soft labels (1.0 when the target is not probabilities).
    intercept_shift_ : float
        How far ``align_intercept`` moved the student's intercept (0.0: not moved).
    intercept_aligned_with_ : {"labels", "out-of-bag votes"} or None
        What the intercept was aligned with: the teacher's labels on the
        training rows, or a bagged forest's out-of-bag votes on them
        (``align_intercept="out-of-bag"`` or ``out_of_bag=True``); None when
        no alignment was tried.
    output_scale_ : float
        The copy's log-odds are the student's times this positive number (binary
        tasks with sharpened soft labels: the least-squares fit of the teacher's
        log-odds on the training rows, which puts the copy's probabilities back
        on the teacher's scale without changing a decision; 1.0 otherwise).
    classes_ : ndarray
    fidelity_ : FidelityReport
        Fidelity on the training rows, weighted by ``sample_weight`` (an
        optimistic figure: use :meth:`fidelity_report` on held-out rows for an
        honest one).
    term_names_ : list of str
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from glassbox.surrogate import DistilledClassifier
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> teacher = RandomForestClassifier(n_estimators=50, random_state=0).fit(X, y)
    >>> copy = DistilledClassifier(teacher).fit(X)            # doctest: +SKIP
    >>> print(copy.fidelity_report(X).agreement > 0.9)        # doctest: +SKIP
    True
    """

    _kind = "classifier"
    _task = "classification"
    _parameter_constraints = {
        **DistilledBase._parameter_constraints,
        "target": [StrOptions({"auto", "labels", "probabilities", "logits"})],
        "temperature": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "align_intercept": ["boolean", StrOptions({"out-of-bag"})],
        "out_of_bag": ["boolean"],
        "classes": ["array-like", None],
    }

    def __init__(self, teacher=None, student=None, *, target="auto", temperature="auto", align_intercept=True,
                 teacher_prefit="auto", n_augment=0, augment="copula", random_state=None, out_of_bag=False,
                 classes=None, verbose=0):
        self.teacher = teacher
        self.student = student
        self.classes = classes
        self.target = target
        self.out_of_bag = out_of_bag
        self.temperature = temperature
        self.align_intercept = align_intercept
        self.teacher_prefit = teacher_prefit
        self.n_augment = n_augment
        self.augment = augment
        self.random_state = random_state
        self.verbose = verbose

    _teacher_name = "HistGradientBoostingClassifier"
    _cheap_student_name = "GAMClassifier"

    @restores_state_on_failure
    def fit(self, X, y=None, sample_weight=None, **teacher_fit_params):
        """Fit (or take) the teacher, label the rows with it and train the student.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or None
            Needed only when the teacher is trained here.  With a fitted
            teacher, labels of ``y`` that are none of its classes are named in
            a warning: the copy learns the teacher's classes only.
        sample_weight : array-like of shape (n_samples,) or None
            Weights the student's fit and ``fidelity_``, and the teacher's when
            it is fitted here: a ``Pipeline`` teacher gets them at its last step
            (``<step>__sample_weight``); with metadata routing enabled the
            teacher (or its steps) gets them as it requests them
            (``set_fit_request``; see :meth:`get_metadata_routing`).  Rows of weight zero are as good as
            absent: the teacher fitted here, the augmentation and the student
            see the rows of positive weight only (a teacher then gets no
            weights when those are all 1).  A teacher to fit that takes no
            weights is refused: fit it yourself and pass it fitted.
        **teacher_fit_params : dict
            Further parameters of the teacher's fit, for a teacher fitted
            here: ``groups`` for a search or CV model that splits by groups
            (``cv=GroupKFold(5)``), a ``Pipeline`` teacher's ``<step>__<name>``.
            Values with one entry per row follow the rows the teacher is fitted on
            (rows of weight zero left out).  With metadata routing enabled they reach
            the teacher as it requests them.  Refused for a teacher used as given,
            and by the default teacher, whose fit takes only ``sample_weight``.

        Returns
        -------
        self : DistilledClassifier
        """
        validate_parameters(self)
        progress = progress_of(self)
        self._check_teacher_kind()
        X = polars_as_pandas(X)  # the teacher reads a polars frame as the pandas frame it stands for
        table = validate_tabular(self, X, reset=True)
        weights = check_sample_weight(sample_weight, table.n_samples)
        known_classes = None
        if y is not None:
            # pandas boolean / Int64 labels as NumPy bools / ints: the teacher (whose outputs give
            # the classes) would read them as floats
            y = labels_as_numpy(y)
            # a teacher fitted here learns the rows of positive weight only: a label no such row holds is no
            # class of it, and the warning says so, as every glassbox classifier's does
            known_classes, _ = check_classification_target(
                y, table.n_samples, sample_weight=None if uses_teacher_as_given(self) else weights,
                estimator_name=type(self).__name__)
        if self.out_of_bag or self.align_intercept == "out-of-bag":
            check_out_of_bag_teacher(self.teacher)
        given_X, rows = X, rows_of_positive_weight(X, y, weights, table, sample_weight)
        self.teacher_ = self._fit_teacher(rows, table.n_samples, teacher_fit_params, progress)
        X, y, weights, table = rows.X, rows.y, rows.weights, rows.table
        X, given_X = as_rows(X), as_rows(given_X)
        out_of_bag_votes = functools.partial(self._out_of_bag_votes, X, given_X, rows.kept)  # asked for only when used
        student = self._student("classifier")
        X_train, train_weights = self._augmented(X, table, weights)
        check_classes_of_model(self.teacher_, self.classes, who="teacher")
        columns = self._teacher_column_labels(known_classes)
        outputs = model_outputs(self.teacher_, X_train, task="classification", classes=columns)
        say_labelled(progress, table.n_samples, len(train_weights) - table.n_samples, self.augment)
        self._teacher_columns = outputs.classes  # as the teacher lists them, for fidelity_report
        if outputs.classes is not None:
            if y is not None and outputs.proba is not None and not hasattr(self.teacher_, "classes_"):
                warn_of_column_order(outputs.labels[:table.n_samples], y, outputs.classes, weights, "teacher")
            outputs = in_sorted_class_order(outputs)  # the student lists its classes sorted, whatever the teacher's
        if self.out_of_bag:
            outputs = _with_out_of_bag_votes(outputs, out_of_bag_votes())
        classes = outputs.classes if outputs.classes is not None else np.unique(outputs.labels)
        if len(classes) < 2:
            raise ValueError(
                f"The teacher {model_name(self.teacher_)} knows a single class; there is nothing to distill."
            )
        self.classes_ = np.asarray(classes)
        warn_of_labels_unknown_to(self.teacher_, y, weights, self.classes_)
        self.target_ = resolve_target(self.target, student, len(self.classes_))
        if self.target_ == "probabilities" and outputs.proba is None:
            # a teacher without probabilities (labels only, or a margin): the student learns its labels
            self.target_ = "labels"
        soft = self.target_ == "probabilities"
        self.temperature_ = resolve_temperature(self.temperature, student) if soft else 1.0
        self._check_teacher_varies(student, outputs, train_weights)
        alignment_labels = self._alignment_labels(student, outputs, out_of_bag_votes)
        warn_of_decisions_off_most_probable(model_name(self.teacher_), outputs, self.classes_, train_weights,
                                            self.target_, self.intercept_aligned_with_ is not None)
        self.student_ = fit_speaking(student, self.verbose, lambda: self._train_student(
            student, X_train, outputs, train_weights, alignment_labels))
        return self._finish(given_X, progress, sample_weight)

    def _teacher_column_labels(self, known_classes):
        """The labels of the teacher's probability columns when it does not say: ``classes``, else ``y``'s."""
        if self.classes is None:
            return known_classes
        columns = np.asarray(self.classes)
        shown = [plain_value(c) for c in columns.tolist()] if columns.ndim == 1 else columns.tolist()
        if columns.ndim != 1 or len(columns) < 2 or len(set(columns.tolist())) != len(columns):
            raise ValueError(
                f"classes={shown} must list two or more distinct labels, one per probability column of the "
                "teacher, in its column order."
            )
        if known_classes is not None:
            unknown = [plain_value(c) for c in known_classes if c not in set(columns.tolist())]
            if unknown:
                raise ValueError(
                    f"y holds the labels {unknown}, which classes={shown} does not name; classes= lists the labels "
                    "of the teacher's probability columns, in its column order, and must name every class of y."
                )
        return columns

    def _out_of_bag_votes(self, X, given_X, kept):
        """The forest teacher's out-of-bag votes on the rows ``X``: those of ``given_X`` at ``kept`` (positive weight).

        A forest fitted here drew its trees from ``X``; one passed fitted was
        fitted on the rows given, weighted 0 or not, and its draws index those.
        """
        if kept is None or self.teacher_ is not self.teacher:
            return out_of_bag_proba(self.teacher_, X)
        return out_of_bag_proba(self.teacher_, given_X)[kept]

    def _alignment_labels(self, student, outputs, out_of_bag_votes):
        """The labels ``align_intercept`` agrees with; sets ``intercept_aligned_with_``.

        Only a binary GAM or sparse linear student is aligned.  With
        ``align_intercept="out-of-bag"`` the forest's out-of-bag votes on the
        rows it was fitted on (checked leaf by leaf, see ``out_of_bag_proba``)
        and its whole votes on extra rows; else the teacher's labels (which are
        the out-of-bag votes already when ``out_of_bag=True``).
        """
        self.intercept_aligned_with_ = None
        if not (self.align_intercept and is_agreement_family(student) and len(self.classes_) == 2):
            return outputs.labels
        if self.out_of_bag:
            self.intercept_aligned_with_ = "out-of-bag votes"
            return outputs.labels
        if self.align_intercept != "out-of-bag":
            self.intercept_aligned_with_ = "labels"
            return outputs.labels
        self.intercept_aligned_with_ = "out-of-bag votes"
        return _with_out_of_bag_votes(outputs, out_of_bag_votes()).labels

    def _train_student(self, student, X_train, outputs, weights, alignment_labels):
        if self.target_ == "logits":
            if outputs.score is None:
                raise ValueError("target='logits' needs a teacher with predict_proba or decision_function.")
            student.fit(X_train, outputs.score, sample_weight=weights)
            if student._link().name != "identity":  # a student that does not say so in its tags
                refuse_log_odds_student(student, f"has the {student._link().name} link")
        elif self.target_ == "labels":
            student = fit_within_candidate_limit(
                student, lambda s: s.fit(X_train, outputs.labels, sample_weight=weights))
        elif self.target_ == "probabilities":
            proba = sharpened_probabilities(outputs, self.temperature_)
            rows, labels, row_weights = soft_label_rows(len(weights), proba, weights, self.classes_)
            student = fit_within_candidate_limit(student, lambda s: fit_basis_for_agreement(
                s, X_train, (rows, labels, row_weights), outputs.labels, self.classes_, weights,
                self.align_intercept, self.random_state))
        self._check_student_classes(student)
        student = polish_for_agreement(student, X_train, outputs.labels, weights)
        self.intercept_shift_ = 0.0
        if self.align_intercept:
            self.intercept_shift_ = align_intercept(student, X_train, alignment_labels, self.classes_, weights)
        self.output_scale_ = 1.0
        if self.target_ == "probabilities" and self.temperature_ != 1.0 and len(self.classes_) == 2:
            self.output_scale_ = log_odds_scale(student, X_train, outputs.score, weights)
        return student

    def _check_teacher_varies(self, student, outputs, weights):
        """A classifier student needs two classes with weight: name the teacher when it gives one."""
        if is_regressor(student):  # the teacher's log-odds, constant or not, are a regression target
            return
        if self.target_ == "probabilities" and outputs.proba is not None:
            mass = (sharpened_probabilities(outputs, self.temperature_) * weights[:, None]).sum(axis=0)
            seen = self.classes_[mass > 0]
        else:
            seen = np.unique(np.asarray(outputs.labels)[weights > 0])
        if len(seen) < 2:
            raise ValueError(
                f"The teacher {model_name(self.teacher_)} predicts the single class {seen.tolist()[0]!r} on every "
                "training row (with a positive weight), so the student has one class to learn. Check the teacher: "
                "is it fitted on data like X, does its sample_weight leave a class without weight? Or give rows on "
                "which it predicts more than one class (more varied X, or n_augment)."
            )

    def _check_student_classes(self, student):
        if is_regressor(student):
            return
        if not np.array_equal(np.asarray(student.classes_), self.classes_):
            missing = [label for label in self.classes_.tolist() if label not in np.asarray(student.classes_).tolist()]
            remedies = "add rows (n_augment), or train on more varied rows"
            if self.target_ != "probabilities":
                remedies = "use target='probabilities', " + remedies
            raise ValueError(
                f"The teacher {model_name(self.teacher_)} knows the classes {self.classes_.tolist()}, but its outputs "
                f"on the training rows of positive weight give no weight to {missing}, so the student cannot learn "
                f"{'it' if len(missing) == 1 else 'them'}. A class whose rows all have sample_weight 0 is one the "
                f"teacher never predicts: refit the teacher without that label. Else {remedies}."
            )

    def _link(self):
        if is_regressor(self.student_):  # an identity-link regressor copying log-odds (target="logits")
            return link_for_classes(2)
        return super()._link()

    def _output_from_decision(self, decision):
        # A classifier student settles a tie its own way (a decision set: the default's class, then its class
        # order), and so does the copy, as its explanation (the student's, scaled) predicts.  A positive scale
        # keeps ties and signs, and the student's classes are the copy's (_check_student_classes).
        if is_regressor(self.student_):
            return super()._output_from_decision(decision)
        return self.student_._output_from_decision(decision)

    def _student_link_differs(self):
        return is_regressor(self.student_)


def _with_out_of_bag_votes(outputs, oob_proba):
    """The teacher's outputs with its first rows' probabilities replaced by their out-of-bag votes."""
    proba = np.array(outputs.proba, dtype=np.float64)
    proba[:len(oob_proba)] = oob_proba
    labels = np.asarray(outputs.classes)[np.argmax(proba, axis=1)]
    return ModelOutputs(labels, proba, logits_from_proba(proba), outputs.classes)


class DistilledRegressor(DistilledBase, GlassBoxRegressorMixin, RegressorMixin, BaseEstimator):
    """A glass-box regressor that copies another regressor, with a measured fidelity.

    The teacher's predictions on the training rows (and on optional extra rows
    drawn from the training distribution) are the student's target.  The copy
    predicts and explains itself on its student's link: a
    ``GAMRegressor(loss="poisson")`` (or ``"gamma"``, ``"tweedie"``) student
    learns the teacher's predicted means with its own deviance, and the copy
    predicts ``exp`` of its terms' sum (its local explanations add up to the
    log of the prediction); ``fidelity_`` compares the two models' predictions.
    A teacher that predicts values such a student cannot take (negative, or
    zero for Gamma) is refused, naming the teacher.

    Parameters
    ----------
    teacher : estimator, callable or None, default=None
        The model to copy; ``None`` trains a
        ``HistGradientBoostingRegressor(random_state=0)``, which reads the
        columns the students read (see ``teacher_`` in
        :class:`DistilledClassifier`).  A function ``f(X)`` returns one value
        per row.
    student : glassbox regressor or None, default=None
        ``None`` takes the first installed of ``GAMRegressor``,
        ``SparseLinearRegressor``.
    teacher_prefit, n_augment, augment, random_state, verbose
        As in :class:`DistilledClassifier`.

    Attributes
    ----------
    teacher_, student_, fidelity_, term_names_, n_features_in_, feature_names_in_

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.ensemble import RandomForestRegressor
    >>> from glassbox.surrogate import DistilledRegressor
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> teacher = RandomForestRegressor(n_estimators=30, random_state=0).fit(X, y)
    >>> copy = DistilledRegressor(teacher).fit(X)             # doctest: +SKIP
    >>> copy.fidelity_.r2 > 0.8                                # doctest: +SKIP
    True
    """

    _kind = "regressor"
    _task = "regression"

    def __init__(self, teacher=None, student=None, *, teacher_prefit="auto",
                 n_augment=0, augment="copula", random_state=None, verbose=0):
        self.teacher = teacher
        self.student = student
        self.teacher_prefit = teacher_prefit
        self.n_augment = n_augment
        self.augment = augment
        self.random_state = random_state
        self.verbose = verbose

    _teacher_name = "HistGradientBoostingRegressor"
    _cheap_student_name = "GAMRegressor"

    @restores_state_on_failure
    def fit(self, X, y=None, sample_weight=None, **teacher_fit_params):
        """Fit (or take) the teacher and train the student on its predictions.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or None
            Needed only when the teacher is trained here.
        sample_weight : array-like of shape (n_samples,) or None
            As for :meth:`DistilledClassifier.fit`.
        **teacher_fit_params : dict
            Further parameters of the teacher's fit, as for :meth:`DistilledClassifier.fit`
            (e.g. ``groups``).

        Returns
        -------
        self : DistilledRegressor
        """
        validate_parameters(self)
        progress = progress_of(self)
        self._check_teacher_kind()
        X = polars_as_pandas(X)  # the teacher reads a polars frame as the pandas frame it stands for
        table = validate_tabular(self, X, reset=True)
        if y is not None:
            try:
                y = np.asarray(y, dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError(
                    f"Unknown label type: DistilledRegressor needs a numeric target, got {np.asarray(y).dtype} "
                    "values that are not numbers; use DistilledClassifier for class labels."
                ) from None
            y = check_regression_target(y, table.n_samples, estimator_name=type(self).__name__)
        weights = check_sample_weight(sample_weight, table.n_samples)
        given_X, rows = X, rows_of_positive_weight(X, y, weights, table, sample_weight)
        self.teacher_ = self._fit_teacher(rows, table.n_samples, teacher_fit_params, progress)
        X, y, weights, table = rows.X, rows.y, rows.weights, rows.table
        X = as_rows(X)
        student = self._student("regressor")
        X_train, train_weights = self._augmented(X, table, weights)
        outputs = model_outputs(self.teacher_, X_train, task="regression")
        say_labelled(progress, table.n_samples, len(train_weights) - table.n_samples, self.augment)
        self.student_ = fit_speaking(student, self.verbose, lambda: self._train_student(
            student, X_train, outputs.score, train_weights))
        return self._finish(as_rows(given_X), progress, sample_weight)

    def _train_student(self, student, X_train, predictions, weights):
        """The student fitted to the teacher's predictions; a target it refuses is named as the teacher's."""
        try:
            return student.fit(X_train, predictions, sample_weight=weights)
        except ValueError as exc:
            not_positive = int(np.count_nonzero(predictions <= 0))
            if not (get_tags(student).target_tags.positive_only and not_positive):
                raise
            raise ValueError(
                f"The student {type(student).__name__} learns the teacher's predictions (its y), and the teacher "
                f"{model_name(self.teacher_)} predicts {not_positive} value(s) <= 0 on the {len(predictions)} "
                f"training rows (smallest {float(predictions.min())!r}). The student says: {exc} To copy this "
                "teacher, use a student that takes any target (GAMRegressor(loss='squared_error'), "
                "SparseLinearRegressor), or a teacher whose predictions are counts or amounts (e.g. "
                "HistGradientBoostingRegressor(loss='poisson'))."
            ) from exc
