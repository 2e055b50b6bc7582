"""Names and levels as a printout shows them: control and bidi characters made visible.

A printout is the reader's record of a model, and the names in it (features,
terms, levels, class labels, the model's) come from the data or from a model
file.  A newline in a feature name would start a line the model does not have
(a forged rule); a right-to-left override (U+202E) shows the text after it
reversed.  :func:`escape_text` writes such characters as Python writes them in
a string literal (``\\n``, ``\\x1b``, ``\\u202e``), so every line of a printout
is one the model printed and reads as stored.  Other text, accents, CJK,
Arabic letters and emoji included, is shown unchanged.
"""

import re

# C0 and C1 controls and DEL (\t, \n and \r among them); the Unicode line and paragraph separators, which
# some viewers break lines at; and the bidi formatting characters (ALM, LRM, RLM, the embeddings and
# overrides U+202A-U+202E, the isolates U+2066-U+2069), which reorder what a reader sees.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match):
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escape_text(value):
    """``str(value)`` with its control and bidi characters written as escapes (``\\n``, ``\\u202e``).

    Examples
    --------
    >>> print(escape_text("thal\\nELSE IF age >= 200"))
    thal\\nELSE IF age >= 200
    >>> escape_text("\\u202eelam"), escape_text("Größe"), escape_text("年齢")
    ('\\\\u202eelam', 'Größe', '年齢')
    """
    text = str(value)
    return _HIDDEN.sub(_visible, text) if _HIDDEN.search(text) else text


def escape_lines(text):
    """:func:`escape_text` of each line of ``text``: its line breaks kept, every other hidden character shown."""
    return "\n".join(escape_text(line) for line in str(text).split("\n"))
