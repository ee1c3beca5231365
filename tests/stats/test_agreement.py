"""stylesim.stats.agreement and its glue in stylesim.similarity: same-prompt agreement."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from stylesim.same_prompt import (
    SampleNorms,
    anchor_agreement,
    pairwise_agreement,
    prompt_products,
    sample_norms,
)
from stylesim.stats import agreement, families
from stylesim.stats import partial as partial_stats
from stylesim.stats.panel import rank_among
from stylesim.stats.resampling import bootstrap_weights


def _samples(rng: np.random.Generator, k: int, n: int, d: int, max_samples: int = 1) -> list[list[np.ndarray]]:
    """samples[model][prompt] -> (samples, d) array of features."""
    return [[rng.normal(size=(int(rng.integers(1, max_samples + 1)), d)) for _ in range(n)] for _ in range(k)]


def _inputs(samples: list[list[np.ndarray]]) -> tuple[list[np.ndarray], SampleNorms]:
    """Per-prompt mean matrices and sample norms as the analysis builds them (via flat rows)."""
    rows, flat = [], []
    for model in samples:
        model_rows = []
        for block in model:
            model_rows.append(list(range(len(flat), len(flat) + len(block))))
            flat.extend(block)
        rows.append(model_rows)
    features = np.vstack(flat)
    means = [np.vstack([features[r].mean(axis=0) for r in model_rows]) for model_rows in rows]
    return means, sample_norms(features, rows)


def _background_u(samples: list[list[np.ndarray]], p: int, background: list[int]) -> float:
    """Mean inner product of two *different* background models' answers to prompt p."""
    means = [samples[m][p].mean(axis=0) for m in background]
    pairs = [means[a] @ means[b] for a in range(len(means)) for b in range(len(means)) if a != b]
    return float(np.mean(pairs))


def _brute(samples: list[list[np.ndarray]], i: int, j: int, w: np.ndarray | None = None) -> float:
    """The agreement ratio from its definition: explicit leave-two-out centres and the U-statistic."""
    k, n = len(samples), len(samples[0])
    w = np.ones(n) if w is None else w
    top = norm_i = norm_j = 0.0
    for p in range(n):
        background = [m for m in range(k) if m not in (i, j)]
        c = sum(samples[m][p].mean(axis=0) for m in background) / len(background)
        u = _background_u(samples, p, background)
        x_i, x_j = samples[i][p].mean(axis=0), samples[j][p].mean(axis=0)
        top += w[p] * (x_i @ x_j - x_i @ c - x_j @ c + u)
        norm_i += w[p] * np.mean([x @ x - 2 * x @ c + u for x in samples[i][p]])
        norm_j += w[p] * np.mean([x @ x - 2 * x @ c + u for x in samples[j][p]])
    return top / np.sqrt(norm_i * norm_j)


def _brute_ceiling(samples: list[list[np.ndarray]], i: int) -> float:
    k, n = len(samples), len(samples[0])
    top = bottom = 0.0
    for p in range(n):
        block = samples[i][p]
        if len(block) < 2:
            continue
        background = [m for m in range(k) if m != i]
        c = sum(samples[m][p].mean(axis=0) for m in background) / (k - 1)
        u = _background_u(samples, p, background)
        pairs = [block[s] @ block[t] - block[s] @ c - block[t] @ c + u
                 for s in range(len(block)) for t in range(len(block)) if s != t]
        top += np.mean(pairs)
        bottom += np.mean([x @ x - 2 * x @ c + u for x in block])
    return top / bottom


def test_agreement_matches_its_definition_with_several_samples() -> None:
    rng = np.random.default_rng(3)
    samples = _samples(rng, k=5, n=25, d=7, max_samples=3)
    means, norms = _inputs(samples)
    weights = np.vstack([np.ones(25), bootstrap_weights(25, 3, rng)])
    result = anchor_agreement(means, norms, weights, anchor=2)
    assert result is not None
    for j in (0, 1, 3, 4):
        for r in range(weights.shape[0]):
            assert result.ratio[j, r] == pytest.approx(_brute(samples, 2, j, weights[r]), rel=1e-10)
    assert np.all(np.isnan(result.ratio[2]))
    assert result.ceiling is not None
    assert result.ceiling[0] == pytest.approx(_brute_ceiling(samples, 2), rel=1e-10)


def test_per_prompt_agreement_is_each_prompts_term_on_the_agreements_scale() -> None:
    """Each prompt's term over the pooled norms (not its own, which can be near 0 or negative):
    their mean is the agreement, and no prompt can blow up."""
    rng = np.random.default_rng(4)
    samples = _samples(rng, k=4, n=6, d=5)
    means, norms = _inputs(samples)
    result = anchor_agreement(means, norms, np.ones((1, 6)))
    assert result is not None
    tops, r_as, r_bs = [], [], []
    for p in range(6):
        c = (means[2][p] + means[3][p]) / 2
        u = means[2][p] @ means[3][p]
        a, b = means[0][p], means[1][p]
        tops.append(a @ b - a @ c - b @ c + u)
        r_as.append(a @ a - 2 * a @ c + u)
        r_bs.append(b @ b - 2 * b @ c + u)
    expected = np.array(tops) * 6 / np.sqrt(np.sum(r_as) * np.sum(r_bs))
    np.testing.assert_allclose(result.paired[1], expected, rtol=1e-10)
    np.testing.assert_allclose(result.paired[1].mean(), result.ratio[1, 0], rtol=1e-10)


def test_one_prompt_with_a_near_zero_norm_does_not_blow_up() -> None:
    """The review's case: two answers nearly at the background on one prompt (own norms ~0)."""
    rng = np.random.default_rng(9)
    samples = _samples(rng, k=4, n=8, d=5)
    for m in (0, 1):
        samples[m][3] = (samples[2][3] + samples[3][3]) / 2 + 1e-7 * rng.standard_normal((1, 5))
    means, norms = _inputs(samples)
    result = anchor_agreement(means, norms, np.ones((1, 8)))
    assert result is not None and np.all(np.abs(result.paired[1]) < 50)


def test_sparse_and_dense_features_agree() -> None:
    rng = np.random.default_rng(5)
    dense = [np.where(rng.random((30, 40)) < 0.2, rng.random((30, 40)), 0.0).astype(np.float32) for _ in range(4)]
    norms = SampleNorms(np.vstack([np.einsum("pd,pd->p", m, m) for m in dense]).astype(float), np.ones((4, 30)))
    weights = np.vstack([np.ones(30), bootstrap_weights(30, 5, rng)])
    from_dense = anchor_agreement(dense, norms, weights)
    from_sparse = anchor_agreement([sp.csr_matrix(m) for m in dense], norms, weights)
    assert from_dense is not None and from_sparse is not None
    np.testing.assert_allclose(from_sparse.ratio, from_dense.ratio, rtol=1e-5, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(0.1, 50.0))
def test_a_topic_every_model_shares_does_not_change_agreement(seed: int, scale: float) -> None:
    """Adding the same vector to every answer to prompt p (its topic) leaves agreement unchanged."""
    rng = np.random.default_rng(seed)
    samples = _samples(rng, k=4, n=12, d=6, max_samples=2)
    topics = scale * rng.normal(size=(12, 6))
    shifted = [[block + topics[p] for p, block in enumerate(model)] for model in samples]
    weights = np.ones((1, 12))
    before = anchor_agreement(*_inputs(samples), weights)
    after = anchor_agreement(*_inputs(shifted), weights)
    assert before is not None and after is not None
    np.testing.assert_allclose(after.ratio[1:], before.ratio[1:], rtol=1e-6, atol=1e-9)


def test_pairwise_is_symmetric_and_matches_the_anchored_rows() -> None:
    rng = np.random.default_rng(6)
    samples = _samples(rng, k=5, n=30, d=4, max_samples=3)
    means, norms = _inputs(samples)
    weights = np.vstack([np.ones(30), bootstrap_weights(30, 4, rng)])
    pairs = pairwise_agreement(means, norms, weights)
    matrix, ceilings = pairs.ratio, pairs.ceilings
    np.testing.assert_allclose(matrix, np.transpose(matrix, (1, 0, 2)), equal_nan=True)
    for anchor in range(5):
        row = anchor_agreement(means, norms, weights, anchor=anchor)
        assert row is not None and row.ceiling is not None
        np.testing.assert_allclose(matrix[anchor], row.ratio, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(ceilings[anchor], row.ceiling, rtol=1e-12)


def test_an_exact_copy_agrees_fully_and_one_sample_has_no_ceiling() -> None:
    rng = np.random.default_rng(7)
    samples = _samples(rng, k=4, n=15, d=5)
    samples[1] = [block.copy() for block in samples[0]]
    result = anchor_agreement(*_inputs(samples), np.ones((1, 15)))
    assert result is not None
    assert result.ratio[1, 0] == pytest.approx(1.0, rel=1e-12)
    assert result.ceiling is None


def test_common_terms_of_two_members_are_the_pair_terms_and_all_share_one_background() -> None:
    rng = np.random.default_rng(10)
    means, norms = _inputs(_samples(rng, k=7, n=12, d=4, max_samples=3))
    products = prompt_products(means, norms)

    def block(members: list[int]) -> np.ndarray:
        return np.einsum("apd,bpd->abp", np.stack([means[m] for m in members]), np.stack([means[m] for m in members]))

    pair = partial_stats.common_terms(products, [2, 5], block([2, 5]))
    top, r_2, r_5 = agreement.pair_terms(products, 2, 5, block([2, 5])[0, 1])
    np.testing.assert_allclose(pair[0, 1], top, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(pair[0, 0], r_2, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(pair[1, 1], r_5, rtol=1e-10, atol=1e-12)
    # Three members: each pair's terms are those of the pair in the analysis without the third.
    three = partial_stats.common_terms(products, [0, 3, 6], block([0, 3, 6]))
    keep = [0, 1, 2, 3, 4, 5]
    sub = prompt_products([means[m] for m in keep], SampleNorms(norms.sample_sq[keep], norms.counts[keep]))
    top, r_0, r_3 = agreement.pair_terms(sub, 0, 3, block([0, 3])[0, 1])
    np.testing.assert_allclose(three[0, 1], top, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(three[0, 0], r_0, rtol=1e-10, atol=1e-12)
    assert np.isnan(partial_stats.common_terms(products, [0, 1, 2, 3, 4, 5], block([0, 1, 2, 3, 4, 5]))).all()


def test_fewer_than_four_models_give_no_agreement() -> None:
    """With one background model no unbiased background exists (see the module docstring)."""
    rng = np.random.default_rng(8)
    assert anchor_agreement(*_inputs(_samples(rng, k=3, n=5, d=3)), np.ones((1, 5))) is None


def test_input_validation() -> None:
    rng = np.random.default_rng(9)
    means, norms = _inputs(_samples(rng, k=4, n=5, d=3))
    products = prompt_products(means, norms)
    with pytest.raises(ValueError, match="two different models"):
        agreement.pair_terms(products, 1, 1, products.diag[1])
    small = agreement.PromptProducts(products.diag[:3], products.z[:3], products.zz, products.sample_sq[:3], products.counts[:3])
    with pytest.raises(ValueError, match="at least 4 models"):
        agreement.pair_terms(small, 0, 1, products.diag[0])
    bad = agreement.PromptProducts(products.diag, products.z[:, :4], products.zz, products.sample_sq, products.counts)
    with pytest.raises(ValueError, match=r"products\.z"):
        agreement.pair_terms(bad, 0, 1, products.diag[0])
    bad = agreement.PromptProducts(products.diag, products.z, products.zz[:4], products.sample_sq, products.counts)
    with pytest.raises(ValueError, match=r"products\.zz"):
        agreement.pair_terms(bad, 0, 1, products.diag[0])


def test_zero_norms_give_nan_not_a_crash() -> None:
    means = [np.zeros((6, 3)) for _ in range(4)]
    result = anchor_agreement(means, SampleNorms(np.zeros((4, 6)), np.ones((4, 6))), np.ones((1, 6)))
    assert result is not None
    assert np.all(np.isnan(result.ratio))


# The lineage model behind the statistic: every model has a general style (the same on every
# prompt) and its own choices on each prompt; answers add the prompt's topic and sampling noise.
# A student that learned the teacher's answers shares the teacher's per-prompt choices.
def _world(rng: np.random.Generator, k: int, n: int, d: int, *, copy_choices: float) -> list[np.ndarray]:
    topics = 3.0 * rng.normal(size=(n, d))
    styles = 0.3 * rng.normal(size=(k, 1, d))
    choices = rng.normal(size=(k, n, d))
    choices[1] = copy_choices * choices[0] + np.sqrt(1 - copy_choices**2) * choices[1]
    return [topics + styles[m] + choices[m] + rng.normal(size=(n, d)) for m in range(k)]


def _rank_pvalue(matrices: list[np.ndarray]) -> float:
    k, n = len(matrices), matrices[0].shape[0]
    norms = SampleNorms(np.vstack([np.einsum("pd,pd->p", m, m) for m in matrices]), np.ones((k, n)))
    result = anchor_agreement(matrices, norms, np.ones((1, n)))
    assert result is not None
    return rank_among(float(result.ratio[1, 0]), result.ratio[2:, 0])[1]


def test_rank_pvalue_on_agreement_is_calibrated_under_the_null() -> None:
    """B is one more independent model: P(p <= 0.05) with 19 panel models is exactly 1/20."""
    rng = np.random.default_rng(10)
    reps = 400
    rejections = sum(_rank_pvalue(_world(rng, 21, 40, 8, copy_choices=0.0)) <= 0.05 for _ in range(reps))
    # 99% binomial band around 0.05 for 400 draws: 9..33 rejections.
    from scipy.stats import binom

    low, high = binom.ppf(0.005, reps, 0.05), binom.ppf(0.995, reps, 0.05)
    assert low <= rejections <= high


def test_rank_pvalue_on_agreement_finds_shared_per_prompt_choices() -> None:
    rng = np.random.default_rng(11)
    reps = 100
    found = sum(_rank_pvalue(_world(rng, 21, 40, 8, copy_choices=0.6)) <= 0.05 for _ in range(reps))
    assert found >= 90


def test_family_weights_treat_a_correlated_block_as_one_family() -> None:
    """Two near-duplicate families share the weight one independent family gets (in z units)."""
    rng = np.random.default_rng(21)
    shared = rng.normal(size=(12, 300))
    duplicate_a = 0.01 * shared
    duplicate_b = 0.02 * (shared + 0.05 * rng.normal(size=shared.shape))
    independent = 0.1 * rng.normal(size=(12, 300))
    weights = families.family_weights([duplicate_a, duplicate_b, independent])
    assert weights.sum() == pytest.approx(1.0)
    z_weights = weights * np.array([0.01, 0.02, 0.1])  # back to z units
    z_weights /= z_weights.sum()
    assert z_weights[0] + z_weights[1] == pytest.approx(z_weights[2], rel=0.1)
    # Without replicates every family counts the same.
    np.testing.assert_allclose(families.family_weights([np.zeros((3, 1)), np.zeros((3, 1))]), [0.5, 0.5])


def test_a_family_whose_spread_is_rounding_noise_gets_no_weight() -> None:
    """Exactly constant and constant up to 1e-16 are the same: no spread, no weight (a review found
    the second took all the weight, depending on the order of the input files)."""
    from stylesim.stats.families import family_weights

    rng = np.random.default_rng(3)
    varying = 0.3 + 0.05 * rng.standard_normal((6, 40))
    other = 0.1 + 0.08 * rng.standard_normal((6, 40))
    exact = np.full((6, 40), 0.46)
    noisy = exact + 1e-16 * rng.standard_normal((6, 40))
    with_exact = family_weights([varying, other, exact])
    with_noise = family_weights([varying, other, noisy])
    assert with_exact[2] == 0.0 and with_noise[2] == 0.0
    np.testing.assert_allclose(with_noise, with_exact)


def test_family_weights_never_go_negative() -> None:
    """A family that is the sum of two others gets a negative weight in R^-1 1; it is clipped to
    0, and the rest renormalised (a mutation audit removed the clip and no test failed)."""
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(5, 400)), rng.normal(size=(5, 400))
    weights = families.family_weights([a, a + b, b])
    assert weights[1] == 0.0 and np.all(weights >= 0) and weights.sum() == pytest.approx(1.0)
    assert weights[0] == pytest.approx(weights[2], rel=0.05)
