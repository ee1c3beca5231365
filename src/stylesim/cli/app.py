"""The typer application object that every command module registers on."""

from __future__ import annotations

import typer

from ._help import HelpGroup, examples

# Options that take one value each; a second bare value after one of them is the classic slip
# ``--panel a b c`` (only ``a`` is the panel; ``b c`` would silently become candidates).
_ONE_VALUE_LISTS = ("--panel", "-p", "--base")


def check_repeated_options(args: list[str]) -> None:
    """Refuse ``attribute ... --panel a b`` (``b`` would be read as a candidate teacher)."""
    if not args or args[0] != "attribute":
        return
    for position, token in enumerate(args[:-2]):
        if token in _ONE_VALUE_LISTS and not args[position + 2].startswith("-"):
            typer.echo(
                f"Error: {token} takes one file each: write '{token} {args[position + 1]} {token} "
                f"{args[position + 2]}'. '{args[position + 2]}' would otherwise count as a candidate teacher; "
                "put candidates right after the student, before any option.", err=True)
            raise typer.Exit(2)


class StylesimGroup(HelpGroup):
    """The command group, with a look at the raw arguments before click binds them."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:  # noqa: ANN001
        check_repeated_options(list(args))
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=StylesimGroup,
    name="stylesim",
    help="Measure how alike two LLMs' language patterns are, with calibrated statistics.",
    epilog=examples(
        ("Compare two models against a fetched panel, with an HTML report:",
         "stylesim compare a.jsonl b.jsonl --panel alpaca-eval --out report.html"),
        ("Any command's options and examples:", "stylesim compare --help"),
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"stylesim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Measure how alike two LLMs' language patterns are, with calibrated statistics."""
    from .._env import check_source_date_epoch
    from ._common import user_errors

    with user_errors():
        check_source_date_epoch()
