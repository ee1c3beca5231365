"""Phrasing patterns: exact per-1k-word rates and opener/closer flags on crafted texts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stylesim.features import phrasing
from stylesim.features.phrasing import (
    CLOSERS,
    CONSTRUCTIONS,
    FEATURE_NAMES,
    FORMATTING,
    MIN_RATE_WORDS,
    OPENERS,
    PhrasingPatterns,
)
from stylesim.features.text import sentences, words

COLUMN = {name: i for i, name in enumerate(FEATURE_NAMES)}


def row(text: str) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, PhrasingPatterns().raw([text])[0]))


# Ten lines, exactly 50 words (so one occurrence is a rate of 20 per 1,000 words):
#   "# Packing tips for rainy trips"                        5: packing tips for rainy trips
#   ""
#   "Sure, here is my plan: pack light."                     7
#   "- **Boots** matter; socks matter too."                  5
#   "- Read https://example.com first…"                      5: read https example com first
#   "- Then wait... and go — quickly."                       5
#   ""
#   "She said “fine” and \"okay\"."                          5
#   "It is not cheap, but it is worth every single penny."  11
#   "Let me know if you want more!"                          7
GUIDE = (
    "# Packing tips for rainy trips\n"
    "\n"
    "Sure, here is my plan: pack light.\n"
    "- **Boots** matter; socks matter too.\n"
    "- Read https://example.com first…\n"
    "- Then wait... and go — quickly.\n"
    "\n"
    'She said “fine” and "okay".\n'
    "It is not cheap, but it is worth every single penny.\n"
    "Let me know if you want more!"
)
GUIDE_COUNTS = {
    "markdown headers": 1,
    "bullet items": 3,
    "bold spans": 1,
    "em dashes": 1,
    "ellipses": 2,  # "…" and "..."
    "semicolons": 1,
    "colons": 1,  # "plan:" but not "https://"
    "exclamation marks": 1,
    "curly quotes": 2,
    "straight quotes": 2,
    "line breaks": 9,
    "blank-line paragraphs": 2,
    "not X, but Y": 1,
    "second person (you)": 1,
    "first person (I)": 2,  # "my", "me"
}
GUIDE_FLAGS = {"opens: header", "closes: offer of more help", "closes: exclamation"}
# sentences(): the split after "wait..." makes two sentences of one line.
GUIDE_SENTENCE_LENGTHS = [5, 7, 5, 5, 2, 3, 5, 11, 7]


def test_feature_names_cover_every_pattern() -> None:
    assert (
        len(FEATURE_NAMES) == len(FORMATTING) + len(CONSTRUCTIONS) + len(OPENERS) + len(CLOSERS) + 3
    )
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert FEATURE_NAMES[-3:] == [
        "mean sentence length",
        "sentence length spread",
        "log length (words)",
    ]
    assert list(PhrasingPatterns().get_feature_names_out()) == FEATURE_NAMES


def test_guide_word_and_sentence_counts() -> None:
    assert len(words(GUIDE)) == 50
    assert [len(words(s)) for s in sentences(GUIDE)] == GUIDE_SENTENCE_LENGTHS


def test_guide_rates_per_thousand_words() -> None:
    values = row(GUIDE)
    for name in [*FORMATTING, *CONSTRUCTIONS]:
        assert values[name] == pytest.approx(GUIDE_COUNTS.get(name, 0) * 20.0), name


def test_guide_opener_and_closer_flags() -> None:
    values = row(GUIDE)
    for name in [*OPENERS, *CLOSERS]:
        assert values[name] == (1.0 if name in GUIDE_FLAGS else 0.0), name


def test_guide_sentence_lengths_and_log_length() -> None:
    values = row(GUIDE)
    assert values["mean sentence length"] == pytest.approx(50 / 9)
    assert values["sentence length spread"] == pytest.approx(np.std(GUIDE_SENTENCE_LENGTHS))
    assert values["log length (words)"] == pytest.approx(math.log(51))


# (text, feature, occurrences, words in the text), each counted by hand.
RATE_CASES = [
    ("### Title\n####### Too deep\n    # indented code", "markdown headers", 1, 5),
    ("• one\n  + two\n*three", "bullet items", 2, 3),
    ("1. One\n2) Two\n3 Three", "numbered items", 2, 3),
    ("**Bold** and __also bold__ but **not\nthis**", "bold spans", 2, 7),
    ("Try *this* and _that_ now, not **bold**.", "italic spans", 2, 7),
    ("| a | b |\n| c | d |\nplain", "table rows", 2, 5),
    ("```\ncode here\n```", "code fences", 2, 2),
    ("Use `len` and `zip` now, not ```fences```.", "inline code", 2, 7),
    ("Wait.\n\n---\n\nGo.\n***", "horizontal rules", 2, 2),
    ("Sun ☀ and rain 🌧.", "emoji", 2, 3),
    ("Fast -- slow — done; a--b", "em dashes", 2, 5),
    ("Pages 3–5 matter", "en dashes", 1, 2),
    ("Hmm... well… ok.", "ellipses", 2, 3),
    ("Hmm... well… ok.", "exclamation marks", 0, 3),
    ("One; two; three.", "semicolons", 2, 3),
    ("Times: 10:30 and https://a.org and ftp://b.", "colons", 2, 8),
    ("Wow! Really!! Yes.", "exclamation marks", 3, 3),
    ("Why? Who?", "question marks", 2, 2),
    ("See (this) and (that).", "parentheses", 2, 4),
    ("“Hi,” she said, 'yo' and \"ok\" don’t.", "curly quotes", 3, 7),
    ("“Hi,” she said, 'yo' and \"ok\" don’t.", "straight quotes", 2, 7),
    ("A.\n\n\nB.\n \nC.", "line breaks", 5, 3),
    ("A.\n\n\nB.\n \nC.", "blank-line paragraphs", 2, 3),
    ("It is not cheap, but good. Not only fast but also calm.", "not X, but Y", 2, 12),
    ("It's not a tool; it's a way of life.", "it's not (just) X - it's Y", 1, 9),
    ("This is not just fast — this is smart.", "it's not (just) X - it's Y", 1, 8),
    ("Not because it is easy, but because it is hard.", "not because X, but because Y", 1, 10),
    ("It is more than just a game, more than merely fun.", "more than just", 2, 11),
    ("Why? Because it works. How? Simple.", "rhetorical question then answer", 2, 6),
    ("We need bread, milk, and eggs, plus salt, oil and rice.", "triads (X, Y, and Z)", 2, 11),
    ("Salt, oil and rice.", "triads (X, Y, and Z)", 1, 4),
    ("In other words, stop.", "in other words", 1, 4),
    ("Let's go. Let’s stay. Let us see.", "let's", 2, 7),
    ("Imagine a bridge. Imagined ones too.", "imagine", 1, 6),
    (
        "It is important to note this. It's crucial to remember that.",
        "it's important to note",
        2,
        11,
    ),
    ("Overall, fine. In summary, good. Ultimately, done.", "ultimately / overall", 3, 7),
    ("Perhaps it might rain, maybe.", "hedges (perhaps, might)", 3, 5),
    ("Truly, deeply, utterly absurd.", "intensifiers (truly, deeply)", 3, 4),
    ("You and your friends said you're yours, not yourself.", "second person (you)", 4, 9),
    ("I know my mind, and me too; I'm sure.", "first person (I)", 4, 9),
]


@pytest.mark.parametrize(("text", "feature", "count", "n_words"), RATE_CASES)
def test_rate_per_thousand_words(text: str, feature: str, count: int, n_words: int) -> None:
    assert len(words(text)) == n_words
    assert row(text)[feature] == pytest.approx(count * 1000.0 / max(n_words, MIN_RATE_WORDS))


# (text, the flags that must be set; every other opener/closer flag must be 0).
FLAG_CASES = [
    ("Certainly! The sky is blue.", {"opens: Certainly/Sure/Of course"}),
    ("Of course. It is blue.", {"opens: Certainly/Sure/Of course"}),
    (
        "What a great question about tea. Tea is fine. Would you like more?",
        {"opens: Great/What a question", "closes: question", "closes: offer of more help"},
    ),
    (
        "Here's a list:\n1. One\n2. Two\nIn short, that is all.",
        {"opens: Here is/Here's", "opens: ends with colon", "closes: summary marker"},
    ),
    (
        "Here are the facts. Hope this helps.",
        {"opens: Here is/Here's", "closes: offer of more help"},
    ),
    ('I think so. He said "go"', {"opens: I", "closes: dialogue"}),
    ("It works. It ended 🙂", {"closes: emoji"}),
    ("**Title**\nText here. Done!", {"opens: bold title", "closes: exclamation"}),
    ("- item one\n- item two", {"opens: list"}),
    ("• first point\n• second point", {"opens: list"}),
    ("2) Second point", {"opens: list"}),
    ("“Run,” she said. Overall, fine.", {"opens: quotation/dialogue", "closes: summary marker"}),
    (
        "The cat sat. A dog barked. Feel free to ask.",
        {"opens: The/A", "closes: offer of more help"},
    ),
    ("Another day. They met.", set()),
    ("Icy roads. Ask me?", {"closes: question"}),
]


@pytest.mark.parametrize(("text", "flags"), FLAG_CASES)
def test_opener_and_closer_flags(text: str, flags: set[str]) -> None:
    values = row(text)
    for name in [*OPENERS, *CLOSERS]:
        assert values[name] == (1.0 if name in flags else 0.0), name


def test_emoji_closer() -> None:
    # The last sentence ends with an emoji (U+1F642): "closes: emoji", and the emoji rate.
    values = row("It works. It ended 🙂")
    assert values["closes: emoji"] == 1.0
    assert values["emoji"] == pytest.approx(1000.0 / MIN_RATE_WORDS)  # 4 words count as 50


def test_empty_text_has_no_rates_flags_or_sentences() -> None:
    values = PhrasingPatterns().raw([""])[0]
    assert values[: COLUMN["log length (words)"]].tolist() == [0.0] * (len(FEATURE_NAMES) - 1)


def test_log_length_counts_words() -> None:
    assert row("one two three")["log length (words)"] == pytest.approx(math.log(4))
    assert row("one")["log length (words)"] == pytest.approx(math.log(2))
    # Fixed bug: _profile clamps the word count to 1 (to avoid dividing by zero in the per-1k rates)
    # and reuses the clamped count for "log length (words)", so an empty text gets log1p(1) =
    # log 2, the same as a one-word text, instead of log1p(0) = 0.
    assert row("")["log length (words)"] == 0.0
    assert row("42 !!")["log length (words)"] == 0.0


def test_raw_shape_and_rows_are_per_text() -> None:
    texts = [GUIDE, "Why? Who?", ""]
    raw = PhrasingPatterns().raw(texts)
    assert raw.shape == (3, len(FEATURE_NAMES))
    assert raw[1, COLUMN["question marks"]] == pytest.approx(2 * 1000.0 / MIN_RATE_WORDS)
    assert raw[0, COLUMN["question marks"]] == 0.0
    assert PhrasingPatterns().raw([]).shape == (0, len(FEATURE_NAMES))


def test_fit_scales_by_pooled_sd_without_centring() -> None:
    texts = ["Why? Who?", "Why? Not now. Fine.", "One; two; three."]
    model = PhrasingPatterns()
    scaled = model.fit_transform(texts)
    raw = model.raw(texts)
    # "question marks": 2, 1 and 0 per 50 words (short texts count as MIN_RATE_WORDS long) -> rates
    # 40, 20, 0 -> population sd, no centring.
    q = COLUMN["question marks"]
    rates = np.array([2.0, 1.0, 0.0]) * 1000.0 / MIN_RATE_WORDS
    sd = np.std(rates)
    assert model.scale_[q] == pytest.approx(sd)
    np.testing.assert_allclose(scaled[:, q], rates / sd)
    # A feature constant across texts keeps scale 1 (no division by zero).
    assert model.scale_[COLUMN["bullet items"]] == 1.0
    assert (scaled[:, COLUMN["bullet items"]] == 0).all()
    np.testing.assert_allclose(scaled, raw / model.scale_)
    # fit().transform() agrees, and transform of new texts uses the fitted scale.
    other = PhrasingPatterns().fit(texts)
    np.testing.assert_allclose(other.transform(texts), scaled)
    np.testing.assert_allclose(other.transform(["Why?"])[0, q], 1000.0 / MIN_RATE_WORDS / sd)


def test_profile_cache_returns_the_same_values() -> None:
    first = phrasing._profile(GUIDE)
    second = phrasing._profile(GUIDE)
    assert first == second
    assert len(first) == len(FEATURE_NAMES)


def test_dialogue_closer_ignores_trailing_whitespace() -> None:
    assert row('He said "Go."')["closes: dialogue"] == 1.0
    # Fixed bug: sentences() swallows a closing quote that is followed by whitespace (it is part of the
    # split pattern), so the same answer with a trailing newline or space loses the flag.
    assert row('He said "Go."\n')["closes: dialogue"] == 1.0
    assert row("He said “Go.” ")["closes: dialogue"] == 1.0


# Fragments that exercise the edges of the patterns: overlapping dots, URLs, dashes with and
# without spaces, markdown marks at line starts, quotes and the construction keywords.
FRAGMENTS = [
    "word",
    "Word",
    "not",
    "NOT",
    "but",
    "just",
    "it's",
    "It is",
    "this was",
    "more than",
    "merely",
    "because",
    "you",
    "YOUR",
    "I",
    "me",
    "let's",
    "Let’s",
    "imagine",
    "overall",
    "in short",
    "perhaps",
    "truly",
    "to note",
    "important",
    "The answer",
    "Well",
    "and",
    "in other words",
    ",",
    ", ",
    ";",
    ":",
    "://",
    "http://x",
    "...",
    "....",
    "…",
    "!",
    "?",
    "? ",
    "(",
    ")",
    "—",
    " -- ",
    "--",
    "–",
    "“",
    "”",
    "‘",
    "’",
    '"',
    "'",
    "**",
    "*",
    "_",
    "__",
    "`",
    "```",
    "|",
    "#",
    "## ",
    "- ",
    "+ ",
    "• ",
    "1. ",
    "2) ",
    "---",
    "***",
    "☀",
    "🙂",
    "🇫",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\n \n",
    "red, green and blue",
    "one, two, and three",
    "not only x, but",
]


def test_rates_equal_the_published_patterns_on_random_texts() -> None:
    """Every rate equals len(pattern.findall(text)) per 1,000 words for the exported patterns.

    FORMATTING and CONSTRUCTIONS name the patterns a report describes; any faster counting
    (literal counts, pre-filters) must give the same numbers.
    """
    import random

    rng = random.Random(20240611)
    texts = ["".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 40))) for _ in range(400)]
    raw = PhrasingPatterns().raw(texts)
    for text, values in zip(texts, raw):
        per_k = 1000.0 / max(len(words(text)), MIN_RATE_WORDS)
        for name, pattern in [*FORMATTING.items(), *CONSTRUCTIONS.items()]:
            expected = len(pattern.findall(text)) * per_k
            assert values[COLUMN[name]] == pytest.approx(expected), (name, text)
        parts = sentences(text)
        first, last = (parts[0], parts[-1]) if parts else ("", "")
        for name, pattern in OPENERS.items():
            assert values[COLUMN[name]] == float(bool(pattern.search(first))), (name, text)
        for name, pattern in CLOSERS.items():
            assert values[COLUMN[name]] == float(bool(pattern.search(last))), (name, text)


def test_case_insensitive_constructions_match_any_capitalisation() -> None:
    assert row("IMAGINE that.")["imagine"] == pytest.approx(1000.0 / MIN_RATE_WORDS)
    assert row("Not Just this, But that.")["not X, but Y"] == pytest.approx(1000.0 / MIN_RATE_WORDS)
    # re.IGNORECASE matches "İ" (U+0130) and "ı" (U+0131) to "i" although their case folds
    # differ; the keyword pre-filter must not miss them (a bug found by this test, now fixed).
    # (Lower-casing "İ" leaves a combining dot, so the word count here is 3: "i", "magine", "that".)
    for text in ("İmagine that.", "ımagine that."):
        assert len(CONSTRUCTIONS["imagine"].findall(text)) == 1
        assert row(text)["imagine"] == pytest.approx(1000.0 / max(len(words(text)), MIN_RATE_WORDS))


def test_a_text_of_emoji_and_no_words_is_not_thousands_of_deviations_out() -> None:
    """Four emoji and no words were 4,000 emoji per 1,000 words: one such answer outweighed every
    other prompt's agreement (a review found a per-prompt value of -2.5 million)."""
    texts = [GUIDE, "Sure. The answer is four, and here is why it works 🙂.", "A plain answer of some length."] * 5
    model = PhrasingPatterns().fit(texts)
    typical = np.linalg.norm(model.transform(texts), axis=1).max()
    short = np.linalg.norm(model.transform(["\U0001F44D\U0001F4AD\U0001F4AA", "Yes."]), axis=1)
    assert short.max() < typical
