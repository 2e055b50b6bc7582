"""Replacing and dropping a distilled rule list's rules for agreement with the teacher.

A Bayesian rule list's posterior favours pure rules, so a long list distilled
from a teacher's labels spends many rules on regions already of the default's
class: they change no prediction, while a tree of as many leaves spends its
leaves on the teacher's boundary.  Two searches on the training rows turn such
a list into a more faithful one of at most as many rules:

- replacement: steepest ascent over putting one candidate rule (the
  conjunctions the fit chose from) in the place of one rule of the list,
  while agreement with the teacher's labels rises;
- backward elimination: removing rules while agreement does not fall; a
  removed rule's rows fall to later rules, whose class probabilities are
  re-estimated from the rows they then decide.

Everything runs on coverage bitsets of the training rows.  For the current list
of ``m`` rules, the rows each rule decides are ``D_j``; removing rule ``j``
moves ``D_j`` to the next kept rule covering each row (or the default).  The
moved parts of every ``D_j`` are built together, one AND/ANDNOT sweep over the
``m`` rules of an ``(m, n_words)`` array, and one weighted class count of the
``m * (m + 1)`` parts gives every candidate list's class weights: a step costs
``O(m^2 * n_words)`` word operations plus one pass over the rows.  The same
parts, counted on each candidate's coverage, give every replacement's
agreement (:func:`replacement_gains`)."""

import copy

import numpy as np

from ..rules._rule_model import decided_bitsets, first_covering_rule, list_class_counts
from ..rules.mining import bitset_from_mask, class_counts, mask_from_bitset, mine_candidate_rules
from ..utils.tabular import validate_tabular

#: Most replacements of a rule by a candidate in one distillation.
_MAX_REPLACEMENTS = 100


def rule_list_agreement(counts, alpha):
    """Weight of the rows whose deciding rule predicts their label, from each rule's class weights.

    A rule predicts the class of highest posterior mean ``alpha + counts``
    (the first of ties, like ``argmax`` of ``predict_proba``).  ``counts`` is
    ``(..., n_rules + 1, n_classes)``; returns the sum over rules.
    """
    return _rule_agreements(counts, alpha).sum(axis=-1)


def _moved_parts(coverage, decided):
    """``moved[j, k]``: rows rule ``j`` decides that rule ``k > j`` (or the default, ``k = m``) gets without it."""
    m, n_words = coverage.shape
    moved = np.zeros((m, m + 1, n_words), dtype=np.uint64)
    pending = np.zeros((m, n_words), dtype=np.uint64)  # row j: rows of D_j no later rule took yet
    for k in range(m):
        moved[:k, k] = pending[:k] & coverage[k]
        pending[:k] &= ~coverage[k]
        pending[k] = decided[k]
    moved[:, m] = pending
    return moved


def removal_agreements(coverage, y, weights, alpha, n_samples):
    """Agreement of the list without each one of its rules: ``(m,)``, and of the list itself.

    ``coverage`` holds the rules' training coverage bitsets ``(m, n_words)`` in
    list order, ``y`` the class index of each row.
    """
    m = len(coverage)
    n_classes = len(alpha)
    decided = decided_bitsets(coverage, n_samples)
    counts = class_counts(decided, y, weights, n_classes)
    current = float(rule_list_agreement(counts, alpha))
    if m == 0:
        return np.zeros(0), current
    moved = class_counts(_moved_parts(coverage, decided).reshape(m * (m + 1), -1), y, weights, n_classes)
    candidates = counts[None] + moved.reshape(m, m + 1, n_classes)  # candidate j: the list without rule j
    candidates[np.arange(m), np.arange(m)] = 0.0  # rule j decides nothing there: it adds no agreement
    return rule_list_agreement(candidates, alpha), current


def backward_eliminate(coverage, y, weights, alpha, n_samples):
    """Positions of the rules kept by backward elimination (agreement never falls; ties: remove).

    Each step removes the rule whose removal leaves the highest agreement (the
    last such rule of ties, so the most specific exceptions go first), while that
    agreement is at least the current one.
    """
    kept = np.arange(len(coverage))
    while len(kept):
        agreements, current = removal_agreements(coverage[kept], y, weights, alpha, n_samples)
        best = len(agreements) - 1 - int(np.argmax(agreements[::-1]))
        if agreements[best] < current - 1e-9 * max(1.0, abs(current)):
            break
        kept = np.delete(kept, best)
    return kept


def prune_rule_list(student, X, labels, weights, max_replacements=_MAX_REPLACEMENTS):
    """Replace and drop rules of a fitted rule list for agreement with the teacher's ``labels``.

    First rules are replaced, one at a time, by the candidate rules the fit
    chose from (the same conditions, support and width), as long as the
    weighted agreement with ``labels`` rises (:func:`replace_for_agreement`);
    then rules are dropped while it does not fall (:func:`backward_eliminate`).
    ``student`` needs ``coverage(X)`` and ``set_rules(rules, X, y,
    sample_weight)`` (:class:`~glassbox.BayesianRuleListClassifier`), which
    re-estimates every rule from the rows it then decides.  The search runs on
    the class weights; a student fitted to other rows or labels (its rules'
    class weights differ from these) is left as it is.  The new student's
    labels are then checked against the teacher's, and the original list is
    returned if its agreement fell (floating-point ties of two classes could
    differ).
    """
    weights = np.asarray(weights, dtype=np.float64)
    labels = np.asarray(labels)
    classes = np.asarray(student.classes_)
    codes = np.searchsorted(classes, labels)
    if weights.sum() <= 0 or np.any(codes >= len(classes)) or np.any(classes[codes] != labels):
        return student  # labels outside the student's classes: nothing to re-estimate from
    covered = student.coverage(X)
    fitted_counts = list_class_counts(_bitsets(covered), len(labels), codes, weights, len(classes))
    if not np.allclose(fitted_counts, student.rule_class_weights_, rtol=1e-9, atol=1e-9 * weights.sum()):
        # The student learnt other rows (e.g. soft labels): re-estimating its rules from these
        # labels would replace what it learnt, not only drop rules.
        return student
    rules = _searched_rules(student, X, codes, weights, max_replacements, covered)
    if rules is None:
        return student
    before = (student.predict(X) == labels) @ weights
    improved = copy.copy(student).set_rules(rules, X, labels, sample_weight=weights)
    return improved if (improved.predict(X) == labels) @ weights >= before else student


def _bitsets(covered):
    """Coverage bitsets ``(n_rules, n_words)`` of a rows-by-rules coverage mask."""
    if covered.shape[1]:
        return bitset_from_mask(covered.T)
    return np.zeros((0, (covered.shape[0] + 63) // 64), np.uint64)


def _searched_rules(student, X, codes, weights, max_replacements, covered):
    """The rules replacement (up to ``max_replacements``) then backward elimination leave; None: the list as it is.

    The search counts the rows of ``X`` with their class indices ``codes``;
    ``covered`` is the student's rules' coverage of those rows.
    """
    coverage, n_samples = _bitsets(covered), len(codes)
    alpha = np.broadcast_to(np.asarray(student.alpha, dtype=np.float64), (len(student.classes_),))
    candidates = _candidate_rules(student, X, weights) if max_replacements else None
    source = np.full(len(coverage), -1)
    if candidates is not None and len(candidates):
        coverage, source = replace_for_agreement(coverage, candidates.coverage, codes, weights, alpha, n_samples,
                                                 max_replacements)
    kept = backward_eliminate(coverage, codes, weights, alpha, n_samples)
    if len(kept) == covered.shape[1] and np.all(source < 0):
        return None
    generator = student.condition_generator_
    return [student.rules_[k] if source[k] < 0 else candidates.conditions(generator, source[k]) for k in kept]


def _candidate_rules(student, X, weights):
    """The candidate rules ``student``'s fit chose from, on the rows of ``X`` (None if they cannot be mined)."""
    table = validate_tabular(student, X, reset=False)
    generator = student.condition_generator_
    bitsets = generator.bitsets_from_codes(generator.binner_._transform_table(table))
    try:
        return mine_candidate_rules(
            generator, bitsets, table.n_samples, sample_weight=None if np.all(weights == 1.0) else weights,
            min_support=student.min_support, max_rule_len=student.max_rule_len, max_candidates=student.max_candidates,
        )
    except ValueError:  # more candidates than the student allows (other rows than its fit's)
        return None


# -- replacing rules by candidates ------------------------------------------------------
# Bytes of class weights held at once while scoring candidates (a chunk of candidates at a time).
_CHUNK_BYTES = 48 << 20


def _next_rules(covered):
    """For each row: the rule deciding it and the next rule covering it (``m`` for the default)."""
    n_rules = covered.shape[1]
    decider = first_covering_rule(covered)
    later = covered & (np.arange(n_rules)[None, :] > decider[:, None])
    return decider, first_covering_rule(later)


def replacement_gains(coverage, candidates, y, weights, alpha, n_samples):
    """For each candidate, the best rise of agreement from putting it in place of one rule, and that rule's position.

    Replacing rule ``j`` by candidate ``c`` leaves the rows earlier rules decide
    alone; ``c`` decides the rows reaching position ``j`` that it covers, and
    the others go on to the later rules without rule ``j``: rule ``k > j`` then
    decides ``E[j, k] = D_k + moved[j, k]`` (what it decides now, plus the rows
    of ``D_j`` it is the next rule to cover) minus the rows ``c`` took.  So the
    class weights every replacement needs are those of ``c`` on each part
    ``(j, k)`` of the rows split by (deciding rule, next covering rule): one
    weighted count per candidate over the ``m (m + 1) / 2`` parts (a bitset
    kernel pass), then ``O(m^2)`` array work per candidate.  Returns ``(gains, positions)``, each
    ``(n_candidates,)``.
    """
    n_rules, n_classes = len(coverage), len(alpha)
    gains, positions = np.full(len(candidates), -np.inf), np.zeros(len(candidates), dtype=np.intp)
    if n_rules == 0:
        return gains, positions
    decider, following = _next_rules(mask_from_bitset(coverage, n_samples).T)
    # Parts: the pairs (j, k > j) in order of j then k (the next covering rule comes later, the
    # default k = m last), then the rows no rule covers.
    lengths = n_rules - np.arange(n_rules)
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]])  # first pair of each j
    pair_rule = np.repeat(np.arange(n_rules), lengths)
    pair_next = np.arange(len(pair_rule)) - first[pair_rule] + pair_rule + 1
    n_pairs = len(pair_rule)
    part = np.where(decider < n_rules, first[np.minimum(decider, n_rules - 1)] + following - decider - 1, n_pairs)
    flat = np.bincount(part * n_classes + y, weights=weights, minlength=(n_pairs + 1) * n_classes)
    moved = flat.reshape(n_pairs + 1, n_classes)
    decided = np.concatenate([np.add.reduceat(moved[:-1], first, axis=0), moved[-1:]])
    current = rule_list_agreement(decided, alpha)
    kept_before = np.concatenate([[0.0], np.cumsum(_rule_agreements(decided, alpha))])[:n_rules]
    without = decided[pair_next] + moved[:-1]  # E[j, k], per pair
    chunk = max(1, _CHUNK_BYTES // (8 * (n_pairs + 1) * n_classes))
    for start in range(0, len(candidates), chunk):
        counts = class_counts(candidates[start:start + chunk], part * n_classes + y, weights,
                              (n_pairs + 1) * n_classes).reshape(-1, n_pairs + 1, n_classes)
        on_decided = np.concatenate([np.add.reduceat(counts[:, :-1], first, axis=1), counts[:, -1:]], axis=1)
        reaching = np.cumsum(on_decided[:, ::-1], axis=1)[:, ::-1][:, :n_rules]  # c & rows reaching rule j
        taken = on_decided[:, pair_next] + counts[:, :-1]  # c & E[j, k]
        after = np.add.reduceat(_rule_agreements(without[None] - taken, alpha), first, axis=1)
        agreement = kept_before[None] + _rule_agreements(reaching, alpha) + after  # (candidate, j)
        positions[start:start + chunk] = np.argmax(agreement, axis=1)
        gains[start:start + chunk] = agreement.max(axis=1) - current
    return gains, positions


def _rule_agreements(counts, alpha):
    """Weight of the predicted class of each entry of ``counts`` (``(..., n_classes)``)."""
    if counts.shape[-1] == 2:  # the common case, without argmax's index arrays: class 0 wins ties
        return np.where(counts[..., 1] + alpha[1] > counts[..., 0] + alpha[0], counts[..., 1], counts[..., 0])
    predicted = np.argmax(counts + alpha, axis=-1)
    return np.take_along_axis(counts, predicted[..., None], axis=-1)[..., 0]


def replace_for_agreement(coverage, candidates, y, weights, alpha, n_samples, max_steps, shortlist=256):
    """Steepest ascent over single replacements of a rule by a candidate, while agreement rises.

    A scan of every candidate gives each one's best gain; the next steps scan
    only the ``shortlist`` candidates that gained most, and when none of them
    improves the list any more, every candidate is scanned again: the search
    stops only where no single replacement raises agreement (or after
    ``max_steps`` replacements).  Returns the list's coverage bitsets and, per
    position, the candidate now there (``-1``: the list's own rule).  The
    number of rules does not change.
    """
    coverage = np.array(coverage, dtype=np.uint64)
    source = np.full(len(coverage), -1)
    tolerance = 1e-9 * max(1.0, float(np.sum(weights)))
    pool, steps = None, 0  # pool: the shortlist's candidate indices (None: scan every candidate)
    while steps < max_steps:
        scanned = candidates if pool is None else candidates[pool]
        gains, positions = replacement_gains(coverage, scanned, y, weights, alpha, n_samples)
        if len(gains) == 0 or gains.max() <= tolerance:
            if pool is None:
                break  # no single replacement raises agreement
            pool = None  # the shortlist is exhausted: scan every candidate once more
            continue
        best = int(np.argmax(gains))  # the first candidate of ties
        chosen = best if pool is None else int(pool[best])
        if pool is None:
            pool = np.sort(np.argsort(-gains, kind="stable")[:shortlist])
        coverage[positions[best]] = candidates[chosen]
        source[positions[best]] = chosen
        steps += 1
    return coverage, source
