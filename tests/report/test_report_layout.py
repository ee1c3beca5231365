"""Layout at a laptop width (1280 px), measured in headless Chromium: no table wider than its
container, no horizontal page scroll, no two SVG labels on top of each other. Checked on every
sample report and on STRESS results built from them: 60-character model names with slashes and
hyphens (as published model ids are), null distributions on a tiny scale (long tick labels), and a
30-model matrix."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from conftest import voice_rows, write_jsonl
from report_support import chromium_or_skip, measure_layout, result_of

from stylesim.report import render_html

pytestmark = pytest.mark.browser

SAMPLE_KINDS = ["compare-panel", "compare-nopanel", "attribute-panel", "attribute-nopanel", "matrix",
                "reproduce-eqbench"]


def long_name(i: int) -> str:
    """A 60-character model id, like the longest published ones."""
    name = f"snorkelai-{i:02d}/Snorkel-Programmatic-Alignment-Mistral-PairRM-DPO-v0.2-instruct"
    return name[:60]


def renamed(data: dict) -> dict:
    """``data`` with every model name (keys, values and inside sentences) replaced by a long id."""
    names = sorted({item["name"] for item in data["inputs"]}, key=len, reverse=True)
    mapping = {name: long_name(i) for i, name in enumerate(names)}
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    return json.loads(pattern.sub(lambda m: mapping[m.group(1)], json.dumps(data, ensure_ascii=False)))


def tiny_nulls(data: dict) -> dict:
    """Null distributions a hundred times narrower: tick labels such as "-0.00050"."""
    data = copy.deepcopy(data)
    for family in data.get("families", {}).values():
        test = family.get("test") or {}
        if test.get("null"):
            test["null"] = [v / 100 for v in test["null"]]
    return data


def matrix_of_30(folder: Path) -> dict:
    """A real 30-model matrix result (synthetic voices), every model with a 60-character id."""
    from stylesim.panel import similarity_matrix

    paths = [str(write_jsonl(folder / f"m{i:02d}.jsonl",
                             voice_rows(long_name(i), "plain" if i % 3 else "fancy", seed=i)))
             for i in range(30)]
    return similarity_matrix(paths, n_resamples=20, n_permutations=50, embeddings=False, seed=0).to_dict()


def stress_result(kind: str, folder: Path) -> dict:
    if kind == "matrix":
        result_of("matrix")  # skips when this build has no matrix command
        return matrix_of_30(folder)
    return tiny_nulls(renamed(result_of(kind)))


def assert_fits(measured: dict) -> None:
    wide = [t for t in measured["tables"] if t["width"] > t["room"] + 1]
    assert not wide, f"tables wider than their container: {wide}"
    scroll, inner = measured["page"]
    assert scroll <= inner, f"the page scrolls sideways: {scroll} px of content in {inner} px"
    assert measured["overlaps"] == [], f"overlapping SVG labels: {measured['overlaps'][:10]}"


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_sample_reports_fit_a_laptop_screen(tmp_path, kind):
    chromium = chromium_or_skip()
    assert_fits(measure_layout(chromium, render_html(result_of(kind)), tmp_path))


@pytest.mark.parametrize("kind", ["compare-panel", "compare-nopanel", "attribute-panel", "matrix",
                                  "reproduce-eqbench"])
def test_stress_reports_fit_a_laptop_screen(tmp_path, kind):
    chromium = chromium_or_skip()
    data = stress_result(kind, tmp_path)
    if kind == "matrix":
        assert len(data["models"]) == 30
    assert all(len(item["name"]) == 60 for item in data["inputs"])
    html = render_html(data)
    assert long_name(0) in html  # full names stay on the page (tooltips), shortened or not
    assert_fits(measure_layout(chromium, html, tmp_path))


@pytest.mark.parametrize("kind", ["compare-panel", "attribute-panel", "matrix", "reproduce-eqbench"])
@pytest.mark.parametrize("width", [1280, 760])
def test_table_headers_never_break_inside_a_word(tmp_path, kind, width):
    """A narrow window may wrap a header between words ("Mutual / nearest"), never inside one
    ("Mutua / l neare / st", as the reproduce report did at 760 px)."""
    measured = measure_layout(chromium_or_skip(), render_html(result_of(kind)), tmp_path, width=width)
    assert measured["broken_headers"] == []


@pytest.mark.parametrize("kind", ["compare-panel", "attribute-panel", "matrix", "reproduce-eqbench"])
def test_on_a_phone_tables_scroll_rather_than_break_words(tmp_path, kind):
    """At 375 px a wide table scrolls sideways in its own box; before 0.3.10 its columns were
    squeezed until headers and cells broke inside words ("agr / ee / me / nt", "Charact / er")."""
    measured = measure_layout(chromium_or_skip(), render_html(result_of(kind)), tmp_path, width=375)
    assert measured["broken_headers"] == []
    assert measured["broken_cells"] == []
    scroll, inner = measured["page"]
    assert scroll <= inner, f"the page scrolls sideways: {scroll} px of content in {inner} px"


def test_on_a_phone_one_long_word_does_not_widen_a_table(tmp_path):
    """A model name that is one 2,000-character word made tables about 3,600 px wide at phone width
    (cells there wrap between words only, and that alone does not narrow a cell), before 0.3.17."""
    data = result_of("compare-panel")
    pattern = re.compile(r"(?<![\w.-])" + re.escape(data["models"]["a"]) + r"(?![\w-])")
    data = json.loads(pattern.sub("x" * 2000, json.dumps(data, ensure_ascii=False)))
    measured = measure_layout(chromium_or_skip(), render_html(data), tmp_path, width=375)
    assert measured["tables"]
    widest = max(measured["tables"], key=lambda t: t["width"])
    assert widest["width"] <= 1600, widest
    scroll, inner = measured["page"]
    assert scroll <= inner, f"the page scrolls sideways: {scroll} px of content in {inner} px"
