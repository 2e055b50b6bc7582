"""How many terminal columns a piece of text takes, for aligned plain-text tables.

A leaf module, with no dependency beyond :mod:`unicodedata`: ``len()`` counts
code points, but a CJK character or an emoji takes two columns of a
monospaced terminal or notebook, and a combining accent (an NFD ``é``) or a
zero-width joiner takes none, so padding by ``len()`` pushed the numbers of a
row with such a name out from under their headers.
"""

import unicodedata


def char_width(char):
    """Columns one character takes: 0 for combining marks and zero-width format characters, 2 for wide ones.

    Examples
    --------
    >>> char_width("a"), char_width("年"), char_width("\\N{GRINNING FACE}"), char_width("\\u0301")
    (1, 2, 2, 0)
    """
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text):
    """Columns ``text`` (one line) takes in a monospaced font.

    Examples
    --------
    >>> display_width("age"), display_width("年龄"), display_width("Cafe\\u0301")
    (3, 4, 4)
    """
    if text.isascii():  # the common case, in one step
        return len(text)
    return sum(char_width(char) for char in text)


def pad_to(text, width):
    """``text`` followed by spaces up to ``width`` display columns (``str.ljust`` by display width).

    Examples
    --------
    >>> pad_to("年龄", 6) + "|"
    '年龄  |'
    """
    return text + " " * max(0, width - display_width(text))
