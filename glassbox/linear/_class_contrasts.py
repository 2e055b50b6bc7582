"""How a multiclass model's coefficients are read: against a reference class, levels against a base level.

Softmax ignores an amount added to every class's coefficient of a term (and
to every intercept), and beside the intercept a categorical's levels can
all move by one amount in a class.  Only differences are estimable: the
inference tables read each class against a reference class, and each
categorical's levels against one level, the same way for the Wald table
and the bootstrap.
"""

import numpy as np

from ..explain._equality import label_position, same_label
from ..utils.validation import plain_value


def reference_index(model, reference_class, method):
    """Index in ``classes_`` of the class a multiclass table reads the others against (None: no such class).

    Wald reads against ``classes_[0]`` unless told otherwise; the bootstrap
    shows each class's own coefficients unless a class is named.
    """
    classes = getattr(model, "classes_", None)
    if classes is None or len(classes) <= 2:
        if reference_class is None or (classes is not None and same_label(classes[0], reference_class)):
            return None
        what = "a binary classifier reads classes_[1] against classes_[0]" if classes is not None else \
            "a regressor has no classes"
        raise ValueError(f"reference_class applies to a multiclass classifier ({what}); leave it at None.")
    if reference_class is None:
        return 0 if method == "wald" else None
    position = label_position(classes, reference_class)
    if position is None:
        listed = ", ".join(repr(plain_value(v)) for v in classes)
        raise ValueError(f"reference_class={plain_value(reference_class)!r} is not one of the model's classes "
                         f"({listed}).")
    return position


def levels_against_first(model, coef, intercept):
    """``(coef, intercept, bases)``: a multiclass fit's categoricals with no level at 0 in every class, read
    against their first level (``bases``: feature -> that level).

    Beside the intercept a categorical's levels can all move by one amount
    in a class, its intercept the other way, without changing a
    prediction.  A binary fit holds one level at 0; a multinomial fit may
    hold a different level at 0 in each class, and its centring across the
    classes (``alpha=0``) leaves none at 0, so each class's levels are
    re-expressed against one level, the first (as treatment coding does).
    The predictions are unchanged.
    """
    coef, intercept, bases = np.array(coef, dtype=np.float64), np.array(intercept, dtype=np.float64), {}
    if not model.fit_intercept:
        return coef, intercept, bases
    features = {}
    for j, term in enumerate(model.terms_):
        if term.category is not None:
            features.setdefault(term.feature, []).append(j)
    for feature, levels in features.items():
        if np.any(np.all(coef[:, levels] == 0, axis=0)):
            continue
        shift = coef[:, levels[0]].copy()
        coef[:, levels] -= shift[:, None]
        coef[:, levels[0]] = 0.0
        intercept += shift
        bases[feature] = model.terms_[levels[0]].category
    return coef, intercept, bases


def bootstrap_contrasts(reference, values, index):
    """A multiclass bootstrap's rows read against class ``index``: ``(reference, values)`` of the contrasts.

    ``values`` is ``(resamples, rows, 2)`` (estimate, kept) in class blocks;
    each refit's contrast is its class coefficient minus the reference
    class's, and a contrast counts as kept when the refit kept the term in
    any class (NaN where either coefficient was not estimable).
    """
    labels = reference["labels"]
    n_classes, n_resamples = len(labels), values.shape[0]
    per_class = values.shape[1] // n_classes
    others = [k for k in range(n_classes) if k != index]
    estimates = values[..., 0].reshape(n_resamples, n_classes, per_class)
    contrasts = estimates[:, others] - estimates[:, [index]]
    # the intercept is never "kept" (NaN in every class): fmax skips NaN as nanmax does, without its warning
    in_model = np.fmax.reduce(values[..., 1].reshape(n_resamples, n_classes, per_class), axis=1, keepdims=True)
    kept = np.where(np.isnan(contrasts), np.nan, np.broadcast_to(in_model, contrasts.shape))
    own = reference["values"].reshape(n_classes, per_class)
    names = reference["names"][:per_class]
    contrasted = {**reference, "labels": [labels[k] for k in others], "names": names * len(others),
                  "classes": tuple(labels[k] for k in others for _ in names),
                  "values": (own[others] - own[index]).ravel()}
    return contrasted, np.stack([contrasts.reshape(n_resamples, -1), kept.reshape(n_resamples, -1)], axis=-1)
