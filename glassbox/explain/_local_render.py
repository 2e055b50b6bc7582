"""Text and HTML of :class:`~glassbox.explain.LocalExplanation`.

Both read one structure per row (:meth:`LocalRendering._row_parts`): the
heading, the input, the contribution table and the lines under it.  The text
aligns the table; the HTML is table markup a screen reader can follow (a
caption per row, scoped headers), never aligned text in a ``<pre>``.
"""

import numpy as np

from ._checks import check_limit
from ._render import (
    class_text, count_text, format_fixed, format_number, html_block, html_lines, html_table, prediction_text, probability_pairs,
    table_decimals, text_table, value_text,
)
from ._text_escape import escape_text, name_text
from ._row_labels import label_text
from .base import fidelity_text

# Terms at zero a row's printout names (the rest are counted), as a Wald table names its terms at zero.
_MAX_ZERO_NAMED = 8


class LocalRendering:
    """Presentation of local explanations; the fields are those of ``LocalExplanation``."""

    def _base_name(self):
        """The label of the base value's line: a risk score's base value is its card's intercept."""
        # read toward the event, a card about classes[0] starts from its intercept too (the stored base is its negative)
        scorecard = self.link.is_classification and self.link.scale != 1 and self.contributions.ndim == 2
        return "base value (intercept)" if scorecard else "base value"

    def _input_text(self, i, max_features):
        shown = list(zip(self.feature_names, self._values_of(i)))
        rest = len(shown) - max_features if max_features is not None else 0
        if rest > 0:
            shown = shown[:max_features]
        parts = [f"{name_text(name)}={value_text(v)}" for name, v in shown]
        return ", ".join(parts + ([f"... ({count_text(rest, 'more feature')})"] if rest > 0 else []))

    def _contribution_rows(self, i, max_terms):
        """``(header, rows)`` of row ``i``'s table: a row per term, a column per output (class), read toward
        the event, the base value first and the total last."""
        sign = self.orientation
        contributions = sign * self.contributions[i].reshape(len(self.term_names), self._n_outputs)
        base = sign * np.atleast_1d(self.base_value)
        decision = sign * np.atleast_1d(self.decision[i])
        multiclass = contributions.shape[1] > 1
        # Order by size on the predicted class (the output a reader asks about), read relative to the mean of
        # the classes: a lasso's raw column can be all zeros however the terms move the class's probability.
        focus = int(np.argmax(decision)) if multiclass else 0
        if self.link.name == "softmax":
            c = relative_to_class_mean(contributions, base, decision)[0][:, focus]
        else:
            c = contributions[:, focus]
        order = [j for j in np.argsort(-np.abs(c), kind="stable") if np.any(contributions[j] != 0)]
        shown, rest = (order, []) if max_terms is None else (order[:max_terms], order[max_terms:])
        lines = [(self._base_name(), base, False)]
        lines += [(self.term_names[j], contributions[j], True) for j in shown]
        if rest:
            lines.append((count_text(len(rest), "more term"), contributions[rest].sum(axis=0), True))
        lines.append(("= " + self.event_output_name(), decision, False))
        # One number of decimals for the whole table, so that a reader can add it up.
        decimals = table_decimals(np.concatenate([values for _, values, _ in lines]))
        rows = [[name] + [format_fixed(v, decimals, sign=sign) for v in values] for name, values, sign in lines]
        header = ["term"] + ([f"class {class_text(k)}" for k in self.classes] if multiclass else ["contribution"])
        if self.has_relativities:  # base rate x the factors = the prediction, as a rating engine reads a quote
            for row, (_, values, is_term) in zip(rows, lines):
                row.append(("x" if is_term else "") + format_number(float(np.exp(values[0]))))
            header.append("relativity")
        return header, rows

    def _zero_terms_line(self, i):
        """``2 terms at zero, not shown: b, c == x``: the terms the table leaves out of row ``i`` because
        they contribute exactly 0 to every output (a zero coefficient, a level the row does not have, a
        missing or unseen value scored 0, a rule that did not fire); None when there are none."""
        if self.decision_path is not None:
            # a rule model: every rule but the one that decides is at zero by construction, and the why line and
            # the decision path already say which rules were passed over and why; listing them is noise
            return None
        contributions = self.contributions[i].reshape(len(self.term_names), self._n_outputs)
        zero = np.flatnonzero(~np.any(contributions != 0, axis=1))
        if zero.size == 0:
            return None
        named = ", ".join(self.term_names[j] for j in zero[:_MAX_ZERO_NAMED])
        more = zero.size - _MAX_ZERO_NAMED
        return (f"{count_text(zero.size, 'term')} at zero, not shown: {named}"
                + (f" and {more} more" if more > 0 else ""))

    def _row_parts(self, i, max_terms, max_features):
        """Row ``i`` as the text and the HTML show it: ``(heading, input, (header, rows), lines after)``."""
        predicted = prediction_text(self.prediction[i], is_class=self.link.is_classification)
        model_line = self._model_output_line(i)
        if model_line is None:
            head = f"predicted {predicted}" + (" (approximation)" if self.approximate else "")
        else:  # "predicted" alone would read as the model's prediction
            head = f"local approximation predicts {predicted}"
            model = (self.fidelity or {}).get("model_prediction")
            if model is not None and self.link.is_classification:
                # the model's own decision first (a tuned threshold can decide otherwise); a regressor's own
                # value is on the line under the table
                head = f"model predicts {prediction_text(model[i], is_class=True)}; {head}"
        after = [line for line in [self._zero_terms_line(i)] if line]
        if self.orientation == -1:
            after.append(f"({self.decision_function_note(self.decision[i])})")
        if model_line is not None:
            after.append(model_line)
        if self.link.is_classification:
            log_proba = self.link.log_inverse(self.decision[i : i + 1])[0]
            pairs = probability_pairs(self.classes, log_proba)
            if model_line is None:
                after.append("probabilities: " + pairs)
            else:  # a local surrogate's: the model's own probabilities, then its approximation's
                model_output = np.asarray(self.fidelity["model_output"][i], dtype=np.float64)[None, ...]
                model_pairs = probability_pairs(self.classes, self.link.log_inverse(model_output)[0])
                after.append(f"probabilities: model {model_pairs}; local approximation {pairs}")
        elif self.link.name == "log":
            after.append(f"prediction = exp({format_number(self.decision[i])}) = {format_number(self.prediction[i])}"
                         + (f" = base rate {format_number(float(np.exp(self.base_value)))} x the relativities"
                            if self.has_relativities else ""))
        if self.notes is not None and self.notes[i]:
            after.append(f"why: {self.notes[i]}")
        heading = f"row {label_text(self.row_label(i))}: {head}"
        return heading, self._input_text(i, max_features), self._contribution_rows(i, max_terms), after

    def _row_text(self, i, max_terms=12, max_features=10):
        heading, inputs, (header, rows), after = self._row_parts(i, max_terms, max_features)
        table = text_table(header, rows).replace("\n", "\n  ").join(["  ", ""])
        # each line one line, as the model wrote it: names and labels in it have their control and bidi
        # characters escaped (a newline in a feature name would otherwise start a line of its own)
        lines = [heading, f"  input: {inputs}"] + [f"  {line}" for line in after]
        shown = [escape_text(line) for line in lines]
        return "\n".join(shown[:2] + [table] + shown[2:])

    def _model_output_line(self, i):
        """``model 6.2; local approximation 78.8 (gap 72.6)``: the explained model's own output at
        row ``i`` beside the approximation its terms add up to (None unless ``fidelity`` holds the
        per-row ``model_output``, as a local surrogate's does)."""
        outputs = (self.fidelity or {}).get("model_output") if self.approximate else None
        if outputs is None:
            return None
        model, approximation = np.atleast_1d(outputs[i]).astype(np.float64), np.atleast_1d(self.decision[i])
        k = int(np.argmax(approximation)) if approximation.size > 1 else None  # the table's focus class
        j = 0 if k is None else k
        gap = abs(float(model[j] - approximation[j]))
        return (f"{self._output_name(k)}: model {format_number(model[j])}; local approximation "
                f"{format_number(approximation[j])} (gap {format_number(gap)}; the terms add up to the approximation)")

    def _title(self):
        return f"Local explanation of {escape_text(self.model)}" + (" (approximate)" if self.approximate else "")

    def _closing_lines(self, n_shown):
        """The lines after the rows: how many are not shown, and the summary fidelity figures."""
        lines = []
        if len(self) > n_shown:
            lines.append(f"... {count_text(len(self) - n_shown, 'more row')} "
                         "(to_text(max_rows=None) shows all, to_frame() tabulates them)")
        # Only the summary figures: per-row lists (one value per explained row) would
        # print thousands of numbers; each shown row's own figure is in its notes.
        summary = {k: v for k, v in (self.fidelity or {}).items() if not isinstance(v, (list, tuple, dict, np.ndarray))}
        if summary:
            lines.append(fidelity_text(summary))  # names the rows it was measured on when it says so
        return lines

    @staticmethod
    def _check_limits(max_rows, max_terms, max_features):
        for value, name in ((max_rows, "max_rows"), (max_terms, "max_terms"), (max_features, "max_features")):
            check_limit(value, name)

    def to_text(self, max_rows=5, max_terms=12, max_features=10):
        """The readable text of :func:`str`, with its limits chosen.

        Parameters
        ----------
        max_rows, max_terms, max_features : int or None
            Rows shown, terms listed per row (the rest are summed into one
            "N more terms" line) and input values listed per row; ``None``
            shows everything.
        """
        self._check_limits(max_rows, max_terms, max_features)
        n_shown = len(self) if max_rows is None else min(len(self), max_rows)
        parts = [self._title()] + [self._row_text(i, max_terms, max_features) for i in range(n_shown)]
        return "\n".join(parts + self._closing_lines(n_shown))

    def __str__(self):
        return self.to_text()

    def _repr_html_(self, max_rows=5, max_terms=12, max_features=10):
        """The text's content as markup: per row its heading, input, a table of contributions (a caption
        naming the row, scoped headers, the term as each line's header) and the lines under it."""
        self._check_limits(max_rows, max_terms, max_features)
        n_shown = len(self) if max_rows is None else min(len(self), max_rows)
        body = ""
        for i in range(n_shown):
            heading, inputs, (header, rows), after = self._row_parts(i, max_terms, max_features)
            body += html_lines([heading, f"input: {inputs}"])
            body += html_table(header, rows, caption=f"Contributions of row {label_text(self.row_label(i))}",
                               row_header=0)
            body += html_lines(after)
        body += html_lines(self._closing_lines(n_shown))
        if self.decision_path is not None:
            body += self._path_html(n_shown)
        return html_block(self._title(), body)

    def _path_html(self, n_shown):
        """The decision path of the first ``n_shown`` rows as a table."""
        frame = self._path_frame(n_shown)
        cells = frame[["rule", "outcome", "condition", "value", "reason"]].astype(object)
        rows = [
            [label_text(label), rule, outcome] + ["" if _absent(v) else v for v in (condition, reason)]
            + ["" if outcome != "failed" else value_text(value)]
            for label, (rule, outcome, condition, value, reason) in zip(frame.index, cells.itertuples(index=False))
        ]
        return html_table(["row", "rule", "outcome", "condition that failed", "why", "value"], rows,
                          caption=f"Decision path of the first {n_shown} rows (decision_path_frame() has all)"
                          if n_shown < len(self) else "Decision path (decision_path_frame() tabulates it)",
                          row_header=0)


def relative_to_class_mean(contributions, base_value, decision):
    """A softmax row's ``(contributions, base_value, decision, centred)``, each minus its mean over the classes.

    Softmax ignores an amount added to every class, so a class's column says how
    the terms move its probability only relative to the other classes.  A GAM's
    and a ridge or unpenalized multinomial fit's columns are centred already and
    come back as they are (``centred`` False, not rounded again); a lasso's (each
    term's median class coefficient 0) or a rule model's (log-probabilities) are
    not.  The last axis of each array is the classes; the centred arrays still add
    up: ``base_value + contributions.sum(axis=0) == decision``.

    Examples
    --------
    >>> import numpy as np
    >>> c, b, d, centred = relative_to_class_mean(np.array([[1.0, 0.0, -1.0]]), np.array([3.0, 0.0, 0.0]),
    ...                                           np.array([4.0, 0.0, -1.0]))
    >>> c.tolist(), b.tolist(), d.tolist(), centred
    ([[1.0, 0.0, -1.0]], [2.0, -1.0, -1.0], [3.0, -1.0, -2.0], True)
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in (contributions, base_value, decision)]
    means = [a.mean(axis=-1, keepdims=True) for a in arrays]
    size = max(1.0, max(float(np.abs(a).max(initial=0.0)) for a in arrays))
    if all(float(np.abs(m).max(initial=0.0)) <= _CENTRED_RTOL * size for m in means):
        return (*arrays, False)
    return (*(a - m for a, m in zip(arrays, means)), True)


# Relative size under which a class mean is rounding, not an offset: the columns are centred already.
_CENTRED_RTOL = 1e-9


def _absent(value):
    return value is None or (isinstance(value, float) and value != value)
