"""Compiled kernels of the GAM family: cyclic boosting of shape functions on binned data.

The Python layer (``_boosting.py``) validates inputs, draws the bags and lays
out the data; these kernels trust it.

Data layout
-----------
Every *term* (a main effect or a pair) owns one column of ``term_codes``
(uint16, column-major, one code per row): the bin of a main effect, or the cell
``row_bin * n_cols + col_bin`` of a pair on its coarse grid.  All shape
functions live in one flat table ``scores[offset[t] + code, k]`` (``k`` is the
class of a multiclass model, else 0), so prediction is one lookup per term.

Boosting one bag is a single ``nogil`` function; bags run on threads.  Each
term update needs one pass over the training rows, fused with the gradient of
the next term: the pass adds the previous term's update to the raw scores,
recomputes gradient and hessian of the row and adds them to the next term's
histogram.

The kernels are spread over cimported modules: ``_gam_losses.pxd`` (row losses,
exponentials, inline), ``_gam_inline.pxd`` (the CPU check and C additions of the passes), ``_gam_split_fast`` (split search on histograms, PAVA),
``_gam_terms_fast`` (one term's tree and score update) and ``_gam_pairs_fast``
(FAST ranking of pairs).  This module holds the passes over the rows and the
boosting loop (the code ``_gam_avx2_fast`` compiles again for AVX2), and every
function Python imports from the family's kernels.

The boosting loop looks for Ctrl-C between term updates (``utils/_interrupt.pxd``): a
stage of minutes stops within a moment and raises KeyboardInterrupt.

NumPy references of every kernel are in ``_reference.py`` (tests only).
"""

from cython.parallel cimport parallel, prange
from libc.math cimport exp, fabs
from libc.stdlib cimport malloc, calloc, free
from libc.string cimport memcpy, memset
import numpy as np

from ._gam_losses cimport (
    HESSIAN_FLOOR, LOSS_GAMMA, LOSS_LOGISTIC, LOSS_POISSON, LOSS_SOFTMAX, LOSS_SQUARED, NEWTON_EPS, ROW_BLOCK,
    _clip_log_mean, _exp_log_mean, _expf_nonpositive, _row_loss, _sigmoid, intp, uint16,
)
from ._gam_terms_fast cimport (
    Settings, Terms, Workspace, _apply_update, _update_ordered, _update_pair, _update_per_bin,
)
from ._gam_inline cimport _add_pair, _apply_codes, _apply_codes_k, _cpu_has_avx2
from ..utils._interrupt cimport (
    Interrupt, _claim_item, _interrupt_init, _interrupted, _item_done, _raise_if_interrupted, _wait_for_items,
)
# Kernels of other modules that Python imports from here
from ._gam_pairs_fast import pair_gains
from ._gam_split_fast import pava


def cpu_has_avx2():
    """Whether the boosting kernels compiled for AVX2 (``_gam_avx2_fast``) can run on this CPU."""
    return _cpu_has_avx2() != 0


cdef enum:
    TERM_ORDERED = 0    # main effect of a numeric feature: shallow tree over value bins
    TERM_PER_BIN = 1    # main effect of a categorical feature: one Newton step per level
    TERM_PAIR = 2       # pair: a cut on one axis, then a cut of each half on the other

# Rows of a bag are cut into this many chunks, each with its own histogram, summed in a
# fixed order: threads can share the work and the result does not depend on their number.
cdef intp N_CHUNKS = 4
# terms with at most this many cells accumulate a pass into four partial histograms (_pass_single)
DEF SPLIT_CELLS = 512
# rows x classes of one block of the softmax passes (_pass_softmax)
DEF SOFTMAX_CELLS = 1024
DEF SOFTMAX_ROWS = 512     # at least two classes
cdef intp MIN_CHUNKED_ROWS = 8192
# Below this many rows a pass (~10 us per 1,000 rows) is too short for threads to pay for their
# barrier: on an idle machine 16,384 rows already gain 1.7x, but when another process holds a
# core every barrier waits for a time slice (adult, one bag, at load 3.4: 1.3 s -> 14 s).
cdef intp MIN_THREADED_ROWS = 100000
# Below this many training rows x terms (all bags) a boosting stage runs its bags on one thread:
# breast cancer's mains (2 bags x 406 rows x 9 terms) fit in 0.018 s on one thread, 0.031 s on two.
cdef intp MIN_THREADED_BAG_WORK = 20000
# Below this many lookups (rows x terms) starting threads costs more than it saves.
cdef intp MIN_THREADED_CELLS = 1000000


cdef void _block_gradient(const double* raw, const double* y, const double* w, intp n, int loss, double power,
                          double* g, double* h) noexcept nogil:
    """Gradient and hessian of ``n`` single-output rows (squared, logistic or a log-link loss)."""
    cdef intp i
    cdef double p
    if loss == LOSS_SQUARED:
        for i in range(n):
            g[i] = w[i] * (raw[i] - y[i])
            h[i] = w[i]
        return
    if loss >= LOSS_POISSON:
        _block_log_link(raw, y, w, n, loss, power, g, h)
        return
    for i in range(n):
        p = _sigmoid(raw[i])
        g[i] = w[i] * (p - y[i])
        p = p * (1.0 - p)
        h[i] = w[i] * (p if p > HESSIAN_FLOOR else HESSIAN_FLOOR)


cdef void _block_log_link(const double* raw, const double* y, const double* w, intp n, int loss, double power,
                          double* g, double* h) noexcept nogil:
    """Gradient and hessian of ``n`` rows of a log-link loss with respect to ``f = log(mean)``.

    Poisson ``w (e^f - y)``, ``w e^f``; Gamma ``w (1 - y e^-f)``, ``w y e^-f``;
    Tweedie(p) ``w (e^((2-p) f) - y e^((1-p) f))``,
    ``w ((p-1) y e^((1-p) f) + (2-p) e^((2-p) f))``.  ``f`` is clipped to
    +-MAX_LOG_MEAN before the exponential, the hessian floored at HESSIAN_FLOOR.
    A loop per loss, chosen once per block, with the exponential in plain
    arithmetic (:func:`_exp_log_mean`, relative error below 1e-11): no call and
    no branch inside the rows, so the compiler vectorises them (a Poisson mains
    fit of bike sharing spent 3.7 times a squared-error round's time with the C
    library's exp).
    """
    cdef intp i
    cdef double f, a, b
    if loss == LOSS_POISSON:
        for i in range(n):
            a = _exp_log_mean(raw[i])
            g[i] = w[i] * (a - y[i])
            h[i] = w[i] * (a if a > HESSIAN_FLOOR else HESSIAN_FLOOR)
    elif loss == LOSS_GAMMA:
        for i in range(n):
            a = y[i] * _exp_log_mean(-raw[i])
            g[i] = w[i] * (1.0 - a)
            h[i] = w[i] * (a if a > HESSIAN_FLOOR else HESSIAN_FLOOR)
    else:
        for i in range(n):
            f = _clip_log_mean(raw[i])
            a = y[i] * _exp_log_mean((1.0 - power) * f)
            b = _exp_log_mean((2.0 - power) * f)
            g[i] = w[i] * (b - a)
            b = (power - 1.0) * a + (2.0 - power) * b
            h[i] = w[i] * (b if b > HESSIAN_FLOOR else HESSIAN_FLOOR)


cdef inline void _row_gradient(const double* raw, const double* y, double w, intp K, int loss, double power,
                               double* g, double* h) noexcept nogil:
    """Gradient and hessian of one row's loss with respect to its raw scores."""
    cdef double p, m, s
    cdef intp k
    if loss != LOSS_SOFTMAX:
        _block_gradient(raw, y, &w, 1, loss, power, g, h)  # one output: a block of one row
    else:
        m = raw[0]
        for k in range(1, K):
            if raw[k] > m:
                m = raw[k]
        s = 0.0
        for k in range(K):
            g[k] = exp(raw[k] - m)
            s = s + g[k]
        for k in range(K):
            p = g[k] / s
            g[k] = w * (p - y[k])
            h[k] = w * max(p * (1.0 - p), HESSIAN_FLOOR)


cdef void _block_logistic(const double* raw, const double* y, const double* w, intp n,
                          double* g, double* h) noexcept nogil:
    """Logistic gradient and hessian of ``n`` rows (n <= ROW_BLOCK) with the sigmoid in single precision.

    The boosting passes spend most of their time here: four lanes of single
    precision per SSE2 instruction instead of two halve the cost of the exponential
    and the division.  Both are formed from m = exp(-|x|) so that no cancellation
    loses the small probability: q = m / (1 + m) is the smaller of p and 1 - p,
    and the hessian p (1 - p) = q / (1 + m), accurate to ~1e-7 relative even for
    confident rows; the gradient w (p - y) is then formed in double precision.
    Against the double-precision kernel the leaf values differ by ~1e-7 relative,
    far below the sampling noise of any leaf.
    """
    cdef float xs[ROW_BLOCK]
    cdef float qs[ROW_BLOCK]
    cdef float hs[ROW_BLOCK]
    cdef float m, inv
    cdef double q, p, a
    cdef intp i
    for i in range(n):
        # -min(|x|, 87) in double precision (87 + |x| in single precision would round |x|)
        a = fabs(raw[i])
        xs[i] = <float> (-0.5 * ((a + 87.0) - fabs(a - 87.0)))
    for i in range(n):
        m = _expf_nonpositive(xs[i])
        inv = <float> 1.0 / (<float> 1.0 + m)
        qs[i] = m * inv
        hs[i] = qs[i] * inv
    for i in range(n):
        q = qs[i]
        # p = 1 - q for x >= 0, else q: in arithmetic on a select of constants, which the compiler
        # vectorises (a branch on the sign mispredicts on every other row of a balanced target)
        a = 1.0 if raw[i] >= 0 else 0.0
        p = q + a * (1.0 - 2.0 * q)
        g[i] = w[i] * (p - y[i])
        q = hs[i]
        h[i] = w[i] * (q if q > HESSIAN_FLOOR else HESSIAN_FLOOR)


cdef void _block_softmax(const double* raw, const double* y, const double* w, intp n, intp K,
                         double* g, double* h) noexcept nogil:
    """Softmax gradient and hessian of ``n`` rows of ``K`` raw scores (``n * K <= SOFTMAX_CELLS``),
    the exponentials in single precision.

    Written as :func:`_block_logistic`: the block is held class by class
    (``[k * n + i]``), so every step is a loop over rows free of calls and
    branches that the compiler vectorises, the exponential included (exp of
    ``x - max`` clipped at -87, single precision); calling the C library's exp row
    by row took half of a multiclass round.  The class with the largest score has
    exp(0) = 1 exactly; with ``o`` the sum of the other classes' exponentials and
    ``s = 1 + o``, every probability ``p = e / s`` and its complement ``q = 1 - p``
    are formed without cancellation (``q = o / s`` for the top class,
    ``(s - e) / s >= 1 / s`` for the others), so the hessian ``p q`` keeps its
    relative accuracy (~1e-7) for confident rows and the top class's gradient is
    ``w ((1 - y) - q)``.  Choices between the top class and the others are
    products with 0 or 1 (exact, and vectorised).  Outputs ``g``, ``h`` are
    class by class as well (``[k * n + i]``).
    """
    cdef double xr[SOFTMAX_CELLS]
    cdef float xs[SOFTMAX_CELLS]
    cdef float es[SOFTMAX_CELLS]
    cdef double m[SOFTMAX_ROWS]
    cdef double o[SOFTMAX_ROWS]
    cdef double ties[SOFTMAX_ROWS]
    cdef double r[SOFTMAX_ROWS]
    cdef intp i, k, j
    cdef double x, mi, d, e, p, q, yk, is_top, a
    for i in range(n):
        for k in range(K):
            xr[k * n + i] = raw[i * K + k]
    for i in range(n):
        m[i] = xr[i]
        o[i] = 0.0
        ties[i] = 0.0
    for k in range(1, K):
        for i in range(n):
            x = xr[k * n + i]
            mi = m[i]
            m[i] = x if x > mi else mi
    for k in range(K):
        for i in range(n):
            d = m[i] - xr[k * n + i]  # >= 0; -min(d, 87) in double precision, as _block_logistic
            xs[k * n + i] = <float> (-0.5 * ((d + 87.0) - fabs(d - 87.0)))
    for j in range(n * K):
        es[j] = _expf_nonpositive(xs[j])
    # the top class (exp(0) = 1 exactly) and the sum o of the others' exponentials; a class
    # tied with the top counts as a top class
    for k in range(K):
        for i in range(n):
            is_top = 1.0 if xs[k * n + i] == 0 else 0.0
            ties[i] = ties[i] + is_top
            o[i] = o[i] + (1.0 - is_top) * es[k * n + i]
    for i in range(n):
        r[i] = 1.0 / (ties[i] + o[i])
    for k in range(K):
        for i in range(n):
            j = k * n + i
            e = es[j]
            is_top = 1.0 if xs[j] == 0 else 0.0
            p = e * r[i]
            # 1 - p: (ties - 1 + o) / s for a top class, (s - e) / s >= 1 / s for the others
            q = (is_top * ((ties[i] - 1.0) + o[i]) + (1.0 - is_top) * ((ties[i] + o[i]) - e)) * r[i]
            yk = y[i * K + k]
            g[j] = w[i] * (is_top * ((1.0 - yk) - q) + (1.0 - is_top) * (p - yk))
            a = p * q
            h[j] = w[i] * (a if a > HESSIAN_FLOOR else HESSIAN_FLOOR)


def softmax_gradients_single(const double[:, ::1] raw, const double[:, ::1] y, const double[::1] w,
                             double[:, ::1] g, double[:, ::1] h):
    """The boosting passes' softmax gradient and hessian (exponentials in single precision)."""
    cdef intp n = raw.shape[0], K = raw.shape[1], rows, block, start, stop, i, k
    if K < 2 or K > 64:
        raise ValueError("softmax gradients need 2 to 64 classes.")
    cdef double bg[SOFTMAX_CELLS]
    cdef double bh[SOFTMAX_CELLS]
    rows = SOFTMAX_CELLS // K
    with nogil:
        for block in range((n + rows - 1) // rows):
            start = block * rows
            stop = min(rows, n - start)
            _block_softmax(&raw[start, 0], &y[start, 0], &w[start], stop, K, bg, bh)
            for i in range(stop):
                for k in range(K):
                    g[start + i, k] = bg[k * stop + i]
                    h[start + i, k] = bh[k * stop + i]


def logistic_gradients_single(const double[::1] raw, const double[::1] y, const double[::1] w,
                              double[::1] g, double[::1] h):
    """The boosting passes' logistic gradient and hessian (sigmoid in single precision)."""
    cdef intp n = raw.shape[0], block, start
    with nogil:
        for block in range((n + ROW_BLOCK - 1) // ROW_BLOCK):
            start = block * ROW_BLOCK
            _block_logistic(&raw[start], &y[start], &w[start], min(ROW_BLOCK, n - start), &g[start], &h[start])


def gradients(const double[:, ::1] raw, const double[:, ::1] y, const double[::1] w,
              double[:, ::1] g, double[:, ::1] h, int loss, int n_threads, double power=0.0):
    """Write every row's gradient and hessian into ``g`` and ``h`` (``power``: Tweedie's only)."""
    cdef intp n = raw.shape[0], K = raw.shape[1], i, start
    if K == 1 and loss != LOSS_SOFTMAX:
        # single output: the block kernel of the boosting passes
        for i in prange((n + ROW_BLOCK - 1) // ROW_BLOCK, nogil=True, schedule="static", num_threads=n_threads):
            start = i * ROW_BLOCK
            _block_gradient(&raw[start, 0], &y[start, 0], &w[start], min(ROW_BLOCK, n - start), loss, power,
                            &g[start, 0], &h[start, 0])
        return
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        _row_gradient(&raw[i, 0], &y[i, 0], w[i], K, loss, power, &g[i, 0], &h[i, 0])


def mean_loss(const double[:, ::1] raw, const double[:, ::1] y, const double[::1] w, int loss, double power=0.0):
    """Weighted mean loss of raw scores (the early-stopping criterion; half the deviance for a log link)."""
    cdef intp n = raw.shape[0], K = raw.shape[1], i
    cdef double total = 0.0, weight = 0.0
    with nogil:
        for i in range(n):
            total = total + _row_loss(&raw[i, 0], &y[i, 0], w[i], K, loss, power)
            weight = weight + w[i]
    return total / weight if weight > 0 else 0.0


cdef struct BagRows:
    # the rows of one bag (training or validation part), in their order, consecutive
    intp n
    uint16* codes      # term t's code of row i at codes[t * n + i]
    double* y          # n x K
    double* w


cdef void _pass_single(const uint16* applied_codes, bint apply, const uint16* next_codes,
                       intp n_rows, const double* y, const double* w, double* raw, int loss, double power,
                       const double* delta,
                       intp cells, double* hg, double* hh) noexcept nogil:
    """``_pass_rows`` for one output (any loss but softmax) into a histogram of ``cells`` cells.

    A block of rows gets its update, then its gradients in one loop the compiler
    vectorises (no calls in it), then is scattered into the histogram, so the
    dependent scatter does not stall the arithmetic.  Rows take turns in four
    partial histograms (g and h of a cell side by side) when the term has at most
    ``SPLIT_CELLS`` cells: a run of rows in one bin, common in categorical and
    spiky features, then makes four chains of dependent additions, not one.
    """
    cdef double bg[ROW_BLOCK]
    cdef double bh[ROW_BLOCK]
    cdef double part[8 * SPLIT_CELLS]
    cdef bint split = cells <= SPLIT_CELLS
    cdef intp block, start, stop, i, c
    if split:
        memset(part, 0, 8 * cells * sizeof(double))
    for block in range((n_rows + ROW_BLOCK - 1) // ROW_BLOCK):
        start = block * ROW_BLOCK
        stop = min(n_rows, start + ROW_BLOCK)
        if apply:
            _apply_codes(raw + start, delta, applied_codes + start, stop - start)
        if loss == LOSS_LOGISTIC:
            _block_logistic(raw + start, y + start, w + start, stop - start, bg, bh)
        else:
            _block_gradient(raw + start, y + start, w + start, stop - start, loss, power, bg, bh)
        if split:
            # row i goes to partial histogram i % 4: blocks start at multiples of 4, so four rows at a
            # time take the four partials in turn, with no index arithmetic per row
            for i in range(start, stop - 3, 4):
                _add_pair(part + 2 * next_codes[i], bg[i - start], bh[i - start])
                _add_pair(part + 2 * cells + 2 * next_codes[i + 1], bg[i + 1 - start], bh[i + 1 - start])
                _add_pair(part + 4 * cells + 2 * next_codes[i + 2], bg[i + 2 - start], bh[i + 2 - start])
                _add_pair(part + 6 * cells + 2 * next_codes[i + 3], bg[i + 3 - start], bh[i + 3 - start])
            for i in range(stop - (stop - start) % 4, stop):
                _add_pair(part + 2 * next_codes[i] + (i & 3) * 2 * cells, bg[i - start], bh[i - start])
        else:
            for i in range(start, stop):
                c = next_codes[i]
                hg[c] = hg[c] + bg[i - start]
                hh[c] = hh[c] + bh[i - start]
    if split:
        for c in range(cells):
            hg[c] = (part[2 * c] + part[2 * cells + 2 * c]) + (part[4 * cells + 2 * c] + part[6 * cells + 2 * c])
            hh[c] = ((part[2 * c + 1] + part[2 * cells + 2 * c + 1])
                     + (part[4 * cells + 2 * c + 1] + part[6 * cells + 2 * c + 1]))


cdef void _pass_softmax(const uint16* applied_codes, bint apply, const uint16* next_codes, intp n_rows, intp K,
                        const double* y, const double* w, double* raw, const double* delta,
                        double* hg, double* hh) noexcept nogil:
    """``_pass_rows`` for the softmax loss: blocks of rows get their update, then their gradients
    (:func:`_block_softmax`), then are added to the histogram in row order."""
    cdef double bg[SOFTMAX_CELLS]
    cdef double bh[SOFTMAX_CELLS]
    cdef intp rows = SOFTMAX_CELLS // K, block, start, stop, i, k, c, n
    for block in range((n_rows + rows - 1) // rows):
        start = block * rows
        stop = min(n_rows, start + rows)
        if apply:
            _apply_codes_k(raw + start * K, delta, applied_codes + start, stop - start, K)
        _block_softmax(raw + start * K, y + start * K, w + start, stop - start, K, bg, bh)
        n = stop - start
        for i in range(n):
            c = next_codes[start + i] * K
            for k in range(K):
                hg[c + k] = hg[c + k] + bg[k * n + i]
                hh[c + k] = hh[c + k] + bh[k * n + i]


cdef void _pass_rows(const uint16* codes, intp n, intp n_rows, const double* y,
                     const double* w, double* raw, const Terms* T, int loss, double power,
                     intp applied, const double* delta, intp accumulate, double* hg, double* hh) noexcept nogil:
    """One pass over ``n_rows`` consecutive rows of a bag (term columns ``n`` apart in ``codes``):
    add ``delta`` of term ``applied`` (if >= 0) to the raw scores, then add gradient and
    hessian to the histogram of term ``accumulate`` (if >= 0)."""
    cdef intp K = T.K
    cdef const uint16* applied_codes = codes + applied * n if applied >= 0 else codes
    cdef const uint16* next_codes = codes + accumulate * n if accumulate >= 0 else codes
    if accumulate >= 0:
        memset(hg, 0, T.rows[accumulate] * T.cols[accumulate] * K * sizeof(double))
        memset(hh, 0, T.rows[accumulate] * T.cols[accumulate] * K * sizeof(double))
        if K == 1:  # one output: any loss but the softmax
            _pass_single(applied_codes, applied >= 0, next_codes, n_rows, y, w, raw, loss, power, delta,
                         T.rows[accumulate] * T.cols[accumulate], hg, hh)
        else:
            _pass_softmax(applied_codes, applied >= 0, next_codes, n_rows, K, y, w, raw, delta, hg, hh)
    elif applied >= 0:  # the validation rows' update: no gradient
        if K == 1:
            _apply_codes(raw, delta, applied_codes, n_rows)
        else:
            _apply_codes_k(raw, delta, applied_codes, n_rows, K)


cdef void _pass_chunks(const BagRows* data, double* raw, const Terms* T, const Settings* S, Workspace* ws,
                       intp applied, const double* delta, intp accumulate) noexcept nogil:
    """``_pass_rows`` over fixed row chunks (threads share them); histograms summed in chunk order."""
    cdef intp K = T.K, chunk, size, start, stop, cells, i, stride, n_rows = data.n
    cdef int threads = S.inner_threads if n_rows >= MIN_THREADED_ROWS else 1
    if n_rows < MIN_CHUNKED_ROWS:
        _pass_rows(data.codes, n_rows, n_rows, data.y, data.w, raw, T, S.loss, S.power, applied, delta, accumulate,
                   ws.hist_g, ws.hist_h)
        return
    size = (n_rows + N_CHUNKS - 1) // N_CHUNKS
    stride = ws.max_cells * K
    for chunk in prange(N_CHUNKS, schedule="static", num_threads=threads):
        start = chunk * size
        stop = min(n_rows, start + size)
        _pass_rows(data.codes + start, n_rows, stop - start, data.y + start * K, data.w + start, raw + start * K,
                   T, S.loss, S.power, applied, delta, accumulate, ws.chunk_g + chunk * stride, ws.chunk_h + chunk * stride)
    if accumulate < 0:
        return
    cells = T.rows[accumulate] * T.cols[accumulate] * K
    memcpy(ws.hist_g, ws.chunk_g, cells * sizeof(double))
    memcpy(ws.hist_h, ws.chunk_h, cells * sizeof(double))
    for chunk in range(1, N_CHUNKS):
        for i in range(cells):
            ws.hist_g[i] = ws.hist_g[i] + ws.chunk_g[chunk * stride + i]
            ws.hist_h[i] = ws.hist_h[i] + ws.chunk_h[chunk * stride + i]


cdef double _valid_loss(const BagRows* data, const double* raw, intp K, int loss, double power) noexcept nogil:
    cdef intp i
    cdef double total = 0.0, weight = 0.0
    for i in range(data.n):
        total = total + _row_loss(raw + i * K, data.y + i * K, data.w[i], K, loss, power)
        weight = weight + data.w[i]
    return total / weight if weight > 0 else 0.0


cdef void _cell_statistics(const BagRows* data, const Terms* T, double* counts, double* mass) noexcept nogil:
    cdef intp t, i, c
    for t in range(T.n_terms):
        for i in range(data.n):
            c = T.offset[t] + data.codes[t * data.n + i]
            if data.w[i] > 0:
                counts[c] = counts[c] + 1.0
            mass[c] = mass[c] + data.w[i]


cdef intp _boost_bag(const BagRows* train, const BagRows* valid,
                     double* raw_train, double* raw_valid, const Terms* T, const Settings* S,
                     Workspace* ws, double* scores, double* best_scores, intp total_cells,
                     double reference_loss, Interrupt* interrupt) noexcept nogil:
    """Cyclic boosting of all terms of one bag; ``best_scores`` gets the early-stopped shapes.

    The early-stopping tolerance is a share of ``reference_loss`` (the bag's
    intercept-only validation loss), or of the stage's starting validation
    loss when ``reference_loss`` is negative.
    Returns the number of rounds whose shapes were kept (meaningless once
    ``interrupt`` asks to stop: then the bag returns between two term updates).
    """
    cdef intp K = T.K, r, t, nt, i, best_round = 0, rounds = 0, n_valid = valid.n
    cdef double loss, best_loss = 1e300, start_loss = 0.0
    cdef bint changed
    # a term update of a large bag can take a good part of a second: Ctrl-C is looked for after each
    # one; on small bags once per round (a check costs about as much as a term update of 10 rows)
    cdef bint check_each_term = train.n >= MIN_CHUNKED_ROWS
    _cell_statistics(train, T, ws.counts, ws.mass)
    memcpy(best_scores, scores, total_cells * K * sizeof(double))
    if n_valid > 0:
        best_loss = _valid_loss(valid, raw_valid, K, S.loss, S.power)
        start_loss = reference_loss if reference_loss >= 0 else best_loss
    _pass_chunks(train, raw_train, T, S, ws, -1, ws.delta, 0)
    for r in range(S.max_rounds):
        changed = False
        for t in range(T.n_terms):
            if T.kind[t] == TERM_ORDERED:
                _update_ordered(T, S, ws, t, r < S.smoothing_rounds)
            elif T.kind[t] == TERM_PER_BIN:
                _update_per_bin(T, S, ws, t, 0, T.rows[t])
            else:
                _update_pair(T, S, ws, t, r < S.smoothing_rounds)
            if _apply_update(T, ws, scores, t):
                changed = True
            nt = t + 1 if t + 1 < T.n_terms else 0
            _pass_chunks(train, raw_train, T, S, ws, t, ws.delta, nt)
            _pass_chunks(valid, raw_valid, T, S, ws, t, ws.delta, -1)
            if check_each_term and _interrupted(interrupt):
                return best_round
        if not check_each_term and _interrupted(interrupt):
            return best_round
        rounds = r + 1
        if n_valid > 0:
            loss = _valid_loss(valid, raw_valid, K, S.loss, S.power)
            # progress is measured against the intercept-only loss, not the best so far nor the
            # stage's own start: a pair stage starting from a near-separating mains fit would
            # otherwise count tiny gains as progress for thousands of rounds
            if loss < best_loss - S.tolerance * fabs(start_loss):
                best_loss = loss
                best_round = rounds
                memcpy(best_scores, scores, total_cells * K * sizeof(double))
            elif rounds - best_round >= S.patience and rounds > S.smoothing_rounds:
                break
        if not changed:
            break
    if n_valid == 0:
        memcpy(best_scores, scores, total_cells * K * sizeof(double))
        best_round = rounds
    return best_round


cdef int _alloc_workspace(Workspace* ws, intp max_cells, intp max_prefix, intp total_cells, intp K) noexcept nogil:
    ws.hist_g = <double*> malloc(max_cells * K * sizeof(double))
    ws.hist_h = <double*> malloc(max_cells * K * sizeof(double))
    ws.delta = <double*> malloc(max_cells * K * sizeof(double))
    ws.pg = <double*> malloc(max_prefix * K * sizeof(double))
    ws.ph = <double*> malloc(max_prefix * K * sizeof(double))
    ws.pc = <double*> malloc(max_prefix * sizeof(double))
    ws.sg = <double*> malloc(K * sizeof(double))
    ws.sh = <double*> malloc(K * sizeof(double))
    ws.block_value = <double*> malloc(max_cells * sizeof(double))
    ws.block_weight = <double*> malloc(max_cells * sizeof(double))
    ws.block_length = <intp*> malloc(max_cells * sizeof(intp))
    ws.cuts = <intp*> malloc((max_cells + 2) * sizeof(intp))
    ws.max_cells = max_cells
    ws.chunk_g = <double*> malloc(N_CHUNKS * max_cells * K * sizeof(double))
    ws.chunk_h = <double*> malloc(N_CHUNKS * max_cells * K * sizeof(double))
    ws.counts = <double*> calloc(total_cells, sizeof(double))
    ws.mass = <double*> calloc(total_cells, sizeof(double))
    if (ws.hist_g == NULL or ws.hist_h == NULL or ws.delta == NULL or ws.pg == NULL or ws.ph == NULL
            or ws.pc == NULL or ws.sg == NULL or ws.sh == NULL or ws.block_value == NULL
            or ws.block_weight == NULL or ws.block_length == NULL or ws.cuts == NULL
            or ws.counts == NULL or ws.mass == NULL or ws.chunk_g == NULL or ws.chunk_h == NULL):
        return -1
    return 0


cdef void _free_workspace(Workspace* ws) noexcept nogil:
    free(ws.hist_g)
    free(ws.hist_h)
    free(ws.delta)
    free(ws.pg)
    free(ws.ph)
    free(ws.pc)
    free(ws.sg)
    free(ws.sh)
    free(ws.block_value)
    free(ws.block_weight)
    free(ws.block_length)
    free(ws.cuts)
    free(ws.counts)
    free(ws.mass)
    free(ws.chunk_g)
    free(ws.chunk_h)


def boost_bags(const uint16[::1, :] term_codes,
               const double[:, ::1] y,
               const double[::1] w,
               const intp[:, ::1] train_rows, const intp[::1] n_train,
               const intp[:, ::1] valid_rows, const intp[::1] n_valid,
               double[:, :, ::1] raw_train, double[:, :, ::1] raw_valid,
               const intp[::1] kind, const intp[::1] offset,
               const intp[::1] rows, const intp[::1] cols,
               const intp[::1] ordered1, const intp[::1] ordered2,
               const signed char[::1] cst1, const signed char[::1] cst2,
               double[:, :, ::1] scores,
               double[:, :, ::1] best_scores,
               intp[::1] rounds_out,
               int loss, double learning_rate, intp max_rounds, intp patience, double tolerance,
               double min_leaf, intp max_leaves, double l2, int n_threads,
               intp smoothing_rounds=0, unsigned long long seed=0, reference_loss=None, double power=0.0):
    """Boost every bag (in parallel over bags); ``best_scores[b]`` gets bag ``b``'s shapes.

    ``raw_train[b, :n_train[b]]`` and ``raw_valid[b, :n_valid[b]]`` hold the
    starting raw scores of the bag's rows (intercept plus any fixed terms) and
    are updated in place.  ``rounds_out[b]`` is the early-stopped round count,
    or -1 if the workspace could not be allocated.  ``reference_loss[b]`` is
    the loss the early-stopping tolerance is a share of (None: each bag's
    starting validation loss).  ``power`` is the Tweedie loss's (other losses ignore it).

    Ctrl-C (a signal handler that raises) stops the bags within a term
    update or two and raises its exception here; the outputs are then partial.
    """
    cdef intp n_bags = scores.shape[0]
    cdef intp K = scores.shape[2], b, t, max_cells = 1, max_prefix = 2, work = 0
    cdef Terms T
    cdef Settings S
    cdef Interrupt interrupt
    cdef double[::1] reference = np.full(n_bags, -1.0) if reference_loss is None else np.asarray(
        reference_loss, dtype=np.float64).copy()
    if K > 64:
        raise ValueError("At most 64 classes are supported.")
    T.n_terms = kind.shape[0]
    T.K = K
    T.kind = &kind[0]
    T.offset = &offset[0]
    T.rows = &rows[0]
    T.cols = &cols[0]
    T.ordered1 = &ordered1[0]
    T.ordered2 = &ordered2[0]
    T.cst1 = &cst1[0]
    T.cst2 = &cst2[0]
    for t in range(T.n_terms):
        max_cells = max(max_cells, rows[t] * cols[t])
        max_prefix = max(max_prefix, (rows[t] + 1) * (cols[t] + 1))
    S.loss = loss
    S.power = power
    S.learning_rate = learning_rate
    S.max_rounds = max_rounds
    S.patience = patience
    S.tolerance = tolerance
    S.min_leaf = min_leaf
    S.max_leaves = max_leaves
    S.l2 = max(l2, NEWTON_EPS)
    S.smoothing_rounds = smoothing_rounds
    S.seed = seed
    # threads over bags when there are enough of them, else over row chunks inside each bag;
    # a small stage runs on one thread (a second one costs more than it saves, see MIN_THREADED_BAG_WORK)
    for b in range(n_bags):
        work = work + n_train[b] * T.n_terms
    if work < MIN_THREADED_BAG_WORK:
        n_threads = 1
    S.inner_threads = 1 if n_bags >= n_threads else n_threads
    _interrupt_init(&interrupt)
    with nogil:
        _boost_all_bags(term_codes, y, w, train_rows, n_train, valid_rows, n_valid, raw_train, raw_valid,
                        &T, &S, scores, best_scores, rounds_out, reference, max_cells, max_prefix, n_threads,
                        &interrupt)
    _raise_if_interrupted(&interrupt)


cdef void _boost_all_bags(const uint16[::1, :] term_codes, const double[:, ::1] y, const double[::1] w,
                          const intp[:, ::1] train_rows, const intp[::1] n_train,
                          const intp[:, ::1] valid_rows, const intp[::1] n_valid,
                          double[:, :, ::1] raw_train, double[:, :, ::1] raw_valid,
                          const Terms* T, const Settings* S,
                          double[:, :, ::1] scores, double[:, :, ::1] best_scores, intp[::1] rounds_out,
                          const double[::1] reference, intp max_cells, intp max_prefix, int n_threads,
                          Interrupt* interrupt) noexcept nogil:
    """Boost the bags one after another (each on ``S.inner_threads`` threads), or one bag per thread."""
    cdef intp n = term_codes.shape[0], n_bags = scores.shape[0], total_cells = scores.shape[1], b = 0
    if S.inner_threads > 1:
        for b in range(n_bags):
            if _interrupted(interrupt):
                break
            rounds_out[b] = _run_bag(&term_codes[0, 0], n, &y[0, 0], &w[0], &train_rows[b, 0], n_train[b],
                                     &valid_rows[b, 0], n_valid[b], &raw_train[b, 0, 0], &raw_valid[b, 0, 0],
                                     T, S, &scores[b, 0, 0], &best_scores[b, 0, 0], total_cells,
                                     max_cells, max_prefix, b, reference[b], interrupt)
        return
    # each thread claims the next bag until none is left (the result does not depend on which
    # thread boosts a bag); the calling thread then watches for Ctrl-C until the others are done
    with parallel(num_threads=n_threads):
        b = _claim_item(interrupt)
        while b < n_bags and not _interrupted(interrupt):
            rounds_out[b] = _run_bag(&term_codes[0, 0], n, &y[0, 0], &w[0], &train_rows[b, 0], n_train[b],
                                     &valid_rows[b, 0], n_valid[b], &raw_train[b, 0, 0], &raw_valid[b, 0, 0],
                                     T, S, &scores[b, 0, 0], &best_scores[b, 0, 0], total_cells,
                                     max_cells, max_prefix, b, reference[b], interrupt)
            _item_done(interrupt)
            b = _claim_item(interrupt)
        _wait_for_items(interrupt, n_bags)


cdef intp _run_bag(const uint16* codes, intp n, const double* y, const double* w,
                   const intp* train, intp n_train, const intp* valid, intp n_valid,
                   double* raw_train, double* raw_valid, const Terms* T, const Settings* S,
                   double* scores, double* best_scores, intp total_cells,
                   intp max_cells, intp max_prefix, intp bag, double reference_loss,
                   Interrupt* interrupt) noexcept nogil:
    cdef Workspace ws
    cdef BagRows train_data, valid_data
    cdef intp result = -1
    # zeroed, so that whatever was not allocated is freed as NULL
    memset(&ws, 0, sizeof(Workspace))
    memset(&train_data, 0, sizeof(BagRows))
    memset(&valid_data, 0, sizeof(BagRows))
    # every bag draws its own random cuts, whichever thread runs it
    ws.rng = S.seed + <unsigned long long> bag * 0xD1B54A32D192ED03ULL
    if (_gather_rows(codes, n, y, w, train, n_train, T.n_terms, T.K, &train_data) == 0
            and _gather_rows(codes, n, y, w, valid, n_valid, T.n_terms, T.K, &valid_data) == 0
            and _alloc_workspace(&ws, max_cells, max_prefix, total_cells, T.K) == 0):
        result = _boost_bag(&train_data, &valid_data, raw_train, raw_valid,
                            T, S, &ws, scores, best_scores, total_cells, reference_loss, interrupt)
    _free_workspace(&ws)
    _free_rows(&train_data)
    _free_rows(&valid_data)
    return result


cdef int _gather_rows(const uint16* codes, intp n, const double* y, const double* w, const intp* rows,
                      intp n_rows, intp n_terms, intp K, BagRows* out) noexcept nogil:
    """Copy the codes, targets and weights of a bag's rows into consecutive memory.

    Every pass then reads its rows in order, with no index to chase per row,
    and the gradient loop reads targets and weights where they are.
    """
    cdef intp t, i, k
    out.n = n_rows
    out.codes = <uint16*> malloc(max(n_rows * n_terms, 1) * sizeof(uint16))
    out.y = <double*> malloc(max(n_rows * K, 1) * sizeof(double))
    out.w = <double*> malloc(max(n_rows, 1) * sizeof(double))
    if out.codes == NULL or out.y == NULL or out.w == NULL:
        return -1
    for t in range(n_terms):
        for i in range(n_rows):
            out.codes[t * n_rows + i] = codes[t * n + rows[i]]
    for i in range(n_rows):
        out.w[i] = w[rows[i]]
        for k in range(K):
            out.y[i * K + k] = y[rows[i] * K + k]
    return 0


cdef void _free_rows(BagRows* data) noexcept nogil:
    free(data.codes)
    free(data.y)
    free(data.w)


def lookup_contributions(const uint16[::1, :] term_codes, const double[:, ::1] scores,
                         const intp[::1] offset, double[:, :, ::1] out, int n_threads):
    """``out[i, t, k] = scores[offset[t] + term_codes[i, t], k]``."""
    cdef intp n = term_codes.shape[0], n_terms = term_codes.shape[1], K = scores.shape[1]
    cdef intp i, t, k, c
    cdef int threads = n_threads if n * n_terms >= MIN_THREADED_CELLS else 1
    for i in prange(n, nogil=True, schedule="static", num_threads=threads):
        for t in range(n_terms):
            c = offset[t] + term_codes[i, t]
            for k in range(K):
                out[i, t, k] = scores[c, k]


def bin_statistics(const uint16[::1, :] term_codes, const double[::1] w, const intp[::1] offset,
                   double[::1] mass, int n_threads):
    """Training weight of every cell of every term (``mass`` flat like the scores, zeroed)."""
    cdef intp n = term_codes.shape[0], n_terms = term_codes.shape[1], i, t
    cdef int threads = n_threads if n * n_terms >= MIN_THREADED_CELLS else 1
    for t in prange(n_terms, nogil=True, schedule="static", num_threads=threads):
        for i in range(n):
            mass[offset[t] + term_codes[i, t]] += w[i]
