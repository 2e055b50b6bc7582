"""Decision-set bookkeeping: the candidate pool, the conflict order and local notes."""

from dataclasses import dataclass

import numpy as np

from ..explain._render import format_number
from .mining import class_counts


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


@dataclass(frozen=True, eq=False)
class CandidatePool:
    """The candidates the optimizer chooses among.

    Attributes
    ----------
    items : list of tuple of int
        Condition indices of each candidate.
    coverage : uint64 (n, n_words)
    class_weights : float64 (n, n_classes)
        Training weight of each class among the rows each candidate covers.
    rule_class : intp (n,)
        The class each candidate predicts (the argmax of its smoothed scores).
    precision : float64 (n,)
    length : intp (n,)
    text : list of str
    """

    items: list
    coverage: np.ndarray
    class_weights: np.ndarray
    rule_class: np.ndarray
    precision: np.ndarray
    length: np.ndarray
    text: list


def candidate_pool(mined, generator, y, weights, n_classes, link, lambdas, *, smoothing, min_precision, pool_size):
    """Give each mined candidate its class, drop imprecise ones, keep the best ``pool_size``.

    A candidate predicts the class its smoothed frequencies favour, so that the
    class it is chosen for is the class it outputs.  The pool keeps the
    candidates with the best objective *on their own* (``F({r})``), ties by
    mining order, and lists them in mining order.
    """
    counts = class_counts(mined.coverage, y, weights, n_classes)
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
    keep = np.flatnonzero((covered > 0) & (precision >= min_precision - 1e-12))
    if len(keep) > pool_size:
        keep = np.sort(keep[_round_robin(alone[keep], rule_class[keep], pool_size)])
    return CandidatePool(
        items=[mined.items[c] for c in keep],
        coverage=np.ascontiguousarray(mined.coverage[keep]),
        class_weights=counts[keep],
        rule_class=np.ascontiguousarray(rule_class[keep], dtype=np.intp),
        precision=precision[keep],
        length=length[keep],
        text=[" AND ".join(str(c) for c in mined.conditions(generator, k)) for k in keep],
    )


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
    return np.lexsort((text_rank, np.asarray(length), -np.asarray(support), -np.asarray(precision)))


def _describe(rank, rule):
    return (
        f"rule {rank + 1} (class {rule.predicted_class}, precision {format_number(rule.precision, 3)}, "
        f"support {format_number(rule.support)})"
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


def describe_rows(covered, rules, default):
    """One note per row: the rules that cover it, which decides and why, or the default.

    ``covered`` is the boolean matrix ``(n_samples, n_rules)`` with rules in
    conflict-resolution order.
    """
    notes = []
    for row in covered:
        hits = np.flatnonzero(row)
        if len(hits) == 0:
            notes.append(f"no rule covers this row; the default applies: class {default.predicted_class}")
            continue
        first = rules[hits[0]]
        listed = ", ".join(_describe(i, rules[i]) for i in hits)
        if len(hits) == 1:
            notes.append(f"only {listed} covers this row; it decides")
            continue
        rivals = [i for i in hits if rules[i].predicted_class != first.predicted_class]
        if not rivals:
            notes.append(
                f"{len(hits)} rules cover this row, all predicting class {first.predicted_class}: {listed}; "
                f"rule {hits[0] + 1} decides (the highest-ranked)"
            )
            continue
        classes = sorted({str(rules[i].predicted_class) for i in hits})
        notes.append(
            f"{len(hits)} rules cover this row: {listed}; they conflict (classes {', '.join(classes)}); "
            f"rule {hits[0] + 1} decides over rule {rivals[0] + 1}: {_why(first, rules[rivals[0]])}"
        )
    return notes
