"""stylesim.stats.panel: rank among a panel, closeness index and Holm's adjustment."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stylesim.stats import panel

SETTINGS = settings(max_examples=150, deadline=None)

# ---------------------------------------------------------------------------------------------
# rank_among
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("observed", "values", "rank", "pvalue"),
    [
        (0.9, [0.1, 0.2, 0.3, 0.4], 1, 1 / 5),  # closest of all: the smallest possible p
        (0.35, [0.1, 0.2, 0.3, 0.4], 2, 2 / 5),
        (0.0, [0.1, 0.2, 0.3, 0.4], 5, 5 / 5),  # furthest: p = 1
        (0.3, [0.1, 0.2, 0.3, 0.4], 3, 3 / 5),  # a tie counts against the candidate
        (0.3, [0.3, 0.3, 0.3], 4, 4 / 4),  # all tied: p = 1
        (0.5, [], 1, math.nan),  # nothing to rank against: no p-value (before 0.3.10, p = 1)
        (0.5, [np.nan, np.inf], 1, math.nan),  # the same when no panel value is finite
        (-6.000000000000001, [-5.999999999999998, -6.0], 3, 3 / 3),  # last-bit differences are ties
        (0.5, [0.1, np.nan, 0.7, np.inf], 2, 2 / 3),  # non-finite panel values are dropped
    ],
)
def test_rank_among_exact_values(observed: float, values: list, rank: int, pvalue: float) -> None:
    got_rank, got_p = panel.rank_among(observed, values)
    assert got_rank == rank
    assert isinstance(got_rank, int)
    assert got_p == pytest.approx(pvalue, rel=1e-15, nan_ok=True)


@given(st.floats(-10, 10), st.lists(st.floats(-10, 10), max_size=30))
@SETTINGS
def test_rank_among_formula(observed: float, values: list[float]) -> None:
    """p = (1 + #{panel >= obs}) / (k + 1), rank = 1 + #{panel >= obs} (ties within the tolerance)."""
    k = len(values)
    at_least = sum(v >= observed - panel.tie_tolerance(observed) for v in values)
    rank, p = panel.rank_among(observed, values)
    assert rank == 1 + at_least
    if k == 0:
        assert math.isnan(p)
        return
    assert p == pytest.approx((1 + at_least) / (k + 1))
    assert 1 / (k + 1) <= p <= 1


def test_rank_among_pvalue_is_uniform_for_an_exchangeable_candidate() -> None:
    """If the candidate is one more exchangeable draw, P(p <= j/(k+1)) = j/(k+1) exactly."""
    rng = np.random.default_rng(0)
    k, reps = 9, 20000
    draws = rng.normal(size=(reps, k + 1))
    pvalues = np.array([panel.rank_among(row[0], row[1:])[1] for row in draws])
    for j in range(1, k + 1):
        rate = np.mean(pvalues <= j / (k + 1) + 1e-12)
        assert abs(rate - j / (k + 1)) < 4 * math.sqrt(0.25 / reps)


def test_rank_among_nan_observation_is_not_significant() -> None:
    """An undefined similarity is not the closest model: rank k + 1 (last) and p NaN, as
    permutation_pvalue does; k counts the finite panel values only."""
    rank, p = panel.rank_among(float("nan"), [0.1, 0.2, 0.3, 0.4])
    assert math.isnan(p)
    assert rank == 5 and isinstance(rank, int)
    rank, p = panel.rank_among(float("nan"), [0.1, np.nan, 0.3])
    assert math.isnan(p)
    assert rank == 3
    rank, p = panel.rank_among(float("nan"), [])
    assert math.isnan(p)
    assert rank == 1


# ---------------------------------------------------------------------------------------------
# closeness_index
# ---------------------------------------------------------------------------------------------


def test_closeness_index_anchors() -> None:
    median = np.array([0.2, 0.5, -0.1])
    ceiling = np.array([0.8, 0.9, 0.3])
    np.testing.assert_allclose(panel.closeness_index(median, median, ceiling), 0.0, atol=1e-15)
    np.testing.assert_allclose(panel.closeness_index(ceiling, median, ceiling), 1.0, rtol=1e-15)
    halfway = (median + ceiling) / 2
    np.testing.assert_allclose(panel.closeness_index(halfway, median, ceiling), 0.5, rtol=1e-12)
    # Default ceiling 1; below the median is negative.
    assert panel.closeness_index(np.array(0.6), np.array(0.2)) == pytest.approx(0.5)
    assert panel.closeness_index(np.array(0.0), np.array(0.2)) == pytest.approx(-0.25)


def test_closeness_index_degenerate_is_non_finite_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = panel.closeness_index(np.array([0.5, 0.7]), np.array([0.5, 0.5]), np.array(0.5))
    assert np.isnan(out[0])
    assert np.isposinf(out[1])


@given(st.floats(-5, 5), st.floats(-5, 5), st.floats(-5, 5))
@SETTINGS
def test_closeness_index_is_affine(sim: float, median: float, ceiling: float) -> None:
    if abs(ceiling - median) < 1e-3:
        return
    got = float(panel.closeness_index(np.array(sim), np.array(median), np.array(ceiling)))
    assert got == pytest.approx((sim - median) / (ceiling - median), rel=1e-12, abs=1e-12)


# ---------------------------------------------------------------------------------------------
# holm
# ---------------------------------------------------------------------------------------------


def _holm_reference(p: list[float]) -> list[float]:
    """Holm (1979) from its definition, tie-order free: for each hypothesis, the largest
    (m - #{smaller p}) * p_j over hypotheses j with p_j <= p_i, capped at 1; NaNs skipped."""
    finite = [i for i, v in enumerate(p) if math.isfinite(v)]
    m = len(finite)
    out = [math.nan] * len(p)
    for i in finite:
        best = max(
            (m - sum(p[k] < p[j] for k in finite)) * p[j] for j in finite if p[j] <= p[i]
        )
        out[i] = min(1.0, best)
    return out


def test_holm_hand_computation() -> None:
    # sorted: 0.005 (x4 = 0.02), 0.01 (x3 = 0.03), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04 -> 0.06)
    got = panel.holm([0.01, 0.04, 0.03, 0.005])
    assert got == pytest.approx([0.03, 0.06, 0.06, 0.02], rel=1e-12)
    assert panel.holm([0.5, 0.6]) == pytest.approx([1.0, 1.0])  # capped at 1
    assert panel.holm([0.02]) == pytest.approx([0.02])
    assert panel.holm([]) == []


def test_holm_nan_passthrough() -> None:
    got = panel.holm([0.01, float("nan"), 0.04, None])
    assert math.isnan(got[1]) and math.isnan(got[3])
    # NaNs do not count towards m (m = 2 here).
    assert got[0] == pytest.approx(0.02)
    assert got[2] == pytest.approx(0.04)
    assert all(math.isnan(v) for v in panel.holm([float("nan")] * 3))


p_values = st.one_of(st.floats(0, 1), st.just(float("nan")), st.sampled_from([0.01, 0.05, 0.5]))


@given(st.lists(p_values, max_size=25))
@SETTINGS
def test_holm_matches_reference_and_is_monotone(p: list[float]) -> None:
    got = panel.holm(p)
    expected = _holm_reference(p)
    assert len(got) == len(p)
    for g, e, raw in zip(got, expected, p):
        if math.isnan(raw):
            assert math.isnan(g)
            continue
        assert g == pytest.approx(e, rel=1e-12, abs=1e-15)
        assert raw <= g + 1e-15 <= 1.0 + 1e-15  # never below the raw p-value, never above 1
    finite = [(raw, g) for raw, g in zip(p, got) if not math.isnan(raw)]
    for raw_a, adj_a in finite:  # order-preserving: a smaller raw p never gets a larger adjusted
        for raw_b, adj_b in finite:
            if raw_a < raw_b:
                assert adj_a <= adj_b + 1e-15
            if raw_a == raw_b:
                assert adj_a == adj_b


@given(st.lists(st.floats(0, 1), min_size=1, max_size=20), st.randoms())
@SETTINGS
def test_holm_is_equivariant_to_order(p: list[float], rnd) -> None:  # noqa: ANN001
    order = list(range(len(p)))
    rnd.shuffle(order)
    shuffled = panel.holm([p[i] for i in order])
    original = panel.holm(p)
    assert shuffled == pytest.approx([original[i] for i in order], rel=1e-12, abs=1e-15)


def test_selection_pvalues_count_last_bit_differences_as_ties() -> None:
    """Five models with the same t up to rounding: every one ties the others, whatever the last bits."""
    from stylesim.stats.agreement import selection_pvalues

    candidates = [-6.000000000000001, -5.999999999999998]
    assert selection_pvalues(candidates, [-6.0, -5.999999999999999, -6.000000000000002]) == [1.0, 1.0]
    # A real difference is not a tie: the better candidate is the best of 2 among 5.
    assert selection_pvalues([1.0, 0.5], [0.4, 0.3, 0.2])[0] == pytest.approx(2 / 5)


def test_at_least_as_close_is_the_rank_p_values_rule() -> None:
    """The flags attribute writes beside each panel model are the rank p-value's own rule: a value
    below by more than the tie tolerance is not at least as close, even where 4 decimals round it
    to the same number (0.3.11 compared rounded t); NaN is never at least as close."""
    from stylesim.stats.panel import at_least_as_close, rank_among

    top = 6.13044
    panel = [6.13036, top * (1 - 1e-12), 7.0, float("nan"), -1.0]
    flags = at_least_as_close(panel, top)
    assert flags == [False, True, True, False, False]
    assert rank_among(top, panel) == (1 + sum(flags), (1 + sum(flags)) / 5)  # four finite panel values
    assert at_least_as_close(panel, float("nan")) == [False] * 5


def test_no_closeness_index_where_the_ceiling_is_not_above_the_panel_median() -> None:
    """0.20 against a median of 0.30 and a ceiling of 0.25 read 2.0 up to 0.3.13, "twice as close
    as itself" for a model below the median; the ratio's meaning turns round, so there is none."""
    resamples = np.full(50, 0.2)
    estimate, low, high = panel.index_interval(resamples, np.full(50, 0.3), np.full(50, 0.25))
    assert np.isnan(estimate) and np.isnan(low) and np.isnan(high)
    estimate, low, high = panel.index_interval(resamples, np.full(50, 0.1), np.full(50, 0.3))
    assert estimate == pytest.approx(0.5) and low == pytest.approx(0.5)
