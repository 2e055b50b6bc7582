"""Plain-text and HTML rendering shared by all explanation objects."""

import html
from decimal import Decimal

import numpy as np

from ._columns import is_missing, plain_value
from ._text_escape import escape_lines, escape_text
from ._text_width import display_width, pad_to
from .terms import format_value, level_text


# Numbers at or above this size are shown in scientific notation; below it a
# reader gets the whole integer part ("180712", not "1.807e+05").
_PLAIN_LIMIT = 1e15


def format_number(value, digits=4, sign=False):
    """Compact number formatting for tables.

    ``digits`` significant digits, except that the integer part of a number is
    never cut into an exponent below ``1e15`` (a prediction of 180,712 reads
    ``180712``, not ``1.807e+05``).  Zero (also ``-0.0``) prints as ``0``;
    ``sign=True`` prefixes positive numbers with ``+``.
    """
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return f"{int(value):+d}" if sign else str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value != value:
            return "nan"
        if value == 0:
            return "0"
        plus = "+" if sign else ""
        text = f"{value:{plus}.{digits}g}"
        # The range is checked on the rounded text, not the value: 9999.6 rounds
        # up to "1e+04" with 4 digits, which must read "10000".
        if "e" in text and 1 <= abs(value) < _PLAIN_LIMIT:
            return f"{value:{plus}.0f}"
        return text
    return escape_text(format_value(value))


# Most decimals, and most significant digits of its largest number, a table of
# contributions is given: beyond them a number stops being readable.
_MAX_TABLE_DECIMALS = 6
_MAX_TABLE_DIGITS = 6


def table_decimals(values, digits=2, largest_digits=4):
    """One number of decimals for a table whose numbers a reader adds up.

    Enough for the largest nonzero finite ``values`` to keep ``largest_digits``
    significant digits (the four every printout promises) and the smallest
    ``digits``, but at most ``_MAX_TABLE_DECIMALS`` and never so many that the
    largest number shows more than ``_MAX_TABLE_DIGITS`` significant digits.
    Printed with it (by :func:`format_fixed`), a table's terms, base and total
    add up to its last decimal, give or take the rounding of each line.
    """
    values = np.abs(np.asarray(values, dtype=np.float64).ravel())
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return 0
    largest = np.floor(np.log10(values.max()))
    wanted = max(digits - 1 - np.floor(np.log10(values.min())), largest_digits - 1 - largest)
    room = _MAX_TABLE_DIGITS - 1 - largest
    return int(max(min(wanted, room, _MAX_TABLE_DECIMALS), 0))


def format_fixed(value, decimals, sign=False):
    """``value`` rounded to ``decimals`` decimals, trailing zeros dropped (table form of :func:`format_number`).

    Every number of a table rounded to the same decimal lets a reader add the
    table up; dropping trailing zeros changes no value (``0.8``, not ``0.800``).
    Zero, and a value that rounds to zero, prints as ``0``; numbers at or above
    ``1e15`` and non-finite ones fall back to :func:`format_number`.
    """
    value = float(value)
    if not np.isfinite(value) or abs(value) >= _PLAIN_LIMIT:
        return format_number(value, sign=sign)
    text = f"{value:{'+' if sign else ''}.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if float(text) == 0 else text


# A relativity or odds ratio closer to 1 than this prints 1: its distance is rounding noise, not an effect.
_FACTOR_NOISE = 1e-10
# Within this distance of 1 a factor keeps four significant digits of its distance from 1 (beyond it, four of its own).
_FACTOR_NEAR = 1e-3


def factor_text(factor):
    """A relativity or odds ratio as the table prints it: four significant digits, and within 0.001 of 1 four
    significant digits of its distance from 1.

    A per-unit factor of a feature in small units (a dollar of income) lies close to 1: 1.000306, significant
    at z = 31, would print ``1`` with its interval ``1`` to ``1``, a factor of no effect, known exactly, and
    an interval 0.99991 to 1.0000315 would print ``0.9999`` to ``1``.  Such a factor keeps four significant
    digits of its distance from 1 (``1.000306``, ``0.99991025``), on either side of 1 alike.  A distance
    below 1e-10 (a bound of rounding noise, ``exp(-3.5e-16)``) prints ``1``.
    """
    factor = float(factor)
    distance = abs(factor - 1)
    if not _FACTOR_NOISE <= distance < _FACTOR_NEAR:  # also NaN and infinity
        return format_number(factor)
    return format_fixed(factor, 3 - int(np.floor(np.log10(distance))))


def exact_number(value):
    """``value`` with every digit it has (the shortest text that reads back as the same float).

    For numbers a reader is told to compute with, such as a link's scale:
    ``2.0`` prints ``2``, ``1.2345678901234567`` in full.
    """
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < _PLAIN_LIMIT else repr(value)


def class_text(label):
    """A class label as every printout shows it: :func:`~glassbox.explain.terms.level_text` (a float label
    ``1.0`` as ``1``, with every digit it has; a text label quoted where it could be misread, such as
    ``'late, paid'`` in a list of classes), its control and bidi characters shown as escapes.

    Examples
    --------
    >>> [class_text(c) for c in ["bad", "late, paid", 1.0, 2.5, 3, "3", True]]
    ['bad', "'late, paid'", '1', '2.5', '3', "'3'", 'True']
    """
    return escape_text(level_text(plain_value(label)))


def prediction_text(prediction, is_class=False):
    """A prediction as printed: a class label (``is_class``) through :func:`class_text`, as the printout's
    other mentions of the classes; a number through :func:`format_number`."""
    if is_class:
        return class_text(prediction)
    return format_number(prediction) if isinstance(prediction, (float, np.floating)) else escape_text(prediction)


def format_numbers(values, digits=4):
    """``format_number`` over a scalar or a sequence (``[a, b]`` for lists)."""
    if isinstance(values, (list, tuple, np.ndarray)):
        return "[" + ", ".join(format_numbers(v, digits) for v in values) + "]"
    return format_number(values, digits)


def format_probability(p, rest=None):
    """A probability to three decimals, never rounded to a false certainty.

    0.99995 prints as ``>0.999`` and 0.00004 as ``<0.001``: a reader told
    ``P = 1.000`` would take the model to be certain.  ``rest`` is the
    probability of everything else, computed on its own (e.g. ``expit(-z)``):
    when it is positive, a ``p`` that rounded to exactly 1.0 in floating point
    still prints ``>0.999``.
    """
    p = float(p)
    if 0 < p < 0.0005:
        return "<0.001"
    if 0.9995 <= p < 1 or (p == 1 and rest is not None and rest > 0):
        return ">0.999"
    return f"{p:.3f}"


def format_open_probability(p, digits=3):
    """A probability to ``digits`` significant digits that never reads as a certainty it is not.

    A value strictly between 0 and 1 (a posterior mean, a credible bound) gets
    more digits when ``digits`` would round it to ``1``: 0.99977 prints
    ``0.9998``, not ``1``; past six digits it prints ``>0.999999``.  Small
    values keep their digits in scientific form (``6.68e-05``); exact 0 and 1
    print ``0`` and ``1``.
    """
    p = float(p)
    if not 0 < p < 1:
        return format_number(p, digits)
    for shown in range(digits, 7):
        text = format_number(p, shown)
        if float(text) < 1:
            return text
    return ">0.999999"


def format_risk_percent(p):
    """A modelled risk as a percentage to one decimal, never a false certainty.

    A logistic risk lies strictly between 0 and 1, so a value that reads (or
    rounds in floating point to) 0% or 100% prints as ``<0.1%`` or ``>99.9%``.
    """
    p = float(p)
    if p < 0.0005:
        return "<0.1%"
    if p >= 0.9995:
        return ">99.9%"
    return f"{100 * p:.1f}%"


def probability_pairs(classes, log_proba):
    """``P(c)=...`` for each class from log-probabilities, tails kept.

    Exponentiating each log-probability (not ``1 - p``) keeps a tiny class
    tiny: a binary decision of 40 prints ``P(0)=<0.001``, not ``P(0)=0.000``.
    """
    log_proba = np.asarray(log_proba, dtype=np.float64)
    proba = np.exp(log_proba)
    possible = log_proba > -np.inf  # nonzero, even where exp() underflows to 0
    texts = []
    for k, (c, p) in enumerate(zip(classes, proba)):
        rest = float(np.delete(proba, k).sum())
        if rest == 0 and np.delete(possible, k).any():
            rest = np.finfo(np.float64).tiny  # the others underflowed, but they are not impossible
        text = "<0.001" if p == 0 and possible[k] else format_probability(p, rest)
        texts.append(f"P({class_text(c)})={text}")
    return ", ".join(texts)


def text_table(header, rows):
    """Render ``rows`` under ``header`` as an aligned plain-text table.

    A cell is one line: its control and bidi characters (a newline in a feature
    name, a right-to-left override in a level) are shown as escapes
    (:func:`escape_text`), so no cell can start a row or reorder one.  Columns
    are padded by display width (:func:`display_width`: a CJK character or an
    emoji takes two columns, a combining accent none), so numbers stay under
    their headers beside names such as ``年龄``.
    """
    cells = [[escape_text(h) for h in header]] + [[escape_text(c) for c in row] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for k, row in enumerate(cells):
        lines.append("  ".join(pad_to(c, w) for c, w in zip(row, widths)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


_CELL_STYLE = "text-align:left;padding:2px 8px"


def html_table(header, rows, caption=None, row_header=None):
    """Render ``rows`` under ``header`` as an accessible HTML table for notebooks.

    The table is real markup, not aligned text, so a screen reader ties every
    cell to its headers (WCAG 1.3.1): ``caption`` names the table (give one
    whenever a page holds more than one table), each column is headed by a
    ``<th scope="col">``, and with ``row_header`` (a column position) that
    column's cells are ``<th scope="row">`` headers of their rows (a term, a
    condition, a SCORE).  Every header and cell is escaped; an empty cell is
    left empty, for a reader to fill in.  Styles only lay the table out: no
    information is carried by colour or CSS alone.  Control and bidi characters
    are shown as escapes, as in :func:`text_table`.

    Examples
    --------
    >>> page = html_table(["term", "coefficient"], [["age", "+0.5"]], caption="Coefficients", row_header=0)
    >>> page.count('<th scope="col"'), page.count('<th scope="row"'), "<caption" in page
    (2, 1, True)
    """
    parts = ['<table class="glassbox-table" style="border-collapse:collapse">']
    if caption:
        parts.append(f'<caption style="text-align:left;font-weight:bold">{html.escape(escape_text(caption))}</caption>')
    parts.append("<thead><tr>")
    parts.extend(f'<th scope="col" style="{_CELL_STYLE}">{html.escape(escape_text(h))}</th>' for h in header)
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>")
        for k, cell in enumerate(row):
            text = html.escape(escape_text(cell))
            if k == row_header:
                parts.append(f'<th scope="row" style="{_CELL_STYLE};font-weight:normal">{text}</th>')
            else:
                parts.append(f'<td style="{_CELL_STYLE}">{text}</td>')
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def html_lines(lines):
    """Lines of a printout as HTML paragraphs (escaped, control and bidi characters shown; None and empty
    lines left out)."""
    return "".join(f"<p>{html.escape(escape_lines(line))}</p>" for line in lines if line)


def count_text(n, noun):
    """``1 term``, ``2 terms``: a count with its noun in the number a reader expects (``noun`` singular,
    plural by an ``s``)."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def html_block(title, body_html):
    return f'<div class="glassbox-explanation"><p><b>{html.escape(escape_lines(title))}</b></p>{body_html}</div>'


def html_pre(text):
    return f'<pre style="font-family:monospace">{html.escape(escape_lines(text))}</pre>'


def value_text(value):
    """An input value as a reader should see it: numbers compact, NaN / None / pandas.NA as ``missing``, a
    text value quoted where it could be misread (``'missing'``, ``'3'``, ``'Berlin, Mitte=1'``: :func:`level_text`).

    Examples
    --------
    >>> [value_text(v) for v in [float("nan"), "missing", "3", 3, "Köln", "Berlin, Mitte=1"]]
    ['missing', "'missing'", "'3'", '3', 'Köln', "'Berlin, Mitte=1'"]
    """
    if value is None or (isinstance(value, (float, np.floating)) and value != value):
        return "missing"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.number)):
        return format_number(value)
    if is_missing(np.array([value], dtype=object))[0]:
        return "missing"
    return escape_text(level_text(value))


def percent_text(level):
    """A level (credible, confidence) as the percentage it is, every digit kept: 0.95 -> 95, 0.9999999 -> 99.99999 (four
    significant digits printed it 100, the level of the interval [0, 1]), 0.12345 -> 12.345."""
    text = format(Decimal(repr(float(level))) * 100, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
