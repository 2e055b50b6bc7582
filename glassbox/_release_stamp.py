"""Pickles of glassbox objects record the glassbox release that wrote them.

A pickle holds an object's private attributes, which may change between
releases; the release it records lets a loader under another release warn
(:class:`glassbox.InconsistentVersionWarning`), as scikit-learn does for its
own estimators.  Every public glassbox class with ``fit`` takes this mixin:
the estimators (through ``GlassBoxMixin``), the transformers and the local
explainer.  It imports nothing from glassbox at import time, so that any
module can use it without an import cycle.
"""

import warnings


class StampsRelease:
    """Mixin: ``__getstate__`` adds ``_glassbox_version``; ``__setstate__`` warns when it is another release.

    Put it before ``BaseEstimator`` in the bases, so that scikit-learn's own
    version record (``_sklearn_version``) is kept beside glassbox's.
    """

    def __getstate__(self):
        """The state to pickle, with the glassbox version that writes it (``_glassbox_version``)."""
        from . import __version__  # here: the package sets it after importing this module

        parent = getattr(super(), "__getstate__", None)  # BaseEstimator's: the instance dict, not a copy
        state = parent() if parent is not None else self.__dict__
        return {**state, "_glassbox_version": __version__}

    def __setstate__(self, state):
        """Restore a pickle, warning when another glassbox release wrote it.

        A pickle without a recorded version was written before versions were
        recorded (glassbox 0.1.0.dev0, the same release line); it loads silently.
        """
        from . import __version__
        from .base import InconsistentVersionWarning  # base imports this module

        written_by = state.pop("_glassbox_version", None)
        if written_by is not None and written_by != __version__:
            warnings.warn(InconsistentVersionWarning(estimator_name=type(self).__name__,
                                                     current_version=__version__, original_version=written_by),
                          stacklevel=2)
        parent = getattr(super(), "__setstate__", None)
        if parent is not None:
            parent(state)
        else:
            self.__dict__.update(state)
