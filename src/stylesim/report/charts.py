"""Chart view-models: every coordinate, tick and hover text, computed here, drawn by templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import fmt
from .svg import (
    Scale,
    Tick,
    finite,
    fit_text,
    fitted_ticks,
    histogram,
    nice_domain,
    r1,
    text_width,
    tick_label,
    ticks,
)

FONT_GAP = 20  # vertical room for one line of chart text, in user units
# Font sizes in user units, as report.css sets them: svg.forest.wide 15px and .narrow 13.5px, with
# row text at .95em and reference labels at .85em (semibold); svg.histogram 12px, .wide 12.5px, with
# marker labels at .95em (bold); axis labels at .9em. Labels are shortened to the room these sizes leave.
FOREST_FONT = {"wide": 15.0, "narrow": 13.5}
ROW_EM, REF_EM, MARK_EM, AXIS_EM = 0.95, 0.85, 0.95, 0.9
HIST_FONT = {"small": 12.0, "wide": 12.5, "narrow": 12.0}


@dataclass
class ForestRow:
    label: str
    value: str
    title: str
    kind: str  # "target" (the pair in question), "other" (compared models), "panel" (reference)
    y: float
    label_y: float
    value_y: float
    hit_y: float
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
    dx: float
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
    plot_h: float
    mid: float
    row_h: float
    label_x: float
    value_x: float
    value_anchor: str
    axis_label: str
    desc: str
    rows: list[ForestRow]
    refs: list[RefLine]
    ticks: list[Tick]
    spoken: str = ""  # desc and every row's and reference's numbers: the text alternative of the chart


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
    show_value: bool = True


def forest(rows: Sequence[ForestInput], refs: Sequence[RefInput], *, axis_label: str, desc: str,
           level: str = "95%", compact: bool = False) -> Forest:
    """Rows of estimates with whiskers on one axis, with vertical reference lines and bands.

    ``compact`` lays it out for a phone: narrower, with each row's numbers under its name.
    """
    width = 360.0 if compact else 640.0
    size = FOREST_FONT["narrow" if compact else "wide"]
    values = finite([v for r in rows for v in (r.estimate, r.low, r.high)]
                    + [v for r in refs for v in (r.value, r.low, r.high)])
    lo, hi, step = nice_domain(values + [0.0], target=4 if compact else 6)
    left, right = 16.0, width - 16.0
    placed = [(r, v) for r, v in ((r, fmt.number(r.value)) for r in refs) if v is not None]
    top = 10.0 + FONT_GAP * len(placed)
    row_h = 58.0 if compact else 44.0
    scale = Scale(lo, hi, left, right)
    out_rows = []
    for i, r in enumerate(rows):
        y = r1(top + row_h * (i + 1) - 12)
        lo_x, hi_x = scale.at(r.low), scale.at(r.high)
        has_ci = lo_x is not None and hi_x is not None
        value = fmt.est(r.estimate) + (f"  ({level} CI {fmt.ci(r.low, r.high)})" if has_ci else "")
        title = f"{r.label}: {value}" + (f" \u2014 {r.note}" if r.note else "")
        label_y = r1(y - 30) if compact else r1(y - 12)
        # Wide: the name and the numbers share a line; compact: the name has the line to itself.
        room = right - left - (0.0 if compact else text_width(value, size * ROW_EM) + 2 * size)
        out_rows.append(ForestRow(
            label=fit_text(r.label, room, size * ROW_EM, bold=r.kind == "target"), value=value, title=title,
            kind=r.kind, y=y, label_y=label_y,
            value_y=r1(y - 13) if compact else label_y, hit_y=r1(y - row_h + 12), x=scale.at(r.estimate),
            lo=lo_x if has_ci else None, hi=hi_x if has_ci else None,
        ))
    axis_y = r1(top + row_h * len(rows) + 6)
    out_refs = []
    for i, (ref, ref_value) in enumerate(placed):
        x = scale.clamp(ref_value)
        band_lo, band_hi = scale.at(ref.low), scale.at(ref.high)
        band = band_lo is not None and band_hi is not None
        band_x = band_lo if band else None
        band_w = r1(band_hi - band_lo) if band_lo is not None and band_hi is not None else None
        text = f"{ref.label} {fmt.est(ref.value)}" if ref.show_value else ref.label
        title = text + (f" ({level} CI {fmt.ci(ref.low, ref.high)})" if band else "")
        title += f" \u2014 {ref.note}" if ref.note else ""
        anchor = "end" if x > (left + right) / 2 else "start"
        room = x - 7 if anchor == "end" else width - x - 7
        out_refs.append(RefLine(x=x, label=fit_text(text, room, size * REF_EM, bold=True), title=title,
                                kind=ref.kind, label_y=r1(16 + FONT_GAP * i),
                                anchor=anchor, dx=-5.0 if anchor == "end" else 5.0, band_x=band_x,
                                band_w=band_w))
    return Forest(
        width=width, height=r1(axis_y + 44), left=left, right=right, top=top, axis_y=axis_y,
        plot_h=r1(axis_y - top), mid=r1(width / 2), row_h=row_h, label_x=left,
        value_x=left if compact else right, value_anchor="start" if compact else "end",
        axis_label=fit_text(axis_label, width - 8, size * AXIS_EM), desc=desc, rows=out_rows, refs=out_refs,
        ticks=fitted_ticks(scale, step, size, width),
        spoken=" ".join([desc.rstrip(".") + "."] + [f"{item.title}." for item in [*out_rows, *out_refs]]),
    )


@dataclass
class Responsive:
    """The same chart laid out twice: for wide screens (and print) and for phones."""

    wide: Any
    narrow: Any


def forest_pair(rows: Sequence[ForestInput], refs: Sequence[RefInput], **kwargs: Any) -> Responsive:
    return Responsive(wide=forest(rows, refs, **kwargs), narrow=forest(rows, refs, compact=True, **kwargs))


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
    plot_h: float = 0.0
    mid: float = 0.0
    size: str = "small"
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
                    bins: int = 24, value_fmt=fmt.sig, size: str = "small") -> Histogram | None:  # noqa: ANN001
    """A histogram of ``values`` with marker lines; a mark far off the distribution is drawn at the
    edge with an arrow instead of squashing the histogram."""
    data = finite(values)
    if not data:
        return None
    font = HIST_FONT.get(size, 12.0)
    d_lo, d_hi = min(data), max(data)
    span = (d_hi - d_lo) or abs(d_hi) or 1.0
    reach_lo, reach_hi = d_lo - 1.0 * span, d_hi + 1.0 * span
    within = [v for v in finite(m.value for m in marks) if reach_lo <= v <= reach_hi]
    lo, hi, step = nice_domain(data + within, target=4)
    left, right = 24.0, width - 24.0
    top = 8.0 + 18.0 * len(marks)
    # Room under the axis for the tick labels and, below them, the axis label (they must not touch).
    base_y = height - 36.0
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
        room = x - 4 if anchor == "end" else width - x - 4
        markers.append(Marker(x=x, label=fit_text(label, room, font * MARK_EM, bold=True),
                              title=label + (f" \u2014 {m.note}" if m.note else ""),
                              kind=m.kind, off_scale=off, label_x=r1(x - 4 if anchor == "end" else x + 4),
                              label_y=r1(20 + 18.0 * len(markers)), anchor=anchor))
    out = Histogram(width=width, height=height, left=left, right=right, base_y=r1(base_y), top=top,
                    axis_label=fit_text(axis_label, width - 8, font * AXIS_EM), desc=desc, bars=bars, markers=markers,
                    ticks=fitted_ticks(scale, step, font, width), plot_h=r1(base_y - top), mid=r1(width / 2),
                    size=size)
    band_lo, band_hi = (scale.at(band[0]), scale.at(band[1])) if band else (None, None)
    if band and band_lo is not None and band_hi is not None:
        out.band_x, out.band_w = band_lo, r1(band_hi - band_lo)
        out.band_title = f"confidence interval {fmt.ci(band[0], band[1])}"
    return out


def histogram_pair(values: Sequence[object], marks: Sequence[MarkInput], **kwargs: Any) -> Responsive | None:
    """A wide and a phone-sized histogram of the same data."""
    wide = histogram_chart(values, marks, width=640, height=190, bins=40, size="wide", **kwargs)
    narrow = histogram_chart(values, marks, width=360, height=170, bins=30, size="narrow", **kwargs)
    return Responsive(wide=wide, narrow=narrow) if wide and narrow else None


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
    bottom: float = 17.0


def mini_cis(items: Sequence[tuple[object, object, object]], titles: Sequence[str],
             width: float = 150, extra: Sequence[float] = ()) -> list[MiniCi]:
    values = finite([v for item in items for v in item] + list(extra))
    lo, hi, _ = nice_domain(values, target=4, pad=0.05)
    scale = Scale(lo, hi, 4.0, width - 4.0)
    zero = scale(0.0) if lo < 0 < hi else None
    out = []
    for (e, low, high), title in zip(items, titles):
        lo_x, hi_x = scale.at(low), scale.at(high)
        has = lo_x is not None and hi_x is not None
        out.append(MiniCi(width=width, height=18.0, x=scale.at(e), lo=lo_x if has else None,
                          hi=hi_x if has else None, zero=zero, title=title))
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
    plot_h: float = 0.0
    plot_w: float = 0.0
    mid: float = 0.0
    r: float = 4.5
    density: str = "sparse"


def ranked_scatter(entries: Sequence[tuple[float, str, str]], *, highlight: int = 5, desc: str,
                   median: float | None, width: float = 640, height: float = 260) -> Scatter:
    """Points sorted by value: ``entries`` are (value, href, hover) in the order to draw."""
    values = [e[0] for e in entries]
    lo, hi, step = nice_domain(values, target=5)
    left, right, top, bottom = 48.0, width - 10.0, 12.0, height - 12.0
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
        axis_label="Up: how similar the two answers to a prompt are.",
        x_label=f"Across: {fmt.plural(n, 'prompt')}, from least to most similar. Click a point to read both answers.",
        dots=dots, yticks=ticks(ys, step, tick_label(step)),
        median_y=ys(median) if median is not None and ys.contains(median) else None,
        median_label=f"median {fmt.est(median)}" if median is not None else "",
        plot_h=r1(bottom - top), plot_w=r1(right - left), mid=r1((left + right) / 2),
        r=r1(min(4.5, max(2.2, 700 / max(n, 1)))), density="dense" if n > 150 else "sparse",
    )


def share_bar(share: object, width: float = 60) -> float:
    v = fmt.number(share) or 0.0
    return r1(max(0.0, min(1.0, v)) * width)
