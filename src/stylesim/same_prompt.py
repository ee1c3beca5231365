"""Same-prompt agreement of feature matrices: per-prompt inner products in, agreement arrays out.

The glue between feature matrices (one per model, rows aligned on prompts) and
:mod:`stylesim.stats.agreement`, which holds the statistic itself (method version 3). Split from
:mod:`stylesim.similarity`, which keeps the cross-prompt resemblance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .stats import agreement as agreement_stats
from .stats import families, moments, resampling
from .stats import partial as partial_stats


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
    # (models, 2, resamples): [j, 0] the anchor's and [j, 1] model j's ceiling on the background of
    # the pair (anchor, j), what disattenuating A(anchor, j) needs; None without samples.
    pair_ceilings: np.ndarray | None = None

    @property
    def t(self) -> np.ndarray:
        """Studentised agreement per model over single prompts. With prompt groups the analyses
        studentise group sums instead (``resampling.group_sums``); this is the ungrouped form."""
        return agreement_stats.studentised(self.numerator)


def prompt_products(matrices: Sequence, norms: SampleNorms) -> agreement_stats.PromptProducts:
    """The per-prompt inner products agreement needs, from per-prompt mean matrices (O(models) row dots)."""
    # Summed in float64: float32 sums would depend, in the last bits, on the order of the models.
    total = matrices[0].astype(np.float64)
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
    :func:`stylesim.stats.partial.partial_out`).
    """
    if len(matrices) < agreement_stats.MIN_MODELS:
        return None
    weights = np.atleast_2d(weights)
    products = prompt_products(matrices, norms)
    dots = _dots_with(matrices, products, anchor)
    k = len(matrices)
    ratio, paired, numerator, scale, unpartialled = _anchor_terms(
        products, lambda i: dots if i == anchor else _dots_with(matrices, products, i), weights, anchor,
        partial, folds)
    ceilings = _ceilings(products, weights)
    pair_ceilings = None
    if np.any(products.counts >= 2):
        others, anchors = np.arange(k), np.full(k, anchor)
        pair_ceilings = np.stack([agreement_stats.pair_ceilings(products, anchors, others, dots, weights),
                                  agreement_stats.pair_ceilings(products, others, anchors, dots, weights)], axis=1)
        pair_ceilings[anchor] = np.nan
    return Agreement(ratio=ratio, ceiling=None if np.all(np.isnan(ceilings[anchor])) else ceilings[anchor],
                     paired=paired, numerator=numerator, scale=scale, unpartialled=unpartialled, ceilings=ceilings,
                     pair_ceilings=pair_ceilings)


def _anchor_terms(products: agreement_stats.PromptProducts, dots_of, weights: np.ndarray, anchor: int,  # noqa: ANN001
                  partial: Sequence[int], folds: np.ndarray | None):
    """The anchor's agreement terms with every model given the products and ``dots_of(i)``, model
    i's per-prompt dot products with every model (k, n): ``(ratio, paired, numerator, scale,
    unpartialled)``, the fields of :class:`Agreement` of the same names."""
    k, n = products.diag.shape
    dots = dots_of(anchor)
    covariates = [b for b in partial if b != anchor]
    if covariates:
        folds = folds if folds is not None else partial_stats.prompt_folds(n, 5, np.random.default_rng(0))
        rows = {i: dots_of(i) for i in [anchor, *covariates]}
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
            # Every term of the fit on one background (the models other than the anchor, j and
            # the covariates): see partial_stats.common_terms.
            members = [anchor, j, *covariates]
            block = np.stack([np.stack([_dot(rows, products, x, y) for y in members]) for x in members])
            # The covariates' diagonal is the spread of their mean answer, the regressor used
            # (with several samples smaller than one answer's, as the mean carries less noise).
            terms = partial_stats.common_terms(products, members, block,
                                               from_mean=[False, False, *([True] * len(covariates))])
            top, r_a, r_j = terms[0, 1], terms[0, 0], terms[1, 1]
            top, change = partial_stats.partial_out(top, terms[2:, 1], terms[0, 2:], terms[2:, 2:], folds)
            r_a = r_a - change
        ratio[j] = agreement_stats.weighted_ratio(top, r_a, r_j, weights)
        numerator[j] = top
        scale[j] = _scale(r_a, r_j)
        # Each prompt's term on the agreement's own scale (their mean is the agreement): a prompt's
        # own norms can be near 0 or negative (unbiased estimates), so they are not its denominator.
        paired[j] = top * n / scale[j]
    return ratio, paired, numerator, scale, unpartialled


def _dot(rows: dict[int, np.ndarray], products: agreement_stats.PromptProducts, x: int, y: int) -> np.ndarray:
    """<x_p, y_p> per prompt from the rows of dot products at hand (either model's)."""
    if x in rows:
        return rows[x][y]
    return rows[y][x] if y in rows else products.diag[x]


@dataclass
class LeftOut:
    """The anchor's agreement terms with every model when a set of other models at a time is left
    out of the analysis (its background included): ``numerator[d]`` (k, n) and ``scale[d]`` (k,)
    for ``sets[d]`` as :class:`Agreement`'s fields, NaN in the left-out models' rows (and the
    anchor's)."""

    sets: list[tuple[int, ...]]
    numerator: np.ndarray  # (D, k, n), float32
    scale: np.ndarray  # (D, k)


def leave_out(matrices: Sequence, norms: SampleNorms, sets: Sequence[Sequence[int]], *, anchor: int = 0,
              partial: Sequence[int] = (), folds: np.ndarray | None = None,
              gram: np.ndarray | None = None) -> LeftOut | None:
    """:class:`LeftOut` for each set of models in ``sets`` (never the anchor or a covariate); None
    when there is no set or one would leave fewer than :data:`~stylesim.stats.agreement.MIN_MODELS`
    models. All pairs' products come from one k x k product per prompt (``gram``, computed when
    not given), so each set costs no further dot products."""
    k, n = len(matrices), matrices[0].shape[0]
    sets = [tuple(sorted(int(q) for q in group)) for group in sets]
    if any(anchor in group or any(b in group for b in partial) or len(set(group)) < len(group) for group in sets):
        raise ValueError("a left-out set may not hold the anchor, a covariate or a model twice")
    if not sets or k - max(len(group) for group in sets) < agreement_stats.MIN_MODELS:
        return None
    gram = moments.prompt_grams(matrices) if gram is None else gram
    numerator = np.full((len(sets), k, n), np.nan, dtype=np.float32)
    scale = np.full((len(sets), k), np.nan)
    for d, group in enumerate(sets):
        keep = np.array([m for m in range(k) if m not in group])
        position = {int(m): i for i, m in enumerate(keep)}
        sub = gram[np.ix_(keep, keep)]
        products = products_from_grams(sub, SampleNorms(norms.sample_sq[keep], norms.counts[keep]))
        _, _, top, sc, _ = _anchor_terms(products, lambda i, sub=sub: sub[i], np.ones((1, n)), position[anchor],
                                         [position[b] for b in partial if b != anchor], folds)
        numerator[d, keep] = top
        scale[d, keep] = sc
    return LeftOut(sets, numerator, scale)


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
    resamples), NaN without samples; per-prompt ``numerator`` (k, k, n, float32) and ``scale`` (k, k).
    ``pair_ceilings[i, j]`` (k, k, resamples) is i's ceiling on the background of the pair (i, j)
    (:func:`stylesim.stats.agreement.pair_ceilings`); None when no model has two samples of a prompt."""

    ratio: np.ndarray
    ceilings: np.ndarray
    numerator: np.ndarray
    scale: np.ndarray
    pair_ceilings: np.ndarray | None = None


def pairwise_agreement(matrices: Sequence, norms: SampleNorms, weights: np.ndarray, *,
                       dots: np.ndarray | None = None, block: int = 16) -> PairwiseAgreement:
    """A(i, j) for every pair and each model's ceiling (see :class:`PairwiseAgreement`).

    Every pair's per-prompt products come from one k x k product per prompt
    (:func:`stylesim.stats.moments.prompt_grams`; pass them as ``dots`` when already computed); the pair statistics are then computed for
    ``block`` models against all others at a time, so memory stays O(block x k x n).
    """
    k, n = len(matrices), matrices[0].shape[0]
    weights = np.atleast_2d(weights)
    dots = moments.prompt_grams(matrices) if dots is None else dots
    products = products_from_grams(dots, norms)
    ratio = np.full((k, k, weights.shape[0]), np.nan)
    numerator = np.full((k, k, n), np.nan, dtype=np.float32)
    scale = np.full((k, k), np.nan)
    sampled = bool(np.any(norms.counts >= 2))
    pair_ceilings = np.full((k, k, weights.shape[0]), np.nan) if sampled else None
    for start in range(0, k, block):
        rows = np.arange(start, min(start + block, k))
        top, r_i, r_j = agreement_stats.pair_terms_rows(products, rows, dots[rows])
        ratio[rows] = agreement_stats.weighted_ratio(top, r_i, r_j, weights)
        if pair_ceilings is not None:
            pair_ceilings[rows] = agreement_stats.pair_ceilings(products, rows[:, None], np.arange(k)[None, :],
                                                                dots[rows], weights)
        numerator[rows] = top
        norm_i, norm_j = r_i.sum(axis=-1), r_j.sum(axis=-1)
        with np.errstate(invalid="ignore"):
            scale[rows] = np.where((norm_i > 0) & (norm_j > 0), np.sqrt(np.clip(norm_i * norm_j, 0, None)), np.nan)
    diagonal = np.arange(k)
    ratio[diagonal, diagonal] = np.nan
    numerator[diagonal, diagonal] = np.nan
    scale[diagonal, diagonal] = np.nan
    if pair_ceilings is not None:
        pair_ceilings[diagonal, diagonal] = np.nan
    return PairwiseAgreement(ratio, _ceilings(products, weights), numerator, scale, pair_ceilings)


def products_from_grams(dots: np.ndarray, norms: SampleNorms) -> agreement_stats.PromptProducts:
    """:class:`~stylesim.stats.agreement.PromptProducts` from all-pairs per-prompt products (k, k, n)."""
    k = dots.shape[0]
    z = dots.sum(axis=1)
    return agreement_stats.PromptProducts(diag=dots[np.arange(k), np.arange(k)].copy(), z=z, zz=z.sum(axis=0),
                                          sample_sq=norms.sample_sq, counts=norms.counts)


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
    groups: np.ndarray | None = None  # each prompt's resampling unit (None: every prompt is one)

    def unit_contributions(self) -> np.ndarray:
        """``contributions`` summed over each resampling unit (..., units): what sign flips act on."""
        return resampling.group_sums(self.contributions, self.groups)

    def resampled_t(self, weights: np.ndarray) -> np.ndarray:
        """(..., resamples): ``t`` under each row of per-prompt bootstrap ``weights``."""
        return resampled_t(self.contributions, weights, self.groups)


def resampled_t(contributions: np.ndarray, weights: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """(..., resamples): the studentised agreement of per-prompt ``contributions`` (..., n) under
    each row of per-prompt bootstrap ``weights`` (resamples, n), the units reweighted as the
    agreement's own resampling draws them (whole prompt groups where there are groups)."""
    return agreement_stats.studentised(resampling.group_sums(contributions, groups),
                                       resampling.unit_weights(weights, groups))


def combine_agreements(ratios: Sequence[np.ndarray], numerators: Sequence[np.ndarray],
                       scales: Sequence[np.ndarray], paired: Sequence[np.ndarray],
                       groups: np.ndarray | None = None, order: Sequence[int] | None = None) -> CombinedAgreement:
    """Weight the families' agreements (:func:`stylesim.stats.families.family_weights`) and studentise
    (over resampling units: ``groups`` numbers each prompt's unit, None when every prompt is one;
    ``order``, the models in the order that picks a large matrix's pairs for the weights).

    The weights need each family's sampling spread and the families' correlations. They come from
    the per-unit contributions themselves, the bootstrap's linear (infinitesimal-jackknife)
    approximation, not from the bootstrap replicates: so the point estimate and t do not move with
    ``--seed`` or ``--resamples`` (before 0.3.10 they did, by about 1% in t on 805 prompts)."""
    weights = families.family_weights([_unit_contributions(num, sc, groups, order) for num, sc in zip(numerators, scales)])
    ratio = families.weighted_over_families(ratios, weights, resampled=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        # A generator: each family's (models, models, prompts) part exists only while it is added.
        parts = (np.asarray(num, dtype=float) / np.asarray(sc, dtype=float)[..., None]
                 for num, sc in zip(numerators, scales))
        contributions = families.weighted_over_families(parts, weights)
    return CombinedAgreement(
        ratio=ratio, contributions=contributions,
        t=agreement_stats.studentised(resampling.group_sums(contributions, groups)),
        paired=families.weighted_over_families(paired, weights), weights=weights, groups=groups,
    )


# The family weights' medians over pairs use at most this many pairs (evenly spaced, so the same
# ones in every run): a 200-model matrix has 40,000, and a median needs far fewer.
WEIGHT_PAIRS = 4096


def _unit_contributions(numerator: np.ndarray, scale: np.ndarray, groups: np.ndarray | None,
                        order: Sequence[int] | None = None) -> np.ndarray:
    """(pairs, units): per-unit contributions N_p / scale of every pair (rows picked before dividing,
    so a large matrix makes no full-size copy), at most WEIGHT_PAIRS of them, evenly spaced over
    the pairs with the models taken in ``order`` (a matrix passes its models sorted by name, so the
    pairs, and the weights, do not depend on the order the inputs were given in)."""
    numerator = np.asarray(numerator)
    rows = numerator.reshape(-1, numerator.shape[-1])
    scales = np.broadcast_to(np.asarray(scale, dtype=float), numerator.shape[:-1]).reshape(-1)
    if rows.shape[0] > WEIGHT_PAIRS:
        keep = np.linspace(0, rows.shape[0] - 1, WEIGHT_PAIRS).round().astype(int)
        if order is not None and numerator.ndim == 3:  # position (a, b) in that order: pair (order[a], order[b])
            ranked = np.asarray(order)
            keep = ranked[keep // numerator.shape[1]] * numerator.shape[1] + ranked[keep % numerator.shape[1]]
        rows, scales = rows[keep], scales[keep]
    with np.errstate(invalid="ignore", divide="ignore"):
        return resampling.group_sums(rows.astype(float) / scales[:, None], groups)


def combine_left_out(parts: Sequence[LeftOut], weights: np.ndarray,
                     groups: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The families' :class:`LeftOut` terms combined with the full analysis's family
    ``weights``: the agreement and its studentised form t, each (D, models)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        contributions = families.weighted_over_families(
            (p.numerator.astype(float) / p.scale[..., None] for p in parts), weights)
        ratio = families.weighted_over_families((np.nansum(p.numerator, axis=-1) / p.scale for p in parts), weights)
    t = agreement_stats.studentised(resampling.group_sums(contributions, groups))
    t[~np.isfinite(ratio)] = np.nan
    return ratio, t
