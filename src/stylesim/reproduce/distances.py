"""Jaccard distances between feature sets, and each model's neighbours by them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def jaccard_distance(a: set[str], b: set[str]) -> float:
    """1 - |A & B| / |A | B|; two empty sets are at distance 0."""
    union = len(a | b)
    return 0.0 if union == 0 else 1.0 - len(a & b) / union


def distance_matrix(sets: Sequence[set[str]]) -> np.ndarray:
    """Symmetric matrix of Jaccard distances with a zero diagonal."""
    k = len(sets)
    out = np.zeros((k, k))
    for i in range(k):
        for j in range(i + 1, k):
            out[i, j] = out[j, i] = jaccard_distance(sets[i], sets[j])
    return out


def neighbour_order(names: Sequence[str], distances: np.ndarray, i: int) -> list[int]:
    """Every other model by ascending distance from model ``i`` (ties by name)."""
    return sorted((j for j in range(len(names)) if j != i), key=lambda j: (distances[i, j], names[j]))
