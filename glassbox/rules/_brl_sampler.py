"""The posterior of Bayesian rule lists and its Metropolis-Hastings search.

Model (Letham, Rudin, McCormick & Madigan 2015): a list ``d`` of ``m`` rules
drawn from the mined candidates ``A``, then a default rule.

* ``m ~ Poisson(lam)`` truncated to ``[0, max_length]``;
* the width ``c_j`` of rule ``j`` ~ ``Poisson(eta)`` truncated to the widths
  that still have unused candidates, then the rule is uniform among the unused
  candidates of width ``c_j``;
* the rows a rule decides (covered by it and by no rule above) have class
  probabilities ``theta_j ~ Dirichlet(alpha)``; integrating ``theta_j`` out
  gives a Dirichlet-multinomial marginal likelihood per rule.

Sample weights enter as fractional counts: ``N_jk`` is the *weight* of the
class-k rows rule j decides, so an integer weight equals repeating the row.

The search (compiled in ``_brl_fast``) runs several chains of add / remove /
swap / replace moves with Hastings corrections and keeps the best list seen.
"""

import warnings
from contextlib import contextmanager

import numpy as np
from scipy.special import gammaln
from scipy.stats import norm, rankdata

from ..utils._memory import physical_memory, size_text
from ..utils.validation import user_stacklevel
from ._brl_fast import list_log_posterior, polish, run_chains
from ._rule_model import decided_bitsets, first_covering_rule
from .mining import bitset_from_mask, class_counts

#: Longest list the sampler holds when ``max_rules`` is None.  With the
#: default Poisson(3) length prior a list this long has prior mass below 1e-60.
MAX_LIST_LENGTH = 64
#: Thinned posterior draws kept over all chains for the posterior predictive.
POSTERIOR_DRAWS = 1024
#: Most classes a weighted fit with one weight per class counts by popcount (see ``_weight_levels``);
#: the kernel's MAX_WEIGHT_LEVELS.  0 sums every weighted fit's rows one by one.
_MAX_WEIGHT_LEVELS = 64


class ListPosterior:
    """Everything the compiled sampler reads, built once per fit.

    Parameters
    ----------
    coverage : ndarray of uint64, shape (n_candidates, n_words)
    widths : ndarray of int, shape (n_candidates,)
    y : ndarray of int, class index per row
    sample_weight : ndarray of float or None (None: every row counts 1)
    n_classes : int
    alpha : ndarray of float, shape (n_classes,)
    lam, eta : float
        Poisson means of the length and width priors.
    max_length : int
        Longest list allowed (the length prior is truncated there).
    rebuild_coverage : callable or None
        ``rebuild_coverage(out)`` writes every candidate's coverage, in row
        order, into ``out`` (e.g. :meth:`CandidateRules.rebuild_coverage`).
        Given, :meth:`polish` reorders ``coverage`` in place for its climb and
        rebuilds it after, instead of moving every bit back (the same lists
        and log-posteriors either way, a few seconds sooner on 100,000 rows).
    """

    def __init__(self, coverage, widths, y, sample_weight, n_classes, alpha, lam, eta, max_length,
                 rebuild_coverage=None):
        n_samples = self.n_samples = len(y)
        n_words = coverage.shape[1]
        self.coverage = np.ascontiguousarray(coverage, dtype=np.uint64)
        self._rebuild_coverage = rebuild_coverage
        self.widths = np.ascontiguousarray(widths, dtype=np.intc)
        self.n_candidates = len(widths)
        self.max_length = int(min(max_length, self.n_candidates))
        self.uniform = sample_weight is None
        self.y = np.zeros(n_words * 64, dtype=np.intp)
        self.y[:n_samples] = y
        self.weights = np.zeros(n_words * 64)
        self.weights[:n_samples] = 1.0 if sample_weight is None else sample_weight
        self.class_bits = bitset_from_mask(np.stack([y == k for k in range(n_classes)]))
        self.valid = bitset_from_mask(np.ones(n_samples, dtype=bool))[0]
        # Rows a rule must decide to be a real rule: a zero-weight row is not data.
        self.weighted_rows = bitset_from_mask(self.weights[:n_samples] > 0)[0]
        self.levels = _weight_levels(self.y, self.weights, n_samples, n_classes, _MAX_WEIGHT_LEVELS, self.uniform)
        self.alpha = np.ascontiguousarray(alpha, dtype=np.float64)
        # Only widths that occur: the compiled prior loops over them for every proposal.
        widths_range = np.arange(max(int(self.widths.max(initial=1)), 1) + 1)
        self.log_pois_width = np.where(widths_range > 0, widths_range * np.log(eta) - gammaln(widths_range + 1), -np.inf)
        self.width_totals = np.bincount(self.widths, minlength=len(widths_range)).astype(np.intc)
        lengths = np.arange(self.max_length + 1)
        self.log_pois_len = lengths * np.log(lam) - gammaln(lengths + 1)

    def _tables(self):
        return (
            self.coverage, self.class_bits, self.valid, self.y, self.weights, self.uniform, *self.levels,
            self.widths, self.log_pois_width, self.width_totals, self.log_pois_len, self.alpha,
        )

    def log_posterior(self, rule_list):
        """Log-posterior of a list of candidate indices (up to a constant shared by all lists)."""
        rule_list = np.ascontiguousarray(rule_list, dtype=np.intc)
        if len(rule_list) > self.max_length:
            return -np.inf
        return list_log_posterior(*self._tables(), rule_list)

    def live_rules(self, rule_list):
        """Bool per rule of ``rule_list``: does it decide some training weight?

        A rule decides the rows it covers that no rule above it covers.  One
        that decides no row of positive weight is *dead*: the data say nothing
        about it (its probabilities are the prior's), and removing it changes
        no training row's rule, only the prior.
        """
        return self._decides_weight(rule_list)[:-1]

    def _decides_weight(self, rule_list):
        """Bool per rule of ``rule_list``, the default last: does it decide some row of positive weight?"""
        decided = decided_bitsets(self.coverage[np.asarray(rule_list, dtype=np.intp)], self.n_samples)
        return np.any(decided & self.weighted_rows, axis=1)

    def without_dead_rules(self, rule_list, log_posterior):
        """``(list, log_posterior)`` with the dead rules of ``rule_list`` removed (see :meth:`live_rules`).

        The rows each remaining rule decides are unchanged (up to zero-weight
        rows), so only the prior part of the log-posterior changes; it is
        recomputed.  When the remaining rules leave the default no row, the
        last rule is the default in all but name (it decides every row left)
        and goes too: the default then decides its rows.  A list with neither
        comes back as given.
        """
        rule_list = [int(c) for c in rule_list]
        decides = self._decides_weight(rule_list)
        kept = [c for c, keep in zip(rule_list, decides[:-1]) if keep]
        if kept and not decides[-1]:  # dropping dead rules leaves the default's rows as they were
            kept.pop()
        if kept == rule_list:
            return rule_list, float(log_posterior)
        return kept, float(self.log_posterior(kept))

    def polish(self, rule_list, max_steps=100, lengths=None, widths=None, n_threads=1):
        """Steepest ascent from ``rule_list`` over add / remove / swap / replace moves.

        Returns ``(list, log_posterior)``: a list no single move improves (or
        the one reached after ``max_steps`` moves), never worse than the start.
        ``lengths`` / ``widths`` (inclusive ``(low, high)`` bounds on the number
        of rules and on their mean width) restrict the lists visited.  The
        neighbours are scanned on ``n_threads`` threads; the result does not
        depend on their number.
        """
        if self.max_length == 0:  # only the empty list is allowed
            return [], self.log_posterior([])
        buffer = np.zeros(self.max_length, dtype=np.intc)
        buffer[: len(rule_list)] = rule_list
        min_len, max_len = lengths if lengths is not None else (0, -1)
        min_width, max_width = widths if widths is not None else (0.0, np.inf)
        # The climb reorders the coverage's rows in place (a sorted copy would double the fit's memory);
        # they are put back by the kernel, or rebuilt here from the conditions' bitsets, which is cheaper.
        rebuild = self._rebuild_coverage
        try:
            length, log_posterior = polish(
                *self._tables(), buffer, len(rule_list), max_steps, min_len, max_len, min_width, max_width,
                n_threads, rebuild is None,
            )
        finally:
            if rebuild is not None:
                rebuild(self.coverage)
        return buffer[:length].tolist(), float(log_posterior)

    def sample(self, n_chains, n_iter, rng, n_threads, initial_temperature=1.0):
        """Run ``n_chains`` chains from lists drawn from the prior; return a :class:`ChainResult`.

        With ``initial_temperature`` T0 > 1 the burn-in (first half) anneals:
        the chains target the posterior to the power 1 / T, with T falling
        geometrically from T0 to 1; the second half samples the posterior.
        """
        cap = max(self.max_length, 1)
        n_words = self.coverage.shape[1]
        workspace = _ChainWorkspace(self, n_chains, n_iter)
        workspace.check_fits()
        with workspace.named_if_short():
            return self._sample(n_chains, n_iter, rng, n_threads, initial_temperature, cap, n_words)

    def _sample(self, n_chains, n_iter, rng, n_threads, initial_temperature, cap, n_words):
        lists = np.zeros((n_chains, cap), dtype=np.intc)
        lengths = np.zeros(n_chains, dtype=np.intc)
        used = np.zeros((n_chains, self.n_candidates), dtype=np.uint8)
        for c in range(n_chains):
            start = self._draw_start(rng)
            lists[c, : len(start)] = start
            lengths[c] = len(start)
            used[c, start] = 1
        seeds = rng.randint(0, 2**31 - 1, size=(n_chains, 2)).astype(np.uint64)
        seeds = np.ascontiguousarray((seeds[:, 0] << np.uint64(31)) ^ seeds[:, 1])
        rem = np.zeros((n_chains, cap + 2, n_words), dtype=np.uint64)
        trace = np.zeros((n_chains, n_iter))
        best = np.zeros((n_chains, cap), dtype=np.intc)
        best_lengths = np.zeros(n_chains, dtype=np.intc)
        best_lp = np.zeros(n_chains)
        n_accept = np.zeros(n_chains, dtype=np.longlong)
        if self.max_length == 0:  # nothing to search: the empty list is the only one
            lp = self.log_posterior([])
            trace = np.full((n_chains, n_iter), lp)
            return ChainResult([[] for _ in range(n_chains)], np.full(n_chains, lp), trace, n_accept, None)
        stride = cap * (len(self.log_pois_width) - 1) + 1
        burn_in = n_iter // 2
        tracker = _PointTracker(n_chains, cap, stride, n_iter - burn_in)
        run_chains(
            *self._tables(), n_iter, seeds, lists, lengths, used, rem,
            np.zeros((n_chains, cap + 1)), np.zeros((n_chains, 2, n_words), dtype=np.uint64),
            np.zeros((n_chains, len(self.alpha))), np.zeros((n_chains, cap), dtype=np.intc),
            trace, best, best_lengths, best_lp, n_accept,
            burn_in, tracker.bucket_lp, tracker.bucket_lists, tracker.sums,
            tracker.thin, tracker.samples, tracker.sample_lengths, float(initial_temperature), n_threads,
        )
        best_lists = [best[c, : best_lengths[c]].tolist() for c in range(n_chains)]
        return ChainResult(best_lists, best_lp, trace, n_accept, tracker)

    def _draw_start(self, rng):
        """A random starting list: Poisson length, distinct uniformly drawn candidates."""
        length = min(rng.poisson(1.0), self.max_length)
        return rng.choice(self.n_candidates, size=length, replace=False).astype(np.intc)


class _ChainWorkspace:
    """The memory the chains of :meth:`ListPosterior.sample` hold, and a message naming what to lower.

    Every chain holds its own trace (``n_iter`` log-posteriors), a flag per
    candidate, the bitsets of the rows left by each rule of its list (rows x
    ``max_rules``) and the BRL-point buckets (``max_rules`` cubed): ``n_chains``
    times that, checked before anything is allocated.
    """

    def __init__(self, posterior, n_chains, n_iter):
        cap = max(posterior.max_length, 1)
        n_words = posterior.coverage.shape[1]
        stride = cap * (len(posterior.log_pois_width) - 1) + 1
        self.n_chains, self.n_iter = n_chains, n_iter
        self.parts = {
            "n_iter": 8 * n_iter,
            "candidates": posterior.n_candidates + 12 * cap,
            "rows": 8 * n_words * (cap + 4),
            "max_rules": (cap + 1) * stride * (8 + 4 * cap) + 8 * (cap + 1 + len(posterior.alpha)),
        }
        self.per_chain = sum(self.parts.values())
        # the thinned draws kept for the posterior predictive: about POSTERIOR_DRAWS lists over all chains
        self.total = n_chains * self.per_chain + 4 * cap * (POSTERIOR_DRAWS + n_chains)

    def message(self, available):
        parts = self.parts
        causes = [
            f"the trace of n_iter={self.n_iter} iterations {size_text(parts['n_iter'])}",
            f"the candidates' flags {size_text(parts['candidates'])}",
            f"the rows left by each rule {size_text(parts['rows'])}",
            f"the BRL-point buckets of max_rules {size_text(parts['max_rules'])}",
        ]
        order = sorted(range(4), key=lambda i: -list(parts.values())[i])
        fixes = {
            "n_iter": "n_iter",
            "candidates": "the candidates (raise min_support or lower max_rule_len)",
            "rows": "max_rules, or fit on fewer rows",
            "max_rules": "max_rules",
        }
        largest = list(parts)[order[0]]
        have = f"; this machine has {size_text(available)}" if available else ", more than could be allocated"
        return (
            f"Sampling n_chains={self.n_chains} chains needs {size_text(self.total)} of memory{have}. "
            f"Each chain holds {size_text(self.per_chain)}: " + ", ".join(causes[i] for i in order) + ". "
            f"Lower n_chains (default 16) or {fixes[largest]}."
        )

    def check_fits(self):
        """Refuse a workspace larger than the machine's memory before allocating it (the system could
        otherwise hand it out unbacked and end the process while the chains fill it)."""
        available = physical_memory()
        if available is not None and self.total > available:
            raise MemoryError(self.message(available))

    @contextmanager
    def named_if_short(self):
        """Turn a MemoryError raised while the chains are set up or run into one that names the parameters."""
        try:
            yield
        except MemoryError as error:
            raise MemoryError(self.message(None)) from error


class _PointTracker:
    """Buffers the sampler fills after burn-in for BRL-point (see :meth:`ChainResult.brl_point`)."""

    def __init__(self, n_chains, cap, stride, n_kept_iter):
        self.cap, self.stride = cap, stride
        self.bucket_lp = np.full((n_chains, (cap + 1) * stride), -np.inf)
        self.bucket_lists = np.zeros((n_chains, (cap + 1) * stride * cap), dtype=np.intc)
        self.sums = np.zeros((n_chains, 3))
        # Every thin-th list after burn-in, about POSTERIOR_DRAWS over all chains.
        per_chain = -(-POSTERIOR_DRAWS // n_chains)
        self.thin = max(1, -(-n_kept_iter // per_chain))
        n_keep = -(-n_kept_iter // self.thin)
        self.samples = np.zeros((n_chains, n_keep * cap), dtype=np.intc)
        self.sample_lengths = np.full((n_chains, n_keep), -1, dtype=np.intc)

    def draws(self):
        """The thinned posterior draws of every chain, as lists of candidate indices."""
        n_chains, n_keep = self.sample_lengths.shape
        samples = self.samples.reshape(n_chains, n_keep, self.cap)
        return [
            samples[c, s, :length].tolist()
            for c in range(n_chains)
            for s, length in enumerate(self.sample_lengths[c])
            if length >= 0
        ]


def _weight_levels(y, weights, n_samples, n_classes, max_classes, uniform):
    """Per-class weight tables of a weighted fit in which every row of a class has the same weight.

    That is what ``class_weight`` gives, and one weight for every row: the weight of a class's
    captured rows is then its row count times one value, read by the kernel from a popcount
    instead of summed row by row (5 to 8 times faster on red wine quality).  Returns ``(level_bits, level_sums,
    level_starts)``: the rows of positive weight of each class as bitsets ``(n_classes, n_words)``
    flattened, and per class the weight of its first ``c`` rows for every count ``c``
    (``level_sums[level_starts[k] + c]``), summed one row after the other as the row-by-row loop
    sums them, so both give the same floating-point counts, hence the same lists.  With unit
    weights, weights that differ within a class, or more than ``max_classes`` classes, the
    arrays hold one unused element each and rows are summed one by one.
    """
    none = (np.zeros(1, dtype=np.uint64), np.zeros(1), np.zeros(1, dtype=np.intp))
    if uniform or n_classes > max_classes:
        return none
    y, weights = y[:n_samples], weights[:n_samples]
    masks, tables = [], []
    for k in range(n_classes):
        rows = (y == k) & (weights > 0)
        values = np.unique(weights[rows])
        if len(values) > 1:
            return none
        masks.append(rows)
        weight = values[0] if len(values) else 0.0
        tables.append(np.concatenate([[0.0], np.cumsum(np.full(int(rows.sum()), weight))]))  # add.accumulate: in order
    level_starts = np.concatenate([[0], np.cumsum([len(t) for t in tables])]).astype(np.intp)
    return bitset_from_mask(np.stack(masks)).ravel(), np.concatenate(tables), level_starts


class ChainResult:
    """Output of the sampler: each chain's best list and log-posterior, traces and BRL-point data."""

    def __init__(self, best_lists, best_log_posteriors, trace, n_accept, tracker):
        self.best_lists = best_lists
        self.best_log_posteriors = np.asarray(best_log_posteriors, dtype=np.float64)
        self.trace = trace
        self.n_accept = n_accept
        self.tracker = tracker

    def posterior_means(self):
        """Posterior mean list length and mean rule width over the chains' second halves."""
        if self.tracker is None:
            return 0.0, float("nan")
        total_length, total_width, kept = self.tracker.sums.sum(axis=0)
        return total_length / kept, (total_width / total_length if total_length > 0 else float("nan"))

    def brl_point(self):
        """Letham et al.'s BRL-point: among lists sampled after burn-in whose length is the
        posterior mean length rounded down or up, and whose mean rule width is the posterior
        mean width rounded down or up, the one with the highest posterior.

        Returns ``(list, log_posterior)``, or ``None`` when no sampled list qualifies.
        """
        starts = self.brl_point_starts()
        return starts[0] if starts else None

    def brl_point_starts(self):
        """Each chain's best sampled list of BRL-point's shape (see :meth:`brl_point`).

        Returns ``[(list, log_posterior), ...]``: distinct lists, best first (ties in chain
        order); empty when no chain sampled a list of that shape.  The point estimate
        polishes each, since a chain may stop short of the mode another chain's list leads to.
        """
        if self.tracker is None:
            return []
        (min_len, max_len), (min_width, max_width) = self.brl_point_shape()
        t = self.tracker
        slots = np.arange(t.bucket_lp.shape[1])
        length, width_sum = slots // t.stride, slots % t.stride
        with np.errstate(invalid="ignore", divide="ignore"):
            rule_width = np.where(length > 0, width_sum / np.maximum(length, 1), np.nan)
        eligible = (length >= min_len) & (length <= max_len)
        eligible &= (length == 0) | ((rule_width >= min_width) & (rule_width <= max_width))
        scores = np.where(eligible[None, :], t.bucket_lp, -np.inf)
        found = []
        for chain, slot in enumerate(np.argmax(scores, axis=1)):
            if np.isfinite(scores[chain, slot]):
                start = slot * t.cap
                found.append((t.bucket_lists[chain, start : start + length[slot]].tolist(), float(scores[chain, slot])))
        return _distinct_best_first(found)

    def brl_point_shape(self):
        """``((min_length, max_length), (min_width, max_width))``: the lengths and mean rule widths
        BRL-point accepts (the posterior means rounded down and up)."""
        mean_length, mean_width = self.posterior_means()
        lengths = (int(np.floor(mean_length)), int(np.ceil(mean_length)))
        widths = (float(np.floor(mean_width)), float(np.ceil(mean_width))) if np.isfinite(mean_width) else (0.0, np.inf)
        return lengths, widths

    def posterior_draws(self):
        """Distinct thinned posterior draws and how often each was drawn: ``(lists, counts)``."""
        if self.tracker is None:  # only the empty list exists
            return [[]], np.ones(1)
        tally = {}
        for draw in self.tracker.draws():
            key = tuple(draw)
            tally[key] = tally.get(key, 0) + 1
        return [list(k) for k in tally], np.array(list(tally.values()), dtype=np.float64)

    def map_list(self):
        """The best list over all chains (the first chain wins ties)."""
        c = int(np.argmax(self.best_log_posteriors))
        return self.best_lists[c], float(self.best_log_posteriors[c])

    def map_starts(self):
        """Each chain's best list: ``[(list, log_posterior), ...]``, distinct, best first."""
        return _distinct_best_first(zip(self.best_lists, self.best_log_posteriors.tolist()))


def _distinct_best_first(found):
    """Drop repeated lists (keeping the first) and sort by log-posterior, best first, stably."""
    seen, out = set(), []
    for rule_list, lp in found:
        if tuple(rule_list) not in seen:
            seen.add(tuple(rule_list))
            out.append((list(rule_list), float(lp)))
    return sorted(out, key=lambda item: -item[1])


def gelman_rubin(traces):
    """Rank-normalised split R-hat of chains ``(n_chains, n_draws)`` (Vehtari, Gelman, Simpson,
    Carpenter & Buerkner 2021).

    Each chain is cut in two halves, so a chain whose first half differs from
    its second (still drifting) counts as two chains that disagree; the
    classic statistic, which compares whole-chain means only, misses that.
    The pooled draws are replaced by normal scores of their ranks, so the
    statistic does not depend on the scale of the trace (a log-posterior has a
    long lower tail) and ties of a discrete trace share one score.  The result
    is the larger of the R-hat of those scores (the bulk: chains centred in
    different places) and of the scores of the distances to the pooled median
    (the tails: chains spread differently).

    Values near 1 mean the chains explore the same distribution; NaN with a
    single chain.  Constant chains that agree give 1, that disagree give inf.
    """
    traces = np.asarray(traces, dtype=np.float64)
    n_chains, n = traces.shape
    if n_chains < 2 or n < 4:
        return float("nan")
    if np.all(traces.max(axis=1) == traces.min(axis=1)):  # every chain stayed on one list
        return 1.0 if np.all(traces == traces[0, 0]) else float("inf")
    half = n // 2
    halves = np.concatenate([traces[:, :half], traces[:, n - half :]])
    bulk = _classic_rhat(_normal_scores(halves))
    tail = _classic_rhat(_normal_scores(np.abs(halves - np.median(halves))))
    return float(max(bulk, tail))


def _normal_scores(draws):
    """Blom's normal scores of the pooled ranks (ties get their average rank)."""
    ranks = rankdata(draws, method="average").reshape(draws.shape)
    return norm.ppf((ranks - 0.375) / (draws.size + 0.25))


def _classic_rhat(chains):
    """Gelman and Rubin's potential scale reduction of ``(n_chains, n_draws)``.

    Chains that are each constant give 1 when they agree and inf when they do not."""
    n = chains.shape[1]
    within = chains.var(axis=1, ddof=1).mean()
    between = n * chains.mean(axis=1).var(ddof=1)
    if within == 0.0:
        return 1.0 if between == 0.0 else float("inf")
    return float(np.sqrt(((n - 1) / n * within + between / n) / within))


def warn_if_unconverged(rhat, threshold, n_iter):
    """Warn when R-hat says the chains disagree."""
    if np.isfinite(rhat) and rhat <= threshold:
        return
    if np.isnan(rhat):
        return
    from sklearn.exceptions import ConvergenceWarning

    warnings.warn(
        f"The MCMC chains disagree (rank-normalised split R-hat of the log-posterior = {rhat:.3f} > {threshold}): "
        "the list kept is the best of the modes the chains found and may change with random_state. "
        f"Raise n_iter (now {n_iter}) or set burn_in_temperature (e.g. 10), and compare the lists of a few "
        "random_state values before trusting one.",
        ConvergenceWarning,
        stacklevel=user_stacklevel(),
    )


class PosteriorPredictive:
    """Bayesian model averaging over the sampler's thinned draws (Letham et al. 2015, section 3).

    Each distinct list drawn keeps the posterior mean class probabilities of
    its rules (and default) given the training data; a row's predictive
    probability is the draw-weighted average, over the lists, of the
    probabilities of the rule that decides it in each list.

    Everything is computed here, once: prediction reads the object and never
    writes to it, so threads may share a fitted (or unpickled) model, and the
    object keeps no training row (no labels, no coverage bitsets).

    Parameters
    ----------
    lists : list of list of int
        Distinct draws, as candidate indices (held as ``rules`` and ``starts``).
    counts : ndarray of shape (n_lists,)
        How often each was drawn.
    coverage : ndarray of uint64, shape (n_candidates, n_words)
        Training coverage of every candidate.
    y, sample_weight, n_classes, alpha
        As for :class:`ListPosterior` (``sample_weight=None`` counts rows).
    """

    def __init__(self, lists, counts, coverage, y, sample_weight, n_classes, alpha):
        used = sorted({c for rule_list in lists for c in rule_list})
        local = np.full(coverage.shape[0], -1, dtype=np.intp)
        local[used] = np.arange(len(used))
        #: Candidate indices any draw uses; ``rules`` index into this.
        self.candidates = np.array(used, dtype=np.intp)
        lengths = np.array([len(rule_list) for rule_list in lists], dtype=np.intp)
        #: Draw ``i``'s rules are ``rules[starts[i]:starts[i + 1]]`` (positions in ``candidates``).
        self.starts = np.concatenate([[0], np.cumsum(lengths)])
        drawn = np.concatenate([np.asarray(rule_list, dtype=np.intp) for rule_list in lists] or [np.zeros(0, np.intp)])
        self.rules = local[drawn].astype(np.int32)  # half the bytes of intp in a pickled model
        self.weights = np.asarray(counts, dtype=np.float64) / np.sum(counts)
        #: Posterior mean class probabilities of every draw's rules and default, draw after draw:
        #: draw ``i``'s are rows ``starts[i] + i`` to ``starts[i + 1] + i`` (its default last).
        self.probabilities = _draw_probabilities(
            self.rules, self.starts, coverage[self.candidates], np.asarray(y), sample_weight, n_classes, alpha
        )
        self._freeze()

    _TABLES = ("candidates", "starts", "rules", "weights", "probabilities")

    def _freeze(self):
        """Make the per-draw tables read-only: threads share them, and nothing may write to them."""
        for name in self._TABLES:
            array = getattr(self, name, None)
            if isinstance(array, np.ndarray):
                array.flags.writeable = False

    def __setstate__(self, state):
        if "_training" in state:  # pickled by a release that counted the draws at the first prediction
            coverage, y, sample_weight, n_classes, alpha = state.pop("_training")
            lists = state.pop("lists")
            state.pop("_probabilities", None)
            state["starts"] = np.concatenate([[0], np.cumsum([len(rule_list) for rule_list in lists])])
            state["rules"] = np.concatenate([np.asarray(r, dtype=np.intp) for r in lists] or [np.zeros(0, np.intp)])
            state["rules"] = state["rules"].astype(np.int32)
            state["probabilities"] = _draw_probabilities(state["rules"], state["starts"], coverage, np.asarray(y),
                                                         sample_weight, n_classes, alpha)
        self.__dict__.update(state)
        # pickle protocols 2 to 4 (and any copy) bring arrays back writeable: freeze them again
        self._freeze()

    def predict_proba(self, covered):
        """Predictive class probabilities from ``covered`` (bool ``(n_samples, len(candidates))``)."""
        out = np.zeros((covered.shape[0], self.probabilities.shape[1]))
        for i, weight in enumerate(self.weights):
            start, stop = self.starts[i], self.starts[i + 1]
            probabilities = self.probabilities[start + i : stop + i + 1]
            out += weight * probabilities[first_covering_rule(covered[:, self.rules[start:stop]])]
        return out


#: Bytes of rule coverage :func:`_draw_probabilities` holds at once (bounds its memory on large data).
_DECIDED_BLOCK_BYTES = 32 * 2**20


def _draw_probabilities(rules, starts, coverage, y, sample_weight, n_classes, alpha):
    """Posterior mean class probabilities of each list's rules and default, stacked list after list.

    The rows each rule decides (covered by it, by no rule above) are found for
    a block of lists at once (their coverage padded to the longest list, then a
    running OR down the list), and counted in one call: a few array operations
    per block instead of a few per rule.  The counts are those of
    :func:`~glassbox.rules._rule_model.list_class_counts`, list by list, exactly.
    """
    n_samples, n_words = len(y), coverage.shape[1]
    lengths = np.diff(starts)
    valid = bitset_from_mask(np.ones(n_samples, dtype=bool))[0]  # no padding bits: they would count
    per_list = (int(lengths.max(initial=0)) + 2) * max(n_words, 1) * 8 * 3
    block = max(1, _DECIDED_BLOCK_BYTES // per_list)
    padded_coverage = np.vstack([coverage, np.zeros((1, n_words), dtype=np.uint64)])  # its last row: no rule
    out = np.empty((len(rules) + len(lengths), n_classes))
    for first in range(0, len(lengths), block):
        stop = min(first + block, len(lengths))
        decided = _decided_rows(rules[starts[first] : starts[stop]], lengths[first:stop], padded_coverage, valid)
        out[starts[first] + first : starts[stop] + stop] = class_counts(decided, y, sample_weight, n_classes)
    posterior = alpha + out
    return posterior / posterior.sum(axis=1, keepdims=True)


def _decided_rows(rules, lengths, padded_coverage, valid):
    """Bitsets of the rows each rule of each list decides, each list's default after its rules.

    ``padded_coverage``'s last row is empty: it pads the shorter lists.
    """
    longest = int(lengths.max(initial=0))
    index = np.full((len(lengths), longest + 1), len(padded_coverage) - 1, dtype=np.intp)
    list_of_rule = np.repeat(np.arange(len(lengths)), lengths)
    index[list_of_rule, np.arange(len(rules)) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = rules
    covered = padded_coverage[index]  # (n_lists, longest + 1, n_words)
    covered_above = np.bitwise_or.accumulate(covered, axis=1)
    decided = covered
    decided[:, 1:] &= ~covered_above[:, :-1]
    decided[:, longest] = valid & ~covered_above[:, longest]  # the default: the rows no rule covers
    keep = (np.arange(longest + 1) < lengths[:, None]) | (np.arange(longest + 1) == longest)
    return decided[keep]
