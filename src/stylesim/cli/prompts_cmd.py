"""``stylesim prompts list|show|export``: the built-in prompt sets and prompt files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ._common import terminal_safe, user_errors
from ._help import HelpCommand, HelpGroup, examples
from .app import app

prompts_app = typer.Typer(
    cls=HelpGroup,
    help="List, show and export prompt sets (built-in names or JSONL files).",
    epilog=examples(
        ("The built-in sets:", "stylesim prompts list"),
        ("One category of the core set as a JSONL prompt file:",
         "stylesim prompts export core --category code --out code.jsonl"),
    ),
    no_args_is_help=True,
)
app.add_typer(prompts_app, name="prompts")

NameOrFile = Annotated[
    str, typer.Argument(help="A built-in set (core, stylesim-core-v1) or a JSONL prompt file.")
]
CategoryOption = Annotated[
    str | None, typer.Option("--category", "-c", metavar="CATEGORY", help="Only this category.")
]
stdout = Console(highlight=False)


def _first_line(text: str, width: int = 90) -> str:
    lines = text.strip().splitlines() or [""]
    line = lines[0]
    if len(line) > width:
        return line[: width - 3] + "..."
    return line + (" ..." if len(lines) > 1 else "")


@prompts_app.command("list", cls=HelpCommand, epilog=examples(
    ("Each built-in set with its version, size and sha256:", "stylesim prompts list"),
))
def list_sets() -> None:
    """The built-in prompt sets with their version, size and content hash."""
    from ..prompts import ALIASES, builtin_sets

    with user_errors():
        sets = builtin_sets()
    for prompt_set in sets:  # one line per set, easy to read and to grep
        aliases = ", ".join(a for a, stem in ALIASES.items() if stem == prompt_set.label)
        typer.echo(
            f"{prompt_set.label}  version {prompt_set.version}  {len(prompt_set.prompts)} prompts "
            f"in {len(prompt_set.categories())} categories  sha256 {prompt_set.sha256}"
            + (f"  (also: {aliases})" if aliases else "")
        )


@prompts_app.command("show", cls=HelpCommand, epilog=examples(
    ("The first line of every prompt in the core set:", "stylesim prompts show core"),
    ("Whole prompts of one category of a prompt file:",
     "stylesim prompts show my-prompts.jsonl --category code --full"),
))
def show(
    name_or_file: NameOrFile,
    category: CategoryOption = None,
    full: Annotated[bool, typer.Option("--full", help="Whole prompts, not first lines.")] = False,
) -> None:
    """Show a prompt set as a table of id, category and prompt."""
    from ..prompts import load_prompt_set

    with user_errors():
        prompt_set = load_prompt_set(name_or_file)
        prompts = prompt_set.filter(category) if category else prompt_set.prompts
    # Prompt files are untrusted: every value is plain Text (a "[/bold]" in a prompt is text, not
    # markup) with control and direction-changing characters removed.
    counts = ", ".join(f"{name} {n}" for name, n in prompt_set.categories().items())
    heading = Text(terminal_safe(prompt_set.label), style="bold")
    heading.append(terminal_safe(f": {len(prompt_set.prompts)} prompts, sha256 {prompt_set.sha256}\n{counts}"))
    stdout.print(heading)
    table = Table("id", "category", "prompt", show_lines=full)
    for prompt in prompts:
        text = prompt.prompt if full else _first_line(prompt.prompt)
        table.add_row(*(Text(terminal_safe(value)) for value in (prompt.id, prompt.category or "-", text)))
    stdout.print(table)


@prompts_app.command("export", cls=HelpCommand, epilog=examples(
    ("The core set as a JSONL prompt file, to edit or to collect with:",
     "stylesim prompts export core --out prompts.jsonl"),
))
def export(
    name_or_file: NameOrFile,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The JSONL file to write.")],
    category: CategoryOption = None,
) -> None:
    """Write a prompt set (or one category of it) as a JSONL prompt file."""
    from ..prompts import export_prompt_set

    with user_errors():
        count = export_prompt_set(name_or_file, out, category=category)
    typer.echo(f"Wrote {count} prompts to {out}")
