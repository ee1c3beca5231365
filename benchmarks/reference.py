"""stylesim's teacher ranking beside a naive reference, on the published corpora in ../shared.

    python benchmarks/reference.py [--corpora ../shared/corpora] [--resamples 50]

Issue 11 reports that on held-out sets a naive reference (mean-centred word-bigram cosine, no
calibration) put an acceptable teacher first as often as stylesim 0.2 did. This script makes the
same comparison on the corpora we have, for every student with a documented teacher:

- naive: each model's word-bigram relative frequencies over the aligned prompts (bigrams seen in
  at least two models), centred on the mean over the corpus's models, and the cosine of the
  student's centred profile with each candidate's;
- stylesim: the studentised same-prompt agreement t, as ``stylesim matrix`` computes it (every
  model of the corpus in the analysis).

Each row gives the documented teacher's rank among the candidates by each. AlpacaEval's human-data
controls are listed too (no teacher); the last lines give, for each score, the AUC of the
students' top score against the controls' (1 = every student above every control). Nothing here
is fitted; the candidate lists are the corpora's teacher-role models.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np
from naive import aligned_texts, naive_scores
from validation import (
    ALPACA_CONTROLS,
    ALPACA_TEACHERS,
    ATTRIBUTIONS,
    REPO,
    WILDBENCH_STUDENTS,
    WILDBENCH_TEACHER,
    load_corpora,
    markdown_table,
)

from stylesim.alignment import align
from stylesim.panel import pairwise_arrays

# corpus -> (candidates, [(student, documented teachers)])
TASKS = {
    "alpaca": (ALPACA_TEACHERS, [(s, docs) for s, docs, _ in ATTRIBUTIONS] + [(c, []) for c in ALPACA_CONTROLS]),
    "arena": (["claude-2.1", "gpt-3.5-turbo-1106", "gpt-3.5-turbo", "gpt-4-0314", "gpt-4-1106-preview"],
              [("openchat_3.5", ["gpt-4-0314"]), ("vicuna-7b-v1.5", ["gpt-3.5-turbo"]),
               ("vicuna-13b-v1.5", ["gpt-3.5-turbo"])]),
    "wildbench": ([WILDBENCH_TEACHER, "Qwen1.5-72B-Chat", "gemma-7b-it"],
                  [(s, [WILDBENCH_TEACHER]) for s in WILDBENCH_STUDENTS]),
}


def studentised(values: np.ndarray) -> np.ndarray:
    """(k, k) observed agreement over its bootstrap SD, from (k, k, 1 + resamples)."""
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the NaN diagonal has no spread
        return values[..., 0] / np.nanstd(values[..., 1:], axis=-1, ddof=1)


def auc(students: list[float], controls: list[float]) -> float:
    pairs = [(s > c) + 0.5 * (s == c) for s in students for c in controls]
    return float(np.mean(pairs)) if pairs else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--resamples", type=int, default=50)
    args = parser.parse_args()
    rows, tops = [], {"naive": ([], []), "stylesim t": ([], [])}
    for corpus, (candidates, runs) in TASKS.items():
        corpora = load_corpora(args.corpora, corpus)
        alignment = align(corpora, min_prompts=20)
        names = [c.name for c in alignment.corpora]
        texts = aligned_texts(alignment)
        arrays = pairwise_arrays(corpora, n_resamples=args.resamples, embeddings=False)
        scores = {"naive": naive_scores(texts), "stylesim t": arrays.t}
        if corpus == "alpaca":
            family_t = {name: studentised(values) for name, values in arrays.per_family_agreement.items()}
        index = {n: i for i, n in enumerate(names)}
        if corpus == "alpaca":
            index_of = index
        for student, documented in runs:
            cells = [corpus, student, ", ".join(documented) or "control"]
            for label, matrix in scores.items():
                values = np.array([matrix[index[student], index[c]] for c in candidates])
                order = [candidates[i] for i in np.argsort(-values, kind="stable")]
                rank = min((order.index(d) + 1 for d in documented), default=None)
                cells += [order[0], f"{rank} of {len(candidates)}" if rank else "n/a"]
                if corpus == "alpaca":
                    tops[label][0 if documented else 1].append(float(values.max()))
            rows.append(cells)
    markdown_table(["corpus", "student", "documented teacher", "top, naive", "teacher's rank, naive",
                    "top, stylesim t", "teacher's rank, stylesim t"], rows)
    print()
    for label, (students, controls) in tops.items():
        print(f"AlpacaEval, AUC of the students' top {label} against the controls': {auc(students, controls):.2f}")
    # Does any one family put the students apart? Each family's own t (its agreement over its
    # bootstrap SE), the top over the eight teachers, students against controls.
    candidates, runs = TASKS["alpaca"]
    print("\nAlpacaEval, by family (the top candidate's t in that family alone):")
    for name, matrix in family_t.items():
        split: tuple[list[float], list[float]] = ([], [])
        for student, documented in runs:
            split[0 if documented else 1].append(max(float(matrix[index_of[student], index_of[c]]) for c in candidates))
        print(f"  {name}: AUC {auc(*split):.2f}")


if __name__ == "__main__":
    main()
