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
    cdef void quadratic_model(self, const double[:, ::1] Y, const double[::1] w, const double[:, ::1] eta,
                              Py_ssize_t k, double[::1] h, double[::1] s) noexcept nogil


cdef class SquaredDatafit(Datafit):
    pass


cdef class LogisticDatafit(Datafit):
    pass


cdef class MultinomialDatafit(Datafit):
    pass
