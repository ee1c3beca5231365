"""Shared paths and small helpers for the format reader tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


def corpus(*parts: str) -> Path:
    """A folder or file under ../shared/corpora, or skip the test when it is absent."""
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"corpus not available: {path}")
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``tmp_path/name`` and return the path."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def head_of(path: Path) -> str:
    """What detection sees: the first 64 KiB, decoded leniently."""
    from stylesim.formats import read_head

    return read_head(path)
