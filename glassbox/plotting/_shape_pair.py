"""The heatmap of a pair term of an additive model, for :class:`~glassbox.plotting.ShapeFunctionDisplay`.

A pairwise interaction is drawn as a heatmap over the value bins of its two
features (columns: the first feature, rows: the second), the cells of each
feature's missing values in a strip beside it on the same colour scale (right:
the first feature's, top: the second's).  The display takes these methods from
:class:`PairHeatmap`; they read the display's ``bins``, ``scores``,
``density``, ``relativity``, ``term_name``, ``output_name`` and ``figure_``,
call its ``_baseline``, ``_axis``, ``_note_open_ends`` and ``_edited_title``,
and set its ``mesh_``, ``missing_strips_``, ``hatched_cells_``, ``colorbar_`` (None when no cell has a
colour: ``flat_note_`` then says what they score) and ``constraint_text_``.

matplotlib is imported only inside the methods here.
"""

import numpy as np

from ..explain._render import format_number
from ..explain.shapes import PAIR_SEPARATOR
from ._bin_axis import X_LABEL_WIDTH, Y_LABEL_WIDTH, drawn_as_bars
from ._display import (carved_axes, factor_text, literal, literals, short_label, split_axes, uses_constrained_layout,
                       wrap_label)
from ._factor_axis import factor_ticks
from ._palette import DECREASE_HATCH, MAP_HATCH_COLOR, NEUTRAL_COLOR
from ._shape_text import MONOTONE_WORDS

# A pair's strips of missing values: one cell deep, in inches (a title above the top strip clears it).
_STRIP_INCHES, _STRIP_PAD_INCHES = 0.3, 0.08


class PairHeatmap:
    """Drawing of a pair term, mixed into the shape display (see the module docstring for what it reads and sets)."""

    def _plot_pair(self, ax, cmap, kwargs, show_missing):
        """Draw the heatmap, its missing strips and colour bar, labels and title; return the title drawn."""
        # the two ends of a diverging map print as the same grey: cells below the centre are hatched as well
        hatch = kwargs.pop("hatch", DECREASE_HATCH)
        first, second = self.bins
        values = self.scores[: first.n_value_bins, : second.n_value_bins]
        strips = self._pair_missing_strips(show_missing)
        drawn = np.concatenate([values.ravel()] + [cells for _, _, cells in strips])
        if self.relativity:
            # a factor and its inverse get colours as strong: a log scale symmetric about 1
            from matplotlib.colors import LogNorm

            limit = max(float(np.exp(np.abs(np.log(drawn)).max())), 1.01)
            style = {"norm": LogNorm(vmin=1.0 / limit, vmax=limit), **kwargs}
        else:
            limit = float(np.abs(drawn).max()) or 1.0
            style = {"vmin": -limit, "vmax": limit, **kwargs}
        x_edges, y_edges = (self._pair_edges(position) for position in (0, 1))
        self.mesh_ = ax.pcolormesh(x_edges, y_edges, values.T, cmap=cmap, **style)
        if drawn_as_bars(second):  # the first feature's levels are named by _label_levels
            levels = [short_label(label, 30) for label in second.bin_labels()[: second.n_value_bins]]
            ax.set_yticks(np.arange(second.n_value_bins), literals(levels))
        centre = self._baseline
        self.hatched_cells_ = [_hatch_below(ax, x_edges, y_edges, values.T, centre, hatch)] if hatch else []
        for axis, bins, cells in strips:
            mesh = _plot_missing_strip(ax, axis, cells, x_edges, y_edges, cmap, style)
            self.missing_strips_[bins.feature] = mesh
            if hatch:
                self.hatched_cells_.append(_hatch_below(mesh.axes, *_strip_edges(axis, x_edges, y_edges),
                                                        cells[:, None] if axis == 0 else cells[None, :], centre, hatch))
        hidden = _hidden_cells(self.scores, first, second, [axis for axis, _, _ in strips])
        if np.all(drawn == centre):
            # no colour in use: a colour bar would show a made-up scale; say in words what the cells score
            self.flat_note_ = ax.text(0.5, 0.5, literal(_flat_words(self, hidden)), transform=ax.transAxes,
                                      ha="center", va="center", wrap=True,
                                      bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": NEUTRAL_COLOR})
        else:
            self._plot_colorbar(ax, hatch, limit)
        self._mark_pair_constraints(ax)
        ax.set_xlabel(literal(wrap_label(first.feature, width=X_LABEL_WIDTH)))
        ax.set_ylabel(literal(wrap_label(second.feature, width=Y_LABEL_WIDTH)))
        self._note_open_ends(ax, [self._axis(p) for p in (0, 1) if not drawn_as_bars(self.bins[p])])
        title = self.term_name
        if title == PAIR_SEPARATOR.join((first.feature, second.feature)):  # each long name cut, the pair still read
            title = PAIR_SEPARATOR.join(short_label(bins.feature, 28) for bins in self.bins)
        if np.any(hidden != self._baseline):
            title += f" (bins not drawn: {_span(hidden)})"
        # above the strip of the second feature's missing values, when there is one: raised over it, or in a
        # constrained figure (whose layout makes room for each cell's title) the strip's own title
        top = [self.missing_strips_[bins.feature].axes for axis, bins, _ in strips if axis == 1]
        holder, pad = ax, None
        if top and uses_constrained_layout(self.figure_):
            holder = top[0]
        elif top:
            pad = (_STRIP_INCHES + _STRIP_PAD_INCHES) * 72 + 6
        title = self._edited_title(title)
        holder.set_title(literal(wrap_label(title)), pad=pad)
        return title

    def _plot_colorbar(self, ax, hatch, limit):
        """The colour bar of the heatmap, hatched below its centre as the cells are."""
        label = literal(wrap_label(self.output_name, width=Y_LABEL_WIDTH))
        if uses_constrained_layout(self.figure_):
            # a constrained figure (the user's) makes room for a colour bar it places itself, beside ax and
            # the strips in their cells (split_axes); one carved off ax would have its labels cut at the edge
            self.colorbar_ = self.figure_.colorbar(self.mesh_, ax=carved_axes(ax), fraction=0.05, pad=0.02,
                                                   label=label)
        else:  # off the same divider as the strips, so neither overlaps the other
            self.colorbar_ = self.figure_.colorbar(self.mesh_, cax=split_axes(ax, "right", size="5%", pad=0.15),
                                                   label=label)
        if hatch:  # the key: the bar's part below the centre is hatched as its cells are
            self.colorbar_.ax.axhspan(self.mesh_.norm.vmin, self._baseline, facecolor="none",
                                      edgecolor=MAP_HATCH_COLOR, linewidth=0, hatch=hatch)
        if self.relativity:
            ticks = factor_ticks(1.0 / limit, limit)
            self.colorbar_.set_ticks(ticks, labels=[format_number(float(t), digits=6) for t in ticks])
            self.colorbar_.minorticks_off()

    def _mark_pair_constraints(self, ax):
        """Write each feature's monotonic constraint as the printout does (``monotone increasing in age``)."""
        lines = [f"{MONOTONE_WORDS[c]} in {short_label(bins.feature, 28)}"
                 for c, bins in zip(self.constraint, self.bins) if c in MONOTONE_WORDS]
        if lines:
            self._mark_constraint(ax, literal("\n".join(lines)))

    def _pair_edges(self, position):
        """Cell edges along the feature at ``position`` of a pair: its numeric axis, or one unit per level."""
        bins = self.bins[position]
        if not drawn_as_bars(bins):
            return self._axis(position).edges
        return np.arange(bins.n_value_bins + 1) - 0.5

    def _pair_missing_strips(self, show_missing):
        """``[(axis, bins, cells), ...]``: the missing bins of a pair to draw, with their cells across the other
        feature's value bins (axis 0: the first feature's, drawn right of the heatmap; 1: the second's, on top)."""
        first, second = self.bins
        strips = []
        for axis, bins, other in ((0, first, second), (1, second, first)):
            index = [slice(None, None), slice(None, None)]
            index[axis], index[1 - axis] = bins.missing_bin, slice(None, other.n_value_bins)
            cells = self.scores[tuple(index)]
            if show_missing == "auto":
                shown = (self.density[tuple(index)].sum() > 0 if self.density is not None
                         else np.any(cells != self._baseline))
            else:
                shown = show_missing
            if shown:
                strips.append((axis, bins, cells))
        return strips


def _flat_words(display, hidden):
    """What the cells of a pair that draws no colour score: ``every cell scores 0: this pair changes no prediction``
    (relativities: ``x1``), only ``every cell drawn`` when bins not drawn score something."""
    value = factor_text(1.0) if display.relativity else format_number(0.0)
    if np.any(hidden != display._baseline):
        return f"every cell drawn scores {value}"
    return f"every cell scores {value}: this pair changes no prediction"


def _span(values):
    """``0.1 to 0.4`` (one value: ``0.1``), as the figure writes them."""
    low, high = format_number(values.min()), format_number(values.max())
    return low if low == high else f"{low} to {high}"


def _plot_missing_strip(ax, axis, cells, x_edges, y_edges, cmap, style):
    """Draw the cells of one feature's missing values in a strip beside the heatmap ``ax``; return its QuadMesh."""
    label = "missing"
    if axis == 0:  # the first feature (x) missing: a column of cells along the second feature
        strip = split_axes(ax, "right", size=_STRIP_INCHES, pad=_STRIP_PAD_INCHES, sharey=ax)
        mesh = strip.pcolormesh([-0.5, 0.5], y_edges, cells[:, None], cmap=cmap, **style)
        strip.set_xticks([0], [label])
        strip.tick_params(axis="y", which="both", labelleft=False)
    else:  # the second feature (y) missing: a row of cells along the first feature
        strip = split_axes(ax, "top", size=_STRIP_INCHES, pad=_STRIP_PAD_INCHES, sharex=ax)
        mesh = strip.pcolormesh(x_edges, [-0.5, 0.5], cells[None, :], cmap=cmap, **style)
        strip.set_yticks([0], [label])
        strip.tick_params(axis="x", which="both", labelbottom=False)
    return mesh


def _strip_edges(axis, x_edges, y_edges):
    """``(x_edges, y_edges)`` of the missing strip of the feature at ``axis`` (one cell deep, as drawn)."""
    return ([-0.5, 0.5], y_edges) if axis == 0 else (x_edges, [-0.5, 0.5])


def _hatch_below(ax, x_edges, y_edges, cells, centre, hatch):
    """Hatch the cells (rows along y, columns along x) whose score is below ``centre``; return the
    PatchCollection (its ``get_paths()``: one rectangle per hatched cell)."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    rows, columns = np.nonzero(np.asarray(cells) < centre)
    boxes = [Rectangle((x_edges[c], y_edges[r]), x_edges[c + 1] - x_edges[c], y_edges[r + 1] - y_edges[r])
             for r, c in zip(rows, columns)]
    collection = PatchCollection(boxes, facecolor="none", edgecolor=MAP_HATCH_COLOR, linewidth=0, hatch=hatch)
    ax.add_collection(collection, autolim=False)
    return collection


def _hidden_cells(scores, first, second, strip_axes):
    """Scores of the cells neither the heatmap nor a missing strip shows (unseen bins, both features missing)."""
    keep = np.zeros(scores.shape, dtype=bool)
    keep[: first.n_value_bins, : second.n_value_bins] = True
    if 0 in strip_axes:
        keep[first.missing_bin, : second.n_value_bins] = True
    if 1 in strip_axes:
        keep[: first.n_value_bins, second.missing_bin] = True
    return scores[~keep]
