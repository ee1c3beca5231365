"""A compare across a pair of files works for every input format (published corpora and fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

import stylesim

FAST = {"embeddings": False, "n_resamples": 30, "n_permutations": 30}

PAIRS = {
    "alpaca_eval": ("alpaca_eval/results/claude-2/model_outputs.json", "alpaca_eval/results/claude-2.1/model_outputs.json"),
    "fastchat": ("arena-bench-v1/data/arena-bench-v1/model_answer/openchat_3.5.jsonl",
                 "arena-bench-v1/data/arena-bench-v1/model_answer/Starling-LM-7B-alpha.jsonl"),
    "eqbench": ("eqbench-creative-writing-v3/results/google__gemma-3-4b-it.html",
                "eqbench-creative-writing-v3/results/google__gemma-3-12b-it.html"),
    "notxbuty": ("not-x-but-y-bench/results/kimi-k2.json", "not-x-but-y-bench/results/kimi-k2-0905.json"),
    "wildbench": ("wildbench/eval_results/v2.0522/score.v2/eval=gpt-4o-2024-05-13/Qwen1.5-72B-Chat.json",
                  "wildbench/eval_results/v2.0522/score.v2/eval=gpt-4-turbo-2024-04-09/Qwen1.5-72B-Chat-greedy.json"),
}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(PAIRS))
def test_compare_on_published_pair(fmt: str, corpora_dir: Path) -> None:
    a, b = (corpora_dir / p for p in PAIRS[fmt])
    result = stylesim.compare(a, b, **FAST).to_dict()
    assert result["inputs"][0]["format"] == fmt == result["inputs"][1]["format"]
    assert result["coverage"]["matched_prompts"] >= 96
    assert result["models"]["a"] != result["models"]["b"]
    overall = result["similarity"]["uncentred"]
    assert overall["ci_low"] <= overall["estimate"] <= overall["ci_high"]


def _chat_file(path: Path, model: str, voice: str, style: str) -> Path:
    import json

    from conftest import voice_rows

    lines = []
    for row in voice_rows(model, voice):
        if style == "sharegpt":
            record = {"id": row["prompt_id"], "conversations": [
                {"from": "human", "value": row["prompt"]}, {"from": "gpt", "value": row["response"]}]}
        else:
            record = {"id": row["prompt_id"], "model": model, "messages": [
                {"role": "user", "content": row["prompt"]}, {"role": "assistant", "content": row["response"]}]}
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _batch_file(path: Path, model: str, voice: str) -> Path:
    import json

    from conftest import voice_rows

    lines = []
    for i, row in enumerate(voice_rows(model, voice)):
        body = {"id": f"chatcmpl-{i}", "object": "chat.completion", "created": 1700000000, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": row["response"]}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 30, "total_tokens": 35}}
        lines.append(json.dumps({"id": f"batch_req_{i}", "custom_id": row["prompt_id"],
                                 "response": {"status_code": 200, "request_id": f"r{i}", "body": body}, "error": None}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("style", ["sharegpt", "openai"])
def test_compare_on_chat_transcripts(style: str, tmp_path: Path) -> None:
    a = _chat_file(tmp_path / "a.jsonl", "model-a", "plain", style)
    b = _chat_file(tmp_path / "b.jsonl", "model-b", "fancy", style)
    result = stylesim.compare(a, b, **FAST).to_dict()
    assert [i["format"] for i in result["inputs"]] == ["chat", "chat"]
    assert result["coverage"]["matched_prompts"] == 25


def test_compare_on_openai_batch_output(tmp_path: Path) -> None:
    a = _batch_file(tmp_path / "a.jsonl", "model-a", "plain")
    b = _batch_file(tmp_path / "b.jsonl", "model-b", "fancy")
    result = stylesim.compare(a, b, **FAST).to_dict()
    assert [i["format"] for i in result["inputs"]] == ["openai_batch", "openai_batch"]
    assert result["models"] == {"a": "model-a", "b": "model-b", "panel": [], "base": []}
