"""DecisionPath on its own: a hand-built rule list's path, its table, text, rows, JSON and lazy values."""

import numpy as np
import pandas as pd
import pytest

from glassbox.explain import Condition, DecisionPath, Link, LocalExplanation
from glassbox.explain._columns import ObjectRows
from glassbox.explain.decision_path import failure_text

AGE = Condition("age", ">=", 40.0)
RED = Condition("colour", "==", "red")
LOW = Condition("income", "<", 10.0)
RULES = ((AGE, RED), (LOW,))
# rows: age, colour, income
ROWS = np.array([[50.0, "red", 5.0], [30.0, "red", 5.0], [np.nan, "blue", 20.0], [45.0, "mauve", 3.0]], dtype=object)


def _path(kind="list"):
    if kind == "list":
        # row 0: rule 1 fires; row 1: AGE false, rule 2 fires; row 2: AGE missing, LOW false, default;
        # row 3: RED false on an unseen category, rule 2 fires
        failed = [[-1, -2], [0, -1], [0, 0], [1, -1]]
        reasons = [[0, 0], [0, 0], [1, 0], [2, 0]]
        fired = [0, 1, 2, 1]
    else:
        failed = [[-1, -1], [0, -1], [0, 0], [1, -1]]
        reasons = [[0, 0], [0, 0], [1, 0], [2, 0]]
        fired = [0, 1, 2, 1]
    return DecisionPath(kind=kind, rules=RULES, fired=fired, failed=failed, reasons=reasons)


def _explanation(path, values=ROWS, labels=None):
    n = len(values)
    return LocalExplanation(
        model="hand", term_names=("r1", "r2", "default"), base_value=np.zeros(()),
        contributions=np.zeros((n, 3)), feature_names=("age", "colour", "income"), feature_values=values,
        decision=np.zeros(n), prediction=np.zeros(n, dtype=int), link=Link("logit"), classes=np.array([0, 1]),
        row_labels=labels, decision_path=path,
    )


def test_list_path_table_and_text():
    explanation = _explanation(_path(), labels=["p", "q", "r", "s"])
    frame = explanation.decision_path_frame()
    assert list(frame.columns) == ["row", "rule", "outcome", "condition", "feature", "value", "reason"]
    assert list(frame.index) == ["p", "q", "q", "r", "r", "r", "s", "s"]
    assert list(frame["rule"]) == ["1", "1", "2", "1", "2", "default", "1", "2"]
    assert list(frame["outcome"]) == ["fired", "failed", "fired", "failed", "failed", "fired", "failed", "fired"]
    assert list(frame["condition"]) == [
        None, "age >= 40", None, "age >= 40", "income < 10", None, "colour == red", None]
    assert list(frame["reason"]) == [None, "false", None, "missing", "false", None, "unseen", None]
    assert frame["value"].iloc[1] == 30.0 and np.isnan(frame["value"].iloc[3]) and frame["value"].iloc[6] == "mauve"
    assert tuple(explanation.notes) == (
        "rule 1 fired",
        "rule 1 skipped: age >= 40 is false (age = 30); rule 2 fired",
        "rule 1 skipped: age >= 40 is false (age is missing); rule 2 skipped: income < 10 is false (income = 20); "
        "default fired",
        "rule 1 skipped: colour == red is false (colour = mauve, a category not seen in training); rule 2 fired",
    )
    assert "why: rule 1 skipped: age >= 40 is false (age = 30); rule 2 fired" in str(explanation)


def test_set_path_lists_every_rule():
    explanation = _explanation(_path("set"))
    frame = explanation.decision_path_frame()
    assert list(frame["outcome"][frame["row"] == 0]) == ["fired", "outranked"]
    assert explanation.notes[0] == "rule 1 fired (it outranks rules 2, which also cover the row)"
    assert explanation.notes[1] == "rule 2 fired"
    # a set's note names the rules that failed on a missing value or an unseen category
    assert explanation.notes[2] == ("no rule covers this row; the default fired; "
                                    "rule 1 does not apply: age >= 40 is false (age is missing)")
    assert explanation.notes[3] == ("rule 2 fired; rule 1 does not apply: colour == red is false "
                                    "(colour = mauve, a category not seen in training)")
    family = DecisionPath(kind="set", rules=RULES, fired=[0, 1, 2, 1], failed=_path("set").failed,
                          reasons=_path("set").reasons, notes=lambda i: f"family note {i}")
    assert tuple(_explanation(family).notes)[1:3] == (
        "family note 1", "family note 2; rule 1 does not apply: age >= 40 is false (age is missing)")
    assert _explanation(family).row(2).notes[0] == "family note 2; rule 1 does not apply: age >= 40 is false " \
        "(age is missing)"


def test_json_rows_and_lazy_values_agree():
    explanation = _explanation(_path())
    again = LocalExplanation.from_json(explanation.to_json())
    assert again == explanation and again.decision_path.to_dict() == explanation.decision_path.to_dict()
    pd.testing.assert_frame_equal(again.decision_path_frame(), explanation.decision_path_frame())
    assert explanation.row(2).notes[0] == explanation.notes[2]
    numeric = np.array([[50.0, 0, 5.0], [30.0, 0, 5.0], [np.nan, 0, 20.0], [45.0, 0, 3.0]])
    lazy = ObjectRows(numeric, {1: ROWS[:, 1].copy()})
    rows, columns = np.array([3, 0, 2, 1]), np.array([1, 0, 2, 1])
    assert list(lazy.take_cells(rows, columns)) == list(ROWS[rows, columns])
    from_lazy = _explanation(_path(), values=lazy)
    pd.testing.assert_frame_equal(from_lazy.decision_path_frame(), explanation.decision_path_frame())
    assert "_lazy_values" in from_lazy.__dict__  # the table and the text did not build the object table
    assert tuple(from_lazy.notes) == tuple(explanation.notes)


def test_path_must_fit_the_rows():
    with pytest.raises(ValueError, match="decision_path has 4 rows for 2"):
        _explanation(_path(), values=ROWS[:2]).decision_path  # noqa: B018


@pytest.mark.parametrize("threshold, value, shown", [
    (0.5, -0.1321048632913019, "-0.1321"),  # four significant digits of a full-precision value
    (1000178.87, 1000178.86, "1000178.86"),  # more where four would round it past the threshold
    (2.0, 1.99999, "1.99999"),
    (85082.18, 85082.18, "85082.18"),  # a value at the threshold prints as the threshold does
])
def test_the_why_shows_a_value_short_but_on_its_side_of_the_threshold(threshold, value, shown):
    op = ">=" if value < threshold else "<"
    text = failure_text(Condition("x", op, threshold), value, "false")
    assert text.endswith(f"(x = {shown})")
    assert (float(shown) >= threshold) == (value >= threshold)


@pytest.mark.parametrize("dtype", ["int64", "int8", "Int64"])
@pytest.mark.parametrize("n_rows", [6, 100_000])  # the object table built at once, and deferred (ObjectRows)
def test_an_integer_column_value_shows_as_an_integer(dtype, n_rows):
    import warnings

    from glassbox.rules import DecisionSetClassifier

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": pd.array(rng.integers(18, 80, n_rows), dtype=dtype), "x": rng.normal(size=n_rows)})
    if dtype == "Int64":
        X.loc[0, "age"] = pd.NA
    fit_rows = X.iloc[:400].dropna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = DecisionSetClassifier(random_state=0).fit(fit_rows, fit_rows["age"] >= 50)
        local = clf.explain_local(X)
    frame = local.decision_path_frame()
    failed = frame.loc[(frame["outcome"] == "failed") & (frame["feature"] == "age"), "value"]
    shown = [v for v in failed.tolist() if v == v]  # NaN: the missing value
    assert shown and all(type(v) is int for v in shown), shown[:5]
    assert all(type(v) is int or v != v for v in local.feature_values[:6, 0].tolist())
    assert all(type(v) is float for v in local.feature_values[:6, 1].tolist())  # a float column stays float
    if n_rows == 6:
        loaded = LocalExplanation.from_json(local.to_json())
        assert loaded == local and loaded.decision_path_frame()["value"].equals(frame["value"])


def test_integer_values_beyond_int64_keep_their_value():
    from glassbox import SparseLinearRegressor

    X = pd.DataFrame({"id": np.array([2**63 + 4096, 5, 2**64 - 8192, 7], dtype=np.uint64), "b": [1.0, 2, 3, 4]})
    local = SparseLinearRegressor(alpha=0.0).fit(X, [1.0, 2, 3, 4.5]).explain_local(X)
    assert local.feature_values[:, 0].tolist() == [2**63 + 4096, 5, 2**64 - 8192, 7]
    assert all(type(v) is int for v in local.feature_values[:, 0])
