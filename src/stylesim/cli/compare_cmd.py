"""``stylesim compare`` and ``stylesim attribute``."""

from __future__ import annotations

from pathlib import Path

import typer

from ..features import ALL_FAMILY_NAMES
from ..formats import names as format_names
from ._common import (
    check_outputs,
    progress_display,
    setup_logging,
    summarise,
    user_errors,
    write_outputs,
)
from ._help import HelpCommand, examples
from .app import app

PANEL_HELP = (
    "Other models' outputs on the same prompts: the floor for A-B. One file per --panel (repeat it), "
    "or the name of a fetched sample set (NAME or NAME:model1,model2; see stylesim fetch --list). "
    "About 19 or more panel models are needed for p <= 0.05."
)
BASE_HELP = (
    "A base model (or a sibling student) whose voice is partialled out of the first model's answers "
    "before agreement is measured; one file per --base (repeat it), or NAME:model of a fetched sample set."
)
FORMAT_HELP = f"Force the input format instead of detecting it: {', '.join(format_names())}."
FAMILY_HELP = f"Restrict to these feature families (repeat the option): {', '.join(ALL_FAMILY_NAMES)}."


@app.command(cls=HelpCommand, epilog=examples(
    ("Two models against a fetched sample set as the panel, with an HTML report:",
     "stylesim compare a.jsonl b.jsonl --panel alpaca-eval --out report.html"),
    ("Two files alone, without embeddings, the JSON result on standard output:",
     "stylesim compare a.jsonl b.jsonl --no-embeddings --json -"),
))
def compare(
    a: Path = typer.Argument(..., help="Outputs of model A (any supported format)."),
    b: Path = typer.Argument(..., help="Outputs of model B."),
    panel: list[Path] | None = typer.Option(None, "--panel", "-p", metavar="FILE", help=PANEL_HELP),
    base: list[Path] | None = typer.Option(None, "--base", metavar="FILE", help=BASE_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", metavar="FILE", help="Write a self-contained HTML report."),
    json_out: Path | None = typer.Option(None, "--json", metavar="FILE", help="Write the result as JSON (- for standard output)."),
    no_embeddings: bool = typer.Option(False, "--no-embeddings", help="Skip the sentence-embedding family."),
    embedding_model: str | None = typer.Option(None, "--embedding-model", metavar="NAME", help="A sentence-transformers model: a local folder, or a name already in the Hugging Face cache (default: packaged all-MiniLM-L6-v2; nothing is downloaded)."),
    device: str | None = typer.Option(None, "--device", metavar="DEVICE", help="cpu, cuda or mps for embeddings."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", metavar="DIR", envvar="STYLESIM_CACHE_DIR", help="Embedding cache folder."),
    seed: int = typer.Option(0, "--seed", metavar="SEED", help="Seed for every resampling step."),
    resamples: int = typer.Option(2000, "--resamples", metavar="N", help="Cluster-bootstrap resamples over prompts."),
    permutations: int = typer.Option(2000, "--permutations", metavar="N", help="Within-prompt label permutations (at least 19; the smallest p is 1/(N + 1))."),
    min_prompts: int = typer.Option(20, "--min-prompts", metavar="N", help="Refuse with fewer prompts in common (variants of one prompt count once)."),
    input_format: str | None = typer.Option(None, "--format", metavar="FORMAT", help=FORMAT_HELP),
    family: list[str] | None = typer.Option(None, "--family", metavar="FAMILY", help=FAMILY_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only warnings and errors (for scripts)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    """Compare two models' outputs on the same prompts: how alike, and how strong the evidence."""
    setup_logging(verbose)
    from .. import compare as run_compare
    from ..corpus import load_corpora
    from ..panel_inputs import resolve_panel

    with user_errors(), progress_display(verbose, quiet) as progress:
        panel_paths = resolve_panel(panel or [], exclude=[a, b])  # a named set's files are inputs too
        base_paths = resolve_panel(base or [], option="--base")  # roles refuses A or B as a base
        check_outputs([a, b, *panel_paths, *base_paths], out, json_out)
        loaded = load_corpora([a, b, *panel_paths, *base_paths], format=input_format)
        corpora, bases = loaded[: 2 + len(panel_paths)], loaded[2 + len(panel_paths) :]
        result = run_compare(
            corpora[0], corpora[1], panel=corpora[2:], base=bases, seed=seed, n_resamples=resamples,
            n_permutations=permutations, embeddings=not no_embeddings, embedding_model=embedding_model,
            device=device, cache_dir=str(cache_dir) if cache_dir else None, families=family,
            min_prompts=min_prompts, progress=progress,
        )
        write_outputs(result, out, json_out)
    from ..report import fmt

    similarity = result.similarity
    lines = []
    if result.agreement:
        agreement = result.agreement["overall"]
        lines.append(f"  same-prompt agreement  {_num(agreement['estimate'])}  ({_ci(agreement)}), "
                     f"t = {_num(result.agreement.get('t'), 2)}")
    if result.panel:
        lines.append(f"  rank among the panel   {result.panel['rank']} of {result.panel['n']}  "
                     f"(p = {fmt.pval(result.panel['pvalue'])}, smallest possible {fmt.pval(result.panel['pvalue_min'])})")
    # What one panel model or half of the panel left out does is said by the verdict's notes, which
    # summarise() prints below these numbers.
    for key, label in (("centred", "resemblance, centred  "), ("uncentred", "resemblance, uncentred")):
        if similarity.get(key):
            value = similarity[key]
            lines.append(f"  {label} {_num(value['estimate'])}  ({_ci(value)})")
    summarise(result, lines, quiet=quiet, json_path=json_out)


def _num(value: object, digits: int = 3) -> str:
    return "n/a" if not isinstance(value, (int, float)) else f"{value:.{digits}f}".replace("-", "\u2212")


def _ci(entry: dict) -> str:
    """``95% CI 0.277 to 0.335``, or, for an estimate whose interval was withheld, what the report
    says (before 0.3.15 the terminal printed "95% CI n/a to n/a")."""
    if isinstance(entry.get("estimate"), (int, float)) and not all(
            isinstance(entry.get(k), (int, float)) for k in ("ci_low", "ci_high")):
        return "no 95% CI: unstable over prompt resamples"
    return f"95% CI {_num(entry.get('ci_low'))} to {_num(entry.get('ci_high'))}"


@app.command(cls=HelpCommand, epilog=examples(
    ("Which of two candidate teachers the student is closest to, against a fetched panel:",
     "stylesim attribute student.jsonl t1.jsonl t2.jsonl --panel alpaca-eval"),
    ("The same with the student's base model partialled out:",
     "stylesim attribute student.jsonl t1.jsonl t2.jsonl --base base.jsonl"),
))
def attribute(
    student: Path = typer.Argument(..., help="Outputs of the model under suspicion (the student)."),
    candidates: list[Path] = typer.Argument(..., help="Outputs of candidate teachers."),
    panel: list[Path] | None = typer.Option(None, "--panel", "-p", metavar="FILE", help=PANEL_HELP.replace("A-B", "the candidates").replace(
        "About 19 or more panel models are needed", "About 19 panel models per candidate are needed")),
    base: list[Path] | None = typer.Option(None, "--base", metavar="FILE", help=BASE_HELP.replace("the first model", "the student")),
    out: Path | None = typer.Option(None, "--out", "-o", metavar="FILE", help="Write a self-contained HTML report."),
    json_out: Path | None = typer.Option(None, "--json", metavar="FILE", help="Write the result as JSON (- for standard output)."),
    no_embeddings: bool = typer.Option(False, "--no-embeddings", help="Skip the sentence-embedding family."),
    embedding_model: str | None = typer.Option(None, "--embedding-model", metavar="NAME", help="A sentence-transformers model: a local folder, or a name already in the Hugging Face cache (default: packaged all-MiniLM-L6-v2; nothing is downloaded)."),
    device: str | None = typer.Option(None, "--device", metavar="DEVICE", help="cpu, cuda or mps for embeddings."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", metavar="DIR", envvar="STYLESIM_CACHE_DIR", help="Embedding cache folder."),
    seed: int = typer.Option(0, "--seed", metavar="SEED", help="Seed for every resampling step."),
    resamples: int = typer.Option(2000, "--resamples", metavar="N", help="Cluster-bootstrap resamples over prompts."),
    permutations: int = typer.Option(2000, "--permutations", metavar="N", help="Prompt-level sign flips for the test against the background (at least 19; the smallest p is 1/(N + 1))."),
    min_prompts: int = typer.Option(20, "--min-prompts", metavar="N", help="Refuse with fewer prompts in common (variants of one prompt count once)."),
    input_format: str | None = typer.Option(None, "--format", metavar="FORMAT", help=FORMAT_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only warnings and errors (for scripts)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    """Which candidate teacher is the student's language closest to?"""
    setup_logging(verbose)
    from .. import attribute as run_attribute
    from ..corpus import load_corpora
    from ..panel_inputs import resolve_panel

    with user_errors(), progress_display(verbose, quiet) as progress:
        panel_paths = resolve_panel(panel or [], exclude=[student, *candidates])
        base_paths = resolve_panel(base or [], option="--base")  # roles refuses the student or a candidate
        check_outputs([student, *candidates, *panel_paths, *base_paths], out, json_out)
        focus = [student, *candidates, *panel_paths]
        loaded = load_corpora([*focus, *base_paths], format=input_format)
        corpora, bases = loaded[: len(focus)], loaded[len(focus) :]
        result = run_attribute(
            corpora[0], corpora[1 : 1 + len(candidates)], panel=corpora[1 + len(candidates) :], base=bases,
            seed=seed, n_resamples=resamples, n_permutations=permutations, embeddings=not no_embeddings,
            embedding_model=embedding_model, device=device,
            cache_dir=str(cache_dir) if cache_dir else None, min_prompts=min_prompts,
            progress=progress,
        )
        write_outputs(result, out, json_out)
    from ..report import fmt

    lines = [f"{row['rank']:>3}  {row['name']}  {row['statistic']} {_num(row['score'])} "
             f"({_ci({'estimate': row['score'], **row})})  t = {_num(row.get('t'), 2)}  "
             f"p = {fmt.pval(row['pvalue']) if row['pvalue'] is not None else 'n/a (no panel)'}"
             for row in result.candidates]
    # The leave-one-out and half-panel views are in the verdict's notes, printed by summarise().
    summarise(result, lines, quiet=quiet, json_path=json_out)
