"""Partialling covariate models (a base model, sibling students) out of an anchor's agreement.

A student carries its base model's voice as well as its teacher's. The anchor's per-prompt
residual is regressed on the covariates' residuals and the fitted part removed, with every term
of one candidate's fit centred on one background (:func:`common_terms`) and the coefficients
cross-fitted over prompt folds (:func:`prompt_folds`, :func:`partial_out`), so no prompt is
scored with a fit that saw it. See docs/method.md, "Partialling a base model".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .agreement import PromptProducts, _validate
from .resampling import n_units


def common_terms(products: PromptProducts, members: Sequence[int], block: np.ndarray, *,
                 from_mean: Sequence[bool] | None = None) -> np.ndarray:
    """Every pair's terms among ``members``, all centred on one background: the other models.

    ``block[x, y]`` (q, q, n) holds ``<x_p, y_p>`` for the members x, y (``members`` as indices).
    Returns C (q, q, n): ``C[x, y]`` is N_p(x, y) and ``C[x, x]`` is r_xp, each centred on the
    background G of the k - q models that are not members (mean c_p and pair mean U_p of G, as
    for :func:`pair_terms`, whose background is G with q = 2). Partialling a base model needs
    this: when each of N_p(s, j), N_p(b, j) and N_p(s, b) is centred on its own leave-two-out
    background, the base sits in the first one's, s in the second's and j in the third's, and
    the fit over-corrects by about 1 / k (a review measured -0.22 for a true 0 with a 2-model
    panel). NaN throughout when G has fewer than two models.

    ``C[x, x]`` is the spread of one of x's answers (r_xp, from the mean squared norm of its
    samples), or, where ``from_mean[x]`` is true, that of x's per-prompt mean answer (from
    ``|x_p|^2``; the same with one sample).
    """
    _validate(products)
    members = np.asarray(members, dtype=int)
    q = len(members)
    m = products.k - q
    n = products.diag.shape[1]
    if m < 2:
        return np.full((q, q, n), np.nan)
    z = products.z[members]
    # <x, S_G> for each member x, with S_G the background's sum; |S_G|^2 less its diagonal gives U.
    x_s = z - block.sum(axis=1)
    s_s = products.zz - 2 * z.sum(axis=0) + block.sum(axis=(0, 1))
    trace = products.trace - products.diag[members].sum(axis=0)
    u = (s_s - trace) / (m * (m - 1))
    x_c = x_s / m
    out = block - x_c[:, None, :] - x_c[None, :, :] + u
    sq = products.sample_sq[members]
    on = np.arange(q)
    one_answer = ~np.asarray(from_mean if from_mean is not None else np.zeros(q), dtype=bool)
    out[on[one_answer], on[one_answer]] = (sq - 2 * x_c + u)[one_answer]
    # Rounding noise to 0, as _snapped does for a pair.
    scale = np.sqrt(np.abs(sq[:, None, :] * sq[None, :, :]))
    return np.where(np.abs(out) <= 1e-9 * scale, 0.0, out)


def partial_out(
    target: np.ndarray,
    covariates: np.ndarray,
    target_cross: np.ndarray,
    covariate_gram: np.ndarray,
    folds: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Cross-fitted partialling of covariate models (a base model, siblings) out of one model.

    For the anchor s, covariates b (q of them) and one other model j, per prompt:
    ``target`` (n,) is N_p(s, j); ``covariates`` (q, n) is N_p(b, j); ``target_cross`` (q, n) is
    N_p(s, b); ``covariate_gram`` (q, q, n) holds N_p(b, b') off the diagonal and on it the spread
    of b's mean answer to p (the regressor used).
    On each fold the coefficients beta = Sigma_bb^-1 Sigma_bs are fitted on the *other* folds'
    prompts, so no prompt is scored with a fit that saw it. Returns the partialled numerators
    N_p(s, j) - beta' N_p(b, j) and the per-prompt terms to subtract from r_sp
    (2 beta' N_p(s, b) - beta' R_bp beta): the semi-partial agreement of s's residual with j.
    """
    q, n = covariates.shape
    numerator = np.empty(n)
    norm_change = np.empty(n)
    total_gram = covariate_gram.sum(axis=2)
    total_cross = target_cross.sum(axis=1)
    for fold in np.unique(folds):
        inside = folds == fold
        gram = total_gram - covariate_gram[:, :, inside].sum(axis=2)
        cross = total_cross - target_cross[:, inside].sum(axis=1)
        beta = np.linalg.lstsq(gram, cross, rcond=None)[0] if np.all(np.isfinite(gram)) else np.zeros(q)
        numerator[inside] = target[inside] - beta @ covariates[:, inside]
        quadratic = np.einsum("a,abp,b->p", beta, covariate_gram[:, :, inside], beta)
        norm_change[inside] = 2 * beta @ target_cross[:, inside] - quadratic
    return numerator, norm_change


def prompt_folds(n: int, n_folds: int, rng: np.random.Generator, groups: np.ndarray | None = None) -> np.ndarray:
    """A random assignment of n prompts to ``n_folds`` folds of near-equal size; with ``groups``
    (each prompt's resampling unit), of whole units, so no variant of a prompt is fitted on
    while another is scored."""
    if groups is None:
        return rng.permutation(np.arange(n) % max(1, min(n_folds, n)))
    units = n_units(n, groups)
    return rng.permutation(np.arange(units) % max(1, min(n_folds, units)))[groups]
