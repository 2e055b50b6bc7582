"""The text alternative (WCAG 1.1.1) of a shape plot, for :class:`~glassbox.plotting.ShapeFunctionDisplay`.

A reader who cannot see the figure needs what a sighted reader takes from it
at a glance, not a list of 256 bins: for a numeric main effect, what the
scores measure, the range of the feature, the direction of the steps (and a
monotone constraint), where the lowest and highest scores lie, the missing
values' score and what else is drawn (band, density, edits); for a categorical
one, each level's score in drawn order; for a pair, the two features, the
range of the cells and where the extreme ones are.  Numbers are written as the
figure shows them: scores by :func:`~glassbox.explain._render.format_number`,
relativities as factors (``x1.25``), bin edges as the bins print them, shares
as the density strip and the missing panel write them.

Each function reads a drawn display: its data (``bins``, ``scores``,
``density``, ...) and which artists :meth:`plot` made (``ax_missing_``,
``band_``, ``ax_density_``, ``missing_strips_``, ...).
"""

import numpy as np

from ..explain._render import format_number
from ..explain.shapes import bin_range_label
from ._bin_axis import drawn_as_bars, share_text
from ._display import extremes_text, factor_text, figure_text, listed, one_line

# What a monotone constraint is called on the plot (which adds an arrow) and in its text alternative.
MONOTONE_WORDS = {1: "monotone increasing", -1: "monotone decreasing"}

# Levels of a categorical main effect the text names one by one before it says how many more there are.
MAX_LEVELS_NAMED = 20


def shape_text(display, title):
    """The text alternative of ``display`` (drawn), whose title reads ``title``."""
    if len(display.bins) == 2:
        return _pair_text(display, title)
    if drawn_as_bars(display.bins[0]):
        return _levels_text(display, title)
    return _steps_text(display, title)


def _shown(display):
    """How a score of ``display`` is written: a factor on a relativity plot, else a number."""
    return factor_text if display.relativity else format_number


def place(bins, first, last=None):
    """Where value bins ``first..last`` of ``bins`` lie, in words (``age < 30``, ``age in [30, 50)``,
    ``color = red``); the missing bin is ``age missing``."""
    last = first if last is None else last
    if first == bins.missing_bin:
        return f"{bins.feature} missing"
    label = bin_range_label(bins, first, last)
    if label == "all values":
        return f"every {bins.feature}"
    if drawn_as_bars(bins):
        return f"{bins.feature} = {label}"
    return f"{bins.feature} in {label}" if label.startswith("[") else f"{bins.feature} {label}"


def _direction(values):
    """Which way a numeric main effect's steps go, left to right."""
    steps = np.diff(values)
    if not np.any(steps):
        return "flat"
    if np.all(steps >= 0):
        return "increasing"
    if np.all(steps <= 0):
        return "decreasing"
    return "not monotone"


def _axis_words(display, position, where=None):
    """The feature at ``position`` and its extent on the axis (``where``: which axis, for a pair): the training
    range, or its number of levels."""
    bins = display.bins[position]
    if drawn_as_bars(bins):
        extent = _count(bins.n_value_bins, "level")
    elif display.value_ranges[position] is None:
        extent = "training range not recorded: end bins open"
    else:
        low, high = (format_number(v) for v in display.value_ranges[position])  # as the bin labels round
        extent = f"from {low} to {high}"
    return f"{bins.feature} ({where + ', ' if where else ''}{extent})"


def _steps_text(display, title):
    """A numeric main effect: the steps' measure, range and direction, the extremes, then what else is drawn."""
    bins = display.bins[0]
    values = display.scores[: bins.n_value_bins]
    direction = _direction(values)
    if display.constraint in MONOTONE_WORDS:
        direction += f", under a {MONOTONE_WORDS[display.constraint]} constraint"
    steps = f"Steps of {one_line(display.output_name)} over {_axis_words(display, 0)}"
    sentences = [
        f"{steps}, {_count(bins.n_value_bins, 'bin')}: {direction}",
        _capitalised(extremes_text(values, lambda first, last: place(bins, first, last), _shown(display))),
    ]
    return figure_text(title, sentences + _main_notes(display, bins))


def _levels_text(display, title):
    """A categorical (or boolean) main effect: each level's score left to right, then what else is drawn."""
    bins = display.bins[0]
    values = display.scores[: bins.n_value_bins]
    shown = _shown(display)
    labels = bins.bin_labels()[: bins.n_value_bins]
    bars = listed((f"{label}: {shown(v)}" for label, v in zip(labels, values)), MAX_LEVELS_NAMED)
    sentences = [f"Bars of {one_line(display.output_name)} for each level of {bins.feature}, left to right: {bars}"]
    if bins.n_value_bins > MAX_LEVELS_NAMED:  # the levels left out may hold an extreme
        sentences.append(_capitalised(extremes_text(values, lambda first, last: place(bins, first), shown)))
    if display.constraint in MONOTONE_WORDS:
        sentences.append(f"Under a {MONOTONE_WORDS[display.constraint]} constraint")
    return figure_text(title, sentences + _main_notes(display, bins))


def _main_notes(display, bins):
    """What a main effect draws beside its steps or bars: the missing bin, the band, the density, the edits."""
    notes = []
    if display.ax_missing_ is not None:
        index = bins.missing_bin
        share = ""
        if display.density is not None and display.density.sum() > 0:
            share = f" ({share_text(display.density[index] / display.density.sum())} of the rows)"
        notes.append(f"Missing values: {_shown(display)(display.scores[index])}{share}")
    if display.band_ is not None:
        notes.append(f"Band drawn: {display.band_label or 'uncertainty band'}")
    if display.ax_density_ is not None:
        notes.append("A strip below shows the share of rows in each bin")
        unseen = display._unseen_share(bins)
        if unseen:
            notes.append(f"Levels not seen in training: {share_text(unseen)} of the rows (not drawn)")
    if display.edits:
        notes.append("Edited after fitting: " + "; ".join(display.edits))
    return notes


def _pair_text(display, title):
    """A pair: its two features, the cells holding the extremes (heatmap and missing strips), each strip's range."""
    first, second = display.bins
    shown = _shown(display)
    cells = [(display.scores[i, j], f"{place(first, i)} and {place(second, j)}")
             for j in range(second.n_value_bins) for i in range(first.n_value_bins)]
    strips = []
    for position, (bins, other) in enumerate(((first, second), (second, first))):
        if bins.feature not in display.missing_strips_:
            continue
        index = [None, None]
        index[position] = bins.missing_bin
        strip = []
        for k in range(other.n_value_bins):
            index[1 - position] = k
            strip.append((display.scores[tuple(index)], f"{place(bins, bins.missing_bin)} and {place(other, k)}"))
        cells += strip
        low, high = min(v for v, _ in strip), max(v for v, _ in strip)
        strips.append(f"Missing {bins.feature} ({'right' if position == 0 else 'top'} strip): "
                      f"from {shown(low)} to {shown(high)}")
    values = np.array([v for v, _ in cells])
    # the first cell holding each extreme (run merging does not apply to a grid: a cell names itself)
    extremes = extremes_text(values, lambda first_cell, _: cells[first_cell][1], shown)
    centre = "1" if display.relativity else "0"
    if display.flat_note_ is not None:  # no colour drawn: the note on the plot says what every cell scores
        extremes = display.flat_note_.get_text()
    sentences = [f"Heatmap of {one_line(display.output_name)} over {_axis_words(display, 0, 'across')} and "
                 f"{_axis_words(display, 1, 'up')}",
                 f"Cells: {extremes}"]
    if any(len(cells.get_paths()) for cells in display.hatched_cells_):
        sentences.append(f"Cells below {centre} are hatched")
    constrained = [f"a {MONOTONE_WORDS[c]} constraint in {bins.feature}"
                   for c, bins in zip(display.constraint, display.bins) if c in MONOTONE_WORDS]
    if constrained:
        sentences.append("Under " + " and ".join(constrained))
    sentences += strips
    if display.edits:
        sentences.append("Edited after fitting: " + "; ".join(display.edits))
    return figure_text(title, sentences)


def _count(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _capitalised(text):
    return text[:1].upper() + text[1:]
