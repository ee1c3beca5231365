"""Verdicts in words. They describe resemblance and its strength; they never claim proof."""

from __future__ import annotations

from typing import Any

from .errors import StylesimError
from .stats.resampling import at_floor, permutation_floor
from .stats.resampling import p_text as _p_number
from .verdict_words import counted, isolate, leaning_clause, share_text

CAVEATS = [
    "Resemblance in language patterns is not proof of distillation.",
    "A shared teacher model, overlapping training data (including web text written by other "
    "models) or a shared base model can each produce the same resemblance.",
    "Results describe these prompts and these sampling settings only.",
]


def _fmt(value: float | None, digits: int = 2) -> str:
    """A number for prose, with a true minus sign so "−0.02 to 0.07" cannot read as a range. Values
    below 0.1 in size get one more decimal, so that −0.003 does not read as "−0.00"."""
    if value is None:
        return "n/a"
    if 0 < abs(value) < 0.1 and digits == 2:
        digits = 3
    text = f"{value:.{digits}f}"
    if float(text) == 0:  # a tiny negative value rounds to "-0.000": no sign, as the report prints it
        text = text.lstrip("-")
    return text.replace("-", "\u2212")


def _p(value: float | None, floor: float | None = None) -> str:
    """"p = value"; with a permutation test's ``floor`` 1/(B + 1), "p ≤ value" at it (the test
    cannot say how much smaller p is)."""
    if value is None:
        return "p = n/a"
    relation = "\u2264" if floor is not None and at_floor(value, floor) else "="
    return f"p {relation} {_p_number(value)}"


def _flip_floor(data: dict[str, Any]) -> float | None:
    """The smallest p-value the run's sign flips or permutations allow, 1/(B + 1)."""
    return permutation_floor((data.get("parameters") or {}).get("permutations"))


# Below this many panel models a rank p-value cannot reach 0.05, so nothing is called unusual.
MIN_PANEL_FOR_UNUSUAL = 19


# Input formats that say which published prompts were answered (one registry set each); the
# others (FastChat, chat JSONL, stylesim JSONL, OpenAI batch) are used for many prompt sets.
_SPECIFIC_FORMATS = ("alpaca_eval", "eqbench", "notxbuty", "wildbench")


def matching_set(data: dict[str, Any], focus: int) -> tuple[str, int] | None:
    """The registry set (name, models) that answered the prompts of the first ``focus`` inputs,
    judged by their format where a format belongs to one published benchmark; else None."""
    formats = {entry.get("format") for entry in (data.get("inputs") or [])[:focus]}
    if len(formats) != 1 or (fmt := formats.pop()) not in _SPECIFIC_FORMATS:
        return None
    from .registry import load_registry

    try:
        sets = [(name, len(s.models)) for name, s in sorted(load_registry().items()) if s.format == fmt]
    except StylesimError:  # an unreadable registry costs the hint its example, nothing more
        return None
    return sets[0] if len(sets) == 1 else None


def panel_hint(candidates: int = 1, named: tuple[str, int] | None = None, drawn: int | None = None) -> str:
    """How large a panel makes p <= 0.05 possible for the best of ``candidates`` (m / (m + n) <= 0.05),
    with the published set of the same prompts (``named``: name, models) as an example where it is
    large enough. The inputs may be models of that set (A and B; the student and its m candidates),
    which a named panel leaves out, so the set must hold 1 + m + 19 m models (``drawn``, default
    1 + m, where candidates without a score still count as drawn but not as ranked)."""
    needed = 19 * candidates
    with_m = f" with {candidates} candidates" if candidates > 1 else ""
    text = f"a panel of {needed} or more models that answered the same prompts makes p \u2264 0.05 possible{with_m}"
    if named is None:
        return text + " (stylesim fetch --list shows the published sets)"
    name, size = named
    if size >= (1 + candidates if drawn is None else drawn) + needed:
        return text + f" (e.g. --panel {name}, after stylesim fetch {name} if it is not fetched yet)"
    most = (size - 1) // 20  # the largest m with size - 1 - m >= 19 m
    enough = (f", enough for p \u2264 0.05 with at most {most} candidate{'s' if most > 1 else ''}" if most
              else ", too few for p \u2264 0.05 even with one candidate")
    return text + f"; the published set of these prompts, {name}, holds {size} models{enough}"


BASE_NOTE = ("The base model was not controlled for: a shared base model pulls a student towards every model "
             "built on it. Add --base BASE to partial it out.")
# After --base: what partialling leaves (docs/method.md, "What partialling cannot remove").
BASE_PARTIAL_CAVEAT = ("Partialling removes only part of a base whose answers vary from one draw to the next (more "
                       "of it with several samples of the base per prompt), so another student of the same base "
                       "can still look related; give such siblings as --base too.")


def shortfall_sentence(data: dict[str, Any], focus: str) -> str | None:
    """What the other models cut from the prompts ``focus`` (e.g. "A and B") share, if much."""
    cut = (data.get("coverage") or {}).get("shortfall")
    if not cut:
        return None
    worst = ", ".join(f"{isolate(row['name'])} lacks {row['missing']}" for row in cut["lacking"][:3])
    return (f"Only {cut['matched']} of the {cut['shared_by_focus']} prompts that {focus} share are analysed: "
            f"the other models lack the rest ({worst}). Leave such a model out to keep more prompts.")


def repeated_answers_sentence(data: dict[str, Any]) -> str | None:
    """Models to at least half of whose prompts every answer repeats, word for word, an answer to
    another prompt."""
    rows = []
    for name, info in sorted((data.get("hygiene") or {}).items()):
        prompts, same = info.get("prompts_answered") or 0, info.get("same_text_other_prompts") or 0
        if prompts and same >= 0.5 * prompts:
            rows.append(f"{isolate(name)} ({same} of {prompts} prompts)")
    if not rows:
        return None
    return (f"At least half the prompts of {', '.join(rows)} get only answers the model also gave, word for word, "
            "to another prompt: such a model makes few per-prompt choices, so its agreement with another model says "
            "mostly how that model differs from the rest, not what the two share.")


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def no_panel_reason(data: dict[str, Any]) -> str:
    """Why a result has no panel: none was given, or every panel input given was dropped."""
    dropped = data.get("panel_inputs_dropped") or 0
    if dropped == 1:
        return "no panel model remains: the one panel input given was dropped as repeating another input (see below)"
    if dropped:
        return (f"no panel model remains: the panel inputs ({dropped}) given were all dropped as repeating other "
                "inputs (see below)")
    return "no reference panel was given"


def add_input_notes(details: list[str], data: dict[str, Any], focus: str) -> None:
    """Append the dropped inputs; put what cut the prompts ``focus`` share and any model that
    answers every prompt alike second, after the first detail."""
    position = min(1, len(details))
    details += [f"Input {message}." for message in data.get("dropped_inputs") or []]
    for note in (repeated_answers_sentence(data), shortfall_sentence(data, focus)):
        if note:
            details.insert(position, note)


def _interval(entry: dict[str, Any] | None, level: int) -> str:
    if not entry:
        return "n/a"
    return f"{_fmt(entry.get('estimate'))} ({level}% CI {_fmt(entry.get('ci_low'))} to {_fmt(entry.get('ci_high'))})"


def _outside_unit(data: dict[str, Any]) -> str | None:
    """A–B's agreements (combined, per family) that fall outside [−1, 1], as "name value, ...", or
    None. Possible with a small background: the estimate is unbiased, not bounded (method.md)."""
    rows = [("combined", ((data.get("agreement") or {}).get("overall") or {}).get("estimate"))]
    rows += [(family.get("label") or key, (family.get("agreement") or {}).get("estimate"))
             for key, family in (data.get("families") or {}).items()]
    outside = [f"{name} {_fmt(value)}" for name, value in rows if value is not None and abs(value) > 1]
    return ", ".join(outside) or None


def compare_verdict(data: dict[str, Any]) -> dict[str, Any]:
    """A headline, supporting sentences and caveats for a compare result."""
    a, b = isolate(data["models"]["a"]), isolate(data["models"]["b"])
    uncentred = data["similarity"]["uncentred"]
    level = round(100 * data["parameters"]["confidence"])
    details = []
    panel = data.get("panel")
    equality = data.get("equality")
    agreement = data.get("agreement") or {}
    flip_in_headline = False  # the headline cites the sign-flip test (rank 1 and p <= 0.05)
    if panel:
        n = panel["n"]
        # Panel models without a score do not count in the rank p-value (results before 0.3.9: all).
        size = panel.get("scored", n - 1)
        ranked = panel.get("models") or []
        rival = next((row["name"] for row in ranked if row["name"] != data["models"]["b"]), None)
        nearest = isolate(rival) if rival is not None else b
        by_agreement = panel.get("statistic") != "resemblance"
        # Too few models for agreement (it needs a background of two): the rank is by resemblance.
        statistic = ("studentised same-prompt agreement" if by_agreement
                     else "cross-prompt resemblance (uncentred)")
        if by_agreement:
            # The rank is by t; the agreement is what t studentises (a review read 0.19 as t).
            t = agreement.get("t")
            value = f"agreement {_fmt((agreement.get('overall') or {}).get('estimate'))}" + (
                f", t {t:.2f}" if isinstance(t, (int, float)) else "")
        else:
            value = _fmt(uncentred.get("estimate"))
        floor = ", the smallest this panel allows" if at_floor(panel["pvalue"], panel["pvalue_min"]) else ""
        if panel["rank"] == 1:
            headline = (f"{b} is {a}'s nearest model among {n} by {statistic} "
                        f"({value}; rank {_p(panel['pvalue'])}{floor}).")
        else:
            headline = (f"{nearest}, not {b}, is {a}'s nearest model; {b} ranks {panel['rank']} of {n} "
                        f"by {statistic} ({value}; rank {_p(panel['pvalue'])}).")
        above = agreement.get("pvalue_above_background")
        flip_in_headline = above is not None and above <= 0.05 and panel["rank"] == 1
        if flip_in_headline:
            headline += (f" Their answers to the same prompts agree more than the other models' answers do "
                         f"({_p(above, _flip_floor(data))}, sign-flip test over prompts).")
    if panel and by_agreement:
        details.append(
            f"Same-prompt agreement of {a} and {b}: {_interval(agreement.get('overall'), level)}, against a panel "
            f"median of {_fmt((panel.get('agreement') or {}).get('median'))} (0 = no more alike than the other "
            "models, 1 = identical answers); answers to the same prompt are compared after removing what the "
            "other models say for it."
        )
        outside = _outside_unit(data)
        if outside:
            details.append(f"Agreement is unbiased but not bounded: with {n - 1} panel models as the background, "
                           f"some of {a} and {b}'s agreements fall outside [\u22121, 1] ({outside}). Read such a value against "
                           "the panel, not as a correlation.")
        median = (panel.get("agreement") or {}).get("median")
        if median is not None and median <= -0.05:
            details.append("The panel median is below 0: with few models, each panel model's background holds "
                           f"{b}, so a model close to {a} pulls the others' agreement down. Read {b} against the "
                           "median, not against 0.")
    if panel:
        if size < MIN_PANEL_FOR_UNUSUAL:
            scored = f" with a score (of {n - 1})" if size < n - 1 else ""
            details.append(f"With {counted(size, 'panel model')}{scored} the smallest possible p-value is "
                           f"{_p_number(panel['pvalue_min'])}, "
                           f"so nothing can be called unusual against this panel; {panel_hint(1, matching_set(data, 2))}.")
        else:
            if panel["rank"] == 1 and panel["pvalue"] <= 0.05:
                strength = "unusually close compared with this panel"
            elif panel["rank"] <= max(1, n // 4):
                strength = "closer than most of the panel, but not unusually so"
            elif panel["rank"] <= (n + 1) // 2:
                strength = "closer than the median panel model, but not unusually so"
            else:
                strength = "not closer than a typical panel model"
            details.append(f"On this evidence {b}'s writing is {strength}.")
        other_rank = (panel.get("resemblance") or {}).get("rank")
        if other_rank is not None and abs(other_rank - panel["rank"]) > max(1, n // 5):
            if min(other_rank, panel["rank"]) <= max(1, n // 4):
                where = ("in how the two answer the same prompts more than in their general style"
                         if panel["rank"] < other_rank else "in general style more than in answers to the same prompts")
                details.append(f"By cross-prompt resemblance {b} ranks {other_rank} of {n}: the resemblance lives {where}.")
            else:
                # Neither rank is near the top: there is no resemblance to place (an outside review
                # saw "lives in the same prompts" for a pair at rank 5 of 11 and 11 of 11).
                details.append(f"By cross-prompt resemblance {b} ranks {other_rank} of {n} (descriptive; the "
                               "rank above is by agreement).")
        share = _top_share_sentence(panel, data["models"]["b"])
        if share:
            details.append(share)
    else:
        headline = (f"{a}'s resemblance to {b} is {_interval(uncentred, level)} of their self-similarity (uncentred). "
                    f"{_sentence_start(no_panel_reason(data))}, so there is no floor to judge this against.")
        details.append("Much of this number is what every model shares (the language, the task, the format of an "
                       "assistant's answer): two unrelated models score high on it too. Add --panel with other "
                       "models' outputs on the same prompts to learn whether this is unusual.")
    above = agreement.get("pvalue_above_background")
    if flip_in_headline:
        details.append("The sign-flip test in the headline says the two share more than the average pair of the other "
                       "models, not that they are related: in a set of distinct styles most nearest pairs pass it, and "
                       "a shared base model, shared data or a shared register can each make a pair pass.")
    elif above is not None:
        meaning = (f"this says {a} and {b} share more than the average pair of other models does, not that they "
                   "are closer than every panel model" if above <= 0.05 else
                   f"no evidence that {a} and {b} share more than the average pair of other models")
        details.append(f"Agreement above the background of the other models: {_p(above, _flip_floor(data))} "
                       f"(prompt-level sign-flip test): {meaning}.")
    if agreement.get("disattenuated"):
        details.append(f"Corrected for each model's agreement with a second sample of itself, agreement is "
                       f"{_interval(agreement['disattenuated'], level)}.")
    elif agreement.get("ceiling_b") and not data.get("base_controlled"):
        details.append("Agreement corrected for each model's agreement with a second sample of itself is not "
                       "given: the ratio is not stable, a self-agreement being too close to 0 to divide by "
                       "(or the ratio undefined in more resamples than an interval's tail).")
    if agreement and not data.get("base_controlled"):
        details.append(BASE_NOTE)
    elif data.get("base_controlled"):
        details.append(f"{partialled_bases(data, a)}; "
                       f"agreement before partialling (with the base counted in the background) "
                       f"{_fmt(agreement.get('unpartialled'))}. {BASE_PARTIAL_CAVEAT}")
    if equality:
        if equality["pvalue"] is not None and equality["pvalue"] <= 0.05:
            details.append(
                f"The two sets of outputs are distinguishable ({_p(equality['pvalue'], _flip_floor(data))}, within-prompt "
                "permutation test); nearly any two distinct models are, given enough text."
            )
        else:
            details.append(
                f"The outputs could not be told apart by the permutation test ({_p(equality['pvalue'], _flip_floor(data))}), "
                "which is what two samples of one model look like; it is not proof they are one model."
            )
    # A place that one left-out panel model, or a half of the panel, moves is said first (after the
    # headline's numbers); a place that holds is said last.
    views = [(bool((data.get(key) or {}).get("moved")), sentence(data.get(key) or {}, b))
             for key, sentence in (("leave_one_out", _compare_leave_one_out_sentence),
                                   ("half_panel", _compare_half_panel_sentence))]
    details[min(1, len(details)):min(1, len(details))] = [text for moved, text in views if moved and text]
    details += [text for moved, text in views if not moved and text]
    add_input_notes(details, data, f"{a} and {b}")
    same = data.get("self_comparison") or []
    if same:  # first of all: it changes what every number above means
        headline = f"{b} holds {a}'s own answers, so this compares a model with itself. " + headline
        details[0:0] = [f"Input {message}." for message in same]
    identity = data.get("identity", {})
    claims = {name: info["claims"] for name, info in identity.items() if info.get("claims")}
    if claims:
        parts = [f"{isolate(name)}: {', '.join(f'{isolate(k)} x{v}' for k, v in list(c.items())[:3])}"
                 for name, c in claims.items()]
        details.append(
            "Self-identification statements (reported apart from style; easy to fake or inherit): "
            + "; ".join(parts) + "."
        )
    return {"headline": headline, "details": details, "caveats": list(CAVEATS)}


def _top_share_sentence(panel: dict[str, Any], b_name: str) -> str | None:
    """How often the nearest model (and B) come first over prompt resamples: whether the order at
    the top is settled (a review saw "nearest" decided by t 3.98 against 3.95)."""
    ranked = panel.get("models") or []
    if len(ranked) < 2 or any(row.get("top_share") is None for row in ranked):
        return None  # results before 0.3.17 have no shares
    first = ranked[0]
    pct = share_text(first["top_share"])
    if first["name"] == b_name:
        text = f"{isolate(b_name)} comes first in {pct} of prompt resamples (the panel held fixed)"
    else:
        b_share = next((row["top_share"] for row in ranked if row["name"] == b_name), None)
        text = f"{isolate(first['name'])} comes first in {pct} of prompt resamples (the models held fixed)"
        if b_share is not None:
            text += f", {isolate(b_name)} in {share_text(b_share)}"
    unsettled = first["top_share"] < 0.5
    return text + ("; which model is nearest is not settled by these prompts." if unsettled else ".")


def _compare_leave_one_out_sentence(block: dict[str, Any], b: str) -> str | None:
    """What leaving one panel model out at a time does to B's place among the others."""
    if not block.get("computed") or block.get("with_pvalue") == 0:
        return None  # not computed, or B has no finite t in any run: nothing to say
    total = block.get("analyses") or 0
    low, high = block.get("pvalue_range") or (None, None)
    counted = block.get("with_pvalue", total)
    among = "" if counted == total else f" in the {counted} with a finite t"
    spread = ("" if low is None else f" (its rank p-value is {_p_number(low)} in each{among})" if low == high
              else f" (its rank p-value ranges from {_p_number(low)} to {_p_number(high)}{among})")
    moved = block.get("moved") or []
    if not moved:
        # Out of the ranking and the background; the features stay those fitted on every model.
        return (f"{b} keeps its place among the other panel models whichever one of the {total} is left out of "
                f"the ranking and the background{spread}.")
    shown = "; ".join(f"without {isolate(row['left_out'])}, {row['rank']} instead of {row['expected_rank']}"
                      for row in moved[:3])
    more = f" and {len(moved) - 3} more" if len(moved) > 3 else ""
    return (f"{b}'s place among the other panel models depends on which models are in the background: {shown}"
            f"{more} (of {total} analyses with one panel model left out){spread}.")


def _halves(block: dict[str, Any]) -> str:
    """Which halves of the panel a half-panel view ran: all of them, or random draws."""
    total, size = block["draws"], block["panel"]
    return (f"the {total} ways of leaving {size - block['kept']} of the {size} panel models out"
            if block.get("exhaustive") else f"{total} random halves of the {size} panel models left out")


def partialled_bases(data: dict[str, Any], subject: str) -> str:
    """"Base model(s) partialled out of S's answers: X, Y" for a result with --base."""
    bases = data["models"].get("base", [])
    return (f"{'Base model' if len(bases) == 1 else 'Base models'} partialled out of {subject}'s answers: "
            f"{', '.join(isolate(n) for n in bases)}")


def _compare_half_panel_sentence(block: dict[str, Any], b: str) -> str | None:
    """What leaving out halves of the panel does to B's place among the panel models kept: how often
    B rises above, or falls below, its place by removal alone, and without which models."""
    total, counted = block.get("draws") or 0, block.get("with_pvalue") or 0
    if not block.get("computed") or not total or not counted:
        return None
    halves = _halves(block)
    among = "" if counted == total else f" ({b} has a finite t in {counted} of them)"
    ps = block.get("pvalue") or {}
    spread = (f"its rank p-value against the kept half is {_p_number(ps['min'])} in each" if ps["min"] == ps["max"]
              else f"its rank p-value against the kept half ranges from {_p_number(ps['min'])} to "
                   f"{_p_number(ps['max'])} (median {_p_number(ps['median'])})")
    if not block.get("moved"):
        return f"{b} keeps its place among the panel models kept over {halves}{among}; {spread}."
    parts = []
    for key, verb in (("up", "rises above"), ("down", "falls below")):
        count = block.get(f"moved_{key}") or 0
        if count:
            leaning = block.get(f"leaning_{key}") or []
            lean = (f", most often when {leaning_clause([isolate(row['name']) for row in leaning], leaning)}"
                    if leaning else "")
            parts.append(f"{verb} {'its place by removal alone' if not parts else 'it'} in {count}{lean}")
    return (f"{b}'s place among the panel models kept depends on which half of the panel is in the background: "
            f"over {halves}{among}, it {' and '.join(parts)}; {spread}.")
