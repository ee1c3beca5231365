"""Hostile or broken inputs: one clear line naming the file (and line) and exit 1, or cleaned
where that is what users expect; never a traceback (issue 12)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stylesim.cli import app
from stylesim.corpus import MAX_RESPONSE_CHARS, load_corpus
from stylesim.errors import InputError


def _rows(n: int = 25) -> list[dict]:
    return [{"prompt_id": f"p{i}", "prompt": f"Question {i}?", "response": f"Answer number {i} is here."}
            for i in range(n)]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_lone_surrogates_are_replaced(tmp_path: Path) -> None:
    lines = [json.dumps(r) for r in _rows()]
    lines[0] = '{"prompt_id": "p\\ud800", "prompt": "Q?", "response": "bad \\udc00 text"}'
    corpus = load_corpus(_write(tmp_path / "s.jsonl", lines))
    first = corpus.outputs[0]
    assert first.prompt_id == "p\ufffd" and "\ufffd" in first.raw
    first.raw.encode("utf-8")  # encodable: no lone surrogate left


@pytest.mark.parametrize("payload, message", [
    ('{"prompt_id": "p0", "response": ' + "[" * 200_000 + "]" * 200_000 + "}", "nested too deeply"),
    ('{"prompt_id": "p0", "response": "x", "max_tokens": ' + "9" * 5000 + "}", "unreadable JSON value"),
])
def test_unreadable_json_is_one_located_line(tmp_path: Path, payload: str, message: str) -> None:
    lines = [json.dumps(r) for r in _rows()]
    lines.insert(3, payload)
    path = _write(tmp_path / "s.jsonl", lines)
    with pytest.raises(InputError, match=message) as info:
        load_corpus(path)
    assert str(info.value).startswith(f"{path}:4:")


@pytest.mark.parametrize("value", ["NaN", "1e400"])
def test_nan_metadata_is_dropped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture, value: str) -> None:
    """1e400 reads as infinity: up to 0.3.9 it was kept, and the JSON writer crashed on it after
    the whole analysis had run."""
    lines = [json.dumps(r) for r in _rows()]
    lines[0] = lines[0][:-1] + f', "temperature": {value}}}'
    corpus = load_corpus(_write(tmp_path / "s.jsonl", lines))
    assert corpus.metadata.get("temperature") is None
    assert "NaN/Infinity" in caplog.text


def test_a_list_as_a_content_parts_type_is_one_located_line(tmp_path: Path) -> None:
    rows = [{"messages": [{"role": "user", "content": f"Q{i}?"},
                          {"role": "assistant", "content": [{"type": ["text"], "text": "x"}]}]} for i in range(25)]
    path = _write(tmp_path / "c.jsonl", [json.dumps(r) for r in rows])
    with pytest.raises(InputError, match=r"c\.jsonl:1: .*\"type\" must be a string"):
        load_corpus(path, format="chat")


@pytest.mark.parametrize("element", ['id="prompt-1-' + "7" * 5000 + '"', "Iteration " + "9" * 5000])
def test_endless_numbers_in_an_eqbench_page_are_one_line(tmp_path: Path, element: str) -> None:
    """int() of more than 4,300 digits raised ValueError with a traceback (0.3.9)."""
    from stylesim.formats import eqbench

    page = tmp_path / "p.html"
    page.write_text(f'<div class="iteration-header">{element if "Iteration" in element else "Iteration 1"}</div>'
                    f'<div class="prompt-header" {element if "prompt-" in element else ""}>T</div>', encoding="utf-8")
    with pytest.raises(InputError):
        list(eqbench.read(page))


def test_a_loop_of_symbolic_links_is_named(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    good = _write(tmp_path / "g.jsonl", [json.dumps(r) for r in _rows()])
    for command in (["compare", str(tmp_path / "a"), str(good)], ["attribute", str(tmp_path / "a"), str(good), str(good)]):
        result = CliRunner().invoke(app, [*command, "--no-embeddings"])
        assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
        assert "a loop of links" in result.output


def test_a_json_array_is_named(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(_rows()), encoding="utf-8")
    with pytest.raises(InputError, match="this is a JSON array; stylesim JSONL is one object per line"):
        load_corpus(path)
    # One line longer than the detection head (64 KB): up to 0.3.13 "expected a JSON object, got a list".
    rows = [{**row, "response": row["response"] * 400} for row in _rows()]
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert path.stat().st_size > 65536 and "\n" not in path.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="this is a JSON array; stylesim JSONL is one object per line"):
        load_corpus(path)
    # The head is 64 KB of bytes, fewer characters in a script of several bytes a character.
    rows = [{**row, "response": "\u4f60\u597d" * 12000} for row in _rows()]
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match="this is a JSON array; stylesim JSONL is one object per line"):
        load_corpus(path)


def test_csv_and_compressed_files_are_named_as_such(tmp_path: Path) -> None:
    """Up to 0.3.13 a CSV whose header quotes "prompt_id" and "response" was read as JSONL (invalid
    JSON: Extra data), and a .gz file could not be told apart (not valid UTF-8 with --format)."""
    import gzip

    csv = tmp_path / "m.csv"
    csv.write_text('"prompt_id","prompt","response"\n"p1","Hi?","Hello."\n', encoding="utf-8")
    with pytest.raises(InputError, match="looks like CSV; stylesim reads JSONL"):
        load_corpus(csv)
    packed = tmp_path / "m.jsonl.gz"
    packed.write_bytes(gzip.compress("\n".join(json.dumps(r) for r in _rows()).encode("utf-8")))
    for options in ({}, {"format": "stylesim"}):
        with pytest.raises(InputError, match="is gzip-compressed; stylesim reads plain JSON or JSONL text"):
            load_corpus(packed, **options)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_is_not_called_empty(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_corpus(fifo)


def test_huge_responses_are_cut_and_counted(tmp_path: Path) -> None:
    rows = _rows()
    rows[2]["response"] = "word " * (MAX_RESPONSE_CHARS // 4)
    corpus = load_corpus(_write(tmp_path / "s.jsonl", [json.dumps(r) for r in rows]))
    assert corpus.hygiene.over_long_cut == 1
    assert max(len(o.raw) for o in corpus.outputs) <= MAX_RESPONSE_CHARS


def _absurd(value: object) -> object:
    if isinstance(value, dict):
        return {k: (1e308 if k in ("ci_high", "estimate") else _absurd(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_absurd(v) for v in value]
    return value


def test_report_with_absurd_numbers_never_raises(tmp_path: Path) -> None:
    from report.report_support import result_of

    saved = tmp_path / "r.json"
    saved.write_text(json.dumps(_absurd(result_of("compare-panel"))), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(saved), "--out", str(tmp_path / "r.html")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code != 0:
        assert result.output.count("\n") == 1 and str(saved) in result.output
