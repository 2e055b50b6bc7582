"""One boosting step of one GAM term, from the gradient histogram of the term.

A main effect of a numeric feature grows a shallow tree over its value bins
(``_update_ordered``), a categorical one takes one Newton step per level
(``_update_per_bin``), a pair grows a three- or four-leaf tree on its grid
(``_update_pair``); ``_apply_update`` adds the step to the term's scores and
projects constrained axes onto the monotone cone.  During smoothing rounds the
cuts are drawn at random (the Explainable Boosting design).
"""

from libc.string cimport memset

from ._gam_split_fast cimport _best_split, _leaf_gain, _pava, _prefix_1d, _prefix_2d


cdef void _set_leaf(double* delta, const double* pg, const double* ph, intp start, intp stop, intp K,
                    double lr, double lam, double* sg, double* sh) noexcept nogil:
    cdef intp i, k
    for k in range(K):
        sg[k] = pg[stop * K + k] - pg[start * K + k]
        sh[k] = ph[stop * K + k] - ph[start * K + k]
    for i in range(start, stop):
        for k in range(K):
            delta[i * K + k] = -lr * sg[k] / (sh[k] + lam)


cdef inline unsigned long long _next_random(unsigned long long* state) noexcept nogil:
    """splitmix64: a full-period 64-bit generator, one multiply-xorshift chain per draw."""
    cdef unsigned long long z
    state[0] = state[0] + 0x9E3779B97F4A7C15ULL
    z = state[0]
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL
    return z ^ (z >> 31)


cdef intp _random_cut(const double* pc, const intp* cuts, intp n_leaves, double min_leaf,
                      unsigned long long* state, intp* leaf_out) noexcept nogil:
    """A cut drawn uniformly among every position that leaves both sides of its leaf
    ``min_leaf`` rows; -1 if there is none."""
    cdef intp leaf, s, n_valid = 0, pick
    for leaf in range(n_leaves):
        for s in range(cuts[leaf] + 1, cuts[leaf + 1]):
            if pc[s] - pc[cuts[leaf]] >= min_leaf and pc[cuts[leaf + 1]] - pc[s] >= min_leaf:
                n_valid = n_valid + 1
    if n_valid == 0:
        return -1
    pick = <intp> (_next_random(state) % <unsigned long long> n_valid)
    for leaf in range(n_leaves):
        for s in range(cuts[leaf] + 1, cuts[leaf + 1]):
            if pc[s] - pc[cuts[leaf]] >= min_leaf and pc[cuts[leaf + 1]] - pc[s] >= min_leaf:
                if pick == 0:
                    leaf_out[0] = leaf
                    return s
                pick = pick - 1
    return -1


cdef void _update_ordered(const Terms* T, const Settings* S, Workspace* ws, intp t,
                          bint random_cuts) noexcept nogil:
    """Shallow tree over the value bins; missing (and unseen) bins get their own step.

    With ``random_cuts`` (smoothing rounds) the cuts are drawn at random instead of
    chosen by gain: many small steps on random intervals add up to a smooth shape
    before the greedy rounds refine it (the Explainable Boosting design).
    """
    cdef intp K = T.K, n_bins = T.rows[t], n_value = T.ordered1[t], i, k, leaf, best_leaf, n_leaves
    cdef intp cut
    cdef double gain, best_gain
    cdef const double* counts = ws.counts + T.offset[t]
    _prefix_1d(ws.hist_g, ws.hist_h, counts, n_value, K, ws.pg, ws.ph, ws.pc)
    # ws.cuts holds the sorted leaf boundaries: cuts[0] = 0 < ... < cuts[n_leaves] = n_value
    ws.cuts[0] = 0
    ws.cuts[1] = n_value
    n_leaves = 1
    while n_leaves < S.max_leaves:
        best_leaf = -1
        if random_cuts:
            i = _random_cut(ws.pc, ws.cuts, n_leaves, S.min_leaf, &ws.rng, &best_leaf)
        else:
            best_gain = 0.0
            for leaf in range(n_leaves):
                gain = _best_split(ws.pg, ws.ph, ws.pc, ws.cuts[leaf], ws.cuts[leaf + 1], K, S.min_leaf, S.l2,
                                   ws.sg, ws.sh, &cut)
                if gain > best_gain:
                    best_gain = gain
                    best_leaf = leaf
                    i = cut
        if best_leaf < 0:
            break
        for leaf in range(n_leaves, best_leaf, -1):
            ws.cuts[leaf + 1] = ws.cuts[leaf]
        ws.cuts[best_leaf + 1] = i
        n_leaves = n_leaves + 1
    if n_leaves == 1:
        for i in range(n_value * K):
            ws.delta[i] = 0.0
    else:
        for leaf in range(n_leaves):
            _set_leaf(ws.delta, ws.pg, ws.ph, ws.cuts[leaf], ws.cuts[leaf + 1], K, S.learning_rate, S.l2,
                      ws.sg, ws.sh)
    _update_per_bin(T, S, ws, t, n_value, n_bins)


cdef void _update_per_bin(const Terms* T, const Settings* S, Workspace* ws, intp t,
                          intp start, intp stop) noexcept nogil:
    cdef intp i, k, K = T.K
    cdef const double* counts = ws.counts + T.offset[t]
    for i in range(start, stop):
        for k in range(K):
            if counts[i] >= S.min_leaf:
                ws.delta[i * K + k] = -S.learning_rate * ws.hist_g[i * K + k] / (ws.hist_h[i * K + k] + S.l2)
            else:
                ws.delta[i * K + k] = 0.0


cdef inline double _rect(const double* pg, const double* ph, const double* pc, intp W, intp K, bint transposed,
                         intp p0, intp p1, intp s0, intp s1, double* sg, double* sh) noexcept nogil:
    """Sums of the rectangle primary [p0, p1) x secondary [s0, s1); returns its row count.

    The primary axis is the grid's rows, or its columns when ``transposed``.
    """
    cdef intp r0 = s0 if transposed else p0, r1 = s1 if transposed else p1
    cdef intp c0 = p0 if transposed else s0, c1 = p1 if transposed else s1, k
    for k in range(K):
        sg[k] = pg[(r1 * W + c1) * K + k] - pg[(r0 * W + c1) * K + k] - pg[(r1 * W + c0) * K + k] + pg[(r0 * W + c0) * K + k]
        sh[k] = ph[(r1 * W + c1) * K + k] - ph[(r0 * W + c1) * K + k] - ph[(r1 * W + c0) * K + k] + ph[(r0 * W + c0) * K + k]
    return pc[r1 * W + c1] - pc[r0 * W + c1] - pc[r1 * W + c0] + pc[r0 * W + c0]


cdef double _best_half(const double* pg, const double* ph, const double* pc, intp W, intp K, bint transposed,
                       intp p0, intp p1, intp n_secondary, double min_leaf, double lam, double* sg, double* sh,
                       intp* cut) noexcept nogil:
    """Best cut of the slice primary [p0, p1) along the secondary axis (-1: keep it whole)."""
    cdef intp s
    cdef double best = 0.0, left, gain
    cut[0] = -1
    if _rect(pg, ph, pc, W, K, transposed, p0, p1, 0, n_secondary, sg, sh) >= min_leaf:
        best = _leaf_gain(sg, sh, K, lam)
    for s in range(1, n_secondary):
        if _rect(pg, ph, pc, W, K, transposed, p0, p1, 0, s, sg, sh) < min_leaf:
            continue
        left = _leaf_gain(sg, sh, K, lam)
        if _rect(pg, ph, pc, W, K, transposed, p0, p1, s, n_secondary, sg, sh) < min_leaf:
            continue
        gain = left + _leaf_gain(sg, sh, K, lam)
        if gain > best:
            best = gain
            cut[0] = s
    return best


cdef void _fill_rect(double* delta, const double* pg, const double* ph, const double* pc, intp W, intp cols,
                     intp K, bint transposed, intp p0, intp p1, intp s0, intp s1, double min_leaf, double lr,
                     double lam, double* sg, double* sh) noexcept nogil:
    cdef intp a, b, k, r0, r1, c0, c1
    if _rect(pg, ph, pc, W, K, transposed, p0, p1, s0, s1, sg, sh) < min_leaf:
        return
    r0, r1, c0, c1 = (s0, s1, p0, p1) if transposed else (p0, p1, s0, s1)
    for a in range(r0, r1):
        for b in range(c0, c1):
            for k in range(K):
                delta[(a * cols + b) * K + k] = -lr * sg[k] / (sh[k] + lam)


cdef intp _random_pair_cut(const double* pg, const double* ph, const double* pc, intp W, intp K, bint transposed,
                           intp p0, intp p1, intp n_secondary, double min_leaf, double* sg, double* sh,
                           unsigned long long* state) noexcept nogil:
    """A random cut of the slice primary [p0, p1) along the secondary axis among those leaving
    both parts ``min_leaf`` rows (-1: none, keep the slice whole)."""
    cdef intp s, n_valid = 0, pick
    for s in range(1, n_secondary):
        if (_rect(pg, ph, pc, W, K, transposed, p0, p1, 0, s, sg, sh) >= min_leaf
                and _rect(pg, ph, pc, W, K, transposed, p0, p1, s, n_secondary, sg, sh) >= min_leaf):
            n_valid = n_valid + 1
    if n_valid == 0:
        return -1
    pick = <intp> (_next_random(state) % <unsigned long long> n_valid)
    for s in range(1, n_secondary):
        if (_rect(pg, ph, pc, W, K, transposed, p0, p1, 0, s, sg, sh) >= min_leaf
                and _rect(pg, ph, pc, W, K, transposed, p0, p1, s, n_secondary, sg, sh) >= min_leaf):
            if pick == 0:
                return s
            pick = pick - 1
    return -1


cdef void _update_pair(const Terms* T, const Settings* S, Workspace* ws, intp t,
                       bint random_cuts) noexcept nogil:
    """A three- or four-leaf tree on the pair's grid: one cut on one axis, then a cut of each
    half on the other axis (its own cut point per half), the best of both axis orders.

    With ``random_cuts`` (smoothing rounds) the axis order and all cuts are drawn at random
    among those that leave every part ``min_leaf`` rows.
    """
    cdef intp K = T.K, rows = T.rows[t], cols = T.cols[t], W = cols + 1
    cdef intp a, n_primary, n_secondary, lo_cut, hi_cut, best_a = -1, best_lo = -1, best_hi = -1
    cdef int orientation
    cdef bint transposed, best_transposed = False
    cdef double parent, gain, best = 0.0
    cdef const double* counts = ws.counts + T.offset[t]
    _prefix_2d(ws.hist_g, ws.hist_h, counts, rows, cols, K, ws.pg, ws.ph, ws.pc)
    memset(ws.delta, 0, rows * cols * K * sizeof(double))
    if random_cuts:
        best_transposed = (_next_random(&ws.rng) & 1ULL) == 1ULL
        n_primary = cols if best_transposed else rows
        n_secondary = rows if best_transposed else cols
        # the primary cut: a random cut of the whole grid along the primary axis
        best_a = _random_pair_cut(ws.pg, ws.ph, ws.pc, W, K, not best_transposed, 0, n_secondary, n_primary,
                                  S.min_leaf, ws.sg, ws.sh, &ws.rng)
        if best_a > 0:
            best_lo = _random_pair_cut(ws.pg, ws.ph, ws.pc, W, K, best_transposed, 0, best_a, n_secondary,
                                       S.min_leaf, ws.sg, ws.sh, &ws.rng)
            best_hi = _random_pair_cut(ws.pg, ws.ph, ws.pc, W, K, best_transposed, best_a, n_primary, n_secondary,
                                       S.min_leaf, ws.sg, ws.sh, &ws.rng)
        _fill_pair_tree(T, S, ws, t, best_transposed, best_a, best_lo, best_hi)
        return
    _rect(ws.pg, ws.ph, ws.pc, W, K, False, 0, rows, 0, cols, ws.sg, ws.sh)
    parent = _leaf_gain(ws.sg, ws.sh, K, S.l2)
    for orientation in range(2):
        transposed = orientation == 1
        n_primary = cols if transposed else rows
        n_secondary = rows if transposed else cols
        for a in range(1, n_primary):
            gain = (_best_half(ws.pg, ws.ph, ws.pc, W, K, transposed, 0, a, n_secondary, S.min_leaf, S.l2,
                               ws.sg, ws.sh, &lo_cut)
                    + _best_half(ws.pg, ws.ph, ws.pc, W, K, transposed, a, n_primary, n_secondary, S.min_leaf, S.l2,
                                 ws.sg, ws.sh, &hi_cut)) - parent
            if gain > best:
                best, best_a, best_lo, best_hi, best_transposed = gain, a, lo_cut, hi_cut, transposed
    _fill_pair_tree(T, S, ws, t, best_transposed, best_a, best_lo, best_hi)


cdef void _fill_pair_tree(const Terms* T, const Settings* S, Workspace* ws, intp t, bint best_transposed,
                          intp best_a, intp best_lo, intp best_hi) noexcept nogil:
    """Newton steps of the leaves of a pair tree (nothing when there is no primary cut)."""
    cdef intp K = T.K, rows = T.rows[t], cols = T.cols[t], W = cols + 1, a, n_primary, n_secondary
    cdef intp lo_cut, hi_cut
    if best_a < 0:
        return
    n_primary = cols if best_transposed else rows
    n_secondary = rows if best_transposed else cols
    for a in range(2):
        lo_cut = 0 if a == 0 else best_a
        hi_cut = best_a if a == 0 else n_primary
        if (best_lo if a == 0 else best_hi) < 0:
            _fill_rect(ws.delta, ws.pg, ws.ph, ws.pc, W, cols, K, best_transposed, lo_cut, hi_cut, 0, n_secondary,
                       S.min_leaf, S.learning_rate, S.l2, ws.sg, ws.sh)
        else:
            _fill_rect(ws.delta, ws.pg, ws.ph, ws.pc, W, cols, K, best_transposed, lo_cut, hi_cut, 0,
                       best_lo if a == 0 else best_hi, S.min_leaf, S.learning_rate, S.l2, ws.sg, ws.sh)
            _fill_rect(ws.delta, ws.pg, ws.ph, ws.pc, W, cols, K, best_transposed, lo_cut, hi_cut,
                       best_lo if a == 0 else best_hi, n_secondary, S.min_leaf, S.learning_rate, S.l2, ws.sg, ws.sh)


cdef bint _apply_update(const Terms* T, Workspace* ws, double* scores, intp t) noexcept nogil:
    """Add ``delta`` to term ``t``'s scores, project constrained axes, leave the effective step in ``delta``.

    Returns whether anything changed.
    """
    cdef intp K = T.K, n_cells = T.rows[t] * T.cols[t], i, a, b
    cdef intp rows = T.rows[t], cols = T.cols[t]
    cdef double* s = scores + T.offset[t] * K
    cdef const double* mass = ws.mass + T.offset[t]
    cdef bint changed = False
    if T.cst1[t] == 0 and T.cst2[t] == 0:
        for i in range(n_cells * K):
            if ws.delta[i] != 0.0:
                changed = True
                s[i] = s[i] + ws.delta[i]
        return changed
    # constrained terms have K == 1: keep the old scores in sg-sized scratch (delta), project, diff
    for i in range(n_cells):
        ws.hist_g[i] = s[i]                # the histogram is consumed: reuse it as scratch
        s[i] = s[i] + ws.delta[i]
    if T.cst1[t] != 0:
        for b in range(cols):
            _pava(s + b, cols, mass + b, cols, T.ordered1[t], T.cst1[t],
                  ws.block_value, ws.block_weight, ws.block_length)
    if T.cst2[t] != 0:
        for a in range(rows):
            _pava(s + a * cols, 1, mass + a * cols, 1, T.ordered2[t], T.cst2[t],
                  ws.block_value, ws.block_weight, ws.block_length)
    for i in range(n_cells):
        ws.delta[i] = s[i] - ws.hist_g[i]
        if ws.delta[i] != 0.0:
            changed = True
    return changed
