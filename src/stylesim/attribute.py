"""attribute(): which candidate teacher is a student's language closest to?"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import evidence, robustness
from .ablations import first_by_name
from .alignment import Alignment, align, note_shortfall
from .analysis import AnchorOutcome, Progress, analyse_anchor, should_centre
from .compare import CorpusLike, _as_corpus, _header, _plan, _texts
from .corpus import Corpus
from .errors import ConfigurationError
from .plan import Plan
from .result import Result, clean, interval, thin
from .roles import Roles
from .stats import agreement as agreement_stats
from .stats import panel as panel_stats
from .stats import resampling
from .verdict_attribute import attribute_verdict


def attribute(
    student: CorpusLike,
    candidates: Sequence[CorpusLike],
    *,
    panel: Sequence[CorpusLike] = (),
    base: Sequence[CorpusLike] = (),
    seed: int = 0,
    n_resamples: int = 2000,
    embeddings: bool = True,
    embedding_model: str | None = None,
    device: str | None = None,
    cache_dir: str | None = None,
    families: Sequence[str] | None = None,
    min_prompts: int = 20,
    confidence: float = 0.95,
    n_permutations: int = 2000,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Result:
    """Rank candidate teachers by how close the student's outputs are to each.

    Candidates are ranked by the student's studentised same-prompt agreement with each (method
    v3; see :func:`stylesim.compare`). With a panel, each candidate's ``pvalue`` is the
    single-step max-statistic p-value against the panel: how likely the best of m exchangeable
    candidates would score at least as high (for the top candidate, selection from m included;
    it can be no smaller than m / (m + panel size)). ``pvalue_above_background`` is the
    prompt-level sign-flip test of "no agreement beyond the background", also adjusted for the m
    candidates (max-T). ``base`` models (or sibling students) are partialled out of the student's
    per-prompt residuals before ranking, cross-fitted over prompts; without them the result says
    the base was not controlled for. With fewer than four models there is no unbiased background
    and candidates are ranked by cross-prompt resemblance instead.

    Returns
    -------
    Result
        ``candidates`` sorted best first: {name, path, score, t, rank, pvalue, ci_low, ci_high, ...}.
    """
    if not candidates:
        raise ConfigurationError("attribute needs at least one candidate")
    plan = _plan(seed, n_resamples, n_permutations, embeddings, embedding_model, device, cache_dir, families,
                 confidence, jobs, min_prompts)
    roles = Roles.build([_as_corpus(student), *(_as_corpus(c) for c in candidates)],
                        [_as_corpus(p) for p in panel], [_as_corpus(b) for b in base],
                        first=("student",), keep_focus_duplicates=1)
    corpora = roles.corpora
    # The families are fitted on the student's texts alone: the candidates and the panel models are
    # then described alike (exchangeable, as the p-value against the panel assumes), and the panel
    # cannot move the features (method.md, "Features"). A pool of the student and the candidates
    # favoured the candidates over the panel.
    plan.reference_models = [0]
    n_candidates = roles.n_focus - 1
    if n_candidates < 1:
        raise ConfigurationError("attribute needs at least one candidate that is not the student itself")
    roles.check_base_background("the student, the candidate it is paired with")
    if progress:
        progress("aligning")
    alignment = align(corpora, min_prompts=min_prompts)
    plan.units = alignment.n_units
    others = [m for m in range(1, len(corpora)) if m not in roles.base_indices]
    runs = robustness.plan(len(corpora), others, roles.panel_indices, plan.seed, [c.name for c in corpora],
                           covariates=roles.n_base)
    outcome = analyse_anchor(
        alignment, plan, anchor=0, equality_with=None, centre=should_centre(len(corpora)),
        partial_out=roles.base_indices, progress=progress, leave_out=runs.sets,
        pairs=runs.pairs,
    )
    data = _header("attribute", alignment, plan, min_prompts)
    data["models"] = {
        "student": corpora[0].name,
        "candidates": [c.name for c in corpora[1 : 1 + n_candidates]],
        "panel": [c.name for c in roles.panel],
        "base": [c.name for c in roles.bases],
    }
    data["dropped_inputs"] = roles.dropped
    data["panel_inputs_dropped"] = roles.panel_dropped
    data["coverage"]["shortfall"] = note_shortfall(alignment, roles.n_focus)
    data["base_controlled"] = bool(roles.base_indices)
    data["centred_on_panel"] = outcome.centred
    data["candidates"] = _candidates(corpora, n_candidates, roles.panel_indices, outcome, plan)
    data["families"] = {
        name: {"label": fam.label, "description": fam.description,
               "estimates": {corpora[m].name: clean(fam.similarity.ratio[m][0]) for m in range(1, len(corpora))},
               "agreement": ({corpora[m].name: clean(fam.agreement.ratio[m][0]) for m in range(1, len(corpora))}
                             if fam.agreement is not None else None)}
        for name, fam in outcome.families.items()
    }
    if outcome.agreement is not None:
        data["family_weights"] = {name: round(float(w), 6) for name, w in
                                  zip([n for n, f in outcome.families.items() if f.agreement is not None],
                                      outcome.agreement.weights)}
    best = next(m for m, c in enumerate(corpora) if c.name == data["candidates"][0]["name"])
    data["phrases"] = _tie_phrases(alignment, best, roles)
    data["panel"] = _panel_summary(corpora, roles.panel_indices, outcome, best) if roles.n_panel else None
    data.update(_robustness(corpora, n_candidates, roles.panel_indices, outcome, runs, best))
    data["verdict"] = attribute_verdict(data)
    return Result(data)


def _score(outcome: AnchorOutcome) -> tuple[str, np.ndarray, np.ndarray]:
    """The effect size and the ranking statistic: same-prompt agreement and its studentised form
    with four or more models, else cross-prompt resemblance (ranked as it is)."""
    if outcome.agreement is not None:
        return "agreement", outcome.agreement.ratio, outcome.agreement.t
    return "resemblance", outcome.combined_ratio, outcome.combined_ratio[:, 0]


def _candidates(corpora: Sequence[Corpus], n_candidates: int, panel: Sequence[int], outcome: AnchorOutcome,
                plan: Plan) -> list[dict]:
    level = plan.interval_level
    statistic, scores, ranking = _score(outcome)
    combined = outcome.combined_ratio
    members = list(range(1, 1 + n_candidates))
    panel_values = [float(ranking[m]) for m in panel]
    adjusted = agreement_stats.selection_pvalues([float(ranking[m]) for m in members], panel_values)
    unadjusted = [panel_stats.rank_among(float(ranking[m]), panel_values)[1] for m in members]
    above: list[float] = [float("nan")] * n_candidates
    if outcome.agreement is not None:
        units = outcome.agreement.unit_contributions()
        flips = resampling.sign_flips(units.shape[1], plan.n_permutations, resampling.as_rng([plan.seed, 1]))
        above = list(agreement_stats.signflip_max_pvalues(units[members], flips))
    ceiling = combined[0]
    median = panel_stats.median_over_models(combined[list(panel)]) if panel else None
    # The top candidate is picked by the data, so its interval must hold whichever candidate is
    # picked: the candidates' intervals are simultaneous (they cover together in 95% of resamples).
    intervals = resampling.simultaneous_intervals(np.vstack([scores[m][1:] for m in members]), level)
    rows = []
    for position, m in enumerate(members):
        low, high = intervals[position]
        marginal = resampling.percentile_interval(scores[m][1:], level)
        row = {
            "name": corpora[m].name,
            "path": corpora[m].path,
            "score": clean(scores[m][0]),
            "t": clean(ranking[m]) if statistic == "agreement" else None,
            "statistic": statistic,
            "ci_low": clean(low),
            "ci_high": clean(high),
            "ci_unadjusted": [clean(marginal[0]), clean(marginal[1])],
            "pvalue": clean(adjusted[position], 6) if panel else None,
            "pvalue_unadjusted": clean(unadjusted[position], 6) if panel else None,
            "pvalue_above_background": clean(above[position], 6),
            "resemblance": interval(combined[m][0], *resampling.percentile_interval(combined[m][1:], level)),
            "bootstrap": thin(scores[m][1:], 200),
            "families": {name: clean(f.similarity.ratio[m][0]) for name, f in outcome.families.items()},
        }
        if statistic == "agreement":
            row["families_agreement"] = {name: clean(f.agreement.ratio[m][0])
                                         for name, f in outcome.families.items() if f.agreement is not None}
            if outcome.agreement_unpartialled is not None:
                row["unpartialled"] = clean(outcome.agreement_unpartialled[m])
        if panel:
            row["closeness_index"] = interval(*panel_stats.index_interval(combined[m], median, ceiling, level))
        rows.append(row)
    order = sorted(range(len(rows)), key=lambda r: -(ranking[members[r]] if np.isfinite(ranking[members[r]]) else -np.inf))
    rows = [rows[r] for r in order]
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    if len(rows) > 1:
        # How often each candidate comes first when prompts are resampled, by the statistic that
        # ranks them (t, or resemblance with fewer than four models). A resample where no candidate
        # has a finite score has no winner and does not count.
        if statistic == "agreement":
            stack = outcome.agreement.resampled_t(outcome.weights[1:])[members]
        else:
            stack = np.vstack([scores[m][1:] for m in members])
        stack = stack[:, np.isfinite(stack).any(axis=0)]
        winners = np.argmax(np.nan_to_num(stack, nan=-np.inf), axis=0)
        names = [corpora[m].name for m in members]
        for row in rows:
            share = float(np.mean(winners == names.index(row["name"]))) if winners.size else 0.0
            row["top_share"] = round(share, 4)
    return rows


def _robustness(corpora: Sequence[Corpus], n_candidates: int, panel: Sequence[int], outcome: AnchorOutcome,
                runs: robustness.LeaveOutPlan, best: int) -> dict:
    """The leave-one-out and half-panel views (see :mod:`stylesim.robustness`)."""
    if outcome.agreement is None:
        reason = "the ranking is by resemblance (fewer than four models)"
        return {"leave_one_out": {"computed": False, "reason": reason},
                "half_panel": {"computed": False, "reason": reason},
                "candidate_neighbours": {"computed": False, "reason": reason}}
    args = (corpora, n_candidates, panel, runs, outcome.left_out_t, outcome.left_out_agreement, best)
    neighbours = (robustness.candidate_neighbours(corpora, n_candidates, panel, outcome.pair_agreement,
                                                  outcome.agreement.ratio[:, 0])
                  if panel else {"computed": False, "reason": "no panel"})
    return {"leave_one_out": robustness.leave_one_out_view(*args), "half_panel": robustness.half_panel_view(*args),
            "candidate_neighbours": neighbours}


def _panel_summary(corpora: Sequence[Corpus], panel: Sequence[int], outcome: AnchorOutcome, best: int) -> dict:
    statistic, scores, ranking = _score(outcome)
    combined = outcome.combined_ratio
    # Whether each panel model is at least as close as the top candidate, decided as the p-value
    # decides it (unrounded, ties within TIE_TOLERANCE), not from the rounded t the JSON shows.
    closer = panel_stats.at_least_as_close([float(ranking[m]) for m in panel], float(ranking[best]))
    return {
        "n": len(panel),
        "statistic": statistic,
        "median": clean(panel_stats.median_over_models(scores[list(panel), 0])),
        "resemblance_median": clean(panel_stats.median_over_models(combined[list(panel), 0])),
        "ceiling": clean(combined[0][0]),
        "models": [{"name": corpora[m].name, "score": clean(scores[m][0]), "t": clean(ranking[m]),
                    "similarity": clean(combined[m][0]),
                    "at_least_as_close_as_top": close}
                   for m, close in zip(panel, closer, strict=True)],
    }


def _tie_phrases(alignment: Alignment, best: int, roles: Roles) -> dict:
    student = _texts(alignment, 0)
    top = _texts(alignment, best)
    # Descriptive, as in compare: the phrase background is at most ABLATION_BACKGROUND other models, by name.
    others = first_by_name(alignment.corpora, [m for m in range(1, roles.n_focus + roles.n_panel) if m != best])
    background = [[t for _, t in _texts(alignment, m)] for m in others]
    result = evidence.distinctive_phrases(student, top, background)
    result["candidate"] = alignment.corpora[best].name
    return result
