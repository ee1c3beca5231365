"""Tokenisation shared by the feature families: words, sentences, function words."""

from __future__ import annotations

import re

# Words with letters, allowing inner apostrophes and hyphens ("don't", "well-known").
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", re.UNICODE)
# Word tokens plus single punctuation marks, for templates.
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|¶|[^\w\s]", re.UNICODE)
# A sentence ends at end punctuation (with any closing quotes or brackets, which stay with it)
# followed by whitespace, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"'”’)\]]*)\s+|\n+")

# English function words: articles, pronouns, prepositions, conjunctions, auxiliaries, common
# adverbs and contractions. Written for stylesim; kept as words (not masked) in templates.
FUNCTION_WORDS: frozenset[str] = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "such", "some", "any", "each", "every", "either", "neither", "no", "none", "all", "both", "half", "i", "me", "my", "mine", "myself", "you", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "we", "us", "our", "ours", "ourselves", "they", "them", "their", "theirs", "themselves", "one", "ones", "oneself", "who", "whom", "whose", "which", "what", "whatever", "whoever", "whichever", "where", "when", "why", "how", "whether", "about", "above", "across", "after", "against", "along", "amid", "among", "around", "as", "at", "before", "behind", "below", "beneath", "beside", "besides", "between", "beyond", "but", "by", "despite", "down", "during", "except", "for", "from", "in", "inside", "into", "like", "near", "of", "off", "on", "onto", "out", "outside", "over", "past", "per", "since", "than", "through", "throughout", "till", "to", "toward", "towards", "under", "underneath", "unlike", "until", "up", "upon", "via", "with", "within", "without", "and", "or", "nor", "so", "yet", "because", "although", "though", "while", "whereas", "unless", "if", "once", "lest", "be", "am", "is", "are", "was", "were", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "done", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "ought", "need", "dare", "not", "never", "very", "too", "also", "just", "only", "even", "still", "already", "again", "ever", "perhaps", "quite", "rather", "really", "almost", "enough", "here", "there", "then", "now", "thus", "hence", "therefore", "however", "indeed", "else", "otherwise", "instead", "more", "most", "less", "least", "much", "many", "few", "fewer", "several", "other", "another", "same", "own", "else", "further", "yes", "oh", "okay", "ok", "well", "let", "lets", "let's", "i'm", "i've", "i'd", "i'll", "you're", "you've", "you'd", "you'll", "he's", "she's", "it's", "we're", "we've", "we'd", "we'll", "they're", "they've", "they'd", "they'll", "that's", "there's", "here's", "what's", "who's", "where's", "how's", "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "can't", "cannot", "couldn't", "won't", "wouldn't", "shouldn't", "mustn't", "hasn't", "haven't", "hadn't", "mightn't", "needn't"]
)


def words(text: str) -> tuple[str, ...]:
    """Lower-cased word tokens, with typographic apostrophes folded to ASCII (not cached: each
    family runs in its own worker, so a cache would hold every text's tokens per family)."""
    return tuple(WORD.findall(text.lower().replace("’", "'")))


def sentences(text: str) -> list[str]:
    """A light sentence split (end punctuation or line breaks); no tagger needed."""
    pieces = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end(1) if match.group(1) is not None else match.start()])
        start = match.end()
    pieces.append(text[start:])
    return [s.strip() for s in pieces if s.strip()]


def content_shape(word: str) -> str:
    """A content word reduced to a placeholder that keeps its inflection (a cheap POS proxy)."""
    lower = word.lower()
    for suffix in ("ing", "ly", "ed", "tion", "ness", "ment", "ful", "less", "ous", "ive", "est", "er", "s"):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            return "_" + suffix
    return "_"
