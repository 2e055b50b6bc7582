"""The base class of global explanations: a complete, serialisable fitted form."""

from dataclasses import dataclass, fields, replace
from typing import ClassVar

import numpy as np

from ._checks import require_class_labels, require_fidelity_figures, require_finite
from ._columns import RawColumns
from ._equality import same_fields
from ._hand_edits import MEASURED_BEFORE_EDIT, warn_of_reordered_classes
from ._render import class_text, exact_number, html_block, html_pre
from ._reserved_names import INTERCEPT_TERM, check_no_reserved_names  # noqa: F401 (INTERCEPT_TERM: re-exported from _reserved_names)
from ._serialize import (PAYLOAD_ERRORS, JsonText, PrintedWhole, decode_array, decode_nested, decode_optional_array,
                         encode_array, encode_nested, encode_optional_array, frozen_array, payload_problem)
from ._term_features import check_features_read
from ._text_escape import escape_text
from .links import Link

FORMAT_VERSION = 1

# Classes named in a printout's first line; the rest are counted (``classes`` has them all).
_MAX_CLASSES_IN_HEADER = 10

# kind name -> class, filled by ``register_kind``; used by ``from_dict``.
_KINDS = {}
# Payloads of the other JSON-safe reports, which are not models: where to load them.
_REPORT_LOADERS = {
    "coefficient_inference": "glassbox.explain.CoefficientInference",
    "local": "glassbox.LocalExplanation",
    "reason_codes": "glassbox.explain.ReasonCodes",
    "fidelity_report": "glassbox.surrogate.FidelityReport",
    "fidelity_frontier": "glassbox.surrogate.FidelityFrontier",
}


#: the keys every model's JSON object has (``fidelity`` too for a distilled copy)
_MODEL_KEYS = ("kind", "format_version", "model", "feature_names", "link", "classes", "base_value", "content")


def _damaged_message(kind, what):
    return (f"The JSON of a {kind!r} model is damaged or incomplete: {what}. glassbox.from_json reads the text "
            f"estimator.to_json() wrote (format version {FORMAT_VERSION}), whole and unedited: write it again with "
            "to_json() from the fitted estimator.")


def _distinct_names(names, field):
    """``names`` (a list or tuple of distinct feature names) as a tuple; TypeError / ValueError naming ``field``.

    A bare string is refused rather than read as one name per character, and a
    name given twice rather than kept twice (to_json would write it twice).
    """
    if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) for name in names):
        raise TypeError(f"{field} must be a list or tuple of feature names (strings), as to_json() writes it; "
                        f"got {names!r}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"{field} names {repeated} more than once; list each feature once, as to_json() writes it")
    return tuple(str(name) for name in names)


def _check_format_version(version, kind):
    """Refuse a model written in another format version, saying how to load it; and a version that is no
    integer (``true`` and ``1.0`` equal 1 in Python, but to_json() writes the integer)."""
    if type(version) is int and version == FORMAT_VERSION:
        return
    if type(version) is not int:
        raise ValueError(_damaged_message(kind, f"its format_version is {version!r} (a {type(version).__name__}), "
                                                f"where to_json() writes the integer {FORMAT_VERSION}"))
    if version > FORMAT_VERSION:
        fix = ("Upgrade glassbox (pip install --upgrade glassbox) to load it, or write the JSON again with to_json() "
               f"from a glassbox release that writes format version {FORMAT_VERSION}")
    else:
        fix = ("Load it with the glassbox release that wrote it and fit the model again with this release, "
               f"whose to_json() writes format version {FORMAT_VERSION}")
    raise ValueError(
        f"This JSON holds a {kind!r} model in format version {version}, written by "
        f"{'a newer' if version > FORMAT_VERSION else 'an older'} glassbox; this release reads format version "
        f"{FORMAT_VERSION} only. {fix}."
    )


def register_kind(cls):
    """Class decorator: make an explanation class loadable by ``from_dict``."""
    _KINDS[cls.kind] = cls
    return cls


@dataclass(frozen=True, kw_only=True, eq=False)
class GlobalExplanation(PrintedWhole, JsonText):
    """A model's complete fitted form.

    A global explanation holds everything needed to recompute the model's
    output: :meth:`decision_function`, :meth:`predict_proba` and :meth:`predict`
    work on raw input from its own content alone.  It serialises to JSON
    exactly (:meth:`to_json`), and loading it back executes no code.

    Attributes
    ----------
    model : str
        Name of the estimator class that produced it.
    feature_names : tuple of str
        The input features, in the order of the training data.
    link : Link
        Maps the decision function to the output.
    classes : ndarray or None
        Class labels (classifiers) or ``None`` (regressors).
    base_value : ndarray
        The decision function's constant part: shape ``()``, or ``(n_classes,)``
        for multiclass models.
    fidelity : dict or None
        Only for a copy of another model (a distilled surrogate): how closely it
        follows that model, as scalar figures (``agreement``, ``r2``, ...) with
        ``n_samples`` and ``measured_on`` (the rows they were measured on, e.g.
        ``"training rows"``).  Printed under the first line and kept in the JSON
        (a payload without it loads with ``None``).
    flag_features : tuple of str
        The features fitted as flags (boolean columns, the estimator's
        ``is_boolean_``), also those no term reads: a local explanation records
        0/1 given for them as False / True, as the estimator does.  Kept in the
        JSON when there are any (a payload without it loads with ``()``).

    Examples
    --------
    >>> import pandas as pd
    >>> from glassbox import GlobalExplanation, SparseLinearRegressor
    >>> X = pd.DataFrame({"rooms": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "city": ["a", "b", "a", "b", "a", "b"]})
    >>> model = SparseLinearRegressor(alpha=0.0).fit(X, 10 + 2 * X["rooms"] + 3 * (X["city"] == "b"))
    >>> explanation = model.explain_global()
    >>> isinstance(explanation, GlobalExplanation), explanation.kind
    (True, 'coefficient_table')
    >>> explanation.term_names
    ['rooms', 'city == a', 'city == b']
    >>> explanation.predict(X.iloc[:2])  # from its own content, no estimator needed
    array([12., 17.])
    >>> GlobalExplanation.from_json(explanation.to_json()) == explanation
    True
    """

    kind: ClassVar[str] = "global"
    _json_loader: ClassVar[str] = "glassbox.from_json"  # what a failed load's message calls it

    model: str
    feature_names: tuple
    link: Link
    classes: np.ndarray = None
    base_value: np.ndarray
    fidelity: dict = None
    flag_features: tuple = ()

    def __post_init__(self):
        if self.fidelity is not None:
            object.__setattr__(self, "fidelity", dict(self.fidelity))
        object.__setattr__(self, "feature_names", tuple(str(f) for f in self.feature_names))
        check_no_reserved_names(self.feature_names, loaded=True)  # its frames would mix them with their own rows
        object.__setattr__(self, "flag_features", _distinct_names(self.flag_features, "flag_features"))
        object.__setattr__(self, "base_value", frozen_array(self.base_value, np.float64))
        if self.classes is not None:
            object.__setattr__(self, "classes", frozen_array(self.classes))

    # -- recomputing the model -------------------------------------------------
    @property
    def term_names(self):
        raise NotImplementedError

    def _contributions(self, columns):
        """Per-term contributions on a :class:`RawColumns` view."""
        raise NotImplementedError

    def term_contributions(self, X):
        """Per-term contributions ``(n_samples, n_terms[, n_classes])`` for raw ``X``."""
        return self._contributions(RawColumns(X, self.feature_names))

    def decision_function(self, X):
        """Recompute the model's decision function from this explanation alone."""
        contributions = self.term_contributions(X)
        return self.base_value + contributions.sum(axis=1)

    def predict_proba(self, X):
        """Class probabilities recomputed from this explanation (classifiers)."""
        if not self.link.is_classification:
            raise AttributeError("predict_proba is only available for classification models.")
        return self.link.inverse(self.decision_function(X))

    def predict(self, X):
        """Predictions recomputed from this explanation."""
        decision = self.decision_function(X)
        if not self.link.is_classification:
            return self.link.inverse(decision)
        return self.classes[self.link.predict_index(decision)]

    def _check_loaded(self):
        """Refuse (ValueError naming the field) what a file may hold that would make another model than its
        text says, or one that fails on its first prediction: non-finite output numbers (a NaN score would be
        a NaN prediction), a classifier without classes, a term reading a feature not among ``feature_names``;
        kinds add their own."""
        for what, values in self._output_numbers():
            require_finite(values, what)
        unknown = sorted(set(self.flag_features) - set(self.feature_names))
        if unknown:
            raise ValueError(f"flag_features names {unknown}, which are not among the feature_names")
        if self.link.is_classification and self.classes is None:
            raise ValueError(f"classes is null, where a classifier (link {self.link.name!r}) lists its class labels")
        require_class_labels(self.classes, self.link, int(np.prod(self.base_value.shape)))
        require_fidelity_figures(self.fidelity)
        if not isinstance(self.model, str):
            raise ValueError(f"model is {self.model!r:.80} (a {type(self.model).__name__}), where to_json() writes "
                             f"the estimator's class name, a string")
        check_features_read(self)

    def _reconciled(self):
        """This explanation read from a file, with the figures it stores beside its primary numbers (a
        scorecard's risk table, standardized coefficients, a shape's importance) rebuilt if a hand edit of
        the file left them stale, and one warning naming the edit (:mod:`._hand_edits`); kinds add theirs."""
        return self

    def _output_numbers(self):
        """``(what, array)`` of the numbers the model's output is made of, which a loaded model must have
        finite (subclasses add theirs; thresholds and interval bounds may be infinite and are not among them)."""
        yield "base_value", self.base_value

    # -- serialisation ---------------------------------------------------------
    def _payload(self):
        """Family-specific JSON-safe content (subclasses)."""
        return {}

    @classmethod
    def _from_payload(cls, payload, common):
        return cls(**common)

    def to_dict(self):
        """JSON-safe dictionary; :meth:`from_dict` restores an equal object."""
        payload = {
            "kind": self.kind,
            "format_version": FORMAT_VERSION,
            "model": self.model,
            "feature_names": list(self.feature_names),
            "link": self.link.to_dict(),
            "classes": encode_optional_array(self.classes),
            "base_value": encode_array(self.base_value),
            "content": self._payload(),
        }
        if self.fidelity is not None:  # optional: written only for copies, so other payloads are unchanged
            payload["fidelity"] = encode_nested(self.fidelity)
        if self.flag_features:  # optional: written only for models fitted on flags, so other payloads are unchanged
            payload["flag_features"] = list(self.flag_features)
        return payload

    @classmethod
    def from_dict(cls, payload):
        """Rebuild an explanation (of any kind) from :meth:`to_dict` output.

        Raises
        ------
        ValueError
            For a payload that is not a glassbox model's (a report, another
            document, a future format version), or one that lost or mangled
            some of its fields; the error raised while reading it is the
            ``__cause__``.
        """
        if not isinstance(payload, dict):
            raise ValueError(f"Not a glassbox model: the JSON holds a {type(payload).__name__}, where a model is an "
                             f"object with the keys {list(_MODEL_KEYS)} as estimator.to_json() writes it.")
        kind = payload.get("kind")
        if kind is not None and not isinstance(kind, str):
            raise ValueError(f"Not a glassbox model: its 'kind' is {kind!r} (a {type(kind).__name__}), where a model's "
                             f"JSON names its kind as a string, one of {sorted(_KINDS)}.")
        if kind in _REPORT_LOADERS:
            raise ValueError(f"The payload holds a {kind!r} report, not a model: load it with "
                             f"{_REPORT_LOADERS[kind]}.from_json (from_dict for a dict).")
        if kind is None:
            raise ValueError(f"Not a glassbox model: the JSON object has no 'kind' (its keys: {list(payload)[:10]}); "
                             f"a model's JSON has the keys {list(_MODEL_KEYS)} as estimator.to_json() writes it.")
        if "format_version" in payload:  # without it, the file is damaged: the check of lost keys names it
            # first: a newer file may hold a kind this release lacks, and the version says why
            _check_format_version(payload["format_version"], kind)
        if kind not in _KINDS:
            raise ValueError(f"Unknown explanation kind {kind!r}; known kinds are {sorted(_KINDS)}.")
        target = _KINDS[kind]
        if cls is not GlobalExplanation and not issubclass(target, cls):
            raise ValueError(f"The payload holds a {kind!r} explanation, not a {cls.kind!r} one.")
        lost = [key for key in _MODEL_KEYS if key not in payload]
        if lost:
            raise ValueError(_damaged_message(kind, f"it has no {', '.join(map(repr, lost))}"))
        try:
            common = {
                "model": payload["model"],
                "feature_names": _distinct_names(payload["feature_names"], "feature_names"),
                "link": Link.from_dict(payload["link"]),
                "classes": decode_optional_array(payload["classes"]),
                "base_value": decode_array(payload["base_value"]),
                "fidelity": decode_nested(payload["fidelity"]) if payload.get("fidelity") is not None else None,
                "flag_features": payload.get("flag_features", []),
            }
            explanation = target._from_payload(payload["content"], common)
            explanation._check_loaded()
            reconciled = explanation._reconciled()
            if reconciled is not explanation and reconciled.fidelity is not None:  # measured on the unedited copy
                reconciled = replace(reconciled, fidelity={**reconciled.fidelity, MEASURED_BEFORE_EDIT: True})
            warn_of_reordered_classes(reconciled)
            return reconciled
        # a field lost or mangled; OverflowError: an integer too large for its field (10**400 as the link scale)
        except PAYLOAD_ERRORS as exc:
            raise ValueError(_damaged_message(kind, payload_problem(exc))) from exc

    def __eq__(self, other):
        if not isinstance(other, GlobalExplanation):
            return NotImplemented
        return same_fields(self, other)

    __hash__ = None

    # -- presentation ------------------------------------------------------------
    def _header(self):
        head = f"{escape_text(self.model)}: {self.kind.replace('_', ' ')}"  # names print escaped (_text_escape)
        if self.classes is not None:
            shown = [class_text(c) for c in self.classes[:_MAX_CLASSES_IN_HEADER]]  # 'late, paid' quoted
            if len(self.classes) > _MAX_CLASSES_IN_HEADER:
                shown.append(f"... {len(self.classes) - _MAX_CLASSES_IN_HEADER} more")
            head += f" (classes: {', '.join(shown)})"
        if self.fidelity:
            head += "\n" + fidelity_text(self.fidelity)
        return head

    def _units_line(self, what="scores"):
        """What ``what`` adds up to, in the model's units (log-odds, softmax input or target)."""
        if self.link.name == "identity":
            return f"{what} add up to the prediction, in the units of the target"
        if self.link.name == "log":
            return f"{what} add up to the log of the predicted mean: prediction = exp(total)"
        if self.link.name == "softmax":
            return f"{what} add up to each class's softmax input (log-probability up to a constant)"
        positive = class_text(self.classes[1]) if self.classes is not None else "the positive class"
        if self.link.scale == 1:
            return f"{what} add up to the log-odds of {positive}: P({positive}) = 1 / (1 + exp(-total))"
        scale = exact_number(self.link.scale)  # the reader computes with it: every digit, not 4
        return f"{what} add up to a total: P({positive}) = 1 / (1 + exp(-total / {scale}))"

    def _repr_html_(self):
        return html_block(self._header(), html_pre(str(self)))

    def __repr__(self):
        return f"<{type(self).__name__} of {self.model}: {len(self.term_names)} terms>"


def fidelity_text(fidelity):
    """One line for a copy's fidelity: ``fidelity on 398 training rows: agreement=0.98, ...``.

    ``n_samples`` and ``measured_on`` name the rows; every other scalar entry is
    a figure (lists, such as per-row values, are left to the JSON and tables).
    """
    from ._render import format_numbers

    rows = fidelity.get("measured_on")
    n = fidelity.get("n_samples")
    where = f" on {n} {rows}" if rows is not None and n is not None else (f" on {rows}" if rows is not None else "")
    shown = {k: v for k, v in fidelity.items()
             if (k not in ("measured_on", "n_samples") or rows is None) and k != MEASURED_BEFORE_EDIT}
    figures = ", ".join(f"{k}={format_numbers(v)}" for k, v in shown.items()
                        if not isinstance(v, (list, tuple, dict, np.ndarray)))
    # a model file edited by hand after its fidelity was measured: the figures are the unedited copy's
    stale = (" (measured on the copy before its file was edited by hand: measure the edited copy with "
             "glassbox.surrogate.fidelity_report)") if fidelity.get(MEASURED_BEFORE_EDIT) else ""
    return f"fidelity{where}: {figures}{stale}"


def _dataclass_fields(obj):
    return [f.name for f in fields(obj)]
