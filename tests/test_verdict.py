"""The attribute verdict's headline against the panel: what it may and may not call unusual."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import voice_rows, write_jsonl

import stylesim
from stylesim.verdict import compare_verdict
from stylesim.verdict_attribute import attribute_verdict


def _result(pvalue: float, panel_size: int, score: float = 0.37, median: float = 0.0, m: int = 2) -> dict:
    candidates = [{"name": "teacher", "statistic": "agreement", "score": score, "ci_low": score - 0.05,
                   "ci_high": score + 0.05, "pvalue": pvalue, "top_share": 1.0}]
    candidates += [{"name": f"other-{i}", "statistic": "agreement", "score": -0.1, "ci_low": -0.2, "ci_high": 0.0,
                    "pvalue": 1.0} for i in range(m - 1)]
    return {"models": {"student": "student"}, "parameters": {"confidence": 0.95}, "candidates": candidates,
            "panel": {"n": panel_size, "median": median}}


def test_a_winner_at_a_small_panels_floor_is_not_called_unremarkable_or_unusual() -> None:
    # 2 candidates, 3 panel models: p cannot be below 2/5. The winner beat every panel model.
    headline = attribute_verdict(_result(pvalue=0.4, panel_size=3))["headline"]
    assert "closer than any of the 3 panel models" in headline
    assert "not unusual" in headline and "the smallest this panel allows for the best of 2" in headline
    assert "No candidate stands out" not in headline
    # One candidate with 3 panel models: the floor is 1/4.
    single = attribute_verdict(_result(pvalue=0.25, panel_size=3, m=1))["headline"]
    assert "not unusual (p = 0.25, the smallest this panel allows)." in single


@pytest.mark.parametrize("pvalue, panel_size, expected", [
    (0.6, 3, "No candidate stands out"),  # above the floor: panel models came as close
    (0.5, 40, "No candidate stands out"),
    (0.01, 40, "closer than the 40 panel models make likely"),
])
def test_headline_follows_the_pvalue_when_the_panel_allows(pvalue: float, panel_size: int, expected: str) -> None:
    assert expected in attribute_verdict(_result(pvalue=pvalue, panel_size=panel_size))["headline"]


def test_a_winner_below_the_panel_median_stands_out_from_nothing_even_at_the_floor() -> None:
    headline = attribute_verdict(_result(pvalue=0.4, panel_size=3, score=-0.2, median=0.0))["headline"]
    assert "No candidate stands out" in headline


@pytest.mark.parametrize("m", [1, 2, 8])
def test_the_panel_size_hint_is_what_the_best_of_m_needs(m: int) -> None:
    # m / (m + n) <= 0.05 needs n >= 19 m panel models.
    details = " ".join(attribute_verdict(_result(pvalue=0.6, panel_size=5, m=m))["details"])
    assert f"a panel of {19 * m} or more models" in details


@pytest.mark.parametrize(("m", "panel_size", "hinted"), [(2, 20, True), (2, 37, True), (2, 38, False), (8, 40, True),
                                                         (1, 19, False)])
def test_the_panel_size_hint_comes_until_the_floor_reaches_five_percent(m: int, panel_size: int, hinted: bool) -> None:
    """A panel of 19 or more is not enough for the best of m: the floor m / (m + n) reaches 0.05 at
    19 m (a mutation audit found the hint tested only below 19 panel models)."""
    details = " ".join(attribute_verdict(_result(pvalue=0.6, panel_size=panel_size, m=m))["details"])
    assert (f"a panel of {19 * m} or more models" in details) is hinted, details
    assert ("the smallest possible p-value for the top candidate is" in details) is hinted


def test_a_floor_p_rounded_up_in_the_result_is_still_the_floor() -> None:
    # 1 candidate, 5 panel models: the floor 1/6 is stored as 0.166667, above 1/6.
    headline = attribute_verdict(_result(pvalue=0.166667, panel_size=5, m=1))["headline"]
    assert "than any of the 5 panel models" in headline and headline.startswith("\u2068teacher\u2069 is closer to") and "No candidate" not in headline
    large = attribute_verdict(_result(pvalue=round(2 / 42, 6), panel_size=40))["headline"]
    assert "make likely (p = 0.0476, best of 2 candidates, the smallest this panel allows)" in large


# --- compare ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grouped_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("verdict")
    specs = (("model-a", "plain", 1), ("model-b", "plain", 2), ("model-c", "fancy", 3), ("model-d", "fancy", 4))
    return [write_jsonl(folder / f"{name}.jsonl", voice_rows(name, voice, seed=seed)) for name, voice, seed in specs]


def _compare(paths: list[Path]) -> dict:
    a, b, *panel = paths
    return stylesim.compare(a, b, panel=panel, embeddings=False, n_resamples=30, n_permutations=30).to_dict()


def test_a_one_model_panel_headline_names_the_statistic_it_ranks_by(grouped_files: list[Path]) -> None:
    data = _compare(grouped_files[:3])
    assert data["panel"]["statistic"] == "resemblance"
    verdict = compare_verdict(data)
    assert "by cross-prompt resemblance (uncentred) (" in verdict["headline"]
    assert "n/a" not in verdict["headline"]
    assert not any(d.startswith("Same-prompt agreement of") for d in verdict["details"])


def test_the_background_test_is_worded_by_its_pvalue(grouped_files: list[Path]) -> None:
    data = _compare(grouped_files)
    data["panel"]["rank"] = 2  # keep the sign-flip result out of the headline
    for p, expected in ((0.7, "no evidence that model-a and model-b share more"),
                        (0.01, "model-a and model-b share more than")):
        data["agreement"]["pvalue_above_background"] = p
        details = _plain(" ".join(compare_verdict(data)["details"]))
        assert expected in details
    assert "far more" not in compare_verdict(data)["headline"]
    assert "by studentised same-prompt agreement (" in compare_verdict(data)["headline"]


def _plain(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


def test_the_headline_gives_the_agreement_and_the_t_it_ranks_by(grouped_files: list[Path]) -> None:
    """A review (0.3.14) read "by studentised same-prompt agreement (0.19; ...)" as t = 0.19; the
    studentised value was 20.63."""
    data = _compare(grouped_files)
    data["agreement"]["overall"]["estimate"], data["agreement"]["t"] = 0.19, 20.634
    assert "by studentised same-prompt agreement (agreement 0.19, t 20.63; rank p" in compare_verdict(data)["headline"]


def test_the_share_of_resamples_that_put_a_model_first_is_read_out(grouped_files: list[Path]) -> None:
    """A review saw "X, not B, is A's nearest model" decided by t 3.98 against 3.95 with nothing to
    say the order was unsettled (before 0.3.17)."""
    data = _compare(grouped_files)
    b = data["models"]["b"]
    rows = data["panel"]["models"]
    assert all(row["top_share"] is not None for row in rows)
    rows[:] = [{"name": "close-rival", "t": 3.98, "top_share": 0.47}, {"name": b, "t": 3.95, "top_share": 0.5},
               {"name": "far", "t": -2.0, "top_share": 0.03}]
    details = _plain(" ".join(compare_verdict(data)["details"]))
    assert ("close-rival comes first in 47% of prompt resamples (the models held fixed), model-b in 50%; which "
            "model is nearest is not settled by these prompts.") in details
    rows[:] = [{"name": b, "t": 5.0, "top_share": 0.9}, {"name": "far", "t": 1.0, "top_share": 0.1}]
    details = _plain(" ".join(compare_verdict(data)["details"]))
    assert "model-b comes first in 90% of prompt resamples (the panel held fixed)." in details
    for row in rows:
        del row["top_share"]  # a result written before 0.3.17
    assert "prompt resamples" not in " ".join(compare_verdict(data)["details"])


@pytest.mark.parametrize(("share", "text"), [(0.0, "0%"), (0.004, "under 1%"), (0.47, "47%"), (0.995, "over 99%"),
                                            (1.0, "100%")])
def test_a_share_short_of_all_is_never_read_as_all(share: float, text: str) -> None:
    """An AlpacaEval compare read "claude-2 comes first in 100% of prompt resamples" for 199 of 200."""
    from stylesim.verdict_words import share_text

    assert share_text(share) == text


def test_a_resemblance_rank_far_from_the_agreement_rank_is_placed_only_near_the_top(grouped_files: list[Path]) -> None:
    data = _compare(grouped_files)
    data["panel"].update(n=11, scored=10, rank=2, pvalue=3 / 11)
    data["panel"]["resemblance"] = {"rank": 9, "pvalue": None}
    details = _plain(" ".join(compare_verdict(data)["details"]))
    assert "By cross-prompt resemblance model-b ranks 9 of 11: the resemblance lives in how the two answer" in details
    # Rank 5 and 11 of 11 (an outside review's unrelated pair): no resemblance to place.
    data["panel"].update(rank=5, pvalue=6 / 11)
    data["panel"]["resemblance"]["rank"] = 11
    details = _plain(" ".join(compare_verdict(data)["details"]))
    assert "lives" not in details
    assert "By cross-prompt resemblance model-b ranks 11 of 11 (descriptive; the rank above is by agreement)." in details
    # Ranks two apart of 11 are not apart enough to say anything (more than n // 5 = 2 is needed).
    data["panel"].update(rank=2, pvalue=3 / 11)
    data["panel"]["resemblance"]["rank"] = 4
    assert "By cross-prompt resemblance" not in _plain(" ".join(compare_verdict(data)["details"]))
    data["panel"]["resemblance"]["rank"] = 5
    assert "By cross-prompt resemblance model-b ranks 5 of 11: the resemblance lives" in _plain(
        " ".join(compare_verdict(data)["details"]))


def test_an_agreement_outside_minus_one_to_one_is_explained_not_left_to_read_as_a_correlation(
        grouped_files: list[Path]) -> None:
    data = _compare(grouped_files)
    assert not any("not bounded" in d for d in compare_verdict(data)["details"])
    data["families"]["phrasing"]["agreement"]["estimate"] = -1.07  # seen with a 2-model panel in a review
    data["agreement"]["overall"]["estimate"] = 1.02
    sentence = next(d for d in compare_verdict(data)["details"] if "not bounded" in d)
    assert "with 2 panel models as the background" in sentence
    assert "(combined 1.02, Phrasing patterns \u22121.07)" in sentence


def test_a_withheld_disattenuated_agreement_is_said_to_be_withheld(grouped_files: list[Path]) -> None:
    data = _compare(grouped_files)
    ceiling = {"estimate": 0.004, "ci_low": -0.01, "ci_high": 0.02}
    data["agreement"].update(ceiling=ceiling, ceiling_b=ceiling, disattenuated=None)
    details = " ".join(compare_verdict(data)["details"])
    assert "a self-agreement being too close to 0 to divide by" in details
    data["agreement"]["disattenuated"] = {"estimate": 0.8, "ci_low": 0.6, "ci_high": 0.95}
    details = " ".join(compare_verdict(data)["details"])
    assert "agreement is 0.80 (95% CI 0.60 to 0.95)" in details and "too close to 0" not in details


@pytest.mark.parametrize("rank, expected", [
    (1, "closer than most of the panel"), (6, "closer than most of the panel"), (7, "closer than the median panel model"),
    (14, "not closer than a typical panel model")])
def test_compare_strength_follows_the_rank_among_25(grouped_files: list[Path], rank: int, expected: str) -> None:
    data = _compare(grouped_files)
    data["panel"].update(n=25, scored=24, rank=rank, pvalue=(rank + 0.5) / 26)  # p > 0.05 at rank 1: not unusual
    assert f"is {expected}" in " ".join(compare_verdict(data)["details"])


@pytest.mark.parametrize("pvalue, panel_size, expected", [
    (0.4, 3, "\u2068teacher\u2069 is closest to \u2068student\u2069 by studentised agreement ("),
    (0.6, 3, "No candidate stands out: the closest by studentised agreement, \u2068teacher\u2069 ("),
    (0.01, 40, "\u2068teacher\u2069 is closest to \u2068student\u2069 by studentised agreement ("),
    (None, 0, "outputs are closest to \u2068teacher\u2069 by studentised agreement ("),
])
def test_closest_says_by_what_it_is_closest(pvalue: float | None, panel_size: int, expected: str) -> None:
    # The rank is by t, so the top can have the smaller agreement: "closest" names its statistic.
    data = _result(pvalue=pvalue or 0.5, panel_size=panel_size)
    if pvalue is None:
        data["candidates"][0]["pvalue"] = None
    assert expected in attribute_verdict(data)["headline"]


def test_one_candidate_without_a_panel_is_not_called_closest() -> None:
    data = _result(pvalue=0.5, panel_size=0, m=1)
    data["candidates"][0]["pvalue"] = None
    headline = attribute_verdict(data)["headline"]
    assert headline.startswith("\u2068student\u2069's outputs measured against \u2068teacher\u2069's (")
    assert "closest" not in headline


def test_no_candidate_is_called_closest_when_no_score_could_be_measured() -> None:
    data = _result(pvalue=0.5, panel_size=4, m=3)
    for row in data["candidates"]:
        row.update(score=None, t=None, ci_low=None, ci_high=None, pvalue=None)
    verdict = attribute_verdict(data)
    assert verdict["headline"].startswith("No candidate's same-prompt agreement with \u2068student\u2069 could be measured")
    assert "closest" not in verdict["headline"] and verdict["details"] == []


def _with_leave_one_out(changes: list[dict], runs: int = 5, prange: list[float] | None = None) -> dict:
    data = _result(pvalue=0.3, panel_size=4)
    data["leave_one_out"] = {"computed": True, "candidate": "teacher", "analyses": runs,
                             "stays_top": runs - len(changes), "pvalue_range": prange or [0.3, 0.3],
                             "changes": changes, "runs": []}
    return data


def test_a_top_candidate_that_one_left_out_model_unseats_is_said_first() -> None:
    changes = [{"left_out": f"panel-{i}", "role": "panel", "top": "other-0"} for i in range(4)]
    details = attribute_verdict(_with_leave_one_out(changes, prange=[0.2, 0.6]))["details"]
    assert details[0].startswith("The top candidate changes when one model is left out: ⁨teacher⁩ stays first "
                                 "in 1 of 5")
    assert "without ⁨panel-0⁩ (panel) it is ⁨other-0⁩" in details[0] and "; 1 more change it" in details[0]
    assert "its p vs panel ranges from 0.2 to 0.6 across them (part of that is the smallest p" in details[0]


def test_a_top_candidate_that_no_left_out_model_unseats_says_so_after_the_rest() -> None:
    details = attribute_verdict(_with_leave_one_out([]))["details"]
    sentence = next(d for d in details if "left out" in d)
    assert sentence == ("⁨teacher⁩ stays the top candidate whichever one of the 5 other candidates and panel "
                        "models is left out of the analysis.")
    assert details.index(sentence) > 0
    data = _with_leave_one_out([])
    data["leave_one_out"] = {"computed": False, "reason": "more than 40 models"}
    assert not any("left out" in d for d in attribute_verdict(data)["details"])


def test_a_sign_flip_pvalue_at_its_floor_reads_as_at_most() -> None:
    data = _result(pvalue=0.3, panel_size=4)
    data["parameters"]["permutations"] = 2000
    data["candidates"][0]["pvalue_above_background"] = round(1 / 2001, 6)
    assert "background of the other models: p \u2264 0.0005 (sign-flip" in " ".join(attribute_verdict(data)["details"])
    data["candidates"][0]["pvalue_above_background"] = round(3 / 2001, 6)
    assert "background of the other models: p = 0.0015 (sign-flip" in " ".join(attribute_verdict(data)["details"])


def test_one_candidate_cannot_lose_its_place_so_only_its_p_range_is_said() -> None:
    data = _with_leave_one_out([], runs=12, prange=[1 / 25, 1 / 24])
    data["leave_one_out"]["candidates"] = 1
    sentence = next(d for d in attribute_verdict(data)["details"] if "left out" in d)
    assert sentence == ("With each of the 12 panel models left out of the analysis in turn, ⁨teacher⁩'s p vs panel "
                        "ranges from 0.04 to 0.0417.")
    data["leave_one_out"]["pvalue_range"] = [0.083333, 0.083333]
    assert not any("left out" in d for d in attribute_verdict(data)["details"])


def _with_half_panel(stays: int, draws: int = 10, exhaustive: bool = True, candidates: int = 2) -> dict:
    data = _with_leave_one_out([])
    tops = [{"name": "teacher", "count": stays}] + ([{"name": "other-0", "count": draws - stays}] if stays < draws else [])
    data["half_panel"] = {"computed": True, "candidate": "teacher", "candidates": candidates, "panel": 5, "kept": 2,
                          "draws": draws, "exhaustive": exhaustive, "stays_top": stays, "tops": tops,
                          "leaning": [{"name": "panel-1"}, {"name": "panel-3"}] if stays < draws else [], "runs": []}
    return data


def test_a_top_candidate_that_halves_of_the_panel_unseat_is_said_first() -> None:
    details = attribute_verdict(_with_half_panel(7))["details"]
    assert details[0] == ("The top candidate changes when half of the panel is left out: with each of the 10 ways "
                          "of leaving 3 of the 5 panel models out, ⁨teacher⁩ stays first in 7 of 10 (otherwise "
                          "⁨other-0⁩ in 3); it changes most often when ⁨panel-1⁩ and ⁨panel-3⁩ are among those left out.")
    # The leave-one-out sentence (no change) follows it, before the other details.
    assert details[1].startswith("⁨teacher⁩ stays the top candidate whichever one of the 5")
    random = attribute_verdict(_with_half_panel(40, draws=50, exhaustive=False))["details"][0]
    assert "with each of 50 random halves of the 5 panel models left out, ⁨teacher⁩ stays first in 40 of 50" in random


def test_a_top_candidate_that_every_half_keeps_says_so_beside_the_leave_one_out_sentence() -> None:
    details = attribute_verdict(_with_half_panel(10))["details"]
    one = next(i for i, d in enumerate(details) if "whichever one of the 5" in d)
    assert one > 0 and details[one + 1] == ("⁨teacher⁩ stays the top candidate with each of the 10 ways of leaving 3 "
                                            "of the 5 panel models out.")
    assert not any("half" in d or "ways of leaving" in d
                   for d in attribute_verdict(_with_half_panel(10, candidates=1))["details"])
    data = _with_half_panel(7)
    data["half_panel"] = {"computed": False, "reason": "it needs at least 3 panel models"}
    assert not any("ways of leaving" in d for d in attribute_verdict(data)["details"])


def test_the_runner_up_line_gives_both_t_values_when_its_agreement_is_larger() -> None:
    """Candidates are ranked by t; a runner-up with the larger agreement must not read as a
    contradiction."""
    data = _result(pvalue=0.4, panel_size=3, score=0.05)
    data["candidates"][0]["t"] = 4.0
    data["candidates"][1].update(score=0.08, t=2.5)
    details = " ".join(attribute_verdict(data)["details"]).replace("\u2068", "").replace("\u2069", "")
    assert ("the runner-up is other-0 (same-prompt agreement 0.080; ranked by studentised t, 2.50 against 4.00)"
            in details)
    del data["candidates"][1]["t"]  # by resemblance there is no t: the score alone
    details = " ".join(attribute_verdict(data)["details"]).replace("\u2068", "").replace("\u2069", "")
    assert "the runner-up is other-0 (0.080)." in details


def test_top_share_ignores_resamples_where_no_candidate_has_a_score(monkeypatch) -> None:  # noqa: ANN001
    """A bootstrap column with no finite score has no winner; it must not be credited to the
    first candidate."""
    from stylesim.same_prompt import CombinedAgreement

    original = CombinedAgreement.resampled_t

    def with_empty_resamples(self, weights):  # noqa: ANN001, ANN202
        draws = original(self, weights).copy()
        draws[1:, :20] = float("nan")  # the first 20 resamples: no candidate scores
        return draws

    monkeypatch.setattr(CombinedAgreement, "resampled_t", with_empty_resamples)
    root = Path(__file__).resolve().parents[1] / "samples"
    data = stylesim.attribute(root / "lyra-distill.jsonl", [root / "atlas.jsonl", root / "lyra.jsonl"],
                              panel=[root / f"{n}.jsonl" for n in ("brook", "sage", "sunny", "quill")],
                              embeddings=False, n_resamples=40, n_permutations=40, families=("words",)).to_dict()
    shares = {row["name"]: row["top_share"] for row in data["candidates"]}
    assert shares["lyra-13b"] == 1.0 and shares["atlas-7b"] == 0.0


def test_panel_models_at_least_as_close_as_the_top_candidate_are_named_closest_first() -> None:
    data = _result(pvalue=0.6, panel_size=6)
    data["candidates"][0]["t"] = 3.0
    data["panel"]["models"] = [{"name": f"p{i}", "t": t, "score": 0.1} for i, t in
                               enumerate([1.0, 9.5, 3.0, 4.2, 12.0, 5.1])]
    details = " ".join(attribute_verdict(data)["details"]).replace("\u2068", "").replace("\u2069", "")
    assert ("Panel models that agree with student at least as much as teacher does (t 3.00): "
            "p4 (t 12.00), p1 (t 9.50), p5 (t 5.10) and 2 more.") in details
    assert "--base NAME partials it out" in details
    data["base_controlled"] = True
    details = " ".join(attribute_verdict(data)["details"])
    assert "Panel models that agree" in details and "--base NAME" not in details
    data["panel"]["models"] = [{"name": "p0", "t": 1.0, "score": 0.1}]  # none ahead: no sentence
    assert "Panel models that agree" not in " ".join(attribute_verdict(data)["details"])


def test_the_panel_hint_names_the_published_set_of_the_inputs_prompts_only_when_large_enough() -> None:
    """Up to 0.3.8 it always named alpaca-eval, whose prompts EQ-Bench or Arena inputs never share."""
    from stylesim.verdict import matching_set, panel_hint

    def inputs(*formats: str) -> dict:
        return {"inputs": [{"format": f} for f in formats]}

    assert matching_set(inputs("alpaca_eval", "alpaca_eval", "fastchat"), 2) == ("alpaca-eval", 26)
    assert matching_set(inputs("eqbench", "eqbench"), 2) == ("eqbench-creative-writing-v3", 32)
    assert matching_set(inputs("fastchat", "fastchat"), 2) is None  # Arena-Bench, MT-Bench, ...: no guess
    assert matching_set(inputs("alpaca_eval", "eqbench"), 2) is None
    one = panel_hint(1, ("alpaca-eval", 26))
    assert one.endswith("(e.g. --panel alpaca-eval, after stylesim fetch alpaca-eval if it is not fetched yet)")
    assert "answered the same prompts" in one
    assert panel_hint(1).endswith("(stylesim fetch --list shows the published sets)")
    two = panel_hint(2, ("alpaca-eval", 26))
    assert two.startswith("a panel of 38 or more models") and "--panel alpaca-eval" not in two
    assert two.endswith("alpaca-eval, holds 26 models, enough for p \u2264 0.05 with at most 1 candidate")
    # A set too small for even one candidate says so; up to 0.3.10 it said "fewer candidates are needed".
    small = panel_hint(2, ("wildbench", 10))
    assert small.endswith("wildbench, holds 10 models, too few for p \u2264 0.05 even with one candidate")
    # A named panel leaves the student and all m candidates out of the set: 1 + m + 19 m models. Up to
    # 0.3.11 the count assumed two inputs from the set (60 models: "at most 3", whose floor is 3/59).
    assert panel_hint(4, ("eqbench-creative-writing-v3", 60)).endswith("with at most 2 candidates")
    assert "e.g. --panel big," in panel_hint(2, ("big", 41)) and "e.g. --panel big," not in panel_hint(2, ("big", 40))
    assert panel_hint(1, ("set", 20)).endswith("too few for p \u2264 0.05 even with one candidate")
    assert "e.g. --panel set," in panel_hint(1, ("set", 21))
    # Two candidates drawn from the set, one without a score: 1 + 2 + 19 = 22 models are needed.
    assert "e.g. --panel set," not in panel_hint(1, ("set", 21), drawn=3)
    assert "e.g. --panel set," in panel_hint(1, ("set", 22), drawn=3)


def test_an_eqbench_verdict_suggests_the_eqbench_panel(grouped_files: list[Path]) -> None:
    data = _compare(grouped_files)
    for entry in data["inputs"]:
        entry["format"] = "eqbench"
    details = " ".join(compare_verdict(data)["details"])
    assert "--panel eqbench-creative-writing-v3" in details and "alpaca-eval" not in details


def test_small_numbers_in_prose_keep_a_significant_digit() -> None:
    from stylesim.verdict import _fmt

    assert _fmt(-0.003) == "\u22120.003" and _fmt(0.0098) == "0.010" and _fmt(0.37) == "0.37"
    assert _fmt(0.0) == "0.00" and _fmt(None) == "n/a" and _fmt(-0.25) == "\u22120.25"
    # A tiny negative value that rounds to zero carries no sign (the report prints "0.000" for it too).
    assert _fmt(-0.0004) == "0.000" and _fmt(-0.00001, 3) == "0.000"


def test_top_share_counts_resamples_by_the_ranking_statistic_t() -> None:
    """A candidate ahead by t on every prompt a little must be 'first' by t in most resamples even
    when a lumpier candidate has the larger plain agreement (review of 0.3.7)."""
    import importlib
    from types import SimpleNamespace

    import numpy as np

    from stylesim.plan import Plan
    from stylesim.same_prompt import SampleNorms, anchor_agreement, combine_agreements
    from stylesim.stats.resampling import bootstrap_weights

    attribute_module = importlib.import_module("stylesim.attribute")
    rng = np.random.default_rng(5)
    n, d, k = 60, 8, 8
    topics = 3.0 * rng.normal(size=(n, d))
    choice = [rng.normal(size=(n, d)) for _ in range(k)]
    choice[1] = 0.35 * choice[0] + np.sqrt(1 - 0.35**2) * choice[1]  # a little, on every prompt
    hit = rng.choice(n, 10, replace=False)
    choice[2][hit] = choice[0][hit] * 3.0  # a lot, on 10 prompts
    models = [topics + choice[m] + 0.5 * rng.normal(size=(n, d)) for m in range(k)]
    norms = SampleNorms(np.vstack([np.einsum("pd,pd->p", m, m) for m in models]), np.ones((k, n)))
    weights = np.vstack([np.ones(n), bootstrap_weights(n, 1000, np.random.default_rng(0))])
    agreement = anchor_agreement(models, norms, weights)
    combined = combine_agreements([agreement.ratio], [agreement.numerator], [agreement.scale], [agreement.paired])
    outcome = SimpleNamespace(agreement=combined, combined_ratio=combined.ratio, families={},
                              agreement_unpartialled=None, weights=weights)
    corpora = [SimpleNamespace(name=f"m{i}", path=None) for i in range(k)]
    rows = attribute_module._candidates(corpora, 2, list(range(3, k)), outcome,
                                        Plan(seed=0, n_resamples=1000, n_permutations=999))
    top, second = rows
    assert top["name"] == "m1" and top["score"] < second["score"]  # first by t, not by agreement
    units = agreement.numerator[[1, 2]]
    by_t = (units @ weights[1:].T) / np.sqrt((units**2) @ weights[1:].T)
    expected = float(np.mean(np.argmax(by_t, axis=0) == 0))
    assert expected > 0.6
    assert top["top_share"] == round(expected, 4) and second["top_share"] == round(1 - expected, 4)


def test_the_floor_counts_only_candidates_and_panel_models_with_a_score() -> None:
    """One of 4 panel models without a finite t: the max-statistic p-value of the best of 3 is
    over 3 candidates and 3 panel models, so its floor is 3/6, not 3/7, and a top at 0.5 is at it
    (it was called "no candidate stands out"); a candidate without a score leaves the count too."""
    data = _result(pvalue=0.5, panel_size=4, m=3)
    data["panel"]["models"] = [{"name": f"p{i}", "t": t, "score": 0.0} for i, t in enumerate([1.0, None, 0.5, 0.2])]
    verdict = attribute_verdict(data)
    assert "the smallest this panel allows" in verdict["headline"] and "stands out" not in verdict["headline"]
    assert "closer than any of the 3 panel models" in verdict["headline"]
    details = " ".join(verdict["details"])
    assert "With 3 candidates and 3 panel models the smallest possible p-value for the top candidate is 0.5" in details
    assert "1 panel model had no score" in details
    data["candidates"][0]["pvalue"] = 0.4
    data["candidates"][2].update(pvalue=None, t=None)  # 2 candidates, 3 panel models: 2/5
    assert "the smallest this panel allows" in attribute_verdict(data)["headline"]
    for model in data["panel"]["models"]:  # no panel model scored: nothing to judge against
        model["t"] = None
    headline = attribute_verdict(data)["headline"]
    assert "no panel model could be scored, so there is no floor" in headline and "smallest" not in headline


def test_below_the_panel_median_is_judged_by_t_the_ranking_statistic() -> None:
    """A top candidate first by t (p = 0.01) whose plain agreement is below the panel's median was
    headlined "No candidate stands out" beside its p-value."""
    data = _result(pvalue=0.04, panel_size=60, score=0.02, median=0.05)
    data["candidates"][0]["t"] = 6.0
    data["panel"]["models"] = [{"name": f"p{i}", "t": 0.05 * i, "score": 0.05} for i in range(60)]
    headline = attribute_verdict(data)["headline"]
    assert "stands out" not in headline and "closer than the 60 panel models make likely" in headline
    data["candidates"][0]["t"] = 1.0  # below the panel's median t (1.475)
    assert attribute_verdict(data)["headline"].startswith("No candidate stands out")


def test_compare_floor_and_panel_size_count_only_panel_models_with_a_score(
        grouped_files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The rank p-value leaves out panel models without a finite t (rank_among), so its floor,
    1 / (scored + 1), and the panel size the verdict quotes must leave them out too."""
    import sys

    compare_module = sys.modules["stylesim.compare"]  # the package's `compare` is the function
    real = compare_module.analyse_anchor

    def one_unscored(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        outcome = real(*args, **kwargs)
        outcome.agreement.t[3] = np.nan  # the second panel model
        return outcome

    monkeypatch.setattr(compare_module, "analyse_anchor", one_unscored)
    data = _compare(grouped_files)
    panel = data["panel"]
    assert panel["scored"] == 1 and panel["pvalue_min"] == 0.5
    assert panel["pvalue"] >= panel["pvalue_min"]
    details = " ".join(compare_verdict(data)["details"])
    assert "With 1 panel model with a score (of 2) the smallest possible p-value is 0.5" in details


def test_a_sign_flip_result_in_the_headline_is_read_for_what_it_says(grouped_files: list[Path]) -> None:
    data = _compare(grouped_files)
    data["panel"].update(rank=1)
    data["agreement"]["pvalue_above_background"] = 0.001
    verdict = compare_verdict(data)
    assert "sign-flip test over prompts" in verdict["headline"]
    assert any(d.startswith("The sign-flip test in the headline says the two share more than the average pair")
               and "not that they are related" in d for d in verdict["details"])
    data["agreement"]["pvalue_above_background"] = 0.5  # out of the headline: the plain sentence only
    details = _plain(" ".join(compare_verdict(data)["details"]))
    assert "in the headline" not in details and "no evidence that model-a and model-b share more" in details
    # Decided by the numbers, not by searching the headline's text: a model named "sign-flip-7b"
    # put the word there and lost the p-value sentence (up to 0.3.11).
    data["models"]["b"] = "sign-flip-7b"
    details = _plain(" ".join(compare_verdict(data)["details"]))
    assert "in the headline" not in details and "no evidence that model-a and sign-flip-7b share more" in details
    # Not in the headline but small: a sentence that parses (it lacked "this says" before 0.3.17).
    data["models"]["b"] = "model-b"
    data["panel"].update(rank=2)
    data["agreement"]["pvalue_above_background"] = 0.001
    details = _plain(" ".join(compare_verdict(data)["details"]))
    assert ("(prompt-level sign-flip test): this says model-a and model-b share more than the average pair of "
            "other models does, not that they are closer than every panel model.") in details


def test_panel_models_ahead_are_decided_unrounded_as_the_p_value_decides_them() -> None:
    """0.3.11 compared the JSON's t rounded to 4 decimals: a panel model at 6.13036 against a top at
    6.13044 was listed as "at least as close" while p said the top was closer than every one."""
    data = _result(pvalue=0.6, panel_size=3)
    data["candidates"][0]["t"] = 6.1304
    data["panel"]["models"] = [{"name": "below", "t": 6.1304, "score": 0.1, "at_least_as_close_as_top": False},
                               {"name": "tied", "t": 6.1304, "score": 0.1, "at_least_as_close_as_top": True},
                               {"name": "far", "t": 1.0, "score": 0.1, "at_least_as_close_as_top": False}]
    details = " ".join(attribute_verdict(data)["details"]).replace("\u2068", "").replace("\u2069", "")
    assert "does (t 6.13): tied (t 6.13). " in details


def test_the_panel_flag_agrees_with_the_rank_p_value_of_a_single_candidate() -> None:
    """With one candidate the p-value is the rank p, (1 + #panel models at least as close) / (K + 1):
    the flags must count exactly those models."""
    root = Path(__file__).resolve().parents[1] / "samples"
    panel = [root / f"{n}.jsonl" for n in ("brook", "sage", "sunny", "quill", "atlas")]
    for candidate in ("lyra", "brook"):
        data = stylesim.attribute(root / "lyra-distill.jsonl", [root / f"{candidate}.jsonl"],
                                  panel=[p for p in panel if p.stem != candidate], embeddings=False,
                                  n_resamples=30, n_permutations=30, families=("words", "function_words")).to_dict()
        ahead = sum(row["at_least_as_close_as_top"] for row in data["panel"]["models"])
        size = len(data["panel"]["models"])
        assert data["candidates"][0]["pvalue"] == pytest.approx((1 + ahead) / (size + 1), abs=1e-4)


def test_candidates_all_below_the_background_are_said_to_be() -> None:
    """WildBench's ShareGPT student: its first candidate has t −5.98. "Closest" there is the least
    far: said in words, with the panel models that come nearer where there are some."""
    data = _result(pvalue=0.988, panel_size=6, score=-0.059)
    data["candidates"][0]["t"], data["candidates"][1]["t"] = -5.98, -7.0

    def said(result: dict) -> str:
        return " ".join(attribute_verdict(result)["details"]).replace("\u2068", "").replace("\u2069", "")

    assert ("Every one of the 2 candidates with a score agrees with student less than the background of the other "
            "models (0 is the background; the closest, teacher, has agreement \u22120.059, interval \u22120.11 to "
            "\u22120.009), so being first among the candidates says little.") in said(data)
    data["panel"]["models"] = [{"name": "sib", "t": 14.7, "score": 0.2, "at_least_as_close_as_top": True}]
    assert "says little; some panel models come nearer student's answers than any candidate does" in said(data)
    data["candidates"][0]["ci_high"] = 0.01  # an interval that reaches 0: not said
    assert "less than the background" not in said(data)
    data["candidates"][0].update(ci_high=-0.01, t=0.5)  # a top above 0: not said
    assert "less than the background" not in said(data)
    one = _result(pvalue=0.9, panel_size=6, score=-0.06, m=1)
    one["candidates"][0]["t"] = -3.0
    assert "The candidate agrees with student less than the background" in said(one)
    assert "further from it than the average pair of the other models" in said(one)


def test_the_attributes_sign_flip_pvalue_is_read_for_what_it_says() -> None:
    """An outside review (0.3.14) saw a bare p = 0.01 beside the top candidate while the headline said
    no candidate stands out, with --base, where method.md reads this p-value as somewhat small."""
    data = _result(pvalue=0.5, panel_size=40)
    data["parameters"]["permutations"] = 200
    data["candidates"][0]["pvalue_above_background"] = 0.00995
    details = _plain(" ".join(attribute_verdict(data)["details"]))
    assert ("(sign-flip test over prompts, best of 2): this says teacher shares more with student than the average "
            "pair of other models does, not that it is the teacher or closer than every panel model.") in details
    assert "runs somewhat small" not in details
    data["base_controlled"], data["models"]["base"] = True, ["base-model"]
    details = _plain(" ".join(attribute_verdict(data)["details"]))
    assert "With --base this p-value runs somewhat small (method.md); the p-value against the panel is the test." in details
    data["candidates"][0]["pvalue_above_background"] = 0.4
    assert "no evidence that teacher shares more with student" in _plain(" ".join(attribute_verdict(data)["details"]))


def test_one_candidate_and_one_panel_model_read_in_the_singular() -> None:
    data = _result(pvalue=0.5, panel_size=1, m=1)
    data["candidates"][0]["pvalue_above_background"] = 0.2
    verdict = attribute_verdict(data)
    assert "than the one panel model, but with so small a panel" in verdict["headline"]
    assert "(sign-flip test over prompts):" in " ".join(verdict["details"])


def test_counted_agrees_in_number() -> None:
    from stylesim.verdict_words import counted

    assert [counted(0, "model"), counted(1, "model"), counted(2, "model")] == ["0 models", "1 model", "2 models"]
    assert counted(3, "analysis", "analyses") == "3 analyses"


def test_exactly_three_panel_models_ahead_are_all_named_with_no_more() -> None:
    data = _result(pvalue=0.6, panel_size=6)
    data["candidates"][0]["t"] = 3.0
    data["panel"]["models"] = [{"name": f"p{i}", "t": t, "score": 0.1} for i, t in enumerate([4.0, 5.0, 6.0, 1.0])]
    details = " ".join(attribute_verdict(data)["details"]).replace("\u2068", "").replace("\u2069", "")
    assert "p2 (t 6.00), p1 (t 5.00), p0 (t 4.00)." in details and "more" not in details.split("p0 (t 4.00)")[1][:8]


def test_a_top_candidate_level_with_the_panel_median_does_not_stand_out() -> None:
    """"No closer than the median panel model" includes a tie with it."""
    data = _result(pvalue=0.3, panel_size=3)
    data["candidates"][0]["t"] = 2.0
    data["panel"]["models"] = [{"name": f"p{i}", "t": t, "score": 0.1} for i, t in enumerate([1.0, 2.0, 3.0])]
    assert "No candidate stands out" in attribute_verdict(data)["headline"]
    data["candidates"][0]["t"] = 2.01
    assert "No candidate stands out" not in attribute_verdict(data)["headline"]


def test_one_scored_candidate_below_the_background_is_it_not_the_closest() -> None:
    data = _result(pvalue=0.9, panel_size=6, score=-0.06, m=2)
    data["candidates"][0]["t"] = -3.0
    data["candidates"][1]["t"] = None  # no score: one candidate with a score
    details = " ".join(attribute_verdict(data)["details"]).replace("\u2068", "").replace("\u2069", "")
    assert "The candidate agrees with student less than the background" in details
    assert "(0 is the background; it has agreement" in details and "the closest," not in details


def test_a_model_that_repeats_itself_on_exactly_half_its_prompts_is_named() -> None:
    """"At least half": 10 of 20 counts, 9 of 20 does not."""
    from stylesim.verdict import repeated_answers_sentence

    def data(same: int) -> dict:
        return {"hygiene": {"bot": {"prompts_answered": 20, "same_text_other_prompts": same}}}

    assert "bot (10 of 20 prompts)" in _plain(repeated_answers_sentence(data(10)) or "")
    assert repeated_answers_sentence(data(9)) is None


def test_a_panel_median_below_zero_is_explained_only_when_clearly_below(grouped_files: list[Path]) -> None:
    data = _compare(grouped_files)
    for median, said in ((-0.06, True), (-0.05, True), (0.0, False), (0.04, False)):
        data["panel"]["agreement"]["median"] = median
        details = " ".join(compare_verdict(data)["details"])
        assert ("The panel median is below 0" in details) is said, median
