"""A user's run can't be wrong or destructive: panel hygiene, argument slips, determinism across
processes, and output paths checked before any work (issue 12). Each test failed on 0.2."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import voice_rows, write_jsonl
from typer.testing import CliRunner

import stylesim
from stylesim.cli import app
from stylesim.errors import ConfigurationError

FAST = {"embeddings": False, "n_resamples": 30, "n_permutations": 30}
QUICK_CLI = ["--no-embeddings", "--resamples", "20", "--permutations", "20"]


@pytest.fixture
def five(tmp_path: Path) -> list[Path]:
    specs = (("model-a", "plain", 1), ("model-b", "plain", 2), ("model-c", "fancy", 3),
             ("model-d", "fancy", 4), ("model-e", "plain", 5))
    return [write_jsonl(tmp_path / f"{name}.jsonl", voice_rows(name, voice, seed=seed)) for name, voice, seed in specs]


def test_a_and_b_never_sit_in_their_own_panel(five: list[Path], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    a, b, *panel = five
    renamed_a = tmp_path / "renamed.jsonl"  # A's responses under another model name
    renamed_a.write_text(a.read_text().replace("model-a", "model_outputs"))
    copy_b = tmp_path / "copy-of-b.jsonl"
    shutil.copy(b, copy_b)
    result = stylesim.compare(a, b, panel=[*panel, renamed_a, copy_b, a], **FAST).to_dict()
    assert result["models"]["panel"] == ["model-c", "model-d", "model-e"]
    assert len(result["dropped_inputs"]) == 3
    assert any("identical responses" in m and "renamed.jsonl" in m for m in result["dropped_inputs"])
    assert any("copy-of-b.jsonl" in m and "(B)" in m for m in result["dropped_inputs"])
    assert "dropped" in caplog.text
    attributed = stylesim.attribute(a, [b, copy_b, renamed_a], panel=panel, **{k: v for k, v in FAST.items()})
    assert [c["name"] for c in attributed.candidates] == ["model-b"]


def test_a_file_given_twice_on_the_command_line_is_dropped_with_a_warning(
        five: list[Path], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A and a panel file repeated as --panel: each repeat is named in a warning and in the
    result, not dropped silently before the analysis sees it."""
    a, b, c, d, _ = five
    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, ["compare", str(a), str(b), "--panel", str(c), "--panel", str(d),
                                      "--panel", str(a), "--panel", str(c), "--json", str(out), *QUICK_CLI])
    assert result.exit_code == 0, result.output
    dropped = json.loads(out.read_text())["dropped_inputs"]
    assert len(dropped) == 2
    assert any("(A)" in m and "own panel" in m for m in dropped)
    assert any("model-c.jsonl: dropped, the same file" in m and "counts once" in m for m in dropped)
    assert [r.levelname for r in caplog.records if "dropped" in r.getMessage()] == ["WARNING", "WARNING"]
    # A given again as a base model: named for what it is.
    caplog.clear()
    based = CliRunner().invoke(app, ["compare", str(a), str(b), "--panel", str(c), "--panel", str(d),
                                     "--base", str(a), *QUICK_CLI])
    # Refused (0.3.10 dropped it with a warning and ran with nothing partialled out).
    # A user error exits through SystemExit(1) with one line; any other exception is a crash (CliRunner
    # keeps it in .exception, never in the output, so "Traceback" in the output could not fail).
    assert based.exit_code == 1 and isinstance(based.exception, SystemExit)
    assert "refused as --base, the same file as" in based.output and "partialled out of itself" in based.output
    # A and B the same file is a legitimate check (a model against itself), but never a silent one.
    caplog.clear()
    same_json = a.parent / "same.json"
    same = CliRunner().invoke(app, ["compare", str(a), str(a), "--panel", str(c), "--panel", str(d), *QUICK_CLI,
                                    "--json", str(same_json)])
    assert same.exit_code == 0, same.output
    assert any("the same file" in r.getMessage() and "with itself" in r.getMessage() for r in caplog.records)
    # Identical answers: every family's swap null is flat, and the combined test says p = 1 as
    # each family does (before 0.3.10 the combined key was missing and the verdict lost its line).
    equality = json.loads(same_json.read_text())["equality"]
    assert equality["pvalue"] == 1.0 and equality["statistic"] == 0.0
    # ... and the result says so, not only the log (up to 0.3.10 the report read like a finding).
    saved = json.loads(same_json.read_text())
    assert len(saved["self_comparison"]) == 1 and "the same file" in saved["self_comparison"][0]
    assert "own answers, so this compares a model with itself" in saved["verdict"]["headline"]
    assert saved["verdict"]["details"][0].startswith("Input ") and "with itself" in saved["verdict"]["details"][0]
    other = stylesim.compare(a, b, panel=[c, d], **FAST).to_dict()
    assert other["self_comparison"] == [] and "with itself" not in other["verdict"]["headline"]


def test_file_names_that_match_do_not_make_two_models_one(tmp_path: Path) -> None:
    """Files that name no model are named after the file: model.jsonl in four folders are four
    models (0.3.10 dropped two panel models as "the same model name" as A)."""
    paths = []
    for i, (voice, seed) in enumerate((("plain", 1), ("plain", 2), ("fancy", 3), ("fancy", 4), ("plain", 5))):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        rows = [{k: v for k, v in row.items() if k != "model"} for row in voice_rows(f"m{i}", voice, seed=seed)]
        paths.append(write_jsonl(folder / "model.jsonl", rows))
    result = stylesim.compare(paths[0], paths[1], panel=paths[2:], **FAST).to_dict()
    assert result["dropped_inputs"] == [] and len(result["models"]["panel"]) == 3
    # Told apart by folder where the file names match (0.3.11: "model" and "model (2)").
    assert result["models"]["a"] == "model" and result["models"]["b"] == "run1/model"
    assert result["models"]["panel"] == ["run2/model", "run3/model", "run4/model"]
    # A name the records give still counts: a panel file that says it is model A is dropped.
    named = write_jsonl(tmp_path / "named.jsonl", voice_rows("model-a", "fancy", seed=9))
    a_named = write_jsonl(tmp_path / "a.jsonl", voice_rows("model-a", "plain", seed=1))
    kept = stylesim.compare(a_named, paths[1], panel=[*paths[2:], named], **FAST).to_dict()
    assert any("the same model name" in m for m in kept["dropped_inputs"])


def test_a_base_also_in_the_panel_stays_a_base_and_leaves_the_panel(five: list[Path], tmp_path: Path) -> None:
    """Up to 0.3.8 the later --base copy was the one dropped: the base stayed in the panel, the
    result said base_controlled false, and the verdict said to add --base."""
    a, b, c, d, e = five
    copy_e = tmp_path / "copy-of-e.jsonl"
    shutil.copy(e, copy_e)
    for base in (e, copy_e):  # the same file, and the same responses in another file
        result = stylesim.compare(a, b, panel=[c, d, e], base=[base], **FAST).to_dict()
        assert result["base_controlled"] is True and result["models"]["base"] == ["model-e"]
        assert result["models"]["panel"] == ["model-c", "model-d"]
        assert any("taken out of the panel, it is also given as --base" in m for m in result["dropped_inputs"])
        assert not any("Add --base" in line for line in result["verdict"]["details"])
    attributed = stylesim.attribute(a, [b], panel=[c, d, e], base=[e], **FAST).to_dict()
    assert attributed["base_controlled"] is True and attributed["models"]["panel"] == ["model-c", "model-d"]
    # B given as --base (and in the panel): refused in words that fit, never run without the base
    # the user asked for (0.3.10 ran on with base_controlled false); a copy of the student too.
    with pytest.raises(ConfigurationError, match="refused as --base, the same file as .*model-b.jsonl \\(B\\); "
                                                 "a model cannot be both B and a base"):
        stylesim.compare(a, b, panel=[c, d, e, b], base=[b], **FAST)
    copy_a = tmp_path / "copy-of-a.jsonl"
    shutil.copy(a, copy_a)
    with pytest.raises(ConfigurationError, match="refused as --base, identical responses as .*partialled out of itself"):
        stylesim.attribute(a, [b, c], panel=[d, e], base=[copy_a], **FAST)
    with pytest.raises(ConfigurationError, match="a model cannot be both a candidate and a base"):
        stylesim.attribute(a, [b, c], panel=[d, e], base=[c], **FAST)
    # Other answers under B's name are not B: the base stays a base (a fine-tune is often served
    # under its base's name), and its panel copy leaves the panel as any base's does.
    namesake = tmp_path / "namesake.jsonl"
    namesake.write_text(c.read_text().replace("model-c", "model-b"))
    named = stylesim.compare(a, b, panel=[d, e, namesake], base=[namesake], **FAST).to_dict()
    assert named["base_controlled"] is True and len(named["models"]["base"]) == 1
    assert named["models"]["b"] == "model-b" and named["models"]["panel"] == ["model-d", "model-e"]


def test_a_file_given_twice_is_dropped_as_the_same_file_not_the_same_name(five: list[Path]) -> None:
    a, b, c, d, _ = five
    result = stylesim.attribute(a, [b, c, c], panel=[d], **FAST).to_dict()
    assert any("model-c.jsonl: dropped, the same file as" in m for m in result["dropped_inputs"])


def test_a_panel_model_that_cuts_the_shared_prompts_is_named(tmp_path: Path) -> None:
    """A and B share 25 prompts; one panel model has only 15 of them, so the analysis keeps 15.
    The result, the warning and the verdict say so and name it (they said nothing up to 0.3.8)."""
    specs = (("model-a", "plain", 1), ("model-b", "plain", 2), ("model-c", "fancy", 3), ("model-d", "fancy", 4))
    paths = [write_jsonl(tmp_path / f"{m}.jsonl", voice_rows(m, v, seed=s)) for m, v, s in specs]
    short = write_jsonl(tmp_path / "model-e.jsonl", voice_rows("model-e", "plain", seed=5, n=15))
    fast = {**FAST, "min_prompts": 10}
    data = stylesim.compare(paths[0], paths[1], panel=[*paths[2:], short], **fast).to_dict()
    cut = data["coverage"]["shortfall"]
    assert cut == {"shared_by_focus": 25, "matched": 15, "lacking": [{"name": "model-e", "missing": 10}]}
    plain = [line.replace("\u2068", "").replace("\u2069", "") for line in data["verdict"]["details"]]
    # Second, right after the first detail (the place add_input_notes gives it).
    assert plain[1].startswith("Only 15 of the 25 prompts that model-a and model-b share are analysed")
    assert "model-e lacks 10" in plain[1]
    whole = stylesim.compare(paths[0], paths[1], panel=paths[2:], **fast).to_dict()
    assert whole["coverage"]["shortfall"] is None
    attributed = stylesim.attribute(paths[0], [paths[1], paths[2]], panel=[paths[3], short], **fast).to_dict()
    assert attributed["coverage"]["shortfall"]["lacking"] == [{"name": "model-e", "missing": 10}]
    assert any("that \u2068model-a\u2069 and the candidates share" in line for line in attributed["verdict"]["details"])
    # Aligned by prompt text (the panel uses other ids), A's empty answers are A's own gap: no one to blame.
    rows = [json.loads(line) for line in paths[0].read_text().splitlines()]
    gappy = tmp_path / "gappy.jsonl"
    gappy.write_text("".join(json.dumps({**row, "response": "" if i < 8 else row["response"]}) + "\n"
                             for i, row in enumerate(rows)))
    renamed = []
    for path in paths[2:]:
        other = tmp_path / f"other-ids-{path.name}"
        other.write_text("".join(json.dumps({**json.loads(line), "prompt_id": "x" + json.loads(line)["prompt_id"]})
                                 + "\n" for line in path.read_text().splitlines()))
        renamed.append(other)
    own_gap = stylesim.compare(gappy, paths[1], panel=renamed, **fast).to_dict()
    assert own_gap["coverage"]["aligned_by"] == "prompt text" and own_gap["coverage"]["shortfall"] is None


def test_a_second_input_with_the_same_name_is_renamed_with_a_warning(
        five: list[Path], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    a, b, c, d, _ = five
    impostor = tmp_path / "impostor.jsonl"  # other answers under model-c's name
    impostor.write_text(d.read_text().replace("model-d", "model-c"))
    result = stylesim.compare(a, b, panel=[c, impostor], **FAST).to_dict()
    assert result["models"]["panel"] == ["model-c", "impostor"]
    assert "impostor.jsonl: another input is also named model-c; this one is shown as impostor" in caplog.text


def test_a_model_that_answers_every_prompt_alike_is_flagged(five: list[Path], tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    """A reviewer's "ok" bot came out as A's nearest model with strong statistics and no warning.
    Its agreement is real arithmetic (how A departs from the others, the same on every prompt), so
    it is not refused; the hygiene counts, a warning and the verdict say what it is."""
    a, b, c, d, _ = five
    rows = [json.loads(line) for line in b.read_text().splitlines()]
    okbot = tmp_path / "okbot.jsonl"
    okbot.write_text("".join(json.dumps({**row, "model": "okbot", "response": "ok"}) + "\n" for row in rows))
    data = stylesim.compare(a, okbot, panel=[c, d], **FAST).to_dict()
    assert data["hygiene"]["okbot"]["same_text_other_prompts"] == len(rows)
    assert data["hygiene"]["okbot"]["same_text_example"] == "ok"
    assert data["hygiene"]["model-a"]["same_text_other_prompts"] == 0
    assert data["hygiene"]["okbot"]["prompts_answered"] == len(rows)
    assert any("okbot" in line and "(25 of 25 prompts) get only answers the model also gave, word for word, to another" in line
               for line in data["verdict"]["details"])
    assert "okbot.jsonl: to 25 of its 25 prompts every answer is word for word an answer it gave" in caplog.text
    # Several samples: a real first answer and "ok" as the second is not a model without choices.
    halfok = tmp_path / "halfok.jsonl"
    halfok.write_text("".join(json.dumps({**row, "model": "halfok"}) + "\n"
                              + json.dumps({**row, "model": "halfok", "sample": 1, "response": "ok"}) + "\n"
                              for row in rows))
    mixed = stylesim.compare(a, halfok, panel=[c, d], **FAST).to_dict()
    assert mixed["hygiene"]["halfok"]["same_text_other_prompts"] == 0
    assert not any("word for word" in line for line in mixed["verdict"]["details"])
    from stylesim.panel import similarity_matrix

    grid = similarity_matrix([a, okbot, c, d], embeddings=False, n_resamples=20, n_permutations=20).to_dict()
    assert any("okbot" in line and "word for word" in line for line in grid["verdict"]["details"])


def test_matrix_drops_repeated_content(five: list[Path], tmp_path: Path) -> None:
    from stylesim.panel import similarity_matrix

    copy = tmp_path / "again.jsonl"
    shutil.copy(five[0], copy)
    result = similarity_matrix([*five, copy], embeddings=False, n_resamples=10, n_permutations=20).to_dict()
    assert len(result["models"]) == 5


def test_panel_followed_by_a_bare_file_is_refused(five: list[Path]) -> None:
    student, cand, p1, p2, _ = five
    runner = CliRunner()
    slip = runner.invoke(app, ["attribute", str(student), str(cand), "--panel", str(p1), str(p2), *QUICK_CLI])
    assert slip.exit_code == 2
    assert "--panel takes one file each" in slip.output
    ok = runner.invoke(app, ["attribute", str(student), str(cand), "--panel", str(p1), "--panel", str(p2),
                             "--panel", str(five[4]), *QUICK_CLI])
    assert ok.exit_code == 0, ok.output
    assert "model-b" in ok.output


def _run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import sys; from stylesim.cli import main; sys.argv = ['stylesim', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)


def test_same_seed_same_bytes_in_every_process(five: list[Path], tmp_path: Path) -> None:
    """Different PYTHONHASHSEEDs (set and dict order) and SOURCE_DATE_EPOCH: byte-identical JSON."""
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"r{hash_seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "SOURCE_DATE_EPOCH": "1700000000"}
        done = _run_cli(["compare", str(five[0]), str(five[1]), "--panel", str(five[2]), "--panel", str(five[3]),
                         "--panel", str(five[4]), *QUICK_CLI, "--seed", "3", "--json", str(out)], env)
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["created"] == "2023-11-14T22:13:20+00:00"


@pytest.mark.parametrize("case", ["json-is-input", "out-is-input", "out-is-json", "out-is-dir", "missing-folder"])
def test_outputs_are_checked_before_any_work(five: list[Path], tmp_path: Path, case: str) -> None:
    a, b, c, d, e = five
    before = {p: p.read_bytes() for p in five}
    json_out, html_out = tmp_path / "r.json", tmp_path / "r.html"
    if case == "json-is-input":
        json_out = c
    elif case == "out-is-input":
        html_out = a
    elif case == "out-is-json":
        html_out = json_out
    elif case == "out-is-dir":
        html_out = tmp_path
    else:
        html_out = tmp_path / "no" / "such" / "r.html"
    result = CliRunner().invoke(app, ["compare", str(a), str(b), "--panel", str(c), "--panel", str(d),
                                      "--json", str(json_out), "--out", str(html_out), *QUICK_CLI])
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert all(p.read_bytes() == content for p, content in before.items())
    assert not (tmp_path / "r.json").exists()  # nothing was written before the refusal


def test_a_folder_that_refuses_files_is_found_before_any_work(five: list[Path], monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    """os.access says yes to root and on read-only file systems (/sys): the check creates a file.
    Simulated here by a mkstemp that fails as /sys does, so the test holds as any user."""
    import tempfile

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    ran = []
    monkeypatch.setattr(stylesim, "compare", lambda *a, **k: ran.append(1))
    result = CliRunner().invoke(app, ["compare", str(five[0]), str(five[1]), "--out", str(tmp_path / "r.html"),
                                      *QUICK_CLI])
    assert result.exit_code == 1 and not ran
    assert result.stderr.strip() == (f"Error: {tmp_path / 'r.html'}: the folder to write into is not writable: "
                                     "Permission denied")


def test_a_file_name_too_long_is_named_as_such_before_any_work(tmp_path: Path) -> None:
    from stylesim.errors import InputError
    from stylesim.result import check_output_paths

    check_output_paths([tmp_path / ("a" * 235 + ".json")])  # what the write itself can take passes
    with pytest.raises(InputError, match="the file name is too long for this file system, counting the 14 "
                                         "characters of the temporary file it is written through; keep it to"):
        check_output_paths([tmp_path / ("a" * 245 + ".json")])  # the file system alone would take it
    with pytest.raises(InputError, match="the file name is too long"):
        check_output_paths([tmp_path / ("a" * 300 + ".json")])


def test_a_write_that_fails_after_the_analysis_is_one_line_and_leaves_nothing(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from stylesim.errors import InputError
    from stylesim.result import write_all_atomic

    def full(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(InputError, match="cannot write: No space left on device"):
        write_all_atomic([(tmp_path / "a.json", "{}"), (tmp_path / "b.html", "<p>")])
    assert list(tmp_path.iterdir()) == []


def test_report_refuses_to_overwrite_its_input(five: list[Path], tmp_path: Path) -> None:
    saved = tmp_path / "r.json"
    saved.write_text(stylesim.compare(five[0], five[1], panel=five[2:], **FAST).to_json())
    content = saved.read_bytes()
    result = CliRunner().invoke(app, ["report", str(saved), "--out", str(saved)])
    assert result.exit_code == 1 and "is also an input" in result.output
    assert saved.read_bytes() == content


def test_rich_markup_and_controls_in_names_print_safely(tmp_path: Path) -> None:
    rows = {name: voice_rows(name, voice, seed=seed) for name, voice, seed in (
        ("evil[/bold]\u202e", "plain", 1), ("b\x1b[31mred", "plain", 2), ("c", "fancy", 3), ("d", "fancy", 4))}
    paths = [write_jsonl(tmp_path / f"m{i}.jsonl", r) for i, r in enumerate(rows.values())]
    result = CliRunner().invoke(app, ["compare", str(paths[0]), str(paths[1]), "--panel", str(paths[2]),
                                      "--panel", str(paths[3]), *QUICK_CLI])
    assert result.exit_code == 0, result.output
    assert "evil[/bold]" in result.output
    assert "\u202e" not in result.output and "\x1b" not in result.output


def test_names_cannot_reorder_or_overflow_the_verdict(tmp_path: Path) -> None:
    long_name = "x" * 10_000
    specs = (("evil\u202egnp.exe", "plain", 1), (long_name, "plain", 2), ("c", "fancy", 3), ("d", "fancy", 4))
    paths = [write_jsonl(tmp_path / f"m{i}.jsonl", voice_rows(name, voice, seed=seed))
             for i, (name, voice, seed) in enumerate(specs)]
    result = stylesim.compare(paths[0], paths[1], panel=paths[2:], **FAST).to_dict()
    assert result["models"]["a"] == "evilgnp.exe"  # the override character is gone
    headline = result["verdict"]["headline"]
    assert "\u2068evilgnp.exe\u2069" in headline  # isolated: numbers after it keep their order
    from stylesim.report import render_html

    page = render_html(result)
    assert "\u202e" not in page and "overflow-wrap: anywhere" in page


def _exported_copy(b: Path, tmp_path: Path) -> tuple[Path, Path]:
    """B with its own name in every answer, and the same answers as another tool would export
    them: other prompt ids, another model name, that name in the text."""
    rows = [json.loads(line) for line in b.read_text().splitlines()]
    named = [{**row, "response": row["response"] + " Regards, model-b."} for row in rows]
    copy = [{**row, "prompt_id": f"other-{row['prompt_id']}", "model": "model-z",
             "response": row["response"].replace("model-b", "model-z")} for row in named]
    return write_jsonl(tmp_path / "b-named.jsonl", named), write_jsonl(tmp_path / "exported.jsonl", copy)


def test_a_copy_under_other_prompt_ids_and_another_name_is_dropped(five: list[Path], tmp_path: Path) -> None:
    a, b, *panel = five
    named, copy = _exported_copy(b, tmp_path)
    result = stylesim.compare(a, named, panel=[*panel, copy], **FAST).to_dict()
    assert result["models"]["panel"] == ["model-c", "model-d", "model-e"]
    assert len(result["dropped_inputs"]) == 1
    assert "exported.jsonl" in result["dropped_inputs"][0] and "(B)" in result["dropped_inputs"][0]
    assert "other prompt ids" in result["dropped_inputs"][0]
    from stylesim.panel import similarity_matrix

    matrix = similarity_matrix([a, named, *panel, copy], embeddings=False, n_resamples=10, n_permutations=20).to_dict()
    assert len(matrix["models"]) == 5


def test_a_tie_with_a_panel_model_ranks_the_panel_model_first_in_the_headline(
        five: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rank p-value counts a panel model as close as B against B; the table and the headline
    say the same (never "B, not B")."""
    from stylesim import roles

    monkeypatch.setattr(roles, "responses_hash", lambda corpus: str(id(corpus)))  # let the copy in
    monkeypatch.setattr(roles, "MIN_SHARED_FOR_COPY", 10**9)
    a, b, *panel = five
    named, copy = _exported_copy(b, tmp_path)
    result = stylesim.compare(a, named, panel=[*panel, copy], **FAST).to_dict()
    block = result["panel"]
    names = [m["name"] for m in block["models"]]
    assert block["rank"] == names.index("model-b") + 1 >= 2  # ties counted against B, in the table too
    assert names.index("model-z") < names.index("model-b")
    assert block["models"][names.index("model-z")]["t"] == pytest.approx(block["models"][names.index("model-b")]["t"])
    headline = result["verdict"]["headline"].replace("\u2068", "").replace("\u2069", "")
    assert headline.startswith(f"{names[0]}, not model-b, is model-a's nearest model; model-b ranks {block['rank']} of")


def test_outputs_write_through_links_and_into_devices_never_replacing_them(tmp_path: Path) -> None:
    import stat

    from stylesim.errors import InputError
    from stylesim.result import check_output_paths, write_all_atomic

    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    check_output_paths([link, os.devnull])
    write_all_atomic([(link, "new"), (os.devnull, "discarded")])
    assert link.is_symlink() and target.read_text() == "new"
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    write_all_atomic([(fifo, "through the pipe")])
    assert reader.communicate(timeout=10)[0] == b"through the pipe"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    if Path("/dev/full").exists():
        with pytest.raises(InputError, match="/dev/full: cannot write"):
            write_all_atomic([("/dev/full", "x" * 100_000)])
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_prompt_ids_and_answers_cannot_reorder_the_text_after_them_in_the_report(tmp_path: Path) -> None:
    """An unclosed override in a prompt id or an answer never reaches the page (the views build
    sentences and hover texts out of them, where closing at the value's end came too late: the
    prompt-by-prompt dots read "305.0 tnemeerga" before 0.3.10); isolates stay balanced, and NUL
    never reaches the page. contain_text still closes whatever a printed value leaves open."""
    from stylesim.report import contain_text, render_html

    assert contain_text("\u202edemo") == "\u202edemo\u202c"
    assert contain_text("\u2067a\u202eb") == "\u2067a\u202eb\u202c\u2069"  # innermost first
    # A PDF inside an isolate closes nothing (UAX #9 X7): the override before the isolate stays open.
    assert contain_text("a\u202e\u2066\u202cb") == "a\u202e\u2066\u202cb\u2069\u202c"
    assert contain_text("a\u202e\u2067b\u2069c") == "a\u202e\u2067b\u2069c\u202c"
    assert contain_text("\u2068name\u2069 ok") == "\u2068name\u2069 ok"  # balanced: unchanged
    assert contain_text("a\x00b") == "a\ufffdb" and contain_text(3) == 3
    rows = {name: voice_rows(name, voice, seed=seed)
            for name, voice, seed in (("model-a", "plain", 1), ("model-b", "plain", 2), ("model-c", "fancy", 3),
                                      ("model-d", "fancy", 4))}
    for name in rows:
        for row in rows[name]:
            row["prompt_id"] = "\u202e" + row["prompt_id"]
            row["response"] += " \u2067tail\x00"
    paths = [write_jsonl(tmp_path / f"{name}.jsonl", r) for name, r in rows.items()]
    page = render_html(stylesim.compare(paths[0], paths[1], panel=paths[2:], **FAST).to_dict())
    assert "\x00" not in page and "\u202e" not in page
    assert page.count("\u2067") > 0  # the answers are shown, their isolates balanced
    assert page.count("\u2069") >= page.count("\u2067") + page.count("\u2068")
    for match in re.finditer("\u2067", page):  # ... each closed before its element ends
        assert "\u2069" in page[match.start():page.index("<", match.start())]
    assert re.search(r"p\d+: agreement [\u2212\d.]+ \u2014", page)  # a hover text, in reading order


def test_an_edited_result_cannot_reorder_the_report(tmp_path: Path) -> None:
    """`stylesim report` reads JSON anyone may have edited: names there are not cleaned as the CLI
    cleans them, so the page removes overrides itself (the heading read "b3-llitsid" before 0.3.10)."""
    from stylesim.report import render_html

    rows = {name: voice_rows(name, voice, seed=seed)
            for name, voice, seed in (("model-a", "plain", 1), ("model-b", "plain", 2), ("model-c", "fancy", 3),
                                      ("model-d", "fancy", 4))}
    paths = [write_jsonl(tmp_path / f"{name}.jsonl", r) for name, r in rows.items()]
    data = json.loads(json.dumps(stylesim.compare(paths[0], paths[1], panel=paths[2:], **FAST).to_dict()))
    text = json.dumps(data).replace("model-b", "model\u202e-b").replace("model-c", "model\u2069\u2067-c")
    page = render_html(json.loads(text))
    assert "\u202e" not in page and "model-b" in page
    assert page.count("\u2069") >= page.count("\u2067") + page.count("\u2068")


def test_one_model_given_as_every_input_says_what_is_wrong(five: list[Path]) -> None:
    runner = CliRunner()
    for command in (["attribute", five[0], five[0]], ["matrix", five[0], five[0]]):
        result = runner.invoke(app, [str(x) for x in command] + ["--no-embeddings"])
        assert result.exit_code == 1
        assert "the inputs repeat one model" in result.stderr and "at least two different models" in result.stderr


def test_a_failing_device_output_leaves_the_other_outputs_untouched_and_link_loops_are_refused(
        tmp_path: Path) -> None:
    from stylesim.errors import InputError
    from stylesim.result import check_output_paths, write_all_atomic

    kept = tmp_path / "a.json"
    kept.write_text("OLD")
    if Path("/dev/full").exists():
        with pytest.raises(InputError, match="cannot write"):
            write_all_atomic([(kept, "NEW"), ("/dev/full", "x" * 100_000)])
        assert kept.read_text() == "OLD" and not list(tmp_path.glob(".a.json.*"))
    loop_a, loop_b = tmp_path / "l1", tmp_path / "l2"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    for call in (lambda: check_output_paths([loop_a]), lambda: write_all_atomic([(loop_a, "x")])):
        with pytest.raises(InputError, match="loop of symbolic links"):
            call()
    assert loop_a.is_symlink()


def test_an_output_to_our_own_redirected_stdout_appends_to_the_log(tmp_path: Path) -> None:
    """`--json /dev/stdout >> log`: the log keeps what was there and gets the JSON after it."""
    log = tmp_path / "log.txt"
    log.write_text("EARLIER LINE\n")
    from conftest import SAMPLES

    code = "import sys; from stylesim.cli import main; sys.argv = ['stylesim', *sys.argv[1:]]; main()"
    command = [sys.executable, "-c", code, "compare", str(SAMPLES / "lyra.jsonl"), str(SAMPLES / "lyra-distill.jsonl"),
               "--no-embeddings", "--resamples", "10", "--permutations", "19", "--json", "/dev/stdout"]
    with open(log, "a") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, timeout=300)
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert text.startswith("EARLIER LINE\n") and '"stylesim_version"' in text


def test_two_models_with_the_same_answers_to_different_prompts_are_both_kept(tmp_path: Path) -> None:
    """The content check ignores prompt ids but not which prompt an answer belongs to: "Yes."/"No."
    alternating, and its opposite, are two models."""
    from stylesim.corpus import load_corpus
    from stylesim.roles import Roles

    def model(name: str, answers: list[str]) -> Path:
        rows = [{"prompt_id": f"q{i}", "prompt": f"Is claim {i} true?", "response": a, "model": name}
                for i, a in enumerate(answers)]
        return write_jsonl(tmp_path / f"{name}.jsonl", rows)

    yes_no = ["Yes." if i % 2 else "No." for i in range(12)]
    paths = [model("x", yes_no), model("y", ["No." if a == "Yes." else "Yes." for a in yes_no]),
             model("z", ["Yes."] * 12), model("w", ["No."] * 12)]
    roles = Roles.build([load_corpus(p) for p in paths[2:]], [load_corpus(p) for p in paths[:2]], first=("A", "B"))
    assert [c.name for c in roles.panel] == ["x", "y"] and not roles.dropped


def test_a_file_name_that_is_not_utf8_leaves_every_output_valid_utf8(five: list[Path], tmp_path: Path) -> None:
    """Up to 0.3.9 such a name (a model named after its file) reached the JSON, the HTML and the
    Newick file as raw surrogates, and `stylesim report` then refused the JSON as not UTF-8."""
    a, b, c, d, _ = five
    rows = [{k: v for k, v in json.loads(line).items() if k != "model"} for line in b.read_text().splitlines()]
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/nom\xfe.jsonl"))
    odd.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    done = CliRunner().invoke(app, ["compare", str(a), str(odd), "--panel", str(c), "--panel", str(d), *QUICK_CLI,
                                    "--json", str(out_json), "--out", str(out_html)])
    assert done.exit_code == 0, done.output
    data = json.loads(out_json.read_bytes().decode("utf-8"))  # strict: raises on invalid bytes
    assert data["models"]["b"] == "nom\ufffd"
    out_html.read_bytes().decode("utf-8")
    again = CliRunner().invoke(app, ["report", str(out_json), "--out", str(tmp_path / "again.html")])
    assert again.exit_code == 0, again.output


def test_json_to_standard_output_refuses_another_output_there(five: list[Path], tmp_path: Path) -> None:
    """--json - with --out /dev/stdout put the HTML and the JSON in one stream, exit 0 (0.3.9)."""
    a, b, *_ = five
    done = _run_cli(["compare", str(a), str(b), *QUICK_CLI, "--json", "-", "--out", "/dev/stdout"], dict(os.environ))
    assert done.returncode == 1 and done.stdout == "", done.stdout[:200]
    assert done.stderr.startswith("Error: /dev/stdout: is standard output") and done.stderr.count("\n") == 1


def test_a_copy_of_part_of_b_under_another_name_is_dropped(five: list[Path], tmp_path: Path) -> None:
    """A panel file holding B's answers to 22 of its 25 prompts, under another model's name, has
    other whole-file hashes than B but is B: kept, it would agree with A as B does and push B
    down the ranking (an outside audit's case, 2026-12-07)."""
    a, b, *panel = five
    rows = [json.loads(line) for line in b.read_text().splitlines()]
    part = write_jsonl(tmp_path / "part.jsonl", [{**row, "model": "model-q"} for row in rows[:22]])
    result = stylesim.compare(a, b, panel=[*panel, part], **FAST).to_dict()
    assert result["models"]["panel"] == ["model-c", "model-d", "model-e"]
    assert len(result["dropped_inputs"]) == 1
    assert "part.jsonl: dropped, identical responses to all 22 prompts both answered as" in result["dropped_inputs"][0]
    assert "(B)" in result["dropped_inputs"][0]
    from stylesim.panel import similarity_matrix

    matrix = similarity_matrix([*five, part], embeddings=False, n_resamples=10, n_permutations=20).to_dict()
    assert len(matrix["models"]) == 5


def test_a_part_copy_needs_nearly_every_shared_answer_alike_and_enough_of_them(five: list[Path], tmp_path: Path) -> None:
    from stylesim.corpus import load_corpus
    from stylesim.roles import MIN_SHARED_FOR_COPY, Roles

    b = five[1]
    rows = [json.loads(line) for line in b.read_text().splitlines()]
    few = write_jsonl(tmp_path / "few.jsonl", [{**row, "model": "model-f"} for row in rows[:MIN_SHARED_FOR_COPY - 1]])

    def edited(name: str, lines: list[int]) -> Path:
        out = [{**row, "model": name} for row in rows]
        for line in lines:
            out[line] = {**out[line], "response": out[line]["response"] + " One more sentence."}
        return write_jsonl(tmp_path / f"{name}.jsonl", out)

    # 25 shared prompts: a copy may differ on int(25 * 0.05) = 1 of them.
    two_off, one_off = edited("model-g", [7, 11]), edited("model-h", [7])
    roles = Roles.build([load_corpus(five[0]), load_corpus(b)],
                        [load_corpus(few), load_corpus(two_off), load_corpus(one_off)])
    assert [c.name for c in roles.panel] == ["model-f", "model-g"]
    (message,) = roles.dropped
    assert "model-h.jsonl: dropped, identical responses to 24 of the 25 prompts both answered as" in message



def test_a_panel_of_nothing_but_copies_is_said_to_be_dropped_not_missing(five: list[Path], tmp_path: Path) -> None:
    from stylesim.report import render_html

    a, b, *_ = five
    copy_b = tmp_path / "copy-of-b.jsonl"
    shutil.copy(b, copy_b)
    compared = stylesim.compare(a, b, panel=[copy_b, a], **FAST).to_dict()
    assert compared["panel_inputs_dropped"] == 2 and compared["models"]["panel"] == []
    headline = compared["verdict"]["headline"]
    assert "No panel model remains: the panel inputs (2) given were all dropped as repeating other inputs" in headline
    assert "No reference panel was given" not in headline
    html = render_html(compared)
    assert "Every panel input given (2) was dropped as repeating another input" in html
    attributed = stylesim.attribute(a, [b], panel=[copy_b], **FAST).to_dict()
    assert attributed["panel_inputs_dropped"] == 1
    assert ("no panel model remains: the one panel input given was dropped as repeating another input (see below)"
            in attributed["verdict"]["headline"])
    alone = stylesim.compare(a, b, **FAST).to_dict()
    assert alone["panel_inputs_dropped"] == 0 and "No reference panel was given" in alone["verdict"]["headline"]


def test_models_that_give_the_same_short_answers_are_not_copies(five: list[Path], tmp_path: Path) -> None:
    """On prompts answered in a word or two ("Yes.", "42"), two different models agree word for
    word on most of them; such answers do not count towards a part copy."""
    from stylesim.corpus import load_corpus
    from stylesim.roles import Roles

    rows = [json.loads(line) for line in five[2].read_text().splitlines()]
    terse = [{**row, "model": "terse-1", "response": f"Yes, item {i}."} for i, row in enumerate(rows)]
    also_terse = [{**row, "model": "terse-2"} for row in terse]
    roles = Roles.build([load_corpus(five[0]), load_corpus(five[1])],
                        [load_corpus(write_jsonl(tmp_path / "t1.jsonl", terse[:24])),
                         load_corpus(write_jsonl(tmp_path / "t2.jsonl", also_terse))])
    assert [c.name for c in roles.panel] == ["terse-1", "terse-2"] and not roles.dropped


def test_of_two_panel_inputs_of_one_model_the_one_with_more_prompts_stays(five: list[Path], tmp_path: Path) -> None:
    """A part copy given before the full file would be kept, and cut every model's prompts to its
    22; the full file stays instead, whatever the order."""
    a, b, c, d, e = five
    rows = [json.loads(line) for line in c.read_text().splitlines()]
    part = write_jsonl(tmp_path / "part.jsonl", [{**row, "model": "model-c-part"} for row in rows[:22]])
    for panel in ([part, c, d, e], [c, part, d, e]):
        result = stylesim.compare(a, b, panel=panel, **FAST).to_dict()
        assert sorted(result["models"]["panel"]) == ["model-c", "model-d", "model-e"]
        assert result["coverage"]["matched_prompts"] == 25
        (message,) = result["dropped_inputs"]
        assert message.startswith(f"{part}: dropped, identical responses to all 22 prompts both answered as")
    assert message.endswith("each model counts once")  # given second, it is simply dropped
    first = stylesim.compare(a, b, panel=[part, c, d, e], **FAST).to_dict()
    assert first["dropped_inputs"][0].endswith("; the input that answered more prompts is kept")
    assert first["models"]["panel"] == ["model-c", "model-d", "model-e"]  # in the place of the part


def test_of_two_candidates_or_matrix_inputs_of_one_model_the_one_with_more_prompts_stays(
        five: list[Path], tmp_path: Path) -> None:
    """As in the panel: a part copy of a candidate given first used to be kept, and cut the
    student's and every candidate's prompts to its 22. The student itself stays as given."""
    a, b, c, d, e = five
    rows = [json.loads(line) for line in c.read_text().splitlines()]
    part = write_jsonl(tmp_path / "part.jsonl", [{**row, "model": "model-c-part"} for row in rows[:22]])
    result = stylesim.attribute(a, [b, part, c], panel=[d, e], **FAST).to_dict()
    assert result["coverage"]["matched_prompts"] == 25
    assert result["dropped_inputs"][0].endswith("; the input that answered more prompts is kept")
    assert [row["name"] for row in result["candidates"]].count("model-c") == 1
    from stylesim.panel import similarity_matrix

    matrix = similarity_matrix([part, a, b, c, d, e], embeddings=False, n_permutations=19).to_dict()
    assert [name for name in matrix["models"] if name.startswith("model-c")] == ["model-c"]
    assert matrix["coverage"]["matched_prompts"] == 25
    short = write_jsonl(tmp_path / "a-part.jsonl", [json.loads(line) for line in a.read_text().splitlines()][:22])
    kept = stylesim.attribute(short, [a, b], panel=[d, e], **FAST).to_dict()  # the student stays as given
    assert kept["coverage"]["matched_prompts"] == 22


def test_a_panel_without_any_score_leaks_no_numpy_warning(tmp_path: Path) -> None:
    """Five prompts, two panel models and a base: no panel model has a resemblance, and up to
    0.3.13 NumPy's "All-NaN slice" warning reached the terminal, even with -q (an outside audit)."""
    import warnings

    from conftest import SAMPLES

    def first(name: str) -> Path:
        lines = (SAMPLES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[:5]
        path = tmp_path / f"{name}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stylesim.attribute(first("lyra-distill"), [first("lyra"), first("sage")],
                           panel=[first("brook"), first("pixel")], base=[first("atlas")], min_prompts=5, **FAST)


@pytest.mark.parametrize(("change", "message"), [
    ({"schema_version": "2"}, "result schema_version '2' is not a whole number; the file was edited"),
    ({"schema_version": 0}, "result schema_version 0 is not one this stylesim reads (1 to 2); it was edited"),
    ({"schema_version": 9}, "(1 to 2); a newer stylesim wrote it, or it was edited"),
    ({"kind": ["compare"]}, "no HTML report for results of kind \"['compare']\""),
])
def test_report_says_what_is_wrong_with_an_edited_result(five: list[Path], tmp_path: Path, change: dict,
                                                         message: str) -> None:
    """Up to 0.3.13: a version 0 was "written by a newer stylesim", a string version read as an
    unknown number, and a list as the kind ended in TypeError("unhashable type") (an outside audit)."""
    data = json.loads(stylesim.compare(five[0], five[1], panel=five[2:], **FAST).to_json())
    saved = tmp_path / "r.json"
    saved.write_text(json.dumps({**data, **change}), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(saved), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Error" in result.output and "unhashable" not in result.output


def test_report_on_an_outputs_file_says_it_is_not_a_result(five: list[Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(five[0]), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert "not a stylesim result: it holds several JSON values (an outputs file in JSONL?)" in result.output


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_outputs_get_the_usual_permissions_not_the_temporary_files(tmp_path: Path, umask: int) -> None:
    """Results are staged in mkstemp files (mode 0600) and renamed: without the chmod a published
    report would be readable by its owner alone (a mutation audit found no test of the mode)."""
    import os

    from stylesim.result import write_all_atomic

    previous = os.umask(umask)
    try:
        write_all_atomic([(tmp_path / "r.json", "{}"), (tmp_path / "r.html", "<p>")])
    finally:
        os.umask(previous)
    for name in ("r.json", "r.html"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_panel_slip_at_the_very_end_of_the_command_is_refused() -> None:
    """``--panel p1 p2`` as the last words: the look-ahead must reach the last argument."""
    import typer

    from stylesim.cli.app import check_repeated_options

    with pytest.raises(typer.Exit) as slip:
        check_repeated_options(["attribute", "s.jsonl", "c.jsonl", "--panel", "p1.jsonl", "p2.jsonl"])
    assert slip.value.exit_code == 2
    check_repeated_options(["attribute", "s.jsonl", "c.jsonl", "--panel", "p1.jsonl", "--panel", "p2.jsonl"])
