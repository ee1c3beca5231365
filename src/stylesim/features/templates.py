"""Syntactic templates: n-grams of text with content words masked.

After Shaib et al. (2024), who found LLM outputs repeat part-of-speech templates far more than
human text. Without a tagger we keep function words and punctuation and replace each content word
with a placeholder that keeps its inflection ("_ing", "_ly", "_"), a cheap stand-in for POS
tags. When spaCy and an English model are installed, ``pos_analyzer`` uses real POS tags instead.
"""

from __future__ import annotations

from collections.abc import Callable

from .ngrams import NgramVectorizer
from .text import FUNCTION_WORDS, TOKEN, content_shape

_MASKED: dict[str, str] = {}


def _mask(token: str) -> str:
    lower = token.lower().replace("’", "'")
    if lower in FUNCTION_WORDS or not token[0].isalnum():
        return lower
    if token.isdigit():
        return "0"
    return content_shape(token)


def masked_tokens(text: str) -> list[str]:
    """Tokens with content words masked: function words and punctuation are kept."""
    cache = _MASKED
    if len(cache) > 500_000:
        cache.clear()
    out = []
    for token in TOKEN.findall(text):
        masked = cache.get(token)
        if masked is None:
            masked = cache[token] = _mask(token)
        out.append(masked)
    return out


def syntactic_templates(*, max_features: int = 50_000, min_df: int = 3) -> NgramVectorizer:
    """Tf-idf over masked 3-4-grams, fitted on pooled texts.

    Templates made only of placeholders still count: "_ _ , and _" differs from "_ _ _ _".
    """
    return NgramVectorizer(masked_tokens, ngram_range=(3, 4), min_df=min_df, max_features=max_features)


def pos_analyzer(model: str = "en_core_web_sm") -> Callable[[str], list[str]]:  # pragma: no cover
    """POS-tag 4-grams with spaCy (optional extra ``stylesim[syntax]`` plus an English model)."""
    try:
        import spacy

        nlp = spacy.load(model, disable=["ner", "lemmatizer", "parser"])
    except Exception as exc:  # spaCy missing, or its model not installed
        from ..errors import ConfigurationError

        raise ConfigurationError(
            f"POS templates need spaCy and the {model!r} model (pip install 'stylesim[syntax]'): {exc}"
        ) from None

    def analyze(text: str) -> list[str]:
        tags = [token.pos_ for token in nlp(text)]
        return [" ".join(tags[i : i + 4]) for i in range(len(tags) - 3)]

    return analyze
