"""Similarity of one anchor model to others, for one feature family, under resampling.

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

from .stats import agreement as agreement_stats
from .stats import moments

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


def _row_view(features, start: int, stop: int):  # noqa: ANN001, ANN202
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


def per_prompt_means(features, rows_per_prompt: Sequence[Sequence[int]]):
    """Average feature rows over the samples of each prompt (sparse stays sparse)."""
    n_rows = features.shape[0]
    if rows_per_prompt and all(len(rows) == 1 for rows in rows_per_prompt):
        first = rows_per_prompt[0][0]
        if all(rows[0] == first + i for i, rows in enumerate(rows_per_prompt)):
            # One sample per prompt, in prompt order: a view of the rows, nothing to average.
            return _row_view(features, first, first + len(rows_per_prompt))
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
    dtype = np.float64
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
            # H = D D' from the differences themselves, not from G_aa + G_bb - G_ab - G_ab': the
            # statistic is normalised by tr H, so for identical models the rounding noise of
            # that sum (BLAS rounds x x' and x y' differently) would pass for a signal.
            equality = _equality(matrices[0], matrices[j], signs)
        del g_self, g_cross
    ratio = resemblance(cross, selfs, shrink=shrink)
    return AnchorSimilarity(cross=cross, selfs=selfs, ratio=ratio, paired=paired, equality=equality)


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
    equality = None
    if signs is not None:
        subset = np.sort(np.random.default_rng(n).choice(n, size=LARGE_N, replace=False))
        equality = _equality(matrices[0][subset], matrices[test_with][subset], signs[:, subset])
    ratio = resemblance(cross, selfs, shrink=shrink)
    return AnchorSimilarity(cross=cross, selfs=selfs, ratio=ratio, paired=paired, equality=equality)


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
    for i in range(k):
        for j in range(i, k):
            if n > LARGE_N:
                overall = center.overall if center is not None else None
                out[i, j] = out[j, i] = moments.linearised_u_means(matrices[i], matrices[j], weights, center=overall)
                continue
            g = moments.gram(matrices[i], matrices[j], center=center)
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


@dataclass
class SampleNorms:
    """Per model and prompt: mean squared norm of a single sample's features, and sample counts."""

    sample_sq: np.ndarray  # (models, prompts)
    counts: np.ndarray  # (models, prompts)


def sample_norms(features, rows: Sequence[Sequence[Sequence[int]]]) -> SampleNorms:
    """:class:`SampleNorms` from the unaveraged feature rows (``rows[model][prompt]`` -> row indices)."""
    squares = moments.row_dots(features, features)
    sample_sq = np.array([[squares[r].mean() if len(r) else np.nan for r in model_rows] for model_rows in rows])
    counts = np.array([[len(r) for r in model_rows] for model_rows in rows])
    return SampleNorms(sample_sq, counts)


@dataclass
class Agreement:
    """Same-prompt agreement of the anchor with every model (see :mod:`stylesim.stats.agreement`).

    Row ``r`` of ``ratio`` is bootstrap resample ``r`` (row 0 the observed data); the anchor's own
    row (and any partialled covariate's) is NaN. ``ceiling`` is the anchor's agreement with a
    second sample of itself, None with fewer than two samples per prompt. ``paired[j, p]`` is
    prompt p's agreement on its own; ``numerator[j, p]`` the per-prompt numerator N_p and
    ``scale[j]`` the observed denominator, so ``numerator / scale`` are the prompts' contributions.
    With covariates partialled out, ``unpartialled`` holds the observed agreement before it.
    """

    ratio: np.ndarray  # (models, resamples)
    ceiling: np.ndarray | None  # (resamples,)
    paired: np.ndarray  # (models, prompts)
    numerator: np.ndarray  # (models, prompts)
    scale: np.ndarray  # (models,)
    unpartialled: np.ndarray | None = None  # (models,)
    ceilings: np.ndarray | None = None  # (models, resamples): every model's ceiling, NaN without samples

    @property
    def t(self) -> np.ndarray:
        """Studentised agreement per model (the family's ranking statistic)."""
        return agreement_stats.studentised(self.numerator)


def prompt_products(matrices: Sequence, norms: SampleNorms) -> agreement_stats.PromptProducts:
    """The per-prompt inner products agreement needs, from per-prompt mean matrices (O(models) row dots)."""
    total = matrices[0]
    for m in matrices[1:]:
        total = total + m
    return agreement_stats.PromptProducts(
        diag=np.vstack([moments.row_dots(m, m) for m in matrices]),
        z=np.vstack([moments.row_dots(m, total) for m in matrices]),
        zz=moments.row_dots(total, total),
        sample_sq=norms.sample_sq,
        counts=norms.counts,
    )


def _dots_with(matrices: Sequence, products: agreement_stats.PromptProducts, i: int) -> np.ndarray:
    return np.vstack([products.diag[i] if j == i else moments.row_dots(matrices[i], matrices[j])
                      for j in range(len(matrices))])


def _scale(r_i: np.ndarray, r_j: np.ndarray) -> float:
    norm_i, norm_j = float(np.sum(r_i)), float(np.sum(r_j))
    return float(np.sqrt(norm_i * norm_j)) if norm_i > 0 and norm_j > 0 else float("nan")


def anchor_agreement(
    matrices: Sequence,
    norms: SampleNorms,
    weights: np.ndarray,
    *,
    anchor: int = 0,
    partial: Sequence[int] = (),
    folds: np.ndarray | None = None,
) -> Agreement | None:
    """Same-prompt agreement of ``matrices[anchor]`` with each model; None with fewer than four models.

    ``partial`` names covariate models (a base model, sibling students) partialled out of the
    anchor's per-prompt residuals, cross-fitted over ``folds`` (see
    :func:`stylesim.stats.agreement.partial_out`).
    """
    if len(matrices) < agreement_stats.MIN_MODELS:
        return None
    k, n = len(matrices), matrices[0].shape[0]
    weights = np.atleast_2d(weights)
    products = prompt_products(matrices, norms)
    dots = _dots_with(matrices, products, anchor)
    covariates = [b for b in partial if b != anchor]
    if covariates:
        folds = folds if folds is not None else agreement_stats.prompt_folds(n, 5, np.random.default_rng(0))
        covariate_dots = {b: _dots_with(matrices, products, b) for b in covariates}
        to_anchor = [agreement_stats.pair_terms(products, anchor, b, dots[b]) for b in covariates]
        target_cross = np.vstack([terms[0] for terms in to_anchor])
        gram = np.empty((len(covariates), len(covariates), n))
        for x, b in enumerate(covariates):
            gram[x, x] = to_anchor[x][2]
            for y in range(x + 1, len(covariates)):
                gram[x, y] = gram[y, x] = agreement_stats.pair_terms(
                    products, b, covariates[y], covariate_dots[b][covariates[y]])[0]
    ratio = np.full((k, weights.shape[0]), np.nan)
    paired = np.full((k, n), np.nan)
    numerator = np.full((k, n), np.nan)
    scale = np.full(k, np.nan)
    unpartialled = np.full(k, np.nan) if covariates else None
    for j in range(k):
        if j == anchor or j in covariates:
            continue
        top, r_a, r_j = agreement_stats.pair_terms(products, anchor, j, dots[j])
        if covariates:
            unpartialled[j] = agreement_stats.weighted_ratio(top, r_a, r_j, weights[:1])[0]
            others = np.vstack([agreement_stats.pair_terms(products, b, j, covariate_dots[b][j])[0]
                                for b in covariates])
            top, change = agreement_stats.partial_out(top, others, target_cross, gram, folds)
            r_a = r_a - change
        ratio[j] = agreement_stats.weighted_ratio(top, r_a, r_j, weights)
        paired[j] = agreement_stats.per_prompt_ratio(top, r_a, r_j)
        numerator[j] = top
        scale[j] = _scale(r_a, r_j)
    ceilings = _ceilings(products, weights)
    return Agreement(ratio=ratio, ceiling=None if np.all(np.isnan(ceilings[anchor])) else ceilings[anchor],
                     paired=paired, numerator=numerator, scale=scale, unpartialled=unpartialled, ceilings=ceilings)


def _ceilings(products: agreement_stats.PromptProducts, weights: np.ndarray) -> np.ndarray:
    out = np.full((products.k, weights.shape[0]), np.nan)
    for i in range(products.k):
        value = agreement_stats.ceiling(products, i, weights)
        if value is not None:
            out[i] = value
    return out


@dataclass
class PairwiseAgreement:
    """Agreement of every pair: ``ratio`` (k, k, resamples), NaN diagonal; ``ceilings`` (k,
    resamples), NaN without samples; per-prompt ``numerator`` (k, k, n, float32) and ``scale`` (k, k)."""

    ratio: np.ndarray
    ceilings: np.ndarray
    numerator: np.ndarray
    scale: np.ndarray


def pairwise_agreement(matrices: Sequence, norms: SampleNorms, weights: np.ndarray) -> PairwiseAgreement:
    """A(i, j) for every pair and each model's ceiling (see :class:`PairwiseAgreement`)."""
    k, n = len(matrices), matrices[0].shape[0]
    weights = np.atleast_2d(weights)
    products = prompt_products(matrices, norms)
    ratio = np.full((k, k, weights.shape[0]), np.nan)
    numerator = np.full((k, k, n), np.nan, dtype=np.float32)
    scale = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(i + 1, k):
            terms = agreement_stats.pair_terms(products, i, j, moments.row_dots(matrices[i], matrices[j]))
            ratio[i, j] = ratio[j, i] = agreement_stats.weighted_ratio(*terms, weights)
            numerator[i, j] = numerator[j, i] = terms[0]
            scale[i, j] = scale[j, i] = _scale(terms[1], terms[2])
    return PairwiseAgreement(ratio, _ceilings(products, weights), numerator, scale)


@dataclass
class CombinedAgreement:
    """Agreement over feature families, combined as decorrelated z-scores (method v3).

    ``ratio`` (..., resamples) is the weighted mean of the families' agreements; ``contributions``
    (..., n) the weighted per-prompt contributions (N_p / scale) and ``t`` their studentised sum,
    the ranking statistic; ``weights`` one per family, in the order given.
    """

    ratio: np.ndarray
    contributions: np.ndarray
    t: np.ndarray
    paired: np.ndarray
    weights: np.ndarray


def combine_agreements(ratios: Sequence[np.ndarray], numerators: Sequence[np.ndarray],
                       scales: Sequence[np.ndarray], paired: Sequence[np.ndarray]) -> CombinedAgreement:
    """Weight the families' agreements (:func:`stylesim.stats.agreement.family_weights`) and studentise."""
    weights = agreement_stats.family_weights([r[..., 1:] for r in ratios])
    ratio = agreement_stats.weighted_over_families(ratios, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        parts = [np.asarray(num, dtype=float) / np.asarray(sc, dtype=float)[..., None]
                 for num, sc in zip(numerators, scales)]
    contributions = agreement_stats.weighted_over_families(parts, weights)
    return CombinedAgreement(
        ratio=ratio, contributions=contributions, t=agreement_stats.studentised(contributions),
        paired=agreement_stats.weighted_over_families(paired, weights), weights=weights,
    )


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


def mean_over_families(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """The mean over families of same-shaped arrays, NaN where every family is NaN (no warning)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells (e.g. a diagonal) stay NaN
        return np.nanmean(np.stack(list(arrays)), axis=0)
