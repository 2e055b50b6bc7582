"""Sharpened soft labels and intercept alignment of probability students."""

import numpy as np
import pytest
from scipy.special import expit, logit
from sklearn.datasets import make_classification
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier

from glassbox import GAMClassifier, GAMRegressor, RiskScoreClassifier, SparseLinearClassifier
from glassbox.surrogate import DistilledClassifier
from glassbox.surrogate._agreement import best_intercept_shift, sharpened_probabilities
from glassbox.surrogate._outputs import ModelOutputs


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(500, n_features=5, n_informative=3, flip_y=0.2, random_state=3)
    teacher = RandomForestClassifier(n_estimators=20, min_samples_leaf=5, random_state=0).fit(X, y)
    return X, teacher


def _brute_force_best(decision, positive, weights):
    """Agreement of every shift that puts the cut at a decision value or beyond the ends."""
    candidates = np.concatenate([-decision + 1e-9, -decision - 1e-9, [0.0]])
    agreement = [weights @ (positive == (decision + b > 0)) / weights.sum() for b in candidates]
    return max(agreement)


@pytest.mark.parametrize("seed", range(6))
def test_best_intercept_shift_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 40
    decision = np.round(rng.normal(size=n), 1)  # ties between rows
    positive = rng.random(n) < expit(2 * decision + 0.7)
    weights = rng.integers(0, 3, n).astype(float)  # zeros allowed
    shift, agreement = best_intercept_shift(decision, positive, weights)
    assert agreement == pytest.approx(_brute_force_best(decision, positive, weights), abs=1e-12)
    assert weights @ (positive == (decision + shift > 0)) / weights.sum() == pytest.approx(agreement, abs=1e-12)
    # the smallest shift of that agreement: no shift of smaller size agrees as often
    for b in np.linspace(-abs(shift), abs(shift), 41)[1:-1]:
        assert weights @ (positive == (decision + b > 0)) / weights.sum() < agreement + 1e-12


def test_no_shift_when_the_decisions_already_agree_best():
    decision = np.array([-2.0, -1.0, 1.0, 2.0])
    assert best_intercept_shift(decision, decision > 0, np.ones(4)) == (0.0, 1.0)
    # one positive row among negatives far from the cut: moving the cut costs more than it gains
    shift, agreement = best_intercept_shift(np.array([-3.0, -2.0, -1.0, 1.0]), np.array([1, 0, 0, 1], bool), np.ones(4))
    assert shift == 0.0 and agreement == 0.75


def test_sharpened_probabilities_are_the_temperature_softmax():
    p = np.array([0.1, 0.5, 0.6, 0.97])
    outputs = ModelOutputs(None, np.column_stack([1 - p, p]), logit(p), None)
    sharp = sharpened_probabilities(outputs, 0.25)
    np.testing.assert_allclose(sharp[:, 1], p**4 / (p**4 + (1 - p) ** 4), rtol=1e-12)
    np.testing.assert_allclose(sharp.sum(axis=1), 1.0)
    assert sharpened_probabilities(outputs, 1.0) is outputs.proba
    proba = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    logp = np.log(proba)
    outputs = ModelOutputs(None, proba, logp - logp.mean(axis=1, keepdims=True), None)
    expected = proba**2 / (proba**2).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(sharpened_probabilities(outputs, 0.5), expected, rtol=1e-12)


def test_soft_labels_at_a_temperature_are_the_weighted_fit_by_hand(data):
    X, teacher = data
    student = SparseLinearClassifier(alpha=0.001)
    copy = DistilledClassifier(teacher, student, temperature=0.5, align_intercept=False).fit(X)
    assert copy.target_ == "probabilities" and copy.temperature_ == 0.5 and copy.intercept_shift_ == 0.0
    p = np.clip(teacher.predict_proba(X)[:, 1], 1e-7, 1 - 1e-7)
    q = expit(logit(p) / 0.5)
    by_hand = SparseLinearClassifier(alpha=0.001).fit(np.vstack([X, X]), np.repeat([0, 1], len(X)),
                                                      sample_weight=np.concatenate([1 - q, q]))
    np.testing.assert_allclose(copy.student_.coef_, by_hand.coef_, rtol=1e-6, atol=1e-9)


def test_defaults_per_family(data):
    X, teacher = data
    linear = DistilledClassifier(teacher, SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=2)).fit(X)
    assert linear.temperature_ == 0.25
    risk = DistilledClassifier(teacher, RiskScoreClassifier(max_features=2)).fit(X)
    assert risk.temperature_ == 1.0 and risk.intercept_shift_ == 0.0
    labels = DistilledClassifier(teacher, SparseLinearClassifier(alpha=0.01), target="labels").fit(X)
    assert labels.temperature_ == 1.0


@pytest.mark.parametrize("student, moved", [(SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=2), True),
                                            (GAMClassifier(interactions=0, outer_bags=2, random_state=0), True),
                                            # moved or not depends on the regressor's fit: the invariants below hold either way
                                            (GAMRegressor(interactions=0, outer_bags=2, random_state=0), None)])
def test_aligned_intercept_agrees_at_least_as_often_and_explains_itself(data, student, moved):
    X, teacher = data
    plain = DistilledClassifier(teacher, student, align_intercept=False).fit(X)
    aligned = DistilledClassifier(teacher, student).fit(X)
    if moved is not None:
        assert (aligned.intercept_shift_ != 0.0) == moved
    labels = teacher.predict(X)
    assert np.mean(aligned.predict(X) == labels) >= np.mean(plain.predict(X) == labels)
    # only the student's intercept moved, by the reported shift; the copy reads it at its log-odds scale
    def student_decision(copy):
        student = copy.student_
        return student.decision_function(X) if hasattr(student, "classes_") else student.predict(X)

    np.testing.assert_allclose(student_decision(aligned), student_decision(plain) + aligned.intercept_shift_,
                               rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(aligned.decision_function(X), aligned.output_scale_ * student_decision(aligned),
                               rtol=1e-10, atol=1e-10)
    # the explanations still recompute the copy exactly
    np.testing.assert_allclose(aligned.explain_global().decision_function(X), aligned.decision_function(X),
                               rtol=1e-10, atol=1e-10)
    local = aligned.explain_local(X[:5])
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), aligned.decision_function(X[:5]),
                               rtol=1e-10, atol=1e-10)


def test_parameters_are_validated(data):
    X, teacher = data
    with pytest.raises(ValueError, match="temperature"):
        DistilledClassifier(teacher, SparseLinearClassifier(), temperature=0.0).fit(X)
    with pytest.raises(ValueError, match="align_intercept"):
        DistilledClassifier(teacher, SparseLinearClassifier(), align_intercept="yes").fit(X)


@pytest.mark.parametrize("student", [SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=3),
                                     GAMClassifier(interactions=0, outer_bags=2, random_state=0)])
def test_log_odds_scale_is_the_least_squares_factor_and_keeps_every_decision(data, student):
    X, teacher = data
    copy = DistilledClassifier(teacher, student).fit(X)
    raw = copy.student_.decision_function(X)
    teacher_log_odds = logit(np.clip(teacher.predict_proba(X)[:, 1], 1e-7, 1 - 1e-7))
    # the factor minimising the squared error to the teacher's log-odds, checked against its neighbours
    errors = [np.sum((teacher_log_odds - a * raw) ** 2) for a in copy.output_scale_ * np.array([0.99, 1.0, 1.01])]
    assert errors[1] < errors[0] and errors[1] < errors[2]
    assert copy.output_scale_ > 0 and copy.output_scale_ != 1.0
    np.testing.assert_allclose(copy.decision_function(X), copy.output_scale_ * raw, rtol=1e-12)
    np.testing.assert_array_equal(copy.predict(X), copy.student_.predict(X))
    glob = copy.explain_global()
    np.testing.assert_allclose(glob.decision_function(X), copy.decision_function(X), rtol=1e-10, atol=1e-10)
    assert type(glob).from_json(glob.to_json()) == glob
    # the copy's log-odds follow the teacher's more closely than the student's own
    assert np.sum((teacher_log_odds - copy.decision_function(X)) ** 2) < np.sum((teacher_log_odds - raw) ** 2)
    plain = DistilledClassifier(teacher, student, temperature=1.0).fit(X)
    assert plain.output_scale_ == 1.0


def _step_teacher():
    """A teacher whose boundary is a jump in one feature (a slope cannot place it)."""
    rng = np.random.default_rng(0)
    X = np.column_stack([np.round(rng.exponential(3.0, 800), 1), rng.normal(size=800)])

    def teacher(Z):
        p = expit(4.0 * ((Z[:, 0] >= 2.0) & (Z[:, 0] < 6.0)) - 2.0 + 0.3 * Z[:, 1])
        return np.column_stack([1.0 - p, p])
    return X, teacher


def _training_agreement(copy, X, teacher):
    return float(np.mean(copy.predict(X) == np.argmax(teacher(X), axis=1)))


def test_a_stepped_linear_student_is_kept_when_it_agrees_more():
    X, teacher = _step_teacher()
    stepped = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=3, basis="steps", max_thresholds=16)
    # seeded: the rows held out to choose between the stepped and the plain basis are drawn at random
    copy = DistilledClassifier(teacher, stepped, random_state=0).fit(X)
    assert copy.student_.basis == "steps"
    assert any(t.threshold is not None for t, c in zip(copy.student_.terms_, copy.student_.coef_[0]) if c != 0)
    plain = DistilledClassifier(teacher, stepped.set_params(basis="linear", max_features=2), random_state=0).fit(X)
    assert _training_agreement(copy, X, teacher) > _training_agreement(plain, X, teacher) + 0.05
    assert copy.explain_global().decision_function(X) == pytest.approx(copy.decision_function(X), abs=1e-12)


def test_the_basis_kept_is_the_one_agreeing_more_on_held_out_training_rows(data):
    from sklearn.utils import check_random_state

    from glassbox.surrogate._agreement import BASIS_CHECK_FRACTION, fit_basis_for_agreement

    X, teacher = data
    labels, ones = teacher.predict(X), np.ones(len(X))
    held = check_random_state(0).random_sample(len(X)) < BASIS_CHECK_FRACTION
    for k in (1, 2, 3, 4):
        student = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=k, basis="steps", max_thresholds=8)
        rows = np.arange(len(X))
        kept = fit_basis_for_agreement(clone(student), X, (rows, labels, ones), labels, np.array([0, 1]), ones,
                                       True, 0)
        agreement = {}
        for basis in ("steps", "linear"):
            candidate = clone(student).set_params(basis=basis).fit(X[~held], labels[~held])
            agreement[basis] = best_intercept_shift(candidate.decision_function(X[held]), labels[held] == 1,
                                                    ones[held])[1]
        expected = "steps" if agreement["steps"] > agreement["linear"] else "linear"  # ties: the plain one
        assert kept.basis == expected
        # refitted on every row
        np.testing.assert_array_equal(kept.coef_, clone(student).set_params(basis=expected).fit(X, labels).coef_)
        assert kept.n_nonzero_ <= k
