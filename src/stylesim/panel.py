"""Many models at once: the similarity matrix, nearest neighbours and a bootstrap tree."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from . import features as feature_families
from ._env import check_source_date_epoch
from .alignment import Alignment, align
from .analysis import Progress, _encoding_progress, _jobs, flatten, should_centre
from .compare import CorpusLike, _as_corpus, _plan, input_entries
from .corpus import Corpus
from .errors import ConfigurationError, InputError
from .features.embeddings import SentenceEmbedder
from .parallel import one_blas_thread, run_tasks
from .plan import Plan
from .result import METHOD_VERSION, SCHEMA_VERSION, Result, clean, created_timestamp, interval
from .roles import Roles
from .same_prompt import (
    PairwiseAgreement,
    combine_agreements,
    pairwise_agreement,
    resampled_t,
    sample_norms,
)
from .similarity import (
    mean_over_families,
    pairwise_resemblance,
    pairwise_similarity,
    pairwise_similarity_observed,
    per_prompt_means,
)
from .stats import panel as panel_stats
from .stats import resampling
from .stats.agreement import MIN_MODELS, disattenuated_interval, signflip_max_pvalues
from .stats.families import weighted_over_families
from .stats.moments import FoldCentre, prompt_grams, unit_means
from .stats.tree import bootstrap_tree

_FOLD_SEED = 20250601
log = logging.getLogger(__name__)


OUTPUT_SUFFIXES = {".json", ".jsonl", ".html", ".htm"}


def expand_inputs(items: Sequence[str | Path]) -> list[Path]:
    """Files as given; a directory contributes every file in it whose content is a known format
    (sorted; hidden files and other suffixes, such as a README, are skipped; a file with an
    outputs suffix whose format cannot be told, or a symbolic link to nothing, is skipped with a
    warning that says why)."""
    from . import formats

    paths: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = []
            for candidate in sorted(path.iterdir()):
                if candidate.name.startswith(".") or candidate.suffix.lower() not in OUTPUT_SUFFIXES:
                    continue
                if candidate.is_symlink() and not candidate.exists():
                    log.warning("%s: skipped, a symbolic link to nothing (or a loop of links)", candidate)
                    continue
                if not candidate.is_file():
                    continue
                try:
                    formats.detect(candidate)
                except InputError as exc:
                    # The reason without the path the warning already names ("line 1: ..." where
                    # the error has a line; the path came twice before 0.3.17).
                    where = f"line {exc.line}: " if exc.line is not None else ""
                    reason = (where + exc.message if exc.path == str(candidate) else str(exc)).split("; pass --format")[0]
                    log.warning("%s: skipped, not read as model outputs (%s)", candidate, reason)
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


# Up to this many models, every pair's resemblance gets its own n x n Gram matrix and so bootstrap
# intervals; beyond it (k^2 / 2 Gram matrices would take hours) the resemblance is computed for
# the observed data only, from k x k products of fold sums, and its intervals are left empty.
EXACT_RESEMBLANCE_MODELS = 40


def _pairwise(features, flat, weights, groups):  # noqa: ANN001, ANN202
    """All-pairs cross-prompt similarity and same-prompt agreement (with ceilings) of one family.

    The resemblance pairs different resampling units (a prompt's variants averaged); the
    agreement stays per prompt, its resampling already drawing whole units."""
    matrices = [per_prompt_means(features, rows) for rows in flat.rows]
    dots = prompt_grams(matrices)
    units = [unit_means(m, groups) for m in matrices]
    centre = _background(units)
    if len(matrices) <= EXACT_RESEMBLANCE_MODELS:
        cross = pairwise_similarity(units, resampling.unit_weights(weights, groups), center=centre)
    else:
        cross = np.full((len(matrices), len(matrices), weights.shape[0]), np.nan)
        unit_dots = dots if groups is None else prompt_grams(units)
        cross[:, :, 0] = pairwise_similarity_observed(units, unit_dots, center=centre)
    return cross, pairwise_agreement(matrices, sample_norms(features, flat.rows), weights, dots=dots)


def _family_cross(name, flat, weights, groups):  # noqa: ANN001, ANN202
    features, _ = feature_families.extract(name, flat.texts, flat.groups)
    if features is None or features.shape[1] == 0:
        return None
    return _pairwise(features, flat, weights, groups)


@dataclass
class PairwiseArrays:
    """All-pairs statistics of N aligned models; the last axis is [observed, resample 1, ...]."""

    names: list[str]
    alignment: Alignment
    plan: Plan
    agreement: np.ndarray  # (k, k, resamples), NaN diagonal: same-prompt agreement (primary)
    self_agreement: np.ndarray  # (k, resamples): agreement with a second sample (NaN without samples)
    t: np.ndarray  # (k, k): studentised agreement, the ranking statistic
    contributions: np.ndarray  # (k, k, n): per-prompt contributions to the combined agreement
    family_weights: dict[str, float]
    resemblance: np.ndarray  # (k, k, resamples): cross-prompt resemblance, diagonal = ceiling
    per_family_resemblance: dict[str, np.ndarray]
    per_family_agreement: dict[str, np.ndarray]
    # (k, k, resamples): [i, j] is i's ceiling on the background of the pair (i, j), what
    # disattenuating A(i, j) needs; None when no model has two samples of a prompt.
    pair_self_agreement: np.ndarray | None = None
    # (1 + resamples, n): the prompt weights of the observed analysis and of each bootstrap resample.
    weights: np.ndarray | None = None


def pairwise_arrays(
    inputs: Sequence[CorpusLike],
    *,
    seed: int = 0,
    n_resamples: int = 200,
    n_permutations: int = 1000,
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
    # The same file or identical responses twice would be each other's nearest neighbour by construction.
    corpora: list[Corpus] = Roles.build([_as_corpus(item) for item in items], keep_focus_duplicates=0,
                                        names_count=False).corpora
    if len(corpora) < MIN_MODELS:
        raise ConfigurationError(f"matrix needs at least {MIN_MODELS} models (each pair is centred on two or more others)")
    plan = _plan(seed, n_resamples, n_permutations, embeddings, embedding_model, device, cache_dir, families,
                 confidence, jobs, min_prompts)
    alignment = align(corpora, min_prompts=min_prompts)
    plan.units = alignment.n_units
    k = len(corpora)
    rng = resampling.as_rng(seed)
    n = alignment.n_prompts
    weights = np.vstack([np.ones(n), resampling.bootstrap_weights(n, plan.n_resamples, rng, alignment.prompt_groups)])
    flat = flatten(alignment)
    tasks = {name: partial(_family_cross, name, flat, weights, alignment.prompt_groups) for name in plan.families}
    results: dict[str, Any] = {
        name: c for name, c in run_tasks(tasks, jobs=_jobs(plan, flat), progress=progress).items() if c is not None  # type: ignore[arg-type]
    }
    if plan.embeddings:
        if progress:
            progress("features: embedding")
        vectors = SentenceEmbedder(plan.embedding_model, device=plan.device, cache_dir=plan.cache_dir,
                                   progress=_encoding_progress(progress)).transform(flat.texts)
        with one_blas_thread():  # as the other families ran (method.md, Determinism)
            results["embedding"] = _pairwise(vectors, flat, weights, alignment.prompt_groups)
    if not results:
        raise ConfigurationError("no feature family produced features for these texts")
    per_family = {name: pairwise_resemblance(cross, shrink=should_centre(k)) for name, (cross, _) in results.items()}
    pairs: dict[str, PairwiseAgreement] = {name: agreement for name, (_, agreement) in results.items()}
    combined = combine_agreements([a.ratio for a in pairs.values()], [a.numerator for a in pairs.values()],
                                  [a.scale for a in pairs.values()], [a.ratio[..., :1] for a in pairs.values()],
                                  groups=alignment.prompt_groups,
                                  order=sorted(range(k), key=lambda m: (corpora[m].name, str(corpora[m].path or ''))))
    return PairwiseArrays(
        names=[c.name for c in corpora], alignment=alignment, plan=plan,
        agreement=combined.ratio,
        self_agreement=weighted_over_families([a.ceilings for a in pairs.values()], combined.weights,
                                             resampled=True),
        t=combined.t, contributions=combined.contributions,
        family_weights={name: round(float(w), 6) for name, w in zip(pairs, combined.weights)},
        resemblance=mean_over_families(per_family.values(), resampled=True),
        per_family_resemblance=per_family, per_family_agreement={name: a.ratio for name, a in pairs.items()},
        pair_self_agreement=(weighted_over_families([a.pair_ceilings for a in pairs.values()], combined.weights,
                                                   resampled=True)
                             if all(a.pair_ceilings is not None for a in pairs.values()) else None),
        weights=weights,
    )


def similarity_matrix(inputs: Sequence[CorpusLike], *, min_prompts: int = 20, **options: Any) -> Result:
    """Pairwise agreement and resemblance of N models on the prompts they all answered, with a
    bootstrap tree. Options are those of :func:`pairwise_arrays`.

    The primary statistic is same-prompt agreement (method v3), as in :func:`stylesim.compare`
    with a panel. Each model's nearest neighbour is the model with the largest studentised
    agreement; its p-value is the prompt-level sign-flip test of "no agreement beyond the
    background", adjusted for having taken the best of N - 1 (max-T over the row). The tree is
    average linkage (UPGMA, scipy) on 1 - agreement; every clade's support is the share of
    prompt-bootstrap trees that contain it.
    """
    check_source_date_epoch()  # before any work, not when the result is stamped
    arrays = pairwise_arrays(inputs, min_prompts=min_prompts, **options)
    return Result(_matrix_data(arrays, min_prompts, options.get("progress")))


def _best(values: np.ndarray, candidates: Sequence[int]) -> int:
    return max(candidates, key=lambda m: values[m] if np.isfinite(values[m]) else -np.inf)


def _resampled_t(arrays: PairwiseArrays, i: int) -> np.ndarray:
    """(k, resamples): model i's studentised agreement with every model under each bootstrap
    resample of the prompts (its units' contributions reweighted), as t is under the observed one."""
    return resampled_t(arrays.contributions[i], arrays.weights[1:], arrays.alignment.prompt_groups)


def _nearest_row(arrays: PairwiseArrays, i: int, flips: np.ndarray) -> dict[str, Any]:
    """Model i's nearest neighbour by studentised agreement, with its selection-adjusted p-value."""
    names, agreement, resemblance, t = arrays.names, arrays.agreement, arrays.resemblance, arrays.t
    level = arrays.plan.interval_level
    others = [j for j in range(len(names)) if j != i]
    j = _best(t[i], others)
    panel = [m for m in others if m != j]
    adjusted = signflip_max_pvalues(resampling.group_sums(arrays.contributions[i, others],
                                                          arrays.alignment.prompt_groups), flips)
    median = panel_stats.median_over_models(resemblance[i, panel, :])  # NaN resamples (many models) stay NaN
    second = _best(t[i], panel)
    # How often j stays i's nearest when prompts are resampled: by t, the statistic that picked it.
    draws = np.nan_to_num(_resampled_t(arrays, i), nan=-np.inf)
    draws[i] = -np.inf
    row = {
        "model": names[i], "nearest": names[j], "agreement": clean(agreement[i, j, 0]),
        # Simultaneous over the row: j was picked by the data, so its interval must hold whichever is.
        "agreement_ci": [clean(v) for v in resampling.simultaneous_intervals(agreement[i, others, 1:],
                                                                             level)[others.index(j)]],
        "agreement_ci_unadjusted": [clean(v) for v in resampling.percentile_interval(agreement[i, j, 1:], level)],
        "t": clean(t[i, j]), "pvalue": clean(adjusted[others.index(j)], 6), "candidates": len(others),
        "similarity": clean(resemblance[i, j, 0]),
        "closeness_index": interval(*panel_stats.index_interval(resemblance[i, j, :], median, resemblance[i, i, :],
                                                                level)),
        "runner_up": names[second], "runner_up_agreement": clean(agreement[i, second, 0]),
        "runner_up_t": clean(t[i, second]),
        "stability": round(float(np.mean(np.argmax(draws, axis=0) == j)), 4),
        # The heatmap and the tree use agreement itself; t can pick another neighbour.
        "nearest_by_agreement": names[_best(agreement[i, :, 0], others)],
    }
    ceilings = arrays.pair_self_agreement
    if ceilings is not None and np.isfinite(ceilings[i, j, 0]):
        # What a second sample of i would score in j's place, on the background of the pair (i, j).
        agreement_median = panel_stats.median_over_models(agreement[i, panel, :])
        row["agreement_index"] = interval(*panel_stats.index_interval(agreement[i, j, :], agreement_median,
                                                                      ceilings[i, j], level))
        if np.isfinite(ceilings[j, i, 0]):
            corrected = disattenuated_interval(agreement[i, j, :], ceilings[i, j], ceilings[j, i], level)
            if np.isfinite(corrected[0]):  # else a ceiling too near 0 to divide by: none
                row["disattenuated"] = interval(*corrected)
    return row


def _matrix_data(arrays: PairwiseArrays, min_prompts: int, progress: Progress | None = None) -> dict[str, Any]:
    """Nearest neighbours (studentised agreement, max-T sign-flip p-values), the tree on
    agreement, and each neighbour's closeness index on the cross-prompt resemblance scale."""
    names, plan, alignment = arrays.names, arrays.plan, arrays.alignment
    k = len(names)
    observed = arrays.agreement[:, :, 0]
    replicates = [1.0 - arrays.agreement[:, :, r] for r in range(1, arrays.agreement.shape[2])]
    tree = bootstrap_tree(1.0 - observed, replicates, names)
    # One set of flips for every row, from its own stream of the seed (as compare's and attribute's).
    groups = alignment.prompt_groups
    units = resampling.n_units(alignment.n_prompts, groups)
    flips = resampling.sign_flips(units, plan.n_permutations, resampling.as_rng([plan.seed, 1]))
    nearest = []
    for i in range(k):
        if progress:
            progress("nearest neighbours", i, k)
        nearest.append(_nearest_row(arrays, i, flips))
    for row in nearest:
        partner = next(r for r in nearest if r["model"] == row["nearest"])
        row["mutual"] = partner["nearest"] == row["model"]
    return {
        "stylesim_version": __version__,
        "kind": "matrix",
        "schema_version": SCHEMA_VERSION,
        "created": created_timestamp(),
        "parameters": {**plan.to_dict(), "min_prompts": min_prompts,
                       "tree": "average linkage (UPGMA) on 1 - same-prompt agreement",
                       "resemblance_intervals": k <= EXACT_RESEMBLANCE_MODELS},
        "coverage": alignment.coverage(),
        "inputs": input_entries(alignment.corpora),
        "hygiene": {c.name: c.hygiene.to_dict() for c in alignment.corpora},
        "models": names,
        "statistic": "agreement",
        "method_version": METHOD_VERSION,
        "family_weights": arrays.family_weights,
        "matrix": clean(observed),
        "t": clean(arrays.t),
        "self_agreement": clean(arrays.self_agreement[:, 0]),
        "resemblance": clean(arrays.resemblance[:, :, 0]),
        "ceilings": clean(np.diag(arrays.resemblance[:, :, 0])),
        "families": {name: {"label": _label(name), "matrix": clean(arrays.per_family_agreement[name][:, :, 0]),
                            "resemblance": clean(r[:, :, 0])}
                     for name, r in arrays.per_family_resemblance.items()},
        "nearest": nearest,
        "tree": {
            "newick": tree.newick(),
            "order": [names[i] for i in tree.order],
            "clades": [{"members": sorted(names[i] for i in clade), "support": clean(s)}
                       for clade, s in zip(tree.clades, tree.support)],
            # scipy linkage rows: ids < N are models (in "models" order), N + r is merge r.
            "merges": [[int(left), int(right), clean(height), clean(s)]
                       for (left, right, height, _), s in zip(tree.linkage, tree.support)],
        },
        "verdict": _verdict(nearest, {c.name: c.hygiene.to_dict() for c in alignment.corpora}),
    }


def _label(name: str) -> str:
    return feature_families.EMBEDDING.label if name == "embedding" else feature_families.FAMILIES[name].label


def _verdict(nearest: list[dict], hygiene: dict | None = None) -> dict:
    from .verdict import BASE_NOTE, CAVEATS, repeated_answers_sentence
    from .verdict_words import isolate, share_text

    rows = {r["model"]: r for r in nearest}
    mutual = sorted({tuple(sorted((r["model"], r["nearest"]))) for r in nearest if r["mutual"]})

    def pair(a: str, b: str) -> str:
        stays = min(rows[a].get("stability", 1.0), rows[b].get("stability", 1.0))
        narrow = f" (narrow: stays nearest in {share_text(stays)} of prompt resamples)" if stays < 0.5 else ""
        return f"{isolate(a)} and {isolate(b)}{narrow}"

    headline = (
        f"{len(mutual)} pair(s) of models are each other's nearest neighbour by studentised agreement: "
        + "; ".join(pair(a, b) for a, b in mutual[:8]) + ("" if len(mutual) <= 8 else "; ...") + "."
    ) if mutual else "No two models are each other's nearest neighbour."
    strong = [r for r in nearest if r["pvalue"] is not None and r["pvalue"] <= 0.05]
    details = [
        f"{len(strong)} of {len(nearest)} models have a nearest neighbour whose agreement stands above the "
        "background at p \u2264 0.05 (prompt-level sign-flip test, adjusted for picking the best of the other "
        "models). The background is the other models of this set, so in a set of distinct styles most pairs "
        "of neighbours pass: this says a pair shares more than the average pair here, not that the two are "
        "related. Shared agreement can come from a shared base model, shared data or a shared teacher as "
        "well as distillation.",
        BASE_NOTE.replace("Add --base BASE to partial it out.", "Use stylesim attribute --base for a given student."),
    ]
    differ = [r["model"] for r in nearest if r.get("nearest_by_agreement", r["nearest"]) != r["nearest"]]
    if differ:
        details.append(f"For {len(differ)} model(s) the nearest by studentised agreement (used here) is not the one "
                       "with the largest agreement, which the heatmap and the tree use: "
                       + ", ".join(isolate(m) for m in differ[:6]) + ("" if len(differ) <= 6 else ", ...") + ".")
    if repeated := repeated_answers_sentence({"hygiene": hygiene}):
        details.insert(1, repeated)
    return {"headline": headline, "details": details, "caveats": list(CAVEATS)}
