"""The view-model of a ``matrix`` result: many models, pairwise agreement and resemblance, nearest neighbours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import fmt
from .common import (
    answered_note,
    as_list,
    as_map,
    data_section,
    footer,
    get,
    level,
    prompts_label,
    verdict,
)
from .dendrogram import Dendrogram, dendrogram
from .heatmap import Heatmap, heatmap
from .parts import Cell, Column, DataSection, Footer, Header, KeyFigure, NavItem, Table, Verdict


@dataclass
class FamilyHeatmap:
    label: str
    heatmap: Heatmap


@dataclass
class MatrixView:
    kind: str
    header: Header
    nav: list[NavItem]
    verdict: Verdict
    figures: list[KeyFigure]
    level: str
    heatmap: Heatmap | None
    resemblance: Heatmap | None
    nearest: Table
    tree: Dendrogram | None
    clades: Table
    newick: str
    families: list[FamilyHeatmap]
    data: DataSection
    footer: Footer


def _with_diagonal(matrix: Any, diagonal: Any) -> list:
    """The agreement matrix with each model's self-agreement (None without samples) on the diagonal."""
    rows = [list(as_list(r)) for r in as_list(matrix)]
    values = as_list(diagonal)
    for i, row in enumerate(rows):
        if i < len(row):
            row[i] = values[i] if i < len(values) else None
    return rows


def _nearest(data: Mapping, lvl: str) -> Table:
    rows = []
    floor = fmt.permutation_floor(data)  # the smallest sign-flip p-value: "≤" it, not equal
    for r in as_list(data.get("nearest")):
        r = as_map(r)
        index = as_map(r.get("closeness_index"))
        corrected = as_map(r.get("disattenuated"))
        size = fmt.number(r.get("candidates"))
        rows.append([
            Cell(fmt.text(r.get("model")), head=True),
            Cell(fmt.text(r.get("nearest")), strong=True, sub="mutual nearest neighbours" if r.get("mutual") else ""),
            Cell(fmt.est(r.get("agreement")), sort=fmt.sort_key(r.get("agreement")), num=True,
                 sub=f"disattenuated {fmt.est(corrected.get('estimate'), 2)}" if corrected else ""),
            Cell(fmt.pval_bounded(r.get("pvalue"), floor), sort=fmt.sort_key(r.get("pvalue")), num=True,
                 sub=f"best of {fmt.plural(int(size), 'other model')}" if size is not None else ""),
            Cell(fmt.est(index.get("estimate"), 2), sort=fmt.sort_key(index.get("estimate")), num=True,
                 sub=f"{lvl} CI {fmt.ci(index.get('ci_low'), index.get('ci_high'), 2)}" if index else ""),
            Cell(fmt.text(r.get("runner_up")), sub=fmt.est(r.get("runner_up_agreement"))),
            Cell(fmt.percent(r.get("stability")), sort=fmt.sort_key(r.get("stability")), num=True),
        ])
    return Table(id="t-nearest", caption="Each model's nearest neighbour", columns=[
        Column("Model"), Column("Nearest neighbour"), Column("Agreement", True, "Same-prompt agreement; with several samples per prompt, also "
                                       "corrected for each model's agreement with a second sample of itself"),
        Column("p", True, "Sign-flip test over prompts of agreement above the background, adjusted for "
               "picking the nearest of the other models"),
        Column("Closeness index", True, "Cross-prompt resemblance: 0 = median of the other models, 1 = the model's self-similarity"),
        Column("Runner-up"), Column("Stays nearest", True, "Share of prompt resamples with the same nearest neighbour"),
    ], rows=rows, filter=len(rows) > 8)


def _clades(data: Mapping) -> Table:
    rows = []
    for c in as_list(get(data, "tree", "clades", default=[])):
        c = as_map(c)
        members = [fmt.text(m) for m in as_list(c.get("members"))]
        rows.append([Cell(", ".join(members)), Cell(fmt.count(len(members)), sort=str(len(members)), num=True),
                     Cell(fmt.percent(c.get("support")), sort=fmt.sort_key(c.get("support")), num=True)])
    return Table(id="t-clades", caption="Groups in the tree and how often resampled prompts give them",
                 columns=[Column("Models grouped together"), Column("Size", True), Column("Support", True)],
                 rows=rows, empty="No tree was recorded.")


def _listed(names: list[str], most: int = 8) -> str:
    """The models for the page header: all of a few; the first of many (the tables list them all)."""
    if len(names) <= most:
        return ", ".join(names)
    return f"{', '.join(names[:most - 2])} and {len(names) - most + 2} more (all listed under Data and method)"


def matrix_view(data: Mapping[str, Any]) -> MatrixView:
    names = [fmt.text(n) for n in as_list(data.get("models"))]
    order = [fmt.text(n) for n in as_list(get(data, "tree", "order", default=[]))]
    lvl = level(data)
    nearest = [as_map(r) for r in as_list(data.get("nearest"))]
    mutual = sorted({tuple(sorted((fmt.text(r.get("model")), fmt.text(r.get("nearest"))))) for r in nearest
                     if r.get("mutual")})
    families: list[FamilyHeatmap] = []
    for key, f in as_map(data.get("families")).items():
        f = as_map(f)
        label = fmt.text(f.get("label") or key)
        h = heatmap(f.get("matrix"), names, order, f"t-heat-{len(families)}", f"Same-prompt agreement on {label}")
        if h:
            families.append(FamilyHeatmap(label=label, heatmap=h))
    view = MatrixView(
        kind="matrix",
        header=Header(title=f"stylesim: {len(names)} models compared",
                      heading=f"How alike is the writing of these {len(names)} models?",
                      kicker="stylesim matrix report",
                      meta=[_listed(names), prompts_label(data)]),
        nav=[], verdict=verdict(data, "Verdict", "Each model is judged against all the others: the other "
                                "models are its panel, so the test is coarse when there are few of them."),
        figures=[KeyFigure("Models", fmt.count(len(names))),
                 KeyFigure("Mutual nearest pairs", fmt.count(len(mutual)),
                           "; ".join(f"{a} and {b}" for a, b in mutual[:3])
                           + (f"; {len(mutual) - 3} more in the table below" if len(mutual) > 3 else "")),
                 KeyFigure("Prompts compared", fmt.count(get(data, "coverage", "matched_prompts")),
                           answered_note(data, "answered by every model"))],
        level=lvl,
        heatmap=heatmap(_with_diagonal(data.get("matrix"), data.get("self_agreement")), names, order, "t-heat",
                        "Same-prompt agreement between every pair of models"),
        resemblance=heatmap(data.get("resemblance"), names, order, "t-heat-res",
                            "Style resemblance across prompts (diagonal: self-similarity)", measure="resemblance"),
        nearest=_nearest(data, lvl), tree=dendrogram(data), clades=_clades(data), newick=fmt.text(get(data, "tree", "newick", default="")),
        families=families, data=data_section(data), footer=footer(data),
    )
    view.nav = [NavItem(a, label) for a, label, present in [
        ("verdict", "Verdict", True), ("heatmap", "All pairs", view.heatmap is not None),
        ("nearest", "Nearest neighbours", True), ("tree", "Tree", True),
        ("matrix-families", "Feature families", bool(families)), ("data", "Data and method", True),
    ] if present]
    return view
