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
    models for the warning.
    """
    n = len(outputs[0]) if outputs else 0
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    partitions: list[tuple[str, tuple[int, ...]]] = []
    for name, per_model in zip(names, outputs):
        first_of: dict[str, int] = {}
        for i, samples in enumerate(per_model):
            for output in samples:
                if output.group is None:
                    continue
                j = first_of.setdefault(output.group, i)
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        if first_of:
            partitions.append((name, _canonical(per_model)))
    if len({partition for _, partition in partitions}) > 1:
        first = partitions[0]
        other = next(p for p in partitions if p[1] != first[1])
        log.warning("%s and %s group the same prompts differently (prompt_group); prompts grouped together "
                    "by any model are taken as one resampling unit", first[0], other[0])
    numbers: dict[int, int] = {}
    units = np.array([numbers.setdefault(root(i), len(numbers)) for i in range(n)], dtype=np.int64)
    return units if len(numbers) < n else None


def _canonical(per_model: Sequence[Sequence[_Grouped]]) -> tuple[int, ...]:
    """One model's own partition of the prompts, numbered by first appearance (ungrouped prompts
    alone), so that two models' partitions compare equal whatever their labels."""
    numbers: dict[str, int] = {}
    out = []
    for i, samples in enumerate(per_model):
        label = next((o.group for o in samples if o.group is not None), None)
        out.append(numbers.setdefault(f"group:{label}" if label is not None else f"prompt:{i}", len(numbers)))
    return tuple(out)
