"""``stylesim reproduce``: published similarity analyses, reproduced and then calibrated."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import progress_printer, say, setup_logging, user_errors
from .app import app

reproduce_app = typer.Typer(
    help="Reproduce a published model-similarity analysis and set stylesim's calibrated view beside it.",
    no_args_is_help=True,
)
app.add_typer(reproduce_app, name="reproduce")


@reproduce_app.command("eqbench-similarity")
def eqbench_similarity(
    inputs: list[Path] = typer.Argument(..., help="EQ-Bench result pages (or any output files), or folders of them; one model each."),
    human_profile: Optional[Path] = typer.Option(None, "--human-profile", help="Human n-gram profile (slop-forensics human_slop_profile.json). Without it n-grams are ranked against the pooled other inputs."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the result as JSON."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write a self-contained HTML report."),
    calibrated: bool = typer.Option(True, "--calibrated/--no-calibrated", help="Also run stylesim's calibrated comparison of the pair."),
    seed: int = typer.Option(0, "--seed", help="Seed for every resampling step."),
    resamples: int = typer.Option(200, "--resamples", help="Prompt-bootstrap resamples of the Jaccard distance (0 to skip)."),
    calibrated_resamples: int = typer.Option(500, "--calibrated-resamples", help="Resamples and permutations for the calibrated comparison."),
    embeddings: bool = typer.Option(False, "--embeddings/--no-embeddings", help="Include the sentence-embedding family in the calibrated comparison."),
    top_k: int = typer.Option(5, "--top-k", help="Nearest models listed per model."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    """EQ-Bench Creative Writing v3's "Most Similar To" lists (Jaccard distance of slop profiles)."""
    setup_logging(verbose)
    from ..corpus import load_corpus
    from ..panel import expand_inputs
    from ..reproduce import render_reproduce_html, reproduce_eqbench_similarity
    from ..result import check_output_paths, write_all_atomic

    with user_errors():
        check_output_paths([json_out, out], [*inputs, *([human_profile] if human_profile else [])])
        corpora = [load_corpus(p) for p in expand_inputs(inputs)]
        result = reproduce_eqbench_similarity(
            corpora, human_profile_path=human_profile, top_k=top_k, calibrated=calibrated, seed=seed,
            embeddings=embeddings, n_resamples=resamples, calibrated_resamples=calibrated_resamples,
            progress=progress_printer(verbose),
        )
        # Render everything before writing anything: no half-written outputs.
        rendered = {path: text() for path, text in ((json_out, result.to_json),
                                                    (out, lambda: render_reproduce_html(result))) if path}
        write_all_atomic(list(rendered.items()))
    data = result.to_dict()
    say(data["verdict"]["headline"], bold=True, err=True)
    for name, entry in data["models"].items():
        near = ", ".join(f"{n['model']} ({n['distance']:.3f})" for n in entry["nearest"])
        say(f"{name}  ->  {near}")
    if data.get("calibrated"):
        say(f"calibrated: {data['calibrated']['verdict']['headline']}")
