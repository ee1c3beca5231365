"""Calibration of method v3 where users are: small panels, unequal spreads, winners picked from
several candidates, the nearest neighbour of a matrix row, bootstrap coverage, and a student with
two parents. Every test here fails on stylesim 0.2's statistics (see tests' docstrings)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from stylesim.same_prompt import (
    SampleNorms,
    anchor_agreement,
    combine_agreements,
    pairwise_agreement,
)
from stylesim.stats import agreement as agreement_stats
from stylesim.stats import partial as partial_stats
from stylesim.stats.panel import rank_among
from stylesim.stats.resampling import (
    bootstrap_weights,
    percentile_interval,
    sign_flips,
    simultaneous_intervals,
)


def _norms(matrices: list[np.ndarray]) -> SampleNorms:
    k, n = len(matrices), matrices[0].shape[0]
    return SampleNorms(np.vstack([np.einsum("pd,pd->p", m, m) for m in matrices]), np.ones((k, n)))


def _world(rng: np.random.Generator, k: int, n: int, d: int, *, spread: np.ndarray | None = None,
           style: float = 0.3) -> list[np.ndarray]:
    """k unrelated models: a shared topic per prompt, a general style per model, per-prompt choices
    and sampling noise; ``spread[m]`` scales model m's choices and noise (its residual spread)."""
    spread = np.ones(k) if spread is None else spread
    topics = 3.0 * rng.normal(size=(n, d))
    return [topics + style * rng.normal(size=(1, d)) + spread[m] * (rng.normal(size=(n, d)) + rng.normal(size=(n, d)))
            for m in range(k)]


def _band(reps: int, rate: float) -> tuple[float, float]:
    return binom.ppf(0.005, reps, rate), binom.ppf(0.995, reps, rate)


@pytest.mark.parametrize("k", [4, 5, 12, 26])
def test_unrelated_models_agree_zero_on_average_at_every_panel_size(k: int) -> None:
    """v2 gave about 1/(k - 1) here (0.33 at k = 4, 0.25 at 5, 0.09 at 12, 0.04 at 26)."""
    rng = np.random.default_rng(100 + k)
    values = []
    for _ in range(150):
        matrices = _world(rng, k, 40, 8)
        result = anchor_agreement(matrices, _norms(matrices), np.ones((1, 40)))
        assert result is not None
        values.append(result.ratio[1, 0])
    assert abs(np.mean(values)) < 0.02


def test_unrelated_count_features_agree_zero_on_average() -> None:
    """Non-negative count features with a large shared mean (like n-gram counts) too."""
    rng = np.random.default_rng(7)
    values = []
    for _ in range(150):
        rates = rng.gamma(2.0, 1.0, size=(40, 30))
        matrices = [rng.poisson(rates * rng.gamma(4.0, 0.25, size=(1, 30))).astype(float) for _ in range(5)]
        result = anchor_agreement(matrices, _norms(matrices), np.ones((1, 40)))
        assert result is not None
        values.append(result.ratio[1, 0])
    assert abs(np.mean(values)) < 0.02


def _rank_one_share(rng: np.random.Generator, panel: int, reps: int) -> int:
    k = panel + 2
    spread = np.ones(k)
    spread[1] = np.sqrt(0.3)  # B is "quiet": 0.3 x the panel's residual variance
    hits = 0
    for _ in range(reps):
        matrices = _world(rng, k, 40, 8, spread=spread)
        result = anchor_agreement(matrices, _norms(matrices), np.ones((1, 40)))
        assert result is not None
        rank, _ = rank_among(float(result.t[1]), result.t[2:])
        hits += rank == 1
    return hits


@pytest.mark.parametrize("panel", [3, 19])
def test_a_quiet_model_gains_nothing(panel: int) -> None:
    """v2's agreement ranked a quiet unrelated B first 100% of the time with 3 panel models."""
    reps = 400
    hits = _rank_one_share(np.random.default_rng(200 + panel), panel, reps)
    low, high = _band(reps, 1 / (panel + 1))
    assert low <= hits <= high


@pytest.mark.parametrize("m", [1, 4, 8])
def test_the_winners_pvalue_holds_under_selection(m: int) -> None:
    """The top of m candidates against 19 panel models: P(p <= its smallest value) is that value.
    Unadjusted rank p-values (v2) reject m times too often."""
    rng = np.random.default_rng(300 + m)
    reps, panel = 400, 19
    k = 1 + m + panel
    spread = rng.uniform(0.5, 1.5, size=k)  # unequal spreads, exchangeable roles
    smallest = m / (m + panel)
    rejections = naive = 0
    for _ in range(reps):
        matrices = _world(rng, k, 30, 6, spread=rng.permutation(spread))
        result = anchor_agreement(matrices, _norms(matrices), np.ones((1, 30)))
        assert result is not None
        scores = result.t[1 : 1 + m]
        pvalues = agreement_stats.selection_pvalues(scores, result.t[1 + m :])
        winner = int(np.argmax(scores))
        rejections += pvalues[winner] <= smallest + 1e-12
        naive += rank_among(float(scores[winner]), result.t[1 + m :])[1] <= 1 / (panel + 1) + 1e-12
    low, high = _band(reps, smallest)
    assert low <= rejections <= high
    if m > 1:
        assert naive > _band(reps, 1 / (panel + 1))[1]


def test_matrix_nearest_neighbour_pvalues_vary_and_are_uniform() -> None:
    """v2 gave every nearest neighbour p = 1/(N - 1) by construction."""
    rng = np.random.default_rng(400)
    reps, k, n = 300, 8, 40
    flips = sign_flips(n, 199, np.random.default_rng(1))
    pvalues = []
    for _ in range(reps):
        matrices = _world(rng, k, n, 8, spread=rng.uniform(0.5, 1.5, size=k))
        pairs = pairwise_agreement(matrices, _norms(matrices), np.ones((1, n)))
        combined = combine_agreements([pairs.ratio], [pairs.numerator], [pairs.scale], [pairs.ratio])
        others = list(range(1, k))
        adjusted = agreement_stats.signflip_max_pvalues(combined.contributions[0, others], flips)
        pvalues.append(adjusted[int(np.nanargmax(combined.t[0, others]))])
    pvalues = np.array(pvalues)
    assert len(np.unique(pvalues)) > 30
    for alpha in (0.05, 0.2, 0.5):
        low, high = _band(reps, alpha)
        assert low <= np.sum(pvalues <= alpha) <= high


def test_signflip_pvalue_finds_a_related_pair() -> None:
    rng = np.random.default_rng(401)
    k, n = 8, 40
    matrices = _world(rng, k, n, 8)
    matrices[1] = matrices[1] + 0.8 * (matrices[0] - matrices[0].mean(axis=0))
    pairs = pairwise_agreement(matrices, _norms(matrices), np.ones((1, n)))
    combined = combine_agreements([pairs.ratio], [pairs.numerator], [pairs.scale], [pairs.ratio])
    adjusted = agreement_stats.signflip_max_pvalues(combined.contributions[0, 1:], sign_flips(n, 199, rng))
    assert int(np.nanargmax(combined.t[0, 1:])) == 0
    assert adjusted[0] == pytest.approx(1 / 200)


def test_bootstrap_interval_covers_the_population_agreement() -> None:
    """A pair sharing half its per-prompt choices, noise as large as the choices: population
    agreement c / (1 + noise variance) = 0.25. Percentile intervals over prompts cover it."""
    rng = np.random.default_rng(500)
    reps, k, n, d, share = 200, 6, 60, 8, 0.5
    covered = 0
    for _ in range(reps):
        topics = 3.0 * rng.normal(size=(n, d))
        choices = rng.normal(size=(k, n, d))
        choices[1] = share * choices[0] + np.sqrt(1 - share**2) * choices[1]
        matrices = [topics + choices[m] + rng.normal(size=(n, d)) for m in range(k)]
        weights = np.vstack([np.ones(n), bootstrap_weights(n, 400, rng)])
        result = anchor_agreement(matrices, _norms(matrices), weights)
        assert result is not None
        low, high = percentile_interval(result.ratio[1, 1:], 0.95)
        covered += low <= share / 2 <= high
    assert covered / reps >= 0.90


@pytest.mark.parametrize("n", [10, 20])
def test_intervals_cover_with_few_prompts_once_expanded(n: int) -> None:
    """Unrelated models (true agreement 0), 6 models, 10 or 20 prompts. A plain 95% percentile
    interval over prompts covers 0.912 and 0.915 of the time here (an outside review measured
    0.83 at 5 prompts); Hesterberg's expanded level, which every interval now uses (Plan.
    interval_level), brings it to 0.95 and 0.94. Expanding costs nothing at 805 prompts."""
    from stylesim.plan import Plan
    from stylesim.stats.resampling import expanded_level

    rng = np.random.default_rng(2)
    reps, level = 400, Plan(units=n).interval_level
    assert level == expanded_level(0.95, n) and level > 0.96
    assert Plan(units=805).interval_level == pytest.approx(0.95, abs=0.001)
    plain = expanded = 0
    for _ in range(reps):
        matrices = _world(rng, 6, n, 8, style=0.0)
        weights = np.vstack([np.ones(n), bootstrap_weights(n, 2000, rng)])
        draws = anchor_agreement(matrices, _norms(matrices), weights).ratio[1, 1:]
        low, high = percentile_interval(draws, 0.95)
        plain += low <= 0 <= high
        low, high = percentile_interval(draws, level)
        expanded += low <= 0 <= high
    assert plain / reps < 0.93
    assert expanded / reps >= 0.93


def _top_candidate_coverage(rng: np.random.Generator, m: int, reps: int, n: int = 40) -> tuple[float, float]:
    """Unrelated student, m candidates, 5 panel models, 40 prompts: how often the top candidate's
    reported interval (attribute's own code) and its marginal one cover the true agreement, 0."""
    from types import SimpleNamespace

    from stylesim.attribute import _candidates
    from stylesim.plan import Plan

    k = 1 + m + 5
    covered = marginal = 0
    for _ in range(reps):
        matrices = _world(rng, k, n, 6)
        weights = np.vstack([np.ones(n), bootstrap_weights(n, 300, rng)])
        single = anchor_agreement(matrices, _norms(matrices), weights)
        combined = combine_agreements([single.ratio], [single.numerator], [single.scale], [single.paired])
        outcome = SimpleNamespace(agreement=combined, combined_ratio=combined.ratio, families={},
                                  agreement_unpartialled=None, weights=weights)
        names = [SimpleNamespace(name=f"m{i}", path=None) for i in range(k)]
        top = _candidates(names, m, list(range(1 + m, k)), outcome, Plan(seed=0, n_resamples=300, n_permutations=99))[0]
        covered += top["ci_low"] <= 0 <= top["ci_high"]
        marginal += top["ci_unadjusted"][0] <= 0 <= top["ci_unadjusted"][1]
    return covered / reps, marginal / reps


def test_the_top_candidates_interval_covers_although_it_was_picked() -> None:
    """A marginal interval for the best of 4 candidates covered 0 in 87% of runs (review of 0.3.7);
    the simultaneous interval covers as a single pair's does (at least 90% at nominal 95%, as in
    test_bootstrap_interval_covers_the_population_agreement; 400 runs gave 0.96 with 40 prompts
    and 0.94 with 80, against 0.91 for one candidate). With one candidate they are the same."""
    covered, marginal = _top_candidate_coverage(np.random.default_rng(41), 4, 200)
    assert covered >= 0.90 and marginal < covered - 0.03
    alone, alone_marginal = _top_candidate_coverage(np.random.default_rng(42), 1, 60)
    assert alone == alone_marginal


def test_the_nearest_neighbours_interval_covers_although_it_was_picked() -> None:
    """Row 0's nearest of 7 unrelated models by t: its simultaneous interval (as ``matrix`` reports
    it) covers the true agreement 0 at about 95%; the marginal one covered 76% (400 runs)."""
    rng = np.random.default_rng(7)
    reps, k, n = 200, 8, 40
    covered = marginal = 0
    for _ in range(reps):
        matrices = _world(rng, k, n, 6)
        weights = np.vstack([np.ones(n), bootstrap_weights(n, 300, rng)])
        pairs = pairwise_agreement(matrices, _norms(matrices), weights)
        combined = combine_agreements([pairs.ratio], [pairs.numerator], [pairs.scale], [pairs.ratio[..., :1]])
        others = list(range(1, k))
        j = others[int(np.nanargmax(combined.t[0, others]))]
        low, high = simultaneous_intervals(combined.ratio[0, others, 1:], 0.95)[others.index(j)]
        covered += low <= 0 <= high
        low, high = percentile_interval(combined.ratio[0, j, 1:], 0.95)
        marginal += low <= 0 <= high
    assert covered / reps >= 0.90 and marginal / reps < 0.9


def _two_parent_world(rng: np.random.Generator, n: int, d: int) -> tuple[list[np.ndarray], int, int]:
    """Model 0 is the student (0.75 base + 0.45 teacher), 1 the teacher, 2-3 same-base siblings
    (0.75 base + 0.45 another teacher), 4-14 unrelated; the base is the last model."""
    topics = 3.0 * rng.normal(size=(n, d))
    base, teacher, other_teacher = (rng.normal(size=(n, d)) for _ in range(3))
    own = np.sqrt(1 - 0.75**2 - 0.45**2)

    def model(choices: np.ndarray) -> np.ndarray:
        return topics + choices + 0.5 * rng.normal(size=(n, d))

    student = model(0.75 * base + 0.45 * teacher + own * rng.normal(size=(n, d)))
    siblings = [model(0.75 * base + 0.45 * other_teacher + own * rng.normal(size=(n, d))) for _ in range(2)]
    unrelated = [model(rng.normal(size=(n, d))) for _ in range(11)]
    matrices = [student, model(teacher), *siblings, *unrelated, model(base)]
    return matrices, 1, len(matrices) - 1


def test_partialling_the_base_recovers_the_teacher() -> None:
    rng = np.random.default_rng(600)
    n, reps = 80, 40
    ranks_plain, ranks_partial = [], []
    for _ in range(reps):
        matrices, teacher, base = _two_parent_world(rng, n, 8)
        candidates = list(range(1, base))  # 14 candidates; the base is not one
        plain = anchor_agreement(matrices, _norms(matrices), np.ones((1, n)))
        folds = partial_stats.prompt_folds(n, 5, np.random.default_rng(0))
        partial = anchor_agreement(matrices, _norms(matrices), np.ones((1, n)), partial=[base], folds=folds)
        assert plain is not None and partial is not None
        for result, ranks in ((plain, ranks_plain), (partial, ranks_partial)):
            order = sorted(candidates, key=lambda j: -result.t[j])
            ranks.append(order.index(teacher) + 1)
        assert np.isnan(partial.ratio[base, 0]) and partial.unpartialled is not None
    assert np.mean(ranks_plain) > 2.0  # the siblings outrank the teacher without the base
    assert all(rank == 1 for rank in ranks_partial)


def test_partialling_is_cross_fitted() -> None:
    """A covariate of pure noise changes nothing systematically: the fitted beta never sees the
    prompts it is applied to, so it cannot remove the pair's own noise."""
    rng = np.random.default_rng(700)
    diffs = []
    for _ in range(100):
        matrices = _world(rng, 7, 40, 8)
        folds = partial_stats.prompt_folds(40, 5, rng)
        plain = anchor_agreement(matrices, _norms(matrices), np.ones((1, 40)))
        partial = anchor_agreement(matrices, _norms(matrices), np.ones((1, 40)), partial=[6], folds=folds)
        assert plain is not None and partial is not None
        diffs.append(partial.ratio[1, 0] - plain.ratio[1, 0])
    assert abs(np.mean(diffs)) < 0.01


@pytest.mark.parametrize("panel", [2, 5])
def test_partialling_a_sibling_is_unbiased_with_a_small_panel(panel: int) -> None:
    """S and J share only their base (0.75 each; the base's answers carry no noise), so S's
    residual after partialling the base is unrelated to J: its agreement with J is 0 in
    expectation. Up to 0.3.8 each term of the fit had its own leave-two-out background (the base
    in N(S, J)'s, S in N(base, J)'s, J in N(S, base)'s) and the fit over-corrected: a review
    measured -0.22 with 2 panel models and -0.09 with 5 (200 runs each)."""
    estimates = _sibling_estimates(np.random.default_rng(1200 + panel), n=60, panel=panel, samples=1, noise=0.0,
                                   reps=120)
    mean, se = np.mean(estimates), np.std(estimates) / np.sqrt(len(estimates))
    assert abs(mean) < max(0.02, 3 * se), (mean, se)


def _sibling_estimates(rng: np.random.Generator, *, n: int, panel: int, samples: int, noise: float,
                       reps: int) -> list[float]:
    """Partialled agreements of S with its sibling J (both 0.75 of one base's voice; true 0), the
    base given as ``samples`` answers per prompt of its voice plus draw noise of sd ``noise``,
    with ``panel`` unrelated models."""
    d, estimates = 8, []
    for _ in range(reps):
        topics, base = 3.0 * rng.normal(size=(n, d)), rng.normal(size=(n, d))
        own = np.sqrt(1 - 0.75**2)

        def model(choices: np.ndarray) -> np.ndarray:
            return topics + choices + 0.5 * rng.normal(size=(n, d))  # noqa: B023

        student = model(0.75 * base + own * rng.normal(size=(n, d)))
        sibling = model(0.75 * base + own * rng.normal(size=(n, d)))
        draws = topics[:, None] + base[:, None] + noise * rng.normal(size=(n, samples, d))
        matrices = [student, sibling, draws.mean(axis=1), *(model(rng.normal(size=(n, d))) for _ in range(panel))]
        norms = _norms(matrices)
        norms.sample_sq[2] = np.einsum("psd,psd->ps", draws, draws).mean(axis=1)
        norms.counts[2] = samples
        folds = partial_stats.prompt_folds(n, 5, np.random.default_rng(0))
        result = anchor_agreement(matrices, norms, np.ones((1, n)), partial=[2], folds=folds)
        assert result is not None
        estimates.append(float(result.ratio[1, 0]))
    return estimates


def test_what_partialling_a_noisy_base_leaves_and_how_more_samples_shrink_it() -> None:
    """The base's answers are its voice plus draw-to-draw noise, so beta is shrunk (errors in
    variables) and part of the base stays in S: its sibling still agrees with it (documented in
    method.md and said in the verdict). The fit uses the spread of the base's *mean* answer, the
    regressor actually used, so four samples of the base leave less (before 0.3.9 the fit used
    one answer's spread whatever the samples: 0.10 with four, as with one)."""
    one = np.mean(_sibling_estimates(np.random.default_rng(1301), n=120, panel=20, samples=1, noise=0.5, reps=60))
    four = np.mean(_sibling_estimates(np.random.default_rng(1304), n=120, panel=20, samples=4, noise=0.5, reps=60))
    assert one > 0.07  # the documented limit
    assert four < 0.06 and four < one - 0.04


def _sampled(x: np.ndarray) -> tuple[list[np.ndarray], SampleNorms]:
    """Per-prompt means and sample norms of x with shape (models, prompts, samples, d)."""
    squares = np.einsum("mpsd,mpsd->mps", x, x)
    return list(x.mean(axis=2)), SampleNorms(squares.mean(axis=2), np.full(x.shape[:2], x.shape[2]))


def test_disattenuated_agreement_is_the_correlation_of_choices_whatever_the_noise() -> None:
    """B's per-prompt choices correlate 0.6 with A's; A is twice as noisy as a panel model and B
    half as noisy, three samples each. The raw agreements differ with the noise; the
    disattenuated agreement recovers 0.6 and its percentile interval covers it."""
    rng = np.random.default_rng(800)
    reps, k, n, d, samples, rho = 150, 8, 60, 6, 3, 0.6
    noise = np.ones(k)
    noise[0], noise[1] = np.sqrt(2.0), np.sqrt(0.5)
    estimates, raw, covered = [], [], 0
    for _ in range(reps):
        choices = rng.normal(size=(k, n, d))
        choices[1] = rho * choices[0] + np.sqrt(1 - rho**2) * choices[1]
        topics = 3.0 * rng.normal(size=(1, n, 1, d))
        x = topics + choices[:, :, None, :] + noise[:, None, None, None] * rng.normal(size=(k, n, samples, d))
        means, norms = _sampled(x)
        weights = np.vstack([np.ones(n), bootstrap_weights(n, 300, rng)])
        pairs = pairwise_agreement(means, norms, weights)
        corrected = agreement_stats.disattenuated(pairs.ratio[0, 1], pairs.pair_ceilings[0, 1], pairs.pair_ceilings[1, 0])
        estimates.append(corrected[0])
        raw.append(pairs.ratio[0, 1, 0])
        low, high = percentile_interval(corrected[1:], 0.95)
        covered += low <= rho <= high
    assert abs(np.median(estimates) - rho) < 0.03
    # The raw agreement is attenuated: rho * sqrt(1/3 * 2/3) = 0.28 in the population.
    assert abs(np.median(raw) - rho * np.sqrt(1 / 3 * 2 / 3)) < 0.03
    assert covered / reps >= 0.90


def test_disattenuated_agreement_of_a_model_with_its_own_held_out_sample_is_one() -> None:
    """Two samples of model X (as A) against a third (as B), centred on unrelated models: B is
    a second sample of A, so A's ceiling is what B scores and the ratio is close to 1. The
    ceiling on A's whole background (which holds B) is too low by about 1 / (k - 1) of itself:
    the pair's own background is the one to use."""
    rng = np.random.default_rng(801)
    reps, k, n, d = 200, 8, 40, 6
    ratios, whole = [], []
    for _ in range(reps):
        topics = 3.0 * rng.normal(size=(1, n, 1, d))
        x = topics + rng.normal(size=(k, n, 1, d)) + 1.5 * rng.normal(size=(k, n, 3, d))
        means, norms = _sampled(x[:, :, :2, :])
        held = x[0, :, 2, :]
        means[1] = held  # model 1 is the held-out third sample of model 0
        norms.sample_sq[1], norms.counts[1] = np.einsum("pd,pd->p", held, held), 1
        pairs = pairwise_agreement(means, norms, np.ones((1, n)))
        ratios.append(float(agreement_stats.disattenuated(pairs.ratio[0, 1, 0], pairs.pair_ceilings[0, 1, 0],
                                                          pairs.pair_ceilings[0, 1, 0])))
        whole.append(pairs.ratio[0, 1, 0] / pairs.ceilings[0, 0])
    assert abs(np.median(ratios) - 1.0) < 0.03
    assert np.median(whole) > 1.05


def test_a_disattenuated_agreement_is_given_only_with_an_interval_that_holds_it() -> None:
    """An outside review's case: A and B make the same per-prompt choices (a true disattenuated
    agreement of 1), two samples a prompt, choices weak beside the sampling noise, 12 prompts. The
    ceilings come near 0 and the ratio explodes; up to 0.3.13 an estimate of 10.49 was given with
    an interval of 0.32 to 10.39 (over the resamples whose ceilings stayed positive). Now a ratio
    whose ceilings are not positive in more than 2.5% of resamples is not given at all, and every
    one that is given lies inside its interval. With stronger choices it is given."""
    rng = np.random.default_rng(3)

    def run(n: int, choice: float) -> tuple[float, float, float]:
        k, d = 6, 10
        topic = 3.0 * rng.normal(size=(n, d))
        shared = choice * rng.normal(size=(n, d))
        chosen = [shared, shared] + [choice * rng.normal(size=(n, d)) for _ in range(k - 2)]
        x = np.stack([np.stack([topic + chosen[m] + rng.normal(size=(n, d)) for _ in range(2)], axis=1)
                      for m in range(k)])
        means, norms = _sampled(x)
        weights = np.vstack([np.ones(n), bootstrap_weights(n, 300, rng)])
        pairs = pairwise_agreement(means, norms, weights)
        return agreement_stats.disattenuated_interval(pairs.ratio[0, 1], pairs.pair_ceilings[0, 1],
                                                      pairs.pair_ceilings[1, 0], 0.95)

    for choice in (0.3, 0.6):  # 0.3: 30 of 40 intervals missed their estimate in the review
        weak = [run(12, choice) for _ in range(30)]
        given = [row for row in weak if np.isfinite(row[0])]
        assert len(given) < len(weak)  # the unstable ones are withheld
        assert all(low <= estimate <= high for estimate, low, high in given)
    assert given  # with choices of 0.6, about half are stable enough to give
    # Two negative ceilings make a positive product: still no ratio (a review of 0.3.14's first version).
    assert all(np.isnan(agreement_stats.disattenuated_interval(np.full(50, 0.1), np.full(50, -0.2),
                                                               np.full(50, -0.3))))
    strong = [run(60, 1.0) for _ in range(20)]
    assert all(np.isfinite(row[0]) and row[1] <= row[0] <= row[2] for row in strong)
    assert sum(row[1] <= 1.0 <= row[2] for row in strong) >= 17


def test_the_combined_agreements_resamples_combine_the_families_of_its_estimate() -> None:
    """A family defined in the estimate but not in a resample makes that resample undefined (up to
    0.3.13 the resample combined the other families alone, so the interval described another
    statistic: −1.17 with an interval of −0.81 to 0.06 was seen); a family undefined in the
    estimate counts in no resample."""
    from stylesim.stats.families import weighted_over_families

    words = np.array([[0.2, 0.1, 0.3, np.nan]])
    chars = np.array([[0.6, 0.5, np.nan, 0.7]])
    unseen = np.array([[np.nan, 5.0, 5.0, 5.0]])
    combined = weighted_over_families([words, chars, unseen], np.array([0.5, 0.5, 1.0]), resampled=True)
    np.testing.assert_allclose(combined, [[0.4, 0.3, np.nan, np.nan]])
    # Per-prompt contributions (no resample axis) keep renormalising over the families defined.
    np.testing.assert_allclose(weighted_over_families([words, chars], np.array([0.5, 0.5])), [[0.4, 0.3, 0.3, 0.7]])


def test_the_partialled_agreement_is_the_semi_partial_correlation() -> None:
    """With the base partialled out, A's agreement with the teacher is the correlation of what is
    left of A with the teacher: the base's share leaves A's spread too. Here A = 0.8 base + 0.6
    teacher + noise (per-prompt choices of unit variance, noise variance 0.25 for A and the teacher),
    so it is 0.6 / sqrt((0.36 + 0.25)(1 + 0.25)) = 0.687; a denominator still holding the base's
    share gives 0.6 / 1.25 = 0.48 (a mutation audit found no test that told the two apart)."""
    rng = np.random.default_rng(1300)
    n, d, estimates = 200, 8, []
    for _ in range(20):
        topics = 3.0 * rng.normal(size=(n, d))
        base, teacher = rng.normal(size=(n, d)), rng.normal(size=(n, d))
        student = topics + 0.8 * base + 0.6 * teacher + 0.5 * rng.normal(size=(n, d))
        matrices = [student, topics + teacher + 0.5 * rng.normal(size=(n, d)), topics + base,
                    *(topics + rng.normal(size=(n, d)) + 0.5 * rng.normal(size=(n, d)) for _ in range(6))]
        folds = partial_stats.prompt_folds(n, 5, np.random.default_rng(0))
        result = anchor_agreement(matrices, _norms(matrices), np.ones((1, n)), partial=[2], folds=folds)
        assert result is not None
        estimates.append(float(result.ratio[1, 0]))
    expected = 0.6 / np.sqrt((0.36 + 0.25) * (1 + 0.25))
    assert abs(np.mean(estimates) - expected) < 0.03, (np.mean(estimates), expected)
