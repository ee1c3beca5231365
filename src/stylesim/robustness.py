"""How much attribute's answer leans on its background: the ranking recomputed with one other
model, or a random part of the panel, left out of the analysis.

Every model of an analysis is in the background of every pair, so the top candidate can depend on
which other models were given. Two views show how much:

- leave one out: each other candidate and each panel model left out in turn;
- half panels: up to :data:`HALF_PANEL_DRAWS` different halves of the panel left out (all of them
  when there are no more), which catches a ranking that leans on a *group* of similar models:
  leaving one of them out leaves the others.

Both are descriptive. Each run is a different background, not a resample of the prompts, so the
spread of its numbers is not a sampling interval. The family weights, vocabularies and matched
prompts stay those of the full analysis (see docs/method.md).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .corpus import Corpus
from .result import clean
from .stats import agreement as agreement_stats
from .stats import panel as panel_stats

# Up to this many models in all, the ranking is recomputed with each candidate and panel model left
# out in turn, and with halves of the panel left out (one k x k product per prompt and family;
# beyond it that costs more than the analysis).
LEAVE_OUT_MAX_MODELS = 40
# At most this many halves of the panel; all of them when the panel has no more.
HALF_PANEL_DRAWS = 50
# The smallest panel for the half-panel view: with two, a half is one model, as in leave one out.
HALF_PANEL_MIN = 3


@dataclass
class LeaveOutPlan:
    """The sets of models attribute asks the analysis to leave out: first each of ``one`` (a model
    at a time), then each of ``halves`` (a set of panel models), with the reason for any view that
    is not computed; and whether to compute every pair's agreement (``pairs``)."""

    one: list[tuple[int, ...]]
    halves: list[tuple[int, ...]]
    exhaustive: bool = False
    one_reason: str | None = None
    half_reason: str | None = None
    pairs: bool = False  # every pair's agreement too (for :func:`candidate_neighbours`)

    @property
    def sets(self) -> list[tuple[int, ...]]:
        return [*self.one, *self.halves]


def plan(n_models: int, others: Sequence[int], panel: Sequence[int], seed: int,
         names: Sequence[str] | None = None, covariates: int = 0) -> LeaveOutPlan:
    """Which models each run leaves out: ``others`` one at a time, and halves of ``panel``.

    A half keeps ``max(1, P // 2)`` of the P panel models. With at most
    :data:`HALF_PANEL_DRAWS` possible halves every one is run; otherwise that many different ones
    are drawn, seeded, so the same inputs and seed give the same halves. With ``names`` (one per
    model) the panel is taken in name order, so the halves do not depend on the order the panel
    files were given in. ``covariates`` base models partialled out raise the number of models a
    run needs by one each (the fit is centred on the models that are neither the pair nor a base).
    """
    needed = agreement_stats.MIN_MODELS + covariates
    few = "four" if not covariates else f"{needed} (four, and one per base model)"
    if n_models > LEAVE_OUT_MAX_MODELS:
        reason = f"more than {LEAVE_OUT_MAX_MODELS} models"
        return LeaveOutPlan([], [], one_reason=reason, half_reason=reason)
    one: list[tuple[int, ...]] = []
    one_reason = None
    if n_models - 1 < needed:
        one_reason = f"leaving one model out would leave fewer than {few} for the agreement"
    else:
        one = [(int(q),) for q in others]
    panel = sorted((int(m) for m in panel), key=lambda m: (names[m], m) if names is not None else ("", m))
    size = len(panel)
    drop = size - max(1, size // 2)
    pairs = size > 0
    if size < HALF_PANEL_MIN:
        return LeaveOutPlan(one, [], one_reason=one_reason,
                            half_reason=f"it needs at least {HALF_PANEL_MIN} panel models", pairs=pairs)
    if n_models - drop < needed:
        return LeaveOutPlan(one, [], one_reason=one_reason, pairs=pairs,
                            half_reason=f"leaving half the panel out would leave fewer than {few} models")
    if math.comb(size, drop) <= HALF_PANEL_DRAWS:
        return LeaveOutPlan(one, list(itertools.combinations(panel, drop)), exhaustive=True, one_reason=one_reason,
                            pairs=pairs)
    rng = np.random.default_rng([seed, 4])
    halves: list[tuple[int, ...]] = []
    seen: set[tuple[int, ...]] = set()
    while len(halves) < HALF_PANEL_DRAWS:
        group = tuple(panel[i] for i in sorted(rng.choice(size, drop, replace=False)))
        if group not in seen:  # the set only filters repeats; the order is the draws'
            seen.add(group)
            halves.append(group)
    return LeaveOutPlan(one, halves, one_reason=one_reason, pairs=pairs)


def _top_and_pvalue(t: np.ndarray, members: list[int], panel: list[int], best: int) -> tuple[int | None, float | None]:
    """The top of ``members`` by t, and ``best``'s max-statistic p-value against ``panel``."""
    scores = np.nan_to_num(t[members], nan=-np.inf)
    top = members[int(np.argmax(scores))] if np.any(np.isfinite(t[members])) else None
    rest = [float(t[m]) for m in panel]
    pvalue = agreement_stats.selection_pvalues([float(t[m]) for m in members], rest)[members.index(best)] if rest else None
    return top, pvalue


def leave_one_out_view(corpora: Sequence[Corpus], n_candidates: int, panel: Sequence[int], runs: LeaveOutPlan,
                       t: np.ndarray | None, agreement: np.ndarray | None, best: int) -> dict:
    """How the top candidate fares with each other candidate or panel model left out of the
    analysis: whether it stays first, and its max-statistic p-value against the rest of the panel."""
    if runs.one_reason:
        return {"computed": False, "reason": runs.one_reason}
    if t is None or not runs.one:
        return {"computed": False, "reason": "leaving one model out would leave fewer than four for the agreement"}
    members = list(range(1, 1 + n_candidates))
    rows = []
    for d, (q,) in enumerate(runs.one):
        if q == best:
            continue
        kept = [m for m in members if m != q]
        top, pvalue = _top_and_pvalue(t[d], kept, [m for m in panel if m != q], best)
        rows.append({"left_out": corpora[q].name, "role": "candidate" if q in members else "panel",
                     "top": corpora[top].name if top is not None else None,
                     "t": clean(t[d][best]), "agreement": clean(agreement[d][best]),
                     "pvalue": clean(pvalue, 6) if pvalue is not None else None})
    stays = [row for row in rows if row["top"] == corpora[best].name]
    pvalues = [row["pvalue"] for row in rows if row["pvalue"] is not None]
    return {
        "computed": True,
        "candidate": corpora[best].name,
        "candidates": n_candidates,  # with one, it stays first by construction: only its p moves
        "analyses": len(rows),
        "stays_top": len(stays),
        "pvalue_range": [min(pvalues), max(pvalues)] if pvalues else None,
        "changes": [{"left_out": row["left_out"], "role": row["role"], "top": row["top"]}
                    for row in rows if row["top"] != corpora[best].name],
        "runs": rows,
    }


def half_panel_view(corpora: Sequence[Corpus], n_candidates: int, panel: Sequence[int], runs: LeaveOutPlan,
                    t: np.ndarray | None, agreement: np.ndarray | None, best: int) -> dict:
    """How the top candidate fares with halves of the panel left out of the analysis: how often it
    stays first, which candidates top the other halves, its t and its max-statistic p-value
    against the half that is kept, and which panel models' absence goes with a change."""
    if runs.half_reason:
        return {"computed": False, "reason": runs.half_reason}
    if t is None or not runs.halves:
        return {"computed": False, "reason": "leaving half the panel out would leave fewer than four models"}
    members = list(range(1, 1 + n_candidates))
    offset = len(runs.one)
    rows = []
    for d, dropped in enumerate(runs.halves):
        kept = [m for m in panel if m not in dropped]
        top, pvalue = _top_and_pvalue(t[offset + d], members, kept, best)
        rows.append({"left_out": [corpora[q].name for q in dropped],
                     "top": corpora[top].name if top is not None else None,
                     "t": clean(t[offset + d][best]), "agreement": clean(agreement[offset + d][best]),
                     "pvalue": clean(pvalue, 6) if pvalue is not None else None})
    name = corpora[best].name
    changed = [row["top"] != name for row in rows]
    tops: dict[str, int] = {}
    for row in rows:
        label = row["top"] if row["top"] is not None else ""
        tops[label] = tops.get(label, 0) + 1
    ts = [row["t"] for row in rows if row["t"] is not None]
    pvalues = [row["pvalue"] for row in rows if row["pvalue"] is not None]
    kept_size = len(panel) - len(runs.halves[0])
    return {
        "computed": True,
        "candidate": name,
        "candidates": n_candidates,
        "panel": len(panel),
        "kept": kept_size,
        "draws": len(rows),
        "exhaustive": runs.exhaustive,
        "stays_top": len(rows) - sum(changed),
        "tops": [{"name": label or None, "count": count}
                 for label, count in sorted(tops.items(), key=lambda item: (-item[1], item[0]))],
        "t": _summary(ts),
        "pvalue": _summary(pvalues),
        **_floors([_floor(t[offset + d], members, [m for m in panel if m not in dropped], best)
                   for d, dropped in enumerate(runs.halves)]),
        "leaning": _leaning([corpora[m].name for m in panel], rows, changed),
        "runs": rows,
    }


def _floor(t: np.ndarray, members: list[int], kept: list[int], focus: int) -> float | None:
    """The smallest p one left-out run allows the ``focus`` model (the top candidate, or B): m / (m + K),
    m the ranked models (candidates, or B) and K the kept panel models with a finite t. A model
    without one takes no part in the p-value, so it does not lower the floor either; None where
    the focus model or every kept panel model has none (that run has no p-value)."""
    if not np.isfinite(t[focus]):
        return None
    m = max(1, int(np.isfinite(t[members]).sum()))
    k = int(np.isfinite(t[kept]).sum()) if kept else 0
    return m / (m + k) if k else None


def _floors(floors: list[float | None]) -> dict:
    """The runs' smallest possible p-values: the lowest, and the highest where they differ (panel
    models without a score in some runs; before 0.3.12 the lowest was counted with them)."""
    known = [f for f in floors if f is not None]
    if not known:
        return {"pvalue_floor": None, "pvalue_floor_max": None}
    return {"pvalue_floor": clean(min(known), 6), "pvalue_floor_max": clean(max(known), 6)}


def _summary(values: list[float]) -> dict | None:
    return ({"min": min(values), "median": clean(float(np.median(values)), 6), "max": max(values)}
            if values else None)


LEANING_MAX = 4  # models named as what a change goes with


def _leaning(names: list[str], rows: list[dict], changed: list[bool], *, presence: bool = True) -> list[dict]:
    """Panel models whose absence, or presence, goes with a change (of the top candidate, or of
    B's place; ``presence=False`` looks for absences only).

    For each model seen both ways, the share of halves without it where the change
    happens against the share among halves with it. Every half leaves out as many models, so a
    model whose presence makes a change makes every other model's absence go with it too, more
    weakly (and the other way round): the models named all go the way of the largest gap
    (``direction`` "left_out" or "kept"; an absence where both ways tie), largest first, at most
    ``LEANING_MAX``, none under half the largest gap. Before 0.3.15 only absences were looked for,
    and an outside review saw three stand-ins named in place of the one model whose presence
    changed the top in 20 of 27 halves and in none of the 23 without it. B's place in ``compare``
    is counted among the models kept, so there a kept model goes with B's moves by construction (a
    model above B gives it room to rise, one that overtakes it must be kept): absences only."""
    if not any(changed):
        return []
    scored = []
    for model in names:
        without = [c for row, c in zip(rows, changed) if model in row["left_out"]]
        with_it = [c for row, c in zip(rows, changed) if model not in row["left_out"]]
        if not without or not with_it:
            continue
        share_without, share_with = float(np.mean(without)), float(np.mean(with_it))
        if share_without > share_with or (presence and share_without < share_with):
            scored.append((share_without - share_with, model, share_without, share_with, len(without), len(with_it)))
    if not scored:
        return []
    scored.sort(key=lambda row: (-abs(row[0]), row[0] < 0, row[1]))
    largest = scored[0][0]
    return [{"name": model, "direction": "left_out" if gap > 0 else "kept",
             "changed_without": round(without, 4), "changed_with": round(with_it, 4),
             "halves_without": n_without, "halves_with": n_with}
            for gap, model, without, with_it, n_without, n_with in scored
            if (gap > 0) == (largest > 0) and abs(gap) >= abs(largest) / 2][:LEANING_MAX]


def candidate_neighbours(corpora: Sequence[Corpus], n_candidates: int, panel: Sequence[int],
                         pairs: np.ndarray | None, student: np.ndarray, shown: int = 3) -> dict:
    """For each candidate, the panel models that agree with it most, beside the student's agreement.

    A relative of a candidate in the panel (another version, size, system prompt or sampling of
    it) carries the candidate's style into the background of every pair, which lowers the
    student's agreement with that candidate, and sets a high bar in the panel test. No threshold
    says what a relative is; this lists the closest panel models so that one can be recognised
    (and left out, or made a candidate). ``pairs`` is every pair's agreement, ``student`` the
    student's agreement with each model (families combined both). With ``--base`` the student's
    agreement is the partialled one; candidate-panel pairs are not partialled (the base is in their
    background like any other model).
    """
    if pairs is None:
        return {"computed": False, "reason": f"more than {LEAVE_OUT_MAX_MODELS} models or no panel"}
    rows = []
    for c in range(1, 1 + n_candidates):
        ranked = sorted((p for p in panel if np.isfinite(pairs[c, p])), key=lambda p: (-pairs[c, p], p))
        rows.append({"candidate": corpora[c].name, "student": clean(student[c]),
                     "panel": [{"name": corpora[p].name, "agreement": clean(pairs[c, p])} for p in ranked[:shown]]})
    return {"computed": True, "candidates": rows}


def _place(full_t: np.ndarray, run_t: np.ndarray, run_agreement: np.ndarray, rest: list[int]) -> dict:
    """B's place in one left-out run: its t and agreement, its rank and rank p-value among the
    panel models ``rest`` that remain, and the rank the full analysis gives with the others simply
    taken off the list (the same tie and NaN rules). The run *moves* B, up or down, when the two
    ranks differ and both t are finite."""
    target = float(full_t[1])
    expected, _ = panel_stats.rank_among(target, [float(full_t[m]) for m in rest])
    rank, pvalue = panel_stats.rank_among(float(run_t[1]), [float(run_t[m]) for m in rest])
    finite = bool(np.isfinite(target) and np.isfinite(run_t[1]))
    direction = None if not finite or rank == expected else "up" if rank < expected else "down"
    return {"t": clean(run_t[1]), "agreement": clean(run_agreement[1]), "rank": rank, "of": len(rest) + 1,
            "expected_rank": expected, "pvalue": clean(pvalue, 6) if np.isfinite(pvalue) else None,
            "moved": direction is not None, "direction": direction}


def compare_leave_one_out(corpora: Sequence[Corpus], panel: Sequence[int], runs: LeaveOutPlan,
                          t: np.ndarray | None, agreement: np.ndarray | None, full_t: np.ndarray) -> dict:
    """compare's view: B's place among the panel with each panel model left out of the analysis.

    Leaving out a panel model that ranked above B lifts B one place by itself; a run *moves* B
    when its place among the remaining panel models differs from that, which only the changed
    background can do. Each run's rank p-value is against the panel models that remain.
    """
    if runs.one_reason:
        return {"computed": False, "reason": runs.one_reason}
    if t is None or not runs.one:
        return {"computed": False, "reason": "no panel model to leave out"}
    rows = [{"left_out": corpora[q].name, **_place(full_t, t[d], agreement[d], [m for m in panel if m != q])}
            for d, (q,) in enumerate(runs.one)]
    pvalues = [row["pvalue"] for row in rows if row["pvalue"] is not None]
    return {
        "computed": True,
        "analyses": len(rows),
        "moved": [{"left_out": row["left_out"], "rank": row["rank"], "expected_rank": row["expected_rank"]}
                  for row in rows if row["moved"]],
        "rank_range": [min(row["rank"] for row in rows), max(row["rank"] for row in rows)],
        "pvalue_range": [min(pvalues), max(pvalues)] if pvalues else None,
        "with_pvalue": len(pvalues),  # runs where B had a finite t
        "runs": rows,
    }



def compare_half_panel(corpora: Sequence[Corpus], panel: Sequence[int], runs: LeaveOutPlan,
                       t: np.ndarray | None, agreement: np.ndarray | None, full_t: np.ndarray) -> dict:
    """compare's view with halves of the panel left out: B's place among the kept half.

    As in :func:`compare_leave_one_out`, a half *moves* B when its rank among the kept panel models
    differs from its full-analysis rank with the left-out models simply taken off the list
    ("rank by removal alone"); only the changed background can do that. A group of similar panel
    models (several students of one teacher, or several relatives of B) can absorb B's agreement
    with A; leaving one of them out leaves the others, but a half drops most of the group. Moves
    up and down are counted apart, each with the panel models whose absence goes with it.
    """
    if runs.half_reason:
        return {"computed": False, "reason": runs.half_reason}
    if t is None or not runs.halves:
        return {"computed": False, "reason": "leaving half the panel out would leave fewer than four models"}
    offset = len(runs.one)
    rows = [{"left_out": [corpora[q].name for q in dropped],
             **_place(full_t, t[offset + d], agreement[offset + d], [m for m in panel if m not in dropped])}
            for d, dropped in enumerate(runs.halves)]
    finite_rows = [row for row in rows if row["pvalue"] is not None]
    ts = [row["t"] for row in finite_rows]
    pvalues = [row["pvalue"] for row in finite_rows]
    kept_size = len(panel) - len(runs.halves[0])
    names = [corpora[m].name for m in panel]
    return {
        "computed": True,
        "panel": len(panel),
        "kept": kept_size,
        "draws": len(rows),
        "exhaustive": runs.exhaustive,
        "with_pvalue": len(pvalues),  # halves where B has a finite t; the summaries count only these
        "moved": sum(row["moved"] for row in rows),
        "moved_up": sum(row["direction"] == "up" for row in rows),
        "moved_down": sum(row["direction"] == "down" for row in rows),
        "first": sum(1 for row in finite_rows if row["rank"] == 1),
        "rank_range": ([min(row["rank"] for row in finite_rows), max(row["rank"] for row in finite_rows)]
                       if finite_rows else None),
        "t": _summary(ts),
        "pvalue": _summary(pvalues),
        **_floors([_floor(t[offset + d], [1], [m for m in panel if m not in dropped], 1)
                   for d, dropped in enumerate(runs.halves)]),
        # Panel models whose absence goes with B rising above (falling below) its place by removal alone.
        "leaning_up": _leaning(names, rows, [row["direction"] == "up" for row in rows], presence=False),
        "leaning_down": _leaning(names, rows, [row["direction"] == "down" for row in rows], presence=False),
        "runs": rows,
    }
