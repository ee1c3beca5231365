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

GRAM_BLOCK = 2048


def gram(x, y, *, center: np.ndarray | None = None, dtype: type = np.float64) -> np.ndarray:
    """Inner products ``x_p . y_q`` (n x n), optionally after subtracting ``center`` from rows.

    Works on dense arrays and scipy sparse matrices without densifying the features; centring is
    applied algebraically: (x - c)(y - c)' = xy' - (xc)1' - 1(yc)' + c.c.
    """
    n_x, n_y = x.shape[0], y.shape[0]
    out = np.empty((n_x, n_y), dtype=dtype)
    y_t = y.T.tocsr() if sp.issparse(y) else y.T
    for start in range(0, n_x, GRAM_BLOCK):
        block = x[start : start + GRAM_BLOCK] @ y_t
        out[start : start + GRAM_BLOCK] = block.toarray() if sp.issparse(block) else block
    if center is not None:
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
            out[start : start + block] = numerator / denominator
    return out


def sign_flip_statistics(h: np.ndarray, signs: np.ndarray, *, block: int = 256) -> np.ndarray:
    """``(s'Hs - tr H) / (n(n-1))`` for every row ``s`` of ``signs`` (B x n, entries +-1).

    With ``H = G_xx + G_yy - G_xy - G_yx`` this is the unbiased MMD^2 (linear kernel) between the
    two models after swapping their answers on the prompts where ``s = -1``: the within-prompt
    label permutation of a paired two-sample test.
    """
    signs = np.atleast_2d(signs)
    n = h.shape[0]
    trace = float(np.trace(h))
    out = np.empty(signs.shape[0])
    for start in range(0, signs.shape[0], block):
        s = signs[start : start + block].astype(h.dtype)
        out[start : start + block] = (np.einsum("bn,bn->b", s @ h, s, dtype=float) - trace) / (n * (n - 1))
    return out


def paired_cosines(g_xy: np.ndarray, g_xx: np.ndarray, g_yy: np.ndarray) -> np.ndarray:
    """Cosine between the two models' answers to the same prompt, one value per prompt."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diag(g_xy) / np.sqrt(np.clip(np.diag(g_xx), 0, None) * np.clip(np.diag(g_yy), 0, None))
