"""attribute's leave-one-out view (each other candidate and panel model left out in turn) and the
left-out analysis beneath it and the half-panel view."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import SAMPLE_PANEL, SAMPLES

import stylesim
from stylesim.same_prompt import SampleNorms, anchor_agreement, combine_left_out, leave_out


def _models(k: int, n: int, d: int, *, sparse: bool = False) -> tuple[list, SampleNorms]:
    rng = np.random.default_rng(3)
    shared = rng.normal(size=(n, d))
    matrices = [shared * 0.3 + rng.normal(size=(n, d)) + rng.normal(size=(1, d)) * 0.4 * i for i in range(k)]
    if sparse:
        matrices = [sp.csr_matrix(np.where(np.abs(m) > 0.8, m, 0.0)) for m in matrices]
    squares = np.vstack([np.asarray(m.multiply(m).sum(axis=1)).ravel() if sparse else np.sum(m * m, axis=1)
                         for m in matrices])
    return matrices, SampleNorms(squares, np.ones((k, n), dtype=int))


@pytest.mark.parametrize("partial", [(), (2,), (2, 5)])
@pytest.mark.parametrize("sparse", [False, True])
def test_each_left_out_set_gives_the_analysis_without_it(partial: tuple[int, ...], sparse: bool) -> None:
    """From one k x k product per prompt, the anchor's terms without a set of models equal a fresh
    analysis of the other models (covariates partialled the same way)."""
    k, n = 9, 50
    matrices, norms = _models(k, n, 20, sparse=sparse)
    folds = np.arange(n) % 5
    sets = [(1,), (3,), (7, 6), (1, 4, 8)]
    result = leave_out(matrices, norms, sets, anchor=0, partial=partial, folds=folds)
    assert result is not None and result.sets == [(1,), (3,), (6, 7), (1, 4, 8)]
    for d, group in enumerate(result.sets):
        keep = [m for m in range(k) if m not in group]
        fresh = anchor_agreement([matrices[m] for m in keep],
                                 SampleNorms(norms.sample_sq[keep], norms.counts[keep]), np.ones((1, n)),
                                 anchor=0, partial=[keep.index(b) for b in partial], folds=folds)
        scale = np.abs(fresh.numerator[np.isfinite(fresh.numerator)]).max()
        np.testing.assert_allclose(result.numerator[d, keep], fresh.numerator, atol=1e-5 * scale, rtol=0)
        np.testing.assert_allclose(result.scale[d, keep], fresh.scale, rtol=1e-9)
        assert np.all(np.isnan(result.numerator[d, list(group)])) and np.all(np.isnan(result.scale[d, list(group)]))


def test_too_few_models_left_gives_none_and_the_anchor_is_never_left_out() -> None:
    matrices, norms = _models(4, 30, 10)
    assert leave_out(matrices, norms, [(1,), (2,)], anchor=0) is None  # three would remain
    matrices, norms = _models(6, 30, 10)
    assert leave_out(matrices, norms, [(1,), (2, 3, 4)], anchor=0) is None  # one set leaves three
    assert leave_out(matrices, norms, [], anchor=0) is None
    for bad in ([(0,)], [(1, 1)], [(2, 5)]):
        with pytest.raises(ValueError):
            leave_out(matrices, norms, bad, anchor=0, partial=(5,))


def test_combined_t_is_the_studentised_weighted_contribution() -> None:
    matrices, norms = _models(7, 40, 12)
    other, other_norms = _models(7, 40, 5)
    parts = [leave_out(matrices, norms, [(2,), (4,)], anchor=0), leave_out(other, other_norms, [(2,), (4,)], anchor=0)]
    ratio, t = combine_left_out(parts, np.array([0.7, 0.3]))
    u = 0.7 * parts[0].numerator / parts[0].scale[..., None] + 0.3 * parts[1].numerator / parts[1].scale[..., None]
    with np.errstate(invalid="ignore"):
        expected = u.sum(axis=-1) / np.sqrt((u * u).sum(axis=-1))
    finite = np.isfinite(ratio)
    assert finite.sum() == 2 * 5  # the anchor and the left-out model have no agreement
    np.testing.assert_allclose(t[finite], expected[finite], rtol=1e-5)
    assert np.all(np.isnan(t[0, 2])) and np.isnan(t[1, 4]) and np.isnan(t[0, 0])


FAST = {"embeddings": False, "n_resamples": 40, "n_permutations": 40, "families": ("words",)}


def test_attribute_leave_one_out_matches_a_run_without_that_panel_model() -> None:
    """With one family (its weight is 1) and the vocabulary fitted on the focus models, leaving a
    panel model out in the view gives exactly the numbers of a run whose panel lacks it."""
    student, candidates = SAMPLES / "lyra-distill.jsonl", [SAMPLES / "atlas.jsonl", SAMPLES / "lyra.jsonl"]
    panel = [p for p in SAMPLE_PANEL if p not in candidates]
    full = stylesim.attribute(student, candidates, panel=panel, **FAST).to_dict()
    block = full["leave_one_out"]
    assert block["computed"] and block["candidate"] == full["candidates"][0]["name"] == "lyra-13b"
    assert stylesim.attribute(student, candidates, panel=panel, **FAST).leave_one_out == block
    # The top candidate is not left out; every other candidate and panel model is, once.
    assert block["analyses"] == len(block["runs"]) == 1 + len(panel) == 6
    assert sorted(r["role"] for r in block["runs"]) == ["candidate"] + ["panel"] * len(panel)
    for left in (panel[0], panel[3]):
        rest = [p for p in panel if p != left]
        reduced = stylesim.attribute(student, candidates, panel=rest, **FAST).to_dict()
        name = next(n for n in full["models"]["panel"] if n not in reduced["models"]["panel"])
        run = next(r for r in block["runs"] if r["left_out"] == name)
        top = next(c for c in reduced["candidates"] if c["name"] == "lyra-13b")
        assert run["t"] == pytest.approx(top["t"], abs=2e-3)
        assert run["agreement"] == pytest.approx(top["score"], abs=2e-3)
        assert run["top"] == reduced["candidates"][0]["name"]
        assert run["pvalue"] == pytest.approx(top["pvalue"], abs=1e-6)
    assert block["stays_top"] == sum(r["top"] == "lyra-13b" for r in block["runs"])
    assert block["changes"] == [{"left_out": r["left_out"], "role": r["role"], "top": r["top"]}
                                for r in block["runs"] if r["top"] != "lyra-13b"]
    assert block["candidates"] == 2
    low, high = block["pvalue_range"]
    assert low == min(r["pvalue"] for r in block["runs"]) and high == max(r["pvalue"] for r in block["runs"])


def test_attribute_without_a_background_says_why_there_is_no_view() -> None:
    result = stylesim.attribute(SAMPLES / "lyra-distill.jsonl", [SAMPLES / "lyra.jsonl"],
                                panel=[SAMPLES / "atlas.jsonl"], **FAST).to_dict()
    assert result["leave_one_out"] == {"computed": False,
                                       "reason": "the ranking is by resemblance (fewer than four models)"}
    # Four models have an agreement, but leaving one out would leave three.
    four = stylesim.attribute(SAMPLES / "lyra-distill.jsonl", [SAMPLES / "lyra.jsonl"],
                              panel=[SAMPLES / "atlas.jsonl", SAMPLES / "brook.jsonl"], **FAST).to_dict()
    assert four["candidates"][0]["statistic"] == "agreement"
    assert four["leave_one_out"] == {"computed": False,
                                     "reason": "leaving one model out would leave fewer than four for the agreement"}


def test_with_prompt_groups_and_a_base_the_view_is_still_the_run_without_the_model(tmp_path) -> None:  # noqa: ANN001
    """Grouped prompts (t over group sums, partialling folds of whole groups) and a partialled base:
    leaving a panel model out still gives the numbers of a run without it."""
    from conftest import voice_rows, write_jsonl

    def grouped(model: str, voice: str, seed: int):  # noqa: ANN202
        rows = voice_rows(model, voice, seed=seed)
        for row in rows:
            row["prompt_group"] = f"g{int(row['prompt_id'][1:]) // 3}"  # 25 prompts in 9 groups
        return write_jsonl(tmp_path / f"{model}.jsonl", rows)

    student = grouped("student", "plain", 1)
    candidates = [grouped("cand-a", "plain", 2), grouped("cand-b", "fancy", 3)]
    base = [grouped("base", "plain", 4)]
    panel = [grouped(f"panel-{i}", voice, 10 + i) for i, voice in enumerate(("fancy", "plain", "fancy", "plain"))]
    full = stylesim.attribute(student, candidates, panel=panel, base=base, min_prompts=5, **FAST).to_dict()
    assert full["coverage"]["prompt_units"] == 9 and full["base_controlled"]
    block = full["leave_one_out"]
    assert block["analyses"] == 5 and "base" not in {r["left_out"] for r in block["runs"]}
    top = full["candidates"][0]["name"]
    reduced = stylesim.attribute(student, candidates, panel=panel[1:], base=base, min_prompts=5, **FAST).to_dict()
    run = next(r for r in block["runs"] if r["left_out"] == "panel-0")
    row = next(c for c in reduced["candidates"] if c["name"] == top)
    assert run["t"] == pytest.approx(row["t"], abs=2e-3) and run["agreement"] == pytest.approx(row["score"], abs=2e-3)
    assert run["pvalue"] == pytest.approx(row["pvalue"], abs=1e-6)


def test_run_pvalues_rank_against_the_runs_own_panel_off_the_floor() -> None:
    """A student with no teacher among the candidates: the top's p-values sit off their floor, and
    each run's p-value is the one a run without that panel model gives (the panel's t values of
    that run, not the full analysis's)."""
    names = ("sage", "quill", "pixel", "lyra", "lyra-distill")
    student, candidates = SAMPLES / "atlas.jsonl", [SAMPLES / "brook.jsonl", SAMPLES / "sunny.jsonl"]
    panel = [SAMPLES / f"{n}.jsonl" for n in names]
    full = stylesim.attribute(student, candidates, panel=panel, **FAST).to_dict()
    block, top = full["leave_one_out"], full["candidates"][0]["name"]
    floors = []
    for left in panel:
        reduced = stylesim.attribute(student, candidates, panel=[p for p in panel if p != left], **FAST).to_dict()
        name = next(n for n in full["models"]["panel"] if n not in reduced["models"]["panel"])
        run = next(r for r in block["runs"] if r["left_out"] == name)
        row = next(c for c in reduced["candidates"] if c["name"] == top)
        assert run["pvalue"] == pytest.approx(row["pvalue"], abs=1e-6)
        assert run["top"] == reduced["candidates"][0]["name"]
        floors.append(run["pvalue"] <= 2 / (2 + len(panel) - 1) + 1e-6)
    assert not all(floors)
    assert len({r["pvalue"] for r in block["runs"]}) >= 2


def test_the_view_combines_families_with_the_full_analysis_weights() -> None:
    """Three families with unequal weights: each run's agreement is the full analysis's family
    weights applied to the families' agreements of a run without that panel model."""
    families = ("words", "chars", "phrasing")
    settings = {**FAST, "families": families}
    student, candidates = SAMPLES / "lyra-distill.jsonl", [SAMPLES / "atlas.jsonl", SAMPLES / "lyra.jsonl"]
    panel = [p for p in SAMPLE_PANEL if p not in candidates]
    full = stylesim.attribute(student, candidates, panel=panel, **settings).to_dict()
    weights = full["family_weights"]
    assert max(weights.values()) - min(weights.values()) > 0.1
    top = full["leave_one_out"]["candidate"]
    for left in (panel[1], panel[2]):
        reduced = stylesim.attribute(student, candidates, panel=[p for p in panel if p != left], **settings).to_dict()
        name = next(n for n in full["models"]["panel"] if n not in reduced["models"]["panel"])
        run = next(r for r in full["leave_one_out"]["runs"] if r["left_out"] == name)
        per_family = {f: reduced["families"][f]["agreement"][top] for f in families}
        assert max(per_family.values()) - min(per_family.values()) > 0.05
        expected = sum(weights[f] * per_family[f] for f in families) / sum(weights.values())
        assert run["agreement"] == pytest.approx(expected, abs=2e-3)


def test_compare_leave_one_out_matches_a_run_without_that_panel_model(features_from_the_first_model: None) -> None:
    """Each run of compare's view is a real analysis without that panel model, given the same
    features: B's t, its rank among the panel models that remain and its rank p-value (one family,
    so the full analysis's weights are the run's too). compare's own pool, every model, would refit
    the features without the model; the view keeps them (method.md, "Features")."""
    settings = {**FAST, "families": ("words",)}
    a, b = SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl"
    full = stylesim.compare(a, b, panel=SAMPLE_PANEL, **settings).to_dict()
    block = full["leave_one_out"]
    assert block["computed"] and block["analyses"] == len(SAMPLE_PANEL)
    for left in SAMPLE_PANEL[:3]:
        reduced = stylesim.compare(a, b, panel=[p for p in SAMPLE_PANEL if p != left], **settings).to_dict()
        name = next(n for n in full["models"]["panel"] if n not in reduced["models"]["panel"])
        run = next(r for r in block["runs"] if r["left_out"] == name)
        assert run["t"] == pytest.approx(reduced["agreement"]["t"], abs=2e-3)
        assert (run["rank"], run["of"]) == (reduced["panel"]["rank"], reduced["panel"]["n"])
        assert run["pvalue"] == pytest.approx(reduced["panel"]["pvalue"], abs=1e-6)
    without = stylesim.compare(a, b, **settings).to_dict()
    assert without["leave_one_out"] == {"computed": False, "reason": "no panel"}


def test_compare_leave_one_out_says_when_b_moves_beyond_the_removal() -> None:
    from stylesim.robustness import LeaveOutPlan, compare_leave_one_out
    from stylesim.verdict import _compare_leave_one_out_sentence

    names = [SimpleNamespace(name=n) for n in ("a", "b", "p1", "p2", "p3")]
    full_t = np.array([np.nan, 3.0, 4.0, 1.0, 0.5])  # B second, behind p1
    runs = LeaveOutPlan(one=[(2,), (3,), (4,)], halves=[])
    t = np.array([[np.nan, 3.0, np.nan, 1.0, 0.5],   # p1 out: B first, as removal alone gives
                  [np.nan, 2.0, 4.0, np.nan, 2.5],   # p2 out: p3 overtakes B (background)
                  [np.nan, 3.0, 4.0, 1.0, np.nan]])  # p3 out: B second, as before
    block = compare_leave_one_out(names, [2, 3, 4], runs, t, t, full_t)
    assert [(r["rank"], r["expected_rank"], r["moved"]) for r in block["runs"]] == [(1, 1, False), (3, 2, True),
                                                                                     (2, 2, False)]
    assert block["moved"] == [{"left_out": "p2", "rank": 3, "expected_rank": 2}]
    sentence = _compare_leave_one_out_sentence(block, "b").replace("\u2068", "").replace("\u2069", "")
    assert sentence.startswith("b's place among the other panel models depends on which models are in the "
                               "background: without p2, 3 instead of 2 (of 3 analyses")
    # Three moves are all named with nothing "more"; a fourth is counted, not named.
    block["moved"] = [{"left_out": f"p{i}", "rank": 3, "expected_rank": 2} for i in range(1, 4)]
    three = _compare_leave_one_out_sentence(block, "b").replace("\u2068", "").replace("\u2069", "")
    assert "without p3, 3 instead of 2 (of 3 analyses" in three and "more" not in three
    block["moved"].append({"left_out": "p4", "rank": 3, "expected_rank": 2})
    assert "without p3, 3 instead of 2 and 1 more (of" in _compare_leave_one_out_sentence(block, "b").replace(
        "\u2068", "").replace("\u2069", "")
    block["moved"] = []
    assert "keeps its place" in _compare_leave_one_out_sentence(block, "b")


def test_compare_leave_one_out_never_calls_a_nan_or_a_lone_panel_model_a_move() -> None:
    from stylesim.robustness import LeaveOutPlan, compare_leave_one_out
    from stylesim.verdict import _compare_leave_one_out_sentence

    names = [SimpleNamespace(name=n) for n in ("a", "b", "p1", "p2", "p3", "p4")]
    runs = LeaveOutPlan(one=[(2,), (3,), (4,), (5,)], halves=[])
    for b_t in (np.nan, 2.5):
        full = np.array([np.nan, b_t, 1.0, 2.0, 3.0, 4.0])
        t = np.tile(full, (4, 1))
        for d in range(4):
            t[d, 2 + d] = np.nan
        t[1, 1] = np.nan  # B without a finite t in one run
        block = compare_leave_one_out(names, [2, 3, 4, 5], runs, t, t, full)
        assert block["moved"] == []
        assert block["with_pvalue"] == (0 if np.isnan(b_t) else 3)
        sentence = _compare_leave_one_out_sentence(block, "b")
        assert sentence is None if np.isnan(b_t) else sentence.endswith("in the 3 with a finite t).")
    a, b = SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl"
    lone = stylesim.compare(a, b, panel=[SAMPLE_PANEL[0]], **FAST).to_dict()
    assert lone["leave_one_out"] == {"computed": False, "reason": "one panel model: leaving it out leaves no panel"}
