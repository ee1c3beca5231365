"""Resampling units of aligned prompts: which prompts are variants of one prompt.

Each model's outputs may declare a group (a JSONL ``prompt_group``, EQ-Bench's iteration of a
prompt). Prompts that any model puts in one group form one unit: declaring variants as one unit
is never wrong for the statistics (it only widens intervals), while treating variants as
independent prompts makes p-values too small. So where models disagree, the units are the
finest partition that keeps every model's groups together, and a warning names the disagreement.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


class _Grouped(Protocol):
    group: str | None


def prompt_units(outputs: Sequence[Sequence[Sequence[_Grouped]]], names: Sequence[str]) -> np.ndarray | None:
    """Unit numbers 0..G-1 of the aligned prompts, in order of first appearance; None when every
    prompt is a unit of its own.

    ``outputs[model][prompt]`` are that model's outputs for the aligned prompt; ``names`` name the
    models for the warnings. A model's own units join prompts that share a label (two samples of one
    prompt with different labels join both groups, with a warning); a model whose labels join no
    prompts declares nothing. The result joins every model's units.
    """
    n = len(outputs[0]) if outputs else 0
    declared: list[tuple[str, list[int]]] = []
    for name, per_model in zip(names, outputs):
        links = []
        for i, samples in enumerate(per_model):
            labels = list(dict.fromkeys(o.group for o in samples if o.group is not None))
            if len(labels) > 1:
                log.warning("%s gives the samples of one prompt different prompt_group labels (%s); "
                            "those groups are taken as one unit", name, ", ".join(labels[:3]))
            links += [(i, label) for label in labels]
        own = _components(n, links)
        if len(set(own)) < n:
            declared.append((name, own))
    if len({tuple(own) for _, own in declared}) > 1:
        first = declared[0]
        other = next(d for d in declared if d[1] != first[1])
        log.warning("%s and %s group the same prompts differently (prompt_group); prompts grouped together "
                    "by any model are taken as one resampling unit", first[0], other[0])
    units = _components(n, [(i, f"{m}:{unit}") for m, (_, own) in enumerate(declared) for i, unit in enumerate(own)])
    return np.array(units, dtype=np.int64) if len(set(units)) < n else None


def _components(n: int, links: Sequence[tuple[int, str]]) -> list[int]:
    """Prompts 0..n-1 joined wherever two share a label in ``links`` (prompt, label): component
    numbers in order of first appearance."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[str, int] = {}
    for i, label in links:
        a, b = root(i), root(first_of.setdefault(label, i))
        if a != b:
            parent[max(a, b)] = min(a, b)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(root(i), len(numbers)) for i in range(n)]
