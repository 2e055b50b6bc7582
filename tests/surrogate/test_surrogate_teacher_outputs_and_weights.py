"""Surrogates of any teacher: classes of a teacher that does not know them, logit metrics, frontier
choices and refusals, local base values, take_rows, fidelity segments, refused function outputs,
margin-only teachers, local flags, and sample weights counted as copies of rows."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox.surrogate import DistilledClassifier, fidelity_report
from surrogate_toys import ToyLogisticClassifier


def _labelled_rows(labels, n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.where(X[:, 0] + 0.5 * X[:, 1] + 0.3 * rng.normal(size=n) > 0, labels[1], labels[0])
    return X, y


class _ServedClient:
    """A served model's client: predict_proba only, no classes_ and no predict."""

    def __init__(self, model):
        self.model = model

    def predict_proba(self, X):
        return self.model.predict_proba(X)


# -- a teacher that does not know its classes gets the copy's --------------------------
@pytest.mark.parametrize("labels", [("no", "yes"), (-1, 1), (1, 2)])
@pytest.mark.parametrize("wrap", ["function", "client"])
def test_teacher_without_classes_keeps_the_labels_of_y(labels, wrap):
    X, y = _labelled_rows(labels)
    model = LogisticRegression().fit(X, y)
    teacher = (lambda Z: model.predict_proba(Z)) if wrap == "function" else _ServedClient(model)
    copy = DistilledClassifier(teacher, ToyLogisticClassifier(), random_state=0).fit(X, y)
    assert list(copy.classes_) == sorted(labels)
    assert copy.fidelity_.agreement > 0.95
    report = copy.fidelity_report(X)
    assert report.metrics == copy.fidelity_.metrics
    assert [c for c, _, _ in report.per_class] == sorted(labels)
    np.testing.assert_array_equal(copy.predict(X), model.predict(X))


def test_fidelity_report_names_a_functions_columns_with_classes():
    X, y = _labelled_rows(("no", "yes"))
    model = LogisticRegression().fit(X, y)
    report = fidelity_report(lambda Z: model.predict_proba(Z), model, X, task="classification",
                             classes=model.classes_)
    assert report.agreement == 1.0
    assert report.probability_r2 == pytest.approx(1.0)
    with pytest.raises(ValueError, match="probabilities for 2 classes, but 3 class labels"):
        fidelity_report(lambda Z: model.predict_proba(Z), model, X, task="classification", classes=["a", "b", "c"])


# -- log-odds metrics read the decision function, unclipped ------------------------------
def _sure_logistic_pair(n_classes):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 2))
    y = np.digitize(X[:, 0] + 0.1 * rng.normal(size=400), [-0.5, 0.5][: n_classes - 1] if n_classes > 2 else [0.0])
    teacher = LogisticRegression(C=1e4, max_iter=1000).fit(X, y)
    student = LogisticRegression(C=1e4, max_iter=1000).fit(X, y)
    student.coef_, student.intercept_ = student.coef_ * 0.5, student.intercept_ * 0.5
    return X, teacher, student


def _hand_r2_mae(t, s):
    # R² pools the columns, each centred on its own mean
    return 1 - np.sum((t - s) ** 2) / np.sum((t - t.mean(axis=0)) ** 2), np.mean(np.abs(t - s))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_logit_metrics_are_the_unclipped_decision_function(n_classes):
    X, teacher, student = _sure_logistic_pair(n_classes)
    t, s = teacher.decision_function(X), student.decision_function(X)
    if n_classes > 2:
        t, s = t - t.mean(axis=1, keepdims=True), s - s.mean(axis=1, keepdims=True)
    assert np.abs(t).max() > 30  # far beyond what probabilities clipped at 1e-7 express (16.1)
    report = fidelity_report(teacher, student, X)
    r2, mae = _hand_r2_mae(t, s)
    assert report.logit_r2 == pytest.approx(r2, rel=1e-9)
    assert report.logit_mae == pytest.approx(mae, rel=1e-9)


def test_logit_metrics_follow_the_teachers_class_order():
    """A function teacher whose columns are named in reverse order: the student's log-odds flip with them."""
    X, teacher, student = _sure_logistic_pair(2)
    reversed_teacher = lambda Z: teacher.predict_proba(Z)[:, ::-1]  # noqa: E731
    report = fidelity_report(reversed_teacher, student, X, task="classification", classes=[1, 0])
    t = np.clip(teacher.predict_proba(X)[:, 0], 1e-7, 1 - 1e-7)
    r2, mae = _hand_r2_mae(np.log(t / (1 - t)), -student.decision_function(X))
    assert report.agreement == 1.0
    assert report.logit_r2 == pytest.approx(r2, rel=1e-9)
    assert report.logit_mae == pytest.approx(mae, rel=1e-9)


# -- lower-is-better frontier metrics -----------------------------------------------------
def test_frontier_with_a_difference_metric_picks_the_simplest_student_within_it():
    from glassbox import SparseLinearRegressor
    from glassbox.surrogate import fidelity_frontier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    teacher = lambda Z: np.asarray(Z) @ np.array([3.0, 2.0, 1.0, 0.5])  # noqa: E731
    students = {f"k={k}": SparseLinearRegressor(penalty="l0", alpha=0.0, max_features=k) for k in (1, 2, 3, 4)}
    frontier = fidelity_frontier(teacher, X, students=students, metric="mae", target=0.5, task="regression")
    maes = [r["fidelity"] for r in frontier.rows]
    assert maes == sorted(maes, reverse=True) and maes[2] <= 0.5 < maes[1]  # more terms, smaller error
    assert frontier.lower_is_better and frontier.best["family"] == "k=3"
    assert "lower is better" in str(frontier) and "mae <= 0.5: k=3" in str(frontier)
    assert frontier.to_dict()["lower_is_better"] is True
    # with a target every student reaches, the simplest; among equal complexity the smallest error wins
    assert fidelity_frontier(teacher, X, students=students, metric="mae", target=10.0,
                             task="regression").best["family"] == "k=1"
    assert fidelity_frontier(teacher, X, students=students, metric="r2", target=0.9,
                             task="regression").best["family"] == "k=2"


def test_frontier_refuses_a_metric_the_task_does_not_have():
    from glassbox.surrogate import fidelity_frontier

    X = np.random.default_rng(0).normal(size=(50, 2))
    with pytest.raises(ValueError, match="not a fidelity metric for regression"):
        fidelity_frontier(lambda Z: Z[:, 0], X, students=[], metric="agreement", task="regression")


# -- LocalSurrogate.base_value_ is the mean over every training row ------------------------
def test_local_base_value_is_the_mean_over_all_rows_of_ordered_data():
    from glassbox.surrogate import LocalSurrogate

    X = np.sort(np.random.default_rng(0).normal(size=(2500, 1)), axis=0)  # rows ordered by the feature
    model = lambda Z: 3 * np.asarray(Z)[:, 0]  # noqa: E731
    explainer = LocalSurrogate(model, task="regression", n_samples=200, n_holdout=0, random_state=0).fit(X)
    assert float(explainer.base_value_) == pytest.approx(model(X).mean(), abs=1e-12)
    # a linear model's local fit is exact: its offset from the training mean is nothing
    offset = explainer.explain_local(X[:1]).contributions[0, -1]
    assert abs(offset) < 1e-6  # (the first 1000 rows alone put it near 3)


def test_local_weights_count_as_copies_of_rows_for_the_base_value():
    from glassbox.surrogate import LocalSurrogate

    rng = np.random.default_rng(0)
    X = rng.normal(size=(1500, 2))
    weights = np.where(np.arange(1500) % 3 == 0, 2.0, np.where(np.arange(1500) % 7 == 0, 0.0, 1.0))
    copies = np.repeat(np.arange(1500), weights.astype(int))
    model = lambda Z: 3 * np.asarray(Z)[:, 0] - np.asarray(Z)[:, 1] ** 2  # noqa: E731
    weighted = LocalSurrogate(model, task="regression", random_state=0).fit(X, sample_weight=weights)
    copied = LocalSurrogate(model, task="regression", random_state=0).fit(X[copies])
    np.testing.assert_allclose(weighted.mean_, copied.mean_, rtol=1e-12)
    assert float(weighted.base_value_) == pytest.approx(float(copied.base_value_), rel=1e-12)
    assert float(weighted.base_value_) == pytest.approx(np.average(model(X), weights=weights), rel=1e-12)


def test_local_base_value_of_a_classifier_reads_every_batch(monkeypatch):
    """Batches of the training rows: the mean log-odds over all of them, the classes of the first."""
    from glassbox.surrogate import LocalSurrogate, local

    monkeypatch.setattr(local, "_MAX_BATCH_ROWS", 64)
    X, y = _labelled_rows(("no", "yes"), n=300)
    model = LogisticRegression().fit(X, y)
    explainer = LocalSurrogate(model, random_state=0).fit(X)
    assert list(explainer.classes_) == ["no", "yes"] and explainer.decision_function_used_
    assert float(explainer.base_value_) == pytest.approx(model.decision_function(X).mean(), rel=1e-12)


# -- a teacher's problem is raised, not recorded in every row -------------------------------
def test_frontier_raises_a_teachers_problem_before_the_grid():
    from glassbox import SparseLinearClassifier
    from glassbox.surrogate import fidelity_frontier

    X, y = _labelled_rows((0, 1), n=120)
    students = [SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=k) for k in (1, 2)]
    with pytest.raises(ValueError, match="LogisticRegression is not fitted"):
        fidelity_frontier(LogisticRegression(), X, students=students)
    nan_teacher = lambda Z: np.full((len(Z), 2), np.nan)  # noqa: E731
    with pytest.raises(ValueError, match="returned NaN"):
        fidelity_frontier(nan_teacher, X, students=students, task="classification")


def test_frontier_shows_a_students_error_and_raises_when_none_fits():
    from glassbox import SparseLinearClassifier
    from glassbox.surrogate import fidelity_frontier

    X, y = _labelled_rows((0, 1), n=120)
    teacher = LogisticRegression().fit(X, y)
    broken = SparseLinearClassifier(max_features=99)  # more features than X has: its fit refuses
    frontier = fidelity_frontier(teacher, X, students=[broken, SparseLinearClassifier(alpha=0.01)], target=0.5)
    error = frontier.rows[0]["error"]
    assert error is not None and "failed: " + error.splitlines()[0][:20] in str(frontier)
    assert "None" not in str(frontier).splitlines()[3]  # no complexity: "-", not "None None"
    with pytest.raises(ValueError, match="No student of the grid could be fitted.*max_features"):
        fidelity_frontier(teacher, X, students=[broken, SparseLinearClassifier(max_features=50)])


# -- take_rows keeps what a frame is ------------------------------------------------------------
def test_take_rows_keeps_polars_names_and_sparse_rows():
    import scipy.sparse as sp

    from glassbox.surrogate._outputs import take_rows

    X = np.arange(12.0).reshape(4, 3)
    rows = [2, 0]
    np.testing.assert_array_equal(take_rows(X, rows), X[rows])
    np.testing.assert_array_equal(take_rows(X.tolist(), rows), X[rows])
    for matrix in (sp.csr_matrix(X), sp.coo_matrix(X), sp.csc_array(X), sp.dia_matrix(X)):
        taken = take_rows(matrix, rows)
        assert sp.issparse(taken)
        np.testing.assert_array_equal(taken.toarray(), X[rows])
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "colour": ["r", "g", "b", "r"]})
    taken = take_rows(frame, rows)
    assert isinstance(taken, pl.DataFrame) and taken.columns == ["a", "colour"]
    assert taken["colour"].to_list() == ["b", "r"] and taken.schema == frame.schema


# -- a column no binning reads leaves the segment table, not the report ------------------------
def test_fidelity_report_leaves_ids_and_dates_out_of_the_segments():
    import pandas as pd
    from sklearn.compose import make_column_transformer
    from sklearn.pipeline import make_pipeline
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(0)
    n = 600
    X = pd.DataFrame({"customer_id": [f"C{i:05d}" for i in range(n)], "a": rng.normal(size=n),
                      "applied": pd.date_range("2024-01-01", periods=n, freq="h")})
    y = (X["a"] > 0.2).astype(int)

    def dropping(model):
        columns = make_column_transformer(("drop", ["customer_id", "applied"]), remainder="passthrough")
        return make_pipeline(columns, model).fit(X, y)

    teacher, student = dropping(LogisticRegression()), dropping(DecisionTreeClassifier(max_depth=1, random_state=0))
    report = fidelity_report(teacher, student, X)
    assert report.agreement == pytest.approx(np.mean(teacher.predict(X) == student.predict(X)))
    assert {feature for feature, *_ in report.segments} == {"a"}
    assert [feature for feature, _ in report.unsegmented] == ["customer_id", "applied"]
    assert "600 levels" in report.unsegmented[0][1] and "dates" in report.unsegmented[1][1]
    assert "not segmented" in str(report) and report.to_dict()["unsegmented"][0][0] == "customer_id"
    # the segments of the column it reads are those of a frame holding that column alone
    alone = fidelity_report(lambda Z: teacher.predict(X.loc[Z.index]), lambda Z: student.predict(X.loc[Z.index]),
                            X[["a"]], task="classification")
    assert alone.segments == report.segments and alone.unsegmented == ()


# -- a function's classification output is labels or probabilities, checked ---------------
def test_function_outputs_that_are_neither_labels_nor_probabilities_are_refused():
    X, y = _labelled_rows((0, 1))
    model = LogisticRegression().fit(X, y)
    p = lambda Z: model.predict_proba(Z)[:, 1]  # noqa: E731
    with pytest.raises(ValueError, match=r"non-integer numbers of shape \(300,\).*np.column_stack\(\[1 - p, p\]\)"):
        DistilledClassifier(p, ToyLogisticClassifier()).fit(X)
    with pytest.raises(ValueError, match="teacher function returned non-integer"):
        fidelity_report(p, model, X, task="classification")
    logits = lambda Z: np.log(model.predict_proba(Z))  # noqa: E731
    with pytest.raises(ValueError, match=r"not class probabilities \(values outside \[0, 1\] in 300 of 300 rows"):
        DistilledClassifier(logits, ToyLogisticClassifier()).fit(X)
    halves = lambda Z: 0.5 * model.predict_proba(Z)  # noqa: E731
    with pytest.raises(ValueError, match=r"student function returned a 2-D output .*rows not summing to 1"):
        fidelity_report(model, halves, X)
    # float labels and float32 probabilities pass
    as_float = fidelity_report(lambda Z: model.predict(Z).astype(float), model, X, task="classification")
    assert as_float.agreement == 1.0
    single = fidelity_report(lambda Z: model.predict_proba(Z).astype(np.float32), model, X, task="classification")
    assert single.agreement == 1.0
    # float16 probabilities sum to 1 only within float16's precision (about 1e-3): they pass too, from a
    # function and from a model's predict_proba
    half = fidelity_report(lambda Z: model.predict_proba(Z).astype(np.float16), model, X, task="classification",
                           classes=[0, 1])
    assert half.agreement > 0.95
    assert fidelity_report(_ProbaOf(model, lambda p: p.astype(np.float16)), model, X).agreement > 0.95


class _ProbaOf:
    """A model whose predict_proba returns what ``proba`` makes of a logistic model's."""

    def __init__(self, model, proba):
        self.model, self.proba, self.classes_ = model, proba, model.classes_

    def predict_proba(self, X):
        return self.proba(self.model.predict_proba(X))

    def predict(self, X):
        return self.model.predict(X)


@pytest.mark.parametrize("proba, message", [
    (lambda p: p[:, 1], r"predict_proba returned an array of shape \(300,\); .*one column per class.*"
                        r"np.column_stack\(\[1 - p, p\]\)"),
    (lambda p: 0.7 * p, r"predict_proba returned values that are not class probabilities \(rows not summing to 1 in "
                        r"300 of 300 rows \(one sums to 0.7\)\).*p / p.sum\(axis=1, keepdims=True\)"),
    (lambda p: np.column_stack([p, p[:, :1]]), r"predict_proba returned values that are not class probabilities "
                                               r"\(rows not summing to 1"),
    (lambda p: p * 3 - 1, r"predict_proba returned values that are not class probabilities \(values outside "
                          r"\[0, 1\] in \d+ of 300 rows"),
])
def test_a_models_predict_proba_that_is_not_probabilities_is_refused(proba, message):
    from glassbox.surrogate import LocalSurrogate

    X, y = _labelled_rows((0, 1))
    teacher = _ProbaOf(LogisticRegression().fit(X, y), proba)
    with pytest.raises(ValueError, match="teacher's " + message):
        DistilledClassifier(teacher, ToyLogisticClassifier()).fit(X)
    with pytest.raises(ValueError, match="teacher's " + message):
        fidelity_report(teacher, teacher.model, X)
    with pytest.raises(ValueError, match="model's " + message):
        LocalSurrogate(teacher).fit(X)
    # float32 probabilities sum to 1 only to their precision: they pass
    single = _ProbaOf(teacher.model, lambda p: p.astype(np.float32))
    assert fidelity_report(single, teacher.model, X).agreement == 1.0


# -- a margin is no probability --------------------------------------------------------------
def test_a_margin_only_teacher_has_no_probabilities():
    from sklearn.linear_model import RidgeClassifier
    from sklearn.svm import LinearSVC

    from glassbox.surrogate import LocalSurrogate

    X, y = _labelled_rows(("no", "yes"), n=400)
    ridge, svm = RidgeClassifier().fit(X, y), LinearSVC().fit(X, y)
    report = fidelity_report(ridge, svm, X)
    for name in ("probability_r2", "probability_mae", "logit_r2", "logit_mae"):
        assert report.metrics[name] is None
    assert report.agreement == np.mean(ridge.predict(X) == svm.predict(X))
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    assert report.spearman == pytest.approx(spearmanr(ridge.decision_function(X), svm.decision_function(X)).statistic)
    assert report.rank_auc == pytest.approx(roc_auc_score(ridge.predict(X) == "yes", svm.decision_function(X)))
    # the copy learns the labels, not expit(margin)
    copy = DistilledClassifier(ridge, ToyLogisticClassifier(), random_state=0).fit(X)
    labels_copy = DistilledClassifier(ridge, ToyLogisticClassifier(), target="labels", random_state=0).fit(X)
    assert copy.target_ == "labels"
    np.testing.assert_array_equal(copy.student_.coef_, labels_copy.student_.coef_)
    # the local surrogate explains the margin on its own scale
    explainer = LocalSurrogate(ridge, n_samples=300, n_holdout=0, random_state=0).fit(X)
    assert not explainer.has_probabilities_ and explainer.explain_local(X[:3]).link.name == "identity"
    np.testing.assert_allclose(explainer.local_fits(X[:3]).model_output, ridge.decision_function(X[:3]))
    assert "decision function (yes)" in str(explainer.explain_local(X[:1]))
    with pytest.raises(ValueError, match="has no predict_proba: its decision function is a margin"):
        LocalSurrogate(ridge, output="probability").fit(X)


# -- a flag is perturbed as a flag ----------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["bool", "boolean"])
def test_local_surrogate_flips_flags_instead_of_adding_noise(dtype):
    import pandas as pd

    from glassbox.surrogate import LocalSurrogate

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"smoker": pd.array(rng.random(300) < 0.3, dtype=dtype), "age": rng.integers(18, 80, 300) * 1.0})
    seen = []

    def risk(Z):
        seen.append(Z["smoker"])
        return 0.05 * Z["age"].to_numpy() + 2.0 * Z["smoker"].to_numpy(dtype=float)

    explainer = LocalSurrogate(risk, task="regression", random_state=0, n_samples=400, n_holdout=0).fit(X)
    assert explainer.is_boolean_.tolist() == [True, False]
    fits = explainer.local_fits(X.iloc[:3])
    asked = pd.concat(seen[1:])
    assert str(asked.dtype) == dtype and set(asked.astype(bool)) == {True, False}
    share = float(np.mean(asked.to_numpy(dtype=float)))
    assert abs(share - X["smoker"].to_numpy(dtype=float).mean()) < 0.05  # drawn with the training share
    # the model is linear in the flag: its local slope is the flag's effect, exactly
    np.testing.assert_allclose(fits.coefficients, [[2.0, 0.05]] * 3, atol=1e-9)
    np.testing.assert_allclose(fits.local_prediction, risk(X.iloc[:3]), atol=1e-9)


def test_local_surrogate_holds_a_missing_flag_and_varies_the_others():
    import pandas as pd

    from glassbox.surrogate import LocalSurrogate

    rng = np.random.default_rng(0)
    smoker = pd.array(rng.random(300) < 0.3, dtype="boolean")
    smoker[0] = pd.NA
    X = pd.DataFrame({"smoker": smoker, "member": rng.random(300) < 0.5, "age": rng.integers(18, 80, 300) * 1.0})
    seen = []

    def risk(Z):
        seen.append(Z)
        return 0.05 * Z["age"].to_numpy() + 2.0 * Z["smoker"].fillna(False).to_numpy(dtype=float) - Z["member"]

    explainer = LocalSurrogate(risk, task="regression", random_state=0, n_samples=400, n_holdout=0).fit(X)
    fits = explainer.local_fits(X.iloc[:2])
    asked = pd.concat(seen[1:])
    per_row = len(asked) // 2
    first, second = asked.iloc[:per_row], asked.iloc[per_row:]
    assert first["smoker"].isna().all()  # a missing flag is never varied ...
    assert set(first["member"]) == {True, False}  # ... while the row's other flag is
    assert second["smoker"].notna().all() and set(second["smoker"]) == {True, False}
    assert fits.coefficients[0, 0] == 0.0  # the held flag gets no local effect
    np.testing.assert_allclose(fits.coefficients[1], [2.0, -1.0, 0.05], atol=1e-9)


# -- fidelity weighted by sample_weight --------------------------------------------------------
@pytest.mark.parametrize("task", ["classification", "regression"])
def test_fidelity_weights_count_as_copies_of_rows(task):
    from sklearn.linear_model import LinearRegression

    X, y = _labelled_rows((0, 1, 2), n=240) if task == "classification" else _labelled_rows((0, 1), n=240)
    rng = np.random.default_rng(1)
    weights = rng.integers(0, 4, len(X)).astype(float)
    copies = np.repeat(np.arange(len(X)), weights.astype(int))
    if task == "classification":
        y = np.where(X[:, 1] > 0.8, 2, y)
        teacher, student = LogisticRegression().fit(X, y), LogisticRegression(C=0.01).fit(X[:, :1], y)
        student_fn = lambda Z: student.predict_proba(np.asarray(Z)[:, :1])  # noqa: E731
        kwargs = {"task": "classification", "classes": [0, 1, 2]}
    else:
        target = X[:, 0] + X[:, 1] ** 2
        teacher, student = LinearRegression().fit(X ** 2, target), LinearRegression().fit(X, target)
        teacher_model = teacher
        teacher = lambda Z: teacher_model.predict(np.asarray(Z) ** 2)  # noqa: E731
        student_fn, kwargs = student.predict, {"task": "regression"}
    weighted = fidelity_report(teacher, student_fn, X, sample_weight=weights, **kwargs)
    copied = fidelity_report(teacher, student_fn, X[copies], **kwargs)
    for name, value in copied.metrics.items():
        assert weighted.metrics[name] == pytest.approx(value, rel=1e-9, abs=1e-12), name
    assert [a for *_, a in weighted.per_class] == pytest.approx([a for *_, a in copied.per_class])
    assert weighted.n_samples == np.count_nonzero(weights)
    assert all(weights[row] > 0 for row, *_ in weighted.worst_rows)
    assert [d for *_, d in weighted.segments] == pytest.approx(sorted((d for *_, d in weighted.segments), reverse=True))


def test_distilled_fidelity_is_weighted_as_the_fit():
    X, y = _labelled_rows((0, 1), n=300)
    teacher = LogisticRegression().fit(X, y)
    weights = np.where(np.arange(300) % 5 == 0, 0.0, 1.0)
    copy = DistilledClassifier(teacher, ToyLogisticClassifier(), random_state=0).fit(X, sample_weight=weights)
    kept = weights > 0
    assert copy.fidelity_.n_samples == int(kept.sum())
    assert copy.fidelity_.agreement == pytest.approx(np.mean(copy.predict(X[kept]) == teacher.predict(X[kept])))
