"""stylesim.stats.resampling: resampling plans, percentile intervals and permutation p-values,
checked against brute force and against scipy.stats."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stylesim.similarity import anchor_similarity
from stylesim.stats import moments, resampling

SETTINGS = settings(max_examples=60, deadline=None)


# ---------------------------------------------------------------------------------------------
# plans
# ---------------------------------------------------------------------------------------------


def test_as_rng_seed_and_generator() -> None:
    a = resampling.as_rng(42).random(5)
    b = resampling.as_rng(42).random(5)
    np.testing.assert_array_equal(a, b)
    generator = np.random.default_rng(1)
    assert resampling.as_rng(generator) is generator
    assert isinstance(resampling.as_rng(None), np.random.Generator)


def test_bootstrap_weights() -> None:
    rng = np.random.default_rng(0)
    n, b = 17, 2000
    w = resampling.bootstrap_weights(n, b, rng)
    assert w.shape == (b, n)
    assert w.dtype == np.float64
    np.testing.assert_array_equal(w.sum(axis=1), np.full(b, n))
    assert np.all(w >= 0)
    np.testing.assert_array_equal(w, np.round(w))
    # Multinomial(n, 1/n): every count has mean 1 and variance 1 - 1/n.
    assert abs(w.mean() - 1.0) < 1e-12  # rows sum to n exactly
    assert abs(w.var(axis=0).mean() - (1 - 1 / n)) < 0.05
    # Reproducible from the seed.
    np.testing.assert_array_equal(
        resampling.bootstrap_weights(n, 10, np.random.default_rng(5)),
        resampling.bootstrap_weights(n, 10, np.random.default_rng(5)),
    )


def test_sign_flips() -> None:
    rng = np.random.default_rng(0)
    s = resampling.sign_flips(13, 4000, rng)
    assert s.shape == (4000, 13)
    assert set(np.unique(s).tolist()) == {-1.0, 1.0}
    # Fair coins, independent across prompts.
    assert abs(s.mean()) < 0.03
    corr = np.corrcoef(s.T)
    assert np.abs(corr[~np.eye(13, dtype=bool)]).max() < 0.08


@pytest.mark.parametrize("n", [1, 3, 8])
def test_all_sign_flips(n: int) -> None:
    s = resampling.all_sign_flips(n)
    assert s.shape == (2**n, n)
    assert set(np.unique(s).tolist()) <= {-1.0, 1.0}
    assert len({tuple(row) for row in s}) == 2**n  # every vector exactly once
    np.testing.assert_array_equal(s[0], np.ones(n))  # the identity comes first
    # Closed under a global flip (the mirror of every row is present).
    rows = {tuple(row) for row in s}
    assert all(tuple(-np.array(row)) in rows for row in rows)


# ---------------------------------------------------------------------------------------------
# percentile_interval
# ---------------------------------------------------------------------------------------------


def test_percentile_interval_hand_values() -> None:
    values = np.arange(101.0)  # quantiles equal to percentages
    assert resampling.percentile_interval(values, 0.90) == pytest.approx((5.0, 95.0))
    assert resampling.percentile_interval(values, 0.95) == pytest.approx((2.5, 97.5))
    with_nans = np.concatenate([values, [np.nan, np.inf, -np.inf]])
    assert resampling.percentile_interval(with_nans, 0.90) == pytest.approx((5.0, 95.0))
    low, high = resampling.percentile_interval(np.array([np.nan, np.nan]))
    assert np.isnan(low) and np.isnan(high)


@pytest.mark.parametrize("level", [0.9, 0.95])
def test_percentile_interval_matches_scipy_bootstrap_on_same_distribution(level: float) -> None:
    """On scipy's own bootstrap distribution our interval is scipy's percentile interval."""
    rng = np.random.default_rng(0)
    data = rng.exponential(size=40)
    res = scipy.stats.bootstrap((data,), np.mean, method="percentile", confidence_level=level,
                                n_resamples=999, rng=np.random.default_rng(1))
    low, high = resampling.percentile_interval(res.bootstrap_distribution, level)
    assert low == pytest.approx(res.confidence_interval.low, rel=1e-10)
    assert high == pytest.approx(res.confidence_interval.high, rel=1e-10)


def test_percentile_interval_coverage_of_a_mean() -> None:
    """Cluster-bootstrap weights + percentile interval for a plain mean: the 90% interval
    contains the estimate and covers the true mean in roughly 90% of repetitions."""
    rng = np.random.default_rng(2024)
    n, b, reps, level = 30, 499, 300, 0.90
    covered = 0
    for _ in range(reps):
        data = rng.normal(loc=2.0, size=n)
        weights = resampling.bootstrap_weights(n, b, rng)
        low, high = resampling.percentile_interval(weights @ data / n, level)
        assert low <= data.mean() <= high
        covered += low <= 2.0 <= high
    assert 0.82 <= covered / reps <= 0.96


@given(hnp.arrays(np.float64, st.integers(1, 60),
                  elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)),
       st.floats(0.5, 0.99))
@SETTINGS
def test_percentile_interval_ordered_within_range(values: np.ndarray, level: float) -> None:
    low, high = resampling.percentile_interval(values, level)
    assert values.min() <= low <= high <= values.max()


# ---------------------------------------------------------------------------------------------
# permutation_pvalue
# ---------------------------------------------------------------------------------------------


def test_permutation_pvalue_convention() -> None:
    null = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    assert resampling.permutation_pvalue(100.0, null) == pytest.approx(1 / 11)  # never zero
    assert resampling.permutation_pvalue(-100.0, null) == pytest.approx(1.0)
    assert resampling.permutation_pvalue(7.0, null) == pytest.approx((1 + 3) / 11)  # ties count
    assert resampling.permutation_pvalue(6.5, null) == pytest.approx((1 + 3) / 11)
    # Non-finite null values are dropped (B shrinks); a non-finite observation gives NaN.
    with_nan = np.concatenate([null, [np.nan, np.nan]])
    assert resampling.permutation_pvalue(7.0, with_nan) == pytest.approx(4 / 11)
    assert np.isnan(resampling.permutation_pvalue(np.nan, null))
    # A floating-point hair below the observed value still counts as a tie.
    assert resampling.permutation_pvalue(0.3, np.array([0.1 + 0.2])) == pytest.approx(1.0)


@given(st.floats(-1e3, 1e3, allow_nan=False),
       hnp.arrays(np.float64, st.integers(1, 300), elements=st.floats(-1e3, 1e3)))
@SETTINGS
def test_permutation_pvalue_bounds(observed: float, null: np.ndarray) -> None:
    p = resampling.permutation_pvalue(observed, null)
    assert 1 / (null.size + 1) <= p <= 1.0
    # The value is a count over B + 1.
    count = p * (null.size + 1)
    assert count == pytest.approx(round(count))
    # Monotone: a larger observed statistic never has a larger p-value.
    assert resampling.permutation_pvalue(observed + 1.0, null) <= p


@pytest.mark.parametrize("n", [8, 10, 12])
@pytest.mark.parametrize("shift", [0.0, 0.4, 1.0])
def test_exact_sign_flip_pvalue_matches_scipy_permutation_test(n: int, shift: float) -> None:
    """One-dimensional features: H = d d' with d_p = x_p - y_p, so the equality statistic (the
    linear-kernel MMD^2 over the mean squared difference) is
    ((sum s_p d_p)^2 - sum d_p^2) / ((n - 1) sum d_p^2), an increasing function of |sum s_p d_p|
    (sum d_p^2 is the same for every sign vector). Our test
    is therefore the two-sided sign-flip test of d with statistic sum(d), which is what
    scipy.stats.permutation_test(permutation_type='samples') does for one sample.

    With exact enumeration (n_resamples=inf) scipy returns p_scipy = #{|S*| >= |S|} / 2^n (the
    identity is among the 2^n; two-sided = 2 * min of the one-sided p's, equal by symmetry of
    the sign-flip null). permutation_pvalue over the same 2^n flips adds the observed once more:
    p_ours = (1 + 2^n * p_scipy) / (2^n + 1)."""
    rng = np.random.default_rng(100 * n + int(10 * shift))
    x = rng.normal(size=n) + shift
    y = rng.normal(size=n)
    d = x - y
    res = scipy.stats.permutation_test((d,), np.sum, permutation_type="samples",
                                       n_resamples=np.inf, alternative="two-sided")
    flips = resampling.all_sign_flips(n)
    sim = anchor_similarity([x[:, None], y[:, None]], np.ones((1, n)), signs=flips)
    observed, null = sim.equality
    closed = (d.sum() ** 2 - np.sum(d**2)) / ((n - 1) * np.sum(d**2))
    assert observed == pytest.approx(closed, rel=1e-9, abs=1e-12)
    flipped = np.array([(s @ d) ** 2 - np.sum(d**2) for s in flips]) / ((n - 1) * np.sum(d**2))
    np.testing.assert_allclose(null, flipped, rtol=1e-9, atol=1e-12)
    ours = resampling.permutation_pvalue(observed, null)
    assert ours == pytest.approx((1 + 2**n * res.pvalue) / (2**n + 1), rel=1e-12)
    assert abs(ours - res.pvalue) <= 1 / (2**n + 1)


# ---------------------------------------------------------------------------------------------
# Scale invariance of the equality test (floating-point ties)
# ---------------------------------------------------------------------------------------------


def _one_prompt_differs(seed: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """A and B answer 39 of 40 prompts identically. With one nonzero d_p, |sum s_p d_p|^2 =
    |d_p|^2 for every sign vector, so every T* equals T exactly (= 0): the p-value must be 1."""
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(40, 20)) + 3.0) * scale
    y = x.copy()
    y[0] += rng.normal(size=20) * scale
    return x, y


def _equality_pvalue(x: np.ndarray, y: np.ndarray, seed: int) -> float:
    signs = resampling.sign_flips(x.shape[0], 199, np.random.default_rng(seed))
    observed, null = anchor_similarity([x, y], np.ones((1, x.shape[0])), signs=signs).equality
    return resampling.permutation_pvalue(observed, null)


@pytest.mark.parametrize("seed", range(5))
def test_mathematical_ties_count_as_ties_at_unit_scale(seed: int) -> None:
    x, y = _one_prompt_differs(seed, 1.0)
    assert _equality_pvalue(x, y, seed) == 1.0


@pytest.mark.parametrize("seed", range(5))
def test_equality_pvalue_is_invariant_to_feature_scale(seed: int) -> None:
    """Scaling every feature by c > 0 cannot change p: the statistic is scale-free, and ties
    from prompts answered identically are exact zeros in H at any scale."""
    x, y = _one_prompt_differs(seed, 1.0)
    for scale in (1e-7, 1e3, 1e8):
        assert _equality_pvalue(x * scale, y * scale, seed) == 1.0
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(40, 5))
    y = rng.normal(size=(40, 5)) + 1.0  # a strong shift: p = 1/200 at unit scale
    weak = rng.normal(size=(40, 5)) + 0.15  # a weak one: p well inside (0, 1)
    assert _equality_pvalue(x, y, seed) == 1 / 200
    p_weak = _equality_pvalue(x, weak, seed)
    assert 1 / 200 < p_weak < 1
    for scale in (1e-7, 1e3, 1e8):
        assert _equality_pvalue(x * scale, y * scale, seed) == 1 / 200
        assert _equality_pvalue(x * scale, weak * scale, seed) == p_weak


def test_sign_flip_statistics_are_scale_invariant() -> None:
    """The statistic is divided by the mean squared per-prompt difference, so scaling the
    features by c leaves every value unchanged (up to rounding), while the unnormalised MMD^2
    would scale by c^2."""
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(12, 4)), rng.normal(size=(12, 4)) + 0.3
    signs = resampling.sign_flips(12, 50, rng)

    def stats(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return moments.sign_flip_statistics(moments.gram(a - b, a - b), signs)

    base = stats(x, y)
    assert np.ptp(base) > 0.1 and np.all(np.abs(base) <= 1)
    for scale in (1e-7, 10.0, 1e6):
        np.testing.assert_allclose(stats(x * scale, y * scale), base, rtol=1e-9, atol=1e-12)


def test_at_floor_reads_rounded_p_values_and_treats_a_missing_one_as_not_at_the_floor() -> None:
    assert resampling.at_floor(0.166667, 1 / 6) and resampling.at_floor(0.0005, 1 / 2001)
    assert not resampling.at_floor(0.17, 1 / 6)
    assert not resampling.at_floor(None, 1 / 6) and not resampling.at_floor(float("nan"), 1 / 6)
    assert not resampling.at_floor(0.1, None)


def test_simultaneous_intervals_cover_together_and_reduce_to_the_marginal_one() -> None:
    from stylesim.stats.resampling import percentile_interval, simultaneous_intervals

    rng = np.random.default_rng(3)
    rows = rng.normal(size=(5, 2000))
    bands = simultaneous_intervals(rows, 0.95)
    inside = np.all([(r >= lo) & (r <= hi) for r, (lo, hi) in zip(rows, bands)], axis=0)
    assert 0.945 <= inside.mean() <= 0.96  # together, at the level asked for
    for r, (lo, hi) in zip(rows, bands):
        marginal = percentile_interval(r, 0.95)
        assert lo < marginal[0] and hi > marginal[1]  # each wider than alone
        assert 2.3 < -lo < 2.9 and 2.3 < hi < 2.9  # about the Sidak bound for 5 independent rows (2.57)
    assert simultaneous_intervals(rows[:1], 0.95) == [percentile_interval(rows[0], 0.95)]
    # Rows that move together need no widening.
    same = simultaneous_intervals(np.vstack([rows[0], rows[0] + 1.0]), 0.95)
    assert same[0] == pytest.approx(percentile_interval(rows[0], 0.95))
    # A row without finite values gets NaN and does not hold the others back; NaN entries count as inside.
    rows[1, :10] = np.nan
    mixed = simultaneous_intervals(np.vstack([rows[:2], np.full((1, 2000), np.nan)]), 0.95)
    assert np.isnan(mixed[2][0]) and np.isnan(mixed[2][1]) and np.isfinite(mixed[1][0])
    # Infinite values are ignored, as percentile_interval ignores them.
    infinite = rows[:2].copy()
    infinite[0, 5], infinite[1, 7] = -np.inf, np.inf
    plain = simultaneous_intervals(np.where(np.isfinite(infinite), infinite, np.nan), 0.95)
    assert simultaneous_intervals(infinite, 0.95) == plain and np.all(np.isfinite(plain))


def test_an_interval_is_not_given_when_too_many_resamples_are_undefined() -> None:
    """More than the tail share (2.5% at 95%) of undefined resamples: the defined ones are a
    selected part of the distribution, so no interval (up to 0.3.13 the NaNs were dropped)."""
    values = np.linspace(0.0, 1.0, 200)
    few = values.copy()
    few[:5] = np.nan  # 2.5%: still given
    assert np.all(np.isfinite(resampling.percentile_interval(few, 0.95)))
    many = values.copy()
    many[:6] = np.nan
    assert np.all(np.isnan(resampling.percentile_interval(many, 0.95)))
    assert np.all(np.isfinite(resampling.percentile_interval(many, 0.80)))  # 10% tails allow 20
    rows = np.vstack([values, many, values[::-1]])
    together = resampling.simultaneous_intervals(rows, 0.95)
    assert np.all(np.isnan(together[1])) and np.all(np.isfinite(together[0])) and np.all(np.isfinite(together[2]))


@pytest.mark.parametrize(("units", "expected"), [(5, 0.9981), (10, 0.9829), (20, 0.9682), (40, 0.9595), (805, 0.9505)])
def test_expanded_level_is_hesterbergs(units: int, expected: float) -> None:
    """The expanded percentile level, against scipy.stats written out (a mutation audit found that
    dropping the sqrt(n / (n - 1)) factor passed every test that only asked for a wider level)."""
    level = resampling.expanded_level(0.95, units)
    by_hand = 1 - 2 * scipy.stats.norm.cdf(-np.sqrt(units / (units - 1)) * scipy.stats.t.ppf(0.975, units - 1))
    assert level == pytest.approx(by_hand, abs=1e-12)
    assert level == pytest.approx(expected, abs=1e-4)
    assert resampling.expanded_level(0.95, 1) == 0.95
