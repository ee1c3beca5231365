"""A classifier two-sample test: can held-out answers be told apart, prompt by prompt?

Rows are A's and B's per-prompt vectors. Folds are grouped by prompt (both answers to a prompt are
always in the same fold), the classifier is the difference of the two training means (a linear
rule with no tuning), and the out-of-fold scores give an AUC: 0.5 means the two models cannot be
told apart on unseen prompts, 1 means always. The permutation null swaps A's and B's answers within
each prompt, as the equality test does: p = (1 + #{AUC* >= AUC}) / (B + 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .resampling import n_units, permutation_pvalue


@dataclass
class ClassifierTestResult:
    """Out-of-fold AUC, its permutation p-value and null distribution."""

    statistic: float
    pvalue: float
    null_distribution: np.ndarray


def _auc(scores_b: np.ndarray, scores_a: np.ndarray) -> float:
    """P(score of a B answer > score of an A answer), ties counting half (Mann-Whitney)."""
    ordered = np.sort(scores_a)
    below = np.searchsorted(ordered, scores_b, side="left")
    ties = np.searchsorted(ordered, scores_b, side="right") - below
    return float((below.sum() + 0.5 * ties.sum()) / (scores_b.size * scores_a.size))


def _out_of_fold_auc(x: np.ndarray, y: np.ndarray, folds: np.ndarray, n_folds: int) -> float:
    scores_a = np.empty(x.shape[0])
    scores_b = np.empty(y.shape[0])
    for fold in range(n_folds):
        test = folds == fold
        train = ~test
        direction = y[train].mean(axis=0) - x[train].mean(axis=0)
        scores_a[test] = x[test] @ direction
        scores_b[test] = y[test] @ direction
    return _auc(scores_b, scores_a)


def classifier_two_sample_test(
    x: np.ndarray,
    y: np.ndarray,
    *,
    n_folds: int = 5,
    n_permutations: int = 100,
    rng: np.random.Generator | int | None = None,
    groups: np.ndarray | None = None,
) -> ClassifierTestResult:
    """Grouped-fold AUC of telling ``y`` rows from ``x`` rows, with a within-prompt permutation null.

    Parameters
    ----------
    x, y
        Dense arrays (prompts x features): row p of each is that model's answer to prompt p.
    n_folds
        Folds over prompts (at most the number of prompts).
    n_permutations
        Within-prompt label swaps for the null.
    rng
        Seed or generator for the fold split and the swaps.
    groups
        Each prompt's resampling unit (variants of one prompt): folds and swaps then take whole
        units. None: every prompt is a unit.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 2:
        raise ValueError("x and y must be 2-D arrays of the same shape (prompts x features)")
    n = x.shape[0]
    units = n_units(n, groups)
    index = np.arange(n) if groups is None else groups
    n_folds = max(2, min(n_folds, units))
    rng = np.random.default_rng(rng)
    folds = np.empty(units, dtype=int)
    folds[rng.permutation(units)] = np.arange(units) % n_folds
    folds = folds[index]
    observed = _out_of_fold_auc(x, y, folds, n_folds)
    signs = np.where(rng.random((n_permutations, units)) < 0.5, -1.0, 1.0)[:, index]
    null = _null_aucs(x, y, folds, n_folds, signs)
    return ClassifierTestResult(observed, permutation_pvalue(observed, null), null)


def _null_aucs(x: np.ndarray, y: np.ndarray, folds: np.ndarray, n_folds: int, signs: np.ndarray,
               block: int = 256) -> np.ndarray:
    """Out-of-fold AUCs for every row of within-prompt swaps (-1 = swap), all at once.

    With m_p = (x_p + y_p)/2 and d_p = y_p - x_p a swap flips d_p's sign, so the fold's direction
    is the mean of e_q d_q over its training prompts (one matrix product for a block of swaps) and
    the test scores are m_p.dir -/+ e_p d_p.dir/2. Memory stays at (swaps x features), whatever
    the number of prompts.
    """
    mids, diffs = (x + y) / 2.0, y - x
    null = np.empty(signs.shape[0])
    for start in range(0, signs.shape[0], block):
        e = signs[start : start + block]
        scores_a = np.empty(e.shape)
        scores_b = np.empty(e.shape)
        for fold in range(n_folds):
            test = folds == fold
            train = ~test
            directions = e[:, train] @ diffs[train] / train.sum()
            along_m = directions @ mids[test].T
            half = e[:, test] * (directions @ diffs[test].T) / 2.0
            scores_a[:, test] = along_m - half
            scores_b[:, test] = along_m + half
        null[start : start + block] = _auc_rows(scores_b, scores_a)
    return null


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Row-wise ranks 1..n, tied values sharing their average rank (as scipy.stats.rankdata's
    default; done here because importing scipy.stats costs a compare a second or two)."""
    values = np.atleast_2d(values)
    rows, n = values.shape
    order = np.argsort(values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    positions = np.broadcast_to(np.arange(n), (rows, n))
    first = np.ones((rows, n), dtype=bool)
    first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    if first.all():  # no ties (continuous scores): the sorted position is the rank
        mid = positions + 1.0
    else:
        last = np.ones((rows, n), dtype=bool)
        last[:, :-1] = first[:, 1:]
        start = np.maximum.accumulate(np.where(first, positions, 0), axis=1)
        end = np.flip(np.minimum.accumulate(np.flip(np.where(last, positions, n), axis=1), axis=1), axis=1)
        mid = (start + end) / 2.0 + 1.0
    ranks = np.empty((rows, n))
    np.put_along_axis(ranks, order, mid, axis=1)
    return ranks


def _auc_rows(scores_b: np.ndarray, scores_a: np.ndarray) -> np.ndarray:
    """Row-wise Mann-Whitney AUC (ties count half), via average ranks of the pooled scores."""
    pooled = np.concatenate([scores_b, scores_a], axis=1)
    ranks = average_ranks(pooled)
    n_b, n_a = scores_b.shape[1], scores_a.shape[1]
    return (ranks[:, :n_b].sum(axis=1) - n_b * (n_b + 1) / 2.0) / (n_b * n_a)
