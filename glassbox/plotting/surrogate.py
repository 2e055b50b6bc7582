"""Plots of surrogate fidelity: where a copy disagrees, and fidelity against complexity.

matplotlib is imported inside the functions so that glassbox imports without it.
"""

import textwrap

import numpy as np

from ..explain._render import format_number
from ..surrogate.frontier import size_text
from ._display import (
    axes_and_figure, bar_chart_text, check_axes, check_max_count, figure_text, label_bar_chart, listed, literal, literals,
    one_line, short_label,
)
from ._palette import NEUTRAL_COLOR, line_styles

__all__ = ["FidelityDisplay", "FrontierDisplay"]


class FidelityDisplay:
    """Bar chart of the segments (feature bins) where a student disagrees most with its teacher.

    Build it with :meth:`from_report` or :meth:`from_models`, then :meth:`plot`.

    Parameters
    ----------
    report : FidelityReport

    Attributes
    ----------
    alt_text_ : str
        Set by :meth:`plot`: the figure in words, for a reader who cannot see
        it (title, axis, then each segment and its figure, worst first, and
        the overall level the dashed line marks).
    empty_note_ : matplotlib Text or None
        Set by :meth:`plot` when no bar has a length: the note on the plot
        saying why (no segment: no feature bin held ``min_segment_rows``
        rows, or the columns no binning reads; or the copy matches the
        teacher on every row).
    ax_, figure_ : matplotlib objects, set by :meth:`plot`

    Examples
    --------
    >>> import numpy as np
    >>> from glassbox.surrogate import fidelity_report
    >>> from glassbox.plotting.surrogate import FidelityDisplay
    >>> X = np.arange(40.0).reshape(-1, 1)
    >>> report = fidelity_report(lambda X: X[:, 0] > 20, lambda X: X[:, 0] > 25, X, task="classification")
    >>> display = FidelityDisplay.from_report(report).plot()  # doctest: +SKIP
    """

    def __init__(self, report):
        self.report = report

    @classmethod
    def from_report(cls, report):
        return cls(report)

    @classmethod
    def from_models(cls, teacher, student, X, **kwargs):
        from ..surrogate.fidelity import fidelity_report

        return cls(fidelity_report(teacher, student, X, **kwargs))

    def plot(self, ax=None, max_segments=12, color="C3"):
        """Draw the worst segments, with the overall level as a dashed line.

        A figure the display creates is made tall enough for one label a bar
        and wide enough for the segment labels (``feature: bin (n=...)``) and
        the title; on an ``ax=`` of yours the figure keeps its size.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when None.
        max_segments : int or None, default=12
            Segments drawn at most, the worst first (None: all).
        color : color, default="C3"
            Colour of the bars.

        Returns
        -------
        self : FidelityDisplay
        """
        check_max_count(max_segments, "max_segments")
        own_figure = ax is None
        segments = self.report.segments[:max_segments][::-1]
        ax, figure = axes_and_figure(ax, n_rows=len(segments))
        # a long feature name cut in the middle, as bar labels are, so its segments stay legible
        labels = [f"{short_label(feature, 40)}: {label} (n={n})" for feature, label, n, _ in segments]
        values = [d for *_, d in segments]
        ax.barh(np.arange(len(values)), values, color=color)
        ax.set_yticks(np.arange(len(values)), literals(labels))
        overall = self._overall()
        if overall is not None:
            ax.axvline(overall, color="k", linestyle="--", linewidth=1, label="overall")
            _legend_below_the_bars(ax, len(segments))
        what = "disagreement rate" if self.report.task == "classification" else "mean |teacher - student|"
        title = f"Where {self.report.student} departs from {self.report.teacher}"
        # a disagreement is never negative: the axis starts at 0 (all at 0: a short span, not -0.05 to 0.05)
        ax.set_xlim(left=0.0, right=None if max(values + [overall or 0.0]) > 0 else 0.1)
        self.empty_note_ = None
        empty = None
        if not segments:  # an empty chart says why it is empty
            ax.set_yticks([])
            empty = self._no_segment_text()
        elif max(values) == 0 and not overall:
            empty = ("no bar to draw: the copy matches the teacher on every row"
                     + (" (the same label)" if self.report.task == "classification" else " (the same prediction)"))
        if empty:
            self.empty_note_ = ax.text(0.5, 0.5, literal(textwrap.fill("N" + empty[1:], 60)),
                                       transform=ax.transAxes, ha="center", va="center", fontsize="small",
                                       bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": NEUTRAL_COLOR})
        label_bar_chart(ax, what, title, own_figure)
        if segments:
            self.alt_text_ = bar_chart_text(title, what, labels[::-1], [format_number(v) for v in values[::-1]])
        else:
            self.alt_text_ = figure_text(title, [f"No bars ({one_line(what)}): {empty}"])
        if segments and empty:
            self.alt_text_ = figure_text(self.alt_text_, ["N" + empty[1:]])
        if overall is not None:
            self.alt_text_ = figure_text(self.alt_text_, [f"Dashed line: overall {format_number(overall)}"])
        self.ax_, self.figure_ = ax, figure
        return self

    def _no_segment_text(self):
        """Why the report has no segment (lower case): the columns no binning reads, and no bin of the others
        holding ``min_segment_rows`` rows."""
        parts = []
        if self.report.unsegmented:
            names = ", ".join(str(feature) for feature, _ in self.report.unsegmented)
            parts.append(f"{names} not segmented (no binning reads {'them' if len(self.report.unsegmented) > 1 else 'it'})")
        other = "any other column" if parts else "any column"
        parts.append(f"no bin of {other} held min_segment_rows of the {self.report.n_samples} rows (by default 1% "
                     "of the rows, at least 5): pass a smaller min_segment_rows to fidelity_report")
        return "no segment to draw: " + "; ".join(parts)

    def _overall(self):
        if self.report.task == "classification":
            return 1.0 - self.report.metrics["agreement"]
        return self.report.metrics["mae"]


def _legend_below_the_bars(ax, n_bars):
    """The legend in the lower right corner, in room made for it below the last bar: over the bars, it hid the
    shortest when every segment disagreed about as much."""
    legend = ax.legend(loc="lower right")
    if not n_bars:
        return
    top = n_bars - 0.4
    bottom = -0.6
    for _ in range(3):
        ax.set_ylim(bottom, top)
        ax.figure.draw_without_rendering()
        renderer = ax.figure.canvas.get_renderer()
        per_unit = ax.get_window_extent(renderer).height / (top - bottom)  # pixels per bar row
        needed = -0.6 - (legend.get_window_extent(renderer).height + 8.0) / per_unit
        if bottom <= needed + 1e-9:
            return
        bottom = needed


class FidelityFrontierDisplay:
    """Fidelity against complexity for a grid of students, one line per family.

    Each family of students (see :func:`~glassbox.surrogate.fidelity_frontier`)
    is a line of its students' fidelity (y) against their size (x: terms,
    shape functions, rules or conditions, all whole numbers, so the axis is
    ticked at whole numbers only); the families' lines differ in colour,
    marker and line style.  The target is a dashed line; the simplest
    student reaching it in each unit of complexity is ringed, the chosen one
    (``frontier.best``) with a thicker ring; the legend names both rings.  A
    student that failed to fit has no point.  ``FrontierDisplay`` is the same class.

    Build it with :meth:`from_frontier` (or ``frontier.plot()``), then
    :meth:`plot`.

    Parameters
    ----------
    frontier : FidelityFrontier
        From :func:`~glassbox.surrogate.fidelity_frontier`.

    Attributes
    ----------
    alt_text_ : str
        Set by :meth:`plot`: the figure in words, for a reader who cannot
        see it (WCAG 1.1.1).  The title, the axes and the target, each
        family's points (fidelity at each complexity, simplest first), the
        ringed students (the simplest reaching the target in each unit, and
        which of them is chosen) and the students that failed to fit.
    ax_, figure_ : matplotlib Axes and Figure, set by :meth:`plot`

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from glassbox import SparseLinearClassifier
    >>> from glassbox.plotting import FrontierDisplay
    >>> from glassbox.surrogate import fidelity_frontier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> teacher = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, y)
    >>> students = [SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=k) for k in (1, 3)]
    >>> frontier = fidelity_frontier(teacher, X, students=students, target=0.9)
    >>> display = FrontierDisplay.from_frontier(frontier).plot()
    >>> [line.get_label() for line in display.ax_.get_lines()]
    ['SparseLinearClassifier', 'target']
    >>> display.ax_.get_xlabel(), display.ax_.get_ylabel()
    ('complexity (terms)', 'agreement')
    """

    def __init__(self, frontier):
        self.frontier = frontier

    @classmethod
    def from_frontier(cls, frontier):
        """The display of a :class:`~glassbox.surrogate.FidelityFrontier` (call :meth:`plot` to draw it)."""
        return cls(frontier)

    def plot(self, ax=None):
        """Draw fidelity (y) against complexity (x); mark the target and the chosen student.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new 7 x 4.5 inch figure is created when None.

        Returns
        -------
        self : FidelityFrontierDisplay
        """
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        check_axes(ax)
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        frame = self.frontier.to_frame()
        frame = frame[frame["complexity"].notna()]  # a student that failed to fit has no point to draw
        styles = line_styles()  # families differ in marker and line style too: a greyscale copy still tells them
        for family, part in frame.groupby("family", sort=True):
            part = part.sort_values("complexity")
            ax.plot(part["complexity"], part["fidelity"], label=literal(family), **next(styles))
        if self.frontier.target is not None:
            ax.axhline(self.frontier.target, color="k", linestyle="--", linewidth=1, label="target")
        # sizes compare only within a unit: ring the simplest student of each unit, the chosen one thicker
        rows, best_index = self.frontier.rows, self.frontier.best_index
        ringed = self.frontier.best_by_unit.values()
        others = [i for i in ringed if i != best_index]
        for i in others:  # the legend names the rings once each: the thin ones, then the chosen one
            ax.scatter([rows[i]["complexity"]], [rows[i]["fidelity"]], s=160, facecolors="none", edgecolors="k",
                       linewidths=0.8, zorder=3,
                       label="simplest reaching the target in its unit" if i == others[0] else None)
        if best_index is not None:
            ax.scatter([rows[best_index]["complexity"]], [rows[best_index]["fidelity"]], s=160, facecolors="none",
                       edgecolors="k", linewidths=2.0, zorder=3,
                       label="chosen" if others else "chosen: the simplest reaching the target")
        units = list(dict.fromkeys(r["unit"] for r in rows if r["unit"] is not None))
        xlabel = "complexity (" + ", ".join(units) + (": each family in its own unit)" if len(units) > 1 else ")")
        ax.set_xlabel(literal(xlabel))
        if frame.empty:
            ax.text(0.5, 0.5, "no student fitted: see the frontier's errors", transform=ax.transAxes, ha="center")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # sizes are counts: no tick at 1.25 terms
        ax.set_ylabel(self.frontier.metric)
        title = f"Fidelity frontier: copies of {self.frontier.teacher}"
        ax.set_title(literal(title))
        if ax.get_legend_handles_labels()[0]:
            ax.legend()
        self.alt_text_ = _frontier_text(self.frontier, title, xlabel)
        self.ax_, self.figure_ = ax, ax.figure
        return self


def _frontier_text(frontier, title, xlabel):
    """The text alternative of a frontier plot: sizes and figures as the frontier's printout writes them."""
    rows, metric = frontier.rows, frontier.metric
    sentences = [f"Lines of {metric} against {xlabel}, one per family"]
    if frontier.target is not None:
        sentences[0] += f"; dashed line at the target {format_number(frontier.target)}"

    def fidelity(row):  # a fitted student whose metric is undefined (a constant teacher's R²) has no point
        value = row["fidelity"]
        return "n/a" if value is None or value != value else format_number(value)

    drawn = [row for row in rows if row["complexity"] is not None]  # a student that failed to fit has no point
    families = []
    for family in sorted({row["family"] for row in drawn}):
        points = sorted((row for row in drawn if row["family"] == family), key=lambda row: row["complexity"])
        families.append(f"{family}: " + ", ".join(f"{fidelity(row)} at {size_text(row['complexity'], row['unit'])}"
                                                   for row in points))
    sentences.append("Points: " + listed(families))
    if frontier.target is not None:
        reached = f"{metric} {'<=' if frontier.lower_is_better else '>='} {format_number(frontier.target)}"
        several = len(frontier.best_by_unit) > 1  # one ringed per unit: the chosen one has the thicker ring
        chosen = ", the most faithful of these, chosen (thicker ring)" if several else ""
        ringed = [f"{rows[i]['family']} with {size_text(rows[i]['complexity'], rows[i]['unit'])} ({fidelity(rows[i])})"
                  + (chosen if i == frontier.best_index else "") for i in sorted(frontier.best_by_unit.values())]
        sentences.append(f"Ringed: the simplest student reaching {reached}{' in each unit' if several else ''}: "
                         f"{listed(ringed)}")
    failed = [row["family"] for row in rows if row["complexity"] is None]
    if failed:
        sentences.append(f"Not drawn, failed to fit: {listed(failed)}")
    return figure_text(title, sentences)


FrontierDisplay = FidelityFrontierDisplay
