"""Result files: ``results/<family>.json`` and the ``RESULTS.md`` built from all of them."""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import platform
import sys
from pathlib import Path

from benchmarks.harness import METRICS, compute_ratios
from benchmarks.peers import library_version

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
RESULTS_MD = BENCH_DIR / "RESULTS.md"
SCHEMA_VERSION = 1
CORE_LIBRARIES = ("glassbox", "numpy", "scipy", "scikit-learn", "pandas", "Cython")
_METRIC_LABELS = {"auc": "AUC", "accuracy": "acc", "rmse": "RMSE", "r2": "R²"}


def machine_info():
    """Where the numbers were measured."""
    info = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or _cpu_model(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    if hasattr(os, "getloadavg"):
        # other work on the machine inflates times; the reader should know
        info["load_average_1m_5m_15m"] = [round(x, 2) for x in os.getloadavg()]
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        info["memory_gib"] = round(pages * page_size / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return info


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def source_state():
    """Commit of the checkout that ran, and whether it had uncommitted changes."""
    import subprocess

    def git(*args):
        done = subprocess.run(["git", *args], cwd=BENCH_DIR, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--short=12", "HEAD")
    changes = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "uncommitted_changes": None if changes is None else bool(changes)}


def _json_safe(value):
    """Plain floats/ints/lists for json (NaN/inf become None)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def build_payload(family, records, config, command="", load_before=None, source=None):
    """The JSON document for one family run.

    ``load_before`` is ``os.getloadavg()`` taken before the run: on a shared
    machine other work inflates every time, so the reader should see it.
    ``source`` is :func:`source_state` taken when the run started (the code
    that ran; commits landing during a long run must not be credited with it);
    by default it is taken now.
    """
    libraries = sorted({r["library"] for r in records} | set(CORE_LIBRARIES))
    versions = {lib: library_version(lib) for lib in libraries}
    for record in records:  # venv peers report their own version
        if record.get("version") and not versions.get(record["library"]):
            versions[record["library"]] = record["version"]
    date = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    source = source_state() if source is None else source
    # each row carries its own run's commit: later runs merge into the same file
    # and the payload's "source" then describes only the newest run
    records = [{**r, "run_date": date, "source": source} for r in records]
    return _json_safe({
        "schema": SCHEMA_VERSION,
        "family": family,
        "date": date,
        "command": command,
        "config": {"repeats": config.repeats, "datasets": list(config.datasets),
                   "quick": config.quick, "threads": config.threads},
        "machine": {**machine_info(), "load_average_before_run": load_before},
        "source": source,
        "versions": versions,
        "results": [{k: v for k, v in r.items() if k != "traceback"} for r in records],
        "ratios": compute_ratios(records),
    })


def merge_previous(payload, previous):
    """Keep ``previous`` results that this run did not measure again.

    A (dataset, model) measured now replaces the old record; other old records
    stay, each with its own ``run_date``. Ratios are recomputed; they only pair
    records of the same run (see ``harness.compute_ratios``).
    """
    if previous is None or previous.get("schema") != SCHEMA_VERSION:
        return payload
    measured = {(r["dataset"], r["model"]) for r in payload["results"]}
    kept = [r for r in previous["results"] if (r["dataset"], r["model"]) not in measured]
    merged = dict(payload, results=kept + payload["results"])
    order = {name: i for i, name in enumerate(dict.fromkeys(r["dataset"] for r in merged["results"]))}
    merged["results"].sort(key=lambda r: order[r["dataset"]])  # stable: keeps row order
    merged["ratios"] = _json_safe(compute_ratios(merged["results"]))
    return merged


def read_family_json(family, results_dir=RESULTS_DIR):
    """The stored result document of one family, or ``None``."""
    path = Path(results_dir) / f"{family}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def write_family_json(payload, results_dir=RESULTS_DIR):
    """Write ``<results_dir>/<family>.json``; returns its path."""
    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{payload['family']}.json"
    path.write_text(json.dumps(payload, indent=1, sort_keys=False) + "\n")
    return path


def load_payloads(results_dir=RESULTS_DIR):
    """All result documents in ``results_dir``, sorted by family name."""
    payloads = []
    for path in sorted(Path(results_dir).glob("*.json")):
        payload = json.loads(path.read_text())
        if not isinstance(payload, dict) or "schema" not in payload:
            continue  # another tool's file (e.g. a family's extra study), not a run record
        if payload.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"{path}: schema {payload.get('schema')!r}, expected "
                             f"{SCHEMA_VERSION}; rerun that family")
        payloads.append(payload)
    return payloads


def _cell(text):
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _fmt(value, digits=4):
    if value is None:
        return "–"
    if abs(value) >= 10:
        return f"{value:.2f}"
    return f"{value:.{digits}g}" if abs(value) < 0.001 and value != 0 else f"{value:.{digits}f}"


def _seconds(value):
    if value is None:
        return "–"
    return f"{value:.3g}" if value < 1 else f"{value:.2f}"


def _metrics_cell(record):
    metrics = record["metrics"]
    return ", ".join(f"{_METRIC_LABELS.get(m, m)} {_fmt(metrics.get(m))}"
                     for m in METRICS[record["task"]] if m in metrics)


def _ratio_cell(record, ratios):
    parts = []
    for entry in ratios:
        if entry["dataset"] != record["dataset"] or entry["glassbox_model"] != record["model"]:
            continue
        values = [f"fit {_fmt(entry['fit_time'], 3)}×"]
        values += [f"{_METRIC_LABELS.get(m, m)} {_fmt(entry.get(m), 3)}×"
                   for m in METRICS[record["task"]] if entry.get(m) is not None]
        if entry.get("size") is not None:
            values.append(f"size {_fmt(entry['size'], 3)}×")
        parts.append(f"vs {_cell(entry['peer_model'])}: " + ", ".join(values))
    return "<br>".join(parts) if parts else ""


def _load_text(machine):
    load = machine.get("load_average_before_run") or machine.get("load_average_1m_5m_15m")
    return "unknown" if not load else f"{load[0]:.2f} (1 min) before the run"


def render_family(payload):
    """Markdown section for one family."""
    machine, versions = payload["machine"], payload["versions"]
    version_text = ", ".join(f"{k} {v}" for k, v in sorted(versions.items()) if v)
    lines = [
        f"## {payload['family']}",
        "",
        f"Run {payload['date']} on {machine.get('processor') or machine.get('machine')} "
        f"({machine.get('cpu_count')} cores, {machine.get('memory_gib', '?')} GiB, "
        f"load average {_load_text(machine)}), "
        f"Python {machine.get('python')}, {payload['config']['repeats']} repeats, "
        f"threads {payload['config'].get('threads') or 'library defaults'}. "
        f"Versions: {version_text}.",
        "",
    ]
    source = payload.get("source") or {}
    if source.get("commit"):
        dirty = " plus uncommitted changes" if source.get("uncommitted_changes") else ""
        lines += [f"Source: commit `{source['commit']}`{dirty}.", ""]
    if payload.get("command"):
        lines += [f"Command: `{payload['command']}`", ""]
    lines += [
        "| dataset | model | library | median fit s | predict s | test metric | size | ratio glassbox / peer |",
        "|---|---|---|---|---|---|---|---|",
    ]
    failures, notes = [], []
    for record in payload["results"]:
        library = f"{record['library']} {record.get('version') or ''}".strip()
        if record.get("run_date") and record["run_date"] != payload["date"]:
            library += f" (earlier run, {record['run_date'][:16]})"
        if record["status"] != "ok":
            failures.append(record)
            lines.append(f"| {record['dataset']} | {_cell(record['model'])} | {library} "
                         "| failed | | | | |")
            continue
        size = "–" if record.get("size") is None else f"{record['size']:g} {record['size_unit']}"
        lines.append(
            f"| {record['dataset']} | {_cell(record['model'])} | {library} "
            f"| {_seconds(record['fit_time'])} | {_seconds(record['predict_time'])} "
            f"| {_metrics_cell(record)} | {size} | {_ratio_cell(record, payload['ratios'])} |"
        )
        if record.get("notes") and record["notes"] not in notes:
            notes.append(record["notes"])
        if record.get("warnings"):
            notes.append(f"{record['dataset']} / {record['model']} warned: "
                         + "; ".join(record["warnings"][:2]))
    lines.append("")
    lines += [f"- {_cell(note)}" for note in notes]
    lines += [f"- **failed**: {r['dataset']} / {r['model']}: {_cell(r['error'])}"
              for r in failures]
    if notes or failures:
        lines.append("")
    return "\n".join(lines)


def render_results_md(payloads, extra_tables=()):
    """The whole ``RESULTS.md`` text from a list of result documents.

    ``extra_tables`` names result tables that families write themselves (paths
    relative to ``benchmarks/``, e.g. path timings or fidelity studies); they
    are linked at the end so every measurement is reachable from one page.
    """
    header = [
        "# Benchmark results",
        "",
        "Generated by `python benchmarks/run.py` from `benchmarks/results/*.json`; do not edit "
        "by hand (`python benchmarks/run.py --report` regenerates it). Times are wall-clock "
        "seconds (median of the repeats); metrics are on the fixed test split (see "
        "`benchmarks/README.md`). Ratios compare models measured in the same run: below 1 is "
        "better for time, size and RMSE, above 1 is better for AUC, accuracy and R².",
        "",
    ]
    if not payloads:
        header += ["No results yet.", ""]
    footer = []
    if extra_tables:
        footer = ["## Family studies outside the harness", ""]
        footer += [f"- [{name}]({name})" for name in extra_tables]
        footer.append("")
    return "\n".join(header + [render_family(p) for p in payloads] + footer)


def write_results_md(results_dir=RESULTS_DIR, path=RESULTS_MD):
    """Regenerate ``RESULTS.md`` from every JSON file; returns its path."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    extra = sorted(
        str(md.relative_to(Path(path).parent)) for md in Path(results_dir).glob("*.md")
    ) if Path(results_dir).parent == Path(path).parent else []
    Path(path).write_text(render_results_md(load_payloads(results_dir), extra))
    return Path(path)
