"""Which rule decided each explained row of a rule model, and why the rules checked before it did not.

A :class:`DecisionPath` is the local "why" of a rule list or a decision set as
data: for every row, the rule that fired (or the default) and, for each rule
checked and not firing, the position of its first condition that failed and
whether it failed on the value (``"false"``), on a missing value
(``"missing"``) or on a category not seen in training (``"unseen"``).  It holds
a few small integer arrays (one byte per row and rule), so explaining 100,000
rows costs kilobytes, not a Python string per row; the readable text of
:class:`~glassbox.explain.LocalExplanation` and its tidy table
(:meth:`~glassbox.explain.LocalExplanation.decision_path_frame`) are both
generated from it.
"""

from dataclasses import dataclass

import numpy as np

from ._columns import is_missing
from ._equality import same_fields
from ._render import format_number
from ._reused_texts import ReusedTexts
from ._serialize import decode_array, encode_array, frozen_array
from ._text_escape import name_text
from .terms import Condition, level_text

#: why a condition failed, by the code stored in ``DecisionPath.reasons``
FAILED_REASONS = ("false", "missing", "unseen")
#: ``DecisionPath.failed`` entry of a rule that covers the row (all its conditions hold)
COVERS = -1
#: ``DecisionPath.failed`` entry of a rule of a list below the one that fired (never checked)
NOT_CHECKED = -2
_KINDS = ("list", "set")


@dataclass(frozen=True, kw_only=True, eq=False)
class DecisionPath:
    """The rules checked for each row of a rule model, the one that fired, and why the others failed.

    Parameters
    ----------
    kind : {"list", "set"}
        ``"list"``: rules are checked in order and the first that covers a row
        fires, so only the rules above it were checked.  ``"set"``: every rule
        is checked; of those covering the row the first (in rank order) fires,
        the others are *outranked*.
    rules : tuple of tuple of Condition
        The conditions of each rule, in the model's order (the numbering of the
        text: rule 1 is ``rules[0]``).
    fired : ndarray of int, shape (n_rows,)
        Position of the rule that fired for each row; ``len(rules)`` means the
        default.
    failed : ndarray of int8, shape (n_rows, n_rules)
        For each row and rule, the position (in ``rules[j]``) of the rule's
        first condition that is false for the row; ``-1`` (``COVERS``) when every
        condition holds, ``-2`` (``NOT_CHECKED``) for the rules of a list below
        the one that fired.
    reasons : ndarray of int8, shape (n_rows, n_rules)
        Why that condition failed, where ``failed >= 0``: an index into
        ``FAILED_REASONS`` = ``("false", "missing", "unseen")`` (the value is
        there and the test is false; the value is missing; the category was not
        seen in training).  0 elsewhere.
    notes : tuple of str or callable, optional
        The family's own text for each row when it says more than the path
        (a decision set names why the deciding rule outranks the others): a
        tuple of one string per row, or a function of the row position that
        writes it when read.  None: the text is generated from the path.  Not
        part of the path's JSON (the local explanation's ``notes`` carry it).

    Examples
    --------
    A list of two rules; the first row is decided by rule 2 after rule 1's
    ``age >= 40`` failed, the second by the default after both failed (the
    first on a missing age):

    >>> from glassbox.explain import Condition, DecisionPath
    >>> path = DecisionPath(
    ...     kind="list",
    ...     rules=((Condition("age", ">=", 40.0),), (Condition("income", "<", 10.0),)),
    ...     fired=[1, 2], failed=[[0, -1], [0, 0]], reasons=[[0, 0], [1, 0]],
    ... )
    >>> path.note(0, [35.0, 5.0], ("age", "income"))
    'rule 1 skipped: age >= 40 is false (age = 35); rule 2 fired'
    >>> for part in path.note(1, [float("nan"), 20.0], ("age", "income")).split("; "):
    ...     print(part)
    rule 1 skipped: age >= 40 is false (age is missing)
    rule 2 skipped: income < 10 is false (income = 20)
    default fired

    Rule models put one in their local explanations (``decision_path``);
    :meth:`~glassbox.explain.LocalExplanation.decision_path_frame` tabulates it.
    """

    kind: str
    rules: tuple
    fired: np.ndarray
    failed: np.ndarray
    reasons: np.ndarray
    notes: tuple = None

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"DecisionPath kind must be one of {_KINDS}, got {self.kind!r}.")
        object.__setattr__(self, "rules", tuple(tuple(rule) for rule in self.rules))
        if not all(isinstance(c, Condition) for rule in self.rules for c in rule):
            raise TypeError("DecisionPath rules must be tuples of Condition objects.")
        n_rules = len(self.rules)
        object.__setattr__(self, "fired", frozen_array(self.fired, np.intp))
        n_rows = len(self.fired)
        # the row count comes from fired: with no rules (an empty list) -1 could not be inferred
        failed = frozen_array(np.reshape(self.failed, (n_rows, n_rules)), np.int8)
        reasons = frozen_array(np.reshape(self.reasons, (n_rows, n_rules)), np.int8)
        object.__setattr__(self, "failed", failed)
        object.__setattr__(self, "reasons", reasons)
        if failed.shape != (n_rows, n_rules) or reasons.shape != (n_rows, n_rules):
            raise ValueError(
                f"failed and reasons must have shape (n_rows, n_rules) = {(n_rows, n_rules)}; "
                f"got {failed.shape} and {reasons.shape}."
            )
        if n_rows and (self.fired.min() < 0 or self.fired.max() > n_rules):
            raise ValueError(f"fired holds rule positions from 0 to {n_rules} (the default).")
        if self.notes is not None and not callable(self.notes):
            object.__setattr__(self, "notes", tuple(self.notes))

    def __len__(self):
        return len(self.fired)

    @property
    def n_rules(self):
        return len(self.rules)

    def take(self, rows):
        """The path of the rows ``rows`` (a slice or an index array) alone."""
        return DecisionPath(
            kind=self.kind, rules=self.rules, fired=self.fired[rows], failed=self.failed[rows],
            reasons=self.reasons[rows], notes=None if self.notes is None else _take(self.notes, rows, len(self)),
        )

    # -- the text ------------------------------------------------------------------
    def _feature_index(self, feature_names):
        """Column of each rule condition's feature in ``feature_names``: one list per rule."""
        position = {name: j for j, name in enumerate(feature_names)}
        return [[position[c.feature] for c in rule] for rule in self.rules]

    def note(self, i, row_values, feature_names, texts=None, columns=None):
        """The readable "why" of row ``i``; ``row_values`` is that row's input, in ``feature_names`` order.

        A decision set's note (the family's own, or the generic one) ends with
        the rules that failed on a missing value or an unseen category, which
        its conflict text would not name otherwise.  ``texts``, a
        :class:`~glassbox.explain._reused_texts.ReusedTexts` kept across the
        rows of one batch, formats each condition's failure on each value once;
        ``columns``, the batch's ``_feature_index(feature_names)``, is found
        once for all its rows.
        """
        if self.notes is not None and not callable(self.notes):
            return self.notes[i]
        texts = ReusedTexts() if texts is None else texts
        columns = self._feature_index(feature_names) if columns is None else columns
        fired = int(self.fired[i])

        def failure(j):
            k = int(self.failed[i, j])
            value, reason = row_values[columns[j][k]], int(self.reasons[i, j])
            return texts.get(value, lambda: failure_text(self.rules[j][k], value, FAILED_REASONS[reason]), j, k, reason)

        rule_name = "default" if fired == self.n_rules else f"rule {fired + 1}"
        if self.kind == "list":
            parts = [f"rule {j + 1} skipped: {failure(j)}" for j in range(fired)]
            return "; ".join(parts + [f"{rule_name} fired"])
        if self.notes is not None:
            text = self.notes(i)
        else:
            covering = np.flatnonzero(self.failed[i] == COVERS)
            others = ", ".join(str(j + 1) for j in covering[1:])
            text = ("no rule covers this row; the default fired" if len(covering) == 0 else f"{rule_name} fired"
                    + (f" (it outranks rules {others}, which also cover the row)" if others else ""))
        untrained = np.flatnonzero((self.failed[i] >= 0) & (self.reasons[i] > 0))
        return "; ".join([text] + [f"rule {j + 1} does not apply: {failure(j)}" for j in untrained])

    def notes_view(self, row_values_of, feature_names):
        """The text of every row as a read-only sequence, each note built when read."""
        return PathNotes(self, row_values_of, tuple(feature_names))

    # -- the table -----------------------------------------------------------------
    def entries(self):
        """``(row, rule)`` of every (row, rule checked) pair, row by row in checking order.

        ``rule == n_rules`` is the default, listed for the rows it decides.
        """
        n_rows, n_rules = self.failed.shape
        checked = np.empty((n_rows, n_rules + 1), dtype=bool)
        checked[:, :n_rules] = self.failed != NOT_CHECKED
        checked[:, n_rules] = self.fired == n_rules
        return np.nonzero(checked)

    def to_frame(self, cells_of, feature_names, index_of):
        """Tidy table of :meth:`entries`; see :meth:`~glassbox.explain.LocalExplanation.decision_path_frame`.

        ``cells_of(rows, columns)`` returns the explained values at those cells;
        ``index_of(rows)`` the frame index for those explained rows.
        """
        import pandas as pd

        rows, rules = self.entries()
        n_rules = self.n_rules
        is_default = rules == n_rules
        safe_rules = np.where(is_default, 0, rules)
        failed = np.where(is_default, COVERS, self.failed[rows, safe_rules] if n_rules else COVERS)
        outcome = np.where(rules == self.fired[rows], "fired", np.where(failed >= 0, "failed", "outranked"))
        # every condition of every rule, flattened, so that each failure is one lookup
        offsets = np.cumsum([0] + [len(rule) for rule in self.rules])
        flat = [c for rule in self.rules for c in rule]
        flat_text = np.array([str(c) for c in flat] + [None], dtype=object)
        flat_feature = np.array([c.feature for c in flat] + [None], dtype=object)
        flat_column = np.array([j for rule in self._feature_index(feature_names) for j in rule] + [0], dtype=np.intp)
        hit = failed >= 0
        which = np.full(len(rows), len(flat), dtype=np.intp)
        which[hit] = offsets[safe_rules[hit]] + failed[hit]
        values = np.full(len(rows), None, dtype=object)
        if hit.any():
            values[hit] = cells_of(rows[hit], flat_column[which[hit]])
        reason = np.full(len(rows), None, dtype=object)
        reason[hit] = np.array(FAILED_REASONS, dtype=object)[self.reasons[rows[hit], safe_rules[hit]]]
        labels = np.array([str(j + 1) for j in range(n_rules)] + ["default"], dtype=object)
        # object columns, None where absent: the same dtypes whatever the rows hold (pandas 3 would infer
        # str for a text column with a value and object for one of only None)
        columns = {"rule": labels[rules], "outcome": outcome.astype(object), "condition": flat_text[which],
                   "feature": flat_feature[which], "value": values, "reason": reason}
        frame = pd.DataFrame({"row": rows.astype(np.int64),
                              **{name: pd.Series(column, dtype=object) for name, column in columns.items()}})
        frame.index = index_of(rows)
        return frame

    def __eq__(self, other):
        if not isinstance(other, DecisionPath):
            return NotImplemented
        return same_fields(self, other, ignore=("notes",))  # the notes are text about the path, not part of it

    __hash__ = None

    # -- serialisation -------------------------------------------------------------
    def to_dict(self):
        return {
            "kind": self.kind,
            "rules": [[c.to_dict() for c in rule] for rule in self.rules],
            "fired": encode_array(self.fired.astype(np.int64)),
            "failed": encode_array(self.failed),
            "reasons": encode_array(self.reasons),
        }

    @classmethod
    def from_dict(cls, payload):
        return cls(
            kind=payload["kind"],
            rules=tuple(tuple(Condition.from_dict(c) for c in rule) for rule in payload["rules"]),
            fired=decode_array(payload["fired"]),
            failed=decode_array(payload["failed"]),
            reasons=decode_array(payload["reasons"]),
        )


def failure_text(condition, value, reason):
    """``age >= 40 is false (age = 31)``; says so when the value is missing or an unseen category."""
    if reason == "missing" or is_missing(np.array([value], dtype=object))[0]:
        return f"{condition} is false ({name_text(condition.feature)} is missing)"
    if reason == "unseen":
        return f"{condition} is false ({name_text(condition.feature)} = {level_text(value)}, a category not seen in training)"
    return f"{condition} is false ({name_text(condition.feature)} = {_value_beside(condition, value)})"


def _value_beside(condition, value):
    """The row's value as a reader wants it next to a threshold: four significant digits, more only
    where fewer would round it onto the threshold's other side (the threshold itself prints exactly)."""
    if condition.op not in (">=", "<") or isinstance(value, (bool, np.bool_)):
        return level_text(value)
    try:
        number, threshold = float(value), float(condition.value)
    except (TypeError, ValueError):
        return level_text(value)
    if number != threshold:
        for digits in range(4, 17):
            text = format_number(number, digits)
            if (float(text) >= threshold) == (number >= threshold) and float(text) != threshold:
                return text
    return level_text(value)


def _take(notes, rows, n_rows):
    """The notes of ``rows``: a tuple's entries, or a function reading the original rows."""
    positions = np.atleast_1d(np.arange(n_rows)[rows])
    if callable(notes):
        return _NotesOfRows(notes, positions)
    return tuple(notes[int(i)] for i in positions)


class _NotesOfRows:
    """``notes`` (a function of the row position) read at ``positions``: the notes of some rows; picklable."""

    def __init__(self, notes, positions):
        self.notes, self.positions = notes, positions

    def __call__(self, i):
        return self.notes(int(self.positions[i]))


class PathNotes:
    """The notes of a :class:`DecisionPath`, one string per row, each built when read.

    Behaves as the tuple of those strings (``len``, indexing, slices, iteration,
    ``==`` with a tuple); a slice or ``tuple(notes)`` builds the strings it holds.
    """

    def __init__(self, path, row_values_of, feature_names):
        self.path = path
        self._row_values_of = row_values_of
        self._feature_names = feature_names

    def __len__(self):
        return len(self.path)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self._notes(range(len(self))[i]))
        i = range(len(self))[i]
        return self.path.note(i, self._row_values_of(i), self._feature_names)

    def __iter__(self):
        return self._notes(range(len(self)))

    def _notes(self, rows):
        # one pass shares the texts it builds (see DecisionPath.note) and lets them go when done
        texts, columns = ReusedTexts(), self.path._feature_index(self._feature_names)
        for i in rows:
            yield self.path.note(i, self._row_values_of(i), self._feature_names, texts, columns)

    def __eq__(self, other):
        if isinstance(other, (PathNotes, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return f"<PathNotes: {len(self)} rows>"
