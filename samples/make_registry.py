"""Regenerate ``samples/registry.json``: checksums and sizes of published sample sets.

The registry lists public collections of model outputs that ``stylesim fetch NAME`` can
download and verify (see ``stylesim.registry``). It holds metadata only: where each file comes
from (a raw.githubusercontent.com URL pinned to a commit), its licence, its stylesim input
format, and the sha256 and size of every file. No file contents are stored.

Checksums and sizes are computed from a local copy of each set whose provenance is written
down below (one folder per set, each keeping the upstream repo-relative paths, as in
``../shared/corpora``). The file lists come from the local copy too: a set lists the files the
copy holds, which may be fewer than upstream has.

Usage (standard library only)::

    python samples/make_registry.py                         # reads ../shared/corpora
    python samples/make_registry.py --corpora DIR --out FILE
    python samples/make_registry.py --check                 # exit 1 if registry.json is stale
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
DEFAULT_CORPORA = HERE.parent.parent / "shared" / "corpora"
DEFAULT_OUT = HERE / "registry.json"

REGISTRY_VERSION = 1

# Appended to every set's notes: the outputs were produced by other parties' models.
PROVIDER_TERMS = "The outputs are also subject to each model provider's terms."

#: Provenance of each set. ``folder``: the local copy's folder name. ``models``: glob patterns
#: (relative to the folder) for the per-model output files, and how the model name is taken from
#: the path ("stem": the file name without extension; "parent": the containing folder's name).
#: ``extra``: other files, fetched with every selection (or with their model, when ``model_from``
#: is set). ``overrides``: per-file provenance that differs from the set's.
SETS: dict[str, dict] = {
    "alpaca-eval": {
        "title": "AlpacaEval model outputs (805 instructions)",
        "folder": "alpaca_eval",
        "repository": "tatsu-lab/alpaca_eval",
        "commit": "cd543a149df89434d8a54582c0151c0b945c3d20",
        "licence": "CC BY-NC 4.0 (data); Apache-2.0 (code)",
        "warning": "AlpacaEval data is licensed CC BY-NC 4.0: non-commercial use only.",
        "format": "alpaca_eval",
        "prompts": 805,
        "notes": (
            "results/<model>/model_outputs.json: a JSON list of 805 {instruction, dataset, output, "
            "generator}, the instructions in the same order in every file. Upstream holds 228 "
            "models; the registry lists the 26 with a verified copy. Each model's decoding config "
            "(src/alpaca_eval/models_configs/<model>/configs.yaml) is fetched with it."
        ),
        "models": [("results/*/model_outputs.json", "parent")],
        "extra": [],
        "model_extra": [
            # (local path, upstream path); {model} is filled in per model.
            ("models_configs/{model}/configs.yaml", "src/alpaca_eval/models_configs/{model}/configs.yaml"),
        ],
        "overrides": {},
    },
    "eqbench-creative-writing-v3": {
        "title": "EQ-Bench Creative Writing v3 per-model result pages",
        "folder": "eqbench-creative-writing-v3",
        "repository": "EQ-bench/creative-writing-bench",
        "commit": "e7ab00917c96aeae577e3eeea15eba882be9d5e0",
        "licence": "none stated",
        "warning": (
            "EQ-Bench states no licence for these pages: they are the publicly published samples "
            "behind eqbench.com. Use them for research and testing only and do not redistribute them."
        ),
        "format": "eqbench",
        "prompts": 96,
        "notes": (
            "One self-contained HTML report per model: 32 prompts x 3 iterations = 96 outputs "
            "(stylesim prompt ids 'P.I'). The judge's analyses in the pages are not model text and "
            "stylesim's eqbench reader skips them. data/creative_writing_prompts_v3.json holds the "
            "prompts; data/slop_list*.json are EQ-Bench's over-used word and n-gram lists. The "
            "Mistral-Small-3.2 page is not from this repository: see its own note."
        ),
        "models": [("results/*.html", "stem")],
        "extra": [
            "data/creative_writing_prompts_v3.json",
            "data/slop_list.json",
            "data/slop_list_bigrams.json",
            "data/slop_list_trigrams.json",
        ],
        "model_extra": [],
        "overrides": {
            "results/mistralai__Mistral-Small-3.2-24B-Instruct-2506.html": {
                "url": None,
                "source": {
                    "repository": "https://github.com/EQ-bench/EQ-bench-site",
                    "commit": None,
                    "path": "results/creative-writing-v3/mistralai__Mistral-Small-3.2-24B-Instruct-2506.html",
                },
                "note": (
                    "Not in EQ-bench/creative-writing-bench. Reassembled from the stored text of "
                    "github.com/EQ-bench/EQ-bench-site (results/creative-writing-v3/, commit not "
                    "recorded). The prompts and the 96 outputs are verbatim (the same procedure "
                    "reproduced the site's DeepSeek-V3-0324 page's 46 of 46 outputs byte for byte), "
                    "but the CSS, scripts and judge analyses are left out and the markup differs "
                    "slightly, so this checksum is of the reassembled copy and does NOT match the "
                    "upstream file. No download URL: it can only be installed with --from DIR."
                ),
            },
        },
    },
    "not-x-but-y-bench": {
        "title": "not-x-but-y-bench generations (150 creative + 150 essay prompts)",
        "folder": "not-x-but-y-bench",
        "repository": "sam-paech/not-x-but-y-bench",
        "commit": "a7ceb51c48c3a0c268fe82009d98661b4ee440e2",
        "licence": "MIT",
        "warning": None,
        "format": "notxbuty",
        "prompts": 300,
        "notes": (
            "results/<model>.json: {model id: {params, samples: [{prompt_index, prompt, output, "
            "...}], summary}}, generated at T=0.7, min_p=0.1. prompts.json lists the 300 prompts "
            "(0-149 creative writing, 150-299 essay reconstruction); compare within one prompt "
            "type. Some files cover fewer prompts (gemma-3-4b-it and the Claude files: 0-149 "
            "only; polaris-alpha: 70). The licence is stated in the repository's README and "
            "pyproject.toml; it has no LICENSE file."
        ),
        "models": [("results/*.json", "stem")],
        "extra": ["prompts.json"],
        "model_extra": [],
        "overrides": {},
    },
    "arena-bench-v1": {
        "title": "Arena-Bench-v1 answers (the precursor of Arena-Hard)",
        "folder": "arena-bench-v1",
        "repository": "lmarena/arena-hard-auto",
        "commit": "4a705dd6963f777aba2ae79259e3013934e6e012",
        "licence": "Apache-2.0",
        "warning": None,
        "format": "fastchat",
        "prompts": 300,
        "notes": (
            "Not at the repository's HEAD: recovered from the historical commit 4a705dd (2023-12-14). "
            "FastChat llm_judge JSONL, one answer per line; data/arena-bench-v1/question.jsonl "
            "holds the 300 questions (Chatbot Arena user prompts). The registry lists 12 of the "
            "17 models present at that commit. LICENSE is taken from HEAD (196f6b8), as the "
            "historical commit's licence file was not checked."
        ),
        "models": [("data/arena-bench-v1/model_answer/*.jsonl", "stem")],
        "extra": ["data/arena-bench-v1/question.jsonl", "LICENSE"],
        "model_extra": [],
        "overrides": {
            "LICENSE": {"commit": "196f6b826783b3da7310e361a805fa36f0be83f3"},
        },
    },
    "wildbench": {
        "title": "WildBench v2 model outputs (in score-eval files)",
        "folder": "wildbench",
        "repository": "allenai/WildBench",
        "commit": "d6b8dcaf377d173d031980f97c16e1a82618c03d",
        "licence": "Apache-2.0",
        "warning": None,
        "format": "wildbench",
        "prompts": 1024,
        "notes": (
            "eval_results/v2.0522/score.v2/eval=<judge>/<model>.json: a JSON list of {session_id, "
            "model_output, parsed_result, ...}; only model_output is the model's text (parsed_result "
            "is the judge's critique). The task prompts are not included: align on session_id. "
            "Includes six Llama-3-8B models SFT'd on different teachers' data (Magpie baselines). "
            "The repository states no separate data licence; the WildBench tasks themselves are "
            "distributed on Hugging Face."
        ),
        "models": [("eval_results/v2.0522/score.v2/*/*.json", "stem")],
        "extra": ["LICENSE"],
        "model_extra": [],
        "overrides": {},
    },
}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def raw_url(repository: str, commit: str, path: str) -> str:
    """The raw.githubusercontent.com URL of ``path`` at ``commit`` (written as data, never fetched)."""
    return f"https://raw.githubusercontent.com/{repository}/{commit}/{quote(path, safe='/=')}"


def file_entry(root: Path, local: str, upstream: str, spec: dict, model: str | None) -> dict:
    """One file's metadata; ``local`` is its path in the copy, ``upstream`` in the repository."""
    path = root / local
    if not path.is_file():
        raise SystemExit(f"missing: {path}")
    override = spec["overrides"].get(upstream, {})
    commit = override.get("commit", spec["commit"])
    entry: dict = {}
    if model is not None:
        entry["model"] = model
    entry["path"] = upstream
    if local != upstream:
        entry["local_path"] = local
    entry["url"] = override["url"] if "url" in override else raw_url(spec["repository"], commit, upstream)
    entry["sha256"] = sha256_file(path)
    entry["size"] = path.stat().st_size
    if "source" in override:
        entry["source"] = override["source"]
    elif commit != spec["commit"]:
        entry["source"] = {"repository": f"https://github.com/{spec['repository']}", "commit": commit,
                           "path": upstream}
    if "note" in override:
        entry["note"] = override["note"]
    return entry


def build_set(root: Path, spec: dict) -> dict:
    """The registry entry of one set, from its local copy ``root``."""
    files: list[dict] = []
    extra: list[dict] = []
    for pattern, naming in spec["models"]:
        for path in sorted(root.glob(pattern), key=lambda p: p.relative_to(root).as_posix()):
            rel = path.relative_to(root).as_posix()
            model = path.parent.name if naming == "parent" else path.stem
            files.append(file_entry(root, rel, rel, spec, model))
            for local, upstream in spec["model_extra"]:
                local_rel, upstream_rel = local.format(model=model), upstream.format(model=model)
                if (root / local_rel).is_file():
                    extra.append(file_entry(root, local_rel, upstream_rel, spec, model))
    for rel in spec["extra"]:
        extra.append(file_entry(root, rel, rel, spec, None))
    models = [f["model"] for f in files]
    if not files or len(set(models)) != len(models):
        raise SystemExit(f"{root}: no model files, or two files for one model name")
    for entry in files + extra:
        if entry["url"] is not None and spec["commit"] not in entry["url"] and "source" not in entry:
            raise SystemExit(f"{entry['path']}: URL is not pinned to the set's commit")
    notes = spec["notes"] + " " + PROVIDER_TERMS
    return {
        "title": spec["title"],
        "source": {"repository": f"https://github.com/{spec['repository']}", "commit": spec["commit"]},
        "licence": spec["licence"],
        "warning": spec["warning"],
        "format": spec["format"],
        "prompts": spec["prompts"],
        "notes": notes,
        "folder": spec["folder"],
        "files": files,
        "extra_files": extra,
    }


def build_registry(corpora: Path) -> dict:
    """The whole registry, from the local copies under ``corpora`` (one folder per set)."""
    sets = {}
    for name, spec in SETS.items():
        root = corpora / spec["folder"]
        if not root.is_dir():
            raise SystemExit(f"missing local copy of {name}: {root}")
        sets[name] = build_set(root, spec)
    return {"version": REGISTRY_VERSION, "sets": sets}


def render(registry: dict) -> str:
    return json.dumps(registry, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA,
                        help="folder holding one local copy per set (default: ../shared/corpora)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="registry file to write")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if --out differs from what would be written")
    args = parser.parse_args(argv)
    text = render(build_registry(args.corpora))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"{args.out} is out of date; rerun without --check", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    registry = json.loads(text)
    for name, entry in registry["sets"].items():
        every = entry["files"] + entry["extra_files"]
        total = sum(f["size"] for f in every)
        print(f"{name}: {len(entry['files'])} models, {len(entry['extra_files'])} extra files, "
              f"{total / 1e6:.1f} MB")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
