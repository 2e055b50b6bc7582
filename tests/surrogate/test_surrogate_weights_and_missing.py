"""Surrogates under the user's global scikit-learn settings, with weighted teachers and missing values."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassbox import GAMClassifier, GAMRegressor, RiskScoreClassifier, SparseLinearClassifier
from glassbox.surrogate import DistilledClassifier, DistilledRegressor, fidelity_frontier, fidelity_report


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:200, :5]
    y = y.iloc[:200]
    teacher = LogisticRegression(max_iter=5000).fit(X, y)
    return X, y, teacher


def _gam():
    return GAMClassifier(interactions=0, outer_bags=1, max_bins=16, random_state=0)


def _figures(X, teacher):
    """What a pandas user reads from the three surrogate entry points, as text and numbers."""
    student = _gam().fit(X, teacher.predict(X))
    report = fidelity_report(teacher, student, X)
    copy = DistilledClassifier(teacher, _gam(), random_state=0).fit(X)
    frontier = fidelity_frontier(teacher, X, students={"score": RiskScoreClassifier(max_features=2)}, target=0.5)
    return str(report), report.segments_frame(), str(copy.fidelity_), copy.predict_proba(X), str(frontier)


def test_global_pandas_output_leaves_the_surrogate_figures_unchanged(cancer):
    # transform_output="pandas" makes the public FeatureBinner return a frame; the segment table indexes its codes
    X, _, teacher = cancer
    expected = _figures(X, teacher)
    with sklearn.config_context(transform_output="pandas"):
        got = _figures(X, teacher)
    assert got[0] == expected[0] and got[2] == expected[2] and got[4] == expected[4]
    pd.testing.assert_frame_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[3], expected[3])


def _weighted_pipeline():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))


def _case_control(y):
    return np.where(np.asarray(y) == 1, 8.0, 1.0)  # weights that move a logistic regression's intercept a lot


def test_pipeline_teacher_is_fitted_with_the_weights_at_its_last_step(cancer):
    X, y, _ = cancer
    w = _case_control(y)
    copy = DistilledClassifier(_weighted_pipeline(), _gam(), random_state=0).fit(X, y, sample_weight=w)
    weighted = _weighted_pipeline().fit(X, y, logisticregression__sample_weight=w).predict_proba(X)
    unweighted = _weighted_pipeline().fit(X, y).predict_proba(X)
    assert np.abs(weighted - unweighted).max() > 0.05  # the weights matter to this teacher
    np.testing.assert_allclose(copy.teacher_.predict_proba(X), weighted, rtol=1e-12)


def test_pipeline_regressor_teacher_is_fitted_with_the_weights(cancer):
    X, y, _ = cancer
    target, features = X.iloc[:, 0], X.iloc[:, 1:]
    w = np.where(target > target.median(), 10.0, 0.5)
    teacher = make_pipeline(StandardScaler(), Ridge(alpha=50.0))
    student = GAMRegressor(interactions=0, outer_bags=1, max_bins=16, random_state=0)
    copy = DistilledRegressor(teacher, student, random_state=0).fit(features, target, sample_weight=w)
    weighted = make_pipeline(StandardScaler(), Ridge(alpha=50.0)).fit(features, target, ridge__sample_weight=w)
    unweighted = make_pipeline(StandardScaler(), Ridge(alpha=50.0)).fit(features, target)
    assert not np.allclose(weighted.predict(features), unweighted.predict(features))
    np.testing.assert_allclose(copy.teacher_.predict(features), weighted.predict(features), rtol=1e-12)


def test_metadata_routing_hands_the_weights_to_the_steps_that_request_them(cancer):
    X, y, _ = cancer
    w = _case_control(y)
    weighted = _weighted_pipeline().fit(X, y, logisticregression__sample_weight=w).predict_proba(X)
    with sklearn.config_context(enable_metadata_routing=True):
        teacher = make_pipeline(StandardScaler().set_fit_request(sample_weight=False),
                                LogisticRegression(max_iter=5000).set_fit_request(sample_weight=True))
        copy = DistilledClassifier(teacher, _gam(), random_state=0).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(copy.teacher_.predict_proba(X), weighted, rtol=1e-12)
        # a step that does not say whether it takes the weights: scikit-learn's error, with what to call
        with pytest.raises(ValueError, match=r"(?s)StandardScaler.*set_fit_request\(sample_weight=True\)"):
            DistilledClassifier(_weighted_pipeline(), _gam(), random_state=0).fit(X, y, sample_weight=w)


@pytest.mark.parametrize("teacher", [KNeighborsClassifier(), make_pipeline(StandardScaler(), KNeighborsClassifier())],
                         ids=["bare", "pipeline"])
def test_teacher_without_sample_weight_is_refused_naming_the_fix(cancer, teacher):
    X, y, _ = cancer
    with pytest.raises(ValueError, match="takes no sample_weight.*pass it fitted"):
        DistilledClassifier(teacher, _gam(), random_state=0).fit(X, y, sample_weight=_case_control(y))
    # unweighted, or fitted by the user and passed fitted, it is a teacher like any other
    DistilledClassifier(teacher, _gam(), random_state=0).fit(X, y)
    DistilledClassifier(clone(teacher).fit(X, y), _gam(), random_state=0).fit(X, y, sample_weight=_case_control(y))


def test_meta_teacher_that_refuses_the_weights_is_refused_naming_the_weights_and_the_fix(cancer):
    # OneVsRestClassifier.fit takes **fit_params but refuses them without metadata routing
    X, y, _ = cancer
    w = _case_control(y)
    teacher = OneVsRestClassifier(LogisticRegression(max_iter=5000))
    with pytest.raises(ValueError, match=r"(?s)given sample_weight.*OneVsRestClassifier refused it.*pass it fitted") as info:
        DistilledClassifier(teacher, _gam(), random_state=0).fit(X, y, sample_weight=w)
    assert "make X something it reads" not in str(info.value)  # the weights are the problem, not X
    assert "enable_metadata_routing" in str(info.value.__cause__)  # scikit-learn's own refusal, chained
    # the fix the message names: fit it with the weights, here through metadata routing, and pass it fitted
    with sklearn.config_context(enable_metadata_routing=True):
        routed = OneVsRestClassifier(LogisticRegression(max_iter=5000).set_fit_request(sample_weight=True))
        routed.fit(X, y, sample_weight=w)
    copy = DistilledClassifier(routed, _gam(), random_state=0).fit(X, y, sample_weight=w)
    assert copy.teacher_ is routed


@pytest.fixture
def small_default_grid(monkeypatch):
    """The default grid's families, each at one cheap complexity, so that the test runs in seconds."""
    import glassbox.surrogate.frontier as frontier_module

    monkeypatch.setitem(frontier_module._GRID, "classification", (
        ("SparseLinearClassifier", {"penalty": "l0", "alpha": 0.0}, "max_features", (1, 2)),
        ("GAMClassifier", {"outer_bags": 1, "max_bins": 16}, "interactions", (0,)),
    ))


@pytest.fixture(scope="module")
def holed(cancer):
    """Rows with two missing values in one column, and a teacher that reads them."""
    X, y, _ = cancer
    X = X.iloc[:, :3].copy()
    X.iloc[[3, 40], 1] = np.nan
    return X, y, HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y)


# a GAM student fitted on imputed rows warns of the missing values it meets in X_eval: expected here
_EVAL_HOLES = pytest.mark.filterwarnings("ignore:Feature .* has missing values, but none in training")


@_EVAL_HOLES
def test_default_grid_leaves_out_a_family_without_missing_values_saying_how_to_include_it(holed, small_default_grid):
    X, _, teacher = holed
    name = X.columns[1]
    for X_fit, X_eval in [(X, None), (X.fillna(0.0), X)]:  # a missing value in X, or in X_eval only
        frontier = fidelity_frontier(teacher, X_fit, X_eval=X_eval, target=0.9)
        assert [r["family"] for r in frontier.rows] == ["GAMClassifier"]
        assert [r["error"] for r in frontier.rows] == [None]
        (family, reason), = frontier.left_out
        assert family == "SparseLinearClassifier" and name in reason and "SimpleImputer" in reason
        assert f"SparseLinearClassifier (takes no missing values, and the rows given have some in {name}" in str(frontier)
    complete = fidelity_frontier(teacher, X.fillna(0.0), target=0.9)  # imputed: the family is back
    assert [r["family"] for r in complete.rows].count("SparseLinearClassifier") == 2 and complete.left_out == ()


@_EVAL_HOLES
def test_a_student_given_that_cannot_read_X_eval_keeps_its_error_in_its_row(holed):
    X, _, teacher = holed
    students = {"linear": SparseLinearClassifier(max_features=2), "gam": _gam()}
    frontier = fidelity_frontier(teacher, X.fillna(0.0), X_eval=X, students=students, target=0.9)
    linear, gam = frontier.rows
    assert "missing values" in linear["error"] and frontier.models[0] is None
    assert gam["error"] is None and gam["fidelity"] is not None


def test_missing_value_columns_are_matched_by_name_across_X_and_X_eval():
    from scipy import sparse

    from glassbox.surrogate.frontier import _columns_with_missing

    X = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0], "c": [np.nan, 5.0]})
    reordered = pd.DataFrame({"b": [np.nan, 1.0], "a": [1.0, 2.0]})  # the hole is in b, not in X's first column
    assert _columns_with_missing(X[["a", "b"]], reordered) == ["b"]
    assert _columns_with_missing(X, reordered[["a"]].assign(a=[np.nan, 2.0])) == ["a", "c"]  # narrower: X's c kept
    holed = np.array([[0.0, np.nan, 1.0], [1.0, 0.0, 0.0]])
    for rows in (holed, sparse.csr_matrix(holed), sparse.csc_matrix(holed), sparse.coo_matrix(holed)):
        assert _columns_with_missing(rows, None) == ["x1"]


def test_the_user_guide_example_of_distillation_settings_runs():
    # doctest collects no example from an attribute docstring, so DISTILLATION_SETTINGS' example lives in
    # docs/surrogate.rst, and this test runs it
    import doctest
    import textwrap
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "surrogate.rst").read_text()
    start = text.index("    >>> from glassbox.surrogate import DISTILLATION_SETTINGS")
    block = textwrap.dedent(text[start:text.index("\n\n", start)])
    test = doctest.DocTestParser().get_doctest(block, {}, "surrogate.rst DISTILLATION_SETTINGS", "surrogate.rst", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False) == (0, 3)
