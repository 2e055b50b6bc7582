# Declarations of the datafits and penalties (_cd_objective_fast.pyx), shared by the
# kernels that minimize their sum: the row-space solver (_cd_fast.pyx), its sparse
# design (_cd_sparse_fast.pyx) and the Gram mode (_cd_gram_fast.pyx).  The kernels
# call their methods through the classes' C method tables.

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


cdef inline double _project_sign(double b, signed char sign) noexcept nogil:
    """Projection onto {b >= 0} (sign +1), {b <= 0} (sign -1) or the real line (0)."""
    if sign > 0 and b < 0.0:
        return 0.0
    if sign < 0 and b > 0.0:
        return 0.0
    return b
