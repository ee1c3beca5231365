"""Same-prompt agreement: how alike two models' answers to the *same* prompt are, beyond what the
other models say for that prompt.

Arrays in, arrays out. For model i the per-prompt feature vector is ``x_ip`` (the mean over the
model's samples of prompt p). Every model in an analysis must write about a prompt's topic, so the
answers to one prompt share words that say nothing about lineage. Those are removed by centring
on the other models' answers to the same prompt: for the pair (i, j) the background of prompt p is
the mean of the *other* k - 2 models, ``c_p = (Z_p - x_ip - x_jp) / (k - 2)`` with ``Z_p`` the sum
over all models. Leaving both members of the pair out keeps their own noise out of the
background, so the centred product has no term in either model's sampling noise.

The agreement of i and j under prompt weights ``w`` (a cluster bootstrap draws them) is

    A(i, j) = sum_p w_p <x_ip - c_p, x_jp - c_p>
              / sqrt( sum_p w_p r_ip * sum_p w_p r_jp ),

where ``r_ip`` is the mean over i's samples of ``|x_ips - c_p|^2``: a single answer's squared
distance from the background. A(i, j) is a cosine in spirit (at most 1); a second sample of the
same model scores below 1 by its sampling noise. With several samples per prompt that level is
measured directly, as the **ceiling**: the same ratio between two different samples of model i
on the same prompt (centred on the other k - 1 models).

Everything is computed from per-prompt inner products, so no feature matrix is touched here:
``dots[i, j, p] = <x_ip, x_jp>`` (only the pairs needed), ``z[i, p] = <x_ip, Z_p>``,
``zz[p] = |Z_p|^2``, ``sample_sq[i, p]`` = mean over samples of ``|x_ips|^2`` and the sample
counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_MODELS = 3  # the pair and at least one other model to form the background


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


def _validate(products: PromptProducts) -> None:
    if products.k < MIN_MODELS:
        raise ValueError(f"products: agreement needs at least {MIN_MODELS} models, got {products.k}")
    shape = products.diag.shape
    for name in ("z", "sample_sq", "counts"):
        if getattr(products, name).shape != shape:
            raise ValueError(f"products.{name}: shape {getattr(products, name).shape} differs from diag's {shape}")
    if products.zz.shape != shape[1:]:
        raise ValueError(f"products.zz: shape {products.zz.shape}, expected {shape[1:]}")


def pair_terms(products: PromptProducts, i: int, j: int, dot_ij: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-prompt numerator and the two residual norms of the pair (i, j), i != j.

    Returns ``(numerator, r_i, r_j)``, each of shape (n,).
    """
    _validate(products)
    if i == j:
        raise ValueError("i, j: a pair needs two different models")
    m = products.k - 2
    d_i, d_j = products.diag[i], products.diag[j]
    z_i, z_j = products.z[i], products.z[j]
    x_i_c = (z_i - d_i - dot_ij) / m
    x_j_c = (z_j - dot_ij - d_j) / m
    c_c = (products.zz - 2 * z_i - 2 * z_j + d_i + d_j + 2 * dot_ij) / m**2
    numerator = dot_ij - x_i_c - x_j_c + c_c
    r_i = np.clip(products.sample_sq[i] - 2 * x_i_c + c_c, 0.0, None)
    r_j = np.clip(products.sample_sq[j] - 2 * x_j_c + c_c, 0.0, None)
    return numerator, r_i, r_j


def self_terms(products: PromptProducts, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-prompt numerator and residual norm of model i against a second sample of itself.

    Returns ``(numerator, r_i, usable)``; ``usable`` marks the prompts with at least two samples
    (the numerator is 0 elsewhere and must be left out).
    """
    _validate(products)
    m = products.k - 1
    d, z, q = products.diag[i], products.z[i], products.sample_sq[i]
    counts = products.counts[i].astype(float)
    usable = counts >= 2
    x_c = (z - d) / m
    c_c = (products.zz - 2 * z + d) / m**2
    with np.errstate(invalid="ignore", divide="ignore"):
        # mean over ordered pairs s != t of <x_s, x_t>, from |sum_s x_s|^2 = counts^2 d.
        pair_dot = np.where(usable, (counts * d - q) / np.where(usable, counts - 1, 1.0), 0.0)
    numerator = np.where(usable, pair_dot - 2 * x_c + c_c, 0.0)
    r_i = np.where(usable, np.clip(q - 2 * x_c + c_c, 0.0, None), 0.0)
    return numerator, r_i, usable


def weighted_ratio(numerator: np.ndarray, r_i: np.ndarray, r_j: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``w.numerator / sqrt((w.r_i)(w.r_j))`` for every row of ``weights`` (B x n); NaN if a norm is 0."""
    weights = np.atleast_2d(weights)
    top = weights @ numerator
    bottom = np.sqrt(np.clip(weights @ r_i, 0.0, None) * np.clip(weights @ r_j, 0.0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def per_prompt_ratio(numerator: np.ndarray, r_i: np.ndarray, r_j: np.ndarray) -> np.ndarray:
    """The agreement of one prompt on its own (a centred cosine); NaN where a norm is 0."""
    bottom = np.sqrt(r_i * r_j)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, numerator / np.where(bottom > 0, bottom, 1.0), np.nan)


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
