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
