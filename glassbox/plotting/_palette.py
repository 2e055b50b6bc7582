"""The colours, hatches and line styles every glassbox display draws with.

Explanations end up in reports read in greyscale, by colour-blind readers and
against accessibility rules (WCAG 2.1: meaning is never carried by colour
alone, 1.4.1; a graphic a reader needs stands out from the white background
at a contrast of at least 3:1, 1.4.11).  So:

- every colour here a reader needs has a contrast of at least 3:1 against
  white (:func:`contrast_ratio`, WCAG's relative-luminance formula); only
  ``BACKGROUND_LINE_COLOR``, for context behind the figures that matter, is
  fainter on purpose;
- the two signs of a contribution differ in a second channel besides their
  colour: a bar that lowers the output is hatched (``DECREASE_HATCH``), one
  that raises it is solid.  matplotlib's red and blue, the sign colours, are
  told apart by red-green colour-blind readers but print as the same grey;
- lines a legend names differ in marker and line style as well as colour
  (:func:`line_styles`).
"""

import itertools

# Sign colours (matplotlib's tab:red and tab:blue): 5.0:1 and 4.8:1 against white.
POSITIVE_COLOR = "#d62728"
NEGATIVE_COLOR = "#1f77b4"
NEUTRAL_COLOR = "#7f7f7f"  # a base value, a total, a bar that is neither sign (4.0:1)
# Context drawn under the figures that matter (lines no legend names): deliberately faint.
BACKGROUND_LINE_COLOR = "#bbbbbb"

# Opacity of an uncertainty band's fill; its edges are drawn opaque, as the fill alone is too faint to read.
BAND_FILL_ALPHA = 0.25

# Hatch of a bar that lowers the output: the sign reads on a greyscale printout too.
DECREASE_HATCH = "\\\\\\"
# How a hatched bar is drawn: matplotlib draws a hatch in the bar's edge colour, so white hatching on the bar's
# colour, and no outline.
HATCHED_BAR_EDGES = {"edgecolor": "white", "linewidth": 0}
# Hatching over a diverging heatmap's cells below its centre: mid grey shows on its dark and its pale cells alike.
MAP_HATCH_COLOR = "#808080"
# Hatch of a bar the explanation does not account for (an approximation's gap).
GAP_HATCH = "//"

# Colours of lines a legend names: Okabe and Ito's colour-blind-safe set without its light
# members (orange, sky blue, yellow fall under 3:1 against white), then tab:purple and tab:brown.
LINE_COLORS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#000000", "#9467bd", "#8c564b")
LINE_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINE_STYLES = ("-", "--", "-.", ":")


def line_styles():
    """An endless sequence of ``{"color", "marker", "linestyle"}`` for lines a legend names.

    Consecutive lines differ in all three; the first ``len(LINE_MARKERS)`` have
    distinct markers, so a reader who cannot tell the colours apart still
    matches each line with its legend entry.
    """
    for k in itertools.count():
        yield {
            "color": LINE_COLORS[k % len(LINE_COLORS)],
            "marker": LINE_MARKERS[k % len(LINE_MARKERS)],
            "linestyle": LINE_STYLES[k % len(LINE_STYLES)],
        }


def sign_hatches(values):
    """Each bar's hatch for ``values``: :data:`DECREASE_HATCH` for a negative value, None (solid) otherwise."""
    return [DECREASE_HATCH if v < 0 else None for v in values]


def relative_luminance(color):
    """WCAG 2.1 relative luminance of a matplotlib colour (0 black to 1 white)."""
    from matplotlib.colors import to_rgb

    def linear(channel):
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in to_rgb(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(color, background="white"):
    """WCAG 2.1 contrast ratio of two colours, from 1 (alike) to 21 (black on white)."""
    darker, lighter = sorted([relative_luminance(color), relative_luminance(background)])
    return (lighter + 0.05) / (darker + 0.05)
