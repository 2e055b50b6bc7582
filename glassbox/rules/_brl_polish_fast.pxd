# The steepest-ascent polish of a Bayesian rule list (_brl_polish_fast.pyx), cimported by
# _brl_fast.polish, which allocates the buffers these structs point into.

from libc.stdint cimport uint64_t

from ._brl_model_fast cimport Model, uint8


cdef struct Shape:
    # Lists the polish may move to: length in [min_len, max_len], mean rule width in [min_width, max_width].
    int min_len
    int max_len
    double min_width
    double max_width


cdef struct Flows:
    int levels                # m + 1 (the rules, then the default)
    Py_ssize_t n_pairs
    Py_ssize_t* pair_word     # (<= n_rows,)
    int* pair_label           # lev * levels + nxt (the default's rows: m * levels + m)
    uint64_t* pair_mask
    long long* level_counts   # (levels, K): rows each level decides, by class
    long long* fall_counts    # (levels * levels, K): F(lev, nxt), by class
    double* prefix            # (levels + 1,): prefix[p] = terms[0] + ... + terms[p - 1], summed in order


cdef struct FlowScratch:
    long long* hit            # (levels * levels, K): G(lev, nxt) of one candidate
    long long* lost           # (levels, K): A_q
    long long* taken          # (levels + 1, K): rows of c decided at levels >= p
    long long* counts         # (K,)


cdef void _evaluate_start(const Model* M, const int* lst, int m, uint64_t* rem, double* terms, uint64_t* scratch,
                          double* counts) noexcept nogil
cdef void _build_flows(const Model* M, const int* lst, int m, const uint64_t* rem, const double* terms,
                       Flows* F) noexcept nogil
cdef void _flow_order(const Flows* F, Py_ssize_t* order, long long* start) noexcept nogil
cdef void _polish_steps(const Model* M, int* lst, int* length, double* log_posterior, int max_steps,
                        uint8* used, uint64_t* rem, double* terms, uint64_t* scratch, double* counts, int* prop,
                        int* best, const Shape* S, double* cand_lp, int* cand_kind, int* cand_pos, Flows* F,
                        FlowScratch* T, int n_threads) noexcept nogil
