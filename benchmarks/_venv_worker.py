"""Run one peer model inside its own virtual environment (started by ``peers.py``).

Usage: ``python _venv_worker.py job.json out.json``. Standalone on purpose: it
must run under whatever numpy / pandas the peer pins (or none), so it imports
neither glassbox nor the harness. The job names a ``module_file`` defining
``make_model(params)`` and optionally ``fit(model, X, y)``, ``predict(model, X)``,
``score(model, X)``, ``size(model)`` and ``version()``. ``X`` is a pandas
DataFrame if pandas is installed, else a float NumPy array, else a list of rows.
"""

import csv
import importlib.util
import json
import statistics
import sys
import time
from importlib import metadata


def _read_table(path, categorical=()):
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
        for column in categorical:
            if column in frame.columns:
                frame[column] = frame[column].astype("category")
        return frame
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    values = [[float(cell) if cell != "" else float("nan") for cell in row] for row in rows]
    try:
        import numpy as np
    except ImportError:
        return values
    return np.asarray(values, dtype=float)


def _read_target(path, task):
    with open(path, newline="") as handle:
        cells = [row[0] for row in list(csv.reader(handle))[1:]]
    if task == "regression":
        values = [float(c) for c in cells]
    else:
        values = [int(float(c)) if _is_number(c) else c for c in cells]
    try:
        import numpy as np
    except ImportError:
        return values
    return np.asarray(values)


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _to_json(values):
    if values is None:
        return None
    if hasattr(values, "tolist"):
        return values.tolist()
    return [v.tolist() if hasattr(v, "tolist") else v for v in values]


def _load_module(path):
    spec = importlib.util.spec_from_file_location("peer_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _version(module, library):
    if hasattr(module, "version"):
        return str(module.version())
    if library:
        try:
            return metadata.version(library)
        except metadata.PackageNotFoundError:
            return None
    return None


def _default_score(model, X, task):
    if task == "regression":
        return None
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(X)
        proba = proba.tolist() if hasattr(proba, "tolist") else proba
        return [row[1] for row in proba] if task == "binary" else proba
    if hasattr(model, "decision_function"):
        return model.decision_function(X)
    return None


def main(job_path, out_path):
    with open(job_path) as handle:
        job = json.load(handle)
    split, params, task = job["split"], job["params"], job["split"]["task"]
    module = _load_module(job["module_file"])
    X_train = _read_table(split["X_train"], split["categorical"])
    X_test = _read_table(split["X_test"], split["categorical"])
    y_train = _read_target(split["y_train"], task)
    fit = getattr(module, "fit", None) or (lambda model, X, y: model.fit(X, y) or model)
    predict = getattr(module, "predict", None) or (lambda model, X: model.predict(X))
    if job["warmup"]:
        fit(module.make_model(params), X_train, y_train)
    fit_times, model = [], None
    for _ in range(job["repeats"]):
        fresh = module.make_model(params)
        start = time.perf_counter()
        fitted = fit(fresh, X_train, y_train)
        fit_times.append(time.perf_counter() - start)
        model = fresh if fitted is None else fitted
    predict_times, predicted = [], None
    for _ in range(job["repeats"]):
        start = time.perf_counter()
        predicted = predict(model, X_test)
        predict_times.append(time.perf_counter() - start)
    score = getattr(module, "score", None)
    scores = score(model, X_test) if score else _default_score(model, X_test, task)
    answer = {
        "fit_times": fit_times, "predict_times": predict_times,
        "median_fit_time": statistics.median(fit_times),
        "predicted": _to_json(predicted), "scores": _to_json(scores),
        "size": float(module.size(model)) if hasattr(module, "size") else None,
        "version": _version(module, job.get("library")),
        "python": sys.version.split()[0],
    }
    with open(out_path, "w") as handle:
        json.dump(answer, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
