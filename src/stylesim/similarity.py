"""Similarity of one anchor model to others, for one feature family, under resampling.

Arrays in, arrays out: per-prompt feature matrices (one per model, rows aligned on prompts) go in;
cross-prompt similarities under every bootstrap weight, per-prompt paired cosines and the
within-prompt permutation null of the equality test come out. The statistics live in
:mod:`stylesim.stats`; this module only decides which moments a comparison needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .stats import moments

LARGE_N = 4000  # above this, Gram matrices are kept in float32 to bound memory


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
    equality: tuple[float, np.ndarray] | None = None  # (observed MMD^2, permutation null)


def resemblance(cross: np.ndarray, selfs: np.ndarray, *, shrink: bool = False) -> np.ndarray:
    """C(0, j) / sqrt(S_0 S_j), or with shrinkage C(0, j) / sqrt((S_0 + l)(S_j + l)), l = median S."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if shrink:
            positive = np.clip(selfs, 0.0, None)
            lam = np.median(positive, axis=0)[None, :]
            denominator = np.sqrt((positive[0][None, :] + lam) * (positive + lam))
            return np.where(denominator > 0, cross / denominator, np.nan)
        denominator = np.sqrt(selfs[0][None, :] * selfs)
        return np.where((selfs[0][None, :] > 0) & (selfs > 0), cross / denominator, np.nan)


def per_prompt_means(features, rows_per_prompt: Sequence[Sequence[int]]):
    """Average feature rows over the samples of each prompt (sparse stays sparse)."""
    n_rows = features.shape[0]
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
    observed MMD^2 (linear kernel) and its within-prompt permutation null, from the same Gram
    matrices. Centring cancels in that statistic.

    With ``shrink``, self-similarities in the denominator get the median self-similarity of all
    the models added (per resample), so a model whose outputs barely differ from the pooled
    background (self-similarity near zero after centring) cannot produce a huge, noisy ratio:
    resemblance needs distinctiveness to share. The anchor's own ratio is then its ceiling,
    S_a / (S_a + lambda), below 1.
    """
    n = matrices[0].shape[0]
    dtype = np.float32 if n > LARGE_N else np.float64
    k = len(matrices)
    cross = np.empty((k, weights.shape[0]))
    selfs = np.empty((k, weights.shape[0]))
    paired = np.empty((k, n))
    g_anchor = moments.gram(matrices[0], matrices[0], center=center, dtype=dtype)
    selfs[0] = cross[0] = moments.weighted_u_means(g_anchor, weights)
    anchor_diag = np.diag(g_anchor).astype(float)
    paired[0] = 1.0
    equality = None
    for j in range(1, k):
        g_self = moments.gram(matrices[j], matrices[j], center=center, dtype=dtype)
        selfs[j] = moments.weighted_u_means(g_self, weights)
        other_diag = np.diag(g_self).astype(float)
        g_cross = moments.gram(matrices[0], matrices[j], center=center, dtype=dtype)
        cross[j] = moments.weighted_u_means(g_cross, weights)
        with np.errstate(invalid="ignore", divide="ignore"):
            paired[j] = np.diag(g_cross) / np.sqrt(np.clip(anchor_diag, 0, None) * np.clip(other_diag, 0, None))
        if signs is not None and j == test_with:
            h = g_self
            h += g_anchor
            h -= g_cross
            h -= g_cross.T
            observed = float(moments.sign_flip_statistics(h, np.ones((1, n)))[0])
            equality = (observed, moments.sign_flip_statistics(h, signs))
        del g_self, g_cross
    ratio = resemblance(cross, selfs, shrink=shrink)
    return AnchorSimilarity(cross=cross, selfs=selfs, ratio=ratio, paired=paired, equality=equality)


def pairwise_similarity(
    matrices: Sequence, weights: np.ndarray, *, center: moments.FoldCentre | None = None
) -> np.ndarray:
    """C(i, j) for every pair of models under every weight row: shape (models, models, resamples)."""
    k = len(matrices)
    n = matrices[0].shape[0]
    dtype = np.float32 if n > LARGE_N else np.float64
    out = np.empty((k, k, weights.shape[0]))
    for i in range(k):
        for j in range(i, k):
            g = moments.gram(matrices[i], matrices[j], center=center, dtype=dtype)
            out[i, j] = out[j, i] = moments.weighted_u_means(g, weights)
    return out


def pairwise_resemblance(cross: np.ndarray, *, shrink: bool = True) -> np.ndarray:
    """R(i, j) from all-pairs C (models, models, resamples), shrunk as in :func:`resemblance`."""
    selfs = np.clip(np.einsum("iir->ir", cross), 0.0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        lam = np.median(selfs, axis=0)[None, :] if shrink else 0.0
        scale = np.sqrt(selfs + lam)
        denominator = scale[:, None, :] * scale[None, :, :]
        return np.where(denominator > 0, cross / denominator, np.nan)
