"""What a distilled copy's ``verbose`` prints: its own stages, and at ``verbose >= 2`` its student's.

A copy says the teacher (fitted here, or taken as it is), the extra rows drawn,
the teacher's labelling of the rows, the student's fit and the copy's fidelity.
The student's own lines are one level below the copy's: a copy at
``verbose=2`` fits its student with ``verbose=1``, at ``verbose=3`` with
``verbose=2``.  The student's ``verbose`` is put back as given once it is fitted,
so ``student_.get_params()`` (and the copy's explanation) do not depend on the
copy's ``verbose``.
"""

from ._outputs import model_name


def say_teacher(progress, teacher, fitted_here):
    """One line: the teacher, fitted on ``(X, y)`` here or used as it was given."""
    if progress:
        how = "fitted on (X, y)" if fitted_here else "used as given (already fitted)"
        progress.say(f"teacher {model_name(teacher)} {how}")


def say_labelled(progress, n_rows, n_extra, augment):
    """One line: the rows the teacher labelled (the training rows and the extra rows drawn by ``augment``)."""
    if progress:
        extra = f" and {n_extra} extra rows drawn by {augment!r}" if n_extra else ""
        progress.say(f"teacher labelled {n_rows} training rows{extra}")


def say_student(progress, student, fidelity):
    """Two lines: the student fitted, then the copy's fidelity (measured on the training rows) and total time."""
    if not progress:
        return
    from .frontier import complexity_of, sized  # the frontier's measure of a student's size (it imports distill)

    progress.say(f"student {type(student).__name__} fitted ({sized(*complexity_of(student))})")
    metric = "agreement" if fidelity.task == "classification" else "R2"
    progress.done(f"fidelity on the training rows: {metric} {fidelity.headline:.4f}")


def fit_speaking(student, verbose, fit):
    """``fit()`` (which fits ``student`` and returns the fitted student, possibly a clone of it), with the
    student printing at ``verbose - 1`` when ``verbose >= 2`` and it has a ``verbose`` parameter.

    The student's own ``verbose`` is given back afterwards, on ``student`` and on the model returned,
    whatever the fit did.
    """
    if verbose < 2 or "verbose" not in student.get_params(deep=False):
        return fit()
    given = student.get_params(deep=False)["verbose"]
    student.set_params(verbose=verbose - 1)
    fitted = None
    try:
        fitted = fit()
    finally:
        for model in (student, fitted):
            if model is not None:
                model.set_params(verbose=given)
    return fitted
