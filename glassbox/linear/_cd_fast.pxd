# Declarations of the coordinate-descent building blocks, shared by the dense
# kernels (_cd_fast.pyx) and the sparse ones (_cd_sparse_fast.pyx).

cdef class Penalty:
    cdef public bint convex   # convex penalties allow Anderson extrapolation of the iterates
    cdef double minimize(self, double z, double lipschitz, signed char sign) noexcept nogil
    cdef double value(self, double b) noexcept nogil
    cdef double violation(self, double b, double grad, double lipschitz, signed char sign) noexcept nogil


cdef class L1Penalty(Penalty):
    cdef public double alpha


cdef class ElasticNetPenalty(Penalty):
    cdef public double alpha
    cdef public double l1_ratio


cdef class L0Penalty(Penalty):
    cdef public double lambda0
    cdef public double lambda2


cdef class Datafit:
    cdef public bint exact_quadratic   # the quadratic model is the loss itself
    cdef double value(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta) noexcept nogil
    cdef double constant_size(self, const double[:, ::1] Y, const double[::1] w) noexcept nogil
    cdef void quadratic_model(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                              Py_ssize_t k, double[::1] h, double[::1] s) noexcept nogil
    cdef double value_rows(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                           double[::1] rows) noexcept nogil
    cdef void quadratic_model_from(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                                   Py_ssize_t k, double[::1] h, double[::1] s, const double[::1] rows) noexcept nogil


cdef class SquaredDatafit(Datafit):
    pass


cdef class LogisticDatafit(Datafit):
    pass


cdef class MultinomialDatafit(Datafit):
    pass


cdef class LogLinkDatafit(Datafit):
    # half deviance of a log-link family at mean exp(eta); loss code and power as the GAM's kernels
    cdef public int loss
    cdef public double power


cdef class PoissonDatafit(LogLinkDatafit):
    pass


cdef class GammaDatafit(LogLinkDatafit):
    pass


cdef class TweedieDatafit(LogLinkDatafit):
    pass


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
