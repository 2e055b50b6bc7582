"""Waterfall of one row's explanation: how each term moved the decision."""

import numpy as np

from ..explain._local_render import relative_to_class_mean
from ..explain._render import format_number, value_text
from ..explain._row_labels import label_text
from ..explain._text_escape import name_text
from ..explain.local import LocalExplanation, class_output_name
from ._factor_axis import factor_axis
from ._display import (
    axes_and_figure,
    bar_chart_text,
    check_kind,
    check_max_count,
    choose_output,
    explain_through,
    factor_text,
    label_bar_chart,
    literals,
    short_label,
)
from ._palette import DECREASE_HATCH, GAP_HATCH, HATCHED_BAR_EDGES, NEGATIVE_COLOR, NEUTRAL_COLOR, POSITIVE_COLOR

__all__ = ["LocalContributionDisplay"]

# Relative tolerance under which contributions are taken to add up to the decision.
_ADDITIVITY_RTOL = 1e-9


class LocalContributionDisplay:
    """Waterfall plot of one row's local explanation.

    The plot starts from the base value, adds the terms one by one from the
    largest absolute contribution down (the smallest are folded into one
    "N other terms" bar) and ends at the row's decision function.  Terms that
    contribute exactly zero (e.g. rules that did not fire) are left out.
    Bar labels longer than 60 characters are cut in the middle
    (``bar_labels_`` keeps them whole), a long title is wrapped, and a figure
    the display creates is made wide enough for them, with at least 3 inches
    left for the bars.

    Build it with :meth:`from_estimator` or :meth:`from_explanation`; the
    constructor only stores data.

    Parameters
    ----------
    term_names : sequence of str
        Name of each term.
    contributions : array-like of shape (n_terms,)
        Contribution of each term to the decision function of the row.
    base_value : float
        Decision function before any term contributes.
    decision : float
        The row's decision function.  When ``base_value + sum(contributions)``
        differs from it (explanations of an approximation), the gap is drawn
        as its own "not explained" bar so the waterfall still ends at the
        decision.
    term_values : sequence of str or None, default=None
        Readable value of the row's feature behind each term (shown next to
        the term's name), or None.
    output_name : str, default="decision function"
        What the horizontal axis measures (``"log-odds of yes"``, ...).
    title : str or None, default=None
    note : str or None, default=None
        A remark printed under the axis label (e.g. how the drawn output
        relates to ``decision_function``).
    relativity : bool, default=False
        The figures are a log-link model's (``log`` of the predicted mean):
        draw them as factors on a log axis, as a rating engine multiplies a
        quote out.  The base bar runs from 1 to the base rate
        ``exp(base_value)``, each term's bar from the running product to that
        times its relativity ``exp(contribution)`` (labelled ``x0.53``), and
        the last bar from 1 to the prediction ``exp(decision)``, the product
        of the base rate and every relativity.  The geometry is that of the
        log-unit waterfall; the axis reads in the mean's own units.

    Attributes
    ----------
    bars_ : matplotlib BarContainer
        The bars from top to bottom: base value, the shown terms, the folded
        terms (if any), the gap (if any) and the decision.  Term bars start
        where the previous bar ended; their width is the contribution.
    bar_labels_ : list of str
        The label of each bar, in the same order.
    legend_ : matplotlib Legend or None
        Names the solid ("raises") and hatched ("lowers") term bars.
    alt_text_ : str
        The figure in words, for a reader who cannot see it (an image's alt
        text in a report): title, axis, then each bar's label and value.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from glassbox.plotting import LocalContributionDisplay
    >>> display = LocalContributionDisplay(
    ...     term_names=["age", "income", "debt"],
    ...     contributions=[0.8, -0.3, 0.1],
    ...     base_value=-1.0,
    ...     decision=-0.4,
    ... ).plot()
    >>> display.bar_labels_
    ['base value', 'age', 'income', 'debt', '= decision function']
    >>> [float(round(bar.get_width(), 2)) for bar in display.bars_]
    [-1.0, 0.8, -0.3, 0.1, -0.4]
    """

    def __init__(
        self,
        *,
        term_names,
        contributions,
        base_value,
        decision,
        term_values=None,
        output_name="decision function",
        title=None,
        note=None,
        relativity=False,
    ):
        self.term_names = [str(t) for t in term_names]
        self.contributions = np.asarray(contributions, dtype=np.float64)
        self.base_value = float(base_value)
        self.decision = float(decision)
        self.term_values = None if term_values is None else list(term_values)
        self.output_name = output_name
        self.title = title
        self.note = note
        self.relativity = bool(relativity)

    # -- drawing -------------------------------------------------------------------
    def _rows(self, max_terms):
        """The bars to draw: ``[(label, start, width, kind), ...]`` from top to bottom."""
        if self.contributions.shape != (len(self.term_names),):
            raise ValueError(
                f"contributions has shape {self.contributions.shape}; expected one value per term "
                f"({len(self.term_names)} terms)."
            )
        check_max_count(max_terms, "max_terms")
        c = self.contributions
        order = [j for j in np.argsort(-np.abs(c), kind="stable") if c[j] != 0]
        # Folding a single term would hide it behind a label as long as its own.
        fold = max_terms is not None and len(order) > max_terms + 1
        shown, folded = (order[:max_terms], order[max_terms:]) if fold else (order, [])
        rows = [("base value", 0.0, self.base_value, "base")]
        running = self.base_value
        for j in shown:
            rows.append((self._term_label(j), running, c[j], "term"))
            running += c[j]
        if folded:
            rest = float(np.sum(c[folded]))
            rows.append((f"{len(folded)} other terms", running, rest, "term"))
            running += rest
        gap = self.decision - running
        if abs(gap) > _ADDITIVITY_RTOL * max(1.0, abs(self.decision), float(np.abs(c).sum())):
            rows.append(("not explained (approximation)", running, gap, "gap"))
        rows.append((f"= {self.output_name}", 0.0, self.decision, "decision"))
        return rows

    def _term_label(self, j):
        value = None if self.term_values is None else self.term_values[j]
        return self.term_names[j] if value is None else f"{self.term_names[j]} = {value}"

    def plot(
        self,
        ax=None,
        *,
        max_terms=10,
        show_values=True,
        positive_color=POSITIVE_COLOR,
        negative_color=NEGATIVE_COLOR,
        show_legend=True,
        **kwargs,
    ):
        """Draw the waterfall.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when None.
        max_terms : int or None, default=10
            Number of terms shown individually; the rest are summed into one
            "N other terms" bar.  None shows every non-zero term.
        show_values : bool, default=True
            Write each bar's value next to it.
        positive_color, negative_color : color
            Colours of terms that raise and lower the decision.  The terms
            that lower it are also hatched, so that the signs differ on a
            greyscale printout and for colour-blind readers; a hatch of None
            (passed on to ``barh``) draws every bar solid.
        show_legend : bool, default=True
            Name what the solid and the hatched bars do ("raises" / "lowers"
            the output).
        **kwargs
            Passed to matplotlib's ``barh`` (e.g. ``height``, ``edgecolor``
            (the colour of the hatching, white by default), ``hatch``).

        Returns
        -------
        self : LocalContributionDisplay
        """
        rows = self._rows(max_terms)
        if self.relativity:  # the same waterfall, multiplied out: bars between exp of their ends
            ends = np.array([(start, start + width) for _, start, width, _ in rows], dtype=np.float64)
            with np.errstate(over="ignore", under="ignore"):
                factors = np.exp(ends)
            if not np.all(np.isfinite(factors) & (factors > 0)):
                raise ValueError(
                    f"This row's relativities multiply out beyond floating point: its log of the mean reaches "
                    f"{format_number(float(ends.flat[np.abs(ends).argmax()]))} (exp of it over/underflows), a row far outside the "
                    "training range. Plot it with relativity=False, whose log scale draws it."
                )
            rows = [(label, float(low), float(high - low), kind)
                    for (label, _, _, kind), (low, high) in zip(rows, factors)]
        own_figure = ax is None
        ax, figure = axes_and_figure(ax, n_rows=len(rows))
        positions = np.arange(len(rows))[::-1]
        colors = []
        for _, _, width, kind in rows:
            if kind in ("base", "decision"):
                colors.append(NEUTRAL_COLOR)
            else:
                colors.append(positive_color if width >= 0 else negative_color)
        # hatches tell the signs apart where colours do not (greyscale, colour-blind readers)
        hatches = [_bar_hatch(kind, width) for _, _, width, kind in rows]
        bar_style = {"height": 0.6, "hatch": hatches, **HATCHED_BAR_EDGES, **kwargs}
        self.bars_ = ax.barh(positions, [r[2] for r in rows], left=[r[1] for r in rows], color=colors, **bar_style)
        self.bar_labels_ = [r[0] for r in rows]
        self._draw_connectors(ax, rows, positions)
        values = self._draw_values(ax, rows, positions, self.relativity) if show_values else []
        self.legend_ = _sign_legend(ax, self.bars_, rows) if show_legend else None
        ax.axvline(1.0 if self.relativity else 0.0, color="black", linewidth=0.6)
        ax.set_yticks(positions, literals(short_label(label) for label in self.bar_labels_))
        ax.set_xlim(*_padded_limits(rows, self.relativity))
        if self.relativity:
            factor_axis(ax.xaxis)
        _widen_for_labels(ax, values, self.relativity)
        xlabel = self.output_name if not self.note else f"{self.output_name}\n({self.note})"
        label_bar_chart(ax, xlabel, self.title, own_figure)
        self.alt_text_ = bar_chart_text(self.title, xlabel, self.bar_labels_, self._value_texts(rows, self.relativity))
        self.ax_, self.figure_ = ax, figure
        return self

    @staticmethod
    def _draw_connectors(ax, rows, positions):
        # A dotted line from the end of each bar to the start of the next keeps
        # the eye on the running total.
        for k in range(len(rows) - 1):
            end = rows[k][1] + rows[k][2]
            ax.plot([end, end], [positions[k] - 0.3, positions[k + 1] + 0.3],
                    color="gray", linestyle=":", linewidth=0.8)

    @staticmethod
    def _value_texts(rows, relativity=False):
        """Each bar's value as written beside it: a term's signed contribution (``x0.53``, its factor, on a
        relativity waterfall), the base value and the decision unsigned."""
        texts = []
        for _, start, width, kind in rows:
            end = start + width
            if not relativity:
                texts.append(format_number(width, sign=kind not in ("base", "decision")))
            elif kind in ("base", "decision"):  # the base rate, the prediction
                texts.append(format_number(end))
            else:
                texts.append(factor_text(end / start))
        return texts

    @classmethod
    def _draw_values(cls, ax, rows, positions, relativity=False):
        """Write each bar's value past its end; return the annotations."""
        texts = []
        for (_, start, width, kind), y, text in zip(rows, positions, cls._value_texts(rows, relativity)):
            end = start + width
            texts.append(ax.annotate(
                text,
                (end, y),
                xytext=(4 if width >= 0 else -4, 0),
                textcoords="offset points",
                ha="left" if width >= 0 else "right",
                va="center",
                fontsize="small",
            ))
        return texts

    # -- constructors --------------------------------------------------------------
    @classmethod
    def from_explanation(cls, explanation, *, row=0, target_class=None, relativity=False, ax=None, **plot_kwargs):
        """Plot row ``row`` of a :class:`~glassbox.explain.LocalExplanation`.

        Parameters
        ----------
        explanation : LocalExplanation
            From ``estimator.explain_local(X)``.
        row : int, default=0
            Which row of the explanation to draw (by position); the title
            names it by its label when the explanation has ``row_labels``
            (``row 512`` for a DataFrame row labelled 512).
        target_class : class label or None, default=None
            Classifiers: the class whose decision score is drawn.  Binary
            models default to the positive class ``classes[1]`` (choosing
            ``classes[0]`` flips the signs); a model whose event
            (``pos_label``) is ``classes[0]`` defaults to its event, so the
            bars are a risk score's own points toward it, from its intercept,
            or a rule list's log-odds of it, and a note under the axis says
            that ``decision_function`` is their negative; multiclass models
            default to the row's predicted class, and draw its column relative
            to the mean of the classes (softmax ignores an amount added to
            every class).  A GAM's or ridge fit's columns are centred already
            and draw as ``decision_function`` reads them; otherwise (a lasso,
            whose class columns can be all zeros, or a rule model) every bar is
            centred across the classes and the axis says the total is the
            class's score relative to the classes' mean.
        relativity : bool, default=False
            A log-link model's row (``loss="poisson"``, ``"gamma"`` or
            ``"tweedie"``) as base rate times relativities on a log axis:
            ``exp(base_value)``, then each term's factor ``exp(contribution)``,
            ending at the prediction (see the class's ``relativity``).
        ax : matplotlib Axes, default=None
        **plot_kwargs
            Passed to :meth:`plot` (``max_terms``, ``show_values``, colours).

        Returns
        -------
        LocalContributionDisplay
        """
        return cls._for_row(explanation, row, target_class, row_label=None, relativity=relativity).plot(
            ax=ax, **plot_kwargs)

    @classmethod
    def _for_row(cls, explanation, row, target_class, row_label, relativity=False):
        check_kind(
            explanation,
            LocalExplanation,
            cls.__name__,
            "Get one with estimator.explain_local(X); global explanations go to ShapeFunctionDisplay and friends.",
        )
        row = _checked_row(row, len(explanation), "an explanation of")
        if relativity and not explanation.has_relativities:
            raise ValueError(
                f"relativity=True shows exp(contribution), the factor on the predicted mean of a log-link model "
                f"(loss='poisson', 'gamma' or 'tweedie'); this explanation's link is {explanation.link.name!r}: "
                "use relativity=False."
            )
        has_class_axis = explanation.contributions.ndim == 3
        toward_event = explanation.orientation == -1
        if toward_event and target_class is None:  # the event: a card's own points, as the card prints them
            target_class = explanation.classes[0]
        choice = choose_output(
            explanation.link,
            explanation.classes,
            has_class_axis,
            target_class,
            default=explanation.prediction[row] if has_class_axis else None,
            output_name=explanation.output_name,
        )
        output_name = "predicted mean" if relativity else (
            choice.name if toward_event else _output_label(explanation, choice))
        contributions, base_value, decision = explanation.contributions[row], explanation.base_value, \
            explanation.decision[row]
        if has_class_axis and explanation.link.name == "softmax":
            # the class's column relative to the others: softmax ignores an amount added to every class
            contributions, base_value, decision, centred = relative_to_class_mean(contributions, base_value, decision)
            if centred:  # the bars no longer add up to decision_function's column: say what they add up to
                output_name = f"score of class {format_number(choice.label)} relative to the classes' mean"
        return cls(
            term_names=explanation.term_names,
            contributions=choice.select(contributions, 1),
            base_value=choice.select(base_value, 0),
            decision=choice.select(decision, 0),
            term_values=_term_values(explanation, row),
            output_name=output_name,
            title=_title(explanation, row, choice, _row_name(explanation, row, row_label), relativity),
            note="log scale: the base rate times the relativities" if relativity else (
                explanation.decision_function_note() if toward_event else None),
            relativity=relativity,
        )

    @classmethod
    def from_estimator(cls, estimator, X=None, *, row=0, target_class=None, relativity=False, ax=None,
                       **plot_kwargs):
        """Explain row ``row`` of ``X`` with a fitted glassbox estimator and plot it.

        Parameters
        ----------
        estimator : fitted glassbox estimator, Pipeline or search
            A fitted ``Pipeline`` whose last step is a glassbox estimator
            explains the row as that step reads it: through the steps before
            it (``pipe[:-1].transform``), its values as transformed (the axis
            says so); a fitted ``GridSearchCV`` / ``RandomizedSearchCV``
            explains with its ``best_estimator_`` (as
            :func:`glassbox.reason_codes` does).
        X : array-like or DataFrame of shape (n_samples, n_features)
            The rows; only row ``row`` is explained.
        row : int, default=0
            Position of the row in ``X``; the title names the row by its
            index label when ``X`` is a DataFrame, by this position otherwise.
        target_class, relativity, ax, **plot_kwargs
            As in :meth:`from_explanation` (``relativity`` default=False).

        Returns
        -------
        LocalContributionDisplay
        """
        explain_through(estimator, None, "explain_local", cls.__name__)  # the model first: an unfitted one says so
        if X is None:
            raise ValueError("LocalContributionDisplay.from_estimator needs the rows to explain: pass X.")
        row = _checked_row(row, _n_rows(X), "X with")
        explain_local, rows, steps = explain_through(estimator, _take_row(X, row), "explain_local", cls.__name__)
        display = cls._for_row(explain_local(rows), 0, target_class, row_label=row, relativity=relativity)
        if steps:  # the bars name the last step's inputs, at the values the steps before it gave them
            transformed = f"values after the pipeline's {', '.join(steps)}"
            display.note = transformed if display.note is None else f"{display.note}; {transformed}"
        return display.plot(ax=ax, **plot_kwargs)


def _bar_hatch(kind, width):
    """A bar's hatch: an approximation's gap and a term that lowers the output are hatched (differently)."""
    if kind == "gap":
        return GAP_HATCH
    return DECREASE_HATCH if kind == "term" and width < 0 else None


def _sign_legend(ax, bars, rows):
    """A legend naming a solid and a hatched bar ("raises" / "lowers"), for the signs the chart shows."""
    entries = {}
    for bar, (_, _, width, kind) in zip(bars, rows):
        if kind == "term":
            entries.setdefault("raises" if width >= 0 else "lowers", bar)
    if not entries:
        return None
    labels = sorted(entries, key=["raises", "lowers"].index)
    return ax.legend([entries[k] for k in labels], labels, loc="best", fontsize="small")


def _output_label(explanation, choice):
    """The axis label: the explanation's own name for its output when it has one (e.g. ``P(yes)``)."""
    named = getattr(explanation, "output_name", None)
    if named is None:
        return choice.name
    if choice.index is None:
        return named
    if explanation.link.is_classification:  # a softmax input per class: the choice names it
        return choice.name
    # A column per class on an identity link (class probabilities): the name's {class} is the chosen one.
    return class_output_name(named, format_number(choice.label))


def _padded_limits(rows, relativity=False):
    # Room on both sides for the value labels written past the bar ends (on a log axis, in log units).
    points = [0.0] + [r[1] for r in rows] + [r[1] + r[2] for r in rows]
    if relativity:
        points = np.log(points[1:] + [1.0])
    low, high = min(points), max(points)
    pad = 0.18 * (high - low) if high > low else 1.0
    return (float(np.exp(low - pad)), float(np.exp(high + pad))) if relativity else (low - pad, high + pad)


def _widen_for_labels(ax, texts, relativity):
    """Widen the x limits of ``ax`` until the value labels ``texts`` lie inside the axes: a long number (a
    prediction of 1e9) written left of its bar ran over the term names."""
    if not texts:
        return
    to_scale, from_scale = (np.log, np.exp) if relativity else (float, float)
    for _ in range(3):
        ax.figure.draw_without_rendering()
        renderer = ax.figure.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        extents = [text.get_window_extent(renderer) for text in texts]
        left = max(0.0, box.x0 - min(e.x0 for e in extents)) / box.width
        right = max(0.0, max(e.x1 for e in extents) - box.x1) / box.width
        if left <= 0.002 and right <= 0.002:
            return
        low, high = (to_scale(v) for v in ax.get_xlim())
        span = high - low
        # the labels keep their size in points: widening by a share s of the axes frees about s of it
        low, high = low - (left + 0.02 * (left > 0)) * span, high + (right + 0.02 * (right > 0)) * span
        ax.set_xlim(from_scale(low), from_scale(high))


def _checked_row(row, n_rows, what):
    """``row`` as a non-negative index (negative counts from the end), or a clear error."""
    if not -n_rows <= row < n_rows:
        raise ValueError(f"row={row} is out of range for {what} {n_rows} rows.")
    return row % n_rows


def _n_rows(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _take_row(X, row):
    if hasattr(X, "iloc"):
        return X.iloc[row : row + 1]
    if hasattr(X, "shape"):  # arrays, polars frames and scipy.sparse matrices all slice rows like this
        return X[row : row + 1]
    return [X[row]]


def _term_values(explanation, row):
    """The row's value of the feature behind each single-feature term, else None.

    A term is its feature when its name is the feature's name as written raw (a
    GAM's term) or as printouts quote it (a linear term: the name in backticks); a
    term that reads one feature under another name (``region == north``, a
    card's ``age >= 60``) says its level or condition itself.
    """
    position = {name: j for j, name in enumerate(explanation.feature_names)}
    values = explanation.row(row).feature_values[0]  # not feature_values[row]: that builds every row's objects
    features = explanation.term_features or (None,) * len(explanation.term_names)
    texts = []
    for term, read in zip(explanation.term_names, features):
        feature = term if term in position else None
        if read is not None and len(read) == 1 and term in (read[0], name_text(read[0])) and read[0] in position:
            feature = read[0]
        texts.append(None if feature is None else value_text(values[position[feature]]))
    return texts


def _row_name(explanation, row, position_in_X):
    """What the title calls the row: its label in the explained DataFrame, else its position."""
    if getattr(explanation, "row_labels", None) is not None:
        return label_text(explanation.row_labels[row])
    return row if position_in_X is None else position_in_X


def _title(explanation, row, choice, row_label, relativity=False):
    title = f"{explanation.model}: row {row_label}, predicted {value_text(explanation.prediction[row])}"
    if choice.label is not None:
        proba = explanation.link.inverse(explanation.decision[row : row + 1])[0]
        classes = list(explanation.classes)
        position = next(i for i, c in enumerate(classes) if c == choice.label)
        title += f"\nP({value_text(choice.label)}) = {proba[position]:.3f}"
    elif relativity:  # the bars multiply out to the prediction
        title += f"\n= base rate {format_number(float(np.exp(explanation.base_value)))} x the relativities"
    elif explanation.link.name == "log":  # the bars add up to the log of the prediction
        title += f" = exp({value_text(explanation.decision[row])})"
    if explanation.approximate:
        title += " (approximation)"
    return title
