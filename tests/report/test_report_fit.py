"""Text that must fit its room, checked on estimated widths (no browser): long model names in charts
and heatmaps, long tick labels, the hygiene table at many models, and emoji spelled out in tables."""

from __future__ import annotations

import time

import pytest
from report_support import result_of

from stylesim.report import fmt, render_html
from stylesim.report.charts import (
    FOREST_FONT,
    HIST_FONT,
    REF_EM,
    ROW_EM,
    ForestInput,
    MarkInput,
    RefInput,
    forest,
    histogram_chart,
)
from stylesim.report.common import data_section, openers_table, phrases
from stylesim.report.heatmap import FONT, GAP, MIN_ROW, WIDTH, heatmap
from stylesim.report.svg import ELLIPSIS, fit_text, text_width

LONG = "snorkelai/Snorkel-Programmatic-Alignment-Mistral-PairRM-DPO"


def _spans(ticks, size):  # noqa: ANN001, ANN202
    out = []
    for t in ticks:
        w = text_width(t.label, size)
        start = t.pos if t.anchor == "start" else t.pos - w if t.anchor == "end" else t.pos - w / 2
        out.append((start, start + w))
    return out


def test_fit_text_keeps_what_fits_and_shortens_the_rest_in_the_middle():
    assert fit_text("lyra-13b", 200, 14) == "lyra-13b"
    short = fit_text(LONG, 200, 14)
    assert short != LONG and ELLIPSIS in short and text_width(short, 14) <= 200
    assert short.startswith("snorkelai/") and short.endswith(LONG[-3:])
    assert text_width(fit_text(LONG, 200, 14, bold=True), 14, bold=True) <= 200
    start = time.perf_counter()
    assert text_width(fit_text("W" * 20_000, 300, 12), 12) <= 300  # an untrusted 20,000-character name
    assert time.perf_counter() - start < 0.5
    assert text_width("a  b", 10) == text_width("a b", 10)  # SVG collapses runs of spaces


@pytest.mark.parametrize("compact", [False, True])
def test_forest_labels_never_reach_the_numbers(compact):
    rows = [ForestInput(LONG + f"-{i}", -0.002, -0.009, 0.004, "target" if i == 0 else "panel") for i in range(4)]
    refs = [RefInput("panel median", 0.001, "median"),
            RefInput(f"1 = {LONG}'s self-similarity", 0.9, "ceiling", show_value=False)]
    chart = forest(rows, refs, axis_label="x", desc="d", compact=compact)
    size = FOREST_FONT["narrow" if compact else "wide"] * ROW_EM
    for row, source in zip(chart.rows, rows):
        label_w = text_width(row.label, size, bold=row.kind == "target")
        assert row.label != source.label and source.label in row.title  # shortened; full name in the tooltip
        if compact:
            assert chart.label_x + label_w <= chart.width
        else:
            assert chart.label_x + label_w + 8 <= chart.value_x - text_width(row.value, size)
    for ref in chart.refs:
        w = text_width(ref.label, FOREST_FONT["narrow" if compact else "wide"] * REF_EM, bold=True)
        assert (ref.x + ref.dx - w >= 0) if ref.anchor == "end" else (ref.x + ref.dx + w <= chart.width)
    spans = _spans(chart.ticks, FOREST_FONT["narrow" if compact else "wide"])
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize("spread", [6e-4, 5e-5, 3e-6, 0.04, 12.0, 4500.0])
def test_small_histogram_tick_labels_do_not_touch(spread):
    null = [spread * (i / 50 - 1) for i in range(101)]
    chart = histogram_chart(null, [MarkInput("observed", spread * 40, "observed")], axis_label="t", desc="d")
    spans = _spans(chart.ticks, HIST_FONT["small"])
    assert len(chart.ticks) >= 2
    assert all(a[1] + 4 <= b[0] for a, b in zip(spans, spans[1:])), [t.label for t in chart.ticks]
    assert spans[0][0] >= 0 and spans[-1][1] <= chart.width
    marker = chart.markers[0]
    assert marker.x - text_width(marker.label, HIST_FONT["small"] * 0.95, bold=True) >= 0


def _matrix(n: int) -> tuple[list[list[float]], list[str]]:
    names = [f"{LONG}-{i:03d}" for i in range(n)]
    matrix = [[1.0 if i == j else round(((i * 7 + j * 3) % 11 - 5) / 10, 3) for j in range(n)] for i in range(n)]
    return matrix, names


@pytest.mark.parametrize("n", [2, 8, 26, 30, 120])
def test_heatmap_fits_the_page_at_any_number_of_models(n):
    matrix, names = _matrix(n)
    order = list(reversed(names))
    h = heatmap(matrix, names, order, "t-heat", "caption")
    assert h.width <= WIDTH and h.names == order and [r.name for r in h.rows] == order
    assert h.numbered  # 60-character names never fit above a column
    assert all(r.index == str(i + 1) for i, r in enumerate(h.rows))
    assert h.rows[1].y - h.rows[0].y >= MIN_ROW - 0.1
    assert all(h.name_x + text_width(r.label, FONT) + GAP <= h.grid_x for r in h.rows)
    spans = [(c.x - text_width(c.label, FONT) / 2, c.x + text_width(c.label, FONT) / 2) for c in h.columns]
    assert spans and all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
    assert all(len(r.cells) == n for r in h.rows)
    assert h.rows[0].cells[0].cls == "heat diag"
    cell = h.rows[0].cells[1]
    assert cell.title.startswith(f"{names[-1]} \u00d7 {names[-2]}: ")
    if n >= 26:
        assert all(c.text == "" for r in h.rows for c in r.cells)  # too small for numbers: tooltips only


def test_short_names_label_the_columns_and_values_sit_in_the_cells():
    names = ["lyra", "sage", "atlas"]
    h = heatmap([[1, 0.2, -0.1], [0.2, 1, 0.05], [-0.1, 0.05, 1]], names, names, "t-heat", "caption")
    assert not h.numbered and [c.label for c in h.columns] == names
    assert h.rows[0].cells[1].text == "0.20" and h.rows[0].index == ""


def test_hygiene_table_has_one_row_per_model_and_short_headings():
    data = result_of("matrix")
    table = data_section(data).hygiene
    assert [r[0].text for r in table.rows] == list(data["hygiene"])
    assert table.columns[0].label == "Model"
    assert all(len(c.label) <= 10 and c.title for c in table.columns[1:])
    assert "Read: records read" in table.note


def test_emoji_are_spelled_out_with_the_original_in_the_tooltip():
    assert fmt.token("ready for launch \U0001F680") == ("ready for launch [ROCKET]", "ready for launch \U0001F680")
    assert fmt.token("\U0001F44D\U0001F3FD\uFE0F great")[0] == "[THUMBS UP SIGN] great"
    assert fmt.token("\U0001F1FA\U0001F1F8")[0] == "[FLAG US]"
    assert fmt.token("\u2705 done")[0] == "[WHITE HEAVY CHECK MARK] done"
    assert fmt.token("caf\u00e9 \u2014 \u201cok\u201d \u2192 x") == ("caf\u00e9 \u2014 \u201cok\u201d \u2192 x", "")
    assert fmt.token(None) == ("n/a", "")


def test_emoji_in_openers_and_phrases_render_readably():
    table = openers_table("m", "openers", [{"text": "hi \U0001F44B", "count": 3, "share": 0.5}], "t-open-0")
    assert table.rows[0][0].text == "hi [WAVING HAND SIGN]" and table.rows[0][0].title == "hi \U0001F44B"
    block = phrases({"shared": [{"phrase": "let's go \U0001F680", "count_a": 2, "count_b": 3}],
                     "a_only": [{"phrase": "\u2728 magic", "count_a": 4, "count_b": 0}], "b_only": []}, "a", "b", {})
    assert block.shared[0].phrase == "let's go [ROCKET]" and block.shared[0].phrase_title == "let's go \U0001F680"
    assert block.own[0].rows[0].phrase == "[SPARKLES] magic"
    data = result_of("compare-panel")
    data = {**data, "openers_closers": {name: {"openers": [{"text": "\U0001F680 launch", "count": 1, "share": 0.1}],
                                               "closers": []} for name in data["openers_closers"]}}
    html = render_html(data)
    assert 'title="\U0001F680 launch">[ROCKET] launch</th>' in html


def test_matrix_heatmaps_are_accessible_svg_with_a_table_equivalent():
    data = result_of("matrix")
    html = render_html(data)
    n = len(data["models"])
    # The drawings are SVGs (they fit 1280 px); their values follow in one folded table of pairs,
    # for screen readers and for copying: every pair once in the drawing's order, then each model
    # with itself, one column per heatmap.
    table = html.split('<table id="t-pairs"', 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="col"') == 2 + 2 + len(data["families"])
    rows = table.split("<tbody>", 1)[1].split("<tr>")[1:]
    assert len(rows) == n * (n - 1) // 2 + n
    order = data["tree"]["order"]
    a, b = data["models"].index(order[0]), data["models"].index(order[1])
    assert f"<th scope=\"row\">{order[0]}</th>" in rows[0] and f"<td>{order[1]}</td>" in rows[0]
    assert f'>{fmt.est(data["matrix"][a][b])}</td>' in rows[0]
    assert f'>{fmt.est(data["resemblance"][a][a])}</td>' in rows[n * (n - 1) // 2]  # self-similarity
    assert "numbers are also in the table of pairs under the heatmaps" in html  # the reading guide says so
    assert "Every pair as a table" in html.split('<svg id="t-heat"', 1)[1].split("</title>", 1)[0]
    for tid in ["t-heat", "t-heat-res"] + [f"t-heat-{i}" for i in range(len(data.get("families", {})))]:
        head = html.split(f'<svg id="{tid}" class="heatmap"', 1)[1].split(">", 1)[0]
        assert 'role="img"' in head and 'aria-label="' in head and 'viewBox="0 0 ' in head
    svg = html.split('<svg id="t-heat" class="heatmap"', 1)[1].split("</svg>", 1)[0]
    assert svg.count('<rect class="heat ') == len(data["models"]) ** 2
    assert svg.count("<title>") == 1 + len(data["models"]) ** 2 + 2 * len(data["models"])  # chart, cells, names


def test_the_table_of_pairs_stops_at_forty_models_and_reads_malformed_matrices_as_missing():
    from stylesim.report.matrix_view import PAIR_TABLE_MODELS, _pairs

    names = [f"m{i}" for i in range(PAIR_TABLE_MODELS + 1)]
    square = [[0.0] * len(names) for _ in names]
    assert _pairs({"matrix": square}, names, names) is None  # the JSON holds every value
    two = _pairs({"matrix": [[None, 0.25], [0.25, None]], "resemblance": [[1.0], [0.5, 1.0]],
                  "self_agreement": [0.5, None]}, ["a", "b"], ["a", "b"])
    assert [[c.text for c in row] for row in two.rows] == [  # a's resemblance row is one short
        ["a", "b", "0.250", "n/a"], ["a", "itself", "0.500", "1.000"], ["b", "itself", "n/a", "1.000"]]
    assert _pairs({"matrix": square[:3]}, names[:2], names[:2]).columns[2:] == []  # wrong size: left out
