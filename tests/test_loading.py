"""Loading several inputs at once: worker processes, the same corpora, errors and warnings in order."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stylesim import parallel
from stylesim.cli.app import app
from stylesim.corpus import load_corpora, load_corpus
from stylesim.errors import InputError

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FILES = sorted(SAMPLES.glob("*.jsonl"))


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force the worker path (it falls back to loading in order where torch is imported)."""
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    monkeypatch.setattr(parallel, "_fork_is_safe", lambda: True)


def _rows(name: str, n: int = 25, extra: str = "") -> list[str]:
    return [json.dumps({"prompt_id": f"p{i}", "prompt": f"Question {i}?", "model": name,
                        "response": f"Answer {i} from {name}, in a few plain words."})[:-1] + extra + "}"
            for i in range(n)]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.usefixtures("forked")
def test_parallel_loading_gives_the_corpora_of_loading_one_by_one() -> None:
    assert len(FILES) >= 4
    together = load_corpora(FILES)
    for path, corpus in zip(FILES, together):
        alone = load_corpus(path)
        assert corpus.name == alone.name
        assert [(o.prompt_id, o.text, o.raw) for o in corpus.outputs] == [(o.prompt_id, o.text, o.raw) for o in alone.outputs]
        assert corpus.hygiene == alone.hygiene


@pytest.mark.usefixtures("forked")
def test_the_first_bad_file_in_order_is_the_error(tmp_path: Path) -> None:
    good = [_write(tmp_path / f"m{i}.jsonl", _rows(f"m{i}")) for i in range(3)]
    first_bad = _write(tmp_path / "bad1.jsonl", _rows("x")[:3] + ["{not json"])
    second_bad = _write(tmp_path / "bad2.jsonl", ["[1, 2]"])
    with pytest.raises(InputError) as caught:
        load_corpora([*good, first_bad, second_bad])
    assert caught.value.path == str(first_bad) and caught.value.line == 4
    result = CliRunner().invoke(app, ["matrix", *map(str, good), str(first_bad), str(second_bad), "--no-embeddings"])
    # One "Error:" line through SystemExit(1), not a crash (CliRunner keeps a crash in .exception).
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and f"{first_bad}:4:" in errors[0]


@pytest.mark.usefixtures("forked")
def test_workers_warnings_reach_the_caller_in_path_order(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    paths = [_write(tmp_path / f"n{i}.jsonl", _rows(f"n{i}", extra=', "temperature": NaN')) for i in range(5)]
    with caplog.at_level(logging.WARNING):
        load_corpora(paths)
    named = [next(str(p) for p in paths if r.getMessage().startswith(f"{p}:")) for r in caplog.records
             if "NaN/Infinity" in r.getMessage()]
    assert named == [str(p) for p in paths]


def test_a_file_written_twice_is_warned_about_with_its_first_repeat(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    rows = [{"prompt_id": f"p{i}", "response": f"answer {i}"} for i in range(3)]
    twice = tmp_path / "twice.jsonl"
    twice.write_text("".join(json.dumps(r) + "\n" for r in rows * 2))
    with caplog.at_level(logging.WARNING):
        corpus = load_corpus(twice)
    assert len(corpus.outputs) == 6 and corpus.hygiene.duplicates_renumbered == 3
    assert "twice.jsonl:4: 3 record(s) repeat an earlier one exactly" in caplog.text and "as line 1" in caplog.text
    # Several samples of one prompt with their own answers are not repeats.
    caplog.clear()
    samples = tmp_path / "samples.jsonl"
    samples.write_text("".join(json.dumps({"prompt_id": "p", "response": f"take {s}"}) + "\n" for s in range(3)))
    with caplog.at_level(logging.WARNING):
        assert len(load_corpus(samples).outputs) == 3
    assert "repeat" not in caplog.text


def test_an_error_about_no_file_is_not_placed_in_a_file_called_input() -> None:
    assert str(InputError(None, "unknown format 'bogus'")) == "unknown format 'bogus'"
    assert str(InputError("a.jsonl", "bad", 3)) == "a.jsonl:3: bad"
