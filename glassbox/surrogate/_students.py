"""Choosing, checking and training the glass-box student of a distillation."""

import warnings

import numpy as np
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.utils import get_tags

from ..base import GlassBoxMixin
from ..utils.validation import user_stacklevel
from ._prune_rules import prune_rule_list

# Default students in order of preference: the first family that is installed
# wins.  GAMs first: shape functions copy non-linear teachers most faithfully
# for a given readability.
DEFAULT_STUDENTS = {
    "classifier": ("GAMClassifier", "SparseLinearClassifier", "RiskScoreClassifier",
                   "DecisionSetClassifier", "BayesianRuleListClassifier"),
    "regressor": ("GAMRegressor", "SparseLinearRegressor"),
}
# Families whose loss uses the teacher's probabilities well when trained on
# soft labels: likelihood-based learners (GAMs, linear models, and risk scores,
# which are logistic models with integer points).  Rule learners get the
# teacher's labels.  Chosen by measured fidelity on held-out rows with a
# HistGradientBoosting teacher (benchmarks/results/surrogate_fidelity.md):
# risk scores agree more often with soft labels on adult, compas and
# telco_churn (+0.002, +0.001, +0.017); decision sets and Bayesian rule lists
# agree less often (e.g. compas: -0.013 and -0.013).
_SOFT_LABEL_FAMILIES = ("glassbox.gam", "glassbox.linear", "glassbox.scoring")


# Settings a family gets when this module builds a student for it (the default
# student, the default grid of fidelity_frontier, distillation_student).  A
# student copies a noise-free target, so settings tuned against overfitting the
# true labels can be too coarse for copying.  Chosen by agreement on held-out
# *training* rows (a 75/25 split of each training set; adult, bank, compas,
# telco_churn; HistGradientBoosting and RandomForest teachers; see
# docs/surrogate.rst):
# - Bayesian rule lists: 20 thresholds per numeric feature (5 by default) and
#   rules covering 2% of the rows (10%): the default candidates are too coarse
#   to follow a teacher's boundary (adult: held-out agreement 0.907 -> 0.946
#   with the HistGradientBoosting teacher, 0.894 -> 0.933 with the forest).
# - Risk scores: 20 thresholds per numeric feature (10 by default): the same
#   five conditions placed where the teacher's boundary is (adult 0.889 ->
#   0.903 and 0.905 -> 0.921, compas 0.862 -> 0.882 and 0.799 -> 0.831).
# - Decision sets: 20 thresholds per numeric feature (8 by default).  Measured
#   as the margin over a tree with as many leaves as the set has rules (10
#   dataset x teacher pairs, max_rules=10): ahead in 10 of 10 (the defaults: 9,
#   compas with the MLP 0.0016 behind); adult's agreement 0.888 -> 0.904 (HGB),
#   0.875 -> 0.891 (forest), 0.903 -> 0.913 (MLP) with as many rules.
# - Sparse linear classifiers: steps ``x >= t`` of numeric features at up to 128
#   quantile thresholds as candidate terms (``basis="steps"``), kept only when
#   the stepped model agrees more with the teacher than its plain twin on a
#   quarter of the training rows held out from both (see
#   ``_agreement.fit_basis_for_agreement``).  Held-out training rows (teacher
#   fitted on the other 75%), L0 with 3, 5 and 10 terms on adult, bank, compas
#   and telco_churn (forest and HGB teachers): 19 of 22 at least as faithful as
#   the plain model; adult forest 10 terms 0.928 -> 0.936 (steps such as
#   ``capital_gain >= 7298``, where a slope cannot jump), telco_churn 10 terms
#   0.912 -> 0.921 (forest), 0.887 -> 0.901 (HGB; 0.896 with 32 thresholds);
#   behind: bank forest 10 terms 0.985 -> 0.981, bank HGB and adult HGB 10
#   terms by 0.0006 and 0.0005 (docs/surrogate.rst).
# A rule student these settings give more candidates than its max_candidates
# (about 11 or more dense numeric columns) is fitted with fewer thresholds by
# fit_within_candidate_limit, with a warning.
DISTILLATION_SETTINGS = {
    "SparseLinearClassifier": {"basis": "steps", "max_thresholds": 128},
    "BayesianRuleListClassifier": {"max_thresholds": 20, "min_support": 0.02},
    "RiskScoreClassifier": {"max_thresholds": 20},
    "DecisionSetClassifier": {"max_thresholds": 20},
}
"""Parameters :func:`distillation_student` gives each family (by class name) for copying a teacher.

A student copies a noise-free target, so a family's defaults, tuned against
overfitting true labels, can be too coarse for it.  The default student of
:class:`DistilledClassifier` and the default grid of :func:`fidelity_frontier`
are built with these settings; the parameters you pass win.  Families not
named here keep their defaults.  The user guide's page on surrogate models
("Students built for copying") gives the measurements behind each setting
and a worked example.
"""


def distillation_student(name, **params):
    """A glassbox estimator of family ``name`` with the settings measured best for copying a teacher.

    Parameters
    ----------
    name : str
        A registered glassbox class name, e.g. ``"BayesianRuleListClassifier"``.
    **params
        Further parameters; they override the distillation settings.

    Returns
    -------
    estimator
        Unfitted; pass it as ``student=`` to :class:`DistilledClassifier`.

    Examples
    --------
    >>> from glassbox.surrogate import DISTILLATION_SETTINGS, distillation_student
    >>> student = distillation_student("BayesianRuleListClassifier", n_iter=5000)
    >>> student.max_thresholds, student.min_support
    (20, 0.02)
    >>> DISTILLATION_SETTINGS["BayesianRuleListClassifier"]  # the settings, by class name
    {'max_thresholds': 20, 'min_support': 0.02}
    """
    available = registered_glassbox_estimators()
    if name not in available:
        raise ValueError(f"Unknown glassbox estimator {name!r}; installed: {sorted(available)}.")
    return available[name](**{**DISTILLATION_SETTINGS.get(name, {}), **params})


def registered_glassbox_estimators():
    """``{class name: class}`` of the registry, without the surrogate meta-estimators."""
    import importlib

    from ..utils import registry

    found = {}
    for module_name, class_name in registry._ESTIMATORS:
        if module_name.startswith("glassbox.surrogate"):
            continue
        found[class_name] = getattr(importlib.import_module(module_name), class_name)
    return found


def default_student(kind):
    """A fresh default student of ``kind`` ("classifier" or "regressor"), or a clear error."""
    available = registered_glassbox_estimators()
    for name in DEFAULT_STUDENTS[kind]:
        if name in available:
            return distillation_student(name)
    raise ValueError(
        f"No glassbox {kind} family is installed to act as the default student; "
        f"pass student= explicitly (one of {sorted(available) or 'none registered'})."
    )


def check_student(student, kind):
    """Check that ``student`` is a glassbox estimator; return an unfitted clone of it."""
    if not isinstance(student, GlassBoxMixin):
        raise TypeError(
            f"The student must be a glassbox estimator (it explains the teacher through its own "
            f"fitted form), got {type(student).__name__}. Use e.g. glassbox.GAMClassifier or "
            "glassbox.SparseLinearClassifier; any model can be the teacher."
        )
    if kind == "regressor" and not is_regressor(student):
        raise TypeError(f"A DistilledRegressor needs a regressor student, got {type(student).__name__}.")
    return clone(student)


def resolve_target(target, student, n_classes):
    """Which teacher output the student learns: "labels", "probabilities" or "logits"."""
    if target == "auto":
        if is_regressor(student):
            target = "logits"
        elif type(student).__module__.startswith(_SOFT_LABEL_FAMILIES):
            target = "probabilities"
        else:
            target = "labels"
    if target == "logits":
        if not is_regressor(student):
            raise ValueError(
                f"target='logits' trains a regressor on the teacher's log-odds, but the student "
                f"{type(student).__name__} is a classifier; pass a glassbox regressor as student "
                "or use target='labels' or 'probabilities'."
            )
        if n_classes != 2:
            raise ValueError(
                f"target='logits' needs a binary task, this one has {n_classes} classes; "
                "use target='probabilities' or 'labels'."
            )
        if get_tags(student).target_tags.positive_only:
            refuse_log_odds_student(student, "takes only a non-negative target")
    elif not is_classifier(student):
        raise ValueError(
            f"target={target!r} needs a classifier student, got the regressor {type(student).__name__}; "
            "use target='logits' for a regressor student."
        )
    return target


def refuse_log_odds_student(student, why):
    """Refuse a regressor that cannot output log-odds as they are (a log link predicts exp of its sum)."""
    raise ValueError(
        f"target='logits' trains the regressor student on the teacher's log-odds, which are negative wherever "
        f"the teacher prefers its first class, and reads the student's sum as log-odds; {type(student).__name__} "
        f"{why} (a log link, e.g. loss='poisson', 'gamma' or 'tweedie': it predicts exp of its sum). Use a "
        "regressor on the identity link (GAMRegressor(loss='squared_error'), SparseLinearRegressor) or a "
        "classifier student."
    )


def polish_for_agreement(student, X, labels, weights):
    """Family-specific last step of a distillation: make the fitted student agree more with the teacher.

    A family that keeps a pool of near-optimal models (risk scores keep the
    scorecards within ``gap_tolerance`` of the best loss, each with at most
    ``max_features`` conditions) switches to the one whose labels agree most
    with the teacher's on the training rows (ties: the lower loss).  The loss
    (cross-entropy to the teacher's probabilities) is not agreement: among
    scorecards of nearly equal loss, the one placing its threshold where the
    teacher's boundary is agrees more often.  Only training rows are used, and
    the complexity never grows (every pool entry obeys ``max_features``).
    Rule lists with ``set_rules`` (Bayesian rule lists) replace rules by
    candidates of their fit while the labels' weighted agreement with the
    teacher's on the training rows rises, then drop rules while it does not
    fall (ties: remove; see :mod:`glassbox.surrogate._prune_rules`): the
    posterior favours pure rules, so many rules of a long distilled list split
    off rows the default already labels alike.  Their complexity can only fall.
    Other families are left as they are.  Returns the student.
    """
    if is_classifier(student) and hasattr(student, "set_rules") and hasattr(student, "coverage"):
        return prune_rule_list(student, X, labels, weights)
    if is_regressor(student) or not (hasattr(student, "pool_predict") and hasattr(student, "use_scorecard")):
        return student
    weights = np.asarray(weights, dtype=np.float64)
    if weights.sum() <= 0 or len(student.scorecards_) < 2:
        return student
    agreement = (student.pool_predict(X) == np.asarray(labels)[None, :]) @ weights
    return student.use_scorecard(int(np.argmax(agreement)))  # argmax: the first (lowest-loss) of ties


def fit_within_candidate_limit(student, fit):
    """``fit(student)``; a rule student refused for too many candidate rules is fitted with fewer thresholds.

    Rule learners mine every conjunction of their conditions that reaches
    ``min_support`` and refuse a fit with more than ``max_candidates`` of them
    (``TooManyCandidates``).  The distillation settings (20 thresholds per
    numeric feature, 2% support for rule lists) fit the benchmark's tables, but
    about 11 or more dense numeric columns give too many pairs (wine, 11 columns:
    438 conditions, 89,271 pairs for 50,000 candidates).  Such a student is
    fitted again with ``max_thresholds`` lowered to an estimate of the most that
    fit (pairs grow with its square), then one less at a time down to 1, and a
    warning says which value the copy's student uses; the refusal stands when
    none fits.  Fits that succeed are left as they are.  Returns the fitted student.
    """
    try:
        return fit(student)
    except ValueError as exc:
        refusal = _too_many_candidates(exc)
        if refusal is None or student.get_params().get("max_thresholds", 1) <= 1:
            raise
        error = exc
    asked = student.max_thresholds
    thresholds = _thresholds_within(asked, student.get_params().get("max_candidates"), refusal)
    while thresholds >= 1:
        try:
            fitted = fit(student.set_params(max_thresholds=thresholds))
        except ValueError as exc:
            if _too_many_candidates(exc) is None:
                raise
            thresholds -= 1
            continue
        warnings.warn(
            f"{type(student).__name__}(max_thresholds={asked}) mines more candidate rules on these rows than its "
            f"max_candidates allows ({_counts(refusal)}); the copy's student was fitted with "
            f"max_thresholds={thresholds} instead (student_.max_thresholds). To keep {asked} thresholds per numeric "
            "feature, pass a student with a larger max_candidates (slower to fit) or a higher min_support.",
            UserWarning, stacklevel=user_stacklevel(),
        )
        return fitted
    student.set_params(max_thresholds=asked)
    raise error


def _too_many_candidates(exc):
    """The ``TooManyCandidates`` behind a refusal (a decision set re-raises it as a ``ValueError``), or None."""
    from ..rules.mining import TooManyCandidates

    for error in (exc, exc.__cause__):
        if isinstance(error, TooManyCandidates):
            return error
    return None


def _thresholds_within(asked, max_candidates, refusal):
    """Thresholds per feature estimated to keep the candidates under ``max_candidates`` (less than ``asked``).

    Single conditions grow linearly with the thresholds and pairs of them with
    the square: scale ``asked`` by the root of the excess (linearly when the
    single conditions alone were too many).
    """
    if max_candidates is None:
        return asked - 1
    if refusal.n_pairs is None:
        ratio = max_candidates / max(refusal.n_frequent, 1)
    else:
        ratio = np.sqrt(max_candidates / max(refusal.n_frequent + refusal.n_pairs, 1))
    return max(1, min(asked - 1, int(asked * ratio)))


def _counts(refusal):
    pairs = "" if refusal.n_pairs is None else f", {refusal.n_pairs} pairs of them that may share a rule"
    return f"{refusal.n_frequent} single conditions reach min_support{pairs}"


def soft_label_rows(n_rows, proba, weights, classes):
    """Rows repeated once per class, labelled with the class and weighted by its probability.

    Fitting a likelihood-based classifier on these rows minimises the
    cross-entropy to the teacher's probabilities: the student learns how sure
    the teacher is, not only what it decides.
    """
    row_index, class_index = np.nonzero(proba > 0)
    row_weights = proba[row_index, class_index] * weights[row_index]
    return row_index, np.asarray(classes)[class_index], row_weights


def warn_of_decisions_off_most_probable(teacher_name, outputs, classes, weights, target, aligned):
    """Warn when the teacher decides other classes than its most probable ones and the student learns its scale.

    A tuned decision threshold (``FixedThresholdClassifier``) or Platt-scaled
    probabilities (``SVC(probability=True)``) make the teacher's ``predict``
    differ from the argmax of its probabilities.  A student fitted to the
    probabilities (or log-odds) predicts their most probable classes, not
    the teacher's decisions, unless its intercept is aligned with them.
    ``outputs`` are in the order of ``classes``; ``weights`` the training rows'.
    """
    if aligned or target not in ("probabilities", "logits") or outputs.proba is None:
        return
    off = np.asarray(outputs.labels) != np.asarray(classes)[np.argmax(outputs.proba, axis=1)]
    share = float(np.average(off, weights=weights)) if np.any(weights > 0) else 0.0
    if share == 0.0:
        return
    warnings.warn(
        f"The teacher {teacher_name} decides other classes than its most probable ones on {share:.1%} of the "
        f"training rows (weighted; a tuned decision threshold or calibrated probabilities, as its predict gives "
        f"them), and the student learns its {target} (target={target!r}), whose most probable classes it will "
        "predict instead. Pass target='labels' to copy the teacher's decisions, or use a GAM or sparse linear "
        "student of a binary teacher, whose intercept is aligned with them (align_intercept=True).",
        UserWarning, stacklevel=user_stacklevel())
