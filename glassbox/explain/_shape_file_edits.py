"""Shape functions whose scores were edited in the model file: found on load and recorded as an edit.

A GAM edited through its methods (:mod:`glassbox.gam._edit`) records each edit
in ``edits``; a score typed into the JSON is found when the file is read, by
the one figure the file stores that the scores determine: a term's importance,
its mean absolute score over the training weight of its bins (``density``).  A
fitted term (one with a density and training value ranges: a term built by
hand may hold any importance) whose stored importance is not its scores' is recorded as an edit of
action ``"file"``, as the methods' edits are recorded, its importance
recomputed and its band dropped (the bags' spread described the fitted scores).
The scores stay as typed: the model predicts what the file says.
"""

from dataclasses import replace

import numpy as np

from ._hand_edits import warn_hand_edited
from .shapes import ShapeEdit


def shape_importance(term):
    """A term's importance, its mean absolute score over the training weight of its bins (``density``; the
    mean over the classes of a multiclass model), as the fit computes it."""
    density = term.density.ravel()
    total = density.sum()
    scores = np.abs(term.scores.reshape(density.size, -1)).mean(axis=1)
    if not total > 0:
        return 0.0
    with np.errstate(over="ignore"):
        importance = density @ scores / total
    # the fit's sum first, as it computes it; shares first where it overflows (scores near 1e308 / weight)
    return float(importance if np.isfinite(importance) else (density / total) @ scores)


def with_file_edits_recorded(shapes):
    """``shapes`` (a :class:`~glassbox.explain.ShapeFunctions` read from a file), its edited terms recorded,
    their importance recomputed and band dropped, with one warning naming them; ``shapes`` itself if none."""
    edited = [k for k, term in enumerate(shapes.terms)
              if _fitted(term) and not np.isclose(term.importance, shape_importance(term), rtol=1e-12, atol=0.0)]
    if not edited:
        return shapes
    names = tuple(shapes.term_names[k] for k in edited)
    terms = list(shapes.terms)
    for k in edited:
        terms[k] = replace(terms[k], importance=shape_importance(terms[k]), lower=None, upper=None)
    record = ShapeEdit("file", names, {"fields": [f"content/terms/{k}/scores" for k in edited]},
                       np.zeros(shapes.base_value.size))
    banded = [name for k, name in zip(edited, names) if shapes.terms[k].lower is not None]
    warn_hand_edited(shapes, "GAM", "the scores of " + ", ".join(map(repr, names)),
                     recomputed=["importance", "edits (a 'file' record)"],
                     unavailable=[f"the band ({shapes.band or 'lower/upper'}) of {', '.join(map(repr, banded))}"]
                     if banded else ())
    return replace(shapes, terms=tuple(terms), edits=shapes.edits + (record,))


def _fitted(term):
    """Whether ``term`` was written by a GAM's fit, whose importance its scores and density give: it has both
    a density and the training value ranges.  A term built by hand may hold any importance (or the default
    0), and a fitted one written before value ranges were recorded is not checked."""
    return term.density is not None and term.value_ranges is not None
