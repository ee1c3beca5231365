"""Helpers shared by command modules: error mapping and console output."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from collections.abc import Iterator

import typer
from rich.console import Console

from ..errors import ConfigurationError, StylesimError, current_folder_gone

# COLUMNS=0 made rich wrap the bold headline (the verdict) to nothing; 0 means "unknown" here.
if os.environ.get("COLUMNS", "").strip() == "0":
    del os.environ["COLUMNS"]
console = Console(stderr=True, highlight=False)

# C0/C1 controls (but tab and newline), DEL, and the bidirectional controls that can reorder a
# line on screen (a model name holding U+202E would reverse the numbers after it).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: object) -> str:
    """Text for the terminal: control and bidi characters removed (lone surrogates replaced)."""
    cleaned = _UNSAFE.sub("", str(text))
    return cleaned.encode("utf-8", "replace").decode("utf-8")


def say(text: object, *, bold: bool = False, err: bool = False) -> None:
    """Print untrusted text (model names, verdicts) with no markup interpretation, in what the
    stream's encoding can hold (an ASCII stream gets "?" for "≤": before 0.3.16 the bold line
    ended in a UnicodeEncodeError after the result files were written). Nothing, where the stream
    is closed."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    line = terminal_safe(text).encode(encoding, "replace").decode(encoding, "replace")
    if bold:
        target = console if err else Console(highlight=False)
        target.print(line, markup=False, highlight=False, style="bold", soft_wrap=True)
    else:
        typer.echo(line, err=err)


def one_line(text: str) -> str:
    """``text`` on one line: a newline or carriage return (in a file name, say) shown as \\n, \\r."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


class _SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # A warning is one line, as an error is: a file name holding a newline split it in two.
        record = logging.makeLogRecord({**record.__dict__, "msg": one_line(record.getMessage()), "args": None})
        return terminal_safe(super().format(record))


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn library errors into one ``Error: ...`` line on stderr and exit code 1."""
    try:
        yield
    except StylesimError as exc:
        # One line, whatever a file name holds: a newline in it is shown as \n.
        typer.echo(terminal_safe(one_line(f"Error: {exc}")), err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        # A file the library did not expect to fail (a name too long for the file system, a
        # vanished folder): still one line naming it, never a traceback. An OSError about no
        # file (io.UnsupportedOperation, shutil.Error) is a defect and keeps its traceback.
        if exc.filename is None:
            if current_folder_gone():
                typer.echo("Error: the current folder no longer exists; cd to one that does (or give absolute "
                           "paths)", err=True)
                raise typer.Exit(1) from None
            raise
        names = [os.fsdecode(name) for name in (exc.filename, exc.filename2) if name is not None]
        line = f"Error: {' -> '.join(names)}: {exc.strerror or exc}"
        typer.echo(terminal_safe(one_line(line)), err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt as stop:
        # SIGTERM (a scheduler, `timeout`) arrives as Terminated, a KeyboardInterrupt, so that
        # every cleanup an interrupt runs (workers, temporary files) runs for it too.
        terminated = isinstance(stop, Terminated)
        typer.echo("Terminated." if terminated else "Interrupted.", err=True)
        raise typer.Exit(143 if terminated else 130) from None


class Terminated(KeyboardInterrupt):
    """The process was asked to end (SIGTERM): handled as an interrupt, reported as itself."""


def raise_terminated(signum: int, frame: object) -> None:  # noqa: ARG001 - a signal handler's signature
    raise Terminated


def setup_logging(verbose: bool) -> None:
    """Send library log records to stderr (warnings by default, info with --verbose)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SafeFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])


def progress_printer(verbose: bool):
    """A callback that logs stage names (the CLI shows them with --verbose)."""
    log = logging.getLogger("stylesim")

    def report(stage: str, done: int | None = None, total: int | None = None) -> None:
        if verbose:
            log.info(stage if done is None else f"{stage} ({done} of {total})")

    return report


@contextlib.contextmanager
def progress_display(verbose: bool, quiet: bool = False) -> Iterator:
    """A progress callback: a live bar with counts and ETA on a terminal (stderr a TTY, not
    ``--quiet``), else the logging callback of :func:`progress_printer`."""
    if quiet or not console.is_terminal:
        yield progress_printer(verbose)
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    # The default spinner is Braille dots, which a stream that cannot hold them showed as "\u280b"
    # (the bar itself turns ASCII by itself there).
    spinner = "dots" if console.encoding.lower().startswith("utf") else "line"
    columns = (SpinnerColumn(spinner), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, object] = {}

        def report(stage: str, done: int | None = None, total: int | None = None) -> None:
            group = stage.split(":")[0]
            if group not in tasks:
                # Stages come one after another: a new one means the earlier ones without a
                # count are over, so they stop spinning.
                for task in bar.tasks:
                    if task.total is None:
                        bar.update(task.id, total=1, completed=1)
                tasks[group] = bar.add_task(terminal_safe(stage), total=total)
            bar.update(tasks[group], description=terminal_safe(stage), total=total,
                       completed=done if done is not None else 0)

        yield report


def check_outputs(inputs, out, json_out, *others) -> None:
    """Check every output path before any work (see :func:`stylesim.result.check_output_paths`):
    the HTML report, the JSON (which alone may be ``-``, standard output) and any others."""
    from ..result import check_output_paths

    check_output_paths([out, json_out, *others], [p for p in inputs if p is not None], stdout_ok=(1,))


def write_outputs(result, html_path, json_path, extra=()) -> None:
    """Render everything first, then write all files together: no half-written outputs, and
    never one output new and another old. ``extra`` holds more (path, text) pairs. ``--json -``
    writes the JSON to standard output instead of a file."""
    from ..report import render_html
    from ..result import write_all_atomic

    to_stdout = json_path is not None and str(json_path) == "-"
    files = []
    if json_path and not to_stdout:
        files.append((json_path, result.to_json()))
    if html_path:
        files.append((html_path, render_html(result)))
    write_all_atomic([*files, *extra])
    if to_stdout:
        try:
            typer.echo(result.to_json())
            sys.stdout.flush()
        except OSError as exc:  # a full disk, a closed pipe: one line, not a traceback
            raise ConfigurationError(f"standard output: cannot write the JSON: {exc.strerror or exc}") from None


def summarise(result, lines: list[str], *, quiet: bool, json_path) -> None:  # noqa: ANN001
    """The plain verdict, the key numbers and every note of the verdict, together: on standard
    output, or on standard error when standard output carries the JSON (``--json -``); nothing with
    ``--quiet``. The notes are the report's and the JSON's, all of them: they say how to read the
    numbers (what a test means here, what was not controlled for), so none is left to the files."""
    if quiet:
        return
    err = json_path is not None and str(json_path) == "-"
    say(result.verdict["headline"], bold=True, err=err)
    prompts = (result.to_dict().get("coverage") or {}).get("matched_prompts")
    if prompts is not None:
        say(f"  prompts compared       {prompts} (answered by every model in the analysis)", err=err)
    for line in lines:
        say(line, err=err)
    for detail in result.verdict.get("details") or []:
        say(f"  - {detail}", err=err)
    caveats = result.verdict.get("caveats") or []
    if caveats:  # the first two, which a quoted number needs beside it
        say("  " + " ".join(caveats[:2]), err=err)
