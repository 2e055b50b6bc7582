# cython: boundscheck=False, wraparound=False, cdivision=True, language_level=3
"""Certified lower bounds of the sparse relaxation by enumerating supports.

For every support ``S`` (at most ``k`` conditions, no condition beside its
complement) the box-constrained logistic fit on ``S`` is solved on the
support's pattern table (at most ``2^k`` cells) by projected Newton steps, and
its loss is turned into a *lower bound* of that support's optimum by the
convexity inequality ``L(t) >= L(t0) + g(t0) . (t - t0)`` minimised over the
box: a bound that holds however well the fit converged.  The minimum over all
supports is a lower bound on every scorecard's loss.

Rows are compressed to distinct rows of the offered conditions first; a
support's pattern code of each row is built one column at a time as the
depth-first enumeration descends, so a leaf costs one pass over the distinct
rows plus a Newton fit on its cells.
"""

from libc.math cimport exp, log, fabs, sqrt

from ._logistic_math cimport expit, softplus

ctypedef unsigned char uint8

DEF MAX_K = 12


cdef inline double _cell_logit(int b, const double* theta, int d) noexcept nogil:
    """Log-odds of pattern cell ``b`` (bit j set: slope j applies); theta[d] is the intercept."""
    cdef int j
    cdef double f = theta[d]
    for j in range(d):
        if (b >> j) & 1:
            f = f + theta[j]
    return f


cdef double _cells_loss(const double* pos, const double* neg, const int* cells, int n_cells,
                        const double* theta, int d) noexcept nogil:
    """Loss of the cells with theta[0..d-1] the slopes and theta[d] the intercept."""
    cdef int c, b
    cdef double f, total = 0.0
    for c in range(n_cells):
        b = cells[c]
        f = _cell_logit(b, theta, d)
        total = total + pos[b] * softplus(-f) + neg[b] * softplus(f)
    return total


cdef double _gradient(const double* pos, const double* neg, const int* cells, int n_cells,
                      const double* theta, int d, double* g) noexcept nogil:
    """Gradient of the cells' loss into g[0..d] (intercept last); returns the loss."""
    cdef int c, j, b
    cdef double f, q, total = 0.0
    for j in range(d + 1):
        g[j] = 0.0
    for c in range(n_cells):
        b = cells[c]
        f = _cell_logit(b, theta, d)
        total = total + pos[b] * softplus(-f) + neg[b] * softplus(f)
        q = expit(f)
        f = neg[b] * q - pos[b] * (1.0 - q)
        for j in range(d):
            if (b >> j) & 1:
                g[j] = g[j] + f
        g[d] = g[d] + f
    return total


cdef int _solve(double* H, double* rhs, int n) noexcept nogil:
    """Solve H x = rhs in place (Cholesky, H symmetric positive definite); 0 on failure."""
    cdef int i, j, l
    cdef double s
    for j in range(n):
        s = H[j * n + j]
        for l in range(j):
            s = s - H[j * n + l] * H[j * n + l]
        if s <= 1e-300:
            return 0
        H[j * n + j] = sqrt(s)
        for i in range(j + 1, n):
            s = H[i * n + j]
            for l in range(j):
                s = s - H[i * n + l] * H[j * n + l]
            H[i * n + j] = s / H[j * n + j]
    for i in range(n):
        s = rhs[i]
        for l in range(i):
            s = s - H[i * n + l] * rhs[l]
        rhs[i] = s / H[i * n + i]
    for i in range(n - 1, -1, -1):
        s = rhs[i]
        for l in range(i + 1, n):
            s = s - H[l * n + i] * rhs[l]
        rhs[i] = s / H[i * n + i]
    return 1


cdef double _leaf_bound(const double* pos, const double* neg, const int* cells, int n_cells, int d,
                        const double* lo, const double* hi) noexcept nogil:
    """Certified lower bound of the box-constrained fit on one support's cells.

    ``lo``/``hi`` hold the boxes of the d slopes and then of the intercept.
    Projected Newton: coordinates at a bound whose gradient pushes outwards are
    held; the others take a Newton step (backtracking, projected on the box).
    """
    cdef double theta[MAX_K + 1]
    cdef double trial[MAX_K + 1]
    cdef double g[MAX_K + 1]
    cdef double H[(MAX_K + 1) * (MAX_K + 1)]
    cdef double step[MAX_K + 1]
    cdef int free_idx[MAX_K + 1]
    cdef int n = d + 1, c, b, i, j, it, half, n_free
    cdef double f, q, w, loss, new_loss, total_pos = 0.0, total = 0.0, bound, gap
    for c in range(n_cells):
        total_pos = total_pos + pos[cells[c]]
        total = total + pos[cells[c]] + neg[cells[c]]
    for j in range(d):
        theta[j] = 0.0 if lo[j] <= 0.0 <= hi[j] else lo[j]
    q = total_pos / total
    if q < 1e-12:
        q = 1e-12
    if q > 1.0 - 1e-12:
        q = 1.0 - 1e-12
    theta[d] = log(q / (1.0 - q))
    theta[d] = min(max(theta[d], lo[d]), hi[d])
    loss = _cells_loss(pos, neg, cells, n_cells, theta, d)
    for it in range(60):
        _gradient(pos, neg, cells, n_cells, theta, d, g)
        # free coordinates: not held at a bound by an outward gradient
        n_free = 0
        gap = 0.0
        for i in range(n):
            if (theta[i] <= lo[i] and g[i] > 0) or (theta[i] >= hi[i] and g[i] < 0):
                continue
            free_idx[n_free] = i
            n_free = n_free + 1
            gap = gap + fabs(g[i])
        if n_free == 0 or gap <= 1e-13:
            break
        for i in range(n_free):
            step[i] = -g[free_idx[i]]
        _compact_hessian(H, n, free_idx, n_free, pos, neg, cells, n_cells, d, theta)
        for i in range(n_free):
            H[i * n_free + i] = H[i * n_free + i] + 1e-12
        if not _solve(H, step, n_free):
            for i in range(n_free):
                step[i] = -g[free_idx[i]]
        new_loss = loss
        w = 1.0
        for half in range(40):
            for i in range(n):
                trial[i] = theta[i]
            for i in range(n_free):
                j = free_idx[i]
                trial[j] = min(max(theta[j] + w * step[i], lo[j]), hi[j])
            new_loss = _cells_loss(pos, neg, cells, n_cells, trial, d)
            if new_loss <= loss:
                break
            w = 0.5 * w
        if new_loss > loss:
            break
        for i in range(n):
            theta[i] = trial[i]
        if loss - new_loss <= 1e-15 * (1.0 + loss):
            loss = new_loss
            break
        loss = new_loss
    # certificate: L(t) >= L(theta) + g . (t - theta) >= L(theta) + sum_i min over the box
    bound = _gradient(pos, neg, cells, n_cells, theta, d, g)
    for i in range(n):
        bound = bound + min(g[i] * (lo[i] - theta[i]), g[i] * (hi[i] - theta[i]))
    return bound


cdef void _compact_hessian(double* H, int n, const int* free_idx, int n_free,
                           const double* pos, const double* neg, const int* cells, int n_cells,
                           int d, const double* theta) noexcept nogil:
    """Hessian of the free coordinates only, row-major ``n_free x n_free``."""
    cdef int c, b, i, j, a, e
    cdef double q, w
    for i in range(n_free * n_free):
        H[i] = 0.0
    for c in range(n_cells):
        b = cells[c]
        q = expit(_cell_logit(b, theta, d))
        w = (pos[b] + neg[b]) * q * (1.0 - q)
        for i in range(n_free):
            a = free_idx[i]
            if a < d and not ((b >> a) & 1):
                continue
            for j in range(n_free):
                e = free_idx[j]
                if e < d and not ((b >> e) & 1):
                    continue
                H[i * n_free + j] = H[i * n_free + j] + w


def enumerate_supports(const uint8[::1, :] R,
                       const double[::1] pos,
                       const double[::1] neg,
                       const Py_ssize_t[::1] partner,
                       const double[::1] lower,
                       const double[::1] upper,
                       double b0_lo, double b0_hi,
                       Py_ssize_t first, int k,
                       Py_ssize_t[::1] best_support):
    """Smallest certified bound over the maximal supports whose first condition is ``first``.

    ``R`` holds the distinct rows (Fortran order) of the offered conditions,
    ``pos``/``neg`` their weights; ``partner[j]`` is the condition that may not
    sit beside ``j`` (or -1).  Supports are sorted index sets; a support is a
    leaf when it has ``k`` conditions or no condition can be added.  Returns
    ``(bound, n_leaves)``; the best leaf's conditions go to ``best_support``
    (padded with -1).
    """
    import numpy
    cdef Py_ssize_t m = R.shape[0], q = R.shape[1]
    cdef int[:, ::1] codes = numpy.zeros((k, max(m, 1)), dtype=numpy.intc)
    cdef double[::1] pos_cells = numpy.zeros(1 << k)
    cdef double[::1] neg_cells = numpy.zeros(1 << k)
    cdef int[::1] cells = numpy.zeros(1 << k, dtype=numpy.intc)
    cdef Py_ssize_t[::1] sel = numpy.full(k + 1, -1, dtype=numpy.intp)
    cdef Py_ssize_t[::1] nxt = numpy.zeros(k + 2, dtype=numpy.intp)
    cdef uint8[::1] had = numpy.zeros(k + 2, dtype=numpy.uint8)
    cdef double lo[MAX_K + 1]
    cdef double hi[MAX_K + 1]
    cdef Py_ssize_t r, c, j
    cdef int d, n_cells, size, ok
    cdef long long n_leaves = 0
    cdef double best = 1e300, value
    if k > MAX_K or k < 1:
        raise ValueError(f"enumeration supports 1 <= k <= {MAX_K}")
    with nogil:
        sel[0] = first
        for r in range(m):
            codes[0, r] = R[r, first]
        d = 1
        nxt[1] = first + 1
        had[1] = 0
        while d >= 1:
            if d < k:
                c = nxt[d]
                while c < q:
                    ok = 1
                    for j in range(d):
                        if partner[c] == sel[j]:
                            ok = 0
                            break
                    if ok:
                        break
                    c = c + 1
                if c < q:
                    nxt[d] = c + 1
                    had[d] = 1
                    sel[d] = c
                    for r in range(m):
                        codes[d, r] = codes[d - 1, r] | (R[r, c] << d)
                    d = d + 1
                    nxt[d] = c + 1
                    had[d] = 0
                    continue
                if had[d]:
                    d = d - 1
                    continue
            # a leaf: d conditions sel[0..d-1], codes in codes[d - 1]
            size = 1 << d
            for j in range(size):
                pos_cells[j] = 0.0
                neg_cells[j] = 0.0
            for r in range(m):
                pos_cells[codes[d - 1, r]] += pos[r]
                neg_cells[codes[d - 1, r]] += neg[r]
            n_cells = 0
            for j in range(size):
                if pos_cells[j] + neg_cells[j] > 0:
                    cells[n_cells] = <int>j
                    n_cells = n_cells + 1
            for j in range(d):
                lo[j] = lower[sel[j]]
                hi[j] = upper[sel[j]]
            lo[d] = b0_lo
            hi[d] = b0_hi
            value = _leaf_bound(&pos_cells[0], &neg_cells[0], &cells[0], n_cells, d, lo, hi)
            n_leaves = n_leaves + 1
            if value < best:
                best = value
                for j in range(k):
                    best_support[j] = sel[j] if j < d else -1
            d = d - 1
    return best, n_leaves
