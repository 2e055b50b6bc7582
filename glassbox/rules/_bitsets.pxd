# Inline bit tricks shared by the rule kernels (cimported, never imported).
#
# Bitsets are rows of uint64 words: bit i of word w is row 64 * w + i.
# Popcount and count-trailing-zeros map to compiler builtins; the small
# splitmix64 generator gives each MCMC chain its own reproducible stream
# without touching Python objects inside nogil loops.

from libc.stdint cimport uint64_t

cdef extern from *:
    """
    #if defined(_MSC_VER)
    #include <intrin.h>
    static inline int gb_popcount64(unsigned long long x) { return (int)__popcnt64(x); }
    static inline int gb_ctz64(unsigned long long x) { unsigned long i; _BitScanForward64(&i, x); return (int)i; }
    #else
    #if defined(__POPCNT__)
    static inline int gb_popcount64(unsigned long long x) { return __builtin_popcountll(x); }
    #else
    /* Without -mpopcnt the builtin is a library call; this branch-free form is inlined and vectorised. */
    static inline int gb_popcount64(unsigned long long x) {
        x = x - ((x >> 1) & 0x5555555555555555ULL);
        x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
        x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
        return (int)((x * 0x0101010101010101ULL) >> 56);
    }
    #endif
    static inline int gb_ctz64(unsigned long long x) { return __builtin_ctzll(x); }
    #endif
    """
    int gb_popcount64(unsigned long long x) nogil
    int gb_ctz64(unsigned long long x) nogil


cdef inline uint64_t splitmix64(uint64_t* state) noexcept nogil:
    cdef uint64_t z
    state[0] += <uint64_t>0x9E3779B97F4A7C15
    z = state[0]
    z = (z ^ (z >> 30)) * <uint64_t>0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) * <uint64_t>0x94D049BB133111EB
    return z ^ (z >> 31)


cdef inline double uniform01(uint64_t* state) noexcept nogil:
    """Uniform double in [0, 1) with 53 random bits."""
    return (splitmix64(state) >> 11) * (1.0 / 9007199254740992.0)


cdef inline Py_ssize_t uniform_index(uint64_t* state, Py_ssize_t n) noexcept nogil:
    """Uniform integer in [0, n) (n >= 1); the modulo bias is below 2**-40 for n < 2**24."""
    return <Py_ssize_t>(splitmix64(state) % <uint64_t>n)


cdef inline double and_weight(const uint64_t* a, const uint64_t* b, uint64_t* out,
                              Py_ssize_t n_words, const double* weights, bint uniform) noexcept nogil:
    """out = a & b; return its popcount (uniform) or the weight of its rows."""
    cdef Py_ssize_t w
    cdef uint64_t word
    cdef double total = 0.0
    cdef long long count = 0
    for w in range(n_words):
        word = a[w] & b[w]
        out[w] = word
        if uniform:
            count += gb_popcount64(word)
        else:
            while word:
                total += weights[(w << 6) + gb_ctz64(word)]
                word &= word - 1
    return <double>count if uniform else total
