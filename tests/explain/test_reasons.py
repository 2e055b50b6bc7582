"""Reason codes: exactly the model's, ranked as a lender must give them, for every family."""

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from explain_fixtures import credit_applicants
from sklearn.exceptions import NotFittedError

from glassbox import (
    BayesianRuleListClassifier, DecisionSetClassifier, DistilledClassifier, GAMClassifier, GAMRegressor,
    LocalSurrogate, RiskScoreClassifier, SparseLinearClassifier, SparseLinearRegressor,
)
from glassbox.explain import Link, LocalExplanation, ReasonCodes, reason_codes


def _scorecard_explanation(points, base=1.0, scale=2.0, labels=None):
    """A hand-built scorecard's local explanation: integer points, decision = base + points."""
    points = np.asarray(points, dtype=float)
    decision = base + points.sum(axis=1)
    return LocalExplanation(
        model="HandCard", term_names=("late payments", "utilisation", "tenure"), base_value=base,
        contributions=points, feature_names=("late", "util", "tenure"),
        feature_values=np.arange(points.size).reshape(points.shape), decision=decision,
        prediction=np.where(decision > 0, "bad", "good"), link=Link("logit", scale=scale),
        classes=np.array(["good", "bad"]), row_labels=labels,
    )


def test_scorecard_reasons_equal_a_hand_computation():
    # classes (good, bad): the decision is the score of "bad", so lower points are better for the applicant
    reference = _scorecard_explanation([[0, -2, -1], [3, 0, -3], [0, 1, 0]])
    applicant = _scorecard_explanation([[3, 1, -3], [0, -2, -3]])
    codes = applicant.reason_codes(reference, adverse="bad", n_reasons=4)
    # best (lowest) per term in the reference: 0, -2, -3
    assert codes.reference.tolist() == [0, -2, -3]
    assert codes.shortfall.tolist() == [[3, 3, 0], [0, 0, 0]]
    # ties (3 and 3) in term order; a zero shortfall is never a reason; 4 reasons asked, 3 terms
    assert codes.ranked.tolist() == [[0, 1, -1], [-1, -1, -1]]
    assert codes.sign == -1
    mean = applicant.reason_codes(reference, adverse="bad", method="mean", sample_weight=[1, 1, 2])
    # weighted means: (0 + 3 + 0) / 4, (-2 + 0 + 2) / 4, (-1 - 3 + 0) / 4
    assert mean.reference.tolist() == [0.75, 0.0, -1.0]
    assert mean.shortfall.tolist() == [[2.25, 1.0, -2.0], [-0.75, -2.0, -2.0]]
    assert mean.ranked[:, :2].tolist() == [[0, 1], [-1, -1]]


def test_adverse_class_flips_the_direction():
    reference = _scorecard_explanation([[0, -2, -1], [3, 0, -3]])
    applicant = _scorecard_explanation([[0, -1, -3]])
    good_is_adverse = applicant.reason_codes(reference, adverse="good")
    assert good_is_adverse.sign == 1
    assert good_is_adverse.reference.tolist() == [3, 0, -1]
    assert good_is_adverse.shortfall.tolist() == [[3, 1, 2]]
    assert good_is_adverse.ranked[0, :3].tolist() == [0, 2, 1]


def test_max_shortfalls_add_up_to_the_gap_exactly():
    X, y = credit_applicants()
    card = RiskScoreClassifier().fit(X, y)
    codes = reason_codes(card, X.iloc[:50], reference=X, adverse="bad")
    gap = codes.sign * (codes.reference_decision - codes.decision)
    assert np.array_equal(codes.shortfall.sum(axis=1), gap)  # integer points: exact
    assert np.all(codes.shortfall >= 0)  # every term's best is attained in the reference, rows are from it
    gam = GAMClassifier(interactions=1, random_state=0).fit(X, y)
    codes = reason_codes(gam, X.iloc[:50], reference=X, adverse="bad", by="feature")
    gap = codes.sign * (codes.reference_decision - codes.decision)
    np.testing.assert_allclose(codes.shortfall.sum(axis=1), gap, rtol=1e-12, atol=1e-12)


def test_mean_method_equals_numpy():
    X, y = credit_applicants()
    model = SparseLinearClassifier().fit(X, y)
    weights = np.random.default_rng(1).uniform(0, 2, len(X))
    codes = reason_codes(model, X.iloc[:20], reference=X, adverse="good", method="mean", sample_weight=weights)
    contributions = model.explain_local(X).contributions
    expected = (contributions * weights[:, None]).sum(axis=0) / weights.sum()
    np.testing.assert_allclose(codes.reference, expected, rtol=1e-12)
    rows = model.explain_local(X.iloc[:20]).contributions
    # "good" is classes_[1], whose log-odds the decision is: a contribution above the mean is adverse
    np.testing.assert_allclose(codes.shortfall, rows - expected, rtol=1e-12, atol=1e-15)


def test_max_leaves_out_rows_of_zero_weight():
    reference = _scorecard_explanation([[0, -2, -1], [3, 0, -3]])
    applicant = _scorecard_explanation([[3, 0, -1]])
    codes = applicant.reason_codes(reference, adverse="bad", sample_weight=[0, 1])
    assert codes.reference.tolist() == [3, 0, -3]
    assert codes.n_reference == 1


def _expected_additive(local, reference, sign, column, n_reasons):
    """Reasons recomputed from explain_local with NumPy and a plain sort (the reference implementation)."""
    rows, ref = local.contributions, reference.contributions
    if column is not None:  # the class's column relative to the classes' mean: softmax ignores a common shift
        rows, ref = rows[..., column] - rows.mean(axis=-1), ref[..., column] - ref.mean(axis=-1)
    best = sign * np.max(sign * ref, axis=0)
    shortfall = sign * (best - rows)
    ranked = []
    for row in shortfall:
        order = sorted(range(len(row)), key=lambda j: (-row[j], j))
        ranked.append([j for j in order if row[j] > 0][:n_reasons])
    return shortfall, ranked


_COPIES = {}


def _distilled(X, y):
    """One fitted copy (of a prefitted teacher) for the tests that read it."""
    if "copy" not in _COPIES:
        teacher = SparseLinearClassifier().fit(X, y)
        _COPIES["copy"] = DistilledClassifier(teacher, GAMClassifier(random_state=0), random_state=0).fit(X, y)
    return _COPIES["copy"]


ADDITIVE = {
    "gam pairs": lambda: GAMClassifier(interactions=2, random_state=0),
    "sparse linear": lambda: SparseLinearClassifier(),
    "risk score": lambda: RiskScoreClassifier(),
    "distilled gam": None,
}


@pytest.mark.parametrize("name", sorted(ADDITIVE))
def test_every_additive_family_gives_the_reasons_of_its_explain_local(name):
    X, y = credit_applicants()
    model = _distilled(X, y) if ADDITIVE[name] is None else ADDITIVE[name]().fit(X, y)
    codes = reason_codes(model, X.iloc[:30], reference=X, adverse="bad", n_reasons=3)
    # "bad" is classes_[0]: the decision is the log-odds of "good", larger is better for the applicant
    shortfall, ranked = _expected_additive(model.explain_local(X.iloc[:30]), model.explain_local(X), 1, None, 3)
    assert np.array_equal(codes.shortfall, shortfall)
    assert [[j for j in row if j >= 0] for row in codes.ranked.tolist()] == ranked
    assert codes.explanation == model.explain_local(X.iloc[:30])


@pytest.mark.parametrize("family", [BayesianRuleListClassifier, DecisionSetClassifier])
def test_rule_models_give_the_fired_rule_and_its_path(family):
    X, y = credit_applicants()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = family(random_state=0).fit(X, y)  # the decision set restarts from random candidates too
    local, reference = model.explain_local(X.iloc[:40]), model.explain_local(X)
    codes = reason_codes(model, X.iloc[:40], reference=X, adverse="bad")
    fired = np.asarray(local.decision_path.fired)
    assert np.array_equal(local.contributions[np.arange(40), fired], local.decision)  # one-hot: the fired rule
    shortfall = reference.decision.max() - local.decision  # "bad" is classes_[0]: a larger decision is better
    assert np.any(shortfall > 0) and np.any(shortfall == 0)
    for i in range(40):
        chosen = codes.ranked[i][codes.ranked[i] >= 0].tolist()
        assert chosen == ([fired[i]] if shortfall[i] > 0 else [])
        assert codes.shortfall[i, fired[i]] == shortfall[i]
        assert np.count_nonzero(codes.shortfall[i]) <= 1
    adverse_row = int(np.flatnonzero(shortfall > 0)[0])
    text = codes.to_text(max_rows=None).split("\nrow ")[adverse_row + 1]
    rules = local.decision_path.rules
    rule = rules[fired[adverse_row]] if fired[adverse_row] < len(rules) else ()
    assert all(str(condition) in text for condition in rule)
    assert "why: " in text


def test_regressors_take_a_direction_and_log_links_read_in_log_units():
    X, _ = credit_applicants()
    rng = np.random.default_rng(2)
    counts = rng.poisson(np.exp(0.5 + X["debt"].to_numpy()))
    model = GAMRegressor(loss="poisson", random_state=0).fit(X, counts)
    higher = reason_codes(model, X.iloc[:10], reference=X, adverse="higher")
    lower = reason_codes(model, X.iloc[:10], reference=X, adverse="lower")
    contributions = model.explain_local(X).contributions
    assert np.array_equal(higher.reference, contributions.min(axis=0))
    assert np.array_equal(lower.reference, contributions.max(axis=0))
    assert "log units" in str(higher)
    linear = SparseLinearRegressor().fit(X[["age", "debt"]], X["debt"] * 2 - X["age"] / 50)
    codes = reason_codes(linear, X[["age", "debt"]].iloc[:5], reference=X[["age", "debt"]], adverse="lower")
    assert codes.sign == 1 and codes.to_frame()["shortfall"].gt(0).all()


def test_multiclass_reads_the_adverse_class_column():
    X, _ = credit_applicants()
    y = np.select([X["debt"] > 0.66, X["debt"] > 0.33], ["decline", "refer"], "approve")
    model = GAMClassifier(random_state=0).fit(X, y)
    codes = reason_codes(model, X.iloc[:15], reference=X, adverse="decline", n_reasons=2)
    k = list(model.classes_).index("decline")
    shortfall, ranked = _expected_additive(model.explain_local(X.iloc[:15]), model.explain_local(X), -1, k, 2)
    assert np.array_equal(codes.shortfall, shortfall)
    assert [[j for j in row if j >= 0] for row in codes.ranked.tolist()] == ranked


def test_multiclass_lasso_reasons_read_each_class_relative_to_the_others(iris_species, iris_lasso):
    # a multinomial lasso leaves each term's median class coefficient at 0: with three classes one class's
    # column is all zeros, yet its probability moves with every term
    X, _ = iris_species
    model = iris_lasso
    k = list(model.classes_).index("versicolor")
    local = model.explain_local(X)
    assert np.all(local.contributions[..., k] == 0)
    codes = reason_codes(model, X, reference=X, adverse="versicolor")
    shortfall, ranked = _expected_additive(local, local, -1, k, 4)
    np.testing.assert_allclose(codes.shortfall, shortfall, rtol=0, atol=1e-12)
    assert [[j for j in row if j >= 0] for row in codes.ranked.tolist()] == ranked
    likely = int(np.argmax(model.predict_proba(X)[:, k]))
    assert ranked[likely]  # the row most likely versicolor has reasons toward it
    np.testing.assert_allclose(codes.shortfall.sum(axis=1), codes.sign * (codes.reference_decision - codes.decision),
                               rtol=1e-12, atol=1e-12)


def test_reasons_are_deterministic():
    X, y = credit_applicants()
    model = GAMClassifier(interactions=1, random_state=0).fit(X, y)
    first = reason_codes(model, X.iloc[:25], reference=X, adverse="bad")
    second = reason_codes(model, X.iloc[:25], reference=X, adverse="bad")
    assert np.array_equal(first.ranked, second.ranked) and str(first) == str(second)
    pd.testing.assert_frame_equal(first.to_frame(), second.to_frame())


def test_frame_keeps_the_pandas_index_and_joins_to_x():
    X, y = credit_applicants()
    model = SparseLinearClassifier().fit(X, y)
    declined = X.iloc[[5, 3, 9]]
    frame = reason_codes(model, declined, reference=X, adverse="bad").to_frame()
    assert list(dict.fromkeys(frame.index)) == [label for label in declined.index if label in set(frame.index)]
    assert set(frame.index) <= set(declined.index)
    joined = frame.join(X)
    single = joined[joined["reason"] == "debt"]
    assert (single["value"] == single["debt"].map(lambda v: f"{v:.4g}")).all()
    assert str(declined.index[0]) in str(reason_codes(model, declined, reference=X, adverse="bad"))


def test_grouping_by_feature_takes_the_best_of_the_sum():
    # a categorical's levels are mutually exclusive: the best attainable is the best level, not the sum
    # of the levels' bests
    X = pd.DataFrame({"purpose": ["car", "tv", "edu", "car"], "debt": [0.1, 0.5, 0.9, 0.3]})
    term_features = (("purpose",), ("purpose",), ("debt",))
    contributions = np.array([[0.3, 0.0, -0.2], [0.0, 0.2, -1.0], [0.0, 0.0, -1.8], [0.3, 0.0, -0.6]])
    local = LocalExplanation(
        model="HandLinear", term_names=("purpose == car", "purpose == tv", "debt"), base_value=0.0,
        contributions=contributions, feature_names=tuple(X.columns), feature_values=X.to_numpy(dtype=object),
        decision=contributions.sum(axis=1), prediction=np.zeros(4), link=Link("identity"),
    )
    from glassbox.explain.reasons import reasons_from_explanations

    by_term = reasons_from_explanations(local, local, adverse="lower")
    assert by_term.reference.tolist() == [0.3, 0.2, -0.2]
    grouped = reasons_from_explanations(local, local, adverse="lower", by="feature", term_features=term_features)
    assert grouped.names == ("purpose", "debt")
    assert grouped.reference.tolist() == [0.3, -0.2]  # not 0.5
    np.testing.assert_allclose(grouped.shortfall[2], [0.3, 1.6])
    assert grouped.to_frame().loc[2, "value"].tolist() == ["0.9", "edu"]


def test_grouping_keeps_pairs_as_their_own_reason():
    X, y = credit_applicants()
    model = GAMClassifier(interactions=1, random_state=0).fit(X, y)
    codes = reason_codes(model, X.iloc[:5], reference=X, adverse="bad", by="feature")
    pair = [name for name, features in zip(codes.names, codes.features) if len(features) == 2]
    assert len(pair) == 1 and " x " in pair[0]
    card = RiskScoreClassifier().fit(X, y)
    terms = card.explain_local(X.iloc[:5])
    codes = reason_codes(card, X.iloc[:5], reference=X, adverse="bad", by="feature")
    debt = [j for j, name in enumerate(terms.term_names) if name.startswith("debt")]
    assert len(debt) >= 2  # the test needs a feature with several conditions
    k = codes.names.index("debt")
    assert np.array_equal(codes.contributions[:, k], terms.contributions[:, debt].sum(axis=1))


def test_distilled_reasons_are_labelled_as_the_students_with_fidelity():
    X, y = credit_applicants()
    text = str(reason_codes(_distilled(X, y), X.iloc[:2], reference=X, adverse="bad"))
    assert "student's reasons" in text and "fidelity on" in text and "distilled from" in text


def test_local_surrogate_needs_an_opt_in():
    X, y = credit_applicants(n=200)
    linear = SparseLinearClassifier().fit(X[["age", "debt"]], y)
    surrogate = LocalSurrogate(linear, n_samples=200, n_holdout=0, random_state=0).fit(X[["age", "debt"]])
    with pytest.raises(ValueError, match="approximate.*allow_approximate=True"):
        reason_codes(surrogate, X[["age", "debt"]].iloc[:2], reference=X[["age", "debt"]].iloc[:20], adverse="bad")
    codes = reason_codes(surrogate, X[["age", "debt"]].iloc[:2], reference=X[["age", "debt"]].iloc[:20],
                         adverse="bad", allow_approximate=True)
    assert "(local offset)" not in codes.to_frame()["reason"].tolist()  # reads no feature: never a reason
    assert "approximate" in str(codes)
    local = surrogate.explain_local(X[["age", "debt"]].iloc[:2])
    with pytest.raises(ValueError, match="allow_approximate=True"):
        local.reason_codes(local, adverse="bad")
    # a text or number is not an opt-in: "no" would be read as true and accept the approximation's reasons
    for flag in ("no", 0, None):
        with pytest.raises(TypeError, match="allow_approximate=.* must be True or False"):
            reason_codes(surrogate, X[["age", "debt"]].iloc[:2], reference=X[["age", "debt"]].iloc[:20],
                         adverse="bad", allow_approximate=flag)
        with pytest.raises(TypeError, match="allow_approximate=.* must be True or False"):
            local.reason_codes(local, adverse="bad", allow_approximate=flag)


def test_bad_inputs_are_refused_with_the_fix():
    X, y = credit_applicants()
    model = SparseLinearClassifier().fit(X, y)
    with pytest.raises(ValueError, match="missing \\['purpose'\\].*reference=X_train"):
        reason_codes(model, X.iloc[:2], reference=X[["age", "debt"]], adverse="bad")
    with pytest.raises(ValueError, match="not in the model \\['extra'\\]"):
        reason_codes(model, X.iloc[:2], reference=X.assign(extra=1), adverse="bad")
    with pytest.raises(NotFittedError):
        reason_codes(SparseLinearClassifier(), X.iloc[:2], reference=X, adverse="bad")
    with pytest.raises(ValueError, match="'default' is not a class.*\\['bad', 'good'\\]"):
        reason_codes(model, X.iloc[:2], reference=X, adverse="default")
    with pytest.raises(ValueError, match="n_reasons=0 must be a whole number of at least 1"):
        reason_codes(model, X.iloc[:2], reference=X, adverse="bad", n_reasons=0)
    with pytest.raises(ValueError, match="method='median'"):
        reason_codes(model, X.iloc[:2], reference=X, adverse="bad", method="median")
    with pytest.raises(ValueError, match="one weight per reference row"):
        reason_codes(model, X.iloc[:2], reference=X, adverse="bad", sample_weight=[1.0, 2.0])
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'adverse'"):
        reason_codes(model, X.iloc[:2], reference=X)
    regressor = GAMRegressor(random_state=0).fit(X, X["debt"])
    with pytest.raises(ValueError, match="adverse='higher'"):
        reason_codes(regressor, X.iloc[:2], reference=X, adverse="bad")
    other = SparseLinearClassifier().fit(X[["age", "debt"]], y)
    with pytest.raises(ValueError, match="explain the reference rows with the same fitted model"):
        model.explain_local(X.iloc[:2]).reason_codes(other.explain_local(X[["age", "debt"]]), adverse="bad")


def test_text_frame_and_html_read_as_a_letter():
    X, y = credit_applicants()
    model = SparseLinearClassifier().fit(X, y)
    codes = reason_codes(model, X.iloc[:3], reference=X, adverse="bad", n_reasons=2)
    assert isinstance(codes, ReasonCodes) and len(codes) == 3
    text = str(codes)
    assert "row app0" in text and "1. debt = " in text and "log-odds toward bad compared with the best" in text
    frame = codes.to_frame()
    assert list(frame.columns) == ["row", "rank", "reason", "features", "value", "contribution", "reference",
                                   "shortfall"]
    assert (frame["shortfall"] > 0).all() and frame.groupby("row")["rank"].max().le(2).all()
    html = codes._repr_html_()
    assert "<table" in html and "Reason codes of SparseLinearClassifier" in html


def test_a_declined_row_without_reasons_says_where_its_reasons_are():
    # declined with every factor above the average applicant's, who is declined too: "no adverse reason" alone
    # read as a decline without any reason, which a notice cannot give
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"income": rng.normal(size=2000), "tenure": rng.normal(size=2000)})
    y = np.where(rng.logistic(size=2000) < -3 + X["income"] + X["tenure"], "approve", "decline")
    model = SparseLinearClassifier().fit(X, y)
    above = X.index[(X["income"] > 0.5) & (X["tenure"] > 0.5)]
    declined = [i for i in above if model.predict(X.loc[[i]])[0] == "decline"][:1]
    approved = [i for i in above if model.predict(X.loc[[i]])[0] == "approve"][:1]
    assert declined and approved  # the premise
    codes = reason_codes(model, X.loc[declined + approved], reference=X, adverse="decline", method="mean")
    assert np.all(codes.ranked < 0)
    text = str(codes)
    assert ("no adverse reason: nothing falls short of the average in the reference, yet predicted decline: "
            "against this reference no factor accounts for the decision; give reasons against the best "
            "(method='max') or against applicants at or just above the cut-off (reference=their rows)") in text
    assert text.count("yet predicted") == 1  # the approved row has no reason to have
    assert "yet predicted decline" in codes._repr_html_()
    best = reason_codes(model, X.loc[declined], reference=X, adverse="decline", method="max")
    assert np.all(best.ranked[:, 0] >= 0)  # the fix the text names gives the declined row its reasons


def test_reasons_round_trip_through_json_and_reuse_a_reference_explanation():
    X, y = credit_applicants()
    model = RiskScoreClassifier().fit(X, y)
    codes = reason_codes(model, X.iloc[:6], reference=X, adverse="bad", by="feature")
    again = ReasonCodes.from_json(codes.to_json())
    assert again == codes and str(again) == str(codes)
    pd.testing.assert_frame_equal(again.to_frame(), codes.to_frame())
    reused = reason_codes(model, X.iloc[:6], reference=model.explain_local(X), adverse="bad", by="feature")
    assert reused == codes
    other = RiskScoreClassifier(max_features=2).fit(X, y)
    with pytest.raises(ValueError, match="same fitted model"):
        reason_codes(model, X.iloc[:6], reference=other.explain_local(X), adverse="bad")


def test_tables_never_show_a_negative_zero():
    # classes (good, bad): the best of each term is its lowest value, sign * max(sign * values) with sign=-1,
    # which gives -0.0 for a term whose best is no points
    reference = _scorecard_explanation([[0, 0, 0], [3, 2, 1]])
    applicant = _scorecard_explanation([[3, 2, 0], [-0.0, 0, 0]])
    codes = applicant.reason_codes(reference, adverse="bad")
    frame = codes.to_frame()
    assert not np.any(np.signbit(codes.reference)) and not np.any(np.signbit(codes.shortfall))
    assert not np.any(np.signbit(codes.contributions))
    assert "-0.0" not in frame.to_csv() and "-0" not in str(codes)
    assert not np.any(np.signbit(ReasonCodes.from_dict(codes.to_dict()).reference))


def test_a_reference_explained_before_an_edit_is_refused():
    X, y = credit_applicants()
    model = GAMClassifier(interactions=0, random_state=0).fit(X, y)
    stale = model.explain_local(X)
    unchanged = reason_codes(model, X.iloc[:20], reference=stale, adverse="bad")
    assert unchanged == reason_codes(model, X.iloc[:20], reference=X, adverse="bad")
    # remove_terms keeps the names, the intercept and the base value: only the contributions tell
    model.remove_terms(["purpose"])
    with pytest.raises(ValueError, match=r"not what GAMClassifier gives now: the contributions of \['purpose'\]"):
        reason_codes(model, X.iloc[:20], reference=stale, adverse="bad")
    before_clip = model.explain_local(X)
    fresh = reason_codes(model, X.iloc[:20], reference=before_clip, adverse="bad")
    assert fresh == reason_codes(model, X.iloc[:20], reference=X, adverse="bad")
    removed = model.term_names_.index("purpose")
    assert not np.any(fresh.ranked == removed) and np.all(fresh.shortfall[:, removed] == 0)
    # clipping re-centres the term: the base value tells
    model.clip_scores("age", upper=0.0)
    with pytest.raises(ValueError, match="not what GAMClassifier gives now: its base value differs"):
        reason_codes(model, X.iloc[:20], reference=before_clip, adverse="bad")


def test_a_reference_explained_before_a_rule_model_edit_is_refused():
    X, y = credit_applicants()
    brl = BayesianRuleListClassifier(random_state=0).fit(X, y)
    stale = brl.explain_local(X)
    assert reason_codes(brl, X.iloc[:10], reference=stale, adverse="bad") is not None
    # the same rules re-estimated on other rows: same terms and base value, other rule probabilities
    brl.set_rules(list(brl.rules_), X.iloc[:200], y[:200])
    with pytest.raises(ValueError, match="not what BayesianRuleListClassifier gives now"):
        reason_codes(brl, X.iloc[:10], reference=stale, adverse="bad")
    card = RiskScoreClassifier().fit(X, y)
    stale = card.explain_local(X)
    card.use_scorecard(len(card.scorecards_) - 1 if card.scorecard_index_ == 0 else 0)
    # the message says what changed, not "another model (RiskScoreClassifier, 5 terms) than (RiskScoreClassifier,
    # 5 terms)", nor a base value that did not change
    with pytest.raises(ValueError, match=r"another model .* rows \(RiskScoreClassifier, \d+ terms\): its terms "
                                         r"differ \(the reference's \[.*\], now \[.*\]\)") as refused:
        reason_codes(card, X.iloc[:10], reference=stale, adverse="bad")
    assert ("base value" in str(refused.value)) == (stale.base_value != card.explain_local(X.iloc[:1]).base_value)
    # a card whose points were rescaled with its multiplier: only the link's scale tells
    fresh = card.explain_local(X)
    rescaled = dataclasses.replace(fresh, link=Link("logit", scale=2 * fresh.link.scale))
    with pytest.raises(ValueError, match=r"gives now: its link differs \(the reference's logit scale .*, now logit "
                                         r"scale .*\) \(the model was changed"):
        reason_codes(card, X.iloc[:10], reference=rescaled, adverse="bad")


def test_a_pipeline_or_search_gives_its_last_steps_reasons_on_the_transformed_rows():
    from sklearn.impute import SimpleImputer
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    X, y = credit_applicants()
    X = X[["age", "debt"]].copy()
    X.iloc[:5, 0] = np.nan
    pipe = make_pipeline(SimpleImputer(), SparseLinearClassifier()).fit(X, y)
    codes = reason_codes(pipe, X.iloc[:8], reference=X, adverse="bad")
    steps = pipe[:-1]
    by_hand = reason_codes(pipe[-1], steps.transform(X.iloc[:8]), reference=steps.transform(X), adverse="bad")
    assert np.array_equal(codes.shortfall, by_hand.shortfall) and np.array_equal(codes.ranked, by_hand.ranked)
    # the rows keep the applicants' labels, and the text says the values are the imputed ones
    assert codes.to_frame().index[0] == "app0" and "row app0" in str(codes)
    assert codes.transformed_by == ("simpleimputer",) and "after the pipeline's steps simpleimputer" in str(codes)
    assert ReasonCodes.from_json(codes.to_json()) == codes
    reused = reason_codes(pipe, X.iloc[:8], reference=pipe[-1].explain_local(steps.transform(X)), adverse="bad")
    assert np.array_equal(reused.shortfall, codes.shortfall)
    search = GridSearchCV(make_pipeline(SimpleImputer().set_output(transform="pandas"), SparseLinearClassifier()),
                          {"sparselinearclassifier__alpha": [0.01, 0.1]}, cv=2).fit(X, y)
    best = search.best_estimator_
    expected = reason_codes(best[-1], best[:-1].transform(X.iloc[:8]), reference=best[:-1].transform(X),
                            adverse="bad")
    found = reason_codes(search, X.iloc[:8], reference=X, adverse="bad")
    assert np.array_equal(found.shortfall, expected.shortfall) and found.names == ("age", "debt")
    unrefit = GridSearchCV(SparseLinearClassifier(), {"alpha": [0.01, 0.1]}, cv=2, refit=False).fit(X.fillna(40), y)
    with pytest.raises(ValueError, match="refit=False"):
        reason_codes(unrefit, X.iloc[:8].fillna(40), reference=X.fillna(40), adverse="bad")
    with pytest.raises(TypeError, match="last step SimpleImputer has no explain_local"):
        reason_codes(make_pipeline(SimpleImputer()).fit(X), X, reference=X, adverse="bad")


@pytest.mark.parametrize("family", [GAMClassifier, RiskScoreClassifier, SparseLinearClassifier])
def test_a_model_loaded_from_json_gives_the_estimators_reasons(family):
    import glassbox

    X, y = credit_applicants()
    model = family()
    if "random_state" in model.get_params():
        model.set_params(random_state=0)  # the GAM's bags: the same model on every run, whatever ran before
    model.fit(X, y)
    loaded = glassbox.from_json(model.to_json())
    codes = reason_codes(loaded, X.iloc[:10], reference=X, adverse="bad", by="feature")
    expected = reason_codes(model, X.iloc[:10], reference=X, adverse="bad", by="feature")
    assert np.array_equal(codes.shortfall, expected.shortfall) and np.array_equal(codes.ranked, expected.ranked)
    assert codes.names == expected.names and str(codes) == str(expected)
    # a reference explained by the estimator is the loaded model's too
    reused = reason_codes(loaded, X.iloc[:10], reference=model.explain_local(X), adverse="bad", by="feature")
    assert np.array_equal(reused.shortfall, expected.shortfall)


def test_a_rule_model_loaded_from_json_is_refused_with_the_way():
    import glassbox

    X, y = credit_applicants()
    loaded = glassbox.from_json(BayesianRuleListClassifier(random_state=0).fit(X, y).to_json())
    with pytest.raises(TypeError, match="decision path.*keep the fitted estimator"):
        reason_codes(loaded, X.iloc[:3], reference=X, adverse="bad")


def test_reference_rows_a_model_refuses_are_named_as_the_reference():
    """A reference row with a missing value (a linear model takes none) is said to be the reference's."""
    from glassbox import SparseLinearClassifier

    rng = np.random.RandomState(0)
    X = pd.DataFrame({"income": rng.normal(size=100), "debt": rng.normal(size=100)})
    y = np.where(X["income"] + rng.normal(size=100) > 0, "repaid", "default")
    model = SparseLinearClassifier().fit(X, y)
    reference = X.copy()
    reference.loc[3, "income"] = np.nan
    with pytest.raises(ValueError, match=r"^The reference rows cannot be explained: .*NaN.*'income'"):
        reason_codes(model, X[:2], reference=reference, adverse="default")


def test_an_adverse_value_that_is_no_class_lists_the_classes_without_suggesting_one():
    # Suggesting the last class put "adverse='good'" in front of a user of bad/good labels: the favourable one.
    X, y = credit_applicants()
    model = SparseLinearClassifier().fit(X, y)
    with pytest.raises(ValueError, match=r"adverse='declined' is not a class of the model \(classes: \['bad', 'good'\]\); "
                                         r"pass the one of them that is the adverse outcome") as info:
        reason_codes(model, X.iloc[:2], reference=X, adverse="declined")
    assert "e.g." not in str(info.value)


def test_a_label_given_as_the_reference_is_named_as_not_rows():
    # reason_codes(..., reference="good") failed in scikit-learn's "Expected 2D array, got scalar array"
    X, y = credit_applicants()
    model = SparseLinearClassifier().fit(X, y)
    for wrong in ("good", None, 3):
        with pytest.raises(TypeError, match=r"reference=.* is not rows: pass the rows that define the reference"):
            reason_codes(model, X.iloc[:2], reference=wrong, adverse="bad")
