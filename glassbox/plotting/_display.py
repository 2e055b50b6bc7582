"""Helpers shared by the glassbox displays.

Every display follows scikit-learn's Display pattern (``RocCurveDisplay``):
the constructor stores plain data, ``plot(ax=None, ...)`` draws it and keeps
``ax_`` and ``figure_``, and the ``from_estimator`` / ``from_explanation``
class methods compute the data and call ``plot``.

matplotlib is imported only inside the functions here, so ``import glassbox``
and ``import glassbox.plotting`` never import it.
"""

import textwrap

import numpy as np

from ..explain._checks import check_limit
from ..explain._equality import label_position
from ..explain._render import format_number
from ..utils.validation import capped_list, plain_value

PLOT_EXTRA_HINT = 'Install it with `pip install matplotlib` (or `pip install "glassbox[plot]"`).'


def import_pyplot():
    """Import ``matplotlib.pyplot`` on first use, with an actionable error if absent."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is installed in the test extras
        raise ImportError(f"glassbox.plotting needs matplotlib. {PLOT_EXTRA_HINT}") from exc
    return plt


def literal(text):
    """``text`` as matplotlib should print it: literally.

    matplotlib reads text between two ``$`` as mathtext, so a feature named
    ``cost in $ per $unit`` would print in italics and one named ``a$b^$``
    would make drawing the figure fail.  Escaped dollars print as themselves.
    """
    return str(text).replace("$", r"\$")


def literals(texts):
    return [literal(t) for t in texts]


def axes_and_figure(ax, n_rows=None, n_columns=None, layout="constrained"):
    """Return ``(ax, figure)``, creating a new figure when ``ax`` is None.

    ``n_rows`` / ``n_columns``: labels the plot stacks vertically / places side
    by side; a new figure is made tall (about 0.3 inch a row) or wide (0.25
    inch a column) enough for them not to overlap.  ``layout``: the new
    figure's layout engine; constrained layout keeps long term labels inside
    a figure saved as created.  Displays that carve panels pass None and fit
    their own figure's margins to its labels (in a constrained figure the user
    passes, :func:`split_axes` gives the panels cells the layout places).
    """
    check_axes(ax)
    if ax is None:
        plt = import_pyplot()
        height = 4.8 if n_rows is None else max(4.8, 0.3 * n_rows + 1.2)
        width = 6.4 if n_columns is None else max(6.4, 0.25 * n_columns + 2.0)
        _, ax = plt.subplots(figsize=(width, height), layout=layout)
    return ax, ax.figure


def check_axes(ax):
    """Refuse an ``ax`` that is neither None nor one matplotlib Axes (a grid from ``plt.subplots(2, 2)``, a name),
    which would otherwise fail deep inside matplotlib with an AttributeError."""
    if ax is None or (hasattr(ax, "figure") and hasattr(ax, "transAxes")):
        return
    hint = " (plt.subplots(2, 2) returns a grid: pass one of its axes, e.g. axes[0, 1])" if hasattr(ax, "shape") else ""
    raise TypeError(f"ax must be one matplotlib Axes or None (a new figure), got {type(ax).__name__}{hint}.")


def check_max_count(value, name):
    """Refuse a cap on the rows drawn (``max_terms``) that is not a positive integer or None (a plot of no row
    draws nothing, so 0 is refused where a printout takes it)."""
    check_limit(value, name, minimum=1)


def widen_to_fit(figure, texts, axes=None, min_axes_width=3.0, pad=8.0, max_width=20.0):
    """Widen ``figure`` (a display's own) until every text in ``texts`` lies inside it and ``axes`` is wide enough.

    Constrained layout keeps tick labels inside the figure, but centres a
    title and an axis label on the axes: with long labels on the left, the
    axes sits in the right half and a long title ran off the figure's right
    edge.  Widening the figure by ``d`` widens the axes by ``d`` and moves a
    text centred on it by ``d / 2``, hence twice the overflow; a few passes
    settle the layout.  A figure without a layout engine (whose axes take a
    fixed share of its width) settles the same way.  ``axes``: the plot area,
    which long tick labels squeezed into a strip at the right; the figure is
    widened until that axes is ``min_axes_width`` inches wide.  ``pad``:
    margin in pixels; ``max_width``: inches at most.
    """
    texts = [t for t in texts if t.get_text()]
    for _ in range(4):
        figure.draw_without_rendering()  # runs the layout engine
        renderer = figure.canvas.get_renderer()
        extents = [t.get_window_extent(renderer) for t in texts]
        overflow = max([-e.x0 for e in extents] + [e.x1 - figure.bbox.width for e in extents], default=0.0)
        grow = 2 * overflow + pad if overflow > 0 else 0.0
        if axes is not None:
            grow = max(grow, min_axes_width * figure.dpi - axes.get_window_extent(renderer).width)
        if grow <= 0 or figure.get_figwidth() >= max_width:
            return
        figure.set_figwidth(min(figure.get_figwidth() + grow / figure.dpi, max_width))


def set_level_ticks(ax, positions, labels):
    """Label ``positions`` on the x axis of ``ax`` with ``labels``, turned upright when they would overlap.

    Level names side by side run into each other once there are many or they
    are long; upright (90 degrees) each takes only a line's height of the
    axis, so a figure 0.25 inch a level wide (:func:`axes_and_figure`) keeps
    them apart.  ``ax`` must be the axes whose tick labels are shown (a
    density strip sharing the x axis, not the hidden main axes).  Returns the
    tick labels.
    """
    ticks = ax.set_xticks(positions, literals(labels))
    figure = ax.figure
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    if any(left.x1 + 2 > right.x0 for left, right in zip(boxes, boxes[1:])):
        ax.tick_params(axis="x", labelrotation=90)
    return ticks


def tick_labels_in_view(axis):
    """The major tick labels of ``axis`` (an ``XAxis`` or ``YAxis``) that are drawn: those inside its view.

    A locator also labels ticks just past the view limits, which are not
    drawn and must not make a figure grow.
    """
    low, high = sorted(axis.get_view_interval())
    index = 1 if axis.axis_name == "y" else 0
    return [t for t in axis.get_ticklabels() if low <= t.get_position()[index] <= high]


def fit_margins(figure, texts, pad=4.0):
    """Grow ``figure`` (a display's own, without a layout engine) until ``texts`` clear its bottom, left and right
    edges.

    The axes keep their size in inches: the figure grows by the overflow and
    that margin takes it, for upright level names under a bar chart, an x or
    y label on two lines, or the tick labels of a colour bar.
    """
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    extents = [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text()]
    if not extents:
        return
    below = (pad - min(e.y0 for e in extents)) / figure.dpi
    left = (pad - min(e.x0 for e in extents)) / figure.dpi
    right = (max(e.x1 for e in extents) + pad - figure.bbox.width) / figure.dpi
    params = figure.subplotpars
    if below > 0:
        height = figure.get_figheight()
        figure.set_figheight(height + below)
        figure.subplots_adjust(bottom=(params.bottom * height + below) / (height + below),
                               top=1.0 - (1.0 - params.top) * height / (height + below))
    left, right = max(left, 0.0), max(right, 0.0)
    if left + right > 0:
        width = figure.get_figwidth()
        new_width = width + left + right
        figure.set_figwidth(new_width)
        figure.subplots_adjust(left=(params.left * width + left) / new_width,
                               right=1.0 - ((1.0 - params.right) * width + right) / new_width)


def short_label(text, width=60):
    """``text`` cut in the middle to at most ``width`` characters (an axis label stays legible)."""
    text = str(text)
    if len(text) <= width:
        return text
    head = (width - 1) * 2 // 3
    return text[:head] + "\u2026" + text[len(text) - (width - 1 - head):]


# Characters a line of the x label of a bar chart takes at most: the figure the display makes is widened to fit it.
BAR_CHART_LABEL_WIDTH = 100


def wrap_label(text, width=60, max_lines=2):
    """``text`` (a title or an axis label) broken onto lines of at most ``width`` characters, at spaces where it can.

    Each line of ``text`` takes at most ``max_lines`` lines; a longer one is
    first cut in the middle (:func:`short_label`), as a bar's label is, so a
    title of a very long feature name stays about as wide as the axes and as
    tall as two lines.  Displays keep the full names (``term_name``,
    ``term_names``).
    """
    lines = []
    for line in str(text).split("\n"):
        kept = width * max_lines
        wrapped = textwrap.wrap(short_label(line, kept), width, break_on_hyphens=False)
        while len(wrapped) > max_lines:  # words left room at line ends: cut a little more (one line always fits)
            kept -= 4
            wrapped = textwrap.wrap(short_label(line, kept), width, break_on_hyphens=False)
        lines.extend(wrapped or [line])
    return "\n".join(lines)


def label_bar_chart(ax, xlabel, title, own_figure):
    """Set the x label and title of a chart of one row per term, long ones wrapped; on a figure the display made,
    widen it until they and the term names fit, the plot area kept wide enough to read (long names squeezed it)."""
    ax.set_xlabel(literal(wrap_label(xlabel, width=BAR_CHART_LABEL_WIDTH)))
    if title:
        ax.set_title(literal(wrap_label(title)))
    if own_figure:
        widen_to_fit(ax.figure, [ax.title, ax.xaxis.label, *ax.get_yticklabels()], axes=ax)


def one_line(text):
    """``text`` on one line: a title or an axis label wrapped for the figure reads as one sentence."""
    return " ".join(str(text).split())


def figure_text(title, sentences):
    """A text alternative of a figure (WCAG 1.1.1): what an image's alt text or a report's caption should say for
    a reader who cannot see it.

    ``title`` as drawn (None or empty: none), then each of ``sentences`` (empty ones left out), each on one line
    and ended by a period.  The displays keep it in ``alt_text_``; every number in it is written as the figure
    shows it (:func:`~glassbox.explain._render.format_number`, :func:`factor_text` for relativities).

    Examples
    --------
    >>> figure_text("age", ["Steps of score over age", "Lowest -0.5 at age < 30."])
    'age. Steps of score over age. Lowest -0.5 at age < 30.'
    """
    parts = [one_line(part) for part in [title, *sentences] if part]
    return " ".join(part if part.endswith(".") else part + "." for part in parts)


def listed(entries, limit=None):
    """``entries`` (texts) joined by semicolons; past ``limit`` of them, how many more there are.

    >>> listed(["a: 1", "b: 2", "c: 3"], limit=2)
    'a: 1; b: 2 ... and 1 more'
    """
    entries = list(entries)
    if not entries:
        return "none"
    return capped_list(entries, limit=len(entries) if limit is None else limit, render="; ".join)


def factor_text(value):
    """A relativity (a multiplicative factor) as a display writes it: ``x1.25``."""
    return "x" + format_number(float(value))


def extremes_text(values, places, shown=format_number):
    """``"lowest A at P; highest B at Q"`` for a chart of ``values``: ``places(first, last)`` names the run of
    neighbouring positions ``first..last`` that hold the extreme (the first such run), ``shown`` writes a value;
    ``"all at A"`` when every finite value is ``A``."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.flatnonzero(np.isfinite(values))
    if len(finite) == 0:
        return ""
    if values[finite].min() == values[finite].max():  # flat: no place is lower or higher than another
        return f"all at {shown(values[finite[0]])}"
    words = []
    for word, index in (("lowest", finite[np.argmin(values[finite])]), ("highest", finite[np.argmax(values[finite])])):
        last = index
        while last + 1 < len(values) and values[last + 1] == values[index]:
            last += 1
        words.append(f"{word} {shown(values[index])} at {places(index, last)}")
    return "; ".join(words)


def bar_chart_text(title, xlabel, labels, values, order="top to bottom", limit=None):
    """A text alternative (:func:`figure_text`) of a chart of one bar per row or column.

    ``title`` and ``xlabel`` as drawn (line breaks become spaces), then each bar's label and value in ``order``
    (``labels`` and ``values`` as text), the first ``limit`` of them (None: all) and how many more there are.

    Examples
    --------
    >>> bar_chart_text("Row 3", "log-odds of yes", ["age", "income"], ["+0.8", "-0.3"])
    'Row 3. Bars (log-odds of yes), top to bottom: age: +0.8; income: -0.3.'
    """
    bars = listed((f"{one_line(label)}: {value}" for label, value in zip(labels, values)), limit)
    return figure_text(title, [f"Bars ({one_line(xlabel)}), {order}: {bars}"])


def uses_constrained_layout(figure):
    """Whether ``figure`` is laid out by matplotlib's constrained layout, which places only the axes it is told
    of: an axes carved off with :func:`split_axes` keeps its labels out of that reckoning (cut at the edge)."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    return isinstance(figure.get_layout_engine(), ConstrainedLayoutEngine)


def split_axes(ax, position, size, pad, **share):
    """Carve a new axes off ``ax`` (``position`` in right/left/top/bottom).

    The new axes takes space from ``ax`` rather than overlapping it, so the
    layout stays readable whatever figure the user passed.  ``size``: inches,
    or a share of ``ax`` such as ``"12%"``.  In a figure laid out by
    constrained layout, ``ax``'s cell of the grid is split into cells for
    ``ax`` and the new axes (:func:`_split_cell`), so the layout makes room for
    every label; elsewhere a divider carves it (``pad`` inches apart).
    """
    if uses_constrained_layout(ax.figure) and ax.get_subplotspec() is not None:
        return _split_cell(ax, position, size, **share)
    from mpl_toolkits.axes_grid1 import make_axes_locatable

    divider = getattr(ax, "_glassbox_divider", None)
    if divider is None:
        divider = make_axes_locatable(ax)
        ax._glassbox_divider = divider
    return divider.append_axes(position, size=size, pad=pad, **share)


def _split_cell(ax, position, size, **share):
    """:func:`split_axes` in a constrained-layout figure: ``ax``'s grid cell becomes a small grid of ``ax``
    and the axes carved so far, each in a cell of its own, so the layout places their labels too.

    The first carve on a side lies next to ``ax``, later ones farther out (as a divider stacks them);
    ``ax`` stays the same Axes object, moved to the middle cell.
    """
    cells = getattr(ax, "_glassbox_cells", None)
    if cells is None:
        width, height = ax.get_position().size * ax.figure.get_size_inches()  # sizes in inches become ratios of these
        cells = ax._glassbox_cells = {"spec": ax.get_subplotspec(), "inches": (width, height),
                                      "left": [], "right": [], "top": [], "bottom": []}
    across = position in ("left", "right")
    if isinstance(size, str):
        ratio = float(size.rstrip("%")) / 100.0
    else:
        ratio = float(size) / max(cells["inches"][0 if across else 1], 1e-9)
    carved = ax.figure.add_subplot(cells["spec"], **share)  # placed in its own cell just below
    cells[position].append((carved, ratio))
    columns = cells["left"][::-1] + [(ax, 1.0)] + cells["right"]
    rows = cells["top"][::-1] + [(ax, 1.0)] + cells["bottom"]
    grid = cells["spec"].subgridspec(len(rows), len(columns), width_ratios=[r for _, r in columns],
                                     height_ratios=[r for _, r in rows])
    column, row = len(cells["left"]), len(cells["top"])
    ax.set_subplotspec(grid[row, column])
    for j, (other, _) in enumerate(columns):
        if other is not ax:
            other.set_subplotspec(grid[row, j])
    for i, (other, _) in enumerate(rows):
        if other is not ax:
            other.set_subplotspec(grid[i, column])
    return carved


def carved_axes(ax):
    """``ax`` and the axes :func:`split_axes` carved off it in a constrained-layout figure (``[ax]`` elsewhere)."""
    cells = getattr(ax, "_glassbox_cells", None)
    if cells is None:
        return [ax]
    return [ax] + [other for side in ("left", "right", "top", "bottom") for other, _ in cells[side]]


def check_kind(obj, expected, display, hint):
    """Raise a TypeError naming what ``display`` needs when ``obj`` is the wrong kind."""
    if not isinstance(obj, expected):
        raise TypeError(f"{display} needs a {expected.__name__}, got {type(obj).__name__}. {hint}")


def is_search(estimator):
    """Whether ``estimator`` is a hyperparameter search (GridSearchCV, RandomizedSearchCV, ...), fitted or not."""
    return hasattr(estimator, "estimator") and (
        hasattr(estimator, "param_grid") or hasattr(estimator, "param_distributions"))


def explain_with(estimator, method, display):
    """Call ``estimator.<method>`` with a clear error for non-glassbox estimators."""
    if is_search(estimator) and not hasattr(estimator, "cv_results_"):  # a fitted one came unwrapped
        from sklearn.exceptions import NotFittedError

        raise NotFittedError(
            f"This {type(estimator).__name__} is not fitted: {display}.from_estimator draws the best estimator "
            f"a fitted search holds. Call fit(X, y) on it first, or pass a fitted glassbox estimator."
        )
    if not hasattr(estimator, method):
        from ..explain._wrapped_models import wrapped_model_note

        raise TypeError(
            f"{display}.from_estimator needs a fitted glassbox estimator (with {method}()), a fitted Pipeline "
            f"whose last step is one, or a fitted GridSearchCV / RandomizedSearchCV of one; "
            f"got {type(estimator).__name__}.{_explanation_note(estimator, display)}{wrapped_model_note(estimator)}"
        )
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(estimator)
    return getattr(estimator, method)


#: The display that draws each kind of explanation (its from_explanation), by the explanation's class name.
_DISPLAY_OF_KIND = {"ShapeFunctions": "ShapeFunctionDisplay", "CoefficientTable": "CoefficientDisplay",
                    "Scorecard": "RiskCurveDisplay", "LocalExplanation": "LocalContributionDisplay"}


def _explanation_note(obj, display):
    """For an explanation passed where a model is wanted (a model file loaded with from_json): the display and
    method that draw it; "" for anything else."""
    from ..explain.base import GlobalExplanation
    from ..explain.local import LocalExplanation

    if not isinstance(obj, (GlobalExplanation, LocalExplanation)):
        return ""
    drawn_by = _DISPLAY_OF_KIND.get(type(obj).__name__)
    how = (f"{drawn_by}.from_explanation(...) draws it" if drawn_by is not None else
           "no display draws this kind; print it, or use its to_frame()")
    return f" That is an explanation (what from_json loads, or explain_*() returns), not a model: {how}."


def explain_through(estimator, X, method, display):
    """``(explain, X, steps)``: ``<model>.<method>`` of the glassbox estimator ``display`` explains, and ``X`` as
    that estimator reads it.

    Takes what :func:`glassbox.reason_codes` takes, unwrapped the same way: a
    fitted search gives its ``best_estimator_``; a fitted Pipeline its last
    step, with ``X`` (None: no rows) through the steps before it and ``steps``
    their names (None without a pipeline).  ``method``: what the display
    calls on the model (``explain_local`` / ``explain_global``), checked.
    """
    from ..explain.reasons import _final_estimator

    model, X, _, steps = _final_estimator(estimator, X, None)
    return explain_with(model, method, display), X, steps


def refuse_wrapped(estimator, display, rows_note):
    """Raise a TypeError naming the fix when ``estimator`` is a Pipeline or a search: ``display`` works on a
    glassbox sparse linear model and the rows as it reads them (``rows_note``: which rows), which a wrapper hides."""
    from sklearn.pipeline import Pipeline

    if isinstance(estimator, Pipeline):
        raise TypeError(
            f"{display}.from_estimator needs a glassbox sparse linear model, got a Pipeline: pass its last step "
            f"and {rows_note} as that step reads them, from_estimator(pipe[-1], pipe[:-1].transform(X), y)."
        )
    if is_search(estimator):
        raise TypeError(
            f"{display}.from_estimator needs a glassbox sparse linear model, got a {type(estimator).__name__}: "
            f"pass the estimator it chose and {rows_note}, from_estimator(search.best_estimator_, X, y) (a "
            f"Pipeline chosen: its last step and the transformed X, pipe[-1] and pipe[:-1].transform(X))."
        )


class OutputChoice:
    """Which output of a model a display shows, and how to read it.

    Attributes
    ----------
    index : int or None
        Position on the trailing class axis (multiclass), else None.
    sign : {1.0, -1.0}
        -1 flips a binary model's log-odds to the other class.
    label : object or None
        The chosen class label (classifiers).
    name : str
        Axis label for the decision-function scale.
    """

    def __init__(self, index, sign, label, name):
        self.index, self.sign, self.label, self.name = index, sign, label, name

    def select(self, array, n_axes):
        """Pick this output from ``array`` whose first ``n_axes`` axes are not class axes."""
        if array is None:
            return None
        array = np.asarray(array, dtype=np.float64)
        if self.index is not None and array.ndim > n_axes:
            array = array[(slice(None),) * n_axes + (self.index,)]
        return self.sign * array


def choose_output(link, classes, has_class_axis, target_class, default=None, output_name=None):
    """Resolve ``target_class`` against a model's link and classes.

    Parameters
    ----------
    link : Link
    classes : ndarray or None
    has_class_axis : bool
        Whether the arrays carry one column per class (multiclass models).
    target_class : label or None
        Requested class; None picks ``default`` for multiclass (an error if
        ``default`` is None too) and the positive class for binary models.
    default : label or None
    output_name : str or None
        The explanation's name for a single output (e.g. ``"P(yes)"``), used to
        say why ``target_class`` does not apply to it.
    """
    labels = list(classes) if classes is not None else None
    # A column per class on an identity link (e.g. a local surrogate of class probabilities)
    # still picks a class; only a single unlabelled output is a regressor's.
    per_class = has_class_axis and labels is not None
    if not link.is_classification and not per_class:
        if target_class is not None and labels is not None:
            # e.g. a local surrogate of P(yes): a classifier's explanation, but with one output
            raise ValueError(
                f"target_class={target_class!r} does not apply: this explanation has one output "
                f"({output_name or 'prediction'}); leave target_class unset."
            )
        if target_class is not None:
            raise ValueError(f"target_class={target_class!r} only applies to classifiers; this model is a regressor.")
        return OutputChoice(None, 1.0, None, "log of predicted mean" if link.name == "log" else "prediction")
    if has_class_axis:
        if target_class is None:
            target_class = default
        if target_class is None:
            raise ValueError(f"This model has {len(labels)} classes; "
                             f"pass target_class=<one of {shown_labels(labels)}> to pick one.")
        index = class_position(labels, target_class)
        what = "decision score" if link.is_classification else "output"
        return OutputChoice(index, 1.0, labels[index], f"{what} of class {format_number(labels[index])}")
    # Binary: one decision column, the log-odds (or points) of classes[1].
    if target_class is None:
        target_class = labels[1]
    index = class_position(labels, target_class)
    sign = 1.0 if index == 1 else -1.0
    label = labels[index]
    if link.scale != 1.0:
        return OutputChoice(None, sign, label, f"points toward {format_number(label)}")
    return OutputChoice(None, sign, label, f"log-odds of {format_number(label)}")


def class_position(labels, target_class):
    """Position of ``target_class`` in ``labels``, or an error that lists the classes."""
    position = label_position(labels, target_class)  # True is not the class 1, nor [1]
    if position is not None:
        return position
    raise ValueError(f"target_class={plain_value(target_class)!r} is not one of the model's classes "
                     f"{shown_labels(labels)}.")


def shown_labels(labels):
    """Class labels as a message lists them: ['setosa', 'versicolor'], not their NumPy reprs."""
    return [plain_value(label) for label in labels]
