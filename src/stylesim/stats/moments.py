"""Cross-prompt similarity moments (U-statistics) under prompt weights.

For two models with per-prompt feature vectors ``x_p`` and ``y_p`` (p = 1..n prompts), the
cross-prompt similarity is the mean inner product over *different* prompts,
``C_xy = mean_{p != q} <x_p, y_q>``. Pairs of answers to the same prompt are left out, so a
topic that every model must write about for that prompt does not count as resemblance, and
self-similarity ``C_xx`` (a model against its own answers to other prompts) is measured the same
way as cross-similarity: the split-half ceiling, averaged over every split.

A cluster bootstrap over prompts draws prompt counts ``w`` (multinomial); pairs of copies of the
same prompt stay excluded, giving ``C_xy(w) = (w'Gw - sum_p w_p^2 G_pp) / ((sum w)^2 - sum w^2)``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .resampling import n_units

GRAM_BLOCK = 2048
ROW_BLOCK = 2048  # rows per block for row-wise products of large sparse matrices
# Sparse products: columns present in a large share of both matrices' rows cost most in a sparse
# product and are multiplied as dense blocks instead (BLAS), up to this many bytes per matrix.
DENSE_SHARE = 0.005
DENSE_BYTES = 32 * 2**20


class FoldCentre:
    """A background to centre on that never contains the prompts being compared.

    Centring on a mean estimated from the same answers biases centred inner products downwards by
    about (noise variance)/(models x prompts), which for sparse n-gram features is as large as the
    signal. Prompts are split into three folds; the pair of prompts (p, q) is centred on the mean
    of a fold holding neither (the third fold when p and q differ, the other two when they share a
    fold), so each centred product is unbiased for <mu_x - mu, mu_y - mu>.

    Parameters
    ----------
    matrices
        Per-prompt feature matrices of every model (the pooled background, label-blind).
    rng
        Decides the random fold assignment.
    """

    def __init__(self, matrices, rng: np.random.Generator) -> None:
        n = matrices[0].shape[0]
        self.folds = np.empty(n, dtype=np.int64)
        self.folds[rng.permutation(n)] = np.arange(n) % 3
        # z_r: the model-averaged feature vector of prompt r (independent across prompts).
        z = matrices[0].astype(np.float64) * (1.0 / len(matrices))  # float64: order-free sums
        for m in matrices[1:]:
            z = z + m * (1.0 / len(matrices))
        row_squares = np.asarray(z.multiply(z).sum(axis=1)).ravel() if hasattr(z, "multiply") else np.einsum("rd,rd->r", z, z)
        centres, squares = [], []
        for members in [self.folds == f for f in range(3)] + [self.folds != f for f in range(3)]:
            rows = np.flatnonzero(members)
            total = np.asarray(z[rows].sum(axis=0)).ravel()
            s = rows.size
            centres.append(total / s)
            # |c|^2 would add the variance of the fold mean; this U-statistic over pairs of
            # different prompts is unbiased for |mu|^2.
            squares.append((total @ total - row_squares[rows].sum()) / (s * (s - 1)) if s > 1 else np.nan)
        self.centres = np.vstack(centres)  # 0-2: one fold, 3-5: all but one fold
        self.squares = np.array(squares)
        self._index: np.ndarray | None = None
        # Each model's projections, by object: a matrix compares every model with every other, and
        # recomputing x c' for each pair cost about 10% of it (the object is kept with its value,
        # so a reused id can never return another matrix's projections).
        self._projections: dict[int, tuple[object, np.ndarray]] = {}
        # For very many prompts the held-out bias (order 1/(models x prompts)) is negligible and a
        # single pooled centre is used (see linearised_u_means).
        self.overall = self.centres[:3].mean(axis=0)

    @property
    def index(self) -> np.ndarray:
        """Which centre each pair of prompts uses (n x n, built on first use)."""
        if self._index is None:
            f = self.folds.astype(np.int8)
            same = f[:, None] == f[None, :]
            self._index = np.where(same, 3 + f[:, None], 3 - f[:, None] - f[None, :]).astype(np.int8)
        return self._index

    def projections(self, x, *, cache: bool = False) -> np.ndarray:
        """``x_p . c_k`` for every row and centre (n x 6); with ``cache``, computed once per matrix
        object (only for the models' own matrices, which live as long as the centre: a converted
        copy would be kept alive and never asked for again)."""
        hit = self._projections.get(id(x)) if cache else None
        if hit is not None and hit[0] is x:
            return hit[1]
        value = np.asarray(x @ self.centres.T)
        if cache:
            self._projections[id(x)] = (x, value)
        return value

    def adjust(self, g: np.ndarray, x, y) -> None:
        """Turn ``g = x y'`` into the centred products in place."""
        rows = np.arange(g.shape[0])[:, None]
        cols = np.arange(g.shape[1])[None, :]
        g -= self.projections(x, cache=True)[rows, self.index].astype(g.dtype)
        g -= self.projections(y, cache=True)[cols, self.index].astype(g.dtype)
        g += self.squares[self.index].astype(g.dtype)


def row_view(features, start: int, stop: int):  # noqa: ANN001, ANN201
    """Rows start..stop of a CSR matrix sharing its arrays (scipy's slicing copies)."""
    if not sp.issparse(features):
        return np.asarray(features)[start:stop]
    features = features.tocsr()
    begin, end = features.indptr[start], features.indptr[stop]
    view = sp.csr_matrix((stop - start, features.shape[1]), dtype=features.dtype)
    # Assigned directly: the constructor copies even with copy=False.
    view.data = features.data[begin:end]
    view.indices = features.indices[begin:end]
    view.indptr = (features.indptr[start : stop + 1] - begin).astype(features.indices.dtype)
    return view


def unit_means(x, groups: np.ndarray | None):  # noqa: ANN001, ANN201
    """Rows (n prompts) averaged over each resampling unit (G units numbered 0..G-1), sparse
    staying sparse; ``x`` itself without groups.

    The cross-prompt moments take pairs of *different* units: variants of one prompt share its
    topic, so a pair of them is not a pair of different prompts. Averaging a unit's rows and
    taking pairs of different rows gives exactly that, each unit counting once.
    """
    if groups is None:
        return x
    size = n_units(groups.size, groups)
    counts = np.bincount(groups, minlength=size).astype(float)
    averaging = sp.csr_matrix((1.0 / counts[groups], (groups, np.arange(groups.size))), shape=(size, groups.size))
    out = averaging @ x
    return as_csr(out) if sp.issparse(out) else np.asarray(out)


def as_csr(x):  # noqa: ANN001, ANN201
    """``x`` as CSR, the same object when it already is one (``sp.csr_matrix(x)`` can copy a row
    view's arrays, which for every model's rows adds up to a second copy of the features)."""
    return x if sp.issparse(x) and x.format == "csr" else sp.csr_matrix(x)


def _sparse_gram(x: sp.csr_matrix, y: sp.csr_matrix, out: np.ndarray, symmetric: bool = False) -> None:
    """``out = x y'`` for sparse matrices: a dense BLAS product over the columns that most rows
    share (where a sparse product spends its time) plus a sparse product over the rest. With
    ``symmetric`` (and ``y is x``) the dense part may use the symmetric BLAS routine (half the work)."""
    n_x, n_y = x.shape[0], y.shape[0]
    count_x = np.bincount(x.indices, minlength=x.shape[1]).astype(np.int64)
    count_y = np.bincount(y.indices, minlength=y.shape[1]).astype(np.int64)
    cost = count_x * count_y
    heavy = np.flatnonzero(cost >= DENSE_SHARE * n_x * n_y)
    limit = DENSE_BYTES // (max(n_x, n_y) * x.dtype.itemsize)
    if heavy.size > limit:
        heavy = np.sort(heavy[np.argpartition(-cost[heavy], limit)[:limit]]) if limit else heavy[:0]
    light = np.setdiff1d(np.arange(x.shape[1]), heavy, assume_unique=True)
    dense_x, rest_x = x[:, heavy].toarray(), x[:, light]
    if y is x:
        # Unless ``symmetric``, a copy, not the same buffer: numpy would use a symmetric BLAS
        # routine for x x', whose rounding differs from the general product that x y' gets, and
        # a model compared with an identical copy must score exactly as with itself.
        dense_y, rest_y_t = (dense_x if symmetric else dense_x.copy()), rest_x.T.tocsr()
    else:
        dense_y, rest_y_t = y[:, heavy].toarray(), y[:, light].T.tocsr()
    # Row blocks of the product sized so that one sparse block stays small in memory.
    step = max(64, min(GRAM_BLOCK, 2**20 // max(n_y, 1)))
    for start in range(0, n_x, step):
        stop = start + step
        block = (rest_x[start:stop] @ rest_y_t).toarray()
        block += dense_x[start:stop] @ dense_y.T
        out[start:stop] = block


def gram(x, y, *, center: np.ndarray | FoldCentre | None = None, dtype: type = np.float64,
         symmetric: bool = False) -> np.ndarray:
    """Inner products ``x_p . y_q`` (n x n), optionally centred.

    ``symmetric`` allows the symmetric BLAS routine for ``x x'`` (sparse ``x``, ``y is x``):
    faster, but rounded differently from ``x y'`` with ``y`` an identical copy of ``x``.

    Works on dense arrays and scipy sparse matrices without densifying the features; centring is
    applied algebraically: (x - c)(y - c)' = xy' - (xc)1' - 1(yc)' + c.c, with a
    :class:`FoldCentre` choosing ``c`` per pair of prompts.
    """
    n_x, n_y = x.shape[0], y.shape[0]
    out = np.empty((n_x, n_y), dtype=dtype)
    if sp.issparse(x) and sp.issparse(y):
        x_csr = as_csr(x)
        _sparse_gram(x_csr, x_csr if y is x else as_csr(y), out, symmetric)
    else:
        y_t = y.T.tocsr() if sp.issparse(y) else y.T
        for start in range(0, n_x, GRAM_BLOCK):
            block = x[start : start + GRAM_BLOCK] @ y_t
            out[start : start + GRAM_BLOCK] = block.toarray() if sp.issparse(block) else block
    if isinstance(center, FoldCentre):
        center.adjust(out, x, y)
    elif center is not None:
        center = np.asarray(center, dtype=float).ravel()
        x_c = np.asarray(x @ center).ravel()
        y_c = np.asarray(y @ center).ravel()
        out -= x_c[:, None].astype(dtype)
        out -= y_c[None, :].astype(dtype)
        out += dtype(center @ center)
    return out


def weighted_u_means(g: np.ndarray, weights: np.ndarray, *, block: int = 256) -> np.ndarray:
    """``C(w)`` for every row of ``weights`` (shape B x n); see the module docstring."""
    weights = np.atleast_2d(weights)
    diag = np.diag(g).astype(float)
    out = np.empty(weights.shape[0])
    g_cast = g if g.dtype == np.float64 else g
    for start in range(0, weights.shape[0], block):
        w = weights[start : start + block].astype(g_cast.dtype)
        quadratic = np.einsum("bn,bn->b", w @ g_cast, w, dtype=float)
        w64 = weights[start : start + block].astype(float)
        numerator = quadratic - (w64**2) @ diag
        denominator = w64.sum(axis=1) ** 2 - (w64**2).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start : start + block] = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)
    return out


def sign_flip_statistics(h: np.ndarray, signs: np.ndarray, *, block: int = 256) -> np.ndarray:
    """``(s'Hs - tr H) / ((n-1) tr H)`` for every row ``s`` of ``signs`` (B x n, entries +-1).

    With ``H = D D'`` for the per-prompt differences ``d_p = x_p - y_p`` this is the unbiased
    MMD^2 (linear kernel) between the two models after swapping their answers on the prompts where
    ``s = -1`` (the within-prompt label permutation of a paired two-sample test), divided by the
    mean squared difference so that it does not depend on the scale of the features. Prompts whose
    answers coincide give exact zeros in ``H``, so ties stay exact. All zeros when ``tr H = 0``.
    """
    signs = np.atleast_2d(signs)
    n = h.shape[0]
    trace = float(np.trace(h))
    out = np.zeros(signs.shape[0])
    if trace <= 0:
        return out
    for start in range(0, signs.shape[0], block):
        s = signs[start : start + block].astype(h.dtype)
        out[start : start + block] = (np.einsum("bn,bn->b", s @ h, s, dtype=float) - trace) / ((n - 1) * trace)
    return out


def paired_cosines(g_xy: np.ndarray, g_xx: np.ndarray, g_yy: np.ndarray) -> np.ndarray:
    """Cosine between the two models' answers to the same prompt, one value per prompt."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diag(g_xy) / np.sqrt(np.clip(np.diag(g_xx), 0, None) * np.clip(np.diag(g_yy), 0, None))


def row_dots(x, y) -> np.ndarray:  # noqa: ANN001
    """``x_p . y_p`` for every row p (sparse or dense), accumulated in float64."""
    if hasattr(y, "multiply") and not hasattr(x, "multiply"):
        x, y = y, x
    if x is y and sp.issparse(x):
        # Squared norms: the squares of each row's stored values, in row blocks (O(block) extra
        # memory; a block with repeated entries has them summed first).
        x = as_csr(x)
        out = np.empty(x.shape[0])
        for start in range(0, x.shape[0], ROW_BLOCK):
            stop = min(start + ROW_BLOCK, x.shape[0])
            block = row_view(x, start, stop)
            if not block.has_canonical_format:
                block = block.copy()  # the block shares the caller's arrays
                block.sum_duplicates()
            owner = np.repeat(np.arange(stop - start), np.diff(block.indptr))
            out[start:stop] = np.bincount(owner, weights=np.square(block.data, dtype=np.float64), minlength=stop - start)
        return out
    if hasattr(x, "multiply"):
        # In row blocks: the elementwise product of two large sparse matrices is as big as they are.
        return np.concatenate([
            np.asarray(x[start : start + ROW_BLOCK].multiply(y[start : start + ROW_BLOCK]).sum(axis=1, dtype=np.float64)).ravel()
            for start in range(0, x.shape[0], ROW_BLOCK)
        ]) if x.shape[0] else np.zeros(0)
    return np.einsum("pd,pd->p", np.asarray(x), np.asarray(y), dtype=np.float64)


def linearised_u_means(x, y, weights: np.ndarray, *, center: np.ndarray | None = None) -> np.ndarray:  # noqa: ANN001
    """``C(w)`` to first order (the Hajek projection of the U-statistic), in O(nnz) memory.

    For many prompts the exact quadratic form needs n x n Gram matrices. The U-statistic
    C = mean_{p != q} <x_p, y_q> is instead computed exactly from feature sums, and each bootstrap
    replicate as ``C + (2/n) sum_p (w_p - 1) psi_p`` with ``psi_p`` prompt p's influence
    (its mean symmetric kernel against all other prompts, minus C). The error is of order 1/n.
    ``center`` (a vector) is subtracted from every row algebraically.
    """
    n = x.shape[0]
    sum_x = np.asarray(x.sum(axis=0)).ravel()
    sum_y = np.asarray(y.sum(axis=0)).ravel()
    diag = row_dots(x, y)
    x_sy = np.asarray(x @ sum_y).ravel()
    y_sx = np.asarray(y @ sum_x).ravel()
    if center is not None:
        c = np.asarray(center, dtype=float).ravel()
        x_c = np.asarray(x @ c).ravel()
        y_c = np.asarray(y @ c).ravel()
        cc = float(c @ c)
        sx_c, sy_c = float(sum_x @ c), float(sum_y @ c)
        # (x_p - c).(y_p - c), (x_p - c).(S_y - n c), (y_p - c).(S_x - n c)
        diag = diag - x_c - y_c + cc
        x_sy = x_sy - n * x_c - sy_c + n * cc
        y_sx = y_sx - n * y_c - sx_c + n * cc
        total = float(sum_x @ sum_y) - n * sx_c - n * sy_c + n * n * cc
    else:
        total = float(sum_x @ sum_y)
    statistic = (total - diag.sum()) / (n * (n - 1))
    h1 = (x_sy + y_sx - 2.0 * diag) / (2.0 * (n - 1))
    influence = h1 - statistic
    weights = np.atleast_2d(weights)
    # sum_p (w_p - 1) psi_p, without a (resamples x prompts) temporary for w - 1.
    return statistic + (2.0 / n) * (weights @ influence - influence.sum())


def prompt_grams(matrices, *, block: int = 64) -> np.ndarray:  # noqa: ANN001
    """``out[i, j, p] = x_ip . x_jp`` for every pair of models and every prompt: shape (k, k, n).

    One k x k product per prompt instead of one row-wise product per pair of models, so all pairs
    cost about as much as a few. Sparse rows of one prompt are gathered into a dense block over the
    columns any of them uses (answers to one prompt share most of their n-grams, where a dense BLAS
    product is faster than a sparse one); products accumulate in float64.
    """
    k, n = len(matrices), matrices[0].shape[0]
    out = np.empty((n, k, k))
    if not any(sp.issparse(m) for m in matrices):
        for start in range(0, n, block):
            stack = np.stack([np.asarray(m[start : start + block], dtype=np.float64) for m in matrices], axis=1)
            out[start : start + block] = stack @ stack.transpose(0, 2, 1)
        return np.ascontiguousarray(out.transpose(1, 2, 0))
    rows = [as_csr(m) for m in matrices]
    for p in range(n):
        spans = [(m.indptr[p], m.indptr[p + 1]) for m in rows]
        columns = np.concatenate([m.indices[a:b] for m, (a, b) in zip(rows, spans)])
        values = np.concatenate([m.data[a:b] for m, (a, b) in zip(rows, spans)]).astype(np.float64)
        owner = np.repeat(np.arange(k), [b - a for a, b in spans])
        used, position = np.unique(columns, return_inverse=True)
        # bincount adds up any repeated (row, column) entry, as a sparse product would.
        dense = np.bincount(owner * used.size + position.ravel(), weights=values,
                            minlength=k * used.size).reshape(k, used.size)
        out[p] = dense @ dense.T
    return np.ascontiguousarray(out.transpose(1, 2, 0))


class WeightedFoldSums:
    """One model's weighted per-fold feature sums under every weight row, for dense features.

    ``C(x, y)(w)`` of :func:`weighted_u_means` (fold centring included) is a function of these
    sums alone: sum over p != q of w_p w_q (x_p - c)(y_q - c) splits by the folds of p and q into
    products of fold sums, their projections on the fold centres and the same-prompt terms. With
    d features this costs O(resamples x n x d) per model, and O(resamples x d) per pair, instead of
    an n x n Gram matrix and an O(resamples x n^2) quadratic form per pair: exact, and faster
    whenever d is below n (function words, phrasing, embeddings).
    """

    def __init__(self, x, weights: np.ndarray, center: FoldCentre | None = None) -> None:  # noqa: ANN001
        x = np.asarray(x.toarray() if sp.issparse(x) else x, dtype=np.float64)
        weights = np.atleast_2d(np.asarray(weights, dtype=np.float64))
        n = x.shape[0]
        self.x, self.weights, self.center = x, weights, center
        self.folds = center.folds if center is not None else np.zeros(n, dtype=np.int64)
        self.n_folds = int(self.folds.max()) + 1 if n else 1
        members = [np.flatnonzero(self.folds == f) for f in range(self.n_folds)]
        self.sums = np.stack([weights[:, rows] @ x[rows] for rows in members])  # (folds, B, d)
        self.totals = np.stack([weights[:, rows].sum(axis=1) for rows in members])  # (folds, B)
        self.proj = center.projections(x) if center is not None else None  # (n, 6)
        self.proj_sums = (np.stack([weights[:, rows] @ self.proj[rows] for rows in members])
                          if center is not None else None)  # (folds, B, 6)


def same_prompt_products(a: WeightedFoldSums, b: WeightedFoldSums) -> np.ndarray:
    """The diagonal of the (fold-centred) Gram matrix: (x_p - c)(y_p - c) for every prompt p."""
    same = np.einsum("pd,pd->p", a.x, b.x)
    if a.center is not None:
        index = 3 + a.folds
        rows = np.arange(a.x.shape[0])
        same = same - a.proj[rows, index] - b.proj[rows, index] + a.center.squares[index]
    return same


def dense_u_means(a: WeightedFoldSums, b: WeightedFoldSums) -> np.ndarray:
    """``C(a, b)(w)`` for every weight row, exactly (see :class:`WeightedFoldSums`)."""
    w = a.weights
    center = a.center
    total = np.zeros(w.shape[0])
    for f in range(a.n_folds):
        for g in range(a.n_folds):
            total += np.einsum("bd,bd->b", a.sums[f], b.sums[g])
            if center is not None:
                index = 3 + f if f == g else 3 - f - g
                total -= a.proj_sums[f][:, index] * b.totals[g] + a.totals[f] * b.proj_sums[g][:, index]
                total += center.squares[index] * a.totals[f] * b.totals[g]
    # Pairs of copies of one prompt (p = q) are left out, as in weighted_u_means.
    total -= (w * w) @ same_prompt_products(a, b)
    denominator = w.sum(axis=1) ** 2 - (w * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, total / np.where(denominator > 0, denominator, 1.0), np.nan)
