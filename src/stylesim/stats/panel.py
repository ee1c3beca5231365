"""Panel statistics: where a candidate ranks among reference models, and multiplicity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def rank_among(observed: float, panel: Sequence[float]) -> tuple[int, float]:
    """Rank (1 = closest) of ``observed`` among ``panel`` values and its exact p-value.

    If the candidate were just one more exchangeable member of the panel, its rank among the
    k + 1 models would be uniform, so ``p = (1 + #{panel >= observed}) / (k + 1)``. Values within
    :data:`TIE_TOLERANCE` (relative) of ``observed`` count as ties, so that rounding in the last
    bits cannot decide a rank. With no finite panel value there is nothing to rank against and the
    p-value is NaN (a p of 1 would read as a measurement).
    """
    values = np.asarray(panel, dtype=float)
    values = values[np.isfinite(values)]
    if not np.isfinite(observed):
        return values.size + 1, float("nan")
    at_least = sum(at_least_as_close(values, observed))
    if values.size == 0:
        return 1, float("nan")
    return at_least + 1, (at_least + 1) / (values.size + 1)


def at_least_as_close(panel: Sequence[float], observed: float) -> list[bool]:
    """For each panel value, whether it counts as at least as close as ``observed`` in
    :func:`rank_among`: finite and not below it by more than :data:`TIE_TOLERANCE` (relative).
    Nothing is at least as close as a non-finite ``observed``."""
    if not np.isfinite(observed):
        return [False] * len(panel)
    floor = observed - tie_tolerance(observed)
    return [bool(np.isfinite(v) and v >= floor) for v in np.asarray(panel, dtype=float)]


# Two statistics closer than this (relative to their size, at least 1) are the same value: sums
# over prompts computed along different paths differ in the last bits (~1e-13), real differences
# in agreement or t are many orders larger.
TIE_TOLERANCE = 1e-9


def tie_tolerance(value: float | np.ndarray) -> float | np.ndarray:
    """The absolute margin within which a statistic ties ``value`` (see :data:`TIE_TOLERANCE`)."""
    return TIE_TOLERANCE * np.maximum(1.0, np.abs(value))


def median_over_models(values: np.ndarray) -> np.ndarray:
    """Median over models (axis 0), NaNs ignored; NaN without a warning where every model is NaN
    (a resample, or a panel, without any score)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(np.asarray(values, dtype=float), axis=0)


def closeness_index(
    similarity: np.ndarray, panel_median: np.ndarray, ceiling: np.ndarray | float = 1.0
) -> np.ndarray:
    """(sim(A,B) - panel median) / (ceiling - panel median): 0 = typical panel model, 1 = self."""
    similarity = np.asarray(similarity, dtype=float)
    panel_median = np.asarray(panel_median, dtype=float)
    ceiling = np.asarray(ceiling, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (similarity - panel_median) / (ceiling - panel_median)


def index_interval(similarity: np.ndarray, panel_median: np.ndarray, ceiling: np.ndarray | float,
                   level: float = 0.95) -> tuple[float, float, float]:
    """The closeness index and its percentile interval over the bootstrap rows (row 0 observed).

    The index is a ratio; where the ceiling is not clearly above the panel median (its margin
    ``ceiling - median`` is <= 0 in more than the interval's tail share of resamples) the ratio
    explodes and the interval is meaningless (-1.6 to 2.7 was seen), so its bounds are NaN; where
    the observed margin is not positive the index itself is NaN.
    """
    from .resampling import percentile_interval

    index = closeness_index(similarity, panel_median, ceiling)
    margin = np.broadcast_to(np.asarray(ceiling, dtype=float) - np.asarray(panel_median, dtype=float), index.shape)
    if not margin.flat[0] > 0:
        # A ceiling at or below the panel median turns the ratio's meaning round (0.20 against a
        # median of 0.30 and a ceiling of 0.25 read 2.0, "twice as close as itself"): no index.
        return float("nan"), float("nan"), float("nan")
    tail = (1.0 - level) / 2.0
    unstable = np.mean(~(margin[1:] > 0)) > tail if margin.size > 1 else True
    low, high = (float("nan"), float("nan")) if unstable else percentile_interval(index[1:], level)
    return float(index[0]), low, high


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (NaNs stay NaN and do not count)."""
    p = np.asarray(pvalues, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    finite = np.flatnonzero(np.isfinite(p))
    m = finite.size
    order = finite[np.argsort(p[finite], kind="stable")]
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[index]))
        adjusted[index] = running
    return adjusted.tolist()
