"""Cheap structural sniffing of a file's head for ``detect``.

The head is the first 64 KiB, so a JSON list or object may be cut anywhere. :func:`first_record`
parses the first complete record where it can (the first element of a JSON list, or the first
line of a JSONL file) and otherwise falls back to the key names that appear near the start.
Nothing here raises.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_DECODER = json.JSONDecoder()
_KEY = re.compile(r'"((?:[^"\\]|\\.){1,64})"\s*:')
_WS = re.compile(r"[ \t\n\r]*")


@dataclass
class Head:
    """What the start of a file looks like.

    ``shape`` is ``"list"`` (a JSON list), ``"lines"`` (an object on the first line: JSONL),
    ``"object"`` (a JSON object spread over several lines) or ``"other"``. ``record`` is the first
    complete record (list element, first JSONL line, or the whole object when the head holds all
    of it), or ``None`` when it was cut off. ``keys`` are the keys of ``record`` or, when it was cut
    off, every key name seen in the part of the head it occupies.
    """

    shape: str
    record: Any = None
    keys: set[str] = field(default_factory=set)

    def has(self, *names: str) -> bool:
        return all(name in self.keys for name in names)

    def has_any(self, *names: str) -> bool:
        return any(name in self.keys for name in names)


def sniff(head: str) -> Head:
    """Classify ``head`` (see :class:`Head`)."""
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        pos = _WS.match(text, 1).end()
        try:
            record, _ = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return Head("list", None, _keys(text))
        return Head("list", record, set(record) if isinstance(record, dict) else set())
    if text.startswith("{"):
        first, _, rest = text.partition("\n")
        try:
            record = json.loads(first)
        except (ValueError, RecursionError):
            record = None
        if isinstance(record, dict):
            return Head("lines", record, set(record))
        if first.strip() != "{" and not rest:
            # one long line cut off by the head: JSONL (or minified JSON) with a huge record
            return Head("lines", None, _keys(first))
        if first.strip() != "{" and len(first) > 200:
            return Head("lines", None, _keys(first))
        try:
            whole = json.loads(text)
        except (ValueError, RecursionError):
            return Head("object", None, _keys(text))
        return Head("object", whole, set(whole) if isinstance(whole, dict) else set())
    return Head("other")


def _keys(text: str) -> set[str]:
    return {match.group(1) for match in _KEY.finditer(text)}
