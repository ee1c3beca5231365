"""Input formats. Each module exposes ``name``, ``description``, ``detect(path, head)`` and
``read(path)``; :data:`FORMATS` lists them in detection order (most specific first).

Adding a format is adding a module here and one line to :data:`FORMATS`.
"""

from __future__ import annotations

import json
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


# A first line longer than the head is read whole for detection, up to this many bytes: a JSONL
# record with a long prompt before its "response" was refused as "cannot tell the format" (and
# a folder given to matrix skipped the file) before 0.3.17.
FIRST_LINE_BYTES = 32 * 2**20


def read_head(path: Path, *, whole_first_record: bool = True) -> str:
    """The first bytes of ``path`` decoded leniently, for detection: ``HEAD_BYTES``, or more where
    they start a JSON object (a JSONL record) whose line is longer (up to ``FIRST_LINE_BYTES``)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(HEAD_BYTES)
            if (whole_first_record and b"\n" not in raw.lstrip()
                    and raw.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")):
                parts = [raw]
                size = len(raw)
                while size < FIRST_LINE_BYTES:  # to the end of the line, a chunk at a time
                    more = handle.read(min(16 * HEAD_BYTES, FIRST_LINE_BYTES - size))
                    parts.append(more)
                    size += len(more)
                    if not more or b"\n" in more:
                        break
                raw = b"".join(parts)
    except OSError as exc:
        raise InputError(path, f"cannot open: {exc.strerror or exc}") from None
    refuse_wide(path, raw)
    for magic, kind, how in _ARCHIVES:
        if raw.startswith(magic):
            raise InputError(path, f"is {kind}; stylesim reads plain JSON or JSONL text ({how} first)")
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def _reads_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


# Compressed files and archives, known by their first bytes: refused by name, not as unreadable text.
_ARCHIVES = ((b"\x1f\x8b", "gzip-compressed", "decompress it with gunzip"),
             (b"PK\x03\x04", "a zip archive", "extract it"),
             (b"BZh", "bzip2-compressed", "decompress it with bunzip2"),
             (b"\xfd7zXZ\x00", "xz-compressed", "decompress it with unxz"),
             (b"\x28\xb5\x2f\xfd", "zstd-compressed", "decompress it with unzstd"))


def detect(path: Path) -> ModuleType:
    """The first format whose ``detect`` accepts ``path``."""
    head = read_head(path)
    if not head.strip():
        raise InputError(path, "file is empty")
    for fmt in FORMATS:
        if fmt.detect(path, head):
            return fmt
    stripped = head.lstrip("\ufeff \t\r\n")
    # A JSON array on one line longer than the head cannot be read here for its fields.
    one_long_line = "\n" not in stripped and path.stat().st_size >= HEAD_BYTES
    if stripped.startswith("[") and ('"prompt_id"' in head and '"response"' in head or one_long_line):
        raise InputError(path, "this is a JSON array; stylesim JSONL is one object per line (for a benchmark's "
                               "own JSON, pass --format)", 1)
    header = stripped.split("\n", 1)[0]
    brace = header.find('{"')
    if 0 < brace <= 16 and _reads_as_json(header[brace:]):
        # A JSON object after a few stray bytes (a copy-paste slip, a damaged first byte) is not
        # CSV, which is what the check below said of it before 0.3.17.
        stray = header[:brace]
        what = "not UTF-8" if "\ufffd" in stray else ascii(stray)
        raise InputError(path, f"{brace} stray character{'s' if brace != 1 else ''} ({what}) before the JSON "
                               f"object; remove {'them' if brace != 1 else 'it'}", 1)
    if not stripped.startswith(("{", "[")) and "," in header and "response" in header:
        raise InputError(path, "looks like CSV; stylesim reads JSONL (one JSON object per line, with prompt_id "
                               "and response) or a benchmark's own JSON (see --format)", 1)
    raise InputError(
        path, f"cannot tell the format from the content; pass --format (one of: {', '.join(names())})"
    )
