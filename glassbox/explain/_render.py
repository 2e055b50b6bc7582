"""Plain-text and HTML rendering shared by all explanation objects."""

import html

import numpy as np

from .terms import format_value


def format_number(value, digits=4):
    """Compact signed-aware number formatting for tables."""
    if value is None:
        return ""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value != value:
            return "nan"
        if value == 0:
            return "0"
        return f"{value:.{digits}g}"
    return format_value(value)


def text_table(header, rows):
    """Render ``rows`` under ``header`` as an aligned plain-text table."""
    cells = [[str(h) for h in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for k, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def html_table(header, rows, caption=None):
    """Render ``rows`` as an HTML table for notebooks."""
    parts = ['<table class="glassbox-table" style="border-collapse:collapse">']
    if caption:
        parts.append(f'<caption style="text-align:left;font-weight:bold">{html.escape(caption)}</caption>')
    parts.append("<thead><tr>")
    parts.extend(f'<th style="text-align:left;padding:2px 8px">{html.escape(str(h))}</th>' for h in header)
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>")
        parts.extend(f'<td style="padding:2px 8px">{html.escape(str(c))}</td>' for c in row)
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def html_block(title, body_html):
    return f'<div class="glassbox-explanation"><p><b>{html.escape(title)}</b></p>{body_html}</div>'


def html_pre(text):
    return f'<pre style="font-family:monospace">{html.escape(text)}</pre>'
