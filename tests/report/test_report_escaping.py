"""Untrusted text (model names, prompts, answers, phrases, file paths) never becomes markup."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_support import result_of

from stylesim.report import render_html

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

SCRIPT = "<script>alert(1)</script>"
CLOSE_SCRIPT = "</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = '<a href="javascript:alert(1)">click</a>'
IFRAME = "<iframe src=javascript:alert(2)></iframe>"
TEXTAREA = "</textarea><svg onload=alert(3)>"
CDATA = "]]><!--"
JINJA = "{{ 7*7 }}"
JINJA_BLOCK = "{% raw %}{{ config }}{% endraw %}"
PAYLOAD = " ".join([SCRIPT, CLOSE_SCRIPT, IMG, JS_LINK, IFRAME, TEXTAREA, CDATA, JINJA, JINJA_BLOCK])

RAW_FORMS = [SCRIPT, IMG, JS_LINK, IFRAME, TEXTAREA, "]]><", "<svg onload", "<a href=\"javascript:"]
ESCAPED_FORMS = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&lt;a href=&#34;javascript:alert(1)&#34;&gt;click&lt;/a&gt;",
    "&lt;iframe src=javascript:alert(2)&gt;&lt;/iframe&gt;",
    "&lt;/textarea&gt;&lt;svg onload=alert(3)&gt;",
    "]]&gt;&lt;!--",
]

# The only markup the report itself writes.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "a", "header", "p", "h1", "h2", "h3", "h4", "ul", "li",
    "nav", "main", "section", "strong", "dl", "div", "dt", "dd", "span", "figure", "figcaption", "svg",
    "line", "g", "rect", "text", "circle", "path", "table", "caption", "thead", "tr", "th", "tbody", "td", "input",
    "label", "output", "article", "blockquote", "details", "summary", "q", "mark", "code", "footer",
    "script",
}


class Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str, expected: list[str] = ESCAPED_FORMS, templates: bool = True) -> None:
    for raw in RAW_FORMS:
        assert raw not in html, f"unescaped payload {raw!r}"
    for escaped in expected:
        assert escaped in html, f"escaped payload {escaped!r} missing"
    assert html.count("<script") == 1 and html.count(CLOSE_SCRIPT) == 1, "a script block was opened or closed"
    assert html.count("</style>") == 1 and html.count("</textarea>") == 0
    assert ">49<" not in html and " 49 " not in html
    if templates:
        assert "{{ 7*7 }}" in html and "{% raw %}" in html and "{{ config }}" in html
    tags = Tags(html).tags
    assert {t for t, _ in tags} <= ALLOWED_TAGS
    for tag, attrs in tags:
        assert not any(name.startswith("on") for name in attrs), f"event handler on <{tag}>"
        for name in ("href", "src", "action", "formaction"):
            if name in attrs:
                assert (attrs[name] or "").startswith("#"), f"<{tag} {name}={attrs[name]!r}>"


def _write_corpus(path: Path, source: Path, model: str) -> None:
    """A copy of a sample corpus with the payload in every prompt, id and answer."""
    with path.open("w", encoding="utf-8") as out:
        for i, line in enumerate(source.read_text(encoding="utf-8").splitlines()):
            row = json.loads(line)
            row["model"] = model
            row["prompt"] = f"{PAYLOAD} {row.get('prompt', '')}"
            if i % 7 == 0:
                row["prompt_id"] = f"{row['prompt_id']}{IMG}"
            row["response"] = f"{SCRIPT} {row['response']} {IMG} {PAYLOAD}"
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def hostile_inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    names = {"a": f"lyra {SCRIPT}", "b": f"distill {IMG} {JINJA}", "p": f"atlas {TEXTAREA} {CDATA}"}
    sources = {"a": "lyra", "b": "lyra-distill", "p": "atlas"}
    paths = {}
    for key, name in names.items():
        paths[key] = folder / f"{key}{IMG}.jsonl"
        _write_corpus(paths[key], SAMPLES / f"{sources[key]}.jsonl", name)
    return paths


def test_compare_report_escapes_hostile_inputs(hostile_inputs):
    import stylesim

    result = stylesim.compare(str(hostile_inputs["a"]), str(hostile_inputs["b"]), panel=[str(hostile_inputs["p"])],
                              n_resamples=50, n_permutations=50, embeddings=False)
    assert SCRIPT in result.data["models"]["a"]
    assert any(SCRIPT in row["a"] for row in result.data["per_prompt"])
    html = render_html(result)
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.split("<title>", 1)[1].split("</title>", 1)[0]


def test_attribute_report_escapes_hostile_inputs(hostile_inputs):
    import stylesim

    result = stylesim.attribute(str(hostile_inputs["b"]), [str(hostile_inputs["a"])], panel=[str(hostile_inputs["p"])],
                                n_resamples=50, embeddings=False)
    # This page shows names, paths and phrase snippets, not whole answers.
    assert_inert(render_html(result), expected=ESCAPED_FORMS[:2], templates=False)


def _poison(value, names: set[str]):  # noqa: ANN001, ANN202
    """Append the payload to every string in a result (and to model names used as keys)."""
    if isinstance(value, dict):
        return {(k + PAYLOAD if k in names else k): (v if k == "kind" else _poison(v, names)) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, names) for v in value]
    if isinstance(value, str):
        return value + PAYLOAD
    return value


@pytest.mark.parametrize("kind", ["compare-panel", "compare-nopanel", "attribute-panel", "attribute-nopanel", "matrix",
                                  "reproduce-eqbench"])
def test_every_string_field_is_escaped(kind):
    data = result_of(kind)
    names = {i["name"] for i in data["inputs"]}
    assert_inert(render_html(_poison(data, names)), templates=kind != "matrix")
