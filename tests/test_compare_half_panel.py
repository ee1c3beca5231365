"""compare's half-panel view: B's place among the panel models kept, with halves of the panel left
out of the analysis (a place that leans on a group of panel models)."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import SAMPLE_PANEL, SAMPLES

import stylesim
from stylesim.report import render_html
from stylesim.robustness import LeaveOutPlan, compare_half_panel
from stylesim.verdict import _compare_half_panel_sentence, compare_verdict

FAST = {"embeddings": False, "n_resamples": 40, "n_permutations": 40, "families": ("words",)}
A, B = SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl"


def _plain(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


def test_each_half_is_a_real_compare_with_that_half_of_the_panel(features_from_the_first_model: None) -> None:
    """With one family (so the full analysis's weights are the run's too) and the features held
    fixed (compare's own pool, every model, would refit them without the half left out), each run
    gives B's t, rank among the kept half and rank p-value of a compare whose panel is the kept half."""
    panel = SAMPLE_PANEL[:5]
    full = stylesim.compare(A, B, panel=panel, **FAST).to_dict()
    half = full["half_panel"]
    assert half["computed"] and half["exhaustive"]
    assert half["draws"] == len(half["runs"]) == math.comb(5, 3) and half["kept"] == 2
    assert half["pvalue_floor"] == pytest.approx(1 / 3)
    by_name = {stylesim.load_corpus(p).name: p for p in panel}
    for row in half["runs"][:4]:
        kept = [p for name, p in by_name.items() if name not in row["left_out"]]
        reduced = stylesim.compare(A, B, panel=kept, **FAST).to_dict()
        assert row["t"] == pytest.approx(reduced["agreement"]["t"], abs=2e-3)
        assert row["agreement"] == pytest.approx(reduced["agreement"]["overall"]["estimate"], abs=2e-3)
        assert (row["rank"], row["of"]) == (reduced["panel"]["rank"], reduced["panel"]["n"])
        assert row["pvalue"] == pytest.approx(reduced["panel"]["pvalue"], abs=1e-6)
    ts = [row["t"] for row in half["runs"]]
    assert half["t"]["min"] == min(ts) and half["t"]["max"] == max(ts)
    assert half["moved"] == sum(row["moved"] for row in half["runs"])


def test_the_view_says_why_it_is_missing() -> None:
    none = stylesim.compare(A, B, **FAST).to_dict()
    assert none["half_panel"] == {"computed": False, "reason": "no panel"}
    two = stylesim.compare(A, B, panel=SAMPLE_PANEL[:2], **FAST).to_dict()
    assert two["half_panel"] == {"computed": False, "reason": "it needs at least 3 panel models"}
    three = stylesim.compare(A, B, panel=SAMPLE_PANEL[:3], **FAST).to_dict()
    assert three["half_panel"] == {"computed": False,
                                   "reason": "leaving half the panel out would leave fewer than four models"}
    assert three["leave_one_out"]["computed"]
    assert "Not computed: leaving half the panel out" in render_html(three)


def test_the_halves_follow_the_panel_names_not_the_file_order() -> None:
    forward = stylesim.compare(A, B, panel=SAMPLE_PANEL[:5], **FAST).to_dict()["half_panel"]
    backward = stylesim.compare(A, B, panel=SAMPLE_PANEL[:5][::-1], **FAST).to_dict()["half_panel"]
    assert forward["runs"] == backward["runs"]


def _block(full_t: np.ndarray, t: np.ndarray, halves: list[tuple[int, ...]]) -> dict:
    names = [SimpleNamespace(name=n) for n in ("a", "b", "p1", "p2", "p3", "p4")]
    runs = LeaveOutPlan(one=[], halves=halves, exhaustive=True)
    return compare_half_panel(names, [2, 3, 4, 5], runs, t, t, full_t)


def test_a_move_is_a_rank_other_than_removal_alone_gives() -> None:
    """B is second behind p1. Without p1 it is first by removal alone; a half where a kept model
    overtakes B moves it, and the view names the models whose absence goes with that."""
    full_t = np.array([np.nan, 3.0, 4.0, 1.0, 0.5, 0.2])
    halves = [(2, 3), (2, 4), (2, 5), (3, 4), (3, 5), (4, 5)]
    t = np.tile(full_t, (6, 1))
    for d, group in enumerate(halves):
        t[d, list(group)] = np.nan
    t[3, 5] = 3.5  # p2 and p3 out: p4 overtakes B
    t[4, 4] = 3.5  # p2 and p4 out: p3 overtakes B
    block = _block(full_t, t, halves)
    assert [(r["rank"], r["expected_rank"], r["direction"]) for r in block["runs"]] == [
        (1, 1, None), (1, 1, None), (1, 1, None), (3, 2, "down"), (3, 2, "down"), (2, 2, None)]
    assert (block["moved"], block["moved_up"], block["moved_down"]) == (2, 0, 2)
    assert block["rank_range"] == [1, 3] and block["first"] == 3
    assert block["leaning_down"][0]["name"] == "p2" and block["leaning_up"] == []  # both falls are without p2
    assert block["pvalue"] == {"min": pytest.approx(1 / 3), "median": pytest.approx(0.5), "max": 1.0}
    sentence = _plain(_compare_half_panel_sentence(block, "b"))
    assert sentence == ("b's place among the panel models kept depends on which half of the panel is in the "
                        "background: over the 6 ways of leaving 2 of the 4 panel models out, it falls below its "
                        "place by removal alone in 2, most often when p2 is among those left out; its rank p-value against the "
                        "kept half ranges from 0.333 to 1 (median 0.5).")
    t[0, 3] = 3.5  # p1 and p2 out: p3 would overtake B, but now B rises instead
    t[0, 3], t[1, 1] = 1.0, 4.5  # p1 and p3 out: B stays first (by removal alone too)
    t[5, 2], t[5, 1] = 2.0, 3.0  # p3 and p4 out: B rises above p1
    both = _compare_half_panel_sentence(_block(full_t, t, halves), "b")
    assert "it rises above its place by removal alone in 1, most often when" in _plain(both)
    assert "and falls below it in 2" in _plain(both)
    steady = _block(full_t, t[:3], halves[:3])
    assert steady["moved"] == 0
    assert _plain(_compare_half_panel_sentence(steady, "b")).startswith(
        "b keeps its place among the panel models kept over the 3 ways")


def test_halves_where_b_has_no_finite_t_are_left_out_of_every_summary() -> None:
    full_t = np.array([np.nan, 3.0, 4.0, 1.0, 0.5, 0.2])
    halves = [(2, 3), (2, 4), (2, 5), (3, 4), (3, 5), (4, 5)]
    t = np.tile(full_t, (6, 1))
    for d, group in enumerate(halves):
        t[d, list(group)] = np.nan
    t[3, 1] = t[4, 1] = np.nan
    block = _block(full_t, t, halves)
    assert block["with_pvalue"] == 4 and block["moved"] == 0
    assert block["rank_range"] == [1, 2]  # not the placeholder rank of the NaN halves
    sentence = _plain(_compare_half_panel_sentence(block, "b"))
    assert "(b has a finite t in 4 of them)" in sentence


def test_a_nan_for_b_is_never_a_move_and_gives_no_sentence() -> None:
    full_t = np.array([np.nan, np.nan, 4.0, 1.0, 0.5, 0.2])
    halves = [(2, 3), (4, 5)]
    t = np.tile(full_t, (2, 1))
    block = _block(full_t, t, halves)
    assert block["moved"] == 0 and block["with_pvalue"] == 0 and block["pvalue"] is None
    assert _compare_half_panel_sentence(block, "b") is None


def test_a_move_is_said_before_the_caveats_a_steady_place_after() -> None:
    data = stylesim.compare(A, B, panel=SAMPLE_PANEL[:5], **FAST).to_dict()
    half = data["half_panel"]
    steady = [_plain(d) for d in compare_verdict(data)["details"]]
    at = next(i for i, d in enumerate(steady) if d.startswith(f"{data['models']['b']} keeps its place among the "
                                                                "panel models kept"))
    assert at > 1 and steady[at - 1].startswith(f"{data['models']['b']} keeps its place among the other panel")
    half["moved"] = half["moved_up"] = 1
    half["leaning_up"] = [{"name": data["models"]["panel"][0]}]
    moved = [_plain(d) for d in compare_verdict(data)["details"]]
    assert moved[1].startswith(f"{data['models']['b']}'s place among the panel models kept depends on")


def test_the_report_shows_each_half_and_escapes_names(tmp_path) -> None:  # noqa: ANN001
    data = stylesim.compare(A, B, panel=SAMPLE_PANEL[:5], **FAST).to_dict()
    data["half_panel"]["runs"][0]["left_out"][0] = "<b>evil</b>"
    data["half_panel"]["runs"][0]["moved"] = True
    html = render_html(data)
    section = html[html.index('id="t-cmp-half-panel"'):]
    section = section[:section.index("</table>")]
    assert section.count("<tr") == 1 + data["half_panel"]["draws"]
    assert "&lt;b&gt;evil&lt;/b&gt;" in section and "<b>evil</b>" not in section
    assert re.search(r"<strong>\s*\d+ of 3\s*</strong>", section)
    assert "All 10 ways of keeping 2 of the 5 panel models were run." in html


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_other_students_of_b_in_the_panel_hide_it_until_half_the_panel_drops_them(seed: int) -> None:
    """A learned from B (and a little from U); three other students of B sit in the panel with U and
    five unrelated models. The students carry B's voice into the background, so B is not A's
    nearest panel model; B comes first among the models kept in every half that leaves all three
    out, which no single left-out model shows (beyond leaving out U, which ranks above B)."""
    from test_half_panel import group_runs

    from stylesim import robustness

    names = ["A", "B", "U", "B-student-1", "B-student-2", "B-student-3", *(f"other-{i}" for i in range(5))]
    corpora = [SimpleNamespace(name=name) for name in names]
    panel = list(range(2, len(names)))
    t_full, runs, agreement, t = group_runs(seed, names, panel, panel)
    assert np.sum(t_full[panel] >= t_full[1]) >= 1  # B is not first among the panel
    one = robustness.compare_leave_one_out(corpora, panel, runs, t, agreement, t_full)
    half = robustness.compare_half_panel(corpora, panel, runs, t, agreement, t_full)
    # No single left-out model puts B first beyond what its removal does by itself.
    assert not any(row["rank"] == 1 and row["expected_rank"] > 1 for row in one["runs"])
    group = {"B-student-1", "B-student-2", "B-student-3"}
    without_group = [row for row in half["runs"] if group.issubset(row["left_out"])]
    assert without_group and all(row["rank"] == 1 for row in without_group)
    # With U kept, removal alone leaves B behind U: first place is the background's doing.
    assert all(row["moved"] for row in without_group if "U" not in row["left_out"])
    assert any("U" not in row["left_out"] for row in without_group)
    assert half["rank_range"][0] == 1 and half["moved_up"] >= 1
    # B rises to first, above its place by removal alone, only in halves without all three of its
    # other students, and it is their absence that goes with B rising.
    assert all(group.issubset(row["left_out"]) for row in half["runs"] if row["direction"] == "up" and row["rank"] == 1)
    assert {row["name"] for row in half["leaning_up"]} == group
