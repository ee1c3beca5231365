"""SVG geometry primitives: linear scales, tick positions and histogram bins.

Only numbers come out of here; the templates turn them into SVG markup.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import fmt

# Advance widths in 1/1000 em of DejaVu Sans for printable ASCII (" " to "~"): the font headless
# Chromium falls back to for system-ui on Debian and the widest of the usual sans-serif fonts, so
# text estimated to fit with it fits with the narrower ones (Segoe UI, San Francisco, Arial) too.
_ASCII_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
    752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
    337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)
_OTHER_WIDTHS = {"\u2212": 838, "\u2026": 1000, "\u00d7": 838, "\u2014": 1000, "\u2013": 500, "\u00a0": 318}
BOLD = 1.16  # bold glyphs are up to this much wider on average (DejaVu Sans Bold / Book)
ELLIPSIS = "\u2026"


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
    anchor: str = "middle"  # text-anchor: the end ticks are "start"/"end" when a centred label would be cut


def char_width(ch: str) -> float:
    """Estimated advance of one character, in em."""
    code = ord(ch)
    if 32 <= code <= 126:
        return _ASCII_WIDTHS[code - 32] / 1000
    if ch in _OTHER_WIDTHS:
        return _OTHER_WIDTHS[ch] / 1000
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") or code > 0x2000 else 0.8


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of ``text`` set in ``size`` user units (runs of spaces collapse, as in SVG)."""
    collapsed = re.sub(r"\s+", " ", text)
    return sum(char_width(c) for c in collapsed) * size * (BOLD if bold else 1.0)


def fit_text(text: str, room: float, size: float, bold: bool = False) -> str:
    """``text`` as it is when it fits ``room``, else shortened in the middle with an ellipsis (a model
    id's vendor prefix and its version suffix both tell models apart)."""
    if text_width(text, size, bold) <= room:
        return text
    keep = min(len(text), int(room / (0.27 * size)) + 2)  # no glyph is narrower than 0.27 em
    while keep > 1:
        keep -= 1
        head = math.ceil(keep * 0.6)
        short = text[:head].rstrip() + ELLIPSIS + text[len(text) - (keep - head):].lstrip() if keep > head \
            else text[:head].rstrip() + ELLIPSIS
        if text_width(short, size, bold) <= room:
            return short
    return ELLIPSIS


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


def fitted_ticks(scale: Scale, step: float, size: float, width: float, gap: float = 8.0) -> list[Tick]:
    """Ticks every ``step`` (or 2, 5, 10... times that when their labels, ``size`` units high, would
    touch), labelled with as many decimals as the step in use needs. Labels at the ends of the axis
    align to the axis end instead of running past the edge of a ``width``-unit chart."""
    out: list[Tick] = []
    if step <= 0:
        return out
    for factor in (1, 2, 4, 5, 10, 20, 50, 100):
        every = step * factor
        label = tick_label(every)
        first = math.ceil(scale.lo / every - 1e-9)
        count = int(math.floor(scale.hi / every + 1e-9)) - first + 1
        values = [0.0 if abs((first + i) * every) < every * 1e-6 else (first + i) * every for i in range(count)]
        out = [Tick(scale(v), label(round(v, 10))) for v in values]
        spans = []
        for i, t in enumerate(out):
            w = text_width(t.label, size)
            anchor = "start" if t.pos - w / 2 < 0 else "end" if t.pos + w / 2 > width else "middle"
            out[i] = Tick(t.pos, t.label, anchor)
            start = t.pos if anchor == "start" else t.pos - w if anchor == "end" else t.pos - w / 2
            spans.append((start, start + w))
        if len(out) <= 2 or all(a[1] + gap <= b[0] for a, b in zip(spans, spans[1:])):
            return out
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
