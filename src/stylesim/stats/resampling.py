"""Resampling plans: cluster-bootstrap weights over prompts and within-prompt sign flips."""

from __future__ import annotations

import numpy as np


def as_rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    """Normalise a seed or generator, as scipy.stats does with its ``rng`` argument."""
    return np.random.default_rng(seed)


def n_units(n: int, groups: np.ndarray | None) -> int:
    """How many resampling units n prompts form: n, or the number of groups (numbered 0..G-1).

    Raises ValueError when ``groups`` does not number n prompts' units 0..G-1 with none empty
    (an empty unit would be drawn, flipped and counted as if it held a prompt)."""
    if groups is None:
        return n
    groups = np.asarray(groups)
    if groups.shape != (n,) or groups.dtype.kind not in "iu" or groups.min() < 0:
        raise ValueError(f"groups must be {n} unit numbers 0..G-1")
    size = int(groups.max()) + 1
    if np.count_nonzero(np.bincount(groups, minlength=size)) != size:
        raise ValueError("groups must use every unit number 0..G-1")
    return size


def bootstrap_weights(n: int, n_resamples: int, rng: np.random.Generator,
                      groups: np.ndarray | None = None) -> np.ndarray:
    """Prompt counts for ``n_resamples`` cluster-bootstrap resamples (rows sum to ``n`` without groups).

    ``groups`` (n,) numbers each prompt's resampling unit 0..G-1 (variants of one prompt): then G
    units are drawn with replacement and every prompt of a unit gets the unit's count.
    """
    if groups is None:
        return rng.multinomial(n, np.full(n, 1.0 / n), size=n_resamples).astype(np.float64)
    size = n_units(n, groups)
    counts = rng.multinomial(size, np.full(size, 1.0 / size), size=n_resamples).astype(np.float64)
    return counts[:, groups]


def sign_flips(n: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Random +-1 per prompt (or per unit, with n units): swap the two models' answers to that
    prompt where -1 (int8: one byte per entry; consumers cast blocks as they go)."""
    return rng.choice(np.array([-1, 1], dtype=np.int8), size=(n_resamples, n))


def group_sums(values: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """Per-prompt values (..., n) summed over each resampling unit: (..., G); unchanged without groups.

    Tests and studentised sums over prompts that share a unit must treat the unit's sum as one
    observation: its prompts are not independent of each other.
    """
    if groups is None:
        return values
    values = np.asarray(values, dtype=float)
    size = n_units(values.shape[-1], groups)
    out = np.zeros((*values.shape[:-1], size))
    np.add.at(out, (..., groups), np.nan_to_num(values, nan=0.0))
    return out


def unit_weights(weights: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """Per-prompt bootstrap weights (..., n) as per-unit weights (..., G): a unit's count is the
    count every prompt of it carries (see :func:`bootstrap_weights`); unchanged without groups."""
    if groups is None:
        return weights
    _, first = np.unique(groups, return_index=True)
    return weights[..., first]


def all_sign_flips(n: int) -> np.ndarray:
    """Every +-1 vector of length ``n`` (2^n rows), for exact enumeration on tiny cases."""
    grid = ((np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1).astype(float)
    return 1.0 - 2.0 * grid


def expanded_level(level: float, units: int) -> float:
    """The marginal level at which a bootstrap percentile interval over ``units`` resampled units
    covers about ``level``: Hesterberg's expanded percentile interval (The American Statistician
    69, 2015), which widens the tails to undo the bootstrap's narrowness with few units:
    ``1 - 2 Phi(-sqrt(n / (n - 1)) t_{n-1, (1 + level) / 2})``. At 95%: 0.998 with 5 units,
    0.983 with 10, 0.968 with 20, 0.960 with 40, 0.9505 with 805. Unchanged below 2 units."""
    if units < 2:
        return level
    from scipy.special import ndtr, stdtrit

    z = np.sqrt(units / (units - 1.0)) * stdtrit(units - 1, (1.0 + level) / 2.0)
    return float(1.0 - 2.0 * ndtr(-z))


def too_often_undefined(distribution: np.ndarray, level: float = 0.95) -> bool:
    """Whether more than an interval's tail share, (1 - level) / 2, of a bootstrap distribution is
    undefined (NaN or infinite): a ratio whose denominator is not clearly away from 0. Its defined
    resamples are then a selected part of the distribution, and a percentile interval over them can
    miss the estimate altogether (0.32 to 10.39 around 10.49 was seen), so none is given."""
    values = np.asarray(distribution, dtype=float)
    return values.size == 0 or np.count_nonzero(~np.isfinite(values)) > (1.0 - level) / 2.0 * values.size


def percentile_interval(distribution: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The equal-tailed percentile interval of a bootstrap distribution; NaN where it is too often
    undefined (:func:`too_often_undefined`), else over its defined resamples."""
    distribution = np.asarray(distribution, dtype=float)
    if too_often_undefined(distribution, level):
        return (float("nan"), float("nan"))
    finite = distribution[np.isfinite(distribution)]
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(finite, [tail, 1.0 - tail])
    return (float(low), float(high))


def simultaneous_intervals(distributions: np.ndarray, level: float = 0.95) -> list[tuple[float, float]]:
    """Percentile intervals for several bootstrap distributions (rows) that hold together.

    Every row gets the equal-tailed percentile interval at one common marginal level, the
    smallest at which, in ``level`` of the resamples (columns), every row's value lies inside its
    own interval at once: a simultaneous band (as Mandel & Betensky 2008 build one from the
    bootstrap). An interval reported for one row *picked* from the others by its data (the top
    candidate, a nearest neighbour) then still covers at about ``level``, which a marginal one
    does not. A row too often undefined (:func:`too_often_undefined`) gets NaN; NaN entries count as inside. One row gets the
    plain :func:`percentile_interval`, and no row's interval is narrower than that.
    """
    rows = np.atleast_2d(np.asarray(distributions, dtype=float))
    if rows.shape[0] == 1:
        return [percentile_interval(rows[0], level)]
    rows = np.where(np.isfinite(rows), rows, np.nan)  # +-inf are ignored, as percentile_interval does
    # A row too often undefined gets no interval (as in percentile_interval) and counts as inside.
    rows[[too_often_undefined(row, level) for row in rows]] = np.nan
    finite = np.isfinite(rows)
    ordered = np.sort(rows, axis=1)  # NaN last
    counts = finite.sum(axis=1)
    usable = counts > 0
    index = np.arange(rows.shape[0])

    def quantile(q: float) -> np.ndarray:  # each row's q-quantile, np.quantile's default (linear) rule
        position = q * np.maximum(counts - 1, 0)
        below = np.floor(position).astype(int)
        above = np.minimum(below + 1, np.maximum(counts - 1, 0))
        low, high = ordered[index, below], ordered[index, above]
        value = low + (position - below) * (high - low)
        return np.where(usable, np.where(high == low, low, value), np.nan)

    def bounds(tail: float) -> np.ndarray:  # (rows, 2)
        return np.stack([quantile(tail), quantile(1.0 - tail)], axis=1)

    def coverage(tail: float) -> float:
        b = bounds(tail)
        inside = ~finite | ((rows >= b[:, :1]) & (rows <= b[:, 1:]))
        inside[~np.isfinite(b[:, 0])] = True
        return float(np.mean(inside.all(axis=0)))

    low, high = 0.0, (1.0 - level) / 2.0  # tails: 0 covers every resample, high the marginal level
    if coverage(high) < level:
        for _ in range(16):  # the tail to within 4e-7, far finer than 1 / resamples
            middle = (low + high) / 2.0
            low, high = (middle, high) if coverage(middle) >= level else (low, middle)
        high = low
    return [(float(a), float(b)) for a, b in bounds(high)]


def permutation_pvalue(observed: float, null: np.ndarray) -> float:
    """(1 + #{T* >= T}) / (B + 1): never zero (Phipson & Smyth 2010)."""
    if not np.isfinite(observed):
        return float("nan")
    null = null[np.isfinite(null)]
    # A relative tolerance keeps ties from floating-point noise counted as ties.
    tolerance = 1e-12 * max(1.0, abs(observed))
    return float((1 + np.count_nonzero(null >= observed - tolerance)) / (null.size + 1))


def permutation_floor(permutations: object) -> float | None:
    """The smallest p-value a permutation or sign-flip test of B draws can give, 1 / (B + 1); None
    without a positive B."""
    if isinstance(permutations, bool) or not isinstance(permutations, (int, float)) or permutations <= 0:
        return None
    return 1 / (permutations + 1)


def p_text(value: float) -> str:
    """A p-value's number as every output prints it (verdicts, terminal lines, report tables):
    3 significant digits (``0.167``, the floor of 5 panel models, not ``0.17``, which reads as below
    it), 2 below 0.001 (``0.0005`` for 1/2001), and ``1.2e-5`` below 0.0001; "n/a" for NaN."""
    if value != value or value in (float("inf"), float("-inf")):
        return "n/a"
    if value >= 1e-3 or value == 0:
        return f"{value:.3g}"
    if value >= 1e-4:
        return f"{value:.2g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def at_floor(pvalue: float | None, floor: float | None) -> bool:
    """Whether a p-value read from a result is the smallest possible: results round p to 6 digits,
    so 1/6 is stored as 0.166667 and 1/2001 as 0.0005, above the exact floor. A missing p-value
    (None or NaN: no finite statistic) is not at the floor."""
    if pvalue is None or floor is None or not (pvalue == pvalue and floor == floor):
        return False
    return pvalue <= floor + 1e-6
