"""FastChat llm_judge / Arena-Hard model answers (JSONL), in both layouts.

* Classic (MT-Bench, Arena-Hard v0.1): ``{question_id, answer_id, model_id, choices: [{index,
  turns: [str | {content}, ...]}], tstamp}``. One record per choice; ``sample`` is the choice's
  ``index``.
* Newer Arena-Hard: ``{uid, ans_id, model, messages: [{role, content}], tstamp, metadata}``, where
  an assistant ``content`` is a string or ``{"answer": ..., "thought"?: ...}``.

``prompt_id`` is ``question_id`` (or ``uid``); ``response`` is the first assistant turn and
``extra["turns"]`` counts the assistant turns. Prompts come from the messages when they hold
them, else from a ``question.jsonl`` beside the file or in its parent directory (the benchmark's
layout: ``data/<bench>/question.jsonl`` and ``data/<bench>/model_answer/<model>.jsonl``), keyed by
``question_id``/``uid``: its ``turns[0]`` (a string or ``{content}``) or ``prompt``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, json_kind
from ..records import Record
from ._io import iter_jsonl, optional, require
from ._sniff import sniff

name = "fastchat"
description = (
    "FastChat / Arena-Hard model answers JSONL: {question_id, model_id, choices: [{turns}]} "
    "or {uid, model, messages}"
)

QUESTION_FILE = "question.jsonl"
_ID_KEYS = ("question_id", "uid")


def detect(path: Path, head: str) -> bool:
    found = sniff(head)
    if found.shape != "lines":
        return False
    if found.has("question_id", "choices"):
        return _is_list(found, "choices")
    if found.has_any(*_ID_KEYS) and found.has("messages") and found.has_any("model", "model_id"):
        return _is_list(found, "messages")
    return False


def _is_list(found: Any, key: str) -> bool:
    return found.record is None or isinstance(found.record.get(key), list)


def read(path: Path) -> Iterator[Record]:
    questions: dict[str, str] | None = None
    for number, obj in iter_jsonl(path):
        if not isinstance(obj, dict):
            raise InputError(path, f"expected a JSON object, got {json_kind(obj)}", number)
        if "choices" in obj:
            records = _classic(path, number, obj)
        elif "messages" in obj:
            records = [_arena(path, number, obj)]
        else:
            raise InputError(path, 'missing field "choices" (or "messages")', number)
        for record in records:
            if record.prompt is None:
                if questions is None:
                    questions = _questions_near(path)
                record.prompt = questions.get(record.prompt_id)
            yield record


def _answer_id(path: Path, number: int, obj: dict[str, Any]) -> str:
    for key in _ID_KEYS:
        if obj.get(key) is not None:
            return str(require(obj, key, path, number, (str, int)))
    raise InputError(path, 'missing field "question_id" (or "uid")', number)


def _classic(path: Path, number: int, obj: dict[str, Any]) -> list[Record]:
    prompt_id = _answer_id(path, number, obj)
    model = optional(obj, "model_id", path, number, str)
    if model is None:
        model = optional(obj, "model", path, number, str)
    choices = require(obj, "choices", path, number, list)
    if not choices:
        raise InputError(path, 'field "choices" is empty', number)
    base = {k: obj[k] for k in ("answer_id", "tstamp") if obj.get(k) is not None}
    records = []
    for position, choice in enumerate(choices):
        where = f"choice {position}: "
        turns = require(choice, "turns", path, number, list, where)
        index = optional(choice, "index", path, number, int, where)
        if index is not None and index < 0:
            raise InputError(path, f'{where}field "index" must be a non-negative integer', number)
        if not turns:
            raise InputError(path, f'{where}field "turns" is empty', number)
        response = _turn_text(path, number, turns[0], f"{where}turn 1: ")
        extra = dict(base)
        extra["turns"] = len(turns)
        records.append(
            Record(
                prompt_id=prompt_id,
                response=response,
                model=model,
                sample=index if index is not None else position,
                extra=extra,
                line=number,
            )
        )
    return records


def _turn_text(path: Path, number: int, turn: Any, where: str) -> str:
    if isinstance(turn, str):
        return turn
    if isinstance(turn, dict):
        return require(turn, "content", path, number, str, where)
    raise InputError(path, f"{where}expected a string or an object, got {json_kind(turn)}", number)


def _arena(path: Path, number: int, obj: dict[str, Any]) -> Record:
    prompt_id = _answer_id(path, number, obj)
    model = optional(obj, "model", path, number, str)
    if model is None:
        model = optional(obj, "model_id", path, number, str)
    messages = require(obj, "messages", path, number, list)
    system = prompt = response = None
    thought = None
    turns = 0
    for position, message in enumerate(messages, start=1):
        where = f"message {position}: "
        role = require(message, "role", path, number, str, where)
        content = message.get("content")
        if role == "assistant":
            turns += 1
            if turns == 1:
                response, thought = _assistant_text(path, number, content, where)
        elif role == "system" and system is None and prompt is None:
            system = _plain_text(path, number, content, where)
        elif role == "user" and prompt is None:
            prompt = _plain_text(path, number, content, where)
    if response is None:
        raise InputError(path, "no assistant message in \"messages\"", number)
    extra: dict[str, Any] = {k: obj[k] for k in ("ans_id", "tstamp") if obj.get(k) is not None}
    extra["turns"] = turns
    if isinstance(obj.get("metadata"), dict):
        extra["metadata"] = obj["metadata"]
    if thought is not None:
        extra["thought"] = thought
    return Record(
        prompt_id=prompt_id,
        response=response,
        model=model,
        prompt=prompt,
        system=system,
        extra=extra,
        line=number,
    )


def _assistant_text(path: Path, number: int, content: Any, where: str) -> tuple[str, Any]:
    if isinstance(content, str):
        return content, None
    if isinstance(content, dict):
        answer = require(content, "answer", path, number, str, where + "content: ")
        return answer, content.get("thought", content.get("reasoning"))
    raise InputError(
        path, f'{where}field "content" must be a string or {{"answer": ...}}, got '
        f"{json_kind(content)}", number,
    )


def _plain_text(path: Path, number: int, content: Any, where: str) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, dict) and isinstance(content.get("answer"), str):
        return content["answer"]
    raise InputError(
        path, f'{where}field "content" must be a string, got {json_kind(content)}', number
    )


def question_file(path: Path) -> Path | None:
    """The ``question.jsonl`` a FastChat answer file at ``path`` takes its prompts from: beside it
    or in its parent directory (the first found); None if neither exists."""
    here = path.resolve().parent
    for folder in (here, here.parent):
        candidate = folder / QUESTION_FILE
        if candidate.is_file() and candidate != path.resolve():
            return candidate
    return None


def _questions_near(path: Path) -> dict[str, str]:
    """Prompts by id from the ``question.jsonl`` beside ``path`` or in its parent directory."""
    candidate = question_file(path)
    if candidate is None:
        return {}
    stat = candidate.stat()
    return _load_questions(str(candidate), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_questions(filename: str, mtime_ns: int, size: int) -> dict[str, str]:
    """``{id: first turn}`` from a question file (cached per file version).

    A question without an id or a readable first turn is passed over: it only means that its
    prompt stays unknown. Invalid JSON is an error, located in the question file.
    """
    questions: dict[str, str] = {}
    for _, obj in iter_jsonl(Path(filename)):
        if not isinstance(obj, dict):
            continue
        key = next((obj[k] for k in _ID_KEYS if isinstance(obj.get(k), (str, int))), None)
        if key is None or isinstance(key, bool):
            continue
        text = _question_text(obj)
        if text is not None:
            questions[str(key)] = text
    return questions


def _question_text(obj: dict[str, Any]) -> str | None:
    turns = obj.get("turns")
    if isinstance(turns, list) and turns:
        first = turns[0]
        if isinstance(first, str):
            return first
        if isinstance(first, dict) and isinstance(first.get("content"), str):
            return first["content"]
    prompt = obj.get("prompt")
    if isinstance(prompt, str):
        return prompt
    return None

