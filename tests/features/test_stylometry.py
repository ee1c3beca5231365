"""Function-word profiles, prefixes, Burrows' Delta and Cosine Delta."""

from __future__ import annotations

import math

import numpy as np
import pytest
from wordfreq import word_frequency

from stylesim.features.stylometry import (
    FunctionWordProfile,
    burrows_delta,
    cosine_delta,
    zscore_profiles,
)

TEXTS = [
    "The fox and the hound were friends in the wood, and they played all day.",
    "In the morning the hound ran to the river; the fox stayed in its den.",
    "A farmer saw them both and was not pleased with the fox at all.",
    "They ran and ran until the sun set behind the hills of the valley.",
    "Was it the fox or the hound that the farmer chased into the barn?",
    "Nobody knows, and the wood keeps its secrets to itself.",
    "It is said that the fox and the hound still meet in the wood.",
    "",
]


def test_hand_computed_profile() -> None:
    profile = FunctionWordProfile(n_words=2, min_text_fraction=0.0)
    matrix = profile.fit_transform(["the cat the dog", "the bird"])
    # Totals: the 3, bird 1, cat 1, dog 1 -> "the", then "bird" (ties alphabetical).
    assert list(profile.get_feature_names_out()) == ["the", "bird"]
    # Relative frequencies: [[2/4, 0], [1/2, 1/2]]; sd of "the" is 0 (-> 1), of "bird" 0.25.
    ref_the, ref_bird = word_frequency("the", "en"), word_frequency("bird", "en")
    expected = np.array(
        [
            [(0.5 - ref_the) / 1.0, (0.0 - ref_bird) / 0.25],
            [(0.5 - ref_the) / 1.0, (0.5 - ref_bird) / 0.25],
        ]
    )
    np.testing.assert_allclose(matrix, expected, rtol=1e-12)
    np.testing.assert_allclose(profile.scale_, [1.0, 0.25])
    np.testing.assert_allclose(profile.reference_, [ref_the, ref_bird])
    # Transform of a new text uses the fitted reference and scale; unknown words are ignored
    # but still count in the text's length.
    new = profile.transform(["Bird bird THE zebra"])
    np.testing.assert_allclose(new, [[(0.25 - ref_the) / 1.0, (0.5 - ref_bird) / 0.25]], rtol=1e-12)


def test_min_text_fraction_keeps_topic_words_out() -> None:
    texts = ["the cat the cat the cat", "the dog", "the owl"]
    # "cat" is the most frequent word after "the" but occurs in one text of three.
    profile = FunctionWordProfile(n_words=5, min_text_fraction=0.5).fit(texts)
    assert list(profile.get_feature_names_out()) == ["the"]
    loose = FunctionWordProfile(n_words=5, min_text_fraction=0.3).fit(texts)
    assert list(loose.get_feature_names_out()) == ["the", "cat", "dog", "owl"]


def test_vocabulary_is_ranked_by_count_then_alphabetically() -> None:
    profile = FunctionWordProfile(n_words=200).fit(TEXTS)
    names = list(profile.get_feature_names_out())
    counts = {}
    for text in TEXTS:
        for token in (
            text.lower()
            .replace("?", " ")
            .replace(",", " ")
            .replace(";", " ")
            .replace(".", " ")
            .split()
        ):
            counts[token] = counts.get(token, 0) + 1
    # Counted by hand: the 19, and 6, fox 5, hound 4, in 4 (ties alphabetical), ran 3, wood 3.
    assert names[:7] == ["the", "and", "fox", "hound", "in", "ran", "wood"]
    assert (counts["the"], counts["and"], counts["fox"], counts["hound"], counts["in"]) == (
        19,
        6,
        5,
        4,
        4,
    )
    # Only words in at least 10% of the 8 texts (0.8, i.e. one text) count: here all of them.
    assert sorted(names) == sorted(counts)
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    assert names == ranked


def test_fit_transform_equals_fit_then_transform() -> None:
    one = FunctionWordProfile(n_words=30).fit_transform(TEXTS)
    two = FunctionWordProfile(n_words=30).fit(TEXTS).transform(TEXTS)
    np.testing.assert_array_equal(one, two)
    assert one.shape == (len(TEXTS), 30)
    # The empty text has zero frequencies: its row is -reference / scale.
    fitted = FunctionWordProfile(n_words=30).fit(TEXTS)
    np.testing.assert_allclose(one[-1], -fitted.reference_ / fitted.scale_)


def test_scale_is_population_sd_across_texts() -> None:
    profile = FunctionWordProfile(n_words=10).fit(TEXTS)
    the = profile.vocabulary_["the"]
    rates = []
    for text in TEXTS:
        tokens = (
            text.lower()
            .replace("?", " ")
            .replace(",", " ")
            .replace(";", " ")
            .replace(".", " ")
            .split()
        )
        rates.append(tokens.count("the") / len(tokens) if tokens else 0.0)
    assert profile.scale_[the] == pytest.approx(np.std(rates), rel=1e-12)
    assert profile.mean_[the] == pytest.approx(np.mean(rates), rel=1e-12)


@pytest.mark.parametrize("n", [1, 3, 10, 25])
def test_prefix_equals_a_fresh_fit(n: int) -> None:
    large = FunctionWordProfile(n_words=200, min_text_fraction=0.2).fit(TEXTS)
    small = large.prefix(n)
    fresh = FunctionWordProfile(n_words=n, min_text_fraction=0.2).fit(TEXTS)
    assert small.n_words == n and small.min_text_fraction == 0.2
    assert list(small.get_feature_names_out()) == list(fresh.get_feature_names_out())
    assert small.vocabulary_ == fresh.vocabulary_
    np.testing.assert_array_equal(small.reference_, fresh.reference_)
    # Column statistics agree up to summation order (numpy may sum wider arrays differently).
    np.testing.assert_allclose(small.scale_, fresh.scale_, rtol=1e-12)
    np.testing.assert_allclose(small.mean_, fresh.mean_, rtol=1e-12)
    others = ["The wood and the fox.", "A hound ran to the hills"]
    np.testing.assert_allclose(small.transform(others), fresh.transform(others), rtol=1e-12)
    # The prefix's columns are the first n columns of the large profile.
    np.testing.assert_allclose(small.transform(others), large.transform(others)[:, :n], rtol=1e-12)


def test_prefix_larger_than_the_vocabulary_keeps_everything() -> None:
    profile = FunctionWordProfile(n_words=200).fit(["one two two", "two three"])
    bigger = profile.prefix(500)
    assert list(bigger.get_feature_names_out()) == ["two", "one", "three"]
    np.testing.assert_array_equal(bigger.transform(["two one"]), profile.transform(["two one"]))


# -- Delta ------------------------------------------------------------------------------------


def test_burrows_delta_hand_values() -> None:
    assert burrows_delta(np.array([1.0, -2.0, 3.0]), np.array([1.0, -2.0, 3.0])) == 0.0
    assert burrows_delta([1, 0], [0, 1]) == 1.0
    assert burrows_delta([1, 2, 3], [-1, -2, -3]) == pytest.approx(4.0)
    assert burrows_delta([0.5, 0.0, -1.0, 2.0], [0.0, 0.0, 1.0, 1.0]) == pytest.approx(
        (0.5 + 0 + 2 + 1) / 4
    )


def test_cosine_delta_hand_values() -> None:
    assert cosine_delta([1.0, -2.0, 3.0], [1.0, -2.0, 3.0]) == pytest.approx(0.0, abs=1e-12)
    assert cosine_delta([2.0, 4.0], [1.0, 2.0]) == pytest.approx(0.0, abs=1e-12)  # scale-free
    assert cosine_delta([1, 0], [0, 1]) == pytest.approx(1.0)
    assert cosine_delta([1, 2, 3], [-1, -2, -3]) == pytest.approx(2.0)
    assert cosine_delta([1, 1], [1, 0]) == pytest.approx(1 - 1 / math.sqrt(2))
    assert math.isnan(cosine_delta([0, 0], [1, 2]))


def test_zscore_profiles() -> None:
    profiles = np.array([[1.0, 5.0, 2.0], [3.0, 5.0, 4.0], [5.0, 5.0, 9.0]])
    z = zscore_profiles(profiles)
    sd0 = math.sqrt(8 / 3)
    np.testing.assert_allclose(z[:, 0], [-2 / sd0, 0.0, 2 / sd0])
    np.testing.assert_allclose(z[:, 1], [0.0, 0.0, 0.0])  # constant column: sd treated as 1
    np.testing.assert_allclose(z[:, 2].mean(), 0.0, atol=1e-12)
    np.testing.assert_allclose(z[:, 2].std(), 1.0)
