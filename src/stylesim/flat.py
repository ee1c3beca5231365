"""Every aligned output as one flat list of texts (what feature extractors take), and the way back
from feature rows to per-model, per-prompt matrices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .alignment import Alignment
from .similarity import per_prompt_means


@dataclass
class FlatTexts:
    texts: list[str]
    groups: list[str]
    rows: list[list[list[int]]]  # rows[model][prompt] -> row indices into texts


def flatten(alignment: Alignment, *, raw: bool = False) -> FlatTexts:
    """Every aligned output as one list, with the row indices of each model's prompt samples."""
    texts: list[str] = []
    groups: list[str] = []
    rows: list[list[list[int]]] = []
    # Each text's prompt, or its resampling unit when prompts come in variant groups: "used in three
    # prompts" (the over-used vocabulary) must not count three variants of one prompt as three.
    units = alignment.prompt_groups
    labels = list(alignment.keys) if units is None else [f"unit {int(u)}" for u in units]
    for per_model in alignment.outputs:
        model_rows = []
        for label, outputs in zip(labels, per_model):
            indices = []
            for output in outputs:
                indices.append(len(texts))
                texts.append(output.raw if raw else output.text)
                groups.append(label)
            model_rows.append(indices)
        rows.append(model_rows)
    return FlatTexts(texts, groups, rows)


def per_prompt_matrices(features, flat: FlatTexts) -> list:
    return [per_prompt_means(features, model_rows) for model_rows in flat.rows]


def pool_label(models: Sequence[int] | None) -> str:
    """The reference pool in words, from its value (attribute's [0] is the student)."""
    if models is None:
        return "every model"
    if list(models) == [0]:
        return "the student (the first model) alone"
    return "models " + ", ".join(str(m) for m in models) + " (by position in the analysis)"


def reference_rows(flat: FlatTexts, models: Sequence[int] | None) -> list[int] | None:
    """Row indices of the reference pool's texts (None: every text)."""
    if models is None:
        return None
    return sorted(r for m in models for rows in flat.rows[m] for r in rows)
