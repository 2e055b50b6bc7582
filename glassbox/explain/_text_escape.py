"""Names and levels as a printout shows them: control and bidi characters made visible.

A printout is the reader's record of a model, and the names in it (features,
terms, levels, class labels, the model's) come from the data or from a model
file.  A newline in a feature name would start a line the model does not have
(a forged rule); a right-to-left override (U+202E) shows the text after it
reversed.  :func:`escape_text` writes such characters as Python writes them in
a string literal (``\\n``, ``\\x1b``, ``\\u202e``), so every line of a printout
is one the model printed and reads as stored.  Other text, accents, CJK,
Arabic letters and emoji included, is shown unchanged.

A name or a text level that a printout could misread is also quoted
(:func:`is_plain_token` says which): a feature name in backticks
(:func:`name_text`: `` `Alter >= 65` ``, `` `2020` ``, `` `default` ``), a text
level as its Python literal (``'North AND South'``, ``'3'`` beside the number
``3``, ``'missing'`` beside the missing bin).  Every other name and level,
spaces, accents and CJK included, prints bare as before.
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


# Separators and operators the printouts write between names and values: a condition's ``<``, ``>=``, ``==``,
# the input line's ``name=value, name=value``, the why line's ``; ``; a backtick or backslash would read as
# (the end of) the quoting itself.
_SEPARATORS = ("<", ">", "=", "!", ",", ";", "`", "\\")
# A quote mark at either end would read as the quoting of a text level (a quote inside, as in O'Brien, cannot).
_QUOTES = ("'", '"')
# Words printouts put between conditions and rules (``IF a AND b THEN``, ``x is missing``, ``not flag``),
# and the `` x `` between the two features of a pair term.
_KEYWORDS = re.compile(r"\b(?:AND|OR|IF|THEN|ELSE)\b|\bis missing\b|^not(?:\s|$)| x ")
# Labels the library prints itself where a feature or level could stand: the fall-back rule, the intercept
# and base rows, the synthetic bins, and the literals a number, flag or missing value prints as.
# (No "other": the library prints no bin of that name, and it is a common level, e.g. purpose == other.)
_OWN_LABELS = frozenset(["default", "(intercept)", "intercept", "base value", "missing", "unseen", "all values",
                         "True", "False", "None"])


def _reads_as_number(text):
    try:
        float(text)  # "3", "-1.5", "1e5", "nan", "inf" (and "1_000", as Python reads it)
    except ValueError:
        return False
    return True


def is_plain_token(text):
    """Whether the name or text level ``text`` prints bare: it cannot be misread in a printout.

    It can be when it is empty or has leading or trailing whitespace; holds an
    operator or separator the printouts use (``<``, ``>``, ``=``, ``!``, ``,``,
    ``;``, a backtick, a backslash), starts or ends with a quote mark, holds a
    hidden character (:func:`escape_text`),
    or a word printouts join conditions with (``AND``, ``OR``, ``IF``, ``THEN``,
    ``ELSE``, ``is missing``, a leading ``not``, the pair separator `` x ``);
    reads as a number or as ``True`` / ``False`` / ``None``; or is a label the
    library prints itself (``default``, ``(intercept)``, ``intercept``,
    ``base value``, ``missing``, ``unseen``, ``all values``).

    Examples
    --------
    >>> [is_plain_token(t) for t in ["age", "Größe (cm)", "年龄", "hours per week", "income >50K"]]
    [True, True, True, True, False]
    >>> [is_plain_token(t) for t in ["2020", "3", "nan", "True", "missing", "default", " age", "", "'3'"]]
    [False, False, False, False, False, False, False, False, False]
    """
    text = str(text)
    return not (
        not text
        or text != text.strip()
        or any(separator in text for separator in _SEPARATORS)
        or text[0] in _QUOTES or text[-1] in _QUOTES  # ``'3'`` bare would print as the quoted level ``3``
        or _HIDDEN.search(text)
        or _KEYWORDS.search(text)
        or text in _OWN_LABELS
        or _reads_as_number(text)
    )


def name_text(name):
    """A feature name as printouts show it: bare when :func:`is_plain_token`, else in backticks.

    Inside the backticks a backtick is doubled and a backslash too, and hidden
    characters show as escapes, so the quoted text reads back as one name.

    Examples
    --------
    >>> name_text("age"), name_text("Alter >= 65"), name_text("2020"), name_text("default")
    ('age', '`Alter >= 65`', '`2020`', '`default`')
    >>> print(name_text("a`b"), name_text("thal\\nELSE"))
    `a``b` `thal\\nELSE`
    """
    text = str(name)
    if is_plain_token(text):
        return text
    return "`" + escape_text(text.replace("\\", "\\\\")).replace("`", "``") + "`"


def text_level_text(level):
    """A text level as printouts show it: bare when :func:`is_plain_token`, else as its Python literal.

    ``'3'`` is then told from the number ``3``, ``'missing'`` from a missing
    value and ``'North AND South'`` from two conditions (``repr`` also writes
    hidden characters as escapes).

    Examples
    --------
    >>> text_level_text("Köln"), text_level_text("3"), text_level_text("North AND South")
    ('Köln', "'3'", "'North AND South'")
    """
    return level if is_plain_token(level) else repr(level)
