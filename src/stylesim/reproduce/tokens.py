"""Text normalisation and tokenisation for the EQ-Bench / slop-forensics reproduction.

The method being reproduced (Sam Paech's slop-forensics, used for the "Most Similar To" lists on
eqbench.com) counts words with a simple letters-and-apostrophe pattern and counts n-grams over
NLTK's ``word_tokenize`` tokens, keeping purely alphabetic tokens that are not NLTK English stop
words. NLTK (and its data) is not a dependency here, so this module re-implements the parts of
that tokeniser that decide which alphabetic tokens come out, written from its documented
behaviour and checked against it on the EQ-Bench pages:

* curly double quotes, brackets and most ASCII punctuation separate tokens; hyphens, em and en
  dashes, periods inside a token, slashes, underscores and a leading apostrophe do not, so
  ``half-smile``, ``else\u2014something`` or ``e.g.`` is one non-alphabetic token and is
  dropped (NLTK 3.9, current when the published profiles were made; NLTK 3.10 splits dashes);
* the period that ends a sentence is split off (NLTK runs its sentence splitter first), except
  after a few abbreviations;
* clitics are split: ``can't`` gives ``ca`` + ``n't``, ``she'd`` gives ``she`` + ``'d``,
  ``gonna`` gives ``gon`` + ``na``; a token that still holds an apostrophe is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# The NLTK English stop-word list (179 words), written out here because NLTK data cannot be
# downloaded at run time. Only n-grams use it; the word list is ranked against wordfreq.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself
    yourselves he him his himself she she's her hers herself it it's its itself they them their
    theirs themselves what which who whom this that that'll these those am is are was were be been
    being have has had having do does did doing a an the and but if or because as until while of
    at by for with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how all any
    both each few more most other some such no nor not only own same so than too very s t can will
    just don don't should should've now d ll m o re ve y ain aren aren't couldn couldn't didn
    didn't doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't mustn
    mustn't needn needn't shan shan't shouldn shouldn't wasn wasn't weren weren't won won't wouldn
    wouldn't
    """.split()
)

# Possessive/plural "'s" forms that are contractions and so are not merged into a base word.
CONTRACTIONS_S = frozenset(
    "it's that's what's who's he's she's there's here's where's when's why's how's let's".split()
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_SPACE = re.compile(r"\s+")
# Words for the over-used-word list: letters, optionally one apostrophe and more letters.
_WORD = re.compile(r"\b[a-zA-Z]+(?:'[a-zA-Z]+)?")
MIN_WORD_LENGTH = 4

# Characters that NLTK's word tokenizer always separates from their neighbours.
_SEPARATE = re.compile(r"""[!"#$%&()*;<>?@\[\]`{}\u201c\u201d\u00ab\u00bb]|\.\.\.""")
# Commas and colons separate unless a digit follows ("1,000" and "3:30" stay whole).
_COMMA = re.compile(r"[,:](?!\d)")
# Multi-word contractions NLTK splits inside one token.
_SPLIT_WORDS = {
    "cannot": ("can", "not"), "gonna": ("gon", "na"), "gotta": ("got", "ta"),
    "wanna": ("wan", "na"), "gimme": ("gim", "me"), "lemme": ("lem", "me"),
}
_CLITIC = re.compile(r"^(?P<base>.+?)(?P<clitic>n't|'s|'m|'d|'ll|'re|'ve)$")
# Abbreviations whose period is kept (so the token is not alphabetic and is dropped).
_ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr vs etc prof mt lt col gen sgt capt".split())


def normalize(text: str) -> str:
    """NFKC, lower case, straight apostrophes, whitespace collapsed (as slop-forensics does)."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)
    return _SPACE.sub(" ", text).strip()


def words(normalized: str) -> list[str]:
    """Words of four or more letters, plus any word with an apostrophe (``she'd``)."""
    return [w for w in _WORD.findall(normalized) if len(w) >= MIN_WORD_LENGTH or "'" in w]


def merge_key(word: str) -> str:
    """The word a raw form counts towards: ``mary's`` counts as ``mary``; contractions stay."""
    if word.endswith("'s") and word not in CONTRACTIONS_S and len(word) > 2:
        return word[:-2]
    return word


def _pieces(chunk: str) -> Iterator[str]:
    """The tokens NLTK would make of one whitespace-free chunk (only alphabetic ones matter)."""
    while chunk.endswith("'"):
        chunk = chunk[:-1]
    if chunk.endswith(".") and not chunk.endswith(".."):
        body = chunk[:-1]
        if body not in _ABBREVIATIONS and "." not in body:
            chunk = body
    while chunk.endswith("'"):
        chunk = chunk[:-1]
    if not chunk:
        return
    split = _SPLIT_WORDS.get(chunk)
    if split:
        yield from split
        return
    found = _CLITIC.match(chunk)
    if found:
        yield found["base"]
        yield found["clitic"]
        return
    yield chunk


def ngram_tokens(normalized: str) -> list[str]:
    """Alphabetic, non-stop-word tokens in order: the stream n-grams are taken from."""
    spaced = _COMMA.sub(" ", _SEPARATE.sub(" ", normalized))
    out = []
    for chunk in spaced.split():
        if chunk.isalpha() and chunk not in _SPLIT_WORDS:  # the common case, no clitic or period
            if chunk not in STOP_WORDS:
                out.append(chunk)
            continue
        for token in _pieces(chunk):
            if token.isalpha() and token not in STOP_WORDS:
                out.append(token)
    return out


def ngrams(tokens: list[str], n: int) -> Iterator[str]:
    """Space-joined n-grams of consecutive tokens."""
    for i in range(len(tokens) - n + 1):
        yield " ".join(tokens[i:i + n])
