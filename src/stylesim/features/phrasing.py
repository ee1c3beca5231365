"""Phrasing patterns: formatting habits, rhetorical constructions, openers and closers.

Each text becomes a vector of rates (per 1,000 words, or 0/1 flags for openers and closers),
standardised by the pooled spread of each feature. The named features are what a report shows
side by side, so every column has a readable name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .text import sentences, words

_FLAGS = re.IGNORECASE | re.MULTILINE

# Formatting habits, counted per 1,000 words.
FORMATTING: dict[str, re.Pattern[str]] = {
    "markdown headers": re.compile(r"^\s{0,3}#{1,6}\s+\S", re.MULTILINE),
    "bullet items": re.compile(r"^\s*[-*•+]\s+\S", re.MULTILINE),
    "numbered items": re.compile(r"^\s*\d+[.)]\s+\S", re.MULTILINE),
    "bold spans": re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
    "italic spans": re.compile(r"(?<![*\w])\*[^*\s][^*\n]*\*(?!\*)|(?<![_\w])_[^_\s][^_\n]*_(?!_)"),
    "table rows": re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE),
    "code fences": re.compile(r"^\s*```", re.MULTILINE),
    "inline code": re.compile(r"(?<!`)`[^`\n]+`(?!`)"),
    "horizontal rules": re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", re.MULTILINE),
    "emoji": re.compile("[\U0001F300-\U0001FAFF\U00002600-\U000027BF\U0001F1E6-\U0001F1FF]"),
    "em dashes": re.compile(r"—|(?<=\w) -- (?=\w)"),
    "en dashes": re.compile(r"–"),
    "ellipses": re.compile(r"…|\.\.\."),
    "semicolons": re.compile(r";"),
    "colons": re.compile(r":(?!//)"),
    "exclamation marks": re.compile(r"!"),
    "question marks": re.compile(r"\?"),
    "parentheses": re.compile(r"\("),
    "curly quotes": re.compile(r"[“”‘’]"),
    "straight quotes": re.compile(r"[\"]"),
    "line breaks": re.compile(r"\n"),
    "blank-line paragraphs": re.compile(r"\n\s*\n"),
}

# Single-character and fixed-string habits are counted with str.count, which gives the same
# counts as the patterns above (non-overlapping, left to right) at a fraction of the cost.
_LITERAL_COUNTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # name -> (add, subtract)
    "en dashes": (("–",), ()),
    "ellipses": (("…", "..."), ()),
    "semicolons": ((";",), ()),
    "colons": ((":",), ("://",)),
    "exclamation marks": (("!",), ()),
    "question marks": (("?",), ()),
    "parentheses": (("(",), ()),
    "curly quotes": (("“", "”", "‘", "’"), ()),
    "straight quotes": (('"',), ()),
    "line breaks": (("\n",), ()),
}


# A pattern can only match where one of these strings occurs in the text (as with _REQUIRES
# below); "emoji" needs a code point of U+2600 or above.
_FORMAT_REQUIRES: dict[str, tuple[str, ...]] = {
    "markdown headers": ("#",),
    "bold spans": ("**", "__"),
    "italic spans": ("*", "_"),
    "table rows": ("|",),
    "code fences": ("```",),
    "inline code": ("`",),
    "horizontal rules": ("---", "***", "___"),
    "em dashes": ("—", " -- "),
    "blank-line paragraphs": ("\n",),
}


def _count(name: str, text: str) -> int:
    literal = _LITERAL_COUNTS.get(name)
    if literal is None:
        needed = _FORMAT_REQUIRES.get(name)
        if needed and not any(n in text for n in needed):
            return 0
        if name == "emoji" and (not text or max(text) < "\u2600"):
            return 0
        return len(FORMATTING[name].findall(text))
    add, subtract = literal
    return sum(text.count(s) for s in add) - sum(text.count(s) for s in subtract)


# Rhetorical constructions, counted per 1,000 words.
CONSTRUCTIONS: dict[str, re.Pattern[str]] = {
    "not X, but Y": re.compile(r"\bnot\s+(?:just\s+|only\s+|merely\s+)?[^.,;!?\n]{1,40},?\s+but\b", _FLAGS),
    "it's not (just) X - it's Y": re.compile(
        r"\b(?:it|this|that)(?:'s|’s| is| was)\s+not\s+(?:just\s+|only\s+|merely\s+)?[^.;!?\n]{1,60}"
        r"(?:[—–-]|,|;|\.)\s*(?:it|this|that)(?:'s|’s| is| was)\b",
        _FLAGS,
    ),
    "not because X, but because Y": re.compile(r"\bnot because\b[^.;!?\n]{1,60}\bbut because\b", _FLAGS),
    "more than just": re.compile(r"\bmore than (?:just|merely|simply)\b", _FLAGS),
    "rhetorical question then answer": re.compile(r"\?\s+(?:The answer|Simple|Because|Well)\b", _FLAGS),
    "triads (X, Y, and Z)": re.compile(r"\b\w+, \w+,? and \w+\b"),
    "in other words": re.compile(r"\bin other words\b", _FLAGS),
    "let's": re.compile(r"\blet['’]s\b", _FLAGS),
    "imagine": re.compile(r"\bimagine\b", _FLAGS),
    "it's important to note": re.compile(r"\b(?:it['’]s|it is) (?:important|worth|crucial) to (?:note|remember|mention)", _FLAGS),
    "ultimately / overall": re.compile(r"\b(?:ultimately|overall|in summary|in conclusion|in short)\b", _FLAGS),
    "hedges (perhaps, might)": re.compile(r"\b(?:perhaps|maybe|might|arguably|somewhat)\b", _FLAGS),
    "intensifiers (truly, deeply)": re.compile(r"\b(?:truly|deeply|incredibly|profoundly|utterly|absolutely)\b", _FLAGS),
    "second person (you)": re.compile(r"\byou(?:r|rs|'re|'ll|'ve)?\b", _FLAGS),
    "first person (I)": re.compile(r"\b(?:I|me|my|mine|I'm|I've|I'd|I'll)\b"),
}

# A construction can only match where one of these strings occurs in the case-folded text, so
# the pattern is not run on texts without any (most texts lack most constructions).
_REQUIRES: dict[str, tuple[str, ...]] = {
    "not X, but Y": ("not",),
    "it's not (just) X - it's Y": ("not",),
    "not because X, but because Y": ("not because",),
    "more than just": ("more than",),
    "rhetorical question then answer": ("?",),
    "triads (X, Y, and Z)": (" and ",),
    "in other words": ("in other words",),
    "let's": ("let",),
    "imagine": ("imagine",),
    "it's important to note": ("to note", "to remember", "to mention"),
    "ultimately / overall": ("ultimately", "overall", "in summary", "in conclusion", "in short"),
    "hedges (perhaps, might)": ("perhaps", "maybe", "might", "arguably", "somewhat"),
    "intensifiers (truly, deeply)": ("truly", "deeply", "incredibly", "profoundly", "utterly", "absolutely"),
    "second person (you)": ("you",),
    "first person (I)": (),
}


# re.IGNORECASE matches these to "i"; casefold() does not (found by a test).
_DOTTED_I = {0x130: "i", 0x131: "i"}


def _construction_count(name: str, text: str, folded: str) -> int:
    needed = _REQUIRES.get(name, ())
    if needed and not any(n in folded for n in needed):
        return 0
    return len(CONSTRUCTIONS[name].findall(text))


# Openers and closers: flags on the first and last sentence.
OPENERS: dict[str, re.Pattern[str]] = {
    "opens: Certainly/Sure/Of course": re.compile(r"^\W*(?:certainly|sure|of course|absolutely|definitely)\b", re.IGNORECASE),
    "opens: Great/What a question": re.compile(r"^\W*(?:great|good|excellent|what an?|that's a)\b[^.!?]{0,30}\bquestion", re.IGNORECASE),
    "opens: Here is/Here's": re.compile(r"^\W*here(?:'s|’s| is| are)\b", re.IGNORECASE),
    "opens: I": re.compile(r"^\W*I\b"),
    "opens: header": re.compile(r"^\s*#"),
    "opens: bold title": re.compile(r"^\s*\*\*"),
    "opens: list": re.compile(r"^\s*(?:[-*•]|\d+[.)])\s"),
    "opens: quotation/dialogue": re.compile(r"^\s*[\"“‘']"),
    "opens: The/A": re.compile(r"^\W*(?:the|a|an)\b", re.IGNORECASE),
    "opens: ends with colon": re.compile(r":\s*$"),
}
CLOSERS: dict[str, re.Pattern[str]] = {
    "closes: question": re.compile(r"\?\W*$"),
    "closes: offer of more help": re.compile(
        r"\b(?:let me know|feel free|would you like|happy to help|hope (?:this|that) helps|if you(?:'d| would) like|want me to)\b",
        re.IGNORECASE,
    ),
    "closes: summary marker": re.compile(r"^\W*(?:in (?:short|summary|conclusion)|overall|ultimately|bottom line|to sum up)\b", re.IGNORECASE),
    "closes: exclamation": re.compile(r"!\W*$"),
    "closes: emoji": re.compile("[\U0001F300-\U0001FAFF\U00002600-\U000027BF]\\W*$"),
    "closes: dialogue": re.compile(r"[\"”’']\s*$"),
}


# Rates are per 1,000 words, but over at least this many: four emoji and no words would otherwise
# be 4,000 emoji per 1,000 words, thousands of standard deviations out, and one such answer would
# outweigh every other prompt in the agreement. Shorter texts count as this long (a rate from a
# handful of words is not a rate).
MIN_RATE_WORDS = 50


@lru_cache(maxsize=65536)
def _profile(text: str) -> tuple[float, ...]:
    n_words = len(words(text))
    per_k = 1000.0 / max(n_words, MIN_RATE_WORDS)
    row = [_count(name, text) * per_k for name in FORMATTING]
    folded = text.translate(_DOTTED_I).casefold()
    row += [_construction_count(name, text, folded) * per_k for name in CONSTRUCTIONS]
    parts = sentences(text)
    first = parts[0] if parts else ""
    last = parts[-1] if parts else ""
    row += [float(bool(p.search(first))) for p in OPENERS.values()]
    row += [float(bool(p.search(last))) for p in CLOSERS.values()]
    lengths = np.array([len(words(s)) for s in parts] or [0])
    row += [float(lengths.mean()), float(lengths.std()), float(np.log1p(n_words))]
    return tuple(row)


FEATURE_NAMES: list[str] = (
    list(FORMATTING) + list(CONSTRUCTIONS) + list(OPENERS) + list(CLOSERS)
    + ["mean sentence length", "sentence length spread", "log length (words)"]
)


class PhrasingPatterns:
    """Named phrasing-pattern rates, each scaled by its pooled standard deviation.

    The columns are not centred here (centring on the pooled mean of two models would make them
    look opposite); the comparison centres on a panel's background when one is given.
    """

    def fit(self, texts: Sequence[str], groups: Sequence[str] | None = None) -> PhrasingPatterns:
        raw = self.raw(texts)
        scale = raw.std(axis=0)
        scale[scale == 0] = 1.0
        self.scale_ = scale
        return self

    def raw(self, texts: Sequence[str]) -> np.ndarray:
        """Unscaled rates and flags, one row per text (for reports)."""
        return np.array([_profile(t) for t in texts], dtype=float).reshape(len(texts), len(FEATURE_NAMES))

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        return self.raw(texts) / self.scale_

    def fit_transform(self, texts: Sequence[str], groups: Sequence[str] | None = None) -> np.ndarray:
        raw = self.raw(texts)
        scale = raw.std(axis=0)
        scale[scale == 0] = 1.0
        self.scale_ = scale
        return raw / scale

    def get_feature_names_out(self) -> np.ndarray:
        return np.array(FEATURE_NAMES, dtype=object)
