"""stylesim's own JSONL format (the reference reader)."""

from __future__ import annotations

import pytest

from stylesim.errors import InputError
from stylesim.formats import stylesim_jsonl
from stylesim.records import Record

from ._helpers import FIXTURES, write

FIXTURE = FIXTURES / "stylesim" / "outputs.jsonl"


def test_reads_fixture_exactly():
    assert list(stylesim_jsonl.read(FIXTURE)) == [
        Record(prompt_id="p1", response="Teal.", model="acme-quill-7b", prompt="Name a colour.", line=1),
        Record(
            prompt_id="2",
            response="A quince \u2014 fragrant and stubborn.",
            model="acme-quill-7b",
            prompt="Name a fruit.",
            sample=1,
            temperature=0.5,
            line=2,
        ),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"prompt_id": "p", "response": "r"}\n{bad\n', r"s\.jsonl:2: invalid JSON"),
        ('{"prompt_id": "p"}\n', r's\.jsonl:1: missing field "response"'),
        ('{"prompt_id": true, "response": "r"}\n', r's\.jsonl:1: field "prompt_id" must be a string or an integer'),
        ('{"prompt_id": "p", "response": "r", "sample": -1}\n', r"s\.jsonl:1: field \"sample\""),
        ('{"prompt_id": "p", "response": "r"}\n{"prompt_id": "q", "response": "r", "finish_reason": 7}\n',
         r's\.jsonl:2: field "finish_reason" must be a string, got an integer'),
        ('{"prompt_id": "p", "response": "r", "temperature": "hot"}\n', r's\.jsonl:1: field "temperature" must be a number'),
        ('{"prompt_id": "p", "response": "r", "max_tokens": 1.5}\n', r's\.jsonl:1: field "max_tokens" must be an integer'),
        # An integer too large for a float crashed the not-x-but-y reader (0.3.9).
        ('{"prompt_id": "p", "response": "r", "temperature": 1' + "0" * 400 + '}\n',
         r's\.jsonl:1: field "temperature" must be a finite number'),
        ('{"prompt_id": "p", "response": "r", "usage": "x"}\n', r's\.jsonl:1: field "usage" must be a JSON object'),
        ('{"prompt_id": "p", "response": "r", "system": ["a"]}\n', r's\.jsonl:1: field "system" must be a string'),
        ('{"prompt_id": "p", "response": "r", "prompt_group": true}\n',
         r's\.jsonl:1: field "prompt_group" must be a string or an integer'),
    ],
)
def test_bad_input(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        list(stylesim_jsonl.read(write(tmp_path, "s.jsonl", text)))
