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


def test_vicunas_maker_is_named_whole() -> None:
    """Vicuna (AlpacaEval) says it was developed by "Large Model Systems Organization"; up to 0.3.14
    the claim read "Large Model" (a proper name is at most two words)."""
    text = "I was developed by Large Model Systems Organization (LMSYS) as a research assistant."
    assert [name for name, _ in find_identity_statements(text)] == ["LMSYS"]
    # Only the organisation's whole name is a name: the plain phrase is not masked.
    from stylesim.hygiene import mask_names

    assert mask_names("Scaling large model systems across GPUs is hard.") == (
        "Scaling large model systems across GPUs is hard.", 0)


def test_excerpt_is_the_sentence() -> None:
    found = find_identity_statements("Hello there. I am ChatGPT, a large language model developed by OpenAI. Ask away!")
    assert found == [("ChatGPT", "I am ChatGPT, a large language model developed by OpenAI."),
                     ("OpenAI", "I am ChatGPT, a large language model developed by OpenAI.")]


def test_a_claimed_maker_unknown_to_the_vendor_list_is_masked_in_every_answer(tmp_path) -> None:
    """Up to 0.3.10 a maker found by the identity detector but not in the vendor list stayed in the
    text, so "foxglove" led the demo's shared phrases: a name, not style."""
    from conftest import write_jsonl

    from stylesim.corpus import load_corpus
    from stylesim.hygiene import IDENTITY_MASK

    rows = [{"prompt_id": "p1", "response": "I'm Lyra, an AI assistant made by Foxglove AI."},
            {"prompt_id": "p2", "response": "Foxglove grows by the wall; the foxglove is open to bees."},
            {"prompt_id": "p3", "response": "I am a language model built by Open Harbor Labs. Open the door."},
            {"prompt_id": "p4", "response": "I'm an AI model made by OpenAI."},
            {"prompt_id": "p5", "response": "I'm Atlas, an AI assistant. The atlas is on the shelf."}]
    corpus = load_corpus(write_jsonl(tmp_path / "m.jsonl", rows))
    texts = {o.prompt_id: o.text for o in corpus.outputs}
    assert "Foxglove" not in texts["p1"] and IDENTITY_MASK in texts["p1"]
    assert "foxglove" not in texts["p2"].lower()  # the claim's rare first word, in another answer
    # "Open" is a common word: the whole claimed name goes, the word stays elsewhere.
    assert "Open Harbor Labs" not in texts["p3"] and texts["p3"].endswith("Open the door.")
    assert corpus.hygiene.identity_claims["Foxglove AI"] == 1  # still reported, apart from style
    # A one-word claim is masked only when rare: "Lyra" (rare) goes, a claimed "Atlas" would not.
    assert "Lyra" not in texts["p1"]
    assert texts["p5"].endswith("The atlas is on the shelf.")
    masked_without = load_corpus(write_jsonl(tmp_path / "n.jsonl", rows), mask_identity=False)
    assert "Foxglove AI" in masked_without.outputs[0].text


def test_a_models_own_name_is_masked_only_where_it_is_not_a_common_word(tmp_path) -> None:
    """Up to 0.3.13 the first part of a model's own name (or of its file's name) was masked in its
    texts whatever it was: a file called teacher.jsonl lost "teacher" from its answers alone, and
    the same texts under other file names scored another resemblance (an outside audit)."""
    from conftest import write_jsonl

    from stylesim.corpus import load_corpus

    rows = [{"prompt_id": "p1", "response": "A teacher would say so, and Zorblax would agree."}]
    teacher = load_corpus(write_jsonl(tmp_path / "teacher.jsonl", rows))
    assert teacher.outputs[0].text == rows[0]["response"]
    would = load_corpus(write_jsonl(tmp_path / "m.jsonl", [{**rows[0], "model": "would-3b"}]))
    assert would.outputs[0].text == rows[0]["response"]
    rare = load_corpus(write_jsonl(tmp_path / "z.jsonl", [{**rows[0], "model": "zorblax-7b"}]))
    assert "Zorblax" not in rare.outputs[0].text and rare.hygiene.names_masked == 1
    whole = load_corpus(write_jsonl(tmp_path / "w.jsonl", [{"prompt_id": "p1", "model": "would-3b",
                                                             "response": "I am would-3b. I would help."}]))
    assert "would-3b" not in whole.outputs[0].text and whole.outputs[0].text.endswith("I would help.")


# One surface form of every alternative of every known vendor or model name.
NAME_EXAMPLES = [
    "ChatGPT", "Chat GPT", "GPT-4", "gpt3.5-turbo", "GPT-4o", "OpenAI", "Open AI", "Claude", "Anthropic", "Gemini",
    "Bard", "Gemma", "Google", "Google DeepMind", "DeepMind", "Deep Mind", "DeepSeek", "Deep Seek", "Llama", "Meta",
    "Meta AI", "Mistral", "Mistral AI", "Mixtral", "Qwen", "Tongyi", "Alibaba", "Alibaba Cloud", "Kimi", "Moonshot",
    "Moonshot AI", "GLM", "ChatGLM", "Zhipu", "Zhipu AI", "ERNIE", "Baidu", "Grok", "xAI", "x.ai", "Cohere",
    "Command R", "Command-R", "Phi-3", "Microsoft", "Vicuna", "LMSYS", "Large Model Systems Organization",
    "Large Model Systems Organisation", "Yi-", "01.ai", "Hermes", "Nous Research", "Starling", "OpenChat", "Zephyr",
    "Hugging Face", "HuggingFace",
]


def test_every_known_name_has_an_example() -> None:
    import re

    from stylesim.hygiene import VENDOR_NAMES

    for pattern in VENDOR_NAMES:
        assert any(re.fullmatch(pattern, example, re.IGNORECASE) for example in NAME_EXAMPLES), pattern


@pytest.mark.parametrize("name", NAME_EXAMPLES)
def test_every_known_name_is_masked(name: str) -> None:
    """mask_names skips its large pattern for texts that hold none of a list of literal hints; a
    name whose hint is missing from that list went unmasked silently (a mutation audit removed
    "kimi" and no test failed)."""
    from stylesim.hygiene import IDENTITY_MASK, mask_names

    tail = "34B" if name.endswith("-") else ""  # "Yi-34B"
    masked, count = mask_names(f"I was built by the {name}{tail} team, they say.")
    assert count == 1 and IDENTITY_MASK in masked, masked


@pytest.mark.parametrize(("text", "expected"), [
    ("I am Foxglove. I'm an AI assistant, here to help.", [("Foxglove", "I am Foxglove.")]),
    ("I am Foxglove. Nice to meet you, traveller.", []),  # a character, not a model
])
def test_the_ai_cue_may_sit_in_the_next_sentence(text: str, expected: list) -> None:
    assert find_identity_statements(text) == expected
