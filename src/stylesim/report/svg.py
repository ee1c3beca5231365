"""SVG geometry primitives: linear scales, tick positions and histogram bins.

Only numbers come out of here; the templates turn them into SVG markup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import fmt


def r1(value: float) -> float:
    """Round a coordinate to 0.1 user units (short, deterministic markup)."""
    out = round(float(value), 1)
    return 0.0 if out == 0 else out


@dataclass(frozen=True)
class Scale:
    """Maps the data interval [lo, hi] onto the pixel interval [start, end]."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo
        frac = 0.5 if span == 0 else (value - self.lo) / span
        return r1(self.start + frac * (self.end - self.start))

    def clamp(self, value: float) -> float:
        return self(min(max(value, self.lo), self.hi))

    def at(self, value: object) -> float | None:
        """The clamped position of a number; None for a missing or non-finite value."""
        v = fmt.number(value)
        return None if v is None else self.clamp(v)

    def contains(self, value: float) -> bool:
        return self.lo <= value <= self.hi


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


def finite(values: Iterable[object]) -> list[float]:
    return [v for v in (fmt.number(x) for x in values) if v is not None]


def nice_step(span: float, target: int) -> float:
    raw = span / max(target, 1)
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * power:
            return mult * power
    return 10 * power


def nice_domain(values: Sequence[float], target: int = 5, pad: float = 0.0) -> tuple[float, float, float]:
    """A rounded [lo, hi] that covers ``values``, and its tick step."""
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5 * (abs(lo) or 1) * 0.2, hi + 0.5 * (abs(hi) or 1) * 0.2
    span = hi - lo
    lo, hi = lo - pad * span, hi + pad * span
    step = nice_step(hi - lo, target)
    return math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step, step


def ticks(scale: Scale, step: float, label=fmt.sig) -> list[Tick]:  # noqa: ANN001
    out = []
    n = int(round((scale.hi - scale.lo) / step)) if step > 0 else 0
    for i in range(n + 1):
        value = scale.lo + i * step
        if abs(value) < step * 1e-6:
            value = 0.0
        out.append(Tick(scale(value), label(round(value, 10))))
    return out


def tick_label(step: float):  # noqa: ANN201
    """A label function that shows as many decimals as the step needs."""
    decimals = next((d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 6)

    def label(value: float) -> str:
        return fmt.est(value, decimals) if abs(value) < 1e6 else fmt.sig(value)

    return label


def histogram(values: Sequence[float], lo: float, hi: float, bins: int) -> list[int]:
    """Counts of ``values`` in ``bins`` equal bins over [lo, hi] (the last bin closed)."""
    counts = [0] * bins
    width = (hi - lo) / bins if hi > lo else 1.0
    for v in values:
        if lo <= v <= hi:
            counts[min(bins - 1, int((v - lo) / width))] += 1
    return counts
