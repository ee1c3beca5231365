"""Known relatives in the published corpora: is B among A's nearest neighbours?

    python benchmarks/validation.py [--corpora ../shared/corpora] [--resamples 200] [--only alpaca,arena]
                                    [--embeddings] [--cache-dir DIR]

For each corpus the script loads every model, computes all-pairs same-prompt agreement (the
primary statistic, method v3: ranked by its studentised form t) and cross-prompt resemblance
with a prompt bootstrap, exactly as ``stylesim matrix`` does, and prints markdown tables:

1. documented pairs (A, B) from each corpus README: B's rank among all other models as A's
   neighbour by t, its exact rank p-value, its rank by resemblance, and the closeness index
   (resemblance) with its 95% CI. NEGATIVE rows are cross-vendor controls;
2. nearest neighbours: for every model with a documented relative in its corpus, whether its
   nearest neighbour is one (by t, and by resemblance for contrast);
3. attribution of AlpacaEval students and human-data controls among the eight teacher-role
   models, with ``stylesim.attribute`` itself (the other models as its panel), without and with
   ``base`` = documented same-base models;
4. the WildBench Magpie students (one Llama-3-8B base), anchored on the teacher proxy, without and
   with the five sibling students partialled out.

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


def load_corpora(corpora_root: Path, name: str) -> list:
    corpora = []
    for model, path in corpus_files(corpora_root, name).items():
        corpus = load_corpus(path)
        corpus.name = model
        corpora.append(corpus)
    if name == "notxbuty":
        # The Claude and gemma-3-4b files cover prompts 0-149 only, polaris-alpha 70: align on
        # what the rest share with them (polaris-alpha would cut the set to 70 prompts).
        corpora = [c for c in corpora if len(c.outputs) >= 140]
    return corpora


def load(corpora_root: Path, name: str, resamples: int, embeddings: bool = False,
         cache_dir: str | None = None) -> PairwiseArrays:
    return pairwise_arrays(load_corpora(corpora_root, name), n_resamples=resamples, embeddings=embeddings,
                           cache_dir=cache_dir)


def _values(matrix: np.ndarray, i: int) -> np.ndarray:
    row = matrix[i].copy()
    row[i] = np.nan
    return row


def rank_row(matrix: np.ndarray, i: int, j: int) -> tuple[int, float]:  # noqa: D401
    """B's rank among all other models as A's neighbour, and its exact p-value."""
    row = _values(matrix, i)
    others = [m for m in range(len(row)) if m not in (i, j)]
    return panel_stats.rank_among(float(row[j]), row[others])


def nearest(matrix: np.ndarray, i: int) -> int:
    return int(np.nanargmax(_values(matrix, i)))


def pair_rows(arrays: PairwiseArrays, corpus: str) -> list[list[object]]:
    names = arrays.names
    agreement, resemblance = arrays.agreement[:, :, 0], arrays.resemblance[:, :, 0]
    ranking = arrays.t
    out = []
    for corpus_name, a, b, label in PAIRS:
        if corpus_name != corpus or a not in names or b not in names:
            continue
        i, j = names.index(a), names.index(b)
        rank, pvalue = rank_row(ranking, i, j)
        r_rank, r_pvalue = rank_row(resemblance, i, j)
        others = [m for m in range(len(names)) if m not in (i, j)]
        median = np.nanmedian(arrays.resemblance[i, others, :], axis=0)
        estimate, low, high = panel_stats.index_interval(arrays.resemblance[i, j], median, arrays.resemblance[i, i])
        out.append([corpus, a, b, label, f"{rank} of {len(names) - 1}", f"{pvalue:.3f}",
                    f"{agreement[i, j]:.3f}", f"{r_rank} of {len(names) - 1}",
                    f"{estimate:.2f} ({low:.2f} to {high:.2f})", names[nearest(ranking, i)],
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
        for key, matrix in (("agreement", arrays.t), ("resemblance", arrays.resemblance[:, :, 0])):
            found = names[nearest(matrix, i)]
            if found in relatives:
                hits[key] += 1
            elif key == "agreement":
                misses.append(f"{name} -> {found}")
    return [corpus, len(names), scored, f"{hits['agreement']} of {scored}", f"{hits['resemblance']} of {scored}"], misses


# Documented same-base models per AlpacaEval student (corpus README): the closest available
# relatives of its base weights, given as ``base`` (they are neither candidates nor panel).
ALPACA_BASES = {
    "vicuna-7b-v1.5": ["llama-2-13b-chat-hf"],  # Llama-2
    "zephyr-7b-beta": ["Mistral-7B-Instruct-v0.2", "Snorkel-Mistral-PairRM-DPO"],  # Mistral-7B
    "nous-hermes-13b": ["guanaco-33b", "oasst-sft-llama-33b", "humpback-llama-65b"],  # LLaMA-1
}
ALPACA_CONTROLS = ["guanaco-33b", "oasst-sft-llama-33b", "humpback-llama-65b"]


def _attribute(corpora: dict[str, object], student: str, candidates: list[str], base: list[str],
               resamples: int) -> dict:
    import stylesim

    panel = [c for name, c in corpora.items() if name not in {student, *candidates, *base}]
    result = stylesim.attribute(corpora[student], [corpora[c] for c in candidates], panel=panel,
                                base=[corpora[b] for b in base], embeddings=False, n_resamples=resamples,
                                n_permutations=1000)
    return result.to_dict()


def attribution_rows(corpora: dict[str, object], resamples: int) -> list[list[object]]:
    """``stylesim attribute`` for each student (without and with its documented base) and control."""
    if not all(c in corpora for c in ALPACA_TEACHERS):
        return []
    out = []
    runs = [(s, docs, label, []) for s, docs, label in ATTRIBUTIONS]
    runs += [(s, docs, label, ALPACA_BASES[s]) for s, docs, label in ATTRIBUTIONS]
    runs += [(c, [], "human-data control", []) for c in ALPACA_CONTROLS]
    for student, documented, label, base in runs:
        if student not in corpora:
            continue
        data = _attribute(corpora, student, ALPACA_TEACHERS, base, resamples)
        ranked = data["candidates"]
        best = next((row for row in ranked if row["name"] in documented), None)
        top = ranked[0]
        out.append(["alpaca", student, label, ", ".join(base) or "none", top["name"],
                    f"{best['rank']} of {len(ranked)}" if best else "n/a", f"{top['pvalue']:.3f}",
                    f"{top['pvalue_above_background']:.3f}", len(data["models"]["panel"]),
                    *_leave_one_out_cells(data)])
    return out


def _leave_one_out_cells(data: dict) -> list[str]:
    """The top candidate's leave-one-out summary (how often it stays first, and its p range) and
    how often it stays first with half of the panel left out."""
    block = data.get("leave_one_out") or {}
    cells = ["n/a", "n/a"]
    if block.get("computed"):
        low, high = block["pvalue_range"] or (float("nan"), float("nan"))
        cells = [f"{block['stays_top']} of {block['analyses']}", f"{low:.3f} to {high:.3f}"]
    return [*cells, _half_panel_cell(data)]


def _half_panel_cell(data: dict) -> str:
    """How often the top candidate stays first with half of the panel left out, and the other tops."""
    half = data.get("half_panel") or {}
    if not half.get("computed"):
        return "n/a"
    others = ", ".join(f"{t['name']} {t['count']}" for t in half["tops"] if t["name"] != half["candidate"])
    return f"{half['stays_top']} of {half['draws']}" + (f" (else {others})" if others else "")


def teacher_rows(arrays: PairwiseArrays, corpora: dict[str, object], resamples: int) -> list[list[object]]:
    """Each Magpie student against the candidate teachers, without and with its siblings as ``base``."""
    names = arrays.names
    if WILDBENCH_TEACHER not in names or not all(s in names for s in WILDBENCH_STUDENTS):
        return []
    candidates = [n for n in names if n not in WILDBENCH_STUDENTS and n != "Qwen1.5-72B-Chat-greedy"]
    rows = []
    for student, data_label in WILDBENCH_STUDENTS.items():
        siblings = [s for s in WILDBENCH_STUDENTS if s != student]
        cells = [student, data_label]
        for base in ([], siblings):
            data = _attribute(corpora, student, candidates, base, resamples)
            teacher = next(row for row in data["candidates"] if row["name"] == WILDBENCH_TEACHER)
            cells += [f"{teacher['rank']} of {len(data['candidates'])}", f"{teacher['score']:.3f}"]
            if not base:
                block = data.get("leave_one_out") or {}
                top = data["candidates"][0]["name"]
                cells.append(f"{top} ({block['stays_top']} of {block['analyses']})" if block.get("computed") else "n/a")
                cells.append(_half_panel_cell(data))
        rows.append(cells)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--only", default="alpaca,arena,wildbench,notxbuty,eqbench")
    parser.add_argument("--embeddings", action="store_true", help="add the sentence-embedding family (slow)")
    parser.add_argument("--cache-dir", default=None, help="embedding cache folder")
    parser.add_argument("--no-attribution", action="store_true", help="skip the attribute runs (tables 3 and 4)")
    args = parser.parse_args()
    pairs, relatives, misses, attributions, teachers = [], [], [], [], []
    for corpus in args.only.split(","):
        start = time.perf_counter()
        loaded = load_corpora(args.corpora, corpus)
        arrays = pairwise_arrays(loaded, n_resamples=args.resamples, embeddings=args.embeddings,
                                 cache_dir=args.cache_dir)
        by_name = {c.name: c for c in loaded}
        pairs += pair_rows(arrays, corpus)
        row, missed = relative_rows(arrays, corpus)
        relatives.append(row)
        misses += [f"{corpus}: {m}" for m in missed]
        if corpus == "alpaca" and not args.no_attribution:
            attributions = attribution_rows(by_name, args.resamples)
        if corpus == "wildbench" and not args.no_attribution:
            teachers = teacher_rows(arrays, by_name, args.resamples)
        print(f"{corpus}: {len(arrays.names)} models, {arrays.alignment.n_prompts} prompts, "
              f"{time.perf_counter() - start:.0f} s", flush=True)
    markdown_table(["corpus", "A", "B", "relation", "B's rank by t", "p", "agreement",
                    "B's rank by resemblance", "closeness index (95% CI)", "A's nearest by agreement", "prompts"], pairs)
    markdown_table(["corpus", "models", "models with a documented relative", "nearest is a relative (t)",
                    "nearest is a relative (resemblance)"], relatives)
    if misses:
        print("\nNearest neighbour (agreement) not a documented relative: " + "; ".join(misses))
    markdown_table(["corpus", "student", "training data", "base partialled", "top candidate",
                    "documented teacher's rank", "top's p vs panel (best of 8)", "top's p above background",
                    "panel", "top stays first, one model left out", "top's p vs panel, one model left out",
                    "top stays first, half the panel left out"],
                   attributions)
    markdown_table(["student (Llama-3-8B base)", "teacher of its SFT data", f"{WILDBENCH_TEACHER}'s rank",
                    "agreement", "top candidate (stays first, one model left out)", "top stays first, half the panel left out",
                    "rank, siblings partialled",
                    "agreement, siblings partialled"], teachers)


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
