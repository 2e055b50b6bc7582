"""Decision-set bookkeeping: the candidate pool, the conflict order and local notes."""

from dataclasses import dataclass

import numpy as np

from ..explain._render import class_text, format_number
from ..explain.decision_path import COVERS
from ..explain.links import Link
from ..explain.rules import settle_ties_to_default
from .mining import (
    CandidateRules, TooManyCandidates, candidate_counts_text, class_counts, coverage_blocks, coverage_of_table,
    mine_candidate_rules,
)


def smoothed_scores(class_weights, smoothing):
    """Decision-function scores of rules with these class weights ``(n_rules, n_classes)``.

    Class probabilities are Laplace-smoothed frequencies ``(w_k + a) / (W + K a)``;
    the scores are their log-odds of class 1 (binary, shape ``(n_rules,)``) or
    their logarithms (multiclass, ``(n_rules, n_classes)``).
    """
    class_weights = np.asarray(class_weights, dtype=np.float64)
    n_classes = class_weights.shape[1]
    probabilities = (class_weights + smoothing) / (class_weights.sum(axis=1, keepdims=True) + n_classes * smoothing)
    log_p = np.log(probabilities)
    return log_p[:, 1] - log_p[:, 0] if n_classes == 2 else log_p


#: Weight of the other classes' rows, relative to their own, when mining one class's conjunctions.
_OTHER_CLASSES = 1e-6


def mine_per_class(generator, bitsets, y, weights, n_classes, *, min_support, max_rule_len, max_candidates):
    """Conjunctions that cover at least ``min_support`` of some class's training weight.

    Support measured against the whole data starves small classes: at 5 % of
    all rows, a rule for a class of 10 % must cover half of it, so precise
    rules for the minority are never candidates.  Here a conjunction is a
    candidate when it covers ``min_support`` of the weight of *some* class.
    Each class is mined on its own: its rows keep their weight, the other
    rows get a millionth of theirs.  They then hardly count towards support,
    but they still tell a refinement that only drops other classes' rows
    (the very step that makes a rule precise) from one that adds nothing, so
    the miner's pruning of the latter stays what it is on all rows.  The
    union keeps each conjunction once, in the order of its condition indices; class counts
    then check the threshold exactly.  Returns the candidates and those class
    counts (``class_counts(coverage, y, weights, n_classes)``).
    """
    class_weight = np.bincount(y, weights=weights, minlength=n_classes)
    total = float(class_weight.sum())
    tables = []
    for k in np.flatnonzero(class_weight > 0):
        focused = np.where(y == k, weights, _OTHER_CLASSES * weights)
        try:
            mined = mine_candidate_rules(
                generator, bitsets, len(y), sample_weight=focused,
                min_support=min(1.0, min_support * class_weight[k] / focused.sum()),
                max_rule_len=max_rule_len, max_candidates=max_candidates, keep_coverage=False,
            )
        except TooManyCandidates as error:
            raise ValueError(
                f"More than max_candidates={max_candidates} candidate rules reach min_support={min_support} of "
                f"a class with max_rule_len={max_rule_len}. Raise max_candidates or min_support, or lower "
                "max_rule_len or max_thresholds. Mining one class:"
                + candidate_counts_text(error.n_frequent, error.n_pairs, error.n_by_length,
                                        error.n_candidates is not None, whole=False)
            ) from error
        padded = np.full((len(mined), max_rule_len), -1, dtype=np.intc)
        padded[:, : mined.table.shape[1]] = mined.table
        tables.append(padded)
    table = np.concatenate(tables) if tables else np.zeros((0, max_rule_len), dtype=np.intc)
    # Each conjunction once, in the order of its condition indices: the order of the classes' codes (which
    # renaming the labels changes) must not order the candidates, as ties in the pool and optimizer follow it.
    table = np.unique(table, axis=0) if len(table) else table
    # The union's coverage is never held whole: it is built a block of candidates at a time to count
    # classes here, and again for the pool and the folds' counts.  Held whole it is 8 bytes per 64 rows and
    # candidate (500,000 rows, 46,912 conjunctions: 2.8 GiB of a 4.3 GB peak).
    keep = np.zeros(len(table), dtype=bool)
    kept_counts = []
    for block in coverage_blocks(len(table), bitsets.shape[1]):
        counts = class_counts(coverage_of_table(bitsets, table[block]), y, weights, n_classes)
        # The miner's slack, so that a fraction such as 0.3 of 10 rows admits 3 rows; nor a conjunction every
        # row meets.
        kept = (np.any(counts >= min_support * class_weight * (1 - 1e-12), axis=1)
                & (counts.sum(axis=1) < total * (1 - 1e-12)))
        keep[block] = kept
        kept_counts.append(counts[kept])
    if keep.sum() > max_candidates:
        raise ValueError(
            f"More than max_candidates={max_candidates} candidate rules reach min_support={min_support} of a "
            f"class with max_rule_len={max_rule_len}. Raise max_candidates or min_support, or lower max_rule_len "
            f"or max_thresholds. In all {int(keep.sum())} candidates reach min_support of some class: "
            f"max_candidates={int(keep.sum())} would do."
        )
    counts = np.concatenate(kept_counts) if kept_counts else np.zeros((0, n_classes))
    weight = counts.sum(axis=1)
    return CandidateRules(table=table[keep], coverage=None, weight=weight, support=weight / total,
                          n_samples=len(y), bitsets=bitsets), counts


@dataclass(frozen=True, eq=False)
class CandidatePool:
    """The candidates the optimizer chooses among.

    Attributes
    ----------
    index : intp (n,)
        Position of each candidate among the mined ones.
    coverage : uint64 (n, n_words)
    class_weights : float64 (n, n_classes)
        Training weight of each class among the rows each candidate covers.
    rule_class : intp (n,)
        The class each candidate predicts (the argmax of its smoothed scores).
    precision : float64 (n,)
    length : intp (n,)
    mined, generator
        Where the candidates come from (for :attr:`items` and :meth:`text`).
    """

    index: np.ndarray
    coverage: np.ndarray
    class_weights: np.ndarray
    rule_class: np.ndarray
    precision: np.ndarray
    length: np.ndarray
    mined: object
    generator: object

    @property
    def items(self):
        """Condition indices of each candidate (tuples of int)."""
        return [self.mined.items[c] for c in self.index]

    def text(self, chosen):
        """Readable conditions of the candidates ``chosen`` (built only for those: pools are large)."""
        return [" AND ".join(str(c) for c in self.mined.conditions(self.generator, self.index[k])) for k in chosen]


def candidate_pool(mined, generator, y, weights, n_classes, link, lambdas, *, smoothing, min_precision, pool_size,
                   rule_classes="all", counts=None, majority_weights=None):
    """Give each mined candidate its class, drop imprecise ones, keep the best ``pool_size``.

    With ``rule_classes="minority"``, candidates predicting the most frequent
    class are dropped too: that class is left to the default.  The most frequent
    class is the one of most ``majority_weights`` (default ``weights``): the
    sample weights before class weights, so that ``class_weight`` changes how
    much the classes count, not which one is the frequent class.
    ``counts`` may hold ``mined.class_counts(y, weights, n_classes)`` when the
    caller has it already.

    A candidate predicts the class its smoothed frequencies favour, so that the
    class it is chosen for is the class it outputs; one that covers its two
    likeliest classes equally is dropped (no class is its own).  The pool keeps the
    candidates with the best objective *on their own* (``F({r})``), ties by
    mining order, and lists them in mining order.
    """
    if counts is None:
        counts = mined.class_counts(y, weights, n_classes)
    scores = smoothed_scores(counts, smoothing) if len(counts) else np.zeros((0,))
    rule_class = link.predict_index(scores) if len(counts) else np.zeros(0, dtype=np.intp)
    covered = counts.sum(axis=1)
    correct = counts[np.arange(len(counts)), rule_class]
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(covered > 0, correct / covered, 0.0)
    length = mined.widths.astype(np.intp)
    total = float(np.sum(weights))
    alone = (
        -lambdas[0] - lambdas[1] * length + lambdas[4]
        - lambdas[5] * (covered - correct) / total + lambdas[6] * correct / total
    )
    # A candidate covering two classes equally has no class of its own: the link would give it the lower
    # code, so renaming the labels would change which class it predicts.
    # Equal but for rounding is equal: class_weight="balanced" makes such totals.
    settled = settled_totals(counts)
    tied = np.sum(settled == settled.max(axis=1, keepdims=True), axis=1) > 1 if len(counts) else np.zeros(0, bool)
    eligible = (covered > 0) & (precision >= min_precision - 1e-12) & ~tied
    if rule_classes == "minority":
        frequency = weights if majority_weights is None else majority_weights
        eligible &= rule_class != majority_class(y, frequency, n_classes)
    keep = np.flatnonzero(eligible)
    if len(keep) > pool_size:
        keep = np.sort(keep[_round_robin(alone[keep], rule_class[keep], pool_size)])
    return CandidatePool(
        index=keep,
        coverage=mined.coverage_rows(keep),
        class_weights=counts[keep],
        rule_class=np.ascontiguousarray(rule_class[keep], dtype=np.intp),
        precision=precision[keep],
        length=length[keep],
        mined=mined,
        generator=generator,
    )


def majority_class(y, weights, n_classes):
    """The class with the most training weight (ties: see :func:`class_preference`)."""
    return int(class_preference(y, weights, n_classes)[0])


#: Totals closer than this, relative to the larger, are one total: sums of floating-point weights that are
#: equal in exact arithmetic (``class_weight="balanced"`` makes every class's total the same) can differ in
#: their last bits, and a tie must not be settled by that rounding.
_TIE_RTOL = 1e-9


def settled_totals(totals):
    """``totals`` with every entry equal to the largest but for rounding (within ``_TIE_RTOL``) set to it;
    a 2-D array row by row."""
    totals = np.array(totals, dtype=np.float64)
    if totals.size:
        largest = totals.max(axis=-1, keepdims=True)
        totals = np.where(totals >= largest - _TIE_RTOL * np.abs(largest), largest, totals)
    return totals


def class_preference(y, weights, n_classes):
    """Class codes in the order ties between classes go: the most ``weights`` first, then the class whose
    first row of positive weight comes first (a class without one last).

    Never the codes' own order, which renaming the labels changes: with it, two
    classes of equal weight settled a tie one way for labels 0/1 and the other
    for "healthy"/"disease".  Totals equal but for rounding (see ``_TIE_RTOL``) tie.
    """
    total = np.bincount(y, weights=weights, minlength=n_classes)
    first_met = np.full(n_classes, len(y))
    rows = np.flatnonzero(np.asarray(weights) > 0)
    # np.unique's first occurrence: a repeated fancy-index assignment has no guaranteed order of writes
    present, first = np.unique(np.asarray(y)[rows], return_index=True)
    first_met[present] = rows[first]
    order = []
    remaining = list(range(n_classes))
    while remaining:  # the largest remaining total, then every total tied with it, the class met first winning
        tier = settled_totals(total[remaining])
        best = min((c for c, t in zip(remaining, tier) if t == tier.max()), key=lambda c: first_met[c])
        order.append(best)
        remaining.remove(best)
    return np.array(order, dtype=np.intp)


def likeliest_class(counts, preference):
    """The class of the most ``counts``; a tie (equal but for rounding, see :func:`settled_totals`) goes
    to the class earliest in ``preference`` (:func:`class_preference`)."""
    counts = settled_totals(counts)
    tied = counts[preference] == counts.max()
    return int(preference[np.argmax(tied)])


def _round_robin(value, rule_class, size):
    """Indices of the ``size`` best entries, taken in turn from each class.

    Without the turns, the classes with the most weight would crowd the pool
    and leave small classes without rules.
    """
    by_value = np.argsort(-value, kind="stable")
    rank_in_class = np.empty(len(value), dtype=np.intp)
    for k in np.unique(rule_class):
        members = by_value[rule_class[by_value] == k]
        rank_in_class[members] = np.arange(len(members))
    return np.lexsort((np.argsort(by_value), rank_in_class))[:size]


def conflict_order(precision, support, length, text):
    """Order of rules for settling conflicts: most precise first, then larger
    support, then fewer conditions, then the rule's text (for determinism)."""
    text_rank = np.argsort(np.argsort(np.asarray(text, dtype=object), kind="stable"), kind="stable")
    return np.lexsort((text_rank, np.asarray(length), -_tie_ranks(support), -_tie_ranks(precision)))


def _tie_ranks(values):
    """Dense ranks of ``values`` (larger is higher) in which values equal but for rounding share a rank."""
    values = np.asarray(values, dtype=np.float64)
    ranks = np.zeros(len(values), dtype=np.intp)
    order = np.argsort(values, kind="stable")
    for previous, current in zip(order[:-1], order[1:]):
        same = values[current] - values[previous] <= _TIE_RTOL * abs(values[current])
        ranks[current] = ranks[previous] + (0 if same else 1)
    return ranks


def _describe(rank, rule):
    decides = "" if rule.decides is None else f", decides {format_number(rule.decides)}"
    return (
        f"rule {rank + 1} (class {class_text(rule.predicted_class)}, precision {format_number(rule.precision, 3)}, "
        f"support {format_number(rule.support)}{decides})"
    )


def _why(decider, rival):
    """Why rule ``decider`` outranks ``rival`` (a covering rule of another class)."""
    if decider.precision > rival.precision:
        return "it is more precise"
    if decider.support > rival.support:
        return "equal precision, and it has the larger support"
    if len(decider.conditions) < len(rival.conditions):
        return "equal precision and support, and it has fewer conditions"
    return "equal precision, support and length; it comes first in the rules' text order"


def describe_row(hits, rules, default, classes=None, class_order=None):
    """The note of one row: the rules that cover it, which decides and why, or the default.

    ``hits`` are the positions of the covering rules in ``rules``, which are in
    conflict-resolution order.  With ``classes``, a deciding rule whose decided
    rows favour another class than its own says so (the prediction follows them;
    a tie goes as :func:`~glassbox.explain.rules.settle_ties_to_default` settles
    it with ``class_order``).
    """
    note = _decided_note(hits, rules, default)
    if len(hits) == 0 or classes is None:
        return note
    return note + _outvoted(rules[hits[0]], classes, default, class_order)


def _outvoted(rule, classes, default, class_order=None):
    """What a row decided by ``rule`` is predicted when the rows the rule decides favour another class,
    and by which rule a tie went (as predict settles it)."""
    if rule.probabilities is None:
        return ""
    default_index = list(classes).index(default.predicted_class)
    # the probabilities of every class, read as a softmax's scores (their largest wins)
    scores = rule.probabilities[None, :]
    favoured = classes[int(settle_ties_to_default(Link("softmax"), scores, default_index, class_order)[0])]
    if str(favoured) == str(rule.predicted_class):
        return ""
    favoured = class_text(favoured)
    tied = rule.probabilities == rule.probabilities.max()
    if np.sum(tied) == 1:
        return (f"; among the training rows it decides, class {favoured} is the more frequent, so {favoured} "
                "is predicted")
    if tied[default_index]:
        return (f"; among the training rows it decides, class {favoured} is as frequent as the likeliest; "
                f"a tie goes to the default's class, so {favoured} is predicted")
    if class_order is None:
        rule_applied = ("the default's class is not among the tied, and no class order was recorded (a model "
                        "saved before it was), so the tie goes to the first of them in the classes' order")
    else:
        rule_applied = ("the default's class is not among the tied, so the tie goes to the one of them with the "
                        "most training weight (equal weight: the one met first in the training rows)")
    names = ", ".join(class_text(c) for c, t in zip(classes, tied) if t)
    return (f"; among the training rows it decides, classes {names} are equally frequent and the likeliest; "
            f"{rule_applied}, so {favoured} is predicted")


def _decided_note(hits, rules, default):
    if len(hits) == 0:
        return f"no rule covers this row; the default applies: class {class_text(default.predicted_class)}"
    first = rules[hits[0]]
    listed = ", ".join(_describe(i, rules[i]) for i in hits)
    if len(hits) == 1:
        return f"only {listed} covers this row; it decides"
    rivals = [i for i in hits if rules[i].predicted_class != first.predicted_class]
    if not rivals:
        return (
            f"{len(hits)} rules cover this row, all predicting class {class_text(first.predicted_class)}: {listed}; "
            f"rule {hits[0] + 1} decides (the highest-ranked)"
        )
    classes = sorted({class_text(rules[i].predicted_class) for i in hits})
    return (
        f"{len(hits)} rules cover this row: {listed}; they conflict (classes {', '.join(classes)}); "
        f"rule {hits[0] + 1} decides over rule {rivals[0] + 1}: {_why(first, rules[rivals[0]])}"
    )


class RowNotes:
    """The note of each row, written when called with its position (:func:`describe_row`); picklable.

    ``failed`` is the decision path's own ``(n_rows, n_rules)`` matrix (``COVERS``
    where a rule covers the row), with rules in conflict-resolution order.
    """

    def __init__(self, failed, rules, default, classes=None, class_order=None):
        self.failed, self.rules, self.default, self.classes = failed, rules, default, classes
        self.class_order = class_order

    def __call__(self, row):
        # getattr: notes pickled before ``classes`` / ``class_order`` were kept
        return describe_row(np.flatnonzero(self.failed[row] == COVERS), self.rules, self.default,
                            getattr(self, "classes", None), getattr(self, "class_order", None))
