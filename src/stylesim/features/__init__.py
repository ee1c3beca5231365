"""Feature families. Each turns texts into a matrix (rows = texts) and names its columns.

Every extractor is fitted without labels on a pool of texts (docs/method.md, "Features"): all the
texts of an analysis in compare and matrix, so that B is described like the panel models it is
ranked against and A's and B's labels can be permuted without changing the features; the
student's texts alone in attribute, so that candidates and panel models are described alike and
the panel cannot move the features. (Up to 0.3.10 compare and attribute fitted on their focus
models, which favoured them over the panel.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import lexical, overused, phrasing, stylometry, templates


@dataclass(frozen=True)
class Family:
    """A named feature family: a factory for a fresh, unfitted extractor and a description."""

    name: str
    label: str
    description: str
    make: Callable[[], Any]


FAMILIES: dict[str, Family] = {
    family.name: family
    for family in [
        Family("words", "Word n-grams", "word 1-3-grams, tf-idf weighted", lexical.word_ngrams),
        Family("chars", "Character n-grams", "character 3-5-grams, tf-idf weighted", lexical.char_ngrams),
        Family(
            "overused",
            "Over-used vocabulary",
            "words used far more than in general English (wordfreq), weighted by log over-use",
            overused.OverusedVocabulary,
        ),
        Family(
            "function_words",
            "Function-word stylometry",
            "z-scored frequencies of the 200 most frequent words (Cosine-Delta space)",
            stylometry.FunctionWordProfile,
        ),
        Family(
            "phrasing",
            "Phrasing patterns",
            "formatting habits, rhetorical constructions, openers and closers",
            phrasing.PhrasingPatterns,
        ),
        Family(
            "templates",
            "Syntactic templates",
            "3-4-grams with content words masked (function words and punctuation kept)",
            templates.syntactic_templates,
        ),
    ]
}
EMBEDDING = Family(
    "embedding",
    "Sentence embeddings",
    "sentence-transformers embeddings (default all-MiniLM-L6-v2)",
    lambda: None,
)
ALL_FAMILY_NAMES: list[str] = [*FAMILIES, EMBEDDING.name]


def extract(family: str, texts: Sequence[str], groups: Sequence[str] | None = None,
            fit_rows: Sequence[int] | None = None):
    """Fit the family on ``texts`` (or on the rows ``fit_rows`` of them, the reference pool) and
    return ``(matrix of every text, extractor)``."""
    extractor = FAMILIES[family].make()
    try:
        if fit_rows is None or len(fit_rows) == len(texts):  # the pool is every text: one pass
            matrix = extractor.fit_transform(texts, groups)
        else:
            extractor.fit([texts[i] for i in fit_rows], [groups[i] for i in fit_rows] if groups is not None else None)
            matrix = extractor.transform(texts)
    except ValueError as exc:
        # scikit-learn refuses an empty vocabulary (e.g. all texts identical punctuation).
        if "empty vocabulary" in str(exc) or "no terms remain" in str(exc):
            return None, extractor
        raise
    return matrix, extractor
