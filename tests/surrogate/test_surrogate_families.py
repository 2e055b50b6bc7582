"""Distillation with the real glassbox families, and the fidelity frontier."""

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from glassbox import GAMClassifier, GAMRegressor, SparseLinearClassifier, SparseLinearRegressor
from glassbox.surrogate import DistilledClassifier, DistilledRegressor, LocalSurrogate, fidelity_frontier
from glassbox.surrogate.frontier import complexity_of


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(600, n_features=6, n_informative=4, random_state=1)
    return X[:400], y[:400], X[400:]


def test_gam_teacher_into_gam_student_is_near_perfect(data):
    X, y, X_test = data
    teacher = GAMClassifier(interactions=0, random_state=0).fit(X, y)
    copy = DistilledClassifier(teacher, GAMClassifier(interactions=0, random_state=0), target="labels").fit(X)
    assert copy.fidelity_.agreement >= 0.99
    assert "GAMClassifier distilled from GAMClassifier" in copy.explain_global().model
    # A regressor GAM on the teacher's log-odds, boosted on all rows, copies it exactly
    # on the training rows; held out, the additive split between features is not pinned
    # down by 400 rows, and teacher-labelled copula rows close most of the gap.
    student = GAMRegressor(interactions=0, validation_fraction=0.0, random_state=0)
    copy = DistilledClassifier(teacher, student).fit(X)
    assert copy.target_ == "logits"
    assert copy.fidelity_.agreement >= 0.99 and copy.fidelity_.logit_r2 >= 0.99
    np.testing.assert_allclose(copy.explain_global().predict_proba(X_test), copy.predict_proba(X_test), rtol=1e-12)
    augmented = DistilledClassifier(teacher, GAMRegressor(interactions=0, random_state=0), n_augment=5.0, random_state=0)
    assert augmented.fit(X).fidelity_report(X_test).agreement >= 0.97


def test_sparse_linear_teacher_into_sparse_linear_student(data):
    X, y, X_test = data
    teacher = SparseLinearClassifier(alpha=0.001).fit(X, y)
    for target in ("labels", "probabilities"):
        copy = DistilledClassifier(teacher, SparseLinearClassifier(alpha=0.001), target=target).fit(X)
        assert copy.fidelity_report(X_test).agreement >= 0.99
    regression_X, regression_y = make_regression(300, n_features=5, random_state=0)
    linear = SparseLinearRegressor(alpha=0.01).fit(regression_X, regression_y)
    copy = DistilledRegressor(linear, SparseLinearRegressor(alpha=0.0)).fit(regression_X)
    assert copy.fidelity_.r2 > 0.9999


def test_default_student_is_a_gam():
    X, y = make_classification(200, n_features=4, random_state=0)
    copy = DistilledClassifier(DecisionTreeClassifier(max_depth=3, random_state=0), random_state=0).fit(X, y)
    assert type(copy.student_).__name__ == "GAMClassifier"
    assert copy.fidelity_.agreement > 0.9


def test_local_surrogate_explains_a_glassbox_linear_teacher_exactly(data):
    X, y, _ = data
    teacher = SparseLinearClassifier(alpha=0.01, max_features=3).fit(X, y)
    fits = LocalSurrogate(teacher, max_features=3, random_state=0).fit(X).local_fits(X[:5])
    np.testing.assert_allclose(fits.coefficients, np.tile(teacher.coef_.ravel(), (5, 1)), atol=1e-8)


def test_frontier_finds_the_simplest_faithful_student(data):
    X, y, X_test = data
    teacher = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(X, y)
    students = {f"l0-{k}": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=k) for k in (1, 2, 4)}
    frontier = fidelity_frontier(teacher, X, students=students, X_eval=X_test, target=0.0)
    frame = frontier.to_frame()
    assert list(frame["complexity"]) == [1, 2, 4] and set(frame["unit"]) == {"terms"}
    assert frontier.best["complexity"] == 1  # target 0: the simplest wins
    for row, model in zip(frontier.rows, frontier.models):
        assert row["fidelity"] == model.fidelity_report(X_test).agreement
        assert complexity_of(model.student_)[0] == row["complexity"]
    strict = fidelity_frontier(teacher, X, students=students, X_eval=X_test, target=1.01)
    assert strict.best is None and "none" in str(strict)
    import matplotlib

    matplotlib.use("Agg")
    display = frontier.plot()
    assert len(display.ax_.lines) >= 1
    assert frontier.to_dict()["best_index"] == 0


def test_frontier_records_students_that_fail(data):
    X, y, _ = data
    teacher = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    frontier = fidelity_frontier(teacher, X, students=[SparseLinearClassifier(max_features=99), SparseLinearClassifier(alpha=0.01)], target=0.5)
    assert frontier.rows[0]["error"] is not None and frontier.models[0] is None
    assert frontier.best["family"] == "SparseLinearClassifier"


def test_default_target_per_family(data):
    from glassbox import BayesianRuleListClassifier, DecisionSetClassifier, RiskScoreClassifier

    X, y, _ = data
    teacher = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
    expected = {RiskScoreClassifier(max_features=2): "probabilities",
                SparseLinearClassifier(alpha=0.01): "probabilities",
                DecisionSetClassifier(max_rules=2, random_state=0): "labels",
                BayesianRuleListClassifier(n_iter=200, n_chains=1, random_state=0): "labels"}
    for student, target in expected.items():
        copy = DistilledClassifier(teacher, student).fit(X)
        assert copy.target_ == target, type(student).__name__
    # Soft labels are the teacher's probabilities as weights of duplicated rows: the
    # risk score learnt that way is the one fitted on those rows by hand.
    proba = teacher.predict_proba(X)
    by_hand = RiskScoreClassifier(max_features=2).fit(np.vstack([X, X]), np.repeat([0, 1], len(X)),
                                                    sample_weight=np.concatenate([proba[:, 0], proba[:, 1]]))
    copy = DistilledClassifier(teacher, RiskScoreClassifier(max_features=2)).fit(X)
    # ... then the scorecard of its pool that agrees most with the teacher's labels.
    labels = teacher.predict(X)
    agreement = [np.mean(by_hand.use_scorecard(i).predict(X) == labels) for i in range(len(by_hand.scorecards_))]
    by_hand.use_scorecard(int(np.argmax(agreement)))
    assert copy.student_.scorecard_index_ == by_hand.scorecard_index_
    np.testing.assert_array_equal(copy.predict_proba(X), by_hand.predict_proba(X))


def test_risk_score_student_is_the_pool_entry_that_agrees_most(data):
    from glassbox import RiskScoreClassifier

    X, y, _ = data
    teacher = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
    copy = DistilledClassifier(teacher, RiskScoreClassifier(max_features=2)).fit(X)
    student, labels = copy.student_, teacher.predict(X)
    chosen = np.mean(student.predict(X) == labels)
    index = student.scorecard_index_
    for i in range(len(student.scorecards_)):
        agreement = np.mean(student.use_scorecard(i).predict(X) == labels)
        assert student.scorecards_[i]["size"] <= 2
        # No pool entry agrees more; an equally good one has a larger loss (comes later).
        assert agreement < chosen or (agreement == chosen and i >= index)


def test_frontier_plot_names_each_unit_and_rings_each_units_simplest(data):
    import matplotlib

    matplotlib.use("Agg")
    from glassbox import GAMClassifier

    X, y, X_test = data
    teacher = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(X, y)
    students = {"l0-1": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=1),
                "l0-2": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=2),
                "gam": GAMClassifier(interactions=0, outer_bags=1, max_rounds=50, random_state=0)}
    frontier = fidelity_frontier(teacher, X, students=students, X_eval=X_test, target=0.0)
    assert set(frontier.best_by_unit) == {"terms", "shape functions"}
    ax = frontier.plot().ax_
    label = ax.get_xlabel()
    assert "terms" in label and "shape functions" in label and "own unit" in label
    rings = [c for c in ax.collections if len(c.get_offsets()) == 1]
    assert len(rings) == 2 and sorted(max(c.get_linewidths()) for c in rings) == [0.8, 2.0]
