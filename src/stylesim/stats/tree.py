"""Trees from distance matrices: average linkage (UPGMA, scipy) with bootstrap clade support."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform


@dataclass
class Tree:
    """A rooted binary tree over ``labels`` with support for each internal clade."""

    labels: list[str]
    linkage: np.ndarray
    order: list[int]  # leaf order, for heatmaps
    clades: list[frozenset[int]]  # one per internal node, in linkage order
    support: list[float | None]

    def newick(self) -> str:
        """Newick text; internal node labels are bootstrap supports (percent)."""
        root = hierarchy.to_tree(self.linkage)
        heights = {i: float(self.linkage[i, 2]) for i in range(len(self.linkage))}
        n = len(self.labels)

        def height(node: hierarchy.ClusterNode) -> float:
            return 0.0 if node.is_leaf() else heights[node.id - n] / 2.0

        def render(node: hierarchy.ClusterNode) -> str:
            if node.is_leaf():
                return _quote(self.labels[node.id])
            parts = []
            for child in (node.left, node.right):
                length = max(height(node) - height(child), 0.0)
                parts.append(f"{render(child)}:{length:.6f}")
            support = self.support[node.id - n]
            label = "" if support is None or node is root else f"{round(100 * support)}"
            return f"({','.join(parts)}){label}"

        return render(root) + ";"


def _quote(label: str) -> str:
    if any(c in label for c in " ()[]':;,"):
        return "'" + label.replace("'", "''") + "'"
    return label


def _clades(linkage: np.ndarray, n: int) -> list[frozenset[int]]:
    members: list[frozenset[int]] = [frozenset([i]) for i in range(n)]
    for left, right, _, _ in linkage:
        members.append(members[int(left)] | members[int(right)])
    return members[n:]


def average_linkage(distances: np.ndarray) -> np.ndarray:
    """UPGMA linkage of a symmetric distance matrix (negative or NaN distances are clipped)."""
    d = np.nan_to_num(np.asarray(distances, dtype=float), nan=np.nanmax(distances) if np.isfinite(distances).any() else 1.0)
    d = np.clip((d + d.T) / 2.0, 0.0, None)
    np.fill_diagonal(d, 0.0)
    return hierarchy.linkage(squareform(d, checks=False), method="average")


def bootstrap_tree(distances: np.ndarray, replicates: Sequence[np.ndarray], labels: Sequence[str]) -> Tree:
    """The tree of ``distances`` with each clade's share of ``replicates`` trees containing it."""
    n = len(labels)
    linkage = average_linkage(distances)
    clades = _clades(linkage, n)
    counts = dict.fromkeys(clades, 0)
    for replicate in replicates:
        for clade in _clades(average_linkage(replicate), n):
            if clade in counts:
                counts[clade] += 1
    total = len(replicates)
    support = [counts[c] / total if total else None for c in clades]
    order = [int(i) for i in hierarchy.leaves_list(linkage)]
    return Tree(list(labels), linkage, order, clades, support)
