"""Over-used vocabulary against general English (wordfreq), and Dirichlet log-odds."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from wordfreq import word_frequency

from stylesim.features import overused
from stylesim.features.overused import OverusedVocabulary, english_frequency, log_odds_dirichlet

FLOOR = 10 ** (overused.DEFAULT_FLOOR_ZIPF - 9)

# Filler words that occur once each (so never become features), only padding the word total:
# "bak", "bal", "bam", ... all three letters, alphabetic and distinct.
FILLER = ["".join(p) for p in itertools.product("bcdfg", "aeiou", "klmnp")]


def pooled_texts() -> list[str]:
    """Six texts: "zorblat" (not an English word) and "lantern" in each, "the" in five.

    Counted words (3+ letters, alphabetic): 6 + 6 + 5 + 6 * 20 filler = 137.
    """
    texts = []
    for i in range(6):
        head = ["The"] if i < 5 else []
        texts.append(" ".join([*head, "zorblat", "Lantern", *FILLER[20 * i : 20 * i + 20]]) + ".")
    return texts


TOTAL = 137


def test_fixture_arithmetic() -> None:
    assert len(set(FILLER[:120])) == 120 and all(len(w) == 3 and w.isalpha() for w in FILLER)
    assert word_frequency("zorblat", "en") == 0.0  # wordfreq has never seen it


def test_english_frequency_uses_wordfreq_with_a_floor() -> None:
    assert english_frequency("zorblat", FLOOR) == FLOOR
    assert english_frequency("the", FLOOR) == word_frequency("the", "en")
    assert english_frequency("lantern", 1e-3) == 1e-3  # the floor wins when above wordfreq's value


def test_unknown_word_weight_is_bounded_by_the_floor() -> None:
    vocabulary = OverusedVocabulary().fit(pooled_texts())
    scores = dict(zip(vocabulary.get_feature_names_out(), vocabulary.log_ratio_))
    expected = math.log((6 / TOTAL) / FLOOR)  # about 14.1, not infinite
    assert scores["zorblat"] == pytest.approx(expected, rel=1e-12)
    assert np.isfinite(vocabulary.weights_).all()
    # A higher floor lowers the unknown word's score by exactly the floor ratio (1.5 zipf).
    higher = OverusedVocabulary(floor_zipf=3.0).fit(pooled_texts())
    scores_higher = dict(zip(higher.get_feature_names_out(), higher.log_ratio_))
    assert scores_higher["zorblat"] == pytest.approx(expected - 1.5 * math.log(10), rel=1e-12)
    # ... while a word wordfreq knows is unaffected by the floor.
    assert scores_higher["lantern"] == pytest.approx(scores["lantern"], rel=1e-12)


def test_overused_word_scores_above_a_common_word() -> None:
    vocabulary = OverusedVocabulary().fit(pooled_texts())
    names = list(vocabulary.get_feature_names_out())
    assert names == ["zorblat", "lantern", "the"]  # highest log over-use first
    scores = dict(zip(names, vocabulary.log_ratio_))
    assert scores["lantern"] == pytest.approx(
        math.log((6 / TOTAL) / word_frequency("lantern", "en"))
    )
    assert scores["the"] == pytest.approx(math.log((5 / TOTAL) / word_frequency("the", "en")))
    assert scores["lantern"] > 9 > 0 > scores["the"]
    # Under-used words get no weight; over-used ones are weighted by their log ratio.
    weights = dict(zip(names, vocabulary.weights_))
    assert weights["the"] == 0.0
    assert weights["lantern"] == scores["lantern"]
    assert vocabulary.vocabulary_ == {"zorblat": 0, "lantern": 1, "the": 2}


def test_n_words_keeps_the_top_of_the_ranking() -> None:
    vocabulary = OverusedVocabulary(n_words=2).fit(pooled_texts())
    assert list(vocabulary.get_feature_names_out()) == ["zorblat", "lantern"]


def test_equal_scores_are_ordered_by_word() -> None:
    texts = [f"zorblat quindle {a} {b}" for a, b in zip(FILLER[:5], FILLER[5:10])]
    vocabulary = OverusedVocabulary().fit(texts)
    assert list(vocabulary.get_feature_names_out()) == ["quindle", "zorblat"]


def test_min_count_min_letters_and_alphabetic_words() -> None:
    # "ox" (short), "well-known" and "don't" (not alphabetic) occur 6 times; "glimmer" only 4.
    texts = [f"Ox well-known don't zorblat {w}" for w in FILLER[:6]]
    texts[0] += " glimmer glimmer"
    texts[1] += " glimmer"
    texts[2] += " glimmer"
    vocabulary = OverusedVocabulary().fit(texts)
    assert list(vocabulary.get_feature_names_out()) == ["zorblat"]
    # With min_count=4 the four "glimmer"s count, as do 2-letter words with min_letters=2.
    relaxed = OverusedVocabulary(min_count=4, min_letters=2).fit(texts)
    assert set(relaxed.get_feature_names_out()) == {"zorblat", "glimmer", "ox"}


def test_min_prompts_counts_distinct_groups() -> None:
    texts = pooled_texts()
    # All six texts answer two prompts: no word spreads over three.
    two_prompts = OverusedVocabulary().fit(texts, groups=["p1", "p1", "p1", "p2", "p2", "p2"])
    assert list(two_prompts.get_feature_names_out()) == []
    three_prompts = OverusedVocabulary().fit(texts, groups=["p1", "p1", "p2", "p2", "p3", "p3"])
    assert list(three_prompts.get_feature_names_out()) == ["zorblat", "lantern", "the"]
    # "the" is missing from the last text, so with the last two texts in their own prompt,
    # "the" spreads over p1, p2, p3 while zorblat and lantern reach p4.
    four = OverusedVocabulary(min_prompts=4).fit(texts, groups=["p1", "p1", "p2", "p3", "p3", "p4"])
    assert list(four.get_feature_names_out()) == ["zorblat", "lantern"]


def test_transform_rows_are_weighted_log_counts_l2_normalised() -> None:
    vocabulary = OverusedVocabulary().fit(pooled_texts())
    w_zorblat, w_lantern = vocabulary.weights_[0], vocabulary.weights_[1]
    matrix = vocabulary.transform(
        ["Zorblat zorblat LANTERN the the unknownword", "nothing here", ""]
    )
    assert matrix.shape == (3, 3)
    dense = matrix.toarray()
    row = np.array([np.log(3) * w_zorblat, np.log(2) * w_lantern, 0.0])
    np.testing.assert_allclose(dense[0], row / np.linalg.norm(row), rtol=1e-12)
    assert dense[1].tolist() == [0.0, 0.0, 0.0]
    assert dense[2].tolist() == [0.0, 0.0, 0.0]


def test_fit_transform_equals_fit_then_transform() -> None:
    texts = pooled_texts()
    groups = ["a", "b", "c", "a", "b", "c"]
    one = OverusedVocabulary().fit_transform(texts, groups)
    two = OverusedVocabulary().fit(texts, groups).transform(texts)
    np.testing.assert_array_equal(one.toarray(), two.toarray())
    assert one.shape == (6, 3)


# -- log-odds with an informative Dirichlet prior ---------------------------------------------


def test_log_odds_hand_computed_default_prior() -> None:
    # n = 10 each, prior strength 10 spread over pooled [10, 10]: alpha = [5, 5], alpha0 = 10.
    # delta = [log(13/7) - log(7/13)], variance = 1/13 + 1/7.
    z = log_odds_dirichlet(np.array([8, 2]), np.array([2, 8]))
    expected = 2 * math.log(13 / 7) / math.sqrt(1 / 13 + 1 / 7)
    np.testing.assert_allclose(z, [expected, -expected], rtol=1e-12)


def test_log_odds_hand_computed_explicit_prior() -> None:
    # prior_strength 2: alpha = [1, 1], alpha0 = 2; z = 2 ln 3 / sqrt(1/9 + 1/3) = 3 ln 3.
    z = log_odds_dirichlet([8, 2], [2, 8], prior_strength=2.0)
    np.testing.assert_allclose(z, [3 * math.log(3), -3 * math.log(3)], rtol=1e-12)


def test_log_odds_sign_and_symmetry() -> None:
    rng = np.random.default_rng(7)
    a = rng.integers(0, 40, size=30)
    b = rng.integers(0, 40, size=30)
    z_ab = log_odds_dirichlet(a, b)
    z_ba = log_odds_dirichlet(b, a)
    np.testing.assert_allclose(z_ab, -z_ba, rtol=1e-12, atol=1e-12)
    # Over-use by the group is positive: a word only the group uses scores high.
    z = log_odds_dirichlet([30, 10, 10], [0, 10, 10])
    assert z[0] > 1.96
    assert z[1] < 0 and z[2] < 0
    assert z[1] == pytest.approx(z[2])
    # Identical proportions give zero everywhere.
    np.testing.assert_allclose(log_odds_dirichlet([3, 6, 9], [3, 6, 9]), 0.0, atol=1e-12)
    np.testing.assert_allclose(log_odds_dirichlet([1, 2, 3], [10, 20, 30]), 0.0, atol=1e-12)


def test_log_odds_finite_for_zero_counts() -> None:
    z = log_odds_dirichlet([0, 5, 0], [0, 0, 5])
    assert np.isfinite(z).all()
    assert z[1] > 0 > z[2]
