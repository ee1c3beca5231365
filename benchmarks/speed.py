"""Speed and memory benchmarks for compare (issue targets in brackets). Prints a table.

    python benchmarks/speed.py [--corpora ../shared/corpora] [--skip-embeddings] [--skip-memory]

Uses two AlpacaEval files (805 responses each) from the published corpora when present, else the
embedded samples replicated to 805 prompts (synthetic, so numbers are indicative only).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


MODEL_ALONE = """
import json, sys
from sentence_transformers import SentenceTransformer
from stylesim.features.embeddings import default_model_path
texts = json.load(open(sys.argv[1], encoding="utf-8"))
SentenceTransformer(default_model_path(), device="cpu").encode(texts, batch_size=32, normalize_embeddings=True)
"""


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def machine_reference() -> float:
    """Seconds for a fixed workload shaped like stylesim's (regex tokenising in pure Python, then
    NumPy products), so that timings from different machines can be put side by side."""
    import re

    import numpy as np

    text = " ".join(f"word{i % 97} and, then; more" for i in range(20_000))
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(800, 800))
    start = time.perf_counter()
    for _ in range(20):
        re.findall(r"\w+|[^\w\s]", text)
    for _ in range(5):
        matrix @ matrix
    return time.perf_counter() - start


def pair(corpora: Path) -> tuple[Path, Path]:
    root = corpora / "alpaca_eval" / "results"
    a = root / "Meta-Llama-3-8B-Instruct" / "model_outputs.json"
    b = root / "Llama-3-Instruct-8B-SimPO" / "model_outputs.json"
    if a.exists() and b.exists():
        return a, b
    raise SystemExit(f"published corpora not found under {corpora}")


def texts_of(path: Path) -> list[str]:
    from stylesim.corpus import load_corpus

    return [o.text for o in load_corpus(path).outputs]


def synthetic_large(folder: Path, n: int) -> tuple[Path, Path]:
    """Two stylesim JSONL files of n responses each, built by recombining the embedded samples."""
    import random

    rows = [json.loads(line) for name in ("lyra", "atlas") for line in (REPO / "samples" / f"{name}.jsonl").open()]
    sentences = [s for r in rows for s in r["response"].split(". ") if s]
    paths = []
    for label in ("a", "b"):
        rng = random.Random(label)
        path = folder / f"large-{label}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for i in range(n):
                text = ". ".join(rng.choice(sentences) for _ in range(rng.randint(6, 14)))
                handle.write(json.dumps({"prompt_id": f"p{i}", "prompt": f"prompt {i}", "response": text, "model": label}) + "\n")
        paths.append(path)
    return paths[0], paths[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--skip-embeddings", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--panels", default="", help="also time compare with these panel sizes, e.g. 6,12,24 "
                                                      "(AlpacaEval models, no embeddings)")
    args = parser.parse_args()
    a, b = pair(args.corpora)
    exe = [str(Path(sys.executable).with_name("stylesim"))]
    rows = [("machine reference workload (see machine_reference)", f"{machine_reference():.2f} s", "", "")]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "STYLESIM_CACHE_DIR": str(Path(tmp) / "cache")}
        seconds, peak = run([*exe, "compare", str(a), str(b), "--no-embeddings", "--json", f"{tmp}/r.json"], env)
        rows.append(("compare 805+805, no embeddings", f"{seconds:.1f} s", f"{peak:.0f} MB", "<= 10 s"))
        if not args.skip_embeddings:
            # The reference: plain sentence-transformers in a fresh process (import, load, one
            # encode call over the same texts that compare embeds).
            texts_file = Path(tmp) / "texts.json"
            texts_file.write_text(json.dumps(texts_of(a) + texts_of(b)), encoding="utf-8")
            alone, _ = run([sys.executable, "-c", MODEL_ALONE, str(texts_file)], {**os.environ, "HF_HUB_OFFLINE": "1"})
            rows.append(("model alone: load + encode 1610 texts", f"{alone:.1f} s", "", "reference"))
            cold, peak = run([*exe, "compare", str(a), str(b), "--json", f"{tmp}/r.json"], env)
            rows.append(("compare with embeddings, cold cache", f"{cold:.1f} s ({cold / alone:.2f}x)", f"{peak:.0f} MB", "<= 1.2x model alone"))
            warm, peak = run([*exe, "compare", str(a), str(b), "--json", f"{tmp}/r.json"], env)
            rows.append(("compare with embeddings, warm cache", f"{warm:.1f} s", f"{peak:.0f} MB", "<= 10 s"))
        others = sorted(p for p in (args.corpora / "alpaca_eval" / "results").glob("*/model_outputs.json")
                        if p not in (a, b))
        for size in [int(x) for x in args.panels.split(",") if x.strip()]:
            panel = [arg for path in others[:size] for arg in ("--panel", str(path))]
            seconds, peak = run([*exe, "compare", str(a), str(b), *panel, "--no-embeddings", "--json", f"{tmp}/p.json"], env)
            rows.append((f"compare with {min(size, len(others))} panel models, no embeddings", f"{seconds:.1f} s",
                         f"{peak:.0f} MB", "issue 14: 30 models <= 60 s"))
        if not args.skip_memory:
            big_a, big_b = synthetic_large(Path(tmp), 10_000)
            seconds, peak = run([*exe, "compare", str(big_a), str(big_b), "--no-embeddings", "--json", f"{tmp}/big.json"], env)
            rows.append(("compare 10k+10k (synthetic), no embeddings", f"{seconds:.1f} s", f"{peak:.0f} MB", "<= 2 GB"))
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'time':>22}  {'peak RSS':>9}  target")
    for name, seconds, peak, target in rows:
        print(f"{name:<{width}}  {seconds:>22}  {peak:>9}  {target}")


if __name__ == "__main__":
    main()
