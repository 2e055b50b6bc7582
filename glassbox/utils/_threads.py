"""How many threads compiled kernels may use."""

import os


def effective_n_threads(n_jobs=None):
    """Threads for ``n_jobs`` (None -> all usable cores; negative counts back from them)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        available = os.cpu_count() or 1
    if n_jobs is None or n_jobs == 0:
        return available
    if n_jobs < 0:
        return max(1, available + 1 + n_jobs)
    return int(n_jobs)


def threads_for_work(n_jobs, work, min_work_per_thread=100_000):
    """Threads worth starting for ``work`` elementary operations.

    Starting an OpenMP team costs far more than binning a few thousand values,
    and on a busy machine it can make small calls many times slower, so small
    jobs run on one thread.
    """
    return max(1, min(effective_n_threads(n_jobs), int(work // min_work_per_thread)))
