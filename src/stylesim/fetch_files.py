"""Safe writing of partial downloads: never through a link planted where the ``.part`` goes."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger("stylesim.fetch")


def open_part(part: Path, append: bool):  # noqa: ANN202
    """Open the ``.part`` file for writing without following a link planted in its place: a
    symlink there is removed (it is not ours), and the file is opened with O_NOFOLLOW."""
    if part.is_symlink():
        logger.warning("%s: a symbolic link stood where the partial download goes; removed it", part)
        part.unlink()
        append = False
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    flags |= os.O_APPEND if append else os.O_TRUNC
    return os.fdopen(os.open(part, flags, 0o644), "ab" if append else "wb")


def part_size(part: Path) -> int:
    """Bytes already in ``part`` (0 if absent or a link, which is not ours to trust)."""
    try:
        info = part.lstat()
    except FileNotFoundError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0
