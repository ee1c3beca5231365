"""Prompt groups from the inputs to the statistics: JSONL ``prompt_group``, EQ-Bench iterations,
the alignment's resampling units, and compare / matrix / attribute drawing whole groups."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import voice_rows, write_jsonl

import stylesim
from stylesim.corpus import align, load_corpus
from stylesim.errors import InputError
from stylesim.panel import similarity_matrix
from stylesim.stats import agreement as agreement_stats
from stylesim.stats import resampling

FAST = {"embeddings": False, "n_resamples": 60, "n_permutations": 60}
FIXTURES = Path(__file__).parent / "fixtures"


def _grouped(tmp_path: Path, model: str, voice: str, seed: int, grouped: bool = True) -> Path:
    rows = voice_rows(model, voice, seed=seed)
    for row in rows:
        if grouped:
            row["prompt_group"] = f"g{int(row['prompt_id'][1:]) // 3}"  # 25 prompts in 9 groups
    return write_jsonl(tmp_path / f"{model}{'' if grouped else '-plain'}.jsonl", rows)


def test_jsonl_prompt_group_reaches_the_alignment(tmp_path: Path) -> None:
    paths = [_grouped(tmp_path, m, v, s) for m, v, s in (("a", "plain", 1), ("b", "fancy", 2))]
    alignment = align([load_corpus(p) for p in paths])
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
