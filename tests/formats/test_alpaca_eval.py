"""AlpacaEval model_outputs.json reader."""

from __future__ import annotations

import hashlib
import json

import pytest

from stylesim.errors import InputError
from stylesim.formats import alpaca_eval
from stylesim.records import Record

from ._helpers import FIXTURES, corpus, write

FIXTURE = FIXTURES / "alpaca_eval" / "acme-quill-7b.json"


def test_reads_fixture_exactly():
    records = list(alpaca_eval.read(FIXTURE))
    assert records == [
        Record(
            prompt_id="c5a5248bd9e8",
            response="Penguins, cormorants and puffins all dive for their food.",
            model="acme-quill-7b",
            prompt="Name three  birds that can\nswim underwater.",
            extra={"dataset": "helpful_base", "prompt_set": "alpaca_eval"},
            line=2,
        ),
        Record(
            prompt_id="9a77ec171322",
            response="Bonjour \u2014 or, more formally, \u00ab bonjour \u00e0 tous \u00bb. \U0001f31e",
            model="acme-quill-7b",
            prompt='Translate "good morning" into French.',
            extra={"dataset": "koala", "prompt_set": "alpaca_eval"},
            line=8,
        ),
        Record(
            prompt_id="83cde08ef21f",
            response="",
            model="acme-quill-7b",
            prompt="Reply with nothing at all.",
            extra={
                "index": 2,
                "dataset": "oasst",
                "new_prompt": "[INST] Reply with nothing at all. [/INST]",
                "prompt_set": "alpaca_eval",
            },
            line=14,
        ),
    ]


def test_prompt_id_is_sha1_of_normalised_instruction():
    normalised = "name three birds that can swim underwater."
    assert alpaca_eval.read(FIXTURE).__next__().prompt_id == (
        hashlib.sha1(normalised.encode()).hexdigest()[:12]
    )


def test_same_instruction_differently_spaced_gets_same_id(tmp_path):
    items = [{"instruction": "Hello\tthere,  world", "output": "x", "generator": "g"}]
    other = [{"instruction": " Hello there, world\n", "output": "y", "generator": "h"}]
    a = list(alpaca_eval.read(write(tmp_path, "a.json", json.dumps(items))))
    b = list(alpaca_eval.read(write(tmp_path, "b.json", json.dumps(other))))
    assert a[0].prompt_id == b[0].prompt_id


def test_compact_one_line_file_counts_elements(tmp_path):
    items = [{"instruction": f"q{i}", "output": "o", "generator": "g"} for i in range(3)]
    records = list(alpaca_eval.read(write(tmp_path, "m.json", json.dumps(items))))
    assert [r.line for r in records] == [1, 1, 1]
    assert [r.prompt for r in records] == ["q0", "q1", "q2"]


def test_generator_is_optional(tmp_path):
    path = write(tmp_path, "m.json", '[{"instruction": "q", "output": "o"}]')
    (record,) = alpaca_eval.read(path)
    assert record.model is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"instruction": "q", "output": "o"},\n {"instruction": "q2", "output": "o2",]',
         r"m\.json:2: item 2: invalid JSON"),
        ('[{"instruction": "q", "output": "o"},\n {"instruction": "q2"}]',
         r'm\.json:2: item 2: missing field "output"'),
        ('[\n{"instruction": "q", "output": 3}]',
         r'm\.json:2: item 1: field "output" must be a string, got an integer'),
        ('[\n{"instruction": "q", "output": "o", "generator": ["g"]}]',
         r'm\.json:2: item 1: field "generator" must be a string'),
        ('[\n"just a string"]', r"m\.json:2: item 1: expected a JSON object"),
        ('{"instruction": "q", "output": "o"}', r"m\.json:1: expected a JSON list"),
        ('[{"instruction": "q", "output": "o"}', r"m\.json:1: invalid JSON: the list is not closed"),
        ('[{"instruction": "q", "output": "o"}] []', r"m\.json:1: invalid JSON: extra data"),
        ("", r"m\.json: file is empty"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path, text, message):
    path = write(tmp_path, "m.json", text)
    with pytest.raises(InputError, match=message):
        list(alpaca_eval.read(path))


def test_not_utf8(tmp_path):
    path = tmp_path / "m.json"
    path.write_bytes(b'[\n{"instruction": "q", "output": "\xff"}]')
    with pytest.raises(InputError, match=r"m\.json:2: not valid UTF-8"):
        list(alpaca_eval.read(path))


@pytest.mark.corpora
def test_real_alpaca_eval_files_align_on_805_prompts():
    folder = corpus("alpaca_eval", "results")
    files = sorted(folder.glob("*/model_outputs.json"))
    assert len(files) >= 2
    ids = None
    for path in files:
        records = list(alpaca_eval.read(path))
        assert len(records) == 805, path
        assert len({r.prompt_id for r in records}) == 805, path
        assert all(r.model for r in records)
        assert all(r.extra["dataset"] for r in records)
        if ids is None:
            ids = [r.prompt_id for r in records]
        else:
            assert [r.prompt_id for r in records] == ids, path


@pytest.mark.corpora
def test_real_text_davinci_003_keeps_its_two_empty_outputs():
    path = corpus("alpaca_eval", "results", "text_davinci_003", "model_outputs.json")
    records = list(alpaca_eval.read(path))
    assert sum(1 for r in records if not r.response.strip()) == 2
    assert {r.model for r in records} == {"text_davinci_003"}
