"""OpenAI Batch API output files (JSONL).

Each line is ``{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}``
where ``body`` is what the endpoint returned: a ``chat.completion`` (``choices[].message.content``),
a ``text_completion`` (``choices[].text``) or a Responses API ``response`` (``output[]`` message
items with ``output_text`` parts). ``prompt_id`` is ``custom_id``; one record per choice
(``sample`` is the choice's ``index``); ``model``, ``finish_reason``, ``usage`` and ``created``
come from the body. The file holds no prompt text.

Failed requests (``error`` set, or a status code other than 200) yield nothing; they are counted
and reported in one logged warning. A line whose structure is wrong raises :class:`InputError`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, json_kind
from ..records import Record
from ._io import iter_jsonl, optional, require
from ._sniff import sniff

log = logging.getLogger(__name__)

name = "openai_batch"
description = "OpenAI Batch API output JSONL: {id, custom_id, response: {status_code, body}, error}"


def detect(path: Path, head: str) -> bool:
    found = sniff(head)
    return found.shape == "lines" and found.has("custom_id") and found.has_any("response", "error")


def read(path: Path) -> Iterator[Record]:
    failed: list[int] = []
    for number, obj in iter_jsonl(path):
        custom_id = require(obj, "custom_id", path, number, (str, int))
        error = obj.get("error")
        response = obj.get("response")
        if error is not None:
            failed.append(number)
            continue
        if response is None:
            raise InputError(path, 'missing field "response" (and no "error")', number)
        response = require(obj, "response", path, number, dict)
        status = optional(response, "status_code", path, number, int, "response: ")
        if status is not None and status != 200:
            failed.append(number)
            continue
        body = require(response, "body", path, number, dict, "response: ")
        yield from _body_records(path, number, str(custom_id), body, obj, response)
    if failed:
        shown = ", ".join(str(n) for n in failed[:10]) + (", ..." if len(failed) > 10 else "")
        log.warning("%s: skipped %d failed request(s) (line %s)", path, len(failed), shown)


def _body_records(
    path: Path, number: int, custom_id: str, body: dict[str, Any], obj: dict[str, Any],
    response: dict[str, Any],
) -> Iterator[Record]:
    where = "response.body: "
    model = optional(body, "model", path, number, str, where)
    usage = optional(body, "usage", path, number, dict, where)
    created = body.get("created", body.get("created_at"))
    base: dict[str, Any] = {}
    for key, value in (("batch_request_id", obj.get("id")), ("request_id", response.get("request_id")),
                       ("completion_id", body.get("id")),
                       ("system_fingerprint", body.get("system_fingerprint"))):
        if value is not None:
            base[key] = value
    if body.get("object") == "response" or ("output" in body and "choices" not in body):
        text, finish = _responses_output(path, number, body)
        yield Record(
            prompt_id=custom_id, response=text, model=model, finish_reason=finish,
            created=created, usage=usage, extra=base, line=number,
        )
        return
    choices = require(body, "choices", path, number, list, where)
    if not choices:
        raise InputError(path, f'{where}field "choices" is empty', number)
    for position, choice in enumerate(choices):
        at = f"{where}choice {position}: "
        if not isinstance(choice, dict):
            raise InputError(path, f"{at}expected a JSON object, got {json_kind(choice)}", number)
        index = optional(choice, "index", path, number, int, at)
        if index is not None and index < 0:
            raise InputError(path, f'{at}field "index" must be a non-negative integer', number)
        finish = optional(choice, "finish_reason", path, number, str, at)
        extra = dict(base)
        if "message" in choice:
            message = require(choice, "message", path, number, dict, at)
            text = _content(path, number, message.get("content"), at + "message: ")
            if isinstance(message.get("refusal"), str):
                extra["refusal"] = message["refusal"]
        elif "text" in choice:
            text = require(choice, "text", path, number, str, at)
        else:
            raise InputError(path, f'{at}missing field "message"', number)
        yield Record(
            prompt_id=custom_id,
            response=text,
            model=model,
            sample=index if index is not None else position,
            finish_reason=finish,
            created=created,
            usage=dict(usage) if usage is not None else None,
            extra=extra,
            line=number,
        )


def _content(path: Path, number: int, content: Any, where: str) -> str:
    if content is None:
        return ""  # e.g. a refusal or a tool call: nothing to compare
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            part["text"] for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    raise InputError(
        path, f'{where}field "content" must be a string, got {json_kind(content)}', number
    )


def _responses_output(path: Path, number: int, body: dict[str, Any]) -> tuple[str, str | None]:
    """Text and status of a Responses API body: its message items' output_text parts."""
    output = require(body, "output", path, number, list, "response.body: ")
    texts = []
    for item in output:
        if not isinstance(item, dict) or item.get("type", "message") != "message":
            continue
        content = item.get("content")
        if isinstance(content, list):
            texts.extend(
                part["text"] for part in content
                if isinstance(part, dict) and part.get("type") == "output_text"
                and isinstance(part.get("text"), str)
            )
    status = body.get("status")
    details = body.get("incomplete_details")
    if isinstance(details, dict) and isinstance(details.get("reason"), str):
        status = "length" if details["reason"] == "max_output_tokens" else details["reason"]
    return "".join(texts), status if isinstance(status, str) else None
