"""Many models at once: the similarity matrix, nearest neighbours and a bootstrap tree."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from . import features as feature_families
from .analysis import Plan, Progress, _jobs, flatten, should_centre
from .compare import CorpusLike, _as_corpus, _plan, _unique_names
from .corpus import Alignment, Corpus, align
from .errors import ConfigurationError, InputError
from .features.embeddings import SentenceEmbedder
from .parallel import run_tasks
from .result import Result, clean, interval
from .similarity import (
    mean_over_families,
    pairwise_agreement,
    pairwise_resemblance,
    pairwise_similarity,
    per_prompt_means,
    sample_norms,
)
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


def _pairwise(features, flat, weights):  # noqa: ANN001, ANN202
    """All-pairs cross-prompt similarity and same-prompt agreement (with ceilings) of one family."""
    matrices = [per_prompt_means(features, rows) for rows in flat.rows]
    cross = pairwise_similarity(matrices, weights, center=_background(matrices))
    return cross, pairwise_agreement(matrices, sample_norms(features, flat.rows), weights)


def _family_cross(name, flat, weights, k):  # noqa: ANN001, ANN202
    features, _ = feature_families.extract(name, flat.texts, flat.groups)
    if features is None or features.shape[1] == 0:
        return None
    return _pairwise(features, flat, weights)


@dataclass
class PairwiseArrays:
    """All-pairs statistics of N aligned models; the last axis is [observed, resample 1, ...]."""

    names: list[str]
    alignment: Alignment
    plan: Plan
    agreement: np.ndarray  # (k, k, resamples), NaN diagonal: same-prompt agreement (primary)
    self_agreement: np.ndarray  # (k, resamples): agreement with a second sample (NaN without samples)
    resemblance: np.ndarray  # (k, k, resamples): cross-prompt resemblance, diagonal = ceiling
    per_family_resemblance: dict[str, np.ndarray]
    per_family_agreement: dict[str, np.ndarray]


def pairwise_arrays(
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
) -> PairwiseArrays:
    """Agreement and resemblance of every pair of N models under a prompt bootstrap (arrays).

    Row i of these arrays is what :func:`stylesim.compare` computes with model i as A and every
    other model as B or panel (the same alignment, features and statistics).
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
    results: dict[str, Any] = {
        name: c for name, c in run_tasks(tasks, jobs=_jobs(plan, flat), progress=progress).items() if c is not None  # type: ignore[arg-type]
    }
    if plan.embeddings:
        if progress:
            progress("features: embedding")
        vectors = SentenceEmbedder(plan.embedding_model, device=plan.device, cache_dir=plan.cache_dir).transform(flat.texts)
        results["embedding"] = _pairwise(vectors, flat, weights)
    if not results:
        raise ConfigurationError("no feature family produced features for these texts")
    per_family = {name: pairwise_resemblance(cross, shrink=should_centre(k)) for name, (cross, _) in results.items()}
    per_family_agreement = {name: agreement for name, (_, (agreement, _)) in results.items()}
    return PairwiseArrays(
        names=[c.name for c in corpora], alignment=alignment, plan=plan,
        agreement=mean_over_families(per_family_agreement.values()),
        self_agreement=mean_over_families(ceilings for _, (_, ceilings) in results.values()),
        resemblance=mean_over_families(per_family.values()),
        per_family_resemblance=per_family, per_family_agreement=per_family_agreement,
    )


def similarity_matrix(inputs: Sequence[CorpusLike], *, min_prompts: int = 20, **options: Any) -> Result:
    """Pairwise agreement and resemblance of N models on the prompts they all answered, with a
    bootstrap tree. Options are those of :func:`pairwise_arrays`.

    The primary statistic is same-prompt agreement, as in :func:`stylesim.compare` with a panel:
    each pair's answers to the same prompt, centred on the other models' answers to it. Each
    model's nearest neighbour by agreement gets the exact rank p-value with the other N - 2 models
    as its panel, and the closeness index (cross-prompt resemblance, features centred on the pooled
    background, shrunk) with its CI. The tree is average linkage (UPGMA, scipy) on
    1 - agreement; every clade's support is the share of prompt-bootstrap trees that contain it.
    """
    arrays = pairwise_arrays(inputs, min_prompts=min_prompts, **options)
    data = _matrix_data(arrays.alignment, arrays.plan, arrays.names, arrays.agreement, arrays.self_agreement,
                        arrays.resemblance, arrays.per_family_resemblance, arrays.per_family_agreement, min_prompts)
    return Result(data)


def _best(values: np.ndarray, candidates: Sequence[int]) -> int:
    return max(candidates, key=lambda m: values[m] if np.isfinite(values[m]) else -np.inf)


def _matrix_data(alignment, plan: Plan, names, agreement, self_agreement, resemblance, per_family,  # noqa: ANN001, ANN202
                 per_family_agreement, min_prompts):
    """Nearest neighbours and the tree on same-prompt agreement (the primary statistic); each
    neighbour's closeness index on the cross-prompt resemblance scale, whose ceiling is the model's
    self-similarity."""
    k = len(names)
    level = plan.confidence
    observed = agreement[:, :, 0]
    distances = 1.0 - observed
    replicates = [1.0 - agreement[:, :, r] for r in range(1, agreement.shape[2])]
    tree = bootstrap_tree(distances, replicates, names)
    nearest = []
    for i in range(k):
        others = [j for j in range(k) if j != i]
        j = _best(observed[i], others)
        panel = [m for m in others if m != j]
        rank, pvalue = panel_stats.rank_among(float(observed[i, j]), observed[i, panel])
        median = np.nanmedian(resemblance[i, panel, :], axis=0)
        index = panel_stats.closeness_index(resemblance[i, j, :], median, resemblance[i, i, :])
        second = _best(observed[i], panel)
        # How often j stays i's nearest when prompts are resampled.
        draws = np.nan_to_num(agreement[i, :, 1:], nan=-np.inf)
        draws[i] = -np.inf
        stays = np.mean(np.argmax(draws, axis=0) == j)
        row = {
            "model": names[i], "nearest": names[j], "agreement": clean(observed[i, j]),
            "pvalue": round(pvalue, 6), "rank": rank, "panel_size": len(panel),
            "similarity": clean(resemblance[i, j, 0]),
            "closeness_index": interval(index[0], *resampling.percentile_interval(index[1:], level)),
            "runner_up": names[second], "runner_up_agreement": clean(observed[i, second]),
            "stability": round(float(stays), 4),
        }
        if np.isfinite(self_agreement[i, 0]):
            agreement_median = np.nanmedian(agreement[i, panel, :], axis=0)
            agreement_index = panel_stats.closeness_index(agreement[i, j, :], agreement_median, self_agreement[i])
            row["agreement_index"] = interval(agreement_index[0], *resampling.percentile_interval(agreement_index[1:], level))
        nearest.append(row)
    for row in nearest:
        partner = next(r for r in nearest if r["model"] == row["nearest"])
        row["mutual"] = partner["nearest"] == row["model"]
    return {
        "stylesim_version": __version__,
        "kind": "matrix",
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "parameters": {**plan.to_dict(), "min_prompts": min_prompts,
                       "tree": "average linkage (UPGMA) on 1 - same-prompt agreement"},
        "coverage": alignment.coverage(),
        "inputs": [{"name": c.name, "path": c.path, "format": c.format} for c in alignment.corpora],
        "hygiene": {c.name: c.hygiene.to_dict() for c in alignment.corpora},
        "models": names,
        "statistic": "agreement",
        "matrix": clean(observed),
        "self_agreement": clean(self_agreement[:, 0]),
        "resemblance": clean(resemblance[:, :, 0]),
        "ceilings": clean(np.diag(resemblance[:, :, 0])),
        "families": {name: {"label": _label(name), "matrix": clean(per_family_agreement[name][:, :, 0]),
                            "resemblance": clean(r[:, :, 0])}
                     for name, r in per_family.items()},
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
