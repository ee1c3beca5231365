"""The record every format reader yields: one model output for one prompt."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Record:
    """One model output.

    ``prompt_id`` is the alignment key; ``prompt`` may be ``None`` where a format carries no prompt
    text (WildBench). ``sample`` numbers several outputs for one prompt. ``line`` is the 1-based
    source line (or list index + 1 for JSON lists), kept so later errors can point at the input.
    ``group`` names a set of related prompts (variants of one prompt, such as EQ-Bench's seeded
    iterations) that resampling must treat as one unit; ``None``: the prompt is its own unit.
    """

    prompt_id: str
    response: str
    model: str | None = None
    prompt: str | None = None
    sample: int = 0
    system: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    finish_reason: str | None = None
    created: Any = None
    usage: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    group: str | None = None
