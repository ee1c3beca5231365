"""The view-model of a ``reproduce-eqbench`` result: EQ-Bench's "Most Similar To" lists, rebuilt.

The result's keys are documented in :mod:`stylesim.reproduce.eqbench`: the headline pair
(``reproduced``), every model's nearest list (``models``), the feature lists (``features``), the
open choices, the published figures and, optionally, stylesim's calibrated comparison.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import __version__
from . import fmt
from .charts import mini_cis
from .common import (
    RESEMBLANCE_RANK_NOTE,
    as_list,
    as_map,
    family_resemblance,
    footer,
    get,
    prompts_label,
    verdict,
)
from .parts import Cell, Column, Header, KeyFigure, NavItem, Table, Verdict
from .parts import Footer as FooterPart

FEATURE_KINDS = (("words", "Words"), ("bigrams", "Bigrams"), ("trigrams", "Trigrams"))


@dataclass
class Term:
    text: str
    shared: bool
    title: str = ""  # the term as written, when ``text`` spells out its emoji


@dataclass
class TermLists:
    id: str
    label: str
    shared: str  # "12 shared"
    a: list[Term]
    b: list[Term]


@dataclass
class Calibrated:
    headline: str
    details: list[str]
    figures: list[KeyFigure]
    definition: str
    families: Table
    neighbours: Table


@dataclass
class ReproduceView:
    kind: str
    header: Header
    nav: list[NavItem]
    verdict: Verdict
    figures: list[KeyFigure]
    name_a: str
    name_b: str
    pair_note: str
    distances: Table
    earlier: str
    background: str
    nearest: Table
    terms: list[TermLists]
    calibrated: Calibrated | None
    choices: Table
    inputs: Table
    parameters: Table
    footer: FooterPart


def _yes_no(value: Any) -> str:
    return "n/a" if value is None else ("yes" if value else "no")


def _distances(data: Mapping, rep: Mapping) -> Table:
    """The pair's distance as reproduced, under each alternative choice, and as published."""
    published = get(data, "published", "distance")
    ci = as_map(rep.get("ci"))
    level = fmt.number(ci.get("level"))
    items = [("As reproduced (the choices listed below)", rep.get("distance"), ci.get("low"), ci.get("high"),
              rep.get("mutual"), rep.get("rank_of_b_for_a"), True)]
    for row in as_list(rep.get("sensitivity")):
        row = as_map(row)
        items.append((fmt.text(row.get("variant")), row.get("distance"), None, None, row.get("mutual"),
                      row.get("rank_of_b_for_a"), False))
    if rep.get("why_this_pair", "the published pair") == "the published pair":  # else another pair's figure
        items.append((f"Published ({fmt.text(get(data, 'published', 'source', default='eqbench.com'))})", published,
                      None, None, get(data, "published", "mutual"), None, False))
    glyphs = mini_cis([(d, lo, hi) for _, d, lo, hi, *_ in items],
                      [f"{label}: {fmt.est(d)}" + (f", CI {fmt.ci(lo, hi)}" if lo is not None else "")
                       for label, d, lo, hi, *_ in items])
    rows = []
    for (label, d, lo, hi, mutual, rank, strong), glyph in zip(items, glyphs):
        rows.append([
            Cell(label, head=True, strong=strong),
            Cell(fmt.est(d), sort=fmt.sort_key(d), num=True, strong=strong,
                 sub=(f"{round(100 * level)}% CI {fmt.ci(lo, hi)}" if level is not None else "")
                 if strong else ""),
            Cell(ci=glyph),
            Cell(_yes_no(mutual)),
            Cell(fmt.text(rank) if rank is not None else "n/a", sort=fmt.sort_key(rank), num=True),
        ])
    return Table(id="t-distances", caption="Jaccard distance between the pair's slop profiles", columns=[
        Column("Variant"), Column("Distance", True, "1 minus shared features over all features (0 = same lists)"),
        Column("Interval", title="Prompt-bootstrap interval of the reproduced distance"),
        Column("Mutual nearest", title="Each is the other's nearest model"),
        Column("Rank of B for A", True, "Where B falls in A's list of nearest models"),
    ], rows=rows)


def _nearest(data: Mapping, pair: list[str], top_k: int) -> Table:
    rows = []
    for name, entry in as_map(data.get("models")).items():
        near = [as_map(n) for n in as_list(as_map(entry).get("nearest"))]
        in_pair = fmt.text(name) in pair
        cells = [Cell(fmt.text(name), head=True, strong=in_pair, sub="the headline pair" if in_pair else "")]
        for i in range(top_k):
            n = near[i] if i < len(near) else {}
            cells.append(Cell(fmt.text(n.get("model", "")), sort=fmt.sort_key(n.get("distance")),
                              strong=in_pair and fmt.text(n.get("model")) in pair,
                              sub=fmt.est(n.get("distance")) if n else ""))
        rows.append(cells)
    return Table(id="t-nearest", caption="Each model's nearest models by Jaccard distance (reproduced)",
                 columns=[Column("Model")] + [Column(f"#{i + 1}", title="Sorts by distance") for i in range(top_k)],
                 rows=rows, filter=len(rows) > 8, empty="No model lists were recorded.")


def _term(value: Any, shared: set[str]) -> Term:
    text, title = fmt.token(value)
    return Term(text, fmt.text(value) in shared, title)


def _terms(data: Mapping, rep: Mapping, a: str, b: str) -> list[TermLists]:
    features = as_map(data.get("features"))
    out = []
    for key, label in FEATURE_KINDS:
        shared_terms = {fmt.text(t) for t in as_list(get(rep, "shared", key, default=[]))}
        lists = [[_term(t, shared_terms) for t in as_list(get(features, m, key, default=[]))] for m in (a, b)]
        if not (lists[0] or lists[1] or shared_terms):
            continue
        out.append(TermLists(id=f"terms-{key}", label=label, shared=f"{fmt.count(len(shared_terms))} shared",
                             a=lists[0], b=lists[1]))
    return out


def _calibrated(data: Mapping, b: str) -> Calibrated | None:
    cal = as_map(data.get("calibrated"))
    if not cal:
        return None
    overall = as_map(get(cal, "similarity", "centred", default=None) or get(cal, "similarity", "uncentred", default={}))
    panel = as_map(cal.get("panel"))
    index = as_map(panel.get("closeness_index"))
    ceiling = as_map(panel.get("ceiling"))
    agreement = as_map(get(cal, "agreement", "overall", default={}))
    figures = [KeyFigure("Resemblance (A to B, centred)" if get(cal, "similarity", "centred", default=None) else "Resemblance (A to B)", fmt.est(overall.get("estimate"), 2),
                         f"CI {fmt.ci(overall.get('ci_low'), overall.get('ci_high'), 2)}")]
    if agreement:
        figures.insert(0, KeyFigure("Same-prompt agreement (A and B)", fmt.est(agreement.get("estimate"), 2),
                                    f"CI {fmt.ci(agreement.get('ci_low'), agreement.get('ci_high'), 2)}"))
    if cal.get("coverage"):
        figures.append(KeyFigure("Prompts compared", prompts_label(cal), "answered by every model"))
    if panel:
        figures += [
            KeyFigure(f"B's rank among {fmt.count(panel.get('n'))} models as A's neighbour by agreement",
                      fmt.text(panel.get("rank")), f"exact p = {fmt.pval(panel.get('pvalue'))}"),
            KeyFigure("Closeness index", fmt.est(index.get("estimate"), 2),
                      f"0 = typical panel model, 1 = A's self-similarity; CI "
                      f"{fmt.ci(index.get('ci_low'), index.get('ci_high'), 2)}"),
            KeyFigure("Resemblance: self-similarity ceiling / panel median",
                      f"{fmt.est(ceiling.get('estimate'), 2)} / {fmt.est(panel.get('median'), 2)}"),
        ]
    fams = [(fmt.text(as_map(f).get("label") or k), as_map(f)) for k, f in as_map(cal.get("families")).items()]
    resemblances = [family_resemblance(f) for _, f in fams]
    glyphs = mini_cis([(r.get("estimate"), r.get("ci_low"), r.get("ci_high")) for r in resemblances],
                      [f"{label}: {fmt.est(r.get('estimate'), 2)}" for (label, _), r in zip(fams, resemblances)])
    def rank_cell(block: Mapping, with_p: bool = True) -> Cell:
        rank = block.get("panel_rank")
        return Cell(fmt.text(rank) if rank is not None else "n/a", sort=fmt.sort_key(rank), num=True,
                    sub=f"p = {fmt.pval(block.get('panel_pvalue'))}" if rank is not None and with_p else "")

    family_rows = [[
        Cell(label, head=True),
        Cell(fmt.est(as_map(f.get("agreement")).get("estimate"), 2),
             sort=fmt.sort_key(as_map(f.get("agreement")).get("estimate")), num=True,
             sub=f"CI {fmt.ci(as_map(f.get('agreement')).get('ci_low'), as_map(f.get('agreement')).get('ci_high'), 2)}"
             if f.get("agreement") else ""),
        rank_cell(as_map(f.get("agreement"))),
        Cell(fmt.est(r.get("estimate"), 2), sort=fmt.sort_key(r.get("estimate")), num=True,
             sub=f"CI {fmt.ci(r.get('ci_low'), r.get('ci_high'), 2)}"),
        Cell(ci=glyph),
        rank_cell(f, with_p=False),  # descriptive: see RESEMBLANCE_RANK_NOTE
    ] for (label, f), r, glyph in zip(fams, resemblances, glyphs)]
    families = Table(id="t-cal-families", caption="A and B on each feature family", columns=[
        Column("Family"), Column("Agreement", True, "Same-prompt agreement"),
        Column("Rank (agreement)", True, "B's rank among the panel by agreement on this family, with its exact p"),
        Column("Resemblance", True, "Cross-prompt resemblance"), Column("Interval"),
        Column("Rank (resemblance)", True, "B's rank among the panel by resemblance on this family; "
               + RESEMBLANCE_RANK_NOTE),
    ], rows=family_rows, empty="No feature families were recorded.")
    models = [as_map(m) for m in as_list(panel.get("models"))]
    glyphs = mini_cis([(m.get("agreement"), m.get("agreement_ci_low"), m.get("agreement_ci_high")) for m in models],
                      [f"{fmt.text(m.get('name'))}: {fmt.est(m.get('agreement'), 2)}" for m in models])
    neighbour_rows = [[
        Cell(fmt.count(i + 1), sort=str(i + 1), num=True),
        Cell(fmt.text(m.get("name")), head=True, strong=fmt.text(m.get("name")) == b,
             sub="B" if fmt.text(m.get("name")) == b else ""),
        Cell(fmt.est(m.get("agreement"), 2), sort=fmt.sort_key(m.get("agreement")), num=True,
             sub=f"CI {fmt.ci(m.get('agreement_ci_low'), m.get('agreement_ci_high'), 2)}"),
        Cell(ci=glyph),
        Cell(fmt.est(m.get("similarity"), 2), sort=fmt.sort_key(m.get("similarity")), num=True,
             sub=f"CI {fmt.ci(m.get('ci_low'), m.get('ci_high'), 2)}"),
    ] for i, (m, glyph) in enumerate(zip(models, glyphs))]
    neighbours = Table(id="t-cal-neighbours", caption="A's neighbours by stylesim's same-prompt agreement", columns=[
        Column("#", True), Column("Model"), Column("Agreement", True), Column("Interval"),
        Column("Resemblance", True, "Cross-prompt resemblance"),
    ], rows=neighbour_rows, filter=len(neighbour_rows) > 8, empty="No panel was compared.")
    return Calibrated(
        headline=fmt.text(get(cal, "verdict", "headline", default="No verdict was recorded.")),
        details=[fmt.text(d) for d in as_list(get(cal, "verdict", "details", default=[]))],
        figures=figures, definition=fmt.text(get(cal, "similarity", "definition", default="")),
        families=families, neighbours=neighbours,
    )


def _choices(data: Mapping) -> Table:
    rows = [[Cell(fmt.text(as_map(c).get("choice")), head=True), Cell(fmt.text(as_map(c).get("chosen"))),
             Cell(fmt.text(as_map(c).get("why")))] for c in as_list(data.get("choices"))]
    return Table(id="t-choices", caption="Decisions the published description leaves open",
                 columns=[Column("Decision"), Column("Chosen here"), Column("Why")], rows=rows, sortable=False,
                 empty="No choices were recorded.")


def _inputs(data: Mapping) -> Table:
    rows = []
    for item in as_list(data.get("inputs")):
        item = as_map(item)
        rows.append([Cell(fmt.text(item.get("name")), head=True), Cell(fmt.text(item.get("path"))),
                     Cell(fmt.text(item.get("format"))),
                     Cell(fmt.count(item.get("outputs")), sort=fmt.sort_key(item.get("outputs")), num=True),
                     Cell(fmt.count(item.get("prompts")), sort=fmt.sort_key(item.get("prompts")), num=True)])
    return Table(id="t-inputs", caption="Input files", columns=[
        Column("Model"), Column("File"), Column("Format"), Column("Outputs", True), Column("Prompts", True),
    ], rows=rows, filter=len(rows) > 8, empty="No inputs were recorded.")


PARAMETER_LABELS = {
    "top_k": "Neighbours listed per model",
    "seed": "Random seed",
    "n_resamples": "Bootstrap resamples (over prompts)",
    "confidence": "Confidence level",
    "calibrated": "Calibrated comparison run",
    "embeddings": "Sentence embeddings (calibrated comparison)",
    "calibrated_resamples": "Resamples and permutations (calibrated comparison)",
    "human_profile": "Human n-gram profile",
    "caps": "Features per profile",
}


def _parameters(data: Mapping) -> Table:
    rows = []
    for key, value in as_map(data.get("parameters")).items():
        if key == "confidence":
            shown = fmt.percent(value)
        elif isinstance(value, Mapping):
            shown = ", ".join(f"{fmt.text(v)} {fmt.text(k)}" for k, v in value.items())
        elif isinstance(value, bool) or value is None:
            shown = _yes_no(value) if isinstance(value, bool) else "none"
        else:
            shown = fmt.text(value)
        rows.append([Cell(PARAMETER_LABELS.get(key, fmt.humanize(key)), head=True), Cell(shown)])
    rows.append([Cell("stylesim version (analysis)", head=True), Cell(fmt.text(data.get("stylesim_version")))])
    rows.append([Cell("stylesim version (this page)", head=True), Cell(__version__)])
    rows.append([Cell("Result created (UTC)", head=True), Cell(fmt.text(data.get("created")))])
    return Table(id="t-params", caption="Settings, seed and versions", columns=[Column("Setting"), Column("Value")],
                 rows=rows, sortable=False)


def reproduce_view(data: Mapping[str, Any]) -> ReproduceView:
    rep = as_map(data.get("reproduced"))
    a, b = (fmt.text(n) for n in as_list(rep.get("pair"))[:2])
    ci = as_map(rep.get("ci"))
    level = fmt.number(ci.get("level"))
    boot = as_map(rep.get("bootstrap"))
    counts = as_map(rep.get("feature_counts"))
    published = as_map(data.get("published"))
    n_models = len(as_map(data.get("models")))
    top_k = int(fmt.number(get(data, "parameters", "top_k")) or 0) or max(
        [len(as_list(as_map(e).get("nearest"))) for e in as_map(data.get("models")).values()] or [0])
    earlier = as_map(rep.get("earlier_pair"))
    earlier_pub = as_map(published.get("earlier"))
    earlier_note = ""
    if earlier:
        earlier_note = (
            f"An earlier published figure: {' and '.join(fmt.text(n) for n in as_list(earlier_pub.get('pair')))} at "
            f"about {fmt.est(earlier_pub.get('distance'))} ({fmt.text(earlier_pub.get('note'))}). On these inputs: "
            f"{' and '.join(fmt.text(n) for n in as_list(earlier.get('pair')))} at {fmt.est(earlier.get('distance'))} "
            f"(rank {fmt.text(earlier.get('rank_of_b_for_a'))} for the first)."
        )
    bg = as_map(data.get("background"))
    background = fmt.text(bg.get("description", "")) if bg else ""
    if bg.get("path"):
        background += f" ({fmt.text(bg.get('path'))})"
    pair_note = f"A = {a}, B = {b}"
    if rep.get("why_this_pair"):
        pair_note += f" ({fmt.text(rep.get('why_this_pair'))})"
    pair_note += "."
    if counts:
        pair_note += (f" They share {fmt.count(counts.get('shared'))} of {fmt.count(counts.get('union'))} features "
                      f"({fmt.count(counts.get('a'))} and {fmt.count(counts.get('b'))} each).")
    ci_note = (f"{round(100 * level)}% CI {fmt.ci(ci.get('low'), ci.get('high'))}" if level is not None
               else "no bootstrap")
    view = ReproduceView(
        kind="reproduce-eqbench",
        header=Header(title=f"stylesim: reproducing EQ-Bench \u201cMost Similar To\u201d ({a} / {b})",
                      heading="Reproducing EQ-Bench\u2019s \u201cMost Similar To\u201d lists",
                      kicker="stylesim reproduction report",
                      meta=[f"{a} and {b}", f"{fmt.count(n_models)} models",
                            fmt.text(published.get("source", "eqbench.com")),
                            "Jaccard distance between slop profiles (over-used words, bigrams and trigrams), "
                            "after Sam Paech's slop-forensics"]),
        nav=[],
        verdict=verdict(data, "Verdict", "A Jaccard distance between two feature lists has no reference scale of "
                        f"its own: how close counts as close depends on the {fmt.count(n_models)} models compared."),
        figures=[
            KeyFigure("Recomputed distance", fmt.est(rep.get("distance")), ci_note),
            KeyFigure("Published distance", fmt.est(published.get("distance")),
                      f"difference {fmt.est(rep.get('difference_from_published'))}"
                      if rep.get("difference_from_published") is not None else "for another pair, absent here"),
            KeyFigure("Mutual nearest neighbours", _yes_no(rep.get("mutual")),
                      f"published: {_yes_no(published.get('mutual'))}"),
            KeyFigure("Rank of each for the other",
                      f"{fmt.text(rep.get('rank_of_b_for_a', 'n/a'))} / {fmt.text(rep.get('rank_of_a_for_b', 'n/a'))}",
                      f"mutual in {fmt.percent(boot.get('mutual_share'))} of resamples" if boot else ""),
        ],
        name_a=a, name_b=b, pair_note=pair_note, distances=_distances(data, rep), earlier=earlier_note,
        background=background, nearest=_nearest(data, [a, b], top_k), terms=_terms(data, rep, a, b),
        calibrated=_calibrated(data, b), choices=_choices(data), inputs=_inputs(data),
        parameters=_parameters(data), footer=footer(data),
    )
    view.nav = [NavItem(anchor, label) for anchor, label, present in [
        ("verdict", "Verdict", True), ("pair", "The headline pair", True),
        ("nearest", "Most similar to", True), ("shared", "Shared features", bool(view.terms)),
        ("calibrated", "Calibrated analysis", True), ("choices", "Open choices", True),
        ("data", "Data and method", True),
    ] if present]
    return view
