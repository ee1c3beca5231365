"""The view-model of a ``compare`` result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..verdict_words import leaning_clause
from . import compare_tables as tables
from . import fmt
from .charts import (
    ForestInput,
    Histogram,
    MarkInput,
    RefInput,
    Responsive,
    forest_pair,
    histogram_chart,
    histogram_pair,
)
from .common import (
    answered_note,
    as_list,
    as_map,
    data_section,
    footer,
    get,
    halves_note,
    identity_cards,
    level,
    openers_table,
    panel_note,
    phrases,
    prompts_label,
    verdict,
)
from .compare_tables import resemblance_of
from .parts import (
    Cell,
    Column,
    DataSection,
    Footer,
    Header,
    IdentityCard,
    KeyFigure,
    NavItem,
    Phrases,
    Table,
    Verdict,
)
from .prompts_view import PromptsView, prompt_index, prompts_view


@dataclass
class NullChart:
    label: str
    p: str
    chart: Histogram | None


@dataclass
class WideNullChart:
    label: str
    p: str
    chart: Responsive | None


@dataclass
class OpenerCard:
    name: str
    openers: Table
    closers: Table


@dataclass
class CompareView:
    kind: str
    header: Header
    nav: list[NavItem]
    verdict: Verdict
    figures: list[KeyFigure]
    name_a: str
    name_b: str
    level: str
    has_panel: bool
    agreement: Responsive | None
    position: Responsive | None
    closeness: Responsive | None
    leave_one_out: Table | None
    leave_one_out_note: str
    half_panel: Table | None
    half_panel_note: str
    bootstrap: Responsive | None
    families_agreement: Table | None
    families: Table
    profiles: Table | None
    nulls: list[NullChart]
    equality: WideNullChart | None
    equality_hypothesis: str
    phrases: Phrases | None
    formatting: Table | None
    openers: list[OpenerCard]
    ablations: Table | None
    prompts: PromptsView | None
    identity: list[IdentityCard]
    stylometry: Table | None
    data: DataSection
    footer: Footer


def _not_computed(block: Mapping) -> str:
    """Why a leave-out view is missing (nothing to say when there is no panel at all)."""
    reason = fmt.text(block.get("reason") or "")
    return f"Not computed: {reason}." if reason and reason != "no panel" else ""


def _runs_table(block: Mapping, b: str, first: Column, first_cell, id: str, caption: str,  # noqa: ANN001
                against: str) -> Table:
    """The runs of a leave-out view: B's agreement, t, rank then, rank by removal alone, rank p."""
    runs = [as_map(r) for r in as_list(block.get("runs"))]
    rows = [[first_cell(r),
             Cell(fmt.est(r.get("agreement")), sort=fmt.sort_key(r.get("agreement")), num=True),
             Cell(fmt.est(r.get("t"), 2), sort=fmt.sort_key(r.get("t")), num=True),
             Cell(f"{fmt.count(r.get('rank'))} of {fmt.count(r.get('of'))}", sort=fmt.sort_key(r.get("rank")), num=True,
                  strong=bool(r.get("moved"))),
             Cell(fmt.count(r.get("expected_rank")), sort=fmt.sort_key(r.get("expected_rank")), num=True),
             Cell(fmt.pval(r.get("pvalue")), sort=fmt.sort_key(r.get("pvalue")), num=True)] for r in runs]
    columns = [first, Column(f"{b}'s agreement", True, name=True), Column(f"{b}'s t", True, name=True),
               Column("Rank then", True, f"B's rank among the {against}, by t"),
               Column("Rank by removal alone", True, "B's full-analysis rank with the left-out models simply "
                                                     "taken off the list"),
               Column("Rank p then", True, f"Exact rank p-value against the {against}")]
    return Table(id=id, caption=caption, columns=columns, rows=rows, filter=len(rows) > 8)


def _leave_one_out(data: Mapping, b: str) -> tuple[Table | None, str]:
    """Each panel model left out in turn: does B keep its place among the others?"""
    block = as_map(data.get("leave_one_out"))
    if not block.get("computed"):
        return None, _not_computed(block)
    table = _runs_table(block, b, Column("Left out"), lambda r: Cell(fmt.text(r.get("left_out")), head=True),
                        "t-cmp-leave-one-out", "One panel model left out at a time", "panel models that remain")
    moved = len(as_list(block.get("moved")))
    note = (f"{b} keeps its place among the other panel models in all {fmt.count(block.get('analyses'))} analyses."
            if not moved else f"{b}'s place moves beyond the removal itself in {fmt.count(moved)} of "
            f"{fmt.count(block.get('analyses'))} analyses (in bold).")
    return table, note


def _half_panel(data: Mapping, b: str) -> tuple[Table | None, str]:
    """Halves of the panel left out: does B's place lean on a group of panel models?"""
    block = as_map(data.get("half_panel"))
    if not block.get("computed"):
        return None, _not_computed(block)
    table = _runs_table(block, b, Column("Panel models left out"),
                        lambda r: Cell(", ".join(fmt.text(n) for n in as_list(r.get("left_out"))), head=True),
                        "t-cmp-half-panel", "Half of the panel left out", "panel models kept")
    kept_models = fmt.plural(int(fmt.number(block.get("kept")) or 0), "panel model")
    note = halves_note(block)
    counted = int(fmt.number(block.get("with_pvalue")) or 0)
    if counted < int(fmt.number(block.get("draws")) or 0):
        note += f" {b} has a finite t in {fmt.count(counted)} of them; the rest count for nothing below."
    if not block.get("moved"):
        note += f" {b} keeps its place among the panel models kept in every one of them."
    for key, verb in (("up", "rises above"), ("down", "falls below")):
        count = int(fmt.number(block.get(f"moved_{key}")) or 0)
        if count:
            note += f" {b} {verb} its place by removal alone in {fmt.count(count)} (in bold)"
            rows = [as_map(r) for r in as_list(block.get(f"leaning_{key}"))]
            note += (f", most often when {leaning_clause([fmt.text(r.get('name')) for r in rows], rows)}."
                     if rows else ".")
    ps = as_map(block.get("pvalue"))
    if ps:
        spread = (f"is {fmt.pval(ps.get('min'))} in each" if ps.get("min") == ps.get("max") else
                  f"ranges from {fmt.pval(ps.get('min'))} to {fmt.pval(ps.get('max'))} (median "
                  f"{fmt.pval(ps.get('median'))})")
        note += (f" Its rank p-value against the kept half {spread}; with {kept_models} kept the smallest "
                 f"possible is {fmt.floor_range(block)}.")
    return table, note


def _agreement(data: Mapping, a: str, b: str, lvl: str) -> Responsive | None:
    """Every model's same-prompt agreement with A (the primary ranking), between the panel median
    and, with several samples per prompt, A's agreement with a second sample of itself."""
    panel = as_map(data.get("panel"))
    block = as_map(panel.get("agreement"))
    if panel.get("statistic") == "resemblance":
        return None  # too few models for agreement: the ranking is by resemblance (a review saw rows of n/a)
    rows = []
    for m in as_list(panel.get("models")):
        m = as_map(m)
        name = fmt.text(m.get("name"))
        t = f", t {fmt.est(m.get('t'), 2)}" if m.get("t") is not None else ""
        first = (f", first in {fmt.percent(m.get('top_share'))} of prompt resamples"
                 if m.get("top_share") is not None else "")
        rows.append(ForestInput(label=name, estimate=m.get("agreement"), low=m.get("agreement_ci_low"),
                                high=m.get("agreement_ci_high"), kind="target" if name == b else "panel",
                                note=("the model in question" if name == b else "panel model") + t + first))
    if not rows or not block:
        return None
    refs = [RefInput("panel median", block.get("median"), "median", note="a typical panel model")]
    ceiling = as_map(block.get("ceiling"))
    if ceiling:
        refs.append(RefInput("ceiling", ceiling.get("estimate"), "ceiling", ceiling.get("ci_low"), ceiling.get("ci_high"),
                             note=f"{a} against a second sample of itself"))
    return forest_pair(rows, refs, axis_label=f"same-prompt agreement with {a}", level=lvl,
                       desc=f"Each model's same-prompt agreement with {a} with its {lvl} confidence interval, "
                            "sorted by studentised agreement t, closest first.")


def _position(data: Mapping, a: str, b: str, lvl: str) -> tuple[Responsive | None, Responsive | None]:
    panel = as_map(data.get("panel"))
    rows = []
    for m in as_list(panel.get("models")):
        m = as_map(m)
        name = fmt.text(m.get("name"))
        rows.append(ForestInput(label=name, estimate=m.get("similarity"), low=m.get("ci_low"), high=m.get("ci_high"),
                                kind="target" if name == b else "panel",
                                note="the model in question" if name == b else "panel model"))
    ceiling = as_map(panel.get("ceiling"))
    refs = [RefInput("panel median", panel.get("median"), "median", note="a typical panel model"),
            RefInput("ceiling", ceiling.get("estimate"), "ceiling", ceiling.get("ci_low"), ceiling.get("ci_high"),
                     note=f"{a}'s self-similarity")]
    position = forest_pair(rows, refs, axis_label=f"resemblance to {a}", level=lvl,
                      desc=f"Each model's resemblance to {a} with its {lvl} confidence interval, "
                           "between the panel median and the ceiling.") if rows else None
    index = as_map(panel.get("closeness_index"))
    closeness = None
    if fmt.number(index.get("estimate")) is not None:
        closeness = forest_pair(
            [ForestInput(b, index.get("estimate"), index.get("ci_low"), index.get("ci_high"), "target")],
            [RefInput("0 = typical panel model", 0.0, "median", show_value=False),
             RefInput(f"1 = {a}'s self-similarity", 1.0, "ceiling", show_value=False)],
            axis_label="closeness index", level=lvl,
            desc=f"Closeness index of {b}: 0 is a typical panel model, 1 is {a}'s self-similarity.")
    return position, closeness


def _bootstrap(data: Mapping, lvl: str) -> Responsive | None:
    overall = resemblance_of(data, "uncentred")
    marks = [MarkInput("estimate", overall.get("estimate"), "estimate"),
             MarkInput("self-similarity", 1.0, "ceiling", "as alike as each model is to itself")]
    draws = get(data, "similarity", "bootstrap", default=[])
    draws = as_map(draws).get("uncentred") if isinstance(draws, Mapping) else draws
    return histogram_pair(as_list(draws), marks,
                          band=(overall.get("ci_low"), overall.get("ci_high")), value_fmt=fmt.est,
                          axis_label="resemblance (bootstrap draws)",
                          desc=f"Bootstrap distribution of the resemblance, with its {lvl} interval.")


def _nulls(data: Mapping) -> tuple[list[NullChart], WideNullChart | None]:
    charts = []
    floor = fmt.permutation_floor(data)
    for key, f in as_map(data.get("families")).items():
        f = as_map(f)
        test = as_map(f.get("test"))
        if not test.get("null"):
            continue
        label = fmt.text(f.get("label") or key)
        chart = histogram_chart(as_list(test.get("null")), [MarkInput("observed", test.get("statistic"), "observed")],
                                axis_label="test statistic", desc=f"Null distribution for {label}")
        charts.append(NullChart(label=label, p=fmt.p_relation(f.get("pvalue"), floor), chart=chart))
    eq = as_map(data.get("equality"))
    equality = None
    if eq.get("null"):
        equality = WideNullChart(
            label="All families combined", p=fmt.p_relation(eq.get("pvalue"), floor),
            chart=histogram_pair(as_list(eq.get("null")), [MarkInput("observed", eq.get("statistic"), "observed")],
                                 axis_label="combined test statistic",
                                 desc="Null distribution of the combined equality test"))
    return charts, equality


def _figures(data: Mapping, lvl: str) -> list[KeyFigure]:
    centred = bool(resemblance_of(data, "centred"))
    overall = resemblance_of(data, "centred" if centred else "uncentred")
    figures = [KeyFigure("Resemblance (centred)" if centred else "Resemblance (uncentred)", fmt.est(overall.get("estimate")),
                         fmt.ci_label(overall, lvl))]
    panel = as_map(data.get("panel"))
    agreement = as_map(get(data, "agreement", "overall"))
    if agreement:
        figures.insert(0, KeyFigure("Same-prompt agreement", fmt.est(agreement.get("estimate")),
                                    fmt.ci_label(agreement, lvl)
                                    + (f"; panel median {fmt.est(get(panel, 'agreement', 'median'))}" if panel else "")))
    if panel:
        index = as_map(panel.get("closeness_index"))
        figures += [
            # The rank is by t (a review read "by agreement" against a larger raw agreement ranked below).
            KeyFigure("Rank by resemblance" if panel.get("statistic") == "resemblance"
                      else "Rank by studentised agreement",
                      f"{fmt.count(panel.get('rank'))} of {fmt.count(panel.get('n'))}",
                      f"p = {fmt.pval(panel.get('pvalue'))}" + _first_share(panel, data)),
            KeyFigure("Closeness index (resemblance)", fmt.est(index.get("estimate"), 2),
                      f"{fmt.ci_label(index, lvl, 2)}; 0 = panel median, 1 = ceiling"),
            KeyFigure("Ceiling (self-similarity)", fmt.est(get(panel, "ceiling", "estimate")),
                      f"panel median {fmt.est(panel.get('median'))}"),
        ]
    eq = as_map(data.get("equality"))
    if eq:
        figures.append(KeyFigure("Told apart? (equality test)",
                                 f"p {fmt.p_relation(eq.get('pvalue'), fmt.permutation_floor(data))}",
                                 "small p: distinguishable, as most model pairs are"))
    n_models = len(as_list(data.get("inputs"))) or 2
    figures.append(KeyFigure("Prompts compared", fmt.count(get(data, "coverage", "matched_prompts")),
                             answered_note(data, "answered by both models" if n_models == 2
                                           else f"answered by all {n_models} models")))
    return figures


def _first_share(panel: Mapping, data: Mapping) -> str:
    """"; first in X% of prompt resamples" for B, where the result has the share (0.3.17)."""
    b = get(data, "models", "b")
    share = next((as_map(m).get("top_share") for m in as_list(panel.get("models")) if as_map(m).get("name") == b), None)
    return f"; first in {fmt.percent(share)} of prompt resamples" if share is not None else ""


def compare_view(data: Mapping[str, Any]) -> CompareView:
    models = as_map(data.get("models"))
    a, b = fmt.text(models.get("a")), fmt.text(models.get("b"))
    panel_names = [fmt.text(m) for m in as_list(models.get("panel"))]
    lvl = level(data)
    panel = as_map(data.get("panel"))
    has_panel = bool(panel)
    n_panel = int(panel["n"]) if has_panel and fmt.number(panel.get("n")) is not None else None
    position, closeness = _position(data, a, b, lvl) if has_panel else (None, None)
    prompts = prompts_view(data, a, b)
    loo = _leave_one_out(data, b) if has_panel else (None, "")
    half = _half_panel(data, b) if has_panel else (None, "")
    index = prompt_index(as_list(data.get("per_prompt")))
    nulls, equality = _nulls(data)
    families_agreement, families = tables.families(data, lvl, n_panel)
    oc = as_map(data.get("openers_closers"))
    openers = [OpenerCard(fmt.text(name), openers_table(fmt.text(name), "openers", as_map(v).get("openers"), f"t-open-{i}"),
                          openers_table(fmt.text(name), "closers", as_map(v).get("closers"), f"t-close-{i}"))
               for i, (name, v) in enumerate(oc.items())]
    view = CompareView(
        kind="compare",
        header=Header(title=f"stylesim: {a} vs {b}", heading=f"How alike is {b}'s writing to {a}'s?",
                      kicker="stylesim comparison report",
                      meta=[f"{a} (A) and {b} (B)",
                            f"panel: {', '.join(panel_names)}" if panel_names else "no panel",
                            prompts_label(data)]),
        nav=[], verdict=verdict(data, "Verdict", panel_note(panel_names, a, data.get("panel_inputs_dropped") or 0)), figures=_figures(data, lvl),
        name_a=a, name_b=b, level=lvl, has_panel=has_panel,
        agreement=_agreement(data, a, b, lvl) if has_panel else None, position=position, closeness=closeness,
        leave_one_out=loo[0], leave_one_out_note=loo[1], half_panel=half[0], half_panel_note=half[1],
        bootstrap=None if has_panel else _bootstrap(data, lvl), families=families, families_agreement=families_agreement,
        profiles=tables.profiles(data, a, b),
        nulls=nulls, equality=equality,
        equality_hypothesis=fmt.text(get(data, "equality", "hypothesis", default="")),
        phrases=phrases(data.get("phrases"), a, b, index), formatting=tables.formatting(data), openers=openers,
        ablations=tables.ablations(data, lvl), prompts=prompts, identity=identity_cards(data, index),
        stylometry=tables.stylometry(data, a), data=data_section(data), footer=footer(data),
    )
    view.nav = [NavItem(anchor, label) for anchor, label, present in [
        ("verdict", "Verdict", True), ("position", "Where the pair sits", True),
        ("families", "Feature families", True), ("tests", "Tests", bool(nulls or equality)),
        ("phrases", "Phrases", view.phrases is not None), ("formatting", "Formatting", view.formatting is not None),
        ("openers", "Openers and closers", bool(openers)), ("ablations", "Ablations", view.ablations is not None),
        ("prompts", "Prompt by prompt", prompts is not None), ("identity", "Identity", bool(view.identity)),
        ("stylometry", "Delta", view.stylometry is not None), ("data", "Data and method", True),
    ] if present]
    return view
