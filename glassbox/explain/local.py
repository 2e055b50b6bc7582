"""Local explanations: how each term moved each row's decision function."""

import warnings
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ._local_render import LocalRendering
from ._render import class_text, format_number
from ._reserved_names import BASE_TERM, LOCAL_OFFSET_TERM
from ._serialize import (
    JsonText, decode_array, decode_nested, decode_optional_array, encode_array, encode_nested, encode_optional_array,
    frozen_array, is_frozen, reads_report_payload,
)
from ._checks import require_class_labels, require_length
from ._class_weight import NEGATED_CARD_TOTAL, DescribesEventClass
from ._row_labels import decode_labels, encode_labels, warn_lossy
from ._columns import ObjectRows
from ._equality import same_fields
from .decision_path import DecisionPath, PathNotes
from ._term_features import (
    check_term_features, check_unearned_missing, encode_unearned_missing, features_from_names,
    rule_features,
)
from .links import Link


# The entries of a local surrogate's fidelity record that hold one value per explained row (the
# others are summaries of all of them): row(i) keeps row i's.
PER_ROW_FIDELITY = ("model_output", "model_prediction", "weighted_r2", "holdout_r2")


@dataclass(frozen=True, kw_only=True, eq=False)
class LocalExplanation(LocalRendering, DescribesEventClass, JsonText):
    """Per-row, per-term contributions that add up to the model's output.

    ``base_value + contributions.sum(axis=1) == decision`` holds for every row
    (to floating-point rounding, exactly for integer scorecards and rule models).

    Attributes
    ----------
    model : str
        Name of the explained estimator.
    term_names : tuple of str
    base_value : ndarray of shape () or (n_classes,)
        What the decision function is before any term contributes (e.g. the
        intercept, or the prediction for an average row).
    contributions : ndarray of shape (n_rows, n_terms) or (n_rows, n_terms, n_classes)
    feature_names : tuple of str
    feature_values : ndarray of object, shape (n_rows, n_features)
        The explained rows as given.
    decision : ndarray of shape (n_rows,) or (n_rows, n_classes)
        The model's decision function for each row.
    prediction : ndarray of shape (n_rows,)
        The model's prediction (class label or value).
    link : Link
    classes : ndarray or None
    notes : tuple of str, optional
        One readable remark per row (e.g. which rules failed before the one that
        fired).
    approximate : bool
        True for explanations of an approximation (e.g. a local surrogate):
        they add up to the *approximation's* output, not the model's.
    fidelity : dict or None
        How faithful the approximation is, when ``approximate``.
    output_name : str or None
        What the decision is, when the link does not say it (e.g. ``"P(yes)"``
        for an explanation of a probability on an identity link).  With a
        column per class, a ``{class}`` placeholder is filled with the class
        label (``"P({class})"`` reads ``P(mid)``; the older ``"P(class)"`` is
        read the same way); a name without it gets ``" [label]"`` appended.
        None: named from the link (``log-odds of yes``, ``prediction``, and for
        a risk score ``SCORE + intercept``: its card's SCORE, the points earned,
        plus the intercept that is the base value).
    row_labels : tuple or None
        The label of each explained row: ``X.index`` when ``explain_local``
        was given a DataFrame (a tuple per row for a MultiIndex), so that
        ``explain_local(X.loc[[512, 7]])`` prints ``row 512`` and ``row 7`` and
        its ``to_frame()`` joins back to ``X``.  None (NumPy input): the rows
        are labelled by position, 0 to n_rows - 1.
    row_label_names : tuple or None
        The index's level names (``X.index.names``), used to name the index of
        ``to_frame()``; only with ``row_labels``.  An index that repeats a
        label gives one text per row (``"21 (position 171)"``) and one name
        (the index's, None for a MultiIndex).
    decision_path : DecisionPath or None
        Rule models: for each row, the rule that fired and, for each rule
        checked before it, the condition that failed and why (the value, a
        missing value or an unseen category); :meth:`decision_path_frame`
        tabulates it.  When ``notes`` is not given they are generated from it,
        each when read.  None for other models.
    term_features : tuple of (tuple of str or None), optional
        The features each term reads, one tuple per term: a feature's term or
        a scorecard condition its feature, a GAM's pair both, a rule its
        conditions' features, a rule model's default and a local surrogate's
        offset ``()``.  Reason codes read them to show the row's values beside
        a reason and to group terms by feature, so an explanation kept and
        reused gives the same reasons as the model.  glassbox's estimators set
        them; when not given, a rule model's are read from ``decision_path``
        and otherwise a term named by a feature reads it (None: not known).
    unearned_missing : tuple or None
        A risk score's: per row, the card's conditions a missing value left
        unearned, ``(condition, feature, points)`` each (a missing value
        meets no condition but ``is missing``, so it is scored as not meeting
        them, whichever side that favours).  Reason codes name them beside
        the reasons.  None for other models.
    pos_label : object or None
        The event class of a binary model that describes one class's risk (a
        risk score's or a rule list's ``pos_label``); None: ``classes[1]``.
        When it is ``classes[0]`` the arrays keep the decision function's
        orientation (positive for ``classes[1]``, so they add up to
        ``decision``), while the printout, the plots and the reason codes read
        them toward the event, negated (:attr:`orientation` is -1): a rule
        list's log-odds of its event, a card's own points.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from glassbox import SparseLinearRegressor
    >>> X = pd.DataFrame({"rooms": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "city": ["a", "b", "a", "b", "a", "b"]})
    >>> model = SparseLinearRegressor(alpha=0.0).fit(X, 10 + 2 * X["rooms"] + 3 * (X["city"] == "b"))
    >>> local = model.explain_local(X.iloc[[1]])
    >>> print(local)
    Local explanation of SparseLinearRegressor
    row 1: predicted 17
      input: rooms=2, city=b
      term          contribution
      ------------  ------------
      base value    13
      rooms         +4
      = prediction  17
      2 terms at zero, not shown: city == a, city == b
    >>> local.term_names
    ('rooms', 'city == a', 'city == b')
    >>> bool(np.allclose(local.base_value + local.contributions.sum(axis=1), local.decision, rtol=1e-12))
    True
    """

    model: str
    term_names: tuple
    base_value: np.ndarray
    contributions: np.ndarray
    feature_names: tuple
    feature_values: np.ndarray
    decision: np.ndarray
    prediction: np.ndarray
    link: Link
    classes: np.ndarray = None
    notes: tuple = None
    approximate: bool = False
    fidelity: dict = None
    output_name: str = None
    row_labels: tuple = None
    row_label_names: tuple = None
    decision_path: DecisionPath = None
    term_features: tuple = None
    unearned_missing: tuple = None

    def __post_init__(self):
        object.__setattr__(self, "term_names", tuple(str(t) for t in self.term_names))
        object.__setattr__(self, "feature_names", tuple(str(f) for f in self.feature_names))
        object.__setattr__(self, "base_value", frozen_array(self.base_value, np.float64))
        object.__setattr__(self, "contributions", frozen_array(self.contributions, np.float64))
        object.__setattr__(self, "decision", frozen_array(self.decision, np.float64))
        values = self.feature_values
        if isinstance(values, ObjectRows):  # built on first access (see __getattr__): one Python object per cell
            object.__setattr__(self, "_lazy_values", values)
            object.__delattr__(self, "feature_values")
        elif not is_frozen(values, object):  # a read-only object array that owns its memory is kept, not copied
            values = np.empty(np.shape(self.feature_values), dtype=object)
            values[...] = self.feature_values
            values.setflags(write=False)
        if not isinstance(values, ObjectRows):
            object.__setattr__(self, "feature_values", values)
        object.__setattr__(self, "prediction", frozen_array(self.prediction))
        if self.classes is not None:
            object.__setattr__(self, "classes", frozen_array(self.classes))
        self._settle_pos_label()
        self._set_notes_and_path()
        n_rows, n_terms = self.contributions.shape[:2]
        if n_terms != len(self.term_names):
            raise ValueError(f"{n_terms} contribution columns but {len(self.term_names)} term names.")
        if self.decision.shape[0] != n_rows or values.shape[0] != n_rows:
            raise ValueError("contributions, decision and feature_values must have one entry per row.")
        self._check_row_labels(n_rows)
        if self.decision_path is not None and len(self.decision_path) != n_rows:
            raise ValueError(f"decision_path has {len(self.decision_path)} rows for {n_rows} explained rows.")
        self._check_row_fields(n_rows, values)
        object.__setattr__(self, "term_features", check_term_features(self._given_or_path_features(), n_terms))
        object.__setattr__(self, "unearned_missing", check_unearned_missing(self.unearned_missing, n_rows))

    def _check_row_fields(self, n_rows, values):
        """Refuse fields whose sizes or types part from the rows: the printout, the frame and the plots read them
        row by row and class by class, and would fail there (a file cut short, merged badly or edited)."""
        require_length(self.prediction, n_rows, "prediction", "contributions (one row per explained row)")
        if isinstance(self.notes, tuple) and len(self.notes) != n_rows:  # written notes; a path's are its rows'
            raise ValueError(f"notes has {len(self.notes)} entries where contributions has {n_rows} rows: one "
                             "note (or None) per explained row")
        shape = values.shape if isinstance(values, ObjectRows) else np.shape(values)
        n_columns = shape[1] if len(shape) == 2 else None
        if n_columns != len(self.feature_names):
            raise ValueError(f"feature_values has {n_columns} columns where feature_names has "
                             f"{len(self.feature_names)}: one column per feature")
        if self.fidelity is not None and not isinstance(self.fidelity, dict):
            raise TypeError(f"fidelity is a dict of figures (or None), not a {type(self.fidelity).__name__}")
        if self.decision_path is not None:  # its notes read each rule's features among the row's values
            read = {feature for rule in self.decision_path.rules for feature in rule_features(rule)}
            unknown = sorted(read - set(self.feature_names), key=str)
            if unknown:
                raise ValueError(f"decision_path reads the features {unknown[:10]}, which are not among the "
                                 f"feature_names {list(self.feature_names)[:20]}")
        if self.link.is_classification and self.classes is None:
            raise ValueError(f"classes is null, where a classifier's explanation (link {self.link.name!r}) lists "
                             "its class labels")
        require_class_labels(self.classes, self.link, int(np.prod(self.base_value.shape)))

    def _given_or_path_features(self):
        """The given ``term_features``.  Without them (a payload written before they were kept): for a rule
        model its rules' features and the default's (); for a LocalSurrogate's its features' and the offset's ()."""
        if self.term_features is not None:
            return self.term_features
        path = self.decision_path
        if path is not None and path.n_rules + 1 == len(self.term_names):
            return tuple(rule_features(rule) for rule in path.rules) + ((),)
        if self.approximate and self.term_names and self.term_names[-1] == LOCAL_OFFSET_TERM:
            # the offset reads no feature, so it is never a reason (unknown, it would be ranked as one)
            return features_from_names(self.term_names[:-1], self.feature_names) + ((),)
        return None

    def _set_notes_and_path(self):
        notes, path = self.notes, self.decision_path
        if isinstance(notes, PathNotes):  # from dataclasses.replace: rebuilt below, reading this object's rows
            notes = None
        if path is not None and notes is None:
            written = path.notes is not None and not callable(path.notes)
            notes = path.notes if written else path.notes_view(self._values_of, self.feature_names)
        elif notes is not None:
            notes = tuple(notes)
        object.__setattr__(self, "notes", notes)
        object.__setattr__(self, "decision_path", path)

    def __getattr__(self, name):
        # only called when ``name`` is not an attribute: feature_values given as ObjectRows, not built yet
        state = self.__dict__
        if name == "feature_values":
            lazy = state.get("_lazy_values")
            if lazy is not None:
                # threads may build the table at once: the first one stored is every caller's, and the
                # table is stored before the deferred rows go, so a late caller finds one or the other
                state.setdefault("feature_values", lazy.to_objects())
                state.pop("_lazy_values", None)
            if "feature_values" in state:
                return state["feature_values"]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _values_of(self, rows):
        """``feature_values[rows]`` without building the whole object table when it is not built yet."""
        lazy = self.__dict__.get("_lazy_values")
        return self.feature_values[rows] if lazy is None else lazy.take(rows)

    def _cells_of(self, rows, columns):
        """``feature_values[rows[k], columns[k]]`` for each k, without building the object table."""
        lazy = self.__dict__.get("_lazy_values")
        return self.feature_values[rows, columns] if lazy is None else lazy.take_cells(rows, columns)

    def _check_row_labels(self, n_rows):
        if self.row_labels is None:
            if self.row_label_names is not None:
                raise ValueError("row_label_names is given without row_labels; pass both or neither.")
            return
        labels = self.row_labels
        if isinstance(labels, np.ndarray) and labels.dtype.kind not in "mM":  # datetime64.tolist() gives ints
            labels = labels.tolist()
        labels = tuple(labels)
        if len(labels) != n_rows:
            raise ValueError(
                f"row_labels has {len(labels)} labels for {n_rows} explained rows; pass one label per row "
                "(e.g. X.index) or None to label rows by position."
            )
        object.__setattr__(self, "row_labels", labels)
        if self.row_label_names is not None:
            names = tuple(self.row_label_names)
            # one name per level of the index (several: every label a tuple of as many), as X.index.names gives
            # them; other names would fail every frame and printout of the rows
            levels_fit = len(names) == 1 or (len(names) > 1 and all(isinstance(label, tuple)
                                                                      and len(label) == len(names) for label in labels))
            if not levels_fit or not all(name is None or isinstance(name, (str, int, float)) for name in names):
                raise ValueError(f"row_label_names {list(names)[:10]!r} does not name the levels of the row labels: "
                                 "one name (a str, or None) per level, as X.index.names gives them")
            object.__setattr__(self, "row_label_names", names)

    def row_label(self, i):
        """The label of row ``i`` (its position when the explanation has no ``row_labels``)."""
        return i if self.row_labels is None else self.row_labels[i]

    def __len__(self):
        return self.contributions.shape[0]

    @property
    def probabilities(self):
        """Class probabilities implied by ``decision`` (classifiers)."""
        if not self.link.is_classification:
            return None
        return self.link.inverse(self.decision)

    def row(self, i):
        """The explanation of row ``i`` alone (a position; negative counts from the end)."""
        i = range(len(self))[i]  # IndexError out of range; row(-1) is the last row, not an empty slice
        keep = slice(i, i + 1)
        return LocalExplanation(
            model=self.model,
            term_names=self.term_names,
            base_value=self.base_value,
            contributions=self.contributions[keep],
            feature_names=self.feature_names,
            feature_values=self._values_of(keep),
            decision=self.decision[keep],
            prediction=self.prediction[keep],
            link=self.link,
            classes=self.classes,
            notes=None if self.notes is None or isinstance(self.notes, PathNotes) else self.notes[keep],
            approximate=self.approximate,
            fidelity=self._fidelity_of(keep),
            output_name=self.output_name,
            row_labels=None if self.row_labels is None else self.row_labels[keep],
            row_label_names=self.row_label_names,
            decision_path=None if self.decision_path is None else self.decision_path.take(keep),
            term_features=self.term_features,
            unearned_missing=None if self.unearned_missing is None else self.unearned_missing[keep],
            pos_label=self.pos_label,
        )

    def _fidelity_of(self, keep):
        """The fidelity record of rows ``keep``: its per-row figures (:data:`PER_ROW_FIDELITY`) sliced, as the
        printout reads them by position, and its summary figures kept whole."""
        if not self.fidelity:
            return self.fidelity
        per_row = {key: self.fidelity[key][keep] for key in PER_ROW_FIDELITY
                   if isinstance(self.fidelity.get(key), (list, tuple)) and len(self.fidelity[key]) == len(self)}
        return {**self.fidelity, **per_row}

    # -- serialisation -----------------------------------------------------------
    def to_dict(self):
        """JSON-safe dict; row labels without an exact JSON form are written as text, with a warning."""
        payload, lossy = self._payload()
        warn_lossy(lossy)
        return payload

    def _payload(self):
        labels = {}
        lossy = []
        if self.row_labels is not None:  # written only when set, so older readers see the payload they know
            labels["row_labels"], lossy = encode_labels(self.row_labels)
            if self.row_label_names is not None:
                labels["row_label_names"], more = encode_labels(self.row_label_names)
                lossy = sorted(set(lossy) | set(more))
        return {
            "kind": "local",
            "model": self.model,
            "term_names": list(self.term_names),
            "base_value": encode_array(self.base_value),
            "contributions": encode_array(self.contributions),
            "feature_names": list(self.feature_names),
            "feature_values": encode_array(self.feature_values),
            "decision": encode_array(self.decision),
            "prediction": encode_array(self.prediction),
            "link": self.link.to_dict(),
            "classes": encode_optional_array(self.classes),
            "notes": None if self.notes is None else list(self.notes),
            "approximate": self.approximate,
            "fidelity": encode_nested(self.fidelity),
            **({} if self.output_name is None else {"output_name": self.output_name}),
            **labels,
            # written only when set: older readers see the payload they know (its notes carry the text)
            **({} if self.decision_path is None else {"decision_path": self.decision_path.to_dict()}),
            **({} if self.term_features is None
               else {"term_features": [None if f is None else list(f) for f in self.term_features]}),
            **({} if self.unearned_missing is None
               else {"unearned_missing": encode_unearned_missing(self.unearned_missing)}),
            **self._event_payload(),
        }, lossy

    @classmethod
    @reads_report_payload("local", "a local explanation")
    def from_dict(cls, payload):
        return cls(
            model=payload["model"],
            term_names=tuple(payload["term_names"]),
            base_value=decode_array(payload["base_value"]),
            contributions=decode_array(payload["contributions"]),
            feature_names=tuple(payload["feature_names"]),
            feature_values=decode_array(payload["feature_values"]),
            decision=decode_array(payload["decision"]),
            prediction=decode_array(payload["prediction"]),
            link=Link.from_dict(payload["link"]),
            classes=decode_optional_array(payload["classes"]),
            notes=None if payload["notes"] is None else tuple(payload["notes"]),
            approximate=payload["approximate"],
            fidelity=decode_nested(payload["fidelity"]),
            output_name=payload.get("output_name"),
            row_labels=None if payload.get("row_labels") is None else decode_labels(payload["row_labels"]),
            row_label_names=(None if payload.get("row_label_names") is None
                             else decode_labels(payload["row_label_names"])),
            decision_path=(None if payload.get("decision_path") is None
                           else DecisionPath.from_dict(payload["decision_path"])),
            term_features=payload.get("term_features"),
            unearned_missing=payload.get("unearned_missing"),
            pos_label=cls._event_of_payload(payload),
        )

    def __eq__(self, other):
        if not isinstance(other, LocalExplanation):
            return NotImplemented
        return same_fields(self, other)

    __hash__ = None

    def reason_codes(self, reference, *, adverse, method="max", n_reasons=4, by="term", sample_weight=None,
                     allow_approximate=False):
        """The principal reasons for each row's decision, against an explanation of reference rows.

        The same as :func:`glassbox.explain.reason_codes` (see it for the
        parameters) on explanations already computed: ``reference`` is the
        same model's ``explain_local`` of the reference rows.  The reasons,
        their values and shortfalls are those the function gives with the
        model: the explanation carries the features each term reads
        (``term_features``) and, for a risk score, the card's conditions a
        missing value left unearned (``unearned_missing``).
        """
        from .reasons import reasons_from_explanations

        return reasons_from_explanations(self, reference, adverse=adverse, method=method, n_reasons=n_reasons,
                                         by=by, sample_weight=sample_weight, allow_approximate=allow_approximate)

    # -- presentation ------------------------------------------------------------
    def to_frame(self, include_base=False, drop_zeros=False):
        """Long table: one row per (row, term[, class]) with the contribution.

        The index is the explained row's label, repeated for each of its terms:
        ``X.index`` (its name or level names too) when the rows came from a
        DataFrame, the position otherwise, so ``frame.join(X)`` puts each
        contribution beside its row's inputs.  Columns: ``row`` (int, position
        in the explained rows, unique even when labels repeat), ``term``
        (categorical, its categories the terms in the model's order),
        ``class`` (multiclass models only, categorical) and ``contribution``
        (float, in the units of the decision function; a zero is written
        ``0.0``, never ``-0.0``).  A log-link model's frame also has
        ``relativity``, ``exp(contribution)``: the factor the term multiplies
        the predicted mean by (with ``include_base``, the base value's is the
        base rate ``exp(base_value)``, and a row's relativities multiply to
        its prediction).

        The index changed: it used to be a ``RangeIndex`` over the table's rows;
        ``frame.reset_index(drop=True)`` gives it back.

        A model about ``classes[0]`` (``pos_label``, :attr:`orientation` -1)
        keeps the decision function's numbers here, the negatives of the
        printed figures: ``frame.attrs["event"]`` names the event and
        ``frame.attrs["note"]`` says so.

        Parameters
        ----------
        include_base : bool, default=False
            Add a ``"base value"`` term first in each row, so that the
            contributions of a row (and class) sum to its ``decision``.
        drop_zeros : bool, default=False
            Leave out the entries whose contribution is 0: a term that did not
            move the row's score (a zero coefficient, an indicator level the
            row does not have, a rule that did not fire).  Sums per row are
            unchanged, so ``frame.groupby("row").contribution.sum()`` still
            adds up to the decision with ``include_base=True``, whose base
            line is always kept, so every row appears.  A rule model keeps
            the rule that decided each row, even when its contribution is 0
            (a probability of 0.5), so every row appears.  For batch exports: a
            sparse linear model on adult (34 terms, 15 nonzero coefficients)
            has 88% zero entries.

        Examples
        --------
        >>> import numpy as np
        >>> from glassbox.explain import Link, LocalExplanation
        >>> local = LocalExplanation(
        ...     model="Toy", term_names=("age", "debt"), base_value=0.5,
        ...     contributions=np.array([[0.25, 0.0], [-0.0, 1.0]]), feature_names=("age", "debt"),
        ...     feature_values=np.array([[30, 0.0], [40, 0.5]]), decision=np.array([0.75, 1.5]),
        ...     prediction=np.array([0.75, 1.5]), link=Link("identity"))
        >>> local.to_frame(include_base=True, drop_zeros=True)
           row        term  contribution
        0    0  base value          0.50
        0    0         age          0.25
        1    1  base value          0.50
        1    1        debt          1.00
        """
        import pandas as pd

        n_rows, n_terms = self.contributions.shape[:2]
        contributions = self.contributions.reshape(n_rows, n_terms, self._n_outputs)
        names = np.array(self.term_names, dtype=object)
        if include_base:
            base = np.broadcast_to(np.atleast_1d(self.base_value), (n_rows, 1, contributions.shape[2]))
            contributions = np.concatenate([base, contributions], axis=1)
            names = np.concatenate([np.array([BASE_TERM], dtype=object), names])
            n_terms += 1
        n_out = contributions.shape[2]
        values = contributions.reshape(-1) + 0.0  # -0.0 + 0.0 is +0.0; every other value is unchanged
        term_codes = np.tile(np.repeat(np.arange(n_terms, dtype=np.int16 if n_terms < 2**15 else np.int32), n_out),
                             n_rows)
        kept = slice(None)
        if drop_zeros:
            kept = values != 0
            if include_base:
                kept |= term_codes == 0
            if self.decision_path is not None and self.decision_path.n_rules + 1 == self.contributions.shape[1]:
                # a rule model's deciding rule is kept even at 0 (P = 0.5): it is the row's whole decision
                deciding = self.decision_path.fired + int(include_base)
                kept |= term_codes == np.repeat(deciding, n_terms * n_out)
        if len(set(names)) == len(names):
            terms = pd.Categorical.from_codes(term_codes[kept], categories=pd.Index(names, dtype=object))
        else:  # two terms print alike: only in an explanation built by hand (the estimators' terms are distinct)
            _warn_of_alike_terms(names)
            terms = names[term_codes[kept]]
        frame = pd.DataFrame(
            {
                "row": np.repeat(np.arange(n_rows), n_terms * n_out)[kept],
                "term": terms,
                "contribution": values[kept],
            },
            copy=False,  # every column is built here: pandas would copy the rows x terms values once more
        )
        if n_out > 1:
            class_codes = np.tile(np.arange(n_out), n_rows * n_terms)[kept]
            frame.insert(2, "class", pd.Categorical.from_codes(class_codes, categories=pd.Index(self.classes)))
        if self.has_relativities:
            frame["relativity"] = np.exp(frame["contribution"].to_numpy())
        frame.index = self._frame_index(n_terms * n_out)[kept]
        if self.orientation == -1:  # the printout reads toward the event; a CSV of this frame must say it does not
            frame.attrs["event"] = self.event_class
            frame.attrs["note"] = (f"contributions in decision_function's orientation, positive for "
                                   f"{class_text(self.classes[1])}: the negatives of the printed figures, which "
                                   f"read toward {class_text(self.event_class)} ({self.event_output_name()})")
        return frame

    def decision_path_frame(self):
        """The decision path as a tidy table: one row per (explained row, rule checked).

        Rule models only (``decision_path`` is set).  For a rule list, the
        rules checked for a row are those above the one that fired, then the
        one that fired (or the default); for a decision set, every rule, and the
        default when no rule covers the row.  The index is the explained row's
        label, as in :meth:`to_frame`, so ``frame.join(X)`` puts each entry
        beside its row's inputs.

        Returns
        -------
        DataFrame
            Columns: ``row`` (int, position in the explained rows), ``rule``
            (str: ``"1"``, ``"2"``, ... as numbered in the printed model, or
            ``"default"``), ``outcome`` (``"fired"``: this rule decided the row;
            ``"failed"``: one of its conditions is false; ``"outranked"``: a
            decision set's rule that covers the row but ranks below the one
            that fired), and for failed rules the first ``condition`` that
            failed (str), its ``feature``, the row's ``value`` of that feature
            and the ``reason``: ``"false"`` (the value fails the test),
            ``"missing"`` (the value is missing) or ``"unseen"`` (a category
            not seen in training); None in those columns for the other outcomes.

        Examples
        --------
        >>> import warnings
        >>> import numpy as np, pandas as pd
        >>> from glassbox.rules import BayesianRuleListClassifier
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 80, 400).astype(float)})
        >>> clf = BayesianRuleListClassifier(max_rules=1, random_state=0).fit(X, X["age"] >= 50)
        >>> print(clf.explain_global().rules[0])
        age >= 52
        >>> rows = pd.DataFrame({"age": [70.0, 30.0, np.nan]}, index=["ann", "bob", "cy"])
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # cy's age is missing, never so in training: a UserWarning says so
        ...     local = clf.explain_local(rows)
        >>> local.decision_path_frame()[["rule", "outcome", "condition", "value", "reason"]]
                rule outcome  condition value   reason
        ann        1   fired       None  None     None
        bob        1  failed  age >= 52  30.0    false
        bob  default   fired       None  None     None
        cy         1  failed  age >= 52   NaN  missing
        cy   default   fired       None  None     None
        >>> local.notes[2]
        'rule 1 skipped: age >= 52 is false (age is missing); default fired'
        """
        if self.decision_path is None:
            raise ValueError(
                f"This explanation of {self.model} has no decision path: only rule models "
                "(rule lists, decision sets) record one; use to_frame() for the contributions."
            )
        return self._path_frame(len(self))

    def _path_frame(self, n_rows):
        """The decision path table of the first ``n_rows`` rows."""
        path = self.decision_path if n_rows >= len(self) else self.decision_path.take(slice(0, n_rows))
        return path.to_frame(self._cells_of, self.feature_names, lambda rows: self._label_index().take(rows))

    def _frame_index(self, repeats):
        """Each row's label repeated ``repeats`` times, as a pandas Index (a MultiIndex for tuple labels)."""
        return self._label_index().repeat(repeats)

    def _label_index(self):
        """The explained rows' labels as a pandas Index (a MultiIndex for tuple labels)."""
        import pandas as pd

        if self.row_labels is None:
            return pd.RangeIndex(len(self))
        names = self.row_label_names
        labels = self.row_labels
        n_levels = len(names) if names is not None else (
            len(labels[0]) if labels and all(isinstance(label, tuple) for label in labels) else 1)
        if n_levels > 1:
            if not labels:
                return pd.MultiIndex.from_arrays([[]] * n_levels, names=names)
            # Repeat the n_rows labels in pandas, not as a Python list of n_rows x n_terms tuples.
            return pd.MultiIndex.from_tuples(labels, names=names)
        return pd.Index(labels, name=None if names is None else names[0], tupleize_cols=False)

    @property
    def orientation(self):
        """-1 when the model describes the risk of ``classes[0]`` (its ``pos_label``): the printout,
        plots and reason codes read each contribution negated, toward that event; +1 otherwise."""
        if self.contributions.ndim != 2 or self.classes is None or not self.link.is_classification:
            return 1
        if self.pos_label is None:  # a card's payload written before pos_label was recorded names its total
            return -1 if self.output_name == NEGATED_CARD_TOTAL else 1
        return 1 if self.event_index == 1 else -1

    def event_output_name(self):
        """What the contributions add up to read toward the event (:attr:`orientation` times ``decision``):
        ``SCORE + intercept`` for a scorecard, else the log-odds of the event class."""
        if self.orientation == 1:
            return self._output_name()
        if self.output_name == NEGATED_CARD_TOTAL:
            return "SCORE + intercept"
        return f"log-odds of {class_text(self.event_class)}"

    def decision_function_note(self, value=None):
        """How ``decision`` relates to the figures read toward the event (None when they are the same):
        ``decision_function = -(log-odds of 0): scikit-learn's orientation, positive for 1``, with
        ``value``, a row's decision, after the name when given."""
        if self.orientation == 1:
            return None
        value = "" if value is None else f" = {format_number(value)}"
        return (f"decision_function = -({self.event_output_name()}){value}: scikit-learn's orientation, "
                f"positive for {class_text(self.classes[1])}")

    @property
    def has_relativities(self):
        """True for a log-link model with one output: each term's ``exp(contribution)`` is a factor.

        The base rate ``exp(base_value)`` times every term's relativity is the
        predicted mean, as a rating engine multiplies a quote out.
        """
        return self.link.name == "log" and self.contributions.ndim == 2

    @property
    def _n_outputs(self):
        # explicit, not -1: a model with no terms has no contributions to infer it from
        return self.contributions.shape[2] if self.contributions.ndim == 3 else 1

    def _output_name(self, k=None):
        """What the summed column is, in the model's units."""
        if self.output_name is not None:
            if k is not None:
                return class_output_name(self.output_name, class_text(self.classes[k]))
            # The total line of every class at once ("P(class)"); a name without the placeholder
            # already says which output it is ("P(yes)") and gets no label appended.
            per_class = "{class}" in self.output_name or self.output_name == "P(class)"
            return class_output_name(self.output_name, "class") if per_class else self.output_name
        if self.contributions.ndim == 3:
            return "decision (softmax input)" if k is None else f"class {class_text(self.classes[k])}"
        if self.link.is_classification:
            # A logit with a scale is a risk score's: its decision is the card's SCORE (points
            # earned) plus the intercept, never called "score" alone, which is the card's SCORE
            # that indexes its risk table.
            return f"log-odds of {class_text(self.classes[1])}" if self.link.scale == 1 else "SCORE + intercept"
        if self.link.name == "log":
            return "log of predicted mean"
        return "prediction"

    def __repr__(self):
        return f"<LocalExplanation of {self.model}: {len(self)} rows x {len(self.term_names)} terms>"


def class_output_name(output_name, label):
    """``output_name`` for one class: its ``{class}`` placeholder filled with ``label``.

    ``"P(class)"`` (written before the placeholder existed) reads as ``"P({class})"``;
    a name without the placeholder gets ``" [label]"`` appended.
    """
    if output_name == "P(class)":
        output_name = "P({class})"
    if "{class}" in output_name:
        return output_name.replace("{class}", str(label))
    return f"{output_name} [{label}]"


def _warn_of_alike_terms(names):
    """Say that ``term`` holds plain strings, and which names repeat, when two terms print alike.

    Categories must be distinct, so the frame cannot keep ``term`` categorical;
    grouping by it would add up the terms that share a name.
    """
    repeated = sorted({str(name) for name, count in Counter(names.tolist()).items() if count > 1})
    warnings.warn(
        f"Terms {repeated} print alike, so the frame's 'term' column holds plain strings, not categories, and "
        "groupby('term') adds up the terms that share a name; tell them apart by their order within each row "
        "(the order of term_names).", UserWarning, stacklevel=3)
