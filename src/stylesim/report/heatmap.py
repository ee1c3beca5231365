"""The matrix page's heatmaps as inline SVG: geometry and text only; ``_macros.html`` draws them.

A heatmap is as wide as its content and never wider than ``WIDTH`` user units, which fit the page's
content column at 1280 px (report.css: at most 68rem, 1056 px), so it never scrolls sideways there,
whatever the number of models: with many models the cells get narrower, the numbers move into each
cell's tooltip and the columns are numbered like the rows. Rows keep a readable height (at least
``MIN_ROW``), so 100+ models make a tall heatmap, not an unreadable one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import fmt
from .common import as_list
from .svg import fit_text, r1, text_width

BINS = 4  # colour steps on each side of zero
WIDTH = 1000.0  # the most user units a heatmap takes (drawn 1:1 at 1280 px)
FONT = 12.0  # svg.heatmap font-size in report.css: row names and column labels
VALUE_FONT = 11.0  # .heat-value font-size in report.css: the number inside a cell
MAX_CELL = 56.0
MIN_ROW = 16.0  # a row name needs this much height
LABEL_SHARE = 0.4  # of WIDTH, at most, for the row names
GAP = 8.0  # between the row names and the grid, and between index and name
TOP = FONT + 12.0  # room for the column labels


@dataclass
class HeatCell:
    text: str  # the value drawn in the cell ("" when the cell is too small for it)
    title: str  # always the value, in the tooltip
    cls: str
    x: float | int
    cx: float | int
    dark: bool = False  # a dark colour step: white text


@dataclass
class HeatRow:
    name: str  # the full name (tooltip)
    label: str  # the name as drawn, shortened to its room
    index: str  # "12" when the columns are numbered, else ""
    y: float
    text_y: float
    cells: list[HeatCell]


@dataclass
class HeatColumn:
    x: float
    label: str
    title: str


@dataclass
class Heatmap:
    id: str
    caption: str
    desc: str
    names: list[str]
    rows: list[HeatRow]
    columns: list[HeatColumn]
    width: float
    height: float
    cell_w: float
    cell_h: float
    index_x: float
    name_x: float
    grid_x: float
    column_y: float
    numbered: bool


def _shade(value: float | None, scale: float, diagonal: bool) -> str:
    if diagonal:
        return "heat diag"
    if value is None:
        return "heat na"
    step = min(BINS, int(abs(value) / scale * BINS + 0.5)) if scale > 0 else 0
    return "heat h0" if step == 0 else f"heat {'p' if value > 0 else 'n'}{step}"


def _label_room(names: Sequence[str], index_w: float) -> float:
    """Width for the row names: the longest name, within LABEL_SHARE of WIDTH."""
    longest = max(text_width(n, FONT) for n in names)
    return min(longest, WIDTH * LABEL_SHARE - index_w - GAP)


def _grid(n: int, left: float) -> tuple[float, float]:
    """Cell width and row height for ``n`` models right of ``left``: whole units when cells are not
    tiny, so that the many coordinates in the markup stay short."""
    raw = min(MAX_CELL, (WIDTH - left - 2) / n)
    cell_w = math.floor(raw) if raw >= 4 else math.floor(raw * 10) / 10
    return cell_w, max(cell_w, MIN_ROW)


def _num(value: float) -> float | int:
    """A coordinate for the markup: ``24`` rather than ``24.0``."""
    out = r1(value)
    return int(out) if out == int(out) else out


def _every(n: int, cell_w: float) -> int:
    """Label every k-th numbered column, k such that the numbers do not touch."""
    need = text_width(str(n), FONT) + 4
    return next((k for k in (1, 2, 5, 10, 20, 50, 100, 200, 500) if k * cell_w >= need), 1000)


def drawing_order(names: Sequence[str], order: Sequence[str]) -> list[str]:
    """The models as the heatmaps draw them: the tree's order, then any model the tree lacks."""
    known, ordered = set(names), set(order)
    return [n for n in order if n in known] + [n for n in names if n not in ordered]


ALSO = ("Each model's nearest neighbour and its value are also in the table of nearest neighbours, and every "
        "value is in the JSON result.")


def heatmap(matrix: Any, names: Sequence[str], order: Sequence[str], tid: str, caption: str,
            measure: str = "agreement", also: str = ALSO) -> Heatmap | None:
    """The drawing of one square matrix; ``also`` ends its spoken description (where else its values are)."""
    rows = as_list(matrix)
    if len(rows) != len(names) or not names:
        return None
    index = {n: i for i, n in enumerate(names)}
    shown = drawing_order(names, order)
    n = len(shown)
    off = [abs(v) for i, r in enumerate(rows) for j, v in enumerate(as_list(r))
           if i != j and fmt.number(v) is not None]
    scale = max(off) if off else 1.0

    # Names above the columns when every one fits its column, else numbers matching the rows.
    room = _label_room(shown, 0.0)
    cell_w, row_h = _grid(n, math.ceil(room + GAP))
    numbered = any(text_width(name, FONT) + 6 > cell_w for name in shown)
    index_w = text_width(str(n), FONT) + GAP if numbered else 0.0
    if numbered:
        room = _label_room(shown, index_w)
        cell_w, row_h = _grid(n, math.ceil(index_w + room + GAP))
    left = math.ceil(index_w + room + GAP)
    gap = 1.0 if cell_w >= 10 else math.floor(cell_w) / 10
    show_values = text_width(f"{fmt.MINUS}0.00", VALUE_FONT) + 4 <= cell_w - gap and row_h >= VALUE_FONT + 4
    every = _every(n, cell_w) if numbered else 1

    columns = [HeatColumn(x=_num(left + cell_w * (j + 0.5)), label=str(j + 1) if numbered else name, title=name)
               for j, name in enumerate(shown) if (j + 1) % every == 0]
    out = []
    for i, a in enumerate(shown):
        row = as_list(rows[index[a]])
        y = TOP + row_h * i
        cells = []
        for j, b in enumerate(shown):
            k = index[b]
            v = fmt.number(row[k]) if k < len(row) else None
            if a == b:
                title = (f"{a}: self-similarity (ceiling) {fmt.est(v)}" if measure == "resemblance"
                         else f"{a}: agreement with a second sample of itself {fmt.est(v)}")
            else:
                title = f"{a} \u00d7 {b}: {fmt.est(v)}"  # the caption says which measure
            cls = _shade(v, scale, a == b)
            x = left + cell_w * j
            cells.append(HeatCell(text=fmt.est(v, 2) if show_values else "", title=title, cls=cls, x=_num(x),
                                  cx=_num(x + (cell_w - gap) / 2), dark=cls[-1:] in ("3", "4")))
        out.append(HeatRow(name=a, label=fit_text(a, room, FONT), index=str(i + 1) if numbered else "",
                           y=_num(y), text_y=_num(y + (row_h - gap) / 2 + FONT * 0.35), cells=cells))
    what = "Same-prompt agreement" if measure == "agreement" else "Style resemblance"
    desc = (f"{caption}: {fmt.plural(n, 'model')} in tree order, one row and one column each"
            + (", columns numbered like the rows" if numbered else "")
            + f". {what}: orange cells above the background, blue below, darker is stronger; "
              "hover over a cell for its value. " + also)
    return Heatmap(id=tid, caption=caption, desc=desc, names=list(shown), rows=out, columns=columns,
                   width=_num(left + cell_w * n + 2), height=_num(TOP + row_h * n + 2),
                   cell_w=_num(cell_w - gap), cell_h=_num(row_h - gap), index_x=_num(index_w - GAP),
                   name_x=_num(index_w), grid_x=left, column_y=_num(TOP - 7), numbered=numbered)
