"""Several samples per prompt on real outputs: the agreement ceiling and disattenuated agreement.

    python benchmarks/multisample.py [--corpora ../shared/corpora] [--resamples 200] [--split N]

No corpus in ../shared/corpora has two samples of one prompt. The nearest is EQ-Bench Creative
Writing v3: 32 prompts, each run three times ("iterations") at temperature 0.7, every iteration
with its own seed modifier filled into the prompt (the same modifiers for every model). Here
the three iterations of a prompt are taken as three samples of it. That is an approximation:
the modifiers differ, so a model's "second sample" answers a variant of the prompt. What every
model shares about a variant (its topic) is removed by centring on the other models, as any
topic is; what remains is the model's own way with the prompt.

Two parts, each printed as a markdown table (kept in docs/validation.md):

1. **Held-out sample.** For each model X: A = X with two of the three iterations, B = X with the
   third (which iteration is held out rotates with the prompt number, so every pair of
   iterations plays each role equally often), centred on the other 31 models. B *is* a second
   sample of A, so the disattenuated agreement ``A(A, B) / ceiling`` should be close to 1, and
   B should be A's nearest neighbour.
2. **All pairs.** The 32 models with three samples each, as ``stylesim matrix`` computes them:
   every model's self-agreement, and for each model its nearest neighbour's agreement and
   disattenuated agreement, with documented relatives marked.

Nothing in stylesim was tuned to these numbers.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import time
from pathlib import Path

import numpy as np
from validation import RELATIVES, load_corpora, markdown_table

from stylesim.corpus import Corpus
from stylesim.panel import PairwiseArrays, pairwise_arrays
from stylesim.stats import resampling
from stylesim.stats.agreement import disattenuated

REPO = Path(__file__).resolve().parents[1]


def as_samples(corpus: Corpus, keep: str = "all", name: str | None = None) -> Corpus:
    """``prompt_id`` "N.i" (prompt N, iteration i) becomes prompt "N", sample i. ``keep``:
    "all", "held" (the iteration held out for prompt N: i = 1 + N mod 3) or "rest" (the other two)."""
    out = copy.copy(corpus)
    outputs = []
    for output in corpus.outputs:
        prompt, iteration = output.prompt_id.split(".")
        held = (int(iteration) - 1) == int(prompt) % 3
        if (keep == "held" and not held) or (keep == "rest" and held):
            continue
        outputs.append(dataclasses.replace(output, prompt_id=prompt, sample=int(iteration), prompt=None))
    out.outputs = outputs
    out.prompts = {o.prompt_id: None for o in outputs}
    if name is not None:
        # A distinct name and path: the same file twice would be dropped as a duplicate input.
        out.name, out.path = name, f"{corpus.path}#{name}"
    return out


def _ci(values: np.ndarray) -> str:
    low, high = resampling.percentile_interval(values[1:], 0.95)
    return f"{values[0]:.2f} ({low:.2f} to {high:.2f})"


def held_out_rows(corpora: list[Corpus], resamples: int, limit: int | None) -> list[list[object]]:
    rows = []
    for x, corpus in enumerate(corpora[:limit]):
        start = time.perf_counter()
        a = as_samples(corpus, "rest", f"{corpus.name} (2 iterations)")
        b = as_samples(corpus, "held", f"{corpus.name} (held-out iteration)")
        others = [as_samples(c) for i, c in enumerate(corpora) if i != x]
        arrays = pairwise_arrays([a, b, *others], n_resamples=resamples, embeddings=False)
        i, j = arrays.names.index(a.name), arrays.names.index(b.name)
        ceiling = arrays.pair_self_agreement[i, j]
        ratio = disattenuated(arrays.agreement[i, j], ceiling, ceiling)
        rank = 1 + int(np.sum(np.delete(arrays.t[i], [i, j]) > arrays.t[i, j]))
        rows.append([corpus.name, f"{arrays.agreement[i, j, 0]:.3f}", f"{ceiling[0]:.3f}", _ci(ratio),
                     f"{rank} of {len(arrays.names) - 1}", arrays.alignment.n_prompts])
        print(f"  {corpus.name}: {time.perf_counter() - start:.0f} s", flush=True)
    return rows


def _relatives(names: list[str]) -> dict[str, set[str]]:
    groups = [set(g) & set(names) for g in RELATIVES.get("eqbench", [])]
    return {name: set().union(*(g for g in groups if name in g)) - {name} for name in names}


def pair_rows(arrays: PairwiseArrays) -> tuple[list[list[object]], list[str]]:
    names, t = arrays.names, arrays.t
    ceilings = arrays.pair_self_agreement
    relatives = _relatives(names)
    rows = []
    corrected = np.full(t.shape, np.nan)
    for i in range(len(names)):
        for j in range(len(names)):
            if i != j:
                corrected[i, j] = disattenuated(arrays.agreement[i, j, 0], ceilings[i, j, 0], ceilings[j, i, 0])
    for i, name in enumerate(names):
        row_t = t[i].copy()
        row_t[i] = -np.inf
        j = int(np.argmax(row_t))
        both = disattenuated(arrays.agreement[i, j], ceilings[i, j], ceilings[j, i])
        rows.append([name, f"{arrays.self_agreement[i, 0]:.3f}", names[j],
                     "yes" if names[j] in relatives[name] else "no", f"{arrays.agreement[i, j, 0]:.3f}", _ci(both)])
    upper = np.triu_indices(len(names), 1)
    related = np.array([names[b] in relatives[names[a]] for a, b in zip(*upper)])
    values = corrected[upper]
    summary = [
        f"pairs: {len(values)}; disattenuated agreement above 1: {int(np.sum(values > 1))}",
        f"median over documented relatives ({int(related.sum())} pairs): {np.nanmedian(values[related]):.2f}",
        f"median over the other pairs: {np.nanmedian(values[~related]):.2f}",
    ]
    return rows, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--split", type=int, default=None, help="held-out check for the first N models only")
    args = parser.parse_args()
    corpora = load_corpora(args.corpora, "eqbench")
    start = time.perf_counter()
    arrays = pairwise_arrays([as_samples(c) for c in corpora], n_resamples=args.resamples, embeddings=False)
    print(f"all pairs: {len(arrays.names)} models, {arrays.alignment.n_prompts} prompts x 3 samples, "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    rows, summary = pair_rows(arrays)
    held = held_out_rows(corpora, args.resamples, args.split)
    markdown_table(["model X", "A(X two iterations, X third)", "ceiling", "disattenuated (95% CI)",
                    "held-out sample's rank by t", "prompts"], held)
    ratios = [float(row[3].split()[0]) for row in held]
    print(f"\nheld-out disattenuated agreement: median {np.median(ratios):.2f}, "
          f"range {min(ratios):.2f} to {max(ratios):.2f}")
    markdown_table(["model", "self-agreement", "nearest by t", "documented relative", "agreement",
                    "disattenuated (95% CI)"], rows)
    print("\n" + "\n".join(summary))


if __name__ == "__main__":
    main()
