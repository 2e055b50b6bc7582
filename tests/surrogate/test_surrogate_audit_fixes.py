"""The surrogate estimators read labels, single rows, cloned models and NumPy-after-pandas like every
other glassbox estimator, and name the probability they explain."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression

from glassbox.explain import LocalExplanation
from glassbox.plotting import LocalContributionDisplay
from glassbox.surrogate import DistilledClassifier, DistilledRegressor, LocalSurrogate
from surrogate_toys import ToyLinearRegressor, ToyLogisticClassifier


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(200, 4)), columns=["a", "b", "c", "d"])
    y = (X["a"] - X["c"] + 0.3 * rng.normal(size=200) > 0).astype(int)
    return X, y


def _distilled(**params):
    return DistilledClassifier(LogisticRegression(), ToyLogisticClassifier(), **params)


@pytest.mark.parametrize("dtype, labels", [("boolean", [False, True]), ("Int64", [-2, 3])])
def test_nullable_labels_keep_their_values_and_type(data, dtype, labels):
    X, y = data
    target = pd.Series(np.asarray(labels)[y], dtype=dtype)
    model = _distilled().fit(X, target)
    reference = _distilled().fit(X, y)
    assert list(model.classes_) == labels
    assert model.classes_.dtype == np.asarray(labels).dtype
    predicted = model.predict(X)
    assert predicted.dtype == np.asarray(labels).dtype
    np.testing.assert_array_equal(predicted, np.asarray(labels)[reference.predict(X)])
    np.testing.assert_array_equal(model.decision_function(X), reference.decision_function(X))


def test_a_single_row_as_a_series_gets_scikit_learns_message(data):
    X, y = data
    model = _distilled().fit(X, y)
    for method in (model.predict, model.predict_proba, model.decision_function, model.explain_local):
        with pytest.raises(ValueError, match="Expected a 2-dimensional container.*single row"):
            method(X.iloc[0])


def test_regressor_copy_reads_single_rows_and_numpy_like_the_classifier(data):
    X, y = data
    model = DistilledRegressor(lambda X: np.asarray(X, dtype=float) @ [1.0, 0.0, -1.0, 0.5],
                               ToyLinearRegressor()).fit(X)
    for method in (model.predict, model.explain_local):
        with pytest.raises(ValueError, match="Expected a 2-dimensional container.*single row"):
            method(X.iloc[0])
    _assert_one_feature_names_warning([model.predict, model.explain_local], X.to_numpy()[:3], "DistilledRegressor")


def _assert_one_feature_names_warning(methods, rows, name):
    for method in methods:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            method(rows)
        names = [str(w.message) for w in caught if "feature names" in str(w.message)]
        assert len(names) == 1, names
        assert name in names[0]


def test_numpy_after_a_frame_warns_once_naming_the_estimator(data):
    X, y = data
    model = _distilled().fit(X, y)
    methods = [model.predict, model.predict_proba, model.decision_function, model.explain_local]
    _assert_one_feature_names_warning(methods, X.to_numpy()[:3], "DistilledClassifier")
    surrogate = LocalSurrogate(LogisticRegression().fit(X, y), n_samples=50, n_holdout=0).fit(X)
    _assert_one_feature_names_warning([surrogate.explain_local, surrogate.local_fits], X.to_numpy()[:2],
                                      "LocalSurrogate")


def test_cloned_local_surrogate_of_a_fitted_model_says_to_freeze_it(data):
    X, y = data
    fitted = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match=r"model LogisticRegression is not fitted.*FrozenEstimator\(model\)"):
        clone(LocalSurrogate(fitted, n_samples=50, n_holdout=0)).fit(X)
    frozen = clone(LocalSurrogate(FrozenEstimator(fitted), n_samples=50, n_holdout=0, random_state=0)).fit(X)
    explanation = frozen.explain_local(X.iloc[:1])
    assert explanation.decision.shape == (1,)
    assert explanation.model == "local surrogate of LogisticRegression (frozen)"  # the model, not its wrapper
    # a callable or a predict-only object has nothing to be fitted
    clone(LocalSurrogate(lambda X: np.asarray(X)[:, 0], task="regression", n_samples=50)).fit(X)


def test_cloned_distilled_with_prefit_teacher_says_to_freeze_it(data):
    X, y = data
    fitted = LogisticRegression().fit(X, y)
    copy = clone(DistilledClassifier(fitted, ToyLogisticClassifier(), teacher_prefit=True))
    with pytest.raises(ValueError, match=r"not fitted.*FrozenEstimator\(teacher\)"):
        copy.fit(X)
    # teacher_prefit="auto" without y: nothing to refit it on, and the message says why it is unfitted
    with pytest.raises(ValueError, match=r"y is None.*clone\(\).*FrozenEstimator\(teacher\)"):
        clone(DistilledClassifier(fitted, ToyLogisticClassifier())).fit(X)
    frozen = clone(DistilledClassifier(FrozenEstimator(fitted), ToyLogisticClassifier(), teacher_prefit=True)).fit(X)
    np.testing.assert_array_equal(frozen.teacher_.predict(X), fitted.predict(X))
    assert "distilled from LogisticRegression (frozen)" in frozen.explain_global().model


@pytest.fixture(scope="module")
def multiclass():
    rng = np.random.RandomState(1)
    X = pd.DataFrame(rng.normal(size=(300, 3)), columns=["a", "b", "c"])
    y = np.array(["low", "mid", "high"])[np.digitize(X["a"] + 0.2 * rng.normal(size=300), [-0.5, 0.5])]
    return X, y


def test_probability_output_is_named_as_the_probability_of_a_class(data):
    X, y = data
    names = pd.Series(np.where(y == 1, "yes", "no"))
    model = LogisticRegression().fit(X, names)
    surrogate = LocalSurrogate(model, output="probability", n_samples=200, n_holdout=0, random_state=0).fit(X)
    explanation = surrogate.explain_local(X.iloc[:1])
    assert explanation.output_name == "P(yes)"
    assert "= P(yes)" in str(explanation)
    display = LocalContributionDisplay.from_explanation(explanation, row=0)
    assert display.output_name == "P(yes)"
    display.figure_.clf()
    assert LocalExplanation.from_json(explanation.to_json()).output_name == "P(yes)"
    assert list(explanation.prediction) == ["yes" if p > 0.5 else "no" for p in explanation.decision]
    # the default (log-odds) output is named from its link, as before
    assert LocalSurrogate(model, n_samples=200, n_holdout=0).fit(X).explain_local(X.iloc[:1]).output_name is None


def test_multiclass_probability_output_is_named(multiclass):
    X, y = multiclass
    model = LogisticRegression().fit(X, y)
    surrogate = LocalSurrogate(model, output="probability", n_samples=200, n_holdout=0, random_state=0).fit(X)
    explanation = surrogate.explain_local(X.iloc[:2])
    assert explanation.output_name == "P({class})"
    text = str(explanation)
    assert "= P(class)" in text and "class high" in text
    np.testing.assert_allclose(explanation.decision.sum(axis=1), 1.0, atol=0.2)
    np.testing.assert_array_equal(explanation.prediction, explanation.classes[np.argmax(explanation.decision, axis=1)])
    assert list(explanation.to_frame()["class"].unique()) == list(model.classes_)  # probabilities, locally linear


def test_without_held_out_perturbations_the_notes_say_so_not_nan(data):
    X, y = data
    surrogate = LocalSurrogate(LogisticRegression().fit(X, y), n_samples=100, n_holdout=0, random_state=0).fit(X)
    explanation = surrogate.explain_local(X.iloc[:2])
    for note, r2 in zip(explanation.notes, explanation.fidelity["weighted_r2"]):
        assert note == f"local R2 {r2:.3f} (fit; none held out, n_holdout=0)"
    assert "nan" not in str(explanation)
    assert "holdout_r2" not in explanation.fidelity and "median_holdout_r2" not in str(explanation)
    assert set(explanation.fidelity) == {"median_weighted_r2", "mean_abs_gap_at_row", "weighted_r2", "model_output",
                                         "model_prediction"}
