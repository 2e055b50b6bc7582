"""A log axis of multiplicative factors (relativities), labelled as a tariff reads.

Relativities are drawn on a log axis, so that a factor and its inverse lie as
far from 1.  matplotlib's log ticks suit ranges of several decades: on the
ranges a tariff spans (x0.8 to x1.6) they label ``9x10^-1`` and ``10^0`` only,
or nothing between 1 and 2, and the reader cannot read a factor off the axis.
:func:`factor_axis` labels round factors (0.8, 0.9, 1, 1.25, 1.5), 1 among
them, and at least one on each side of 1 when the axis reaches both.  Shared by
the coefficient and shape displays.

matplotlib is imported only inside the functions here.
"""

import numpy as np

from ..explain._render import format_number

# Mantissas of round factors in each decade, coarsest set first.  The finer sets
# hold a tariff's usual factors: x1.25 and its inverse x0.8, x1.5, x2 and x0.5.
_DECADE_MANTISSAS = (
    (1.0,),
    (1.0, 2.0, 5.0),
    (1.0, 1.5, 2.0, 3.0, 5.0, 7.5),
    (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0),
    (1.0, 1.1, 1.2, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 7.5, 8.0, 9.0),
)


def factor_ticks(low, high, min_ticks=5, min_gap=0.08):
    """Round factors to label a log axis spanning ``[low, high]`` (both > 0).

    The coarsest set of round factors that leaves ``min_ticks`` ticks (4 for
    powers of ten alone) once thinned so that neighbours are ``min_gap`` of
    the axis apart or more (their labels do not overlap), walking outwards
    from 1 (or from the middle of a range without 1).  When the range reaches
    both sides of 1, a factor is labelled on each side, even if that side is
    narrow.

    Examples
    --------
    >>> [float(t) for t in factor_ticks(0.81, 1.56)]
    [0.9, 1.0, 1.1, 1.2, 1.5]
    >>> [float(t) for t in factor_ticks(0.48, 1.55)]
    [0.5, 0.6, 0.8, 1.0, 1.25, 1.5]
    """
    low, high = float(min(low, high)), float(max(low, high))
    gap = min_gap * np.log(high / low)
    sets = list(_round_factor_sets(low, high))
    thinned = [_thinned(values, gap, low, high) for values in sets]
    enough = [min_ticks - 1] + [min_ticks] * (len(sets) - 1)  # decades read well with fewer ticks
    ticks = next((values for values, count in zip(thinned, enough) if len(values) >= count), thinned[-1])
    if low < 1.0 < high:  # a factor can be read on each side of 1
        for side in (np.less, np.greater):
            if not np.any(side(ticks, 1.0)):
                beyond = next((values[side(values, 1.0)] for values in sets if np.any(side(values, 1.0))), [])
                if len(beyond):  # the one farthest from 1: the most room for its label
                    ticks = np.sort(np.r_[ticks, beyond[0] if side is np.less else beyond[-1]])
    return ticks


def _round_factor_sets(low, high):
    """Round factors in ``[low, high]``: decade ladders, then linear grids of ever finer steps."""
    decades = 10.0 ** np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
    for mantissas in _DECADE_MANTISSAS:
        yield _within(np.outer(decades, mantissas).ravel(), low, high)
    # A narrow range (x0.97 to x1.04) falls between the mantissas: steps of 0.05, 0.02, 0.01 ...
    width = high - low
    for exponent in range(int(np.ceil(np.log10(width))), int(np.floor(np.log10(width / 50))) - 1, -1):
        for mantissa in (5.0, 2.0, 1.0):
            step = mantissa * 10.0 ** exponent
            if step >= width / 50:
                # the tolerance keeps an end on the grid: 1.2 / 0.05 is 23.999999999999996
                first, last = np.ceil(low / step - 1e-9), np.floor(high / step + 1e-9)
                yield _within(np.arange(first, last + 1) * step, low, high)


def _within(values, low, high):
    values = np.unique(np.round(values, 12))  # 3 * 0.1 is 0.30000000000000004
    return values[(values >= low * (1 - 1e-12)) & (values <= high * (1 + 1e-12))]


def _thinned(values, gap, low, high):
    """``values`` kept at least ``gap`` apart on the log scale, walking outwards from 1 (or the middle)."""
    if len(values) == 0:
        return values
    logs = np.log(values)
    start = 0.0 if low <= 1.0 <= high else 0.5 * (np.log(low) + np.log(high))
    first = int(np.argmin(np.abs(logs - start)))
    kept = [first]
    for indices in (range(first + 1, len(logs)), range(first - 1, -1, -1)):
        last = first
        for i in indices:
            if abs(logs[i] - logs[last]) >= gap:
                kept.append(i)
                last = i
    return values[sorted(kept)]


def factor_axis(axis):
    """Put ``axis`` (``ax.xaxis`` or ``ax.yaxis``) on a log scale labelled in round factors.

    A log scale, because a factor and its inverse (x2 and x0.5) are then as
    far from 1; round factors, because a tariff is read in them.
    """
    from matplotlib.ticker import FuncFormatter, Locator, NullLocator

    class FactorLocator(Locator):
        def __call__(self):
            return self.tick_values(*self.axis.get_view_interval())

        def tick_values(self, vmin, vmax):
            if not (0 < vmin < np.inf and 0 < vmax < np.inf) or vmin == vmax:
                return np.array([1.0])
            return factor_ticks(vmin, vmax)

    (axis.axes.set_xscale if axis.axis_name == "x" else axis.axes.set_yscale)("log")
    axis.set_major_locator(FactorLocator())
    # the ticks are round numbers: six digits print them whole (0.9995) and never in 10^k notation
    axis.set_major_formatter(FuncFormatter(lambda value, _: format_number(float(value), digits=6)))
    axis.set_minor_locator(NullLocator())  # unlabelled ticks between the factors would be read as factors
