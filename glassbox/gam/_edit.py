"""Editing a fitted GAM after review: remove terms, force monotone shapes, set or cap scores, refit the intercept.

People who know the domain review a fitted GAM and sometimes must change it:
a regulator has a term removed, a clinician flattens an artefact, an actuary
caps a relativity.  Each method here edits the model in place and returns it
(as the rule list's ``keep_rules`` and the risk score's ``use_scorecard`` do,
so ``gam.remove_terms([...])`` is not a silent no-op and
``edited = gam.remove_terms([...])`` works too; ``copy.deepcopy(gam)`` first
keeps the fitted model), and appends a
:class:`~glassbox.explain.shapes.ShapeEdit` record to its ``edits_``, which
the explanation, its JSON and the shape plot carry.  An edit that is refused
leaves the model as it was.

Every edit keeps the model's bookkeeping exact: an edited term is re-centred
the way :func:`~glassbox.gam._boosting.centre_terms` centres a fitted one
(training-weighted mean score 0, or mean relativity ``exp(f)`` 1 on a log
link), the shift moves to the intercept, so the predictions are those of the
edited scores and the explanation still adds up to them.  On a multiclass
model, an edit of every class also keeps each bin's class scores summing to 0
(as fitted: :func:`~glassbox.gam._base.centred_across_classes`); an edit of
one class (``target_class``) changes that class's column only.  Bins no
training row reached keep score 0.  An edited term's bag band is dropped: the bags' spread
described the fitted shape, not the edited one.
"""

import dataclasses
from collections.abc import Mapping
from numbers import Real

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..explain._equality import label_position
from ..explain.shapes import ShapeEdit, bin_range_label
from ..utils.validation import plain_value
from ._boosting import _weighted_means, unreachable_cells
from ._gam_fast import pava
from ._refit import refitted_intercept
from ._terms import TERM_ORDERED

_DIRECTIONS = {"increasing": 1, "decreasing": -1}


class ShapeEditingMixin:
    """The editing methods of the GAM estimators (see the module docstring)."""

    def remove_terms(self, terms):
        """Remove some terms: their scores are set to 0.

        The model then predicts exactly as if those terms contributed nothing;
        ``decision_function`` drops by each removed term's contribution and the
        intercept is unchanged.  A term is centred on the training data, so on
        an identity link the mean prediction over the training weights is
        unchanged; on a logit or log link the mean prediction moves (the term
        averaged 0 on the score, not on the probability or the mean) --
        follow with :meth:`refit_intercept` to restore it on your data.  The
        terms stay in the explanation, flat, marked ``edited: removed``; every
        input feature is still read (a removed feature's other terms, pairs,
        still use it: remove them too).

        Parameters
        ----------
        terms : str or list of str
            Names of the terms to remove (``term_names_``: a feature for a
            main effect, ``"a x b"`` for a pair).

        Returns
        -------
        self
            The model, edited in place (``copy.deepcopy`` it first to keep the fitted one).

        Notes
        -----
        An edit is made to the fitted model, not set by a parameter: ``fit``
        and ``clone`` start without it, so ``cross_val_score`` and
        ``GridSearchCV`` score the model as fitted.  To cross-validate an edit,
        apply it after the fit in every fold (the GAM guide, "Editing a fitted
        GAM", shows how).

        Examples
        --------
        >>> import copy
        >>> from sklearn.datasets import load_diabetes
        >>> from glassbox import GAMRegressor
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> model = GAMRegressor(interactions=0, outer_bags=2, random_state=0).fit(X, y)
        >>> fitted = copy.deepcopy(model)  # keep the model as fitted
        >>> model.remove_terms(["sex"])
        GAMRegressor(interactions=0, outer_bags=2, random_state=0)
        >>> sex = fitted.term_names_.index("sex")
        >>> contribution = fitted.explain_local(X).contributions[:, sex]
        >>> bool(abs(model.predict(X) - (fitted.predict(X) - contribution)).max() < 1e-9)
        True
        >>> print(model.edits_[0].summary())
        sex: removed (scores set to 0); intercept 0
        """
        check_is_fitted(self)
        names = [terms] if isinstance(terms, str) else list(terms)
        if not names:
            raise ValueError(f"remove_terms needs at least one term name; the terms are {self.term_names_}.")
        indices = list(dict.fromkeys(self._term_index(name) for name in names))
        return self._with_edit("remove", indices, {}, lambda t, scores, mass: np.zeros_like(scores))

    def make_monotone(self, term, direction="increasing"):
        """Make the model monotone in a numeric feature, by weighted isotonic regression.

        The main effect ``term`` is projected onto the monotone shapes by
        pool-adjacent-violators weighted by its bins' training weights (the
        least-squares monotone shape, the projection the fit applies to a
        constrained term at every step): adjacent bins that break the order
        are pooled to their weighted mean.  As with ``monotonic_cst``, every
        pair with the feature is projected too, along the feature, slice by
        slice (weighted by its cells' training weights), so the model's output
        is exactly monotone in the feature, on any grid of values; the missing
        bin is outside the order.  Later edits of these terms must keep the
        order.

        Parameters
        ----------
        term : str
            A numeric main effect (categorical levels have no order).
        direction : {"increasing", "decreasing"}, default="increasing"
            Non-decreasing or non-increasing in the feature's values.

        Returns
        -------
        self
            The model, edited in place (``copy.deepcopy`` it first to keep the fitted one).

        Notes
        -----
        An edit is made to the fitted model, not set by a parameter: ``fit``
        and ``clone`` start without it, so ``cross_val_score`` and
        ``GridSearchCV`` score the model as fitted.  To cross-validate an edit,
        apply it after the fit in every fold (the GAM guide, "Editing a fitted
        GAM", shows how).

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import load_diabetes
        >>> from glassbox import GAMRegressor
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> model = GAMRegressor(interactions=0, outer_bags=2, random_state=0).fit(X, y)
        >>> model = model.make_monotone("bmi", "increasing")
        >>> grid = X.iloc[[0] * 500].copy()
        >>> grid["bmi"] = np.linspace(X["bmi"].min(), X["bmi"].max(), 500)
        >>> bool(np.all(np.diff(model.predict(grid)) >= 0))
        True
        """
        check_is_fitted(self)
        if direction not in _DIRECTIONS:
            raise ValueError(f"direction must be 'increasing' or 'decreasing', got {direction!r}.")
        t = self._term_index(term)
        self._require_numeric_main(t, "make_monotone")
        if self._flat_scores_.shape[1] > 1:
            raise ValueError(
                "make_monotone is not available on a multiclass model: a class score that rises with a feature does "
                "not make that class's probability rise (fit one-vs-rest binary models instead)."
            )
        sign = _DIRECTIONS[direction]
        if self._axis_constraint(t, 0) == -sign:
            raise ValueError(
                f"{term!r} is already non-{'increasing' if sign > 0 else 'decreasing'} (fitted with monotonic_cst, or "
                f"made so by make_monotone); making it {direction} would pool it to one flat score. Remove the term "
                "(remove_terms) if that is meant."
            )
        axes = {t: 0, **self._pairs_along(t)}  # the terms to project, and the axis of the feature in each

        def project(u, scores, mass):
            layout, _, local = self._locate(u)
            shape = layout.term_shape(local)
            grid, weights = scores.reshape(shape), mass.reshape(shape)
            axis = axes[u]
            n_value = int((layout.ordered1, layout.ordered2)[axis][local])
            lines = [np.s_[:n_value]] if len(shape) == 1 else [
                (np.s_[:n_value], b) if axis == 0 else (b, np.s_[:n_value]) for b in range(shape[1 - axis])]
            for line in lines:
                values = np.ascontiguousarray(grid[line])
                pava(values, np.ascontiguousarray(weights[line], dtype=np.float64), sign)
                grid[line] = values
            return grid.reshape(scores.shape)

        return self._with_edit("monotone", list(axes), {"direction": direction}, project)

    def replace_scores(self, term, scores, *, target_class=None):
        """Give ``term`` the given scores (then re-centred).

        Parameters
        ----------
        term : str
            Any term, main effect or pair.
        scores : array-like
            One finite score per bin, shaped like the term's
            ``explain_global()`` scores: ``(n_bins,)`` for a main effect,
            ``(n_bins_1, n_bins_2)`` for a pair, the missing (and unseen) bins
            included, with a trailing class axis on a multiclass model unless
            ``target_class`` is given.  Bins no training row reached (a missing
            bin never filled, the unseen-level bin) must score 0.
        target_class : class label or None, default=None
            Multiclass models: replace only this class's scores (the other
            classes' are left exactly as they were).  Without it, each bin's
            new class scores are centred across the classes, as a fitted
            model's are (softmax ignores an amount added to every class, so
            the predictions are those of the scores given).

        Returns
        -------
        self
            The model, edited in place (``copy.deepcopy`` it first to keep the fitted one).

        Notes
        -----
        An edit is made to the fitted model, not set by a parameter: ``fit``
        and ``clone`` start without it, so ``cross_val_score`` and
        ``GridSearchCV`` score the model as fitted.  To cross-validate an edit,
        apply it after the fit in every fold (the GAM guide, "Editing a fitted
        GAM", shows how).

        Examples
        --------
        >>> from sklearn.datasets import load_diabetes
        >>> from glassbox import GAMRegressor
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> model = GAMRegressor(interactions=0, outer_bags=2, random_state=0).fit(X, y)
        >>> sex = model.explain_global().terms[model.term_names_.index("sex")]
        >>> model = model.replace_scores("sex", sex.scores * 0.5)
        >>> print(model.edits_[0].describe())
        scores replaced
        """
        check_is_fitted(self)
        t = self._term_index(term)
        layout, part, local = self._locate(t)
        column = self._class_column(target_class, "replace_scores", optional=True)
        shape = layout.term_shape(local)
        K = self._flat_scores_.shape[1]
        expected = shape if K == 1 or column is not None else shape + (K,)
        if isinstance(scores, Mapping) or _labelled_series(scores):
            order = " by ".join(f"explain_global().terms[{t}].bins[{axis}].bin_labels() ({_some(bins.bin_labels())})"
                                for axis, bins in enumerate(layout.bins[local]))
            raise ValueError(
                f"scores for {self.term_names_[t]!r} must be an array of one score per bin, not a dict or a labelled Series: give them "
                f"in the order of the bins, {order}, the missing and unseen bins included."
            )
        try:
            new = np.asarray(scores, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"scores for {self.term_names_[t]!r} must be numbers: {exc}") from exc
        if new.shape != expected:
            raise ValueError(
                f"scores for {self.term_names_[t]!r} must have shape {expected} (one per bin of "
                f"explain_global().terms[{t}].scores, the missing{' and unseen' if _has_unseen(layout, local) else ''} "
                f"bins included{', and a class axis' if len(expected) > len(shape) else ''}), got {new.shape}."
            )
        _check_finite(new, self.term_names_[t])
        new = new.reshape(-1) if len(expected) == len(shape) else new.reshape(-1, K)
        blocked = unreachable_cells(layout, local, part.mass[layout.cell_slice(local)])
        if np.any(new[blocked] != 0):
            raise ValueError(
                f"scores for {self.term_names_[t]!r} set bins no training row fell in (a missing bin never filled, "
                "the unseen-level bin) to non-zero values: those bins score 0, the term's average, so that a value "
                "never seen in training adds nothing. Pass 0 there."
            )

        def replace(t, old, mass):
            if column is None:
                return new.reshape(old.shape).copy()
            old[:, column] = new
            return old

        return self._with_edit("replace", [t], {"target_class": self._label(column)}, replace)

    def flatten_range(self, term, low, high, *, like=None, score=None, target_class=None):
        """Make the values from ``low`` to ``high`` of a numeric term score alike.

        Every bin holding a value from ``low`` to ``high`` (the bin of
        ``low``, the bin of ``high`` and those between; bins are the model's,
        so they may reach past the range: the record names them) takes the
        score the term gave the value ``like`` (e.g. ages 60 to 65 score like
        59) or the number ``score``.  The edit changes the main effect only:
        a pair with the feature is a term of its own (its bins are coarser);
        edit it with :meth:`replace_scores` or remove it.

        Parameters
        ----------
        term : str
            A numeric main effect.
        low, high : float
            The value range, ``low <= high``, in the feature's units.
        like : float or None, default=None
            A value of the feature whose score (before the edit) the range takes.
        score : float or None, default=None
            The score the range takes (in the term's current, centred units).
            Give exactly one of ``like`` and ``score``.
        target_class : class label or None, default=None
            Multiclass models: with ``score``, the class it is for (required);
            with ``like``, edit only this class (default: every class copies
            its own score of ``like``).

        Returns
        -------
        self
            The model, edited in place (``copy.deepcopy`` it first to keep the fitted one).

        Notes
        -----
        An edit is made to the fitted model, not set by a parameter: ``fit``
        and ``clone`` start without it, so ``cross_val_score`` and
        ``GridSearchCV`` score the model as fitted.  To cross-validate an edit,
        apply it after the fit in every fold (the GAM guide, "Editing a fitted
        GAM", shows how).

        Examples
        --------
        >>> from sklearn.datasets import load_diabetes
        >>> from glassbox import GAMRegressor
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> model = GAMRegressor(interactions=0, outer_bags=2, random_state=0).fit(X, y)
        >>> model = model.flatten_range("age", 0.05, 0.11, like=0.04)
        >>> rows = X.iloc[[0, 0]].copy()
        >>> rows["age"] = [0.04, 0.1]
        >>> bool(model.predict(rows)[0] == model.predict(rows)[1])
        True
        """
        check_is_fitted(self)
        t = self._term_index(term)
        layout, part, local = self._locate(t)
        self._require_numeric_main(t, "flatten_range")
        for name, value in (("low", low), ("high", high)) + ((("like", like),) if like is not None else ()):
            _check_number(value, name)
        if not low <= high:
            raise ValueError(f"flatten_range needs low <= high, got low={low!r} and high={high!r}.")
        if (like is None) == (score is None):
            raise ValueError("flatten_range takes exactly one of like (a value whose score the range takes) "
                             "and score (a number).")
        column = self._class_column(target_class, "flatten_range with score", optional=score is None)
        bins = layout.bins[local][0]
        first, last, source = (int(c) for c in bins.codes(np.array([low, high, low if like is None else like],
                                                                      dtype=np.float64)))
        covered = bin_range_label(bins, first, last)
        if score is not None:
            _check_number(score, "score")
        columns = slice(None) if column is None else column

        def flatten(t, scores, mass):
            scores[first : last + 1, columns] = score if score is not None else scores[source, columns]
            return scores

        parameters = {"low": low, "high": high, "like": like, "score": score, "bins": covered,
                      "target_class": self._label(column)}
        return self._with_edit("flatten", [t], parameters, flatten)

    def clip_scores(self, term, lower=None, upper=None, *, target_class=None):
        """Cap the scores of ``term`` at ``upper`` and floor them at ``lower``.

        The bounds apply to the term's scores as they are before the edit (as
        printed); the edited term is then re-centred, so its printed scores
        move by the shift the edit's record shows while the predictions are
        those of the capped scores.  On a log link a score is the log of a
        relativity: cap a relativity of 1.5 with ``upper=np.log(1.5)``.

        Parameters
        ----------
        term : str
            Any term, main effect or pair.
        lower, upper : float or None, default=None
            Floor and cap (at least one; ``lower <= upper``).
        target_class : class label or None, default=None
            Multiclass models: the class whose scores are clipped (required).

        Returns
        -------
        self
            The model, edited in place (``copy.deepcopy`` it first to keep the fitted one).

        Notes
        -----
        An edit is made to the fitted model, not set by a parameter: ``fit``
        and ``clone`` start without it, so ``cross_val_score`` and
        ``GridSearchCV`` score the model as fitted.  To cross-validate an edit,
        apply it after the fit in every fold (the GAM guide, "Editing a fitted
        GAM", shows how).

        Examples
        --------
        >>> from sklearn.datasets import load_diabetes
        >>> from glassbox import GAMRegressor
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> model = GAMRegressor(interactions=0, outer_bags=2, random_state=0).fit(X, y)
        >>> model = model.clip_scores("bmi", upper=20.0)
        >>> bmi = model.explain_global().terms[model.term_names_.index("bmi")]
        >>> shift = model.edits_[0].intercept_shift[0]
        >>> bool(bmi.scores.max() + shift <= 20.0 + 1e-9)
        True
        """
        check_is_fitted(self)
        t = self._term_index(term)
        if lower is None and upper is None:
            raise ValueError("clip_scores needs lower, upper or both.")
        for name, value in (("lower", lower), ("upper", upper)):
            if value is not None:
                _check_number(value, name)
        if lower is not None and upper is not None and lower > upper:
            raise ValueError(f"clip_scores needs lower <= upper, got lower={lower!r} and upper={upper!r}.")
        column = self._class_column(target_class, "clip_scores", optional=False)
        columns = slice(None) if column is None else column

        def clip(t, scores, mass):
            scores[:, columns] = np.clip(scores[:, columns], lower, upper)
            return scores

        parameters = {"lower": lower, "upper": upper, "target_class": self._label(column)}
        return self._with_edit("clip", [t], parameters, clip)

    def refit_intercept(self, X, y, sample_weight=None, *, balance=False):
        """Refit the intercept on ``(X, y)`` with the shapes held fixed.

        The maximum-likelihood intercept of the model's loss given every
        term's contribution: the weighted mean residual for squared error; for
        Poisson the intercept that makes the weighted mean prediction equal
        the weighted mean of ``y``; for Gamma and Tweedie the one minimising
        the model's deviance, the root of ``sum w (y - mu) mu^(1-p)`` (``p``
        2 for Gamma, ``power`` for Tweedie; it does not balance the mean); for
        a classifier the one that makes the weighted mean predicted
        probability of each class equal its weighted share of ``y`` (with the
        model's ``class_weight``).  Use it after
        removing or editing terms to restore the mean prediction on the
        training data (pass the training rows: settings are chosen on training
        data, never on a test split), with the fit's ``sample_weight``: a
        call without weights on a model fitted with unequal weights
        (exposures), or with weights unlike the fit's on as many rows as it
        had (or had of positive weight), warns (a common factor, such as
        exposure in days rather than years, is not a difference).  A fit
        whose weights only selected rows (0 or 1) refits without weights on
        the rows it kept.  The record appended to ``edits_`` counts the rows
        it was refitted on (``parameters["n_samples"]``, printed "intercept
        refitted on n rows"): the rows of positive weight, since a row of
        weight zero takes no part (its values are not read, so a level or a
        missing value that only such rows hold is not warned of as unseen).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            The weights given to ``fit`` when ``X`` holds the training rows.
        balance : bool, default=False
            Gamma and Tweedie: instead of the maximum-likelihood intercept,
            the one that balances the book, ``sum w predict(X) == sum w y``
            (``intercept += log(sum w y / sum w mu)``), as a log-link fit
            ends: the check a pricing actuary makes first.  The plain refit
            after an edit gives the maximum-likelihood intercept, which
            weights the rows by ``mu^(1-p)`` and so leaves the book off
            balance (1.1% short after removing a term of a Tweedie model of
            power 1.6; see the GAM guide, "Counts, amounts and pure
            premium").  Squared error, Poisson and the classifiers balance
            already, so it changes nothing for them.

        Returns
        -------
        self
            The model, edited in place (``copy.deepcopy`` it first to keep the fitted one).

        Notes
        -----
        An edit is made to the fitted model, not set by a parameter: ``fit``
        and ``clone`` start without it, so ``cross_val_score`` and
        ``GridSearchCV`` score the model as fitted.  To cross-validate an edit,
        apply it after the fit in every fold (the GAM guide, "Editing a fitted
        GAM", shows how).

        Examples
        --------
        >>> from sklearn.datasets import load_breast_cancer
        >>> from glassbox import GAMClassifier
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> model = GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, y)
        >>> model = model.remove_terms(["worst radius", "worst area"]).refit_intercept(X, y)
        >>> bool(abs(model.predict_proba(X)[:, 1].mean() - y.mean()) < 1e-9)
        True

        A pure-premium model balanced on its book (predicted total = observed total):

        >>> import numpy as np, pandas as pd
        >>> from glassbox import GAMRegressor
        >>> rng = np.random.default_rng(0)
        >>> book = pd.DataFrame({"power": rng.integers(4, 15, 3000).astype(float)})
        >>> exposure = rng.uniform(0.1, 1.0, 3000)
        >>> claims = rng.poisson(np.exp(-2 + 0.1 * book["power"]) * exposure)
        >>> loss = np.array([rng.gamma(1.5, 2000, k).sum() for k in claims])
        >>> tariff = GAMRegressor(loss="tweedie", power=1.5, outer_bags=2, random_state=0)
        >>> tariff = tariff.fit(book, loss / exposure, sample_weight=exposure)
        >>> tariff = tariff.refit_intercept(book, loss / exposure, sample_weight=exposure, balance=True)
        >>> float(np.round(np.sum(tariff.predict(book) * exposure) / loss.sum(), 12))
        1.0
        """
        check_is_fitted(self)
        if not isinstance(balance, (bool, np.bool_)):
            raise TypeError(f"balance must be True or False, got {balance!r}.")
        intercept, n_samples = refitted_intercept(self, X, y, sample_weight, balance=bool(balance))
        if intercept.shape[0] > 1:
            intercept = intercept - intercept.mean()  # softmax ignores a common shift: kept centred as fitted
        shift = intercept - self.intercept_
        # the record of a plain refit is as before; a balanced one says so
        parameters = {"n_samples": n_samples, **({"balance": True} if balance else {})}
        self.edits_ = self._edits_with(ShapeEdit("refit_intercept", (), parameters, shift))
        self.intercept_ = intercept
        return self

    # -- shared steps ------------------------------------------------------------------
    def _with_edit(self, action, term_indices, parameters, edit):
        """Apply ``edit(t, scores, mass)`` to each term in place, re-centred, recorded in ``edits_``; returns self.

        Every term's new scores are computed and checked before any is stored,
        so a refused edit leaves the model as it was.  The edited fitted parts
        are replaced by new ones holding new score arrays, never written into:
        a copy of the model (even a shallow ``copy.copy``, which shares the
        parts), a pickle or an explanation taken before the edit shares
        nothing the edit changes.
        """
        log_link = self._link().name == "log"
        total_shift = np.zeros(self._flat_scores_.shape[1])
        # an edit of every class keeps each bin's class scores summing to 0, as fitted (centred_across_classes):
        # softmax ignores what is added to all classes, and the explanation must not depend on it
        across_classes = self._flat_scores_.shape[1] > 1 and parameters.get("target_class") is None
        new_scores = {}  # id of an edited fitted part -> its new scores
        for t in term_indices:
            layout, part, local = self._locate(t)
            cells = layout.cell_slice(local)
            mass = part.mass[cells]
            scores = edit(t, part.scores[cells].copy(), mass)
            _check_finite(scores, self.term_names_[t])
            if across_classes:
                scores -= scores.mean(axis=1, keepdims=True)
            self._check_order_kept(t, scores)
            # outputs the edit left as they were (other classes) are left exactly as they were
            changed = np.any(scores != part.scores[cells], axis=0)
            shift = _centre(scores, mass, log_link, changed)
            scores[unreachable_cells(layout, local, mass)] = 0.0
            new_scores.setdefault(id(part), part.scores.copy())[cells] = scores
            total_shift += shift
        names = tuple(self.term_names_[t] for t in term_indices)
        self.edits_ = self._edits_with(ShapeEdit(action, names, parameters, total_shift))
        # copy-on-write: a new list of parts, the edited ones new objects (a shallow copy shares the old ones)
        self._fitted_parts_ = [dataclasses.replace(part, scores=new_scores[id(part)]) if id(part) in new_scores
                               else part for part in self._fitted_parts_]
        self.intercept_ = self.intercept_ + total_shift
        self._flat_scores_ = np.concatenate([part.scores for part in self._fitted_parts_])
        self.term_importances_ = self._term_importances()
        return self

    def _edits_with(self, edit):
        """``edits_`` with ``edit`` appended (a model pickled before edits existed has none)."""
        return tuple(getattr(self, "edits_", ())) + (edit,)

    def _term_index(self, term):
        if not isinstance(term, str):
            raise TypeError(f"Name the term by its name (a str, one of term_names_), got {term!r}.")
        if term not in self.term_names_:
            raise ValueError(f"No term named {term!r}; the terms are {self.term_names_}.")
        return self.term_names_.index(term)

    def _locate(self, t):
        """``(layout, fitted part, index within the layout)`` of the model's term ``t``."""
        for layout, part in zip(self._layouts_, self._fitted_parts_):
            if t < layout.n_terms:
                return layout, part, t
            t -= layout.n_terms
        raise IndexError(t)

    def _require_numeric_main(self, t, method):
        layout, _, local = self._locate(t)
        name = self.term_names_[t]
        if len(layout.features[local]) != 1:
            raise ValueError(f"{method} edits a numeric main effect; {name!r} is a pair. Use replace_scores or "
                             "clip_scores on pairs.")
        if layout.kind[local] != TERM_ORDERED:
            raise ValueError(f"{method} edits a numeric main effect; {name!r} is categorical, and its levels have no "
                             "order. Use replace_scores to set the levels' scores.")

    def _class_column(self, target_class, what, optional):
        """The class column an edit applies to (None: every output)."""
        K = self._flat_scores_.shape[1]
        if K == 1:
            if target_class is not None:
                raise ValueError("target_class applies to multiclass models; this model has one score per bin "
                                 "(pass target_class=None).")
            return None
        classes = self.classes_.tolist()  # plain values, so messages read 'hi', not np.str_('hi')
        if target_class is None:
            if optional:
                return None
            raise ValueError(f"{what} on a multiclass model needs target_class=<one of {classes}>: each class has "
                             "its own scores, and a number fits one class's scale only.")
        position = label_position(classes, target_class)  # True is not the class 1
        if position is None:
            raise ValueError(f"target_class={plain_value(target_class)!r} is not a class of this model; the classes "
                             f"are {classes}.")
        return position

    def _label(self, column):
        return None if column is None else self.classes_[column]

    def _pairs_along(self, t):
        """``{pair term: axis}`` of the pairs with the feature of main effect ``t``, for make_monotone."""
        feature, axes = self.term_features_[t][0], {}
        for u, features in enumerate(self.term_features_):
            if len(features) == 2 and feature in features:
                axes[u] = features.index(feature)
                if self._axis_constraint(u, 1 - axes[u]):
                    raise ValueError(
                        f"make_monotone({self.term_names_[t]!r}) would make the pair {self.term_names_[u]!r} monotone "
                        "in both its features, which is not supported (as a fit with monotonic_cst refuses such a "
                        "pair); remove the pair first (remove_terms)."
                    )
        return axes

    def _axis_constraint(self, t, axis):
        """The order (+1 / -1, 0 for none) term ``t`` keeps along its feature ``axis``: fitted, or from an edit."""
        layout, _, local = self._locate(t)
        fitted = int((layout.cst1, layout.cst2)[axis][local])
        if fitted:
            return fitted
        feature = layout.bins[local][axis].feature
        for edit in reversed(getattr(self, "edits_", ())):
            # a monotone edit's first term is the main effect of its feature, the others its pairs
            if edit.action == "monotone" and self.term_names_[t] in edit.terms and edit.terms[0] == feature:
                return _DIRECTIONS[edit.parameters["direction"]]
        return 0

    def _check_order_kept(self, t, scores):
        """Refuse new scores of term ``t`` that break a monotone constraint (fitted, or from make_monotone)."""
        layout, _, local = self._locate(t)
        grid = scores.reshape(layout.term_shape(local) + (scores.shape[1],))
        for axis in range(grid.ndim - 1):
            sign = self._axis_constraint(t, axis)
            if not sign:
                continue
            n_value = int((layout.ordered1, layout.ordered2)[axis][local])
            values = np.take(grid, np.arange(n_value), axis=axis)
            if np.all(sign * np.diff(values, axis=axis) >= 0):
                continue
            feature = layout.bins[local][axis].feature
            why = ("the model was fitted with monotonic_cst" if (layout.cst1, layout.cst2)[axis][local]
                   else "make_monotone made it so")
            raise ValueError(
                f"The scores of {self.term_names_[t]!r} must stay {'non-decreasing' if sign > 0 else 'non-increasing'}"
                f" in {feature!r} ({why}); this edit would break that order. Give scores in that order, or refit "
                "without the constraint."
            )


def _centre(scores, mass, log_link, outputs):
    """Centre the ``outputs`` of a term's ``scores`` (cells x outputs) in place as a fitted term is.

    Returns the shift of every output (0 for the others).  A constant output
    (a removed term's) is centred by its constant exactly
    (:func:`~glassbox.gam._boosting._weighted_means`), so a removed term moves
    nothing into the intercept.
    """
    shift = np.zeros(scores.shape[1])
    for k in np.flatnonzero(outputs):
        shift[k] = _weighted_means(scores[None, :, k : k + 1], mass, log_link)[0, 0]
        scores[:, k] -= shift[k]
    return shift


def _check_finite(scores, name):
    bad = ~np.isfinite(scores)
    if bad.any():
        where = np.argwhere(bad)[:3].tolist()
        raise ValueError(f"The scores of {name!r} would hold NaN or infinity (at {where}); every bin needs a "
                         "finite score.")


def _check_number(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")


def _some(labels, shown=6):
    """``labels`` as a message lists them: all of a few, else the first and last ones and how many there are."""
    quoted = [repr(label) for label in labels]
    if len(quoted) <= shown:
        return "[" + ", ".join(quoted) + "]"
    return "[" + ", ".join(quoted[: shown // 2] + ["..."] + quoted[-(shown // 2):]) + f"], {len(quoted)} bins"


def _has_unseen(layout, t):
    return any(bins.unseen_bin >= 0 for bins in layout.bins[t])


def _labelled_series(scores):
    """Whether ``scores`` is a pandas Series or DataFrame with an index other than 0, 1, 2, ...

    Its labels would be ignored: NumPy reads a Series by position, so scores labelled by level would land on
    whichever bins come in that position (the silent trap a dict is refused for).
    """
    index = getattr(scores, "index", None)
    if index is None or type(scores).__module__.split(".")[0] != "pandas":
        return False
    positions = np.asarray(index)
    return not (positions.dtype.kind in "iu" and np.array_equal(positions, np.arange(len(positions))))
