# Declarations of the coordinate-descent solver (_cd_fast.pyx) that the sparse design
# (_cd_sparse_fast.pyx) and the Gram mode (_cd_gram_fast.pyx) build on: the Design
# interface, the support's bookkeeping of a coordinate update, and the Anderson
# extrapolation of iterates.

from ._cd_objective_fast cimport Penalty


# Anderson extrapolation combines the last ANDERSON_DEPTH + 1 iterates (its small system is 5 x 5)
cdef enum:
    ANDERSON_DEPTH = 5


cdef bint _extrapolate(const double* history, Py_ssize_t n_vars, double* out) noexcept nogil


cdef class Design:
    # Column access of the standardized design Z: the one part of the solver that differs
    # between a dense Fortran array (_cd_fast.DenseDesign) and a CSC matrix standardized
    # implicitly (_cd_sparse_fast.SparseDesign).  The proximal Newton driver and the
    # violation scan (_cd_fast.solve, _cd_fast.violations_of) are written once against it.
    cdef Py_ssize_t n_columns
    cdef void curvatures(self, const double[::1] h, const int[::1] columns, double[::1] out) noexcept nogil
    cdef double gradient(self, Py_ssize_t j, const double[::1] s, double s_total) noexcept nogil
    cdef int cd_block(self, const double[::1] h, double[::1] s, double[::1] beta, double* intercept,
                      const double[::1] lipschitz, Penalty penalty, const signed char[::1] signs,
                      const int[::1] working_set, int[::1] support_count, int* n_support, int max_nonzero,
                      bint fit_intercept, int max_sweeps, double tol) noexcept nogil
    cdef void update_eta(self, double[:, ::1] eta, Py_ssize_t k, const double[::1] old_beta,
                         const double[:, ::1] coef, double old_intercept, double new_intercept,
                         const int[::1] working_set) noexcept nogil


cdef inline void _move_support(double old, double new, Py_ssize_t j, int* support_count,
                               int* n_support) noexcept nogil:
    """Support bookkeeping of one coefficient change: ``support_count[j]`` counts the blocks
    where term j is nonzero, ``n_support`` the terms nonzero in some block (the hard cap)."""
    if old == 0.0 and new != 0.0:
        if support_count[j] == 0:
            n_support[0] += 1
        support_count[j] += 1
    elif old != 0.0 and new == 0.0:
        support_count[j] -= 1
        if support_count[j] == 0:
            n_support[0] -= 1


cdef inline bint _capped_out(double old, Py_ssize_t j, const int* support_count, int n_support,
                             int max_nonzero) noexcept nogil:
    """A term outside the support may not enter once ``max_nonzero`` terms are nonzero."""
    return old == 0.0 and support_count[j] == 0 and n_support >= max_nonzero


cdef inline double _coordinate_update(Penalty penalty, double old, double grad, double lipschitz,
                                      signed char sign, Py_ssize_t j, int* support_count,
                                      int* n_support) noexcept nogil:
    """One coordinate's exact minimizer given its gradient, entered in the support's books.

    (The caller folds the coordinate's violation into its own running maximum: a pointer
    to it here would keep it out of a register and slow the sweep by several percent.)"""
    cdef double new = penalty.minimize(old - grad / lipschitz, lipschitz, sign)
    _move_support(old, new, j, support_count, n_support)
    return new
