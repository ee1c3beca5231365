"""Calibration by simulation: the equality test's size and power, and bootstrap coverage.

Everything runs through the engine (similarity.anchor_similarity) with the resampling plans of
stats.resampling, on small generative models whose truth is known. Seeds are fixed, so the
tests are deterministic; the bands are 99% binomial bands, so a correct implementation fails
one of them for about 1 in 100 choices of seeds, while a wrong null (e.g. sign flips that do not
leave the statistic's distribution unchanged, or a p-value without the +1) is far outside.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.stats

from stylesim.similarity import anchor_similarity
from stylesim.stats import moments, resampling

ALPHA = 0.05
N_PROMPTS = 40
DIMS = 20
B = 199  # alpha * (B + 1) is an integer, so the randomization test has size exactly alpha


def _binomial_band(reps: int, rate: float, coverage: float = 0.99) -> tuple[float, float]:
    tail = (1 - coverage) / 2
    low = scipy.stats.binom.ppf(tail, reps, rate)
    high = scipy.stats.binom.ppf(1 - tail, reps, rate)
    return low / reps, high / reps


def _paired_data(rng: np.random.Generator, *, shift: float = 0.0, heavy: bool = False):  # noqa: ANN202
    """For each prompt a random mean m_p; A's and B's answers are m_p + noise (B + shift).

    With ``heavy``, noise is Student-t (3 df) with a noise scale that varies by prompt: the
    sign-flip null only needs A's and B's answers to be exchangeable within a prompt."""
    m = rng.normal(scale=2.0, size=(N_PROMPTS, DIMS))
    if heavy:
        scale = rng.uniform(0.3, 3.0, size=(N_PROMPTS, 1))
        x = m + scale * rng.standard_t(3, size=(N_PROMPTS, DIMS))
        y = m + scale * rng.standard_t(3, size=(N_PROMPTS, DIMS)) + shift
    else:
        x = m + rng.normal(size=(N_PROMPTS, DIMS))
        y = m + rng.normal(size=(N_PROMPTS, DIMS)) + shift
    return x, y


def _equality_pvalues(reps: int, seed: int, **kwargs) -> np.ndarray:  # noqa: ANN003
    ones = np.ones((1, N_PROMPTS))
    pvalues = np.empty(reps)
    for r in range(reps):
        rng = np.random.default_rng([seed, r])
        x, y = _paired_data(rng, **kwargs)
        signs = resampling.sign_flips(N_PROMPTS, B, rng)
        observed, null = anchor_similarity([x, y], ones, signs=signs).equality
        pvalues[r] = resampling.permutation_pvalue(observed, null)
    return pvalues


@pytest.mark.parametrize("heavy", [False, True])
def test_equality_test_size_under_the_null(heavy: bool) -> None:
    reps = 2000
    pvalues = _equality_pvalues(reps, seed=11 if heavy else 10, heavy=heavy)
    assert np.all((pvalues > 0) & (pvalues <= 1))
    for alpha in (ALPHA, 0.10):
        low, high = _binomial_band(reps, alpha)
        rate = float(np.mean(pvalues <= alpha))
        assert low <= rate <= high, (alpha, rate, (low, high))


def test_equality_test_power_under_a_mean_shift() -> None:
    """|shift|^2 = 20 * 0.3^2 = 1.8; the null SD of the unnormalised MMD^2 is about
    sqrt(2 * 4 d / (n(n-1))) = 0.32. (The statistic divides both by the mean squared difference,
    about 2 d + 1.8, the same for every sign flip, so the ratio and the p-values are unchanged.)"""
    reps = 200
    pvalues = _equality_pvalues(reps, seed=12, shift=0.3)
    assert np.mean(pvalues <= ALPHA) > 0.80


def test_equality_test_power_grows_with_the_shift() -> None:
    reps = 100
    small = np.mean(_equality_pvalues(reps, seed=13, shift=0.1) <= ALPHA)
    large = np.mean(_equality_pvalues(reps, seed=13, shift=0.25) <= ALPHA)
    assert small < large


def test_bootstrap_percentile_interval_coverage_for_cross_similarity() -> None:
    """Cluster bootstrap over prompts, percentile 90% interval for C_xy.

    Model: x_p = mu_x + u_p + e_xp, y_p = mu_y + u_p + e_yp, with a prompt effect u_p shared by
    the two models and i.i.d. across prompts, so for p != q, E<x_p, y_q> = <mu_x, mu_y> (the
    truth) and C_xy is an unbiased, non-degenerate U-statistic. The percentile bootstrap is only
    first-order accurate (no bias or skewness correction, n = 40 clusters), so coverage may be a
    few points off 90%: the band is a loose 0.80-0.97 rather than a binomial band around 0.90."""
    n, d, reps, resamples, level = 40, 10, 500, 499, 0.90
    mu_x = np.linspace(0.2, 1.0, d)
    mu_y = mu_x[::-1].copy()
    truth = float(mu_x @ mu_y)
    covered = 0
    ones = np.ones(n)
    for r in range(reps):
        rng = np.random.default_rng([20, r])
        u = rng.normal(scale=0.5, size=(n, d))
        x = mu_x + u + rng.normal(size=(n, d))
        y = mu_y + u + rng.normal(size=(n, d))
        weights = np.vstack([ones, resampling.bootstrap_weights(n, resamples, rng)])
        sim = anchor_similarity([x, y], weights)
        estimate, distribution = sim.cross[1][0], sim.cross[1][1:]
        low, high = resampling.percentile_interval(distribution, level)
        assert low <= estimate <= high
        covered += low <= truth <= high
    coverage = covered / reps
    assert 0.80 <= coverage <= 0.97, coverage


def test_cross_similarity_is_unbiased() -> None:
    """The U-statistic leaves out same-prompt pairs, so the shared prompt effect adds nothing."""
    n, d, reps = 30, 5, 400
    mu_x, mu_y = np.full(d, 0.5), np.linspace(-1, 1, d) + 0.3
    truth = float(mu_x @ mu_y)
    values = []
    for r in range(reps):
        rng = np.random.default_rng([21, r])
        u = rng.normal(scale=2.0, size=(n, d))  # a large shared topic effect
        x = mu_x + u + rng.normal(size=(n, d))
        y = mu_y + u + rng.normal(size=(n, d))
        values.append(moments.weighted_u_means(moments.gram(x, y), np.ones(n))[0])
    assert abs(np.mean(values) - truth) < 4 * np.std(values) / np.sqrt(reps)
    # The same-prompt pairs alone are biased upwards by E|u|^2 = 4 d.
    assert np.mean(values) < truth + 0.5


def test_equality_size_with_sparse_features_and_fold_centring() -> None:
    """Centring cancels in the MMD^2 statistic, and sparse inputs give the same numbers."""
    reps = 300
    rng0 = np.random.default_rng(30)
    rejections = 0
    ones = np.ones((1, N_PROMPTS))
    for r in range(reps):
        rng = np.random.default_rng([30, r])
        x, y = _paired_data(rng)
        x[np.abs(x) < 1.0] = 0.0
        y[np.abs(y) < 1.0] = 0.0
        signs = resampling.sign_flips(N_PROMPTS, B, rng)
        centre = moments.FoldCentre([x, y], rng0)
        sparse = [sp.csr_matrix(x), sp.csr_matrix(y)]
        observed, null = anchor_similarity(sparse, ones, signs=signs, center=centre).equality
        plain_observed, plain_null = anchor_similarity([x, y], ones, signs=signs).equality
        assert observed == pytest.approx(plain_observed, rel=1e-8, abs=1e-10)
        np.testing.assert_allclose(null, plain_null, rtol=1e-8, atol=1e-10)
        rejections += resampling.permutation_pvalue(observed, null) <= ALPHA
    low, high = _binomial_band(reps, ALPHA)
    assert low <= rejections / reps <= high
