"""A teacher whose decisions are not its most probable classes (a tuned threshold) is copied and compared on
what it decides: its predict, not the argmax of its probabilities."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import FixedThresholdClassifier

from glassbox import SparseLinearClassifier
from glassbox.surrogate import DistilledClassifier, LocalSurrogate, fidelity_report


@pytest.fixture(scope="module")
def tuned():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :6]
    teacher = FixedThresholdClassifier(LogisticRegression(max_iter=5000), threshold=0.9).fit(X, y)
    decided, most_probable = teacher.predict(X), teacher.predict_proba(X)[:, 1] > 0.5
    assert np.mean(decided != most_probable) > 0.1  # the threshold moves many rows
    return teacher, X


def test_the_report_compares_with_what_the_teacher_decides(tuned):
    teacher, X = tuned
    student = SparseLinearClassifier().fit(X, teacher.predict(X))
    decided = teacher.predict(X)
    report = fidelity_report(teacher, student, X)
    np.testing.assert_allclose(report.agreement, np.mean(student.predict(X) == decided))
    assert [(c, n) for c, n, _ in report.per_class] == [(0, int(np.sum(decided == 0))), (1, int(np.sum(decided == 1)))]


def test_the_copy_learns_the_teachers_decisions(tuned):
    teacher, X = tuned
    copy = DistilledClassifier(teacher, student=SparseLinearClassifier()).fit(X)
    agreement = np.mean(copy.predict(X) == teacher.predict(X))
    assert agreement > 0.95  # the intercept moved to the teacher's threshold (0.84 on its argmax labels)
    np.testing.assert_allclose(copy.fidelity_.agreement, agreement)


def test_a_local_explanation_heads_each_row_with_the_models_decision(tuned):
    teacher, X = tuned
    rows = X.iloc[:40]
    explanation = LocalSurrogate(teacher, n_samples=100, n_holdout=0, random_state=0).fit(X).explain_local(rows)
    assert explanation.fidelity["model_prediction"] == teacher.predict(rows).tolist()
    # the printout heads each row with the model's decision too, not only the approximation's most probable class
    decided = teacher.predict(rows)
    text = explanation.to_text(max_rows=None)
    for i, label in enumerate(rows.index):
        assert f"row {label}: model predicts {decided[i]}; local approximation predicts {explanation.prediction[i]}" in text
    assert np.any(explanation.prediction != decided)  # the case that matters: they differ on some rows


def test_a_predict_that_gives_no_label_of_the_columns_leaves_the_most_probable_classes():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 2))

    class Odd:
        classes_ = np.array(["no", "yes"])

        def predict_proba(self, X):
            p = 1 / (1 + np.exp(-X[:, 0]))
            return np.column_stack([1 - p, p])

        def predict(self, X):  # scores, not labels
            return X[:, 0]

    report = fidelity_report(Odd(), lambda X: np.where(X[:, 0] > 0, "yes", "no"), X)
    assert report.agreement == 1.0


def test_a_student_of_the_teachers_probabilities_that_is_not_aligned_warns(tuned):
    import warnings

    from glassbox import RiskScoreClassifier

    teacher, X = tuned
    with pytest.warns(UserWarning, match=r"decides other classes than its most probable ones on 1\d\.\d% .*"
                                         r"target='labels'"):
        DistilledClassifier(teacher, student=RiskScoreClassifier()).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # learning its labels, or aligned with them: nothing to say
        labels = DistilledClassifier(teacher, student=RiskScoreClassifier(), target="labels").fit(X)
        DistilledClassifier(teacher, student=SparseLinearClassifier()).fit(X)
    assert np.mean(labels.predict(X) == teacher.predict(X)) > 0.9
