"""Loading, hygiene accounting and alignment."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from conftest import voice_rows, write_jsonl

from stylesim.alignment import align
from stylesim.corpus import load_corpus, normalise_prompt
from stylesim.errors import AlignmentError, InputError


def test_load_names_model_from_data(tiny_pair: tuple[Path, Path, Path]) -> None:
    corpus = load_corpus(tiny_pair[0])
    assert corpus.name == "model-a"
    assert corpus.format == "stylesim"
    assert len(corpus.outputs) == 25


def test_name_falls_back_to_file_name(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "model"} for r in voice_rows("x", "plain")]
    corpus = load_corpus(write_jsonl(tmp_path / "nameless-model.jsonl", rows))
    assert corpus.name == "nameless-model"


def test_hygiene_counts(tmp_path: Path) -> None:
    rows = voice_rows("m", "plain", n=22)
    rows[0]["response"] = "<think>plan the answer</think>The real answer."
    rows[1]["response"] = "   "
    rows[2]["finish_reason"] = "length"
    rows[3]["response"] = "I'm sorry, but I can't help with that request."
    rows[4]["response"] = "I am ChatGPT, a large language model developed by OpenAI."
    rows[5]["response"] = "Cafe\u0301 au lait"  # decomposed é
    corpus = load_corpus(write_jsonl(tmp_path / "h.jsonl", rows))
    report = corpus.hygiene
    assert report.records_read == 22
    assert report.empty_dropped == 1 and report.kept == 21
    assert report.reasoning_stripped == 1
    assert report.truncated == 1
    assert report.refusals == 1
    assert report.identity_claims["ChatGPT"] == 1 and report.identity_claims["OpenAI"] == 1
    texts = {o.prompt_id: o for o in corpus.outputs}
    assert texts["p00"].raw == "The real answer."
    assert "ChatGPT" not in texts["p04"].text and "MODELNAME" in texts["p04"].text
    assert "ChatGPT" in texts["p04"].raw
    assert texts["p05"].raw == "Caf\u00e9 au lait"


def test_duplicate_id_with_conflicting_prompt_is_refused(tmp_path: Path) -> None:
    rows = voice_rows("m", "plain")
    rows.append({**rows[0], "prompt": "Something else entirely."})
    path = write_jsonl(tmp_path / "dup.jsonl", rows)
    with pytest.raises(InputError, match=r"dup\.jsonl:26: prompt_id 'p00' appears again with a different prompt"):
        load_corpus(path)


def test_repeated_identical_pair_becomes_a_second_sample(tmp_path: Path) -> None:
    rows = voice_rows("m", "plain")
    rows.append(dict(rows[0]))
    corpus = load_corpus(write_jsonl(tmp_path / "rep.jsonl", rows))
    assert corpus.hygiene.duplicates_renumbered == 1
    assert sorted(o.sample for o in corpus.outputs if o.prompt_id == "p00") == [0, 1]


def test_several_models_in_one_file_need_a_choice(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "two.jsonl", voice_rows("m1", "plain") + voice_rows("m2", "fancy"))
    with pytest.raises(InputError, match="holds outputs of 2 models"):
        load_corpus(path)
    assert load_corpus(path, model="m2").name == "m2"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"file is empty"),
        (b'{"prompt_id": "a", "response": "x"}\n{not json}\n', r"bad\.jsonl:2: invalid JSON"),
        (b'{"prompt_id": "a", "response": "x"}\n{"prompt_id": "b"}\n', r'bad\.jsonl:2: missing field "response"'),
        (b'{"prompt_id": "a", "response": "\xff\xfe"}\n', r"bad\.jsonl:1: not valid UTF-8"),
        (b'{"prompt_id": "a", "response": 5}\n', r'bad\.jsonl:1: field "response" must be a string'),
        # NaN is read as null; "missing field" misled for a field that is there (before 0.3.17).
        (b'{"prompt_id": "a", "response": NaN}\n', r'bad\.jsonl:1: field "response" is null \(or NaN/Infinity\)'),
        (b'{"prompt_id": "a", "response": null}\n', r'bad\.jsonl:1: field "response" is null'),
        (b'{"prompt_id": "a", "response": "x"}\r{"prompt_id": "b", "response": "y"}\r',
         r"bad\.jsonl:1: invalid JSON: Extra data .*carriage return alone"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_corpus(path, format="stylesim")


_LINE = '{"prompt_id": "a", "response": "hello there"}\n'


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE"), ("utf-32", "UTF-32")],
)
@pytest.mark.parametrize("given_format", [None, "stylesim"])
def test_a_wide_encoding_is_named_with_the_fix(
    tmp_path: Path, encoding: str, named: str, given_format: str | None
) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes(_LINE.encode(encoding))
    with pytest.raises(InputError, match=rf"wide\.jsonl: is {named} text; .*iconv -f {named} -t UTF-8"):
        load_corpus(path, format=given_format)


def test_utf8_text_and_binary_data_are_not_called_utf16() -> None:
    from stylesim.formats._io import wide_encoding

    assert wide_encoding("Ελληνικά 中文 {\"a\": 1}".encode()) is None
    assert wide_encoding(bytes(range(256)) * 2) is None  # NULs rare and on both sides
    assert wide_encoding(b"\x00" * 200) is None  # zero padding: NULs on both sides


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_corpus(tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match="is a directory"):
        load_corpus(tmp_path)


def test_alignment_by_id_reports_drops(tmp_path: Path) -> None:
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", voice_rows("a", "plain", n=25)))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", voice_rows("b", "fancy", n=22)))
    alignment = align([a, b])
    assert alignment.n_prompts == 22 and alignment.by == "prompt id"
    assert alignment.dropped == {"a": 3, "b": 0}


def test_alignment_falls_back_to_prompt_text(tmp_path: Path) -> None:
    rows_b = voice_rows("b", "fancy")
    for i, row in enumerate(rows_b):
        row["prompt_id"] = f"other-{i}"
        row["prompt"] = "  " + row["prompt"].upper() + " "
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", voice_rows("a", "plain")))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", rows_b))
    alignment = align([a, b])
    assert alignment.by == "prompt text" and alignment.n_prompts == 25
    # Outputs line up with the same prompt on both sides.
    for group_a, group_b in zip(*alignment.outputs):
        assert normalise_prompt(group_a[0].prompt) == normalise_prompt(group_b[0].prompt)


def test_blank_prompt_texts_name_no_prompt(tmp_path: Path) -> None:
    """A file of empty prompts made every shared id look like an unrelated prompt: all were left
    out, and the error named another input as sharing 48 (before 0.3.17). A blank text is not
    compared, and pairs with nothing when prompts are matched by text; one blank prompt leaves
    the others matched by text (a review of a first fix, which read blanks as no text at all and
    so turned matching by text off for the whole run)."""
    rows = voice_rows("blank", "plain")
    for i, row in enumerate(rows):
        row["prompt"] = ["", "   ", "\n\t"][i % 3]
    blank = load_corpus(write_jsonl(tmp_path / "blank.jsonl", rows))
    others = [load_corpus(write_jsonl(tmp_path / f"m{i}.jsonl", voice_rows(f"m{i}", "plain", seed=i)))
              for i in range(4)]
    assert align([blank, *others]).n_prompts == len(rows)
    # Renumbered files matched by text, one prompt blank in both: the rest still pair by text.
    a_rows, b_rows = voice_rows("a", "plain", n=30), voice_rows("b", "plain", n=30, seed=1)
    for i, (ra, rb) in enumerate(zip(a_rows, b_rows)):
        ra["prompt_id"], rb["prompt_id"] = f"a{i}", f"b{i}"
        rb["prompt"] = ra["prompt"]
    a_rows[-1]["prompt"] = b_rows[-1]["prompt"] = ""
    paired = align([load_corpus(write_jsonl(tmp_path / "a.jsonl", a_rows)),
                    load_corpus(write_jsonl(tmp_path / "b.jsonl", b_rows))])
    texts = {normalise_prompt(r["prompt"]) for r in a_rows[:-1]}  # some prompts repeat: one unit each
    assert paired.by == "prompt text" and paired.n_prompts == len(texts)


def test_ids_left_out_as_unrelated_prompts_are_not_counted_as_shared(tmp_path: Path) -> None:
    """The hint behind "no prompts in common" named an input as sharing every id with another,
    counting ids the conflict check had just left out (before 0.3.17)."""
    paths = [write_jsonl(tmp_path / f"m{i}.jsonl", voice_rows(f"m{i}", "plain", seed=i)) for i in range(4)]
    odd_rows = voice_rows("odd", "plain", seed=9)
    for row in odd_rows:
        row["prompt"] = "Something else entirely, about " + row["prompt_id"] + " and sailing ships at night."
    odd = write_jsonl(tmp_path / "odd.jsonl", odd_rows)
    with pytest.raises(AlignmentError, match=r"5 corpora \(fewest: .*odd\.jsonl shares at most 0 with any other"):
        align([load_corpus(p) for p in [*paths, odd]])


def test_one_prompt_in_common_is_singular(tmp_path: Path) -> None:
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", voice_rows("a", "plain", n=1)))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", voice_rows("b", "plain", n=1)))
    with pytest.raises(AlignmentError, match="have only 1 prompt in common"):
        align([a, b])


def test_alignment_refuses_below_minimum(tmp_path: Path) -> None:
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", voice_rows("a", "plain", n=10)))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", voice_rows("b", "plain", n=10)))
    with pytest.raises(AlignmentError, match="only 10 prompts in common"):
        align([a, b])
    assert align([a, b], min_prompts=5).n_prompts == 10


def test_no_prompts_in_common(tmp_path: Path) -> None:
    rows_b = voice_rows("b", "plain")
    for row in rows_b:
        row["prompt_id"] = "x" + row["prompt_id"]
        row["prompt"] = "Different " + row["prompt"]
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", voice_rows("a", "plain")))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", rows_b))
    with pytest.raises(AlignmentError, match="have no prompts in common"):
        align([a, b])


def test_large_file_is_streamed(tmp_path: Path) -> None:
    """Reading keeps only what it needs: records of other models are not held in memory."""
    path = tmp_path / "big.jsonl"
    filler = "word " * 400
    with path.open("w", encoding="utf-8") as handle:
        for i in range(12000):
            model = "wanted" if i < 30 else "other"
            handle.write(json.dumps({"prompt_id": f"p{i}", "response": filler, "model": model}) + "\n")
    size = path.stat().st_size
    tracemalloc.start()
    corpus = load_corpus(path, model="wanted")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(corpus.outputs) == 30
    assert size > 20_000_000
    assert peak < size / 10


def test_many_corpora_without_common_prompts_name_the_input_sharing_least(tmp_path: Path) -> None:
    paths = [write_jsonl(tmp_path / f"m{i}.jsonl", voice_rows(f"m{i}", "plain", seed=i)) for i in range(4)]
    odd_rows = voice_rows("odd", "plain", seed=9)
    for row in odd_rows:
        row["prompt_id"], row["prompt"] = "x" + row["prompt_id"], row["prompt"] + " Elsewhere."
    odd = write_jsonl(tmp_path / "odd.jsonl", odd_rows)
    for order in ([*paths, odd], [odd, *paths]):  # given first, it was not named up to 0.3.13 (an audit)
        with pytest.raises(AlignmentError,
                           match=r"5 corpora \(fewest: .*odd\.jsonl shares at most 0 with any other input\)"):
            align([load_corpus(p) for p in order])


@pytest.mark.parametrize(("text", "refusal"), [
    ("I'm sorry, but I can't help with that request.", True),
    ("I cannot assist with creating malware.", True),
    ("I can't create a table directly, but here is the same data as a list: " + "item " * 45, False),
    ("Unfortunately, I am unable to open links. Here's how you can check it yourself: " + "step " * 45, False),
    # A turn to content that is not followed by an answer, or an offer of something else, still counts.
    ("I can't create a table directly, but here is why.", True),
    ("I'm sorry, but I can't help with that. However, I can point you to resources. " + "word " * 45, True),
    ("Sorry, I can't do that.\n\nHere is a poem instead: " + "line " * 45, True),
    ("Here is the answer you asked for.", False),
    # "help" as a verb of a story or a song, not an offer declined (counted as refusals up to 0.3.15).
    ("I cannot help the way I feel\nAbout the morning sky", False),
    ("I can't help but notice the bulge in her pocket as she sits down.", False),
    ("I can't help you with that.", True),
    ("I cannot assist.", True),
])
def test_a_cannot_that_goes_on_to_answer_is_not_a_refusal(text: str, refusal: bool) -> None:
    from stylesim.hygiene import is_refusal

    assert is_refusal(text) is refusal


def test_ids_with_the_same_natural_key_align_in_one_order(tmp_path: Path) -> None:
    """"q1" and "q001" sort alike by their numbers; the id breaks the tie, never set order (which
    changes with PYTHONHASHSEED and moved every bootstrap draw before 0.3.10)."""
    paths = []
    for name in ("a", "b"):
        rows = [{**row, "prompt_id": f"q{i // 2 + 1:03d}" if i % 2 else f"q{i // 2 + 1}",
                 "prompt": f"{row['prompt']} ({i})"} for i, row in enumerate(voice_rows(name, "plain", n=24))]
        paths.append(load_corpus(write_jsonl(tmp_path / f"{name}.jsonl", rows)))
    keys = align(paths).keys
    assert keys == [k for i in range(1, 13) for k in (f"q{i:03d}", f"q{i}")]


def test_a_line_break_in_a_model_name_is_a_space() -> None:
    """clean_name removed control characters before collapsing whitespace, so "sage\\nnew" became
    "sagenew" (0.3.9); invisible and direction-changing characters are still removed."""
    from stylesim.corpus import clean_name

    assert clean_name("sage\nnew") == "sage new"
    assert clean_name(" a\t\u202eb\r\n c ") == "a b c"
    assert clean_name("\n\u200b") == "model"


def _renumbered(rows: list[dict], order: list[int]) -> list[dict]:
    """The same answers with their prompts, numbered in another order (prompt ids 0..n-1)."""
    out = []
    for new_id, old in enumerate(order):
        row = dict(rows[old])
        row["prompt_id"] = str(new_id)
        out.append(row)
    return out


def test_ids_that_name_different_prompts_are_matched_by_text(tmp_path: Path, caplog) -> None:
    # Both files number their prompts 0..24, but B's numbering was made after a shuffle: id 3 in
    # B is another prompt than id 3 in A. Pairing by id would compare answers to different
    # prompts; the texts say so, and the prompts are matched by text instead, with a warning.
    rows_a, rows_b = voice_rows("a", "plain"), voice_rows("b", "fancy")
    order = list(range(25))
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", _renumbered(rows_a, order)))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", _renumbered(rows_b, order[::-1])))
    with caplog.at_level("WARNING"):
        alignment = align([a, b])
    assert alignment.by == "prompt text" and alignment.n_prompts == 25
    for group_a, group_b in zip(*alignment.outputs):
        assert normalise_prompt(group_a[0].prompt) == normalise_prompt(group_b[0].prompt)
    assert "24 of the 25 shared prompt ids name another prompt in one file than in another" in caplog.text
    assert "a.jsonl" in caplog.text and "b.jsonl" in caplog.text and "matched by prompt text" in caplog.text


def test_ids_that_name_different_prompts_without_texts_to_match_are_refused(tmp_path: Path) -> None:
    rows_a, rows_b, rows_c = voice_rows("a", "plain"), voice_rows("b", "fancy"), voice_rows("c", "plain")
    order = list(range(25))
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", _renumbered(rows_a, order)))
    swapped = order[:]
    swapped[0], swapped[1] = 1, 0  # one pair of ids swapped
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", _renumbered(rows_b, swapped)))
    # C gives no prompt texts, so the three cannot be matched by text; A and B still disagree.
    c = load_corpus(write_jsonl(tmp_path / "c.jsonl", [{k: v for k, v in r.items() if k != "prompt"}
                                                       for r in _renumbered(rows_c, order)]))
    with pytest.raises(AlignmentError, match=r"2 of the 25 shared prompt ids name another prompt in one file than in "
                                             r"another \(e\.g\. id '0' in .*a\.jsonl and .*b\.jsonl\): .*, and "
                                             r".*c\.jsonl gives no prompt texts to pair them by"):
        align([a, b, c])
    # Ids that agree wherever both files give a text are matched by id, as before.
    assert align([a, c]).by == "prompt id"


def test_ids_whose_texts_differ_only_in_case_and_spacing_still_match(tmp_path: Path) -> None:
    rows_b = voice_rows("b", "fancy")
    for row in rows_b:
        row["prompt"] = "  " + row["prompt"].upper().replace(" ", "   ") + "\n"
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", voice_rows("a", "plain")))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", rows_b))
    alignment = align([a, b])
    assert alignment.by == "prompt id" and alignment.n_prompts == 25


def test_a_revised_prompt_under_its_id_is_the_same_prompt(tmp_path: Path, caplog) -> None:
    # Benchmarks revise prompts between runs (EQ-Bench's "cozy spacepunk" became "cozy sci-fi");
    # an edit that leaves most words is still the prompt its id names, so ids still pair them.
    rows_b = voice_rows("b", "fancy")
    rows_b[3]["prompt"] = rows_b[3]["prompt"] + " <seed>"
    rows_b[4]["prompt"] = rows_b[4]["prompt"].replace(" ", " really ", 1)
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", voice_rows("a", "plain")))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", rows_b))
    with caplog.at_level("WARNING"):
        alignment = align([a, b])
    assert alignment.by == "prompt id" and alignment.n_prompts == 25
    assert "different prompt texts" not in caplog.text


def test_ids_whose_prompts_are_other_prompts_altogether_are_refused(tmp_path: Path) -> None:
    rows_b = voice_rows("b", "fancy")
    for row in rows_b:
        row["prompt"] = f"Summarise chapter {row['prompt_id']} of an unrelated novel in plain words."
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", voice_rows("a", "plain")))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", rows_b))
    # Every shared id names an unrelated prompt: each is left out, and nothing is left to compare.
    with pytest.raises(AlignmentError, match="no prompts in common"):
        align([a, b])


def test_a_prompt_replaced_under_its_old_id_is_left_out_and_the_rest_pair_by_id(tmp_path: Path, caplog) -> None:
    # One prompt rewritten under its id (not another id's prompt, few words shared) is not the
    # same prompt: that id is left out with a warning; the others still pair by id, and a third
    # input without prompt texts is no reason to refuse.
    rows_b = voice_rows("b", "fancy")
    rows_b[5]["prompt"] = "Compose a limerick about a lighthouse keeper."
    a = load_corpus(write_jsonl(tmp_path / "a.jsonl", voice_rows("a", "plain")))
    b = load_corpus(write_jsonl(tmp_path / "b.jsonl", rows_b))
    c = load_corpus(write_jsonl(tmp_path / "c.jsonl", [{k: v for k, v in r.items() if k != "prompt"}
                                                       for r in voice_rows("c", "plain")]))
    with caplog.at_level("WARNING"):
        alignment = align([a, b, c])
    assert alignment.by == "prompt id" and alignment.n_prompts == 24
    assert rows_b[5]["prompt_id"] not in alignment.keys
    assert "1 of the 25 shared prompt ids name unrelated prompt texts in two files" in caplog.text
    assert f"id {rows_b[5]['prompt_id']!r}" in caplog.text and "left out" in caplog.text


def test_a_few_prompts_answered_twice_under_one_id_are_warned_about(tmp_path: Path, caplog) -> None:
    """Up to 0.3.13 a second, different answer under a prompt id became a further sample without a
    word (only an exact repeat was warned about). A file that gives most prompts several answers
    without numbering them is a design, not a slip, and says nothing."""
    rows = voice_rows("m", "plain", seed=1)
    slip = write_jsonl(tmp_path / "slip.jsonl", [*rows, {**rows[3], "response": "Another answer entirely."}])
    with caplog.at_level("WARNING"):
        corpus = load_corpus(slip)
    assert "1 prompt(s) of 25 have more than one answer under the same prompt id" in caplog.text
    assert corpus.hygiene.duplicates_renumbered == 1
    caplog.clear()
    # Real samples (numbered) of some prompts beside the slip do not count as answered twice.
    numbered = [{**row, "sample": 1, "response": row["response"] + " Again."} for row in rows[:5]]
    write_jsonl(slip, [*rows, *numbered, {**rows[3], "response": "Another answer entirely."}])
    with caplog.at_level("WARNING"):
        load_corpus(slip)
    assert "1 prompt(s) of 25 have more than one answer under the same prompt id" in caplog.text
    caplog.clear()
    twice = write_jsonl(tmp_path / "twice.jsonl", [*rows, *({**r, "response": r["response"] + " Again."} for r in rows)])
    with caplog.at_level("WARNING"):
        load_corpus(twice)
    assert "more than one answer" not in caplog.text


def test_one_prompt_written_with_other_spacing_or_case_is_the_same_prompt(tmp_path: Path) -> None:
    """Samples of one prompt whose prompt texts differ only in case and spacing are one prompt (a
    mutation audit compared them raw and no test failed)."""
    rows = [{"model": "m", "prompt_id": "p1", "sample": 0, "prompt": "Hi  there", "response": "Hello to you."},
            {"model": "m", "prompt_id": "p1", "sample": 1, "prompt": "hi there ", "response": "Hello again."}]
    corpus = load_corpus(write_jsonl(tmp_path / "m.jsonl", rows))
    assert list(corpus.prompts) == ["p1"] and len(corpus.outputs) == 2


@pytest.mark.parametrize(("reason", "truncated"), [("length", True), ("max_tokens", True), ("MAX_TOKENS", True),
                                                   ("stop", False), (None, False)])
def test_an_answer_cut_by_its_token_limit_is_flagged(tmp_path: Path, reason: str | None, truncated: bool) -> None:
    """OpenAI says "length", Anthropic "max_tokens" (a mutation audit dropped the second and no test
    failed)."""
    rows = [{"prompt_id": "p1", "response": "An answer that stops mid", "finish_reason": reason}]
    corpus = load_corpus(write_jsonl(tmp_path / "m.jsonl", rows))
    assert corpus.hygiene.truncated == int(truncated) and corpus.outputs[0].truncated is truncated


def test_the_example_of_repeated_answers_is_the_most_repeated(tmp_path: Path) -> None:
    rows = [{"prompt_id": f"p{i}", "response": text} for i, text in
            enumerate(["Ask again.", "Ask again.", "Sure.", "Sure.", "Sure.", "A real answer here."])]
    report = load_corpus(write_jsonl(tmp_path / "m.jsonl", rows)).hygiene.to_dict()
    assert report["same_text_other_prompts"] == 5 and report["same_text_example"] == "Sure."
