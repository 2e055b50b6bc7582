"""Compiled kernels of candidate-rule mining: Eclat on condition bitsets.

A candidate rule is a conjunction of conditions.  Its coverage is the AND of
the conditions' bitsets (bit i = row i), and its support the popcount of that
AND (or, with sample weights, the weight of the rows it holds).  Eclat walks
conjunctions depth first, each one extending its prefix's coverage by one AND,
so support is never recomputed from scratch.  The NumPy reference is
``glassbox.rules._reference.mine_reference``.
"""

from libc.stdint cimport uint64_t

from ._bitsets cimport and_weight, gb_ctz64, gb_popcount64

ctypedef unsigned char uint8


def row_weights(const uint64_t[:, ::1] bits, const double[::1] weights, bint uniform, double[::1] out):
    """out[r] = popcount(bits[r]) (uniform) or the weight of the rows in bits[r]."""
    cdef Py_ssize_t r, w, n_words = bits.shape[1]
    cdef uint64_t word
    cdef double total
    with nogil:
        for r in range(bits.shape[0]):
            total = 0.0
            for w in range(n_words):
                word = bits[r, w]
                if uniform:
                    total += gb_popcount64(word)
                else:
                    while word:
                        total += weights[(w << 6) + gb_ctz64(word)]
                        word &= word - 1
            out[r] = total


def class_weights(const uint64_t[:, ::1] bits, const Py_ssize_t[::1] y, const double[::1] weights,
                  double[:, ::1] out):
    """out[r, k] = weight of the rows of class k in bits[r] (out zeroed by the caller)."""
    cdef Py_ssize_t r, w, i, n_words = bits.shape[1]
    cdef uint64_t word
    with nogil:
        for r in range(bits.shape[0]):
            for w in range(n_words):
                word = bits[r, w]
                while word:
                    i = (w << 6) + gb_ctz64(word)
                    out[r, y[i]] += weights[i]
                    word &= word - 1


def class_rows(const uint64_t[:, ::1] bits, const uint64_t[:, ::1] class_bits, double[:, ::1] out):
    """out[r, k] = popcount(bits[r] AND class_bits[k]): the rows of class k in bits[r], every weight 1.

    The same numbers as :func:`class_weights` with unit weights (a count of ones summed in doubles is
    exact), a word at a time instead of a set bit at a time: 64 rows per AND and popcount.
    """
    cdef Py_ssize_t r, k, w, n_words = bits.shape[1]
    cdef uint64_t total
    with nogil:
        for r in range(bits.shape[0]):
            for k in range(class_bits.shape[0]):
                total = 0
                for w in range(n_words):
                    total += gb_popcount64(bits[r, w] & class_bits[k, w])
                out[r, k] = <double>total


def intersection_of(const uint64_t[:, ::1] bits, const int[:, ::1] items, const int[::1] lengths,
             uint64_t[:, ::1] out):
    """out[c] = AND of bits[items[c, :lengths[c]]]: the coverage of each candidate."""
    cdef Py_ssize_t c, q, w, n_words = bits.shape[1]
    with nogil:
        for c in range(items.shape[0]):
            for w in range(n_words):
                out[c, w] = bits[items[c, 0], w]
            for q in range(1, lengths[c]):
                for w in range(n_words):
                    out[c, w] &= bits[items[c, q], w]


cdef Py_ssize_t _extend(const uint64_t[:, ::1] bits, const uint8[:, ::1] compatible,
                        const double* weights, bint uniform, double min_weight,
                        const double[::1] item_weight, int max_len,
                        int[:, ::1] out_items, double[::1] out_weight,
                        uint64_t[:, ::1] scratch, int* path, int depth,
                        double prefix_weight, Py_ssize_t n_found) noexcept nogil:
    """Emit every frequent extension of the prefix path[:depth] (coverage in scratch[depth-1]).

    Returns the new number of emitted itemsets, or -1 when ``out_items`` is full.
    """
    cdef Py_ssize_t n_items = bits.shape[0], n_words = bits.shape[1]
    cdef Py_ssize_t j
    cdef int q
    cdef bint ok
    cdef double weight
    for j in range(path[depth - 1] + 1, n_items):
        ok = True
        for q in range(depth):
            if not compatible[path[q], j]:
                ok = False
                break
        if not ok:
            continue
        weight = and_weight(&scratch[depth - 1, 0], &bits[j, 0], &scratch[depth, 0], n_words, weights, uniform)
        if weight < min_weight:
            continue
        # Adds nothing on the data: the conjunction equals its prefix or equals item j alone.
        if weight == prefix_weight or weight == item_weight[j]:
            continue
        if n_found >= out_items.shape[0]:
            return -1
        for q in range(depth):
            out_items[n_found, q] = path[q]
        out_items[n_found, depth] = <int>j
        out_weight[n_found] = weight
        n_found += 1
        if depth + 1 < max_len:
            path[depth] = <int>j
            n_found = _extend(bits, compatible, weights, uniform, min_weight, item_weight, max_len,
                              out_items, out_weight, scratch, path, depth + 1, weight, n_found)
            if n_found < 0:
                return -1
    return n_found


def eclat_extend(const uint64_t[:, ::1] bits, const uint8[:, ::1] compatible,
                 const double[::1] weights, bint uniform, double min_weight,
                 const double[::1] item_weight, int max_len,
                 int[:, ::1] out_items, double[::1] out_weight):
    """Mine conjunctions of 2..max_len frequent items (rows of ``bits``).

    ``compatible[a, b]`` says whether items a and b may share a rule.  Writes
    item tuples (sorted, padded with -1) and their weights; returns how many,
    or -1 when ``out_items`` (sized by the caller's cap) overflowed.
    """
    cdef Py_ssize_t n_items = bits.shape[0], n_words = bits.shape[1]
    cdef Py_ssize_t i, w, n_found = 0
    cdef int[64] path
    cdef uint64_t[:, ::1] scratch
    if max_len < 2 or n_items < 2:
        return 0
    import numpy as np
    scratch = np.zeros((max_len, n_words), dtype=np.uint64)
    cdef const double* wptr = &weights[0]
    with nogil:
        for i in range(n_items):
            for w in range(n_words):
                scratch[0, w] = bits[i, w]
            path[0] = <int>i
            n_found = _extend(bits, compatible, wptr, uniform, min_weight, item_weight, max_len,
                              out_items, out_weight, scratch, path, 1, item_weight[i], n_found)
            if n_found < 0:
                break
    return n_found
