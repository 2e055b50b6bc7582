"""The default teacher of a distillation reads the columns a glassbox student reads.

scikit-learn's HistGradientBoosting reads numbers, booleans and pandas
``category`` columns, but not object or string columns (nor text in a NumPy
array), and it fails on a column missing in every row.  Every glassbox student
reads those.  When ``X`` has such columns the default teacher is a
:class:`~sklearn.pipeline.Pipeline`: :class:`TeacherEncoder` (category codes,
all-missing columns dropped) in front of the HistGradientBoosting model, told
which of its inputs are categorical.  Otherwise the model reads ``X`` as it is,
exactly as before there was an encoder.

A teacher fitted here is fitted on the rows of positive weight only (a row of
weight zero is as good as absent, and HistGradientBoosting bins and holds out
rows whatever their weight: see ``_weighted_rows``), with their
``sample_weight`` (:func:`weight_fit_params`): a ``Pipeline`` at its last step,
or through metadata routing when it is enabled (then as the teacher's
``set_fit_request`` says: :func:`teacher_routing`); a teacher that cannot take
weights is refused, unless the weights only selected rows (0 or 1).  The
copy's other ``fit`` keyword arguments (``groups`` for a search that splits by
groups, a ``Pipeline``'s ``<step>__<name>``) are the teacher's, given to it as
they are or, with routing enabled, as it requests them (:func:`metadata_fit_params`).
"""

import inspect
from collections import Counter

import numpy as np
import sklearn
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.pipeline import Pipeline
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping, get_routing_for_object, process_routing
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from ..utils.tabular import feature_names_of, validate_tabular
from ._outputs import CLONE_NOTE, is_fitted_model, model_name

__all__ = ["TeacherEncoder", "encoded_teacher", "fit_teacher", "hard_columns_note", "metadata_fit_params",
           "needs_encoder", "routing_note", "teacher_routing", "uses_teacher_as_given", "weight_fit_params", "weights_refused_note"]

#: scikit-learn's message (1.6 and later) for a group splitter given no groups.
_GROUPS_MISSING = "The 'groups' parameter should not be None"


class TeacherEncoder(TransformerMixin, BaseEstimator):
    """Numbers for a HistGradientBoosting teacher from the columns a glassbox student reads.

    Categorical columns (pandas ``category``, object and string columns, text in
    an array: the columns glassbox reads as categorical) become integer codes,
    the most frequent level first; beyond ``max_categories - 1`` levels the
    rarer ones share the last code.  Missing values and levels not seen in
    ``fit`` become NaN, which HistGradientBoosting sends down its missing-value
    branch.  Numeric and boolean columns pass through as floats.  Columns missing
    in every training row are dropped (they carry nothing to learn from).

    Parameters
    ----------
    max_categories : int, default=255
        Most codes per categorical column (HistGradientBoosting's ``max_bins``).

    Attributes
    ----------
    kept_ : ndarray of int
        Input columns passed on, in their order.
    categorical_mask_ : ndarray of bool
        Which outputs are category codes (HistGradientBoosting's
        ``categorical_features``).
    levels_ : dict of int -> (ndarray of object, ndarray of float)
        Per categorical input column: the levels seen in ``fit`` and their codes.
    """

    def __init__(self, max_categories=255):
        self.max_categories = max_categories

    def fit(self, X, y=None):
        table = validate_tabular(self, X, reset=True)
        self.kept_ = np.array([j for j in range(table.n_features) if not table.missing(j).all()], dtype=np.intp)
        self.categorical_mask_ = np.asarray(table.is_categorical[self.kept_], dtype=bool)
        self.levels_ = {int(j): self._levels(table.column(j)[~table.missing(j)]) for j in self.kept_
                        if table.is_categorical[j]}
        return self

    def _levels(self, values):
        # plain Python counting, so that NumPy input needs no pandas (an optional dependency)
        counts = Counter(values.tolist())
        # most frequent first, ties by their text, so that the codes do not depend on the row order
        levels = sorted(counts, key=lambda level: (-counts[level], str(level)))
        codes = np.minimum(np.arange(len(levels)), self.max_categories - 1).astype(np.float64)
        return np.array(levels, dtype=object), codes

    def transform(self, X):
        check_is_fitted(self)
        table = validate_tabular(self, X, reset=False)
        out = np.empty((table.n_samples, len(self.kept_)), dtype=np.float64)
        for position, j in enumerate(self.kept_):
            if j in self.levels_:
                levels, codes = self.levels_[j]
                position_of = {level: i for i, level in enumerate(levels)}
                found = np.fromiter((position_of.get(value, -1) for value in table.column(j).tolist()),
                                    dtype=np.intp, count=table.n_samples)
                out[:, position] = np.where(found >= 0, codes[found], np.nan)  # missing and unseen: NaN
            else:
                out[:, position] = table.numeric[:, j]
        return out

    def get_feature_names_out(self, input_features=None):
        """Names of the columns passed on (the input names, all-missing columns left out)."""
        check_is_fitted(self)
        return np.asarray(feature_names_of(self), dtype=object)[self.kept_]


def _object_columns(X, n_features):
    """Which columns of ``X`` hold Python objects (a frame's object columns; every column of an object array)."""
    if hasattr(X, "dtypes") and hasattr(X, "columns"):
        return np.array([str(dtype) == "object" for dtype in X.dtypes], dtype=bool)
    return np.full(n_features, str(getattr(X, "dtype", None)) == "object")


def needs_encoder(table, max_bins, X=None):
    """Whether HistGradientBoosting cannot read these columns of ``X`` as they are.

    Flags and numbers held as objects (True / False, or numbers, with ``pd.NA``, which
    HistGradientBoosting cannot turn into a float) go through the encoder too, as the
    numbers the students read.
    """
    if X is not None and np.any(_object_columns(X, table.n_features) & ~table.is_categorical):
        return True
    for j in range(table.n_features):
        if table.missing(j).all():
            return True
        if table.is_categorical[j]:
            pair = table.category_codes.get(j)
            if pair is None:  # text, not a pandas category
                return True
            if np.count_nonzero(np.bincount(pair[0][pair[0] >= 0], minlength=1)) > max_bins:
                return True  # more levels in the rows than the model takes (levels only declared do not count)
    return False


def hard_columns_note(table):
    """Which columns of ``X`` many models cannot read, for the message of a teacher that failed."""
    names = table.feature_names
    text = [names[j] for j in range(table.n_features) if table.is_categorical[j] and j not in table.category_codes]
    empty = [names[j] for j in range(table.n_features) if table.missing(j).all()]
    parts = ([f"text (object/string) columns {text}"] if text else []) + (
        [f"columns missing in every row {empty}"] if empty else [])
    return f" X has {' and '.join(parts)}." if parts else ""


def encoded_teacher(model, X, y, fit_params):
    """``model`` fitted behind a :class:`TeacherEncoder`, as a fitted ``Pipeline``."""
    encoder = TeacherEncoder(max_categories=model.max_bins).fit(X)
    if len(encoder.kept_) == 0:
        raise ValueError("Every column of X is missing in every row; there is nothing to learn from.")
    model.set_params(categorical_features=encoder.categorical_mask_)
    model.fit(encoder.transform(X), y, **fit_params)
    return Pipeline([("encode", encoder), ("model", model)])


def _takes_any_keyword(method):
    """Whether ``method`` takes ``**kwargs`` (a meta-estimator's fit that hands its keywords on)."""
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in inspect.signature(method).parameters.values())


def _weight_keyword(model):
    """The keyword of ``model.fit`` that hands ``sample_weight`` to the estimator that learns, or None.

    Without metadata routing a ``Pipeline`` takes fit parameters as
    ``<step>__<name>``: the weights go to its last step (nested pipelines:
    ``<step>__<step>__sample_weight``), as a user fitting it by hand would
    pass them.  A meta-estimator whose fit takes ``**kwargs`` is given
    ``sample_weight``: a search hands it on to its estimator, but some refuse
    it without metadata routing (``OneVsRestClassifier``), and the fit then
    says so (:func:`weights_refused_note`).
    """
    if has_fit_parameter(model, "sample_weight"):
        return "sample_weight"
    if isinstance(model, Pipeline):
        name, last = model.steps[-1]
        inner = None if last is None or isinstance(last, str) else _weight_keyword(last)
        return None if inner is None else f"{name}__{inner}"
    if hasattr(model, "fit") and _takes_any_keyword(model.fit):
        return "sample_weight"
    return None


def _routing_enabled():
    return bool(sklearn.get_config().get("enable_metadata_routing", False))


def _routes_to_teacher(copy):
    """Whether ``copy`` (a distilled estimator) fits a teacher the user gave it, one that takes part in routing."""
    return (copy.teacher is not None and not uses_teacher_as_given(copy)
            and hasattr(copy.teacher, "get_metadata_routing"))


def teacher_routing(copy):
    """``copy``'s metadata routing (``get_metadata_routing``): ``sample_weight`` for itself, and for the teacher it
    fits (the one the user gave it, not a fitted one it takes as given nor the default one) whatever the teacher
    requests (``sample_weight``, ``groups`` for a search splitting by groups, ...).

    The copy consumes the weights itself (its student and ``fidelity_`` always
    learn from them) and routes them to the teacher as any scikit-learn
    meta-estimator would: a teacher's ``set_fit_request(sample_weight=False)``
    is obeyed, and a teacher that does not say stops the fit with
    scikit-learn's ``UnsetMetadataPassedError``.
    """
    router = MetadataRouter(owner=type(copy).__name__).add_self_request(copy)
    if _routes_to_teacher(copy):
        router.add(teacher=copy.teacher, method_mapping=MethodMapping().add(caller="fit", callee="fit"))
    return router


def weight_fit_params(copy, teacher, sample_weight):
    """``teacher.fit``'s keyword arguments that give it ``sample_weight``; a teacher that cannot take them is refused.

    ``copy`` is the distilled estimator fitting ``teacher`` (a clone of its
    own).  With ``sklearn.set_config(enable_metadata_routing=True)`` the
    weights go where the teacher's requests send them (:func:`teacher_routing`):
    to a model that requests them, to the steps of a ``Pipeline`` that do;
    a teacher that declines them (``set_fit_request(sample_weight=False)``;
    a ``Pipeline``: on every step that takes them) is fitted without them,
    as asked.  Weights are never dropped silently: a
    teacher with no way to take them (``KNeighborsClassifier``, a
    ``Pipeline`` ending in one) raises, naming the fix.
    """
    if sample_weight is None:
        return {}
    if _routing_enabled() and _routes_to_teacher(copy):
        return _routed_weights(copy, teacher, sample_weight)
    if _routing_enabled() and _takes_any_keyword(teacher.fit):
        return {"sample_weight": sample_weight}
    keyword = _weight_keyword(teacher)
    if keyword is not None:
        return {keyword: sample_weight}
    where = "its last step's fit" if isinstance(teacher, Pipeline) else "its fit"
    raise ValueError(_unweighted_teacher_message(teacher, f"takes no sample_weight in {where}",
                                                 "(with the weights, if it takes them another way)"))


def _routed_weights(copy, teacher, sample_weight):
    """The teacher's fit parameters as metadata routing gives them (see :func:`weight_fit_params`)."""
    try:
        routed = dict(process_routing(copy, "fit", sample_weight=sample_weight).teacher.fit)
    except UnsetMetadataPassedError as exc:
        raise _unset_weights_error(exc, teacher) from exc
    if routed:
        return routed
    requests = _weight_requests(teacher)
    if requests and all(request is False for request in requests):
        return {}  # the user asked for an unweighted teacher (every step of a Pipeline that takes weights declined)
    alias = next((request for request in requests if isinstance(request, str)), None)
    if alias is not None:
        raise ValueError(
            f"The teacher {model_name(teacher)} requests sample_weight under the name {alias!r}, but "
            f"{type(copy).__name__}.fit hands it its own sample_weight: call "
            "set_fit_request(sample_weight=True) on the teacher (or sample_weight=False to fit it unweighted)."
        )
    a_model = getattr(get_routing_for_object(teacher), "fit", None) is not None  # a router (Pipeline, search) has none
    if a_model or isinstance(teacher, Pipeline):
        why = "takes no sample_weight in its fit" if a_model else "takes sample_weight in none of its steps' fit"
    else:
        why = ("hands sample_weight to none of its steps (metadata routing is enabled: call "
               "set_fit_request(sample_weight=True) on the step that learns)")
    raise ValueError(_unweighted_teacher_message(teacher, why, "(with the weights, if it takes them another way)"))


def _weight_requests(model):
    """What ``model``'s fit requests for ``sample_weight``: one entry (True, False, None or an alias) per estimator
    whose fit takes it, the model's own or each a ``Pipeline``'s steps (nested ones too); [] when none takes it.

    Any other router (a search) is not looked into: it gets [] too.
    """
    if isinstance(model, Pipeline):
        return [request for _, step in model.steps if step is not None and not isinstance(step, str)
                for request in _weight_requests(step)]
    requests = getattr(get_routing_for_object(model), "fit", None)  # a router has none
    if requests is None or "sample_weight" not in requests.requests:
        return []
    return [requests.requests["sample_weight"]]


def _unset_weights_error(error, teacher):
    """scikit-learn's ``UnsetMetadataPassedError`` ``error`` for ``teacher``, with what to call to settle it."""
    return UnsetMetadataPassedError(message=f"{error}{routing_note(teacher)}",
                                    unrequested_params=error.unrequested_params, routed_params=error.routed_params)


def _unweighted_teacher_message(teacher, why, how):
    """Why ``teacher`` cannot be fitted here with the copy's weights, and the two ways out."""
    return (
        f"fit was given sample_weight, but the teacher {model_name(teacher)} {why}, so it cannot be fitted here "
        "with those weights, and a copy of an unweighted teacher is not what was asked. Fit the teacher yourself "
        f"{how} and pass it fitted: the copy then uses sample_weight for the student and its fidelity only. Or "
        "choose a teacher whose fit takes sample_weight."
    )


def weights_refused_note(teacher, fit_params, error):
    """The message for a teacher whose fit raised ``error`` over the weights in ``fit_params``, or None.

    A meta-estimator whose fit takes ``**kwargs`` is given the weights, and
    some refuse them when metadata routing is off (``OneVsRestClassifier``:
    "Passing extra keyword arguments ... is only supported if
    enable_metadata_routing=True"); the fix is then about the weights, not X.
    """
    text = str(error)
    if not fit_params or ("sample_weight" not in text and "enable_metadata_routing" not in text):
        return None
    return _unweighted_teacher_message(
        teacher, f"refused it ({text})",
        "with the weights (e.g. with sklearn.set_config(enable_metadata_routing=True) and "
        "set_fit_request(sample_weight=True) on the estimator it wraps)")


def _names(metadata):
    return ", ".join(sorted(metadata))


def _refuses_keyword(error, metadata):
    """Whether ``error`` is a fit refusing one of the keywords ``metadata`` names (not a complaint about a value)."""
    text = str(error)
    named = any(name in text for name in metadata)
    return named and any(phrase in text for phrase in ("unexpected keyword", "does not accept", "not accept",
                                                       "got an unexpected", "stepname__parameter"))


def metadata_fit_params(copy, teacher, metadata):
    """``teacher.fit``'s keyword arguments for ``metadata``: what the copy's ``fit`` was given besides
    ``sample_weight`` (``groups`` for a search splitting by groups, a ``Pipeline``'s ``<step>__<name>``).

    Without metadata routing they go to the teacher's fit as they are, as
    they would in a fit by hand; a teacher whose fit cannot take them (the
    default teacher, a model without such a parameter) is refused here,
    before anything is fitted.  With ``sklearn.set_config(enable_metadata_routing=True)``
    they go where the teacher's requests send them (:func:`teacher_routing`),
    and scikit-learn refuses a parameter nothing requests.
    """
    if not metadata:
        return {}
    if _routing_enabled() and _routes_to_teacher(copy):
        try:
            return dict(process_routing(copy, "fit", **metadata).teacher.fit)
        except TypeError as exc:  # scikit-learn's "... which are not routed to any object"
            prefixed = sorted(name for name in metadata if "__" in name)
            how = (f" With metadata routing parameters go by their own names: pass {prefixed[0].rsplit('__', 1)[1]}=..."
                   f" rather than {prefixed[0]}=..." if prefixed else "")
            raise TypeError(
                f"{exc} Metadata routing is enabled and the teacher {model_name(teacher)} requests none of "
                f"{_names(metadata)}: call set_fit_request(<name>=True) on the estimator inside it that takes "
                f"them, or leave them out.{how}"
            ) from exc
    signature = inspect.signature(teacher.fit).parameters
    refused = [name for name in sorted(metadata) if name not in signature]
    if refused and not _takes_any_keyword(teacher.fit):
        which = "the default teacher " if copy.teacher is None else "the teacher "
        raise ValueError(
            f"fit was given {', '.join(refused)} for the teacher's fit, but {which}{model_name(teacher)} takes no "
            f"such parameter in its fit. Pass a teacher whose fit takes {'it' if len(refused) == 1 else 'them'} "
            "(e.g. a GridSearchCV with cv=GroupKFold(5) takes groups), or leave them out."
        )
    return dict(metadata)


def _groups_missing_message(teacher, error):
    """Why ``teacher``'s fit failed for want of ``groups`` (``error``), and how to give them."""
    search = ("a search around the copy hands them on when its own fit is given groups=..." if _routing_enabled() else
              "a search around the copy does so with sklearn.set_config(enable_metadata_routing=True)")
    return (
        f"The teacher {model_name(teacher)} could not be fitted on (X, y) ({error}): its fit needs each row's "
        f"group. Pass them to the copy's fit (fit(X, y, groups=groups): it hands them to the teacher's fit; {search}"
        "), or fit the teacher yourself with groups=... and pass it fitted (wrapped as "
        "sklearn.frozen.FrozenEstimator(teacher) to stay fitted through clone() in a search), or give it a splitter "
        "that needs no groups."
    )


def routing_note(teacher):
    """What to do when metadata routing met a teacher (or a step of it) that does not say whether it takes weights."""
    if getattr(get_routing_for_object(teacher), "fit", None) is not None:  # a model, not a Pipeline or search
        return (
            f" Metadata routing is enabled, so the copy hands sample_weight to its teacher {model_name(teacher)} only "
            "as the teacher requests it: call set_fit_request(sample_weight=True) on the teacher to fit it with the "
            "weights (sample_weight=False: without them), or fit the teacher yourself and pass it fitted."
        )
    return (
        f" Metadata routing is enabled, so the teacher {model_name(teacher)} hands sample_weight to the steps that "
        "request it, and stops at a step that does not say (named above): call set_fit_request(sample_weight=True) "
        "on each step that should learn from the weights (e.g. teacher[-1] for the model at the end) and "
        "set_fit_request(sample_weight=False) on the others, or fit the teacher yourself and pass it fitted."
    )


def uses_teacher_as_given(copy):
    """Whether ``copy`` (a distilled estimator) takes its ``teacher`` as it is: fitted, not teacher_prefit=False."""
    return copy.teacher is not None and copy.teacher_prefit is not False and is_fitted_model(copy.teacher)


def fit_teacher(copy, X, y, sample_weight, table, metadata=None, rows_note=""):
    """The teacher ``copy`` (a distilled estimator) learns from: its ``teacher`` when fitted (and not
    ``teacher_prefit=False``), else a clone of it (of the default teacher for None) fitted on ``(X, y)``
    with the weights and ``metadata`` (the other keyword arguments of the copy's ``fit``, for the
    teacher's: :func:`metadata_fit_params`); an error saying what to do when neither can be.
    ``rows_note`` says, in such an error, that the per-row values were cut to the rows of positive weight.
    """
    teacher = copy._default_teacher() if copy.teacher is None else copy.teacher
    prefit = copy.teacher_prefit
    metadata = metadata or {}
    if uses_teacher_as_given(copy):
        if metadata:
            how = (" Leave them out, or set teacher_prefit=False to have fit() train a clone of the teacher with them."
                   if hasattr(teacher, "fit") else " Leave them out: a function teacher has no fit to take them.")
            raise ValueError(
                f"fit was given {_names(metadata)} for the teacher's fit, but the teacher {model_name(teacher)} is "
                f"fitted and used as given, so nothing would use them.{how}"
            )
        return teacher
    if prefit is True:
        raise ValueError(
            f"teacher_prefit=True but the teacher {model_name(teacher)} is not fitted; fit it "
            "first, or set teacher_prefit='auto' to let fit() train it on (X, y). "
            + CLONE_NOTE.format(what="teacher")
        )
    if not hasattr(teacher, "fit"):
        raise TypeError(f"teacher_prefit=False but the teacher {model_name(teacher)} has no fit method.")
    if y is None:
        raise ValueError(
            f"{type(copy).__name__} requires y to be passed, but the target y is None: the teacher "
            f"must be fitted on (X, y). Pass y, or a fitted teacher. {CLONE_NOTE.format(what='teacher')}"
        )
    teacher = clone(teacher)
    # the teacher learns from the weights too: a copy of a teacher fitted without them is not what was asked
    weight_params = weight_fit_params(copy, teacher, sample_weight)
    fit_params = {**weight_params, **metadata_fit_params(copy, teacher, metadata)}
    try:
        # the default teacher reads what the students read: object/string columns, all-missing ones
        if copy.teacher is None and needs_encoder(table, teacher.max_bins, X):
            return encoded_teacher(teacher, X, y, fit_params)
        return teacher.fit(X, y, **fit_params)
    except UnsetMetadataPassedError as exc:
        raise _unset_weights_error(exc, teacher) from exc
    except (ValueError, TypeError) as exc:  # the teacher's own message, with what to do about it
        if _GROUPS_MISSING in str(exc) and "groups" not in metadata:  # a search splitting by groups, given none
            raise ValueError(_groups_missing_message(teacher, exc)) from exc
        if metadata and _refuses_keyword(exc, metadata):  # before the weights: a message may name both
            raise ValueError(
                f"The teacher {model_name(teacher)} could not be fitted with {_names(metadata)} ({exc}). The copy "
                "hands its fit's keyword arguments other than sample_weight to the teacher's fit as they are: pass "
                "them as the teacher's fit takes them (a Pipeline: <step>__<name>)."
            ) from exc
        refused = weights_refused_note(teacher, weight_params, exc)
        if refused is not None:
            raise ValueError(refused) from exc
        if metadata:  # the values given, not X, may be what the teacher could not use
            raise ValueError(
                f"The teacher {model_name(teacher)} could not be fitted on (X, y) with {_names(metadata)} "
                f"({exc}).{rows_note} Check those values (one per row where the teacher reads them per row) and X."
            ) from exc
        raise ValueError(
            f"The teacher {model_name(teacher)} could not be fitted on (X, y) ({exc}).{hard_columns_note(table)} "
            "The teacher sees X as it is given: make X something it reads, or pass a fitted teacher, or a "
            "Pipeline that encodes X, as teacher (teacher=None reads the columns every glassbox student reads)."
        ) from exc
