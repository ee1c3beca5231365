"""``stylesim fetch``: download and verify a published sample set into the user cache."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import console, setup_logging, user_errors
from ._help import HelpCommand, examples
from .app import app


def _size(nbytes: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if nbytes < 1000 or unit == "GB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.1f} {unit}"
        nbytes /= 1000
    return f"{nbytes:.1f} GB"  # pragma: no cover


def _split_models(values: Optional[list[str]]) -> Optional[list[str]]:
    """The models named by --models (None without the option). A --models that names none (an
    empty shell variable, a lone comma) is refused: taken as "every model", it would fetch the
    whole set."""
    from ..errors import ConfigurationError

    if values is None:
        return None
    models = [m.strip() for value in values for m in value.split(",") if m.strip()]
    if not models:
        raise ConfigurationError("--models names no model; leave the option out to fetch every model of the set")
    return models


def _print_list() -> None:
    from ..registry import cache_root, is_installed, load_registry

    sets = load_registry()
    rows = []
    for name, sample_set in sets.items():
        everything = [*sample_set.files, *sample_set.extra_files]
        have = sum(is_installed(name, f) for f in sample_set.files)
        if have == len(sample_set.files):
            state = "fetched"
        elif have:
            state = f"{have}/{len(sample_set.files)} models"
        else:
            state = "-"
        rows.append((name, str(len(sample_set.files)), _size(sum(f.size for f in everything)),
                     sample_set.format, state, sample_set.licence, sample_set.title))
    headers = ("NAME", "MODELS", "SIZE", "FORMAT", "FETCHED", "LICENCE")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells) -> str:  # noqa: ANN001
        return "  ".join(c.rjust(w) if i in (1, 2) else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    typer.echo(line(headers))
    for row in rows:
        typer.echo(line(row[:6]))
        typer.echo(f"  {row[6]}")
    typer.echo(f"\nCache: {cache_root()}")
    typer.echo("Fetch one with: stylesim fetch NAME [--models A,B] [--from DIR]")


@app.command(cls=HelpCommand, epilog=examples(
    ("Two models of the AlpacaEval set (then --panel alpaca-eval uses them):",
     "stylesim fetch alpaca-eval --models gpt4_0613,claude-2.1"),
    ("The registered sets, their sizes and licences, and which are fetched:",
     "stylesim fetch --list"),
))
def fetch(
    name: Optional[str] = typer.Argument(None, help="A sample set from the registry (see --list)."),
    models: Optional[list[str]] = typer.Option(
        None, "--models", "-m", metavar="MODELS", help="Only these models: comma-separated, or repeat the option."
    ),
    source_dir: Optional[Path] = typer.Option(
        None, "--from", metavar="DIR", help="Copy from a local copy of the set (its folder, or a folder holding it) instead of downloading."
    ),
    list_sets: bool = typer.Option(False, "--list", help="List the registered sample sets and exit."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    """Download published model outputs into the cache and verify their checksums.

    Afterwards the set's name works as a panel: --panel NAME for all its models, or --panel NAME:model1,model2 for some of them.
    """
    setup_logging(verbose)
    from ..errors import ConfigurationError

    with user_errors():
        if list_sets:
            _print_list()
            return
        if not name:
            raise ConfigurationError("name a sample set to fetch (stylesim fetch --list shows them)")
        from rich.markup import escape

        from ..fetch import fetch as fetch_set
        from ..registry import get_set

        sample_set = get_set(name)
        selected = _split_models(models)
        files = sample_set.selected_files(selected)
        source = f"{sample_set.source.get('repository', '')} @ {str(sample_set.source.get('commit', ''))[:12]}"
        if sample_set.warning:
            console.print(f"[yellow]Licence: {escape(sample_set.licence)}.[/yellow] "
                          f"{escape(sample_set.warning)} ({escape(source)})")
        else:
            console.print(f"Licence: {escape(sample_set.licence)} ({escape(source)})")
        result = _run_with_progress(fetch_set, name, selected, source_dir, files)

    if result.unavailable:
        console.print(
            f"[yellow]Warning:[/yellow] {len(result.unavailable)} file(s) have no download URL and "
            "were not installed; copy them with --from DIR: "
            + ", ".join(f.model or f.path for f in result.unavailable)
        )
    how = "copied" if source_dir else "downloaded"
    typer.echo(
        f"{name}: {len(result.files)} file(s) in {result.directory} "
        f"({len(result.fetched)} {how}, {len(result.cached)} already present)"
    )
    if result.files:
        typer.echo(f"Use it as a panel: stylesim compare A B --panel {name}")


def _run_with_progress(fetch_set, name, models, source_dir, files):  # noqa: ANN001, ANN202
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    total = sum(f.size for f in files)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(name, total=total)
        counted: dict[str, int] = {}
        expected = [total]

        def on_progress(event) -> None:  # noqa: ANN001
            path = event.file.path
            if event.status == "unavailable":
                expected[0] -= event.file.size
                bar.update(task, total=max(0, expected[0]))
                return
            before = counted.get(path, 0)
            now = event.done if event.status != "restart" else 0
            counted[path] = now
            bar.update(task, advance=now - before, description=f"{name}: {event.file.model or Path(path).name}")

        return fetch_set(name, models=models, source_dir=source_dir, progress=on_progress)
