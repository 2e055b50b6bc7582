"""Peer libraries: version lookup and isolated virtual environments.

Most peers come from the ``bench`` extra and run in the main interpreter. A peer
whose pins clash with ours (FasterRisk pins numpy < 2 and scikit-learn 1.2) runs
in its own virtual environment, ``benchmarks/.venvs/<name>``, which
:class:`PeerVenv` creates on first use. The harness writes the split to CSV
files and runs ``benchmarks/_venv_worker.py`` inside that environment; the
worker fits, times, predicts and answers in JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
VENV_ROOT = BENCH_DIR / ".venvs"
WORKER = BENCH_DIR / "_venv_worker.py"
_MARKER = "glassbox-peer-venv.json"


def library_version(distribution):
    """Installed version of a distribution (``"glassbox"`` included), or ``None``."""
    if distribution == "glassbox":
        try:
            import glassbox

            return glassbox.__version__
        except Exception:  # noqa: BLE001 - a broken build still gets benchmarked peers
            return None
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


class PeerVenv:
    """A virtual environment of its own for one peer library.

    Parameters
    ----------
    name : str
        Folder name under ``root`` (letters, digits, ``-``, ``_``, ``.``).
    requirements : list of str
        pip requirement strings, e.g. ``["fasterrisk==0.1.10", "pandas"]``. With
        an empty list the venv is created without pip (the worker then runs on
        the standard library alone), which is what the fast test uses.
    root : path, optional
        Parent folder; default ``benchmarks/.venvs`` (git-ignored).
    python : str, optional
        Interpreter that creates the venv; default the running one.
    """

    def __init__(self, name, requirements, root=None, python=None):
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
            raise ValueError(f"PeerVenv name {name!r} must be a plain folder name")
        self.name = name
        self.requirements = [str(r) for r in requirements]
        self.root = Path(root) if root is not None else VENV_ROOT
        self.base_python = python or sys.executable

    def __repr__(self):
        return f"PeerVenv({self.name!r}, {self.requirements!r})"

    @property
    def path(self):
        return self.root / self.name

    @property
    def python(self):
        scripts = "Scripts" if os.name == "nt" else "bin"
        return self.path / scripts / ("python.exe" if os.name == "nt" else "python")

    def _fingerprint(self):
        text = json.dumps({"requirements": sorted(self.requirements),
                           "python": self.base_python})
        return hashlib.sha256(text.encode()).hexdigest()

    def is_ready(self):
        """True when the venv exists and was built for the current requirements."""
        marker = self.path / _MARKER
        if not (self.python.exists() and marker.is_file()):
            return False
        return json.loads(marker.read_text()).get("fingerprint") == self._fingerprint()

    def ensure(self, log=print):
        """Create (or re-create, if the requirements changed) the environment."""
        if self.is_ready():
            return self
        log(f"  creating peer venv {self.path} for {self.requirements or 'no packages'}")
        command = [self.base_python, "-m", "venv", "--clear", str(self.path)]
        if not self.requirements:
            command.insert(3, "--without-pip")
        _check_call(command, "create the virtual environment")
        if self.requirements:
            _check_call([str(self.python), "-m", "pip", "install", "--quiet",
                         "--disable-pip-version-check", *self.requirements],
                        f"pip install {' '.join(self.requirements)}")
        (self.path / _MARKER).write_text(json.dumps({
            "fingerprint": self._fingerprint(), "requirements": self.requirements}))
        return self

    def run_worker(self, job, timeout=3600):
        """Run the worker on one job dict inside this venv; returns its JSON answer."""
        self.ensure()
        with tempfile.TemporaryDirectory(prefix="glassbox-peer-") as folder:
            job_path, out_path = Path(folder) / "job.json", Path(folder) / "out.json"
            job_path.write_text(json.dumps(job))
            completed = subprocess.run(
                [str(self.python), str(WORKER), str(job_path), str(out_path)],
                capture_output=True, text=True, timeout=timeout,
                env={**os.environ, "PYTHONNOUSERSITE": "1", "PYTHONPATH": ""},
            )
            if completed.returncode != 0 or not out_path.is_file():
                raise RuntimeError(
                    f"peer worker in venv {self.name!r} failed (exit "
                    f"{completed.returncode}):\n{completed.stderr[-3000:]}"
                )
            return json.loads(out_path.read_text())


# FasterRisk pins numpy < 2 and scikit-learn 1.2 (PEERS.md): its own environment.
# Worker module: benchmarks/peer_models/fasterrisk_model.py.
FASTERRISK = PeerVenv("fasterrisk", ["fasterrisk==0.1.10", "pandas"])
FASTERRISK_MODULE = BENCH_DIR / "peer_models" / "fasterrisk_model.py"


def _check_call(command, what):
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"could not {what}:\n{completed.stderr[-3000:]}")


def write_split(data, folder):
    """Write a Dataset's split as CSV files the worker can read without pandas."""
    folder = Path(folder)
    data.X_train.to_csv(folder / "X_train.csv", index=False)
    data.X_test.to_csv(folder / "X_test.csv", index=False)
    data.y_train.to_frame().to_csv(folder / "y_train.csv", index=False)
    return {
        "X_train": str(folder / "X_train.csv"), "X_test": str(folder / "X_test.csv"),
        "y_train": str(folder / "y_train.csv"), "categorical": list(data.categorical),
        "task": data.task,
    }


def run_venv_case(venv_model, data, repeats, warmup=False, library=None):
    """Run one :class:`~benchmarks.harness.VenvModel` case; same dict as in-process runs."""
    module_file = Path(venv_model.module_file)
    if not module_file.is_absolute():
        module_file = BENCH_DIR.parent / module_file
    if not module_file.is_file():
        raise FileNotFoundError(f"peer module file {module_file} does not exist")
    with tempfile.TemporaryDirectory(prefix="glassbox-split-") as folder:
        job = {"split": write_split(data, folder), "module_file": str(module_file),
               "params": venv_model.params, "repeats": int(repeats),
               "warmup": bool(warmup), "library": library}
        answer = venv_model.venv.run_worker(job)
    scores = answer.get("scores")
    return {
        "fit_times": answer["fit_times"], "predict_times": answer["predict_times"],
        "predicted": np.asarray(answer["predicted"]),
        "scores": None if scores is None else np.asarray(scores, dtype=float),
        "size": answer.get("size"), "version": answer.get("version"),
    }
