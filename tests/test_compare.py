"""compare() and attribute() from Python: determinism, discrimination, published corpora."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES

import stylesim

FAST = {"embeddings": False, "n_resamples": 60, "n_permutations": 60}


def test_same_seed_same_numbers(tiny_pair: tuple[Path, Path, Path]) -> None:
    a, b, c = tiny_pair
    first = stylesim.compare(a, b, panel=[c], seed=7, **FAST).to_dict()
    second = stylesim.compare(a, b, panel=[c], seed=7, **FAST).to_dict()
    first.pop("created"), second.pop("created")
    assert first == second


def test_different_voices_are_less_alike(tiny_pair: tuple[Path, Path, Path]) -> None:
    a, b, c = tiny_pair
    same_voice = stylesim.compare(a, b, **FAST).similarity["overall"]["estimate"]
    other_voice = stylesim.compare(a, c, **FAST).similarity["overall"]["estimate"]
    assert same_voice > other_voice


def test_identity_evidence_is_reported_apart(tmp_path: Path) -> None:
    result = stylesim.compare(SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl", **FAST)
    identity = result.to_dict()["identity"]
    assert identity["lyra-13b"]["claims"], identity
    assert any("Lyra" in claim for claim in identity["lyra-distill-3b"]["claims"])


def test_attribute_prefers_the_imitated_model() -> None:
    result = stylesim.attribute(
        SAMPLES / "lyra-distill.jsonl", [SAMPLES / "atlas.jsonl", SAMPLES / "lyra.jsonl"],
        embeddings=False, n_resamples=60,
    )
    assert result.candidates[0]["name"] == "lyra-13b"
    assert result.candidates[0]["top_share"] > 0.9


@pytest.mark.slow
def test_llama3_nearest_is_its_simpo_child(corpora_dir: Path) -> None:
    """AlpacaEval: the SimPO fine-tune is Llama-3-8B-Instruct's nearest neighbour in a panel."""
    root = corpora_dir / "alpaca_eval" / "results"
    panel = [root / name / "model_outputs.json" for name in ("claude-2.1", "gpt4_0613", "Mistral-7B-Instruct-v0.2", "gemma-7b-it")]
    result = stylesim.compare(
        root / "Meta-Llama-3-8B-Instruct" / "model_outputs.json",
        root / "Llama-3-Instruct-8B-SimPO" / "model_outputs.json",
        panel=panel, **FAST,
    )
    assert result.panel["rank"] == 1
    assert result.panel["closeness_index"]["ci_low"] > 0
