"""Read the outputs of any model: an estimator, a glassbox model or a plain callable.

Surrogates compare two models through what they output.  A teacher can be a
scikit-learn estimator (``predict_proba`` / ``decision_function`` /
``predict``), any object with those methods, or a callable ``f(X)``:

* for classification, a callable returning a 2-D array gives class
  probabilities (one column per class) and a 1-D array gives labels;
* for regression, a callable returns the predicted values.

:func:`model_outputs` turns each of these into one :class:`ModelOutputs`,
checking that the values are finite so a broken teacher is caught before a
student learns from it.
"""

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.sparse import issparse
from scipy.special import expit, logit
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_is_fitted

from ..utils.validation import capped_list, plain_value, user_stacklevel

# Probabilities are clipped this far from 0 and 1 before taking logits, so a
# teacher that is certain does not produce infinite log-odds.
PROBABILITY_CLIP = 1e-7


@dataclass(frozen=True)
class ModelOutputs:
    """What a model says about each row.

    Attributes
    ----------
    labels : ndarray of shape (n_samples,) or None
        Predicted class labels (classification): what the model's ``predict``
        gives when it has one (a tuned threshold moves them away from the
        most probable classes), else the most probable classes.
    proba : ndarray of shape (n_samples, n_classes) or None
        Class probabilities, when the model gives them (``predict_proba``, or
        a function's 2-D output); None for a model with only a
        ``decision_function`` (a margin is no probability).
    score : ndarray of shape (n_samples,) or (n_samples, n_classes)
        A real-valued output: log-odds of the second class (binary), centred
        log-probabilities per class (multiclass), the decision function of a
        model without probabilities (its margin), or the prediction (regression).
    classes : ndarray or None
    """

    labels: np.ndarray
    proba: np.ndarray
    score: np.ndarray
    classes: np.ndarray


def model_name(model):
    """A short readable name for a model or a callable."""
    steps = getattr(model, "steps", None)
    if isinstance(steps, list) and steps and hasattr(model, "predict"):  # a Pipeline: name its model
        return f"{model_name(steps[-1][1])} (Pipeline)"
    if isinstance(model, FrozenEstimator):  # the model, not its wrapper
        return f"{model_name(model.estimator)} (frozen)"
    if hasattr(model, "predict") or hasattr(model, "predict_proba"):
        return type(model).__name__
    return getattr(model, "__name__", type(model).__name__)


# Packages whose estimators end every fitted attribute in "_": check_is_fitted is definite for them.
_CONVENTIONAL_PACKAGES = {"sklearn", "glassbox"}


def is_fitted_model(model):
    """Whether ``model`` can be used as it is.

    Only a scikit-learn estimator (a ``BaseEstimator``) that is definitely
    unfitted is refused: ``check_is_fitted`` raises ``NotFittedError`` and the
    estimator is scikit-learn's or glassbox's own, says so itself
    (``__sklearn_is_fitted__``), or holds nothing beyond its parameters.  A
    duck-typed model with ``fit`` and ``predict``, a callable, or a fitted
    estimator whose fitted attributes do not end in ``_`` is used as it is.
    """
    if not isinstance(model, BaseEstimator):
        return True
    try:
        check_is_fitted(model)
    except NotFittedError:
        if hasattr(model, "__sklearn_is_fitted__") or type(model).__module__.split(".")[0] in _CONVENTIONAL_PACKAGES:
            return False
        return _holds_more_than_parameters(model)
    except (AttributeError, TypeError):  # scikit-learn cannot tell: used as it is
        return True
    return True


def _holds_more_than_parameters(estimator):
    """Whether fit stored something: attributes beyond the parameters (and scikit-learn's own config)."""
    parameters = set(estimator.get_params(deep=False))
    stored = [name for name in vars(estimator) if name not in parameters and not name.startswith("_sklearn")]
    return bool(stored)


# Why a fitted model given as a parameter arrives unfitted, and what keeps it fitted.
CLONE_NOTE = (
    "clone() (which GridSearchCV, cross_validate and other scikit-learn tools call) turns a fitted {what} "
    "into an unfitted copy; wrap it as sklearn.frozen.FrozenEstimator({what}) to keep it fitted through clone()."
)


def _finite(values, who, what):
    array = np.asarray(values)
    if array.dtype.kind in "fc" and not np.all(np.isfinite(array)):
        bad = int(np.sum(~np.isfinite(array).reshape(len(array), -1).all(axis=1)))
        raise ValueError(
            f"The {who} returned NaN or infinite {what} for {bad} of {len(array)} rows; "
            "a surrogate cannot learn from or be compared with undefined outputs. Impute the "
            "inputs the model cannot handle, or fix the model so it returns finite values."
        )
    return array


def logits_from_proba(proba):
    """Log-odds of the second class (binary) or centred log-probabilities (multiclass)."""
    clipped = np.clip(proba, PROBABILITY_CLIP, 1.0 - PROBABILITY_CLIP)
    if clipped.shape[1] == 2:
        return logit(clipped[:, 1])
    logp = np.log(clipped)
    return logp - logp.mean(axis=1, keepdims=True)


def _proba_from_decision(decision):
    decision = np.asarray(decision, dtype=np.float64)
    if decision.ndim == 1:
        p1 = expit(decision)
        return np.column_stack([1.0 - p1, p1])
    shifted = np.exp(decision - decision.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


_CONSISTENCY_ROWS = 256  # rows on which a decision function is checked against predict_proba


def _head(X, n):
    return take_rows(X, np.arange(min(n, n_rows(X))))


def _decision_values(model, X):
    """The decision function on ``X`` when it can be read as log-odds-like scores, else None."""
    if not hasattr(model, "decision_function"):
        return None
    try:
        decision = np.asarray(model.decision_function(X), dtype=np.float64)
    except (AttributeError, NotImplementedError, TypeError, ValueError):
        return None
    if not np.all(np.isfinite(decision)):
        return None
    if decision.ndim == 2 and decision.shape[1] > 2:
        return decision - decision.mean(axis=1, keepdims=True)
    return decision if decision.ndim == 1 else None


def _decision_reproduces_proba(model, decision_head, X_head, who):
    head = _finite(model.predict_proba(X_head), who, "probabilities")
    implied = _proba_from_decision(decision_head)
    return implied.shape == head.shape and bool(np.allclose(implied, head, rtol=1e-6, atol=1e-9))


def decision_matches_proba(model, X, who="model"):
    """True when the model's decision function, through the inverse link, gives its ``predict_proba``.

    Checked on the first rows of ``X``.  A caller that asks the same model
    many times (a local surrogate's batches) checks once and passes the answer
    as ``decision_trusted`` to :func:`model_outputs`.
    """
    X_head = _head(X, _CONSISTENCY_ROWS)
    decision = _decision_values(model, X_head)
    return decision is not None and _decision_reproduces_proba(model, decision, X_head, who)


def _proba_and_log_odds(model, X, who, decision_trusted=None):
    """Probabilities and log-odds, calling the model as few times as possible.

    Logistic models and gradient boosting report log-odds in
    ``decision_function``, beyond what clipped probabilities can express (a
    very sure teacher saturates at ``logit(1 - 1e-7)``); other models' decision
    functions (an SVM's margins) are on another scale and must not be mixed
    with probabilities.  The decision function is used only when its inverse
    link reproduces ``predict_proba`` on the first rows (``decision_trusted``
    None: checked here; True: checked by the caller; False: not used), and
    then the probabilities follow from it without a second pass over all rows.
    """
    if decision_trusted is not False:
        decision = _decision_values(model, X)
        if decision is not None and (decision_trusted or _decision_reproduces_proba(
                model, decision[:_CONSISTENCY_ROWS], _head(X, _CONSISTENCY_ROWS), who)):
            return _proba_from_decision(decision), decision
    proba = _checked_predict_proba(_finite(model.predict_proba(X), who, "probabilities"), who)
    return proba, logits_from_proba(proba)


def _checked_predict_proba(raw, who):
    """A model's ``predict_proba`` output, refused unless it is one column per class of probabilities.

    A 1-D output (the probability of one class) has no column per class to
    read, and rows not summing to 1 (one-vs-rest scores) would be read as
    probabilities: base values, soft labels and log-odds would be wrong
    without a word.
    """
    proba = np.asarray(raw, dtype=np.float64)
    if proba.ndim != 2:
        raise ValueError(
            f"The {who}'s predict_proba returned an array of shape {proba.shape}; predict_proba must return one "
            "column per class, in the order of its classes_ (shape (n_rows, n_classes), rows summing to 1), as "
            "scikit-learn's classifiers do. For a model that returns the probability p of its second class, pass "
            "a wrapper whose predict_proba returns np.column_stack([1 - p, p]), or a function f(X) returning "
            "that (with classes= naming the columns)."
        )
    problem = _probability_problem(raw, proba)
    if problem:
        raise ValueError(
            f"The {who}'s predict_proba returned values that are not class probabilities ({problem}): one-vs-rest "
            "scores or unnormalised weights would be read as probabilities, and every figure built on them would "
            "be wrong. Normalise them in a wrapper (p / p.sum(axis=1, keepdims=True)), or pass a function f(X) "
            "returning class probabilities (with classes= naming the columns)."
        )
    return proba


# How far a function's probabilities may stray from [0, 1] and from summing to one (float32 softmax rounding).
_PROBABILITY_TOLERANCE = 1e-5
_FUNCTION_OUTPUTS = ("for classification a function returns class labels (1-D) or class probabilities (2-D, one "
                     "column per class, rows summing to 1)")


def _checked_probabilities(raw, who):
    """A function's 2-D output as probabilities, refused when it is something else (scores, logits, percentages)."""
    proba = np.asarray(raw, dtype=np.float64)
    problem = _probability_problem(raw, proba)
    if problem:
        raise ValueError(
            f"The {who} function returned a 2-D output that is not class probabilities ({problem}); "
            f"{_FUNCTION_OUTPUTS}. Turn scores or logits into probabilities first "
            "(e.g. scipy.special.softmax(scores, axis=1))."
        )
    return proba


def _probability_problem(raw, proba):
    """What keeps the 2-D ``proba`` (as float64; ``raw`` as returned) from being probabilities, or None.

    The tolerance follows the precision returned: a float16 softmax sums to 1
    only within about 1e-3 per column, a float32 one within about 1e-7.
    """
    dtype = np.asarray(raw).dtype
    precision = 4 * float(np.finfo(dtype).eps) if dtype.kind == "f" else 0.0
    tolerance = max(_PROBABILITY_TOLERANCE, precision)
    outside = (proba < -tolerance) | (proba > 1 + tolerance)
    sums = proba.sum(axis=1)
    off_sum = np.abs(sums - 1.0) > tolerance * max(proba.shape[1], 1)
    if outside.any():
        return f"values outside [0, 1] in {int(outside.any(axis=1).sum())} of {len(proba)} rows"
    if off_sum.any():
        worst = sums[np.argmax(np.abs(sums - 1.0))]
        return f"rows not summing to 1 in {int(off_sum.sum())} of {len(proba)} rows (one sums to {worst:.4g})"
    return None


def _checked_labels(raw, who):
    """A function's 1-D output as labels, refused when it holds fractions (a probability or score per row)."""
    if raw.dtype.kind == "f" and np.any(raw != np.round(raw)):
        raise ValueError(
            f"The {who} function returned non-integer numbers of shape {raw.shape}, which cannot be class "
            f"labels; {_FUNCTION_OUTPUTS}. For the probability p of the second class return "
            "np.column_stack([1 - p, p])."
        )
    return raw


def _columns_named(classes, proba, who):
    """``classes`` as an array, checked to name every probability column (in column order)."""
    classes = np.asarray(classes)
    if len(classes) != proba.shape[1]:
        raise ValueError(
            f"The {who} returned probabilities for {proba.shape[1]} classes, but {len(classes)} class labels "
            f"name its columns ({[c.item() if isinstance(c, np.generic) else c for c in classes]}); give one "
            "label per column, in column order."
        )
    return classes


def _classifier_outputs(model, X, who, classes, decision_trusted=None, decisions=True):
    if not hasattr(model, "predict_proba") and not hasattr(model, "decision_function") and not hasattr(model, "predict"):
        if not callable(model):
            raise TypeError(
                f"The {who} ({type(model).__name__}) has no predict_proba, decision_function or "
                "predict method and is not callable; pass a fitted model or a function f(X)."
            )
        raw = _finite(model(X), who, "outputs")
        if raw.ndim == 2:
            proba = _checked_probabilities(raw, who)
            labels_index = np.argmax(proba, axis=1)
            classes = np.arange(proba.shape[1]) if classes is None else _columns_named(classes, proba, who)
            return ModelOutputs(classes[labels_index], proba, logits_from_proba(proba), classes)
        return ModelOutputs(_checked_labels(raw.ravel(), who), None, None, classes)
    model_classes = getattr(model, "classes_", classes)
    proba = score = None
    if hasattr(model, "predict_proba"):
        proba, score = _proba_and_log_odds(model, X, who, decision_trusted)
    elif hasattr(model, "decision_function"):
        # A margin (an SVM's, a ridge classifier's) orders rows but is no probability, and squashing it
        # through expit would invent one: it stays the score, and the model has no probabilities.
        score = _finite(model.decision_function(X), who, "decision values").astype(np.float64)
    if proba is not None and model_classes is None and not hasattr(model, "predict"):
        # probabilities and nothing to name them (a booster's thin wrapper): its columns are the classes 0 .. K-1,
        # as a function's are
        model_classes = np.arange(proba.shape[1])
    if proba is not None and model_classes is not None:
        columns = _columns_named(model_classes, proba, who)
        labels = columns[np.argmax(proba, axis=1)]
        if decisions and hasattr(model, "predict"):
            labels = _decisions(model, X, who, columns, labels)
    elif hasattr(model, "predict"):
        labels = _finite(model.predict(X), who, "predictions")
    elif score is not None and model_classes is not None:
        winner = (score > 0).astype(np.intp) if score.ndim == 1 else np.argmax(score, axis=1)
        labels = np.asarray(model_classes)[winner]
    else:
        raise TypeError(
            f"The {who} {model_name(model)} gives scores (a decision function) but no class labels: it has no "
            "classes_ and no predict. Pass classes=[<label of a negative score>, <label of a positive score>] "
            "(one label per column for a 2-D decision function), or give the model predict or classes_."
        )
    return ModelOutputs(np.asarray(labels), proba, score, None if model_classes is None else np.asarray(model_classes))


def _decisions(model, X, who, columns, most_probable):
    """The labels ``model.predict`` gives, which need not be its most probable classes ``most_probable``.

    A classifier with a tuned decision threshold (``FixedThresholdClassifier``,
    ``TunedThresholdClassifierCV``) or Platt-scaled probabilities (``SVC(probability=True)``) predicts
    other classes than its probabilities' argmax on some rows: the copy learns, and the reports
    compare, what the model decides.  A ``predict`` whose answers are not labels of its probability
    columns is not read (the most probable classes stand).
    """
    predicted = np.asarray(_finite(model.predict(X), who, "predictions"))
    if predicted.shape != most_probable.shape:
        return most_probable
    try:
        known = np.isin(predicted, columns)
    except (TypeError, ValueError):  # labels no comparison can match with the columns
        return most_probable
    return predicted if bool(np.all(known)) else most_probable


def _regressor_outputs(model, X, who):
    if hasattr(model, "predict"):
        values = model.predict(X)
    elif callable(model):
        values = model(X)
    else:
        raise TypeError(
            f"The {who} ({type(model).__name__}) has no predict method and is not callable; "
            "pass a fitted regressor or a function f(X) returning one value per row."
        )
    values = _finite(values, who, "predictions").astype(np.float64)
    if values.ndim != 1:
        if values.ndim == 2 and values.shape[1] == 1:
            values = values[:, 0]
        else:
            raise ValueError(f"The {who} returned outputs of shape {values.shape}; a regressor must return one value per row.")
    return ModelOutputs(None, None, values, None)


def model_outputs(model, X, *, task, who="teacher", classes=None, decision_trusted=None, decisions=True):
    """Outputs of ``model`` on ``X`` for ``task`` in {"classification", "regression"}.

    ``classes``: the labels of a classifier's probability columns when the
    model does not say (a function, or an object without ``classes_``); a
    function's columns are 0..K-1 without them.

    ``decision_trusted``: whether a classifier's decision function gives its
    probabilities (see :func:`decision_matches_proba`); None checks it here.

    ``decisions``: whether a classifier with probabilities and ``predict`` has
    its labels read from ``predict`` (what it decides, which a tuned
    threshold moves away from the most probable class; one more call of the
    model) rather than from the argmax of its probabilities.  Callers that
    need only the probabilities or scores (a local surrogate's perturbations)
    pass False.

    Raises ``TypeError`` when the model has no usable method and ``ValueError``
    when it returns non-finite values.
    """
    if task == "classification":
        outputs = _classifier_outputs(model, X, who, classes, decision_trusted, decisions)
    else:
        outputs = _regressor_outputs(model, X, who)
    n_outputs = len(outputs.labels if outputs.labels is not None else outputs.score)
    if n_outputs != n_rows(X):
        raise ValueError(f"The {who} returned {n_outputs} outputs for {n_rows(X)} rows; it must return one per row.")
    return outputs


def n_rows(X):
    """Number of rows of a frame, an array or a sequence of rows."""
    return X.shape[0] if hasattr(X, "shape") else len(X)


def take_rows(X, rows):
    """The rows ``rows`` (integer indices) of a frame or an array-like, in that order.

    A frame keeps its column names and types: pandas through ``iloc``, a
    polars frame by indexing with the integer array (``np.asarray`` would
    turn it into an array without its names), a SciPy sparse matrix or array
    as CSR rows (``np.asarray`` would make it a 0-d object array).  Lists of
    rows become an array.
    """
    rows = np.asarray(rows, dtype=np.intp)
    if hasattr(X, "iloc"):
        return X.iloc[rows]
    if isinstance(X, np.ndarray):
        return X[rows]
    if issparse(X):  # every format as CSR (a no-op for CSR): COO, DIA and BSR cannot be indexed by rows
        return X.tocsr()[rows]
    if hasattr(X, "shape") and hasattr(X, "__getitem__"):  # a polars frame: names and types kept
        return X[rows]
    return np.asarray(X)[rows]


def infer_task(teacher, who="teacher", classes=None):
    """``"classification"`` or ``"regression"`` from a model's methods and type.

    A function (or a model with only ``decision_function``) says nothing of
    its task, but one given ``classes=`` (the labels of its columns) is a
    classifier: only a classifier's outputs have classes.
    """
    from sklearn.utils import get_tags

    estimator_type = get_tags(teacher).estimator_type if hasattr(teacher, "__sklearn_tags__") else None
    if estimator_type == "classifier" or hasattr(teacher, "predict_proba") or hasattr(teacher, "classes_"):
        return "classification"
    if estimator_type == "regressor" or hasattr(teacher, "predict"):
        return "regression"
    if classes is not None and (callable(teacher) or hasattr(teacher, "decision_function")):
        return "classification"
    if not callable(teacher) and not hasattr(teacher, "decision_function"):
        raise TypeError(
            f"The {who} ({type(teacher).__name__}) has no predict, predict_proba or decision_function method "
            "and is not callable; pass a fitted model or a function f(X)."
        )
    what = "a plain callable" if callable(teacher) else "a model with only decision_function"
    raise TypeError(
        f"Cannot tell whether the {who} ({model_name(teacher)}), {what}, is a classifier or a "
        "regressor; pass task='classification' or task='regression' (or classes=, the labels of its columns, "
        "for a classifier)."
    )


def check_classes_for_task(task, classes, who="teacher", task_given=True):
    """Refuse ``classes=`` for a regression: a regressor's predictions have no classes to name.

    Left quiet, ``classes=`` would be ignored, and a user who passed it for
    a classifier would get a regression's explanation or report without
    being told.  ``task_given``: whether ``task`` was passed (else inferred
    from the ``who``, which has ``predict`` and no probabilities).
    """
    if task != "regression" or classes is None:
        return
    if task_given:
        raise ValueError(
            "classes= names the probability columns of a classifier, and task='regression' says the "
            f"{who} is a regressor, whose predictions have no classes: the two contradict each other. "
            f"Drop classes= for a regressor, or pass task='classification' for a classifier."
        )
    raise ValueError(
        f"classes= names the probability columns of a classifier, but the {who} reads as a regressor (it has "
        "predict and neither predict_proba nor classes_, and task=None), whose predictions have no classes. "
        "Drop classes= for a regressor, or pass task='classification' if the "
        f"{who} is a classifier."
    )


def check_classes_of_model(model, classes, who="teacher"):
    """Refuse ``classes=`` that contradict the model's own ``classes_`` (other labels, or another order).

    ``classes=`` names the probability columns of a model that does not know
    its classes; a model with ``classes_`` keeps its own, so different labels
    would be ignored without a word (a user naming ``[good, bad]`` would read
    every explanation under the model's ``[0, 1]``).
    """
    own = getattr(model, "classes_", None)
    if classes is None or own is None:
        return
    given, own = np.asarray(classes), np.asarray(own)
    if given.shape == own.shape and all(a == b for a, b in zip(given.tolist(), own.tolist())):
        return
    shown = [plain_value(c) for c in given.tolist()] if given.ndim == 1 else given.tolist()
    raise ValueError(
        f"classes={shown} differs from the {who}'s own classes_ {[plain_value(c) for c in own.tolist()]}, which "
        f"name its predict_proba columns in order; classes= is for a {who} that does not know its classes (a "
        f"function f(X), or an object with predict_proba but no classes_). Drop classes= (the {who}'s own "
        "labels are used), or relabel the model's classes at its source."
    )


def in_sorted_class_order(outputs):
    """A classifier's outputs with its classes in sorted label order, as scikit-learn orders classes.

    A function teacher's columns come in the order ``classes=`` names them
    (a served model may return ``[good, bad]``), and a teacher's own
    ``classes_`` may list them in another order (severity: ``[none, small,
    total loss]``); a student lists its classes sorted.  Labels are unchanged;
    probabilities, scores and classes follow the order.
    """
    classes = np.asarray(outputs.classes)
    order = np.argsort(classes, kind="stable")
    if np.array_equal(order, np.arange(len(classes))):
        return outputs
    proba = None if outputs.proba is None else outputs.proba[:, order]
    score = outputs.score
    if score is not None:
        score = np.asarray(score)
        # one column per class, or a binary model's one score for its second class: negated for the other
        score = score[:, order] if score.ndim == 2 else -score
    return ModelOutputs(outputs.labels, proba, score, classes[order])


# Agreement with y that a column order must beat the assumed one by before the assumed order is doubted.
_ORDER_MARGIN = 0.2


def warn_of_column_order(labels, y, columns, weights, who):
    """Warn when a teacher's labels, its columns named ``columns``, agree with ``y`` far less than chance.

    ``labels`` are the teacher's labels read with its columns named ``columns``
    (its own order unknown: a function or an object without ``classes_``).  The
    warning is given when they agree with ``y`` less often than labels drawn
    independently with the same class shares would (chance) and another naming
    of the columns agrees at least ``_ORDER_MARGIN`` more: a sign that the
    columns come in another order (e.g. ``[good, bad]`` read as ``[bad, good]``).
    """
    from scipy.optimize import linear_sum_assignment

    columns = np.asarray(columns)
    position = {c: k for k, c in enumerate(columns.tolist())}
    t_index = np.array([position.get(v, -1) for v in np.asarray(labels).tolist()])
    y_index = np.array([position.get(v, -1) for v in np.asarray(y).tolist()])
    keep = (t_index >= 0) & (y_index >= 0) & (weights > 0)
    if not keep.any() or len(columns) < 2:
        return
    k = len(columns)
    confusion = np.zeros((k, k))
    np.add.at(confusion, (t_index[keep], y_index[keep]), weights[keep])
    confusion /= confusion.sum()
    agreement = float(np.trace(confusion))
    chance = float(confusion.sum(axis=1) @ confusion.sum(axis=0))
    rows, best = linear_sum_assignment(confusion, maximize=True)
    best_agreement = float(confusion[rows, best].sum())
    if agreement >= chance or best_agreement < agreement + _ORDER_MARGIN:
        return
    shown = [plain_value(c) for c in columns]
    renamed = [shown[j] for j in best]
    warnings.warn(
        f"The {who}'s probability columns, read as the classes {shown} in that order, give labels that agree with "
        f"y on {agreement:.3f} of the training rows, less than chance ({chance:.3f}); read as {renamed} they agree "
        f"on {best_agreement:.3f}. A function (or a model without classes_) does not say which class each column "
        "is: pass classes= with its labels in the teacher's column order.",
        UserWarning, stacklevel=user_stacklevel(),
    )


def warn_of_labels_unknown_to(teacher, y, weights, classes):
    """Warn when ``y`` holds labels of positive weight that are none of the teacher's ``classes``.

    A copy learns the teacher's classes: a label only ``y`` knows (a teacher
    fitted before a rare class was added, or on another spelling of it) is one
    the copy never predicts, however many rows hold it.
    """
    if y is None:
        return
    known = {plain_value(c) for c in classes}
    labels, counts = np.unique(np.asarray(y)[weights > 0], return_counts=True)
    unknown = [(plain_value(label), int(n)) for label, n in zip(labels, counts) if plain_value(label) not in known]
    if not unknown:
        return
    names, n_rows = [label for label, _ in unknown], sum(n for _, n in unknown)
    warnings.warn(
        f"y holds {'the label' if len(names) == 1 else 'labels'} {capped_list(names)} ({n_rows} of {len(y)} rows), "
        f"which the teacher {model_name(teacher)} does not know (its classes: {capped_list(sorted(known, key=str))}): "
        f"the copy learns the teacher's classes and never predicts {'it' if len(names) == 1 else 'them'}. Fit the "
        "teacher on these labels (teacher_prefit=False fits a clone of it on X, y), or leave y out.",
        UserWarning, stacklevel=user_stacklevel(),
    )
