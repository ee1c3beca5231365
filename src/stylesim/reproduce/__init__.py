"""Reproductions of published model-similarity analyses, with stylesim's calibrated view beside them.

``reproduce_eqbench_similarity`` rebuilds EQ-Bench Creative Writing v3's "Most Similar To" lists
(Jaccard distance between slop profiles, after Sam Paech's slop-forensics) from the published
result pages, adds a prompt-bootstrap CI for the headline distance, and runs
:func:`stylesim.compare` on the same pair.
"""

from __future__ import annotations

from .distances import distance_matrix, jaccard_distance
from .eqbench import (
    PUBLISHED,
    nearest_lists,
    reproduce_eqbench_similarity,
    slop_feature_set,
)
from .render import render_reproduce_html

__all__ = [
    "PUBLISHED",
    "distance_matrix",
    "jaccard_distance",
    "nearest_lists",
    "render_reproduce_html",
    "reproduce_eqbench_similarity",
    "slop_feature_set",
]
