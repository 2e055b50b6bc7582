"""A distilled copy takes its student's link: a log-link GAM student (Poisson, Gamma, Tweedie) predicts exp(sum)."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

from glassbox import GAMRegressor, from_json
from glassbox.surrogate import DistilledClassifier, DistilledRegressor


def _counts(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = rng.poisson(np.exp(0.5 * X[:, 0] - 0.3 * X[:, 1])).astype(float)
    return X, y


@pytest.fixture(scope="module")
def count_teacher():
    X, y = _counts()
    return X, HistGradientBoostingRegressor(loss="poisson", max_iter=40, random_state=0).fit(X, y)


def _student(loss="poisson"):
    return GAMRegressor(loss=loss, interactions=0, outer_bags=2, random_state=0, n_jobs=1)


@pytest.fixture(scope="module")
def poisson_copy(count_teacher):
    X, teacher = count_teacher
    return DistilledRegressor(teacher, _student(), random_state=0).fit(X)


@pytest.mark.parametrize("loss", ["poisson", "gamma", "tweedie"])
def test_copy_predicts_as_its_student_and_its_json(count_teacher, loss):
    X, teacher = count_teacher
    copy = DistilledRegressor(teacher, _student(loss), random_state=0).fit(X)
    predicted = copy.predict(X)
    np.testing.assert_array_equal(predicted, copy.student_.predict(X))
    np.testing.assert_allclose(from_json(copy.to_json()).predict(X), predicted, rtol=1e-12)
    assert predicted.min() > 0  # a mean, never the (negative) log of one
    assert copy._link().name == "log"
    np.testing.assert_array_equal(copy._decision(X), copy.student_._decision(X))
    np.testing.assert_allclose(np.exp(copy._decision(X)), predicted, rtol=1e-15)


def test_local_explanation_adds_up_on_the_log_scale_and_says_so(poisson_copy, count_teacher):
    X, _ = count_teacher
    explanation = poisson_copy.explain_local(X[:5])
    total = explanation.base_value + explanation.contributions.sum(axis=1)
    np.testing.assert_allclose(total, explanation.decision, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.exp(explanation.decision), poisson_copy.predict(X[:5]), rtol=1e-12)
    np.testing.assert_array_equal(explanation.prediction, poisson_copy.predict(X[:5]))
    assert explanation.link.name == "log"
    text = str(explanation)
    assert "= log of predicted mean" in text
    assert f"prediction = exp({explanation.decision[0]:.4g})" in text
    assert "= prediction" not in text


def test_global_explanation_recomputes_the_copy(poisson_copy, count_teacher):
    X, _ = count_teacher
    explanation = poisson_copy.explain_global()
    assert explanation.link.name == "log"
    np.testing.assert_allclose(explanation.predict(X), poisson_copy.predict(X), rtol=1e-12)


def test_fidelity_compares_the_means(poisson_copy, count_teacher):
    X, teacher = count_teacher
    reference, estimate = teacher.predict(X), poisson_copy.student_.predict(X)
    by_hand = 1.0 - np.sum((reference - estimate) ** 2) / np.sum((reference - reference.mean()) ** 2)
    assert poisson_copy.fidelity_.r2 == pytest.approx(by_hand, rel=1e-12)
    assert poisson_copy.fidelity_.mae == pytest.approx(np.mean(np.abs(reference - estimate)), rel=1e-12)
    assert poisson_copy.fidelity_.r2 > 0.5
    worst_row, teacher_value, student_value, _ = poisson_copy.fidelity_.worst_rows[0]
    assert student_value == pytest.approx(estimate[worst_row], rel=1e-12)


def test_local_plot_reads_the_log_scale(poisson_copy, count_teacher):
    pytest.importorskip("matplotlib")
    from glassbox.plotting import LocalContributionDisplay

    X, _ = count_teacher
    explanation = poisson_copy.explain_local(X[:1])
    display = LocalContributionDisplay.from_explanation(explanation, row=0)
    assert display.bars_[-1].get_width() == pytest.approx(explanation.decision[0], rel=1e-12)
    assert "= exp(" in display.ax_.get_title()


def test_a_teacher_predicting_negative_values_is_named_for_a_log_link_student():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 2))
    teacher = HistGradientBoostingRegressor(max_iter=20, random_state=0).fit(X, X[:, 0])
    named = r"teacher HistGradientBoostingRegressor predicts \d+ value\(s\) <= 0"
    with pytest.raises(ValueError, match=named) as error:
        DistilledRegressor(teacher, _student("poisson")).fit(X)
    assert "loss='poisson' needs a non-negative target" in str(error.value)  # the student's own reason, kept
    assert "loss='squared_error'" in str(error.value)


def test_a_log_link_regressor_cannot_copy_log_odds():
    X, y = _counts(300)
    teacher = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y > 1)
    with pytest.raises(ValueError, match="target='logits'.*GAMRegressor takes only a non-negative target"):
        DistilledClassifier(teacher, _student("poisson")).fit(X)


class _UntaggedLogLinkRegressor(GAMRegressor):
    """A log-link regressor whose tags do not say that it takes only non-negative targets."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = False
        return tags


def test_a_log_link_regressor_is_refused_after_fit_when_its_tags_do_not_say():
    from scipy.special import expit

    X, y = _counts(300)

    def sure_teacher(Z):  # P(True) between 0.6 and 0.9: positive log-odds, which a log link can fit
        p = 0.6 + 0.3 * expit(np.asarray(Z)[:, 0])
        return np.column_stack([1.0 - p, p])

    student = _UntaggedLogLinkRegressor(loss="poisson", interactions=0, outer_bags=2, random_state=0)
    with pytest.raises(ValueError, match="target='logits'.*_UntaggedLogLinkRegressor has the log link"):
        DistilledClassifier(sure_teacher, student).fit(X, y > 1)
