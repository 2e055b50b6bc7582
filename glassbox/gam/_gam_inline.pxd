# C helpers of the GAM's row passes, inlined where cimported (no module of its own): the CPU check
# that picks the AVX2 build, and the additions the passes make per row.  They are C rather than
# Cython for ``restrict`` and SSE2 intrinsics; ``_gam_fast`` cimports them, and ``_gam_avx2_fast``
# (which includes ``_gam_fast.pyx``) compiles the same code again with AVX2.

cdef extern from *:
    """
    /* Whether this CPU (and its operating system) runs AVX2 instructions; 0 where it cannot be asked. */
    static int glassbox_cpu_has_avx2(void) {
    #if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
    #else
        return 0;
    #endif
    }
    """
    int _cpu_has_avx2 "glassbox_cpu_has_avx2"() noexcept nogil


cdef extern from *:
    """
    /* part[0] += g and part[1] += h: one two-lane addition where SSE2 exists (each lane rounds
       as the scalar addition does, so the sums are the same bits), two scalar ones elsewhere. */
    #if defined(__SSE2__)
    #include <emmintrin.h>
    static inline void glassbox_add_pair(double* part, double g, double h) {
        _mm_storeu_pd(part, _mm_add_pd(_mm_loadu_pd(part), _mm_set_pd(h, g)));
    }
    #else
    static inline void glassbox_add_pair(double* part, double g, double h) {
        part[0] = part[0] + g;
        part[1] = part[1] + h;
    }
    #endif
    """
    void _add_pair "glassbox_add_pair"(double* part, double g, double h) noexcept nogil


cdef extern from *:
    """
    /* raw[i] += delta[codes[i]] for n rows; the arrays never overlap (restrict), which lets the
       compiler keep the loop tight (and gather four rows at a time where AVX2 has it). */
    static inline void glassbox_apply_codes(double* __restrict raw, const double* __restrict delta,
                                            const unsigned short* __restrict codes, Py_ssize_t n) {
        for (Py_ssize_t i = 0; i < n; i++) raw[i] = raw[i] + delta[codes[i]];
    }
    """
    void _apply_codes "glassbox_apply_codes"(double* raw, const double* delta, const unsigned short* codes,
                                             Py_ssize_t n) noexcept nogil


cdef extern from *:
    """
    /* raw[i, k] += delta[codes[i], k] for n rows of K outputs, the arrays not overlapping (restrict):
       without it the compiler reloads delta after every store to raw. */
    static inline void glassbox_apply_codes_k(double* __restrict raw, const double* __restrict delta,
                                              const unsigned short* __restrict codes, Py_ssize_t n,
                                              Py_ssize_t K) {
        for (Py_ssize_t i = 0; i < n; i++) {
            const double* __restrict step = delta + codes[i] * K;
            for (Py_ssize_t k = 0; k < K; k++) raw[i * K + k] = raw[i * K + k] + step[k];
        }
    }
    """
    void _apply_codes_k "glassbox_apply_codes_k"(double* raw, const double* delta, const unsigned short* codes,
                                                 Py_ssize_t n, Py_ssize_t K) noexcept nogil
