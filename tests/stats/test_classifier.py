"""The grouped-fold classifier two-sample test."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom, mannwhitneyu

from stylesim.stats.classifier import _auc, classifier_two_sample_test


def test_auc_matches_mann_whitney() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=40), rng.normal(0.5, size=35)
    statistic = mannwhitneyu(b, a).statistic
    assert _auc(b, a) == pytest.approx(statistic / (a.size * b.size))
    # Ties count one half, as in Mann-Whitney's U.
    a, b = rng.integers(0, 4, size=30).astype(float), rng.integers(1, 5, size=25).astype(float)
    assert _auc(b, a) == pytest.approx(mannwhitneyu(b, a).statistic / (a.size * b.size))
    assert _auc(np.ones(3), np.ones(4)) == 0.5


def test_separated_sources_give_high_auc_and_small_p() -> None:
    rng = np.random.default_rng(0)
    prompts = rng.normal(size=(60, 10))
    x = prompts + rng.normal(size=(60, 10))
    y = prompts + 1.0 + rng.normal(size=(60, 10))
    result = classifier_two_sample_test(x, y, n_permutations=99, rng=1)
    assert result.statistic > 0.9
    assert result.pvalue == pytest.approx(1 / 100)


def test_null_rejection_rate_is_calibrated() -> None:
    rng = np.random.default_rng(11)
    rejections = 0
    repetitions = 200
    for _ in range(repetitions):
        prompts = rng.normal(size=(30, 5))
        x = prompts + rng.normal(size=(30, 5))
        y = prompts + rng.normal(size=(30, 5))
        rejections += classifier_two_sample_test(x, y, n_permutations=39, rng=rng).pvalue <= 0.05
    low, high = binom.ppf([0.005, 0.995], repetitions, 0.05)
    assert low <= rejections <= high


def test_shape_mismatch_is_rejected() -> None:
    with pytest.raises(ValueError, match="same shape"):
        classifier_two_sample_test(np.zeros((5, 2)), np.zeros((4, 2)))


def test_vectorised_null_equals_retraining_per_swap() -> None:
    """The null from inner products equals swapping the rows and retraining, swap by swap."""
    from stylesim.stats.classifier import _null_aucs, _out_of_fold_auc

    rng = np.random.default_rng(12)
    n = 40
    x, y = rng.normal(size=(n, 6)), rng.normal(size=(n, 6))
    folds = np.arange(n) % 5
    signs = np.where(rng.random((9, n)) < 0.5, -1.0, 1.0)
    expected = [_out_of_fold_auc(np.where((s < 0)[:, None], y, x), np.where((s < 0)[:, None], x, y), folds, 5)
                for s in signs]
    np.testing.assert_allclose(_null_aucs(x, y, folds, 5, signs), expected, atol=1e-12)


def test_seed_and_permutations_are_honoured() -> None:
    rng = np.random.default_rng(13)
    x, y = rng.normal(size=(30, 4)), rng.normal(size=(30, 4))
    first = classifier_two_sample_test(x, y, n_permutations=77, rng=5)
    assert first.null_distribution.size == 77
    assert np.array_equal(first.null_distribution, classifier_two_sample_test(x, y, n_permutations=77, rng=5).null_distribution)
    assert not np.array_equal(first.null_distribution, classifier_two_sample_test(x, y, n_permutations=77, rng=6).null_distribution)


def test_average_ranks_match_scipy_rankdata_with_and_without_ties() -> None:
    from scipy.stats import rankdata

    from stylesim.stats.classifier import average_ranks

    rng = np.random.default_rng(4)
    for _ in range(200):
        shape = (int(rng.integers(1, 6)), int(rng.integers(1, 40)))
        tied = rng.integers(0, int(rng.integers(1, 20)), size=shape).astype(float)
        assert np.array_equal(average_ranks(tied), rankdata(tied, axis=1))
        smooth = rng.normal(size=shape)
        assert np.array_equal(average_ranks(smooth), rankdata(smooth, axis=1))
