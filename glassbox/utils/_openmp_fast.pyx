# cython: language_level=3
"""The OpenMP runtime's own thread limit, read from compiled code.

``omp_get_max_threads()`` is the number of threads a parallel region would
start: it reads ``OMP_NUM_THREADS`` and any limit set at run time (for instance
by ``threadpoolctl.threadpool_limits`` or by joblib in its worker processes).
Built without OpenMP, the kernels run serially, and this says 1.
"""

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    static int glassbox_openmp_max_threads(void) { return omp_get_max_threads(); }
    static int glassbox_openmp_enabled(void) { return 1; }
    #else
    static int glassbox_openmp_max_threads(void) { return 1; }
    static int glassbox_openmp_enabled(void) { return 0; }
    #endif
    """
    int glassbox_openmp_max_threads() nogil
    int glassbox_openmp_enabled() nogil


def openmp_max_threads():
    """Threads the OpenMP runtime allows a parallel region (1 in a serial build)."""
    return glassbox_openmp_max_threads()


def openmp_enabled():
    """Whether the compiled kernels were built with OpenMP."""
    return bool(glassbox_openmp_enabled())
