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
from .heatmap import ALSO, Heatmap, drawing_order, heatmap
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
    pairs: Table | None  # the heatmaps' values as a table (None above PAIR_TABLE_MODELS models)
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
                 sub=fmt.ci_label(index, lvl, 2) if index else ""),
            Cell(fmt.text(r.get("runner_up")), sub=fmt.est(r.get("runner_up_agreement"))),
            Cell(fmt.percent(r.get("stability")), sort=fmt.sort_key(r.get("stability")), num=True),
        ])
    return Table(id="t-nearest", caption="Each model's nearest neighbour", columns=[
        Column("Model"), Column("Nearest neighbour"), Column("Agreement", True, "Same-prompt agreement; with several samples per prompt, also "
                                       "corrected for each model's agreement with a second sample of itself"),
        Column("p", True, "Sign-flip test over prompts of agreement above the background, adjusted for "
               "picking the nearest of the other models"),
        Column("Closeness index", True, "Cross-prompt resemblance: 0 = median of the other models, 1 = the model's "
               "self-similarity. Below 0: less alike in general style than the median other model, which a "
               "nearest neighbour by same-prompt agreement can be (the two measure different things)"),
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


PAIR_TABLE_MODELS = 40  # up to this many models (780 pairs), every heatmap value is also a table row
PAIRS_ALSO = ("Every value is also in the table \u201cEvery pair as a table\u201d, under the first heatmap, and in "
              "the JSON result.")


def _pairs(data: Mapping, names: list[str], order: list[str]) -> Table | None:
    """Every pair once, in the heatmaps' order, with each heatmap's value; then each model with itself.

    The table equivalent of the heatmaps, for screen readers and for copying (the drawings are
    images); too long to be useful above PAIR_TABLE_MODELS models, where the JSON has every value.
    """
    n = len(names)
    if not 2 <= n <= PAIR_TABLE_MODELS:
        return None
    index = {name: i for i, name in enumerate(names)}
    order = drawing_order(names, order)
    # The combined agreement's diagonal is each model's self-agreement, as the heatmap draws it.
    matrices = [("Agreement", "Same-prompt agreement, all families combined",
                 _with_diagonal(data.get("matrix"), data.get("self_agreement"))),
                ("Resemblance", "Style resemblance across prompts", data.get("resemblance"))]
    matrices += [(fmt.text(as_map(f).get("label") or key), "Same-prompt agreement on this family alone",
                  as_map(f).get("matrix")) for key, f in as_map(data.get("families")).items()]
    matrices = [(label, title, [as_list(r) for r in as_list(m)]) for label, title, m in matrices
                if len(as_list(m)) == n]

    def value(m: list, a: str, b: str) -> Cell:
        row = m[index[a]]
        v = row[index[b]] if index[b] < len(row) else None
        return Cell(fmt.est(v), sort=fmt.sort_key(v), num=True)

    pairs = [(a, b) for i, a in enumerate(order) for b in order[i + 1:]] + [(a, a) for a in order]
    rows = [[Cell(a, head=True), Cell(b if a != b else "itself")]
            + [value(m, a, b) for _, _, m in matrices] for a, b in pairs]
    return Table(id="t-pairs", caption="Every pair of models, with the value of each heatmap",
                 columns=[Column("Model"), Column("Other model")]
                 + [Column(label, True, title) for label, title, _ in matrices],
                 rows=rows, filter=True,
                 note="Rows with \u201citself\u201d hold the heatmaps' diagonals: agreement with a second sample "
                      "of the same model (n/a with one sample per prompt) and the self-similarity that caps "
                      "resemblance.")


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
    pairs = _pairs(data, names, order)
    also = PAIRS_ALSO if pairs else ALSO
    families: list[FamilyHeatmap] = []
    for key, f in as_map(data.get("families")).items():
        f = as_map(f)
        label = fmt.text(f.get("label") or key)
        h = heatmap(f.get("matrix"), names, order, f"t-heat-{len(families)}", f"Same-prompt agreement on {label}",
                    also=also)
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
                 # One pair named: three long names squeezed the card into a column of fragments.
                 KeyFigure("Mutual nearest pairs", fmt.count(len(mutual)),
                           "; ".join(f"{a} and {b}" for a, b in mutual[:1])
                           + (f"; {len(mutual) - 1} more in the verdict and the table below" if len(mutual) > 1 else "")),
                 KeyFigure("Prompts compared", fmt.count(get(data, "coverage", "matched_prompts")),
                           answered_note(data, "answered by every model"))],
        level=lvl,
        heatmap=heatmap(_with_diagonal(data.get("matrix"), data.get("self_agreement")), names, order, "t-heat",
                        "Same-prompt agreement between every pair of models", also=also),
        resemblance=heatmap(data.get("resemblance"), names, order, "t-heat-res",
                            "Style resemblance across prompts (diagonal: self-similarity)", measure="resemblance",
                            also=also),
        pairs=pairs,
        nearest=_nearest(data, lvl), tree=dendrogram(data), clades=_clades(data), newick=fmt.text(get(data, "tree", "newick", default="")),
        families=families, data=data_section(data), footer=footer(data),
    )
    view.nav = [NavItem(a, label) for a, label, present in [
        ("verdict", "Verdict", True), ("heatmap", "All pairs", view.heatmap is not None),
        ("nearest", "Nearest neighbours", True), ("tree", "Tree", True),
        ("matrix-families", "Feature families", bool(families)), ("data", "Data and method", True),
    ] if present]
    return view
