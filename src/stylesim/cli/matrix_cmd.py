"""``stylesim matrix``: many models at once."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

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
from .compare_cmd import FORMAT_HELP


@app.command(cls=HelpCommand, epilog=examples(
    ("Every model in a folder, with an HTML report and the tree in Newick format:",
     "stylesim matrix outputs/ --out matrix.html --newick tree.nwk"),
    ("Chosen files, without embeddings, the JSON result on standard output:",
     "stylesim matrix a.jsonl b.jsonl c.jsonl d.jsonl --no-embeddings --json -"),
))
def matrix(
    inputs: list[Path] = typer.Argument(..., help="Output files, or folders of them (one model per file; a folder's own files, not its subfolders). At least 4 models: each pair's agreement is centred on two or more others."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="FILE", help="Write a self-contained HTML report."),
    json_out: Optional[Path] = typer.Option(None, "--json", metavar="FILE", help="Write the result as JSON (- for standard output)."),
    newick: Optional[Path] = typer.Option(None, "--newick", metavar="FILE", help="Write the tree in Newick format, with each branch's bootstrap support as its node label."),
    no_embeddings: bool = typer.Option(False, "--no-embeddings", help="Skip the sentence-embedding family."),
    embedding_model: Optional[str] = typer.Option(None, "--embedding-model", metavar="NAME", help="A sentence-transformers model: a local folder, or a name already in the Hugging Face cache (default: packaged all-MiniLM-L6-v2; nothing is downloaded)."),
    device: Optional[str] = typer.Option(None, "--device", metavar="DEVICE", help="cpu, cuda or mps for embeddings."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", metavar="DIR", envvar="STYLESIM_CACHE_DIR", help="Embedding cache folder."),
    seed: int = typer.Option(0, "--seed", metavar="SEED", help="Seed for every resampling step."),
    resamples: int = typer.Option(200, "--resamples", metavar="N", help="Prompt-bootstrap resamples (tree support and CIs)."),
    permutations: int = typer.Option(1000, "--permutations", metavar="N", help="Prompt-level sign flips for nearest-neighbour p-values (at least 19; the smallest p is 1/(N + 1))."),
    min_prompts: int = typer.Option(20, "--min-prompts", metavar="N", help="Refuse with fewer prompts in common (variants of one prompt count once)."),
    input_format: Optional[str] = typer.Option(None, "--format", metavar="FORMAT", help=FORMAT_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only warnings and errors (for scripts)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    """Pairwise same-prompt agreement and resemblance of many models, nearest neighbours, and a bootstrap-supported tree."""
    setup_logging(verbose)
    from ..corpus import load_corpora
    from ..panel import expand_inputs, similarity_matrix
    with user_errors(), progress_display(verbose, quiet) as progress:
        check_outputs(inputs, out, json_out, newick)  # before a folder's files are read to find inputs
        paths = expand_inputs(inputs)
        check_outputs([*inputs, *paths], out, json_out, newick)
        corpora = load_corpora(paths, format=input_format)
        result = similarity_matrix(
            corpora, seed=seed, n_resamples=resamples, n_permutations=permutations, embeddings=not no_embeddings,
            embedding_model=embedding_model, device=device,
            cache_dir=str(cache_dir) if cache_dir else None, min_prompts=min_prompts,
            progress=progress,
        )
        write_outputs(result, out, json_out,
                      extra=[(newick, result.to_dict()["tree"]["newick"] + "\n")] if newick else [])
    from ..report import fmt

    data = result.to_dict()
    floor = fmt.permutation_floor(data)  # a sign-flip p at 1/(B + 1) is only bounded: "p ≤"
    lines = [f"{row['model']}  ->  {row['nearest']}  agreement {fmt.est(row['agreement'])}  t = {fmt.est(row['t'], 2)}  "
             f"p {fmt.p_relation(row['pvalue'], floor)}  {'mutual' if row['mutual'] else ''}".rstrip()
             for row in data["nearest"]]
    summarise(result, lines, quiet=quiet, json_path=json_out)
