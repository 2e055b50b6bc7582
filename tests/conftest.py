"""Fixtures shared by every test directory."""

from pathlib import Path

import pandas as pd
import pytest

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
