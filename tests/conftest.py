"""Fixtures shared by every test directory."""

import os
import signal
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

try:
    from hypothesis import settings
except ImportError:  # the serial-build job of .ci/run installs only pytest and pandas: no property tests there
    settings = None

# The property tests draw the same examples on every run (derandomized, no example database), so that a
# run's outcome does not depend on the entropy it started with; HYPOTHESIS_PROFILE=explore draws new
# examples on each run, to search for counterexamples.
if settings is not None:
    settings.register_profile("deterministic", derandomize=True, database=None)
    settings.register_profile("explore")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

# The benchmark datasets live beside the repository, not in it (see benchmarks/datasets.py).
SHARED_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def read_shared_csv():
    """``read(name)``: a file of the shared datasets as a DataFrame; the test is skipped when the file is absent."""
    def read(name):
        path = SHARED_DATASETS / name
        if not path.exists():
            pytest.skip(f"the shared datasets are not available ({path})")
        return pd.read_csv(path)
    return read


@pytest.fixture(scope="session")
def iris_species():
    """Iris as a frame and its species names: three classes."""
    from sklearn.datasets import load_iris
    X, y = load_iris(return_X_y=True, as_frame=True)
    return X, np.array(["setosa", "versicolor", "virginica"])[y]


@pytest.fixture(scope="session")
def iris_lasso(iris_species):
    """A multinomial lasso (SparseLinearClassifier at its defaults) on iris: each term's median class
    coefficient is 0, so versicolor's column is all zeros though its probability moves."""
    from glassbox import SparseLinearClassifier
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SparseLinearClassifier().fit(*iris_species)


@pytest.fixture
def ctrl_c_raises():
    """Ctrl-C (and ``_thread.interrupt_main``) raises KeyboardInterrupt in this test, as in a terminal.

    A process started in the background by a non-interactive shell (``cmd &``, ``nohup``) inherits SIGINT
    ignored, and Python then installs no handler: an interrupt would be dropped and the interrupt tests
    would fail for a reason that is not the library's.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
