"""Many models at once: the similarity matrix, nearest neighbours and a bootstrap tree."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from . import __version__
from . import features as feature_families
from .analysis import Plan, Progress, _jobs, flatten, should_centre
from .compare import CorpusLike, _as_corpus, _plan, _unique_names
from .corpus import Corpus, align
from .errors import ConfigurationError, InputError
from .features.embeddings import SentenceEmbedder
from .parallel import run_tasks
from .result import Result, clean, interval
from .similarity import pairwise_resemblance, pairwise_similarity, per_prompt_means
from .stats import panel as panel_stats
from .stats import resampling
from .stats.moments import FoldCentre
from .stats.tree import bootstrap_tree

_FOLD_SEED = 20250601


OUTPUT_SUFFIXES = {".json", ".jsonl", ".html", ".htm"}


def expand_inputs(items: Sequence[str | Path]) -> list[Path]:
    """Files as given; a directory contributes every file in it whose content is a known format
    (sorted; hidden files, other suffixes and unrecognised files such as a README are skipped)."""
    from . import formats

    paths: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = []
            for candidate in sorted(path.iterdir()):
                if not candidate.is_file() or candidate.name.startswith(".") or candidate.suffix.lower() not in OUTPUT_SUFFIXES:
                    continue
                try:
                    formats.detect(candidate)
                except InputError:
                    continue
                found.append(candidate)
            if not found:
                raise InputError(path, "the folder holds no files of model outputs")
            paths.extend(found)
        else:
            paths.append(path)
    return paths


def _background(matrices: list) -> FoldCentre | None:
    return FoldCentre(matrices, np.random.default_rng(_FOLD_SEED)) if should_centre(len(matrices)) else None


def _family_cross(name, flat, weights, k):  # noqa: ANN001, ANN202
    features, _ = feature_families.extract(name, flat.texts, flat.groups)
    if features is None or features.shape[1] == 0:
        return None
    matrices = [per_prompt_means(features, rows) for rows in flat.rows]
    return pairwise_similarity(matrices, weights, center=_background(matrices))


def similarity_matrix(
    inputs: Sequence[CorpusLike],
    *,
    seed: int = 0,
    n_resamples: int = 200,
    embeddings: bool = True,
    embedding_model: str | None = None,
    device: str | None = None,
    cache_dir: str | None = None,
    families: Sequence[str] | None = None,
    min_prompts: int = 20,
    confidence: float = 0.95,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Result:
    """Pairwise resemblance of N models on the prompts they all answered, with a bootstrap tree.

    Features are centred on the pooled background of all N models and resemblance is shrunk as in
    :func:`stylesim.compare` with a panel. Each model's nearest neighbour gets the exact rank
    p-value with the other N - 2 models as its panel, and the closeness index with its CI. The
    tree is average linkage (UPGMA, scipy) on 1 - resemblance; every clade's support is the share
    of prompt-bootstrap trees that contain it.
    """
    items: list[CorpusLike] = []
    for item in inputs:
        items.extend(expand_inputs([item]) if isinstance(item, (str, Path)) and Path(item).is_dir() else [item])
    corpora: list[Corpus] = [_as_corpus(item) for item in items]
    if len(corpora) < 3:
        raise ConfigurationError("matrix needs at least three models")
    plan = _plan(seed, n_resamples, 10, embeddings, embedding_model, device, cache_dir, families,
                 confidence, jobs)
    _unique_names(corpora)
    alignment = align(corpora, min_prompts=min_prompts)
    k = len(corpora)
    rng = resampling.as_rng(seed)
    n = alignment.n_prompts
    weights = np.vstack([np.ones(n), resampling.bootstrap_weights(n, plan.n_resamples, rng)])
    flat = flatten(alignment)
    tasks = {name: partial(_family_cross, name, flat, weights, k) for name in plan.families}
    crosses = {name: c for name, c in run_tasks(tasks, jobs=_jobs(plan, flat), progress=progress).items() if c is not None}
    if plan.embeddings:
        if progress:
            progress("features: embedding")
        vectors = SentenceEmbedder(plan.embedding_model, device=plan.device, cache_dir=plan.cache_dir).transform(flat.texts)
        matrices = [per_prompt_means(vectors, rows) for rows in flat.rows]
        crosses["embedding"] = pairwise_similarity(matrices, weights, center=_background(matrices))
    if not crosses:
        raise ConfigurationError("no feature family produced features for these texts")
    per_family = {name: pairwise_resemblance(c, shrink=should_centre(k)) for name, c in crosses.items()}
    combined = np.nanmean(np.stack(list(per_family.values())), axis=0)  # (k, k, resamples)
    names = [c.name for c in corpora]
    data = _matrix_data(alignment, plan, names, combined, per_family, min_prompts)
    return Result(data)


def _matrix_data(alignment, plan: Plan, names, combined, per_family, min_prompts):  # noqa: ANN001, ANN202
    k = len(names)
    level = plan.confidence
    observed = combined[:, :, 0]
    distances = 1.0 - observed
    replicates = [1.0 - combined[:, :, r] for r in range(1, combined.shape[2])]
    tree = bootstrap_tree(distances, replicates, names)
    nearest = []
    for i in range(k):
        others = [j for j in range(k) if j != i]
        j = max(others, key=lambda m: observed[i, m] if np.isfinite(observed[i, m]) else -np.inf)
        panel = [m for m in others if m != j]
        rank, pvalue = panel_stats.rank_among(float(observed[i, j]), observed[i, panel])
        median = np.nanmedian(combined[i, panel, :], axis=0)
        index = panel_stats.closeness_index(combined[i, j, :], median, combined[i, i, :])
        second = max(panel, key=lambda m: observed[i, m] if np.isfinite(observed[i, m]) else -np.inf)
        # How often j stays i's nearest when prompts are resampled.
        stays = np.mean(np.nanargmax(np.where(np.eye(k, dtype=bool)[i][:, None], -np.inf, np.nan_to_num(combined[i, :, 1:], nan=-np.inf)), axis=0) == j)
        nearest.append({
            "model": names[i], "nearest": names[j], "similarity": clean(observed[i, j]),
            "pvalue": round(pvalue, 6), "rank": rank, "panel_size": len(panel),
            "closeness_index": interval(index[0], *resampling.percentile_interval(index[1:], level)),
            "runner_up": names[second], "runner_up_similarity": clean(observed[i, second]),
            "stability": round(float(stays), 4),
        })
    for row in nearest:
        partner = next(r for r in nearest if r["model"] == row["nearest"])
        row["mutual"] = partner["nearest"] == row["model"]
    return {
        "stylesim_version": __version__,
        "kind": "matrix",
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "parameters": {**plan.to_dict(), "min_prompts": min_prompts, "tree": "average linkage (UPGMA) on 1 - resemblance"},
        "coverage": alignment.coverage(),
        "inputs": [{"name": c.name, "path": c.path, "format": c.format} for c in alignment.corpora],
        "hygiene": {c.name: c.hygiene.to_dict() for c in alignment.corpora},
        "models": names,
        "matrix": clean(observed),
        "ceilings": clean(np.diag(observed)),
        "families": {name: {"label": _label(name), "matrix": clean(r[:, :, 0])} for name, r in per_family.items()},
        "nearest": nearest,
        "tree": {
            "newick": tree.newick(),
            "order": [names[i] for i in tree.order],
            "clades": [{"members": sorted(names[i] for i in clade), "support": clean(s)}
                       for clade, s in zip(tree.clades, tree.support)],
        },
        "verdict": _verdict(nearest),
    }


def _label(name: str) -> str:
    return feature_families.EMBEDDING.label if name == "embedding" else feature_families.FAMILIES[name].label


def _verdict(nearest: list[dict]) -> dict:
    from .verdict import CAVEATS

    mutual = sorted({tuple(sorted((r["model"], r["nearest"]))) for r in nearest if r["mutual"]})
    headline = (
        f"{len(mutual)} pair(s) of models are each other's nearest neighbour: "
        + "; ".join(f"{a} and {b}" for a, b in mutual[:8]) + ("" if len(mutual) <= 8 else "; ...")
    ) if mutual else "No two models are each other's nearest neighbour."
    return {"headline": headline, "details": [], "caveats": list(CAVEATS)}
