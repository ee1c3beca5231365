"""Input formats. Each module exposes ``name``, ``description``, ``detect(path, head)`` and
``read(path)``; :data:`FORMATS` lists them in detection order (most specific first).

Adding a format is adding a module here and one line to :data:`FORMATS`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ..errors import InputError
from . import (
    alpaca_eval,
    chat,
    eqbench,
    fastchat,
    notxbuty,
    openai_batch,
    stylesim_jsonl,
    wildbench,
)
from ._io import refuse_wide

# Detection order, most specific first. Each detector also rejects the others' layouts on its
# own, so the order only matters for unforeseen files that satisfy two of them: the HTML page,
# then JSONL layouts keyed by distinctive fields (custom_id; question_id/uid with choices or
# messages; prompt_id with response), then whole-file JSON (an object of runs; lists keyed by
# session_id or instruction), and last the generic chat transcripts (any messages list).
FORMATS: list[ModuleType] = [
    eqbench,
    openai_batch,
    fastchat,
    stylesim_jsonl,
    notxbuty,
    wildbench,
    alpaca_eval,
    chat,
]

HEAD_BYTES = 65536


def names() -> list[str]:
    """Names accepted by ``--format``."""
    return [fmt.name for fmt in FORMATS]


def get(name: str) -> ModuleType:
    """The format module called ``name``."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise InputError(None, f"unknown format {name!r}; choose one of: {', '.join(names())}")


def read_head(path: Path) -> str:
    """The first bytes of ``path`` decoded leniently, for detection."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(path, f"cannot open: {exc.strerror or exc}") from None
    refuse_wide(path, raw)
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def detect(path: Path) -> ModuleType:
    """The first format whose ``detect`` accepts ``path``."""
    head = read_head(path)
    if not head.strip():
        raise InputError(path, "file is empty")
    for fmt in FORMATS:
        if fmt.detect(path, head):
            return fmt
    stripped = head.lstrip("\ufeff \t\r\n")
    if stripped.startswith("[") and '"prompt_id"' in head and '"response"' in head:
        raise InputError(path, "this is a JSON array; stylesim JSONL is one object per line", 1)
    raise InputError(
        path, f"cannot tell the format from the content; pass --format (one of: {', '.join(names())})"
    )
