"""Variants of one prompt (EQ-Bench's seeded iterations, a JSONL ``prompt_group``) are one
resampling unit: bootstrap draws, sign flips, studentised sums and folds take whole groups."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from stylesim.same_prompt import SampleNorms, combine_agreements, pairwise_agreement
from stylesim.stats import agreement as agreement_stats
from stylesim.stats import resampling
from stylesim.stats.classifier import classifier_two_sample_test

GROUPS = np.repeat(np.arange(20), 3)  # 20 prompts, three variants each, listed together


def test_bootstrap_draws_whole_groups() -> None:
    groups = np.random.default_rng(0).permutation(GROUPS)  # members need not be adjacent
    weights = resampling.bootstrap_weights(len(groups), 50, np.random.default_rng(1), groups)
    for g in range(20):
        members = weights[:, groups == g]
        assert np.all(members == members[:, :1])
    assert np.all(weights.sum(axis=1) == 60)  # 20 groups drawn, three prompts each
    # Without groups the draw is the plain multinomial over prompts, as before groups existed.
    plain = np.random.default_rng(1).multinomial(60, np.full(60, 1 / 60), size=50)
    np.testing.assert_array_equal(plain, resampling.bootstrap_weights(60, 50, np.random.default_rng(1), None))


def test_group_sums_and_folds() -> None:
    values = np.arange(12.0).reshape(2, 6)
    groups = np.array([0, 0, 1, 2, 2, 1])
    np.testing.assert_array_equal(resampling.group_sums(values, groups), [[1, 7, 7], [13, 19, 19]])
    assert resampling.group_sums(values, None) is values
    folds = agreement_stats.prompt_folds(60, 5, np.random.default_rng(2), GROUPS)
    for g in range(20):
        assert len(set(folds[GROUPS == g])) == 1
    assert sorted(np.bincount(folds)) == [12] * 5


def _grouped_world(rng: np.random.Generator, k: int, d: int) -> list[np.ndarray]:
    """k unrelated models; each has its own way with a prompt that persists over the prompt's
    three variants (choices per group), plus per-variant choices and noise."""
    n = len(GROUPS)
    topics = 3.0 * rng.normal(size=(n, d))
    return [topics + 1.2 * rng.normal(size=(20, d))[GROUPS] + rng.normal(size=(n, d)) for _ in range(k)]


def _norms(matrices: list[np.ndarray]) -> SampleNorms:
    return SampleNorms(np.vstack([np.einsum("pd,pd->p", m, m) for m in matrices]), np.ones((len(matrices), 60)))


@pytest.mark.parametrize("groups, calibrated", [(GROUPS, True), (None, False)])
def test_signflip_test_holds_only_with_groups(groups: np.ndarray | None, calibrated: bool) -> None:
    """Unrelated models on grouped prompts: flipping whole groups rejects at the nominal rate;
    flipping single prompts (variants as if independent) rejects far too often."""
    rng = np.random.default_rng(900)
    reps, alpha = 600, 0.05
    rejected = 0
    for _ in range(reps):
        matrices = _grouped_world(rng, 6, 6)
        pairs = pairwise_agreement(matrices, _norms(matrices), np.ones((1, 60)))
        combined = combine_agreements([pairs.ratio], [pairs.numerator], [pairs.scale], [pairs.ratio], groups=groups)
        units = combined.unit_contributions()
        flips = resampling.sign_flips(units.shape[-1], 199, rng)
        rejected += agreement_stats.signflip_max_pvalues(units[0, [1]], flips)[0] <= alpha
    low, high = binom.ppf(0.005, reps, alpha), binom.ppf(0.995, reps, alpha)
    assert bool(low <= rejected <= high) is calibrated
    if not calibrated:
        assert rejected > high


@pytest.mark.parametrize("groups, calibrated", [(GROUPS, True), (None, False)])
def test_classifier_folds_and_swaps_take_whole_groups(groups: np.ndarray | None, calibrated: bool) -> None:
    """y differs from x by a direction of its own in each group, with no direction common to the
    groups: swapping whole groups leaves the pair's distribution unchanged. Folds of whole groups
    give a calibrated p; per-prompt folds let a variant teach its siblings' direction, and
    per-prompt swaps break that, so the test rejects far too often."""
    rng = np.random.default_rng(901)
    reps, rejected = 80, 0
    for _ in range(reps):
        shared = rng.normal(size=(20, 4))[GROUPS]
        direction = rng.normal(size=(20, 4))[GROUPS]
        x = shared - direction / 2 + 0.3 * rng.normal(size=(60, 4))
        y = shared + direction / 2 + 0.3 * rng.normal(size=(60, 4))
        rejected += classifier_two_sample_test(x, y, n_permutations=99, rng=rng, groups=groups).pvalue <= 0.05
    high = binom.ppf(0.995, reps, 0.05)
    assert bool(rejected <= high) is calibrated
