"""How many threads compiled kernels may use."""

import os

from ._openmp_fast import openmp_max_threads


def _usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def effective_n_threads(n_jobs=None):
    """Threads the compiled kernels start for ``n_jobs``.

    ``None`` gives the OpenMP runtime's limit: ``OMP_NUM_THREADS`` when it is set,
    a ``threadpoolctl.threadpool_limits`` block around the call, the limit joblib
    sets in its worker processes, else every core this process may run on. A
    negative ``n_jobs`` counts back from that limit (-1 is all of it, -2 one
    fewer). A positive ``n_jobs`` is taken as given.

    The kernels are told the count explicitly, so reading the runtime's limit
    here is what keeps them from oversubscribing the machine when several
    processes share it (``GridSearchCV(..., n_jobs=k)``).
    """
    if n_jobs is not None and n_jobs > 0:
        return int(n_jobs)
    limit = max(1, min(openmp_max_threads(), _usable_cores()))
    if n_jobs is None or n_jobs == 0:
        return limit
    return max(1, limit + 1 + n_jobs)


def threads_for_work(n_jobs, work, min_work_per_thread=100_000):
    """Threads worth starting for ``work`` elementary operations.

    Starting an OpenMP team costs far more than binning a few thousand values,
    and on a busy machine it can make small calls many times slower, so small
    jobs run on one thread.
    """
    return max(1, min(effective_n_threads(n_jobs), int(work // min_work_per_thread)))
