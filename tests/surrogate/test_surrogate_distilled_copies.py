"""Distilled copies read as their students, name a card's teacher column, take a teacher's class
order, and fit rule-list students on wide numeric tables."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from glassbox import BayesianRuleListClassifier, RiskScoreClassifier, reason_codes
from glassbox.surrogate import DistilledClassifier


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :8]
    labels = np.where(y == 1, "benign", "malignant")  # classes_ = [benign, malignant]
    teacher = LogisticRegression(max_iter=5000).fit(X, labels)
    return X, labels, teacher


def _same_reading(copy_local, student_local):
    """The copy's local explanation is its student's, bar the label and the fidelity."""
    np.testing.assert_array_equal(copy_local.contributions, student_local.contributions)
    np.testing.assert_array_equal(copy_local.base_value, student_local.base_value)
    assert copy_local.pos_label == student_local.pos_label
    assert copy_local.orientation == student_local.orientation
    assert copy_local.output_name == student_local.output_name
    copy_rows = [line.replace(" (approximation)", "") for line in str(copy_local).splitlines()[1:]
                 if not line.startswith("fidelity")]
    assert copy_rows == str(student_local).splitlines()[1:]


@pytest.mark.parametrize("student", [
    RiskScoreClassifier(max_features=3, pos_label="benign"),
    BayesianRuleListClassifier(n_iter=300, n_chains=2, pos_label="benign", random_state=0),
], ids=["risk score", "rule list"])
def test_copy_about_the_first_class_explains_rows_as_its_student(cancer, student):
    """A copy whose student describes classes_[0] reads its rows toward that event, as the student does:
    before, the copy lost the student's pos_label and printed a card's points negated."""
    X, labels, teacher = cancer
    copy = DistilledClassifier(teacher, student, random_state=0).fit(X)
    rows = X.iloc[:6]
    local, own = copy.explain_local(rows), copy.student_.explain_local(rows)
    assert local.pos_label == "benign" and local.orientation == -1
    _same_reading(local, own)
    assert local.approximate and local.fidelity["agreement"] == copy.fidelity_.agreement
    # reason codes quote the student's figures, with the copy's fidelity lines added
    adverse = "benign"
    ours = reason_codes(copy, rows, reference=X, adverse=adverse, n_reasons=2)
    theirs = reason_codes(copy.student_, rows, reference=X, adverse=adverse, n_reasons=2)
    pd.testing.assert_frame_equal(ours.to_frame(), theirs.to_frame())


def test_card_copy_prints_the_cards_intercept_and_total(cancer):
    X, labels, teacher = cancer
    copy = DistilledClassifier(teacher, RiskScoreClassifier(max_features=3, pos_label="benign"),
                               random_state=0).fit(X)
    card = copy.student_
    text = str(copy.explain_local(X.iloc[[0]]))
    assert "decision_function = -(SCORE + intercept)" in text
    lines = [line.split() for line in text.splitlines()]
    base = next(line[-1] for line in lines if line[:2] == ["base", "value"])
    assert int(base) == card.intercept_


# -- b7: rule students on wide numeric tables ----------------------------------------------------------------

@pytest.fixture(scope="module")
def wide_numeric():
    from sklearn.datasets import make_classification
    from sklearn.tree import DecisionTreeClassifier

    X, y = make_classification(600, n_features=12, n_informative=6, random_state=0)
    X = pd.DataFrame(X, columns=[f"x{j}" for j in range(12)])
    return X, DecisionTreeClassifier(max_depth=6, random_state=0).fit(X, y)


def _rule_list(**params):
    from glassbox.surrogate import distillation_student

    return distillation_student("BayesianRuleListClassifier", n_iter=200, n_chains=2, random_state=0, **params)


def test_rule_student_with_too_many_candidates_is_fitted_with_fewer_thresholds(wide_numeric):
    """The distillation settings (20 thresholds, 2% support) mine too many pairs on a dozen dense numeric
    columns: the copy was refused with TooManyCandidates; it now lowers the thresholds and says so."""
    from glassbox.rules.mining import TooManyCandidates

    X, teacher = wide_numeric
    student = _rule_list(max_candidates=3000)
    with pytest.raises(TooManyCandidates):  # the student alone, on the teacher's labels
        student.fit(X, teacher.predict(X))
    with pytest.warns(UserWarning, match=r"max_thresholds=20\) mines more candidate rules.*fitted with "
                                         r"max_thresholds=(\d+) instead"):
        copy = DistilledClassifier(teacher, student, random_state=0).fit(X)
    used = copy.student_.max_thresholds
    assert 1 <= used < 20 and student.max_thresholds == 20  # the parameter given is left as it was
    # the same copy as one asked for those thresholds outright, which fits without a word
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)  # short chains in a test
        direct = DistilledClassifier(teacher, _rule_list(max_candidates=3000, max_thresholds=used),
                                     random_state=0).fit(X)
    assert [str(r) for r in copy.student_.rules_] == [str(r) for r in direct.student_.rules_]
    np.testing.assert_array_equal(copy.predict_proba(X), direct.predict_proba(X))
    # one more threshold than that is refused: the estimate is the most that fits here
    with pytest.raises(TooManyCandidates):
        _rule_list(max_candidates=3000, max_thresholds=used + 1).fit(X, teacher.predict(X))


def test_rule_student_that_fits_keeps_its_thresholds_and_a_hopeless_one_is_refused(wide_numeric):
    X, teacher = wide_numeric
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)  # short chains in a test
        copy = DistilledClassifier(teacher, _rule_list(max_thresholds=3), random_state=0).fit(X)
    assert copy.student_.max_thresholds == 3
    with pytest.raises(ValueError, match="max_candidates=5 candidate rules"):
        DistilledClassifier(teacher, _rule_list(max_candidates=5), random_state=0).fit(X)


# -- b10: a function teacher's class order ------------------------------------------------------------------

def _served_reversed(cancer):
    """A served model whose client returns its probability columns as [malignant, benign] (not sorted)."""
    X, labels, teacher = cancer
    return lambda Z: teacher.predict_proba(Z)[:, ::-1]


def test_classes_names_a_function_teachers_columns_in_its_order(cancer):
    """classes= names a function teacher's columns, as fidelity_report's does; without it the copy named
    [malignant, benign] columns with y's sorted labels and learned P(benign) as P(malignant) (b10)."""
    from glassbox.surrogate import fidelity_report

    X, labels, teacher = cancer
    served = _served_reversed(cancer)
    student = RiskScoreClassifier(max_features=3)
    copy = DistilledClassifier(served, student, classes=["malignant", "benign"], random_state=0).fit(X, labels)
    direct = DistilledClassifier(teacher, student, random_state=0).fit(X, labels)
    np.testing.assert_array_equal(copy.classes_, ["benign", "malignant"])
    np.testing.assert_array_equal(copy.predict_proba(X), direct.predict_proba(X))  # the same copy
    assert copy.fidelity_.agreement == direct.fidelity_.agreement
    report = copy.fidelity_report(X)  # the teacher's columns read in its order here too
    assert report.agreement == fidelity_report(served, copy, X, classes=["malignant", "benign"],
                                               task="classification").agreement
    assert report.agreement == direct.fidelity_report(X).agreement > 0.85
    # labels returned by a function keep their own names; classes= only sets the known classes
    label_copy = DistilledClassifier(lambda Z: teacher.predict(Z), student, classes=["malignant", "benign"],
                                     random_state=0).fit(X)
    np.testing.assert_array_equal(label_copy.classes_, ["benign", "malignant"])


def test_a_column_order_that_contradicts_y_is_warned_of(cancer):
    X, labels, teacher = cancer
    served = _served_reversed(cancer)
    with pytest.warns(UserWarning, match=r"read as the classes \['benign', 'malignant'\] in that order, give labels "
                                         r"that agree with y on 0\.0\d\d .* read as \['malignant', 'benign'\] they "
                                         r"agree on 0\.9\d\d.*pass classes="):
        DistilledClassifier(served, RiskScoreClassifier(max_features=3), random_state=0).fit(X, labels)
    with warnings.catch_warnings():  # the right order, or a weak teacher, is not doubted
        warnings.simplefilter("error", UserWarning)
        DistilledClassifier(served, RiskScoreClassifier(max_features=3), classes=["malignant", "benign"],
                            random_state=0).fit(X, labels)
        rng = np.random.default_rng(0)
        noise = rng.random((len(X), 2))
        DistilledClassifier(lambda Z: noise[:len(Z)] / noise[:len(Z)].sum(axis=1, keepdims=True),
                            RiskScoreClassifier(max_features=3), random_state=0).fit(X, labels)


@pytest.mark.parametrize("classes, match", [
    (["benign"], "two or more distinct labels"),
    (["benign", "benign"], "two or more distinct labels"),
    (["benign", "cancer"], r"y holds the labels \['malignant'\], which classes="),
])
def test_bad_classes_are_refused(cancer, classes, match):
    X, labels, teacher = cancer
    with pytest.raises(ValueError, match=match):
        DistilledClassifier(_served_reversed(cancer), RiskScoreClassifier(max_features=3), classes=classes).fit(
            X, labels)


# -- b3: a distilled card's observed column --------------------------------------------------------------------

def test_distilled_card_names_its_observed_column_for_the_teachers_figures(cancer):
    """A copy's risk table names the teacher's mean probability as the teacher's, not as "observed" outcomes."""
    import glassbox

    X, labels, teacher = cancer
    copy = DistilledClassifier(teacher, RiskScoreClassifier(max_features=3), random_state=0).fit(X)
    card = copy.explain_global()
    assert card.observed_source == "teacher probabilities"
    text = str(card)
    assert "teacher's mean P(malignant)" in text.splitlines()[-len(card.risk_scores) - 2]
    assert "not observed outcomes" in text
    frame = card.risk_frame()
    assert "observed_rate" not in frame and "not observed outcomes" in frame.attrs["note"]
    # the column is the teacher's mean P(malignant) over the training rows at each SCORE, by hand
    score = card.decision_function(X) - card.intercept
    by_hand = pd.Series(teacher.predict_proba(X)[:, 1]).groupby(score).mean()
    seen = frame.set_index("score").loc[by_hand.index, "teacher_mean_probability"]
    np.testing.assert_allclose(seen.to_numpy(), by_hand.to_numpy(), rtol=1e-9)
    again = glassbox.from_json(card.to_json())
    assert again == card and str(again) == text and again.observed_source == "teacher probabilities"
    # the student's own card is unchanged: its observed column is the rate of what it was fitted on
    assert "observed_rate" in copy.student_.explain_global().risk_frame()
    labelled = DistilledClassifier(teacher, RiskScoreClassifier(max_features=3), target="labels",
                                   random_state=0).fit(X).explain_global()
    assert labelled.observed_source == "teacher labels" and "teacher_label_share" in labelled.risk_frame()
    assert "teacher's share malignant" in str(labelled)
