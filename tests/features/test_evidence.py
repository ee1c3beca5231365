"""Evidence for readers: keyword in context, openers and closers, Delta distances, phrases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from stylesim import evidence
from stylesim.features import overused, phrasing
from stylesim.features.ngrams import word_tokens
from stylesim.features.stylometry import FunctionWordProfile

# -- keyword in context -----------------------------------------------------------------------

KWIC_TEXTS = [
    ("p1", "Nothing to see here."),
    ("p2", "Say HELLO, World! to everyone."),
    ("p3", "hello world again"),
    ("p4", "and hello\n  world a third time"),
]


def test_kwic_matches_across_punctuation_and_case() -> None:
    found = evidence.keyword_in_context("hello world", KWIC_TEXTS, limit=5)
    assert found == [
        {"prompt_id": "p2", "left": "Say ", "match": "HELLO, World", "right": "! to everyone."},
        {"prompt_id": "p3", "left": "", "match": "hello world", "right": " again"},
        {"prompt_id": "p4", "left": "and ", "match": "hello\n  world", "right": " a third time"},
    ]


def test_kwic_respects_limit() -> None:
    assert [k["prompt_id"] for k in evidence.keyword_in_context("hello world", KWIC_TEXTS)] == [
        "p2",
        "p3",
    ]
    assert [
        k["prompt_id"] for k in evidence.keyword_in_context("hello world", KWIC_TEXTS, limit=1)
    ] == ["p2"]


def test_kwic_whole_words_only() -> None:
    texts = [("a", "We concatenate strings."), ("b", "The cats sleep."), ("c", "A cat, finally.")]
    assert [k["prompt_id"] for k in evidence.keyword_in_context("cat", texts)] == ["c"]
    assert evidence.keyword_in_context("dog", texts) == []
    # Regex characters in the phrase are literal.
    assert (
        evidence.keyword_in_context("a.b", [("x", "axb"), ("y", "see a.b here")])[0]["prompt_id"]
        == "y"
    )


def test_kwic_context_width_and_line_breaks() -> None:
    left = "x" * 100 + "\nleft side "
    right = " right\nside " + "y" * 100
    [found] = evidence.keyword_in_context("needle", [("p", left + "Needle" + right)])
    assert found["match"] == "Needle"
    assert found["left"] == (left[-evidence.KWIC_WIDTH :]).replace("\n", " ")
    assert found["right"] == (right[: evidence.KWIC_WIDTH]).replace("\n", " ")
    assert len(found["left"]) == len(found["right"]) == evidence.KWIC_WIDTH == 70
    assert "\n" not in found["left"] + found["right"]


def test_kwic_lowered_texts_give_the_same_answer() -> None:
    lowered = [t.lower() for _, t in KWIC_TEXTS]
    for phrase in ["hello world", "world", "third time", "missing"]:
        assert evidence.keyword_in_context(phrase, KWIC_TEXTS, limit=5, lowered=lowered) == (
            evidence.keyword_in_context(phrase, KWIC_TEXTS, limit=5)
        )


def test_kwic_finds_phrases_with_typographic_apostrophes() -> None:
    # Phrases come from word_tokens, which folds "’" to "'", so "don't" is the name of the
    # n-gram that "don’t" produced.
    text = "Honestly, I don’t know."
    assert "don't" in word_tokens(text)
    # Fixed bug: keyword_in_context searches the raw text for the folded spelling (and the `lowered`
    # pre-filter does the same), so phrases written with a typographic apostrophe never get a
    # snippet in the report.
    found = evidence.keyword_in_context("don't", [("p1", text)])
    assert [k["match"] for k in found] == ["don’t"]
    found = evidence.keyword_in_context("i don't", [("p1", text)], lowered=[text.lower()])
    assert [k["match"] for k in found] == ["I don’t"]


# -- openers and closers ----------------------------------------------------------------------


def test_openers_and_closers_counts_and_shares() -> None:
    texts = [
        "Sure, here you go. Done now.",
        "Sure, here it is. It is all done now.",
        "Sure, here you go! Bye.",
        "",
        "...\n!!!",
    ]
    result = evidence.openers_and_closers(texts)
    assert result["openers"] == [
        {"text": "sure here you", "count": 2, "share": 0.4},
        {"text": "sure here it", "count": 1, "share": 0.2},
        {"text": "(no words)", "count": 1, "share": 0.2},
    ]
    # Equal counts keep first-seen order.
    assert result["closers"] == [
        {"text": "done now", "count": 1, "share": 0.2},
        {"text": "all done now", "count": 1, "share": 0.2},
        {"text": "bye", "count": 1, "share": 0.2},
        {"text": "(no words)", "count": 1, "share": 0.2},
    ]


def test_openers_and_closers_top_and_n_words() -> None:
    texts = ["One two three four. End here now.", "One two five. Gone.", "Six. End here too."]
    result = evidence.openers_and_closers(texts, top=1, n_words=2)
    assert result["openers"] == [{"text": "one two", "count": 2, "share": round(2 / 3, 3)}]
    assert result["closers"] == [{"text": "here now", "count": 1, "share": 0.333}]
    assert evidence.openers_and_closers([]) == {"openers": [], "closers": []}


# -- Delta distances --------------------------------------------------------------------------

MODELS = [
    [
        "The river runs to the sea, and the sea is wide and deep.",
        "A boat on the river is a small thing in a big world.",
        "We walked along the bank and we talked of the weather.",
    ],
    [
        "The river runs and runs; it is a long river with a slow voice.",
        "On the bank we sat for an hour and watched the water.",
        "It is said that the sea is where every river ends.",
    ],
    [
        "Markets open at nine, and traders shout their prices at once.",
        "Prices rise when buyers want more than sellers can offer.",
        "In the evening the market is quiet and the stalls are bare.",
    ],
]


def expected_deltas(models, size: int) -> dict[str, object] | None:
    """An independent computation: a fresh profile fitted at this size, Delta by hand."""
    pooled = [t for texts in models for t in texts]
    profile = FunctionWordProfile(n_words=size).fit(pooled)
    n = len(profile.vocabulary_)
    if n < min(size, 10):
        return None
    z = np.vstack([profile.transform([" ".join(texts)])[0] for texts in models])
    burrows = [float(np.abs(z[0] - other).mean()) for other in z[1:]]
    cosine = [
        1.0 - float(z[0] @ other) / (np.linalg.norm(z[0]) * np.linalg.norm(other))
        for other in z[1:]
    ]
    return {"n_words": n, "burrows": burrows, "cosine": cosine}


def test_delta_distances_equal_fresh_fits_per_size() -> None:
    sizes = (5, 10, 20, 500)
    rows = evidence.delta_distances(MODELS, sizes=sizes)
    expected = [expected_deltas(MODELS, size) for size in sizes]
    expected = [e for e in expected if e is not None]
    assert [r["n_words"] for r in rows] == [e["n_words"] for e in expected]
    vocabulary = len(
        FunctionWordProfile(n_words=500).fit([t for m in MODELS for t in m]).vocabulary_
    )
    assert [r["n_words"] for r in rows] == [5, 10, 20, vocabulary]
    for row, want in zip(rows, expected):
        assert row["burrows"] == pytest.approx(want["burrows"], abs=1e-4)
        assert row["cosine"] == pytest.approx(want["cosine"], abs=1e-4)
        # Rounded to 4 places for the report.
        assert all(v == round(v, 4) for v in row["burrows"] + row["cosine"])
    # The two river models are closer to each other than to the market model.
    for row in rows[1:]:
        assert row["cosine"][0] < row["cosine"][1]


def test_delta_distances_skip_sizes_without_enough_words() -> None:
    models = [["one two three"], ["two three four"]]  # four distinct words in all
    assert evidence.delta_distances(models, sizes=(50,)) == []
    [row] = evidence.delta_distances(models, sizes=(3,))
    assert row["n_words"] == 3
    want = expected_deltas(models, 3)
    assert row["burrows"] == pytest.approx(want["burrows"], abs=1e-4)
    assert row["cosine"] == pytest.approx(want["cosine"], abs=1e-4)


def test_delta_distances_rows_follow_the_sizes_given() -> None:
    # Fixed bug (a regression of the speed commit d26e40a): delta_distances used to return its rows in
    # the order of ``sizes``; it now loops over ``sorted(sizes)``. (The default is sorted.)
    rows = evidence.delta_distances(MODELS, sizes=(20, 5, 10))
    assert [r["n_words"] for r in rows] == [20, 5, 10]


def test_delta_of_a_model_with_itself_is_zero() -> None:
    rows = evidence.delta_distances([MODELS[0], list(MODELS[0])], sizes=(10, 20))
    assert [r["n_words"] for r in rows] == [10, 20]
    for row in rows:
        assert row["burrows"] == [0.0] and row["cosine"] == [0.0]


# -- formatting table -------------------------------------------------------------------------


def test_formatting_table_units_and_rounding() -> None:
    n = len(phrasing.FEATURE_NAMES)
    means = [np.full(n, 1.23456), np.arange(n, dtype=float) / 3]
    table = evidence.formatting_table(means)
    assert [r["feature"] for r in table] == phrasing.FEATURE_NAMES
    units = {r["feature"]: r["unit"] for r in table}
    assert units["bullet items"] == "per 1k words"
    assert units["not X, but Y"] == "per 1k words"
    assert units["opens: header"] == "share of answers"
    assert units["closes: question"] == "share of answers"
    assert units["mean sentence length"] == units["log length (words)"] == "per answer"
    assert table[4]["values"] == [1.235, round(4 / 3, 3)]


# -- distinctive phrases ----------------------------------------------------------------------

TAILS = [
    "on rainy days",
    "for bread dough",
    "to keep the garden tidy",
    "with fresh water",
    "before a long walk",
    "after the storm",
    "at the old mill",
    "near the harbour",
]  # 3 + 3 + 5 + 3 + 4 + 3 + 4 + 3 = 28 words
A = [
    (f"p{i}", f"Use the zorblat method {t}; the method wins, zorblat wins.")
    for i, t in enumerate(TAILS)
]
B = [
    (f"p{i}", f"Use the quindle method {t}; the method wins, quindle wins.")
    for i, t in enumerate(TAILS)
]
PANEL = [
    [f"Nobody needs a plan {t}." for t in TAILS],
    [f"Somebody wants a map {t}." for t in TAILS],
]
WORDS_PER_MODEL = 8 * 9 + 28  # nine fixed words per text, plus the tails


def sk_counts(groups):
    """Per-group n-gram counts from scikit-learn: the same features as evidence._phrase_counts."""
    vectorizer = CountVectorizer(
        tokenizer=word_tokens, token_pattern=None, lowercase=False, ngram_range=(1, 3), min_df=3
    )
    matrix = vectorizer.fit_transform([t for texts in groups for t in texts])
    out, start = [], 0
    for texts in groups:
        out.append(np.asarray(matrix[start : start + len(texts)].sum(axis=0)).ravel())
        start += len(texts)
    return list(vectorizer.get_feature_names_out()), np.vstack(out)


def test_distinctive_phrases_without_panel() -> None:
    result = evidence.distinctive_phrases(A, B, [])
    assert result["background"] == "general English word frequencies (wordfreq)"
    # Shared: single words both use 3+ times, over-used more than 2x against English.
    floor = 10 ** (overused.DEFAULT_FLOOR_ZIPF - 9)
    shared = {entry["phrase"]: entry for entry in result["shared"]}
    assert set(shared) == {"method", "wins", "use"}
    for word, count in [("method", 16), ("wins", 16), ("use", 8)]:
        entry = shared[word]
        assert (entry["count_a"], entry["count_b"]) == (count, count)
        expected = math.log((count / WORDS_PER_MODEL) / overused.english_frequency(word, floor))
        assert entry["log_overuse_a"] == pytest.approx(expected, abs=1e-3)
        assert entry["log_overuse_b"] == pytest.approx(expected, abs=1e-3)
        assert [k["prompt_id"] for k in entry["kwic_a"]] == ["p0", "p1"]
        assert all(k["match"].lower() == word for k in entry["kwic_a"] + entry["kwic_b"])
    scores = [entry["log_overuse_a"] for entry in result["shared"]]
    assert scores == sorted(scores, reverse=True)
    # Each model's own phrases: log-odds of A against B.
    names, counts = sk_counts([[t for _, t in A], [t for _, t in B]])
    z = overused.log_odds_dirichlet(counts[0], counts[1])
    top_a = result["a_only"][0]
    assert top_a["phrase"] == "zorblat"
    assert (top_a["count_a"], top_a["count_b"]) == (16, 0)
    assert top_a["log_odds_z"] == pytest.approx(z[names.index("zorblat")], abs=1e-3)
    assert top_a["kwic"][0] == {
        "prompt_id": "p0",
        "left": "Use the ",
        "match": "zorblat",
        "right": " method on rainy days; the method wins, zorblat wins.",
    }
    expected_a = {n for n, v in zip(names, z) if v > 1.96}
    assert {e["phrase"] for e in result["a_only"]} == expected_a
    assert all("zorblat" in p for p in expected_a)
    expected_b = {n for n, v in zip(names, -z) if v > 1.96}
    assert {e["phrase"] for e in result["b_only"]} == expected_b
    assert result["b_only"][0]["phrase"] == "quindle"
    assert result["b_only"][0]["kwic"][0]["prompt_id"] == "p0"
    assert (
        "quindle"
        in result["b_only"][0]["kwic"][0]["right"] + result["b_only"][0]["kwic"][0]["match"]
    )


def test_distinctive_phrases_with_panel() -> None:
    result = evidence.distinctive_phrases(A, B, PANEL)
    assert result["background"] == "pooled outputs of 2 panel models"
    names, counts = sk_counts([[t for _, t in A], [t for _, t in B], *PANEL])
    background = counts[2:].sum(axis=0)
    z_a = overused.log_odds_dirichlet(counts[0], background)
    z_b = overused.log_odds_dirichlet(counts[1], background)
    function_only = {n for n in names if all(t in evidence.FUNCTION_WORDS for t in n.split())}
    expected_shared = {
        n
        for n, a, b, ca, cb in zip(names, z_a, z_b, counts[0], counts[1])
        if min(a, b) > 1.96 and ca > 0 and cb > 0 and n not in function_only
    }
    assert {"method", "wins", "the method"} <= expected_shared
    assert "the" not in expected_shared
    # Parts of a longer listed phrase are merged into it ("method", "the method" -> "the method wins").
    merged = {n for n in expected_shared if not any(n != m and f" {n} " in f" {m} " for m in expected_shared)}
    assert {e["phrase"] for e in result["shared"]} == merged == {"the method wins", "use the"}
    phrase = next(e for e in result["shared"] if e["phrase"] == "the method wins")
    assert phrase["log_odds_z_a"] == pytest.approx(z_a[names.index("the method wins")], abs=1e-3)
    assert phrase["log_odds_z_b"] == pytest.approx(z_b[names.index("the method wins")], abs=1e-3)
    assert [e["phrase"] for e in result["a_only"]] == ["zorblat"]
    assert [e["phrase"] for e in result["b_only"]] == ["quindle"]


def test_distinctive_phrases_top_limits_every_list() -> None:
    result = evidence.distinctive_phrases(A, B, [], top=1)
    assert [e["phrase"] for e in result["shared"]] == [result["shared"][0]["phrase"]]
    assert len(result["a_only"]) == len(result["b_only"]) == 1


def test_distinctive_phrases_without_any_common_ngram() -> None:
    result = evidence.distinctive_phrases([("p", "apples")], [("p", "pears")], [])
    assert result == {"shared": [], "a_only": [], "b_only": [], "background": "none"}


def test_overlapping_phrases_are_merged_into_the_longest() -> None:
    from stylesim.evidence import merge_overlapping

    names = ["the heart", "heart of", "the heart of", "quiet", "the heart of it", "ember"]
    assert [names[i] for i in merge_overlapping([0, 1, 2, 3, 4, 5], names, top=10)] == \
        ["the heart of it", "quiet", "ember"]
    assert [names[i] for i in merge_overlapping([3, 0, 5, 1], names, top=2)] == ["quiet", "the heart"]


def test_delta_distances_list_a_capped_vocabulary_once() -> None:
    """With 12 usable words, sizes 20 and 30 both cap at 12: one column, not two labelled alike."""
    models = [["a b c d e f g h i j k l"], ["l k j i h g f e d c b a"], ["a c e g i k b d f h j l"]]
    rows = evidence.delta_distances(models, sizes=(10, 20, 30))
    assert [r["n_words"] for r in rows] == [10, 12]


def test_log_odds_stay_finite_with_a_one_word_vocabulary() -> None:
    """Every answer "Yes": the one word's "everything else" count is 0 (log 0 gave inf and a warning)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = overused.log_odds_dirichlet(np.array([40.0]), np.array([35.0]))
        assert np.all(np.isfinite(z))
        z = overused.log_odds_dirichlet(np.array([40.0, 0.0]), np.array([0.0, 35.0]))
        assert np.all(np.isfinite(z)) and z[0] > 0 > z[1]


def test_a_phrase_only_one_model_over_uses_is_not_shared() -> None:
    """B says "zorblat" once: it is A's phrase, not a shared one (shared takes the smaller of the two
    over-use scores; a mutation audit took the larger and no test failed, every such phrase having
    had no B count at all)."""
    once = [(B[0][0], B[0][1] + " A zorblat, once."), *B[1:]]
    result = evidence.distinctive_phrases(A, once, PANEL)
    assert not any("zorblat" in e["phrase"] for e in result["shared"]), result["shared"]
    assert any("zorblat" in e["phrase"] for e in result["a_only"])


@pytest.mark.parametrize("panel", [[], PANEL])
def test_the_masked_name_is_never_a_distinctive_phrase(panel: list) -> None:
    said = [(p, t + " I am MODELNAME.") for p, t in A], [(p, t + " I am MODELNAME.") for p, t in B]
    result = evidence.distinctive_phrases(*said, panel)
    listed = [e["phrase"] for key in ("shared", "a_only", "b_only") for e in result[key]]
    assert listed and not any("modelname" in p.lower() for p in listed), listed
