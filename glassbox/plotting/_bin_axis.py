"""Where a feature's bins sit on the axis of a shape plot, and how their training density is drawn.

A numeric feature's value bins are intervals between its thresholds, drawn to
its training minimum and maximum (:func:`numeric_axis`); categories and
booleans are one position per level (:func:`drawn_as_bars`).  The density
strip under a main effect shows each bin's share per unit of width
(:func:`density_histogram`), and writes the share of a bin drawn wider than it
is (:func:`write_share`).  Used by the shape display for main effects and pair
heatmaps alike.

Nothing here imports matplotlib: :func:`write_share` draws on the axes it is handed.
"""

from dataclasses import dataclass

import numpy as np

from ..explain.terms import format_value
from ._palette import NEUTRAL_COLOR

# Characters a line of an axis label takes at most (long feature names wrap): a y label runs along the shorter side.
X_LABEL_WIDTH, Y_LABEL_WIDTH = 70, 45


@dataclass(frozen=True)
class NumericAxis:
    """Where the value bins of a numeric feature are drawn (see :func:`numeric_axis`).

    Attributes
    ----------
    edges : ndarray
        The drawn edges of the value bins (increasing; ``n_value_bins + 1``).
    widthless : dict
        Bins drawn wider than they are, by index: the words that go with
        their share (``"at 3"``: every training value of the bin is 3;
        ``"open"``: an end bin of unknown extent; ``"none in training"``).
    open_ends : bool
        The training range is not known: the end bins are drawn over a pad.
    """

    edges: np.ndarray
    widthless: dict
    open_ends: bool


def numeric_axis(bins, value_range=None):
    """The :class:`NumericAxis` of a numeric feature's value bins.

    With ``value_range`` (the training ``(minimum, maximum)``), the bins run
    from the minimum through the thresholds to the maximum.  An end bin left
    without width (the maximum is the last threshold, so the bin holds that
    one value; or a constant feature) is drawn as wide as its neighbouring
    bin, or one unit when no bin has a width (a constant feature: centred on
    its value).  Without it, the end bins are open: drawn a tenth of the
    threshold range wide (one unit when there is at most one threshold).
    """
    t = np.asarray(bins.thresholds, dtype=np.float64)
    last = len(t)
    if value_range is None:
        if len(t) == 0:
            return NumericAxis(np.array([-0.5, 0.5]), {0: "open"}, True)
        span = t[-1] - t[0]
        pad = 0.1 * span if span > 0 else max(0.1 * abs(t[0]), 1.0)
        edges = np.concatenate([[t[0] - pad], t, [t[-1] + pad]])
        return NumericAxis(edges, {0: "open", last: "open"}, True)
    low, high = float(value_range[0]), float(value_range[1])
    if len(t) == 0:
        if high > low:
            return NumericAxis(np.array([low, high]), {}, False)
        return NumericAxis(np.array([low - 0.5, low + 0.5]), {0: f"at {format_value(low)}"}, False)
    edges = np.concatenate([[min(low, t[0])], t, [max(high, t[-1])]])
    widths = np.diff(edges)
    widthless = {}
    if widths[0] == 0:  # no training value below the first threshold
        widthless[0] = "none in training"
    if widths[-1] == 0:  # every training value of the last bin is the last threshold
        widthless[last] = f"at {format_value(t[-1])}"
    # only an end bin can lack width (the thresholds increase): it takes the width of the nearest bin with one
    drawn = widths[widths > 0]
    if 0 in widthless:
        edges[0] -= drawn[0] if len(drawn) else 1.0
    if last in widthless:
        edges[-1] += drawn[-1] if len(drawn) else 1.0
    return NumericAxis(edges, widthless, False)


def density_histogram(edges, shares, max_bars=40, widthless=()):
    """Histogram ``(edges, share per unit)`` of the shares of numeric bins.

    Shares are divided by bin width so wide quantile bins do not look crowded;
    the bar over a bin then has the bin's share as its area.  The bins in
    ``widthless`` (drawn wider than they are: a single value, an open end bin)
    get no density (a height of zero): their share is written instead.  With
    more than ``max_bars`` bins (narrow bins would make a spiky, unreadable
    strip) the shares are summed on a regular grid of ``max_bars`` bars, each
    bin's share spread over the grid bars its interval overlaps, in proportion
    to the overlap: the area over an interval stays its share.
    """
    edges = np.asarray(edges, dtype=np.float64)
    shares = np.array(shares, dtype=np.float64)
    shares[list(widthless)] = 0.0
    if len(shares) > max_bars:
        grid = np.linspace(edges[0], edges[-1], max_bars + 1)
        cumulative = np.concatenate([[0.0], np.cumsum(shares)])  # share below each edge, linear within a bin
        shares = np.diff(np.interp(grid, edges, cumulative))
        edges = grid
    return edges, shares / np.diff(edges)


def share_text(share):
    """A share of the rows (0.066) as the density strip and the missing-value panel write it: ``6.6%``."""
    return f"{100 * share:.1f}%"


def write_share(strip, axis, index, share):
    """Shade bin ``index`` of the density strip and write its share, for a bin drawn wider than it is."""
    low, high = axis.edges[index], axis.edges[index + 1]
    strip.axvspan(low, high, facecolor="none", edgecolor=NEUTRAL_COLOR, hatch="//", linewidth=0, alpha=0.6)
    separator = "\n" if (high - low) < 0.15 * (axis.edges[-1] - axis.edges[0]) else " "  # a narrow bin: two lines
    return strip.text((low + high) / 2, 0.5, f"{share_text(share)}{separator}{axis.widthless[index]}",
                      transform=strip.get_xaxis_transform(), ha="center", va="center", fontsize="small")


def term_ranges(value_ranges, n_features):
    """One training ``(minimum, maximum)`` or None per feature of the term (a main effect may pass its pair)."""
    if value_ranges is None:
        return (None,) * n_features
    value_ranges = tuple(value_ranges)
    if n_features == 1 and len(value_ranges) == 2 and all(np.isscalar(v) for v in value_ranges):
        value_ranges = (value_ranges,)
    if len(value_ranges) != n_features:
        raise ValueError(f"value_ranges needs one (minimum, maximum) or None per feature of the term "
                         f"({n_features}), got {len(value_ranges)}.")
    return tuple(None if r is None else (float(r[0]), float(r[1])) for r in value_ranges)


def bin_counts(bins, columns):
    """Number of rows in each bin (or bin pair) of ``bins`` for raw data."""
    codes = [b.codes(columns.column(b.feature), columns.array_position(b.feature)) for b in bins]
    shape = tuple(b.n_bins for b in bins)
    flat = np.ravel_multi_index(codes, shape)
    return np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape).astype(np.float64)


def drawn_as_bars(bins):
    """Categories and booleans: one bar (or heatmap column) per value, labelled; numbers: steps along an axis."""
    return bins.kind == "categorical" or bins.boolean
