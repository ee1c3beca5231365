"""Combining feature families: weights for correlated families, and weighted means over them.

Each family's agreement is put in units of its sampling spread, and the families are combined
with weights proportional to R^-1 1, R their median correlation under resampling, so a block of strongly
correlated families (word, character and template n-grams) counts about once (method v3).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np


def family_weights(replicates: Sequence[np.ndarray], *, ridge: float = 0.05) -> np.ndarray:
    """One weight per family: the minimum-variance combination of the families' z-scores.

    ``replicates[f]`` is family f's agreement under resampling, shape (pairs..., draws) (NaN rows
    ignored): bootstrap replicates, or, as the analyses pass it since 0.3.10, each pair's per-unit
    contributions to the agreement, whose spread and correlations over units are the bootstrap's
    linear approximation up to a factor common to every family (and need no random draws).
    Families measure different quantities on different scales, so each is first put in units of
    its own sampling noise (its median SD over pairs). Correlated families (word, char
    and template n-grams largely see the same words) would then still count several times over,
    so the z-scores are combined with weights proportional to R^-1 1, R the families' median
    correlation over pairs (with a small ridge), clipped at 0 and renormalised: a block
    of near-duplicate families counts about as much as one independent family. The returned
    weights apply to the raw agreements (z-weights divided by each SD) and sum to 1. Families
    without a finite spread get 0; all families count equally when none has one.
    """
    k = len(replicates)
    if k == 0:
        return np.zeros(0)
    arrays = []
    for values in replicates:
        values = np.asarray(values, dtype=float)
        arrays.append(values.reshape(-1, values.shape[-1]) if values.size else np.zeros((0, 0)))
    spreads = np.array([_median_sd(a) for a in arrays])
    usable = np.isfinite(spreads) & (spreads > 0)
    if not usable.any():
        return np.full(k, 1.0 / k)
    index = np.flatnonzero(usable)
    correlation = np.eye(index.size)
    for x in range(index.size):
        for y in range(x + 1, index.size):
            correlation[x, y] = correlation[y, x] = _median_correlation(arrays[index[x]], arrays[index[y]])
    z_weights = np.linalg.solve(correlation + ridge * np.eye(index.size), np.ones(index.size))
    z_weights = np.clip(z_weights, 0.0, None)
    if z_weights.sum() <= 0:
        z_weights = np.ones(index.size)
    out = np.zeros(k)
    out[index] = z_weights / spreads[index]
    return out / out.sum()


def _median_sd(values: np.ndarray) -> float:
    if values.ndim != 2 or values.shape[1] < 2:
        return float("nan")
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_pair = np.nanstd(values, axis=1)
        # A spread at rounding level (1e-16 on values near 1) is no spread: counted as one it would
        # hand the family all the weight, and whether it is exactly 0 or not depends on rounding.
        tolerance = 1e-9 * np.nanmax(np.abs(values), axis=1) if values.shape[0] else per_pair
    per_pair = per_pair[np.isfinite(per_pair) & (per_pair > 0) & (per_pair > tolerance)]
    return float(np.median(per_pair)) if per_pair.size else float("nan")


def _median_correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Median over pairs (rows) of the correlation of two families' bootstrap replicates."""
    ok = np.all(np.isfinite(x), axis=1) & np.all(np.isfinite(y), axis=1)
    if not ok.any() or x.shape[1] < 3:
        return 0.0
    x, y = x[ok] - x[ok].mean(axis=1, keepdims=True), y[ok] - y[ok].mean(axis=1, keepdims=True)
    scale = np.sqrt((x * x).sum(axis=1) * (y * y).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(scale > 0, (x * y).sum(axis=1) / np.where(scale > 0, scale, 1.0), np.nan)
    values = values[np.isfinite(values)]
    return float(np.clip(np.median(values), -0.99, 0.99)) if values.size else 0.0


def weighted_over_families(arrays: Iterable[np.ndarray], weights: np.ndarray, *, resampled: bool = False) -> np.ndarray:
    """``sum_f w_f a_f`` over same-shaped arrays, the weights renormalised over the finite families
    of each cell (NaN where none is finite). Accumulated one family at a time (``arrays`` may be a
    generator), so a matrix's (models, models, prompts) arrays are never all held at once.

    ``resampled``: the last axis is (observed, resample 1, resample 2, ...). The families finite
    in the observed value then count in every resample of it, and a resample where one of them is
    undefined is undefined: else the interval would describe a mixture of family sets that the
    estimate is not (an estimate of −1.17 with an interval of −0.81 to 0.06 was seen)."""
    total = summed = None
    for w, a in zip(np.asarray(weights, dtype=float), arrays):
        a = np.asarray(a, dtype=float)
        finite = np.isfinite(a[..., :1]) if resampled else np.isfinite(a)
        if total is None:
            total, summed = np.zeros(a.shape), np.zeros(a.shape)
        total += w * finite
        if w:  # a family without weight adds nothing, not even a resample's NaN
            summed += w * np.where(finite, a, 0.0)
        del a, finite
    if total is None:
        raise ValueError("no families to combine")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, summed / np.where(total > 0, total, 1.0), np.nan)
