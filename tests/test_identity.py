"""Self-identification evidence: first-person statements of being an AI or of who made it, and
nothing else (quoted speech, fiction narrators, third parties' products)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stylesim.identity import find_identity_statements

LABELLED = Path(__file__).parent / "fixtures" / "identity" / "labelled.jsonl"


def _labelled() -> list[dict]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_labelled_set_is_large_enough() -> None:
    rows = _labelled()
    assert sum(bool(r["names"]) for r in rows) >= 30 and sum(not r["names"] for r in rows) >= 30


def test_precision_and_recall_on_the_labelled_set() -> None:
    """Every predicted (text, name) claim is checked against the hand labels."""
    true_positive = false_positive = false_negative = 0
    wrong = []
    for row in _labelled():
        got = [name for name, _ in find_identity_statements(row["text"])]
        for name in got:
            if name in row["names"]:
                true_positive += 1
            else:
                false_positive += 1
                wrong.append((row["text"], name))
        false_negative += sum(name not in got for name in row["names"])
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    assert precision >= 0.95, wrong
    assert recall >= 0.85


@pytest.mark.parametrize("text", [
    "TypeScript is a typed superset of JavaScript developed by Microsoft.",
    "\"I'm Makima, the warden's assistant,\" she said.",
    "I am the bird of Hermes, and I eat my wings to make me tame.",
])
def test_the_reported_false_matches_are_gone(text: str) -> None:
    assert find_identity_statements(text) == []


def test_excerpt_is_the_sentence() -> None:
    found = find_identity_statements("Hello there. I am ChatGPT, a large language model developed by OpenAI. Ask away!")
    assert found == [("ChatGPT", "I am ChatGPT, a large language model developed by OpenAI."),
                     ("OpenAI", "I am ChatGPT, a large language model developed by OpenAI.")]
