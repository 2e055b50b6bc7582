"""``verbose``: every long-running estimator says its stages, prints nothing at 0, and fits the same model."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris

from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

import glassbox as gb


def _binary():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X.iloc[:300, :6], y.iloc[:300]


def _multiclass():
    return load_iris(return_X_y=True)


def _regression():
    X, y = load_diabetes(return_X_y=True)
    return X[:300], y[:300]


def _counts():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 4))
    return X, rng.poisson(np.exp(0.5 + 0.4 * X[:, 0]))


# name -> (estimator, data, substrings a verbose=1 fit prints)
CASES = {
    "GAMClassifier": (lambda: gb.GAMClassifier(outer_bags=2, interactions=2, random_state=0), _binary,
                      ["binned 6 features", "2 outer bags", "mains: 6 terms boosted on 2 bags, best rounds",
                       "mean validation loss", "pairs: 2 chosen", "pairs: 2 terms boosted", "fitted 8 terms"]),
    "GAMClassifier-multiclass": (lambda: gb.GAMClassifier(outer_bags=2, interactions=1, random_state=0),
                                 _multiclass, ["binned 4 features", "mains: 4 terms", "pairs: 1 chosen"]),
    "GAMRegressor": (lambda: gb.GAMRegressor(outer_bags=2, interactions=3, random_state=0), _regression,
                     ["binned 10 features", "mains: 10 terms", "pairs: 3 chosen", "joint stage", "fitted 13 terms"]),
    "BayesianRuleListClassifier": (
        lambda: gb.BayesianRuleListClassifier(n_iter=500, n_chains=3, random_state=0), _binary,
        ["mined", "candidate rules from", "sampled 3 chains x 500 iterations: acceptance", "R-hat",
         "kept the brl-point list of", "log-posterior", "fitted a list of"]),
    "BayesianRuleListClassifier-multiclass": (
        lambda: gb.BayesianRuleListClassifier(n_iter=300, n_chains=2, point_estimate="map", random_state=0),
        _multiclass, ["sampled 2 chains x 300", "kept the map list of"]),
    "DecisionSetClassifier": (
        lambda: gb.DecisionSetClassifier(pool_size=100, n_restarts=1, random_state=0), _binary,
        ["mined", "candidate rules", "weight search fold 1/2", "weight search fold 2/2", "weight search kept",
         "pool of 100 candidates", "greedy start: objective", "double greedy 1 start: objective",
         "local moves", "chose", "objective"]),
    "DecisionSetClassifier-untuned": (
        lambda: gb.DecisionSetClassifier(max_rules=4, tune_weights=False, n_restarts=2, random_state=0), _multiclass,
        ["mined", "optimizing from 3 starts", "double greedy 2 start", "chose"]),
    "RiskScoreClassifier": (
        lambda: gb.RiskScoreClassifier(max_features=3, beam_width=4, n_multipliers=5), _binary,
        ["usable conditions from 6 features", "beam search (sparse logistic, beam_width=4): up to 3 conditions",
         "swaps:", "star-ray rounding (5 multipliers)", "local search of the best", "best loss",
         "kept a scorecard of 3 conditions"]),
    "RiskScoreClassifier-certified": (
        lambda: gb.RiskScoreClassifier(max_features=2, beam_width=3, n_multipliers=3, certify=True), _binary,
        ["certificate (", "lower bound", "optimality gap"]),
    "SparseLinearClassifierCV": (
        lambda: gb.SparseLinearClassifierCV(n_alphas=8, cv=3), _binary,
        ["fold 1/3: path of 8 alphas, best held-out loss", "fold 3/3", "cross-validated 8 alphas on 3 folds",
         "chose alpha=", "refitted on all rows at alpha_"]),
    "SparseLinearRegressorCV": (
        lambda: gb.SparseLinearRegressorCV(n_alphas=6, cv=2, loss="poisson"), lambda: _counts(),
        ["fold 2/2: path of 6 alphas", "chose alpha=", "nonzero terms"]),
    "DistilledClassifier": (
        lambda: gb.DistilledClassifier(RandomForestClassifier(n_estimators=10, random_state=0),
                                       gb.GAMClassifier(outer_bags=2, interactions=1), n_augment=50, random_state=0),
        _binary,
        ["teacher RandomForestClassifier fitted on (X, y)", "teacher labelled 300 training rows and 50 extra rows",
         "student GAMClassifier fitted (7 shape functions)", "fidelity on the training rows: agreement"]),
    "DistilledRegressor": (
        lambda: gb.DistilledRegressor(RandomForestRegressor(n_estimators=10, random_state=0),
                                      gb.SparseLinearRegressor(penalty="l0", alpha=0.0, max_features=2),
                                      random_state=0), _regression,
        ["teacher RandomForestRegressor fitted on (X, y)", "teacher labelled 300 training rows (",
         "student SparseLinearRegressor fitted (2 terms)", "fidelity on the training rows: R2"]),
}


def _fit(case, verbose):
    make, data, _ = CASES[case]
    X, y = data()
    return make().set_params(verbose=verbose).fit(X, y), X


def _outputs(model, X):
    outputs = [model.explain_global().to_json(), model.predict(X).tolist()]
    if hasattr(model, "predict_proba"):
        outputs.append(model.predict_proba(X).tolist())
    return outputs


@pytest.mark.parametrize("case", list(CASES))
def test_printing_does_not_change_the_fitted_model(case, capsys):
    quiet, X = _fit(case, 0)
    loud, _ = _fit(case, 2)
    assert _outputs(loud, X) == _outputs(quiet, X)
    assert capsys.readouterr().out  # the loud fit did print


@pytest.mark.parametrize("case", list(CASES))
def test_verbose_zero_prints_nothing(case, capsys):
    _fit(case, 0)
    captured = capsys.readouterr()
    assert captured.out == ""


@pytest.mark.parametrize("case", list(CASES))
def test_verbose_one_says_every_stage(case, capsys):
    model, _ = _fit(case, 1)
    out = capsys.readouterr().out
    for expected in CASES[case][2]:
        assert expected in out, f"{expected!r} not in:\n{out}"
    lines = out.splitlines()
    prefix = f"[{type(model).__name__}] "
    assert all(line.startswith(prefix) and line.endswith(" s)") for line in lines), out


# fits with no finer step to show: their verbose=2 prints what verbose=1 does
SAME_AT_TWO = {"DecisionSetClassifier-untuned", "SparseLinearClassifierCV", "SparseLinearRegressorCV",
               "DistilledRegressor"}  # its student has no verbose


@pytest.mark.parametrize("case", sorted(set(CASES) - SAME_AT_TWO))
def test_verbose_two_adds_finer_lines(case, capsys):
    _fit(case, 1)
    one = capsys.readouterr().out.splitlines()
    _fit(case, 2)
    two = capsys.readouterr().out.splitlines()
    assert len(two) > len(one)


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("bad", [-1, "yes", 1.5])
def test_bad_verbose_is_refused_at_fit(case, bad):
    make, data, _ = CASES[case]
    model = make().set_params(verbose=bad)  # stored as given
    assert model.get_params()["verbose"] == bad
    with pytest.raises(ValueError, match="'verbose' parameter"):
        model.fit(*data())


def test_gam_bag_lines_at_verbose_two(capsys):
    _fit("GAMClassifier", 2)
    out = capsys.readouterr().out
    assert "mains bag 1/2: best round" in out and "mains bag 2/2: best round" in out
    assert "pairs bag 2/2" in out


def test_rule_list_chain_lines_at_verbose_two(capsys):
    _fit("BayesianRuleListClassifier", 2)
    out = capsys.readouterr().out
    assert all(f"chain {c}/3: acceptance" in out for c in (1, 2, 3))


def test_distilled_copy_lets_its_student_speak_one_level_below(capsys):
    student = gb.GAMClassifier(outer_bags=2, interactions=1)
    X, y = _binary()
    teacher = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
    copy = gb.DistilledClassifier(teacher, student, random_state=0, verbose=2).fit(X, y)
    out = capsys.readouterr().out
    assert "[DistilledClassifier] teacher RandomForestClassifier used as given (already fitted)" in out
    assert "[GAMClassifier] mains:" in out and "[GAMClassifier] mains bag" not in out  # the student at verbose=1
    assert copy.student_.get_params()["verbose"] == 0  # the student's own verbose is given back after the fit
    assert copy.student_ is not student  # the user's student is cloned, so its parameters are never touched
    gb.DistilledClassifier(teacher, student, random_state=0, verbose=3).fit(X, y)
    assert "[GAMClassifier] mains bag 1/2" in capsys.readouterr().out


def test_gam_without_validation_rows_says_so(capsys):
    X, y = _binary()
    gb.GAMClassifier(outer_bags=1, interactions=0, validation_fraction=None, max_rounds=20, verbose=1,
                     random_state=0).fit(X, y)
    out = capsys.readouterr().out
    assert "best rounds 20" in out and "n/a (no validation rows)" in out
    assert "pairs: 0 chosen" in out


def test_progress_levels(capsys):
    from glassbox.utils._progress import Progress

    progress = Progress(1, "Model")
    progress.say("stage")
    progress.say("detail", level=2)
    progress.done()
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" (")[0] for line in lines] == ["[Model] stage", "[Model] done"]
    assert not Progress(0, "Model") and Progress(1, "Model")
    assert np.all([line.endswith(" s)") for line in lines])


def test_progress_step_timed_elsewhere_keeps_the_stage_clock(capsys):
    from glassbox.utils._progress import Progress

    progress = Progress(1, "Model")
    progress._last -= 5.0  # the stage began five seconds ago
    progress.say("fold 1/2", seconds=0.25)
    progress.say("folds done")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "[Model] fold 1/2 (0.25 s)"
    assert float(lines[1].split("(")[1].split(" s)")[0]) >= 5.0  # counted from the stage's start, not the fold line


def test_a_student_refitted_as_a_clone_gets_its_verbose_back():
    from sklearn.base import clone

    from glassbox.surrogate._distill_progress import fit_speaking

    student = gb.GAMClassifier(verbose=0)
    seen = []
    fitted = fit_speaking(student, 3, lambda: seen.append(student.verbose) or clone(student))
    assert seen == [2]  # one level below the copy while fitting
    assert fitted is not student and fitted.verbose == 0 and student.verbose == 0
    assert fit_speaking(gb.SparseLinearClassifier(), 3, lambda: "fitted") == "fitted"  # no verbose: left alone
