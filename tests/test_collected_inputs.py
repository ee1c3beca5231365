"""Files written by ``stylesim collect`` feed compare directly, and the report names the prompt set."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import voice_rows, write_jsonl

import stylesim
from stylesim.report import render_html

PROMPT_SET = {"name": "stylesim-core", "version": "1", "sha256": "da78a767174de8f3d751ab7007038e21e5c9484739308d68350b801bf927b58e"}


def collected(path: Path, model: str, voice: str) -> Path:
    rows = voice_rows(model, voice)
    for row in rows:
        row.update({"prompt_set": PROMPT_SET, "temperature": 0.7, "max_tokens": 512, "finish_reason": "stop",
                    "usage": {"prompt_tokens": 10, "completion_tokens": 40}, "latency_s": 0.5,
                    "created": "2026-11-28T00:00:00Z", "endpoint": "http://127.0.0.1:8000/v1"})
    return write_jsonl(path, rows)


def test_compare_reads_collected_files_and_reports_prompt_set(tmp_path: Path) -> None:
    a = collected(tmp_path / "a.jsonl", "model-a", "plain")
    b = collected(tmp_path / "b.jsonl", "model-b", "fancy")
    result = stylesim.compare(a, b, embeddings=False, n_resamples=30, n_permutations=30)
    data = json.loads(result.to_json())
    assert data["inputs"][0]["prompt_set"] == PROMPT_SET
    html = render_html(result)
    assert "stylesim-core v1 (sha256 da78a767174d" in html
