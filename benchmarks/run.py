"""Run glassbox benchmarks against peer libraries.

Examples
--------
python benchmarks/run.py --family gam --datasets adult,heart --repeats 3
python benchmarks/run.py --all
python benchmarks/run.py --family gam --datasets adult --models EBM   # rerun some rows
python benchmarks/run.py --report        # regenerate RESULTS.md only
python benchmarks/run.py --list

Writes ``benchmarks/results/<family>.json`` (rows measured now replace the same
(dataset, model) rows of earlier runs; ``--fresh`` discards them all) and
regenerates ``benchmarks/RESULTS.md``.
Exits 0 with a message when the shared datasets are absent.
"""

from __future__ import annotations

import argparse
import ast
import os
import shlex
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks import report  # noqa: E402
from benchmarks.datasets import SPECS, datasets_available, datasets_dir, get_spec  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    BenchConfig,
    RunInterrupted,
    default_datasets,
    load_family_cases,
    run_family,
)

FAMILIES_DIR = Path(__file__).resolve().parent / "families"


def available_families():
    """Family module names in ``benchmarks/families``: the modules that define ``cases()`` or ``CASES``.

    Files starting with ``_`` are excluded, and so are the families' helper modules (peers run in another
    environment, standalone studies with their own command), which define neither: ``--all`` stopped at the
    first of them.
    """
    return sorted(p.stem for p in FAMILIES_DIR.glob("*.py") if not p.stem.startswith("_") and _defines_cases(p))


def _defines_cases(path):
    """Whether the module at ``path`` defines a top-level ``cases`` function or ``CASES`` (read, not imported)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef) and node.name == "cases":
            return True
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "CASES" for t in targets):
                return True
    return False


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Benchmark glassbox estimators against peer libraries on fixed splits.")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--family", help="family module(s) in benchmarks/families, comma separated")
    which.add_argument("--all", action="store_true", help="every family module")
    which.add_argument("--report", action="store_true", help="only regenerate RESULTS.md")
    which.add_argument("--list", action="store_true", help="list families and datasets")
    parser.add_argument("--datasets", default="",
                        help="comma-separated dataset names (default: the family's DATASETS)")
    parser.add_argument("--repeats", type=int, default=3, help="timed fits per case (median)")
    parser.add_argument("--models", default="",
                        help="comma-separated substrings: run only models whose name has one")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit OpenMP/BLAS threads (default: each library's own default)")
    parser.add_argument("--quick", action="store_true", help="small settings, for smoke runs")
    parser.add_argument("--fresh", action="store_true",
                        help="discard the family's earlier results instead of merging")
    parser.add_argument("--results-dir", default=str(report.RESULTS_DIR), help=argparse.SUPPRESS)
    parser.add_argument("--results-md", default=str(report.RESULTS_MD), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (args.family or args.all or args.report or args.list):
        parser.error("give --family NAME, --all, --report or --list")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def _print_listing():
    print("families:", ", ".join(available_families()) or "(none)")
    print(f"datasets folder: {datasets_dir()} "
          f"({'present' if datasets_available() else 'ABSENT'})")
    for name, spec in sorted(SPECS.items()):
        print(f"  {name:24s} {spec.task:10s} {spec.split_note:40s} {spec.description}")


def _usable_datasets(names):
    """Split requested names into (available, missing) without loading them."""
    usable, missing = [], []
    for name in names:
        get_spec(name)  # unknown names fail loudly
        (usable if datasets_available([name]) else missing).append(name)
    return usable, missing


def run_one_family(family, args, command):
    requested = tuple(n for n in args.datasets.split(",") if n) or default_datasets(family)
    if not requested:
        config = BenchConfig((), args.repeats, args.quick)
        requested = tuple(dict.fromkeys(c.dataset for c in load_family_cases(family, config)))
    usable, missing = _usable_datasets(requested)
    if missing:
        print(f"[{family}] skipping datasets not found in {datasets_dir()}: {', '.join(missing)}")
    if not usable:
        print(f"[{family}] nothing to run: set GLASSBOX_DATASETS or put the shared "
              f"datasets in {datasets_dir()}")
        return None
    models = tuple(m for m in args.models.split(",") if m)
    config = BenchConfig(tuple(usable), args.repeats, args.quick, models, args.threads)
    print(f"[{family}] datasets {', '.join(usable)}; {args.repeats} repeats")
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    source = report.source_state()  # the code that runs: commits landing during the run are not it
    try:
        records = run_family(family, config)
    except RunInterrupted as stop:  # keep what finished, then stop the whole run
        _write(family, stop.records, config, command, (load_before, source), args)
        raise
    return _write(family, records, config, command, (load_before, source), args)


def _write(family, records, config, command, started, args):
    if not records:
        return None
    load_before, source = started
    payload = report.build_payload(family, records, config, command=command,
                                   load_before=load_before, source=source)
    if not args.fresh:
        payload = report.merge_previous(payload, report.read_family_json(family, args.results_dir))
    path = report.write_family_json(payload, args.results_dir)
    print(f"[{family}] wrote {path}")
    return payload


def main(argv=None):
    args = parse_args(argv)
    if args.list:
        _print_listing()
        return 0
    if not args.report:
        families = available_families() if args.all else [
            f for f in args.family.split(",") if f]
        command = "python benchmarks/run.py " + " ".join(
            shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
        for family in families:
            try:
                run_one_family(family, args, command)
            except ValueError as exc:  # unknown family / dataset: say so, no traceback
                print(f"error: {exc}", file=sys.stderr)
                return 2
            except RunInterrupted:
                report.write_results_md(args.results_dir, args.results_md)
                print("interrupted; finished cases were written", file=sys.stderr)
                return 130
    path = report.write_results_md(args.results_dir, args.results_md)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
