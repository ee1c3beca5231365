"""Variants of one prompt (EQ-Bench's seeded iterations, a JSONL ``prompt_group``) are one
resampling unit: bootstrap draws, sign flips, studentised sums and folds take whole groups."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.stats import binom

from stylesim.same_prompt import SampleNorms, combine_agreements, pairwise_agreement
from stylesim.similarity import anchor_similarity, same_prompt_cosines
from stylesim.stats import agreement as agreement_stats
from stylesim.stats import partial as partial_stats
from stylesim.stats import resampling
from stylesim.stats.classifier import classifier_two_sample_test
from stylesim.stats.moments import FoldCentre, unit_means

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
    folds = partial_stats.prompt_folds(60, 5, np.random.default_rng(2), GROUPS)
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


def test_unit_means_and_weights() -> None:
    groups = np.array([0, 0, 1, 2, 2, 2])
    x = np.arange(12.0).reshape(6, 2)
    expected = [[1.0, 2.0], [4.0, 5.0], [8.0, 9.0]]
    np.testing.assert_allclose(unit_means(x, groups), expected)
    np.testing.assert_allclose(unit_means(sp.csr_matrix(x), groups).toarray(), expected)
    assert unit_means(x, None) is x
    weights = resampling.bootstrap_weights(6, 40, np.random.default_rng(5), groups)
    units = resampling.unit_weights(weights, groups)
    np.testing.assert_array_equal(units[:, groups], weights)
    assert resampling.unit_weights(weights, None) is weights


def test_resemblance_pairs_different_units_only() -> None:
    """C over different units with unit weights: every pair of variants of one prompt is left out,
    whichever route computes it (n x n Gram matrices, or fold sums for few columns)."""
    rng = np.random.default_rng(11)
    groups = rng.permutation(np.repeat(np.arange(12), [1, 2, 3, 4] * 3))  # unequal groups, mixed order
    n = groups.size
    for d in (40, 5):  # 40 columns >= 12 units: Gram route; 5: fold sums
        x, y = (rng.normal(size=(n, d)) + 2.0 * rng.normal(size=(12, d))[groups] for _ in range(2))
        weights = np.vstack([np.ones(n), resampling.bootstrap_weights(n, 5, rng, groups)])
        w = resampling.unit_weights(weights, groups)
        xs, ys = unit_means(x, groups), unit_means(y, groups)
        out = anchor_similarity([xs, ys], w)
        brute = [sum(w[r, g] * w[r, h] * xs[g] @ ys[h] for g in range(12) for h in range(12) if g != h)
                 / sum(w[r, g] * w[r, h] for g in range(12) for h in range(12) if g != h) for r in range(6)]
        np.testing.assert_allclose(out.cross[1], brute, rtol=1e-10)


def test_same_prompt_cosines_match_the_gram_diagonal() -> None:
    """Per-prompt cosines from the unit-level fold centre equal anchor_similarity's own (which reads
    them off its centred Gram matrices) when every prompt is its own unit."""
    rng = np.random.default_rng(12)
    matrices = [rng.normal(size=(30, 50)) + 0.5 for _ in range(6)]
    center = FoldCentre(matrices, np.random.default_rng(3))
    expected = anchor_similarity(matrices, np.ones((1, 30)), center=center).paired
    np.testing.assert_allclose(same_prompt_cosines(matrices, center, np.arange(30)), expected, rtol=1e-9)


@pytest.mark.parametrize("groups", [np.array([0, 0, 2, 2]), np.array([0, 1, 1]), np.array([0.0, 1.0, 1.0, 0.0]),
                                    np.array([-1, 0, 1, 1])])
def test_unit_numbers_must_be_0_to_g_minus_1(groups: np.ndarray) -> None:
    """A gap, a wrong length, float or negative numbers: refused, not silently drawn as empty units."""
    with pytest.raises(ValueError, match="groups must"):
        resampling.n_units(4, groups)
    with pytest.raises(ValueError, match="groups must"):
        resampling.bootstrap_weights(4, 3, np.random.default_rng(0), groups)


def test_same_prompt_cosines_centre_each_prompt_off_its_units_fold() -> None:
    """With real groups: prompt p is centred on the fold centre c that holds none of its unit
    (with |c|^2 replaced by the fold's unbiased estimate of |mu|^2, as FoldCentre.adjust does)."""
    rng = np.random.default_rng(13)
    groups = rng.permutation(GROUPS)
    matrices = [rng.normal(size=(60, 8)) + rng.normal(size=8) for _ in range(5)]
    units = [unit_means(m, groups) for m in matrices]
    center = FoldCentre(units, np.random.default_rng(4))
    out = same_prompt_cosines(matrices, center, groups)
    for p in (0, 17, 59):
        k = 3 + center.folds[groups[p]]
        c, square = center.centres[k], center.squares[k]

        def dot(x: np.ndarray, y: np.ndarray) -> float:
            return x @ y - x @ c - y @ c + square  # noqa: B023

        a = matrices[0][p]
        for j in (1, 4):
            b = matrices[j][p]
            assert out[j, p] == pytest.approx(dot(a, b) / np.sqrt(dot(a, a) * dot(b, b)), rel=1e-9)
    assert np.all(out[0] == 1.0)
