"""attribute(): which candidate teacher is a student's language closest to?"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import evidence
from .analysis import AnchorOutcome, Progress, analyse_anchor, should_centre
from .compare import CorpusLike, _as_corpus, _header, _plan, _texts, _unique_names
from .corpus import Alignment, Corpus, align
from .errors import ConfigurationError
from .result import Result, clean, interval, thin
from .stats import panel as panel_stats
from .stats import resampling
from .verdict import attribute_verdict


def attribute(
    student: CorpusLike,
    candidates: Sequence[CorpusLike],
    *,
    panel: Sequence[CorpusLike] = (),
    seed: int = 0,
    n_resamples: int = 2000,
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
    """Rank candidate teachers by how close the student's outputs are to each.

    Each candidate's score is the student's same-prompt agreement with it (as in
    :func:`stylesim.compare`; with a single candidate and no panel there is no background to
    centre on, and the score is the cross-prompt resemblance instead). With a panel, each
    candidate's p-value says how often a panel model comes at least as close to the student:
    ``(1 + #{panel >= score}) / (k + 1)``. Each candidate also carries its resemblance and, with
    a panel, its closeness index on the resemblance scale.

    Returns
    -------
    Result
        ``candidates`` sorted best first: {name, path, score, rank, pvalue, ci_low, ci_high}.
    """
    if not candidates:
        raise ConfigurationError("attribute needs at least one candidate")
    plan = _plan(seed, n_resamples, 100, embeddings, embedding_model, device, cache_dir, families,
                 confidence, jobs)
    corpora = [_as_corpus(student), *(_as_corpus(c) for c in candidates), *(_as_corpus(p) for p in panel)]
    _unique_names(corpora)
    n_candidates = len(candidates)
    if progress:
        progress("aligning")
    alignment = align(corpora, min_prompts=min_prompts)
    outcome = analyse_anchor(
        alignment, plan, anchor=0, equality_with=None, centre=should_centre(len(corpora)), progress=progress,
    )
    data = _header("attribute", alignment, plan, min_prompts)
    data["parameters"].pop("permutations", None)
    data["models"] = {
        "student": corpora[0].name,
        "candidates": [c.name for c in corpora[1 : 1 + n_candidates]],
        "panel": [c.name for c in corpora[1 + n_candidates :]],
    }
    data["centred_on_panel"] = outcome.centred
    data["candidates"] = _candidates(corpora, n_candidates, outcome, plan.confidence)
    data["families"] = {
        name: {"label": fam.label, "description": fam.description,
               "estimates": {corpora[m].name: clean(fam.similarity.ratio[m][0]) for m in range(1, len(corpora))},
               "agreement": ({corpora[m].name: clean(fam.agreement.ratio[m][0]) for m in range(1, len(corpora))}
                             if fam.agreement is not None else None)}
        for name, fam in outcome.families.items()
    }
    best = next(m for m, c in enumerate(corpora) if c.name == data["candidates"][0]["name"])
    data["phrases"] = _tie_phrases(alignment, best)
    data["panel"] = _panel_summary(corpora, n_candidates, outcome) if len(corpora) > 1 + n_candidates else None
    data["verdict"] = attribute_verdict(data)
    return Result(data)


def _score(outcome: AnchorOutcome) -> tuple[str, np.ndarray]:
    """The ranking statistic: same-prompt agreement with three or more models, else resemblance."""
    if outcome.combined_agreement is not None:
        return "agreement", outcome.combined_agreement
    return "resemblance", outcome.combined_ratio


def _candidates(corpora: Sequence[Corpus], n_candidates: int, outcome: AnchorOutcome, level: float) -> list[dict]:
    statistic, scores = _score(outcome)
    combined = outcome.combined_ratio
    panel_scores = scores[1 + n_candidates :, 0]
    ceiling = combined[0]
    median = np.nanmedian(combined[1 + n_candidates :], axis=0) if panel_scores.size else None
    rows = []
    for m in range(1, 1 + n_candidates):
        low, high = resampling.percentile_interval(scores[m][1:], level)
        row = {
            "name": corpora[m].name,
            "path": corpora[m].path,
            "score": clean(scores[m][0]),
            "statistic": statistic,
            "ci_low": clean(low),
            "ci_high": clean(high),
            "pvalue": None,
            "resemblance": interval(combined[m][0], *resampling.percentile_interval(combined[m][1:], level)),
            "bootstrap": thin(scores[m][1:], 200),
            "families": {name: clean(f.similarity.ratio[m][0]) for name, f in outcome.families.items()},
        }
        if statistic == "agreement":
            row["families_agreement"] = {name: clean(f.agreement.ratio[m][0])
                                         for name, f in outcome.families.items() if f.agreement is not None}
        if panel_scores.size:
            _, row["pvalue"] = panel_stats.rank_among(float(scores[m][0]), panel_scores)
            row["pvalue"] = round(row["pvalue"], 6)
            index = panel_stats.closeness_index(combined[m], median, ceiling)
            row["closeness_index"] = interval(index[0], *resampling.percentile_interval(index[1:], level))
        rows.append(row)
    rows.sort(key=lambda r: -(r["score"] if r["score"] is not None else -np.inf))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    if len(rows) > 1:
        # How often the top candidate stays on top when prompts are resampled.
        stack = np.vstack([scores[m][1:] for m in range(1, 1 + n_candidates)])
        winners = np.nanargmax(np.nan_to_num(stack, nan=-np.inf), axis=0)
        names = [corpora[m].name for m in range(1, 1 + n_candidates)]
        for row in rows:
            row["top_share"] = round(float(np.mean(winners == names.index(row["name"]))), 4)
    return rows


def _panel_summary(corpora: Sequence[Corpus], n_candidates: int, outcome: AnchorOutcome) -> dict:
    statistic, scores = _score(outcome)
    combined = outcome.combined_ratio
    return {
        "n": len(corpora) - 1 - n_candidates,
        "statistic": statistic,
        "median": clean(np.nanmedian(scores[1 + n_candidates :, 0])),
        "resemblance_median": clean(np.nanmedian(combined[1 + n_candidates :, 0])),
        "ceiling": clean(combined[0][0]),
        "models": [{"name": corpora[m].name, "score": clean(scores[m][0]), "similarity": clean(combined[m][0])}
                   for m in range(1 + n_candidates, len(corpora))],
    }


def _tie_phrases(alignment: Alignment, best: int) -> dict:
    k = len(alignment.corpora)
    student = _texts(alignment, 0)
    top = _texts(alignment, best)
    background = [[t for _, t in _texts(alignment, m)] for m in range(1, k) if m != best]
    result = evidence.distinctive_phrases(student, top, background)
    result["candidate"] = alignment.corpora[best].name
    return result
