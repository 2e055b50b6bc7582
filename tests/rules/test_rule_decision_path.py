"""The local "why" of rule models as data: decision paths of rule lists and decision sets, and values
never seen in training at predict time."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import BayesianRuleListClassifier, DecisionSetClassifier
from glassbox.explain import Condition, LocalExplanation
from glassbox.explain._columns import is_missing
from glassbox.explain.decision_path import PathNotes

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")


def _mixed(n=300, seed=0):
    """Ages, prior counts (10% missing in training), a categorical sex and a feature no risk depends on."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({
        "age": rng.randint(18, 80, n).astype(float),
        "priors": np.where(rng.rand(n) < 0.1, np.nan, rng.poisson(2.0, n)),
        "sex": pd.Categorical(rng.choice(["male", "female"], n)),
        "noise": rng.normal(size=n),
    })
    risk = 0.06 * (40 - X["age"]) + 0.5 * X["priors"].fillna(4.0) + 0.8 * (X["sex"] == "male")
    return X, (risk + rng.normal(scale=0.7, size=n) > 1.0).to_numpy().astype(int)


def _new_rows():
    """Rows with what training never had: a missing age, an unseen sex; plus ordinary rows."""
    return pd.DataFrame(
        {"age": [25.0, np.nan, 60.0, 33.0, np.nan], "priors": [np.nan, 1.0, 0.0, 6.0, 2.0],
         "sex": ["male", "female", "other", "female", "male"], "noise": [0.0, np.nan, 1.0, 0.0, 0.0]},
        index=["a", "b", "c", "d", "e"],
    )


@pytest.fixture(scope="module")
def brl():
    X, y = _mixed()
    return BayesianRuleListClassifier(n_iter=3000, random_state=0).fit(X, y), X, y


@pytest.fixture(scope="module")
def decision_set():
    X, y = _mixed()
    return DecisionSetClassifier(max_rules=6, pool_size=300, n_restarts=1, random_state=0,
                                 tune_weights=False).fit(X, y), X, y


def _expected_path(rules, X, kind):
    """Brute force on the raw values: every rule's first false condition and why, row by row."""
    entries = []
    for row in range(len(X)):
        fired = None
        for j, rule in enumerate(rules):
            holds = [c.evaluate_column(X[c.feature].to_numpy(dtype=object)[[row]])[0] for c in rule]
            first_false = next((c for c, h in zip(rule, holds) if not h), None)
            if first_false is None:
                outcome = "fired" if fired is None else "outranked"
                fired = j if fired is None else fired
                entries.append((row, str(j + 1), outcome, None, None))
            else:
                value = X[first_false.feature].to_numpy(dtype=object)[row]
                known = first_false.feature != "sex" or value in {"male", "female"}  # the training levels
                reason = "missing" if is_missing(np.array([value], dtype=object))[0] else (
                    "false" if known else "unseen")
                entries.append((row, str(j + 1), "failed", str(first_false), reason))
            if kind == "list" and fired is not None:
                break
        if fired is None:
            entries.append((row, "default", "fired", None, None))
    return entries


def _observed_path(frame):
    out = []
    for row, rule, outcome, condition, reason in frame[["row", "rule", "outcome", "condition", "reason"]].itertuples(
            index=False):
        absent = lambda v: v is None or (isinstance(v, float) and v != v)  # noqa: E731
        out.append((row, rule, outcome, None if absent(condition) else condition, None if absent(reason) else reason))
    return out


def _hand_built_list():
    """A list set by hand over two features (one categorical), with a feature no rule tests."""
    X, y = _mixed(n=200, seed=3)
    X = X.assign(priors=X["priors"].fillna(1.0))  # never missing in training
    clf = BayesianRuleListClassifier(n_iter=300, random_state=0).fit(X, y)
    conditions = {str(c): c for c in clf.condition_generator_.conditions_}
    age_ge = next(c for c in clf.condition_generator_.conditions_ if c.feature == "age" and c.op == ">=")
    priors_lt = next(c for c in clf.condition_generator_.conditions_ if c.feature == "priors" and c.op == "<")
    rules = [(conditions["sex == male"], age_ge), (priors_lt,), (age_ge,)]
    return clf.set_rules(rules, X, y), X, y


def test_hand_built_list_matches_brute_force_on_every_row():
    clf, X, _ = _hand_built_list()
    rows = pd.concat([X.iloc[:40], _new_rows()[X.columns]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the new rows' missing age and unseen sex: tested below
        explanation = clf.explain_local(rows)
    frame = explanation.decision_path_frame()
    assert _observed_path(frame) == _expected_path(clf.rules_, rows.reset_index(drop=True), "list")
    failed = frame[frame["outcome"] == "failed"]
    raw = rows.to_numpy(dtype=object)
    columns = [list(rows.columns).index(f) for f in failed["feature"]]
    assert all(v is raw[r, j] or v == raw[r, j] or (v != v and raw[r, j] != raw[r, j])
               for v, r, j in zip(failed["value"], failed["row"], columns))
    assert set(frame.index[frame["row"] == 40]) == {"a"} and set(frame.index[frame["row"] == 3]) == {3}  # X's labels
    assert set(frame.loc["b", "reason"].dropna()) >= {"missing"} and "unseen" in set(frame.loc["c", "reason"].dropna())


def test_rule_list_path_agrees_with_predictions_and_text(brl):
    clf, X, _ = brl
    explanation = clf.explain_local(X)
    path = explanation.decision_path
    np.testing.assert_array_equal(path.fired, clf._deciding_rule(clf._prepare(X)[0]))
    np.testing.assert_array_equal(clf.rule_probabilities_[path.fired], clf.predict_proba(X))  # exactly
    frame = explanation.decision_path_frame()
    assert (frame.groupby("row")["outcome"].agg(lambda o: (o == "fired").sum()) == 1).all()
    assert _observed_path(frame) == _expected_path(clf.rules_, X, "list")
    for row, note in enumerate(explanation.notes):
        entries = frame[frame["row"] == row]
        checked = list(zip(entries["rule"], entries["condition"]))[:-1]  # the last is the one that fired
        expected = [f"rule {rule} skipped: {condition} is false" for rule, condition in checked]
        assert [part.split(" (")[0] for part in note.split("; ")[:-1]] == expected
        last = entries["rule"].iloc[-1]
        assert note.endswith("default fired" if last == "default" else f"rule {last} fired")


@pytest.mark.parametrize("make", ["brl", "decision_set"])
def test_missing_and_unseen_values_are_named_in_path_and_text(make, request):
    clf, X, _ = request.getfixturevalue(make)
    rows = _new_rows()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        explanation = clf.explain_local(rows)
    frame = explanation.decision_path_frame()
    for label, reason, feature in frame.loc[frame["outcome"] == "failed", ["reason", "feature"]].itertuples():
        value = rows.loc[label, feature]
        assert reason == ("missing" if pd.isna(value) else "unseen" if value == "other" else "false")
        note = explanation.notes[list(rows.index).index(label)]
        assert (f"{feature} is missing" in note) if reason == "missing" else True
        assert ("a category not seen in training" in note) if reason == "unseen" else True
    assert (frame["reason"] == "missing").any()  # the rows' missing values do reach the rules


def test_path_round_trips_through_json_and_older_payloads_load(brl):
    clf, X, _ = brl
    explanation = clf.explain_local(X.iloc[:25])
    again = LocalExplanation.from_json(explanation.to_json())
    assert again == explanation
    pd.testing.assert_frame_equal(again.decision_path_frame(), explanation.decision_path_frame())
    assert tuple(again.notes) == tuple(explanation.notes)
    payload = explanation.to_dict()
    del payload["decision_path"]  # what an earlier version wrote
    older = LocalExplanation.from_dict(payload)
    assert older.decision_path is None and tuple(older.notes) == tuple(explanation.notes)
    with pytest.raises(ValueError, match="no decision path"):
        older.decision_path_frame()


def test_notes_are_built_when_read_and_rows_keep_their_path(brl):
    clf, X, _ = brl
    explanation = clf.explain_local(X)
    assert isinstance(explanation.notes, PathNotes) and len(explanation.notes) == len(X)
    for i in (0, 7, len(X) - 1):
        one = explanation.row(i)
        assert one.notes[0] == explanation.notes[i]
        frame = one.decision_path_frame()
        full = explanation.decision_path_frame()
        pd.testing.assert_frame_equal(frame.drop(columns="row"),
                                      full[full["row"] == i].drop(columns="row"))
    html = explanation._repr_html_()
    assert "Decision path of the first 5 rows" in html and "condition that failed" in html


def test_decision_set_path_lists_every_rule_and_agrees_with_predictions(decision_set):
    clf, X, _ = decision_set
    explanation = clf.explain_local(X)
    path = explanation.decision_path
    assert path.kind == "set" and path.failed.shape == (len(X), len(clf.rules_))
    frame = explanation.decision_path_frame()
    rules = [rule.conditions for rule in clf.rules_]
    assert _observed_path(frame) == _expected_path(rules, X, "set")
    scores = np.array([r.probabilities for r in list(clf.rules_) + [clf.default_rule_]])
    np.testing.assert_array_equal(scores[path.fired], clf.predict_proba(X))
    # the text says which rules cover each row, from the same path
    for row, note in enumerate(explanation.notes):
        covering = [j + 1 for j in np.flatnonzero(path.failed[row] == -1)]
        if not covering:
            assert note.startswith("no rule covers this row")
        else:
            assert note.count("rule ") >= len(covering) and all(f"rule {j} (" in note for j in covering)


@pytest.mark.parametrize("make", ["brl", "decision_set"])
def test_values_never_seen_in_training_warn_like_the_gam(make, request):
    clf, X, _ = request.getfixturevalue(make)
    tested = {c.feature for rule in clf.rules_ for c in getattr(rule, "conditions", rule)}
    assert "age" in tested and "noise" not in tested, tested  # the premises of what follows
    rows = X.iloc[:3].copy()
    rows["age"] = rows["age"].astype(object)
    rows.iloc[0, rows.columns.get_loc("age")] = np.nan
    with pytest.warns(UserWarning, match=r"^Feature 'age' has missing values, but none in training: they "
                      r"satisfy no condition on it, .* Impute them if that is not what you want\.$"):
        clf.predict(rows)
    untested = X.iloc[:2].copy()
    untested["noise"] = np.nan
    untested["sex"] = untested["sex"].astype(object)
    untested.iloc[0, untested.columns.get_loc("sex")] = "other"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # features no rule tests: a missing value or a new category changes nothing
        if "sex" not in tested:
            clf.predict(untested)
        else:
            clf.predict(untested.assign(sex=X["sex"].iloc[:2].to_numpy()))


def test_unseen_category_of_a_tested_feature_warns():
    clf, X, _ = _hand_built_list()  # its first rule tests sex == male
    unseen = X.iloc[:2].copy()
    unseen["sex"] = unseen["sex"].astype(object)
    unseen.iloc[0, unseen.columns.get_loc("sex")] = "other"
    with pytest.warns(UserWarning, match=r"^Feature 'sex' has categories not seen in training: \['other'\]; they "
                      r"satisfy no condition on it, so no rule that tests it fires for them\.$"):
        clf.predict(unseen)


def test_explain_local_warns_once_per_feature():
    clf, _, _ = _hand_built_list()  # tests sex, age and priors (none missing in training); not noise
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf.explain_local(_new_rows())  # two rows miss age, two priors, one noise; one sex is new
    heads = sorted(str(w.message).split(": they")[0].split("; they")[0]
                   for w in caught if issubclass(w.category, UserWarning))
    assert heads == ["Feature 'age' has missing values, but none in training",
                     "Feature 'priors' has missing values, but none in training",
                     "Feature 'sex' has categories not seen in training: ['other']"]


def test_hand_built_path_validates_its_shape():
    from glassbox.explain import DecisionPath

    rules = ((Condition("x", ">=", 1.0),),)
    with pytest.raises(ValueError, match="kind"):
        DecisionPath(kind="tree", rules=rules, fired=[0], failed=[[-1]], reasons=[[0]])
    with pytest.raises(ValueError, match="shape"):
        DecisionPath(kind="list", rules=rules, fired=[0, 1], failed=[[-1]], reasons=[[0]])
    with pytest.raises(ValueError, match="fired holds"):
        DecisionPath(kind="list", rules=rules, fired=[2], failed=[[0]], reasons=[[0]])


def test_decision_set_notes_are_written_when_read_and_survive_rows_and_json(decision_set):
    clf, X, _ = decision_set
    explanation = clf.explain_local(X.iloc[:60])
    assert isinstance(explanation.notes, PathNotes)
    for i in (0, 31, 59):
        assert explanation.row(i).notes[0] == explanation.notes[i]
    again = LocalExplanation.from_json(explanation.to_json())
    assert again == explanation and tuple(again.notes) == tuple(explanation.notes)
    pd.testing.assert_frame_equal(again.decision_path_frame(), explanation.decision_path_frame())


@pytest.mark.parametrize("make", ["brl", "decision_set"])
def test_multiclass_path_gives_predict_proba_exactly(make):
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True, as_frame=True)
    clf = (BayesianRuleListClassifier(n_iter=1000, random_state=0) if make == "brl" else
           DecisionSetClassifier(max_rules=5, pool_size=200, n_restarts=1, random_state=0, tune_weights=False))
    clf.fit(X, y)
    path = clf.explain_local(X).decision_path
    if make == "brl":
        probabilities = clf.rule_probabilities_
        rules = clf.rules_
    else:
        probabilities = np.array([r.probabilities for r in list(clf.rules_) + [clf.default_rule_]])
        rules = [r.conditions for r in clf.rules_]
    np.testing.assert_array_equal(probabilities[path.fired], clf.predict_proba(X))
    assert _observed_path(clf.explain_local(X).decision_path_frame()) == _expected_path(rules, X, path.kind)


@pytest.mark.parametrize("make", ["brl", "decision_set"])
def test_explanations_with_a_path_pickle(make, request):
    import pickle

    clf, X, _ = request.getfixturevalue(make)
    explanation = clf.explain_local(X.iloc[:20])
    for copy in (pickle.loads(pickle.dumps(explanation)), pickle.loads(pickle.dumps(explanation.row(3)))):
        assert copy == (explanation if len(copy) == 20 else explanation.row(3))
        assert tuple(copy.notes) == tuple(explanation.notes if len(copy) == 20 else explanation.row(3).notes)


def test_an_empty_list_explains_every_row_by_its_default():
    X, y = _mixed(n=120)
    clf = BayesianRuleListClassifier(max_rules=0, n_iter=300, random_state=0).fit(X, y)
    assert clf.rules_ == [] or len(clf.rules_) == 0
    explanation = clf.explain_local(X.iloc[:4])
    frame = explanation.decision_path_frame()
    assert frame["rule"].tolist() == ["default"] * 4 and frame["outcome"].tolist() == ["fired"] * 4
    np.testing.assert_array_equal(explanation.probabilities, clf.predict_proba(X.iloc[:4]))
    again = LocalExplanation.from_json(explanation.to_json())
    assert again.decision_path.failed.shape == (4, 0) and list(again.notes) == list(explanation.notes)


@pytest.mark.parametrize("make", ["brl", "decision_set"])
def test_global_frame_numbers_rules_as_the_printout_and_the_path_do(make, request):
    # to_frame() numbered the first rule 0 while the printout, its HTML, the notes and decision_path_frame()
    # call it rule 1: joining a path to the rules' frame on "rule" paired each row with the rule below its own
    clf, X, _ = request.getfixturevalue(make)
    explanation = clf.explain_global()
    frame = explanation.to_frame()
    assert list(frame["rule"]) == [str(i + 1) for i in range(len(explanation.rules))] + ["default"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = clf.explain_local(X.iloc[:50]).decision_path_frame()
    fired = path[path["outcome"] == "fired"].merge(frame, on="rule", how="left")
    assert fired["conditions"].notna().all()
    deciding = explanation.deciding_rule(X.iloc[:50])
    texts = [str(rule) for rule in explanation.rules] + ["default"]
    assert list(fired["conditions"]) == [texts[d] for d in deciding]
