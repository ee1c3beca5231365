"""The matrix page's tree as an inline SVG dendrogram: geometry only (numbers and strings); the
template draws it. Leaves run top to bottom in tree order, merge heights left to right."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import fmt
from .common import as_list, get
from .svg import Scale, fit_text, r1, text_width

ROW = 18  # pixels per model: 32 models fit a screen, 200 still scroll
LABEL_WIDTH = 260
TREE_WIDTH = 420
TOP = 24
LEAF_FONT, SUPPORT_FONT = 12.0, 9.5  # .dendrogram .leaf and .support in report.css


@dataclass
class Leaf:
    x: float
    y: float
    name: str
    title: str


@dataclass
class Support:
    x: float
    y: float
    text: str
    cls: str


@dataclass
class Dendrogram:
    width: int
    height: int
    paths: list[str]  # SVG path data, one elbow per merge
    leaves: list[Leaf]
    supports: list[Support]
    axis: list[tuple[float, str]]  # (x, label) ticks of 1 - agreement
    axis_y: float
    title: str


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    step = (hi - lo) / max(count - 1, 1)
    return [lo + i * step for i in range(count)]


def dendrogram(data: Mapping[str, Any]) -> Dendrogram | None:
    """Layout of ``data["tree"]["merges"]`` over ``data["models"]``; None without a usable tree."""
    names = [fmt.text(n) for n in as_list(data.get("models"))]
    merges = as_list(get(data, "tree", "merges", default=[]))
    n = len(names)
    if n < 2 or len(merges) != n - 1:
        return None
    rows: list[tuple[int, int, float, float | None]] = []
    for merge in merges:
        merge = as_list(merge)
        if len(merge) != 4 or not all(isinstance(v, int) and 0 <= v < n + len(rows) for v in merge[:2]):
            return None
        height = fmt.number(merge[2])
        rows.append((merge[0], merge[1], height if height is not None else 0.0, fmt.number(merge[3])))
    order = _leaf_order(rows, n)
    heights = [h for _, _, h, _ in rows]
    top = max(max(heights), 1e-9)
    x = Scale(0.0, top, float(TREE_WIDTH), 24.0)  # height 0 (leaves) at the right edge of the tree
    y_of = {leaf: TOP + ROW * position + ROW / 2 for position, leaf in enumerate(order)}
    node_x: dict[int, float] = {leaf: float(TREE_WIDTH) for leaf in range(n)}
    paths, joints = [], []
    for r, (left, right, height, support) in enumerate(rows):
        node = n + r
        hx = x.clamp(height)
        y1, y2 = y_of[left], y_of[right]
        paths.append(f"M{r1(node_x[left])} {r1(y1)}H{hx}V{r1(y2)}H{r1(node_x[right])}")
        node_x[node], y_of[node] = hx, (y1 + y2) / 2
        if support is not None and r < len(rows) - 1:
            joints.append((hx, (y1 + y2) / 2, round(100 * support)))
    leaves = [Leaf(x=float(TREE_WIDTH + 6), y=r1(y_of[leaf] + 4), title=names[leaf],
                   name=fit_text(names[leaf], LABEL_WIDTH - 12, LEAF_FONT))
              for leaf in order]
    height_px = TOP + ROW * n + 28
    supports = _supports(joints)
    axis = [(x.clamp(v), fmt.est(v, 2)) for v in _ticks(0.0, top)]
    return Dendrogram(width=TREE_WIDTH + LABEL_WIDTH, height=height_px, paths=paths, leaves=leaves,
                      supports=supports, axis=axis, axis_y=float(TOP + ROW * n + 6),
                      title=f"Tree of {n} models by same-prompt agreement, with bootstrap support (%)")


def _leaf_order(rows: Sequence[tuple[int, int, float, float | None]], n: int) -> list[int]:
    children = {n + r: (left, right) for r, (left, right, _, _) in enumerate(rows)}
    out, stack = [], [n + len(rows) - 1]
    while stack:
        node = stack.pop()
        if node < n:
            out.append(node)
        else:
            left, right = children[node]
            stack.extend([right, left])
    return out


def _supports(joints: Sequence[tuple[float, float, int]]) -> list[Support]:
    """Support labels beside their joints, right of the joint if there is room, else left of it, else
    left out (the clades table lists every group's support): never on a leaf name or on another label.
    Larger groups (higher joints) are placed first."""
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for hx, y, percent in sorted(joints, key=lambda j: j[0]):
        text = str(percent)
        w, base = text_width(text, SUPPORT_FONT), y - 3
        for x0 in (hx + 3, hx - 3 - w):
            box = (x0 - 1, base - SUPPORT_FONT - 1, x0 + w + 1, base + 3)
            inside = 0 <= box[0] and box[2] <= TREE_WIDTH + 4
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                                  for b in placed):
                placed.append(box)
                out.append(Support(x=r1(x0), y=r1(base), text=text,
                                   cls="support strong" if percent >= 70 else "support"))
                break
    return out
