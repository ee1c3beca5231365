"""``stylesim reproduce``: published similarity analyses, reproduced and then calibrated."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import progress_display, say, setup_logging, user_errors, write_outputs
from ._help import HelpCommand, HelpGroup, examples
from .app import app

reproduce_app = typer.Typer(
    cls=HelpGroup,
    help="Reproduce a published model-similarity analysis and set stylesim's calibrated view beside it.",
    epilog=examples(
        ("EQ-Bench's \"Most Similar To\" lists from a folder of its result pages:",
         "stylesim reproduce eqbench-similarity pages/ --out report.html"),
    ),
    no_args_is_help=True,
)
app.add_typer(reproduce_app, name="reproduce")


@reproduce_app.command("eqbench-similarity", cls=HelpCommand, epilog=examples(
    ("The lists from a folder of result pages, with the report and the JSON result:",
     "stylesim reproduce eqbench-similarity pages/ --out report.html --json r.json"),
    ("N-grams ranked against a human profile instead of the pooled other models:",
     "stylesim reproduce eqbench-similarity pages/ --human-profile human.json"),
))
def eqbench_similarity(
    inputs: list[Path] = typer.Argument(..., help="EQ-Bench result pages (or any output files), or folders of them; one model each."),
    human_profile: Optional[Path] = typer.Option(None, "--human-profile", metavar="FILE", help="A human n-gram profile: the JSON file slop-forensics writes for human text. Without it, n-grams are ranked against the pooled other inputs."),
    json_out: Optional[Path] = typer.Option(None, "--json", metavar="FILE", help="Write the result as JSON (- for standard output)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="FILE", help="Write a self-contained HTML report."),
    calibrated: bool = typer.Option(True, "--calibrated/--no-calibrated", help="Also run stylesim's calibrated comparison of the pair."),
    seed: int = typer.Option(0, "--seed", metavar="SEED", help="Seed for every resampling step."),
    resamples: int = typer.Option(200, "--resamples", metavar="N", help="Prompt-bootstrap resamples of the Jaccard distance (0 to skip)."),
    calibrated_resamples: int = typer.Option(500, "--calibrated-resamples", metavar="N", help="Resamples and permutations for the calibrated comparison (at least 19)."),
    embeddings: bool = typer.Option(False, "--embeddings/--no-embeddings", help="Include the sentence-embedding family in the calibrated comparison."),
    top_k: int = typer.Option(5, "--top-k", metavar="K", help="Nearest models listed per model."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only warnings and errors (for scripts)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    """EQ-Bench Creative Writing v3's "Most Similar To" lists (Jaccard distance of slop profiles)."""
    setup_logging(verbose)
    from ..corpus import load_corpora
    from ..panel import expand_inputs
    from ..reproduce import reproduce_eqbench_similarity
    from ..result import check_output_paths

    with user_errors(), progress_display(verbose, quiet) as progress:
        paths = expand_inputs(inputs)  # the files inside a folder are inputs too: never an output
        check_output_paths([json_out, out], [*inputs, *paths, *([human_profile] if human_profile else [])],
                           stdout_ok=(0,))
        corpora = load_corpora(paths)
        result = reproduce_eqbench_similarity(
            corpora, human_profile_path=human_profile, top_k=top_k, calibrated=calibrated, seed=seed,
            embeddings=embeddings, n_resamples=resamples, calibrated_resamples=calibrated_resamples,
            progress=progress,
        )
        write_outputs(result, out, json_out)  # rendered before anything is written; --json - to stdout
    if quiet:
        return
    data = result.to_dict()
    # Like compare's summary: standard output, unless it carries the JSON.
    err = json_out is not None and str(json_out) == "-"
    say(data["verdict"]["headline"], bold=True, err=err)
    for detail in data["verdict"].get("details") or []:  # why the figure differs, what was not matched
        say(f"  - {detail}", err=err)
    for name, entry in data["models"].items():
        near = ", ".join(f"{n['model']} ({n['distance']:.3f})" for n in entry["nearest"])
        say(f"{name}  ->  {near}", err=err)
    if data.get("calibrated"):
        from ..reproduce.choices import selection_notes

        say(f"calibrated: {data['calibrated']['verdict']['headline']}", err=err)
        for note in selection_notes(data["calibrated"], data["reproduced"]):  # the pair was picked on these outputs
            say(f"  {note}", err=err)
