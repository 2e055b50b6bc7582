"""Bar chart of one row's reason codes: how far each factor falls short of the reference."""

import numpy as np

from ..explain._reasons_render import reason_label
from ..explain._render import format_number
from ..explain._row_labels import label_text
from ._display import (
    axes_and_figure,
    bar_chart_text,
    figure_text,
    label_bar_chart,
    literals,
    one_line,
    short_label,
)
from ._palette import HATCHED_BAR_EDGES, NEGATIVE_COLOR, NEUTRAL_COLOR, POSITIVE_COLOR, sign_hatches

__all__ = ["ReasonCodesDisplay"]

# A drawn bar label is at most _LABEL_WIDTH characters: the names of its features are cut first, to no fewer
# than _MIN_FEATURE_WIDTH characters, so that a condition's threshold and the row's value stay legible.
_LABEL_WIDTH, _MIN_FEATURE_WIDTH = 60, 16


class ReasonCodesDisplay:
    """One row's shortfalls, largest first, its reasons highlighted.

    Each bar is a candidate (a term, a feature, or for a rule model the rule
    that fired) and its length the shortfall: how far it moves the row's
    decision toward the adverse outcome compared with the reference (the best
    or the mean contribution over the reference rows).  The reasons a letter
    would give are drawn in red and numbered in their labels (``1. age =
    23``), the other adverse factors in grey and, with ``show="all"``, the
    favourable ones (negative shortfalls) in blue, hatched as the waterfall
    hatches a term that lowers the output, and those at zero in grey: the
    numbers and the hatching carry what the colours do, on a greyscale
    printout too.  On
    additive models the shortfalls of all candidates add up to the gap
    between the reference profile's decision and the row's, which the title
    states.

    Build it with :meth:`from_estimator` or :meth:`from_reason_codes`; the
    constructor only stores data.

    Parameters
    ----------
    names : sequence of str
        Candidate names, as the reasons print them.
    shortfall : array-like of shape (n_candidates,)
        The row's shortfall of each candidate (positive: adverse).
    reasons : sequence of int
        Positions of the row's reasons in ``names``, principal first.
    values : sequence of str or None, default=None
        The row's values of each candidate's features, shown beside the name
        (``name = value``), as the reasons' text prints them.
    units : str, default=""
        Units of the shortfalls (``"log-odds"``, ``"points"``).
    adverse : str, default="the adverse outcome"
    row_label : str or None, default=None
    gap : float or None, default=None
        Reference decision minus the row's, oriented toward the adverse
        outcome (shown in the title when given).
    compared : str, default="reference"
        What the reference profile is (``"best"``, ``"average"``), for the title.
    features : sequence of tuple of str or None, default=None
        The features each candidate reads (``ReasonCodes.features``).  A drawn
        label longer than 60 characters first cuts these names in the middle,
        so that a condition's threshold and the row's value stay legible
        (``bar_labels_`` and ``alt_text_`` keep them whole).

    Attributes
    ----------
    bars_ : matplotlib BarContainer
        The bars from top to bottom (largest shortfall first).
    bar_labels_ : list of str
        Each bar's label in full, top to bottom (the ticks draw labels over
        60 characters cut, long feature names first).
    reason_bars_ : list of int
        Positions in ``bars_`` of the reasons.
    empty_note_ : matplotlib Text or None
        ``no adverse factor``, written on the plot when no bar is drawn.
    alt_text_ : str
        The figure in words, for a reader who cannot see it (an image's alt
        text in a report): title, axis, then each bar's label and shortfall.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from glassbox.plotting import ReasonCodesDisplay
    >>> display = ReasonCodesDisplay(
    ...     names=["debt_ratio", "age", "income"], shortfall=[0.9, 0.2, -0.1], reasons=[0, 1],
    ...     units="log-odds", adverse="bad").plot()
    >>> display.bar_labels_
    ['1. debt_ratio', '2. age']
    """

    def __init__(self, *, names, shortfall, reasons, values=None, units="", adverse="the adverse outcome",
                 row_label=None, gap=None, compared="reference", features=None):
        self.names = [str(n) for n in names]
        self.shortfall = np.asarray(shortfall, dtype=float)
        self.reasons = [int(j) for j in reasons if int(j) >= 0]
        self.values = None if values is None else [None if v in (None, "") else str(v) for v in values]
        self.units, self.adverse, self.row_label, self.gap = units, str(adverse), row_label, gap
        self.compared = str(compared)
        self.features = None if features is None else [tuple(str(f) for f in (fs or ())) for fs in features]
        if self.shortfall.shape != (len(self.names),):
            raise ValueError(f"shortfall has shape {self.shortfall.shape}; expected ({len(self.names)},): "
                             "one value per name.")
        if self.values is not None and len(self.values) != len(self.names):
            raise ValueError("values needs one entry (or None) per name.")
        if self.features is not None and len(self.features) != len(self.names):
            raise ValueError("features needs one tuple of feature names (or None) per name.")

    @classmethod
    def from_reason_codes(cls, codes, row=0, **plot_kwargs):
        """Draw row ``row`` (a position in the explained rows) of a :class:`~glassbox.explain.ReasonCodes`."""
        from ..explain.reasons import ReasonCodes

        if not isinstance(codes, ReasonCodes):
            raise TypeError(f"from_reason_codes needs the ReasonCodes of glassbox.reason_codes(...), "
                            f"got {type(codes).__name__}.")
        n_rows = len(codes)
        if not -n_rows <= int(row) < n_rows:
            raise IndexError(f"row {row} is out of range: the reason codes hold {n_rows} rows (positions 0 to "
                             f"{n_rows - 1}, or negative from the end).")
        row = int(row) % n_rows
        candidates = np.arange(len(codes.names), dtype=np.intp)
        values = codes._values_text(np.full(len(candidates), row), candidates)
        display = cls(
            names=[reason_label(codes._reason_name(row, j), codes.features[j] or (), value)
                   for j, value in zip(candidates, values)],
            shortfall=codes.shortfall[row],
            reasons=codes.ranked[row],
            units=codes._units(),
            adverse=codes._adverse_text(),
            row_label=label_text(codes.explanation.row_label(row)),
            gap=float(codes.sign * (codes.reference_decision - codes.decision[row])),
            compared={"max": "best", "mean": "average"}.get(codes.method, "reference"),
            features=[codes.features[j] or () for j in candidates],
        )
        return display.plot(**plot_kwargs)

    @classmethod
    def from_estimator(cls, estimator, X, *, reference, adverse, row=0, method="max", n_reasons=4, by="term",
                       sample_weight=None, **plot_kwargs):
        """Compute ``glassbox.reason_codes(estimator, X, ...)`` and draw row ``row``.

        ``X`` may hold just the row to draw; the keyword arguments are those
        of :func:`~glassbox.reason_codes`.
        """
        from ..explain.reasons import reason_codes

        codes = reason_codes(estimator, X, reference=reference, adverse=adverse, method=method,
                             n_reasons=n_reasons, by=by, sample_weight=sample_weight)
        return cls.from_reason_codes(codes, row=row, **plot_kwargs)

    def plot(self, ax=None, *, show="adverse", max_bars=12):
        """Draw the bars.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        show : {"adverse", "all"}, default="adverse"
            ``"adverse"`` draws the candidates with a positive shortfall;
            ``"all"`` also the favourable ones and those at zero.
        max_bars : int, default=12
            Bars drawn at most (the reasons always among them).

        Returns
        -------
        self
        """
        if show not in ("adverse", "all"):
            raise ValueError(f"show must be 'adverse' or 'all', got {show!r}.")
        if int(max_bars) < 1:
            raise ValueError(f"max_bars must be at least 1, got {max_bars!r}.")
        shown = self._shown(show, int(max_bars))
        own_figure = ax is None
        ax, figure = axes_and_figure(ax, n_rows=len(shown))
        labels = [self._label(j) for j in shown]
        colors = [POSITIVE_COLOR if j in self.reasons else (NEGATIVE_COLOR if self.shortfall[j] < 0 else NEUTRAL_COLOR)
                  for j in shown]
        positions = np.arange(len(shown))[::-1]  # the largest shortfall at the top
        self.bars_ = ax.barh(positions, self.shortfall[shown], color=colors, hatch=sign_hatches(self.shortfall[shown]),
                             **HATCHED_BAR_EDGES)
        ax.set_yticks(positions, literals(self._drawn_label(label, j) for label, j in zip(labels, shown)))
        ax.axvline(0.0, color="black", linewidth=0.8)
        units = f" ({self.units})" if self.units else ""
        self.empty_note_ = None
        if not shown:  # boxed: the line at 0 runs through the middle
            self.empty_note_ = ax.text(0.5, 0.5, "no adverse factor", transform=ax.transAxes, ha="center",
                                       va="center", bbox={"boxstyle": "round", "facecolor": "white",
                                                          "edgecolor": NEUTRAL_COLOR})
        xlabel = f"shortfall toward {self.adverse}{units}"
        label_bar_chart(ax, xlabel, self._title(), own_figure)
        self.bar_labels_ = labels
        if shown:
            self.alt_text_ = bar_chart_text(self._title(), xlabel, labels,
                                            [format_number(v) for v in self.shortfall[shown]])
        else:
            self.alt_text_ = figure_text(self._title(), [f"No bars ({one_line(xlabel)}): no adverse factor"])
        self.reason_bars_ = [k for k, j in enumerate(shown) if j in self.reasons]
        self.ax_, self.figure_ = ax, figure
        return self

    def _shown(self, show, max_bars):
        """Candidates to draw, largest shortfall first: the reasons, then the next largest up to ``max_bars``."""
        eligible = np.arange(len(self.names)) if show == "all" else np.flatnonzero(self.shortfall > 0)
        order = eligible[np.argsort(-self.shortfall[eligible], kind="stable")]
        keep = [j for j in order if j in self.reasons]
        keep += [j for j in order if j not in self.reasons][: max(max_bars - len(keep), 0)]
        return sorted(keep, key=lambda j: (-self.shortfall[j], j))

    def _label(self, j):
        name = self.names[j]
        value = None if self.values is None else self.values[j]
        if value:
            name = f"{name} = {value}"
        rank = self.reasons.index(j) + 1 if j in self.reasons else None
        return f"{rank}. {name}" if rank else name

    def _drawn_label(self, label, j):
        """``label`` as a tick draws it: at most 60 characters, the long names of the candidate's features cut
        before the rest, so that conditions on one long-named feature keep their thresholds apart."""
        if len(label) > _LABEL_WIDTH and self.features is not None:
            for feature in sorted(self.features[j], key=len, reverse=True):
                times = label.count(feature)
                if times and len(label) > _LABEL_WIDTH and len(feature) > _MIN_FEATURE_WIDTH:
                    # as long as the label fits, each time the name is written (at least _MIN_FEATURE_WIDTH)
                    width = len(feature) - -(-(len(label) - _LABEL_WIDTH) // times)
                    label = label.replace(feature, short_label(feature, max(width, _MIN_FEATURE_WIDTH)))
        return short_label(label, _LABEL_WIDTH)

    def _title(self):
        title = "Reasons" if self.row_label is None else f"Reasons for row {self.row_label}"
        if self.gap is not None:
            units = f" {self.units}" if self.units else ""
            profile = "reference" if self.compared == "reference" else f"{self.compared} reference profile"
            # a colon ends the first line: on one line (the alt text) "row 1 1.83 short" read as one number
            title += f":\n{format_number(self.gap)}{units} short of the {profile}"
        return title

