"""WildBench eval file reader."""

from __future__ import annotations

import pytest

from stylesim.errors import InputError
from stylesim.formats import wildbench
from stylesim.records import Record

from ._helpers import FIXTURES, corpus, write

FIXTURE = FIXTURES / "wildbench" / "eval.json"


def test_reads_fixture_exactly():
    assert list(wildbench.read(FIXTURE)) == [
        Record(
            prompt_id="a1b2c3d4e5f60718",
            response="Start with the smallest step: fill the kettle.\n\n1. Boil.\n2. Pour.",
            model="acme/quill-7b",
            prompt=None,
            extra={"prompt_set": "wildbench", "score": "7", "batch_req_id": "batch_req_fixture_1"},
            line=2,
        ),
        Record(
            prompt_id="0f9e8d7c6b5a4321",
            response="\n\n",
            model="acme/quill-7b",
            prompt=None,
            extra={"prompt_set": "wildbench", "score": "1", "batch_req_id": "batch_req_fixture_2"},
            line=18,
        ),
        Record(
            prompt_id="77aa88bb99cc00dd",
            response="Na\u00efve caf\u00e9 owners still love \u201clatte art\u201d.",
            model="acme/quill-7b",
            prompt=None,
            extra={"prompt_set": "wildbench", "score": "6", "batch_req_id": "batch_req_fixture_3"},
            line=30,
        ),
    ]


def test_judge_text_never_leaks_into_records():
    for record in wildbench.read(FIXTURE):
        assert "weaknesses" not in repr(record)
        assert "The response is clear." not in record.response


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[\n{"session_id": "s", "model_output": "o"},\n{"session_id": "t"}\n]',
         r'w\.json:3: item 2: missing field "model_output"'),
        ('[\n{"session_id": ["s"], "model_output": "o"}]',
         r'w\.json:2: item 1: field "session_id" must be a string or an integer, got a list'),
        ('[\n{"session_id": "s", "model_output": {"text": "o"}}]',
         r'w\.json:2: item 1: field "model_output" must be a string, got a JSON object'),
        ('[\n{"session_id": "s", "model_output": "o", "model_test": 5}]',
         r'w\.json:2: item 1: field "model_test" must be a string'),
        ('[\n{"session_id": "s", "model_output": "o"}\n{"session_id": "t"}]',
         r"w\.json:3: invalid JSON: expected ',' or ']' after item 1"),
        ("[\n{\"session_id\": 's'}]", r"w\.json:2: item 1: invalid JSON"),
    ],
)
def test_bad_input(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        list(wildbench.read(write(tmp_path, "w.json", text)))


@pytest.mark.corpora
def test_real_wildbench_files():
    folder = corpus("wildbench", "eval_results")
    files = sorted(folder.rglob("*.json"))
    assert files
    for path in files:
        records = list(wildbench.read(path))
        assert 1000 <= len(records) <= 1024, path
        assert len({r.prompt_id for r in records}) == len(records)
        assert all(r.prompt is None for r in records)
        assert len({r.model for r in records}) == 1
    ultrachat = next(p for p in files if p.name == "Llama-3-8B-Ultrachat-200K.json")
    records = list(wildbench.read(ultrachat))
    assert len(records) == 1024
    assert records[0].model == "Magpie-Align/Llama-3-8B-Ultrachat-200K"
