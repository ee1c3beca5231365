"""Per-model slop profiles: counts by prompt, and the over-used word / bigram / trigram lists.

The rules follow slop-forensics (Sam Paech, MIT licence) as described for eqbench.com's "Most
Similar To" lists; every line here is written for stylesim:

* words: letters with at most one apostrophe, four or more letters (or any apostrophe word);
  ``x's`` counts towards ``x`` except for contractions (``it's``); a word must occur in at
  least two prompts and more than five times; it is ranked by its over-use ratio, its share of
  the model's counted words divided by its general-English frequency (wordfreq, floored at
  1e-12 so words wordfreq has never seen rank first, by count);
* n-grams: consecutive alphabetic non-stop-word tokens (see :mod:`.tokens`) inside one output;
  an n-gram must occur in at least three prompts; it is ranked by over-use against a background
  (a published human profile, or the other input models pooled), n-grams the background lacks
  first.

Counts are kept per prompt in sparse matrices so that a prompt bootstrap only reweights rows.
Ties are broken by first occurrence in the corpus, as the original's ordered counters do.
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from . import tokens

WORD_CAP = 120
BIGRAM_CAP = 40
TRIGRAM_CAP = 40
WORD_MIN_PROMPTS = 2
WORD_MIN_COUNT = 5  # a word must occur more than this many times
NGRAM_MIN_PROMPTS = 3
WORDFREQ_FLOOR = 1e-12
BACKGROUND_PSEUDOCOUNT = 0.5


@functools.cache
def english_frequency(word: str) -> float:
    """wordfreq's frequency of ``word`` in English (0.0 when unknown)."""
    from wordfreq import word_frequency

    return float(word_frequency(word, "en"))


@dataclass
class Table:
    """Counts of terms by prompt: ``counts[p, j]`` is how often ``vocab[j]`` occurs in prompt ``p``.

    ``first`` gives each term's first-occurrence rank in the corpus (the tie-breaker).
    """

    vocab: list[str]
    counts: sparse.csr_matrix
    first: np.ndarray
    presence: sparse.csr_matrix = field(init=False)

    def __post_init__(self) -> None:
        self.presence = (self.counts > 0).astype(np.int32).tocsr()

    def totals(self, weights: np.ndarray) -> np.ndarray:
        return np.asarray(self.counts.T @ weights).ravel()

    def coverage(self, weights: np.ndarray) -> np.ndarray:
        """In how many distinct prompts with positive weight each term occurs."""
        return np.asarray(self.presence.T @ (weights > 0).astype(np.int32)).ravel()

    def keep(self, columns: np.ndarray) -> Table:
        return Table([self.vocab[j] for j in columns], self.counts[:, columns].tocsr(), self.first[columns])


class _Builder:
    """Collects per-prompt counts; term ids follow first occurrence."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.data: list[int] = []

    def add(self, prompt: int, counts: Counter) -> None:
        index = self.index
        for term, count in counts.items():
            self.rows.append(prompt)
            self.cols.append(index.setdefault(term, len(index)))
            self.data.append(count)

    def table(self, n_prompts: int) -> Table:
        data = np.array(self.data, dtype=np.int64)
        counts = sparse.csr_matrix((data, (self.rows, self.cols)), shape=(n_prompts, len(self.index)))
        counts.sum_duplicates()
        return Table(list(self.index), counts, np.arange(len(self.index)))


@dataclass
class Selection:
    """One ranked list: terms with their counts and over-use ratios (``inf`` = absent from background)."""

    terms: list[str]
    counts: list[int]
    ratios: list[float]


@dataclass
class ModelProfile:
    """Everything the feature lists of one model are computed from."""

    name: str
    prompts: list[str]
    chars: np.ndarray
    words: Table  # merged word forms, already limited to those in >= 2 prompts
    word_frequency: np.ndarray
    bigrams: Table
    trigrams: Table
    background: dict[int, np.ndarray] = field(default_factory=dict)
    background_chars: float = 0.0
    background_kind: str = "none"
    # Alternatives for the sensitivity table: human rates with a smoothed estimate for unlisted
    # n-grams, and the leave-one-out pooled counts of the other inputs.
    smoothed: dict[int, np.ndarray] = field(default_factory=dict)
    pooled: dict[int, np.ndarray] = field(default_factory=dict)
    pooled_chars: float = 0.0
    streams: list[list[str]] | None = None  # token streams, kept only to build a pooled background

    def full_weights(self) -> np.ndarray:
        return np.ones(len(self.prompts))


def natural_key(text: str) -> list[object]:
    """Sort key that puts prompt "2" before prompt "10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def build_profile(name: str, texts: Sequence[tuple[str, str]], *, keep_streams: bool = False) -> ModelProfile:
    """Count words and n-grams of ``(prompt_key, text)`` pairs, in corpus order.

    ``keep_streams`` keeps each output's n-gram token stream (for a pooled background).
    """
    prompts = sorted({key for key, _ in texts}, key=lambda key: (natural_key(key), key))  # ties: by the key itself
    row = {key: i for i, key in enumerate(prompts)}
    chars = np.zeros(len(prompts))
    raw_words, bigrams, trigrams = _Builder(), _Builder(), _Builder()
    streams: list[list[str]] = []
    for key, text in texts:
        p = row[key]
        chars[p] += len(text)
        normal = tokens.normalize(text)
        raw_words.add(p, Counter(tokens.words(normal)))
        stream = tokens.ngram_tokens(normal)
        if keep_streams:
            streams.append([sys.intern(t) for t in stream])
        bigrams.add(p, Counter(map(" ".join, zip(stream, stream[1:]))))
        trigrams.add(p, Counter(map(" ".join, zip(stream, stream[1:], stream[2:]))))
    words = _merge_possessives(raw_words.table(len(prompts)))
    bi = _prune(bigrams.table(len(prompts)), NGRAM_MIN_PROMPTS)
    tri = _prune(trigrams.table(len(prompts)), NGRAM_MIN_PROMPTS)
    frequency = np.array([english_frequency(w) for w in words.vocab])
    return ModelProfile(name, prompts, chars, words, frequency, bi, tri,
                        streams=streams if keep_streams else None)


def _prune(table: Table, min_prompts: int) -> Table:
    """Drop terms in fewer than ``min_prompts`` prompts: no resample can bring them back."""
    return table.keep(np.flatnonzero(table.coverage(np.ones(table.counts.shape[0])) >= min_prompts))


def _merge_possessives(raw: Table) -> Table:
    """Fold ``x's`` counts into ``x``; keep ``x`` only if the bare form is in >= 2 prompts.

    As in the original, the prompt test looks at the bare form ``x`` itself, so a name that
    only ever appears as ``x's`` is dropped.
    """
    index = {w: j for j, w in enumerate(raw.vocab)}
    coverage = raw.coverage(np.ones(raw.counts.shape[0]))
    keys: list[str] = []
    rows: list[int] = []
    cols: list[int] = []
    first: list[int] = []
    for j, word in enumerate(raw.vocab):
        if tokens.merge_key(word) != word or coverage[j] < WORD_MIN_PROMPTS:
            continue
        k = len(keys)
        keys.append(word)
        rows.append(j)
        cols.append(k)
        rank = raw.first[j]
        possessive = index.get(word + "'s")
        if possessive is not None and tokens.merge_key(word + "'s") == word:
            rows.append(possessive)
            cols.append(k)
            rank = min(rank, raw.first[possessive])
        first.append(rank)
    mapping = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(len(raw.vocab), len(keys)))
    merged = Table(keys, (raw.counts @ mapping).tocsr(), np.array(first, dtype=np.int64))
    # The prompt test is on the bare form: presence comes from that column alone.
    bare = [index[w] for w in keys]
    merged.presence = raw.presence[:, bare].tocsr() if keys else merged.presence
    return merged


def select_words(profile: ModelProfile, weights: np.ndarray, cap: int = WORD_CAP) -> Selection:
    """The ``cap`` words with the highest over-use ratio against wordfreq."""
    table = profile.words
    counts = table.totals(weights)
    keep = np.flatnonzero((table.coverage(weights) >= WORD_MIN_PROMPTS) & (counts > WORD_MIN_COUNT))
    if keep.size == 0:
        return Selection([], [], [])
    kept = counts[keep]
    share = kept / kept.sum()
    ratio = share / np.maximum(profile.word_frequency[keep], WORDFREQ_FLOOR)
    order = np.lexsort((table.first[keep], -ratio))[:cap]
    chosen = keep[order]
    return Selection([table.vocab[j] for j in chosen], [int(c) for c in counts[chosen]],
                     [float(r) for r in ratio[order]])


def select_ngrams(profile: ModelProfile, n: int, weights: np.ndarray, cap: int, ranking: str = "overuse") -> Selection:
    """The ``cap`` n-grams in >= 3 prompts, ranked by over-use against the background.

    ``ranking`` is ``"overuse"`` (the profile's background), ``"frequency"`` (count alone, what
    eqbench.com displays as "Top Bigrams"), ``"smoothed"`` (human rates, unlisted n-grams given
    an independence estimate) or ``"pooled"`` (the other inputs pooled).
    """
    table = profile.bigrams if n == 2 else profile.trigrams
    counts = table.totals(weights)
    keep = np.flatnonzero((table.coverage(weights) >= NGRAM_MIN_PROMPTS) & (counts > 0))
    if keep.size == 0:
        return Selection([], [], [])
    kept = counts[keep].astype(float)
    rate = kept / max(float(profile.chars @ weights), 1.0)
    kind = profile.background_kind if ranking == "overuse" else ranking
    if ranking == "overuse":
        base, base_chars = profile.background.get(n), profile.background_chars
    elif ranking == "pooled":
        base, base_chars = profile.pooled.get(n), profile.pooled_chars
    elif ranking == "smoothed":
        base, base_chars = profile.smoothed.get(n), 1.0
    else:
        base, base_chars = None, 1.0
    if base is None:
        ratio = np.full(keep.size, np.nan)
        order = np.lexsort((table.first[keep], -kept))[:cap]
    else:
        base = base[keep]
        if kind == "human":
            with np.errstate(divide="ignore"):
                ratio = np.where(base > 0, rate / (base / base_chars), np.inf)
        elif kind == "pooled":
            ratio = rate / ((base + BACKGROUND_PSEUDOCOUNT) / base_chars)
        else:  # smoothed human rates, already per character
            ratio = rate / base
        order = np.lexsort((table.first[keep], -kept, -ratio))[:cap]
    chosen = keep[order]
    return Selection([table.vocab[j] for j in chosen], [int(c) for c in counts[chosen]],
                     [float(r) for r in ratio[order]])


def feature_lists(profile: ModelProfile, weights: np.ndarray | None = None, ranking: str = "overuse",
                  caps: tuple[int, int, int] = (WORD_CAP, BIGRAM_CAP, TRIGRAM_CAP)) -> dict[str, Selection]:
    """The three ranked lists for one model (all prompts when ``weights`` is None)."""
    w = profile.full_weights() if weights is None else weights
    return {
        "words": select_words(profile, w, caps[0]),
        "bigrams": select_ngrams(profile, 2, w, caps[1], ranking),
        "trigrams": select_ngrams(profile, 3, w, caps[2], ranking),
    }


def feature_set(lists: dict[str, Selection]) -> set[str]:
    """Words, bigrams and trigrams as one set (n-grams contain spaces, so they never collide)."""
    return {term for selection in lists.values() for term in selection.terms}
