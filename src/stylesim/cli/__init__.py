"""Command-line interface: ``stylesim COMMAND``. Each module registers its commands on ``app``."""

from __future__ import annotations

import errno

# Command modules register themselves on import.
from . import (  # noqa: F401
    collect_cmd,
    compare_cmd,
    fetch_cmd,
    matrix_cmd,
    prompts_cmd,
    report_cmd,
    reproduce_cmd,
)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point. A write that fails for want of space (a full disk behind
    standard output, most often) ends in one line on standard error and status 1, not a
    traceback: the command's own writes and the last flush at exit both go through here."""
    import signal
    import sys

    from ._common import raise_terminated

    signal.signal(signal.SIGTERM, raise_terminated)
    code: int | str | None = 0
    try:
        try:
            app()
        except SystemExit as done:
            code = done.code
        if sys.stdout is not None:  # None where standard output was closed (`>&-`)
            sys.stdout.flush()
    except OSError as exc:
        if exc.filename is not None or exc.errno not in _STREAM_ERRORS:
            raise
        _stdout_failed(exc, quiet=exc.errno == errno.EPIPE)  # a closed pipe is the reader's choice
        code = 1
    raise SystemExit(code)


def _stdout_failed(exc: OSError, *, quiet: bool = False) -> None:
    """Say once that a write failed (unless ``quiet``), and point standard output at /dev/null so
    that the interpreter's own flush at exit cannot fail (and print) again."""
    import os
    import sys

    if not quiet:  # quiet for a closed pipe, as click is in mid-output (stylesim ... | head)
        try:
            # Files stylesim writes name themselves in their errors (result files, collect's --out,
            # downloads; the embedding cache only warns): a write without a name is to standard output.
            sys.stderr.write(f"Error: cannot write to standard output: {exc.strerror or exc}\n")
            sys.stderr.flush()
        except OSError:
            pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


# A write to a stream (no file name) that failed for one of these reasons is the stream's fault.
_STREAM_ERRORS = (errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EFBIG, errno.EDQUOT)
