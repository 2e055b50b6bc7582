"""Tests of the benchmark harness in ``benchmarks/`` (datasets, timing, ratios, reports, venvs)."""

import argparse
import json
import sys
import textwrap
import types
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks import report, run  # noqa: E402
from benchmarks.datasets import (  # noqa: E402
    SPECS,
    DatasetsUnavailable,
    datasets_available,
    datasets_dir,
    load_dataset,
    split_indices,
)
from benchmarks.harness import (  # noqa: E402
    BenchConfig,
    Case,
    VenvModel,
    compute_metrics,
    compute_ratios,
    import_family,
    run_case,
    run_family,
)
from benchmarks.peers import PeerVenv  # noqa: E402

needs_data = pytest.mark.skipif(not datasets_available(), reason="shared datasets absent")


# ------------------------------------------------------------------ datasets


@needs_data
@pytest.mark.parametrize("name", sorted(n for n, s in SPECS.items() if s.file))
def test_spec_columns_exist_in_file(name):
    spec = SPECS[name]
    header = pd.read_csv(datasets_dir() / spec.file, nrows=0).columns
    named = {spec.target, *spec.categorical, *spec.drop, *spec.leaks, *(spec.features or ())}
    if spec.split_column:
        named.add(spec.split_column)
    assert named <= set(header), named - set(header)


@needs_data
@pytest.mark.parametrize("name", ["heart", "bank", "bike_sharing", "compas", "telco_churn"])
def test_load_dataset_drops_leaks_and_types_columns(name):
    spec = SPECS[name]
    data = load_dataset(name)
    columns = set(data.X_train.columns)
    assert not columns & {spec.target, *spec.leaks, *spec.drop, "split"}
    assert list(data.X_train.columns) == list(data.X_test.columns)
    for column in data.categorical:
        assert isinstance(data.X_train[column].dtype, pd.CategoricalDtype)
        # one encoding for both parts
        assert data.X_train[column].cat.categories.equals(data.X_test[column].cat.categories)
    if data.task == "binary":
        assert set(np.unique(data.y_train)) == {0, 1}
    else:
        assert data.y_train.dtype == np.float64


@needs_data
def test_shared_files_match_documented_checksums():
    from benchmarks.datasets import EXPECTED_MD5, file_md5

    files = {spec.file for spec in SPECS.values() if spec.file}
    assert files == set(EXPECTED_MD5)
    for name in sorted(files):
        assert file_md5(datasets_dir() / name) == EXPECTED_MD5[name], name
    assert load_dataset("heart").extra["md5"] == EXPECTED_MD5["heart.csv"]


@needs_data
def test_binary_targets_follow_readme_positive_class():
    raw = pd.read_csv(datasets_dir() / "telco_churn.csv")
    data = load_dataset("telco_churn")
    positives = int(data.y_train.sum() + data.y_test.sum())
    assert positives == int((raw["Churn"] == "Yes").sum()) == 1869
    assert data.target_names == ("No", "Yes")


@needs_data
@pytest.mark.parametrize("name, n_train, n_test", [("adult", 32561, 16281),
                                                   ("compas_corels", 6489, 721)])
def test_files_with_their_own_split_use_it(name, n_train, n_test):
    data = load_dataset(name)
    assert (data.n_train, data.n_test) == (n_train, n_test)
    assert "split" not in data.X_train.columns


@needs_data
def test_load_dataset_is_deterministic():
    first, second = load_dataset("heart"), load_dataset("heart")
    pd.testing.assert_frame_equal(first.X_test, second.X_test)
    pd.testing.assert_series_equal(first.y_train, second.y_train)


def test_missing_dataset_folder_raises_and_run_exits_zero(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GLASSBOX_DATASETS", str(tmp_path / "nowhere"))
    assert not datasets_available()
    with pytest.raises(DatasetsUnavailable, match="GLASSBOX_DATASETS"):
        load_dataset("heart")
    code = run.main(["--family", "baselines", "--datasets", "heart",
                     "--results-dir", str(tmp_path / "res"),
                     "--results-md", str(tmp_path / "RESULTS.md")])
    assert code == 0
    assert "nothing to run" in capsys.readouterr().out
    assert not (tmp_path / "res" / "baselines.json").exists()


def test_unknown_dataset_name_lists_known_ones():
    with pytest.raises(ValueError, match="known datasets: .*heart"):
        load_dataset("hearts")


def test_stratified_split_is_deterministic_disjoint_and_stratified():
    y = np.r_[np.zeros(700, int), np.ones(300, int)]
    train, test = split_indices(len(y), y, "binary")
    again_train, again_test = split_indices(len(y), y, "binary")
    np.testing.assert_array_equal(train, again_train)
    np.testing.assert_array_equal(test, again_test)
    assert not set(train) & set(test)
    assert sorted(np.r_[train, test]) == list(range(len(y)))
    assert len(test) == 300 and y[test].sum() == 90  # 30 % of each class


def test_own_split_column_is_used_verbatim():
    labels = np.array(["train", "test", "train", "test", "test"], dtype=object)
    train, test = split_indices(5, None, "binary", labels)
    assert train.tolist() == [0, 2] and test.tolist() == [1, 3, 4]
    with pytest.raises(ValueError, match="train/test"):
        split_indices(2, None, "binary", np.array(["train", "valid"], dtype=object))


# ------------------------------------------------------------------ metrics, ratios


def test_metrics_match_hand_computation():
    y = np.array([0, 0, 1, 1])
    metrics = compute_metrics("binary", y, np.array([0, 1, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9]))
    assert metrics["accuracy"] == 0.75
    assert metrics["auc"] == 0.75  # pairs (pos, neg) ranked right: 3 of 4
    regression = compute_metrics("regression", np.array([1.0, 2.0]), np.array([2.0, 4.0]), None)
    assert regression["rmse"] == pytest.approx(np.sqrt((1 + 4) / 2))
    proba = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.1, 0.8, 0.1]])
    multiclass = compute_metrics("multiclass", np.array([0, 1, 2, 2]),
                                 proba.argmax(axis=1), proba)
    assert multiclass["accuracy"] == 0.75
    # one-vs-rest AUCs by hand (ties count 1/2): class 0: 1; class 1: 2.5/3; class 2: 3/4
    assert multiclass["auc"] == pytest.approx((1.0 + 2.5 / 3 + 0.75) / 3)


def _record(model, role, dataset="d", fit=1.0, predict=0.1, auc=0.9, size=10.0, status="ok"):
    return {"family": "f", "dataset": dataset, "model": model, "library":
            "glassbox" if role == "glassbox" else "peerlib", "role": role, "status": status,
            "task": "binary", "fit_time": fit, "predict_time": predict, "size": size,
            "size_unit": "terms", "metrics": {"auc": auc, "accuracy": 0.8}, "version": "1.0",
            "notes": "", "error": "boom"}


def test_ratios_pair_each_glassbox_model_with_each_peer_on_the_same_dataset():
    records = [
        _record("ours", "glassbox", fit=2.0, predict=0.5, auc=0.9, size=5),
        _record("peerA", "peer", fit=4.0, predict=0.25, auc=0.8, size=20),
        _record("peerB", "peer", fit=1.0, predict=0.5, auc=0.9, size=None),
        _record("other-dataset", "peer", dataset="e"),
        _record("broken", "peer", status="error"),
    ]
    ratios = compute_ratios(records)
    assert [(r["glassbox_model"], r["peer_model"]) for r in ratios] == [
        ("ours", "peerA"), ("ours", "peerB")]
    a, b = ratios
    assert (a["fit_time"], a["predict_time"], a["size"]) == (0.5, 2.0, 0.25)
    assert a["auc"] == pytest.approx(0.9 / 0.8) and a["accuracy"] == 1.0
    assert (b["fit_time"], b["auc"], b["size"]) == (2.0, 1.0, None)


# ------------------------------------------------------------------ report


def _fake_payload(family="fake"):
    records = [_record("GAMClassifier", "glassbox", fit=2.0, auc=0.93),
               _record("EBM", "peer", fit=8.0, auc=0.93),
               _record("pygam", "peer", status="error")]
    config = BenchConfig(("d",), 3)
    return report.build_payload(family, records, config, command="python benchmarks/run.py x")


def test_results_md_renders_a_table_from_json(tmp_path):
    payload = _fake_payload()
    path = report.write_family_json(payload, tmp_path)
    assert json.loads(path.read_text())["ratios"][0]["fit_time"] == 0.25
    text = report.write_results_md(tmp_path, tmp_path / "RESULTS.md").read_text()
    assert "## fake" in text
    rows = [line for line in text.splitlines() if line.startswith("| d |")]
    assert len(rows) == 3
    ours = rows[0].split(" | ")
    assert ours[1:3] == ["GAMClassifier", "glassbox 1.0"]
    assert ours[5] == "AUC 0.9300, acc 0.8000" and ours[6] == "10 terms"
    assert "vs EBM: fit 0.250×, AUC 1.000×" in rows[0]
    assert "failed" in rows[2] and "**failed**: d / pygam: boom" in text
    assert f"({payload['machine']['cpu_count']} cores" in text
    assert "Command: `python benchmarks/run.py x`" in text


def test_results_md_escapes_cells_and_ignores_foreign_json(tmp_path):
    payload = _fake_payload()
    payload["results"][0]["model"] = "GAM | pairs"
    payload["results"][2]["error"] = "ValueError: bad\nthing | here"
    report.write_family_json(payload, tmp_path)
    (tmp_path / "someone_elses_study.json").write_text(json.dumps([{"rows": 1}]))
    text = report.write_results_md(tmp_path, tmp_path / "R.md").read_text()
    assert "| d | GAM \\| pairs |" in text
    assert "ValueError: bad thing \\| here" in text
    assert text.count("## ") == 1


def test_results_md_rejects_other_schema(tmp_path):
    (tmp_path / "old.json").write_text(json.dumps({"schema": 0, "family": "old"}))
    with pytest.raises(ValueError, match="schema"):
        report.load_payloads(tmp_path)


# ------------------------------------------------------------------ end to end


def _dummy_family_module(name):
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    module = types.ModuleType(f"benchmarks.families.{name}")

    def make_logreg(ds):
        assert ds.X_test is None and ds.y_test is None and len(ds.X_train) == 398
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))

    def cases(config):
        for dataset in config.datasets:
            yield Case(name, dataset, "LogReg", "glassbox", make_model=make_logreg,
                       size=lambda m: int(np.count_nonzero(m[-1].coef_)), size_unit="nonzeros")
            yield Case(name, dataset, "Prior", "scikit-learn",
                       make_model=lambda ds: DummyClassifier(strategy="prior"),
                       size=lambda m: 1, size_unit="constant")
            yield Case(name, dataset, "Broken", "scikit-learn",
                       make_model=lambda ds: 1 / 0)

    module.cases = cases
    module.DATASETS = ("breast_cancer_sklearn",)
    return module


def test_dummy_family_runs_end_to_end(tmp_path, monkeypatch, capsys):
    name = "_dummy_for_tests"
    monkeypatch.setitem(sys.modules, f"benchmarks.families.{name}", _dummy_family_module(name))
    code = run.main(["--family", name, "--repeats", "2",
                     "--results-dir", str(tmp_path), "--results-md", str(tmp_path / "R.md")])
    assert code == 0
    payload = json.loads((tmp_path / f"{name}.json").read_text())
    assert {"date", "machine", "versions", "results", "ratios"} <= set(payload)
    assert payload["versions"]["scikit-learn"]
    by_model = {r["model"]: r for r in payload["results"]}
    logreg, prior = by_model["LogReg"], by_model["Prior"]
    assert logreg["status"] == "ok" and len(logreg["fit_times"]) == 2
    assert logreg["metrics"]["auc"] > 0.98 and prior["metrics"]["auc"] == 0.5
    assert logreg["size"] == 30 and logreg["n_test"] == 171
    assert by_model["Broken"]["status"] == "error"
    assert "ZeroDivisionError" in by_model["Broken"]["error"]
    (ratio,) = payload["ratios"]
    assert ratio["auc"] == pytest.approx(logreg["metrics"]["auc"] / 0.5)
    assert "| breast_cancer_sklearn | LogReg |" in (tmp_path / "R.md").read_text()


def test_unknown_family_module_is_a_clear_error():
    with pytest.raises(ValueError, match="benchmarks/families/nope.py"):
        run_family("nope", BenchConfig(("heart",)))


# ------------------------------------------------------------------ peer venv


_THRESHOLD_PEER = """
    class Stump:
        # predicts 1 when the first feature exceeds the training mean
        def fit(self, X, y):
            column = [row[0] for row in X]
            self.cut = sum(column) / len(column)
            return self

        def predict(self, X):
            return [int(row[0] > self.cut) for row in X]

        def predict_proba(self, X):
            return [[0.0, 1.0] if row[0] > self.cut else [1.0, 0.0] for row in X]

    def make_model(params):
        return Stump()

    def size(model):
        return 1

    def version():
        return "stump-0"
"""


def test_peer_venv_runs_a_worker_in_its_own_interpreter(tmp_path):
    module_file = tmp_path / "stump_peer.py"
    module_file.write_text(textwrap.dedent(_THRESHOLD_PEER))
    venv = PeerVenv("stdlib-only", [], root=tmp_path / "venvs")
    X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "b": [1.0] * 6})
    y = pd.Series([0, 0, 0, 1, 1, 1])
    from benchmarks.datasets import Dataset

    data = Dataset("toy", X, X, y, y, "binary", (), "toy", "same rows")
    case = Case("f", "toy", "Stump", "stump",
                make_model=VenvModel(venv, str(module_file), {}))
    record = run_case(case, data, repeats=2)
    assert record["status"] == "ok", record.get("error")
    assert record["metrics"] == {"accuracy": 1.0, "auc": 1.0}
    assert record["version"] == "stump-0" and record["size"] == 1.0
    assert venv.is_ready() and venv.python.exists()
    assert str(venv.python).startswith(str(tmp_path))
    # a changed requirement list invalidates the environment
    assert not PeerVenv("stdlib-only", ["x"], root=tmp_path / "venvs").is_ready()


def test_peer_venv_rejects_path_like_names():
    with pytest.raises(ValueError, match="folder name"):
        PeerVenv("../escape", [])


def test_warnings_are_recorded_once_per_case_not_raised():
    import warnings as _warnings

    from sklearn.linear_model import Ridge

    class Noisy(Ridge):
        def fit(self, X, y):
            _warnings.warn("shaky fit", UserWarning)
            return super().fit(X, y)

    X = pd.DataFrame({"a": np.arange(20.0)})
    y = pd.Series(2.0 * np.arange(20.0) + 1.0)
    from benchmarks.datasets import Dataset

    data = Dataset("line", X, X, y, y, "regression", (), "a line", "same rows")
    case = Case("f", "line", "Noisy", "scikit-learn", make_model=lambda ds: Noisy(alpha=0.0))
    record = run_case(case, data, repeats=3)
    assert record["status"] == "ok" and len(record["fit_times"]) == 3
    assert record["warnings"] == ["UserWarning: shaky fit"]
    capped = run_case(replace(case, max_repeats=1), data, repeats=3)
    assert capped["repeats"] == 1 and len(capped["fit_times"]) == 1
    assert record["metrics"]["rmse"] == pytest.approx(0.0, abs=1e-9)
    assert record["metrics"]["r2"] == pytest.approx(1.0)


def test_seeded_case_fits_once_per_seed_and_reports_medians():
    from benchmarks.datasets import Dataset
    from sklearn.dummy import DummyClassifier

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200)})
    y = pd.Series((X["a"] + rng.normal(size=200) > 0).astype(int))
    data = Dataset("toy", X, X, y, y, "binary", (), "toy", "same rows")
    seen = []

    def make_model(ds, seed):
        assert ds.X_test is None
        seen.append(seed)
        return DummyClassifier(strategy="stratified", random_state=seed)

    case = Case("f", "toy", "Coin", "scikit-learn", make_model=make_model, seeds=(3, 1, 4, 5, 9),
                size=lambda m: 1.0, size_unit="constant")
    record = run_case(case, data, repeats=2)
    assert seen == [3, 1, 4, 5, 9] and record["repeats"] == 5 and record["seeds"] == [3, 1, 4, 5, 9]
    per_seed = record["seed_results"]
    for seed, result in zip(seen, per_seed):  # each seed's metrics are its own model's
        model = DummyClassifier(strategy="stratified", random_state=seed).fit(X, y)
        predicted = model.predict(X)
        assert result["seed"] == seed
        assert result["metrics"]["accuracy"] == pytest.approx(np.mean(predicted == y))
    aucs = [r["metrics"]["auc"] for r in per_seed]
    assert record["metrics"]["auc"] == pytest.approx(np.median(aucs))
    assert record["fit_time"] == pytest.approx(np.median(record["fit_times"])) and len(record["fit_times"]) == 5
    assert len(set(aucs)) > 1  # the seeds really differ


def test_merge_keeps_other_rows_and_pairs_only_same_run(tmp_path):
    old = _fake_payload()
    old["date"] = "2000-01-01T00:00:00+00:00"
    for record in old["results"]:
        record["run_date"] = old["date"]
        record["source"] = {"commit": "0123456789ab", "uncommitted_changes": False}
    new = report.build_payload("fake", [_record("GAMClassifier", "glassbox", fit=1.0)],
                               BenchConfig(("d",), 3))
    merged = report.merge_previous(new, old)
    models = [r["model"] for r in merged["results"]]
    assert sorted(models) == ["EBM", "GAMClassifier", "pygam"]
    assert merged["ratios"] == []  # the new GAM row and the old EBM row are different runs
    # every row keeps the commit of the run that measured it, not only the newest run's
    new_row = next(r for r in merged["results"] if r["model"] == "GAMClassifier")
    assert new_row["source"] == new["source"] and "commit" in new_row["source"]
    assert all(r["source"]["commit"] == "0123456789ab"
               for r in merged["results"] if r["model"] != "GAMClassifier")
    text = report.render_family(merged)
    assert "(earlier run, 2000-01-01T00:00)" in text


def test_rows_record_the_commit_the_run_started_on(monkeypatch):
    # A long run outlives commits that land meanwhile: its rows name the code it started with.
    head = {"commit": "aaaaaaaaaaaa", "uncommitted_changes": False}
    monkeypatch.setattr(report, "source_state", lambda: dict(head))
    written = {}

    def run_family(family, config):
        head["commit"] = "bbbbbbbbbbbb"  # another commit lands while the run goes on
        return [_record("GAMClassifier", "glassbox", fit=1.0)]

    monkeypatch.setattr(run, "run_family", run_family)
    monkeypatch.setattr(run, "_usable_datasets", lambda requested: (["d"], []))
    monkeypatch.setattr(run, "load_family_cases", lambda family, config: [], raising=False)
    monkeypatch.setattr(report, "write_family_json", lambda payload, results_dir=None: written.update(payload) or "x")
    monkeypatch.setattr(report, "read_family_json", lambda family, results_dir=None: None)
    run.run_one_family("fake", argparse.Namespace(datasets="d", repeats=1, quick=False, models="", threads=None,
                                                   fresh=True, results_dir=None), "cmd")
    assert written["source"]["commit"] == "aaaaaaaaaaaa"
    assert [r["source"]["commit"] for r in written["results"]] == ["aaaaaaaaaaaa"]


@pytest.mark.parametrize("datasets", [[], ["--datasets", "breast_cancer_sklearn"]])
def test_unknown_family_on_command_line_exits_2(tmp_path, capsys, datasets):
    code = run.main(["--family", "nope", *datasets,
                     "--results-dir", str(tmp_path), "--results-md", str(tmp_path / "R.md")])
    assert code == 2
    assert "benchmarks/families/nope.py" in capsys.readouterr().err


def test_models_filter_selects_cases(tmp_path, monkeypatch):
    name = "_dummy_filter"
    monkeypatch.setitem(sys.modules, f"benchmarks.families.{name}", _dummy_family_module(name))
    from benchmarks.harness import load_family_cases

    config = BenchConfig(("breast_cancer_sklearn",), 1, models=("logreg", "PRIOR"))
    assert [c.model_name for c in load_family_cases(name, config)] == ["LogReg", "Prior"]


@needs_data
@pytest.mark.skipif(not PeerVenv("fasterrisk", []).python.exists(),
                    reason="FasterRisk venv not built (python benchmarks/run.py builds it on use)")
def test_fasterrisk_runs_in_its_pinned_venv():
    from benchmarks.peers import FASTERRISK, FASTERRISK_MODULE

    if not FASTERRISK.is_ready():
        pytest.skip("FasterRisk venv is out of date")
    data = load_dataset("breastcancer")
    case = Case("scoring", "breastcancer", "FasterRisk k=3", "fasterrisk",
                make_model=VenvModel(FASTERRISK, str(FASTERRISK_MODULE), {"k": 3}))
    record = run_case(case, data, repeats=1)
    assert record["status"] == "ok", record.get("error")
    assert record["version"] == "0.1.10" and 1 <= record["size"] <= 3
    assert record["metrics"]["auc"] > 0.9


def test_threads_option_limits_native_thread_pools(monkeypatch):
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_info

    seen = []

    def fit(model, X, y):
        seen.extend(pool["num_threads"] for pool in threadpool_info())
        return model.fit(X, y)

    name = "_dummy_threads"
    module = types.ModuleType(f"benchmarks.families.{name}")
    module.CASES = [Case(name, "breast_cancer_sklearn", "LR", "scikit-learn",
                         make_model=lambda ds: LogisticRegression(max_iter=5000), fit=fit)]
    monkeypatch.setitem(sys.modules, f"benchmarks.families.{name}", module)
    monkeypatch.setenv("OMP_NUM_THREADS", "")  # restored after the test
    (record,) = run_family(name, BenchConfig(("breast_cancer_sklearn",), 1, threads=1),
                           log=lambda text: None)
    assert record["status"] == "ok"
    assert seen and set(seen) == {1}


def test_report_only_and_list_work_without_results(tmp_path, capsys):
    code = run.main(["--report", "--results-dir", str(tmp_path / "none"),
                     "--results-md", str(tmp_path / "R.md")])
    assert code == 0
    assert "No results yet." in (tmp_path / "R.md").read_text()
    assert run.main(["--list"]) == 0
    out = capsys.readouterr().out
    assert "baselines" in out and "compas_corels" in out and "the file's own split" in out


def test_ctrl_c_keeps_finished_cases(tmp_path, monkeypatch):
    from sklearn.dummy import DummyClassifier

    def interrupt(model, X, y):
        raise KeyboardInterrupt

    name = "_dummy_interrupt"
    module = types.ModuleType(f"benchmarks.families.{name}")
    module.CASES = [
        Case(name, "breast_cancer_sklearn", "Prior", "scikit-learn",
             make_model=lambda ds: DummyClassifier()),
        Case(name, "breast_cancer_sklearn", "Stopped", "scikit-learn",
             make_model=lambda ds: DummyClassifier(), fit=interrupt),
        Case(name, "breast_cancer_sklearn", "Never", "scikit-learn",
             make_model=lambda ds: DummyClassifier()),
    ]
    monkeypatch.setitem(sys.modules, f"benchmarks.families.{name}", module)
    code = run.main(["--family", name, "--datasets", "breast_cancer_sklearn", "--repeats", "1",
                     "--results-dir", str(tmp_path), "--results-md", str(tmp_path / "R.md")])
    assert code == 130
    payload = json.loads((tmp_path / f"{name}.json").read_text())
    assert [r["model"] for r in payload["results"]] == ["Prior"]
    assert "| breast_cancer_sklearn | Prior |" in (tmp_path / "R.md").read_text()


def test_only_modules_with_cases_are_families():
    # ``--all`` runs every family; helper modules (a peer's worker, a standalone study) define no cases and
    # stopped it with "defines neither cases() nor CASES".
    families = run.available_families()
    assert {"decision_set", "gam", "linear", "risk_score", "rule_list", "surrogate"} <= set(families)
    assert "surrogate_peers" not in families and "decision_set_scale" not in families
    for family in families:
        module = import_family(family)
        assert hasattr(module, "cases") or hasattr(module, "CASES"), family
