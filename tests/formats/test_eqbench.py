"""EQ-Bench Creative Writing v3 result page reader."""

from __future__ import annotations

import time

import pytest

from stylesim.errors import InputError
from stylesim.formats import eqbench
from stylesim.records import Record

from ._helpers import FIXTURES, corpus, write

PAGE = FIXTURES / "eqbench" / "page.html"
REASSEMBLED = FIXTURES / "eqbench" / "reassembled.html"
LEDGER = (
    "The Keeper's Ledger\n"
    "Write the last entry in a lighthouse keeper's logbook. <SEED> Length: 300 words."
)


def _extra(number, iteration, title):
    return {
        "prompt_number": number,
        "iteration": iteration,
        "title": title,
        "prompt_set": "eqbench-creative-writing-v3",
    }


def test_reads_page_exactly():
    assert list(eqbench.read(PAGE)) == [
        Record(
            prompt_id="7.1",
            response=(
                "**Entry, 14 March**  \n\n"
                "The lamp burned clean tonight & the fog kept its distance.\n"
                "<Begin Log>\nWind: NE, steady.\n<End Log>"
            ),
            model="acme/quill-7b",
            prompt=LEDGER,
            extra=_extra(7, 1, "Lighthouse: The Keeper's Ledger"),
            line=32,
            group="7",
        ),
        Record(
            prompt_id="12.1",
            response=(
                "The espresso machine hissed like a witness.\n"
                "Nobody at R&D had an alibi\u2014not even the cat.\n"
                "She paid in exact change: \u20ac3."
            ),
            model="acme/quill-7b",
            prompt="Last Orders\nA detective story set in a caf\u00e9 that never closes. Length: 300 words.",
            extra=_extra(12, 1, "Caf\u00e9 noir: Last Orders"),
            line=61,
            group="12",
        ),
        Record(
            prompt_id="7.2",
            response="",
            model="acme/quill-7b",
            prompt=LEDGER,
            extra=_extra(7, 2, "Lighthouse: The Keeper's Ledger"),
            line=95,
            group="7",
        ),
    ]


def test_reads_reassembled_markup():
    records = list(eqbench.read(REASSEMBLED))
    assert [(r.prompt_id, r.model, r.response, r.extra["title"]) for r in records] == [
        ("5.3", "lark/mini-2", "The heron waited, and waiting was its whole craft.", "Fable: The Heron"),
        ("6.3", "lark/mini-2", "The otter juggled stones until the river laughed.", "Fable: The Otter"),
    ]


def test_judge_text_is_never_part_of_an_output():
    for record in eqbench.read(PAGE):
        assert "Judge Evaluation" not in record.response
        assert "[Scores]" not in record.response


HEAD = '<!DOCTYPE html><html><head><title>Model Outputs: m</title></head><body>\n'
ITER = '<div class="iteration-header">Iteration 1</div>\n'
PROMPT = (
    "<div class=\"prompt-header\" onclick=\"toggleContent('prompt-1-4')\">T</div>\n"
    '<div class="prompt-text-display"><strong>Prompt:</strong><br>P</div>\n'
)
OUTPUT = '<div class="response-content"><strong>Model Output:</strong><br>O</div>\n'
END = "</body></html>\n"


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (HEAD + "<p>nothing here</p></body></html>", r"p\.html: no model outputs"),
        (HEAD + PROMPT + OUTPUT, r'p\.html:4: model output before any "Iteration N" header'),
        (HEAD + ITER + OUTPUT, r"p\.html:3: model output before any prompt header"),
        (HEAD + '<div class="iteration-header">Round one</div>\n' + PROMPT + OUTPUT,
         r'p\.html:2: iteration header without "Iteration N"'),
        (HEAD + ITER + '<div class="prompt-header">T</div>\n' + OUTPUT,
         r"p\.html:3: prompt header without a prompt-K-P element id"),
        (HEAD + ITER + PROMPT + '<div class="response-content">O and no end',
         r'p\.html:5: unterminated <div class="response-content">'),
        # Cut exactly between two outputs: every output read is whole, but the page is not.
        (HEAD + ITER + PROMPT + OUTPUT, r"p\.html: the page stops after 1 output without its closing </html>"),
    ],
)
def test_bad_pages(tmp_path, page, message):
    with pytest.raises(InputError, match=message):
        list(eqbench.read(write(tmp_path, "p.html", page)))


def test_minimal_page(tmp_path):
    (record,) = eqbench.read(write(tmp_path, "p.html", HEAD + ITER + PROMPT + OUTPUT + END))
    assert (record.prompt_id, record.prompt, record.response, record.model) == ("4.1", "P", "O", "m")


def test_markup_inside_an_output_does_not_end_it(tmp_path):
    output = (
        '<div class="response-content"><strong>Model Output:</strong><br>'
        "Use <div>boxes</div> sparingly.\n<i>Really.</i>\n    </div>\n"
        '<div class="judge-content">Judge Evaluation [Scores]</div>\n'
    )
    (record,) = eqbench.read(write(tmp_path, "p.html", HEAD + ITER + PROMPT + output + END))
    assert record.response == "Use <div>boxes</div> sparingly.\n<i>Really.</i>"


@pytest.mark.parametrize(
    ("title", "kept"),
    [("The Lighthouse \u2014 Score: 17.2", "The Lighthouse"), ("Tea - Avg Score: 3", "Tea"),
     ("A -- b \u2013 score: -1.5", "A -- b"), ("No score here", "No score here"),
     ("Score: 12", "Score: 12"), ("Dash-less Score: 12", "Dash-less Score: 12"),
     ("Title \u2014 Score: twelve", "Title \u2014 Score: twelve")],
)
def test_a_title_loses_its_trailing_score_only(title, kept):
    assert eqbench._without_score(title) == kept


@pytest.mark.parametrize(
    "page",
    [
        # Each took minutes before 0.3.17 (found by a fuzz audit): a pattern that scanned from every
        # "<div" to the page's end, and one that backtracked over every dash of a long run.
        HEAD + "<div " * 60000 + END,
        HEAD + ITER + "<div class=\"prompt-header\" id=\"prompt-1-1\">T " + "-" * 60000 + "x</div>\n" + OUTPUT + END,
        "<html><body>" + "<h1 " * 30000 + "</body></html>",
        HEAD + ITER + "<div class=\"prompt-header\" id=\"prompt-1-1\">" + "<span " * 30000 + "</div>\n" + OUTPUT + END,
        # Found by a review of the first fix: unclosed titles and headings, a long run of spaces
        # after one, unclosed toggle icons (the detection head, the model name and the headers).
        "<html>" + "<title>Model Outputs: x" * 10000,
        "<html><title>Model Outputs: x" + " " * 150000,
        "<html><body>" + '<h1 class="main-title">Sample Outputs: x' * 10000 + END,
        '<html><body><h1 class="main-title">Sample Outputs:' + " " * 150000 + END,
        HEAD + ITER + '<div class="prompt-header" id="prompt-1-1">' + '<span class="toggle-icon">v' * 20000 + "</div>\n"
        + OUTPUT + END,
    ],
)
def test_crafted_pages_are_read_in_linear_time(tmp_path, page):
    """A guard against a hang, not a speed target: linear work here is a few milliseconds, the old
    quadratic patterns took from seconds to minutes, and the bound sits far from both."""
    from stylesim import formats

    path = write(tmp_path, "p.html", page)
    start = time.perf_counter()
    for step in (lambda: formats.detect(path), lambda: list(eqbench.read(path))):
        try:
            step()
        except InputError:
            pass  # these pages are malformed; an error is as good as a result, a hang is not
    assert time.perf_counter() - start < 5.0


def test_a_quoted_angle_bracket_in_a_div_attribute_keeps_its_output(tmp_path):
    """Legal HTML ("a<b" in an attribute value) dropped the output silently under the first fix."""
    output = '<div data-tip="a<b" class="response-content"><strong>Model Output:</strong><br>O</div>\n'
    (record,) = eqbench.read(write(tmp_path, "p.html", HEAD + ITER + PROMPT + output + END))
    assert record.response == "O"


@pytest.mark.corpora
def test_every_real_page_has_the_same_96_prompt_ids_and_no_judge_text():
    folder = corpus("eqbench-creative-writing-v3", "results")
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 2
    expected = None
    for path in pages:
        records = list(eqbench.read(path))
        ids = {r.prompt_id for r in records}
        assert len(records) == 96, path
        assert len(ids) == 96, path
        if expected is None:
            expected = ids
        assert ids == expected, path
        assert all(r.model for r in records), path
        assert all(r.prompt for r in records), path
        for record in records:
            assert "Judge Evaluation" not in record.response, (path, record.prompt_id)
            assert "[Scores]" not in record.response, (path, record.prompt_id)
    assert {int(i.split(".")[1]) for i in expected} == {1, 2, 3}


@pytest.mark.corpora
def test_real_reassembled_mistral_small_page():
    path = corpus(
        "eqbench-creative-writing-v3", "results",
        "mistralai__Mistral-Small-3.2-24B-Instruct-2506.html",
    )
    records = list(eqbench.read(path))
    assert len(records) == 96
    assert {r.model for r in records} == {"mistralai/Mistral-Small-3.2-24B-Instruct-2506"}
    assert all(r.response.strip() for r in records)


@pytest.mark.corpora
def test_real_literal_angle_brackets_survive():
    path = corpus("eqbench-creative-writing-v3", "results", "deepseek-ai__DeepSeek-V3-0324.html")
    records = {r.prompt_id: r for r in eqbench.read(path)}
    logs = sorted(pid for pid, r in records.items() if "<Begin Log>" in r.response)
    assert logs == ["24.1", "24.2", "24.3"]
    assert all("<End Log>" in records[pid].response for pid in logs)
    assert "<SEED>" in records["25.1"].prompt
    assert "  \n" in records["25.1"].response  # markdown line breaks kept


@pytest.mark.corpora
def test_real_empty_outputs_are_kept():
    path = corpus(
        "eqbench-creative-writing-v3", "results", "anthropic__claude-3.5-haiku-20241022.html"
    )
    records = list(eqbench.read(path))
    assert len(records) == 96
    assert sum(1 for r in records if not r.response) == 8


@pytest.mark.corpora
def test_real_page_reads_fast():
    path = corpus("eqbench-creative-writing-v3", "results", "ministral-3b.html")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        assert len(list(eqbench.read(path))) == 96
        best = min(best, time.perf_counter() - start)
    assert best < 0.2
