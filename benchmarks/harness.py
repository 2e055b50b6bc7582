"""Benchmark harness: the plug-in API for families, timing, metrics and ratios.

A family plugs in with one module ``benchmarks/families/<family>.py`` that
exposes either a list ``CASES`` or a function ``cases(config)`` returning
(or yielding) :class:`Case` objects; optionally ``DATASETS`` (the default
dataset names when ``--datasets`` is not given). See ``benchmarks/README.md``.

For each case the harness loads the dataset (fixed split, see
``benchmarks/datasets.py``), fits ``repeats`` times on the training part and
records the median fit time, the median predict time on the test part, the test
metrics (AUC and accuracy for classification, RMSE and R^2 for regression) and
the model size. Within one run, every glassbox case is compared with every peer
case on the same dataset: ``ratio = glassbox value / peer value``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import os
import statistics
import time
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from benchmarks.datasets import load_dataset

GLASSBOX = "glassbox"

# Which way is better for each recorded quantity (used to label ratios).
HIGHER_IS_BETTER = {"auc": True, "accuracy": True, "r2": True, "rmse": False, "poisson_deviance": False,
                    "fit_time": False, "predict_time": False, "size": False}
PRIMARY_METRIC = {"binary": "auc", "multiclass": "auc", "regression": "rmse"}
METRICS = {"binary": ("auc", "accuracy"), "multiclass": ("auc", "accuracy"),
           "regression": ("rmse", "r2", "poisson_deviance")}  # the last: count targets only


@dataclass(frozen=True)
class BenchConfig:
    """What the user asked for; passed to a family's ``cases(config)``.

    Attributes
    ----------
    datasets : tuple of str
        Dataset names to run (the family should yield cases only for these).
    repeats : int
        Number of timed fits per case; the median is reported.
    quick : bool
        True in tests and smoke runs: families should use small settings.
    models : tuple of str
        If given, only cases whose ``model_name`` contains one of these
        (case-insensitive) run; the harness applies this filter itself.
    threads : int or None
        Limit native thread pools (OpenMP / BLAS, through threadpoolctl) of
        in-process cases, and ``OMP_NUM_THREADS`` of venv workers. ``None``
        leaves every library at its default, which is what its users get.
    """

    datasets: tuple = ()
    repeats: int = 3
    quick: bool = False
    models: tuple = ()
    threads: int | None = None


@dataclass(frozen=True)
class VenvModel:
    """A model that runs in a peer's own virtual environment (see ``peers.py``).

    ``module_file`` is a standalone Python file (it must not import glassbox or
    the harness) defining ``make_model(params)`` and optionally
    ``fit(model, X, y)``, ``predict(model, X)``, ``score(model, X)``,
    ``size(model)`` and ``version()``. ``X`` arrives as a pandas DataFrame when
    pandas is installed in the venv, else as a float NumPy array.
    """

    venv: Any  # peers.PeerVenv
    module_file: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One (dataset, model) measurement.

    Parameters
    ----------
    family : str
        The glassbox family this comparison belongs to (``"gam"``, ``"rules"``...).
    dataset : str
        A name from ``benchmarks.datasets.SPECS``.
    model_name : str
        Label in the report, e.g. ``"EBM (defaults)"`` or ``"GAMClassifier"``.
    library : str
        ``"glassbox"`` for our estimators; otherwise the peer's distribution
        name as pip knows it (``"interpret"``, ``"scikit-learn"``...), used to
        record its version.
    make_model : callable(Dataset) -> estimator, or VenvModel
        Builds a fresh unfitted model; it may read ``dataset.categorical`` etc.
        It receives the dataset with ``X_test``/``y_test`` set to ``None``:
        hyper-parameters are fixed here, and any tuning must use an inner split
        of the training data only.
    fit : callable(model, X, y) -> fitted model, optional
        Default ``model.fit(X, y)``. Timed.
    predict : callable(model, X) -> array, optional
        Labels (classification) or values (regression). Default
        ``model.predict(X)``. Timed.
    score : callable(model, X) -> array, optional
        Continuous scores for AUC: positive-class probability (binary) or a
        ``(n, n_classes)`` probability matrix (multiclass). Default
        ``predict_proba`` then ``decision_function``. Not timed.
    size : callable(fitted model) -> number, optional
        Model size: terms / rules / nonzero coefficients / conditions.
    size_unit : str
        What ``size`` counts (``"terms"``, ``"rules"``, ``"nonzeros"``...).
    prepare : callable(Dataset) -> Dataset, optional
        Untimed preprocessing, e.g. binarization for a peer that needs 0/1
        input. It must be fitted on the training part only.
    warmup : bool
        Run one untimed fit first (JIT-compiled peers such as skglm).
    max_repeats : int, optional
        Cap on timed fits for this case (a peer taking minutes per fit can
        run once while the rest use ``--repeats``); the record says how many ran.
    seeds : tuple of int, optional
        Seeds of a randomized learner. When given, ``make_model(dataset, seed)``
        builds one model per seed (``--repeats`` is then not used): each is
        fitted once (timed), predicted once (timed) and scored on the test part.
        The record keeps every seed's fit time, metrics and size
        (``seed_results``) and reports their medians (each metric's median
        taken on its own), so two randomized learners run on the same seeds
        compare median to median instead of one draw to one draw.
    notes : str
        Free text shown under the family table (settings, caveats).
    """

    family: str
    dataset: str
    model_name: str
    library: str
    make_model: Callable | VenvModel
    fit: Callable | None = None
    predict: Callable | None = None
    score: Callable | None = None
    size: Callable | None = None
    size_unit: str = ""
    prepare: Callable | None = None
    warmup: bool = False
    max_repeats: int | None = None
    seeds: tuple = ()
    notes: str = ""

    @property
    def is_glassbox(self):
        return self.library == GLASSBOX


def import_family(family):
    """The module ``benchmarks.families.<family>`` (``ValueError`` if there is none)."""
    try:
        return importlib.import_module(f"benchmarks.families.{family}")
    except ModuleNotFoundError as exc:
        if exc.name == f"benchmarks.families.{family}":
            raise ValueError(
                f"no benchmark module for family {family!r}: create "
                f"benchmarks/families/{family}.py (see benchmarks/README.md)"
            ) from None
        raise


def load_family_cases(family, config):
    """Import ``benchmarks.families.<family>`` and return its cases for ``config``."""
    module = import_family(family)
    if hasattr(module, "cases"):
        cases = list(module.cases(config))
    elif hasattr(module, "CASES"):
        cases = list(module.CASES)
    else:
        raise ValueError(f"benchmarks/families/{family}.py defines neither cases() nor CASES")
    if config.datasets:
        cases = [c for c in cases if c.dataset in config.datasets]
    if config.models:
        wanted = [m.lower() for m in config.models]
        cases = [c for c in cases if any(m in c.model_name.lower() for m in wanted)]
    for case in cases:
        if not isinstance(case, Case):
            raise TypeError(f"{family}: cases must be benchmarks.harness.Case, got {case!r}")
    return cases


def default_datasets(family):
    """The family module's ``DATASETS`` (or empty = every dataset its cases name)."""
    return tuple(getattr(import_family(family), "DATASETS", ()))


# ---------------------------------------------------------------- metrics


def compute_metrics(task, y_true, predicted, scores):
    """Test metrics for one case: AUC + accuracy, or RMSE + R^2 (and the mean Poisson deviance of a count target)."""
    from sklearn.metrics import accuracy_score, mean_poisson_deviance, r2_score, roc_auc_score

    y_true = np.asarray(y_true)
    predicted = np.asarray(predicted)
    if task == "regression":
        rmse = float(np.sqrt(np.mean((y_true - predicted.astype(float)) ** 2)))
        out = {"rmse": rmse, "r2": float(r2_score(y_true, predicted))}
        if np.all(np.equal(np.mod(y_true, 1), 0)) and y_true.min() >= 0:
            # a count target: the deviance its Poisson models are fitted by (None where a prediction is <= 0)
            positive = predicted.min() > 0
            out["poisson_deviance"] = float(mean_poisson_deviance(y_true, predicted)) if positive else None
        return out
    out = {"accuracy": float(accuracy_score(y_true, predicted))}
    if scores is None:
        out["auc"] = None
    elif task == "binary":
        out["auc"] = float(roc_auc_score(y_true, np.asarray(scores, dtype=float)))
    else:
        out["auc"] = float(roc_auc_score(y_true, np.asarray(scores), multi_class="ovr"))
    return out


def _default_score(model, X, task):
    if task == "regression":
        return None
    if hasattr(model, "predict_proba"):
        proba = np.asarray(model.predict_proba(X))
        return proba[:, 1] if task == "binary" else proba
    if hasattr(model, "decision_function"):
        return np.asarray(model.decision_function(X))
    return None


# ---------------------------------------------------------------- running


def _timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def _run_in_process(case, data, repeats):
    fit = case.fit or (lambda model, X, y: model.fit(X, y) or model)
    predict = case.predict or (lambda model, X: model.predict(X))
    # make_model sees the training part only, so no setting can come from the test part
    train_only = dataclasses.replace(data, X_test=None, y_test=None)
    if case.warmup:
        fit(case.make_model(train_only), data.X_train, data.y_train)
    fit_times, model = [], None
    for _ in range(repeats):
        fresh = case.make_model(train_only)
        fitted, seconds = _timed(fit, fresh, data.X_train, data.y_train)
        model = fresh if fitted is None else fitted
        fit_times.append(seconds)
    predict_times, predicted = [], None
    for _ in range(repeats):
        predicted, seconds = _timed(predict, model, data.X_test)
        predict_times.append(seconds)
    if case.score is not None:
        scores = case.score(model, data.X_test)
    else:
        scores = _default_score(model, data.X_test, data.task)
    size = case.size(model) if case.size is not None else None
    return {"fit_times": fit_times, "predict_times": predict_times,
            "predicted": predicted, "scores": scores, "size": size, "version": None}


def _run_seeds_in_process(case, data):
    """One timed fit and predict per seed of ``case.seeds`` (see :class:`Case`)."""
    fit = case.fit or (lambda model, X, y: model.fit(X, y) or model)
    predict = case.predict or (lambda model, X: model.predict(X))
    train_only = dataclasses.replace(data, X_test=None, y_test=None)
    per_seed = []
    for seed in case.seeds:
        fresh = case.make_model(train_only, seed)
        fitted, fit_seconds = _timed(fit, fresh, data.X_train, data.y_train)
        model = fresh if fitted is None else fitted
        predicted, predict_seconds = _timed(predict, model, data.X_test)
        scores = (case.score(model, data.X_test) if case.score is not None
                  else _default_score(model, data.X_test, data.task))
        per_seed.append({"seed": seed, "fit_time": fit_seconds, "predict_time": predict_seconds,
                         "predicted": predicted, "scores": scores,
                         "size": case.size(model) if case.size is not None else None})
    return {"per_seed": per_seed, "version": None}


def seed_summary(task, y_true, per_seed):
    """Per-seed records (metrics computed) and their medians, for a seeded case."""
    seed_results = []
    for run in per_seed:
        metrics = compute_metrics(task, y_true, run["predicted"], run["scores"])
        seed_results.append({"seed": run["seed"], "fit_time": run["fit_time"], "metrics": metrics,
                             "size": None if run["size"] is None else float(run["size"])})
    medians = {}
    for name in seed_results[0]["metrics"]:
        values = [r["metrics"][name] for r in seed_results]
        medians[name] = None if None in values else float(statistics.median(values))
    sizes = [r["size"] for r in seed_results]
    summary = {
        "fit_time": statistics.median(r["fit_time"] for r in seed_results),
        "fit_times": [r["fit_time"] for r in seed_results],
        "predict_time": statistics.median(run["predict_time"] for run in per_seed),
        "metrics": medians,
        "size": None if None in sizes else float(statistics.median(sizes)),
        "seeds": [r["seed"] for r in seed_results],
        "seed_results": seed_results,
    }
    return summary


def _measure(case, data, repeats):
    if case.prepare is not None:
        data = case.prepare(data)
    if case.seeds:
        return _run_seeds_in_process(case, data)
    if isinstance(case.make_model, VenvModel):
        from benchmarks.peers import run_venv_case

        return run_venv_case(case.make_model, data, repeats, warmup=case.warmup,
                             library=case.library)
    return _run_in_process(case, data, repeats)


def run_case(case, data, repeats=3, version=None):
    """Measure one case on a loaded dataset; returns a JSON-ready dict.

    A case that raises is recorded with ``status="error"`` and the error text,
    so one broken peer does not lose the rest of the run.
    """
    if case.max_repeats is not None:
        repeats = max(1, min(repeats, case.max_repeats))
    if case.seeds:
        repeats = len(case.seeds)
    record = {
        "family": case.family, "dataset": case.dataset, "model": case.model_name,
        "library": case.library, "role": "glassbox" if case.is_glassbox else "peer",
        "size_unit": case.size_unit, "notes": case.notes, "repeats": repeats,
        "task": data.task, "n_train": data.n_train, "n_test": data.n_test,
        "data_md5": data.extra.get("md5"),
    }
    with warnings.catch_warnings(record=True) as caught:
        # warnings are kept in the record (once each) instead of flooding the console
        warnings.simplefilter("always")
        try:
            raw = _measure(case, data, repeats)
            if "per_seed" in raw:
                seeded = seed_summary(data.task, data.y_test, raw["per_seed"])
                metrics = seeded["metrics"]
            else:
                metrics = compute_metrics(data.task, data.y_test, raw["predicted"], raw["scores"])
        except Exception as exc:  # noqa: BLE001 - recorded, reported, run continues
            record.update(status="error", error=f"{type(exc).__name__}: {exc}",
                          traceback=traceback.format_exc(limit=-6))
            raw = None
    record["warnings"] = list(dict.fromkeys(
        f"{w.category.__name__}: {str(w.message)[:300]}" for w in caught))
    if hasattr(os, "getloadavg"):  # each case's own load, as later runs merge into the same file
        record["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if raw is None:
        return record
    if "per_seed" in raw:
        record.update(status="ok", version=raw["version"] or version, **seeded)
        return record
    record.update(
        status="ok",
        fit_time=statistics.median(raw["fit_times"]),
        fit_times=raw["fit_times"],
        predict_time=statistics.median(raw["predict_times"]),
        metrics=metrics,
        size=None if raw["size"] is None else float(raw["size"]),
        version=raw["version"] or version,
    )
    return record


def compute_ratios(records):
    """Glassbox / peer ratios for every (dataset, glassbox model, peer model).

    Returns a list of dicts with ``fit_time``, ``predict_time``, ``size`` and
    every metric the two records share. Only successful records measured in the
    same run (same ``run_date``) are paired: times from different runs are not
    comparable.
    """
    ok = [r for r in records if r.get("status") == "ok"]
    ratios = []
    for ours in (r for r in ok if r["role"] == "glassbox"):
        for peer in (r for r in ok if r["role"] == "peer" and r["dataset"] == ours["dataset"]
                     and r.get("run_date") == ours.get("run_date")):
            entry = {"dataset": ours["dataset"], "glassbox_model": ours["model"],
                     "peer_model": peer["model"], "peer_library": peer["library"]}
            pairs = [("fit_time", ours["fit_time"], peer["fit_time"]),
                     ("predict_time", ours["predict_time"], peer["predict_time"]),
                     ("size", ours.get("size"), peer.get("size"))]
            pairs += [(m, ours["metrics"].get(m), peer["metrics"].get(m))
                      for m in ours["metrics"]]
            for key, a, b in pairs:
                entry[key] = _ratio(a, b)
            ratios.append(entry)
    return ratios


def _ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator)


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run; ``records`` holds the cases that finished."""

    def __init__(self, records):
        super().__init__(f"interrupted after {len(records)} finished cases")
        self.records = records


def run_family(family, config, log=print):
    """Run every case of one family; returns the list of records.

    Datasets are loaded once each. Records carry the peer library version.
    Ctrl-C raises :class:`RunInterrupted` carrying the finished records, so the
    caller can still write them.
    """
    records = []
    try:
        _run_cases(family, config, log, records)
    except KeyboardInterrupt:
        log(f"interrupted: keeping the {len(records)} finished cases")
        raise RunInterrupted(records) from None
    return records


def _run_cases(family, config, log, records):
    from benchmarks.peers import library_version

    loaded = {}
    with _thread_limit(config.threads):
        for case in load_family_cases(family, config):
            if case.dataset not in loaded:
                loaded[case.dataset] = load_dataset(case.dataset)
                log(loaded[case.dataset].summary())
            log(f"  {case.model_name} [{case.library}] ...")
            version = (None if isinstance(case.make_model, VenvModel)
                       else library_version(case.library))
            record = run_case(case, loaded[case.dataset], config.repeats, version=version)
            log("    " + describe_record(record))
            if record["status"] != "ok":  # the JSON keeps the message; the console the trace
                log("      " + record["traceback"].rstrip().replace("\n", "\n      "))
            for message in record["warnings"]:
                log(f"    warning: {message}")
            records.append(record)


def _thread_limit(threads):
    """Context limiting native thread pools; a no-op when ``threads`` is None."""
    if threads is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    os.environ["OMP_NUM_THREADS"] = str(threads)  # inherited by venv workers
    return threadpool_limits(limits=threads)


def describe_record(record):
    """One line for the console."""
    if record["status"] != "ok":
        return f"ERROR {record['error']}"
    metrics = ", ".join(f"{k} {v:.4f}" for k, v in record["metrics"].items() if v is not None)
    size = "" if record["size"] is None else f", size {record['size']:g} {record['size_unit']}"
    if record.get("seed_results"):
        per_seed = "; ".join(
            f"seed {r['seed']}: " + ", ".join(f"{k} {v:.4f}" for k, v in r["metrics"].items() if v is not None)
            + f", {r['fit_time']:.3f} s" for r in record["seed_results"])
        return f"median over seeds: fit {record['fit_time']:.3f} s, {metrics}{size} ({per_seed})"
    return f"fit {record['fit_time']:.3f} s, predict {record['predict_time']:.4f} s, {metrics}{size}"
