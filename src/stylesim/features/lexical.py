"""Lexical family: word 1-3-grams and character 3-5-grams, tf-idf weighted.

Both are fitted on the pooled texts of every model in the comparison (label-blind); rows are
L2-normalised so inner products are cosine similarities. Character n-grams run over the
lower-cased text with whitespace collapsed, so they cross word boundaries and see punctuation.
"""

from __future__ import annotations

import re

import numpy as np

from .ngrams import NgramVectorizer, char_tokens, word_tokens
from .text import TOKEN


def word_ngrams(*, max_features: int = 100_000, min_df: int = 2) -> NgramVectorizer:
    """Word 1-3-grams with sublinear tf and idf weighting."""
    return NgramVectorizer(word_tokens, ngram_range=(1, 3), min_df=min_df, max_features=max_features)


def char_ngrams(*, max_features: int = 100_000, min_df: int = 2) -> NgramVectorizer:
    """Character 3-5-grams with sublinear tf and idf weighting."""
    return NgramVectorizer(
        char_tokens, ngram_range=(3, 5), min_df=min_df, max_features=max_features, joiner=""
    )


_LINE_BREAK = re.compile(r"\n")


def layout_tokens(text: str) -> list[str]:
    """Words, single punctuation marks and line breaks (as ``¶``): tokens that keep layout."""
    return TOKEN.findall(_LINE_BREAK.sub(" ¶ ", text.lower()).replace("’", "'")) if text else []


def layout_ngrams(*, max_features: int = 100_000, min_df: int = 2) -> NgramVectorizer:
    """1-3-grams of words, punctuation and line breaks: the ablation views' common measure."""
    return NgramVectorizer(layout_tokens, ngram_range=(1, 3), min_df=min_df, max_features=max_features)


def ruzicka_similarity(x: np.ndarray, y: np.ndarray) -> float:
    """Min-max (Ruzicka) similarity of two non-negative profiles: sum(min) / sum(max)."""
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    denominator = np.maximum(x, y).sum()
    return float(np.minimum(x, y).sum() / denominator) if denominator > 0 else float("nan")
