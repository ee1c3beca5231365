"""Helpers shared by command modules: error mapping and console output."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

import typer
from rich.console import Console

from ..errors import StylesimError

console = Console(stderr=True, highlight=False)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn library errors into one ``Error: ...`` line on stderr and exit code 1."""
    try:
        yield
    except StylesimError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        raise typer.Exit(130) from None


def setup_logging(verbose: bool) -> None:
    """Send library log records to stderr (warnings by default, info with --verbose)."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )


def progress_printer(verbose: bool):
    """A callback that logs stage names (the CLI shows them with --verbose)."""
    log = logging.getLogger("stylesim")

    def report(stage: str) -> None:
        if verbose:
            log.info(stage)

    return report


def write_outputs(result, html_path, json_path) -> None:
    """Render everything first, then write each file atomically: no half-written outputs."""
    from ..report import render_html
    from ..result import write_atomic

    rendered_html = render_html(result) if html_path else None
    rendered_json = result.to_json() if json_path else None
    if json_path:
        write_atomic(json_path, rendered_json)
    if html_path:
        write_atomic(html_path, rendered_html)
