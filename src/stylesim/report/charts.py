"""Chart view-models: every coordinate, tick and hover text, computed here, drawn by templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import fmt
from .svg import Scale, Tick, finite, histogram, nice_domain, r1, tick_label, ticks

FONT_GAP = 20  # vertical room for one line of chart text, in user units


@dataclass
class ForestRow:
    label: str
    value: str
    title: str
    kind: str  # "target" (the pair in question), "other" (compared models), "panel" (reference)
    y: float
    label_y: float
    x: float | None
    lo: float | None
    hi: float | None


@dataclass
class RefLine:
    x: float
    label: str
    title: str
    kind: str  # "ceiling", "median", "floor"
    label_y: float
    anchor: str
    band_x: float | None = None
    band_w: float | None = None


@dataclass
class Forest:
    width: float
    height: float
    left: float
    right: float
    top: float
    axis_y: float
    label_x: float
    value_x: float
    axis_label: str
    desc: str
    rows: list[ForestRow]
    refs: list[RefLine]
    ticks: list[Tick]


@dataclass
class ForestInput:
    """One row to place: a label, an estimate and an optional interval."""

    label: str
    estimate: float | None
    low: float | None = None
    high: float | None = None
    kind: str = "other"
    note: str = ""


@dataclass
class RefInput:
    label: str
    value: float | None
    kind: str
    low: float | None = None
    high: float | None = None
    note: str = ""


def forest(rows: Sequence[ForestInput], refs: Sequence[RefInput], *, axis_label: str, desc: str,
           width: float = 640, level: str = "95%") -> Forest:
    """Rows of estimates with whiskers on one axis, with vertical reference lines and bands."""
    values = finite([v for r in rows for v in (r.estimate, r.low, r.high)]
                    + [v for r in refs for v in (r.value, r.low, r.high)])
    lo, hi, step = nice_domain(values, target=5)
    left, right = 14.0, width - 14.0
    refs = [r for r in refs if fmt.number(r.value) is not None]
    top = 10.0 + FONT_GAP * len(refs)
    row_h = 44.0
    scale = Scale(lo, hi, left, right)
    out_rows = []
    for i, r in enumerate(rows):
        y = r1(top + row_h * i + 32)
        has_ci = fmt.number(r.low) is not None and fmt.number(r.high) is not None
        value = fmt.est(r.estimate) + (f"  ({level} CI {fmt.ci(r.low, r.high)})" if has_ci else "")
        title = f"{r.label}: {value}" + (f" \u2014 {r.note}" if r.note else "")
        x = scale.clamp(r.estimate) if fmt.number(r.estimate) is not None else None
        out_rows.append(ForestRow(
            label=r.label, value=value, title=title, kind=r.kind, y=y, label_y=r1(y - 12), x=x,
            lo=scale.clamp(r.low) if has_ci else None, hi=scale.clamp(r.high) if has_ci else None,
        ))
    axis_y = r1(top + row_h * len(rows) + 16)
    out_refs = []
    for i, ref in enumerate(refs):
        x = scale.clamp(ref.value)
        band = fmt.number(ref.low) is not None and fmt.number(ref.high) is not None
        band_x = scale.clamp(ref.low) if band else None
        band_w = r1(scale.clamp(ref.high) - band_x) if band else None
        text = f"{ref.label} {fmt.est(ref.value)}"
        title = text + (f" ({level} CI {fmt.ci(ref.low, ref.high)})" if band else "")
        title += f" \u2014 {ref.note}" if ref.note else ""
        anchor = "end" if x > (left + right) / 2 else "start"
        out_refs.append(RefLine(x=x, label=text, title=title, kind=ref.kind, label_y=r1(16 + FONT_GAP * i),
                                anchor=anchor, band_x=band_x, band_w=band_w))
    return Forest(
        width=width, height=r1(axis_y + 40), left=left, right=right, top=top, axis_y=axis_y,
        label_x=left, value_x=right, axis_label=axis_label, desc=desc, rows=out_rows, refs=out_refs,
        ticks=ticks(scale, step, tick_label(step)),
    )


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    title: str


@dataclass
class Marker:
    x: float
    label: str
    title: str
    kind: str  # "observed", "estimate", "ceiling"
    off_scale: bool
    label_x: float
    label_y: float
    anchor: str


@dataclass
class Histogram:
    width: float
    height: float
    left: float
    right: float
    base_y: float
    top: float
    axis_label: str
    desc: str
    bars: list[Bar]
    markers: list[Marker]
    ticks: list[Tick]
    band_x: float | None = None
    band_w: float | None = None
    band_title: str = ""


@dataclass
class MarkInput:
    label: str
    value: float | None
    kind: str
    note: str = ""


def histogram_chart(values: Sequence[object], marks: Sequence[MarkInput], *, axis_label: str, desc: str,
                    band: tuple[object, object] | None = None, width: float = 320, height: float = 150,
                    bins: int = 24, value_fmt=fmt.sig) -> Histogram | None:  # noqa: ANN001
    """A histogram of ``values`` with marker lines; a mark far off the distribution is drawn at the
    edge with an arrow instead of squashing the histogram."""
    data = finite(values)
    if not data:
        return None
    d_lo, d_hi = min(data), max(data)
    span = (d_hi - d_lo) or abs(d_hi) or 1.0
    reach_lo, reach_hi = d_lo - 1.0 * span, d_hi + 1.0 * span
    within = [m.value for m in marks if fmt.number(m.value) is not None and reach_lo <= m.value <= reach_hi]
    lo, hi, step = nice_domain(data + within, target=4)
    left, right = 8.0, width - 8.0
    top = 8.0 + 18.0 * len(marks)
    base_y = height - 30.0
    scale = Scale(lo, hi, left, right)
    counts = histogram(data, lo, hi, bins)
    peak = max(counts) or 1
    bin_w = (hi - lo) / bins
    bars = []
    for i, c in enumerate(counts):
        if not c:
            continue
        x0, x1 = scale(lo + i * bin_w), scale(lo + (i + 1) * bin_w)
        h = r1((base_y - top) * c / peak)
        bars.append(Bar(x=x0, y=r1(base_y - h), w=r1(max(x1 - x0 - 0.6, 0.6)), h=h,
                        title=f"{value_fmt(lo + i * bin_w)} to {value_fmt(lo + (i + 1) * bin_w)}: "
                              f"{fmt.plural(c, 'draw')}"))
    markers: list[Marker] = []
    for m in marks:
        v = fmt.number(m.value)
        if v is None:
            continue
        off = not scale.contains(v)
        x = scale.clamp(v)
        anchor = "end" if x > (left + right) / 2 else "start"
        label = f"{m.label} {value_fmt(v)}" + (" (off scale)" if off else "")
        markers.append(Marker(x=x, label=label, title=label + (f" \u2014 {m.note}" if m.note else ""),
                              kind=m.kind, off_scale=off, label_x=r1(x - 4 if anchor == "end" else x + 4),
                              label_y=r1(20 + 18.0 * len(markers)), anchor=anchor))
    out = Histogram(width=width, height=height, left=left, right=right, base_y=r1(base_y), top=top,
                    axis_label=axis_label, desc=desc, bars=bars, markers=markers,
                    ticks=ticks(scale, step, tick_label(step)))
    if band and fmt.number(band[0]) is not None and fmt.number(band[1]) is not None:
        out.band_x = scale.clamp(band[0])
        out.band_w = r1(scale.clamp(band[1]) - out.band_x)
        out.band_title = f"confidence interval {fmt.ci(band[0], band[1])}"
    return out


@dataclass
class MiniCi:
    """A small interval glyph for a table cell; all rows of a table share one domain."""

    width: float
    height: float
    x: float | None
    lo: float | None
    hi: float | None
    zero: float | None
    title: str
    mid: float = 9.0


def mini_cis(items: Sequence[tuple[object, object, object]], titles: Sequence[str],
             width: float = 150, extra: Sequence[float] = ()) -> list[MiniCi]:
    values = finite([v for item in items for v in item] + list(extra))
    lo, hi, _ = nice_domain(values + [0.0], target=4)
    scale = Scale(lo, hi, 4.0, width - 4.0)
    zero = scale(0.0) if lo < 0 < hi else None
    out = []
    for (e, low, high), title in zip(items, titles):
        has = fmt.number(low) is not None and fmt.number(high) is not None
        out.append(MiniCi(width=width, height=18.0,
                          x=scale.clamp(e) if fmt.number(e) is not None else None,
                          lo=scale.clamp(low) if has else None, hi=scale.clamp(high) if has else None,
                          zero=zero, title=title))
    return out


@dataclass
class Dot:
    cx: float
    cy: float
    href: str
    title: str
    kind: str  # "high", "low", "mid"


@dataclass
class Scatter:
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    desc: str
    axis_label: str
    x_label: str
    dots: list[Dot]
    yticks: list[Tick]
    median_y: float | None
    median_label: str
    grid: list[float] = field(default_factory=list)


def ranked_scatter(entries: Sequence[tuple[float, str, str]], *, highlight: int = 5, desc: str,
                   median: float | None, width: float = 640, height: float = 260) -> Scatter:
    """Points sorted by value: ``entries`` are (value, href, hover) in the order to draw."""
    values = [e[0] for e in entries]
    lo, hi, step = nice_domain(values, target=5)
    left, right, top, bottom = 48.0, width - 10.0, 12.0, height - 34.0
    ys = Scale(lo, hi, bottom, top)
    n = len(entries)
    xs = Scale(0, max(n - 1, 1), left + 6, right - 6)
    dots = []
    for i, (value, href, hover) in enumerate(entries):
        kind = "low" if i < highlight else "high" if i >= n - highlight else "mid"
        dots.append(Dot(cx=xs(i) if n > 1 else r1((left + right) / 2), cy=ys(value), href=href,
                        title=hover, kind=kind))
    return Scatter(
        width=width, height=height, left=left, right=right, top=top, bottom=bottom, desc=desc,
        axis_label="similarity of the two answers",
        x_label=f"{fmt.plural(n, 'prompt')}, from least to most similar (click a point to read both answers)",
        dots=dots, yticks=ticks(ys, step, tick_label(step)),
        median_y=ys(median) if median is not None and ys.contains(median) else None,
        median_label=f"median {fmt.est(median)}" if median is not None else "",
    )


def share_bar(share: object, width: float = 120) -> float:
    v = fmt.number(share) or 0.0
    return r1(max(0.0, min(1.0, v)) * width)
