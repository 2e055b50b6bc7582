"""Plot one shape function of an additive model (a main effect or a pair)."""

import textwrap

import numpy as np

from ..explain._columns import RawColumns
from ..explain.shapes import PAIR_SEPARATOR, ShapeFunctions, ShapeTerm
from ..explain.terms import FeatureBins
from ._bin_axis import (
    X_LABEL_WIDTH,
    Y_LABEL_WIDTH,
    bin_counts,
    density_histogram,
    drawn_as_bars,
    numeric_axis,
    share_text,
    term_ranges,
    write_share,
)
from ._display import (
    OutputChoice,
    axes_and_figure,
    check_kind,
    choose_output,
    explain_through,
    fit_margins,
    literal,
    set_level_ticks,
    short_label,
    split_axes,
    tick_labels_in_view,
    widen_to_fit,
    wrap_label,
)
from ._palette import BAND_FILL_ALPHA, NEGATIVE_COLOR, NEUTRAL_COLOR
from ._factor_axis import factor_axis
from ._shape_pair import PairHeatmap
from ._shape_text import MONOTONE_WORDS, shape_text

__all__ = ["ShapeFunctionDisplay"]

_MONOTONE_TEXT = {1: f"{MONOTONE_WORDS[1]} \u2191", -1: f"{MONOTONE_WORDS[-1]} \u2193"}


class ShapeFunctionDisplay(PairHeatmap):
    """Shape function of one term of an additive model.

    A numeric main effect is a step function over its bins: the steps change
    at the bin thresholds, exactly where the model's output can change.  A
    categorical main effect is one bar per level, a boolean one two bars
    labelled False and True; level names that would overlap side by side
    stand upright, and a figure the display creates is made tall enough for
    them.  A long feature name is wrapped onto two lines of at most 60
    characters in the title (cut in the middle beyond that; ``term_name``
    keeps it whole) and in the axis labels, and a figure the display creates
    grows until its labels lie inside it.  The score of missing values
    is drawn in a panel of its own at the right, an uncertainty band is drawn
    from ``lower``/``upper``, and the training density of each bin in a strip
    below.  A monotonic constraint is written on the plot, and so are the
    edits a reviewer made to the term after fitting (``edits``; the title then
    says "edited").  A pairwise
    interaction is a heatmap over the value bins of its two features, the
    cells of each feature's missing values in a strip beside it (right: the
    first feature's, top: the second's) on the same colour scale; a figure
    the display creates is made wide and tall enough for the levels it names
    across and up the side.

    A numeric feature's end bins are drawn to its training minimum and
    maximum (``value_ranges``, which the explanation records), so the x axis
    spans the values the training rows held.  A bin all of whose training
    values are one value ``v`` (the last bin when the maximum is the last
    threshold, as for ``ca`` in 0..3 with thresholds 1, 2, 3; a constant
    feature) has no width of its own: it is drawn as wide as its neighbouring
    bin (``[3, 4)`` for ``ca``, as wide as the bins of 0, 1 and 2; one unit
    when no bin has a width), and the density strip does not divide its share
    by that width but shades the bin and writes its share (``"6.6% at 3"``).
    Without a recorded range (a term built by hand, a model saved before
    ranges were recorded) the end bins are open intervals drawn a tenth of
    the threshold range wide (one unit with at most one threshold); the plot
    says so (``range_note_``) and the density strip writes the end bins'
    shares instead of drawing a density over the made-up width.  The density
    strip shows the share per unit of the other bins, so its area over a bin
    is the bin's share; with more than 40 value bins it sums them on a
    regular grid of 40 bars (each bin's share spread over the grid bars its
    interval overlaps).

    Build it with :meth:`from_estimator` or :meth:`from_explanation`; the
    constructor only stores data (checking that ``value_ranges`` fit the
    bins: one ``(min, max)`` per numeric feature).

    Parameters
    ----------
    bins : FeatureBins or tuple of one or two FeatureBins
        How the term's feature(s) are binned.
    scores : array-like
        Score of every bin (``(n_bins,)`` or ``(n_bins_1, n_bins_2)``),
        including the missing (and, for categoricals, unseen) bins, for one
        output.
    lower, upper : array-like or None, default=None
        Uncertainty band of each score.
    band_label : str or None, default=None
        What the band is (``ShapeFunctions.band``, e.g. ``"±1 SD across 8
        bags"``); shown in the legend.  None: "uncertainty band".
    density : array-like or None, default=None
        Training weight (or count) of each bin; drawn as shares.
    constraint : {-1, 0, 1} or tuple of two, default=0
        Monotonic constraint of a main effect; for a pair, one per feature
        (``(1, 0)``: monotone increasing in the first), as ``ShapeTerm.constraints``
        holds them (0 alone: none).
    term_name : str or None, default=None
        Defaults to the feature name(s).
    output_name : str, default="score"
        What the scores measure (``"log-odds of yes"``, ...).
    edits : sequence of str or None, default=None
        What edits after fitting did to the term (from the model's
        ``edits_``, as :meth:`from_explanation` passes them); written on the
        plot.
    relativity : bool, default=False
        ``scores`` (and the band) are a log-link model's relativities
        ``exp(score)``: a main effect is drawn from 1 on a log axis, a pair
        as a heatmap on a log colour scale centred on 1 (``from_explanation(...,
        relativity=True)`` converts them).
    value_ranges : sequence or None, default=None
        Training ``(minimum, maximum)`` of each feature of the term (None for a
        categorical one), as ``ShapeTerm.value_ranges`` holds them; a main
        effect may pass its one pair.  The end bins are drawn to them.  None:
        not known, the end bins are drawn as open intervals over a pad (see
        above).

    Attributes
    ----------
    ax_ : matplotlib Axes
        The main axes (the step plot, bars or heatmap).
    figure_ : matplotlib Figure
    line_ : matplotlib StepPatch or None
        Numeric main effect: the steps; ``line_.get_data()`` gives the scores
        of the value bins and the bin edges.
    bars_ : matplotlib BarContainer or None
        Categorical main effect: one bar per level.
    band_ : artist or None
        The uncertainty band (a filled StepPatch with dotted edges, or error bars on categories).
    legend_ : matplotlib Legend or None
        Names the band (``band_label``) when one is drawn.
    ax_missing_ : matplotlib Axes or None
        Panel holding the missing-value bin (shown when that bin has training
        weight, or a non-zero score when no density is known).
    missing_bar_ : matplotlib BarContainer or None
    ax_density_ : matplotlib Axes or None
        Strip with the training density of each bin.
    density_notes_ : list of matplotlib Text
        Numeric main effect: the shares the density strip writes instead of a
        density, one per bin without a width of its own (a single training
        value, or an open end bin when the range is unknown).  Categorical
        main effect: the share of the rows of ``X`` in levels unseen in
        training, which no bar holds (``"unseen levels: 20.0%"``).
    range_note_ : matplotlib Text or None
        The note that the end bins are open, drawn when the training range of
        a numeric feature is not known.
    constraint_text_ : matplotlib Text or None
        The monotonic-constraint annotation (a pair's: one line per
        constrained feature, ``monotone increasing in age``, as the
        explanation's printout writes it).
    flat_note_ : matplotlib Text or None
        Pair term whose drawn cells all score 0 (relativity 1): the note
        saying so (``every cell scores 0: this pair changes no prediction``),
        drawn instead of a colour bar.
    edits_text_ : matplotlib Text or None
        The annotation listing the term's edits (``edited: ...``), when edited.
    mesh_ : matplotlib QuadMesh or None
        Pair term: the heatmap (rows: second feature, columns: first).
    missing_strips_ : dict
        Pair term: for each feature whose missing bin is drawn, the
        QuadMesh of its strip (its cells across the other feature's value
        bins; ``.axes`` is the strip).  Empty for a main effect.
    hatched_cells_ : list of matplotlib PatchCollection
        Pair term: the hatching over the cells below the centre of the
        colour scale (0, or 1 for relativities), on the heatmap first, then on
        each missing strip; the colour bar is hatched below its centre too.
        The two ends of the diverging map print as the same grey: the hatching
        tells them apart.  Empty for a main effect, or with a hatch of None.
    colorbar_ : matplotlib Colorbar or None
    alt_text_ : str
        Set by :meth:`plot`: the figure in words, for a reader who cannot
        see it (WCAG 1.1.1).  The title, then for a numeric main effect what
        the scores measure, the feature's training range, the steps'
        direction (and a monotone constraint), the lowest and highest score
        and the bins where they lie, and the missing values' score, band,
        density strip and edits when drawn; for a categorical one each
        level's score left to right (the first 20, then how many more and
        the extremes); for a pair the two features, the cells holding the
        lowest and highest score and the range of each missing strip.  Scores
        are written as the plot shows them (relativities as factors,
        ``x1.25``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from glassbox.explain import FeatureBins
    >>> from glassbox.plotting import ShapeFunctionDisplay
    >>> bins = FeatureBins("age", "numeric", thresholds=[30.0, 50.0])
    >>> display = ShapeFunctionDisplay(bins=bins, scores=[-0.5, 0.1, 0.7, 0.0]).plot()
    >>> values, edges, _ = display.line_.get_data()
    >>> values.tolist(), edges[1:-1].tolist()
    ([-0.5, 0.1, 0.7], [30.0, 50.0])
    """

    def __init__(
        self,
        *,
        bins,
        scores,
        lower=None,
        upper=None,
        band_label=None,
        density=None,
        constraint=0,
        term_name=None,
        output_name="score",
        edits=None,
        relativity=False,
        value_ranges=None,
    ):
        self.bins = (bins,) if isinstance(bins, FeatureBins) else tuple(bins)
        self.value_ranges = term_ranges(value_ranges, len(self.bins))
        self.scores = np.asarray(scores, dtype=np.float64)
        self.lower = None if lower is None else np.asarray(lower, dtype=np.float64)
        self.upper = None if upper is None else np.asarray(upper, dtype=np.float64)
        self.band_label = band_label
        self.density = None if density is None else np.asarray(density, dtype=np.float64)
        self.constraint = _constraint_of(constraint, len(self.bins))
        self.term_name = term_name if term_name is not None else PAIR_SEPARATOR.join(b.feature for b in self.bins)
        self.output_name = output_name
        self.edits = tuple(str(e) for e in edits) if edits else ()
        # scores (and band) are relativities exp(score): drawn from 1 on a log axis
        self.relativity = bool(relativity)

    @property
    def _baseline(self):
        """Where a bin that changes nothing is drawn: score 0, or relativity 1."""
        return 1.0 if self.relativity else 0.0

    # -- validation ----------------------------------------------------------------
    def _check(self):
        if len(self.bins) not in (1, 2) or not all(isinstance(b, FeatureBins) for b in self.bins):
            raise TypeError("bins must be one FeatureBins (main effect) or a tuple of two (pair).")
        expected = tuple(b.n_bins for b in self.bins)
        for name in ("scores", "lower", "upper", "density"):
            array = getattr(self, name)
            if array is not None and array.shape != expected:
                raise ValueError(
                    f"{name} has shape {array.shape} but the bins of {self.term_name!r} need {expected}"
                    + (" (pick one class of a multiclass model with target_class)."
                       if array.ndim > len(expected) else ".")
                )
        if (self.lower is None) != (self.upper is None):
            raise ValueError("Pass both lower and upper for an uncertainty band, or neither.")

    # -- drawing -------------------------------------------------------------------
    def plot(
        self,
        ax=None,
        *,
        show_missing="auto",
        show_density=True,
        show_band=True,
        color=NEGATIVE_COLOR,
        cmap="RdBu_r",
        **kwargs,
    ):
        """Draw the shape function.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when None.  Panels for
            missing values and density are carved out of it.
        show_missing : {"auto", True, False}, default="auto"
            Panel for the missing-value bin (a pair: a strip for each
            feature's).  "auto" shows it when that bin had training weight
            (or, without a density, a non-zero score).
        show_density : bool, default=True
            Strip with the density of each bin (when ``density`` is known).
        show_band : bool, default=True
            Uncertainty band (when ``lower``/``upper`` are known).
        color : color, default="#1f77b4"
            Colour of the steps or bars.
        cmap : str or Colormap, default="RdBu_r"
            Colour map of a pair's heatmap (centred on zero).
        **kwargs
            Passed to matplotlib for the main artist: ``stairs`` (numeric),
            ``bar`` (categorical or boolean) or ``pcolormesh`` (pair).  A
            pair's ``hatch`` is instead the hatch of its cells below the
            centre (None: no hatching).

        Returns
        -------
        self : ShapeFunctionDisplay
        """
        if show_missing not in ("auto", True, False):
            raise ValueError(f"show_missing must be 'auto', True or False, got {show_missing!r}.")
        self._check()
        # levels named along an axis: a figure the display makes is wide (tall, for a pair's second feature) for them
        levels = [b.n_value_bins if drawn_as_bars(b) else None for b in self.bins]
        own_figure = ax is None
        ax, figure = axes_and_figure(ax, n_columns=levels[0], n_rows=levels[1] if len(levels) == 2 else None,
                                     layout=None)  # its panels come from split_axes
        self._reset_artists(ax, figure)
        if len(self.bins) == 2:
            title = self._plot_pair(ax, cmap, kwargs, show_missing)
            self._mark_edits(ax)
            if drawn_as_bars(self.bins[0]):
                self._label_levels(self.bins[0])
        else:
            title = self._plot_main(ax, show_missing, show_density, show_band, color, kwargs)
        self._clear_strip_label()
        self._fit_own_figure(own_figure)
        self._separate_notes()
        self.alt_text_ = shape_text(self, title)
        return self

    def _reset_artists(self, ax, figure):
        """Point the fitted attributes at this drawing: the axes, and None (or empty) for every artist not yet drawn."""
        self.ax_, self.figure_ = ax, figure
        self.line_ = self.bars_ = self.band_ = self.legend_ = self.mesh_ = self.colorbar_ = None
        self.ax_missing_ = self.missing_bar_ = self.ax_density_ = self.constraint_text_ = self.edits_text_ = None
        self.missing_strips_, self.hatched_cells_ = {}, []
        self.density_notes_, self.range_note_, self.flat_note_ = [], None, None

    def _plot_main(self, ax, show_missing, show_density, show_band, color, kwargs):
        """Draw a main effect: steps or bars with their band, baseline, labels and notes, then the missing-value
        panel and the density strip carved out of ``ax``; return the title drawn."""
        bins = self.bins[0]
        if not drawn_as_bars(bins):
            self._plot_numeric(ax, bins, show_band, color, kwargs)
        else:
            self._plot_categorical(ax, bins, show_band, color, kwargs)
        ax.axhline(self._baseline, color="black", linewidth=0.6)
        if self.relativity:
            factor_axis(ax.yaxis)
        ax.set_ylabel(literal(wrap_label(self.output_name, width=Y_LABEL_WIDTH)))
        title = self.term_name
        if self.constraint in _MONOTONE_TEXT:
            self._mark_constraint(ax, _MONOTONE_TEXT[self.constraint])
        title = self._edited_title(title)
        ax.set_title(literal(wrap_label(title)))
        self._mark_edits(ax)
        if self._missing_shown(show_missing, bins):
            self._plot_missing(ax, bins, show_band, color)
        if show_density and self.density is not None:
            self._plot_density(ax, bins)
        if drawn_as_bars(bins):
            self._label_levels(bins)
        if self.band_ is not None:
            self._place_legend(ax)
        return title

    def _place_legend(self, ax):
        """Name the band in a legend, in the corner free of notes that the steps and band cross least.

        matplotlib's ``loc="best"`` counts a step line once however much of
        a corner it fills, and the threshold ticks along the bottom as a line
        too: it put the legend over the top of a rising shape.  Here each
        corner counts the steps' and band's vertices under the legend.
        """
        style = {"handles": [self.band_], "labels": [self._band_text()], "fontsize": "small"}
        if self.line_ is None:  # bars: "best" weighs each bar's box
            self.legend_ = ax.legend(loc="best", **style)
            return
        legend = ax.legend(loc="upper right", **style)
        renderer = self.figure_.canvas.get_renderer()
        width, height = legend.get_window_extent(renderer).size
        legend.remove()
        ax.get_xlim(), ax.get_ylim()  # the view limits, autoscaled, before data turn into pixels
        points = np.vstack([artist.get_transform().transform(artist.get_path().vertices)
                            for artist in (self.line_, self.band_)])
        box, pad = ax.get_window_extent(renderer), 0.5 * legend.get_texts()[0].get_fontsize() * self.figure_.dpi / 72
        taken = {"upper left": self.constraint_text_, "lower left": self.range_note_, "lower right": self.edits_text_}
        crossed = {}
        for corner in ("upper right", "lower right", "upper left", "lower left"):
            if taken.get(corner) is not None:
                continue
            top = corner.startswith("upper")
            x0 = box.x1 - pad - width if corner.endswith("right") else box.x0 + pad
            y0 = box.y1 - pad - height if top else box.y0 + pad
            inside = ((points[:, 0] >= x0) & (points[:, 0] <= x0 + width)
                      & (points[:, 1] >= y0) & (points[:, 1] <= y0 + height))
            crossed[corner] = int(inside.sum())
        loc = min(crossed, key=crossed.get) if crossed else "best"  # the first corner in ties
        self.legend_ = ax.legend(loc=loc, **style)

    def _fit_own_figure(self, own_figure):
        """Grow a figure the display made until its labels lie inside it: margins for upright level names, labels
        on two lines and a colour bar's ticks; the width for a title or x label wider than the axes."""
        if own_figure:
            shown = self.ax_density_ if self.ax_density_ is not None else self.ax_
            bar = [] if self.colorbar_ is None else [*tick_labels_in_view(self.colorbar_.ax.yaxis),
                                                     self.colorbar_.ax.yaxis.label]
            strips = [label for mesh in self.missing_strips_.values() for label in mesh.axes.get_xticklabels()]
            fit_margins(self.figure_, [*tick_labels_in_view(shown.xaxis), shown.xaxis.label,
                                       *tick_labels_in_view(self.ax_.yaxis), self.ax_.yaxis.label, *bar, *strips])
            widen_to_fit(self.figure_, [self.ax_.title, shown.xaxis.label])

    def _label_levels(self, bins):
        """Name each bar under the axes that shows the x labels (the density strip when drawn, which shares the
        main axes' ticks): upright when side by side they would overlap (:meth:`_fit_own_figure` makes a figure the
        display created tall enough for them)."""
        shown = self.ax_density_ if self.ax_density_ is not None else self.ax_
        labels = [short_label(label, 30) for label in bins.bin_labels()[: bins.n_value_bins]]
        set_level_ticks(shown, np.arange(bins.n_value_bins), labels)

    def _mark_constraint(self, ax, text):
        """Write a monotonic constraint in the top left corner, in a box (a main effect's and a pair's alike)."""
        self.constraint_text_ = ax.text(
            0.02, 0.96, text, transform=ax.transAxes, ha="left", va="top", fontsize="small",
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": NEUTRAL_COLOR},
        )

    def _edited_title(self, title):
        return f"{title} (edited)" if self.edits else title

    def _mark_edits(self, ax):
        """Write the term's edits in the bottom right corner: a reader sees at once the shape is not as fitted."""
        if not self.edits:
            return
        text = "\n".join(textwrap.fill(f"edited: {edit}", width=48, subsequent_indent="  ") for edit in self.edits)
        self.edits_text_ = ax.text(
            0.98, 0.03, literal(text), transform=ax.transAxes, ha="right", va="bottom", fontsize="small",
            bbox={"boxstyle": "round", "facecolor": "#fff3cd", "edgecolor": NEGATIVE_COLOR},
        )

    def _clear_strip_label(self):
        """Stand the label of a pair's right strip (the first feature missing) upright when, side by side, it would
        run into the heatmap's last x tick label (a range ending on a round number puts one at the edge)."""
        mesh = self.missing_strips_.get(self.bins[0].feature) if len(self.bins) == 2 else None
        if mesh is None:
            return
        self.figure_.draw_without_rendering()
        renderer = self.figure_.canvas.get_renderer()
        labels = [t.get_window_extent(renderer) for t in mesh.axes.get_xticklabels() if t.get_text()]
        ticks = [t.get_window_extent(renderer) for t in tick_labels_in_view(self.ax_.xaxis) if t.get_text()]
        if any(label.overlaps(tick) for label in labels for tick in ticks):
            mesh.axes.tick_params(axis="x", labelrotation=90)

    def _separate_notes(self):
        """Lift the edits above the open-end note when, side by side in the bottom corners, they would overlap."""
        if self.range_note_ is None or self.edits_text_ is None:
            return
        renderer = self.figure_.canvas.get_renderer()
        # each note's box reaches its round pad (0.3 of the font size) beyond the text
        texts = (self.range_note_, self.edits_text_)
        pads = [0.3 * text.get_fontsize() * self.figure_.dpi / 72.0 + 2.0 for text in texts]
        note, edits = (text.get_window_extent(renderer) for text in texts)
        if note.x1 + pads[0] + pads[1] < edits.x0:
            return
        to_axes = self.ax_.transAxes.inverted()
        top = to_axes.transform((0.0, note.y1 + pads[0] + pads[1] + 2.0))[1]
        self.edits_text_.set_y(top)

    def _band_text(self):
        return literal(self.band_label) if self.band_label else "uncertainty band"

    def _value_slice(self, array, bins):
        return None if array is None else array[: bins.n_value_bins]

    def _axis(self, position):
        """The :class:`NumericAxis` of the term's feature at ``position``."""
        return numeric_axis(self.bins[position], self.value_ranges[position])

    def _note_open_ends(self, ax, axes):
        """Say on the plot that end bins are drawn over a pad, when a numeric feature's range is not known."""
        if not any(axis.open_ends for axis in axes):
            return
        self.range_note_ = ax.text(
            0.02, 0.03, "end bins open: training range not recorded, drawn not to scale", transform=ax.transAxes,
            ha="left", va="bottom", fontsize="small",
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": NEUTRAL_COLOR},
        )

    def _plot_numeric(self, ax, bins, show_band, color, kwargs):
        axis = self._axis(0)
        edges = axis.edges
        values = self._value_slice(self.scores, bins)
        if show_band and self.lower is not None:
            from matplotlib.colors import to_rgba

            # a pale fill would fade on a printout (1.4:1 on white): the band's edges are drawn in the line's colour
            self.band_ = ax.stairs(
                self._value_slice(self.upper, bins), edges, baseline=self._value_slice(self.lower, bins),
                fill=True, facecolor=to_rgba(color, BAND_FILL_ALPHA), edgecolor=color, linewidth=0.6,
                linestyle=":", label=self._band_text(),
            )
            self.band_.sticky_edges.y[:] = []  # keep a margin below the band, as for any data
        style = {"linewidth": 2, "label": "score", **kwargs}
        self.line_ = ax.stairs(values, edges, baseline=None, color=color, **style)
        # Short ticks at the thresholds: where the shape can step, which is
        # also where the training data is dense (thresholds are quantiles).
        ax.plot(bins.thresholds, np.zeros(len(bins.thresholds)), "|", color=NEUTRAL_COLOR, markersize=8, transform=ax.get_xaxis_transform())
        ax.set_xlim(edges[0], edges[-1])
        ax.set_xlabel(literal(wrap_label(bins.feature, width=X_LABEL_WIDTH)))
        self._note_open_ends(ax, [axis])

    def _plot_categorical(self, ax, bins, show_band, color, kwargs):
        positions = np.arange(bins.n_value_bins)
        values = self._value_slice(self.scores, bins)
        base = self._baseline
        self.bars_ = ax.bar(positions, values - base, bottom=base, color=color, **{"width": 0.7, **kwargs})
        if show_band and self.lower is not None:
            self.band_ = _error_bars(ax, positions, values, self._value_slice(self.lower, bins), self._value_slice(self.upper, bins))
        ax.set_xlim(-0.6, bins.n_value_bins - 0.4)
        ax.set_xlabel(literal(wrap_label(bins.feature, width=X_LABEL_WIDTH)))

    def _missing_shown(self, show_missing, bins):
        if show_missing != "auto":
            return show_missing
        if self.density is not None:
            return self.density[bins.missing_bin] > 0
        return self.scores[bins.missing_bin] != self._baseline

    def _plot_missing(self, ax, bins, show_band, color):
        panel = split_axes(ax, "right", size="12%", pad=0.1, sharey=ax)
        index = bins.missing_bin
        base = self._baseline
        self.missing_bar_ = panel.bar([0], [self.scores[index] - base], bottom=base, color=color, width=0.6, hatch="//",
                                      alpha=0.8)
        if show_band and self.lower is not None:
            _error_bars(panel, [0], [self.scores[index]], [self.lower[index]], [self.upper[index]])
        label = "missing"
        if self.density is not None and self.density.sum() > 0:
            label += "\n" + share_text(self.density[index] / self.density.sum())
        panel.set_xticks([0], [label])
        panel.set_xlim(-0.6, 0.6)
        panel.axhline(base, color="black", linewidth=0.6)
        panel.tick_params(axis="y", which="both", labelleft=False)
        self.ax_missing_ = panel

    def _plot_density(self, ax, bins):
        strip = split_axes(ax, "bottom", size="25%", pad=0.15, sharex=ax)
        total = self.density.sum()
        shares = self.density / total if total > 0 else self.density
        values = shares[: bins.n_value_bins]
        if not drawn_as_bars(bins):
            axis = self._axis(0)
            edges, heights = density_histogram(axis.edges, values, widthless=list(axis.widthless))
            strip.stairs(heights, edges, fill=True, color=NEUTRAL_COLOR)
            self.density_notes_ = [write_share(strip, axis, b, values[b]) for b in axis.widthless]
            strip.set_ylabel("density", fontsize="small")
        else:
            strip.bar(np.arange(bins.n_value_bins), values, color=NEUTRAL_COLOR, width=0.7)
            strip.set_ylabel("share", fontsize="small")
            unseen = self._unseen_share(bins)
            if unseen:  # rows of X in levels the model never saw: their share is in no bar, so say it
                self.density_notes_ = [strip.text(0.99, 0.95, f"unseen levels: {share_text(unseen)}",
                                                  transform=strip.transAxes, ha="right", va="top", fontsize="small")]
                # headroom above the tallest bar, so that the note never covers one
                strip.set_ylim(0.0, max(float(values.max()), 1e-12) * 1.6)
        strip.set_yticks([])
        strip.set_xlabel(ax.get_xlabel())
        ax.set_xlabel("")
        ax.tick_params(axis="x", labelbottom=False)
        self.ax_density_ = strip

    def _unseen_share(self, bins):
        """Share of the density's rows in categories unseen in training (only X passed to the display has them)."""
        if bins.kind != "categorical" or self.density is None or self.density.sum() <= 0:
            return 0.0
        return float(self.density[bins.unseen_bin] / self.density.sum())

    # -- constructors --------------------------------------------------------------
    @classmethod
    def from_explanation(cls, explanation, term=None, *, target_class=None, X=None, relativity=False, ax=None,
                         **plot_kwargs):
        """Plot one term of a :class:`~glassbox.explain.ShapeFunctions`.

        Parameters
        ----------
        explanation : ShapeFunctions or ShapeTerm
            From ``estimator.explain_global()``; a lone ``ShapeTerm`` works too.
        term : str or int or None, default=None
            The term's name (``"age"``, ``"age x income"``) or index.  May be
            omitted when there is only one term.
        target_class : class label or None, default=None
            Classifiers: whose scores to draw.  Binary models default to the
            positive class ``classes[1]`` (``classes[0]`` flips the signs);
            multiclass models need it.  With a lone ``ShapeTerm`` of a
            multiclass model, pass the class's index.
        X : array-like or DataFrame or None, default=None
            Data whose distribution over the bins is drawn as the density
            (instead of the training density stored in the term).
        relativity : bool, default=False
            A log-link model's main effect as relativities ``exp(score)``, the
            factor each bin puts on the predicted mean, drawn from 1 on a log
            axis (a factor and its inverse look alike), band included.
        ax : matplotlib Axes, default=None
        **plot_kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        ShapeFunctionDisplay
        """
        if isinstance(explanation, ShapeTerm):
            if term is not None:
                raise TypeError("Pass term only with a ShapeFunctions explanation, not with a lone ShapeTerm.")
            if relativity:
                raise ValueError("relativity=True needs the ShapeFunctions explanation (its link), not a lone ShapeTerm.")
            return cls._from_term(explanation, None, target_class, X).plot(ax=ax, **plot_kwargs)
        check_kind(
            explanation,
            ShapeFunctions,
            cls.__name__,
            "Shape functions come from additive models (GAMs); other families have their own displays.",
        )
        shape_term, name = _find_term(explanation, term)
        if relativity:
            _check_relativity(explanation, shape_term)
        edits = [edit.describe(explanation.classes) for edit in explanation.edits_of(name)]
        display = cls._from_term(shape_term, explanation, target_class, X, edits)
        if relativity:
            display = display._as_relativities()
        return display.plot(ax=ax, **plot_kwargs)

    def _as_relativities(self):
        """This display's scores and band as relativities ``exp(score)``."""
        self.scores = np.exp(self.scores)
        if self.lower is not None:
            self.lower, self.upper = np.exp(self.lower), np.exp(self.upper)
        self.output_name = "relativity exp(score) (log scale)"
        self.relativity = True
        return self

    @classmethod
    def from_estimator(cls, estimator, X=None, *, term=None, target_class=None, relativity=False, ax=None,
                       **plot_kwargs):
        """Plot one shape function of a fitted additive glassbox estimator.

        Parameters
        ----------
        estimator : fitted glassbox estimator whose ``explain_global()`` returns ShapeFunctions
            Or a fitted ``Pipeline`` whose last step is one (its shapes are
            over that step's inputs, ``X`` goes through the steps before it),
            or a fitted ``GridSearchCV`` / ``RandomizedSearchCV`` of one (its
            ``best_estimator_``), as :func:`glassbox.reason_codes` takes them.
        X : array-like or DataFrame or None, default=None
            Data whose distribution over the bins is drawn as the density;
            None uses the training density stored in the model.
        term, target_class, relativity, ax, **plot_kwargs
            As in :meth:`from_explanation`.

        Returns
        -------
        ShapeFunctionDisplay
        """
        explain_global, X, _ = explain_through(estimator, X, "explain_global", cls.__name__)
        explanation = explain_global()
        if not isinstance(explanation, ShapeFunctions):
            raise TypeError(
                f"{type(estimator).__name__} explains itself with a {type(explanation).__name__}, "
                "not shape functions; ShapeFunctionDisplay plots additive models such as GAMs."
            )
        return cls.from_explanation(explanation, term, target_class=target_class, X=X, relativity=relativity, ax=ax,
                                    **plot_kwargs)

    @classmethod
    def _from_term(cls, term, explanation, target_class, X, edits=None):
        n_axes = len(term.bins)
        has_class_axis = term.scores.ndim > n_axes
        if explanation is None:
            choice = _choice_for_lone_term(term, has_class_axis, target_class)
        else:
            choice = choose_output(explanation.link, explanation.classes, has_class_axis, target_class)
        lower, upper = choice.select(term.lower, n_axes), choice.select(term.upper, n_axes)
        if choice.sign < 0 and lower is not None:
            lower, upper = upper, lower  # negating swaps the band's ends
        density = term.density
        if X is not None:
            if explanation is None:
                raise ValueError("X needs feature names: pass the ShapeFunctions explanation rather than a lone ShapeTerm.")
            density = bin_counts(term.bins, RawColumns(X, explanation.feature_names))
        return cls(
            bins=term.bins,
            scores=choice.select(term.scores, n_axes),
            lower=lower,
            upper=upper,
            band_label=explanation.band if explanation is not None else None,
            density=density,
            constraint=int(choice.sign) * term.constraints[0] if n_axes == 1
            else tuple(int(choice.sign) * c for c in term.constraints),
            term_name=term.name,
            output_name=choice.name if explanation is not None else "score",
            edits=edits,
            value_ranges=term.value_ranges,
        )


def _constraint_of(constraint, n_features):
    """A main effect's constraint as an int, a pair's as a tuple of one int per feature (each -1, 0 or 1)."""
    if n_features != 2:
        return int(constraint) if np.ndim(constraint) == 0 else constraint  # _check refuses bins of another count
    if np.ndim(constraint) == 0 and constraint == 0:
        return (0, 0)
    values = list(np.ravel(constraint)) if np.ndim(constraint) == 1 else []
    if len(values) != 2 or any(value not in (-1, 0, 1) for value in values):
        raise ValueError(f"constraint={constraint!r} does not fit a pair: pass one constraint per feature, each -1, "
                         "0 or 1 (e.g. (1, 0): monotone increasing in the first feature).")
    return tuple(int(value) for value in values)


def _check_relativity(explanation, term):
    """relativity=True draws a log-link model's terms; say why another link is refused."""
    if explanation.link.name != "log":
        raise ValueError(
            f"relativity=True shows exp(score), the factor on the predicted mean of a log-link model "
            f"(loss='poisson', 'gamma' or 'tweedie'); this model's link is {explanation.link.name!r}: "
            "use relativity=False."
        )


def _find_term(explanation, term):
    names = explanation.term_names
    if term is None:
        if len(names) != 1:
            raise ValueError(f"This model has {len(names)} terms; pass term=<one of {names}> (name or index).")
        return explanation.terms[0], names[0]
    if isinstance(term, (int, np.integer)) and not isinstance(term, bool):
        if not -len(names) <= term < len(names):
            raise ValueError(f"term={term} is out of range for a model with {len(names)} terms.")
        return explanation.terms[term], names[term]
    if term not in names:
        raise ValueError(f"No term named {term!r}; the terms are {names}.")
    return explanation.terms[names.index(term)], term


def _choice_for_lone_term(term, has_class_axis, target_class):
    if not has_class_axis:
        if target_class is not None:
            raise ValueError("target_class applies only to terms with one score column per class.")
        return OutputChoice(None, 1.0, None, "score")
    n_classes = term.scores.shape[-1]
    if not isinstance(target_class, (int, np.integer)) or not 0 <= target_class < n_classes:
        raise ValueError(
            f"This term has scores for {n_classes} classes; pass target_class=<class index 0..{n_classes - 1}> "
            "(or plot from the ShapeFunctions explanation to pick by label)."
        )
    return OutputChoice(int(target_class), 1.0, None, "score")


def _error_bars(ax, positions, values, lower, upper):
    values, lower, upper = (np.asarray(a, dtype=np.float64) for a in (values, lower, upper))
    spread = np.vstack([np.maximum(values - lower, 0.0), np.maximum(upper - values, 0.0)])
    return ax.errorbar(positions, values, yerr=spread, fmt="none", ecolor="black", capsize=3, linewidth=1)
