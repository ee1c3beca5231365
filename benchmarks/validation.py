"""Known relatives in the published corpora: is B among A's nearest neighbours?

    python benchmarks/validation.py [--corpora ../shared/corpora] [--resamples 200]

For each documented pair (A, B) the script loads every model of that corpus, computes A's combined
resemblance to every other model (features centred on the pooled background, as ``compare
--panel`` does) and prints B's rank among all other models, its exact rank p-value, and the
closeness index with its bootstrap CI. Cross-vendor pairs are the negative controls: they should
not come out near the top. The table is kept in docs/validation.md.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from stylesim.analysis import Plan, analyse_anchor
from stylesim.corpus import align, load_corpus
from stylesim.stats import panel as panel_stats
from stylesim.stats import resampling

REPO = Path(__file__).resolve().parents[1]

# (corpus, A, B, label). Labels follow the lineage notes in each corpus README.
PAIRS = [
    ("alpaca", "Meta-Llama-3-8B-Instruct", "Llama-3-Instruct-8B-SimPO", "parent -> SimPO child"),
    ("alpaca", "Mistral-7B-Instruct-v0.2", "Snorkel-Mistral-PairRM-DPO", "parent -> DPO child"),
    ("alpaca", "gpt4_1106_preview", "gpt4_1106_preview_concise", "same model, concise prompt"),
    ("alpaca", "gpt4_1106_preview", "gpt4_1106_preview_verbose", "same model, verbose prompt"),
    ("alpaca", "claude-2", "claude-2.1", "same vendor, next version"),
    ("alpaca", "vicuna-7b-v1.5", "gpt-3.5-turbo-0301", "student -> teacher (ShareGPT)"),
    ("alpaca", "zephyr-7b-beta", "gpt-3.5-turbo-0301", "student -> teacher (UltraChat)"),
    ("alpaca", "claude-2.1", "gpt4_0613", "NEGATIVE: cross-vendor"),
    ("arena", "openchat_3.5", "Starling-LM-7B-alpha", "parent -> RLAIF child"),
    ("arena", "vicuna-7b-v1.5", "vicuna-13b-v1.5", "same recipe, other size"),
    ("arena", "gpt-3.5-turbo", "gpt-3.5-turbo-1106", "same model, versions"),
    ("arena", "claude-2.1", "gpt-4-0314", "NEGATIVE: cross-vendor"),
    ("wildbench", "Qwen1.5-72B-Chat", "Qwen1.5-72B-Chat-greedy", "same model, greedy decoding"),
    ("wildbench", "Llama-3-8B-ShareGPT-112K", "gpt-3.5-turbo-0125", "student -> teacher proxy"),
    ("notxbuty", "kimi-k2", "kimi-k2-0905", "same model, update"),
    ("notxbuty", "gemma-3-27b-it", "gemma-3-27b-it-antislop", "parent -> fine-tune"),
    ("notxbuty", "claude-sonnet-4-20250514", "gemini-2.5-flash", "NEGATIVE: cross-vendor"),
]


def corpus_files(corpora: Path, name: str) -> dict[str, Path]:
    if name == "alpaca":
        return {p.parent.name: p for p in sorted((corpora / "alpaca_eval" / "results").glob("*/model_outputs.json"))}
    if name == "arena":
        return {p.stem: p for p in sorted((corpora / "arena-bench-v1" / "data" / "arena-bench-v1" / "model_answer").glob("*.jsonl"))}
    if name == "wildbench":
        files = sorted((corpora / "wildbench" / "eval_results").rglob("*.json"))
        return {p.stem: p for p in files}
    if name == "notxbuty":
        return {p.stem: p for p in sorted((corpora / "not-x-but-y-bench" / "results").glob("*.json"))}
    raise KeyError(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--resamples", type=int, default=200)
    args = parser.parse_args()
    plan = Plan(n_resamples=args.resamples, n_permutations=10, embeddings=False)
    rows = []
    loaded: dict[str, tuple] = {}
    for corpus_name, a_name, b_name, label in PAIRS:
        if corpus_name not in loaded:
            files = corpus_files(args.corpora, corpus_name)
            corpora = []
            for model, path in files.items():
                corpus = load_corpus(path)
                corpus.name = model
                corpora.append(corpus)
            # Claude files in not-x-but-y only answered prompts 0-149: align on what all share.
            if corpus_name == "notxbuty":
                corpora = [c for c in corpora if len(c.outputs) >= 140]
            loaded[corpus_name] = (corpora, align(corpora))
        corpora, alignment = loaded[corpus_name]
        names = [c.name for c in corpora]
        if a_name not in names or b_name not in names:
            continue
        start = time.perf_counter()
        anchor, target = names.index(a_name), names.index(b_name)
        outcome = analyse_anchor(alignment, plan, anchor=anchor, equality_with=None, centre=True)
        combined = outcome.combined_ratio
        others = [m for m in range(len(names)) if m not in (anchor, target)]
        rank, pvalue = panel_stats.rank_among(float(combined[target][0]), combined[others, 0])
        median = np.nanmedian(combined[others], axis=0)
        index = panel_stats.closeness_index(combined[target], median, combined[anchor])
        low, high = resampling.percentile_interval(index[1:])
        nearest = names[max((m for m in range(len(names)) if m != anchor), key=lambda m: combined[m][0])]
        rows.append((corpus_name, a_name, b_name, label, rank, len(names) - 1, pvalue, index[0], low, high,
                     nearest, alignment.n_prompts, time.perf_counter() - start))
        print(f"{corpus_name:9s} {a_name[:26]:26s} {b_name[:26]:26s} rank {rank:>2}/{len(names) - 1:<2} "
              f"p={pvalue:.3f} CI-index {index[0]:.2f} [{low:.2f}, {high:.2f}]  nearest={nearest}", flush=True)
    print()
    print("| corpus | A | B | relation | B's rank as A's neighbour | p | closeness index (95% CI) | A's nearest | prompts |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} of {r[5]} | {r[6]:.3f} | {r[7]:.2f} ({r[8]:.2f} to {r[9]:.2f}) | {r[10]} | {r[11]} |")


if __name__ == "__main__":
    main()
