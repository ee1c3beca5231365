"""The interface every input format implements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from ..records import Record


class Format(Protocol):
    """A published output format.

    ``detect`` sees the path and the first few KiB of the file decoded as UTF-8 (``head``) and
    answers whether this reader understands it. ``read`` yields records, streaming where the
    format allows (JSONL), and raises :class:`stylesim.errors.InputError` naming path and line.
    """

    name: str
    description: str

    def detect(self, path: Path, head: str) -> bool: ...

    def read(self, path: Path) -> Iterator[Record]: ...
