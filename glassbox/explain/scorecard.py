"""Global explanation of risk scores: an integer scorecard and its risk table."""

from dataclasses import dataclass, replace

import numpy as np
from scipy.special import expit

from ._checks import require_counts, require_finite, require_length, require_shape, require_shares
from ._class_weight import NEGATED_CARD_TOTAL, DescribesEventClass, FittedWithWeightedCounts, class_weight_text
from ._hand_edits import REFIT_HINT, warn_hand_edited
from ._render import class_text, format_number, format_risk_percent, html_block, html_lines, html_table, text_table
from ._serialize import decode_array, encode_array, frozen_array
from ._text_escape import name_text
from ._untrained import WarnsOfUntrainedValues
from .base import INTERCEPT_TERM, GlobalExplanation, register_kind
from .terms import Condition

# What a card's observed column holds (``Scorecard.observed_source``): its risk_frame column and printed header.
_OBSERVED_COLUMNS = {
    None: ("observed_rate", "observed"),
    "teacher probabilities": ("teacher_mean_probability", "teacher's mean P({event})"),
    "teacher labels": ("teacher_label_share", "teacher's share {event}"),
}


@register_kind
@dataclass(frozen=True, kw_only=True, eq=False)
class Scorecard(DescribesEventClass, FittedWithWeightedCounts, WarnsOfUntrainedValues, GlobalExplanation):
    """Integer points per condition; ``risk = expit((SCORE + intercept) / multiplier)``.

    The risk is that of the event class (``pos_label``, else ``classes[1]``).
    SCORE is the total of points earned, without the intercept: the card's
    risk table is indexed by it.  The decision function is the integer
    ``SCORE + intercept`` (``base_value`` holds the intercept; a local
    explanation names its total so), and the link's scale is the multiplier,
    so local contributions are exact integers.  When the event is
    ``classes[0]`` the decision function keeps scikit-learn's orientation
    (positive for ``classes[1]``): it is ``-(SCORE + intercept)``, exactly,
    ``base_value`` is minus the intercept and each contribution minus the
    card's points.

    Attributes
    ----------
    conditions : tuple of Condition
    points : ndarray of int64, shape (n_conditions,)
    risk_scores : ndarray of int64
        Every achievable SCORE (total of points earned, without the intercept).
    risk_predicted, risk_observed, risk_count : ndarray
        Predicted risk, observed event rate and training weight at each score.
        ``risk_predicted`` is the formula's risk at each SCORE.  A card read
        from JSON whose points, intercept or multiplier were edited gets its
        table rebuilt (see :attr:`table_points`); one whose table follows no
        card's formula (an edited risk), whose intercept is not a whole
        number, or whose scores are not distinct whole numbers in increasing
        order is refused.
    training_values : tuple of TrainingValues or None
        What each feature the conditions read held in training, so that the
        card warns of a new missing value or level as the estimator does
        (None in payloads written before it was recorded: no warning).
    class_weights : ndarray or None
        Factor each class's rows were weighted by in the fit (``class_weight``),
        in the order of ``classes``; None without class weights.  When set, the
        card says that its risks and counts are those of the class-weighted sample.
    sample_weighted : bool
        True when the fit's positive sample weights were not all 1 (rows of
        weight 0 are as good as absent): ``risk_count``
        holds training weights, and the card heads it "weighted count" and says
        so under its first line (False in payloads written before it was recorded).
    pos_label : object or None
        The event class, whose risk the card gives (None: ``classes[1]``).
    observed_source : {None, "teacher probabilities", "teacher labels"}
        What ``risk_observed`` holds.  None: the event rate of the training
        rows' outcomes (the ``y`` the card was fitted on).  A distilled card
        (:class:`~glassbox.surrogate.DistilledClassifier`) learned a teacher,
        not outcomes: ``"teacher probabilities"``, the teacher's mean
        probability of the event over the rows at each SCORE; ``"teacher
        labels"``, the share of them the teacher labels the event.  The
        printout, ``risk_frame()`` and the JSON name the column so.
    table_points : ndarray of int64 or None
        The points the risk table's observed rates and counts were computed
        with: the fitted points.  A file whose points were edited by hand
        differs from them even where the edit leaves the set of achievable
        SCOREs as it was (two points swapped), so the card loads with those
        training figures marked not available rather than showing another
        card's (None in payloads written before it was recorded: only edits
        that change the achievable SCOREs are found).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(18, 80, 400).astype(float), "smoker": rng.choice(["yes", "no"], 400)})
    >>> y = np.where((X.age >= 50) | (X.smoker == "yes") & (rng.random(400) < 0.8), "ill", "well")
    >>> from glassbox import RiskScoreClassifier
    >>> card = RiskScoreClassifier(max_features=2).fit(X, y).explain_global()
    >>> [(str(condition), int(points)) for condition, points in zip(card.conditions, card.points)]
    [('age < 49', 5), ('smoker == no', 4)]
    >>> card.risk_scores  # every SCORE a row can earn
    array([0, 4, 5, 9])
    >>> row = pd.DataFrame({"age": [40.0], "smoker": ["no"]})
    >>> card.term_contributions(row)  # the points the row earns
    array([[5., 4.]])
    >>> card.predict_proba(row).round(4)  # SCORE 9: the risk table's last line
    array([[0.0209, 0.9791]])
    """

    # the one-line summary, not the dataclass repr of every array (the decorator would write one)
    __repr__ = GlobalExplanation.__repr__

    kind = "scorecard"
    untrained_value_effect = "they satisfy no condition on it, so they earn none of its points"
    weighted_figures = "risks and counts"

    conditions: tuple
    points: np.ndarray
    risk_scores: np.ndarray
    risk_predicted: np.ndarray
    risk_observed: np.ndarray
    risk_count: np.ndarray
    observed_source: str = None
    table_points: np.ndarray = None

    def __post_init__(self):
        super().__post_init__()
        if self.observed_source not in _OBSERVED_COLUMNS:
            raise ValueError(f"observed_source={self.observed_source!r} must be one of {list(_OBSERVED_COLUMNS)}.")
        object.__setattr__(self, "conditions", tuple(self.conditions))
        object.__setattr__(self, "points", frozen_array(_whole_numbers(self.points, "the points"), np.int64))
        object.__setattr__(self, "risk_scores",
                           frozen_array(_whole_numbers(self.risk_scores, "the risk table's scores"), np.int64))
        # the card prints its intercept as a whole number and adds base_value: a fraction would part the two
        _whole_numbers(self.base_value, "base_value (the card's intercept)", "a whole number")
        if np.any(np.diff(self.risk_scores) <= 0):  # the table is looked up by SCORE: each once, in order
            raise ValueError(f"the risk table's scores {_capped(self.risk_scores)} must be strictly increasing "
                             "(each achievable SCORE once, in order)")
        for name in ("risk_predicted", "risk_observed", "risk_count"):
            object.__setattr__(self, name, frozen_array(getattr(self, name), np.float64))
        require_length(self.points, len(self.conditions), "points", "conditions")
        if self.table_points is not None:
            object.__setattr__(self, "table_points", frozen_array(
                _whole_numbers(self.table_points, "table_points (the fitted points)"), np.int64))
            require_length(self.table_points, len(self.conditions), "table_points", "conditions")
        for name in ("risk_predicted", "risk_observed", "risk_count"):  # the risk table's columns
            require_shape(getattr(self, name), self.risk_scores.shape, name, "risk_scores")

    def _check_loaded(self):
        super()._check_loaded()
        # The printed table is what a reader scores by hand; predict_proba computes the formula.  A table that
        # follows no card's formula (an edited risk) must not load as either; one that follows the formula of
        # another intercept or multiplier (those were edited) is rebuilt by _reconciled.
        if table_formula(self.risk_scores, self.risk_predicted, self.intercept, self.multiplier) is None:
            formula = expit((self.risk_scores.astype(np.float64) + float(self.intercept)) / self.multiplier)
            wrong = ~np.isclose(self.risk_predicted, formula, rtol=1e-9, atol=0.0)
            first = int(np.flatnonzero(wrong)[0])
            raise ValueError(
                f"risk_predicted is not the risk the card's own formula gives at {int(wrong.sum())} of its "
                f"{wrong.size} scores (at SCORE {int(self.risk_scores[first])}: "
                f"{float(self.risk_predicted[first])!r} where the card's formula, {self._risk_formula()}, gives "
                f"{float(formula[first])!r}), nor that of any other intercept and multiplier: the printed table "
                "and predict_proba would disagree (edit the points, intercept or multiplier; the table follows)")
        # SCOREs and the totals are computed in float64: beyond 2**53 a point would be lost to rounding
        if float(np.abs(self.points).sum()) + abs(float(self.intercept)) > 2.0**53:
            raise ValueError(f"the points and intercept add up to more than 2**53 in size (points "
                             f"{_capped(self.points)}, intercept {self.intercept}), where a card's totals are exact "
                             "whole numbers: points of ordinary size are needed")
        if not self.training_figures_available:  # all NaN: a card whose points were edited (see _reconciled)
            return
        # the table's training columns are printed beside it: counts of rows and their observed rates
        require_counts(self.risk_count, "risk_count")
        require_shares(self.risk_observed[~np.isnan(self.risk_observed)], "risk_observed")  # NaN: no row scored so

    def _reconciled(self):
        """The card with its risk table rebuilt after a hand edit of its points, intercept or multiplier.

        The table's scores are every SCORE the (edited) points can reach and its
        predicted risks the formula's: both follow from the card alone.  The
        observed rates and counts per SCORE need the training rows: after an edit
        of the points they are NaN (not available), and the printout says why.
        An edit of the intercept or multiplier leaves them as they are (they do
        not depend on it).  One warning names what was edited.
        """
        achievable = achievable_scores(self.conditions, self.points)
        # the recorded fitted points find an edit that keeps the achievable SCOREs (two points swapped)
        points_edited = ((achievable is not None and not np.array_equal(achievable, self.risk_scores))
                         or (self.table_points is not None and not np.array_equal(self.table_points, self.points)))
        if achievable is None:
            achievable = self.risk_scores
        old_intercept, old_multiplier = table_formula(self.risk_scores, self.risk_predicted, self.intercept,
                                                      self.multiplier)
        formula_edited = (old_intercept, old_multiplier) != (self.intercept, self.multiplier)
        if not points_edited and not formula_edited:
            return self
        scores = achievable if points_edited else self.risk_scores
        edited = [name for name, changed in (("content/points", points_edited),
                                             ("base_value (the intercept)", old_intercept != self.intercept),
                                             ("link/scale (the multiplier)", old_multiplier != self.multiplier))
                  if changed]
        recomputed = ["risk_scores (every SCORE the points reach)"] if points_edited else []
        unavailable = [f"risk_observed ({self._observed_header()})", "risk_count"] if points_edited else []
        warn_hand_edited(self, "scorecard", " and ".join(edited), recomputed + ["risk_predicted"], unavailable)
        blank = np.full(len(scores), np.nan)
        return replace(
            self, risk_scores=scores,
            risk_predicted=expit((scores.astype(np.float64) + float(self.intercept)) / self.multiplier),
            risk_observed=blank if points_edited else self.risk_observed,
            risk_count=blank if points_edited else self.risk_count,
            # the rebuilt table is this card's: saved again, the file loads silently, its training columns blank
            table_points=self.points if self.table_points is not None or points_edited else None,
        )

    @property
    def training_figures_available(self):
        """False when the risk table's observed rates and counts are not available (all NaN): the card's
        points were edited after fitting, and only a refit on the training rows can give them again."""
        return not training_columns_blank(self.risk_observed, self.risk_count)

    @property
    def decision_sign(self):
        """+1 when the card's SCORE + intercept is the decision function, -1 when it is its negative."""
        return 1 if self.event_index == 1 else -1

    @property
    def local_output_name(self):
        """What a local explanation's total is named: None (``SCORE + intercept``, the link's name), or
        ``"-(SCORE + intercept)"`` when the event is ``classes[0]`` and the decision function is negated."""
        return None if self.decision_sign == 1 else NEGATED_CARD_TOTAL

    @property
    def intercept(self):
        """The card's intercept, added to SCORE (``base_value`` times :attr:`decision_sign`)."""
        return self.decision_sign * int(self.base_value)

    @property
    def multiplier(self):
        return self.link.scale

    @property
    def term_names(self):
        return [str(c) for c in self.conditions]

    def _contributions(self, columns):
        if not self.conditions:
            return np.zeros((columns.n_samples, 0))
        indicators = np.column_stack([c.evaluate(columns) for c in self.conditions])
        contributions = indicators * self.points.astype(np.float64)
        return contributions if self.decision_sign == 1 else -contributions

    def local_notes(self, contributions, unearned_missing):
        """Each explained row's "why" line: its SCORE, the total with the intercept and the risk the card
        gives it (the card's row for that SCORE), and the conditions a missing value left unearned.

        ``contributions``: the rows' points toward the decision function
        (:meth:`term_contributions`); ``unearned_missing``: per row, the
        ``(condition, feature, points)`` a missing value left unearned, as
        :attr:`LocalExplanation.unearned_missing` holds them.  The estimator's
        local explanations and a card loaded from JSON give the same lines.
        """
        intercept = self.intercept  # a property (decision_sign times base_value): read once, not per row
        totals = self.decision_sign * np.asarray(contributions).sum(axis=1)  # the card's SCORE: its points earned
        risks = expit((totals + intercept) / self.multiplier)
        # the card's table names its event; a card about classes[0] names it here too, its decision being negated
        risk = "risk" if self.decision_sign == 1 else f"risk of {class_text(self.classes[0])}"
        suffix = "" if self.class_weights is None else (
            f"; a risk of the class-weighted sample ({class_weight_text(self.classes, self.class_weights)}), "
            "not the real-world rate")
        # A missing value satisfies no condition but "is missing": the condition earns 0 points, as if it were
        # false, whichever side that favours; the contributions say so only by a zero, the note names it.
        not_earned = ["".join(f"; {condition} ({points_text(points)}) not earned: {name_text(feature)} is missing"
                              for condition, feature, points in row) for row in unearned_missing]
        # SCORE is the points earned, and indexes the risk table; the decision function adds the intercept.
        # Say which is which, so that nobody looks the total up in the table.
        # A card has a few dozen SCOREs: rows of one SCORE (and nothing unearned) share one line, built once,
        # rather than a million rows holding a million equal strings.
        lines = {}
        notes = []
        for t, r, missing in zip(totals.tolist(), risks.tolist(), not_earned):
            line = lines.get((t, missing))
            if line is None:
                # an intercept of 0 adds nothing: "SCORE + intercept (+0) = +5" would be clutter to misread
                total = (f"; SCORE + intercept ({intercept:+d}) = {int(t) + intercept:+d}" if intercept
                         else " (the intercept is 0)")
                line = lines[t, missing] = (
                    f"SCORE (points earned) {int(t):+d}{total} -> {risk} {format_risk_percent(r)} "
                    f"(the scorecard's row for SCORE {int(t):+d}){suffix}{missing}")
            notes.append(line)
        return tuple(notes)

    def _payload(self):
        return {
            "conditions": [c.to_dict() for c in self.conditions],
            "points": encode_array(self.points),
            "risk_scores": encode_array(self.risk_scores),
            "risk_predicted": encode_array(self.risk_predicted),
            "risk_observed": encode_array(self.risk_observed),
            "risk_count": encode_array(self.risk_count),
            **self._training_values_payload(),
            **self._class_weights_payload(),
            **self._event_payload(),
            **({} if self.observed_source is None else {"observed_source": self.observed_source}),
            **({} if self.table_points is None else {"table_points": encode_array(self.table_points)}),
        }

    @classmethod
    def _from_payload(cls, payload, common):
        return cls(
            **common,
            conditions=tuple(Condition.from_dict(c) for c in payload["conditions"]),
            points=decode_array(payload["points"]),
            risk_scores=decode_array(payload["risk_scores"]),
            risk_predicted=decode_array(payload["risk_predicted"]),
            risk_observed=decode_array(payload["risk_observed"]),
            risk_count=decode_array(payload["risk_count"]),
            training_values=cls._training_values_of_payload(payload),
            **cls._class_weights_of_payload(payload),
            pos_label=cls._event_of_payload(payload),
            observed_source=payload.get("observed_source"),  # absent: outcomes (and in older payloads)
            table_points=decode_array(payload["table_points"]) if payload.get("table_points") is not None else None,
        )

    def to_frame(self):
        """The scorecard as a table: its intercept, then each condition, with points and the multiplier.

        The first row, condition ``"(intercept)"``, holds the :attr:`intercept`
        in ``points`` (an integer, as the card's points); the ``multiplier``
        column holds the card's :attr:`multiplier` on every row.  With them
        the frame holds every number of the card:
        ``risk = expit((SCORE + intercept) / multiplier)``, SCORE being the
        points of the conditions a row meets (the risk of :attr:`event_class`).
        """
        import pandas as pd

        return pd.DataFrame({
            "condition": [INTERCEPT_TERM, *self.term_names],
            "points": np.concatenate([[self.intercept], self.points]).astype(np.int64),
            "multiplier": np.full(len(self.conditions) + 1, float(self.multiplier)),
        })

    def risk_frame(self):
        """The SCORE -> risk table as a DataFrame.

        Its ``score`` column is the card's SCORE, the total of points earned
        without the intercept (a local explanation's total, ``SCORE +
        intercept``, is not looked up here).  ``predicted_risk`` and
        ``observed_rate`` are those of the event class, named in
        ``frame.attrs["event"]``.  For a card fitted with ``class_weight`` the
        count column is ``weighted_count`` (as the printed card's header) and
        ``frame.attrs["note"]`` holds the card's note that the risks are those
        of the class-weighted sample.  A distilled card's observed column holds
        its teacher's figures (:attr:`observed_source`): it is
        ``teacher_mean_probability`` or ``teacher_label_share``, and the note
        says so.
        """
        import pandas as pd

        weighted = self.counts_are_weights
        count = self.risk_count
        # numbers of rows, as the printout shows them (1458, not 1458.0); a payload written before sample_weighted
        # was recorded may hold weights: those stay as they are
        if not weighted and np.all(np.isfinite(count)) and np.array_equal(count, np.round(count)):
            count = count.astype(np.int64)
        frame = pd.DataFrame(
            {
                "score": self.risk_scores.astype(int),
                "predicted_risk": self.risk_predicted,
                _OBSERVED_COLUMNS[self.observed_source][0]: self.risk_observed,
                "weighted_count" if weighted else "count": count,
            }
        )
        frame.attrs["event"] = self.event_class
        notes = [*self.weight_notes(), *filter(None, [self._observed_line(), self._unavailable_line()])]
        if notes:
            frame.attrs["note"] = "; ".join(notes)
        return frame

    def _observed_line(self):
        """Under the header of a distilled card: its observed column is the teacher's, not outcomes."""
        if self.observed_source is None:
            return None
        what = ("the teacher's mean probability of {event}" if self.observed_source == "teacher probabilities"
                else "the share of rows the teacher labels {event}")
        return (f"{self._observed_header()}: {what.format(event=class_text(self.event_class))} over the copy's training rows "
                "at each SCORE, not observed outcomes")

    def _observed_header(self):
        return _OBSERVED_COLUMNS[self.observed_source][1].format(event=class_text(self.event_class))

    def _event_line(self):
        """Under the header when the event is classes[0]: the decision function is the card's total negated."""
        if self.decision_sign == 1:
            return None
        other = class_text(self.classes[1])
        return (f"risk of {class_text(self.event_class)} (pos_label); decision_function = -(SCORE + intercept), "
                f"positive for {other}")

    def _risk_header(self):
        count = "weighted count" if self.counts_are_weights else "count"
        return ["SCORE", f"risk of {class_text(self.event_class)}", self._observed_header(), count]

    def _risk_rows(self):
        # a blank observed rate: no training row scored so; "n/a": the points were edited (the note says so)
        blank = "" if self.training_figures_available else "n/a"
        return [
            [str(int(s)), format_risk_percent(r), blank if np.isnan(o) else observed_percent(o),
             "n/a" if np.isnan(n) else format_number(n)]
            for s, r, o, n in zip(self.risk_scores, self.risk_predicted, self.risk_observed, self.risk_count)
        ]

    def _notes(self):
        return [line for line in (self._event_line(), *self.weight_notes(), self._observed_line(),
                                  self._unavailable_line()) if line]

    def _unavailable_line(self):
        """Under the header of a card whose points were edited: why its table's training columns are blank."""
        if self.training_figures_available:
            return None
        return (f"{self._observed_header()} and {self._risk_header()[3]}: not available, the points were "
                f"{REFIT_HINT} (the SCOREs and predicted risks are the edited card's)")

    def _risk_formula(self):
        """``risk = 1 / (1 + exp(-(SCORE -2) / 0.76))``; a card whose intercept is 0 has none to add (not
        ``SCORE +0``)."""
        total = f"(SCORE {self.intercept:+d})" if self.intercept != 0 else "SCORE"
        return f"risk = 1 / (1 + exp(-{total} / {format_number(self.multiplier)}))"

    def __str__(self):
        rows = [[f"{i + 1}.", str(c), points_text(p), "... ____"]
                for i, (c, p) in enumerate(zip(self.conditions, self.points))]
        card = text_table(["", "condition", "points", "earned"], rows)
        return "\n".join(
            [
                self._header(),
                *self._notes(),
                card,
                "SCORE = total of points earned",
                MISSING_VALUE_LINE,
                "",
                self._risk_formula(),
                text_table(self._risk_header(), self._risk_rows()),
            ]
        )

    def _repr_html_(self):
        """The card as two tables a screen reader can follow: points per condition (with an empty
        "points earned" column to fill in, the printed card's blanks) and the risk at each SCORE."""
        rows = [[str(i + 1), str(c), f"{int(p):+d}", ""] for i, (c, p) in enumerate(zip(self.conditions, self.points))]
        card = html_table(["line", "condition", "points", "points earned (fill in)"], rows,
                          caption="Points per condition", row_header=1)
        risk = html_table(self._risk_header(), self._risk_rows(), caption=f"Risk of {class_text(self.event_class)} at each SCORE",
                          row_header=0)
        return html_block(self._header(), html_lines(self._notes()) + card
                          + html_lines(["SCORE = total of points earned", MISSING_VALUE_LINE, self._risk_formula()])
                          + risk)


# a level no condition names: it satisfies no '==' condition, as a level seen in training but not named does
_ANOTHER_LEVEL = object()


def achievable_scores(conditions, points):
    """Every SCORE some input can reach with these points: the card's risk table is indexed by them.

    Conditions on different features hold in any combination, conditions on one
    feature only as its values allow (``age >= 60`` and ``age < 40`` never
    together), so each feature's totals are listed from one value per region
    its conditions cut (below the lowest threshold, at each threshold, another
    level, a missing value) and the per-feature totals added together, as the
    fit does over the feature's bins.  None for a feature whose conditions
    mix thresholds and levels, which no fitted card has.
    """
    totals = np.zeros(1, dtype=np.int64)
    by_feature = {}
    for condition, p in zip(conditions, np.asarray(points, dtype=np.int64).tolist()):
        by_feature.setdefault(condition.feature, []).append((condition, p))
    for members in by_feature.values():
        column = _region_values([condition for condition, _ in members])
        if column is None:
            return None
        met = np.column_stack([condition.evaluate_column(column) for condition, _ in members])
        feature_totals = np.unique(met.astype(np.int64) @ np.array([p for _, p in members], dtype=np.int64))
        totals = np.unique(totals[:, None] + feature_totals[None, :])
    return totals


def _region_values(conditions):
    """One raw value per region the conditions on one feature cut its values into, and a missing value."""
    thresholds = sorted({float(c.value) for c in conditions if c.op in (">=", "<")})
    levels = [c.value for c in conditions if c.op == "=="]
    if thresholds and levels:
        return None
    if levels:
        column = np.empty(len(levels) + 2, dtype=object)
        column[:] = [*levels, _ANOTHER_LEVEL, None]
        return column
    # a flag's threshold is 1: below it is False (0); the next float down, not t - 1, which rounds back to t
    # beyond 2**53 (a card on values of 1e16 would read its lowest region as the one above)
    below = [min(thresholds[0] - 1.0, float(np.nextafter(thresholds[0], -np.inf)))] if thresholds else [0.0]
    return np.array(below + thresholds + [np.nan])


def training_columns_blank(observed, count):
    """Whether a risk table's observed rates and counts are all NaN: the card's points were edited after fitting
    (:meth:`Scorecard._reconciled`), and only a refit on the training rows can give them again."""
    return len(count) > 0 and bool(np.isnan(count).all() and np.isnan(observed).all())


def table_formula(scores, predicted, intercept, multiplier):
    """``(intercept, multiplier)`` whose formula gives the risk table's ``predicted`` risks at ``scores``:
    the card's own when they agree, else those of the card before its intercept or multiplier was edited
    (read off the table: its log-odds are linear in SCORE), else None (the table itself was edited)."""
    scores = np.asarray(scores, dtype=np.float64)

    def follows(c, m):
        return m > 0 and np.isfinite(m) and np.allclose(predicted, expit((scores + c) / m), rtol=1e-9, atol=0.0)

    if follows(intercept, multiplier):
        return intercept, multiplier
    usable = (predicted > 1e-12) & (predicted < 1 - 1e-9)  # where the log-odds are read to many digits
    log_odds = np.log(predicted[usable]) - np.log1p(-predicted[usable])
    if usable.sum() >= 2:
        slope, offset = np.polyfit(scores[usable], log_odds, 1)
        if not slope > 0:
            return None
        candidates = [(intercept, 1.0 / slope), (int(np.round(offset / slope)), multiplier),
                      (int(np.round(offset / slope)), 1.0 / slope)]
    elif usable.sum() == 1:  # one SCORE: the multiplier cannot be read off; the intercept with the card's
        candidates = [(int(np.round(multiplier * log_odds[0] - scores[usable][0])), multiplier)]
    else:
        return None
    for c, m in candidates:
        if abs(m - multiplier) <= 1e-9 * multiplier:  # read to rounding: the card's own
            m = multiplier
        # the table must pin the whole-number intercept: a flat one (an edited column) follows any huge multiplier
        if follows(c, m) and not follows(c + 1, m):
            return c, m
    return None


def _whole_numbers(values, what, whole="whole numbers"):
    """``values`` (the points, the risk table's scores or the intercept), refused unless they are whole
    numbers: cast to integers, NaN or 2.5 would become another number without a word."""
    values = np.asarray(values)
    if values.dtype.kind in "fc":
        require_finite(values, what)
        if not np.array_equal(values, np.round(values)):
            raise ValueError(f"{what} must be {whole}, got {_capped(values)}")
    return values


def _capped(values):
    """``values`` as a list for a message, capped: a damaged file may hold thousands."""
    from ..utils.validation import capped_list  # lazy: utils.validation imports glassbox.explain

    return capped_list(np.ravel(values).tolist())


#: How the card scores a missing value, printed under it: a reader scoring by hand would otherwise ask.
MISSING_VALUE_LINE = "a missing value earns no points for its conditions (only an 'is missing' condition holds for it)"


def observed_percent(rate):
    """An observed rate as a percentage to one decimal: ``0.0%`` and ``100.0%`` only when exact.

    One event among 3,636 rows (0.03%) printed ``0.0%``, which reads as no event at that SCORE; it
    prints ``<0.1%`` (and a rate short of 1 by less, ``>99.9%``), as the predicted risks do.
    """
    rate = float(rate)
    if rate == 0 or rate == 1:
        return f"{100 * rate:.1f}%"
    return format_risk_percent(rate)


def points_text(points, signed=True):
    """``+4 points``, ``+1 point``, ``-1 point``: a card's points with their sign, in words a reader says
    (``signed=False``: ``4 points``, ``1 point``, for a count of points)."""
    points = int(points)
    return (f"{points:+d}" if signed else f"{points:d}") + " point" + ("" if abs(points) == 1 else "s")
