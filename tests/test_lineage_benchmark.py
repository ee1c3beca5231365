"""benchmarks/lineage.py: the issue-11 goal (teacher first, students apart from controls) on any manifest."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, write_jsonl

sys.path.insert(0, str(REPO / "benchmarks"))
import lineage  # noqa: E402

DEMO = ["lyra-distill", "lyra", "atlas", "brook", "sage", "sunny", "quill", "pixel"]


def demo_manifest(**changes: object) -> dict:
    entry = {
        "name": "demo",
        "models": {name: f"{name}.jsonl" for name in DEMO},
        "candidates": ["lyra", "atlas", "brook"],
        "students": [{"model": "lyra-distill", "teachers": ["lyra"]}],
        "controls": [{"model": "sage"}, {"model": "pixel"}],
    }
    entry.update(changes)
    return {"sets": [entry]}


def test_auc_counts_ties_as_half_and_nan_as_weakest() -> None:
    assert lineage.auc([0.01, 0.02], [0.5, 0.9], smaller_is_stronger=True) == 1.0
    assert lineage.auc([0.5], [0.5, 0.9], smaller_is_stronger=True) == 0.75
    assert lineage.auc([3.0, 1.0], [2.0], smaller_is_stronger=False) == 0.5
    assert lineage.auc([float("nan")], [0.3], smaller_is_stronger=True) == 0.0
    assert lineage.auc([1.0], [float("nan")], smaller_is_stronger=False) == 1.0
    assert math.isnan(lineage.auc([1.0], [], smaller_is_stronger=False))


def test_default_panel_is_every_other_model_but_candidates_and_base() -> None:
    sets = lineage.parse_manifest(demo_manifest(students=[
        {"model": "lyra-distill", "teachers": ["lyra"], "base": ["quill"]}]), "m.json", SAMPLES)
    student, control = sets[0].subjects[0], sets[0].subjects[1]
    assert sets[0].panel_for(student) == ["sage", "sunny", "pixel"]
    assert sets[0].panel_for(control) == ["lyra-distill", "sunny", "quill", "pixel"]
    named = lineage.parse_manifest(demo_manifest(panel=["sunny", "sage", "quill"]), "m.json", SAMPLES)
    assert named[0].panel_for(named[0].subjects[1]) == ["sunny", "quill"]  # the subject leaves its own panel


@pytest.mark.parametrize(("changes", "message"), [
    ({"models": []}, "set 'demo': 'models' must map model names to file paths"),
    ({"candidates": "lyra"}, "set 'demo': 'candidates': expected a list of model names"),
    ({"students": [{"model": "lyra-distill", "teachers": ["sage"]}]}, "teachers are not candidates: sage"),
    ({"students": [{"model": "lyra-distill"}]}, "student lyra-distill lists no teachers"),
    ({"controls": [{"model": "lyra"}]}, "lyra is both a subject and a candidate"),
    ({"controls": [{"model": "nobody"}]}, "not in 'models': nobody"),
    ({"students": [], "controls": []}, "no students or controls"),
    ({"candidates": []}, "'candidates' is empty"),
    ({"panel": ["sunny", "lyra"]}, "in both 'panel' and 'candidates': lyra"),
    ({"name": "all sets"}, "set 'all sets': the name is reserved"),
])
def test_manifest_problems_are_one_line_naming_the_file_and_set(changes: dict, message: str) -> None:
    with pytest.raises(lineage.ManifestError) as caught:
        lineage.parse_manifest(demo_manifest(**changes), "m.json", SAMPLES)
    text = str(caught.value)
    assert text.startswith("m.json: ") and message in text and "\n" not in text


def test_two_sets_of_one_name_are_refused() -> None:
    manifest = demo_manifest()
    manifest["sets"].append(dict(manifest["sets"][0]))
    with pytest.raises(lineage.ManifestError, match="set 'demo': the name is used twice"):
        lineage.parse_manifest(manifest, "m.json", SAMPLES)


def test_the_json_output_never_replaces_an_input(tmp_path: Path) -> None:
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(demo_manifest()), encoding="utf-8")
    before = manifest.read_bytes()
    for target in (manifest, tmp_path / "missing" / "out.json"):
        assert lineage.main([str(manifest), "--root", str(SAMPLES), "--json", str(target)]) == 2
    assert manifest.read_bytes() == before


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(lineage.ManifestError, match=r"no such file: .*atlas\.jsonl"):
        lineage.parse_manifest(demo_manifest(), "m.json", tmp_path)


def test_bad_manifest_from_the_command_line_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text("{not json", encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "lineage.py"), str(bad)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad}: cannot read the manifest") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_demo_lineage_end_to_end(tmp_path: Path) -> None:
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(demo_manifest()), encoding="utf-8")
    out = tmp_path / "out.json"
    code = lineage.main([str(manifest), "--root", str(SAMPLES), "--resamples", "30", "--permutations", "99",
                         "--json", str(out)])
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = {r["subject"]: r for r in data["rows"]}
    assert rows["lyra-distill"]["top"] == "lyra" and rows["lyra-distill"]["teacher_rank"] == 1
    assert rows["sage"]["teacher_rank"] is None and rows["sage"]["role"] == "control"
    assert all(r["panel"] == 4 for r in data["rows"])
    # The p-values are the attribute command's own: the best of 3 candidates against 4 panel
    # models can be no smaller than 3 / 7, and the sign-flip test no smaller than 1 / 100.
    assert all(r["pvalue"] >= 3 / 7 - 1e-6 and r["pvalue_above_background"] >= 1 / 100 - 1e-9 for r in data["rows"])
    (summary,) = data["summary"]
    assert summary["teacher_first"] == 1 and summary["students"] == 1 and summary["controls"] == 2
    expected = lineage.auc([rows["lyra-distill"]["t"]], [rows["sage"]["t"], rows["pixel"]["t"]],
                           smaller_is_stronger=False)
    assert summary["auc_t"] == expected
    # The naive reference beside it: its own top and rank, counted and scored the same way (that it
    # ranks a near copy first is tested below).
    assert summary["naive_teacher_first"] == (rows["lyra-distill"]["naive_teacher_rank"] == 1)
    assert summary["auc_naive"] == lineage.auc([rows["lyra-distill"]["naive"]],
                                               [rows["sage"]["naive"], rows["pixel"]["naive"]],
                                               smaller_is_stronger=False)
    assert all(-1 <= r["naive"] <= 1 for r in data["rows"])


def test_over_all_sets_only_students_and_controls_of_one_set_are_compared() -> None:
    def row(name: str, role: str, t: float) -> lineage.Row:
        return lineage.Row(name, f"{role}-{t}", role, [], "x", 1 if role == "student" else None, 3, 5, t, 0.5, 0.5)

    rows = [row("one", "student", 5.0), row("one", "control", 4.0),
            row("two", "student", 1.0), row("two", "control", 0.0)]
    summary = {s["set"]: s for s in lineage.summarise(rows)}
    assert summary["one"]["auc_t"] == summary["two"]["auc_t"] == 1.0
    # Pooled over all four scores it would be 0.75 (set two's student is below set one's control).
    assert summary["all sets"]["auc_t"] == 1.0 and summary["all sets"]["teacher_first"] == 2
    assert summary["all sets"]["auc_pvalue"] == 0.5  # all tied
    # 3 candidates and 5 panel models: the floor is 3/8, above 0.5 nobody is at it.
    assert summary["all sets"]["at_pvalue_floor"] == 0
    rows[0].pvalue = 0.375
    assert lineage.summarise(rows)[0]["at_pvalue_floor"] == 1


def test_a_set_without_controls_reads_n_a_not_nan() -> None:
    rows = [lineage.Row("solo", "s", "student", [], "x", 1, 3, 5, 2.0, 0.5, 0.5)]
    text = lineage.report(rows, lineage.summarise(rows))
    summary_line = next(line for line in text.splitlines() if line.startswith("| solo | 1 of 1"))
    assert "nan" not in text and summary_line.endswith("| n/a | n/a | n/a | 0 of 1 | n/a |")


def test_naive_reference_ranks_a_copy_first_whatever_the_order_of_files(tmp_path: Path) -> None:
    import random

    from stylesim.corpus import load_corpus

    rng = random.Random(3)
    words = [f"w{i}" for i in range(40)]

    def texts(k: int) -> list[str]:
        return [" ".join(rng.choice(words[k * 8:k * 8 + 16]) for _ in range(60)) for _ in range(25)]

    teachers = {"t0": texts(0), "t1": texts(1), "t2": texts(2)}
    # A student whose bigrams are half t1's, and a control with a voice of its own.
    student = [a + " " + b for a, b in zip(teachers["t1"], texts(3))]
    corpora = {}
    for name, answers in {**teachers, "student": student, "control": texts(3)}.items():
        path = write_jsonl(tmp_path / f"{name}.jsonl", [{"prompt_id": f"p{i}", "response": text}
                                                         for i, text in enumerate(answers)])
        corpora[name] = load_corpus(path)
    naive = lineage.naive_reference(corpora)
    assert naive == lineage.naive_reference(dict(reversed(list(corpora.items()))))
    candidates = ["t0", "t1", "t2"]
    top, rank, cosine = lineage.naive_ranking(naive, lineage.Subject("student", "student", ["t1"]), candidates)
    assert (top, rank) == ("t1", 1) and cosine == max(naive["student"][c] for c in candidates) > 0.3
    assert lineage.naive_ranking(naive, lineage.Subject("control", "control"), candidates)[1] is None


def test_family_ranks_rank_the_teacher_by_each_familys_agreement_alone() -> None:
    ranked = [{"name": "a", "families_agreement": {"words": 0.3, "chars": 0.1}},
              {"name": "teacher", "families_agreement": {"words": 0.2, "chars": 0.4}},
              {"name": "c", "families_agreement": {"words": None, "chars": 0.4}}]
    # chars: a tie at 0.4 goes to the candidates' order; words: no agreement ranks last.
    assert lineage.family_ranks(ranked, ["teacher"]) == {"chars": 1, "words": 2}
    assert lineage.family_ranks(ranked, ["c"]) == {"chars": 2, "words": 3}
    assert lineage.family_ranks(ranked, []) == {"chars": None, "words": None}
    row = lineage.Row("s", "student", "student", [], "a", 2, 3, 4, 1.0, 0.5, 0.5,
                      family_ranks={"chars": 1, "words": 2})
    (table,) = lineage.family_table([row])
    assert "| s | student | 1 of 3 | 2 of 3 | 2 of 3 |" in table and "| all sets | teacher first | 1 | 0 | 0 |" in table
