"""attribute's half-panel view: halves of the panel left out, for a lean on a group of models."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import SAMPLE_PANEL, SAMPLES

import stylesim
from stylesim import robustness
from stylesim.report import render_html
from stylesim.report.viewmodel import build_view
from stylesim.same_prompt import SampleNorms, anchor_agreement, combine_left_out, leave_out
from stylesim.stats import agreement as agreement_stats

FAST = {"embeddings": False, "n_resamples": 40, "n_permutations": 40, "families": ("words",)}


def test_every_half_when_there_are_few_and_seeded_distinct_draws_when_there_are_many() -> None:
    small = robustness.plan(9, list(range(1, 9)), [4, 5, 6, 7, 8], seed=0)
    assert small.exhaustive and small.one == [(q,) for q in range(1, 9)]
    assert len(small.halves) == math.comb(5, 3) and len(set(small.halves)) == len(small.halves)
    assert all(len(h) == 3 and set(h) <= {4, 5, 6, 7, 8} for h in small.halves)
    assert small.sets == [*small.one, *small.halves] and small.pairs
    three = robustness.plan(6, list(range(1, 6)), [3, 4, 5], seed=0)
    assert three.halves == [(3, 4), (3, 5), (4, 5)]  # one panel model kept
    panel = list(range(3, 23))
    big = robustness.plan(23, list(range(1, 23)), panel, seed=7)
    assert not big.exhaustive and len(big.halves) == robustness.HALF_PANEL_DRAWS
    assert len(set(big.halves)) == len(big.halves) and all(len(h) == 10 for h in big.halves)
    assert robustness.plan(23, list(range(1, 23)), panel, seed=7).halves == big.halves
    assert robustness.plan(23, list(range(1, 23)), panel, seed=8).halves != big.halves
    # Every panel model is left out in some draws and kept in others.
    assert all(0 < sum(m in h for h in big.halves) < len(big.halves) for m in panel)


@pytest.mark.parametrize(("models", "panel", "reason"), [
    (6, [4, 5], "it needs at least 3 panel models"),
    (5, [2, 3, 4], "leaving half the panel out would leave fewer than four models"),
    (41, list(range(2, 41)), "more than 40 models"),
])
def test_the_plan_says_why_there_is_no_view(models: int, panel: list[int], reason: str) -> None:
    runs = robustness.plan(models, list(range(1, models)), panel, seed=0)
    assert runs.halves == [] and runs.half_reason == reason
    assert runs.pairs == (models <= 40)  # the neighbour table needs a panel and the same cap
    view = robustness.half_panel_view([], 1, panel, runs, None, None, 1)
    assert view == {"computed": False, "reason": reason}


def _group_case(seed: int) -> tuple[list, SampleNorms]:
    """A student that learned from teacher T (weight 0.5) and a little from U (0.35); T's own three
    students sit in the panel with five unrelated models. The students carry T's voice into the
    background and absorb most of the student's resemblance to T."""
    rng = np.random.default_rng(seed)
    n, d = 200, 30
    common = rng.normal(size=(n, d))
    teacher_voice, other_voice = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    student = common + 0.5 * teacher_voice + 0.35 * other_voice + rng.normal(size=(n, d))
    models = [student, common + teacher_voice + rng.normal(size=(n, d)),
              common + other_voice + rng.normal(size=(n, d))]
    models += [common + teacher_voice + rng.normal(size=(n, d)) for _ in range(3)]
    models += [common + rng.normal(size=(n, d)) for _ in range(5)]
    squares = np.vstack([np.sum(m * m, axis=1) for m in models])
    return models, SampleNorms(squares, np.ones((len(models), n), dtype=int))


def group_runs(seed: int, names: list[str], others: list[int], panel: list[int]) -> tuple:
    """The group case's full-analysis t, the leave-out plan (``others`` one at a time, halves of
    ``panel``), and each run's agreement and t."""
    models, norms = _group_case(seed)
    k, n = len(models), models[0].shape[0]
    full = anchor_agreement(models, norms, np.ones((1, n)))
    with np.errstate(invalid="ignore", divide="ignore"):
        t_full = agreement_stats.studentised(full.numerator / full.scale[:, None])
    runs = robustness.plan(k, others, panel, seed=0, names=names)
    agreement, t = combine_left_out([leave_out(models, norms, runs.sets)], np.array([1.0]))
    return t_full, runs, agreement, t


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_lean_on_a_group_shows_with_halves_but_not_one_at_a_time(seed: int) -> None:
    names = ["student", "T", "U", "T-student-1", "T-student-2", "T-student-3", *(f"other-{i}" for i in range(5))]
    corpora = [SimpleNamespace(name=name) for name in names]
    k = len(names)
    panel = list(range(3, k))
    t_full, runs, agreement, t = group_runs(seed, names, list(range(1, k)), panel)
    assert t_full[2] > t_full[1]  # the group hides T: U is on top
    one = robustness.leave_one_out_view(corpora, 2, panel, runs, t, agreement, 2)
    half = robustness.half_panel_view(corpora, 2, panel, runs, t, agreement, 2)
    assert one["stays_top"] == one["analyses"] == 9  # no single left-out model changes the top
    assert 0 < half["stays_top"] < half["draws"] == robustness.HALF_PANEL_DRAWS
    group = {"T-student-1", "T-student-2", "T-student-3"}
    for row in half["runs"]:
        # T comes first exactly when the whole group is left out.
        assert (row["top"] == "T") == group.issubset(row["left_out"])
    assert {row["name"] for row in half["leaning"]} == group
    assert half["tops"] == [{"name": "U", "count": half["stays_top"]},
                            {"name": "T", "count": half["draws"] - half["stays_top"]}]


def test_attribute_half_panel_matches_runs_with_that_half_of_the_panel() -> None:
    """With one family and the vocabulary fitted on the focus models, each half-panel run gives the
    numbers of a run whose panel is the kept half."""
    student, candidates = SAMPLES / "atlas.jsonl", [SAMPLES / "brook.jsonl", SAMPLES / "sunny.jsonl"]
    panel = [SAMPLES / f"{n}.jsonl" for n in ("sage", "quill", "pixel", "lyra", "lyra-distill")]
    full = stylesim.attribute(student, candidates, panel=panel, **FAST).to_dict()
    half = full["half_panel"]
    assert half["computed"] and half["exhaustive"] and half["draws"] == len(half["runs"]) == math.comb(5, 3)
    assert half["kept"] == 2 and half["pvalue_floor"] == pytest.approx(2 / 4)
    top = half["candidate"]
    assert top == full["candidates"][0]["name"]
    by_name = {stylesim.load_corpus(p).name: p for p in panel}
    for row in half["runs"][:4]:
        kept = [p for name, p in by_name.items() if name not in row["left_out"]]
        reduced = stylesim.attribute(student, candidates, panel=kept, **FAST).to_dict()
        mine = next(c for c in reduced["candidates"] if c["name"] == top)
        assert row["t"] == pytest.approx(mine["t"], abs=2e-3)
        assert row["agreement"] == pytest.approx(mine["score"], abs=2e-3)
        assert row["top"] == reduced["candidates"][0]["name"]
        assert row["pvalue"] == pytest.approx(mine["pvalue"], abs=1e-6)
    ts = [row["t"] for row in half["runs"]]
    assert half["t"]["min"] == min(ts) and half["t"]["max"] == max(ts)
    assert half["stays_top"] == sum(row["top"] == top for row in half["runs"])
    assert sum(t["count"] for t in half["tops"]) == half["draws"]


def test_attribute_with_too_small_a_panel_gives_the_reason() -> None:
    student, candidates = SAMPLES / "lyra-distill.jsonl", [SAMPLES / "lyra.jsonl", SAMPLES / "atlas.jsonl"]
    data = stylesim.attribute(student, candidates, panel=SAMPLE_PANEL[1:3], **FAST).to_dict()
    assert data["leave_one_out"]["computed"]
    assert data["half_panel"] == {"computed": False, "reason": "it needs at least 3 panel models"}


def test_a_near_copy_of_a_candidate_in_the_panel_is_its_nearest_panel_model(tmp_path) -> None:  # noqa: ANN001
    """A panel model that is the candidate with one word added to each answer agrees with it far
    more than any other panel model agrees with any candidate, and far more than the student does."""
    from conftest import voice_rows, write_jsonl

    student = write_jsonl(tmp_path / "student.jsonl", voice_rows("student", "plain", seed=1))
    cand_a = write_jsonl(tmp_path / "a.jsonl", voice_rows("cand-a", "plain", seed=2))
    rows = voice_rows("cand-b", "fancy", seed=3)
    cand_b = write_jsonl(tmp_path / "b.jsonl", rows)
    copy = [{**row, "model": "cand-b-copy", "response": row["response"] + " Indeed."} for row in rows]
    panel = [write_jsonl(tmp_path / "copy.jsonl", copy)]
    panel += [write_jsonl(tmp_path / f"p{i}.jsonl", voice_rows(f"panel-{i}", voice, seed=10 + i))
              for i, voice in enumerate(("fancy", "plain", "fancy", "plain"))]
    data = stylesim.attribute(student, [cand_a, cand_b], panel=panel, min_prompts=5, **FAST).to_dict()
    block = data["candidate_neighbours"]
    assert block["computed"] and [row["candidate"] for row in block["candidates"]] == ["cand-a", "cand-b"]
    b = block["candidates"][1]
    assert b["panel"][0]["name"] == "cand-b-copy" and len(b["panel"]) == 3
    others = [n["agreement"] for row in block["candidates"] for n in row["panel"] if n["name"] != "cand-b-copy"]
    assert b["panel"][0]["agreement"] > max(others) + 0.2
    assert b["panel"][0]["agreement"] > b["student"] + 0.2
    assert b["student"] == pytest.approx(next(c["score"] for c in data["candidates"] if c["name"] == "cand-b"))
    for row in block["candidates"]:  # largest first
        values = [n["agreement"] for n in row["panel"]]
        assert values == sorted(values, reverse=True)
    view = build_view(data)
    assert [row[0].text for row in view.neighbours.rows] == ["cand-a", "cand-b"]
    assert view.neighbours.rows[1][2].text == "cand-b-copy"
    assert "Is a relative of a candidate in the panel?" in render_html(data)


def test_the_p_floor_counts_only_candidates_with_a_finite_t() -> None:
    """A candidate without a finite t leaves the max-statistic pool: the recorded floor is then the
    one the p-values can reach, not m / (m + kept)."""
    corpora = [SimpleNamespace(name=f"m{i}") for i in range(8)]
    panel = [3, 4, 5, 6, 7]
    runs = robustness.plan(8, list(range(1, 8)), panel, seed=0)
    t = np.tile(np.array([np.nan, 5.0, np.nan, 1.0, 0.5, 0.2, -0.1, -0.3]), (len(runs.sets), 1))
    for d, group in enumerate(runs.sets):
        t[d, list(group)] = np.nan
    view = robustness.half_panel_view(corpora, 2, panel, runs, t, t, 1)
    assert view["pvalue_floor"] == pytest.approx(1 / 3)  # one finite candidate, two panel models kept
    assert view["pvalue"]["min"] >= view["pvalue_floor"] - 1e-9
    assert view["pvalue"]["min"] == pytest.approx(view["pvalue_floor"])


def test_the_p_floor_counts_only_panel_models_with_a_finite_t() -> None:
    """A kept panel model without a finite t takes no part in that half's p-value, so it cannot
    lower the floor: the floors are the runs' own, lowest and highest (0.3.11 reported
    m / (m + kept) for every half, below what the halves without a score could reach)."""
    from stylesim.report.fmt import floor_range

    corpora = [SimpleNamespace(name=f"m{i}") for i in range(8)]
    panel = [3, 4, 5, 6, 7]
    runs = robustness.plan(8, list(range(1, 8)), panel, seed=0)
    t = np.tile(np.array([np.nan, 5.0, 4.0, 1.0, 0.5, 0.2, -0.1, np.nan]), (len(runs.sets), 1))
    for d, group in enumerate(runs.sets):
        t[d, list(group)] = np.nan
    view = robustness.half_panel_view(corpora, 2, panel, runs, t, t, 1)
    kept = [[m for m in panel if m not in dropped] for dropped in runs.halves]
    floors = [2 / (2 + sum(m != 7 for m in k)) for k in kept]  # model 7 never has a score
    assert view["pvalue_floor"] == pytest.approx(min(floors)) and view["pvalue_floor_max"] == pytest.approx(max(floors))
    assert min(floors) < max(floors)
    assert all(row["pvalue"] >= f - 1e-9 for row, f in zip(view["runs"], floors, strict=True))
    assert floor_range(view) == f"{min(floors):.3g} to {max(floors):.3g}, by which panel models with a score are kept"
    compared = robustness.compare_half_panel(corpora, panel, runs, t, t, t[0])
    ones = [1 / (1 + sum(m != 7 for m in k)) for k in kept]  # compare: B alone against the scored kept
    assert compared["pvalue_floor"] == pytest.approx(min(ones)) and compared["pvalue_floor_max"] == pytest.approx(max(ones))
    # A half where the top candidate itself has no t has no p-value, and no floor either.
    lowest = int(np.argmin(floors))
    t[len(runs.one) + lowest, 1] = np.nan
    without = robustness.half_panel_view(corpora, 2, panel, runs, t, t, 1)
    rest = [f for d, f in enumerate(floors) if d != lowest]
    assert without["pvalue_floor"] == pytest.approx(min(rest)) and without["pvalue_floor_max"] == pytest.approx(max(rest))


def test_one_candidate_half_panel_note_says_nothing_can_overtake_it() -> None:
    from stylesim.report.attribute_view import _half_panel

    data = {"half_panel": {"computed": True, "candidate": "teacher", "candidates": 1, "panel": 4, "kept": 2,
                           "draws": 6, "exhaustive": True, "stays_top": 6, "tops": [{"name": "teacher", "count": 6}],
                           "leaning": [], "runs": []}}
    _, note = _half_panel(data)
    assert "nothing to overtake it" in note and "stays the top candidate" not in note
    data["half_panel"]["candidates"] = 2
    assert "teacher stays the top candidate in 6 of 6." in _half_panel(data)[1]


def test_neighbours_without_the_pairs_say_why() -> None:
    view = robustness.candidate_neighbours([], 2, [3], None, np.zeros(4))
    assert view == {"computed": False, "reason": "more than 40 models or no panel"}


def test_draws_are_distinct_when_repeats_are_likely() -> None:
    """Eight panel models: 70 possible halves, 50 drawn. Fifty independent draws from 70 repeat
    almost surely, so only a filter keeps them distinct."""
    for seed in range(5):
        runs = robustness.plan(11, list(range(1, 11)), list(range(3, 11)), seed=seed)
        assert not runs.exhaustive and len(runs.halves) == robustness.HALF_PANEL_DRAWS
        assert len(set(runs.halves)) == len(runs.halves)


def test_leaning_lists_models_whose_absence_goes_with_a_change_largest_gap_first() -> None:
    rows = [{"left_out": left} for left in (["a", "b"], ["a", "c"], ["b", "c"], ["a", "d"], ["c", "d"], ["b", "d"])]
    changed = [True, True, False, True, False, False]
    out = robustness._leaning(["a", "b", "c", "d"], rows, changed)
    # a: 3 of 3 without it changed, 0 of 3 with it; b: 1/3 against 2/3 (negative gap, left out);
    # c: 1/3 against 2/3; d: 1/3 against 2/3.
    assert [row["name"] for row in out] == ["a"]
    assert out[0] == {"name": "a", "direction": "left_out", "changed_without": 1.0, "changed_with": 0.0,
                      "halves_without": 3, "halves_with": 3}
    # Equal shares with and without a model are no lean; a tie in the gap goes to an absence, then
    # by name. a and b: 1 of 3 halves without each changed, 0 of 3 with it (+1/3); c and d: -1/3,
    # the other way, so not named.
    pairs = [{"left_out": list(left)} for left in (["a", "b"], ["a", "c"], ["a", "d"], ["b", "c"], ["b", "d"], ["c", "d"])]
    out = robustness._leaning(["d", "c", "b", "a"], pairs, [True, False, False, False, False, False])
    assert [(row["name"], row["direction"]) for row in out] == [("a", "left_out"), ("b", "left_out")]
    assert robustness._leaning(["a", "b"], pairs, [False] * 6) == []
    even = [{"left_out": left} for left in (["a"], ["a"], ["c"], ["c"], ["d"], ["d"])]
    assert robustness._leaning(["c"], even, [True, False, True, False, True, False]) == []  # c: 1/2 either way
    # a: 2 of 2 without it, 1 of 3 with it (gap 2/3); b: 2 of 3 against 1 of 2 (gap 1/6, under
    # half the largest, so not listed).
    unequal = [{"left_out": left} for left in (["a", "b"], ["a"], ["b"], ["b"], ["d"])]
    out = robustness._leaning(["b", "a"], unequal, [True, True, True, False, False])
    assert [row["name"] for row in out] == ["a"]


def test_leaning_names_a_model_whose_presence_goes_with_the_change_not_its_proxies() -> None:
    """An outside review (0.3.14): the top changed in 20 of 27 halves that kept one panel model and
    in none of the 23 without it, and the verdict named three other models, whose absence goes
    with the change only because each half leaves out as many models."""
    import itertools

    names = ["a", "b", "c", "q"]
    rows = [{"left_out": list(left)} for left in itertools.combinations(names, 2)]
    changed = ["q" not in row["left_out"] for row in rows]  # the top changes exactly when q is kept
    out = robustness._leaning(names, rows, changed)
    assert [(row["name"], row["direction"]) for row in out] == [("q", "kept")]
    assert out[0]["changed_without"] == 0.0 and out[0]["changed_with"] == 1.0
    # The smallest panel the view runs on: three models, one kept in each of the three halves.
    three = [{"left_out": [m for m in "abq" if m != kept]} for kept in "abq"]
    out = robustness._leaning(["a", "b", "q"], three, [False, False, True])
    assert [(row["name"], row["direction"]) for row in out] == [("q", "kept")]
    from stylesim.verdict_words import leaning_clause

    assert leaning_clause(["q"], out) == "q is kept in the panel"
    assert leaning_clause(["a", "b"], [{"name": "a"}, {"name": "b"}]) == "a and b are among those left out"
    assert leaning_clause(["u", "s1", "s2", "s3"], [{"direction": "kept"}] + [{"direction": "left_out"}] * 3) == (
        "u is kept in the panel and s1, s2 and s3 are among those left out")


def test_the_summary_is_min_median_max() -> None:
    assert robustness._summary([0.9, 0.1, 0.2]) == {"min": 0.1, "median": 0.2, "max": 0.9}
    assert robustness._summary([]) is None


def _spy_neighbours(monkeypatch) -> dict:  # noqa: ANN001
    seen: dict = {}
    original = robustness.candidate_neighbours

    def spy(corpora, n_candidates, panel, pairs, student, shown=3):  # noqa: ANN001, ANN202
        seen.update(pairs=pairs, student=student)
        return original(corpora, n_candidates, panel, pairs, student, shown)

    monkeypatch.setattr(robustness, "candidate_neighbours", spy)
    return seen


def test_every_pairs_agreement_uses_the_analysis_family_weights(monkeypatch) -> None:  # noqa: ANN001
    """The student's row of the pair matrix is the student's agreement, families combined with the
    analysis's unequal weights (a plain mean of the families would differ)."""
    seen = _spy_neighbours(monkeypatch)
    student, candidates = SAMPLES / "lyra-distill.jsonl", [SAMPLES / "atlas.jsonl", SAMPLES / "lyra.jsonl"]
    panel = [p for p in SAMPLE_PANEL if p not in candidates]
    data = stylesim.attribute(student, candidates, panel=panel,
                              **{**FAST, "families": ("words", "chars", "phrasing")}).to_dict()
    weights = data["family_weights"]
    assert max(weights.values()) - min(weights.values()) > 0.1
    pairs, agreement = seen["pairs"], seen["student"]
    assert np.allclose(pairs, pairs.T, equal_nan=True)
    assert np.allclose(pairs[0, 1:], agreement[1:], atol=1e-6)
    plain = {c: np.mean(list(data["families"][f]["agreement"][c] for f in weights)) for c in data["models"]["candidates"]}
    names = [data["models"]["student"], *data["models"]["candidates"]]
    assert any(abs(plain[c] - pairs[0, names.index(c)]) > 1e-3 for c in plain)


def test_with_a_base_the_student_column_is_the_partialled_agreement(tmp_path) -> None:  # noqa: ANN001
    from conftest import voice_rows, write_jsonl

    def model(name: str, voice: str, seed: int):  # noqa: ANN202
        return write_jsonl(tmp_path / f"{name}.jsonl", voice_rows(name, voice, seed=seed))

    student, base = model("student", "plain", 1), model("base", "plain", 2)
    candidates = [model("cand-a", "plain", 3), model("cand-b", "fancy", 4)]
    panel = [model(f"panel-{i}", voice, 10 + i) for i, voice in enumerate(("fancy", "plain", "fancy", "plain"))]
    data = stylesim.attribute(student, candidates, panel=panel, base=[base], min_prompts=5, **FAST).to_dict()
    assert data["base_controlled"]
    shown = {row["candidate"]: row["student"] for row in data["candidate_neighbours"]["candidates"]}
    for row in data["candidates"]:
        assert shown[row["name"]] == pytest.approx(row["score"], abs=1e-4)
    assert any(abs(row["score"] - row["unpartialled"]) > 1e-3 for row in data["candidates"])


def test_the_halves_do_not_depend_on_the_order_of_the_panel_files() -> None:
    """The same named models given in another order get the same halves (by name)."""
    names = ["student", "cand"] + [f"panel-{c}" for c in "abcdefghij"]
    shuffled = ["student", "cand"] + [f"panel-{c}" for c in "jihgfedcba"]
    for exhaustive_panel in (False, True):
        panel = list(range(2, 12)) if not exhaustive_panel else list(range(2, 7))
        first = robustness.plan(12, list(range(1, 12)), panel, seed=3, names=names)
        second = robustness.plan(12, list(range(1, 12)), panel if not exhaustive_panel else list(range(7, 12)),
                                 seed=3, names=shuffled)
        assert first.exhaustive == exhaustive_panel
        assert [[names[m] for m in h] for h in first.halves] == [[shuffled[m] for m in h] for h in second.halves]
