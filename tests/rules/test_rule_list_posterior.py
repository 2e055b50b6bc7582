"""Bayesian rule lists: the compiled posterior and sampler against brute force."""


from itertools import permutations

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")

from glassbox.rules import BayesianRuleListClassifier
from glassbox.rules._brl_sampler import ListPosterior, gelman_rubin, warn_if_unconverged
from glassbox.rules._reference import log_posterior_reference
from glassbox.rules.mining import mask_from_bitset, mine_candidate_rules


def _tiny_problem(n_classes=2, n=60, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"a": rng.randint(0, 4, n).astype(float), "b": rng.randint(0, 3, n).astype(float)})
    logits = 1.2 * (X["a"] >= 2) - 1.0 * (X["b"] >= 1) + 0.3 * rng.normal(size=n)
    if n_classes == 2:
        y = (logits > 0).astype(int)
    else:
        y = np.digitize(logits, [-0.5, 0.6])
    return X, np.asarray(y)


def _posterior_of(clf, X, y, sample_weight=None):
    """Rebuild the posterior the estimator searched (same candidates, same priors)."""
    gen = clf.condition_generator_
    bits = gen.transform_bitsets(X)
    cands = mine_candidate_rules(
        gen, bits, len(X), sample_weight=sample_weight, min_support=clf.min_support,
        max_rule_len=clf.max_rule_len, max_candidates=clf.max_candidates,
    )
    y_codes = np.searchsorted(clf.classes_, y)
    alpha = np.full(len(clf.classes_), float(clf.alpha))
    post = ListPosterior(
        cands.coverage, cands.widths, y_codes, sample_weight, len(clf.classes_), alpha,
        clf.list_length_prior, clf.list_width_prior, clf.max_rules,
    )
    return post, cands, y_codes, alpha


def _all_lists(n_candidates, max_length):
    for length in range(max_length + 1):
        yield from permutations(range(n_candidates), length)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_compiled_log_posterior_matches_reference(weighted, n_classes):
    X, y = _tiny_problem(n_classes)
    weights = np.random.RandomState(2).choice([0.0, 0.5, 2.0], len(y)) if weighted else None
    clf = BayesianRuleListClassifier(max_thresholds=3, max_rules=4, n_iter=10, random_state=0)
    clf.fit(X, y, sample_weight=weights)
    post, cands, y_codes, alpha = _posterior_of(clf, X, y, weights)
    masks = mask_from_bitset(cands.coverage, len(y))
    widths = cands.widths
    totals = {w: int(np.sum(widths == w)) for w in set(widths.tolist())}
    rng = np.random.RandomState(0)
    for _ in range(25):
        length = rng.randint(0, 5)
        lst = rng.choice(len(cands), length, replace=False)
        expected = log_posterior_reference(
            masks[lst], y_codes, np.ones(len(y)) if weights is None else weights, n_classes, alpha,
            widths[lst], totals, clf.list_length_prior, clf.list_width_prior, post.max_length,
        )
        # the compiled version drops the length prior's normaliser (a constant)
        lengths = np.arange(post.max_length + 1)
        norm = np.log(np.sum(clf.list_length_prior**lengths / np.exp(np.cumsum(np.log(np.maximum(lengths, 1))))))
        assert post.log_posterior(lst) - norm == pytest.approx(expected, rel=1e-10, abs=1e-9)


@pytest.mark.parametrize("weighted", [False, True])
def test_log_prior_when_a_width_runs_out_of_candidates(weighted):
    # Once a list holds every candidate of some width, that width leaves the width prior's
    # normaliser: the compiled prior (which caches the full normaliser) must follow.
    X, y = _tiny_problem(2)
    weights = np.random.RandomState(1).choice([0.5, 1.0, 3.0], len(y)) if weighted else None
    clf = BayesianRuleListClassifier(max_thresholds=3, max_rules=4, n_iter=10, random_state=0)
    clf.fit(X, y, sample_weight=weights)
    _, cands, y_codes, alpha = _posterior_of(clf, X, y, weights)
    widths = cands.widths.copy()
    widths[[3, 7]] = 3  # a width with only two candidates
    post = ListPosterior(cands.coverage, widths, y_codes, weights, 2, alpha, 3.0, 1.0, 4)
    totals = {w: int(np.sum(widths == w)) for w in set(widths.tolist())}
    masks = mask_from_bitset(cands.coverage, len(y))
    lengths = np.arange(post.max_length + 1)
    norm = np.log(np.sum(3.0**lengths / np.exp(np.cumsum(np.log(np.maximum(lengths, 1))))))
    for lst in ([3, 7], [7, 0, 3], [3, 1, 7, 2], [1, 3, 2], [7, 3, 5]):
        lst = np.array(lst)
        expected = log_posterior_reference(
            masks[lst], y_codes, np.ones(len(y)) if weights is None else weights, 2, alpha,
            widths[lst], totals, 3.0, 1.0, post.max_length,
        )
        assert post.log_posterior(lst) - norm == pytest.approx(expected, rel=1e-10, abs=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_mcmc_finds_the_enumerated_map_list(seed, n_classes):
    X, y = _tiny_problem(n_classes, seed=seed)
    clf = BayesianRuleListClassifier(
        max_thresholds=2, min_support=0.15, max_rule_len=1, max_rules=3, n_iter=4000, random_state=seed,
        point_estimate="map",
    ).fit(X, y)
    post, cands, _, _ = _posterior_of(clf, X, y)
    assert 3 <= len(cands) <= 8  # small enough to enumerate every list up to length 3
    scores = {lst: post.log_posterior(lst) for lst in _all_lists(len(cands), 3)}
    best = max(scores.values())
    assert clf.log_posterior_ == pytest.approx(best, abs=1e-9)
    found = tuple(cands.items.index(items) for items in clf._rule_items)
    assert scores[found] == pytest.approx(best, abs=1e-9)
    # the sampler alone, before any polishing, also reaches the mode
    sampled, sampled_lp = post.sample(3, 4000, np.random.RandomState(seed), 1).map_list()
    assert sampled_lp == pytest.approx(best, abs=1e-9)
    assert scores[tuple(sampled)] == pytest.approx(best, abs=1e-9)


def _reference_scores(clf, X, y, max_length):
    """Every list up to ``max_length`` scored by the NumPy reference posterior (width prior included)."""
    post, cands, y_codes, alpha = _posterior_of(clf, X, y)
    masks = mask_from_bitset(cands.coverage, len(y))
    widths = cands.widths
    totals = {w: int(np.sum(widths == w)) for w in set(widths.tolist())}
    scores = {}
    for lst in _all_lists(len(cands), max_length):
        index = np.array(lst, dtype=np.intp)
        scores[lst] = log_posterior_reference(
            masks[index], y_codes, np.ones(len(y)), len(clf.classes_), alpha, widths[index], totals,
            clf.list_length_prior, clf.list_width_prior, post.max_length,
        )
    return scores, cands


@pytest.mark.parametrize("eta", [1.0, 0.3])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_mcmc_finds_the_enumerated_map_list_with_rules_of_two_conditions(seed, n_classes, eta):
    # Candidates of width 1 and 2, so the Poisson(eta) width prior and its per-width
    # normalisers take part in the brute force; the reference scores every list itself.
    X, y = _tiny_problem(n_classes, seed=seed)
    clf = BayesianRuleListClassifier(
        max_thresholds=1, min_support=0.15, max_rule_len=2, max_rules=3, n_iter=4000, random_state=seed,
        point_estimate="map", list_width_prior=eta,
    ).fit(X, y)
    scores, cands = _reference_scores(clf, X, y, 3)
    assert sorted(set(cands.widths.tolist())) == [1, 2] and len(cands) <= 8
    best = max(scores.values())
    found = tuple(cands.items.index(items) for items in clf._rule_items)
    assert scores[found] == pytest.approx(best, abs=1e-9)


def test_width_prior_decides_the_enumerated_map_list():
    # The check above can only catch a wrong width prior if the prior changes the answer:
    # on this problem rules of two conditions win at eta=1 and lose at eta=0.3.
    X, y = _tiny_problem(2, seed=0)
    best_widths = {}
    for eta in (1.0, 0.3):
        clf = BayesianRuleListClassifier(
            max_thresholds=1, min_support=0.15, max_rule_len=2, max_rules=3, n_iter=10, list_width_prior=eta,
            random_state=0,
        ).fit(X, y)
        scores, cands = _reference_scores(clf, X, y, 3)
        best_widths[eta] = sorted(cands.widths[list(max(scores, key=scores.get))].tolist())
    assert best_widths == {1.0: [2, 2], 0.3: [1, 1]}


@pytest.mark.parametrize("max_rules", [3, 4])
def test_sampler_visits_lists_in_proportion_to_their_posterior(max_rules):
    # Metropolis-Hastings with correct Hastings ratios has the posterior as its stationary law:
    # the long-run share of iterations at each log-posterior value must match enumeration.
    # With max_rules=4 the list can hold every candidate (no replace move from there).
    X, y = _tiny_problem(2, n=30, seed=3)
    clf = BayesianRuleListClassifier(
        max_thresholds=1, min_support=0.05, max_rule_len=1, max_rules=max_rules, n_iter=10, random_state=0,
        list_length_prior=2.0, alpha=3.0,
    ).fit(X, y)
    post, cands, _, _ = _posterior_of(clf, X, y)
    assert len(cands) == 4
    scores = np.array([post.log_posterior(lst) for lst in _all_lists(len(cands), post.max_length)])
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    chains = post.sample(2, 200_000, np.random.RandomState(0), 1)
    visited = np.round(chains.trace[:, 2000:].ravel(), 8)
    values = np.round(scores, 8)
    for value in np.unique(values):
        expected = probs[values == value].sum()
        assert np.mean(visited == value) == pytest.approx(expected, abs=0.006)


def test_gelman_rubin_and_warning():
    rng = np.random.RandomState(0)
    same = rng.normal(size=(3, 2000))
    assert gelman_rubin(same) == pytest.approx(1.0, abs=0.01)
    apart = same + np.array([[0.0], [5.0], [10.0]])
    assert gelman_rubin(apart) > 2  # rank-based: fully separated chains give a bounded value
    assert gelman_rubin(np.ones((2, 10))) == 1.0
    assert gelman_rubin(np.array([[1.0] * 5, [2.0] * 5])) == np.inf
    assert np.isnan(gelman_rubin(same[:1]))
    with pytest.warns(Warning, match="chains disagree.*n_iter"):
        warn_if_unconverged(gelman_rubin(apart), 1.1, 100)


def test_rhat_splits_chains_so_a_shared_drift_is_caught():
    # Every chain drifts the same way: whole-chain means agree (classic R-hat about 1), but
    # each chain's first half sits below its second, which split R-hat compares.
    rng = np.random.RandomState(1)
    drifting = np.linspace(0.0, 6.0, 2000) + rng.normal(size=(4, 2000))
    assert gelman_rubin(drifting) > 1.5
    assert gelman_rubin(rng.normal(size=(4, 2000))) < 1.01


def test_rhat_is_rank_based_and_sees_chains_spread_differently():
    rng = np.random.RandomState(2)
    apart = rng.normal(size=(3, 1000)) + np.array([[0.0], [0.5], [1.0]])
    # Ranks make it blind to a monotone rescaling of the trace (the classic statistic is not).
    assert gelman_rubin(np.exp(3 * apart)) == pytest.approx(gelman_rubin(apart), rel=1e-12)
    # Same centre, different spread: the folded (tail) part flags it.
    spread = rng.normal(size=(2, 4000)) * np.array([[1.0], [4.0]])
    assert gelman_rubin(spread) > 1.1


def test_rhat_of_a_discrete_trace_with_ties():
    # A trace that only visits a few lists has many ties: chains that flip among the same
    # values agree, chains that flip among different values do not.
    rng = np.random.RandomState(3)
    shared = rng.choice([-10.0, -11.0, -12.5], size=(4, 3000))
    assert gelman_rubin(shared) < 1.01
    stuck = shared.copy()
    stuck[:2] = rng.choice([-10.0, -11.0], size=(2, 3000))
    stuck[2:] = rng.choice([-12.5, -14.0], size=(2, 3000))
    assert gelman_rubin(stuck) > 1.5


def _neighbours(lst, n_candidates, max_length):
    lst = list(lst)
    unused = [c for c in range(n_candidates) if c not in lst]
    for pos in range(len(lst)):
        yield lst[:pos] + lst[pos + 1 :]
        for c in unused:
            yield lst[:pos] + [c] + lst[pos + 1 :]
    for i in range(len(lst)):
        for j in range(i + 1, len(lst)):
            swapped = list(lst)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            yield swapped
    if len(lst) < max_length:
        for c in unused:
            for pos in range(len(lst) + 1):
                yield lst[:pos] + [c] + lst[pos:]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_polish_reaches_a_local_mode_never_worse_than_its_start(seed):
    X, y = _tiny_problem(2, n=80, seed=seed)
    clf = BayesianRuleListClassifier(max_thresholds=3, max_rules=4, n_iter=10, random_state=0).fit(X, y)
    post, cands, _, _ = _posterior_of(clf, X, y)
    rng = np.random.RandomState(seed)
    start = rng.choice(len(cands), 3, replace=False).tolist()
    polished, lp = post.polish(start)
    assert post.polish(start, n_threads=2) == (polished, lp)  # the parallel scan picks the same moves
    assert lp == pytest.approx(post.log_posterior(polished), abs=1e-9)
    assert lp >= post.log_posterior(start)
    best_neighbour = max(post.log_posterior(n) for n in _neighbours(polished, len(cands), post.max_length))
    assert best_neighbour <= lp + 1e-9


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_polish_within_a_shape_stays_in_it_and_reaches_its_local_mode(seed):
    # BRL-point's polish may only visit lists of the point estimate's length and mean width.
    X, y = _tiny_problem(2, n=80, seed=seed)
    clf = BayesianRuleListClassifier(max_thresholds=3, max_rules=5, n_iter=10, random_state=0).fit(X, y)
    post, cands, _, _ = _posterior_of(clf, X, y)
    widths = cands.widths
    start = np.random.RandomState(seed).choice(len(cands), 3, replace=False).tolist()
    lengths = (3, 4)
    mean_widths = (1.0, 1.0 + (widths[start].mean() > 1.0))

    def in_shape(lst):
        mean = widths[list(lst)].mean() if len(lst) else 0.0
        return lengths[0] <= len(lst) <= lengths[1] and mean_widths[0] <= mean <= mean_widths[1]

    assert in_shape(start)
    polished, lp = post.polish(start, lengths=lengths, widths=mean_widths)
    assert post.polish(start, lengths=lengths, widths=mean_widths, n_threads=2) == (polished, lp)
    assert in_shape(polished)
    assert lp == pytest.approx(post.log_posterior(polished), abs=1e-9)
    assert lp >= post.log_posterior(start)
    allowed = [n for n in _neighbours(polished, len(cands), post.max_length) if in_shape(n)]
    assert max(post.log_posterior(n) for n in allowed) <= lp + 1e-9


@pytest.mark.parametrize("seed", [0, 1])
def test_brl_point_is_the_best_sampled_list_of_mean_length_and_width(seed):
    # On a tiny problem every list is visited, so BRL-point must be the best of all lists whose
    # length and mean width round to the sampler's posterior means.
    X, y = _tiny_problem(2, seed=seed)
    params = dict(max_thresholds=2, min_support=0.35, max_rule_len=2, max_rules=3, n_iter=20000, random_state=seed)
    clf = BayesianRuleListClassifier(point_estimate="brl-point", **params).fit(X, y)
    post, cands, _, _ = _posterior_of(clf, X, y)
    assert len(cands) <= 12
    mean_length, mean_width = clf.posterior_mean_length_, clf.posterior_mean_width_
    widths = cands.widths

    def eligible(lst):
        if not np.floor(mean_length) <= len(lst) <= np.ceil(mean_length):
            return False
        return len(lst) == 0 or np.floor(mean_width) <= widths[list(lst)].mean() <= np.ceil(mean_width)

    best = max(post.log_posterior(lst) for lst in _all_lists(len(cands), 3) if eligible(lst))
    assert clf.log_posterior_ == pytest.approx(best, abs=1e-9)
    found = [cands.items.index(items) for items in clf._rule_items]
    assert eligible(found)
    map_clf = BayesianRuleListClassifier(point_estimate="map", **params).fit(X, y)
    assert map_clf.log_posterior_ >= clf.log_posterior_ - 1e-9


def test_point_estimate_polishes_every_chains_best_list():
    # The kept list is the best that steepest ascent reaches from any chain's best list, not only
    # from the best sampled one: a lower start can lead uphill past it.
    from glassbox.rules.bayesian_rule_list import _best_polished

    X, y = _tiny_problem(2, n=200, seed=4)
    clf = BayesianRuleListClassifier(max_thresholds=4, min_support=0.05, max_rules=6, n_iter=10, random_state=0)
    post, cands, _, _ = _posterior_of(clf.fit(X, y), X, y)
    rng = np.random.RandomState(0)
    for _ in range(200):  # random starts, best first, until the first start is not the best climber
        starts = [rng.choice(len(cands), rng.randint(1, 5), replace=False).tolist() for _ in range(4)]
        starts = sorted(((s, post.log_posterior(s)) for s in starts), key=lambda item: -item[1])
        climbed = [post.polish(s, max_steps=10)[1] for s, _ in starts]
        if max(climbed) > climbed[0] + 1e-6:
            break
    else:
        pytest.fail("no set of starts where a lower start climbs higher")
    kept, lp = _best_polished(post, starts, n_threads=1)
    assert lp == pytest.approx(max(climbed), abs=1e-9)
    assert post.log_posterior(kept) == pytest.approx(lp, abs=1e-9)
    assert _best_polished(post, starts, n_threads=2) == (kept, lp)
    # each chain's best list, distinct and best first
    chains = post.sample(6, 2000, np.random.RandomState(1), 1)
    for starts in (chains.map_starts(), chains.brl_point_starts()):
        lps = [start_lp for _, start_lp in starts]
        assert lps == sorted(lps, reverse=True) and len({tuple(s) for s, _ in starts}) == len(starts)
    assert chains.map_starts()[0][1] == chains.map_list()[1]
    assert chains.brl_point_starts()[0] == chains.brl_point()


def test_annealed_burn_in_still_samples_the_posterior_afterwards():
    # With burn_in_temperature the first half targets a flattened posterior (it must visit
    # low-posterior lists far more often), the second half the posterior itself.
    X, y = _tiny_problem(2, n=30, seed=3)
    clf = BayesianRuleListClassifier(
        max_thresholds=1, min_support=0.05, max_rule_len=1, max_rules=3, n_iter=10, random_state=0,
        list_length_prior=2.0, alpha=3.0,
    ).fit(X, y)
    post, cands, _, _ = _posterior_of(clf, X, y)
    scores = np.array([post.log_posterior(lst) for lst in _all_lists(len(cands), post.max_length)])
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    n_iter = 300_000
    chains = post.sample(2, n_iter, np.random.RandomState(0), 1, initial_temperature=50.0)
    values = np.round(scores, 8)
    sampled = np.round(chains.trace[:, n_iter // 2 :].ravel(), 8)
    for value in np.unique(values):
        assert np.mean(sampled == value) == pytest.approx(probs[values == value].sum(), abs=0.008)
    hot = chains.trace[:, : n_iter // 8].ravel()
    assert hot.mean() < np.dot(probs, scores) - 1.0


def test_burn_in_temperature_is_validated():
    X, y = _tiny_problem(2)
    with pytest.raises(ValueError, match="burn_in_temperature"):
        BayesianRuleListClassifier(burn_in_temperature=0.5).fit(X, y)


@pytest.mark.parametrize("alpha", [1e-30, [1e-30, 1.0], [1.0, 1e-20, 1e-30]])
def test_credible_intervals_of_a_tiny_alpha_are_numbers(alpha):
    # the Beta's second parameter was sum(posterior) - posterior_k: (69 + 1e-30) - 69 is 0, and the interval NaN
    rng = np.random.RandomState(0)
    n_classes = 2 if np.ndim(alpha) == 0 or len(alpha) == 2 else 3
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    y = np.where(X["a"] > 0.4, n_classes - 1, (X["b"] > 0).astype(int) if n_classes == 3 else 0)
    clf = BayesianRuleListClassifier(n_iter=300, random_state=0, alpha=alpha).fit(X, y)
    assert np.all(np.isfinite(clf.rule_intervals_))
    assert np.all(clf.rule_intervals_[:, 0] <= clf.rule_intervals_[:, 1])
    assert "nan" not in str(clf.explain_global())
