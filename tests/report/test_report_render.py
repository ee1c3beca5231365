"""The HTML report: content, determinism, self-containment and missing optional blocks."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from report_support import minimal_result, result_of

from stylesim.errors import ConfigurationError
from stylesim.report import fmt, render_html
from stylesim.report.viewmodel import build_view


class Page(HTMLParser):
    """Collects tags, attributes, ids, script and style bodies of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == self._in:
            self._in = None

    def handle_data(self, data):  # noqa: ANN001
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if a.get("id")]

    def attr_values(self, name: str) -> list[str]:
        return [a[name] or "" for _, a in self.tags if name in a]


def roundtrip(data: dict) -> dict:
    return json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


KINDS = ["compare-panel", "compare-nopanel", "attribute-panel", "attribute-nopanel", "matrix", "reproduce-eqbench"]


@pytest.mark.parametrize("kind", KINDS)
def test_renders_every_kind_deterministically(kind):
    data = result_of(kind)
    first = render_html(data)
    assert first == render_html(copy.deepcopy(data)) == render_html(roundtrip(data))
    assert first.startswith("<!DOCTYPE html>")
    page = Page(first)
    assert len(page.ids()) == len(set(page.ids())), "duplicate element ids"
    # The verdict comes first and the caveats are on the page, not hidden in a <details>.
    assert first.index('id="verdict"') < first.index('id="data"') < first.index("<footer")
    assert "not proof of distillation" in first
    assert "Read this before quoting the result" in first


@pytest.mark.parametrize("kind", KINDS)
def test_page_is_self_contained_and_locked_down(kind):
    html = render_html(result_of(kind))
    page = Page(html)
    tags = {t for t, _ in page.tags}
    assert not tags & {"img", "iframe", "link", "object", "embed", "base", "form", "video", "audio", "source"}
    assert len(page.scripts) == 1 and len(page.styles) == 1
    assert all("src" not in a for t, a in page.tags if t == "script")
    for name in ("href", "src", "xlink:href", "action", "srcset", "poster"):
        for value in page.attr_values(name):
            assert value.startswith("#"), f"{name}={value!r} points off the page"
    assert not any(k.startswith("on") for _, a in page.tags for k in a), "inline event handler"
    assert not any("style" in a for _, a in page.tags), "style attribute (blocked by the CSP)"
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert f"script-src {_sha(page.scripts[0])}" in csp
    assert f"style-src {_sha(page.styles[0])}" in csp
    assert re.search(r"url\(|@import", page.styles[0]) is None


def test_compare_with_panel_sections():
    data = result_of("compare-panel")
    html = render_html(data)
    ids = set(Page(html).ids())
    for section in ("verdict", "position", "families", "tests", "phrases", "formatting", "openers",
                    "ablations", "prompts", "identity", "stylometry", "data", "most-similar", "least-similar"):
        assert section in ids, section
    # Permutation p-values at their floor 1/(B + 1) are bounds, not values; others are values.
    floor = 1 / (data["parameters"]["permutations"] + 1)
    shown = f"(p \u2264 {fmt.pval(floor)})"
    assert (shown in html) == (data["equality"]["pvalue"] <= floor + 1e-6)
    above = {**data, "equality": {**data["equality"], "pvalue": 0.5}}
    assert "All families combined (p = 0.5)" in render_html(above)
    # The percentile level behind the intervals (0.3.14) is listed beside the confidence it serves.
    level = data["parameters"]["interval_level"]
    assert f"widened for few prompts; Hesterberg 2015)</th><td>{100 * level:.2f}%" in html
    view = build_view(data)
    assert view.position is not None and view.closeness is not None and view.bootstrap is None
    # The rank is by t, and its card says so (a review read "by agreement" beside a larger raw
    # agreement ranked below, before 0.3.17).
    rank = next(f for f in view.figures if f.label.startswith("Rank by"))
    assert rank.label == "Rank by studentised agreement"
    assert rank.value == f"{data['panel']['rank']} of {data['panel']['n']}"
    # ... and how often B comes first over prompt resamples (0.3.17), also beside each forest row.
    b_row = next(m for m in data["panel"]["models"] if m["name"] == data["models"]["b"])
    assert rank.note == f"p = {fmt.pval(data['panel']['pvalue'])}; first in {fmt.percent(b_row['top_share'])} of prompt resamples"
    names = [r.label for r in view.position.wide.rows]
    assert names[0] == data["models"]["b"] and "atlas-7b" in names
    assert {r.kind for r in view.position.wide.refs} == {"median", "ceiling"}
    # The primary ranking: every model's same-prompt agreement with A, B first (closest in the demo).
    assert view.agreement is not None
    assert [r.label for r in view.agreement.wide.rows] == [m["name"] for m in data["panel"]["models"]]
    assert view.agreement.wide.rows[0].label == data["models"]["b"]
    assert all("of prompt resamples" in row.title for row in view.agreement.wide.rows)
    labels = [c.label for c in view.families_agreement.columns]
    assert labels == ["Feature family", "Agreement", "95% CI", "Rank"]
    assert [c.label for c in view.families.columns] == [
        "Feature family", "Resemblance (centred)", "95% CI", "p (equality)", "Holm p", "Rank"]
    for table in (view.families_agreement, view.families):
        assert all(len(row) == len(table.columns) for row in table.rows)
    first = data["families"][next(iter(data["families"]))]
    assert view.families_agreement.rows[0][1].text == fmt.est(first["agreement"]["estimate"])
    assert view.families_agreement.rows[0][3].text.startswith(f"{first['agreement']['panel_rank']} of ")
    assert view.families.rows[0][1].text == fmt.est(first["resemblance"]["centred"]["estimate"])
    # Ranks by agreement carry their exact p-value; ranks by resemblance are descriptive (models of
    # more or less distinctive general style are not exchangeable there), so they carry none.
    assert view.families_agreement.rows[0][3].sub == f"p = {fmt.pval(first['agreement']['panel_pvalue'])}"
    assert view.families.rows[0][5].text.startswith(f"{first['panel_rank']} of ") and view.families.rows[0][5].sub == ""
    assert "descriptive, with no p-value" in (view.families.columns[5].title or "")
    assert all(len(row) == len(view.ablations.columns) for row in view.ablations.rows)
    assert view.profiles is not None and "t-profiles" in ids
    assert [r[0].text for r in view.profiles.rows] == data["lexical_profiles"]["models"]
    assert all(len(row) == len(view.profiles.columns) == 5 for row in view.profiles.rows)
    # Each per-prompt entry is reachable without scripts: a <details> with an id the plot links to.
    assert len(view.prompts.listed) == len(data["per_prompt"])
    hrefs = {d.href for d in view.prompts.scatter.dots}
    assert hrefs == {f"#p-{i + 1}" for i in range(len(data["per_prompt"]))}
    assert all(f'<details id="p-{i + 1}">' in html for i in range(len(data["per_prompt"])))
    # Most / least similar: top and bottom five by per-prompt agreement (centred on the panel), side by side.
    sims = sorted(p["agreement"] for p in data["per_prompt"])
    assert [float(p.similarity) for p in view.prompts.most] == pytest.approx(sims[::-1][:5], abs=1e-3)
    assert [float(p.similarity) for p in view.prompts.least] == pytest.approx(sims[:5], abs=1e-3)
    # Null distributions for every tested family, plus the combined test.
    assert len(view.nulls) == sum(1 for f in data["families"].values() if f.get("test"))
    assert view.equality is not None and view.equality.chart is not None


def test_compare_without_panel_says_there_is_no_floor():
    data = result_of("compare-nopanel")
    html = render_html(data)
    view = build_view(data)
    assert view.position is None and view.bootstrap is not None
    assert "there is no floor" in html
    assert "Rank in panel" not in html
    assert view.stylometry is not None


def test_a_one_model_panel_ranks_by_resemblance_and_says_so():
    """With one panel model agreement has no background, so the rank is by resemblance; up to
    0.3.14 the page still said "Rank by agreement" and drew an agreement chart of n/a rows."""
    from pathlib import Path

    import stylesim

    samples = Path(__file__).resolve().parents[2] / "samples"
    data = stylesim.compare(samples / "lyra.jsonl", samples / "lyra-distill.jsonl", panel=[samples / "atlas.jsonl"],
                            embeddings=False, n_resamples=30, n_permutations=30).to_dict()
    assert data["panel"]["statistic"] == "resemblance"
    html = render_html(data)
    assert "Rank by resemblance" in html and "Rank by studentised agreement" not in html
    assert "Same-prompt agreement (the ranking)" not in html
    assert build_view(data).agreement is None


def test_attribute_sections():
    data = result_of("attribute-panel")
    view = build_view(data)
    html = render_html(data)
    assert view.forest is not None
    kinds = [r.kind for r in view.forest.wide.rows]
    assert kinds[:2] == ["target", "other"] and set(kinds[2:]) == {"panel"} and len(kinds) == 7
    # Ranked by same-prompt agreement, which has no self-similarity ceiling with one sample per prompt.
    assert data["candidates"][0]["statistic"] == "agreement"
    assert {r.kind for r in view.forest.wide.refs} == {"median"}
    assert view.forest.wide.rows[0].value.startswith(fmt.est(data["candidates"][0]["score"]) + " ")
    assert "Agreement" in [c.label for c in view.candidates.columns]
    assert f"Phrases that tie {data['models']['student']} to {data['phrases']['candidate']}" in html
    assert "p vs panel" in html
    # One model left out at a time: a row for each other candidate and panel model, the top's numbers.
    block = data["leave_one_out"]
    assert view.robustness is not None and len(view.robustness.rows) == block["analyses"] == 6
    assert 'id="robustness"' in html and f"stays the top candidate in {block['stays_top']} of 6" in html
    assert [row[0].text for row in view.robustness.rows] == [r["left_out"] for r in block["runs"]]
    # Half of the panel left out: every way of keeping 2 of the 5 panel models, one row each.
    half = data["half_panel"]
    assert half["computed"] and half["exhaustive"] and half["draws"] == 10
    assert view.half_panel is not None and len(view.half_panel.rows) == 10
    assert [row[0].text for row in view.half_panel.rows] == [", ".join(r["left_out"]) for r in half["runs"]]
    assert "<h3>Half of the panel left out</h3>" in html
    assert f"All 10 ways of keeping 2 of the 5 panel models were run. {half['candidate']} stays" in view.half_panel_note
    assert "with 2 panel models the smallest possible is 0.5" in view.half_panel_note
    nopanel = build_view(result_of("attribute-nopanel"))
    # Three models are ranked by resemblance: the section says why there is no view.
    assert nopanel.robustness is None and nopanel.half_panel is None
    assert render_html(result_of("attribute-nopanel")).count("Not computed: the ranking is by resemblance") == 2
    assert 'id="robustness"' not in render_html({**result_of("attribute-nopanel"), "leave_one_out": None,
                                                 "half_panel": None})
    # A result saved before the half-panel view (0.3.4) keeps its leave-one-out part alone.
    older = render_html({key: value for key, value in data.items() if key != "half_panel"})
    assert "One model left out at a time</h3>" in older and "Half of the panel left out" not in older
    assert [r.kind for r in nopanel.forest.wide.rows] == ["target", "other"]
    # A student and two candidates are three models: no unbiased background, so resemblance ranks them.
    assert result_of("attribute-nopanel")["candidates"][0]["statistic"] == "resemblance"
    assert not nopanel.forest.wide.refs
    assert "there is no floor" in render_html(result_of("attribute-nopanel"))


@pytest.mark.parametrize("kind", ["compare", "attribute", "reproduce-eqbench"])
def test_missing_optional_blocks_render(kind):
    data = minimal_result(kind)
    html = render_html(data)
    assert data["verdict"]["headline"].replace("'", "&#39;") in html
    ids = set(Page(html).ids())
    assert {"verdict", "data"} <= ids
    for absent in ("phrases", "formatting", "openers", "ablations", "prompts", "stylometry", "tests"):
        assert absent not in ids
    assert "n/a" in html  # the missing CI end


def test_optional_blocks_removed_one_by_one():
    data = result_of("compare-panel")
    for key in ("panel", "equality", "ablations", "per_prompt", "phrases", "openers_closers", "stylometry",
                "identity", "formatting", "centred_on_panel"):
        trimmed = {k: v for k, v in data.items() if k != key}
        assert "<main>" in render_html(trimmed), key
    emptied = copy.deepcopy(data)
    emptied.update(per_prompt=[], phrases={}, ablations={}, formatting={"models": [], "rows": []})
    emptied["families"]["words"].pop("test")
    assert "<main>" in render_html(emptied)


def test_matrix_sections():
    data = result_of("matrix")
    view = build_view(data)
    assert view.heatmap is not None and len(view.heatmap.rows) == len(data["models"])
    assert [r.name for r in view.heatmap.rows] == data["tree"]["order"]
    assert [c.cls for c in view.heatmap.rows[0].cells].count("heat diag") == 1
    assert len(view.nearest.rows) == len(data["models"])
    bare = {k: data[k] for k in ("kind", "models", "verdict", "parameters", "coverage", "inputs", "hygiene",
                                  "stylesim_version", "created")}
    assert "<main>" in render_html(bare)
    # The mutual-pairs card names one pair and says how many more there are (three long names
    # squeezed the card into a column of fragments before 0.3.17).
    rows = [{"model": f"m{i}", "nearest": f"m{i ^ 1}", "mutual": True} for i in range(10)]
    card = next(f for f in build_view({**data, "nearest": rows}).figures if f.label == "Mutual nearest pairs")
    assert card.value == "5" and card.note == "m0 and m1; 4 more in the verdict and the table below"
    one = next(f for f in build_view({**data, "nearest": rows[:2]}).figures if f.label == "Mutual nearest pairs")
    assert one.value == "1" and one.note == "m0 and m1"
    # A withheld closeness-index interval reads as withheld, not "95% CI n/a" (before 0.3.15).
    withheld = copy.deepcopy(data)
    withheld["nearest"][0]["closeness_index"] = {"estimate": 0.19, "ci_low": None, "ci_high": None}
    cell = build_view(withheld).nearest.rows[0][4]
    assert cell.sub == "no 95% CI: unstable over prompt resamples"


def test_unknown_kind_or_broken_result_is_a_user_error():
    with pytest.raises(ConfigurationError, match="tournament"):
        render_html({**result_of("compare-panel"), "kind": "tournament"})
    with pytest.raises(ConfigurationError, match="models"):
        render_html({**result_of("compare-panel"), "models": ["a", "b"]})
    with pytest.raises(ConfigurationError, match="student"):
        render_html({**result_of("attribute-panel"), "models": {"candidates": []}})


def test_result_object_and_mapping_give_the_same_page():
    from stylesim.result import Result

    data = result_of("attribute-panel")
    assert render_html(Result(data)) == render_html(data)


def test_json_in_view_is_never_inlined_as_script():
    html = render_html(result_of("compare-panel"))
    assert html.count("<script") == 1 and html.count("</script>") == 1
    assert 'type="application/json"' not in html


def test_forest_plots_speak_their_numbers() -> None:
    """A chart marked role="img" is read by its aria-label alone: before 0.3.10 the forest plots'
    said what they show but not one of the numbers, which only the drawing carried."""
    import re

    from report_support import result_of

    from stylesim.report import render_html

    page = render_html(result_of("compare-panel"))
    labels = re.findall(r'<svg class="forest wide"[^>]*aria-label="([^"]*)"', page)
    assert labels
    assert all(re.search(r"\d\.\d{3}", label) and "CI" in label for label in labels)


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_explained_on_hover_is_explained_on_the_page(kind):
    """A column's meaning was a hover title only (invisible on a phone, to a screen reader and in
    print): each table now lists its described columns under "What the columns mean"."""
    html = render_html(result_of(kind))
    # The phrase tables are written out in _phrases.html; their section's text explains z.
    tables = re.findall(r'<table id="([^"]+)"(?! class="sortable phrases").*?</table>\s*</div>(.*?)</div>', html,
                        flags=re.S)
    checked = 0
    for table_id, after in tables:
        head = html.split(f'<table id="{table_id}"', 1)[1].split("</thead>", 1)[0]
        described = re.findall(r'<th scope="col"[^>]*title="([^"]*)"[^>]*>(.*?)</th>', head)
        legend = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", after)
        assert legend == [(label, title) for title, label in described], table_id
        checked += bool(described)
    assert checked >= 1


def test_shared_phrases_without_a_panel_show_their_over_use_not_n_a():
    """Without a panel the shared words carry log over-use against general English under their own
    key; up to 0.3.10 the report looked for the z key and showed "n/a / n/a" in every row."""
    data = result_of("compare-nopanel")
    shared = data["phrases"]["shared"]
    assert shared and "log_overuse_a" in shared[0]
    html = render_html(data)
    table = html.split('-shared" class="sortable phrases">', 1)[1].split("</table>", 1)[0]
    assert "Over-use (" in table and "n/a / n/a" not in table
    assert f"{fmt.est(shared[0]['log_overuse_a'], 2)} / {fmt.est(shared[0]['log_overuse_b'], 2)}" in table
    with_panel = render_html(result_of("compare-panel"))
    assert "z (" in with_panel.split('-shared" class="sortable phrases">', 1)[1].split("</table>", 1)[0]


def test_the_results_own_caveats_reach_the_page_escaped() -> None:
    """The page falls back on built-in caveats only when the result has none (a mutation audit read
    the wrong key and no test failed, because the fallback also says "not proof of distillation")."""
    for kind in ("compare-panel", "attribute-panel", "matrix"):
        data = copy.deepcopy(result_of(kind))
        data["verdict"]["caveats"] = ["CAVEAT-XYZ <b>bold</b>"]
        html = render_html(data)
        assert "CAVEAT-XYZ &lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html, kind


def test_an_interval_row_shows_both_ends() -> None:
    from stylesim.report.compare_tables import interval_rows

    (row,) = interval_rows([("words", "", {"estimate": 0.3, "ci_low": 0.277, "ci_high": 0.335})], "95%")
    assert [cell.text for cell in row[1:]] == ["0.300", "0.277 to 0.335"]


def test_share_bars_stay_within_their_width() -> None:
    """Shares outside [0, 1] come only from an edited result, and must not draw a negative width."""
    from stylesim.report.charts import share_bar

    assert (share_bar(-0.5), share_bar(0.5), share_bar(1.5), share_bar(None)) == (0.0, 30.0, 60.0, 0.0)
