"""Similarity of one anchor model to others, for one feature family, under resampling (the
cross-prompt resemblance; same-prompt agreement is in :mod:`stylesim.same_prompt`).

Arrays in, arrays out: per-prompt feature matrices (one per model, rows aligned on prompts) go in;
cross-prompt similarities under every bootstrap weight, per-prompt paired cosines and the
within-prompt permutation null of the equality test come out. The statistics live in
:mod:`stylesim.stats`; this module only decides which moments a comparison needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .stats import moments
from .stats.families import weighted_over_families

LARGE_N = 3000  # above this many prompts, no n x n matrices: linearised bootstrap


@dataclass
class AnchorSimilarity:
    """One family's similarities of model 0 (the anchor) to every model, under resampling.

    Row ``r`` of each array is bootstrap resample ``r``; row 0 is the observed data.
    ``cross[j]`` is C(anchor, j) and ``selfs[j]`` is C(j, j); ``ratio[j]`` is the resemblance
    C(0, j) / sqrt(C(0, 0) C(j, j)), 1 for a model identical in distribution to the anchor.
    """

    cross: np.ndarray  # (models, resamples)
    selfs: np.ndarray  # (models, resamples)
    ratio: np.ndarray  # (models, resamples)
    paired: np.ndarray  # (models, prompts): cosine of answers to the same prompt
    equality: tuple[float, np.ndarray] | None = None  # (observed statistic, permutation null)
    # (resamples,): the anchor's resemblance to the tested model on the raw (uncentred) features,
    # C(0, j) / sqrt(C(0, 0) C(j, j)), 1 for a model as alike as each is to itself. With centring,
    # ``ratio`` is a different quantity (centred and shrunk); this one keeps the uncentred scale.
    uncentred: np.ndarray | None = None


def resemblance(cross: np.ndarray, selfs: np.ndarray, *, shrink: bool = False) -> np.ndarray:
    """C(0, j) / sqrt(S_0 S_j), or with shrinkage C(0, j) / sqrt((S_0 + l)(S_j + l)), l = median S.

    Columns are resamples, the first the observed data. With shrinkage, when the anchor's observed
    self-similarity is not positive (its answers no more alike than the background's: nothing
    distinctive to share) or the median is not, no model has a resemblance in this family: the
    ratio would divide by a rounding-sized number (an outside audit saw −8.7 for an embedding
    family with a three-model panel, and a ceiling of −3.2). Another model's non-positive
    self-similarity counts as 0 (the shrinkage keeps its ratio bounded), so every model of one
    ranking is scored on the same families."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if shrink:
            positive = np.clip(selfs, 0.0, None)
            lam = np.median(positive, axis=0)[None, :]
            denominator = np.sqrt((positive[0][None, :] + lam) * (positive + lam))
            defined = bool(selfs[0, 0] > 0 and lam[0, 0] > 0)
            return np.where((denominator > 0) & defined, cross / denominator, np.nan)
        denominator = np.sqrt(selfs[0][None, :] * selfs)
        return np.where((selfs[0][None, :] > 0) & (selfs > 0), cross / denominator, np.nan)


def per_prompt_means(features, rows_per_prompt: Sequence[Sequence[int]]):
    """Average feature rows over the samples of each prompt (sparse stays sparse)."""
    n_rows = features.shape[0]
    if rows_per_prompt and all(len(rows) == 1 for rows in rows_per_prompt):
        first = rows_per_prompt[0][0]
        if all(rows[0] == first + i for i, rows in enumerate(rows_per_prompt)):
            # One sample per prompt, in prompt order: a view of the rows, nothing to average.
            return moments.row_view(features, first, first + len(rows_per_prompt))
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for rows in rows_per_prompt:
        indices.extend(rows)
        data.extend([1.0 / len(rows)] * len(rows))
        indptr.append(len(indices))
    averaging = sp.csr_matrix((data, indices, indptr), shape=(len(rows_per_prompt), n_rows))
    result = averaging @ features
    return sp.csr_matrix(result) if sp.issparse(features) else np.asarray(result)


def anchor_similarity(
    matrices: Sequence,
    weights: np.ndarray,
    *,
    center: moments.FoldCentre | None = None,
    signs: np.ndarray | None = None,
    test_with: int = 1,
    shrink: bool = False,
) -> AnchorSimilarity:
    """Similarities of ``matrices[0]`` to each matrix (itself included) under ``weights``.

    With ``signs``, also the equality test between the anchor and ``matrices[test_with]``: the
    observed scale-free MMD^2 (see moments.sign_flip_statistics) and its within-prompt null, from
    the per-prompt differences. Centring cancels in that statistic.

    With ``shrink``, self-similarities in the denominator get the median self-similarity of all
    the models added (per resample), so a model whose outputs barely differ from the pooled
    background (self-similarity near zero after centring) cannot produce a huge, noisy ratio:
    resemblance needs distinctiveness to share. The anchor's own ratio is then its ceiling,
    S_a / (S_a + lambda), below 1.
    """
    n = matrices[0].shape[0]
    if n > LARGE_N:
        return _anchor_similarity_large(matrices, weights, center, signs, test_with, shrink)
    if matrices[0].shape[1] < n:
        return _anchor_similarity_sums(matrices, weights, center, signs, test_with, shrink)
    dtype = np.float64
    k = len(matrices)
    cross = np.empty((k, weights.shape[0]))
    selfs = np.empty((k, weights.shape[0]))
    paired = np.empty((k, n))
    raw = {}  # the uncentred means of the tested pair (only computed separately with centring)

    tested = (0, test_with)

    def centred_gram(i: int, j: int) -> np.ndarray:
        # A panel model's self-products may use the symmetric BLAS routine; the anchor's and the
        # tested model's may not (an identical B must reproduce the anchor's numbers exactly).
        g = moments.gram(matrices[i], matrices[j], dtype=dtype, symmetric=i == j and i not in tested)
        if center is not None:
            if signs is not None and i in (0, test_with) and j in (0, test_with):
                raw[(i, j)] = moments.weighted_u_means(g, weights)
            center.adjust(g, matrices[i], matrices[j])
        return g

    g_anchor = centred_gram(0, 0)
    selfs[0] = cross[0] = moments.weighted_u_means(g_anchor, weights)
    anchor_diag = np.diag(g_anchor).astype(float)
    paired[0] = 1.0
    equality = None
    for j in range(1, k):
        g_self = centred_gram(j, j)
        selfs[j] = moments.weighted_u_means(g_self, weights)
        other_diag = np.diag(g_self).astype(float)
        g_cross = centred_gram(0, j)
        cross[j] = moments.weighted_u_means(g_cross, weights)
        with np.errstate(invalid="ignore", divide="ignore"):
            paired[j] = np.diag(g_cross) / np.sqrt(np.clip(anchor_diag, 0, None) * np.clip(other_diag, 0, None))
        if signs is not None and j == test_with:
            # H = D D' from the differences themselves, not from G_aa + G_bb - G_ab - G_ab': the
            # statistic is normalised by tr H, so for identical models the rounding noise of
            # that sum (BLAS rounds x x' and x y' differently) would pass for a signal.
            equality = _equality(matrices[0], matrices[j], signs)
        del g_self, g_cross
    ratio = resemblance(cross, selfs, shrink=shrink)
    uncentred = _uncentred(raw[(0, test_with)], raw[(0, 0)], raw[(test_with, test_with)]) if raw else None
    if uncentred is None and center is None and signs is not None:
        uncentred = ratio[test_with]
    return AnchorSimilarity(cross=cross, selfs=selfs, ratio=ratio, paired=paired, equality=equality,
                            uncentred=uncentred)


def same_prompt_cosines(matrices: Sequence, center: moments.FoldCentre | None, groups: np.ndarray) -> np.ndarray:
    """Cosine of ``matrices[0]``'s answer with each model's to the same prompt: (models, prompts).

    For a resemblance computed on unit means (:func:`stylesim.stats.moments.unit_means`), whose
    fold centre is built on those units: prompt p is centred on the background of every fold but
    its unit's, as :func:`anchor_similarity` centres the diagonal of its Gram matrices.
    """
    rows = np.arange(matrices[0].shape[0])
    index = 3 + center.folds[groups] if center is not None else None

    def centred(x, y, px, py):  # noqa: ANN001, ANN202
        dots = moments.row_dots(x, y)
        if center is None:
            return dots
        return dots - px[rows, index] - py[rows, index] + center.squares[index]

    projections = [center.projections(m) if center is not None else None for m in matrices]
    norms = [np.clip(centred(m, m, q, q), 0, None) for m, q in zip(matrices, projections)]
    out = np.empty((len(matrices), rows.size))
    with np.errstate(invalid="ignore", divide="ignore"):
        for j, m in enumerate(matrices):
            out[j] = 1.0 if j == 0 else centred(matrices[0], m, projections[0], projections[j]) / np.sqrt(norms[0] * norms[j])
    return out


def _uncentred(cross: np.ndarray, self_x: np.ndarray, self_y: np.ndarray) -> np.ndarray:
    """C(x, y) / sqrt(C(x, x) C(y, y)) on raw features (no shrinkage)."""
    return resemblance(np.vstack([self_x, cross]), np.vstack([self_x, self_y]))[1]


def _anchor_similarity_sums(matrices, weights, center, signs, test_with, shrink):  # noqa: ANN001, ANN202
    """The same quantities, exactly, for features with fewer columns than prompts: from each model's
    weighted fold sums (:class:`stylesim.stats.moments.WeightedFoldSums`), with no n x n matrix."""
    k = len(matrices)
    cross = np.empty((k, weights.shape[0]))
    selfs = np.empty((k, weights.shape[0]))
    paired = np.empty((k, matrices[0].shape[0]))
    anchor = moments.WeightedFoldSums(matrices[0], weights, center)
    anchor_same = moments.same_prompt_products(anchor, anchor)
    selfs[0] = cross[0] = moments.dense_u_means(anchor, anchor)
    paired[0] = 1.0
    for j in range(1, k):
        other = moments.WeightedFoldSums(matrices[j], weights, center)
        selfs[j] = moments.dense_u_means(other, other)
        cross[j] = moments.dense_u_means(anchor, other)
        with np.errstate(invalid="ignore", divide="ignore"):
            paired[j] = moments.same_prompt_products(anchor, other) / np.sqrt(
                np.clip(anchor_same, 0, None) * np.clip(moments.same_prompt_products(other, other), 0, None))
    equality = uncentred = None
    if signs is not None:
        tested = matrices[test_with]
        equality = _equality(anchor.x, np.asarray(tested.toarray() if sp.issparse(tested) else tested, dtype=float), signs)
        if center is None:
            uncentred = resemblance(cross, selfs, shrink=False)[test_with]
        else:
            x, y = (moments.WeightedFoldSums(matrices[i], weights) for i in (0, test_with))
            uncentred = _uncentred(moments.dense_u_means(x, y), moments.dense_u_means(x, x), moments.dense_u_means(y, y))
    ratio = resemblance(cross, selfs, shrink=shrink)
    return AnchorSimilarity(cross=cross, selfs=selfs, ratio=ratio, paired=paired, equality=equality,
                            uncentred=uncentred)


def _anchor_similarity_large(matrices, weights, center, signs, test_with, shrink):  # noqa: ANN001, ANN202
    """The same quantities for many prompts without n x n matrices (see linearised_u_means).

    The equality test then runs on a fixed random subset of LARGE_N prompts: still an exact
    permutation test, conditional on the subset.
    """
    n = matrices[0].shape[0]
    k = len(matrices)
    overall = center.overall if center is not None else None
    cross = np.empty((k, weights.shape[0]))
    selfs = np.empty((k, weights.shape[0]))
    paired = np.empty((k, n))
    norms = [_centred_row_dots(m, m, overall) for m in matrices]
    for j in range(k):
        selfs[j] = moments.linearised_u_means(matrices[j], matrices[j], weights, center=overall)
        cross[j] = selfs[j] if j == 0 else moments.linearised_u_means(matrices[0], matrices[j], weights, center=overall)
        with np.errstate(invalid="ignore", divide="ignore"):
            paired[j] = _centred_row_dots(matrices[0], matrices[j], overall) / np.sqrt(
                np.clip(norms[0], 0, None) * np.clip(norms[j], 0, None))
    equality = uncentred = None
    if signs is not None:
        subset = np.sort(np.random.default_rng(n).choice(n, size=LARGE_N, replace=False))
        equality = _equality(matrices[0][subset], matrices[test_with][subset], signs[:, subset])
        x, y = matrices[0], matrices[test_with]
        uncentred = _uncentred(*(moments.linearised_u_means(u, v, weights) for u, v in ((x, y), (x, x), (y, y))))
    ratio = resemblance(cross, selfs, shrink=shrink)
    return AnchorSimilarity(cross=cross, selfs=selfs, ratio=ratio, paired=paired, equality=equality,
                            uncentred=uncentred)


def _equality(x, y, signs: np.ndarray) -> tuple[float, np.ndarray]:  # noqa: ANN001
    """Observed statistic and permutation null of the paired equality test (centring cancels)."""
    differences = x - y
    h = moments.gram(differences, differences)
    observed = float(moments.sign_flip_statistics(h, np.ones((1, h.shape[0])))[0])
    return observed, moments.sign_flip_statistics(h, signs)


def _centred_row_dots(x, y, center):  # noqa: ANN001, ANN202
    dots = moments.row_dots(x, y)
    if center is None:
        return dots
    return dots - np.asarray(x @ center).ravel() - np.asarray(y @ center).ravel() + float(center @ center)


def pairwise_similarity(
    matrices: Sequence, weights: np.ndarray, *, center: moments.FoldCentre | None = None
) -> np.ndarray:
    """C(i, j) for every pair of models under every weight row: shape (models, models, resamples)."""
    k = len(matrices)
    n = matrices[0].shape[0]
    out = np.empty((k, k, weights.shape[0]))
    if matrices[0].shape[1] < n <= LARGE_N:  # few columns: weighted fold sums, no n x n matrices
        sums = [moments.WeightedFoldSums(m, weights, center) for m in matrices]
        for i in range(k):
            for j in range(i, k):
                out[i, j] = out[j, i] = moments.dense_u_means(sums[i], sums[j])
        return out
    for i in range(k):
        for j in range(i, k):
            if n > LARGE_N:
                overall = center.overall if center is not None else None
                out[i, j] = out[j, i] = moments.linearised_u_means(matrices[i], matrices[j], weights, center=overall)
                continue
            g = moments.gram(matrices[i], matrices[j], center=center)
            out[i, j] = out[j, i] = moments.weighted_u_means(g, weights)
    return out


def pairwise_similarity_observed(matrices: Sequence, dots: np.ndarray, *,
                                 center: moments.FoldCentre | None = None, column_block: int = 8192) -> np.ndarray:
    """C(i, j) for every pair, observed data only, from k x k products of per-fold feature sums.

    The same U-statistic as :func:`pairwise_similarity` with weights 1 (fold centring included),
    without any n x n matrix: sum over p != q of <x_p - c, y_q - c> splits by the folds of p and q
    into products of fold sums, fold-sum projections on the centres, and the same-prompt products
    ``dots`` (k, k, n) (:func:`stylesim.stats.moments.prompt_grams`). Costs one (3k x 3k) product
    of fold sums per family, so it serves matrices of hundreds of models, where per-pair Gram
    matrices (and so bootstrap intervals of the resemblance) are out of reach.
    """
    k, n = len(matrices), matrices[0].shape[0]
    folds = center.folds if center is not None else np.zeros(n, dtype=np.int64)
    n_folds = 3 if center is not None else 1
    members = [np.flatnonzero(folds == f) for f in range(n_folds)]
    summing = sp.csr_matrix((np.ones(n), (folds, np.arange(n))), shape=(n_folds, n))
    sums = [summing @ m for m in matrices]  # (folds, d) per model
    stacked = sp.vstack([sp.csr_matrix(s) for s in sums], format="csr") if sp.issparse(sums[0]) else np.vstack(sums)
    # (k * folds) x (k * folds) products, accumulated over column blocks (dense blocks of fold sums).
    width = stacked.shape[1]
    products = np.zeros((stacked.shape[0], stacked.shape[0]))
    for start in range(0, width, column_block):
        part = stacked[:, start : start + column_block]
        part = part.toarray().astype(np.float64) if sp.issparse(part) else np.asarray(part, dtype=np.float64)
        products += part @ part.T
    fold_dots = products.reshape(k, n_folds, k, n_folds)  # [i, f, j, g] = X_if . X_jg
    same = np.stack([dots[:, :, rows].sum(axis=-1) for rows in members], axis=-1)  # (k, k, folds)
    size = np.array([rows.size for rows in members], dtype=float)
    # [i, f, c] = X_if . centre_c: the fold sums' projections on the six fold centres.
    projections = (np.stack([np.asarray(s @ center.centres.T, dtype=float) for s in sums])
                   if center is not None else None)
    total = np.zeros((k, k))
    for f in range(n_folds):
        for g in range(n_folds):
            block = fold_dots[:, f, :, g].copy()
            if f == g:
                block -= same[:, :, f]
            if center is not None:
                index = 3 + f if f == g else 3 - f - g
                diagonal = 1.0 if f == g else 0.0
                block -= projections[:, f, index][:, None] * (size[g] - diagonal)
                block -= projections[:, g, index][None, :] * (size[f] - diagonal)
                block += center.squares[index] * (size[f] * size[g] - diagonal * size[f])
            total += block
    return total / (n * (n - 1))


def pairwise_resemblance(cross: np.ndarray, *, shrink: bool = True) -> np.ndarray:
    """R(i, j) from all-pairs C (models, models, resamples), shrunk as in :func:`resemblance`."""
    observed = np.einsum("iir->ir", cross)
    selfs = np.clip(observed, 0.0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        lam = np.median(selfs, axis=0)[None, :] if shrink else np.zeros((1, selfs.shape[1]))
        scale = np.sqrt(selfs + lam)
        denominator = scale[:, None, :] * scale[None, :, :]
        # As in resemblance(): with shrinkage, none when the median self-similarity is not positive,
        # and no ceiling (the diagonal) for a model whose own is not.
        defined = np.full(cross.shape[:2], bool(lam[0, 0] > 0) if shrink else True)
        defined[np.diag_indices(len(defined))] &= observed[:, 0] > 0
        return np.where((denominator > 0) & defined[:, :, None], cross / denominator, np.nan)


def profile_similarity(matrices: Sequence, anchor: int = 0) -> dict[str, np.ndarray]:
    """Cosine and min-max (Ruzicka) similarity of each model's whole-corpus profile with the anchor's.

    A profile is the mean of a model's per-prompt feature vectors (non-negative features such as
    tf-idf n-grams). Returns ``{"cosine": (models,), "ruzicka": (models,)}``; the anchor scores 1.
    """
    from .features.lexical import ruzicka_similarity

    profiles = [np.asarray(m.mean(axis=0), dtype=float).ravel() for m in matrices]
    base = profiles[anchor]
    cosine = np.empty(len(profiles))
    ruzicka = np.empty(len(profiles))
    for j, profile in enumerate(profiles):
        scale = np.sqrt((base @ base) * (profile @ profile))
        cosine[j] = base @ profile / scale if scale > 0 else np.nan
        ruzicka[j] = ruzicka_similarity(base, profile)
    return {"cosine": cosine, "ruzicka": ruzicka}


def mean_over_families(arrays: Iterable[np.ndarray], *, resampled: bool = False) -> np.ndarray:
    """The mean over families of same-shaped arrays, NaN where every family is NaN (no warning).

    ``resampled``: the last axis is (observed, resamples...); the families finite in the observed
    value are averaged in every resample of it, and a resample where one of them is undefined is
    undefined (as :func:`stylesim.stats.families.weighted_over_families` does)."""
    import warnings

    arrays = list(arrays)
    if resampled:  # one family at a time: a large matrix's arrays are never stacked
        return weighted_over_families(arrays, np.ones(len(arrays)), resampled=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells (e.g. a diagonal) stay NaN
        return np.nanmean(np.stack(arrays), axis=0)
