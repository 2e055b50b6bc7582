"""The interpretable-decision-set objective and its optimizer driver.

Lakkaraju, Bach & Leskovec (2016) choose a set ``R`` of candidate rules that
maximises a weighted sum of seven terms (their ``f1 .. f7``)::

    f1 = |S| - |R|                                    fewer rules
    f2 = L_max |S| - sum of rule lengths              fewer conditions
    f3 = N |S|^2 - sum of overlaps, same-class pairs  little redundancy
    f4 = N |S|^2 - sum of overlaps, cross-class pairs few conflicts
    f5 = number of classes some rule predicts         every class covered
    f6 = N |S| - sum of incorrect covers              precise rules
    f7 = number of rows a rule of their class covers  correct coverage

(``S`` is the candidate pool, ``N`` the number of rows.)  The constants only
make the terms non-negative; here they are dropped, so the empty set scores
0 and :attr:`IDSResult.objective` is the gain over it.  Row quantities are
weighted by ``sample_weight`` and measured as fractions of the total weight,
so a ``rule_penalty`` of 0.01 reads "a rule must earn 1 % of the data".

Each of f1..f7 is submodular, so the sum is submodular (and non-monotone).
The optimizer starts from a greedy solution and from ``n_restarts`` runs of
randomized double greedy (Buchbinder et al., 2012: with the constant offsets
restored, each run is a 1/2-approximation in expectation of the
unconstrained optimum; the offsets are so large that this bound says little,
so the tests check stronger facts: both double-greedy sets only improve, and
the whole optimizer reaches the brute-force optimum on small pools), trims to
``max_rules`` when needed (the guarantee does not cover the budget), then
improves every start by best-improvement local search over add / remove /
swap moves and keeps the best.  All moves use exact incremental deltas on bitsets
(``_decision_set_fast``); :func:`reference_objective` is the slow NumPy
definition the tests hold the kernels to.
"""

from dataclasses import dataclass, replace

import numpy as np
from sklearn.utils import check_random_state

from ._decision_set_fast import SetState, cover_weights, double_greedy, fill, greedy, local_search, pairwise_overlap, trim
from ..utils._memory import physical_memory, size_text
from ..utils._threads import threads_for_work
from .mining import bitset_from_mask, mask_from_bitset

#: Parameter names of the seven IDS weights, in the order of ``f1 .. f7``.
LAMBDA_NAMES = (
    "rule_penalty",
    "condition_penalty",
    "overlap_penalty",
    "conflict_penalty",
    "class_coverage_bonus",
    "error_penalty",
    "coverage_bonus",
)
# Word operations each extra thread must have before the kernels start it.
_THREADED_WORK = 1_000_000
# Terms measured in rows (f3, f4, f6, f7): their weights are divided by the total weight.
_ROW_TERMS = np.array([False, False, True, True, False, True, True])


@dataclass(frozen=True, eq=False)
class IDSProblem:
    """A candidate pool with everything the objective needs.

    Attributes
    ----------
    cover : uint64 (n_rules, n_words)
        Training rows each candidate covers.
    y : intp (n_samples,)
        Class index of each row.
    weights : float64 (n_words * 64,)
        Row weights, zero past ``n_samples``.
    uniform : bool
        Every row weighs the same (the kernels then count bits).
    rule_class : intp (n_rules,)
    rule_length : float64 (n_rules,)
    lambdas : float64 (7,)
        The user's weights, in the order of :data:`LAMBDA_NAMES`.
    n_classes : int
    correct_cover, overlap, incorrect, scaled_lambdas
        Derived by :func:`build_problem`.
    """

    cover: np.ndarray
    y: np.ndarray
    weights: np.ndarray
    uniform: bool
    rule_class: np.ndarray
    rule_length: np.ndarray
    lambdas: np.ndarray
    n_classes: int
    correct_cover: np.ndarray
    overlap: np.ndarray
    incorrect: np.ndarray
    scaled_lambdas: np.ndarray

    @property
    def n_rules(self):
        return self.cover.shape[0]

    def new_state(self):
        return SetState(
            self.correct_cover, self.overlap, self.rule_class, self.rule_length, self.incorrect,
            self.weights, self.uniform, self.scaled_lambdas, self.n_classes,
        )


def _overlap_table(n_pool):
    """The pool's pairwise overlaps, ``n_pool x n_pool`` floats; refused naming ``pool_size`` when larger than memory."""
    need = 8 * n_pool * n_pool
    available = physical_memory()
    if available is not None and need > available:
        raise MemoryError(_pool_message(n_pool, need, f"; this machine has {size_text(available)}",
                                        int((available // 4 // 8) ** 0.5)))
    try:
        return np.zeros((n_pool, n_pool))
    except MemoryError as error:
        raise MemoryError(_pool_message(n_pool, need, ", more than could be allocated", n_pool // 2)) from error


def _pool_message(n_pool, need, have, fits):
    return (f"The decision set's optimizer compares every pair of its {n_pool} pooled candidates: a {n_pool} x "
            f"{n_pool} table of their overlaps ({size_text(need)}){have}. Lower pool_size (the default 1000 takes "
            f"7.6 MiB; at most about {fits} would fit), or raise min_precision or min_support so fewer candidates "
            "qualify.")


def build_problem(cover, y, sample_weight, rule_class, rule_length, lambdas, n_classes, n_threads=1):
    """Precompute class masks, correct / incorrect cover and pairwise overlaps.

    ``sample_weight`` may be None (every row weighs 1).  Weights that are all
    equal use the popcount path; the objective does not depend on their scale.
    """
    cover = np.ascontiguousarray(cover, dtype=np.uint64)
    y = np.asarray(y, dtype=np.intp)
    n_samples, n_words = len(y), cover.shape[1]
    weights = np.zeros(n_words * 64)
    weights[:n_samples] = 1.0 if sample_weight is None else sample_weight
    uniform = sample_weight is None or bool(np.all(weights[:n_samples] == weights[0]))
    if uniform:
        weights[:n_samples] = 1.0
    total = weights.sum()
    class_masks = np.ascontiguousarray(bitset_from_mask(y[None, :] == np.arange(n_classes)[:, None]))
    rule_class = np.ascontiguousarray(rule_class, dtype=np.intp)
    correct_cover = np.ascontiguousarray(cover & class_masks[rule_class])
    covered = np.zeros(len(rule_class))
    correct = np.zeros(len(rule_class))
    everything = np.full((1, n_words), np.iinfo(np.uint64).max, dtype=np.uint64)
    # Threads only pay off on large scans: on a busy machine their start-up costs more than a small one.
    scan_threads = threads_for_work(n_threads, len(rule_class) * n_words, _THREADED_WORK)
    cover_weights(cover, everything, np.zeros(len(rule_class), dtype=np.intp), weights, uniform, covered, scan_threads)
    cover_weights(cover, class_masks, rule_class, weights, uniform, correct, scan_threads)
    overlap = _overlap_table(len(rule_class))
    work = len(rule_class) ** 2 * n_words // 2
    pairwise_overlap(cover, weights, uniform, overlap, threads_for_work(n_threads, work, 50 * _THREADED_WORK))
    lambdas = np.asarray(lambdas, dtype=np.float64)
    return IDSProblem(
        cover=cover,
        y=y,
        weights=weights,
        uniform=uniform,
        rule_class=rule_class,
        rule_length=np.ascontiguousarray(rule_length, dtype=np.float64),
        lambdas=lambdas,
        n_classes=int(n_classes),
        correct_cover=correct_cover,
        overlap=overlap,
        incorrect=np.maximum(covered - correct, 0.0),
        scaled_lambdas=np.where(_ROW_TERMS, lambdas / total, lambdas),
    )


def objective_terms(problem, selected):
    """The seven IDS quantities of rule set ``selected`` (NumPy reference, no kernels).

    Returns the changes from the empty set: ``-|R|``, ``-sum len``, ``-same-class
    overlap``, ``-cross-class overlap``, classes covered, ``-incorrect cover``
    and correct cover (row terms as fractions of the total weight).
    """
    selected = np.asarray(sorted(set(int(s) for s in selected)), dtype=np.intp)
    n_samples = len(problem.y)
    weights = problem.weights[:n_samples]
    total = weights.sum()
    covers = mask_from_bitset(problem.cover[selected], n_samples) if len(selected) else np.zeros((0, n_samples), bool)
    classes = problem.rule_class[selected]
    same = cross = 0.0
    for a in range(len(selected)):
        for b in range(a + 1, len(selected)):
            shared = weights[covers[a] & covers[b]].sum()
            if classes[a] == classes[b]:
                same += shared
            else:
                cross += shared
    correct_rows = np.zeros(n_samples, dtype=bool)
    incorrect = 0.0
    for a in range(len(selected)):
        right = covers[a] & (problem.y == classes[a])
        correct_rows |= right
        incorrect += weights[covers[a] & ~right].sum()
    return np.array([
        -float(len(selected)),
        -float(problem.rule_length[selected].sum()),
        -same / total,
        -cross / total,
        float(len(np.unique(classes))),
        -incorrect / total,
        weights[correct_rows].sum() / total,
    ])


def reference_objective(problem, selected):
    """The IDS objective of ``selected`` without its constant offsets (slow, for tests)."""
    return float(problem.lambdas @ objective_terms(problem, selected))


@dataclass(frozen=True)
class IDSResult:
    """What the optimizer found.

    Attributes
    ----------
    selected : ndarray of intp
        Chosen candidates, ascending.
    objective : float
        Their objective (gain over the empty set).
    start : str
        Which start won: ``"greedy"`` or ``"double greedy k"``.
    start_objective : float
        Objective of that start (after trimming to ``max_rules``).
    trace : ndarray
        Objective after each local-search move of the winning run (non-decreasing).
    moves : ndarray of intp, shape (n_moves, 2)
        ``(added, removed)`` per move, -1 for none.
    start_selected : ndarray of intp
        The winning start's rules, before local search.
    """

    selected: np.ndarray
    objective: float
    start: str
    start_objective: float
    trace: np.ndarray
    moves: np.ndarray
    start_selected: np.ndarray


def run_double_greedy(problem, rng):
    """One randomized double-greedy pass; returns ``(state, low_trace, high_trace)``."""
    n = problem.n_rules
    low, high = problem.new_state(), problem.new_state()
    fill(high, np.arange(n, dtype=np.intp))
    order = rng.permutation(n).astype(np.intp)
    coins = rng.random_sample(n)
    low_trace, high_trace = np.empty(n), np.empty(n)
    double_greedy(low, high, order, coins, low_trace, high_trace)
    return low, low_trace, high_trace


def _tolerance(problem):
    # Moves must beat float noise, relative to the size of the objective's terms.
    return 1e-10 * max(1.0, float(np.abs(problem.lambdas).sum()))


def optimize(problem, *, max_rules=None, n_restarts=2, random_state=None, max_moves=1000, n_threads=1,
             progress=None):
    """Maximise the IDS objective over subsets of at most ``max_rules`` candidates.

    Returns an :class:`IDSResult`.  Deterministic for a given ``random_state``.
    ``progress`` (a :class:`~glassbox.utils._progress.Progress`, optional)
    says each start's objective before and after its local search.
    """
    rng = check_random_state(random_state)
    cap = problem.n_rules if max_rules is None else int(max_rules)
    # Threads only pay off on large scans; on small ones their start-up costs more than the scan.
    n_threads = threads_for_work(n_threads, problem.n_rules * problem.cover.shape[1], _THREADED_WORK)
    starts = []
    state = problem.new_state()
    greedy(state, cap)
    starts.append(("greedy", state))
    for k in range(n_restarts):
        state, _, _ = run_double_greedy(problem, rng)
        trim(state, cap)
        starts.append((f"double greedy {k + 1}", state))
    best = None
    for name, state in starts:
        start_value = exact_value(problem, state.members())
        before = state.members()
        trace = np.empty(max_moves)
        moves = np.full((max_moves, 2), -1, dtype=np.intp)
        n_moves = local_search(state, cap, max_moves, _tolerance(problem), trace, moves, n_threads)
        selected = state.members()
        value = exact_value(problem, selected)
        if progress:
            progress.say(f"{name} start: objective {start_value:.6g} -> {value:.6g} after {n_moves} local moves, "
                         f"{len(selected)} rules")
        if best is None or value > best.objective + _tolerance(problem):
            best = IDSResult(
                selected=selected,
                objective=value,
                start=name,
                start_objective=start_value,
                trace=trace[:n_moves].copy(),
                moves=moves[:n_moves].copy(),
                start_selected=before,
            )
    return best


def exact_value(problem, selected):
    """Objective of ``selected`` summed afresh from kernel deltas (no drift)."""
    state = problem.new_state()
    fill(state, np.asarray(selected, dtype=np.intp))
    return float(state.value)


def with_lambdas(problem, lambdas):
    """The same candidates and rows under other weights (nothing is recomputed but the scaling)."""
    lambdas = np.asarray(lambdas, dtype=np.float64)
    total = problem.weights.sum()
    return replace(problem, lambdas=lambdas, scaled_lambdas=np.where(_ROW_TERMS, lambdas / total, lambdas))
