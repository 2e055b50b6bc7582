# The Metropolis-Hastings chain of Bayesian rule lists (_brl_mcmc_fast.pyx), cimported by
# _brl_fast.run_chains.

from libc.stdint cimport uint64_t

from ._brl_model_fast cimport Model, uint8
from ..utils._interrupt cimport Interrupt


cdef struct PointTracker:
    # Letham et al.'s BRL-point needs, after burn-in, the posterior mean length and width and
    # the best list seen for each (length, total width): one slot per pair.
    Py_ssize_t burn_in
    int stride          # total widths per length (cap * max_width + 1)
    double* bucket_lp   # (cap + 1) * stride, -inf when unseen
    int* bucket_lists   # (cap + 1) * stride * cap
    double* sums        # [sum of lengths, sum of total widths, kept iterations]
    # Thinned posterior draws for the posterior predictive: every ``thin``-th list after burn-in.
    Py_ssize_t thin
    Py_ssize_t n_keep
    int* samples        # n_keep * cap
    int* sample_lengths # n_keep


cdef void _run_chain(const Model* M, Py_ssize_t n_iter, int* lst, int* length, uint8* used,
                     uint64_t* rem, double* terms, uint64_t* scratch, double* counts, int* prop,
                     double* trace, int* best, int* best_length, double* best_lp,
                     long long* n_accept, uint64_t* rng, PointTracker* tracker,
                     double log_temperature, Interrupt* interrupt) noexcept nogil
