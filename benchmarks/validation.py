"""Known relatives in the published corpora: is B among A's nearest neighbours?

    python benchmarks/validation.py [--corpora ../shared/corpora] [--resamples 200] [--only alpaca,arena]
                                    [--embeddings] [--cache-dir DIR]

For each corpus the script loads every model, computes all-pairs same-prompt agreement (the
primary statistic) and cross-prompt resemblance with a prompt bootstrap, exactly as
``stylesim compare A B --panel <every other model>`` would for each pair, and prints markdown
tables:

1. documented pairs (A, B) from each corpus README: B's rank among all other models as A's
   neighbour by agreement, its exact rank p-value, its rank by resemblance, and the closeness
   index (resemblance) with its 95% CI. NEGATIVE rows are cross-vendor controls;
2. nearest neighbours: for every model with a documented relative in its corpus, whether its
   nearest neighbour is one (by agreement, and by resemblance for contrast);
3. attribution of AlpacaEval students among the eight teacher-role models (what
   ``stylesim attribute`` ranks, with the other models as its panel);
4. the WildBench Magpie students, anchored on the teacher proxy.

Nothing in stylesim was tuned to these pairs; the tables are kept in docs/validation.md.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from stylesim.corpus import load_corpus
from stylesim.panel import PairwiseArrays, pairwise_arrays
from stylesim.stats import panel as panel_stats
from stylesim.stats import resampling

REPO = Path(__file__).resolve().parents[1]

# (corpus, A, B, label). Labels follow the ground-truth tables of each corpus README.
PAIRS = [
    ("alpaca", "Meta-Llama-3-8B-Instruct", "Llama-3-Instruct-8B-SimPO", "parent -> SimPO child"),
    ("alpaca", "Mistral-7B-Instruct-v0.2", "Snorkel-Mistral-PairRM-DPO", "parent -> DPO child"),
    ("alpaca", "gpt4_1106_preview", "gpt4_1106_preview_concise", "same model, concise prompt"),
    ("alpaca", "gpt4_1106_preview", "gpt4_1106_preview_verbose", "same model, verbose prompt"),
    ("alpaca", "claude-2", "claude-2.1", "same vendor, next version"),
    ("alpaca", "gpt-3.5-turbo-0301", "gpt-3.5-turbo-1106", "same model, versions"),
    ("alpaca", "vicuna-7b-v1.5", "gpt-3.5-turbo-0301", "student -> teacher (ShareGPT)"),
    ("alpaca", "zephyr-7b-beta", "gpt-3.5-turbo-0301", "student -> teacher (UltraChat)"),
    ("alpaca", "nous-hermes-13b", "gpt4_0314", "student -> teacher (GPT-4 data)"),
    ("alpaca", "claude-2.1", "gpt4_0613", "NEGATIVE: cross-vendor"),
    ("arena", "openchat_3.5", "Starling-LM-7B-alpha", "parent -> RLAIF child"),
    ("arena", "openchat_3.5", "gpt-4-0314", "student -> teacher (approximate)"),
    ("arena", "vicuna-7b-v1.5", "gpt-3.5-turbo", "student -> teacher (ShareGPT)"),
    ("arena", "vicuna-7b-v1.5", "vicuna-13b-v1.5", "same recipe, other size"),
    ("arena", "Mistral-7B-Instruct-v0.1", "Mixtral-8x7B-Instruct-v0.1", "same vendor"),
    ("arena", "gpt-3.5-turbo", "gpt-3.5-turbo-1106", "same model, versions"),
    ("arena", "gpt-4-0314", "gpt-4-1106-preview", "same model, versions"),
    ("arena", "claude-2.1", "gpt-4-0314", "NEGATIVE: cross-vendor"),
    ("arena", "claude-2.1", "gpt-3.5-turbo", "NEGATIVE: cross-vendor"),
    ("wildbench", "Qwen1.5-72B-Chat", "Qwen1.5-72B-Chat-greedy", "same model, greedy decoding"),
    ("wildbench", "Llama-3-8B-ShareGPT-112K", "gpt-3.5-turbo-0125", "student -> teacher proxy"),
    ("notxbuty", "kimi-k2", "kimi-k2-0905", "same model, update"),
    ("notxbuty", "gemma-3-27b-it", "gemma-3-27b-it-antislop", "parent -> fine-tune"),
    ("notxbuty", "claude-sonnet-4-20250514", "claude-sonnet-4-5", "same vendor, next version"),
    ("notxbuty", "gpt-5-mini-2025-08-07", "gpt-5-nano-2025-08-07", "same family"),
    ("notxbuty", "deepseek-r1", "deepseek-v3.2-exp", "same vendor and base lineage"),
    ("notxbuty", "claude-sonnet-4-20250514", "gemini-2.5-flash", "NEGATIVE: cross-vendor"),
    ("notxbuty", "claude-sonnet-4-20250514", "llama-4-maverick", "NEGATIVE: cross-vendor"),
]

# Documented relatives (same model, version, fine-tune, family or vendor line) per corpus, from
# the corpus READMEs. A model's nearest neighbour "hits" when it is in one of the model's groups.
RELATIVES = {
    "alpaca": [
        ["Meta-Llama-3-8B-Instruct", "Llama-3-Instruct-8B-SimPO"],
        ["Mistral-7B-Instruct-v0.2", "Snorkel-Mistral-PairRM-DPO", "Mixtral-8x7B-Instruct-v0.1"],
        ["claude-2", "claude-2.1"],
        ["text_davinci_003", "gpt-3.5-turbo-0301", "gpt-3.5-turbo-1106", "gpt4_0314", "gpt4_0613",
         "gpt4_1106_preview", "gpt4_1106_preview_concise", "gpt4_1106_preview_verbose"],
    ],
    "arena": [
        ["openchat_3.5", "Starling-LM-7B-alpha"],
        ["vicuna-7b-v1.5", "vicuna-13b-v1.5"],
        ["Mistral-7B-Instruct-v0.1", "Mixtral-8x7B-Instruct-v0.1"],
        ["gpt-3.5-turbo", "gpt-3.5-turbo-1106", "gpt-4-0314", "gpt-4-1106-preview"],
    ],
    "wildbench": [
        ["Llama-3-8B-OpenHermes-243K", "Llama-3-8B-ShareGPT-112K", "Llama-3-8B-Tulu-330K",
         "Llama-3-8B-Ultrachat-200K", "Llama-3-8B-WildChat", "Llama-3-8B-WizardLM-196K"],
        ["Qwen1.5-72B-Chat", "Qwen1.5-72B-Chat-greedy"],
    ],
    "notxbuty": [
        ["gemma-3-4b-it", "gemma-3-12b-it", "gemma-3-27b-it", "gemma-3-27b-it-antislop"],
        ["kimi-k2", "kimi-k2-0905"],
        ["claude-sonnet-4-20250514", "claude-sonnet-4-5"],
        ["gpt-5-mini-2025-08-07", "gpt-5-nano-2025-08-07", "o3", "chatgpt-4o-latest"],
        ["deepseek-r1", "deepseek-v3.2-exp"],
        ["Mistral-Small-3.2-24B-Instruct-2506", "mistral-nemo"],
    ],
    "eqbench": [
        ["gemma-2-9b-it", "gemma-2-Ifable-9B", "Darkest-muse-v1", "gemma-3-4b-it", "gemma-3-12b-it",
         "gemma-3-27b-it", "Gemma-3-Starshine-12B", "Gemma-3-Glitter-12B"],
        ["llama-3.1-405b-instruct", "llama-3.1-70b-instruct", "llama-3.1-8b-instruct", "llama-3.2-3b-instruct"],
        ["ministral-3b", "Mistral-Nemo-Instruct-2407", "Mistral-Small-24B-Instruct-2501",
         "mistral-small-3.1-24b-instruct-2503", "Mistral-Small-3.2-24B-Instruct-2506"],
        ["chatgpt-4o-latest-2025-01-29", "chatgpt-4o-latest-2025-03-27"],
        ["claude-3-haiku", "claude-3.5-haiku-20241022", "claude-3-5-sonnet-20241022", "claude-3-7-sonnet-20250219"],
        ["DeepSeek-R1", "DeepSeek-V3-0324"],
    ],
}

ALPACA_TEACHERS = ["text_davinci_003", "gpt-3.5-turbo-0301", "gpt-3.5-turbo-1106", "gpt4_0314", "gpt4_0613",
                   "gpt4_1106_preview", "claude-2", "claude-2.1"]
# (student, documented teacher(s), training data)
ATTRIBUTIONS = [
    ("vicuna-7b-v1.5", ["gpt-3.5-turbo-0301"], "ShareGPT (mostly ChatGPT)"),
    ("zephyr-7b-beta", ["gpt-3.5-turbo-0301", "gpt4_0314"], "UltraChat (ChatGPT) SFT + GPT-4-rated DPO"),
    ("nous-hermes-13b", ["gpt4_0314", "gpt4_0613"], "mostly GPT-4 synthetic data"),
]
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
        return {p.stem: p for p in sorted((corpora / "wildbench" / "eval_results").rglob("*.json"))}
    if name == "notxbuty":
        return {p.stem: p for p in sorted((corpora / "not-x-but-y-bench" / "results").glob("*.json"))}
    if name == "eqbench":
        pages = sorted((corpora / "eqbench-creative-writing-v3" / "results").glob("*.html"))
        return {p.stem.split("__")[-1]: p for p in pages}
    raise KeyError(name)


def load(corpora_root: Path, name: str, resamples: int, embeddings: bool = False,
         cache_dir: str | None = None) -> PairwiseArrays:
    corpora = []
    for model, path in corpus_files(corpora_root, name).items():
        corpus = load_corpus(path)
        corpus.name = model
        corpora.append(corpus)
    if name == "notxbuty":
        # The Claude and gemma-3-4b files cover prompts 0-149 only, polaris-alpha 70: align on
        # what the rest share with them (polaris-alpha would cut the set to 70 prompts).
        corpora = [c for c in corpora if len(c.outputs) >= 140]
    return pairwise_arrays(corpora, n_resamples=resamples, embeddings=embeddings, cache_dir=cache_dir)


def _values(matrix: np.ndarray, i: int) -> np.ndarray:
    row = matrix[i].copy()
    row[i] = np.nan
    return row


def rank_row(matrix: np.ndarray, i: int, j: int) -> tuple[int, float]:
    """B's rank among all other models as A's neighbour, and its exact p-value."""
    row = _values(matrix, i)
    others = [m for m in range(len(row)) if m not in (i, j)]
    return panel_stats.rank_among(float(row[j]), row[others])


def nearest(matrix: np.ndarray, i: int) -> int:
    return int(np.nanargmax(_values(matrix, i)))


def pair_rows(arrays: PairwiseArrays, corpus: str) -> list[list[object]]:
    names = arrays.names
    agreement, resemblance = arrays.agreement[:, :, 0], arrays.resemblance[:, :, 0]
    out = []
    for corpus_name, a, b, label in PAIRS:
        if corpus_name != corpus or a not in names or b not in names:
            continue
        i, j = names.index(a), names.index(b)
        rank, pvalue = rank_row(agreement, i, j)
        r_rank, r_pvalue = rank_row(resemblance, i, j)
        others = [m for m in range(len(names)) if m not in (i, j)]
        median = np.nanmedian(arrays.resemblance[i, others, :], axis=0)
        index = panel_stats.closeness_index(arrays.resemblance[i, j], median, arrays.resemblance[i, i])
        low, high = resampling.percentile_interval(index[1:])
        out.append([corpus, a, b, label, f"{rank} of {len(names) - 1}", f"{pvalue:.3f}",
                    f"{agreement[i, j]:.3f}", f"{r_rank} of {len(names) - 1}",
                    f"{index[0]:.2f} ({low:.2f} to {high:.2f})", names[nearest(agreement, i)],
                    arrays.alignment.n_prompts])
    return out


def relative_rows(arrays: PairwiseArrays, corpus: str) -> tuple[list[object], list[str]]:
    names = arrays.names
    groups = [set(g) & set(names) for g in RELATIVES.get(corpus, [])]
    hits = {"agreement": 0, "resemblance": 0}
    scored = 0
    misses = []
    for i, name in enumerate(names):
        relatives = set().union(*(g for g in groups if name in g)) - {name}
        if not relatives:
            continue
        scored += 1
        for key, matrix in (("agreement", arrays.agreement[:, :, 0]), ("resemblance", arrays.resemblance[:, :, 0])):
            found = names[nearest(matrix, i)]
            if found in relatives:
                hits[key] += 1
            elif key == "agreement":
                misses.append(f"{name} -> {found}")
    return [corpus, len(names), scored, f"{hits['agreement']} of {scored}", f"{hits['resemblance']} of {scored}"], misses


def attribution_rows(arrays: PairwiseArrays) -> list[list[object]]:
    names = arrays.names
    agreement = arrays.agreement[:, :, 0]
    out = []
    for student, documented, label in ATTRIBUTIONS:
        if student not in names or not all(c in names for c in ALPACA_TEACHERS):
            continue
        i = names.index(student)
        candidates = [names.index(c) for c in ALPACA_TEACHERS]
        panel = [m for m in range(len(names)) if m != i and m not in candidates]
        order = sorted(candidates, key=lambda m: -agreement[i, m])
        best = next(m for m in order if names[m] in documented)
        _, pvalue = panel_stats.rank_among(float(agreement[i, best]), agreement[i, panel])
        out.append(["alpaca", student, label, names[order[0]], names[best], f"{order.index(best) + 1} of {len(candidates)}",
                    f"{pvalue:.3f}", len(panel)])
    return out


def teacher_rows(arrays: PairwiseArrays) -> list[list[object]]:
    names = arrays.names
    if WILDBENCH_TEACHER not in names or not all(s in names for s in WILDBENCH_STUDENTS):
        return []
    t = names.index(WILDBENCH_TEACHER)
    agreement, resemblance = arrays.agreement[t, :, 0], arrays.resemblance[t, :, 0]
    students = sorted(WILDBENCH_STUDENTS, key=lambda s: -agreement[names.index(s)])
    by_resemblance = sorted(WILDBENCH_STUDENTS, key=lambda s: -resemblance[names.index(s)])
    return [[s, WILDBENCH_STUDENTS[s], f"{pos} of {len(students)}", f"{agreement[names.index(s)]:.3f}",
             f"{by_resemblance.index(s) + 1} of {len(students)}"] for pos, s in enumerate(students, 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--only", default="alpaca,arena,wildbench,notxbuty,eqbench")
    parser.add_argument("--embeddings", action="store_true", help="add the sentence-embedding family (slow)")
    parser.add_argument("--cache-dir", default=None, help="embedding cache folder")
    args = parser.parse_args()
    pairs, relatives, misses, attributions, teachers = [], [], [], [], []
    for corpus in args.only.split(","):
        start = time.perf_counter()
        arrays = load(args.corpora, corpus, args.resamples, args.embeddings, args.cache_dir)
        pairs += pair_rows(arrays, corpus)
        row, missed = relative_rows(arrays, corpus)
        relatives.append(row)
        misses += [f"{corpus}: {m}" for m in missed]
        if corpus == "alpaca":
            attributions = attribution_rows(arrays)
        if corpus == "wildbench":
            teachers = teacher_rows(arrays)
        print(f"{corpus}: {len(arrays.names)} models, {arrays.alignment.n_prompts} prompts, "
              f"{time.perf_counter() - start:.0f} s", flush=True)
    markdown_table(["corpus", "A", "B", "relation", "B's rank by agreement", "p", "agreement",
                    "B's rank by resemblance", "closeness index (95% CI)", "A's nearest by agreement", "prompts"], pairs)
    markdown_table(["corpus", "models", "models with a documented relative", "nearest is a relative (agreement)",
                    "nearest is a relative (resemblance)"], relatives)
    if misses:
        print("\nNearest neighbour (agreement) not a documented relative: " + "; ".join(misses))
    markdown_table(["corpus", "student", "training data", "top candidate", "documented teacher", "its rank",
                    "p vs panel", "panel"], attributions)
    markdown_table(["student (Llama-3-8B base)", "teacher of its SFT data", f"rank by agreement with {WILDBENCH_TEACHER}",
                    "agreement", "rank by resemblance"], teachers)


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
