"""Format detection: each fixture is claimed by its own reader and by no other."""

from __future__ import annotations

import json
import re

import pytest

from stylesim import formats
from stylesim.errors import InputError

from ._helpers import CORPORA, FIXTURES, corpus, head_of, write

EXPECTED = {
    "alpaca_eval/acme-quill-7b.json": "alpaca_eval",
    "chat/openai.jsonl": "chat",
    "chat/sharegpt.json": "chat",
    "eqbench/page.html": "eqbench",
    "eqbench/reassembled.html": "eqbench",
    "fastchat/minibench/model_answer/acme-quill-7b.jsonl": "fastchat",
    "fastchat/minibench/model_answer/lark-mini.jsonl": "fastchat",
    "notxbuty/results.json": "notxbuty",
    "openai_batch/output.jsonl": "openai_batch",
    "stylesim/outputs.jsonl": "stylesim",
    "wildbench/eval.json": "wildbench",
}
# Files that sit beside outputs but hold none: no reader may claim them.
UNCLAIMED = ["fastchat/minibench/question.jsonl"]

NAMES = [
    "alpaca_eval", "chat", "eqbench", "fastchat", "notxbuty", "openai_batch", "stylesim",
    "wildbench",
]


def test_registry_lists_every_format_once():
    assert sorted(formats.names()) == NAMES
    for fmt in formats.FORMATS:
        assert fmt.description
        assert formats.get(fmt.name) is fmt


def test_every_fixture_file_is_covered():
    found = {
        p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file()
    }
    assert found == set(EXPECTED) | set(UNCLAIMED)


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_fixture_is_claimed_by_its_reader_only(relative):
    path = FIXTURES / relative
    head = head_of(path)
    claims = [fmt.name for fmt in formats.FORMATS if fmt.detect(path, head)]
    assert claims == [EXPECTED[relative]]
    assert formats.detect(path).name == EXPECTED[relative]


@pytest.mark.parametrize("relative", UNCLAIMED)
def test_side_files_are_not_claimed(relative):
    path = FIXTURES / relative
    head = head_of(path)
    assert [fmt.name for fmt in formats.FORMATS if fmt.detect(path, head)] == []
    with pytest.raises(InputError, match="cannot tell the format"):
        formats.detect(path)


@pytest.mark.parametrize("relative", sorted(EXPECTED) + UNCLAIMED)
def test_truncated_heads_never_crash_or_mislead(relative):
    path = FIXTURES / relative
    head = head_of(path)
    expected = EXPECTED.get(relative)
    for cut in range(0, len(head), 5):
        claims = {fmt.name for fmt in formats.FORMATS if fmt.detect(path, head[:cut])}
        assert claims <= {expected}, (cut, claims)


BIG = "word " * 20000  # 100 KB: the first record does not fit in the 64 KiB head


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.json", json.dumps([{"instruction": "q", "output": BIG, "generator": "g"}], indent=1),
         "alpaca_eval"),
        ("w.json", json.dumps([{"session_id": "s", "model_test": "m", "model_output": BIG}]),
         "wildbench"),
        ("n.json", json.dumps({"m": {"test_model": "m", "params": {}, "samples": [
            {"prompt_index": 0, "prompt": "p", "output": BIG}]}}, indent=2), "notxbuty"),
        ("n1.json", json.dumps({"m": {"test_model": "m", "params": {}, "samples": [
            {"prompt_index": 0, "prompt": "p", "output": BIG}]}}), "notxbuty"),
        ("f.jsonl", json.dumps({"question_id": "q", "model_id": "m", "choices": [
            {"index": 0, "turns": [BIG]}]}) + "\n", "fastchat"),
        ("f2.jsonl", json.dumps({"uid": "q", "model": "m", "messages": [
            {"role": "user", "content": "p"}, {"role": "assistant", "content": BIG}]}) + "\n",
         "fastchat"),
        ("b.jsonl", json.dumps({"id": "x", "custom_id": "c", "response": {"status_code": 200, "body": {
            "choices": [{"index": 0, "message": {"content": BIG}}]}}, "error": None}) + "\n",
         "openai_batch"),
        ("c.jsonl", json.dumps({"messages": [{"role": "user", "content": "p"},
                                             {"role": "assistant", "content": BIG}]}) + "\n", "chat"),
        ("c.json", json.dumps([{"conversations": [{"from": "human", "value": BIG},
                                                  {"from": "gpt", "value": "ok"}]}]), "chat"),
        ("s.jsonl", json.dumps({"prompt_id": "p", "response": BIG}) + "\n", "stylesim"),
    ],
)
def test_detection_when_the_first_record_is_cut_off(tmp_path, name, text, expected):
    """Each detector copes with a head that ends inside the first record, as a first line longer
    than FIRST_LINE_BYTES leaves it (shorter first lines are now read whole, below)."""
    path = write(tmp_path, name, text)
    head = path.read_text(encoding="utf-8")[: formats.HEAD_BYTES]
    claims = [fmt.name for fmt in formats.FORMATS if fmt.detect(path, head)]
    assert claims == [expected]
    assert formats.detect(path).name == expected  # and from the whole first line
    assert len(list(formats.get(expected).read(path))) == 1


def test_a_first_record_with_a_long_field_before_the_response_is_detected(tmp_path):
    """A stylesim record whose prompt fills the 64 KiB head before "response" (as json.dumps with
    sorted keys writes it) was refused as "cannot tell the format", and a folder given to matrix
    skipped the file with only a warning (before 0.3.17): the head now holds the whole first line."""
    rows = [{"prompt": ("x " * 40000 if i == 0 else "p"), "prompt_id": f"p{i}", "response": f"answer {i}"}
            for i in range(3)]
    path = write(tmp_path, "long.jsonl", "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows))
    assert formats.read_head(path).count("\n") >= 1
    assert formats.detect(path).name == "stylesim"


@pytest.mark.parametrize(
    "text",
    ["[]", "{}", "[1, 2, 3]", '"text"', "null", "hello world", "<html><body></body></html>",
     '{"messages": []}\n', "[[]]", '{"a": {"samples": "x"}}'],
)
def test_odd_content_is_not_claimed(tmp_path, text):
    path = write(tmp_path, "x.txt", text)
    head = head_of(path)
    assert [fmt.name for fmt in formats.FORMATS if fmt.detect(path, head)] == []


@pytest.mark.corpora
def test_real_files_are_detected():
    corpus()  # skip when ../shared/corpora is absent
    expected = {
        "alpaca_eval/results/*/model_outputs.json": "alpaca_eval",
        "arena-bench-v1/data/arena-bench-v1/model_answer/*.jsonl": "fastchat",
        "eqbench-creative-writing-v3/results/*.html": "eqbench",
        "not-x-but-y-bench/results/*.json": "notxbuty",
        "wildbench/eval_results/*/*/*/*.json": "wildbench",
    }
    for pattern, name in expected.items():
        paths = sorted(CORPORA.glob(pattern))
        assert paths, pattern
        for path in paths:
            head = head_of(path)
            claims = [fmt.name for fmt in formats.FORMATS if fmt.detect(path, head)]
            assert claims == [name], path
    for side in ("arena-bench-v1/data/arena-bench-v1/question.jsonl",
                 "not-x-but-y-bench/prompts.json",
                 "eqbench-creative-writing-v3/data/creative_writing_prompts_v3.json"):
        path = CORPORA / side
        if path.exists():
            head = head_of(path)
            assert [fmt.name for fmt in formats.FORMATS if fmt.detect(path, head)] == [], side


def test_detectors_survive_arbitrary_heads(tmp_path):
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    path = tmp_path / "x"
    samples = [
        (FIXTURES / relative).read_text(encoding="utf-8") for relative in sorted(EXPECTED)
    ]

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(
        st.one_of(
            st.text(max_size=200),
            st.tuples(st.sampled_from(samples), st.integers(0, 4000), st.text(max_size=20)).map(
                lambda t: t[0][: t[1]] + t[2]
            ),
        )
    )
    def check(head):
        for fmt in formats.FORMATS:
            assert fmt.detect(path, head) in (True, False)

    check()


def test_an_unreadable_file_is_one_located_error(tmp_path, monkeypatch):
    """A file in a folder that cannot be opened (no read permission) names itself; no traceback."""
    import builtins

    from stylesim.corpus import load_corpus
    from stylesim.errors import InputError

    path = tmp_path / "locked.jsonl"
    path.write_text('{"prompt_id": "p", "response": "r"}\n')
    real_open = builtins.open

    def refuse(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refuse)
    with pytest.raises(InputError, match="locked.jsonl: cannot open: Permission denied"):
        load_corpus(path)


@pytest.mark.parametrize(("prefix", "said"), [(b"x", "1 stray character ('x')"), (b"\xff", "1 stray character (not UTF-8)"),
                                            (b"ab ", "3 stray characters ('ab ')")])
def test_stray_bytes_before_a_json_line_are_named_not_called_csv(tmp_path, prefix, said):
    """A JSONL file with a damaged first byte was refused as "looks like CSV" (before 0.3.17)."""
    path = tmp_path / "j.jsonl"
    path.write_bytes(prefix + b'{"prompt_id": "a", "response": "x, y and z"}\n')
    with pytest.raises(InputError, match=r"j\.jsonl:1: " + re.escape(said) + " before the JSON object; remove"):
        formats.detect(path)
    csv = tmp_path / "t.csv.jsonl"
    csv.write_text("prompt_id,response\na,hello\n", encoding="utf-8")
    with pytest.raises(InputError, match="looks like CSV"):
        formats.detect(csv)
