"""``stylesim report``: rebuild the HTML page from a saved JSON result."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import user_errors
from ._help import HelpCommand, examples
from .app import app


@app.command(cls=HelpCommand, epilog=examples(
    ("The HTML page of a result saved with --json:",
     "stylesim report result.json --out report.html"),
))
def report(
    result_json: Path = typer.Argument(..., help="A result written with --json by compare, attribute, matrix or reproduce."),
    out: Path = typer.Option(..., "--out", "-o", metavar="FILE", help="Where to write the self-contained HTML report."),
) -> None:
    """Rebuild the HTML report from a saved JSON result (same page as --out gave)."""
    from ..errors import InputError, StylesimError
    from ..report import render_html
    from ..result import check_output_paths, load_result, write_atomic

    with user_errors():
        check_output_paths([out], [result_json])
        result = load_result(result_json)
        try:
            html = render_html(result)
        except StylesimError as exc:
            raise InputError(result_json, str(exc)) from None
        except RecursionError:
            raise InputError(result_json, "cannot build a report from this result (values nested too deeply)") from None
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as exc:
            raise InputError(result_json, f"cannot build a report from this result ({exc!r})") from None
        write_atomic(out, html)
    typer.echo(f"Wrote {out}")
