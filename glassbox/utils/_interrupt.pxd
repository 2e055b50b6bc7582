# Ctrl-C inside long kernels that run without the GIL (cimported; no module of its own).
#
# Python runs a signal's handler (raising KeyboardInterrupt) only in the main thread, when it
# holds the GIL; a kernel that boosts or samples for minutes without it would hold up Ctrl-C
# until its end.  The kernels share one ``Interrupt`` per call: the thread that called the
# kernel (OpenMP thread 0, the Python thread) takes the GIL at most every
# GLASSBOX_INTERRUPT_CHECK_SECONDS (0.1) to run the pending handlers, and sets ``stop`` if one raised; every
# thread reads ``stop`` between units of work (a term update, a chain iteration) and returns.
# The exception stays set in the calling thread until ``_raise_if_interrupted`` raises it.
# Reading the flag changes no arithmetic: a kernel that is not interrupted gives the same bits.
#
# Work split over threads goes through ``_claim_item`` / ``_item_done`` / ``_wait_for_items``
# rather than ``prange``: thread 0 keeps watching for Ctrl-C after its own items are done,
# while the other threads finish theirs (in a prange it would sit in the closing barrier).

cdef extern from *:
    """
    #include <time.h>
    /* how often (seconds) the calling thread takes the GIL to run pending signal handlers: an
       uncontended GIL costs about a microsecond, so the check is free at this rate */
    #define GLASSBOX_INTERRUPT_CHECK_SECONDS 0.1
    #if defined(_OPENMP)
    #include <omp.h>
    #endif
    #if defined(_WIN32)
    #include <windows.h>
    #endif

    typedef struct {
        int stop;               /* set once a signal handler raised; read by every thread */
        Py_ssize_t next_item;   /* the next item a thread may claim */
        Py_ssize_t items_done;
        double last_check;      /* thread 0 only */
    } glassbox_interrupt;

    static inline double glassbox_seconds(void) {
    #if defined(_OPENMP)
        return omp_get_wtime();
    #elif defined(CLOCK_MONOTONIC)
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
    #else
        return (double)clock() / CLOCKS_PER_SEC;
    #endif
    }

    static inline int glassbox_is_calling_thread(void) {
    #if defined(_OPENMP)
        return omp_get_thread_num() == 0;
    #else
        return 1;
    #endif
    }

    static inline int glassbox_load_int(int* p) {
        int v;
    #if defined(_OPENMP)
        #pragma omp atomic read
    #endif
        v = *p;
        return v;
    }

    static inline void glassbox_store_int(int* p, int v) {
    #if defined(_OPENMP)
        #pragma omp atomic write
    #endif
        *p = v;
    }

    static inline Py_ssize_t glassbox_fetch_add(Py_ssize_t* p) {
        Py_ssize_t v;
    #if defined(_OPENMP)
        #pragma omp atomic capture
    #endif
        v = (*p)++;
        return v;
    }

    static inline Py_ssize_t glassbox_load_ssize(Py_ssize_t* p) {
        Py_ssize_t v;
    #if defined(_OPENMP)
        #pragma omp atomic read
    #endif
        v = *p;
        return v;
    }

    static inline void glassbox_interrupt_init(glassbox_interrupt* it) {
        it->stop = 0;
        it->next_item = 0;
        it->items_done = 0;
        it->last_check = glassbox_seconds();
    }

    /* Run the pending signal handlers (with the GIL); 1 if one raised (the exception stays set). */
    static inline int glassbox_signal_raised(void) {
        PyGILState_STATE state = PyGILState_Ensure();
        int raised = PyErr_CheckSignals() != 0;
        PyGILState_Release(state);
        return raised;
    }

    /* Whether the kernel should stop: the shared flag, set by thread 0 when a handler raised. */
    static inline int glassbox_interrupted(glassbox_interrupt* it) {
        double now;
        if (glassbox_load_int(&it->stop)) return 1;
        if (!glassbox_is_calling_thread()) return 0;
        now = glassbox_seconds();
        if (now - it->last_check < GLASSBOX_INTERRUPT_CHECK_SECONDS && now >= it->last_check) return 0;
        it->last_check = now;
        if (glassbox_signal_raised()) {
            glassbox_store_int(&it->stop, 1);
            return 1;
        }
        return 0;
    }

    static inline void glassbox_sleep_ms(int ms) {
    #if defined(_WIN32)
        Sleep(ms);
    #else
        struct timespec ts;
        ts.tv_sec = 0;
        ts.tv_nsec = 1000000L * ms;
        nanosleep(&ts, NULL);
    #endif
    }

    /* Thread 0 watches for Ctrl-C until the other threads have done all n items (or stop). */
    static inline void glassbox_wait_for_items(glassbox_interrupt* it, Py_ssize_t n) {
        if (!glassbox_is_calling_thread()) return;
        while (glassbox_load_ssize(&it->items_done) < n && !glassbox_interrupted(it))
            glassbox_sleep_ms(1);
    }

    static inline Py_ssize_t glassbox_claim_item(glassbox_interrupt* it) { return glassbox_fetch_add(&it->next_item); }
    static inline void glassbox_item_done(glassbox_interrupt* it) { glassbox_fetch_add(&it->items_done); }

    /* Raise the exception a signal handler left (KeyboardInterrupt if none is set). */
    static inline int glassbox_raise_if_interrupted(glassbox_interrupt* it) {
        if (!it->stop) return 0;
        if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
        return -1;
    }
    """
    ctypedef struct Interrupt "glassbox_interrupt":
        int stop
    void _interrupt_init "glassbox_interrupt_init"(Interrupt* it) noexcept nogil
    # whether Ctrl-C (or another raising signal handler) asked the kernel to stop
    bint _interrupted "glassbox_interrupted"(Interrupt* it) noexcept nogil
    # the next item (0, 1, ...) for this thread; items at or past the count are not to be done
    Py_ssize_t _claim_item "glassbox_claim_item"(Interrupt* it) noexcept nogil
    void _item_done "glassbox_item_done"(Interrupt* it) noexcept nogil
    # thread 0 keeps checking for Ctrl-C until all n items are done or the kernel stops
    void _wait_for_items "glassbox_wait_for_items"(Interrupt* it, Py_ssize_t n) noexcept nogil
    int _raise_if_interrupted "glassbox_raise_if_interrupted"(Interrupt* it) except -1
