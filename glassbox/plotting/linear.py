"""Plots of sparse linear models: coefficient bars and the regularization path."""

import numpy as np

from ..explain.linear import CoefficientTable
from ._display import (
    NEGATIVE_COLOR,
    POSITIVE_COLOR,
    axes_and_figure,
    check_kind,
    choose_output,
    explain_with,
    literal,
    literals,
    short_label,
)
from ._factor_axis import factor_axis

__all__ = ["CoefficientDisplay", "RegularizationPathDisplay"]


class CoefficientDisplay:
    """Horizontal bars of a linear model's nonzero coefficients.

    Standardized coefficients (per training standard deviation) by default,
    so that bar lengths are comparable across terms; sign-constrained terms
    are marked ``(>= 0)`` / ``(<= 0)`` after their names.  A log-link model
    (``loss="poisson"``, ``"gamma"``, ``"tweedie"``) can show its
    **relativities** instead (``relativity=True``): bars from 1 to
    ``exp(coefficient)`` on a log-scale axis labelled in plain factors, the
    factor each term puts on the predicted mean per unit of it (for the rows
    in its level, for an indicator), as the coefficient table's relativity
    column reads.  ``standardized=True`` with it draws ``exp(standardized
    coefficient)``, the factor per standard deviation, and says so on the axis.

    Parameters
    ----------
    term_names : sequence of str
    coefficients : array-like of shape (n_terms,)
        On the decision scale (the log of the mean for a log-link model).
    constraints : array-like of int, shape (n_terms,), default=None
    xlabel : str, default="standardized coefficient"
    title : str or None, default=None
    relativity : bool, default=False
        Draw ``exp(coefficients)`` as bars from 1 on a log-scale axis.

    Attributes
    ----------
    bars_ : matplotlib BarContainer
        One bar per nonzero term, largest magnitude on top.
    ax_, figure_ : matplotlib Axes and Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_diabetes
    >>> from glassbox import SparseLinearRegressor
    >>> from glassbox.plotting import CoefficientDisplay
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> model = SparseLinearRegressor(alpha=1.0).fit(X, y)
    >>> len(CoefficientDisplay.from_estimator(model).bars_) == model.n_nonzero_
    True

    The relativities of a Poisson model, per unit of each term (the table's
    ``exp(coefficient)``):

    >>> import numpy as np
    >>> counts = np.random.RandomState(0).poisson(np.exp(1 + 5 * X["bmi"]))
    >>> poisson = SparseLinearRegressor(alpha=0.01, loss="poisson").fit(X, counts)
    >>> display = CoefficientDisplay.from_estimator(poisson, relativity=True)
    >>> display.ax_.get_xscale()
    'log'
    >>> bool(np.allclose(sorted(b.get_x() + b.get_width() for b in display.bars_),
    ...                  sorted(poisson.explain_global().relativities[poisson.coef_ != 0])))
    True
    """

    def __init__(self, *, term_names, coefficients, constraints=None, xlabel="standardized coefficient", title=None,
                 relativity=False):
        self.term_names = list(term_names)
        self.coefficients = np.asarray(coefficients, dtype=np.float64)
        self.constraints = np.zeros(len(self.term_names), int) if constraints is None else np.asarray(constraints)
        self.xlabel, self.title, self.relativity = xlabel, title, relativity

    @classmethod
    def from_explanation(cls, table, *, target_class=None, standardized=None, relativity=False, ax=None,
                         max_terms=30):
        """Plot a :class:`~glassbox.explain.CoefficientTable` (``relativity=True``: a log-link model's factors).

        ``standardized=None`` (the default) draws standardized coefficients,
        or with ``relativity=True`` the table's relativities ``exp(coefficient)``
        per unit; pass True or False to choose.
        """
        check_kind(table, CoefficientTable, "CoefficientDisplay", "Use estimator.explain_global() of a linear model.")
        if relativity and table.link.name != "log":
            raise ValueError(
                f"relativity=True shows exp(coefficient), the factor on the predicted mean of a log-link model "
                f"(loss='poisson', 'gamma' or 'tweedie'); this model's link is {table.link.name!r}: "
                "use relativity=False."
            )
        if standardized is None:  # a tariff's factors are the table's, per unit; bars compare per SD
            standardized = not relativity
        values = table.standardized_coefficients if standardized else table.coefficients
        choice = choose_output(table.link, table.classes, values.ndim == 2, target_class)
        kind = "standardized coefficient" if standardized else "coefficient"
        xlabel = f"{kind} ({choice.name})"
        if relativity:  # two short lines: one long line ran off a figure of default width
            xlabel = ("relativity per standard deviation, exp(standardized coefficient)" if standardized else
                      "relativity exp(coefficient) per unit (indicator: for its level)")
            xlabel += "\nx factor on the predicted mean, log scale"
        display = cls(
            term_names=table.term_names,
            coefficients=choice.select(values, 1),
            constraints=table.constraints,
            xlabel=xlabel,
            title=table.model,
            relativity=relativity,
        )
        return display.plot(ax=ax, max_terms=max_terms)

    @classmethod
    def from_estimator(cls, estimator, *, target_class=None, standardized=None, relativity=False, ax=None,
                       max_terms=30):
        """Plot the coefficients (or, ``relativity=True``, a log-link model's relativities) of a fitted estimator."""
        table = explain_with(estimator, "explain_global", "CoefficientDisplay")()
        return cls.from_explanation(table, target_class=target_class, standardized=standardized,
                                    relativity=relativity, ax=ax, max_terms=max_terms)

    def plot(self, ax=None, *, max_terms=30):
        """Draw the bars of the ``max_terms`` largest nonzero coefficients."""
        nonzero = np.flatnonzero(self.coefficients != 0)
        order = nonzero[np.argsort(-np.abs(self.coefficients[nonzero]), kind="stable")][:max_terms][::-1]
        ax, figure = axes_and_figure(ax, n_rows=len(order))
        marks = {1: " (>= 0)", -1: " (<= 0)", 0: ""}
        labels = [self.term_names[i] + marks[int(self.constraints[i])] for i in order]
        values = self.coefficients[order]
        colors = [POSITIVE_COLOR if v > 0 else NEGATIVE_COLOR for v in values]
        if self.relativity:  # bars from 1 to exp(coefficient): a factor and its inverse look alike
            self.bars_ = ax.barh(np.arange(len(order)), np.exp(values) - 1.0, left=1.0, color=colors)
            factor_axis(ax.xaxis)
        else:
            self.bars_ = ax.barh(np.arange(len(order)), values, color=colors)
        ax.set_yticks(np.arange(len(order)), literals(short_label(label) for label in labels))
        ax.axvline(1.0 if self.relativity else 0.0, color="black", linewidth=0.8)
        xlabel = self.xlabel
        if len(order) < len(nonzero):  # the reader is told that bars are left out
            xlabel += f"\n(largest {len(order)} of {len(nonzero)} nonzero terms; max_terms=None shows all)"
        elif len(nonzero) == 0:
            xlabel += "\n(every coefficient is zero)"
        ax.set_xlabel(literal(xlabel))
        if self.title:
            ax.set_title(literal(self.title))
        self.ax_, self.figure_ = ax, figure
        return self


class RegularizationPathDisplay:
    """Coefficients against the penalty strength, one line per term.

    Parameters
    ----------
    path : RegularizationPath
        From :func:`glassbox.linear.sparse_linear_path`.
    standardized : bool, default=True
        Plot standardized coefficients (comparable across terms).
    target_class : label or None
        Class to show for multiclass models.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One line per term.
    ax_, figure_ : matplotlib Axes and Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_diabetes
    >>> from glassbox import SparseLinearRegressor
    >>> from glassbox.plotting import RegularizationPathDisplay
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> display = RegularizationPathDisplay.from_estimator(SparseLinearRegressor(), X, y, n_alphas=20)
    >>> len(display.lines_)
    10
    """

    def __init__(self, *, path, standardized=True, target_class=None):
        self.path, self.standardized, self.target_class = path, standardized, target_class

    @classmethod
    def from_estimator(cls, estimator, X, y, sample_weight=None, *, alphas=None, n_alphas=50, eps=1e-3,
                       standardized=True, target_class=None, ax=None):
        """Compute the path of ``estimator``'s settings on ``(X, y)`` and plot it."""
        from ..linear import sparse_linear_path

        path = sparse_linear_path(estimator, X, y, sample_weight, alphas=alphas, n_alphas=n_alphas, eps=eps)
        return cls(path=path, standardized=standardized, target_class=target_class).plot(ax=ax)

    def plot(self, ax=None, *, label_top=8, selected_alpha=None):
        """Draw the path; the ``label_top`` terms largest at the smallest alpha get a legend entry."""
        ax, figure = axes_and_figure(ax)
        values = self.path.standardized_coefs if self.standardized else self.path.coefs
        if values.ndim == 3:
            labels = list(self.path.classes)
            if self.target_class is None:
                raise ValueError(f"This path has {len(labels)} classes; pass target_class=<one of {labels}>.")
            values = values[:, :, labels.index(self.target_class)]
        top = set(np.argsort(-np.abs(values[-1]), kind="stable")[:label_top])
        self.lines_ = []
        colors = iter(["C0", "C1", "C2", "C3", "C4", "C5", "C6", "C8", "C9", "C7"] * (label_top // 10 + 1))
        for t, name in enumerate(self.path.term_names):
            # the labelled terms get distinct colours; the rest stay grey so the legend reads
            style = {"label": literal(name), "color": next(colors), "linewidth": 1.4} if t in top else {
                "color": "#bbbbbb", "linewidth": 0.8}
            (line,) = ax.plot(self.path.alphas, values[:, t], **style)
            self.lines_.append(line)
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.axhline(0.0, color="black", linewidth=0.8)
        if selected_alpha is not None:
            ax.axvline(selected_alpha, color="grey", linestyle="--", linewidth=1.0)
        ax.set_xlabel(f"alpha ({self.path.penalty} penalty, decreasing)")
        ax.set_ylabel("standardized coefficient" if self.standardized else "coefficient")
        if top:
            ax.legend(fontsize="small", loc="best")
        self.ax_, self.figure_ = ax, figure
        return self
