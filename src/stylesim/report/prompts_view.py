"""Per-prompt evidence: the ranked similarity plot, the most and least similar pairs, and every
pair side by side, cut to a size budget so the page stays small."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import fmt
from .charts import Scatter, ranked_scatter
from .common import as_list, as_map

EXTREMES = 5  # most / least similar pairs shown open
LIST_BUDGET_BYTES = 2_600_000  # all escaped prompt and answer text in the full list
MIN_CHARS = 200  # never cut a listed text shorter than this
MAX_LISTED = 3000  # prompts beyond this are plotted but not listed
SUMMARY_CHARS = 110
HOVER_CHARS = 80


@dataclass
class PromptPair:
    anchor: str
    number: int
    prompt_id: str
    prompt: str
    summary: str
    similarity: str
    sort: str
    label: str
    a: str
    b: str
    prompt_note: str
    a_note: str
    b_note: str


@dataclass
class PromptsView:
    name_a: str
    name_b: str
    scatter: Scatter | None
    most: list[PromptPair]
    least: list[PromptPair]
    listed: list[PromptPair]
    count: str
    note: str
    measure: str = "how alike the two answers to it are"


def anchor(i: int) -> str:
    return f"p-{i + 1}"


def prompt_index(per_prompt: Sequence[Any]) -> dict[str, str]:
    """Prompt id -> "#p-N" for every listed prompt (the first of duplicate ids wins)."""
    out: dict[str, str] = {}
    for i, row in enumerate(per_prompt[:MAX_LISTED]):
        pid = fmt.text(as_map(row).get("prompt_id", ""))
        out.setdefault(pid, "#" + anchor(i))
    return out


def fitting_cap(texts: Sequence[str], budget: int, low: int = MIN_CHARS, high: int = 2500) -> int:
    """The largest per-text character cap whose total escaped size fits ``budget``."""
    sizes = [(len(t), fmt.escaped_size(t) / len(t) if t else 1.0) for t in texts]

    def cost(cap: int) -> float:
        return sum(min(n, cap) * ratio for n, ratio in sizes)

    if cost(high) <= budget:
        return high
    if cost(low) > budget:
        return low
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if cost(mid) <= budget else (low, mid)
    return low


def _note(cut_here: bool, cut_before: bool, cap: int) -> str:
    if cut_before or cut_here:
        limit = f"{cap:,} characters on this page" if cut_here else "2,500 characters by the analysis"
        return f"Shortened to {limit}; the full text is in the input file."
    return ""


def _pair(row: Mapping, i: int, cap: int | None, key: str = "similarity") -> PromptPair:
    def cut(key: str) -> tuple[str, bool]:
        value = fmt.text(row.get(key, "")) if row.get(key) is not None else ""
        return (value, False) if cap is None else fmt.clip(value, cap)

    prompt, p_cut = cut("prompt")
    prompt = prompt or "(The inputs do not include the prompt text.)"
    a, a_cut = cut("a")
    b, b_cut = cut("b")
    sim = row.get(key)
    return PromptPair(
        anchor=anchor(i), number=i + 1, prompt_id=fmt.text(row.get("prompt_id", "")), prompt=prompt,
        summary=fmt.clip(" ".join(str(row.get("prompt") or "").split()), SUMMARY_CHARS)[0],
        similarity=fmt.est(sim), sort=fmt.sort_key(sim), label="agreement" if key == "agreement" else "similarity",
        a=a, b=b,
        prompt_note=_note(p_cut, False, cap or 0),
        a_note=_note(a_cut, bool(row.get("a_truncated_for_report")), cap or 0),
        b_note=_note(b_cut, bool(row.get("b_truncated_for_report")), cap or 0),
    )


def prompts_view(data: Mapping, name_a: str, name_b: str) -> PromptsView | None:
    rows = [as_map(r) for r in as_list(data.get("per_prompt"))]
    if not rows:
        return None
    # Rows carry the centred agreement when other models gave a background, else only the raw cosine.
    centred = any(r.get("agreement") is not None for r in rows)
    key = "agreement" if centred else "similarity"
    scored = [(fmt.number(r.get(key)), i) for i, r in enumerate(rows)]
    ranked = sorted(((v, i) for v, i in scored if v is not None), key=lambda t: (t[0], t[1]))
    values = [v for v, _ in ranked]
    median = statistics.median(values) if values else None
    scatter = None
    if ranked:
        entries = []
        for v, i in ranked:
            pid = fmt.text(rows[i].get("prompt_id", ""))
            excerpt = fmt.clip(" ".join(str(rows[i].get("prompt") or "").split()), HOVER_CHARS)[0]
            entries.append((v, "#" + anchor(i) if i < MAX_LISTED else "",
                            f"{pid}: {'agreement' if centred else 'similarity'} {fmt.est(v)} \u2014 {excerpt}"))
        scatter = ranked_scatter(entries, highlight=min(EXTREMES, len(ranked) // 2), median=median,
                                 desc=f"{'Agreement' if centred else 'Similarity'} of {name_a}'s and {name_b}'s "
                                      "answers for each prompt, sorted from least to most alike.")
    k = min(EXTREMES, len(ranked) // 2)
    most = [_pair(rows[i], i, None, key) for _, i in reversed(ranked[len(ranked) - k:])] if k else []
    least = [_pair(rows[i], i, None, key) for _, i in ranked[:k]]
    listed_rows = rows[:MAX_LISTED]
    texts = [fmt.text(r.get(key) or "") for r in listed_rows for key in ("prompt", "a", "b")]
    cap = fitting_cap(texts, LIST_BUDGET_BYTES)
    listed = [_pair(r, i, cap, key) for i, r in enumerate(listed_rows)]
    notes = []
    if cap < 2500 and any(len(t) > cap for t in texts):
        notes.append(f"To keep this page small, each prompt and answer in the full list is cut to "
                     f"{cap:,} characters; the most and least similar pairs above are shown as the "
                     "analysis kept them (up to 2,500 characters).")
    if len(rows) > MAX_LISTED:
        notes.append(f"Only the first {MAX_LISTED:,} of {len(rows):,} prompts are listed; all are plotted.")
    unscored = len(rows) - len(ranked)
    if unscored:
        notes.append(f"{fmt.plural(unscored, 'prompt')} had no similarity value and "
                     f"{'is' if unscored == 1 else 'are'} not plotted.")
    measure = ("its term of the same-prompt agreement: how alike the two answers to it are once what the other "
               "models say for it is removed, scaled so that the mean over prompts is the overall agreement "
               "(0 = no more alike than the background; one prompt's term is not bounded by 1)" if centred
               else "how alike the two answers to it are (cosine)")
    return PromptsView(name_a=name_a, name_b=name_b, scatter=scatter, most=most, least=least,
                       listed=listed, count=fmt.plural(len(rows), "prompt"), note=" ".join(notes), measure=measure)
