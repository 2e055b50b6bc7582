"""Terms of a GAM and their layout for the compiled kernels.

A *term* is a main effect (one feature, on the binner's bins) or a pair (two
features, on coarser interaction bins).  Every term gets one uint16 code
column: the bin of a main effect, or the cell ``row * n_cols + col`` of a
pair.  Scores of all terms live in one flat table, term ``t`` at
``offset[t]:offset[t] + n_cells[t]``, so prediction is one lookup per term.
"""

from dataclasses import dataclass

import numpy as np

from ..explain.terms import FeatureBins

TERM_ORDERED, TERM_PER_BIN, TERM_PAIR = 0, 1, 2
def coarse_bins(bins, density, max_bins):
    """Coarser bins of one feature for pair terms, and the fine-to-coarse code map.

    Numeric features keep a subset of their thresholds chosen at weighted
    quantiles of the training density, so that a coarse bin is a union of fine
    bins and ``FeatureBins.codes`` on raw values agrees with mapping the fine
    codes.  Categorical features keep all their levels.

    Parameters
    ----------
    bins : FeatureBins
    density : ndarray of float, training weight of each fine bin
    max_bins : int, maximum number of coarse value bins

    Returns
    -------
    coarse : FeatureBins
    code_map : ndarray of intp, coarse code of each fine code
    """
    if bins.kind == "categorical" or bins.n_value_bins <= max_bins:
        return bins, np.arange(bins.n_bins, dtype=np.intp)
    n_value = bins.n_value_bins
    cumulative = np.cumsum(density[:n_value])
    targets = cumulative[-1] * np.arange(1, max_bins) / max_bins
    # a cut at fine bin c starts a new coarse bin there; it is threshold c - 1
    cuts = np.unique(np.clip(np.searchsorted(cumulative, targets, side="left") + 1, 1, n_value - 1))
    coarse = FeatureBins(bins.feature, "numeric", thresholds=bins.thresholds[cuts - 1])
    code_map = np.empty(bins.n_bins, dtype=np.intp)
    code_map[:n_value] = np.searchsorted(cuts, np.arange(n_value), side="right")
    code_map[bins.missing_bin] = coarse.missing_bin
    return coarse, code_map


@dataclass
class TermLayout:
    """Everything the boosting kernel needs to know about a list of terms."""

    features: list  # tuple of feature indices per term
    kind: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    ordered1: np.ndarray
    ordered2: np.ndarray
    cst1: np.ndarray
    cst2: np.ndarray
    offset: np.ndarray
    code_maps: list  # per term: tuple of fine-to-term code maps (one per feature)
    bins: list  # per term: tuple of FeatureBins

    @property
    def n_terms(self):
        return len(self.features)

    @property
    def total_cells(self):
        return int(self.offset[-1])

    def cell_slice(self, t):
        return slice(int(self.offset[t]), int(self.offset[t + 1]))

    def term_shape(self, t):
        return (int(self.rows[t]),) if len(self.features[t]) == 1 else (int(self.rows[t]), int(self.cols[t]))

    def codes(self, fine_codes):
        """uint16 code column of every term, column-major ``(n_samples, n_terms)``."""
        out = np.empty((fine_codes.shape[0], self.n_terms), dtype=np.uint16, order="F")
        for t, features in enumerate(self.features):
            if len(features) == 1:
                out[:, t] = fine_codes[:, features[0]]
            else:
                first, second = self.code_maps[t]
                out[:, t] = first[fine_codes[:, features[0]]] * self.cols[t] + second[fine_codes[:, features[1]]]
        return out


def main_layout(feature_bins, constraints):
    """Layout of the main effects of every feature."""
    n = len(feature_bins)
    ordered = [b.kind == "numeric" for b in feature_bins]
    return _layout(
        features=[(j,) for j in range(n)],
        kind=[TERM_ORDERED if o else TERM_PER_BIN for o in ordered],
        rows=[b.n_bins for b in feature_bins],
        cols=[1] * n,
        ordered1=[b.n_value_bins for b in feature_bins],
        ordered2=[1] * n,
        cst1=list(constraints),
        cst2=[0] * n,
        code_maps=[(np.arange(b.n_bins, dtype=np.intp),) for b in feature_bins],
        bins=[(b,) for b in feature_bins],
    )


def pair_layout(pairs, coarse, code_maps, constraints):
    """Layout of pair terms; ``coarse[j]`` / ``code_maps[j]`` are feature ``j``'s interaction bins."""
    return _layout(
        features=[tuple(p) for p in pairs],
        kind=[TERM_PAIR] * len(pairs),
        rows=[coarse[a].n_bins for a, _ in pairs],
        cols=[coarse[b].n_bins for _, b in pairs],
        ordered1=[coarse[a].n_value_bins for a, _ in pairs],
        ordered2=[coarse[b].n_value_bins for _, b in pairs],
        cst1=[constraints[a] for a, _ in pairs],
        cst2=[constraints[b] for _, b in pairs],
        code_maps=[(code_maps[a], code_maps[b]) for a, b in pairs],
        bins=[(coarse[a], coarse[b]) for a, b in pairs],
    )


def transpose_pairs(layout, terms):
    """``layout`` with the pair terms ``terms`` (indices) read the other way round, and the cell order.

    Returns ``(transposed, cells)``: every per-cell array ``a`` of ``layout``
    (scores, bands, mass) becomes ``a[cells]`` under ``transposed``, where the
    pair ``(a, b)``'s grid, rows ``a``'s bins, is the pair ``(b, a)``'s, rows
    ``b``'s bins.
    """
    cells = np.arange(layout.total_cells)
    fields = {name: list(getattr(layout, name)) for name in
              ("features", "rows", "cols", "ordered1", "ordered2", "cst1", "cst2", "code_maps", "bins")}
    for t in terms:
        rows, cols, start = int(layout.rows[t]), int(layout.cols[t]), int(layout.offset[t])
        cells[start : start + rows * cols] = start + np.arange(rows * cols).reshape(rows, cols).T.ravel()
        for first, second in (("rows", "cols"), ("ordered1", "ordered2"), ("cst1", "cst2")):
            fields[first][t], fields[second][t] = fields[second][t], fields[first][t]
        for name in ("features", "code_maps", "bins"):
            fields[name][t] = tuple(fields[name][t])[::-1]
    return _layout(kind=layout.kind, **fields), cells


def _layout(*, features, kind, rows, cols, ordered1, ordered2, cst1, cst2, code_maps, bins):
    rows = np.asarray(rows, dtype=np.intp)
    cols = np.asarray(cols, dtype=np.intp)
    offset = np.concatenate([[0], np.cumsum(rows * cols)]).astype(np.intp)
    return TermLayout(
        features=features,
        kind=np.asarray(kind, dtype=np.intp),
        rows=rows,
        cols=cols,
        ordered1=np.asarray(ordered1, dtype=np.intp),
        ordered2=np.asarray(ordered2, dtype=np.intp),
        cst1=np.asarray(cst1, dtype=np.int8),
        cst2=np.asarray(cst2, dtype=np.int8),
        offset=offset,
        code_maps=code_maps,
        bins=bins,
    )
