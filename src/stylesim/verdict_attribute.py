"""The attribute command's verdict in words (shared wording and rules: :mod:`stylesim.verdict`)."""

from __future__ import annotations

import statistics
from typing import Any

from .stats.resampling import at_floor
from .verdict import (
    BASE_NOTE,
    BASE_PARTIAL_CAVEAT,
    CAVEATS,
    MIN_PANEL_FOR_UNUSUAL,
    _flip_floor,
    _fmt,
    _halves,
    _p,
    _p_number,
    add_input_notes,
    matching_set,
    no_panel_reason,
    panel_hint,
    partialled_bases,
)
from .verdict_words import counted, isolate, leaning_clause, share_text


def _ahead_of_top(panel: dict, top: dict) -> list[dict]:
    """The panel rows at least as close to the student as the top candidate, as the p-value decides
    it (unrounded t); results written before 0.3.12 lack the flag and are read from the rounded t."""
    def close(row: dict) -> bool:
        if "at_least_as_close_as_top" in row:
            return bool(row["at_least_as_close_as_top"])
        return row.get("t") is not None and top.get("t") is not None and row["t"] >= top["t"]

    return [row for row in panel.get("models") or [] if close(row)]


def _panel_ahead(panel: dict, top: dict, student: str, base_controlled: bool, shown: int = 3) -> str | None:
    """The panel models that agree with the student at least as much as the top candidate (by t),
    the commonest reason a student's teacher does not stand out: a model on the same base, or
    trained on the same data, is close to the student whatever its teacher."""
    if top.get("t") is None:
        return None
    ahead = sorted(_ahead_of_top(panel, top), key=lambda row: (-row["t"], row["name"]))
    if not ahead:
        return None
    listed = ", ".join(f"{isolate(row['name'])} (t {_fmt(row['t'])})" for row in ahead[:shown])
    more = f" and {len(ahead) - shown} more" if len(ahead) > shown else ""
    advice = ("" if base_controlled else
              " If one of them is built on the same base model, --base NAME partials it out (and takes it out "
              "of the panel).")
    return (f"Panel models that agree with {student} at least as much as {top['name']} does (t {_fmt(top['t'])}): "
            f"{listed}{more}. A model that shares {student}'s base model or its training data agrees with it "
            f"whatever its teacher.{advice}")


def _runner_up(top: dict, second: dict, statistic: str) -> str:
    """The runner-up's score; by agreement with both t values, since candidates are ranked by t
    and the runner-up's agreement can exceed the top's."""
    if top.get("t") is None or second.get("t") is None:
        return _fmt(second["score"])
    return (f"{statistic} {_fmt(second['score'])}; ranked by studentised t, {_fmt(second['t'])} "
            f"against {_fmt(top['t'])}")


def _leave_one_out_sentence(block: dict[str, Any], top: str) -> str | None:
    """What leaving one other candidate or panel model out at a time does to the top candidate."""
    total = block.get("analyses") or 0
    if not block.get("computed") or not total:
        return None
    changes = block.get("changes") or []
    prange = block.get("pvalue_range")
    low, high = (_p_number(prange[0]), _p_number(prange[1])) if prange else ("", "")
    moved = low != high
    spread = (f"; its p vs panel ranges from {low} to {high} across them (part of "
              "that is the smallest p possible moving with the number of candidates and panel models)"
              if moved else "")
    if block.get("candidates", 2) < 2:
        # One candidate cannot lose its place: only its p-value can move.
        return (f"With each of the {total} panel models left out of the analysis in turn, {top}'s p vs panel "
                f"ranges from {low} to {high}." if moved else None)
    others = _other_models(block, total)
    if not changes:
        return f"{top} stays the top candidate whichever one of the {others} is left out of the analysis{spread}."
    named = "; ".join(f"without {isolate(c['left_out'])} ({c['role']}) it is "
                      f"{isolate(c['top']) if c['top'] else 'no candidate (none has a finite score)'}"
                      for c in changes[:3])
    more = f"; {len(changes) - 3} more change it" if len(changes) > 3 else ""
    return (f"The top candidate changes when one model is left out: {top} stays first in "
            f"{total - len(changes)} of {total} analyses with one of the {others} left out "
            f"({named}{more}){spread}.")


def _other_models(block: dict[str, Any], total: int) -> str:
    """"the 1 other candidate and 5 panel models" (the models left out in turn), from the runs' roles."""
    roles = [run.get("role") for run in block.get("runs") or []]
    candidates, panel = roles.count("candidate"), roles.count("panel")
    if candidates + panel != total:  # an older result without roles: the plain count
        return f"{total} other candidates and panel models"
    parts = [f"{n} {word if n == 1 else word + 's'}" for n, word in ((candidates, "other candidate"),
                                                                         (panel, "panel model")) if n]
    return " and ".join(parts)


def _half_panel_sentence(block: dict[str, Any], top: str) -> str | None:
    """What leaving out halves of the panel does to the top candidate (a lean on a group of models)."""
    total = block.get("draws") or 0
    if not block.get("computed") or not total or block.get("candidates", 2) < 2:
        return None  # one candidate cannot lose its place; the leave-one-out sentence gives its p range
    which = f"each of {_halves(block)}"
    if block["stays_top"] == total:
        return f"{top} stays the top candidate with {which}."
    others = [row for row in block.get("tops") or [] if row["name"] != block.get("candidate")]
    named = ", ".join(f"{isolate(row['name']) if row['name'] else 'no candidate'} in {row['count']}"
                      for row in others[:3])
    leaning = block.get("leaning") or []
    lean = (f"; it changes most often when {leaning_clause([isolate(row['name']) for row in leaning], leaning)}"
            if leaning else "")
    return (f"The top candidate changes when half of the panel is left out: with {which}, {top} stays first in "
            f"{block['stays_top']} of {total} (otherwise {named}){lean}.")


def _scored(ranked: list[dict], panel: dict) -> tuple[int, int]:
    """The m candidates and K panel models the max-statistic p-value counts: those with a finite
    ranking statistic (the panel models' ``t`` holds it, agreement's t or resemblance). The top
    candidate's p can be no smaller than m / (m + K)."""
    m = sum(1 for row in ranked if row.get("pvalue") is not None) or len(ranked)
    models = panel.get("models")
    k = sum(1 for x in models if x.get("t") is not None) if models else panel.get("n", 0)
    return m, k


def _all_below_background(top: dict, ranked: list[dict], panel: dict, student: str) -> str | None:
    """Said when even the top candidate's agreement is below 0 with its interval: every candidate
    with a score then agrees with the student less than the background of the other models (t
    and agreement share their sign, and the top has the largest t), so "closest" is the least far.
    That panel models come nearer is added only where some do."""
    if (top.get("statistic") != "agreement" or top.get("t") is None or top["t"] >= 0
            or top.get("ci_high") is None or top["ci_high"] >= 0):
        return None
    scored = sum(1 for row in ranked if row.get("t") is not None)
    which = f"the closest, {top['name']}, has" if scored > 1 else "it has"
    subject = f"Every one of the {scored} candidates with a score agrees" if scored > 1 else "The candidate agrees"
    text = (f"{subject} with {student} less than the background of the other models (0 is the background; "
            f"{which} agreement {_fmt(top['score'])}, interval {_fmt(top['ci_low'])} to {_fmt(top['ci_high'])}), "
            + ("so being first among the candidates says little" if scored > 1 else
               "so it is further from it than the average pair of the other models"))
    if _ahead_of_top(panel, top):
        text += f"; some panel models come nearer {student}'s answers than any candidate does (below)"
    return text + "."


def _below_panel_median(top: dict, panel: dict) -> bool:
    """Whether the top candidate is no closer than the median panel model, by the statistic that
    ranks them: t where there is one (the plain agreement could say otherwise), else the score."""
    ts = [x["t"] for x in panel.get("models") or [] if x.get("t") is not None]
    if top.get("t") is not None and ts:
        return top["t"] <= statistics.median(ts)
    median = panel.get("median")
    return median is not None and top["score"] is not None and top["score"] <= median


def attribute_verdict(data: dict[str, Any]) -> dict[str, Any]:
    """A headline, supporting sentences and caveats for an attribute result."""
    student = isolate(data["models"]["student"])
    level = round(100 * data["parameters"]["confidence"])
    ranked = [{**row, "name": isolate(row["name"])} for row in data["candidates"]]
    top = ranked[0]
    statistic = "same-prompt agreement" if top.get("statistic") == "agreement" else "resemblance"
    # What "closest" means: the rank is by t, which can put a candidate with a smaller agreement first.
    by = " by studentised agreement" if statistic == "same-prompt agreement" else " by resemblance"
    m = len(ranked)
    together = f", simultaneous over the {m} candidates" if m > 1 else ""
    measured = (f"{statistic} {_fmt(top['score'])}, {level}% CI {_fmt(top['ci_low'])} to {_fmt(top['ci_high'])}"
                f"{together}")
    panel = data.get("panel") or {}
    scored_m, size = _scored(ranked, panel)
    unscored = panel.get("n", 0) - size
    details = []
    if all(row.get("score") is None for row in ranked):
        # Nothing to rank: no candidate is "closest".
        headline = (f"No candidate's {statistic} with {student} could be measured: every score is undefined, as when "
                    "the answers leave nothing to compare once what all the models share is taken out (one-word "
                    "answers, for example).")
        add_input_notes(details, data, f"{student} and the candidates")
        return {"headline": headline, "details": details, "caveats": list(CAVEATS)}
    if top.get("pvalue") is None or not size:
        closest = (f"Of {m} candidates, {student}'s outputs are closest to {top['name']}{by}" if m > 1
                   else f"{student}'s outputs measured against {top['name']}'s")
        none = "no panel model could be scored" if unscored else no_panel_reason(data)
        headline = f"{closest} ({measured}); {none}, so there is no floor to judge this against."
    else:
        below_median = _below_panel_median(top, panel)
        smallest = scored_m / (scored_m + size)
        top_at_floor = at_floor(top["pvalue"], smallest)
        best_of = f"best of {m} candidates" if m > 1 else "one candidate"
        if not below_median and smallest > 0.05 and top_at_floor:
            # Closer than every panel model, but the panel is too small for that to mean much.
            lead = (f"Of {m} candidates, {top['name']} is closest to {student}{by} ({measured}) and closer than" if m > 1
                    else f"{top['name']} is closer to {student}{by} ({measured}) than")
            models = "the one panel model" if size == 1 else f"any of the {size} panel models"
            headline = (f"{lead} {models}, but with so small a panel that is not unusual "
                        f"({_p(top['pvalue'])}, the smallest this panel allows"
                        + (f" for the {best_of})." if m > 1 else ")."))
        elif top["pvalue"] > 0.05 or below_median:
            headline = (f"No candidate stands out: the closest{by}, {top['name']} ({measured}), is not closer to "
                        f"{student} than panel models come ({_p(top['pvalue'])}, {best_of}).")
        else:
            lead = (f"Of {m} candidates, {top['name']} is closest to {student}{by} ({measured}), closer than the" if m > 1
                    else f"{top['name']} is closer to {student}{by} ({measured}) than the")
            headline = (f"{lead} {counted(size, 'panel model')} make{'s' if size == 1 else ''} likely ({_p(top['pvalue'])}, {best_of}"
                        + (", the smallest this panel allows)." if top_at_floor else ")."))
        if size < MIN_PANEL_FOR_UNUSUAL or smallest > 0.05:
            details.append(f"With {counted(scored_m, 'candidate')} and {counted(size, 'panel model')} the smallest possible p-value for "
                           f"the top candidate is {_p_number(smallest)}; {panel_hint(scored_m, matching_set(data, 1 + m), drawn=1 + m)}.")
        if unscored:
            details.append(f"{counted(unscored, 'panel model')} had no score (nothing left to compare once what all the models "
                           "share is taken out) and take no part in the p-value.")
        below = _all_below_background(top, ranked, panel, student)
        if below:
            details.append(below)
        ahead = _panel_ahead(panel, top, student, bool(data.get("base_controlled")))
        if ahead:
            details.append(ahead)
    if len(ranked) > 1:
        second = ranked[1]
        details.append(
            f"{top['name']} comes first{by} in {share_text(top.get('top_share', 0))} of prompt resamples "
            f"({'the panel and the candidates' if panel.get('n') else 'the candidates'} held fixed); "
            f"the runner-up is {second['name']} ({_runner_up(top, second, statistic)})."
        )
    # A top candidate that one left-out model, or a half of the panel, unseats: both sentences come
    # before the other details, the one that found a change first.
    half = data.get("half_panel") or {}
    sentences = [(bool((data.get("leave_one_out") or {}).get("changes")),
                  _leave_one_out_sentence(data.get("leave_one_out") or {}, top["name"])),
                 (half.get("stays_top", 0) < half.get("draws", 0), _half_panel_sentence(half, top["name"]))]
    sentences = [s for s in sentences if s[1]]
    changed = any(flag for flag, _ in sentences)
    ordered = [text for flag, text in sentences if flag] + [text for flag, text in sentences if not flag]
    at = 0 if changed else len(details)
    details[at:at] = ordered
    above = top.get("pvalue_above_background")
    if above is not None:
        # Read for what it says, as compare's is (an outside review saw a bare p = 0.01 beside a
        # candidate's name while the headline said no candidate stands out).
        meaning = (f"this says {top['name']} shares more with {student} than the average pair of other models "
                   "does, not that it is the teacher or closer than every panel model" if above <= 0.05 else
                   f"no evidence that {top['name']} shares more with {student} than the average pair "
                   "of other models")
        base_note = (" With --base this p-value runs somewhat small (method.md); the p-value against the panel "
                     "is the test." if data.get("base_controlled") else "")
        details.append(f"Agreement of the top candidate above the background of the other models: "
                       f"{_p(above, _flip_floor(data))} (sign-flip test over prompts{f', best of {m}' if m > 1 else ''}): "
                       f"{meaning}.{base_note}")
    if statistic == "same-prompt agreement":
        if data.get("base_controlled"):
            details.append(f"{partialled_bases(data, student)}. {BASE_PARTIAL_CAVEAT}")
        else:
            details.append(BASE_NOTE)
    add_input_notes(details, data, f"{student} and the candidates")
    return {"headline": headline, "details": details, "caveats": list(CAVEATS)}
