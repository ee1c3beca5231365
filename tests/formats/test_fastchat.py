"""FastChat / Arena-Hard model answer reader."""

from __future__ import annotations

import json

import pytest

from stylesim.errors import InputError
from stylesim.formats import fastchat
from stylesim.records import Record

from ._helpers import FIXTURES, corpus, write

BENCH = FIXTURES / "fastchat" / "minibench"
CLASSIC = BENCH / "model_answer" / "acme-quill-7b.jsonl"
ARENA = BENCH / "model_answer" / "lark-mini.jsonl"


def test_reads_classic_layout_with_prompts_from_parent_question_file():
    assert list(fastchat.read(CLASSIC)) == [
        Record(
            prompt_id="q-kite",
            response=(
                "Wind pushes against the tilted sail and the string holds it in place, "
                "so the air flowing past gives it lift."
            ),
            model="acme-quill-7b",
            prompt="How does a kite stay up in the air?",
            extra={"answer_id": "a1", "tstamp": 1700000000.5, "turns": 2},
            line=1,
        ),
        Record(
            prompt_id="q-tea",
            response="Steeped & Sons \u2615",
            model="acme-quill-7b",
            prompt="Suggest a name for a tea shop.",
            sample=0,
            extra={"answer_id": "a2", "tstamp": 1700000001.0, "turns": 1},
            line=3,
        ),
        Record(
            prompt_id="q-tea",
            response="",
            model="acme-quill-7b",
            prompt="Suggest a name for a tea shop.",
            sample=1,
            extra={"answer_id": "a2", "tstamp": 1700000001.0, "turns": 1},
            line=3,
        ),
        Record(
            prompt_id="q-absent",
            response="An answer to a question the question file lacks.",
            model="acme-quill-7b",
            prompt=None,
            extra={"answer_id": "a3", "tstamp": 1700000002.0, "turns": 1},
            line=4,
        ),
    ]


def test_reads_newer_arena_hard_layout():
    assert list(fastchat.read(ARENA)) == [
        Record(
            prompt_id="q-moss",
            response="Moss keeps the stones' green secrets.",
            model="lark-mini",
            prompt="Write one line about moss.",
            system="Be brief.",
            extra={
                "ans_id": "b1",
                "tstamp": 1710000000.0,
                "turns": 1,
                "metadata": {"token_len": 8},
                "thought": "Short and quiet.",
            },
            line=1,
        ),
        Record(
            prompt_id="q-kite",
            response="Lift from moving air, balanced by the line.",
            model="lark-mini",
            prompt="How does a kite stay up in the air?",
            extra={"ans_id": "b2", "tstamp": 1710000001.0, "turns": 1},
            line=2,
        ),
    ]


def test_a_multi_turn_arena_answer_is_its_first_exchange(tmp_path):
    """The first user message is the prompt and the first assistant message the response; later
    turns are counted, not read (a mutation audit found every Arena fixture single-turn)."""
    line = {"uid": "u1", "model": "m", "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "First question?"},
        {"role": "assistant", "content": {"answer": "First answer."}},
        {"role": "user", "content": "Follow-up?"},
        {"role": "assistant", "content": "Second answer."},
    ]}
    (record,) = fastchat.read(write(tmp_path, "answers.jsonl", json.dumps(line) + "\n"))
    assert (record.prompt, record.response, record.system) == ("First question?", "First answer.", "Be brief.")
    assert record.extra["turns"] == 2


def test_classic_choices_keep_their_own_index_as_the_sample(tmp_path):
    line = {"question_id": "q1", "model_id": "m", "choices": [{"index": 1, "turns": ["one"]},
                                                              {"index": 0, "turns": ["zero"]}]}
    records = fastchat.read(write(tmp_path, "answers.jsonl", json.dumps(line) + "\n"))
    assert [(r.sample, r.response) for r in records] == [(1, "one"), (0, "zero")]


def _answer(qid, text="an answer", **more):
    return json.dumps(
        {"question_id": qid, "model_id": "m", "choices": [{"index": 0, "turns": [text]}], **more}
    )


def test_question_file_in_the_same_directory(tmp_path):
    write(tmp_path, "question.jsonl", json.dumps({"question_id": 7, "turns": ["Seven?"]}) + "\n")
    path = write(tmp_path, "answers.jsonl", _answer(7) + "\n")
    (record,) = fastchat.read(path)
    assert (record.prompt_id, record.prompt) == ("7", "Seven?")


def test_without_question_file_prompts_are_none(tmp_path):
    path = write(tmp_path, "deep" + "/answers.jsonl", _answer("q1") + "\n")
    assert [r.prompt for r in fastchat.read(path)] == [None]


def test_invalid_question_file_is_reported_there(tmp_path):
    write(tmp_path, "question.jsonl", '{"question_id": "q1", "turns": ["ok"]}\n{broken\n')
    path = write(tmp_path, "answers.jsonl", _answer("q1") + "\n")
    with pytest.raises(InputError, match=r"question\.jsonl:2: invalid JSON"):
        list(fastchat.read(path))


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([_answer("q1"), "{not json"], r"a\.jsonl:2: invalid JSON"),
        (['{"question_id": "q1", "model_id": "m"}'],
         r'a\.jsonl:1: missing field "choices" \(or "messages"\)'),
        (['{"model_id": "m", "choices": [{"turns": ["x"]}]}'],
         r'a\.jsonl:1: missing field "question_id" \(or "uid"\)'),
        (['{"question_id": "q1", "choices": []}'], r'a\.jsonl:1: field "choices" is empty'),
        (['{"question_id": "q1", "choices": [{"index": 0}]}'],
         r'a\.jsonl:1: choice 0: missing field "turns"'),
        (['{"question_id": "q1", "choices": [{"index": 0, "turns": []}]}'],
         r'a\.jsonl:1: choice 0: field "turns" is empty'),
        (['{"question_id": "q1", "choices": [{"index": 0, "turns": [42]}]}'],
         r"a\.jsonl:1: choice 0: turn 1: expected a string or an object, got an integer"),
        (['{"question_id": "q1", "choices": [{"index": "0", "turns": ["x"]}]}'],
         r'a\.jsonl:1: choice 0: field "index" must be an integer'),
        (['{"question_id": "q1", "choices": [{"index": -3, "turns": ["x"]}]}'],
         r'a\.jsonl:1: choice 0: field "index" must be a non-negative integer'),
        (['{"question_id": "q1", "choices": "x"}'], r'a\.jsonl:1: field "choices" must be a list'),
        (['{"uid": "u", "model": "m", "messages": [{"role": "user", "content": "hi"}]}'],
         r'a\.jsonl:1: no assistant message in "messages"'),
        (['{"uid": "u", "model": "m", "messages": [{"role": "assistant", "content": {"a": 1}}]}'],
         r'a\.jsonl:1: message 1: content: missing field "answer"'),
        (['{"uid": "u", "model": "m", "messages": [{"content": "hi"}]}'],
         r'a\.jsonl:1: message 1: missing field "role"'),
        (["[1, 2]"], r"a\.jsonl:1: expected a JSON object, got a list"),
    ],
)
def test_bad_input(tmp_path, lines, message):
    path = write(tmp_path, "a.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(InputError, match=message):
        list(fastchat.read(path))


@pytest.mark.corpora
def test_real_arena_bench_answers_get_prompts_from_question_file():
    bench = corpus("arena-bench-v1", "data", "arena-bench-v1")
    question_ids = {
        json.loads(line)["question_id"]
        for line in (bench / "question.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert len(question_ids) == 300
    files = sorted((bench / "model_answer").glob("*.jsonl"))
    assert len(files) == 12
    multi_turn = {}
    for path in files:
        records = list(fastchat.read(path))
        assert len(records) == 300, path
        assert {r.prompt_id for r in records} == question_ids
        assert all(r.prompt for r in records), path
        assert len({r.model for r in records}) == 1
        multi_turn[path.stem] = sum(1 for r in records if r.extra["turns"] > 1)
    assert multi_turn["gpt-3.5-turbo"] == 6
    assert multi_turn["Llama-2-70b-chat"] == 6
    assert multi_turn["gpt-4-0314"] == 0
