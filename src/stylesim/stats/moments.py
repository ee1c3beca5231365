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
        centres = []
        for members in [self.folds == f for f in range(3)] + [self.folds != f for f in range(3)]:
            rows = np.flatnonzero(members)
            centres.append(np.mean([np.asarray(m[rows].mean(axis=0)).ravel() for m in matrices], axis=0))
        self.centres = np.vstack(centres)  # 0-2: one fold, 3-5: all but one fold
        same = self.folds[:, None] == self.folds[None, :]
        self.index = np.where(same, 3 + self.folds[:, None], 3 - self.folds[:, None] - self.folds[None, :])
        self.squares = np.einsum("kd,kd->k", self.centres, self.centres)

    def projections(self, x) -> np.ndarray:
        """``x_p . c_k`` for every row and centre (n x 6)."""
        return np.asarray(x @ self.centres.T)

    def adjust(self, g: np.ndarray, x, y) -> None:
        """Turn ``g = x y'`` into the centred products in place."""
        rows = np.arange(g.shape[0])[:, None]
        cols = np.arange(g.shape[1])[None, :]
        g -= self.projections(x)[rows, self.index].astype(g.dtype)
        g -= self.projections(y)[cols, self.index].astype(g.dtype)
        g += self.squares[self.index].astype(g.dtype)


def gram(x, y, *, center: np.ndarray | FoldCentre | None = None, dtype: type = np.float64) -> np.ndarray:
    """Inner products ``x_p . y_q`` (n x n), optionally centred.

    Works on dense arrays and scipy sparse matrices without densifying the features; centring is
    applied algebraically: (x - c)(y - c)' = xy' - (xc)1' - 1(yc)' + c.c, with a
    :class:`FoldCentre` choosing ``c`` per pair of prompts.
    """
    n_x, n_y = x.shape[0], y.shape[0]
    out = np.empty((n_x, n_y), dtype=dtype)
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
