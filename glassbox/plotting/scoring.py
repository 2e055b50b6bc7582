"""Plot of a risk score: the score -> risk curve with observed rates."""

import numpy as np

from ..explain._render import format_number, format_open_probability
from ..explain.scorecard import Scorecard, training_columns_blank
from ._display import axes_and_figure, check_kind, explain_through, figure_text, listed, literal
from ._palette import NEUTRAL_COLOR, POSITIVE_COLOR

__all__ = ["RiskCurveDisplay"]

# Scores whose risks the text alternative lists one by one; a longer card gets its ends and where it passes 50%.
_MAX_SCORES_LISTED = 12

#: What the plot of a card whose points were edited by hand says instead of drawing the old card's rates.
_NO_OBSERVED_RATES = "no observed rates: the points were edited after fitting (refit on the training data to see them)"


class RiskCurveDisplay:
    """Predicted risk at every achievable score, with the observed training rates.

    The line (round markers) is the model's risk ``expit((score + intercept) /
    multiplier)`` at each achievable total score (the score axis is ticked at
    whole points only); the grey squares are the observed event rate among the
    training rows with that score, sized by their weight.  A card fitted with
    ``class_weight`` gives the risks and counts of the class-weighted sample,
    and the plot says so, as the card's printout does: the y axis reads
    "risk of <event> (class-weighted sample)" and the squares' size "weighted count".
    A card fitted with ``sample_weight`` (not all 1) sizes its squares by the
    rows' total weight, and the legend says "weighted count" too.

    Parameters
    ----------
    scores : array-like of int
    predicted : array-like of float
    observed : array-like of float (NaN where no training row has the score)
    count : array-like of float
    positive_class : str, default="event"
    title : str or None, default=None
    class_weighted : bool, default=False
        The figures are those of a class-weighted sample (the labels say so).
    sample_weighted : bool, default=False
        The counts are sums of sample weights, not numbers of rows (the legend
        says "weighted count").

    Attributes
    ----------
    line_ : matplotlib Line2D
    points_ : matplotlib PathCollection or None
    alt_text_ : str
        Set by :meth:`plot`: the figure in words, for a reader who cannot
        see it (WCAG 1.1.1).  The title, the score range and the predicted
        risk at its ends, then (up to 12 scores) each score's predicted risk
        with the observed rate and count where drawn; a longer card says
        where the risk first reaches one half instead.  Risks are written on
        the plot's 0 to 1 scale, never rounded to a certainty (0 or 1) they
        are not.
    ax_, figure_ : matplotlib Axes and Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_breast_cancer
    >>> from glassbox import RiskScoreClassifier
    >>> from glassbox.plotting import RiskCurveDisplay
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> model = RiskScoreClassifier(max_features=3).fit(X, y)
    >>> display = RiskCurveDisplay.from_estimator(model)
    >>> len(display.line_.get_xdata()) == len(model.risk_scores_)
    True
    """

    def __init__(self, *, scores, predicted, observed, count, positive_class="event", title=None,
                 class_weighted=False, sample_weighted=False):
        self.scores = np.asarray(scores, dtype=np.float64)
        self.predicted = np.asarray(predicted, dtype=np.float64)
        self.observed = np.asarray(observed, dtype=np.float64)
        self.count = np.asarray(count, dtype=np.float64)
        self.positive_class = positive_class
        self.title = title
        self.class_weighted = bool(class_weighted)
        self.sample_weighted = bool(sample_weighted)

    @classmethod
    def from_explanation(cls, scorecard, *, ax=None):
        """Plot a :class:`~glassbox.explain.Scorecard`."""
        check_kind(scorecard, Scorecard, "RiskCurveDisplay", "Use RiskScoreClassifier.explain_global().")
        positive = scorecard.event_class if scorecard.classes is not None else "event"
        display = cls(
            scores=scorecard.risk_scores,
            predicted=scorecard.risk_predicted,
            observed=scorecard.risk_observed,
            count=scorecard.risk_count,
            positive_class=str(positive),
            title=scorecard.model,
            class_weighted=scorecard.class_weights is not None,
            sample_weighted=scorecard.sample_weighted,
        )
        return display.plot(ax=ax)

    @classmethod
    def from_estimator(cls, estimator, *, ax=None):
        """Plot the score -> risk curve of a fitted risk score.

        ``estimator`` may also be a fitted ``Pipeline`` whose last step is a
        risk score, or a fitted ``GridSearchCV`` / ``RandomizedSearchCV`` of
        one (its ``best_estimator_``), as :func:`glassbox.reason_codes` takes
        them.
        """
        scorecard = explain_through(estimator, None, "explain_global", "RiskCurveDisplay")[0]()
        return cls.from_explanation(scorecard, ax=ax)

    def plot(self, ax=None):
        """Draw the curve (and observed rates) on ``ax`` (a new figure when None)."""
        from matplotlib.ticker import MaxNLocator

        ax, figure = axes_and_figure(ax)
        (self.line_,) = ax.plot(self.scores, self.predicted, marker="o", color=POSITIVE_COLOR, label="predicted risk")
        seen = np.isfinite(self.observed) & (self.count > 0)
        self.points_ = None
        weighted_counts = self.class_weighted or self.sample_weighted
        if seen.any():
            sizes = 20 + 180 * self.count[seen] / self.count[seen].max()
            # opaque grey squares under the line: a translucent grey fell under 3:1 on white, and the shape,
            # not the colour alone, tells an observed rate from a predicted one
            self.points_ = ax.scatter(
                self.scores[seen], self.observed[seen], s=sizes, color=NEUTRAL_COLOR, marker="s", zorder=1.5,
                label=f"observed rate (size: {'weighted' if weighted_counts else 'training'} count)",
            )
        if self._training_figures_unavailable():
            # a card whose points were edited after fitting: a plot without squares must not read as "no data";
            # said in the legend, as an entry with no mark
            ax.plot([], [], linestyle="none", label=_NO_OBSERVED_RATES.replace(" (", "\n("))
        ax.set_xlabel("total score (points earned)")
        # a card scores whole points: ticks at half points would send a reader looking for one on the card
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        weighted = " (class-weighted sample)" if self.class_weighted else ""
        ylabel = f"risk of {self.positive_class}{weighted}"
        ax.set_ylabel(literal(ylabel))
        ax.set_ylim(-0.02, 1.02)
        # a rising curve leaves the upper left free; the edited card's wider legend goes where matplotlib finds room
        corner = "upper left" if self.predicted[-1] >= self.predicted[0] else "upper right"
        ax.legend(loc="best" if self._training_figures_unavailable() else corner)
        if self.title:
            ax.set_title(literal(self.title))
        self.alt_text_ = self._text(ylabel, seen, weighted_counts)
        self.ax_, self.figure_ = ax, figure
        return self

    def _training_figures_unavailable(self):
        """Whether the card has no observed rates or counts at all (NaN counts: its points were edited by hand)."""
        return training_columns_blank(self.observed, self.count)

    def _text(self, ylabel, seen, weighted_counts):
        """The text alternative of the drawn curve (``seen``: the scores with an observed rate drawn)."""
        scores, risk = self.scores, self.predicted

        def score(i):
            return format_number(int(scores[i]))

        sentences = [f"Predicted {ylabel} (line) at each total score from {score(0)} to {score(-1)} points: "
                     f"{format_open_probability(risk[0])} at {score(0)}, {format_open_probability(risk[-1])} at "
                     f"{score(-1)}"] if len(scores) else ["No score to draw"]
        count = "weighted count" if weighted_counts else "count"
        if seen.any():
            sentences.append(f"Squares: the observed rate among training rows with that score (size: {count})")
        elif self._training_figures_unavailable():
            sentences.append(_NO_OBSERVED_RATES[0].upper() + _NO_OBSERVED_RATES[1:])
        if 0 < len(scores) <= _MAX_SCORES_LISTED:
            entries = [f"{score(i)}: {format_open_probability(risk[i])}"
                       + (f" (observed {format_open_probability(self.observed[i])}, {count} "
                          f"{format_number(self.count[i])})" if seen[i] else "") for i in range(len(scores))]
            sentences.append(f"Score: predicted risk: {listed(entries)}")
        elif len(scores):
            half = np.flatnonzero(risk >= 0.5)
            if len(half) and 0 < half[0]:
                sentences.append(f"The risk first reaches 0.5 at score {score(half[0])} "
                                 f"({format_open_probability(risk[half[0]])})")
        return figure_text(self.title, sentences)
