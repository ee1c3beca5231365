"""An alternative ranking tried for issue 11 and not adopted: correcting candidates for hubness.

    python benchmarks/hubness.py [--corpora ../shared/corpora] [--resamples 50]

text_davinci_003 is the nearest teacher of every LLaMA-era model on AlpacaEval, students and
human-data controls alike: a "hub" in the sense of nearest-neighbour retrieval, close to many
models at once. Hubness reductions such as CSLS (Conneau et al., 2018, "Word translation without
parallel data") or mutual proximity (Schnitzer et al., 2012) score a pair against how close each
side is to everyone else. Here the candidate side is corrected: the student's agreement with
candidate c is compared with the agreements of the non-candidate models with c,
z = (A(s, c) - mean_j A(j, c)) / sd_j A(j, c), and candidates are ranked by z. The script prints,
for each AlpacaEval student and control, the top candidate and the documented teacher's rank by t
(what stylesim ranks by) and by z. The agreements are the matrix's (every model in the analysis,
vocabulary fitted on all of them), so they differ a little from ``stylesim attribute``'s.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from validation import ALPACA_CONTROLS, ALPACA_TEACHERS, ATTRIBUTIONS, REPO, load, markdown_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--resamples", type=int, default=50)
    args = parser.parse_args()
    arrays = load(args.corpora, "alpaca", args.resamples)
    names = arrays.names
    index = {n: i for i, n in enumerate(names)}
    agreement, t = arrays.agreement[:, :, 0], arrays.t
    candidates = [index[c] for c in ALPACA_TEACHERS]
    rows = []
    runs = [(s, docs) for s, docs, _ in ATTRIBUTIONS] + [(c, []) for c in ALPACA_CONTROLS]
    for student, documented in runs:
        s = index[student]
        others = [j for j in range(len(names)) if j not in candidates and j != s]
        z = np.array([(agreement[s, c] - agreement[others, c].mean()) / agreement[others, c].std()
                      for c in candidates])
        by_t = np.array([t[s, c] for c in candidates])
        cells = [student]
        for scores in (by_t, z):
            order = [ALPACA_TEACHERS[i] for i in np.argsort(-scores, kind="stable")]
            rank = min((order.index(d) + 1 for d in documented), default=None)
            cells += [f"{order[0]} ({scores.max():.2f})", f"{rank} of 8" if rank else "n/a"]
        rows.append(cells)
    markdown_table(["student", "top by t", "documented teacher's rank by t", "top by candidate-side z",
                    "documented teacher's rank by z"], rows)


if __name__ == "__main__":
    main()
