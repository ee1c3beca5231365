"""Chat transcript reader (ShareGPT and OpenAI messages, JSONL or JSON list)."""

from __future__ import annotations

import json
import logging

import pytest

from stylesim.errors import InputError
from stylesim.formats import chat
from stylesim.records import Record

from ._helpers import FIXTURES, write

SHAREGPT = FIXTURES / "chat" / "sharegpt.json"
OPENAI = FIXTURES / "chat" / "openai.jsonl"


def test_reads_sharegpt_list_exactly():
    assert list(chat.read(SHAREGPT)) == [
        Record(
            prompt_id="conv-001",
            response="Late winter, just as the buds swell.",
            prompt="When should I prune roses?",
            system="You are a patient gardener.",
            extra={"turns": 2},
            line=2,
        ),
        Record(
            prompt_id="312f4cd9bd69",
            response="\u3053\u3093\u306b\u3061\u306f (konnichiwa).",
            model="lark-mini",
            prompt="  Say   hello in Japanese.  ",
            extra={"turns": 1},
            line=12,
        ),
    ]


def test_reads_openai_jsonl_exactly_and_warns_about_unanswered(caplog):
    with caplog.at_level(logging.WARNING, logger="stylesim.formats.chat"):
        records = list(chat.read(OPENAI))
    assert records == [
        Record(
            prompt_id="17",
            response="Air scatters short blue wavelengths more than red ones.",
            model="acme-quill-7b",
            prompt="Why is the sky blue?",
            system="Answer in one sentence.",
            extra={"turns": 1},
            line=1,
        ),
        Record(
            prompt_id="f1a4d64f3361",
            response="A cat asleep\non a warm windowsill.",
            model="acme-quill-7b",
            prompt="Describe this picture.",
            extra={"turns": 1},
            line=2,
        ),
    ]
    assert "skipped 1 conversation(s)" in caplog.text
    assert "line 3" in caplog.text


def test_derived_id_matches_alpaca_eval_for_the_same_prompt(tmp_path):
    from stylesim.formats import alpaca_eval

    convo = {"messages": [{"role": "user", "content": "Plan a picnic."},
                          {"role": "assistant", "content": "Bread, cheese, shade."}]}
    alpaca = [{"instruction": "Plan a  picnic.", "output": "x", "generator": "g"}]
    (a,) = chat.read(write(tmp_path, "c.jsonl", json.dumps(convo) + "\n"))
    (b,) = alpaca_eval.read(write(tmp_path, "a.json", json.dumps(alpaca)))
    assert a.prompt_id == b.prompt_id


def test_reply_must_follow_the_first_user_message(tmp_path):
    convo = {"conversations": [{"from": "gpt", "value": "Welcome!"},
                               {"from": "human", "value": "Hi."},
                               {"from": "gpt", "value": "Hello."}]}
    (record,) = chat.read(write(tmp_path, "c.jsonl", json.dumps(convo) + "\n"))
    assert (record.prompt, record.response, record.extra["turns"]) == ("Hi.", "Hello.", 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"messages": [{"role": "user", "content": "a"}]}\n{oops\n', r"c\.jsonl:2: invalid JSON"),
        ('{"messages": "hello"}\n', r'c\.jsonl:1: field "messages" must be a list'),
        ('{"messages": [{"content": "a"}]}\n', r'c\.jsonl:1: message 1: missing field "from"'),
        ('{"messages": ["a"]}\n', r"c\.jsonl:1: message 1: expected a JSON object, got a string"),
        ('{"messages": [{"role": "user", "content": 5}]}\n',
         r'c\.jsonl:1: message 1: field "content" must be a string or a list of parts'),
        ('{"messages": [{"role": "user", "content": [{"type": "text"}]}]}\n',
         r'c\.jsonl:1: message 1: a text part has no string "text"'),
        (
            (
                '{"id": [1], "messages": [{"role": "user", "content": "a"}, '
                '{"role": "assistant", "content": "b"}]}\n'
            ),
            r'c\.jsonl:1: field "id" must be a string or an integer',
        ),
        ('"a string"\n', r"c\.jsonl:1: expected a JSON object, got a string"),
    ],
)
def test_bad_jsonl(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        list(chat.read(write(tmp_path, "c.jsonl", text)))


def test_bad_json_list_names_the_item(tmp_path):
    text = '[\n{"conversations": []},\n{"conversations": [{"from": "human", "value": null}, 3]}\n]'
    with pytest.raises(InputError, match=r"c\.json:3: item 2: message 2: expected a JSON object"):
        list(chat.read(write(tmp_path, "c.json", text)))
