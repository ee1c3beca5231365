"""The agreement and panel blocks of a compare result: A's same-prompt agreement with B (its
studentised form, sign-flip test, ceilings, disattenuation) and B's rank among the panel."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .analysis import AnchorOutcome
from .corpus import Corpus
from .plan import Plan
from .result import clean, interval, thin
from .stats import agreement as agreement_stats
from .stats import panel as panel_stats
from .stats import resampling


def rank_in_panel(values_per_model: np.ndarray, target: int, panel: Sequence[int]) -> tuple[int, float]:
    rank, pvalue = panel_stats.rank_among(float(values_per_model[target]), [values_per_model[m] for m in panel])
    return rank, clean(pvalue, 6)


AGREEMENT_DEFINITION = (
    "same-prompt agreement (method v3): sum_p N_p / sqrt(sum_p r_a,p * sum_p r_b,p), with N_p = <a_p, b_p> - "
    "<a_p, c_p> - <b_p, c_p> + U_p, c_p the mean of the other models' answers to prompt p and U_p the mean "
    "inner product of two different background models (an unbiased background), r the same form for one "
    "answer; feature families combined as decorrelated z-scores; 0 = no more alike than the background, "
    "1 = identical answers"
)


def agreement_block(outcome: AnchorOutcome, plan: Plan, panel: Sequence[int] = ()) -> dict[str, object] | None:
    """A's same-prompt agreement with B (four or more models): the estimate, its studentised form and
    sign-flip test against the background, the ceilings and the disattenuated agreement. With a
    panel, also the sign-flip p-value B would have had if it had been picked as the closest of B
    and the panel models (max-T over them, as ``matrix`` gives a nearest neighbour): the one to
    quote when B was chosen by looking at these same outputs."""
    combined = outcome.agreement
    if combined is None:
        return None
    level = plan.interval_level
    agreement = combined.ratio
    ceilings = _pair_ceilings(outcome)
    units = combined.unit_contributions()
    flips = resampling.sign_flips(units.shape[1], plan.n_permutations, resampling.as_rng([plan.seed, 1]))
    above = agreement_stats.signflip_max_pvalues(units[[1]], flips)[0]
    picked = agreement_stats.signflip_max_pvalues(units[[1, *panel]], flips)[0] if panel else None
    block: dict[str, object] = {
        "overall": interval(agreement[1][0], *resampling.percentile_interval(agreement[1][1:], level)),
        "t": clean(combined.t[1]),
        "pvalue_above_background": clean(above, 6),
        "pvalue_above_background_if_picked": clean(picked, 6) if picked is not None else None,
        "definition": AGREEMENT_DEFINITION,
        "family_weights": dict(zip(_agreement_families(outcome), (round(float(w), 6) for w in combined.weights))),
        "bootstrap": thin(agreement[1][1:]),
        "ceiling": None,
        "ceiling_b": None,
        "disattenuated": None,
        "base_controlled": outcome.agreement_unpartialled is not None,
        "unpartialled": clean(outcome.agreement_unpartialled[1]) if outcome.agreement_unpartialled is not None else None,
    }
    if ceilings is not None and np.isfinite(ceilings[0, 0]):
        block["ceiling"] = interval(ceilings[0][0], *resampling.percentile_interval(ceilings[0][1:], level))
        if np.isfinite(ceilings[1, 0]):
            block["ceiling_b"] = interval(ceilings[1][0], *resampling.percentile_interval(ceilings[1][1:], level))
            # With a base partialled out, A's agreement has lost what it shares with the base but the
            # ceilings have not, so their ratio would mean nothing: only the ceilings are reported.
            if not block["base_controlled"]:
                corrected = agreement_stats.disattenuated_interval(agreement[1], ceilings[0], ceilings[1], level)
                block["disattenuated"] = interval(*corrected) if np.isfinite(corrected[0]) else None
    return block


def _pair_ceilings(outcome: AnchorOutcome) -> np.ndarray | None:
    """A's and B's ceilings on the background of the pair (A, B), shape (2, resamples): what a
    second sample of A (or of B) would score in B's place. None without samples."""
    if outcome.agreement_pair_ceilings is None:
        return None
    return outcome.agreement_pair_ceilings[1]


def _agreement_families(outcome: AnchorOutcome) -> list[str]:
    return [name for name, fam in outcome.families.items() if fam.agreement is not None]


def panel_block(corpora: Sequence[Corpus], outcome: AnchorOutcome, level: float,
                 panel: Sequence[int]) -> dict[str, object]:
    """B among the panel as A's neighbour: the primary rank test on studentised same-prompt
    agreement, and the cross-prompt resemblance with its closeness index."""
    combined = outcome.combined_ratio
    missing = np.full_like(combined, np.nan)
    agreement = outcome.combined_agreement if outcome.combined_agreement is not None else missing
    # Fewer than four models leave no unbiased background: B is then ranked by resemblance.
    statistic = "studentised agreement" if outcome.agreement is not None else "resemblance"
    t = outcome.agreement.t if outcome.agreement is not None else np.full(len(corpora), np.nan)
    panel_ratios = combined[list(panel)]
    resemblance_rank, resemblance_pvalue = rank_in_panel(combined[:, 0], 1, panel)
    rank, pvalue = rank_in_panel(t, 1, panel) if outcome.agreement is not None else (resemblance_rank, resemblance_pvalue)
    # The rank p-value counts only panel models with a score (rank_among), so its floor does too.
    ranked_by = t if outcome.agreement is not None else combined[:, 0]
    scored = int(np.count_nonzero(np.isfinite(ranked_by[list(panel)])))
    median = panel_stats.median_over_models(panel_ratios)
    ceiling = combined[0]
    agreement_median = panel_stats.median_over_models(agreement[list(panel)])
    agreement_block: dict[str, object] = {
        **interval(agreement[1][0], *resampling.percentile_interval(agreement[1][1:], level)),
        "median": clean(agreement_median[0]),
        "ceiling": None,
        "index": None,
    }
    ceilings = _pair_ceilings(outcome)
    if ceilings is not None and np.isfinite(ceilings[0, 0]):
        self_agreement = ceilings[0]
        agreement_block["ceiling"] = interval(self_agreement[0], *resampling.percentile_interval(self_agreement[1:], level))
        # A base partialled out of A's agreements but not of A's ceiling: no index on that scale
        # (as for the disattenuated agreement in agreement_block).
        if outcome.agreement_unpartialled is None:
            agreement_block["index"] = interval(*panel_stats.index_interval(agreement[1], agreement_median,
                                                                             self_agreement, level))

    def bounds(values: np.ndarray) -> dict[str, object]:
        return {k: v for k, v in interval(values[0], *resampling.percentile_interval(values[1:], level)).items()
                if k != "estimate"}

    models = []
    for m in [1, *panel]:
        row = {"name": corpora[m].name, "similarity": clean(combined[m][0]), **bounds(combined[m]),
               "agreement": clean(agreement[m][0]), "t": clean(t[m])}
        row.update({f"agreement_{k}": v for k, v in bounds(agreement[m]).items()})
        models.append(row)
    # How often each model comes first when prompts are resampled (A, B and the panel held fixed),
    # by the statistic that ranks them: a descriptive view of how settled the order at the top is
    # (a review saw "nearest" decided by t 3.98 against 3.95). Panel models come before B in the
    # stack, so a tie goes to the panel model, as in the rank.
    members = [*panel, 1]
    if outcome.agreement is not None:
        stack = outcome.agreement.resampled_t(outcome.weights[1:])[members]
    else:
        stack = np.vstack([combined[m][1:] for m in members])
    stack = stack[:, np.isfinite(stack).any(axis=0)]
    winners = np.argmax(np.nan_to_num(stack, nan=-np.inf), axis=0)
    for row, m in zip(models, [1, *panel]):
        row["top_share"] = round(float(np.mean(winners == members.index(m))), 4) if winners.size else None
    key = "t" if outcome.agreement is not None else "similarity"
    # Ties rank a panel model above B, as the rank p-value counts them (at least as close).
    b_row = models[0]
    models.sort(key=lambda row: (-(row[key] if row[key] is not None else -np.inf), row is b_row))
    return {
        "statistic": statistic,
        "rank": rank,
        "n": len(panel) + 1,
        "pvalue": pvalue,
        "pvalue_min": round(1 / (scored + 1), 6),
        "scored": scored,  # panel models with a score, as the rank p-value counts them
        "agreement": agreement_block,
        "resemblance": {"rank": resemblance_rank, "pvalue": resemblance_pvalue},
        "closeness_index": interval(*panel_stats.index_interval(combined[1], median, ceiling, level)),
        "median": clean(median[0]),
        "ceiling": interval(ceiling[0], *resampling.percentile_interval(ceiling[1:], level)),
        "models": models,
        "distribution": clean(agreement[list(panel), 0]),
    }
