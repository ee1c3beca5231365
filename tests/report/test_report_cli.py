"""``stylesim report``: the page rebuilt from a saved JSON equals the page compare wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stylesim.cli  # noqa: F401  (registers compare / attribute)
import stylesim.cli.report_cmd  # noqa: F401  (registers report)
from stylesim.cli.app import app

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
FAST = ["--no-embeddings", "--resamples", "60", "--seed", "3"]


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_compare_html_equals_report_from_saved_json(runner, tmp_path):
    page, saved, rebuilt = tmp_path / "compare.html", tmp_path / "r.json", tmp_path / "rebuilt.html"
    run = runner.invoke(app, ["compare", str(SAMPLES / "lyra.jsonl"), str(SAMPLES / "lyra-distill.jsonl"),
                              "--panel", str(SAMPLES / "atlas.jsonl"), *FAST, "--permutations", "60",
                              "--out", str(page), "--json", str(saved)])
    assert run.exit_code == 0, run.output
    again = runner.invoke(app, ["report", str(saved), "--out", str(rebuilt)])
    assert again.exit_code == 0, again.output
    assert rebuilt.read_bytes() == page.read_bytes()
    assert json.loads(saved.read_text(encoding="utf-8"))["kind"] == "compare"


def test_attribute_html_equals_report_from_saved_json(runner, tmp_path):
    page, saved, rebuilt = tmp_path / "a.html", tmp_path / "a.json", tmp_path / "b.html"
    run = runner.invoke(app, ["attribute", str(SAMPLES / "lyra-distill.jsonl"), str(SAMPLES / "lyra.jsonl"),
                              str(SAMPLES / "atlas.jsonl"), *FAST, "--out", str(page), "--json", str(saved)])
    assert run.exit_code == 0, run.output
    again = runner.invoke(app, ["report", str(saved), "-o", str(rebuilt)])
    assert again.exit_code == 0, again.output
    assert rebuilt.read_bytes() == page.read_bytes()


def test_report_errors_are_one_line(runner, tmp_path):
    missing = runner.invoke(app, ["report", str(tmp_path / "nope.json"), "--out", str(tmp_path / "x.html")])
    assert missing.exit_code == 1 and "Error:" in missing.output and "no such file" in missing.output

    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    wrong = runner.invoke(app, ["report", str(other), "--out", str(tmp_path / "x.html")])
    assert wrong.exit_code == 1 and "not a stylesim result" in wrong.output

    matrix = tmp_path / "tournament.json"
    matrix.write_text('{"kind": "tournament", "stylesim_version": "0.1.0"}', encoding="utf-8")
    unsupported = runner.invoke(app, ["report", str(matrix), "--out", str(tmp_path / "x.html")])
    assert unsupported.exit_code == 1 and "no HTML report" in unsupported.output

    broken = tmp_path / "broken.json"
    broken.write_text('{"kind": "compare", "stylesim_version": "0.1.0", "models": []}', encoding="utf-8")
    bad = runner.invoke(app, ["report", str(broken), "--out", str(tmp_path / "x.html")])
    assert bad.exit_code == 1 and "Error:" in bad.output and "Traceback" not in bad.output

    assert not (tmp_path / "x.html").exists()
    good = tmp_path / "good.json"
    good.write_text((Path(__file__).resolve().parents[1] / "fixtures" / "report" / "minimal-compare.json")
                    .read_text(encoding="utf-8"), encoding="utf-8")
    nowhere = runner.invoke(app, ["report", str(good), "--out", str(tmp_path / "no" / "dir.html")])
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.output


@pytest.mark.parametrize("case", ["future schema", "schema as text", "nested"])
def test_report_refuses_results_it_cannot_read_in_one_line(runner, tmp_path, case):
    """A result of a newer schema was rendered without a word, and a value nested 900 deep raised
    RecursionError with a traceback (0.3.9)."""
    data = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "report" / "minimal-compare.json")
                      .read_text(encoding="utf-8"))
    if case == "future schema":
        data["schema_version"] = 99
    elif case == "schema as text":
        data["schema_version"] = "2"
    else:
        data["verdict"]["caveats"] = "NESTED"
    saved = tmp_path / "r.json"
    text = json.dumps(data).replace('"NESTED"', "[" * 900 + "]" * 900)
    saved.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["report", str(saved), "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert ("schema_version" in result.output) == (case != "nested")
    assert not (tmp_path / "x.html").exists()
