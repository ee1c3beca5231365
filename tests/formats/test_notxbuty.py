"""not-x-but-y-bench results reader."""

from __future__ import annotations

import json

import pytest

from stylesim.errors import InputError
from stylesim.formats import notxbuty
from stylesim.records import Record

from ._helpers import FIXTURES, corpus, write

FIXTURE = FIXTURES / "notxbuty" / "results.json"

RUN_EXTRA = {
    "min_p": 0.1,
    "workers": 4,
    "prompts_path": "prompts.json",
    "endpoint": "https://example.invalid/v1/chat/completions",
    "started_at": "2025-01-01T00:00:00+00:00",
    "completed_at": "2025-01-01T01:00:00+00:00",
    "prompt_set": "not-x-but-y-bench",
}


def test_reads_fixture_exactly():
    assert list(notxbuty.read(FIXTURE)) == [
        Record(
            prompt_id="3",
            response="The door was not locked; it was merely shy. \u00c9lodie knocked twice.",
            model="acme/quill-7b",
            prompt="Write a story that begins with a locked door.",
            temperature=0.7,
            max_tokens=4000,
            extra={**RUN_EXTRA, "chars": 67, "hits": 1, "rate_per_1k": 14.9},
            line=16,
        ),
        Record(
            prompt_id="0",
            response="Gulls argue over the harbour while the bakeries exhale.",
            model="acme/quill-7b",
            prompt="Describe a city at dawn.",
            temperature=0.7,
            max_tokens=4000,
            extra={**RUN_EXTRA, "chars": 55, "hits": 0, "rate_per_1k": 0.0},
            line=24,
        ),
        Record(
            prompt_id="1",
            response="",
            model="acme/quill-7b",
            prompt="Summarise the history of the bicycle.",
            temperature=0.7,
            max_tokens=4000,
            extra={
                **RUN_EXTRA, "chars": 0, "hits": 0, "rate_per_1k": 0.0,
                "error": "Generate failed after 3 retries: HTTP 500",
            },
            line=32,
        ),
    ]


def test_several_models_in_one_file_and_minified(tmp_path):
    data = {
        "m1": {"test_model": "m1", "params": {}, "samples": [
            {"prompt_index": 0, "prompt": "p", "output": "a"}]},
        "m2": {"test_model": "vendor/m2", "samples": [
            {"prompt_index": 0, "prompt": "p", "output": "b"}]},
    }
    records = list(notxbuty.read(write(tmp_path, "r.json", json.dumps(data))))
    assert [(r.model, r.prompt_id, r.response, r.line) for r in records] == [
        ("m1", "0", "a", 1), ("m2", "0", "b", 1)
    ]
    assert records[1].extra["test_model"] == "vendor/m2"
    assert records[0].temperature is None


def test_prompt_index_text_inside_an_output_does_not_shift_lines(tmp_path):
    data = {"m": {"test_model": "m", "samples": [
        {"prompt_index": 0, "output": 'quoted "prompt_index": 9 here'},
        {"prompt_index": 1, "output": "x"},
    ]}}
    records = list(notxbuty.read(write(tmp_path, "r.json", json.dumps(data, indent=1))))
    assert [r.line for r in records] == [6, 10]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], r"r\.json:1: expected a JSON object of runs"),
        ({}, r"r\.json:1: no runs"),
        ({"m": []}, r"r\.json: model 'm': expected a JSON object, got a list"),
        ({"m": {"test_model": "m"}}, r"""r\.json: model 'm': missing field "samples\""""),
        ({"m": {"samples": [{"prompt_index": 0}]}},
         r"""r\.json:\d+: model 'm': sample 1: missing field "output\""""),
        ({"m": {"samples": [{"prompt_index": [0], "output": "o"}]}},
         r"""sample 1: field "prompt_index" must be an integer or a string, got a list"""),
        ({"m": {"samples": [{"prompt_index": True, "output": "o"}]}},
         r"""sample 1: field "prompt_index" must be an integer or a string, got (true|false)"""),
        ({"m": {"samples": [{"prompt_index": " ", "output": "o"}]}},
         r"""sample 1: field "prompt_index" is empty"""),
        ({"m": {"params": {"temperature": "hot"}, "samples": []}},
         r"""model 'm': params: field "temperature" must be"""),
    ],
)
def test_bad_input(tmp_path, data, message):
    with pytest.raises(InputError, match=message):
        list(notxbuty.read(write(tmp_path, "r.json", json.dumps(data, indent=2))))


def test_invalid_json_is_located(tmp_path):
    path = write(tmp_path, "r.json", '{\n  "m": {\n    "samples": [,]\n  }\n}')
    with pytest.raises(InputError, match=r"r\.json:3: invalid JSON"):
        list(notxbuty.read(path))


@pytest.mark.corpora
def test_real_kimi_k2_has_300_samples():
    path = corpus("not-x-but-y-bench", "results", "kimi-k2.json")
    records = list(notxbuty.read(path))
    assert len(records) == 300
    assert {r.prompt_id for r in records} == {str(i) for i in range(300)}
    assert {r.model for r in records} == {"moonshotai/kimi-k2"}
    assert {r.temperature for r in records} == {0.7}
    assert all(r.line is not None for r in records)


@pytest.mark.corpora
def test_real_results_keep_empty_outputs():
    folder = corpus("not-x-but-y-bench", "results")
    counts = {}
    for path in sorted(folder.glob("*.json")):
        records = list(notxbuty.read(path))
        counts[path.stem] = (len(records), sum(1 for r in records if not r.response.strip()))
    assert counts["qwen3-4b"] == (300, 78)
    assert counts["claude-sonnet-4-5"] == (300, 150)
    assert counts["gemma-3-4b-it"] == (150, 0)
    assert counts["polaris-alpha"] == (70, 0)


def test_a_sample_without_prompt_index_is_named_not_a_crash(tmp_path):
    """The scanned line numbers are used only when every sample has its "prompt_index" key (else
    they would name another sample's line, or run out: an IndexError, found by a mutation audit)."""
    data = {"m": {"test_model": "m", "samples": [{"prompt_index": 0, "output": "a"}, {"output": "b"}]}}
    with pytest.raises(InputError, match=r"""r\.json: model 'm': sample 2: missing field "prompt_index\""""):
        list(notxbuty.read(write(tmp_path, "r.json", json.dumps(data, indent=2))))


@pytest.mark.parametrize(("broken", "message"), [
    (None, r"r\.json: model 'n': expected a JSON object, got null"),
    ({"test_model": "n", "samples": "x"}, r"""r\.json: model 'n': field "samples" must be a list, got a string"""),
])
def test_one_broken_run_is_named_not_the_whole_file_unknown(tmp_path, broken, message):
    """A null or broken run beside good ones made the file "cannot tell the format" (before 0.3.17,
    found by a fuzz audit): the file is still this format, and the run is named."""
    from stylesim import formats

    good = {"test_model": "m", "params": {}, "samples": [{"prompt_index": 0, "prompt": "p", "output": "o"}]}
    path = write(tmp_path, "r.json", json.dumps({"m": good, "n": broken}))
    assert formats.detect(path).name == "notxbuty"
    with pytest.raises(InputError, match=message):
        list(notxbuty.read(path))
