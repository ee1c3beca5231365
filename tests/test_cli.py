"""The command line end to end: outputs, exit codes, one-line errors, no half-written files."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLE_PANEL, SAMPLES, voice_rows, write_jsonl
from typer.testing import CliRunner

from stylesim.cli import app
from stylesim.report import fmt

runner = CliRunner()
FAST = ["--no-embeddings", "--resamples", "50", "--permutations", "50"]


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_compare_writes_json_and_html(tiny_pair: tuple[Path, Path, Path], tmp_path: Path) -> None:
    a, b, _ = tiny_pair
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    result = invoke("compare", a, b, *FAST, "--json", out_json, "--out", out_html)
    assert result.exit_code == 0, result.output
    data = json.loads(out_json.read_text())
    overall = data["similarity"]["uncentred"]
    assert set(overall) == {"estimate", "ci_low", "ci_high"}
    assert overall["ci_low"] <= overall["estimate"] <= overall["ci_high"]
    assert data["similarity"]["centred"] is None and data["schema_version"] == 2
    for family in data["families"].values():
        assert {"estimate", "ci_low", "ci_high"} == set(family["resemblance"]["uncentred"])
        assert "pvalue" in family
    assert out_html.read_text().startswith("<!DOCTYPE html>")
    assert "resemblance" in result.stdout and "No reference panel was given" in result.stdout


def test_compare_with_panel_reports_rank(tiny_four: tuple[Path, Path, Path, Path], tmp_path: Path) -> None:
    a, b, c, d = tiny_four
    out_json = tmp_path / "r.json"
    result = invoke("compare", a, b, "--panel", c, "--panel", d, *FAST, "--json", out_json)
    assert result.exit_code == 0, result.output
    panel = json.loads(out_json.read_text())["panel"]
    assert {"rank", "n", "pvalue", "pvalue_min", "closeness_index"} <= set(panel)
    assert panel["n"] == 3 and panel["rank"] == 1 and panel["pvalue"] == pytest.approx(1 / 3)
    assert "rank among the panel   1 of 3" in result.stdout and "same-prompt agreement" in result.stdout


def test_json_to_stdout_and_quiet(tiny_four: tuple[Path, Path, Path, Path]) -> None:
    a, b, c, d = tiny_four
    piped = invoke("compare", a, b, "--panel", c, "--panel", d, *FAST, "--json", "-")
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.stdout)["kind"] == "compare"  # stdout is the JSON alone
    assert "rank among the panel" in piped.stderr
    quiet = invoke("compare", a, b, "--panel", c, "--panel", d, *FAST, "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""


ERROR_CASES = {
    "missing file": (lambda d: d / "missing.jsonl", r"missing\.jsonl: no such file"),
    "directory": (lambda d: d, r"is a directory"),
    "empty file": (lambda d: _write(d / "empty.jsonl", b""), r"empty\.jsonl: file is empty"),
    "invalid json": (
        lambda d: _write(d / "broken.jsonl", b'{"prompt_id": "a", "response": "x"}\n{oops\n'),
        r"broken\.jsonl:2: invalid JSON",
    ),
    "undecodable": (
        lambda d: _write(d / "latin.jsonl", '{"prompt_id": "a", "response": "caf\u00e9"}\n'.encode("latin-1")),
        r"latin\.jsonl:1: not valid UTF-8",
    ),
    "missing field": (
        lambda d: _write(d / "nofield.jsonl", b'{"prompt_id": "a", "response": "x"}\n' * 16 + b'{"prompt_id": "q"}\n'),
        r'nofield\.jsonl:17: missing field "response"',
    ),
}


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_bad_input_is_one_line_and_exit_1(case: str, tiny_pair: tuple[Path, Path, Path], tmp_path: Path) -> None:
    make, pattern = ERROR_CASES[case]
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad = make(bad_dir)
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    result = invoke("compare", tiny_pair[0], bad, *FAST, "--format", "stylesim", "--json", out_json, "--out", out_html) \
        if case not in {"missing file", "directory", "empty file"} else \
        invoke("compare", tiny_pair[0], bad, *FAST, "--json", out_json, "--out", out_html)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ") and re.search(pattern, lines[0]), lines[0]
    assert "Traceback" not in result.output
    assert not out_json.exists() and not out_html.exists()


def test_conflicting_duplicate_ids(tmp_path: Path, tiny_pair: tuple[Path, Path, Path]) -> None:
    rows = voice_rows("m", "plain")
    rows.append({**rows[3], "prompt": "A different question"})
    bad = write_jsonl(tmp_path / "conflict.jsonl", rows)
    result = invoke("compare", tiny_pair[0], bad, *FAST)
    assert result.exit_code == 1
    assert re.search(r"conflict\.jsonl:26: prompt_id 'p03' appears again with a different prompt", result.output)


def test_no_prompts_in_common_is_refused(tmp_path: Path, tiny_pair: tuple[Path, Path, Path]) -> None:
    rows = voice_rows("m", "plain")
    for row in rows:
        row["prompt_id"] = "z" + row["prompt_id"]
        row["prompt"] = "Unrelated: " + row["prompt"]
    other = write_jsonl(tmp_path / "other.jsonl", rows)
    out_json = tmp_path / "r.json"
    result = invoke("compare", tiny_pair[0], other, *FAST, "--json", out_json)
    assert result.exit_code == 1
    assert "have no prompts in common" in result.output and "--min-prompts" in result.output
    assert not out_json.exists()


def test_unwritable_output_folder(tiny_pair: tuple[Path, Path, Path], tmp_path: Path) -> None:
    result = invoke("compare", tiny_pair[0], tiny_pair[1], *FAST, "--json", tmp_path / "nowhere" / "r.json")
    assert result.exit_code == 1
    assert "the folder to write into does not exist" in result.output
    under_a_file = invoke("compare", tiny_pair[0], tiny_pair[1], *FAST, "--json", tiny_pair[0] / "r.json")
    assert under_a_file.exit_code == 1 and "the folder to write into is a file" in under_a_file.output


def test_attribute_ranks_candidates(tiny_pair: tuple[Path, Path, Path], tmp_path: Path) -> None:
    a, b, c = tiny_pair
    out_json = tmp_path / "attr.json"
    result = invoke("attribute", a, c, b, "--no-embeddings", "--resamples", "50", "--json", out_json)
    assert result.exit_code == 0, result.output
    data = json.loads(out_json.read_text())
    names = [row["name"] for row in data["candidates"]]
    assert names == ["model-b", "model-c"]
    for row in data["candidates"]:
        assert {"name", "path", "score", "rank", "pvalue", "ci_low", "ci_high"} <= set(row)
    # Three models: ranked by resemblance, so no leave-one-out line.
    assert "left out" not in result.output


def test_attribute_prints_the_leave_one_out_summary(tmp_path: Path) -> None:
    panel = [arg for path in SAMPLE_PANEL[1:] for arg in ("--panel", path)]
    out_json = tmp_path / "attr.json"
    result = invoke("attribute", SAMPLES / "lyra-distill.jsonl", SAMPLES / "atlas.jsonl", SAMPLES / "lyra.jsonl",
                    *panel, "--no-embeddings", "--resamples", "30", "--permutations", "30", "--json", out_json)
    assert result.exit_code == 0, result.output
    block = json.loads(out_json.read_text())["leave_one_out"]
    half = json.loads(out_json.read_text())["half_panel"]
    assert half["draws"] == 10 and half["exhaustive"] and block["analyses"] == 6
    # Said once, by the verdict's notes (up to 0.3.11 also by lines of their own, in other words).
    printed = _plain(result.stdout)
    assert "lyra-13b stays the top candidate whichever one of the 1 other candidate and 5 panel models" in printed
    assert "lyra-13b stays the top candidate with each of the 10 ways of leaving" in printed
    assert "left out at a time" not in printed and "half of the panel left out" not in printed
    # Every note of the verdict reaches the terminal (up to 0.3.10 attribute printed none of them):
    # whether the base was controlled for, how small p can be with this panel, ...
    verdict = json.loads(out_json.read_text())["verdict"]
    printed = _plain(result.stdout)
    assert verdict["details"] and all(f"  - {_plain(detail)}" in printed for detail in verdict["details"])
    assert "The base model was not controlled for" in printed and "the smallest possible p-value" in printed
    assert "prompts compared       48 (answered by every model in the analysis)" in printed
    # p-values as the report prints them (0.3.10 printed the JSON's 0.285714 beside 0.33).
    candidates = json.loads(out_json.read_text())["candidates"]
    assert f"p = {fmt.pval(candidates[0]['pvalue'])}" in printed and not re.search(r"p = 0\.\d{5,}", printed)


def _plain(text: str) -> str:
    """Text as the terminal shows it: without the isolates that wrap names in the JSON's verdict."""
    return text.replace("\u2068", "").replace("\u2069", "")


def test_demo_samples_show_resemblance(tmp_path: Path) -> None:
    """The embedded demo: the imitator is lyra's nearest neighbour among seven models with the
    smallest p-value six panel models allow, and no panel voice comes close."""
    out = tmp_path / "demo.json"
    panel = [arg for path in SAMPLE_PANEL for arg in ("--panel", path)]
    result = invoke("compare", SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl", *panel, *FAST, "--json", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["panel"]["rank"] == 1 and data["panel"]["n"] == 7
    assert data["panel"]["pvalue"] == pytest.approx(1 / 7)
    agreement = {m["name"]: m["agreement"] for m in data["panel"]["models"]}
    assert agreement["lyra-distill-3b"] > 0.2 > max(v for k, v in agreement.items() if k != "lyra-distill-3b")
    assert data["agreement"]["pvalue_above_background"] == pytest.approx(1 / 51, abs=1e-6)  # the smallest 50 flips allow
    assert data["panel"]["closeness_index"]["ci_low"] > 0


def test_version_and_help() -> None:
    assert invoke("--version").output.strip().startswith("stylesim ")
    for command in ("compare", "attribute", "collect", "prompts"):
        assert invoke(command, "--help").exit_code == 0


def test_readme_lists_every_command_and_compare_option() -> None:
    """The README's command summary stays in sync with the real --help."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    help_text = invoke("--help").output
    commands = set(re.findall(r"^│ (\w+)\s", help_text, flags=re.MULTILINE))
    assert commands, help_text
    for command in commands:
        assert f"stylesim {command}" in readme, command
    compare_help = invoke("compare", "--help").output
    for option in ("--panel", "--no-embeddings", "--seed", "--resamples", "--permutations", "--out", "--json"):
        assert option in compare_help and option in readme, option


# Progress: a live bar on a terminal (stderr a TTY), nothing with --quiet or when piped.

REPRODUCE = ["reproduce", "eqbench-similarity", *(SAMPLES / f"{n}.jsonl" for n in ("atlas", "brook", "lyra", "lyra-distill")),
             "--resamples", "20", "--calibrated-resamples", "20"]
ATTRIBUTE = ["attribute", SAMPLES / "lyra-distill.jsonl", SAMPLES / "atlas.jsonl", SAMPLES / "lyra.jsonl", *FAST]


def test_attribute_reports_progress_stages() -> None:
    """The library side: attribute() calls progress(stage) and progress(stage, done, total)."""
    import stylesim

    calls: list[tuple] = []
    stylesim.attribute(SAMPLES / "lyra-distill.jsonl", [SAMPLES / "atlas.jsonl", SAMPLES / "lyra.jsonl"],
                       embeddings=False, n_resamples=20, n_permutations=20, progress=lambda *a: calls.append(a))
    assert calls and calls[0] == ("aligning",)
    counted = [call for call in calls if len(call) == 3]
    assert counted and all(call[0].startswith("features") for call in counted)
    assert all(0 <= done <= total for _, done, total in counted)
    assert counted[-1][1] == counted[-1][2]  # every feature family finished


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Standard error as a terminal: what the progress display draws lands here."""
    from rich.console import Console

    from stylesim.cli import _common

    screen = io.StringIO()
    monkeypatch.setattr(_common, "console", Console(file=screen, force_terminal=True, width=120))
    return screen


@pytest.mark.parametrize(("args", "stages"), [
    (ATTRIBUTE, ("aligning", "features")),
    (REPRODUCE, ("counting words", "bootstrap: 20 resamples", "calibrated comparison", "features")),
])
def test_progress_bar_on_a_terminal(terminal: io.StringIO, args: list, stages: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    for stage in stages:
        assert stage in terminal.getvalue(), (stage, terminal.getvalue())
    assert "aligning" not in result.stderr  # the bar went to the terminal, not into the output


@pytest.mark.parametrize("args", [ATTRIBUTE, REPRODUCE])
def test_quiet_shows_no_progress(terminal: io.StringIO, args: list) -> None:
    result = invoke(*args, "--quiet")
    assert result.exit_code == 0, result.output
    assert terminal.getvalue() == "" and result.stdout == "" and result.stderr == ""


@pytest.mark.parametrize("args", [ATTRIBUTE, REPRODUCE])
def test_no_progress_when_not_a_terminal(args: list) -> None:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "aligning" not in result.output and "features" not in result.output


@pytest.mark.parametrize(("command", "option", "message"), [
    ("compare", ["--seed", "-1"], "--seed must be a non-negative integer (got -1)"),
    ("attribute", ["--seed", "-1"], "--seed must be a non-negative integer (got -1)"),
    ("matrix", ["--seed", "-3"], "--seed must be a non-negative integer (got -3)"),
    ("compare", ["--min-prompts", "0"], "--min-prompts must be at least 5 (got 0)"),
    ("matrix", ["--min-prompts", "-2"], "--min-prompts must be at least 5 (got -2)"),
    ("compare", ["--resamples", "100000000000000000000"], "--resamples and --permutations must be at most 100,000"),
    # Below 19 permutations the smallest p, 1/(B + 1), is above 0.05: refused, not read as "no evidence".
    ("compare", ["--permutations", "18"], "--permutations must be at least 19, so that p \u2264 0.05 is possible"),
    ("attribute", ["--permutations", "10"], "--permutations must be at least 19"),
    ("matrix", ["--permutations", "12"], "--permutations must be at least 19"),
    ("compare", ["--resamples", "9"], "--resamples must be at least 10 (got 9)"),
    ("compare", ["--family", "embedding"], "--family embedding and --no-embeddings contradict each other"),
])
def test_option_values_that_cannot_work_get_one_line(tmp_path: Path, command: str, option: list[str],
                                                      message: str) -> None:
    models = [SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl", *SAMPLE_PANEL[:3]]
    out = tmp_path / "r.json"
    result = invoke(command, *(models if command == "matrix" else models[:2]), *FAST, *option, "--json", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {message}") and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_p_values_at_the_permutation_floor_are_printed_as_bounds(tmp_path: Path) -> None:
    """1/(B + 1) is the smallest a B-draw test can give: "p ≤", in the matrix lines and in the
    compare report's equality table (with its Holm adjustment)."""
    models = [SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl", *SAMPLE_PANEL[:3]]
    result = invoke("matrix", *models, "--no-embeddings", "--resamples", "20", "--permutations", "20")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if "->" in line]
    assert any("p \u2264 0.0476" in line for line in lines) and not any("p = 0.047619" in line for line in lines)
    page = tmp_path / "c.html"
    result = invoke("compare", *models[:2], *[x for p in models[2:] for x in ("--panel", p)], "--no-embeddings",
                    "--resamples", "20", "--permutations", "20", "--out", page)
    assert result.exit_code == 0
    table = page.read_text().split('id="t-families"')[1].split("</table>")[0]
    assert "\u2264 0.0476</td>" in table


def test_the_terminal_summary_carries_the_caveats(tiny_pair: tuple[Path, Path, Path]) -> None:
    a, b, _ = tiny_pair
    result = invoke("compare", a, b, *FAST)
    assert result.exit_code == 0
    assert "not proof of distillation" in result.stdout and "shared base model" in result.stdout
    assert "not proof" not in invoke("compare", a, b, *FAST, "--quiet").stdout
    # Without a panel the headline's resemblance is mostly what every model shares: said on screen.
    assert "two unrelated models score high on it too" in result.stdout
    # With one: every note, not the first two (0.3.10 left out the panel-size and base notes).
    models = [SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl", *SAMPLE_PANEL[:3]]
    ranked = invoke("compare", *models[:2], *[x for p in models[2:] for x in ("--panel", p)], *FAST)
    assert "  - The base model was not controlled for" in ranked.stdout
    assert "so nothing can be called unusual against this panel" in ranked.stdout


def test_compare_prints_whether_b_keeps_its_place_with_one_panel_model_out() -> None:
    models = [SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl", *SAMPLE_PANEL[:4]]
    result = invoke("compare", *models[:2], *[x for p in models[2:] for x in ("--panel", p)], *FAST)
    assert result.exit_code == 0
    printed = _plain(result.stdout)
    assert "keeps its place among the other panel models whichever one of the 4 is left out of the ranking" in printed
    assert "one panel model out" not in printed  # said once, by the verdict's note


def test_standard_output_is_only_for_the_json(tmp_path: Path) -> None:
    """`--out -` made a file named '-'; now only --json may be '-'."""
    a, b = SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl"
    for args in (["--out", "-"], ["--json", "-", "--out", "-"], ["--json", str(tmp_path / "r.json"), "--out", "-"]):
        result = invoke("compare", a, b, *FAST, *args)
        assert result.exit_code == 1
        assert result.stderr.strip() == "Error: '-' (standard output) is only for --json; give this output a file name"
    matrix = invoke("matrix", a, b, SAMPLES / "atlas.jsonl", *FAST, "--json", tmp_path / "m.json", "--newick", "-")
    assert matrix.exit_code == 1 and "only for --json" in matrix.stderr
    assert not Path("-").exists() and not (tmp_path / "r.json").exists()


def test_a_json_that_cannot_be_written_to_standard_output_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    exe = Path(sys.executable).with_name("stylesim")
    with open("/dev/full", "w") as full:
        done = subprocess.run([str(exe), "compare", str(SAMPLES / "lyra.jsonl"), str(SAMPLES / "lyra-distill.jsonl"),
                               *FAST, "--json", "-", "-q"], stdout=full, stderr=subprocess.PIPE, text=True,
                              check=False, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: standard output: cannot write the JSON: No space left on device"


@pytest.mark.parametrize("command", [["--version"], ["prompts", "list"], ["prompts", "show", "core"]])
def test_any_output_that_cannot_be_written_to_standard_output_is_one_line(tmp_path: Path, command: list[str]) -> None:
    """Up to 0.3.13 only --json - was handled; a summary, a listing or --version written to a full
    disk ended in a traceback (an outside audit)."""
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    exe = Path(sys.executable).with_name("stylesim")
    with open("/dev/full", "w") as full:
        done = subprocess.run([str(exe), *command], stdout=full, stderr=subprocess.PIPE, text=True, check=False,
                              cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: cannot write to standard output: No space left on device"


@pytest.mark.parametrize("jobs", ["abc", "\u00b2", "-1"])
def test_a_bad_stylesim_jobs_is_one_line(monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    monkeypatch.setenv("STYLESIM_JOBS", jobs)
    result = invoke("compare", SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl", *FAST)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: STYLESIM_JOBS must be a whole number of jobs (got {jobs!r})"


@pytest.mark.parametrize("epoch", ["abc", "1.5", "\u00b2", "99999999999999"])
def test_a_bad_source_date_epoch_is_one_line_not_an_import_traceback(tmp_path: Path, epoch: str) -> None:
    """scipy reads SOURCE_DATE_EPOCH as an int at import; stylesim sets a bad value aside and says so."""
    import os
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("stylesim")
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    done = subprocess.run([str(exe), "compare", str(SAMPLES / "lyra.jsonl"), str(SAMPLES / "lyra-distill.jsonl"),
                           *FAST, "--json", str(tmp_path / "r.json"), "-q"], capture_output=True, text=True,
                          check=False, env=env)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"Error: SOURCE_DATE_EPOCH must be whole seconds since 1970, up to the year "
                                   f"9999 (got {epoch!r}); unset it or fix it")
    assert not (tmp_path / "r.json").exists()


def test_an_empty_source_date_epoch_counts_as_unset() -> None:
    import os
    import subprocess
    import sys

    code = "import stylesim.result as r; print(r.created_timestamp()[:2])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={**os.environ, "SOURCE_DATE_EPOCH": ""})
    assert done.returncode == 0 and done.stdout.strip() == "20", done.stderr


def test_a_file_of_several_models_says_how_to_use_it(tmp_path: Path) -> None:
    rows = voice_rows("m1", "plain", seed=1) + voice_rows("m2", "fancy", seed=2)
    mixed = write_jsonl(tmp_path / "mixed.jsonl", rows)
    result = invoke("compare", SAMPLES / "lyra.jsonl", mixed, *FAST)
    assert result.exit_code == 1 and "--model" not in result.stderr  # no such option exists
    assert "holds outputs of 2 models (m1, m2); stylesim reads one model per file" in result.stderr


def test_an_error_about_a_file_whose_name_holds_a_newline_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad\nname.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = invoke("compare", bad, SAMPLES / "lyra.jsonl", *FAST)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "bad\\nname.jsonl" in result.stderr


def test_the_library_refuses_a_bad_source_date_epoch_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    import stylesim
    from stylesim import _env
    from stylesim.errors import ConfigurationError

    monkeypatch.setattr(_env, "_bad_epoch", "abc")
    monkeypatch.setattr(stylesim.compare.__globals__["Roles"], "build", lambda *a, **k: pytest.fail("work started"))
    with pytest.raises(ConfigurationError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        stylesim.compare(SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl", embeddings=False)


def test_an_input_name_too_long_for_the_file_system_is_one_line(tmp_path: Path) -> None:
    """pathlib raises OSError (not a stylesim error) for such a name; the CLI still says one line."""
    long_name = tmp_path / ("a" * 300 + ".jsonl")
    result = invoke("compare", long_name, SAMPLES / "lyra.jsonl", *FAST)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {long_name}: File name too long"


def test_a_bad_source_date_epoch_set_after_import_is_refused_not_replaced_by_now(monkeypatch: pytest.MonkeyPatch) -> None:
    from stylesim.errors import ConfigurationError
    from stylesim.panel import similarity_matrix
    from stylesim.result import created_timestamp

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    with pytest.raises(ConfigurationError, match="up to the year 9999"):
        created_timestamp()
    monkeypatch.setattr("stylesim.panel.pairwise_arrays", lambda *a, **k: pytest.fail("work started"))
    with pytest.raises(ConfigurationError, match="SOURCE_DATE_EPOCH"):
        similarity_matrix([SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl"], embeddings=False)


def test_the_cli_names_both_files_of_a_failed_rename_and_keeps_tracebacks_for_oserrors_about_no_file() -> None:
    import io

    result = CliRunner().invoke(_raiser(OSError(21, "Is a directory", b"/x/m.jsonl.part", None, "/x/m.jsonl")), [])
    assert result.exit_code == 1 and result.stderr.strip() == "Error: /x/m.jsonl.part -> /x/m.jsonl: Is a directory"
    bug = CliRunner().invoke(_raiser(io.UnsupportedOperation("fileno")), [])
    assert isinstance(bug.exception, io.UnsupportedOperation)  # not turned into a one-line "Error: fileno"


def _raiser(exc: Exception):  # noqa: ANN202
    import typer

    from stylesim.cli._common import user_errors

    app_ = typer.Typer()

    @app_.command()
    def run() -> None:
        with user_errors():
            raise exc

    return app_


def test_a_withheld_interval_reads_as_withheld_in_the_terminal() -> None:
    """Up to 0.3.14 the terminal printed "95% CI n/a to n/a" where the report says why."""
    from stylesim.cli.compare_cmd import _ci

    assert _ci({"estimate": 0.04, "ci_low": None, "ci_high": None}) == "no 95% CI: unstable over prompt resamples"
    assert _ci({"estimate": 0.04, "ci_low": -0.01, "ci_high": 0.09}) == "95% CI \u22120.010 to 0.090"
    assert _ci({"estimate": None, "ci_low": None, "ci_high": None}) == "95% CI n/a to n/a"


def test_ctrl_c_while_the_package_imports_is_one_line() -> None:
    """Up to 0.3.15 the console script imported the whole package before any handler existed, so
    Ctrl-C in the first half second printed Python's traceback. The interrupt is raised here where
    the launcher imports the CLI (a real signal's timing would make the test flaky)."""
    import subprocess
    import sys
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "stylesim"]
    assert script.value == "_stylesim_cli:main"
    code = (
        "import builtins\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        "    if name == 'stylesim.cli':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        "import _stylesim_cli\n"
        "_stylesim_cli.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 130
    assert done.stderr == "Interrupted.\n"


def _stylesim_exe() -> str:
    import sys

    return str(Path(sys.executable).with_name("stylesim"))


def test_an_ascii_only_standard_output_gets_every_line_with_replacements(tmp_path: Path) -> None:
    """PYTHONIOENCODING=ascii (or a C locale without coercion): the bold headline holds "\u2264" and
    ended in a UnicodeEncodeError after the result files were written (before 0.3.16)."""
    import os
    import subprocess

    args = [_stylesim_exe(), "compare", str(SAMPLES / "lyra.jsonl"), str(SAMPLES / "lyra-distill.jsonl"),
            *[a for n in ("atlas", "sage", "quill") for a in ("--panel", str(SAMPLES / f"{n}.jsonl"))], *FAST]
    done = subprocess.run(args, capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}, cwd=tmp_path,
                          check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    assert done.stdout.startswith(b"lyra-distill-3b is lyra-13b's nearest model") and done.stdout.isascii()


def test_a_closed_standard_output_is_no_traceback(tmp_path: Path) -> None:
    import subprocess

    done = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', _stylesim_exe(), "prompts", "list"],
                          capture_output=False, stderr=subprocess.PIPE, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr


def test_a_current_folder_that_was_removed_is_one_line(tmp_path: Path) -> None:
    """Relative inputs in a folder deleted under the shell: os.getcwd() fails without a file name,
    which ended in a traceback (before 0.3.16)."""
    import subprocess

    gone = tmp_path / "gone"
    gone.mkdir()
    script = 'cd "$1" && rmdir "$1" && exec "$0" compare a.jsonl b.jsonl --no-embeddings'
    done = subprocess.run(["sh", "-c", script, _stylesim_exe(), str(gone)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: the current folder no longer exists; cd to one that does (or give absolute paths)"


def test_a_relative_output_in_a_removed_current_folder_says_why(tmp_path: Path) -> None:
    """Absolute inputs, a relative output and the current folder deleted under the shell: the
    output was refused as "cannot be written: No such file or directory" (before 0.3.17)."""
    import subprocess

    gone = tmp_path / "gone"
    gone.mkdir()
    script = 'cd "$1" && rmdir "$1" && exec "$0" compare "$2" "$3" --no-embeddings --json out.json'
    done = subprocess.run(["sh", "-c", script, _stylesim_exe(), str(gone), str(SAMPLES / "lyra.jsonl"),
                           str(SAMPLES / "atlas.jsonl")], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == ("Error: out.json: the current folder no longer exists; cd to one that does "
                                   "(or give an absolute path)")


def test_a_warning_about_a_file_name_with_a_newline_is_one_line(tmp_path: Path) -> None:
    """Errors showed a newline in a file name as \\n, but warnings printed it and split in two
    (before 0.3.17)."""
    import subprocess

    for name in ("atlas", "lyra", "sage", "quill"):
        (tmp_path / f"{name}.jsonl").write_bytes((SAMPLES / f"{name}.jsonl").read_bytes())
    (tmp_path / "bad\nname.json").write_text('{"x": 1}\n', encoding="utf-8")
    done = subprocess.run([_stylesim_exe(), "matrix", str(tmp_path), *FAST, "--json", str(tmp_path / "m.json")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING:")]
    assert warnings == [f"WARNING: {tmp_path}/bad\\nname.json: skipped, not read as model outputs (cannot tell the "
                        "format from the content)"]
    assert "name.json" not in done.stderr.replace(warnings[0], "")


def test_the_progress_spinner_is_ascii_on_an_ascii_terminal(tmp_path: Path) -> None:
    """On a terminal whose encoding is ASCII the Braille spinner showed as "\\u280b" (before 0.3.17)."""
    import os
    import pty
    import subprocess

    leader, follower = pty.openpty()
    args = [_stylesim_exe(), "compare", str(SAMPLES / "lyra.jsonl"), str(SAMPLES / "lyra-distill.jsonl"), *FAST,
            "--json", str(tmp_path / "c.json")]
    running = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower, cwd=tmp_path,
                               env={**os.environ, "PYTHONIOENCODING": "ascii"})
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the run ends
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert running.wait() == 0, shown[-2000:]
    assert b"aligning" in shown  # the live display ran
    assert b"\\u28" not in shown and shown.isascii()


def test_columns_zero_keeps_the_headline(tmp_path: Path) -> None:
    """COLUMNS=0 made rich wrap the bold verdict line to nothing (before 0.3.16)."""
    import os
    import subprocess

    done = subprocess.run([_stylesim_exe(), "compare", str(SAMPLES / "lyra.jsonl"), str(SAMPLES / "lyra-distill.jsonl"),
                           *FAST], capture_output=True, text=True, env={**os.environ, "COLUMNS": "0"}, cwd=tmp_path,
                          check=False)
    assert done.returncode == 0 and done.stdout.startswith("lyra-13b's resemblance to lyra-distill-3b is"), done.stdout
