"""OpenAI Batch API output reader."""

from __future__ import annotations

import json
import logging

import pytest

from stylesim.errors import InputError
from stylesim.formats import openai_batch
from stylesim.records import Record

from ._helpers import FIXTURES, write

FIXTURE = FIXTURES / "openai_batch" / "output.jsonl"
USAGE_1 = {"prompt_tokens": 12, "completion_tokens": 20, "total_tokens": 32}
EXTRA_1 = {
    "batch_request_id": "batch_req_aaa",
    "request_id": "req_aaa",
    "completion_id": "chatcmpl-aaa",
    "system_fingerprint": "fp_fixture",
}


def test_reads_fixture_exactly_and_skips_failed_requests(caplog):
    with caplog.at_level(logging.WARNING, logger="stylesim.formats.openai_batch"):
        records = list(openai_batch.read(FIXTURE))
    assert records == [
        Record(
            prompt_id="prompt-1",
            response="Rain taps the window like a patient visitor.",
            model="gpt-4o-mini-2024-07-18",
            sample=0,
            finish_reason="stop",
            created=1720000000,
            usage=USAGE_1,
            extra=EXTRA_1,
            line=1,
        ),
        Record(
            prompt_id="prompt-1",
            response="The storm rehearses its lines on the roof.",
            model="gpt-4o-mini-2024-07-18",
            sample=1,
            finish_reason="length",
            created=1720000000,
            usage=USAGE_1,
            extra=EXTRA_1,
            line=1,
        ),
        Record(
            prompt_id="prompt-4",
            response="\u00a1Hola, se\u00f1or! \u2014 fin.",
            model="gpt-4o-mini-2024-07-18",
            finish_reason="stop",
            created=1720000005,
            usage={"prompt_tokens": 9, "completion_tokens": 7, "total_tokens": 16},
            extra={
                "batch_request_id": "batch_req_ddd",
                "request_id": "req_ddd",
                "completion_id": "chatcmpl-ddd",
            },
            line=4,
        ),
    ]
    assert "skipped 2 failed request(s) (line 2, 3)" in caplog.text


def _line(body, status=200, error=None, custom_id="c1"):
    response = None if body is None else {"status_code": status, "request_id": "r", "body": body}
    return json.dumps({"id": "b", "custom_id": custom_id, "response": response, "error": error})


def test_text_completion_and_responses_api_bodies(tmp_path):
    text = _line({"object": "text_completion", "model": "m", "choices": [
        {"index": 0, "text": "plain text", "finish_reason": "stop"}]}, custom_id="a")
    responses = _line({"object": "response", "model": "m2", "created_at": 5, "status": "completed",
                       "output": [
                           {"type": "reasoning", "summary": []},
                           {"type": "message", "role": "assistant", "content": [
                               {"type": "output_text", "text": "Hello "},
                               {"type": "output_text", "text": "there."}]}]}, custom_id="b")
    records = list(openai_batch.read(write(tmp_path, "o.jsonl", text + "\n" + responses + "\n")))
    assert [(r.prompt_id, r.response, r.model, r.finish_reason, r.created) for r in records] == [
        ("a", "plain text", "m", "stop", None),
        ("b", "Hello there.", "m2", "completed", 5),
    ]


def test_null_content_is_an_empty_response(tmp_path):
    body = {"model": "m", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": None, "refusal": "No."},
         "finish_reason": "stop"}]}
    (record,) = openai_batch.read(write(tmp_path, "o.jsonl", _line(body) + "\n"))
    assert (record.response, record.extra["refusal"]) == ("", "No.")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{nope", r"o\.jsonl:1: invalid JSON"),
        ('{"id": "b", "response": {"status_code": 200, "body": {}}}',
         r'o\.jsonl:1: missing field "custom_id"'),
        ('{"custom_id": "c", "response": null, "error": null}',
         r'o\.jsonl:1: missing field "response" \(and no "error"\)'),
        ('{"custom_id": "c", "response": {"status_code": 200}, "error": null}',
         r'o\.jsonl:1: response: missing field "body"'),
        ('{"custom_id": "c", "response": "ok", "error": null}',
         r'o\.jsonl:1: field "response" must be a JSON object, got a string'),
        ('{"custom_id": "c", "response": {"status_code": "200", "body": {}}, "error": null}',
         r'o\.jsonl:1: response: field "status_code" must be an integer'),
        (_line({"model": "m"}), r'o\.jsonl:1: response\.body: missing field "choices"'),
        (_line({"model": "m", "choices": []}), r'o\.jsonl:1: response\.body: field "choices" is empty'),
        (_line({"model": "m", "choices": [{"index": 0}]}),
         r'o\.jsonl:1: response\.body: choice 0: missing field "message"'),
        (_line({"model": "m", "choices": [{"index": 0, "message": {"content": 7}}]}),
         r'o\.jsonl:1: response\.body: choice 0: message: field "content" must be a string'),
        (_line({"model": 3, "choices": []}), r'o\.jsonl:1: response\.body: field "model" must be a string'),
        (_line({"model": "m", "choices": [{"index": -3, "message": {"content": "x"}}]}),
         r'o\.jsonl:1: response\.body: choice 0: field "index" must be a non-negative integer'),
    ],
)
def test_bad_input(tmp_path, line, message):
    path = write(tmp_path, "o.jsonl", line + "\n")
    with pytest.raises(InputError, match=message):
        list(openai_batch.read(path))


def test_a_client_error_line_is_skipped_and_counted(tmp_path, caplog):
    """A 4xx response (its body an error object, "error" null) is a failed request like a 5xx."""
    ok = _line({"model": "m", "choices": [{"index": 0, "message": {"content": "fine"}, "finish_reason": "stop"}]},
               custom_id="a")
    bad = _line({"error": {"message": "invalid model", "type": "invalid_request_error"}}, status=400, custom_id="b")
    with caplog.at_level("WARNING"):
        records = list(openai_batch.read(write(tmp_path, "o.jsonl", ok + "\n" + bad + "\n")))
    assert [r.prompt_id for r in records] == ["a"]
    assert "skipped 1 failed request(s) (line 2)" in caplog.text


def test_choices_keep_their_own_index_as_the_sample(tmp_path):
    body = {"model": "m", "choices": [{"index": 1, "message": {"content": "one"}, "finish_reason": "stop"},
                                      {"index": 0, "message": {"content": "zero"}, "finish_reason": "stop"}]}
    records = list(openai_batch.read(write(tmp_path, "o.jsonl", _line(body) + "\n")))
    assert [(r.sample, r.response) for r in records] == [(1, "one"), (0, "zero")]


def test_a_responses_answer_cut_at_max_output_tokens_is_truncated(tmp_path):
    """stylesim flags truncated answers by finish_reason "length"; the Responses API says
    "incomplete" with the reason max_output_tokens."""
    body = {"object": "response", "model": "m", "status": "incomplete",
            "incomplete_details": {"reason": "max_output_tokens"},
            "output": [{"type": "message", "content": [{"type": "output_text", "text": "Cut off mid"}]}]}
    (record,) = openai_batch.read(write(tmp_path, "o.jsonl", _line(body) + "\n"))
    assert (record.response, record.finish_reason) == ("Cut off mid", "length")
