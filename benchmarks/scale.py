"""Time and peak memory of compare, attribute and matrix as the number of models grows (issue 14).

    python benchmarks/scale.py [--corpora ../shared/corpora] [--cases compare,warm,attribute,matrix26,growth,matrix200]
                               [--growth 5,10,20,30,50] [--plot docs/speed-scaling.svg]

Real models are the AlpacaEval outputs in the published corpora (805 prompts). Where a case needs
more models than the corpora hold, or for the synthetic matrices, "mixture" models are written to
a temporary folder: for each prompt, a model's answer is built from sentences of the real answers
to that prompt, drawn with model-specific weights over the real models (Dirichlet), so every
synthetic model answers the same 805 prompts in a voice of its own and related mixtures resemble
each other. They are benchmark inputs only: nothing is fitted to them.

Every case runs the stylesim CLI as a fresh process (start-up and loading included), without
embeddings. Peak memory is the largest resident set of any single process of the run (forked
feature workers hold their own features, so the machine-wide total can be up to twice that).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(json.dumps({"seconds": time.perf_counter() - start, "code": code,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``command`` run in a fresh wrapper process."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"failed ({result['code']}): {' '.join(command)}")
    return result["seconds"], result["peak_mb"]


def real_models(corpora: Path) -> list[Path]:
    root = corpora / "alpaca_eval" / "results"
    found = sorted(root.glob("*/model_outputs.json"))
    if len(found) < 10:
        raise SystemExit(f"the AlpacaEval outputs were not found under {root}")
    return found


def mixtures(real: list[Path], count: int, folder: Path, seed: int = 0) -> list[Path]:
    """``count`` synthetic mixture models (stylesim JSONL) on the real models' prompts."""
    rows = [json.loads(path.read_text(encoding="utf-8")) for path in real]
    by_prompt: dict[str, list[list[str]]] = {}
    for model in rows:
        for record in model:
            sentences = [s.strip() for s in record["output"].replace("\n", " \n ").split(". ") if s.strip()]
            by_prompt.setdefault(record["instruction"], []).append(sentences)
    prompts = sorted(by_prompt)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    # Mixtures come in related groups of four: a parent's weights, and children that perturb them.
    parent: list[float] = []
    for index in range(count):
        if index % 4 == 0:
            parent = [rng.gammavariate(0.3, 1.0) for _ in real]
        weights = [w * rng.uniform(0.5, 1.5) + 0.01 for w in parent]
        path = folder / f"mix-{index:03d}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for number, prompt in enumerate(prompts):
                sources = by_prompt[prompt]
                length = max(3, int(rng.gauss(9, 3)))
                picked = []
                for _ in range(length):
                    source = rng.choices(range(len(sources)), weights=weights[: len(sources)])[0]
                    if sources[source]:
                        picked.append(rng.choice(sources[source]))
                handle.write(json.dumps({"prompt_id": f"alpaca-{number}", "prompt": prompt, "model": f"mix-{index:03d}",
                                         "response": ". ".join(picked) or "No answer."}) + "\n")
        paths.append(path)
    return paths


def synthetic_only(real: list[Path], count: int, folder: Path) -> list[Path]:
    return mixtures(real, count, folder, seed=count)


def stylesim() -> list[str]:
    return [str(Path(sys.executable).with_name("stylesim"))]


def case_compare(real: list[Path], panel_size: int, tmp: Path) -> tuple[str, float, float]:
    a, b = real[0], real[1]
    panel = real[2 : 2 + panel_size]
    if len(panel) < panel_size:
        panel += mixtures(real, panel_size - len(panel), tmp / f"extra-{panel_size}")
    args = [arg for path in panel for arg in ("--panel", str(path))]
    seconds, peak = measure([*stylesim(), "compare", str(a), str(b), *args, "--no-embeddings", "--quiet",
                             "--json", str(tmp / "c.json")])
    return f"compare A B with a {panel_size}-model panel", seconds, peak


def placeholder_cache(paths: list[Path], folder: Path) -> Path:
    """An embedding cache holding a placeholder vector for every cleaned text of ``paths``.

    Only the warm-cache *path* is timed (reading 384-d vectors and analysing them as the
    embedding family); encoding 25,000 texts on this CPU would take about half an hour. The
    vectors are unit-length pseudo-random ones derived from each text's digest, so the numbers
    of the embedding family in this run mean nothing.
    """
    import numpy as np

    from stylesim.alignment import align
    from stylesim.analysis import flatten
    from stylesim.corpus import load_corpora
    from stylesim.features.embeddings import DEFAULT_MODEL, EmbeddingCache, text_digest

    texts = flatten(align(load_corpora(paths))).texts
    vectors = {}
    for text in texts:
        digest = text_digest(text)
        vector = np.random.default_rng(int(digest[:15], 16)).normal(size=384).astype(np.float32)
        vectors[digest] = vector / np.linalg.norm(vector)
    cache = EmbeddingCache(folder)
    cache.put_many(DEFAULT_MODEL, vectors)
    cache.close()
    return folder


def case_compare_warm(real: list[Path], panel_size: int, tmp: Path) -> list[tuple[str, float, float]]:
    """compare with a panel, with embeddings from a warm (placeholder) cache, and without."""
    a, b = real[0], real[1]
    panel = real[2 : 2 + panel_size]
    if len(panel) < panel_size:
        panel += mixtures(real, panel_size - len(panel), tmp / f"extra-{panel_size}")
    cache = placeholder_cache([a, b, *panel], tmp / "cache")
    args = [str(a), str(b), *[arg for path in panel for arg in ("--panel", str(path))], "--quiet",
            "--json", str(tmp / "w.json")]
    warm = measure([*stylesim(), "compare", *args, "--cache-dir", str(cache)])
    cold = measure([*stylesim(), "compare", *args, "--no-embeddings"])
    return [(f"compare A B with a {panel_size}-model panel, embeddings from a warm cache", *warm),
            (f"the same run without embeddings (ratio {warm[0] / cold[0]:.2f})", *cold)]


def case_attribute(real: list[Path], candidates: int, panel_size: int, tmp: Path) -> tuple[str, float, float]:
    student, teachers = real[0], real[1 : 1 + candidates]
    panel = real[1 + candidates : 1 + candidates + panel_size]
    if len(panel) < panel_size:
        panel += mixtures(real, panel_size - len(panel), tmp / f"extra-att-{panel_size}")
    args = [arg for path in panel for arg in ("--panel", str(path))]
    seconds, peak = measure([*stylesim(), "attribute", str(student), *map(str, teachers), *args, "--no-embeddings",
                             "--quiet", "--json", str(tmp / "a.json")])
    return f"attribute with {candidates} candidates and a {panel_size}-model panel", seconds, peak


def case_matrix(paths: list[Path], label: str, tmp: Path) -> tuple[str, float, float]:
    seconds, peak = measure([*stylesim(), "matrix", *map(str, paths), "--no-embeddings", "--quiet",
                             "--json", str(tmp / "m.json")])
    return label, seconds, peak


def plot(points: dict[str, list[tuple[int, float]]], path: Path) -> None:
    """A small self-written SVG line plot of seconds against models (no plotting library)."""
    width, height, left, bottom, top, right = 620, 320, 56, 40, 16, 180
    xs = [x for series in points.values() for x, _ in series]
    ys = [y for series in points.values() for _, y in series]
    x_max, y_max = max(xs), max(ys) * 1.1

    def px(x: float) -> float:
        return left + (width - left - right) * x / x_max

    def py(y: float) -> float:
        return height - bottom - (height - bottom - top) * y / y_max

    colours = ["#1f5fa8", "#b3452c", "#3d8b3d", "#7a4fa0"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" font-family="sans-serif" '
             'font-size="12"><title>Time against number of models</title>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#555"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#555"/>',
             f'<text x="{(left + width - right) / 2}" y="{height - 8}" text-anchor="middle">models</text>',
             f'<text x="14" y="{(top + height - bottom) / 2}" transform="rotate(-90 14 {(top + height - bottom) / 2})" '
             'text-anchor="middle">seconds</text>']
    for tick in range(0, int(x_max) + 1, max(1, int(x_max) // 5)):
        parts.append(f'<text x="{px(tick):.1f}" y="{height - bottom + 16}" text-anchor="middle">{tick}</text>')
    step = max(1, round(y_max / 5, -1 if y_max > 50 else 0))
    tick = 0.0
    while tick <= y_max:
        parts.append(f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>')
        tick += step
    for number, (name, series) in enumerate(points.items()):
        colour = colours[number % len(colours)]
        line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in sorted(series))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>')
        parts += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>' for x, y in series]
        parts.append(f'<text x="{width - right + 8}" y="{top + 16 * number + 4}" fill="{colour}">{name}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--cases", default="compare,attribute,matrix26,growth")
    parser.add_argument("--growth", default="2,5,10,20,30,50",
                        help="model counts for the growth curves (a matrix needs at least 4)")
    parser.add_argument("--plot", type=Path, default=None, help="write the growth curves as an SVG")
    parser.add_argument("--large", type=int, default=200, help="models in the matrix200 case")
    args = parser.parse_args()
    real = real_models(args.corpora)
    cases = set(args.cases.split(","))
    rows = []
    growth: dict[str, list[tuple[int, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if "compare" in cases:
            rows.append(case_compare(real, 30, tmp))
        if "warm" in cases:
            rows.extend(case_compare_warm(real, 30, tmp))
        if "attribute" in cases:
            rows.append(case_attribute(real, 8, 30, tmp))
        if "matrix26" in cases:
            rows.append(case_matrix(real, f"matrix of the {len(real)} AlpacaEval models", tmp))
        if "growth" in cases:
            sizes = [int(x) for x in args.growth.split(",")]
            pool = mixtures(real, max(sizes), tmp / "growth")
            for size in sizes:
                label, seconds, peak = case_compare(real, max(size - 2, 0), tmp)
                rows.append((label, seconds, peak))
                growth.setdefault("compare (A, B, panel)", []).append((size, seconds))
                if size < 4:
                    continue
                label, seconds, peak = case_matrix(pool[:size], f"matrix of {size} synthetic models", tmp)
                rows.append((label, seconds, peak))
                growth.setdefault("matrix", []).append((size, seconds))
        if "matrix200" in cases:
            pool = synthetic_only(real, args.large, tmp / "large")
            rows.append(case_matrix(pool, f"matrix of {args.large} synthetic models", tmp))
    width = max(len(name) for name, _, _ in rows)
    print(f"| {'case':<{width}} | time | peak RSS |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for name, seconds, peak in rows:
        print(f"| {name:<{width}} | {seconds:.1f} s | {peak:,.0f} MB |")
    if args.plot and growth:
        plot(growth, args.plot)


if __name__ == "__main__":
    main()
