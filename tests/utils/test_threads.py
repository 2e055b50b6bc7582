"""Thread counts for the compiled kernels follow the OpenMP runtime's limits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import glassbox
from glassbox.utils._openmp_fast import openmp_enabled
from glassbox.utils._threads import effective_n_threads, threads_for_work

# the directory holding the glassbox this process imported: a child started there imports that one too,
# the installed build under test rather than a source tree beside the tests (built another way, or not at all)
GLASSBOX_HOME = Path(glassbox.__file__).resolve().parents[1]

needs_openmp = pytest.mark.skipif(not openmp_enabled(), reason="glassbox was built without OpenMP")


def _run(code, **env):
    """Run ``code`` in a fresh interpreter (OpenMP reads OMP_NUM_THREADS once, at start-up)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
    environment.update(env)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=GLASSBOX_HOME,
                            env=environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@needs_openmp
@pytest.mark.parametrize("limit", ["1", "2"])
def test_omp_num_threads_limits_the_default(limit):
    code = "from glassbox.utils._threads import effective_n_threads as t; print(t(None), t(-1), t(2), t(3))"
    default, all_of_it, two, three = map(int, _run(code, OMP_NUM_THREADS=limit))
    # never more threads than the limit (nor than the cores this process may use)
    assert default == all_of_it == min(int(limit), len(os.sched_getaffinity(0)))
    # an explicit count is the user's choice, whatever the environment says
    assert (two, three) == (2, 3)


@needs_openmp
def test_threadpool_limits_limits_the_default():
    code = (
        "from threadpoolctl import threadpool_limits\n"
        "from glassbox.utils._threads import effective_n_threads as t\n"
        "print(t(None))\n"
        "with threadpool_limits(limits=1, user_api='openmp'):\n"
        "    print(t(None), t(-1), t(2))\n"
        "print(t(None))\n"
    )
    before, inside, all_of_it, two, after = map(int, _run(code))
    assert (inside, all_of_it, two) == (1, 1, 2)
    assert after == before == len(os.sched_getaffinity(0))


@needs_openmp
def test_negative_n_jobs_counts_back_from_the_limit():
    code = "from glassbox.utils._threads import effective_n_threads as t; print(t(-1), t(-2), t(-3), t(-100))"
    assert list(map(int, _run(code, OMP_NUM_THREADS="2"))) == [min(2, len(os.sched_getaffinity(0))), 1, 1, 1]


@pytest.mark.skipif(openmp_enabled(), reason="glassbox was built with OpenMP")
def test_a_serial_build_runs_one_thread():
    assert effective_n_threads(None) == effective_n_threads(-1) == 1


def test_small_work_runs_on_one_thread():
    assert threads_for_work(None, 10) == 1
    assert threads_for_work(4, 10**9) == 4
    assert effective_n_threads(5) == 5


def test_gam_fit_does_not_depend_on_the_thread_limit():
    code = (
        "from sklearn.datasets import make_classification\n"
        "from glassbox import GAMClassifier\n"
        "X, y = make_classification(n_samples=3000, n_features=6, random_state=0)\n"
        "model = GAMClassifier(max_rounds=60, random_state=0).fit(X, y)\n"
        "print(hashlib.sha256(model.to_json().encode()).hexdigest())\n"
    )
    code = "import hashlib\n" + code
    assert _run(code, OMP_NUM_THREADS="1") == _run(code)
