"""The collect output file as resumable state: an exclusive lock, torn-line repair, fsync.

A run appends one JSON record per line. An interrupted run can leave a torn last line, which
:func:`read_output` cuts off (or terminates, when the record is whole) before a resume.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import IO, Any

from .errors import ConfigurationError, InputError

try:  # POSIX only; elsewhere two collectors on one file are not detected.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger("stylesim.collect")


def read_output(handle: IO[bytes], path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Lock ``handle`` (opened ``a+b``), cut a torn last line, and return ``(line, record)``s."""
    if fcntl is not None:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ConfigurationError(
                f"{path} is being written by another stylesim collect; wait for it to finish"
            ) from None
    handle.seek(0)
    data = handle.read()
    records: list[tuple[int, dict[str, Any]]] = []
    start = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        end = start + len(raw)
        last, start = end == len(data), end + 1
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            if not last:
                raise InputError(path, "not a stylesim JSONL line (invalid JSON)", number) from None
            obj = None
        if last and not isinstance(obj, dict):
            # Only a partial JSON object after this run's own records can be a torn write; any
            # other last line means this is not a collect file, and it must not be cut.
            torn_record = raw.lstrip().startswith(b'{"prompt_id"') or (records and raw.lstrip().startswith(b"{"))
            if not torn_record:
                raise InputError(path, "is not a stylesim collect output (this line is not an output "
                                       "record); refusing to write into it: choose a new --out file", number)
            logger.warning("%s:%d: cutting off a torn last line (%d bytes) left by an interrupted "
                           "run", path, number, len(raw))
            handle.truncate(end - len(raw))
            sync(handle)
            break
        if not isinstance(obj, dict) or "prompt_id" not in obj:
            raise InputError(path, "not a stylesim output record (no prompt_id)", number)
        if last:  # a complete record without its newline: terminate it
            handle.write(b"\n")
            sync(handle)
        records.append((number, obj))
    return records


def sync(handle: IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())
