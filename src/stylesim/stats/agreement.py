"""Same-prompt agreement: how alike two models' answers to the *same* prompt are, beyond what the
other models say for that prompt (method version 3).

Arrays in, arrays out. For model i the per-prompt feature vector is ``x_ip`` (the mean over the
model's samples of prompt p). Every model must write about a prompt's topic, so answers to one
prompt share words that say nothing about lineage; they are removed by centring on the other
models. For the pair (i, j) the background of prompt p is the set G of the other m = k - 2
models, with mean ``c_p``. The per-prompt numerator is the U-statistic

    N_p(i, j) = <x_ip, x_jp> - <x_ip, c_p> - <x_jp, c_p> + U_p,
    U_p = mean over ordered pairs l != l' in G of <x_lp, x_l'p>.

Version 2 used ``|c_p|^2`` where U_p stands. ``|c_p|^2`` also holds each background model's
squared distance from the population mean (its own style and noise, divided by m), so unrelated
models scored about 1/(k - 1) and a model close to the consensus ("quiet") gained most. With U_p
every term of N_p has the same expectation under independent models (the square of the
population mean), so unrelated models score 0 in expectation at every k >= 4, whatever their
spreads. With k = 3 the background is one model and no unbiased form exists (the three pairwise
distances cannot separate the pair's covariance from the third model's spread): agreement needs
four models.

The residual norm ``r_ip`` = mean over i's samples of |x_ips|^2 - 2 <x_ip, c_p> + U_p estimates a
single answer's squared distance from the population mean. The agreement under prompt weights w
(a cluster bootstrap draws them) is

    A(i, j) = sum_p w_p N_p(i, j) / sqrt( sum_p w_p r_ip * sum_p w_p r_jp ),

a correlation (1 for identical answers). With several samples per prompt the **ceiling** is the
same ratio between two different samples of model i (centred on the other k - 1 models).

Ranking and tests use the **studentised agreement** ``t = sum_p N_p / sqrt(sum_p N_p^2)``: the
self-normalised sum of the per-prompt numerators. It does not depend on the denominator at all,
so a quiet model (small r) gains nothing, and under independence it is close to N(0, 1) for every
pair whatever the spreads, which is what makes ranks against a panel exchangeable. It is also the
statistic of the prompt-level sign-flip test (flipping the sign of N_p leaves sum N_p^2 alone).

Everything is computed from per-prompt inner products, so no feature matrix is touched here:
``dots[i, j, p] = <x_ip, x_jp>`` (only the pairs needed), ``z[i, p] = <x_ip, Z_p>`` with Z_p the
sum over all models, ``zz[p] = |Z_p|^2``, ``sample_sq[i, p]`` = mean over samples of |x_ips|^2
and the sample counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import panel as panel_stats

MIN_MODELS = 4  # the pair and two other models: an unbiased background needs a pair of its own


@dataclass
class PromptProducts:
    """Per-prompt inner products for k models (see the module docstring)."""

    diag: np.ndarray  # (k, n): |x_ip|^2
    z: np.ndarray  # (k, n): <x_ip, Z_p>
    zz: np.ndarray  # (n,): |Z_p|^2
    sample_sq: np.ndarray  # (k, n): mean over samples of |x_ips|^2 (= diag with one sample)
    counts: np.ndarray  # (k, n): samples per prompt

    @property
    def k(self) -> int:
        return int(self.diag.shape[0])

    @property
    def trace(self) -> np.ndarray:
        """sum over models of |x_ip|^2, per prompt."""
        return self.diag.sum(axis=0)


def _validate(products: PromptProducts) -> None:
    if products.k < MIN_MODELS:
        raise ValueError(f"products: agreement needs at least {MIN_MODELS} models, got {products.k}")
    shape = products.diag.shape
    for name in ("z", "sample_sq", "counts"):
        if getattr(products, name).shape != shape:
            raise ValueError(f"products.{name}: shape {getattr(products, name).shape} differs from diag's {shape}")
    if products.zz.shape != shape[1:]:
        raise ValueError(f"products.zz: shape {products.zz.shape}, expected {shape[1:]}")


def _leave_two_out(products: PromptProducts, i, j, dot_ij: np.ndarray):  # noqa: ANN001, ANN202
    """The background terms of the pair (i, j) per prompt: m = k - 2, <x_i, S> / m, <x_j, S> / m
    and U (S the sum of the other models). ``i`` and ``j`` are indices (or index arrays that
    broadcast, with ``dot_ij`` of their shape plus the prompt axis)."""
    m = products.k - 2
    d_i, d_j = products.diag[i], products.diag[j]
    z_i, z_j = products.z[i], products.z[j]
    # <x_i, S> and <x_j, S> with S the background's sum; |S|^2 less its diagonal gives U.
    x_i_s = z_i - d_i - dot_ij
    x_j_s = z_j - dot_ij - d_j
    s_s = products.zz - 2 * z_i - 2 * z_j + d_i + d_j + 2 * dot_ij
    u = (s_s - (products.trace - d_i - d_j)) / (m * (m - 1))
    return x_i_s / m, x_j_s / m, u


def pair_terms(products: PromptProducts, i: int, j: int, dot_ij: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-prompt numerator and the two residual norms of the pair (i, j), i != j.

    Returns ``(numerator, r_i, r_j)``, each of shape (n,).
    """
    _validate(products)
    if i == j:
        raise ValueError("i, j: a pair needs two different models")
    x_i_c, x_j_c, u = _leave_two_out(products, i, j, dot_ij)
    numerator = dot_ij - x_i_c - x_j_c + u
    r_i = products.sample_sq[i] - 2 * x_i_c + u
    r_j = products.sample_sq[j] - 2 * x_j_c + u
    return _snapped(numerator, r_i, r_j, products.sample_sq[i], products.sample_sq[j])


def _snapped(numerator, r_i, r_j, sq_i, sq_j):  # noqa: ANN001, ANN202
    """Zero the terms that are rounding noise: differences of squared norms smaller than 1e-9 of
    the norms themselves (identical answers, constant features). Different ways of adding up
    the same products would otherwise turn 0 / 0 into any number, or into NaN."""
    def snap(values, scale):  # noqa: ANN001, ANN202
        return np.where(np.abs(values) <= 1e-9 * np.abs(scale), 0.0, values)

    scale = np.sqrt(np.abs(sq_i * sq_j))
    return snap(numerator, scale), snap(r_i, sq_i), snap(r_j, sq_j)


def pair_terms_rows(products: PromptProducts, rows: np.ndarray, dots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`pair_terms` for the models ``rows`` against every model at once.

    ``dots[a, j, p]`` is ``<x_{rows[a]},p, x_jp>`` (shape (len(rows), k, n)). Returns
    ``(numerator, r_row, r_other)``, each (len(rows), k, n); entries with j == rows[a] are
    meaningless (a model is not its own pair) and are left to the caller to mask.
    """
    _validate(products)
    i, j = rows[:, None], np.arange(products.k)[None, :]
    x_i_c, x_j_c, u = _leave_two_out(products, i, j, dots)
    numerator = dots - x_i_c - x_j_c + u
    sq_i, sq_j = products.sample_sq[i], products.sample_sq[j]
    r_i = sq_i - 2 * x_i_c + u
    r_j = sq_j - 2 * x_j_c + u
    return _snapped(numerator, r_i, r_j, sq_i, sq_j)


def self_terms(products: PromptProducts, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-prompt numerator and residual norm of model i against a second sample of itself,
    centred on the k - 1 other models.

    Returns ``(numerator, r_i, usable)``; ``usable`` marks the prompts with at least two samples
    (the numerator is 0 elsewhere and must be left out).
    """
    _validate(products)
    m = products.k - 1
    d, z = products.diag[i], products.z[i]
    x_c = (z - d) / m
    u = (products.zz - 2 * z + d - (products.trace - d)) / (m * (m - 1))
    return _self_against(products, i, x_c, u)


def _self_against(products: PromptProducts, i, x_c: np.ndarray, u: np.ndarray):  # noqa: ANN001, ANN202
    """Model i's second-sample numerator and residual norm given its background terms <x_i, c>
    and U (any broadcastable shape)."""
    d, q = products.diag[i], products.sample_sq[i]
    counts = products.counts[i].astype(float)
    usable = counts >= 2
    with np.errstate(invalid="ignore", divide="ignore"):
        # mean over ordered pairs s != t of <x_s, x_t>, from |sum_s x_s|^2 = counts^2 d.
        pair_dot = np.where(usable, (counts * d - q) / np.where(usable, counts - 1, 1.0), 0.0)
    numerator = np.where(usable, pair_dot - 2 * x_c + u, 0.0)
    r_i = np.where(usable, q - 2 * x_c + u, 0.0)
    return numerator, r_i, usable


def pair_ceilings(products: PromptProducts, i, j, dot_ij: np.ndarray, weights: np.ndarray, *,  # noqa: ANN001
                  min_prompts: int = 10) -> np.ndarray:
    """Model i's ceiling on the background of the pair (i, j), per weight row.

    The agreement a second sample of i would have with i if it stood where j stands: both
    centred on the k - 2 models other than i and j, the background of A(i, j). This is the
    ceiling that :func:`disattenuated` needs: the ceiling of :func:`ceiling` keeps j in i's
    background, and when j is a relative of i that removes part of i's own choices (its
    ceiling, and so the disattenuated agreement, would be off by about 1 / (k - 1) of the
    pair's shared part). ``i`` and ``j`` are indices or broadcasting index arrays; ``dot_ij``
    has their shape plus the prompt axis. Returns their shape plus (B,); NaN where fewer than
    ``min_prompts`` prompts have two or more samples of i.
    """
    _validate(products)
    x_i_c, _, u = _leave_two_out(products, i, j, dot_ij)
    numerator, r_i, usable = _self_against(products, i, x_i_c, u)
    out = weighted_ratio(numerator, r_i, r_i, weights)
    enough = np.broadcast_to(usable, numerator.shape).sum(axis=-1) >= min_prompts
    return np.where(enough[..., None], out, np.nan)


def weighted_ratio(numerator: np.ndarray, r_i: np.ndarray, r_j: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``w.numerator / sqrt((w.r_i)(w.r_j))`` for every row of ``weights`` (B x n); NaN unless both
    weighted norms are positive (U-statistic norms can be negative on few prompts). The per-prompt
    arrays may carry leading axes (..., n); the result is then (..., B)."""
    weights = np.atleast_2d(weights)
    top = numerator @ weights.T
    norm_i, norm_j = r_i @ weights.T, r_j @ weights.T
    ok = (norm_i > 0) & (norm_j > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, top / np.sqrt(np.where(ok, norm_i * norm_j, 1.0)), np.nan)


def anchor_agreement(products: PromptProducts, dots: np.ndarray, weights: np.ndarray, *, anchor: int = 0) -> np.ndarray:
    """A(anchor, j) for every model j under every weight row: shape (k, B).

    ``dots[j]`` is ``<x_anchor,p, x_jp>`` per prompt (shape (k, n)). Row ``anchor`` is NaN: the
    agreement of a model with itself is :func:`ceiling`.
    """
    weights = np.atleast_2d(weights)
    out = np.full((products.k, weights.shape[0]), np.nan)
    for j in range(products.k):
        if j != anchor:
            out[j] = weighted_ratio(*pair_terms(products, anchor, j, dots[j]), weights)
    return out


def ceiling(products: PromptProducts, i: int, weights: np.ndarray, *, min_prompts: int = 10) -> np.ndarray | None:
    """Model i's agreement with a second sample of itself on the same prompt, per weight row.

    None when fewer than ``min_prompts`` prompts have two or more samples of model i.
    """
    numerator, r_i, usable = self_terms(products, i)
    if int(usable.sum()) < min_prompts:
        return None
    weights = np.atleast_2d(weights) * usable[None, :]
    return weighted_ratio(numerator, r_i, r_i, weights)


def disattenuated(agreement: np.ndarray, ceiling_i: np.ndarray, ceiling_j: np.ndarray) -> np.ndarray:
    """``A(i, j) / sqrt(ceiling_i * ceiling_j)``, elementwise (observed and every resample).

    The agreement corrected for each model's own sampling noise (Spearman's correction for
    attenuation): the correlation of the two models' per-prompt choices, 1 when B answers like a
    second sample of A. NaN where a ceiling is not positive.
    """
    ceiling_i, ceiling_j = np.asarray(ceiling_i, dtype=float), np.asarray(ceiling_j, dtype=float)
    product = ceiling_i * ceiling_j
    ok = (ceiling_i > 0) & (ceiling_j > 0)  # two negative ceilings make a positive product, and no ratio
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, np.asarray(agreement, dtype=float) / np.sqrt(np.where(ok, product, 1.0)), np.nan)


def disattenuated_interval(agreement: np.ndarray, ceiling_i: np.ndarray, ceiling_j: np.ndarray,
                           level: float = 0.95) -> tuple[float, float, float]:
    """The disattenuated agreement (observed, then resamples on the last axis) and its percentile
    interval; all NaN where a ceiling is not clearly positive: not in the observed value, or not
    in more than the interval's tail share of resamples. A ceiling near 0 makes the ratio explode
    (10.49, with an interval of 0.32 to 10.39, for a true 1 at 12 prompts in a review's simulation),
    and what is left of its resamples no longer describes it."""
    from .resampling import percentile_interval, too_often_undefined

    corrected = disattenuated(agreement, ceiling_i, ceiling_j)
    if not np.isfinite(corrected[0]) or too_often_undefined(corrected[1:], level):
        return float("nan"), float("nan"), float("nan")
    return float(corrected[0]), *percentile_interval(corrected[1:], level)


def pairwise_agreement(products: PromptProducts, dots: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """A(i, j) for every pair under every weight row: shape (k, k, B), symmetric, NaN diagonal.

    ``dots`` has shape (k, k, n).
    """
    weights = np.atleast_2d(weights)
    k = products.k
    out = np.full((k, k, weights.shape[0]), np.nan)
    for i in range(k):
        for j in range(i + 1, k):
            out[i, j] = out[j, i] = weighted_ratio(*pair_terms(products, i, j, dots[i, j]), weights)
    return out


def studentised(contributions: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The self-normalised sum ``sum_p w_p u_p / sqrt(sum_p w_p u_p^2)`` along the last axis.

    ``contributions`` holds per-prompt numerators (any positive per-row scale cancels). NaN where
    every contribution is 0 or not finite.
    """
    u = np.nan_to_num(np.asarray(contributions, dtype=float), nan=0.0)
    if weights is None:
        top, bottom = u.sum(axis=-1), np.sqrt((u * u).sum(axis=-1))
    else:
        weights = np.atleast_2d(weights)
        top, bottom = u @ weights.T, np.sqrt((u * u) @ weights.T)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def selection_pvalues(candidates: Sequence[float], panel: Sequence[float]) -> list[float]:
    """Single-step max-statistic p-values of m candidates ranked against a panel.

    If the m candidates and the K panel models were exchangeable, the candidates would be a random
    m-subset of the pool; a candidate whose score has r pool members at or above it (itself
    included) gets ``P(the best of a random m-subset scores >= it) = 1 - C(N - r, m) / C(N, m)``,
    N = m + K. With m = 1 this is the rank p-value (1 + #{panel >= score}) / (K + 1). The winner's
    p-value is therefore honest about having been picked from m; it can be no smaller than m / N.
    Non-finite candidates get NaN; non-finite panel values are dropped; values within
    ``panel.TIE_TOLERANCE`` of a score count as at or above it.
    """
    cand = np.asarray(candidates, dtype=float)
    pool = np.concatenate([cand[np.isfinite(cand)], np.asarray(panel, dtype=float)])
    pool = pool[np.isfinite(pool)]
    m, n = int(np.isfinite(cand).sum()), pool.size
    out = []
    for value in cand:
        if not np.isfinite(value):
            out.append(float("nan"))
            continue
        r = int(np.count_nonzero(pool >= value - panel_stats.tie_tolerance(value)))
        out.append(1.0 - math.comb(n - r, m) / math.comb(n, m))
    return out


def signflip_max_pvalues(contributions: np.ndarray, flips: np.ndarray) -> np.ndarray:
    """Prompt-level sign-flip p-values, adjusted for taking the best of several rows (max-T).

    ``contributions`` (rows, n): per-prompt numerators of one anchor with each of several models
    (NaN rows are ignored). Under "no agreement beyond the background" each N_p has mean 0 and
    flipping its sign is as likely as not, so the flipped studentised sums form the null. Every
    row gets ``(1 + #{b: max over rows of t*_b >= t_row}) / (B + 1)``, its single-step adjusted
    p-value; the largest row's is the p-value of the anchor's nearest neighbour, selection
    included. ``flips`` is (B, n) of +-1, shared by all rows (it keeps their dependence).
    """
    u = np.nan_to_num(np.asarray(contributions, dtype=float), nan=0.0)
    scale = np.sqrt((u * u).sum(axis=1))
    usable = scale > 0
    observed = np.full(u.shape[0], np.nan)
    observed[usable] = u[usable].sum(axis=1) / scale[usable]
    if not usable.any():
        return observed
    null = np.empty(flips.shape[0])
    block = 256
    for start in range(0, flips.shape[0], block):
        part = flips[start : start + block].astype(float) @ u[usable].T
        null[start : start + block] = (part / scale[usable][None, :]).max(axis=1)
    tolerance = 1e-12 * np.maximum(1.0, np.abs(observed))
    out = np.full(u.shape[0], np.nan)
    for row in np.flatnonzero(usable):
        out[row] = (1 + np.count_nonzero(null >= observed[row] - tolerance[row])) / (flips.shape[0] + 1)
    return out
