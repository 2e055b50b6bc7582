"""The explanation contract every glassbox estimator keeps.

A glassbox model computes its output from one method,
``_term_contributions(data)`` -> ``(n_samples, n_terms[, n_classes])`` in
decision-function space, plus ``_base_value()``.  ``decision_function``,
``predict_proba``, ``predict`` and ``explain_local`` are all built here from
those two, so a local explanation adds up to the prediction by construction::

    base_value + contributions.sum(axis=1) == decision_function(X)

A family implements:

- ``_prepare(X)``: validate ``X`` at predict time and return whatever
  ``_term_contributions`` reads (binned codes, a design matrix, ...), plus the
  raw rows for display;
- ``_term_contributions(prepared)`` and ``_base_value()``.  The contributions
  must be a new array, made for this call, that nothing else holds: the caller
  takes it over (``explain_local`` freezes it in place, and a family's
  ``_relative_contributions`` may shift it in place), so a table cached on the
  model would be frozen or changed under its owner;
- ``term_names_`` (fitted attribute) and ``explain_global()``;
- optionally ``_decision_only(X, scale=None)``: the decision function alone,
  bit for bit ``base_value + contributions.sum(axis=1)``, without the raw rows
  or the whole contributions table (``decision_function`` / ``predict`` use it;
  ``scale`` multiplies the base value and each contribution before the sum, for
  a distilled copy; ``decision_in_blocks`` does both for a row-sliceable input);
- ``_link()`` only when the default (identity / logit / softmax by number of
  classes) does not fit, e.g. a risk score's multiplier.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._release_stamp import StampsRelease
from .explain.links import Link, link_for_classes
from .explain._row_labels import row_labels_of
from .explain._term_features import term_features_of
from .explain.local import LocalExplanation
from .utils._memory import physical_memory, size_text
from .utils.tabular import feature_names_of

__all__ = ["GlassBoxMixin", "GlassBoxClassifierMixin", "GlassBoxRegressorMixin", "InconsistentVersionWarning", "Link"]

#: decision_in_blocks sums the contributions of this many rows at a time (300 terms: 9.8 MB a block)
DECISION_BLOCK_ROWS = 4096


def row_ordered(contributions):
    """``contributions`` as a row-ordered (C-contiguous) table, copied only when it is not one.

    numpy sums the rows of a row-ordered table pairwise and those of a column-major
    table term after term, and the two round differently.  Every sum of a model's
    contributions (the estimator's, and a model loaded from JSON, whose tables are
    row-ordered) goes through this, so the same terms give the same bits whatever
    memory order the fitted design happened to have (a NumPy array's design is
    column-major, a DataFrame's row-ordered).
    """
    return contributions if contributions.flags.c_contiguous else np.ascontiguousarray(contributions)


def decision_in_blocks(base_value, prepared, term_contributions, scale=None):
    """``base_value + term_contributions(prepared).sum(axis=1)``, bit for bit, a block of rows at a time.

    ``prepared`` is an array with one row per sample; only one block's
    contributions exist at a time.  With ``scale`` (a distilled copy's output
    scale) the base value and every contribution are multiplied by it before
    the sum, as the copy's own table is.  Each block is summed as a row-ordered
    table (:func:`row_ordered`), as the whole table and a loaded model's are.
    """
    n_samples, block = prepared.shape[0], max(1, DECISION_BLOCK_ROWS)
    base = base_value if scale is None else base_value * scale
    decision = None
    for start in range(0, n_samples, block):
        stop = min(start + block, n_samples)
        contributions = row_ordered(term_contributions(prepared[start:stop]))
        if scale is not None:
            contributions = contributions * scale
        part = base + contributions.sum(axis=1)
        del contributions  # before the next block's table is built: one block's table at a time
        if decision is None:
            decision = np.empty((n_samples,) + part.shape[1:], dtype=part.dtype)
        decision[start:stop] = part
    return decision


def _refuse_contributions_beyond_memory(model, n_rows):
    """Refuse, before it is allocated, a rows x terms (x classes) table of contributions larger than the machine's
    memory, naming a batch of rows that fits (it was a bare numpy MemoryError, or the system ended the process)."""
    n_terms, n_outputs = len(model.term_names_), int(np.size(model._base_value()))
    row_bytes = 8 * max(n_terms, 1) * max(n_outputs, 1)
    available = physical_memory()
    if available is None or n_rows * row_bytes <= available:
        return
    per_class = f" x {n_outputs} classes" if n_outputs > 1 else ""
    batch = max(1, available // 4 // row_bytes)
    raise MemoryError(
        f"Explaining {n_rows} rows of {type(model).__name__} needs a {n_rows} x {n_terms} terms{per_class} table of "
        f"contributions ({size_text(n_rows * row_bytes)}); this machine has {size_text(available)}. Explain the rows "
        f"in batches of at most {batch} (and give reason codes a reference of at most that many rows); predict "
        "needs no such table."
    )


def _precomputed_block(rows):
    """A block of an already computed contributions table as it is: lets :func:`decision_in_blocks` sum that table."""
    return rows


class InconsistentVersionWarning(UserWarning):
    """A pickled glassbox model is loaded by another glassbox release than the one that wrote it.

    Pickles hold the model's private attributes, which may change between
    releases, so such a model may fail or predict differently.  The model is
    loaded all the same (as scikit-learn does for its own estimators); refit it,
    or keep models with ``to_json()``, whose versioned format loads across
    releases and runs no code.  The warning comes only once the pickle has been
    read, and reading a pickle can run any code it holds: load pickles only
    from a source you trust, and exchange models with others as ``to_json()``
    text, read back with :func:`glassbox.from_json`.  (scikit-learn's own
    ``InconsistentVersionWarning`` is about scikit-learn's version, e.g. of a
    distilled copy's teacher.)

    Parameters
    ----------
    estimator_name : str
        The class of the model loaded.
    current_version : str
        The glassbox release loading it (kept as an attribute, as are the others).
    original_version : str
        The glassbox release that pickled it.

    Examples
    --------
    A service that must never score with a model pickled by another release
    can turn the warning into an error:

    >>> import warnings
    >>> import numpy as np
    >>> from glassbox import InconsistentVersionWarning, SparseLinearRegressor
    >>> model = SparseLinearRegressor(alpha=0.1).fit(np.arange(8.0).reshape(-1, 1), np.arange(8.0))
    >>> state = model.__getstate__()
    >>> state["_glassbox_version"] = "0.0.1"  # as if an older release had pickled it
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", InconsistentVersionWarning)
    ...     try:
    ...         SparseLinearRegressor().__setstate__(state)
    ...     except InconsistentVersionWarning as refused:
    ...         print(refused.original_version)
    0.0.1
    """

    def __init__(self, *, estimator_name, current_version, original_version):
        self.estimator_name = estimator_name
        self.current_version = current_version
        self.original_version = original_version
        super().__init__(
            f"This {estimator_name} was pickled by glassbox {original_version} and is loaded by glassbox "
            f"{current_version}. A pickle is only supported by the release that wrote it: the model may fail or "
            "predict differently. Refit it under this release, or store models with to_json() (a versioned "
            "format that glassbox.from_json loads across releases, running no code)."
        )


class GlassBoxMixin(StampsRelease):
    """Shared part of the contract: decision function and local explanations.

    Subclasses provide ``_prepare(X) -> (prepared, rows)`` (validate ``X`` for
    prediction; ``rows`` is an object array of the raw values),
    ``_term_contributions(prepared)`` (a new array per call, which the caller
    takes over: see the module docstring), ``_base_value()``, ``term_names_``
    and ``explain_global()``.  They are not declared here so that a family may supply
    them from its own mixin placed after this one.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from glassbox import SparseLinearClassifier, all_estimators
    >>> from glassbox.base import GlassBoxMixin
    >>> all(issubclass(cls, GlassBoxMixin) for name, cls in all_estimators())
    True
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"debt": rng.uniform(0, 1, 200), "years": rng.uniform(0, 20, 200)})
    >>> y = np.where(3 * X["debt"] - 0.2 * X["years"] + rng.logistic(size=200) > 0, "default", "repaid")
    >>> model = SparseLinearClassifier().fit(X, y)
    >>> local = model.explain_local(X.iloc[:3])  # built from the same term contributions as the decision function
    >>> bool(np.array_equal(local.decision, model.decision_function(X.iloc[:3])))
    True
    >>> bool(np.allclose(local.base_value + local.contributions.sum(axis=1), local.decision, rtol=1e-12))
    True

    A pickle records the glassbox release that wrote it; loading it under another
    release warns with :class:`InconsistentVersionWarning`:

    >>> import pickle
    >>> restored = pickle.loads(pickle.dumps(model))  # same release: no warning
    >>> bool(np.array_equal(restored.predict(X), model.predict(X)))
    True
    """

    # -- built from the above -----------------------------------------------------
    def _decision_and_contributions(self, X):
        """Decision, contributions and display rows of ``X``."""
        check_is_fitted(self)
        prepared, rows = self._prepare(X)
        _refuse_contributions_beyond_memory(self, len(rows))
        contributions = self._term_contributions(prepared)
        # summed as predict sums it (a column-major table a block of rows at a time, not copied whole)
        decision = decision_in_blocks(self._base_value(), contributions, _precomputed_block)
        return decision, contributions, rows

    def _decision(self, X):
        # a family may define _decision_only(X): the same values without building the display rows
        # and the whole rows x terms table (predict on wide data would otherwise hold both at once)
        if hasattr(self, "_decision_only"):
            check_is_fitted(self)
            return self._decision_only(X)
        return self._decision_and_contributions(X)[0]

    def explain_local(self, X, relative_to=None):
        """Explain each row of ``X``: per-term contributions that add up to its output.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        relative_to : None or "mean", default=None
            None measures contributions from the model's base value (e.g. the
            intercept).  ``"mean"`` (families that know their training term
            means, such as linear models) measures each contribution from the
            term's training mean and moves the model's output at the mean into
            the base value; the sum is unchanged.

        Returns
        -------
        LocalExplanation
            ``base_value + contributions.sum(axis=1)`` equals
            ``decision_function(X)`` (``predict(X)`` for regressors).  When
            ``X`` is a DataFrame its index labels the rows (``row_labels``:
            the printout says ``row 512``, ``to_frame()`` is indexed by it).
        """
        decision, contributions, rows = self._decision_and_contributions(X)
        base_value = np.asarray(self._base_value(), dtype=np.float64)
        labels, label_names = row_labels_of(X)
        if relative_to is not None:
            if not (isinstance(relative_to, str) and relative_to == "mean"):  # a frame of rows is no reference here
                shown = repr(relative_to) if isinstance(relative_to, str) else f"a {type(relative_to).__name__}"
                raise ValueError(f"relative_to must be None or 'mean' (each term from its training mean), "
                                 f"got {shown}.")
            # families that support it define _relative_contributions(relative_to, base, contributions)
            if not hasattr(self, "_relative_contributions"):
                raise ValueError(
                    f"{type(self).__name__} does not support relative_to={relative_to!r}; use relative_to=None."
                )
            base_value, contributions = self._relative_contributions(relative_to, base_value, contributions)
        term_names, feature_names = tuple(self.term_names_), tuple(feature_names_of(self))
        # a risk score (and its copies) defines _unearned_missing(X): the card's conditions a missing value left
        # unearned, per row; read once, for the explanation and for the notes that name them
        unearned = self._unearned_missing(X) if hasattr(self, "_unearned_missing") else None
        if isinstance(contributions, np.ndarray) and contributions.base is None and contributions.dtype == np.float64:
            # a table computed for this explanation alone (_term_contributions returns a new one, module docstring,
            # left writable): frozen here, in place, the explanation keeps it instead of a read-only copy
            # (rows x terms x 8 bytes: 1.2 GB for 250,000 rows of 611 terms)
            contributions.setflags(write=False)
        fields = dict(
            model=type(self).__name__,
            term_names=term_names,
            base_value=base_value,
            contributions=contributions,
            feature_names=feature_names,
            feature_values=rows,
            decision=decision,
            prediction=self._output_from_decision(decision),
            link=self._link(),
            classes=getattr(self, "classes_", None),
            notes=self._local_notes(contributions, unearned),
            decision_path=self._decision_path(X),
            # what each term reads: reasons read from this explanation alone name a rule, a condition or a pair
            # with the row's values, as those read with the model do
            term_features=self._features_of_terms(term_names, feature_names),
            unearned_missing=unearned,
            row_labels=labels,
            row_label_names=label_names,
            pos_label=self._event_read_first(),
        )
        return LocalExplanation(**{**fields, **self._local_explanation_fields()})

    def _local_explanation_fields(self):
        """Fields of :class:`~glassbox.explain.LocalExplanation` a family sets beyond the common ones, as a dict
        (a card about ``classes_[0]`` names its total ``-(SCORE + intercept)``; a distilled copy is approximate);
        given to the one constructor call instead of rebuilding the explanation with ``dataclasses.replace``."""
        return {}

    def _features_of_terms(self, term_names, feature_names):
        """The features each term reads, one tuple of feature names per term (``()`` for a term that reads
        none, such as a rule model's default).

        A family defines ``_term_features()``, read from its fitted state; the
        fallback builds the global explanation, which costs as much as the rest
        of a one-row ``explain_local``.
        """
        if hasattr(self, "_term_features"):
            return self._term_features()
        return term_features_of(self.explain_global(), term_names, feature_names)

    def _event_read_first(self):
        """``classes_[0]`` when the model describes that class's risk (``pos_label``), so that its
        explanations are read toward it; None otherwise (``classes_[1]``, or no single event)."""
        return self.classes_[0] if getattr(self, "_event_index", None) == 0 else None

    def _local_notes(self, contributions, unearned_missing):
        """Per-row remarks for local explanations (families override).

        ``contributions`` are the explained rows' and ``unearned_missing`` the
        explanation's (a risk score's conditions a missing value left unearned,
        per row; None for other families), so that a note need not validate,
        bin or read the rows again.
        """
        return None

    def _decision_path(self, X):
        """The rules checked for each row of ``X``, a :class:`~glassbox.explain.DecisionPath` (rule models override)."""
        return None

    def to_json(self, **kwargs):
        """The fitted model as JSON: its global explanation, which recomputes it.

        Load it with :func:`glassbox.from_json`; loading runs no code.
        """
        return self.explain_global().to_json(**kwargs)


class GlassBoxClassifierMixin(GlassBoxMixin):
    """Classification outputs from the decision function.

    Requires ``classes_``.  Binary models have a 1-D decision function whose
    sign picks ``classes_[1]``; multiclass models one column per class.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from glassbox import SparseLinearClassifier
    >>> from glassbox.base import GlassBoxClassifierMixin
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"debt": rng.uniform(0, 1, 200), "years": rng.uniform(0, 20, 200)})
    >>> y = np.where(3 * X["debt"] - 0.2 * X["years"] + rng.logistic(size=200) > 0, "default", "repaid")
    >>> model = SparseLinearClassifier().fit(X, y)
    >>> isinstance(model, GlassBoxClassifierMixin), model.classes_
    (True, array(['default', 'repaid'], dtype='<U7'))
    >>> decision = model.decision_function(X.iloc[:3])  # log-odds of classes_[1]
    >>> model.predict(X.iloc[:3]), model.classes_[(decision > 0).astype(int)]
    (array(['default', 'repaid', 'repaid'], dtype='<U7'), array(['default', 'repaid', 'repaid'], dtype='<U7'))
    >>> bool(np.allclose(model.predict_proba(X.iloc[:3])[:, 1], 1 / (1 + np.exp(-decision))))
    True
    """

    def _link(self):
        return link_for_classes(len(self.classes_))

    def decision_function(self, X):
        """Decision function (log-odds, or points for risk scores) of each row.

        Returns
        -------
        ndarray of shape (n_samples,) for binary models, (n_samples, n_classes) otherwise
        """
        return self._decision(X)

    def predict_proba(self, X):
        """Class probabilities, the inverse link of the decision function."""
        decision = self._decision(X)
        return self._link().inverse(decision)

    def predict_log_proba(self, X):
        """Log class probabilities, computed stably."""
        decision = self._decision(X)
        return self._link().log_inverse(decision)

    def predict(self, X):
        """Predicted class labels."""
        return self._output_from_decision(self._decision(X))

    def _output_from_decision(self, decision):
        return self.classes_[self._link().predict_index(decision)]


class GlassBoxRegressorMixin(GlassBoxMixin):
    """Regression output: the inverse link of the decision function.

    The identity link by default (the prediction is the decision function); a
    family with a log link (a GAM's count and amount losses) overrides ``_link``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from glassbox import GAMRegressor
    >>> from glassbox.base import GlassBoxRegressorMixin
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"hour": rng.integers(0, 24, 300)})
    >>> counts = rng.poisson(np.exp(1 + np.sin(X["hour"] / 4)))
    >>> model = GAMRegressor(loss="poisson", interactions=0, random_state=0).fit(X, counts)
    >>> isinstance(model, GlassBoxRegressorMixin)
    True
    >>> local = model.explain_local(X.iloc[:3])  # contributions add up to the log of the mean
    >>> bool(np.allclose(model.predict(X.iloc[:3]), np.exp(local.decision)))
    True
    """

    def _link(self):
        return Link("identity")

    def predict(self, X):
        """Predicted values: base value plus the sum of term contributions, through the link's inverse."""
        return self._output_from_decision(self._decision(X))

    def _output_from_decision(self, decision):
        return self._link().inverse(decision)
