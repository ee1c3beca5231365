"""Chat transcripts in messages form, one conversation per JSONL line or as one JSON list.

Two layouts:

* ShareGPT: ``{"id"?, "conversations": [{"from": "human" | "gpt" | "system", "value": ...}]}``
* OpenAI: ``{"id"?, "messages": [{"role": "system" | "user" | "assistant", "content": ...}],
  "model"?}``, where ``content`` is a string or a list of parts (``{"type": "text", "text": ...}``).

One record per conversation: ``prompt`` is the first user message, ``response`` the first
assistant reply after it, ``system`` the system message before it (or a top-level ``system``
string). ``prompt_id`` is the ``id`` field, else a short hash of the normalised prompt text
(:func:`._io.text_id`). ``extra["turns"]`` counts the assistant replies. Conversations with no
user message or no reply to it are skipped and counted in a logged warning.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, json_kind
from ..records import Record
from ._io import iter_json_list, iter_jsonl, optional, require, text_id
from ._sniff import sniff

log = logging.getLogger(__name__)

name = "chat"
description = (
    "chat transcripts (JSONL or JSON list): ShareGPT {conversations: [{from, value}]} "
    "or OpenAI {messages: [{role, content}]}"
)

_USER = {"user", "human"}
_ASSISTANT = {"assistant", "gpt", "chatgpt", "bing", "bard", "model", "bot"}
_SYSTEM = {"system", "developer"}
_TEXT_PARTS = {"text", "input_text", "output_text"}
_OTHER_FORMATS = {"custom_id", "prompt_id", "session_id", "instruction", "choices", "samples"}
_TOP_KNOWN = {"id", "messages", "conversations", "model", "system"}


def detect(path: Path, head: str) -> bool:
    found = sniff(head)
    if found.shape not in ("lines", "list"):
        return False
    if found.has_any(*_OTHER_FORMATS):
        return False
    if found.has_any("question_id", "uid") and found.has_any("model", "model_id"):
        return False  # FastChat / Arena-Hard answers
    record = found.record
    if record is None:
        return (found.has("messages", "role") or found.has("conversations")) and (
            found.has_any("role", "from")
        )
    if not isinstance(record, dict):
        return False
    turns = record.get("messages", record.get("conversations"))
    return (
        isinstance(turns, list)
        and bool(turns)
        and isinstance(turns[0], dict)
        and ("role" in turns[0] or "from" in turns[0])
    )


def read(path: Path) -> Iterator[Record]:
    skipped: list[int] = []
    for line, where, obj in _items(path):
        record = _conversation(path, line, where, obj)
        if record is None:
            skipped.append(line)
            continue
        yield record
    if skipped:
        shown = ", ".join(str(n) for n in skipped[:10]) + (", ..." if len(skipped) > 10 else "")
        log.warning(
            "%s: skipped %d conversation(s) with no user message or no reply (line %s)",
            path, len(skipped), shown,
        )


def _items(path: Path) -> Iterator[tuple[int, str, Any]]:
    if _starts_with_list(path):
        for line, index, obj in iter_json_list(path, "a JSON list of conversations"):
            yield line, f"item {index}: ", obj
    else:
        for line, obj in iter_jsonl(path):
            yield line, "", obj


def _starts_with_list(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            start = handle.read(4096)
    except OSError as exc:
        raise InputError(path, f"cannot open: {exc.strerror or exc}") from None
    return start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def _conversation(path: Path, line: int, where: str, obj: Any) -> Record | None:
    if not isinstance(obj, dict):
        raise InputError(path, f"{where}expected a JSON object, got {json_kind(obj)}", line)
    key = "messages" if "messages" in obj else "conversations"
    messages = require(obj, key, path, line, list, where)
    system = optional(obj, "system", path, line, str, where)
    prompt = response = None
    turns = 0
    for position, message in enumerate(messages, start=1):
        at = f"{where}message {position}: "
        if not isinstance(message, dict):
            raise InputError(
                path, f"{at}expected a JSON object, got {json_kind(message)}", line
            )
        role_key = "role" if "role" in message else "from"
        role = require(message, role_key, path, line, str, at).strip().lower()
        content_key = "content" if "content" in message else "value"
        if role in _USER:
            if prompt is None:
                prompt = _text(path, line, at, content_key, message.get(content_key))
        elif role in _ASSISTANT:
            if prompt is not None:
                turns += 1
                if response is None:
                    response = _text(path, line, at, content_key, message.get(content_key))
        elif role in _SYSTEM and system is None and prompt is None:
            system = _text(path, line, at, content_key, message.get(content_key))
    if prompt is None or response is None:
        return None
    conversation_id = optional(obj, "id", path, line, (str, int), where)
    model = optional(obj, "model", path, line, str, where)
    extra = {k: v for k, v in obj.items() if k not in _TOP_KNOWN}
    extra["turns"] = turns
    return Record(
        prompt_id=str(conversation_id) if conversation_id is not None else text_id(prompt),
        response=response,
        model=model,
        prompt=prompt,
        system=system,
        extra=extra,
        line=line,
    )


def _text(path: Path, line: int, where: str, key: str, content: Any) -> str:
    """A message's text: a string, or the text parts of a list of parts joined by newlines."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict) and not isinstance(part.get("type", "text"), str):
                raise InputError(path, f'{where}a content part\'s "type" must be a string', line)
            elif isinstance(part, dict) and part.get("type", "text") in _TEXT_PARTS:
                text = part.get("text")
                if not isinstance(text, str):
                    raise InputError(path, f'{where}a text part has no string "text"', line)
                texts.append(text)
        return "\n".join(texts)
    raise InputError(
        path,
        f'{where}field "{key}" must be a string or a list of parts, got {json_kind(content)}',
        line,
    )
