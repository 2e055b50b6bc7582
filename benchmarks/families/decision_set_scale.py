"""Decision sets on long and wide synthetic tables: fit time and peak memory, each fit in a fresh process.

Run: ``python -m benchmarks.families.decision_set_scale [NAME ...]`` (every configuration by default);
writes ``benchmarks/results/decision_set_scale.{json,md}``.  The data: ``n_numeric`` standard normal
columns and one 8-level categorical; the target is ``x0 + x1 - x2 + (c == "a")`` plus standard normal
noise, above 0.  ``DecisionSetClassifier(random_state=0)`` at its defaults.  Peak memory is the process's
maximum resident set, data included.  Nothing here is a bar of an issue: the figures say what a long or
wide table costs.
"""

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results"
SCALE_JSON = RESULTS / "decision_set_scale.json"
SCALE_MD = RESULTS / "decision_set_scale.md"

#: name -> (rows, numeric columns)
CONFIGS = {
    "long 100,000 x 21": (100_000, 20),
    "long 500,000 x 21": (500_000, 20),
    "wide 2,000 x 61": (2_000, 60),
    "long and wide 100,000 x 31": (100_000, 30),
}


def synthetic_table(n_rows, n_numeric, seed=0):
    """The table and target described in the module docstring."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n_rows, n_numeric)), columns=[f"x{j}" for j in range(n_numeric)])
    X["c"] = pd.Categorical(rng.choice(list("abcdefgh"), n_rows))
    y = (X.x0 + X.x1 - X.x2 + (X.c == "a") + rng.normal(size=n_rows) > 0).astype(int)
    return X, y


def _worker(n_rows, n_numeric):
    """Fit in this process; print one JSON line: fit seconds, peak MiB, rules, conditions, train accuracy."""
    import resource
    import time

    from glassbox import DecisionSetClassifier

    X, y = synthetic_table(n_rows, n_numeric)
    start = time.perf_counter()
    model = DecisionSetClassifier(random_state=0).fit(X, y)
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"fit_s": seconds, "peak_mib": peak_mib, "rules": len(model.rules_),
                      "conditions": sum(len(rule.conditions) for rule in model.rules_),
                      "train_accuracy": float(model.score(X, y))}))


def run(names=None):
    results = json.loads(SCALE_JSON.read_text()) if SCALE_JSON.exists() else {}
    for name in names or CONFIGS:
        n_rows, n_numeric = CONFIGS[name]
        load = os.getloadavg()[0]
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.families.decision_set_scale", "--worker", str(n_rows), str(n_numeric)],
            capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2],
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result.update(shape=[n_rows, n_numeric + 1], load_before=load, load_after=os.getloadavg()[0],
                      measured=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
        results[name] = result
        print(name, result, flush=True)
        SCALE_JSON.write_text(json.dumps(results, indent=1) + "\n")
    lines = [
        "# Decision sets on long and wide tables (benchmarks/families/decision_set_scale.py)", "",
        (__doc__ or "").split("\n\n", 1)[1].replace("\n", " ").strip(), "",
        "| configuration | fit s | peak MiB | rules | conditions | train accuracy | load before / after | measured |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r['fit_s']:.1f} | {r['peak_mib']:.0f} | {r['rules']} | {r['conditions']} | "
                     f"{r['train_accuracy']:.4f} | {r['load_before']:.2f} / {r['load_after']:.2f} | {r['measured']} |")
    SCALE_MD.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        _worker(int(sys.argv[2]), int(sys.argv[3]))
    else:
        run(sys.argv[1:] or None)
