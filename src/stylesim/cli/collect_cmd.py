"""``stylesim collect``: run a prompt set against an OpenAI-compatible endpoint."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from ._common import console, setup_logging, user_errors
from ._help import HelpCommand, examples
from .app import app

SHOWN_FAILURES = 10


def _opt(*names: str, help: str, metavar: str | None = None) -> typer.models.OptionInfo:
    return typer.Option(*names, help=help, metavar=metavar)


@app.command(cls=HelpCommand, epilog=examples(
    ("The core prompt set from one model, the API key read from $OPENAI_API_KEY:",
     ["stylesim collect --prompts core --model gpt-4o-mini --out gpt.jsonl",
      "--base-url https://api.openai.com/v1"]),
    ("Two samples per prompt from a local server; re-run the same command to resume:",
     ["stylesim collect --prompts core --model my-model --samples 2 -o mine.jsonl",
      "--base-url http://localhost:8000/v1"]),
))
def collect(
    prompts: Annotated[str, _opt("--prompts", metavar="SET", help="Built-in set (core) or JSONL prompt file.")],
    model: Annotated[str, _opt("--model", metavar="NAME", help="Model name sent to the endpoint.")],
    base_url: Annotated[str, _opt("--base-url", metavar="URL", help="API base, e.g. https://api.openai.com/v1")],
    out: Annotated[Path, _opt("--out", "-o", metavar="FILE", help="Output JSONL; re-running resumes it.")],
    api_key_env: Annotated[str, _opt(
        "--api-key-env", metavar="VAR", help="Environment variable with the API key (may be unset locally)."
    )] = "OPENAI_API_KEY",
    samples: Annotated[int, _opt("--samples", metavar="K", help="Outputs per prompt.")] = 1,
    temperature: Annotated[float, _opt("--temperature", metavar="T", help="Sampling temperature, 0-2.")] = 1.0,
    max_tokens: Annotated[int, _opt("--max-tokens", metavar="N", help="Maximum tokens per output.")] = 1024,
    system: Annotated[str | None, _opt(
        "--system", metavar="TEXT", help="System prompt for every prompt that has none of its own."
    )] = None,
    concurrency: Annotated[int, _opt("--concurrency", metavar="C", help="Requests in flight at once.")] = 4,
    limit: Annotated[int | None, _opt("--limit", metavar="N", help="Only the first N prompts.")] = None,
    timeout: Annotated[float, _opt("--timeout", metavar="SECONDS", help="Seconds to wait for a response.")] = 300.0,
    max_attempts: Annotated[int, _opt(
        "--max-attempts", metavar="N", help="Attempts per pair before it counts as failed."
    )] = 6,
    retry_after_cap: Annotated[float, _opt(
        "--retry-after-cap", metavar="SECONDS", help="Longest Retry-After wait honoured, in seconds."
    )] = 120.0,
    backoff_base: Annotated[float, _opt(
        "--backoff-base", metavar="SECONDS", help="First backoff ceiling in seconds; doubles per attempt."
    )] = 1.0,
    backoff_max: Annotated[float, _opt("--backoff-max", metavar="SECONDS", help="Largest backoff ceiling in seconds.")] = 60.0,
    verbose: Annotated[bool, _opt("--verbose", "-v", help="Log retries and details.")] = False,
) -> None:
    """Collect outputs for a prompt set from an OpenAI-compatible chat-completions endpoint."""
    setup_logging(verbose)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
    from ..collect import CollectConfig
    from ..collect import collect as run_collect

    config = CollectConfig(
        prompts=prompts, model=model, base_url=base_url, out=out, api_key_env=api_key_env,
        samples=samples, temperature=temperature, max_tokens=max_tokens, system=system,
        concurrency=concurrency, limit=limit, timeout_s=timeout, max_attempts=max_attempts,
        retry_after_cap_s=retry_after_cap, backoff_base_s=backoff_base, backoff_max_s=backoff_max,
    )
    columns = (TextColumn("collect"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    progress = Progress(*columns, console=console, transient=True, disable=not console.is_terminal)
    tasks: list[TaskID] = []

    def on_progress(done: int, total: int) -> None:
        if not tasks:  # start the bar only once the run is under way, not before an early error
            progress.start()
            tasks.append(progress.add_task("collect", total=total))
        progress.update(tasks[0], completed=done, total=total)

    with user_errors():
        try:
            result = run_collect(config, on_progress=on_progress)
        finally:
            if tasks:
                progress.stop()
    wrote = (f"{result.written} new outputs written to {result.out}" if result.written or Path(result.out).exists()
             else f"no outputs written ({result.out} was not created)")
    typer.echo(
        f"{wrote}; "
        f"{result.planned - len(result.failed)} of {result.planned} pairs done "
        f"({result.skipped} were there already)."
    )
    if result.failed:
        for failure in result.failed[:SHOWN_FAILURES]:
            typer.echo(f"  {failure.prompt_id} sample {failure.sample}: {failure.reason}", err=True)
        if len(result.failed) > SHOWN_FAILURES:
            typer.echo(f"  ... and {len(result.failed) - SHOWN_FAILURES} more", err=True)
        typer.echo(
            f"Error: {len(result.failed)} of {result.planned} pairs failed; "
            "re-run the same command to retry them.",
            err=True,
        )
        raise typer.Exit(1)
