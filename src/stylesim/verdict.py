"""Verdicts in words. They describe resemblance and its strength; they never claim proof."""

from __future__ import annotations

from typing import Any

CAVEATS = [
    "Resemblance in language patterns is not proof of distillation.",
    "A shared teacher model, overlapping training data (including web text written by other "
    "models) or a shared base model can each produce the same resemblance.",
    "Results describe these prompts and these sampling settings only.",
]


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    if value is None:
        return "p = n/a"
    return f"p = {value:.3g}" if value >= 0.001 else f"p = {value:.1e}"


def compare_verdict(data: dict[str, Any]) -> dict[str, Any]:
    """A headline, supporting sentences and caveats for a compare result."""
    a, b = data["models"]["a"], data["models"]["b"]
    overall = data["similarity"]["overall"]
    level = round(100 * data["parameters"]["confidence"])
    resemblance = (
        f"{a}'s resemblance to {b} is {_fmt(overall['estimate'])} of their self-similarity "
        f"({level}% CI {_fmt(overall['ci_low'])}-{_fmt(overall['ci_high'])})"
    )
    details = []
    panel = data.get("panel")
    equality = data.get("equality")
    if panel:
        n = panel["n"]
        place = "nearest neighbour" if panel["rank"] == 1 else f"number {panel['rank']} neighbour"
        ci = panel["closeness_index"]
        agreement = panel.get("agreement") or {}
        headline = (
            f"{b} is {a}'s {place} among {n} models by same-prompt agreement ({_p(panel['pvalue'])}); "
            f"on a scale from a typical panel model (0) to {a}'s self-similarity (1), {b}'s style "
            f"resemblance across prompts sits at {_fmt(ci['estimate'])} "
            f"({level}% CI {_fmt(ci['ci_low'])} to {_fmt(ci['ci_high'])})."
        )
        agreement_text = (
            f"Same-prompt agreement {_fmt(agreement.get('estimate'))} ({level}% CI "
            f"{_fmt(agreement.get('ci_low'))}-{_fmt(agreement.get('ci_high'))}) against a panel median of "
            f"{_fmt(agreement.get('median'))}"
        )
        self_agreement = agreement.get("ceiling")
        if self_agreement:
            agreement_text += (
                f" and {a}'s agreement with a second sample of itself of {_fmt(self_agreement['estimate'])}"
            )
        details.append(agreement_text + "; answers to the same prompt are compared after removing what the "
                       "other models say for that prompt.")
        details.append(
            f"Resemblance {_fmt(overall['estimate'])} ({level}% CI {_fmt(overall['ci_low'])}-"
            f"{_fmt(overall['ci_high'])}) against a self-similarity ceiling of "
            f"{_fmt(panel['ceiling']['estimate'])} and a panel median of {_fmt(panel['median'])}"
            + (", on features centred on the pooled background of all models." if data.get("centred_on_panel") else ".")
        )
        if panel["rank"] == 1 and panel["pvalue"] <= 0.05:
            strength = "unusually close compared with this panel"
        elif panel["rank"] <= max(1, n // 4):
            strength = "closer than most of the panel, but not unusually so"
        else:
            strength = "not closer than a typical panel model"
        details.append(f"On this evidence {b}'s writing is {strength}.")
        other_rank = (panel.get("resemblance") or {}).get("rank")
        if other_rank is not None and abs(other_rank - panel["rank"]) > max(1, n // 5):
            where = ("in how the two answer the same prompts more than in their general style"
                     if panel["rank"] < other_rank else "in general style more than in answers to the same prompts")
            details.append(f"By cross-prompt resemblance {b} ranks {other_rank} of {n}: the resemblance lives {where}.")
        if n < 20:
            details.append(
                f"With {n} models the smallest possible p-value is {1 / n:.3g}; a larger panel gives a finer test."
            )
    else:
        headline = f"{resemblance}. No reference panel was given, so there is no floor to judge this against."
        details.append("Add --panel with other models' outputs on the same prompts to learn whether this is unusual.")
    if equality:
        if equality["pvalue"] is not None and equality["pvalue"] <= 0.05:
            details.append(
                f"The two sets of outputs are distinguishable ({_p(equality['pvalue'])}, within-prompt "
                "permutation test); nearly any two distinct models are, given enough text."
            )
        else:
            details.append(
                f"The outputs could not be told apart by the permutation test ({_p(equality['pvalue'])}), "
                "which is what two samples of one model look like; it is not proof they are one model."
            )
    identity = data.get("identity", {})
    claims = {name: info["claims"] for name, info in identity.items() if info.get("claims")}
    if claims:
        parts = [f"{name}: {', '.join(f'{k} x{v}' for k, v in list(c.items())[:3])}" for name, c in claims.items()]
        details.append(
            "Self-identification statements (reported apart from style; easy to fake or inherit): "
            + "; ".join(parts) + "."
        )
    return {"headline": headline, "details": details, "caveats": list(CAVEATS)}


def attribute_verdict(data: dict[str, Any]) -> dict[str, Any]:
    """A headline, supporting sentences and caveats for an attribute result."""
    student = data["models"]["student"]
    level = round(100 * data["parameters"]["confidence"])
    ranked = data["candidates"]
    top = ranked[0]
    statistic = "same-prompt agreement" if top.get("statistic") == "agreement" else "resemblance"
    headline = (
        f"Of {len(ranked)} candidate(s), {student}'s outputs are closest to {top['name']} "
        f"({statistic} {_fmt(top['score'])}, {level}% CI {_fmt(top['ci_low'])}-{_fmt(top['ci_high'])})"
    )
    if top.get("pvalue") is not None:
        headline += f"; a panel model comes at least as close with {_p(top['pvalue'])}."
    else:
        headline += "; no panel was given, so there is no floor to judge this against."
    details = []
    if len(ranked) > 1:
        second = ranked[1]
        details.append(
            f"{top['name']} ranks first in {100 * top.get('top_share', 0):.0f}% of prompt resamples; "
            f"the runner-up is {second['name']} ({_fmt(second['score'])})."
        )
    return {"headline": headline, "details": details, "caveats": list(CAVEATS)}
