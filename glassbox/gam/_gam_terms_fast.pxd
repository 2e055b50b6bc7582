# One boosting step of one term (_gam_terms_fast.pyx): the tree of a main effect or a pair
# on its histogram, and its update of the term's scores (projected onto monotone cones where
# constrained).  The structs are shared with the boosting loop of _gam_fast.

from ._gam_losses cimport intp


cdef struct Terms:
    intp n_terms
    intp K
    const intp* kind
    const intp* offset
    const intp* rows       # main: number of bins; pair: bins of the first feature
    const intp* cols       # main: 1; pair: bins of the second feature
    const intp* ordered1   # value bins along the first axis (monotone order)
    const intp* ordered2   # value bins along the second axis
    const signed char* cst1
    const signed char* cst2


cdef struct Settings:
    int loss
    double power           # the Tweedie loss's power (1 < power < 2); other losses ignore it
    double learning_rate
    intp max_rounds
    intp patience
    double tolerance
    double min_leaf
    intp max_leaves
    int inner_threads      # threads over row chunks inside one bag
    double l2              # L2 penalty on leaf values (added to every hessian sum)
    intp smoothing_rounds  # first rounds cut numeric features at random points, not the best ones
    unsigned long long seed


cdef struct Workspace:
    double* hist_g
    double* hist_h
    double* delta
    double* pg
    double* ph
    double* pc
    double* sg
    double* sh
    double* block_value
    double* block_weight
    intp* block_length
    intp* cuts
    intp max_cells
    double* chunk_g    # one histogram per row chunk (N_CHUNKS of them)
    double* chunk_h
    double* counts     # rows with positive weight per cell, all terms (flat like scores)
    double* mass       # training weight per cell, all terms
    unsigned long long rng   # splitmix64 state of the bag (random cuts of smoothing rounds)


cdef void _update_ordered(const Terms* T, const Settings* S, Workspace* ws, intp t,
                          bint random_cuts) noexcept nogil
cdef void _update_per_bin(const Terms* T, const Settings* S, Workspace* ws, intp t,
                          intp start, intp stop) noexcept nogil
cdef void _update_pair(const Terms* T, const Settings* S, Workspace* ws, intp t,
                       bint random_cuts) noexcept nogil
cdef bint _apply_update(const Terms* T, Workspace* ws, double* scores, intp t) noexcept nogil
