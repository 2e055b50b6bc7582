"""A model file edited by hand: the one warning that says which figures were recomputed and which are gone.

A committee may edit a saved model's primary numbers (a scorecard's points, a
coefficient, a shape's score) in its JSON.  The loaded model predicts from the
edited numbers; the figures the file stores beside them were derived from the
old ones.  A loader compares the stored derived figures with those its primary
numbers give: those that follow from the primary numbers alone are recomputed,
those that need the training data are marked not available, and this warning
names the edited field, so that no printout shows figures of another model.
A file written by ``to_json()`` and not edited gives no warning.
"""

import warnings

#: What a figure that needs the training data says when an edit made it unknowable.
REFIT_HINT = "edited after fitting: refit the model on its training data to see them again"


#: The key a copy's ``fidelity`` gains when its model was edited by hand after the figures were measured.
MEASURED_BEFORE_EDIT = "measured_before_edit"


def warn_hand_edited(explanation, kind, edited, recomputed=(), unavailable=()):
    """One ``UserWarning`` about a hand edit of ``explanation``'s file (a ``kind`` model).

    ``edited`` names the field(s) whose values no longer match what the file
    stores beside them; ``recomputed`` lists the figures rebuilt from them,
    ``unavailable`` those that need the training data and are now marked not
    available (NaN / None).  A copy's fidelity figures were measured on the
    model before the edit: the warning says so (``GlobalExplanation.from_dict``
    marks them).
    """
    from ..utils.validation import user_stacklevel  # glassbox.utils imports this package

    parts = [f"This {kind} model file was edited after fitting: the figures it stores beside {edited} are "
             "those of the model before the edit"]
    if recomputed:
        parts.append(f"recomputed from the edited values: {', '.join(recomputed)}")
    if explanation.fidelity is not None:
        unavailable = [*unavailable, "its fidelity to the teacher (measured on the copy before the edit: "
                                     "measure the edited copy with glassbox.surrogate.fidelity_report)"]
    if unavailable:
        parts.append(f"not available (they need the training data; refit to see them): {', '.join(unavailable)}")
    parts.append("the model predicts from the edited values")
    warnings.warn("; ".join(parts) + ".", UserWarning, stacklevel=user_stacklevel())


def warn_of_reordered_classes(explanation):
    """One ``UserWarning`` when a file written by a glassbox classifier lists its classes out of sorted order.

    A fitted classifier lists its classes sorted (scikit-learn's ``np.unique``),
    and its outputs follow that order; labels swapped in the file would make
    every prediction name another class, silently.  A label renamed in place
    is legitimate and may leave them unsorted, so this warns rather than
    refuses.  Explanations built by hand (another ``model`` name) may list
    their classes in any order and are not checked.
    """
    from ..utils.registry import all_estimators  # glassbox.utils imports this package
    from ..utils.validation import user_stacklevel

    if explanation.classes is None or explanation.model.split(" ")[0] not in {name for name, _ in all_estimators()}:
        return
    labels = explanation.classes.tolist()
    try:
        in_order = all(a < b for a, b in zip(labels, labels[1:]))
    except TypeError:  # labels no order compares: not ones a fit sorted
        return
    if not in_order:
        shown = labels[:10] + (["..."] if len(labels) > 10 else [])
        warnings.warn(
            f"This {explanation.model} model file lists its classes as {shown}, not in the sorted order its fit "
            "lists them in: if labels were swapped or reordered in the file, every prediction now names another "
            "class than the model's outputs mean (a label renamed in place is fine; to change which class is "
            "predicted, refit)", UserWarning, stacklevel=user_stacklevel())
