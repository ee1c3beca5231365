"""stylesim's own JSONL format: one output per line.

Required fields: ``prompt_id`` (string or integer), ``response`` (string). Recommended: ``prompt``,
``model``. Optional: ``sample`` (integer, default 0), ``system``, ``temperature``, ``max_tokens``,
``finish_reason``, ``created``, ``usage``. Unknown fields are kept in ``Record.extra``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..records import Record
from ._io import iter_jsonl, optional, require

name = "stylesim"
description = "stylesim JSONL: {prompt_id, prompt, response, model, sample, ...} per line"

_KNOWN = {
    "prompt_id", "prompt", "response", "model", "sample", "system", "temperature",
    "max_tokens", "finish_reason", "created", "usage", "prompt_group",
}


def detect(path: Path, head: str) -> bool:
    first = next((line for line in head.splitlines() if line.strip()), "")
    try:
        obj = json.loads(first)
    except (ValueError, RecursionError):
        # A line too long for the head, or broken JSON: still this format if it starts like an
        # object (a CSV header that quotes the same column names does not).
        return first.lstrip("\ufeff \t").startswith("{") and '"prompt_id"' in first and '"response"' in first
    return isinstance(obj, dict) and "prompt_id" in obj and "response" in obj


def read(path: Path) -> Iterator[Record]:
    for number, obj in iter_jsonl(path):
        prompt_id = require(obj, "prompt_id", path, number, (str, int))
        response = require(obj, "response", path, number, str)
        sample = obj.get("sample", 0)
        if sample is None:
            sample = 0
        if not isinstance(sample, int) or isinstance(sample, bool) or sample < 0:
            raise InputError(path, 'field "sample" must be a non-negative integer', number)
        prompt = obj.get("prompt")
        if prompt is not None and not isinstance(prompt, str):
            raise InputError(path, 'field "prompt" must be a string', number)
        model = obj.get("model")
        if model is not None and not isinstance(model, str):
            raise InputError(path, 'field "model" must be a string', number)
        group = obj.get("prompt_group")
        if group is not None and (not isinstance(group, (str, int)) or isinstance(group, bool)):
            raise InputError(path, 'field "prompt_group" must be a string or an integer', number)
        yield Record(
            prompt_id=str(prompt_id),
            response=response,
            model=model,
            prompt=prompt,
            sample=sample,
            system=optional(obj, "system", path, number, str),
            temperature=optional(obj, "temperature", path, number, (int, float)),
            max_tokens=optional(obj, "max_tokens", path, number, int),
            finish_reason=optional(obj, "finish_reason", path, number, str),
            created=optional(obj, "created", path, number, (int, float, str)),
            usage=optional(obj, "usage", path, number, dict),
            extra={k: v for k, v in obj.items() if k not in _KNOWN},
            line=number,
            group=None if group is None else str(group),
        )
