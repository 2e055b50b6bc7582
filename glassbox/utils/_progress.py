"""Progress lines of a fit: what ``verbose`` prints, alike for every estimator.

Every estimator with a ``verbose`` parameter builds one :class:`Progress` at the
start of ``fit`` and says each stage as it ends::

    [GAMClassifier] binned 10 features into 255 bins at most (0.01 s)

The seconds are those since the previous line the fit printed (the stage's
time); :meth:`Progress.done` prints the time since the fit started.  Lines go to
standard output, flushed at once, so a long fit shows where it is in a terminal,
a notebook or a log.  Nothing is printed at ``verbose=0``, and nothing the fit
computes depends on ``verbose``: the lines only report what was computed.
"""

import time

#: The ``_parameter_constraints`` entry of ``verbose`` (scikit-learn's: a non-negative int or a bool).
VERBOSE_CONSTRAINT = ["verbose"]


class Progress:
    """Prints a fit's progress lines when ``verbose >= level``.

    Parameters
    ----------
    verbose : int
        The estimator's ``verbose`` (already validated): 0 prints nothing, 1
        a line per stage (a cross-validation's folds are stages), 2 and more
        also the finer steps (a line per bag, chain, beam step or
        weight-search setting).
    name : str
        The estimator's class name, the prefix of every line.

    Examples
    --------
    >>> progress = Progress(1, "GAMClassifier")
    >>> progress.say("binned 3 features")  # doctest: +ELLIPSIS
    [GAMClassifier] binned 3 features (... s)
    >>> progress.say("a detail", level=2)  # verbose=1: not printed
    >>> Progress(0, "GAMClassifier").say("never printed")
    """

    def __init__(self, verbose, name):
        self.verbose = int(verbose)
        self.name = name
        self._start = self._last = time.perf_counter()

    def __bool__(self):
        """Whether anything is printed (lets a caller skip work done only for a line)."""
        return self.verbose > 0

    def say(self, message, level=1, seconds=None):
        """Print ``[name] message (seconds since the previous line)`` if ``verbose >= level``.

        ``seconds``: the time of a step timed elsewhere (in a worker, say), printed
        instead; the next line's time still counts from the previous line.
        """
        if self.verbose < level:
            return
        now = time.perf_counter()
        self._print(message, now - self._last if seconds is None else seconds)
        if seconds is None:
            self._last = now

    def done(self, message="done"):
        """Print ``[name] message (seconds since the fit started)`` if ``verbose >= 1``."""
        if self.verbose < 1:
            return
        now = time.perf_counter()
        self._print(message, now - self._start)
        self._last = now

    def _print(self, message, seconds):
        print(f"[{self.name}] {message} ({seconds:.2f} s)", flush=True)


def progress_of(estimator):
    """The :class:`Progress` of ``estimator``'s fit (its ``verbose``, its class name)."""
    return Progress(getattr(estimator, "verbose", 0), type(estimator).__name__)
