"""Number formatting and chart geometry helpers used by every report."""

from __future__ import annotations

import math

import pytest

from stylesim.report import fmt
from stylesim.report.charts import ForestInput, MarkInput, RefInput, forest, histogram_chart
from stylesim.report.svg import Scale, nice_domain


@pytest.mark.parametrize(("value", "text"), [
    (0.0005, "0.0005"), (0.0035, "0.0035"), (0.5, "0.5"), (1.0, "1"), (0.049999, "0.05"),
    # Three digits, as the verdicts print them: the floor 1/6 must not read as 0.17 beside "0.167".
    (1 / 6, "0.167"), (2 / 7, "0.286"), (1 / 8, "0.125"), (0.12, "0.12"), (1 / 201, "0.00498"),
    (0.00012, "0.00012"), (1 / 2001, "0.0005"), (3.4e-5, "3.4e-5"), (3.4e-7, "3.4e-7"), (0.0, "0"), (None, "n/a"), (float("nan"), "n/a"), ("x", "n/a"),
])
def test_pvalues(value, text):
    assert fmt.pval(value) == text


def test_a_pvalue_at_the_permutation_floor_is_an_upper_bound():
    floor = fmt.permutation_floor({"parameters": {"permutations": 2000}})
    assert floor == pytest.approx(1 / 2001)
    assert fmt.pval_bounded(round(1 / 2001, 6), floor) == "\u2264 0.0005"  # rounded in the result, still the floor
    assert fmt.p_relation(1 / 2001, floor) == "\u2264 0.0005"
    assert fmt.p_relation(2 / 2001, floor) == "= 0.001" and fmt.pval_bounded(0.3, floor) == "0.3"
    assert fmt.permutation_floor({"parameters": {}}) is None and fmt.p_relation(1 / 2001, None) == "= 0.0005"


def test_estimates_and_intervals():
    assert fmt.est(0.30449) == "0.304"
    assert fmt.est(-0.0364) == "\u22120.036"
    assert fmt.est(-0.0001) == "0.000"  # no "negative zero"
    assert fmt.ci(0.2765, 0.3345) == "0.277 to 0.335" or fmt.ci(0.2765, 0.3345) == "0.276 to 0.335"
    assert fmt.ci(None, 0.3) == "n/a"
    assert fmt.est(math.inf) == "n/a" and fmt.est(True) == "n/a"


def test_statistics_and_rates():
    assert fmt.sig(131.655838) == "132"
    assert fmt.sig(0.01803957) == "0.0180"
    assert fmt.sig(-1.49439) == "\u22121.49"
    assert fmt.rate(0.354, "share of answers") == "35%"
    assert fmt.rate(13.079, "per 1k words") == "13.1"
    assert fmt.rate(0.34, "per 1k words") == "0.34"
    assert fmt.count(12345) == "12,345" and fmt.count(None) == "n/a"
    assert fmt.text(0.7) == "0.7" and fmt.text(None) == "n/a" and fmt.text(["a", "b"]) == "a, b"


def test_clip_cuts_at_a_word_and_says_so():
    text, cut = fmt.clip("word " * 100, 52)
    assert cut and len(text) <= 54 and text.endswith("\u2026") and "wor \u2026" not in text
    assert fmt.clip("short", 10) == ("short", False)


def test_nice_domain_and_scale():
    lo, hi, step = nice_domain([0.064, 0.497])
    assert lo <= 0.064 and hi >= 0.497 and step in (0.1, 0.2)
    scale = Scale(0.0, 1.0, 10.0, 110.0)
    assert scale(0.5) == 60.0 and scale.clamp(5.0) == 110.0 and not scale.contains(-0.1)
    assert nice_domain([])[:2] == (0.0, 1.0)
    lo, hi, _ = nice_domain([0.3, 0.3])
    assert lo < 0.3 < hi


def test_forest_places_rows_refs_and_ticks():
    chart = forest([ForestInput("B", 0.3, 0.25, 0.35, "target"), ForestInput("P", 0.06, 0.03, 0.1, "panel")],
                   [RefInput("ceiling", 0.5, "ceiling", 0.48, 0.52), RefInput("median", None, "median")],
                   axis_label="x", desc="d")
    assert [r.kind for r in chart.rows] == ["target", "panel"]
    assert len(chart.refs) == 1 and chart.refs[0].band_w > 0
    b = chart.rows[0]
    assert chart.left <= b.lo < b.x < b.hi <= chart.right
    assert chart.ticks[0].pos == chart.left and chart.ticks[-1].pos == chart.right
    assert "95% CI 0.250 to 0.350" in b.value


def test_histogram_marks_a_far_observation_off_scale():
    chart = histogram_chart([0.0, 0.1, -0.1, 0.05], [MarkInput("observed", 40.0, "observed")], axis_label="t",
                            desc="d")
    assert chart.markers[0].off_scale and chart.markers[0].x == chart.right
    near = histogram_chart([0.0, 0.1, -0.1, 0.05], [MarkInput("observed", 0.12, "observed")], axis_label="t",
                           desc="d")
    assert not near.markers[0].off_scale and near.left < near.markers[0].x < near.right
    assert histogram_chart([None, "x"], [], axis_label="t", desc="d") is None


def test_p_text_reads_nan_as_not_available() -> None:
    from stylesim.stats.resampling import p_text

    assert p_text(float("nan")) == "n/a" and p_text(float("inf")) == "n/a"


def test_a_withheld_interval_is_said_to_be_withheld_not_n_a() -> None:
    """0.3.14 withholds an interval whose resamples are too often undefined; a key figure says
    so rather than showing "n/a" beside a number."""
    assert fmt.ci_label({"estimate": 0.2, "ci_low": 0.1, "ci_high": 0.3}, "95%") == "95% CI 0.100 to 0.300"
    assert fmt.ci_label({"estimate": 0.2, "ci_low": None, "ci_high": None}, "95%") == (
        "no 95% CI: unstable over prompt resamples")
    assert fmt.ci_label({"estimate": None}, "95%") == f"95% CI {fmt.NA}"
    assert fmt.ci_label(None, "90%") == f"90% CI {fmt.NA}"


@pytest.mark.parametrize(("value", "text"), [(0, "0%"), (0.004, "<1%"), (0.47, "47%"), (0.995, ">99%"), (1, "100%"),
                                             (0.95, "95%"), (None, fmt.NA)])
def test_a_share_short_of_all_never_shows_as_all(value, text):
    """A candidate first in 199 of 200 resamples showed "100%" (before 0.3.17)."""
    assert fmt.percent(value) == text
    assert fmt.percent(0.99999, 2) == ">99.99%" and fmt.percent(0.9512, 2) == "95.12%"
