"""Text, tables and HTML of :class:`~glassbox.explain.reasons.ReasonCodes`.

A reason reads as a letter would put it: the factor and the applicant's value
(``debt_ratio = 0.62``), then how far it moved the decision toward the adverse
outcome compared with the reference, in the model's units.
"""

import numpy as np

from ._checks import check_limit
from ._equality import label_position
from ._reused_texts import ReusedTexts
from ._render import (class_text, count_text, format_fixed, html_block, html_lines, html_table, prediction_text, table_decimals,
                      value_text)
from ._row_labels import label_text
from ._text_escape import escape_text, name_text
from .base import fidelity_text
from .scorecard import MISSING_VALUE_LINE, points_text


def reason_label(name, features, value):
    """A reason's name with the row's value, as a letter words it.

    ``debt_ratio = 0.62`` for a feature, ``debt_ratio >= 0.5 (debt_ratio =
    0.62)`` for a condition on one feature, ``rule 2: ... (a = 1, b = x)``
    for more features; the name alone without a value.
    """
    if tuple(features) == (name,):  # a feature (or its one term): its name quoted where it could be misread
        return f"{name_text(name)} = {value}" if value else name_text(name)
    if not value:
        return name
    return f"{name} ({name_text(features[0])} = {value})" if len(features) == 1 else f"{name} ({value})"


def _scored_as_not_met(entry):
    """``ca is missing: scored as not ca >= 1`` for an unearned condition ``(condition, feature, points)``."""
    condition, feature, _ = entry
    return f"{name_text(feature)} is missing: scored as not {condition}"


def _text_column(texts):
    """``texts`` as a column of the dtype pandas gives text, also when there are none (no row has a reason),
    so that a batch without reasons tabulates like any other (pandas would read an empty list as numbers)."""
    import pandas as pd

    return pd.array(texts, dtype=pd.Series(["text"]).dtype)


def _shown(texts, value):
    """:func:`value_text` of ``value``, reused from ``texts`` (a :class:`ReusedTexts`) when formatted before."""
    return texts.get(value, lambda: value_text(value))


class ReasonsRendering:
    """Presentation shared by reason codes; the fields are those of ``ReasonCodes``."""

    # -- tables --------------------------------------------------------------------------------
    def to_frame(self):
        """One row per (explained row, reason), largest shortfall first.

        The index is the explained row's label (``X.index`` when the rows came
        from a DataFrame, the position otherwise), so ``frame.join(X)`` puts
        each reason beside its applicant's inputs.  Rows without an adverse
        candidate have no entry.

        Returns
        -------
        DataFrame
            Columns: ``row`` (int, position in the explained rows), ``rank``
            (1 = principal reason), ``reason`` (the term, feature or rule),
            ``features`` (the features it reads, comma-separated), ``value``
            (the row's values of them, as text: for a pipeline, after its
            steps, see ``transformed_by``), ``contribution`` (the row's,
            in decision units), ``reference`` (the best or mean contribution of
            the reference; for a rule model the reference decision) and
            ``shortfall`` (how far it moves the decision toward the adverse
            outcome, positive).  A risk score's reasons add ``missing``: the
            reason's conditions a missing value left unearned (``ca is
            missing: scored as not ca >= 1``; ``""`` for none), and
            ``missing_elsewhere``, repeated on each of the row's reasons: the
            row's other unearned conditions, which no reason names, with the
            side their points would have moved the decision (``ca is missing:
            scored as not ca >= 1 (+4 points not earned; had it held, 4
            points toward class 1)``, as the printout's own lines; ``""`` for none).
            A row without reasons has no entry: ``unearned_missing`` holds
            every row's.  A batch in which no row has a reason gives an empty
            table with the same columns and dtypes, so that daily batches append
            to one table.
        """
        import pandas as pd

        rows, ranks = np.nonzero(self.ranked >= 0)
        candidates = self.ranked[rows, ranks]
        # a term's name and features are the same text on every row it is a reason of: one string per term,
        # shared by its rows (a batch of a million rows has a few dozen distinct names)
        names = {j: self._reason_name(None, j) for j in np.unique(candidates).tolist()}
        features = {j: ", ".join(self.features[j] or ()) for j in names}
        frame = pd.DataFrame({
            "row": rows,
            "rank": ranks + 1,
            "reason": _text_column([names[j] for j in candidates.tolist()]),
            "features": _text_column([features[j] for j in candidates.tolist()]),
            "value": _text_column(self._values_text(rows, candidates)),
            "contribution": self.contributions[rows, candidates],
            "reference": self.reference[candidates],
            "shortfall": self.shortfall[rows, candidates],
        })
        if getattr(self, "unearned_missing", None) is not None:
            unearned = self.unearned_missing  # most rows have none: their cells are "" without a look
            frame["missing"] = _text_column([
                "; ".join(map(_scored_as_not_met, self._unearned_by(j, unearned[i]))) if unearned[i] else ""
                for i, j in zip(rows.tolist(), candidates.tolist())])
            elsewhere = {i: "; ".join(self._missing_value_texts(unearned[i], self._chosen(i))) if unearned[i] else ""
                         for i in np.unique(rows).tolist()}
            frame["missing_elsewhere"] = _text_column([elsewhere[i] for i in rows.tolist()])
        frame.index = self.explanation._label_index().take(rows)
        return frame

    # -- text ----------------------------------------------------------------------------------
    def to_text(self, max_rows=5):
        """The readable text of :func:`str`: a numbered list of reasons per row.

        Parameters
        ----------
        max_rows : int or None, default=5
            Rows shown; None shows all.
        """
        check_limit(max_rows, "max_rows")
        n_shown = len(self) if max_rows is None else min(len(self), max_rows)
        decimals = self._shown_decimals(n_shown)
        parts = [escape_text(line) for line in self._header_lines()] + [self._row_text(i, decimals)
                                                                          for i in range(n_shown)]
        if len(self) > n_shown:
            parts.append(f"... {count_text(len(self) - n_shown, 'more row')} (to_text(max_rows=None) shows all, "
                         "to_frame() tabulates them)")
        return "\n".join(parts)

    def __str__(self):
        return self.to_text()

    def __repr__(self):
        return (f"<ReasonCodes of {self.explanation.model}: {len(self)} rows, adverse {self.adverse!r}, "
                f"method {self.method!r}>")

    def _repr_html_(self, max_rows=5):
        """The text's content as a table: a line per reason, and one for a row without any.

        Each line names the row and its prediction, so a screen reader reads
        it whole; the row's own notes (a risk score's conditions a missing
        value left unearned, a rule model's "why") are on its first line.
        """
        check_limit(max_rows, "max_rows")
        n_shown = len(self) if max_rows is None else min(len(self), max_rows)
        decimals = self._shown_decimals(n_shown)
        compared = self._compared()
        units = self._units() or "decision units"
        table = []
        for i in range(n_shown):
            row, head = label_text(self.explanation.row_label(i)), self._prediction_text(i)
            row_notes = self._row_notes(i)
            reasons = self._row_reasons(i, decimals)
            if not reasons:
                table.append([row, head, "", self._no_reason_text(i), "", "", "", "; ".join(row_notes)])
            for rank, reason in enumerate(reasons, start=1):
                notes = reason["missing"] + (row_notes if rank == 1 else [])
                table.append([row, head, rank, reason["label"], reason["shortfall"], reason["this row"],
                              reason["reference"], "; ".join(notes)])
        more = len(self) - n_shown
        caption = ("Principal reasons per row" if not more
                   else f"Principal reasons of the first {n_shown} rows ({more} more: to_text(max_rows=None) shows "
                        "all, to_frame() tabulates them)")
        header = ["row", "prediction", "rank", "reason", f"shortfall toward {self._adverse_text()} ({units})",
                  "this row", compared, "notes"]
        lines = self._header_lines()
        return html_block(lines[0], html_lines(lines[1:]) + html_table(header, table, caption=caption, row_header=0))

    def _header_lines(self):
        explanation = self.explanation
        lines = [f"Reason codes of {explanation.model}: adverse outcome {self._adverse_text()}"]
        compared = self._compared()
        if self.one_hot:
            lines.append(f"the rule that fired is the reason; its shortfall is the {compared} decision of "
                         f"{self.n_reference} reference rows minus the row's")
        else:
            what = "term" if self.by == "term" else "feature (its terms summed)"
            lines.append(f"each {what} against its {compared} contribution over {self.n_reference} reference rows")
        column = self._column
        output = explanation._output_name(column) if column is not None else explanation._output_name()
        if self.orientation == -1:  # a model about classes[0] (a card, a rule list), read toward its event
            output = explanation.event_output_name()
        elif column is not None:  # a multiclass model's column is read relative to the others (softmax ignores
            # an amount added to every class)
            output = ("the score of " if explanation.output_name is None else "") + output + \
                " relative to the mean of the classes"
        lines.append(f"contributions add up to {output}; shortfalls are measured toward {self._adverse_text()}")
        if self.orientation == -1:
            lines.append(f"({explanation.decision_function_note()})")
        if any(self._unearned_of_row(i) for i in range(len(self))):
            lines.append(MISSING_VALUE_LINE)
        if self.transformed_by is not None:
            lines.append(f"values are the model's inputs after the pipeline's steps {', '.join(self.transformed_by)}"
                         " (an imputed value shows as the value imputed, a scaled one scaled)")
        if explanation.approximate:
            if explanation.fidelity and "measured_on" in explanation.fidelity:
                lines.append("these are the student's reasons: exact for the copy, which approximates its teacher")
            else:
                lines.append("approximate: reasons of per-row approximations, not of the model")
        summary = {k: v for k, v in (explanation.fidelity or {}).items()
                   if not isinstance(v, (list, tuple, dict, np.ndarray))}
        if summary:
            lines.append(fidelity_text(summary))
        return lines

    def _shown_decimals(self, n_shown):
        """One number of decimals for every row shown, set by their shortfalls (a centred term's mean of
        1e-17 reads 0, and a reference reads the same on every row)."""
        shown = self.ranked[:n_shown]
        return table_decimals(self.shortfall[:n_shown][np.nonzero(shown >= 0)[0], shown[shown >= 0]])

    def _compared(self):
        return "best" if self.method == "max" else "average"

    def _no_reason_text(self, i):
        """What row ``i``, without an adverse reason, shows in place of its reasons (text and HTML).

        A row predicted the adverse outcome all the same (a decline with every
        factor at or above the average applicant's, who is declined too) gets
        no reason from this reference: the text says so and names the
        comparisons that give it reasons, since a notice cannot go without them.
        """
        text = f"no adverse reason: nothing falls short of the {self._compared()} in the reference"
        if not self._predicted_adverse(i):
            return text
        adverse = self._adverse_text()
        fix = ("reasons against the best (method='max') or against applicants at or just above the cut-off "
               "(reference=their rows)" if self.method == "mean" else
               "reasons against applicants at or just above the cut-off (reference=their rows)")
        return f"{text}, yet predicted {adverse}: against this reference no factor accounts for the decision; give {fix}"

    def _predicted_adverse(self, i):
        """Whether row ``i`` is predicted the adverse class (False for a regressor, which has no classes)."""
        classes = self.explanation.classes
        if classes is None:
            return False
        position = label_position(classes, self.explanation.prediction[i])
        return position is not None and position == label_position(classes, self.adverse)

    def _row_reasons(self, i, decimals):
        """Row ``i``'s reasons, principal first, as the text and the HTML show them: the reason with the row's
        values (``label``), the shortfall with its units, the row's and the reference's contributions, and the
        reason's conditions a missing value left unearned (``missing``, a list of texts)."""
        chosen = self._chosen(i)
        values = self._values_text(np.full(len(chosen), i), np.asarray(chosen, dtype=np.intp))
        unearned = self._unearned_of_row(i)
        return [{
            "label": reason_label(self._reason_name(i, j), self.features[j] or (), value),
            "shortfall": self._amount(self.shortfall[i, j], decimals),
            "this row": format_fixed(self.contributions[i, j], decimals, True),
            "reference": format_fixed(self.reference[j], decimals, True),
            "missing": [_scored_as_not_met(entry) for entry in self._unearned_by(j, unearned)],
        } for j, value in zip(chosen, values)]

    def _row_notes(self, i):
        """Row ``i``'s own notes: its unearned conditions no reason names, and a rule model's "why"."""
        notes = self._missing_value_texts(self._unearned_of_row(i), self._chosen(i))
        explanation = self.explanation
        if self.one_hot and explanation.notes is not None and explanation.notes[i]:
            notes.append(f"why: {explanation.notes[i]}")
        return notes

    def _row_text(self, i, decimals):
        lines = [f"row {label_text(self.explanation.row_label(i))}: {self._prediction_text(i)}"]
        compared = self._compared()
        reasons = self._row_reasons(i, decimals)
        for rank, reason in enumerate(reasons, start=1):
            missing = "".join(f"; {text}" for text in reason["missing"])
            lines.append(
                f"  {rank}. {reason['label']}: {reason['shortfall']} toward {self._adverse_text()} compared with the "
                f"{compared} (this row {reason['this row']}, {compared} {reason['reference']}){missing}"
            )
        if not reasons:
            lines.append(f"  {self._no_reason_text(i)}")
        lines += [f"  {note}" for note in self._row_notes(i)]
        # each line one line: a newline or bidi override in a name or label shows as an escape
        return "\n".join(escape_text(line) for line in lines)

    # -- missing values on a risk score ---------------------------------------------------------
    def _unearned_of_row(self, i):
        """Row ``i``'s card conditions a missing value left unearned: ``(condition, feature, points)`` each."""
        return () if getattr(self, "unearned_missing", None) is None else self.unearned_missing[i]

    def _unearned_by(self, j, unearned):
        """The entries of ``unearned`` candidate ``j`` stands for: its condition, or its feature's conditions."""
        if self.one_hot:
            return []
        if self.by == "feature":
            return [entry for entry in unearned if (entry[1],) == tuple(self.features[j] or ())]
        return [entry for entry in unearned if entry[0] == self.names[j]]

    def _chosen(self, i):
        """Row ``i``'s reasons: their candidates, principal first."""
        return [j for j in self.ranked[i] if j >= 0]

    def _missing_value_texts(self, unearned, chosen):
        """One text per unearned condition no reason in ``chosen`` names, with where its points would have
        moved the decision: a score held down or up by a missing value is worth knowing either way."""
        named = {entry for j in chosen for entry in self._unearned_by(j, unearned)}
        texts = []
        for entry in unearned:
            if entry in named:
                continue
            points = entry[2]
            toward = "toward" if -self.sign * points > 0 else "away from"
            texts.append(f"{_scored_as_not_met(entry)} ({points_text(points)} not earned; had it held, "
                         f"{points_text(abs(points), signed=False)} {toward} {self._adverse_text()})")
        return texts

    # -- pieces ---------------------------------------------------------------------------------
    def _prediction_text(self, i):
        """``predicted bad``; for per-row approximations the model's decision first, then the approximation's."""
        explanation = self.explanation
        is_class = explanation.link.is_classification  # a label printed as the other mentions of the classes
        shown = prediction_text(explanation.prediction[i], is_class=is_class)
        model = (explanation.fidelity or {}).get("model_prediction") if explanation.approximate else None
        if model is None:  # an exact explanation, or a distilled copy's (the copy's own prediction)
            return f"predicted {shown}"
        # a local surrogate's label is its approximation's, which can differ from the model's decision
        return f"model predicts {prediction_text(model[i], is_class=is_class)}; local approximation predicts {shown}"

    def _reason_name(self, i, j):
        name = self.names[j]
        if not self.one_hot:
            return name
        # the default is the term after the rules (a rule may read any features, the default none)
        return "default (no rule decided)" if j == self.explanation.decision_path.n_rules else f"rule {j + 1}: {name}"

    def _values_text(self, rows, candidates):
        """The row's values of each reason's features: ``0.62`` for one feature, ``a = 1, b = x`` for more."""
        explanation = self.explanation
        position = {name: k for k, name in enumerate(explanation.feature_names)}
        columns_of = {j: [position[f] for f in (self.features[j] or ()) if f in position]
                      for j in np.unique(candidates).tolist()}
        wanted = [columns_of[j] for j in np.asarray(candidates).tolist()]
        flat_rows = np.repeat(np.asarray(rows, dtype=np.intp), [len(w) for w in wanted])
        flat_columns = np.asarray([k for w in wanted for k in w], dtype=np.intp)
        cells = iter(explanation._cells_of(flat_rows, flat_columns) if flat_columns.size else ())
        shown = ReusedTexts()  # a batch's reasons repeat a few values: each distinct one formatted once
        names = {k: name_text(explanation.feature_names[k]) for w in columns_of.values() for k in w}
        texts = []
        for columns in wanted:
            values = [_shown(shown, next(cells)) for _ in columns]
            if len(values) == 1:
                texts.append(values[0])
            else:
                texts.append(", ".join(f"{names[k]} = {v}" for k, v in zip(columns, values)))
        return texts

    def _units(self):
        """The decision's units, in words ('' for a regressor's own units)."""
        explanation = self.explanation
        link = explanation.link
        if link.is_classification and link.scale != 1:  # a scorecard's, whichever way its total is named
            return "points"
        if explanation.output_name is not None:
            return ""
        if link.name == "softmax":
            return "softmax units"
        if link.is_classification:
            return "log-odds"
        return "log units" if link.name == "log" else ""

    def _amount(self, value, decimals):
        units, text = self._units(), format_fixed(value, decimals)
        if units == "points" and text.lstrip("+-") == "1":  # a card's shortfall of one point, said as a reader would
            units = "point"
        return text + (f" {units}" if units else "")

    def _adverse_text(self):
        """The adverse outcome in a sentence: ``bad``, ``class 5`` (a number alone reads as an amount)."""
        if self.explanation.classes is None:
            return f"a {self.adverse} prediction"
        shown = class_text(self.adverse)  # 'late, paid' quoted, 1.0 as 1, as the printout's other labels
        return shown if isinstance(self.adverse, str) else f"class {shown}"
