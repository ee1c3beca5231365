"""Each kind of report opened from disk in headless Chromium, with the network cut off: no
console message, no request leaves the page, the script runs, and screenshots are saved (desktop
and phone width) under tests/_artifacts/report/ for a person to look at."""

from __future__ import annotations

import re

import pytest
from report_support import artifacts_dir, chromium_or_skip, result_of, run_chromium

from stylesim.report import render_html

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1200, 4000), "phone": (390, 6000)}
URL_ATTR = re.compile(r"""\s(?:src|href|xlink:href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:|//|javascript:)""", re.I)


@pytest.mark.parametrize("kind", ["compare-panel", "compare-nopanel", "attribute-panel", "matrix", "reproduce-eqbench"])
@pytest.mark.parametrize("layout", sorted(WIDTHS))
def test_report_in_headless_chromium(tmp_path, kind, layout):
    chromium = chromium_or_skip()
    page = tmp_path / f"{kind}.html"
    page.write_text(render_html(result_of(kind)), encoding="utf-8")
    shot = artifacts_dir() / f"{kind}-{layout}.png"
    shot.unlink(missing_ok=True)
    width, height = WIDTHS[layout]
    run = run_chromium(chromium, page, shot, width, height)
    assert run.returncode == 0
    assert run.console == [], "console messages:\n" + "\n".join(run.console)
    assert run.page_requests == [], f"the page made network requests: {run.page_requests}"
    assert 'data-js="ready"' in run.dom.split(">", 2)[1], "the inline script did not run"
    assert URL_ATTR.search(run.dom) is None, "a URL attribute in the rendered DOM"
    assert '<p class="filter" hidden' not in run.dom, "filter boxes were not revealed by the script"
    assert 'class="sort"' in run.dom, "sortable headers were not set up"
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_a_malformed_address_fragment_does_not_stop_the_script(tmp_path):
    """A link to the report with a broken percent-escape after # threw URIError before 0.3.10, and
    the script stopped before it set the page up."""
    page = tmp_path / "compare.html"
    page.write_text(render_html(result_of("compare-panel")), encoding="utf-8")
    run = run_chromium(chromium_or_skip(), page, tmp_path / "shot.png", 1200, 2000, fragment="#%E0%A4%A")
    assert run.console == [], "console messages:\n" + "\n".join(run.console)
    assert 'data-js="ready"' in run.dom.split(">", 2)[1]


def test_harness_sees_requests_and_console_messages(tmp_path):
    """The checks above are not vacuous: a page that loads a remote image and logs is caught."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><body><img src="http://leak.example/x.png">'
                    '<script>console.error("boom")</script></body></html>', encoding="utf-8")
    run = run_chromium(chromium_or_skip(), page, tmp_path / "leaky.png", 400, 300)
    assert any("leak.example" in r for r in run.page_requests)
    assert any("boom" in line for line in run.console)


def _opened(tmp_path, kind, height):  # noqa: ANN001, ANN202
    """The sample result of ``kind`` rendered, opened at 1280 px wide; (result, browser run)."""
    chromium = chromium_or_skip()
    data = result_of(kind)
    page = tmp_path / f"{kind}.html"
    page.write_text(render_html(data), encoding="utf-8")
    return data, run_chromium(chromium, page, tmp_path / f"{kind}.png", 1280, height)


def test_matrix_dendrogram_is_drawn_with_supports(tmp_path):
    """The tree is an inline SVG: one elbow per merge, every model a leaf, supports on branches."""
    data, run = _opened(tmp_path, "matrix", 3000)
    assert run.returncode == 0
    svg = run.dom.split('<svg id="dendrogram"', 1)[1].split("</svg>", 1)[0]
    assert svg.count('class="branch"') == len(data["models"]) - 1
    assert svg.count('class="leaf"') == len(data["models"])
    assert re.search(r'class="support[^"]*"[^>]*>\d+<', svg)


def test_compare_headline_is_plain_and_first(tmp_path):
    _, run = _opened(tmp_path, "compare-panel", 900)
    headline = re.search(r'<h2 id="verdict-h" class="headline">(.*?)</h2>', run.dom, re.S).group(1)
    assert "nearest model among 7" in headline and "C(A,B)" not in headline
