"""compare() and attribute(): where features meet statistics.

The primary statistic (declared in docs/method.md, version 2) is the combined same-prompt
agreement: the mean over feature families of A's and B's answers to the same prompt compared
after removing the other models' answers to it. With a panel, the primary test is B's rank among
the panel as A's neighbour on that statistic, with its exact p-value; without one (no background
to centre on), it is the within-prompt permutation test of equality. The strength of a
resemblance is read on the cross-prompt scale: C(A,B) / sqrt(C(A,A) C(B,B)), where C is the
cross-prompt similarity and 1 means B is as close to A as A's own answers to other prompts are,
and the closeness index between the panel median and A's self-similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from . import __version__, evidence, robustness
from .ablations import first_by_name
from .alignment import MIN_PROMPTS_FLOOR, Alignment, align, check_min_prompts, note_shortfall
from .analysis import AnchorOutcome, Progress, analyse_anchor, should_centre
from .compare_blocks import agreement_block, panel_block, rank_in_panel
from .corpus import Corpus, load_corpus
from .features.transforms import ABLATIONS
from .plan import Plan
from .result import METHOD_VERSION, SCHEMA_VERSION, Result, clean, created_timestamp, interval, thin
from .roles import Roles
from .stats import agreement as agreement_stats
from .stats import panel as panel_stats
from .stats import resampling
from .verdict import compare_verdict

MAX_SIDE_BY_SIDE_CHARS = 2500

CorpusLike = Corpus | str | Path


def _as_corpus(item: CorpusLike, fmt: str | None = None) -> Corpus:
    return item if isinstance(item, Corpus) else load_corpus(item, format=fmt)


def compare(
    a: CorpusLike,
    b: CorpusLike,
    *,
    panel: Sequence[CorpusLike] = (),
    base: Sequence[CorpusLike] = (),
    seed: int = 0,
    n_resamples: int = 2000,
    n_permutations: int = 2000,
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
    """Measure how alike model B's outputs are to model A's, with uncertainty and tests.

    Parameters
    ----------
    a, b
        Corpora or paths to output files (any supported format).
    panel
        Other models answering the same prompts: the floor against which A-B is judged.
    base
        Base models (or sibling students) whose voice is partialled out of A's per-prompt
        residuals before agreement is measured (cross-fitted over prompts). They are neither B nor
        panel.
    seed
        Seeds every resampling step; the same seed gives the same result.
    n_resamples, n_permutations
        Cluster-bootstrap resamples over prompts, and within-prompt label permutations.
    embeddings
        Include the sentence-embedding family (loads a model; cached on disk).

    Returns
    -------
    Result
        ``similarity`` (``uncentred`` and ``centred`` resemblance), ``agreement``, ``families``,
        ``panel`` (with a panel), evidence and a verdict.
    """
    plan = _plan(seed, n_resamples, n_permutations, embeddings, embedding_model, device, cache_dir,
                 families, confidence, jobs, min_prompts)
    roles = Roles.build([_as_corpus(a), _as_corpus(b)], [_as_corpus(p) for p in panel],
                        [_as_corpus(x) for x in base], first=("A", "B"))
    corpora = roles.corpora
    roles.check_base_background()
    # The families are fitted on every model of the analysis, panel included (plan.reference_models
    # stays None): B must be described like the panel models it is ranked against, and A like B for
    # the A-B permutation test; a pool of A and B alone favoured B over the panel (method.md, "Features").
    if progress:
        progress("aligning")
    alignment = align(corpora, min_prompts=min_prompts)
    plan.units = alignment.n_units
    # B's place with each panel model, and with halves of the panel, left out.
    runs = robustness.plan(len(corpora), roles.panel_indices, roles.panel_indices, plan.seed,
                           [c.name for c in corpora], covariates=roles.n_base)
    outcome = analyse_anchor(
        alignment, plan, anchor=0, equality_with=1, centre=should_centre(len(corpora)), ablation_with=1,
        side_tasks={"evidence": partial(_evidence, alignment, roles)}, partial_out=roles.base_indices,
        progress=progress, leave_out=runs.sets,
    )
    data = _compare_data(alignment, plan, outcome, min_prompts, roles)
    data["leave_one_out"] = _leave_one_out(corpora, roles.panel_indices, runs, outcome)
    data["half_panel"] = _half_panel(corpora, roles.panel_indices, runs, outcome)
    data["verdict"] = compare_verdict(data)
    return Result(data)


# More bootstrap resamples or permutations than this buy nothing and can exhaust memory (the
# resampling weights are resamples x prompts).
MAX_DRAWS = 100_000
MIN_PERMUTATIONS = 19


def _plan(seed, n_resamples, n_permutations, embeddings, embedding_model, device, cache_dir,
          families, confidence, jobs=None, min_prompts=MIN_PROMPTS_FLOOR):
    from ._env import check_source_date_epoch
    from .errors import ConfigurationError
    from .features import FAMILIES

    check_source_date_epoch()  # before any work, not when the result is stamped
    check_min_prompts(min_prompts)

    chosen = list(families) if families else list(FAMILIES)
    unknown = [f for f in chosen if f not in FAMILIES and f != "embedding"]
    if unknown:
        raise ConfigurationError(f"unknown feature family {unknown[0]!r}; choose from {', '.join(FAMILIES)}, embedding")
    if "embedding" in chosen:
        if not embeddings:
            raise ConfigurationError("--family embedding and --no-embeddings contradict each other; drop one")
        chosen.remove("embedding")
    if n_resamples < 10:
        raise ConfigurationError(f"--resamples must be at least 10 (got {n_resamples})")
    if n_permutations < MIN_PERMUTATIONS:
        # Below 19 the permutation and sign-flip p-values cannot reach 0.05 (their floor is
        # 1/(B + 1)), and a verdict would read "no evidence" where the test had no power at all.
        raise ConfigurationError(f"--permutations must be at least {MIN_PERMUTATIONS}, so that p \u2264 0.05 is "
                                 f"possible (the smallest p is 1/(permutations + 1)); got {n_permutations}")
    if n_resamples > MAX_DRAWS or n_permutations > MAX_DRAWS:
        raise ConfigurationError(f"--resamples and --permutations must be at most {MAX_DRAWS:,}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigurationError(f"--seed must be a non-negative integer (got {seed})")
    if not 0.5 <= confidence < 1:
        raise ConfigurationError("confidence must be in [0.5, 1)")
    return Plan(seed=seed, n_resamples=n_resamples, n_permutations=n_permutations, confidence=confidence,
                families=chosen, embeddings=embeddings, embedding_model=embedding_model, device=device,
                cache_dir=cache_dir, jobs=jobs)


def _header(kind: str, alignment: Alignment, plan: Plan, min_prompts: int) -> dict[str, object]:
    return {
        "stylesim_version": __version__,
        "kind": kind,
        "created": created_timestamp(),
        "schema_version": SCHEMA_VERSION,
        "method_version": METHOD_VERSION,
        "parameters": {**plan.to_dict(), "min_prompts": min_prompts},
        "coverage": alignment.coverage(),
        "inputs": input_entries(alignment.corpora),
        "hygiene": {c.name: c.hygiene.to_dict() for c in alignment.corpora},
    }


def input_entries(corpora: Sequence[Corpus]) -> list[dict[str, object]]:
    """The result's ``inputs``: each file with its model name, format, prompt set and temperature."""
    return [{"name": c.name, "path": c.path, "format": c.format,
             "prompt_set": c.metadata.get("prompt_set"), "temperature": c.metadata.get("temperature")}
            for c in corpora]


def _compare_data(alignment: Alignment, plan: Plan, outcome: AnchorOutcome, min_prompts: int, roles: Roles) -> dict:
    corpora = alignment.corpora
    level = plan.interval_level
    panel_indices = roles.panel_indices
    data = _header("compare", alignment, plan, min_prompts)
    data["models"] = {"a": corpora[0].name, "b": corpora[1].name,
                      "panel": [corpora[m].name for m in panel_indices],
                      "base": [corpora[m].name for m in roles.base_indices]}
    data["dropped_inputs"] = roles.dropped
    data["panel_inputs_dropped"] = roles.panel_dropped
    # B is A's own file or answers: a legitimate check, but the report must say so, not only the log.
    data["self_comparison"] = roles.same_as_first
    data["coverage"]["shortfall"] = note_shortfall(alignment, roles.n_focus)
    data["base_controlled"] = bool(roles.base_indices)
    data["centred_on_panel"] = outcome.centred
    data["similarity"] = _similarity_block(outcome, level)
    families = {}
    pvalues = []
    for name, fam in outcome.families.items():
        sim = fam.similarity
        entry = {
            "label": fam.label,
            "description": fam.description,
            "resemblance": _resemblance_pair(sim.uncentred, sim.ratio[1] if outcome.centred else None, level),
            # C values on the scale panel ranks use (centred on the panel with five or more models).
            "cross": clean(sim.cross[1][0], 6),
            "self_a": clean(sim.selfs[0][0], 6),
            "self_b": clean(sim.selfs[1][0], 6),
        }
        if fam.equality is not None:
            observed, null = fam.equality
            entry["pvalue"] = clean(resampling.permutation_pvalue(observed, null), 6)
            entry["test"] = {"statistic": clean(observed, 8), "null": thin(null)}
        else:
            entry["pvalue"] = None
        if fam.classifier is not None:
            entry["classifier"] = {
                "auc": clean(fam.classifier.statistic), "pvalue": clean(fam.classifier.pvalue, 6),
                "test": ("difference-of-means classifier, 5 folds grouped by prompt (or prompt group); "
                         "null swaps answers within prompts (or groups)"),
            }
        pvalues.append((entry, entry["pvalue"]))
        if "classifier" in entry:
            pvalues.append((entry["classifier"], entry["classifier"]["pvalue"]))
        if fam.agreement is not None:
            agree = fam.agreement.ratio[1]
            family_t = agreement_stats.studentised(resampling.group_sums(fam.agreement.numerator,
                                                                         alignment.prompt_groups))
            entry["agreement"] = {
                **interval(agree[0], *resampling.percentile_interval(agree[1:], level)),
                "t": clean(family_t[1]),
                **(dict(zip(("panel_rank", "panel_pvalue"), rank_in_panel(family_t, 1, panel_indices)))
                   if panel_indices else {}),
            }
        if panel_indices:
            entry["panel_rank"], entry["panel_pvalue"] = rank_in_panel(sim.ratio[:, 0], 1, panel_indices)
        if fam.profiles is not None:
            entry["profile"] = {key: clean(values[1]) for key, values in fam.profiles.items()}
            if panel_indices:
                entry["profile"].update({f"{key}_rank": rank_in_panel(values, 1, panel_indices)[0]
                                         for key, values in fam.profiles.items()})
        families[name] = entry
    # Holm over every family-level test reported (equality and classifier alike).
    adjusted_values = panel_stats.holm([p if p is not None else float("nan") for _, p in pvalues])
    for (target, _), adjusted in zip(pvalues, adjusted_values):
        target["pvalue_adjusted"] = clean(adjusted, 6)
    data["families"] = families
    if outcome.combined_equality is not None:
        observed, null = outcome.combined_equality
        data["equality"] = {
            "statistic": clean(observed, 6),
            "pvalue": clean(resampling.permutation_pvalue(observed, null), 6),
            "null": thin(null),
            "hypothesis": "A and B are the same source: within each prompt their answers are exchangeable",
        }
    profiled = {name: fam for name, fam in outcome.families.items() if fam.profiles is not None}
    data["lexical_profiles"] = {
        "definition": "cosine and min-max (Ruzicka) similarity of A's whole-corpus n-gram profile (mean tf-idf "
                      "vector) with each model's; descriptive, no test",
        "models": [c.name for c in corpora[1:]],
        "families": {name: {"label": fam.label, **{key: clean(values[1:]) for key, values in fam.profiles.items()}}
                     for name, fam in profiled.items() if fam.profiles is not None},
    } if profiled else None
    data["agreement"] = agreement_block(outcome, plan, panel_indices)
    data["panel"] = panel_block(corpora, outcome, level, panel_indices) if panel_indices else None
    data["ablations"] = {
        key: {"label": ABLATIONS[key][0],
              **interval(views["resemblance"][0], *resampling.percentile_interval(views["resemblance"][1:], level)),
              **({"agreement": interval(views["agreement"][0], *resampling.percentile_interval(views["agreement"][1:], level))}
                 if "agreement" in views else {})}
        for key, views in outcome.ablations.items()
    }
    data["per_prompt"] = _per_prompt(alignment, outcome)
    data.update(outcome.side_results["evidence"])
    phrasing_outcome = outcome.families.get("phrasing")
    if phrasing_outcome is not None and phrasing_outcome.model_means is not None:
        data["formatting"] = {
            "models": [c.name for c in corpora],
            "rows": evidence.formatting_table(phrasing_outcome.model_means),
        }
    return data


SIMILARITY_DEFINITIONS = {
    "uncentred": "mean over families of C(A,B)/sqrt(C(A,A)C(B,B)) on the raw features, C = cross-prompt "
                 "similarity; 1 = as alike as each model is to itself. Much of it is what every model shares",
    "centred": "mean over families of C(A,B)/sqrt((C(A,A)+l)(C(B,B)+l)) on features centred on the pooled "
               "models, l = median self-similarity; 0 = no more alike than the background, A's own value is "
               "its ceiling. Computed with five or more models (null otherwise)",
}


def _resemblance_pair(uncentred: np.ndarray | None, centred: np.ndarray | None, level: float) -> dict:
    """``{uncentred, centred}`` intervals from (resamples,) arrays; row 0 is the observed value."""
    def one(values: np.ndarray | None) -> dict | None:
        if values is None:
            return None
        return interval(values[0], *resampling.percentile_interval(values[1:], level))

    return {"uncentred": one(uncentred), "centred": one(centred)}


def _similarity_block(outcome: AnchorOutcome, level: float) -> dict:
    """Cross-prompt resemblance of A and B, uncentred and (with five or more models) centred:
    two quantities under two names (schema 2; schema 1 had one name, "overall", for either)."""
    centred = outcome.combined_ratio[1] if outcome.centred else None
    uncentred = outcome.combined_uncentred
    return {
        **_resemblance_pair(uncentred, centred, level),
        "centred_on_panel": outcome.centred,
        "definitions": SIMILARITY_DEFINITIONS,
        "bootstrap": {"uncentred": thin(uncentred[1:]) if uncentred is not None else [],
                      "centred": thin(centred[1:]) if centred is not None else None},
    }


def _leave_one_out(corpora: Sequence[Corpus], panel: list[int], runs: robustness.LeaveOutPlan,
                   outcome: AnchorOutcome) -> dict:
    if not panel:
        return {"computed": False, "reason": "no panel"}
    if len(panel) < 2:
        return {"computed": False, "reason": "one panel model: leaving it out leaves no panel"}
    if outcome.agreement is None:
        return {"computed": False, "reason": "B is ranked by resemblance (fewer than four models)"}
    return robustness.compare_leave_one_out(corpora, panel, runs, outcome.left_out_t, outcome.left_out_agreement,
                                            outcome.agreement.t)


def _half_panel(corpora: Sequence[Corpus], panel: list[int], runs: robustness.LeaveOutPlan,
                outcome: AnchorOutcome) -> dict:
    if not panel:
        return {"computed": False, "reason": "no panel"}
    if outcome.agreement is None:
        return {"computed": False, "reason": "B is ranked by resemblance (fewer than four models)"}
    return robustness.compare_half_panel(corpora, panel, runs, outcome.left_out_t, outcome.left_out_agreement,
                                         outcome.agreement.t)


def _per_prompt(alignment: Alignment, outcome: AnchorOutcome) -> list[dict[str, object]]:
    rows = []
    for i, key in enumerate(alignment.keys):
        a = alignment.outputs[0][i][0].raw
        b = alignment.outputs[1][i][0].raw
        rows.append({
            "prompt_id": key,
            "prompt": (alignment.prompts[i] or "")[:MAX_SIDE_BY_SIDE_CHARS],
            "similarity": clean(outcome.combined_paired[1][i]),
            "agreement": (clean(outcome.combined_agreement_paired[1][i])
                          if outcome.combined_agreement_paired is not None else None),
            "a": a[:MAX_SIDE_BY_SIDE_CHARS],
            "b": b[:MAX_SIDE_BY_SIDE_CHARS],
            "a_truncated_for_report": len(a) > MAX_SIDE_BY_SIDE_CHARS,
            "b_truncated_for_report": len(b) > MAX_SIDE_BY_SIDE_CHARS,
        })
    return rows


def _texts(alignment: Alignment, m: int) -> list[tuple[str, str]]:
    return [(key, o.text) for key, outs in zip(alignment.keys, alignment.outputs[m]) for o in outs]


def _evidence(alignment: Alignment, roles: Roles) -> dict[str, object]:
    k = len(alignment.corpora)
    pairs = [_texts(alignment, m) for m in range(k)]
    plain = [[t for _, t in p] for p in pairs]
    return {
        # Descriptive: the phrase background is at most ABLATION_BACKGROUND panel models, by name.
        "phrases": evidence.distinctive_phrases(
            pairs[0], pairs[1], [plain[m] for m in first_by_name(alignment.corpora, roles.panel_indices)]),
        "openers_closers": {c.name: evidence.openers_and_closers(plain[m]) for m, c in enumerate(alignment.corpora)},
        "stylometry": {"models": [c.name for c in alignment.corpora[1:]], "delta": evidence.delta_distances(plain)},
        "identity": {c.name: {"statements": c.hygiene.identity_statements,
                              "claims": dict(c.hygiene.identity_claims.most_common()),
                              "examples": c.hygiene.identity_examples}
                     for c in alignment.corpora},
    }
