"""The EQ-Bench "Most Similar To" reproduction on small corpora written here (no shared data)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import stylesim.cli.reproduce_cmd  # noqa: F401  (registers `stylesim reproduce`)
from stylesim.cli.app import app
from stylesim.corpus import load_corpus
from stylesim.errors import ConfigurationError, InputError
from stylesim.report import render_html
from stylesim.reproduce import background as bg
from stylesim.reproduce import (
    distance_matrix,
    jaccard_distance,
    nearest_lists,
    render_reproduce_html,
    reproduce_eqbench_similarity,
    slop_feature_set,
    tokens,
)
from stylesim.reproduce import profile as prof

FILLER = ("river stone window garden morning market letter bridge valley harbor lantern meadow "
          "pocket forest island candle mirror ladder kettle orchard").split()
# Invented words (unknown to wordfreq) so they rank first; bigrams of them never occur in human text.
SHARED = "zorvath quillon brenmark faldric yssolt".split()
OWN = {
    "a": "kethrin dovmar".split(), "b": "ulvenor prast".split(),
    "c": "marrowisp tanglefen grusk vheldra oskarne".split(),
    "d": "pellimar trovash ebberly quistan norvelle".split(),
}


def write_rows(path: Path, model: str, signature: list[str], *, n_prompts: int = 24, seed: int = 0,
               extra: str = "") -> Path:
    rng = random.Random(f"{model}:{seed}")
    rows = []
    for i in range(n_prompts):
        filler = " ".join(rng.choice(FILLER) for _ in range(40))
        phrases = " ".join(f"{rng.choice(signature)} {rng.choice(signature)}." for _ in range(10))
        text = f"Story {i}. The {filler}. {phrases} {extra}"
        rows.append({"prompt_id": f"p{i:02d}", "prompt": f"Write story {i}.", "response": text, "model": model})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def four(tmp_path: Path) -> list[Path]:
    """Models a and b share most of their signature words; c and d each have their own."""
    return [
        write_rows(tmp_path / "a.jsonl", "model-a", SHARED + OWN["a"], seed=1),
        write_rows(tmp_path / "b.jsonl", "model-b", SHARED + OWN["b"], seed=2),
        write_rows(tmp_path / "c.jsonl", "model-c", OWN["c"], seed=3),
        write_rows(tmp_path / "d.jsonl", "model-d", OWN["d"], seed=4),
    ]


def human_file(tmp_path: Path, bigrams: dict[str, int] | None = None) -> Path:
    data = {"human-authored": {
        "num_texts_analyzed": 1000, "avg_length": 3000.0,
        "top_bigrams": [{"ngram": g, "frequency": f} for g, f in (bigrams or {"could see": 500}).items()],
        "top_trigrams": [{"ngram": "took deep breath", "frequency": 90}],
    }}
    path = tmp_path / "human.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def profile_of(texts: list[tuple[str, str]]) -> prof.ModelProfile:
    return prof.build_profile("m", texts)


def full(p: prof.ModelProfile) -> np.ndarray:
    return np.ones(len(p.prompts))


# --- tokens -------------------------------------------------------------------------------

def test_words_need_four_letters_or_an_apostrophe() -> None:
    assert tokens.words(tokens.normalize("The cat’s whiskers twitched; she'd go. Half-smile!")) == [
        "cat's", "whiskers", "twitched", "she'd", "half", "smile"]


def test_possessives_merge_but_contractions_do_not() -> None:
    assert tokens.merge_key("veyra's") == "veyra"
    assert tokens.merge_key("it's") == "it's"
    assert tokens.merge_key("let's") == "let's"


def test_ngram_tokens_follow_nltk_rules() -> None:
    text = tokens.normalize("I can't stop, gonna run. The half-smile faded, and Dr. Vance left… “Go!”")
    assert tokens.ngram_tokens(text) == ["ca", "stop", "gon", "na", "run", "faded", "vance", "left", "go"]
    # NLTK 3.9 keeps em-dashed words together (one non-alphabetic token, dropped).
    assert tokens.ngram_tokens(tokens.normalize("something else—something old")) == ["something", "old"]


def test_stop_words_are_the_nltk_list() -> None:
    assert len(tokens.STOP_WORDS) == 179
    assert {"the", "and", "was", "her", "wouldn't", "ma"} <= tokens.STOP_WORDS
    assert not {"said", "like", "could", "would", "ca"} & tokens.STOP_WORDS


# --- feature rules --------------------------------------------------------------------------

def test_word_rules_prompts_and_count() -> None:
    texts = [
        ("1", "zorvath " * 6 + "onlyhere " * 9 + "fivetimes " * 3),
        ("2", "zorvath " * 1 + "fivetimes " * 2 + "sixtimes " * 3),
        ("3", "sixtimes " * 3 + "cat " * 20 + "cat " * 20),
    ]
    chosen = prof.select_words(profile_of(texts), np.ones(3)).terms
    assert "zorvath" in chosen  # 7 times in 2 prompts
    assert "sixtimes" in chosen  # 6 times (> 5) in 2 prompts
    assert "fivetimes" not in chosen  # 5 times: not more than 5
    assert "onlyhere" not in chosen  # one prompt only
    assert "cat" not in chosen  # three letters


def test_possessive_counts_join_the_bare_word() -> None:
    texts = [("1", "veyra veyra's veyra's"), ("2", "veyra veyra's veyra's")]
    selection = prof.select_words(profile_of(texts), np.ones(2))
    assert selection.terms == ["veyra"] and selection.counts == [6]


def test_word_cap_and_ranking() -> None:
    invented = [f"zq{chr(97 + i // 26)}{chr(97 + i % 26)}vor" for i in range(150)]
    texts = [(str(p), " ".join(w for w in invented for _ in range(3)) + " window " * 200) for p in range(2)]
    selection = prof.select_words(profile_of(texts), np.ones(2))
    assert len(selection.terms) == prof.WORD_CAP == 120
    assert "window" not in selection.terms  # a common English word ranks below invented ones
    assert selection.terms == invented[:120]  # equal counts: first occurrence breaks the tie
    assert selection.ratios == sorted(selection.ratios, reverse=True)


def test_ngram_rules_prompts_stopwords_and_cap() -> None:
    grams = [f"zq{chr(97 + i // 26)}{chr(97 + i % 26)} vorn{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(60)]
    texts = [(str(p), ". ".join(grams) + ". the kettle of the orchard. twoprompt ledger.") for p in range(3)]
    texts.append(("3", "twoprompt ledger."))
    profile = profile_of(texts)
    selection = prof.select_ngrams(profile, 2, full(profile), prof.BIGRAM_CAP)
    assert len(selection.terms) == prof.BIGRAM_CAP == 40
    assert all(" the " not in f" {t} " and " of " not in f" {t} " for t in selection.terms)
    assert "kettle orchard" in prof.select_ngrams(profile, 2, full(profile), 500).terms  # stop words removed first
    two = [("1", "twoprompt ledger."), ("2", "twoprompt ledger."), ("3", "other words here.")]
    assert "twoprompt ledger" not in prof.select_ngrams(profile_of(two), 2, np.ones(3), 40).terms
    assert "twoprompt ledger" in prof.select_ngrams(profile_of(two + [("4", "twoprompt ledger.")]), 2, np.ones(4), 40).terms


def test_ngrams_missing_from_the_human_profile_rank_first(tmp_path: Path) -> None:
    texts = [(str(p), "could see. " * 9 + "zorvath gleamed. " * 2) for p in range(3)]
    profile = profile_of(texts)
    bg.attach_human([profile], bg.load_human_profile(human_file(tmp_path, {"could see": 500})))
    selection = prof.select_ngrams(profile, 2, full(profile), 40)
    listed = selection.terms.index("could see")  # 27 times, but common in human writing
    assert listed == len(selection.terms) - 1 and np.isfinite(selection.ratios[listed])
    assert "zorvath gleamed" in selection.terms[:listed]  # 6 times, absent from the human profile
    assert all(r == float("inf") for r in selection.ratios[:listed])
    by_count = prof.select_ngrams(profile, 2, full(profile), 40, ranking="frequency")
    assert by_count.terms[0] == "could see"


def test_feature_set_unites_three_lists(four: list[Path], tmp_path: Path) -> None:
    features = slop_feature_set(four[0], human_file(tmp_path))
    assert "zorvath" in features and any(" " in f and f.count(" ") == 1 for f in features)
    assert len(features) <= 200


def test_human_profile_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.json: no such file"):
        bg.load_human_profile(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{oops", encoding="utf-8")
    with pytest.raises(InputError, match="broken.json:1: invalid JSON"):
        bg.load_human_profile(broken)
    other = tmp_path / "other.json"
    other.write_text('{"a": 1, "b": 2}', encoding="utf-8")
    with pytest.raises(InputError, match="not a human n-gram profile"):
        bg.load_human_profile(other)


@pytest.mark.parametrize(("edit", "message"), [
    ({"frequency": "abc"}, "'frequency' must be a whole number"),
    ({"frequency": None}, "'frequency' must be a whole number"),
    ({"frequency": "1e400"}, "'frequency' must be a whole number"),
    ({"frequency": -5}, "'frequency' must be a whole number"),
    ({"num_texts_analyzed": "1" + "0" * 400}, "usable 'num_texts_analyzed'"),
    ({"avg_length": "nan"}, "not a finite number"),
    ({"avg_length": "inf"}, "not a finite number"),
])
def test_unusable_numbers_in_a_human_profile_are_one_line(tmp_path: Path, edit: dict, message: str) -> None:
    """Each of these raised ValueError, TypeError or OverflowError with a traceback (0.3.9); "nan" and
    "inf" passed and crashed after the reproduction had run."""
    data = json.loads(human_file(tmp_path).read_text())["human-authored"]
    if "frequency" in edit:
        data["top_bigrams"][0]["frequency"] = edit["frequency"]
    else:
        data.update(edit)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data).replace('"1e400"', "1e400"), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        bg.load_human_profile(path)


# --- distances and neighbours ----------------------------------------------------------------

def test_jaccard_distance_math() -> None:
    assert jaccard_distance({"a", "b", "c"}, {"b", "c", "d"}) == pytest.approx(1 - 2 / 4)
    assert jaccard_distance({"a"}, {"a"}) == 0.0
    assert jaccard_distance({"a"}, {"b"}) == 1.0
    assert jaccard_distance(set(), set()) == 0.0
    assert jaccard_distance(set(), {"x"}) == 1.0


def test_distance_matrix_is_symmetric_with_zero_diagonal() -> None:
    sets = [{"a", "b"}, {"b", "c"}, {"c", "d", "e"}, {"a", "b", "c"}]
    matrix = distance_matrix(sets)
    assert np.allclose(matrix, matrix.T) and np.all(np.diag(matrix) == 0)
    assert matrix[0, 3] == pytest.approx(jaccard_distance(sets[0], sets[3]))


def test_nearest_lists_sorted_without_self() -> None:
    names = ["m1", "m2", "m3", "m4"]
    matrix = distance_matrix([{"a", "b"}, {"a", "b", "c"}, {"x"}, {"a", "x"}])
    lists = nearest_lists(names, matrix, top_k=2)
    for name, entry in lists.items():
        near = entry["nearest"]
        assert len(near) == 2 and name not in [n["model"] for n in near]
        assert [n["distance"] for n in near] == sorted(n["distance"] for n in near)
    assert lists["m1"]["nearest"][0]["model"] == "m2"


# --- the whole reproduction -------------------------------------------------------------------

def test_reproduction_json_shape(four: list[Path], tmp_path: Path) -> None:
    result = reproduce_eqbench_similarity(four, human_profile_path=human_file(tmp_path), calibrated=False,
                                          n_resamples=20, top_k=2)
    data = json.loads(result.to_json())
    assert data["kind"] == "reproduce-eqbench" == result.kind
    names = {"model-a", "model-b", "model-c", "model-d"}
    assert set(data["models"]) == names
    for entry in data["models"].values():
        assert len(entry["nearest"]) == 2 and set(entry["nearest"][0]) == {"model", "distance"}
    assert set(data["features"]) == names
    assert set(data["features"]["model-a"]) == {"words", "bigrams", "trigrams"}
    assert all({"choice", "chosen", "why"} == set(c) for c in data["choices"]) and len(data["choices"]) >= 10
    assert data["published"]["distance"] == 0.658 and data["published"]["mutual"] is True
    rep = data["reproduced"]
    assert set(rep["pair"]) == {"model-a", "model-b"} and rep["mutual"] is True
    assert rep["rank_of_b_for_a"] == rep["rank_of_a_for_b"] == 1
    assert rep["distance"] == pytest.approx(data["distances"]["matrix"][0][1], abs=1e-4)
    assert rep["ci"]["low"] <= rep["ci"]["high"] and 0 <= rep["bootstrap"]["mutual_share"] <= 1
    assert data["calibrated"] is None
    assert data["background"]["kind"] == "human"


def test_only_the_published_pair_is_set_against_the_published_figure(four: list[Path], tmp_path: Path) -> None:
    absent = reproduce_eqbench_similarity(four, calibrated=False, n_resamples=10).to_dict()
    assert absent["reproduced"]["difference_from_published"] is None
    assert absent["verdict"]["headline"].startswith("The published pair is not among these inputs")
    assert "against the published" not in absent["verdict"]["headline"]
    assert not any("0.658 lies" in d for d in absent["verdict"]["details"])
    html = render_html(absent)
    assert "for another pair, absent here" in html and "Published (" not in html
    # The same outputs under the published pair's names.
    renamed = []
    for path, name in zip(four, ("Mistral-Small-3.2-24B-Instruct-2506", "DeepSeek-V3-0324")):
        renamed.append(tmp_path / f"{name}.jsonl")
        renamed[-1].write_text(path.read_text().replace(path.stem.join(['"model-', '"']), f'"{name}"'))
    present = reproduce_eqbench_similarity([*renamed, *four[2:]], calibrated=False, n_resamples=10).to_dict()
    assert present["reproduced"]["why_this_pair"] == "the published pair"
    assert "against the published 0.658" in present["verdict"]["headline"]
    assert present["reproduced"]["difference_from_published"] == pytest.approx(
        present["reproduced"]["distance"] - 0.658, abs=1e-4)


def test_bootstrap_is_seeded(four: list[Path], tmp_path: Path) -> None:
    corpora = [load_corpus(p) for p in four]
    runs = [reproduce_eqbench_similarity(corpora, calibrated=False, n_resamples=15, seed=s).to_dict()
            for s in (7, 7, 8)]
    boots = [r["reproduced"]["bootstrap"]["distribution"] for r in runs]
    assert boots[0] == boots[1] and boots[0] != boots[2]


def test_without_human_profile_the_pooled_background_is_said(four: list[Path]) -> None:
    data = reproduce_eqbench_similarity(four, calibrated=False, n_resamples=0).to_dict()
    assert data["background"]["kind"] == "pooled" and data["background"]["path"] is None
    assert any("pooled" in line for line in data["verdict"]["details"])
    assert any(c["choice"] == "N-gram background" and "pooled" in c["chosen"] for c in data["choices"])
    assert data["reproduced"]["bootstrap"] is None and data["reproduced"]["ci"] is None


def test_calibrated_view_is_compact(four: list[Path], tmp_path: Path) -> None:
    data = reproduce_eqbench_similarity(four, human_profile_path=human_file(tmp_path), n_resamples=10,
                                        calibrated_resamples=20).to_dict()
    cal = data["calibrated"]
    assert cal["models"]["a"] in data["reproduced"]["pair"] and len(cal["models"]["panel"]) == 2
    assert {"estimate", "ci_low", "ci_high"} <= set(cal["similarity"]["uncentred"])
    assert {"rank", "pvalue", "closeness_index"} <= set(cal["panel"])
    assert "bootstrap" not in cal["similarity"]
    assert all("bootstrap" not in f and "null" not in f.get("test", {}) for f in cal["families"].values())
    assert cal["verdict"]["headline"]
    details = " ".join(data["verdict"]["details"])
    assert "picked on these same outputs" in details and "cannot confirm" in details
    # The p-value that allows for the pick: B as the best of every model compared with A (max-T).
    agreement = cal["agreement"]
    assert agreement["pvalue_above_background_if_picked"] >= agreement["pvalue_above_background"]
    assert "Allowing for the pick, the sign-flip test" in details
    # The Jaccard interval allowing for the pick: simultaneous over A's row, so never narrower.
    boot = data["reproduced"]["bootstrap"]
    low, high = boot["ci_allowing_pick"]
    assert low <= boot["ci_low"] and high >= boot["ci_high"]
    assert f"the 95% interval is {low:.3f} to {high:.3f}" in details
    runner_up = cal["panel"]["models"][1]
    assert f"the next, {runner_up['name']}, at t = " in details
    # The report's family table shows each family's resemblance (it read a schema-1 key: all n/a).
    html = render_html(data)
    table = html[html.index('id="t-cal-families"'):]
    table = table[: table.index("</table>")]
    for family in cal["families"].values():
        value = family["resemblance"]["centred"] or family["resemblance"]["uncentred"]
        assert f"{value['estimate']:.2f}".replace("-", "\u2212") in table
    # Only ranks by agreement carry a p-value; ranks by resemblance are descriptive.
    ranked = sum(1 for f in cal["families"].values() if (f.get("agreement") or {}).get("panel_rank") is not None)
    assert table.count("p = ") == ranked


def test_too_few_models_is_refused(four: list[Path]) -> None:
    with pytest.raises(ConfigurationError):
        reproduce_eqbench_similarity(four[:1])


def test_a_folder_expands_to_its_files(four: list[Path]) -> None:
    data = reproduce_eqbench_similarity([four[0].parent], calibrated=False, n_resamples=0).to_dict()
    assert set(data["models"]) == {"model-a", "model-b", "model-c", "model-d"}


# --- report and command line ------------------------------------------------------------------

def test_html_escapes_model_text(tmp_path: Path, four: list[Path]) -> None:
    evil = write_rows(tmp_path / "evil.jsonl", "<script>alert(1)</script>", SHARED + ["scriptword"],
                      extra="<script>alert(1)</script> <img src=x onerror=alert(2)>")
    result = reproduce_eqbench_similarity([*four[1:], evil], calibrated=False, n_resamples=5)
    html = render_reproduce_html(result)
    assert html.startswith("<!DOCTYPE html>")
    # The only script is the shared report's own, pinned by hash in the Content-Security-Policy.
    assert "<script>alert(1)</script>" not in html and html.count("<script") == 1 and "onerror=alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "default-src &#39;none&#39;" in html and "unsafe-inline" not in html  # the CSP, escaped in its attribute


runner = CliRunner()


def test_cli_writes_json_and_html(four: list[Path], tmp_path: Path) -> None:
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    result = runner.invoke(app, ["reproduce", "eqbench-similarity", *map(str, four), "--human-profile",
                                 str(human_file(tmp_path)), "--no-calibrated", "--resamples", "10",
                                 "--json", str(out_json), "--out", str(out_html)])
    assert result.exit_code == 0, result.output
    assert json.loads(out_json.read_text())["kind"] == "reproduce-eqbench"
    assert out_html.read_text().startswith("<!DOCTYPE html>")
    assert "The published pair is not among these inputs" in result.output
    # The verdict's notes reach the terminal too (0.3.10 printed the headline alone).
    details = json.loads(out_json.read_text())["verdict"]["details"]
    plain = result.output.replace("\u2068", "").replace("\u2069", "")
    assert details and all(f"  - {d}".replace("\u2068", "").replace("\u2069", "") in plain for d in details)


def test_cli_folder_input(four: list[Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["reproduce", "eqbench-similarity", str(four[0].parent), "--no-calibrated",
                                 "--resamples", "0"])
    assert result.exit_code == 0, result.output
    assert "model-a  ->  model-b" in result.output


@pytest.mark.parametrize("case", ["json", "out"])
def test_cli_never_writes_over_a_file_inside_an_input_folder(four: list[Path], case: str) -> None:
    """Up to 0.3.9 outputs were checked against the folder's name only, so --json FOLDER/a.jsonl
    replaced a model's outputs with the result."""
    before = four[0].read_bytes()
    result = runner.invoke(app, ["reproduce", "eqbench-similarity", str(four[0].parent), "--no-calibrated",
                                 "--resamples", "0", f"--{case}", str(four[0])])
    assert result.exit_code == 1 and "is also an input" in result.output, result.output
    assert result.output.count("\n") == 1 and four[0].read_bytes() == before


def test_cli_negative_seed_is_one_error_line(four: list[Path]) -> None:
    result = runner.invoke(app, ["reproduce", "eqbench-similarity", *map(str, four), "--no-calibrated",
                                 "--seed", "-1"])
    assert result.exit_code == 1 and result.output.startswith("Error: --seed must be a non-negative integer")
    assert result.output.count("\n") == 1, result.output


@pytest.mark.parametrize("bad", ["missing input", "bad profile"])
def test_cli_bad_path_is_one_error_line(bad: str, four: list[Path], tmp_path: Path) -> None:
    out_json = tmp_path / "r.json"
    args = ["reproduce", "eqbench-similarity", *map(str, four), "--no-calibrated", "--json", str(out_json)]
    if bad == "missing input":
        args[2] = str(tmp_path / "missing.html")
        pattern = r"missing\.html: no such file"
    else:
        args += ["--human-profile", str(tmp_path / "nope.json")]
        pattern = r"nope\.json: no such file"
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and re.search(pattern, lines[0]), result.output
    assert "Traceback" not in result.output and not out_json.exists()


def test_a_page_given_twice_counts_once(four: list[Path], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING"):
        data = reproduce_eqbench_similarity([*four, four[0]], calibrated=False, n_resamples=0).to_dict()
    assert len(data["models"]) == 4
    assert "dropped, the same file" in caplog.text and "each model counts once" in caplog.text


def test_cli_summary_on_stdout_and_json_to_stdout_with_dash(four: list[Path]) -> None:
    args = ["reproduce", "eqbench-similarity", *map(str, four), "--no-calibrated", "--resamples", "0"]
    plain = CliRunner().invoke(app, args)
    assert plain.exit_code == 0 and "The published pair is not among" in plain.stdout
    piped = CliRunner().invoke(app, [*args, "--json", "-"])
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.stdout)["kind"] == "reproduce-eqbench"
    assert "The published pair is not among" in piped.stderr


def test_the_mutual_pair_is_in_name_order_whatever_the_input_order() -> None:
    from stylesim.reproduce.eqbench import choose_pair

    distances = np.array([[0.0, 0.2, 0.9], [0.2, 0.0, 0.8], [0.9, 0.8, 0.0]])
    for names in (["zeta", "alpha", "mid"], ["alpha", "zeta", "mid"]):
        a, b, _ = choose_pair(names, distances)
        assert (names[a], names[b]) == ("alpha", "zeta")


def test_too_few_calibrated_resamples_are_refused(tmp_path) -> None:  # noqa: ANN001
    from stylesim.errors import ConfigurationError
    from stylesim.reproduce.eqbench import reproduce_eqbench_similarity

    with pytest.raises(ConfigurationError, match="--calibrated-resamples must be at least 19"):
        reproduce_eqbench_similarity([tmp_path / "missing.jsonl"], calibrated_resamples=-10)
    # 18 would be 18 permutations in the calibrated comparison, too few for p \u2264 0.05.
    with pytest.raises(ConfigurationError, match="--calibrated-resamples must be at least 19"):
        reproduce_eqbench_similarity([tmp_path / "missing.jsonl"], calibrated_resamples=18)


def test_a_fine_tune_named_after_a_published_model_is_not_taken_for_it(caplog: pytest.LogCaptureFixture) -> None:
    from stylesim.reproduce.eqbench import _find

    names = ["someone/DeepSeek-V3-0324-abliterated", "deepseek-ai/DeepSeek-V3-0324", "x/mistral-small-3.2-tune"]
    with caplog.at_level("WARNING"):
        assert _find(names, "deepseek-v3-0324") == 1
    assert "several inputs match 'deepseek-v3-0324'" in caplog.text and "using deepseek-ai/DeepSeek-V3-0324" in caplog.text
    assert _find(names, "mistral-small-3.2") == 2 and _find(names, "gpt-5") is None


def test_profile_prompts_with_the_same_natural_key_keep_one_order() -> None:
    """"q1" and "q001" sort alike by their numbers; the key itself breaks the tie (not set order)."""
    texts = [(key, "She walked slowly through the quiet garden.") for i in range(1, 13) for key in (f"q{i}", f"q{i:03d}")]
    assert profile_of(texts).prompts == [k for i in range(1, 13) for k in (f"q{i:03d}", f"q{i}")]


def test_inputs_that_are_not_eqbench_pages_are_described_as_they_are(four: list[Path], caplog: pytest.LogCaptureFixture) -> None:
    """The open-choices table said "the EQ-Bench prompt number (32 prompts)" for any inputs (0.3.9),
    and two models skipped the calibrated comparison without a word."""
    data = reproduce_eqbench_similarity(four, calibrated=False, n_resamples=0).to_dict()
    row = next(r for r in data["choices"] if r["choice"] == "What counts as a prompt")
    assert "EQ-Bench" not in row["chosen"] and f"({data['inputs'][0]['prompts']} prompts)" in row["chosen"]
    with caplog.at_level("WARNING"):
        reproduce_eqbench_similarity(four[:2], n_resamples=0)
    assert "with two models it is skipped" in caplog.text


@pytest.mark.parametrize("top_k", [0, -1])
def test_a_top_k_below_one_is_refused(tmp_path, top_k: int) -> None:  # noqa: ANN001
    from stylesim.reproduce.eqbench import reproduce_eqbench_similarity

    with pytest.raises(ConfigurationError, match=rf"--top-k must be at least 1 \(got {top_k}\)"):
        reproduce_eqbench_similarity([tmp_path / "missing.jsonl"], top_k=top_k)


def test_tied_neighbours_come_in_name_order() -> None:
    """Equal distances are ordered by name, never by input position (a mutation audit broke the tie
    the other way and no test failed)."""
    from stylesim.reproduce.distances import neighbour_order

    names = ["b", "c", "a", "d"]
    distances = np.zeros((4, 4))
    assert neighbour_order(names, distances, 1) == [2, 0, 3]
    assert neighbour_order(names, distances, 2) == [0, 1, 3]
