"""Plots of sparse linear models: coefficient bars, coefficient intervals and the regularization path."""

import numpy as np

from ..explain._equality import same_label
from ..explain._render import format_number, percent_text
from ..explain.base import INTERCEPT_TERM
from ..explain.inference import CoefficientInference
from ..explain.linear import CoefficientTable
from ..explain.links import Link
from ..utils.validation import plain_value
from ._display import (
    axes_and_figure,
    bar_chart_text,
    check_kind,
    check_max_count,
    choose_output,
    class_position,
    explain_through,
    factor_text,
    figure_text,
    label_bar_chart,
    literal,
    listed,
    literals,
    refuse_wrapped,
    short_label,
    shown_labels,
    widen_to_fit,
)
from ._palette import (
    BACKGROUND_LINE_COLOR, HATCHED_BAR_EDGES, NEGATIVE_COLOR, NEUTRAL_COLOR, POSITIVE_COLOR, line_styles, sign_hatches,
)
from ._factor_axis import factor_axis

__all__ = ["CoefficientDisplay", "CoefficientIntervalDisplay", "RegularizationPathDisplay"]

# What exp(coefficient) is on each link, and what it multiplies: the axis label of a relativity plot.
_FACTOR_WORDS = {"log": ("relativity", "the predicted mean"), "logit": ("odds ratio", "the odds")}
_LINK_SCALES = {"identity": "", "log": " (log of predicted mean)", "logit": " (log-odds)"}
_MAX_NAMED = 3  # terms at zero named under a Wald forest plot


class CoefficientDisplay:
    """Horizontal bars of a linear model's nonzero coefficients.

    Standardized coefficients (per training standard deviation) by default,
    so that bar lengths are comparable across terms; positive ones are red,
    negative ones blue and hatched (their sign reads on a greyscale printout
    too); sign-constrained terms are marked ``(>= 0)`` / ``(<= 0)`` after
    their names.  A log-link model
    (``loss="poisson"``, ``"gamma"``, ``"tweedie"``) can show its
    **relativities** instead (``relativity=True``): bars from 1 to
    ``exp(coefficient)`` on a log-scale axis labelled in plain factors, the
    factor each term puts on the predicted mean per unit of it (for the rows
    in its level, for an indicator), as the coefficient table's relativity
    column reads.  ``standardized=True`` with it draws ``exp(standardized
    coefficient)``, the factor per standard deviation, and says so on the axis.

    Term names longer than 60 characters are cut in the middle on the axis
    (``term_names`` keeps them whole), a long title or axis label is wrapped,
    and a figure the display creates is made wide enough for them, with at
    least 3 inches left for the bars.

    Parameters
    ----------
    term_names : sequence of str
    coefficients : array-like of shape (n_terms,)
        On the decision scale (the log of the mean for a log-link model).
    constraints : array-like of int, shape (n_terms,), default=None
    xlabel : str, default="standardized coefficient"
    title : str or None, default=None
    relativity : bool, default=False
        Draw ``exp(coefficients)`` as bars from 1 on a log-scale axis.

    Attributes
    ----------
    bars_ : matplotlib BarContainer
        One bar per nonzero term, largest magnitude on top.  A relativity
        whose factor is off the scale (``exp`` overflows, or is 0) runs to
        the edge of the axes.
    open_ends_ : list of matplotlib PathCollection
        The arrowheads at the ends of such bars (empty when there is none).
    alt_text_ : str
        The figure in words, for a reader who cannot see it (an image's alt
        text in a report): title, axis, then each bar's term and value, top
        to bottom.
    ax_, figure_ : matplotlib Axes and Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_diabetes
    >>> from glassbox import SparseLinearRegressor
    >>> from glassbox.plotting import CoefficientDisplay
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> model = SparseLinearRegressor(alpha=1.0).fit(X, y)
    >>> len(CoefficientDisplay.from_estimator(model).bars_) == model.n_nonzero_
    True

    The relativities of a Poisson model, per unit of each term (the table's
    ``exp(coefficient)``):

    >>> import numpy as np
    >>> counts = np.random.RandomState(0).poisson(np.exp(1 + 5 * X["bmi"]))
    >>> poisson = SparseLinearRegressor(alpha=0.01, loss="poisson").fit(X, counts)
    >>> display = CoefficientDisplay.from_estimator(poisson, relativity=True)
    >>> display.ax_.get_xscale()
    'log'
    >>> bool(np.allclose(sorted(b.get_x() + b.get_width() for b in display.bars_),
    ...                  sorted(poisson.explain_global().relativities[poisson.coef_ != 0])))
    True
    """

    def __init__(self, *, term_names, coefficients, constraints=None, xlabel="standardized coefficient", title=None,
                 relativity=False):
        self.term_names = list(term_names)
        self.coefficients = np.asarray(coefficients, dtype=np.float64)
        self.constraints = np.zeros(len(self.term_names), int) if constraints is None else np.asarray(constraints)
        self.xlabel, self.title, self.relativity = xlabel, title, relativity

    @classmethod
    def from_explanation(cls, table, *, target_class=None, standardized=None, relativity=False, ax=None,
                         max_terms=30):
        """Plot a :class:`~glassbox.explain.CoefficientTable` (``relativity=True``: a log-link model's factors).

        ``standardized=None`` (the default) draws standardized coefficients,
        or with ``relativity=True`` the table's relativities ``exp(coefficient)``
        per unit; pass True or False to choose.
        """
        check_kind(table, CoefficientTable, "CoefficientDisplay", "Use estimator.explain_global() of a linear model.")
        if relativity:
            _check_factor_link(table.link.name, ("log",))
        if standardized is None:  # a tariff's factors are the table's, per unit; bars compare per SD
            standardized = not relativity
        values = table.standardized_coefficients if standardized else table.coefficients
        choice = choose_output(table.link, table.classes, values.ndim == 2, target_class)
        kind = "standardized coefficient" if standardized else "coefficient"
        xlabel = f"{kind} ({choice.name})"
        if relativity:  # two short lines: one long line ran off a figure of default width
            xlabel = ("relativity per standard deviation, exp(standardized coefficient)\n"
                      "x factor on the predicted mean, log scale" if standardized else _factor_label("log"))
        display = cls(
            term_names=table.term_names,
            coefficients=choice.select(values, 1),
            constraints=table.constraints,
            xlabel=xlabel,
            title=table.model,
            relativity=relativity,
        )
        return display.plot(ax=ax, max_terms=max_terms)

    @classmethod
    def from_estimator(cls, estimator, *, target_class=None, standardized=None, relativity=False, ax=None,
                       max_terms=30):
        """Plot the coefficients (or, ``relativity=True``, a log-link model's relativities) of a fitted estimator.

        ``estimator`` may also be a fitted ``Pipeline`` whose last step is a
        sparse linear model (its coefficients, on that step's inputs) or a
        fitted ``GridSearchCV`` / ``RandomizedSearchCV`` (its
        ``best_estimator_``), as :func:`glassbox.reason_codes` takes them.
        """
        table = explain_through(estimator, None, "explain_global", "CoefficientDisplay")[0]()
        return cls.from_explanation(table, target_class=target_class, standardized=standardized,
                                    relativity=relativity, ax=ax, max_terms=max_terms)

    def plot(self, ax=None, *, max_terms=30):
        """Draw the bars of the ``max_terms`` largest nonzero coefficients."""
        nonzero = np.flatnonzero(self.coefficients != 0)
        order = _largest_on_top(self.coefficients, nonzero, max_terms)
        own_figure = ax is None
        ax, figure = axes_and_figure(ax, n_rows=len(order))
        marks = {1: " (>= 0)", -1: " (<= 0)", 0: ""}
        labels = [self.term_names[i] + marks[int(self.constraints[i])] for i in order]
        values = self.coefficients[order]
        # a negative coefficient is blue and hatched, as a waterfall's term that lowers the output
        style = {"color": [POSITIVE_COLOR if v > 0 else NEGATIVE_COLOR for v in values],
                 "hatch": sign_hatches(values), **HATCHED_BAR_EDGES}
        self.open_ends_ = []
        if self.relativity:  # bars from 1 to exp(coefficient): a factor and its inverse look alike
            with np.errstate(over="ignore"):
                factors = np.exp(values)
            # a factor off the scale (exp overflows, or is 0) runs to the edge of the axes, into an arrowhead
            # (a bar off the scale reaches a fifth of the span past the longest on it: it reads as longer)
            low_ends, high_ends, limits = _ends_on_the_scale(factors, factors, factors, relativity=True, margin=0.2)
            ends = np.where(np.isposinf(factors), high_ends, low_ends)
            self.bars_ = ax.barh(np.arange(len(order)), ends - 1.0, left=1.0, **style)
            factor_axis(ax.xaxis)
            if limits is not None:
                ax.set_xlim(*limits)
                self.open_ends_ = _open_ends(ax, ((ends, factors <= 0, "<"), (ends, ~np.isfinite(factors), ">")),
                                             np.full(len(order), "black"))
        else:
            self.bars_ = ax.barh(np.arange(len(order)), values, **style)
        ax.set_yticks(np.arange(len(order)), literals(short_label(label) for label in labels))
        ax.axvline(1.0 if self.relativity else 0.0, color="black", linewidth=0.8)
        xlabel = self.xlabel
        if len(order) < len(nonzero):  # the reader is told that bars are left out
            xlabel += _left_out_note(len(order), len(nonzero), "nonzero terms")
        elif len(nonzero) == 0:
            xlabel += "\n(every coefficient is zero)"
        label_bar_chart(ax, xlabel, self.title, own_figure)
        shown = [_factor_shown(v) if self.relativity else format_number(v, sign=True) for v in values]
        self.alt_text_ = bar_chart_text(self.title, xlabel, labels[::-1], shown[::-1])  # the chart's top first
        self.ax_, self.figure_ = ax, figure
        return self


def _open_ends(ax, ends, colors):
    """Arrowheads at the ends of bars that run off the scale to the edge of the axes, row ``i`` at ``y = i``.

    ``ends``: ``(drawn x, off, marker)`` per side, ``off`` the rows whose end on that side is off the scale
    and ``marker`` ``"<"`` (low side) or ``">"`` (high side); ``colors``: one per row.  Returns the markers drawn.
    """
    rows = np.arange(len(colors))
    return [ax.scatter(drawn[off], rows[off], marker=marker, s=45, c=list(colors[off]), zorder=3, clip_on=False)
            for drawn, off, marker in ends if off.any()]


class CoefficientIntervalDisplay:
    """Forest plot of a :class:`~glassbox.explain.CoefficientInference`: each coefficient and its interval.

    One row per term, the largest ``|estimate|`` on top (as
    :class:`CoefficientDisplay` orders its bars): a point at the estimate, a
    horizontal line over its confidence interval, and a vertical line at 0,
    no effect.  The title names the method and the level (``95% Wald
    intervals``).  ``relativity=True`` draws what the report's relativity
    (log link) or odds ratio (logistic) columns read: ``exp(estimate)`` and
    ``exp(lower)`` to ``exp(upper)`` on a log-scale axis labelled in plain
    factors, the line of no effect at 1; an identity-link report is refused.

    The intercept is not drawn: it is the base level, on another scale than
    the terms' effects, and would squeeze their intervals.  A bootstrap
    report labels each term with the share of refits that kept it
    (``selected 86%``) and draws the reference level of each categorical,
    which every refit holds at 0 and the other levels are read against, as a
    hollow grey point at 0 (1 for relativities) labelled ``(reference)``,
    with no interval.  A Wald report has rows for the kept terms only; the
    terms the fit set to zero are named under the axis.

    Parameters
    ----------
    term_names : sequence of str
    estimates, lower, upper : array-like of shape (n_terms,)
        On the decision scale (log of the mean, log-odds, or the target's units).
    selected : array-like of shape (n_terms,), default=None
        Bootstrap: the share of refits that kept each term, NaN for a
        reference level.
    xlabel : str, default="coefficient"
    title : str or None, default=None
    relativity : bool, default=False
        Draw ``exp()`` of the estimates and bounds on a log-scale axis.

    Attributes
    ----------
    terms_ : list of str
        The terms drawn, bottom row first.
    points_ : matplotlib PathCollection
        One point per row of ``terms_`` at its estimate (hollow for a reference level).
    intervals_ : matplotlib LineCollection
        One segment ``[(lower, row), (upper, row)]`` per row of ``terms_``.
        An end off the scale (infinite, or ``exp()`` of it 0 or overflowing on
        a relativity axis) runs to the edge of the axes instead.
    open_ends_ : list of matplotlib PathCollection
        The arrowheads (``<`` and ``>``) at the ends off the scale, one
        collection per direction (empty when every end is on the scale); the
        alt text gives such an end as it is (``inf``, ``0``).
    alt_text_ : str
        The figure in words, for a reader who cannot see it (an image's alt
        text in a report): title, axis, then each row's term, estimate and
        interval ``[lower, upper]`` as drawn, top to bottom.
    ax_, figure_ : matplotlib Axes and Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from glassbox import SparseLinearRegressor, coefficient_inference
    >>> from glassbox.plotting import CoefficientIntervalDisplay
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(500, 3))
    >>> claims = rng.poisson(np.exp(-1 + 0.4 * X[:, 0]))
    >>> glm = SparseLinearRegressor(alpha=0, loss="poisson").fit(X, claims)
    >>> inference = coefficient_inference(glm, X, claims)
    >>> display = CoefficientIntervalDisplay.from_explanation(inference, relativity=True)
    >>> display.ax_.get_title()
    'SparseLinearRegressor: 95% Wald intervals'
    >>> display.terms_[-1]  # the largest effect on top
    'x0'
    >>> frame = inference.to_frame().set_index("term")
    >>> (low, _), (high, _) = display.intervals_.get_segments()[-1]
    >>> bool(low == frame.loc["x0", "relativity_lower"] and high == frame.loc["x0", "relativity_upper"])
    True
    """

    def __init__(self, *, term_names, estimates, lower, upper, selected=None, xlabel="coefficient", title=None,
                 relativity=False):
        self.term_names = list(term_names)
        self.estimates, self.lower, self.upper = (np.asarray(v, dtype=np.float64) for v in (estimates, lower, upper))
        self.selected = None if selected is None else np.asarray(selected, dtype=np.float64)
        self.xlabel, self.title, self.relativity = xlabel, title, relativity

    @classmethod
    def from_explanation(cls, inference, *, relativity=False, target_class=None, ax=None, max_terms=30):
        """Plot a :class:`~glassbox.explain.CoefficientInference` from :func:`glassbox.coefficient_inference`.

        ``relativity=True`` draws relativities (log link) or odds ratios
        (logistic, or a multiclass Wald table's class against its reference
        class); ``target_class`` picks the class of a multiclass report.
        """
        check_kind(inference, CoefficientInference, "CoefficientIntervalDisplay",
                   "Use glassbox.coefficient_inference(model, X, y).")
        if relativity and inference.reference_class is None:
            _check_factor_link(inference.link, ("log", "logit"))
        rows, scale, chosen = _report_rows(inference, target_class)
        if inference.reference_class is not None:  # baseline-category logits: the class against the reference
            xlabel = _contrast_label(chosen, inference.reference_class, relativity)
        else:
            xlabel = _factor_label(inference.link) if relativity else "coefficient" + scale
        if inference.dropped_terms:
            named = ", ".join(short_label(term, 40) for term in inference.dropped_terms[:_MAX_NAMED])
            more = len(inference.dropped_terms) - _MAX_NAMED
            # in parentheses, as the plots' other notes: on one line (the alt text) it stays apart from the label
            xlabel += f"\n(at zero, no interval: {named}{f' and {more} more' if more > 0 else ''})"
        if inference.method == "wald" and inference.reference_levels:
            # a Wald table has no row for a categorical's base level: say what its levels are read against (the
            # bootstrap draws the base as a '(reference)' row at no effect)
            bases = ", ".join(short_label(f"{feature} == {level}", 40)
                              for feature, level in list(inference.reference_levels.items())[:_MAX_NAMED])
            more = len(inference.reference_levels) - _MAX_NAMED
            xlabel += f"\n(levels read against {bases}{f' and {more} more' if more > 0 else ''})"
        method = "Wald" if inference.method == "wald" else "bootstrap"
        title = f"{inference.model}: {percent_text(inference.level)}% {method} intervals"
        if inference.method == "bootstrap":  # a second line: one ran off a figure of default width
            title += f"\n(percentiles of {inference.n_resamples} refits)"
        display = cls(
            term_names=[inference.terms[i] for i in rows],
            estimates=inference.coefficients[rows],
            lower=inference.lower[rows],
            upper=inference.upper[rows],
            selected=None if inference.selected is None else inference.selected[rows],
            xlabel=xlabel,
            title=title,
            relativity=relativity,
        )
        return display.plot(ax=ax, max_terms=max_terms)

    @classmethod
    def from_estimator(cls, estimator, X, y, sample_weight=None, *, relativity=False, target_class=None, ax=None,
                       max_terms=30, **inference_kwargs):
        """Compute :func:`glassbox.coefficient_inference` of a fitted sparse linear model and plot it.

        ``X, y, sample_weight`` are the rows the model was fitted on;
        ``inference_kwargs`` (``method``, ``level``, ``n_resamples``, ...)
        go to :func:`~glassbox.coefficient_inference`.
        """
        from ..linear import coefficient_inference

        refuse_wrapped(estimator, "CoefficientIntervalDisplay", "the rows it was fitted on")
        inference = coefficient_inference(estimator, X, y, sample_weight, **inference_kwargs)
        return cls.from_explanation(inference, relativity=relativity, target_class=target_class, ax=ax,
                                    max_terms=max_terms)

    def plot(self, ax=None, *, max_terms=30):
        """Draw the ``max_terms`` terms of largest ``|estimate|`` (None: all), each with its interval."""
        order = _largest_on_top(self.estimates, np.arange(len(self.term_names)), max_terms)
        own_figure = ax is None
        ax, figure = axes_and_figure(ax, n_rows=len(order))
        rows = np.arange(len(order))
        with np.errstate(over="ignore"):  # exp(1000) is an end off the scale, drawn as such below
            to_axis = np.exp if self.relativity else np.asarray
            estimates, lower, upper = (to_axis(values[order]) for values in (self.estimates, self.lower, self.upper))
        shares = [None] * len(order) if self.selected is None else self.selected[order]
        # a categorical's reference level, which the others are read against: 0 in every refit, no share
        reference = np.zeros(len(order), bool) if self.selected is None else np.isnan(shares)
        colors = np.where(self.estimates[order] > 0, POSITIVE_COLOR, NEGATIVE_COLOR)
        colors[(self.estimates[order] == 0) | reference] = NEUTRAL_COLOR
        drawn_lower, drawn_upper, limits = _ends_on_the_scale(estimates, lower, upper, self.relativity)
        self.intervals_ = ax.hlines(rows, drawn_lower, drawn_upper, colors=colors, linewidth=1.6)
        # an end off the scale (infinite, or 0 on a log axis) runs to the edge of the axes, into an arrowhead
        self.open_ends_ = _open_ends(ax, [(drawn, ~np.isnan(ends) & (drawn != ends), marker) for ends, drawn, marker
                                          in ((lower, drawn_lower, "<"), (upper, drawn_upper, ">"))], colors)
        self.points_ = ax.scatter(estimates, rows, s=30, zorder=3, edgecolors=colors,
                                  facecolors=np.where(reference, "white", colors))
        if self.relativity:
            factor_axis(ax.xaxis)
        ax.axvline(1.0 if self.relativity else 0.0, color="black", linewidth=0.8)
        if limits is not None:
            ax.set_xlim(*limits)
        self.terms_ = [self.term_names[i] for i in order]
        labels = [_interval_label(term, share) for term, share in zip(self.terms_, shares)]
        ax.set_yticks(rows, literals(short_label(label) for label in labels))
        ax.set_ylim(-0.6, max(len(order), 1) - 0.4)
        xlabel = self.xlabel
        if len(order) < len(self.term_names):  # the reader is told that rows are left out
            xlabel += _left_out_note(len(order), len(self.term_names), "terms")
        label_bar_chart(ax, xlabel, self.title, own_figure)
        shown = [f"{format_number(e)} [{format_number(lo)}, {format_number(hi)}]"
                 for e, lo, hi in zip(estimates, lower, upper)]
        self.alt_text_ = bar_chart_text(self.title, xlabel, labels[::-1], shown[::-1])  # the chart's top first
        self.ax_, self.figure_ = ax, figure
        return self


class RegularizationPathDisplay:
    """Coefficients against the penalty strength, one line per term.

    Parameters
    ----------
    path : RegularizationPath
        From :func:`glassbox.linear.sparse_linear_path`.
    standardized : bool, default=True
        Plot standardized coefficients (comparable across terms).
    target_class : label or None
        Class to show for multiclass models.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One line per term.
    alt_text_ : str
        Set by :meth:`plot`: the figure in words, for a reader who cannot
        see it (WCAG 1.1.1).  The axes, the first term to enter the path,
        then each named term in the order they enter: the alpha where its
        coefficient first leaves zero and its coefficient at the smallest
        alpha (as drawn, standardized or not); how many other terms are drawn
        unnamed, and the selected alpha when marked.
    ax_, figure_ : matplotlib Axes and Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_diabetes
    >>> from glassbox import SparseLinearRegressor
    >>> from glassbox.plotting import RegularizationPathDisplay
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> display = RegularizationPathDisplay.from_estimator(SparseLinearRegressor(), X, y, n_alphas=20)
    >>> len(display.lines_)
    10
    """

    def __init__(self, *, path, standardized=True, target_class=None):
        self.path, self.standardized, self.target_class = path, standardized, target_class

    @classmethod
    def from_estimator(cls, estimator, X, y, sample_weight=None, *, alphas=None, n_alphas=50, eps=1e-3,
                       standardized=True, target_class=None, ax=None):
        """Compute the path of ``estimator``'s settings on ``(X, y)`` and plot it.

        ``estimator``: a glassbox sparse linear model (fitted or not), whose
        settings but ``alpha`` the path keeps; not a Pipeline or a search.
        """
        from ..linear import sparse_linear_path

        # another library's model is refused by sparse_linear_path itself, which takes its settings
        refuse_wrapped(estimator, "RegularizationPathDisplay", "the rows to fit the path on")
        path = sparse_linear_path(estimator, X, y, sample_weight, alphas=alphas, n_alphas=n_alphas, eps=eps)
        return cls(path=path, standardized=standardized, target_class=target_class).plot(ax=ax)

    def plot(self, ax=None, *, label_top=8, selected_alpha=None):
        """Draw the path; the ``label_top`` terms largest at the smallest alpha get a legend entry (a long name cut
        in the middle, as in :class:`CoefficientDisplay`; ``path.term_names`` has them whole).  Their lines differ
        in marker and line style as well as colour (the first eight markers are all different), so that a reader
        who cannot tell the colours apart, or reads a greyscale printout, still finds each term's line.  On a
        figure the display makes, the legend sits right of the axes (the figure widened for it), where no line runs
        under it; on an ``ax`` of yours, where matplotlib finds room.  A classifier's y axis says what the coefficients measure (log-odds of the positive class, or the decision
        score of ``target_class``)."""
        own_figure = ax is None
        ax, figure = axes_and_figure(ax)
        values = self.path.standardized_coefs if self.standardized else self.path.coefs
        values_class = None
        if values.ndim == 3:
            labels = list(self.path.classes)
            if self.target_class is None:
                raise ValueError(f"This path has {len(labels)} classes; "
                                 f"pass target_class=<one of {shown_labels(labels)}>.")
            index = class_position(labels, self.target_class)
            values, values_class = values[:, :, index], labels[index]  # the model's label, not the value passed
        top = set(np.argsort(-np.abs(values[-1]), kind="stable")[:label_top])
        self.lines_ = []
        styles = line_styles()
        # markers every few alphas: enough to match a line with its legend entry, few enough to see the line
        markevery = max(1, len(self.path.alphas) // 8)
        for t, name in enumerate(self.path.term_names):
            # the labelled terms differ in colour, marker and line style; the rest stay grey so the legend reads
            style = {"label": literal(short_label(name)), "linewidth": 1.4, "markersize": 5, "markevery": markevery,
                     **next(styles)} if t in top else {"color": BACKGROUND_LINE_COLOR, "linewidth": 0.8}
            (line,) = ax.plot(self.path.alphas, values[:, t], **style)
            self.lines_.append(line)
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.axhline(0.0, color="black", linewidth=0.8)
        if selected_alpha is not None:
            ax.axvline(selected_alpha, color="grey", linestyle="--", linewidth=1.0)
        xlabel = f"alpha ({self.path.penalty} penalty, decreasing)"
        ylabel = ("standardized coefficient" if self.standardized else "coefficient") + _path_scale(
            self.path.classes, values_class)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(literal(ylabel))
        if top and own_figure:
            # beside the axes: inside, the lines fill the plot and no corner is free of them
            legend = ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
            widen_to_fit(figure, [*legend.get_texts(), ax.xaxis.label], axes=ax)
        elif top:
            ax.legend(fontsize="small", loc="best")
        self.alt_text_ = _path_text(self.path, values, sorted(top), xlabel, ylabel, selected_alpha)
        self.ax_, self.figure_ = ax, figure
        return self


def _path_text(path, values, named, xlabel, ylabel, selected_alpha):
    """The text alternative of a regularization path: ``values`` (alphas x terms) as drawn, the terms ``named``
    in the legend described in the order they enter."""
    alphas = path.alphas
    nonzero = values != 0
    entered = np.where(nonzero.any(axis=0), nonzero.argmax(axis=0), len(alphas))  # index of the first nonzero
    order = sorted(range(len(path.term_names)), key=lambda t: (entered[t], -abs(values[-1, t])))
    sentences = [f"Lines of {ylabel} against {xlabel}, from {format_number(alphas[0])} to "
                 f"{format_number(alphas[-1])}"]
    first = entered.min(initial=len(alphas))
    if first < len(alphas):  # terms entering at one alpha together are all first
        names = " and ".join(path.term_names[t] for t in order if entered[t] == first)
        sentences.append(f"First to enter: {names}, at alpha {format_number(alphas[first])}")

    def described(t):
        if entered[t] == len(alphas):
            return f"{path.term_names[t]}: zero at every alpha"
        return (f"{path.term_names[t]}: enters at alpha {format_number(alphas[entered[t]])}, "
                f"{format_number(values[-1, t])} at the smallest alpha")

    named = set(named)
    sentences.append("Terms in the order they enter: " + listed(described(t) for t in order if t in named))
    if len(named) < len(order):
        sentences.append(f"{len(order) - len(named)} other terms drawn in grey, not named")
    if selected_alpha is not None:
        sentences.append(f"Dashed line at the selected alpha {format_number(selected_alpha)}")
    return figure_text(None, sentences)


def _path_scale(classes, target_class):
    """What a classifier's path coefficients are measured in, for the y label: a regressor's loss is not recorded
    in the path, so its label says nothing more."""
    if classes is None:
        return ""
    if target_class is not None:  # multinomial: one softmax input per class
        return f" (decision score of class {format_number(target_class)})"
    return f" (log-odds of {format_number(classes[-1])})"


def _largest_on_top(values, candidates, max_terms):
    """``candidates`` by decreasing ``|values|`` (ties in their order), the first ``max_terms``, reversed:
    the rows of a horizontal chart, bottom first, so that the largest is on top."""
    check_max_count(max_terms, "max_terms")
    candidates = np.asarray(candidates, dtype=np.intp)
    return candidates[np.argsort(-np.abs(values[candidates]), kind="stable")][:max_terms][::-1]


def _factor_shown(coefficient):
    """``x1.25``: a coefficient's factor as the relativity bars write it; ``exp(1000), off the scale`` when it
    overflows or is 0."""
    with np.errstate(over="ignore"):
        factor = np.exp(coefficient)
    if np.isfinite(factor) and factor > 0:
        return factor_text(factor)
    return f"exp({format_number(coefficient)}), off the scale"


def _ends_on_the_scale(estimates, lower, upper, relativity, margin=0.05):
    """``(lower, upper, limits)``: the interval ends as drawn, an end off the scale (infinite, or 0 or less on a
    relativity's log axis) moved to the edge of the axes ``limits``, ``margin`` of the span of the ends on the
    scale beyond them (None: every end is on the scale, matplotlib sets the limits)."""
    def on_scale(values):
        return np.isfinite(values) & (values > 0 if relativity else True)

    off_low, off_high = ~on_scale(lower) & ~np.isnan(lower), ~on_scale(upper) & ~np.isnan(upper)
    if not (off_low.any() or off_high.any()):
        return lower, upper, None
    shown = np.concatenate([values[on_scale(values)] for values in (estimates, lower, upper)]
                           + [[1.0 if relativity else 0.0]])
    low, high = shown.min(), shown.max()
    if relativity:  # the margin on the log scale
        span = np.log(high / low) or 1.0
        low, high = low * np.exp(-span * margin), high * np.exp(span * margin)
    else:
        span = (high - low) or 1.0
        low, high = low - span * margin, high + span * margin
    return np.where(off_low, low, lower), np.where(off_high, high, upper), (low, high)


def _left_out_note(shown, total, what):
    return f"\n(largest {shown} of {total} {what}; max_terms=None shows all)"


def _check_factor_link(link, allowed):
    """relativity=True draws exp(coefficient), a factor only on a log (or logit) link; say why another is refused."""
    if link in allowed:
        return
    meaning = "the factor on the predicted mean of a log-link model (loss='poisson', 'gamma' or 'tweedie')"
    if "logit" in allowed:
        meaning += " or on the odds of a binary classifier (its odds ratio)"
    raise ValueError(f"relativity=True shows exp(coefficient), {meaning}; this model's link is {link!r}: "
                     "use relativity=False.")


def _factor_label(link):
    """Axis label of ``exp(coefficient)`` per unit on ``link``, in two short lines (one ran off the figure)."""
    name, multiplies = _FACTOR_WORDS[link]
    return f"{name} exp(coefficient) per unit (indicator: for its level)\nx factor on {multiplies}, log scale"


def _contrast_label(chosen, reference, relativity):
    """Axis label of a class's coefficients read against the reference class (a multiclass Wald table)."""
    odds = f"the odds of {plain_value(chosen)} against {plain_value(reference)}"
    if relativity:
        return f"odds ratio exp(coefficient) per unit (indicator: for its level)\nx factor on {odds}, log scale"
    return f"coefficient (log of {odds})"


def _report_rows(inference, target_class):
    """Rows of ``inference`` to draw (the intercept left out), the axis's words for their scale, and their class."""
    is_term = np.array([term != INTERCEPT_TERM for term in inference.terms])
    if inference.classes is None:
        if target_class is not None:
            raise ValueError(f"target_class={target_class!r} only applies to a multiclass report; this one has "
                             "one output: leave target_class unset.")
        return np.flatnonzero(is_term), _LINK_SCALES[inference.link], None
    labels = list(dict.fromkeys(inference.classes))
    if inference.reference_class is not None:
        _check_not_reference(inference.reference_class, labels, target_class)
    choice = choose_output(Link(inference.link), np.asarray(labels).tolist(), True, target_class)
    in_class = np.array([label == choice.label for label in inference.classes])
    return np.flatnonzero(is_term & in_class), f" ({choice.name})", choice.label


def _check_not_reference(reference, labels, target_class):
    """A Wald report of a multiclass model reads each class against a reference class, which has no rows of its
    own: asking for none, or for that one, is answered with the classes it does hold."""
    against = f"reads each class against the reference class {plain_value(reference)!r}"
    if target_class is None:
        raise ValueError(f"This report {against}; pass target_class=<one of {shown_labels(labels)}> to pick one.")
    if same_label(reference, target_class):
        raise ValueError(
            f"target_class={plain_value(target_class)!r} has no rows: the report {against}. Pass one of "
            f"{shown_labels(labels)}, or compute the report with reference_class=<another class> "
            "(coefficient_inference or from_estimator take it) to read this one against it."
        )


def _interval_label(term, share):
    """A row's label: the term, and a bootstrap's share of refits that kept it (or that it is the reference)."""
    if share is None:
        return term
    return f"{term} (reference)" if np.isnan(share) else f"{term} (selected {share:.0%})"
