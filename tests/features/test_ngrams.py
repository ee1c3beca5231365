"""NgramVectorizer and the lexical factories, checked against scikit-learn's vectorizers.

scikit-learn is an independent implementation of the same weighting (sublinear tf, smoothed idf,
L2 rows), so matching its vocabulary and values column for column is a strong check of the
integer-coded n-gram arithmetic, the chunked counting and the min_df / max_features filters.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from stylesim.features import lexical, ngrams
from stylesim.features.ngrams import NgramVectorizer, char_tokens, word_tokens

# Short invented texts: repeated phrases (so min_df > 1 keeps something), capitals, curly and
# straight apostrophes, hyphenated words, digits (dropped by the word tokenizer) and line breaks.
TEXTS = [
    "The red kite flew over the quiet harbour. The red kite landed.",
    "A quiet harbour at dawn; the boats don't move, and the kite waits.",
    "Red boats, red kites and a well-known harbour — the kite flew again!",
    "Nobody saw the kite. The harbour was quiet, the boats were red.",
    "Don’t ask why the kite flew 3 times over the harbour.\nIt just did.",
    "the the the kite kite harbour",
    "Quiet   boats\t\tdrift past the   harbour wall at dusk.",
]
# Transform-time texts with tokens never seen while fitting ("zebra", "violin", "é", "ß").
UNSEEN = [
    "The zebra flew over the quiet harbour with a violin.",
    "Straße café: the kite, the kite, the kite!",
    "",
    "zebra",
]


def sk_words(**kwargs) -> TfidfVectorizer:
    return TfidfVectorizer(
        tokenizer=word_tokens,
        token_pattern=None,
        lowercase=False,
        sublinear_tf=True,
        smooth_idf=True,
        norm="l2",
        **kwargs,
    )


def sk_chars(**kwargs) -> TfidfVectorizer:
    # The same text normalisation as char_tokens: lower-cased, whitespace runs -> one space.
    return TfidfVectorizer(
        analyzer="char",
        preprocessor=lambda t: " ".join(t.lower().split()),
        sublinear_tf=True,
        smooth_idf=True,
        norm="l2",
        **kwargs,
    )


def aligned(
    ours: sp.csr_matrix, our_names, theirs: sp.csr_matrix, their_names
) -> tuple[np.ndarray, np.ndarray]:
    """Both matrices dense, with our columns reordered to scikit-learn's (alphabetical) order."""
    assert sorted(our_names) == list(their_names)
    assert len(set(our_names)) == len(our_names)
    position = {name: i for i, name in enumerate(our_names)}
    order = [position[name] for name in their_names]
    return ours.toarray()[:, order], theirs.toarray()


def assert_same(ours, our_names, theirs, their_names) -> None:
    a, b = aligned(ours, list(our_names), theirs, list(their_names))
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.fixture(params=["one chunk", "chunks of 2", "chunks of 1, nothing reused"])
def chunking(request, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each comparison with the default chunk size and with several small chunks.

    REUSE_ENTRIES (if the module has it) bounds how many fitted n-gram ids are kept for the
    matrix pass; setting it to 0 forces the recomputing path.
    """
    if request.param == "chunks of 2":
        monkeypatch.setattr(ngrams, "CHUNK", 2)
    elif request.param == "chunks of 1, nothing reused":
        monkeypatch.setattr(ngrams, "CHUNK", 1)
        monkeypatch.setattr(ngrams, "REUSE_ENTRIES", 0, raising=False)
    return request.param


# -- tokenizers ------------------------------------------------------------------------------


def test_word_tokens() -> None:
    assert list(word_tokens("Don’t stop: well-known ideas, 42 times; it's OK_ok")) == [
        "don't",
        "stop",
        "well-known",
        "ideas",
        "times",
        "it's",
        "ok",
        "ok",
    ]


def test_char_tokens_collapse_whitespace_and_lower() -> None:
    assert char_tokens("  Ab\t\tC\n d ") == list("ab c d")


# -- tf-idf against scikit-learn --------------------------------------------------------------


@pytest.mark.parametrize("min_df", [1, 2, 3])
def test_word_tfidf_matches_sklearn(chunking: str, min_df: int) -> None:
    ours = NgramVectorizer(word_tokens, ngram_range=(1, 3), min_df=min_df)
    theirs = sk_words(ngram_range=(1, 3), min_df=min_df)
    matrix = ours.fit_transform(TEXTS)
    expected = theirs.fit_transform(TEXTS)
    assert isinstance(matrix, sp.csr_matrix)
    assert matrix.shape == expected.shape
    assert_same(matrix, ours.get_feature_names_out(), expected, theirs.get_feature_names_out())
    # idf too, column for column.
    names = list(ours.get_feature_names_out())
    sk_idf = dict(zip(theirs.get_feature_names_out(), theirs.idf_))
    np.testing.assert_allclose(ours.idf_, [sk_idf[n] for n in names], rtol=1e-12)
    # ... and unknown tokens at transform time are ignored the same way.
    assert_same(
        ours.transform(UNSEEN), names, theirs.transform(UNSEEN), theirs.get_feature_names_out()
    )


@pytest.mark.parametrize("min_df", [1, 2, 4])
def test_char_tfidf_matches_sklearn(chunking: str, min_df: int) -> None:
    ours = NgramVectorizer(char_tokens, ngram_range=(3, 5), min_df=min_df, joiner="")
    theirs = sk_chars(ngram_range=(3, 5), min_df=min_df)
    matrix = ours.fit_transform(TEXTS)
    expected = theirs.fit_transform(TEXTS)
    assert_same(matrix, ours.get_feature_names_out(), expected, theirs.get_feature_names_out())
    # Unseen characters ("ß", "é", "z") at transform time.
    assert_same(
        ours.transform(UNSEEN),
        ours.get_feature_names_out(),
        theirs.transform(UNSEEN),
        theirs.get_feature_names_out(),
    )


def test_counts_match_sklearn_count_vectorizer(chunking: str) -> None:
    ours = NgramVectorizer(word_tokens, ngram_range=(1, 2), min_df=2, weighting="count")
    theirs = CountVectorizer(
        tokenizer=word_tokens, token_pattern=None, lowercase=False, ngram_range=(1, 2), min_df=2
    )
    matrix = ours.fit_transform(TEXTS)
    assert_same(
        matrix,
        ours.get_feature_names_out(),
        theirs.fit_transform(TEXTS),
        theirs.get_feature_names_out(),
    )
    # Whole-number counts in the sixth text ("the the the kite kite harbour") and the first.
    names = list(ours.get_feature_names_out())
    dense = matrix.toarray()
    assert dense[5, names.index("the")] == 3
    assert dense[5, names.index("kite")] == 2
    assert dense[5, names.index("the kite")] == 1
    assert dense[0, names.index("the")] == 3  # "The", "the", "The"
    assert dense[0, names.index("kite")] == 2
    assert_same(
        ours.transform(UNSEEN),
        names,
        theirs.transform(UNSEEN),
        theirs.get_feature_names_out(),
    )


def _totals(texts, **kwargs) -> dict[str, int]:
    counter = CountVectorizer(tokenizer=word_tokens, token_pattern=None, lowercase=False, **kwargs)
    matrix = counter.fit_transform(texts)
    return dict(
        zip(counter.get_feature_names_out(), np.asarray(matrix.sum(axis=0)).ravel().tolist())
    )


@pytest.mark.parametrize("max_features", [1, 3, 7, 10])
def test_word_max_features_matches_sklearn_without_ties(chunking: str, max_features: int) -> None:
    # The cut-off must fall between different totals, or the choice is a tie-break (tested below).
    totals = sorted(_totals(TEXTS, ngram_range=(1, 3), min_df=2).values(), reverse=True)
    assert totals[max_features - 1] > totals[max_features]
    ours = NgramVectorizer(word_tokens, ngram_range=(1, 3), min_df=2, max_features=max_features)
    theirs = sk_words(ngram_range=(1, 3), min_df=2, max_features=max_features)
    matrix = ours.fit_transform(TEXTS)
    assert matrix.shape == (len(TEXTS), max_features)
    assert_same(
        matrix,
        ours.get_feature_names_out(),
        theirs.fit_transform(TEXTS),
        theirs.get_feature_names_out(),
    )


def test_max_features_one_keeps_the_most_frequent_ngram() -> None:
    ours = NgramVectorizer(word_tokens, ngram_range=(1, 3), max_features=1)
    ours.fit(TEXTS)
    # "the" occurs 15 times across the texts (counted by hand), "kite" next with 8.
    totals = _totals(TEXTS, ngram_range=(1, 3))
    assert totals["the"] == 15 and totals["kite"] == 8
    assert max(totals.values()) == 15
    assert list(ours.get_feature_names_out()) == ["the"]


def test_max_features_ties_prefer_shorter_ngrams_then_sorted_tokens(chunking: str) -> None:
    """Every unigram, bigram and trigram below occurs exactly twice (once per text).

    Ties at the cut-off are broken by n (shorter first), then by the n-gram's tokens in sorted
    order, never by chance and never by the order of the texts.
    """
    texts = ["delta bravo alpha charlie", "delta bravo alpha charlie"]
    vectorizer = NgramVectorizer(word_tokens, ngram_range=(1, 3), max_features=6, weighting="count")
    matrix = vectorizer.fit_transform(texts)
    assert list(vectorizer.get_feature_names_out()) == [
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "alpha charlie",
        "bravo alpha",
    ]
    assert matrix.toarray().tolist() == [[1] * 6, [1] * 6]


def test_the_vocabulary_does_not_depend_on_the_order_of_the_texts(chunking: str) -> None:
    texts = ["delta bravo alpha charlie echo", "zulu alpha charlie echo delta", "alpha delta bravo", "echo zulu"]
    names = []
    for order in (texts, texts[::-1], texts[1:] + texts[:1]):
        vectorizer = NgramVectorizer(word_tokens, ngram_range=(1, 2), max_features=7, weighting="count")
        vectorizer.fit(order)
        names.append(list(vectorizer.get_feature_names_out()))
    assert names[0] == names[1] == names[2]


def test_char_max_features_matches_sklearn_without_ties(chunking: str) -> None:
    counter = CountVectorizer(
        analyzer="char", preprocessor=lambda t: " ".join(t.lower().split()), ngram_range=(3, 5)
    )
    totals = np.sort(np.asarray(counter.fit_transform(TEXTS).sum(axis=0)).ravel())[::-1]
    k = 3
    assert totals[k - 1] > totals[k]
    ours = NgramVectorizer(char_tokens, ngram_range=(3, 5), max_features=k, joiner="")
    theirs = sk_chars(ngram_range=(3, 5), max_features=k)
    matrix = ours.fit_transform(TEXTS)
    assert_same(
        matrix,
        ours.get_feature_names_out(),
        theirs.fit_transform(TEXTS),
        theirs.get_feature_names_out(),
    )


# -- chunking and fit/transform consistency --------------------------------------------------


@pytest.mark.parametrize("chunk", [1, 2, 3])
@pytest.mark.parametrize(
    "factory", [lexical.word_ngrams, lexical.char_ngrams, lexical.layout_ngrams]
)
def test_small_chunks_give_identical_results(
    monkeypatch: pytest.MonkeyPatch, factory, chunk: int
) -> None:
    texts = TEXTS * 2  # more texts than any chunk, so min_df=2 keeps everything seen twice
    reference = factory()
    expected = reference.fit_transform(texts)
    monkeypatch.setattr(ngrams, "CHUNK", chunk)
    chunked = factory()
    matrix = chunked.fit_transform(texts)
    assert list(chunked.get_feature_names_out()) == list(reference.get_feature_names_out())
    np.testing.assert_array_equal(matrix.toarray(), expected.toarray())
    np.testing.assert_array_equal(
        chunked.transform(UNSEEN).toarray(), reference.transform(UNSEEN).toarray()
    )
    assert matrix.indptr.tolist() == expected.indptr.tolist()


def test_transform_of_fitted_texts_equals_fit_transform(chunking: str) -> None:
    for vectorizer in (lexical.word_ngrams(min_df=1), lexical.char_ngrams(min_df=1)):
        fitted = vectorizer.fit_transform(TEXTS)
        again = vectorizer.transform(TEXTS)
        np.testing.assert_array_equal(fitted.toarray(), again.toarray())
        # fit() then transform() gives the same too.
        other = type(vectorizer)(
            vectorizer.tokenizer, ngram_range=vectorizer.ngram_range, joiner=vectorizer.joiner
        )
        np.testing.assert_array_equal(other.fit(TEXTS).transform(TEXTS).toarray(), fitted.toarray())


def test_tfidf_rows_are_unit_length_and_empty_rows_are_zero() -> None:
    vectorizer = NgramVectorizer(word_tokens, ngram_range=(1, 2))
    matrix = vectorizer.fit_transform([*TEXTS, "", "42 7"])
    norms = np.linalg.norm(matrix.toarray(), axis=1)
    np.testing.assert_allclose(norms[: len(TEXTS)], 1.0, rtol=1e-6)
    assert norms[-2] == 0 and norms[-1] == 0
    assert matrix.dtype == np.float32


def test_hand_computed_tfidf() -> None:
    """Two texts, unigrams: idf = ln(3 / (1 + df)) + 1, tf = 1 + ln(count), rows L2-normalised."""
    vectorizer = NgramVectorizer(word_tokens, ngram_range=(1, 1))
    matrix = vectorizer.fit_transform(["owl owl owl moth", "owl bat"]).toarray()
    names = list(vectorizer.get_feature_names_out())
    assert names == ["bat", "moth", "owl"]  # sorted token order
    idf_shared, idf_single = 1.0, np.log(1.5) + 1.0
    row0 = np.array([0.0, idf_single, (1 + np.log(3)) * idf_shared])
    row1 = np.array([idf_single, 0.0, idf_shared])
    np.testing.assert_allclose(matrix[0], row0 / np.linalg.norm(row0), rtol=1e-6)
    np.testing.assert_allclose(matrix[1], row1 / np.linalg.norm(row1), rtol=1e-6)


def test_ngrams_do_not_span_unknown_tokens() -> None:
    vectorizer = NgramVectorizer(word_tokens, ngram_range=(2, 2), weighting="count")
    vectorizer.fit(["blue sky", "sky blue"])
    assert sorted(vectorizer.get_feature_names_out()) == ["blue sky", "sky blue"]
    # "blue zzz sky": the unknown token breaks the bigram; "sky blue" is found after it.
    assert vectorizer.transform(["blue zzz sky blue"]).toarray().tolist() == [[0, 1]]


def test_texts_shorter_than_n_contribute_nothing() -> None:
    vectorizer = NgramVectorizer(word_tokens, ngram_range=(3, 3), weighting="count")
    matrix = vectorizer.fit_transform(["one two", "one two three", "x"])
    assert list(vectorizer.get_feature_names_out()) == ["one two three"]
    assert matrix.toarray().tolist() == [[0], [1], [0]]


def test_transform_of_no_texts_and_of_empty_texts() -> None:
    for vectorizer in (lexical.word_ngrams(min_df=1), lexical.char_ngrams(min_df=1)):
        vectorizer.fit(["", *TEXTS[:3], ""])
        width = len(vectorizer.get_feature_names_out())
        assert vectorizer.transform([]).shape == (0, width)
        empty = vectorizer.transform(["", "   "])
        assert empty.shape == (2, width) and empty.nnz == 0


def test_empty_vocabulary_errors() -> None:
    # stylesim.features.extract relies on "empty vocabulary" in the message.
    with pytest.raises(ValueError, match="empty vocabulary"):
        NgramVectorizer(word_tokens).fit_transform(["123", "!!!", ""])
    with pytest.raises(ValueError, match="empty vocabulary"):
        NgramVectorizer(word_tokens, min_df=3).fit_transform(["apple pie", "banana split"])


# -- lexical factories ------------------------------------------------------------------------


def test_factories_settings() -> None:
    words, chars, layout = lexical.word_ngrams(), lexical.char_ngrams(), lexical.layout_ngrams()
    assert (words.ngram_range, words.min_df, words.max_features, words.joiner) == (
        (1, 3),
        2,
        100_000,
        " ",
    )
    assert (chars.ngram_range, chars.min_df, chars.max_features, chars.joiner) == (
        (3, 5),
        2,
        100_000,
        "",
    )
    assert chars.tokenizer is char_tokens and words.tokenizer is word_tokens
    assert (layout.ngram_range, layout.min_df) == ((1, 3), 2)


def test_word_ngrams_factory_matches_sklearn() -> None:
    ours = lexical.word_ngrams()
    theirs = sk_words(ngram_range=(1, 3), min_df=2, max_features=100_000)
    assert_same(
        ours.fit_transform(TEXTS),
        ours.get_feature_names_out(),
        theirs.fit_transform(TEXTS),
        theirs.get_feature_names_out(),
    )


def test_char_ngrams_factory_names_are_character_strings() -> None:
    vectorizer = lexical.char_ngrams(min_df=1)
    vectorizer.fit(["Ab  c", "ab c"])
    # "ab c" -> 3-grams "ab ", "b c"; 4-gram "ab c"; nothing longer.
    assert sorted(vectorizer.get_feature_names_out()) == ["ab ", "ab c", "b c"]


def test_layout_tokens() -> None:
    assert lexical.layout_tokens("Hi,\nthere! Don’t stop 3 well-known") == [
        "hi",
        ",",
        "¶",
        "there",
        "!",
        "don't",
        "stop",
        "3",
        "well",
        "-",
        "known",
    ]
    assert lexical.layout_tokens("") == []


def test_layout_ngrams_count_line_breaks() -> None:
    vectorizer = NgramVectorizer(lexical.layout_tokens, ngram_range=(1, 2), weighting="count")
    matrix = vectorizer.fit_transform(["a\n\nb", "a\nb"]).toarray()
    names = list(vectorizer.get_feature_names_out())
    assert matrix[0, names.index("¶")] == 2 and matrix[1, names.index("¶")] == 1
    assert matrix[0, names.index("¶ ¶")] == 1 and matrix[1, names.index("¶ ¶")] == 0


def test_ruzicka_similarity() -> None:
    assert lexical.ruzicka_similarity(np.array([1, 2, 0]), np.array([2, 1, 1])) == pytest.approx(
        2 / 5
    )
    assert lexical.ruzicka_similarity(np.array([3.0, 1.0]), np.array([3.0, 1.0])) == 1.0
    assert lexical.ruzicka_similarity(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == 0.0
    assert np.isnan(lexical.ruzicka_similarity(np.zeros(3), np.zeros(3)))


def _grams_text_by_text(vectorizer: NgramVectorizer, ids_per_text) -> tuple[np.ndarray, ...]:
    """The per-text count ``_grams`` replaced (0.3.13): each text's n-grams, ``np.unique`` per text."""
    low, high = vectorizer.ngram_range
    base = vectorizer.base_
    grams, owners, counts = [], [], []
    for index, codes in enumerate(ids_per_text):
        codes = codes.astype(np.int64)
        per_text = []
        for n in range(low, high + 1):
            if codes.size < n:
                continue
            gram = np.zeros(codes.size - n + 1, dtype=np.int64)
            valid = np.ones(codes.size - n + 1, dtype=bool)
            for k in range(n):
                part = codes[k : codes.size - n + 1 + k]
                gram = gram * base + part
                valid &= part > 0
            per_text.append(gram[valid] + n * base**high)
        if not per_text or not sum(p.size for p in per_text):
            continue
        unique, count = np.unique(np.concatenate(per_text), return_counts=True)
        grams.append(unique)
        counts.append(count.astype(np.int32))
        owners.append(np.full(unique.size, index, dtype=np.int32))
    return np.concatenate(grams), np.concatenate(owners), np.concatenate(counts)


@pytest.mark.parametrize("batch", [1, 3, 128])
@pytest.mark.parametrize("roomy", [True, False])
@pytest.mark.parametrize("factory", [lexical.word_ngrams, lexical.char_ngrams, lexical.layout_ngrams])
def test_batched_ngram_counts_equal_the_text_by_text_count(
    monkeypatch: pytest.MonkeyPatch, factory, batch: int, roomy: bool
) -> None:
    # Texts that are empty, shorter than n, or hold unknown tokens sit between ordinary ones, so
    # a batch boundary, an empty text and an unknown id each meet an n-gram that must not span them.
    fitted = factory(min_df=1).fit(TEXTS)
    texts = [TEXTS[0], "", "a", UNSEEN[0], *TEXTS[1:4], "zebra violin", UNSEEN[1], *TEXTS[4:]]
    ids = fitted._token_ids(texts, grow=False)
    monkeypatch.setattr(ngrams, "GRAM_BATCH", batch)
    if not roomy:  # keys that leave room for only two texts a batch (large ids, e.g. Chinese characters)
        span = (fitted.ngram_range[1] + 1) * fitted.base_ ** fitted.ngram_range[1]
        monkeypatch.setattr(ngrams, "PACK_LIMIT", 2 * span + 1)
    got = fitted._grams(ids)
    want = _grams_text_by_text(fitted, ids)
    for ours, theirs in zip(got, want):
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)


def test_batched_ngram_counts_of_texts_without_ngrams() -> None:
    fitted = lexical.word_ngrams(min_df=1).fit(TEXTS)
    grams, owners, counts = fitted._grams(fitted._token_ids(["", "zebra", "123"], grow=False))
    assert grams.size == owners.size == counts.size == 0
    assert (grams.dtype, owners.dtype, counts.dtype) == (np.int64, np.int32, np.int32)
