"""Prompt groups from the inputs to the statistics: JSONL ``prompt_group``, EQ-Bench iterations,
the alignment's resampling units, and compare / matrix / attribute drawing whole groups."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import voice_rows, write_jsonl

import stylesim
from stylesim.alignment import align
from stylesim.corpus import load_corpus
from stylesim.errors import AlignmentError, InputError
from stylesim.panel import pairwise_arrays, similarity_matrix
from stylesim.stats import agreement as agreement_stats
from stylesim.stats import resampling

FAST = {"embeddings": False, "n_resamples": 60, "n_permutations": 60, "min_prompts": 9}  # 9 groups
FIXTURES = Path(__file__).parent / "fixtures"


def _grouped(tmp_path: Path, model: str, voice: str, seed: int, grouped: bool = True) -> Path:
    rows = voice_rows(model, voice, seed=seed)
    for row in rows:
        if grouped:
            row["prompt_group"] = f"g{int(row['prompt_id'][1:]) // 3}"  # 25 prompts in 9 groups
    return write_jsonl(tmp_path / f"{model}{'' if grouped else '-plain'}.jsonl", rows)


def test_jsonl_prompt_group_reaches_the_alignment(tmp_path: Path) -> None:
    paths = [_grouped(tmp_path, m, v, s) for m, v, s in (("a", "plain", 1), ("b", "fancy", 2))]
    alignment = align([load_corpus(p) for p in paths], min_prompts=9)
    groups = alignment.prompt_groups
    assert groups is not None and groups.tolist() == [i // 3 for i in range(25)]
    plain = [_grouped(tmp_path, m, v, s, grouped=False) for m, v, s in (("a", "plain", 1), ("b", "fancy", 2))]
    assert align([load_corpus(p) for p in plain]).prompt_groups is None


def test_a_bad_prompt_group_is_one_clear_error(tmp_path: Path) -> None:
    rows = voice_rows("a", "plain", n=3)
    rows[1]["prompt_group"] = ["not", "a", "name"]
    path = write_jsonl(tmp_path / "bad.jsonl", rows)
    with pytest.raises(InputError, match=r'bad\.jsonl:2: field "prompt_group"'):
        load_corpus(path)


def test_eqbench_iterations_are_one_group() -> None:
    corpus = load_corpus(FIXTURES / "formats" / "eqbench" / "page.html")
    assert {(o.prompt_id, o.group) for o in corpus.outputs} == {("7.1", "7"), ("12.1", "12")}  # 7.2 is empty


def test_compare_studentises_and_flips_over_groups(tmp_path: Path) -> None:
    grouped = [_grouped(tmp_path, m, v, s) for m, v, s in
               (("a", "plain", 1), ("b", "plain", 2), ("c", "fancy", 3), ("d", "fancy", 4))]
    plain = [_grouped(tmp_path, m, v, s, grouped=False) for m, v, s in
             (("a", "plain", 1), ("b", "plain", 2), ("c", "fancy", 3), ("d", "fancy", 4))]
    with_groups = stylesim.compare(grouped[0], grouped[1], panel=grouped[2:], **FAST)
    without = stylesim.compare(plain[0], plain[1], panel=plain[2:], **FAST)
    # The same texts give each family the same agreement; t and intervals are over 9 units, not 25
    # (and so are the family weights, which come from the bootstrap).
    for name, family in with_groups.families.items():
        assert family["agreement"]["estimate"] == pytest.approx(without.families[name]["agreement"]["estimate"])
        assert family["agreement"]["t"] != pytest.approx(without.families[name]["agreement"]["t"])
    # The families combined: t over the 9 units too (a mutation audit dropped the groups there and
    # only a leave-one-out test noticed).
    combined, combined_plain = with_groups.to_dict()["agreement"], without.to_dict()["agreement"]
    assert abs(combined["t"]) < 0.8 * abs(combined_plain["t"]), (combined["t"], combined_plain["t"])
    options = {k: v for k, v in FAST.items() if k != "n_permutations"}
    matrix, matrix_plain = (similarity_matrix(paths, **options).to_dict() for paths in (grouped, plain))
    for name, family in matrix["families"].items():
        np.testing.assert_allclose(np.array(family["matrix"], dtype=float),
                                   np.array(matrix_plain["families"][name]["matrix"], dtype=float), atol=1e-6)
    assert not np.allclose(np.array(matrix["t"], dtype=float)[0, 1:], np.array(matrix_plain["t"], dtype=float)[0, 1:])
    top, top_plain = (stylesim.attribute(paths[0], paths[1:3], panel=paths[3:], **FAST).candidates
                      for paths in (grouped, plain))
    assert [r["name"] for r in top] == [r["name"] for r in top_plain]
    assert top[0]["t"] != pytest.approx(top_plain[0]["t"])


def test_group_level_t_is_the_studentised_sum_of_group_totals() -> None:
    contributions = np.random.default_rng(3).normal(size=(2, 12))
    groups = np.repeat(np.arange(4), 3)
    sums = contributions.reshape(2, 4, 3).sum(axis=2)
    expected = sums.sum(axis=1) / np.sqrt((sums**2).sum(axis=1))
    np.testing.assert_allclose(agreement_stats.studentised(resampling.group_sums(contributions, groups)), expected)


def _topic_world(tmp_path: Path, *, shared: bool, grouped: bool, k: int = 4) -> list[Path]:
    """k unrelated models (each with a few words of its own) answering 18 prompts in 5 variants.
    With ``shared`` the variants of a prompt draw on one topic vocabulary, otherwise each variant
    has its own; the models' texts are otherwise drawn the same way."""
    rng = np.random.default_rng(7)
    letters = list("bcdfghklmnprstvz")

    def word() -> str:
        return "".join(rng.choice(letters, 6)) + "a"

    topics = {(g, v): [word() for _ in range(40)] for g in range(18) for v in range(5)}
    if shared:
        topics = {(g, v): topics[(g, 0)] for g, v in topics}
    styles = [[word() for _ in range(12)] for _ in range(k)]
    common = [word() for _ in range(200)]
    paths = []
    for m in range(k):
        rows = []
        for (g, v), vocabulary in topics.items():
            tokens = [*rng.choice(vocabulary, 30), *rng.choice(styles[m], 8), *rng.choice(common, 20)]
            row = {"model": f"m{m}", "prompt_id": f"p{g}.{v}", "prompt": f"Prompt {g}, variant {v}",
                   "response": " ".join(rng.permutation(tokens)) + "."}
            if grouped:
                row["prompt_group"] = f"p{g}"
            rows.append(row)
        paths.append(write_jsonl(tmp_path / f"m{m}-{shared:d}{grouped:d}.jsonl", rows))
    return paths


def test_resemblance_does_not_count_variants_as_different_prompts(tmp_path: Path) -> None:
    """The cross-prompt resemblance pairs different prompts. Variants of one prompt share its topic;
    with the variants declared as a group, that shared topic leaves the resemblance of unrelated
    models where it is when variants share nothing. Taken as different prompts, it inflates it."""
    options = {"embeddings": False, "n_resamples": 20, "n_permutations": 20, "families": ("words",), "min_prompts": 18}

    def uncentred(shared: bool, grouped: bool) -> float:
        paths = _topic_world(tmp_path, shared=shared, grouped=grouped)
        return stylesim.compare(paths[0], paths[1], panel=paths[2:], **options).similarity["uncentred"]["estimate"]

    baseline = uncentred(shared=False, grouped=True)
    assert uncentred(shared=True, grouped=True) == pytest.approx(baseline, abs=0.01)
    assert uncentred(shared=True, grouped=False) > baseline + 0.05

    def matrix(shared: bool, grouped: bool) -> np.ndarray:  # matrix's resemblance, every pair
        arrays = pairwise_arrays(_topic_world(tmp_path, shared=shared, grouped=grouped), **options)
        return arrays.resemblance[:, :, 0][~np.eye(4, dtype=bool)]

    baseline_pairs = matrix(shared=False, grouped=True)
    np.testing.assert_allclose(matrix(shared=True, grouped=True), baseline_pairs, atol=0.015)
    assert np.all(matrix(shared=True, grouped=False) > baseline_pairs + 0.05)


def test_models_that_group_differently_get_the_union_and_a_warning(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    rows_a, rows_b = voice_rows("a", "plain", seed=1), voice_rows("b", "fancy", seed=2)
    for i, row in enumerate(rows_a):
        row["prompt_group"] = f"x{i // 2}"  # pairs: 0-1, 2-3, ...
    for i, row in enumerate(rows_b):
        row["prompt_group"] = f"y{(i + 1) // 2}"  # pairs shifted: 0, 1-2, 3-4, ...
    a = write_jsonl(tmp_path / "a.jsonl", rows_a)
    b = write_jsonl(tmp_path / "b.jsonl", rows_b)
    with caplog.at_level("WARNING"):
        groups = align([load_corpus(a), load_corpus(b)], min_prompts=1).prompt_groups
    assert groups is not None and groups.tolist() == [0] * 25  # the pairs chain every prompt together
    assert "a and b group the same prompts differently" in caplog.text
    # The same partition under other labels, or one model declaring none: no warning.
    relabelled = [dict(row, prompt_group=row["prompt_group"].replace("x", "z")) for row in rows_a]
    plain = voice_rows("c", "plain", seed=3)
    caplog.clear()
    with caplog.at_level("WARNING"):
        paths = [a, write_jsonl(tmp_path / "z.jsonl", relabelled), write_jsonl(tmp_path / "c.jsonl", plain)]
        groups = align([load_corpus(p) for p in paths], min_prompts=1).prompt_groups
    assert groups is not None and groups.tolist() == [i // 2 for i in range(25)]
    assert "differently" not in caplog.text


def test_min_prompts_counts_different_prompts_not_variants(tmp_path: Path) -> None:
    paths = [_grouped(tmp_path, m, v, s) for m, v, s in (("a", "plain", 1), ("b", "fancy", 2))]  # 9 groups
    corpora = [load_corpus(p) for p in paths]
    assert align(corpora, min_prompts=9).prompt_groups is not None
    with pytest.raises(AlignmentError, match="variants of only 9 prompts"):
        align(corpora, min_prompts=10)
    # Groups that chain every prompt together (each model's pairs offset by one) leave one unit.
    chained = []
    for model, offset in (("a", 0), ("b", 1)):
        rows = voice_rows(model, "plain", seed=1)
        for i, row in enumerate(rows):
            row["prompt_group"] = f"g{(i + offset) // 2}"
        chained.append(load_corpus(write_jsonl(tmp_path / f"{model}-chained.jsonl", rows)))
    with pytest.raises(AlignmentError, match="variants of only 1 prompt "):
        align(chained, min_prompts=2)


def test_one_model_grouping_is_used_everywhere_even_outside_the_ablation_background(tmp_path: Path) -> None:
    """Groups declared by one panel model only (the last of 11, outside the ablation views'
    background of A, B and 8 others) give the same result as groups declared by every model:
    the ablation views, like every other part, use the whole alignment's units."""
    voices = ["plain", "plain", "fancy", "fancy", "plain", "fancy", "plain", "fancy", "plain", "fancy", "plain"]

    def world(everyone: bool) -> list[Path]:
        paths = []
        for m, voice in enumerate(voices):
            rows = voice_rows(f"m{m:02d}", voice, seed=m)
            for row in rows:
                if everyone or m == len(voices) - 1:
                    row["prompt_group"] = f"g{int(row['prompt_id'][1:]) // 3}"
            paths.append(write_jsonl(tmp_path / f"m{m:02d}-{everyone:d}.jsonl", rows))
        return paths

    options = {**FAST, "families": ("words", "function_words")}
    one, every = (stylesim.compare(p[0], p[1], panel=p[2:], **options).to_dict() for p in (world(False), world(True)))
    assert one["ablations"] and one["ablations"] == every["ablations"]
    assert one["similarity"] == every["similarity"] and one["agreement"] == every["agreement"]


def test_unit_declarations_per_model(caplog: pytest.LogCaptureFixture) -> None:
    from dataclasses import dataclass

    from stylesim.units import prompt_units

    @dataclass
    class Out:
        group: str | None

    def model(*labels: object) -> list[list[Out]]:  # one list of sample labels per prompt
        return [[Out(x) for x in (label if isinstance(label, tuple) else (label,))] for label in labels]

    with caplog.at_level("WARNING"):
        # The same components reached through different first labels: no disagreement.
        units = prompt_units([model(("a", "b"), "b", "c", "c"), model("x", "x", "y", "y")], ["m1", "m2"])
    assert units.tolist() == [0, 0, 1, 1]
    assert "differently" not in caplog.text
    assert "m1 gives the samples of one prompt different prompt_group labels (a, b)" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING"):
        # A label that joins no prompts declares nothing; no labels at all, likewise.
        units = prompt_units([model("solo", None, None, None), model("x", "x", None, None), model(None, None, None, None)],
                             ["m1", "m2", "m3"])
    assert units.tolist() == [0, 0, 1, 2] and not caplog.text
    assert prompt_units([model("solo", None, None, None)], ["m1"]) is None


def test_matrix_observed_only_resemblance_pairs_units_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above EXACT_RESEMBLANCE_MODELS the matrix computes the resemblance from fold sums and
    same-unit products; with groups it must give what the exact route gives on units."""
    from stylesim import panel

    paths = [_grouped(tmp_path, m, v, s) for m, v, s in
             (("a", "plain", 1), ("b", "plain", 2), ("c", "fancy", 3), ("d", "fancy", 4), ("e", "plain", 5))]
    options = {"embeddings": False, "n_resamples": 10, "min_prompts": 9, "families": ("words", "function_words")}
    exact = panel.pairwise_arrays(paths, **options).resemblance[:, :, 0]
    monkeypatch.setattr(panel, "EXACT_RESEMBLANCE_MODELS", 2)
    observed = panel.pairwise_arrays(paths, **options).resemblance[:, :, 0]
    np.testing.assert_allclose(observed, exact, rtol=1e-9)


def test_per_prompt_cosines_are_centred_with_groups_as_without(tmp_path: Path) -> None:
    """compare's per-prompt "where they are most alike" cosines, with centring (six models): when
    variants share nothing, declaring them a group changes only which fold centres a prompt, so
    the cosines barely move. Left uncentred with groups, they move by about 0.02."""
    options = {"embeddings": False, "n_resamples": 20, "n_permutations": 20, "families": ("words",), "min_prompts": 18}

    def cosines(grouped: bool) -> np.ndarray:
        paths = _topic_world(tmp_path, shared=False, grouped=grouped, k=6)
        result = stylesim.compare(paths[0], paths[1], panel=paths[2:], **options).to_dict()
        assert result["centred_on_panel"]
        return np.array([row["similarity"] for row in result["per_prompt"]], dtype=float)

    np.testing.assert_allclose(cosines(grouped=True), cosines(grouped=False), atol=0.006)


def test_reports_say_the_prompts_are_variants_of_fewer_prompts(tmp_path: Path) -> None:
    from stylesim.report import render_html

    specs = (("a", "plain", 1), ("b", "plain", 2), ("c", "fancy", 3), ("d", "fancy", 4))
    grouped = [_grouped(tmp_path, m, v, s) for m, v, s in specs]
    data = stylesim.compare(grouped[0], grouped[1], panel=grouped[2:], **FAST).to_dict()
    assert data["coverage"]["matched_prompts"] == 25 and data["coverage"]["prompt_units"] == 9
    html = render_html(data)
    assert "25 prompts in 9 prompt groups" in html and "variants of 9 different prompts" in html
    plain = [_grouped(tmp_path, m, v, s, grouped=False) for m, v, s in specs]
    data = stylesim.compare(plain[0], plain[1], panel=plain[2:], **FAST).to_dict()
    assert data["coverage"]["prompt_units"] == 25
    assert "prompt groups" not in render_html(data)


def test_the_over_used_vocabulary_counts_variants_of_one_prompt_once(tmp_path: Path) -> None:
    """A word in the answers to one prompt's three variants is in one prompt, not three: the
    texts' groups for the feature fit are the resampling units."""
    from stylesim.features.overused import OverusedVocabulary
    from stylesim.flat import flatten

    paths = []
    for model, voice, seed in (("a", "plain", 1), ("b", "fancy", 2), ("c", "plain", 3)):
        rows = voice_rows(model, voice, seed=seed)
        for row in rows:
            row["prompt_group"] = f"g{int(row['prompt_id'][1:]) // 3}"
            if row["prompt_group"] == "g0":  # only the variants of the first prompt
                row["response"] += " Zorblaxian zorblaxian zorblaxian."
        paths.append(write_jsonl(tmp_path / f"{model}.jsonl", rows))
    flat = flatten(align([load_corpus(p) for p in paths], min_prompts=9))
    assert flat.groups[:4] == ["unit 0", "unit 0", "unit 0", "unit 1"]
    by_unit = OverusedVocabulary().fit(flat.texts, flat.groups)
    assert "zorblaxian" not in set(by_unit.get_feature_names_out())
    by_prompt = OverusedVocabulary().fit(flat.texts, [f"p{i % 25}" for i in range(len(flat.texts))])
    assert "zorblaxian" in set(by_prompt.get_feature_names_out())  # counted as three prompts
