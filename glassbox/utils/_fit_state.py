"""A fit that does not finish leaves the estimator as it was before the call."""

import functools


def restores_state_on_failure(fit):
    """Decorate a ``fit`` so that, if it raises (a bad input found late, Ctrl-C), the estimator's
    attributes are put back as they were before the call.

    A fit sets its fitted attributes (``classes_``, ``binner_``, ...) as it goes: one stopped half
    way left some of them, so ``check_is_fitted`` took the estimator for fitted and ``predict``
    failed deep inside with an ``AttributeError``; a refit stopped half way mixed the old fit's
    attributes with the new one's.  Every public ``fit`` wears it.  The previous attributes are kept
    by reference: a fit replaces its attributes, it does not change them in place.  (A ``warm_start``
    fit, which would update a fitted array in place, would need a deep copy here; no estimator has one.)

    Examples
    --------
    >>> class Model:
    ...     @restores_state_on_failure
    ...     def fit(self, X):
    ...         self.n_features_in_ = len(X[0])
    ...         raise KeyboardInterrupt
    >>> model = Model()
    >>> try:
    ...     model.fit([[1.0, 2.0]])
    ... except KeyboardInterrupt:
    ...     pass
    >>> hasattr(model, "n_features_in_")
    False
    """

    @functools.wraps(fit)
    def guarded(self, *args, **kwargs):
        before = dict(vars(self))
        try:
            return fit(self, *args, **kwargs)
        except BaseException:
            vars(self).clear()
            vars(self).update(before)
            raise

    return guarded
