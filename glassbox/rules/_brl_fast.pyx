"""Compiled Metropolis-Hastings sampler of Bayesian rule lists (Letham et al. 2015): the entry points.

A list is a sequence of candidate rules; each row is decided by the first rule
that covers it, else by the default.  The kernels live in modules of their own,
cimported here:

* ``_brl_model_fast`` (.pxd / .pyx): the model struct, its lookup tables and
  the log-posterior terms of a list (inline, on bitsets of rows);
* ``_brl_mcmc_fast``: one Metropolis-Hastings chain (propose, score from the
  first changed position on, accept, track BRL-point);
* ``_brl_polish_fast``: the steepest ascent over every neighbour of a list.

This module keeps the functions Python calls (``run_chains``, ``polish``,
``list_log_posterior``): it turns the arrays into the structs and runs the
kernels without the GIL; the chains stop for Ctrl-C within a few iterations
(``utils/_interrupt.pxd``).  The NumPy reference is
``glassbox.rules._reference.log_posterior_reference``.
"""

from cython.parallel cimport parallel, prange, threadid
from libc.math cimport log
from libc.stdint cimport uint64_t
from libc.stdlib cimport free, malloc

from ._brl_mcmc_fast cimport PointTracker, _run_chain
from ._brl_model_fast cimport Model, _likelihood_from, _log_prior, _make_model, uint8
from ..utils._interrupt cimport (
    Interrupt, _claim_item, _interrupt_init, _interrupted, _item_done, _raise_if_interrupted, _wait_for_items,
)
from ._brl_polish_fast cimport FlowScratch, Flows, Shape, _build_flows, _evaluate_start, _flow_order, _polish_steps


def polish(uint64_t[:, ::1] coverage, const uint64_t[:, ::1] class_bits, const uint64_t[::1] valid,
           const Py_ssize_t[::1] y, const double[::1] weights, bint uniform, const uint64_t[::1] level_bits,
           const double[::1] level_sums, const Py_ssize_t[::1] level_starts,
           const int[::1] widths, const double[::1] log_pois_width, const int[::1] width_totals,
           const double[::1] log_pois_len,
           const double[::1] alpha, int[::1] lst, int length, int max_steps, int min_len=0, int max_len=-1,
           double min_width=0.0, double max_width=1e300, int n_threads=1, bint restore=True):
    """Steepest ascent from a list: move to the best add / remove / swap / replace neighbour while it
    raises the log-posterior (at most ``max_steps`` moves).  Returns ``(length, log_posterior)``;
    ``lst`` (sized for the longest list) holds the result.  Only lists of length in
    ``[min_len, max_len]`` (``-1``: the capacity) and mean rule width in ``[min_width, max_width]``
    are visited.  The scan over candidates runs on ``n_threads`` threads (same result for any number).
    ``coverage`` is reordered in place for the climb (see below), not copied: a sorted copy would
    double the fit's peak memory (every candidate's bitset, ``n_candidates x n_rows / 8`` bytes).
    ``restore`` puts the rows back in their order before returning; with ``restore=False`` the
    caller must rebuild ``coverage`` (from the conditions' bitsets: far cheaper than moving bits)."""
    import numpy as np
    n_threads = max(n_threads, 1)
    cdef int cap = <int>lst.shape[0]
    cdef list keep = []  # the model's lookup tables
    cdef Model M = _make_model(coverage, class_bits, valid, y, weights, uniform, level_bits,
                               level_sums, level_starts, widths, log_pois_width, width_totals, log_pois_len, alpha,
                               cap, keep)
    cdef uint64_t[:, ::1] rem = np.zeros((cap + 2, coverage.shape[1]), dtype=np.uint64)
    cdef uint64_t[:, ::1] scratch = np.zeros((2 * n_threads, coverage.shape[1]), dtype=np.uint64)
    cdef double[::1] terms = np.zeros(cap + 1)
    cdef double[::1] counts = np.zeros(alpha.shape[0] * n_threads)
    cdef uint8[::1] used = np.zeros(coverage.shape[0], dtype=np.uint8)
    cdef int[::1] prop = np.zeros((cap + 1) * n_threads, dtype=np.intc)
    cdef int[::1] best = np.zeros(cap + 1, dtype=np.intc)
    cdef double[::1] cand_lp = np.zeros(coverage.shape[0])
    cdef int[::1] cand_kind = np.zeros(coverage.shape[0], dtype=np.intc)
    cdef int[::1] cand_pos = np.zeros(coverage.shape[0], dtype=np.intc)
    cdef int m = length, t
    cdef double lp = 0.0
    cdef Shape S
    # The flows of the add / replace scan (unit weights): at most one pair per row.
    cdef Py_ssize_t n_labels = (cap + 1) * (cap + 1), n_classes = alpha.shape[0]
    cdef Py_ssize_t[::1] pair_word = np.zeros(64 * coverage.shape[1] + 1, dtype=np.intp)
    cdef int[::1] pair_label = np.zeros(64 * coverage.shape[1] + 1, dtype=np.intc)
    cdef uint64_t[::1] pair_mask = np.zeros(64 * coverage.shape[1] + 1, dtype=np.uint64)
    cdef long long[::1] level_counts = np.zeros((cap + 1) * n_classes, dtype=np.longlong)
    cdef long long[::1] fall_counts = np.zeros(n_labels * n_classes, dtype=np.longlong)
    cdef double[::1] prefix = np.zeros(cap + 2)
    cdef long long[:, ::1] thread_counts = np.zeros(
        (n_threads, (n_labels + 2 * (cap + 2) + 1) * n_classes), dtype=np.longlong)
    cdef Flows F
    cdef FlowScratch* T = <FlowScratch*>malloc(n_threads * sizeof(FlowScratch))
    if T == NULL:
        raise MemoryError()
    F.pair_word = &pair_word[0]
    F.pair_label = &pair_label[0]
    F.pair_mask = &pair_mask[0]
    F.level_counts = &level_counts[0]
    F.fall_counts = &fall_counts[0]
    F.prefix = &prefix[0]
    for t in range(n_threads):
        T[t].hit = &thread_counts[t, 0]
        T[t].lost = &thread_counts[t, n_labels * n_classes]
        T[t].taken = &thread_counts[t, (n_labels + cap + 1) * n_classes]
        T[t].counts = &thread_counts[t, (n_labels + 2 * (cap + 2)) * n_classes]
    S.min_len = min_len
    S.max_len = cap if max_len < 0 else max_len
    S.min_width = min_width
    S.max_width = max_width
    cdef Model P = M
    cdef Py_ssize_t[::1] order
    cdef long long[::1] label_starts
    cdef bint reordered = False
    cdef Py_ssize_t n_valid = int(np.unpackbits(np.asarray(valid).view(np.uint8)).sum())
    try:
        if M.counted and m > 0:
            # Rows stored in the order of the start list's flow labels: a label's rows are then
            # contiguous and the flows hold a few pairs per word instead of one per label present
            # in it.  Every count, hence every score and the climb, is the same in any row order
            # (per-class weights: the rows' y and weights are not read, only bitsets, all reordered).
            with nogil:
                _evaluate_start(&M, &lst[0], m, &rem[0, 0], &terms[0], &scratch[0, 0], &counts[0])
                _build_flows(&M, &lst[0], m, &rem[0, 0], &terms[0], &F)
            order = np.empty(n_valid, dtype=np.intp)
            label_starts = np.zeros(n_labels + 1, dtype=np.longlong)
            with nogil:
                _flow_order(&F, &order[0], &label_starts[0])
            sorted_valid = np.zeros(coverage.shape[1], dtype=np.uint64)
            sorted_valid[: n_valid // 64] = ~np.uint64(0)
            if n_valid % 64:
                sorted_valid[n_valid // 64] = (np.uint64(1) << np.uint64(n_valid % 64)) - np.uint64(1)
            _reorder_rows_in_place(coverage, order, n_threads)
            reordered = True
            sorted_class_bits = _gather_rows(class_bits, order, 1)
            sorted_level_bits = level_bits
            if M.n_levels > 0:
                sorted_level_bits = _gather_rows(np.asarray(level_bits).reshape(M.n_levels, -1), order, 1)
                sorted_level_bits = np.asarray(sorted_level_bits).ravel()
            keep.extend([sorted_class_bits, sorted_level_bits, sorted_valid])  # P points into them
            P = _make_model(coverage, sorted_class_bits, sorted_valid, y, weights, uniform, sorted_level_bits,
                            level_sums, level_starts, widths, log_pois_width, width_totals, log_pois_len, alpha, cap,
                            keep)
        with nogil:
            _polish_steps(&P, &lst[0], &m, &lp, max_steps, &used[0], &rem[0, 0], &terms[0], &scratch[0, 0],
                          &counts[0], &prop[0], &best[0], &S, &cand_lp[0], &cand_kind[0], &cand_pos[0], &F, T,
                          n_threads)
    finally:
        free(T)
        if reordered and restore:
            back = np.empty(n_valid, dtype=np.intp)
            back[np.asarray(order)] = np.arange(n_valid, dtype=np.intp)
            _reorder_rows_in_place(coverage, back, n_threads)
    return m, lp


def _gather_rows(const uint64_t[:, ::1] bits, const Py_ssize_t[::1] order, int n_threads):
    """Bitsets with row i taken from row ``order[i]`` of ``bits`` (every row of every bitset)."""
    import numpy as np
    cdef uint64_t[:, ::1] out = np.zeros((bits.shape[0], bits.shape[1]), dtype=np.uint64)
    cdef Py_ssize_t r, w, n = order.shape[0]
    for r in prange(bits.shape[0], nogil=True, schedule="static", num_threads=max(n_threads, 1)):
        for w in range((n + 63) // 64):
            out[r, w] = _gathered_word(&bits[r, 0], order, w, n)
    return np.asarray(out)


cdef inline uint64_t _gathered_word(const uint64_t* source, const Py_ssize_t[::1] order, Py_ssize_t w,
                                    Py_ssize_t n) noexcept nogil:
    """Word ``w`` of a bitset whose bit i is bit ``order[i]`` of ``source`` (``n`` bits in all)."""
    cdef Py_ssize_t i, o
    cdef uint64_t word = 0
    for i in range(w * 64, min(w * 64 + 64, n)):
        o = order[i]
        word = word | (((source[o >> 6] >> (o & 63)) & 1) << (i - w * 64))
    return word


def _reorder_rows_in_place(uint64_t[:, ::1] bits, const Py_ssize_t[::1] order, int n_threads):
    """Row i of every bitset becomes its row ``order[i]``, in place (:func:`_gather_rows` without the copy).

    Each bitset is copied to a per-thread scratch row first, so the extra
    memory is one row of words per thread.
    """
    import numpy as np
    n_threads = max(n_threads, 1)
    cdef Py_ssize_t n_words = bits.shape[1]
    cdef uint64_t[:, ::1] scratch = np.zeros((n_threads, n_words), dtype=np.uint64)
    cdef Py_ssize_t r, w, n = order.shape[0]
    cdef int t
    for r in prange(bits.shape[0], nogil=True, schedule="static", num_threads=n_threads):
        t = threadid()
        for w in range(n_words):
            scratch[t, w] = bits[r, w]
        for w in range((n + 63) // 64):
            bits[r, w] = _gathered_word(&scratch[t, 0], order, w, n)


def run_chains(const uint64_t[:, ::1] coverage, const uint64_t[:, ::1] class_bits, const uint64_t[::1] valid,
               const Py_ssize_t[::1] y, const double[::1] weights, bint uniform, const uint64_t[::1] level_bits,
               const double[::1] level_sums, const Py_ssize_t[::1] level_starts,
               const int[::1] widths, const double[::1] log_pois_width, const int[::1] width_totals,
               const double[::1] log_pois_len, const double[::1] alpha, Py_ssize_t n_iter, uint64_t[::1] seeds,
               int[:, ::1] lists, int[::1] lengths, uint8[:, ::1] used, uint64_t[:, :, ::1] rem,
               double[:, ::1] terms, uint64_t[:, :, ::1] scratch, double[:, ::1] counts, int[:, ::1] prop,
               double[:, ::1] trace, int[:, ::1] best, int[::1] best_lengths, double[::1] best_lp,
               long long[::1] n_accept, Py_ssize_t burn_in, double[:, ::1] bucket_lp, int[:, ::1] bucket_lists,
               double[:, ::1] sums, Py_ssize_t thin, int[:, ::1] samples, int[:, ::1] sample_lengths,
               double initial_temperature, int n_threads):
    """Run one Metropolis-Hastings chain per row of ``lists`` (its starting list), in parallel.

    After ``burn_in`` iterations each chain also accumulates its length and
    width sums and the best list per (length, total width) for BRL-point, and
    keeps every ``thin``-th list in ``samples`` (``sample_lengths.shape[1]``
    draws per chain at most) for the posterior predictive.  Ctrl-C (a signal
    handler that raises) stops the chains within a few iterations and raises its
    exception here; the outputs are then partial.
    """
    cdef Py_ssize_t c = 0, n_chains = lists.shape[0]
    cdef Interrupt interrupt
    cdef list keep = []  # the model's lookup tables
    cdef Model M = _make_model(coverage, class_bits, valid, y, weights, uniform, level_bits,
                               level_sums, level_starts, widths, log_pois_width, width_totals, log_pois_len, alpha,
                               <int>lists.shape[1], keep)
    cdef PointTracker* trackers = <PointTracker*>malloc(n_chains * sizeof(PointTracker))
    if trackers == NULL:
        raise MemoryError()
    for c in range(n_chains):
        trackers[c].burn_in = burn_in
        trackers[c].stride = M.cap * M.max_width + 1
        trackers[c].bucket_lp = &bucket_lp[c, 0]
        trackers[c].bucket_lists = &bucket_lists[c, 0]
        trackers[c].sums = &sums[c, 0]
        trackers[c].thin = thin
        trackers[c].n_keep = sample_lengths.shape[1]
        trackers[c].samples = &samples[c, 0]
        trackers[c].sample_lengths = &sample_lengths[c, 0]
    try:
        # Chains are handed out one at a time: on a busy machine a thread that falls behind runs
        # fewer chains instead of holding up the whole fit (each chain's result is the same).  The
        # calling thread, its chains done, watches for Ctrl-C until the other threads are done.
        _interrupt_init(&interrupt)
        with nogil, parallel(num_threads=n_threads):
            c = _claim_item(&interrupt)
            while c < n_chains and not _interrupted(&interrupt):
                _run_chain(&M, n_iter, &lists[c, 0], &lengths[c], &used[c, 0], &rem[c, 0, 0], &terms[c, 0],
                           &scratch[c, 0, 0], &counts[c, 0], &prop[c, 0], &trace[c, 0], &best[c, 0],
                           &best_lengths[c], &best_lp[c], &n_accept[c], &seeds[c], &trackers[c],
                           log(initial_temperature), &interrupt)
                _item_done(&interrupt)
                c = _claim_item(&interrupt)
            _wait_for_items(&interrupt, n_chains)
    finally:
        free(trackers)
    _raise_if_interrupted(&interrupt)


def list_log_posterior(const uint64_t[:, ::1] coverage, const uint64_t[:, ::1] class_bits,
                       const uint64_t[::1] valid, const Py_ssize_t[::1] y, const double[::1] weights,
                       bint uniform, const uint64_t[::1] level_bits, const double[::1] level_sums,
                       const Py_ssize_t[::1] level_starts,
                       const int[::1] widths, const double[::1] log_pois_width,
                       const int[::1] width_totals, const double[::1] log_pois_len, const double[::1] alpha,
                       const int[::1] lst):
    """Log-posterior (same constants dropped as the sampler) of one list, for tests and diagnostics."""
    import numpy as np
    cdef int m = <int>lst.shape[0]
    cdef uint64_t[:, ::1] rem = np.zeros((m + 2, coverage.shape[1]), dtype=np.uint64)
    cdef uint64_t[:, ::1] scratch = np.zeros((2, coverage.shape[1]), dtype=np.uint64)
    cdef double[::1] terms = np.zeros(m + 1)
    cdef double[::1] counts = np.zeros(alpha.shape[0])
    cdef list keep = []  # the model's lookup tables
    cdef Model M = _make_model(coverage, class_bits, valid, y, weights, uniform, level_bits,
                               level_sums, level_starts, widths, log_pois_width, width_totals, log_pois_len, alpha,
                               m, keep)
    rem[0, :] = valid
    cdef const int* lp = &lst[0] if m > 0 else NULL
    return _log_prior(&M, lp, m) + _likelihood_from(&M, lp, m, 0, &rem[0, 0], &terms[0], True, &scratch[0, 0], &counts[0])
