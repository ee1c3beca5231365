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

from stylesim import attribute
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


# Attribution, as `stylesim attribute` runs it: the student against candidate teachers, with every
# other model of the corpus as the panel. (corpus, student, candidates, documented teacher(s), label)
ALPACA_TEACHERS = ["text_davinci_003", "gpt-3.5-turbo-0301", "gpt-3.5-turbo-1106", "gpt4_0314", "gpt4_0613",
                   "gpt4_1106_preview", "claude-2", "claude-2.1"]
ATTRIBUTIONS = [
    ("alpaca", "vicuna-7b-v1.5", ALPACA_TEACHERS, ["gpt-3.5-turbo-0301"], "ShareGPT (mostly ChatGPT)"),
    ("alpaca", "zephyr-7b-beta", ALPACA_TEACHERS, ["gpt-3.5-turbo-0301", "gpt4_0314"], "UltraChat (ChatGPT) SFT + GPT-4-rated DPO"),
    ("alpaca", "nous-hermes-13b", ALPACA_TEACHERS, ["gpt4_0314", "gpt4_0613"], "mostly GPT-4 synthetic data"),
]
# Teacher-anchored: which same-base student is closest to the teacher proxy? The students share a
# base and recipe; only their SFT data (and so their teacher) differs.
WILDBENCH_TEACHER = "gpt-3.5-turbo-0125"
WILDBENCH_STUDENTS = {
    "Llama-3-8B-ShareGPT-112K": "ChatGPT", "Llama-3-8B-Ultrachat-200K": "ChatGPT",
    "Llama-3-8B-WizardLM-196K": "ChatGPT", "Llama-3-8B-WildChat": "ChatGPT + GPT-4",
    "Llama-3-8B-Tulu-330K": "mixture", "Llama-3-8B-OpenHermes-243K": "mostly GPT-4",
}


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
    attributions = []
    for corpus_name, student, candidates, expected, label in ATTRIBUTIONS:
        corpora, alignment = loaded[corpus_name]
        by_name = {c.name: c for c in corpora}
        if student not in by_name or not all(c in by_name for c in candidates):
            continue
        panel = [c for c in corpora if c.name != student and c.name not in candidates]
        result = attribute(by_name[student], [by_name[c] for c in candidates], panel=panel,
                           n_resamples=args.resamples, embeddings=False)
        ranked = result.data["candidates"]
        best = next(c for c in ranked if c["name"] in expected)
        attributions.append((corpus_name, student, label, ranked[0]["name"], best["name"], best["rank"],
                             len(candidates), best["pvalue"], len(panel)))
        print(f"attribute {student}: top {ranked[0]['name']}, documented {best['name']} ranks {best['rank']}", flush=True)
    teacher_rows = []
    if "wildbench" in loaded:
        corpora, alignment = loaded["wildbench"]
        names = [c.name for c in corpora]
        if WILDBENCH_TEACHER in names and all(s in names for s in WILDBENCH_STUDENTS):
            anchor = names.index(WILDBENCH_TEACHER)
            outcome = analyse_anchor(alignment, plan, anchor=anchor, equality_with=None, centre=True)
            scores = {s: float(outcome.combined_ratio[names.index(s)][0]) for s in WILDBENCH_STUDENTS}
            for position, student in enumerate(sorted(scores, key=lambda s: -scores[s]), 1):
                teacher_rows.append((student, WILDBENCH_STUDENTS[student], position, scores[student]))
    markdown_table(
        ["corpus", "A", "B", "relation", "B's rank as A's neighbour", "p", "closeness index (95% CI)", "A's nearest", "prompts"],
        [[r[0], r[1], r[2], r[3], f"{r[4]} of {r[5]}", f"{r[6]:.3f}", f"{r[7]:.2f} ({r[8]:.2f} to {r[9]:.2f})", r[10], r[11]]
         for r in rows],
    )
    markdown_table(
        ["corpus", "student", "training data", "attribute's top candidate", "documented teacher", "its rank", "p vs panel", "panel"],
        [[r[0], r[1], r[2], r[3], r[4], f"{r[5]} of {r[6]}", f"{r[7]:.3f}", r[8]] for r in attributions],
    )
    markdown_table(
        ["student (Llama-3-8B base)", "teacher of its SFT data", f"rank by closeness to {WILDBENCH_TEACHER}", "combined resemblance"],
        [[student, teacher, f"{position} of {len(teacher_rows)}", f"{score:.3f}"] for student, teacher, position, score in teacher_rows],
    )


def markdown_table(header: list[str], rows: list[list[object]]) -> None:
    if not rows:
        return
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")

if __name__ == "__main__":
    main()
